package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// How the topics activity is drawn; its state and keys are in topics.go.

func (t topicsScreen) footer(f frame, w int) []string {
	if f.v.Ended() {
		return nil
	}
	switch t.modeNow(f) {
	case topicsTyping, topicsEditing:
		return t.input.view(f.st, w)
	}
	return nil
}

func (t topicsScreen) view(f frame, w, h int) string {
	if w < 10 || h < 1 {
		return ""
	}
	vs := voteOf(f.v)
	var lines []string
	switch {
	case t.modeNow(f) == topicsOptions:
		lines = t.optionsView(f, vs, w)
	case t.modeNow(f) == topicsRounds:
		lines = t.roundsView(f, vs, w, h)
	default:
		switch vs.CurrentPhase() {
		case session.PhaseSuggesting:
			lines = t.suggestingView(f, vs, w, h)
		case session.PhaseVoting:
			lines = t.votingView(f, vs, w, h)
		default:
			lines = t.closedView(f, vs, w, h)
		}
	}
	if t.unsent != "" && vs.CurrentPhase() != session.PhaseSuggesting {
		note := f.st.warn.Render(trunc(fmt.Sprintf("Not added (suggestions had closed): %q", t.unsent), w))
		lines = append([]string{note}, lines...)
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n")
}

func (t topicsScreen) suggestingView(f frame, vs *session.Vote, w, h int) []string {
	st := f.st
	fac := f.fac()
	mode := t.modeNow(f)
	topics := vs.TopicList()
	head := fmt.Sprintf("Suggestions are open · %d topic%s", len(topics), plural(len(topics)))
	lines := []string{st.section.Render(trunc(head, w))}

	target, _ := vs.Topic(t.target)
	switch {
	case mode == topicsConfirmRemove:
		lines = append(lines, styledLines(st.warn, wrap(fmt.Sprintf("Remove %q? Press y to remove it.", target.Text), w))...)
	case mode == topicsMerging:
		lines = append(lines, styledLines(st.warn, wrap(fmt.Sprintf("Merge %q into which topic? Choose it and press enter.", target.Text), w))...)
	case h < 10:
		// A short window keeps its rows for the topics themselves.
	case fac:
		lines = append(lines, styledLines(st.dim, wrap("Merge duplicates before the vote. Vote: "+methodSummary(vs.Rules())+".", w))...)
	default:
		lines = append(lines, styledLines(st.dim, wrap("Press t to suggest a topic. Then everyone votes: "+methodSummary(vs.Rules())+".", w))...)
	}
	if h >= 10 {
		lines = append(lines, "")
	}
	if len(topics) == 0 {
		return append(lines, wrap("No topics yet. Press t to suggest the first.", w))
	}
	rows := make([]row, 0, len(topics))
	ids := t.rows(f, vs)
	si := t.selIndex(ids)
	for i, tp := range topics {
		r := row{id: tp.ID, text: tp.Text, note: authorsNote(f, tp), mark: fmt.Sprintf("%d.", i+1)}
		r.sel = (fac || len(topics) > 1) && i == si
		if mode == topicsMerging && tp.ID == t.target {
			r.mark = "⇢"
			r.note = "merging"
		}
		rows = append(rows, r)
	}
	return append(lines, windowRows(st, renderRows(st, rows, w, false), si, h-len(lines))...)
}

func (t topicsScreen) votingView(f frame, vs *session.Vote, w, h int) []string {
	st := f.st
	fac := f.fac()
	p, _ := vs.Poll()
	r := p.Rules()
	what := "Voting is open"
	if vs.InRunoff() {
		what = fmt.Sprintf("Runoff between %d tied topics", len(p.Topics))
	}
	lines := []string{st.section.Render(trunc(what+" · "+methodSummary(r), w))}
	switch t.modeNow(f) {
	case topicsConfirmStop:
		q := "Stop voting and go back to suggestions? The ballots cast are discarded. Press y."
		if vs.InRunoff() {
			q = "Cancel the runoff? Its ballots are discarded. Press y."
		}
		lines = append(lines, styledLines(st.warn, wrap(q, w))...)
	case topicsConfirmClose:
		q := fmt.Sprintf("Close voting and count the %s? Press y.", countOf(p.Cast(), "ballot"))
		lines = append(lines, styledLines(st.warn, wrap(q, w))...)
	}

	// This person's own ballot: shown only here, on their own screen.
	b, cast, changed := t.myBallot(f, vs)
	var state string
	var style lipgloss.Style
	switch {
	case p.Method == vote.Single && cast != nil:
		state, style = "✓ You voted for "+fmt.Sprintf("%q", vs.TopicText(cast[0]))+". Change it until voting closes.", st.okText
	case p.Method == vote.Single:
		state, style = "Choose one topic and press enter.", st.warn
	case changed && cast != nil:
		state, style = "Changed, not cast yet: enter casts it, esc undoes.", st.warn
	case cast != nil:
		state, style = "✓ Your vote is in. Change it until voting closes.", st.okText
	case len(b) == 0 && p.Method == vote.Dots:
		state, style = fmt.Sprintf("Place your %d dots with → and ←, then press enter.", r.Dots), st.warn
	case len(b) == 0:
		state, style = "Rank topics with →: first choice first. Then press enter.", st.warn
	default:
		state, style = "Not cast yet: press enter to cast your vote.", st.warn
	}
	if p.Method == vote.Dots {
		left := r.Dots - len(b)
		state = fmt.Sprintf("%s %d of %d dots left. ", strings.Repeat("●", len(b))+strings.Repeat("○", max(left, 0)), left, r.Dots) + state
	}
	if h < 10 {
		lines = append(lines, style.Render(trunc(state, w)))
	} else {
		lines = append(lines, styledLines(style, wrap(state, w))...)
	}

	// Facilitators see who has voted, never how.
	if fac {
		lines = append(lines, votedLine(f, p, w))
		if h >= 16 {
			lines = append(lines, votedNames(f, p, w))
		}
	}
	live, isLive := p.Live()
	if isLive || fac && h >= 16 {
		note := "Results stay hidden until voting closes (R shows them live)."
		if isLive {
			note = "Live results are shown to everyone."
		}
		if !fac {
			note = "Live results: the bars show the votes cast so far."
		}
		lines = append(lines, st.dim.Render(trunc(note, w)))
	}
	lines = append(lines, "")

	ids := t.rows(f, vs)
	si := t.selIndex(ids)
	rows := make([]row, 0, len(ids))
	for i, id := range ids {
		tp, _ := vs.Topic(id)
		rw := row{id: id, sel: i == si, text: tp.Text}
		switch p.Method {
		case vote.Dots:
			rw.mark = dotMarks(session.Dots(b, id), r.MaxPerTopic)
		case vote.Ranked:
			rw.mark = "–"
			if k := slices.Index(b, id); k >= 0 {
				rw.mark = fmt.Sprintf("%d.", k+1)
			}
		default:
			rw.mark = "( )"
			if cast != nil && cast[0] == id {
				rw.mark = "(●)"
			}
		}
		if isLive {
			rw.votes = live.Totals[id]
		} else {
			rw.note = authorsNote(f, tp)
		}
		rows = append(rows, rw)
	}
	return append(lines, windowRows(st, renderRows(st, rows, w, isLive), si, h-len(lines))...)
}

// dotMarks shows n of a topic's at most max dots: ●●○.
func dotMarks(n, most int) string {
	if most > 5 {
		return fmt.Sprintf("●×%d", n)
	}
	return strings.Repeat("●", n) + strings.Repeat("○", max(most-n, 0))
}

// votedLine is the facilitator's count of who has voted.
func votedLine(f frame, p session.Poll, w int) string {
	here, voted := 0, 0
	var waiting []string
	for _, mem := range f.v.Members {
		if !mem.Present {
			continue
		}
		here++
		if p.HasVoted(mem.ID) {
			voted++
		} else {
			waiting = append(waiting, f.name(mem.ID))
		}
	}
	line := f.st.strong.Render(fmt.Sprintf("Voted: %d of %d here", voted, here))
	if len(waiting) > 0 {
		line += f.st.dim.Render(" · not yet: " + strings.Join(waiting, ", "))
	}
	return trunc(line, w)
}

// votedNames lists who has voted, in the order they joined.
func votedNames(f frame, p session.Poll, w int) string {
	var names []string
	for _, mem := range f.v.Members {
		if p.HasVoted(mem.ID) {
			names = append(names, f.name(mem.ID))
		}
	}
	if len(names) == 0 {
		return f.st.dim.Render("Nobody has voted yet.")
	}
	return f.st.dim.Render(trunc("Have voted: "+strings.Join(names, ", "), w))
}

func (t topicsScreen) closedView(f frame, vs *session.Vote, w, h int) []string {
	st := f.st
	fac := f.fac()
	p, _ := vs.Poll()
	res := p.Count()
	unit := "vote"
	if res.Method == vote.Dots {
		unit = "dot"
	}
	what := "Voting closed"
	if vs.InRunoff() {
		what = "Runoff closed"
	}
	lines := []string{st.section.Render(trunc(fmt.Sprintf("%s · %s · %d ballot%s", what, methodName(res.Method), res.Ballots, plural(res.Ballots)), w))}

	quote := func(id string) string { return fmt.Sprintf("%q", vs.TopicText(id)) }
	switch {
	case res.Winner != "":
		n := res.Totals[res.Winner]
		lines = append(lines, styledLines(st.okText, wrap(fmt.Sprintf("★ Winner: %s with %d %s%s", quote(res.Winner), n, unit, plural(n)), w))...)
	case len(res.Tie) > 0:
		n := res.Totals[res.Tie[0]]
		tie := fmt.Sprintf("Tie between %d topics (marked =), %d %s%s each", len(res.Tie), n, unit, plural(n))
		if len(res.Tie) == 2 {
			tie = fmt.Sprintf("Tie between %s and %s, %d %s%s each", quote(res.Tie[0]), quote(res.Tie[1]), n, unit, plural(n))
		}
		lines = append(lines, styledLines(st.warn, wrap(tie, w))...)
	default:
		lines = append(lines, st.warn.Render("No votes were cast."))
	}
	switch {
	case vs.Chosen != "":
		lines = append(lines, chosenLines(f, vs, w)...)
	case fac && len(res.Tie) > 1:
		rr := vs.RunoffRules()
		lines = append(lines, styledLines(st.strong, wrap(fmt.Sprintf("Choose one of the tied topics and press enter, or press u for a runoff between them (%s).", methodSummary(rr)), w))...)
	case fac:
		lines = append(lines, styledLines(st.strong, wrap("Choose a topic and press enter, or press v to reopen voting.", w))...)
	default:
		lines = append(lines, st.dim.Render(trunc("The facilitator will choose, or hold a runoff.", w)))
	}
	if res.Method == vote.Ranked && len(res.Rounds) > 1 {
		lines = append(lines, styledLines(st.dim, wrap(fmt.Sprintf("Counted in %d rounds of instant runoff: press i to read every round.", len(res.Rounds)), w))...)
	}
	lines = append(lines, "")

	ids := t.rows(f, vs)
	si := t.selIndex(ids)
	pickable := fac && vs.NeedsPick() || fac && vs.Picked
	rows := make([]row, 0, len(ids))
	for i, id := range ids {
		rw := row{id: id, text: vs.TopicText(id), votes: res.Totals[id], sel: pickable && i == si, mark: " "}
		switch {
		case id == vs.Chosen:
			rw.mark = "★"
		case slices.Contains(res.Tie, id):
			rw.mark = "="
		}
		rows = append(rows, rw)
	}
	return append(lines, windowRows(st, renderRows(st, rows, w, true), si, h-len(lines))...)
}

// roundsView shows every round of an instant runoff, one block each, to
// scroll through: what each topic had and which went out, and why when a
// tie-break decided.
func (t topicsScreen) roundsView(f frame, vs *session.Vote, w, h int) []string {
	st := f.st
	p, _ := vs.Poll()
	res := p.Count()
	head := []string{st.section.Render(trunc(fmt.Sprintf("Instant runoff · %d rounds · %d ballots", len(res.Rounds), res.Ballots), w))}
	var body []string
	for i, rd := range res.Rounds {
		body = append(body, st.strong.Render(fmt.Sprintf("Round %d", i+1)))
		order := session.Result{Method: res.Method, Totals: rd.Totals}.Ordered()
		numW := 1
		for _, id := range order {
			numW = max(numW, len(fmt.Sprint(rd.Totals[id])))
		}
		for _, id := range order {
			mark := "  "
			if id == rd.Eliminated {
				mark = "✗ "
			}
			body = append(body, trunc(fmt.Sprintf("%s%*d  %s", mark, numW, rd.Totals[id], vs.TopicText(id)), w))
		}
		switch {
		case rd.Eliminated != "":
			body = append(body, styledLines(st.dim, wrap(eliminationText(vs, rd), w))...)
		case res.Winner != "":
			body = append(body, st.okText.Render(trunc(fmt.Sprintf("%q has a majority and wins.", vs.TopicText(res.Winner)), w)))
		case len(res.Tie) > 0:
			body = append(body, st.warn.Render(trunc("Every topic left has the same votes: a tie.", w)))
		}
		body = append(body, "")
	}
	room := max(h-len(head), 1)
	first := min(t.scroll, max(len(body)-room, 0))
	end := min(first+room, len(body))
	out := append(head, body[first:end]...)
	if end < len(body) && len(out) > 1 {
		out[len(out)-1] = st.dim.Render(fmt.Sprintf("  ↓ %s", countOf(len(body)-end, "more line")))
	}
	return out
}

// eliminationText says which topic went out of a round, and how a tie for
// fewest votes was broken.
func eliminationText(vs *session.Vote, rd session.ResultRound) string {
	out := fmt.Sprintf("%q had the fewest votes and is out.", vs.TopicText(rd.Eliminated))
	tb := rd.TieBreak
	if tb == nil {
		return out
	}
	names := make([]string, len(tb.Tied))
	for i, id := range tb.Tied {
		names[i] = fmt.Sprintf("%q", vs.TopicText(id))
	}
	tied := joinNames(names) + " tied for fewest"
	if tb.Round > 0 {
		return fmt.Sprintf("%s; by tie-break %q is out: it had fewer votes in round %d.", tied, vs.TopicText(rd.Eliminated), tb.Round)
	}
	return fmt.Sprintf("%s; by tie-break %q is out: nothing else told them apart, so the one listed last goes.", tied, vs.TopicText(rd.Eliminated))
}

// chosenLines say which topic goes into the solution circle and who is
// offered as problem sharer.
func chosenLines(f frame, vs *session.Vote, w int) []string {
	tp, ok := vs.Topic(vs.Chosen)
	if !ok {
		return nil
	}
	how := "Chosen for the solution circle: "
	if vs.Picked {
		how = "Chosen by the facilitator for the solution circle: "
	}
	lines := styledLines(f.st.strong, wrap(how+fmt.Sprintf("%q", tp.Text), w))
	return append(lines, sharerLines(f, vs.Sharers(), w)...)
}

// styledLines splits wrapped text into lines, each styled on its own.
func styledLines(style lipgloss.Style, text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

func (t topicsScreen) optionsView(f frame, vs *session.Vote, w int) []string {
	st := f.st
	r := vs.Rules()
	ph := vs.CurrentPhase()
	if ph == session.PhaseClosed && !vs.RunoffSet {
		r = vs.RunoffRules()
	}
	voting := ph == session.PhaseVoting
	type opt struct {
		label, value, help string
		off                bool
	}
	results := "hidden until close"
	if vs.LiveResults {
		results = "shown live"
	}
	authors := "facilitators only"
	if vs.ShowAuthors {
		authors = "shown to everyone"
	}
	opts := []opt{
		{"Method", string(r.Method), "dots: spread dots over topics · single: one choice each · ranked: put topics in order, counted by instant runoff", voting},
		{"Dots per person", fmt.Sprint(r.Dots), "How many dots each person places.", voting || r.Method != vote.Dots},
		{"Most dots on one topic", fmt.Sprint(r.MaxPerTopic), "The most dots one person may put on a single topic.", voting || r.Method != vote.Dots},
		{"Results while voting", results, "Hidden keeps later voters from being swayed; everyone sees the result when voting closes.", false},
		{"Authors", authors, "Who suggested each topic. Facilitators always see it.", false},
	}
	title := "Vote options"
	if ph == session.PhaseClosed {
		title = "Vote options · for a runoff"
	}
	lines := []string{st.section.Render(title), st.dim.Render(trunc("Changes apply at once. ←/→ change · esc done", w)), ""}
	labelW := 24
	sel := min(max(t.opt, 0), optCount-1)
	for i, o := range opts {
		lead := "  "
		if i == sel {
			lead = "▶ "
		}
		label := o.label + strings.Repeat(" ", max(labelW-len(o.label), 1))
		line := lead + label + "‹ " + o.value + " ›"
		switch {
		case o.off:
			line = st.dim.Render(trunc(line, w))
		case i == sel:
			line = st.selected.Render(trunc(line, w))
		default:
			line = trunc(line, w)
		}
		lines = append(lines, line)
	}
	help := opts[sel].help
	if opts[sel].off {
		if voting {
			help = "Fixed while voting is open: it can change before the vote or a runoff."
		} else {
			help = "Only for dot voting."
		}
	}
	return append(lines, "", st.dim.Render(wrap(help, w)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// methodName names a method for people.
func methodName(m vote.Method) string {
	switch m {
	case vote.Single:
		return "single choice"
	case vote.Ranked:
		return "ranked"
	}
	return "dot voting"
}

// methodSummary says how a vote is cast, in a few words.
func methodSummary(r vote.Rules) string {
	switch r.Method {
	case vote.Single:
		return "one choice each"
	case vote.Ranked:
		return "ranked, counted by instant runoff"
	}
	return fmt.Sprintf("dots, %d each, at most %d per topic", r.Dots, r.MaxPerTopic)
}

// authorsNote is what this person may see of who suggested a topic: the
// view has the authors only where they may be seen.
func authorsNote(f frame, tp session.Topic) string {
	if len(tp.Authors) > 0 {
		names := make([]string, len(tp.Authors))
		for i, a := range tp.Authors {
			names[i] = f.name(a)
		}
		return strings.Join(names, ", ")
	}
	if ownOf(f.v).Mine(tp.ID) {
		return "yours"
	}
	return ""
}

// row is one line of a topic list.
type row struct {
	id    string
	sel   bool
	mark  string // a fixed-width column before the text: dots, rank, ★
	text  string
	note  string // dim, after the text: authors
	votes int    // drawn as a bar when the list is a chart
}

// renderRows draws rows in w cells. With chart, each row ends in a bar of
// █ scaled to the most votes and the number, so monochrome loses nothing.
func renderRows(st styles, rows []row, w int, chart bool) []string {
	markW, most, textMax := 0, 0, 0
	for _, r := range rows {
		markW = max(markW, lipgloss.Width(r.mark))
		most = max(most, r.votes)
		textMax = max(textMax, lipgloss.Width(r.text))
	}
	numW := len(fmt.Sprint(most))
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		lead := "  "
		if r.sel {
			lead = "▶ "
		}
		mark := r.mark + strings.Repeat(" ", markW-lipgloss.Width(r.mark))
		if markW > 0 {
			mark += " "
		}
		avail := w - 2 - lipgloss.Width(mark)
		var tail string
		textW := avail
		if chart {
			// The bar gets at least 40% of the room (30 cells at most);
			// the topic text gets what is left.
			textW = max(min(textMax, avail-numW-2-min(30, avail*40/100)), 6)
			barW := min(max(avail-textW-numW-2, 1), 60)
			n := 0
			if most > 0 {
				n = r.votes * barW / most
			}
			if r.votes > 0 {
				n = max(n, 1)
			}
			bar := lipgloss.NewStyle().Foreground(st.accent).Render(strings.Repeat("█", n))
			tail = " " + bar + strings.Repeat(" ", barW-n) + " " + fmt.Sprintf("%*d", numW, r.votes)
		} else if r.note != "" {
			noteW := min(lipgloss.Width(r.note), max(avail/3, 6))
			tail = "  " + st.dim.Render(trunc(r.note, noteW))
			textW = avail - noteW - 2
		}
		text := trunc(r.text, textW)
		pad := strings.Repeat(" ", max(textW-lipgloss.Width(text), 0))
		if r.sel {
			text = st.selected.Render(text)
		}
		if !chart && r.note == "" {
			pad = ""
		}
		out = append(out, trunc(lead+mark+text+pad+tail, w))
	}
	return out
}

// windowRows keeps the rows around the selection that fit in room lines,
// with a line saying how many more there are above and below.
func windowRows(st styles, lines []string, sel, room int) []string {
	n := len(lines)
	if room < 1 {
		return nil
	}
	if n <= room {
		return lines
	}
	more := func(k int, up bool) string {
		arrow := "↓"
		if up {
			arrow = "↑"
		}
		return st.dim.Render(fmt.Sprintf("  %s %d more", arrow, k))
	}
	sel = min(max(sel, 0), n-1)
	switch room {
	case 1:
		return lines[sel : sel+1]
	case 2:
		// The chosen line and a word on the rest, so that nothing goes
		// missing without a sign.
		if sel == n-1 {
			return []string{more(n-1, true), lines[sel]}
		}
		return []string{lines[sel], more(n-sel-1, false)}
	}
	switch {
	case sel < room-1:
		return append(slices.Clone(lines[:room-1]), more(n-room+1, false))
	case sel >= n-room+1:
		return append([]string{more(n-room+1, true)}, lines[n-room+1:]...)
	}
	r := room - 2
	first := min(max(sel-r/2, 1), n-r-1)
	out := []string{more(first, true)}
	out = append(out, lines[first:first+r]...)
	return append(out, more(n-first-r, false))
}

// panelKey names what the panel shows that is this viewer's own: the
// screen's mode and selection, the ballot being put together, and the
// person's part of the vote (their ballot, their topics), and who they
// are when the panel names them ("you": among a topic's authors, or in
// the facilitators' list of who voted). Everyone alike shares it.
func (t topicsScreen) panelKey(f frame) (string, bool) {
	vs := voteOf(f.v)
	b, _, changed := t.myBallot(f, vs)
	var own string
	named := f.fac()
	if o := ownOf(f.v); o != nil {
		own = fmt.Sprintf("%v/%v/%t", o.Ballot, o.Authored, o.Invited)
		named = named || len(o.Authored) > 0 || o.Invited
	}
	return fmt.Sprintf("topics/%d/%q/%q/%d/%d/%d/%q/%v/%t/%s/%s",
		t.modeNow(f), t.target, t.sel, t.selAt, t.opt, t.scroll, t.unsent, b, changed, own, viewerIf(f, named)), true
}
