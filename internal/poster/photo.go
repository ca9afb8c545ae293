package poster

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/jpeg"
	"sync"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
)

// dpi is the resolution photos are prepared for.
const dpi = 300

// passSlack is how much larger than needed a JPEG may be and still be
// embedded as it is: re-encoding would cost time and quality for bytes.
const passSlack = 2.0

// prepared is a photo ready to embed: JPEG bytes and their pixel size.
type prepared struct {
	jpeg   []byte
	w, h   int
	gray   bool
	passed bool // the original file, not re-encoded
	err    error
}

// preparePhoto makes a person's photo fit to print in a box of need
// pixels. A JPEG that needs no rotation, is greyscale or YCbCr and is at
// most passSlack times the size needed is embedded byte for byte; any
// other photo is decoded (with the kiosk's limits, orientation applied),
// scaled to fit and encoded once at quality 90.
func preparePhoto(name string, data []byte, need imageprep.Size) prepared {
	info, err := imageprep.Inspect(name, data, imageprep.DefaultLimits())
	if err != nil {
		return prepared{err: err}
	}
	if info.Format == "jpeg" && info.Orientation == 1 &&
		float64(info.Width) <= passSlack*float64(need.W) && float64(info.Height) <= passSlack*float64(need.H) {
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil && (cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel) {
			return prepared{jpeg: data, w: cfg.Width, h: cfg.Height, gray: cfg.ColorModel == color.GrayModel, passed: true}
		}
	}
	img, _, err := imageprep.Decode(name, data, need, imageprep.DefaultLimits())
	if err != nil {
		return prepared{err: err}
	}
	img = imageprep.Fit(img, need)
	out, err := imageprep.EncodeJPEG(img, 90)
	if err != nil {
		return prepared{err: fmt.Errorf("encoding: %w", err)}
	}
	b := img.Bounds()
	return prepared{jpeg: out, w: b.Dx(), h: b.Dy()}
}

// photos prepares every person's photo on opt.Workers goroutines and
// hands them to use in the people's order; at most twice as many as
// there are workers wait, so memory stays bounded whatever the count.
// It stops at the first error use returns, or when ctx is done, and
// returns once every worker has stopped.
func (j *job) photos(ctx context.Context, people []Person, need imageprep.Size, use func(i int, p *prepared) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var workers sync.WaitGroup
	defer workers.Wait() // no worker outlives the call (nor reads a closed pack)
	defer cancel()
	results := make([]chan prepared, len(people))
	for i := range results {
		results[i] = make(chan prepared, 1)
	}
	slots := make(chan struct{}, 2*j.opt.Workers)
	work := make(chan int)
	for range j.opt.Workers {
		workers.Go(func() {
			for i := range work {
				results[i] <- j.prepareOne(people[i], need)
			}
		})
	}
	go func() {
		defer close(work)
		for i := range people {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for i := range people {
		var p prepared
		select {
		case p = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-slots
		var pp *prepared
		if people[i].Photo != nil {
			pp = &p
		}
		if err := use(i, pp); err != nil {
			return err
		}
	}
	return nil
}

func (j *job) prepareOne(p Person, need imageprep.Size) prepared {
	if p.Photo == nil {
		return prepared{}
	}
	name, data, err := p.Photo()
	if err != nil {
		return prepared{err: err}
	}
	out := preparePhoto(name, data, need)
	if out.err != nil {
		out.err = fmt.Errorf("%s: %w", name, out.err)
	}
	return out
}
