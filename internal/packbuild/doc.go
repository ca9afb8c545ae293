// Package packbuild turns a spreadsheet (CSV) and a folder of photos into a
// portrait pack zip (docs/PACK-FORMAT.md, "Spreadsheets"). It reads two
// header families: the kiosk's own column names (the person fields of the
// format, with .xx language suffixes) and the export of the Viasna political
// prisoners list, with English, Russian or Belarusian headers.
//
// Map is the pure part: CSV bytes to a manifest, with a problem for every
// cell it cannot use. Build adds the photos, reports what did not match and
// writes the zip atomically.
package packbuild
