package session

import (
	"encoding/json"
	"fmt"
	"time"
)

// A Command is a change someone asks of a meetup. Commands are applied by
// the meetup's Room, one at a time, to a copy of its state. apply checks
// everything first and changes the meetup only once it is sure to succeed,
// so a refused command leaves no trace.
type Command interface {
	// Kind names the command in the meetup's event log.
	Kind() string
	apply(c *change) error
}

// change is what a command sees while it is applied.
type change struct {
	m     *Meetup
	actor PersonID
	now   time.Time
	room  *Room
	// durable is set by commands whose effect must be logged and kept.
	durable bool
}

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

// moveTo makes activity i current with a fresh timer and nobody ready.
func (c *change) moveTo(i int) {
	if n := c.m.Agenda[c.m.Current].Networking; n != nil {
		n.onLeave(c.now)
	}
	if old := c.m.Timer.pause(c.now); old.Started {
		c.m.Agenda[c.m.Current].Paused = &old
	}
	c.m.Current = i
	c.m.Timer = newTimer(c.m.Agenda[i])
	if p := c.m.Agenda[i].Paused; p != nil {
		c.m.Timer = *p
		c.m.Agenda[i].Paused = nil
	}
	c.m.Notice = Notice{}
	for j := range c.m.Members {
		c.m.Members[j].Ready = false
	}
	c.durable = true
}

// Join brings the actor into the meetup, or back into it, under Name.
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
		c.m.Members = append(c.m.Members, Member{ID: c.actor, Name: name, Role: role, JoinedAt: c.now})
		i = len(c.m.Members) - 1
		c.durable = true
	}
	mem := &c.m.Members[i]
	if mem.Name != name {
		mem.Name = name
		c.durable = true
	}
	// A co-facilitator keeps the role they were given; a facilitator whose
	// key is no longer configured loses theirs.
	if role == RoleFacilitator && mem.Role != RoleFacilitator ||
		role != RoleFacilitator && mem.Role == RoleFacilitator {
		mem.Role = role
		c.durable = true
	}
	mem.Present = c.room.connected(c.actor)
	if a := c.m.Activity(); mem.Present && a.Kind == KindNetworking && a.Networking != nil && !c.m.Ended() {
		if a.Networking.onJoin(c.actor) {
			c.durable = true
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
	mem.Present = c.room.connected(c.actor)
	return nil
}

// Rename changes the actor's display name in the meetup.
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
	if mem.Name != name {
		mem.Name = name
		c.durable = true
	}
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
		return fmt.Errorf("this is the last activity: end the meetup to close it")
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
		return fmt.Errorf("this is the first activity")
	}
	c.moveTo(c.m.Current - 1)
	return nil
}

// StartTimer starts the current activity's countdown, or resumes it.
type StartTimer struct{}

func (StartTimer) Kind() string { return "timer-start" }

func (StartTimer) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if !c.m.Activity().Timed() {
		return ErrNoTimer
	}
	if c.m.Timer.Running {
		return nil
	}
	if n := c.m.Agenda[c.m.Current].Networking; n != nil && c.m.Activity().Kind == KindNetworking {
		// Starting the clock of a networking activity starts a round:
		// the first one is drawn now if the facilitator has not yet.
		if _, _, drawn := n.Round(); !drawn {
			if err := c.drawRound(n, false); err != nil {
				return err
			}
		}
		n.onStart(c.now)
	}
	c.m.Timer = c.m.Timer.start(c.now)
	c.durable = true
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
	c.durable = true
	return nil
}

// AddTime gives the current activity more time.
type AddTime struct {
	By time.Duration `json:"by"`
}

func (AddTime) Kind() string { return "timer-add" }

func (a AddTime) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if !c.m.Activity().Timed() {
		return ErrNoTimer
	}
	if a.By <= 0 || a.By > MaxExtend {
		return fmt.Errorf("time can be added %v at most at once", MaxExtend)
	}
	c.m.Timer = c.m.Timer.extend(c.now, a.By)
	c.durable = true
	return nil
}

// End closes the meetup. Its outcomes stay for review.
type End struct{}

func (End) Kind() string { return "end" }

func (End) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	c.m.Timer = c.m.Timer.pause(c.now)
	c.m.EndedAt = c.now
	c.durable = true
	return nil
}

// SetRole makes a member a co-facilitator, or a participant again.
type SetRole struct {
	Person PersonID `json:"person"`
	Role   Role     `json:"role"`
}

func (SetRole) Kind() string { return "role" }

func (s SetRole) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if s.Role != RoleCoFacilitator && s.Role != RoleParticipant {
		return fmt.Errorf("a member can be made co-facilitator or participant, not %q", s.Role)
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
		c.durable = true
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
	text := CleanText(a.Text)
	if Len(text) > MaxNoticeLen {
		return ErrTooLong{What: "announcement", Limit: MaxNoticeLen}
	}
	mem, _ := c.m.Member(c.actor)
	if text == "" {
		c.m.Notice = Notice{}
	} else {
		c.m.Notice = Notice{Text: text, By: mem.Name, At: c.now}
	}
	c.durable = true
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
		c.durable = true
	}
	return nil
}
