package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// damagedCache makes a cache holding packs alpha then beta (beta's record
// is the last commit) and returns its path and the packs' blob hashes.
func damagedCache(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cache.db")
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"alpha", "beta"} {
		rec, blobs := fakePack(id, "1", 4, id)
		if err := s.Import(rec, blobs); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func metasOf(t *testing.T, path string) fileMetas {
	t.Helper()
	fm, err := readMetas(path)
	if err != nil {
		t.Fatal(err)
	}
	return fm
}

// zeroAt overwrites n bytes at off with zeros.
func zeroAt(t *testing.T, path string, off int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, n), off); err != nil {
		t.Fatal(err)
	}
}

func flipAt(t *testing.T, path string, off int64) {
	t.Helper()
	data := fileBytes(t, path)
	data[off] ^= 0xFF
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func packIDs(t *testing.T, s *Store) []string {
	t.Helper()
	recs, err := s.Packs()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestDamagedCacheOutcomes damages real cache files in each way a power cut
// or a bad disk does, and asserts what happens: a command that only reads
// reports the damage and leaves the file exactly as it was; opening for the
// show moves the file aside untouched, keeps the newest intact state it
// holds, and says so; nothing that was not damaged is lost.
func TestDamagedCacheOutcomes(t *testing.T) {
	type outcome struct {
		packs   []string // packs in the cache after recovery
		created bool     // nothing kept: the demo goes in
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   func(fm fileMetas) outcome
	}{
		{"newer header page zeroed (torn write): the state before the last import is kept", func(t *testing.T, path string) {
			fm := metasOf(t, path)
			off := int64(0)
			if fm.m[1].txid > fm.m[0].txid {
				off = int64(fm.m[0].pageSize)
			}
			zeroAt(t, path, off, fm.m[0].pageSize)
		}, func(fileMetas) outcome { return outcome{packs: []string{"alpha"}} }},
		{"older header page zeroed: everything is kept", func(t *testing.T, path string) {
			fm := metasOf(t, path)
			off := int64(fm.m[0].pageSize)
			if fm.m[1].txid > fm.m[0].txid {
				off = 0
			}
			zeroAt(t, path, off, fm.m[0].pageSize)
		}, func(fileMetas) outcome { return outcome{packs: []string{"alpha", "beta"}} }},
		{"first page zeroed", func(t *testing.T, path string) {
			zeroAt(t, path, 0, 4096)
		}, nil},
		{"second page zeroed", func(t *testing.T, path string) {
			zeroAt(t, path, 4096, 4096)
		}, nil},
		{"flipped byte in a header page's checksum", func(t *testing.T, path string) {
			flipAt(t, path, pageHeaderSize+metaChecksumAt+3)
		}, nil},
		{"flipped bytes in the newest tree's root page: the earlier tree is kept", func(t *testing.T, path string) {
			fm := metasOf(t, path)
			m := fm.newest()
			flipAt(t, path, int64(m.root)*int64(m.pageSize)+1)
		}, nil},
		{"zero bytes", func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}, func(fileMetas) outcome { return outcome{created: true} }},
	}
	for _, frac := range []float64{0.1, 0.5, 0.9, 0.9995} {
		cases = append(cases, struct {
			name   string
			damage func(t *testing.T, path string)
			want   func(fm fileMetas) outcome
		}{fmt.Sprintf("truncated to %.2f%% of the pages in use", frac*100), func(t *testing.T, path string) {
			m := metasOf(t, path).newest()
			if err := os.Truncate(path, int64(float64(m.pgid)*float64(m.pageSize)*frac)); err != nil {
				t.Fatal(err)
			}
		}, nil})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := damagedCache(t)
			c.damage(t, path)
			damaged := fileBytes(t, path)

			// A command that only reads: reports, moves nothing, writes nothing.
			_, err := Open(path, Options{Logger: quietLogger(), ReadOnly: true})
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("read-only open: %v, want ErrDamaged", err)
			}
			if !bytes.Equal(damaged, fileBytes(t, path)) {
				t.Fatal("a read-only open changed the damaged file")
			}
			if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 {
				t.Fatalf("a read-only open moved the file: %v", aside)
			}

			at := time.Date(2026, 5, 21, 10, 0, 0, 0, time.UTC)
			s, err := Open(path, Options{Logger: quietLogger(), Now: func() time.Time { return at }})
			if err != nil {
				t.Fatalf("open for the show: %v", err)
			}
			defer s.Close()
			rec := s.Recovery()
			if rec == nil {
				t.Fatal("no recovery reported for a damaged file")
			}
			if !bytes.Equal(damaged, fileBytes(t, rec.MovedTo)) {
				t.Fatal("the moved-aside file is not the damaged file byte for byte")
			}
			if !strings.Contains(rec.String(), rec.MovedTo) || !strings.Contains(rec.String(), "2026-05-21") {
				t.Errorf("recovery note does not say where and when: %s", rec)
			}
			if probs := checkProblems(t, s); len(probs) > 0 {
				t.Fatalf("the cache after recovery is inconsistent: %v", probs)
			}
			got := outcome{packs: packIDs(t, s), created: s.Created()}
			if rec.Kept == got.created || rec.Packs != len(got.packs) {
				t.Errorf("recovery says kept=%v packs=%d; the cache has %v, created=%v", rec.Kept, rec.Packs, got.packs, got.created)
			}
			if c.want != nil {
				want := c.want(fileMetas{})
				if fmt.Sprint(want.packs) != fmt.Sprint(got.packs) || want.created != got.created {
					t.Errorf("after recovery: packs %v created %v, want packs %v created %v", got.packs, got.created, want.packs, want.created)
				}
			}
			t.Logf("%s", rec)
			// The note survives a restart while the damaged file is kept.
			_ = s.Close()
			s2, err := Open(path, Options{Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if s2.Recovery() == nil || s2.Recovery().MovedTo != rec.MovedTo {
				t.Errorf("the recovery note is gone after a restart: %v", s2.Recovery())
			}
			if s2.Created() {
				t.Error("a restart after recovery reports a new cache")
			}
		})
	}
}

func TestRecoveryNoteGoesWithTheMovedAsideFile(t *testing.T) {
	path := damagedCache(t)
	zeroAt(t, path, 0, 4096)
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	moved := s.Recovery().MovedTo
	_ = s.Close()
	if err := os.Remove(moved); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Recovery() != nil {
		t.Errorf("recovery still reported after the operator deleted %s", moved)
	}
}

func TestHealthyCacheOpensWithoutRecovery(t *testing.T) {
	path := damagedCache(t)
	// bbolt grows files ahead of use: cutting the unused tail loses nothing.
	m := metasOf(t, path).newest()
	if err := os.Truncate(path, int64(m.pgid)*int64(m.pageSize)); err != nil {
		t.Fatal(err)
	}
	before := fileBytes(t, path)
	for _, ro := range []bool{true, false} {
		s, err := Open(path, Options{Logger: quietLogger(), ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		if s.Recovery() != nil || s.Created() {
			t.Errorf("read-only=%v: a healthy cache reported recovery %v / created %v", ro, s.Recovery(), s.Created())
		}
		if got := packIDs(t, s); fmt.Sprint(got) != "[alpha beta]" {
			t.Errorf("packs %v", got)
		}
		_ = s.Close()
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Error("opening a healthy cache changed its bytes")
	}
}

func TestReadOnlyOpenOfMissingCacheCreatesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "cache.db")
	if _, err := Open(path, Options{Logger: quietLogger(), ReadOnly: true}); !errors.Is(err, ErrNoCache) {
		t.Fatalf("got %v, want ErrNoCache", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Error("a read-only open created the cache folder")
	}
}

func TestTempFolderIsEmptiedOnOpen(t *testing.T) {
	path := damagedCache(t)
	tmp := path + ".tmp"
	legacy := filepath.Join(filepath.Dir(path), "incoming-123.zip")
	for _, p := range []string{filepath.Join(tmp, "spool-1.bin"), filepath.Join(tmp, "dl", "download-2.zip"), legacy} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("left over"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := mustOpen(t, path)
	if s.TempDir() != tmp {
		t.Fatalf("TempDir %s, want %s", s.TempDir(), tmp)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil || len(entries) != 0 {
		t.Errorf("temp folder after open: %v, %v", entries, err)
	}
	if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) {
		t.Error("a leftover of an earlier version was not removed")
	}
}

// The permission and read-only file system cases run the test binary again
// as another user or in a mount namespace; the child reports as JSON.

type childReport struct {
	OpenErr   string   `json:"open_err"`
	Access    bool     `json:"access"`
	ReadOnly  string   `json:"read_only"`
	Packs     []string `json:"packs"`
	ImportErr string   `json:"import_err"`
	IsRO      bool     `json:"is_ro"`
}

func TestChildOpen(t *testing.T) {
	path := os.Getenv("STORE_CHILD_PATH")
	if path == "" {
		t.Skip("run by the permission and read-only tests")
	}
	var rep childReport
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		rep.OpenErr, rep.Access = err.Error(), errors.Is(err, ErrAccess)
	} else {
		rep.ReadOnly = s.ReadOnlyReason()
		recs, _ := s.Packs()
		for _, r := range recs {
			rep.Packs = append(rep.Packs, r.ID)
		}
		rec, blobs := fakePack("gamma", "1", 1, "g")
		if err := s.Import(rec, blobs); err != nil {
			rep.ImportErr, rep.IsRO = err.Error(), errors.Is(err, ErrReadOnly)
		}
		_ = s.Close()
	}
	out, _ := json.Marshal(rep)
	fmt.Println("CHILD " + string(out))
}

func runChild(t *testing.T, cmd *exec.Cmd, path string) childReport {
	t.Helper()
	cmd.Env = append(os.Environ(), "STORE_CHILD_PATH="+path)
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "CHILD "); ok {
			var rep childReport
			if err := json.Unmarshal([]byte(rest), &rep); err != nil {
				t.Fatal(err)
			}
			return rep
		}
	}
	t.Fatalf("child said nothing (%v):\n%s", err, out)
	return childReport{}
}

func asNobody(t *testing.T) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the child as another user")
	}
	exe := reachableCopy(t)
	cmd := exec.Command(exe, "-test.run=^TestChildOpen$", "-test.count=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	return cmd
}

func TestCacheOfAnotherUserIsNotMovedAside(t *testing.T) {
	path := damagedCache(t)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	makeReachable(t, path)
	before := fileBytes(t, path)
	rep := runChild(t, asNobody(t), path)
	if !rep.Access || !strings.Contains(rep.OpenErr, "--cache") {
		t.Errorf("open as another user: %q, want a permission error saying what to do", rep.OpenErr)
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 || !bytes.Equal(before, fileBytes(t, path)) {
		t.Errorf("a cache that could not be opened for lack of permission was moved or changed: %v", aside)
	}
}

func TestReadableButNotWritableCacheShowsAndRefusesImports(t *testing.T) {
	path := damagedCache(t)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	makeReachable(t, path)
	before := fileBytes(t, path)
	rep := runChild(t, asNobody(t), path)
	if rep.OpenErr != "" || fmt.Sprint(rep.Packs) != "[alpha beta]" {
		t.Fatalf("open: %q, packs %v; want both packs shown read-only", rep.OpenErr, rep.Packs)
	}
	if rep.ReadOnly == "" || !rep.IsRO || !strings.Contains(rep.ImportErr, "cannot be imported") {
		t.Errorf("read-only %q, import error %q: want a clear refusal", rep.ReadOnly, rep.ImportErr)
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Error("the cache changed")
	}
}

func TestCacheOnReadOnlyFileSystemShowsAndRefusesImports(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a read-only bind mount")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare (util-linux)")
	}
	path := damagedCache(t)
	dir := filepath.Dir(path)
	before := fileBytes(t, path)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	script := `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" -test.run='^TestChildOpen$' -test.count=1`
	cmd := exec.Command(unshare, "-m", "--propagation", "private", "sh", "-c", script, "sh", dir, exe)
	rep := runChild(t, cmd, path)
	if rep.OpenErr != "" || fmt.Sprint(rep.Packs) != "[alpha beta]" {
		t.Fatalf("open: %q, packs %v; want both packs shown read-only", rep.OpenErr, rep.Packs)
	}
	if !strings.Contains(rep.ReadOnly, "read-only") || !rep.IsRO {
		t.Errorf("read-only %q, import error %q", rep.ReadOnly, rep.ImportErr)
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 || !bytes.Equal(before, fileBytes(t, path)) {
		t.Errorf("the cache on a read-only file system was moved or changed: %v", aside)
	}
}

// makeReachable lets another user reach path's folder (t.TempDir is 0700
// in a 0700 parent).
func makeReachable(t *testing.T, path string) {
	t.Helper()
	for d := filepath.Dir(path); d != "/" && d != "."; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o005 != 0o005 {
			orig := fi.Mode().Perm()
			if err := os.Chmod(d, orig|0o005); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(d, orig) })
		}
	}
}

// reachableCopy copies the test binary where another user may run it.
func reachableCopy(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dst := filepath.Join(dir, "store.test")
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
	makeReachable(t, dst)
	return dst
}
