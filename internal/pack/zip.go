package pack

import (
	"archive/zip"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/solidarity-kiosk/kiosk/internal/regfile"
)

// zipSource reads a pack zip. Its central directory is checked before any
// entry is read; entries are inflated through size-limited readers, because
// a header can lie about the size.
type zipSource struct {
	r       *zip.Reader
	closer  io.Closer
	entries map[string]*zip.File // manifest path → entry
	lim     Limits
	read    atomic.Int64 // bytes inflated so far, against MaxTotalBytes
}

func openZip(ctx context.Context, p string, lim Limits) (*zipSource, error) {
	f, err := regfile.Open(p) // a pipe or a device is refused, never waited on
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	z, err := readZip(ctx, f, fi.Size(), filepath.Base(p), lim)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	z.closer = f
	return z, nil
}

// readZip checks a zip's central directory and indexes its entries.
func readZip(ctx context.Context, ra io.ReaderAt, size int64, zipName string, lim Limits) (*zipSource, error) {
	refuse := func(format string, args ...any) (*zipSource, error) {
		return nil, Problems{{File: zipName, Index: -1, Msg: fmt.Sprintf(format, args...)}}
	}
	if limit := lim.MaxTotalBytes + ZipSlack; size > limit {
		return refuse("the zip is %d bytes; a pack zip is at most %d", size, limit)
	}
	if msg := checkDirectory(ra, size, lim.MaxEntries); msg != "" {
		return refuse("%s", msg)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := zip.NewReader(ra, size)
	if errors.Is(err, zip.ErrInsecurePath) {
		err = nil // the names are checked below, with a clearer message
	}
	if err != nil {
		return nil, Problems{{File: zipName, Index: -1, Msg: "not a readable zip file: " + err.Error()}}
	}
	z := &zipSource{r: r, entries: map[string]*zip.File{}, lim: lim}
	if probs := z.index(ctx, zipName, size); len(probs) > 0 {
		return nil, probs.Capped()
	}
	return z, nil
}

// index checks every entry and maps the pack's paths to them.
func (z *zipSource) index(ctx context.Context, zipName string, size int64) Problems {
	var probs Problems
	bad := func(name, msg string) {
		probs = append(probs, Problem{File: zipName, Index: -1, Msg: fmt.Sprintf("entry %q: %s", clip(name, 200), msg)})
	}
	if len(z.r.File) > z.lim.MaxEntries {
		return Problems{{File: zipName, Index: -1, Msg: fmt.Sprintf("%d entries; the limit is %d", len(z.r.File), z.lim.MaxEntries)}}
	}
	seen := map[string]string{}
	var total uint64
	var files []*zip.File
	for i, f := range z.r.File {
		if i&1023 == 1023 && ctx.Err() != nil {
			return Problems{{File: zipName, Index: -1, Msg: "not checked to the end: " + ctx.Err().Error()}}
		}
		if msg := entryProblem(f, z.lim, size); msg != "" {
			bad(f.Name, msg)
			continue
		}
		key := strings.ToLower(path.Clean(f.Name))
		if other, dup := seen[key]; dup {
			bad(f.Name, fmt.Sprintf("has the same name as %q", other))
			continue
		}
		seen[key] = f.Name
		total += f.UncompressedSize64
		if !f.Mode().IsDir() {
			files = append(files, f)
		}
	}
	if total > uint64(z.lim.MaxTotalBytes) {
		probs = append(probs, Problem{File: zipName, Index: -1, Msg: fmt.Sprintf("unpacks to %d bytes; the limit is %d", total, z.lim.MaxTotalBytes)})
	}
	if len(probs) == 0 {
		if name, other, err := overlapping(ctx, files); err != nil {
			bad(name, err.Error())
		} else if name != "" {
			bad(name, fmt.Sprintf("shares its stored bytes with %q (a zip bomb?)", clip(other, 200)))
		}
	}
	prefix := topFolder(files)
	for _, f := range files {
		z.entries[strings.TrimPrefix(path.Clean(f.Name), prefix)] = f
	}
	return probs
}

// entryProblem says why an entry is not allowed in a pack, or "".
func entryProblem(f *zip.File, lim Limits, size int64) string {
	name := f.Name
	mode := f.Mode()
	switch {
	case len(name) > MaxEntryNameBytes:
		return fmt.Sprintf("the name is %d bytes long; the limit is %d", len(name), MaxEntryNameBytes)
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "has a control character in its name"
	case strings.Contains(name, "\\"):
		return "uses \\ in its name; zip entries must use /"
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':':
		return "has an absolute path"
	case path.Clean(name) == ".." || strings.HasPrefix(path.Clean(name), "../"):
		return "name escapes the pack"
	case mode&fs.ModeSymlink != 0:
		return "is a symlink; packs may not contain links"
	case mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeIrregular) != 0:
		return "is not a regular file"
	case mode.IsDir() && (f.UncompressedSize64 > 0 || f.CompressedSize64 > 0):
		return fmt.Sprintf("is a folder that declares %d bytes of content", max(f.UncompressedSize64, f.CompressedSize64))
	case f.UncompressedSize64 > uint64(lim.MaxFileBytes) && !mode.IsDir():
		return fmt.Sprintf("unpacks to %d bytes; the limit per file is %d", f.UncompressedSize64, lim.MaxFileBytes)
	case f.CompressedSize64 > uint64(size):
		return fmt.Sprintf("declares %d stored bytes in a zip of %d bytes (damaged?)", f.CompressedSize64, size)
	case f.UncompressedSize64 > 1<<20 && f.UncompressedSize64/max(f.CompressedSize64, 1) > MaxCompressionRatio:
		return fmt.Sprintf("unpacks %d bytes from %d, more than %d times its size (a zip bomb?)", f.UncompressedSize64, f.CompressedSize64, MaxCompressionRatio)
	}
	return ""
}

// overlapping finds two entries whose stored bytes overlap, which no zip
// tool writes and which lets a small zip unpack to many times its size. It
// returns their names, or an error naming an entry whose header is damaged.
func overlapping(ctx context.Context, files []*zip.File) (string, string, error) {
	type span struct {
		from, to uint64
		name     string
	}
	spans := make([]span, 0, len(files))
	for i, f := range files {
		if i&1023 == 1023 && ctx.Err() != nil {
			return "", "", ctx.Err()
		}
		if f.CompressedSize64 == 0 {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			return f.Name, "", fmt.Errorf("damaged entry header: %w", err)
		}
		spans = append(spans, span{uint64(off), uint64(off) + f.CompressedSize64, f.Name})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	for i := 1; i < len(spans); i++ {
		if spans[i].from < spans[i-1].to {
			return spans[i].name, spans[i-1].name, nil
		}
	}
	return "", "", nil
}

// topFolder returns "X/" when there is no pack.json at the top but every
// file sits in one folder X that has one: a zip of the folder itself.
func topFolder(files []*zip.File) string {
	var top string
	hasManifest := false
	for _, f := range files {
		name := path.Clean(f.Name)
		if name == ManifestFile {
			return ""
		}
		first, rest, ok := strings.Cut(name, "/")
		if !ok || (top != "" && first != top) {
			return ""
		}
		top = first
		hasManifest = hasManifest || rest == ManifestFile
	}
	if !hasManifest {
		return ""
	}
	return top + "/"
}

func (z *zipSource) open(name string) (io.ReadCloser, error) {
	f, ok := z.entries[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &limitedEntry{rc: rc, z: z, name: name, left: z.lim.MaxFileBytes, size: f.UncompressedSize64}, nil
}

func (z *zipSource) close() error {
	if z.closer == nil {
		return nil
	}
	return z.closer.Close()
}

// limitedEntry enforces the per-file and total limits on inflated bytes.
type limitedEntry struct {
	rc   io.ReadCloser
	z    *zipSource
	name string
	left int64
	size uint64 // as declared
}

// Read inflates, failing once the entry or the whole zip passes its limit.
func (e *limitedEntry) Read(p []byte) (int, error) {
	n, err := e.rc.Read(p)
	e.left -= int64(n)
	if e.left < 0 {
		return n, fmt.Errorf("inflates past the limit of %d bytes (a zip bomb?)", e.z.lim.MaxFileBytes)
	}
	if e.z.read.Add(int64(n)) > e.z.lim.MaxTotalBytes {
		return n, fmt.Errorf("the zip inflates past its total limit of %d bytes", e.z.lim.MaxTotalBytes)
	}
	switch {
	case errors.Is(err, zip.ErrFormat):
		err = fmt.Errorf("the entry inflates to more than its header says (a zip bomb?) or is damaged: %w", err)
	case err != nil && !errors.Is(err, io.EOF):
		err = fmt.Errorf("damaged zip entry: %w", err)
	}
	return n, err
}

// Close closes the entry.
func (e *limitedEntry) Close() error { return e.rc.Close() }
