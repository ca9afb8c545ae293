package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
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
	_, err := applyConfigFrom(fset, path, explicit, lenient)
	return err
}

// maxConfigBytes bounds the config file: a kiosk's config is a few lines.
const maxConfigBytes = 64 << 10

// configOrigins tells, for each flag the config file set, where: "config
// FILE, line N: key".
type configOrigins map[string]string

// applyConfigFrom is applyConfig that also says where each value came from.
func applyConfigFrom(fset *flag.FlagSet, path string, explicit, lenient bool) (configOrigins, error) {
	origins := configOrigins{}
	if path == "" {
		return origins, nil
	}
	data, err := readConfig(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return origins, nil
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	var conf map[string]any
	if _, err := toml.Decode(string(data), &conf); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
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
		line := keyLine(data, key)
		where := fmt.Sprintf("config %s, line %d: %s", path, line, key)
		if fset.Lookup(name) == nil || name == "config" {
			return nil, fmt.Errorf("config %s, line %d: unknown key %q (see kiosk --help)", path, line, key)
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
				return nil, fmt.Errorf("%s: %v", where, err)
			}
		}
		origins[name] = where
	}
	return origins, nil
}

// readConfig reads the config file, refusing one larger than maxConfigBytes.
func readConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("larger than %d KiB: is it the right file?", maxConfigBytes>>10)
	}
	return data, nil
}

// keyLine finds the line where a top-level key is set (0 when not found).
func keyLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		k, _, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return i + 1
		}
	}
	return 0
}
