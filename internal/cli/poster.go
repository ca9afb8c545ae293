package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/poster"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

const posterUsage = `Usage: kiosk poster [--paper a4|letter|a3-strips] [--lang L] [--out FILE.pdf] [PACK.zip|PACK-DIR]

Writes print-ready placards as one PDF: on A4 or US Letter one person a page
(photo, names, status, charges, sentence, biography, the letter and petition
QR codes and the letter rules), or A3 wire strips of several portraits a
sheet with cut marks and the pack's QR code. Without a pack it prints
every pack installed in the cache (read only).
`

// runPoster is `kiosk poster`: print-ready placards from a pack or the cache.
func runPoster(args []string, env Env, log *slog.Logger) int {
	fs := flag.NewFlagSet("kiosk poster", flag.ContinueOnError)
	var c common
	c.register(fs)
	paperKind := fs.String("paper", poster.PaperA4, "paper: "+strings.Join(poster.Papers, ", "))
	lang := fs.String("lang", "", "language of the placards, e.g. en, be, fa (default: each pack's first)")
	out := fs.String("out", "posters.pdf", "the PDF file to write")
	fs.StringVar(out, "o", "posters.pdf", "short for --out")
	rest, code, ok := parseFlags(fs, args, env, posterUsage, true)
	if !ok {
		return code
	}
	if len(rest) > 1 {
		fmt.Fprintf(env.Stderr, "kiosk poster: takes at most one pack, but was given %s\n", strings.Join(quoteAll(rest), " "))
		return ExitUsage
	}
	if !slices.Contains(poster.Papers, *paperKind) {
		fmt.Fprintf(env.Stderr, "kiosk poster: --paper %q: want one of %s\n", *paperKind, strings.Join(poster.Papers, ", "))
		return ExitUsage
	}
	if *out == atomicfile.Stdout {
		env.Stdout = env.Stderr // the PDF itself goes to standard output
	}
	if env.parseOnly {
		return ExitOK
	}
	ctx, stop := signalContext()
	defer stop()
	now := time.Now()
	people, from, done, code := posterPeople(ctx, rest, &c, now, env, log)
	if code != ExitOK {
		return code
	}
	defer done()
	var rep poster.Report
	err := atomicfile.Stream(*out, 0o644, func(f *os.File) error {
		var err error
		rep, err = poster.Write(ctx, f, people, poster.Options{Paper: *paperKind, Lang: *lang, Now: now})
		return err
	})
	if err != nil {
		return fail(env, fmt.Errorf("%s: %w", *out, err))
	}
	abs, _ := filepath.Abs(*out)
	if *out == atomicfile.Stdout {
		abs = "standard output"
	}
	fmt.Fprintf(env.Stdout, "%s: %d page(s), %d people, %d photo(s) (%d embedded as they were), from %s\n",
		abs, rep.Pages, rep.People, rep.Photos, rep.PassedThrough, from)
	return ExitOK
}

// posterPeople reads the people to print: from the pack named in args,
// checked as pack verify checks it (its problems printed), else from the
// cache, opened read-only. done releases what was opened.
func posterPeople(ctx context.Context, args []string, c *common, now time.Time, env Env, log *slog.Logger) (people []poster.Person, from string, done func(), code int) {
	if len(args) == 1 {
		people, closePack, err := poster.FromPack(ctx, args[0], now)
		if err != nil {
			printProblems(env, args[0], err)
			return nil, "", nil, ExitProblems
		}
		return people, args[0], func() { _ = closePack() }, ExitOK
	}
	st, err := c.openStoreToRead(log)
	if errors.Is(err, store.ErrNoCache) {
		return nil, "", nil, fail(env, fmt.Errorf("no pack given and no packs installed (%v): kiosk poster PACK.zip", err))
	}
	if err != nil {
		return nil, "", nil, fail(env, err)
	}
	if people, err = poster.FromStore(st); err != nil {
		st.Close()
		return nil, "", nil, fail(env, fmt.Errorf("reading the cache %s: %w", st.Path(), err))
	}
	return people, st.Path(), func() { st.Close() }, ExitOK
}
