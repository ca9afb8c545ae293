// Package fetch keeps URL packs (https://…/pack.zip) up to date in the
// background: a conditional GET every interval, bounded in time, in size
// (while streaming, whatever the headers say) and in silence (a download
// that receives nothing for a while ends as stalled), with exponential
// backoff and full jitter after every kind of failure. A download goes to
// a temporary folder, reports its progress while it runs, is handed to an
// import callback only when it is complete, and is removed however the
// check ends. The ETag and Last-Modified of the last imported download are
// remembered under a state directory, so a restart does not download an
// unchanged pack again. The package knows nothing of the store: the kiosk
// keeps showing its cached pack whatever happens here.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"
)

// Fetcher checks URL packs. Its methods may be called from several
// goroutines; Import and OnStatus are called from one at a time.
type Fetcher struct {
	opt    Options
	client *http.Client
	counts bool // the client counts the bytes on the wire
	// importing holds a token while Import runs: one import at a time,
	// and a check stopped while waiting for its turn stops at once.
	importing chan struct{}
	statusMu  sync.Mutex
	// states holds the state of each URL checked so far, so that a state
	// file that cannot be written does not mean downloading the pack again
	// at every check.
	statesMu sync.Mutex
	states   map[string]urlState
}

// Result says what one check did.
type Result struct {
	URL string
	// State is how the check ended: StateUpToDate, StateImported,
	// StateOffline or StateFailed.
	State State
	// StatusCode is the server's answer, 0 if there was none.
	StatusCode int
	// ETag and LastModified are the response's validators.
	ETag, LastModified string
	// BodyBytes is how much of the pack was received.
	BodyBytes int64
	// WireRead and WireWritten are the bytes on the connection each way,
	// headers and TLS included; measured only when Counted is set (the
	// Fetcher's own client, not Options.Client).
	WireRead, WireWritten int64
	Counted               bool
	// LastSuccess is when the URL was last checked without error.
	LastSuccess time.Time
}

// Transferred is every byte the check moved over the network, both ways.
func (r Result) Transferred() int64 { return r.WireRead + r.WireWritten }

// New checks the options (every URL included) and makes a Fetcher.
func New(opt Options) (*Fetcher, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	var errs []error
	for _, u := range opt.URLs {
		errs = append(errs, ValidateURL(u, opt.AllowHTTP))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, dir := range []string{opt.Dir, opt.TempDir} {
		if err := ensureDir(dir); err != nil {
			return nil, err
		}
	}
	f := &Fetcher{opt: opt, importing: make(chan struct{}, 1), states: map[string]urlState{}}
	f.client, f.counts = clientFor(opt)
	return f, nil
}

// CheckOnce checks u once with a new Fetcher: see Fetcher.Check.
func CheckOnce(ctx context.Context, opt Options, u string) (Result, error) {
	f, err := New(opt)
	if err != nil {
		return Result{URL: u, State: StateFailed}, err
	}
	return f.Check(ctx, u)
}

// Check asks the server for u. A 304 imports nothing; a complete 200 is
// imported, and only then are its validators remembered. The error names
// the URL and the state (offline or failed), and matches ErrTooLarge,
// ErrTruncated, ErrStalled, ErrImport, ErrNotEncrypted or *StatusError
// where they apply.
func (f *Fetcher) Check(ctx context.Context, u string) (Result, error) {
	res, err := f.check(ctx, u)
	f.report(res, err, time.Time{})
	return res, err
}

// check does a Check without reporting its end.
func (f *Fetcher) check(ctx context.Context, u string) (res Result, err error) {
	res = Result{URL: u, Counted: f.counts}
	defer func() {
		if err != nil {
			res.State = stateOf(err)
			err = failure(u, res.State, err)
		}
	}()
	if err := ValidateURL(u, f.opt.AllowHTTP); err != nil {
		return res, err
	}
	st := f.load(u)
	res.LastSuccess = st.LastSuccess
	f.status(Status{URL: u, State: StateChecking, LastSuccess: st.LastSuccess})
	path, err := f.download(ctx, st, &res)
	if err != nil || path == "" {
		return res, f.remember(st, &res, err, false)
	}
	defer f.remove(path)
	err = f.importFile(ctx, u, path)
	return res, f.remember(st, &res, err, true)
}

// importFile hands a complete download to Options.Import, one at a time.
// A panic in Import is an import failure: the kiosk goes on showing its
// cache, and the caller still removes the download.
func (f *Fetcher) importFile(ctx context.Context, u, path string) (err error) {
	select {
	case f.importing <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrImport, ctx.Err())
	}
	defer func() { <-f.importing }()
	defer func() {
		if p := recover(); p != nil {
			f.opt.Logger.Error("pack import panicked", "url", u, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: panic: %v", ErrImport, p)
		}
	}()
	if err := f.opt.Import(ctx, u, path); err != nil {
		return fmt.Errorf("%w: %w", ErrImport, err)
	}
	return nil
}

// remember records a successful check (and the validators of an imported
// download) in the URL's state file; a failed check leaves it untouched.
func (f *Fetcher) remember(st urlState, res *Result, err error, imported bool) error {
	if err != nil {
		return err
	}
	now := f.opt.Now()
	st.LastSuccess = now
	res.LastSuccess = now
	res.State = StateUpToDate
	if imported {
		st.ETag, st.LastModified, st.LastImport = "", "", now
		if validValidator(res.ETag) && validValidator(res.LastModified) {
			st.ETag, st.LastModified = res.ETag, res.LastModified
		} else {
			f.opt.Logger.Warn("not remembering the pack's validators: the next check downloads it again",
				"url", res.URL, "etag", printable(res.ETag, maxStatusText), "last_modified", printable(res.LastModified, maxStatusText))
		}
		res.State = StateImported
		f.opt.Logger.Info("pack imported", "url", res.URL, "bytes", res.BodyBytes, "etag", res.ETag)
	} else {
		f.opt.Logger.Debug("pack up to date", "url", res.URL, "bytes", res.Transferred())
	}
	f.statesMu.Lock()
	f.states[st.URL] = st
	f.statesMu.Unlock()
	if err := saveState(f.opt.Dir, st); err != nil {
		// The pack is imported; at worst the next check downloads it again.
		f.opt.Logger.Warn("cannot save pack URL state", "url", res.URL, "err", err)
	}
	return nil
}

// load returns the state of u, read from its file on the first check; an
// unreadable or damaged state file means a fresh start (the pack is
// downloaded once more), not a stop.
func (f *Fetcher) load(u string) urlState {
	f.statesMu.Lock()
	defer f.statesMu.Unlock()
	if st, ok := f.states[u]; ok {
		return st
	}
	st, err := loadState(f.opt.Dir, u)
	if err != nil {
		f.opt.Logger.Warn("ignoring pack URL state; the pack is downloaded again", "url", u, "err", err)
	}
	f.states[u] = st
	return st
}

// report tells OnStatus and the log how a check ended.
func (f *Fetcher) report(res Result, err error, next time.Time) {
	s := Status{
		URL: res.URL, State: res.State, Err: err, LastSuccess: res.LastSuccess,
		NextCheck: next, BytesRead: res.BodyBytes, Received: res.BodyBytes,
	}
	if res.Counted {
		s.BytesRead = res.WireRead
	}
	if err != nil {
		f.opt.Logger.Warn("pack URL check failed", "url", res.URL, "state", res.State, "err", err, "next", next)
	}
	f.status(s)
}

// status calls OnStatus, one call at a time.
func (f *Fetcher) status(s Status) {
	s.At = f.opt.Now()
	f.statusMu.Lock()
	defer f.statusMu.Unlock()
	f.opt.OnStatus(s)
}

// ensureDir makes a folder of the Fetcher's, private to the kiosk's user.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("pack download folder: %w", err)
	}
	return nil
}
