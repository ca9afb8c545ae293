package poster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// run runs a tool and returns its standard output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

// pdfInfo returns pdfinfo's "Pages" and "Page size" lines' values.
func pdfInfo(t *testing.T, pdf string) (pages int, size string) {
	t.Helper()
	for _, l := range strings.Split(run(t, "pdfinfo", pdf), "\n") {
		k, v, _ := strings.Cut(l, ":")
		switch k {
		case "Pages":
			pages, _ = strconv.Atoi(strings.TrimSpace(v))
		case "Page size":
			size = strings.TrimSpace(v)
		}
	}
	return pages, size
}

// decodePage renders page n at 150 dpi and returns the sorted links zbar reads.
func decodePage(t *testing.T, pdf string, n int) []string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "150", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-singlefile", "-png", pdf, prefix)
	cmd := exec.Command("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", prefix+".png")
	out, _ := cmd.Output() // exit 4 means no code found: an empty list
	var urls []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			urls = append(urls, l)
		}
	}
	slices.Sort(urls)
	return urls
}

// The placards: one page per person at the paper's size, every font
// embedded, only photos as images (the codes are vector), Persian in
// logical order, and on each page exactly the codes its status allows.
func TestPlacards(t *testing.T) {
	testpack.NeedTools(t, "pdfinfo", "pdffonts", "pdfimages", "pdftotext", "pdftoppm", "zbarimg")
	pk := writeTestPack(t, t.TempDir())
	for _, tc := range []struct {
		paper, size string
	}{
		{PaperA4, "595.28 x 841.89 pts (A4)"},
		{PaperLetter, "612 x 792 pts (letter)"},
	} {
		t.Run(tc.paper, func(t *testing.T) {
			pdf := filepath.Join(t.TempDir(), "p.pdf")
			rep := writePDF(t, pk, pdf, Options{Paper: tc.paper})
			pages, size := pdfInfo(t, pdf)
			if pages != 5 || rep.Pages != 5 {
				t.Errorf("%d pages (report %d), want one per person: 5", pages, rep.Pages)
			}
			if size != tc.size {
				t.Errorf("page size %q, want %q", size, tc.size)
			}
			checkFonts(t, pdf)
			checkImages(t, pdf, 4) // five people, one without consent to show a photo
			if rep.Photos != 4 || rep.PassedThrough != 3 {
				t.Errorf("report %+v: want 4 photos, 3 of them embedded as they were (one is 3000×4000)", rep)
			}
			text := run(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
			for _, want := range []string{
				"Hanna Ablab", "Ганна Аблаб", persianName, "Art. 356 High treason", "11 years of imprisonment",
				"Arrested: 15 March 2022", "Write in Russian or", "Held incommunicado", "No photo is shown: consent was not given.", "example.org",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q", want)
				}
			}
			wantCodes := [][]string{
				{urlPetitionHanna, urlLetterHanna},
				{urlPackPetition}, // held incommunicado: no letter code; no petition of her own: the pack's
				{urlDonateFreed},  // released: no letter, no petition
				{urlProfileDied},  // died in custody: "Remember", no letter, no petition
				{urlPackPetition},
			}
			for i, want := range wantCodes {
				slices.Sort(want)
				if got := decodePage(t, pdf, i+1); !slices.Equal(got, want) {
					t.Errorf("page %d: zbarimg reads %q, want %q", i+1, got, want)
				}
			}
		})
	}
}

// checkFonts wants the kiosk's three fonts, each embedded with a ToUnicode map.
func checkFonts(t *testing.T, pdf string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(run(t, "pdffonts", pdf)), "\n")[2:]
	if len(lines) != 3 {
		t.Errorf("pdffonts lists %d fonts, want 3:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		f := strings.Fields(l)
		// name type type encoding emb sub uni object ID
		if len(f) < 9 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("font not embedded with a ToUnicode map: %s", l)
		}
	}
}

// checkImages wants exactly n images, all JPEG: the QR codes are not images.
func checkImages(t *testing.T, pdf string, n int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", pdf)), "\n")[2:]
	if len(lines) != n {
		t.Errorf("pdfimages lists %d images, want the %d photos only:\n%s", len(lines), n, strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) < 9 || f[8] != "jpeg" {
			t.Errorf("image not embedded as JPEG: %s", l)
		}
	}
}

// Persian placards: the words come out of the PDF in logical order.
func TestPersianLogicalOrder(t *testing.T) {
	testpack.NeedTools(t, "pdftotext")
	pdf := filepath.Join(t.TempDir(), "fa.pdf")
	writePDF(t, writeTestPack(t, t.TempDir()), pdf, Options{Lang: "fa"})
	text := run(t, "pdftotext", "-f", "2", "-l", "2", "-enc", "UTF-8", pdf, "-")
	for _, want := range []string{persianName, "فعال دانشجویی که در زندان اوین", "ایران"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q in logical order:\n%s", want, text)
		}
	}
}

// Wire strips: ceil(people/StripsPerSheet) A3 sheets, the pack's code on each.
func TestStrips(t *testing.T) {
	testpack.NeedTools(t, "pdfinfo", "pdffonts", "pdfimages", "pdftoppm", "zbarimg")
	pdf := filepath.Join(t.TempDir(), "s.pdf")
	rep := writePDF(t, writeTestPack(t, t.TempDir()), pdf, Options{Paper: PaperA3Strips})
	pages, size := pdfInfo(t, pdf)
	if pages != 1 || rep.Pages != 1 || size != "841.89 x 1190.55 pts (A3)" {
		t.Errorf("%d page(s) of %s, want 1 of A3", pages, size)
	}
	checkFonts(t, pdf)
	checkImages(t, pdf, 4)
	if got := decodePage(t, pdf, 1); !slices.Equal(got, []string{urlPackPetition}) {
		t.Errorf("zbarimg reads %q, want the pack's own code %q", got, urlPackPetition)
	}

	big := t.TempDir()
	err := testpack.Write(big, testpack.Options{ID: "big", People: 2*StripsPerSheet + 1, W: 120, H: 160, Encode: encodeJPEG})
	if err != nil {
		t.Fatal(err)
	}
	rep = writePDF(t, big, pdf, Options{Paper: PaperA3Strips})
	if pages, _ := pdfInfo(t, pdf); pages != 3 || rep.Pages != 3 {
		t.Errorf("%d people on %d sheets (report %d), want 3", 2*StripsPerSheet+1, pages, rep.Pages)
	}
}

func encodeJPEG(img *image.RGBA) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes(), err
}

// From the cache: the installed pack's people and master images, the
// same codes; the masters are embedded as they are.
func TestFromStore(t *testing.T) {
	testpack.NeedTools(t, "pdfinfo", "pdfimages", "pdftoppm", "zbarimg")
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := importer.Import(context.Background(), st, writeTestPack(t, t.TempDir()), importer.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	people, err := FromStore(st)
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "c.pdf")
	f, err := os.Create(pdf)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Write(context.Background(), f, people, Options{Now: testNow})
	if err := errors.Join(err, f.Close()); err != nil {
		t.Fatal(err)
	}
	if pages, _ := pdfInfo(t, pdf); pages != 5 {
		t.Errorf("%d pages, want 5", pages)
	}
	checkImages(t, pdf, 4)
	if rep.PassedThrough != 4 {
		t.Errorf("report %+v: want the 4 cached masters embedded as they are", rep)
	}
	if got := decodePage(t, pdf, 4); !slices.Equal(got, []string{urlProfileDied}) {
		t.Errorf("died in custody, from the cache: zbarimg reads %q, want only %q", got, urlProfileDied)
	}
}

// The cross-reference table points at every object, byte for byte: a
// reader that trusts it (not every one repairs a file as poppler does)
// finds each object where the table says.
func TestCrossReference(t *testing.T) {
	var b bytes.Buffer
	people, closePack, err := FromPack(context.Background(), writeTestPack(t, t.TempDir()), testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer closePack()
	if _, err := Write(context.Background(), &b, people, Options{Now: testNow, Paper: PaperA3Strips}); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(data[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the table", xref)
	}
	rows := strings.Split(string(data[xref:]), "\n")
	count, _ := strconv.Atoi(strings.Fields(rows[1])[1])
	for i := 1; i < count; i++ {
		off, _ := strconv.Atoi(rows[2+i][:10])
		if want := fmt.Sprintf("%d 0 obj\n", i); !bytes.HasPrefix(data[off:], []byte(want)) {
			t.Errorf("object %d: the table says offset %d, which holds %q", i, off, data[off:off+12])
		}
	}
}

// Errors name what is wrong: the paper, or the pack's file, person and field.
func TestErrors(t *testing.T) {
	pk := writeTestPack(t, t.TempDir())
	people, closePack, err := FromPack(context.Background(), pk, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer closePack()
	if _, err := Write(context.Background(), io.Discard, people, Options{Paper: "a5"}); !errors.Is(err, ErrPaper) {
		t.Errorf("paper a5: %v, want ErrPaper", err)
	}
	if _, err := Write(context.Background(), io.Discard, nil, Options{}); !errors.Is(err, ErrNoPeople) {
		t.Errorf("no people: %v, want ErrNoPeople", err)
	}
	if err := os.Remove(filepath.Join(pk, "photos", "hanna.jpg")); err != nil {
		t.Fatal(err)
	}
	_, _, err = FromPack(context.Background(), pk, testNow)
	if err == nil || !strings.Contains(err.Error(), "photos/hanna.jpg") || !strings.Contains(err.Error(), "hanna-ablab") || !strings.Contains(err.Error(), "photo") {
		t.Errorf("missing photo: %v, want the file, the person and the field named", err)
	}
	// A photo that turns bad after the check names the person and the field.
	people[0].Photo = func() (string, []byte, error) { return "photos/hanna.jpg", []byte("not a jpeg"), nil }
	_, err = Write(context.Background(), io.Discard, people, Options{Now: testNow})
	if err == nil || !strings.Contains(err.Error(), `"hanna-ablab"`) || !strings.Contains(err.Error(), "field photo") || !strings.Contains(err.Error(), "photos/hanna.jpg") {
		t.Errorf("bad photo: %v, want the person, the field and the file named", err)
	}
}

// A cancelled run stops and says so.
func TestCancel(t *testing.T) {
	people, closePack, err := FromPack(context.Background(), writeTestPack(t, t.TempDir()), testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer closePack()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if _, err := Write(ctx, io.Discard, people, Options{Now: testNow}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v after cancelling", d)
	}
}
