package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
)

// benchRoom is a meetup of n participants and its host on the voting
// screen, each with the model their SSH connection would have, at w x h.
func benchRoom(b *testing.B, n, w, h int) (*session.Room, []model) {
	return benchRoomOn(b, "voting", n, w, h)
}

// benchRoomOn is benchRoom on a screen: "voting", or "circles": the
// solution circle running in as many circles as may run at once (8), in
// the ideas phase, where each person's panel names them ("you") and is
// drawn for them alone.
func benchRoomOn(b *testing.B, screen string, n, w, h int) (*session.Room, []model) {
	b.Helper()
	db, err := store.Open(filepath.Join(b.TempDir(), "convene.db"))
	if err != nil {
		b.Fatal(err)
	}
	hub, err := session.NewHub(session.HubConfig{Store: db, Facilitator: func(id session.PersonID) bool { return id == hostID }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { hub.Close(); db.Close() })
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Scale", "")
	if err != nil {
		b.Fatal(err)
	}
	enter := func(id session.PersonID, name string) model {
		m := newModel(hub, Identity{ID: id, User: name}, "", newConn())
		next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		sub, err := r.Enter(ctx, id, name)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(sub.Close)
		next, _ = next.(model).startRoom(sub)
		return next.(model)
	}
	models := []model{enter(hostID, "Host")}
	do := func(cmd session.Command) {
		if err := r.Do(ctx, hostID, cmd); err != nil {
			b.Fatal(err)
		}
	}
	goTo := func(k session.Kind) {
		for i, a := range r.State().Agenda {
			if a.Kind == k {
				do(session.GoTo{Index: i})
				return
			}
		}
		b.Fatalf("no %s in the agenda", k)
	}
	id := func(i int) session.PersonID { return session.PersonID(fmt.Sprintf("SHA256:p%03d", i)) }
	switch screen {
	case "voting":
		goTo(session.KindTopics)
		for _, t := range []string{"Onboarding", "Flaky tests", "Remote pairing", "Release notes", "On-call"} {
			do(session.SuggestTopic{Text: t})
		}
		do(session.StartVoting{})
	case "circles":
		goTo(session.KindCircle)
	}
	for i := range n {
		models = append(models, enter(id(i), fmt.Sprintf("Person %d", i)))
	}
	if screen == "circles" {
		cs, _ := r.State().Activity().State.(*session.Circle)
		su := cs.Setup()
		su.Circles = nil
		for k := range 8 {
			su.Circles = append(su.Circles, session.CirclePlan{Sharer: id(k * n / 8), Title: fmt.Sprintf("Challenge %d", k+1)})
		}
		do(su)
		for range 3 { // start; questions; ideas in turn
			do(session.CircleNext{})
		}
	}
	return r, models
}

// BenchmarkChangeTo300Screens is the tui's whole share of one change in a
// room of 300 on the voting screen: every screen takes the new state
// (Update) and draws itself (View), as each program does when the room
// wakes it. Cached draws the shared parts once (render_cache.go).
func BenchmarkChangeTo300Screens(b *testing.B) {
	for _, c := range []struct {
		screen string
		cached bool
	}{{"voting", true}, {"voting", false}, {"circles", true}, {"circles", false}} {
		cached := c.cached
		name := "cached"
		if !cached {
			name = "uncached"
		}
		if c.screen != "voting" {
			name = c.screen + "/" + name
		}
		b.Run(name, func(b *testing.B) {
			r, models := benchRoomOn(b, c.screen, 300, 80, 24)
			cacheRenders = cached
			defer func() { cacheRenders = true }()
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				if err := r.Do(ctx, hostID, session.Announce{Text: fmt.Sprintf("ping %d", i)}); err != nil {
					b.Fatal(err)
				}
				for k, m := range models {
					next, _ := m.Update(roomChangedMsg{})
					models[k] = next.(model)
					_ = models[k].View()
				}
			}
		})
	}
}

// BenchmarkViewRoom is one screen drawing itself with nothing changed
// (the screens around it drew the same already).
func BenchmarkViewRoom(b *testing.B) {
	for _, cached := range []bool{true, false} {
		name := "cached"
		if !cached {
			name = "uncached"
		}
		b.Run(name, func(b *testing.B) {
			_, models := benchRoom(b, 30, 80, 24)
			cacheRenders = cached
			defer func() { cacheRenders = true }()
			m := models[len(models)-1]
			b.ResetTimer()
			for range b.N {
				_ = m.View()
			}
		})
	}
}
