package poster

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestPrintedHostsAreTheScreens: placards and strips print under each code
// the host linkhost.Display gives, as the screen does: a host mixing
// scripts as punycode, one in a single script as written (issue 18:
// раураl.com, with Cyrillic letters, was printed reading as paypal.com).
func TestPrintedHostsAreTheScreens(t *testing.T) {
	testpack.NeedTools(t, "pdftotext")
	m := &pack.Manifest{
		ID: "hosts", Version: "1", Languages: []string{"en"},
		Actions: []pack.Action{{Kind: "petition", URL: "https://раураl.com/all"}},
		People: []pack.Person{{
			ID: "a", Name: pack.Text{"en": "Anna"}, Country: "BY", Status: pack.StatusInCustody,
			Links: []pack.Link{{Kind: "letter", URL: "https://раураl.com/letters/a"}, {Kind: "petition", URL: "https://пример.рф/a"}},
		}},
	}
	people := []Person{{Entry: show.Entry{PackID: m.ID, Manifest: m, Person: &m.People[0], Weight: 1}}}
	for _, paper := range []string{PaperA4, PaperA3Strips} {
		var b bytes.Buffer
		if _, err := Write(context.Background(), &b, people, Options{Paper: paper, Now: testNow, Workers: 1}); err != nil {
			t.Fatal(err)
		}
		pdf := t.TempDir() + "/p.pdf"
		if err := os.WriteFile(pdf, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		text := run(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
		if !strings.Contains(text, "xn--l-7sba6dbr.com") || strings.Contains(text, "раураl") {
			t.Errorf("%s: the confusable host is not printed as punycode:\n%s", paper, text)
		}
		if paper == PaperA4 && !strings.Contains(text, "пример.рф") {
			t.Errorf("%s: the Cyrillic host is not printed as written:\n%s", paper, text)
		}
	}
}
