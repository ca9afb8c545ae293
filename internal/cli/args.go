package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// parseAnywhere parses flags wherever they stand among the arguments, as
// most command lines allow (`kiosk pack verify a.zip --cache X`), and
// returns the other arguments in their order. After "--" everything is an
// argument.
func parseAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		end := slices.Index(args, "--")
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if end >= 0 && len(rest) == len(args)-end-1 { // Parse stopped at "--"
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// globalFirst moves the options every command takes that stand before the
// command (`kiosk --cache F pack list`, `kiosk pack --cache F list`,
// `kiosk --cache F poster`, `kiosk --cache F studio`) after it, where the
// command's own parser reads them. It returns args unchanged when there is
// no such case; a show-only flag before a command is then refused by the
// show's parser.
func globalFirst(args []string) []string {
	before, rest, ok := globalOptions(args)
	if !ok || len(rest) == 0 {
		return args
	}
	switch rest[0] {
	case "pack":
		mid, sub, ok := globalOptions(rest[1:])
		if !ok || len(sub) == 0 || len(before)+len(mid) == 0 {
			return args
		}
		out := append([]string{"pack", sub[0]}, before...)
		out = append(out, mid...)
		return append(out, sub[1:]...)
	case "poster", "studio":
		if len(before) == 0 {
			return args
		}
		return append(append([]string{rest[0]}, before...), rest[1:]...)
	}
	return args
}

// globalOptions splits args into the global options it starts with and
// the rest; ok is false when they are not all global options.
func globalOptions(args []string) (opts, rest []string, ok bool) {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c common
	c.register(fs)
	c.registerScreen(fs)
	c.registerTrust(fs)
	fs.String("config", "", "")
	if err := fs.Parse(args); err != nil {
		return nil, nil, false
	}
	rest = fs.Args()
	return args[:len(args)-len(rest)], rest, true
}

// noArgs refuses arguments a command does not take, instead of ignoring them.
func noArgs(cmd string, args []string, w io.Writer) bool {
	if len(args) == 0 {
		return true
	}
	fmt.Fprintf(w, "kiosk %s: takes no arguments, but was given %s\n", cmd, strings.Join(quoteAll(args), " "))
	return false
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// parseFlags parses a command's flags: wherever they stand among its
// arguments when anywhere is set, else before them. -h or --help prints the
// command's help (help, then its flags) on standard output and ends the
// command with ExitOK; a flag that is wrong is named on standard error with
// where the help is, and ends it with ExitUsage. ok is false when the
// command ends here, with code.
func parseFlags(fs *flag.FlagSet, args []string, env Env, help string, anywhere bool) (rest []string, code int, ok bool) {
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {} // the flag package prints what was wrong; the help is on request only
	var err error
	if anywhere {
		rest, err = parseAnywhere(fs, args)
	} else {
		err = fs.Parse(args)
		rest = fs.Args()
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		printHelp(env.Stdout, fs, help)
		return nil, ExitOK, false
	case err != nil:
		fmt.Fprintf(env.Stderr, "see: %s --help\n", fs.Name())
		return nil, ExitUsage, false
	}
	return rest, ExitOK, true
}

// printHelp writes a command's help and, when it has any, its flags.
func printHelp(w io.Writer, fs *flag.FlagSet, help string) {
	fmt.Fprint(w, help)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}
