package sign

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/solidarity-kiosk/kiosk/internal/regfile"
)

// Limits of the files this package reads. A signature comes with a pack,
// from anyone; key files are named by the operator, but a wrong path (a
// device, a pipe, a disk image) must not hang or exhaust the kiosk either.
const (
	// MaxSignatureFileBytes is the largest signature file: two comments
	// of at most MaxUntrustedCommentBytes and MaxTrustedCommentBytes, two
	// lines of base64 and their prefixes fit with room to spare.
	MaxSignatureFileBytes = 16 << 10
	// MaxKeyFileBytes is the largest public or secret key file: a comment
	// and one line of base64 of at most 212 characters.
	MaxKeyFileBytes = 8 << 10
	// MaxUntrustedCommentBytes is the longest untrusted comment, after
	// "untrusted comment: ", in a signature or key file; the minisign
	// tool reads lines of at most 1,024 bytes.
	MaxUntrustedCommentBytes = 1024
	// MaxTrustedCommentBytes is the longest trusted comment, after
	// "trusted comment: "; the minisign tool writes at most 8,192 bytes.
	MaxTrustedCommentBytes = 8192
)

// ReadKeyFile reads a minisign key file of at most MaxKeyFileBytes. It
// refuses anything but a regular file (a pipe would block, a device never
// end) and reads no more than the limit.
func ReadKeyFile(path string) ([]byte, error) {
	return readSmallFile(path, MaxKeyFileBytes, "a minisign key file")
}

// readSmallFile reads a regular file of at most limit bytes.
func readSmallFile(path string, limit int64, what string) ([]byte, error) {
	data, err := regfile.Read(path, limit)
	switch {
	case errors.Is(err, regfile.ErrNotRegular):
		return nil, fmt.Errorf("%w (want %s)", err, what)
	case errors.Is(err, regfile.ErrTooLarge):
		return nil, fmt.Errorf("%s: larger than %d bytes; %s is much smaller", path, limit, what)
	}
	return data, err
}

// commentProblem says why the comment lines of a signature or key file
// are too long to be minisign's, or "". Only lines starting with a
// comment prefix are measured; everything else is minisign's to judge.
func commentProblem(text []byte) string {
	for len(text) > 0 {
		line, rest, _ := bytes.Cut(text, []byte("\n"))
		text = rest
		line = bytes.TrimRight(line, "\r")
		for _, c := range []struct {
			prefix string
			max    int
		}{{"untrusted comment: ", MaxUntrustedCommentBytes}, {"trusted comment: ", MaxTrustedCommentBytes}} {
			if bytes.HasPrefix(line, []byte(c.prefix)) {
				if n := len(line) - len(c.prefix); n > c.max {
					return fmt.Sprintf("its %s is %d bytes long; the limit is %d", c.prefix[:len(c.prefix)-2], n, c.max)
				}
			}
		}
	}
	return ""
}
