package ui

import (
	"image"
	"image/color"
	"log/slog"
	"os/exec"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
)

// stage holds the two full-screen images the show cross-fades between. The
// top one fades out over the bottom one, or in over it, so the screen is
// never blank: a frame always shows one whole slide, or a blend of two.
type stage struct {
	a, b *canvas.Image
	tick *canvas.Rectangle // refreshed to repaint during a fade without re-uploading textures
	// topShows is true when the top image (b) is the one on screen.
	topShows bool
	root     *fyne.Container
	// covers hide the QR codes while one slide fades into another, so a
	// phone never reads the outgoing person's code beside the incoming
	// person's name; codes is what is on screen now.
	covers *fyne.Container
	codes  slides.Codes
	// start runs an animation (tests step it by hand).
	start func(*fyne.Animation)
}

// coverColour is what stands where the codes were during a cross-fade.
var coverColour = color.RGBA{0x1E, 0x1E, 0x1E, 0xFF}

func newStage() *stage {
	mk := func() *canvas.Image {
		img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
		img.FillMode = canvas.ImageFillStretch
		img.ScaleMode = canvas.ImageScaleFastest
		return img
	}
	s := &stage{a: mk(), b: mk(), tick: canvas.NewRectangle(color.Transparent), start: (*fyne.Animation).Start}
	s.tick.Resize(fyne.NewSize(1, 1))
	s.b.Translucency = 1
	bg := canvas.NewRectangle(render.Backdrop)
	s.covers = container.NewWithoutLayout()
	s.root = container.NewStack(bg, s.a, s.b, s.covers, container.NewWithoutLayout(s.tick))
	return s
}

// present shows img, whose QR codes are codes, cross-fading over fade.
// When the codes change, both slides' codes are covered before the fade
// starts and the new ones uncovered only when it ends. It must run on the
// UI goroutine.
func (s *stage) present(img *image.RGBA, codes slides.Codes, fade time.Duration) {
	// For the real-window tests (KIOSK_LOG=debug, scripts/qr-window.sh):
	// when the screen starts to change and which codes the new slide has.
	slog.Debug("fade started", "codes", strings.Join(codes.URLs, " "), "fade", fade)
	hide := fade > 0 && !s.codes.Same(codes)
	if hide {
		s.cover(img, append(append([]image.Rectangle(nil), s.codes.Rects...), codes.Rects...))
	}
	s.codes = codes
	if !s.topShows {
		// b is invisible on top: load it, then fade it in over a.
		s.b.Image = img
		s.b.Refresh()
		s.animate(fade, func(p float32) { s.b.Translucency = float64(1 - p) })
	} else {
		// b is on screen: load a underneath, then fade b out.
		s.a.Image = img
		s.a.Refresh()
		s.animate(fade, func(p float32) { s.b.Translucency = float64(p) })
	}
	s.topShows = !s.topShows
}

// cover puts opaque panels over rects (pixels of img, which fills the stage).
func (s *stage) cover(img *image.RGBA, rects []image.Rectangle) {
	k := s.root.Size().Width / float32(max(img.Rect.Dx(), 1)) // units per pixel
	objs := make([]fyne.CanvasObject, 0, len(rects))
	for _, r := range rects {
		c := canvas.NewRectangle(coverColour)
		c.Move(fyne.NewPos(float32(r.Min.X)*k, float32(r.Min.Y)*k))
		c.Resize(fyne.NewSize(float32(r.Dx())*k, float32(r.Dy())*k))
		objs = append(objs, c)
	}
	s.covers.Objects = objs
	s.covers.Show()
	s.covers.Refresh()
}

// covered reports whether the codes are covered now (tests).
func (s *stage) covered() bool { return s.covers.Visible() && len(s.covers.Objects) > 0 }

func (s *stage) animate(d time.Duration, step func(float32)) {
	uncover := func() {
		if len(s.covers.Objects) > 0 {
			s.covers.Objects = nil
			s.covers.Hide()
		}
	}
	if d <= 0 {
		step(1)
		uncover()
		s.tick.Refresh()
		slog.Debug("fade ended")
		return
	}
	anim := fyne.NewAnimation(d, func(p float32) {
		step(p)
		if p >= 1 {
			uncover() // the fade has ended: the new codes show
			slog.Debug("fade ended")
		}
		s.tick.Refresh()
	})
	anim.Curve = fyne.AnimationEaseInOut
	s.start(anim)
}

// keepScreenOn disables screen blanking: through the driver (D-Bus) and,
// since a bare X server's DPMS ignores that, with xset when it exists.
func keepScreenOn(a fyne.App, log *slog.Logger) {
	a.Driver().SetDisableScreenBlanking(true)
	if path, err := exec.LookPath("xset"); err == nil {
		if err := exec.Command(path, "s", "off", "-dpms", "s", "noblank").Run(); err != nil {
			log.Warn("xset could not disable screen blanking", "err", err)
		}
	}
}
