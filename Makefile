# Solidarity Kiosk. The two commands for a fresh machine are `make demo` and
# `make test`; each installs the Debian packages it needs first.

GO        ?= go
BIN       ?= bin/kiosk
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOFUMPT     = mvdan.cc/gofumpt@v0.12.0
FUZZTIME  ?= 10s
# Packages that start goroutines; tested again under the race detector.
RACE_PKGS = ./internal/store/... ./internal/imageprep/... ./internal/importer/... ./internal/pack/... ./internal/ui/... ./internal/intake/... ./internal/fetch/... ./internal/director/... ./internal/studio/... ./internal/poster/...

export LANG ?= en_US.UTF-8

.PHONY: special-files qr-window-busy qr-window studio-window qr-figures mixed-run demo build test deps test-deps unit unit-pure race fuzz hostile lint cross dist dist-check emulated platforms bench bench-build import-while-showing wall-figures soak ttff release clean

## demo: build the kiosk and start it fullscreen on the built-in demo pack (a fresh cache in .demo/)
demo: deps build
	rm -rf .demo && mkdir -p .demo
	$(BIN) --cache .demo/cache.db

deps:
	scripts/install-deps.sh build

test-deps:
	scripts/install-deps.sh emulated

build:
	$(GO) build -o $(BIN) ./cmd/kiosk

## release: the build for kiosks (Fyne's thread checker off, see docs)
release:
	$(GO) build -tags migrated_fynedo -trimpath -o $(BIN) ./cmd/kiosk

## test: everything CI runs: vet, lint, unit tests (image tests on both JPEG/WebP paths), race detector, bounded fuzzing, hostile inputs, the three platforms (built, run under emulation, packaged and installed)
test: test-deps lint unit unit-pure race fuzz hostile special-files qr-window qr-window-busy studio-window platforms

unit:
	$(GO) vet -tags ci ./...
	$(GO) test -tags ci -count=1 ./...

## unit-pure: the image tests on the pure-Go JPEG and WebP path (the Windows build's)
unit-pure:
	$(GO) test -tags 'ci purejpeg purewebp' -count=1 ./internal/imageprep/...

race:
	$(GO) test -race -tags ci -count=1 $(RACE_PKGS)

fuzz:
	scripts/fuzz.sh $(FUZZTIME)

## hostile: the kiosk on every hostile input (internal/pack/hostile): each refused or accepted as it should within 10 s and 300 MB, and a signal ends a command within 1 s
hostile: build
	BIN=$(BIN) scripts/hostile.sh

lint:
	@out=$$($(GO) run $(GOFUMPT) -l cmd internal assets); if [ -n "$$out" ]; then echo "gofumpt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) -tags ci ./...

## cross: the kiosk for linux/amd64, linux/arm64 and windows/amd64 into bin/cross/ (Debian's cross compilers)
cross:
	scripts/install-deps.sh cross
	scripts/cross.sh

## dist: under dist/: .deb for amd64 and arm64, Linux tarballs, the Windows zip
dist: cross
	scripts/install-deps.sh dist
	scripts/dist.sh

## dist-check: the packages inspected (dpkg-deb --contents, lintian); the amd64 .deb installed here, run, removed
dist-check: dist
	scripts/dist-check.sh

## emulated: the arm64 build under qemu-user-static, the Windows build under Wine: pack commands answer as native; first slide on screen
emulated: cross
	scripts/install-deps.sh emulated
	scripts/emulated.sh

platforms: dist-check emulated

## bench: import throughput and peak memory against vipsthumbnail (prints figures)
bench:
	scripts/install-deps.sh bench
	scripts/bench-import.sh

## bench-build: pack build from a CSV of 400 people and the import of the result, against vipsthumbnail
bench-build:
	scripts/install-deps.sh bench
	scripts/bench-build.sh

## import-while-showing: slide intervals while a 100-photo pack imports in the running show
import-while-showing:
	scripts/install-deps.sh bench
	scripts/import-while-showing.sh

## wall-figures: CPU of the wall drift against a spotlight, memory with 400 and 5,000 people, the switch to the wall
wall-figures:
	scripts/install-deps.sh bench
	scripts/wall-figures.sh

## special-files: devices, FIFOs and folders as outputs, cache and config, in real processes (none replaced, moved or waited on); SIGTERM/SIGINT during pack sign and poster end within 1 s leaving no temporary file
special-files: build
	BIN=$(BIN) scripts/special-files.sh

## qr-window: the QR codes read off a real window under Xvfb on four screen shapes as a phone 3 m away reads them (zbar and ZXing-C++), and no code of someone not on screen through 50 transitions
qr-window: build
	BIN=$(BIN) scripts/qr-window.sh

## studio-window: the studio in a real window under Xvfb: a spreadsheet and its photos to a signed pack on a "USB stick", A4 placards and an import, then pack verify --require-signed accepts it
studio-window: build
	N=20 SIZE=1200x900 BIN=$(BIN) scripts/studio-window.sh

## qr-window-busy: the same while two other processes keep both cores busy (slides stay 6 s): frames are judged only once the window has finished drawing them
qr-window-busy: build
	BIN=$(BIN) scripts/qr-window.sh -busy 2 -dwell 6s -transitions 4 -shapes 1920x1080,3840x2160 -work .bench/qrwindow-busy

## qr-figures: per screen shape, the codes' size and module size and the smallest camera width that still reads both
qr-figures:
	scripts/qr-figures.sh

## mixed-run: the mixed mode for 10 minutes under Xvfb; fails on any Fyne call outside the UI goroutine
mixed-run:
	scripts/install-deps.sh test
	scripts/mixed-run.sh

## hours-figures: CPU while asleep outside opening hours (60 s under Xvfb) and the time from opening time to the first portrait
.PHONY: hours-figures
hours-figures:
	scripts/install-deps.sh bench
	scripts/hours-figures.sh

## soak: 1,000 transitions at 50 ms over 300 photos under Xvfb; memory and goroutines
soak:
	scripts/install-deps.sh bench
	scripts/soak.sh

## ttff: time to the first portrait on screen against feh -F (needs ../shared/tools/ttff)
ttff:
	scripts/install-deps.sh bench
	scripts/ttff.sh

clean:
	rm -rf bin .demo .bench dist
