//go:build !race

package imageprep

// raceDetector tells whether the tests run under -race.
const raceDetector = false
