package importer

import (
	"errors"
	"fmt"
	"sort"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
)

// checkSignature applies the kiosk's signature policy to p. It reports
// whether the pack counts as signed (its signature verified with a trusted
// key) and the problems that refuse it.
func checkSignature(p *pack.Pack, opt Options) (bool, pack.Problems) {
	sigProblem := func(format string, args ...any) pack.Problems {
		return pack.Problems{{File: pack.SignatureFile, Index: -1, Msg: fmt.Sprintf(format, args...)}}
	}
	if p.Signature == nil {
		if opt.RequireSigned {
			return false, sigProblem("missing: this kiosk accepts only signed packs (sign it with: kiosk pack sign PACK)")
		}
		return false, nil
	}
	if len(opt.Trusted) == 0 {
		if opt.RequireSigned {
			return false, sigProblem("cannot be checked: no trusted public keys are configured (give one with --trusted-key, or trusted_key = [...] in the config file)")
		}
		opt.Logger.Warn("pack signature not checked: no trusted keys are configured; the pack counts as unsigned", "pack", p.Name)
		return false, nil
	}
	id, err := sign.Verify(opt.Trusted, p.ManifestBytes, p.Signature)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, sign.ErrUntrusted) || errors.Is(err, sign.ErrMismatch) || errors.Is(err, sign.ErrMalformed) {
			msg = trimFilePrefix(msg)
		}
		return false, sigProblem("%s", msg)
	}
	if probs := unlistedFiles(p.Manifest); len(probs) > 0 {
		return false, probs
	}
	opt.Logger.Info("pack signature verified", "pack", p.Manifest.ID, "key", id)
	return true, nil
}

// unlistedFiles finds photos a signed pack does not list with a hash: the
// signature would not cover them.
func unlistedFiles(m *pack.Manifest) pack.Problems {
	seen := map[string]bool{}
	var probs pack.Problems
	for i, person := range m.People {
		if person.Photo == "" || m.Files[person.Photo] != "" || seen[person.Photo] {
			continue
		}
		seen[person.Photo] = true
		probs = append(probs, pack.Problem{
			File: pack.ManifestFile, Index: i, PersonID: person.ID, Field: "photo",
			Msg: fmt.Sprintf("%s has no sha256 in files; a signed pack must list every file so the signature covers it", person.Photo),
		})
	}
	sort.SliceStable(probs, func(a, b int) bool { return probs[a].Index < probs[b].Index })
	return probs
}

func trimFilePrefix(msg string) string {
	const prefix = pack.SignatureFile + ": "
	if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		return msg[len(prefix):]
	}
	return msg
}
