// Command packgen writes a synthetic portrait pack (distinct photo-like JPEGs
// and a valid pack.json) for benchmarks and soak runs.
//
//	packgen -n 100 -size 4000x3000 -o .bench/pack
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func main() {
	n := flag.Int("n", 100, "number of people, each with a photo")
	size := flag.String("size", "4000x3000", "photo size WIDTHxHEIGHT")
	out := flag.String("o", "pack", "output folder")
	id := flag.String("id", "synthetic", "pack id")
	quality := flag.Int("quality", 90, "JPEG quality")
	csv := flag.Bool("csv", false, "also write list.csv (the kiosk's own columns) for kiosk pack build")
	flag.Parse()
	var w, h int
	if _, err := fmt.Sscanf(*size, "%dx%d", &w, &h); err != nil {
		log.Fatalf("-size %q: %v", *size, err)
	}
	err := testpack.Write(*out, testpack.Options{
		ID: *id, People: *n, W: w, H: h, Workers: runtime.NumCPU(),
		Encode: func(img *image.RGBA) ([]byte, error) { return imageprep.EncodeJPEG(img, *quality) },
	})
	if err != nil {
		log.Fatal(err)
	}
	if *csv {
		if err := writeCSV(*out); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %s: %d people with %dx%d photos\n", *out, *n, w, h)
}

// writeCSV writes the pack's people as a spreadsheet, with the photo file
// names relative to the photos folder.
func writeCSV(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, pack.ManifestFile))
	if err != nil {
		return err
	}
	m, probs := pack.Parse(data)
	if err := probs.Err(); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "list.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Comma = ';'
	_ = w.Write([]string{"id", "name", "name.ru", "country", "status", "arrested", "photo"})
	for _, p := range m.People {
		_ = w.Write([]string{p.ID, p.Name["en"], p.Name["ru"], p.Country, p.Status, p.Arrested, strings.TrimPrefix(p.Photo, "photos/")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
