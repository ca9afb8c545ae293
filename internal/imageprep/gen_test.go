package imageprep

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The generated conformance suites (gen_*_test.go) are the public sets of
// conformance_test.go made again from pictures drawn here, at test time, in
// a temporary folder, by the Debian tools that scripts/install-deps.sh test
// installs: ImageMagick, cwebp and dwebp, cjpeg, djpeg and jpegtran,
// exiftool. Nothing of theirs is committed, so unlike the public sets they
// run everywhere the tests run, CI included: a missing tool fails the test
// and names its Debian package. They skip only under -short, and under -race
// (the unit run, without -race, runs them; the race detector makes their
// pixel loops some 20 times slower).
//
// Each suite writes files the way a pack's photos come (a tool's own
// encoder), decodes each with an independent reference decoder (ImageMagick
// over libpng, dwebp, djpeg), and compares the kiosk's import (decode and
// fit) with the reference fitted the same way, with checkAgainst and
// maxMeanDiff from conformance_test.go.

// tool is a command a generated suite runs and the Debian package it comes in.
type tool struct{ cmd, pkg string }

var (
	toolConvert  = tool{"convert", "imagemagick"}
	toolCwebp    = tool{"cwebp", "webp"}
	toolDwebp    = tool{"dwebp", "webp"}
	toolCjpeg    = tool{"cjpeg", "libjpeg-turbo-progs"}
	toolDjpeg    = tool{"djpeg", "libjpeg-turbo-progs"}
	toolJpegtran = tool{"jpegtran", "libjpeg-turbo-progs"}
	toolExiftool = tool{"exiftool", "libimage-exiftool-perl"}
)

// generatedSuite starts a generated suite: it skips under -short and -race,
// fails when a tool is missing, and returns a fresh folder to work in.
func generatedSuite(t *testing.T, tools ...tool) string {
	t.Helper()
	if testing.Short() {
		t.Skip("generated conformance suites are not made under -short")
	}
	if raceDetector {
		t.Skip("generated conformance suites run without -race (the unit run makes them)")
	}
	for _, tl := range tools {
		if _, err := exec.LookPath(tl.cmd); err != nil {
			t.Fatalf("%s is not installed: it comes with the Debian package %s (scripts/install-deps.sh test installs it)",
				tl.cmd, tl.pkg)
		}
		if tl == toolConvert {
			out, err := exec.Command(tl.cmd, "-version").CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("ImageMagick")) {
				t.Fatalf("convert here is not ImageMagick's (%v: %.80q): install the Debian package imagemagick", err, out)
			}
		}
	}
	return t.TempDir()
}

// command is one run of a tool, in the suite's folder.
type command struct {
	args []string // args[0] is the tool
}

func cmd(args ...string) command { return command{args: args} }

func (c command) String() string { return strings.Join(c.args, " ") }

// runAll runs commands in dir on every core and fails the test, naming
// the command and what it said, if any of them fails.
func runAll(t *testing.T, dir string, cmds []command) {
	t.Helper()
	queue := make(chan command)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for range min(runtime.NumCPU(), max(len(cmds), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range queue {
				if err := runOne(dir, c); err != nil {
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
				}
			}
		}()
	}
	for _, c := range cmds {
		queue <- c
	}
	close(queue)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d commands failed:\n%s", len(errs), len(cmds), strings.Join(errs, "\n"))
	}
}

func runOne(dir string, c command) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	x := exec.CommandContext(ctx, c.args[0], c.args[1:]...)
	x.Dir = dir
	var stderr bytes.Buffer
	x.Stderr = &stderr
	if err := x.Run(); err != nil {
		return fmt.Errorf("%s: %v: %s", c, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// writeFile writes a file of the suite's folder.
func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readFile reads a file of the suite's folder.
func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writePNG writes an image as PNG with Go's encoder (the tools' input).
func writePNG(t *testing.T, dir, name string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, name, buf.Bytes())
}

// writePPM writes an opaque image as binary PPM, which cjpeg and
// ImageMagick read faster than PNG.
func writePPM(t *testing.T, dir, name string, img *image.RGBA) {
	t.Helper()
	b := img.Bounds()
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := img.Pix[img.PixOffset(x, y):]
			buf.Write(p[:3])
		}
	}
	writeFile(t, dir, name, buf.Bytes())
}

// jpegSegment is one marker segment of a JPEG before its scan.
type jpegSegment struct {
	marker byte
	data   []byte // the whole segment, marker and length included
}

// jpegSegments splits a JPEG into its segments before the first scan and
// the rest (from SOS on).
func jpegSegments(data []byte) ([]jpegSegment, []byte, error) {
	var segs []jpegSegment
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil, nil, fmt.Errorf("no marker at %d", i)
		}
		m := data[i+1]
		if m == 0xDA {
			return segs, data[i:], nil
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if i+2+n > len(data) {
			return nil, nil, fmt.Errorf("segment %X at %d runs past the end", m, i)
		}
		segs = append(segs, jpegSegment{marker: m, data: data[i : i+2+n]})
		i += 2 + n
	}
	return nil, nil, fmt.Errorf("no scan")
}

// app1Kind names an APP1 segment by its signature: "exif", "xmp" or "".
func (s jpegSegment) app1Kind() string {
	switch {
	case s.marker != 0xE1:
		return ""
	case bytes.HasPrefix(s.data[4:], []byte("Exif\x00\x00")):
		return "exif"
	case bytes.HasPrefix(s.data[4:], []byte("http://ns.adobe.com/xap/1.0/\x00")):
		return "xmp"
	}
	return ""
}

// sofPrecision is the sample precision of a JPEG's first frame header.
func sofPrecision(data []byte) int {
	if f, ok := readJPEGFrame(data); ok {
		return f.precision
	}
	return 0
}
