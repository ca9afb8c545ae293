package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero values of Options.
const (
	DefaultInterval       = 15 * time.Minute
	DefaultRetryBase      = 5 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultTotalTimeout   = 10 * time.Minute
	DefaultMaxBytes       = 4 << 30
	DefaultStallTimeout   = 30 * time.Second
	DefaultProgressEvery  = 500 * time.Millisecond
)

// Options configure a Fetcher. Only Dir and Import are required.
type Options struct {
	// URLs are the packs Run keeps up to date.
	URLs []string
	// Dir holds the state of each URL, one small file per URL.
	Dir string
	// TempDir holds the downloads in progress, one file per download,
	// removed when its check ends however it ends (import, failure,
	// cancellation, a panic in Import); default Dir. Run removes the
	// downloads an earlier process left there (download-*.zip) when it
	// starts. The kiosk passes a folder of its own that it empties at start.
	TempDir string
	// Interval is how long to wait after a successful check; default 15 min.
	// It also caps the retry delay after failures.
	Interval time.Duration
	// RetryBase is the first retry delay's ceiling after a failure; it
	// doubles with every failure in a row, up to Interval. Default 5 s.
	RetryBase time.Duration
	// ConnectTimeout bounds the TCP connect and the TLS handshake; default 10 s.
	ConnectTimeout time.Duration
	// TotalTimeout bounds one download from request to last byte; default 10 min.
	TotalTimeout time.Duration
	// StallTimeout ends a download when no byte has arrived for that long
	// (from the request on, headers included), on the real clock; the check
	// ends in StateStalled ("no data for 30 s") and is retried with backoff
	// like any failure. Default 30 s.
	StallTimeout time.Duration
	// MaxBytes is the largest pack accepted; default 4 GiB. A download stops
	// at once when the server announces more, and otherwise after
	// MaxBytes+1 bytes, whatever the headers say.
	MaxBytes int64
	// ProgressEvery is how often OnStatus hears of a download in progress
	// (StateDownloading, with Received, Total and Started), on the real
	// clock; default 500 ms.
	ProgressEvery time.Duration
	// AllowHTTP accepts http:// URLs (a server on the kiosk's own network).
	AllowHTTP bool
	// Import takes a complete download at path into the kiosk. It is called
	// from one goroutine at a time, and the file is removed when it returns
	// (or panics: the panic becomes an ErrImport failure). It should return
	// soon after ctx is done.
	Import func(ctx context.Context, url, path string) error
	// Client replaces the Fetcher's own client. Its transport's timeouts are
	// then the caller's business, and Result counts only body bytes.
	Client *http.Client
	// TLSConfig is used by the Fetcher's own client, e.g. to trust a
	// server's own CA; nil means the system's roots.
	TLSConfig *tls.Config
	// Now is the clock of the statuses, results and state files; nil means
	// time.Now. It is called from several goroutines.
	Now func() time.Time
	// Sleep waits d or until ctx is done; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for retry jitter; nil means math/rand/v2.
	Rand func() float64
	// Logger receives what the Fetcher does; nil means slog.Default().
	Logger *slog.Logger
	// OnStatus is told about every change of a URL's state, and every
	// ProgressEvery while a pack downloads, from one goroutine at a time.
	// It must not block for long.
	OnStatus func(Status)
}

// ErrNotEncrypted is matched (errors.Is) by the error for an http:// URL
// when Options.AllowHTTP is not set.
var ErrNotEncrypted = errors.New("not encrypted")

// insecureError refuses an http:// URL with the way out.
type insecureError struct{ url string }

func (e insecureError) Error() string {
	return e.url + " is not encrypted; use https or start the kiosk with --allow-http for a server on your own network"
}

func (e insecureError) Is(target error) bool { return target == ErrNotEncrypted }

// ValidateURL checks that u is an absolute https:// URL with a host, or an
// http:// one when allowHTTP is set.
func ValidateURL(u string, allowHTTP bool) error {
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("pack URL %q: %w", u, err)
	}
	switch strings.ToLower(p.Scheme) {
	case "https":
	case "http":
		if !allowHTTP {
			return insecureError{url: u}
		}
	case "":
		return fmt.Errorf("pack URL %q: no scheme; use https://…", u)
	default:
		return fmt.Errorf("pack URL %q: scheme %q not supported; use https://…", u, p.Scheme)
	}
	if p.Opaque != "" || p.Host == "" || p.Hostname() == "" {
		return fmt.Errorf("pack URL %q: no host", u)
	}
	return nil
}

// validate checks the options and fills in the defaults.
func (o *Options) validate() error {
	if o.Dir == "" {
		return errors.New("fetch: Options.Dir is empty")
	}
	if o.Import == nil {
		return errors.New("fetch: Options.Import is nil")
	}
	o.fill()
	return nil
}

func (o *Options) fill() {
	if o.TempDir == "" {
		o.TempDir = o.Dir
	}
	o.Interval = orDefault(o.Interval, DefaultInterval)
	o.RetryBase = orDefault(o.RetryBase, DefaultRetryBase)
	o.ConnectTimeout = orDefault(o.ConnectTimeout, DefaultConnectTimeout)
	o.TotalTimeout = orDefault(o.TotalTimeout, DefaultTotalTimeout)
	o.MaxBytes = orDefault(o.MaxBytes, DefaultMaxBytes)
	o.StallTimeout = orDefault(o.StallTimeout, DefaultStallTimeout)
	o.ProgressEvery = orDefault(o.ProgressEvery, DefaultProgressEvery)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.OnStatus == nil {
		o.OnStatus = func(Status) {}
	}
}

func orDefault[T time.Duration | int64](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
