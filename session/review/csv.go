package review

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/convene/convene/session"
)

// Table is one CSV table of an export: a header row and data rows.
type Table struct {
	// Name is the table's name and, with ".csv", its file's.
	Name string
	Rows [][]string
}

// TableNames are the tables of a CSV export, in order.
var TableNames = []string{"meetup", "people", "agenda", "groups", "topics", "votes", "circles", "questions", "ideas", "open_space", "actions"}

// Tables returns a meetup as CSV tables a spreadsheet opens: the meetup,
// the people, the agenda, the networking groups, the topics, the vote
// counts, the circles, their questions and every idea (useful or not),
// open space and the actions.
func Tables(m *session.Meetup, o session.Outcomes) []Table {
	tm := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	}
	itoa := strconv.Itoa
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}

	meetup := Table{Name: "meetup", Rows: [][]string{{"field", "value"},
		{"id", m.ID}, {"code", session.FormatCode(m.Code)}, {"title", m.Title}, {"series", m.Series},
		{"created_at", tm(m.CreatedAt)}, {"ended_at", tm(m.EndedAt)}, {"template", m.Template},
		{"people", itoa(len(m.Members))}, {"networking_rounds", itoa(o.Rounds)}, {"topics", itoa(o.Topics)},
		{"chosen_topic", o.Chosen}, {"ideas", itoa(ideas(o))}, {"actions", itoa(len(m.Actions))}}}

	people := Table{Name: "people", Rows: [][]string{{"person_id", "name", "role", "joined_at"}}}
	for _, mem := range m.Members {
		people.Rows = append(people.Rows, []string{string(mem.ID), mem.Name, string(mem.Role), tm(mem.JoinedAt)})
	}

	agenda := Table{Name: "agenda", Rows: [][]string{{"item", "kind", "title", "planned_minutes", "held"}}}
	groups := Table{Name: "groups", Rows: [][]string{{"item", "round", "talking_point", "started_at", "ended_at", "group", "person_id", "name"}}}
	topics := Table{Name: "topics", Rows: [][]string{{"item", "topic_id", "topic", "authors", "chosen"}}}
	votes := Table{Name: "votes", Rows: [][]string{{"item", "poll", "method", "ballots", "topic_id", "topic", "votes", "result"}}}
	for i, a := range m.Agenda {
		item := itoa(i + 1)
		agenda.Rows = append(agenda.Rows, []string{item, string(a.Kind), a.Title, itoa(int(a.Planned() / time.Minute)), yes(a.Ran)})
		switch st := a.State.(type) {
		case *session.Networking:
			for r, round := range st.Drawn {
				for g, group := range round.Groups {
					for _, id := range group {
						groups.Rows = append(groups.Rows, []string{item, itoa(r + 1), round.Point, tm(round.StartedAt), tm(round.EndedAt),
							itoa(g + 1), string(id), m.NameOf(id)})
					}
				}
			}
		case *session.Vote:
			for _, t := range st.Topics {
				authors := ""
				if st.ShowAuthors {
					names := make([]string, len(t.Authors))
					for k, id := range t.Authors {
						names[k] = m.NameOf(id)
					}
					authors = strings.Join(names, "; ")
				}
				topics.Rows = append(topics.Rows, []string{item, t.ID, t.Text, authors, yes(t.ID == st.Chosen)})
			}
			for _, p := range st.Polls {
				if p.Result == nil {
					continue
				}
				for _, id := range p.Result.Ordered() {
					result := ""
					switch {
					case id == p.Result.Winner:
						result = "won"
					case containsStr(p.Result.Tie, id):
						result = "tied"
					}
					votes.Rows = append(votes.Rows, []string{item, itoa(p.N), string(p.Method), itoa(p.Result.Ballots), id,
						st.TopicText(id), itoa(p.Result.Totals[id]), result})
				}
			}
		}
	}

	circles := Table{Name: "circles", Rows: [][]string{{"item", "circle", "challenge", "summary", "sharer", "people", "ideas", "useful_ideas", "passed", "heard", "first_step", "first_step_due"}}}
	questions := Table{Name: "questions", Rows: [][]string{{"item", "circle", "question", "asked_by", "answer"}}}
	ideaRows := Table{Name: "ideas", Rows: [][]string{{"item", "circle", "challenge", "idea", "by", "phase", "useful", "at"}}}
	for i, a := range m.Agenda {
		cs, ok := a.State.(*session.Circle)
		if !ok || !cs.Started() {
			continue
		}
		item := itoa(i + 1)
		for k, g := range cs.Groups {
			n := itoa(k + 1)
			passed := make([]string, len(g.Passed))
			for j, id := range g.Passed {
				passed[j] = m.NameOf(id)
			}
			circles.Rows = append(circles.Rows, []string{item, n, g.Title, g.Summary, m.NameOf(g.Sharer), itoa(len(g.Members)), itoa(len(g.Ideas)),
				itoa(len(g.Useful())), strings.Join(passed, "; "), g.Heard, g.FirstStep, day(g.Due)})
			for _, q := range g.Questions {
				questions.Rows = append(questions.Rows, []string{item, n, q.Text, m.NameOf(q.By), q.Answer})
			}
			for _, x := range g.Ideas {
				ideaRows.Rows = append(ideaRows.Rows, []string{item, n, g.Title, x.Text, m.NameOf(x.By), string(x.Phase), yes(x.Useful), tm(x.At)})
			}
		}
	}

	open := Table{Name: "open_space", Rows: [][]string{{"item", "text", "detail", "raised_by", "votes", "discussed", "notes"}}}
	for i, it := range o.OpenItems {
		open.Rows = append(open.Rows, []string{itoa(i + 1), it.Text, it.Detail, it.Author, itoa(it.Votes), yes(it.Discussed), strings.Join(it.Notes, " | ")})
	}

	actions := Table{Name: "actions", Rows: [][]string{{"id", "action", "owner", "due", "from", "status", "what_was_done", "updated_at", "made_at"}}}
	for _, a := range m.Actions {
		actions.Rows = append(actions.Rows, []string{itoa(a.ID), a.Text, a.OwnerName, day(a.Due), a.From, string(a.Status), a.Note, tm(a.Updated), tm(a.At)})
	}
	return []Table{meetup, people, agenda, groups, topics, votes, circles, questions, ideaRows, open, actions}
}

// WriteCSV writes one table as CSV.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	for _, row := range t.Rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = noFormula(c)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// noFormula keeps a spreadsheet from running people's text as a formula:
// a cell that would start one gets a leading apostrophe.
func noFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return "'" + s
		}
	}
	return s
}

// TableOf returns the named table.
func TableOf(ts []Table, name string) (Table, error) {
	for _, t := range ts {
		if t.Name == strings.TrimSuffix(name, ".csv") {
			return t, nil
		}
	}
	return Table{}, fmt.Errorf("there is no table %q: the tables are %s", session.CleanText(name), strings.Join(TableNames, ", "))
}
