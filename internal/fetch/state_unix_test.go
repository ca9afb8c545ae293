//go:build unix

package fetch_test

import (
	"syscall"
	"testing"
)

func init() {
	// A pipe would block a reader that opened it without looking.
	damagedStates["a named pipe"] = func(t *testing.T, path, _ string) {
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
