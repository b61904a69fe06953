// Package review reads past meetups back: the rows of a history, the
// attendance of a series, and the exports (a Markdown write-up, complete
// JSON, CSV tables). It is pure: it works on meetups as the archive gives
// them (session.Hub.Archive) and knows nothing of storage, SSH or screens,
// so the history screen, the SSH commands and the command line share it.
package review

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/convene/convene/session"
)

// ErrNotFound is returned for an ID or code that names no meetup the
// reader may see.
var ErrNotFound = errors.New("no meetup has that ID or code")

// Row is what a history shows of one meetup.
type Row struct {
	ID     string
	Code   string
	Title  string
	Series string
	// Date is when the meetup was created; Ended when it ended (zero
	// while it is under way).
	Date  time.Time
	Ended time.Time
	// People counts everyone who came.
	People int
	// Chosen is the topic the vote chose, "" if none.
	Chosen string
	// Ideas counts the ideas offered in solution circles; Actions the
	// actions promised, Open those still open.
	Ideas   int
	Actions int
	Open    int
}

// RowOf sums up one meetup.
func RowOf(m *session.Meetup) Row {
	o := m.Outcomes()
	r := Row{ID: m.ID, Code: m.Code, Title: m.Title, Series: m.Series, Date: m.CreatedAt, Ended: m.EndedAt,
		People: len(m.Members), Chosen: o.Chosen, Ideas: ideas(o), Actions: len(m.Actions)}
	for _, a := range m.Actions {
		if a.Status == session.ActionOpen {
			r.Open++
		}
	}
	return r
}

func ideas(o session.Outcomes) int {
	n := 0
	for _, c := range o.Circles {
		n += c.Ideas
	}
	return n
}

// Rows sums up meetups, newest first.
func Rows(ms []*session.Meetup) []Row {
	out := make([]Row, len(ms))
	for i, m := range ms {
		out[i] = RowOf(m)
	}
	slices.SortStableFunc(out, func(a, b Row) int { return b.Date.Compare(a.Date) })
	return out
}

// Filter keeps the rows that have every word of q in their title, series,
// chosen topic, code or date ("nov", "2026-11"), in any case.
func Filter(rows []Row, q string) []Row {
	words := strings.Fields(strings.ToLower(session.CleanText(q)))
	if len(words) == 0 {
		return rows
	}
	var out []Row
	for _, r := range rows {
		hay := strings.ToLower(strings.Join([]string{r.Title, r.Series, r.Chosen, r.Code, session.FormatCode(r.Code),
			r.Date.UTC().Format("Mon 2 Jan 2006 2006-01-02 January")}, " "))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(hay, w) }) {
			out = append(out, r)
		}
	}
	return out
}

// Find returns the meetup named by its ID or its join code (as typed:
// case, spaces and the dash do not matter).
func Find(ms []*session.Meetup, idOrCode string) (*session.Meetup, error) {
	s := strings.TrimSpace(idOrCode)
	for _, m := range ms {
		if m.ID == s {
			return m, nil
		}
	}
	code := session.NormalizeCode(s)
	for _, m := range ms {
		if m.Code == code {
			return m, nil
		}
	}
	return nil, fmt.Errorf("%q: %w", session.CleanText(idOrCode), ErrNotFound)
}

// Day is a date as reviews show it: "Wed 25 Nov 2026".
func Day(t time.Time) string { return t.UTC().Format("Mon 2 Jan 2006") }

// When is a meetup's date and times: "Wed 25 Nov 2026, 18:00–19:05 UTC".
func When(m *session.Meetup) string {
	s := Day(m.CreatedAt) + ", " + m.CreatedAt.UTC().Format("15:04")
	if m.Ended() {
		if Day(m.EndedAt) == Day(m.CreatedAt) {
			s += "–" + m.EndedAt.UTC().Format("15:04")
		} else {
			s += " to " + Day(m.EndedAt) + ", " + m.EndedAt.UTC().Format("15:04")
		}
	} else {
		return s + " UTC, under way"
	}
	return s + " UTC"
}
