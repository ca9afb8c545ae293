// Package hostile makes the corpus of hostile inputs the kiosk must refuse
// or accept quickly and in bounded memory: manifests nested 100,000 deep,
// texts, keys and numbers past their limits, lists one past theirs (and
// exactly at them), invalid UTF-8, zips with too many entries, lying or
// huge declared sizes, overlapping entries and bad names, oversized or
// malformed signatures and key files, and spreadsheets with huge cells,
// rows and columns. Each case says what the kiosk must answer.
//
// The small cases are committed under testdata/hostile (cmd/hostilegen
// -small); the large ones are written at test time (scripts/hostile.sh,
// this package's tests).
package hostile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Commands a case runs.
const (
	Verify = "verify" // kiosk pack verify ARGS
	Build  = "build"  // kiosk pack build ARGS (the output zip is added)
)

// SmallBytes is the most a committed case may take on disk.
const SmallBytes = 16 << 10

// Case is one hostile input and the answer the kiosk must give.
type Case struct {
	Name string // unique; also the name of the file or folder written
	// Command is Verify or Build; Args are its arguments, with $D for the
	// folder the corpus is written to.
	Command string
	Args    []string
	// Exit is the exit code the command must end with: 0 accepted, 1 refused.
	Exit int
	// Want is a phrase the command's output must hold, Avoid one it must
	// not (for the side of a limit that passes it).
	Want, Avoid string
	// Keep commits the case under testdata/hostile even though it is
	// larger than SmallBytes (issue 10's own file).
	Keep bool
	// write writes the case's files into dir.
	write func(dir string) error
}

// Write writes the case's input into dir.
func (c Case) Write(dir string) error { return c.write(dir) }

// Expand returns the arguments with $D replaced by dir.
func (c Case) Expand(dir string) []string {
	out := make([]string, len(c.Args))
	for i, a := range c.Args {
		out[i] = strings.ReplaceAll(a, "$D", dir)
	}
	return out
}

// Cases returns every case, sorted by name.
func Cases() []Case {
	var cs []Case
	cs = append(cs, manifestCases()...)
	cs = append(cs, zipCases()...)
	cs = append(cs, signatureCases()...)
	cs = append(cs, csvCases()...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	return cs
}

// IndexFile lists the cases written, one per line, for scripts/hostile.sh.
const IndexFile = "cases.tsv"

// WriteAll writes the cases into dir (when small, only those of at most
// SmallBytes, and those to Keep), and the index: name, command, exit code,
// want, avoid and the arguments, separated by tabs; the arguments by spaces.
func WriteAll(dir string, small bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, IndexFile))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# name\tcommand\texit\twant\tavoid\targs ($D: this folder); written by go run ./cmd/hostilegen")
	for _, c := range Cases() {
		if err := c.Write(dir); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		if small && !c.Keep {
			size, err := written(dir, c.Name)
			if err != nil {
				f.Close()
				return err
			}
			if size > SmallBytes {
				if err := removeCase(dir, c.Name); err != nil {
					f.Close()
					return err
				}
				continue
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", c.Name, c.Command, c.Exit, c.Want, c.Avoid, strings.Join(c.Args, " "))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// written is how many bytes the case name takes in dir (0 for what is not
// a regular file or folder, such as a pipe).
func written(dir, name string) (int64, error) {
	var size int64
	matches, err := caseFiles(dir, name)
	if err != nil {
		return 0, err
	}
	for _, m := range matches {
		err := filepath.WalkDir(m, func(_ string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				size += fi.Size()
			} else if !d.IsDir() {
				size += SmallBytes + 1 // pipes and such are not committed
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return size, nil
}

// removeCase removes what the case name wrote into dir.
func removeCase(dir, name string) error {
	matches, err := caseFiles(dir, name)
	if err != nil {
		return err
	}
	for _, m := range matches {
		if err := os.RemoveAll(m); err != nil {
			return err
		}
	}
	return nil
}

// caseFiles are the file or folder name in dir and the files name.*.
func caseFiles(dir, name string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, name+".*"))
	if _, serr := os.Lstat(filepath.Join(dir, name)); serr == nil {
		matches = append(matches, filepath.Join(dir, name))
	}
	return matches, err
}

// files writes files (path → content) under dir/name.
func files(name string, fs map[string][]byte) func(dir string) error {
	return func(dir string) error {
		for p, data := range fs {
			full := filepath.Join(dir, name, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(full, data, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
}

// file writes one file dir/name.
func file(name string, data func() []byte) func(dir string) error {
	return func(dir string) error {
		return os.WriteFile(filepath.Join(dir, name), data(), 0o644)
	}
}
