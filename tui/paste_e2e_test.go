package tui_test

import (
	"fmt"
	"regexp"
	"slices"
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
// long, and enter is refused with a line naming the text, its length and
// the limit; nothing is saved; and the field then takes an ordinary text,
// which is saved. Meanwhile another person's countdown keeps turning over.
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
	pastes := []struct{ what, text string }{{"5,000 characters", long}, {"200 lines", lines.String()}}

	// field is one text field: the key that opens it on c and the label
	// it shows; what the refusal calls the text; saved, what of the
	// meetup a paste must leave alone; and add, which types an ordinary
	// text into the open field and waits until c shows it saved and the
	// meetup holds it.
	type field struct {
		name  string
		c     *sshtest.Client
		open  string
		label string
		what  string
		saved func(m *session.Meetup) string
		add   func(text string)
	}
	// enter types text into the open field, presses enter and waits for
	// c to show line.
	enter := func(c *sshtest.Client, text, line string) {
		t.Helper()
		must(t, c.Press("ctrl+u"))
		must(t, c.Type(text))
		must(t, c.Press("enter"))
		must(t, c.WaitFor(ctx, line))
	}
	holds := func(what string, ok func(m *session.Meetup) bool) {
		t.Helper()
		waitState(t, b, what, func() bool { return ok(r.State()) })
	}

	try := func(fd field) {
		t.Helper()
		c := fd.c
		for i, p := range pastes {
			before := fd.saved(r.State())
			must(t, c.Press(fd.open))
			must(t, c.WaitFor(ctx, fd.label))
			must(t, a.WaitUntil(ctx, "Ana's countdown", func(s string) bool { return clockRE.MatchString(s) }))
			turning := secondsLeft(t, a)
			must(t, c.Paste(p.text))
			must(t, c.WaitUntil(ctx, fd.name+": the count says too long", func(s string) bool { return tooLongRE.MatchString(s) }))
			m := tooLongRE.FindStringSubmatch(c.Screen())
			var n, limit int
			fmt.Sscan(m[1], &n)
			fmt.Sscan(m[2], &limit)
			if n >= len(p.text) || n > 16*limit {
				t.Errorf("%s, %s: the field holds %d characters of %d: not capped", fd.name, p.what, n, len(p.text))
			}
			must(t, c.Press("enter"))
			// The person is told, in words, which text is too long, by
			// how much, and what the limit is.
			refusal := fmt.Sprintf("%s is too long: %d characters, at most %d characters", fd.what, n, limit)
			must(t, c.WaitUntil(ctx, fd.name+": "+refusal, func(s string) bool {
				return strings.Contains(strings.ToLower(mainText(s)+" "+s), strings.ToLower(refusal))
			}))
			if after := fd.saved(r.State()); after != before {
				t.Errorf("%s, %s: the refused paste changed the meetup: %q, then %q", fd.name, p.what, before, after)
			}
			must(t, c.Press("esc"))
			must(t, c.WaitGone(ctx, fd.label))
			// Another screen kept turning over meanwhile.
			must(t, a.WaitUntil(ctx, "Ana's countdown moving", func(s string) bool {
				m := clockRE.FindStringSubmatch(s)
				return m != nil && secondsLeft(t, a) < turning
			}))
			// The field still works: an ordinary text is saved.
			must(t, c.Press(fd.open))
			must(t, c.WaitFor(ctx, fd.label))
			fd.add(fmt.Sprintf("After paste %d", i+1))
		}
	}

	vote := func(m *session.Meetup) *session.Vote { return m.Agenda[0].State.(*session.Vote) }
	circle := func(m *session.Meetup) *session.Circle { return m.Agenda[1].State.(*session.Circle) }
	open := func(m *session.Meetup) *session.OpenSpace { return m.Agenda[2].State.(*session.OpenSpace) }
	topics := func(m *session.Meetup) (out []string) {
		for _, tp := range vote(m).Topics {
			out = append(out, tp.Text)
		}
		return out
	}
	try(field{name: "name", c: b, open: "N", label: "Your name:", what: "name",
		saved: func(m *session.Meetup) string { return m.NameOf(idOf(ben)) },
		add: func(text string) {
			enter(b, text, "Your name is now "+text+".")
			holds("the new name", func(m *session.Meetup) bool { return m.NameOf(idOf(ben)) == text })
		}})
	try(field{name: "topic", c: b, open: "t", label: "New topic", what: "topic",
		saved: func(m *session.Meetup) string { return strings.Join(topics(m), "|") },
		add: func(text string) {
			enter(b, text, fmt.Sprintf("Added %q", text))
			holds("the topic", func(m *session.Meetup) bool { return slices.Contains(topics(m), text) })
			must(t, b.Press("esc"))
			must(t, b.WaitGone(ctx, "New topic"))
		}})
	try(field{name: "announcement", c: f, open: "a", label: "To every screen:", what: "announcement",
		saved: func(m *session.Meetup) string { return m.Notice.Text },
		add: func(text string) {
			enter(f, text, "» Fran: "+text)
			holds("the announcement", func(m *session.Meetup) bool { return m.Notice.Text == text })
		}})

	do(t, r, host, session.Next{})
	do(t, r, host, session.SetUpCircle{Circles: []session.CirclePlan{{Sharer: idOf(ana), Title: "Damp"}}, Times: session.DefaultPhaseTimes, Questions: true})
	for range 4 {
		do(t, r, host, session.CircleNext{})
	}
	must(t, b.WaitFor(ctx, "Phase 4 of 5"))
	ideas := func(m *session.Meetup) (out []string) {
		for _, x := range circle(m).Groups[0].Ideas {
			out = append(out, x.Text)
		}
		return out
	}
	try(field{name: "idea", c: b, open: "i", label: "Idea ", what: "idea",
		saved: func(m *session.Meetup) string { return strings.Join(ideas(m), "|") },
		add: func(text string) {
			enter(b, text, "Idea added.")
			holds("the idea", func(m *session.Meetup) bool { return slices.Contains(ideas(m), text) })
			must(t, b.Press("esc"))
			must(t, b.WaitGone(ctx, "Idea added."))
		}})

	do(t, r, host, session.Next{})
	do(t, r, host, session.StartTimer{})
	must(t, b.WaitFor(ctx, "Nothing raised yet"))
	items := func(m *session.Meetup) (out []string) {
		for _, it := range open(m).Items {
			out = append(out, it.Text)
		}
		return out
	}
	try(field{name: "open-space item", c: b, open: "i", label: "Your item", what: "item",
		saved: func(m *session.Meetup) string { return strings.Join(items(m), "|") },
		add: func(text string) {
			must(t, b.Press("ctrl+u"))
			must(t, b.Type(text))
			must(t, b.Press("enter"))
			must(t, b.WaitFor(ctx, "Detail"))
			must(t, b.Press("enter"))
			must(t, b.WaitFor(ctx, fmt.Sprintf("Posted %q", text)))
			holds("the item", func(m *session.Meetup) bool { return slices.Contains(items(m), text) })
		}})

	// Still connected after it all.
	must(t, b.Press("r"))
	must(t, b.WaitFor(ctx, "You said you're done"))
}
