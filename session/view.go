package session

import (
	"slices"
	"sync"
)

// View is what one person may see of a meetup: the meetup as people in
// their role may see it (other people's ballots left out, authors and
// tallies only where they are shown) and, in Own, what only they may see
// of the current activity (their own ballot).
//
// A View is a snapshot: it does not change when the room moves on. The
// embedded Meetup is shared by everyone who sees the meetup in the same
// role at the same version, so what is drawn from it alone can be drawn
// once for all of them; Me, Role and Own are the viewer's own.
type View struct {
	*Meetup
	Me   PersonID
	Role Role
	// Own is the current activity's part for this person only (for a
	// vote, *VoteOwn), or nil.
	Own any
	// Carried are the actions still open from earlier meetups of the
	// series, while this one is in its Welcome activity (series.go).
	Carried []CarriedAction
}

// Facilitates reports whether the viewer may run the meetup (and is still
// in it: an ended meetup has nothing left to run).
func (v *View) Facilitates() bool { return v.Role.Facilitates() && !v.Ended() }

// Self returns the viewer's own membership.
func (v *View) Self() Member {
	mem, _ := v.Member(v.Me)
	return mem
}

// viewClass is the class of viewers who see the same redacted meetup.
type viewClass int

const (
	classParticipant viewClass = iota
	classFacilitator
	numClasses
)

func classOf(r Role) viewClass {
	if r.Facilitates() {
		return classFacilitator
	}
	return classParticipant
}

// classRole is the role a class's redaction is made for.
func classRole(c viewClass) Role {
	if c == classFacilitator {
		return RoleFacilitator
	}
	return RoleParticipant
}

// viewCache keeps, for the newest state, the meetup as each class of
// viewer may see it, made when first asked for.
type viewCache struct {
	mu    sync.Mutex
	of    *Meetup
	class [numClasses]*Meetup
	// carried is the series' open actions for carriedOf, the same for
	// every viewer: looking them up takes the hub's lock.
	carriedOf  *Meetup
	carriedGen uint64
	carried    []CarriedAction
}

// viewFor returns person's View of the newest state.
func (r *Room) viewFor(person PersonID) *View {
	m := r.state.Load()
	v := viewOf(m, r.redacted(m, classOf(m.RoleOf(person))), person)
	v.Carried = r.carriedFor(m)
	return v
}

// carriedFor is r.carried(m), looked up once for every viewer of m until
// something it is made of changes elsewhere.
func (r *Room) carriedFor(m *Meetup) []CarriedAction {
	vc := &r.views
	gen := r.hub.carryGen.Load()
	vc.mu.Lock()
	c, done := vc.carried, vc.carriedOf == m && vc.carriedGen == gen
	vc.mu.Unlock()
	if done {
		return c
	}
	c = r.carried(m) // outside the cache's lock: it takes the hub's
	vc.mu.Lock()
	vc.carriedOf, vc.carriedGen, vc.carried = m, gen, c
	vc.mu.Unlock()
	return c
}

// viewOf is person's View of m, made from seen, m as their role may see it.
func viewOf(m, seen *Meetup, person PersonID) *View {
	v := &View{Meetup: seen, Me: person, Role: m.RoleOf(person)}
	if a, ok := m.live(); ok {
		if h, ok := a.State.(ownHook); ok {
			v.Own = h.own(m, person)
		}
	}
	return v
}

func (r *Room) redacted(m *Meetup, c viewClass) *Meetup {
	vc := &r.views
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.of != m {
		vc.of, vc.class = m, [numClasses]*Meetup{}
	}
	if vc.class[c] == nil {
		vc.class[c] = Redact(m, classRole(c))
	}
	return vc.class[c]
}

// Redact returns m as people in role r may see it: every activity's state
// without what they may not see. m is not changed; parts without secrets
// are shared with it.
func Redact(m *Meetup, r Role) *Meetup {
	c := *m
	c.Agenda = slices.Clone(m.Agenda)
	for i := range c.Agenda {
		if h, ok := c.Agenda[i].State.(redactor); ok {
			c.Agenda[i].State = h.redact(m, r)
		}
	}
	return &c
}

// ViewAs returns the View person would have of m: for tools and tests that
// hold a state rather than a subscription.
func ViewAs(m *Meetup, person PersonID) *View {
	return viewOf(m, Redact(m, classRole(classOf(m.RoleOf(person)))), person)
}
