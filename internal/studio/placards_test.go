package studio

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/poster"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestPlacards: the open pack's placards, one page a person on A4 and
// Letter, and ceil(people/StripsPerSheet) A3 sheets of wire strips, each
// written whole into place with nothing left beside it.
func TestPlacards(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	if err := testpack.Write(dir, testpack.Options{ID: "rally", People: 3, W: 60, H: 80, Encode: encode}); err != nil {
		t.Fatal(err)
	}
	st := mustStudio(t, Options{})
	ctx := context.Background()
	s, err := st.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, tc := range []struct {
		paper string
		pages int
	}{
		{poster.PaperA4, 3},
		{poster.PaperLetter, 3},
		{poster.PaperA3Strips, 1},
	} {
		t.Run(tc.paper, func(t *testing.T) {
			name := s.PlacardsName(tc.paper)
			if want := "rally-placards-" + tc.paper + ".pdf"; name != want {
				t.Errorf("PlacardsName %q, want %q", name, want)
			}
			dst := filepath.Join(out, name)
			rep, err := st.WritePlacards(ctx, dst, poster.Options{Paper: tc.paper})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Pages != tc.pages || rep.People != 3 {
				t.Errorf("report %+v, want %d pages, 3 people", rep, tc.pages)
			}
			if n := testpack.PDFPages(t, dst); n != tc.pages {
				t.Errorf("%d pages in the PDF, want %d", n, tc.pages)
			}
		})
	}
	if leftovers, _ := filepath.Glob(filepath.Join(out, ".*.tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestPlacardsFailLeavesNoFile: a failed or cancelled run leaves no PDF
// and no temporary file, and an earlier PDF as it was.
func TestPlacardsFailLeavesNoFile(t *testing.T) {
	out := t.TempDir()
	dst := filepath.Join(out, "p.pdf")
	st := mustStudio(t, Options{})
	ctx := context.Background()
	if _, err := st.WritePlacards(ctx, dst, poster.Options{}); !errors.Is(err, ErrNoPack) {
		t.Errorf("nothing open: %v, want ErrNoPack", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a PDF was written with nothing open: %v", err)
	}
	if _, err := st.Open(ctx, writeSheet(t, sheetCSV, "hanna.jpg"), ""); err != nil {
		t.Fatal(err)
	}
	earlier := []byte("%PDF- an earlier run")
	if err := os.WriteFile(dst, earlier, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.WritePlacards(ctx, dst, poster.Options{Paper: "a5"}); !errors.Is(err, poster.ErrPaper) {
		t.Errorf("paper a5: %v, want poster.ErrPaper", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := st.WritePlacards(cancelled, dst, poster.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, earlier) {
		t.Errorf("the earlier PDF was changed: %q", got)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("%d files in the folder, want the earlier PDF alone", len(entries))
	}
	// The spreadsheet's pack holds hanna-ablab alone: one placard.
	rep, err := st.WritePlacards(ctx, dst, poster.Options{})
	if err != nil || rep.Pages != 1 || testpack.PDFPages(t, dst) != 1 {
		t.Fatalf("%+v, %v", rep, err)
	}
}
