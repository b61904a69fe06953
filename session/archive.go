package session

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The archive is how past meetups are read back: the history screen, the
// exports and the attendance of a series (package review holds the
// logic; this file decides who may read what).

// ErrNotReviewer refuses someone who may not read or export the archive.
var ErrNotReviewer = errors.New("only a facilitator's key can read and export meetups")

// Archive returns the meetups person may review, newest first, each as
// they may see it: a facilitator of the server sees every meetup, a
// participant the ones they attended. Nobody's ballot is in them (see
// Redact): facilitators see who voted and the counts, never how anyone
// voted. It reads the store, so call it outside a screen's Update.
func (h *Hub) Archive(person PersonID) ([]*Meetup, error) {
	all, err := h.store.Meetups()
	if err != nil {
		h.log("read archive", "err", err)
		return nil, fmt.Errorf("the meetups could not be read from the database")
	}
	fac := h.IsFacilitator(person)
	out := make([]*Meetup, 0, len(all))
	for _, m := range all {
		role := RoleFacilitator
		if !fac {
			if role = m.RoleOf(person); role == "" {
				continue
			}
		}
		out = append(out, Redact(m, classRole(classOf(role))))
	}
	slices.SortFunc(out, func(a, b *Meetup) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}

// Events returns the log of a meetup, for facilitators only. A ballot is
// never in it: the log records that someone voted, never how (CastBallot).
func (h *Hub) Events(person PersonID, id string) ([]Event, error) {
	if !h.IsFacilitator(person) {
		return nil, ErrNotReviewer
	}
	evs, err := h.store.Events(id)
	if err != nil {
		h.log("read events", "meetup", id, "err", err)
		return nil, fmt.Errorf("the log of meetup %s could not be read from the database", id)
	}
	return evs, nil
}

// Amend applies cmd to the meetup with the given code on behalf of actor
// without opening a screen on it: for what is changed after the meetup
// (an action's status, its series). An ended meetup is loaded for it and
// let go again unless someone has it open.
func (h *Hub) Amend(ctx context.Context, code string, actor PersonID, cmd Command) error {
	for try := 0; ; try++ {
		r, err := h.Find(code)
		if err != nil {
			return err
		}
		err = r.Do(ctx, actor, cmd)
		h.release(r)
		// The hub may have let go of the room just as the command was
		// sent: load it again, unless the server is stopping.
		if errors.Is(err, ErrClosed) && try < 3 && !h.isClosed() {
			continue
		}
		return err
	}
}

func (h *Hub) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}
