package session

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Open space: anyone raises anything with the whole group. People post
// items (one line, with an optional detail) and +1 the ones they want to
// hear; facilitators order the queue by votes or by hand, give the floor
// to one item at a time and note what was said. This file holds the state
// and its hooks; the commands are in openspace_cmds.go.

// Limits of open space.
const (
	MaxOpenItemLen   = 120
	MaxOpenDetailLen = 300
	MaxOpenNoteLen   = 200
	// MaxOpenItems bounds the items on the list (withdrawn ones not
	// counted), so that it stays something a room can read.
	MaxOpenItems = 60
	// MaxOpenItemsPerPerson bounds the items one person has on the list.
	MaxOpenItemsPerPerson = 5
	// MaxOpenNotes bounds the notes on one item.
	MaxOpenNotes = 20
)

// ErrNoOpenSpace is returned by the open-space commands when the current
// activity is not open space.
var ErrNoOpenSpace = errors.New("there is no open space now")

var errNoOpenItem = errors.New("that item is no longer on the list")

// OpenSpace is the state of an open-space activity.
type OpenSpace struct {
	// Items are every item posted, withdrawn ones included, in the order
	// a facilitator put them (posting order until someone moves one).
	Items []OpenItem `json:"items,omitempty"`
	// ByVotes orders the queue by +1s, most first, ties by posting time;
	// otherwise the queue is in the order of Items.
	ByVotes bool `json:"by_votes,omitempty"`
	// Floor is the item that has the floor now ("" for none).
	Floor string `json:"floor,omitempty"`
}

// OpenItem is one thing someone raised.
type OpenItem struct {
	// ID is meetup-wide unique ("o7"): an action made from the item
	// names it in its Ref.
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Detail string   `json:"detail,omitempty"`
	Author PersonID `json:"author"`
	// Posted numbers the items in the order they were posted (1, 2, ...),
	// for ties in the order by votes.
	Posted int       `json:"posted"`
	At     time.Time `json:"at"`
	// Votes are the people who +1'd it. Screens see only how many (and,
	// in their Own, whether they are among them).
	Votes []PersonID `json:"votes,omitempty"`
	// Notes are what facilitators (or the note-taker) noted on it.
	Notes []OpenNote `json:"notes,omitempty"`
	// Withdrawn is set when its author took it back.
	Withdrawn bool `json:"withdrawn,omitempty"`
	// Discussed is set once it has had the floor.
	Discussed bool `json:"discussed,omitempty"`
	// votes is the count a redacted copy keeps without the names.
	votes int
}

// OpenNote is one note on an item.
type OpenNote struct {
	Text string    `json:"text"`
	By   PersonID  `json:"by"`
	At   time.Time `json:"at"`
}

// VoteCount is how many people +1'd the item.
func (it OpenItem) VoteCount() int {
	if it.Votes != nil {
		return len(it.Votes)
	}
	return it.votes
}

func init() {
	register(KindInfo{Kind: KindOpenSpace, order: 60, Name: "Open space",
		About: "Anyone raises anything with the whole group.",
		Title: "Open space", Duration: 10 * time.Minute,
		Note: "Anyone can raise anything with the whole group: post an item, +1 the ones you want to hear.",
		New:  func() State { return &OpenSpace{} }})
}

func (s *OpenSpace) clone() State {
	c := *s
	c.Items = slices.Clone(s.Items)
	for i := range c.Items {
		c.Items[i].Votes = slices.Clone(c.Items[i].Votes)
		c.Items[i].Notes = slices.Clone(c.Items[i].Notes)
	}
	return &c
}

// template keeps the setting (the order), nothing that happened.
func (s *OpenSpace) template() State { return &OpenSpace{ByVotes: s.ByVotes} }

func (s *OpenSpace) keeps() string {
	switch n := len(s.Items); n {
	case 0:
		return ""
	case 1:
		return "an item has been raised in it"
	default:
		return fmt.Sprintf("%d items have been raised in it", n)
	}
}

// redact keeps who +1'd what out of every screen: they see how many, and
// their own +1s in their Own.
func (s *OpenSpace) redact(*Meetup, Role) State {
	c := *s
	c.Items = slices.Clone(s.Items)
	for i := range c.Items {
		it := &c.Items[i]
		it.votes, it.Votes = len(it.Votes), nil
	}
	return &c
}

// OpenOwn is what only one person may see of open space: the items they
// +1'd.
type OpenOwn struct {
	Voted []string
}

// HasVoted reports whether the person +1'd item id.
func (o *OpenOwn) HasVoted(id string) bool { return o != nil && slices.Contains(o.Voted, id) }

func (s *OpenSpace) own(_ *Meetup, id PersonID) any {
	o := &OpenOwn{}
	for _, it := range s.Items {
		if slices.Contains(it.Votes, id) {
			o.Voted = append(o.Voted, it.ID)
		}
	}
	return o
}

func (s *OpenSpace) outcomes(m *Meetup, _ *Activity, o *Outcomes) {
	for _, it := range s.Queue() {
		notes := make([]string, len(it.Notes))
		for i, n := range it.Notes {
			notes[i] = n.Text
		}
		o.OpenItems = append(o.OpenItems, OpenItemOutcome{Text: it.Text, Detail: it.Detail, Author: m.NameOf(it.Author),
			Votes: it.VoteCount(), Notes: notes, Discussed: it.Discussed})
	}
}

func (s *OpenSpace) actionSources(m *Meetup, _ *Activity) []ActionSource {
	var out []ActionSource
	for _, it := range s.Queue() {
		out = append(out, ActionSource{Ref: it.ID, Text: it.Text, Owner: it.Author,
			From: "open-space item by " + m.NameOf(it.Author)})
	}
	return out
}

// Queue returns the items on the list (withdrawn ones left out) in the
// order the room takes them.
func (s *OpenSpace) Queue() []OpenItem {
	if s == nil {
		return nil
	}
	out := make([]OpenItem, 0, len(s.Items))
	for _, it := range s.Items {
		if !it.Withdrawn {
			out = append(out, it)
		}
	}
	if s.ByVotes {
		slices.SortStableFunc(out, func(a, b OpenItem) int {
			if c := cmp.Compare(b.VoteCount(), a.VoteCount()); c != 0 {
				return c
			}
			return cmp.Compare(a.Posted, b.Posted)
		})
	}
	return out
}

// Item returns the item with the given id, withdrawn or not.
func (s *OpenSpace) Item(id string) (OpenItem, bool) {
	i := s.itemIndex(id)
	if i < 0 {
		return OpenItem{}, false
	}
	return s.Items[i], true
}

func (s *OpenSpace) itemIndex(id string) int {
	if s == nil || id == "" {
		return -1
	}
	return slices.IndexFunc(s.Items, func(it OpenItem) bool { return it.ID == id })
}

// OnFloor returns the item that has the floor, if any.
func (s *OpenSpace) OnFloor() (OpenItem, bool) {
	if s == nil {
		return OpenItem{}, false
	}
	return s.Item(s.Floor)
}

// live returns the item with the given id if it is on the list.
func (s *OpenSpace) live(id string) (*OpenItem, error) {
	i := s.itemIndex(id)
	if i < 0 || s.Items[i].Withdrawn {
		return nil, errNoOpenItem
	}
	return &s.Items[i], nil
}

// CheckPost cleans an item and its detail and checks that person may post
// them now. Screens call it before sending, so that what they refuse and
// what the room refuses are the same.
func (s *OpenSpace) CheckPost(person PersonID, text, detail string) (string, string, error) {
	text, err := cleanField("the item", text, MaxOpenItemLen)
	if err != nil {
		return "", "", err
	}
	detail, err = CheckDetail(detail)
	if err != nil {
		return "", "", err
	}
	q := s.Queue()
	mine := 0
	for _, it := range q {
		if strings.EqualFold(it.Text, text) {
			return "", "", fmt.Errorf("%q is already on the list: +1 it instead", it.Text)
		}
		if it.Author == person {
			mine++
		}
	}
	if len(q) >= MaxOpenItems {
		return "", "", fmt.Errorf("the list is full: %d items at most", MaxOpenItems)
	}
	if mine >= MaxOpenItemsPerPerson {
		return "", "", fmt.Errorf("you have %d items on the list, the most one person can: withdraw one first", MaxOpenItemsPerPerson)
	}
	return text, detail, nil
}

// CheckDetail cleans an item's optional detail and checks its length.
func CheckDetail(detail string) (string, error) {
	return cleanOptional("the detail", detail, MaxOpenDetailLen)
}

// CheckNote cleans a note and checks its length.
func CheckNote(text string) (string, error) { return cleanField("the note", text, MaxOpenNoteLen) }
