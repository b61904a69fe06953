package tui_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestNetworkingRoundsEndToEnd: seven people over two rounds; every screen
// shows its own group, and no pair meets twice.
func TestNetworkingRoundsEndToEnd(t *testing.T) {
	fac := sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.agnd = func() []session.Activity {
		n := session.DefaultNetworking()
		n.MinSize, n.MaxSize = 2, 3
		return []session.Activity{
			{Kind: session.KindNetworking, Title: "Networking", Duration: 9 * time.Minute, State: n},
			{Kind: session.KindClose, Title: "Close"},
		}
	}
	ts.start()
	ctx := waitCtx(t)
	facID := session.PersonID(gossh.FingerprintSHA256(fac.PublicKey()))
	r, err := ts.hub.Create(ctx, facID, "Mixing", "")
	must(t, err)
	code := r.State().Code

	names := []string{"Fran", "Pia", "Quin", "Rosa", "Sami", "Tove", "Uma"}
	clients := make([]*sshtest.Client, len(names))
	ids := make([]session.PersonID, len(names))
	for i, name := range names {
		signer := fac
		if i > 0 {
			signer = sshtest.NewSigner(t)
		}
		ids[i] = session.PersonID(gossh.FingerprintSHA256(signer.PublicKey()))
		clients[i] = join(t, ts.addr, signer, strings.ToLower(name), code, name)
	}
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "7 here"))
	}

	f := clients[0]
	for round := 1; round <= 2; round++ {
		if round == 1 {
			must(t, f.Press("space")) // starting the clock draws round 1
		} else {
			must(t, f.Press("g"))
			must(t, f.WaitFor(ctx, "Round 2 of 2"))
			must(t, f.Press("space"))
		}
		want := fmt.Sprintf("Round %d of 2", round)
		must(t, f.WaitFor(ctx, want))
		must(t, f.WaitFor(ctx, "started "))
		for _, c := range clients[1:] {
			must(t, c.WaitFor(ctx, want))
			must(t, c.WaitGone(ctx, "The round starts when"))
		}
		st := r.State()
		cur, _, ok := st.Activity().State.(*session.Networking).Round()
		if !ok || cur.StartedAt.IsZero() {
			t.Fatalf("round %d not started: %+v", round, cur)
		}
		// Each participant's screen names their own group and its people.
		for i := 1; i < len(names); i++ {
			gi, group, in := cur.GroupOf(ids[i])
			if !in {
				t.Fatalf("%s is in no group in round %d", names[i], round)
			}
			c := clients[i]
			must(t, c.WaitFor(ctx, fmt.Sprintf("you are in group %d", gi+1)))
			screen := c.Screen()
			for j, id := range ids {
				if j == i {
					continue
				}
				inGroup := slices.Contains(group, id)
				shown := strings.Contains(screen, "With ") && strings.Contains(withLine(screen), names[j])
				if inGroup != shown {
					t.Fatalf("round %d: %s's screen shows %s: %v, in group: %v\n%s", round, names[i], names[j], shown, inGroup, c.Screenshot())
				}
			}
		}
		// The facilitator sees every group at a glance.
		for gi := range cur.Groups {
			must(t, f.WaitFor(ctx, fmt.Sprintf("G%d ", gi+1)))
		}
	}
	n := r.State().Activity().State.(*session.Networking)
	if got := n.Repeats(); got != 0 {
		t.Fatalf("%d pairs met twice over two rounds; 7 people in groups of 2-3 need none", got)
	}
	if strings.Contains(f.Screen(), "met before") {
		t.Fatalf("facilitator told of repeats:\n%s", f.Screenshot())
	}

	// The rounds are kept: a restart finds both with their seeds and times.
	ts.stop()
	ts.start()
	r2, err := ts.hub.Find(code)
	must(t, err)
	kept := r2.State().Activity().State.(*session.Networking)
	if len(kept.Drawn) != 2 || kept.Drawn[0].Seed == 0 || kept.Drawn[0].EndedAt.IsZero() || kept.Drawn[1].StartedAt.IsZero() || kept.Drawn[1].Point == "" {
		t.Fatalf("rounds after restart: %+v", kept.Drawn)
	}
}

// withLine returns the "With ..." line of the main panel, without the
// side panel that shares its screen rows.
func withLine(screen string) string {
	for _, line := range strings.Split(screen, "\n") {
		i := strings.Index(line, "With ")
		if i < 0 {
			continue
		}
		rest := line[i:]
		if j := strings.Index(rest, "│"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	return ""
}

// netWorld is a server whose first activity is networking (9-minute
// rounds in groups of min-max), a room, and its facilitator's screen.
func netWorld(t *testing.T, minSize, maxSize int) (*testServer, *session.Room, session.PersonID, *sshtest.Client) {
	t.Helper()
	fac := sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.agnd = func() []session.Activity {
		n := session.DefaultNetworking()
		n.MinSize, n.MaxSize = minSize, maxSize
		return []session.Activity{
			{Kind: session.KindNetworking, Title: "Networking", Duration: 9 * time.Minute, State: n},
			{Kind: session.KindClose, Title: "Close"},
		}
	}
	ts.start()
	facID := session.PersonID(gossh.FingerprintSHA256(fac.PublicKey()))
	r, err := ts.hub.Create(waitCtx(t), facID, "Mixing", "")
	must(t, err)
	f := join(t, ts.addr, fac, "fran", r.State().Code, "Fran")
	must(t, f.WaitFor(waitCtx(t), "S to change"))
	// The facilitator takes part, so the counts below include them.
	must(t, f.Press("i"))
	must(t, f.WaitFor(waitCtx(t), "You take part in the groups."))
	return ts, r, facID, f
}

// addPeople brings n people into the room without screens.
func addPeople(t *testing.T, r *session.Room, n int) []session.PersonID {
	t.Helper()
	var ids []session.PersonID
	for i := range n {
		id := session.PersonID(fmt.Sprintf("SHA256:person%02d", i))
		sub, err := r.Enter(waitCtx(t), id, fmt.Sprintf("P%02d", i))
		must(t, err)
		t.Cleanup(sub.Close)
		ids = append(ids, id)
	}
	return ids
}

func roundMinutes(r *session.Room) int { return int(r.State().Activity().Duration / time.Minute) }

// waitState waits until the room's state satisfies ok.
func waitState(t *testing.T, c *sshtest.Client, desc string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s\n%s", desc, c.Screenshot())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNetworkingSettingsQuickPresses: keys pressed faster than the room
// answers all count; + in the settings is "more", not a minute on the
// clock; a limit is said, not sent; and settings changed meanwhile are
// read again when the settings are opened again.
func TestNetworkingSettingsQuickPresses(t *testing.T) {
	_, r, facID, f := netWorld(t, 2, 3)
	ctx := waitCtx(t)
	must(t, f.Press("S"))
	must(t, f.WaitFor(ctx, "▶ Rounds"))
	must(t, f.Press("down"))
	must(t, f.WaitFor(ctx, "▶ Minutes a round   9"))
	// Five ← in one write: Bubble Tea reads them in one go, well before
	// the room has answered the first.
	must(t, f.Type(strings.Repeat("\x1b[D", 5)))
	must(t, f.WaitFor(ctx, "Minutes a round   4"))
	waitState(t, f, "a round of 4 minutes", func() bool { return roundMinutes(r) == 4 })
	// No ← is left to come: the screen's commands reach the room in order,
	// so the next two (checked below) land on 4, not on something less.

	// + and = are "more" here, and leave the clock alone.
	must(t, f.Type("+="))
	must(t, f.WaitFor(ctx, "Minutes a round   6"))
	waitState(t, f, "a round of 6 minutes", func() bool { return roundMinutes(r) == 6 })
	if st := r.State(); st.Timer.Started || st.Timer.Remaining(time.Now()) != 6*time.Minute {
		t.Fatalf("+ in the settings touched the clock: %+v", st.Timer)
	}

	// Past the limit: nothing is sent, the screen says why.
	must(t, f.Type(strings.Repeat("\x1b[D", 8)))
	must(t, f.WaitFor(ctx, "from 1 to 60 minutes"))
	must(t, f.WaitFor(ctx, "Minutes a round   1"))
	waitState(t, f, "a round of 1 minute", func() bool { return roundMinutes(r) == 1 })

	// Quick presses on two rows, then leave: all of it is kept.
	must(t, f.Press("up"))
	must(t, f.Type("\x1b[C\x1b[C\x1b[B\x1b[C"))
	must(t, f.WaitFor(ctx, "Minutes a round   2"))
	waitState(t, f, "4 rounds of 2 minutes", func() bool {
		return r.State().Activity().State.(*session.Networking).Rounds == 4 && roundMinutes(r) == 2
	})
	must(t, f.Press("esc"))
	must(t, f.WaitFor(ctx, "S to change"))

	// Someone else changes the settings: opened again, they show.
	set := r.State().Activity().State.(*session.Networking).Settings(r.State().Activity())
	set.Minutes = 20
	must(t, r.Do(ctx, facID, set))
	must(t, f.WaitFor(ctx, "Minutes a round   20"))
	must(t, f.Press("S", "down", "left"))
	must(t, f.WaitFor(ctx, "Minutes a round   19"))
	waitState(t, f, "a round of 19 minutes", func() bool { return roundMinutes(r) == 19 })
	if n := r.State().Activity().State.(*session.Networking); n.Rounds != 4 {
		t.Fatalf("rounds = %d; want 4 kept", n.Rounds)
	}
}

// TestNetworkingPointTakesEveryKey: while a talking point is typed, room
// keys such as n and space are text.
func TestNetworkingPointTakesEveryKey(t *testing.T) {
	_, r, _, f := netWorld(t, 2, 3)
	ctx := waitCtx(t)
	must(t, f.Press("S", "down", "down", "down", "down", "down", "enter", "ctrl+u"))
	must(t, f.WaitFor(ctx, "save point"))
	// The help bar offers no room key: they would be typed.
	lines := f.Lines()
	if help := lines[len(lines)-1]; strings.Contains(help, "next") || strings.Contains(help, "timer") || strings.Contains(help, "I'm done") {
		t.Fatalf("help bar while typing a point offers room keys: %q\n%s", help, f.Screenshot())
	}
	must(t, f.Type("n and + all"))
	must(t, f.Press("enter"))
	waitState(t, f, "the point saved", func() bool { return r.State().Activity().State.(*session.Networking).Point(0) == "n and + all" })
	st := r.State()
	if st.Current != 0 || st.Timer.Started || st.Activity().Duration != 9*time.Minute {
		t.Fatalf("typing a point worked room keys: current %d, timer %+v, duration %v", st.Current, st.Timer, st.Activity().Duration)
	}
}

// TestNetworkingMoveToGroupTen: with more than nine groups, the group is
// typed as a number and confirmed with enter; esc cancels; emptying a
// group leaves the others' numbers as they were.
func TestNetworkingMoveToGroupTen(t *testing.T) {
	_, r, _, f := netWorld(t, 2, 2)
	ctx := waitCtx(t)
	addPeople(t, r, 21) // 22 people: 11 pairs
	must(t, f.WaitFor(ctx, "22 here"))
	must(t, f.Press("d"))
	must(t, f.WaitFor(ctx, "Round 1 of 2"))
	round := func() session.Round {
		cur, _, _ := r.State().Activity().State.(*session.Networking).Round()
		return cur
	}
	if n := len(round().Groups); n != 11 {
		t.Fatalf("%d groups; want 11", n)
	}
	first := round().Groups[0]

	must(t, f.Press("v"))
	must(t, f.WaitFor(ctx, "type their new group, enter"))
	must(t, f.Type("1"))
	must(t, f.WaitFor(ctx, "to group 1_"))
	must(t, f.Press("esc"))
	must(t, f.WaitGone(ctx, "to group 1_"))
	if g, _, _ := round().GroupOf(first[0]); g != 0 {
		t.Fatalf("esc moved the person to group %d", g+1)
	}

	for _, who := range first {
		_ = who
		must(t, f.Press("v"))
		must(t, f.WaitFor(ctx, "type their new group, enter"))
		must(t, f.Type("11"))
		must(t, f.WaitFor(ctx, "to group 11_"))
		must(t, f.Press("enter"))
		must(t, f.WaitFor(ctx, "moved to group 11."))
		must(t, f.WaitGone(ctx, "to group 11_"))
	}
	cur := round()
	if len(cur.Groups) != 11 || len(cur.Groups[0]) != 0 || len(cur.Groups[10]) != 4 {
		t.Fatalf("after moving group 1 into group 11: %v", cur.Groups)
	}
	for _, who := range first {
		if g, _, _ := cur.GroupOf(who); g != 10 {
			t.Fatalf("%s is in group %d; want 11", who, g+1)
		}
	}
	must(t, f.WaitFor(ctx, "11 groups (1 empty)"))
	must(t, f.WaitFor(ctx, "G1  (empty)"))

	// A number past the last group is refused on the spot.
	must(t, f.Press("v"))
	must(t, f.Type("12\r"))
	must(t, f.WaitFor(ctx, "There is no group 12"))
	must(t, f.Press("esc"))
}

// TestNetworkingPanelFits: a note that wraps over several lines is
// counted as such, so the groups that do not fit are summed up on a line
// of their own rather than cut off with the lines below them.
func TestNetworkingPanelFits(t *testing.T) {
	_, r, _, f := netWorld(t, 2, 2)
	ctx := waitCtx(t)
	addPeople(t, r, 22) // 23 people in pairs: a note, and 11 groups
	must(t, f.WaitFor(ctx, "23 here"))
	must(t, f.Press("d"))
	must(t, f.WaitFor(ctx, "Round 1 of 2"))
	cur, _, _ := r.State().Activity().State.(*session.Networking).Round()
	if cur.Note == "" || len(cur.Groups) != 11 {
		t.Fatalf("round: %d groups, note %q", len(cur.Groups), cur.Note)
	}
	for h := 22; h <= 40; h++ {
		must(t, f.Resize(80, h))
		// Drawn for this height: the help bar is on the last line.
		must(t, f.WaitUntil(ctx, fmt.Sprintf("a %d-line screen", h), func(s string) bool {
			lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
			return len(lines) == h && strings.Contains(lines[h-1], "•") && strings.Contains(s, "Round 1 of 2")
		}))
		screen := f.Screen()
		if !strings.Contains(screen, "Done: 0 of 23 here") || !strings.Contains(screen, "Next: Close") {
			t.Fatalf("height %d: the lines after the groups are cut off\n%s", h, f.Screenshot())
		}
		all := true
		for gi := range cur.Groups {
			all = all && strings.Contains(screen, fmt.Sprintf("G%d ", gi+1))
		}
		if !all && !strings.Contains(screen, "more group") {
			t.Fatalf("height %d: groups cut off with no word of them\n%s", h, f.Screenshot())
		}
	}
}

// TestNetworkingRepeatsSaid: one pair meeting again is said in the
// singular.
func TestNetworkingRepeatsSaid(t *testing.T) {
	_, r, _, f := netWorld(t, 2, 2)
	ctx := waitCtx(t)
	addPeople(t, r, 3) // 4 people in pairs
	must(t, f.WaitFor(ctx, "4 here"))
	must(t, f.Press("space")) // draws round 1 and starts it
	must(t, f.WaitFor(ctx, "·  started "))
	must(t, f.Press("g"))
	must(t, f.WaitFor(ctx, "Round 2 of 2"))
	n := r.State().Activity().State.(*session.Networking)
	x := n.Drawn[1].Groups[0][0]
	_, met, _ := n.Drawn[0].GroupOf(x)
	y := met[0]
	if y == x {
		y = met[1]
	}
	// Moved by keys: with two groups, one digit moves at once.
	var order []session.PersonID
	for _, g := range n.Drawn[1].Groups {
		order = append(order, g...)
	}
	must(t, f.Press("v"))
	must(t, f.WaitFor(ctx, "then press their new group"))
	for range slices.Index(order, y) {
		must(t, f.Press("down"))
	}
	must(t, f.Press("1"))
	must(t, f.WaitFor(ctx, "moved to group 1."))
	if g, _, _ := r.State().Activity().State.(*session.Networking).Drawn[1].GroupOf(y); g != 0 {
		t.Fatalf("%s is in group %d; want 1", y, g+1)
	}
	if got := r.State().Activity().State.(*session.Networking).Repeats(); got != 1 {
		t.Fatalf("repeats = %d; want 1", got)
	}
	must(t, f.WaitFor(ctx, "1 pair has met before"))
}
