package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
)

// How the solution circle is drawn; its state and keys are in circle.go.

func (s circleScreen) view(f frame, w, h int) string {
	if w < 10 || h < 1 {
		return ""
	}
	cs := circleOf(f.v)
	var lines []string
	switch {
	case s.modeNow(f, cs) == circleSetup || s.modeNow(f, cs) == circleTitle:
		lines = s.setupView(f, cs, w, h)
	case !cs.Started():
		lines = setupInfo(f, cs, w)
	default:
		if gi, ok := s.shown(f, cs); ok {
			lines = s.groupView(f, cs, gi, w, h)
		} else if f.fac() {
			lines = overview(f, cs, w, h)
			lines = append(lines, f.st.dim.Render(wrap(fmt.Sprintf("Press 1-%d to look into a circle; m, then g, moves someone to another.", len(cs.Groups)), w)))
		} else {
			lines = []string{phaseLine(f, cs, -1, w),
				wrap("You are not in a circle: a facilitator can bring you in.", w)}
		}
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n")
}

// phaseLine names the phase (and the circle, when there are several).
func phaseLine(f frame, cs *session.Circle, gi int, w int) string {
	text := fmt.Sprintf("Phase %d of %d · %s", cs.PhaseNumber(), len(cs.Phases()), capitalize(session.PhaseName(cs.CurrentPhase())))
	if !cs.Started() {
		text = "Setting up the solution circle"
	}
	if len(cs.Groups) > 1 && gi >= 0 {
		text = fmt.Sprintf("Circle %d of %d · ", gi+1, len(cs.Groups)) + text
	}
	return f.st.section.Render(trunc(text, w))
}

// challengeLine names the challenge and its sharer.
func challengeLine(f frame, g session.CircleGroup, w int) string {
	who := "shared by " + f.name(g.Sharer)
	if g.Sharer == "" {
		who = "no sharer chosen yet"
	}
	title := g.Title
	if title == "" {
		title = "no title yet"
	}
	return trunc(f.st.strong.Render(title)+f.st.dim.Render(" · "+who), w)
}

// setupInfo is what everyone sees before the circle starts: the topic
// and who is invited to share it, the circles as set up, the times.
func setupInfo(f frame, cs *session.Circle, w int) []string {
	st := f.st
	lines := []string{phaseLine(f, cs, -1, w)}
	if text, sharers, ok := f.v.ChosenTopic(); ok {
		lines = append(lines, styledLines(st.strong, wrap(fmt.Sprintf("Topic: %q", text), w))...)
		lines = append(lines, sharerLines(f, sharers, w)...)
	}
	for i, g := range cs.Groups {
		if g.Sharer == "" && g.Title == "" {
			continue
		}
		prefix := ""
		if len(cs.Groups) > 1 {
			prefix = fmt.Sprintf("Circle %d: ", i+1)
		}
		lines = append(lines, trunc(prefix+challengeLine(f, g, w), w))
	}
	var times []string
	for _, p := range cs.Phases() {
		times = append(times, fmt.Sprintf("%s %d", capitalize(shortPhase(p)), int(cs.Times.Of(p)/time.Minute)))
	}
	lines = append(lines, st.dim.Render(wrap(strings.Join(times, " · ")+" min", w)))
	if f.fac() {
		hint := "Press s to set up the circle (sharer, challenge, times), then > or space to start."
		if n := f.v.Present(); n > session.ManyPeople && len(cs.Groups) == 1 {
			hint = fmt.Sprintf("%d people are here: several circles can run at once (s). ", n) + hint
		}
		lines = append(lines, "", st.warn.Render(wrap(hint, w)))
	} else {
		lines = append(lines, "", wrap(f.v.Activity().Note, w))
	}
	return lines
}

// shortPhase is a phase's name in a word or two.
func shortPhase(p session.CirclePhase) string {
	switch p {
	case session.CircleChallenge:
		return "challenge"
	case session.CircleQuestions:
		return "questions"
	case session.CircleIdeas:
		return "ideas in turn"
	case session.CircleDiscussion:
		return "discussion"
	case session.CircleFeedback:
		return "feedback"
	}
	return string(p)
}

// groupView is one circle as its people see it.
func (s circleScreen) groupView(f frame, cs *session.Circle, gi, w, h int) []string {
	st := f.st
	g, _ := cs.Group(gi)
	me := f.v.Me
	sharer := g.Sharer == me
	lines := []string{phaseLine(f, cs, gi, w), challengeLine(f, g, w)}
	say := func(style lipgloss.Style, text string) {
		if h < 8 {
			lines = append(lines, style.Render(trunc(text, w)))
		} else {
			lines = append(lines, styledLines(style, wrap(text, w))...)
		}
	}
	sharerName := capitalize(f.name(g.Sharer))
	n := s.listLen(cs, g)
	sel := s.selIndex(n)
	switch cs.CurrentPhase() {
	case session.CircleChallenge:
		if sharer {
			say(st.warn, "Describe your challenge to the circle. Press w to type a summary everyone sees.")
		} else {
			say(st.dim, sharerName+" describes the challenge. Listen; questions come next.")
		}
		lines = append(lines, "")
		if g.Summary != "" {
			lines = append(lines, wrap(g.Summary, w))
		} else {
			lines = append(lines, st.dim.Render("No summary typed yet."))
		}
	case session.CircleQuestions:
		if sharer {
			say(st.warn, "Answer the questions: choose one with ↑/↓ and press enter to note your answer.")
		} else {
			say(st.dim, "Ask clarifying questions (c): facts, not ideas yet. "+sharerName+" answers.")
		}
		if g.Summary != "" {
			// Two lines of it: enough to remember it by while questions
			// take the room below.
			sum := upTo(wrap("Summary: "+g.Summary, w), 2, w)
			lines = append(lines, styledLines(st.dim, strings.Join(sum, "\n"))...)
		}
		lines = append(lines, "")
		var rows []string
		for i, q := range g.Questions {
			lead := "  "
			if i == sel && (sharer || f.v.Role.TakesNotes()) {
				lead = "▶ "
			}
			text := fmt.Sprintf("%s? %s %s", lead, q.Text, st.dim.Render("— "+f.name(q.By)))
			rows = append(rows, trunc(text, w))
			if q.Answer != "" {
				rows = append(rows, trunc("    "+st.okText.Render("→ "+q.Answer), w))
			}
		}
		if len(rows) == 0 {
			rows = []string{st.dim.Render("No questions yet.")}
		}
		lines = append(lines, lastRows(st, rows, h-len(lines))...)
	case session.CircleIdeas:
		sp, speaking := g.Speaker()
		left := formatClock(g.TurnLeft(f.now))
		switch {
		case sharer:
			say(st.okText, "You are listening. Ideas appear here as they arrive; at the end you say which were useful.")
		case speaking && sp == me:
			say(st.warn, fmt.Sprintf("Your turn · %s left. Type your idea (i), pass (x), or press d when you're done.", left))
		case speaking:
			say(st.strong, fmt.Sprintf("%s is speaking · %s left in this turn", capitalize(f.name(sp)), left))
		default:
			say(st.dim, "Everyone has had their turn. Open discussion comes next.")
		}
		lines = append(lines, orderLines(f, g, sel, f.fac(), w)...)
		lines = append(lines, "")
		lines = append(lines, ideaRows(f, g, -1, w, h-len(lines))...)
	case session.CircleDiscussion:
		place := g.HandPlace(me)
		switch {
		case sharer:
			say(st.okText, "You are listening. Ideas appear here as they arrive; at the end you say which were useful.")
		case g.Floor == me:
			say(st.warn, "You have the floor. Add your ideas with i.")
		case place > 0:
			say(st.warn, fmt.Sprintf("Your hand is up: you are %s in the queue.", ordinal(place)))
		default:
			say(st.dim, "Anyone adds ideas (i). Raise your hand (h) to speak.")
		}
		var hands []string
		for i, id := range g.Hands {
			hands = append(hands, fmt.Sprintf("%d %s", i+1, f.name(id)))
		}
		info := "Hands: none raised"
		if len(hands) > 0 {
			info = "Hands: " + strings.Join(hands, " · ")
		}
		if g.Floor != "" {
			info = "Floor: " + f.name(g.Floor) + " · " + info
		}
		lines = append(lines, trunc(info, w), "")
		lines = append(lines, ideaRows(f, g, -1, w, h-len(lines))...)
	case session.CircleFeedback:
		if sharer {
			say(st.warn, "Mark the useful ideas (↑/↓, u) and write what helped and your first step (w).")
		} else {
			say(st.dim, sharerName+" says which ideas were useful and the first step they will take.")
		}
		lines = append(lines, feedbackLines(f, g, w)...)
		lines = append(lines, "")
		mark := -1
		if sharer || f.v.Role.TakesNotes() {
			mark = sel
		}
		lines = append(lines, ideaRows(f, g, mark, w, h-len(lines))...)
	}
	return lines
}

// feedbackLines show the sharer's feedback so far.
func feedbackLines(f frame, g session.CircleGroup, w int) []string {
	var out []string
	if g.Heard != "" {
		out = append(out, upTo(wrap("Heard: "+g.Heard, w), 2, w)...)
	}
	if g.FirstStep != "" {
		step := "First step: " + g.FirstStep
		if d := g.DueText(); d != "" {
			step += ", by " + d
		}
		out = append(out, styledLines(f.st.okText, strings.Join(upTo(wrap(step, w), 2, w), "\n"))...)
	}
	return out
}

// orderLines show the turn order: who has spoken (✓), passed (–), was
// skipped while away (↷), who speaks now (▶) and who is to come. A
// facilitator's selection is in brackets.
func orderLines(f frame, g session.CircleGroup, sel int, selecting bool, w int) []string {
	var parts []string
	for i, id := range g.Order {
		name := f.name(id)
		mem, _ := f.v.Member(id)
		switch {
		case g.Started && i == g.Turn:
			name = "▶ " + name
		case slices.Contains(g.Skipped, id) && i < g.Turn:
			name = "↷ " + name + " (skipped)"
		case slices.Contains(g.Passed, id) && i < g.Turn:
			name = "– " + name
		case g.Started && i < g.Turn:
			name = "✓ " + name
		}
		if !mem.Present {
			name += " (away)"
		}
		if selecting && i == sel {
			name = "[" + name + "]"
		}
		if g.Started && i == g.Turn {
			name = f.st.selected.Render(name)
		}
		parts = append(parts, name)
	}
	return strings.Split(wrap("Order: "+strings.Join(parts, " · "), w), "\n")
}

// ideaRows list a circle's ideas: each with its author and, once marked,
// ★ useful. With sel at or above 0 the list keeps that row in sight;
// otherwise it keeps the newest.
func ideaRows(f frame, g session.CircleGroup, sel, w, room int) []string {
	st := f.st
	if room < 1 {
		return nil
	}
	if len(g.Ideas) == 0 {
		return []string{st.dim.Render("No ideas yet.")}
	}
	head := st.strong.Render(fmt.Sprintf("Ideas · %d", len(g.Ideas)))
	if u := len(g.Useful()); u > 0 {
		head += st.dim.Render(fmt.Sprintf(" · %d useful", u))
	}
	rows := make([]string, len(g.Ideas))
	for i, x := range g.Ideas {
		lead := "  "
		if i == sel {
			lead = "▶ "
		}
		mark := "• "
		if x.Useful {
			mark = "★ "
		}
		text := x.Text
		if i == sel {
			text = st.selected.Render(text)
		}
		rows[i] = trunc(lead+mark+text+st.dim.Render(" — "+f.name(x.By)), w)
	}
	if sel < 0 {
		return append([]string{head}, lastRows(st, rows, room-1)...)
	}
	return append([]string{head}, windowRows(st, rows, sel, room-1)...)
}

// lastRows keeps the newest rows that fit in room lines, with a line
// saying how many earlier ones there are.
func lastRows(st styles, rows []string, room int) []string {
	if room < 1 {
		return nil
	}
	if len(rows) <= room {
		return rows
	}
	k := len(rows) - room + 1
	return append([]string{st.dim.Render(fmt.Sprintf("  ↑ %d earlier", k))}, rows[k:]...)
}

// overview is every circle at a glance, for the facilitators of several.
func overview(f frame, cs *session.Circle, w, h int) []string {
	st := f.st
	lines := []string{phaseLine(f, cs, -1, w)}
	per := max((h-2)/max(len(cs.Groups), 1), 1)
	for i, g := range cs.Groups {
		block := []string{trunc(fmt.Sprintf("%d ", i+1)+challengeLine(f, g, w-2)+st.dim.Render(fmt.Sprintf(" · %d people", len(g.Members))), w)}
		block = append(block, trunc("  "+glance(f, cs, g), w))
		if per >= 3 && len(g.Ideas) > 0 {
			last := g.Ideas[len(g.Ideas)-1]
			block = append(block, st.dim.Render(trunc("  latest: "+last.Text+" — "+f.name(last.By), w)))
		}
		lines = append(lines, block[:min(len(block), per)]...)
	}
	return lines
}

// glance sums up where a circle stands in a line.
func glance(f frame, cs *session.Circle, g session.CircleGroup) string {
	ideas := countOf(len(g.Ideas), "idea")
	switch cs.CurrentPhase() {
	case session.CircleChallenge:
		if g.Summary != "" {
			return "summary: " + g.Summary
		}
		return "no summary yet"
	case session.CircleQuestions:
		return countOf(len(g.Questions), "question")
	case session.CircleIdeas:
		if sp, ok := g.Speaker(); ok {
			return fmt.Sprintf("▶ %s speaking, %s left · turn %d of %d · %s", f.name(sp), formatClock(g.TurnLeft(f.now)), g.Turn+1, len(g.Order), ideas)
		}
		return "everyone has had a turn · " + ideas
	case session.CircleDiscussion:
		out := ideas + " · " + countOf(len(g.Hands), "hand") + " up"
		if g.Floor != "" {
			out = "floor: " + f.name(g.Floor) + " · " + out
		}
		return out
	case session.CircleFeedback:
		out := fmt.Sprintf("%s · %d useful", ideas, len(g.Useful()))
		if g.FirstStep != "" {
			out += " · first step written"
		}
		return out
	}
	return ""
}

// setupView is the facilitator's set-up, row by row.
func (s circleScreen) setupView(f frame, cs *session.Circle, w, h int) []string {
	st := f.st
	d := s.draft
	lines := []string{st.section.Render(trunc("Set up the solution circle", w))}
	if s.setupErr != "" {
		lines = append(lines, styledLines(st.errText, wrap(s.setupErr, w))...)
	}
	_, authors, _ := f.v.ChosenTopic()
	rows := s.setupRows()
	sel := min(max(s.row, 0), len(rows)-1)
	out := make([]string, len(rows))
	const labelW = 22
	for i, r := range rows {
		var label, value, note string
		switch r.kind {
		case rowCount:
			label, value = "Circles at once", fmt.Sprint(len(d.Circles))
			if n := f.v.Present(); n > session.ManyPeople {
				note = fmt.Sprintf("%d here: more than one runs", n)
			} else {
				note = fmt.Sprintf("%d here", n)
			}
		case rowSharer:
			label = fmt.Sprintf("Circle %d's sharer", r.circle+1)
			if len(d.Circles) == 1 {
				label = "Problem sharer"
			}
			value = "not chosen"
			if id := d.Circles[r.circle].Sharer; id != "" {
				value = f.v.NameOf(id)
				if slices.Contains(authors, id) {
					note = "suggested the topic"
				}
			}
		case rowTitle:
			label = fmt.Sprintf("Circle %d's challenge", r.circle+1)
			if len(d.Circles) == 1 {
				label = "Challenge"
			}
			value = d.Circles[r.circle].Title
			if value == "" {
				value = "no title"
			}
		case rowQuestionsOn:
			label, value = "Clarifying questions", onOff(d.Questions)
		case rowPhase:
			label, value = capitalize(session.PhaseName(r.phase)), fmt.Sprintf("%d min", int(d.Times.Of(r.phase)/time.Minute))
		case rowTurn:
			label, value = "Each turn", fmt.Sprintf("%d min", int(d.Turn/time.Minute))
			if d.Turn == 0 {
				value, note = "shared out", "ideas time ÷ people, 1 min at least"
			}
		}
		lead := "  "
		if i == sel {
			lead = "▶ "
		}
		if r.kind == rowTitle {
			value = st.strong.Render(value)
		} else if i == sel {
			value = "◂ " + value + " ▸"
		}
		line := lead + label + strings.Repeat(" ", max(labelW-cellWidth(label), 1)) + value
		if note != "" {
			line += st.dim.Render("  " + note)
		}
		if i == sel {
			line = st.selected.Render(trunc(line, w))
		}
		out[i] = trunc(line, w)
	}
	return append(lines, windowRows(st, out, sel, h-len(lines))...)
}

// present draws the circle large and clear for a projector: the phase
// and its clock, the challenge, who speaks now and the order, and the
// ideas so far; several circles each at a glance.
func (s circleScreen) present(f frame, w, h int) string {
	st := f.st
	cs := circleOf(f.v)
	var lines []string
	title := "Solution circle · " + capitalize(session.PhaseName(cs.CurrentPhase()))
	if cs.Started() {
		title = fmt.Sprintf("Solution circle · phase %d of %d: %s", cs.PhaseNumber(), len(cs.Phases()), session.PhaseName(cs.CurrentPhase()))
	}
	if f.v.Activity().Timed() {
		title += " · " + formatClock(f.v.Timer.Remaining(f.now)) + " left"
	}
	lines = append(lines, st.title.Render(trunc(title, w)), "")
	if !cs.Started() {
		lines = append(lines, setupInfo(f, cs, w)...)
		return strings.Join(lines[:min(len(lines), h)], "\n")
	}
	if len(cs.Groups) > 1 {
		lines = append(lines, overview(f, cs, w, h-len(lines))[1:]...)
		return strings.Join(lines[:min(len(lines), h)], "\n")
	}
	g := cs.Groups[0]
	lines = append(lines, challengeLine(f, g, w), "")
	switch cs.CurrentPhase() {
	case session.CircleChallenge, session.CircleQuestions:
		if g.Summary != "" {
			lines = append(lines, wrap(g.Summary, w), "")
		}
		for _, q := range g.Questions {
			lines = append(lines, trunc("? "+q.Text, w))
			if q.Answer != "" {
				lines = append(lines, trunc("  → "+q.Answer, w))
			}
		}
	case session.CircleIdeas:
		if sp, ok := g.Speaker(); ok {
			lines = append(lines, st.warn.Render(trunc(fmt.Sprintf("Now speaking: %s · %s left in this turn", f.name(sp), formatClock(g.TurnLeft(f.now))), w)))
		} else {
			lines = append(lines, "Everyone has had their turn.")
		}
		lines = append(lines, orderLines(f, g, -1, false, w)...)
		lines = append(lines, "")
		lines = append(lines, ideaRows(f, g, -1, w, h-len(lines))...)
	case session.CircleDiscussion:
		info := "Open discussion: anyone adds ideas."
		if g.Floor != "" {
			info = "The floor: " + f.name(g.Floor)
		}
		lines = append(lines, st.warn.Render(trunc(info, w)))
		if len(g.Hands) > 0 {
			lines = append(lines, trunc("Hands: "+names(f, g.Hands), w))
		}
		lines = append(lines, "")
		lines = append(lines, ideaRows(f, g, -1, w, h-len(lines))...)
	case session.CircleFeedback:
		lines = append(lines, feedbackLines(f, g, w)...)
		lines = append(lines, "")
		lines = append(lines, ideaRows(f, g, -1, w, h-len(lines))...)
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// panelKey names what the panel shows that is this viewer's own: the
// screen's mode, selection and set-up draft, the circle shown, the
// viewer's part in it (sharer, speaker, floor, place in the queue), the
// turn clocks, and who they are when the panel may name them ("you": in a
// circle, as a sharer offered, or a facilitator's set-up). Everyone else
// alike shares it: people waiting outside a circle, and the room before
// the circle starts.
func (s circleScreen) panelKey(f frame) (string, bool) {
	cs := circleOf(f.v)
	me := f.v.Me
	_, inCircle := cs.GroupOf(me)
	_, sharers, _ := f.v.ChosenTopic()
	own, _ := f.v.Own.(*session.CircleOwn)
	named := f.fac() || inCircle || slices.Contains(sharers, me) || own != nil && own.Invited
	for _, g := range cs.Groups {
		named = named || g.Sharer == me
	}
	var b strings.Builder
	b.WriteString(viewerIf(f, named) + "|")
	mode := s.modeNow(f, cs)
	fmt.Fprintf(&b, "circle/%d/%d/%d/%d", mode, s.sel, s.look, s.row)
	if mode == circleSetup || mode == circleTitle {
		fmt.Fprintf(&b, "/%q/%#v", s.setupErr, s.draft)
	}
	gi, shown := s.shown(f, cs)
	fmt.Fprintf(&b, "/%d/%t", gi, shown)
	if g, ok := cs.Group(gi); shown && ok {
		sp, speaking := g.Speaker()
		fmt.Fprintf(&b, "/%t/%t/%t/%d", g.Sharer == me, speaking && sp == me, g.Floor == me, g.HandPlace(me))
	}
	for _, g := range cs.Groups {
		b.WriteString("/" + formatClock(g.TurnLeft(f.now)))
	}
	return b.String(), true
}
