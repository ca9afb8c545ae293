package studio

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/poster"
)

// PlacardsName is the file name placards on paper (one of poster.Papers)
// are offered under: the pack's id, "-placards-" and the paper, ".pdf".
func (s *Snapshot) PlacardsName(paper string) string {
	if paper == "" {
		paper = poster.PaperA4
	}
	return strings.TrimSuffix(s.FileName(), ".zip") + "-placards-" + paper + ".pdf"
}

// Placards writes the print-ready PDF of the open pack to w, as `kiosk
// poster` writes it: from the working zip (the pack Export, Sign and Copy
// deliver), checked as `kiosk pack verify` checks it (a pack with problems
// is refused with all of them). A zero opt.Now means the studio's clock;
// opt.Workers 0 leaves the window a core.
func (st *Studio) Placards(ctx context.Context, w io.Writer, opt poster.Options) (poster.Report, error) {
	st.op.Lock()
	defer st.op.Unlock()
	z, _, err := st.workingZip(ctx)
	if err != nil {
		return poster.Report{}, err
	}
	if opt.Now.IsZero() {
		opt.Now = st.opt.Now()
	}
	if opt.Workers <= 0 {
		opt.Workers = max(1, runtime.NumCPU()-1)
	}
	people, closePack, err := poster.FromPack(ctx, z, opt.Now)
	if err != nil {
		return poster.Report{}, err
	}
	defer closePack()
	return poster.Write(ctx, w, people, opt)
}

// WritePlacards writes the placards (Placards) to the file dst through a
// temporary file in dst's folder, synced and renamed over dst only once
// the PDF is whole: a failure or a cancel leaves no half-written PDF, and
// keeps an earlier dst as it was.
func (st *Studio) WritePlacards(ctx context.Context, dst string, opt poster.Options) (poster.Report, error) {
	var rep poster.Report
	err := atomicfile.Stream(dst, 0o644, func(f *os.File) (err error) {
		rep, err = st.Placards(ctx, f, opt)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("placards %s: %w", dst, err)
	}
	st.opt.Logger.Info("studio wrote placards", "to", dst, "paper", opt.Paper, "pages", rep.Pages, "people", rep.People)
	return rep, nil
}
