package tui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestSeriesCarryOverEndToEnd: meetup 1 of the series "Officers" gets an
// action through the actions overlay and is ended; meetup 2, created in
// the same series from the lobby, shows that open action in its Welcome on
// every screen; a facilitator marks it done from the History, and the next
// Welcome no longer lists it. The export of meetup 1 over SSH holds it.
func TestSeriesCarryOverEndToEnd(t *testing.T) {
	fac, ana, ben := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r1, err := ts.hub.CreateInSeries(ctx, idOf(fac), "Housing officers, November", "", "Officers")
	must(t, err)
	code1 := session.FormatCode(r1.State().Code)

	// Meetup 1: Fran makes an action for Ana through A, then ends it.
	fran := join(t, ts.addr, fac, "fran", code1, "Fran")
	a := join(t, ts.addr, ana, "ana", code1, "Ana")
	must(t, fran.WaitFor(ctx, "2 here"))
	must(t, fran.Press("A"))
	must(t, fran.WaitFor(ctx, "Actions · 0"))
	must(t, fran.Press("a"))
	must(t, fran.WaitFor(ctx, "what will be done"))
	must(t, fran.Type("Write to the council about damp"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Who will do it?"))
	pressUntil(t, ctx, fran, "down", "▶", "▶ Ana", 4)
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Due"))
	must(t, fran.Type("2026-12-09"))
	must(t, fran.Press("enter"))
	must(t, fran.WaitFor(ctx, "Action added for Ana"))
	must(t, a.WaitFor(ctx, "★ 1 action is yours"))
	must(t, fran.Press("esc", "E"))
	must(t, fran.WaitFor(ctx, "End the meetup for everyone?"))
	must(t, fran.Press("y"))
	must(t, fran.WaitFor(ctx, "This meetup has ended"))
	must(t, a.WaitFor(ctx, "This meetup has ended"))
	must(t, fran.Press("q"))
	must(t, a.Press("q"))

	// Meetup 2, created from the lobby in the same series.
	lobby := join(t, ts.addr, fac, "fran", "", "Fran")
	must(t, lobby.WaitFor(ctx, "Meetups on this server"))
	must(t, lobby.Press("c"))
	must(t, lobby.WaitFor(ctx, "Create a meetup"))
	must(t, lobby.Type("Housing officers, December"))
	must(t, lobby.Press("enter"))
	must(t, lobby.WaitFor(ctx, "Classic online meetup"))
	must(t, lobby.Press("s"))
	must(t, lobby.WaitFor(ctx, "Series so far: Officers"))
	must(t, lobby.Press("down", "enter"))
	must(t, lobby.WaitFor(ctx, "Series: Officers"))
	must(t, lobby.Press("enter"))
	must(t, lobby.WaitFor(ctx, "NOW"))
	m := codeRE.FindStringSubmatch(lobby.Screen())
	if m == nil {
		t.Fatalf("no join code for meetup 2:\n%s", lobby.Screenshot())
	}
	code2 := m[1]
	a2 := join(t, ts.addr, ana, "ana", code2, "Ana")
	b2 := join(t, ts.addr, ben, "ben", code2, "Ben")
	for _, c := range []*sshtest.Client{lobby, a2, b2} {
		must(t, c.WaitFor(ctx, "3 here"))
		must(t, c.WaitFor(ctx, "Still open from earlier meetups of Officers (1)"))
		must(t, c.WaitFor(ctx, "Write to the council about damp"))
	}

	// The export of meetup 1 holds the action, while the server runs.
	status, out, errs := sshExec(t, ts.addr, fac, "export "+code1+" --format md")
	if status != 0 || !strings.Contains(out, "| 1 | Write to the council about damp | Ana | Wed 9 Dec 2026 | open |") {
		t.Fatalf("export of meetup 1 = %d\n%s\nstderr: %q", status, out, errs)
	}

	// Another facilitator screen follows it up from the History.
	hist := join(t, ts.addr, fac, "fran", "", "Fran")
	must(t, hist.WaitFor(ctx, "Meetups on this server"))
	must(t, hist.Press("h"))
	must(t, hist.WaitFor(ctx, "Every meetup on this server"))
	must(t, hist.Press("/"))
	must(t, hist.Type("november"))
	must(t, hist.Press("enter"))
	must(t, hist.WaitGone(ctx, "Housing officers, December"))
	must(t, hist.Press("enter"))
	must(t, hist.WaitFor(ctx, "s follow up"))
	must(t, hist.Press("s"))
	must(t, hist.WaitFor(ctx, "▶ 1. [open] Write to the council"))
	must(t, hist.Press("d"))
	must(t, hist.WaitFor(ctx, "What was done?"))
	must(t, hist.Type("Letter sent on the 3rd"))
	must(t, hist.Press("enter"))
	must(t, hist.WaitFor(ctx, "Saved."))
	must(t, hist.WaitFor(ctx, "1. [done] Write to the council"))

	// The next meetup's Welcome no longer lists it.
	r3, err := ts.hub.CreateInSeries(ctx, idOf(fac), "Housing officers, January", "", "officers")
	must(t, err)
	a3 := join(t, ts.addr, ana, "ana", session.FormatCode(r3.State().Code), "Ana")
	must(t, a3.WaitFor(ctx, "Welcome"))
	must(t, a3.WaitFor(ctx, "1 here"))
	if s := a3.Screen(); strings.Contains(s, "Still open") || strings.Contains(s, "Write to the council") {
		t.Fatalf("the January welcome still lists the action done:\n%s", a3.Screenshot())
	}
	status, out, _ = sshExec(t, ts.addr, fac, "export "+code1+" --format md")
	if status != 0 || !strings.Contains(out, "| done ") || !strings.Contains(out, "Letter sent on the 3rd") {
		t.Fatalf("export of meetup 1 after the follow-up = %d\n%s", status, out)
	}
}
