//go:build unix

package atomicfile

import "syscall"

// openNonblock keeps open(2) from waiting for a reader on a FIFO: with
// nobody reading it fails at once (ENXIO).
const openNonblock = syscall.O_NONBLOCK
