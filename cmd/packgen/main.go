// Command packgen writes a synthetic portrait pack (distinct photo-like JPEGs
// and a valid pack.json) for benchmarks and soak runs.
//
//	packgen -n 100 -size 4000x3000 -o .bench/pack
package main

import (
	"flag"
	"fmt"
	"image"
	"log"
	"runtime"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func main() {
	n := flag.Int("n", 100, "number of people, each with a photo")
	size := flag.String("size", "4000x3000", "photo size WIDTHxHEIGHT")
	out := flag.String("o", "pack", "output folder")
	id := flag.String("id", "synthetic", "pack id")
	quality := flag.Int("quality", 90, "JPEG quality")
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
	fmt.Printf("wrote %s: %d people with %dx%d photos\n", *out, *n, w, h)
}
