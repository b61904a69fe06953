package session

import (
	"slices"
	"strings"
	"time"
)

// A series is a run of meetups that follow each other, such as a monthly
// officers' meetup. A meetup names its series (Meetup.Series); the
// Welcome activity of a meetup in a series shows the actions still open
// from the earlier ones, so that they are followed up in the room, and
// attendance can be read across the series (package review).

// MaxSeriesLen bounds the name of a series.
const MaxSeriesLen = 60

// CleanSeries cleans the name of a series; empty means none.
func CleanSeries(s string) (string, error) {
	return cleanOptional("the series", s, MaxSeriesLen)
}

// sameSeries reports whether two series names name the same series.
func sameSeries(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

// SetSeries puts the meetup in a series, or takes it out ("" for none).
// Facilitators may do it at any time, also after the meetup ended.
type SetSeries struct {
	Series string `json:"series"`
}

func (SetSeries) Kind() string { return "series" }

func (s SetSeries) apply(c *change) error {
	if !c.reviews() {
		return ErrNotFacilitator
	}
	series, err := CleanSeries(s.Series)
	if err != nil {
		return err
	}
	if c.m.Series == series {
		return nil
	}
	c.m.Series = series
	c.keep()
	return nil
}

// reviews reports whether the actor may change what is kept of the
// meetup after the fact (an action's status, its series): a facilitator
// of the meetup, or one of the server even if they were not in it.
func (c *change) reviews() bool {
	if mem, err := c.member(); err == nil && mem.Role.Facilitates() {
		return true
	}
	return c.room != nil && c.room.hub.IsFacilitator(c.actor)
}

// CarriedAction is an open action of an earlier meetup of the series.
type CarriedAction struct {
	Action
	// Meetup is the title of the meetup it was promised in; Code its
	// code; Date when that meetup was held.
	Meetup string
	Code   string
	Date   time.Time
}

// openActions returns a meetup's open actions.
func openActions(m *Meetup) []Action {
	var out []Action
	for _, a := range m.Actions {
		if a.Open() {
			out = append(out, a)
		}
	}
	return out
}

// SeriesNames lists the series of the server's meetups, the most recently
// used first, so that a new meetup can join one by picking it.
func (h *Hub) SeriesNames() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for i := len(h.order) - 1; i >= 0; i-- {
		s := h.order[i].sum.Series
		if s != "" && !slices.ContainsFunc(out, func(x string) bool { return sameSeries(x, s) }) {
			out = append(out, s)
		}
	}
	return out
}

// CarryOver returns the actions still open from the meetups of series
// created before the given time, oldest meetup first. It reads only what
// the hub holds in memory.
func (h *Hub) CarryOver(series string, before time.Time) []CarriedAction {
	if series == "" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []CarriedAction
	for _, e := range h.order {
		if !sameSeries(e.sum.Series, series) || !e.sum.CreatedAt.Before(before) {
			continue
		}
		for _, a := range e.open {
			out = append(out, CarriedAction{Action: a, Meetup: e.sum.Title, Code: e.sum.Code, Date: e.sum.CreatedAt})
		}
	}
	return out
}

// carried is what a View shows of earlier meetups: their open actions,
// while a meetup of a series is in its Welcome activity.
func (r *Room) carried(m *Meetup) []CarriedAction {
	if m.Series == "" || m.Ended() || m.Activity().Kind != KindWelcome {
		return nil
	}
	return r.hub.CarryOver(m.Series, m.CreatedAt)
}
