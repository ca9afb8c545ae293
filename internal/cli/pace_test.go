package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/store"
)

func TestPaceValuesAreCheckedOnTheCommandLineAndInTheConfig(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache.db")
	started := false
	show := func(*store.Store, ShowOptions) error { started = true; return nil }
	cases := []struct {
		args []string
		conf string
		want string // "" means accepted
	}{
		{args: []string{"--dwell", "0"}, want: "--dwell 0s: must be from 3s to 24h0m0s"},
		{args: []string{"--dwell", "-5s"}, want: "--dwell -5s: must be from 3s"},
		{args: []string{"--dwell", "1ms"}, want: "--test-pace allows less"},
		{args: []string{"--dwell", "2999ms"}, want: "--dwell 2.999s"},
		{args: []string{"--dwell", "3s"}},
		{args: []string{"--dwell", "24h"}},
		{args: []string{"--dwell", "24h1s"}, want: "must be from 3s to 24h0m0s"},
		{args: []string{"--fade", "0"}},
		{args: []string{"--fade", "50ms"}, want: "or 0 (no fade, a cut)"},
		{args: []string{"--fade", "-1s"}, want: "--fade -1s"},
		{args: []string{"--watch-every", "0"}, want: "--watch-every 0s: must be from 500ms"},
		{args: []string{"--recheck", "5s"}, want: "--recheck 5s: must be from 1m0s"},
		{args: []string{"--test-pace", "--dwell", "50ms", "--fade", "40ms"}},
		{args: []string{"--test-pace", "--dwell", "0"}, want: "must be from 10ms"},
		{conf: "pin = \"1\"\ndwell = \"0s\"\n", want: "line 2: dwell = \"0s\": must be from 3s"},
		{conf: "\n\ndwell = \"-5s\"\n", want: "line 3: dwell = \"-5s\""},
		{conf: "dwell = \"20s\"\n"},
	}
	for _, c := range cases {
		started = false
		args := append([]string{"--cache", cache, "--config", ""}, c.args...)
		conf := filepath.Join(dir, "config.toml")
		if c.conf != "" {
			if err := os.WriteFile(conf, []byte(c.conf), 0o644); err != nil {
				t.Fatal(err)
			}
			args = append([]string{"--cache", cache, "--config", conf}, c.args...)
		}
		code, _, errs := run(t, show, args...)
		if c.want == "" {
			if code != ExitOK || !started {
				t.Errorf("%v %q: refused (%d): %s", c.args, c.conf, code, errs)
			}
			continue
		}
		if code != ExitUsage || started || !strings.Contains(errs, c.want) {
			t.Errorf("%v %q: exit %d, started %v, stderr %q; want exit 2 and %q", c.args, c.conf, code, started, errs, c.want)
		}
		if c.conf != "" && !strings.Contains(errs, conf) {
			t.Errorf("%q: the error does not name the config file: %s", c.conf, errs)
		}
	}
}

func TestEveryDurationFlagHasARule(t *testing.T) {
	// A duration flag added later without a rule would go unchecked.
	var got []string
	show := func(*store.Store, ShowOptions) error { return nil }
	_, out, _ := run(t, show, "--help")
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.HasPrefix(f[0], "-") && f[1] == "duration" {
			got = append(got, strings.TrimLeft(f[0], "-"))
		}
	}
	if len(got) == 0 {
		t.Fatal("no duration flags found in --help")
	}
	for _, name := range got {
		found := false
		for _, r := range durationRules {
			found = found || r.name == name
		}
		if !found {
			t.Errorf("duration flag --%s has no rule in durationRules", name)
		}
	}
}

func TestConfigFileIsBounded(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "config.toml")
	big := strings.Repeat("# a comment line of some length\n", 3000)
	if err := os.WriteFile(conf, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, func(*store.Store, ShowOptions) error { return nil }, "--config", conf, "--cache", filepath.Join(t.TempDir(), "c.db"))
	if code == ExitOK || !strings.Contains(errs, "larger than 64 KiB") {
		t.Fatalf("a 96 KB config: %d %s", code, errs)
	}
	deep := strings.Repeat("[", 60000)
	if err := os.WriteFile(conf, []byte("pack = "+deep), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, _, errs = run(t, func(*store.Store, ShowOptions) error { return nil }, "--config", conf, "--cache", filepath.Join(t.TempDir(), "c.db"))
	if code == ExitOK || time.Since(start) > 5*time.Second {
		t.Fatalf("deeply nested config: %d in %v: %s", code, time.Since(start), errs)
	}
}

func TestListNeverCreatesOrWritesTheCache(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "sub", "cache.db")
	code, out, errs := run(t, nil, "pack", "list", "--cache", cache)
	if code != ExitOK || !strings.Contains(out, "no packs are installed") {
		t.Fatalf("list of no cache: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Dir(cache)); !os.IsNotExist(err) {
		t.Fatal("pack list created the cache folder")
	}
}

func TestShowOnADamagedCacheInstallsTheDemoAndSaysWhatHappened(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	if code, out, errs := run(t, nil, "pack", "import", "--cache", cache, demoDir(t)); code != ExitOK {
		t.Fatalf("import: %s %s", out, errs)
	}
	if err := os.Truncate(cache, 8192); err != nil { // cut short: both header pages, no tree
		t.Fatal(err)
	}
	code, out, errs := run(t, nil, "pack", "list", "--cache", cache)
	if code != ExitProblems || !strings.Contains(errs, "damaged") {
		t.Fatalf("list of a damaged cache: %d %s %s", code, out, errs)
	}
	var notes []string
	var packs []store.PackRecord
	show := func(st *store.Store, o ShowOptions) error {
		notes = o.Notes()
		packs, _ = st.Packs()
		return nil
	}
	if code, _, errs := run(t, show, "--config", "", "--cache", cache); code != ExitOK {
		t.Fatalf("show: %d %s", code, errs)
	}
	if len(packs) != 1 || !packs[0].Demo {
		t.Errorf("after recovery the cache holds %v, want the demo pack", packs)
	}
	joined := strings.Join(notes, "\n")
	if !strings.Contains(joined, "damaged") || !strings.Contains(joined, cache+".corrupt-") {
		t.Errorf("operator panel notes %q do not say what happened and where the old file is", joined)
	}
	code, out, _ = run(t, nil, "pack", "list", "--cache", cache)
	if code != ExitOK || !strings.Contains(out, "note: The cache file was damaged") {
		t.Errorf("pack list after recovery: %d %s", code, out)
	}
}

// TestHintsAreCommandsThatWork runs the commands the refusal of an unsigned
// pack suggests through the parser: none may be refused as a usage error.
func TestHintsAreCommandsThatWork(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := run(t, nil, "pack", "verify", "--config", "", "--require-signed", demoDir(t))
	if code != ExitProblems || !strings.Contains(out, "sign it with: kiosk pack sign PACK") {
		t.Fatalf("unsigned pack: %d %s", code, out)
	}
	// The hint's command, with a key that does not exist: a clear error, not a usage error.
	code, _, errs := run(t, nil, "pack", "sign", "-s", filepath.Join(dir, "none.key"), demoDir(t))
	if code == ExitUsage || strings.Contains(errs, "flag provided but not defined") {
		t.Errorf("the hint's command is not a command: %d %s", code, errs)
	}
}
