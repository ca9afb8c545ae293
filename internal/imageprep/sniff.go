package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path"
	"strings"

	"golang.org/x/image/webp"
)

// Info describes an image file from its header.
type Info struct {
	Format        string // "jpeg", "png" or "webp"
	Width, Height int    // as stored, before orientation
	Orientation   int    // EXIF orientation 1..8; 1 when absent
}

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
	}
	return "", fmt.Errorf("%w: not a JPEG, PNG or WebP image", ErrUnsupported)
}

var extFormat = map[string]string{".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}

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
	if want, ok := extFormat[ext]; !ok || want != format {
		return Info{}, fmt.Errorf("%w: it is a %s file but its name ends in %q", ErrWrongExtension, formatName[format], ext)
	}
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return Info{}, fmt.Errorf("%w: unreadable %s header: %v", ErrCorrupt, formatName[format], err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("%w: header says %d×%d", ErrCorrupt, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); lim.MaxPixels > 0 && px > lim.MaxPixels {
		return Info{}, fmt.Errorf("%w: header says %d×%d (%d megapixels), the limit is %d megapixels",
			ErrTooLarge, cfg.Width, cfg.Height, px/1_000_000, lim.MaxPixels/1_000_000)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if format == "jpeg" {
		info.Orientation = jpegOrientation(data)
	}
	return info, nil
}

func decodeConfig(format string, data []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panicked: %v", r)
		}
	}()
	r := bytes.NewReader(data)
	switch format {
	case "jpeg":
		return jpeg.DecodeConfig(r)
	case "png":
		return png.DecodeConfig(r)
	default:
		return webp.DecodeConfig(r)
	}
}
