package tui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestSolutionCircleEndToEnd: five people over real SSH hold a whole
// solution circle, make an action of a useful idea, raise an item in open
// space and see it all at the close. The facilitator sets it up with Ana as the sharer;
// Ana types a summary and answers a question; everyone else offers ideas
// in turn (one passes) while Ana's screen says she is listening and
// refuses her ideas; in the open discussion two raise their hands and see
// their place in the queue, and the facilitator gives the floor; in the
// feedback Ana marks an idea useful and names her first step, and every
// screen shows it. The facilitator makes the useful idea an action, whose
// owner sees it marked; in open space Dee raises an item, Ben gives it a
// +1 and it is given the floor; the close shows every outcome on every
// screen, and the facilitator's thank-you.
func TestSolutionCircleEndToEnd(t *testing.T) {
	signers := make([]gossh.Signer, 5)
	for i := range signers {
		signers[i] = sshtest.NewSigner(t)
	}
	ts, r, code := roomServer(t, signers[0], func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 30 * time.Minute},
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute},
			{Kind: session.KindClose, Title: "Close", Duration: 5 * time.Minute},
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	names := []string{"Fran", "Ana", "Ben", "Cy", "Dee"}
	clients := make([]*sshtest.Client, len(names))
	byID := map[session.PersonID]*sshtest.Client{}
	for i, name := range names {
		clients[i] = join(t, ts.addr, signers[i], strings.ToLower(name), code, name)
		byID[idOf(signers[i])] = clients[i]
		must(t, clients[i].WaitFor(ctx, "Setting up"))
	}
	fran, ana, ben, cy, dee := clients[0], clients[1], clients[2], clients[3], clients[4]
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "5 here"))
	}
	says := func(c *sshtest.Client, text string) {
		t.Helper()
		must(t, c.WaitUntil(ctx, text, func(s string) bool { return strings.Contains(mainText(s)+" "+s, text) }))
	}
	everyone := func(text string) {
		t.Helper()
		for _, c := range clients {
			says(c, text)
		}
	}

	// Set-up: Ana is the sharer of "Damp in flats".
	must(t, fran.Press("s"))
	must(t, fran.WaitFor(ctx, "Set up the solution circle"))
	pressUntil(t, ctx, fran, "right", "◂", "◂ Ana ▸", len(names)+1)
	must(t, fran.Press("down", "enter"))
	must(t, fran.WaitFor(ctx, "challenge"))
	must(t, fran.Type("Damp in flats"))
	must(t, fran.Press("enter", "enter"))
	must(t, fran.WaitFor(ctx, "Set-up saved"))
	must(t, fran.Press(">"))
	everyone("Phase 1 of 5")
	everyone("Damp in flats · shared by")
	says(ana, "Describe your challenge")

	// The challenge: Ana's summary reaches everyone.
	must(t, ana.Press("w"))
	must(t, ana.WaitFor(ctx, "Summary"))
	must(t, ana.Type("Tenants report damp; repairs take months"))
	must(t, ana.Press("enter"))
	everyone("repairs take months")

	// Clarifying questions: Ben asks, Ana answers.
	must(t, fran.Press(">"))
	everyone("Phase 2 of 5")
	must(t, ben.Press("c"))
	must(t, ben.WaitFor(ctx, "Question"))
	must(t, ben.Type("How many flats?"))
	must(t, ben.Press("enter"))
	says(ana, "How many flats?")
	must(t, ana.Press("enter"))
	must(t, ana.WaitFor(ctx, "Answer"))
	must(t, ana.Type("About forty"))
	must(t, ana.Press("enter"))
	everyone("→ About forty")

	// Ideas in turn: everyone but Ana, in order; the second passes.
	must(t, fran.Press(">"))
	everyone("Phase 3 of 5")
	says(ana, "You are listening")
	must(t, ana.Press("i"))
	says(ana, "You are the problem sharer")
	group := func() session.CircleGroup {
		return r.State().Activity().State.(*session.Circle).Groups[0]
	}
	order := group().Order
	if len(order) != 4 {
		t.Fatalf("turn order %v; want the four who are not sharing", order)
	}
	ideas := []string{"Survey every flat", "", "Lend dehumidifiers", "Ask the tenants panel"}
	for turn, id := range order {
		c := byID[id]
		says(c, "Your turn")
		for _, other := range clients {
			if other != c && other != ana {
				must(t, other.WaitUntil(ctx, "the speaker shown", func(s string) bool { return strings.Contains(s, "is speaking") }))
			}
		}
		if ideas[turn] == "" {
			must(t, c.Press("x"))
			says(c, "You passed")
			continue
		}
		must(t, c.Press("i"))
		must(t, c.WaitFor(ctx, "Idea"))
		must(t, c.Type(ideas[turn]))
		must(t, c.Press("enter"))
		says(ana, ideas[turn])
		must(t, c.Press("d"))
	}
	for _, c := range clients {
		if c != ana {
			says(c, "Everyone has had their turn")
		}
	}
	says(ana, "Ideas · 3")
	if g := group(); len(g.Ideas) != 3 || len(g.Passed) != 1 || g.Passed[0] != order[1] {
		t.Fatalf("after the turns: %d ideas, passed %v", len(g.Ideas), g.Passed)
	}

	// Open discussion: two hands, the floor.
	must(t, fran.Press(">"))
	everyone("Phase 4 of 5")
	must(t, cy.Press("h"))
	says(cy, "you are 1st in the queue")
	must(t, dee.Press("h"))
	says(dee, "you are 2nd in the queue")
	must(t, fran.WaitFor(ctx, "Hands: 1 Cy · 2 Dee"))
	must(t, fran.Press("f"))
	says(cy, "You have the floor")
	says(dee, "you are 1st in the queue")
	must(t, cy.Press("i"))
	must(t, cy.WaitFor(ctx, "Idea"))
	must(t, cy.Type("Fund a damp officer"))
	must(t, cy.Press("enter", "esc"))
	everyone("Fund a damp officer")

	// Feedback: Ana marks "Lend dehumidifiers" useful and names her step.
	must(t, fran.Press(">"))
	everyone("Phase 5 of 5")
	must(t, ana.Press("down", "u"))
	everyone("★ Lend dehumidifiers")
	must(t, ana.Press("w"))
	must(t, ana.WaitFor(ctx, "Heard"))
	must(t, ana.Type("Dehumidifiers help at once"))
	must(t, ana.Press("enter"))
	must(t, ana.Type("Ask the budget holder"))
	must(t, ana.Press("enter"))
	must(t, ana.Type("2026-12-04"))
	must(t, ana.Press("enter"))
	everyone("First step: Ask the budget holder")

	o := r.State().Outcomes()
	if len(o.Circles) != 1 || len(o.Circles[0].Useful) != 1 || o.Circles[0].Useful[0].Text != "Lend dehumidifiers" ||
		o.Circles[0].Ideas != 4 || o.Circles[0].FirstStep != "Ask the budget holder" {
		t.Fatalf("outcomes = %+v", o.Circles)
	}

	// One action, from the useful idea, owned by whoever is offered.
	must(t, fran.Press("A"))
	must(t, fran.WaitFor(ctx, "Actions · 0"))
	must(t, fran.Press("f"))
	must(t, fran.WaitFor(ctx, "Make an action from:"))
	must(t, fran.WaitFor(ctx, "Lend dehumidifiers"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Action"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Who will do it?"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Due"))
	must(t, fran.Type("in 2 weeks"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Action added for"))
	acts := r.State().Actions
	if len(acts) != 1 || acts[0].Text != "Lend dehumidifiers" || acts[0].Owner == "" || acts[0].Due.IsZero() {
		t.Fatalf("actions = %+v", acts)
	}
	owner := byID[acts[0].Owner]
	says(owner, "★ 1 action is yours")
	for _, c := range clients {
		if c != owner && strings.Contains(c.Screen(), "action is yours") {
			t.Fatalf("someone else sees the action marked as theirs:\n%s", c.Screenshot())
		}
	}

	// Open space: Dee raises an item, Ben +1s it, Fran gives it the floor.
	must(t, fran.Press("esc", "n"))
	everyone("Nothing raised yet")
	must(t, dee.Press("i"))
	must(t, dee.WaitFor(ctx, "Your item"))
	must(t, dee.Type("Noise complaints at night"))
	must(t, dee.Press("enter"))
	must(t, dee.WaitFor(ctx, "Detail"))
	must(t, dee.Press("enter"))
	everyone("Noise complaints at night")
	must(t, ben.Press("down", "v"))
	must(t, ben.WaitFor(ctx, "Your +1 is in"))
	must(t, fran.Press("down", "f"))
	everyone("ON THE FLOOR")

	// The close: every outcome on every screen (on a taller window: at
	// 80x24 it scrolls), then the thank-you.
	must(t, fran.Press("n"))
	everyone("Outcomes")
	for _, c := range clients {
		must(t, c.Resize(120, 45))
	}
	everyone("Damp in flats")
	everyone("Lend dehumidifiers")
	everyone("Ask the budget holder")
	everyone("Noise complaints at night")
	everyone("Actions · 1")
	must(t, fran.Press("t"))
	everyone("Thank you all for coming. See you next time!")
}
