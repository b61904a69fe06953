package session

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PersonID identifies a person: the SHA256 fingerprint of their SSH public
// key, or a per-connection id for people who connect without a key.
type PersonID string

// Person is someone the server has seen, with the name they chose.
type Person struct {
	ID   PersonID `json:"id"`
	Name string   `json:"name"`
}

// Role is what a member may do in a meetup.
type Role string

// Roles, from least to most able.
const (
	RoleParticipant   Role = "participant"
	RoleNoteTaker     Role = "note-taker"
	RoleCoFacilitator Role = "co-facilitator"
	RoleFacilitator   Role = "facilitator"
)

// Facilitates reports whether the role may run the meetup.
func (r Role) Facilitates() bool { return r == RoleFacilitator || r == RoleCoFacilitator }

// TakesNotes reports whether the role may record for others: type ideas
// for anyone and record actions. The note-taker is otherwise a
// participant.
func (r Role) TakesNotes() bool { return r == RoleNoteTaker || r.Facilitates() }

// Member is a person who has joined a meetup.
type Member struct {
	ID       PersonID  `json:"id"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	JoinedAt time.Time `json:"joined_at"`
	// Present is true while the person has a screen open on the meetup. It
	// is not durable: after a restart everyone is gone until they return.
	Present bool `json:"-"`
	// Ready is the person's "I'm done" in the current activity.
	Ready bool `json:"ready,omitempty"`
}

// Notice is one line a facilitator sent to every screen.
type Notice struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// Meetup is the whole state of one meetup. A published *Meetup is never
// changed again: readers may hold on to it and read it from any goroutine.
type Meetup struct {
	ID    string `json:"id"`
	Code  string `json:"code"`
	Title string `json:"title"`
	// Series names the run of meetups this one belongs to ("" for none),
	// e.g. a monthly officers' meetup; see series.go.
	Series    string     `json:"series,omitempty"`
	CreatedBy PersonID   `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	EndedAt   time.Time  `json:"ended_at,omitzero"`
	Agenda    []Activity `json:"agenda"`
	Current   int        `json:"current"`
	Timer     Timer      `json:"timer"`
	Members   []Member   `json:"members"`
	Notice    Notice     `json:"notice,omitzero"`
	// Actions are the promises made in the meetup; NextAction numbers
	// the next one.
	Actions    []Action `json:"actions,omitempty"`
	NextAction int      `json:"next_action,omitempty"`
	// NextID numbers the things people add to activities (ideas,
	// open-space items) across the whole meetup, so that an action can
	// name what it was made from whatever moves on the agenda.
	NextID uint64 `json:"next_id,omitempty"`
	// Template names the template the agenda started from.
	Template string `json:"template,omitempty"`
	// Version counts accepted changes, durable or not; Seq counts the
	// durable ones (the events in the meetup's log).
	Version uint64 `json:"version"`
	Seq     uint64 `json:"seq"`
}

// Ended reports whether the meetup is over.
func (m *Meetup) Ended() bool { return !m.EndedAt.IsZero() }

// Activity returns the current activity.
func (m *Meetup) Activity() Activity {
	if m.Current < 0 || m.Current >= len(m.Agenda) {
		return Activity{}
	}
	return m.Agenda[m.Current]
}

// Member returns the member with the given id.
func (m *Meetup) Member(id PersonID) (Member, bool) {
	i := m.memberIndex(id)
	if i < 0 {
		return Member{}, false
	}
	return m.Members[i], true
}

func (m *Meetup) memberIndex(id PersonID) int {
	return slices.IndexFunc(m.Members, func(x Member) bool { return x.ID == id })
}

// RoleOf returns a person's role, or "" for someone who never joined.
func (m *Meetup) RoleOf(id PersonID) Role {
	mem, ok := m.Member(id)
	if !ok {
		return ""
	}
	return mem.Role
}

// NameOf returns a member's name, or "someone who left" for a stranger.
func (m *Meetup) NameOf(id PersonID) string {
	if mem, ok := m.Member(id); ok {
		return mem.Name
	}
	return "someone who left"
}

// Present counts the members with a screen open.
func (m *Meetup) Present() int {
	n := 0
	for _, x := range m.Members {
		if x.Present {
			n++
		}
	}
	return n
}

// ReadyCount counts present members who said they are done.
func (m *Meetup) ReadyCount() int {
	n := 0
	for _, x := range m.Members {
		if x.Present && x.Ready {
			n++
		}
	}
	return n
}

// Stage names where the meetup stands: the activity and, for activities
// that have them, its phase or round. A message to one person about what
// they just did belongs to a stage and goes stale when it changes.
func (m *Meetup) Stage() string {
	s := fmt.Sprint(m.Current)
	if m.Ended() {
		return s + "/ended"
	}
	if h, ok := m.Activity().State.(stageHook); ok {
		s += "/" + h.stage()
	}
	return s
}

// live returns the current activity of a meetup still under way.
func (m *Meetup) live() (*Activity, bool) {
	if m.Ended() || m.Current < 0 || m.Current >= len(m.Agenda) {
		return nil, false
	}
	return &m.Agenda[m.Current], true
}

// alarm is when the room must next act on its own, if ever.
func (m *Meetup) alarm() (time.Time, bool) {
	a, ok := m.live()
	if !ok {
		return time.Time{}, false
	}
	if h, ok := a.State.(alarmHook); ok {
		return h.alarm(m, a)
	}
	return time.Time{}, false
}

// clone returns a deep copy to change while the original stays published.
func (m *Meetup) clone() *Meetup {
	c := *m
	c.Agenda = slices.Clone(m.Agenda)
	for i := range c.Agenda {
		c.Agenda[i] = c.Agenda[i].clone()
	}
	c.Members = slices.Clone(m.Members)
	c.Actions = slices.Clone(m.Actions)
	return &c
}

// Outcomes sum up what a meetup came to: what the Close activity shows and
// a review starts from. Each kind of activity adds its own.
type Outcomes struct {
	// People counts everyone who took part.
	People int
	// Rounds counts the networking rounds held.
	Rounds int
	// Topics counts the topics suggested.
	Topics int
	// Chosen is the topic a vote chose for the solution circle ("" if none).
	Chosen string
	// Sharers are the people offered as problem sharer: the chosen
	// topic's authors.
	Sharers []PersonID
	// SharersPublic is true when everyone may see who the sharers are.
	SharersPublic bool
	// Circles are the solution circles held (several when a large group
	// ran circles at once), in agenda order.
	Circles []CircleOutcome
	// OpenItems are the open-space items raised (withdrawn ones left
	// out), in the order the room took them.
	OpenItems []OpenItemOutcome
}

// CircleOutcome is what one solution circle came to.
type CircleOutcome struct {
	// Title is the challenge; Sharer the person who shared it.
	Title      string
	Sharer     PersonID
	SharerName string
	// Members counts the people in the circle, the sharer included.
	Members int
	// Ideas counts every idea offered (passes not counted); Useful are
	// the ones the sharer marked useful.
	Ideas  int
	Useful []IdeaOutcome
	// Heard is what the sharer heard that helped; FirstStep the first
	// step they will take, due on FirstStepDue (zero: no date).
	Heard        string
	FirstStep    string
	FirstStepDue time.Time
}

// IdeaOutcome is one idea as the outcomes show it.
type IdeaOutcome struct {
	Text string
	// By is the name of the person whose idea it was.
	By string
}

// OpenItemOutcome is one open-space item as the outcomes show it.
type OpenItemOutcome struct {
	Text, Detail string
	// Author is the name of the person who raised it.
	Author string
	// Votes counts the +1s; Notes are what facilitators noted on it.
	Votes int
	Notes []string
	// Discussed is true once it was given the floor.
	Discussed bool
}

// Outcomes returns what the meetup has come to so far.
func (m *Meetup) Outcomes() Outcomes {
	o := Outcomes{People: len(m.Members)}
	for i := range m.Agenda {
		a := &m.Agenda[i]
		if h, ok := a.State.(outcomeHook); ok {
			h.outcomes(m, a, &o)
		}
	}
	return o
}

// sameName reports whether two names would look the same on screen.
func sameName(a, b string) bool { return strings.EqualFold(a, b) }

// uniqueName returns name, or name with a number after it when another
// member (not id) already shows that name.
func (m *Meetup) uniqueName(id PersonID, name string) string {
	taken := func(n string) bool {
		for _, x := range m.Members {
			if x.ID != id && sameName(x.Name, n) {
				return true
			}
		}
		return false
	}
	if !taken(name) {
		return name
	}
	for k := 2; ; k++ {
		suffix := fmt.Sprintf(" (%d)", k)
		base := name
		for Len(base)+Len(suffix) > MaxNameLen {
			r := []rune(base)
			base = string(r[:len(r)-1])
		}
		if n := base + suffix; !taken(n) {
			return n
		}
	}
}
