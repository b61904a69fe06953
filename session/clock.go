package session

import (
	"sync"
	"time"
)

// Clock tells the time. Countdowns are deadlines on this clock.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns the current time, rounded to strip the monotonic reading so
// that deadlines compare the same before and after a restart.
func (SystemClock) Now() time.Time { return time.Now().Round(0) }

// FakeClock is a Clock for tests: it stands still until moved.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a clock stopped at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
