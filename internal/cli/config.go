package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// DefaultConfigPath is the config file in the user's config directory.
func DefaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "solidarity-kiosk", "config.toml")
}

// applyConfig reads the TOML config file and sets every flag the command
// line did not set: flags win. Keys are the flag names with _ for -
// (dwell = "12s", pin = "2105", screen_size = "1920x1080"). A missing default
// file is fine; a missing file named with --config, an unknown key or a bad
// value is an error naming the file and the key.
//
// With lenient (the pack subcommands), keys the command has no flag for
// are skipped: the file is the show's, and the show checks every key.
func applyConfig(fset *flag.FlagSet, path string, explicit, lenient bool) error {
	if path == "" {
		return nil
	}
	var conf map[string]any
	if _, err := toml.DecodeFile(path, &conf); err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil
		}
		return fmt.Errorf("config %s: %w", path, err)
	}
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	keys := make([]string, 0, len(conf))
	for k := range conf {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		name := strings.ReplaceAll(key, "_", "-")
		if lenient && fset.Lookup(name) == nil {
			continue
		}
		if fset.Lookup(name) == nil || name == "config" {
			return fmt.Errorf("config %s: unknown key %q (see kiosk --help)", path, key)
		}
		if set[name] {
			continue
		}
		values := []any{conf[key]}
		if list, ok := conf[key].([]any); ok {
			values = list // pack = ["a.zip", "https://…"]: each one as if given once
		}
		for _, v := range values {
			if err := fset.Set(name, fmt.Sprint(v)); err != nil {
				return fmt.Errorf("config %s: %s: %v", path, key, err)
			}
		}
	}
	return nil
}
