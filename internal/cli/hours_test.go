package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// TestHoursAreCheckedOnTheCommandLineAndInTheConfig: good opening hours
// reach the show as typed; bad ones are refused before the show starts,
// naming the flag or the config file and line, and the column.
func TestHoursAreCheckedOnTheCommandLineAndInTheConfig(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache.db")
	cases := []struct {
		name string
		args []string
		conf string
		want string // the hours the show gets; with fail, what stderr says
		fail bool
	}{
		{name: "none", want: ""},
		{name: "weekdays and Saturday", args: []string{"--hours", "Mo-Fr 10:00-19:00; Sa 11:00-17:00"}, want: "Mo-Fr 10:00-19:00; Sa 11:00-17:00"},
		{name: "holidays", args: []string{"--hours", "Mo-Su 10:00-18:00; closed 2026-12-25, 2027-01-01"}, want: "Mo-Su 10:00-18:00; closed 2026-12-25, 2027-01-01"},
		{name: "past midnight", args: []string{"--hours", "fr-sa 20:00-02:00"}, want: "fr-sa 20:00-02:00"},
		{name: "bad day", args: []string{"--hours", "Mo-Xy 10:00-19:00"}, fail: true, want: `--hours: opening hours "Mo-Xy 10:00-19:00": column 4: want a day`},
		{name: "bad time", args: []string{"--hours", "Mo-Fr 10:00-19:00; Sa 11:00-1700"}, fail: true, want: "column 29: want a closing time"},
		{name: "bad date", args: []string{"--hours", "Mo-Fr 10:00-19:00; closed 2026-13-01"}, fail: true, want: "--hours: opening hours"},
		{name: "blank", args: []string{"--hours", "  "}, fail: true, want: "column 3: empty"},
		{name: "config", conf: "pin = \"1\"\nhours = \"Sa-Su 12:00-16:00\"\n", want: "Sa-Su 12:00-16:00"},
		{name: "config, bad", conf: "pin = \"1\"\n\nhours = \"Sa-Su 12:00-16\"\n", fail: true, want: `line 3: hours: opening hours "Sa-Su 12:00-16": column 13: want a closing time`},
		{name: "the flag wins over the config", args: []string{"--hours", "Mo 09:00-10:00"}, conf: "hours = \"nonsense\"\n", want: "Mo 09:00-10:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			started, got := false, ""
			show := func(_ *store.Store, o ShowOptions) error { started, got = true, o.Hours; return nil }
			conf := ""
			if c.conf != "" {
				conf = filepath.Join(dir, "config.toml")
				if err := os.WriteFile(conf, []byte(c.conf), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, _, errs := run(t, show, append([]string{"--cache", cache, "--config", conf}, c.args...)...)
			if !c.fail {
				if code != ExitOK || !started || got != c.want {
					t.Fatalf("exit %d, started %v with hours %q; want %q (stderr %s)", code, started, got, c.want, errs)
				}
				return
			}
			if code != ExitUsage || started || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, started %v, stderr %q; want exit 2 and %q", code, started, errs, c.want)
			}
			if c.conf != "" && !strings.Contains(errs, conf) {
				t.Errorf("the error does not name the config file: %s", errs)
			}
		})
	}
}
