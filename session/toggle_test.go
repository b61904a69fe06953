package session

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestTogglesFollowTheRoom: a switch pressed several times before the
// screen has seen the first press flips each time, from where the room has
// it, in the order pressed.
func TestTogglesFollowTheRoom(t *testing.T) {
	f, ids := netFixture(t, 4, false)
	hostSub := f.enter(host, "Host")
	anaSub := f.enter(ids[0], "P0")
	flips := func(sub *Subscription, tg Toggle, n int) {
		t.Helper()
		var replies []<-chan error
		for range n {
			replies = append(replies, sub.Submit(tg))
		}
		for i, r := range replies {
			if err := <-r; err != nil {
				t.Fatalf("%s press %d: %v", tg.Kind(), i+1, err)
			}
		}
	}
	ready := func() bool { m, _ := f.room.State().Member(ids[0]); return m.Ready }
	flips(anaSub, Toggle{Switch: SwitchReady}, 3)
	if !ready() {
		t.Fatalf("ready pressed three times: not ready")
	}
	flips(anaSub, Toggle{Switch: SwitchReady}, 2)
	if !ready() {
		t.Fatalf("ready pressed twice more: changed")
	}
	// The timer: start (drawing round 1), pause, start again.
	flips(hostSub, Toggle{Switch: SwitchTimer}, 3)
	if st := f.room.State(); !st.Timer.Running || len(f.net().Drawn) != 1 {
		t.Fatalf("timer pressed three times: running %v, %d rounds", st.Timer.Running, len(f.net().Drawn))
	}
	f.clock.Advance(time.Minute)
	flips(hostSub, Toggle{Switch: SwitchTimer}, 2)
	if st := f.room.State(); !st.Timer.Running {
		t.Fatalf("timer pressed twice more: not running")
	}
	flips(hostSub, Toggle{Switch: SwitchAutoAdvance}, 2)
	if f.net().AutoAdvance {
		t.Fatalf("auto-advance pressed twice: on")
	}
	// The host takes part in netFixture; two presses leave them in.
	flips(hostSub, Toggle{Switch: SwitchTakePart}, 2)
	if !f.net().TakesPart(host) {
		t.Fatalf("take part pressed twice: out")
	}
	flips(hostSub, Toggle{Switch: SwitchCoHost, Person: ids[1]}, 3)
	if got := f.room.State().RoleOf(ids[1]); got != RoleCoFacilitator {
		t.Fatalf("co-host pressed three times: %s", got)
	}
	// A toggle is the command it stands for, with its checks.
	for _, tt := range []struct {
		by  PersonID
		tg  Toggle
		err error
		has string
	}{
		{ids[2], Toggle{Switch: SwitchTimer}, ErrNotFacilitator, ""},
		{ids[2], Toggle{Switch: SwitchAutoAdvance}, ErrNotFacilitator, ""},
		{host, Toggle{Switch: SwitchAuthors}, ErrNoVote, ""},
		{host, Toggle{Switch: "lights"}, nil, `no switch "lights"`},
	} {
		err := f.do(tt.by, tt.tg)
		if err == nil || tt.err != nil && !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.has) {
			t.Errorf("%s by %s = %v; want %v %q", tt.tg.Kind(), tt.by, err, tt.err, tt.has)
		}
	}
}

// TestDrawGroupsDrawsThenRedraws: d pressed twice draws round 1, then draws
// it again; the next round waits until this one has started.
func TestDrawGroupsDrawsThenRedraws(t *testing.T) {
	f, _ := netFixture(t, 5, false)
	sub := f.enter(host, "Host")
	first, second := sub.Submit(DrawGroups{}), sub.Submit(DrawGroups{})
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	n := f.net()
	if len(n.Drawn) != 1 || n.Drawn[0].Seed == n.roundSeed(0, 0) {
		t.Fatalf("after d d: %d rounds, seed %d; want round 1 drawn again", len(n.Drawn), n.Drawn[0].Seed)
	}
	if err := f.do(host, DrawRound{}); err == nil || !strings.Contains(err.Error(), "round 1 has not started yet") {
		t.Fatalf("next round before round 1 started = %v", err)
	}
	f.must(host, StartTimer{})
	if err := f.do(host, DrawGroups{}); err == nil || !strings.Contains(err.Error(), "has started") {
		t.Fatalf("d after the round started = %v", err)
	}
}
