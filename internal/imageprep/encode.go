package imageprep

import "image"

// EncodeJPEG encodes an opaque image as a baseline JPEG at quality 1..100.
func EncodeJPEG(img *image.RGBA, quality int) ([]byte, error) {
	return tjEncode(img, min(max(quality, 1), 100))
}
