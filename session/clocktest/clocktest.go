// Package clocktest provides a clock for tests that stands still until it
// is moved, so that tests of countdowns and alarms never sleep.
package clocktest

import (
	"sync"
	"time"
)

// Clock is a session.Clock for tests: it stands still until moved, and runs
// the functions that fall due when it is moved.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
	fired  int
}

type timer struct {
	at      time.Time
	f       func()
	stopped bool
}

// New returns a clock stopped at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and runs, in their own goroutines,
// the functions that fell due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	due := c.dueLocked()
	c.mu.Unlock()
	for _, f := range due {
		go f()
	}
}

// dueLocked removes and returns the functions due at c.now.
func (c *Clock) dueLocked() []func() {
	var due []func()
	keep := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.stopped:
		case !t.at.After(c.now):
			due = append(due, t.f)
		default:
			keep = append(keep, t)
		}
	}
	c.timers = keep
	c.fired += len(due)
	return due
}

// AfterFunc calls f once the clock has been advanced to now+d. A function
// due at once (d <= 0) runs at once, in its own goroutine, as with a real
// clock.
func (c *Clock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{at: c.now.Add(d), f: f}
	if d <= 0 {
		c.fired++
		go f()
		t.stopped = true
	} else {
		c.timers = append(c.timers, t)
	}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// Pending counts the functions waiting for the clock to move.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// Fired counts the functions the clock has run so far.
func (c *Clock) Fired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fired
}
