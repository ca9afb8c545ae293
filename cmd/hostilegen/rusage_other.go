//go:build !unix

package main

import "os"

// peakKiB is not known here.
func peakKiB(*os.ProcessState) int64 { return 0 }

// exitCode is the process's exit code.
func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
