package tui_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
	"github.com/convene/convene/tui/sshtest"
)

// idOf is the person a key signs in as.
func idOf(s gossh.Signer) session.PersonID {
	return session.PersonID(gossh.FingerprintSHA256(s.PublicKey()))
}

// roomServer starts a server whose new meetups have the given agenda (nil:
// the built-in one), and creates a meetup run by fac.
func roomServer(t *testing.T, fac gossh.Signer, agenda func() []session.Activity) (*testServer, *session.Room, string) {
	t.Helper()
	ts := newTestServer(t, t.TempDir(), fac)
	ts.agnd = agenda
	ts.start()
	r, err := ts.hub.Create(waitCtx(t), idOf(fac), "Housing officers", "")
	must(t, err)
	return ts, r, r.State().Code
}

// enterAs brings a person into the room without a screen; closing the
// subscription is their leaving.
func enterAs(t *testing.T, r *session.Room, id session.PersonID, name string) *session.Subscription {
	t.Helper()
	sub, err := r.Enter(waitCtx(t), id, name)
	must(t, err)
	t.Cleanup(sub.Close)
	return sub
}

// do runs a command in the room as who, failing the test if it is refused.
func do(t *testing.T, r *session.Room, who session.PersonID, cmd session.Command) {
	t.Helper()
	if err := r.Do(waitCtx(t), who, cmd); err != nil {
		t.Fatalf("%s by %s: %v", cmd.Kind(), who, err)
	}
}

// mainLines are the lines of the main panel (right of the side panel),
// without the box's borders.
func mainLines(screen string) []string {
	var out []string
	for _, l := range strings.Split(screen, "\n") {
		i := strings.Index(l, "││")
		if i < 0 {
			continue
		}
		rest := strings.TrimSuffix(strings.TrimRight(l[i+len("││"):], " "), "│")
		out = append(out, strings.TrimSpace(rest))
	}
	return out
}

// sideLines are the lines of the side panel, without the box's borders.
func sideLines(screen string) []string {
	var out []string
	for _, l := range strings.Split(screen, "\n") {
		i := strings.Index(l, "││")
		if i < 0 || !strings.HasPrefix(l, "│") {
			continue
		}
		out = append(out, strings.TrimSpace(strings.TrimPrefix(l[:i], "│")))
	}
	return out
}

// sideAgenda is the agenda listed in the side panel: its titles with
// their marks.
func sideAgenda(screen string) []string {
	lines := sideLines(screen)
	var out []string
	for i, l := range lines {
		if l != "Agenda" {
			continue
		}
		for _, item := range lines[i+1:] {
			if item == "" {
				break
			}
			out = append(out, item)
		}
		break
	}
	return out
}

// sidePeople is the list of people in the side panel.
func sidePeople(screen string) []string {
	var out []string
	in := false
	for _, l := range sideLines(screen) {
		switch {
		case strings.HasPrefix(l, "People ·"):
			in = true
		case in && l != "":
			out = append(out, l)
		}
	}
	return out
}

var spaces = regexp.MustCompile(`\s+`)

// mainText is the main panel as one line of words, so that a sentence
// is found however it was wrapped (a line may break after a hyphen).
func mainText(screen string) string {
	var b strings.Builder
	for _, l := range mainLines(screen) {
		b.WriteString(l)
		if !strings.HasSuffix(l, "-") {
			b.WriteString(" ")
		}
	}
	return strings.TrimSpace(spaces.ReplaceAllString(b.String(), " "))
}

// TestQuickPressesSavedAsShown: keys typed faster than the room answers
// all count, in order, and what the screen shows once the room has
// answered is what is saved, also after a restart: dots per person in the
// vote options, rounds in the networking settings, and a participant's
// changed dot ballot cast in the same write as the changes.
func TestQuickPressesSavedAsShown(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, func() []session.Activity {
		n := session.DefaultNetworking()
		n.MinSize, n.MaxSize = 2, 3
		return []session.Activity{
			{Kind: session.KindNetworking, Title: "Networking", Duration: 9 * time.Minute, State: n},
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 10 * time.Minute, State: session.NewVote()},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 20 * time.Minute},
		}
	})
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	must(t, f.WaitFor(ctx, "2 here"))
	netOf := func(m *session.Meetup) *session.Networking { return m.Agenda[0].State.(*session.Networking) }
	voteOf := func(m *session.Meetup) *session.Vote { return m.Agenda[1].State.(*session.Vote) }

	// Rounds: 2, and four → in one write.
	must(t, f.Press("S"))
	must(t, f.WaitFor(ctx, "▶ Rounds            2"))
	must(t, f.Type(strings.Repeat("\x1b[C", 4)))
	must(t, f.WaitFor(ctx, "▶ Rounds            6"))
	waitState(t, f, "6 rounds", func() bool { return netOf(r.State()).Rounds == 6 })
	must(t, f.Press("esc"))
	must(t, f.WaitFor(ctx, "S to change"))
	if got := netOf(r.State()).Rounds; got != 6 {
		t.Fatalf("rounds = %d once the screen showed 6", got)
	}

	// Dots per person: 3, and four → in one write.
	must(t, f.Press("n"))
	must(t, f.WaitFor(ctx, "Suggestions are open"))
	do(t, r, idOf(ana), session.SuggestTopic{Text: "Damp and mould"})
	do(t, r, idOf(ana), session.SuggestTopic{Text: "Bins"})
	must(t, f.Press("o"))
	must(t, f.WaitFor(ctx, "Vote options"))
	must(t, f.Press("down"))
	must(t, f.WaitFor(ctx, "▶ Dots per person"))
	if line := lineWith(f.Screen(), "Dots per person"); !strings.Contains(line, "‹ 3 ›") {
		t.Fatalf("dots per person before the presses: %q\n%s", line, f.Screenshot())
	}
	must(t, f.Type(strings.Repeat("\x1b[C", 4)))
	must(t, f.WaitUntil(ctx, "7 dots per person", func(s string) bool {
		return strings.Contains(lineWith(s, "Dots per person"), "‹ 7 ›")
	}))
	waitState(t, f, "7 dots per person", func() bool { return voteOf(r.State()).Dots == 7 })
	must(t, f.Press("esc"))
	must(t, f.Press("v"))
	must(t, a.WaitFor(ctx, "Voting is open"))
	must(t, a.WaitFor(ctx, "7 of 7 dots left"))

	// Ana casts one dot, then moves down, places two dots and casts, all
	// in one write.
	must(t, a.Press("right", "enter"))
	must(t, a.WaitFor(ctx, "Your vote is in"))
	must(t, a.Type("\x1b[B\x1b[C\x1b[C\r"))
	must(t, a.WaitFor(ctx, "Your vote is changed"))
	must(t, a.WaitFor(ctx, "4 of 7 dots left"))
	shown := func(c *sshtest.Client) {
		t.Helper()
		s := c.Screen()
		if !strings.Contains(lineWith(s, "Damp and mould"), "●○") || !strings.Contains(lineWith(s, "Bins"), "●●") {
			t.Fatalf("the screen does not show one dot on Damp and two on Bins:\n%s", c.Screenshot())
		}
	}
	shown(a)
	ballot := func(m *session.Meetup) []string {
		p, _ := voteOf(m).Poll()
		b := p.Ballot(idOf(ana))
		slices.Sort(b)
		return b
	}
	want := []string{"t1", "t2", "t2"}
	if got := ballot(r.State()); !slices.Equal(got, want) {
		t.Fatalf("saved ballot = %v; the screen shows %v", got, want)
	}

	// A restart on the same data keeps all three.
	ts.stop()
	ts.start()
	r2, err := ts.hub.Find(code)
	must(t, err)
	st := r2.State()
	if got := netOf(st).Rounds; got != 6 {
		t.Fatalf("rounds after a restart = %d; want 6", got)
	}
	if got := voteOf(st).Dots; got != 7 {
		t.Fatalf("dots per person after a restart = %d; want 7", got)
	}
	if got := ballot(st); !slices.Equal(got, want) {
		t.Fatalf("ballot after a restart = %v; want %v", got, want)
	}
	a2 := join(t, ts.addr, ana, "ana", code, "Ana")
	must(t, a2.WaitFor(ctx, "4 of 7 dots left"))
	must(t, a2.WaitFor(ctx, "Your vote is in"))
	shown(a2)
}

// TestCountdownAndAnnouncementForms: T sets the countdown to an exact time
// on every screen, - takes a minute off; a time that cannot be read and
// an announcement that is too long are refused with a sentence and stay in
// their field; esc cancels.
func TestCountdownAndAnnouncementForms(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindWelcome, Title: "Welcome", Duration: 5 * time.Minute},
			{Kind: session.KindClose, Title: "Close"},
		}
	})
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	all := []*sshtest.Client{f, a}
	must(t, f.WaitFor(ctx, "2 here"))
	must(t, f.Press("space"))
	for _, c := range all {
		must(t, c.WaitFor(ctx, "left"))
	}

	// clockIn waits until every screen's countdown is within [lo, hi]
	// seconds.
	clockIn := func(lo, hi int) {
		t.Helper()
		for _, c := range all {
			must(t, c.WaitUntil(ctx, fmt.Sprintf("a countdown between %d and %d s", lo, hi), func(s string) bool {
				m := clockRE.FindStringSubmatch(s)
				if m == nil {
					return false
				}
				var mins, secs int
				fmt.Sscan(m[1], &mins)
				fmt.Sscan(m[2], &secs)
				left := mins*60 + secs
				return left >= lo && left <= hi
			}))
		}
	}
	must(t, f.Press("T"))
	must(t, f.WaitFor(ctx, "Time left:"))
	must(t, f.Type("4:30"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "Countdown set to 4:30."))
	clockIn(4*60+27, 4*60+30)
	must(t, f.Press("-"))
	must(t, f.WaitFor(ctx, "Took a minute off."))
	clockIn(3*60+26, 3*60+30)

	// Times that cannot be read: refused with a sentence, the text kept.
	before := r.State().Version
	const why = "Type the time left as minutes (5) or minutes:seconds (4:30)."
	must(t, f.Press("T"))
	must(t, f.WaitFor(ctx, "Time left:"))
	for _, bad := range []string{"abc", "4:75"} {
		must(t, f.Press("ctrl+u"))
		must(t, f.Type(bad))
		must(t, f.WaitUntil(ctx, bad+" typed", func(s string) bool {
			return strings.Contains(lineWith(s, "Time left:"), "> "+bad) && !strings.Contains(s, why)
		}))
		must(t, f.Press("enter"))
		must(t, f.WaitFor(ctx, why))
		if line := lineWith(f.Screen(), "Time left:"); !strings.Contains(line, "> "+bad) {
			t.Fatalf("%q refused, but the field lost it: %q\n%s", bad, line, f.Screenshot())
		}
	}
	must(t, f.Press("esc"))
	must(t, f.WaitGone(ctx, "Time left:"))
	if v := r.State().Version; v != before {
		t.Fatalf("a refused time changed the meetup: version %d, then %d", before, v)
	}
	clockIn(3*60, 3*60+30)

	// An announcement too long: refused with its length and the limit,
	// kept in the field; esc then cancels, and nothing is sent.
	long := strings.Repeat("abcdefghi ", 20)[:199] + "z"
	must(t, f.Press("a"))
	must(t, f.WaitFor(ctx, "To every screen:"))
	must(t, f.Paste(long))
	must(t, f.WaitFor(ctx, "200/120 too long"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "The announcement is too long: 200 characters, at most 120 characters."))
	must(t, f.WaitFor(ctx, "200/120 too long"))
	if line := lineWith(f.Screen(), "To every screen:"); !strings.Contains(line, "ghiz") {
		t.Fatalf("the field no longer ends with what was pasted: %q\n%s", line, f.Screenshot())
	}
	must(t, f.Press("esc"))
	must(t, f.WaitGone(ctx, "To every screen:"))
	if n := r.State().Notice; n.Text != "" {
		t.Fatalf("a cancelled announcement was sent: %+v", n)
	}
	// A short one goes to every screen.
	must(t, f.Press("a"))
	must(t, f.WaitFor(ctx, "To every screen:"))
	must(t, f.Type("Back in five\r"))
	for _, c := range all {
		must(t, c.WaitFor(ctx, "» Fran: Back in five"))
	}
	if n := r.State().Notice; n.Text != "Back in five" {
		t.Fatalf("announcement = %+v", n)
	}
}

// TestSameNamesTellApart: two people joining under one name are told
// apart on every screen, and a rename to a name someone here has is
// refused with a sentence, the text kept in the field.
func TestSameNamesTellApart(t *testing.T) {
	fac, ana1, ana2, ben := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, nil)
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a1 := join(t, ts.addr, ana1, "ana", code, "Ana")
	must(t, a1.WaitFor(ctx, "2 here"))
	a2 := join(t, ts.addr, ana2, "ana", code, "Ana")
	b := join(t, ts.addr, ben, "ben", code, "Ben")
	all := []*sshtest.Client{f, a1, a2, b}
	for _, c := range all {
		must(t, c.WaitFor(ctx, "4 here"))
	}
	if n1, n2 := r.State().NameOf(idOf(ana1)), r.State().NameOf(idOf(ana2)); n1 != "Ana" || n2 != "Ana (2)" {
		t.Fatalf("names = %q and %q; want Ana and Ana (2)", n1, n2)
	}
	for i, c := range all {
		must(t, c.WaitFor(ctx, "Ana (2)"))
		people := sidePeople(c.Screen())
		has := func(name string) bool {
			return slices.ContainsFunc(people, func(l string) bool {
				return l == "● "+name || l == "● "+name+" (you)"
			})
		}
		if !has("Ana") || !has("Ana (2)") {
			t.Fatalf("screen %d does not tell the two apart: %q\n%s", i, people, c.Screenshot())
		}
	}
	if !strings.Contains(lineWith(a2.Screen(), "convene"), "Ana (2)") {
		t.Fatalf("the second Ana's header does not give her name:\n%s", a2.Screenshot())
	}

	// Ben tries to take Ana's name, in other letters.
	must(t, b.Press("N"))
	must(t, b.WaitFor(ctx, "Your name:"))
	must(t, b.Press("ctrl+u"))
	must(t, b.Type("ana"))
	must(t, b.Press("enter"))
	must(t, b.WaitFor(ctx, "Someone here is already called Ana: choose another name."))
	must(t, b.WaitUntil(ctx, "the name kept in the field", func(s string) bool {
		return strings.Contains(lineWith(s, "Your name:"), "> ana")
	}))
	if got := r.State().NameOf(idOf(ben)); got != "Ben" {
		t.Fatalf("Ben's name = %q after a refused rename", got)
	}
	// The kept text can be edited and sent.
	must(t, b.Type("belle"))
	must(t, b.Press("enter"))
	must(t, b.WaitFor(ctx, "Your name is now anabelle."))
	must(t, f.WaitFor(ctx, "anabelle"))
}

// TestRoleListStartsWithNobody: enter in the role list before choosing
// anybody changes nobody's role and says to choose someone first.
func TestRoleListStartsWithNobody(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, nil)
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	must(t, f.WaitFor(ctx, "2 here"))
	before := r.State().Version
	must(t, f.Press("m"))
	must(t, f.WaitFor(ctx, "People and roles"))
	for _, l := range mainLines(f.Screen()) {
		if strings.HasPrefix(l, "▶") {
			t.Fatalf("someone is chosen when the list opens: %q\n%s", l, f.Screenshot())
		}
	}
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "Choose someone with ↑/↓ first."))
	if v := r.State().Version; v != before {
		t.Fatalf("enter on an unchosen list changed the meetup: version %d, then %d", before, v)
	}
	for _, m := range r.State().Members {
		if m.Role == session.RoleCoFacilitator {
			t.Fatalf("%s was made co-facilitator", m.Name)
		}
	}
	// Chosen, the second in the list is made co-facilitator.
	must(t, f.Press("down"))
	must(t, f.WaitUntil(ctx, "Fran chosen", func(s string) bool {
		return slices.ContainsFunc(mainLines(s), func(l string) bool { return strings.HasPrefix(l, "▶ Fran") })
	}))
	must(t, f.Press("down", "enter"))
	must(t, f.WaitFor(ctx, "Ana is now co-facilitator."))
	must(t, a.WaitFor(ctx, "Ana (co-facilitator)"))
}

var moreLinesRE = regexp.MustCompile(`↓ (\d+) more lines?`)

// TestRankedRoundsReadable: after a ranked vote closes, a participant on
// an 80x24 screen reads every round with i and ↓, including the sentence
// saying that a tie-break decided an elimination.
func TestRankedRoundsReadable(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 10 * time.Minute, State: session.NewVote()},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 20 * time.Minute},
		}
	})
	ctx := waitCtx(t)
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	must(t, a.WaitFor(ctx, "Suggestions are open"))
	host := idOf(fac)
	enterAs(t, r, host, "Fran")
	for _, text := range []string{"Damp", "Bins", "Parking", "Noise"} {
		do(t, r, idOf(ana), session.SuggestTopic{Text: text})
	}
	do(t, r, host, session.SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
	do(t, r, host, session.StartVoting{})
	// Round 1: Damp 3, Bins 2, Parking 1, Noise 1: Parking and Noise tie
	// for fewest and the tie-break puts Noise out. Round 2: Damp 3, Bins
	// 3, Parking 1: Parking out. Round 3: Bins 4 of 7 wins.
	ballots := []vote.Ballot{{"t1"}, {"t1"}, {"t1"}, {"t2", "t1"}, {"t2", "t1"}, {"t3", "t2"}, {"t4", "t2"}}
	for i, b := range ballots {
		who := idOf(ana)
		if i > 0 {
			who = session.PersonID(fmt.Sprintf("SHA256:voter%d", i))
			enterAs(t, r, who, fmt.Sprintf("Voter %d", i))
		}
		do(t, r, who, session.CastBallot{Ballot: b})
	}
	do(t, r, host, session.CloseVoting{})
	must(t, a.WaitFor(ctx, "Winner"))
	// (The sentence offering the rounds is cut at 80 columns: see
	// TestCutSentences.)
	must(t, a.WaitUntil(ctx, "the rounds offered", func(s string) bool {
		return strings.Contains(mainText(s), "Counted in 3 rounds of instant runoff") && strings.Contains(s, "i every round")
	}))
	must(t, a.Press("i"))
	must(t, a.WaitFor(ctx, "Instant runoff · 3 rounds · 7 ballots"))

	wants := []string{
		"Round 1", "Round 2", "Round 3",
		`"Parking" and "Noise" tied for fewest; by tie-break "Noise" is out: nothing else told them apart, so the one listed last goes.`,
		`"Parking" had the fewest votes and is out.`,
		`"Bins" has a majority and wins.`,
	}
	seen := map[string]bool{}
	look := func() {
		text := mainText(a.Screen())
		for _, w := range wants {
			if strings.Contains(text, w) {
				seen[w] = true
			}
		}
	}
	look()
	m := moreLinesRE.FindStringSubmatch(a.Screen())
	if m == nil {
		t.Fatalf("every round fits at once; the test means to scroll:\n%s", a.Screenshot())
	}
	more := 0
	fmt.Sscan(m[1], &more)
	for more > 0 {
		must(t, a.Press("down"))
		want := more - 1
		must(t, a.WaitUntil(ctx, fmt.Sprintf("%d more lines", want), func(s string) bool {
			m := moreLinesRE.FindStringSubmatch(s)
			if m == nil {
				return want == 0 && strings.Contains(s, "Instant runoff")
			}
			return m[1] == fmt.Sprint(want)
		}))
		more = want
		look()
	}
	for _, w := range wants {
		if !seen[w] {
			t.Errorf("scrolling through the rounds never showed %q", w)
		}
	}
	if t.Failed() {
		t.Fatalf("last screen:\n%s", a.Screenshot())
	}
	// i goes back to the results.
	must(t, a.Press("i"))
	must(t, a.WaitFor(ctx, `Winner: "Bins"`))
}

// TestTogglesPressedTwice: a switch pressed twice in one write, before the
// screen has seen the first press, turns on and off again, as pressed: the
// room flips it from where it has it.
func TestTogglesPressedTwice(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, nil)
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	must(t, f.WaitFor(ctx, "2 here"))
	before := r.State().Version
	must(t, a.Type("rr"))
	must(t, a.WaitFor(ctx, "no longer marked done"))
	if mem, _ := r.State().Member(idOf(ana)); mem.Ready {
		t.Fatalf("r pressed twice left Ana done")
	}
	if v := r.State().Version; v != before+2 {
		t.Fatalf("r pressed twice made %d changes; want 2", v-before)
	}
	must(t, f.Type("  "))
	must(t, f.WaitFor(ctx, "Timer paused."))
	if tm := r.State().Timer; tm.Running || !tm.Started {
		t.Fatalf("space pressed twice: timer %+v; want started, then paused", tm)
	}
	must(t, a.WaitFor(ctx, "paused"))
}
