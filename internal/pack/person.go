package pack

import (
	"fmt"
	"strings"
)

func (v *validator) people() {
	m := v.m
	if len(m.People) == 0 {
		v.add("people", "missing: a pack holds 1 to 10,000 people")
	}
	if len(m.People) > MaxPeople {
		v.add("people", fmt.Sprintf("%d people; a pack holds at most %d", len(m.People), MaxPeople))
	}
	firstIndex := map[string]int{}
	for i := range m.People {
		if i&255 == 255 && v.ctx.Err() != nil {
			v.probs = append(v.probs, stopped(v.ctx))
			return
		}
		pv := personValidator{v: v, i: i, p: &m.People[i]}
		pv.check()
		id := m.People[i].ID
		if j, dup := firstIndex[id]; dup && id != "" {
			pv.add("id", fmt.Sprintf("%q is used by people[%d] too; ids must be unique", id, j))
		} else {
			firstIndex[id] = i
		}
	}
}

// personValidator checks one person; its problems name the person.
type personValidator struct {
	v *validator
	i int
	p *Person
}

func (pv personValidator) add(field, msg string) {
	if msg != "" {
		pv.v.record(Problem{File: ManifestFile, Index: pv.i, PersonID: pv.p.ID, Field: field, Msg: msg})
	}
}

func (pv personValidator) check() {
	p, latest := pv.p, pv.v.latest
	pv.add("id", checkID(p.ID))
	pv.add("name", required(p.Name.empty(), pv.v.text(p.Name, maxName)))
	pv.add("country", checkCountry(p.Country))
	if !statuses[p.Status] {
		pv.add("status", required(p.Status == "", fmt.Sprintf("%q is not one of %s", p.Status, strings.Join(StatusKeys(), ", "))))
	}
	if p.Gender != "" && p.Gender != GenderFemale && p.Gender != GenderMale {
		pv.add("gender", fmt.Sprintf("%q is not one of female, male (leave it out when not known)", clip(p.Gender, 100)))
	}
	if p.Contact != "" && !contacts[p.Contact] {
		pv.add("contact", fmt.Sprintf("%q is not one of open, restricted, none", p.Contact))
	}
	if p.Weight != nil && (*p.Weight < 0.1 || *p.Weight > 10) {
		pv.add("weight", fmt.Sprintf("%g is outside 0.1 to 10", *p.Weight))
	}
	pv.dates(latest)
	pv.texts()
	pv.photo()
	pv.links()
}

func (pv personValidator) dates(latest string) {
	p := pv.p
	if p.Born != "" {
		pv.add("born", checkBorn(p.Born, latest))
	}
	for _, d := range []struct{ field, val string }{
		{"arrested", p.Arrested}, {"released", p.Released}, {"died", p.Died}, {"verified", p.Verified},
	} {
		if d.val != "" {
			pv.add(d.field, checkDate(d.val, latest))
		}
	}
	ok := func(s string) bool { return s != "" && checkDate(s, "") == "" }
	if ok(p.Arrested) && ok(p.Released) && p.Released < p.Arrested {
		pv.add("released", fmt.Sprintf("%q is before the arrest on %q", p.Released, p.Arrested))
	}
	if ok(p.Arrested) && ok(p.Died) && p.Died < p.Arrested {
		pv.add("died", fmt.Sprintf("%q is before the arrest on %q", p.Died, p.Arrested))
	}
	// Nothing happened after the record was last checked.
	if ok(p.Verified) {
		for _, d := range []struct{ field, val, what string }{
			{"arrested", p.Arrested, "arrest"}, {"released", p.Released, "release"}, {"died", p.Died, "death"},
		} {
			if ok(d.val) && d.val > p.Verified {
				pv.add(d.field, fmt.Sprintf("%q is after the record was verified on %q: a record checked then cannot know of a later %s (fix the date, or verified)", d.val, p.Verified, d.what))
			}
		}
	}
	// Nobody is arrested, released or dies before being born.
	if born := bornBound(p.Born); born != "" {
		for _, d := range []struct{ field, val, what string }{
			{"arrested", p.Arrested, "arrest"}, {"released", p.Released, "release"}, {"died", p.Died, "death"},
		} {
			if ok(d.val) && d.val[:len(born)] < born {
				pv.add("born", fmt.Sprintf("%q is after the %s on %q", p.Born, d.what, d.val))
				break
			}
		}
	}
	// A release or a death is not the status of someone still held in a
	// facility (house arrest may follow a release from prison).
	held := p.Status == StatusInCustody || p.Status == StatusPretrial
	if held && p.Released != "" {
		pv.add("released", fmt.Sprintf("%q is given, but the status is %s: remove the release date, or set the status to released", p.Released, p.Status))
	}
	if held && p.Died != "" {
		pv.add("died", fmt.Sprintf("%q is given, but the status is %s: remove the date of death, or set the status to died_in_custody (or released, for a death after release)", p.Died, p.Status))
	}
}

// bornBound is the part of a born value other dates are compared with: the
// date, or the year; "" for a birthday without a year or a value that is
// not valid (reported already).
func bornBound(born string) string {
	switch {
	case len(born) == 4 && checkBorn(born, "9999") == "":
		return born
	case isDate(born) && born >= EarliestDate:
		return born
	}
	return ""
}

func (pv personValidator) texts() {
	p := pv.p
	pv.add("sentence", pv.v.text(p.Sentence, maxSentence))
	pv.add("occupation", pv.v.text(p.Occupation, maxOccupation))
	pv.add("bio", pv.v.text(p.Bio, maxBio))
	pv.add("photo_credit", checkString(p.PhotoCredit, maxShort))
	for i, c := range p.Charges {
		f := fmt.Sprintf("charges[%d]", i)
		pv.add(f+".code", checkString(c.Code, maxCode))
		pv.add(f+".label", required(c.Label.empty() && c.Code == "", pv.v.text(c.Label, maxLabel)))
	}
	if p.Facility != nil {
		pv.add("facility.name", pv.v.text(p.Facility.Name, maxName))
		pv.add("facility.address", checkString(p.Facility.Address, maxAddress))
	}
	if p.Source != nil {
		pv.add("source.name", required(p.Source.Name == "", checkString(p.Source.Name, maxShort)))
		if p.Source.URL != "" {
			pv.add("source.url", checkURL(p.Source.URL, false))
		}
	}
}

func (pv personValidator) photo() {
	p := pv.p
	if p.Photo == "" {
		return
	}
	if msg := checkPhotoPath(p.Photo); msg != "" {
		pv.add("photo", msg)
		return
	}
	if files := pv.v.m.Files; len(files) > 0 {
		if _, listed := files[p.Photo]; !listed {
			pv.add("photo", fmt.Sprintf("%q is not listed in files; list the sha256 of every photo", p.Photo))
		}
	}
}

func (pv personValidator) links() {
	for i, l := range pv.p.Links {
		f := fmt.Sprintf("links[%d]", i)
		if !linkKinds[l.Kind] {
			pv.add(f+".kind", fmt.Sprintf("%q is not one of letter, petition, profile, donate, other", l.Kind))
		}
		pv.add(f+".url", required(l.URL == "", checkLink(l.URL, pv.v.m.AllowedLinkHosts)))
	}
}
