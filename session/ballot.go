package session

import (
	"fmt"
	"slices"

	"github.com/convene/convene/session/vote"
)

// A person puts their ballot together on their own screen and casts it
// whole. These are the rules for putting it together, so that a screen asks
// rather than works them out: each returns the ballot as changed, or an
// error saying why not. They never change b.

// AddDot puts one more dot on topic id.
func (p Poll) AddDot(b vote.Ballot, id string) (vote.Ballot, error) {
	r := p.Rules()
	if !slices.Contains(p.Topics, id) {
		return b, errNoTopic
	}
	switch {
	case len(b) >= r.Dots:
		return b, fmt.Errorf("all %d dots are placed: take one off another topic first", r.Dots)
	case Dots(b, id) >= r.MaxPerTopic:
		return b, fmt.Errorf("at most %d dots can go on one topic", r.MaxPerTopic)
	}
	out := append(slices.Clone(b), id)
	// Kept in list order, so a ballot compares equal however it was made.
	slices.SortStableFunc(out, func(x, y string) int { return slices.Index(p.Topics, x) - slices.Index(p.Topics, y) })
	return out, nil
}

// TakeDot takes one dot off topic id; ok is false when it has none.
func (p Poll) TakeDot(b vote.Ballot, id string) (vote.Ballot, bool) {
	i := slices.Index(b, id)
	if i < 0 {
		return b, false
	}
	return slices.Delete(slices.Clone(b), i, i+1), true
}

// Dots counts the dots on topic id.
func Dots(b vote.Ballot, id string) int {
	n := 0
	for _, x := range b {
		if x == id {
			n++
		}
	}
	return n
}

// Rank ranks topic id next, after those ranked; ok is false when it is
// ranked already.
func (p Poll) Rank(b vote.Ballot, id string) (vote.Ballot, bool) {
	if slices.Contains(b, id) || !slices.Contains(p.Topics, id) {
		return b, false
	}
	return append(slices.Clone(b), id), true
}

// Unrank takes topic id out of the ranking; ok is false when it was not
// ranked.
func (p Poll) Unrank(b vote.Ballot, id string) (vote.Ballot, bool) { return p.TakeDot(b, id) }

// MoveRank moves topic id up (d -1) or down (d +1) the ranking: moving the
// first unranked topic up ranks it last, moving the last ranked one down
// unranks it. ok is false when it cannot move that way.
func (p Poll) MoveRank(b vote.Ballot, id string, d int) (vote.Ballot, bool) {
	i := slices.Index(b, id)
	out := slices.Clone(b)
	switch {
	case i < 0 && d < 0:
		return p.Rank(b, id)
	case i < 0, i+d < 0:
		return b, false
	case i+d >= len(b):
		return slices.Delete(out, i, i+1), true
	}
	out[i], out[i+d] = out[i+d], out[i]
	return out, true
}

// Choose is a single-choice ballot for topic id.
func (p Poll) Choose(id string) vote.Ballot { return vote.Ballot{id} }

// CheckBallot checks a ballot against the open poll's rules. Its messages
// name topics by their text.
func (v *Vote) CheckBallot(b vote.Ballot) error {
	if ph := v.CurrentPhase(); ph != PhaseVoting {
		return phaseError(PhaseVoting, ph)
	}
	p, ok := v.Poll()
	if !ok {
		return phaseError(PhaseVoting, PhaseSuggesting)
	}
	texts := make([]string, len(p.Topics))
	for i, id := range p.Topics {
		texts[i] = v.TopicText(id)
	}
	// Texts are unique (see checkUnique), so naming by text loses nothing
	// once every id is known to be on the ballot.
	named := make(vote.Ballot, len(b))
	for i, id := range b {
		if id != "" && !slices.Contains(p.Topics, id) {
			return fmt.Errorf("%q is not one of the topics of this vote", v.TopicText(id))
		}
		named[i] = v.TopicText(id)
	}
	return p.Rules().Check(named, texts)
}
