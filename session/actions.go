package session

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Actions are what people promised to do ("you said, we did"): any useful
// idea, open-space item or free text becomes one, with an owner and an
// optional due date. They belong to the meetup, not to one activity, so
// they are seen at the close and followed up afterwards.

// Limits of actions.
const (
	MaxActionLen     = 200
	MaxActions       = 100
	MaxActionNoteLen = 300
)

// ActionStatus is where an action stands.
type ActionStatus string

// The statuses of an action. A new action is open; after the meetup a
// facilitator marks it done or dropped, with a note of what was done.
const (
	ActionOpen    ActionStatus = "open"
	ActionDone    ActionStatus = "done"
	ActionDropped ActionStatus = "dropped"
)

// ErrNoAction is returned for an action that does not exist (any more).
var ErrNoAction = errors.New("there is no such action: it may have been removed")

// ErrNotNoteTaker is returned when someone who may not record actions or
// others' ideas tries to.
var ErrNotNoteTaker = errors.New("only a facilitator or the note-taker can do that")

// Action is one promise made in a meetup.
type Action struct {
	// ID is stable for the life of the meetup (1, 2, ...).
	ID   int    `json:"id"`
	Text string `json:"text"`
	// Owner is the member who owns it, or "" for someone named in
	// OwnerName who is not in the meetup.
	Owner PersonID `json:"owner,omitempty"`
	// OwnerName is the owner's name as it was when the action was made.
	OwnerName string `json:"owner_name"`
	// Due is the day it is due (midnight UTC), or zero.
	Due time.Time `json:"due,omitzero"`
	// From says where it came from, for people ("idea by Ana in the
	// solution circle"), and Ref names that thing for screens (so an idea
	// is not made an action twice); both empty for free text.
	From string    `json:"from,omitempty"`
	Ref  string    `json:"ref,omitempty"`
	By   PersonID  `json:"by"`
	At   time.Time `json:"at"`
	// Status and Note say what became of it ("you said, we did").
	Status ActionStatus `json:"status"`
	Note   string       `json:"note,omitempty"`
	// Updated is when the status or note last changed.
	Updated time.Time `json:"updated,omitzero"`
}

// Open reports whether the action is still to be done.
func (a Action) Open() bool { return a.Status == ActionOpen }

// OpenActionsOf returns the actions a person owns that are still open
// (none for nobody: actions owned by a name have no id).
func (m *Meetup) OpenActionsOf(id PersonID) []Action {
	if id == "" {
		return nil
	}
	var out []Action
	for _, a := range m.Actions {
		if a.Owner == id && a.Open() {
			out = append(out, a)
		}
	}
	return out
}

// DueText is the due date as people read it, "" when there is none.
func (a Action) DueText() string {
	if a.Due.IsZero() {
		return ""
	}
	return a.Due.Format("Mon 2 Jan 2006")
}

// ParseDue reads a due date typed by a person: "" (none), "today",
// "tomorrow", "in 3 days", "2w" (two weeks), a weekday ("friday": the next
// one), or 2006-01-02. now is the day it is typed.
func ParseDue(s string, now time.Time) (time.Time, error) {
	s = strings.ToLower(strings.TrimSpace(CleanText(s)))
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch s {
	case "", "none", "-":
		return time.Time{}, nil
	case "today":
		return day, nil
	case "tomorrow":
		return day.AddDate(0, 0, 1), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || s == name[:3] || s == "next "+name {
			ahead := (int(d) - int(day.Weekday()) + 7) % 7
			if ahead == 0 {
				ahead = 7
			}
			return day.AddDate(0, 0, ahead), nil
		}
	}
	s = strings.TrimPrefix(s, "in ")
	s = strings.ReplaceAll(s, " ", "")
	for _, u := range []struct {
		names []string
		days  int
	}{{[]string{"days", "day", "d"}, 1}, {[]string{"weeks", "week", "w"}, 7}} {
		for _, name := range u.names {
			if n, ok := strings.CutSuffix(s, name); ok {
				k, err := strconv.Atoi(n)
				if err == nil && k >= 0 && k <= 3650/u.days {
					return day.AddDate(0, 0, k*u.days), nil
				}
			}
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: type 2026-12-24, tomorrow, friday, in 3 days or 2w", s)
}

// ActionSource is something an action can be made from: a useful idea,
// the sharer's first step, an open-space item. Ref names it (an action's
// Ref), Text is what the action starts as, From says where it came from.
type ActionSource struct {
	Ref  string
	Text string
	From string
	// Owner is who would naturally own it (the sharer for their first
	// step), or "".
	Owner PersonID
	// Due is when it is already due (the first step's date), or zero.
	Due time.Time
}

// sourceHook lists what in an activity can become an action.
type sourceHook interface {
	actionSources(m *Meetup, a *Activity) []ActionSource
}

// ActionSources lists everything in the meetup that can become an action
// and has not yet, in agenda order.
func (m *Meetup) ActionSources() []ActionSource {
	var out []ActionSource
	for i := range m.Agenda {
		a := &m.Agenda[i]
		if h, ok := a.State.(sourceHook); ok {
			for _, s := range h.actionSources(m, a) {
				if _, made := m.ActionFor(s.Ref); !made {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// newRef returns a name for a new thing in the meetup (an idea, an item)
// that no other thing of the meetup has: prefix and a number.
func (c *change) newRef(prefix string) string {
	c.m.NextID++
	return prefix + strconv.FormatUint(c.m.NextID, 10)
}

// Action returns the action with the given id.
func (m *Meetup) Action(id int) (Action, bool) {
	i := m.actionIndex(id)
	if i < 0 {
		return Action{}, false
	}
	return m.Actions[i], true
}

func (m *Meetup) actionIndex(id int) int {
	return slices.IndexFunc(m.Actions, func(a Action) bool { return a.ID == id })
}

// ActionFor returns the action made from the thing ref names, if any.
func (m *Meetup) ActionFor(ref string) (Action, bool) {
	if ref == "" {
		return Action{}, false
	}
	for _, a := range m.Actions {
		if a.Ref == ref {
			return a, true
		}
	}
	return Action{}, false
}

// ActionsOf returns the actions a person owns.
func (m *Meetup) ActionsOf(id PersonID) []Action {
	var out []Action
	for _, a := range m.Actions {
		if a.Owner == id {
			out = append(out, a)
		}
	}
	return out
}

// noting checks that the actor may record for others: a facilitator or
// the note-taker.
func (c *change) noting() (*Member, error) {
	mem, err := c.running()
	if err != nil {
		return nil, err
	}
	if !mem.Role.TakesNotes() {
		return nil, ErrNotNoteTaker
	}
	return mem, nil
}

// owner resolves an action's owner: a member by id, or else a name.
func (c *change) owner(id PersonID, name string) (PersonID, string, error) {
	if id != "" {
		mem, ok := c.m.Member(id)
		if !ok {
			return "", "", fmt.Errorf("the owner is not in this meetup: %w", ErrNotMember)
		}
		return id, mem.Name, nil
	}
	name, err := cleanField("the owner's name", name, MaxNameLen)
	if err != nil {
		return "", "", err
	}
	for _, mem := range c.m.Members {
		if sameName(mem.Name, name) {
			return mem.ID, mem.Name, nil
		}
	}
	return "", name, nil
}

// AddAction records a promise. Text is what will be done; the owner is a
// member (Owner) or anyone by name (OwnerName); Due is typed as ParseDue
// reads it. From and Ref say what it was made from, if anything.
type AddAction struct {
	Text      string   `json:"text"`
	Owner     PersonID `json:"owner,omitempty"`
	OwnerName string   `json:"owner_name,omitempty"`
	Due       string   `json:"due,omitempty"`
	From      string   `json:"from,omitempty"`
	Ref       string   `json:"ref,omitempty"`
}

func (AddAction) Kind() string { return "action-add" }

func (a AddAction) apply(c *change) error {
	if _, err := c.noting(); err != nil {
		return err
	}
	text, err := cleanField("the action", a.Text, MaxActionLen)
	if err != nil {
		return err
	}
	owner, name, err := c.owner(a.Owner, a.OwnerName)
	if err != nil {
		return err
	}
	due, err := ParseDue(a.Due, c.now)
	if err != nil {
		return err
	}
	if len(c.m.Actions) >= MaxActions {
		return fmt.Errorf("this meetup already has %d actions, the most it can keep", MaxActions)
	}
	if prev, ok := c.m.ActionFor(a.Ref); ok {
		return fmt.Errorf("that is already action %d, owned by %s", prev.ID, prev.OwnerName)
	}
	c.m.NextAction++
	c.m.Actions = append(c.m.Actions, Action{ID: c.m.NextAction, Text: text, Owner: owner, OwnerName: name,
		Due: due, From: CleanText(a.From), Ref: a.Ref, By: c.actor, At: c.now, Status: ActionOpen})
	c.keep()
	return nil
}

// EditAction changes an action's text, owner and due date.
type EditAction struct {
	ID        int      `json:"id"`
	Text      string   `json:"text"`
	Owner     PersonID `json:"owner,omitempty"`
	OwnerName string   `json:"owner_name,omitempty"`
	Due       string   `json:"due,omitempty"`
}

func (EditAction) Kind() string { return "action-edit" }

func (e EditAction) apply(c *change) error {
	if _, err := c.noting(); err != nil {
		return err
	}
	i := c.m.actionIndex(e.ID)
	if i < 0 {
		return ErrNoAction
	}
	text, err := cleanField("the action", e.Text, MaxActionLen)
	if err != nil {
		return err
	}
	owner, name, err := c.owner(e.Owner, e.OwnerName)
	if err != nil {
		return err
	}
	due, err := ParseDue(e.Due, c.now)
	if err != nil {
		return err
	}
	a := &c.m.Actions[i]
	if a.Text == text && a.Owner == owner && a.OwnerName == name && a.Due.Equal(due) {
		return nil
	}
	a.Text, a.Owner, a.OwnerName, a.Due = text, owner, name, due
	c.keep()
	return nil
}

// RemoveAction takes an action off the list.
type RemoveAction struct {
	ID int `json:"id"`
}

func (RemoveAction) Kind() string { return "action-remove" }

func (r RemoveAction) apply(c *change) error {
	if _, err := c.noting(); err != nil {
		return err
	}
	i := c.m.actionIndex(r.ID)
	if i < 0 {
		return ErrNoAction
	}
	c.m.Actions = slices.Delete(c.m.Actions, i, i+1)
	c.keep()
	return nil
}

// SetActionStatus records what became of an action: open, done or
// dropped, with a note of what was done. Facilitators may do it after the
// meetup has ended: that is when actions are followed up. A facilitator of
// the server may, even one who was not in the meetup.
type SetActionStatus struct {
	ID     int          `json:"id"`
	Status ActionStatus `json:"status"`
	Note   string       `json:"note,omitempty"`
}

func (SetActionStatus) Kind() string { return "action-status" }

func (s SetActionStatus) apply(c *change) error {
	if !c.reviews() {
		return ErrNotFacilitator
	}
	switch s.Status {
	case ActionOpen, ActionDone, ActionDropped:
	default:
		return fmt.Errorf("an action is open, done or dropped, not %q", s.Status)
	}
	note, err := cleanOptional("the note", s.Note, MaxActionNoteLen)
	if err != nil {
		return err
	}
	i := c.m.actionIndex(s.ID)
	if i < 0 {
		return ErrNoAction
	}
	a := &c.m.Actions[i]
	if a.Status == s.Status && a.Note == note {
		return nil
	}
	a.Status, a.Note, a.Updated = s.Status, note, c.now
	c.keep()
	return nil
}
