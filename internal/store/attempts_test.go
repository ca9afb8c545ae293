package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	st, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestAttemptMarkerOfADeadProcessReadsAsDied: a marker left by another
// open of the cache (a process that died) is a death; the process's own
// marker is in progress; settling writes it down.
func TestAttemptMarkerOfADeadProcessReadsAsDied(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	st := openAt(t, path)
	if err := st.BeginAttempt("/media/a.zip", "size=1 mtime=2", "watch"); err != nil {
		t.Fatal(err)
	}
	a, ok, err := st.LastAttempt("/media/a.zip")
	if err != nil || !ok || a.Outcome != AttemptInProgress || a.Blocks("size=1 mtime=2") {
		t.Fatalf("own marker: %+v %v %v", a, ok, err)
	}
	// The process dies: no EndAttempt. bbolt's Close stands for the lock
	// the kernel drops when a process ends.
	_ = st.Close()

	before, _ := os.ReadFile(path)
	st = openAt(t, path)
	defer st.Close()
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("opening wrote to the cache")
	}
	a, ok, err = st.LastAttempt("/media/a.zip")
	if err != nil || !ok || a.Outcome != AttemptDied || a.Reason != DiedReason {
		t.Fatalf("marker of a dead process: %+v %v %v", a, ok, err)
	}
	if !a.Blocks("size=1 mtime=2") || a.Blocks("size=1 mtime=3") {
		t.Fatalf("a death blocks the same content only: %+v", a)
	}
	if !strings.Contains(a.String(), "not retried: the kiosk stopped during this import") {
		t.Errorf("operator line: %s", a)
	}
	died, err := st.SettleAttempts()
	if err != nil || len(died) != 1 || died[0].Source != "/media/a.zip" {
		t.Fatalf("settle: %+v %v", died, err)
	}
	if died, err := st.SettleAttempts(); err != nil || len(died) != 0 {
		t.Fatalf("second settle: %+v %v", died, err)
	}
	a, _, _ = st.LastAttempt("/media/a.zip")
	if a.Outcome != AttemptDied || a.Session != "" {
		t.Fatalf("settled record: %+v", a)
	}
}

// TestAttemptOutcomes: a failure is kept with its reason, a success clears.
func TestAttemptOutcomes(t *testing.T) {
	st := openAt(t, filepath.Join(t.TempDir(), "cache.db"))
	defer st.Close()
	if err := st.BeginAttempt("https://example.org/p.zip", "sha256:ab", "url"); err != nil {
		t.Fatal(err)
	}
	if err := st.EndAttempt("https://example.org/p.zip", errors.New("pack.json: missing\nmore")); err != nil {
		t.Fatal(err)
	}
	a, ok, err := st.LastAttempt("https://example.org/p.zip")
	if err != nil || !ok || a.Outcome != AttemptFailed || !a.Blocks("sha256:ab") || a.Origin != "url" || a.Ended.IsZero() {
		t.Fatalf("failure: %+v %v %v", a, ok, err)
	}
	if s := a.String(); !strings.Contains(s, "not retried: pack.json: missing, at ") || strings.Contains(s, "more") {
		t.Errorf("operator line: %s", s)
	}
	if err := st.BeginAttempt("https://example.org/p.zip", "sha256:cd", "url"); err != nil {
		t.Fatal(err)
	}
	if err := st.EndAttempt("https://example.org/p.zip", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.LastAttempt("https://example.org/p.zip"); ok || err != nil {
		t.Fatalf("a success is forgotten: %v %v", ok, err)
	}
	if all, err := st.Attempts(); err != nil || len(all) != 0 {
		t.Fatalf("attempts: %+v %v", all, err)
	}
}

// TestDamagedAttemptRecordBlocksNothing: a record with a flipped bit is
// reported as damaged, blocks nothing and is replaced by the next attempt.
func TestDamagedAttemptRecordBlocksNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	st := openAt(t, path)
	if err := st.BeginAttempt("/media/b.zip", "size=9 mtime=9", "watch"); err != nil {
		t.Fatal(err)
	}
	if err := st.EndAttempt("/media/b.zip", errors.New("refused")); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, []byte(`"refused"`))
	if i < 0 {
		t.Fatal("record not found in the file")
	}
	data[i+2] ^= 0x04
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	st = openAt(t, path)
	defer st.Close()
	a, ok, err := st.LastAttempt("/media/b.zip")
	if err != nil || !ok || a.Damage == "" || a.Blocks("size=9 mtime=9") || !strings.Contains(a.String(), "damaged") {
		t.Fatalf("damaged record: %+v %v %v", a, ok, err)
	}
	rep, err := st.Check(context.Background())
	if err != nil || len(rep.Other) != 1 || !strings.Contains(rep.Other[0].Error(), "import attempt of /media/b.zip") {
		t.Fatalf("check: %v %v", rep.Other, err)
	}
	if err := st.BeginAttempt("/media/b.zip", "size=9 mtime=9", "watch"); err != nil {
		t.Fatal(err)
	}
	if err := st.EndAttempt("/media/b.zip", errors.New("refused again")); err != nil {
		t.Fatal(err)
	}
	if a, _, _ := st.LastAttempt("/media/b.zip"); a.Damage != "" || a.Reason != "refused again" {
		t.Fatalf("rewritten record: %+v", a)
	}
	if rep, err := st.Check(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("check after the rewrite: %v %v", rep.Problems(), err)
	}
}
