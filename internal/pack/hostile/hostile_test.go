package hostile

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
)

// committed is the corpus kept in the repository.
const committed = "../../../testdata/hostile"

// run answers a case as the kiosk's commands do, in process: the pack
// checks of kiosk pack verify (without decoding photos) and kiosk pack
// build. It returns what would be printed and the exit code.
func run(t *testing.T, c Case, dir string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := c.Expand(dir)
	if c.Command == Build {
		out := filepath.Join(t.TempDir(), "out.zip")
		rep, err := packbuild.Build(ctx, packbuild.Options{CSV: args[1], Out: out})
		text := rep.Rows.Error()
		if err != nil {
			var probs packbuild.Problems
			if !errors.As(err, &probs) {
				text += "\n" + err.Error()
			}
			return text, 1
		}
		return text, 0
	}
	var keys sign.Keys
	if args[0] == "--trusted-key" {
		var err error
		if keys, err = sign.LoadTrusted([]string{args[1]}); err != nil {
			return err.Error(), 1
		}
		args = args[2:]
	}
	p, err := pack.OpenContext(ctx, args[0], pack.DefaultLimits())
	if err != nil {
		return err.Error(), 1
	}
	defer p.Close()
	probs := p.Check(time.Now(), nil)
	if p.Signature != nil && len(keys) > 0 {
		if _, err := sign.Verify(keys, p.ManifestBytes, p.Signature); err != nil {
			probs = append(probs, pack.Problem{File: pack.SignatureFile, Index: -1, Msg: err.Error()})
		}
	}
	if len(probs) > 0 {
		return probs.Error(), 1
	}
	return "", 0
}

// TestCorpus answers every case in process, each within 10 s. Under the
// race detector, and with -short, only the committed (small) cases run,
// from testdata/hostile: scripts/hostile.sh runs them all through the
// kiosk binary, measuring time and memory.
func TestCorpus(t *testing.T) {
	dir := committed
	if !testing.Short() && !raceDetector {
		dir = t.TempDir()
		if err := WriteAll(dir, false); err != nil {
			t.Fatal(err)
		}
	}
	index, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Cases() {
		if !strings.Contains(string(index), "\n"+c.Name+"\t") {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			start := time.Now()
			out, exit := run(t, c, dir)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v; the limit is 10 s", d)
			}
			if exit != c.Exit {
				t.Errorf("exit %d, want %d; output:\n%.2000s", exit, c.Exit, out)
			}
			if c.Want != "" && !strings.Contains(out, c.Want) {
				t.Errorf("want %q in the output:\n%.2000s", c.Want, out)
			}
			if c.Avoid != "" && strings.Contains(out, c.Avoid) {
				t.Errorf("%q must not be in the output:\n%.2000s", c.Avoid, out)
			}
		})
	}
}

// TestCommittedCorpus checks that testdata/hostile is what the generator
// writes (go run ./cmd/hostilegen -small -o testdata/hostile) and stays
// under 1 MB.
func TestCommittedCorpus(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("writes the whole corpus to find the small cases; checked without -short and -race")
	}
	dir := t.TempDir()
	if err := WriteAll(dir, true); err != nil {
		t.Fatal(err)
	}
	want, wantSize := tree(t, dir)
	got, gotSize := tree(t, committed)
	if !slices.Equal(sortedNames(want), sortedNames(got)) {
		t.Fatalf("testdata/hostile is out of date: regenerate it with go run ./cmd/hostilegen -small -o testdata/hostile\nwant %v\ngot  %v", sortedNames(want), sortedNames(got))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("testdata/hostile/%s differs from what the generator writes: regenerate it", name)
		}
	}
	if wantSize != gotSize || gotSize > 1<<20 {
		t.Errorf("the committed corpus takes %d bytes (want %d, at most 1 MiB)", gotSize, wantSize)
	}
}

// tree reads every file under dir by its slash path.
func tree(t *testing.T, dir string) (map[string][]byte, int) {
	t.Helper()
	out := map[string][]byte{}
	size := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		size += len(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, size
}

func sortedNames(m map[string][]byte) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// TestLimitsAreConsistent ties the corpus's numbers to the limits they test.
func TestLimitsAreConsistent(t *testing.T) {
	if pack.MaxFiles < pack.MaxPeople || packbuild.MaxRows < pack.MaxPeople {
		t.Fatal("a pack of MaxPeople people, each with a photo, must fit the files and rows limits")
	}
	if pack.MaxSignatureBytes < sign.MaxSignatureFileBytes {
		t.Fatalf("pack reads signatures of %d bytes, sign accepts %d", pack.MaxSignatureBytes, sign.MaxSignatureFileBytes)
	}
}
