// Package pack reads and checks portrait packs, format version 1
// (docs/PACK-FORMAT.md): the manifest types, a validator that reports every
// problem at once naming the file, the person and the field, and readers for
// a pack folder and a pack zip that enforce the format's limits while reading.
package pack

// Format is the pack format version this kiosk reads.
const Format = 1

// MaxPeople is the most people one pack may hold.
const MaxPeople = 10_000

// Limits bound what is read from a pack.
type Limits struct {
	MaxManifestBytes int64 // pack.json
	MaxFileBytes     int64 // any other file
	MaxTotalBytes    int64 // a zip's uncompressed total
	MaxPeople        int
	MaxEntries       int // entries in a zip
}

// DefaultLimits are the pack format's limits.
func DefaultLimits() Limits {
	return Limits{
		MaxManifestBytes: MaxManifestBytes,
		MaxFileBytes:     64 << 20,
		MaxTotalBytes:    4 << 30,
		MaxPeople:        MaxPeople,
		MaxEntries:       100_000,
	}
}
