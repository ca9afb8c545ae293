package cli

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
)

const buildUsage = `Usage: kiosk pack build --from LIST.csv --photos DIR -o PACK.zip [flags]

Turns a spreadsheet saved as CSV (the kiosk's own columns, or the Viasna
list export with English, Russian or Belarusian headers) and a folder of
photos into a pack. Every row it cannot use, every photo it cannot match
and every person without a photo is listed; the pack is built from the
rest unless --strict. Check the result with: kiosk pack verify PACK.zip
`

// buildFlags are the flags of `kiosk pack build`.
type buildFlags struct {
	from, photos, out, lang, title, id, publisher, sign, password string
	strict                                                        bool
}

func (b *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.from, "from", "", "the spreadsheet, saved as CSV (comma or semicolon, UTF-8)")
	fs.StringVar(&b.photos, "photos", "", "folder of photos, matched by the photo column, else by id or name")
	fs.StringVar(&b.out, "o", "", "the pack to write (.zip)")
	fs.StringVar(&b.lang, "lang", "", "caption languages in order, e.g. en,be,ru (default: from the headers)")
	fs.StringVar(&b.title, "title", "", "the pack's title (default: the CSV file's name)")
	fs.StringVar(&b.id, "id", "", "the pack's id (default: made from the title)")
	fs.StringVar(&b.publisher, "publisher", "", "who publishes the pack (your group's name)")
	fs.BoolVar(&b.strict, "strict", false, "build nothing if any row has a problem")
	fs.StringVar(&b.sign, "sign", "", "sign the pack with this minisign secret key file (see kiosk pack keygen)")
	fs.StringVar(&b.password, "password-file", "", "file holding the secret key's password (default: asked on the terminal)")
}

func packBuild(args []string, env Env, log *slog.Logger) int {
	fs := flag.NewFlagSet("kiosk pack build", flag.ContinueOnError)
	var b buildFlags
	b.register(fs)
	rest, code, ok := parseFlags(fs, args, env, buildUsage, true)
	if !ok {
		return code
	}
	if !noArgs("pack build", rest, env.Stderr) {
		return ExitUsage
	}
	if b.from == "" || b.out == "" {
		fmt.Fprintln(env.Stderr, "kiosk pack build: --from and -o are needed (see: kiosk pack build --help)")
		return ExitUsage
	}
	if b.out == atomicfile.Stdout {
		env.Stdout = env.Stderr // the pack itself goes to standard output
	}
	if b.sign != "" && !signable(b.out) {
		fmt.Fprintf(env.Stderr, "kiosk pack build: -o %s is not a file: a pack written into a device or a pipe cannot be signed; give a file name\n", b.out)
		return ExitUsage
	}
	if env.parseOnly {
		return ExitOK
	}
	opt := packbuild.Options{CSV: b.from, Photos: b.photos, Out: b.out, Title: b.title, ID: b.id, Publisher: b.publisher, Strict: b.strict}
	if b.lang != "" {
		opt.Languages = strings.Split(b.lang, ",")
	}
	ctx, stop := signalContext()
	defer stop()
	rep, err := packbuild.Build(ctx, opt)
	printBuildReport(env, b.from, rep)
	if err != nil {
		var probs packbuild.Problems
		if !errors.As(err, &probs) {
			fmt.Fprintf(env.Stderr, "kiosk pack build: %v\n", err)
		}
		fmt.Fprintf(env.Stdout, "%s: nothing written\n", b.out)
		return ExitProblems
	}
	log.Info("pack built", "out", rep.Out, "people", rep.People, "photos", rep.Photos, "rows_skipped", len(rep.Rows))
	fmt.Fprintf(env.Stdout, "%s: pack with %d people and %d photos (languages %s)\n", rep.Out, rep.People, rep.Photos, strings.Join(rep.Languages, ", "))
	if b.sign != "" {
		return signPack(ctx, env, b.out, b.sign, b.password)
	}
	fmt.Fprintf(env.Stdout, "check it with: kiosk pack verify %s\n", b.out)
	return ExitOK
}

// printBuildReport lists what the build could not use, so the organizer
// can fix the spreadsheet or the photo folder.
func printBuildReport(env Env, csv string, rep packbuild.Report) {
	printWarnings(env, csv, rep.Warnings)
	if len(rep.Rows) > 0 {
		fmt.Fprintf(env.Stdout, "%s: %d problem(s); these rows were left out:\n", csv, rep.Rows.Count())
		for _, p := range rep.Rows {
			fmt.Fprintf(env.Stdout, "  %s\n", p)
		}
	}
	if len(rep.UnmatchedPhotos) > 0 {
		fmt.Fprintf(env.Stdout, "%d photo(s) matched nobody (name them in a photo column, or after the person's id or name):\n", len(rep.UnmatchedPhotos))
		for _, p := range rep.UnmatchedPhotos {
			fmt.Fprintf(env.Stdout, "  %s\n", p)
		}
	}
	if len(rep.WithoutPhoto) > 0 {
		fmt.Fprintf(env.Stdout, "%d person(s) have no photo and will be shown with a silhouette: %s\n",
			len(rep.WithoutPhoto), strings.Join(rep.WithoutPhoto, ", "))
	}
}

// signable says whether out names a file a signature can go beside: a
// regular file, or nothing yet.
func signable(out string) bool {
	if out == atomicfile.Stdout {
		return false
	}
	fi, err := os.Stat(out)
	return err != nil || fi.Mode().IsRegular()
}
