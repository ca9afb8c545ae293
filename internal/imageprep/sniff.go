package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"path"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// Info describes an image file from its header.
type Info struct {
	Format        string // "jpeg", "png" or "webp"
	Width, Height int    // as stored, before orientation
	Orientation   int    // EXIF orientation 1..8; 1 when absent

	decoder decoder // the library that read the header, which decodes the pixels

	// For the memory a decode takes (decodeCost).
	jpeg         jpegFrame // a JPEG's frame header (samples 0 when unread)
	alpha        bool      // a WebP with an alpha channel
	webpLossless bool      // a lossless WebP (libwebp then holds it whole)
	png          [13]byte  // a PNG's IHDR data (a copy: Info must not pin the file)
}

// decoder names the library that reads a file's header and decodes it.
type decoder uint8

const (
	decGo    decoder = iota // Go's image/png or image/jpeg
	decTurbo                // libjpeg-turbo
	decWebP                 // libwebp
)

// Oriented is the size after the orientation is applied.
func (i Info) Oriented() Size {
	if i.Orientation >= 5 && i.Orientation <= 8 {
		return Size{W: i.Height, H: i.Width}
	}
	return Size{W: i.Width, H: i.Height}
}

// sniff names the format from the first bytes.
func sniff(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", fmt.Errorf("%w: the file is empty", ErrCorrupt)
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg", nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png", nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp", nil
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		brand := string(data[8:12])
		if strings.HasPrefix(brand, "hei") || strings.HasPrefix(brand, "hev") || brand == "mif1" || brand == "msf1" || brand == "avif" {
			return "", fmt.Errorf("%w: a HEIC/HEIF photo (as iPhones save them): export it as JPEG", ErrUnsupported)
		}
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "", fmt.Errorf("%w: a GIF image: export it as JPEG or PNG", ErrUnsupported)
	case looksLikePNG(data):
		return "", fmt.Errorf("%w: it looks like a damaged PNG: its first 8 bytes are not the PNG signature "+
			"(changed in transfer, e.g. copied as text?)", ErrCorrupt)
	}
	return "", fmt.Errorf("%w: not a JPEG, PNG or WebP image", ErrUnsupported)
}

// looksLikePNG tells whether a file that lacks the PNG signature is a PNG
// whose first bytes were damaged: most of the signature is still there, or
// the first chunk is IHDR. Copying as text, which turns CR LF into LF or the
// reverse, and flipped bits do that.
func looksLikePNG(data []byte) bool {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(data) < 16 {
		return false
	}
	same := 0
	for i := range len(sig) {
		if data[i] == sig[i] {
			same++
		}
	}
	return same >= 5 || string(data[1:4]) == "PNG" || bytes.Contains(data[8:min(len(data), 20)], []byte("IHDR"))
}

var formatName = map[string]string{"jpeg": "JPEG", "png": "PNG", "webp": "WebP"}

// Inspect checks an image file without decoding its pixels: the byte size,
// the format against the file name's extension, and the pixel count from the
// header, and reads the EXIF orientation.
func Inspect(name string, data []byte, lim Limits) (Info, error) {
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return Info{}, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	format, err := sniff(data)
	if err != nil {
		return Info{}, err
	}
	ext := strings.ToLower(path.Ext(name))
	if want := pack.PhotoFormat(ext); want == "" || want != format {
		return Info{}, fmt.Errorf("%w: it is a %s file but its name ends in %q", ErrWrongExtension, formatName[format], ext)
	}
	cfg, dec, err := readHeader(format, data)
	if err != nil {
		return Info{}, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("%w: header says %d×%d", ErrCorrupt, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); lim.MaxPixels > 0 && px > lim.MaxPixels {
		return Info{}, fmt.Errorf("%w: header says %d×%d (%d megapixels), the limit is %d megapixels",
			ErrTooLarge, cfg.Width, cfg.Height, px/1_000_000, lim.MaxPixels/1_000_000)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1, decoder: dec}
	switch format {
	case "jpeg":
		info.Orientation = jpegOrientation(data)
		info.jpeg, _ = readJPEGFrame(data)
	case "png":
		copy(info.png[:], data[16:29]) // png.DecodeConfig read the IHDR chunk there
	case "webp":
		if f, err := webpHeader(data); err == nil {
			info.alpha, info.webpLossless = f.alpha, f.lossless
		}
	}
	return info, nil
}

// readHeader reads the size from the header with the library that will
// decode the pixels, and names that library.
func readHeader(format string, data []byte) (image.Config, decoder, error) {
	switch format {
	case "jpeg":
		return jpegHeader(data)
	case "png":
		cfg, err := goConfig(png.DecodeConfig, data)
		if err != nil {
			return cfg, decGo, fmt.Errorf("%w: unreadable PNG header: %v", ErrCorrupt, err)
		}
		return cfg, decGo, nil
	}
	f, err := webpHeader(data)
	switch {
	case err != nil:
		return image.Config{}, decWebP, fmt.Errorf("%w: unreadable WebP header: %v", ErrCorrupt, err)
	case f.animated:
		return image.Config{}, decWebP, fmt.Errorf("%w: an animated WebP: export one frame as JPEG or PNG", ErrUnsupported)
	}
	return image.Config{Width: f.w, Height: f.h}, decWebP, nil
}

// jpegHeader refuses the kinds of JPEG no decoder here reads, then reads the
// header with libjpeg-turbo, which decodes fastest and at a reduced scale,
// or with Go's decoder when libjpeg-turbo refuses it (4:1:0 subsampling in
// libjpeg-turbo 2.1.5) or cannot give RGB (CMYK and YCCK).
func jpegHeader(data []byte) (image.Config, decoder, error) {
	if f, ok := readJPEGFrame(data); ok {
		if err := f.unsupported(); err != nil {
			return image.Config{}, decTurbo, err
		}
	}
	th, terr := tjReadHeader(data)
	if terr == nil && !th.cmyk {
		return image.Config{Width: th.w, Height: th.h}, decTurbo, nil
	}
	cfg, gerr := goConfig(jpeg.DecodeConfig, data)
	switch {
	case gerr == nil:
		return cfg, decGo, nil
	case terr == nil: // a CMYK JPEG whose header Go refuses
		return cfg, decGo, fmt.Errorf("%w: unreadable CMYK JPEG header: %v", ErrCorrupt, gerr)
	case !haveTurboJPEG:
		return cfg, decGo, fmt.Errorf("%w: unreadable JPEG header: %v", ErrCorrupt, gerr)
	}
	return cfg, decTurbo, fmt.Errorf("%w: unreadable JPEG header: %v", ErrCorrupt, terr)
}

// goConfig reads a header with a standard-library decoder, turning a panic
// into an error.
func goConfig(dec func(io.Reader) (image.Config, error), data []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panicked: %v", r)
		}
	}()
	return dec(bytes.NewReader(data))
}
