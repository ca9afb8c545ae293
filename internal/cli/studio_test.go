package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestStudioCommand: kiosk studio --help lists its flags on stdout; the
// window gets the path, the photo folder and an importer into the cache
// named; two paths are a usage error.
func TestStudioCommand(t *testing.T) {
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb}
	if code := Run([]string{"studio", "--help"}, env); code != ExitOK {
		t.Fatalf("--help: exit %d: %s", code, errb.String())
	}
	for _, flag := range []string{"-photos", "-cache", "-screen-size", "-trusted-key", "-config"} {
		if !strings.Contains(out.String(), flag) {
			t.Errorf("--help does not list %s:\n%s", flag, out.String())
		}
	}
	var got StudioOptions
	env.Studio = func(o StudioOptions) error { got = o; return nil }
	dir := t.TempDir()
	args := []string{"studio", "--config", "", "--cache", dir + "/cache.db", "--photos", dir, dir + "/list.csv"}
	if code := Run(args, env); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if got.Path != dir+"/list.csv" || got.Photos != dir || got.Import == nil || got.Logger == nil {
		t.Errorf("the window got %+v", got)
	}
	// A global option before the command is the studio's.
	got = StudioOptions{}
	if code := Run([]string{"--cache", dir + "/other.db", "studio", "--config", ""}, env); code != ExitOK || got.Import == nil {
		t.Errorf("--cache before studio: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := Run([]string{"studio", "a.csv", "b.csv"}, env); code != ExitUsage || !strings.Contains(errb.String(), "at most one") {
		t.Errorf("two paths: exit %d: %s", code, errb.String())
	}
}
