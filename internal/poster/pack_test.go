package poster

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// testNow is the print date of every test: fixed, so pages do not change.
var testNow = time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)

// persianName is a Persian name as the pack writes it (logical order).
const persianName = "آستیاژ حقیقی"

// expected QR links of the test pack, by person.
var (
	urlLetterHanna   = "https://example.org/letters/hanna-ablab"
	urlPetitionHanna = "https://example.org/petition/hanna"
	urlPackPetition  = "https://example.org/petition"
	urlLetterAstiaj  = "https://example.org/letters/astiaj"
	urlProfileDied   = "https://example.org/people/vitold"
	urlLetterDied    = "https://example.org/letters/vitold"
	urlDonateFreed   = "https://example.org/donate/maria"
	urlLetterFreed   = "https://example.org/letters/maria"
)

func link(kind, url string) map[string]string { return map[string]string{"kind": kind, "url": url} }

// writeTestPack writes a pack folder with one person of each kind the
// placards treat differently: held with letter and petition codes, held
// incommunicado with a Persian name, released, died in custody, and held
// with no consent to show a photo.
func writeTestPack(t testing.TB, dir string) string {
	t.Helper()
	photo := func(w, h int, seed uint64) []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, testpack.Photo(w, h, seed), &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	files := map[string][]byte{
		"photos/hanna.jpg":  photo(900, 1200, 1),
		"photos/astiaj.jpg": photo(1600, 1200, 2),
		"photos/maria.jpg":  photo(3000, 4000, 3), // larger than print needs: re-encoded
		"photos/vitold.jpg": photo(600, 800, 4),
		"photos/olga.jpg":   photo(600, 800, 5), // no consent: never printed
	}
	if err := testpack.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	people := []map[string]any{
		{
			"id": "hanna-ablab", "name": map[string]string{"en": "Hanna Ablab", "be": "Ганна Аблаб"},
			"country": "BY", "photo": "photos/hanna.jpg", "status": "in_custody", "gender": "female",
			"arrested": "2022-03-15", "sentence": map[string]string{"en": "11 years of imprisonment"},
			"charges":    []map[string]any{{"code": "356", "label": map[string]string{"en": "High treason"}}},
			"occupation": map[string]string{"en": "Railway employee, member of the Rabochy Rukh workers' movement"},
			"bio": map[string]string{"en": "Hanna worked on the Belarusian railway for twenty years. She was detained with other members of the Rabochy Rukh workers' movement " +
				"after the movement's leaders were arrested, and sentenced in a closed trial. She asks for letters about everyday life: books, gardens, the weather."},
			"links":    []map[string]string{link("letter", urlLetterHanna), link("petition", urlPetitionHanna)},
			"verified": "2024-05-20", "source": map[string]string{"name": "Viasna", "url": "https://spring96.org"},
		},
		{
			"id": "astiaj-haghighi", "name": map[string]string{"en": "Astiaj Haghighi", "fa": persianName},
			"country": "IR", "photo": "photos/astiaj.jpg", "status": "in_custody", "contact": "none",
			"arrested": "2023-01-02", "sentence": map[string]string{"en": "6 years"},
			"bio":   map[string]string{"en": "Student activist held in Evin prison.", "fa": "فعال دانشجویی که در زندان اوین نگهداری می\u200cشود."},
			"links": []map[string]string{link("letter", urlLetterAstiaj)},
		},
		{
			"id": "maria-freed", "name": map[string]string{"en": "Maria Kalesnikava", "be": "Марыя Калеснікава"},
			"country": "BY", "photo": "photos/maria.jpg", "status": "released", "released": "2025-06-21", "arrested": "2020-09-07",
			"links": []map[string]string{link("letter", urlLetterFreed), link("donate", urlDonateFreed)},
		},
		{
			"id": "vitold-died", "name": map[string]string{"en": "Vitold Ashurak", "be": "Вітольд Ашурак"},
			"country": "BY", "photo": "photos/vitold.jpg", "status": "died_in_custody", "died": "2021-05-21", "arrested": "2020-09-18",
			"links": []map[string]string{link("letter", urlLetterDied), link("petition", "https://example.org/petition/vitold"), link("profile", urlProfileDied)},
		},
		{
			"id": "olga-noconsent", "name": map[string]string{"en": "Olga Smirnova", "ru": "Ольга Смирнова"},
			"country": "RU", "photo": "photos/olga.jpg", "status": "pretrial", "arrested": "2025-11-02",
			"consent": map[string]bool{"photo": false},
		},
	}
	m := map[string]any{
		"format": 1, "id": "poster-test", "version": "2026-03-01.1",
		"title":              map[string]string{"en": "Political prisoners: placards for 8 March"},
		"publisher":          map[string]string{"name": "Solidarity Kiosk tests"},
		"published":          "2026-03-01",
		"languages":          []string{"en", "be", "ru", "fa"},
		"allowed_link_hosts": []string{"example.org"},
		"actions":            []map[string]any{{"kind": "petition", "url": urlPackPetition, "label": map[string]string{"en": "Sign for the release of all political prisoners"}}},
		"people":             people,
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pack.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writePDF prints the pack at dir on paper into out and returns the report.
func writePDF(t testing.TB, dir, out string, opt Options) Report {
	t.Helper()
	people, closePack, err := FromPack(context.Background(), dir, testNow)
	if err != nil {
		t.Fatal(err)
	}
	defer closePack()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if opt.Now.IsZero() {
		opt.Now = testNow
	}
	rep, err := Write(context.Background(), f, people, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestLook writes sample PDFs to $POSTER_LOOK (for looking at them).
func TestLook(t *testing.T) {
	dir := os.Getenv("POSTER_LOOK")
	if dir == "" {
		t.Skip("set POSTER_LOOK=DIR to write sample PDFs there")
	}
	pk := os.Getenv("POSTER_LOOK_PACK") // another pack to look at
	if pk == "" {
		pk = writeTestPack(t, t.TempDir())
	}
	for _, paper := range Papers {
		rep := writePDF(t, pk, filepath.Join(dir, paper+".pdf"), Options{Paper: paper})
		t.Logf("%s: %+v", paper, rep)
	}
	writePDF(t, pk, filepath.Join(dir, "a4-fa.pdf"), Options{Paper: PaperA4, Lang: "fa"})
	writePDF(t, pk, filepath.Join(dir, "a4-be.pdf"), Options{Paper: PaperA4, Lang: "be"})
}
