package imageprep

import (
	"image"
	"testing"
)

// TestPreparedSizesFollowThePhotosOwnSize: a JPEG decoded at a reduced DCT
// scale rounds its size up (517×389 at 1/2 is 259×195); the display, master
// and thumbnail must still be the photo's own size fitted, to the pixel.
func TestPreparedSizesFollowThePhotosOwnSize(t *testing.T) {
	for _, sz := range []Size{{517, 389}, {389, 517}, {1001, 333}, {333, 1001}} {
		data := encodeJPEG(t, image.NewRGBA(image.Rect(0, 0, sz.W, sz.H)))
		opt := DefaultOptions()
		opt.Display, opt.Master, opt.Thumb = Size{W: 200, H: 200}, Size{W: 240, H: 240}, Size{W: 60, H: 80}
		p, err := Prepare("p.jpg", data, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			got  Encoded
			box  Size
		}{{"display", p.Display, opt.Display}, {"thumb", p.Thumb, opt.Thumb}} {
			want := FitSize(sz, c.box)
			if c.got.W != want.W || c.got.H != want.H {
				t.Errorf("%v: %s is %dx%d, want %dx%d", sz, c.name, c.got.W, c.got.H, want.W, want.H)
			}
		}
	}
}
