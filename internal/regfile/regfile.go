// Package regfile opens the files the kiosk is given by name (its cache,
// the cache's position file, the config, key files, files in a watched
// folder) only when they are regular files, and reads them with a size
// bound. A directory, a device, a pipe or a socket given where a file is
// expected is refused with a message that says what it is; it is never
// opened in a way that could block, read without end, or be moved.
package regfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is returned for a path that names something other than a
// regular file (a directory, a device, a pipe, a socket).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned by Read for a file larger than its bound.
var ErrTooLarge = errors.New("file too large")

// Kind names what a file mode is, for a person: "a directory", "a
// character device", "a named pipe (FIFO)", ...
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "not a regular file"
}

// Check says whether path is a regular file (following symbolic links). A
// missing path gives an error that matches fs.ErrNotExist; anything other
// than a regular file gives one that matches ErrNotRegular and says what it
// is. Nothing is opened.
func Check(path string) (fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return fi, notRegular(path, fi.Mode())
	}
	return fi, nil
}

func notRegular(path string, m fs.FileMode) error {
	return fmt.Errorf("%s is %s: %w", path, Kind(m), ErrNotRegular)
}

// Open opens path for reading if it is a regular file. The file is opened
// without blocking (a pipe put there after the check cannot hang the
// caller) and checked again once open, so a swap between the two is
// refused too.
func Open(path string) (*os.File, error) {
	if _, err := Check(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = notRegular(path, fi.Mode())
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// Read reads the whole of the regular file path, refusing one of more than
// limit bytes (ErrTooLarge) without reading it.
func Read(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is over %d bytes: %w", path, limit, ErrTooLarge)
	}
	return data, nil
}
