package tui_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestNetworkingRoundsEndToEnd: seven people over two rounds; every screen
// shows its own group, and no pair meets twice.
func TestNetworkingRoundsEndToEnd(t *testing.T) {
	fac := sshtest.NewSigner(t)
	ts := newTestServer(t, t.TempDir(), fac)
	ts.agnd = func() []session.Activity {
		n := session.DefaultNetworking()
		n.MinSize, n.MaxSize = 2, 3
		return []session.Activity{
			{Kind: session.KindNetworking, Title: "Networking", Duration: 9 * time.Minute, Networking: n},
			{Kind: session.KindClose, Title: "Close"},
		}
	}
	ts.start()
	ctx := waitCtx(t)
	facID := session.PersonID(gossh.FingerprintSHA256(fac.PublicKey()))
	r, err := ts.hub.Create(ctx, facID, "Mixing")
	must(t, err)
	code := r.State().Code

	names := []string{"Fran", "Pia", "Quin", "Rosa", "Sami", "Tove", "Uma"}
	clients := make([]*sshtest.Client, len(names))
	ids := make([]session.PersonID, len(names))
	for i, name := range names {
		signer := fac
		if i > 0 {
			signer = sshtest.NewSigner(t)
		}
		ids[i] = session.PersonID(gossh.FingerprintSHA256(signer.PublicKey()))
		clients[i] = join(t, ts.addr, signer, strings.ToLower(name), code, name)
	}
	for _, c := range clients {
		must(t, c.WaitFor(ctx, "7 here"))
	}

	f := clients[0]
	for round := 1; round <= 2; round++ {
		if round == 1 {
			must(t, f.Press("space")) // starting the clock draws round 1
		} else {
			must(t, f.Press("g"))
			must(t, f.WaitFor(ctx, "Round 2 of 2"))
			must(t, f.Press("space"))
		}
		want := fmt.Sprintf("Round %d of 2", round)
		must(t, f.WaitFor(ctx, want))
		must(t, f.WaitFor(ctx, "started "))
		for _, c := range clients[1:] {
			must(t, c.WaitFor(ctx, want))
			must(t, c.WaitGone(ctx, "The round starts when"))
		}
		st := r.State()
		cur, _, ok := st.Activity().Networking.Round()
		if !ok || cur.StartedAt.IsZero() {
			t.Fatalf("round %d not started: %+v", round, cur)
		}
		// Each participant's screen names their own group and its people.
		for i := 1; i < len(names); i++ {
			gi, group, in := cur.GroupOf(ids[i])
			if !in {
				t.Fatalf("%s is in no group in round %d", names[i], round)
			}
			c := clients[i]
			must(t, c.WaitFor(ctx, fmt.Sprintf("you are in group %d", gi+1)))
			screen := c.Screen()
			for j, id := range ids {
				if j == i {
					continue
				}
				inGroup := slices.Contains(group, id)
				shown := strings.Contains(screen, "With ") && strings.Contains(withLine(screen), names[j])
				if inGroup != shown {
					t.Fatalf("round %d: %s's screen shows %s: %v, in group: %v\n%s", round, names[i], names[j], shown, inGroup, c.Screenshot())
				}
			}
		}
		// The facilitator sees every group at a glance.
		for gi := range cur.Groups {
			must(t, f.WaitFor(ctx, fmt.Sprintf("G%d ", gi+1)))
		}
	}
	n := r.State().Activity().Networking
	if got := n.Repeats(); got != 0 {
		t.Fatalf("%d pairs met twice over two rounds; 7 people in groups of 2-3 need none", got)
	}
	if strings.Contains(f.Screen(), "met before") {
		t.Fatalf("facilitator told of repeats:\n%s", f.Screenshot())
	}

	// The rounds are kept: a restart finds both with their seeds and times.
	ts.stop()
	ts.start()
	r2, err := ts.hub.Find(code)
	must(t, err)
	kept := r2.State().Activity().Networking
	if len(kept.Drawn) != 2 || kept.Drawn[0].Seed == 0 || kept.Drawn[0].EndedAt.IsZero() || kept.Drawn[1].StartedAt.IsZero() || kept.Drawn[1].Point == "" {
		t.Fatalf("rounds after restart: %+v", kept.Drawn)
	}
}

// withLine returns the "With ..." line of the main panel, without the
// side panel that shares its screen rows.
func withLine(screen string) string {
	for _, line := range strings.Split(screen, "\n") {
		i := strings.Index(line, "With ")
		if i < 0 {
			continue
		}
		rest := line[i:]
		if j := strings.Index(rest, "│"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	return ""
}
