package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// A Command is a change someone asks of a meetup. Commands are applied by
// the meetup's Room, one at a time, to a copy of its state. apply checks
// everything first and changes the meetup only once it is sure to succeed,
// so a refused command leaves no trace. A command that finds nothing to
// change changes nothing and says so (it marks nothing), and then nothing is
// published: no new version, no screen woken.
type Command interface {
	// Kind names the command in the meetup's event log.
	Kind() string
	apply(c *change) error
}

// planner is a command with slow work (drawing groups) that is done outside
// the room's loop, on a snapshot: basis names what in the meetup the work
// depends on ("" when there is no work to do), plan does it. The room
// applies the command only if the basis still holds, else it is planned
// again; apply finds the plan in change.plan.
type planner interface {
	Command
	basis(m *Meetup) string
	plan(m *Meetup) any
}

// change is what a command sees while it is applied.
type change struct {
	m     *Meetup
	actor PersonID
	now   time.Time
	room  *Room
	// plan is a planned command's work, done outside the loop.
	plan any
	// durable is set by commands whose effect must be logged and kept;
	// volatile by those that change only what is not kept (presence).
	durable, volatile bool
}

// changed reports whether the command changed anything.
func (c *change) changed() bool { return c.durable || c.volatile }

// keep marks the change durable: it is logged and saved.
func (c *change) keep() { c.durable = true }

// Event is one durable, accepted change in a meetup's log: who did what,
// when. The log is kept for review and export.
type Event struct {
	Seq   uint64          `json:"seq"`
	At    time.Time       `json:"at"`
	Actor PersonID        `json:"actor"`
	Kind  string          `json:"kind"`
	Data  json.RawMessage `json:"data,omitempty"`
}

// MaxExtend bounds one "add time" so a slip of the finger cannot set an hour.
const MaxExtend = 30 * time.Minute

// MaxTimer bounds a countdown set to an exact time.
const MaxTimer = 4 * time.Hour

func (c *change) member() (*Member, error) {
	i := c.m.memberIndex(c.actor)
	if i < 0 {
		return nil, ErrNotMember
	}
	return &c.m.Members[i], nil
}

// running checks that the meetup is still on and the actor is in it.
func (c *change) running() (*Member, error) {
	if c.m.Ended() {
		return nil, ErrEnded
	}
	return c.member()
}

// facilitating checks that the actor may run the meetup. This is the one
// place facilitator actions are allowed or refused.
func (c *change) facilitating() error {
	mem, err := c.running()
	if err != nil {
		return err
	}
	if !mem.Role.Facilitates() {
		return ErrNotFacilitator
	}
	return nil
}

// current returns the current activity, to change.
func (c *change) current() *Activity { return &c.m.Agenda[c.m.Current] }

// moveTo makes activity i current with its timer (a fresh one, or the one
// it was left with) and nobody ready.
func (c *change) moveTo(i int) {
	old := c.current()
	if h, ok := old.State.(leaveHook); ok {
		h.onLeave(c, old)
	}
	if t := c.m.Timer.pause(c.now); t.Started {
		old.Paused = &t
	}
	c.m.Current = i
	a := c.current()
	c.m.Timer = newTimer(*a)
	if p := a.Paused; p != nil {
		c.m.Timer = *p
		a.Paused = nil
	}
	a.Ran = true
	c.m.Notice = Notice{}
	for j := range c.m.Members {
		c.m.Members[j].Ready = false
	}
	if h, ok := a.State.(enterHook); ok {
		h.onEnter(c, a)
	}
	c.keep()
}

// Join brings the actor into the meetup, or back into it, under Name. A
// name another member already shows gets a number after it.
type Join struct {
	Name string `json:"name"`
}

func (Join) Kind() string { return "join" }

func (j Join) apply(c *change) error {
	name, err := CleanName(j.Name)
	if err != nil {
		return err
	}
	role := RoleParticipant
	if c.room.hub.IsFacilitator(c.actor) {
		role = RoleFacilitator
	}
	i := c.m.memberIndex(c.actor)
	if i < 0 {
		if c.m.Ended() {
			return ErrEnded
		}
		c.m.Members = append(c.m.Members, Member{ID: c.actor, Name: c.m.uniqueName(c.actor, name), Role: role, JoinedAt: c.now})
		i = len(c.m.Members) - 1
		c.keep()
	}
	mem := &c.m.Members[i]
	// A returning member keeps the name they have here unless they come
	// back under another one.
	if !sameName(mem.Name, name) && !sameName(baseName(mem.Name), name) {
		mem.Name = c.m.uniqueName(c.actor, name)
		c.keep()
	}
	// A co-facilitator keeps the role they were given; a facilitator whose
	// key is no longer configured loses theirs.
	if role == RoleFacilitator && mem.Role != RoleFacilitator ||
		role != RoleFacilitator && mem.Role == RoleFacilitator {
		mem.Role = role
		c.keep()
	}
	if present := c.room.connected(c.actor); present != mem.Present {
		mem.Present = present
		c.volatile = true
	}
	if mem.Present && !c.m.Ended() {
		a := c.current()
		if h, ok := a.State.(joinHook); ok {
			h.onJoin(c, a, c.actor)
		}
	}
	return nil
}

// Leave marks the actor gone, unless they still have a screen open.
type Leave struct{}

func (Leave) Kind() string { return "leave" }

func (Leave) apply(c *change) error {
	mem, err := c.member()
	if err != nil {
		return err
	}
	if present := c.room.connected(c.actor); present != mem.Present {
		mem.Present = present
		c.volatile = true
	}
	return nil
}

// Rename changes the actor's display name in the meetup. A name another
// member shows is refused.
type Rename struct {
	Name string `json:"name"`
}

func (Rename) Kind() string { return "rename" }

func (r Rename) apply(c *change) error {
	name, err := CleanName(r.Name)
	if err != nil {
		return err
	}
	mem, err := c.running()
	if err != nil {
		return err
	}
	if mem.Name == name {
		return nil
	}
	for _, x := range c.m.Members {
		if x.ID != c.actor && sameName(x.Name, name) {
			return fmt.Errorf("someone here is already called %s: choose another name", x.Name)
		}
	}
	mem.Name = name
	c.keep()
	return nil
}

// GoTo moves the meetup to agenda item Index. Moving never happens by
// itself: when time is up the facilitator moves on.
type GoTo struct {
	Index int `json:"index"`
}

func (GoTo) Kind() string { return "goto" }

func (g GoTo) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if g.Index < 0 || g.Index >= len(c.m.Agenda) {
		return ErrBadAgenda
	}
	if g.Index != c.m.Current {
		c.moveTo(g.Index)
	}
	return nil
}

// Next moves to the next activity.
type Next struct{}

func (Next) Kind() string { return "next" }

func (Next) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if c.m.Current+1 >= len(c.m.Agenda) {
		return errors.New("this is the last activity: end the meetup to close it")
	}
	c.moveTo(c.m.Current + 1)
	return nil
}

// Prev moves back to the previous activity.
type Prev struct{}

func (Prev) Kind() string { return "prev" }

func (Prev) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if c.m.Current == 0 {
		return errors.New("this is the first activity")
	}
	c.moveTo(c.m.Current - 1)
	return nil
}

// StartTimer starts the current activity's countdown, or resumes it. An
// activity may have work to do when its clock starts (a networking
// activity draws its first round); that work is planned outside the loop.
type StartTimer struct{}

func (StartTimer) Kind() string { return "timer-start" }

func (StartTimer) basis(m *Meetup) string {
	a, ok := m.live()
	if !ok || m.Timer.Running {
		return ""
	}
	if p, ok := a.State.(startPlanner); ok {
		return p.startBasis(m, a)
	}
	return ""
}

func (StartTimer) plan(m *Meetup) any {
	a := &m.Agenda[m.Current]
	return a.State.(startPlanner).planStart(m, a)
}

func (StartTimer) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	a := c.current()
	if !a.Timed() {
		return ErrNoTimer
	}
	if c.m.Timer.Running {
		return nil
	}
	if h, ok := a.State.(startHook); ok {
		if err := h.onStart(c, a, c.plan); err != nil {
			return err
		}
	}
	c.m.Timer = c.m.Timer.start(c.now)
	c.keep()
	return nil
}

// PauseTimer pauses the countdown, keeping the time left.
type PauseTimer struct{}

func (PauseTimer) Kind() string { return "timer-pause" }

func (PauseTimer) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if !c.m.Timer.Running {
		return nil
	}
	c.m.Timer = c.m.Timer.pause(c.now)
	c.keep()
	return nil
}

// AddTime gives the current activity more time, or less when By is
// negative (never less than none: then time is up).
type AddTime struct {
	By time.Duration `json:"by"`
}

func (AddTime) Kind() string { return "timer-add" }

func (a AddTime) apply(c *change) error {
	if err := c.timed(); err != nil {
		return err
	}
	if a.By == 0 || a.By > MaxExtend || a.By < -MaxExtend {
		return fmt.Errorf("time can be added or taken away %v at most at once", MaxExtend)
	}
	if a.By < 0 && c.m.Timer.Remaining(c.now) == 0 {
		return nil // nothing left to take away
	}
	c.setTimer(c.m.Timer.extend(c.now, a.By))
	return nil
}

// timed checks that the actor may run the meetup and the current activity
// has a countdown.
func (c *change) timed() error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if !c.current().Timed() {
		return ErrNoTimer
	}
	return nil
}

// setTimer makes t the countdown; the same countdown changes nothing.
func (c *change) setTimer(t Timer) {
	if t != c.m.Timer {
		c.m.Timer = t
		c.keep()
	}
}

// SetTime sets the countdown to exactly Left, running or paused as it was.
type SetTime struct {
	Left time.Duration `json:"left"`
}

func (SetTime) Kind() string { return "timer-set" }

func (s SetTime) apply(c *change) error {
	if err := c.timed(); err != nil {
		return err
	}
	if s.Left < 0 || s.Left > MaxTimer {
		return fmt.Errorf("a countdown can be set from 0:00 to %d:00:00", int(MaxTimer.Hours()))
	}
	c.setTimer(c.m.Timer.set(c.now, s.Left.Round(time.Second)))
	return nil
}

// End closes the meetup. Its outcomes stay for review.
type End struct{}

func (End) Kind() string { return "end" }

func (End) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	a := c.current()
	if h, ok := a.State.(leaveHook); ok {
		h.onLeave(c, a)
	}
	c.m.Timer = c.m.Timer.pause(c.now)
	c.m.EndedAt = c.now
	c.keep()
	return nil
}

// SetRole makes a member a co-facilitator or the note-taker, or a
// participant again.
type SetRole struct {
	Person PersonID `json:"person"`
	Role   Role     `json:"role"`
}

func (SetRole) Kind() string { return "role" }

func (s SetRole) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if s.Role != RoleCoFacilitator && s.Role != RoleNoteTaker && s.Role != RoleParticipant {
		return fmt.Errorf("a member can be made co-facilitator, note-taker or participant, not %q", s.Role)
	}
	i := c.m.memberIndex(s.Person)
	if i < 0 {
		return ErrNotMember
	}
	mem := &c.m.Members[i]
	if mem.Role == RoleFacilitator {
		return fmt.Errorf("%s is a facilitator of this server; their role cannot be changed here", mem.Name)
	}
	if mem.Role != s.Role {
		mem.Role = s.Role
		c.keep()
	}
	return nil
}

// Announce sends one line to every screen, replacing the previous one.
// An empty text clears it.
type Announce struct {
	Text string `json:"text"`
}

func (Announce) Kind() string { return "announce" }

func (a Announce) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	text, err := CleanAnnouncement(a.Text)
	if err != nil {
		return err
	}
	mem, _ := c.m.Member(c.actor)
	n := Notice{}
	if text != "" {
		n = Notice{Text: text, By: mem.Name, At: c.now}
	}
	if n.Text == c.m.Notice.Text && n.By == c.m.Notice.By {
		return nil
	}
	c.m.Notice = n
	c.keep()
	return nil
}

// SetReady is a person's "I'm done" (or not) in the current activity.
type SetReady struct {
	Ready bool `json:"ready"`
}

func (SetReady) Kind() string { return "ready" }

func (s SetReady) apply(c *change) error {
	mem, err := c.running()
	if err != nil {
		return err
	}
	if mem.Ready != s.Ready {
		mem.Ready = s.Ready
		c.keep()
	}
	return nil
}

// Wake is the room acting on its own when an alarm falls due. The current
// activity checks again that the moment has come, so an early or repeated
// wake is harmless, and a wake that finds nothing to do changes nothing.
type Wake struct{}

func (Wake) Kind() string { return "wake" }

func (Wake) basis(m *Meetup) string {
	a, ok := m.live()
	if !ok {
		return ""
	}
	if p, ok := a.State.(wakePlanner); ok {
		return p.wakeBasis(m, a)
	}
	return ""
}

func (Wake) plan(m *Meetup) any {
	a := &m.Agenda[m.Current]
	return a.State.(wakePlanner).planWake(m, a)
}

func (Wake) apply(c *change) error {
	if c.m.Ended() {
		return nil
	}
	a := c.current()
	if h, ok := a.State.(alarmHook); ok {
		if at, due := h.alarm(c.m, a); due && !c.now.Before(at) {
			h.wake(c, a, c.plan)
		}
	}
	return nil
}
