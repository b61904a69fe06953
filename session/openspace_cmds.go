package session

import (
	"errors"
	"fmt"
	"slices"
)

// The commands of open space (its state is in openspace.go).

// openSpace returns the current activity's open-space state, to change
// only after every check. An open space stored before it had a state gets
// a new one, put in place by keepOpen once a command changes it.
func (c *change) openSpace() (*OpenSpace, error) {
	if _, err := c.running(); err != nil {
		return nil, err
	}
	a := c.current()
	if a.Kind != KindOpenSpace {
		return nil, ErrNoOpenSpace
	}
	if s, ok := a.State.(*OpenSpace); ok {
		return s, nil
	}
	return &OpenSpace{}, nil
}

// keepOpen marks a change of s, the current activity's state.
func (c *change) keepOpen(s *OpenSpace) {
	c.current().State = s
	c.keep()
}

// facilitatingOpen is the common start of the facilitators' commands.
func (c *change) facilitatingOpen() (*OpenSpace, error) {
	if err := c.facilitating(); err != nil {
		return nil, err
	}
	return c.openSpace()
}

// PostOpenItem raises an item, posted by the actor: one line and an
// optional detail.
type PostOpenItem struct {
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"`
}

func (PostOpenItem) Kind() string { return "open-post" }

func (p PostOpenItem) apply(c *change) error {
	s, err := c.openSpace()
	if err != nil {
		return err
	}
	text, detail, err := s.CheckPost(c.actor, p.Text, p.Detail)
	if err != nil {
		return err
	}
	s.Items = append(s.Items, OpenItem{ID: c.newRef("o"), Text: text, Detail: detail, Author: c.actor,
		Posted: len(s.Items) + 1, At: c.now})
	c.keepOpen(s)
	return nil
}

// CanWithdraw says why person may not withdraw the item (nil if they may):
// its author only, and only before it has had the floor or a note.
func (it OpenItem) CanWithdraw(person PersonID) error {
	switch {
	case it.Author != person:
		return errors.New("only the person who raised an item can withdraw it")
	case it.Discussed || len(it.Notes) > 0:
		return errors.New("it has been discussed, so it stays: what was said about it is kept")
	}
	return nil
}

// WithdrawOpenItem takes an item off the list: its author only, and only
// before it has had the floor or a note (what was said about it is kept).
type WithdrawOpenItem struct {
	Item string `json:"item"`
}

func (WithdrawOpenItem) Kind() string { return "open-withdraw" }

func (w WithdrawOpenItem) apply(c *change) error {
	s, err := c.openSpace()
	if err != nil {
		return err
	}
	it, err := s.live(w.Item)
	if err != nil {
		return err
	}
	if err := it.CanWithdraw(c.actor); err != nil {
		return err
	}
	it.Withdrawn = true
	c.keepOpen(s)
	return nil
}

// PlusOne adds the actor's +1 to an item, or takes it back if they gave
// one: from where the room has it, so two quick presses add and take back.
type PlusOne struct {
	Item string `json:"item"`
}

func (PlusOne) Kind() string { return "open-plus-one" }

func (p PlusOne) apply(c *change) error {
	s, err := c.openSpace()
	if err != nil {
		return err
	}
	it, err := s.live(p.Item)
	if err != nil {
		return err
	}
	if it.Author == c.actor {
		return errors.New("that is your own item: the others +1 it")
	}
	if i := slices.Index(it.Votes, c.actor); i >= 0 {
		it.Votes = slices.Delete(it.Votes, i, i+1)
	} else {
		it.Votes = append(it.Votes, c.actor)
	}
	c.keepOpen(s)
	return nil
}

// SortOpenItems orders the queue by +1s (ByVotes), or keeps the order it
// has now as the order facilitators change by hand.
type SortOpenItems struct {
	ByVotes bool `json:"by_votes"`
}

func (SortOpenItems) Kind() string { return "open-sort" }

func (o SortOpenItems) apply(c *change) error {
	s, err := c.facilitatingOpen()
	if err != nil {
		return err
	}
	if s.ByVotes == o.ByVotes {
		return nil
	}
	if !o.ByVotes {
		s.fixOrder()
	}
	s.ByVotes = o.ByVotes
	c.keepOpen(s)
	return nil
}

// fixOrder makes the queue's order the order of Items, withdrawn items
// after the rest.
func (s *OpenSpace) fixOrder() {
	q := s.Queue()
	for _, it := range s.Items {
		if it.Withdrawn {
			q = append(q, it)
		}
	}
	s.Items = q
}

// MoveOpenItem moves an item By places up (negative) or down the queue.
// The queue is then ordered by hand, starting from the order it had.
type MoveOpenItem struct {
	Item string `json:"item"`
	By   int    `json:"by"`
}

func (MoveOpenItem) Kind() string { return "open-move" }

func (mv MoveOpenItem) apply(c *change) error {
	s, err := c.facilitatingOpen()
	if err != nil {
		return err
	}
	if _, err := s.live(mv.Item); err != nil {
		return err
	}
	q := s.Queue()
	from := slices.IndexFunc(q, func(it OpenItem) bool { return it.ID == mv.Item })
	to := min(max(from+mv.By, 0), len(q)-1)
	if to == from {
		if mv.By < 0 {
			return errors.New("it is already first in the queue")
		}
		return errors.New("it is already last in the queue")
	}
	s.fixOrder()
	it := s.Items[from]
	s.Items = slices.Insert(slices.Delete(s.Items, from, from+1), to, it)
	s.ByVotes = false
	c.keepOpen(s)
	return nil
}

// GiveItemFloor gives the floor to an item, shown to everyone; "" takes the
// floor back.
type GiveItemFloor struct {
	Item string `json:"item"`
}

func (GiveItemFloor) Kind() string { return "open-floor" }

func (g GiveItemFloor) apply(c *change) error {
	s, err := c.facilitatingOpen()
	if err != nil {
		return err
	}
	if g.Item == "" {
		if s.Floor == "" {
			return nil
		}
		s.Floor = ""
		c.keepOpen(s)
		return nil
	}
	it, err := s.live(g.Item)
	if err != nil {
		return err
	}
	if s.Floor == g.Item {
		return nil
	}
	s.Floor = g.Item
	it.Discussed = true
	c.keepOpen(s)
	return nil
}

// AddOpenNote adds a note to an item: what was said, what was agreed.
// Facilitators and the note-taker write them.
type AddOpenNote struct {
	Item string `json:"item"`
	Text string `json:"text"`
}

func (AddOpenNote) Kind() string { return "open-note" }

func (n AddOpenNote) apply(c *change) error {
	if _, err := c.noting(); err != nil {
		return err
	}
	s, err := c.openSpace()
	if err != nil {
		return err
	}
	it, err := s.live(n.Item)
	if err != nil {
		return err
	}
	text, err := CheckNote(n.Text)
	if err != nil {
		return err
	}
	if len(it.Notes) >= MaxOpenNotes {
		return fmt.Errorf("an item holds %d notes at most", MaxOpenNotes)
	}
	it.Notes = append(it.Notes, OpenNote{Text: text, By: c.actor, At: c.now})
	c.keepOpen(s)
	return nil
}
