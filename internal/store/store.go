// Package store is the kiosk's offline cache: one bbolt file holding every
// imported pack (its manifest and its prepared images) with a schema version.
//
// Images are content-addressed blobs keyed by their SHA-256, shared between
// packs and freed when no pack refers to them. Importing a pack is atomic:
// blobs are written first (unreferenced blobs are invisible and swept on the
// next open), then one transaction switches the pack record over and frees the
// blobs nothing refers to any more. A crash at any moment leaves either the old
// or the new pack, never a mix.
package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout version written into the meta bucket.
const SchemaVersion = 1

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
}

// Store is an open cache file. Its methods are safe for concurrent use.
type Store struct {
	path string
	opts Options
	log  *slog.Logger

	mu      sync.RWMutex // guards db (Compact swaps it)
	db      *bolt.DB
	created bool

	importMu sync.Mutex // one import or removal at a time, so GC never sees another's unreferenced blobs
}

// DefaultPath is the cache file under the user's cache directory.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache directory: %w", err)
	}
	return filepath.Join(dir, "solidarity-kiosk", "cache.db"), nil
}

// Open opens (creating when absent) the cache at path. A file that bbolt
// cannot open is moved aside as path.corrupt-TIME and a fresh cache is made.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the cache directory: %w", err)
	}
	s := &Store{path: path, opts: opts, log: opts.Logger}
	_, statErr := os.Stat(path)
	s.created = errors.Is(statErr, os.ErrNotExist)

	db, err := s.openDB()
	if errors.Is(err, ErrLocked) || errors.Is(err, ErrSchema) {
		return nil, err
	}
	if err != nil {
		if qerr := s.quarantine(err); qerr != nil {
			return nil, qerr
		}
		if db, err = s.openDB(); err != nil {
			return nil, err
		}
	}
	s.db = db
	if err := s.sweep(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// openDB opens the bbolt file and makes sure the buckets and schema exist.
func (s *Store) openDB() (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: opening %s panicked: %v", ErrCorrupt, s.path, r)
		}
	}()
	db, err = bolt.Open(s.path, 0o600, &bolt.Options{
		Timeout:        s.opts.Timeout,
		FreelistType:   bolt.FreelistMapType,
		NoFreelistSync: true,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("another kiosk is using %s: %w", s.path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: opening %s: %v", ErrCorrupt, s.path, err)
	}
	if err := ensureBuckets(db); err != nil {
		_ = db.Close()
		if errors.Is(err, ErrSchema) {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
		return nil, fmt.Errorf("%w: initialising %s: %v", ErrCorrupt, s.path, err)
	}
	return db, nil
}

// ensureBuckets creates the buckets and schema mark when missing. An
// existing, current file is only read, so opening never changes its bytes.
func ensureBuckets(db *bolt.DB) error {
	ready := false
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketPacks) == nil || tx.Bucket(bucketBlobs) == nil {
			return nil
		}
		if v := meta.Get(keySchema); v != nil {
			if string(v) != fmt.Sprint(SchemaVersion) {
				return fmt.Errorf("%w: file has schema %q, this kiosk reads %d", ErrSchema, v, SchemaVersion)
			}
			ready = true
		}
		return nil
	})
	if err != nil || ready {
		return err
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
	if string(v) != fmt.Sprint(SchemaVersion) {
		return fmt.Errorf("%w: file has schema %q, this kiosk reads %d", ErrSchema, v, SchemaVersion)
	}
	return nil
}

// quarantine moves a file bbolt cannot open out of the way.
func (s *Store) quarantine(cause error) error {
	dst := fmt.Sprintf("%s.corrupt-%s", s.path, time.Now().UTC().Format("20060102T150405Z"))
	if err := os.Rename(s.path, dst); err != nil {
		return fmt.Errorf("%w; moving it aside failed: %v", cause, err)
	}
	s.log.Error("cache file could not be opened; moved aside and starting a fresh cache",
		"path", s.path, "moved_to", dst, "cause", cause)
	s.created = true
	return nil
}

// Path is the cache file's path.
func (s *Store) Path() string { return s.path }

// Created reports whether Open made a new, empty cache (first start, or after a
// corrupt file was moved aside). The caller installs the demo pack then.
func (s *Store) Created() bool { return s.created }

// Close closes the cache file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
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
	return s.db.Update(fn)
}
