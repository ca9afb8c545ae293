package studio

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

var testNow = time.Date(2024, 5, 20, 12, 0, 0, 0, time.UTC)

// sheetCSV has one good row, one with a date that does not exist (left
// out, no person) and one naming a photo that is not there (left out,
// but the person is known).
const sheetCSV = `id,name,country,status,arrested,photo
hanna-ablab,Hanna Ablab,BY,in_custody,2021-06-01,hanna.jpg
ivan-bad,Ivan Bad,BY,in_custody,31.02.2022,
olga-lost,Olga Lost,BY,in_custody,2022-01-01,olga.jpg
`

func jpegBytes(t testing.TB, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testpack.Photo(300, 400, seed), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeSheet writes list.csv and photos/ into a new folder.
func writeSheet(t testing.TB, csv string, photos ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{"list.csv": []byte(csv)}
	for i, p := range photos {
		files["photos/"+p] = jpegBytes(t, uint64(i)+1)
	}
	if err := testpack.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "list.csv")
}

// mustStudio makes a studio closed (and its folder checked gone) at the end.
func mustStudio(t testing.TB, opt Options) *Studio {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return testNow }
	}
	opt.TempDir = t.TempDir()
	st, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(st.work); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the studio's temporary folder %s is left behind", st.work)
		}
	})
	return st
}

func problemAt(s *Snapshot, row int) *Problem {
	for i := range s.Problems {
		if s.Problems[i].Row == row && !s.Problems[i].Note {
			return &s.Problems[i]
		}
	}
	return nil
}

// TestOpenSpreadsheetProblems: every problem names its row and column in
// pack build's words, and a left-out row's person can be chosen.
func TestOpenSpreadsheetProblems(t *testing.T) {
	csv := writeSheet(t, sheetCSV, "hanna.jpg", "stray.jpg")
	st := mustStudio(t, Options{})
	s, err := st.Open(context.Background(), csv, "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != Spreadsheet || !s.HasPack() || s.Photos != filepath.Join(filepath.Dir(csv), "photos") {
		t.Fatalf("kind %v, pack %v, photos %q", s.Kind, s.HasPack(), s.Photos)
	}
	// The same words as kiosk pack build.
	rep, _ := packbuild.Build(context.Background(), packbuild.Options{CSV: csv, Photos: s.Photos, Out: filepath.Join(t.TempDir(), "p.zip"), Now: func() time.Time { return testNow }})
	for _, r := range rep.Rows {
		if !slices.ContainsFunc(s.Problems, func(p Problem) bool { return p.Text == r.String() }) {
			t.Errorf("pack build's problem %q is not listed", r.String())
		}
	}
	bad := problemAt(s, 3)
	if bad == nil || bad.Field != "arrested" || !strings.Contains(bad.Text, `list.csv: row 3, column "arrested"`) || bad.Person != "" {
		t.Errorf("row 3: %+v", bad)
	}
	lost := problemAt(s, 4)
	if lost == nil || lost.Field != "photo" || lost.Person != "olga-lost" || !strings.Contains(lost.Text, "row 4") {
		t.Fatalf("row 4: %+v", lost)
	}
	if i := s.Find(lost.Person); i < 0 || !s.People[i].LeftOut || s.People[i].Row != 4 {
		t.Errorf("olga-lost is not among the people as left out from row 4: %d", i)
	}
	if i := s.Find("hanna-ablab"); i < 0 || s.People[i].LeftOut || s.People[i].Entry.Photo == nil || s.People[i].Row != 2 {
		t.Errorf("hanna-ablab is not in the pack with her photo from row 2")
	}
	if !slices.ContainsFunc(s.Problems, func(p Problem) bool { return p.Note && strings.HasPrefix(p.Text, "stray.jpg: ") }) {
		t.Errorf("the stray photo is not noted: %+v", s.Problems)
	}
	if n := len(s.Entries()); n != 1 {
		t.Errorf("%d entries in the pack, want 1", n)
	}
}

// TestOpenPackFolderProblems: a pack's problems name the person and the
// field as pack verify does.
func TestOpenPackFolderProblems(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	if err := testpack.Write(dir, testpack.Options{ID: "folder", People: 3, W: 60, H: 80, Encode: encode}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "pack.json"))
	data = bytes.Replace(data, []byte(`"arrested": "2021-06-01"`), []byte(`"arrested": "2021-13-01"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "pack.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	st := mustStudio(t, Options{})
	s, err := st.Open(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Problems) != 1 || s.Problems[0].Person != "person-0000" || s.Problems[0].Field != "arrested" ||
		!strings.HasPrefix(s.Problems[0].Text, `pack.json: people[0] "person-0000": arrested: `) {
		t.Fatalf("problems: %+v", s.Problems)
	}
	opt := importer.DefaultOptions()
	opt.Now = func() time.Time { return testNow }
	_, verr := importer.Verify(context.Background(), dir, opt)
	if verr == nil || !strings.Contains(verr.Error(), s.Problems[0].Text) {
		t.Errorf("pack verify says %v", verr)
	}
	full, err := st.Verify(context.Background(), s)
	if err != nil || len(full) != 1 || full[0].Text != s.Problems[0].Text {
		t.Errorf("Verify: %+v, %v", full, err)
	}
}

func encode(img *image.RGBA) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	return buf.Bytes(), err
}

// TestExportThenOpenZip: a pack folder exported as a zip opens again with
// the same people and no problems.
func TestExportThenOpenZip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	if err := testpack.Write(dir, testpack.Options{ID: "folder", People: 3, W: 60, H: 80, Encode: encode}); err != nil {
		t.Fatal(err)
	}
	st := mustStudio(t, Options{})
	ctx := context.Background()
	if _, err := st.Open(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.zip")
	if err := st.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	s, err := mustStudio(t, Options{}).Open(ctx, out, "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != Zip || len(s.People) != 3 || len(s.Problems) != 0 {
		t.Fatalf("kind %v, %d people, problems %+v", s.Kind, len(s.People), s.Problems)
	}
	if _, err := s.Blob(photoRef + "photos/person-0001.jpg"); err != nil {
		t.Error(err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestSignThenVerify: signing after exporting signs the exported zip, and
// pack verify with the key as trusted and signatures required accepts it.
func TestSignThenVerify(t *testing.T) {
	keys := t.TempDir()
	secret, public := filepath.Join(keys, "minisign.key"), filepath.Join(keys, "minisign.pub")
	if _, err := sign.Keygen(secret, public, "correct horse"); err != nil {
		t.Fatal(err)
	}
	csv := writeSheet(t, sheetCSV, "hanna.jpg")
	st := mustStudio(t, Options{})
	ctx := context.Background()
	if _, err := st.Open(ctx, csv, ""); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "signed.zip")
	if err := st.Export(ctx, out); err != nil {
		t.Fatal(err)
	}
	if need, err := NeedsPassword(secret); err != nil || !need {
		t.Fatalf("NeedsPassword: %v, %v", need, err)
	}
	if err := st.Sign(ctx, secret, ""); err == nil {
		t.Fatal("signed with an encrypted key and no password")
	}
	if err := st.Sign(ctx, secret, "wrong"); err == nil {
		t.Fatal("signed with the wrong password")
	}
	if err := st.Sign(ctx, secret, "correct horse"); err != nil {
		t.Fatal(err)
	}
	trusted, err := sign.LoadTrusted([]string{public})
	if err != nil {
		t.Fatal(err)
	}
	p, err := pack.Open(out, pack.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := sign.Verify(trusted, p.ManifestBytes, p.Signature); err != nil {
		t.Fatalf("the exported zip's signature: %v", err)
	}
	opt := importer.DefaultOptions()
	opt.Trusted, opt.RequireSigned = trusted, true
	if rep, err := importer.Verify(ctx, out, opt); err != nil || !rep.Signed {
		t.Fatalf("pack verify --require-signed: %+v, %v", rep, err)
	}
	// Opened again with the key trusted, the studio says it is signed.
	s, err := mustStudio(t, Options{Trusted: trusted}).Open(ctx, out, "")
	if err != nil || !s.Signed || len(s.Problems) != 0 {
		t.Fatalf("signed %v, problems %+v, %v", s.Signed, s.Problems, err)
	}
}

// TestCopyTo copies into a folder under the pack's id, whole.
func TestCopyTo(t *testing.T) {
	csv := writeSheet(t, sheetCSV, "hanna.jpg")
	st := mustStudio(t, Options{})
	ctx := context.Background()
	s, err := st.Open(ctx, csv, "")
	if err != nil {
		t.Fatal(err)
	}
	usb := t.TempDir()
	got, err := st.CopyTo(ctx, usb)
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(usb, s.Manifest.ID+".zip") {
		t.Errorf("copied to %s", got)
	}
	a, _ := os.ReadFile(got)
	b, _ := os.ReadFile(s.PackPath)
	if !bytes.Equal(a, b) {
		t.Error("the copy differs from the pack")
	}
	if entries, _ := os.ReadDir(usb); len(entries) != 1 {
		t.Errorf("%d files on the stick, want 1", len(entries))
	}
	if _, err := st.CopyTo(ctx, got); err == nil {
		t.Error("copied into a file as if it were a folder")
	}
}

// TestImportRetiresDemo imports into a cache holding the demo pack, as
// kiosk pack import does: the pack is in, the demo is gone.
func TestImportRetiresDemo(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	ctx := context.Background()
	func() {
		db, err := store.Open(cache, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := demo.Install(ctx, db, importer.DefaultOptions()); err != nil {
			t.Fatal(err)
		}
	}()
	csv := writeSheet(t, sheetCSV, "hanna.jpg")
	st := mustStudio(t, Options{})
	s, err := st.Open(ctx, csv, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Import(ctx, CacheImporter(cache, importer.DefaultOptions(), discard()))
	if err != nil || rep.PackID != s.Manifest.ID || rep.People != 1 || rep.Photos != 1 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	db, err := store.Open(cache, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.Packs()
	if err != nil || len(recs) != 1 || recs[0].ID != s.Manifest.ID || recs[0].Demo || recs[0].Source != csv {
		t.Fatalf("packs in the cache: %+v, %v", recs, err)
	}
}

// TestReloadOnChange: a row added to the spreadsheet, then a photo put in
// the folder, each reload the studio.
func TestReloadOnChange(t *testing.T) {
	csv := writeSheet(t, sheetCSV, "hanna.jpg")
	st := mustStudio(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := st.Open(ctx, csv, "")
	if err != nil {
		t.Fatal(err)
	}
	reloads := make(chan *Snapshot, 4)
	var wg sync.WaitGroup
	wg.Go(func() {
		st.Watch(ctx, 20*time.Millisecond, func(s *Snapshot, err error) {
			if err != nil {
				t.Error(err)
			}
			reloads <- s
		})
	})
	defer wg.Wait()
	defer cancel()
	wait := func(what string) *Snapshot {
		t.Helper()
		select {
		case s := <-reloads:
			return s
		case <-time.After(5 * time.Second):
			t.Fatalf("no reload after %s", what)
			return nil
		}
	}
	if st.Changed() {
		t.Fatal("changed before anything changed")
	}
	more := sheetCSV + "petra-new,Petra New,BY,in_custody,2023-03-03,\n"
	if err := os.WriteFile(csv, []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := wait("a row was added")
	if s2.Find("petra-new") < 0 || len(s2.Entries()) != len(s.Entries())+1 {
		t.Fatalf("after the new row: %d entries", len(s2.Entries()))
	}
	if err := os.WriteFile(filepath.Join(s.Photos, "olga.jpg"), jpegBytes(t, 9), 0o644); err != nil {
		t.Fatal(err)
	}
	s3 := wait("a photo was added")
	if i := s3.Find("olga-lost"); i < 0 || s3.People[i].LeftOut || s3.People[i].Entry.Photo == nil {
		t.Fatal("olga-lost's photo did not bring her into the pack")
	}
	// Each reload built a zip; only the current one and the one before stay.
	if _, err := st.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	builds, _ := filepath.Glob(filepath.Join(st.work, "build-*"))
	if len(builds) != keepOld+1 {
		t.Errorf("%d built packs kept after 3 reloads: %v", len(builds), builds)
	}
}

// TestPreviews draws the spotlight and the wall at each screen size.
func TestPreviews(t *testing.T) {
	fonts, err := render.LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	words, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	d := &Drawer{Fonts: fonts, Words: words, Now: func() time.Time { return testNow }, Log: discard()}
	csv := writeSheet(t, sheetCSV, "hanna.jpg")
	s, err := mustStudio(t, Options{}).Open(context.Background(), csv, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, px := range Screens[:2] {
		img := d.Spotlight(s, s.Find("hanna-ablab"), px, "ru")
		if img.Bounds().Dx() != px.W || img.Bounds().Dy() != px.H {
			t.Fatalf("spotlight %v at %v", img.Bounds(), px)
		}
		lost := d.Spotlight(s, s.Find("olga-lost"), px, "ru")
		if bytes.Equal(img.Pix, lost.Pix) {
			t.Error("two people drawn the same")
		}
		wall := d.Wall(s, 0, px, "", 0)
		if wall.Bounds().Dx() != px.W || wall.Bounds().Dy() != px.H {
			t.Fatalf("wall %v at %v", wall.Bounds(), px)
		}
	}
	if l := d.Languages(s); len(l) < 2 || l[0] != "en" {
		t.Errorf("languages %v", l)
	}
}

// TestStaleFoldersRemoved: a studio folder a crashed studio left is
// removed a day on, not before, and not another studio's that is open.
func TestStaleFoldersRemoved(t *testing.T) {
	dir := t.TempDir()
	stale, fresh := filepath.Join(dir, "kiosk-studio-1"), filepath.Join(dir, "kiosk-studio-2")
	for _, d := range []string{stale, fresh} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(stale, testNow.Add(-25*time.Hour), testNow.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(fresh, testNow.Add(-time.Hour), testNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	removeStale(dir, testNow)
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Error("the stale folder is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("the fresh folder was removed")
	}
}
