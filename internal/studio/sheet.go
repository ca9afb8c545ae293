package studio

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// PhotoFolder is the photo folder of a spreadsheet when none is chosen: a
// folder named "photos" beside it, else the spreadsheet's own folder.
func PhotoFolder(csv string) string {
	dir := filepath.Dir(csv)
	if fi, err := os.Stat(filepath.Join(dir, "photos")); err == nil && fi.IsDir() {
		return filepath.Join(dir, "photos")
	}
	return dir
}

// openSheet builds the spreadsheet into a pack zip in the studio's folder,
// as `kiosk pack build` would, and opens that.
func (st *Studio) openSheet(ctx context.Context, csv, photos string, n int) (*Snapshot, error) {
	if photos == "" {
		photos = PhotoFolder(csv)
	}
	out := filepath.Join(st.work, fmt.Sprintf("build-%d", n), packName(csv))
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		return nil, err
	}
	opt := packbuild.Options{CSV: csv, Photos: photos, Out: out, Now: st.opt.Now}
	s, err := st.buildSheet(ctx, opt)
	if err != nil {
		_ = os.RemoveAll(filepath.Dir(out))
		return nil, err
	}
	s.tmp = append(s.tmp, filepath.Dir(out))
	return s, nil
}

// buildSheet builds and opens the pack, and lists the spreadsheet's
// problems and people.
func (st *Studio) buildSheet(ctx context.Context, opt packbuild.Options) (*Snapshot, error) {
	csv, photos, out := opt.CSV, opt.Photos, opt.Out
	rep, err := packbuild.Build(ctx, opt)
	var rows packbuild.Problems
	if err != nil && !errors.As(err, &rows) {
		return nil, err // the file cannot be read, or the photo folder not listed
	}
	lines, sheet := st.rowsOf(ctx, csv, opt)
	var s *Snapshot
	if err == nil {
		if s, err = st.openPack(ctx, out, Spreadsheet); err != nil {
			return nil, err
		}
	} else {
		s = &Snapshot{Kind: Spreadsheet, Manifest: sheetManifest(sheet)}
		if err := s.people(); err != nil {
			return nil, err
		}
	}
	s.Source, s.Photos, s.PackPath = csv, photos, out
	if !s.HasPack() {
		s.PackPath = ""
	}
	for i := range s.People {
		s.People[i].Row = lines[s.People[i].Entry.Person.ID]
	}
	s.People = append(s.People, leftOut(sheet, s, lines)...)
	s.Problems = append(buildProblems(rep, lines), s.Problems...)
	return s, nil
}

// packName is the zip a spreadsheet builds into: its name with .zip.
func packName(csv string) string {
	return strings.TrimSuffix(filepath.Base(csv), filepath.Ext(csv)) + ".zip"
}

// rowsOf maps the spreadsheet again (it is quick) to know which line each
// person came from: Build reports rows, the pack knows people.
func (st *Studio) rowsOf(ctx context.Context, csv string, opt packbuild.Options) (map[string]int, *packbuild.Sheet) {
	lines := map[string]int{}
	data, err := os.ReadFile(csv)
	if err != nil || int64(len(data)) > packbuild.MaxCSVBytes {
		return lines, nil
	}
	sheet, err := packbuild.MapContext(ctx, data, opt)
	if err != nil || sheet == nil {
		return lines, nil
	}
	for i, p := range sheet.Manifest.People {
		lines[p.ID] = sheet.Rows[i].Line
	}
	return lines, sheet
}

// sheetManifest is the manifest to show when no pack could be built: the
// spreadsheet's pack fields, and nobody in it.
func sheetManifest(sheet *packbuild.Sheet) *pack.Manifest {
	if sheet == nil {
		return &pack.Manifest{}
	}
	m := *sheet.Manifest
	m.People = nil
	return &m
}

// leftOut are the spreadsheet's people the pack leaves out (their photo
// has a problem): previewed with the silhouette, so choosing their
// problem shows whom it is about.
func leftOut(sheet *packbuild.Sheet, s *Snapshot, lines map[string]int) []Person {
	if sheet == nil {
		return nil
	}
	in := map[string]bool{}
	for _, p := range s.People {
		in[p.Entry.Person.ID] = true
	}
	m := sheet.Manifest
	var out []Person
	for i := range sheet.Manifest.People {
		p := &sheet.Manifest.People[i]
		if in[p.ID] {
			continue
		}
		e := show.Entry{PackID: m.ID, Manifest: m, Person: p, Weight: p.EffectiveWeight()}
		out = append(out, Person{Entry: e, Row: lines[p.ID], LeftOut: true})
	}
	return out
}

// buildProblems are what `kiosk pack build` reports: every row it left
// out, then (as notes) the photos that matched nobody and the people shown
// with the silhouette.
func buildProblems(rep packbuild.Report, lines map[string]int) []Problem {
	byLine := map[int]string{}
	for id, l := range lines {
		byLine[l] = id
	}
	var out []Problem
	for _, r := range rep.Rows {
		out = append(out, Problem{Text: r.String(), Row: r.Row, Person: byLine[r.Row], Field: r.Column})
	}
	for _, f := range rep.UnmatchedPhotos {
		out = append(out, Problem{Text: f + ": this photo matched nobody (name it in a photo column, or after the person's id or name)", Note: true})
	}
	for _, id := range rep.WithoutPhoto {
		out = append(out, Problem{Text: fmt.Sprintf("%q: no photo; shown with a silhouette", id), Person: id, Row: lines[id], Field: "photo", Note: true})
	}
	return out
}
