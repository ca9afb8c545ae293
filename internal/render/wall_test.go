package render

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
)

var wallShapes = []imageprep.Size{{W: 1920, H: 1080}, {W: 1080, H: 1920}, {W: 1280, H: 720}, {W: 3840, H: 2160}}

// rowsOf shares n people over the geometry's rows as the show does.
func rowsOf(g WallGeometry, n int) []int {
	rows := make([]int, len(g.Rows))
	for i := range n {
		rows[i%len(rows)]++
	}
	return rows
}

// TestWallFillsTheScreenAndKeepsItsParts: on every screen shape and for 3,
// 40 and 400 people, the prints fill the height under the title, the
// lifted print is at least twice a wall print and fits its card, the panel
// with the code and the card covers neither the title nor the code, and no
// print ever hangs in the title or where the code stands.
func TestWallFillsTheScreenAndKeepsItsParts(t *testing.T) {
	for _, size := range wallShapes {
		for _, n := range []int{3, 40, 400} {
			g := NewWallGeometry(size, n)
			where := fmt.Sprintf("%dx%d, %d people", size.W, size.H, n)
			screen := image.Rect(0, 0, size.W, size.H)
			for name, r := range map[string]image.Rectangle{"title": g.Title, "wall": g.Wall, "panel": g.Panel, "lifted": g.Lifted, "code": g.Code} {
				if r.Empty() || !r.In(screen) {
					t.Fatalf("%s: %s %v empty or off screen", where, name, r)
				}
			}
			if !g.Lifted.In(g.Panel) || !g.Code.In(g.Panel) || g.Lifted.Overlaps(g.Code) || g.Panel.Overlaps(g.Title) || g.Wall.Overlaps(g.Title) {
				t.Fatalf("%s: parts overlap: title %v panel %v lifted %v code %v wall %v", where, g.Title, g.Panel, g.Lifted, g.Code, g.Wall)
			}
			if 2*g.PrintH > g.Lifted.Dy() || 2*g.PrintW > g.Lifted.Dx() {
				t.Errorf("%s: a lifted print (2x %dx%d) does not fit its card %v", where, g.PrintW, g.PrintH, g.Lifted)
			}
			d := WallDrift{G: g, People: rowsOf(g, n), Period: 3 * time.Second}
			top, bottom := size.H, 0
			for k := range 40 {
				for _, p := range d.Frame(time.Duration(k) * 700 * time.Millisecond) {
					r := g.PrintAt(p.Row, p.X)
					top, bottom = min(top, r.Min.Y), max(bottom, r.Max.Y)
					if r.Overlaps(g.Title) {
						t.Fatalf("%s: a print at %v hangs in the title %v", where, r, g.Title)
					}
					if r.Intersect(g.Wall).Overlaps(g.Code) {
						t.Fatalf("%s: a print at %v is under the code %v", where, r, g.Code)
					}
				}
			}
			if n >= len(g.Rows) && float64(bottom-top) < 0.8*float64(g.Wall.Dy()) {
				t.Errorf("%s: prints span %d of the wall's %d px height", where, bottom-top, g.Wall.Dy())
			}
		}
	}
}

// TestTheLiftedPersonChangesEveryTime: with 3 people, five lifts in a row
// never lift the same person twice running and lift everyone; with 3,000
// (40 on screen) no one is lifted twice before all on screen have been.
func TestTheLiftedPersonChangesEveryTime(t *testing.T) {
	var l Lifter
	ids := []string{"a", "b", "c"}
	var got []string
	for range 5 {
		got = append(got, ids[l.Pick(ids, func(i int) float64 { return float64(i) })])
	}
	seen := map[string]bool{}
	for i, id := range got {
		seen[id] = true
		if i > 0 && got[i-1] == id {
			t.Fatalf("lifted %v: the same person twice running", got)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("lifted %v: not everyone", got)
	}
	var big Lifter
	visible := make([]string, 40)
	for i := range visible {
		visible[i] = fmt.Sprint("p", i)
	}
	lifted := map[string]bool{}
	for range 40 {
		id := visible[big.Pick(visible, func(i int) float64 { return 0 })]
		if lifted[id] {
			t.Fatalf("%s lifted twice before everyone on screen was", id)
		}
		lifted[id] = true
	}
	if (&Lifter{}).Pick(nil, nil) != -1 {
		t.Fatal("a lift with nobody on screen")
	}
}

// TestWallGoldens draws whole wall frames (3, 40 and 400 people, landscape
// and portrait) against testdata/wall; UPDATE_GOLDENS=1 writes them.
func TestWallGoldens(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []imageprep.Size{{W: 1920, H: 1080}, {W: 1080, H: 1920}} {
		for _, n := range []int{3, 40, 400} {
			g := NewWallGeometry(size, n)
			back := WallBackdrop(f, g, "Day of Solidarity with Political Prisoners of Belarus", fmt.Sprintf("%d political prisoners in Belarus · as of 20 May 2024 · Viasna", n))
			code := WallCodeFor(f, g, "https://spring96.org/en/letters", "Write a letter", "spring96.org")
			panel := WallPanel(g, code)
			lifted := LiftedCard(f, g, nil, false, "Hanna Ablab", "Ганна Аблаб", "Belarus", "In custody · day 1,002 behind bars", "in_custody")
			d := WallDrift{G: g, People: rowsOf(g, n), Period: 3 * time.Second}
			prints := map[string]*image.RGBA{}
			img := WallScene(g, back, panel, lifted, d.Frame(7*time.Second), func(p Placement) *image.RGBA {
				id := fmt.Sprint(p.Row, "/", p.Person)
				if prints[id] == nil {
					prints[id] = TiltedPrint(nil, (p.Row+p.Person)%7 == 3, imageprep.Size{W: g.PrintW, H: g.PrintH}, Tilt(id))
				}
				return prints[id]
			})
			name := fmt.Sprintf("%d_%dx%d.png", n, size.W, size.H)
			writePNG(t, img, "wall-"+name)
			golden(t, filepath.Join("testdata", "wall", name), img)
		}
	}
}

// golden compares img with the PNG at path, byte for byte in pixels.
func golden(t *testing.T, path string, img *image.RGBA) {
	t.Helper()
	if os.Getenv("UPDATE_GOLDENS") != "" {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDENS=1 writes it)", err)
	}
	want, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("%s: size %v, golden %v", path, img.Bounds(), want.Bounds())
	}
	diff := 0
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			r, g, b, _ := want.At(x, y).RGBA()
			o := img.PixOffset(x, y)
			if uint8(r>>8) != img.Pix[o] || uint8(g>>8) != img.Pix[o+1] || uint8(b>>8) != img.Pix[o+2] {
				diff++
			}
		}
	}
	if diff > 0 {
		out := filepath.Join(t.TempDir(), filepath.Base(path))
		if f, err := os.Create(out); err == nil {
			_ = png.Encode(f, img)
			_ = f.Close()
		}
		t.Errorf("%s: %d pixels differ (drawn: %s; UPDATE_GOLDENS=1 renews it)", path, diff, out)
	}
}
