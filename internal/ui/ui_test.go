package ui

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

func demoStore(t *testing.T) *store.Store {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	opt := importer.DefaultOptions()
	opt.Logger = log
	opt.SpoolTo = t.TempDir()
	if err := demo.InstallIfNew(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPeopleListShowsTheDemoPack(t *testing.T) {
	test.NewTempApp(t)
	st := demoStore(t)
	entries, err := Entries(st, "en")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name)
		if !strings.Contains(e.Pack, "(demo)") {
			t.Errorf("%s: pack %q is not marked as the demo", e.Name, e.Pack)
		}
	}
	if got := strings.Join(names, ", "); got != "Hanna Ablab, Astiaj Haghighi, Olga Smirnova" {
		t.Fatalf("people = %s", got)
	}
	obj, err := PeopleList(st)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, obj)
	w.Resize(w.Canvas().Size().Max(obj.MinSize()))
	header := obj.(*fyne.Container).Objects[1].(*widget.Label)
	if !strings.HasPrefix(header.Text, "3 people") {
		t.Errorf("header %q", header.Text)
	}
}
