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

// historyWorld is a server with two past meetups: one in a series that
// Ana came to, with actions, and one she did not come to.
func historyWorld(t *testing.T) (*session.Hub, *session.Room) {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, nil)
	ctx := context.Background()
	r, err := hub.CreateInSeries(ctx, hostID, "Housing officers, November", "", "Officers")
	if err != nil {
		t.Fatal(err)
	}
	var subs []*session.Subscription
	for id, name := range map[session.PersonID]string{hostID: "Fran", anaID: "Ana"} {
		sub, err := r.Enter(ctx, id, name)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	for _, cmd := range []session.Command{
		session.AddAction{Text: "Write to the council about damp", Owner: anaID, Due: "2026-12-09"},
		session.AddAction{Text: "Book the hall for January", Owner: hostID},
		session.End{},
	} {
		if err := r.Do(ctx, hostID, cmd); err != nil {
			t.Fatal(err)
		}
	}
	for _, sub := range subs {
		sub.Close()
	}
	clock.Advance(24 * time.Hour)
	if _, err := hub.Create(ctx, hostID, "Tenants' forum", ""); err != nil {
		t.Fatal(err)
	}
	return hub, r
}

// key presses k and runs the command it starts when it is one of the
// history's own (reading the archive, saving a change), as the program
// would.
func historyKey(t *testing.T, m model, keys ...string) model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(pressKey(k))
		m = next.(model)
		for cmd != nil {
			msg := cmd()
			switch msg.(type) {
			case archiveMsg, actionStatusMsg:
				next, cmd = m.Update(msg)
				m = next.(model)
			default:
				cmd = nil
			}
		}
	}
	return m
}

func typeKeys(t *testing.T, m model, text string) model {
	t.Helper()
	for _, r := range text {
		next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = next.(model)
	}
	return m
}

func lobbyModel(t *testing.T, hub *session.Hub, id session.PersonID, name string, w, h int) model {
	t.Helper()
	if err := hub.SavePerson(session.Person{ID: id, Name: name}); err != nil {
		t.Fatal(err)
	}
	c := newConn()
	t.Cleanup(c.close)
	return sized(newModel(hub, Identity{ID: id}, "", c), w, h)
}

func screenOf(m model) string { return plain(m.View()) }

func wantScreen(t *testing.T, m model, what string, wants ...string) {
	t.Helper()
	checkFits(t, m, what)
	s := screenOf(m)
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s: the screen lacks %q:\n%s", what, w, s)
		}
	}
}

func TestHistoryScreen(t *testing.T) {
	hub, r := historyWorld(t)
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			// Facilitators see every meetup, newest first; / filters.
			fac := historyKey(t, lobbyModel(t, hub, hostID, "Fran", size.w, size.h), "h")
			wantScreen(t, fac, "history", "Every meetup on this server", "Tenants' forum", "Housing officers, November  [Officers]",
				"2 people · 0 ideas · 2 actions (2 open)")
			if size.w == 80 {
				golden.RequireEqual(t, screenOf(fac))
			}
			filtered := typeKeys(t, historyKey(t, fac, "/"), "officers")
			wantScreen(t, filtered, "history filtered", "Filter", "Housing officers, November")
			if s := screenOf(filtered); strings.Contains(s, "Tenants' forum") {
				t.Errorf("the filter let through the forum:\n%s", s)
			}

			// Enter opens every outcome; e shows the export command, w the write-up.
			detail := historyKey(t, filtered, "enter", "enter")
			wantScreen(t, detail, "history detail", "Housing officers, November", "Actions", "1. [open] Write to the council about damp",
				"s follow up")
			export := historyKey(t, detail, "e")
			wantScreen(t, export, "export hint", "ssh -p 2222 localhost export COD-E00 --format md > meetup.md")
			writeUp := historyKey(t, export, "esc", "w")
			wantScreen(t, writeUp, "write-up", "Write-up: Housing officers, November", "# Housing officers, November")
			scrolled := historyKey(t, writeUp, "pgdown", "pgdown")
			if size.h == 24 && screenOf(scrolled) == screenOf(writeUp) {
				t.Errorf("pgdown did not scroll the write-up")
			}

			// You said, we did: a facilitator marks an action done with a note.
			if size.w != 80 {
				return
			}
			follow := historyKey(t, historyKey(t, writeUp, "esc"), "s")
			wantScreen(t, follow, "follow up", "Follow up", "▶ 1. [open] Write to the council")
			note := typeKeys(t, historyKey(t, follow, "d"), "Letter sent on the 3rd")
			wantScreen(t, note, "follow-up note", "Mark it done. What was done?")
			saved := historyKey(t, note, "enter")
			wantScreen(t, saved, "follow-up saved", "1. [done] Write to the council", "Letter sent on the 3rd", "Saved.")
			ms, err := hub.Archive(hostID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if a, ok := m.Action(1); ok && m.Code == r.State().Code && (a.Status != session.ActionDone || a.Note != "Letter sent on the 3rd") {
					t.Fatalf("action 1 = %+v after the follow-up", a)
				}
			}
			if n := hub.Loaded(); n != 1 {
				t.Errorf("%d rooms loaded after the follow-up; want the past meetup let go again", n)
			}
		})
	}

	// Participants see the meetups they came to, and cannot follow up.
	ana := historyKey(t, lobbyModel(t, hub, anaID, "Ana", 80, 24), "tab")
	wantScreen(t, ana, "participant history", "Meetups you came to", "Housing officers, November")
	if s := screenOf(ana); strings.Contains(s, "Tenants' forum") {
		t.Errorf("a participant sees a meetup they did not come to:\n%s", s)
	}
	detail := historyKey(t, ana, "enter")
	if s := screenOf(detail); strings.Contains(s, "follow up") {
		t.Errorf("a participant is offered the follow-up:\n%s", s)
	}
	wantScreen(t, historyKey(t, detail, "s"), "participant s", "Housing officers, November")
	wantScreen(t, historyKey(t, detail, "e"), "participant export", "Only the facilitator or a co-facilitator of a meetup can export it")
	back := historyKey(t, ana, "esc")
	wantScreen(t, back, "participant back", "Join a meetup")
}

// TestNewMeetupInSeries: the lobby puts a new meetup in a series picked
// from the ones the server has.
func TestNewMeetupInSeries(t *testing.T) {
	hub, _ := historyWorld(t)
	m := lobbyModel(t, hub, hostID, "Fran", 80, 24)
	m = press(m, "c")
	m.lobby.title.edit().SetValue("Housing officers, December")
	next, cmd := m.Update(pressKey("enter"))
	next, _ = next.(model).Update(cmd())
	m = press(next.(model), "s", "down")
	wantScreen(t, m, "series", "Series of Housing officers, December", "Series so far: Officers")
	m = press(m, "enter")
	wantScreen(t, m, "series chosen", "Series: Officers")
	next, cmd = m.Update(pressKey("enter"))
	created := cmd().(createdMsg)
	if created.err != nil {
		t.Fatal(created.err)
	}
	if s := created.room.State().Series; s != "Officers" {
		t.Fatalf("the new meetup's series = %q", s)
	}
	_ = next
}

// TestWelcomeCarriesOpenActions: the Welcome of the next meetup in the
// series shows the actions still open from the earlier one.
func TestWelcomeCarriesOpenActions(t *testing.T) {
	hub, _ := historyWorld(t)
	next, err := hub.CreateInSeries(context.Background(), hostID, "Housing officers, December", "", "officers")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		ana := inRoom(t, hub, next, anaID, "Ana", size.w, size.h)
		wantScreen(t, fresh(ana), "welcome", "Still open from earlier meetups of officers (2)", "Write to the council about damp — Ana",
			"from Housing officers, November")
	}
}
