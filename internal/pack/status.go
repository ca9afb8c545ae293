package pack

import "image/color"

// StatusInfo is what the kiosk knows of one person status. Validation,
// `pack build`, the slide's facts and its drawing all read this one table.
type StatusInfo struct {
	Key       string // the status as a pack writes it
	Detention bool   // days behind bars (or in detention) are counted
	Memorial  bool   // the person is shown in memoriam
	// Colour is the status line's colour on screen and on paper.
	Colour color.RGBA
	// Wording is the i18n key of the status line; Counter the key of the
	// days counter that follows it ("" for none).
	Wording, Counter string
	// Dated is the i18n key of the line when the date of the change is
	// known, read by Date from the person ("" for none).
	Dated string
	Date  func(p *Person) string
}

var (
	inCustodyRed = color.RGBA{0xFF, 0x8A, 0x80, 0xFF}
	grey         = color.RGBA{0xC8, 0xC8, 0xC8, 0xFF}
)

// Statuses are the person statuses of the pack format, in its order.
var Statuses = []StatusInfo{
	{Key: StatusInCustody, Detention: true, Colour: inCustodyRed, Wording: "status.in_custody", Counter: "days.behind_bars"},
	{Key: StatusPretrial, Detention: true, Colour: inCustodyRed, Wording: "status.pretrial", Counter: "days.behind_bars"},
	{Key: StatusHouseArrest, Detention: true, Colour: color.RGBA{0xFF, 0xAB, 0x76, 0xFF}, Wording: "status.house_arrest", Counter: "days.detention"},
	{
		Key: StatusReleased, Colour: color.RGBA{0x9C, 0xCC, 0x65, 0xFF}, Wording: "status.released",
		Dated: "status.released_on", Date: func(p *Person) string { return p.Released },
	},
	{
		Key: StatusDiedInCustody, Memorial: true, Colour: grey, Wording: "status.died",
		Dated: "status.died_on", Date: func(p *Person) string { return p.Died },
	},
	{Key: StatusUnknown, Colour: grey, Wording: "status.unknown"},
}

// StatusOf is the table's entry for status; ok is false for a status the
// format does not have (then the entry is StatusUnknown's).
func StatusOf(status string) (StatusInfo, bool) {
	for _, s := range Statuses {
		if s.Key == status {
			return s, true
		}
	}
	return Statuses[len(Statuses)-1], false
}

// StatusKeys are the statuses as a pack writes them, in the format's order.
func StatusKeys() []string {
	out := make([]string, len(Statuses))
	for i, s := range Statuses {
		out[i] = s.Key
	}
	return out
}
