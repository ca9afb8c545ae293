// Package store is the kiosk's offline cache: one bbolt file holding every
// imported pack (its manifest and its prepared images) with a schema version.
//
// Images are content-addressed blobs keyed by their SHA-256, shared between
// packs and freed when no pack refers to them. Importing a pack is atomic:
// blobs are written first (unreferenced blobs are invisible, and the next
// write frees them: opening never writes), then one transaction switches the pack record over and frees the
// blobs nothing refers to any more. A crash at any moment leaves either the old
// or the new pack, never a mix.
//
// Every stored value is checked on every read (checksum.go has the format):
// images against the SHA-256 they are keyed by, pack records (with their
// manifests) and the recovery note against a CRC-32C of key and value
// written in front of them. A value that fails is damage, not an error of
// the whole cache: it is returned as a *DamageError (errors.Is ErrCorrupt)
// naming the file, pack, person and image, logged once, and marked on the
// pack in PackStates and Check, while everything else is read as usual. A
// record that cannot be read is never left out of a listing silently:
// PackStates and Check list it with its key and the reason. Importing the
// same pack again repairs it: images whose bytes fail are written again and
// the record is replaced.
//
// Caches written before checksums existed keep working: an old-format
// record (bare JSON) is read as before, counted as unchecked by Check, and
// rewritten with its checksum the next time its pack is imported. Nothing
// is migrated when the cache is opened, because opening never writes.
package store

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/solidarity-kiosk/kiosk/internal/regfile"
)

// SchemaVersion is the layout version written into the meta bucket. Version
// 2 seals pack records and the recovery note with a checksum; this kiosk
// reads version 1 too (see the package doc) and marks the file 2 at its
// next import, so that an older kiosk refuses the file by its version
// instead of taking every sealed record for damage.
const SchemaVersion = 2

// oldestSchema is the oldest layout this kiosk reads.
const oldestSchema = 1

// DefaultTimeout is how long Open waits for another process's lock.
const DefaultTimeout = time.Second

// Sentinel errors.
var (
	// ErrLocked means another kiosk process holds the cache file.
	ErrLocked = errors.New("another kiosk is using the cache")
	// ErrNotFound means no pack or blob with that key is stored.
	ErrNotFound = errors.New("not found")
	// ErrCorrupt means a stored entry failed its integrity check.
	ErrCorrupt = errors.New("corrupt cache entry")
	// ErrSchema means the file was written by an incompatible kiosk version.
	ErrSchema = errors.New("unsupported cache schema")
	// ErrDamaged means the cache file itself is damaged; a command that
	// only reads says so and moves nothing.
	ErrDamaged = errors.New("the cache file is damaged")
	// ErrReadOnly means the cache can be read but not written (a read-only
	// file system, or a file the kiosk's user may not write).
	ErrReadOnly = errors.New("the cache is read-only")
	// ErrNoCache means a read-only open found no cache file.
	ErrNoCache = errors.New("no cache file")
	// ErrAccess means the cache file or its folder cannot be read for lack
	// of permission: not damage, and nothing is moved.
	ErrAccess = errors.New("no permission to use the cache")
)

var (
	bucketMeta  = []byte("meta")
	bucketPacks = []byte("packs")
	bucketBlobs = []byte("blobs")
	keySchema   = []byte("schema")
)

// Options configure Open.
type Options struct {
	// Timeout bounds the wait for another process's file lock; 0 means DefaultTimeout.
	Timeout time.Duration
	// Logger receives what the store skips, repairs and frees; nil means slog.Default().
	Logger *slog.Logger
	// ReadOnly opens for reading only: a missing file is ErrNoCache, a
	// damaged one ErrDamaged, and nothing is created, moved or written.
	ReadOnly bool
	// Now is the clock for the recovery record; nil means time.Now.
	Now func() time.Time
}

// Store is an open cache file. Its methods are safe for concurrent use.
type Store struct {
	path string
	opts Options
	log  *slog.Logger

	mu       sync.RWMutex // guards db (Compact swaps it)
	db       *bolt.DB
	created  bool
	readOnly string    // why the cache is read-only; "" when writable
	recovery *Recovery // what was found and done when the file was damaged

	importMu sync.Mutex // one import or removal at a time, so GC never sees another's unreferenced blobs

	damage damageLog // damage found by this process, to mark the packs it hurts

	session string // names this open in the import markers it writes (attempts.go)
}

// DefaultPath is the cache file under the user's cache directory.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache directory: %w", err)
	}
	return filepath.Join(dir, "solidarity-kiosk", "cache.db"), nil
}

// Open opens (creating when absent) the cache at path.
//
// Only damage is treated as damage: the file is checked (both header pages,
// its length, its page tree, then bbolt's own consistency check) while the
// kiosk holds its lock. A damaged file is moved aside as path.corrupt-TIME,
// the newest intact state it still holds is kept (see Recovery), and the
// result is reported by Recovery. A file that cannot be opened for lack of
// permission is reported as that (ErrAccess); a path that is a directory,
// a device or a pipe is refused (regfile.ErrNotRegular) and left alone; a file the kiosk may read but
// not write, or one on a read-only file system, is opened read-only
// (ReadOnlyReason). Opening never writes to an existing healthy file.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Store{path: path, opts: opts, log: opts.Logger, session: newSession()}
	fi, statErr := os.Stat(path)
	switch {
	case statErr == nil && !fi.Mode().IsRegular():
		// A folder, a device or a pipe is not a damaged cache: never move it.
		return nil, fmt.Errorf("the cache %s is %s, not a cache file; nothing was moved: give a file path with --cache: %w",
			path, regfile.Kind(fi.Mode()), regfile.ErrNotRegular)
	case errors.Is(statErr, os.ErrNotExist) && opts.ReadOnly:
		return nil, fmt.Errorf("%w at %s", ErrNoCache, path)
	case errors.Is(statErr, os.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, s.accessError("creating the cache folder", err)
		}
		s.created = true
	case statErr != nil:
		return nil, s.accessError("reading", statErr)
	default:
		if err := s.checkExisting(); err != nil {
			return nil, err
		}
	}
	db, err := s.openDB(opts.ReadOnly)
	if err != nil && !opts.ReadOnly && (errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)) {
		// Readable but not writable: show what the cache holds, refuse imports.
		why := "the file system is read-only"
		if !errors.Is(err, syscall.EROFS) {
			why = "this user may read but not write it"
		}
		if db, err = s.openDB(true); err == nil {
			s.readOnly = why
			s.log.Warn("the cache is read-only: the show runs from it, imports are refused", "path", path, "why", why)
		}
	}
	if err != nil {
		return nil, s.classify(err)
	}
	s.db = db
	if opts.ReadOnly && s.readOnly == "" {
		s.readOnly = "opened for reading only"
	}
	if s.recovery != nil {
		s.recordRecovery()
	} else {
		s.loadRecovery()
	}
	if s.readOnly == "" {
		s.clearTemp()
	}
	return s, nil
}

// classify turns an error from opening into one a person can act on.
func (s *Store) classify(err error) error {
	switch {
	case errors.Is(err, ErrLocked), errors.Is(err, ErrSchema), errors.Is(err, ErrDamaged), errors.Is(err, ErrAccess):
		return err
	case errors.Is(err, fs.ErrPermission):
		return s.accessError("opening", err)
	}
	return err
}

// accessError explains a permission problem and what to do; nothing is moved.
func (s *Store) accessError(doing string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w: %s %s: %v; the file belongs to another user? Start the kiosk as the user who owns it, or give another file with --cache",
			ErrAccess, doing, s.path, err)
	}
	return fmt.Errorf("%s %s: %w", doing, s.path, err)
}

// checkExisting checks an existing file under a shared lock and, when it is
// damaged, moves it aside and keeps what can be kept (not in read-only mode).
func (s *Store) checkExisting() error {
	damage, err := s.inspect()
	if err != nil {
		return s.classify(err)
	}
	if damage == "" {
		return nil
	}
	if s.opts.ReadOnly {
		return fmt.Errorf("%w: %s: %s; start the show (or import a pack) to move it aside and recover what it holds", ErrDamaged, s.path, damage)
	}
	return s.salvage(damage)
}

// inspect opens the file read-only (taking the shared lock, so no kiosk is
// writing it) and returns what is wrong with it, or "".
func (s *Store) inspect() (string, error) {
	if fi, err := os.Stat(s.path); err == nil && fi.Size() == 0 {
		return "the file is empty (0 bytes)", nil
	}
	db, err := s.boltOpen(s.path, true)
	if errors.Is(err, ErrLocked) || errors.Is(err, fs.ErrPermission) {
		return "", err
	}
	if err != nil {
		return err.Error(), nil
	}
	defer db.Close()
	return checkFile(s.path, db), nil
}

// checkFile checks an open file: both header pages, its length, its page
// tree read from disk, then bbolt's own consistency check (which runs only
// on a file that passed the others: it panics, on a goroutine of its own
// that no recover reaches, on the faults they find).
func checkFile(path string, db *bolt.DB) string {
	fm, err := readMetas(path)
	if err != nil {
		return err.Error()
	}
	if d := fm.damage(); d != "" {
		return d
	}
	m := fm.newest()
	if err := walkPages(path, m, m.root); err != nil {
		return "its page tree is damaged: " + err.Error()
	}
	var problems []string
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			if len(problems) < 5 {
				problems = append(problems, err.Error())
			}
		}
		return nil
	})
	if err != nil {
		return err.Error()
	}
	if len(problems) > 0 {
		return "bbolt's consistency check failed: " + strings.Join(problems, "; ")
	}
	var misplaced string
	if err := db.View(func(tx *bolt.Tx) error { misplaced = bucketsHoldTheirOwn(tx); return nil }); err != nil {
		return err.Error()
	}
	return misplaced
}

// bucketsHoldTheirOwn checks that each bucket holds its own kind of entry,
// at its first and last key: images keyed by hash in blobs, records (with a
// checksum mark, or old-format JSON) not keyed by hash in packs. A bucket
// header whose page number was damaged can point at a stale but well-formed
// tree on a free page, which every page check accepts; this catches it, so
// the file is treated as damaged and an earlier state kept, instead of
// listing images as damaged packs.
func bucketsHoldTheirOwn(tx *bolt.Tx) string {
	isImageKey := func(k []byte) bool { return len(k) == 71 && strings.HasPrefix(string(k), "sha256:") }
	if b := tx.Bucket(bucketBlobs); b != nil {
		c := b.Cursor()
		for _, k := range [][]byte{firstKey(c), lastKey(c)} {
			if k != nil && !isImageKey(k) {
				return fmt.Sprintf("its image bucket holds the key %.40q, which is no image's (a damaged bucket header?)", k)
			}
		}
	}
	if b := tx.Bucket(bucketPacks); b != nil {
		c := b.Cursor()
		for _, kv := range [][2][]byte{pair(c.First()), pair(c.Last())} {
			k, v := kv[0], kv[1]
			if k != nil && (isImageKey(k) || len(v) == 0 || v[0] != sealMark[0] && v[0] != '{') {
				return fmt.Sprintf("its pack bucket holds the key %.40q, which is no pack record's (a damaged bucket header?)", k)
			}
		}
	}
	return ""
}

func pair(k, v []byte) [2][]byte { return [2][]byte{k, v} }

func firstKey(c *bolt.Cursor) []byte { k, _ := c.First(); return k }

func lastKey(c *bolt.Cursor) []byte { k, _ := c.Last(); return k }

// boltOpen opens a bbolt file, turning a panic from a damaged file into an error.
func (s *Store) boltOpen(path string, readOnly bool) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("opening it panicked: %v", r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        s.opts.Timeout,
		FreelistType:   bolt.FreelistMapType,
		NoFreelistSync: true,
		ReadOnly:       readOnly,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("another kiosk is using %s: %w", path, ErrLocked)
	}
	return db, err
}

// openDB opens the cache and makes sure the buckets and schema exist.
func (s *Store) openDB(readOnly bool) (*bolt.DB, error) {
	db, err := s.boltOpen(s.path, readOnly)
	if err != nil {
		if errors.Is(err, ErrLocked) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: opening %s: %v", ErrDamaged, s.path, err)
	}
	if err := ensureBuckets(db, s.log, s.path); err != nil {
		_ = db.Close()
		if errors.Is(err, ErrSchema) {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
		return nil, fmt.Errorf("%w: initialising %s: %v", ErrDamaged, s.path, err)
	}
	return db, nil
}

// ensureBuckets creates the buckets and schema mark when missing. An
// existing, current file is only read, so opening never changes its bytes.
// A schema mark that is not a version number is damage to that one value:
// it is logged, the file is read as the current schema, and the next import
// writes the mark again.
func ensureBuckets(db *bolt.DB, log *slog.Logger, path string) error {
	ready := false
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketPacks) == nil || tx.Bucket(bucketBlobs) == nil {
			return nil
		}
		if v := meta.Get(keySchema); v != nil {
			if !schemaWellFormed(v) {
				log.Error("the cache's schema mark is damaged; reading it as the current schema, the next import writes it again",
					"path", path, "schema", string(v))
				ready = true
				return nil
			}
			if err := readableSchema(v); err != nil {
				return err
			}
			ready = true
		}
		return nil
	})
	if err != nil || ready {
		return err
	}
	if db.IsReadOnly() {
		return fmt.Errorf("%w: the file is not a kiosk cache (its buckets are missing)", ErrSchema)
	}
	return db.Update(initBuckets)
}

func initBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketMeta, bucketPacks, bucketBlobs} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	v := meta.Get(keySchema)
	if v == nil {
		return meta.Put(keySchema, []byte(fmt.Sprint(SchemaVersion)))
	}
	return readableSchema(v)
}

// readableSchema refuses a layout this kiosk cannot read.
func readableSchema(v []byte) error {
	n, err := strconv.Atoi(string(v))
	if err != nil || n < oldestSchema || n > SchemaVersion {
		return fmt.Errorf("%w: file has schema %q, this kiosk reads %d to %d", ErrSchema, v, oldestSchema, SchemaVersion)
	}
	return nil
}

// Path is the cache file's path.
func (s *Store) Path() string { return s.path }

// Created reports whether Open made a new, empty cache (first start, or after a
// damaged file was moved aside and nothing in it could be kept). The caller
// installs the demo pack then.
func (s *Store) Created() bool { return s.created }

// ReadOnlyReason says why the cache cannot be written ("" when it can).
func (s *Store) ReadOnlyReason() string { return s.readOnly }

// Close closes the cache file, first emptying its temporary folder (while
// the lock still keeps other kiosks out).
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	if s.readOnly == "" {
		s.emptyTemp()
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// view runs fn in a read transaction, turning a panic from a damaged page into ErrCorrupt.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return errors.New("store is closed")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: reading %s: %v", ErrCorrupt, s.path, r)
			s.log.Error("damaged cache page", "path", s.path, "panic", r)
		}
	}()
	return s.db.View(fn)
}

// update runs fn in a write transaction.
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return errors.New("store is closed")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: writing %s: %v", ErrCorrupt, s.path, r)
			s.log.Error("damaged cache page", "path", s.path, "panic", r)
		}
	}()
	if s.readOnly != "" {
		return fmt.Errorf("%w (%s): %s; packs cannot be imported or removed", ErrReadOnly, s.readOnly, s.path)
	}
	return s.db.Update(fn)
}
