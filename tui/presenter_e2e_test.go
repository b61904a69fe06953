package tui_test

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestPresenterEndToEnd: a presenter screen opened with the code follows
// the meetup as the facilitator runs it, is nobody in it, and does
// nothing whatever keys are pressed on it, even when it was opened with
// a participant's own key.
func TestPresenterEndToEnd(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.start()
	ctx := waitCtx(t)
	r, err := ts.hub.Create(ctx, session.PersonID(gossh.FingerprintSHA256(fac.PublicKey())), "Housing officers", "")
	must(t, err)
	code := session.FormatCode(r.State().Code)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	for _, c := range []*sshtest.Client{f, a} {
		must(t, c.WaitFor(ctx, "2 here"))
	}

	// Ana puts the meetup on the projector from her laptop, with her key,
	// the code typed in lower case.
	p := sshtest.MustDial(t, ts.addr, sshtest.Options{Signer: ana, Command: "present " + strings.ToLower(code), Width: 120, Height: 40})
	must(t, p.WaitFor(ctx, "Welcome"))
	must(t, p.WaitFor(ctx, "presenter · read-only"))
	must(t, p.WaitFor(ctx, "2 here"))
	must(t, p.WaitFor(ctx, "Here now · 2"))

	// Keys pressed on it do nothing to the meetup. The compact layout (c)
	// comes after them: once it shows, every key before it was handled.
	version := r.State().Version
	must(t, p.Press("n", "p", "space", "+", "-", "E", "y", "r", "t", "enter", "a", "x", "m", "tab"))
	must(t, p.Press("c"))
	must(t, p.WaitGone(ctx, "NOW  ·"))
	if v := r.State().Version; v != version {
		t.Fatalf("keys on the presenter changed the meetup: version %d, then %d", version, v)
	}
	if s := p.Screen(); !strings.Contains(s, "Welcome") || strings.Contains(s, "ended") {
		t.Fatalf("keys on the presenter moved the meetup:\n%s", p.Screenshot())
	}
	must(t, p.Press("c"))
	must(t, p.WaitFor(ctx, "NOW  ·  1 of 6"))
	// Ana's own screen is still hers: the presenter did not take over.
	if s := a.Screen(); strings.Contains(s, "another terminal") || !strings.Contains(s, "1 of 6") {
		t.Fatalf("the presenter took over Ana's screen:\n%s", a.Screenshot())
	}

	// The facilitator moves on and starts the clock: the presenter follows.
	must(t, f.Press("n"))
	must(t, p.WaitFor(ctx, "NOW  ·  2 of 6"))
	must(t, p.WaitFor(ctx, "the timer has not started"))
	must(t, f.Press("space"))
	must(t, p.WaitFor(ctx, "Round 1 of 2"))
	must(t, p.WaitFor(ctx, "Group 1  Ana"))
	must(t, p.WaitGone(ctx, "the timer has not started"))
	// The countdown turns over on the presenter too.
	shown := p.Screen()
	must(t, p.WaitUntil(ctx, "the countdown to tick", func(s string) bool { return s != shown }))

	// The presenter is not among the people: two here, on every screen.
	if n := len(r.State().Members); n != 2 {
		t.Fatalf("%d members; want 2 (the presenter is nobody)", n)
	}
	for _, c := range []*sshtest.Client{f, a, p} {
		must(t, c.WaitFor(ctx, "2 here"))
	}

	// The end of the meetup reaches it; q leaves it, with a line saying so.
	must(t, f.Press("E"))
	must(t, f.Press("y"))
	must(t, p.WaitFor(ctx, "This meetup has ended"))
	must(t, p.WaitFor(ctx, "Outcomes"))
	must(t, p.Press("q"))
	if status, err := p.WaitExit(ctx); status != 0 {
		t.Fatalf("leaving the presenter: status %d (%v); want 0", status, err)
	}
	if !strings.Contains(p.Stdout(), "You closed the presenter screen of Housing officers") {
		t.Fatalf("no farewell after the presenter screen: %q", p.Stdout())
	}
	must(t, a.WaitFor(ctx, "This meetup has ended"))
}

// TestPresenterWrongCode: a presenter without a code, or with one no
// meetup has, gets one clear line and exit status 1.
func TestPresenterWrongCode(t *testing.T) {
	ts := newTestServer(t, t.TempDir())
	ts.start()
	for _, tc := range []struct{ cmd, want string }{
		{"present zzz-zzz", `no meetup has the code "ZZZZZZ"`},
		{"present", "say which meetup to show"},
		{"--present", "say which meetup to show"},
	} {
		c, err := sshtest.Dial(waitCtx(t), ts.addr, sshtest.Options{Signer: sshtest.NewSigner(t), Command: tc.cmd})
		must(t, err)
		status, _ := c.WaitExit(waitCtx(t))
		if status != 1 {
			t.Errorf("%q: exit status %d; want 1", tc.cmd, status)
		}
		if got := c.Stderr(); !strings.Contains(got, tc.want) || strings.Count(strings.TrimSpace(got), "\n") > 0 {
			t.Errorf("%q: said %q; want one line with %q", tc.cmd, got, tc.want)
		}
		c.Close()
	}
}
