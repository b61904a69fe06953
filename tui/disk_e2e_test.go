package tui_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// TestDiskFullMidMeetup: the disk fills (or turns read-only) in the middle
// of a meetup. Whoever changes something is told it was not saved, and
// keeps their text to send again; the room keeps running (the countdown,
// people coming and going); nothing shown as saved is lost; once the disk
// has room again, saving works again.
func TestDiskFullMidMeetup(t *testing.T) {
	fac, ana, ben := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	rs := relServe(t, relOpts{facilitators: []gossh.Signer{fac}, agenda: func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 10 * time.Minute, State: session.NewVote()},
			{Kind: session.KindOpenSpace, Title: "Open space", Duration: 10 * time.Minute},
			{Kind: session.KindClose, Title: "Close"},
		}
	}})
	ctx := longCtx(t, 30*time.Second)
	f := join(t, rs.addr, fac, "fran", rs.code, "Fran")
	a := join(t, rs.addr, ana, "ana", rs.code, "Ana")
	b := join(t, rs.addr, ben, "ben", rs.code, "Ben")
	for _, c := range []*sshtest.Client{f, a, b} {
		must(t, c.WaitFor(ctx, "3 here"))
	}
	suggest := func(text string) {
		t.Helper()
		must(t, a.Press("t"))
		must(t, a.WaitFor(ctx, "New topic"))
		must(t, a.Press("ctrl+u"))
		must(t, a.Type(text))
		must(t, a.Press("enter"))
	}
	suggest("Before the disk filled")
	must(t, a.WaitFor(ctx, `Added "Before the disk filled"`))
	must(t, a.Press("esc"))
	must(t, f.Press("space"))
	must(t, f.WaitFor(ctx, "Timer started."))

	rs.disk.full.Store(true)
	const notSaved = "not saved: the server could not write it to its disk"
	suggest("While the disk was full")
	must(t, a.WaitFor(ctx, notSaved))
	must(t, a.WaitUntil(ctx, "the text kept in the field", func(s string) bool {
		return strings.Contains(s, "New topic") && strings.Contains(s, "While the disk was full")
	}))
	must(t, f.Press("n"))
	must(t, f.WaitFor(ctx, notSaved))
	// The room keeps running: the clock counts down on every screen, and
	// people leave and come back.
	left := secondsLeft(t, b)
	must(t, b.WaitUntil(ctx, "the countdown moving on", func(s string) bool {
		m := clockRE.FindStringSubmatch(s)
		return m != nil && strings.Contains(s, "left") && secondsLeft(t, b) < left
	}))
	must(t, b.Press("q"))
	must(t, f.WaitFor(ctx, "2 here"))
	b = join(t, rs.addr, ben, "ben", rs.code, "Ben")
	must(t, f.WaitFor(ctx, "3 here"))
	must(t, b.WaitFor(ctx, "1 of 3"))
	if rs.disk.failed.Load() == 0 {
		t.Fatalf("no write failed while the disk was full")
	}

	// The disk has room again: the kept text goes in, and the move.
	rs.disk.full.Store(false)
	must(t, a.Press("enter"))
	must(t, a.WaitFor(ctx, `Added "While the disk was full"`))
	must(t, a.Press("esc"))
	must(t, f.Press("n"))
	for _, c := range []*sshtest.Client{f, a, b} {
		must(t, c.WaitFor(ctx, "2 of 3"))
	}

	saved, err := rs.db.Meetup(rs.room.State().ID)
	must(t, err)
	var topics []string
	for _, tp := range saved.Agenda[0].State.(*session.Vote).Topics {
		topics = append(topics, tp.Text)
	}
	if want := []string{"Before the disk filled", "While the disk was full"}; !slices.Equal(topics, want) {
		t.Fatalf("topics on disk %q; want %q", topics, want)
	}
	if saved.Current != 1 {
		t.Fatalf("on disk: activity %d, timer %+v", saved.Current, saved.Timer)
	}
}
