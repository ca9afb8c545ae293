package pack

import "github.com/solidarity-kiosk/kiosk/internal/problems"

// Limits of pack.json. The format fixes the size of the file and the number
// of people; the others are the kiosk's, generous for any real pack and
// small enough that no manifest, however it is made, costs more than a
// bounded amount of time and memory to read (docs/PACK-DECISIONS.md,
// "Limits"). Passing any of them refuses the manifest with a problem naming
// the field, and the line and column.
const (
	// MaxManifestBytes is the largest pack.json, from the format.
	MaxManifestBytes = 16 << 20
	// MaxDepth is how deeply objects and lists may nest, the manifest
	// itself being level 1; the format needs 5 (a facility's name inside a
	// person inside people).
	MaxDepth = 10
	// MaxStringBytes is the longest text value, in bytes once decoded. The
	// longest the format allows is a bio of 2,000 characters, at most
	// 8,000 bytes; a text up to 8 times that long is reported with its
	// field's own limit, as a mistake, rather than refused outright.
	MaxStringBytes = 64 << 10
	// MaxKeyBytes is the longest key; the longest the format has are paths
	// in files, at most 255 characters.
	MaxKeyBytes = 1024
	// MaxNumberBytes is the longest number as written.
	MaxNumberBytes = 32
	// MaxKeys is the most keys of one object with fixed fields (a person,
	// a link, the manifest), unknown keys included.
	MaxKeys = 100
	// MaxElements is the most entries of a list or object the format says
	// nothing about (under an unknown key).
	MaxElements = 10_000
	// MaxLanguages is the most entries of languages, of a letter rule's
	// languages, and of the languages of one text.
	MaxLanguages = 100
	// MaxLinkHosts is the most entries of allowed_link_hosts.
	MaxLinkHosts = 1_000
	// MaxStats is the most ticker figures.
	MaxStats = 100
	// MaxActions is the most pack-wide actions.
	MaxActions = 100
	// MaxDays is the most days that matter a pack may add: one for every
	// day of the year and as many again.
	MaxDays = 732
	// MaxLetterRules is the most countries in letter_rules.
	MaxLetterRules = 300
	// MaxFiles is the most entries of files: a photo for every person and
	// as many again.
	MaxFiles = 2 * MaxPeople
	// MaxCharges is the most charges of one person.
	MaxCharges = 100
	// MaxLinks is the most links of one person.
	MaxLinks = 50
	// MaxProblems is the most problems a check lists; the rest are counted
	// in one last line, "… and N more problems".
	MaxProblems = problems.Max
)

// Limits of a pack zip's central directory, checked before archive/zip
// reads it: the directory is held in memory whole.
const (
	// MaxZipDirectoryBytes is the largest central directory; 100,000
	// entries with names of 100 bytes take about 15 MiB.
	MaxZipDirectoryBytes = 16 << 20
	// MaxEntryNameBytes is the longest entry name: a path of the pack
	// (at most 255 characters) in a top folder.
	MaxEntryNameBytes = 1024
	// MaxCompressionRatio is how many times its stored size an entry of
	// more than 1 MiB may unpack to. Photos barely compress and a
	// manifest about 10 times; a zip bomb compresses a thousand times.
	MaxCompressionRatio = 100
)

// ZipSlack is what a zip may hold beyond MaxTotalBytes of content: its
// headers and central directory.
const ZipSlack = 2*MaxZipDirectoryBytes + 64<<10
