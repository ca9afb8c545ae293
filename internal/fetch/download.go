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
)

const (
	// tempPattern names downloads in progress; the .zip lets the importer
	// see what the file is.
	tempPattern = "download-*.zip"
	// progressStep is how often a download reports its progress.
	progressStep = 1 << 20
	userAgent    = "solidarity-kiosk"
)

// download asks the server for st.URL and, on a complete 200, returns the
// temporary file that holds the pack; "" (and no error) on a 304.
func (f *Fetcher) download(ctx context.Context, st urlState, res *Result) (string, error) {
	w := &wire{}
	ctx, cancel := context.WithTimeout(withWire(ctx, w), f.opt.TotalTimeout)
	defer cancel()
	defer func() { res.WireRead, res.WireWritten = w.read.Load(), w.written.Load() }()
	resp, err := f.get(ctx, st)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	res.StatusCode = resp.StatusCode
	res.ETag, res.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	switch resp.StatusCode {
	case http.StatusNotModified:
		return "", nil
	case http.StatusOK:
		return f.save(resp, res, w)
	}
	return "", &StatusError{Code: resp.StatusCode, Status: resp.Status}
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
// cancelled ctx, a panic) it removes the file before returning.
func (f *Fetcher) save(resp *http.Response, res *Result, w *wire) (path string, err error) {
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
	s := &sink{file: tmp, tick: func(n int64) {
		res.BodyBytes = n
		f.status(Status{URL: res.URL, State: StateDownloading, LastSuccess: res.LastSuccess, BytesRead: received(res, w)})
	}}
	err = f.copyBody(s, resp)
	res.BodyBytes = s.n
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %s: %w", tmp.Name(), cerr)
	}
	if err != nil {
		return "", err
	}
	return tmp.Name(), nil
}

// copyBody copies at most MaxBytes of the body into s and checks that the
// body is complete.
func (f *Fetcher) copyBody(s *sink, resp *http.Response) error {
	limit := f.opt.MaxBytes
	_, err := io.Copy(s, io.LimitReader(resp.Body, limit+1))
	switch {
	case s.werr != nil:
		return fmt.Errorf("writing %s: %w", s.file.Name(), s.werr)
	case s.n > limit:
		return fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	case err != nil:
		return fmt.Errorf("%w after %d bytes: %w", ErrTruncated, s.n, err)
	case resp.ContentLength >= 0 && s.n != resp.ContentLength:
		return fmt.Errorf("%w: %d of %d bytes", ErrTruncated, s.n, resp.ContentLength)
	}
	return nil
}

// received is what a check has received so far, as Status.BytesRead counts it.
func received(res *Result, w *wire) int64 {
	if res.Counted {
		return w.read.Load()
	}
	return res.BodyBytes
}

// sink writes a download to its file, counts it, and calls tick at the
// start and every progressStep bytes.
type sink struct {
	file *os.File
	n    int64
	next int64
	werr error
	tick func(n int64)
}

func (s *sink) Write(p []byte) (int, error) {
	if s.n >= s.next {
		s.tick(s.n)
		s.next = s.n + progressStep
	}
	n, err := s.file.Write(p)
	s.n += int64(n)
	if err != nil {
		s.werr = err
	}
	return n, err
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
