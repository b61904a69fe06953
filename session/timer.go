package session

import "time"

// Timer is the countdown of the current activity. It is a deadline, not a
// tick counter: every screen computes the time left from the same deadline,
// and pausing, resuming, extending and setting move the deadline.
type Timer struct {
	// Running is true while the countdown runs towards Deadline.
	Running  bool      `json:"running"`
	Deadline time.Time `json:"deadline,omitzero"`
	// Left is the time remaining while the timer is not running.
	Left time.Duration `json:"left"`
	// Started is true once the timer has been started in this activity.
	Started bool `json:"started"`
}

// newTimer is the timer of an activity that has not started yet.
func newTimer(a Activity) Timer { return Timer{Left: a.Duration} }

// Remaining is the time left at now, never below zero.
func (t Timer) Remaining(now time.Time) time.Duration {
	if !t.Running {
		return max(t.Left, 0)
	}
	return max(t.Deadline.Sub(now), 0)
}

// Up reports whether the time is up: the timer ran and reached zero.
func (t Timer) Up(now time.Time) bool { return t.Started && t.Remaining(now) == 0 }

// start starts or resumes the countdown.
func (t Timer) start(now time.Time) Timer {
	if t.Running {
		return t
	}
	t.Running, t.Started = true, true
	t.Deadline = now.Add(max(t.Left, 0))
	t.Left = 0
	return t
}

// pause stops the countdown, keeping the time left.
func (t Timer) pause(now time.Time) Timer {
	if !t.Running {
		return t
	}
	t.Left = t.Remaining(now)
	t.Running = false
	t.Deadline = time.Time{}
	return t
}

// extend adds d, or takes it away when d is negative (never below zero).
// Once the time is up, extra time counts from now.
func (t Timer) extend(now time.Time, d time.Duration) Timer {
	return t.set(now, t.Remaining(now)+d)
}

// set makes the time left exactly left (at least zero), running or not.
func (t Timer) set(now time.Time, left time.Duration) Timer {
	left = max(left, 0)
	if t.Running {
		t.Deadline = now.Add(left)
		return t
	}
	t.Left = left
	return t
}
