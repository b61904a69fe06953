package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
)

const deeID session.PersonID = "SHA256:dee"

// circleWorld is a meetup whose first activity is a solution circle, with
// a facilitator (Fran) and Ana, Ben, Cy and Dee, each with a screen, on a
// clock that moves only when told.
type circleWorld struct {
	t       *testing.T
	clock   *clocktest.Clock
	hub     *session.Hub
	room    *session.Room
	screens map[session.PersonID]model
}

var circlePeople = []struct {
	id   session.PersonID
	name string
}{{hostID, "Fran"}, {anaID, "Ana"}, {benID, "Ben"}, {cyID, "Cy"}, {deeID, "Dee"}}

func newCircleWorld(t *testing.T, w, h int) *circleWorld {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 30 * time.Minute, Note: "Share, listen, help."},
			{Kind: session.KindClose, Title: "Close", Duration: 5 * time.Minute},
		}
	})
	r, err := hub.Create(context.Background(), hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	cw := &circleWorld{t: t, clock: clock, hub: hub, room: r, screens: map[session.PersonID]model{}}
	for _, p := range circlePeople {
		cw.screens[p.id] = inRoom(t, hub, r, p.id, p.name, w, h)
	}
	return cw
}

func (cw *circleWorld) do(id session.PersonID, cmd session.Command) {
	cw.t.Helper()
	if err := cw.room.Do(context.Background(), id, cmd); err != nil {
		cw.t.Fatalf("%s by %s: %v", cmd.Kind(), id, err)
	}
}

func (cw *circleWorld) view(id session.PersonID) string {
	cw.screens[id] = fresh(cw.screens[id])
	return plain(cw.screens[id].View())
}

func (cw *circleWorld) press(id session.PersonID, keys ...string) {
	cw.t.Helper()
	m := cw.screens[id]
	for _, k := range keys {
		m = runCmds(cw.t, fresh(m), keyMsg(k))
	}
	cw.screens[id] = m
}

// paste puts text in whatever field is open on id's screen.
func (cw *circleWorld) paste(id session.PersonID, text string) {
	cw.screens[id] = runCmds(cw.t, fresh(cw.screens[id]), tea.PasteMsg{Content: text})
}

func (cw *circleWorld) circle() *session.Circle {
	return cw.room.State().Activity().State.(*session.Circle)
}

func (cw *circleWorld) group() session.CircleGroup { return cw.circle().Groups[0] }

func (cw *circleWorld) screen(id session.PersonID) circleScreen {
	return cw.screens[id].room.act.(circleScreen)
}

// start sets Ana up as the sharer of "Damp in flats" and starts.
func (cw *circleWorld) start() {
	cw.t.Helper()
	s := cw.circle().Setup()
	s.Circles[0] = session.CirclePlan{Sharer: anaID, Title: "Damp in flats"}
	cw.do(hostID, s)
	cw.do(hostID, session.CircleNext{})
}

func (cw *circleWorld) toPhase(p session.CirclePhase) {
	cw.t.Helper()
	for cw.circle().CurrentPhase() != p {
		cw.do(hostID, session.CircleNext{})
	}
}

// everyone checks that every screen fits its window.
func (cw *circleWorld) everyone(stage string) {
	cw.t.Helper()
	for _, p := range circlePeople {
		cw.view(p.id)
		checkFits(cw.t, cw.screens[p.id], fmt.Sprintf("%s, %s", stage, p.name))
	}
}

func TestCircleScreensFit(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			cw := newCircleWorld(t, size.w, size.h)
			cw.everyone("set-up")
			cw.press(hostID, "s")
			checkFits(t, cw.screens[hostID], "set-up form")
			cw.press(hostID, "esc")
			s := cw.circle().Setup()
			s.Circles[0] = session.CirclePlan{Sharer: anaID, Title: long("Damp and mould in the older blocks of flats", session.MaxTopicLen)}
			cw.do(hostID, s)
			cw.do(hostID, session.CircleNext{})
			cw.do(anaID, session.SetSummary{Text: long("Tenants report damp and repairs take months", session.MaxSummaryLen)})
			cw.everyone("challenge")
			cw.do(hostID, session.CircleNext{})
			for i := range 8 {
				cw.do([]session.PersonID{benID, cyID, deeID}[i%3], session.AskQuestion{Text: long(fmt.Sprintf("Question %d about the flats", i), session.MaxQuestionLen)})
			}
			cw.do(anaID, session.AnswerQuestion{Question: cw.group().Questions[0].ID, Text: long("About forty flats", session.MaxAnswerLen)})
			cw.everyone("questions")
			cw.do(hostID, session.CircleNext{})
			for range 3 {
				for range 4 {
					cw.do(hostID, session.AddIdea{Text: long("An idea for the damp in the flats", session.MaxIdeaLen)})
				}
				cw.do(hostID, session.NextTurn{})
			}
			cw.everyone("ideas")
			cw.press(deeID, "i")
			checkFits(t, cw.screens[deeID], "typing an idea")
			cw.press(deeID, "esc")
			cw.do(hostID, session.CircleNext{})
			cw.do(benID, session.ToggleHand{})
			cw.do(cyID, session.ToggleHand{})
			cw.everyone("discussion")
			cw.do(hostID, session.CircleNext{})
			cw.do(anaID, session.MarkUseful{Idea: cw.group().Ideas[1].ID, Useful: true})
			cw.do(anaID, session.SetFeedback{Heard: long("Loans of dehumidifiers", session.MaxHeardLen), FirstStep: long("Ask the budget holder", session.MaxStepLen), Due: "friday"})
			cw.everyone("feedback")
			cw.press(anaID, "w")
			checkFits(t, cw.screens[anaID], "feedback form")
		})
	}
}

// TestCircleGolden pins down the circle's screens at 80x24 and 120x40: the
// set-up, the ideas in turn as the speaker, the sharer and the
// facilitator see them, the discussion with raised hands, the feedback,
// and the presenter's view.
func TestCircleGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		cw := newCircleWorld(t, size.w, size.h)
		presenter := func(name string) {
			t.Run("present_"+name+suffix, func(t *testing.T) {
				v := session.ViewAs(cw.room.State(), "")
				f := frame{v: v, st: newStyles(true), now: cw.clock.Now()}
				golden.RequireEqual(t, plain(tea.NewView(newCircleScreen().present(f, size.w, size.h))))
			})
		}
		shot := func(name string, id session.PersonID) {
			t.Run(name+suffix, func(t *testing.T) {
				golden.RequireEqual(t, cw.view(id))
			})
		}
		cw.press(hostID, "s")
		shot("setup_form", hostID)
		cw.press(hostID, "esc")
		cw.start()
		cw.do(anaID, session.SetSummary{Text: "Tenants report damp; repairs take months."})
		cw.toPhase(session.CircleIdeas)
		cw.do(hostID, session.AddIdea{Text: "Survey every flat before winter"})
		cw.do(hostID, session.NextTurn{})
		cw.do(benID, session.PassTurn{})
		cw.clock.Advance(40 * time.Second)
		shot("ideas_speaker", cyID)
		shot("ideas_sharer", anaID)
		shot("ideas_facilitator", hostID)
		presenter("ideas")
		cw.do(cyID, session.AddIdea{Text: "Lend dehumidifiers"})
		cw.do(cyID, session.NextTurn{})
		cw.do(hostID, session.NextTurn{})
		cw.do(hostID, session.CircleNext{})
		cw.do(benID, session.ToggleHand{})
		cw.do(deeID, session.ToggleHand{})
		cw.do(deeID, session.AddIdea{Text: "Ask the tenants' panel"})
		shot("discussion_hand", deeID)
		cw.do(hostID, session.CircleNext{})
		cw.do(anaID, session.MarkUseful{Idea: cw.group().Ideas[1].ID, Useful: true})
		cw.do(anaID, session.SetFeedback{Heard: "Dehumidifiers help now", FirstStep: "Ask the budget holder", Due: "2026-12-04"})
		shot("feedback_sharer", anaID)
		presenter("feedback")
	}
}

// TestTwoCirclesGolden: the facilitator of two circles sees both at a
// glance and looks into one; each person sees only their own.
func TestTwoCirclesGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		cw := newCircleWorld(t, size.w, size.h)
		s := cw.circle().Setup()
		s.Circles = []session.CirclePlan{{Sharer: anaID, Title: "Damp in flats"}, {Sharer: benID, Title: "Parking"}}
		cw.do(hostID, s)
		cw.do(hostID, session.CircleNext{})
		cw.toPhase(session.CircleIdeas)
		cs := cw.circle()
		if len(cs.Groups[0].Order) != 1 || len(cs.Groups[1].Order) != 1 {
			t.Fatalf("circles %+v", cs.Groups)
		}
		cw.do(cs.Groups[0].Order[0], session.AddIdea{Text: "An idea in the first circle"})
		t.Run("overview"+suffix, func(t *testing.T) { golden.RequireEqual(t, cw.view(hostID)) })
		cw.press(hostID, "2")
		t.Run("look_into_2"+suffix, func(t *testing.T) { golden.RequireEqual(t, cw.view(hostID)) })
		other := cs.Groups[1].Order[0]
		if v := cw.view(other); strings.Contains(v, "An idea in the first circle") || !strings.Contains(v, "Parking") {
			t.Fatalf("a member of circle 2 sees circle 1:\n%s", v)
		}
		t.Run("present"+suffix, func(t *testing.T) {
			v := session.ViewAs(cw.room.State(), "")
			f := frame{v: v, st: newStyles(true), now: cw.clock.Now()}
			golden.RequireEqual(t, plain(tea.NewView(newCircleScreen().present(f, size.w, size.h))))
		})
	}
}

func TestCircleSetUpByKeys(t *testing.T) {
	cw := newCircleWorld(t, 80, 24)
	cw.press(anaID, "s")
	if v := cw.view(anaID); !strings.Contains(v, "Only a facilitator") && !strings.Contains(v, "facilitator") {
		t.Fatalf("a participant's s was not refused:\n%s", v)
	}
	cw.press(hostID, "s")
	// Row 1 is the sharer: → chooses the first person offered.
	cw.press(hostID, "right", "right")
	cw.press(hostID, "down", "enter")
	cw.paste(hostID, "Damp in flats")
	cw.press(hostID, "enter")
	// Ideas: 10 -> 12 minutes (after the title, the questions row).
	for _, k := range []string{"down", "down", "down", "right", "right"} {
		cw.press(hostID, k)
	}
	cw.press(hostID, "enter")
	cs := cw.circle()
	g := cs.Groups[0]
	if g.Sharer != anaID || g.Title != "Damp in flats" || cs.Times.Ideas != 12*time.Minute {
		t.Fatalf("set up by keys: %+v, ideas %v\n%s", g, cs.Times.Ideas, cw.view(hostID))
	}
	cw.press(hostID, ">")
	if !cw.circle().Started() {
		t.Fatalf("> did not start the circle:\n%s", cw.view(hostID))
	}
	if v := cw.view(benID); !strings.Contains(v, "Ana describes the challenge") || !strings.Contains(v, "5:00 left") {
		t.Fatalf("Ben's screen in the challenge:\n%s", v)
	}
}

func TestCircleTurnsByKeys(t *testing.T) {
	cw := newCircleWorld(t, 80, 24)
	cw.do(hostID, session.SetRole{Person: deeID, Role: session.RoleNoteTaker})
	cw.start()
	// The sharer types a summary everyone sees.
	cw.press(anaID, "w")
	cw.paste(anaID, "Damp, slow repairs")
	cw.press(anaID, "enter")
	if v := cw.view(benID); !strings.Contains(v, "Damp, slow repairs") {
		t.Fatalf("the summary is not shown:\n%s", v)
	}
	cw.toPhase(session.CircleIdeas) // order: Fran, Ben, Cy, Dee
	// The sharer is refused, and told why.
	cw.press(anaID, "i")
	if v := cw.view(anaID); !strings.Contains(v, "You are the problem sharer") || !strings.Contains(v, "You are listening") {
		t.Fatalf("the sharer's i:\n%s", v)
	}
	// Not Ben's turn yet.
	cw.press(benID, "i")
	if v := cw.view(benID); !strings.Contains(v, "It is Fran's turn") {
		t.Fatalf("Ben's i out of turn:\n%s", v)
	}
	cw.press(hostID, "i")
	cw.paste(hostID, strings.Repeat("x", session.MaxIdeaLen+3))
	cw.press(hostID, "enter")
	if v := cw.view(hostID); !strings.Contains(v, "at most 200 characters") {
		t.Fatalf("an over-long idea was not explained:\n%s", v)
	}
	if got := cw.screen(hostID).input.value(); len(got) != session.MaxIdeaLen+3 {
		t.Fatalf("the over-long idea was not kept: %d", len(got))
	}
	for range 3 {
		cw.press(hostID, "backspace")
	}
	cw.press(hostID, "enter", "d")
	if sp, _ := cw.group().Speaker(); sp != benID {
		t.Fatalf("speaker after d = %s", sp)
	}
	if v := cw.view(benID); !strings.Contains(v, "Your turn") {
		t.Fatalf("Ben is not told it is his turn:\n%s", v)
	}
	cw.press(benID, "x")
	// The note-taker types Cy's idea.
	cw.press(deeID, "i")
	if v := cw.view(deeID); !strings.Contains(v, "Idea by Cy") {
		t.Fatalf("the note-taker's field does not say whose idea:\n%s", v)
	}
	cw.paste(deeID, "Lend dehumidifiers")
	cw.press(deeID, "enter")
	cw.press(cyID, "d")
	// The facilitator moves Dee... she is the last; Fran reorders nobody.
	g := cw.group()
	if len(g.Ideas) != 2 || g.Ideas[1].By != cyID || g.Ideas[1].TypedBy != deeID || g.Passed[0] != benID {
		t.Fatalf("after the turns: %+v", g)
	}
	if v := cw.view(anaID); !strings.Contains(v, "Lend dehumidifiers") {
		t.Fatalf("the sharer does not see the ideas arrive:\n%s", v)
	}
	// Discussion: hands and the floor.
	cw.press(deeID, "d") // Dee is done
	cw.press(hostID, ">")
	cw.press(cyID, "h")
	cw.press(benID, "h")
	if v := cw.view(benID); !strings.Contains(v, "you are 2nd in the queue") {
		t.Fatalf("Ben's place in the queue:\n%s", v)
	}
	cw.press(hostID, "f")
	if v := cw.view(cyID); !strings.Contains(v, "You have the floor") {
		t.Fatalf("Cy not given the floor:\n%s", v)
	}
	if v := cw.view(benID); !strings.Contains(v, "you are 1st in the queue") {
		t.Fatalf("Ben's place after the floor:\n%s", v)
	}
	// Feedback: the sharer marks the second idea and writes.
	cw.press(hostID, ">")
	cw.press(anaID, "down", "u", "w")
	cw.paste(anaID, "Dehumidifiers")
	cw.press(anaID, "enter")
	cw.paste(anaID, "Ask the budget holder")
	cw.press(anaID, "enter")
	cw.paste(anaID, "someday")
	cw.press(anaID, "enter")
	if v := cw.view(anaID); !strings.Contains(v, "is not a date") {
		t.Fatalf("a bad date was not explained:\n%s", v)
	}
	cw.press(anaID, "ctrl+u")
	for range 7 {
		cw.press(anaID, "backspace")
	}
	cw.paste(anaID, "2026-12-04")
	cw.press(anaID, "enter")
	g = cw.group()
	if !g.Ideas[1].Useful || g.Ideas[0].Useful || g.Heard != "Dehumidifiers" || g.FirstStep != "Ask the budget holder" || g.DueText() != "Fri 4 Dec 2026" {
		t.Fatalf("feedback by keys: %+v", g)
	}
	if v := cw.view(benID); !strings.Contains(v, "★ Lend dehumidifiers") || !strings.Contains(v, "First step: Ask the budget holder") {
		t.Fatalf("Ben does not see the feedback:\n%s", v)
	}
}

// TestMoveToAnotherCircleByKeys: with two circles running, the facilitator
// opens the people (m), chooses someone, presses g and a circle's number:
// the person is in that circle, and their screen shows it.
func TestMoveToAnotherCircleByKeys(t *testing.T) {
	cw := newCircleWorld(t, 80, 24)
	s := cw.circle().Setup()
	s.Circles = []session.CirclePlan{{Sharer: anaID, Title: "Damp in flats"}, {Sharer: benID, Title: "Parking"}}
	cw.do(hostID, s)
	cw.do(hostID, session.CircleNext{})
	cw.toPhase(session.CircleIdeas)
	cs := cw.circle()
	who := cs.Groups[0].Order[0]
	if v := cw.view(who); !strings.Contains(v, "Damp in flats") {
		t.Fatalf("%s is not shown circle 1:\n%s", who, v)
	}

	cw.press(hostID, "m")
	if v := cw.view(hostID); !strings.Contains(v, "circle 1") || !strings.Contains(v, "g moves them into another circle") {
		t.Fatalf("the people list does not show circles or the key to move:\n%s", v)
	}
	for i, mem := range cw.room.State().Members {
		cw.press(hostID, "down")
		if mem.ID == who {
			break
		}
		if i == len(cw.room.State().Members)-1 {
			t.Fatalf("%s is not among the people", who)
		}
	}
	cw.press(hostID, "g")
	if v := cw.view(hostID); !strings.Contains(v, "to which circle? Press 1-2") {
		t.Fatalf("g does not ask which circle:\n%s", v)
	}
	cw.press(hostID, "3")
	if v := cw.view(hostID); !strings.Contains(v, "There is no circle 3") {
		t.Fatalf("circle 3 of 2 not refused:\n%s", v)
	}
	cw.press(hostID, "g", "2")
	if gi, _ := cw.circle().GroupOf(who); gi != 1 {
		t.Fatalf("%s is in circle %d; want 2", who, gi+1)
	}
	if v := cw.view(hostID); !strings.Contains(v, "is now in circle 2") {
		t.Fatalf("no word that the move was done:\n%s", v)
	}
	if v := cw.view(who); !strings.Contains(v, "Parking") || strings.Contains(v, "Damp in flats") {
		t.Fatalf("the moved person does not see their new circle:\n%s", v)
	}
}
