package pack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/ctxio"
)

// SignatureFile is the optional minisign signature of pack.json.
const SignatureFile = "pack.json.minisig"

// MaxSignatureBytes is the largest pack.json.minisig: minisign writes
// comments of at most 1,024 and 8,192 bytes and two lines of base64.
const MaxSignatureBytes = 16 << 10

// source is where a pack's files come from: a folder or a zip.
type source interface {
	// open opens a file by its manifest path; fs.ErrNotExist when absent.
	open(name string) (io.ReadCloser, error)
	close() error
}

// Pack is an opened pack.
type Pack struct {
	Manifest      *Manifest
	ManifestBytes []byte
	Signature     []byte // pack.json.minisig, nil when unsigned
	Name          string // the path it was opened from
	ctx           context.Context
	src           source
	lim           Limits
	parseProbs    Problems
}

// Open opens a pack folder or zip and parses its manifest. It fails when the
// pack cannot be read at all (an unsafe zip, no pack.json, pack.json that is
// not JSON); problems inside a readable manifest are reported by Check.
func Open(path string, lim Limits) (*Pack, error) {
	return OpenContext(context.Background(), path, lim)
}

// OpenContext is Open bounded by ctx, for the pack's whole use: once ctx is
// done, opening, parsing, Check and ReadFile stop and report ctx's error.
func OpenContext(ctx context.Context, path string, lim Limits) (*Pack, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var src source
	switch {
	case fi.IsDir():
		src, err = openDir(path)
	case !fi.Mode().IsRegular():
		return nil, Problems{{File: filepath.Base(path), Index: -1, Msg: "not a regular file: a pack is a folder or a .zip"}}
	default:
		src, err = openZip(ctx, path, lim)
	}
	if err != nil {
		return nil, err
	}
	return fromSource(ctx, src, path, lim)
}

// fromSource reads the manifest of an opened folder or zip.
func fromSource(ctx context.Context, src source, name string, lim Limits) (*Pack, error) {
	p := &Pack{Name: name, ctx: ctx, src: src, lim: lim}
	if err := p.readManifest(); err != nil {
		_ = src.close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", name, ctx.Err())
		}
		return nil, err
	}
	return p, nil
}

func (p *Pack) readManifest() error {
	data, err := p.read(ManifestFile, p.lim.MaxManifestBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return Problems{{File: filepath.Base(p.Name), Index: -1, Msg: "no pack.json in the pack (it must be at the top of the folder or zip)"}}
	}
	if err != nil {
		return Problems{{File: ManifestFile, Index: -1, Msg: err.Error()}}
	}
	m, probs := ParseContext(p.ctx, data)
	if m == nil {
		return probs
	}
	p.Manifest, p.ManifestBytes, p.parseProbs = m, data, probs
	sig, err := p.read(SignatureFile, MaxSignatureBytes)
	switch {
	case err == nil:
		p.Signature = sig
	case !errors.Is(err, fs.ErrNotExist):
		return Problems{{File: SignatureFile, Index: -1, Msg: err.Error()}}
	}
	return nil
}

// read reads a whole file, refusing more than limit bytes as they are read.
func (p *Pack) read(name string, limit int64) ([]byte, error) {
	rc, err := p.src.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// A buffer of the size the file says it has, not one grown as it is
	// read, which would take up to twice the memory.
	buf := bytes.NewBuffer(make([]byte, 0, min(sizeHint(rc), limit)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(ctxio.Reader(p.ctx, rc), limit+1)); err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("larger than the limit of %d bytes", limit)
	}
	return buf.Bytes(), nil
}

// sizeHint is the size a file says it has: a folder's file's, a zip
// entry's declared one (archive/zip refuses to inflate more), else 0.
func sizeHint(rc io.ReadCloser) int64 {
	switch f := rc.(type) {
	case *os.File:
		if fi, err := f.Stat(); err == nil {
			return max(fi.Size(), 0)
		}
	case *limitedEntry:
		return int64(min(f.size, 1<<62))
	}
	return 0
}

// ReadFile reads a file the manifest names, within the size limit, and
// checks it against its hash in files when it is listed there.
func (p *Pack) ReadFile(name string) ([]byte, error) {
	if msg := checkPackPath(name); msg != "" {
		return nil, fmt.Errorf("%s: %s", name, msg)
	}
	data, err := p.read(name, p.lim.MaxFileBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: the pack has no such file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if want, ok := p.Manifest.Files[name]; ok {
		sum := sha256.Sum256(data)
		if got := "sha256:" + hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("%s: sha256 mismatch: pack.json files says %s, the file has %s", name, want, got)
		}
	}
	return data, nil
}

// Check returns every problem of the pack: the manifest's own, each file
// listed in files that is missing or does not match its hash, and each
// person's photo that is missing. Files in readLater are only checked for
// presence: the caller reads them with ReadFile, which checks their hash.
// It lists at most MaxProblems problems, and stops with a problem saying so
// when the context the pack was opened with is done.
func (p *Pack) Check(now time.Time, readLater map[string]bool) Problems {
	probs := append(Problems(nil), p.parseProbs...)
	probs = append(probs, p.Manifest.validate(p.ctx, now)...)
	owners := PeopleByPhoto(p.Manifest)
	for _, name := range sortedKeys(p.Manifest.Files) {
		if p.ctx.Err() != nil {
			return append(probs.Capped(), stopped(p.ctx))
		}
		if checkPackPath(name) != "" {
			continue // reported by Validate
		}
		var err error
		if readLater[name] {
			err = p.exists(name)
		} else {
			_, err = p.ReadFile(name)
		}
		if err != nil {
			probs = append(probs, fileProblems(p.Manifest, owners[name], name, err)...)
		}
	}
	for _, name := range sortedKeys(owners) {
		if _, listed := p.Manifest.Files[name]; listed || checkPhotoPath(name) != "" {
			continue
		}
		if err := p.exists(name); err != nil {
			probs = append(probs, fileProblems(p.Manifest, owners[name], name, err)...)
		}
	}
	return probs.Capped()
}

func (p *Pack) exists(name string) error {
	rc, err := p.src.open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: the pack has no such file", name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return rc.Close()
}

// fileProblems names every person a bad file belongs to.
func fileProblems(m *Manifest, owners []int, name string, err error) Problems {
	msg := err.Error()
	if len(owners) == 0 {
		return Problems{{File: name, Index: -1, Msg: msg}}
	}
	var out Problems
	for _, i := range owners {
		out = append(out, Problem{File: name, Index: i, PersonID: m.People[i].ID, Field: "photo", Msg: msg})
	}
	return out
}

// Close releases the pack's files.
func (p *Pack) Close() error { return p.src.close() }
