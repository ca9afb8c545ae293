package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// run executes a command line and returns its exit code and output.
func run(t *testing.T, show ShowFunc, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, Env{Stdout: &out, Stderr: &errb, Show: show, Lang: "en"})
	return code, out.String(), errb.String()
}

func demoDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../assets/demo")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPackCommands(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "c", "cache.db")
	code, out, _ := run(t, nil, "pack", "verify", demoDir(t))
	if code != ExitOK || !strings.Contains(out, `OK — pack "demo"`) {
		t.Fatalf("verify demo: %d %s", code, out)
	}
	code, out, errs := run(t, nil, "pack", "import", "--cache", cache, demoDir(t))
	if code != ExitOK || !strings.Contains(out, `imported pack "demo"`) {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if !strings.Contains(errs, `msg="imported pack"`) {
		t.Errorf("the import was not logged: %s", errs)
	}
	code, out, _ = run(t, nil, "pack", "list", "--cache", cache)
	if code != ExitOK || !strings.Contains(out, "1 pack(s)") || !strings.Contains(out, "demo-2024-05-23") {
		t.Fatalf("list: %d %s", code, out)
	}
	code, out, _ = run(t, nil, "pack", "remove", "--cache", cache, "demo")
	if code != ExitOK || !strings.Contains(out, `removed pack "demo"`) {
		t.Fatalf("remove: %d %s", code, out)
	}
	code, _, errs = run(t, nil, "pack", "remove", "--cache", cache, "demo")
	if code != ExitProblems || !strings.Contains(errs, "not found") {
		t.Fatalf("removing twice: %d %s", code, errs)
	}
}

func TestVerifyListsEveryProblemAndFails(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pack.json"), []byte(`{"format":2,"id":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, "pack", "verify", dir)
	if code != ExitProblems {
		t.Fatalf("exit %d, want %d", code, ExitProblems)
	}
	for _, want := range []string{"unsupported pack format 2", "version: missing", "people: missing"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestShowInstallsDemoOnFirstStartOnly(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	var packs []string
	show := func(st *store.Store, _ ShowOptions) error {
		recs, err := st.Packs()
		packs = packs[:0]
		for _, r := range recs {
			packs = append(packs, r.ID)
		}
		return err
	}
	if code, _, errs := run(t, show, "--cache", cache, "--windowed"); code != ExitOK {
		t.Fatalf("show: %d %s", code, errs)
	}
	if strings.Join(packs, ",") != "demo" {
		t.Fatalf("first start shows %v, want the demo pack", packs)
	}
	run(t, nil, "pack", "remove", "--cache", cache, "demo")
	run(t, show, "--cache", cache)
	if len(packs) != 0 {
		t.Fatalf("the removed demo pack came back: %v", packs)
	}
}

func TestSecondKioskIsToldWhy(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	first, err := store.Open(cache, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	code, _, errs := run(t, nil, "pack", "list", "--cache", cache)
	if code != ExitProblems || !strings.Contains(errs, "another kiosk is using "+cache) {
		t.Fatalf("%d %s", code, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"pack"}, {"pack", "frobnicate"}, {"pack", "verify"}, {"nonsense"}, {"pack", "import", "--screen-size", "big", "x"}} {
		code, _, _ := run(t, nil, args...)
		if code == ExitOK {
			t.Errorf("%v exited 0", args)
		}
	}
}

func TestConfigFileAndFlagsWin(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "config.toml")
	cache := filepath.Join(dir, "cache.db")
	if err := os.WriteFile(conf, []byte("dwell = \"30s\"\npin = \"2105\"\nlanguage = \"pl\"\ncache = \""+cache+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got ShowOptions
	var gotCache string
	show := func(st *store.Store, o ShowOptions) error { got, gotCache = o, st.Path(); return nil }
	if code, _, errs := run(t, show, "--config", conf, "--dwell", "5s"); code != ExitOK {
		t.Fatalf("%d %s", code, errs)
	}
	if got.Dwell.String() != "5s" || got.PIN != "2105" || got.Language != "pl" || gotCache != cache {
		t.Fatalf("options %+v cache %s: want the flag's dwell and the file's pin, language and cache", got, gotCache)
	}
	if err := os.WriteFile(conf, []byte("dwel = \"30s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, show, "--config", conf); code == ExitOK || !strings.Contains(errs, `unknown key "dwel"`) || !strings.Contains(errs, conf) {
		t.Fatalf("a misspelt key: %d %s", code, errs)
	}
	if code, _, errs := run(t, show, "--config", filepath.Join(dir, "missing.toml")); code == ExitOK || !strings.Contains(errs, "missing.toml") {
		t.Fatalf("a missing --config file: %d %s", code, errs)
	}
}

// TestMessagesInTheUsersLanguage: the CLI speaks the locale's language.
func TestMessagesInTheUsersLanguage(t *testing.T) {
	for lang, want := range map[string]string{
		"ru": `ОК — пакет "demo"`, "be": `ДОБРА — пакет "demo"`, "pl": `OK — pakiet "demo"`, "en": `OK — pack "demo"`,
	} {
		var out, errb bytes.Buffer
		code := Run([]string{"pack", "verify", "--config", "", demoDir(t)}, Env{Stdout: &out, Stderr: &errb, Lang: lang})
		if code != ExitOK || !strings.Contains(out.String(), want) {
			t.Errorf("%s: %d %q, want %q", lang, code, out.String(), want)
		}
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "be_BY.UTF-8")
	if got := localeLanguage(); got != "be-BY" {
		t.Errorf("LANG=be_BY.UTF-8 gives %q", got)
	}
	t.Setenv("LANG", "C")
	if got := localeLanguage(); got != "" {
		t.Errorf("LANG=C gives %q", got)
	}
}

// TestSyncEpochBounds: --sync-epoch is refused outside the years 2000 to
// 2100, saying so (issue 18: 1700-01-01 and 2324-01-01 were accepted, and
// a saturated duration froze the row's schedule).
func TestSyncEpochBounds(t *testing.T) {
	for _, c := range []struct {
		epoch, want string // want "" when accepted
	}{
		{"2024-05-20T10:00:00Z", ""},
		{"2000-01-01T00:00:00Z", ""},
		{"2100-12-31T23:59:59Z", ""},
		{"946684800", ""}, // 2000-01-01 in Unix seconds
		{"1700-01-01T00:00:00Z", `--sync-epoch "1700-01-01T00:00:00Z": 1700-01-01T00:00:00Z is outside the years 2000 to 2100`},
		{"2324-01-01T00:00:00Z", `--sync-epoch "2324-01-01T00:00:00Z": 2324-01-01T00:00:00Z is outside the years 2000 to 2100`},
		{"1999-12-31T23:59:59Z", "outside the years 2000 to 2100"},
		{"2101-01-01T00:00:00Z", "outside the years 2000 to 2100"},
		{"0", `--sync-epoch "0": 1970-01-01T00:00:00Z is outside the years 2000 to 2100`},
		{"-9223372036854775808", "outside the years 2000 to 2100"},
		{"9223372036854775807", "outside the years 2000 to 2100"},
		{"yesterday", "want a time like 2024-05-20T10:00:00Z"},
	} {
		row, err := (&rowFlags{epoch: c.epoch, screen: "1/2"}).options()
		switch {
		case c.want == "" && (err != nil || row == nil):
			t.Errorf("--sync-epoch %s refused: %v", c.epoch, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("--sync-epoch %s: %v, want an error containing %q", c.epoch, err, c.want)
		}
	}
}

func TestRowFlags(t *testing.T) {
	r := rowFlags{epoch: "2024-05-20T10:00:00Z", screen: "2/5", set: "abc"}
	row, err := r.options()
	if err != nil || row.Screen != 2 || row.Screens != 5 || row.Set != "abc" || row.Epoch.Unix() != 1716199200 {
		t.Fatalf("%+v, %v", row, err)
	}
	if row, err := (&rowFlags{epoch: "1716199200"}).options(); err != nil || row.Epoch.Unix() != 1716199200 || row.Screens != 1 {
		t.Fatalf("unix epoch: %+v, %v", row, err)
	}
	for _, bad := range []rowFlags{{epoch: "yesterday"}, {epoch: "1716199200", screen: "3/2"}, {epoch: "1716199200", screen: "2"}, {screen: "1/2"}} {
		if _, err := bad.options(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if row, err := (&rowFlags{}).options(); row != nil || err != nil {
		t.Fatalf("no row: %+v, %v", row, err)
	}
}
