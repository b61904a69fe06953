package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/convene/convene/session"
)

// closeWorld is the open world filled, with actions, moved to its close.
func closeWorld(t *testing.T, w, h int) *openWorld {
	t.Helper()
	ow := newOpenWorld(t, w, h)
	ow.fill()
	damp := ow.open().Items[0].ID
	ow.do(hostID, session.AddAction{Text: "Ask the surveyor for a date to visit the three blocks", Owner: anaID, Due: "friday", Ref: damp, From: "open-space item by Ana"})
	ow.do(hostID, session.AddAction{Text: "Write to the council about parking", OwnerName: "Dee Outsider", Due: "2026-12-24"})
	ow.do(hostID, session.AddAction{Text: "Share the training plan", Owner: benID})
	ow.do(hostID, session.Next{})
	return ow
}

func TestCloseScreen(t *testing.T) {
	ow := closeWorld(t, 120, 40)
	for _, id := range []session.PersonID{hostID, anaID, benID, cyID} {
		v := ow.view(id)
		for _, want := range []string{"Outcomes", "Open space · 4 items", "Damp and mould in the older flats on the estate · 3 +1s · Ana",
			"– Fran will ask the surveyor for a date", "Actions · 3", "Dee Outsider · due Thu 24 Dec 2026"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%s's close lacks %q:\n%s", id, want, v)
			}
		}
	}
	if v := ow.view(anaID); !strings.Contains(v, "★ 1. Ask the surveyor for a date to visit the three blocks · Ana · due Fri 4 Dec 2026") {
		t.Fatalf("Ana's own action is not marked:\n%s", v)
	}
	if v := ow.view(benID); strings.Contains(v, "★ 1.") {
		t.Fatalf("Ben sees Ana's action marked:\n%s", v)
	}
	// The thank-you: facilitators only, once.
	ow.press(anaID, "t")
	if v := ow.view(anaID); !strings.Contains(v, "Only a facilitator can do that") {
		t.Fatalf("a participant's t not refused:\n%s", v)
	}
	ow.press(hostID, "t")
	for _, id := range []session.PersonID{hostID, anaID, benID, cyID} {
		if v := ow.view(id); !strings.Contains(v, "» Fran: "+thanksText) {
			t.Fatalf("%s does not see the thank-you:\n%s", id, v)
		}
	}
	seq := ow.room.State().Seq
	ow.press(hostID, "t")
	if ow.room.State().Seq != seq || !strings.Contains(ow.view(hostID), "already on every screen") {
		t.Fatalf("a second t sent the thank-you again:\n%s", ow.view(hostID))
	}
}

func TestCloseScrolls(t *testing.T) {
	ow := closeWorld(t, 80, 24)
	v := ow.view(anaID)
	if !strings.Contains(v, "more lines: ↓/j to scroll") {
		t.Fatalf("the close does not say there is more:\n%s", v)
	}
	for range 40 {
		ow.press(anaID, "down")
	}
	v = ow.view(anaID)
	if !strings.Contains(v, "Actions · 3") || !strings.Contains(v, "above") {
		t.Fatalf("scrolled down, the close does not show the actions:\n%s", v)
	}
	checkFits(t, ow.screens[anaID], "close scrolled")
}

func TestCloseGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		ow := closeWorld(t, size.w, size.h)
		ow.do(hostID, session.Announce{Text: thanksText})
		t.Run("participant"+suffix, func(t *testing.T) {
			ow.view(anaID)
			checkFits(t, ow.screens[anaID], "close")
			golden.RequireEqual(t, ow.view(anaID))
		})
		t.Run("facilitator_scrolled"+suffix, func(t *testing.T) {
			ow.press(hostID, "down", "down", "down", "down", "down", "down", "down", "down")
			checkFits(t, ow.screens[hostID], "close")
			golden.RequireEqual(t, ow.view(hostID))
		})
		t.Run("present"+suffix, func(t *testing.T) {
			m := fresh(ow.screens[hostID])
			f := m.frame()
			f.v = session.ViewAs(ow.room.State(), "")
			out := m.room.act.(closeScreen).present(f, size.w, size.h)
			golden.RequireEqual(t, plain(tea.NewView(out)))
		})
	}
}

// TestCloseCircles draws the outcomes of solution circles, as the circle
// activity will fill them.
func TestCloseCircles(t *testing.T) {
	o := session.Outcomes{
		Circles: []session.CircleOutcome{{
			Title: "Damp and mould", SharerName: "Ana", Members: 6, Ideas: 9,
			Useful: []session.IdeaOutcome{{Text: "Ask the surveyor to bring a damp meter", By: "Ben"}, {Text: "Keep a log of every report, with photos", By: "Cy"}},
			Heard:  "That others have the same problem and a log helps", FirstStep: "Start a log for the three blocks",
			FirstStepDue: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC),
		}},
	}
	ow := newOpenWorld(t, 80, 24)
	m := fresh(ow.screens[anaID])
	f := m.frame()
	for _, w := range []int{50, 86} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			out := strings.Join(outcomeDetail(f, o, nil, w), "\n")
			for _, l := range strings.Split(out, "\n") {
				if cellWidth(l) > w {
					t.Errorf("line wider than %d: %q", w, l)
				}
			}
			golden.RequireEqual(t, plain(tea.NewView(out)))
		})
	}
}

// TestCloseScrollEnd: the scroll keys stop where the view shows the last
// line, so after many ↓ one ↑ moves the view; the line above the window
// counts the lines it hides. The same for the export and the write-up.
func TestCloseScrollEnd(t *testing.T) {
	ow := closeWorld(t, 80, 24)
	page := func(id session.PersonID) ([]string, int) {
		m := ow.screens[id]
		c := m.room.act.(closeScreen)
		lines, rows := c.page(m.frame(), c.drawn.w, c.drawn.h)
		for i, l := range lines {
			lines[i] = codeInView.ReplaceAllString(strings.TrimSpace(ansi.Strip(l)), "COD-E00")
		}
		return lines, rows
	}
	top := ow.view(anaID)
	ow.press(anaID, "down")
	lines, rows := page(anaID)
	if len(lines) <= rows+2 {
		t.Fatalf("%d lines in %d rows: the close fits, nothing to scroll", len(lines), rows)
	}
	if v := ow.view(anaID); !strings.Contains(v, "↑ 1 more line above") || lines[1] == "" || !strings.Contains(v, lines[1]) {
		t.Fatalf("one ↓ does not show the second line %q under one line above:\n%s", lines[1], v)
	}
	for _, c := range []struct {
		who  session.PersonID
		open string // the key that opens what is scrolled, "" for the outcomes
		down string
	}{{anaID, "", "down"}, {hostID, "e", "down"}, {hostID, "w", "pgdown"}} {
		if c.open != "" {
			ow.view(c.who)
			ow.press(c.who, c.open)
			top = ow.view(c.who)
		}
		for range 60 {
			ow.press(c.who, c.down)
		}
		end := ow.view(c.who)
		lines, rows := page(c.who)
		first := len(lines) - rows + 1
		last := lines[len(lines)-1]
		for i := len(lines) - 1; last == "" && i > first; i-- {
			last = lines[i]
		}
		if strings.Contains(end, "↓/j") || !strings.Contains(end, fmt.Sprintf("↑ %d more lines above", first)) || last == "" || !strings.Contains(end, last) {
			t.Fatalf("%s%s: many %s do not end on the last line %q under %d lines above:\n%s", c.who, c.open, c.down, last, first, end)
		}
		ow.press(c.who, "up")
		// The line saying what is below takes a row: the last two go.
		if v := ow.view(c.who); v == end || !strings.Contains(v, "↓ 2 more lines: ↓/j to scroll") {
			t.Fatalf("%s%s: one ↑ from the end does not move the view by a line:\n%s", c.who, c.open, v)
		}
		if top == end {
			t.Fatalf("%s%s: the end is the top", c.who, c.open)
		}
	}
}
