package render

import (
	"image"
	"sort"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// BenchmarkPrepareSlide measures what the show does before each slide:
// decode the stored display JPEG and draw the whole 1920×1080 slide
// (backdrop, photo, shaped text, QR codes, ticker). It
// reports the median and the 99th percentile (target p99 <= 40 ms).
func BenchmarkPrepareSlide(b *testing.B) {
	f, err := LoadFonts()
	if err != nil {
		b.Fatal(err)
	}
	// The cache keeps the display image at the size the slide shows it
	// (the importer fits it to PhotoBox of the screen).
	screen := imageprep.Size{W: 1920, H: 1080}
	display, err := imageprep.EncodeJPEG(imageprep.Fit(testpack.Photo(2000, 1500, 3), PhotoBox(screen)), 88)
	if err != nil {
		b.Fatal(err)
	}
	s := demoSlide("in_custody")
	figs := []string{"181 women political prisoners in custody · as of 20 May 2024 · Belarusian Women's Foundation"}
	var times []time.Duration
	var bufs [3]*image.RGBA
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		photo, _, err := imageprep.Decode("d.jpg", display, PhotoBox(screen), imageprep.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		bufs[i%3], _ = DrawInto(bufs[i%3], f, Input{Slide: s, Photo: photo, Figures: figs, Size: screen})
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
