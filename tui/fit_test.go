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

// long returns text of exactly n characters made of words from seed.
func long(seed string, n int) string {
	s := seed
	for session.Len(s) < n {
		s += " " + seed
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "z"
}

// Names as long as a name may be, one of them in wide characters.
var (
	facName = long("Maximiliana Featherstonehaugh-Cholmondeley", session.MaxNameLen)
	anaName = "Anastasia 長い名前の参加者さんです日本語テキストです"
	benName = long("Bartholomew Aloysius Wolfeschlegelstein", session.MaxNameLen)
)

// pressKey is the key press named k, as the terminal would deliver it.
func pressKey(k string) tea.Msg {
	switch k {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	return keyMsg(k)
}

// press gives keys to a screen that has taken in the room's newest state.
// The commands the keys start are not run: the room is changed directly.
func press(m model, keys ...string) model {
	for _, k := range keys {
		next, _ := fresh(m).Update(pressKey(k))
		m = next.(model)
	}
	return m
}

// fitAgenda has one item of every kind, with titles and notes as long as
// they may be.
func fitAgenda() []session.Activity {
	n := session.DefaultNetworking()
	n.MinSize, n.MaxSize = 2, 3
	n.Points = []string{long("What is one thing that went well for you this month at work", session.MaxPointLen), ""}
	item := func(k session.Kind, title string, d time.Duration, st session.State) session.Activity {
		return session.Activity{Kind: k, Title: long(title, session.MaxTitleLen), Duration: d,
			Note: long(title+" is what happens now, and everyone takes part in it", session.MaxNoteLen), State: st}
	}
	return []session.Activity{
		item(session.KindWelcome, "Welcome and introductions", 5*time.Minute, nil),
		item(session.KindTalk, "A talk about the new repairs service", 10*time.Minute, nil),
		item(session.KindNetworking, "Networking in small groups", 9*time.Minute, n),
		item(session.KindTopics, "Topics and voting for the circle", 10*time.Minute, session.NewVote()),
		item(session.KindCircle, "Solution circle on the chosen topic", 30*time.Minute, nil),
		item(session.KindOpenSpace, "Open space for anything else", 10*time.Minute, nil),
		item(session.KindBreak, "A short break to stretch", 10*time.Minute, nil),
		item(session.KindClose, "Close and outcomes", 5*time.Minute, nil),
	}
}

// fitWorld is a meetup of long names and long texts on a clock that
// stands still, for checking that every screen fits.
type fitWorld struct {
	t     *testing.T
	clock *clocktest.Clock
	hub   *session.Hub
	room  *session.Room
	w, h  int
}

func newFitWorld(t *testing.T, w, h int) *fitWorld {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, fitAgenda)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, long("The monthly online meetup of housing engagement officers", session.MaxTitleLen), "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := hub.Create(ctx, hostID, long(fmt.Sprintf("Another meetup number %d with a long title", i+2), session.MaxTitleLen), ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := hub.SaveTemplate(hostID, r, long("Monthly officers meetup with every kind", session.MaxTemplateNameLen)); err != nil {
		t.Fatal(err)
	}
	return &fitWorld{t: t, clock: clock, hub: hub, room: r, w: w, h: h}
}

func (fw *fitWorld) do(id session.PersonID, cmd session.Command) {
	fw.t.Helper()
	if err := fw.room.Do(context.Background(), id, cmd); err != nil {
		fw.t.Fatalf("%s by %s: %v", cmd.Kind(), id, err)
	}
}

// check fails unless m's screen, as drawn, fits the window and shows
// every one of wants (so that the screen checked is the one meant). It
// does what checkFits does, drawing the screen once (drawing is what
// takes the time under the race detector).
func (fw *fitWorld) check(m model, what string, wants ...string) model {
	fw.t.Helper()
	if m.screen == screenRoom {
		m = fresh(m)
	}
	body := m.body()
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) > m.height {
		fw.t.Errorf("%s: %d lines on a %d-line screen:\n%s", what, len(lines), m.height, ansi.Strip(body))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			fw.t.Errorf("%s: line %d is %d cells wide on a %d-cell screen:\n%s", what, i+1, w, m.width, ansi.Strip(l))
		}
	}
	view := plain(tea.NewView(fit(body, m.width, m.height)))
	for _, w := range wants {
		if !strings.Contains(view, w) {
			fw.t.Errorf("%s: the screen lacks %q:\n%s", what, w, view)
		}
	}
	return m
}

// TestEveryScreenFits draws every screen and mode, for a facilitator and
// a participant, with long names and texts, at three window sizes, and
// checks each before it is fitted to the window.
func TestEveryScreenFits(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			fw := newFitWorld(t, size.w, size.h)
			fw.outside()
			fw.inside()
		})
	}
}

// outside checks the name screen.
func (fw *fitWorld) outside() {
	t, hub, w, h := fw.t, fw.hub, fw.w, fw.h
	c := newConn()
	t.Cleanup(c.close)
	name := sized(newModel(hub, Identity{ID: "SHA256:newcomer", User: long("newcomer", 60)}, "", c), w, h)
	name = fw.check(name, "name", "call you")
	name.nameForm.edit().SetValue(long("a name far too long", 60))
	next, _ := name.Update(pressKey("enter"))
	fw.check(next.(model), "name too long", "too long")
}

// TestLobbyScreensFit draws the lobby: the list of meetups, the code, a
// new meetup's title and the choice of its template, with long titles.
func TestLobbyScreensFit(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			if size.w < 104 {
			}
			newFitWorld(t, size.w, size.h).lobby()
		})
	}
}

// lobby checks the screens of the lobby.
func (fw *fitWorld) lobby() {
	t, hub, w, h := fw.t, fw.hub, fw.w, fw.h
	if err := hub.SavePerson(session.Person{ID: hostID, Name: facName}); err != nil {
		t.Fatal(err)
	}
	if err := hub.SavePerson(session.Person{ID: anaID, Name: anaName}); err != nil {
		t.Fatal(err)
	}
	fc, pc := newConn(), newConn()
	t.Cleanup(fc.close)
	t.Cleanup(pc.close)
	fac := sized(newModel(hub, Identity{ID: hostID}, "", fc), w, h)
	fac = fw.check(fac, "lobby list", "Meetups on this server")
	par := sized(newModel(hub, Identity{ID: anaID}, "", pc), w, h)
	par = fw.check(par, "lobby code", "Join a meetup")
	par.lobby.code.SetValue("ZZZZZZ")
	next, _ := par.Update(pressKey("enter"))
	fw.check(next.(model), "lobby wrong code", "No meetup has the code")

	fac = press(fac, "c")
	fac.lobby.title.edit().SetValue(long("A new meetup with a title as long as they come", session.MaxTitleLen))
	fac = fw.check(fac, "lobby create", "Create a meetup")
	tooLong := fac
	lobby := *fac.lobby // the lobby is behind a pointer: a copy of its own
	tooLong.lobby = &lobby
	tooLong.lobby.title.edit().SetValue(long("A title too long", session.MaxTitleLen+20))
	next, _ = tooLong.Update(pressKey("enter"))
	fw.check(next.(model), "lobby create too long", "too long")
	next, cmd := fac.Update(pressKey("enter"))
	fac = next.(model)
	if cmd == nil {
		t.Fatal("no templates loaded after the title")
	}
	next, _ = fac.Update(cmd())
	fac = fw.check(next.(model), "lobby template choice", "Agenda for", "Classic online meetup (built in)", "Monthly officers")
	fw.check(press(fac, "down"), "lobby template chosen", "▶ Monthly officers")
}

// inside checks the room: every activity and mode, the overlays and forms.
func (fw *fitWorld) inside() {
	t, r, w, h := fw.t, fw.room, fw.w, fw.h
	ctx := context.Background()
	fac := inRoom(t, fw.hub, r, hostID, facName, w, h)
	par := inRoom(t, fw.hub, r, anaID, anaName, w, h)
	// More people, with long names; one of them will leave.
	names := map[session.PersonID]string{benID: benName, cyID: "Cy"}
	var extra []session.PersonID
	var leaver *session.Subscription
	for i := range 6 {
		id := session.PersonID(fmt.Sprintf("SHA256:extra%d", i))
		names[id] = long(fmt.Sprintf("Participant number %d with a long name", i+1), session.MaxNameLen)
		extra = append(extra, id)
	}
	for id, name := range names {
		sub, err := r.Enter(ctx, id, name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sub.Close)
		if id == extra[0] {
			leaver = sub
		}
	}
	both := func(what string, facWants, parWants []string) {
		t.Helper()
		fac = fw.check(fac, "facilitator, "+what, facWants...)
		par = fw.check(par, "participant, "+what, parWants...)
	}
	w1 := func(s ...string) []string { return s }

	// Welcome, with everything the room itself opens.
	both("welcome", w1("Done: 0 of"), w1("Press r to say"))
	fw.do(hostID, session.Announce{Text: long("Please keep your microphones muted while others are speaking, thank you all", session.MaxNoticeLen)})
	both("announcement", w1("» "), w1("» "))
	fac, par = press(fac, "?"), press(par, "?")
	both("help", w1("fewer keys"), w1("fewer keys"))
	fac, par = press(fac, "?"), press(par, "?")

	fac = press(fac, "a")
	fac = fw.check(fac, "announce form", "To every screen:")
	fac.room.form.form.edit().SetValue("")
	next, _ := fac.Update(tea.PasteMsg{Content: long("an announcement that goes on and on", 200)})
	next, _ = next.(model).Update(pressKey("enter"))
	fac = fw.check(next.(model), "announce form refused", "too long: 200 characters")
	fac = press(fac, "esc", "T")
	fac = fw.check(fac, "set time form", "Time left:")
	fac.room.form.form.edit().SetValue("4:75")
	next, _ = fac.Update(pressKey("enter"))
	fac = fw.check(next.(model), "set time refused", "minutes:seconds")
	fac = press(fac, "esc")
	fac, par = press(fac, "N"), press(par, "N")
	both("rename form", w1("Your name:"), w1("Your name:"))
	fac, par = press(fac, "esc"), press(par, "esc")
	fac = press(fac, "m")
	fac = fw.check(fac, "role list", "People and roles")
	fac = press(fac, "down", "down")
	fac = fw.check(fac, "role list, someone chosen", "▶ Anastasia")
	fac = press(fac, "esc", "E")
	fac = fw.check(fac, "confirm end", "End the meetup for everyone?")
	fac = press(fac, "n")

	// The agenda overlay in each of its modes.
	fac, par = press(fac, "tab"), press(par, "tab")
	// (The lines under a long note are cut: see TestAgendaLinesUnderTheNote.)
	both("agenda", w1("Agenda · 8 activities"), w1("Agenda · 8 activities"))
	par = press(par, "down", "down")
	par = fw.check(par, "participant, agenda, another item", "Networking rounds:")
	par = press(par, "tab")
	fac = press(fac, "a")
	fac = fw.check(fac, "agenda add", "Add which kind of activity?")
	fac = press(fac, "down", "down", "down", "down", "down", "down", "down")
	fac = fw.check(fac, "agenda add, last kind", "▶ Close")
	for _, mode := range []struct{ key, want string }{{"e", "Title:"}, {"o", "Note:"}, {"s", "Template name:"}} {
		fac = press(fac, "esc", mode.key)
		fac = fw.check(fac, "agenda "+mode.want, mode.want)
	}
	a := fac.room.overlay.(agendaScreen)
	a.form.edit().SetValue(long("a template name that is far too long", session.MaxTemplateNameLen+30))
	fac.room.overlay = a
	fac = fw.check(fac, "agenda template name too long", "too long")
	fac = press(fac, "esc", "down", "x")
	fac = fw.check(fac, "agenda remove", "y remove it")
	fac = press(fac, "n", "down", "down", "down", "down", "down", "down", "down")
	fac = fw.check(fac, "agenda, last item", "Close: ")
	fac = press(fac, "tab")

	// The countdown running, then up.
	fw.do(hostID, session.StartTimer{})
	both("timer running", w1("left"), w1("left"))
	fw.clock.Advance(6 * time.Minute)
	both("time up", w1("TIME'S UP"), w1("TIME'S UP"))

	fw.do(hostID, session.GoTo{Index: 1})
	both("talk", w1("2 of 8"), w1("2 of 8"))

	// Networking: before the draw, the settings, a talking point.
	fw.do(hostID, session.GoTo{Index: 2})
	both("networking before the draw", w1("Settings"), w1("Your group appears here"))
	fac = press(fac, "S")
	fac = fw.check(fac, "networking settings", "▶ Rounds")
	fac = press(fac, "down", "down", "down", "down", "down", "enter")
	fac = fw.check(fac, "networking point", "Round 1 point:")
	fac = press(fac, "esc", "esc")
	fw.do(hostID, session.DrawRound{})
	both("networking drawn", w1("Round 1 of 2"), w1("Round 1 of 2"))
	fw.do(hostID, session.TakePart{In: true})
	leaver.Close()
	deadline := time.Now().Add(5 * time.Second)
	for mem, _ := r.State().Member(extra[0]); mem.Present; mem, _ = r.State().Member(extra[0]) {
		if time.Now().After(deadline) {
			t.Fatal("the leaver is still present")
		}
		time.Sleep(time.Millisecond)
	}
	// (A flag naming someone with a long name is cut: see TestCutSentences.)
	both("networking, someone left", w1("⚠ Group", "Press b to rebalance"), w1("Round 1 of 2"))
	fac = press(fac, "v")
	fac = fw.check(fac, "networking move", "choose a person")
	fac = press(fac, "esc", "y")
	fac = fw.check(fac, "networking copy", "Groups as plain text")
	fac = press(fac, "esc")
	fw.do(hostID, session.StartTimer{})
	both("networking started", w1("started"), w1("Round 1 of 2"))

	// Topics: suggesting, typing, the options.
	fw.do(hostID, session.GoTo{Index: 3})
	authors := []session.PersonID{anaID, benID, cyID, extra[1]}
	for i := range 8 {
		fw.do(authors[i%len(authors)], session.SuggestTopic{Text: long(fmt.Sprintf("Topic %d about damp, mould and the repairs backlog in older flats", i+1), session.MaxTopicLen)})
	}
	both("topics suggesting", w1("Suggestions are open"), w1("Suggestions are open"))
	par = press(par, "t")
	par = fw.check(par, "participant, topic typing", "New topic")
	ts := par.room.act.(topicsScreen)
	ts.input.edit().SetValue(long("a topic that is far too long", session.MaxTopicLen+40))
	par.room.act = ts
	par = fw.check(par, "participant, topic too long", "too long")
	par = press(par, "esc")
	fac = press(fac, "o")
	fac = fw.check(fac, "vote options", "Vote options")
	fac = press(fac, "esc")

	// Dot voting: a draft, the confirmation to close.
	fw.do(hostID, session.StartVoting{})
	par = press(par, "right", "down", "right")
	both("dot voting", w1("Voting is open"), w1("dots left"))
	fac = press(fac, "c")
	fac = fw.check(fac, "confirm close", "Close voting and count")
	fac = press(fac, "n")
	fw.do(hostID, session.StopVoting{})

	// Ranked voting, closed after several rounds and a tie-break.
	fw.do(hostID, session.SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
	fw.do(hostID, session.StartVoting{})
	par = press(par, "right", "down", "right")
	both("ranked voting", w1("ranked"), w1("ranked"))
	ballots := map[session.PersonID]vote.Ballot{
		anaID: {"t1"}, benID: {"t1"}, cyID: {"t1"},
		extra[1]: {"t2", "t1"}, extra[2]: {"t2", "t1"},
		extra[3]: {"t3", "t2"}, extra[4]: {"t4", "t2"},
	}
	for id, b := range ballots {
		fw.do(id, session.CastBallot{Ballot: b})
	}
	fw.do(hostID, session.CloseVoting{})
	both("ranked closed", w1("Voting closed"), w1("Voting closed"))
	fac, par = press(fac, "i"), press(par, "i")
	both("ranked rounds", w1("Instant runoff"), w1("Instant runoff"))
	par = press(par, "down", "down", "down")
	par = fw.check(par, "participant, ranked rounds scrolled", "Instant runoff")
	fac = press(fac, "i", "o")
	fac = fw.check(fac, "vote options for a runoff", "for a runoff")
	fac = press(fac, "esc")

	// The rest of the agenda, then the end.
	fw.do(hostID, session.GoTo{Index: 4})
	both("circle", w1("Topic: "), w1("Topic: "))
	fw.do(hostID, session.GoTo{Index: 5})
	both("open space", w1("6 of 8"), w1("6 of 8"))
	fw.do(hostID, session.GoTo{Index: 6})
	both("break", w1("7 of 8"), w1("7 of 8"))
	fw.do(hostID, session.GoTo{Index: 7})
	both("close", w1("Outcomes", "Chosen topic"), w1("Outcomes", "Chosen topic"))
	fw.do(hostID, session.End{})
	both("ended", w1("This meetup has ended"), w1("This meetup has ended"))
	fac, par = press(fac, "tab"), press(par, "tab")
	both("agenda after the end", w1("Agenda · 8 activities"), w1("Agenda · 8 activities"))
}

// TestAgendaAndTemplateGolden pins down the agenda overlay, as a
// facilitator and a participant see it and while adding an item, and the
// choice of template when creating a meetup.
func TestAgendaAndTemplateGolden(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hub.SaveTemplate(hostID, r, "Officers monthly"); err != nil {
		t.Fatal(err)
	}
	fac := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	ana := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		t.Run("agenda_facilitator"+suffix, func(t *testing.T) {
			m := press(sized(fac, size.w, size.h), "tab", "down")
			checkFits(t, m, "agenda")
			golden.RequireEqual(t, plain(m.View()))
		})
		t.Run("agenda_participant"+suffix, func(t *testing.T) {
			m := press(sized(ana, size.w, size.h), "tab")
			checkFits(t, m, "agenda")
			golden.RequireEqual(t, plain(m.View()))
		})
		t.Run("agenda_add"+suffix, func(t *testing.T) {
			m := press(sized(fac, size.w, size.h), "tab", "a", "down", "down")
			checkFits(t, m, "agenda add")
			golden.RequireEqual(t, plain(m.View()))
		})
		t.Run("template_choice"+suffix, func(t *testing.T) {
			c := newConn()
			t.Cleanup(c.close)
			m := sized(newModel(hub, Identity{ID: hostID}, "", c), size.w, size.h)
			m = press(m, "c")
			m.lobby.title.edit().SetValue("Housing officers, December")
			next, cmd := m.Update(pressKey("enter"))
			next, _ = next.(model).Update(cmd())
			m = press(next.(model), "down")
			checkFits(t, m, "template choice")
			golden.RequireEqual(t, plain(m.View()))
		})
	}
}

// panelText is the main panel of a room screen as one line of words, so
// that a sentence is found however it is wrapped.
func panelText(m model) string {
	var b strings.Builder
	for _, l := range strings.Split(plain(m.View()), "\n") {
		i := strings.Index(l, "││")
		if i < 0 {
			continue
		}
		l = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l[i+len("││"):]), "│"))
		b.WriteString(l)
		if !strings.HasSuffix(l, "-") {
			b.WriteString(" ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestCutSentences: sentences that tell people what is going on or what
// to press are shown whole at 80x24, not cut off at the panel's edge.
func TestCutSentences(t *testing.T) {
	ctx := context.Background()
	t.Run("ranked", func(t *testing.T) {
		tw := newTopicsWorld(t, 80, 24)
		for _, text := range []string{"Damp", "Bins", "Parking"} {
			tw.do(anaID, session.SuggestTopic{Text: text})
		}
		tw.do(hostID, session.SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
		tw.do(hostID, session.StartVoting{})
		// Round 1: Damp 2, Bins 1, Parking 1, Parking out by tie-break;
		// round 2: Damp 2, Bins 2, a tie.
		tw.do(hostID, session.CastBallot{Ballot: vote.Ballot{"t1"}})
		tw.do(anaID, session.CastBallot{Ballot: vote.Ballot{"t1"}})
		tw.do(benID, session.CastBallot{Ballot: vote.Ballot{"t2", "t1"}})
		tw.do(cyID, session.CastBallot{Ballot: vote.Ballot{"t3", "t2"}})
		tw.do(hostID, session.CloseVoting{})
		tw.view(anaID)
		if text := panelText(tw.screens[anaID]); !strings.Contains(text, "press i to read every round.") {
			t.Errorf("the offer to read the rounds is cut:\n%s", plain(tw.screens[anaID].View()))
		}
		tw.press(anaID, "i")
		if v := tw.view(anaID); !strings.Contains(v, "Instant runoff · 2 rounds") || !strings.Contains(v, "more lines") {
			t.Fatalf("the rounds do not need scrolling, as the test means them to:\n%s", v)
		}
		for range 20 {
			if v := tw.view(anaID); strings.Contains(v, "↓ 1 more") {
				if !strings.Contains(v, "↓ 1 more line") || strings.Contains(v, "↓ 1 more lines") {
					t.Errorf("one line more is said in the plural:\n%s", v)
				}
				break
			}
			tw.press(anaID, "down")
		}
	})
	t.Run("networking", func(t *testing.T) {
		hub := testHub(t)
		r, err := hub.Create(ctx, hostID, "Housing officers", "")
		if err != nil {
			t.Fatal(err)
		}
		fac := inRoom(t, hub, r, hostID, "Fran", 80, 24)
		subs := make([]*session.Subscription, 4)
		name := func(i int) string {
			return long(fmt.Sprintf("P%d, a participant with a very long name", i), session.MaxNameLen)
		}
		for i := range subs {
			if subs[i], err = r.Enter(ctx, session.PersonID(fmt.Sprintf("SHA256:p%d", i)), name(i)); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(subs[i].Close)
		}
		if err := r.Do(ctx, hostID, session.Next{}); err != nil {
			t.Fatal(err)
		}
		if text := panelText(fresh(fac)); !strings.Contains(text, "Facilitators stay out of the groups; i to join them.") {
			t.Errorf("the line on taking part is cut:\n%s", plain(fresh(fac).View()))
		}
		if err := r.Do(ctx, hostID, session.DrawRound{}); err != nil {
			t.Fatal(err)
		}
		subs[0].Close()
		deadline := time.Now().Add(5 * time.Second)
		for mem, _ := r.State().Member("SHA256:p0"); mem.Present; mem, _ = r.State().Member("SHA256:p0") {
			if time.Now().After(deadline) {
				t.Fatal("p0 still present")
			}
			time.Sleep(time.Millisecond)
		}
		m := fresh(fac)
		if text := panelText(m); !strings.Contains(text, name(0)+" left") {
			t.Errorf("the flag does not say who left:\n%s", plain(m.View()))
		}
		m = press(m, "tab")
		m = press(m, "s")
		a := m.room.overlay.(agendaScreen)
		a.form.edit().SetValue("Officers monthly")
		m.room.overlay = a
		next, cmd := m.Update(pressKey("enter"))
		next, _ = next.(model).Update(cmd())
		m = next.(model)
		// Said whole, over two lines if need be.
		if v := plain(m.View()); !strings.Contains(strings.Join(strings.Fields(v), " "), "choose it when you create a meetup.") {
			t.Errorf("the confirmation of the saved template is cut:\n%s", v)
		}
		m = press(m, "a") // the agenda stays open after saving
		if text := panelText(m); !strings.Contains(text, "enter adds it after the chosen one.") {
			t.Errorf("the line on adding an item is cut:\n%s", plain(m.View()))
		}
	})
}

// TestAgendaLinesUnderTheNote: the agenda's lines under the chosen
// item's note (the facilitator's keys, the question before removing) are
// seen at 80x24 even when the note is long.
func TestAgendaLinesUnderTheNote(t *testing.T) {
	hub := testHub(t)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	fac := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	ana := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	note := long("Everyone says who they are and what they hope to take away from today", session.MaxNoteLen)
	for i, a := range r.State().Agenda {
		if err := r.Do(ctx, hostID, session.EditActivity{Index: i, Title: a.Title, Duration: a.Duration, Note: note}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Do(ctx, hostID, session.Announce{Text: "Cameras on, please, if you can."}); err != nil {
		t.Fatal(err)
	}
	m := press(fac, "tab", "down")
	if text := panelText(m); !strings.Contains(text, "s save as a template") || !strings.Contains(text, "x remove") {
		t.Errorf("the facilitator's agenda keys are cut off:\n%s", plain(m.View()))
	}
	m = press(m, "x")
	if text := panelText(m); !strings.Contains(text, "Press y to remove it.") {
		t.Errorf("the question before removing is cut off:\n%s", plain(m.View()))
	}
	m = press(ana, "tab")
	if text := panelText(m); !strings.Contains(text, "The facilitators can change the agenda.") {
		t.Errorf("the participant's line is cut off:\n%s", plain(m.View()))
	}
}

// TestAgendaKeepsChosenRowInSight: with more items than the panel has
// rows, the chosen one stays on the screen.
func TestAgendaKeepsChosenRowInSight(t *testing.T) {
	hub := testHub(t)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	m := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	fillAgenda(t, r)
	m = press(m, "tab")
	for i := 1; i < session.MaxAgendaItems; i++ {
		m = press(m, "down")
		want := fmt.Sprintf(" %d. Talk", i+1)
		if i < 6 {
			want = fmt.Sprintf(" %d. ", i+1)
		}
		if v := plain(m.View()); !strings.Contains(lineOf(v, "›"), want) {
			t.Fatalf("item %d chosen, and not on the screen:\n%s", i+1, v)
		}
	}
}

// lineOf is the first line of s holding text.
func lineOf(s, text string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

// TestSidePanelWithAFullAgenda: with a full agenda at 80x24, the side
// panel still shows the item under way and who is here.
func TestSidePanelWithAFullAgenda(t *testing.T) {
	hub := testHub(t)
	ctx := context.Background()
	r, err := hub.Create(ctx, hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	m := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	fillAgenda(t, r)
	if err := r.Do(ctx, hostID, session.GoTo{Index: session.MaxAgendaItems - 1}); err != nil {
		t.Fatal(err)
	}
	v := plain(fresh(m).View())
	if !strings.Contains(v, "▶ Talk number 20") {
		t.Errorf("the item under way is not in the side panel:\n%s", v)
	}
	if !strings.Contains(v, "People · 1 here") {
		t.Errorf("the people are not in the side panel:\n%s", v)
	}
}
