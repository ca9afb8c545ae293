package show

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

func people(n int) []pack.Person {
	var ps []pack.Person
	for i := range n {
		ps = append(ps, pack.Person{ID: fmt.Sprintf("p%d", i), Name: pack.Text{"en": fmt.Sprintf("P %d", i)}, Country: "BY", Status: "in_custody"})
	}
	return ps
}

// TestResumeContinuesTheSameOrder stops a show after k slides, saves and
// reloads the position, and checks the resumed show puts the same person
// on screen and then follows the order the first show would have taken.
func TestResumeContinuesTheSameOrder(t *testing.T) {
	entries := entriesOf(manifest(people(7)...))
	for _, k := range []int{1, 5, 7, 8, 23} {
		pl := NewPlaylist(entries, 99)
		var e Entry
		for range k {
			e, _ = pl.Next()
		}
		path := filepath.Join(t.TempDir(), "position")
		if err := SavePosition(path, pl.Position(e)); err != nil {
			t.Fatal(err)
		}
		pos, err := LoadPosition(path)
		if err != nil {
			t.Fatal(err)
		}
		resumed, first, ok := Resume(entries, pos, 12345)
		if !ok || first.Person.ID != e.Person.ID {
			t.Fatalf("after %d slides: resumed with %v (ok=%v), want %s", k, first.Person, ok, e.Person.ID)
		}
		for i := range 30 {
			want, _ := pl.Next()
			got, _ := resumed.Next()
			if want.Person.ID != got.Person.ID {
				t.Fatalf("after %d slides, step %d: resumed show has %s, the original %s", k, i, got.Person.ID, want.Person.ID)
			}
		}
	}
}

// TestResumeAfterThePacksChanged starts with the person who was on screen
// when they are still installed, never twice in a row, and from the
// beginning when they are gone.
func TestResumeAfterThePacksChanged(t *testing.T) {
	before := entriesOf(manifest(people(5)...))
	pl := NewPlaylist(before, 1)
	var e Entry
	for range 3 {
		e, _ = pl.Next()
	}
	pos := pl.Position(e)
	after := entriesOf(manifest(people(9)...)) // a new pack version with more people
	resumed, first, ok := Resume(after, pos, 2)
	if !ok || first.Person.ID != e.Person.ID {
		t.Fatalf("resumed with %v (ok=%v), want %s", first.Person, ok, e.Person.ID)
	}
	if next, _ := resumed.Next(); next.Person.ID == first.Person.ID {
		t.Fatalf("%s shown twice in a row after resuming", first.Person.ID)
	}
	pos.Person = "gone"
	_, first, ok = Resume(after, pos, 2)
	if ok || first.Person == nil {
		t.Fatalf("a person no longer installed: ok=%v first=%v", ok, first.Person)
	}
	if pos, err := LoadPosition(filepath.Join(t.TempDir(), "none")); err != nil || pos != (Position{}) {
		t.Fatalf("a missing file: %v, %v", pos, err)
	}
}
