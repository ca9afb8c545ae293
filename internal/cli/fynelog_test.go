package cli

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestFyneLogIsOneRecordAndQuietAboutTheDesktop(t *testing.T) {
	var buf bytes.Buffer
	f := &fyneLog{log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	for _, line := range []string{
		"Fyne error:  Unable to connect to session D-Bus\n",
		"  Cause: exec: \"dbus-launch\": executable file not found in $PATH\n",
		"  At: /x/fyne/internal/driver/glfw/driver_xdg.go:20\n",
		"Fyne error:  Preferences load error:\n",
		"  Cause: EOF\n",
		"  At: /x/fyne/app/preferences.go:103\n",
		"Fyne error:  Error parsing user locale C\n",
		"  Cause: language: tag is not well-formed\n",
		"  At: /x/fyne/lang/locale.go:35\n",
		"Fyne error:  Window creation error\n",
		"  Cause: APIUnavailable\n",
		"  At: /x/fyne/internal/driver/glfw/window.go:1\n",
		"*** Error in Fyne call thread, this should have been called in fyne.Do[AndWait] ***\n",
		"  From: /x/kiosk/internal/ui/show.go:12\n",
	} {
		if _, err := f.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	out := buf.String()
	for _, quiet := range []string{"D-Bus", "Preferences", "locale"} {
		if strings.Contains(out, quiet) {
			t.Errorf("%s noise on the terminal:\n%s", quiet, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `level=WARN msg="fyne: Window creation error" err=APIUnavailable`) ||
		!strings.Contains(lines[1], `level=WARN msg="fyne: *** Error in Fyne call thread, this should have been called in fyne.Do[AndWait] ***" at=/x/kiosk/internal/ui/show.go:12`) {
		t.Errorf("want one warning per real Fyne message, got:\n%s", out)
	}
}
