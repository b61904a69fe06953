package session

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Store is what session needs from persistence. Package store provides it.
type Store interface {
	// Commit durably records events and the meetup's new state in one
	// transaction. It returns only once they are safe on disk.
	Commit(m *Meetup, events []Event) error
	// Meetups returns the saved state of every meetup.
	Meetups() ([]*Meetup, error)
	// Meetup returns one meetup's saved state.
	Meetup(id string) (*Meetup, error)
	// Events returns a meetup's log of accepted changes, in order.
	Events(id string) ([]Event, error)
	// Person returns the remembered person; ok is false for a stranger.
	Person(id PersonID) (p Person, ok bool, err error)
	// SavePerson remembers a person's name.
	SavePerson(p Person) error
	// Templates returns the saved agenda templates; SaveTemplate adds or
	// replaces one by name; DeleteTemplate removes one.
	Templates() ([]Template, error)
	SaveTemplate(t Template) error
	DeleteTemplate(name string) error
	// MarkAlive records that the server was running at t; LastAlive
	// returns the last such time. Together they tell how long the server
	// was down, so that running countdowns resume where they were. Commit
	// records it too, in the same write: the server was running when its
	// latest event happened.
	MarkAlive(t time.Time) error
	LastAlive() (t time.Time, ok bool, err error)
}

// Heartbeat is how often the hub records that it is alive while a
// countdown runs somewhere: after a crash, a running countdown resumes with
// at most this much more than it showed when the server died (the time
// since the last beat, or the last change saved, is given back). Half a
// second keeps that within a second, as promised (docs/reliability.md),
// for one tiny write a beat. While no countdown runs, nothing beats: an
// idle server does no work.
const Heartbeat = 500 * time.Millisecond

// Logger receives the hub's rare operational messages.
type Logger interface {
	Warn(msg any, keyvals ...any)
}

// HubConfig wires a Hub.
type HubConfig struct {
	Store Store
	// Clock defaults to the system clock.
	Clock Clock
	// Facilitator reports whether a person runs meetups on this server.
	Facilitator func(PersonID) bool
	// Agenda makes the agenda of a new meetup made from the built-in
	// template; defaults to DefaultAgenda.
	Agenda func() []Activity
	Logger Logger
}

// Summary is what a list of meetups shows of one.
type Summary struct {
	ID        string
	Code      string
	Title     string
	Series    string
	CreatedAt time.Time
	EndedAt   time.Time
	// Activity is the current activity's title (while the meetup is on).
	Activity string
	// Present counts the people in it now.
	Present int
}

// Ended reports whether the meetup is over.
func (s Summary) Ended() bool { return !s.EndedAt.IsZero() }

// entry is the hub's record of one meetup; room is nil while an ended
// meetup is not open on any screen.
type entry struct {
	sum  Summary
	room *Room
	// open are the meetup's open actions, for the meetups of its series
	// that come after it (series.go).
	open []Action
}

// Hub holds every meetup of the server. Meetups under way each have a
// Room; ended ones are loaded when someone opens them and let go when the
// last screen closes.
type Hub struct {
	store       Store
	clock       Clock
	facilitator func(PersonID) bool
	agenda      func() []Activity
	logger      Logger

	mu       sync.Mutex
	entries  map[string]*entry // by code
	order    []*entry          // by creation
	reserved map[string]bool   // codes of meetups being created
	closed   bool

	stopping chan struct{}
	stopOnce sync.Once

	watchMu  sync.Mutex
	watchers map[chan struct{}]struct{}

	// carryGen counts changes to what meetups carry over to their
	// series (open actions, a meetup's series), so Views can keep theirs.
	carryGen atomic.Uint64

	beatMu      sync.Mutex
	stopBeat    func() bool
	beatGen     uint64 // counts beats set and cancelled; a stale one does nothing
	beatStopped bool
	counting    map[*Room]bool // rooms whose countdown runs
	stopAt      time.Time
}

// NewHub restores every saved meetup under way, each in its activity with
// its timer, and lists the ended ones.
func NewHub(cfg HubConfig) (*Hub, error) {
	if cfg.Store == nil {
		return nil, errors.New("hub needs a store")
	}
	h := &Hub{
		store:       cfg.Store,
		clock:       cfg.Clock,
		facilitator: cfg.Facilitator,
		agenda:      cfg.Agenda,
		logger:      cfg.Logger,
		entries:     make(map[string]*entry),
		reserved:    make(map[string]bool),
		stopping:    make(chan struct{}),
		watchers:    make(map[chan struct{}]struct{}),
		counting:    make(map[*Room]bool),
	}
	if h.clock == nil {
		h.clock = SystemClock{}
	}
	if h.facilitator == nil {
		h.facilitator = func(PersonID) bool { return false }
	}
	if h.agenda == nil {
		h.agenda = DefaultAgenda
	}
	saved, err := h.store.Meetups()
	if err != nil {
		return nil, fmt.Errorf("restore meetups: %w", err)
	}
	now := h.clock.Now()
	down := time.Duration(0)
	if last, ok, err := h.store.LastAlive(); err != nil {
		return nil, fmt.Errorf("restore meetups: %w", err)
	} else if ok && now.After(last) {
		down = now.Sub(last)
	}
	slices.SortFunc(saved, func(a, b *Meetup) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, m := range saved {
		e := &entry{sum: summarize(m), open: openActions(m)}
		if !m.Ended() {
			for i := range m.Members {
				m.Members[i].Present = false
			}
			if err := h.resume(m, down, now); err != nil {
				return nil, err
			}
			e.room = newRoom(h, m)
		}
		h.entries[m.Code] = e
		h.order = append(h.order, e)
	}
	if err := h.store.MarkAlive(now); err != nil {
		return nil, fmt.Errorf("record start: %w", err)
	}
	return h, nil
}

func summarize(m *Meetup) Summary {
	s := Summary{ID: m.ID, Code: m.Code, Title: m.Title, Series: m.Series, CreatedAt: m.CreatedAt, EndedAt: m.EndedAt, Present: m.Present()}
	if !m.Ended() {
		s.Activity = m.Activity().Title
	}
	return s
}

// resume moves a running countdown on by the time the server was down, so
// the meetup resumes with the clock where it was, and logs the resumption.
func (h *Hub) resume(m *Meetup, down time.Duration, now time.Time) error {
	if m.Ended() || !m.Timer.Running || down <= 0 {
		return nil
	}
	m.Timer.Deadline = m.Timer.Deadline.Add(down)
	m.Version++
	m.Seq++
	data, _ := json.Marshal(struct {
		Down time.Duration `json:"down"`
	}{down})
	ev := Event{Seq: m.Seq, At: now, Actor: SystemActor, Kind: "resume", Data: data}
	if err := h.store.Commit(m, []Event{ev}); err != nil {
		return fmt.Errorf("resume meetup %s: %w", m.ID, err)
	}
	return nil
}

// countdown tells the hub whether room r has a countdown running; the
// heartbeat runs while any room has one.
func (h *Hub) countdown(r *Room, running bool) {
	h.beatMu.Lock()
	defer h.beatMu.Unlock()
	if running == h.counting[r] {
		return
	}
	if running {
		h.counting[r] = true
	} else {
		delete(h.counting, r)
	}
	switch {
	case len(h.counting) > 0 && h.stopBeat == nil:
		h.setBeat()
	case len(h.counting) == 0 && h.stopBeat != nil:
		h.stopBeat()
		h.stopBeat = nil
		h.beatGen++
	}
}

// setBeat sets the next heartbeat; beatMu is held.
func (h *Hub) setBeat() {
	if h.beatStopped {
		return
	}
	h.beatGen++
	gen := h.beatGen
	h.stopBeat = h.clock.AfterFunc(Heartbeat, func() {
		// Under the lock, so that a beat can never land after Close has
		// recorded the moment of the stop.
		h.beatMu.Lock()
		defer h.beatMu.Unlock()
		if h.beatStopped || gen != h.beatGen {
			return
		}
		if err := h.store.MarkAlive(h.clock.Now()); err != nil {
			h.log("heartbeat failed", "err", err)
		}
		h.stopBeat = nil
		if len(h.counting) > 0 {
			h.setBeat()
		}
	})
}

// Clock returns the hub's clock; screens use it to compute time left.
func (h *Hub) Clock() Clock { return h.clock }

// Now is the hub clock's time, for callers that hold only a hub.
func (h *Hub) Now() time.Time { return h.clock.Now() }

// IsFacilitator reports whether a person runs meetups on this server.
func (h *Hub) IsFacilitator(id PersonID) bool { return h.facilitator(id) }

func (h *Hub) log(msg string, kv ...any) {
	if h.logger != nil {
		h.logger.Warn(msg, kv...)
	}
}

// Create starts a new meetup with the agenda of the named template ("" for
// the built-in one). Only facilitators may create meetups.
func (h *Hub) Create(ctx context.Context, actor PersonID, title, template string) (*Room, error) {
	return h.CreateInSeries(ctx, actor, title, template, "")
}

// CreateInSeries is Create for a meetup of a series ("" for none).
func (h *Hub) CreateInSeries(ctx context.Context, actor PersonID, title, template, series string) (*Room, error) {
	if !h.IsFacilitator(actor) {
		return nil, ErrNotFacilitator
	}
	title, err := CleanTitle(title)
	if err != nil {
		return nil, err
	}
	if series, err = CleanSeries(series); err != nil {
		return nil, err
	}
	tpl, err := h.Template(template)
	if err != nil {
		return nil, err
	}
	code, err := h.reserveCode()
	if err != nil {
		return nil, err
	}
	// The disk is written without holding the hub: other people keep
	// joining and listing meetups meanwhile.
	now := h.clock.Now()
	agenda := tpl.agenda()
	for i := range agenda {
		if n, ok := agenda[i].State.(*Networking); ok && n.Seed == 0 {
			n.Seed = now.UnixNano() + int64(i)
		}
	}
	agenda[0].Ran = true
	m := &Meetup{
		ID:        now.UTC().Format("20060102T150405.000Z") + "-" + code,
		Code:      code,
		Title:     title,
		Series:    series,
		CreatedBy: actor,
		CreatedAt: now,
		Agenda:    agenda,
		Timer:     newTimer(agenda[0]),
		Template:  tpl.Name,
		Version:   1,
		Seq:       1,
	}
	data, _ := json.Marshal(struct {
		Title    string `json:"title"`
		Template string `json:"template"`
		Series   string `json:"series,omitempty"`
	}{title, tpl.Name, series})
	ev := Event{Seq: 1, At: now, Actor: actor, Kind: "create", Data: data}
	err = h.store.Commit(m, []Event{ev})
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.reserved, code)
	if err != nil {
		h.log("create failed", "err", err)
		return nil, ErrSave
	}
	if h.closed {
		return nil, ErrClosed
	}
	r := newRoom(h, m)
	e := &entry{sum: summarize(m), room: r}
	h.entries[code] = e
	h.order = append(h.order, e)
	h.wakeWatchers()
	return r, nil
}

// reserveCode picks an unused join code and holds it until the meetup is
// created.
func (h *Hub) reserveCode() (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", ErrClosed
	}
	for {
		code := newCode()
		if _, taken := h.entries[code]; !taken && !h.reserved[code] {
			h.reserved[code] = true
			return code, nil
		}
	}
}

// Find returns the meetup with the given code, however it was typed,
// loading an ended one from the store if no screen has it open.
func (h *Hub) Find(code string) (*Room, error) {
	code = NormalizeCode(code)
	h.mu.Lock()
	e, ok := h.entries[code]
	switch {
	case !ok:
		h.mu.Unlock()
		return nil, ErrUnknownCode
	case e.room != nil:
		h.mu.Unlock()
		return e.room, nil
	case h.closed:
		h.mu.Unlock()
		return nil, ErrClosed
	}
	id := e.sum.ID
	h.mu.Unlock()
	// The disk is read without holding the hub: others keep finding and
	// listing meetups meanwhile.
	m, err := h.store.Meetup(id)
	if err != nil {
		h.log("load meetup", "meetup", id, "err", err)
		return nil, fmt.Errorf("the meetup %s could not be read from the database", FormatCode(code))
	}
	for i := range m.Members {
		m.Members[i].Present = false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return nil, ErrClosed
	case e.room != nil:
		return e.room, nil // someone else loaded it meanwhile
	}
	e.room = newRoom(h, m)
	return e.room, nil
}

// Enter opens the meetup with the given code for person under name: it
// joins them (or welcomes them back) and subscribes their screen.
func (h *Hub) Enter(ctx context.Context, code string, person PersonID, name string) (*Subscription, error) {
	for {
		r, err := h.Find(code)
		if err != nil {
			return nil, err
		}
		sub, err := r.enter(ctx, person, name)
		if !errors.Is(err, errUnloaded) {
			return sub, err
		}
		// The hub let go of it just now: load it again.
	}
}

// WatchMeetup opens the meetup with the given code, however it was typed,
// for a screen that only watches it (see Room.Watch): a presenter screen.
// An ended meetup is loaded to be watched like one under way.
func (h *Hub) WatchMeetup(code string) (*Subscription, error) {
	for {
		r, err := h.Find(code)
		if err != nil {
			return nil, err
		}
		sub, err := r.Watch()
		if !errors.Is(err, errUnloaded) {
			return sub, err
		}
		// The hub let go of it just now: load it again.
	}
}

// Enter subscribes person to the room; see Hub.Enter.
func (r *Room) Enter(ctx context.Context, person PersonID, name string) (*Subscription, error) {
	return r.hub.Enter(ctx, r.State().Code, person, name)
}

// release lets go of an ended meetup nobody has open any more.
func (h *Hub) release(r *Room) {
	if !r.State().Ended() {
		return
	}
	h.mu.Lock()
	e, ok := h.entries[r.State().Code]
	if !ok || e.room != r {
		h.mu.Unlock()
		return
	}
	r.mu.Lock()
	if len(r.subs) > 0 {
		r.mu.Unlock()
		h.mu.Unlock()
		return
	}
	r.unloaded = true
	r.mu.Unlock()
	e.room = nil
	e.sum = summarize(r.State())
	// Nobody has it open: Leaves still queued will never be applied.
	e.sum.Present = 0
	h.mu.Unlock()
	r.stop()
}

// Loaded counts the rooms held in memory (for tests and figures).
func (h *Hub) Loaded() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, e := range h.order {
		if e.room != nil {
			n++
		}
	}
	return n
}

// List returns a summary of every meetup, newest first.
func (h *Hub) List() []Summary {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Summary, 0, len(h.order))
	for i := len(h.order) - 1; i >= 0; i-- {
		e := h.order[i]
		if e.room != nil {
			out = append(out, summarize(e.room.State()))
		} else {
			out = append(out, e.sum)
		}
	}
	return out
}

// Rooms returns the rooms held in memory, newest first.
func (h *Hub) Rooms() []*Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*Room
	for i := len(h.order) - 1; i >= 0; i-- {
		if r := h.order[i].room; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// Person returns what the server remembers of a person.
func (h *Hub) Person(id PersonID) (Person, bool, error) { return h.store.Person(id) }

// SavePerson remembers a person's chosen name.
func (h *Hub) SavePerson(p Person) error {
	name, err := CleanName(p.Name)
	if err != nil {
		return err
	}
	p.Name = name
	if err := h.store.SavePerson(p); err != nil {
		h.log("save person", "err", err)
		return ErrSave
	}
	return nil
}

// Watch wakes its channel whenever any meetup changes or one is created;
// the lobby uses it. Call the returned func to stop watching: it closes
// the channel, so that whatever still waits on it ends (a screen that
// left the lobby for a meetup would otherwise keep a goroutine waiting
// for the whole meetup).
func (h *Hub) Watch() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.watchMu.Lock()
	h.watchers[ch] = struct{}{}
	h.watchMu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.watchMu.Lock()
			delete(h.watchers, ch)
			close(ch) // nobody sends once it is out of the map
			h.watchMu.Unlock()
		})
	}
}

// changed is told of every state a room publishes. Watchers are woken
// only when what a list shows of the meetup changed.
func (h *Hub) changed(r *Room, m *Meetup) {
	sum := summarize(m)
	h.mu.Lock()
	e, ok := h.entries[m.Code]
	same := ok && e.sum == sum
	if ok {
		open := openActions(m)
		if e.sum.Series != sum.Series || !slices.Equal(open, e.open) {
			h.carryGen.Add(1) // what the series carry over has changed
		}
		e.sum = sum
		e.open = open
	}
	h.mu.Unlock()
	if !same {
		h.wakeWatchers()
	}
}

func (h *Hub) wakeWatchers() {
	h.watchMu.Lock()
	for ch := range h.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	h.watchMu.Unlock()
}

// Stopping is closed when the server begins to stop, so that every screen
// can say so before connections close.
func (h *Hub) Stopping() <-chan struct{} { return h.stopping }

// Shutdown tells every screen the server is stopping. Its moment is the
// one recorded as the stop, so the seconds spent closing connections are
// not taken from running countdowns.
func (h *Hub) Shutdown() {
	h.stopOnce.Do(func() {
		h.beatMu.Lock()
		h.stopAt = h.clock.Now()
		h.beatMu.Unlock()
		close(h.stopping)
	})
}

// Close stops every room's loop. Commands after Close fail with ErrClosed.
func (h *Hub) Close() {
	h.Shutdown()
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	var rooms []*Room
	for _, e := range h.order {
		if e.room != nil {
			rooms = append(rooms, e.room)
		}
	}
	h.mu.Unlock()
	h.beatMu.Lock()
	h.beatStopped = true
	if h.stopBeat != nil {
		h.stopBeat()
	}
	stopAt := h.stopAt
	h.beatMu.Unlock()
	for _, r := range rooms {
		r.stop()
	}
	// The exact moment of a clean stop, so no time is lost to it.
	if stopAt.IsZero() {
		stopAt = h.clock.Now()
	}
	if err := h.store.MarkAlive(stopAt); err != nil {
		h.log("record stop", "err", err)
	}
}

// codeAlphabet has no characters that are easy to confuse when read aloud
// or copied: no 0/O, no 1/l/I.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLen is the length of a join code.
const CodeLen = 6

func newCode() string {
	b := make([]byte, CodeLen)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random: %v", err)) // crypto/rand never fails on Linux
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode turns what someone typed into a code: upper case, with
// spaces and dashes dropped.
func NormalizeCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// FormatCode shows a code in two halves, easier to read aloud: "K7P-M4Q".
func FormatCode(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:3] + "-" + code[3:]
}
