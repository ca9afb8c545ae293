// Package atomicfile writes files so that a crash, a power cut, a failed
// write or a cancel leaves either the old content or the new, never half
// of one: the data goes to a temporary file in the same folder, is synced,
// and is renamed over the target only when it is whole.
//
// Only a regular file (or a missing one) is ever replaced. An output that
// is a character device or a named pipe (`--out /dev/null`, a FIFO, and
// "-" for standard output) is written through as a stream, never
// replaced, renamed or chmod-ed; a directory, a block device or a socket is
// refused with a message saying what it is. A symbolic link to a regular
// file keeps the link and replaces the file it points to.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/solidarity-kiosk/kiosk/internal/regfile"
)

// ErrNotRegular is returned for an output that is neither a regular file
// nor something to write through (a directory, a block device, a socket).
var ErrNotRegular = regfile.ErrNotRegular

// Stdout is the output name that means standard output.
const Stdout = "-"

// Write replaces path with data, with permissions perm.
func Write(path string, data []byte, perm os.FileMode) error {
	return Stream(path, perm, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// Stream replaces path with what write writes into the file it is given,
// with permissions perm. When write fails, path is left as it was (or
// absent) and the temporary file is removed; the error is write's.
func Stream(path string, perm os.FileMode, write func(f *os.File) error) error {
	if path == Stdout {
		return write(os.Stdout)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case fi.Mode().IsRegular():
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real
		}
	case fi.Mode()&(fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return through(path, fi.Mode(), write)
	default:
		return fmt.Errorf("%s is %s, not a file to write: %w", path, regfile.Kind(fi.Mode()), ErrNotRegular)
	}
	dir := filepath.Dir(path)
	sweep(dir, filepath.Base(path))
	tmp, err := os.CreateTemp(dir, tempPrefix(filepath.Base(path), os.Getpid())+"*.tmp")
	if err != nil {
		return err
	}
	track(tmp.Name())
	defer untrack(tmp.Name())
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// through writes into a character device or a named pipe as it is. A pipe
// nobody reads is refused rather than waited on.
func through(path string, mode fs.FileMode, write func(f *os.File) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|openNonblock, 0)
	if err != nil {
		if mode&fs.ModeNamedPipe != 0 {
			return fmt.Errorf("%s is a named pipe (FIFO) that nothing is reading: %w", path, err)
		}
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
