package packbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"image"
	_ "image/jpeg" // photo headers
	_ "image/png"
	"io"
	"os"
	"path"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	_ "golang.org/x/image/webp"
)

// Limits the kiosk enforces on photos (docs/PACK-FORMAT.md).
const (
	maxPhotoBytes  = 64 << 20
	maxPhotoPixels = 100_000_000
)

// photoDir is the folder of photos, read through os.Root so that no name
// in the spreadsheet can leave it.
type photoDir struct {
	dir     string
	root    *os.Root
	files   []string            // photo files at the top of the folder
	byKey   map[string][]string // matchKey of a file's name without extension → files
	used    map[string]bool
	checked map[string]photoFile
}

// photoFile is a photo that may go into the pack.
type photoFile struct {
	ext  string // from the content: .jpg, .png or .webp
	hash string // sha256:hex
}

// photoCopy is one photo to copy into the zip.
type photoCopy struct {
	src, dst, hash string
}

// openPhotos lists the folder; "" gives an empty set.
func openPhotos(dir string) (*photoDir, error) {
	d := &photoDir{dir: dir, byKey: map[string][]string{}, used: map[string]bool{}, checked: map[string]photoFile{}}
	if dir == "" {
		return d, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("photos folder: %w", err)
	}
	d.root = root
	entries, err := os.ReadDir(dir)
	if err != nil {
		_ = root.Close()
		return nil, fmt.Errorf("photos folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		ext := path.Ext(name)
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || pack.PhotoFormat(ext) == "" {
			continue
		}
		d.files = append(d.files, name)
		key := matchKey(strings.TrimSuffix(name, ext))
		d.byKey[key] = append(d.byKey[key], name)
	}
	return d, nil
}

func (d *photoDir) close() {
	if d.root != nil {
		_ = d.root.Close()
	}
}

// assign gives each person their photo, leaves out the people whose photo
// has a problem, and fills the report's lists of unmatched photos and
// people without a photo.
func (d *photoDir) assign(ctx context.Context, sh *Sheet, rep *Report) ([]photoCopy, Problems) {
	m := sh.Manifest
	var probs Problems
	var copies []photoCopy
	kept := m.People[:0]
	for i, p := range m.People {
		if ctx.Err() != nil {
			break
		}
		row := sh.Rows[i]
		c, reason := d.photoFor(&p, row)
		if reason != "" {
			probs = append(probs, RowProblem{File: sh.File, Row: row.Line, Column: row.PhotoColumn, Reason: reason})
			continue
		}
		if c.src != "" {
			copies = append(copies, c)
			p.Photo = c.dst
			setFile(m, c)
		} else if p.Consent.PhotoAllowed() {
			rep.WithoutPhoto = append(rep.WithoutPhoto, p.ID)
		}
		kept = append(kept, p)
	}
	m.People = kept
	for _, f := range d.files {
		if !d.used[f] {
			rep.UnmatchedPhotos = append(rep.UnmatchedPhotos, f)
		}
	}
	return copies, probs
}

func setFile(m *pack.Manifest, c photoCopy) {
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	m.Files[c.dst] = c.hash
}

// photoFor finds, checks and plans the copy of one person's photo. A
// person without photo consent is matched (so the file is not reported as
// unmatched) but the photo is not copied.
func (d *photoDir) photoFor(p *pack.Person, row Row) (photoCopy, string) {
	name, reason := d.match(p, row)
	if reason != "" || name == "" {
		return photoCopy{}, reason
	}
	d.used[name] = true
	if !p.Consent.PhotoAllowed() {
		return photoCopy{}, ""
	}
	f, reason := d.check(name)
	if reason != "" {
		return photoCopy{}, reason
	}
	return photoCopy{src: name, dst: "photos/" + p.ID + f.ext, hash: f.hash}, ""
}

// match finds the photo file of a person: the photo cell, else the one file
// whose name without extension is the id or one of the names, compared
// case- and accent-insensitively with _, - and spaces alike.
func (d *photoDir) match(p *pack.Person, row Row) (string, string) {
	if row.Photo != "" {
		return d.resolve(row.Photo)
	}
	found := map[string]bool{}
	keys := []string{matchKey(p.ID)}
	for _, n := range p.Name {
		keys = append(keys, matchKey(n))
	}
	for _, k := range keys {
		for _, f := range d.byKey[k] {
			found[f] = true
		}
	}
	switch names := sortedKeys(found); len(names) {
	case 0:
		return "", ""
	case 1:
		return names[0], ""
	default:
		for _, n := range names {
			d.used[n] = true // they match someone; the problem names them
		}
		return "", fmt.Sprintf("several photos match this person (%s); name one in a photo column", strings.Join(names, ", "))
	}
}

// resolve finds the file a photo cell names, inside the photos folder.
func (d *photoDir) resolve(cell string) (string, string) {
	name := strings.ReplaceAll(cell, "\\", "/")
	clean := path.Clean(name)
	ext := strings.ToLower(path.Ext(clean))
	switch {
	case d.root == nil:
		return "", fmt.Sprintf("names %q, but no photos folder was given", cell)
	case path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(clean, ":"):
		return "", fmt.Sprintf("%q must be a file name inside the photos folder", cell)
	case ext == ".heic" || ext == ".heif":
		return "", fmt.Sprintf("%q: HEIC photos are not supported, export it as JPEG", cell)
	case pack.PhotoFormat(ext) == "":
		return "", fmt.Sprintf("%q must be a .jpg, .jpeg, .png or .webp file", cell)
	}
	if fi, err := d.root.Stat(clean); err == nil && fi.Mode().IsRegular() {
		return clean, ""
	}
	for _, f := range d.files {
		if strings.EqualFold(f, clean) {
			return f, ""
		}
	}
	return "", fmt.Sprintf("no file %q in the photos folder %s", cell, d.dir)
}

// check reads a photo once: its size, its hash, and a header that decodes
// as the image type its content says, within the kiosk's limits.
func (d *photoDir) check(name string) (photoFile, string) {
	if f, ok := d.checked[name]; ok {
		return f, ""
	}
	data, err := d.read(name)
	if err != nil {
		return photoFile{}, fmt.Sprintf("%s: %v", name, err)
	}
	ext := sniff(data)
	if ext == "" {
		return photoFile{}, fmt.Sprintf("%s is not a JPEG, PNG or WebP image (HEIC? export it as JPEG)", name)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return photoFile{}, fmt.Sprintf("%s: damaged image: %v", name, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPhotoPixels {
		return photoFile{}, fmt.Sprintf("%s is %d×%d pixels; the limit is 100 megapixels", name, cfg.Width, cfg.Height)
	}
	sum := sha256.Sum256(data)
	f := photoFile{ext: ext, hash: "sha256:" + hex.EncodeToString(sum[:])}
	d.checked[name] = f
	return f, ""
}

func (d *photoDir) read(name string) ([]byte, error) {
	f, err := d.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPhotoBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPhotoBytes {
		return nil, fmt.Errorf("larger than the limit of %d MiB", maxPhotoBytes>>20)
	}
	return data, nil
}

// sniff names the extension the content calls for, or "".
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return ".jpg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return ".png"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return ".webp"
	}
	return ""
}

// copyTo copies a photo byte for byte, failing when it is no longer the
// file that was hashed.
func (d *photoDir) copyTo(w io.Writer, c photoCopy) error {
	f, err := d.root.Open(c.src)
	if err != nil {
		return fmt.Errorf("photos folder: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(f, maxPhotoBytes+1)); err != nil {
		return fmt.Errorf("photos folder: %s: %w", c.src, err)
	}
	if got := sum(h); got != c.hash {
		return fmt.Errorf("photos folder: %s changed while the pack was being built; build again", c.src)
	}
	return nil
}

func sum(h hash.Hash) string { return "sha256:" + hex.EncodeToString(h.Sum(nil)) }
