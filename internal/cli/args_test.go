package cli

import (
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func TestOptionsStandAnywhere(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "c", "cache.db")
	// Options after the path are honoured.
	if code, out, errs := run(t, nil, "pack", "import", demoDir(t), "--config", "", "--cache", cache); code != ExitOK || !strings.Contains(out, `imported pack "demo"`) {
		t.Fatalf("import with options after the path: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("the import did not use --cache after the path: %v", err)
	}
	// Global options before the subcommand.
	code, out, errs := run(t, nil, "--cache", cache, "--config", "", "pack", "list")
	if code != ExitOK || !strings.Contains(out, cache) || !strings.Contains(out, "1 pack(s)") {
		t.Fatalf("kiosk --cache F pack list: %d %s %s", code, out, errs)
	}
	// Arguments a command does not take are refused, not ignored.
	other := filepath.Join(dir, "other.db")
	code, _, errs = run(t, nil, "pack", "list", "extra", "--cache", other)
	if code != ExitUsage || !strings.Contains(errs, `takes no arguments, but was given "extra"`) {
		t.Fatalf("pack list extra: %d %s", code, errs)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Error("a refused command touched a cache")
	}
}

func TestParseAnywhere(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"a", "-x", "1", "b"}, "[a b] x=1"},
		{[]string{"-x", "2", "a"}, "[a] x=2"},
		{[]string{"a", "--", "-x", "3"}, "[a -x 3] x="},
		{[]string{"--", "a"}, "[a] x="},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		x := fs.String("x", "", "")
		pos, err := parseAnywhere(fs, c.args)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%v x=%s", pos, *x); got != c.want {
			t.Errorf("%v: %s, want %s", c.args, got, c.want)
		}
	}
}

func TestDemoStepsAsideWhenAPackIsImportedFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache.db")
	// The show's first start installs the demo.
	if code, _, errs := run(t, func(*store.Store, ShowOptions) error { return nil }, "--config", "", "--cache", cache); code != ExitOK {
		t.Fatalf("show: %s", errs)
	}
	if _, out, _ := run(t, nil, "pack", "list", "--cache", cache); !strings.Contains(out, "(DEMO)") {
		t.Fatalf("no demo after the first start: %s", out)
	}
	packDir := filepath.Join(dir, "pack")
	if err := testpack.Write(packDir, testpack.Options{ID: "rally", People: 2, W: 120, H: 160, Encode: func(img *image.RGBA) ([]byte, error) { return imageprep.EncodeJPEG(img, 85) }}); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, nil, "pack", "import", "--config", "", "--cache", cache, packDir); code != ExitOK {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	_, out, _ := run(t, nil, "pack", "list", "--cache", cache)
	if strings.Contains(out, "DEMO") || !strings.Contains(out, "rally") {
		t.Errorf("after importing a pack of one's own from the command line:\n%s", out)
	}
}
