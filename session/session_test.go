package session

import (
	"context"
	"errors"
	"github.com/convene/convene/session/clocktest"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is an in-memory Store; fail makes Commit fail.
type memStore struct {
	mu      sync.Mutex
	alive   time.Time
	meetups map[string]*Meetup
	events  map[string][]Event
	people  map[PersonID]Person
	// templates by lower-cased name
	templates map[string]Template
	fail      error
}

func newMemStore() *memStore {
	return &memStore{meetups: map[string]*Meetup{}, events: map[string][]Event{}, people: map[PersonID]Person{}, templates: map[string]Template{}}
}

func (s *memStore) Commit(m *Meetup, evs []Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	c := m.clone()
	s.meetups[m.ID] = c
	s.events[m.ID] = append(s.events[m.ID], evs...)
	if len(evs) > 0 && evs[len(evs)-1].At.After(s.alive) {
		s.alive = evs[len(evs)-1].At
	}
	return nil
}

func (s *memStore) Meetups() ([]*Meetup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Meetup
	for _, m := range s.meetups {
		out = append(out, m.clone())
	}
	return out, nil
}

func (s *memStore) Meetup(id string) (*Meetup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.meetups[id]
	if !ok {
		return nil, ErrUnknownCode
	}
	return m.clone(), nil
}

func (s *memStore) Templates() ([]Template, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Template
	for _, t := range s.templates {
		out = append(out, t)
	}
	return out, nil
}

func (s *memStore) SaveTemplate(t Template) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.templates[strings.ToLower(t.Name)] = t
	return nil
}

func (s *memStore) DeleteTemplate(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.templates, strings.ToLower(name))
	return nil
}

func (s *memStore) MarkAlive(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.After(s.alive) {
		s.alive = t
	}
	return nil
}

func (s *memStore) LastAlive() (time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.alive, !s.alive.IsZero(), nil
}

func (s *memStore) Person(id PersonID) (Person, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.people[id]
	return p, ok, nil
}

func (s *memStore) SavePerson(p Person) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.people[p.ID] = p
	return nil
}

const (
	host PersonID = "SHA256:host"
	ana  PersonID = "SHA256:ana"
	ben  PersonID = "SHA256:ben"
)

var t0 = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

type fixture struct {
	t     *testing.T
	store *memStore
	clock *clocktest.Clock
	hub   *Hub
	room  *Room
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, store: newMemStore(), clock: clocktest.New(t0), ctx: context.Background()}
	f.start()
	r, err := f.hub.Create(f.ctx, host, "Housing officers", "")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	f.room = r
	return f
}

func (f *fixture) start() {
	f.t.Helper()
	hub, err := NewHub(HubConfig{Store: f.store, Clock: f.clock, Facilitator: func(id PersonID) bool { return id == host }})
	if err != nil {
		f.t.Fatalf("NewHub: %v", err)
	}
	f.hub = hub
	f.t.Cleanup(hub.Close)
}

func (f *fixture) enter(id PersonID, name string) *Subscription {
	f.t.Helper()
	s, err := f.room.Enter(f.ctx, id, name)
	if err != nil {
		f.t.Fatalf("Enter(%s): %v", id, err)
	}
	return s
}

func (f *fixture) do(id PersonID, cmd Command) error {
	return f.room.Do(f.ctx, id, cmd)
}

func (f *fixture) must(id PersonID, cmd Command) {
	f.t.Helper()
	if err := f.do(id, cmd); err != nil {
		f.t.Fatalf("%s by %s: %v", cmd.Kind(), id, err)
	}
}

func TestAgendaMoves(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.must(host, Next{})
	if got := f.room.State().Current; got != 1 {
		t.Fatalf("after Next, Current = %d; want 1", got)
	}
	f.must(host, Prev{})
	if err := f.do(host, Prev{}); err == nil {
		t.Fatalf("Prev at the first activity succeeded")
	}
	last := len(f.room.State().Agenda) - 1
	f.must(host, GoTo{Index: last})
	if err := f.do(host, Next{}); err == nil {
		t.Fatalf("Next at the last activity succeeded")
	}
	if err := f.do(host, GoTo{Index: 99}); !errors.Is(err, ErrBadAgenda) {
		t.Fatalf("GoTo(99) = %v; want ErrBadAgenda", err)
	}
	f.must(host, End{})
	if !f.room.State().Ended() {
		t.Fatalf("meetup not ended after End")
	}
	if err := f.do(host, GoTo{Index: 0}); !errors.Is(err, ErrEnded) {
		t.Fatalf("GoTo after End = %v; want ErrEnded", err)
	}
}

func TestTimer(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")  // someone to put in the networking groups
	f.must(host, Next{}) // networking round 1: 9 minutes
	st := f.room.State()
	if st.Timer.Started || st.Timer.Remaining(f.clock.Now()) != 9*time.Minute {
		t.Fatalf("new activity timer = %+v; want 9m not started", st.Timer)
	}
	f.must(host, StartTimer{})
	f.clock.Advance(2 * time.Minute)
	if got := f.room.State().Timer.Remaining(f.clock.Now()); got != 7*time.Minute {
		t.Fatalf("after 2m, remaining = %v; want 7m", got)
	}
	f.must(host, PauseTimer{})
	f.clock.Advance(10 * time.Minute)
	if got := f.room.State().Timer.Remaining(f.clock.Now()); got != 7*time.Minute {
		t.Fatalf("paused 10m, remaining = %v; want 7m", got)
	}
	f.must(host, AddTime{By: time.Minute})
	f.must(host, StartTimer{})
	f.clock.Advance(3 * time.Minute)
	if got := f.room.State().Timer.Remaining(f.clock.Now()); got != 5*time.Minute {
		t.Fatalf("remaining = %v; want 5m", got)
	}
	f.clock.Advance(5 * time.Minute)
	st = f.room.State()
	if !st.Timer.Up(f.clock.Now()) {
		t.Fatalf("timer not up at zero: %+v", st.Timer)
	}
	if st.Current != 1 {
		t.Fatalf("time up moved the agenda to %d; only the facilitator moves on", st.Current)
	}
	// Extra time after time is up counts from now, not from the old deadline.
	f.clock.Advance(30 * time.Second)
	f.must(host, AddTime{By: time.Minute})
	if got := f.room.State().Timer.Remaining(f.clock.Now()); got != time.Minute {
		t.Fatalf("after time up + 1m, remaining = %v; want 1m", got)
	}
	if err := f.do(host, AddTime{By: 2 * time.Hour}); err == nil {
		t.Fatalf("adding 2h succeeded")
	}
	last := len(st.Agenda) - 1
	f.must(host, GoTo{Index: last})
	f.must(host, EditActivity{Index: last, Title: "Close", Duration: 0})
	if err := f.do(host, StartTimer{}); !errors.Is(err, ErrNoTimer) {
		t.Fatalf("StartTimer on untimed activity = %v; want ErrNoTimer", err)
	}
}

func TestRolesEnforced(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	before := f.room.State()
	for _, cmd := range []Command{Next{}, Prev{}, GoTo{Index: 2}, StartTimer{}, PauseTimer{}, AddTime{By: time.Minute}, End{}, Announce{Text: "hi"}, SetRole{Person: ana, Role: RoleCoFacilitator}} {
		if err := f.do(ana, cmd); !errors.Is(err, ErrNotFacilitator) {
			t.Errorf("%s by participant = %v; want ErrNotFacilitator", cmd.Kind(), err)
		}
	}
	after := f.room.State()
	if after.Version != before.Version || after.Current != before.Current {
		t.Fatalf("refused commands changed the meetup: version %d -> %d", before.Version, after.Version)
	}
	if err := f.do(ben, SetReady{Ready: true}); !errors.Is(err, ErrNotMember) {
		t.Fatalf("stranger SetReady = %v; want ErrNotMember", err)
	}
	if _, err := f.hub.Create(f.ctx, ana, "Mine", ""); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant Create = %v; want ErrNotFacilitator", err)
	}
	// A co-facilitator can run the meetup, and can be demoted.
	f.must(host, SetRole{Person: ana, Role: RoleCoFacilitator})
	f.must(ana, Next{})
	if err := f.do(ana, SetRole{Person: host, Role: RoleParticipant}); err == nil {
		t.Fatalf("co-facilitator demoted the host")
	}
	f.must(host, SetRole{Person: ana, Role: RoleParticipant})
	if err := f.do(ana, Next{}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("demoted Next = %v; want ErrNotFacilitator", err)
	}
}

func TestPresenceAndTakeover(t *testing.T) {
	f := newFixture(t)
	s1 := f.enter(ana, "Ana")
	if m, _ := f.room.State().Member(ana); !m.Present {
		t.Fatalf("Ana not present after Enter")
	}
	s2 := f.enter(ana, "Ana")
	select {
	case <-s1.Replaced():
	default:
		t.Fatalf("first connection not told it was replaced")
	}
	s1.Close()                         // the replaced screen closing must not mark Ana gone
	f.must(ana, SetReady{Ready: true}) // a command after the Leave, to wait on it
	if m, _ := f.room.State().Member(ana); !m.Present {
		t.Fatalf("Ana shown gone while her second connection is open")
	}
	s2.Close()
	waitFor(t, func() bool { m, _ := f.room.State().Member(ana); return !m.Present }, "Ana gone")
	if got := len(f.room.State().Members); got != 1 {
		t.Fatalf("members = %d; want 1 (rejoin is the same person)", got)
	}
}

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSubscribersWokenAndNeverBlock(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	slow := f.enter(ana, "Ana") // never reads
	fast := f.enter(ben, "Ben")
	for range 50 {
		f.must(host, AddTime{By: time.Second})
	}
	select {
	case <-fast.Changes():
	default:
		t.Fatalf("subscriber not woken")
	}
	if len(slow.Changes()) != 1 {
		t.Fatalf("slow mailbox holds %d; want exactly 1", len(slow.Changes()))
	}
}

func TestRestoreResumesActivityAndClock(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.must(host, Next{})
	f.must(host, StartTimer{})
	f.clock.Advance(90 * time.Second)
	code := f.room.State().Code
	f.hub.Close()

	f.clock.Advance(10 * time.Second) // the server was down for ten seconds
	f.start()
	r, err := f.hub.Find(strings.ToLower(code))
	if err != nil {
		t.Fatalf("Find after restart: %v", err)
	}
	st := r.State()
	if st.Current != 1 {
		t.Fatalf("restored Current = %d; want 1", st.Current)
	}
	// The clock is where it was: the ten seconds down are not lost.
	if got := st.Timer.Remaining(f.clock.Now()); got != 9*time.Minute-90*time.Second {
		t.Fatalf("restored remaining = %v; want %v", got, 9*time.Minute-90*time.Second)
	}
	if m, ok := st.Member(ana); !ok || m.Present {
		t.Fatalf("restored Ana = %+v, %v; want a member shown gone", m, ok)
	}
}

func TestSaveFailureRefusesChange(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	s := f.enter(ben, "Ben")
	f.store.mu.Lock()
	f.store.fail = errors.New("bbolt: write /data/convene.db: no space left on device")
	f.store.mu.Unlock()
	err := f.do(host, Next{})
	if !errors.Is(err, ErrSave) {
		t.Fatalf("Next with failing store = %v; want ErrSave", err)
	}
	// People are told in plain words; the store's own text is for the log.
	if strings.Contains(err.Error(), "bbolt") || !strings.Contains(err.Error(), "not saved") {
		t.Fatalf("the refusal says %q; want plain words that it was not saved", err)
	}
	if got := f.room.State().Current; got != 0 {
		t.Fatalf("unsaved change published: Current = %d", got)
	}
	// Presence still works without the disk; joining anew needs it.
	s.Close()
	waitFor(t, func() bool { m, _ := f.room.State().Member(ben); return !m.Present }, "Ben gone")
	if _, err := f.room.Enter(f.ctx, ana, "Ana"); !errors.Is(err, ErrSave) {
		t.Fatalf("new member with failing store = %v; want ErrSave", err)
	}
}

func TestCleanText(t *testing.T) {
	zalgo := "Z" + strings.Repeat("\u0301", 50) + "ed"
	tests := []struct{ in, want string }{
		{"  Ana  ", "Ana"},
		{"Ana\x1b[31mRed\x1b[0m", "AnaRed"},
		{"a\x1b]0;title\x07b", "ab"},
		{"a\nb\tc\r\n d", "a b c d"},
		{"bell\x07\x00\x7f\u009b", "bell"},
		{"\u202eevil", "evil"},
		{"日本語", "日本語"},
		{"e\u0301", "e\u0301"},
		{zalgo, "Zed"},
		{"👩‍👩‍👧‍👦 fam", "👩👩👧👦 fam"},
		{"Dee 🌻🏳️‍🌈", "Dee 🌻🏳🌈"},
		{"👍🏽ok", "👍ok"},
		{"bad\xffutf8", "badutf8"},
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if _, err := CleanName(strings.Repeat("é", 41)); err == nil {
		t.Errorf("CleanName of 41 characters succeeded")
	}
	if got, err := CleanName(strings.Repeat("e\u0301", 40)); err != nil || Len(got) != 40 {
		t.Errorf("CleanName of 40 decomposed characters = %q, %v", got, err)
	}
	if _, err := CleanName("\x1b[2J"); !errors.Is(err, ErrEmptyText) {
		t.Errorf("CleanName of only escapes = %v; want ErrEmptyText", err)
	}
	if w := Width("日本"); w != 4 {
		t.Errorf("Width(日本) = %d; want 4", w)
	}
}

func TestCodes(t *testing.T) {
	for range 200 {
		c := newCode()
		if len(c) != CodeLen || strings.ContainsAny(c, "0O1lI") {
			t.Fatalf("newCode() = %q: wrong length or confusable characters", c)
		}
	}
	if got := NormalizeCode(" abc-def "); got != "ABCDEF" {
		t.Errorf("NormalizeCode = %q", got)
	}
	f := newFixture(t)
	if _, err := f.hub.Find("ZZZZZZ"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("Find unknown = %v", err)
	}
}

// TestCrashResumesClockWithinAHeartbeat: after a crash (no clean stop) a
// running countdown resumes where it was, short by at most a heartbeat.
func TestCrashResumesClockWithinAHeartbeat(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana") // someone to put in the networking groups
	f.must(host, Next{})
	f.must(host, StartTimer{})
	for range 3 {
		f.clock.Advance(Heartbeat)
	}
	waitFor(t, func() bool {
		a, _, _ := f.store.LastAlive()
		return a.Equal(t0.Add(3 * Heartbeat))
	}, "heartbeat")
	f.clock.Advance(Heartbeat / 2) // the crash comes between two beats
	crashed := f.hub
	// A crashed process beats no more (and never gets to record its stop).
	crashed.beatMu.Lock()
	crashed.beatStopped = true
	if crashed.stopBeat != nil {
		crashed.stopBeat()
	}
	crashed.beatMu.Unlock()
	f.clock.Advance(time.Minute) // down for a minute
	f.start()                    // a new process on the same store; the old one is gone
	_ = crashed
	r, err := f.hub.Find(f.room.State().Code)
	if err != nil {
		t.Fatal(err)
	}
	got := r.State().Timer.Remaining(f.clock.Now())
	want := 9*time.Minute - 3*Heartbeat
	if got != want {
		t.Fatalf("after a crash the clock shows %v; want %v (the clock at the last heartbeat)", got, want)
	}
	evs := f.store.events[r.State().ID]
	if last := evs[len(evs)-1]; last.Kind != "resume" {
		t.Fatalf("last event = %q; want resume", last.Kind)
	}
}

func TestGoingBackKeepsTheActivityClock(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana") // someone to put in the networking groups
	f.must(host, Next{})
	f.must(host, StartTimer{})
	f.clock.Advance(2 * time.Minute)
	f.must(host, Next{})
	f.clock.Advance(5 * time.Minute)
	f.must(host, Prev{})
	tm := f.room.State().Timer
	if tm.Running || !tm.Started || tm.Remaining(f.clock.Now()) != 7*time.Minute {
		t.Fatalf("back in the activity, timer = %+v; want paused with 7m left", tm)
	}
}

// TestDoTimeoutMeansNotApplied: a caller that gives up waiting is told so
// only if its command will not be applied.
func TestDoTimeoutMeansNotApplied(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.must(host, Next{})
	before := f.room.State().Timer.Left
	for range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- f.room.Do(ctx, host, AddTime{By: time.Second}) }()
		cancel()
		if err := <-done; err == nil {
			before += time.Second
		}
	}
	if got := f.room.State().Timer.Left; got != before {
		t.Fatalf("timer left %v; want %v: a cancelled Do was applied anyway, or a nil one was not", got, before)
	}
}

// TestHeartbeatOnlyWhileACountdownRuns: an idle server does no work, so
// the heartbeat is set only while some countdown runs; and a crash right
// after a countdown started, before any beat, still resumes it where it
// was, because the change that started it recorded that the server was
// alive then.
func TestHeartbeatOnlyWhileACountdownRuns(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	if n := f.clock.Pending(); n != 0 {
		t.Fatalf("an idle hub has %d timers set; want none", n)
	}
	f.clock.Advance(time.Hour) // idle for an hour: nothing beats
	f.must(host, StartTimer{})
	if n := f.clock.Pending(); n != 1 {
		t.Fatalf("with a countdown running, %d timers are set; want the heartbeat", n)
	}
	f.clock.Advance(Heartbeat / 2) // the crash comes before the first beat
	crashed := f.hub
	crashed.beatMu.Lock()
	crashed.beatStopped = true
	if crashed.stopBeat != nil {
		crashed.stopBeat()
	}
	crashed.beatMu.Unlock()
	f.clock.Advance(time.Minute)
	f.start()
	r, err := f.hub.Find(f.room.State().Code)
	if err != nil {
		t.Fatal(err)
	}
	got := r.State().Timer.Remaining(f.clock.Now())
	want := 5 * time.Minute // the welcome's five minutes, started when the server was last known alive
	if got != want {
		t.Fatalf("after a crash just after the start the clock shows %v; want %v", got, want)
	}
	// Paused, nothing runs: the heartbeat stops.
	f.room = r
	f.must(host, PauseTimer{})
	waitFor(t, func() bool { return f.clock.Pending() == 0 }, "the heartbeat to stop while nothing runs")
}
