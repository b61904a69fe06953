package tui_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

var tooLongRE = regexp.MustCompile(`(\d+)/(\d+) too long`)

// TestHugePastes: a block of 5,000 characters, or of 200 lines, pasted into
// each text field (name, topic, announcement, idea, open-space item) does
// not disconnect the person: the field keeps a capped part, says it is too
// long, and enter is refused with the length and the limit; meanwhile
// another person's countdown keeps turning over.
func TestHugePastes(t *testing.T) {
	fac, ana, ben := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 10 * time.Minute, State: session.NewVote()},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 30 * time.Minute},
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute},
		}
	})
	ctx := longCtx(t, 90*time.Second)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	b := join(t, ts.addr, ben, "ben", code, "Ben")
	must(t, a.WaitFor(ctx, "3 here"))
	host := idOf(fac)
	do(t, r, host, session.StartTimer{})
	must(t, a.WaitFor(ctx, "left"))

	long := strings.Repeat("0123456789", 500)
	var lines strings.Builder
	for i := range 200 {
		fmt.Fprintf(&lines, "line %03d of a pasted block\n", i)
	}
	pastes := map[string]string{"5,000 characters": long, "200 lines": lines.String()}

	// try pastes each block into the field opened by open on c, and checks.
	try := func(c *sshtest.Client, field string, open func(), label string) {
		t.Helper()
		for what, text := range pastes {
			open()
			must(t, c.WaitFor(ctx, label))
			before := secondsLeft(t, a)
			must(t, c.Paste(text))
			must(t, c.WaitUntil(ctx, field+": the count says too long", func(s string) bool { return tooLongRE.MatchString(s) }))
			m := tooLongRE.FindStringSubmatch(c.Screen())
			var n, limit int
			fmt.Sscan(m[1], &n)
			fmt.Sscan(m[2], &limit)
			if n >= len(text) || n > 16*limit {
				t.Errorf("%s, %s: the field holds %d characters of %d: not capped", field, what, n, len(text))
			}
			must(t, c.Press("enter"))
			must(t, c.WaitUntil(ctx, field+": refused", func(s string) bool {
				return strings.Contains(mainText(s)+" "+s, fmt.Sprintf("too long: %d characters, at most %d", n, limit))
			}))
			must(t, c.Press("esc"))
			must(t, c.WaitGone(ctx, label))
			// Another screen kept turning over meanwhile.
			must(t, a.WaitUntil(ctx, "Ana's countdown moving", func(s string) bool {
				m := clockRE.FindStringSubmatch(s)
				return m != nil && secondsLeft(t, a) < before
			}))
		}
	}
	try(b, "name", func() { must(t, b.Press("N")) }, "Your name:")
	try(b, "topic", func() { must(t, b.Press("t")) }, "New topic")
	try(f, "announcement", func() { must(t, f.Press("a")) }, "To every screen:")

	do(t, r, host, session.Next{})
	do(t, r, host, session.SetUpCircle{Circles: []session.CirclePlan{{Sharer: idOf(ana), Title: "Damp"}}, Times: session.DefaultPhaseTimes, Questions: true})
	for range 4 {
		do(t, r, host, session.CircleNext{})
	}
	must(t, b.WaitFor(ctx, "Phase 4 of 5"))
	try(b, "idea", func() { must(t, b.Press("i")) }, "Idea ")

	do(t, r, host, session.Next{})
	do(t, r, host, session.StartTimer{})
	must(t, b.WaitFor(ctx, "Nothing raised yet"))
	try(b, "open-space item", func() { must(t, b.Press("i")) }, "Your item")

	// Still connected, and nothing was saved.
	must(t, b.Press("r"))
	must(t, b.WaitFor(ctx, "You said you're done"))
	if n := len(r.State().Agenda[0].State.(*session.Vote).Topics); n != 0 {
		t.Errorf("%d topics saved from refused pastes", n)
	}
}
