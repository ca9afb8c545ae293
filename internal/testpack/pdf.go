package testpack

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// pageObject is a page's dictionary, not the page tree's (/Type /Pages).
var pageObject = regexp.MustCompile(`/Type\s*/Page\b`)

// PDFPages checks that the file at path is a PDF and returns its number of
// pages: the /Type /Page objects counted, and, when poppler's pdfinfo is
// installed, checked against the count pdfinfo reads.
func PDFPages(t testing.TB, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("%s does not start with %%PDF-: %q", path, data[:min(len(data), 16)])
	}
	n := len(pageObject.FindAll(data, -1))
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Logf("pdfinfo not installed: %s counted by its page objects only", path)
		return n
	}
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v\n%s", path, err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			if got, _ := strconv.Atoi(strings.TrimSpace(v)); got != n {
				t.Errorf("%s: pdfinfo reads %d pages, %d page objects written", path, got, n)
			}
			return n
		}
	}
	t.Fatalf("pdfinfo %s: no Pages line\n%s", path, out)
	return 0
}
