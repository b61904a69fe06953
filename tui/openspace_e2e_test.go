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

// TestOpenSpaceEndToEnd: four people over real SSH at 80x24. Items posted
// and +1'd appear live on every screen; the facilitator sorts the queue
// by +1s and gives the floor to the first item, shown to all; the item
// becomes an action owned by its author, who sees it marked on her
// screen; then the close shows every screen the outcomes and the
// facilitator's thank-you.
func TestOpenSpaceEndToEnd(t *testing.T) {
	signers := make([]gossh.Signer, 4)
	for i := range signers {
		signers[i] = sshtest.NewSigner(t)
	}
	ts, r, code := roomServer(t, signers[0], func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute},
			{Kind: session.KindClose, Title: "Close", Duration: 5 * time.Minute, Note: "Thank you for coming."},
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	names := []string{"Fran", "Ana", "Ben", "Cy"}
	clients := make([]*sshtest.Client, len(names))
	for i, name := range names {
		clients[i] = join(t, ts.addr, signers[i], strings.ToLower(name), code, name)
	}
	fran, ana, ben, cy := clients[0], clients[1], clients[2], clients[3]
	all := func(what string) {
		t.Helper()
		for i, c := range clients {
			if err := c.WaitFor(ctx, what); err != nil {
				t.Fatalf("%s never sees %q: %v\n%s", names[i], what, err, c.Screenshot())
			}
		}
	}
	allLine := func(text, want string) {
		t.Helper()
		for i, c := range clients {
			if err := c.WaitUntil(ctx, text+" with "+want, func(s string) bool {
				return strings.Contains(lineWith(s, text), want)
			}); err != nil {
				t.Fatalf("%s never sees %q on the line of %q: %v\n%s", names[i], want, text, err, c.Screenshot())
			}
		}
	}
	all("4 here")
	all("Nothing raised yet")

	// Ana posts an item with a detail; Ben one without.
	must(t, ana.Press("i"))
	must(t, ana.WaitFor(ctx, "Your item"))
	must(t, ana.Type("Damp and mould"))
	must(t, ana.Press("enter"))
	must(t, ana.WaitFor(ctx, "Detail"))
	must(t, ana.Type("Three blocks this month"))
	must(t, ana.Press("enter"))
	all("Damp and mould")
	must(t, ben.Press("i"))
	must(t, ben.WaitFor(ctx, "Your item"))
	must(t, ben.Type("Parking near the office"))
	must(t, ben.Press("enter"))
	must(t, ben.WaitFor(ctx, "Detail"))
	must(t, ben.Press("enter"))
	all("2 items")
	allLine("Parking near the office", "+0")

	// +1s on Parking (the second row) from Cy and Fran: live everywhere.
	must(t, cy.Press("down", "v"))
	must(t, cy.WaitFor(ctx, "Your +1 is in"))
	allLine("Parking near the office", "+1")
	must(t, fran.Press("down", "v"))
	allLine("Parking near the office", "+2")

	// Sorted by +1s, Parking comes first; Fran gives it the floor.
	must(t, fran.Press("s"))
	all("by +1s")
	must(t, fran.Press("up", "up", "f"))
	all("ON THE FLOOR")
	allLine("ON THE FLOOR", "Parking near the office")

	// Fran makes Ben's item an action: A, f, the first source, its text,
	// its author as owner, friday.
	must(t, fran.Press("A"))
	must(t, fran.WaitFor(ctx, "Actions · 0"))
	must(t, fran.Press("f"))
	must(t, fran.WaitFor(ctx, "Make an action from:"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Action"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Who will do it?"))
	must(t, fran.WaitFor(ctx, "▶ Ben"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Due"))
	must(t, fran.Type("friday"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Action added for Ben"))
	must(t, ben.WaitFor(ctx, "★ 1 action is yours"))
	for i, c := range []*sshtest.Client{ana, cy} {
		if strings.Contains(c.Screen(), "action is yours") {
			t.Fatalf("%s sees Ben's action marked as theirs:\n%s", names[i+1], c.Screenshot())
		}
	}
	if acts := r.State().Actions; len(acts) != 1 || acts[0].OwnerName != "Ben" || acts[0].Due.IsZero() {
		t.Fatalf("actions = %+v", acts)
	}

	// The close, on every screen, with the thank-you.
	must(t, fran.Press("esc", "n"))
	all("Outcomes")
	all("Open space · 2 items")
	all("Actions · 1")
	must(t, fran.Press("t"))
	all("Thank you all for coming. See you next time!")
	must(t, ben.WaitFor(ctx, "yours"))
}
