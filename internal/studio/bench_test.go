package studio

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// BenchmarkOpenToFirstPreview is the organizer's wait from opening a
// spreadsheet of 400 people with 1600×1200 photos (as cmd/packgen -csv
// writes it) to the first spotlight drawn at 1920×1080: the build as pack
// build does it, the check, and one slide. scripts/studio-window.sh
// measures the same in a real window with 4000×3000 photos.
func BenchmarkOpenToFirstPreview(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "list")
	err := testpack.Write(dir, testpack.Options{ID: "bench", People: 400, W: 1600, H: 1200, Encode: encode, Workers: runtime.NumCPU()})
	if err != nil {
		b.Fatal(err)
	}
	writeListCSV(b, dir)
	fonts, err := render.LoadFonts()
	if err != nil {
		b.Fatal(err)
	}
	words, err := i18n.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	d := &Drawer{Fonts: fonts, Words: words, Log: discard()}
	st := mustStudio(b, Options{Logger: discard()})
	for b.Loop() {
		s, err := st.Open(context.Background(), filepath.Join(dir, "list.csv"), "")
		if err != nil || len(s.Entries()) != 400 {
			b.Fatalf("%v, %d people", err, len(s.Entries()))
		}
		start := time.Now()
		d.Spotlight(s, 0, imageprep.Size{W: 1920, H: 1080}, "")
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms-slide")
	}
}

// writeListCSV writes the pack's people as list.csv, as cmd/packgen -csv does.
func writeListCSV(b *testing.B, dir string) {
	data, err := os.ReadFile(filepath.Join(dir, pack.ManifestFile))
	if err != nil {
		b.Fatal(err)
	}
	m, probs := pack.Parse(data)
	if err := probs.Err(); err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "list.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Comma = ';'
	_ = w.Write([]string{"id", "name", "name.ru", "country", "status", "arrested", "photo"})
	for _, p := range m.People {
		_ = w.Write([]string{p.ID, p.Name["en"], p.Name["ru"], p.Country, p.Status, p.Arrested, strings.TrimPrefix(p.Photo, "photos/")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
}
