package cli

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/studio"
)

const studioUsage = `Usage: kiosk studio [flags] [LIST.csv|PACK.zip|PACK-DIR]

Opens the organizer's desk, a window: open a spreadsheet (CSV, the kiosk's
own columns or the Viasna export) with its photo folder, a pack folder or a
pack .zip (or drop one on the window); see every problem by row or person
and field; preview each portrait and the wall as a screen shows them; then
export the pack, sign it, copy it to a USB stick, or import it into this
machine's kiosk.
`

// StudioOptions are what `kiosk studio` hands to the studio window.
type StudioOptions struct {
	Path    string    // opened at once when not ""
	Photos  string    // the spreadsheet's photo folder; "" finds it
	Trusted sign.Keys // keys whose signatures count
	Import  studio.Importer
	Logger  *slog.Logger
	// Script runs test steps in the window (KIOSK_STUDIO_SCRIPT; tests only).
	Script string
}

// StudioFunc opens the studio window (Env.Studio; nil in a build without
// one); it returns when the window closes.
type StudioFunc func(opts StudioOptions) error

// runStudio is `kiosk studio`.
func runStudio(args []string, env Env, log *slog.Logger) int {
	fs := flag.NewFlagSet("kiosk studio", flag.ContinueOnError)
	var c common
	c.register(fs)
	c.registerScreen(fs)
	fs.Var(&c.trusted, "trusted-key", "a minisign public key (RWQ…) or .pub file whose signatures count as signed (repeatable; trusted_key = [...] in the config)")
	photos := fs.String("photos", "", "the spreadsheet's photo folder (default: a photos folder beside it, else its own folder)")
	configPath := fs.String("config", DefaultConfigPath(), "the kiosk's TOML config file: its cache, screen_size and trusted_key apply here too")
	rest, code, ok := parseFlags(fs, args, env, studioUsage, true)
	if !ok {
		return code
	}
	if len(rest) > 1 {
		fmt.Fprintf(env.Stderr, "kiosk studio: opens at most one spreadsheet or pack, but was given %s\n", strings.Join(quoteAll(rest), " "))
		return ExitUsage
	}
	if env.parseOnly {
		return ExitOK
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	if err := applyConfig(fs, *configPath, explicit, true); err != nil {
		return fail(env, err)
	}
	if env.Studio == nil {
		return fail(env, fmt.Errorf("this build has no studio window"))
	}
	opt, err := c.importOptions(log)
	if err != nil {
		return fail(env, err)
	}
	cache, err := c.cachePath()
	if err != nil {
		return fail(env, err)
	}
	so := StudioOptions{
		Photos: *photos, Trusted: opt.Trusted, Import: studio.CacheImporter(cache, opt, log), Logger: log,
		Script: os.Getenv("KIOSK_STUDIO_SCRIPT"),
	}
	if len(rest) == 1 {
		so.Path = rest[0]
	}
	if err := env.Studio(so); err != nil {
		return fail(env, err)
	}
	return ExitOK
}
