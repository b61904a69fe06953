package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// maxBatch bounds how many queued commands one commit may carry.
const maxBatch = 256

// maxPlanTries bounds how often a planned command is planned again because
// the room changed under it.
const maxPlanTries = 5

type request struct {
	actor PersonID
	cmd   Command
	// basis and plan are a planned command's work done outside the loop.
	basis string
	plan  any
	// before, if set, runs in the loop just before the batch is applied
	// (the alarm's bookkeeping).
	before func()
	reply  chan error
	// claimed is set once, either by the loop (it will apply the command)
	// or by Do giving up (the loop must skip it). So an error from Do
	// means the command was not applied, and nil means it was.
	claimed *atomic.Bool
}

// Room owns one meetup's live state. Its loop is the only writer: it takes
// the commands waiting, applies them to a copy of the state, commits the
// durable ones in one transaction, and only then publishes the copy and
// wakes the subscribers. Commands that arrive together share one commit,
// which is what keeps a room of hundreds voting at once fast.
type Room struct {
	hub   *Hub
	state atomic.Pointer[Meetup]
	reqs  chan request
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once

	mu   sync.Mutex
	subs map[*Subscription]struct{}
	// unloaded is set when the hub has let go of the room; nobody may
	// enter it any more (the hub loads it afresh).
	unloaded bool

	views viewCache

	// alarm is the pending wake-up for the room's own next step; alarmGen
	// numbers the wake-ups set, and firedOn is the version of the state the
	// last one fired on (only the loop touches them).
	alarm     time.Time
	alarmGen  uint64
	firedOn   uint64
	stopAlarm func() bool
}

func newRoom(h *Hub, m *Meetup) *Room {
	r := &Room{
		hub:  h,
		reqs: make(chan request, maxBatch),
		quit: make(chan struct{}),
		done: make(chan struct{}),
		subs: make(map[*Subscription]struct{}),
	}
	r.state.Store(m)
	r.rearm()
	go r.loop()
	return r
}

// rearm sets the room's wake-up for the next thing it must do on its own,
// if anything: time-driven steps live in the state, so they survive a
// restart like everything else. An alarm that has fired and found nothing
// to do is not set again until the state changes: an idle room does no
// work, however long it stays idle.
func (r *Room) rearm() {
	m := r.state.Load()
	r.hub.countdown(r, m.Timer.Running && !m.Ended())
	at, ok := m.alarm()
	if ok && at.Equal(r.alarm) && (r.stopAlarm != nil || r.firedOn == m.Version) {
		return // set already, or fired on this very state and found nothing to do
	}
	if r.stopAlarm != nil {
		r.stopAlarm()
		r.stopAlarm = nil
	}
	r.alarm = at
	if !ok {
		return
	}
	r.alarmGen++
	gen := r.alarmGen
	r.stopAlarm = r.hub.clock.AfterFunc(max(at.Sub(r.hub.clock.Now()), 0), func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = r.do(ctx, SystemActor, Wake{}, func() {
			// In the loop, just before the wake is applied: this alarm
			// has fired, on this state.
			if r.alarmGen == gen {
				r.stopAlarm = nil
				r.firedOn = r.state.Load().Version
			}
		})
	})
}

// SystemActor is the room itself, acting on a timer.
const SystemActor PersonID = "system"

// State returns the newest published state, with every secret in it. It
// must not be changed. Screens read a View instead.
func (r *Room) State() *Meetup { return r.state.Load() }

// Do applies cmd on behalf of actor and returns once the change is saved
// and published, or refused. A nil error means everyone can be told.
func (r *Room) Do(ctx context.Context, actor PersonID, cmd Command) error {
	return r.do(ctx, actor, cmd, nil)
}

// errStale refuses a planned command whose plan no longer fits the room.
var errStale = errors.New("the room changed while this was being prepared")

// ErrBusy is returned when a command could not be prepared because the
// room kept changing under it.
var ErrBusy = errors.New("the room is very busy: try again in a moment")

// do is Do with a function the loop runs before applying the command (for
// the alarm's bookkeeping).
func (r *Room) do(ctx context.Context, actor PersonID, cmd Command, before func()) error {
	p, planned := cmd.(planner)
	for try := 0; ; try++ {
		req := request{actor: actor, cmd: cmd, before: before, reply: make(chan error, 1), claimed: new(atomic.Bool)}
		if planned {
			// The work is done here, on a snapshot, so the room's loop never
			// waits for it; the loop applies it only if its basis holds.
			if err := r.prepare(p, &req); err != nil {
				return err
			}
		}
		err := r.send(ctx, req)
		if !errors.Is(err, errStale) {
			return err
		}
		if try+1 >= maxPlanTries {
			return ErrBusy
		}
	}
}

// prepare plans a planned command on the newest state. A panic while
// planning is refused like one while applying: the caller may be the
// clock's own goroutine, which must not take the server down.
func (r *Room) prepare(p planner, req *request) (err error) {
	defer func() {
		if v := recover(); v != nil {
			r.hub.log("planning panicked", "command", p.Kind(), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = ErrInternal
		}
	}()
	m := r.state.Load()
	req.basis = p.basis(m)
	if req.basis != "" {
		req.plan = p.plan(m)
	}
	return nil
}

func (r *Room) send(ctx context.Context, req request) error {
	select {
	case r.reqs <- req:
	case <-r.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		select {
		case err := <-req.reply:
			return err
		case <-r.done:
			// The loop may have answered just before it stopped.
			select {
			case err := <-req.reply:
				return err
			default:
				return ErrClosed
			}
		case <-ctx.Done():
			if req.claimed.CompareAndSwap(false, true) {
				return ctx.Err() // withdrawn before the loop took it
			}
			// The loop is applying it: its answer is the truth, and
			// comes within one commit.
			ctx = context.Background()
		}
	}
}

func (r *Room) loop() {
	defer close(r.done)
	for {
		select {
		case <-r.quit:
			return
		case req := <-r.reqs:
			batch := []request{req}
		more:
			for len(batch) < maxBatch {
				select {
				case q := <-r.reqs:
					batch = append(batch, q)
				default:
					break more
				}
			}
			// Drop commands whose callers gave up waiting.
			live := batch[:0]
			for _, q := range batch {
				if q.claimed == nil || q.claimed.CompareAndSwap(false, true) {
					live = append(live, q)
				}
			}
			if len(live) > 0 {
				r.process(live)
			}
		}
	}
}

// process applies a batch. If saving fails, the durable changes are refused
// and the rest (presence) is applied again on its own.
func (r *Room) process(batch []request) {
	for _, q := range batch {
		if q.before != nil {
			q.before()
		}
	}
	errs, next, events := r.apply(batch, true)
	if len(events) > 0 {
		if err := r.hub.store.Commit(next, events); err != nil {
			r.hub.log("commit failed", "meetup", next.ID, "err", err)
			var retry []request
			var retryAt []int
			for i, q := range batch {
				if errs[i] == nil {
					retry = append(retry, q)
					retryAt = append(retryAt, i)
				}
			}
			rerrs, rnext, _ := r.apply(retry, false)
			for k, i := range retryAt {
				errs[i] = rerrs[k]
				if errs[i] == errDurable {
					errs[i] = ErrSave
				}
			}
			next = rnext
		}
	}
	if next != nil {
		r.state.Store(next)
		r.notify(next)
	}
	r.rearm()
	for i, q := range batch {
		q.reply <- errs[i]
	}
}

// errDurable marks a command skipped because it needs saving and saving failed.
var errDurable = errors.New("durable change skipped")

// checkNoChange makes apply verify that a command which says it changed
// nothing really left the state as it was. Tests turn it on.
var checkNoChange bool

// apply runs the batch against a copy of the state. next is nil when
// nothing changed. With durableOK false, commands whose change would need
// saving are refused with errDurable and leave no trace. A command that
// panics is refused and the batch applied again without it, so that its
// half-made change leaves no trace either.
func (r *Room) apply(batch []request, durableOK bool) (errs []error, next *Meetup, events []Event) {
	skip := map[int]bool{}
	for {
		errs, next, events, bad := r.tryApply(batch, durableOK, skip)
		if bad < 0 {
			return errs, next, events
		}
		skip[bad] = true
	}
}

// ErrInternal refuses a command that failed inside the server.
var ErrInternal = errors.New("something went wrong on the server, so that was not done; the meetup carries on")

// tryApply applies the batch but the commands in skip, stopping at the
// first panic; bad is the index of the command that panicked, or -1.
func (r *Room) tryApply(batch []request, durableOK bool, skip map[int]bool) (errs []error, next *Meetup, events []Event, bad int) {
	cur := r.state.Load()
	work := cur.clone()
	errs = make([]error, len(batch))
	now := r.hub.clock.Now()
	changed := false
	for i, q := range batch {
		if skip[i] {
			errs[i] = ErrInternal
			continue
		}
		var before *Meetup
		if !durableOK || checkNoChange {
			before = work.clone()
		}
		c := &change{m: work, actor: q.actor, now: now, room: r, plan: q.plan}
		err, panicked := r.applyOne(q, c)
		if panicked {
			return nil, nil, nil, i
		}
		if err != nil {
			errs[i] = err
			if before != nil {
				work = before // a refused command leaves no trace, even a partial one
			}
			continue
		}
		if !c.changed() {
			if checkNoChange && !reflect.DeepEqual(before, work) {
				panic(fmt.Sprintf("session: %s changed the meetup but said it changed nothing", q.cmd.Kind()))
			}
			continue
		}
		if c.durable && !durableOK {
			work = before
			errs[i] = errDurable
			continue
		}
		changed = true
		work.Version++
		if c.durable {
			work.Seq++
			var logged any = q.cmd
			if l, ok := logged.(interface{ logged() any }); ok {
				logged = l.logged()
			}
			data, err := json.Marshal(logged)
			if err != nil {
				data = nil
			}
			events = append(events, Event{Seq: work.Seq, At: now, Actor: q.actor, Kind: q.cmd.Kind(), Data: data})
		}
	}
	if !changed {
		return errs, nil, nil, -1
	}
	return errs, work, events, -1
}

// applyOne applies one command, checking a planned command's basis first,
// and recovers from a panic in it.
func (r *Room) applyOne(q request, c *change) (err error, panicked bool) {
	defer func() {
		if p := recover(); p != nil {
			r.hub.log("command panicked", "meetup", c.m.ID, "command", q.cmd.Kind(), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			panicked = true
		}
	}()
	if p, ok := q.cmd.(planner); ok && p.basis(c.m) != q.basis {
		return errStale, false
	}
	return q.cmd.apply(c), false
}

// Subscription is one screen's view of a room. Changes delivers a wake-up
// after every published change; a wake-up not yet taken is not repeated,
// so a slow reader simply sees the newest state when it looks.
type Subscription struct {
	room   *Room
	person PersonID
	// watcher is a screen that only watches (a presenter): it belongs to
	// nobody, sees what every participant sees and may do nothing.
	watcher  bool
	changes  chan struct{}
	replaced chan struct{}
	once     sync.Once

	// The screen's commands, in the order they were submitted.
	qmu     sync.Mutex
	queue   []queued
	sending bool
}

type queued struct {
	cmd   Command
	reply chan error
}

// MaxQueued bounds the commands one screen may have waiting.
const MaxQueued = 64

// submitTimeout bounds how long one submitted command may wait for the room.
const submitTimeout = 10 * time.Second

// ErrTooMany refuses a command when a screen has too many waiting.
var ErrTooMany = errors.New("that was a lot at once: wait a moment and try again")

// Changes wakes after every change of the room's state.
func (s *Subscription) Changes() <-chan struct{} { return s.changes }

// Replaced is closed when the same person opened the meetup on another
// connection, which takes over from this one.
func (s *Subscription) Replaced() <-chan struct{} { return s.replaced }

// Room returns the subscribed room.
func (s *Subscription) Room() *Room { return s.room }

// Person is who the subscription belongs to.
func (s *Subscription) Person() PersonID { return s.person }

// Watching reports whether the subscription only watches (see Room.Watch).
func (s *Subscription) Watching() bool { return s.watcher }

// View returns what this person may see of the room now: a snapshot that
// stays as it is while the room moves on. A watcher's View is the
// meetup as participants see it, with no Me and no Own.
func (s *Subscription) View() *View {
	if s.watcher {
		return s.room.watchView()
	}
	return s.room.viewFor(s.person)
}

// Submit queues cmd to be applied on the subscriber's behalf, after every
// command they submitted before it: commands reach the room in the order
// they were submitted, whatever order the callers wait in. The answer
// comes on the channel (nil means applied).
func (s *Subscription) Submit(cmd Command) <-chan error {
	reply := make(chan error, 1)
	if s.watcher {
		reply <- ErrWatchOnly
		return reply
	}
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if len(s.queue) >= MaxQueued {
		reply <- ErrTooMany
		return reply
	}
	s.queue = append(s.queue, queued{cmd: cmd, reply: reply})
	if !s.sending {
		// One sender at a time, only while there is something to send: an
		// idle screen has no goroutine here.
		s.sending = true
		go s.send()
	}
	return reply
}

func (s *Subscription) send() {
	for {
		s.qmu.Lock()
		if len(s.queue) == 0 {
			s.sending = false
			s.qmu.Unlock()
			return
		}
		q := s.queue[0]
		s.queue = s.queue[1:]
		s.qmu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), submitTimeout)
		q.reply <- s.room.Do(ctx, s.person, q.cmd)
		cancel()
	}
}

// Close ends the subscription; the person is shown as gone unless another
// connection of theirs is still open. A watcher was never shown, so
// closing it changes nothing.
func (s *Subscription) Close() {
	s.once.Do(func() {
		r := s.room
		r.mu.Lock()
		delete(r.subs, s)
		r.mu.Unlock()
		if s.watcher {
			r.hub.release(r)
			return
		}
		// Leave is best effort: when the server is stopping nobody is left
		// to see presence, and it is not durable.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), submitTimeout)
			defer cancel()
			_ = r.Do(ctx, s.person, Leave{})
			r.hub.release(r)
		}()
	})
}

// errUnloaded refuses entry to a room the hub has let go of.
var errUnloaded = errors.New("room unloaded")

// enter subscribes person to the room and joins them to the meetup under
// name. An earlier connection of the same person is replaced: it is told so
// through its Replaced channel and no longer counts.
func (r *Room) enter(ctx context.Context, person PersonID, name string) (*Subscription, error) {
	s := &Subscription{
		room:     r,
		person:   person,
		changes:  make(chan struct{}, 1),
		replaced: make(chan struct{}),
	}
	r.mu.Lock()
	if r.unloaded {
		r.mu.Unlock()
		return nil, errUnloaded
	}
	var olds []*Subscription
	for old := range r.subs {
		if old.person == person && !old.watcher {
			olds = append(olds, old)
		}
	}
	r.subs[s] = struct{}{}
	r.mu.Unlock()
	if err := r.Do(ctx, person, Join{Name: name}); err != nil {
		s.Close()
		return nil, err
	}
	// Only once the new screen is in does the old one give way.
	r.mu.Lock()
	for _, old := range olds {
		if _, ok := r.subs[old]; ok {
			delete(r.subs, old)
			close(old.replaced)
		}
	}
	r.mu.Unlock()
	return s, nil
}

// ErrWatchOnly refuses a command from a screen that only watches.
var ErrWatchOnly = errors.New("this screen only shows the meetup: it cannot change it")

// Watch subscribes a screen that only watches the room, such as a
// presenter screen on a projector: it is woken on every change like any
// subscription, but it is nobody. It does not join the meetup, is not
// shown as present, is in no group or turn, and its View is what every
// participant sees (no Me, no Own). Opening and closing it never changes
// the meetup. An ended meetup may be watched.
func (r *Room) Watch() (*Subscription, error) {
	s := &Subscription{
		room:     r,
		watcher:  true,
		changes:  make(chan struct{}, 1),
		replaced: make(chan struct{}),
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unloaded {
		return nil, errUnloaded
	}
	r.subs[s] = struct{}{}
	return s, nil
}

// watchView is what a watcher sees of the newest state: the meetup as
// participants see it, and nothing of anyone's own.
func (r *Room) watchView() *View {
	m := r.state.Load()
	return &View{Meetup: r.redacted(m, classParticipant), Carried: r.carriedFor(m)}
}

// connected reports whether person has a subscription open.
func (r *Room) connected(person PersonID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for s := range r.subs {
		if s.person == person && !s.watcher {
			return true
		}
	}
	return false
}

// notify wakes every subscriber without ever waiting for one.
func (r *Room) notify(m *Meetup) {
	r.mu.Lock()
	for s := range r.subs {
		select {
		case s.changes <- struct{}{}:
		default:
		}
	}
	r.mu.Unlock()
	r.hub.changed(r, m)
}

// stop ends the room's loop and its alarm.
func (r *Room) stop() {
	r.once.Do(func() {
		close(r.quit)
		<-r.done
		if r.stopAlarm != nil {
			r.stopAlarm()
		}
	})
}
