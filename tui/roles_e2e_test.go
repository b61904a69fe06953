package tui_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// The refusals people see.
const (
	notFac  = "Only a facilitator can do that."
	notNote = "Only a facilitator or the note-taker can do that."
	// listens begins session.ErrListening as the sharer's screen shows it.
	listens = "You are the problem sharer: listen while the others"
)

// rolesActor is one person of the roles matrix: their role's name, their
// screen and who they are in the room.
type rolesActor struct {
	role string
	c    *sshtest.Client
	id   session.PersonID
}

// rolesRun is the meetup the roles matrix runs through.
type rolesRun struct {
	t   *testing.T
	ctx context.Context
	r   *session.Room
}

// key is one facilitator action as keys: opened, when set, is what the
// screen shows while the overlay the keys open is up, and close the key
// that puts it away.
type key struct {
	name   string
	keys   []string
	opened string
	close  string
}

// cell is x for one cell: its waits give up after ten seconds, so that
// one cell failing leaves time for the others.
func (x *rolesRun) cell(t *testing.T) *rolesRun {
	ctx, cancel := context.WithTimeout(x.ctx, 10*time.Second)
	t.Cleanup(cancel)
	return &rolesRun{t: t, ctx: ctx, r: x.r}
}

// press sends keys one at a time, waiting for opened to show after the
// first when the first opens an overlay.
func (x *rolesRun) press(t *testing.T, a rolesActor, k key) {
	t.Helper()
	if k.opened != "" {
		must(t, a.c.Press(k.keys[0]))
		must(t, a.c.WaitFor(x.ctx, k.opened))
		must(t, a.c.Press(k.keys[1:]...))
		return
	}
	must(t, a.c.Press(k.keys...))
}

// refused presses k as a and checks that the line shows on a's screen and
// that the meetup did not change. The line is put away afterwards, so
// that the next refusal is seen afresh.
//
// A refusal from the room comes back only once the room has dealt with
// the command, and one from the screen means nothing was sent; settle,
// at the end of each block, shows that nothing else was sent either.
func (x *rolesRun) refused(t *testing.T, a rolesActor, line string, k key, before uint64) {
	t.Helper()
	x = x.cell(t)
	screen := func(s string) string { return mainText(s) + "\n" + s }
	must(t, a.c.WaitUntil(x.ctx, "no refusal on show", func(s string) bool { return !strings.Contains(screen(s), line) }))
	x.press(t, a, k)
	must(t, a.c.WaitUntil(x.ctx, line, func(s string) bool { return strings.Contains(screen(s), line) }))
	if v := x.r.State().Version; v != before {
		t.Errorf("%s's %s changed the meetup (or another's refused key did): version %d, then %d", a.role, k.name, before, v)
	}
	if k.close != "" {
		must(t, a.c.Press(k.close))
		must(t, a.c.WaitGone(x.ctx, k.opened))
	}
	// A bare escape, not followed by anything until the screen has
	// answered it: no pause needed for it to be read alone.
	must(t, a.c.Type("\x1b"))
	must(t, a.c.WaitUntil(x.ctx, "the refusal put away", func(s string) bool { return !strings.Contains(screen(s), line) }))
}

// settle is a's own change after their refused keys: "I'm done" (or not
// any more). a's commands reach the room in the order pressed, so once
// its answer shows, every key pressed before it has been dealt with, and
// the meetup must have moved by this change alone.
func (x *rolesRun) settle(t *testing.T, a rolesActor, since uint64) {
	t.Helper()
	x = x.cell(t)
	mem, _ := x.r.State().Member(a.id)
	want := "Press r again if you're not."
	if mem.Ready {
		want = "You're no longer marked done."
	}
	must(t, a.c.Press("r"))
	must(t, a.c.WaitFor(x.ctx, want))
	if v := x.r.State().Version; v != since+1 {
		t.Errorf("%s's refused keys changed the meetup: version %d before them, %d after them and one change of their own", a.role, since, v)
	}
	must(t, a.c.Type("\x1b"))
	must(t, a.c.WaitGone(x.ctx, want))
}

// block tries every key as every actor, one subtest per cell, each
// refused with lineFor's line ("" skips the cell). The actors press at
// the same time, each on their own screen, so the meetup must not move
// at all until the end, when each settles in turn.
func (x *rolesRun) block(t *testing.T, what string, actors []rolesActor, keys []key, lineFor func(a rolesActor, k key) string) {
	t.Helper()
	since := x.r.State().Version
	var wg sync.WaitGroup
	for _, a := range actors {
		wg.Go(func() {
			for _, k := range keys {
				if line := lineFor(a, k); line != "" {
					t.Run(what+"/"+a.role+"/"+k.name, func(t *testing.T) { x.refused(t, a, line, k, since) })
				}
			}
		})
	}
	wg.Wait()
	for i, a := range actors {
		t.Run(what+"/"+a.role+"/nothing else sent", func(t *testing.T) { x.settle(t, a, since+uint64(i)) })
	}
}

// allowed presses k as a and waits until want shows on a's screen and ok
// holds of the meetup.
func (x *rolesRun) allowed(t *testing.T, a rolesActor, k key, want string, ok func(m *session.Meetup) bool) {
	t.Helper()
	t.Run("allowed/"+a.role+"/"+k.name, func(t *testing.T) {
		x := x.cell(t)
		x.press(t, a, k)
		must(t, a.c.WaitUntil(x.ctx, want, func(s string) bool { return strings.Contains(mainText(s)+"\n"+s, want) }))
		if ok != nil {
			waitState(t, a.c, k.name+" done", func() bool { return ok(x.r.State()) })
		}
		if k.close != "" {
			must(t, a.c.Press(k.close))
			must(t, a.c.WaitGone(x.ctx, k.opened))
		}
		// Puts the line away (what it did may stay on show).
		must(t, a.c.Press("esc"))
	})
}

func keysOf(specs ...string) []key {
	out := make([]key, len(specs))
	for i, s := range specs {
		name, keys, _ := strings.Cut(s, "=")
		if keys == "" {
			keys = name
		}
		out[i] = key{name: name, keys: strings.Split(keys, ",")}
	}
	return out
}

// overlayKeys are keys pressed in an overlay opened by open, showing
// opened while it is up, and closed again with open.
func overlayKeys(open, opened string, specs ...string) []key {
	out := keysOf(specs...)
	for i := range out {
		out[i].name = open + " " + out[i].name
		out[i].keys = append([]string{open}, out[i].keys...)
		out[i].opened, out[i].close = opened, open
	}
	return out
}

// tally is a number after a topic: a count of its votes.
var tally = regexp.MustCompile(`(Damp in flats|Bins)[^\n]*\d`)

var dotsLeftRE = regexp.MustCompile(`●+○* \d+ of \d+ dots left`)

// TestRolesMatrix: every facilitator action, by key through SSH, tried
// by a participant, a co-facilitator, a note-taker, the problem sharer
// while listening and a keyless guest, on the activity where it applies:
// refused with a line on that person's screen and the meetup unchanged
// where it should be, done where it may be. Ballots show only on the
// voter's screen, tallies only once voting closes; the export shown
// and working over SSH for the facilitator and the co-facilitator alone.
func TestRolesMatrix(t *testing.T) {
	start := time.Now()
	fac, pat, cy, noor, sam := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	// relServe's log stops at the cleanup: a session may still log
	// after the server has shut down.
	ts := relServe(t, relOpts{facilitators: []gossh.Signer{fac}, agenda: func() []session.Activity {
		n := session.DefaultNetworking()
		n.MinSize, n.MaxSize = 2, 3
		return []session.Activity{
			{Kind: session.KindWelcome, Title: "Welcome", Duration: 5 * time.Minute},
			{Kind: session.KindNetworking, Title: "Networking", Duration: 9 * time.Minute, State: n},
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 10 * time.Minute, State: session.NewVote()},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 30 * time.Minute},
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute},
			{Kind: session.KindClose, Title: "Close", Duration: 5 * time.Minute},
		}
	}})
	r, code := ts.room, ts.code
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	x := &rolesRun{t: t, ctx: ctx, r: r}

	join6 := func(s gossh.Signer, user, name string) rolesActor {
		c := join(t, ts.addr, s, user, code, name)
		must(t, c.WaitFor(ctx, "Welcome"))
		return rolesActor{c: c}
	}
	F := join6(fac, "fran", "Fran")
	P := join6(pat, "pat", "Pat")
	C := join6(cy, "cy", "Cy")
	N := join6(noor, "noor", "Noor")
	S := join6(sam, "sam", "Sam")
	G := join6(nil, "gus", "Gus")
	F.role, P.role, C.role, N.role, S.role, G.role = "facilitator", "participant", "co-facilitator", "note-taker", "sharer", "guest"
	F.id, P.id, C.id, N.id, S.id = idOf(fac), idOf(pat), idOf(cy), idOf(noor), idOf(sam)
	all := []rolesActor{F, P, C, N, S, G}
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "6 here"))
	}
	for _, m := range r.State().Members {
		if m.Name == "Gus" {
			G.id = m.ID
		}
	}
	if G.id == "" || r.State().RoleOf(G.id) != session.RoleParticipant {
		t.Fatalf("the guest is not in the meetup as a participant: %+v", r.State().Members)
	}

	// Roles through the people overlay: Cy co-facilitator (enter), Noor
	// note-taker (n).
	choose := func(name, k, want string) {
		t.Helper()
		must(t, F.c.Press("m"))
		must(t, F.c.WaitFor(ctx, "People and roles"))
		for range 8 {
			if slices.ContainsFunc(mainLines(F.c.Screen()), func(l string) bool { return strings.HasPrefix(l, "▶ "+name) }) {
				break
			}
			before := F.c.Screen()
			must(t, F.c.Press("down"))
			must(t, F.c.WaitUntil(ctx, "the choice moved", func(s string) bool { return s != before }))
		}
		must(t, F.c.Press(k))
		must(t, F.c.WaitFor(ctx, want))
		must(t, F.c.Press("m"))
		must(t, F.c.WaitGone(ctx, "People and roles"))
	}
	choose("Cy", "enter", "Cy is now co-facilitator.")
	choose("Noor", "n", "Noor is now note-taker.")
	must(t, C.c.WaitFor(ctx, "Cy (co-facilitator)"))
	if got := r.State().RoleOf(N.id); got != session.RoleNoteTaker {
		t.Fatalf("Noor's role = %q", got)
	}
	others := []rolesActor{P, N, G} // refused every facilitator action
	line := func(rolesActor, key) string { return notFac }

	// The room's keys and the agenda's, on the welcome.
	roomKeys := keysOf("n", "p", "space", "+", "-", "T", "a", "m", "E")
	agendaKeys := overlayKeys("tab", "Agenda ·", "enter", "K", "J", "+", "-", "e", "o", "a", "x", "s")
	x.block(t, "room", others, roomKeys, line)
	x.block(t, "agenda", others, agendaKeys, line)

	// The co-facilitator may do them.
	welcome := func(m *session.Meetup) *session.Activity { return &m.Agenda[0] }
	x.allowed(t, C, key{name: "space", keys: []string{"space"}}, "Timer started.", func(m *session.Meetup) bool { return m.Timer.Running })
	x.allowed(t, C, key{name: "+", keys: []string{"+"}}, "Added a minute.", nil)
	x.allowed(t, C, key{name: "-", keys: []string{"-"}}, "Took a minute off.", nil)
	x.allowed(t, C, key{name: "T", keys: []string{"T", "4", "enter"}, opened: "Time left:"}, "Countdown set to 4:00.", nil)
	x.allowed(t, C, key{name: "space again", keys: []string{"space"}}, "Timer paused.", func(m *session.Meetup) bool { return !m.Timer.Running })
	x.allowed(t, C, key{name: "a", keys: []string{"a", "ctrl+u", "H", "i", "enter"}, opened: "To every screen:"}, "» Cy: Hi", func(m *session.Meetup) bool { return m.Notice.Text == "Hi" })
	x.allowed(t, C, key{name: "m", keys: []string{"m"}, opened: "People and roles", close: "m"}, "People and roles", nil)
	x.allowed(t, C, key{name: "E", keys: []string{"E"}}, "End the meetup for everyone?", nil)
	must(t, C.c.WaitGone(ctx, "End the meetup for everyone?")) // esc kept it going
	if r.State().Ended() {
		t.Fatal("the meetup ended")
	}
	x.allowed(t, C, key{name: "tab +", keys: []string{"tab", "+"}, opened: "Agenda ·", close: "tab"}, "6 min", func(m *session.Meetup) bool { return welcome(m).Duration == 6*time.Minute })
	x.allowed(t, C, key{name: "tab -", keys: []string{"tab", "-"}, opened: "Agenda ·", close: "tab"}, "5 min", func(m *session.Meetup) bool { return welcome(m).Duration == 5*time.Minute })
	x.allowed(t, C, key{name: "tab J", keys: []string{"tab", "down", "down", "J"}, opened: "Agenda ·", close: "tab"}, "Agenda ·", func(m *session.Meetup) bool { return m.Agenda[3].Kind == session.KindTopics })
	x.allowed(t, C, key{name: "tab K", keys: []string{"tab", "down", "down", "down", "K"}, opened: "Agenda ·", close: "tab"}, "Agenda ·", func(m *session.Meetup) bool { return m.Agenda[2].Kind == session.KindTopics })
	x.allowed(t, C, key{name: "tab e", keys: []string{"tab", "down", "e", "ctrl+u", "M", "i", "x", "enter"}, opened: "Agenda ·", close: "tab"}, "Mix", func(m *session.Meetup) bool { return m.Agenda[1].Title == "Mix" })
	x.allowed(t, C, key{name: "n", keys: []string{"n"}}, "Moved to the next activity.", func(m *session.Meetup) bool { return m.Current == 1 })
	x.allowed(t, C, key{name: "p", keys: []string{"p"}}, "Moved back to the previous activity.", func(m *session.Meetup) bool { return m.Current == 0 })
	do(t, r, F.id, session.Next{})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "2 of 6"))
	}

	// Networking.
	netKeys := keysOf("d", "g", "v", "b", "S", "o")
	x.block(t, "networking", others, netKeys, line)
	x.allowed(t, C, key{name: "o", keys: []string{"o"}}, "Auto-advance on", nil)
	x.allowed(t, C, key{name: "o again", keys: []string{"o"}}, "Auto-advance off", nil)
	x.allowed(t, C, key{name: "d", keys: []string{"d"}}, "Groups drawn", func(m *session.Meetup) bool {
		_, _, drawn := m.Activity().State.(*session.Networking).Round()
		return drawn
	})
	x.allowed(t, C, key{name: "S", keys: []string{"S"}, opened: "Rounds", close: "S"}, "Rounds", nil)
	do(t, r, F.id, session.Next{})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Suggestions are open"))
	}

	// Topics: suggesting, voting, closed.
	do(t, r, P.id, session.SuggestTopic{Text: "Damp in flats"})
	do(t, r, N.id, session.SuggestTopic{Text: "Bins"})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Bins"))
	}
	x.block(t, "suggesting", others, keysOf("e", "x", "M", "o", "W", "R", "v", "c"), line)
	x.allowed(t, C, key{name: "W", keys: []string{"W"}}, "Authors are now shown to everyone.", nil)
	x.allowed(t, C, key{name: "W again", keys: []string{"W"}}, "Authors are now shown to facilitators only.", nil)
	x.allowed(t, C, key{name: "o", keys: []string{"o"}, opened: "Vote options", close: "esc"}, "Vote options", nil)
	x.allowed(t, C, key{name: "v", keys: []string{"v"}}, "Voting has started", nil)
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Voting is open"))
	}
	x.block(t, "voting", others, keysOf("c", "b", "o", "W", "R"), line)

	// Ballots: Pat puts two dots on "Damp in flats" and casts. Only
	// Pat's screen ever shows them; nobody sees a tally while voting.
	pr := sshtest.MustDial(t, ts.addr, sshtest.Options{Command: "present " + code})
	must(t, pr.WaitFor(ctx, "Topics and voting"))
	must(t, P.c.Press("right", "right", "enter"))
	must(t, P.c.WaitFor(ctx, "Your vote is in"))
	if l := lineWith(P.c.Screen(), "Damp in flats"); !strings.Contains(l, "●●") {
		t.Fatalf("Pat's screen does not show her two dots: %q\n%s", l, P.c.Screenshot())
	}
	must(t, F.c.WaitFor(ctx, "Voted: 1 of 6 here"))
	// Nothing on the others' screens changes with Pat's ballot: an
	// announcement after it shows when each has drawn the vote.
	do(t, r, F.id, session.Announce{Text: "Ballot check"})
	must(t, pr.WaitFor(ctx, "Ballot check"))
	for _, a := range []rolesActor{F, C, N, S, G} {
		t.Run("ballot/"+a.role, func(t *testing.T) {
			must(t, a.c.WaitFor(ctx, "» Fran: Ballot check"))
			s := a.c.Screen()
			if strings.Contains(strings.Join(mainLines(s), "\n"), "●") {
				t.Errorf("%s's screen shows a dot placed:\n%s", a.role, a.c.Screenshot())
			}
			if m := dotsLeftRE.FindString(string(a.c.Output())); m != "" {
				t.Errorf("%s's terminal was sent a placed dot: %q", a.role, m)
			}
			if tally.MatchString(strings.Join(mainLines(s), "\n")) {
				t.Errorf("%s sees a tally while voting:\n%s", a.role, a.c.Screenshot())
			}
		})
	}
	t.Run("ballot/presenter", func(t *testing.T) {
		if strings.Contains(string(pr.Output()), "●●") || tally.MatchString(pr.Screen()) {
			t.Errorf("the presenter shows a ballot or a tally:\n%s", pr.Screenshot())
		}
	})
	x.allowed(t, C, key{name: "c", keys: []string{"c", "y"}}, "Voting closed and counted.", nil)
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Winner"))
	}
	// Closed, the tally shows: the check above can see one.
	if !tally.MatchString(strings.Join(mainLines(G.c.Screen()), "\n")) {
		t.Errorf("no tally on the guest's screen once voting closed:\n%s", G.c.Screenshot())
	}
	x.block(t, "closed", others, keysOf("u", "o", "W", "R"), line)

	// The circle: set-up refused; then Sam shares, and listens in turns
	// and the discussion.
	do(t, r, F.id, session.Next{})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Setting up"))
	}
	circleKeys := keysOf("s", ">", "<", "K", "J", "b", "f")
	x.block(t, "circle set-up", others, circleKeys[:2], line)
	setup := r.State().Activity().State.(*session.Circle).Setup()
	setup.Circles = []session.CirclePlan{{Sharer: S.id, Title: "Damp in flats"}}
	do(t, r, F.id, setup)
	do(t, r, F.id, session.CircleNext{}) // the challenge
	g0 := func() session.CircleGroup { return r.State().Activity().State.(*session.Circle).Groups[0] }
	do(t, r, F.id, session.MoveInOrder{Circle: 1, Person: F.id, By: -10})
	do(t, r, F.id, session.CircleNext{}) // questions
	do(t, r, F.id, session.CircleNext{}) // ideas in turn: Fran speaks first
	if sp, _ := g0().Speaker(); sp != F.id {
		t.Fatalf("speaker %s; want Fran first", sp)
	}
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Phase 3 of 5"))
	}
	must(t, S.c.WaitUntil(ctx, "Sam listening", func(s string) bool { return strings.Contains(mainText(s), "You are listening") }))
	listening := append([]rolesActor{S}, others...)
	x.block(t, "ideas", listening, keysOf(">", "<", "K", "J", "b", "f", "s", "d"), func(a rolesActor, k key) string {
		if k.name == "d" {
			return "It is Fran's turn: they or a facilitator move on."
		}
		return notFac
	})
	x.block(t, "ideas", []rolesActor{S}, append(roomKeys, keysOf("i")...), func(a rolesActor, k key) string {
		if k.name == "i" {
			return listens
		}
		return notFac
	})
	// The note-taker types an idea for the speaker; the co-facilitator
	// reorders and moves the turn on.
	x.allowed(t, N, key{name: "i for the speaker", keys: []string{"i", "N", "o", "t", "e", "d", "enter"}, opened: "Idea"}, "Idea added.", func(m *session.Meetup) bool {
		g := g0()
		return len(g.Ideas) == 1 && g.Ideas[0].By == F.id && g.Ideas[0].TypedBy == N.id
	})
	must(t, N.c.Press("esc"))
	must(t, N.c.WaitGone(ctx, "Idea added. Type another"))
	x.allowed(t, C, key{name: "J", keys: []string{"down", "J"}}, "Turn order changed.", nil)
	x.allowed(t, C, key{name: "b", keys: []string{"b"}}, "Nobody was skipped.", nil)
	x.allowed(t, C, key{name: "d", keys: []string{"d"}}, "Next speaker.", func(m *session.Meetup) bool { return g0().Turn == 1 })

	// The open discussion: Sam may not raise a hand or offer an idea.
	do(t, r, F.id, session.CircleNext{})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Phase 4 of 5"))
	}
	x.block(t, "discussion", []rolesActor{S}, keysOf("h", "i", "f", ">", "<"), func(a rolesActor, k key) string {
		if k.name == "h" || k.name == "i" {
			return listens
		}
		return notFac
	})
	x.block(t, "discussion", others, keysOf("f", ">", "<"), line)
	x.allowed(t, P, key{name: "h", keys: []string{"h"}}, "Your hand is up: you are 1st in the queue.", nil)
	x.allowed(t, C, key{name: "f", keys: []string{"f"}}, "Pat has the floor.", func(m *session.Meetup) bool { return g0().Floor == P.id })
	x.allowed(t, N, key{name: "i for the floor", keys: []string{"i", "F", "l", "o", "o", "r", "enter"}, opened: "Idea"}, "Idea added.", func(m *session.Meetup) bool {
		g := g0()
		return len(g.Ideas) == 2 && g.Ideas[1].By == P.id
	})
	must(t, N.c.Press("esc"))
	must(t, N.c.WaitGone(ctx, "Idea added. Type another"))
	x.allowed(t, C, key{name: "<", keys: []string{"<"}}, "Back a phase.", nil)
	x.allowed(t, C, key{name: ">", keys: []string{">"}}, "Now: open discussion.", nil)

	// Open space.
	do(t, r, F.id, session.Next{})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Nothing raised yet"))
	}
	do(t, r, P.id, session.PostOpenItem{Text: "Noise at night"})
	do(t, r, G.id, session.PostOpenItem{Text: "Parking"})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Parking"))
	}
	x.block(t, "open space", others, keysOf("s", "K", "J", "f", "o"), func(a rolesActor, k key) string {
		switch {
		case k.name != "o":
			return notFac
		case a.role == "note-taker":
			return ""
		}
		return notNote
	})
	x.allowed(t, N, key{name: "o", keys: []string{"o", "Q", "u", "i", "e", "t", "enter"}, opened: "Note"}, "Note added.", func(m *session.Meetup) bool {
		for _, it := range m.Activity().State.(*session.OpenSpace).Items {
			if len(it.Notes) == 1 {
				return true
			}
		}
		return false
	})
	x.allowed(t, C, key{name: "s", keys: []string{"s"}}, "The queue is sorted by +1s", nil)
	x.allowed(t, C, key{name: "f", keys: []string{"f"}}, "has the floor.", func(m *session.Meetup) bool { return m.Activity().State.(*session.OpenSpace).Floor != "" })

	// Actions: the note-taker records one; participants and guests may not.
	actKeys := overlayKeys("A", "you said, we did", "a", "f", "e", "x")
	x.block(t, "actions", []rolesActor{P, G}, actKeys, func(rolesActor, key) string { return notNote })
	x.allowed(t, N, key{name: "A a", keys: []string{"A", "a", "C", "a", "l", "l", "enter", "enter", "enter"}, opened: "you said, we did", close: "A"}, "Action added for", func(m *session.Meetup) bool { return len(m.Actions) == 1 })

	// The close.
	do(t, r, F.id, session.Next{})
	for _, a := range all {
		must(t, a.c.WaitFor(ctx, "Outcomes"))
	}
	x.block(t, "close", others, keysOf("t", "e", "w"), line)
	x.allowed(t, C, key{name: "t", keys: []string{"t"}}, "Your thank-you is on every screen.", func(m *session.Meetup) bool { return strings.HasPrefix(m.Notice.Text, "Thank you") })
	// The co-facilitator's e shows the command that exports the meetup,
	// and that command works for Cy over SSH.
	fcode := session.FormatCode(code)
	shown := regexp.MustCompile(`ssh -p \d+ \S+ (export ` + regexp.QuoteMeta(fcode) + ` --format md) > meetup\.md`)
	var cyExport string
	t.Run("allowed/co-facilitator/e", func(t *testing.T) {
		x := x.cell(t)
		must(t, C.c.Press("e"))
		must(t, C.c.WaitUntil(x.ctx, "the export command", func(s string) bool {
			// A command too wide is broken with a backslash, to be
			// copied whole.
			m := shown.FindStringSubmatch(strings.ReplaceAll(mainText(s), ` \ `, " "))
			if m != nil {
				cyExport = m[1]
			}
			return m != nil
		}))
		must(t, C.c.Press("esc"))
		must(t, C.c.WaitGone(x.ctx, "Export this meetup"))
	})
	if cyExport == "" {
		t.Fatal("the co-facilitator was not shown the export command")
	}

	// Exports over SSH: the one rule of the close screen's e (facilitator
	// and co-facilitator of this meetup), each running the command the
	// co-facilitator was shown.
	do(t, r, F.id, session.End{})
	for _, e := range []struct {
		role   string
		signer gossh.Signer
		ok     bool
	}{{"facilitator", fac, true}, {"co-facilitator", cy, true}, {"participant", pat, false}, {"note-taker", noor, false}, {"sharer", sam, false}, {"guest", nil, false}} {
		t.Run("export/"+e.role, func(t *testing.T) {
			status, out, errs := sshExec(t, ts.addr, e.signer, cyExport)
			switch {
			case e.ok && (status != 0 || !strings.HasPrefix(out, "# Reliability night")):
				t.Errorf("export = %d\n%s\n%s", status, out, errs)
			case !e.ok && (status != 1 || out != "" || errs == ""):
				t.Errorf("export = %d %q %q; want 1 and a refusal", status, out, errs)
			}
		})
	}
	t.Logf("roles matrix in %v", time.Since(start).Round(time.Millisecond))
}
