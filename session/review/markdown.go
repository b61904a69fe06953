package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// Markdown writes a meetup up for people to read: what we did, what came
// out (groups, topics and the vote, the circles with their useful ideas,
// open space) and the actions with what became of them. o is what the
// meetup came to (m.Outcomes(), passed in so that any outcomes can be
// written up). m is read as the archive gives it: no ballots. Authors of
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
		}
	}
	for _, c := range o.Circles {
		wrote = true
		circleMD(&b, c)
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

func circleMD(b *strings.Builder, c session.CircleOutcome) {
	title := c.Title
	if title == "" {
		title = "(no challenge recorded)"
	}
	fmt.Fprintf(b, "### Solution circle: %s\n\n", inline(title))
	about := []string{}
	if c.SharerName != "" {
		about = append(about, "Shared by "+inline(c.SharerName))
	}
	if c.Members > 0 {
		about = append(about, count(c.Members, "person", "people")+" in the circle")
	}
	about = append(about, count(c.Ideas, "idea", "ideas")+" offered")
	fmt.Fprintf(b, "%s.\n\n", strings.Join(about, "; "))
	if len(c.Useful) > 0 {
		b.WriteString("Useful ideas:\n\n")
		for _, i := range c.Useful {
			line := "- " + inline(i.Text)
			if i.By != "" {
				line += " (" + inline(i.By) + ")"
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	}
	if c.Heard != "" {
		fmt.Fprintf(b, "**What helped:** %s\n\n", inline(c.Heard))
	}
	if c.FirstStep != "" {
		fmt.Fprintf(b, "**First step:** %s", inline(c.FirstStep))
		if !c.FirstStepDue.IsZero() {
			fmt.Fprintf(b, " (by %s)", Day(c.FirstStepDue))
		}
		b.WriteString("\n\n")
	}
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
