package ui

import (
	"image"
	"image/color"
	"log/slog"
	"os/exec"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/solidarity-kiosk/kiosk/internal/render"
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
}

func newStage() *stage {
	mk := func() *canvas.Image {
		img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
		img.FillMode = canvas.ImageFillStretch
		img.ScaleMode = canvas.ImageScaleFastest
		return img
	}
	s := &stage{a: mk(), b: mk(), tick: canvas.NewRectangle(color.Transparent)}
	s.tick.Resize(fyne.NewSize(1, 1))
	s.b.Translucency = 1
	bg := canvas.NewRectangle(render.Backdrop)
	s.root = container.NewStack(bg, s.a, s.b, container.NewWithoutLayout(s.tick))
	return s
}

// present shows img, cross-fading over fade. It must run on the UI goroutine.
func (s *stage) present(img *image.RGBA, fade time.Duration) {
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

func (s *stage) animate(d time.Duration, step func(float32)) {
	if d <= 0 {
		step(1)
		s.tick.Refresh()
		return
	}
	anim := fyne.NewAnimation(d, func(p float32) {
		step(p)
		s.tick.Refresh()
	})
	anim.Curve = fyne.AnimationEaseInOut
	anim.Start()
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
