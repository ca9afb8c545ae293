package fetch

import (
	"encoding/json"
	"testing"
)

// FuzzParseState: whatever a state file holds, parsing it never panics,
// and what it accepts belongs to the URL and can be sent back and saved
// again unchanged.
func FuzzParseState(f *testing.F) {
	const u = "https://example.org/pack.zip"
	f.Add([]byte(`{"url": "https://example.org/pack.zip", "etag": "\"v1\"", "last_modified": "Wed, 20 May 2026 11:00:00 GMT", "last_success": "2026-05-20T12:00:00Z"}`))
	f.Add([]byte(`{"url": "https://example.org/pack.zip", "etag": "\"v1\"\r\nX: 1"}`))
	f.Add([]byte(`{"url": "https://elsewhere.example/pack.zip"}`))
	f.Add([]byte(`{"url": "https://example.org/pack.zip", "last_success": "not a time"}`))
	f.Add([]byte("\x00garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseState(data, u)
		if s.URL != u {
			t.Fatalf("parseState gave the state of %q (err %v)", s.URL, err)
		}
		if err != nil {
			if s != (urlState{URL: u}) {
				t.Fatalf("a refused state is not fresh: %+v", s)
			}
			return
		}
		if !validValidator(s.ETag) || !validValidator(s.LastModified) {
			t.Fatalf("accepted validators %q, %q", s.ETag, s.LastModified)
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := parseState(again, u)
		if err != nil || s2.ETag != s.ETag || s2.LastModified != s.LastModified || !s2.LastSuccess.Equal(s.LastSuccess) {
			t.Fatalf("saved again, %+v reads as %+v, %v", s, s2, err)
		}
	})
}
