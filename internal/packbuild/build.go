package packbuild

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// DefaultPublisher is the publisher name of a pack when Options.Publisher is empty.
const DefaultPublisher = "Solidarity Kiosk pack build"

// Options say what to build.
type Options struct {
	CSV    string // the spreadsheet; its base name names the file in problems
	Photos string // the folder of photos; "" for none (everyone gets the silhouette)
	Out    string // the pack zip to write

	// Languages are the pack's languages, in the order captions rotate. The
	// default is ["en"] followed by the languages of .xx column suffixes for
	// the kiosk's columns, and the export's language then "en" for a Viasna
	// export in Russian or Belarusian (["ru", "en"]).
	Languages []string
	Title     string // default: the spreadsheet's base name without extension
	ID        string // default: a slug of Title, else of Out's base name
	Publisher string // default: DefaultPublisher

	// Strict writes nothing and fails when any row or column has a problem;
	// otherwise rows with problems are left out and reported.
	Strict bool
	Now    func() time.Time // default time.Now
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// fileName is the spreadsheet's name in problems.
func (o Options) fileName() string {
	if o.CSV == "" {
		return "spreadsheet.csv"
	}
	return filepath.Base(o.CSV)
}

// Report is what Build did and what it could not use.
type Report struct {
	Out             string   // the zip written, "" when nothing was
	Family          string   // FamilyKiosk or FamilyViasna
	Languages       []string // the pack's languages
	People          int      // people in the pack
	Photos          int      // photos copied into the pack
	Rows            Problems // every row or column that could not be used, by row
	UnmatchedPhotos []string // photo files in the folder no person in the pack matched
	WithoutPhoto    []string // ids of people in the pack without a photo (not counting those without photo consent)
	// Warnings are characters of the people's texts that no font of the
	// kiosk draws (pack.Manifest.GlyphWarnings): the pack is still built.
	Warnings []string
}

// Build reads the spreadsheet, matches the photos and writes the pack zip
// to Options.Out through a temporary file in the same folder, so a failed
// or cancelled build never leaves a half-written zip. The returned Report
// is filled as far as Build got, also when it fails; a Problems error lists
// every problem when the sheet is unreadable, when no row is usable, or in
// Strict mode when there is any problem.
func Build(ctx context.Context, opt Options) (Report, error) {
	if opt.CSV == "" || opt.Out == "" {
		return Report{}, errors.New("packbuild: name the spreadsheet and the output zip")
	}
	data, err := readLimited(opt.CSV, MaxCSVBytes)
	if err != nil {
		return Report{}, err
	}
	sheet, err := MapContext(ctx, data, opt)
	if err != nil {
		var probs Problems
		errors.As(err, &probs)
		return Report{Rows: probs}, err
	}
	m := sheet.Manifest
	rep := Report{Family: sheet.Family, Languages: m.Languages, Warnings: m.GlyphWarnings()}
	ph, err := openPhotos(opt.Photos)
	if err != nil {
		return rep, err
	}
	defer ph.close()
	copies, probs := ph.assign(ctx, sheet, &rep)
	rep.Rows = append(sheet.Problems, probs...)
	sort.SliceStable(rep.Rows, func(i, j int) bool { return rep.Rows[i].Row < rep.Rows[j].Row })
	rep.Rows = rep.Rows.Capped()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if err := refuse(opt, rep, m); err != nil {
		return rep, err
	}
	if err := writePack(ctx, opt, m, copies, ph); err != nil {
		return rep, err
	}
	rep.Out, rep.People, rep.Photos = opt.Out, len(m.People), len(copies)
	return rep, nil
}

// readLimited reads a whole file of at most limit bytes, into a buffer of
// its size (growing one as it reads would take twice the memory).
func readLimited(path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a pipe blocks until someone writes.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file; want a CSV file", path)
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: larger than %d MiB; is it the right file?", path, limit>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("%s: larger than %d MiB; is it the right file?", path, limit>>20)
	}
	return buf.Bytes(), nil
}

// refuse says why no pack may be written: problems in Strict mode, no
// usable row, or (a bug here) a manifest the pack format refuses.
func refuse(opt Options, rep Report, m *pack.Manifest) error {
	if opt.Strict && len(rep.Rows) > 0 {
		return rep.Rows
	}
	if len(m.People) == 0 {
		return append(rep.Rows[:len(rep.Rows):len(rep.Rows)], RowProblem{File: opt.fileName(), Reason: "no row could be used, so no pack was written"})
	}
	if probs := m.Validate(opt.now()); len(probs) > 0 {
		return fmt.Errorf("packbuild: the built manifest is invalid (a bug): %w", probs)
	}
	return nil
}

// marshalManifest encodes the manifest and reads it back as the kiosk will.
func marshalManifest(m *pack.Manifest, now time.Time) ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("packbuild: encoding pack.json: %w", err)
	}
	data = append(data, '\n')
	back, probs := pack.Parse(data)
	if back != nil {
		probs = append(probs, back.Validate(now)...)
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("packbuild: pack.json does not read back (a bug): %w", probs)
	}
	return data, nil
}

// writePack writes the zip to a temporary file next to opt.Out and renames
// it into place once complete.
func writePack(ctx context.Context, opt Options, m *pack.Manifest, copies []photoCopy, ph *photoDir) error {
	data, err := marshalManifest(m, opt.now())
	if err != nil {
		return err
	}
	return atomicfile.Stream(opt.Out, 0o644, func(f *os.File) error { return writeZip(ctx, f, data, copies, ph, opt.now()) })
}

// writeZip writes pack.json, then every photo byte for byte, checking that
// each still has the hash pack.json lists for it.
func writeZip(ctx context.Context, w io.Writer, manifest []byte, copies []photoCopy, ph *photoDir, now time.Time) error {
	zw := zip.NewWriter(w)
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: pack.ManifestFile, Method: zip.Deflate, Modified: now})
	if err != nil {
		return err
	}
	if _, err := mw.Write(manifest); err != nil {
		return err
	}
	for _, c := range copies {
		if err := ctx.Err(); err != nil {
			return err
		}
		pw, err := zw.CreateHeader(&zip.FileHeader{Name: c.dst, Method: zip.Store, Modified: now})
		if err != nil {
			return err
		}
		if err := ph.copyTo(pw, c); err != nil {
			return err
		}
	}
	return zw.Close()
}
