package pack

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// dirSource reads a pack folder through os.Root, so no path can leave it,
// and refuses symlinks anywhere on the way to a file.
type dirSource struct {
	root *os.Root
}

func openDir(path string) (*dirSource, error) {
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &dirSource{root: root}, nil
}

func (d *dirSource) open(name string) (io.ReadCloser, error) {
	parts := strings.Split(name, "/")
	for i := range parts {
		fi, err := d.root.Lstat(strings.Join(parts[:i+1], "/"))
		if err != nil {
			return nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("is a symbolic link; packs may not contain links")
		}
		if i == len(parts)-1 && !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("is not a regular file")
		}
	}
	return d.root.Open(name)
}

func (d *dirSource) close() error { return d.root.Close() }
