package tui

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A screen may send a burst of commands (quick key presses), then about
// commandRate a second: a key held down must not save a change many
// times a second for ever.
const (
	commandBurst = 30
	commandRate  = 10
)

// limiter bounds one screen's commands. It is shared by every copy of the
// model, so it counts them all. The zero value is ready to use.
type limiter struct {
	once sync.Once
	r    *rate.Limiter
}

// allow says whether a command may run at now, and counts it if so.
func (l *limiter) allow(now time.Time) bool {
	if l == nil {
		return true
	}
	l.once.Do(func() { l.r = rate.NewLimiter(commandRate, commandBurst) })
	return l.r.AllowN(now, 1)
}
