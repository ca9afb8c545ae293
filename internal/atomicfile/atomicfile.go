// Package atomicfile writes files so that a crash, a power cut, a failed
// write or a cancel leaves either the old content or the new, never half
// of one: the data goes to a temporary file in the same folder, is synced,
// and is renamed over the target only when it is whole.
package atomicfile

import (
	"os"
	"path/filepath"
)

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
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
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

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
