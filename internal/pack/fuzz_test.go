package pack

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(marshal(f, example(photo)))
	f.Add([]byte(`{"format":1,"people":[{"id":"a","name":"x"}]}`))
	f.Add([]byte("\xEF\xBB\xBF{}"))
	f.Add([]byte(`{"people":[{"name":{"en":"\xff"}}]}`))
	// Limits: nesting at and past MaxDepth, a long number, a long key.
	f.Add([]byte(strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)))
	f.Add([]byte(`{"x":` + strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth+1)))
	f.Add([]byte(`{"format":1.5,"people":[{"weight":1e999}],"x":` + strings.Repeat("9", MaxNumberBytes+1) + "}"))
	f.Add([]byte(`{"files":{"` + strings.Repeat("k", MaxKeyBytes+1) + `":"x"}}`))
	// Links that lie and dates that cannot be (issue 18).
	f.Add([]byte(minimal(`,"actions":[{"kind":"petition","url":"https://%E2%80%AEgro.elpmaxe/?q=%E2%80%8F"}]`,
		`,"links":[{"kind":"letter","url":"https://\u202egro.elpmaxe\u202c/letter"},{"kind":"other","url":"https://раураl.com/"}]`)))
	f.Add([]byte(minimal(`,"allowed_link_hosts":["xn--e1afmkfd.xn--p1ai","ex\u00adample.org"]`, `,"links":[{"kind":"letter","url":"https://ПРИМЕР.РФ/\u2067"}]`)))
	f.Add([]byte(minimal(`,"days":[{"date":"1899-05-21","title":"x"}]`, `,"born":"2023","arrested":"0001-01-02","released":"2024-01-01","died":"2030-01-01","verified":"1900-01-01"`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, probs := Parse(data)
		if len(probs) > MaxProblems+1 {
			t.Fatalf("%d problems listed", len(probs))
		}
		if m == nil {
			if len(probs) == 0 {
				t.Fatal("no manifest and no problem")
			}
			return
		}
		_ = m.Validate(now)
		if len(probs) > 0 {
			return
		}
		// A manifest that parsed cleanly survives a round trip unchanged.
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, probs2 := Parse(again)
		if m2 == nil {
			t.Fatalf("re-encoded manifest does not parse: %v", probs2)
		}
		third, _ := json.Marshal(m2)
		if string(third) != string(again) {
			t.Fatalf("round trip changed the manifest:\n%s\n%s", again, third)
		}
	})
}

func FuzzOpenZip(f *testing.F) {
	manifest := marshal(f, example(photo))
	f.Add(makeZip(f, []rawEntry{{name: "pack.json", data: manifest}, {name: "photos/hanna-ablab.jpg", data: photo}}))
	f.Add(makeZip(f, []rawEntry{{name: "x/pack.json", data: manifest}, {name: "../../evil", data: photo}}))
	f.Add(makeZip(f, []rawEntry{{name: "pack.json", data: make([]byte, 5000), lieSize: true}}))
	f.Add(makeZip(f, []rawEntry{{name: "pack.json", data: manifest}, {name: "big", data: make([]byte, 3<<20)}}))
	f.Add(makeZip(f, []rawEntry{{name: "pack.json", data: manifest}, {name: "d/", data: nil, mode: os.ModeDir | 0o755}, {name: strings.Repeat("n", MaxEntryNameBytes+1), data: nil}}))
	lim := DefaultLimits()
	lim.MaxFileBytes, lim.MaxTotalBytes, lim.MaxManifestBytes = 1<<16, 1<<18, 1<<16
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := readZip(context.Background(), bytes.NewReader(data), int64(len(data)), "fuzz.zip", lim)
		if err != nil {
			return
		}
		// checkDirectory let archive/zip read no more entries than allowed.
		if len(src.r.File) > lim.MaxEntries {
			t.Fatalf("%d entries read", len(src.r.File))
		}
		p, err := fromSource(context.Background(), src, "fuzz.zip", lim)
		if err != nil {
			return
		}
		defer p.Close()
		for name := range p.Manifest.Files {
			if b, err := p.ReadFile(name); err == nil && int64(len(b)) > lim.MaxFileBytes {
				t.Fatalf("read %d bytes past the limit", len(b))
			}
		}
		_ = p.Check(now, nil)
	})
}
