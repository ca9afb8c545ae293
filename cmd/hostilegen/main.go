// Command hostilegen writes the corpus of hostile inputs (internal/pack/hostile)
// and its index, cases.tsv, for scripts/hostile.sh; it also measures the
// peak memory of a command, as /usr/bin/time -f %M does, for that script.
//
//	hostilegen -o DIR                       every case, some of them tens of megabytes
//	hostilegen -small -o DIR                only the small ones: testdata/hostile
//	hostilegen -maxrss FILE -- CMD ARGS...  run CMD, write its peak RSS in KiB to FILE
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"

	"github.com/solidarity-kiosk/kiosk/internal/pack/hostile"
)

func main() {
	out := flag.String("o", "", "the folder to write the cases into")
	small := flag.Bool("small", false, "write only the cases small enough to commit")
	maxrss := flag.String("maxrss", "", "run the command after -- and write its peak resident memory, in KiB, to this file")
	flag.Parse()
	if *maxrss != "" {
		os.Exit(measure(*maxrss, flag.Args()))
	}
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		log.Fatal("hostilegen: name the folder with -o")
	}
	if err := hostile.WriteAll(*out, *small); err != nil {
		log.Fatal(err)
	}
}

// measure runs args with this process's standard streams, writes its peak
// RSS (and that of the children it waited for) to file, and returns its
// exit code, 128 + the signal's number when a signal ended it.
func measure(file string, args []string) int {
	if len(args) == 0 {
		log.Fatal("hostilegen -maxrss: name the command after --")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		log.Fatal(err)
	}
	if werr := os.WriteFile(file, fmt.Appendf(nil, "%d\n", peakKiB(cmd.ProcessState)), 0o644); werr != nil {
		log.Fatal(werr)
	}
	return exitCode(cmd.ProcessState)
}
