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

// plan is an agenda item as a template keeps it.
type plan struct {
	Kind     session.Kind
	Title    string
	Duration time.Duration
	Note     string
}

func plansOf(agenda []session.Activity) []plan {
	out := make([]plan, len(agenda))
	for i, a := range agenda {
		out[i] = plan{a.Kind, a.Title, a.Duration, a.Note}
	}
	return out
}

// TestAgendaEditedBySSH: a facilitator at 80x24 adds, moves, retimes,
// retitles and annotates an item and every other screen's side panel
// follows; a participant's changes are refused; removing the current item
// or one with topics is refused with the reason; enter goes to an item;
// the agenda saved as a template makes a new meetup, from the lobby, with
// the same plan and nothing of what happened.
func TestAgendaEditedBySSH(t *testing.T) {
	fac, ana, ben := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts, r, code := roomServer(t, fac, nil)
	ctx := waitCtx(t)
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	b := join(t, ts.addr, ben, "ben", code, "Ben")
	others := []*sshtest.Client{a, b}
	for _, c := range append(others, f) {
		must(t, c.WaitFor(ctx, "3 here"))
	}
	host := idOf(fac)
	// Something happens in the topics activity: a suggestion.
	do(t, r, host, session.GoTo{Index: 2})
	do(t, r, idOf(ana), session.SuggestTopic{Text: "Damp and mould"})
	do(t, r, host, session.GoTo{Index: 0})
	// Back at the welcome, with the topics marked as having run: the
	// screen has taken in both moves (the agenda opens on the current item).
	must(t, f.WaitUntil(ctx, "back at the welcome", func(s string) bool {
		return strings.Contains(s, "NOW  ·  1 of 6") && slices.Contains(sideAgenda(s), "✓ Topics and voting")
	}))

	sideShows := func(want ...string) {
		t.Helper()
		for i, c := range others {
			must(t, c.WaitUntil(ctx, fmt.Sprintf("screen %d's agenda %q", i, want), func(s string) bool {
				return slices.Equal(sideAgenda(s), want)
			}))
		}
	}
	version := func() uint64 { return r.State().Version }

	// Add a break after the current item.
	must(t, f.Press("tab"))
	must(t, f.WaitFor(ctx, "Agenda · 6 activities"))
	must(t, f.Press("a"))
	must(t, f.WaitFor(ctx, "Add which kind of activity?"))
	must(t, f.Press("down", "down", "down", "down", "down", "down"))
	must(t, f.WaitFor(ctx, "▶ Break"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, `Added "Break" after "Welcome".`))
	sideShows("▶ Welcome", "Break", "Networking", "✓ Topics and voting", "Solution circle", "Open space", "Close")
	if st := r.State(); len(st.Agenda) != 7 || st.Agenda[1].Kind != session.KindBreak || st.Current != 0 {
		t.Fatalf("after adding a break: %+v, current %d", plansOf(st.Agenda), st.Current)
	}

	// Move it down twice and up once, in one write.
	v0 := version()
	must(t, f.Type("JJK"))
	waitState(t, f, "three moves", func() bool { return version() == v0+3 })
	if st := r.State(); st.Agenda[2].Title != "Break" || st.Agenda[1].Title != "Networking" || st.Current != 0 {
		t.Fatalf("after J J K: %+v, current %d", plansOf(st.Agenda), st.Current)
	}
	sideShows("▶ Welcome", "Networking", "Break", "✓ Topics and voting", "Solution circle", "Open space", "Close")

	// Retime it: three more minutes, one fewer.
	v0 = version()
	must(t, f.Type("+++-"))
	waitState(t, f, "four changes of time", func() bool { return version() == v0+4 })
	if d := r.State().Agenda[2].Duration; d != 12*time.Minute {
		t.Fatalf("break planned for %v; want 12m", d)
	}
	must(t, f.WaitUntil(ctx, "12 min on the break's row", func(s string) bool {
		return strings.Contains(lineWith(s, "3. Break"), "12 min")
	}))

	// Retitle it and set its note.
	must(t, f.Press("e"))
	must(t, f.WaitFor(ctx, "Title:"))
	must(t, f.Press("ctrl+u"))
	must(t, f.Type("Coffee break"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "Title changed."))
	must(t, f.Press("o"))
	must(t, f.WaitFor(ctx, "Note:"))
	must(t, f.Press("ctrl+u"))
	must(t, f.Type("Back at ten past"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "Note changed."))
	must(t, f.WaitUntil(ctx, "the chosen item's title and note", func(s string) bool {
		text := mainText(s)
		return strings.Contains(text, "Break: Coffee break") && strings.Contains(text, "Back at ten past")
	}))
	if it := r.State().Agenda[2]; it.Title != "Coffee break" || it.Note != "Back at ten past" || it.Duration != 12*time.Minute {
		t.Fatalf("the break is %+v", plansOf([]session.Activity{it}))
	}
	sideShows("▶ Welcome", "Networking", "Coffee break", "✓ Topics and voting", "Solution circle", "Open space", "Close")

	// A participant can read the agenda, not change it.
	planned := plansOf(r.State().Agenda)
	v0 = version()
	for i, k := range []string{"a", "x", "e", "K"} {
		must(t, a.Press("tab"))
		must(t, a.WaitFor(ctx, "The facilitators can change the agenda."))
		must(t, a.WaitFor(ctx, "Coffee break"))
		must(t, a.Press(k))
		must(t, a.WaitFor(ctx, "Only a facilitator can do that"))
		must(t, a.Press("tab"))
		must(t, a.WaitGone(ctx, "The facilitators can change the agenda."))
		// A change of her own replaces the line, so the next refusal is
		// seen afresh; commands reach the room in order, so once it
		// shows, her keys before it have been dealt with.
		must(t, a.Press("r"))
		if i%2 == 0 {
			must(t, a.WaitFor(ctx, "You said you're done"))
		} else {
			must(t, a.WaitFor(ctx, "You're no longer marked done"))
		}
	}
	if v := version(); v != v0+4 {
		t.Fatalf("version %d after four changes of Ana's from %d: an agenda key of hers did something", v, v0)
	}
	if now := plansOf(r.State().Agenda); !slices.Equal(now, planned) {
		t.Fatalf("a participant changed the agenda: %+v, then %+v", planned, now)
	}

	// Removing the current item, or one where something happened, is
	// refused with the reason; another item goes after asking.
	must(t, f.Press("up", "up"))
	must(t, f.WaitFor(ctx, "Welcome: Welcome"))
	must(t, f.Press("x"))
	must(t, f.WaitFor(ctx, "This is the activity under way: move to another one before removing it."))
	must(t, f.Press("down", "down", "down"))
	must(t, f.WaitFor(ctx, "Topics and voting: Topics and voting"))
	must(t, f.Press("x"))
	must(t, f.WaitFor(ctx, `"Topics and voting" stays on the agenda: a topic has been suggested in it.`))
	if now := plansOf(r.State().Agenda); !slices.Equal(now, planned) {
		t.Fatalf("a refused removal changed the agenda: %+v", now)
	}
	must(t, f.Press("down", "down"))
	must(t, f.WaitFor(ctx, "Open space: Open space"))
	must(t, f.Press("x"))
	must(t, f.WaitFor(ctx, `Remove "Open space"? Press y to remove it.`))
	must(t, f.Press("y"))
	must(t, f.WaitFor(ctx, `"Open space" is off the agenda.`))
	sideShows("▶ Welcome", "Networking", "Coffee break", "✓ Topics and voting", "Solution circle", "Close")

	// Enter on another item goes to it, for everyone.
	must(t, f.Press("up", "up", "up"))
	must(t, f.WaitFor(ctx, "Break: Coffee break"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, `Moved to "Coffee break".`))
	for _, c := range append(others, f) {
		must(t, c.WaitFor(ctx, "NOW  ·  3 of 6"))
		must(t, c.WaitUntil(ctx, "the break's note", func(s string) bool { return strings.Contains(mainText(s), "Back at ten past") }))
	}
	if cur := r.State().Current; cur != 2 {
		t.Fatalf("current = %d; want 2", cur)
	}

	// Saved as a template.
	must(t, f.Press("tab"))
	must(t, f.WaitFor(ctx, "Agenda · 6 activities"))
	must(t, f.Press("s"))
	must(t, f.WaitFor(ctx, "Template name:"))
	must(t, f.Press("ctrl+u"))
	must(t, f.Type("Officers monthly"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, `Saved this agenda as the template "Officers monthly"`))
	saved := plansOf(r.State().Agenda)
	tpl, err := ts.hub.Template("Officers monthly")
	must(t, err)
	if got := plansOf(tpl.Agenda); !slices.Equal(got, saved) {
		t.Fatalf("template = %+v; agenda = %+v", got, saved)
	}
	must(t, f.Press("tab"))
	must(t, f.WaitGone(ctx, "Agenda · 6 activities"))
	must(t, f.Press("q"))
	if _, err := f.WaitExit(ctx); err != nil {
		t.Logf("session end: %v", err)
	}

	// A new meetup from the lobby, with that template.
	f2 := join(t, ts.addr, fac, "fran", "", "Fran")
	must(t, f2.WaitFor(ctx, "Meetups on this server"))
	must(t, f2.Press("c"))
	must(t, f2.WaitFor(ctx, "Create a meetup"))
	must(t, f2.Type("Second meetup"))
	must(t, f2.Press("enter"))
	must(t, f2.WaitFor(ctx, "Agenda for Second meetup"))
	must(t, f2.WaitFor(ctx, "▶ Classic online meetup (built in)"))
	must(t, f2.WaitFor(ctx, "6 activities · 1 h 20 min: Welcome, Networking, Coffee break"))
	must(t, f2.Press("down"))
	must(t, f2.WaitFor(ctx, "▶ Officers monthly"))
	must(t, f2.Press("enter"))
	must(t, f2.WaitFor(ctx, "NOW  ·  1 of 6"))
	m := codeRE.FindStringSubmatch(f2.Screen())
	if m == nil {
		t.Fatalf("no join code on the new meetup's screen:\n%s", f2.Screenshot())
	}
	if m[1] == session.FormatCode(code) {
		t.Fatalf("the new meetup has the old one's code")
	}
	r2, err := ts.hub.Find(m[1])
	must(t, err)
	st := r2.State()
	if st.Title != "Second meetup" || st.Template != "Officers monthly" {
		t.Fatalf("new meetup %q from template %q", st.Title, st.Template)
	}
	if got := plansOf(st.Agenda); !slices.Equal(got, saved) {
		t.Fatalf("new meetup's agenda = %+v; saved = %+v", got, saved)
	}
	// None of what happened: no topics, nothing ran but the first item,
	// nobody but Fran, no announcement, nobody done.
	if st.Current != 0 || len(st.Members) != 1 || st.Notice.Text != "" {
		t.Fatalf("new meetup: current %d, members %+v, notice %+v", st.Current, st.Members, st.Notice)
	}
	for i, it := range st.Agenda {
		if it.Ran != (i == 0) || it.Paused != nil {
			t.Fatalf("item %d of the new meetup: ran %v, paused %v", i, it.Ran, it.Paused)
		}
		if it.Keeps() != "" {
			t.Fatalf("item %q of the new meetup keeps what happened: %s", it.Title, it.Keeps())
		}
		if v, ok := it.State.(*session.Vote); ok && (len(v.Topics) != 0 || len(v.Polls) != 0 || v.Phase != session.PhaseSuggesting) {
			t.Fatalf("the new meetup's vote: %+v", v)
		}
	}
	must(t, f2.WaitUntil(ctx, "the new meetup's agenda", func(s string) bool {
		return slices.Equal(sideAgenda(s), []string{"▶ Welcome", "Networking", "Coffee break", "Topics and voting", "Solution circle", "Close"})
	}))
}
