package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyWarnsOfCharactersWithoutAGlyph: a name with a character no
// font of the kiosk draws (here U+10900, Phoenician) is a warning naming
// the person, the field and the character; the pack still verifies.
func TestVerifyWarnsOfCharactersWithoutAGlyph(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(demoDir(t), "pack.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	p := m["people"].([]any)[0].(map[string]any)
	id := p["id"].(string)
	p["name"].(map[string]any)["en"] = "Anna \U00010900"
	data, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pack.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, "pack", "verify", dir)
	want := `warning: person "` + id + `": name.en: "𐤀" (U+10900, Phoenician) has no glyph in the kiosk's fonts: it would be drawn as an empty box`
	if code != ExitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
	}
	code, out, _ = run(t, nil, "pack", "verify", demoDir(t))
	if code != ExitOK || strings.Contains(out, "warning") {
		t.Errorf("the demo pack: exit %d, warnings:\n%s", code, out)
	}
}
