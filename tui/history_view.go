package tui

import (
	"fmt"
	"strings"

	"github.com/convene/convene/session"
)

// pastOutcomeLines draws every outcome of a past meetup in w cells, for the
// history's scrollable view: who came, the groups of each round, the
// topics and their results, each circle's challenge, questions, every
// idea (the useful ones marked) and the sharer's feedback, open space,
// and the actions with what became of them.
func pastOutcomeLines(st styles, m *session.Meetup, o session.Outcomes, w int) []string {
	var out []string
	add := func(s string) { out = append(out, s) }
	para := func(s string) { out = append(out, strings.Split(wrap(s, w), "\n")...) }
	section := func(s string) {
		if len(out) > 0 {
			add("")
		}
		add(st.section.Render(trunc(s, w)))
	}

	facts := []string{countOf(len(m.Members), "person")}
	if m.Series != "" {
		facts = append(facts, "series "+m.Series)
	}
	if o.Chosen != "" {
		facts = append(facts, "chosen topic: "+o.Chosen)
	}
	para(strings.Join(facts, " · "))
	if len(m.Members) > 0 {
		names := make([]string, len(m.Members))
		for i, mem := range m.Members {
			names[i] = mem.Name
		}
		out = append(out, styledLines(st.dim, wrap("Came: "+strings.Join(names, ", "), w))...)
	}

	section("Agenda")
	for i, a := range m.Agenda {
		mark := "✓"
		if !a.Ran {
			mark = "·"
		}
		add(trunc(fmt.Sprintf("%s %d. %s (%s)", mark, i+1, a.Title, minutes(a.Planned())), w))
	}

	for _, a := range m.Agenda {
		switch s := a.State.(type) {
		case *session.Networking:
			if len(s.Drawn) == 0 {
				continue
			}
			section(a.Title)
			for r, round := range s.Drawn {
				head := fmt.Sprintf("Round %d", r+1)
				if round.StartedAt.IsZero() {
					head += " (drawn, not held)"
				}
				if round.Point != "" {
					head += ": " + round.Point
				}
				out = append(out, styledLines(st.strong, wrap(head, w))...)
				for g, group := range round.Groups {
					if len(group) == 0 {
						continue
					}
					names := make([]string, len(group))
					for k, id := range group {
						names[k] = m.NameOf(id)
					}
					para(fmt.Sprintf("  Group %d: %s", g+1, strings.Join(names, ", ")))
				}
			}
		case *session.Vote:
			if len(s.Topics) == 0 {
				continue
			}
			section(a.Title)
			for i, p := range s.Polls {
				if p.Result == nil {
					continue
				}
				name := "Vote"
				if i > 0 {
					name = "Runoff"
				}
				add(st.strong.Render(fmt.Sprintf("%s: %s, %s", name, p.Method, countOf(p.Result.Ballots, "ballot"))))
				for _, id := range p.Result.Ordered() {
					mark := ""
					if id == p.Result.Winner {
						mark = "  ← chosen"
					}
					add(trunc(fmt.Sprintf("  %3d  %s%s", p.Result.Totals[id], s.TopicText(id), mark), w))
				}
			}
			voted := map[string]bool{}
			for _, p := range s.Polls {
				for _, id := range p.Topics {
					voted[id] = true
				}
			}
			for _, t := range s.Topics {
				if !voted[t.ID] {
					add(trunc("  · "+t.Text, w))
				}
			}
			if s.Picked {
				out = append(out, styledLines(st.dim, wrap("The facilitator picked the topic after a tie.", w))...)
			}
		case *session.Circle:
			if !s.Started() {
				continue
			}
			for i, g := range s.Groups {
				head := a.Title
				if len(s.Groups) > 1 {
					head += fmt.Sprintf(" %d of %d", i+1, len(s.Groups))
				}
				section(head + ": " + g.Title)
				out = append(out, pastCircleLines(st, m, g, w)...)
			}
		}
	}

	if len(o.OpenItems) > 0 {
		section("Open space")
		for _, it := range o.OpenItems {
			line := "• " + it.Text
			if it.Detail != "" {
				line += ": " + it.Detail
			}
			about := []string{it.Author}
			if it.Votes > 0 {
				about = append(about, fmt.Sprintf("+%d", it.Votes))
			}
			if it.Discussed {
				about = append(about, "discussed")
			}
			para(line + " (" + strings.Join(about, ", ") + ")")
			for _, n := range it.Notes {
				para("    – " + n)
			}
		}
	}

	section("Actions")
	if len(m.Actions) == 0 {
		out = append(out, st.dim.Render("No actions were recorded."))
	}
	for _, a := range m.Actions {
		line := fmt.Sprintf("%d. [%s] %s · %s", a.ID, a.Status, a.Text, a.OwnerName)
		if due := a.DueText(); due != "" {
			line += " · due " + due
		}
		para(line)
		if a.From != "" {
			out = append(out, styledLines(st.dim, wrap("     from "+a.From, w))...)
		}
		if a.Note != "" {
			out = append(out, styledLines(st.dim, wrap("     "+a.Note, w))...)
		}
	}
	return out
}

// pastCircleLines draws one circle held: who shared with whom, the
// challenge, the questions, every idea with ★ on the useful ones, who
// passed, and the sharer's feedback.
func pastCircleLines(st styles, m *session.Meetup, g session.CircleGroup, w int) []string {
	var out []string
	para := func(s string) { out = append(out, strings.Split(wrap(s, w), "\n")...) }
	dim := func(s string) { out = append(out, styledLines(st.dim, wrap(s, w))...) }
	sharer := m.NameOf(g.Sharer)
	var others []string
	for _, id := range g.Members {
		if id != g.Sharer {
			others = append(others, m.NameOf(id))
		}
	}
	para(fmt.Sprintf("Shared by %s with %s · %s", sharer, countOf(len(others), "other"), countOf(len(g.Ideas), "idea")))
	if len(others) > 0 {
		dim("In the circle: " + strings.Join(others, ", "))
	}
	if g.Summary != "" {
		para("“" + g.Summary + "”")
	}
	for _, q := range g.Questions {
		para("  ? " + q.Text + " (" + m.NameOf(q.By) + ")")
		if q.Answer != "" {
			para("    " + sharer + ": " + q.Answer)
		}
	}
	if len(g.Ideas) > 0 {
		out = append(out, st.strong.Render(trunc(fmt.Sprintf("Ideas (★ useful to %s: %d)", sharer, len(g.Useful())), w)))
	}
	for _, x := range g.Ideas {
		mark := "  · "
		if x.Useful {
			mark = "  ★ "
		}
		by := m.NameOf(x.By)
		if x.Phase == session.CircleDiscussion {
			by += ", in discussion"
		}
		para(mark + x.Text + " (" + by + ")")
	}
	if len(g.Passed) > 0 {
		names := make([]string, len(g.Passed))
		for i, id := range g.Passed {
			names[i] = m.NameOf(id)
		}
		dim("Passed: " + strings.Join(names, ", "))
	}
	if g.Heard != "" {
		para("What helped: " + g.Heard)
	}
	if g.FirstStep != "" {
		step := "First step: " + g.FirstStep
		if due := g.DueText(); due != "" {
			step += " (by " + due + ")"
		}
		para(step)
	}
	if g.Heard == "" && g.FirstStep == "" {
		dim(sharer + " gave no feedback.")
	}
	return out
}
