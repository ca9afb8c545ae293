package imageprep

import (
	"image"
	"math/rand/v2"
	"testing"
)

// photoLike draws gradients, discs and grain: decode costs like a real photo.
func photoLike(w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			o := img.PixOffset(x, y)
			g := uint8(r.IntN(12))
			img.Pix[o] = uint8(x*255/w) + g
			img.Pix[o+1] = uint8(y*255/h) + g
			dx, dy := x-w/2, y-h/3
			if dx*dx+dy*dy < (h/4)*(h/4) {
				img.Pix[o+2] = 200 + g
			} else {
				img.Pix[o+2] = 60 + g
			}
			img.Pix[o+3] = 255
		}
	}
	return img
}

func BenchmarkPrepare4000x3000(b *testing.B) {
	data, err := EncodeJPEG(photoLike(4000, 3000), 90)
	if err != nil {
		b.Fatal(err)
	}
	opt := DefaultOptions()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Prepare("p.jpg", data, opt); err != nil {
			b.Fatal(err)
		}
	}
}
