package session

import (
	"errors"
	"fmt"
	"github.com/convene/convene/session/clocktest"
	"strings"
	"testing"
	"time"
)

// netFixture is a meetup whose first activity is networking in groups of
// 2-3, with the host and n participants present. The host takes part in
// the groups (facilitators are left out unless they choose to).
func netFixture(t *testing.T, n int, auto bool) (*fixture, []PersonID) {
	t.Helper()
	f := &fixture{t: t, store: newMemStore(), clock: clocktest.New(t0), ctx: t.Context()}
	hub, err := NewHub(HubConfig{Store: f.store, Clock: f.clock,
		Facilitator: func(id PersonID) bool { return id == host },
		Agenda: func() []Activity {
			nw := DefaultNetworking()
			nw.MinSize, nw.MaxSize, nw.AutoAdvance = 2, 3, auto
			return []Activity{
				{Kind: KindNetworking, Title: "Networking", Duration: 9 * time.Minute, State: nw},
				{Kind: KindClose, Title: "Close"},
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	f.hub = hub
	t.Cleanup(hub.Close)
	if f.room, err = hub.Create(f.ctx, host, "Net", ""); err != nil {
		t.Fatal(err)
	}
	f.enter(host, "Host")
	f.must(host, TakePart{In: true})
	var ids []PersonID
	for i := range n {
		id := PersonID(fmt.Sprintf("SHA256:p%d", i))
		f.enter(id, fmt.Sprintf("P%d", i))
		ids = append(ids, id)
	}
	return f, ids
}

func (f *fixture) net() *Networking { return f.room.State().Activity().State.(*Networking) }

func checkEveryoneOnce(t *testing.T, r Round, m *Meetup) {
	t.Helper()
	seen := map[PersonID]int{}
	for _, g := range r.Groups {
		for _, id := range g {
			seen[id]++
		}
	}
	for _, mem := range m.Members {
		if mem.Present && seen[mem.ID] != 1 {
			t.Fatalf("%s is in %d groups; want 1 (groups %v)", mem.Name, seen[mem.ID], r.Groups)
		}
	}
}

func TestNetworkingRounds(t *testing.T) {
	f, ids := netFixture(t, 6, false) // 7 people in 2-3: 3,2,2
	if err := f.do(ids[0], DrawRound{}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant DrawRound = %v", err)
	}
	// Starting the clock draws the first round.
	f.must(host, StartTimer{})
	n := f.net()
	r, i, ok := n.Round()
	if !ok || i != 0 || r.StartedAt.IsZero() || r.Point != defaultPoint1 {
		t.Fatalf("after start: round %d %+v", i, r)
	}
	checkEveryoneOnce(t, r, f.room.State())
	if len(r.Groups) != 3 {
		t.Fatalf("7 people in 2-3 gave %d groups; want 3,2,2", len(r.Groups))
	}
	if err := f.do(host, DrawRound{Again: true}); err == nil {
		t.Fatalf("redraw of a started round succeeded")
	}
	f.clock.Advance(9 * time.Minute)
	if !f.room.State().Timer.Up(f.clock.Now()) {
		t.Fatalf("round time not up")
	}
	f.must(host, DrawRound{})
	n = f.net()
	if len(n.Drawn) != 2 || n.Drawn[0].EndedAt.IsZero() || f.room.State().Timer.Started {
		t.Fatalf("after next round: %d rounds, first ended %v, timer %+v", len(n.Drawn), n.Drawn[0].EndedAt, f.room.State().Timer)
	}
	checkEveryoneOnce(t, n.Drawn[1], f.room.State())
	if rep := n.Repeats(); rep != 0 {
		t.Fatalf("round 2 repeats %d pairs; 7 people in 3,2,2 can avoid any", rep)
	}
	before := n.Drawn[1].Groups
	f.must(host, DrawRound{Again: true})
	if after := f.net().Drawn[1]; after.Seed == n.Drawn[1].Seed || fmt.Sprint(after.Groups) == fmt.Sprint(before) && false {
		t.Fatalf("redraw kept the seed")
	}
	if err := f.do(host, DrawRound{}); err == nil {
		t.Fatalf("drawing a third of two rounds succeeded")
	}
	// Leaving the activity ends the round.
	f.must(host, StartTimer{})
	f.must(host, Next{})
	st := f.room.State()
	if st.Agenda[0].State.(*Networking).Drawn[1].EndedAt.IsZero() {
		t.Fatalf("round 2 not ended when the meetup moved on")
	}
}

func TestNetworkingLateJoinerAndMove(t *testing.T) {
	f, ids := netFixture(t, 5, false)
	f.must(host, DrawRound{})
	late := PersonID("SHA256:late")
	f.enter(late, "Late")
	r, _, _ := f.net().Round()
	gi, _, in := r.GroupOf(late)
	if !in {
		t.Fatalf("late joiner not placed: %v", r.Groups)
	}
	for i, g := range r.Groups {
		if i != gi && len(g) < len(r.Groups[gi])-1 {
			t.Fatalf("late joiner not in the smallest group: %v", r.Groups)
		}
	}
	checkEveryoneOnce(t, r, f.room.State())
	// Move someone to another group.
	from, _, _ := r.GroupOf(ids[0])
	to := (from + 1) % len(r.Groups)
	f.must(host, MovePerson{Person: ids[0], Group: to})
	r, _, _ = f.net().Round()
	if g, _, _ := r.GroupOf(ids[0]); g != to && len(r.Groups) == len(f.net().Drawn[0].Groups) {
		t.Fatalf("moved to group %d; want %d", g, to)
	}
	checkEveryoneOnce(t, r, f.room.State())
	if err := f.do(host, MovePerson{Person: ids[0], Group: 99}); err == nil {
		t.Fatalf("move to group 100 succeeded")
	}
	if err := f.do(ids[1], MovePerson{Person: ids[1], Group: 0}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant move = %v", err)
	}
}

func TestNetworkingSettings(t *testing.T) {
	f, ids := netFixture(t, 3, false)
	set := f.net().Settings(f.room.State().Activity())
	set.Rounds, set.Minutes, set.MinSize, set.MaxSize = 3, 5, 2, 2
	set.Points = []string{"one\x1b[31m", "two"}
	f.must(host, set)
	st := f.room.State()
	n := f.net()
	if n.Rounds != 3 || n.MaxSize != 2 || st.Activity().Duration != 5*time.Minute || st.Timer.Remaining(f.clock.Now()) != 5*time.Minute {
		t.Fatalf("settings not applied: %+v, duration %v", n, st.Activity().Duration)
	}
	if n.Points[0] != "one" || n.Points[2] != "" {
		t.Fatalf("points = %q", n.Points)
	}
	for _, bad := range []NetworkingSettings{
		{Rounds: 0, Minutes: 9, MinSize: 3, MaxSize: 4},
		{Rounds: 2, Minutes: 0, MinSize: 3, MaxSize: 4},
		{Rounds: 2, Minutes: 9, MinSize: 4, MaxSize: 3},
		{Rounds: 2, Minutes: 9, MinSize: 3, MaxSize: 4, Points: []string{strings.Repeat("x", MaxPointLen+1)}},
	} {
		if err := f.do(host, bad); err == nil {
			t.Errorf("settings %+v accepted", bad)
		}
	}
	if err := f.do(ids[0], set); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant settings = %v", err)
	}
	f.must(host, StartTimer{})
	set.MaxSize = 3
	if err := f.do(host, set); err == nil {
		t.Fatalf("sizes changed after the first round started")
	}
}

func TestNetworkingAutoAdvanceSurvivesRestart(t *testing.T) {
	f, _ := netFixture(t, 6, true)
	f.must(host, StartTimer{})
	f.clock.Advance(9 * time.Minute) // time up; the pause begins
	if got := len(f.net().Drawn); got != 1 {
		t.Fatalf("rounds drawn at time up = %d; want 1 (the pause comes first)", got)
	}
	// Restart during the pause: the alarm is in the state and comes back.
	f.hub.Close()
	f.start()
	r, err := f.hub.Find(f.room.State().Code)
	if err != nil {
		t.Fatal(err)
	}
	f.room = r
	f.enter(host, "Host")
	f.clock.Advance(AutoPause)
	waitFor(t, func() bool { return len(f.net().Drawn) == 2 }, "round 2 drawn by itself")
	st := f.room.State()
	if !st.Timer.Running || st.Timer.Remaining(f.clock.Now()) != 9*time.Minute {
		t.Fatalf("round 2 timer = %+v; want running 9m", st.Timer)
	}
	if f.net().Drawn[1].StartedAt.IsZero() {
		t.Fatalf("round 2 not marked started")
	}
	// The last round does not advance further: nothing is left for the
	// room to do on its own.
	if at, ok := f.room.State().alarm(); ok {
		t.Fatalf("after the last round starts, an alarm is set for %v", at)
	}
}

// TestNetworkingNoteIsAboutThisRound: the round's note tells of its sizes
// only, not of repeats planned for rounds that have not happened; four
// people in pairs over five rounds must meet again by round 4, but round 1
// meets nobody twice.
func TestNetworkingNoteIsAboutThisRound(t *testing.T) {
	f, _ := netFixture(t, 3, false) // 4 people in pairs
	set := f.net().Settings(f.room.State().Activity())
	set.Rounds, set.MinSize, set.MaxSize = 5, 2, 2
	f.must(host, set)
	f.must(host, DrawRound{})
	r, _, _ := f.net().Round()
	if r.Note != "" {
		t.Fatalf("round 1 note = %q; want none (4 people in pairs fit, and nobody has met)", r.Note)
	}
	if rep := f.net().Repeats(); rep != 0 {
		t.Fatalf("round 1 repeats = %d", rep)
	}

	// A note on sizes is still kept.
	f2, _ := netFixture(t, 2, false) // 3 people in groups of 4 or 5
	set = f2.net().Settings(f2.room.State().Activity())
	set.MinSize, set.MaxSize = 4, 5
	f2.must(host, set)
	f2.must(host, DrawRound{})
	if r, _, _ := f2.net().Round(); r.Note == "" || strings.Contains(r.Note, "again") {
		t.Fatalf("3 people in groups of 4-5: note = %q; want the sizes note only", r.Note)
	}
}

// TestNetworkingRoundResetsReady: "I'm done" ticks belong to a round; a
// new round, or the groups drawn again, start with nobody done.
func TestNetworkingRoundResetsReady(t *testing.T) {
	f, ids := netFixture(t, 4, false)
	f.must(host, DrawRound{})
	ready := func() int { return f.room.State().ReadyCount() }
	f.must(ids[0], SetReady{Ready: true})
	f.must(ids[1], SetReady{Ready: true})
	if got := ready(); got != 2 {
		t.Fatalf("ready = %d; want 2", got)
	}
	f.must(host, DrawRound{Again: true})
	if got := ready(); got != 0 {
		t.Fatalf("after a redraw %d are still done; want 0", got)
	}
	f.must(ids[2], SetReady{Ready: true})
	f.must(host, StartTimer{})
	f.must(host, DrawRound{})
	if got := ready(); got != 0 {
		t.Fatalf("in round 2 %d are still done from round 1; want 0", got)
	}
}

// TestNetworkingMoveKeepsGroupNumbers: emptying a group by moves leaves it
// in place, empty, so the other groups keep their numbers; a late joiner
// fills it first, and the plain text skips it.
func TestNetworkingMoveKeepsGroupNumbers(t *testing.T) {
	f, _ := netFixture(t, 5, false) // 6 people in 2-3: three pairs
	f.must(host, DrawRound{})
	r, _, _ := f.net().Round()
	if len(r.Groups) != 3 {
		t.Fatalf("6 people in 2-3 gave %v", r.Groups)
	}
	first, last := r.Groups[0], r.Groups[2]
	for _, id := range first {
		f.must(host, MovePerson{Person: id, Group: 1})
	}
	r, _, _ = f.net().Round()
	if len(r.Groups) != 3 || len(r.Groups[0]) != 0 || len(r.Groups[1]) != 4 {
		t.Fatalf("after emptying group 1: %v; want it kept, empty", r.Groups)
	}
	if fmt.Sprint(r.Groups[2]) != fmt.Sprint(last) {
		t.Fatalf("group 3 changed from %v to %v", last, r.Groups[2])
	}
	checkEveryoneOnce(t, r, f.room.State())
	if txt := f.net().PlainText(f.room.State()); strings.Contains(txt, "Group 1:") || !strings.Contains(txt, "Group 3:") {
		t.Fatalf("plain text:\n%s", txt)
	}
	// A move into the empty group works by its number.
	f.must(host, MovePerson{Person: first[0], Group: 0})
	if g, _, _ := mustRound(t, f).GroupOf(first[0]); g != 0 {
		t.Fatalf("moved back to group %d; want 0", g+1)
	}
	f.must(host, MovePerson{Person: first[0], Group: 1})
	late := PersonID("SHA256:late")
	f.enter(late, "Late")
	if g, _, _ := mustRound(t, f).GroupOf(late); g != 0 {
		t.Fatalf("late joiner put in group %d; want the empty group 1", g+1)
	}
	checkEveryoneOnce(t, mustRound(t, f), f.room.State())
	// The next round is drawn from the people there, with no empty group.
	f.must(host, StartTimer{})
	f.must(host, DrawRound{})
	for _, g := range mustRound(t, f).Groups {
		if len(g) == 0 {
			t.Fatalf("round 2 has an empty group: %v", mustRound(t, f).Groups)
		}
	}
}

func mustRound(t *testing.T, f *fixture) Round {
	t.Helper()
	r, _, ok := f.net().Round()
	if !ok {
		t.Fatal("no round drawn")
	}
	return r
}
