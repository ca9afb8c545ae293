package render

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
)

// The wall's backdrop cut into patches and drawn over a plain backdrop is
// the backdrop, and the patches cover a small part of the screen (the
// point of cutting it).
func TestWallBackdropPatches(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []imageprep.Size{{W: 1920, H: 1080}, {W: 1080, H: 1920}, {W: 1280, H: 720}} {
		for _, n := range []int{3, 400} {
			t.Run(fmt.Sprintf("%dx%d/%d", size.W, size.H, n), func(t *testing.T) {
				g := NewWallGeometry(size, n)
				back := WallBackdrop(f, g, "Day of Solidarity with Political Prisoners of Belarus", fmt.Sprintf("%d political prisoners in Belarus · as of 20 May 2024 · Viasna", n))
				patches := Patches(back, Backdrop)
				if len(patches) < len(g.Rows)+1 {
					t.Fatalf("%d patches for %d wires and a title", len(patches), len(g.Rows))
				}
				again := image.NewRGBA(back.Bounds())
				draw.Draw(again, again.Bounds(), image.NewUniform(Backdrop), image.Point{}, draw.Src)
				area := 0
				for _, p := range patches {
					r := p.Image.Bounds().Add(p.At)
					draw.Draw(again, r, p.Image, image.Point{}, draw.Src)
					area += r.Dx() * r.Dy()
				}
				if !bytes.Equal(again.Pix, back.Pix) {
					t.Fatal("the patches over a plain backdrop are not the backdrop")
				}
				if share := float64(area) / float64(size.W*size.H); share > 0.4 {
					t.Fatalf("patches cover %.0f%% of the screen", share*100)
				} else {
					t.Logf("%d patches, %.0f%% of the screen", len(patches), share*100)
				}
			})
		}
	}
}
