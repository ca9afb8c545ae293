//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakKiB is the peak resident memory of the process (Linux reports
// ru_maxrss in KiB), its waited-for children included.
func peakKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}

// exitCode is the exit code, or 128 + the signal that ended the process.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
