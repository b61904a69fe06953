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

// ErrNotReviewer refuses someone who may not export a meetup (MayExport).
var ErrNotReviewer = errors.New("only a facilitator or co-facilitator of a meetup can export it")

// MayExport reports whether person may take m's results away: its
// write-up on the close screen and its export over SSH (the history, the
// JSON with its log). This is the one rule for who may export, asked by
// the screens and the SSH commands alike. A facilitator of the server may
// export every meetup; whoever facilitated m (its facilitator, or a
// co-facilitator the facilitator chose) may export m, because they ran it
// and are the ones who follow it up. m may be a redacted copy: only its
// members are read.
func (h *Hub) MayExport(person PersonID, m *Meetup) bool {
	return h.IsFacilitator(person) || m.RoleOf(person).Facilitates()
}

// Exports returns the meetups person may export (MayExport), newest
// first, as Archive returns them.
func (h *Hub) Exports(person PersonID) ([]*Meetup, error) {
	ms, err := h.Archive(person)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ms, func(m *Meetup) bool { return !h.MayExport(person, m) }), nil
}

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

// Events returns the log of a meetup, for those who may export it
// (MayExport). A ballot is never in it: the log records that someone
// voted, never how (CastBallot).
func (h *Hub) Events(person PersonID, id string) ([]Event, error) {
	if !h.IsFacilitator(person) {
		m, err := h.store.Meetup(id)
		if err != nil {
			h.log("read meetup", "meetup", id, "err", err)
			return nil, fmt.Errorf("meetup %s could not be read from the database", id)
		}
		if !h.MayExport(person, m) {
			return nil, ErrNotReviewer
		}
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
