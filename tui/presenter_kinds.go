package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// How each kind of activity presents itself on the presenter screen
// (presenter.go). Everything here draws from a participant's View with
// nobody as the viewer: no ballots, and authors only where the
// facilitator chose to show them.

// presentPlain presents an activity without a presentation of its own:
// the welcome shows who is here; a talk, a break and the rest show their
// note, large.
func presentPlain(f frame, w, h int) string {
	st, v := f.st, f.v
	a := v.Activity()
	if a.Kind != session.KindWelcome {
		return strings.Join(capLines(noteLines(st, a.Note, w), h), "\n")
	}
	// The people matter more than the note here: it gets a third.
	note := capLines(noteLines(st, a.Note, w), max(h/3, 2))
	var names []string
	for _, mem := range orderedMembers(v.Meetup) {
		if mem.Present {
			names = append(names, mem.Name)
		}
	}
	lines := append(note, "")
	if len(note) == 0 {
		lines = nil
	}
	lines = append(lines, st.section.Render(fmt.Sprintf("Here now · %d", len(names))))
	if len(names) == 0 {
		return strings.Join(append(lines, st.dim.Render("Nobody yet: join with the code above.")), "\n")
	}
	// Names flow into columns past a few rows, easier to scan on a wall.
	rows := min(h-len(lines), max(6, (len(names)+3)/4))
	return strings.Join(append(lines, columns(st, names, w, rows, "person")...), "\n")
}

// noteLines are an activity's note, in bold, a little narrower than the
// column so that each line is short enough to read from afar.
func noteLines(st styles, note string, w int) []string {
	if note == "" {
		return nil
	}
	return styledLines(st.strong, wrap(note, max(min(w, 72), 20)))
}

// capLines keeps at most n lines, ending the last one kept with an
// ellipsis when some are left out, so that nothing is cut without a sign.
func capLines(lines []string, n int) []string {
	if len(lines) <= n || n < 1 {
		return lines[:min(len(lines), max(n, 0))]
	}
	lines = lines[:n]
	lines[n-1] += "…"
	return lines
}

// columns lays entries out in as many columns as it takes to show them
// all in h lines, each at least 18 cells wide; what still does not fit is
// counted on the last line (what names one entry).
func columns(st styles, entries []string, w, h int, what string) []string {
	if h < 1 || len(entries) == 0 {
		return nil
	}
	const gap, minCol = 3, 18
	cols := (len(entries) + h - 1) / h
	most := max((w+gap)/(minCol+gap), 1)
	cols = min(cols, most)
	colW := (w - gap*(cols-1)) / cols
	if cols == 1 {
		colW = w
	}
	rows := (len(entries) + cols - 1) / cols
	shown := len(entries)
	if rows > h {
		rows = h
		shown = rows*cols - 1
	}
	out := make([]string, rows)
	for i := range shown {
		r, c := i%rows, i/rows
		cell := trunc(entries[i], colW)
		if c < cols-1 {
			cell += strings.Repeat(" ", colW-lipgloss.Width(cell)+gap)
		}
		out[r] += cell
	}
	if shown < len(entries) {
		out[rows-1] += st.dim.Render(trunc("+ "+countOf(len(entries)-shown, "more "+what), colW))
	}
	return out
}

// present shows every group of the current round, numbered, with the
// round's talking point: what the room needs to find its group.
func (s networkingScreen) present(f frame, w, h int) string {
	st, v := f.st, f.v
	n := netOf(v)
	if n == nil {
		return presentPlain(f, w, h)
	}
	r, i, ok := n.Round()
	if !ok {
		lines := styledLines(st.strong, wrap(fmt.Sprintf("%s of %s in groups of %s, mixed each round so you meet new people.",
			capitalize(countOf(n.Rounds, "round")), countOf(int(v.Activity().Duration.Minutes()), "minute"), sizeRange(n)), w))
		lines = append(lines, "", st.dim.Render(wrap("The groups appear here when the facilitator draws round 1.", w)))
		return strings.Join(lines, "\n")
	}
	status := countOf(len(r.Groups), "group")
	if r.StartedAt.IsZero() {
		status += " · starts with the clock"
	}
	lines := []string{st.section.Render(trunc(fmt.Sprintf("Round %d of %d  ·  %s", i+1, n.Rounds, status), w))}
	if r.Point != "" {
		point := upTo(wrap(r.Point, w), 3, w)
		lines = append(lines, styledLines(st.strong, strings.Join(point, "\n"))...)
	}
	lines = append(lines, "")
	room := h - len(lines)
	// One group a line, labelled and spaced out while they fit; numbered
	// in columns when they do not.
	spaced := 2*len(r.Groups)-1 <= room
	label := func(gi int) string { return fmt.Sprintf("%2d", gi+1) }
	if len(r.Groups) <= room {
		label = func(gi int) string { return fmt.Sprintf("Group %-*d", len(fmt.Sprint(len(r.Groups))), gi+1) }
	}
	rows := make([]string, len(r.Groups))
	for gi, g := range r.Groups {
		names := make([]string, 0, len(g))
		for _, id := range g {
			mem, _ := v.Member(id)
			if mem.Present {
				names = append(names, mem.Name)
			} else {
				names = append(names, st.dim.Render(mem.Name+" (gone)"))
			}
		}
		text := strings.Join(names, " · ")
		if len(g) == 0 {
			text = st.dim.Render("(empty)")
		}
		rows[gi] = st.title.Render(label(gi)) + "  " + text
	}
	if len(rows) <= room {
		for gi, r := range rows {
			if spaced && gi > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, trunc(r, w))
		}
		return strings.Join(lines, "\n")
	}
	return strings.Join(append(lines, columns(st, rows, w, room, "group")...), "\n")
}

// present shows the topics activity as the room may see it: the topics
// while they are suggested, how many have voted while voting (the totals
// only when live results are on), and the results once voting closed.
func (t topicsScreen) present(f frame, w, h int) string {
	st, v := f.st, f.v
	vs := voteOf(v)
	if vs == nil {
		return presentPlain(f, w, h)
	}
	var lines []string
	switch vs.CurrentPhase() {
	case session.PhaseSuggesting:
		n := len(vs.Topics)
		lines = append(lines, st.section.Render(trunc(fmt.Sprintf("%s so far  ·  press t on your screen to suggest one", capitalize(countOf(n, "topic"))), w)))
		if n == 0 {
			lines = append(lines, "", st.dim.Render(wrap("The topics appear here as people suggest them.", w)))
			return strings.Join(lines, "\n")
		}
		lines = append(lines, "")
		rows := make([]row, n)
		for i, tp := range vs.Topics {
			rows[i] = row{id: tp.ID, mark: fmt.Sprintf("%d.", i+1), text: tp.Text, note: authorsNote(f, tp)}
		}
		// The newest stay in sight: the list is followed as it grows.
		return strings.Join(append(lines, windowRows(st, renderRows(st, rows, w, false), n-1, h-len(lines))...), "\n")
	case session.PhaseVoting:
		p, _ := vs.Poll()
		what := "Voting is open"
		if vs.InRunoff() {
			what = "Runoff voting is open"
		}
		lines = append(lines, st.section.Render(trunc(what+"  ·  "+methodSummary(p.Rules()), w)))
		lines = append(lines, st.strong.Render(trunc(fmt.Sprintf("Voted: %d of %d here", p.Cast(), v.Present()), w)))
		live, ok := p.Live()
		if !ok {
			lines = append(lines, st.dim.Render(trunc("Results are shown when voting closes.", w)))
		}
		lines = append(lines, "")
		rows := make([]row, len(p.Topics))
		for i, id := range p.Topics {
			rows[i] = row{id: id, mark: fmt.Sprintf("%d.", i+1), text: vs.TopicText(id)}
			if ok {
				rows[i].votes = live.Totals[id]
			}
		}
		return strings.Join(append(lines, windowRows(st, renderRows(st, rows, w, ok), 0, h-len(lines))...), "\n")
	}
	p, ok := vs.Poll()
	if !ok || p.Result == nil {
		return strings.Join(noteLines(st, v.Activity().Note, w), "\n")
	}
	res := *p.Result
	unit := "vote"
	if res.Method == vote.Dots {
		unit = "dot"
	}
	what := "Results"
	if vs.InRunoff() {
		what = "Runoff results"
	}
	lines = append(lines, st.section.Render(trunc(fmt.Sprintf("%s  ·  %s  ·  %s", what, methodName(res.Method), countOf(res.Ballots, "ballot")), w)))
	quote := func(id string) string { return fmt.Sprintf("%q", vs.TopicText(id)) }
	switch {
	case vs.Chosen != "":
		lines = append(lines, chosenLines(f, vs, w)...)
	case len(res.Tie) > 0:
		n := res.Totals[res.Tie[0]]
		tie := fmt.Sprintf("A tie between %d topics (marked =), %s each: the facilitator will choose, or hold a runoff.", len(res.Tie), countOf(n, unit))
		lines = append(lines, styledLines(st.warn, wrap(tie, w))...)
	case res.Winner != "":
		lines = append(lines, styledLines(st.okText, wrap("★ "+quote(res.Winner)+" wins", w))...)
	default:
		lines = append(lines, st.warn.Render(trunc("No votes were cast: the facilitator will choose.", w)))
	}
	lines = append(lines, "")
	order := res.Ordered()
	rows := make([]row, 0, len(order))
	for _, id := range order {
		rw := row{id: id, text: vs.TopicText(id), votes: res.Totals[id], mark: " "}
		switch {
		case id == vs.Chosen, vs.Chosen == "" && id == res.Winner:
			rw.mark = "★"
		case slices.Contains(res.Tie, id):
			rw.mark = "="
		}
		rows = append(rows, rw)
	}
	return strings.Join(append(lines, windowRows(st, renderRows(st, rows, w, true), 0, h-len(lines))...), "\n")
}
