package tui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestMoveBetweenCirclesOverSSH: two circles run; the facilitator opens
// the people, chooses Cy, presses g and the other circle's number, and
// Cy's screen shows the other circle.
func TestMoveBetweenCirclesOverSSH(t *testing.T) {
	fac := sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.start()
	ctx := waitCtx(t)

	f, code := createByKeys(t, ts.addr, fac, "Two circles")
	names := []string{"Ana", "Ben", "Cy", "Dee", "Eve"}
	ids := map[string]session.PersonID{}
	clients := map[string]*sshtest.Client{}
	for _, n := range names {
		s := sshtest.NewSigner(t)
		ids[n] = session.PersonID(gossh.FingerprintSHA256(s.PublicKey()))
		clients[n] = join(t, ts.addr, s, strings.ToLower(n), code, n)
	}
	must(t, f.WaitFor(ctx, fmt.Sprintf("%d here", len(names)+1)))

	// The circles are set up and started in the room directly: the set-up
	// by keys has its own test.
	room, err := ts.hub.Find(code)
	must(t, err)
	facID := session.PersonID(gossh.FingerprintSHA256(fac.PublicKey()))
	do := func(cmd session.Command) { must(t, room.Do(context.Background(), facID, cmd)) }
	for i, a := range room.State().Agenda {
		if a.Kind == session.KindCircle {
			do(session.GoTo{Index: i})
		}
	}
	cs := room.State().Activity().State.(*session.Circle)
	su := cs.Setup()
	su.Circles = []session.CirclePlan{{Sharer: ids["Ana"], Title: "Damp in flats"}, {Sharer: ids["Ben"], Title: "Parking"}}
	do(su)
	do(session.CircleNext{})
	cs = room.State().Activity().State.(*session.Circle)
	from, _ := cs.GroupOf(ids["Cy"])
	to := 2 - from // the other circle, from 1
	titles := []string{"Damp in flats", "Parking"}
	cy := clients["Cy"]
	must(t, cy.WaitFor(ctx, titles[from]))

	must(t, f.Press("m"))
	must(t, f.WaitFor(ctx, "People and roles"))
	for _, mem := range room.State().Members {
		must(t, f.Press("down"))
		if mem.ID == ids["Cy"] {
			break
		}
	}
	must(t, f.WaitFor(ctx, "▶ Cy"))
	must(t, f.Press("g"))
	must(t, f.WaitFor(ctx, "Move Cy to which circle?"))
	must(t, f.Type(fmt.Sprint(to)))
	must(t, f.WaitFor(ctx, fmt.Sprintf("Cy is now in circle %d.", to)))
	must(t, cy.WaitFor(ctx, titles[to-1]))
	must(t, cy.WaitGone(ctx, titles[from]))
	if gi, _ := room.State().Activity().State.(*session.Circle).GroupOf(ids["Cy"]); gi != to-1 {
		t.Fatalf("Cy is in circle %d; want %d", gi+1, to)
	}
}
