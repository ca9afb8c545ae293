package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// packHelp is each pack command's help, above its flags.
var packHelp = map[string]string{
	"verify": `Usage: kiosk pack verify [flags] PATH...

Checks pack folders or .zip files without installing them and lists every
problem; exit 1 if any pack has one. Nothing is written.
`,
	"import": `Usage: kiosk pack import [flags] PATH...

Checks packs and installs them into the cache, prepared for the screen
size; a pack of one's own sends the demo pack away.
`,
	"list": `Usage: kiosk pack list [flags]

Lists the packs installed in the cache and the pack set that screens kept
in step share. Every value is read and checked: a damaged pack is listed
with what is damaged, and the exit status is 1. Reads only: a missing cache
is reported, not created.
`,
	"check": `Usage: kiosk pack check [flags]

Reads every value in the cache (pack records, manifests, images) and checks
it against its checksum; lists what is damaged, naming pack, person and
image, and exits 1 if anything is. Reads only. Importing a damaged pack
again repairs it.
`,
	"remove": `Usage: kiosk pack remove [flags] ID...

Uninstalls packs (the IDs kiosk pack list shows) and frees their images.
`,
}

func runPack(args []string, env Env, log *slog.Logger) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return packBuild(rest, env, log)
	case "keygen":
		return packKeygen(rest, env)
	case "sign":
		return packSign(rest, env)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	help, known := packHelp[cmd]
	if !known {
		fmt.Fprintf(env.Stderr, "kiosk pack: unknown command %q\n%s", cmd, usage)
		return ExitUsage
	}
	fs := flag.NewFlagSet("kiosk pack "+cmd, flag.ContinueOnError)
	var c common
	registerPackFlags(fs, cmd, &c)
	configPath := fs.String("config", DefaultConfigPath(), "the kiosk's TOML config file: the keys of this command's flags (cache, trusted_key, …) apply here too")
	rest, code, ok := parseFlags(fs, rest, env, help, true)
	if !ok {
		return code
	}
	if code, ok := packArgs(cmd, rest, env); !ok || env.parseOnly {
		return code
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	if err := applyConfig(fs, *configPath, explicit, true); err != nil {
		return fail(env, err)
	}
	switch cmd {
	case "verify":
		return packVerify(rest, &c, env, log)
	case "import":
		return packImport(rest, &c, env, log)
	case "list":
		return packList(&c, env, log)
	case "check":
		return packCheck(&c, env, log)
	default:
		return packRemove(rest, &c, env, log)
	}
}

// registerPackFlags adds the flags a pack command uses: each lists only
// what it reads, so no option is accepted and then ignored.
func registerPackFlags(fs *flag.FlagSet, cmd string, c *common) {
	switch cmd {
	case "import":
		c.register(fs)
		c.registerScreen(fs)
		c.registerTrust(fs)
	case "verify":
		// Verify reads no cache; --cache is taken so that scripts can give
		// every pack command the same cache option.
		fs.StringVar(&c.cache, "cache", "", "not read by verify, which checks packs without installing them")
		c.registerTrust(fs)
	default: // list, remove
		c.register(fs)
	}
}

// packArgs checks a pack command's arguments: list takes none, the others
// at least one.
func packArgs(cmd string, args []string, env Env) (int, bool) {
	ok := true
	switch cmd {
	case "list", "check":
		ok = noArgs("pack "+cmd, args, env.Stderr)
	case "remove":
		ok = needArgs(args, "pack id", env)
	default:
		ok = needArgs(args, "pack folder or .zip", env)
	}
	if !ok {
		return ExitUsage, false
	}
	return ExitOK, true
}

func needArgs(args []string, what string, env Env) bool {
	if len(args) == 0 {
		fmt.Fprintf(env.Stderr, "kiosk pack: name at least one %s\n", what)
		return false
	}
	return true
}

func packVerify(args []string, c *common, env Env, log *slog.Logger) int {
	opt, err := c.importOptions(log)
	if err != nil {
		return fail(env, err)
	}
	ctx, stop := signalContext()
	defer stop()
	code := ExitOK
	for _, path := range args {
		rep, err := importer.Verify(ctx, path, opt)
		printWarnings(env, path, rep.Warnings)
		if err != nil {
			printProblems(env, path, err)
			code = ExitProblems
			continue
		}
		fmt.Fprintln(env.Stdout, env.words().T("cli.verify_ok", map[string]any{
			"Path": path, "ID": quote(rep.PackID), "Version": quote(rep.Version),
			"People": rep.People, "Photos": rep.Photos, "Silhouettes": rep.Silhouettes,
		}))
	}
	return code
}

// printWarnings prints one warning per line under the pack's path. Warnings
// do not change the exit code.
func printWarnings(env Env, path string, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(env.Stdout, "%s: warning: %s\n", path, w)
	}
}

// printProblems prints one problem per line under the pack's path.
func printProblems(env Env, path string, err error) {
	lines := strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
	n := len(lines)
	var probs pack.Problems
	if errors.As(err, &probs) {
		n = probs.Count() // a cut list ends in one line standing for the rest
	}
	fmt.Fprintln(env.Stdout, env.words().T("cli.problems", map[string]any{"Path": path, "N": n}))
	for _, l := range lines {
		fmt.Fprintf(env.Stdout, "  %s\n", l)
	}
}

func packImport(args []string, c *common, env Env, log *slog.Logger) int {
	opt, err := c.importOptions(log)
	if err != nil {
		return fail(env, err)
	}
	st, err := c.openStore(log)
	if err != nil {
		return fail(env, err)
	}
	defer st.Close()
	ctx, stop := signalContext()
	defer stop()
	code := ExitOK
	for _, path := range args {
		opt.OnProgress = progressReporter(env.Stderr, path)
		rep, err := importByHand(ctx, st, path, opt, log)
		if err != nil {
			printProblems(env, path, err)
			fmt.Fprintln(env.Stdout, env.words().T("cli.not_imported", map[string]any{"Path": path}))
			code = ExitProblems
			continue
		}
		if !opt.Demo {
			demo.Retire(st, rep.PackID, log)
		}
		fmt.Fprintln(env.Stdout, env.words().T("cli.imported", map[string]any{
			"Path": path, "ID": quote(rep.PackID), "Version": quote(rep.Version), "People": rep.People,
			"Photos": rep.Photos, "Silhouettes": rep.Silhouettes, "Took": rep.Duration.Round(1e6).String(),
		}))
	}
	return code
}

func packList(c *common, env Env, log *slog.Logger) int {
	st, check, code := openChecked(c, env, log, "so no packs are installed")
	if st == nil {
		return code
	}
	defer st.Close()
	var recs []store.PackRecord
	for _, p := range check.Packs {
		if p.Record != nil {
			recs = append(recs, *p.Record)
		}
	}
	stats, err := st.Stats()
	if err != nil {
		return fail(env, err)
	}
	damaged := ""
	if n := check.DamagedPacks(); n > 0 {
		damaged = fmt.Sprintf(", %d of them DAMAGED", n)
	}
	fmt.Fprintf(env.Stdout, "cache %s: %d pack(s)%s, %.1f MB on disk\n", st.Path(), len(check.Packs), damaged, float64(stats.FileBytes)/1e6)
	if entries, err := show.Entries(recs); err == nil && len(entries) > 0 {
		fmt.Fprintf(env.Stdout, "pack set %s (screens in step need the same: --sync-set %s)\n", show.PackSet(entries), show.PackSet(entries))
	}
	if len(recs) == 0 {
		printAttempts(env, st)
		return printDamage(env, check)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tPEOPLE\tPHOTOS\tIMPORTED\tSIGNED\tSOURCE")
	for _, r := range recs {
		id := r.ID
		if r.Demo {
			id += " (DEMO)"
		}
		signed := "no"
		if r.Signed {
			signed = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\n", id, r.Version, r.People, len(r.Photos),
			r.ImportedAt.Local().Format("2006-01-02 15:04"), signed, r.Source)
	}
	_ = tw.Flush()
	printAttempts(env, st)
	return printDamage(env, check)
}

// importByHand is an import an operator asked for: it is always tried,
// whatever an earlier attempt did, and recorded like any other (so that a
// pack this process dies on is not then imported automatically by the
// show); a success clears the remembered failure.
func importByHand(ctx context.Context, st *store.Store, path string, opt importer.Options, log *slog.Logger) (importer.Report, error) {
	key := intake.SourceKey(path)
	ident, _ := intake.Identity(path)
	if a, ok, _ := st.LastAttempt(key); ok && a.Damage == "" && a.Outcome != store.AttemptInProgress {
		log.Info("importing by hand a pack the show does not retry", "source", key, "last_outcome", a.Outcome, "at", a.When())
	}
	record := st.ReadOnlyReason() == ""
	if err := st.BeginAttempt(key, ident, "pack import"); record && err != nil {
		log.Warn("cannot record the start of an import in the cache", "source", key, "err", err)
	}
	unwatch := context.AfterFunc(ctx, func() { // Ctrl+C: not the pack's doing, even if the decode outlasts the grace
		if record {
			_ = st.ClearAttempt(key)
		}
	})
	rep, err := importer.Import(ctx, st, path, opt)
	unwatch()
	var endErr error
	if err != nil && ctx.Err() != nil {
		endErr = st.ClearAttempt(key) // interrupted on purpose: not the pack's fault
	} else {
		endErr = st.EndAttempt(key, err)
	}
	if record && endErr != nil {
		log.Warn("cannot record the end of an import in the cache", "source", key, "err", endErr)
	}
	return rep, err
}

// printAttempts lists the packs the show does not import automatically any
// more, because their last import failed or took the kiosk down.
func printAttempts(env Env, st *store.Store) {
	attempts, err := st.Attempts()
	if err != nil {
		fmt.Fprintf(env.Stdout, "the cache's import attempts cannot be read: %v\n", err)
		return
	}
	for _, a := range attempts {
		fmt.Fprintf(env.Stdout, "NOT RETRIED %s\n", a)
	}
}

// printDamage says which packs are damaged and how (for list and check),
// and returns the exit status: ExitProblems when anything is damaged.
func printDamage(env Env, check store.CheckReport) int {
	if check.OK() {
		return ExitOK
	}
	for _, p := range check.Packs {
		if p.Damaged() {
			fmt.Fprintf(env.Stdout, "DAMAGED pack %q: %s\n", p.Key, p.Summary())
		}
	}
	for _, e := range check.Other {
		fmt.Fprintf(env.Stdout, "DAMAGED %v\n", e)
	}
	for _, e := range check.Structural {
		fmt.Fprintf(env.Stdout, "DAMAGED page structure: %v\n", e)
	}
	fmt.Fprintln(env.Stdout, "import the damaged packs again to repair them (kiosk pack import PACK); a damaged record can also be removed with kiosk pack remove KEY")
	return ExitProblems
}

// openChecked opens the cache read-only, prints its recovery note, and
// reads and checks every value in it (Ctrl+C stops the check). A nil store
// means the command ends with code: no cache (noCache says what that
// means for it) or an error.
func openChecked(c *common, env Env, log *slog.Logger, noCache string) (*store.Store, store.CheckReport, int) {
	st, err := c.openStoreToRead(log)
	if errors.Is(err, store.ErrNoCache) {
		path, _ := c.cachePath()
		fmt.Fprintf(env.Stdout, "cache %s: no cache file yet, %s\n", path, noCache)
		return nil, store.CheckReport{}, ExitOK
	}
	if err != nil {
		return nil, store.CheckReport{}, fail(env, err)
	}
	if r := st.Recovery(); r != nil {
		fmt.Fprintf(env.Stdout, "note: %s\n", r)
	}
	ctx, stop := signalContext()
	defer stop()
	check, err := st.Check(ctx)
	if err != nil {
		_ = st.Close()
		return nil, store.CheckReport{}, fail(env, err)
	}
	return st, check, ExitOK
}

// packCheck reads and checks every value in the cache.
func packCheck(c *common, env Env, log *slog.Logger) int {
	st, check, code := openChecked(c, env, log, "nothing to check")
	if st == nil {
		return code
	}
	defer st.Close()
	fmt.Fprintf(env.Stdout, "cache %s: %d pack(s), %d image(s) read", st.Path(), len(check.Packs), check.Images)
	if check.Unchecked > 0 {
		fmt.Fprintf(env.Stdout, ", %d value(s) from before checksums (import their packs again to add one)", check.Unchecked)
	}
	fmt.Fprintln(env.Stdout)
	for _, e := range check.Problems() {
		fmt.Fprintf(env.Stdout, "  %v\n", e)
	}
	if check.OK() {
		fmt.Fprintln(env.Stdout, "no damage found")
		return ExitOK
	}
	return printDamage(env, check)
}

func packRemove(args []string, c *common, env Env, log *slog.Logger) int {
	st, err := c.openStore(log)
	if err != nil {
		return fail(env, err)
	}
	defer st.Close()
	code := ExitOK
	for _, id := range args {
		if err := st.Remove(id); err != nil {
			fmt.Fprintf(env.Stderr, "kiosk: %v\n", err)
			code = ExitProblems
			continue
		}
		fmt.Fprintf(env.Stdout, "removed pack %q\n", id)
	}
	return code
}

func installDemoIfNew(st *store.Store, opt importer.Options) error {
	ctx, stop := signalContext()
	defer stop()
	return demo.InstallIfNew(ctx, st, opt)
}
