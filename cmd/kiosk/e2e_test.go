package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// e2ePack has two people with photos: one with a letter and a petition
// link, one held incommunicado (contact none) with only a petition link.
func e2ePack(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{}
	hashes := map[string]string{}
	for i, name := range []string{"photos/open.jpg", "photos/none.jpg"} {
		f, err := os.CreateTemp(dir, "p")
		if err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(f, testpack.Photo(900, 1200, uint64(i+11)), &jpeg.Options{Quality: 88}); err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
		data, _ := os.ReadFile(f.Name())
		_ = os.Remove(f.Name())
		files[name] = data
	}
	if err := testpack.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		h, err := testpack.HashFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		hashes[name] = h
	}
	m := map[string]any{
		"format": 1, "id": "e2e", "version": "1", "title": "End-to-end test pack",
		"publisher": map[string]string{"name": "tests"}, "published": "2024-05-20",
		"languages": []string{"en"}, "allowed_link_hosts": []string{"example.org"}, "files": hashes,
		"people": []map[string]any{
			{
				"id": "open-person", "name": "Open Person", "country": "BY", "status": "in_custody",
				"arrested": "2021-01-01", "photo": "photos/open.jpg",
				"links": []map[string]string{
					{"kind": "letter", "url": "https://example.org/letters/open-person"},
					{"kind": "petition", "url": "https://example.org/petition/open-person"},
				},
			},
			{
				"id": "none-person", "name": "Incommunicado Person", "country": "BY", "status": "in_custody",
				"arrested": "2021-01-01", "photo": "photos/none.jpg", "contact": "none",
				"links": []map[string]string{
					{"kind": "letter", "url": "https://example.org/letters/none-person"},
					{"kind": "petition", "url": "https://example.org/petition/none-person"},
				},
			},
		},
	}
	raw, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "pack.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRealWindowQRCodesAndTransitions runs the kiosk in a real X window
// (Xvfb, 1920×1080), reads the QR codes off screenshots with zbarimg, and
// samples frames through transitions: the photo area must never go dark.
func TestRealWindowQRCodesAndTransitions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb and the kiosk")
	}
	tools := testpack.NeedTools(t, "Xvfb", "xwd", "zbarimg", "convert")
	dir := t.TempDir()
	bin := buildKiosk(t, dir)
	cache := filepath.Join(dir, "cache.db")
	if out, err := exec.Command(bin, "pack", "import", "--cache", cache, e2ePack(t)).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	display := startXvfb(t, tools)
	startKiosk(t, bin, display, dir, "--cache", cache, "--mode", "spotlight", "--test-pace", "--dwell", "2500ms", "--fade", "600ms")
	shoot := func(n int) (string, image.Image) { return screenshot(t, tools, display, dir, n) }

	// The photo panel is the left 40% of a landscape screen (internal/render).
	photoArea := image.Rect(60, 60, 760, 990)
	wantOpen := "https://example.org/letters/open-person https://example.org/petition/open-person"
	wantNone := "https://example.org/petition/none-person"
	seen := map[string]bool{}
	started := false
	deadline := time.Now().Add(25 * time.Second)
	for n := 0; time.Now().Before(deadline) && !(seen[wantOpen] && seen[wantNone]); n++ {
		path, img := shoot(n)
		lum := meanLuminance(img, photoArea)
		if lum > 40 {
			started = true
		}
		if started && lum < 25 {
			t.Fatalf("frame %d: the photo area went dark (mean luminance %.1f): a blank frame", n, lum)
		}
		out, _ := exec.Command(tools["zbarimg"], "--raw", "-q", path).Output()
		codes := strings.Fields(string(out))
		sort.Strings(codes)
		got := strings.Join(codes, " ")
		switch {
		case got == "":
		case got == wantOpen || got == wantNone:
			seen[got] = true
		case strings.Contains(got, "letters/none-person"):
			t.Fatalf("frame %d: a letter QR for a person held incommunicado: %q", n, got)
		default:
			// Mid-fade two slides' codes can both be visible; only whole sets count.
			t.Logf("frame %d: codes %q (during a transition)", n, got)
		}
		time.Sleep(150 * time.Millisecond)
	}
	if !seen[wantOpen] || !seen[wantNone] {
		log, _ := os.ReadFile(filepath.Join(dir, "kiosk.log"))
		t.Fatalf("codes read from the screen: %v; want both %q and %q\nkiosk log:\n%s", seen, wantOpen, wantNone, log)
	}
	if !started {
		t.Fatal("no photo ever appeared on screen")
	}
}

// buildKiosk builds the kiosk binary into dir.
func buildKiosk(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "kiosk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the kiosk: %v\n%s", err, out)
	}
	return bin
}

// startXvfb starts a 1920×1080 X server and returns its display.
func startXvfb(t *testing.T, tools map[string]string) string {
	t.Helper()
	display := freeDisplay(t)
	xvfb := exec.Command(tools["Xvfb"], display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGTERM, so Xvfb removes its lock file and the display number stays usable.
	t.Cleanup(func() { _ = xvfb.Process.Signal(syscall.SIGTERM); _ = xvfb.Wait() })
	time.Sleep(700 * time.Millisecond)
	return display
}

// startKiosk runs the kiosk on display, logging to dir/kiosk.log.
func startKiosk(t *testing.T, bin, display, dir string, args ...string) {
	t.Helper()
	kiosk := exec.Command(bin, args...)
	kiosk.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8")
	logf, _ := os.Create(filepath.Join(dir, "kiosk.log"))
	kiosk.Stdout, kiosk.Stderr = logf, logf
	if err := kiosk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kiosk.Process.Kill(); _ = kiosk.Wait() })
}

// screenshot takes the whole X screen as dir/sN.png.
func screenshot(t *testing.T, tools map[string]string, display, dir string, n int) (string, image.Image) {
	t.Helper()
	xwd := filepath.Join(dir, fmt.Sprintf("s%d.xwd", n))
	pngPath := strings.TrimSuffix(xwd, ".xwd") + ".png"
	if err := exec.Command(tools["xwd"], "-root", "-silent", "-display", display, "-out", xwd).Run(); err != nil {
		t.Fatalf("xwd: %v", err)
	}
	if out, err := exec.Command(tools["convert"], "xwd:"+xwd, pngPath).CombinedOutput(); err != nil {
		t.Fatalf("convert: %v %s", err, out)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return pngPath, img
}

// freeDisplay picks an X display number no server holds a lock for.
func freeDisplay(t *testing.T) string {
	t.Helper()
	for n := 150 + os.Getpid()%50; n < 250; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); os.IsNotExist(err) {
			return fmt.Sprintf(":%d", n)
		}
	}
	t.Fatal("no free X display number between :150 and :249")
	return ""
}

// meanLuminance is the average brightness (0-255) of r in img.
func meanLuminance(img image.Image, r image.Rectangle) float64 {
	var sum float64
	var n int
	for y := r.Min.Y; y < r.Max.Y; y += 4 {
		for x := r.Min.X; x < r.Max.X; x += 4 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			sum += (0.2126*float64(cr) + 0.7152*float64(cg) + 0.0722*float64(cb)) / 257
			n++
		}
	}
	return sum / float64(max(n, 1))
}
