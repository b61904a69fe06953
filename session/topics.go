package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/convene/convene/session/vote"
)

// The topics activity: everyone suggests topics, duplicates are merged,
// then everyone votes and one topic is chosen for the solution circle.
// This file holds its state and hooks; polls and results are in poll.go,
// ballot editing in ballot.go, the commands in topics_cmds.go.

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
	// merging duplicates merges their authors. Only people who may see
	// authors find them here (see Vote.ShowAuthors).
	Authors []PersonID `json:"authors"`
}

// Vote is the state of a topics activity: its settings, the suggestions,
// every poll and the topic chosen.
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
	// RunoffSet is true when a facilitator set the rules after the latest
	// poll closed: a runoff then uses them rather than its default.
	RunoffSet bool `json:"runoff_set,omitempty"`
	// Chosen is the topic carried into the solution circle: the winner of
	// the latest poll, or the facilitator's pick after a tie.
	Chosen string `json:"chosen,omitempty"`
	// Picked is true when the facilitator chose it.
	Picked bool `json:"picked,omitempty"`
}

func init() {
	register(KindInfo{Kind: KindTopics, order: 40, Name: "Topics and voting",
		About: "Everyone suggests topics, then votes for the one to work on.",
		Title: "Topics and voting", Duration: 10 * time.Minute,
		Note: "Suggest topics the group could work on, then vote for the one to take into the solution circle.",
		New:  func() State { return NewVote() }})
}

// NewVote returns a topics activity's state with the default settings:
// suggestions open, dot voting with 3 dots each and at most 2 on a topic,
// results and authors hidden.
func NewVote() *Vote {
	r := vote.DefaultRules(vote.Dots)
	return &Vote{Phase: PhaseSuggesting, Method: r.Method, Dots: r.Dots, MaxPerTopic: r.MaxPerTopic}
}

func (v *Vote) clone() State {
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

func (v *Vote) template() State {
	return &Vote{Phase: PhaseSuggesting, Method: v.Method, Dots: v.Dots, MaxPerTopic: v.MaxPerTopic,
		LiveResults: v.LiveResults, ShowAuthors: v.ShowAuthors}
}

func (v *Vote) keeps() string {
	switch n := len(v.Topics); {
	case len(v.Polls) > 0:
		return "people have voted in it"
	case n == 1:
		return "a topic has been suggested in it"
	case n > 1:
		return fmt.Sprintf("%d topics have been suggested in it", n)
	}
	return ""
}

func (v *Vote) stage() string {
	p, _ := v.Poll()
	return fmt.Sprintf("%s/%d", v.CurrentPhase(), p.N)
}

func (v *Vote) outcomes(m *Meetup, _ *Activity, o *Outcomes) {
	o.Topics += len(v.Topics)
	if t, ok := v.Topic(v.Chosen); ok {
		// A later vote's choice replaces an earlier one's.
		o.Chosen, o.Sharers, o.SharersPublic = t.Text, slices.Clone(t.Authors), v.ShowAuthors
	}
}

// redact keeps other people's ballots out of what people in role r see:
// facilitators see who has voted, everyone sees how many; tallies appear
// while voting only when live results are on; authors are shown to
// facilitators, and to everyone only when ShowAuthors is on.
func (v *Vote) redact(m *Meetup, r Role) State {
	c := *v
	c.Polls = slices.Clone(v.Polls)
	for i := range c.Polls {
		p := &c.Polls[i]
		p.cast = len(p.Ballots)
		if r.Facilitates() {
			for _, mem := range m.Members {
				if _, ok := p.Ballots[mem.ID]; ok {
					p.voted = append(p.voted, mem.ID)
				}
			}
		}
		if p.Result == nil && v.LiveResults {
			live := p.Count()
			p.live = &live
		}
		p.Ballots = nil
	}
	if !r.Facilitates() && !v.ShowAuthors {
		c.Topics = slices.Clone(v.Topics)
		for i := range c.Topics {
			c.Topics[i].Authors = nil
		}
	}
	return &c
}

// VoteOwn is what only one person may see of a topics activity.
type VoteOwn struct {
	// Ballot is the person's ballot in the latest poll (nil if none).
	Ballot vote.Ballot
	// Authored are the topics the person suggested (or co-suggested).
	Authored []string
	// Invited is true when the person is offered as problem sharer.
	Invited bool
}

// Mine reports whether the person suggested topic id.
func (o *VoteOwn) Mine(id string) bool { return o != nil && slices.Contains(o.Authored, id) }

// CastBallot returns the person's ballot, or nil.
func (o *VoteOwn) CastBallot() vote.Ballot {
	if o == nil {
		return nil
	}
	return o.Ballot
}

func (v *Vote) own(m *Meetup, id PersonID) any {
	o := &VoteOwn{}
	if p, ok := v.Poll(); ok {
		o.Ballot = p.Ballot(id)
	}
	for _, t := range v.Topics {
		if slices.Contains(t.Authors, id) {
			o.Authored = append(o.Authored, t.ID)
		}
	}
	o.Invited = slices.Contains(v.Sharers(), id)
	return o
}

// CurrentPhase returns the phase; a new Vote is suggesting.
func (v *Vote) CurrentPhase() VotePhase {
	if v == nil || v.Phase == "" {
		return PhaseSuggesting
	}
	return v.Phase
}

// Rules are the voting rules the next poll will use.
func (v *Vote) Rules() vote.Rules { return normRules(v.Method, v.Dots, v.MaxPerTopic) }

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

// RunoffRules are the rules a runoff between the tied topics would use:
// one choice each between two topics, unless the facilitator set rules
// after the vote closed; the current rules otherwise.
func (v *Vote) RunoffRules() vote.Rules {
	r := v.Rules()
	if p, ok := v.Poll(); !v.RunoffSet && ok && p.Result != nil && len(p.Result.Tie) == 2 {
		r.Method = vote.Single // the dot settings stay, for a step back to dots
	}
	return r
}

// TopicList returns the topics in the order they were suggested.
func (v *Vote) TopicList() []Topic { return v.Topics }

// Topic returns the topic with the given id.
func (v *Vote) Topic(id string) (Topic, bool) {
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

// Sharers are the people offered as problem sharer of the solution
// circle: every author of the chosen topic, first suggester first. Only
// people who may see authors find them here.
func (v *Vote) Sharers() []PersonID {
	t, ok := v.Topic(v.Chosen)
	if !ok {
		return nil
	}
	return t.Authors
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
	text, err := cleanField("the topic", text, MaxTopicLen)
	if err != nil {
		return "", err
	}
	if err := v.checkUnique(text, ""); err != nil {
		return "", err
	}
	if len(v.Topics) >= MaxTopics {
		return "", fmt.Errorf("the list is full: %d topics at most; merge or remove some first", MaxTopics)
	}
	n := 0
	for _, t := range v.Topics {
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
	text, err := cleanField("the topic", text, MaxTopicLen)
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
	for _, t := range v.Topics {
		if t.ID != except && strings.EqualFold(t.Text, text) {
			return fmt.Errorf("%q is already on the list", t.Text)
		}
	}
	return nil
}

var errNoTopic = errors.New("that topic is no longer on the list")

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

// ChosenTopic returns the topic the latest closed vote of the agenda chose
// and the people offered as problem sharer (its authors, where the viewer
// may see them), for the solution circle. ok is false when no vote has
// chosen a topic.
//
// It reads only the votes (the last one that chose wins, as in Outcomes):
// the circle asks it for every viewer while it is set up.
func (m *Meetup) ChosenTopic() (text string, sharers []PersonID, ok bool) {
	for i := len(m.Agenda) - 1; i >= 0; i-- {
		if v, isVote := m.Agenda[i].State.(*Vote); isVote {
			if t, found := v.Topic(v.Chosen); found {
				return t.Text, slices.Clone(t.Authors), true
			}
		}
	}
	return "", nil, false
}
