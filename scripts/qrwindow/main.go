// Command qrwindow reads the kiosk's QR codes off a real window under Xvfb
// as visitors' phones do, on every screen shape the kiosk is used with:
//
//   - a screenshot of a settled slide, degraded as a phone at 3 m sees it
//     (internal/qr/qrtest.Phone: 640 px across the long side, turned 20°
//     either way, 1 px blur, JPEG 60), must give both of the person's codes
//     with zbar and with ZXing-C++;
//   - screenshots taken back to back through many transitions must never
//     decode a code of anyone but the person on screen (the outgoing slide's
//     codes are covered before its fade starts).
//
// Only frames the window has finished drawing are judged at distance: two
// captures in a row the same picture, holding one person's two codes. A
// frame that shows a slide later than the log says (a loaded machine, a
// large screen) is late, not wrong, when it is the same picture as an
// earlier capture of that slide or, failing one, when tesseract reads the
// codes' own person's name on it and no other.
//
// It prints figures and exits 1 on any failure. scripts/qr-window.sh runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/qr/qrtest"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func main() {
	kiosk := flag.String("kiosk", "bin/kiosk", "the kiosk binary")
	work := flag.String("work", ".bench/qrwindow", "work folder")
	transitions := flag.Int("transitions", 50, "transitions sampled on the first screen shape")
	shapes := flag.String("shapes", "1920x1080,1080x1920,1280x720,3840x2160", "screen shapes")
	dwell := flag.Duration("dwell", 3*time.Second, "how long each slide stays")
	busy := flag.Int("busy", 0, "processes that keep a core busy each while the check runs (the check must pass on a loaded machine)")
	flag.Parse()
	stop := burn(*busy)
	defer stop()
	if err := run(*kiosk, *work, *transitions, *dwell, strings.Split(*shapes, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "qrwindow:", err)
		stop()
		os.Exit(1)
	}
}

// people is the test pack's size: every person has a letter and a petition
// code whose links name them.
const people = 8

func run(kiosk, work string, transitions int, dwell time.Duration, shapes []string) error {
	readers := qrtest.FindReaders()
	if len(readers.Missing) > 0 {
		return fmt.Errorf("missing: %v", readers.Missing)
	}
	if _, err := exec.LookPath("tesseract"); err != nil {
		return fmt.Errorf("tesseract (Debian tesseract-ocr) reads the names off late frames: %w", err)
	}
	if err := os.RemoveAll(work); err != nil {
		return err
	}
	packDir := filepath.Join(work, "pack")
	if err := makePack(packDir); err != nil {
		return err
	}
	cache := filepath.Join(work, "cache.db")
	if out, err := exec.Command(kiosk, "pack", "import", "--cache", cache, packDir).CombinedOutput(); err != nil {
		return fmt.Errorf("import: %v\n%s", err, out)
	}
	failed := 0
	for i, shape := range shapes {
		var W, H int
		if _, err := fmt.Sscanf(shape, "%dx%d", &W, &H); err != nil {
			return fmt.Errorf("shape %q: %v", shape, err)
		}
		n := 3
		if i == 0 {
			n = transitions
		}
		f, err := screen(kiosk, cache, work, W, H, n, dwell, readers)
		if err != nil {
			return fmt.Errorf("%s: %w", shape, err)
		}
		failed += f
	}
	if failed > 0 {
		return fmt.Errorf("%d failures", failed)
	}
	return nil
}

// makePack writes the test pack: photos from testpack, and a letter and a
// petition link per person.
func makePack(dir string) error {
	enc := func(img *image.RGBA) ([]byte, error) {
		var b bytes.Buffer
		err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
		return b.Bytes(), err
	}
	if err := testpack.Write(dir, testpack.Options{ID: "qrwindow", People: people, W: 900, H: 1200, Encode: enc}); err != nil {
		return err
	}
	path := filepath.Join(dir, "pack.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for i, p := range m["people"].([]any) {
		p.(map[string]any)["links"] = []map[string]string{
			{"kind": "letter", "url": fmt.Sprintf("https://example.org/letters/%d", i)},
			{"kind": "petition", "url": fmt.Sprintf("https://example.org/petition/%d", i)},
		}
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// urlsOf are the codes of person-NNNN.
func urlsOf(person string) []string {
	var i int
	fmt.Sscanf(person, "person-%d", &i)
	return []string{fmt.Sprintf("https://example.org/letters/%d", i), fmt.Sprintf("https://example.org/petition/%d", i)}
}

// presented is one slide handed to the screen: when, whom, and its fade.
type presented struct {
	at     time.Time
	person string
	fade   time.Duration
}

var (
	logLine   = regexp.MustCompile(`time=(\S+) level=DEBUG msg="slide presented" pack=\S+ person=(\S+) lang=\S+ fade=(\S+)`)
	fadeStart = regexp.MustCompile(`time=(\S+) level=DEBUG msg="fade started" codes="?([^"]*?)"? fade=`)
	fadeEnd   = regexp.MustCompile(`time=(\S+) level=DEBUG msg="fade ended"`)
)

// change is one slide change as the window made it: the fade's start and
// end on the UI goroutine, and the codes of the slide it brought.
type change struct {
	start, end time.Time
	codes      []string
}

// screen runs the kiosk on a W×H Xvfb screen for n transitions, checks the
// settled slides at distance and every sample through the transitions, and
// returns the number of failures.
func screen(kiosk, cache, work string, W, H, n int, dwell time.Duration, readers qrtest.Readers) (int, error) {
	display := fmt.Sprintf(":%d", 300+os.Getpid()%200)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", fmt.Sprintf("%dx%dx24", W, H), "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		return 0, err
	}
	defer func() { _ = xvfb.Process.Kill(); _ = xvfb.Wait() }()
	time.Sleep(time.Second)
	fade := 700 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(n+6+extraSlides)*(dwell+fade)+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, kiosk, "--cache", cache, "--mode", "spotlight", "--language", "en",
		"--dwell", dwell.String(), "--fade", fade.String(), "--exit-after", fmt.Sprint(n+2+extraSlides))
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "KIOSK_LOG=debug")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	var mu sync.Mutex
	var log []presented
	var changes []change
	var logText strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(exited)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			logText.WriteString(line + "\n")
			if m := fadeStart.FindStringSubmatch(line); m != nil {
				at, _ := time.Parse(time.RFC3339Nano, m[1])
				mu.Lock()
				changes = append(changes, change{start: at, codes: strings.Fields(m[2])})
				mu.Unlock()
			}
			if m := fadeEnd.FindStringSubmatch(line); m != nil {
				at, _ := time.Parse(time.RFC3339Nano, m[1])
				mu.Lock()
				if len(changes) > 0 {
					changes[len(changes)-1].end = at
				}
				mu.Unlock()
			}
			if m := logLine.FindStringSubmatch(line); m != nil {
				at, _ := time.Parse(time.RFC3339Nano, m[1])
				f, _ := time.ParseDuration(m[3])
				mu.Lock()
				log = append(log, presented{at: at, person: m[2], fade: f})
				mu.Unlock()
			}
		}
	}()
	shots := filepath.Join(work, fmt.Sprintf("%dx%d", W, H))
	if err := os.MkdirAll(shots, 0o755); err != nil {
		return 0, err
	}
	failures := 0
	distanceChecked := 0 // slides logged when the last distance check was made
	checked, unsettled := 0, 0
	type sample struct {
		from, to time.Time
		path     string
	}
	var samples []sample
	start := time.Now()
	for k := 0; ; k++ {
		select {
		case <-exited:
		default:
		}
		if isClosed(exited) || ctx.Err() != nil {
			break
		}
		mu.Lock()
		count := len(log)
		var last presented
		if count > 0 {
			last = log[count-1]
		}
		mu.Unlock()
		// n transitions, and more (up to extraSlides) while no slide could
		// be judged at distance yet: on a loaded machine a large screen may
		// not finish drawing some slides before they go.
		if (count > n+1 && checked > 0) || count > n+1+extraSlides || time.Since(start) > time.Duration(n+6+extraSlides)*(dwell+fade)+20*time.Second {
			break
		}
		path := filepath.Join(shots, fmt.Sprintf("shot-%04d.xwd", k))
		from := time.Now()
		if err := capture(display, path); err != nil {
			break // the kiosk has quit and taken the screen with it
		}
		to := time.Now()
		samples = append(samples, sample{from, to, path})
		// A settled slide (its fade over a while ago, the next not yet due):
		// read at distance, once per slide for the first few. The log says
		// when the window was told to draw, not when the X server has the
		// picture: on a busy machine the slide may still be on its way. So
		// a second capture follows at once, and the slide is judged only
		// when both are the same picture (the window has finished drawing)
		// and no change was logged in between.
		if count > 0 && from.After(last.at.Add(last.fade+300*time.Millisecond)) && to.Before(last.at.Add(last.fade+dwell-300*time.Millisecond)) && distanceChecked < count && distanceChecked < 4 {
			again := filepath.Join(shots, fmt.Sprintf("shot-%04d-again.xwd", k))
			if err := capture(display, again); err != nil {
				break
			}
			to2 := time.Now()
			samples = append(samples, sample{to, to2, again})
			mu.Lock()
			still := len(log) == count
			mu.Unlock()
			share, err := changed(path, again)
			if err != nil {
				return failures, err
			}
			if !still || share > stillShare || !to2.Before(last.at.Add(last.fade+dwell-300*time.Millisecond)) {
				unsettled++
				if os.Getenv("QRWINDOW_DEBUG") != "" {
					fmt.Printf("  skipped %s: next slide logged %v, %.2f%% changed, past the slide's time %v\n", filepath.Base(again), !still, share*100, !to2.Before(last.at.Add(last.fade+dwell-300*time.Millisecond)))
				}
				continue
			}
			// The slide judged is the one the capture holds whole (both
			// codes of one person, read off the clean capture): on a loaded
			// machine the window may still show the slide before the one
			// the log names, drawn whole; that is late, not wrong (the
			// check of every capture below judges the codes against the
			// person on screen).
			whole, ok := wholeSlide(zbarCodes(readers.Zbar, again))
			if !ok {
				unsettled++
				continue
			}
			if !slices.Equal(whole, urlsOf(last.person)) {
				fmt.Printf("  %dx%d %s: the window still shows the slide before (%s) %v after %s was logged\n",
					W, H, filepath.Base(again), whole[0], to2.Sub(last.at).Round(time.Millisecond), last.person)
			}
			distanceChecked = count
			checked++
			f, err := readAtDistance(again, whole, readers, W, H)
			if err != nil {
				return failures, err
			}
			failures += f
		}
	}
	if checked == 0 {
		failures++
		fmt.Printf("  %dx%d: FAILED: no settled slide was captured (%d captures still being drawn): nothing was read at distance\n", W, H, unsettled)
	}
	cancel() // the kiosk ends here when it was not yet done
	_ = cmd.Wait()
	<-done
	if len(log) < 2 {
		return failures + 1, fmt.Errorf("the kiosk presented %d slides; its log:\n%s", len(log), logText.String())
	}
	if os.Getenv("QRWINDOW_DEBUG") != "" {
		for _, p := range log {
			fmt.Println("presented", p.at.Format("15:04:05.000"), p.person, p.fade)
		}
		for _, s := range samples {
			fmt.Println("sample", filepath.Base(s.path), s.from.Format("15:04:05.000"), s.to.Format("15:04:05.000"))
		}
	}
	// Every sample: the codes it decodes must belong to someone on screen
	// during the capture. The log is written when the window is told to
	// change, and the X server shows the change a frame later: a capture
	// just after a fade started may still hold the slide before it, whole,
	// its name with its codes. Such a frame is the same picture as an
	// earlier capture of that slide (a fade, even one with its codes left
	// uncovered, changes most of the screen), so it is counted as late,
	// not wrong.
	decoded, wrong, late := 0, 0, 0
	seen := map[string]string{} // a code → a capture that showed it when it was due
	for _, s := range samples {
		got := zbarCodes(readers.Zbar, s.path)
		if len(got) == 0 {
			continue
		}
		decoded++
		// The first slide is in the window when it opens, with no fade.
		first := change{start: start, end: start, codes: urlsOf(log[0].person)}
		allowed := onScreen(append([]change{first}, changes...), s.from, s.to)
		for _, u := range got {
			if slices.Contains(allowed, u) {
				seen[u] = s.path
				continue
			}
			if ref, ok := seen[u]; ok {
				if share, err := changed(ref, s.path); err == nil && share < 0.05 {
					late++
					continue
				} else if err == nil {
					fmt.Printf("  %dx%d %s: %.0f%% of the screen differs from %s, which showed that code when it was due\n", W, H, filepath.Base(s.path), share*100, filepath.Base(ref))
				}
			}
			// No capture of that slide when it was due to compare with
			// (on a loaded machine a large screen is captured seldom):
			// the name on the capture says whose slide it is. Codes under
			// their own person's name, alone on the screen, are a late
			// frame; under another name, or two, they are wrong.
			if named, err := namesOn(s.path); err == nil && len(named) == 1 && slices.Contains(urlsOf(named[0]), u) {
				late++
				continue
			} else if err != nil {
				fmt.Printf("  %dx%d %s: reading the name: %v\n", W, H, filepath.Base(s.path), err)
			} else {
				fmt.Printf("  %dx%d %s: names read on the screen: %v\n", W, H, filepath.Base(s.path), named)
			}
			wrong++
			fmt.Printf("  %dx%d %s: decoded %s, not a code of the person on screen then (%v)\n", W, H, filepath.Base(s.path), u, allowed)
		}
	}
	for _, s := range samples {
		_ = os.Remove(s.path)
	}
	fmt.Printf("%dx%d: %d transitions, %d screenshots (%d with codes read, %d late frames of the slide before), %d codes of someone not on screen; %d slides read at distance, %d captures skipped as not yet drawn\n",
		W, H, len(log)-1, len(samples), decoded, late, wrong, checked, unsettled)
	if wrong > 0 {
		failures += wrong
	}
	return failures, nil
}

// extraSlides is how many slides beyond the planned ones a screen shape
// may take to find one it can judge at distance.
const extraSlides = 6

// testName is a test person's name as tesseract reads it off a capture.
var testName = regexp.MustCompile(`Test Person (\d+)`)

// namesOn reads the test people's names on a capture with tesseract, as
// the person ids they belong to.
func namesOn(path string) ([]string, error) {
	pngPath, err := toPNG(path)
	if err != nil {
		return nil, err
	}
	defer os.Remove(pngPath)
	out, err := exec.Command("tesseract", pngPath, "-", "--psm", "11").Output()
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	var ids []string
	for _, m := range testName.FindAllStringSubmatch(string(out), -1) {
		var i int
		fmt.Sscan(m[1], &i)
		if id := fmt.Sprintf("person-%04d", i); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// zbarCodes are the QR codes zbarimg reads off a capture (it reads X
// window dumps through ImageMagick).
func zbarCodes(zbar, path string) []string {
	out, _ := exec.Command(zbar, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).Output()
	return strings.Fields(string(out))
}

// wholeSlide says whether codes are exactly one person's two codes, and
// returns them as urlsOf does.
func wholeSlide(codes []string) ([]string, bool) {
	if len(codes) != 2 {
		return nil, false
	}
	var i int
	if _, err := fmt.Sscanf(codes[0], "https://example.org/letters/%d", &i); err != nil {
		if _, err := fmt.Sscanf(codes[0], "https://example.org/petition/%d", &i); err != nil {
			return nil, false
		}
	}
	want := urlsOf(fmt.Sprintf("person-%d", i))
	if !slices.Equal(slices.Sorted(slices.Values(codes)), want) {
		return nil, false
	}
	return want, true
}

// stillShare is the share of the screen two captures of a finished
// slide may differ by: none in practice (the slide does not move); a
// little for the capture's own noise.
const stillShare = 0.002

// onScreen are the codes a sample taken between from and to may show:
// those of every slide whose codes were uncovered at some moment of the
// capture, as the window's fade events say (the codes of a slide show from
// the end of its fade to the start of the next one's; a little slack for
// the frame on its way from the UI goroutine to the X server).
func onScreen(changes []change, from, to time.Time) []string {
	const slack = 120 * time.Millisecond
	var out []string
	for i, c := range changes {
		if c.end.IsZero() {
			continue
		}
		shownTo := time.Now().Add(time.Hour)
		if i+1 < len(changes) {
			shownTo = changes[i+1].start.Add(slack)
		}
		if c.end.Before(to.Add(slack)) && shownTo.After(from) {
			out = append(out, c.codes...)
		}
	}
	return out
}

// changed is the share of pixels that differ visibly (by more than 24 in
// a channel) between two captures of the same size.
func changed(a, b string) (float64, error) {
	ia, err := readShot(a)
	if err != nil {
		return 0, err
	}
	ib, err := readShot(b)
	if err != nil {
		return 0, err
	}
	r := ia.Bounds()
	if r != ib.Bounds() {
		return 1, nil
	}
	diff := 0
	for i := 0; i < len(ia.Pix); i += 4 {
		a, b := ia.Pix[i:i+3], ib.Pix[i:i+3]
		if far(a[0], b[0]) || far(a[1], b[1]) || far(a[2], b[2]) {
			diff++
		}
	}
	return float64(diff) / float64(r.Dx()*r.Dy()), nil
}

func far(a, b uint8) bool { return max(a, b)-min(a, b) > 24 }

// readShot reads a capture: an X window dump.
func readShot(path string) (*image.RGBA, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseXWD(b)
}

// toPNG writes a capture as PNG beside it, for zbarimg.
func toPNG(path string) (string, error) {
	img, err := readShot(path)
	if err != nil {
		return "", err
	}
	out := strings.TrimSuffix(path, ".xwd") + ".png"
	f, err := os.Create(out)
	if err != nil {
		return "", err
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(f, img); err != nil {
		_ = f.Close()
		return "", err
	}
	return out, f.Close()
}

// capture takes a screenshot of the display as an X window dump, written
// as it comes: converting it (ImageMagick's convert to PNG took seconds a
// capture on a loaded machine, longer than a slide stays) waits until the
// kiosk has finished.
func capture(display, path string) error {
	out, err := exec.Command("xwd", "-root", "-silent", "-display", display).Output()
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// parseXWD reads an X window dump of a 24- or 32-bit TrueColor screen (what
// Xvfb -screen WxHx24 gives): a big-endian header of 25 words, the window
// name, the colour map, then rows of 32-bit pixels in the dump's byte order.
func parseXWD(b []byte) (*image.RGBA, error) {
	word := func(i int) uint32 { return binary.BigEndian.Uint32(b[4*i:]) }
	if len(b) < 100 {
		return nil, fmt.Errorf("xwd: %d bytes, no header", len(b))
	}
	headerSize, version := int(word(0)), word(1)
	w, h := int(word(4)), int(word(5))
	byteOrder, bpp, bpl := word(7), word(11), int(word(12))
	masks := [3]uint32{word(15), word(16), word(17)}
	ncolors := int(word(19))
	if version != 7 || bpp != 32 || w <= 0 || h <= 0 || bpl < 4*w {
		return nil, fmt.Errorf("xwd: version %d, %d bits a pixel, %dx%d: not a 32-bit TrueColor dump", version, bpp, w, h)
	}
	off := headerSize + 12*ncolors
	if off < 0 || len(b) < off+bpl*h {
		return nil, fmt.Errorf("xwd: %d bytes, want %d", len(b), off+bpl*h)
	}
	var shifts [3]int
	for c, m := range masks {
		if m == 0 {
			return nil, errors.New("xwd: a colour mask is 0")
		}
		shifts[c] = bits.TrailingZeros32(m)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := b[off+y*bpl:]
		for x := range w {
			var v uint32
			if byteOrder == 0 { // LSBFirst
				v = binary.LittleEndian.Uint32(row[4*x:])
			} else {
				v = binary.BigEndian.Uint32(row[4*x:])
			}
			p := img.Pix[img.PixOffset(x, y):]
			for c := range 3 {
				p[c] = uint8((v & masks[c]) >> shifts[c])
			}
			p[3] = 0xFF
		}
	}
	return img, nil
}

// readAtDistance degrades the screenshot as a phone at 3 m sees it, turned
// either way, and checks both readers read both codes.
func readAtDistance(path string, want []string, readers qrtest.Readers, W, H int) (int, error) {
	img, err := readShot(path)
	if err != nil {
		return 0, err
	}
	failures := 0
	want = slices.Sorted(slices.Values(want))
	for _, yaw := range []float64{20, -20} {
		cam := qrtest.Phone
		cam.YawDeg = yaw
		jpg := qrtest.Degrade(img, cam)
		zb, zx, err := readers.Read(jpg, filepath.Dir(path))
		if err != nil {
			return failures, err
		}
		ok := slices.Equal(zb, want) && slices.Equal(zx, want)
		fmt.Printf("%dx%d at 3 m turned %+.0f°: zbar %d/2, ZXing %d/2 %s\n", W, H, yaw, count(zb, want), count(zx, want), map[bool]string{true: "ok", false: "FAILED"}[ok])
		if !ok {
			failures++
			_ = os.WriteFile(strings.TrimSuffix(path, ".xwd")+fmt.Sprintf("-phone%+.0f.jpg", yaw), jpg, 0o644)
			if failed, err := toPNG(path); err == nil {
				_ = os.Rename(failed, strings.TrimSuffix(path, ".xwd")+"-failed.png")
			}
		}
	}
	return failures, nil
}

// burn starts n busy loops, each a process spinning on a core at normal
// priority, and returns what stops them.
func burn(n int) func() {
	var cmds []*exec.Cmd
	for range n {
		c := exec.Command("sh", "-c", "while :; do :; done")
		if err := c.Start(); err == nil {
			cmds = append(cmds, c)
		}
	}
	if n > 0 {
		fmt.Printf("%d busy processes keep the cores loaded\n", len(cmds))
	}
	return func() {
		for _, c := range cmds {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
		cmds = nil
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func count(got, want []string) int {
	n := 0
	for _, w := range want {
		if slices.Contains(got, w) {
			n++
		}
	}
	return n
}
