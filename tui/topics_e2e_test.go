package tui_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestTopicsAndVotingEndToEnd: five people over real SSH suggest topics,
// the facilitator merges a duplicate and opens a dot vote, everyone votes,
// and when the facilitator closes it all five screens show the same
// winner and totals. Nobody but the facilitator sees who has voted, and
// nobody sees a tally before the close.
func TestTopicsAndVotingEndToEnd(t *testing.T) {
	signers := make([]gossh.Signer, 5)
	for i := range signers {
		signers[i] = sshtest.NewSigner(t)
	}
	ts := newTestServer(t, t.TempDir(), signers[0])
	ts.agnd = func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 8 * time.Minute},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 20 * time.Minute,
				Note: "The problem sharer presents; everyone offers ideas."},
		}
	}
	ts.start()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := ts.hub.Create(ctx, session.PersonID(gossh.FingerprintSHA256(signers[0].PublicKey())), "Housing officers", "")
	must(t, err)
	code := r.State().Code

	names := []string{"Fran", "Ana", "Ben", "Cy", "Dee"}
	clients := make([]*sshtest.Client, len(names))
	for i, name := range names {
		clients[i] = join(t, ts.addr, signers[i], strings.ToLower(name), code, name)
	}
	fran, ana, ben, cy, dee := clients[0], clients[1], clients[2], clients[3], clients[4]
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "5 here"))
		must(t, c.WaitFor(ctx, "Suggestions are open"))
	}

	// Suggestions, one after another so that the list order is known;
	// Cy's repeats Ana's.
	for _, s := range []struct {
		c    *sshtest.Client
		text string
	}{{ana, "Damp and mould"}, {ben, "Parking near the office"}, {cy, "damp & mould in flats"}, {dee, "Bins"}} {
		must(t, s.c.Press("t"))
		must(t, s.c.WaitFor(ctx, "New topic"))
		must(t, s.c.Type(s.text))
		must(t, s.c.Press("enter"))
		must(t, s.c.WaitFor(ctx, "Added"))
		must(t, s.c.Press("esc"))
	}
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "4 topics"))
		must(t, c.WaitFor(ctx, "damp & mould in flats"))
	}
	// Authors: the facilitator sees them; participants see only their own.
	if line := lineWith(fran.Screen(), "Bins"); !strings.Contains(line, "Dee") {
		t.Fatalf("the facilitator does not see Bins' author:\n%s", fran.Screenshot())
	}
	if line := lineWith(ana.Screen(), "Bins"); strings.Contains(line, "Dee") {
		t.Fatalf("a participant sees a hidden author:\n%s", ana.Screenshot())
	}

	// The facilitator merges Cy's duplicate (the third) into Ana's (the first).
	must(t, fran.Press("down", "down", "M"))
	must(t, fran.WaitFor(ctx, `Merge "damp & mould in flats"`))
	must(t, fran.Press("up", "enter"))
	must(t, fran.WaitFor(ctx, "Merged"))
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "3 topics"))
		must(t, c.WaitUntil(ctx, "the duplicate gone from the list", func(s string) bool {
			return !strings.Contains(lineWith(s, "damp & mould in flats"), "│")
		}))
	}
	if line := lineWith(fran.Screen(), "Damp and mould"); !strings.Contains(line, "Ana, Cy") {
		t.Fatalf("merged authors not shown to the facilitator:\n%s", fran.Screenshot())
	}

	must(t, fran.Press("v"))
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "Voting is open"))
	}

	// Dots, 3 each, at most 2 on a topic. Rows: Damp, Parking, Bins.
	// Totals: Damp 2+2+1+1 = 6, Bins 1+2+2 = 5, Parking 1+2+1 = 4.
	votes := map[*sshtest.Client][]string{
		fran: {"right", "right", "down", "down", "right"},
		ana:  {"right", "right", "down", "right"},
		ben:  {"right", "down", "right", "right"},
		cy:   {"right", "down", "down", "right", "right"},
		dee:  {"down", "right", "down", "right", "right"},
	}
	for i, c := range clients {
		must(t, c.Press("up", "up"))
		must(t, c.Press(votes[c]...))
		must(t, c.WaitFor(ctx, "0 of 3 dots left"))
		must(t, c.Press("enter"))
		must(t, c.WaitFor(ctx, "Your vote is in"))
		must(t, fran.WaitFor(ctx, fmt.Sprintf("Voted: %d of 5 here", i+1)))
	}
	// Secrecy while voting: no tallies anywhere, and only the facilitator
	// sees who has voted.
	for i, c := range clients {
		s := c.Screen()
		if strings.Contains(s, "█") {
			t.Fatalf("%s sees a tally while results are hidden:\n%s", names[i], c.Screenshot())
		}
		if i > 0 && strings.Contains(s, "Voted:") {
			t.Fatalf("%s sees who has voted:\n%s", names[i], c.Screenshot())
		}
	}

	must(t, fran.Press("c"))
	must(t, fran.WaitFor(ctx, "Close voting and count the 5 ballots?"))
	must(t, fran.Press("y"))
	want := map[string]int{"Damp and mould": 6, "Bins": 5, "Parking near": 4}
	for i, c := range clients {
		must(t, c.WaitFor(ctx, `Winner: "Damp and mould" with 6 dots`))
		must(t, c.WaitFor(ctx, "5 ballots"))
		s := c.Screen()
		for topic, n := range want {
			if got := total(s, topic); got != n {
				t.Fatalf("%s's screen shows %d for %q; want %d:\n%s", names[i], got, topic, n, c.Screenshot())
			}
		}
	}
	must(t, ana.WaitFor(ctx, "You suggested it and are invited"))
	must(t, fran.WaitFor(ctx, "Ana and Cy suggested it"))
	if strings.Contains(ben.Screen(), "Ana suggested it") {
		t.Fatalf("a hidden author is named to a participant:\n%s", ben.Screenshot())
	}

	// The chosen topic is carried into the solution circle.
	must(t, fran.Press("n"))
	for _, c := range clients {
		must(t, c.WaitFor(ctx, `Topic: "Damp and mould"`))
	}
}

// lineWith returns the first line of screen containing text.
func lineWith(screen, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

var totalRE = regexp.MustCompile(`(\d+)\s*│\s*$`)

// total reads the number at the end of a topic's bar in the result chart.
func total(screen, topic string) int {
	for _, l := range strings.Split(screen, "\n") {
		if !strings.Contains(l, topic) || !strings.Contains(l, "█") {
			continue
		}
		if m := totalRE.FindStringSubmatch(l); m != nil {
			n := 0
			fmt.Sscan(m[1], &n)
			return n
		}
	}
	return -1
}
