package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// idleRound is an auto-advancing networking round under way whose people
// have all left: the host and three participants entered, the first round
// started, everyone closed their screen. The heartbeat is stopped, so the
// clock counts only what the room sets.
func idleRound(t *testing.T) *fixture {
	t.Helper()
	f, _ := netFixture(t, 0, true)
	subs := []*Subscription{f.enter(host, "Host")} // replaces the fixture's screen
	for i := range 3 {
		subs = append(subs, f.enter(PersonID(fmt.Sprintf("SHA256:q%d", i)), fmt.Sprintf("Q%d", i)))
	}
	f.must(host, StartTimer{}) // round 1 of 2; the next is due at 9m + AutoPause
	stopHeartbeat(f.hub)
	if got := f.clock.Pending(); got != 1 {
		t.Fatalf("pending wake-ups with round 1 under way = %d; want 1 (the next round)", got)
	}
	for _, s := range subs {
		s.Close()
	}
	waitFor(t, func() bool { return f.room.State().Present() == 0 }, "everyone gone")
	waitFor(t, func() bool { return f.clock.Pending() == 0 }, "the next round's wake-up let go with nobody to group")
	return f
}

// advanceIdle moves the clock on past the round's deadline and pause
// several times and checks that the room does nothing.
func advanceIdle(t *testing.T, f *fixture) {
	t.Helper()
	st := f.room.State()
	fired := f.clock.Fired()
	for i := range 5 {
		f.clock.Advance(9*time.Minute + AutoPause)
		// Fired counts synchronously in Advance: if nothing fired, nothing
		// is under way that could still change the room.
		if got := f.clock.Fired(); got != fired {
			t.Fatalf("advance %d: the idle room's clock fired %d times", i+1, got-fired)
		}
		if now := f.room.State(); now != st {
			t.Fatalf("advance %d: the idle room made version %d after %d", i+1, now.Version, st.Version)
		}
	}
	if got := f.clock.Pending(); got != 0 {
		t.Fatalf("the idle room has %d wake-ups pending", got)
	}
}

// enterAndExpectRound2 has ana enter the idle room and waits for the next
// round to be drawn by itself, with her in it; the clock fires at most
// once per change made.
func enterAndExpectRound2(t *testing.T, f *fixture) {
	t.Helper()
	v0, fired := f.room.State().Version, f.clock.Fired()
	f.enter(ana, "Ana")
	waitFor(t, func() bool { return len(f.net().Drawn) == 2 }, "round 2 drawn by itself once someone is there")
	st := f.room.State()
	r := f.net().Drawn[1]
	if _, _, in := r.GroupOf(ana); !in || len(r.People()) != 1 {
		t.Fatalf("round 2 groups = %v; want ana, the one person here", r.Groups)
	}
	if !st.Timer.Running || r.StartedAt.IsZero() || st.Timer.Remaining(f.clock.Now()) != 9*time.Minute {
		t.Fatalf("round 2 timer = %+v, started %v; want it running from 9m", st.Timer, r.StartedAt)
	}
	if df, dv := f.clock.Fired()-fired, int(st.Version-v0); df > dv {
		t.Fatalf("the clock fired %d times for %d changes", df, dv)
	}
	// The last round does not advance: nothing more is set.
	waitFor(t, func() bool { return f.clock.Pending() == 0 }, "no wake-up after the last round")
}

// TestIdleRoomCostsNothing: an auto-advancing round with nobody left in
// it sets no wake-up and makes no versions, however long it stays idle;
// the first person back gets the next round at once.
func TestIdleRoomCostsNothing(t *testing.T) {
	f := idleRound(t)
	advanceIdle(t, f)
	enterAndExpectRound2(t, f)
}

// TestIdleRoomAfterRestart: the same after a restart with the round's
// pause already over: restoring the room fires nothing until someone is
// there.
func TestIdleRoomAfterRestart(t *testing.T) {
	f := idleRound(t)
	f.clock.Advance(10 * time.Minute) // the round and its pause are over
	code := f.room.State().Code
	f.hub.Close()
	f.clock.Advance(time.Minute) // down for a minute
	fired := f.clock.Fired()
	f.start()
	stopHeartbeat(f.hub)
	if got := f.clock.Fired(); got != fired {
		t.Fatalf("restoring an idle room fired %d wake-ups", got-fired)
	}
	r, err := f.hub.Find(code)
	if err != nil {
		t.Fatal(err)
	}
	f.room = r
	st := r.State()
	if at := st.Timer.Deadline.Add(AutoPause); !at.Before(f.clock.Now()) {
		t.Fatalf("the pause ends at %v, not before now (%v): the test needs it past", at, f.clock.Now())
	}
	if st.Present() != 0 || len(f.net().Drawn) != 1 {
		t.Fatalf("restored: %d present, %d rounds; want 0 and 1", st.Present(), len(f.net().Drawn))
	}
	advanceIdle(t, f)
	enterAndExpectRound2(t, f)
}

// TestDrawRoundWithJoinRacing: a draw planned before someone joined is
// applied only after they joined: it is planned again, so the groups hold
// everyone present.
func TestDrawRoundWithJoinRacing(t *testing.T) {
	t.Run("planned before the join, applied after it", func(t *testing.T) {
		f, _ := netFixture(t, 4, false)
		release := f.block()
		late := PersonID("SHA256:late")
		joined := make(chan error, 1)
		go func() { _, err := f.room.Enter(f.ctx, late, "Late"); joined <- err }()
		f.queued(1) // the join waits first
		drew := make(chan error, 1)
		go func() { drew <- f.do(host, DrawRound{}) }()
		f.queued(2) // the draw, planned without the late joiner, waits after it
		release()
		if err := <-joined; err != nil {
			t.Fatalf("join: %v", err)
		}
		if err := <-drew; err != nil {
			t.Fatalf("draw: %v", err)
		}
		r := mustRound(t, f)
		if _, _, in := r.GroupOf(late); !in {
			t.Fatalf("groups %v leave out the person who joined while they were drawn", r.Groups)
		}
		checkEveryoneOnce(t, r, f.room.State())
	})
	t.Run("at the same time", func(t *testing.T) {
		for run := range 10 {
			f, _ := netFixture(t, 4, false)
			var wg sync.WaitGroup
			for i := range 3 {
				wg.Go(func() {
					if _, err := f.room.Enter(f.ctx, PersonID(fmt.Sprintf("SHA256:late%d", i)), "Late"); err != nil {
						t.Errorf("run %d: enter: %v", run, err)
					}
				})
			}
			wg.Go(func() {
				if err := f.do(host, DrawRound{}); err != nil {
					t.Errorf("run %d: draw: %v", run, err)
				}
			})
			wg.Wait()
			st := f.room.State()
			if st.Present() != 8 {
				t.Fatalf("run %d: %d present; want 8", run, st.Present())
			}
			checkEveryoneOnce(t, mustRound(t, f), st)
		}
	})
}

// groupSizes returns the sizes of the current round's groups.
func groupSizes(r Round) []int {
	var out []int
	for _, g := range r.Groups {
		out = append(out, len(g))
	}
	return out
}

func TestFacilitatorsSitOutByDefault(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	f.enter(cy, "Cy")
	f.enter(dee, "Dee")
	f.must(host, SetRole{Person: cy, Role: RoleCoFacilitator})
	f.must(host, Next{})
	f.must(host, StartTimer{})
	r := mustRound(t, f)
	for _, id := range []PersonID{host, cy} {
		if _, _, in := r.GroupOf(id); in {
			t.Fatalf("facilitator %s is in the groups %v without choosing to be", id, r.Groups)
		}
	}
	for _, id := range []PersonID{ana, ben, dee} {
		if _, _, in := r.GroupOf(id); !in {
			t.Fatalf("participant %s is not in the groups %v", id, r.Groups)
		}
	}
	if err := f.do(ana, TakePart{In: true}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("TakePart by a participant = %v; want ErrNotFacilitator", err)
	}
}

func TestTakePart(t *testing.T) {
	f, ids := netFixture(t, 7, false)
	f.must(host, TakePart{In: false})
	if f.net().TakesPart(host) {
		t.Fatalf("host still takes part after TakePart{In: false}")
	}
	f.must(host, DrawRound{}) // 7 people in 2-3
	before := mustRound(t, f)
	if _, _, in := before.GroupOf(host); in {
		t.Fatalf("host sitting out was drawn into %v", before.Groups)
	}
	sizes := groupSizes(before)
	smallest := slices.Min(sizes)
	if slices.Max(sizes) == smallest {
		t.Fatalf("7 people in 2-3 gave even groups %v; the test needs a smallest one", sizes)
	}

	f.must(host, TakePart{In: true})
	in := mustRound(t, f)
	gi, _, ok := in.GroupOf(host)
	if !ok {
		t.Fatalf("host taking part is in no group: %v", in.Groups)
	}
	if sizes[gi] != smallest {
		t.Fatalf("host put in group %d of %d people; want one of the smallest (%d), sizes %v", gi+1, sizes[gi], smallest, sizes)
	}
	for _, id := range ids {
		g0, _, _ := before.GroupOf(id)
		if g1, _, _ := in.GroupOf(id); g1 != g0 {
			t.Fatalf("%s moved from group %d to %d when the host joined", id, g0+1, g1+1)
		}
	}
	checkEveryoneOnce(t, in, f.room.State())

	f.must(host, TakePart{In: false})
	if out := mustRound(t, f); !equalGroups(out.Groups, before.Groups) {
		t.Fatalf("after the host left the groups: %v; want them as before %v", out.Groups, before.Groups)
	}
	// Taking part carries into the next round's draw.
	f.must(host, TakePart{In: true})
	f.must(host, StartTimer{})
	f.must(host, DrawRound{})
	if _, _, in := mustRound(t, f).GroupOf(host); !in {
		t.Fatalf("host taking part left out of round 2")
	}
}

// leave closes person's screen (a fresh one replaces the fixture's) and
// waits until they are shown gone.
func (f *fixture) leave(id PersonID) {
	f.t.Helper()
	f.enter(id, f.room.State().NameOf(id)).Close()
	waitFor(f.t, func() bool { m, _ := f.room.State().Member(id); return !m.Present }, string(id)+" gone")
}

// pick returns a member of group gi other than the host.
func pick(t *testing.T, r Round, gi int) PersonID {
	t.Helper()
	for _, id := range r.Groups[gi] {
		if id != host {
			return id
		}
	}
	t.Fatalf("group %d has nobody but the host: %v", gi+1, r.Groups)
	return ""
}

func TestFlagsAndRebalanceSharesOut(t *testing.T) {
	f, ids := netFixture(t, 6, false) // 7 people in 2-3
	if err := f.do(host, Rebalance{}); err == nil || !strings.Contains(err.Error(), "draw the groups first") {
		t.Fatalf("Rebalance before a draw = %v", err)
	}
	f.must(host, DrawRound{})
	r := mustRound(t, f)
	sizes := groupSizes(r)
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{2, 2, 3}) {
		t.Fatalf("7 people in 2-3 drawn as %v; the test expects a three and two pairs", r.Groups)
	}
	if fl := f.net().Flags(f.room.State()); len(fl) != 0 {
		t.Fatalf("flags with everyone here = %+v", fl)
	}
	three, pair := -1, -1
	for gi, g := range r.Groups {
		switch {
		case len(g) == 3:
			three = gi
		case pair < 0 || !slices.Contains(g, host): // keep the host, who rebalances
			pair = gi
		}
	}
	x, y := pick(t, r, three), pick(t, r, pair)
	f.leave(x)
	fl := f.net().Flags(f.room.State())
	if len(fl) != 1 || fl[0].Group != three || !slices.Equal(fl[0].Gone, []PersonID{x}) || fl[0].Alone {
		t.Fatalf("flags after %s left group %d (of 3) = %+v; want that group flagged as having lost %s, not alone", x, three+1, fl, x)
	}
	f.leave(y)
	fl = f.net().Flags(f.room.State())
	i := slices.IndexFunc(fl, func(g GroupFlag) bool { return g.Group == pair })
	if len(fl) != 2 || i < 0 || !slices.Equal(fl[i].Gone, []PersonID{y}) || !fl[i].Alone {
		t.Fatalf("flags after %s left pair %d = %+v; want both groups flagged, the pair gone and down to one", y, pair+1, fl)
	}
	if err := f.do(ids[5], Rebalance{}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("Rebalance by a participant = %v; want ErrNotFacilitator", err)
	}

	// 5 people in 3 groups of at least 2: too few to top up the lone one,
	// so it is shared out; its number stays, empty.
	f.must(host, Rebalance{})
	after := mustRound(t, f)
	st := f.room.State()
	if len(after.Groups) != 3 || len(after.Groups[pair]) != 0 {
		t.Fatalf("after rebalancing: %v; want 3 groups, group %d emptied and kept", after.Groups, pair+1)
	}
	for _, id := range []PersonID{x, y} {
		if _, _, in := after.GroupOf(id); in {
			t.Fatalf("%s, who left, is still in %v", id, after.Groups)
		}
	}
	for gi, g := range after.Groups {
		if len(g) > 0 && len(g) < 2 {
			t.Fatalf("group %d has %d after rebalancing: %v", gi+1, len(g), after.Groups)
		}
	}
	// Nobody outside the shared-out group changed group.
	for gi, g := range r.Groups {
		for _, id := range g {
			if gi == pair || id == x || id == y {
				continue
			}
			if g1, _, _ := after.GroupOf(id); g1 != gi {
				t.Fatalf("%s moved from group %d to %d", id, gi+1, g1+1)
			}
		}
	}
	checkEveryoneOnce(t, after, st)
	if fl := f.net().Flags(st); len(fl) != 0 {
		t.Fatalf("flags after rebalancing = %+v; want none", fl)
	}
	v := st.Version
	if err := f.do(host, Rebalance{}); err == nil || err.Error() != "the groups are balanced already: nothing to change" {
		t.Fatalf("Rebalance of balanced groups = %v", err)
	}
	if f.room.State().Version != v {
		t.Fatalf("a refused Rebalance made a version")
	}
}

func TestRebalanceTopsUp(t *testing.T) {
	f, ids := netFixture(t, 6, false) // 7 people in 2-3: a three and two pairs
	f.must(host, DrawRound{})
	r := mustRound(t, f)
	sizes := groupSizes(r)
	small := slices.IndexFunc(r.Groups, func(g []PersonID) bool { return len(g) == 2 && !slices.Contains(g, host) })
	if small < 0 || slices.Max(sizes) != 3 {
		t.Fatalf("7 people in 2-3 drawn as %v; the test needs a pair without the host and a three", r.Groups)
	}
	gone := pick(t, r, small)
	var stays PersonID
	for _, id := range r.Groups[small] {
		if id != gone {
			stays = id
		}
	}
	f.leave(gone)
	f.must(host, Rebalance{})
	after := mustRound(t, f)
	if len(after.Groups) != len(r.Groups) {
		t.Fatalf("rebalancing changed the number of groups: %v -> %v", r.Groups, after.Groups)
	}
	if g, _, _ := after.GroupOf(stays); g != small {
		t.Fatalf("%s, left alone in group %d, was moved to %d; the group should be topped up", stays, small+1, g+1)
	}
	if len(after.Groups[small]) != 2 {
		t.Fatalf("group %d after topping up: %v", small+1, after.Groups[small])
	}
	moved := 0
	for _, id := range append(ids, host) {
		g0, _, _ := r.GroupOf(id)
		if g1, _, in := after.GroupOf(id); in && g1 != g0 {
			moved++
			if len(r.Groups[g0]) != 3 {
				t.Fatalf("%s moved from group %d of %d; want one taken from a group of 3", id, g0+1, len(r.Groups[g0]))
			}
		}
	}
	if moved != 1 {
		t.Fatalf("%d people moved to top up one group; want 1 (%v -> %v)", moved, r.Groups, after.Groups)
	}
	checkEveryoneOnce(t, after, f.room.State())
}

// TestRebalancePlacesPeopleWithoutAGroup: a co-facilitator sitting out who
// becomes a participant is grouped by the next Rebalance.
func TestRebalancePlacesPeopleWithoutAGroup(t *testing.T) {
	f, ids := netFixture(t, 4, false)
	f.must(host, SetRole{Person: ids[0], Role: RoleCoFacilitator})
	f.must(host, DrawRound{})
	if _, _, in := mustRound(t, f).GroupOf(ids[0]); in {
		t.Fatalf("co-facilitator drawn into the groups")
	}
	f.must(host, SetRole{Person: ids[0], Role: RoleParticipant})
	f.must(host, Rebalance{})
	checkEveryoneOnce(t, mustRound(t, f), f.room.State())
}

func TestAdjustNetworking(t *testing.T) {
	f, ids := netFixture(t, 3, false) // rounds 2, 9 minutes, groups 2-3
	type want struct {
		rounds, minutes, min, max int
	}
	steps := []struct {
		s      Setting
		by     int
		errHas string
		want   want
	}{
		{SettingRounds, +1, "", want{3, 9, 2, 3}},
		{SettingRounds, -2, "", want{1, 9, 2, 3}},
		{SettingRounds, -1, "rounds go from 1 to 12", want{1, 9, 2, 3}},
		{SettingRounds, MaxRounds, "rounds go from 1 to 12", want{1, 9, 2, 3}},
		{SettingMinutes, +1, "", want{1, 10, 2, 3}},
		{SettingMinutes, -10, "a round lasts from 1 to 60 minutes", want{1, 10, 2, 3}},
		{SettingMinutes, MaxRoundMins, "a round lasts from 1 to 60 minutes", want{1, 10, 2, 3}},
		{SettingMinSize, +1, "", want{1, 10, 3, 3}},
		{SettingMinSize, +1, "", want{1, 10, 4, 4}}, // takes the largest along
		{SettingMaxSize, -2, "", want{1, 10, 2, 2}}, // takes the smallest along
		{SettingMinSize, -1, "groups hold from 2 to 12 people", want{1, 10, 2, 2}},
		{SettingMaxSize, MaxGroupSize, "groups hold from 2 to 12 people", want{1, 10, 2, 2}},
		{"colour", +1, `there is no networking setting "colour"`, want{1, 10, 2, 2}},
		{SettingRounds, +1, "", want{2, 10, 2, 2}},
	}
	check := func(i int, w want) {
		t.Helper()
		st := f.room.State()
		n := f.net()
		got := want{n.Rounds, int(st.Activity().Duration / time.Minute), n.MinSize, n.MaxSize}
		if got != w {
			t.Fatalf("step %d: settings %+v; want %+v", i, got, w)
		}
		if !st.Timer.Started && st.Timer.Left != st.Activity().Duration {
			t.Fatalf("step %d: timer not started shows %v; want the round's %v", i, st.Timer.Left, st.Activity().Duration)
		}
	}
	for i, s := range steps {
		err := f.do(host, AdjustNetworking{Setting: s.s, By: s.by})
		if s.errHas == "" && err != nil || s.errHas != "" && (err == nil || !strings.Contains(err.Error(), s.errHas)) {
			t.Fatalf("step %d: %s by %+d = %v; want %q", i, s.s, s.by, err, s.errHas)
		}
		check(i, s.want)
	}
	if err := f.do(ids[0], AdjustNetworking{Setting: SettingRounds, By: 1}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant AdjustNetworking = %v", err)
	}
	// Once rounds run, sizes and length are locked; rounds still move.
	f.must(host, StartTimer{})
	for _, adj := range []AdjustNetworking{
		{Setting: SettingMinSize, By: +1}, {Setting: SettingMaxSize, By: +1},
		{Setting: SettingMinutes, By: +1}, {Setting: SettingMinutes, By: -1},
	} {
		if err := f.do(host, adj); err == nil || err.Error() != errLockedSizes.Error() {
			t.Fatalf("%s by %+d once rounds run = %v; want %q", adj.Setting, adj.By, err, errLockedSizes)
		}
	}
	f.must(host, AdjustNetworking{Setting: SettingRounds, By: +1})
	check(len(steps), want{3, 10, 2, 2})
}

func TestSetTalkingPoint(t *testing.T) {
	f, ids := netFixture(t, 3, false)
	f.must(host, DrawRound{})
	f.must(host, SetTalkingPoint{Round: 0, Text: " New\x1b[1m point "})
	n := f.net()
	if n.Points[0] != "New point" || n.Drawn[0].Point != "New point" {
		t.Fatalf("point of the drawn round not yet started: points %q, round %q", n.Points, n.Drawn[0].Point)
	}
	if err := f.do(ids[0], SetTalkingPoint{Round: 0, Text: "x"}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant SetTalkingPoint = %v", err)
	}
	f.must(host, StartTimer{})
	for _, tt := range []struct {
		p      SetTalkingPoint
		errHas string
	}{
		{SetTalkingPoint{Round: 0, Text: "Too late"}, "round 1 has started: its talking point stays as it was"},
		{SetTalkingPoint{Round: 2, Text: "x"}, "there is no round 3"},
		{SetTalkingPoint{Round: -1, Text: "x"}, "there is no round 0"},
		{SetTalkingPoint{Round: 1, Text: strings.Repeat("x", MaxPointLen+1)}, "talking point 2 is too long: 201 characters, at most 200 characters"},
	} {
		if err := f.do(host, tt.p); err == nil || err.Error() != tt.errHas {
			t.Errorf("SetTalkingPoint%+v = %v; want %q", tt.p, err, tt.errHas)
		}
	}
	if n := f.net(); n.Points[0] != "New point" || n.Drawn[0].Point != "New point" {
		t.Fatalf("a refused point changed round 1: %q / %q", n.Points[0], n.Drawn[0].Point)
	}
	f.must(host, SetTalkingPoint{Round: 1, Text: "Second"})
	f.must(host, DrawRound{}) // round 2 drawn, not started
	if got := f.net().Drawn[1].Point; got != "Second" {
		t.Fatalf("round 2 drawn with point %q; want Second", got)
	}
	f.must(host, SetTalkingPoint{Round: 1, Text: "Second, changed"})
	if n := f.net(); n.Drawn[1].Point != "Second, changed" || n.Drawn[0].Point != "New point" {
		t.Fatalf("after changing round 2's point: rounds %q / %q", n.Drawn[0].Point, n.Drawn[1].Point)
	}
	if err := f.do(host, SetTalkingPoint{Round: 0, Text: "x"}); err == nil || !strings.Contains(err.Error(), "round 1 has started") {
		t.Fatalf("point of an ended round = %v", err)
	}
}
