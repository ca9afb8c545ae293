package imageprep

import (
	"fmt"
	"image"
)

// Options configure Prepare.
type Options struct {
	// Display is the screen the display image is fitted to.
	Display Size
	// Master is the box the kept master must cover, so that other screen
	// sizes can be derived later without the original pack.
	Master Size
	// Thumb is the box of the small image the wall hangs (prepared here,
	// at import, so a wall of thousands never decodes a large image).
	Thumb Size
	// Quality is the JPEG quality of the stored images.
	Quality int
	Limits  Limits
}

// DefaultOptions fit photos to a 1920×1080 screen and keep a master that
// covers 1920×1920 (any 1080p or 1440p screen, landscape or portrait).
func DefaultOptions() Options {
	return Options{
		Display: Size{W: 1920, H: 1080},
		Master:  Size{W: 1920, H: 1920},
		Thumb:   ThumbBox,
		Quality: 88,
		Limits:  DefaultLimits(),
	}
}

// ThumbBox is the default box of the wall's small images.
var ThumbBox = Size{W: 240, H: 320}

// masterSlack is how much larger than its box a decoded image may be and
// still be kept as the master as it is: resampling it once more would cost
// time and sharpness for a few percent of bytes.
const masterSlack = 1.25

// Encoded is one encoded image and its size.
type Encoded struct {
	JPEG []byte
	W, H int
}

// Prepared is what the store keeps of one photo.
type Prepared struct {
	Info    Info
	Display Encoded
	Master  Encoded
	Thumb   Encoded // empty when Options.Thumb is zero
}

// Prepare decodes a photo once, at the scale that covers both the display
// and the master, and returns both encoded. Neither is ever upscaled.
func Prepare(name string, data []byte, opt Options) (*Prepared, error) {
	info, err := Inspect(name, data, opt.Limits)
	if err != nil {
		return nil, err
	}
	src := info.Oriented()
	d, m := FitSize(src, opt.Display), FitSize(src, opt.Master)
	need := Size{W: max(d.W, m.W), H: max(d.H, m.H)}
	img, _, err := Decode(name, data, need, opt.Limits)
	if err != nil {
		return nil, err
	}
	// Target sizes come from the photo's own size: a decode at a reduced
	// DCT scale rounds up, and fitting from it could be a pixel off.
	master := img
	if b := img.Bounds(); float64(b.Dx()) > masterSlack*float64(m.W) || float64(b.Dy()) > masterSlack*float64(m.H) {
		master = scaleTo(img, m)
	}
	display := scaleTo(master, d)
	out := &Prepared{Info: info}
	if out.Master, err = encode(master, opt.Quality); err != nil {
		return nil, err
	}
	if out.Display, err = encode(display, opt.Quality); err != nil {
		return nil, err
	}
	if opt.Thumb.W > 0 && opt.Thumb.H > 0 {
		thumb := Fit(display, opt.Thumb) // never larger than the display image
		if t, db := FitSize(src, opt.Thumb), display.Bounds(); t.W <= db.Dx() && t.H <= db.Dy() {
			thumb = scaleTo(display, t)
		}
		if out.Thumb, err = encode(thumb, opt.Quality); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func encode(img *image.RGBA, quality int) (Encoded, error) {
	data, err := EncodeJPEG(img, quality)
	if err != nil {
		return Encoded{}, fmt.Errorf("encoding: %w", err)
	}
	b := img.Bounds()
	return Encoded{JPEG: data, W: b.Dx(), H: b.Dy()}, nil
}
