package review

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
	"github.com/convene/convene/session/vote"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// memStore is the smallest session.Store: enough to run a meetup.
type memStore struct {
	mu      sync.Mutex
	meetups map[string]*session.Meetup
	events  map[string][]session.Event
}

func (s *memStore) Commit(m *session.Meetup, evs []session.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := jsonRoundTrip(m)
	s.meetups[m.ID] = b
	s.events[m.ID] = append(s.events[m.ID], evs...)
	return nil
}

func (s *memStore) Meetups() ([]*session.Meetup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*session.Meetup
	for _, m := range s.meetups {
		c, _ := jsonRoundTrip(m)
		out = append(out, c)
	}
	return out, nil
}

func (s *memStore) Meetup(id string) (*session.Meetup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonRoundTrip(s.meetups[id])
}

func (s *memStore) Events(id string) ([]session.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events[id]), nil
}

func (s *memStore) Person(session.PersonID) (session.Person, bool, error) {
	return session.Person{}, false, nil
}
func (s *memStore) SavePerson(session.Person) error            { return nil }
func (s *memStore) Templates() ([]session.Template, error)     { return nil, nil }
func (s *memStore) SaveTemplate(session.Template) error        { return nil }
func (s *memStore) DeleteTemplate(string) error                { return nil }
func (s *memStore) MarkAlive(time.Time) error                  { return nil }
func (s *memStore) LastAlive() (time.Time, bool, error)        { return time.Time{}, false, nil }
func jsonRoundTrip(m *session.Meetup) (*session.Meetup, error) { return roundTrip(m) }

const (
	host session.PersonID = "SHA256:host"
	ana  session.PersonID = "SHA256:ana"
	ben  session.PersonID = "SHA256:ben"
	cy   session.PersonID = "SHA256:cy"
	dee  session.PersonID = "SHA256:dee"
	eve  session.PersonID = "SHA256:eve"
	fay  session.PersonID = "SHA256:fay"
	gus  session.PersonID = "SHA256:gus"
)

var t0 = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// archive is a hub on a memory store, run by one facilitator.
type archive struct {
	t     *testing.T
	hub   *session.Hub
	clock *clocktest.Clock
}

func newArchive(t *testing.T) *archive {
	t.Helper()
	clock := clocktest.New(t0)
	hub, err := session.NewHub(session.HubConfig{Store: &memStore{meetups: map[string]*session.Meetup{}, events: map[string][]session.Event{}},
		Clock: clock, Facilitator: func(id session.PersonID) bool { return id == host }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hub.Close)
	return &archive{t: t, hub: hub, clock: clock}
}

func (a *archive) do(r *session.Room, who session.PersonID, cmds ...session.Command) {
	a.t.Helper()
	for _, c := range cmds {
		if err := r.Do(context.Background(), who, c); err != nil {
			a.t.Fatalf("%s by %s: %v", c.Kind(), who, err)
		}
	}
}

func (a *archive) join(r *session.Room, who map[session.PersonID]string, order ...session.PersonID) {
	a.t.Helper()
	for _, id := range order {
		sub, err := r.Enter(context.Background(), id, who[id])
		if err != nil {
			a.t.Fatal(err)
		}
		a.t.Cleanup(sub.Close)
	}
}

var everyone = map[session.PersonID]string{host: "Hana Host", ana: "Ana", ben: "Ben", cy: "Cy", dee: "Dee", eve: "Eve", fay: "Fay", gus: "Gus"}

// fullMeetup runs a whole meetup: two networking rounds, topics and a
// dot vote, actions followed up, the end.
func (a *archive) fullMeetup(title, series string, people ...session.PersonID) *session.Room {
	a.t.Helper()
	r, err := a.hub.CreateInSeries(context.Background(), host, title, "", series)
	if err != nil {
		a.t.Fatal(err)
	}
	a.join(r, everyone, append([]session.PersonID{host}, people...)...)
	a.clock.Advance(5 * time.Minute)
	a.do(r, host, session.Next{}, session.StartTimer{})
	a.clock.Advance(9 * time.Minute)
	a.do(r, host, session.DrawRound{}, session.StartTimer{})
	a.clock.Advance(9 * time.Minute)
	a.do(r, host, session.Next{})
	a.do(r, ana, session.SuggestTopic{Text: "Damp and mould in flats"})
	a.do(r, ben, session.SuggestTopic{Text: "Parking | loading *bays*"})
	a.do(r, cy, session.SuggestTopic{Text: "=SUM(A1) bins"})
	a.do(r, host, session.StartVoting{})
	a.do(r, ana, session.CastBallot{Ballot: vote.Ballot{"t1", "t1", "t2"}})
	a.do(r, ben, session.CastBallot{Ballot: vote.Ballot{"t1", "t2", "t3"}})
	a.do(r, cy, session.CastBallot{Ballot: vote.Ballot{"t3", "t1"}})
	a.do(r, host, session.CloseVoting{})
	a.clock.Advance(10 * time.Minute)
	a.do(r, host,
		session.AddAction{Text: "Write to the council about damp", Owner: ana, Due: "2026-12-09", From: "idea by Ben in the solution circle", Ref: "i7"},
		session.AddAction{Text: "Book the hall for January", OwnerName: "Hana Host"},
		session.AddAction{Text: "Share the damp checklist", OwnerName: "Pat Outsider", Due: "2026-12-02"},
	)
	a.do(r, host, session.End{})
	a.clock.Advance(48 * time.Hour)
	a.do(r, host,
		session.SetActionStatus{ID: 1, Status: session.ActionDone, Note: "Letter sent; reply due in January"},
		session.SetActionStatus{ID: 3, Status: session.ActionDropped, Note: "Pat moved on"},
	)
	return r
}

// handOutcomes adds what the circle and open space keep, by hand, until
// those activities fill them.
func handOutcomes(o session.Outcomes) session.Outcomes {
	o.Circles = []session.CircleOutcome{{Title: "Damp and mould in flats", Sharer: ana, SharerName: "Ana", Members: 5, Ideas: 9,
		Useful:    []session.IdeaOutcome{{Text: "Photograph it every week", By: "Ben"}, {Text: "Ask the council for a survey", By: "Cy"}},
		Heard:     "That a written record gets things moving",
		FirstStep: "Write to the council about damp", FirstStepDue: time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)}}
	o.OpenItems = []session.OpenItemOutcome{
		{Text: "Christmas social", Detail: "Who organises it?", Author: "Dee", Votes: 3, Notes: []string{"Eve will ask the hall"}, Discussed: true},
		{Text: "New starters", Author: "Cy", Votes: 1},
	}
	return o
}

// stable replaces what changes between runs (the random join code) so
// that output can be compared with a golden file.
func stable(s string, m *session.Meetup) string {
	s = strings.ReplaceAll(s, session.FormatCode(m.Code), "K7P-M4Q")
	return strings.ReplaceAll(s, m.Code, "K7PM4Q")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}

func (a *archive) archived(who session.PersonID) []*session.Meetup {
	a.t.Helper()
	ms, err := a.hub.Archive(who)
	if err != nil {
		a.t.Fatal(err)
	}
	return ms
}

func TestExportGoldens(t *testing.T) {
	a := newArchive(t)
	r := a.fullMeetup("Housing officers, November", "Officers", ana, ben, cy, dee, eve, fay, gus)
	ms := a.archived(host)
	m, err := Find(ms, strings.ToLower(session.FormatCode(r.State().Code)))
	if err != nil {
		t.Fatal(err)
	}
	o := handOutcomes(m.Outcomes())
	golden(t, "meetup.md", stable(Markdown(m, o), m))

	events, err := a.hub.Events(host, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	js, err := JSON(m, o, events)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "meetup.json", stable(string(js), m))
	// Ballots are secret: the state holds them, the export does not.
	if !strings.Contains(string(js), `"kind": "vote-ballot"`) || strings.Contains(string(js), `"ballots": {`) ||
		strings.Contains(string(js), `"ballot": [`) {
		t.Errorf("the JSON export holds a ballot, or lost the log of votes")
	}

	var b bytes.Buffer
	for _, tb := range Tables(m, o) {
		b.WriteString("# " + tb.Name + ".csv\n")
		if err := WriteCSV(&b, tb); err != nil {
			t.Fatal(err)
		}
	}
	golden(t, "meetup.csv", stable(b.String(), m))
	if !strings.Contains(b.String(), "'=SUM(A1) bins") {
		t.Errorf("a cell starting a formula was not made harmless")
	}
}

// TestMarkdownEmpty: a meetup where nothing happened reads as such.
func TestMarkdownEmpty(t *testing.T) {
	m := &session.Meetup{ID: "x", Code: "ABCDEF", Title: "Quiet", CreatedAt: t0, Agenda: session.DefaultAgenda()}
	md := Markdown(m, m.Outcomes())
	for _, want := range []string{"# Quiet", "Nobody came.", "under way", "Nothing was recorded", "No actions were recorded."} {
		if !strings.Contains(md, want) {
			t.Errorf("write-up lacks %q:\n%s", want, md)
		}
	}
}

func TestHistoryRowsAndFilter(t *testing.T) {
	a := newArchive(t)
	a.fullMeetup("Housing officers, November", "Officers", ana, ben, cy)
	a.clock.Advance(24 * time.Hour)
	r2, err := a.hub.Create(context.Background(), host, "Tenants' forum", "")
	if err != nil {
		t.Fatal(err)
	}
	a.join(r2, everyone, dee)

	rows := Rows(a.archived(host))
	if len(rows) != 2 || rows[0].Title != "Tenants' forum" || rows[1].Title != "Housing officers, November" {
		t.Fatalf("facilitator rows = %+v; want both, newest first", rows)
	}
	h := rows[1]
	if h.People != 4 || h.Chosen != "Damp and mould in flats" || h.Actions != 3 || h.Open != 1 || h.Series != "Officers" || h.Ended.IsZero() {
		t.Fatalf("row = %+v", h)
	}
	if r := rows[0]; r.People != 1 || r.Chosen != "" || r.Actions != 0 || !r.Ended.IsZero() {
		t.Fatalf("row under way = %+v", r)
	}
	// Participants see the meetups they came to.
	if got := Rows(a.archived(dee)); len(got) != 1 || got[0].Title != "Tenants' forum" {
		t.Fatalf("Dee's rows = %+v", got)
	}
	if got := Rows(a.archived(eve)); len(got) != 0 {
		t.Fatalf("Eve, who came to none, sees %+v", got)
	}
	for q, want := range map[string][]string{
		"":                {"Tenants' forum", "Housing officers, November"},
		"officers":        {"Housing officers, November"},
		"DAMP":            {"Housing officers, November"},
		"forum 2026-11":   {"Tenants' forum"},
		"nov officers":    {"Housing officers, November"},
		"nothing matches": nil,
		"  \x1b[31m ":     {"Tenants' forum", "Housing officers, November"},
	} {
		var got []string
		for _, r := range Filter(rows, q) {
			got = append(got, r.Title)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Filter(%q) = %q; want %q", q, got, want)
		}
	}
}

func TestAttendance(t *testing.T) {
	member := func(id session.PersonID, name string) session.Member {
		return session.Member{ID: id, Name: name, Role: session.RoleParticipant}
	}
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	ms := []*session.Meetup{
		{ID: "3", Code: "CCCCCC", Title: "January", Series: "officers", CreatedAt: day(60), Members: []session.Member{member(ana, "Ana"), member(eve, "Eve")}},
		{ID: "1", Code: "AAAAAA", Title: "November", Series: "Officers", CreatedAt: day(0), Members: []session.Member{member(ana, "Ana"), member(ben, "Ben"), member(cy, "Cy")}},
		{ID: "x", Code: "XXXXXX", Title: "Elsewhere", Series: "Tenants", CreatedAt: day(10), Members: []session.Member{member(dee, "Dee")}},
		{ID: "2", Code: "BBBBBB", Title: "December", Series: "Officers", CreatedAt: day(30), Members: []session.Member{member(ben, "Ben"), member(ana, "Ana B"), member(dee, "Dee")}},
	}
	if _, err := SeriesAttendance(ms, "nobody's"); err == nil {
		t.Fatalf("an unknown series was accepted")
	}
	at, err := SeriesAttendance(ms, " OFFICERS ")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, m := range at.Meetups {
		titles = append(titles, m.Title)
	}
	if !slices.Equal(titles, []string{"November", "December", "January"}) || at.Series != "officers" {
		t.Fatalf("meetups = %q of %q", titles, at.Series)
	}
	firsts := func(i int) (out []string) {
		for _, p := range at.FirstTimers(i) {
			out = append(out, p.Name)
		}
		return out
	}
	if !slices.Equal(firsts(0), []string{"Ana", "Ben", "Cy"}) || !slices.Equal(firsts(1), []string{"Dee"}) || !slices.Equal(firsts(2), []string{"Eve"}) {
		t.Fatalf("first-timers = %q, %q, %q", firsts(0), firsts(1), firsts(2))
	}
	if at.Came(0) != 3 || at.Came(1) != 3 || at.Came(2) != 2 {
		t.Fatalf("came = %d %d %d", at.Came(0), at.Came(1), at.Came(2))
	}
	var gone []string
	for _, p := range at.NotBack() {
		gone = append(gone, p.Name)
	}
	if !slices.Equal(gone, []string{"Cy", "Ben", "Dee"}) {
		t.Fatalf("not back = %q; want the longest gone first", gone)
	}
	if p := at.People[0]; p.Name != "Ana" || p.Times() != 3 {
		t.Fatalf("Ana = %+v; want her latest name and 3 meetups", p)
	}
	var b bytes.Buffer
	if err := WriteAttendance(&b, at); err != nil {
		t.Fatal(err)
	}
	golden(t, "attendance.txt", b.String())
	if list := SeriesList(ms); len(list) != 2 || list[0].Name != "officers" || list[0].Meetups != 3 || list[1].Name != "Tenants" {
		t.Fatalf("series list = %+v", list)
	}
}
