package imageprep

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pngPattern draws the source of the generated PNG suite at 16 bits a
// sample: red rises left to right, green top to bottom, blue is a fine
// diagonal pattern that uses the low bits; the left third is opaque, the
// middle third fades from three-quarters opaque at the top to transparent
// at the bottom, the right third alternates transparent and half-transparent
// pixels. Even 1×1 has alpha, under one half, so the kinds with tRNS (where
// ImageMagick makes alpha all or nothing) have a transparent pixel.
func pngPattern(w, h int) *image.NRGBA64 {
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			fx, fy := (float64(x)+0.5)/float64(w), (float64(y)+0.5)/float64(h)
			c := color.NRGBA64{
				R: uint16(fx * 65535),
				G: uint16(fy * 65535),
				B: uint16((x*7 + y*13) % 17 * 65535 / 16),
				A: 0xFFFF,
			}
			switch {
			case fx < 1.0/3:
			case fx < 2.0/3:
				c.A = uint16(0.75 * (1 - fy) * 65535)
			case (x+y)%2 == 0:
				c.A = 0
			default:
				c.A = 0x8000
			}
			img.SetNRGBA64(x, y, c)
		}
	}
	return img
}

// pngSizes are the generated suite's sizes: one row or column, odd and
// smaller than an Adam7 block (some passes empty), and a few larger.
var pngSizes = []Size{{1, 1}, {1, 13}, {13, 1}, {2, 2}, {3, 5}, {7, 7}, {9, 9}, {17, 33}, {33, 17}, {67, 45}}

// pngKind is one colour type and bit depth of the generated suite, and how
// it is made from pngPattern: ImageMagick's options and output format, or
// (from) another kind's files with a tRNS chunk added.
type pngKind struct {
	name   string
	ctype  int  // PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
	depth  int  // bits a sample (a palette index for colour type 3)
	trns   bool // a tRNS chunk: one transparent grey or RGB colour, or palette alpha
	ops    []string
	format string // ImageMagick's output format: PNG, or PNG8 for palettes
	from   string // the kind whose files get a tRNS chunk, instead of ops
}

// pngKinds lists every legal colour type and bit depth, and tRNS with each
// colour type that takes one. ImageMagick 6.9's png:color-type=3 drops
// palette transparency, so palettes are written as PNG8 (transparency all
// or nothing), or with -type PaletteAlpha (any alpha, but 0.1 s an image in
// its quantizer, so only two depths) without bKGD, whose colour it would
// add to the palette. It writes no tRNS for grey under 8 bits: those files
// get one added (grey level 0 transparent). Grey is always asked for with
// png:color-type=0: "-alpha off -colorspace gray -define png:bit-depth=8"
// alone corrupts ImageMagick 6.9.11's heap on a 13×1 image.
func pngKinds() []pngKind {
	var kinds []pngKind
	add := func(ctype, depth int, trns bool, format string, ops ...string) {
		name := map[int]string{0: "g", 2: "c", 3: "p", 4: "ga", 6: "a"}[ctype]
		if trns {
			name += "t"
		}
		if ctype == 3 && format == "PNG" {
			name = "pa"
			ops = append(ops, "-define", "png:exclude-chunk=bKGD")
		} else if ctype != 3 {
			ops = append(ops, "-define", "png:color-type="+strconv.Itoa(ctype))
		}
		ops = append(ops, "-define", "png:bit-depth="+strconv.Itoa(depth))
		kinds = append(kinds, pngKind{name: name + strconv.Itoa(depth), ctype: ctype, depth: depth, trns: trns, ops: ops, format: format})
	}
	binaryAlpha := []string{"-channel", "A", "-threshold", "50%", "+channel"}
	for _, d := range []int{1, 2, 4, 8, 16} {
		ops := []string{"-alpha", "off", "-colorspace", "gray"}
		if d < 8 {
			ops = append(ops, "-posterize", strconv.Itoa(1<<d))
		}
		add(0, d, false, "PNG", ops...)
		if d < 8 {
			kinds = append(kinds, pngKind{name: "gt" + strconv.Itoa(d), ctype: 0, depth: d, trns: true, from: "g" + strconv.Itoa(d)})
		} else {
			add(0, d, true, "PNG", append([]string{"-colorspace", "gray"}, binaryAlpha...)...)
		}
	}
	for _, d := range []int{8, 16} {
		add(2, d, false, "PNG", "-alpha", "off")
		add(2, d, true, "PNG", binaryAlpha...)
		add(4, d, false, "PNG", "-colorspace", "gray")
		add(6, d, false, "PNG")
	}
	for _, d := range []int{1, 2, 4, 8} {
		n := strconv.Itoa(1 << d)
		add(3, d, false, "PNG8", "-alpha", "off", "+dither", "-colors", n)
		add(3, d, true, "PNG8", append(slices.Clone(binaryAlpha), "+dither", "-colors", n)...)
		if d == 2 || d == 8 {
			add(3, d, true, "PNG", "+dither", "-colors", n, "-type", "PaletteAlpha")
		}
	}
	return kinds
}

// pngWithTRNS is a grey file with a tRNS chunk that makes level 0 transparent.
func pngWithTRNS(data []byte) ([]byte, error) {
	chunks, err := pngChunks(data)
	if err != nil {
		return nil, err
	}
	return pngAssemble(slices.Insert(chunks, 1, pngChunk{"tRNS", []byte{0, 0}})), nil
}

// pngChunk is one chunk of a PNG file.
type pngChunk struct {
	typ  string
	data []byte
}

const pngSignature = "\x89PNG\r\n\x1a\n"

// pngChunks splits a PNG file into its chunks (CRCs not checked).
func pngChunks(data []byte) ([]pngChunk, error) {
	if !bytes.HasPrefix(data, []byte(pngSignature)) {
		return nil, errors.New("no PNG signature")
	}
	var chunks []pngChunk
	for i := 8; i < len(data); {
		if i+12 > len(data) {
			return nil, fmt.Errorf("a chunk cut at %d", i)
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		if i+12+n > len(data) {
			return nil, fmt.Errorf("chunk %q runs past the end", data[i+4:i+8])
		}
		chunks = append(chunks, pngChunk{string(data[i+4 : i+8]), data[i+8 : i+8+n]})
		i += 12 + n
	}
	return chunks, nil
}

// pngAssemble writes chunks as a PNG file with correct CRCs.
func pngAssemble(chunks []pngChunk) []byte {
	out := []byte(pngSignature)
	for _, c := range chunks {
		out = binary.BigEndian.AppendUint32(out, uint32(len(c.data)))
		start := len(out)
		out = append(out, c.typ...)
		out = append(out, c.data...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	return out
}

// pngHeader is what a generated file's IHDR and chunk list say.
type pngHeader struct {
	w, h, depth, ctype, interlace int
	trns                          bool
}

func readPNGHeader(data []byte) (pngHeader, error) {
	chunks, err := pngChunks(data)
	if err != nil {
		return pngHeader{}, err
	}
	if len(chunks) == 0 || chunks[0].typ != "IHDR" || len(chunks[0].data) != 13 {
		return pngHeader{}, errors.New("no IHDR first")
	}
	d := chunks[0].data
	h := pngHeader{
		w: int(binary.BigEndian.Uint32(d)), h: int(binary.BigEndian.Uint32(d[4:])),
		depth: int(d[8]), ctype: int(d[9]), interlace: int(d[12]),
	}
	h.trns = slices.ContainsFunc(chunks, func(c pngChunk) bool { return c.typ == "tRNS" })
	return h, nil
}

// TestGeneratedPNGSuite makes a PngSuite of its own: every colour type ×
// every legal bit depth, with and without tRNS where it applies, plain and
// Adam7-interlaced, at sizes from 1×1 to 67×45, written by ImageMagick from
// pngPattern (grey under 8 bits with tRNS: ImageMagick's file with a tRNS
// chunk added). Each must match ImageMagick's decode of the same file,
// at full size and fitted into 24×24. Then damaged files made from them
// must each be refused with a reason, and valid oddities (split and empty
// IDAT chunks, an unknown ancillary chunk) accepted.
func TestGeneratedPNGSuite(t *testing.T) {
	dir := generatedSuite(t, toolConvert)
	var sources []string
	for _, s := range pngSizes {
		name := fmt.Sprintf("src%dx%d.png", s.W, s.H)
		writePNG(t, dir, name, pngPattern(s.W, s.H))
		sources = append(sources, name)
	}
	// One ImageMagick run per kind writes every size, plain and
	// interlaced: %t is the source's name without ".png".
	kinds := pngKinds()
	var gen []command
	for _, k := range kinds {
		if k.from != "" {
			continue
		}
		args := append([]string{"convert"}, sources...)
		args = append(args, k.ops...)
		args = append(args, "-set", "filename:n", "%t", "+adjoin",
			"-interlace", "None", "-write", k.format+":"+k.name+"n-%[filename:n].png",
			"-interlace", "PNG", k.format+":"+k.name+"i-%[filename:n].png")
		gen = append(gen, cmd(args...))
	}
	runAll(t, dir, gen)
	for _, k := range kinds {
		if k.from == "" {
			continue
		}
		for _, il := range []string{"n", "i"} {
			for _, src := range sources {
				data, err := pngWithTRNS(readFile(t, dir, k.from+il+"-"+src))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, k.name+il+"-"+src, data)
			}
		}
	}
	files := readSet(t, dir, "*-src*.png")
	if want := len(kinds) * 2 * len(pngSizes); len(files) != want {
		t.Fatalf("ImageMagick wrote %d files, want %d", len(files), want)
	}
	// Every file must be what its name says, or the matrix has holes.
	for _, k := range kinds {
		for _, il := range []string{"n", "i"} {
			for _, s := range pngSizes {
				name := fmt.Sprintf("%s%s-src%dx%d.png", k.name, il, s.W, s.H)
				h, err := readPNGHeader(files[name])
				want := pngHeader{w: s.W, h: s.H, depth: k.depth, ctype: k.ctype, interlace: map[string]int{"n": 0, "i": 1}[il], trns: k.trns}
				if err != nil || h != want {
					t.Errorf("%s: ImageMagick wrote %+v (%v), want %+v", name, h, err, want)
				}
			}
		}
	}
	// The reference: ImageMagick's decode to 8-bit RGBA, samples as stored
	// (-set colorspace sRGB: see testdata/conformance/README.md).
	names := sortedNames(files)
	var refs []command
	for chunk := range slices.Chunk(names, 60) {
		args := append([]string{"convert"}, chunk...)
		refs = append(refs, cmd(append(args, "-set", "colorspace", "sRGB", "-depth", "8", "-type", "TrueColorAlpha",
			"-set", "filename:n", "%t", "+adjoin", "PAM:ref-%[filename:n].pam")...))
	}
	runAll(t, dir, refs)
	var full, fitted levelStats
	for _, name := range names {
		ref, err := readRef(filepath.Join(dir, "ref-"+strings.TrimSuffix(name, ".png")+".pam"))
		if err != nil {
			t.Fatal(err)
		}
		checkAgainst(t, &full, name, files[name], ref, Size{})
		checkAgainst(t, &fitted, name, files[name], ref, Size{W: 24, H: 24})
	}
	t.Logf("generated PNG suite (%d kinds × plain and interlaced × %d sizes) against ImageMagick's decode:\n"+
		"  full size: %v\n  fitted into 24x24: %v", len(kinds), len(pngSizes), &full, &fitted)
	checkValidOddities(t, dir, files)
	checkDamagedPNGs(t, files)
	timeImport(t, "generated PNG", files)
}

// checkValidOddities: legal but unusual chunk layouts decode to the same
// pixels as the file they are made from.
func checkValidOddities(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	var stats levelStats
	for _, base := range []string{"c8n-src67x45.png", "pt4i-src33x17.png", "g1n-src13x1.png", "a16i-src67x45.png"} {
		chunks, err := pngChunks(files[base])
		if err != nil {
			t.Fatal(err)
		}
		ref, err := readRef(filepath.Join(dir, "ref-"+strings.TrimSuffix(base, ".png")+".pam"))
		if err != nil {
			t.Fatal(err)
		}
		variants := map[string][]pngChunk{
			// IDAT split into chunks of 5 bytes.
			"idat-split": pngReplaceIDAT(chunks, func(data []byte) []pngChunk {
				var out []pngChunk
				for part := range slices.Chunk(data, 5) {
					out = append(out, pngChunk{"IDAT", part})
				}
				return out
			}),
			// Zero-length IDAT chunks before, between and after the data.
			"idat-empty-between": pngReplaceIDAT(chunks, func(data []byte) []pngChunk {
				half := len(data) / 2
				return []pngChunk{{"IDAT", nil}, {"IDAT", data[:half]}, {"IDAT", nil}, {"IDAT", data[half:]}, {"IDAT", nil}}
			}),
			// An unknown, safe-to-copy ancillary chunk before and after IDAT.
			"private-chunk": pngReplaceIDAT(chunks, func(data []byte) []pngChunk {
				return []pngChunk{{"prVt", []byte("kiosk")}, {"IDAT", data}, {"prVt", nil}}
			}),
		}
		for _, v := range sortedKeys(variants) {
			name := strings.TrimSuffix(base, ".png") + "-" + v + ".png"
			data := pngAssemble(variants[v])
			checkAgainst(t, &stats, name, data, ref, Size{})
		}
	}
	t.Logf("valid oddities (split IDAT, empty IDATs, a private chunk) against the reference: %v", &stats)
}

// pngIDAT is the concatenated IDAT data of a file.
func pngIDAT(chunks []pngChunk) []byte {
	var data []byte
	for _, c := range chunks {
		if c.typ == "IDAT" {
			data = append(data, c.data...)
		}
	}
	return data
}

// pngReplaceIDAT replaces a file's IDAT chunks, where the first was, with
// what f makes of their data.
func pngReplaceIDAT(chunks []pngChunk, f func([]byte) []pngChunk) []pngChunk {
	var out []pngChunk
	done := false
	for _, c := range chunks {
		if c.typ != "IDAT" {
			out = append(out, c)
			continue
		}
		if !done {
			out = append(out, f(pngIDAT(chunks))...)
			done = true
		}
	}
	return out
}

// pngWithIHDR is a file with one IHDR byte changed (the CRC made right).
func pngWithIHDR(chunks []pngChunk, at int, v byte) []byte {
	c := slices.Clone(chunks)
	c[0].data = slices.Clone(c[0].data)
	c[0].data[at] = v
	return pngAssemble(c)
}

// pngWithRows is a non-interlaced 8-bit RGB file whose filtered scanlines
// (a filter byte, then the row) are replaced by what f makes of them.
func pngWithRows(t *testing.T, chunks []pngChunk, f func(raw []byte) []byte) []byte {
	t.Helper()
	zr, err := zlib.NewReader(bytes.NewReader(pngIDAT(chunks)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(f(raw)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return pngAssemble(pngReplaceIDAT(chunks, func([]byte) []pngChunk { return []pngChunk{{"IDAT", buf.Bytes()}} }))
}

// pngWithout is a file without the chunks of one type.
func pngWithout(chunks []pngChunk, typ string) []byte {
	return pngAssemble(slices.DeleteFunc(slices.Clone(chunks), func(c pngChunk) bool { return c.typ == typ }))
}

// flipAt is data with one byte inverted.
func flipAt(data []byte, i int) []byte {
	out := slices.Clone(data)
	out[i] ^= 0xFF
	return out
}

// streamedReasons are the streaming decoder's reasons where its words are
// not image/png's (a missing IDAT is not "chunk out of order" there).
var streamedReasons = map[string]string{
	"cut-in-idat":       "truncated: chunk \"IDAT\" of 301 bytes runs past the end",
	"no-iend":           "truncated: the file ends before its IEND chunk",
	"idat-missing":      "no image data",
	"chunk-length-huge": "truncated: chunk \"IDAT\" of 2147483632 bytes runs past the end",
}

// checkDamagedPNGs makes damaged files from generated ones and imports them
// the way the importer does (Run, one job a file): each must be refused as
// damaged or unsupported, under its own file name, with a reason.
func checkDamagedPNGs(t *testing.T, files map[string][]byte) {
	t.Helper()
	// 8-bit RGB, not interlaced, 67×45 (202 bytes a filtered row), cut
	// down to its critical chunks, so that IDAT comes right before IEND.
	rgbChunks, err := pngChunks(files["c8n-src67x45.png"])
	if err != nil {
		t.Fatal(err)
	}
	rgbChunks = slices.DeleteFunc(rgbChunks, func(c pngChunk) bool { return c.typ != "IHDR" && c.typ != "IDAT" && c.typ != "IEND" })
	rgb := pngAssemble(rgbChunks)
	palChunks, err := pngChunks(files["p4n-src33x17.png"])
	if err != nil {
		t.Fatal(err)
	}
	// Offsets in rgb: signature 0..7; IHDR's length 8, type 12, data 16..28,
	// CRC 29..32; IDAT's length 33, type 37, data 41..; IEND the last 12 bytes.
	const idatAt = 37
	iendAt := len(rgb) - 8
	rowLen := 1 + 67*3
	damaged := []struct {
		name, reason string
		data         []byte
	}{
		{"empty", "the file is empty", nil},
		{"signature-only", "unexpected EOF", rgb[:8]},
		{"cut-in-ihdr", "unexpected EOF", rgb[:20]},
		{"cut-in-idat", "not enough pixel data", rgb[:idatAt+40]},
		{"no-iend", "unexpected EOF", rgb[:iendAt-4]},
		{"crc-ihdr", "invalid checksum", flipAt(rgb, 30)},
		{"crc-idat", "invalid checksum", flipAt(rgb, iendAt-5)}, // the last byte of IDAT's CRC
		{"crc-iend", "invalid checksum", flipAt(rgb, len(rgb)-1)},
		{"signature-bit7", "looks like a damaged PNG", flipAt(rgb, 0)},
		{"signature-lf", "looks like a damaged PNG", bytes.Replace(rgb, []byte("\r\n"), []byte("\n"), 1)},
		{"signature-zeroed", "looks like a damaged PNG", append(make([]byte, 8), rgb[8:]...)},
		{"idat-zero-length", "not enough pixel data", pngAssemble(pngReplaceIDAT(rgbChunks, func([]byte) []pngChunk { return []pngChunk{{"IDAT", nil}} }))},
		{"idat-missing", "chunk out of order", pngWithout(rgbChunks, "IDAT")},
		{"plte-missing", "chunk out of order", pngWithout(palChunks, "PLTE")},
		{"idat-zlib-garbled", "corrupt input", pngAssemble(pngReplaceIDAT(rgbChunks, func(d []byte) []pngChunk {
			d = slices.Clone(d)
			for i := 2; i < len(d); i += 3 {
				d[i] ^= 0x5A
			}
			return []pngChunk{{"IDAT", d}}
		}))},
		{"filter-type-5", "bad filter type", pngWithRows(t, rgbChunks, func(raw []byte) []byte {
			raw = slices.Clone(raw)
			raw[3*rowLen] = 5
			return raw
		})},
		{"too-much-data", "too much pixel data", pngWithRows(t, rgbChunks, func(raw []byte) []byte {
			return append(slices.Clone(raw), raw[:rowLen]...)
		})},
		{"too-little-data", "not enough pixel data", pngWithRows(t, rgbChunks, func(raw []byte) []byte { return raw[:len(raw)-rowLen] })},
		{"colour-type-5", "color type 5", pngWithIHDR(rgbChunks, 9, 5)},
		{"bit-depth-3", "bit depth 3", pngWithIHDR(rgbChunks, 8, 3)},
		{"rgb-bit-depth-4", "bit depth 4", pngWithIHDR(rgbChunks, 8, 4)},
		{"width-0", "non-positive dimension", pngWithIHDR(rgbChunks, 3, 0)},
		{"compression-method-1", "compression", pngWithIHDR(rgbChunks, 10, 1)},
		{"filter-method-1", "filter", pngWithIHDR(rgbChunks, 11, 1)},
		{"interlace-method-2", "interlace", pngWithIHDR(rgbChunks, 12, 2)},
		{"idat-before-ihdr", "chunk out of order", pngAssemble(append([]pngChunk{{"IDAT", pngIDAT(rgbChunks)}}, rgbChunks...))},
		{"plte-257-entries", "bad PLTE length", pngAssemble(slices.Insert(slices.DeleteFunc(slices.Clone(palChunks), func(c pngChunk) bool { return c.typ == "PLTE" }),
			1, pngChunk{"PLTE", make([]byte, 3*257)}))},
		// Go's decoder reads the rest of the file as IDAT, then finds pixel
		// data left over when the rows are done.
		{"chunk-length-huge", "invalid format", func() []byte {
			out := slices.Clone(rgb)
			binary.BigEndian.PutUint32(out[idatAt-4:], 0x7FFFFFF0)
			return out
		}()},
	}
	var jobs []Job
	want := map[string]string{}
	for _, d := range damaged {
		name := "x-" + d.name + ".png"
		want[name] = d.reason
		if r, ok := streamedReasons[d.name]; ok && forcePNGStream {
			want[name] = r
		}
		jobs = append(jobs, Job{Key: name, Name: name, Load: func() ([]byte, error) { return d.data, nil }})
	}
	seen := map[string]bool{}
	Run(t.Context(), jobs, DefaultOptions(), 0, func(r Result) {
		name := r.Job.Name
		seen[name] = true
		err := r.Err
		switch {
		case err == nil:
			t.Errorf("%s: a damaged PNG was accepted", name)
		case !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported):
			t.Errorf("%s: refused with %v, not as damaged or unsupported", name, err)
		case !strings.Contains(err.Error(), want[name]) || len(err.Error()) < len(ErrCorrupt.Error())+10:
			t.Errorf("%s: refused with %q, which does not give the reason %q", name, err, want[name])
		default:
			t.Logf("%s: %v", name, err)
		}
	})
	if len(seen) != len(damaged) {
		t.Errorf("%d results for %d damaged files", len(seen), len(damaged))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
