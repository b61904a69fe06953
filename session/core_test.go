package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/convene/convene/session/vote"
)

// Test-only commands. They live in the package, so they can implement
// apply (and, for planCmd, basis and plan).

// blockCmd holds the room's loop inside its apply until release is closed,
// so that tests can line commands up behind it and know they share a batch.
type blockCmd struct {
	entered chan struct{} // buffered (1): told once the loop is inside
	release chan struct{}
}

func newBlockCmd() blockCmd {
	return blockCmd{entered: make(chan struct{}, 1), release: make(chan struct{})}
}

func (blockCmd) Kind() string { return "test-block" }

func (b blockCmd) apply(*change) error {
	select {
	case b.entered <- struct{}{}:
	default:
	}
	<-b.release
	return nil
}

// block starts a blockCmd on f's room and returns once the loop is held by
// it; the returned func lets the loop go and waits for the blocker's reply.
func (f *fixture) block() (release func()) {
	f.t.Helper()
	b := newBlockCmd()
	done := make(chan error, 1)
	go func() { done <- f.room.Do(f.ctx, host, b) }()
	select {
	case <-b.entered:
	case <-time.After(5 * time.Second):
		f.t.Fatalf("the blocking command never reached the room's loop")
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			close(b.release)
			if err := <-done; err != nil {
				f.t.Errorf("blocking command = %v", err)
			}
		})
	}
}

// queued waits until n commands wait in the room's queue.
func (f *fixture) queued(n int) {
	f.t.Helper()
	waitFor(f.t, func() bool { return len(f.room.reqs) >= n }, fmt.Sprintf("%d commands queued", n))
}

// panicCmd panics inside apply; with mutate it first changes the meetup
// and marks the change, as a half-done command would.
type panicCmd struct{ mutate bool }

func (panicCmd) Kind() string { return "test-panic" }

func (p panicCmd) apply(c *change) error {
	if p.mutate {
		c.m.Title = "half-made"
		c.m.Agenda[0].Title = "half-made"
		c.m.Members = nil
		c.keep()
	}
	panic("test: a command blew up")
}

// planCmd is a planned command whose basis is the notice's text: it sets
// the meetup's title from the plan, so the title tells which state it was
// planned on. plans counts the calls of plan; the first one waits for
// release (when not nil) after telling entered.
type planCmd struct {
	plans   *atomic.Int32
	entered chan struct{}
	release chan struct{}
	// drift makes the basis different at every call: it never holds.
	drift *atomic.Int32
}

func (planCmd) Kind() string { return "test-plan" }

func (p planCmd) basis(m *Meetup) string {
	if p.drift != nil {
		return fmt.Sprintf("drift %d", p.drift.Add(1))
	}
	return "notice:" + m.Notice.Text
}

func (p planCmd) plan(m *Meetup) any {
	if p.plans.Add(1) == 1 && p.release != nil {
		p.entered <- struct{}{}
		<-p.release
	}
	return "planned on " + m.Notice.Text
}

func (p planCmd) apply(c *change) error {
	s, ok := c.plan.(string)
	if !ok {
		return errors.New("test: no plan")
	}
	c.m.Title = s
	c.keep()
	return nil
}

// stopHeartbeat stops the hub's heartbeat, so that the clock's Fired and
// Pending count only what the rooms set.
func stopHeartbeat(h *Hub) {
	h.beatMu.Lock()
	defer h.beatMu.Unlock()
	h.beatStopped = true
	if h.stopBeat != nil {
		h.stopBeat()
	}
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// TestNoChangePublishesNothing: a command that finds nothing to change is
// accepted, and then no version is made, no screen woken and no lobby
// woken. (The wake-up happens before Do returns, so a non-blocking receive
// after it is a true check.)
func TestNoChangePublishesNothing(t *testing.T) {
	topics := func(f *fixture) { f.must(host, GoTo{Index: topicsAt(t, f.room.State())}) }
	networking := func(f *fixture) { f.must(host, Next{}) }
	tests := []struct {
		name  string
		setup func(f *fixture)
		by    PersonID
		cmd   func(f *fixture) Command
	}{
		{name: "join again with the same name", by: ana,
			cmd: func(*fixture) Command { return Join{Name: "Ana"} }},
		{name: "join again, other case", by: ana,
			cmd: func(*fixture) Command { return Join{Name: "ANA"} }},
		{name: "join again in a drawn round", by: ana,
			setup: func(f *fixture) { networking(f); f.must(host, DrawRound{}) },
			cmd:   func(*fixture) Command { return Join{Name: "Ana"} }},
		{name: "facilitator sitting out joins again in a drawn round", by: host,
			setup: func(f *fixture) { networking(f); f.must(host, DrawRound{}) },
			cmd:   func(*fixture) Command { return Join{Name: "Host"} }},
		{name: "ready to the same value", by: ana,
			cmd: func(*fixture) Command { return SetReady{Ready: false} }},
		{name: "ready again", by: ana,
			setup: func(f *fixture) { f.must(ana, SetReady{Ready: true}) },
			cmd:   func(*fixture) Command { return SetReady{Ready: true} }},
		{name: "announce the same text", by: host,
			setup: func(f *fixture) { f.must(host, Announce{Text: "Two minutes left"}) },
			cmd:   func(*fixture) Command { return Announce{Text: " Two minutes\x1b[1m left "} }},
		{name: "clear an empty announcement", by: host,
			cmd: func(*fixture) Command { return Announce{Text: ""} }},
		{name: "show authors as they are", by: host, setup: topics,
			cmd: func(*fixture) Command { return ShowAuthors{Show: false} }},
		{name: "show authors again", by: host,
			setup: func(f *fixture) { topics(f); f.must(host, ShowAuthors{Show: true}) },
			cmd:   func(*fixture) Command { return ShowAuthors{Show: true} }},
		{name: "live results as they are", by: host, setup: topics,
			cmd: func(*fixture) Command { return ShowLiveResults{Show: false} }},
		{name: "live results again", by: host,
			setup: func(f *fixture) { topics(f); f.must(host, ShowLiveResults{Show: true}) },
			cmd:   func(*fixture) Command { return ShowLiveResults{Show: true} }},
		{name: "rename to the same name", by: ana,
			cmd: func(*fixture) Command { return Rename{Name: "Ana"} }},
		{name: "rename to the same name, cleaned", by: ana,
			cmd: func(*fixture) Command { return Rename{Name: "  Ana\x07 "} }},
		{name: "role as it is", by: host,
			cmd: func(*fixture) Command { return SetRole{Person: ana, Role: RoleParticipant} }},
		{name: "co-facilitator again", by: host,
			setup: func(f *fixture) { f.must(host, SetRole{Person: ana, Role: RoleCoFacilitator}) },
			cmd:   func(*fixture) Command { return SetRole{Person: ana, Role: RoleCoFacilitator} }},
		{name: "take time away when it is up (paused)", by: host,
			setup: func(f *fixture) {
				f.must(host, StartTimer{})
				f.clock.Advance(6 * time.Minute)
				f.must(host, PauseTimer{})
			},
			cmd: func(*fixture) Command { return AddTime{By: -time.Minute} }},
		{name: "take time away when it is up (running)", by: host,
			setup: func(f *fixture) {
				f.must(host, StartTimer{})
				f.clock.Advance(6 * time.Minute)
			},
			cmd: func(*fixture) Command { return AddTime{By: -time.Minute} }},
		{name: "set the time it shows (not started)", by: host,
			cmd: func(*fixture) Command { return SetTime{Left: 5 * time.Minute} }},
		{name: "set the time it shows (running)", by: host,
			setup: func(f *fixture) {
				f.must(host, StartTimer{})
				f.clock.Advance(90 * time.Second)
			},
			cmd: func(*fixture) Command { return SetTime{Left: 3*time.Minute + 30*time.Second} }},
		{name: "set the time it shows (paused)", by: host,
			setup: func(f *fixture) {
				f.must(host, StartTimer{})
				f.clock.Advance(time.Minute)
				f.must(host, PauseTimer{})
			},
			cmd: func(*fixture) Command { return SetTime{Left: 4 * time.Minute} }},
		{name: "start a running timer", by: host,
			setup: func(f *fixture) { f.must(host, StartTimer{}) },
			cmd:   func(*fixture) Command { return StartTimer{} }},
		{name: "pause a paused timer", by: host,
			cmd: func(*fixture) Command { return PauseTimer{} }},
		{name: "go to the current activity", by: host,
			cmd: func(*fixture) Command { return GoTo{Index: 0} }},
		{name: "edit an activity with its own values", by: host,
			cmd: func(f *fixture) Command {
				a := f.room.State().Agenda[2]
				return EditActivity{Index: 2, Title: a.Title, Duration: a.Duration, Note: a.Note}
			}},
		{name: "edit the current activity with its own values", by: host,
			cmd: func(f *fixture) Command {
				a := f.room.State().Agenda[0]
				return EditActivity{Index: 0, Title: a.Title, Duration: a.Duration, Note: a.Note}
			}},
		{name: "move an activity onto itself", by: host,
			cmd: func(*fixture) Command { return MoveActivity{From: 3, To: 3} }},
		{name: "networking settings unchanged", by: host, setup: networking,
			cmd: func(f *fixture) Command {
				n := f.net()
				return n.Settings(f.room.State().Activity())
			}},
		{name: "networking settings unchanged after rounds run", by: host,
			setup: func(f *fixture) { networking(f); f.must(host, StartTimer{}) },
			cmd: func(f *fixture) Command {
				return f.net().Settings(f.room.State().Activity())
			}},
		{name: "auto-advance as it is", by: host, setup: networking,
			cmd: func(*fixture) Command { return SetAutoAdvance{On: false} }},
		{name: "talking point as it is", by: host, setup: networking,
			cmd: func(*fixture) Command { return SetTalkingPoint{Round: 1, Text: defaultPoint2} }},
		{name: "stay out of the groups", by: host, setup: networking,
			cmd: func(*fixture) Command { return TakePart{In: false} }},
		{name: "the same ballot again", by: ana,
			setup: func(f *fixture) {
				topics(f)
				f.suggest(ana, "Damp")
				f.must(host, StartVoting{})
				f.must(ana, CastBallot{Ballot: vote.Ballot{"t1"}})
			},
			cmd: func(*fixture) Command { return CastBallot{Ballot: vote.Ballot{"t1"}} }},
		{name: "the same vote rules", by: host, setup: topics,
			cmd: func(*fixture) Command { return SetVoteRules{Method: vote.Dots, Dots: 3, MaxPerTopic: 2} }},
		{name: "edit a topic to its own text", by: host,
			setup: func(f *fixture) { topics(f); f.suggest(ana, "Damp") },
			cmd:   func(*fixture) Command { return EditTopic{Topic: "t1", Text: "Damp"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.enter(host, "Host")
			sub := f.enter(ana, "Ana")
			f.enter(ben, "Ben")
			if tt.setup != nil {
				tt.setup(f)
			}
			cmd := tt.cmd(f)
			watch, stop := f.hub.Watch()
			defer stop()
			drain(sub.Changes())
			before := f.room.State()
			if err := f.do(tt.by, cmd); err != nil {
				t.Fatalf("%s by %s = %v; want it accepted (as a change of nothing)", cmd.Kind(), tt.by, err)
			}
			after := f.room.State()
			if after != before || after.Version != before.Version || after.Seq != before.Seq {
				t.Errorf("%s changed nothing but published version %d (seq %d) after %d (seq %d)",
					cmd.Kind(), after.Version, after.Seq, before.Version, before.Seq)
			}
			select {
			case <-sub.Changes():
				t.Errorf("%s changed nothing but woke a screen", cmd.Kind())
			default:
			}
			select {
			case <-watch:
				t.Errorf("%s changed nothing but woke the lobby", cmd.Kind())
			default:
			}
		})
	}
}

// TestChangeDoesPublish is the other side of TestNoChangePublishesNothing:
// the same checks see a real change, so they can fail.
func TestChangeDoesPublish(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	sub := f.enter(ana, "Ana")
	watch, stop := f.hub.Watch()
	defer stop()
	drain(sub.Changes())
	drain(watch)
	v := f.room.State().Version
	f.must(host, Next{})
	if got := f.room.State().Version; got != v+1 {
		t.Fatalf("version after Next = %d; want %d", got, v+1)
	}
	select {
	case <-sub.Changes():
	default:
		t.Fatalf("Next did not wake the screen before Do returned")
	}
	select {
	case <-watch:
	default:
		t.Fatalf("Next (a new current activity) did not wake the lobby")
	}
}

// TestSubmitKeepsOrder: one screen's commands reach the room in the order
// they were submitted, however fast they come.
func TestSubmitKeepsOrder(t *testing.T) {
	t.Run("steps add up", func(t *testing.T) {
		for i := range 50 {
			f, _ := netFixture(t, 0, false)
			sub := f.enter(host, "Host")
			var replies []<-chan error
			for range 5 {
				replies = append(replies, sub.Submit(AdjustNetworking{Setting: SettingRounds, By: +1}))
			}
			for k, r := range replies {
				if err := <-r; err != nil {
					t.Fatalf("run %d: step %d = %v", i, k+1, err)
				}
			}
			if got := f.net().Rounds; got != 2+5 {
				t.Fatalf("run %d: rounds = %d after five steps up from 2; want 7", i, got)
			}
		}
	})
	t.Run("steps against a limit", func(t *testing.T) {
		// From MaxRounds-1: up (to the limit), up (refused), down, down.
		// Any other order refuses another step or ends elsewhere.
		for i := range 50 {
			f, _ := netFixture(t, 0, false)
			sub := f.enter(host, "Host")
			set := f.net().Settings(f.room.State().Activity())
			set.Rounds = MaxRounds - 1
			f.must(host, set)
			steps := []int{+1, +1, -1, -1}
			var replies []<-chan error
			for _, by := range steps {
				replies = append(replies, sub.Submit(AdjustNetworking{Setting: SettingRounds, By: by}))
			}
			var got []bool
			for _, r := range replies {
				got = append(got, <-r == nil)
			}
			if want := []bool{true, false, true, true}; !slices.Equal(got, want) {
				t.Fatalf("run %d: steps %v accepted %v; want %v (applied in order)", i, steps, got, want)
			}
			if n := f.net().Rounds; n != MaxRounds-2 {
				t.Fatalf("run %d: rounds = %d; want %d", i, n, MaxRounds-2)
			}
		}
	})
	t.Run("the last ballot wins", func(t *testing.T) {
		f := topicsFixture(t)
		a := f.suggest(ana, "Damp")
		b := f.suggest(ben, "Bins")
		f.must(host, StartVoting{})
		sub := f.enter(ana, "Ana")
		for i := range 50 {
			first, second := vote.Ballot{a}, vote.Ballot{b}
			if i%2 == 1 {
				first, second = second, first
			}
			r1 := sub.Submit(CastBallot{Ballot: first})
			r2 := sub.Submit(CastBallot{Ballot: second})
			if err := <-r2; err != nil {
				t.Fatalf("run %d: second ballot = %v", i, err)
			}
			if err := <-r1; err != nil {
				t.Fatalf("run %d: first ballot = %v", i, err)
			}
			if got := f.poll().Ballot(ana); !slices.Equal(got, second) {
				t.Fatalf("run %d: saved ballot = %v; want %v, the one submitted last", i, got, second)
			}
		}
	})
}

// TestSubmitMaxQueued: a screen may have MaxQueued commands waiting; more
// are refused at once, and the ones queued are all applied.
func TestSubmitMaxQueued(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	sub := f.enter(ana, "Ana")
	b := newBlockCmd()
	first := sub.Submit(b) // taken off the queue by the sender, held in the loop
	select {
	case <-b.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the blocking command never reached the room")
	}
	var replies []<-chan error
	for i := range MaxQueued {
		replies = append(replies, sub.Submit(SetReady{Ready: i%2 == 0}))
	}
	extra := sub.Submit(SetReady{Ready: true})
	select {
	case err := <-extra:
		if !errors.Is(err, ErrTooMany) {
			t.Fatalf("command %d while %d wait = %v; want ErrTooMany", MaxQueued+1, MaxQueued, err)
		}
	default:
		t.Fatalf("command %d while %d wait was not refused at once", MaxQueued+1, MaxQueued)
	}
	close(b.release)
	if err := <-first; err != nil {
		t.Fatalf("blocking command = %v", err)
	}
	for i, r := range replies {
		if err := <-r; err != nil {
			t.Fatalf("queued command %d = %v; want applied", i+1, err)
		}
	}
	// The last one queued said ready = (MaxQueued-1)%2 == 0.
	if m, _ := f.room.State().Member(ana); m.Ready != ((MaxQueued-1)%2 == 0) {
		t.Fatalf("ana ready = %v after the queue drained; want the last queued value", m.Ready)
	}
	// The queue is free again.
	if err := <-sub.Submit(SetReady{Ready: false}); err != nil {
		t.Fatalf("after the queue drained: %v", err)
	}
}

// TestPanicInBatchIsRecovered: a command that panics is refused with
// ErrInternal; the commands that came with it in the same batch are
// applied, and the room (and every other room) carries on.
func TestPanicInBatchIsRecovered(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	other, err := f.hub.Create(f.ctx, host, "Other room", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Enter(f.ctx, host, "Host"); err != nil {
		t.Fatal(err)
	}
	title := f.room.State().Title
	release := f.block()
	type sent struct {
		by  PersonID
		cmd Command
	}
	batch := []sent{
		{host, panicCmd{}},
		{ana, SetReady{Ready: true}},
		{host, panicCmd{mutate: true}},
		{host, Announce{Text: "Back in five"}},
		{ben, SetReady{Ready: true}},
		{host, AddTime{By: time.Minute}},
		{ana, panicCmd{mutate: true}},
	}
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	for i, s := range batch {
		wg.Go(func() { errs[i] = f.room.Do(f.ctx, s.by, s.cmd) })
		f.queued(i + 1) // queued in this order, behind the blocker: one batch
	}
	release()
	wg.Wait()
	for i, s := range batch {
		_, panics := s.cmd.(panicCmd)
		switch {
		case panics && !errors.Is(errs[i], ErrInternal):
			t.Errorf("command %d (%s) = %v; want ErrInternal", i, s.cmd.Kind(), errs[i])
		case !panics && errs[i] != nil:
			t.Errorf("command %d (%s) = %v; want applied despite the panics in its batch", i, s.cmd.Kind(), errs[i])
		}
	}
	st := f.room.State()
	if m, _ := st.Member(ana); !m.Ready {
		t.Errorf("ana's ready from the batch was lost")
	}
	if m, _ := st.Member(ben); !m.Ready {
		t.Errorf("ben's ready from the batch was lost")
	}
	if st.Notice.Text != "Back in five" {
		t.Errorf("notice = %q; want the announcement from the batch", st.Notice.Text)
	}
	if got := st.Timer.Left; got != 6*time.Minute {
		t.Errorf("timer left = %v; want 6m (5m + the minute added in the batch)", got)
	}
	if st.Title != title || st.Agenda[0].Title == "half-made" || len(st.Members) != 3 {
		t.Errorf("a panicking command left a trace: title %q, first item %q, %d members", st.Title, st.Agenda[0].Title, len(st.Members))
	}
	for _, ev := range f.store.events[st.ID] {
		if ev.Kind == "test-panic" {
			t.Errorf("a panicking command was logged: %+v", ev)
		}
	}
	// The room carries on, and so does the other one.
	f.must(host, Next{})
	if got := f.room.State().Current; got != 1 {
		t.Errorf("after the panics, Next left Current at %d", got)
	}
	if err := other.Do(f.ctx, host, Next{}); err != nil {
		t.Errorf("other room after the panics: %v", err)
	}
	if err := other.Do(f.ctx, host, panicCmd{}); !errors.Is(err, ErrInternal) {
		t.Errorf("panic in the other room = %v; want ErrInternal", err)
	}
	if err := f.do(host, PauseTimer{}); err != nil {
		t.Errorf("first room after a panic in the other: %v", err)
	}
}

// TestPanicLeavesNoTrace: a command that changes the meetup and then
// panics, alone, leaves it exactly as it was and publishes nothing.
func TestPanicLeavesNoTrace(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	sub := f.enter(ana, "Ana")
	drain(sub.Changes())
	before := f.room.State()
	for _, by := range []PersonID{host, ana} {
		if err := f.do(by, panicCmd{mutate: true}); !errors.Is(err, ErrInternal) {
			t.Fatalf("panicking command by %s = %v; want ErrInternal", by, err)
		}
	}
	if after := f.room.State(); after != before {
		t.Fatalf("a panicking command published version %d (title %q)", after.Version, after.Title)
	}
	select {
	case <-sub.Changes():
		t.Fatalf("a panicking command woke a screen")
	default:
	}
	if before.Title != "Housing officers" || len(before.Members) != 2 {
		t.Fatalf("the published state was changed in place: %q, %d members", before.Title, len(before.Members))
	}
	if !strings.Contains(ErrInternal.Error(), "not done") {
		t.Fatalf("ErrInternal = %q; it must say the action was not done", ErrInternal)
	}
}

// TestPanicInPlanIsRecovered: the plan of a planned command runs outside
// the loop, in the caller's goroutine (a screen's sender, or the alarm's
// goroutine for a Wake). A panic there must not take the server down.
func TestPanicInPlanIsRecovered(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("Do panicked: %v", p)
			}
		}()
		return f.do(host, panicPlanCmd{})
	}()
	if !errors.Is(err, ErrInternal) {
		t.Fatalf("command whose plan panics = %v; want ErrInternal", err)
	}
	f.must(host, Next{})
}

// panicPlanCmd is a planned command whose plan panics.
type panicPlanCmd struct{}

func (panicPlanCmd) Kind() string          { return "test-panic-plan" }
func (panicPlanCmd) basis(*Meetup) string  { return "always" }
func (panicPlanCmd) plan(*Meetup) any      { panic("test: planning blew up") }
func (panicPlanCmd) apply(c *change) error { c.keep(); return nil }

// TestPlannedCommandReplannedWhenBasisChanges: while a command is being
// planned the room moves on and its basis no longer holds; it is planned
// again, on the new state, and applied there.
func TestPlannedCommandReplannedWhenBasisChanges(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.must(host, Announce{Text: "first"})
	p := planCmd{plans: new(atomic.Int32), entered: make(chan struct{}, 1), release: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- f.do(host, p) }()
	<-p.entered // planning on the state with "first"
	f.must(host, Announce{Text: "second"})
	close(p.release)
	if err := <-done; err != nil {
		t.Fatalf("planned command = %v", err)
	}
	if got := p.plans.Load(); got != 2 {
		t.Fatalf("plan called %d times; want 2 (once more after the basis changed)", got)
	}
	if got := f.room.State().Title; got != "planned on second" {
		t.Fatalf("title = %q; want it planned on the new state (\"planned on second\")", got)
	}

	// Without a change meanwhile, it is planned once.
	q := planCmd{plans: new(atomic.Int32)}
	f.must(host, q)
	if got := q.plans.Load(); got != 1 {
		t.Fatalf("plan called %d times with nothing in between; want 1", got)
	}
}

// TestPlannedCommandBusy: a basis that never holds gives ErrBusy after
// maxPlanTries plans, and changes nothing.
func TestPlannedCommandBusy(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	before := f.room.State()
	p := planCmd{plans: new(atomic.Int32), drift: new(atomic.Int32)}
	if err := f.do(host, p); !errors.Is(err, ErrBusy) {
		t.Fatalf("planned command whose basis never holds = %v; want ErrBusy", err)
	}
	if got := p.plans.Load(); got != maxPlanTries {
		t.Fatalf("plan called %d times; want %d", got, maxPlanTries)
	}
	if f.room.State() != before {
		t.Fatalf("a command refused as busy changed the meetup")
	}
}

func TestTimerShortenAndSet(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	left := func() time.Duration { return f.room.State().Timer.Remaining(f.clock.Now()) }
	// The welcome: 5 minutes, not started.
	f.must(host, AddTime{By: -2 * time.Minute})
	if got := left(); got != 3*time.Minute {
		t.Fatalf("5m less 2m before the start = %v; want 3m", got)
	}
	f.must(host, StartTimer{})
	f.clock.Advance(30 * time.Second)
	f.must(host, AddTime{By: -time.Minute})
	tm := f.room.State().Timer
	if !tm.Running || left() != 90*time.Second {
		t.Fatalf("running, 2m30s less 1m = %v (running %v); want 1m30s, still running", left(), tm.Running)
	}
	f.must(host, SetTime{Left: 2 * time.Minute})
	if tm := f.room.State().Timer; !tm.Running || left() != 2*time.Minute {
		t.Fatalf("set to 2m while running: %v (running %v)", left(), tm.Running)
	}
	f.clock.Advance(20 * time.Second)
	if got := left(); got != 100*time.Second {
		t.Fatalf("20s after setting 2m: %v; want 1m40s", got)
	}
	// Never below zero: then time is up.
	f.must(host, AddTime{By: -10 * time.Minute})
	if st := f.room.State(); left() != 0 || !st.Timer.Up(f.clock.Now()) || st.Current != 0 {
		t.Fatalf("after taking away more than was left: %v left, up %v, current %d; want 0, up, still the welcome", left(), st.Timer.Up(f.clock.Now()), st.Current)
	}
	// Set exactly while paused; a fraction of a second is rounded.
	f.must(host, PauseTimer{})
	f.must(host, SetTime{Left: 10*time.Minute + 400*time.Millisecond})
	if tm := f.room.State().Timer; tm.Running || tm.Left != 10*time.Minute {
		t.Fatalf("set to 10m0.4s while paused: %+v; want paused with 10m", tm)
	}
	f.clock.Advance(time.Minute)
	if got := left(); got != 10*time.Minute {
		t.Fatalf("paused timer moved: %v", got)
	}
	f.must(host, SetTime{Left: 0})
	if st := f.room.State(); !st.Timer.Up(f.clock.Now()) {
		t.Fatalf("set to 0: timer %+v not up", st.Timer)
	}
	f.must(host, AddTime{By: -time.Minute}) // paused at zero: nothing to take
	if got := f.room.State().Timer.Left; got != 0 {
		t.Fatalf("paused at zero, less a minute: %v", got)
	}
	f.must(host, SetTime{Left: MaxTimer})
	if got := left(); got != MaxTimer {
		t.Fatalf("set to the most: %v", got)
	}

	before := f.room.State()
	for _, tt := range []struct {
		cmd    Command
		errHas string
	}{
		{AddTime{By: 0}, "at most at once"},
		{AddTime{By: MaxExtend + time.Second}, "30m0s at most at once"},
		{AddTime{By: -MaxExtend - time.Second}, "30m0s at most at once"},
		{SetTime{Left: -time.Second}, "from 0:00 to 4:00:00"},
		{SetTime{Left: MaxTimer + time.Second}, "from 0:00 to 4:00:00"},
	} {
		if err := f.do(host, tt.cmd); err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%s %+v = %v; want a refusal saying %q", tt.cmd.Kind(), tt.cmd, err, tt.errHas)
		}
	}
	for _, cmd := range []Command{AddTime{By: -time.Minute}, SetTime{Left: time.Minute}} {
		if err := f.do(ana, cmd); !errors.Is(err, ErrNotFacilitator) {
			t.Errorf("%s by a participant = %v; want ErrNotFacilitator", cmd.Kind(), err)
		}
	}
	if f.room.State() != before {
		t.Fatalf("refused timer commands changed the meetup")
	}
	last := len(before.Agenda) - 1
	f.must(host, GoTo{Index: last})
	f.must(host, EditActivity{Index: last, Title: "Close", Duration: 0})
	for _, cmd := range []Command{AddTime{By: -time.Minute}, SetTime{Left: time.Minute}} {
		if err := f.do(host, cmd); !errors.Is(err, ErrNoTimer) {
			t.Errorf("%s on an untimed activity = %v; want ErrNoTimer", cmd.Kind(), err)
		}
	}
}

// TestShortenedTimeUpKeepsDeadline: once a running countdown is up, taking
// time away changes nothing; the deadline (and with it an auto-advancing
// round's pause) stays where it was.
func TestShortenedTimeUpKeepsDeadline(t *testing.T) {
	f, _ := netFixture(t, 3, true)
	f.must(host, StartTimer{})
	f.clock.Advance(9*time.Minute + 10*time.Second) // up; the pause ends at 9m15s
	deadline := f.room.State().Timer.Deadline
	f.must(host, AddTime{By: -time.Minute})
	if got := f.room.State().Timer.Deadline; !got.Equal(deadline) {
		t.Fatalf("deadline moved from %v to %v by taking time away when it was up", deadline, got)
	}
	f.clock.Advance(5 * time.Second)
	waitFor(t, func() bool { return len(f.net().Drawn) == 2 }, "round 2 drawn at the end of the pause")
}

// TestUniqueNames: a name another member shows gets a number; the number
// stays with its member; Rename refuses a name someone else shows.
func TestUniqueNames(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	name := func(id PersonID) string { m, _ := f.room.State().Member(id); return m.Name }
	f.enter(ana, "Ana")
	benSub := f.enter(ben, "Ana")
	f.enter(cy, "ana")
	f.enter(dee, "ANA")
	for _, tt := range []struct {
		id   PersonID
		want string
	}{{ana, "Ana"}, {ben, "Ana (2)"}, {cy, "ana (3)"}, {dee, "ANA (4)"}} {
		if got := name(tt.id); got != tt.want {
			t.Errorf("name of %s = %q; want %q", tt.id, got, tt.want)
		}
	}
	// Ben comes back as "Ana": he keeps his number, even after leaving.
	benSub.Close()
	waitFor(t, func() bool { m, _ := f.room.State().Member(ben); return !m.Present }, "ben gone")
	f.enter(ben, "Ana")
	if got := name(ben); got != "Ana (2)" {
		t.Fatalf("ben back as Ana = %q; want his \"Ana (2)\" kept", got)
	}
	f.enter(ben, "ana") // the same name typed in another case
	if got := name(ben); got != "Ana (2)" {
		t.Fatalf("ben back as ana = %q; want \"Ana (2)\" kept", got)
	}
	// Coming back under another name takes it.
	f.enter(ben, "Benjamin")
	if got := name(ben); got != "Benjamin" {
		t.Fatalf("ben back as Benjamin = %q", got)
	}
	// A fifth Ana gets the number Ben gave up.
	eve := PersonID("SHA256:eve")
	f.enter(eve, "Ana")
	if got := name(eve); got != "Ana (2)" {
		t.Fatalf("a new Ana = %q; want the free \"Ana (2)\"", got)
	}

	before := f.room.State()
	for _, tt := range []struct {
		name  string
		shown string
	}{{"Ana", "Ana"}, {"aNA", "Ana"}, {"ana (3)", "ana (3)"}, {"Host", "Host"}} {
		err := f.do(ben, Rename{Name: tt.name})
		want := fmt.Sprintf("someone here is already called %s: choose another name", tt.shown)
		if err == nil || err.Error() != want {
			t.Errorf("Rename(%q) = %v; want %q", tt.name, err, want)
		}
	}
	if f.room.State() != before {
		t.Fatalf("refused renames changed the meetup")
	}
	f.must(ana, Rename{Name: "ANA"}) // her own name in another case is hers
	if got := name(ana); got != "ANA" {
		t.Fatalf("ana renamed herself ANA: %q", got)
	}
	f.must(ben, Rename{Name: "Ben"})
	if got := name(ben); got != "Ben" {
		t.Fatalf("rename to a free name = %q", got)
	}

	// A long name keeps to the limit with its number.
	long := strings.Repeat("x", MaxNameLen)
	f.enter("SHA256:l1", long)
	f.enter("SHA256:l2", long)
	if got := name("SHA256:l2"); Len(got) != MaxNameLen || !strings.HasSuffix(got, " (2)") {
		t.Fatalf("second %d-character name = %q (%d characters); want %d with \" (2)\"", MaxNameLen, got, Len(got), MaxNameLen)
	}
}
