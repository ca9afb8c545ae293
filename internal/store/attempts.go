package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Import attempts.
//
// So that a pack which takes the kiosk down is not imported again at every
// start (a crash loop under a service manager that restarts the kiosk), the
// cache remembers the last import attempt of every source (a path or a URL)
// that did not succeed: what (the source and an identity of its content),
// when and how it ended. Before an import starts an "in progress" marker is
// written and committed (bbolt syncs every commit); a clean end replaces it
// (a failure is kept, a success removes it). A marker written by another
// process, found by a later one, means that process died during the import:
// it is read as AttemptDied. Records are sealed like every other value.

// Outcomes of an Attempt.
const (
	AttemptInProgress = "in progress" // the import is running in this process
	AttemptFailed     = "failed"      // the import ended with an error (the pack was refused)
	AttemptDied       = "died"        // the process stopped during the import
)

// DiedReason is the reason recorded for an import the process did not survive.
const DiedReason = "the kiosk stopped during this import, probably out of memory or a crash"

// maxAttemptReason bounds the stored reason (problem lists can be long).
const maxAttemptReason = 2000

var bucketAttempts = []byte("attempts")

// Attempt is the remembered last attempt to import one source.
type Attempt struct {
	Source   string    `json:"source"`   // the path (absolute) or URL
	Identity string    `json:"identity"` // what its content was: size and time, or a hash
	Origin   string    `json:"origin"`   // "watch", "command line", "url", "drop", …
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"` // zero while in progress or when the process died
	Outcome  string    `json:"outcome"`
	Reason   string    `json:"reason,omitempty"`
	Session  string    `json:"session,omitempty"` // the process that wrote an in-progress marker
	PID      int       `json:"pid,omitempty"`
	// Damage is set (and everything but Source is unknown) when the record
	// failed its checksum; it is not stored.
	Damage string `json:"-"`
}

// When is the time the attempt ended, or began when its end is unknown.
func (a Attempt) When() time.Time {
	if a.Ended.IsZero() {
		return a.Started
	}
	return a.Ended
}

// Blocks reports whether this attempt keeps the source with content
// identity from being imported automatically: it failed or died and the
// content is the same. A damaged record blocks nothing.
func (a Attempt) Blocks(identity string) bool {
	return a.Damage == "" && (a.Outcome == AttemptFailed || a.Outcome == AttemptDied) && a.Identity == identity
}

// String is the line the operator reads.
func (a Attempt) String() string {
	if a.Damage != "" {
		return fmt.Sprintf("%s: the record of its last import attempt is damaged (%s)", a.Source, a.Damage)
	}
	if a.Outcome == AttemptInProgress {
		return fmt.Sprintf("%s: importing since %s", a.Source, a.Started.Local().Format("2006-01-02 15:04:05"))
	}
	return a.Source + ": " + a.NotRetried()
}

// NotRetried says why the source is not imported automatically, when, and
// how to try again; for the operator, after the source's name.
func (a Attempt) NotRetried() string {
	why, _, _ := strings.Cut(a.Reason, "\n")
	how := "import it by hand to try again (kiosk pack import " + shellWord(a.Source) + ")"
	if strings.Contains(a.Source, "://") {
		how = "a new version at that address is tried; to try this one, download it and import it by hand (kiosk pack import FILE)"
	}
	return fmt.Sprintf("not retried: %s, at %s; %s", why, a.When().Local().Format("2006-01-02 15:04:05"), how)
}

// shellWord quotes s for a command line when it needs it.
func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"\\$`!*?[]()&;|<>#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// newSession names this open of the cache in the markers it writes.
func newSession() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// interpret reads a marker another process left as the death it means.
func (s *Store) interpret(a Attempt) Attempt {
	if a.Outcome == AttemptInProgress && a.Session != s.session {
		a.Outcome, a.Reason = AttemptDied, DiedReason
	}
	return a
}

func (s *Store) decodeAttempt(k, v []byte) Attempt {
	payload, _, err := unseal(k, v)
	var a Attempt
	if err == nil {
		err = json.Unmarshal(payload, &a)
	}
	if err == nil && a.Source != string(k) {
		err = fmt.Errorf("the record stored as %q names %q", k, a.Source)
	}
	if err != nil {
		d := &DamageError{Path: s.path, Field: "import attempt " + string(k), Reason: err.Error()}
		if s.damage.record("attempt\x00"+string(k), d.Reason) {
			s.log.Error("damaged import-attempt record in the cache; it is ignored and replaced at the next import of that source", "path", s.path, "source", string(k), "err", d.Reason)
		}
		return Attempt{Source: string(k), Damage: err.Error()}
	}
	return s.interpret(a)
}

// LastAttempt returns the remembered attempt for source; ok is false when
// none is remembered (never tried, or its last import succeeded).
func (s *Store) LastAttempt(source string) (a Attempt, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAttempts)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(source)); v != nil {
			a, ok = s.decodeAttempt([]byte(source), v), true
		}
		return nil
	})
	return a, ok, err
}

// Attempts lists every remembered attempt, sorted by source.
func (s *Store) Attempts() ([]Attempt, error) {
	var out []Attempt
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAttempts)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			out = append(out, s.decodeAttempt(k, v))
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, err
}

func putAttempt(tx *bolt.Tx, a Attempt) error {
	b, err := tx.CreateBucketIfNotExists(bucketAttempts)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return b.Put([]byte(a.Source), seal([]byte(a.Source), payload))
}

// settle turns the markers of dead processes into AttemptDied records.
func (s *Store) settle(tx *bolt.Tx) ([]Attempt, error) {
	b := tx.Bucket(bucketAttempts)
	if b == nil {
		return nil, nil
	}
	var died []Attempt
	err := b.ForEach(func(k, v []byte) error {
		a := s.decodeAttempt(k, v)
		if a.Damage == "" && a.Outcome == AttemptDied && a.Session != "" {
			a.Session, a.PID = "", 0
			died = append(died, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, a := range died {
		if err := putAttempt(tx, a); err != nil {
			return nil, err
		}
	}
	return died, nil
}

// SettleAttempts records every import a process died during (an "in
// progress" marker not written by this one) as AttemptDied, logs each, and
// returns them. It writes only when there is such a marker.
func (s *Store) SettleAttempts() ([]Attempt, error) {
	all, err := s.Attempts()
	if err != nil {
		return nil, err
	}
	pending := false
	for _, a := range all {
		pending = pending || a.Damage == "" && a.Outcome == AttemptDied && a.Session != ""
	}
	if !pending {
		return nil, nil
	}
	var died []Attempt
	err = s.update(func(tx *bolt.Tx) (err error) {
		died, err = s.settle(tx)
		return err
	})
	for _, a := range died {
		s.log.Warn("a pack import did not end: the kiosk stopped during it; it is not retried automatically until the pack changes or an operator imports it",
			"source", a.Source, "origin", a.Origin, "started", a.Started)
	}
	return died, err
}

// BeginAttempt writes and syncs the "in progress" marker for an import of
// source (with content identity) about to start; markers of dead processes
// are settled in the same commit.
func (s *Store) BeginAttempt(source, identity, origin string) error {
	a := Attempt{
		Source: source, Identity: identity, Origin: origin, Started: s.opts.Now(),
		Outcome: AttemptInProgress, Session: s.session, PID: os.Getpid(),
	}
	return s.update(func(tx *bolt.Tx) error {
		if _, err := s.settle(tx); err != nil {
			return err
		}
		return putAttempt(tx, a)
	})
}

// EndAttempt replaces the marker of source by the outcome of its import:
// a failure (err != nil) is remembered with its reason; a success removes
// the record, so the source is imported automatically again when it changes.
func (s *Store) EndAttempt(source string, importErr error) error {
	if importErr == nil {
		return s.ClearAttempt(source)
	}
	return s.update(func(tx *bolt.Tx) error {
		a := Attempt{Source: source}
		if b := tx.Bucket(bucketAttempts); b != nil {
			if v := b.Get([]byte(source)); v != nil {
				if old := s.decodeAttempt([]byte(source), v); old.Damage == "" {
					a = old
				}
			}
		}
		if a.Started.IsZero() {
			a.Started = s.opts.Now()
		}
		a.Ended, a.Outcome, a.Session, a.PID = s.opts.Now(), AttemptFailed, "", 0
		a.Reason = importErr.Error()
		if len(a.Reason) > maxAttemptReason {
			a.Reason = a.Reason[:maxAttemptReason] + "…"
		}
		return putAttempt(tx, a)
	})
}

// ClearAttempt forgets the attempt record of source (an import that
// succeeded, or one interrupted on purpose).
func (s *Store) ClearAttempt(source string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAttempts)
		if b == nil || b.Get([]byte(source)) == nil {
			return nil
		}
		return b.Delete([]byte(source))
	})
}
