package imageprep

import (
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// withSize rewrites a JPEG's frame header (SOFn) to claim w×h.
func withSize(t *testing.T, data []byte, w, h int) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	for i := 2; i+9 < len(out); {
		if out[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		m := out[i+1]
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			binary.BigEndian.PutUint16(out[i+5:], uint16(h))
			binary.BigEndian.PutUint16(out[i+7:], uint16(w))
			return out
		}
		i += 2 + int(binary.BigEndian.Uint16(out[i+2:]))
	}
	t.Fatal("no frame header")
	return nil
}

// A 100-megapixel progressive JPEG (within the format's pixel limit) holds
// every coefficient in either decoder, far more than one decode may take:
// it is refused as too large, by its size, before anything is allocated,
// on both builds (the pure-Go one would have held about 730 MB).
func TestHugeProgressiveJPEGRefusedWithinBudget(t *testing.T) {
	data := withSize(t, fixture(t, "progressive.jpg"), 10000, 9999)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := Decode("huge.jpg", data, DefaultOptions().Display, DefaultLimits())
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10000×9999") {
		t.Fatalf("err %v, want ErrTooLarge naming 10000×9999", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Fatalf("the refusal allocated %d MB", grew>>20)
	}
}
