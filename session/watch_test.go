package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session/vote"
)

// woken waits for a wake-up on s, failing after a few seconds.
func woken(t *testing.T, s *Subscription, what string) {
	t.Helper()
	select {
	case <-s.Changes():
	case <-time.After(5 * time.Second):
		t.Fatalf("the watcher was not woken by %s", what)
	}
}

// TestWatchChangesNothing: opening, reading and closing a watcher leaves
// the meetup exactly as it was; the watcher is nobody, sees what
// participants see, and may do nothing.
func TestWatchChangesNothing(t *testing.T) {
	f := topicsFixture(t)
	f.must(ana, SuggestTopic{Text: "Damp in older flats"})
	f.must(ben, SuggestTopic{Text: "Tenant newsletters"})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{"t1", "t1", "t2"}})
	before := f.room.State()

	// The code however it was typed, as on the command line.
	code := strings.ToLower(FormatCode(before.Code))
	w, err := f.hub.WatchMeetup(code)
	if err != nil {
		t.Fatalf("WatchMeetup(%q): %v", code, err)
	}
	if !w.Watching() || w.Person() != "" {
		t.Fatalf("watcher: Watching %v, Person %q; want true and nobody", w.Watching(), w.Person())
	}
	v := w.View()
	if v.Me != "" || v.Role != "" || v.Own != nil || v.Facilitates() {
		t.Fatalf("watcher's view: Me %q, Role %q, Own %v, facilitates %v; want nobody's", v.Me, v.Role, v.Own, v.Facilitates())
	}
	if len(v.Members) != len(before.Members) || v.Present() != before.Present() {
		t.Fatalf("the watcher is counted: %d members, %d present; want %d and %d", len(v.Members), v.Present(), len(before.Members), before.Present())
	}
	// What participants see: no ballots, no authors, no tallies.
	vs := v.Activity().State.(*Vote)
	p, _ := vs.Poll()
	if p.Ballots != nil || p.HasVoted(ana) || p.Cast() != 1 {
		t.Fatalf("watcher's poll: ballots %v, ana voted %v, cast %d; want no ballots, no names, 1 cast", p.Ballots, p.HasVoted(ana), p.Cast())
	}
	if _, ok := p.Live(); ok {
		t.Fatalf("the watcher sees live results while they are hidden")
	}
	for _, tp := range vs.Topics {
		if len(tp.Authors) > 0 {
			t.Fatalf("the watcher sees who suggested %q", tp.Text)
		}
	}

	// It can do nothing.
	for _, cmd := range []Command{SetReady{Ready: true}, Next{}, End{}, CloseVoting{}} {
		if err := <-w.Submit(cmd); !errors.Is(err, ErrWatchOnly) {
			t.Fatalf("%s from a watcher = %v; want ErrWatchOnly", cmd.Kind(), err)
		}
	}
	w.Close()
	w.Close() // twice is harmless
	// Nothing was published: the state is the very one from before.
	if got := f.room.State(); got != before {
		t.Fatalf("watching changed the meetup: version %d, then %d", before.Version, got.Version)
	}
}

// TestWatchWokenOnChange: a watcher is woken by every change like any
// screen, and sees the newest state; one that never reads blocks nobody.
func TestWatchWokenOnChange(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	w, err := f.room.Watch()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	idle, err := f.room.Watch() // never reads
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()

	f.must(host, Next{})
	woken(t, w, "a move to the next activity")
	if got := w.View().Current; got != 1 {
		t.Fatalf("watcher sees activity %d; want 1", got)
	}
	f.must(host, StartTimer{})
	f.must(host, Announce{Text: "Groups are on the screen"})
	woken(t, w, "the timer and a notice")
	v := w.View()
	if !v.Timer.Running || v.Notice.Text != "Groups are on the screen" {
		t.Fatalf("watcher's view: timer %+v, notice %q", v.Timer, v.Notice.Text)
	}
	// The networking groups hold the people, never the watcher.
	r, _, ok := v.Activity().State.(*Networking).Round()
	if !ok || len(r.People()) != 1 || r.People()[0] != ana {
		t.Fatalf("round 1 = %+v; want Ana alone (the host runs it, the watcher is nobody)", r)
	}
	// A person leaving is seen; the watcher does not keep anyone present.
	s := f.enter(ben, "Ben")
	woken(t, w, "a person joining")
	s.Close()
	waitFor(t, func() bool { m, _ := w.View().Member(ben); return !m.Present }, "Ben shown gone to the watcher")
}

// TestWatchEnded: the end of the meetup reaches the watcher; an ended
// meetup stays loaded while it is watched, can be watched after it was
// let go, and is let go when its last watcher closes.
func TestWatchEnded(t *testing.T) {
	f := newFixture(t)
	hs := f.enter(host, "Host")
	w, err := f.hub.WatchMeetup(f.room.State().Code)
	if err != nil {
		t.Fatal(err)
	}
	f.must(host, End{})
	woken(t, w, "the end of the meetup")
	if !w.View().Ended() {
		t.Fatalf("the watcher does not see the meetup ended")
	}
	hs.Close()
	// The host's leaving is applied before the room could be let go.
	waitFor(t, func() bool { return f.room.State().Present() == 0 }, "the host shown gone")
	if got := f.hub.Loaded(); got != 1 {
		t.Fatalf("loaded = %d while the ended meetup is watched; want 1", got)
	}
	w.Close()
	waitFor(t, func() bool { return f.hub.Loaded() == 0 }, "the ended meetup let go once nobody watches")

	// Watching it again loads it as saved, and changes nothing.
	code := f.room.State().Code
	seq := f.room.State().Seq
	w, err = f.hub.WatchMeetup(code)
	if err != nil {
		t.Fatalf("watching a let-go meetup: %v", err)
	}
	v := w.View()
	if !v.Ended() || v.Seq != seq || v.Present() != 0 {
		t.Fatalf("reloaded for a watcher: ended %v, seq %d (want %d), %d present", v.Ended(), v.Seq, seq, v.Present())
	}
	w.Close()
	waitFor(t, func() bool { return f.hub.Loaded() == 0 }, "let go again")

	if _, err := f.hub.WatchMeetup("ZZZZZZ"); !errors.Is(err, ErrUnknownCode) {
		t.Fatalf("watching an unknown code = %v; want ErrUnknownCode", err)
	}
}
