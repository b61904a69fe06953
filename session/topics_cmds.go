package session

import (
	"errors"
	"fmt"
	"slices"

	"github.com/convene/convene/session/vote"
)

// The commands of the topics activity (its state is in topics.go).

// topics returns the current activity's vote state, to change only after
// every check.
func (c *change) topics() (*Vote, error) {
	v, ok := c.current().State.(*Vote)
	if !ok {
		return nil, ErrNoVote
	}
	return v, nil
}

// inPhase checks the phase of v.
func inPhase(v *Vote, want VotePhase) error {
	if have := v.CurrentPhase(); have != want {
		return phaseError(want, have)
	}
	return nil
}

// facilitatingTopics is the common start of the facilitators' commands.
func (c *change) facilitatingTopics(want VotePhase) (*Vote, error) {
	if err := c.facilitating(); err != nil {
		return nil, err
	}
	v, err := c.topics()
	if err != nil {
		return nil, err
	}
	if want != "" {
		if err := inPhase(v, want); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// SuggestTopic adds a topic, suggested by the actor.
type SuggestTopic struct {
	Text string `json:"text"`
}

func (SuggestTopic) Kind() string { return "topic-suggest" }

func (s SuggestTopic) apply(c *change) error {
	if _, err := c.running(); err != nil {
		return err
	}
	v, err := c.topics()
	if err != nil {
		return err
	}
	text, err := v.CheckSuggestion(c.actor, s.Text)
	if err != nil {
		return err
	}
	v.NextID++
	v.Topics = append(v.Topics, Topic{ID: fmt.Sprintf("t%d", v.NextID), Text: text, Authors: []PersonID{c.actor}})
	c.keep()
	return nil
}

// EditTopic changes a topic's text (facilitators, while suggesting).
type EditTopic struct {
	Topic string `json:"topic"`
	Text  string `json:"text"`
}

func (EditTopic) Kind() string { return "topic-edit" }

func (e EditTopic) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseSuggesting)
	if err != nil {
		return err
	}
	text, err := v.CheckEdit(e.Topic, e.Text)
	if err != nil {
		return err
	}
	i := v.topicIndex(e.Topic)
	if v.Topics[i].Text == text {
		return nil
	}
	v.Topics[i].Text = text
	c.keep()
	return nil
}

// MergeTopics merges topic From into topic Into: From goes, and its
// authors become authors of Into (facilitators, while suggesting, since
// duplicates are merged before the vote, not after).
type MergeTopics struct {
	From string `json:"from"`
	Into string `json:"into"`
}

func (MergeTopics) Kind() string { return "topic-merge" }

func (mg MergeTopics) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseSuggesting)
	if err != nil {
		return err
	}
	from, into := v.topicIndex(mg.From), v.topicIndex(mg.Into)
	if from < 0 || into < 0 {
		return errNoTopic
	}
	if from == into {
		return errors.New("choose two different topics to merge")
	}
	for _, p := range v.Topics[from].Authors {
		if !slices.Contains(v.Topics[into].Authors, p) {
			v.Topics[into].Authors = append(v.Topics[into].Authors, p)
		}
	}
	v.Topics = slices.Delete(v.Topics, from, from+1)
	c.keep()
	return nil
}

// RemoveTopic takes a topic off the list (facilitators, while suggesting).
type RemoveTopic struct {
	Topic string `json:"topic"`
}

func (RemoveTopic) Kind() string { return "topic-remove" }

func (r RemoveTopic) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseSuggesting)
	if err != nil {
		return err
	}
	i := v.topicIndex(r.Topic)
	if i < 0 {
		return errNoTopic
	}
	v.Topics = slices.Delete(v.Topics, i, i+1)
	c.keep()
	return nil
}

// SetVoteRules sets how the next poll is voted: the method and, for dots,
// the dots per person and the most on one topic. It can be changed before
// voting starts and, for a runoff, after it closes.
type SetVoteRules struct {
	Method      vote.Method `json:"method"`
	Dots        int         `json:"dots"`
	MaxPerTopic int         `json:"max_per_topic"`
}

func (SetVoteRules) Kind() string { return "vote-rules" }

func (s SetVoteRules) apply(c *change) error {
	v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	return c.setRules(v, s)
}

func (c *change) setRules(v *Vote, s SetVoteRules) error {
	if v.CurrentPhase() == PhaseVoting {
		return errors.New("the rules are fixed while voting is open: they can change once it is closed")
	}
	if !s.Method.Valid() {
		return fmt.Errorf("unknown voting method %q: choose dots, single or ranked", s.Method)
	}
	if s.Dots < 1 || s.Dots > MaxDots {
		return fmt.Errorf("dots per person go from 1 to %d", MaxDots)
	}
	if s.MaxPerTopic < 1 || s.MaxPerTopic > s.Dots {
		return fmt.Errorf("the most dots on one topic go from 1 to %d (the dots per person)", s.Dots)
	}
	runoff := v.CurrentPhase() == PhaseClosed
	if v.Method == s.Method && v.Dots == s.Dots && v.MaxPerTopic == s.MaxPerTopic && (!runoff || v.RunoffSet) {
		return nil
	}
	v.Method, v.Dots, v.MaxPerTopic = s.Method, s.Dots, s.MaxPerTopic
	v.RunoffSet = runoff
	c.keep()
	return nil
}

// VoteOption names a voting rule a facilitator changes a step at a time.
type VoteOption string

// The options AdjustVote changes.
const (
	OptionMethod      VoteOption = "method"
	OptionDots        VoteOption = "dots"
	OptionMaxPerTopic VoteOption = "max_per_topic"
)

// Methods lists the voting methods in the order a screen cycles them.
var Methods = []vote.Method{vote.Dots, vote.Single, vote.Ranked}

// AdjustVote moves one voting rule by By steps from where the room has it
// (the method cycles through Methods): quick presses add up in order.
// Fewer dots per person take the most on one topic down with them.
type AdjustVote struct {
	Option VoteOption `json:"option"`
	By     int        `json:"by"`
}

func (AdjustVote) Kind() string { return "vote-adjust" }

func (a AdjustVote) apply(c *change) error {
	v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	r := v.Rules()
	if v.CurrentPhase() == PhaseClosed && !v.RunoffSet {
		r = v.RunoffRules()
	}
	if a.Option != OptionMethod && r.Method != vote.Dots && v.CurrentPhase() != PhaseVoting {
		return errors.New("dots per person and per topic are for dot voting only")
	}
	switch a.Option {
	case OptionMethod:
		i := slices.Index(Methods, r.Method)
		r.Method = Methods[((i+a.By)%len(Methods)+len(Methods))%len(Methods)]
	case OptionDots:
		r.Dots += a.By
		if r.Dots >= 1 {
			r.MaxPerTopic = min(r.MaxPerTopic, r.Dots)
		}
	case OptionMaxPerTopic:
		r.MaxPerTopic += a.By
	default:
		return fmt.Errorf("there is no voting option %q", a.Option)
	}
	return c.setRules(v, SetVoteRules{Method: r.Method, Dots: r.Dots, MaxPerTopic: r.MaxPerTopic})
}

// ShowLiveResults shows (or hides) the running totals while voting.
type ShowLiveResults struct {
	Show bool `json:"show"`
}

func (ShowLiveResults) Kind() string { return "vote-live-results" }

func (s ShowLiveResults) apply(c *change) error {
	v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	if v.LiveResults == s.Show {
		return nil
	}
	v.LiveResults = s.Show
	c.keep()
	return nil
}

// ShowAuthors shows (or hides) to everyone who suggested each topic.
type ShowAuthors struct {
	Show bool `json:"show"`
}

func (ShowAuthors) Kind() string { return "topic-authors" }

func (s ShowAuthors) apply(c *change) error {
	v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	if v.ShowAuthors == s.Show {
		return nil
	}
	v.ShowAuthors = s.Show
	c.keep()
	return nil
}

// StartVoting closes suggestions and opens the vote on every topic.
type StartVoting struct{}

func (StartVoting) Kind() string { return "vote-start" }

func (StartVoting) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseSuggesting)
	if err != nil {
		return err
	}
	if len(v.Topics) == 0 {
		return errors.New("there are no topics to vote on yet")
	}
	ids := make([]string, len(v.Topics))
	for i, t := range v.Topics {
		ids[i] = t.ID
	}
	v.Polls = append(v.Polls, v.newPoll(ids, v.Rules()))
	v.Phase = PhaseVoting
	v.Chosen, v.Picked, v.RunoffSet = "", false, false
	c.keep()
	return nil
}

// StopVoting cancels the open poll and discards its ballots: the first
// vote goes back to suggestions (to merge a duplicate spotted late), a
// runoff back to the tie it was to settle.
type StopVoting struct{}

func (StopVoting) Kind() string { return "vote-stop" }

func (StopVoting) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseVoting)
	if err != nil {
		return err
	}
	v.Polls = v.Polls[:len(v.Polls)-1]
	if len(v.Polls) == 0 {
		v.Phase = PhaseSuggesting
	} else {
		v.Phase = PhaseClosed
	}
	c.keep()
	return nil
}

// CastBallot casts or replaces the actor's ballot in the open poll. A
// ballot is a list of topic ids: one per dot, the one choice, or the
// ranking, as vote.Ballot describes.
type CastBallot struct {
	Ballot vote.Ballot `json:"ballot"`
}

func (CastBallot) Kind() string { return "vote-ballot" }

// logged keeps the ballot itself out of the event log: the log records
// that the person voted, never how. (The current ballot stays in the
// meetup's state so that a voter gets it back after a reconnect.)
func (CastBallot) logged() any { return struct{}{} }

func (b CastBallot) apply(c *change) error {
	if _, err := c.running(); err != nil {
		return err
	}
	v, err := c.topics()
	if err != nil {
		return err
	}
	if err := v.CheckBallot(b.Ballot); err != nil {
		return err
	}
	p := &v.Polls[len(v.Polls)-1]
	if old, ok := p.Ballots[c.actor]; ok && slices.Equal(old, b.Ballot) {
		return nil
	}
	if p.Ballots == nil {
		p.Ballots = map[PersonID]vote.Ballot{}
	}
	p.Ballots[c.actor] = slices.Clone(b.Ballot)
	c.keep()
	return nil
}

// CloseVoting closes the open poll and counts it. A winner becomes the
// chosen topic; a tie (or a vote without votes) waits for the facilitator
// to pick a topic or run a runoff.
type CloseVoting struct{}

func (CloseVoting) Kind() string { return "vote-close" }

func (CloseVoting) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseVoting)
	if err != nil {
		return err
	}
	p := &v.Polls[len(v.Polls)-1]
	res := p.Count()
	p.Result = &res
	v.Phase = PhaseClosed
	v.Chosen, v.Picked, v.RunoffSet = res.Winner, false, false
	c.keep()
	return nil
}

// ReopenVoting reopens the latest poll with its ballots, for when voting
// was closed too soon.
type ReopenVoting struct{}

func (ReopenVoting) Kind() string { return "vote-reopen" }

func (ReopenVoting) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseClosed)
	if err != nil {
		return err
	}
	v.Polls[len(v.Polls)-1].Result = nil
	v.Phase = PhaseVoting
	v.Chosen, v.Picked = "", false
	c.keep()
	return nil
}

// Runoff opens a new poll between the topics tied in the latest one, with
// RunoffRules: one choice each between two topics unless the facilitator
// set other rules after the vote closed.
type Runoff struct{}

func (Runoff) Kind() string { return "vote-runoff" }

func (Runoff) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseClosed)
	if err != nil {
		return err
	}
	p, _ := v.Poll()
	if p.Result == nil || len(p.Result.Tie) < 2 {
		return errors.New("a runoff settles a tie, and this vote is not tied")
	}
	r := v.RunoffRules()
	v.Method, v.Dots, v.MaxPerTopic = r.Method, r.Dots, r.MaxPerTopic
	v.Polls = append(v.Polls, v.newPoll(slices.Clone(p.Result.Tie), r))
	v.Phase = PhaseVoting
	v.Chosen, v.Picked, v.RunoffSet = "", false, false
	c.keep()
	return nil
}

// PickTopic is the facilitator's choice of topic when the vote has no
// winner: one of the tied topics, or, if nobody voted, any topic on the
// ballot.
type PickTopic struct {
	Topic string `json:"topic"`
}

func (PickTopic) Kind() string { return "vote-pick" }

func (pk PickTopic) apply(c *change) error {
	v, err := c.facilitatingTopics(PhaseClosed)
	if err != nil {
		return err
	}
	p, _ := v.Poll()
	if p.Result != nil && p.Result.Winner != "" {
		return fmt.Errorf("the vote has a winner: %q", v.TopicText(p.Result.Winner))
	}
	if !v.CanPick(pk.Topic) {
		return errors.New("choose one of the tied topics")
	}
	if v.Chosen == pk.Topic {
		return nil
	}
	v.Chosen, v.Picked = pk.Topic, true
	c.keep()
	return nil
}
