package importer

import (
	"context"
	"fmt"
	"sort"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// prepared is one photo's two encoded images, spooled.
type prepared struct {
	display, master, thumb spooled
}

// photoSet is every prepared photo of a pack.
type photoSet struct {
	byPath map[string]prepared // photo path → images
	owners map[string][]int    // photo path → indexes of the people it portrays
	people int                 // people whose photo was prepared
}

// preparePhotos decodes and fits every photo on all cores. With a nil spool
// it only checks them (verify). Every failure becomes a problem naming the
// file and each person the photo belongs to.
func preparePhotos(ctx context.Context, p *pack.Pack, m *pack.Manifest, opt Options, sp *spool, skip map[string]bool) (*photoSet, pack.Problems) {
	set := &photoSet{byPath: map[string]prepared{}, owners: pack.PeopleByPhoto(m)}
	for path := range set.owners {
		if path == "" || skip[path] {
			delete(set.owners, path)
		}
	}
	jobs := make([]imageprep.Job, 0, len(set.owners))
	for path := range set.owners {
		jobs = append(jobs, imageprep.Job{Key: path, Name: path, Load: func() ([]byte, error) { return p.ReadFile(path) }})
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].Key < jobs[j].Key })

	var probs pack.Problems
	prog := Progress{People: len(m.People), PeopleDone: len(m.People), Photos: len(jobs)}
	for _, owners := range set.owners {
		prog.PeopleDone -= len(owners)
	}
	if opt.OnProgress != nil {
		opt.OnProgress(prog)
	}
	imageprep.Run(ctx, jobs, opt.Prep, opt.Workers, func(r imageprep.Result) {
		prog.PhotosDone++
		prog.PeopleDone += len(set.owners[r.Job.Key])
		if opt.OnProgress != nil {
			opt.OnProgress(prog)
		}
		if r.Err != nil {
			probs = append(probs, photoProblems(m, set.owners[r.Job.Key], r.Job.Key, r.Err)...)
			return
		}
		if sp == nil {
			set.byPath[r.Job.Key] = prepared{}
			return
		}
		d, err1 := sp.put(r.Prepared.Display)
		ms, err2 := sp.put(r.Prepared.Master)
		th, err3 := sp.put(r.Prepared.Thumb)
		if err := firstErr(firstErr(err1, err2), err3); err != nil {
			probs = append(probs, pack.Problem{File: r.Job.Key, Index: -1, Msg: "spooling prepared image: " + err.Error()})
			return
		}
		set.byPath[r.Job.Key] = prepared{display: d, master: ms, thumb: th}
	})
	if err := ctx.Err(); err != nil {
		probs = append(probs, pack.Problem{File: "pack.json", Index: -1, Msg: "import cancelled: " + err.Error()})
	}
	for path := range set.byPath {
		set.people += len(set.owners[path])
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].File < probs[j].File })
	return set, probs
}

// photoProblems names every person a bad photo belongs to.
func photoProblems(m *pack.Manifest, idx []int, path string, err error) pack.Problems {
	if len(idx) == 0 {
		return pack.Problems{{File: path, Index: -1, Msg: err.Error()}}
	}
	out := make(pack.Problems, 0, len(idx))
	for _, i := range idx {
		out = append(out, pack.Problem{File: path, Index: i, PersonID: m.People[i].ID, Field: "photo", Msg: fmt.Sprint(err)})
	}
	return out
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
