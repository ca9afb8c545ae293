package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Recovery is what Open found and did when the cache file was damaged. It
// is kept in the new cache, so the operator panel and `kiosk pack list` say
// it until the moved-aside file is deleted.
type Recovery struct {
	At      time.Time `json:"at"`       // when the damage was found
	Cause   string    `json:"cause"`    // what was wrong with the file
	MovedTo string    `json:"moved_to"` // where the damaged file now is
	Kept    bool      `json:"kept"`     // an earlier intact state of it was kept
	Packs   int       `json:"packs"`    // packs in the kept state
}

// String is the sentence the operator reads.
func (r Recovery) String() string {
	what := "nothing in it could be kept, so a fresh cache was started: import your packs again"
	if r.Kept {
		what = fmt.Sprintf("the last intact state it held (%d pack(s)) was kept: import again any pack that is missing or out of date", r.Packs)
	}
	return fmt.Sprintf("The cache file was damaged (%s). On %s it was moved aside to %s; %s.",
		r.Cause, r.At.Local().Format("2006-01-02 15:04"), r.MovedTo, what)
}

// Recovery reports the damage found in this cache file and what was done,
// or nil. It stays reported until the moved-aside file is deleted.
func (s *Store) Recovery() *Recovery { return s.recovery }

var keyRecovery = []byte("recovery")

// salvage moves the damaged file aside and keeps the newest intact state it
// still holds, compacted into a fresh file at the cache's path.
func (s *Store) salvage(cause string) error {
	now := s.opts.Now()
	aside := fmt.Sprintf("%s.corrupt-%s", s.path, now.UTC().Format("20060102T150405Z"))
	if err := os.Rename(s.path, aside); err != nil {
		return fmt.Errorf("%w: %s: %s; moving it aside failed: %v", ErrDamaged, s.path, cause, err)
	}
	rec := &Recovery{At: now, Cause: cause, MovedTo: aside}
	rec.Packs, rec.Kept = s.keepIntact(aside)
	s.created = !rec.Kept
	s.recovery = rec
	s.log.Error("the cache file was damaged; it was moved aside", "path", s.path, "cause", cause,
		"moved_to", aside, "kept_earlier_state", rec.Kept, "packs_kept", rec.Packs)
	return nil
}

// keepIntact looks for an intact state in the damaged file: the state its
// newest valid header page describes, else the one the other header page
// describes (the state before the last change). Each is tried on a copy in
// which both header pages say the same, so that bbolt's own checks, which
// assert that both header pages are sound, can run; the first state that
// passes every check is compacted into a fresh file at the cache's path.
func (s *Store) keepIntact(aside string) (int, bool) {
	fm, err := readMetas(aside)
	if err != nil {
		return 0, false
	}
	var order []int
	for i := range fm.m {
		if fm.m[i].valid {
			order = append(order, i)
		}
	}
	if len(order) == 2 && fm.m[1].txid > fm.m[0].txid {
		order = []int{1, 0}
	}
	copyPath := s.path + ".older"
	defer os.Remove(copyPath)
	for _, i := range order {
		if err := copyWithMeta(aside, copyPath, i, fm.m[i].pageSize); err != nil {
			s.log.Warn("cannot look for an intact state in the damaged cache", "err", err)
			return 0, false
		}
		if n, ok := s.keepFrom(copyPath); ok {
			return n, true
		}
	}
	return 0, false
}

// keepFrom compacts the file at src into the cache's path when it is
// intact and a kiosk cache; it returns the number of packs kept.
func (s *Store) keepFrom(src string) (packs int, ok bool) {
	db, err := s.boltOpen(src, true)
	if err != nil {
		return 0, false
	}
	defer db.Close()
	if checkFile(src, db) != "" {
		return 0, false
	}
	err = db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil || tx.Bucket(bucketBlobs) == nil || tx.Bucket(bucketPacks) == nil {
			return errors.New("not a kiosk cache")
		}
		packs = tx.Bucket(bucketPacks).Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, false
	}
	tmp := s.path + ".salvage"
	_ = os.Remove(tmp)
	dst, err := s.boltOpen(tmp, false)
	if err != nil {
		return 0, false
	}
	err = bolt.Compact(dst, db, 64<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		s.log.Warn("cannot keep the intact state of the damaged cache", "err", err)
		return 0, false
	}
	return packs, true
}

// copyWithMeta copies src to dst with header page keep also written over
// the other header page (its page id set right), so both describe one state.
func copyWithMeta(src, dst string, keep, pageSize int) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	page := make([]byte, pageSize)
	if _, err := in.ReadAt(page, int64(keep*pageSize)); err != nil {
		return err
	}
	other := 1 - keep
	binary.LittleEndian.PutUint64(page, uint64(other))
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if _, err := out.WriteAt(page, int64(other*pageSize)); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// recordRecovery keeps the recovery record in the new cache.
func (s *Store) recordRecovery() {
	payload, _ := json.Marshal(s.recovery)
	val := seal(keyRecovery, payload)
	err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyRecovery, val) })
	if err != nil {
		s.log.Warn("cannot keep the recovery note in the cache", "err", err)
	}
}

// loadRecovery reads the recovery record of an earlier open, as long as the
// moved-aside file it names is still there.
func (s *Store) loadRecovery() {
	var rec Recovery
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyRecovery)
		if v == nil {
			return ErrNotFound
		}
		payload, _, err := unseal(keyRecovery, v)
		if err != nil {
			s.log.Error("the cache's recovery note is damaged; it is not shown", "path", s.path, "err", err)
			return err
		}
		return json.Unmarshal(payload, &rec)
	})
	if err != nil || rec.MovedTo == "" {
		return
	}
	if _, err := os.Stat(rec.MovedTo); err == nil {
		s.recovery = &rec
	}
}

// TempDir is the one folder for temporary files of this cache (pack copies,
// import spools, downloads): beside the cache file, emptied on every open
// for writing, when no other kiosk can be using it.
func (s *Store) TempDir() string { return s.path + ".tmp" }

// clearTemp empties TempDir and removes what earlier versions left beside
// the cache; it runs under the cache's exclusive lock.
func (s *Store) clearTemp() {
	dir := filepath.Dir(s.path)
	var left []string
	if entries, err := os.ReadDir(s.TempDir()); err == nil {
		for _, e := range entries {
			left = append(left, filepath.Join(s.TempDir(), e.Name()))
		}
	}
	for _, pattern := range []string{"incoming-*.zip", "spool-*.bin", "demo-pack-*", filepath.Join("downloads", "download-*.zip")} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		left = append(left, m...)
	}
	left = append(left, s.path+".compact", s.path+".salvage", s.path+".older")
	var n int
	var bytes int64
	for _, p := range left {
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		bytes += treeSize(p, fi)
		if err := os.RemoveAll(p); err != nil {
			s.log.Warn("cannot remove a leftover temporary file", "path", p, "err", err)
			continue
		}
		n++
	}
	if n > 0 {
		s.log.Info("removed temporary files left by an earlier run", "count", n, "bytes", bytes, "folder", s.TempDir())
	}
	if err := os.MkdirAll(s.TempDir(), 0o700); err != nil {
		s.log.Warn("cannot make the temporary folder", "path", s.TempDir(), "err", err)
	}
}

func treeSize(p string, fi fs.FileInfo) int64 {
	if !fi.IsDir() {
		return fi.Size()
	}
	var n int64
	_ = filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// emptyTemp removes what is left in TempDir.
func (s *Store) emptyTemp() {
	entries, err := os.ReadDir(s.TempDir())
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(s.TempDir(), e.Name())
		if err := os.RemoveAll(p); err != nil {
			s.log.Warn("cannot remove a temporary file", "path", p, "err", err)
		}
	}
}
