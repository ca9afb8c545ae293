// Package testpack makes synthetic portrait packs for tests, benchmarks and
// soak runs: photo-like images (gradients, shapes, grain; every one distinct)
// and a valid pack.json with the hash of every file.
package testpack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Photo draws a distinct photo-like picture for seed: a soft two-colour
// gradient, a few overlapping discs and mild grain, so JPEG sizes and decode
// costs resemble a real portrait rather than flat colour or pure noise.
func Photo(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c0 := [3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	c1 := [3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	type disc struct {
		x, y, rr float64
		c        [3]float64
	}
	discs := make([]disc, 6)
	for i := range discs {
		rad := (0.05 + r.Float64()*0.25) * float64(min(w, h))
		discs[i] = disc{
			r.Float64() * float64(w), r.Float64() * float64(h), rad * rad,
			[3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255},
		}
	}
	for y := 0; y < h; y++ {
		t := float64(y) / float64(h)
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			var px [3]float64
			for k := range px {
				px[k] = c0[k]*(1-t) + c1[k]*t
			}
			for _, d := range discs {
				dx, dy := float64(x)-d.x, float64(y)-d.y
				if dx*dx+dy*dy < d.rr {
					for k := range px {
						px[k] = px[k]*0.4 + d.c[k]*0.6
					}
				}
			}
			grain := float64(int(r.Uint32()&15) - 8)
			for k := range px {
				row[4*x+k] = clamp(px[k] + grain)
			}
			row[4*x+3] = 255
		}
	}
	return img
}

// SmoothPhoto is a grain-free portrait photo (a face-coloured disc on a
// gradient), so golden PNGs drawn with it stay small.
func SmoothPhoto(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := x-w/2, y-h*2/5
			c := color.RGBA{uint8(90 + 100*y/h), uint8(110 + 60*x/w), 150, 255}
			if dx*dx+dy*dy < (w/4)*(w/4) {
				c = color.RGBA{220, 190, 160, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// Options describe a synthetic pack.
type Options struct {
	ID     string
	People int
	W, H   int
	// Encode turns a photo into JPEG bytes; callers pass imageprep.EncodeJPEG
	// or image/jpeg, so this package needs no cgo.
	Encode func(*image.RGBA) ([]byte, error)
	// Workers encode photos in parallel; 0 means 1.
	Workers int
}

// Write creates the pack folder dir with People photos and a pack.json.
func Write(dir string, o Options) error {
	if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
		return err
	}
	files := make([]string, o.People)
	errs := make([]error, o.People)
	work := make(chan int)
	done := make(chan struct{})
	workers := max(o.Workers, 1)
	for w := 0; w < workers; w++ {
		go func() {
			for i := range work {
				files[i], errs[i] = writePhoto(dir, i, o)
			}
			done <- struct{}{}
		}()
	}
	for i := 0; i < o.People; i++ {
		work <- i
	}
	close(work)
	for w := 0; w < workers; w++ {
		<-done
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return writeManifest(dir, o, files)
}

func writePhoto(dir string, i int, o Options) (string, error) {
	name := fmt.Sprintf("photos/person-%04d.jpg", i)
	data, err := o.Encode(Photo(o.W, o.H, uint64(i)+1))
	if err != nil {
		return "", err
	}
	return name, os.WriteFile(filepath.Join(dir, name), data, 0o644)
}

// Manifest returns a valid pack manifest for the given photo files (one
// person per file, or a silhouette where the name is empty).
func Manifest(id string, files []string, hashes map[string]string) map[string]any {
	people := make([]map[string]any, len(files))
	for i, f := range files {
		p := map[string]any{
			"id":       fmt.Sprintf("person-%04d", i),
			"name":     map[string]string{"en": fmt.Sprintf("Test Person %d", i), "ru": fmt.Sprintf("Тестовый человек %d", i)},
			"country":  "BY",
			"status":   "in_custody",
			"arrested": "2021-06-01",
			"links":    []map[string]string{{"kind": "letter", "url": "https://example.org/letters/" + fmt.Sprint(i)}},
		}
		if f != "" {
			p["photo"] = f
		}
		people[i] = p
	}
	return map[string]any{
		"format": 1, "id": id, "version": "1",
		"title":              map[string]string{"en": "Synthetic test pack"},
		"publisher":          map[string]string{"name": "Solidarity Kiosk tests"},
		"published":          "2024-05-20",
		"languages":          []string{"en", "ru"},
		"allowed_link_hosts": []string{"example.org"},
		"files":              hashes,
		"people":             people,
	}
}

func writeManifest(dir string, o Options, files []string) error {
	hashes := map[string]string{}
	for _, f := range files {
		h, err := HashFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		hashes[f] = h
	}
	data, err := json.MarshalIndent(Manifest(o.ID, files, hashes), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "pack.json"), data, 0o644)
}

// HashFile returns "sha256:" + hex of a file's bytes, as pack.json lists it.
func HashFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// WriteFiles writes files (pack path → bytes) under dir, making folders.
func WriteFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
