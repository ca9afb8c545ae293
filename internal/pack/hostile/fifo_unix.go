//go:build unix

package hostile

import "syscall"

// mkfifo makes a named pipe, which blocks whoever opens it to read.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
