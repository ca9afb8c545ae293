package poster

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestPoster400 prints the pack at $POSTER_BENCH_PACK (scripts/poster-bench.sh
// makes one of 400 people) on every paper and reports the time and this
// process's peak memory; issue 11 asks for 400 placards within 30 s and
// 300 MB.
func TestPoster400(t *testing.T) {
	dir := os.Getenv("POSTER_BENCH_PACK")
	if dir == "" {
		t.Skip("set POSTER_BENCH_PACK=DIR (scripts/poster-bench.sh)")
	}
	for _, paper := range []string{PaperA4, PaperA3Strips} {
		out := filepath.Join(t.TempDir(), paper+".pdf")
		start := time.Now()
		people, closePack, err := FromPack(context.Background(), dir, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Write(context.Background(), f, people, Options{Paper: paper})
		if err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
		_ = closePack()
		took := time.Since(start)
		fi, _ := os.Stat(out)
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		peak := float64(ru.Maxrss) / 1024 // kB on Linux
		t.Logf("%s: %d people, %d pages, %d photos (%d as they were) in %v; PDF %.1f MB; peak RSS so far %.0f MB",
			paper, rep.People, rep.Pages, rep.Photos, rep.PassedThrough, took.Round(time.Millisecond), float64(fi.Size())/1e6, peak)
		if took > 30*time.Second || peak > 300 {
			t.Errorf("%s: %v and %.0f MB, want within 30 s and 300 MB", paper, took, peak)
		}
	}
}

// BenchmarkShape measures shaping a line with Persian in it.
func BenchmarkShape(b *testing.B) {
	fonts, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	ts := &typesetter{fonts: fonts}
	for b.Loop() {
		ts.cache = nil
		ts.shape("Astiaj Haghighi · "+persianName+" · day 1,162", fonts.bold, 17)
	}
}
