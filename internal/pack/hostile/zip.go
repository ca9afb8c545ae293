package hostile

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// zipEntry is one entry as it is written, headers free to lie.
type zipEntry struct {
	name   string
	data   []byte // the stored bytes
	method uint16
	crc    uint32
	usize  uint64 // declared uncompressed size
	csize  uint64 // declared compressed size
	mode   fs.FileMode
	// sameAs, when > 0, points this entry's directory record at the
	// local header of entry sameAs-1, writing no local header of its own.
	sameAs int
}

// stored is an entry kept as is.
func stored(name string, data []byte) zipEntry {
	return zipEntry{name: name, data: data, crc: crc32.ChecksumIEEE(data), usize: uint64(len(data)), csize: uint64(len(data))}
}

// deflated is an entry compressed with deflate.
func deflated(name string, data []byte) zipEntry {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	_, _ = w.Write(data)
	_ = w.Close()
	return zipEntry{name: name, data: b.Bytes(), method: 8, crc: crc32.ChecksumIEEE(data), usize: uint64(len(data)), csize: uint64(b.Len())}
}

// zipLayout is how the end of the zip is written.
type zipLayout struct {
	records int64 // the count the end record declares; 0: the real one
	dirSize int64 // the directory size it declares; 0: the real one
	zip64   bool  // write the zip64 end record and locator
	comment string
}

// buildZip writes the entries, their directory and its end record.
func buildZip(entries []zipEntry, l zipLayout) []byte {
	var out bytes.Buffer
	le := binary.LittleEndian
	u16 := func(v uint16) { _ = binary.Write(&out, le, v) }
	u32 := func(v uint32) { _ = binary.Write(&out, le, v) }
	u64 := func(v uint64) { _ = binary.Write(&out, le, v) }
	clamp := func(v uint64) uint32 { return uint32(min(v, 0xffffffff)) }
	offsets := make([]uint32, len(entries))
	for i, e := range entries {
		if e.sameAs > 0 {
			offsets[i] = offsets[e.sameAs-1]
			continue
		}
		offsets[i] = uint32(out.Len())
		u32(0x04034b50)
		u16(20)
		u16(0x800)
		u16(e.method)
		u16(0)
		u16(0x21)
		u32(e.crc)
		u32(clamp(e.csize))
		u32(clamp(e.usize))
		u16(uint16(len(e.name)))
		u16(0)
		out.WriteString(e.name)
		out.Write(e.data)
	}
	dirStart := out.Len()
	for i, e := range entries {
		var extra []byte
		var big []uint64 // zip64 sizes, in this order, of those past 32 bits
		if e.usize >= 0xffffffff {
			big = append(big, e.usize)
		}
		if e.csize >= 0xffffffff {
			big = append(big, e.csize)
		}
		if len(big) > 0 {
			extra = le.AppendUint16(extra, 1)
			extra = le.AppendUint16(extra, uint16(8*len(big)))
			for _, v := range big {
				extra = le.AppendUint64(extra, v)
			}
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		u32(0x02014b50)
		u16(3<<8 | 20) // made on Unix, so the mode below counts
		u16(20)
		u16(0x800)
		u16(e.method)
		u16(0)
		u16(0x21)
		u32(e.crc)
		u32(clamp(e.csize))
		u32(clamp(e.usize))
		u16(uint16(len(e.name)))
		u16(uint16(len(extra)))
		u16(0)
		u16(0)
		u16(0)
		u32(unixMode(mode) << 16)
		u32(offsets[i])
		out.WriteString(e.name)
		out.Write(extra)
	}
	dirSize := int64(out.Len() - dirStart)
	if l.dirSize != 0 {
		dirSize = l.dirSize
	}
	records := int64(len(entries))
	if l.records != 0 {
		records = l.records
	}
	if l.zip64 {
		end64 := out.Len()
		u32(0x06064b50)
		u64(44)
		u16(45)
		u16(45)
		u32(0)
		u32(0)
		u64(uint64(records))
		u64(uint64(records))
		u64(uint64(dirSize))
		u64(uint64(dirStart))
		u32(0x07064b50)
		u32(0)
		u64(uint64(end64))
		u32(1)
	}
	u32(0x06054b50)
	u16(0)
	u16(0)
	r16 := uint16(records)
	if l.zip64 {
		r16 = 0xffff
	}
	u16(r16)
	u16(r16)
	u32(uint32(dirSize))
	u32(uint32(dirStart))
	u16(uint16(len(l.comment)))
	out.WriteString(l.comment)
	return out.Bytes()
}

// unixMode is the st_mode of a file mode, as zip's external attributes hold it.
func unixMode(m fs.FileMode) uint32 {
	perm := uint32(m.Perm())
	switch {
	case m&fs.ModeDir != 0:
		return 0o040000 | perm
	case m&fs.ModeSymlink != 0:
		return 0o120000 | perm
	case m&fs.ModeCharDevice != 0:
		return 0o020000 | perm
	case m&fs.ModeDevice != 0:
		return 0o060000 | perm
	case m&fs.ModeNamedPipe != 0:
		return 0o010000 | perm
	}
	return 0o100000 | perm
}

// zipCase is a pack zip made of entries.
func zipCase(name string, exit int, want, avoid string, make func() []byte) Case {
	c := Case{Name: name, Command: Verify, Args: []string{"$D/" + name + ".zip"}, Exit: exit, Want: want, Avoid: avoid}
	c.write = file(name+".zip", make)
	return c
}

// withManifest is a valid pack's manifest followed by more entries.
func withManifest(more ...zipEntry) []zipEntry {
	return append([]zipEntry{deflated(pack.ManifestFile, manifest("", person(0, "")))}, more...)
}

// junk is n empty entries the manifest does not name.
func junk(n int, prefix string) []zipEntry {
	es := make([]zipEntry, n)
	for i := range es {
		es[i] = stored(fmt.Sprintf("%s%07d", prefix, i), nil)
	}
	return es
}

func zipCases() []Case {
	lim := pack.DefaultLimits()
	photoRef := `,"photo":"photos/p.jpg"`
	return []Case{
		zipCase("zip-valid", 0, "", "", func() []byte { return buildZip(withManifest(), zipLayout{}) }),
		zipCase("zip-entries-at-limit", 0, "", "", func() []byte {
			return buildZip(withManifest(junk(lim.MaxEntries-1, "junk/")...), zipLayout{zip64: true})
		}),
		zipCase("zip-entries-over-limit", 1, fmt.Sprintf("declares %d entries; the limit is %d", lim.MaxEntries+1, lim.MaxEntries), "", func() []byte {
			return buildZip(withManifest(junk(lim.MaxEntries, "junk/")...), zipLayout{zip64: true})
		}),
		// The end record's count is 16 bits; archive/zip reads entries
		// until one is not an entry, whatever the count says.
		zipCase("zip-entries-wrapped-count", 1, fmt.Sprintf("has more than %d entries; the limit is %d", lim.MaxEntries, lim.MaxEntries), "", func() []byte {
			return buildZip(withManifest(junk(2*65536, "j")...), zipLayout{})
		}),
		zipCase("zip-declares-billion-entries", 1, "declares 1000000000 entries; the limit is 100000", "", func() []byte {
			return buildZip(withManifest(), zipLayout{records: 1_000_000_000, zip64: true})
		}),
		zipCase("zip-directory-over-limit", 1, fmt.Sprintf("its central directory is %d bytes; the limit is %d", 17_000*(46+1000)+(46+9), pack.MaxZipDirectoryBytes), "", func() []byte {
			return buildZip(withManifest(junk(17_000, strings.Repeat("n", 993))...), zipLayout{})
		}),
		zipCase("zip-directory-lies", 1, fmt.Sprintf("its central directory is more than %d bytes", pack.MaxZipDirectoryBytes), "", func() []byte {
			return buildZip(withManifest(junk(17_000, strings.Repeat("n", 993))...), zipLayout{dirSize: 100})
		}),
		zipCase("zip-huge-declared-size", 1, fmt.Sprintf(`entry "junk": unpacks to %d bytes; the limit per file is %d`, uint64(1)<<62, lim.MaxFileBytes), "", func() []byte {
			e := stored("junk", []byte("x"))
			e.usize = 1 << 62
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-huge-compressed-size", 1, `entry "junk": declares 4611686018427387904 stored bytes in a zip of`, "", func() []byte {
			e := stored("junk", []byte("x"))
			e.csize = 1 << 62
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-folder-with-size", 1, `entry "photos/": is a folder that declares 1073741824 bytes of content`, "", func() []byte {
			e := stored("photos/", nil)
			e.mode, e.usize = fs.ModeDir|0o755, 1<<30
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-bomb", 1, `entry "photos/p.jpg": unpacks 62914560 bytes from`, "", func() []byte {
			return buildZip([]zipEntry{
				deflated(pack.ManifestFile, manifest("", person(0, photoRef))),
				deflated("photos/p.jpg", make([]byte, 60<<20)),
			}, zipLayout{})
		}),
		zipCase("zip-ratio-at-limit", 0, "", "", func() []byte {
			e := stored("junk", make([]byte, 20_000))
			e.usize = pack.MaxCompressionRatio * 20_000
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-ratio-over-limit", 1, fmt.Sprintf(`entry "junk": unpacks 2020000 bytes from 20000, more than %d times its size (a zip bomb?)`, pack.MaxCompressionRatio), "", func() []byte {
			e := stored("junk", make([]byte, 20_000))
			e.usize = (pack.MaxCompressionRatio + 1) * 20_000
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-overlapping", 1, `entry "junk": shares its stored bytes with "pack.json" (a zip bomb?)`, "", func() []byte {
			es := withManifest()
			e := es[0]
			e.name, e.sameAs = "junk", 1
			return buildZip(append(es, e), zipLayout{})
		}),
		zipCase("zip-lying-manifest-size", 1, "inflates to more than its header says (a zip bomb?)", "", func() []byte {
			e := deflated(pack.ManifestFile, append(manifest("", person(0, "")), strings.Repeat(" ", 1<<20)...))
			e.usize = 10
			return buildZip([]zipEntry{e}, zipLayout{})
		}),
		zipCase("zip-deep-manifest", 1, "nested too deeply (more than 10 levels) at line 1, column 11", "", func() []byte {
			return buildZip([]zipEntry{deflated(pack.ManifestFile, []byte(strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)))}, zipLayout{})
		}),
		zipCase("zip-manifest-over-16mib", 1, "pack.json: larger than the limit of 16777216 bytes", "", func() []byte {
			return buildZip([]zipEntry{stored(pack.ManifestFile, append(manifest("", person(0, "")), strings.Repeat(" ", pack.MaxManifestBytes)...))}, zipLayout{})
		}),
		zipCase("zip-name-at-limit", 0, "", "", func() []byte {
			return buildZip(withManifest(stored(strings.Repeat("n", pack.MaxEntryNameBytes), nil)), zipLayout{})
		}),
		zipCase("zip-name-over-limit", 1, fmt.Sprintf("the name is %d bytes long; the limit is %d", pack.MaxEntryNameBytes+1, pack.MaxEntryNameBytes), "", func() []byte {
			return buildZip(withManifest(stored(strings.Repeat("n", pack.MaxEntryNameBytes+1), nil)), zipLayout{})
		}),
		zipCase("zip-name-dotdot", 1, `entry "../../evil": name escapes the pack`, "", func() []byte {
			return buildZip(withManifest(stored("../../evil", []byte("x"))), zipLayout{})
		}),
		zipCase("zip-name-absolute", 1, `entry "/etc/cron.d/evil": has an absolute path`, "", func() []byte {
			return buildZip(withManifest(stored("/etc/cron.d/evil", []byte("x"))), zipLayout{})
		}),
		zipCase("zip-name-drive", 1, `entry "C:/evil": has an absolute path`, "", func() []byte {
			return buildZip(withManifest(stored("C:/evil", []byte("x"))), zipLayout{})
		}),
		zipCase("zip-name-backslash", 1, `uses \ in its name`, "", func() []byte {
			return buildZip(withManifest(stored(`..\evil`, []byte("x"))), zipLayout{})
		}),
		zipCase("zip-name-control", 1, `has a control character in its name`, "", func() []byte {
			return buildZip(withManifest(stored("photos/\x1b[2J\x00.jpg", []byte("x"))), zipLayout{})
		}),
		zipCase("zip-name-invalid-utf8", 0, "", "", func() []byte {
			return buildZip(withManifest(stored("photos/\xff\xfe.jpg", []byte("x"))), zipLayout{})
		}),
		zipCase("zip-name-duplicate", 1, `entry "PACK.JSON": has the same name as "pack.json"`, "", func() []byte {
			return buildZip(withManifest(stored("PACK.JSON", []byte("{}"))), zipLayout{})
		}),
		zipCase("zip-symlink", 1, `entry "photos/p.jpg": is a symlink`, "", func() []byte {
			e := stored("photos/p.jpg", []byte("/etc/passwd"))
			e.mode = fs.ModeSymlink | 0o777
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-device", 1, `entry "photos/p.jpg": is not a regular file`, "", func() []byte {
			e := stored("photos/p.jpg", nil)
			e.mode = fs.ModeDevice | fs.ModeCharDevice | 0o644
			return buildZip(withManifest(e), zipLayout{})
		}),
		zipCase("zip-comment-at-limit", 0, "", "", func() []byte {
			return buildZip(withManifest(), zipLayout{comment: strings.Repeat("c", 65535)})
		}),
		zipCase("zip-not-a-zip", 1, "not a readable zip file", "", func() []byte {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i*13 + 1)
			}
			return append([]byte("PK\x03\x04"), b...)
		}),
		zipCase("zip-empty-file", 1, "not a readable zip file", "", func() []byte { return nil }),
		zipCase("zip-no-entries", 1, "no pack.json in the pack", "", func() []byte { return buildZip(nil, zipLayout{}) }),
		{
			Name: "zip-over-size-limit", Command: Verify, Args: []string{"$D/zip-over-size-limit.zip"}, Exit: 1,
			Want: fmt.Sprintf("the zip is %d bytes; a pack zip is at most", lim.MaxTotalBytes+pack.ZipSlack+1),
			write: func(dir string) error { // sparse: takes no room on disk
				f, err := os.Create(filepath.Join(dir, "zip-over-size-limit.zip"))
				if err != nil {
					return err
				}
				if err := f.Truncate(lim.MaxTotalBytes + pack.ZipSlack + 1); err != nil {
					f.Close()
					return err
				}
				return f.Close()
			},
		},
		{
			Name: "pipe-as-pack", Command: Verify, Args: []string{"$D/pipe-as-pack.zip"}, Exit: 1,
			Want:  "not a regular file: a pack is a folder or a .zip",
			write: func(dir string) error { return mkfifo(filepath.Join(dir, "pipe-as-pack.zip")) },
		},
	}
}
