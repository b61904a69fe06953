package tui_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/convene/convene/tui/sshtest"
)

var rejoinRE = regexp.MustCompile(`guest-([0-9a-f]{12})@`)

// TestKeylessGuestComesBackAsThemselves: someone without an SSH key is
// told the command that brings them back; after a drop it puts them back
// in the meetup as the same person (no name asked, not a second "Gus"),
// and a made-up token is a new guest.
func TestKeylessGuestComesBackAsThemselves(t *testing.T) {
	fac := sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.start()
	ctx := waitCtx(t)

	f, code := createByKeys(t, ts.addr, fac, "Drop-in clinic")

	g := sshtest.MustDial(t, ts.addr, sshtest.Options{User: "gus", Command: code})
	must(t, g.WaitFor(ctx, "call you"))
	must(t, g.WaitFor(ctx, "without an SSH key"))
	tm := rejoinRE.FindStringSubmatch(g.Screen())
	if tm == nil {
		t.Fatalf("the name screen of someone without a key does not say how to come back:\n%s", g.Screenshot())
	}
	tok := tm[1]
	must(t, g.Press("ctrl+u"))
	must(t, g.Type("Gus"))
	must(t, g.Press("enter"))
	must(t, g.WaitFor(ctx, "NOW"))
	// In the room the command stays on screen, with the meetup's code.
	must(t, g.WaitUntil(ctx, "the rejoin command with the code", func(s string) bool {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "guest-"+tok+"@") && strings.Contains(l, code) {
				return true
			}
		}
		return false
	}))
	must(t, f.WaitFor(ctx, "2 here"))

	// Gus's connection drops without a word.
	_ = g.Close()
	must(t, f.WaitFor(ctx, "1 here"))

	// He comes back with the command: no name asked, back in the meetup,
	// the same person.
	g2 := sshtest.MustDial(t, ts.addr, sshtest.Options{User: "guest-" + tok, Command: code})
	must(t, g2.WaitFor(ctx, "NOW"))
	must(t, g2.WaitFor(ctx, "2 here · Gus"))
	if strings.Contains(g2.Screen(), "call you") {
		t.Fatalf("someone coming back with their token was asked their name again:\n%s", g2.Screenshot())
	}
	must(t, f.WaitFor(ctx, "2 here"))
	if s := f.Screen(); strings.Count(s, "Gus") != 1 || strings.Contains(s, "○ Gus") {
		t.Fatalf("after coming back, the facilitator should see one Gus, present:\n%s", f.Screenshot())
	}

	// Leaving, he is told the command again, on a line of its own.
	must(t, g2.Press("q"))
	if _, err := g2.WaitExit(ctx); err != nil {
		t.Fatal(err)
	}
	if out := string(g2.Output()); !regexp.MustCompile(`(?m)^ssh -p \d+ guest-` + tok + `@\S+ ` + code + `\r?$`).MatchString(out) {
		t.Fatalf("the farewell does not give the command on a line of its own:\n%q", out[max(len(out)-300, 0):])
	}

	// A token nobody was given is someone new, asked their name.
	other := sshtest.MustDial(t, ts.addr, sshtest.Options{User: "guest-0123456789ab", Command: code})
	must(t, other.WaitFor(ctx, "call you"))
	if strings.Contains(other.Screen(), "guest-"+tok) {
		t.Fatalf("a new guest was shown another guest's token:\n%s", other.Screenshot())
	}
}
