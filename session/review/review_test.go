package review

import (
	"bytes"
	"context"
	"flag"
	"fmt"
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

// fullMeetup runs a whole meetup through the commands people send:
// two networking rounds, topics and a dot vote, a solution circle from
// the challenge to the first step, open space, actions made from what
// came out, the end, and actions followed up after it. people must
// include Ana (who shares in the circle), Ben and Cy.
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

	// The solution circle, on the chosen topic, shared by Ana.
	a.do(r, host, session.Next{})
	setup := circleOf(r).Setup()
	setup.Circles[0] = session.CirclePlan{Sharer: ana}
	a.do(r, host, setup, session.CircleNext{})
	a.do(r, ana, session.SetSummary{Text: "Tenants report damp and mould; repairs take months and nobody keeps a record."})
	a.clock.Advance(5 * time.Minute)
	a.do(r, host, session.CircleNext{})
	a.do(r, ben, session.AskQuestion{Text: "How many flats are affected?"})
	a.do(r, cy, session.AskQuestion{Text: "Who owns the buildings?"})
	a.do(r, ana, session.AnswerQuestion{Question: circleOf(r).Groups[0].Questions[0].ID, Text: "About 40, mostly on the north side"})
	a.clock.Advance(3 * time.Minute)
	a.do(r, host, session.CircleNext{})
	// Ideas in turn: each speaker offers an idea or passes.
	said := map[session.PersonID][]string{
		ben: {"Photograph the damp every week"},
		cy:  {"Ask the council for a survey of the block", "Invite the tenants' panel to the next meetup"},
		dee: {"Lend out dehumidifiers"},
	}
	for {
		sp, ok := circleOf(r).Groups[0].Speaker()
		if !ok {
			break
		}
		if len(said[sp]) == 0 {
			a.do(r, sp, session.PassTurn{})
			continue
		}
		for _, idea := range said[sp] {
			a.do(r, sp, session.AddIdea{Text: idea})
		}
		a.clock.Advance(time.Minute)
		a.do(r, sp, session.NextTurn{})
	}
	a.do(r, host, session.CircleNext{})
	a.do(r, ben, session.ToggleHand{})
	a.do(r, host, session.GiveCircleFloor{})
	a.do(r, host, session.AddIdea{Text: "Keep a shared log of every repair asked for", For: ben})
	a.clock.Advance(7 * time.Minute)
	a.do(r, host, session.CircleNext{})
	for _, x := range circleOf(r).Groups[0].Ideas {
		if x.By == ben {
			a.do(r, ana, session.MarkUseful{Idea: x.ID, Useful: true})
		}
	}
	a.do(r, ana, session.SetFeedback{Heard: "That a written record gets things moving", FirstStep: "Write to the council about damp", Due: "2026-12-09"})
	a.clock.Advance(5 * time.Minute)

	// Open space.
	a.do(r, host, session.Next{})
	a.do(r, cy, session.PostOpenItem{Text: "Christmas social", Detail: "Who organises it?"})
	a.do(r, ben, session.PostOpenItem{Text: "New starters"})
	items := openOf(r).Items
	social, starters := items[0].ID, items[1].ID
	a.do(r, ana, session.PlusOne{Item: social}, session.PlusOne{Item: starters})
	a.do(r, ben, session.PlusOne{Item: social})
	a.do(r, host, session.SortOpenItems{ByVotes: true}, session.GiveItemFloor{Item: social})
	a.do(r, host, session.AddOpenNote{Item: social, Text: "Ben will ask the hall for a Friday"})
	a.clock.Advance(10 * time.Minute)
	a.do(r, host, session.GiveItemFloor{})

	// Actions from a useful idea, the first step and an open-space item.
	for _, src := range r.State().ActionSources() {
		switch src.Text {
		case "Photograph the damp every week":
			a.do(r, host, session.AddAction{Text: src.Text, Owner: ben, From: src.From, Ref: src.Ref})
		case "Write to the council about damp":
			a.do(r, host, session.AddAction{Text: src.Text, Owner: src.Owner, Due: "2026-12-09", From: src.From, Ref: src.Ref})
		case "Christmas social":
			a.do(r, host, session.AddAction{Text: "Organise the Christmas social", Owner: src.Owner, Due: "2026-12-02", From: src.From, Ref: src.Ref})
		}
	}
	a.do(r, host, session.AddAction{Text: "Book the hall for January", OwnerName: "Hana Host"})
	if n := len(r.State().Actions); n != 4 {
		a.t.Fatalf("%d actions made; want 4", n)
	}
	a.do(r, host, session.Next{})
	a.do(r, host, session.End{})
	a.clock.Advance(48 * time.Hour)
	a.do(r, host,
		session.SetActionStatus{ID: 2, Status: session.ActionDone, Note: "Letter sent; reply due in January"},
		session.SetActionStatus{ID: 3, Status: session.ActionDropped, Note: "The hall is closed in December"},
	)
	return r
}

func circleOf(r *session.Room) *session.Circle {
	return r.State().Activity().State.(*session.Circle)
}

func openOf(r *session.Room) *session.OpenSpace {
	return r.State().Activity().State.(*session.OpenSpace)
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
	o := m.Outcomes()
	md := Markdown(m, o)
	golden(t, "meetup.md", stable(md, m))
	// The write-up holds what a facilitator needs from the real meetup.
	for _, want := range []string{
		"### Solution circle: Damp and mould in flats", "Ana shared the challenge with 7 others; 5 ideas were offered.",
		"> Tenants report damp", "How many flats are affected? (Ben)", "Ana: About 40", "Ana: _not answered_",
		"1. Photograph the damp every week (Ben) **useful**", "4. Lend out dehumidifiers (Dee)\n",
		"(Ben, in discussion) **useful**", "Passed in their turn: Hana Host, Eve, Fay, Gus.",
		"**What helped Ana:** That a written record", "**First step:** Write to the council about damp (by Wed 9 Dec 2026)",
		"**Christmas social**: Who organises it? (raised by Cy, +2, discussed)", "  - Ben will ask the hall",
		"**New starters** (raised by Ben, +1, not discussed)",
		"| 2 | Write to the council about damp <br>_from Ana's first step in the solution circle_ | Ana | Wed 9 Dec 2026 | done ",
		"| 3 | Organise the Christmas social <br>_from open-space item by Cy_ | Cy | Wed 2 Dec 2026 | dropped ",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the write-up lacks %q", want)
		}
	}

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
	ideas, _ := TableOf(Tables(m, o), "ideas")
	if len(ideas.Rows) != 6 || !slices.Equal(ideas.Rows[0][3:7], []string{"idea", "by", "phase", "useful"}) {
		t.Errorf("ideas table = %q; want every idea with whose it is and whether it was useful", ideas.Rows)
	}
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
	if h.People != 4 || h.Chosen != "Damp and mould in flats" || h.Actions != 4 || h.Open != 2 || h.Series != "Officers" || h.Ended.IsZero() {
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

// TestSeveralCircles: circles held at once are written up one by one,
// each with its people, and counted in the tables.
func TestSeveralCircles(t *testing.T) {
	a := newArchive(t)
	r, err := a.hub.Create(context.Background(), host, "Big group", "")
	if err != nil {
		t.Fatal(err)
	}
	a.join(r, everyone, host, ana, ben, cy, dee, eve, fay)
	i := slices.IndexFunc(r.State().Agenda, func(x session.Activity) bool { return x.Kind == session.KindCircle })
	a.do(r, host, session.GoTo{Index: i})
	setup := circleOf(r).Setup()
	setup.Circles = []session.CirclePlan{{Sharer: ana, Title: "Damp"}, {Sharer: dee, Title: "Rent arrears"}}
	a.do(r, host, setup, session.CircleNext{})
	a.do(r, ana, session.SetSummary{Circle: 1, Text: "Repairs take months"})
	a.do(r, dee, session.SetSummary{Circle: 2, Text: "Arrears are rising"})
	a.do(r, host, session.CircleNext{}, session.CircleNext{})
	for gi, g := range circleOf(r).Groups {
		sp, _ := g.Speaker()
		a.do(r, sp, session.AddIdea{Circle: gi + 1, Text: fmt.Sprintf("Idea for circle %d", gi+1)})
	}
	m := r.State()
	md := Markdown(m, m.Outcomes())
	for _, want := range []string{"### Solution circle 1 of 2: Damp\n", "### Solution circle 2 of 2: Rent arrears\n",
		"> Repairs take months", "> Arrears are rising", "1. Idea for circle 1 (", "1. Idea for circle 2 ("} {
		if !strings.Contains(md, want) {
			t.Errorf("the write-up lacks %q:\n%s", want, md)
		}
	}
	for _, g := range m.Activity().State.(*session.Circle).Groups {
		others := []string{}
		for _, id := range g.Members[1:] {
			others = append(others, m.NameOf(id))
		}
		if want := fmt.Sprintf("%s shared the challenge with %d others (%s)", m.NameOf(g.Sharer), len(others), strings.Join(others, ", ")); !strings.Contains(md, want) {
			t.Errorf("the write-up lacks %q:\n%s", want, md)
		}
	}
	circles, _ := TableOf(Tables(m, m.Outcomes()), "circles")
	ideas, _ := TableOf(Tables(m, m.Outcomes()), "ideas")
	if len(circles.Rows) != 3 || len(ideas.Rows) != 3 || ideas.Rows[2][1] != "2" {
		t.Errorf("circles %q, ideas %q; want a row for each", circles.Rows, ideas.Rows)
	}
}
