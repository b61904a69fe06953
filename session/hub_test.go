package session

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/convene/convene/session/clocktest"
)

// within runs f and fails the test if it has not returned after a few
// seconds: for calls that must not wait on something else.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return: it waits for something it should not", what)
	}
}

func TestEndedMeetupsLetGo(t *testing.T) {
	f := newFixture(t)
	hs := f.enter(host, "Host")
	as := f.enter(ana, "Ana")
	f.clock.Advance(time.Minute) // created later: listed first, also after a restart
	live, err := f.hub.Create(f.ctx, host, "Still on", "")
	if err != nil {
		t.Fatal(err)
	}
	f.must(host, Next{})
	f.must(host, End{})
	ended := f.room.State()
	code := ended.Code
	if got := f.hub.Loaded(); got != 2 {
		t.Fatalf("loaded = %d with both meetups open; want 2", got)
	}
	old := f.room
	hs.Close()
	as.Close()
	waitFor(t, func() bool { return f.hub.Loaded() == 1 }, "the ended meetup let go when its last screen closed")
	if rooms := f.hub.Rooms(); len(rooms) != 1 || rooms[0] != live {
		t.Fatalf("rooms held = %v; want only the meetup still on", rooms)
	}
	if err := old.Do(f.ctx, host, SetReady{Ready: true}); !errors.Is(err, ErrClosed) {
		t.Fatalf("a command to the let-go room = %v; want ErrClosed", err)
	}

	list := f.hub.List()
	if len(list) != 2 || list[0].Code != live.State().Code || list[1].Code != code {
		t.Fatalf("List() = %+v; want both meetups, newest first", list)
	}
	// (Present is not checked here: see TestLetGoMeetupListsNobody.)
	if list[0].Ended() || !list[1].Ended() || list[1].Activity != "" || list[0].Activity != "Welcome" {
		t.Fatalf("List() = %+v; want the first on (in its welcome), the second ended", list)
	}

	// Opening it loads it again, as it was.
	r, err := f.hub.Find(code)
	if err != nil {
		t.Fatalf("Find of a let-go meetup: %v", err)
	}
	if r == old || f.hub.Loaded() != 2 {
		t.Fatalf("Find gave the old room (%v) or loaded %d rooms", r == old, f.hub.Loaded())
	}
	got := r.State()
	if !got.Ended() || !got.EndedAt.Equal(ended.EndedAt) || got.Title != ended.Title || got.Seq != ended.Seq ||
		got.Current != ended.Current || !slices.Equal(titles(got), titles(ended)) || len(got.Members) != 2 || got.Present() != 0 {
		t.Fatalf("reloaded meetup = %+v; want the ended one as saved (seq %d), nobody present", got, ended.Seq)
	}
	if r2, _ := f.hub.Find(code); r2 != r {
		t.Fatalf("a second Find loaded the meetup again")
	}
	// A member may look at it again; a newcomer may not join it.
	f.room = r
	s := f.enter(ana, "Ana")
	if m, _ := r.State().Member(ana); !m.Present {
		t.Fatalf("ana not shown in the reopened meetup")
	}
	if _, err := f.hub.Enter(f.ctx, code, ben, "Ben"); !errors.Is(err, ErrEnded) {
		t.Fatalf("a newcomer entering an ended meetup = %v; want ErrEnded", err)
	}
	s.Close()
	waitFor(t, func() bool { return f.hub.Loaded() == 1 }, "let go again")
	// Entering again after it was let go loads it afresh.
	s, err = f.hub.Enter(f.ctx, code, ana, "Ana")
	if err != nil {
		t.Fatalf("entering a let-go meetup: %v", err)
	}
	s.Close()
	waitFor(t, func() bool { return f.hub.Loaded() == 1 }, "let go a third time")

	// A restart does not load ended meetups, and still lists them.
	f.hub.Close()
	f.start()
	if got := f.hub.Loaded(); got != 1 {
		t.Fatalf("after a restart %d rooms loaded; want 1 (the meetup still on)", got)
	}
	list = f.hub.List()
	if len(list) != 2 || list[0].Ended() || !list[1].Ended() || list[1].Title != ended.Title {
		t.Fatalf("List() after a restart = %+v", list)
	}
	if _, err := f.hub.Find(code); err != nil || f.hub.Loaded() != 2 {
		t.Fatalf("Find after a restart: %v, loaded %d", err, f.hub.Loaded())
	}
}

// TestLetGoMeetupListsNobody: a meetup let go because nobody has it open
// is listed with nobody in it, even when the last screens closed at once.
func TestLetGoMeetupListsNobody(t *testing.T) {
	// The room's loop may still apply the waiting Leaves before it stops
	// (then the summary is right), so try a few times.
	for run := range 20 {
		f := newFixture(t)
		hs := f.enter(host, "Host")
		as := f.enter(ana, "Ana")
		f.must(host, End{})
		// Both screens close while the room is busy: their Leaves wait,
		// and the last Close's release (run here, as it would be from a
		// third screen closing) comes before them.
		unblock := f.block()
		hs.Close()
		as.Close()
		f.queued(2)
		released := make(chan struct{})
		go func() { f.hub.release(f.room); close(released) }()
		waitFor(t, func() bool { return f.hub.Loaded() == 0 }, "the meetup let go")
		unblock()
		<-released
		if list := f.hub.List(); len(list) != 1 || list[0].Present != 0 {
			t.Fatalf("run %d: List() = %+v; want the ended meetup with nobody present", run, list)
		}
	}
}

// slowStore is a store whose commit of the meetup titled "Slow" waits
// until release is closed.
type slowStore struct {
	*memStore
	entered chan struct{}
	release chan struct{}
}

func (s *slowStore) Commit(m *Meetup, evs []Event) error {
	if m.Title == "Slow" && len(evs) > 0 && evs[0].Kind == "create" {
		s.entered <- struct{}{}
		<-s.release
	}
	return s.memStore.Commit(m, evs)
}

// TestCreateDoesNotHoldTheHub: while a new meetup is written to disk,
// everyone else keeps listing, finding and using meetups.
func TestCreateDoesNotHoldTheHub(t *testing.T) {
	f := &fixture{t: t, store: newMemStore(), clock: clocktest.New(t0), ctx: t.Context()}
	store := &slowStore{memStore: f.store, entered: make(chan struct{}, 1), release: make(chan struct{})}
	hub, err := NewHub(HubConfig{Store: store, Clock: f.clock, Facilitator: func(id PersonID) bool { return id == host }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hub.Close)
	var released bool
	t.Cleanup(func() {
		if !released {
			close(store.release)
		}
	})
	f.hub = hub
	if f.room, err = hub.Create(f.ctx, host, "Fast", ""); err != nil {
		t.Fatal(err)
	}
	ended, err := hub.Create(f.ctx, host, "Over", "")
	if err != nil {
		t.Fatal(err)
	}
	hs, err := ended.Enter(f.ctx, host, "Host")
	if err != nil {
		t.Fatal(err)
	}
	if err := ended.Do(f.ctx, host, End{}); err != nil {
		t.Fatal(err)
	}
	hs.Close()
	waitFor(t, func() bool { return hub.Loaded() == 1 }, "the ended meetup let go")

	type created struct {
		r   *Room
		err error
	}
	slow := make(chan created, 1)
	go func() {
		r, err := hub.Create(f.ctx, host, "Slow", "")
		slow <- created{r, err}
	}()
	<-store.entered // the new meetup is being written
	within(t, "List while a meetup is being created", func() {
		if got := len(hub.List()); got != 2 {
			t.Errorf("List() has %d meetups while the third is written; want 2", got)
		}
	})
	within(t, "Find while a meetup is being created", func() {
		if r, err := hub.Find(f.room.State().Code); err != nil || r != f.room {
			t.Errorf("Find = %v, %v", r, err)
		}
		if _, err := hub.Find(ended.State().Code); err != nil { // loads from the store
			t.Errorf("Find of the ended meetup = %v", err)
		}
	})
	within(t, "entering and acting in another meetup while one is being created", func() {
		if _, err := f.room.Enter(f.ctx, ana, "Ana"); err != nil {
			t.Errorf("Enter = %v", err)
		}
		if err := f.do(ana, SetReady{Ready: true}); err != nil {
			t.Errorf("SetReady = %v", err)
		}
	})
	within(t, "Templates while a meetup is being created", func() {
		if _, err := hub.Templates(); err != nil {
			t.Errorf("Templates = %v", err)
		}
	})
	close(store.release)
	released = true
	c := <-slow
	if c.err != nil || c.r.State().Title != "Slow" {
		t.Fatalf("the slow Create = %v, %v", c.r, c.err)
	}
	if got := len(hub.List()); got != 3 {
		t.Fatalf("List() has %d meetups once created; want 3", got)
	}
}

// TestCreateFailureLosesNothing: a meetup the disk refused is not listed
// and its code is free again.
func TestCreateFailureLosesNothing(t *testing.T) {
	f := newFixture(t)
	watch, stop := f.hub.Watch()
	defer stop()
	drain(watch)
	f.store.mu.Lock()
	f.store.fail = errors.New("disk full")
	f.store.mu.Unlock()
	if _, err := f.hub.Create(f.ctx, host, "Doomed", ""); !errors.Is(err, ErrSave) {
		t.Fatalf("Create with a failing disk = %v; want ErrSave", err)
	}
	if got := len(f.hub.List()); got != 1 {
		t.Fatalf("List() has %d meetups after a failed Create; want 1", got)
	}
	select {
	case <-watch:
		t.Fatalf("a failed Create woke the lobby")
	default:
	}
	f.hub.mu.Lock()
	reserved := len(f.hub.reserved)
	f.hub.mu.Unlock()
	if reserved != 0 {
		t.Fatalf("%d codes still reserved after the failed Create", reserved)
	}
	f.store.mu.Lock()
	f.store.fail = nil
	f.store.mu.Unlock()
	if _, err := f.hub.Create(f.ctx, host, "Again", ""); err != nil {
		t.Fatalf("Create once the disk is back: %v", err)
	}
	select {
	case <-watch:
	default:
		t.Fatalf("a new meetup did not wake the lobby")
	}
}

// TestStopWatchingEndsTheWait: stopping a watch closes its channel, so a
// goroutine waiting on it ends instead of waiting for the next change;
// stopping twice is harmless, and changes after it reach nobody.
func TestStopWatchingEndsTheWait(t *testing.T) {
	f := newFixture(t)
	watch, stop := f.hub.Watch()
	drain(watch)
	ended := make(chan struct{})
	go func() {
		<-watch
		close(ended)
	}()
	stop()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the wait on a stopped watch did not end")
	}
	stop()
	if _, err := f.hub.Create(f.ctx, host, "After", ""); err != nil {
		t.Fatal(err)
	}
	if _, open := <-watch; open {
		t.Fatal("a stopped watch was woken")
	}
}
