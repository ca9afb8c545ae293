//go:build unix

package atomicfile

import (
	"os/exec"
	"testing"
)

// deadPID is the PID of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	pid := cmd.Process.Pid
	if alive, known := processAlive(pid); !known || alive {
		t.Skipf("PID %d is in use again", pid)
	}
	return pid
}
