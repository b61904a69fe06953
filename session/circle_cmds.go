package session

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// The commands of the solution circle (its state is in circle.go).
//
// Who may do what: facilitators set the circle up, move the phases (for
// every circle at once), reorder the turns, bring back someone who was
// skipped and give the floor. The current speaker, the note-taker and
// facilitators type an idea in turn; in the open discussion anyone but the
// sharer adds ideas. The speaker may say they are done; a facilitator moves
// the turn on. The sharer types the challenge's summary, answers the
// questions and gives the feedback; the note-taker and facilitators may
// type those for them. Commands name a circle by number (from 1); 0 is the
// actor's own.

// circleState returns the current activity's circle state, to change only
// after every check. Every circle has one: a new agenda item, a template
// and a meetup read back (an old one stored without it too) get NewCircle.
func (c *change) circleState() (*Circle, error) {
	a := c.current()
	cs, ok := a.State.(*Circle)
	if a.Kind != KindCircle || !ok || cs == nil {
		return nil, ErrNoCircle
	}
	return cs, nil
}

// facilitatingCircle is the start of the facilitators' commands.
func (c *change) facilitatingCircle() (*Circle, error) {
	if err := c.facilitating(); err != nil {
		return nil, err
	}
	return c.circleState()
}

var errNotStarted = errors.New("the solution circle has not started yet")

// inCircle resolves the circle a command is for: number n (from 1), or the
// actor's own with 0. Only facilitators and the note-taker act in a circle
// that is not theirs.
func (c *change) inCircle(n int) (*Circle, *CircleGroup, error) {
	mem, err := c.running()
	if err != nil {
		return nil, nil, err
	}
	cs, err := c.circleState()
	if err != nil {
		return nil, nil, err
	}
	if !cs.Started() {
		return nil, nil, errNotStarted
	}
	noting := mem.Role.TakesNotes()
	gi, in := cs.GroupOf(c.actor)
	switch {
	case n > len(cs.Groups) || n < 0:
		return nil, nil, fmt.Errorf("there is no circle %d", n)
	case n > 0:
		if !noting && gi != n-1 {
			return nil, nil, errors.New("you can do that only in your own circle")
		}
		gi = n - 1
	case !in && noting && len(cs.Groups) == 1:
		gi = 0
	case !in:
		return nil, nil, errNotInCircle
	}
	return cs, &cs.Groups[gi], nil
}

// inPhase checks that the circle is in one of the phases.
func (cs *Circle) inPhase(what string, ps ...CirclePhase) error {
	if slices.Contains(ps, cs.CurrentPhase()) {
		return nil
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = PhaseName(p)
	}
	return fmt.Errorf("%s belongs to %s, and the circle is in %s", what, joinOr(names), PhaseName(cs.CurrentPhase()))
}

func joinOr(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " or " + s[len(s)-1]
}

// PhaseName is what people call a phase.
func PhaseName(p CirclePhase) string {
	switch p {
	case CircleSetup:
		return "set-up"
	case CircleChallenge:
		return "the challenge"
	case CircleQuestions:
		return "clarifying questions"
	case CircleIdeas:
		return "ideas in turn"
	case CircleDiscussion:
		return "open discussion"
	case CircleFeedback:
		return "feedback"
	}
	return string(p)
}

// forSharer checks that the actor may speak for the sharer of g: the
// sharer, the note-taker or a facilitator.
func (c *change) forSharer(g *CircleGroup) error {
	if c.actor == g.Sharer || c.m.RoleOf(c.actor).TakesNotes() {
		return nil
	}
	return fmt.Errorf("only %s (the problem sharer) or the note-taker can do that", c.m.NameOf(g.Sharer))
}

func (c *change) present(id PersonID) bool {
	mem, ok := c.m.Member(id)
	return ok && mem.Present
}

// CirclePlan is one circle's sharer and challenge, as set up.
type CirclePlan struct {
	Sharer PersonID `json:"sharer,omitempty"`
	Title  string   `json:"title,omitempty"`
}

// SetUpCircle sets the circle up (facilitators, before it starts): one
// entry in Circles per circle to hold at once, the time of each phase,
// whether clarifying questions are held, and the time of a turn (0: the
// ideas phase shared out). A sharer left empty is, for the first circle,
// the chosen topic's first author present; a title left empty is the
// chosen topic.
type SetUpCircle struct {
	Circles   []CirclePlan  `json:"circles"`
	Times     PhaseTimes    `json:"times"`
	Questions bool          `json:"questions"`
	Turn      time.Duration `json:"turn,omitempty"`
}

func (SetUpCircle) Kind() string { return "circle-setup" }

// Setup returns the circle's set-up, to edit.
func (cs *Circle) Setup() SetUpCircle {
	s := SetUpCircle{Times: cs.Times, Questions: cs.Questions, Turn: cs.Turn}
	for _, g := range cs.Groups {
		s.Circles = append(s.Circles, CirclePlan{Sharer: g.Sharer, Title: g.Title})
	}
	if len(s.Circles) == 0 {
		s.Circles = []CirclePlan{{}}
	}
	return s
}

// Check cleans the set-up and says what is wrong with it, in words for
// the facilitator; screens call it before sending.
func (s SetUpCircle) Check(m *Meetup) (SetUpCircle, error) {
	if len(s.Circles) < 1 || len(s.Circles) > MaxCircles {
		return s, fmt.Errorf("from 1 to %d circles can run at once", MaxCircles)
	}
	out := s
	out.Circles = make([]CirclePlan, len(s.Circles))
	for i, g := range s.Circles {
		what := "the challenge's title"
		if len(s.Circles) > 1 {
			what = fmt.Sprintf("circle %d's title", i+1)
		}
		title := CleanText(g.Title)
		if err := CheckLen(what, title, MaxTopicLen); err != nil {
			return s, err
		}
		if g.Sharer != "" {
			if _, ok := m.Member(g.Sharer); !ok {
				return s, fmt.Errorf("the sharer of circle %d is not in this meetup: %w", i+1, ErrNotMember)
			}
			for j := range i {
				if s.Circles[j].Sharer == g.Sharer {
					return s, fmt.Errorf("%s cannot share in two circles at once", m.NameOf(g.Sharer))
				}
			}
		}
		out.Circles[i] = CirclePlan{Sharer: g.Sharer, Title: title}
	}
	for _, p := range CirclePhases {
		d := s.Times.Of(p)
		if p == CircleQuestions && !s.Questions && d == 0 {
			continue
		}
		if d < time.Minute || d > MaxPhaseMinutes*time.Minute || d%time.Minute != 0 {
			return s, fmt.Errorf("%s lasts from 1 to %d whole minutes", PhaseName(p), MaxPhaseMinutes)
		}
	}
	if s.Turn != 0 && (s.Turn < minTurn || s.Turn > MaxPhaseMinutes*time.Minute || s.Turn%time.Minute != 0) {
		return s, errors.New("a turn lasts from 1 whole minute, or is the ideas phase shared out")
	}
	return out, nil
}

func (s SetUpCircle) apply(c *change) error {
	cs, err := c.facilitatingCircle()
	if err != nil {
		return err
	}
	if cs.Started() {
		return errors.New("the circle has started: its set-up can no longer change")
	}
	s, err = s.Check(c.m)
	if err != nil {
		return err
	}
	if slices.Equal(cs.Setup().Circles, s.Circles) && cs.Times == s.Times && cs.Questions == s.Questions && cs.Turn == s.Turn {
		return nil
	}
	cs.Groups = make([]CircleGroup, len(s.Circles))
	for i, g := range s.Circles {
		cs.Groups[i] = CircleGroup{Sharer: g.Sharer, Title: g.Title}
	}
	cs.Times, cs.Questions, cs.Turn = s.Times, s.Questions, s.Turn
	c.keep()
	return nil
}

// startCircle begins the circle: each circle's sharer and title are
// settled, the people present are put in circles, and the challenge
// begins.
func (c *change) startCircle(cs *Circle) error {
	chosen, offered, _ := c.m.ChosenTopic()
	n := max(len(cs.Groups), 1)
	groups := make([]CircleGroup, n)
	for i := range groups {
		var g CircleGroup
		if i < len(cs.Groups) {
			g = CircleGroup{Sharer: cs.Groups[i].Sharer, Title: cs.Groups[i].Title}
		}
		name := "the"
		if n > 1 {
			name = fmt.Sprintf("circle %d's", i+1)
		}
		if g.Sharer == "" && i == 0 {
			for _, id := range offered {
				if c.present(id) {
					g.Sharer = id
					break
				}
			}
		}
		if g.Sharer == "" {
			return fmt.Errorf("choose %s problem sharer in the set-up first", name)
		}
		if !c.present(g.Sharer) {
			return fmt.Errorf("%s, %s problem sharer, is not here: choose another in the set-up", c.m.NameOf(g.Sharer), name)
		}
		if g.Title == "" && i == 0 {
			g.Title = chosen
		}
		if g.Title == "" {
			return fmt.Errorf("give %s challenge a title in the set-up first", name)
		}
		g.Members = []PersonID{g.Sharer}
		groups[i] = g
	}
	seed := c.now.UnixNano()
	var people []PersonID
	for _, mem := range c.m.Members {
		if !mem.Present || slices.ContainsFunc(groups, func(g CircleGroup) bool { return g.Sharer == mem.ID }) {
			continue
		}
		if n > 1 && mem.Role.Facilitates() {
			continue // facilitators run several circles from outside
		}
		people = append(people, mem.ID)
	}
	if n > 1 {
		rng := rand.New(rand.NewPCG(uint64(seed), 0))
		rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	}
	for k, id := range people {
		g := &groups[k%n]
		g.Members = append(g.Members, id)
		g.Order = append(g.Order, id)
	}
	for i, g := range groups {
		if len(g.Order) == 0 {
			if n == 1 {
				return errors.New("nobody but the sharer is here to offer ideas")
			}
			return fmt.Errorf("circle %d would have nobody but its sharer: hold fewer circles", i+1)
		}
	}
	for i := range groups {
		groups[i].Ref = c.newRef("c")
	}
	cs.Groups = groups
	c.enterPhase(cs, CircleChallenge)
	return nil
}

// enterPhase moves every circle to phase p and starts its countdown.
func (c *change) enterPhase(cs *Circle, p CirclePhase) {
	cs.Phase = p
	c.m.Timer = Timer{Left: cs.Times.Of(p)}.start(c.now)
	if p == CircleIdeas {
		for i := range cs.Groups {
			c.startTurns(cs, &cs.Groups[i])
		}
	}
	for j := range c.m.Members {
		c.m.Members[j].Ready = false
	}
	c.keep()
}

// startTurns gives the first turn, or restarts the clock of the current
// one when the ideas phase is entered again.
func (c *change) startTurns(cs *Circle, g *CircleGroup) {
	if g.Started {
		if _, ok := g.Speaker(); ok {
			g.TurnStart = c.now
		}
		return
	}
	here := 0
	for _, id := range g.Order {
		if c.present(id) {
			here++
		}
	}
	g.Started, g.Turn, g.TurnLen = true, -1, cs.turnLen(here)
	c.advance(g)
}

// advance moves the turn to the next person present; those away are
// skipped (and can be brought back).
func (c *change) advance(g *CircleGroup) {
	g.Turn++
	for g.Turn < len(g.Order) && !c.present(g.Order[g.Turn]) {
		if id := g.Order[g.Turn]; !slices.Contains(g.Skipped, id) {
			g.Skipped = append(g.Skipped, id)
		}
		g.Turn++
	}
	g.TurnStart = time.Time{}
	if g.Turn < len(g.Order) {
		g.TurnStart = c.now
	}
	c.keep()
}

// CircleNext moves every circle to the next phase; in set-up it starts
// the circle, as starting the clock does.
type CircleNext struct{}

func (CircleNext) Kind() string { return "circle-next" }

func (CircleNext) apply(c *change) error {
	cs, err := c.facilitatingCircle()
	if err != nil {
		return err
	}
	if !cs.Started() {
		return c.startCircle(cs)
	}
	p, ok := cs.NextPhase()
	if !ok {
		return errors.New("feedback is the last phase: move on to the next activity when the circle is done")
	}
	c.enterPhase(cs, p)
	return nil
}

// CircleBack moves every circle back to the phase before, for when a
// phase was left too soon. What was said stays.
type CircleBack struct{}

func (CircleBack) Kind() string { return "circle-back" }

func (CircleBack) apply(c *change) error {
	cs, err := c.facilitatingCircle()
	if err != nil {
		return err
	}
	ps := cs.Phases()
	i := slices.Index(ps, cs.CurrentPhase())
	if i < 1 {
		return errors.New("this is the first phase")
	}
	c.enterPhase(cs, ps[i-1])
	return nil
}

// SetSummary is the challenge as the sharer types it for all to see (the
// sharer, or the note-taker or a facilitator for them). Empty clears it.
type SetSummary struct {
	Circle int    `json:"circle,omitempty"`
	Text   string `json:"text"`
}

func (SetSummary) Kind() string { return "circle-summary" }

func (s SetSummary) apply(c *change) error {
	cs, g, err := c.inCircle(s.Circle)
	if err != nil {
		return err
	}
	if err := cs.inPhase("the challenge's summary", CircleChallenge, CircleQuestions); err != nil {
		return err
	}
	if err := c.forSharer(g); err != nil {
		return err
	}
	text, err := cleanOptional("the summary", s.Text, MaxSummaryLen)
	if err != nil {
		return err
	}
	if g.Summary == text {
		return nil
	}
	g.Summary = text
	c.keep()
	return nil
}

// AskQuestion asks the sharer a clarifying question.
type AskQuestion struct {
	Circle int    `json:"circle,omitempty"`
	Text   string `json:"text"`
}

func (AskQuestion) Kind() string { return "circle-ask" }

func (q AskQuestion) apply(c *change) error {
	cs, g, err := c.inCircle(q.Circle)
	if err != nil {
		return err
	}
	if err := cs.inPhase("asking", CircleQuestions); err != nil {
		return err
	}
	if c.actor == g.Sharer {
		return errors.New("you are the problem sharer: the others ask, you answer")
	}
	text, err := cleanField("the question", q.Text, MaxQuestionLen)
	if err != nil {
		return err
	}
	if len(g.Questions) >= MaxQuestions {
		return fmt.Errorf("this circle has %d questions, the most it can keep", MaxQuestions)
	}
	g.Questions = append(g.Questions, CircleQuestion{ID: c.newRef("q"), By: c.actor, Text: text, At: c.now})
	c.keep()
	return nil
}

// AnswerQuestion is the sharer's answer to a question (or the
// note-taker's or a facilitator's note of it). Empty clears it.
type AnswerQuestion struct {
	Circle   int    `json:"circle,omitempty"`
	Question string `json:"question"`
	Text     string `json:"text"`
}

func (AnswerQuestion) Kind() string { return "circle-answer" }

func (a AnswerQuestion) apply(c *change) error {
	cs, g, err := c.inCircle(a.Circle)
	if err != nil {
		return err
	}
	if err := cs.inPhase("answering", CircleQuestions); err != nil {
		return err
	}
	if err := c.forSharer(g); err != nil {
		return err
	}
	i := slices.IndexFunc(g.Questions, func(q CircleQuestion) bool { return q.ID == a.Question })
	if i < 0 {
		return errors.New("that question is no longer there")
	}
	text, err := cleanOptional("the answer", a.Text, MaxAnswerLen)
	if err != nil {
		return err
	}
	if g.Questions[i].Answer == text {
		return nil
	}
	g.Questions[i].Answer = text
	c.keep()
	return nil
}

// AddIdea offers an idea. In turn it is the current speaker's, typed by
// them, the note-taker or a facilitator; in the open discussion it is the
// actor's, or, typed by the note-taker or a facilitator, For's.
type AddIdea struct {
	Circle int      `json:"circle,omitempty"`
	Text   string   `json:"text"`
	For    PersonID `json:"for,omitempty"`
}

func (AddIdea) Kind() string { return "circle-idea" }

func (a AddIdea) apply(c *change) error {
	cs, g, err := c.inCircle(a.Circle)
	if err != nil {
		return err
	}
	gi := slices.IndexFunc(cs.Groups, func(x CircleGroup) bool { return x.Ref == g.Ref })
	text, err := cs.CheckIdea(c.m, c.actor, gi, a.For, a.Text)
	if err != nil {
		return err
	}
	by := c.actor
	if sp, ok := g.Speaker(); ok && cs.CurrentPhase() == CircleIdeas {
		by = sp
	} else if a.For != "" {
		by = a.For
	}
	idea := Idea{ID: c.newRef("i"), By: by, Text: text, Phase: cs.CurrentPhase(), At: c.now}
	if by != c.actor {
		idea.TypedBy = c.actor
	}
	g.Ideas = append(g.Ideas, idea)
	c.keep()
	return nil
}

// speaking checks that the ideas in turn have a current speaker.
func (cs *Circle) speaking(g *CircleGroup) (PersonID, error) {
	if err := cs.inPhase("a turn", CircleIdeas); err != nil {
		return "", err
	}
	sp, ok := g.Speaker()
	if !ok {
		return "", errors.New("everyone has had their turn: move on to the open discussion")
	}
	return sp, nil
}

// PassTurn is the current speaker passing: they have no idea now. The
// speaker says it, or the note-taker or a facilitator for them.
type PassTurn struct {
	Circle int `json:"circle,omitempty"`
}

func (PassTurn) Kind() string { return "circle-pass" }

func (p PassTurn) apply(c *change) error {
	cs, g, err := c.inCircle(p.Circle)
	if err != nil {
		return err
	}
	sp, err := cs.speaking(g)
	if err != nil {
		return err
	}
	if c.actor != sp && !c.m.RoleOf(c.actor).TakesNotes() {
		return fmt.Errorf("it is %s's turn: only they can pass", c.m.NameOf(sp))
	}
	g.Passed = append(g.Passed, sp)
	c.advance(g)
	return nil
}

// NextTurn moves the turn on: the speaker, when done, or a facilitator.
type NextTurn struct {
	Circle int `json:"circle,omitempty"`
}

func (NextTurn) Kind() string { return "circle-turn" }

func (n NextTurn) apply(c *change) error {
	cs, g, err := c.inCircle(n.Circle)
	if err != nil {
		return err
	}
	sp, err := cs.speaking(g)
	if err != nil {
		return err
	}
	if c.actor != sp && !c.m.RoleOf(c.actor).Facilitates() {
		return fmt.Errorf("it is %s's turn: they or a facilitator move on", c.m.NameOf(sp))
	}
	c.advance(g)
	return nil
}

// MoveInOrder moves a person By places in the turn order (facilitators):
// only among those still to speak.
type MoveInOrder struct {
	Circle int      `json:"circle,omitempty"`
	Person PersonID `json:"person"`
	By     int      `json:"by"`
}

func (MoveInOrder) Kind() string { return "circle-reorder" }

func (mv MoveInOrder) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	_, g, err := c.inCircle(mv.Circle)
	if err != nil {
		return err
	}
	i := slices.Index(g.Order, mv.Person)
	if i < 0 {
		return fmt.Errorf("%s is not in this circle's turn order", c.m.NameOf(mv.Person))
	}
	lo := 0
	if g.Started {
		lo = g.Turn + 1
	}
	if i < lo {
		return fmt.Errorf("%s has had their turn, or is speaking: only those still to speak can move", c.m.NameOf(mv.Person))
	}
	j := min(max(i+mv.By, lo), len(g.Order)-1)
	if j == i {
		return nil
	}
	g.Order = slices.Delete(g.Order, i, i+1)
	g.Order = slices.Insert(g.Order, j, mv.Person)
	c.keep()
	return nil
}

// BringBack gives a turn again to someone whose turn went by while they
// were away (facilitators): they speak next.
type BringBack struct {
	Circle int      `json:"circle,omitempty"`
	Person PersonID `json:"person"`
}

func (BringBack) Kind() string { return "circle-bring-back" }

func (b BringBack) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	cs, g, err := c.inCircle(b.Circle)
	if err != nil {
		return err
	}
	if !slices.Contains(g.Skipped, b.Person) {
		return fmt.Errorf("%s was not skipped", c.m.NameOf(b.Person))
	}
	if !c.present(b.Person) {
		return fmt.Errorf("%s is still away: bring them back once they have returned", c.m.NameOf(b.Person))
	}
	g.Skipped = slices.DeleteFunc(g.Skipped, func(id PersonID) bool { return id == b.Person })
	i := slices.Index(g.Order, b.Person)
	g.Order = slices.Delete(g.Order, i, i+1)
	if i < g.Turn {
		g.Turn--
	}
	if _, speaking := g.Speaker(); speaking {
		g.Order = slices.Insert(g.Order, g.Turn+1, b.Person)
	} else {
		// Everyone had their turn: theirs begins now (in the ideas phase).
		g.Order = append(g.Order, b.Person)
		g.Turn = len(g.Order) - 1
		if cs.CurrentPhase() == CircleIdeas {
			g.TurnStart = c.now
		}
	}
	c.keep()
	return nil
}

// ToggleHand raises the actor's hand in the open discussion, or lowers
// it, from where the room has it.
type ToggleHand struct{}

func (ToggleHand) Kind() string { return "circle-hand" }

func (ToggleHand) apply(c *change) error {
	cs, g, err := c.inCircle(0)
	if err != nil {
		return err
	}
	if err := cs.inPhase("raising a hand", CircleDiscussion); err != nil {
		return err
	}
	if c.actor == g.Sharer {
		return ErrListening
	}
	if i := slices.Index(g.Hands, c.actor); i >= 0 {
		g.Hands = slices.Delete(g.Hands, i, i+1)
	} else {
		g.Hands = append(g.Hands, c.actor)
	}
	c.keep()
	return nil
}

// GiveCircleFloor gives the floor in the open discussion (facilitators) to
// Person, or with no one named to the first raised hand.
type GiveCircleFloor struct {
	Circle int      `json:"circle,omitempty"`
	Person PersonID `json:"person,omitempty"`
}

func (GiveCircleFloor) Kind() string { return "circle-floor" }

func (gf GiveCircleFloor) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	cs, g, err := c.inCircle(gf.Circle)
	if err != nil {
		return err
	}
	if err := cs.inPhase("giving the floor", CircleDiscussion); err != nil {
		return err
	}
	who := gf.Person
	if who == "" {
		if len(g.Hands) == 0 {
			return errors.New("no hand is raised")
		}
		who = g.Hands[0]
	}
	if !slices.Contains(g.Members, who) {
		return fmt.Errorf("%s is not in this circle", c.m.NameOf(who))
	}
	if who == g.Sharer {
		return errors.New("the problem sharer listens in the open discussion")
	}
	i := slices.Index(g.Hands, who)
	if g.Floor == who && i < 0 {
		return nil
	}
	if i >= 0 {
		g.Hands = slices.Delete(g.Hands, i, i+1)
	}
	g.Floor = who
	c.keep()
	return nil
}

// MarkUseful is the sharer's mark on an idea that was useful (or not), in
// the feedback; the note-taker or a facilitator may mark for them.
type MarkUseful struct {
	Circle int    `json:"circle,omitempty"`
	Idea   string `json:"idea"`
	Useful bool   `json:"useful"`
}

func (MarkUseful) Kind() string { return "circle-useful" }

func (mu MarkUseful) apply(c *change) error {
	cs, g, err := c.inCircle(mu.Circle)
	if err != nil {
		return err
	}
	if err := cs.inPhase("marking ideas useful", CircleFeedback); err != nil {
		return err
	}
	if err := c.forSharer(g); err != nil {
		return err
	}
	i := slices.IndexFunc(g.Ideas, func(x Idea) bool { return x.ID == mu.Idea })
	if i < 0 {
		return errNoIdea
	}
	if g.Ideas[i].Useful == mu.Useful {
		return nil
	}
	g.Ideas[i].Useful = mu.Useful
	c.keep()
	return nil
}

// SetFeedback is the sharer's feedback: what they heard that helped, the
// first step they will take and by when (typed as ParseDue reads it).
type SetFeedback struct {
	Circle    int    `json:"circle,omitempty"`
	Heard     string `json:"heard"`
	FirstStep string `json:"first_step"`
	Due       string `json:"due,omitempty"`
}

func (SetFeedback) Kind() string { return "circle-feedback" }

// Check cleans the feedback and says what is wrong with it; screens
// call it before sending.
func (s SetFeedback) Check(now time.Time) (heard, step string, due time.Time, err error) {
	if heard, err = cleanOptional("what you heard", s.Heard, MaxHeardLen); err != nil {
		return "", "", time.Time{}, err
	}
	if step, err = cleanOptional("the first step", s.FirstStep, MaxStepLen); err != nil {
		return "", "", time.Time{}, err
	}
	due, err = ParseDue(s.Due, now)
	if err != nil {
		return "", "", time.Time{}, err
	}
	if step == "" && !due.IsZero() {
		return "", "", time.Time{}, errors.New("a date belongs to a first step: write the step too")
	}
	return heard, step, due, nil
}

func (s SetFeedback) apply(c *change) error {
	cs, g, err := c.inCircle(s.Circle)
	if err != nil {
		return err
	}
	if err := cs.inPhase("the feedback", CircleFeedback); err != nil {
		return err
	}
	if err := c.forSharer(g); err != nil {
		return err
	}
	heard, step, due, err := s.Check(c.now)
	if err != nil {
		return err
	}
	if g.Heard == heard && g.FirstStep == step && g.Due.Equal(due) {
		return nil
	}
	g.Heard, g.FirstStep, g.Due = heard, step, due
	c.keep()
	return nil
}

// MoveToCircle puts a person into circle Circle (from 1): someone in no
// circle is brought in, someone in another is moved (facilitators, once
// the circles are drawn). They join the end of its turn order, as a late
// joiner does; what they said in their old circle stays there. A sharer
// stays with their challenge.
type MoveToCircle struct {
	Person PersonID `json:"person"`
	Circle int      `json:"circle"`
}

func (MoveToCircle) Kind() string { return "circle-move" }

func (mv MoveToCircle) apply(c *change) error {
	cs, err := c.facilitatingCircle()
	if err != nil {
		return err
	}
	if !cs.Started() {
		return errors.New("people are put in circles when the circle starts: move them once it has")
	}
	if mv.Circle < 1 || mv.Circle > len(cs.Groups) {
		return fmt.Errorf("there is no circle %d", mv.Circle)
	}
	mem, ok := c.m.Member(mv.Person)
	if !ok {
		return errors.New("that person is not in this meetup")
	}
	from, in := cs.GroupOf(mv.Person)
	switch {
	case in && from == mv.Circle-1:
		return fmt.Errorf("%s is already in circle %d", mem.Name, mv.Circle)
	case in && cs.Groups[from].Sharer == mv.Person:
		return fmt.Errorf("%s shares their challenge in circle %d and stays there", mem.Name, from+1)
	}
	if in {
		cs.Groups[from].leave(mv.Person, cs.CurrentPhase() == CircleIdeas, c.now)
	}
	g := &cs.Groups[mv.Circle-1]
	g.Members = append(g.Members, mv.Person)
	wasDone := g.RoundDone()
	g.Order = append(g.Order, mv.Person)
	if wasDone && cs.CurrentPhase() == CircleIdeas {
		g.TurnStart = c.now // their turn begins now
	}
	c.keep()
	return nil
}

// leave takes id out of the circle's people, turn order, hands and floor;
// if it was their turn, the next person's begins (at now, in the ideas
// phase).
func (g *CircleGroup) leave(id PersonID, ideas bool, now time.Time) {
	not := func(x PersonID) bool { return x == id }
	g.Members = slices.DeleteFunc(g.Members, not)
	if i := slices.Index(g.Order, id); i >= 0 {
		speaking := g.Started && i == g.Turn
		g.Order = slices.Delete(g.Order, i, i+1)
		if i < g.Turn {
			g.Turn--
		}
		if speaking && ideas && g.Turn < len(g.Order) {
			g.TurnStart = now
		}
	}
	g.Skipped = slices.DeleteFunc(g.Skipped, not)
	g.Passed = slices.DeleteFunc(g.Passed, not)
	g.Hands = slices.DeleteFunc(g.Hands, not)
	if g.Floor == id {
		g.Floor = ""
	}
}
