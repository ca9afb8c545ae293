package pack

import (
	"strings"
	"testing"
)

func TestPhotoExtensionsAreOneList(t *testing.T) {
	for _, ext := range PhotoExtensions {
		if PhotoFormat(ext) == "" || PhotoFormat(strings.ToUpper(ext)) == "" {
			t.Errorf("%s has no format", ext)
		}
		if msg := checkPhotoPath("photos/a" + ext); msg != "" {
			t.Errorf("photos/a%s refused: %s", ext, msg)
		}
	}
	msg := checkPhotoPath("photos/a.gif")
	for _, ext := range PhotoExtensions {
		if !strings.Contains(msg, ext) {
			t.Errorf("the refusal %q does not name %s", msg, ext)
		}
	}
	if PhotoFormat(".gif") != "" || PhotoFormat(".heic") != "" {
		t.Error("a format the pack format does not have")
	}
}

func TestStatusTable(t *testing.T) {
	for _, s := range Statuses {
		got, ok := StatusOf(s.Key)
		if !ok || got.Key != s.Key {
			t.Errorf("StatusOf(%s) = %v %v", s.Key, got.Key, ok)
		}
		if s.Colour.A != 0xFF {
			t.Errorf("%s has no colour", s.Key)
		}
	}
	if got, ok := StatusOf("jailed"); ok || got.Key != StatusUnknown {
		t.Errorf("StatusOf(jailed) = %v %v, want unknown's entry and false", got.Key, ok)
	}
	if !IsDetention(StatusHouseArrest) || IsDetention(StatusReleased) || !IsMemorial(StatusDiedInCustody) || IsMemorial(StatusUnknown) {
		t.Error("detention or memorial wrong in the table")
	}
}
