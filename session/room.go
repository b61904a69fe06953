package session

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// maxBatch bounds how many queued commands one commit may carry.
const maxBatch = 256

type request struct {
	actor PersonID
	cmd   Command
	reply chan error
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

	mu   sync.Mutex
	subs map[*Subscription]struct{}

	// alarm is the pending wake-up for the room's own next step (only
	// the loop touches it).
	alarm     time.Time
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
// restart like everything else.
func (r *Room) rearm() {
	at, ok := r.state.Load().alarm()
	if ok && at.Equal(r.alarm) && at.After(r.hub.clock.Now()) {
		return // already set; an alarm that has fired (and found nothing to do) is set again
	}
	if r.stopAlarm != nil {
		r.stopAlarm()
		r.stopAlarm = nil
	}
	r.alarm = at
	if !ok {
		return
	}
	d := max(at.Sub(r.hub.clock.Now()), 0)
	r.stopAlarm = r.hub.clock.AfterFunc(d, func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = r.Do(ctx, SystemActor, Wake{})
	})
}

// SystemActor is the room itself, acting on a timer.
const SystemActor PersonID = "system"

// State returns the newest published state. It must not be changed.
func (r *Room) State() *Meetup { return r.state.Load() }

// Do applies cmd on behalf of actor and returns once the change is saved
// and published, or refused. A nil error means everyone can be told.
func (r *Room) Do(ctx context.Context, actor PersonID, cmd Command) error {
	req := request{actor: actor, cmd: cmd, reply: make(chan error, 1), claimed: new(atomic.Bool)}
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
	errs, next, events := r.apply(batch, true)
	if len(events) > 0 {
		if err := r.hub.store.Commit(next, events); err != nil {
			r.hub.log("commit failed", "meetup", next.ID, "err", err)
			saveErr := fmt.Errorf("%w: %v", ErrSave, err)
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
					errs[i] = saveErr
				}
			}
			next = rnext
		}
	}
	if next != nil {
		r.state.Store(next)
		r.rearm()
		r.notify()
	}
	for i, q := range batch {
		q.reply <- errs[i]
	}
}

// errDurable marks a command skipped because it needs saving and saving failed.
var errDurable = fmt.Errorf("durable change skipped")

// apply runs the batch against a copy of the state. next is nil when
// nothing changed. With durableOK false, commands whose change would need
// saving are refused with errDurable and leave no trace.
func (r *Room) apply(batch []request, durableOK bool) (errs []error, next *Meetup, events []Event) {
	cur := r.state.Load()
	work := cur.clone()
	errs = make([]error, len(batch))
	now := r.hub.clock.Now()
	changed := false
	for i, q := range batch {
		before := work
		if !durableOK {
			before = work.clone()
		}
		c := &change{m: work, actor: q.actor, now: now, room: r}
		if err := q.cmd.apply(c); err != nil {
			errs[i] = err
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
			if l, ok := q.cmd.(interface{ logged() any }); ok {
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
		return errs, nil, nil
	}
	return errs, work, events
}

// Subscription is one screen's view of a room. Changes delivers a wake-up
// after every published change; a wake-up not yet taken is not repeated,
// so a slow reader simply sees the newest state when it looks.
type Subscription struct {
	room     *Room
	person   PersonID
	changes  chan struct{}
	replaced chan struct{}
	once     sync.Once
}

// Changes wakes after every change of the room's state.
func (s *Subscription) Changes() <-chan struct{} { return s.changes }

// Replaced is closed when the same person opened the meetup on another
// connection, which takes over from this one.
func (s *Subscription) Replaced() <-chan struct{} { return s.replaced }

// Room returns the subscribed room.
func (s *Subscription) Room() *Room { return s.room }

// Close ends the subscription; the person is shown as gone unless another
// connection of theirs is still open.
func (s *Subscription) Close() {
	s.once.Do(func() {
		r := s.room
		r.mu.Lock()
		delete(r.subs, s)
		r.mu.Unlock()
		// Leave is best effort: when the server is stopping nobody is left
		// to see presence, and it is not durable.
		go func() {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_ = r.Do(ctx, s.person, Leave{})
		}()
	})
}

// Enter subscribes person to the room and joins them to the meetup under
// name. An earlier connection of the same person is replaced: it is told so
// through its Replaced channel and no longer counts.
func (r *Room) Enter(ctx context.Context, person PersonID, name string) (*Subscription, error) {
	s := &Subscription{
		room:     r,
		person:   person,
		changes:  make(chan struct{}, 1),
		replaced: make(chan struct{}),
	}
	r.mu.Lock()
	var olds []*Subscription
	for old := range r.subs {
		if old.person == person {
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

// connected reports whether person has a subscription open.
func (r *Room) connected(person PersonID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for s := range r.subs {
		if s.person == person {
			return true
		}
	}
	return false
}

// notify wakes every subscriber without ever waiting for one.
func (r *Room) notify() {
	r.mu.Lock()
	for s := range r.subs {
		select {
		case s.changes <- struct{}{}:
		default:
		}
	}
	r.mu.Unlock()
	r.hub.changed()
}

func (r *Room) stop() {
	close(r.quit)
	<-r.done
	if r.stopAlarm != nil {
		r.stopAlarm()
	}
}
