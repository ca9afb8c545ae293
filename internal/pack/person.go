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
