package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// listFlag is a flag that may be given several times (--pack a --pack b),
// or as a list in the config file (pack = ["a", "b"]).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds one value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// sources are where the running show gets packs from besides its cache.
type sources struct {
	packs      listFlag
	watch      string
	watchEvery time.Duration
	allowHTTP  bool
	recheck    time.Duration
}

func (s *sources) register(fs *flag.FlagSet) {
	fs.Var(&s.packs, "pack", "a pack to load: a folder, a .zip or an https:// URL (repeatable); imported in the background while the show runs from the cache")
	fs.StringVar(&s.watch, "watch", "", "folder to watch for packs (e.g. /media, where USB sticks appear); each new pack is imported once, when complete")
	fs.DurationVar(&s.watchEvery, "watch-every", 2*time.Second, "how often --watch looks")
	fs.BoolVar(&s.allowHTTP, "allow-http", false, "allow http:// pack URLs (a server on your own network); https is the default")
	fs.DurationVar(&s.recheck, "recheck", 15*time.Minute, "how often URL packs are checked for a new version")
}

// start makes the import queue and the tasks that feed it.
func (s *sources) start(st *store.Store, iopt importer.Options, opts *ShowOptions, log *slog.Logger) error {
	for _, p := range s.packs {
		if strings.Contains(p, "://") {
			if err := fetch.ValidateURL(p, s.allowHTTP); err != nil {
				return fmt.Errorf("--pack %s: %w", p, err)
			}
		}
	}
	var local, urls []string
	for _, p := range s.packs {
		if strings.Contains(p, "://") {
			urls = append(urls, p)
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("--pack %s: %w", p, err)
		}
		local = append(local, p)
	}
	if s.watch != "" {
		if fi, err := os.Stat(s.watch); err != nil || !fi.IsDir() {
			return fmt.Errorf("--watch %s: not a folder", s.watch)
		}
	}
	in := intake.New(st, intake.Options{Import: iopt, Logger: log})
	opts.Intake = in
	opts.Background = append(opts.Background, in.Run, func(context.Context) {
		for _, p := range local {
			_ = in.Add(p, "command line")
		}
	})
	if s.watch != "" {
		opts.Background = append(opts.Background, func(ctx context.Context) { in.Watch(ctx, s.watch, s.watchEvery) })
	}
	return s.startURLs(urls, filepath.Dir(st.Path()), st.TempDir(), in, opts, log)
}
