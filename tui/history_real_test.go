package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
	"github.com/convene/convene/session/vote"
)

// realMeetup runs a whole meetup through the commands the screens send:
// a networking round, a topic vote, a solution circle from the challenge
// to the first step, open space, actions made from what came out, and the
// end; then a facilitator follows one action up. It returns the hub and
// the ended room.
func realMeetup(t *testing.T) (*session.Hub, *session.Room) {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, nil)
	ctx := context.Background()
	r, err := hub.CreateInSeries(ctx, hostID, "Housing officers, November", "", "Officers")
	if err != nil {
		t.Fatal(err)
	}
	people := []struct {
		id   session.PersonID
		name string
	}{{hostID, "Fran"}, {anaID, "Ana"}, {benID, "Ben"}, {cyID, "Cy"}, {deeID, "Dee"}}
	for _, p := range people {
		if err := hub.SavePerson(session.Person{ID: p.id, Name: p.name}); err != nil {
			t.Fatal(err)
		}
		sub, err := r.Enter(ctx, p.id, p.name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sub.Close)
	}
	do := func(who session.PersonID, cmds ...session.Command) {
		t.Helper()
		for _, c := range cmds {
			if err := r.Do(ctx, who, c); err != nil {
				t.Fatalf("%s by %s: %v", c.Kind(), who, err)
			}
		}
	}
	circle := func() *session.Circle { return r.State().Activity().State.(*session.Circle) }

	do(hostID, session.Next{}, session.StartTimer{})
	clock.Advance(9 * time.Minute)
	do(hostID, session.Next{})
	do(anaID, session.SuggestTopic{Text: "Damp and mould in flats"})
	do(benID, session.SuggestTopic{Text: "Parking"})
	do(hostID, session.StartVoting{})
	do(anaID, session.CastBallot{Ballot: vote.Ballot{"t1", "t1", "t2"}})
	do(benID, session.CastBallot{Ballot: vote.Ballot{"t1", "t2"}})
	do(hostID, session.CloseVoting{})
	clock.Advance(10 * time.Minute)

	do(hostID, session.Next{})
	setup := circle().Setup()
	setup.Circles[0] = session.CirclePlan{Sharer: anaID}
	do(hostID, setup, session.CircleNext{})
	do(anaID, session.SetSummary{Text: "Tenants report damp; repairs take months and nobody keeps a record."})
	do(hostID, session.CircleNext{})
	do(benID, session.AskQuestion{Text: "How many flats are affected?"})
	do(anaID, session.AnswerQuestion{Question: circle().Groups[0].Questions[0].ID, Text: "About 40"})
	do(hostID, session.CircleNext{})
	said := map[session.PersonID]string{benID: "Photograph the damp every week", cyID: "Ask the council for a survey", deeID: "Lend out dehumidifiers"}
	for {
		sp, ok := circle().Groups[0].Speaker()
		if !ok {
			break
		}
		if said[sp] == "" {
			do(sp, session.PassTurn{})
			continue
		}
		do(sp, session.AddIdea{Text: said[sp]}, session.NextTurn{})
	}
	do(hostID, session.CircleNext{})
	do(cyID, session.AddIdea{Text: "Keep a shared log of every repair asked for"})
	do(hostID, session.CircleNext{})
	for _, x := range circle().Groups[0].Ideas {
		if x.By == benID || x.By == cyID && strings.HasPrefix(x.Text, "Keep") {
			do(anaID, session.MarkUseful{Idea: x.ID, Useful: true})
		}
	}
	do(anaID, session.SetFeedback{Heard: "That a written record gets things moving", FirstStep: "Write to the council", Due: "2026-12-09"})
	clock.Advance(20 * time.Minute)

	do(hostID, session.Next{})
	do(cyID, session.PostOpenItem{Text: "Christmas social", Detail: "Who organises it?"})
	do(benID, session.PostOpenItem{Text: "New starters"})
	items := r.State().Activity().State.(*session.OpenSpace).Items
	do(anaID, session.PlusOne{Item: items[0].ID}, session.PlusOne{Item: items[1].ID})
	do(benID, session.PlusOne{Item: items[0].ID})
	do(hostID, session.GiveItemFloor{Item: items[0].ID}, session.AddOpenNote{Item: items[0].ID, Text: "Ben will ask the hall"}, session.GiveItemFloor{})
	for _, src := range r.State().ActionSources() {
		owner := src.Owner
		if owner == "" {
			owner = benID
		}
		if src.Text != "New starters" && !strings.HasPrefix(src.Text, "Keep") {
			do(hostID, session.AddAction{Text: src.Text, Owner: owner, From: src.From, Ref: src.Ref, Due: "2026-12-09"})
		}
	}
	do(hostID, session.Next{}, session.End{})
	do(hostID, session.SetActionStatus{ID: 2, Status: session.ActionDone, Note: "Letter sent on the 3rd"})
	return hub, r
}

// TestHistoryOfARealMeetup: a past meetup opened in the History shows
// every outcome the activities kept, and fits at 80x24 and 120x40.
func TestHistoryOfARealMeetup(t *testing.T) {
	hub, r := realMeetup(t)
	if n := len(r.State().Actions); n != 3 {
		t.Fatalf("%d actions made; want one each from an idea, the first step and an item", n)
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			fac := historyKey(t, lobbyModel(t, hub, hostID, "Fran", size.w, size.h), "h", "enter")
			wantScreen(t, fac, "detail", "Housing officers, November")
			h := fac.lobby.hist
			if h.mode != histDetail {
				t.Fatalf("enter did not open the meetup (mode %d)", h.mode)
			}
			// The whole view, unclipped: every line fits the width.
			all := ansi.Strip(h.pager.GetContent())
			w, _ := fac.historyBody()
			for i, l := range strings.Split(all, "\n") {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("line %d is %d cells wide in %d: %q", i+1, lw, w, l)
				}
			}
			for _, want := range []string{
				"Solution circle: Damp and mould in flats", "Shared by Ana with 4 others · 4 ideas",
				"“Tenants report damp", "? How many flats are affected? (Ben)", "Ana: About 40",
				"★ Photograph the damp every week (Ben)", "· Ask the council for a survey (Cy)", "· Lend out dehumidifiers (Dee)",
				"★ Keep a shared log of every repair asked for (Cy, in discussion)", "Passed: Fran",
				"What helped: That a written record gets things moving", "First step: Write to the council (by Wed 9 Dec 2026)",
				"Open space", "Christmas social: Who organises it? (Cy, +2, discussed)", "Ben will ask the hall", "New starters (Ben, +1)",
				"[open] Photograph the damp every week · Ben", "[done] Write to the council · Ana", "from Ana's first step in the solution circle", "Letter sent on the 3rd",
				"[open] Christmas social · Cy",
			} {
				if !strings.Contains(strings.Join(strings.Fields(all), " "), strings.Join(strings.Fields(want), " ")) {
					t.Errorf("the past meetup lacks %q:\n%s", want, all)
				}
			}
			if size.w == 80 {
				golden.RequireEqual(t, all+"\n")
			}
			// Scrolling reaches the actions, and the screen still fits.
			end := historyKey(t, fac, "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
			wantScreen(t, end, "detail scrolled", "Actions")
			// The write-up scrolls too and holds every idea.
			wu := historyKey(t, fac, "w")
			wantScreen(t, wu, "write-up", "Write-up: Housing officers, November")
			if c := ansi.Strip(wu.lobby.hist.pager.GetContent()); !strings.Contains(c, "Lend out dehumidifiers (Dee)") {
				t.Errorf("the write-up lacks an idea that was not useful:\n%s", c)
			}
		})
	}
}

// TestCommandLines: a command too wide is broken with backslashes, never
// cut, so that it runs when copied.
func TestCommandLines(t *testing.T) {
	cmd := "ssh -p 2222 localhost export K7P-M4Q --format csv --table actions > actions.csv"
	if got := commandLines(cmd, 80); len(got) != 1 || got[0] != cmd {
		t.Fatalf("a command that fits = %q", got)
	}
	got := commandLines(cmd, 40)
	for _, l := range got {
		if cellWidth(l) > 40 {
			t.Errorf("line %q is wider than 40", l)
		}
	}
	joined := strings.Join(got, "\n")
	if strings.Join(strings.Fields(strings.ReplaceAll(joined, "\\\n", " ")), " ") != cmd || len(got) < 2 {
		t.Fatalf("broken command = %q; want it whole, joined by backslashes", got)
	}
}
