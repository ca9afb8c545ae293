package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// State is where a URL pack stands, as the operator panel shows it.
type State string

// The states a URL goes through. A check starts with StateChecking, goes
// through StateDownloading when the pack changed, and ends in
// StateUpToDate, StateImported, or one of the failures StateOffline,
// StateStalled and StateFailed.
const (
	StateChecking    State = "checking"
	StateUpToDate    State = "up to date"
	StateDownloading State = "downloading"
	StateImported    State = "imported"
	StateOffline     State = "offline"
	// StateStalled means no byte arrived for Options.StallTimeout.
	StateStalled State = "stalled"
	StateFailed  State = "failed"
)

// Failure reports whether s ends a check that failed (offline, stalled or
// failed): the kiosk goes on showing its cached pack, and Run retries
// with backoff.
func (s State) Failure() bool {
	return s == StateOffline || s == StateStalled || s == StateFailed
}

// Status reports the state of one URL to Options.OnStatus.
type Status struct {
	URL   string
	State State
	// Err is why the check failed (StateOffline, StateFailed).
	Err error
	// LastSuccess is when the URL was last checked or imported without error;
	// zero if never.
	LastSuccess time.Time
	// NextCheck is when Run checks again; zero outside Run and while checking.
	NextCheck time.Time
	// BytesRead is what this check has received so far: everything read
	// from the connection with the Fetcher's own client, the body with
	// Options.Client.
	BytesRead int64
	// Received is how much of the pack has arrived, while downloading and
	// at the end of a check that downloaded.
	Received int64
	// Total is the pack's size as the server announced it while
	// downloading; 0 when it announced none.
	Total int64
	// Started is when the request of a download in progress was sent.
	Started time.Time
	// At is when the status was reported (Options.Now).
	At time.Time
}

// Progress describes a download in progress for a person, from Received,
// Total and the time from Started to At: "downloading 12.4 MB of 80.0 MB,
// 1.2 MB/s, 10 s", or "downloading 40 B, 1 B/s, 40 s" when the server
// announced no size. The rate appears after the first second. Progress is
// "" in other states.
func (s Status) Progress() string {
	if s.State != StateDownloading {
		return ""
	}
	out := "downloading " + formatBytes(s.Received)
	if s.Total > 0 {
		out += " of " + formatBytes(s.Total)
	}
	if s.Started.IsZero() || s.At.Before(s.Started) {
		return out
	}
	elapsed := s.At.Sub(s.Started)
	if elapsed >= time.Second {
		out += ", " + formatBytes(int64(float64(s.Received)/elapsed.Seconds())) + "/s"
	}
	return out + ", " + formatDuration(elapsed)
}

// formatBytes writes n bytes in decimal units: "3 B", "512.0 kB", "12.4 MB".
func formatBytes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	v, i := float64(n)/1000, 0
	for v >= 999.95 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// formatDuration writes d for a person: "250 ms", "40 s", "2 min 5 s",
// "1 h 20 min", rounded down.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}

// Errors a check can fail with, matched with errors.Is.
var (
	// ErrTooLarge means the pack is larger than Options.MaxBytes.
	ErrTooLarge = errors.New("pack too large")
	// ErrTruncated means the connection ended before the whole pack arrived.
	ErrTruncated = errors.New("download incomplete")
	// ErrImport means the download was complete but Options.Import refused it.
	ErrImport = errors.New("import failed")
)

// StatusError is an HTTP answer other than 200 or 304.
type StatusError struct {
	Code   int
	Status string // e.g. "404 Not Found"
}

func (e *StatusError) Error() string { return "server answered " + e.Status }

// stateOf says whether err means the server could not be reached (offline:
// the kiosk keeps showing its cached pack and retries) or that it answered
// with something unusable (failed).
func stateOf(err error) State {
	var (
		op  *net.OpError
		dns *net.DNSError
		ne  net.Error
	)
	switch {
	case errors.Is(err, ErrStalled):
		return StateStalled
	case errors.Is(err, ErrTruncated), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.As(err, &op), errors.As(err, &dns):
		return StateOffline
	case errors.As(err, &ne) && ne.Timeout():
		return StateOffline
	}
	return StateFailed
}

// maxStatusText is the longest status line of a server that an error
// repeats, in characters.
const maxStatusText = 100

// printable makes text from outside fit for a log line or the operator
// panel: control characters and broken UTF-8 become U+FFFD, and text
// longer than limit characters is cut with "…".
func printable(text string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(text, "\uFFFD") {
		if n == limit {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) {
			r = unicode.ReplacementChar
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// failure names the URL and what went wrong in one error.
func failure(u string, st State, err error) error {
	return fmt.Errorf("%s: %s: %w", u, st, err)
}
