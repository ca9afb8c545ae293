//go:build cgo && !purejpeg && !windows

package imageprep

/*
#cgo pkg-config: libturbojpeg
#include <turbojpeg.h>
#ifdef __GLIBC__
#include <malloc.h>
// kioskMallocSetup fixes glibc's mmap threshold at 1 MiB. By default it
// rises to the size of the last large block freed (up to 32 MiB), after
// which libjpeg's large arrays (a progressive JPEG's coefficients: 150 MB
// at 50 MP) come from per-thread arenas that keep the memory after free:
// two decodes one after the other on two threads then held both.
static void kioskMallocSetup(void) { mallopt(M_MMAP_THRESHOLD, 1 << 20); }
#else
static void kioskMallocSetup(void) {}
#endif
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// The cgo surface: libjpeg-turbo's TurboJPEG API, used to decode JPEG at a
// reduced DCT scale (1/8 … 8/8) and to encode. Go memory is passed for the
// duration of one call only and never retained by C.

func init() { C.kioskMallocSetup() }

// haveTurboJPEG tells which JPEG path this build has (jpeg_pure.go is the other).
const haveTurboJPEG = true

// tjHeader is what the JPEG header says.
type tjHeader struct {
	w, h int
	cmyk bool // CMYK or YCCK, which TurboJPEG cannot turn into RGB
}

func tjError(h C.tjhandle) string {
	return C.GoString(C.tjGetErrorStr2(h))
}

// tjReadHeader reads a JPEG's header the way tjDecodeScaled will. It refuses
// some valid files (libjpeg-turbo 2.1.5 cannot name the subsampling of 4:1:0
// JPEGs), which Go's decoder then reads.
func tjReadHeader(data []byte) (tjHeader, error) {
	if len(data) == 0 {
		return tjHeader{}, errors.New("libjpeg-turbo: empty file")
	}
	h := C.tjInitDecompress()
	if h == nil {
		return tjHeader{}, errors.New("libjpeg-turbo: cannot start a decoder")
	}
	defer C.tjDestroy(h)
	var w, ht, subsamp, cs C.int
	if C.tjDecompressHeader3(h, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &w, &ht, &subsamp, &cs) != 0 {
		return tjHeader{}, fmt.Errorf("libjpeg-turbo: %s", tjError(h))
	}
	return tjHeader{w: int(w), h: int(ht), cmyk: cs == C.TJCS_CMYK || cs == C.TJCS_YCCK}, nil
}

// tjDecodeScaled decodes a JPEG into RGBA at the smallest DCT scale whose
// result is at least min (min {0,0} decodes at full size).
func tjDecodeScaled(data []byte, min Size) (*image.RGBA, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrCorrupt)
	}
	h := C.tjInitDecompress()
	if h == nil {
		return nil, errors.New("libjpeg-turbo: cannot start a decoder")
	}
	defer C.tjDestroy(h)
	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	var w, ht, subsamp, cs C.int
	if C.tjDecompressHeader3(h, src, C.ulong(len(data)), &w, &ht, &subsamp, &cs) != 0 {
		return nil, fmt.Errorf("%w: libjpeg-turbo: %s", ErrCorrupt, tjError(h))
	}
	if cs == C.TJCS_CMYK || cs == C.TJCS_YCCK {
		return nil, fmt.Errorf("%w: libjpeg-turbo cannot turn CMYK into RGB", ErrCorrupt)
	}
	sw, sh := scaledSize(int(w), int(ht), min)
	img := image.NewRGBA(image.Rect(0, 0, sw, sh))
	flags := C.int(C.TJFLAG_STOPONWARNING | C.TJFLAG_LIMITSCANS)
	if C.tjDecompress2(h, src, C.ulong(len(data)), (*C.uchar)(unsafe.Pointer(&img.Pix[0])),
		C.int(sw), C.int(img.Stride), C.int(sh), C.TJPF_RGBA, flags) != 0 {
		return nil, fmt.Errorf("%w: libjpeg-turbo: %s", ErrCorrupt, tjError(h))
	}
	return img, nil
}

// scaledSize picks the smallest TurboJPEG scaling factor whose output still
// covers min in both dimensions.
func scaledSize(w, h int, min Size) (int, int) {
	var n C.int
	factors := unsafe.Slice(C.tjGetScalingFactors(&n), int(n))
	bw, bh := w, h
	for _, f := range factors {
		num, den := int(f.num), int(f.denom)
		if num > den {
			continue // never upscale
		}
		sw, sh := (w*num+den-1)/den, (h*num+den-1)/den
		if sw >= min.W && sh >= min.H && sw*sh < bw*bh {
			bw, bh = sw, sh
		}
	}
	return bw, bh
}

// tjEncode encodes an opaque RGBA image as a baseline 4:2:0 JPEG.
func tjEncode(img *image.RGBA, quality int) ([]byte, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, errors.New("encoding an empty image")
	}
	h := C.tjInitCompress()
	if h == nil {
		return nil, errors.New("libjpeg-turbo: cannot start an encoder")
	}
	defer C.tjDestroy(h)
	var out *C.uchar
	var size C.ulong
	pix := img.Pix[img.PixOffset(b.Min.X, b.Min.Y):]
	if C.tjCompress2(h, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(b.Dx()), C.int(img.Stride), C.int(b.Dy()),
		C.TJPF_RGBA, &out, &size, C.TJSAMP_420, C.int(quality), 0) != 0 {
		return nil, fmt.Errorf("encoding JPEG: %s", tjError(h))
	}
	defer C.tjFree(out)
	return C.GoBytes(unsafe.Pointer(out), C.int(size)), nil
}
