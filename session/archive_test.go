package session

import (
	"errors"
	"testing"
)

// TestMayExport: the one rule for who may export a meetup. The server's
// facilitators may export every meetup; a co-facilitator the one they
// co-facilitated (and only that one); a participant none, nor may they
// read its log.
func TestMayExport(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	f.must(host, SetRole{Person: ana, Role: RoleCoFacilitator})
	other, err := f.hub.Create(f.ctx, host, "Other", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Enter(f.ctx, ana, "Ana"); err != nil {
		t.Fatal(err)
	}
	m, o := f.room.State(), other.State()
	for _, c := range []struct {
		who     PersonID
		m       *Meetup
		want    bool
		exports int
	}{
		{host, m, true, 2}, {host, o, true, 2},
		{ana, m, true, 1}, {ana, o, false, 1},
		{ben, m, false, 0}, {"SHA256:stranger", m, false, 0},
	} {
		if got := f.hub.MayExport(c.who, c.m); got != c.want {
			t.Errorf("MayExport(%s, %q) = %v; want %v", c.who, c.m.Title, got, c.want)
		}
		ms, err := f.hub.Exports(c.who)
		if err != nil || len(ms) != c.exports {
			t.Errorf("Exports(%s) = %d meetups, %v; want %d", c.who, len(ms), err, c.exports)
		}
		_, err = f.hub.Events(c.who, c.m.ID)
		if c.want && err != nil || !c.want && !errors.Is(err, ErrNotReviewer) {
			t.Errorf("Events(%s, %q) = %v; want it read: %v", c.who, c.m.Title, err, c.want)
		}
	}
	// The rule follows the role: a co-facilitator made participant
	// again may not export the meetup any more.
	f.must(host, SetRole{Person: ana, Role: RoleParticipant})
	if f.hub.MayExport(ana, f.room.State()) {
		t.Errorf("a former co-facilitator may still export the meetup")
	}
}
