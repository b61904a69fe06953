package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// Markdown writes a meetup up for people to read: what we did, what came
// out (groups, topics and the vote, each circle's challenge, questions,
// every idea and the sharer's feedback, open space) and the actions with
// what became of them. o is what the meetup came to (m.Outcomes()); the
// circles are written from their state, which keeps more than the
// outcomes. m is read as the archive gives it: no ballots. Authors of
// topics appear only where the room showed them to everyone.
func Markdown(m *session.Meetup, o session.Outcomes) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s\n\n", inline(m.Title))
	facts := []string{When(m), "code " + session.FormatCode(m.Code)}
	if m.Series != "" {
		facts = append(facts, "series "+inline(m.Series))
	}
	p("%s\n\n", strings.Join(facts, " · "))
	if len(m.Members) == 0 {
		p("Nobody came.\n\n")
	} else {
		people := make([]string, len(m.Members))
		for i, mem := range m.Members {
			people[i] = inline(mem.Name)
		}
		p("%s came: %s.\n\n", count(len(m.Members), "person", "people"), strings.Join(people, ", "))
	}

	p("## What we did\n\n")
	for i, a := range m.Agenda {
		line := fmt.Sprintf("%d. %s", i+1, inline(a.Title))
		if info, ok := session.KindOf(a.Kind); ok && a.Title != info.Title {
			line += " (" + info.Name + ")"
		}
		if d := a.Planned(); d > 0 {
			line += " · " + minutes(d) + " planned"
		}
		if !a.Ran {
			line += " · not held"
		}
		p("%s\n", line)
	}
	p("\n## What came out\n\n")
	if o.Chosen != "" {
		p("**Chosen topic:** %s\n\n", inline(o.Chosen))
	}
	wrote := false
	for _, a := range m.Agenda {
		switch st := a.State.(type) {
		case *session.Networking:
			wrote = networkingMD(&b, m, a, st) || wrote
		case *session.Vote:
			wrote = topicsMD(&b, a, st) || wrote
		case *session.Circle:
			wrote = circleMD(&b, m, a, st) || wrote
		}
	}
	if len(o.OpenItems) > 0 {
		wrote = true
		p("### Open space\n\n")
		for _, it := range o.OpenItems {
			line := "- **" + inline(it.Text) + "**"
			if it.Detail != "" {
				line += ": " + inline(it.Detail)
			}
			var about []string
			if it.Author != "" {
				about = append(about, "raised by "+inline(it.Author))
			}
			if it.Votes > 0 {
				about = append(about, fmt.Sprintf("+%d", it.Votes))
			}
			if it.Discussed {
				about = append(about, "discussed")
			} else {
				about = append(about, "not discussed")
			}
			p("%s (%s)\n", line, strings.Join(about, ", "))
			for _, n := range it.Notes {
				p("  - %s\n", inline(n))
			}
		}
		p("\n")
	}
	if !wrote && o.Chosen == "" {
		p("Nothing was recorded in the activities.\n\n")
	}

	p("## Actions\n\n")
	if len(m.Actions) == 0 {
		p("No actions were recorded.\n")
		return b.String()
	}
	open := 0
	for _, a := range m.Actions {
		if a.Status == session.ActionOpen {
			open++
		}
	}
	p("%s, %d still open.\n\n", count(len(m.Actions), "action", "actions"), open)
	p("| # | Action | Owner | Due | Status | What was done |\n")
	p("| --- | --- | --- | --- | --- | --- |\n")
	for _, a := range m.Actions {
		text := cell(a.Text)
		if a.From != "" {
			text += " <br>_from " + cell(a.From) + "_"
		}
		status := string(a.Status)
		if !a.Updated.IsZero() && a.Status != session.ActionOpen {
			status += " " + Day(a.Updated)
		}
		p("| %d | %s | %s | %s | %s | %s |\n", a.ID, text, cell(a.OwnerName), a.DueText(), status, cell(a.Note))
	}
	return b.String()
}

func networkingMD(b *strings.Builder, m *session.Meetup, a session.Activity, n *session.Networking) bool {
	if len(n.Drawn) == 0 {
		return false
	}
	fmt.Fprintf(b, "### %s\n\n", inline(a.Title))
	for i, r := range n.Drawn {
		state := ""
		if r.StartedAt.IsZero() {
			state = " (drawn, not held)"
		}
		fmt.Fprintf(b, "**Round %d**%s", i+1, state)
		if r.Point != "" {
			fmt.Fprintf(b, ": %s", inline(r.Point))
		}
		b.WriteString("\n\n")
		for g, group := range r.Groups {
			if len(group) == 0 {
				continue
			}
			names := make([]string, len(group))
			for k, id := range group {
				names[k] = inline(m.NameOf(id))
			}
			fmt.Fprintf(b, "- Group %d: %s\n", g+1, strings.Join(names, ", "))
		}
		b.WriteString("\n")
	}
	return true
}

func topicsMD(b *strings.Builder, a session.Activity, v *session.Vote) bool {
	if len(v.Topics) == 0 {
		return false
	}
	fmt.Fprintf(b, "### %s\n\n", inline(a.Title))
	fmt.Fprintf(b, "%s suggested", count(len(v.Topics), "topic", "topics"))
	if !v.ShowAuthors {
		b.WriteString(" (authors were not shown)")
	}
	b.WriteString(".\n\n")
	for _, t := range v.Topics {
		line := "- " + inline(t.Text)
		if v.ShowAuthors && len(t.Authors) > 0 {
			line += fmt.Sprintf(" (%s)", count(len(t.Authors), "author", "authors"))
		}
		if t.ID == v.Chosen {
			line += " **(chosen)**"
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	for i, poll := range v.Polls {
		if poll.Result == nil {
			continue
		}
		r := poll.Result
		name := "Vote"
		if i > 0 {
			name = "Runoff"
		}
		fmt.Fprintf(b, "**%s** (%s, %s):\n\n", name, method(poll), count(r.Ballots, "ballot", "ballots"))
		b.WriteString("| Topic | Votes |\n| --- | --- |\n")
		for _, id := range r.Ordered() {
			mark := ""
			if id == r.Winner {
				mark = " **(won)**"
			} else if containsStr(r.Tie, id) {
				mark = " (tied)"
			}
			fmt.Fprintf(b, "| %s%s | %d |\n", cell(v.TopicText(id)), mark, r.Totals[id])
		}
		b.WriteString("\n")
		if len(r.Rounds) > 1 {
			fmt.Fprintf(b, "Counted by instant runoff in %d rounds.\n\n", len(r.Rounds))
		}
	}
	if v.Picked {
		b.WriteString("The facilitator picked the topic after a tie.\n\n")
	}
	return true
}

// circleMD writes up each circle held: the challenge as the sharer put
// it, the questions and answers, every idea with whose it was and which
// the sharer found useful, who passed, and the sharer's feedback.
func circleMD(b *strings.Builder, m *session.Meetup, a session.Activity, cs *session.Circle) bool {
	if !cs.Started() {
		return false
	}
	for i, g := range cs.Groups {
		title := g.Title
		if title == "" {
			title = "(no challenge recorded)"
		}
		heading := inline(a.Title)
		if len(cs.Groups) > 1 {
			heading += fmt.Sprintf(" %d of %d", i+1, len(cs.Groups))
		}
		fmt.Fprintf(b, "### %s: %s\n\n", heading, inline(title))
		sharer := inline(m.NameOf(g.Sharer))
		others := make([]string, 0, len(g.Members))
		for _, id := range g.Members {
			if id != g.Sharer {
				others = append(others, inline(m.NameOf(id)))
			}
		}
		fmt.Fprintf(b, "%s shared the challenge with %s", sharer, count(len(others), "other", "others"))
		if len(cs.Groups) > 1 && len(others) > 0 {
			fmt.Fprintf(b, " (%s)", strings.Join(others, ", "))
		}
		fmt.Fprintf(b, "; %s offered.\n\n", count(len(g.Ideas), "idea was", "ideas were"))
		if g.Summary != "" {
			fmt.Fprintf(b, "> %s\n\n", inline(g.Summary))
		}
		if len(g.Questions) > 0 {
			b.WriteString("**Questions**\n\n")
			for _, q := range g.Questions {
				answer := "_not answered_"
				if q.Answer != "" {
					answer = inline(q.Answer)
				}
				fmt.Fprintf(b, "- %s (%s)  \n  %s: %s\n", inline(q.Text), inline(m.NameOf(q.By)), sharer, answer)
			}
			b.WriteString("\n")
		}
		if len(g.Ideas) > 0 {
			found := "none of them"
			if n := len(g.Useful()); n > 0 {
				found = fmt.Sprintf("%d of them", n)
			}
			fmt.Fprintf(b, "**Ideas** (%s found %s useful)\n\n", sharer, found)
			for k, x := range g.Ideas {
				line := fmt.Sprintf("%d. %s (%s", k+1, inline(x.Text), inline(m.NameOf(x.By)))
				if x.Phase == session.CircleDiscussion {
					line += ", in discussion"
				}
				line += ")"
				if x.Useful {
					line += " **useful**"
				}
				b.WriteString(line + "\n")
			}
			b.WriteString("\n")
		}
		if len(g.Passed) > 0 {
			names := make([]string, len(g.Passed))
			for k, id := range g.Passed {
				names[k] = inline(m.NameOf(id))
			}
			fmt.Fprintf(b, "Passed in their turn: %s.\n\n", strings.Join(names, ", "))
		}
		if g.Heard == "" && g.FirstStep == "" {
			fmt.Fprintf(b, "%s gave no feedback.\n\n", sharer)
		}
		if g.Heard != "" {
			fmt.Fprintf(b, "**What helped %s:** %s\n\n", sharer, inline(g.Heard))
		}
		if g.FirstStep != "" {
			fmt.Fprintf(b, "**First step:** %s", inline(g.FirstStep))
			if !g.Due.IsZero() {
				fmt.Fprintf(b, " (by %s)", Day(g.Due))
			}
			b.WriteString("\n\n")
		}
	}
	return true
}

func method(p session.Poll) string {
	switch p.Method {
	case vote.Dots:
		return fmt.Sprintf("dots: %d each, at most %d on a topic", p.Dots, p.MaxPerTopic)
	case vote.Ranked:
		return "ranked, counted by instant runoff"
	case vote.Single:
		return "one choice each"
	}
	return string(p.Method)
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func minutes(d time.Duration) string {
	return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
}

// inline makes people's text safe to put in a Markdown line: characters
// that would start markup are escaped, so a title never becomes a link
// or a heading.
func inline(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "#", `\#`, "|", `\|`)
	return r.Replace(session.CleanText(s))
}

// cell is inline text for a table cell.
func cell(s string) string { return inline(s) }
