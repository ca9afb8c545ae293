package cli

import (
	"fmt"
	"log/slog"
)

// runPoster is `kiosk poster`: print-ready placards from a pack.
func runPoster(args []string, env Env, log *slog.Logger) int {
	_, _ = args, log
	fmt.Fprintln(env.Stderr, "kiosk poster: not built yet")
	return ExitUsage
}
