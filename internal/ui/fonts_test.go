package ui

import (
	"bytes"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/assets"
	"github.com/solidarity-kiosk/kiosk/internal/glyphs"
)

// fontDirs are the folders go-text's font scanner (which Fyne uses for
// fallback fonts) looks in, besides those named by XDG_DATA_DIRS.
func fontDirs() []string {
	dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".fonts"), filepath.Join(home, ".local/share/fonts"))
	}
	for _, d := range filepath.SplitList(os.Getenv("XDG_DATA_DIRS")) {
		dirs = append(dirs, filepath.Join(d, "fonts"))
	}
	var out []string
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			out = append(out, d)
		}
	}
	return out
}

// TestEmbeddedFontsNeedNoSystemFonts runs the caption goldens again in a
// private mount namespace with an empty tmpfs over every system font
// folder: the slides must come out pixel for pixel the same, so the
// Cyrillic and the shaped Persian come from the fonts inside the binary.
// (A fresh machine of this kind has DejaVu, which has Arabic letters too:
// looking at a screenshot there proves nothing.)
func TestEmbeddedFontsNeedNoSystemFonts(t *testing.T) {
	if os.Getenv("KIOSK_FONTLESS") != "" {
		return // the inner run: TestCaptionGoldens does the work
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run this test as root with unshare (util-linux): %v", err)
		}
		t.Skip("needs root and unshare to hide the system fonts")
	}
	dirs := fontDirs()
	var script strings.Builder
	for _, d := range dirs {
		script.WriteString("mount -t tmpfs none '" + d + "' && ")
	}
	script.WriteString(`exec "$0" -test.run '^(TestCaptionGoldens|TestPanelDrawsEveryScript)$' -test.count=1 -test.v`)
	cmd := exec.Command(unshare, "-m", "--propagation", "private", "sh", "-c", script.String(), os.Args[0])
	cmd.Env = append(os.Environ(), "KIOSK_FONTLESS="+strings.Join(dirs, string(filepath.ListSeparator)))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestCaptionGoldens") || !strings.Contains(string(out), "--- PASS: TestPanelDrawsEveryScript") {
		t.Fatalf("the caption goldens with no system fonts (%s hidden): %v\n%s", strings.Join(dirs, ", "), err, out)
	}
	t.Logf("hidden: %s", strings.Join(dirs, ", "))
}

// TestPanelDrawsEveryScript draws a name in each script the kiosk promises
// (glyphs.SampleNames) on a panel label with the kiosk's theme, and the
// same name with every letter replaced by U+E000, which no font has: the
// two must differ, or the name was drawn as empty boxes. Run again by
// TestEmbeddedFontsNeedNoSystemFonts with the system's fonts hidden, it
// proves the panel's glyphs come from the binary.
func TestPanelDrawsEveryScript(t *testing.T) {
	checkFontsHidden(t)
	test.NewTempApp(t).Settings().SetTheme(newKioskTheme())
	draw := func(s string) []byte {
		label := widget.NewLabel(s)
		w := test.NewTempWindow(t, label)
		w.Resize(fyne.NewSize(600, 60))
		return w.Canvas().Capture().(*image.NRGBA).Pix
	}
	for script, name := range glyphs.SampleNames {
		boxes := []rune(name)
		for i, r := range boxes {
			if r != ' ' {
				boxes[i] = '\ue000'
			}
		}
		if bytes.Equal(draw(name), draw(string(boxes))) {
			t.Errorf("%s: %q is drawn as empty boxes on the panel", script, name)
		}
	}
}

// checkFontsHidden is called by TestCaptionGoldens in the inner run: it
// fails unless the font folders really are empty there.
func checkFontsHidden(t *testing.T) {
	hidden := os.Getenv("KIOSK_FONTLESS")
	if hidden == "" {
		return
	}
	for _, d := range filepath.SplitList(hidden) {
		entries, err := os.ReadDir(d)
		if err != nil || len(entries) > 0 {
			t.Fatalf("%s is not hidden in the inner run: %d entries, %v", d, len(entries), err)
		}
	}
}

// TestPanelThemeSetsPersianBeforeFyneFonts: the operator panel's text
// styles use the embedded script font (Persian, Hebrew, Georgian, Armenian,
// Devanagari, CJK) first; Fyne's bundled Noto Sans follows it for Latin and
// Cyrillic.
func TestPanelThemeSetsPersianBeforeFyneFonts(t *testing.T) {
	th := newKioskTheme()
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}} {
		if r := th.Font(style); r == nil || !bytes.Equal(r.Content(), assets.FontScripts) {
			t.Fatalf("style %+v: not the embedded script font", style)
		}
	}
	if r := th.Font(fyne.TextStyle{Monospace: true}); bytes.Equal(r.Content(), assets.FontScripts) {
		t.Fatal("monospace text got the script font")
	}
	test.NewTempApp(t).Settings().SetTheme(th)
	label := widget.NewLabel("پنل اپراتور · Operator panel · Панэль")
	w := test.NewTempWindow(t, label)
	w.Resize(fyne.NewSize(400, 60))
	if label.MinSize().Width < 150 {
		t.Fatalf("the mixed label measures %v: glyphs missing", label.MinSize())
	}
}
