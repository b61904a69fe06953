package session

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/convene/convene/session/vote"
)

// Limits of the topics activity.
const (
	// MaxTopicLen bounds one topic, in characters.
	MaxTopicLen = 120
	// MaxTopics bounds the topics of one activity, so that the list stays
	// something a room can read and vote on.
	MaxTopics = 60
	// MaxTopicsPerPerson bounds how many topics one person may suggest.
	MaxTopicsPerPerson = 10
	// MaxDots bounds the dots per person a facilitator may set.
	MaxDots = 10
)

// ErrNoVote is returned by the topic and vote commands when the current
// activity is not topic suggestions and voting.
var ErrNoVote = errors.New("there is no topic vote now")

// VotePhase is where a topics activity stands.
type VotePhase string

// The phases of a topics activity, in order. A facilitator moves between
// them: suggesting -> voting -> closed; voting can go back to suggesting
// (ballots are discarded), closed can go back to voting (ballots kept), and
// a tie can be voted on again in a runoff.
const (
	PhaseSuggesting VotePhase = "suggesting"
	PhaseVoting     VotePhase = "voting"
	PhaseClosed     VotePhase = "closed"
)

// Topic is one suggestion.
type Topic struct {
	// ID is stable for the life of the topic ("t1", "t2", ...); ballots
	// refer to topics by it.
	ID   string `json:"id"`
	Text string `json:"text"`
	// Authors are the people who suggested it, first suggester first;
	// merging duplicates merges their authors.
	Authors []PersonID `json:"authors"`
}

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
	// a restart. They are secret: screens show a person only their own.
	Ballots map[PersonID]vote.Ballot `json:"ballots,omitempty"`
	// Result is set when the poll is closed.
	Result *Result `json:"result,omitempty"`
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
}

// Vote is the state of a topics activity: its settings, the suggestions,
// every poll and the topic chosen. A nil *Vote is an activity where nothing
// has happened yet, with the default settings; its methods handle nil.
type Vote struct {
	Phase       VotePhase   `json:"phase"`
	Method      vote.Method `json:"method"`
	Dots        int         `json:"dots"`
	MaxPerTopic int         `json:"max_per_topic"`
	// LiveResults shows the running totals to everyone while voting; by
	// default results stay hidden until voting closes.
	LiveResults bool `json:"live_results,omitempty"`
	// ShowAuthors shows who suggested what to everyone; facilitators
	// always see it.
	ShowAuthors bool    `json:"show_authors,omitempty"`
	Topics      []Topic `json:"topics,omitempty"`
	// NextID numbers the next topic.
	NextID int `json:"next_id"`
	// Polls are every round of voting so far, the latest last.
	Polls []Poll `json:"polls,omitempty"`
	// Opened counts the polls ever opened, cancelled ones included.
	Opened int `json:"opened,omitempty"`
	// Chosen is the topic carried into the solution circle: the winner of
	// the latest poll, or the facilitator's pick after a tie.
	Chosen string `json:"chosen,omitempty"`
	// Picked is true when the facilitator chose it.
	Picked bool `json:"picked,omitempty"`
	// Sharer is the chosen topic's first author, offered as the problem
	// sharer of the solution circle.
	Sharer PersonID `json:"sharer,omitempty"`
}

// NewVote returns a topics activity's state with the default settings:
// suggestions open, dot voting with 3 dots each and at most 2 on a topic,
// results and authors hidden.
func NewVote() *Vote {
	r := vote.DefaultRules(vote.Dots)
	return &Vote{Phase: PhaseSuggesting, Method: r.Method, Dots: r.Dots, MaxPerTopic: r.MaxPerTopic}
}

func (v *Vote) clone() *Vote {
	c := *v
	c.Topics = slices.Clone(v.Topics)
	for i := range c.Topics {
		c.Topics[i].Authors = slices.Clone(c.Topics[i].Authors)
	}
	c.Polls = slices.Clone(v.Polls)
	for i := range c.Polls {
		c.Polls[i] = c.Polls[i].clone()
	}
	return &c
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
	return p
}

func (r *Result) clone() *Result {
	c := *r
	c.Tie = slices.Clone(r.Tie)
	c.Totals = maps.Clone(r.Totals)
	c.Rounds = slices.Clone(r.Rounds)
	for i := range c.Rounds {
		c.Rounds[i].Totals = maps.Clone(c.Rounds[i].Totals)
	}
	return &c
}

// orDefault returns v, or the default state for a nil v. It never changes v.
func (v *Vote) orDefault() *Vote {
	if v == nil {
		return NewVote()
	}
	return v
}

// CurrentPhase returns the phase; a nil or new Vote is suggesting.
func (v *Vote) CurrentPhase() VotePhase {
	if v == nil || v.Phase == "" {
		return PhaseSuggesting
	}
	return v.Phase
}

// Rules are the voting rules the next poll will use.
func (v *Vote) Rules() vote.Rules {
	v = v.orDefault()
	return normRules(v.Method, v.Dots, v.MaxPerTopic)
}

func normRules(m vote.Method, dots, perTopic int) vote.Rules {
	if !m.Valid() {
		m = vote.Dots
	}
	r := vote.Rules{Method: m, Dots: dots, MaxPerTopic: perTopic}
	if r.Dots <= 0 {
		r.Dots = vote.DefaultDots
	}
	if r.MaxPerTopic <= 0 {
		r.MaxPerTopic = min(vote.DefaultMaxPerTopic, r.Dots)
	}
	return r
}

// TopicList returns the topics in the order they were suggested.
func (v *Vote) TopicList() []Topic {
	if v == nil {
		return nil
	}
	return v.Topics
}

// Topic returns the topic with the given id.
func (v *Vote) Topic(id string) (Topic, bool) {
	if v == nil {
		return Topic{}, false
	}
	i := v.topicIndex(id)
	if i < 0 {
		return Topic{}, false
	}
	return v.Topics[i], true
}

func (v *Vote) topicIndex(id string) int {
	return slices.IndexFunc(v.Topics, func(t Topic) bool { return t.ID == id })
}

// TopicText returns a topic's text, or the id for an unknown topic.
func (v *Vote) TopicText(id string) string {
	if t, ok := v.Topic(id); ok {
		return t.Text
	}
	return id
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
// Only that person's own screen may show it.
func (p Poll) Ballot(id PersonID) vote.Ballot { return slices.Clone(p.Ballots[id]) }

// HasVoted reports whether a person has cast a ballot in this poll. This,
// never how they voted, is what facilitators are shown.
func (p Poll) HasVoted(id PersonID) bool {
	_, ok := p.Ballots[id]
	return ok
}

// Voters counts the ballots cast in this poll.
func (p Poll) Voters() int { return len(p.Ballots) }

// Count counts the ballots cast so far (for live results) or, once
// closed, returns the stored result.
func (p Poll) Count() Result {
	if p.Result != nil {
		return *p.Result
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
		out.Rounds = append(out.Rounds, ResultRound{Totals: maps.Clone(rd.Totals), Eliminated: rd.Eliminated})
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

// NeedsPick reports whether the facilitator must choose the topic: the
// latest poll is closed without a winner (a tie, or no votes at all).
func (v *Vote) NeedsPick() bool {
	p, ok := v.Poll()
	return ok && v.CurrentPhase() == PhaseClosed && p.Result != nil && p.Result.Winner == "" && v.Chosen == ""
}

// CanPick reports whether the facilitator may choose topic id now: after a
// tie, one of the tied topics; after a vote without any votes, any topic
// on the ballot.
func (v *Vote) CanPick(id string) bool {
	p, ok := v.Poll()
	if !ok || v.CurrentPhase() != PhaseClosed || p.Result == nil || p.Result.Winner != "" {
		return false
	}
	if len(p.Result.Tie) > 0 {
		return slices.Contains(p.Result.Tie, id)
	}
	return slices.Contains(p.Topics, id)
}

// CheckSuggestion cleans text and checks that person may suggest it now.
// Screens call it before sending, so that what they refuse and what the
// room refuses are the same.
func (v *Vote) CheckSuggestion(person PersonID, text string) (string, error) {
	if ph := v.CurrentPhase(); ph != PhaseSuggesting {
		return "", phaseError(PhaseSuggesting, ph)
	}
	text, err := cleanField("topic", text, MaxTopicLen)
	if err != nil {
		return "", err
	}
	if err := v.checkUnique(text, ""); err != nil {
		return "", err
	}
	if v != nil && len(v.Topics) >= MaxTopics {
		return "", fmt.Errorf("the list is full: %d topics at most; merge or remove some first", MaxTopics)
	}
	n := 0
	for _, t := range v.TopicList() {
		if slices.Contains(t.Authors, person) {
			n++
		}
	}
	if n >= MaxTopicsPerPerson {
		return "", fmt.Errorf("you have suggested %d topics, the most one person can", MaxTopicsPerPerson)
	}
	return text, nil
}

// CheckEdit cleans text and checks that topic id may be changed to it.
func (v *Vote) CheckEdit(id, text string) (string, error) {
	if ph := v.CurrentPhase(); ph != PhaseSuggesting {
		return "", phaseError(PhaseSuggesting, ph)
	}
	if _, ok := v.Topic(id); !ok {
		return "", errNoTopic
	}
	text, err := cleanField("topic", text, MaxTopicLen)
	if err != nil {
		return "", err
	}
	if err := v.checkUnique(text, id); err != nil {
		return "", err
	}
	return text, nil
}

// checkUnique refuses text that is already a topic (ignoring case), other
// than the topic except.
func (v *Vote) checkUnique(text, except string) error {
	for _, t := range v.TopicList() {
		if t.ID != except && strings.EqualFold(t.Text, text) {
			return fmt.Errorf("%q is already on the list", t.Text)
		}
	}
	return nil
}

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

// phaseError says why something cannot happen in phase have.
func phaseError(want, have VotePhase) error {
	switch want {
	case PhaseSuggesting:
		if have == PhaseVoting {
			return errors.New("voting has started, so the topics can no longer change")
		}
		return errors.New("voting is over, so the topics can no longer change")
	case PhaseVoting:
		if have == PhaseSuggesting {
			return errors.New("voting has not started yet")
		}
		return errors.New("voting has closed")
	default:
		if have == PhaseVoting {
			return errors.New("voting is still open: close it first")
		}
		return errors.New("voting has not started yet")
	}
}

// ChosenTopic returns the topic the latest closed vote of the agenda chose,
// and the person offered as problem sharer (its first author), for the
// solution circle. ok is false when no vote has chosen a topic.
func (m *Meetup) ChosenTopic() (text string, sharer PersonID, ok bool) {
	for i := len(m.Agenda) - 1; i >= 0; i-- {
		v := m.Agenda[i].Vote
		if m.Agenda[i].Kind != KindTopics || v == nil || v.Chosen == "" {
			continue
		}
		if t, found := v.Topic(v.Chosen); found {
			return t.Text, v.Sharer, true
		}
	}
	return "", "", false
}

// topics returns the current activity and its vote state, which is the
// activity's own (to change only after every check) or, when nothing has
// happened yet, a new one that keep attaches.
func (c *change) topics() (*Activity, *Vote, error) {
	if c.m.Current < 0 || c.m.Current >= len(c.m.Agenda) || c.m.Agenda[c.m.Current].Kind != KindTopics {
		return nil, nil, ErrNoVote
	}
	a := &c.m.Agenda[c.m.Current]
	return a, a.Vote.orDefault(), nil
}

// keep attaches v to the activity and marks the change durable.
func (c *change) keep(a *Activity, v *Vote) {
	a.Vote = v
	c.durable = true
}

// inPhase checks the phase of v.
func inPhase(v *Vote, want VotePhase) error {
	if have := v.CurrentPhase(); have != want {
		return phaseError(want, have)
	}
	return nil
}

// facilitatingTopics is the common start of the facilitators' commands.
func (c *change) facilitatingTopics(want VotePhase) (*Activity, *Vote, error) {
	if err := c.facilitating(); err != nil {
		return nil, nil, err
	}
	a, v, err := c.topics()
	if err != nil {
		return nil, nil, err
	}
	if want != "" {
		if err := inPhase(v, want); err != nil {
			return nil, nil, err
		}
	}
	return a, v, nil
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
	a, v, err := c.topics()
	if err != nil {
		return err
	}
	text, err := v.CheckSuggestion(c.actor, s.Text)
	if err != nil {
		return err
	}
	v.NextID++
	v.Topics = append(v.Topics, Topic{ID: fmt.Sprintf("t%d", v.NextID), Text: text, Authors: []PersonID{c.actor}})
	c.keep(a, v)
	return nil
}

// EditTopic changes a topic's text (facilitators, while suggesting).
type EditTopic struct {
	Topic string `json:"topic"`
	Text  string `json:"text"`
}

func (EditTopic) Kind() string { return "topic-edit" }

func (e EditTopic) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseSuggesting)
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
	c.keep(a, v)
	return nil
}

var errNoTopic = errors.New("that topic is no longer on the list")

// MergeTopics merges topic From into topic Into: From goes, and its
// authors become authors of Into (facilitators, while suggesting, since
// duplicates are merged before the vote, not after).
type MergeTopics struct {
	From string `json:"from"`
	Into string `json:"into"`
}

func (MergeTopics) Kind() string { return "topic-merge" }

func (mg MergeTopics) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseSuggesting)
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
	c.keep(a, v)
	return nil
}

// RemoveTopic takes a topic off the list (facilitators, while suggesting).
type RemoveTopic struct {
	Topic string `json:"topic"`
}

func (RemoveTopic) Kind() string { return "topic-remove" }

func (r RemoveTopic) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseSuggesting)
	if err != nil {
		return err
	}
	i := v.topicIndex(r.Topic)
	if i < 0 {
		return errNoTopic
	}
	v.Topics = slices.Delete(v.Topics, i, i+1)
	c.keep(a, v)
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
	a, v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	if v.CurrentPhase() == PhaseVoting {
		return errors.New("voting is open: the rules can change once it is closed")
	}
	if !s.Method.Valid() {
		return fmt.Errorf("unknown voting method %q: choose dots, single or ranked", s.Method)
	}
	if s.Dots < 1 || s.Dots > MaxDots {
		return fmt.Errorf("dots per person must be between 1 and %d", MaxDots)
	}
	if s.MaxPerTopic < 1 || s.MaxPerTopic > s.Dots {
		return fmt.Errorf("the most dots on one topic must be between 1 and %d (the dots per person)", s.Dots)
	}
	if v.Method == s.Method && v.Dots == s.Dots && v.MaxPerTopic == s.MaxPerTopic {
		return nil
	}
	v.Method, v.Dots, v.MaxPerTopic = s.Method, s.Dots, s.MaxPerTopic
	c.keep(a, v)
	return nil
}

// ShowLiveResults shows (or hides) the running totals while voting.
type ShowLiveResults struct {
	Show bool `json:"show"`
}

func (ShowLiveResults) Kind() string { return "vote-live-results" }

func (s ShowLiveResults) apply(c *change) error {
	a, v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	if v.LiveResults == s.Show {
		return nil
	}
	v.LiveResults = s.Show
	c.keep(a, v)
	return nil
}

// ShowAuthors shows (or hides) to everyone who suggested each topic.
type ShowAuthors struct {
	Show bool `json:"show"`
}

func (ShowAuthors) Kind() string { return "topic-authors" }

func (s ShowAuthors) apply(c *change) error {
	a, v, err := c.facilitatingTopics("")
	if err != nil {
		return err
	}
	if v.ShowAuthors == s.Show {
		return nil
	}
	v.ShowAuthors = s.Show
	c.keep(a, v)
	return nil
}

// StartVoting closes suggestions and opens the vote on every topic.
type StartVoting struct{}

func (StartVoting) Kind() string { return "vote-start" }

func (StartVoting) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseSuggesting)
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
	v.Polls = append(v.Polls, v.newPoll(ids))
	v.Phase = PhaseVoting
	v.Chosen, v.Picked, v.Sharer = "", false, ""
	c.keep(a, v)
	return nil
}

func (v *Vote) newPoll(ids []string) Poll {
	r := v.Rules()
	v.Opened++
	return Poll{N: v.Opened, Topics: ids, Method: r.Method, Dots: r.Dots, MaxPerTopic: r.MaxPerTopic, Ballots: map[PersonID]vote.Ballot{}}
}

// StopVoting cancels the open poll and discards its ballots: the first
// vote goes back to suggestions (to merge a duplicate spotted late), a
// runoff back to the tie it was to settle.
type StopVoting struct{}

func (StopVoting) Kind() string { return "vote-stop" }

func (StopVoting) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseVoting)
	if err != nil {
		return err
	}
	v.Polls = v.Polls[:len(v.Polls)-1]
	if len(v.Polls) == 0 {
		v.Phase = PhaseSuggesting
	} else {
		v.Phase = PhaseClosed
	}
	c.keep(a, v)
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
	a, v, err := c.topics()
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
	c.keep(a, v)
	return nil
}

// CloseVoting closes the open poll and counts it. A winner becomes the
// chosen topic; a tie (or a vote without votes) waits for the facilitator
// to pick a topic or run a runoff.
type CloseVoting struct{}

func (CloseVoting) Kind() string { return "vote-close" }

func (CloseVoting) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseVoting)
	if err != nil {
		return err
	}
	p := &v.Polls[len(v.Polls)-1]
	res := p.Count()
	p.Result = &res
	v.Phase = PhaseClosed
	v.choose(res.Winner, false)
	c.keep(a, v)
	return nil
}

// choose makes id the chosen topic, offering its first author as sharer.
func (v *Vote) choose(id string, picked bool) {
	v.Chosen, v.Picked, v.Sharer = id, picked && id != "", ""
	if t, ok := v.Topic(id); ok && len(t.Authors) > 0 {
		v.Sharer = t.Authors[0]
	}
}

// ReopenVoting reopens the latest poll with its ballots, for when voting
// was closed too soon.
type ReopenVoting struct{}

func (ReopenVoting) Kind() string { return "vote-reopen" }

func (ReopenVoting) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseClosed)
	if err != nil {
		return err
	}
	v.Polls[len(v.Polls)-1].Result = nil
	v.Phase = PhaseVoting
	v.choose("", false)
	c.keep(a, v)
	return nil
}

// Runoff opens a new poll between the topics tied in the latest one, with
// the current rules.
type Runoff struct{}

func (Runoff) Kind() string { return "vote-runoff" }

func (Runoff) apply(c *change) error {
	a, v, err := c.facilitatingTopics(PhaseClosed)
	if err != nil {
		return err
	}
	p, _ := v.Poll()
	if p.Result == nil || len(p.Result.Tie) < 2 {
		return errors.New("a runoff settles a tie, and this vote is not tied")
	}
	v.Polls = append(v.Polls, v.newPoll(slices.Clone(p.Result.Tie)))
	v.Phase = PhaseVoting
	v.choose("", false)
	c.keep(a, v)
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
	a, v, err := c.facilitatingTopics(PhaseClosed)
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
	v.choose(pk.Topic, true)
	c.keep(a, v)
	return nil
}
