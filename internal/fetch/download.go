package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// tempPattern names downloads in progress; the .zip lets the importer
	// see what the file is.
	tempPattern = "download-*.zip"
	// copyBuffer is how much of a body is read at a time.
	copyBuffer = 32 << 10
	userAgent  = "solidarity-kiosk"
)

// download asks the server for st.URL and, on a complete 200, returns the
// temporary file that holds the pack; "" (and no error) on a 304. It ends
// the download when TotalTimeout has passed or when no byte has arrived
// for StallTimeout.
func (f *Fetcher) download(ctx context.Context, st urlState, res *Result) (string, error) {
	stall := newStallWatch(f.opt.StallTimeout)
	w := &wire{touch: stall.touch}
	ctx, cancel := context.WithTimeout(withWire(ctx, w), f.opt.TotalTimeout)
	defer cancel()
	ctx = stall.start(ctx)
	defer stall.stop()
	defer func() { res.WireRead, res.WireWritten = w.read.Load(), w.written.Load() }()
	started := f.opt.Now()
	resp, err := f.get(ctx, st)
	if err != nil {
		return "", stall.explain(err)
	}
	stall.touch() // the headers arrived, whichever client read them
	defer resp.Body.Close()
	res.StatusCode = resp.StatusCode
	res.ETag, res.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	switch resp.StatusCode {
	case http.StatusNotModified:
		return "", nil
	case http.StatusOK:
		path, err := f.save(ctx, resp, res, w, stall, started)
		return path, stall.explain(err)
	}
	return "", &StatusError{Code: resp.StatusCode, Status: printable(resp.Status, maxStatusText)}
}

// get sends the conditional GET for st.URL.
func (f *Fetcher) get(ctx context.Context, st urlState) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, st.URL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	resp, err := f.client.Do(req)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the URL is named once, by the caller
	}
	return resp, err
}

// save writes the body of a 200 to a temporary file under TempDir and
// returns its name once the body is complete; otherwise (an error, a
// cancelled ctx, a panic) it removes the file before returning. OnStatus
// hears of the download when it starts and every ProgressEvery after.
func (f *Fetcher) save(ctx context.Context, resp *http.Response, res *Result, w *wire, stall *stallWatch, started time.Time) (path string, err error) {
	if resp.ContentLength > f.opt.MaxBytes {
		return "", fmt.Errorf("%w: the server announces %d bytes, the limit is %d",
			ErrTooLarge, resp.ContentLength, f.opt.MaxBytes)
	}
	tmp, err := os.CreateTemp(f.opt.TempDir, tempPattern)
	if err != nil {
		return "", err
	}
	defer func() {
		if path == "" {
			tmp.Close()
			f.remove(tmp.Name())
		}
	}()
	var got atomic.Int64
	progress := func() {
		s := Status{
			URL: res.URL, State: StateDownloading, LastSuccess: res.LastSuccess,
			BytesRead: got.Load(), Received: got.Load(), Total: max(resp.ContentLength, 0), Started: started,
		}
		if res.Counted {
			s.BytesRead = w.read.Load()
		}
		f.status(s)
	}
	progress()
	stopProgress := every(ctx, f.opt.ProgressEvery, progress)
	err = f.copyBody(ctx, tmp, resp, &got, stall.touch)
	stopProgress()
	res.BodyBytes = got.Load()
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %s: %w", tmp.Name(), cerr)
	}
	if err != nil {
		return "", err
	}
	return tmp.Name(), nil
}

// copyBody copies the body into file and checks that it is complete. It
// reads at most MaxBytes+1 bytes, whatever the headers say, and counts
// them into got as they arrive.
func (f *Fetcher) copyBody(ctx context.Context, file *os.File, resp *http.Response, got *atomic.Int64, touch func()) error {
	limit := f.opt.MaxBytes
	buf := make([]byte, copyBuffer)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w after %d bytes: %w", ErrTruncated, n, err)
		}
		k, rerr := resp.Body.Read(buf[:min(int64(len(buf)), limit+1-n)])
		if k > 0 {
			touch()
			if _, err := file.Write(buf[:k]); err != nil {
				return fmt.Errorf("writing %s: %w", file.Name(), err)
			}
			n += int64(k)
			got.Store(n)
		}
		switch {
		case n > limit:
			return fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
		case errors.Is(rerr, io.EOF):
			if resp.ContentLength >= 0 && n != resp.ContentLength {
				return fmt.Errorf("%w: %d of %d bytes", ErrTruncated, n, resp.ContentLength)
			}
			return nil
		case rerr != nil:
			return fmt.Errorf("%w after %d bytes: %w", ErrTruncated, n, rerr)
		}
	}
}

// every calls fn on its own goroutine d after the last call returned,
// until ctx is done or the returned stop is called; stop returns once fn
// is no longer running.
func every(ctx context.Context, d time.Duration, fn func()) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTimer(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fn()
				t.Reset(d)
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// remove deletes a download.
func (f *Fetcher) remove(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		f.opt.Logger.Warn("cannot remove pack download", "path", path, "err", err)
	}
}

// removeStale deletes downloads and state files left half-written by a
// kiosk that stopped in the middle: downloads in TempDir (and in Dir,
// where they went before TempDir), the temporary files of atomicfile and
// of earlier versions next to the state files.
func (f *Fetcher) removeStale() {
	patterns := []string{
		filepath.Join(f.opt.TempDir, tempPattern),
		filepath.Join(f.opt.Dir, tempPattern),
		filepath.Join(f.opt.Dir, ".state-*.json.*.tmp"),
		filepath.Join(f.opt.Dir, "state-*.json.tmp-*"),
	}
	for _, pattern := range patterns {
		names, _ := filepath.Glob(pattern)
		for _, n := range names {
			f.remove(n)
		}
	}
}
