package packbuild

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/ctxio"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// Signer signs a manifest's bytes and returns the minisign signature file.
type Signer func(manifest []byte) ([]byte, error)

// SignPack signs the pack at path, a folder or a .zip: the signature of
// pack.json, byte for byte, is written as pack.json.minisig beside it (in
// the folder) or into the zip (which is rewritten through a temporary file
// and renamed, replacing any older signature). The pack's files are
// covered through the hashes pack.json lists; SignPack refuses a pack
// whose manifest does not list every photo it names, since such a photo
// could be changed without breaking the signature. The pack is first
// opened as the kiosk opens it (pack.Open), so a zip or manifest past the
// pack limits is refused before anything else reads it. Cancelling ctx
// stops the copy of a zip within one 32 KiB write and removes its
// temporary file.
func SignPack(ctx context.Context, path string, sign Signer) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	p, err := pack.Open(path, pack.DefaultLimits())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	manifest := p.ManifestBytes
	if err := p.Close(); err != nil {
		return err
	}
	if fi.IsDir() {
		return signDir(path, manifest, sign)
	}
	return signZip(ctx, path, sign)
}

func signDir(dir string, manifest []byte, sign Signer) error {
	sig, err := signManifest(dir, manifest, sign)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, pack.SignatureFile), sig, 0o644)
}

// signManifest checks the manifest covers every photo, then signs it.
func signManifest(path string, manifest []byte, sign Signer) ([]byte, error) {
	m, probs := pack.Parse(manifest)
	if err := probs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var unlisted []string
	for _, p := range m.People {
		if p.Photo != "" && m.Files[p.Photo] == "" {
			unlisted = append(unlisted, p.Photo)
		}
	}
	if len(unlisted) > 0 {
		return nil, fmt.Errorf("%s: pack.json: files: no sha256 for %s; a signature would not cover them (kiosk pack build lists every photo)",
			path, strings.Join(unlisted, ", "))
	}
	return sign(manifest)
}

func signZip(ctx context.Context, path string, sign Signer) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	var manifest []byte
	for _, f := range zr.File {
		if f.Name == pack.ManifestFile {
			if manifest, err = readEntry(f); err != nil {
				return fmt.Errorf("%s: %s: %w", path, f.Name, err)
			}
		}
	}
	if manifest == nil {
		return fmt.Errorf("%s: no %s at the top of the zip", path, pack.ManifestFile)
	}
	sig, err := signManifest(path, manifest, sign)
	if err != nil {
		return err
	}
	// The signed zip keeps the mode the organizer gave it.
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	err = atomicfile.Stream(path, perm, func(f *os.File) error { return copyZipWith(ctxio.Writer(ctx, f), zr, sig) })
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// copyZipWith copies every entry but an old signature, then adds sig.
func copyZipWith(w io.Writer, zr *zip.ReadCloser, sig []byte) error {
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		if f.Name == pack.SignatureFile {
			continue
		}
		if err := zw.Copy(f); err != nil {
			return err
		}
	}
	sw, err := zw.Create(pack.SignatureFile)
	if err != nil {
		return err
	}
	if _, err := sw.Write(sig); err != nil {
		return err
	}
	return zw.Close()
}

func readEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > 16<<20 {
		return nil, errors.New("larger than 16 MiB")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 16<<20+1))
}
