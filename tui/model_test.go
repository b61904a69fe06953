package tui

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
)

const (
	hostID session.PersonID = "SHA256:host"
	anaID  session.PersonID = "SHA256:ana"
)

func testHub(t *testing.T) *session.Hub { return hubWith(t, nil, nil) }

// hubWith is a hub on a fresh database whose only facilitator is hostID,
// with the given clock (nil: the real one) and built-in agenda (nil: the
// default).
func hubWith(t *testing.T, clock session.Clock, agenda func() []session.Activity) *session.Hub {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "convene.db"))
	if err != nil {
		t.Fatal(err)
	}
	hub, err := session.NewHub(session.HubConfig{
		Store: db, Clock: clock, Agenda: agenda,
		Facilitator: func(id session.PersonID) bool { return id == hostID },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close(); db.Close() })
	return hub
}

// fillAgenda adds talks to the room's agenda until it is full.
func fillAgenda(t *testing.T, r *session.Room) {
	t.Helper()
	for len(r.State().Agenda) < session.MaxAgendaItems {
		n := len(r.State().Agenda)
		if err := r.Do(context.Background(), hostID, session.AddActivity{At: n, Of: session.KindTalk, Title: fmt.Sprintf("Talk number %d", n+1)}); err != nil {
			t.Fatal(err)
		}
	}
}

var codeInView = regexp.MustCompile(`[A-Z2-9]{3}-[A-Z2-9]{3}`)

// plain is what a screen shows, without styling, with the random join code
// masked so goldens are stable.
func plain(v tea.View) string {
	s := ansi.Strip(v.Content)
	s = codeInView.ReplaceAllString(s, "COD-E00")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// checkFits fails unless the screen as drawn, before it is fitted to the
// window, fits the window: no line wider, no more lines. (The view itself
// is always cut to fit, so checking it could not fail.)
func checkFits(t *testing.T, m model, what string) {
	t.Helper()
	body := m.body()
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) > m.height {
		t.Errorf("%s: %d lines on a %d-line screen:\n%s", what, len(lines), m.height, ansi.Strip(body))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			t.Errorf("%s: line %d is %d cells wide on a %d-cell screen:\n%s", what, i+1, w, m.width, ansi.Strip(l))
		}
	}
}

// update is m.Update(msg) followed by a draw, as the program draws after
// every update: a screen may keep what it drew by (the close screen
// scrolls no further than it last showed).
func update(m model, msg tea.Msg) (model, tea.Cmd) {
	next, cmd := m.Update(msg)
	m = next.(model)
	m.View()
	return m, cmd
}

// fresh is the model once it has taken in the room's newest state, as
// it does when the room wakes it.
func fresh(m model) model {
	m, _ = update(m, roomChangedMsg{})
	return m
}

func sized(m model, w, h int) model {
	m, _ = update(m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// inRoom returns a model that has entered the room, as the server would
// after the person joined by code.
func inRoom(t *testing.T, hub *session.Hub, r *session.Room, id session.PersonID, name string, w, h int) model {
	t.Helper()
	if _, _, err := hub.Person(id); err != nil {
		t.Fatal(err)
	}
	if err := hub.SavePerson(session.Person{ID: id, Name: name}); err != nil {
		t.Fatal(err)
	}
	m := sized(newModel(hub, Identity{ID: id, User: name}, "", newConn()), w, h)
	sub, err := r.Enter(context.Background(), id, name)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := m.startRoom(sub)
	t.Cleanup(sub.Close)
	return next.(model)
}

func TestScreensGolden(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	fac := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	ana := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	fac, ana = fresh(fac), fresh(ana)
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		t.Run("name"+suffix, func(t *testing.T) {
			m := sized(newModel(hub, Identity{ID: "guest:3f9a1c2b7d4e", User: "gus", Keyless: true, Token: "3f9a1c2b7d4e"}, "", newConn()), size.w, size.h)
			golden.RequireEqual(t, plain(m.View()))
		})
		t.Run("facilitator_room"+suffix, func(t *testing.T) {
			golden.RequireEqual(t, plain(sized(fac, size.w, size.h).View()))
		})
		t.Run("participant_room"+suffix, func(t *testing.T) {
			golden.RequireEqual(t, plain(sized(ana, size.w, size.h).View()))
		})
	}
	t.Run("too_small", func(t *testing.T) {
		m := sized(newModel(hub, Identity{ID: anaID}, "", newConn()), 30, 8)
		if !strings.Contains(plain(m.View()), "bigger") {
			t.Fatalf("tiny window view:\n%s", plain(m.View()))
		}
	})
}

// TestParticipantKeysRefused drives the model through teatest: the
// facilitator's keys from a participant are refused by session and the
// person is told so.
func TestParticipantKeysRefused(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Keys", "")
	if err != nil {
		t.Fatal(err)
	}
	m := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	tm.Send(tea.KeyPressMsg{Code: 'n', Text: "n"})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("Only a facilitator can do that"))
	}, teatest.WithDuration(5*time.Second))
	if got := r.State().Current; got != 0 {
		t.Fatalf("a participant's n moved the meetup to %d", got)
	}
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// TestNameFormRejectsBadInput keeps what was typed and says why.
func TestNameFormRejectsBadInput(t *testing.T) {
	hub := testHub(t)
	m := sized(newModel(hub, Identity{ID: anaID, User: ""}, "", newConn()), 80, 24)
	next, _ := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = next.(model)
	if !strings.Contains(plain(m.View()), "empty") {
		t.Fatalf("empty name not refused:\n%s", plain(m.View()))
	}
	m.nameForm.edit().SetValue(strings.Repeat("x", 40))
	next, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = next.(model)
	if cmd == nil {
		t.Fatalf("a valid name was not saved")
	}
	next, _ = m.Update(cmd())
	m = next.(model)
	if m.screen != screenLobby || m.name != strings.Repeat("x", 40) {
		t.Fatalf("after saving: screen %d, name %q", m.screen, m.name)
	}
	if p, ok, _ := hub.Person(anaID); !ok || p.Name != m.name {
		t.Fatalf("name not remembered: %+v %v", p, ok)
	}
}

func TestLimiterAllowsBurstsThenARate(t *testing.T) {
	l := &limiter{}
	now := time.Now()
	for i := range commandBurst {
		if !l.allow(now) {
			t.Fatalf("command %d of a burst refused", i+1)
		}
	}
	if l.allow(now) {
		t.Fatalf("command past the burst allowed")
	}
	if !l.allow(now.Add(time.Second / commandRate)) {
		t.Fatalf("command after a pause refused")
	}
	// Held down, a key gets commandRate commands a second, no more.
	later, allowed := now.Add(time.Second/commandRate), 0
	for range 10 * commandRate {
		later = later.Add(time.Second / (10 * commandRate))
		if l.allow(later) {
			allowed++
		}
	}
	if allowed != commandRate {
		t.Fatalf("%d commands allowed in a second after the burst; want %d", allowed, commandRate)
	}
	var none *limiter
	if !none.allow(now) {
		t.Fatalf("a screen without a limiter refused a command")
	}
}

func TestRenameInTheRoom(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Names", "")
	if err != nil {
		t.Fatal(err)
	}
	m := inRoom(t, hub, r, anaID, "root", 80, 24)
	next, _ := m.Update(tea.KeyPressMsg{Code: 'N', Text: "N"})
	m = next.(model)
	if !strings.Contains(plain(m.View()), "Your name:") {
		t.Fatalf("rename form not shown:\n%s", plain(m.View()))
	}
	m.room.form.form.edit().SetValue("Ana 日本")
	next, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = next.(model)
	if cmd == nil {
		t.Fatal("no rename command")
	}
	next, _ = m.Update(cmd())
	m = next.(model)
	if mem, _ := r.State().Member(anaID); mem.Name != "Ana 日本" {
		t.Fatalf("name in meetup = %q", mem.Name)
	}
	if p, _, _ := hub.Person(anaID); p.Name != "Ana 日本" {
		t.Fatalf("remembered name = %q", p.Name)
	}
	if !strings.Contains(plain(m.View()), "Your name is now Ana 日本.") {
		t.Fatalf("no confirmation:\n%s", plain(m.View()))
	}
}

func TestCloseShowsOutcomes(t *testing.T) {
	hub := testHub(t)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Outcomes", "")
	if err != nil {
		t.Fatal(err)
	}
	fac := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	inRoom(t, hub, r, anaID, "Ana", 80, 24)
	topicsAt := -1
	for i, a := range r.State().Agenda {
		if a.Kind == session.KindTopics {
			topicsAt = i
		}
	}
	steps := []struct {
		who session.PersonID
		cmd session.Command
	}{
		{hostID, session.GoTo{Index: topicsAt}},
		{anaID, session.SuggestTopic{Text: "Damp and mould"}},
		{hostID, session.StartVoting{}},
		{anaID, session.CastBallot{Ballot: []string{"t1"}}},
		{hostID, session.CloseVoting{}},
		{hostID, session.GoTo{Index: len(r.State().Agenda) - 1}},
	}
	for _, st := range steps {
		if err := r.Do(ctx, st.who, st.cmd); err != nil {
			t.Fatalf("%s: %v", st.cmd.Kind(), err)
		}
	}
	view := plain(fresh(fac).View())
	for _, want := range []string{"Outcomes", "Chosen topic: Damp and mould", "1 topic suggested"} {
		if !strings.Contains(view, want) {
			t.Fatalf("close screen lacks %q:\n%s", want, view)
		}
	}
}

func TestNetworkingLeaverShownGone(t *testing.T) {
	hub := testHub(t)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Leavers", "")
	if err != nil {
		t.Fatal(err)
	}
	fac := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	sub, err := r.Enter(ctx, anaID, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Do(ctx, hostID, session.Next{}); err != nil {
		t.Fatal(err)
	}
	if err := r.Do(ctx, hostID, session.DrawRound{}); err != nil {
		t.Fatal(err)
	}
	sub.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if mem, _ := r.State().Member(anaID); !mem.Present {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Ana still present after leaving")
		}
		time.Sleep(time.Millisecond)
	}
	if view := plain(fresh(fac).View()); !strings.Contains(view, "Ana (gone)") {
		t.Fatalf("the facilitator's groups do not show Ana gone:\n%s", view)
	}
}

// TestOwnConfirmationSurvivesItsChange: a facilitator's confirmation is
// not cleared by the very change it confirms arriving afterwards.
func TestOwnConfirmationSurvivesItsChange(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Status", "")
	if err != nil {
		t.Fatal(err)
	}
	m := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	inRoom(t, hub, r, anaID, "Ana", 80, 24)
	next, cmd := m.Update(tea.KeyPressMsg{Code: 'n', Text: "n"})
	m = next.(model)
	next, _ = m.Update(cmd()) // the answer first
	m = next.(model)
	next, _ = m.Update(roomChangedMsg{}) // then the change itself
	m = next.(model)
	if !strings.Contains(plain(m.View()), "Moved to the next activity.") {
		t.Fatalf("confirmation lost:\n%s", plain(m.View()))
	}
}
