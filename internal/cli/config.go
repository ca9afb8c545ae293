package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/solidarity-kiosk/kiosk/internal/regfile"
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
// With lenient (the pack subcommands), keys of the show's that the command
// has no flag for are skipped: the file is the show's. A key that is
// nobody's is an error everywhere, with the closest key there is.
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
		line := keyLine(data, key)
		where := fmt.Sprintf("config %s, line %d: %s", path, line, key)
		if !slices.Contains(configKeys(), key) {
			return nil, fmt.Errorf("config %s, line %d: unknown key %q%s", path, line, key, didYouMean(key))
		}
		if fset.Lookup(name) == nil && lenient {
			continue
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
// Only a regular file is read: a FIFO or a device is refused at once.
func readConfig(path string) ([]byte, error) {
	data, err := regfile.Read(path, maxConfigBytes)
	if errors.Is(err, regfile.ErrTooLarge) {
		return nil, fmt.Errorf("larger than %d KiB: is it the right file?", maxConfigBytes>>10)
	}
	return data, err
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

// notInConfig are the show's flags that make no sense in the config file.
var notInConfig = []string{"config", "version"}

// configKeys are the keys the config file may hold: the show's flags, with
// _ for -, sorted.
var configKeys = sync.OnceValue(func() []string {
	fs, _ := newShowFlags()
	var keys []string
	fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(notInConfig, f.Name) {
			keys = append(keys, strings.ReplaceAll(f.Name, "-", "_"))
		}
	})
	return keys
})

// didYouMean names the known key closest to an unknown one, when one is
// close enough to be what was meant (trusted_keys: trusted_key), and else
// where the keys are listed.
func didYouMean(key string) string {
	best, dist := "", 1<<30
	for _, k := range configKeys() {
		if d := editDistance(key, k); d < dist {
			best, dist = k, d
		}
	}
	if dist <= max(2, len(key)/3) {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return " (the keys are the flags kiosk --help lists, with _ for -)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
