package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// commands are every command line the kiosk has, as a person types it
// before --help.
var commands = [][]string{
	{},
	{"pack", "verify"},
	{"pack", "import"},
	{"pack", "list"},
	{"pack", "remove"},
	{"pack", "build"},
	{"pack", "keygen"},
	{"pack", "sign"},
	{"poster"},
}

// TestCommandLine is the command line as a person meets it: options in any
// order, help, the version, refusals and config file errors.
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache.db")
	if code, _, errs := run(t, nil, "pack", "import", "--config", "", "--cache", cache, demoDir(t)); code != ExitOK {
		t.Fatalf("import: %s", errs)
	}
	missing := filepath.Join(dir, "none", "cache.db")
	conf := func(body string) string {
		p := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	typo := conf("dwell = \"20s\"\ntrusted_keys = [\"RWQ\"]\n")
	far := conf("# kiosk\n\nbrightness = 7\n")
	badValue := conf("pin = \"1\"\ndwell = \"soon\"\n")
	self := conf("config = \"other.toml\"\n")
	show := func(*store.Store, ShowOptions) error { return nil }
	cases := []struct {
		name     string
		args     []string
		code     int
		out, err []string // what stdout and stderr must hold
	}{
		// Options before or after the command and its paths.
		{name: "global option before pack", args: []string{"--cache", cache, "--config", "", "pack", "list"}, out: []string{cache, "1 pack(s)"}},
		{name: "global option between pack and its command", args: []string{"pack", "--cache", cache, "list", "--config", ""}, out: []string{cache, "1 pack(s)"}},
		{name: "option after the command", args: []string{"pack", "list", "--cache", cache, "--config", ""}, out: []string{cache, "1 pack(s)"}},
		{name: "option after a path is honoured", args: []string{"pack", "verify", demoDir(t), "--require-signed", "--config", ""}, code: ExitProblems, out: []string{"sign it with: kiosk pack sign PACK"}},
		{name: "option after an id is honoured", args: []string{"pack", "remove", "nobody", "--cache", cache, "--config", ""}, code: ExitProblems, err: []string{`pack "nobody": not found`}},
		{name: "after -- a path", args: []string{"pack", "verify", "--config", "", "--", "--cache"}, code: ExitProblems, out: []string{"--cache"}},
		// Refused, never ignored.
		{name: "an argument list does not take", args: []string{"pack", "list", "extra", "--cache", missing}, code: ExitUsage, err: []string{`takes no arguments, but was given "extra"`}},
		{name: "an argument the show does not take", args: []string{"--windowed", "extra"}, code: ExitUsage, err: []string{`unknown command "extra"`, "see: kiosk --help"}},
		{name: "a show flag before pack", args: []string{"--windowed", "pack", "list"}, code: ExitUsage, err: []string{`unknown command "pack"`}},
		{name: "an unknown flag", args: []string{"pack", "verify", "--frobnicate", demoDir(t)}, code: ExitUsage, err: []string{"flag provided but not defined: -frobnicate", "see: kiosk pack verify --help"}},
		{name: "an option list does not use", args: []string{"pack", "list", "--screen-size", "800x600", "--cache", missing}, code: ExitUsage, err: []string{"not defined: -screen-size", "see: kiosk pack list --help"}},
		{name: "a global option list does not use, before pack", args: []string{"--trusted-key", "RWQ", "pack", "list", "--cache", missing}, code: ExitUsage, err: []string{"not defined: -trusted-key"}},
		{name: "an unknown pack command", args: []string{"pack", "frobnicate"}, code: ExitUsage, err: []string{`unknown command "frobnicate"`}},
		{name: "build without its inputs", args: []string{"pack", "build"}, code: ExitUsage, err: []string{"--from and -o are needed", "kiosk pack build --help"}},
		// Help and version on stdout.
		{name: "kiosk --help", args: []string{"--help"}, out: []string{"Usage:", "Flags:", "  -dwell duration", "  -version"}},
		{name: "kiosk pack --help", args: []string{"pack", "--help"}, out: []string{"Usage:", "kiosk pack verify PATH"}},
		{name: "kiosk pack help", args: []string{"pack", "help"}, out: []string{"Usage:"}},
		{name: "help after a path", args: []string{"pack", "verify", demoDir(t), "--help"}, out: []string{"Usage: kiosk pack verify", "-require-signed"}},
		{name: "kiosk help", args: []string{"help"}, out: []string{"Usage:", "  -dwell duration"}},
		{name: "kiosk help pack import", args: []string{"help", "pack", "import"}, out: []string{"Usage: kiosk pack import", "  -screen-size"}},
		{name: "global option before poster", args: []string{"--cache", missing, "poster"}, code: ExitProblems, err: []string{missing}},
		{name: "pack alone", args: []string{"pack"}, code: ExitUsage, err: []string{"Usage:"}},
		{name: "version", args: []string{"--version"}, out: []string{"Solidarity Kiosk " + appVersion}},
		// pack list reads only.
		{name: "list without a cache", args: []string{"pack", "list", "--cache", missing, "--config", ""}, out: []string{"no cache file yet"}},
		// The config file: unknown keys and bad values name the file, the line and the key.
		{name: "a misspelt key (show)", args: []string{"--config", typo, "--cache", cache}, code: ExitProblems, err: []string{typo + ", line 2", `unknown key "trusted_keys"; did you mean "trusted_key"?`}},
		{name: "a misspelt key (pack verify)", args: []string{"pack", "verify", "--config", typo, demoDir(t)}, code: ExitProblems, err: []string{typo + ", line 2", `did you mean "trusted_key"?`}},
		{name: "a misspelt key (pack list)", args: []string{"pack", "list", "--config", typo, "--cache", cache}, code: ExitProblems, err: []string{`did you mean "trusted_key"?`}},
		{name: "a key like none", args: []string{"--config", far, "--cache", cache}, code: ExitProblems, err: []string{far + ", line 3", `unknown key "brightness"`, "kiosk --help lists"}},
		{name: "a bad value", args: []string{"--config", badValue, "--cache", cache}, code: ExitProblems, err: []string{badValue + ", line 2: dwell"}},
		{name: "config in the config", args: []string{"--config", self, "--cache", cache}, code: ExitProblems, err: []string{self + ", line 1", `unknown key "config"`}},
		{name: "a missing --config file", args: []string{"--config", filepath.Join(dir, "nope.toml"), "--cache", cache}, code: ExitProblems, err: []string{"nope.toml"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, show, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errs)
			}
			for _, w := range c.out {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.err {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if strings.HasSuffix(strings.TrimSpace(out+errs), "Flags:") {
				t.Errorf("an empty Flags: heading:\n%s%s", out, errs)
			}
		})
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("a command that was refused or only reads made %s", filepath.Dir(missing))
	}
}

// TestHelpOnEveryCommand: --help and -h print the command's own usage and
// its flags on stdout, nothing on stderr, and exit 0.
func TestHelpOnEveryCommand(t *testing.T) {
	for _, cmd := range commands {
		for _, h := range []string{"--help", "-h"} {
			args := append(append([]string{}, cmd...), h)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, out, errs := run(t, nil, args...)
				if code != ExitOK || errs != "" {
					t.Fatalf("exit %d, stderr %q", code, errs)
				}
				name := strings.TrimSpace("kiosk " + strings.Join(cmd, " "))
				if !strings.Contains(out, name) || !regexp.MustCompile(`(?m)^Flags:\n  -\w`).MatchString(out) {
					t.Errorf("not %s's usage with its flags:\n%s", name, out)
				}
			})
		}
	}
	// Each command's own flags, not the show's.
	for _, c := range []struct{ cmd, has, hasNot string }{
		{"pack build", "-from", "-dwell"},
		{"pack keygen", "-no-password", "-dwell"},
		{"pack sign", "-password-file", "-dwell"},
		{"pack list", "-cache", "-trusted-key"},
		{"pack remove", "-cache", "-screen-size"},
		{"pack verify", "-require-signed", "-screen-size"},
		{"pack import", "-screen-size", "-dwell"},
		{"poster", "-paper", "-dwell"},
	} {
		_, out, _ := run(t, nil, append(strings.Fields(c.cmd), "--help")...)
		flagLine := func(f string) *regexp.Regexp { return regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(f) + `( |$)`) }
		if !flagLine(c.has).MatchString(out) || flagLine(c.hasNot).MatchString(out) {
			t.Errorf("kiosk %s --help should list %s and not %s:\n%s", c.cmd, c.has, c.hasNot, out)
		}
	}
}

func TestVersion(t *testing.T) {
	if got := versionLine("1.2.3"); !strings.HasPrefix(got, "Solidarity Kiosk 1.2.3") {
		t.Errorf("a stamped version: %q", got)
	}
	if got := versionLine(""); !strings.HasPrefix(got, "Solidarity Kiosk "+appVersion+"-dev") {
		t.Errorf("a development build: %q", got)
	}
	data, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*Version\s*=\s*"` + regexp.QuoteMeta(appVersion) + `"`).Match(data) {
		t.Errorf("appVersion %s is not FyneApp.toml's Version", appVersion)
	}
}

// hintRe finds a command line in a message: after ": " or "see ", in
// backticks, or a usage line (indented, or after "Usage: ").
var (
	hintRe    = regexp.MustCompile(`(?:^  +|^Usage: |: |see |\x60)(kiosk(?: [^\s,;()"\x60]+)*)`)
	mentionRe = regexp.MustCompile(`kiosk((?: [^\s,;()"\x60]+)+)`)
	// keyRe finds a config key as the texts show one: trusted_key = […].
	keyRe = regexp.MustCompile(`(?m)(?:^|[\s(:])([a-z]+(?:_[a-z]+)*) = ["\[%]`)
)

// hints are the command lines the kiosk's messages, help and translations
// tell a person to type, and the commands they mention in passing.
func hints(t *testing.T) (hints, mentions, keys map[string]string) {
	t.Helper()
	hints, mentions, keys = map[string]string{}, map[string]string{}, map[string]string{}
	scan := func(where, text string) {
		for _, m := range keyRe.FindAllStringSubmatch(text, -1) {
			keys[m[1]] = where
		}
		for _, line := range strings.Split(text, "\n") {
			line, _, _ = strings.Cut(line, "   ") // a usage line's description column
			for _, m := range hintRe.FindAllStringSubmatch(line, -1) {
				hints[strings.TrimSpace(m[1])] = where
			}
			for _, m := range mentionRe.FindAllStringSubmatch(line, -1) {
				mentions[strings.TrimSpace(m[0])] = where
			}
		}
	}
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						scan(p, s)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob("../../assets/translations/*.json")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		var walk func(key string, v any)
		walk = func(key string, v any) {
			switch v := v.(type) {
			case string:
				scan(p+" "+key, v)
			case map[string]any:
				for k, e := range v {
					walk(key+"."+k, e)
				}
			}
		}
		walk("", m)
	}
	return hints, mentions, keys
}

// hintArgs turns a hint into the arguments a person would type: a
// placeholder stays (PACK.zip), [optional] parts are typed, of a|b the
// first, and %s becomes a word.
func hintArgs(hint string) []string {
	return typed(strings.Fields(strings.TrimPrefix(hint, "kiosk")))
}

// typed is what a person types for each word of a usage line.
func typed(words []string) []string {
	var args []string
	for _, f := range words {
		f = strings.Trim(f, "[]")
		f, _, _ = strings.Cut(f, "|")
		f = strings.TrimSuffix(f, "...")
		f = strings.TrimRight(f, ".:")
		if f == "flags" || f == "" {
			continue
		}
		if strings.HasPrefix(f, "%") {
			f = "X"
		}
		args = append(args, f)
	}
	return args
}

// TestEveryHintIsACommandThatWorks: every command line a message tells a
// person to type goes through the real parser and is accepted; every
// command mentioned in passing exists.
func TestEveryHintIsACommandThatWorks(t *testing.T) {
	hs, mentions, _ := hints(t)
	t.Chdir(t.TempDir()) // kiosk poster, which has no parse-only mode, writes nothing elsewhere
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, want := range []string{"kiosk pack sign PACK", "kiosk pack keygen", "kiosk pack import PACK.zip", "kiosk pack verify PACK.zip", "kiosk pack build --help"} {
		if _, ok := hs[want]; !ok {
			t.Errorf("the hint %q was not found: the scan is broken", want)
		}
	}
	for hint, where := range hs {
		args := hintArgs(hint)
		var out, errb bytes.Buffer
		code := Run(args, Env{Stdout: &out, Stderr: &errb, Lang: "en", parseOnly: true})
		if code == ExitUsage || strings.Contains(errb.String(), "not defined") || strings.Contains(errb.String(), "unknown command") {
			t.Errorf("%s: the hint %q (%q) is not a command: exit %d\n%s", where, hint, args, code, errb.String())
		}
	}
	for mention, where := range mentions {
		f := strings.Fields(mention)[1:]
		var args []string
		switch {
		case f[0] == "pack" && len(f) > 1:
			args = []string{"pack", strings.TrimSuffix(f[1], ":"), "--help"}
		case f[0] == "poster":
			args = []string{"poster", "--help"}
		default:
			continue // "kiosk pack: …" begins a message, "the kiosk reads …" is prose; flags are TestEveryFlagAMessageNamesExists's
		}
		if code, _, errs := run(t, nil, args...); code != ExitOK {
			t.Errorf("%s: %q mentions a command that does not exist: %v exits %d\n%s", where, mention, args, code, errs)
		}
	}
	t.Logf("%d hints and %d mentions checked", len(hs), len(mentions))
}

// TestTheREADMEsCommandsWork: the command lines of the README's and the
// docs' examples (lines that begin with kiosk) parse, and every command
// they name in passing exists.
func TestTheREADMEsCommandsWork(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	files = append(files, "../../README.md")
	n := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			where := fmt.Sprintf("%s:%d", filepath.Base(p), i+1)
			if strings.HasPrefix(line, "kiosk pack ") || strings.HasPrefix(line, "kiosk --") {
				line, _, _ = strings.Cut(line, "#")
				line, _, _ = strings.Cut(line, " | ") // keygen | sign PACK: the first
				args := shellWords(strings.TrimPrefix(strings.TrimSpace(line), "kiosk "))
				var out, errb bytes.Buffer
				n++
				if code := Run(typed(args), Env{Stdout: &out, Stderr: &errb, Lang: "en", parseOnly: true}); code != ExitOK {
					t.Errorf("%s: %q does not parse: exit %d\n%s", where, line, code, errb.String())
				}
			}
			for _, m := range regexp.MustCompile("`kiosk pack ([a-z]+)[^`]*`").FindAllStringSubmatch(line, -1) {
				n++
				if code, _, errs := run(t, nil, "pack", m[1], "--help"); code != ExitOK {
					t.Errorf("%s: %s names no command: %s", where, m[0], errs)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d commands found in the README and docs: the scan is broken", n)
	}
}

// shellWords splits a command line as a shell does for the README's
// examples: at spaces, with "double quotes" keeping a word whole.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	quoted, in := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, in = !quoted, true
		case r == ' ' && !quoted:
			if in {
				words = append(words, w.String())
				w.Reset()
			}
			in = false
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// TestEveryFlagAMessageNamesExists: a --flag named in any of the kiosk's
// texts is a flag of one of its commands, and a config key (key = …) one
// the config file takes.
func TestEveryFlagAMessageNamesExists(t *testing.T) {
	flags := map[string]bool{"help": true}
	for _, cmd := range commands {
		_, out, _ := run(t, nil, append(append([]string{}, cmd...), "--help")...)
		for _, m := range regexp.MustCompile(`(?m)^  -([\w-]+)`).FindAllStringSubmatch(out, -1) {
			flags[m[1]] = true
		}
	}
	hs, mentions, keys := hints(t)
	for text, where := range mergeMaps(hs, mentions) {
		for _, m := range regexp.MustCompile(`(?:^|\s|\[)--([a-z][\w-]*)`).FindAllStringSubmatch(text, -1) {
			if !flags[m[1]] {
				t.Errorf("%s: %q names --%s, which no command has", where, text, m[1])
			}
		}
	}
	// And a config key named in a text is a key the config file takes.
	for _, want := range []string{"trusted_key", "dwell", "screen_size"} {
		if _, ok := keys[want]; !ok {
			t.Errorf("the config key %s was not found in the texts: the scan is broken", want)
		}
	}
	for key, where := range keys {
		if !slices.Contains(configKeys(), key) {
			t.Errorf("%s: names the config key %q, which the config file does not take%s", where, key, didYouMean(key))
		}
	}
}

func mergeMaps(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
