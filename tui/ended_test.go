package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
)

// TestEndedMeetupShowsEveryOutcome: once a meetup has ended, everyone
// still in it sees every outcome the close showed (open-space items,
// actions), scrolling with the arrows when they do not fit at 80x24.
func TestEndedMeetupShowsEveryOutcome(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, func() []session.Activity {
		os, _ := session.NewActivity(session.KindOpenSpace)
		cl, _ := session.NewActivity(session.KindClose)
		return []session.Activity{os, cl}
	})
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	ana := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	_ = inRoom(t, hub, r, hostID, "Fran", 80, 24)
	for i := range 4 {
		for _, id := range []session.PersonID{hostID, anaID} {
			if err := r.Do(ctx, id, session.PostOpenItem{Text: fmt.Sprintf("Item %d from %s", i, id)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, cmd := range []session.Command{
		session.AddAction{Text: "Write to the council", Owner: anaID},
		session.End{},
	} {
		if err := r.Do(ctx, hostID, cmd); err != nil {
			t.Fatal(err)
		}
	}
	v := plain(fresh(ana).View())
	if !strings.Contains(v, "This meetup has ended") || !strings.Contains(v, "more lines") || strings.Contains(v, "Write to the council") {
		t.Fatalf("the ended meetup at 80x24 does not start at the top with more below:\n%s", v)
	}
	ana = fresh(ana)
	for range 40 {
		ana = runCmds(t, ana, keyMsg("down"))
	}
	v = plain(fresh(ana).View())
	if !strings.Contains(v, "Write to the council") || !strings.Contains(v, "above") {
		t.Fatalf("scrolled down, the ended meetup does not show its actions:\n%s", v)
	}
	checkFits(t, fresh(ana), "ended, scrolled")
}

// TestEndedMeetupExport: after the end, a facilitator still takes the
// results away from the room (e: the export command, w: the write-up);
// a participant's e is refused in words.
func TestEndedMeetupExport(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, func() []session.Activity {
		cl, _ := session.NewActivity(session.KindClose)
		return []session.Activity{cl}
	})
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	fran := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	ana := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	if err := r.Do(ctx, hostID, session.End{}); err != nil {
		t.Fatal(err)
	}
	fran = runCmds(t, fresh(fran), keyMsg("e"))
	if v := plain(fresh(fran).View()); !strings.Contains(v, "Export this meetup") || !strings.Contains(v, "export") {
		t.Fatalf("e after the end shows no export command:\n%s", v)
	}
	fran = runCmds(t, fresh(fran), keyMsg("w"))
	if v := plain(fresh(fran).View()); !strings.Contains(v, "Write-up") || !strings.Contains(v, "Housing officers") {
		t.Fatalf("w after the end shows no write-up:\n%s", v)
	}
	ana = runCmds(t, fresh(ana), keyMsg("e"))
	if v := plain(fresh(ana).View()); strings.Contains(v, "Export this meetup") || !strings.Contains(v, "Only a facilitator") {
		t.Fatalf("a participant's e after the end:\n%s", v)
	}
}
