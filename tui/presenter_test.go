package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
	"github.com/convene/convene/session/vote"
)

// presenterAgenda has one item of every kind the presenter screen
// presents itself, with the kinds' own titles and notes.
func presenterAgenda() []session.Activity {
	var out []session.Activity
	for _, k := range []session.Kind{session.KindWelcome, session.KindTalk, session.KindNetworking, session.KindTopics, session.KindBreak, session.KindClose} {
		a, err := session.NewActivity(k)
		if err != nil {
			panic(err)
		}
		out = append(out, a)
	}
	return out
}

// presenterOn opens a presenter screen on r, w x h, as the server does.
func presenterOn(t *testing.T, hub *session.Hub, r *session.Room, w, h int) presenterModel {
	t.Helper()
	sub, err := r.Watch()
	if err != nil {
		t.Fatal(err)
	}
	c := newConn()
	if !c.adopt(sub) {
		t.Fatal("a new connection refused its subscription")
	}
	t.Cleanup(c.close)
	return sizedP(newPresenter(hub, sub, c), w, h)
}

func sizedP(p presenterModel, w, h int) presenterModel {
	next, _ := p.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(presenterModel)
}

// freshP is the presenter once it has taken in the room's newest state.
func freshP(p presenterModel) presenterModel {
	next, _ := p.Update(roomChangedMsg{})
	return next.(presenterModel)
}

// checkPresenter fails unless the presenter's screen, before it is
// fitted to the window, fits it, and shows every one of wants.
func checkPresenter(t *testing.T, p presenterModel, what string, wants ...string) {
	t.Helper()
	body := p.body()
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) > p.height {
		t.Errorf("%s: %d lines on a %d-line screen:\n%s", what, len(lines), p.height, ansi.Strip(body))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > p.width {
			t.Errorf("%s: line %d is %d cells wide on a %d-cell screen:\n%s", what, i+1, w, p.width, ansi.Strip(l))
		}
	}
	view := plain(p.View())
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Errorf("%s: the screen lacks %q:\n%s", what, w, view)
		}
	}
}

func TestPresenterGolden(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, presenterAgenda)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	do := func(id session.PersonID, cmd session.Command) {
		t.Helper()
		if err := r.Do(ctx, id, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Kind(), err)
		}
	}
	people := []string{"Fran", "Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus"}
	ids := make([]session.PersonID, len(people))
	for i, name := range people {
		ids[i] = session.PersonID("SHA256:" + strings.ToLower(name))
		if i == 0 {
			ids[i] = hostID
		}
		sub, err := r.Enter(ctx, ids[i], name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sub.Close)
	}
	p := presenterOn(t, hub, r, 80, 24)
	shot := func(name string, wants ...string) {
		t.Helper()
		p = freshP(p)
		for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size.w, size.h), func(t *testing.T) {
				q := sizedP(p, size.w, size.h)
				checkPresenter(t, q, name, wants...)
				golden.RequireEqual(t, plain(q.View()))
			})
		}
	}

	shot("welcome", "Here now · 8", "Gus", "the timer has not started")
	do(hostID, session.GoTo{Index: 1})
	do(hostID, session.StartTimer{})
	clock.Advance(90 * time.Second)
	do(hostID, session.Announce{Text: "Slides are in the chat"})
	shot("talk", "Slides are in the chat", "left")

	do(hostID, session.Announce{Text: ""})
	do(hostID, session.GoTo{Index: 2})
	do(hostID, session.StartTimer{}) // draws round 1
	clock.Advance(2 * time.Minute)
	shot("networking", "Round 1 of 2", "Group 1", "Group 2")

	do(hostID, session.GoTo{Index: 3})
	for i, text := range []string{"Damp and mould in older flats", "Getting tenants to answer surveys", "Repairs that take too long"} {
		do(ids[i+1], session.SuggestTopic{Text: text})
	}
	shot("topics_suggesting", "3 topics so far", "3. Repairs that take too long")
	do(hostID, session.StartVoting{})
	do(ids[1], session.CastBallot{Ballot: vote.Ballot{"t1", "t1", "t3"}})
	do(ids[2], session.CastBallot{Ballot: vote.Ballot{"t1", "t2", "t2"}})
	shot("topics_voting", "Voted: 2 of 8 here", "shown when voting closes")
	do(hostID, session.CloseVoting{})
	shot("topics_results", "Chosen for the solution circle", "★ Damp")

	do(hostID, session.GoTo{Index: 4})
	do(hostID, session.StartTimer{})
	clock.Advance(time.Hour)
	shot("break_time_up", "TIME'S UP")
}

// TestPresenterShowsNothingPrivate: the presenter sees what participants
// see, never more: no one's ballot, no tallies while they are hidden, no
// authors unless shown, no "you".
func TestPresenterShowsNothingPrivate(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, presenterAgenda)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	for id, name := range map[session.PersonID]string{hostID: "Fran", anaID: "Ana"} {
		sub, err := r.Enter(ctx, id, name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sub.Close)
	}
	do := func(id session.PersonID, cmd session.Command) {
		t.Helper()
		if err := r.Do(ctx, id, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Kind(), err)
		}
	}
	do(hostID, session.GoTo{Index: 3})
	do(anaID, session.SuggestTopic{Text: "Damp and mould"})
	do(hostID, session.SuggestTopic{Text: "Surveys"})
	p := presenterOn(t, hub, r, 120, 40)
	p = freshP(p)
	checkPresenter(t, p, "suggesting", "Damp and mould")
	if s := plain(p.View()); strings.Contains(s, "Ana") || strings.Contains(s, "Fran") || strings.Contains(s, "yours") {
		t.Errorf("the presenter shows who suggested what:\n%s", s)
	}
	do(hostID, session.StartVoting{})
	do(anaID, session.CastBallot{Ballot: vote.Ballot{"t1", "t1", "t2"}})
	p = freshP(p)
	checkPresenter(t, p, "voting", "Voted: 1 of 2 here")
	if s := plain(p.View()); strings.Contains(s, "█ 2") || strings.Contains(s, "Ana") {
		t.Errorf("the presenter shows tallies or voters while results are hidden:\n%s", s)
	}
	do(hostID, session.ShowLiveResults{Show: true})
	p = freshP(p)
	checkPresenter(t, p, "live results", "2")
	if s := plain(p.View()); !strings.Contains(s, "█") || strings.Contains(s, "shown when voting closes") {
		t.Errorf("the presenter hides live results the facilitator turned on:\n%s", s)
	}
}

// TestPresenterKeysDoNothing: no key on the presenter screen sends
// anything to the meetup; q leaves, c changes only the layout.
func TestPresenterKeysDoNothing(t *testing.T) {
	hub := testHub(t)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	p := freshP(presenterOn(t, hub, r, 80, 24))
	before := r.State()
	keys := []string{"enter", "esc", "up", "down", "left", "right", "backspace", "tab", "space"}
	for c := ' ' + 1; c < 127; c++ {
		keys = append(keys, string(c))
	}
	for _, k := range keys {
		next, cmd := p.Update(pressKey(k))
		switch k {
		case "q", "esc":
			if cmd == nil {
				t.Errorf("%s does not leave the presenter screen", k)
			} else if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("%s on the presenter: a command that does not quit", k)
			}
			continue
		case "c":
			if next.(presenterModel).compact == p.compact {
				t.Errorf("c does not change the layout")
			}
		}
		if cmd != nil {
			t.Errorf("%s on the presenter started a command", k)
		}
		p = next.(presenterModel)
	}
	if got := r.State(); got != before {
		t.Fatalf("keys on the presenter changed the meetup: version %d, then %d", before.Version, got.Version)
	}
	if !strings.Contains(p.conn.Farewell(), "presenter screen") {
		t.Errorf("leaving says %q; want it to name the presenter screen", p.conn.Farewell())
	}
}

// TestPresenterFits draws the presenter screen for every kind, with long
// names and texts, many groups and many topics, in both layouts and at
// several sizes, and checks each before it is fitted to the window.
func TestPresenterFits(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}, {minWidth, minHeight}, {100, 20}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			fw := newFitWorld(t, size.w, size.h)
			r := fw.room
			ctx := context.Background()
			ids := []session.PersonID{hostID}
			if _, err := r.Enter(ctx, hostID, facName); err != nil {
				t.Fatal(err)
			}
			for i := range 34 {
				id := session.PersonID(fmt.Sprintf("SHA256:p%d", i))
				name := long(fmt.Sprintf("Participant number %d with a long name", i+1), session.MaxNameLen)
				if i == 3 {
					name = anaName
				}
				sub, err := r.Enter(ctx, id, name)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(sub.Close)
				ids = append(ids, id)
			}
			p := presenterOn(t, fw.hub, r, size.w, size.h)
			both := func(what string, wants ...string) {
				t.Helper()
				if size.h < 24 {
					wants = nil // the smallest windows are checked for fitting only
				}
				p = freshP(p)
				checkPresenter(t, p, what, wants...)
				c := p
				c.compact = true
				checkPresenter(t, c, what+", compact", wants...)
			}
			both("welcome", "Here now", "Participant number 3")
			fw.do(hostID, session.Announce{Text: long("Please keep your microphones muted while others are speaking, thank you all", session.MaxNoticeLen)})
			fw.do(hostID, session.StartTimer{})
			both("welcome, announcement, running", "» ")
			fw.do(hostID, session.Announce{Text: ""})
			fw.do(hostID, session.GoTo{Index: 1})
			both("talk")
			fw.do(hostID, session.GoTo{Index: 2})
			both("networking before the draw", "appear here")
			fw.do(hostID, session.StartTimer{})
			fw.clock.Advance(time.Hour)
			both("networking, time up", "Round 1 of 2", "TIME'S UP")
			fw.do(hostID, session.GoTo{Index: 3})
			for i := range session.MaxTopics {
				fw.do(ids[1+i%30], session.SuggestTopic{Text: long(fmt.Sprintf("Topic %d about something the group could work on", i+1), session.MaxTopicLen)})
			}
			both("topics suggested", "60 topics so far")
			fw.do(hostID, session.StartVoting{})
			fw.do(ids[1], session.CastBallot{Ballot: vote.Ballot{"t1", "t1", "t3"}})
			both("voting", "Voted: 1 of")
			fw.do(hostID, session.ShowLiveResults{Show: true})
			both("voting, live results", "Voted: 1 of")
			fw.do(hostID, session.CloseVoting{})
			both("results", "Results")
			for i := 4; i < len(r.State().Agenda); i++ {
				fw.do(hostID, session.GoTo{Index: i})
				both(fmt.Sprintf("item %d", i+1))
			}
			fw.do(hostID, session.End{})
			both("ended", "This meetup has ended", "Outcomes")
		})
	}
}

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		code    string
		present bool
	}{
		{nil, "", false},
		{[]string{"k7p-m4q"}, "K7PM4Q", false},
		{[]string{"K7P", "M4Q"}, "K7PM4Q", false},
		{[]string{"present", "k7p-m4q"}, "K7PM4Q", true},
		{[]string{"Present", "K7P", "M4Q"}, "K7PM4Q", true},
		{[]string{"K7PM4Q", "--present"}, "K7PM4Q", true},
		{[]string{"present"}, "", true},
		// Only the first word can be "present": elsewhere it is typed code.
		{[]string{"K7P", "present"}, "K7PPRESENT", false},
	} {
		code, present := parseCommand(tc.args)
		if code != tc.code || present != tc.present {
			t.Errorf("parseCommand(%q) = %q, %v; want %q, %v", tc.args, code, present, tc.code, tc.present)
		}
	}
}
