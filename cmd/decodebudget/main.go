// Command decodebudget measures what the kiosk's photo decode costs in time
// and peak resident memory, for scripts/decode-budget.sh (issue 18, item 1).
//
//	decodebudget gen -o DIR [-mp 25,50,100]   write PNG (flat and noisy), JPEG (baseline, progressive) and WebP files
//	decodebudget png -o FILE -size WxH [-noisy] write one PNG row by row
//	decodebudget prepare [-copies N] FILE       prepare FILE as an import does (N copies on every core)
//
// prepare prints one line: the file, its format and size, the wall time and
// the process's peak RSS (getrusage), so each figure comes from a fresh
// process.
package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: decodebudget gen|png|prepare ...")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	out := fs.String("o", "", "output folder (gen) or file (png)")
	mps := fs.String("mp", "25,50,100", "megapixel sizes (gen)")
	size := fs.String("size", "", "WxH (png)")
	noisy := fs.Bool("noisy", false, "a gradient with noise instead of one colour (png)")
	copies := fs.Int("copies", 1, "prepare this many copies of the file at once, on every core (prepare)")
	_ = fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(*out, *mps)
	case "png":
		var w, h int
		if _, err = fmt.Sscanf(*size, "%dx%d", &w, &h); err == nil {
			err = writePNG(*out, w, h, *noisy)
		}
	case "prepare":
		if fs.NArg() != 1 {
			log.Fatal("decodebudget prepare: name one file")
		}
		err = prepare(fs.Arg(0), *copies)
	default:
		log.Fatalf("decodebudget: unknown command %q", os.Args[1])
	}
	if err != nil {
		log.Fatalf("decodebudget %s: %v", os.Args[1], err)
	}
}

// dims is a size of about mp megapixels, 4:3 (100 MP: 10000×9999, the
// issue's case, just under the limit).
func dims(mp int) (int, int) {
	if mp == 100 {
		return 10000, 9999
	}
	h := int(float64(mp*1_000_000*3/4) + 0.5)
	for s := 1; ; s++ {
		if s*s >= h {
			h = s
			break
		}
	}
	return mp * 1_000_000 / h, h
}

// gen writes, for each size, png-flat, png-noisy, jpeg (baseline 4:2:0,
// from a photo-like picture), a progressive JPEG (cjpeg) and a lossy WebP
// (cwebp) of the same picture.
func gen(dir, mps string) error {
	if dir == "" {
		return fmt.Errorf("name the folder with -o")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range strings.Split(mps, ",") {
		mp, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		w, h := dims(mp)
		base := filepath.Join(dir, fmt.Sprintf("%dmp", mp))
		if err := writePNG(base+"-flat.png", w, h, false); err != nil {
			return err
		}
		if err := writePNG(base+"-noisy.png", w, h, true); err != nil {
			return err
		}
		img := testpack.Photo(w, h, uint64(mp))
		jpg, err := imageprep.EncodeJPEG(img, 90)
		if err != nil {
			return err
		}
		if err := os.WriteFile(base+".jpg", jpg, 0o644); err != nil {
			return err
		}
		// cwebp reads PPM: the photo's pixels, written row by row.
		ppm := base + ".ppm"
		if err := writePPM(ppm, img); err != nil {
			return err
		}
		img = nil
		runtime.GC()
		cmd := exec.Command("cwebp", "-quiet", "-q", "85", ppm, "-o", base+".webp")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("cwebp: %v", err)
		}
		cmd = exec.Command("cjpeg", "-progressive", "-quality", "90", "-outfile", base+"-progressive.jpg", ppm)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("cjpeg: %v", err)
		}
		os.Remove(ppm)
		fmt.Printf("wrote %s-{flat,noisy}.png, .jpg, -progressive.jpg, .webp (%dx%d)\n", base, w, h)
	}
	return nil
}

// writePPM writes img as a binary PPM (P6).
func writePPM(name string, img *image.RGBA) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	b := img.Bounds()
	fmt.Fprintf(bw, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := range b.Dy() {
		row := img.Pix[y*img.Stride:]
		for x := range b.Dx() {
			bw.Write(row[4*x : 4*x+3])
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writePNG writes a w×h 8-bit RGB PNG row by row: one colour, or a
// gradient with noise in blue (about 0.5 bytes a pixel compressed, so
// 100 megapixels stay under the pack's 64 MiB a file).
func writePNG(name string, w, h int, noisy bool) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	row := make([]byte, 1+3*w)
	prev := make([]byte, 3*w)
	cur := make([]byte, 3*w)
	for y := range h {
		for x := range w {
			if !noisy {
				cur[3*x], cur[3*x+1], cur[3*x+2] = 0x20, 0x80, 0xC0
				continue
			}
			cur[3*x] = uint8(x * 255 / w)
			cur[3*x+1] = uint8(y * 255 / h)
			cur[3*x+2] = uint8(x*128/w + y*64/h + rng.IntN(2))
		}
		row[0] = 1 // Sub
		for i := range cur {
			var left byte
			if i >= 3 {
				left = cur[i-3]
			}
			row[1+i] = cur[i] - left
		}
		if _, err := zw.Write(row); err != nil {
			return err
		}
		prev, cur = cur, prev
	}
	_ = prev
	if err := zw.Close(); err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	bw.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2
	chunk(bw, "IHDR", ihdr)
	for b := idat.Bytes(); len(b) > 0; {
		n := min(len(b), 1<<20)
		chunk(bw, "IDAT", b[:n])
		b = b[n:]
	}
	chunk(bw, "IEND", nil)
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func chunk(w *bufio.Writer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	w.WriteString(typ)
	w.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// prepare prepares copies of the file as an import does (imageprep.Run
// with the default options on every core) and prints the time and peak RSS.
func prepare(name string, copies int) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	info, err := imageprep.Inspect(name, data, imageprep.DefaultLimits())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	jobs := make([]imageprep.Job, copies)
	for i := range jobs {
		jobs[i] = imageprep.Job{Key: strconv.Itoa(i), Name: name, Load: func() ([]byte, error) { return data, nil }}
	}
	start := time.Now()
	var firstErr error
	imageprep.Run(context.Background(), jobs, imageprep.DefaultOptions(), 0, func(r imageprep.Result) {
		if r.Err != nil && firstErr == nil {
			firstErr = r.Err
		}
	})
	took := time.Since(start)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	status := "ok"
	if firstErr != nil {
		status = "refused: " + firstErr.Error()
	}
	fmt.Printf("%-22s %-4s %6.1f MP %5.1f MB file  %d×prepare  %6.2f s  peak RSS %4d MB  %s\n",
		filepath.Base(name), info.Format, float64(info.Width)*float64(info.Height)/1e6, float64(len(data))/(1<<20),
		copies, took.Seconds(), ru.Maxrss/1024, status)
	return nil
}
