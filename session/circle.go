package session

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// The solution circle: one person (the problem sharer) presents a
// challenge, answers clarifying questions, then listens while the others
// offer ideas in turn and in open discussion, and at the end says which
// ideas were useful and the first step they will take.
//
// A large group runs several circles at once, each with its own sharer,
// members, turn order, hands and ideas. The phases move for every circle
// together, on a facilitator's key, so that one clock (the meetup's
// countdown) times them all; the turns inside the ideas phase move in each
// circle on its own. This file holds the state and its hooks; the commands
// are in circle_cmds.go.

// CirclePhase is where a solution circle stands.
type CirclePhase string

// The phases of a solution circle, in order. Set-up comes first (the
// facilitators choose the sharer, the challenge and the times); the
// questions phase is left out when the facilitators turned it off.
const (
	CircleSetup      CirclePhase = "setup"
	CircleChallenge  CirclePhase = "challenge"
	CircleQuestions  CirclePhase = "questions"
	CircleIdeas      CirclePhase = "ideas"
	CircleDiscussion CirclePhase = "discussion"
	CircleFeedback   CirclePhase = "feedback"
)

// CirclePhases lists the phases after set-up, in order.
var CirclePhases = []CirclePhase{CircleChallenge, CircleQuestions, CircleIdeas, CircleDiscussion, CircleFeedback}

// Limits of the solution circle.
const (
	MaxIdeaLen      = 200
	MaxSummaryLen   = 300
	MaxQuestionLen  = 200
	MaxAnswerLen    = 300
	MaxHeardLen     = 300
	MaxStepLen      = 200
	MaxIdeas        = 200 // in one circle
	MaxQuestions    = 60  // in one circle
	MaxCircles      = 8
	MaxPhaseMinutes = 60
	// ManyPeople is the number of people above which several circles at
	// once are offered.
	ManyPeople = 9
	minTurn    = time.Minute
)

// Errors of the solution circle.
var (
	ErrNoCircle = errors.New("there is no solution circle now")
	// ErrListening refuses ideas from the problem sharer while the others
	// offer them.
	ErrListening   = errors.New("you are the problem sharer: listen while the others offer ideas; you will say what was useful in the feedback")
	errNotInCircle = errors.New("you are not in a circle: a facilitator can bring you in")
	errNoIdea      = errors.New("that idea is no longer there")
)

// PhaseTimes are the planned times of the phases.
type PhaseTimes struct {
	Challenge  time.Duration `json:"challenge"`
	Questions  time.Duration `json:"questions"`
	Ideas      time.Duration `json:"ideas"`
	Discussion time.Duration `json:"discussion"`
	Feedback   time.Duration `json:"feedback"`
}

// DefaultPhaseTimes follow the method: challenge 5 minutes, clarifying
// questions 3, ideas in turn 10, open discussion 7, feedback 5.
var DefaultPhaseTimes = PhaseTimes{Challenge: 5 * time.Minute, Questions: 3 * time.Minute,
	Ideas: 10 * time.Minute, Discussion: 7 * time.Minute, Feedback: 5 * time.Minute}

// Of is the time of phase p.
func (t PhaseTimes) Of(p CirclePhase) time.Duration {
	switch p {
	case CircleChallenge:
		return t.Challenge
	case CircleQuestions:
		return t.Questions
	case CircleIdeas:
		return t.Ideas
	case CircleDiscussion:
		return t.Discussion
	case CircleFeedback:
		return t.Feedback
	}
	return 0
}

// Circle is the state of a solution circle activity: its settings and
// every circle held in it.
type Circle struct {
	Phase CirclePhase `json:"phase"`
	Times PhaseTimes  `json:"times"`
	// Questions is true when the clarifying questions phase is held.
	Questions bool `json:"questions"`
	// Turn is the time of one turn in the ideas phase; 0 shares the
	// phase's time out between the people in the order (at least a
	// minute each).
	Turn time.Duration `json:"turn,omitempty"`
	// Groups are the circles: one, or several at once in a large group.
	// Before the start they hold only the sharer and title chosen.
	Groups []CircleGroup `json:"groups"`
}

// CircleGroup is one circle: its sharer and challenge, its people and
// turn order, and everything said in it.
type CircleGroup struct {
	// Ref names the circle across the meetup (for actions), once started.
	Ref    string   `json:"ref,omitempty"`
	Sharer PersonID `json:"sharer,omitempty"`
	Title  string   `json:"title,omitempty"`
	// Summary is the challenge as the sharer typed it for all to see.
	Summary string `json:"summary,omitempty"`
	// Members are the people in the circle, the sharer included.
	Members []PersonID `json:"members,omitempty"`
	// Order is the turn order of the ideas phase: every member but the
	// sharer. Turn is the place of the current speaker in it (len(Order)
	// once everyone has had a turn); Started marks the first turn.
	Order   []PersonID `json:"order,omitempty"`
	Turn    int        `json:"turn"`
	Started bool       `json:"started,omitempty"`
	// TurnStart and TurnLen time the current turn.
	TurnStart time.Time     `json:"turn_start,omitzero"`
	TurnLen   time.Duration `json:"turn_len,omitempty"`
	// Skipped are the people whose turn went by while they were away;
	// a facilitator can bring them back. Passed are those who passed.
	Skipped []PersonID `json:"skipped,omitempty"`
	Passed  []PersonID `json:"passed,omitempty"`
	// Questions are the clarifying questions and the sharer's answers.
	Questions []CircleQuestion `json:"questions,omitempty"`
	// Ideas are every idea offered, in the order they came.
	Ideas []Idea `json:"ideas,omitempty"`
	// Hands is the speaking queue of the open discussion; Floor is who
	// was last given it.
	Hands []PersonID `json:"hands,omitempty"`
	Floor PersonID   `json:"floor,omitempty"`
	// Heard, FirstStep and Due are the sharer's feedback.
	Heard     string    `json:"heard,omitempty"`
	FirstStep string    `json:"first_step,omitempty"`
	Due       time.Time `json:"due,omitzero"`
}

// CircleQuestion is one clarifying question and its answer.
type CircleQuestion struct {
	ID     string    `json:"id"`
	By     PersonID  `json:"by"`
	Text   string    `json:"text"`
	Answer string    `json:"answer,omitempty"`
	At     time.Time `json:"at"`
}

// Idea is one idea offered to the sharer.
type Idea struct {
	ID string `json:"id"`
	// By is whose idea it is; TypedBy who typed it, when someone else
	// (the note-taker, a facilitator) did.
	By      PersonID    `json:"by"`
	TypedBy PersonID    `json:"typed_by,omitempty"`
	Text    string      `json:"text"`
	Phase   CirclePhase `json:"phase"`
	At      time.Time   `json:"at"`
	// Useful is the sharer's mark in the feedback.
	Useful bool `json:"useful,omitempty"`
}

func init() {
	register(KindInfo{Kind: KindCircle, order: 50, Name: "Solution circle",
		About: "One person shares a challenge and listens while the others offer ideas.",
		Title: "Solution circle", Duration: 30 * time.Minute,
		Note: "The problem sharer presents their challenge and answers questions, then listens while everyone offers ideas in turn, then in open discussion. At the end they say what was useful and their first step.",
		New:  func() State { return NewCircle() }})
}

// NewCircle returns a solution circle with the method's default times,
// clarifying questions on, and one circle.
func NewCircle() *Circle {
	return &Circle{Phase: CircleSetup, Times: DefaultPhaseTimes, Questions: true, Groups: []CircleGroup{{}}}
}

func (cs *Circle) clone() State {
	c := *cs
	c.Groups = slices.Clone(cs.Groups)
	for i := range c.Groups {
		g := &c.Groups[i]
		g.Members = slices.Clone(g.Members)
		g.Order = slices.Clone(g.Order)
		g.Skipped = slices.Clone(g.Skipped)
		g.Passed = slices.Clone(g.Passed)
		g.Questions = slices.Clone(g.Questions)
		g.Ideas = slices.Clone(g.Ideas)
		g.Hands = slices.Clone(g.Hands)
	}
	return &c
}

// template keeps the settings: the times, questions on or off, and how
// many circles; not who shared what.
func (cs *Circle) template() State {
	return &Circle{Phase: CircleSetup, Times: cs.Times, Questions: cs.Questions, Turn: cs.Turn,
		Groups: make([]CircleGroup, max(len(cs.Groups), 1))}
}

func (cs *Circle) keeps() string {
	if cs.CurrentPhase() != CircleSetup {
		return "the solution circle has started"
	}
	return ""
}

func (cs *Circle) stage() string { return string(cs.CurrentPhase()) }

// CircleOwn is what only one person may see of a circle being set up:
// whether they are invited to share its challenge (they suggested the
// chosen topic, whose authors others may not see).
type CircleOwn struct {
	Invited bool
}

// own tells a person, while the circle is set up, that they are invited
// to share; nil otherwise (nothing else in a circle is private).
func (cs *Circle) own(m *Meetup, id PersonID) any {
	if cs.CurrentPhase() != CircleSetup {
		return nil
	}
	_, sharers, ok := m.ChosenTopic()
	if !ok || !slices.Contains(sharers, id) {
		return nil
	}
	return &CircleOwn{Invited: true}
}

// CurrentPhase returns the phase; a state without one is in set-up.
func (cs *Circle) CurrentPhase() CirclePhase {
	if cs == nil || cs.Phase == "" {
		return CircleSetup
	}
	return cs.Phase
}

// Started reports whether the circle has begun (set-up is over).
func (cs *Circle) Started() bool { return cs.CurrentPhase() != CircleSetup }

// Listening reports whether the sharer is listening now: ideas in turn
// and open discussion.
func (cs *Circle) Listening() bool {
	p := cs.CurrentPhase()
	return p == CircleIdeas || p == CircleDiscussion
}

// Phases are the phases this circle holds, in order (without set-up).
func (cs *Circle) Phases() []CirclePhase {
	var out []CirclePhase
	for _, p := range CirclePhases {
		if p != CircleQuestions || cs.Questions {
			out = append(out, p)
		}
	}
	return out
}

// PhaseNumber is the place of the current phase among Phases, from 1 (0
// in set-up).
func (cs *Circle) PhaseNumber() int { return slices.Index(cs.Phases(), cs.CurrentPhase()) + 1 }

// NextPhase is the phase after the current one, if any.
func (cs *Circle) NextPhase() (CirclePhase, bool) {
	ps := cs.Phases()
	i := slices.Index(ps, cs.CurrentPhase())
	if i+1 >= len(ps) {
		return "", false
	}
	return ps[i+1], true
}

// Group returns circle i (from 0).
func (cs *Circle) Group(i int) (CircleGroup, bool) {
	if cs == nil || i < 0 || i >= len(cs.Groups) {
		return CircleGroup{}, false
	}
	return cs.Groups[i], true
}

// GroupOf returns the circle person is in, once circles are drawn.
func (cs *Circle) GroupOf(id PersonID) (int, bool) {
	if cs == nil {
		return -1, false
	}
	for i, g := range cs.Groups {
		if slices.Contains(g.Members, id) {
			return i, true
		}
	}
	return -1, false
}

// Speaker returns the current speaker of the ideas in turn, if any.
func (g CircleGroup) Speaker() (PersonID, bool) {
	if !g.Started || g.Turn < 0 || g.Turn >= len(g.Order) {
		return "", false
	}
	return g.Order[g.Turn], true
}

// RoundDone reports whether everyone in the order has had their turn.
func (g CircleGroup) RoundDone() bool { return g.Started && g.Turn >= len(g.Order) }

// TurnLeft is the time left in the current turn at now.
func (g CircleGroup) TurnLeft(now time.Time) time.Duration {
	if _, ok := g.Speaker(); !ok {
		return 0
	}
	return max(g.TurnStart.Add(g.TurnLen).Sub(now), 0)
}

// HandPlace is person's place in the speaking queue (from 1), 0 when
// their hand is down.
func (g CircleGroup) HandPlace(id PersonID) int { return slices.Index(g.Hands, id) + 1 }

// Useful lists the ideas the sharer marked useful.
func (g CircleGroup) Useful() []Idea {
	var out []Idea
	for _, x := range g.Ideas {
		if x.Useful {
			out = append(out, x)
		}
	}
	return out
}

// DueText is the first step's date as people read it, "" when none.
func (g CircleGroup) DueText() string { return Action{Due: g.Due}.DueText() }

// SharerChoices are the people a facilitator may choose as a sharer:
// the members present, the chosen topic's authors first.
func (cs *Circle) SharerChoices(m *Meetup) []PersonID {
	_, offered, _ := m.ChosenTopic()
	var out []PersonID
	for _, id := range offered {
		if mem, ok := m.Member(id); ok && mem.Present {
			out = append(out, id)
		}
	}
	for _, mem := range m.Members {
		if mem.Present && !slices.Contains(out, mem.ID) {
			out = append(out, mem.ID)
		}
	}
	return out
}

// CanOffer says why person may not offer an idea for someone in circle gi
// now (nil when they may). for is whose idea it is ("" for the person's
// own, or the current speaker's in turn).
func (cs *Circle) CanOffer(m *Meetup, person PersonID, gi int, typedFor PersonID) error {
	g, ok := cs.Group(gi)
	if !ok {
		return errNotInCircle
	}
	if person == g.Sharer {
		return ErrListening
	}
	noting := m.RoleOf(person).TakesNotes()
	switch cs.CurrentPhase() {
	case CircleIdeas:
		sp, ok := g.Speaker()
		if !ok {
			if g.RoundDone() {
				return errors.New("everyone has had their turn: ideas come again in the open discussion")
			}
			return errors.New("there is no speaker now")
		}
		if typedFor != "" && typedFor != sp {
			return fmt.Errorf("it is %s's turn: ideas in turn are theirs", m.NameOf(sp))
		}
		if person != sp && !noting {
			return fmt.Errorf("it is %s's turn: wait for yours, or tell the note-taker", m.NameOf(sp))
		}
	case CircleDiscussion:
		if typedFor != "" && typedFor != person {
			if !noting {
				return ErrNotNoteTaker
			}
			if typedFor == g.Sharer {
				return errors.New("the problem sharer listens: ideas come from the others")
			}
			if !slices.Contains(g.Members, typedFor) {
				return fmt.Errorf("%s is not in this circle", m.NameOf(typedFor))
			}
		}
		if !slices.Contains(g.Members, person) && !noting {
			return errNotInCircle
		}
	default:
		return errors.New("ideas are offered in turn and in the open discussion, not now")
	}
	if len(g.Ideas) >= MaxIdeas {
		return fmt.Errorf("this circle has %d ideas, the most it can keep", MaxIdeas)
	}
	return nil
}

// CheckIdea cleans an idea's text and checks that person may offer it
// in circle gi now: screens call it before sending.
func (cs *Circle) CheckIdea(m *Meetup, person PersonID, gi int, typedFor PersonID, text string) (string, error) {
	if err := cs.CanOffer(m, person, gi, typedFor); err != nil {
		return "", err
	}
	return cleanField("the idea", text, MaxIdeaLen)
}

// turnLen is the time of one turn with n people in the order.
func (cs *Circle) turnLen(n int) time.Duration {
	if cs.Turn > 0 {
		return cs.Turn
	}
	if n <= 0 {
		return max(cs.Times.Ideas, minTurn)
	}
	return max((cs.Times.Ideas / time.Duration(n)).Truncate(time.Second), minTurn)
}

// Hooks of the solution circle.

// outcomes adds each circle held.
func (cs *Circle) outcomes(m *Meetup, _ *Activity, o *Outcomes) {
	if !cs.Started() {
		return
	}
	for _, g := range cs.Groups {
		co := CircleOutcome{Title: g.Title, Sharer: g.Sharer, SharerName: m.NameOf(g.Sharer), Members: len(g.Members),
			Ideas: len(g.Ideas), Heard: g.Heard, FirstStep: g.FirstStep, FirstStepDue: g.Due}
		for _, x := range g.Useful() {
			co.Useful = append(co.Useful, IdeaOutcome{Text: x.Text, By: m.NameOf(x.By)})
		}
		o.Circles = append(o.Circles, co)
	}
}

// actionSources offers the useful ideas and each sharer's first step.
func (cs *Circle) actionSources(m *Meetup, _ *Activity) []ActionSource {
	var out []ActionSource
	for _, g := range cs.Groups {
		for _, x := range g.Useful() {
			out = append(out, ActionSource{Ref: x.ID, Text: x.Text,
				From: fmt.Sprintf("idea by %s in the solution circle", m.NameOf(x.By))})
		}
		if g.FirstStep != "" && g.Ref != "" {
			out = append(out, ActionSource{Ref: g.Ref + "/first-step", Text: g.FirstStep, Owner: g.Sharer, Due: g.Due,
				From: fmt.Sprintf("%s's first step in the solution circle", m.NameOf(g.Sharer))})
		}
	}
	return out
}

// onStart starts the circle when the facilitator starts the clock in
// set-up: the first phase begins.
func (cs *Circle) onStart(c *change, _ *Activity, _ any) error {
	if cs.Started() {
		return nil
	}
	return c.startCircle(cs)
}

// onJoin puts a late joiner in a circle (the smallest, in several), at
// the end of its turn order.
func (cs *Circle) onJoin(c *change, _ *Activity, id PersonID) {
	if !cs.Started() {
		return
	}
	if _, in := cs.GroupOf(id); in {
		return
	}
	if len(cs.Groups) > 1 && c.m.RoleOf(id).Facilitates() {
		return // facilitators run several circles from outside
	}
	gi := 0
	for i, g := range cs.Groups {
		if len(g.Members) < len(cs.Groups[gi].Members) {
			gi = i
		}
	}
	g := &cs.Groups[gi]
	g.Members = append(g.Members, id)
	wasDone := g.RoundDone()
	g.Order = append(g.Order, id)
	if wasDone && cs.CurrentPhase() == CircleIdeas {
		g.TurnStart = c.now // the late joiner's turn begins now
	}
	c.keep()
}
