package session

import (
	"maps"
	"slices"

	"github.com/convene/convene/session/vote"
)

// Poll is one round of voting: the first vote, or a runoff between the
// topics tied in the one before.
type Poll struct {
	// N numbers the polls opened in this activity, 1 for the first; a
	// poll cancelled and opened again gets a new number.
	N int `json:"n"`
	// Topics are the topic ids on the ballot, in list order (which breaks
	// the last ties of an instant runoff; see docs/voting.md).
	Topics      []string    `json:"topics"`
	Method      vote.Method `json:"method"`
	Dots        int         `json:"dots,omitempty"`
	MaxPerTopic int         `json:"max_per_topic,omitempty"`
	// Ballots are kept so that people get theirs back after a reconnect or
	// a restart. They are secret: a View never has them (see Vote.redact).
	Ballots map[PersonID]vote.Ballot `json:"ballots,omitempty"`
	// Result is set when the poll is closed.
	Result *Result `json:"result,omitempty"`

	// What a View has instead of the ballots: how many were cast, who cast
	// them (facilitators only) and the running totals (when live results
	// are shown).
	cast  int
	voted []PersonID
	live  *Result
}

// Result is the count of a closed poll (a JSON-friendly vote.Result).
type Result struct {
	Method vote.Method `json:"method"`
	// Winner is the winning topic id, "" on a tie or with no votes.
	Winner string `json:"winner,omitempty"`
	// Tie lists the topic ids tied for the win, in list order.
	Tie []string `json:"tie,omitempty"`
	// Totals are the final-round counts of every topic on the ballot.
	Totals map[string]int `json:"totals"`
	// Rounds are the instant-runoff rounds of a ranked vote.
	Rounds []ResultRound `json:"rounds,omitempty"`
	// Ballots is how many ballots were counted.
	Ballots int `json:"ballots"`
}

// ResultRound is one round of an instant runoff.
type ResultRound struct {
	Totals     map[string]int `json:"totals"`
	Eliminated string         `json:"eliminated,omitempty"`
	// TieBreak says how the eliminated topic was chosen when several were
	// tied for fewest votes; nil when it had fewest on its own.
	TieBreak *TieBreak `json:"tie_break,omitempty"`
}

// TieBreak is how a tie for fewest votes in an instant-runoff round was
// broken (see vote.TieBreak).
type TieBreak struct {
	// Tied are every topic tied for fewest, the eliminated one included.
	Tied []string `json:"tied"`
	// Among are the topics still tied when the decision was made.
	Among []string `json:"among"`
	// Round is the earlier round (from 1) in which the eliminated topic had
	// fewer votes than the others; 0 means the order of the list decided.
	Round int `json:"round,omitempty"`
}

func tieBreakOf(tb *vote.TieBreak) *TieBreak {
	if tb == nil {
		return nil
	}
	return &TieBreak{Tied: slices.Clone(tb.Tied), Among: slices.Clone(tb.Among), Round: tb.Round}
}

func (p Poll) clone() Poll {
	p.Topics = slices.Clone(p.Topics)
	if p.Ballots != nil {
		b := make(map[PersonID]vote.Ballot, len(p.Ballots))
		for k, x := range p.Ballots {
			b[k] = slices.Clone(x)
		}
		p.Ballots = b
	}
	if p.Result != nil {
		p.Result = p.Result.clone()
	}
	p.voted = slices.Clone(p.voted)
	return p
}

func (r *Result) clone() *Result {
	c := *r
	c.Tie = slices.Clone(r.Tie)
	c.Totals = maps.Clone(r.Totals)
	c.Rounds = slices.Clone(r.Rounds)
	for i := range c.Rounds {
		c.Rounds[i].Totals = maps.Clone(c.Rounds[i].Totals)
		if tb := c.Rounds[i].TieBreak; tb != nil {
			c.Rounds[i].TieBreak = &TieBreak{Tied: slices.Clone(tb.Tied), Among: slices.Clone(tb.Among), Round: tb.Round}
		}
	}
	return &c
}

// Poll returns the latest poll: the open one while voting, the last
// counted one once closed.
func (v *Vote) Poll() (Poll, bool) {
	if v == nil || len(v.Polls) == 0 {
		return Poll{}, false
	}
	return v.Polls[len(v.Polls)-1], true
}

// InRunoff reports whether the latest poll is a runoff.
func (v *Vote) InRunoff() bool { return v != nil && len(v.Polls) > 1 }

// Rules are the rules of this poll.
func (p Poll) Rules() vote.Rules { return normRules(p.Method, p.Dots, p.MaxPerTopic) }

// Ballot returns a copy of one person's ballot in this poll (nil if none).
func (p Poll) Ballot(id PersonID) vote.Ballot { return slices.Clone(p.Ballots[id]) }

// HasVoted reports whether a person has cast a ballot in this poll. This,
// never how they voted, is what facilitators are shown.
func (p Poll) HasVoted(id PersonID) bool {
	if p.Ballots != nil {
		_, ok := p.Ballots[id]
		return ok
	}
	return slices.Contains(p.voted, id)
}

// Cast counts the ballots cast in this poll.
func (p Poll) Cast() int {
	if p.Ballots != nil {
		return len(p.Ballots)
	}
	return p.cast
}

// Live returns the running totals of an open poll, where they may be
// shown.
func (p Poll) Live() (Result, bool) {
	if p.live == nil {
		return Result{}, false
	}
	return *p.live, true
}

// Count counts the ballots cast so far or, once closed, returns the stored
// result.
func (p Poll) Count() Result {
	if p.Result != nil {
		return *p.Result
	}
	if p.live != nil {
		return *p.live
	}
	ids := slices.Sorted(maps.Keys(p.Ballots))
	ballots := make([]vote.Ballot, 0, len(ids))
	for _, id := range ids {
		ballots = append(ballots, p.Ballots[id])
	}
	return newResult(vote.Count(p.Rules(), p.Topics, ballots), p.Topics, len(ballots))
}

// newResult turns a count into a Result, listing a tie in list order.
func newResult(r vote.Result, order []string, n int) Result {
	out := Result{Method: r.Method, Winner: r.Winner, Totals: maps.Clone(r.Totals), Ballots: n}
	for _, id := range order {
		if slices.Contains(r.Tie, id) {
			out.Tie = append(out.Tie, id)
		}
	}
	for _, rd := range r.Rounds {
		out.Rounds = append(out.Rounds, ResultRound{Totals: maps.Clone(rd.Totals), Eliminated: rd.Eliminated, TieBreak: tieBreakOf(rd.TieBreak)})
	}
	return out
}

// Ordered returns the topic ids for a bar chart: most votes first; in a
// ranked vote, topics eliminated later before those eliminated earlier.
func (r Result) Ordered() []string {
	vr := vote.Result{Method: r.Method, Totals: r.Totals}
	for _, rd := range r.Rounds {
		vr.Rounds = append(vr.Rounds, vote.Round{Totals: rd.Totals, Eliminated: rd.Eliminated})
	}
	return vr.Ordered()
}

func (v *Vote) newPoll(ids []string, r vote.Rules) Poll {
	v.Opened++
	return Poll{N: v.Opened, Topics: ids, Method: r.Method, Dots: r.Dots, MaxPerTopic: r.MaxPerTopic, Ballots: map[PersonID]vote.Ballot{}}
}
