package tui_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestNetworkingKeysByRole: a participant's facilitator keys are refused
// one by one; the facilitator is out of the groups until they join (i, to
// the smallest group) and out again with i; someone leaving after the
// draw flags their group on the facilitator's screen, and b rebalances
// with the groups keeping their numbers.
func TestNetworkingKeysByRole(t *testing.T) {
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, func() []session.Activity {
		n := session.DefaultNetworking()
		n.MinSize, n.MaxSize = 2, 3
		return []session.Activity{
			{Kind: session.KindNetworking, Title: "Networking", Duration: 9 * time.Minute, State: n},
			{Kind: session.KindClose, Title: "Close"},
		}
	})
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	for i := range 4 {
		enterAs(t, r, session.PersonID(fmt.Sprintf("SHA256:p%d", i)), fmt.Sprintf("P%d", i))
	}
	must(t, f.WaitFor(ctx, "6 here"))
	must(t, a.WaitFor(ctx, "6 here"))
	netOf := func() *session.Networking { return r.State().Activity().State.(*session.Networking) }

	// Each refusal is followed by a change of Ana's own (r), whose line
	// replaces the refusal's: the next refusal is then seen afresh, and
	// since commands reach the room in order, once the last change shows
	// every key before it has been dealt with.
	before := r.State().Version
	keys := []string{"S", "d", "g", "v", "o", "y", "b", "i"}
	for i, k := range keys {
		must(t, a.Press(k))
		must(t, a.WaitFor(ctx, "Only a facilitator can do that"))
		must(t, a.Press("r"))
		if i%2 == 0 {
			must(t, a.WaitFor(ctx, "You said you're done"))
		} else {
			must(t, a.WaitFor(ctx, "You're no longer marked done"))
		}
		must(t, a.WaitGone(ctx, "Only a facilitator can do that"))
	}
	if v := r.State().Version; v != before+uint64(len(keys)) {
		t.Fatalf("version %d after %d changes of Ana's from %d: a facilitator key of hers did something", v, len(keys), before)
	}
	if n := netOf(); len(n.Drawn) != 0 || len(n.HostsIn) != 0 || n.AutoAdvance || n.Rounds != 2 {
		t.Fatalf("a participant's keys changed the networking: %+v", n)
	}

	// The facilitator is out of the groups by default, and told so.
	host := idOf(fac)
	// (The sentence is cut at 80 columns: see TestCutSentences.)
	must(t, f.WaitFor(ctx, "Facilitators stay out of the groups; i to join"))
	must(t, f.Press("d"))
	must(t, f.WaitFor(ctx, "Round 1 of 2"))
	must(t, f.WaitFor(ctx, "You are not in a group (i to join the groups)."))
	round := func() session.Round {
		cur, _, _ := netOf().Round()
		return cur
	}
	drawn := round()
	if _, _, in := drawn.GroupOf(host); in {
		t.Fatalf("the facilitator was drawn into a group: %v", drawn.Groups)
	}
	smallest := slices.MinFunc(drawn.Groups, func(x, y []session.PersonID) int { return len(x) - len(y) })

	// i: into the smallest group; i again: out.
	must(t, f.Press("i"))
	must(t, f.WaitFor(ctx, "You take part in the groups."))
	gi, _, in := round().GroupOf(host)
	if !in || len(drawn.Groups[gi]) != len(smallest) {
		t.Fatalf("the facilitator joined group %d (in %v) of %v; want one of the smallest", gi+1, in, drawn.Groups)
	}
	groupLine := func(s string) string {
		for _, l := range mainLines(s) {
			if strings.HasPrefix(l, fmt.Sprintf("G%d ", gi+1)) {
				return l
			}
		}
		return ""
	}
	must(t, f.WaitUntil(ctx, "Fran in her group", func(s string) bool { return strings.Contains(groupLine(s), "Fran") }))
	must(t, f.Press("i"))
	must(t, f.WaitFor(ctx, "You are out of the groups, free to run the meetup."))
	must(t, f.WaitUntil(ctx, "Fran out of her group", func(s string) bool {
		return groupLine(s) != "" && !strings.Contains(groupLine(s), "Fran")
	}))
	if _, _, in := round().GroupOf(host); in {
		t.Fatalf("the facilitator is still in a group: %v", round().Groups)
	}

	// Ana leaves: her group is flagged.
	anaGroup, _, in := round().GroupOf(idOf(ana))
	if !in {
		t.Fatalf("Ana is in no group: %v", round().Groups)
	}
	must(t, a.Close())
	must(t, f.WaitFor(ctx, fmt.Sprintf("⚠ Group %d: Ana left", anaGroup+1)))
	must(t, f.WaitFor(ctx, "Press b to rebalance the groups."))
	held := round()
	must(t, f.Press("b"))
	must(t, f.WaitFor(ctx, "Groups rebalanced."))
	must(t, f.WaitGone(ctx, "⚠"))
	after := round()
	if len(after.Groups) != len(held.Groups) {
		t.Fatalf("rebalancing changed the number of groups: %v, then %v", held.Groups, after.Groups)
	}
	if _, _, in := after.GroupOf(idOf(ana)); in {
		t.Fatalf("Ana is still in a group after rebalancing: %v", after.Groups)
	}
	moved := 0
	for gi, g := range held.Groups {
		for _, id := range g {
			if id == idOf(ana) {
				continue
			}
			if now, _, _ := after.GroupOf(id); now != gi {
				moved++
			}
		}
	}
	if moved > 1 {
		t.Fatalf("rebalancing after one leaver moved %d people: %v, then %v", moved, held.Groups, after.Groups)
	}
	for gi, g := range after.Groups {
		if len(g) < 2 {
			t.Fatalf("group %d has %d people after rebalancing: %v", gi+1, len(g), after.Groups)
		}
	}
}
