// Package assets embeds what ships inside the kiosk binary: the demo pack
// and the application icon.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demo embed.FS

// Icon is the application icon (PNG, 256×256).
//
//go:embed icon.png
var Icon []byte

// DemoPack is the built-in demo pack as a folder (pack.json at its root).
func DemoPack() fs.FS {
	sub, err := fs.Sub(demo, "demo")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}
