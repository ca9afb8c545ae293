package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// noise is what the terminal must never show: Fyne's own error lines, the
// locale it cannot parse, D-Bus, preferences, a Go panic.
var noise = regexp.MustCompile(`(?i)fyne error|locale|d-?bus|preferences|Cause:|  At: |panic|goroutine `)

// TestNoNoiseOnTheTerminalForAnyLANG runs the built kiosk as a person does,
// with every LANG a minimal system has, on a desktop with no session D-Bus
// and a Fyne preferences file left empty by an earlier crash: its terminal
// holds only the kiosk's own lines (help on stdout; log records and
// one-line errors on stderr).
func TestNoNoiseOnTheTerminalForAnyLANG(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kiosk")
	}
	dir := t.TempDir()
	bin := buildKiosk(t, dir)
	home := filepath.Join(dir, "home")
	prefs := filepath.Join(home, ".config", "fyne", "org.solidaritykiosk.kiosk", "preferences.json")
	if err := os.MkdirAll(filepath.Dir(prefs), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prefs, nil, 0o644); err != nil { // "Preferences load error: EOF"
		t.Fatal(err)
	}
	runtimeDir := filepath.Join(dir, "run") // no session bus socket in it
	if err := os.Mkdir(runtimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(dir, "cache.db")
	if out, err := exec.Command(bin, "pack", "import", "--config", "", "--cache", cache, "../../assets/demo").CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	missing := filepath.Join(dir, "none", "cache.db")
	langs := []struct{ name, lcAll, lang string }{
		{name: "unset"},
		{name: "C", lang: "C"},
		{name: "C.UTF-8", lang: "C.UTF-8"},
		{name: "POSIX", lang: "POSIX"},
		{name: "LC_ALL=C.UTF-8", lcAll: "C.UTF-8", lang: "en_US.UTF-8"},
		{name: "en_US.UTF-8", lang: "en_US.UTF-8"},
		{name: "be_BY.UTF-8", lang: "be_BY.UTF-8"},
	}
	commands := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"help", []string{"--help"}, 0, "Usage:"},
		{"pack verify --help", []string{"pack", "verify", "--help"}, 0, "Usage: kiosk pack verify"},
		{"version", []string{"--version"}, 0, "Solidarity Kiosk"},
		{"pack list", []string{"pack", "list", "--config", "", "--cache", cache}, 0, "demo"},
		{"pack list without a cache", []string{"pack", "list", "--config", "", "--cache", missing}, 0, missing},
		{"pack verify", []string{"pack", "verify", "--config", "", "../../assets/demo"}, 0, "demo"},
		{"no display", []string{"--config", "", "--cache", cache}, 1, ""},
	}
	env := func(lcAll, lang string, extra ...string) []string {
		var out []string
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			switch k {
			case "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
				"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR":
				continue
			}
			out = append(out, kv)
		}
		out = append(out, "HOME="+home, "XDG_RUNTIME_DIR="+runtimeDir)
		if lcAll != "" {
			out = append(out, "LC_ALL="+lcAll)
		}
		if lang != "" {
			out = append(out, "LANG="+lang)
		}
		return append(out, extra...)
	}
	for _, l := range langs {
		for _, c := range commands {
			t.Run(l.name+"/"+c.name, func(t *testing.T) {
				cmd := exec.Command(bin, c.args...)
				cmd.Env = env(l.lcAll, l.lang)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				code := cmd.ProcessState.ExitCode()
				if code != c.code {
					t.Fatalf("exit %d (%v), want %d\n%s%s", code, err, c.code, stdout.String(), stderr.String())
				}
				if !strings.Contains(stdout.String(), c.out) {
					t.Errorf("stdout lacks %q:\n%s", c.out, stdout.String())
				}
				checkTerminal(t, stderr.String(), c.code != 0)
			})
		}
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Error("pack list without a cache made its folder")
	}

	// A short real show under Xvfb in every LANG.
	tools := testpack.NeedTools(t, "Xvfb")
	display := startXvfb(t, tools)
	for _, l := range langs {
		t.Run(l.name+"/show", func(t *testing.T) {
			cmd := exec.Command(bin, "--config", "", "--cache", cache, "--mode", "spotlight", "--exit-after", "2",
				"--test-pace", "--dwell", "300ms", "--fade", "0")
			cmd.Env = env(l.lcAll, l.lang, "DISPLAY="+display)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("the show: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "first portrait on screen") {
				t.Errorf("the show did not show a portrait:\n%s", stderr.String())
			}
			checkTerminal(t, stderr.String(), false)
		})
	}
}

// checkTerminal fails on noise in stderr: every line must be one of the
// kiosk's log records (time=… level=INFO), or, when the command failed,
// one line of its own ("kiosk: …").
func checkTerminal(t *testing.T, stderr string, failed bool) {
	t.Helper()
	own := 0
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		switch {
		case line == "":
		case noise.MatchString(line):
			t.Errorf("noise on the terminal: %q\n%s", line, stderr)
		case strings.HasPrefix(line, "time=") && strings.Contains(line, " level=INFO "):
		case failed && strings.HasPrefix(line, "kiosk: "):
			own++
		default:
			t.Errorf("a line that is not the kiosk's: %q\n%s", line, stderr)
		}
	}
	if failed && own != 1 {
		t.Errorf("%d error lines, want one:\n%s", own, stderr)
	}
}

// TestServiceWaitsForTheGraphicalSession: the systemd user unit starts the
// kiosk once the graphical session is up (no "no display" at boot), stops
// it with the session, and is started by it.
func TestServiceWaitsForTheGraphicalSession(t *testing.T) {
	data, err := os.ReadFile("../../docs/solidarity-kiosk.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"After=graphical-session.target", "PartOf=graphical-session.target", "WantedBy=graphical-session.target", "Restart=always"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(data) {
			t.Errorf("the unit lacks %s", want)
		}
	}
}
