// Package qrtest reads QR codes off a screen the way a visitor's phone does
// from a few metres: the screenshot scaled down to what the camera resolves,
// turned in perspective, blurred and saved as a JPEG, then decoded with two
// independent readers (zbar and ZXing-C++). Tests and the figures script use
// it; the kiosk does not.
package qrtest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/disintegration/imaging"
)

// Camera is how the phone sees the screen.
type Camera struct {
	Long    int     // pixels across the screen's longer side in the camera image
	YawDeg  float64 // the phone's turn away from square-on, in degrees
	Blur    float64 // Gaussian blur sigma in camera pixels
	Quality int     // JPEG quality
}

// Phone is the visitor: 640 px across the long side, 20°, 1 px blur, JPEG 60.
var Phone = Camera{Long: 640, YawDeg: 20, Blur: 1, Quality: 60}

// Degrade returns the JPEG a phone would take of src.
func Degrade(src image.Image, c Camera) []byte {
	b := src.Bounds()
	w, h := c.Long, c.Long*b.Dy()/b.Dx()
	if b.Dy() > b.Dx() {
		w, h = c.Long*b.Dx()/b.Dy(), c.Long
	}
	small := imaging.Resize(src, w, h, imaging.Linear)
	warped := perspective(small, c.YawDeg)
	if c.Blur > 0 {
		warped = imaging.Blur(warped, c.Blur)
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, warped, &jpeg.Options{Quality: c.Quality})
	return buf.Bytes()
}

// perspective turns the screen by yaw degrees about its vertical axis, seen
// by a camera as far away as the screen's long side (a phone's usual field
// of view, about 53°, with the screen filling it), and scales the result
// back into the same frame. The room around the screen is dark.
func perspective(src *image.NRGBA, yaw float64) *image.NRGBA {
	W, H := src.Bounds().Dx(), src.Bounds().Dy()
	out := imaging.New(W, H, color.NRGBA{0x18, 0x18, 0x18, 0xFF})
	if yaw == 0 {
		return imaging.Overlay(out, src, image.Point{}, 1)
	}
	s, co := math.Sin(yaw*math.Pi/180), math.Cos(yaw*math.Pi/180)
	d := float64(max(W, H)) // camera distance; focal length the same
	f := d
	project := func(x, y float64) (float64, float64) {
		z := d + x*s
		return f * x * co / z, f * y / z
	}
	// Bounds of the projected screen, to scale it into the frame.
	minU, maxU, maxV := math.Inf(1), math.Inf(-1), 0.0
	for _, x := range []float64{-float64(W) / 2, float64(W) / 2} {
		for _, y := range []float64{-float64(H) / 2, float64(H) / 2} {
			u, v := project(x, y)
			minU, maxU, maxV = math.Min(minU, u), math.Max(maxU, u), math.Max(maxV, math.Abs(v))
		}
	}
	k := math.Min(float64(W)/(maxU-minU), float64(H)/(2*maxV))
	cu := (minU + maxU) / 2
	for py := 0; py < H; py++ {
		for px := 0; px < W; px++ {
			u := (float64(px)+0.5-float64(W)/2)/k + cu
			v := (float64(py) + 0.5 - float64(H)/2) / k
			x := u * d / (f*co - u*s)
			y := v * (d + x*s) / f
			sx, sy := x+float64(W)/2-0.5, y+float64(H)/2-0.5
			if sx < 0 || sy < 0 || sx > float64(W-1) || sy > float64(H-1) {
				continue
			}
			out.SetNRGBA(px, py, bilinear(src, sx, sy))
		}
	}
	return out
}

func bilinear(img *image.NRGBA, x, y float64) color.NRGBA {
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, img.Rect.Dx()-1), min(y0+1, img.Rect.Dy()-1)
	fx, fy := x-float64(x0), y-float64(y0)
	var out [4]uint8
	for i := 0; i < 4; i++ {
		a := float64(img.Pix[img.PixOffset(x0, y0)+i])
		b := float64(img.Pix[img.PixOffset(x1, y0)+i])
		c := float64(img.Pix[img.PixOffset(x0, y1)+i])
		e := float64(img.Pix[img.PixOffset(x1, y1)+i])
		out[i] = uint8(a*(1-fx)*(1-fy) + b*fx*(1-fy) + c*(1-fx)*fy + e*fx*fy + 0.5)
	}
	return color.NRGBA{out[0], out[1], out[2], out[3]}
}

// Readers are the two decoders; Missing lists those not installed.
type Readers struct {
	Zbar    string // zbarimg's path
	Python  string // a python3 with the zxingcpp module
	Missing []string
}

// FindReaders looks for zbarimg and a python3 that imports zxingcpp.
func FindReaders() Readers {
	var r Readers
	if p, err := exec.LookPath("zbarimg"); err == nil {
		r.Zbar = p
	} else {
		r.Missing = append(r.Missing, "zbarimg (zbar-tools)")
	}
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if p, err := exec.LookPath(py); err == nil && exec.Command(p, "-c", "import zxingcpp, numpy").Run() == nil {
			r.Python = p
			break
		}
	}
	if r.Python == "" {
		r.Missing = append(r.Missing, "ZXing-C++ (python3-zxing-cpp)")
	}
	return r
}

// Read decodes every code in the JPEG with both readers, each list sorted.
func (r Readers) Read(jpg []byte, dir string) (zbar, zxing []string, err error) {
	path := filepath.Join(dir, "phone.jpg")
	if err := os.WriteFile(path, jpg, 0o644); err != nil {
		return nil, nil, err
	}
	if r.Zbar != "" {
		out, err := exec.Command(r.Zbar, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).Output()
		if err != nil && len(out) > 0 { // exit 4 is "nothing found"
			return nil, nil, fmt.Errorf("zbarimg: %w", err)
		}
		zbar = lines(string(out))
	}
	if r.Python != "" {
		img, err := jpeg.Decode(bytes.NewReader(jpg))
		if err != nil {
			return nil, nil, err
		}
		g := imaging.Grayscale(img)
		raw := make([]byte, 0, g.Rect.Dx()*g.Rect.Dy())
		for i := 0; i < len(g.Pix); i += 4 {
			raw = append(raw, g.Pix[i])
		}
		rawPath := filepath.Join(dir, "phone.gray")
		if err := os.WriteFile(rawPath, raw, 0o644); err != nil {
			return nil, nil, err
		}
		script := fmt.Sprintf(`import zxingcpp, numpy as np
a = np.fromfile(%q, dtype=np.uint8).reshape(%d, %d)
for r in zxingcpp.read_barcodes(a, formats=zxingcpp.BarcodeFormat.QRCode):
    print(r.text)`, rawPath, g.Rect.Dy(), g.Rect.Dx())
		out, err := exec.Command(r.Python, "-c", script).Output()
		if err != nil {
			return nil, nil, fmt.Errorf("zxingcpp: %w", err)
		}
		zxing = lines(string(out))
	}
	return zbar, zxing, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}
