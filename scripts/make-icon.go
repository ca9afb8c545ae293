//go:build ignore

// make-icon draws assets/icon.png: a portrait silhouette hung from a wire.
// Run: go run scripts/make-icon.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
)

func main() {
	const n = 256
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	bg := color.NRGBA{0x1A, 0x1A, 0x1A, 0xFF}
	card := color.NRGBA{0xF2, 0xEF, 0xE8, 0xFF}
	fig := color.NRGBA{0x3A, 0x3A, 0x3A, 0xFF}
	wire := color.NRGBA{0xC8, 0x10, 0x2E, 0xFF}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			c := bg
			switch {
			case y >= 38 && y < 44: // the wire
				c = wire
			case x >= 120 && x < 136 && y >= 44 && y < 60: // the clip
				c = wire
			case x >= 64 && x < 192 && y >= 60 && y < 232: // the print
				c = card
				dx, dy := float64(x-128), float64(y-120)
				if dx*dx+dy*dy < 30*30 { // head
					c = fig
				}
				sx, sy := float64(x-128)/54, float64(y-232)/70
				if y > 150 && sx*sx+sy*sy < 1 { // shoulders
					c = fig
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	f, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
