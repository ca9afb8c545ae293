package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kiosk poster PACK writes the PDF it names and says what it holds; a
// paper it does not know and a pack with problems are refused, the
// problems named; no half PDF is left behind.
func TestPosterCommand(t *testing.T) {
	dir := t.TempDir()
	pdf := filepath.Join(dir, "out.pdf")
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Lang: "en"}
	if code := Run([]string{"poster", "--paper", "letter", "-o", pdf, filepath.Join("..", "..", "assets", "demo")}, env); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	data, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-1.7")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
		t.Fatalf("%s: %v, want a whole PDF", pdf, err)
	}
	if !strings.Contains(out.String(), "3 page(s), 3 people") {
		t.Errorf("stdout %q, want the pages and people counted", out.String())
	}

	out.Reset()
	errb.Reset()
	if code := Run([]string{"poster", "--paper", "a5", "-o", pdf}, env); code != ExitUsage || !strings.Contains(errb.String(), `--paper "a5"`) {
		t.Errorf("--paper a5: exit %d, %q; want %d naming the paper", code, errb.String(), ExitUsage)
	}

	bad := filepath.Join(dir, "bad")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "pack.json"), []byte(`{"format": 1, "id": "x", "version": "1", "people": [{"id": "a"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := Run([]string{"poster", "-o", filepath.Join(dir, "bad.pdf"), bad}, env); code != ExitProblems {
		t.Errorf("a pack with problems: exit %d, want %d", code, ExitProblems)
	}
	if !strings.Contains(out.String(), bad) || !strings.Contains(out.String(), "people[0]") && !strings.Contains(out.String(), `"a"`) {
		t.Errorf("a pack with problems: %q, want the pack and the person named", out.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 { // out.pdf and bad/
		t.Errorf("left in the folder: %v", entries)
	}
}
