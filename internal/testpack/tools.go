package testpack

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTools finds external programs a test uses (zbarimg, Xvfb, …) and
// returns their paths. Without one the test is skipped, except in CI (the
// CI variable is set), where make test has installed them and a missing
// one is a failure.
func NeedTools(t testing.TB, names ...string) map[string]string {
	t.Helper()
	paths := map[string]string{}
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s missing in CI (make test installs it)", n)
			}
			t.Skipf("%s not installed", n)
		}
		paths[n] = p
	}
	return paths
}
