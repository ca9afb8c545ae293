package store

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// crashVersions are the two versions the child alternates between, with
// their photo counts, so the parent can tell a whole pack from a mix.
var crashVersions = map[string]int{"a": 30, "b": 20}

// TestCrashChild is the child half of TestKillDuringImport; it does nothing
// unless started by it.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("STORE_CRASH_CHILD")
	if path == "" {
		t.Skip("only runs as the child of TestKillDuringImport")
	}
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		v := "a"
		if i%2 == 1 {
			v = "b"
		}
		rec, blobs := fakePack("alpha", v, crashVersions[v], fmt.Sprint(v, i)) // new bytes every round
		if err := s.Import(rec, blobs); err != nil {
			fmt.Println("import:", err)
			os.Exit(3)
		}
		if i == 0 {
			fmt.Println("ready")
		}
	}
}

// TestKillDuringImport kills a process with SIGKILL at random moments while it
// re-imports a pack, and checks the cache each time: it opens, it passes its
// own consistency check, and it holds one whole version of the pack.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "cache.db")
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), "STORE_CRASH_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line != "ready\n" {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: child said %q", round, line)
		}
		time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		s, err := Open(path, Options{Logger: quietLogger()})
		if err != nil {
			t.Fatalf("round %d: cache does not open after kill -9: %v", round, err)
		}
		if probs := checkProblems(t, s); len(probs) > 0 {
			t.Fatalf("round %d: inconsistent after kill -9: %v", round, probs)
		}
		rec, err := s.Pack("alpha")
		if err != nil {
			t.Fatalf("round %d: pack lost after kill -9: %v", round, err)
		}
		if want, ok := crashVersions[rec.Version]; !ok || len(rec.Photos) != want {
			t.Fatalf("round %d: version %q with %d photos: a mix", round, rec.Version, len(rec.Photos))
		}
		// Orphans of the killed import stay until the next write frees them.
		marker, mb := fakePack("marker", fmt.Sprint(round), 1, fmt.Sprint("marker", round))
		if err := s.Import(marker, mb); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := s.Remove("marker"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		st, _ := s.Stats()
		if st.Blobs != 2*len(rec.Photos) {
			t.Fatalf("round %d: %d blobs for %d photos: orphans survived", round, st.Blobs, len(rec.Photos))
		}
		_ = s.Close()
	}
}
