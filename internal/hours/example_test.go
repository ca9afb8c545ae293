package hours_test

import (
	"fmt"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/hours"
)

func ExampleParse() {
	s, err := hours.Parse("Mo-Fr 10:00-19:00; Sa 11:00-17:00; closed 2026-12-25")
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, 12, 4, 18, 30, 0, 0, time.UTC)
	fmt.Println(s.Open(friday), s.NextChange(friday).Format("Mon 15:04"))
	_, err = hours.Parse("Mo-Fr 10:00-19:00; Sa 11:00-1700")
	fmt.Println(err)
	// Output:
	// true Fri 19:00
	// opening hours "Mo-Fr 10:00-19:00; Sa 11:00-1700": column 29: want a closing time (HH:MM, e.g. 19:00); found "1700"
}

func ExampleKeeper() {
	k := hours.NewKeeper(hours.MustParse("Mo-Fr 10:00-19:00"))
	night := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	fmt.Println(k.State(night))
	k.Wake(night) // a key
	fmt.Println(k.State(night.Add(5*time.Minute)), k.State(night.Add(hours.WakeFor)))
	// Output:
	// asleep
	// woken asleep
}
