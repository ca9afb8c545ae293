// Package poster writes print-ready PDF placards from a portrait pack: one
// person a page on A4 or US Letter (photo or silhouette, names in both
// scripts, status, charges, sentence, bio, the letter and petition QR codes
// with their domains, the letter rules, source and date), or A3 "wire
// strips" of several portraits a sheet with cut marks and the pack's QR
// code, for hanging on a line as the Mury exhibition did.
//
// The facts and QR targets are those of the screen (internal/show builds
// them, with the same status rules). The PDF is written by a small writer
// of its own: text is shaped by HarfBuzz (go-text) and written as glyph ids
// of the kiosk's embedded fonts (Type0/CIDFontType2, Identity-H, with a
// ToUnicode map), so Persian is joined and ordered right to left on paper
// exactly as shaped; QR codes are vector squares; photos are embedded as
// JPEG (DCTDecode), passed through untouched when already fit to print. It
// does not import Fyne.
package poster

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"image/color"
	"io"
	"runtime"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// Paper kinds.
const (
	PaperA4       = "a4"        // A4 placards, one person a page
	PaperLetter   = "letter"    // US Letter placards, one person a page
	PaperA3Strips = "a3-strips" // A3 sheets of wire strips, StripsPerSheet portraits each
)

// Papers lists the paper kinds, for help texts.
var Papers = []string{PaperA4, PaperLetter, PaperA3Strips}

// StripsPerSheet is how many portraits an A3 wire-strip sheet holds.
const StripsPerSheet = stripCols * stripRows

// Page sizes in points (1/72 inch).
const (
	a4W, a4H         = 595.28, 841.89
	letterW, letterH = 612, 792
	a3W, a3H         = 841.89, 1190.55
)

// Options configure Write.
type Options struct {
	Paper string // one of Papers; "" means A4
	// Lang is the language of the placards; "" means each pack's first.
	Lang string
	// Now is the date the placards are printed "as of"; zero means today.
	Now time.Time
	// Workers prepare photos in parallel; 0 means the number of CPUs.
	Workers int
}

// Person is one person to print, with the way to read their photo.
type Person struct {
	Entry show.Entry
	// Photo returns the photo file's name and bytes; nil prints the
	// silhouette (no photo, or no consent to show one).
	Photo func() (name string, data []byte, err error)
}

// Report says what Write produced.
type Report struct {
	Pages, People int
	Photos        int // photos embedded
	PassedThrough int // of which embedded as they were, without re-encoding
}

// ErrPaper means the paper kind is not one of Papers.
var ErrPaper = errors.New("unknown paper")

// ErrNoPeople means there is no one to print.
var ErrNoPeople = errors.New("no people to print")

//go:embed words/*.json
var wordFiles embed.FS

// job is what every page is drawn with.
type job struct {
	opt   Options
	fonts *fontSet
	ts    *typesetter
	cat   *i18n.Catalog // the kiosk's words
	pcat  *i18n.Catalog // the poster's own words
	out   *pdfWriter
	pages []int // page objects, in order
	tree  int   // the page tree's object
	rep   Report
	imgN  int
}

// Write writes the PDF of people to w.
func Write(ctx context.Context, w io.Writer, people []Person, opt Options) (Report, error) {
	if opt.Paper == "" {
		opt.Paper = PaperA4
	}
	if opt.Paper != PaperA4 && opt.Paper != PaperLetter && opt.Paper != PaperA3Strips {
		return Report{}, fmt.Errorf("%w %q: want a4, letter or a3-strips", ErrPaper, opt.Paper)
	}
	if len(people) == 0 {
		return Report{}, ErrNoPeople
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	j, err := newJob(w, opt)
	if err != nil {
		return Report{}, err
	}
	j.rep.People = len(people)
	catalog, info := j.out.reserve(), j.out.reserve()
	j.tree = j.out.reserve()
	for _, f := range j.fonts.all() {
		f.obj = j.out.reserve()
	}
	if opt.Paper == PaperA3Strips {
		err = j.strips(ctx, people)
	} else {
		err = j.placards(ctx, people)
	}
	if err != nil {
		return j.rep, err
	}
	return j.rep, j.finish(catalog, info, people)
}

func newJob(w io.Writer, opt Options) (*job, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	cat, err := i18n.Embedded()
	if err != nil {
		return nil, err
	}
	pcat, err := i18n.Load(wordFiles, "words")
	if err != nil {
		return nil, err
	}
	return &job{opt: opt, fonts: fonts, ts: &typesetter{fonts: fonts}, cat: cat, pcat: pcat, out: newPDFWriter(w)}, nil
}

// lang is the language a person's placard is printed in.
func (j *job) lang(e show.Entry) string {
	if j.opt.Lang != "" {
		return j.opt.Lang
	}
	if len(e.Manifest.Languages) > 0 {
		return e.Manifest.Languages[0]
	}
	return "en"
}

// page writes one finished page.
func (j *job) page(c *canvas, w, h float64) {
	content := j.out.reserve()
	j.out.stream(content, "", c.b.Bytes(), true)
	pg := j.out.reserve()
	j.out.object(pg, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %s /Contents %d 0 R >>",
		j.tree, num(w), num(h), c.resources(j.fonts.resources()), content))
	j.pages = append(j.pages, pg)
	j.rep.Pages++
}

// image writes a prepared photo as an image XObject and returns its object.
func (j *job) image(p prepared) (name string, obj int) {
	obj = j.out.reserve()
	cs := "/DeviceRGB"
	if p.gray {
		cs = "/DeviceGray"
	}
	j.out.stream(obj, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode", p.w, p.h, cs), p.jpeg, false)
	j.imgN++
	j.rep.Photos++
	if p.passed {
		j.rep.PassedThrough++
	}
	return fmt.Sprintf("Im%d", j.imgN), obj
}

func (j *job) finish(catalog, info int, people []Person) error {
	pages := j.tree
	var kids []byte
	for _, p := range j.pages {
		kids = fmt.Appendf(kids, "%d 0 R ", p)
	}
	j.out.object(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(j.pages)))
	for _, f := range j.fonts.all() {
		f.write(j.out)
	}
	title := people[0].Entry.Manifest.Title.Get(j.lang(people[0].Entry), people[0].Entry.Manifest.Languages)
	j.out.object(info, fmt.Sprintf("<< /Title %s /Creator (Solidarity Kiosk) /Producer (Solidarity Kiosk poster) /CreationDate (D:%s) >>",
		pdfString(title), j.opt.Now.UTC().Format("20060102150405Z")))
	j.out.object(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang %s >>", pages, pdfString(j.lang(people[0].Entry))))
	return j.out.finish(catalog, info)
}

// Colours on paper.
var (
	ink     = color.RGBA{0x14, 0x14, 0x14, 0xFF}
	softInk = color.RGBA{0x55, 0x55, 0x55, 0xFF}
	warnInk = color.RGBA{0x9A, 0x4A, 0x00, 0xFF}
	mourn   = color.RGBA{0x00, 0x00, 0x00, 0xFF}
	paper   = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	blank   = color.RGBA{0xE6, 0xE6, 0xE6, 0xFF}
	figure  = color.RGBA{0xB4, 0xB4, 0xB4, 0xFF}
)
