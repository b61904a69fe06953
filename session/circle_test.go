package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// circleFixture is a meetup in its solution circle with the host and
// Ana, Ben, Cy and Dee present, in that order.
func circleFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	f.enter(cy, "Cy")
	f.enter(dee, "Dee")
	i := slices.IndexFunc(f.room.State().Agenda, func(a Activity) bool { return a.Kind == KindCircle })
	f.must(host, GoTo{Index: i})
	return f
}

func (f *fixture) circle() *Circle { return f.room.State().Activity().State.(*Circle) }

func (f *fixture) group(i int) CircleGroup { return f.circle().Groups[i] }

// refused checks that cmd by id is refused with an error that says want.
func (f *fixture) refused(id PersonID, cmd Command, want string) {
	f.t.Helper()
	before := f.room.State().Version
	err := f.do(id, cmd)
	if err == nil || !strings.Contains(err.Error(), want) {
		f.t.Fatalf("%s by %s = %v; want an error saying %q", cmd.Kind(), id, err, want)
	}
	if v := f.room.State().Version; v != before {
		f.t.Fatalf("refused %s changed the meetup (version %d -> %d)", cmd.Kind(), before, v)
	}
}

// startCircle sets Ana up as the sharer and starts the circle.
func (f *fixture) startCircle() {
	f.t.Helper()
	s := f.circle().Setup()
	s.Circles[0] = CirclePlan{Sharer: ana, Title: "Damp in flats"}
	f.must(host, s)
	f.must(host, CircleNext{})
}

func (f *fixture) toPhase(p CirclePhase) {
	f.t.Helper()
	for f.circle().CurrentPhase() != p {
		f.must(host, CircleNext{})
	}
}

func speaker(t *testing.T, g CircleGroup) PersonID {
	t.Helper()
	sp, ok := g.Speaker()
	if !ok {
		t.Fatalf("no speaker: turn %d of %v", g.Turn, g.Order)
	}
	return sp
}

func TestCircleSetUp(t *testing.T) {
	f := circleFixture(t)
	cs := f.circle()
	if cs.CurrentPhase() != CircleSetup || cs.Times != DefaultPhaseTimes || !cs.Questions || len(cs.Groups) != 1 {
		t.Fatalf("a new circle = %+v", cs)
	}
	if DefaultPhaseTimes != (PhaseTimes{5 * time.Minute, 3 * time.Minute, 10 * time.Minute, 7 * time.Minute, 5 * time.Minute}) {
		t.Fatalf("default times = %+v", DefaultPhaseTimes)
	}
	s := cs.Setup()
	s.Circles[0] = CirclePlan{Sharer: ana, Title: "  Damp \x1b[31min flats "}
	f.refused(ana, s, "facilitator")
	f.refused(host, SetUpCircle{}, "from 1 to 8 circles")
	bad := s
	bad.Times.Ideas = 90 * time.Second
	f.refused(host, bad, "ideas in turn lasts from 1 to 60 whole minutes")
	bad = s
	bad.Circles = []CirclePlan{{Sharer: ana}, {Sharer: ana}}
	f.refused(host, bad, "Ana cannot share in two circles")
	bad = s
	bad.Circles = []CirclePlan{{Sharer: "SHA256:nobody"}}
	f.refused(host, bad, "not in this meetup")
	bad = s
	bad.Circles = []CirclePlan{{Title: strings.Repeat("x", MaxTopicLen+1)}}
	f.refused(host, bad, "121 characters, at most 120")
	// Questions off: their time does not matter.
	off := s
	off.Questions, off.Times.Questions = false, 0
	f.must(host, off)
	if got := f.circle().Phases(); !slices.Equal(got, []CirclePhase{CircleChallenge, CircleIdeas, CircleDiscussion, CircleFeedback}) {
		t.Fatalf("phases without questions = %v", got)
	}
	f.must(host, s)
	g := f.group(0)
	if g.Sharer != ana || g.Title != "Damp in flats" || !f.circle().Questions {
		t.Fatalf("set up = %+v", g)
	}
	v := f.room.State().Version
	f.must(host, s) // the same set-up changes nothing
	if f.room.State().Version != v {
		t.Fatalf("the same set-up changed the meetup")
	}
	// Nothing happens in a circle before it starts.
	f.refused(ben, AddIdea{Text: "x"}, "not started")
	f.refused(ana, SetSummary{Text: "x"}, "not started")
}

func TestCircleStartsFromTheChosenTopic(t *testing.T) {
	f := circleFixture(t)
	f.refused(host, CircleNext{}, "choose the problem sharer")
	// A vote chooses Ben's topic: Ben is offered first, the title is his.
	f.must(host, GoTo{Index: topicsAt(t, f.room.State())})
	f.must(ben, SuggestTopic{Text: "Parking"})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: []string{"t1"}})
	f.must(host, CloseVoting{})
	f.must(host, Next{})
	m := f.room.State()
	if got := f.circle().SharerChoices(m); len(got) != 5 || got[0] != ben {
		t.Fatalf("sharer choices = %v; want Ben first of 5", got)
	}
	// Only Ben learns he is invited: authors are hidden from the others.
	for _, id := range []PersonID{ben, ana, cy} {
		o, _ := ViewAs(m, id).Own.(*CircleOwn)
		if invited := o != nil && o.Invited; invited != (id == ben) {
			t.Fatalf("%s invited = %v", id, invited)
		}
	}
	// Starting the clock starts the circle.
	f.must(host, Toggle{Switch: SwitchTimer})
	g := f.group(0)
	if g.Sharer != ben || g.Title != "Parking" || f.circle().CurrentPhase() != CircleChallenge {
		t.Fatalf("started from the vote: %+v in %s", g, f.circle().CurrentPhase())
	}
	if own := ViewAs(f.room.State(), ben).Own; own != nil {
		t.Fatalf("once the circle runs, Ben's own part is %+v; want none", own)
	}
	if !slices.Equal(g.Order, []PersonID{host, ana, cy, dee}) || !slices.Equal(g.Members, []PersonID{ben, host, ana, cy, dee}) {
		t.Fatalf("order %v, members %v", g.Order, g.Members)
	}
	st := f.room.State()
	if !st.Timer.Running || st.Timer.Remaining(f.clock.Now()) != 5*time.Minute {
		t.Fatalf("challenge countdown = %+v", st.Timer)
	}
	if st.Activity().Keeps() == "" {
		t.Fatalf("a started circle may be taken off the agenda")
	}
	f.refused(host, SetUpCircle{Circles: []CirclePlan{{Sharer: cy}}, Times: DefaultPhaseTimes, Questions: true}, "has started")
}

func TestCirclePhasesAndCountdowns(t *testing.T) {
	f := circleFixture(t)
	f.startCircle()
	f.refused(host, CircleBack{}, "first phase")
	f.refused(ben, CircleNext{}, "facilitator")
	for _, p := range []struct {
		phase CirclePhase
		left  time.Duration
	}{{CircleQuestions, 3 * time.Minute}, {CircleIdeas, 10 * time.Minute}, {CircleDiscussion, 7 * time.Minute}, {CircleFeedback, 5 * time.Minute}} {
		f.clock.Advance(30 * time.Second)
		f.must(ben, SetReady{Ready: true})
		f.must(host, CircleNext{})
		st := f.room.State()
		if got := f.circle().CurrentPhase(); got != p.phase {
			t.Fatalf("phase = %s; want %s", got, p.phase)
		}
		if !st.Timer.Running || st.Timer.Remaining(f.clock.Now()) != p.left {
			t.Fatalf("%s countdown = %v; want %v", p.phase, st.Timer.Remaining(f.clock.Now()), p.left)
		}
		if mem, _ := st.Member(ben); mem.Ready {
			t.Fatalf("Ben still done in a new phase")
		}
		if !strings.HasSuffix(st.Stage(), string(p.phase)) {
			t.Fatalf("stage %q does not name %s", st.Stage(), p.phase)
		}
	}
	f.refused(host, CircleNext{}, "last phase")
	f.must(host, CircleBack{})
	if f.circle().CurrentPhase() != CircleDiscussion {
		t.Fatalf("back from feedback: %s", f.circle().CurrentPhase())
	}
}

func TestCircleChallengeAndQuestions(t *testing.T) {
	f := circleFixture(t)
	f.must(host, SetRole{Person: dee, Role: RoleNoteTaker})
	f.startCircle()
	f.must(ana, SetSummary{Text: "Tenants report damp; repairs take months."})
	f.refused(ben, SetSummary{Text: "mine"}, "only Ana (the problem sharer) or the note-taker")
	f.must(dee, SetSummary{Text: "Tenants report damp; repairs take months and months."})
	f.refused(ana, SetSummary{Text: strings.Repeat("y", MaxSummaryLen+1)}, "at most 300")
	f.refused(ben, AskQuestion{Text: "How many?"}, "asking belongs to clarifying questions")
	f.must(host, CircleNext{})
	f.must(ben, AskQuestion{Text: "How many flats?"})
	f.refused(ana, AskQuestion{Text: "Me?"}, "the others ask")
	f.refused(cy, AskQuestion{Text: "  "}, "empty")
	q := f.group(0).Questions[0]
	if q.By != ben || q.Text != "How many flats?" || !strings.HasPrefix(q.ID, "q") {
		t.Fatalf("question = %+v", q)
	}
	f.refused(cy, AnswerQuestion{Question: q.ID, Text: "40"}, "problem sharer")
	f.must(ana, AnswerQuestion{Question: q.ID, Text: "About 40"})
	f.refused(ana, AnswerQuestion{Question: "q999", Text: "?"}, "no longer there")
	if got := f.group(0); got.Questions[0].Answer != "About 40" || !strings.Contains(got.Summary, "months and months") {
		t.Fatalf("circle = %+v", got)
	}
	f.refused(ben, AddIdea{Text: "Too early"}, "not now")
}

func TestCircleIdeasInTurn(t *testing.T) {
	f := circleFixture(t)
	f.must(host, SetRole{Person: dee, Role: RoleNoteTaker})
	f.startCircle()
	f.toPhase(CircleIdeas)
	g := f.group(0)
	if !slices.Equal(g.Order, []PersonID{host, ben, cy, dee}) || speaker(t, g) != host {
		t.Fatalf("order %v, speaker %v", g.Order, g.Turn)
	}
	// 10 minutes shared out between 4: 2:30 a turn.
	if g.TurnLen != 150*time.Second || g.TurnLeft(f.clock.Now()) != 150*time.Second {
		t.Fatalf("turn = %v, left %v", g.TurnLen, g.TurnLeft(f.clock.Now()))
	}
	f.clock.Advance(time.Minute)
	if got := f.group(0).TurnLeft(f.clock.Now()); got != 90*time.Second {
		t.Fatalf("after a minute, %v left in the turn", got)
	}
	// The sharer listens; others wait their turn.
	if err := f.do(ana, AddIdea{Text: "Mine"}); !errors.Is(err, ErrListening) {
		t.Fatalf("sharer's idea = %v; want ErrListening", err)
	}
	f.refused(ben, AddIdea{Text: "Not yet"}, "it is Host's turn")
	f.refused(ben, NextTurn{}, "it is Host's turn")
	f.refused(ben, PassTurn{}, "only they can pass")
	f.must(host, AddIdea{Text: "Survey every flat"})
	f.must(host, NextTurn{}) // the speaker is done
	if sp := speaker(t, f.group(0)); sp != ben {
		t.Fatalf("speaker after Host = %s", sp)
	}
	if got := f.group(0).TurnLeft(f.clock.Now()); got != 150*time.Second {
		t.Fatalf("a new turn starts with %v", got)
	}
	// The note-taker types Ben's idea; it is Ben's.
	f.refused(dee, AddIdea{Text: "x", For: cy}, "it is Ben's turn")
	f.must(dee, AddIdea{Text: "Dehumidifiers on loan"})
	f.must(ben, PassTurn{}) // Ben passes on another
	// Cy passes; the host moves on for nobody (Dee is the last).
	f.must(cy, PassTurn{})
	f.must(dee, AddIdea{Text: "Ask the tenants' panel"})
	f.must(host, NextTurn{})
	g = f.group(0)
	if !g.RoundDone() || !slices.Equal(g.Passed, []PersonID{ben, cy}) {
		t.Fatalf("after the round: turn %d, passed %v", g.Turn, g.Passed)
	}
	f.refused(host, NextTurn{}, "everyone has had their turn")
	var got []string
	for _, x := range g.Ideas {
		got = append(got, fmt.Sprintf("%s:%s:%s:%s", x.By, x.TypedBy, x.Phase, x.Text))
	}
	want := []string{
		"SHA256:host::ideas:Survey every flat",
		"SHA256:ben:SHA256:dee:ideas:Dehumidifiers on loan",
		"SHA256:dee::ideas:Ask the tenants' panel",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ideas = %q; want %q", got, want)
	}
	// A late joiner goes to the end of the order, and speaks now.
	const eve PersonID = "SHA256:eve"
	f.enter(eve, "Eve")
	g = f.group(0)
	if !slices.Equal(g.Order, []PersonID{host, ben, cy, dee, eve}) || speaker(t, g) != eve || g.TurnStart != f.clock.Now() {
		t.Fatalf("late joiner: order %v, turn %d", g.Order, g.Turn)
	}
}

func TestCircleReorder(t *testing.T) {
	f := circleFixture(t)
	f.startCircle()
	// Reorder before the turns: Dee first.
	f.must(host, MoveInOrder{Person: dee, By: -3})
	f.refused(ben, MoveInOrder{Person: dee, By: 1}, "facilitator")
	v := f.room.State().Version
	f.must(host, MoveInOrder{Person: dee, By: -1}) // already first
	if f.room.State().Version != v {
		t.Fatalf("a move that moves nobody changed the meetup")
	}
	if g := f.group(0); !slices.Equal(g.Order, []PersonID{dee, host, ben, cy}) {
		t.Fatalf("order = %v", g.Order)
	}
	f.toPhase(CircleIdeas)
	if sp := speaker(t, f.group(0)); sp != dee {
		t.Fatalf("first speaker = %s; want Dee", sp)
	}
	f.must(host, MoveInOrder{Person: cy, By: -5}) // at most to the first still to speak
	if g := f.group(0); !slices.Equal(g.Order, []PersonID{dee, cy, host, ben}) {
		t.Fatalf("order = %v", g.Order)
	}
}

func TestCircleSkipsLeaverAndBringsBack(t *testing.T) {
	f := circleFixture(t)
	f.must(host, SetRole{Person: cy, Role: RoleCoFacilitator})
	f.startCircle() // order: host, ben, cy, dee
	f.toPhase(CircleIdeas)
	f.leave(ben)
	f.must(host, NextTurn{})
	g := f.group(0)
	if speaker(t, g) != cy || !slices.Equal(g.Skipped, []PersonID{ben}) {
		t.Fatalf("Ben away: speaker %s, skipped %v", speaker(t, g), g.Skipped)
	}
	// Reordering: only those still to speak move.
	f.refused(host, MoveInOrder{Person: host, By: 1}, "has had their turn")
	f.refused(host, MoveInOrder{Person: cy, By: 1}, "is speaking")
	f.refused(host, BringBack{Person: ben}, "still away")
	f.enter(ben, "Ben")
	f.refused(ben, BringBack{Person: ben}, "facilitator")
	f.refused(host, BringBack{Person: dee}, "was not skipped")
	f.must(host, BringBack{Person: ben})
	g = f.group(0)
	if !slices.Equal(g.Order, []PersonID{host, cy, ben, dee}) || speaker(t, g) != cy || len(g.Skipped) != 0 {
		t.Fatalf("brought back: order %v, speaker %s, skipped %v", g.Order, speaker(t, g), g.Skipped)
	}
	f.must(cy, NextTurn{})
	if speaker(t, f.group(0)) != ben {
		t.Fatalf("Ben does not speak next")
	}
	f.must(ben, AddIdea{Text: "Back with an idea"})
	// Someone skipped at the end of the round speaks at once when
	// brought back.
	f.leave(dee)
	f.must(host, NextTurn{})
	if !f.group(0).RoundDone() {
		t.Fatalf("round not done")
	}
	f.enter(dee, "Dee")
	f.clock.Advance(time.Minute)
	f.must(host, BringBack{Person: dee})
	g = f.group(0)
	if speaker(t, g) != dee || g.TurnStart != f.clock.Now() {
		t.Fatalf("brought back after the round: speaker %s at %v", speaker(t, g), g.TurnStart)
	}
}

func TestCircleDiscussionAndHands(t *testing.T) {
	f := circleFixture(t)
	f.startCircle()
	f.toPhase(CircleIdeas)
	f.refused(ben, ToggleHand{}, "raising a hand belongs to open discussion")
	f.must(host, CircleNext{})
	if err := f.do(ana, AddIdea{Text: "Mine"}); !errors.Is(err, ErrListening) {
		t.Fatalf("sharer's idea in discussion = %v; want ErrListening", err)
	}
	if err := f.do(ana, ToggleHand{}); !errors.Is(err, ErrListening) {
		t.Fatalf("sharer's hand = %v; want ErrListening", err)
	}
	f.must(cy, AddIdea{Text: "Anyone adds ideas now"})
	f.refused(cy, AddIdea{Text: "For Ben", For: ben}, "facilitator or the note-taker")
	f.must(host, AddIdea{Text: "Ben's, typed by the host", For: ben})
	f.refused(host, AddIdea{Text: "x", For: ana}, "the problem sharer listens")
	f.must(ben, ToggleHand{})
	f.must(dee, ToggleHand{})
	f.must(cy, ToggleHand{})
	g := f.group(0)
	if g.HandPlace(ben) != 1 || g.HandPlace(dee) != 2 || g.HandPlace(cy) != 3 || g.HandPlace(host) != 0 {
		t.Fatalf("hands = %v", g.Hands)
	}
	f.must(dee, ToggleHand{}) // Dee lowers hers
	f.refused(ben, GiveCircleFloor{}, "facilitator")
	f.must(host, GiveCircleFloor{})
	g = f.group(0)
	if g.Floor != ben || !slices.Equal(g.Hands, []PersonID{cy}) || g.HandPlace(cy) != 1 {
		t.Fatalf("after the floor: floor %s, hands %v", g.Floor, g.Hands)
	}
	f.must(host, GiveCircleFloor{Person: dee})
	f.refused(host, GiveCircleFloor{Person: ana}, "listens")
	f.must(host, GiveCircleFloor{})
	f.refused(host, GiveCircleFloor{}, "no hand is raised")
	g = f.group(0)
	if len(g.Ideas) != 2 || g.Ideas[1].By != ben || g.Ideas[1].TypedBy != host || g.Ideas[1].Phase != CircleDiscussion {
		t.Fatalf("ideas = %+v", g.Ideas)
	}
}

func TestCircleFeedbackOutcomesAndActions(t *testing.T) {
	f := circleFixture(t)
	f.startCircle()
	f.toPhase(CircleIdeas)
	f.must(host, AddIdea{Text: "Survey every flat"})
	f.must(host, PassTurn{})
	f.must(ben, PassTurn{})
	f.must(host, CircleNext{})
	f.must(cy, AddIdea{Text: "Dehumidifiers"})
	ideas := f.group(0).Ideas
	f.refused(ana, MarkUseful{Idea: ideas[0].ID, Useful: true}, "belongs to feedback")
	f.must(host, CircleNext{})
	f.must(ana, MarkUseful{Idea: ideas[1].ID, Useful: true})
	f.refused(ben, MarkUseful{Idea: ideas[0].ID, Useful: true}, "problem sharer")
	f.refused(ana, MarkUseful{Idea: "i999", Useful: true}, "no longer there")
	f.refused(ana, SetFeedback{Heard: "x", FirstStep: "y", Due: "someday"}, "not a date")
	f.refused(ana, SetFeedback{Heard: "x", Due: "friday"}, "write the step too")
	f.refused(ana, SetFeedback{Heard: strings.Repeat("h", MaxHeardLen+1)}, "at most 300")
	f.must(ana, SetFeedback{Heard: "Loans of dehumidifiers", FirstStep: "Ask the budget holder", Due: "2026-12-04"})
	o := f.room.State().Outcomes()
	want := CircleOutcome{Title: "Damp in flats", Sharer: ana, SharerName: "Ana", Members: 5, Ideas: 2,
		Useful: []IdeaOutcome{{Text: "Dehumidifiers", By: "Cy"}}, Heard: "Loans of dehumidifiers",
		FirstStep: "Ask the budget holder", FirstStepDue: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}
	if len(o.Circles) != 1 || !reflect.DeepEqual(o.Circles[0], want) {
		t.Fatalf("outcomes = %+v; want %+v", o.Circles, want)
	}
	src := f.room.State().ActionSources()
	g := f.group(0)
	wantSrc := []ActionSource{
		{Ref: ideas[1].ID, Text: "Dehumidifiers", From: "idea by Cy in the solution circle"},
		{Ref: g.Ref + "/first-step", Text: "Ask the budget holder", From: "Ana's first step in the solution circle", Owner: ana, Due: g.Due},
	}
	if !reflect.DeepEqual(src, wantSrc) {
		t.Fatalf("action sources = %+v; want %+v", src, wantSrc)
	}
	// Once made an action, an idea is no longer offered.
	f.must(host, AddAction{Text: "Dehumidifiers", Ref: ideas[1].ID, Owner: cy})
	if src := f.room.State().ActionSources(); len(src) != 1 || src[0].Owner != ana {
		t.Fatalf("sources after the action = %+v", src)
	}
	f.must(ana, MarkUseful{Idea: ideas[1].ID, Useful: false})
	if len(f.group(0).Useful()) != 0 {
		t.Fatalf("unmarked idea still useful")
	}
}

func TestCircleNoteTakerRole(t *testing.T) {
	f := circleFixture(t)
	f.must(host, SetRole{Person: cy, Role: RoleNoteTaker})
	f.startCircle()
	f.refused(cy, CircleNext{}, "facilitator")
	f.toPhase(CircleIdeas)
	f.must(cy, AddIdea{Text: "For the host"})
	f.must(cy, PassTurn{}) // for the host, who is speaking
	f.refused(cy, NextTurn{}, "they or a facilitator")
	f.must(host, CircleNext{})
	f.must(host, CircleNext{})
	f.must(cy, SetFeedback{Heard: "Noted for Ana", FirstStep: "Call the surveyor"})
	g := f.group(0)
	if g.Ideas[0].By != host || g.Ideas[0].TypedBy != cy || g.FirstStep != "Call the surveyor" {
		t.Fatalf("note-taker's typing: %+v", g)
	}
	// A participant again cannot type for others.
	f.must(host, SetRole{Person: cy, Role: RoleParticipant})
	f.refused(cy, SetFeedback{Heard: "x"}, "problem sharer")
}

// manyFixture is a meetup in its circle with the host and n participants.
func manyFixture(t *testing.T, n int) (*fixture, []PersonID) {
	t.Helper()
	f := newFixture(t)
	f.enter(host, "Host")
	var ids []PersonID
	for i := range n {
		id := PersonID(fmt.Sprintf("SHA256:p%02d", i))
		f.enter(id, fmt.Sprintf("P%02d", i))
		ids = append(ids, id)
	}
	i := slices.IndexFunc(f.room.State().Agenda, func(a Activity) bool { return a.Kind == KindCircle })
	f.must(host, GoTo{Index: i})
	return f, ids
}

func TestTwoCirclesAtOnce(t *testing.T) {
	f, ids := manyFixture(t, 12)
	s := f.circle().Setup()
	s.Circles = []CirclePlan{{Sharer: ids[0], Title: "Damp"}, {Sharer: ids[1]}}
	f.must(host, s)
	f.refused(host, CircleNext{}, "give circle 2's challenge a title")
	s.Circles[1].Title = "Parking"
	f.must(host, s)
	f.must(host, CircleNext{})
	cs := f.circle()
	a, b := cs.Groups[0], cs.Groups[1]
	if a.Members[0] != ids[0] || b.Members[0] != ids[1] || len(a.Members) != 6 || len(b.Members) != 6 {
		t.Fatalf("circles: %v and %v", a.Members, b.Members)
	}
	if _, in := cs.GroupOf(host); in {
		t.Fatalf("the facilitator was drawn into a circle")
	}
	if a.Ref == b.Ref || a.Ref == "" {
		t.Fatalf("circle refs %q %q", a.Ref, b.Ref)
	}
	f.toPhase(CircleIdeas)
	a, b = f.group(0), f.group(1)
	spA, spB := speaker(t, a), speaker(t, b)
	// Each speaks in their own circle; turns move apart.
	f.must(spA, AddIdea{Text: "Idea in A"})
	f.must(spA, NextTurn{})
	f.refused(spA, AddIdea{Circle: 2, Text: "x"}, "only in your own circle")
	f.must(host, AddIdea{Circle: 2, Text: "Typed by the host in B"})
	a, b = f.group(0), f.group(1)
	if a.Turn != 1 || b.Turn != 0 || len(a.Ideas) != 1 || len(b.Ideas) != 1 || b.Ideas[0].By != spB {
		t.Fatalf("A: turn %d %v; B: turn %d %v", a.Turn, a.Ideas, b.Turn, b.Ideas)
	}
	if err := f.do(ids[1], AddIdea{Text: "sharer B"}); !errors.Is(err, ErrListening) {
		t.Fatalf("sharer of B = %v", err)
	}
	// A late joiner goes to the smaller circle.
	const eve PersonID = "SHA256:eve"
	f.leave(spB)
	f.enter(eve, "Eve")
	cs = f.circle()
	if gi, _ := cs.GroupOf(eve); gi != 0 && gi != 1 {
		t.Fatalf("Eve in no circle")
	}
	if !slices.Contains(cs.Groups[0].Order, eve) && !slices.Contains(cs.Groups[1].Order, eve) {
		t.Fatalf("Eve not in a turn order")
	}
	if o := f.room.State().Outcomes(); len(o.Circles) != 2 || o.Circles[1].Title != "Parking" || o.Circles[0].Ideas != 1 {
		t.Fatalf("outcomes of two circles = %+v", o.Circles)
	}
}

func TestCirclesNeedPeople(t *testing.T) {
	f, ids := manyFixture(t, 3)
	s := f.circle().Setup()
	s.Circles = []CirclePlan{{Sharer: ids[0], Title: "A"}, {Sharer: ids[1], Title: "B"}, {Sharer: ids[2], Title: "C"}}
	f.must(host, s)
	f.refused(host, CircleNext{}, "would have nobody but its sharer")
}

func TestCircleKeptAcrossARestart(t *testing.T) {
	f := circleFixture(t)
	f.startCircle()
	f.must(ana, SetSummary{Text: "Damp"})
	f.toPhase(CircleIdeas)
	f.must(host, AddIdea{Text: "Survey"})
	f.must(host, PassTurn{})
	f.must(host, CircleNext{})
	f.must(ben, ToggleHand{})
	f.must(host, CircleNext{})
	f.must(ana, MarkUseful{Idea: f.group(0).Ideas[0].ID, Useful: true})
	f.must(ana, SetFeedback{Heard: "Surveys", FirstStep: "Book one", Due: "tomorrow"})
	before, _ := json.Marshal(f.room.State().Activity())
	code := f.room.State().Code
	f.hub.Close()
	f.start()
	r, err := f.hub.Find(code)
	if err != nil {
		t.Fatal(err)
	}
	f.room = r
	after, _ := json.Marshal(r.State().Activity())
	if string(before) != string(after) {
		t.Fatalf("after a restart:\n%s\nwant\n%s", after, before)
	}
	if !reflect.DeepEqual(f.circle(), r.State().Activity().State) || f.circle().CurrentPhase() != CircleFeedback {
		t.Fatalf("circle state lost")
	}
}

func TestOldCircleWithoutState(t *testing.T) {
	var a Activity
	if err := json.Unmarshal([]byte(`{"kind":"circle","title":"Solution circle","duration":1800000000000}`), &a); err != nil {
		t.Fatal(err)
	}
	cs, ok := a.State.(*Circle)
	if !ok || cs.CurrentPhase() != CircleSetup || cs.Times != DefaultPhaseTimes {
		t.Fatalf("old circle read as %+v", a.State)
	}
}

func TestCircleCloneIsDeep(t *testing.T) {
	cs := &Circle{Phase: CircleIdeas, Groups: []CircleGroup{{Members: []PersonID{ana}, Order: []PersonID{ben},
		Skipped: []PersonID{cy}, Passed: []PersonID{ben}, Hands: []PersonID{ben},
		Questions: []CircleQuestion{{ID: "q1"}}, Ideas: []Idea{{ID: "i1"}}}}}
	before, _ := json.Marshal(cs)
	c := cs.clone().(*Circle)
	g := &c.Groups[0]
	g.Members[0], g.Order[0], g.Skipped[0], g.Passed[0], g.Hands[0] = dee, dee, dee, dee, dee
	g.Questions[0].ID, g.Ideas[0].ID = "x", "x"
	after, _ := json.Marshal(cs)
	if string(before) != string(after) {
		t.Fatalf("changing a clone changed the original")
	}
}

func TestMoveBetweenCircles(t *testing.T) {
	f, ids := manyFixture(t, 12)
	s := f.circle().Setup()
	s.Circles = []CirclePlan{{Sharer: ids[0], Title: "Damp"}, {Sharer: ids[1], Title: "Parking"}}
	f.must(host, s)
	f.refused(host, MoveToCircle{Person: ids[2], Circle: 2}, "once it has")
	f.must(host, CircleNext{})
	f.toPhase(CircleIdeas)

	a := f.group(0)
	sp := speaker(t, a)
	next := a.Order[a.Turn+1]
	f.must(sp, AddIdea{Text: "An idea said in A"})
	// The speaker is moved to B: A's next person speaks, B has them last.
	f.clock.Advance(10 * time.Second)
	f.must(host, MoveToCircle{Person: sp, Circle: 2})
	a, b := f.group(0), f.group(1)
	if slices.Contains(a.Members, sp) || slices.Contains(a.Order, sp) {
		t.Fatalf("still in circle 1: members %v order %v", a.Members, a.Order)
	}
	if now, _ := a.Speaker(); now != next || !a.TurnStart.Equal(f.clock.Now()) {
		t.Fatalf("circle 1 speaker %s since %v; want %s from now", now, a.TurnStart, next)
	}
	if b.Order[len(b.Order)-1] != sp || !slices.Contains(b.Members, sp) {
		t.Fatalf("circle 2: members %v order %v; want %s last", b.Members, b.Order, sp)
	}
	if a.Ideas[0].By != sp {
		t.Fatalf("the idea they gave stays in circle 1: %+v", a.Ideas)
	}

	f.refused(host, MoveToCircle{Person: sp, Circle: 2}, "already in circle 2")
	f.refused(host, MoveToCircle{Person: ids[0], Circle: 2}, "stays there")
	f.refused(host, MoveToCircle{Person: sp, Circle: 3}, "no circle 3")
	f.refused(host, MoveToCircle{Person: "SHA256:nobody", Circle: 1}, "not in this meetup")
	f.refused(ids[3], MoveToCircle{Person: ids[3], Circle: 2}, "facilitator")

	// The facilitator, in no circle, can be brought into one.
	f.must(host, MoveToCircle{Person: host, Circle: 1})
	if gi, in := f.circle().GroupOf(host); !in || gi != 0 {
		t.Fatalf("the host is in circle %d (%t); want 1", gi+1, in)
	}
}
