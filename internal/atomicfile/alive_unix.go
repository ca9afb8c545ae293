//go:build unix

package atomicfile

import (
	"errors"
	"syscall"
)

// processAlive says whether a process with this PID exists; known is false
// when that cannot be told.
func processAlive(pid int) (alive, known bool) {
	err := syscall.Kill(pid, 0)
	switch {
	case err == nil, errors.Is(err, syscall.EPERM):
		return true, true
	case errors.Is(err, syscall.ESRCH):
		return false, true
	}
	return false, false
}
