package packbuild

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// photoBytes makes a small distinct JPEG (or PNG) for seed.
func photoBytes(t *testing.T, seed uint64, asPNG bool) []byte {
	t.Helper()
	img := testpack.Photo(24, 32, seed)
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// setup writes the spreadsheet and the photos (name → bytes) into a new folder.
func setup(t *testing.T, csv string, photos map[string][]byte) (Options, string) {
	t.Helper()
	dir := t.TempDir()
	opt := testOptions()
	opt.CSV = filepath.Join(dir, "list.csv")
	opt.Photos = filepath.Join(dir, "photos")
	opt.Out = filepath.Join(dir, "out", "pack.zip")
	for _, d := range []string{opt.Photos, filepath.Dir(opt.Out)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(opt.CSV, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for name, data := range photos {
		files[name] = data
	}
	if err := testpack.WriteFiles(opt.Photos, files); err != nil {
		t.Fatal(err)
	}
	return opt, dir
}

// openBuilt opens the built pack as the kiosk does and requires no problems.
func openBuilt(t *testing.T, path string) *pack.Pack {
	t.Helper()
	p, err := pack.Open(path, pack.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	if probs := p.Check(now, nil); len(probs) > 0 {
		t.Fatalf("the built pack has problems:\n%v", probs)
	}
	return p
}

func TestBuildMatchesPhotos(t *testing.T) {
	photos := map[string][]byte{
		"Ganna Ablab.jpg":     photoBytes(t, 1, false),
		"Šimonytė.JPEG":       photoBytes(t, 2, false),
		"by-id.jpg":           photoBytes(t, 3, false),
		"sub/explicit.jpeg":   photoBytes(t, 4, false),
		"case.jpg":            photoBytes(t, 5, false),
		"png_as_jpg.jpg":      photoBytes(t, 6, true),
		"No Consent.jpg":      photoBytes(t, 7, false),
		"Twin.jpg":            photoBytes(t, 8, false),
		"twin.png":            photoBytes(t, 9, true),
		"broken.jpg":          []byte("not an image at all"),
		"stray.jpg":           photoBytes(t, 10, false),
		"notes.txt":           []byte("not a photo"),
		".hidden.jpg":         photoBytes(t, 11, false),
		"Vasil_Ivanou.png":    photoBytes(t, 12, true),
		"shared-by-two.jpg":   photoBytes(t, 13, false),
		"sub/not-at-top.jpeg": photoBytes(t, 14, false),
	}
	csv := "id,name,name.be,country,status,photo,consent.photo\n" +
		",ganna ablab,,BY,in_custody,,\n" + // by name, other case (row 2)
		",simonyte,,LT,in_custody,,\n" + // by name, accents (row 3)
		"by-id,Someone,,BY,in_custody,,\n" + // by id (row 4)
		",Explicit Person,,BY,in_custody,sub/explicit.jpeg,\n" + // photo column (row 5)
		",Case Person,,BY,in_custody,CASE.JPG,\n" + // photo column, other case (row 6)
		",Png As Jpg,,BY,in_custody,,\n" + // content decides the extension (row 7)
		",No Consent,,BY,in_custody,,no\n" + // matched, not copied (row 8)
		",Twin,,BY,in_custody,,\n" + // two files match (row 9)
		",Broken,,BY,in_custody,broken.jpg,\n" + // not an image (row 10)
		",Missing,,BY,in_custody,missing.jpg,\n" + // no such file (row 11)
		",Nobody Here,,BY,in_custody,,\n" + // no photo (row 12)
		",Escape,,BY,in_custody,../list.csv,\n" + // outside the folder (row 13)
		",Vasil Ivanou,Васіль Іваноў,BY,released,,\n" + // _ for space (row 14)
		",Shared One,,BY,in_custody,shared-by-two.jpg,\n" +
		",Shared Two,,BY,in_custody,shared-by-two.jpg,\n"
	opt, _ := setup(t, csv, photos)
	rep, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	matchProblems(t, rep.Rows, []want{
		{9, "photo", "several photos match this person (Twin.jpg, twin.png)"},
		{10, "photo", "broken.jpg is not a JPEG, PNG or WebP image"},
		{11, "photo", `no file "missing.jpg" in the photos folder`},
		{13, "photo", `"../list.csv" must be a file name inside the photos folder`},
	})
	eq(t, "unmatched", rep.UnmatchedPhotos, []string{"stray.jpg"})
	eq(t, "without photo", rep.WithoutPhoto, []string{"nobody-here"})
	eq(t, "counts", []int{rep.People, rep.Photos}, []int{11, 9})
	eq(t, "out", rep.Out, opt.Out)

	p := openBuilt(t, opt.Out)
	byID := map[string]pack.Person{}
	for _, person := range p.Manifest.People {
		byID[person.ID] = person
	}
	for id, src := range map[string]string{
		"ganna-ablab": "Ganna Ablab.jpg", "simonyte": "Šimonytė.JPEG", "by-id": "by-id.jpg",
		"explicit-person": "sub/explicit.jpeg", "case-person": "case.jpg", "png-as-jpg": "png_as_jpg.jpg",
		"vasil-ivanou": "Vasil_Ivanou.png", "shared-one": "shared-by-two.jpg", "shared-two": "shared-by-two.jpg",
	} {
		person, ok := byID[id]
		if !ok {
			t.Errorf("%s is not in the pack", id)
			continue
		}
		ext := ".jpg"
		if bytes.HasPrefix(photos[src], []byte("\x89PNG")) {
			ext = ".png"
		}
		eq(t, id+" photo", person.Photo, "photos/"+id+ext)
		got, err := p.ReadFile(person.Photo)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, photos[src]) {
			t.Errorf("%s: the photo in the pack is not %s byte for byte", id, src)
		}
	}
	if nc := byID["no-consent"]; nc.Photo != "" || nc.ID == "" {
		t.Errorf("no-consent: got photo %q; want the person without a photo", nc.Photo)
	}
	if len(p.Manifest.Files) != 9 {
		t.Errorf("files lists %d photos, want 9", len(p.Manifest.Files))
	}
}

func TestBuildPack(t *testing.T) {
	csv := "\uFEFFИмя и фамилия;Статус;Дата рождения;Дата задержания;Место заключения\n" +
		"Аблаб Ганна;действующий;02.03.1980;15.03.2022;\"ИК №4\nул. Антошкина, 3\n246035, г. Гомель\"\n" +
		"Лосик Игорь;бывший;;25.06.2020;\n"
	photos := map[string][]byte{"ablab-ganna.jpg": photoBytes(t, 1, false), "Лосик Игорь.jpg": photoBytes(t, 2, false)}
	opt, _ := setup(t, csv, photos)
	opt.Title = "Political prisoners of Belarus"
	rep, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows)+len(rep.UnmatchedPhotos)+len(rep.WithoutPhoto) > 0 {
		t.Fatalf("unexpected report: %+v", rep)
	}
	eq(t, "family", rep.Family, FamilyViasna)
	p := openBuilt(t, opt.Out)
	m := p.Manifest
	eq(t, "id", m.ID, "political-prisoners-of-belarus")
	eq(t, "title", m.Title, pack.Text{"ru": "Political prisoners of Belarus"})
	eq(t, "languages", m.Languages, []string{"ru", "en"})
	eq(t, "format", m.Format, 1)
	eq(t, "photos", []string{m.People[0].Photo, m.People[1].Photo}, []string{"photos/ablab-ganna.jpg", "photos/losik-igor.jpg"})
	if !bytes.HasPrefix(p.ManifestBytes, []byte("{\n  \"format\": 1,")) {
		t.Errorf("pack.json is not indented JSON: %.40q", p.ManifestBytes)
	}
	entries, err := os.ReadDir(filepath.Dir(opt.Out))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the output folder holds %d files, want only the zip", len(entries))
	}
}

// TestBuildEveryMapCase builds a pack from every table case that yields people.
func TestBuildEveryMapCase(t *testing.T) {
	for _, c := range mapCases {
		if c.fatal != nil || c.check == nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			opt, _ := setup(t, c.csv, nil)
			opt.Languages = c.langs
			rep, err := Build(context.Background(), opt)
			if len(c.probs) > 0 && rep.People == 0 {
				if err == nil {
					t.Fatal("no people and no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			openBuilt(t, opt.Out)
		})
	}
}

func TestBuildStrict(t *testing.T) {
	csv := "name,country,status,arrested\nA,BY,in_custody,2022-01-01\nB,BY,in_custody,31.02.2022\n"
	opt, _ := setup(t, csv, map[string][]byte{"a.jpg": photoBytes(t, 1, false)})
	opt.Strict = true
	rep, err := Build(context.Background(), opt)
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("want problems, got %v", err)
	}
	matchProblems(t, probs, []want{{3, "arrested", "not a date"}})
	if !strings.Contains(err.Error(), `list.csv: row 3, column "arrested": "31.02.2022" is not a date`) {
		t.Errorf("error: %v", err)
	}
	if rep.Out != "" {
		t.Errorf("report says %s was written", rep.Out)
	}
	assertNoOutput(t, opt.Out)

	// Without Strict the good row makes a pack.
	opt.Strict = false
	rep, err = Build(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "people", rep.People, 1)
	matchProblems(t, rep.Rows, []want{{3, "arrested", "not a date"}})
	openBuilt(t, opt.Out)
}

func TestBuildWritesNothingOnFailure(t *testing.T) {
	csv := "name,country,status\nA,BY,jailed\n"
	opt, _ := setup(t, csv, nil)
	_, err := Build(context.Background(), opt)
	if err == nil || !strings.Contains(err.Error(), "no row could be used") {
		t.Fatalf("want no usable row, got %v", err)
	}
	assertNoOutput(t, opt.Out)

	if err := os.WriteFile(opt.CSV, []byte("name,country,status\nA,BY,in_custody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("want cancelled, got %v", err)
	}
	assertNoOutput(t, opt.Out)

	opt.Photos = filepath.Join(filepath.Dir(opt.CSV), "no-such-folder")
	if _, err := Build(context.Background(), opt); err == nil {
		t.Fatal("a missing photos folder is not an error")
	}
	assertNoOutput(t, opt.Out)
}

// assertNoOutput requires that neither the zip nor a temporary file exists.
func assertNoOutput(t *testing.T, out string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) > 0 {
		t.Fatalf("the output folder holds %v; want nothing", names)
	}
}

func TestBuildReplacesOutputAtomically(t *testing.T) {
	opt, _ := setup(t, "name,country,status\nA,BY,in_custody\n", nil)
	if err := os.WriteFile(opt.Out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	p := openBuilt(t, opt.Out)
	eq(t, "people", len(p.Manifest.People), 1)
	entries, _ := os.ReadDir(filepath.Dir(opt.Out))
	if len(entries) != 1 {
		t.Errorf("the output folder holds %d entries, want 1", len(entries))
	}
	if !slices.Contains(p.Manifest.Languages, "en") {
		t.Errorf("languages %v", p.Manifest.Languages)
	}
}
