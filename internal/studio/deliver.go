package studio

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/ctxio"
	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// ErrNoPack is returned by Export, Sign, CopyTo, Import and Placards when
// nothing is open or the spreadsheet gave no usable row.
var ErrNoPack = errors.New("no pack to deliver: open a spreadsheet with at least one usable row, a pack folder or a pack zip")

// DefaultSecretKey is where minisign keeps its secret key
// (~/.minisign/minisign.key), where `kiosk pack keygen` puts it too.
func DefaultSecretKey() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "minisign.key"
	}
	return filepath.Join(home, ".minisign", "minisign.key")
}

// NeedsPassword reports whether the secret key file is encrypted, so the
// caller knows to ask for its password.
func NeedsPassword(keyPath string) (bool, error) {
	data, err := sign.ReadKeyFile(keyPath)
	if err != nil {
		return false, fmt.Errorf("secret key: %w (make one with: kiosk pack keygen)", err)
	}
	return sign.IsEncrypted(data), nil
}

// FileName is the name the pack is delivered under: its id with .zip.
func (s *Snapshot) FileName() string {
	if s.Manifest != nil && s.Manifest.ID != "" {
		return s.Manifest.ID + ".zip"
	}
	return "pack.zip"
}

// workingZip is the pack as a zip in the studio's folder, the one signed,
// exported, copied and imported: a copy of the zip (a spreadsheet's built
// one, or the one opened) or a zip of the folder, made on first need. The
// source is never written to, nor the zip the previews read (on Windows a
// file open for reading cannot be replaced).
func (st *Studio) workingZip(ctx context.Context) (string, *Snapshot, error) {
	st.mu.Lock()
	cur, z := st.cur, st.zip
	st.mu.Unlock()
	if !cur.HasPack() {
		return "", cur, ErrNoPack
	}
	if z != "" {
		return z, cur, nil
	}
	z = filepath.Join(st.work, fmt.Sprintf("pack-%d", time.Now().UnixNano()), cur.FileName())
	if err := os.MkdirAll(filepath.Dir(z), 0o700); err != nil {
		return "", cur, err
	}
	var err error
	if cur.Kind == Folder {
		err = zipFolder(ctx, cur.pk, z)
	} else {
		err = copyFile(ctx, cur.PackPath, z)
	}
	if err != nil {
		_ = os.RemoveAll(filepath.Dir(z))
		return "", cur, err
	}
	st.mu.Lock()
	if st.cur == cur {
		st.zip = z
		cur.tmp = append(cur.tmp, filepath.Dir(z))
	}
	st.mu.Unlock()
	return z, cur, nil
}

// zipFolder writes the pack folder's manifest, signature and every file
// it names into a zip, each checked against its hash as it is read.
func zipFolder(ctx context.Context, p *pack.Pack, out string) error {
	names := []string{}
	for name := range p.Manifest.Files {
		names = append(names, name)
	}
	for _, person := range p.Manifest.People {
		if person.Photo != "" && !slices.Contains(names, person.Photo) {
			names = append(names, person.Photo)
		}
	}
	slices.Sort(names)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	put := func(name string, data []byte, method uint16) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: time.Now()})
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}
	if err := put(pack.ManifestFile, p.ManifestBytes, zip.Deflate); err != nil {
		return err
	}
	if p.Signature != nil {
		if err := put(pack.SignatureFile, p.Signature, zip.Deflate); err != nil {
			return err
		}
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := p.ReadFile(name)
		if err != nil {
			return fmt.Errorf("zipping the pack folder: %w", err)
		}
		if err := put(name, data, zip.Store); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// Export writes the pack zip to dst (through a temporary file beside it,
// renamed into place) and checks the copy; a later Sign signs it too.
func (st *Studio) Export(ctx context.Context, dst string) error {
	st.op.Lock()
	defer st.op.Unlock()
	z, cur, err := st.workingZip(ctx)
	if err != nil {
		return err
	}
	if err := deliver(ctx, z, dst); err != nil {
		return err
	}
	st.mu.Lock()
	if st.cur == cur && !slices.Contains(st.exported, dst) {
		st.exported = append(st.exported, dst)
	}
	st.mu.Unlock()
	st.opt.Logger.Info("studio exported the pack", "to", dst)
	return nil
}

// CopyTo copies the pack zip into the folder dir (a USB stick) under
// FileName, as Export does, and returns the copy's path.
func (st *Studio) CopyTo(ctx context.Context, dir string) (string, error) {
	cur := st.Current()
	if !cur.HasPack() {
		return "", ErrNoPack
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s: not a folder", dir)
	}
	dst := filepath.Join(dir, cur.FileName())
	return dst, st.Export(ctx, dst)
}

// Sign signs the pack with the minisign secret key at keyPath (password
// "" for a key without one): the working zip, and every copy exported
// since the pack was opened, so what was written out is signed too.
func (st *Studio) Sign(ctx context.Context, keyPath, password string) error {
	st.op.Lock()
	defer st.op.Unlock()
	data, err := sign.ReadKeyFile(keyPath)
	if err != nil {
		return fmt.Errorf("secret key: %w (make one with: kiosk pack keygen)", err)
	}
	if sign.IsEncrypted(data) && password == "" {
		return fmt.Errorf("the secret key %s needs its password", keyPath)
	}
	z, cur, err := st.workingZip(ctx)
	if err != nil {
		return err
	}
	err = packbuild.SignPack(ctx, z, func(m []byte) ([]byte, error) { return sign.Sign(data, password, m) })
	if err != nil {
		return fmt.Errorf("signing with %s: %w", keyPath, err)
	}
	st.mu.Lock()
	var out []string
	if st.cur == cur {
		out = append(out, st.exported...)
	}
	st.mu.Unlock()
	for _, dst := range out {
		if err := deliver(ctx, z, dst); err != nil {
			return fmt.Errorf("signed, but updating the exported copy: %w", err)
		}
	}
	st.opt.Logger.Info("studio signed the pack", "key", keyPath, "copies", len(out))
	return nil
}

// Signature is the working zip's signature file, nil when unsigned.
func (st *Studio) Signature(ctx context.Context) ([]byte, error) {
	z, _, err := st.workingZip(ctx)
	if err != nil {
		return nil, err
	}
	p, err := pack.OpenContext(ctx, z, pack.DefaultLimits())
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.Signature, nil
}

// Importer installs the pack zip at path into a kiosk's cache; source is
// what the organizer opened, recorded as where the pack came from.
type Importer func(ctx context.Context, path, source string) (importer.Report, error)

// Import installs the pack into a kiosk's cache through imp.
func (st *Studio) Import(ctx context.Context, imp Importer) (importer.Report, error) {
	st.op.Lock()
	defer st.op.Unlock()
	z, cur, err := st.workingZip(ctx)
	if err != nil {
		return importer.Report{}, err
	}
	return imp(ctx, z, cur.Source)
}

// CacheImporter imports into the cache file at cachePath as `kiosk pack
// import` does: importer.Import, then the demo pack retired. The cache is
// opened for the import only (a running kiosk holding it makes that an
// error naming the file).
func CacheImporter(cachePath string, opt importer.Options, log *slog.Logger) Importer {
	return func(ctx context.Context, path, source string) (importer.Report, error) {
		st, err := store.Open(cachePath, store.Options{Logger: log})
		if err != nil {
			return importer.Report{}, err
		}
		defer st.Close()
		return StoreImporter(st, opt, log)(ctx, path, source)
	}
}

// StoreImporter imports into an open cache as `kiosk pack import` does.
func StoreImporter(st *store.Store, opt importer.Options, log *slog.Logger) Importer {
	return func(ctx context.Context, path, source string) (importer.Report, error) {
		opt.Logger, opt.Source = log, source
		rep, err := importer.Import(ctx, st, path, opt)
		if err != nil {
			return rep, err
		}
		if !opt.Demo {
			demo.Retire(st, rep.PackID, log)
		}
		return rep, nil
	}
}

// deliver copies src to dst through a temporary file in dst's folder,
// synced and renamed, then reads the copy back and compares it.
func deliver(ctx context.Context, src, dst string) error {
	var want []byte
	err := atomicfile.Stream(dst, 0o644, func(f *os.File) (err error) {
		want, err = copyInto(ctx, f, src)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", dst, err)
	}
	return checkCopy(ctx, dst, want)
}

// copyInto copies src into w and returns its sha256.
func copyInto(ctx context.Context, w io.Writer, src string) ([]byte, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), ctxio.Reader(ctx, in)); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// checkCopy reads the copy back (from the drive, as far as the system
// lets it) and opens it as a kiosk would.
func checkCopy(ctx context.Context, path string, want []byte) error {
	got, err := copyInto(ctx, io.Discard, path)
	if err != nil {
		return fmt.Errorf("reading back %s: %w", path, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: the copy differs from the pack; the drive may be failing", path)
	}
	p, err := pack.OpenContext(ctx, path, pack.DefaultLimits())
	if err != nil {
		return fmt.Errorf("%s: the copy does not open: %w", path, err)
	}
	return p.Close()
}

// copyFile copies src to dst (a new file).
func copyFile(ctx context.Context, src, dst string) error {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := copyInto(ctx, out, src); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
