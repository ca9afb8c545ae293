package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// TestShowChild is the show in a process of its own, started by runShowChild:
// the real command line, cache, import queue and importer, with a stand-in
// for the window that runs the show's background tasks (as the window
// does) until KIOSK_SHOW_CHILD_RESULTS imports have ended, then prints
// what the import queue reported and which packs the cache holds. With
// KIOSK_SHOW_CHILD_DIE set, the process ends itself with os.Exit(2) in
// the middle of an import (the first photo prepared, nothing stored), as
// the out-of-memory killer would; with KIOSK_SHOW_CHILD_STALL set, it
// says so on its output and waits there to be killed.
func TestShowChild(t *testing.T) {
	raw := os.Getenv("KIOSK_SHOW_CHILD_ARGS")
	if raw == "" {
		t.Skip("started by runShowChild only")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	want, _ := strconv.Atoi(os.Getenv("KIOSK_SHOW_CHILD_RESULTS"))
	die := os.Getenv("KIOSK_SHOW_CHILD_DIE") != ""
	stall := os.Getenv("KIOSK_SHOW_CHILD_STALL") != ""
	show := func(st *store.Store, opts ShowOptions) error {
		ended := make(chan intake.Status, 1)
		opts.Intake.Listen(func(s intake.Status) {
			if die && s.Current != "" && s.Progress.PhotosDone > 0 {
				fmt.Fprintln(os.Stdout, "dying in the middle of importing", s.Current)
				os.Exit(2)
			}
			if stall && s.Current != "" && s.Progress.PhotosDone > 0 {
				fmt.Fprintln(os.Stdout, "stalled in the middle of importing", s.Current)
				select {} // until SIGKILL
			}
			if s.Imported+s.Skipped >= want {
				select {
				case ended <- s:
				default:
				}
			}
		}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for _, task := range opts.Background {
			go task(ctx)
		}
		select {
		case s := <-ended:
			for _, r := range s.Recent {
				fmt.Fprintln(os.Stdout, "result:", r)
			}
		case <-time.After(2 * time.Minute):
			return errors.New("the imports did not end")
		}
		recs, err := st.Packs()
		if err != nil {
			return err
		}
		for _, r := range recs {
			fmt.Fprintln(os.Stdout, "cache holds:", r.ID)
		}
		return nil
	}
	os.Exit(Run(args, Env{Stdout: os.Stdout, Stderr: os.Stderr, Lang: "en", Show: show}))
}

// runShowChild runs the show (TestShowChild) in a separate process and
// returns its exit status, standard output and log.
func runShowChild(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestShowChild$", "-test.count=1")
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(append(os.Environ(), "KIOSK_SHOW_CHILD_ARGS="+string(raw)), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String(), errb.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// TestNoCrashLoopInRealProcesses: a show given a pack with --pack dies in
// the middle of importing it. The next start (as systemd's Restart=always
// would make) does not import it again: it starts from the cache, logs and
// lists why, and pack list says so too. Once the pack's files change, the
// next start imports it, and the failure is forgotten.
func TestNoCrashLoopInRealProcesses(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	pk := photoPack(t)
	args := []string{"--cache", cache, "--config", "", "--pack", pk}

	code, out, logs := runShowChild(t, []string{"KIOSK_SHOW_CHILD_DIE=1", "KIOSK_SHOW_CHILD_RESULTS=1"}, args...)
	if code != 2 || !strings.Contains(out, "dying in the middle of importing") {
		t.Fatalf("first start: exit %d, want 2 (died mid-import)\n%s\n%s", code, out, logs)
	}
	st, err := store.Open(cache, store.Options{ReadOnly: true, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	_, perr := st.Pack("photos")
	a, ok, aerr := st.LastAttempt(intake.SourceKey(pk))
	_ = st.Close()
	if !errors.Is(perr, store.ErrNotFound) || aerr != nil || !ok || a.Outcome != store.AttemptDied {
		t.Fatalf("after the death: pack %v; attempt %+v %v %v", perr, a, ok, aerr)
	}

	// Restarted with --pack, then with the pack's folder watched (as a USB
	// stick's would be): never retried.
	watched := []string{"--cache", cache, "--config", "", "--watch", filepath.Dir(pk), "--watch-every", "50ms", "--test-pace"}
	for i, a := range [][]string{args, watched} {
		code, out, logs = runShowChild(t, []string{"KIOSK_SHOW_CHILD_DIE=1", "KIOSK_SHOW_CHILD_RESULTS=1"}, a...)
		if code != 0 || !strings.Contains(out, "not retried: the kiosk stopped during this import") ||
			strings.Contains(out, "cache holds: photos") || !strings.Contains(out, "cache holds: demo") {
			t.Fatalf("restart %d: exit %d, want 0 and the pack not retried\n%s\n%s", i+1, code, out, logs)
		}
		if from := []string{`from="command line"`, "from=watch"}[i]; !strings.Contains(logs, "pack not retried") || !strings.Contains(logs, from) {
			t.Errorf("restart %d: the log does not say what was skipped and why:\n%s", i+1, logs)
		}
	}
	code, out = runKiosk(t, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitOK || !strings.Contains(out, "NOT RETRIED "+intake.SourceKey(pk)+": not retried: the kiosk stopped during this import") ||
		!strings.Contains(out, "import it by hand to try again") {
		t.Fatalf("pack list after the death: exit %d\n%s", code, out)
	}

	// A new copy of one photo: the pack's files changed, so it is tried.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(pk, "pack.json"), later, later); err != nil {
		t.Fatal(err)
	}
	code, out, logs = runShowChild(t, []string{"KIOSK_SHOW_CHILD_RESULTS=1"}, args...)
	if code != 0 || !strings.Contains(out, `result: imported "photos"`) || !strings.Contains(out, "cache holds: photos") {
		t.Fatalf("start after the pack changed: exit %d\n%s\n%s", code, out, logs)
	}
	code, out = runKiosk(t, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitOK || strings.Contains(out, "NOT RETRIED") {
		t.Fatalf("pack list after the import: exit %d\n%s", code, out)
	}
}

// TestPackImportByHandRetriesAndClears: an operator's pack import tries a
// pack the show does not retry, and its success clears the record; the
// operator panel's notes list the failure until then.
func TestPackImportByHandRetriesAndClears(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	pk := photoPack(t)
	ident, err := intake.Identity(pk)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cache, store.Options{Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.BeginAttempt(intake.SourceKey(pk), ident, "watch"); err != nil {
		t.Fatal(err)
	}
	_ = st.Close() // died

	st, err = store.Open(cache, store.Options{Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(cacheNotes(st)(), "\n")
	_ = st.Close()
	if !strings.Contains(notes, "Not imported automatically: "+intake.SourceKey(pk)+": not retried: the kiosk stopped during this import") {
		t.Fatalf("operator notes: %q", notes)
	}
	if code, out, errs := run(t, nil, "pack", "import", "--cache", cache, "--config", "", pk); code != ExitOK {
		t.Fatalf("import by hand: %d %s %s", code, out, errs)
	}
	code, out, _ := run(t, nil, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitOK || strings.Contains(out, "NOT RETRIED") || !strings.Contains(out, "photos") {
		t.Fatalf("list after the import by hand: %d\n%s", code, out)
	}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestSIGKILLDuringImportIsNotRetried: the show is killed with SIGKILL (what
// the out-of-memory killer sends) while it imports a pack; the next start
// shows the cache without retrying it.
func TestSIGKILLDuringImportIsNotRetried(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	pk := photoPack(t)
	args := []string{"--cache", cache, "--config", "", "--pack", pk}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(args)
	cmd := exec.Command(exe, "-test.run=^TestShowChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KIOSK_SHOW_CHILD_ARGS="+string(raw), "KIOSK_SHOW_CHILD_STALL=1", "KIOSK_SHOW_CHILD_RESULTS=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stalled := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "stalled in the middle of importing") {
				stalled <- true
				_, _ = io.Copy(io.Discard, stdout)
				return
			}
		}
		stalled <- false
	}()
	select {
	case ok := <-stalled:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("the show ended without reaching the import\n%s", logs.String())
		}
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the import did not start\n%s", logs.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	_ = cmd.Wait()

	code, out, errs := runShowChild(t, []string{"KIOSK_SHOW_CHILD_DIE=1", "KIOSK_SHOW_CHILD_RESULTS=1"}, args...)
	if code != 0 || !strings.Contains(out, "not retried: the kiosk stopped during this import") || strings.Contains(out, "cache holds: photos") {
		t.Fatalf("start after SIGKILL: exit %d, want 0 and the pack not retried\n%s\n%s", code, out, errs)
	}
}
