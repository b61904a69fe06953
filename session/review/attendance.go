package review

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/convene/convene/session"
)

// ErrNoSeries is returned for a series no meetup belongs to.
var ErrNoSeries = errors.New("no meetup belongs to that series")

// Series is one series as a list shows it.
type Series struct {
	Name        string
	Meetups     int
	First, Last time.Time
}

// SeriesList lists the series of the meetups, the most recent first.
func SeriesList(ms []*session.Meetup) []Series {
	var out []Series
	for _, m := range ms {
		if m.Series == "" {
			continue
		}
		i := slices.IndexFunc(out, func(s Series) bool { return strings.EqualFold(s.Name, m.Series) })
		if i < 0 {
			out = append(out, Series{Name: m.Series, First: m.CreatedAt, Last: m.CreatedAt})
			i = len(out) - 1
		}
		s := &out[i]
		s.Meetups++
		if m.CreatedAt.Before(s.First) {
			s.First = m.CreatedAt
		}
		if m.CreatedAt.After(s.Last) {
			s.Last, s.Name = m.CreatedAt, m.Series // the newest spelling
		}
	}
	slices.SortFunc(out, func(a, b Series) int { return b.Last.Compare(a.Last) })
	return out
}

// Attendance is who came to which meetup of a series.
type Attendance struct {
	Series string
	// Meetups are the series' meetups, oldest first.
	Meetups []Row
	// People are everyone who came to any of them, in the order they
	// first came, then by name.
	People []Attendee
}

// Attendee is one person across a series.
type Attendee struct {
	ID session.PersonID
	// Name is the name they had at the last meetup they came to.
	Name string
	// Came says, for each meetup of the series, whether they came.
	Came []bool
	// First and Last are the indexes of the first and last meetups they
	// came to.
	First, Last int
}

// Times counts the meetups the person came to.
func (p Attendee) Times() int {
	n := 0
	for _, c := range p.Came {
		if c {
			n++
		}
	}
	return n
}

// SeriesAttendance works out who came to which meetup of the series
// (named in any case). Everyone who joined a meetup came to it. People
// without an SSH key are someone new each time they connect.
func SeriesAttendance(ms []*session.Meetup, series string) (Attendance, error) {
	series = strings.TrimSpace(series)
	var in []*session.Meetup
	for _, m := range ms {
		if series != "" && strings.EqualFold(m.Series, series) {
			in = append(in, m)
		}
	}
	if len(in) == 0 {
		return Attendance{}, fmt.Errorf("%q: %w", session.CleanText(series), ErrNoSeries)
	}
	slices.SortStableFunc(in, func(a, b *session.Meetup) int { return a.CreatedAt.Compare(b.CreatedAt) })
	a := Attendance{Series: in[len(in)-1].Series}
	index := map[session.PersonID]int{}
	for i, m := range in {
		a.Meetups = append(a.Meetups, RowOf(m))
		for _, mem := range m.Members {
			k, ok := index[mem.ID]
			if !ok {
				k = len(a.People)
				index[mem.ID] = k
				a.People = append(a.People, Attendee{ID: mem.ID, Came: make([]bool, len(in)), First: i})
			}
			p := &a.People[k]
			p.Came[i], p.Last, p.Name = true, i, mem.Name
		}
	}
	slices.SortStableFunc(a.People, func(x, y Attendee) int {
		if x.First != y.First {
			return x.First - y.First
		}
		return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
	})
	return a, nil
}

// Came counts the people at meetup i.
func (a Attendance) Came(i int) int {
	n := 0
	for _, p := range a.People {
		if p.Came[i] {
			n++
		}
	}
	return n
}

// FirstTimers are the people whose first meetup of the series was i.
func (a Attendance) FirstTimers(i int) []Attendee {
	var out []Attendee
	for _, p := range a.People {
		if p.First == i {
			out = append(out, p)
		}
	}
	return out
}

// NotBack are "who's not in the room": the people who came to an earlier
// meetup of the series but not to the latest one, the longest gone first.
func (a Attendance) NotBack() []Attendee {
	latest := len(a.Meetups) - 1
	var out []Attendee
	for _, p := range a.People {
		if !p.Came[latest] {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(x, y Attendee) int { return x.Last - y.Last })
	return out
}

func names(ps []Attendee) string {
	if len(ps) == 0 {
		return "nobody"
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return strings.Join(out, ", ")
}

// WriteSeriesList writes the series as a table for a terminal.
func WriteSeriesList(w io.Writer, list []Series) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "No meetup belongs to a series yet.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tMEETUPS\tFIRST\tLATEST")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", s.Name, s.Meetups, Day(s.First), Day(s.Last))
	}
	return tw.Flush()
}

// WriteAttendance writes the figures of a series for a terminal: each
// meetup with its count and first-timers, who came to which, and who has
// not come back.
func WriteAttendance(w io.Writer, a Attendance) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Series %q: %s, %s\n\n", a.Series, count(len(a.Meetups), "meetup", "meetups"), count(len(a.People), "person", "people"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tDATE\tMEETUP\tCAME\tFIRST TIME")
	for i, m := range a.Meetups {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", i+1, Day(m.Date), m.Title, a.Came(i), names(a.FirstTimers(i)))
	}
	tw.Flush()
	b.WriteString("\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	head := "PERSON"
	for i := range a.Meetups {
		head += fmt.Sprintf("\t%d", i+1)
	}
	fmt.Fprintln(tw, head+"\tCAME")
	for _, p := range a.People {
		line := p.Name
		for _, c := range p.Came {
			if c {
				line += "\tx"
			} else {
				line += "\t-"
			}
		}
		fmt.Fprintf(tw, "%s\t%d of %d\n", line, p.Times(), len(a.Meetups))
	}
	tw.Flush()
	b.WriteString("\nNot in the room at the latest meetup:\n")
	gone := a.NotBack()
	if len(gone) == 0 {
		b.WriteString("  nobody: everyone who came before came back\n")
	}
	for _, p := range gone {
		fmt.Fprintf(&b, "  %s: last came to #%d (%s)\n", p.Name, p.Last+1, Day(a.Meetups[p.Last].Date))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
