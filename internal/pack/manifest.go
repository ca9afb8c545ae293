package pack

// Manifest is pack.json.
type Manifest struct {
	Format           int                   `json:"format"`
	ID               string                `json:"id"`
	Version          string                `json:"version"`
	Title            Text                  `json:"title"`
	Publisher        Publisher             `json:"publisher"`
	Published        string                `json:"published"`
	ReviewBy         string                `json:"review_by,omitempty"`
	Languages        []string              `json:"languages"`
	AllowedLinkHosts []string              `json:"allowed_link_hosts,omitempty"`
	Stats            []Stat                `json:"stats,omitempty"`
	Actions          []Action              `json:"actions,omitempty"`
	LetterRules      map[string]LetterRule `json:"letter_rules,omitempty"`
	Files            map[string]string     `json:"files,omitempty"`
	Days             []Day                 `json:"days,omitempty"`
	People           []Person              `json:"people"`
}

// Day is one of the pack's own days that matter, added to the kiosk's
// calendar: every year (Date "--MM-DD") or once ("YYYY-MM-DD").
type Day struct {
	Date   string   `json:"date"`
	Title  Text     `json:"title"`
	People []string `json:"people,omitempty"` // ids of the people featured that day
}

// Publisher is who made the pack.
type Publisher struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Stat is one ticker figure.
type Stat struct {
	Label     Text    `json:"label"`
	Value     float64 `json:"value"`
	AsOf      string  `json:"as_of"`
	Source    string  `json:"source"`
	SourceURL string  `json:"source_url,omitempty"`
}

// Action is a pack-wide QR target.
type Action struct {
	Kind  string `json:"kind"`
	URL   string `json:"url"`
	Label Text   `json:"label,omitempty"`
}

// LetterRule says how letters to prisoners in one country must be written.
type LetterRule struct {
	Languages []string `json:"languages,omitempty"`
	Note      Text     `json:"note,omitempty"`
}

// Person is one portrait.
type Person struct {
	ID          string    `json:"id"`
	Name        Text      `json:"name"`
	Country     string    `json:"country"`
	Photo       string    `json:"photo,omitempty"`
	PhotoCredit string    `json:"photo_credit,omitempty"`
	Status      string    `json:"status"`
	Born        string    `json:"born,omitempty"`
	Arrested    string    `json:"arrested,omitempty"`
	Released    string    `json:"released,omitempty"`
	Died        string    `json:"died,omitempty"`
	Sentence    Text      `json:"sentence,omitempty"`
	Charges     []Charge  `json:"charges,omitempty"`
	Occupation  Text      `json:"occupation,omitempty"`
	Facility    *Facility `json:"facility,omitempty"`
	Bio         Text      `json:"bio,omitempty"`
	Links       []Link    `json:"links,omitempty"`
	Consent     Consent   `json:"consent"`
	Contact     string    `json:"contact,omitempty"`
	Weight      *float64  `json:"weight,omitempty"`
	Verified    string    `json:"verified,omitempty"`
	Source      *Source   `json:"source,omitempty"`
	// Gender is the grammatical gender status lines use (GenderFemale,
	// GenderMale); "" words them so that they need none.
	Gender string `json:"gender,omitempty"`
}

// Grammatical genders of a person.
const (
	GenderFemale = "female"
	GenderMale   = "male"
)

// Charge is one article a person is charged under.
type Charge struct {
	Code  string `json:"code,omitempty"`
	Label Text   `json:"label"`
}

// Facility is where a person is held.
type Facility struct {
	Name    Text   `json:"name,omitempty"`
	Address string `json:"address,omitempty"` // verbatim, in its own script, for letters
}

// Link is a URL behind a QR code.
type Link struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// Source is where a record's facts come from.
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Consent is what the person (or their family) agreed may be shown; absent means yes.
type Consent struct {
	Photo   *bool `json:"photo,omitempty"`
	Address *bool `json:"address,omitempty"`
}

// PhotoAllowed reports whether the photo may be shown.
func (c Consent) PhotoAllowed() bool { return c.Photo == nil || *c.Photo }

// AddressAllowed reports whether the postal address may be shown or encoded.
func (c Consent) AddressAllowed() bool { return c.Address == nil || *c.Address }

// EffectiveWeight is the person's weight in the rotation, 1 when unset.
func (p *Person) EffectiveWeight() float64 {
	if p.Weight == nil {
		return 1
	}
	return *p.Weight
}

// Person statuses.
const (
	StatusInCustody     = "in_custody"
	StatusPretrial      = "pretrial"
	StatusHouseArrest   = "house_arrest"
	StatusReleased      = "released"
	StatusDiedInCustody = "died_in_custody"
	StatusUnknown       = "unknown"
)

// IsDetention reports whether days behind bars are counted for the status.
func IsDetention(status string) bool {
	s, _ := StatusOf(status)
	return s.Detention
}

// IsMemorial reports whether a person of the status is shown in memoriam.
func IsMemorial(status string) bool {
	s, _ := StatusOf(status)
	return s.Memorial
}

// Contact values.
const (
	ContactOpen       = "open"
	ContactRestricted = "restricted"
	ContactNone       = "none"
)

// PeopleByPhoto maps each photo path to the indexes of the people it portrays.
func PeopleByPhoto(m *Manifest) map[string][]int {
	out := map[string][]int{}
	for i, p := range m.People {
		if p.Photo != "" {
			out[p.Photo] = append(out[p.Photo], i)
		}
	}
	return out
}
