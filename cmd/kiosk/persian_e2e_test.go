package main

import (
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	kshow "github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestRealWindowPersianCaption runs the kiosk with Persian captions in a
// real window under Xvfb, on the machine as it comes (no Arabic-script
// font installed by the project), and compares the screenshot with the
// slide drawn off screen from the embedded fonts: the shaped, right-to-left
// Persian text must be what reaches the screen.
func TestRealWindowPersianCaption(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb and the kiosk")
	}
	tools := testpack.NeedTools(t, "Xvfb", "xwd", "convert")
	dir := t.TempDir()
	bin := buildKiosk(t, dir)
	packDir := filepath.Join(dir, "pack")
	manifest := map[string]any{
		"format": 1, "id": "fa-e2e", "version": "1", "title": "Persian captions", "publisher": map[string]string{"name": "tests"},
		"published": "2024-05-20", "languages": []string{"fa", "en"},
		"people": []map[string]any{{
			"id": "test-person", "name": map[string]string{"fa": "شخص آزمایشی", "en": "Test Person"}, "country": "IR",
			"status": "in_custody", "arrested": "2022-11-01",
			"occupation": map[string]string{"fa": "وبلاگ\u200cنویس، عضو گروه BMW Club از سال 2019"},
			"bio":        map[string]string{"fa": "این یک شخص ساختگی برای آزمون است؛ نوشته از راست به چپ خوانده می\u200cشود."},
		}},
	}
	raw, _ := json.Marshal(manifest)
	if err := testpack.WriteFiles(packDir, map[string][]byte{"pack.json": raw}); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(dir, "cache.db")
	if out, err := exec.Command(bin, "pack", "import", "--config", "", "--cache", cache, packDir).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	display := startXvfb(t, tools)
	startKiosk(t, bin, display, dir, "--config", "", "--cache", cache, "--mode", "spotlight", "--language", "fa", "--dwell", "60s")
	waitForLog(t, filepath.Join(dir, "kiosk.log"), "first portrait on screen", 30*time.Second)
	time.Sleep(1500 * time.Millisecond) // the frame after the first is surely painted

	m, probs := pack.Parse(raw)
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	words, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	fonts, err := render.LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	slide := kshow.Build(kshow.Entry{PackID: m.ID, Manifest: m, Person: &m.People[0]}, words.For("fa"), time.Now())
	want, _ := render.Draw(fonts, render.Input{Slide: slide, Size: imageprep.Size{W: 1920, H: 1080}})
	path, got := screenshot(t, tools, display, dir, 0)

	// The text column (right of the photo panel): where the Persian is.
	col := image.Rect(830, 40, 1880, 1000)
	differ, ink := 0, 0
	for y := col.Min.Y; y < col.Max.Y; y++ {
		for x := col.Min.X; x < col.Max.X; x++ {
			wr, wg, wb, _ := want.At(x, y).RGBA()
			gr, gg, gb, _ := got.At(x, y).RGBA()
			if wr>>8 > 150 {
				ink++
			}
			if absDiff(wr, gr) > 24<<8 || absDiff(wg, gg) > 24<<8 || absDiff(wb, gb) > 24<<8 {
				differ++
			}
		}
	}
	if ink < 2000 {
		t.Fatalf("the expected slide has almost no text (%d light pixels): the test would prove nothing", ink)
	}
	if out := os.Getenv("KIOSK_E2E_OUT"); out != "" { // for a person to look at
		_ = exec.Command("cp", path, filepath.Join(out, "persian-screen.png")).Run()
		if f, err := os.Create(filepath.Join(out, "persian-want.png")); err == nil {
			_ = png.Encode(f, want)
			_ = f.Close()
		}
	}
	if share := float64(differ) / float64(col.Dx()*col.Dy()); share > 0.002 {
		log, _ := os.ReadFile(filepath.Join(dir, "kiosk.log"))
		t.Fatalf("the screen's text column differs from the slide drawn with the embedded fonts in %.2f%% of pixels (screenshot %s)\n%s",
			100*share, path, log)
	}
	t.Logf("screenshot %s matches the off-screen slide (%d differing pixels of %d; %d pixels of text)", path, differ, col.Dx()*col.Dy(), ink)
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// waitForLog waits until the log file holds line.
func waitForLog(t *testing.T, path, line string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if data, _ := os.ReadFile(path); strings.Contains(string(data), line) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	data, _ := os.ReadFile(path)
	t.Fatalf("%q never appeared in the kiosk's log:\n%s", line, data)
}
