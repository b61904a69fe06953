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

// openWorld is a meetup in its open space, then its close, with a
// facilitator (Fran) and three participants, each with a screen.
type openWorld struct {
	*topicsWorld
	hub   *session.Hub
	clock *clocktest.Clock
}

func newOpenWorld(t *testing.T, w, h int) *openWorld {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute, Note: "Raise anything."},
			{Kind: session.KindClose, Title: "Close", Duration: 5 * time.Minute, Note: "Thank you for coming."},
		}
	})
	r, err := hub.Create(context.Background(), hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	ow := &openWorld{topicsWorld: &topicsWorld{t: t, room: r, screens: map[session.PersonID]model{}}, hub: hub, clock: clock}
	for _, p := range []struct {
		id   session.PersonID
		name string
	}{{hostID, "Fran"}, {anaID, "Ana"}, {benID, "Ben"}, {cyID, "Cy"}} {
		ow.screens[p.id] = inRoom(t, hub, r, p.id, p.name, w, h)
	}
	return ow
}

func (ow *openWorld) open() *session.OpenSpace {
	return ow.room.State().Activity().State.(*session.OpenSpace)
}

// typeText types text into a person's screen, a key at a time.
func (ow *openWorld) typeText(id session.PersonID, text string) {
	ow.t.Helper()
	for _, r := range text {
		ow.press(id, string(r))
	}
}

// fill posts items, +1s, a floor and notes, as the goldens show them.
func (ow *openWorld) fill() {
	ow.do(anaID, session.PostOpenItem{Text: "Damp and mould in the older flats on the estate", Detail: "Three blocks reported it this month; the surveyor has not been."})
	ow.do(benID, session.PostOpenItem{Text: "Parking near the office"})
	ow.do(cyID, session.PostOpenItem{Text: "Bins"})
	ow.do(anaID, session.PostOpenItem{Text: "Training for new officers"})
	s := ow.open()
	damp, parking, bins := s.Items[0].ID, s.Items[1].ID, s.Items[2].ID
	ow.do(benID, session.PlusOne{Item: damp})
	ow.do(cyID, session.PlusOne{Item: damp})
	ow.do(hostID, session.PlusOne{Item: damp})
	ow.do(anaID, session.PlusOne{Item: bins})
	ow.do(anaID, session.PlusOne{Item: parking})
	ow.do(hostID, session.SortOpenItems{ByVotes: true})
	ow.do(hostID, session.GiveItemFloor{Item: damp})
	ow.do(hostID, session.AddOpenNote{Item: damp, Text: "Fran will ask the surveyor for a date"})
}

func TestOpenSpaceByKeys(t *testing.T) {
	ow := newOpenWorld(t, 80, 24)
	if v := ow.view(anaID); !strings.Contains(v, "Nothing raised yet") {
		t.Fatalf("an empty open space does not say what to do:\n%s", v)
	}
	// Ana posts an item with a detail: one line, then the detail.
	ow.press(anaID, "i")
	ow.typeText(anaID, "Damp and mould")
	ow.press(anaID, "enter")
	if v := ow.view(anaID); !strings.Contains(v, "Detail") {
		t.Fatalf("no detail asked for:\n%s", v)
	}
	ow.typeText(anaID, "Three blocks")
	ow.press(anaID, "enter")
	s := ow.open()
	if len(s.Items) != 1 || s.Items[0].Text != "Damp and mould" || s.Items[0].Detail != "Three blocks" {
		t.Fatalf("items = %+v", s.Items)
	}
	// Ben posts one without a detail; it is on every screen.
	ow.press(benID, "i")
	ow.typeText(benID, "Bins")
	ow.press(benID, "enter", "enter")
	for _, id := range []session.PersonID{hostID, anaID, benID, cyID} {
		if v := ow.view(id); !strings.Contains(v, "Damp and mould") || !strings.Contains(v, "Bins") || !strings.Contains(v, "2 items") {
			t.Fatalf("%s does not see both items:\n%s", id, v)
		}
	}
	// +1: Cy on Bins (the second row), then a toggle back and again.
	ow.press(cyID, "down", "v")
	ow.press(cyID, "v", "v")
	if it, _ := ow.open().Item(ow.open().Items[1].ID); it.VoteCount() != 1 {
		t.Fatalf("Bins has %d +1s; want 1", it.VoteCount())
	}
	if v := ow.view(cyID); !strings.Contains(v, "+1✓") || !strings.Contains(v, "Your +1 is in") {
		t.Fatalf("Cy's +1 not shown as theirs:\n%s", v)
	}
	// Ana cannot +1 her own; she cannot withdraw Ben's.
	ow.press(anaID, "v")
	if v := ow.view(anaID); !strings.Contains(v, "your own item") {
		t.Fatalf("+1 on one's own item not refused:\n%s", v)
	}
	ow.press(anaID, "down", "x")
	if v := ow.view(anaID); !strings.Contains(v, "Only the person who raised") {
		t.Fatalf("withdrawing another's item not refused:\n%s", v)
	}
	// Participants' facilitator keys are refused and change nothing.
	before := ow.room.State().Version
	for _, k := range []string{"f", "s", "K", "J"} {
		ow.press(cyID, k)
		if v := ow.view(cyID); !strings.Contains(v, "Only a facilitator can do that") {
			t.Errorf("participant's %s not refused:\n%s", k, v)
		}
	}
	ow.press(cyID, "o")
	if v := ow.view(cyID); !strings.Contains(v, "Only a facilitator or the note-taker") {
		t.Errorf("participant's note not refused:\n%s", v)
	}
	if ow.room.State().Version != before {
		t.Fatalf("a participant's facilitator keys changed the meetup")
	}
	// The facilitator sorts by votes (Bins first), moves Damp up by hand,
	// gives it the floor and notes on it.
	ow.press(hostID, "s")
	if q := ow.open().Queue(); !ow.open().ByVotes || q[0].Text != "Bins" {
		t.Fatalf("after s: %+v", q)
	}
	ow.press(hostID, "down", "K")
	if q := ow.open().Queue(); ow.open().ByVotes || q[0].Text != "Damp and mould" {
		t.Fatalf("after K: %+v\n%s", q, ow.view(hostID))
	}
	ow.press(hostID, "f")
	for _, id := range []session.PersonID{hostID, anaID, benID, cyID} {
		if v := ow.view(id); !strings.Contains(v, "ON THE FLOOR") || !strings.Contains(lineOf(v, "ON THE FLOOR"), "Damp and mould") {
			t.Fatalf("%s does not see the floor:\n%s", id, v)
		}
	}
	ow.press(hostID, "o")
	ow.typeText(hostID, "Ask the surveyor")
	ow.press(hostID, "enter")
	if it, _ := ow.open().OnFloor(); len(it.Notes) != 1 || it.Notes[0].Text != "Ask the surveyor" {
		t.Fatalf("note = %+v\n%s", it.Notes, ow.view(hostID))
	}
	// A discussed item stays; Ben withdraws his (asked first).
	ow.press(benID, "down", "x")
	if v := ow.view(benID); !strings.Contains(v, `Withdraw "Bins"?`) {
		t.Fatalf("withdraw did not ask:\n%s", v)
	}
	ow.press(benID, "y")
	if q := ow.open().Queue(); len(q) != 1 {
		t.Fatalf("after withdrawal: %+v", q)
	}
}

func TestOpenSpaceInputKeepsTextOnError(t *testing.T) {
	ow := newOpenWorld(t, 80, 24)
	ow.do(benID, session.PostOpenItem{Text: "Bins"})
	longText := strings.Repeat("x", session.MaxOpenItemLen+5)
	ow.press(anaID, "i")
	ow.screens[anaID] = runCmds(t, ow.screens[anaID], tea.PasteMsg{Content: longText})
	ow.press(anaID, "enter")
	v := ow.view(anaID)
	if !strings.Contains(v, "at most 120 characters") || !strings.Contains(v, "125/120 too long") {
		t.Fatalf("an over-long item was not explained:\n%s", v)
	}
	if got := ow.screens[anaID].room.act.(openSpaceScreen).input.value(); got != longText {
		t.Fatalf("the typed text was lost: %q", got)
	}
	// A duplicate is refused with the reason; the text stays.
	m := ow.screens[anaID]
	a := m.room.act.(openSpaceScreen)
	a.input.edit().SetValue("bins")
	m.room.act = a
	ow.screens[anaID] = m
	ow.press(anaID, "enter")
	if v := ow.view(anaID); !strings.Contains(v, "already on the list") {
		t.Fatalf("a duplicate was not refused:\n%s", v)
	}
	// Room keys typed into the field are text.
	ow.press(anaID, "esc", "i", "q", "r", "n", "enter", "enter")
	if q := ow.open().Queue(); len(q) != 2 || q[1].Text != "qrn" {
		t.Fatalf("queue = %+v", q)
	}
	if ow.room.State().Current != 0 {
		t.Fatalf("n typed into the field moved the agenda")
	}
}

func TestOpenSpaceScreensFit(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ow := newOpenWorld(t, size.w, size.h)
			check := func(stage string) {
				t.Helper()
				for _, id := range []session.PersonID{hostID, anaID} {
					ow.view(id)
					checkFits(t, ow.screens[id], fmt.Sprintf("%s, %s", stage, id))
				}
			}
			check("empty")
			authors := []session.PersonID{anaID, benID, cyID}
			for i := range 12 {
				ow.do(authors[i%3], session.PostOpenItem{Text: long(fmt.Sprintf("Item %d about the repairs backlog and damp", i+1), session.MaxOpenItemLen),
					Detail: long("A detail that goes on about the item", session.MaxOpenDetailLen)})
			}
			s := ow.open()
			ow.do(hostID, session.GiveItemFloor{Item: s.Items[5].ID})
			for range 6 {
				ow.do(hostID, session.AddOpenNote{Item: s.Items[5].ID, Text: long("A note on what was said and agreed", session.MaxOpenNoteLen)})
			}
			check("full")
			ow.press(hostID, "down", "down", "down", "down", "down")
			ow.press(anaID, "down", "down", "down", "down", "down", "down", "down", "down", "down")
			check("chosen far down")
			ow.press(anaID, "x")
			ow.press(hostID, "o")
			check("noting and withdrawing")
		})
	}
}

func TestOpenSpaceGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		ow := newOpenWorld(t, size.w, size.h)
		ow.fill()
		t.Run("facilitator"+suffix, func(t *testing.T) {
			ow.view(hostID)
			checkFits(t, ow.screens[hostID], "facilitator")
			golden.RequireEqual(t, ow.view(hostID))
		})
		t.Run("participant"+suffix, func(t *testing.T) {
			ow.press(anaID, "down")
			checkFits(t, ow.screens[anaID], "participant")
			golden.RequireEqual(t, ow.view(anaID))
		})
		t.Run("present"+suffix, func(t *testing.T) {
			m := fresh(ow.screens[hostID])
			f := m.frame()
			f.v = session.ViewAs(ow.room.State(), "")
			out := m.room.act.(openSpaceScreen).present(f, size.w, size.h)
			golden.RequireEqual(t, plain(tea.NewView(out)))
		})
	}
}
