package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// appVersion is FyneApp.toml's Version (a test keeps the two equal): what
// a development build calls itself. A release stamps its own through
// cmd/kiosk's main.version (-ldflags "-X main.version=…", scripts/cross.sh).
const appVersion = "0.1.0"

// versionLine is what kiosk --version prints: the release's version, or
// FyneApp.toml's marked as a development build, with the commit it was built
// from when Go recorded one, the Go version and the platform.
func versionLine(stamped string) string {
	v := stamped
	if v == "" {
		v = appVersion + "-dev"
	}
	if rev := buildRevision(); rev != "" {
		v += " (" + rev + ")"
	}
	return fmt.Sprintf("Solidarity Kiosk %s, %s %s/%s", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// buildRevision is the commit the binary was built from ("" when Go did
// not record one, as in tests), marked when the tree had changes.
func buildRevision() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && modified == "true" {
		rev += ", modified"
	}
	return rev
}
