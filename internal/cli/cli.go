// Package cli is the kiosk's command line: `kiosk pack verify|import|list|remove`
// work without a display (over SSH too); `kiosk` alone hands over to the show.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Exit codes.
const (
	ExitOK       = 0 // success
	ExitProblems = 1 // the pack or the cache has problems; they were printed
	ExitUsage    = 2 // the command line was wrong
)

// ShowFunc starts the show on an open store; it returns when the show ends.
type ShowFunc func(st *store.Store, opts ShowOptions) error

// ShowOptions are the flags of `kiosk` without a subcommand.
type ShowOptions struct {
	// Options are the show's own (pace, mode, hours, languages, a row in
	// step, …): one type from the command line to the director.
	director.Options
	PIN string // asked before the operator panel opens, when set
	// Intake imports packs into the running show (dropped, watched, fetched).
	Intake *intake.Service
	// Background tasks to run while the show runs.
	Background []func(ctx context.Context)
	// Notes are extra lines for the operator panel (URL packs' state).
	Notes func() []string
}

// Env is what a command runs with: its output streams and the show to start.
type Env struct {
	Stdout, Stderr io.Writer
	Show           ShowFunc
	Studio         StudioFunc
	Lang           string // the messages' language; "" means from the locale (LANG)
	Version        string // the release's version, stamped at build time; "" for a development build
	// parseOnly ends every command once its command line is parsed and
	// checked, before it reads or writes anything (to test hints).
	parseOnly bool
}

// Run executes the command line args (without the program name) and returns the exit code.
func Run(args []string, env Env) int {
	level := slog.LevelInfo
	if os.Getenv("KIOSK_LOG") == "debug" { // every slide presented, for the real-window tests
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)
	routeStdLog(log)
	if len(args) > 0 && args[0] == "help" { // kiosk help [pack verify]: the command's --help
		args = append(append([]string{}, args[1:]...), "--help")
	}
	args = globalFirst(args)
	if len(args) > 0 && args[0] == "pack" {
		return runPack(args[1:], env, log)
	}
	if len(args) > 0 && args[0] == "poster" {
		return runPoster(args[1:], env, log)
	}
	if len(args) > 0 && args[0] == "studio" {
		return runStudio(args[1:], env, log)
	}
	return runShow(args, env, log)
}

// common holds the flags every command takes.
type common struct {
	cache         string
	screen        string
	trusted       listFlag
	requireSigned bool
}

// registerTrust adds the signature policy flags.
func (c *common) registerTrust(fs *flag.FlagSet) {
	fs.Var(&c.trusted, "trusted-key", "a minisign public key (RWQ…) or .pub file whose signatures are trusted (repeatable; trusted_key = [...] in the config)")
	fs.BoolVar(&c.requireSigned, "require-signed", false, "refuse packs not signed by a trusted key")
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.cache, "cache", "", "cache file (default: "+defaultCacheHint()+")")
}

func (c *common) registerScreen(fs *flag.FlagSet) {
	fs.StringVar(&c.screen, "screen-size", "1920x1080", "screen size to prepare photos for, WIDTHxHEIGHT")
}

func defaultCacheHint() string {
	p, err := store.DefaultPath()
	if err != nil {
		return "the user cache directory"
	}
	return p
}

func (c *common) cachePath() (string, error) {
	if c.cache != "" {
		return c.cache, nil
	}
	return store.DefaultPath()
}

func (c *common) openStore(log *slog.Logger) (*store.Store, error) {
	path, err := c.cachePath()
	if err != nil {
		return nil, err
	}
	return store.Open(path, store.Options{Logger: log})
}

// openStoreToRead opens the cache for a command that only reads: nothing is
// created, moved or written.
func (c *common) openStoreToRead(log *slog.Logger) (*store.Store, error) {
	path, err := c.cachePath()
	if err != nil {
		return nil, err
	}
	return store.Open(path, store.Options{Logger: log, ReadOnly: true})
}

func (c *common) importOptions(log *slog.Logger) (importer.Options, error) {
	opt := importer.DefaultOptions()
	opt.Logger = log
	w, h, err := parseSize(c.screen)
	if err != nil {
		return opt, err
	}
	// The display image is stored at the size the slide shows it, so the
	// show decodes it without resampling.
	opt.Prep.Display = render.PhotoBox(imageprep.Size{W: w, H: h})
	if opt.Trusted, err = sign.LoadTrusted(c.trusted); err != nil {
		return opt, err
	}
	opt.RequireSigned = c.requireSigned
	return opt, nil
}

func parseSize(s string) (int, int, error) {
	if s == "" {
		s = "1920x1080"
	}
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 64 || h < 64 || w > 16384 || h > 16384 {
		return 0, 0, fmt.Errorf("--screen-size %q: want WIDTHxHEIGHT, e.g. 1920x1080", s)
	}
	return w, h, nil
}

// showFlags are the flags of `kiosk` without a subcommand; their names,
// with _ for -, are the config file's keys.
type showFlags struct {
	c          common
	opts       ShowOptions
	languages  string
	testPace   bool
	version    bool
	src        sources
	row        rowFlags
	configPath string
}

// newShowFlags makes the show's flag set.
func newShowFlags() (*flag.FlagSet, *showFlags) {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	var f showFlags
	f.c.register(fs)
	f.c.registerScreen(fs)
	f.c.registerTrust(fs)
	opts := &f.opts
	fs.BoolVar(&opts.Windowed, "windowed", false, "show in a window instead of fullscreen (for previewing); closing it quits")
	fs.DurationVar(&opts.Dwell, "dwell", 12*time.Second, "how long each portrait stays on screen")
	fs.DurationVar(&opts.Fade, "fade", 700*time.Millisecond, "cross-fade between portraits")
	fs.StringVar(&opts.Language, "language", "", "fix the caption language (e.g. pl); by default the captions rotate through the languages")
	fs.StringVar(&opts.Mode, "mode", show.ModeMixed, "what the screen shows: spotlight (one person at a time), wall (everyone on a wire, drifting), mixed (a wall passage, then spotlights of the people it lifted) or postcards (the postcard hour: people whose birthday is this month or next, with where to write)")
	fs.StringVar(&opts.Hours, "hours", "", "opening hours, e.g. \"Mo-Fr 10:00-19:00; Sa 11:00-17:00; closed 2026-12-25\": outside them the screen sleeps (black, no frames drawn) until opening time or a key (see docs/HOURS.md); empty: always on")
	fs.StringVar(&f.languages, "languages", "", "languages the captions rotate through, e.g. en,pl,be,fa (default: each pack's own)")
	fs.StringVar(&opts.PIN, "pin", "", "PIN asked before the operator panel (Ctrl+Alt+O) opens")
	fs.IntVar(&opts.StatsEvery, "stats-every", 0, "log memory and goroutines every N slides (for soak runs)")
	fs.IntVar(&opts.ExitAfter, "exit-after", 0, "quit after N slides (for measurements); 0 runs until quit")
	fs.BoolVar(&f.testPace, "test-pace", false, "for soak runs and benchmarks only: let --dwell, --fade, --watch-every and --recheck go below the floors a visitor needs")
	fs.BoolVar(&f.version, "version", false, "print the kiosk's version and exit")
	f.src.register(fs)
	f.row.register(fs)
	fs.StringVar(&f.configPath, "config", DefaultConfigPath(), "TOML config file; every other flag can be set there as key = value (dwell = \"12s\", screen_size = \"1920x1080\"); flags win")
	return fs, &f
}

func runShow(args []string, env Env, log *slog.Logger) int {
	fs, f := newShowFlags()
	rest, code, ok := parseFlags(fs, args, env, usage, false)
	if !ok {
		return code
	}
	if f.version {
		fmt.Fprintln(env.Stdout, versionLine(env.Version))
		return ExitOK
	}
	if len(rest) > 0 {
		fmt.Fprintf(env.Stderr, "kiosk: unknown command %q\nsee: kiosk --help\n", rest[0])
		return ExitUsage
	}
	if env.parseOnly {
		return ExitOK
	}
	explicit := false
	fs.Visit(func(fl *flag.Flag) { explicit = explicit || fl.Name == "config" })
	origins, err := applyConfigFrom(fs, f.configPath, explicit, false)
	if err != nil {
		return fail(env, err)
	}
	if err := checkDurations(fs, origins, f.testPace); err != nil {
		fmt.Fprintf(env.Stderr, "kiosk: %v\n", err)
		return ExitUsage
	}
	if err := checkHours(f.opts.Hours, origins); err != nil {
		fmt.Fprintf(env.Stderr, "kiosk: %v\n", err)
		return ExitUsage
	}
	return startShow(f, env, log)
}

// startShow opens the cache, starts the packs' sources and runs the show.
func startShow(f *showFlags, env Env, log *slog.Logger) int {
	c, opts, src, row := &f.c, f.opts, &f.src, &f.row
	st, err := c.openStore(log)
	if err != nil {
		return fail(env, err)
	}
	defer st.Close()
	// An import this kiosk died during is written down as such (and logged)
	// before anything is imported: the show starts from the cache, without it.
	if _, err := st.SettleAttempts(); err != nil {
		log.Warn("cannot record the imports an earlier run did not finish", "err", err)
	}
	iopt, err := c.importOptions(log)
	if err != nil {
		return fail(env, err)
	}
	if err := installDemoIfNew(st, iopt); err != nil {
		log.Error("installing the demo pack", "err", err)
	}
	opts.Notes = appendNotes(opts.Notes, cacheNotes(st))
	opts.Logger = log
	if f.languages != "" {
		opts.Languages = strings.Split(f.languages, ",")
	}
	if opts.Sync, err = row.options(); err != nil {
		return fail(env, err)
	}
	if err := show.CheckMode(opts.Mode); err != nil {
		return fail(env, fmt.Errorf("--mode %w", err))
	}
	if err := src.start(st, iopt, &opts, log); err != nil {
		return fail(env, err)
	}
	if env.Show == nil {
		return fail(env, errors.New("this build has no display support"))
	}
	if err := env.Show(st, opts); err != nil {
		return fail(env, err)
	}
	return ExitOK
}

func fail(env Env, err error) int {
	fmt.Fprintf(env.Stderr, "kiosk: %v\n", err)
	return ExitProblems
}

// cacheNotes are the operator panel's lines about the cache itself: damage
// found and what was done, or why it is read-only; and, each time the panel
// asks, every pack whose record or images the show has found damaged.
func cacheNotes(st *store.Store) func() []string {
	var lines []string
	if r := st.Recovery(); r != nil {
		lines = append(lines, r.String())
	}
	if why := st.ReadOnlyReason(); why != "" {
		lines = append(lines, fmt.Sprintf("The cache %s is read-only (%s): the show runs from it, but packs cannot be imported.", st.Path(), why))
	}
	return func() []string {
		out := append([]string(nil), lines...)
		states, err := st.PackStates()
		if err != nil {
			return append(out, fmt.Sprintf("The cache %s cannot be read: %v", st.Path(), err))
		}
		for _, p := range states {
			if p.Damaged() {
				out = append(out, fmt.Sprintf("Pack %q is %s; import it again to repair it.", p.Key, p.Summary()))
			}
		}
		attempts, err := st.Attempts()
		if err != nil {
			return append(out, fmt.Sprintf("The cache's import attempts cannot be read: %v", err))
		}
		for _, a := range attempts {
			if a.Damage != "" || a.Outcome != store.AttemptInProgress {
				out = append(out, "Not imported automatically: "+a.String())
			}
		}
		return out
	}
}

// graceOnSignal is how long a command may take to wind down after Ctrl+C
// or SIGTERM before it is ended anyway: a decode in progress cannot be
// interrupted, and a person (or a service manager) expects a prompt stop.
const graceOnSignal = 800 * time.Millisecond

// signalContext is cancelled by Ctrl+C or SIGTERM, so an interrupted import
// writes nothing; a command still running graceOnSignal later is ended
// (its temporary files go with the next start's cleanup). The returned
// stop releases the signals.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel()
			select {
			case <-done:
			case <-time.After(graceOnSignal):
				atomicfile.RemovePending() // os.Exit runs no deferred clean-up
				fmt.Fprintf(os.Stderr, "kiosk: stopped (%v)\n", sig)
				code := 130
				if sig == syscall.SIGTERM {
					code = 143
				}
				os.Exit(code)
			}
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(ch)
			cancel()
			close(done)
		})
	}
}

const usage = `Solidarity Kiosk: a fullscreen exhibit of political prisoners' portraits.

Usage:
  kiosk [--cache FILE] [--windowed] [--dwell 12s] [--pin NNNN]
                                         start the show fullscreen (the demo pack on first start);
                                         → PageDown Space next, ← PageUp previous, P pause,
                                         Ctrl+Alt+O operator panel (quit, blank screen, packs)
  kiosk pack verify PATH                 check a pack folder or .zip; lists every problem (exit 1 if any)
  kiosk pack import [--screen-size WxH] PATH...   check and install packs into the cache
  kiosk pack list                        list the installed packs (and any damage; exit 1 if some)
  kiosk pack check                       read every value in the cache and report what is damaged
  kiosk pack remove ID...                uninstall packs and free their images
  kiosk pack build --from LIST.csv --photos DIR -o PACK.zip
                                         make a pack from a spreadsheet and a photo folder
  kiosk pack keygen                      make a minisign key pair for signing packs
  kiosk pack sign PACK...                sign packs (folder or .zip) with your secret key
  kiosk poster [--paper a4|letter|a3-strips] [--out FILE.pdf] [PACK]
                                         print-ready placards (PDF) from a pack, or from the cache
  kiosk studio [LIST.csv|PACK]           the organizer's desk: a window that checks, previews, exports, signs and imports
  kiosk --pack PACK|URL --watch /media   load packs while the show runs (also by dropping them on the window)
  kiosk --sync-epoch T --screen 2/5      keep a row of screens in step, each showing someone else

Configuration: flags, or the same keys in ~/.config/solidarity-kiosk/config.toml
(--config FILE for another), written with _ for -, e.g.
  dwell = "12s"
  pin = "2105"
  screen_size = "1920x1080"
  trusted_key = ["/home/kiosk/minisign.pub"]
  pack = ["https://example.org/rally.zip"]
Flags win over the file.

Every command has its own --help; kiosk --version prints the version.
`
