package session

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// DefaultAgenda is the built-in template, the classic online meetup from
// real meetups of housing engagement officers: welcome, two networking
// rounds, topic suggestions and voting, a solution circle, open space, and
// close.
func DefaultAgenda() []Activity {
	out := make([]Activity, 0, 6)
	for _, k := range []Kind{KindWelcome, KindNetworking, KindTopics, KindCircle, KindOpenSpace, KindClose} {
		a, err := NewActivity(k)
		if err != nil {
			panic(err) // every kind above is registered in this package
		}
		out = append(out, a)
	}
	return out
}

// The agenda belongs to the facilitators: before and during the meetup
// they add, remove, reorder and rename items and set their planned times.
// What has happened stays: the current item cannot be removed, nor an item
// whose activity has something in it (topics, rounds); the current item
// stays current wherever items move.

// ErrAgendaFull refuses an item past MaxAgendaItems.
var ErrAgendaFull = fmt.Errorf("an agenda holds at most %d items", MaxAgendaItems)

// item returns agenda item i, or an error naming it.
func (c *change) item(i int) (*Activity, error) {
	if i < 0 || i >= len(c.m.Agenda) {
		return nil, ErrBadAgenda
	}
	return &c.m.Agenda[i], nil
}

// AddActivity adds an item of kind Of at position At (from 0; past the
// end adds it last), with the kind's defaults for what is left empty.
type AddActivity struct {
	At       int           `json:"at"`
	Of       Kind          `json:"of"`
	Title    string        `json:"title,omitempty"`
	Duration time.Duration `json:"duration,omitempty"`
}

func (AddActivity) Kind() string { return "agenda-add" }

func (a AddActivity) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if len(c.m.Agenda) >= MaxAgendaItems {
		return ErrAgendaFull
	}
	item, err := NewActivity(a.Of)
	if err != nil {
		return err
	}
	if a.Title != "" {
		if item.Title, err = cleanField("the title", a.Title, MaxTitleLen); err != nil {
			return err
		}
	}
	if a.Duration != 0 {
		if err := checkItemTime(a.Duration); err != nil {
			return err
		}
		item.Duration = a.Duration
	}
	if n, ok := item.State.(*Networking); ok {
		n.Seed = c.now.UnixNano()
	}
	at := min(max(a.At, 0), len(c.m.Agenda))
	c.m.Agenda = slices.Insert(c.m.Agenda, at, item)
	if at <= c.m.Current {
		c.m.Current++
	}
	c.keep()
	return nil
}

func checkItemTime(d time.Duration) error {
	if d < 0 || d > MaxItemTime {
		return fmt.Errorf("an activity's time goes from 0 (untimed) to %d hours", int(MaxItemTime.Hours()))
	}
	if d%time.Minute != 0 {
		return errors.New("an activity's time is in whole minutes")
	}
	return nil
}

// RemoveActivity takes item Index off the agenda.
type RemoveActivity struct {
	Index int `json:"index"`
}

func (RemoveActivity) Kind() string { return "agenda-remove" }

func (r RemoveActivity) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if err := c.m.CanRemove(r.Index); err != nil {
		return err
	}
	c.m.Agenda = slices.Delete(c.m.Agenda, r.Index, r.Index+1)
	if r.Index < c.m.Current {
		c.m.Current--
	}
	c.keep()
	return nil
}

// CanRemove says why agenda item i cannot be taken off now, or nil.
func (m *Meetup) CanRemove(i int) error {
	if i < 0 || i >= len(m.Agenda) {
		return ErrBadAgenda
	}
	a := m.Agenda[i]
	switch {
	case i == m.Current:
		return errors.New("this is the activity under way: move to another one before removing it")
	case a.Keeps() != "":
		return fmt.Errorf("%q stays on the agenda: %s", a.Title, a.Keeps())
	case len(m.Agenda) == 1:
		return errors.New("an agenda needs at least one activity")
	}
	return nil
}

// MoveActivity moves item From to position To; the others close up.
type MoveActivity struct {
	From int `json:"from"`
	To   int `json:"to"`
}

func (MoveActivity) Kind() string { return "agenda-move" }

func (mv MoveActivity) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	if _, err := c.item(mv.From); err != nil {
		return err
	}
	if _, err := c.item(mv.To); err != nil {
		return ErrBadAgenda
	}
	if mv.From == mv.To {
		return nil
	}
	cur := c.m.Current
	item := c.m.Agenda[mv.From]
	c.m.Agenda = slices.Delete(c.m.Agenda, mv.From, mv.From+1)
	c.m.Agenda = slices.Insert(c.m.Agenda, mv.To, item)
	// The current item stays current wherever it ends up.
	switch {
	case cur == mv.From:
		c.m.Current = mv.To
	case mv.From < cur && mv.To >= cur:
		c.m.Current--
	case mv.From > cur && mv.To <= cur:
		c.m.Current++
	}
	c.keep()
	return nil
}

// EditActivity changes item Index's title, planned time and note. A
// change of the planned time of the current item moves its countdown only
// if the countdown has not been started.
type EditActivity struct {
	Index    int           `json:"index"`
	Title    string        `json:"title"`
	Duration time.Duration `json:"duration"`
	Note     string        `json:"note"`
}

func (EditActivity) Kind() string { return "agenda-edit" }

func (e EditActivity) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	return c.editItem(e.Index, e.Title, e.Duration, e.Note)
}

// editItem sets item i's title, planned time and note, checking each; the
// same values change nothing.
func (c *change) editItem(i int, title string, d time.Duration, note string) error {
	a, err := c.item(i)
	if err != nil {
		return err
	}
	if title, err = cleanField("the title", title, MaxTitleLen); err != nil {
		return err
	}
	if note, err = CleanNote(note); err != nil {
		return err
	}
	if err := checkItemTime(d); err != nil {
		return err
	}
	if h, ok := a.State.(retimeHook); ok && d != a.Duration {
		if err := h.retime(d); err != nil {
			return err
		}
	}
	if d == 0 && i == c.m.Current && c.m.Timer.Running {
		return errors.New("the countdown is running: pause it before making this activity untimed")
	}
	if a.Title == title && a.Duration == d && a.Note == note {
		return nil
	}
	a.Title, a.Note = title, note
	if a.Duration != d {
		a.Duration = d
		switch {
		case i == c.m.Current && !c.m.Timer.Started:
			c.m.Timer = newTimer(*a)
		case a.Paused != nil && !a.Paused.Started:
			a.Paused = nil
		}
	}
	c.keep()
	return nil
}

// RetitleActivity changes only item Index's title: what else the item has
// is taken from the room as it is when the change arrives, so a change of
// time sent just before is not undone.
type RetitleActivity struct {
	Index int    `json:"index"`
	Title string `json:"title"`
}

func (RetitleActivity) Kind() string { return "agenda-title" }

func (r RetitleActivity) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	a, err := c.item(r.Index)
	if err != nil {
		return err
	}
	return c.editItem(r.Index, r.Title, a.Duration, a.Note)
}

// SetActivityNote changes only item Index's note (empty for none).
type SetActivityNote struct {
	Index int    `json:"index"`
	Note  string `json:"note"`
}

func (SetActivityNote) Kind() string { return "agenda-note" }

func (n SetActivityNote) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	a, err := c.item(n.Index)
	if err != nil {
		return err
	}
	return c.editItem(n.Index, a.Title, a.Duration, n.Note)
}

// AdjustActivityTime moves item Index's planned time by By (a minute at a
// time, from the agenda editor), keeping within the limits.
type AdjustActivityTime struct {
	Index int           `json:"index"`
	By    time.Duration `json:"by"`
}

func (AdjustActivityTime) Kind() string { return "agenda-time" }

func (t AdjustActivityTime) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	a, err := c.item(t.Index)
	if err != nil {
		return err
	}
	d := a.Duration + t.By
	switch {
	case d < 0 && a.Duration == 0:
		return errors.New("this activity is untimed already")
	case d < 0:
		d = 0
	case d > MaxItemTime:
		return fmt.Errorf("an activity lasts at most %d hours", int(MaxItemTime.Hours()))
	}
	return c.editItem(t.Index, a.Title, d, a.Note)
}
