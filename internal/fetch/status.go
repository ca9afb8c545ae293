package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// State is where a URL pack stands, as the operator panel shows it.
type State string

// The states a URL goes through. A check starts with StateChecking and ends
// in StateUpToDate, StateImported, StateOffline or StateFailed.
const (
	StateChecking    State = "checking"
	StateUpToDate    State = "up to date"
	StateDownloading State = "downloading"
	StateImported    State = "imported"
	StateOffline     State = "offline"
	StateFailed      State = "failed"
)

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

// failure names the URL and what went wrong in one error.
func failure(u string, st State, err error) error {
	return fmt.Errorf("%s: %s: %w", u, st, err)
}
