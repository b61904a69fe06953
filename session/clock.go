package session

import "time"

// Clock tells the time. Countdowns are deadlines on this clock. Tests use
// session/clocktest, which stands still until moved.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed on this
	// clock. stop cancels the call if it has not happened yet.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns the current time, rounded to strip the monotonic reading so
// that deadlines compare the same before and after a restart.
func (SystemClock) Now() time.Time { return time.Now().Round(0) }

// AfterFunc runs f after d of real time.
func (SystemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}
