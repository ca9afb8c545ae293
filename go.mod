module github.com/solidarity-kiosk/kiosk

go 1.26.8

require (
	fyne.io/fyne/v2 v2.7.2 // indirect
	github.com/disintegration/imaging v1.6.2 // indirect
	github.com/skip2/go-qrcode v0.0.0-20200617195104-da1b6568686e // indirect
	go.etcd.io/bbolt v1.4.3 // indirect
	golang.org/x/image v0.47.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
