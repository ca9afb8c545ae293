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
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	kshow "github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestRealWindowScreensInStep runs two kiosks on one Xvfb display, in
// windows placed side by side, as screens 1/2 and 2/2 of a row with the
// same epoch (each with its own cache). One screenshot taken mid-slide
// must decode to two different people's links, each the one the schedule
// gives that screen at that moment.
func TestRealWindowScreensInStep(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb and two kiosks")
	}
	tools := testpack.NeedTools(t, "Xvfb", "xwd", "zbarimg", "convert", "xdotool")
	dir := t.TempDir()
	bin := buildKiosk(t, dir)
	packDir, manifest := rowPack(t, dir, 5)

	display := freeDisplay(t)
	xvfb := exec.Command(tools["Xvfb"], display, "-screen", "0", "2560x720x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = xvfb.Process.Kill(); _ = xvfb.Wait() })
	time.Sleep(700 * time.Millisecond)

	dwell := 4 * time.Second
	epoch := time.Now().Add(-37 * time.Second).Truncate(time.Second)
	var pids []int
	for screen := 1; screen <= 2; screen++ {
		sdir := filepath.Join(dir, fmt.Sprintf("screen%d", screen))
		cache := filepath.Join(sdir, "cache.db")
		if out, err := exec.Command(bin, "pack", "import", "--config", "", "--cache", cache, packDir).CombinedOutput(); err != nil {
			t.Fatalf("import for screen %d: %v\n%s", screen, err, out)
		}
		k := exec.Command(bin, "--config", "", "--cache", cache, "--windowed", "--mode", "spotlight", "--language", "en", "--dwell", dwell.String(),
			"--sync-epoch", strconv.FormatInt(epoch.Unix(), 10), "--screen", fmt.Sprintf("%d/2", screen))
		k.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8")
		logf, _ := os.Create(filepath.Join(sdir, "kiosk.log"))
		k.Stdout, k.Stderr = logf, logf
		if err := k.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = k.Process.Kill(); _ = k.Wait() })
		waitForLog(t, filepath.Join(sdir, "kiosk.log"), "screens in step", 30*time.Second)
		pids = append(pids, k.Process.Pid)
	}
	// Fyne cannot place a window; with no window manager, xdotool can.
	for i, pid := range pids {
		search := exec.Command(tools["xdotool"], "search", "--sync", "--onlyvisible", "--pid", strconv.Itoa(pid))
		search.Env = append(os.Environ(), "DISPLAY="+display)
		out, err := search.Output()
		if err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("screen%d", i+1), "kiosk.log"))
			t.Fatalf("finding screen %d's window: %v\n%s", i+1, err, log)
		}
		for _, id := range strings.Fields(string(out)) {
			move := exec.Command(tools["xdotool"], "windowmove", id, strconv.Itoa(i*1280), "0")
			move.Env = search.Env
			if out, err := move.CombinedOutput(); err != nil {
				t.Fatalf("moving screen %d's window: %v %s", i+1, err, out)
			}
		}
	}

	row := make([]*kshow.Sync, 2)
	for i := range row {
		s, err := kshow.NewSync(rowEntries(manifest), epoch, dwell, i+1, 2)
		if err != nil {
			t.Fatal(err)
		}
		row[i] = s
	}
	// Shoot in the middle of a slide, twice, a slide apart.
	for shot := 0; shot < 2; shot++ {
		k := row[0].Slot(time.Now()) + 1
		start, _ := row[0].Bounds(k)
		time.Sleep(time.Until(start.Add(dwell / 2)))
		at := time.Now()
		shotPath, img := screenshot(t, tools, display, dir, shot)
		if out := os.Getenv("KIOSK_E2E_OUT"); out != "" {
			_ = exec.Command("cp", shotPath, filepath.Join(out, fmt.Sprintf("row-shot%d.png", shot))).Run()
		}
		for i := range row {
			want := row[i].At(row[i].Slot(at)).Person.ID
			got := personOnScreen(t, tools, dir, img, image.Rect(i*1280, 0, (i+1)*1280, 720), fmt.Sprintf("shot%d-screen%d", shot, i+1))
			if got != want {
				t.Fatalf("shot %d, screen %d: links of %q on screen, the schedule says %q", shot, i+1, got, want)
			}
		}
		if a, b := row[0].At(k).Person.ID, row[1].At(k).Person.ID; a == b {
			t.Fatalf("both screens show %s", a)
		}
		t.Logf("shot %d (slot %d): screen 1 shows %s, screen 2 shows %s, as scheduled", shot, k, row[0].At(k).Person.ID, row[1].At(k).Person.ID)
	}
}

// personOnScreen reads the QR codes inside r of img and returns whose
// letter link they hold.
func personOnScreen(t *testing.T, tools map[string]string, dir string, img image.Image, r image.Rectangle, name string) string {
	t.Helper()
	crop := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			crop.Set(x, y, img.At(r.Min.X+x, r.Min.Y+y))
		}
	}
	path := filepath.Join(dir, name+".png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	_ = png.Encode(f, crop)
	_ = f.Close()
	out, _ := exec.Command(tools["zbarimg"], "--raw", "-q", path).Output()
	codes := strings.Fields(string(out))
	sort.Strings(codes)
	for _, c := range codes {
		if id, ok := strings.CutPrefix(c, "https://example.org/letters/"); ok {
			if !strings.Contains(strings.Join(codes, " "), "https://example.org/petition/"+id) {
				t.Fatalf("%s: letter and petition codes of different people: %v", name, codes)
			}
			return id
		}
	}
	t.Fatalf("%s: no letter code read (codes %v, image %s)", name, codes, path)
	return ""
}

// rowPack writes a pack of n people, each with a photo and their own
// letter and petition links.
func rowPack(t *testing.T, dir string, n int) (string, []byte) {
	t.Helper()
	packDir := filepath.Join(dir, "pack")
	files, hashes := map[string][]byte{}, map[string]string{}
	var people []map[string]any
	for i := range n {
		id := fmt.Sprintf("person-%d", i)
		f, err := os.CreateTemp(dir, "p")
		if err != nil {
			t.Fatal(err)
		}
		_ = jpeg.Encode(f, testpack.Photo(300, 400, uint64(i+50)), &jpeg.Options{Quality: 85})
		_ = f.Close()
		data, _ := os.ReadFile(f.Name())
		files["photos/"+id+".jpg"] = data
		people = append(people, map[string]any{
			"id": id, "name": fmt.Sprintf("Person %d", i), "country": "BY", "status": "in_custody", "arrested": "2021-01-01",
			"photo": "photos/" + id + ".jpg",
			"links": []map[string]string{
				{"kind": "letter", "url": "https://example.org/letters/" + id},
				{"kind": "petition", "url": "https://example.org/petition/" + id},
			},
		})
	}
	if err := testpack.WriteFiles(packDir, files); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		h, err := testpack.HashFile(filepath.Join(packDir, name))
		if err != nil {
			t.Fatal(err)
		}
		hashes[name] = h
	}
	raw, _ := json.Marshal(map[string]any{
		"format": 1, "id": "row", "version": "1", "title": "Row test", "publisher": map[string]string{"name": "tests"},
		"published": "2024-05-20", "languages": []string{"en"}, "allowed_link_hosts": []string{"example.org"},
		"files": hashes, "people": people,
	})
	if err := os.WriteFile(filepath.Join(packDir, "pack.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return packDir, raw
}

// rowEntries are the pack's people as the show sees them.
func rowEntries(raw []byte) []kshow.Entry {
	m, _ := pack.Parse(raw)
	var out []kshow.Entry
	for i := range m.People {
		out = append(out, kshow.Entry{PackID: m.ID, Manifest: m, Person: &m.People[i]})
	}
	return out
}
