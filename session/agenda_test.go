package session

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session/vote"
)

// The default agenda's titles, in order.
var defaultTitles = []string{"Welcome", "Networking", "Topics and voting", "Solution circle", "Open space", "Close"}

func titles(m *Meetup) []string {
	var out []string
	for _, a := range m.Agenda {
		out = append(out, a.Title)
	}
	return out
}

// agendaFixture is a meetup at its topics activity (item 2) with the host
// and ana present.
func agendaFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.must(host, GoTo{Index: 2})
	if got := titles(f.room.State()); !slices.Equal(got, defaultTitles) {
		t.Fatalf("default agenda = %q; want %q", got, defaultTitles)
	}
	return f
}

// checkCurrent checks that the activity under way is still the one titled
// want.
func checkCurrent(t *testing.T, m *Meetup, want string) {
	t.Helper()
	if got := m.Activity().Title; got != want {
		t.Fatalf("current item is %q (index %d of %q); want %q", got, m.Current, titles(m), want)
	}
}

func TestAddActivity(t *testing.T) {
	tests := []struct {
		name        string
		add         AddActivity
		wantAt      int
		wantCurrent int
		wantTitle   string
	}{
		{"first", AddActivity{At: 0, Of: KindBreak}, 0, 3, "Break"},
		{"before the current", AddActivity{At: 1, Of: KindBreak}, 1, 3, "Break"},
		{"at the current", AddActivity{At: 2, Of: KindBreak}, 2, 3, "Break"},
		{"just after the current", AddActivity{At: 3, Of: KindBreak}, 3, 2, "Break"},
		{"last", AddActivity{At: 6, Of: KindBreak}, 6, 2, "Break"},
		{"past the end", AddActivity{At: 99, Of: KindBreak}, 6, 2, "Break"},
		{"before the start", AddActivity{At: -3, Of: KindBreak}, 0, 3, "Break"},
		{"titled and timed", AddActivity{At: 4, Of: KindTalk, Title: " Guest\x1b[1m talk\n", Duration: 20 * time.Minute}, 4, 2, "Guest talk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := agendaFixture(t)
			f.must(host, tt.add)
			st := f.room.State()
			if len(st.Agenda) != 7 {
				t.Fatalf("agenda has %d items after adding one to 6", len(st.Agenda))
			}
			a := st.Agenda[tt.wantAt]
			if a.Kind != tt.add.Of || a.Title != tt.wantTitle {
				t.Fatalf("item %d = %s %q; want the new %s %q (agenda %q)", tt.wantAt, a.Kind, a.Title, tt.add.Of, tt.wantTitle, titles(st))
			}
			info, _ := KindOf(tt.add.Of)
			want := info.Duration
			if tt.add.Duration != 0 {
				want = tt.add.Duration
			}
			if a.Duration != want || a.Note != info.Note || a.Ran {
				t.Fatalf("new item %+v; want duration %v, the kind's note, not run", a, want)
			}
			if st.Current != tt.wantCurrent {
				t.Fatalf("current = %d; want %d", st.Current, tt.wantCurrent)
			}
			checkCurrent(t, st, "Topics and voting")
		})
	}
	t.Run("networking gets its own seed", func(t *testing.T) {
		f := agendaFixture(t)
		f.must(host, AddActivity{At: 99, Of: KindNetworking})
		st := f.room.State()
		n, ok := StateOf[*Networking](st.Agenda[6])
		if !ok || n.Seed == 0 || n.Rounds != 2 || n.MinSize != 3 || n.MaxSize != 4 || len(n.Drawn) != 0 {
			t.Fatalf("new networking item state = %+v; want the defaults with a seed", st.Agenda[6].State)
		}
		if n0 := st.Agenda[1].State.(*Networking); n0 == n {
			t.Fatalf("the new item shares its state with the first networking item")
		}
	})
	t.Run("refused", func(t *testing.T) {
		f := agendaFixture(t)
		before := f.room.State()
		for _, tt := range []struct {
			by     PersonID
			add    AddActivity
			err    error
			errHas string
		}{
			{host, AddActivity{At: 0, Of: "karaoke"}, nil, `there is no kind of activity called "karaoke"`},
			{host, AddActivity{At: 0, Of: KindTalk, Duration: 90 * time.Second}, nil, "whole minutes"},
			{host, AddActivity{At: 0, Of: KindTalk, Duration: 5 * time.Hour}, nil, "from 0 (untimed) to 4 hours"},
			{host, AddActivity{At: 0, Of: KindTalk, Duration: -time.Minute}, nil, "from 0 (untimed) to 4 hours"},
			{host, AddActivity{At: 0, Of: KindTalk, Title: strings.Repeat("x", MaxTitleLen+1)}, nil, "the title is too long: 81 characters, at most 80"},
			{ana, AddActivity{At: 0, Of: KindTalk}, ErrNotFacilitator, ""},
		} {
			err := f.do(tt.by, tt.add)
			if err == nil || tt.err != nil && !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("AddActivity%+v by %s = %v; want %v %q", tt.add, tt.by, err, tt.err, tt.errHas)
			}
		}
		if f.room.State() != before {
			t.Fatalf("refused additions changed the meetup")
		}
	})
	t.Run("full", func(t *testing.T) {
		f := agendaFixture(t)
		for len(f.room.State().Agenda) < MaxAgendaItems {
			f.must(host, AddActivity{At: 0, Of: KindBreak})
		}
		if err := f.do(host, AddActivity{At: 0, Of: KindBreak}); !errors.Is(err, ErrAgendaFull) || !strings.Contains(err.Error(), "at most 20 items") {
			t.Fatalf("item %d = %v; want ErrAgendaFull saying the limit", MaxAgendaItems+1, err)
		}
		checkCurrent(t, f.room.State(), "Topics and voting")
	})
}

func TestRemoveActivity(t *testing.T) {
	f := agendaFixture(t)
	refuse := func(i int, err error, errHas string) {
		t.Helper()
		before := f.room.State()
		got := f.do(host, RemoveActivity{Index: i})
		if got == nil || err != nil && !errors.Is(got, err) || !strings.Contains(got.Error(), errHas) {
			t.Fatalf("RemoveActivity(%d) = %v; want %v %q", i, got, err, errHas)
		}
		if f.room.State() != before {
			t.Fatalf("a refused removal changed the meetup")
		}
	}
	refuse(2, nil, "this is the activity under way: move to another one before removing it")
	refuse(6, ErrBadAgenda, "")
	refuse(-1, ErrBadAgenda, "")
	if err := f.do(ana, RemoveActivity{Index: 5}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant RemoveActivity = %v", err)
	}

	// What happened stays: topics, a vote, drawn rounds.
	f.suggest(ana, "Damp")
	f.must(host, GoTo{Index: 0})
	refuse(2, nil, `"Topics and voting" stays on the agenda: a topic has been suggested in it`)
	f.must(host, GoTo{Index: 2})
	f.suggest(host, "Bins")
	f.must(host, GoTo{Index: 0})
	refuse(2, nil, `"Topics and voting" stays on the agenda: 2 topics have been suggested in it`)
	f.must(host, GoTo{Index: 2})
	f.must(host, StartVoting{})
	f.must(host, GoTo{Index: 0})
	refuse(2, nil, `"Topics and voting" stays on the agenda: people have voted in it`)
	f.must(host, GoTo{Index: 1})
	f.must(host, DrawRound{})
	f.must(host, GoTo{Index: 0})
	refuse(1, nil, `"Networking" stays on the agenda: its first round's groups have been drawn`)
	f.must(host, GoTo{Index: 1})
	f.must(host, StartTimer{})
	f.must(host, DrawRound{})
	f.must(host, GoTo{Index: 0})
	refuse(1, nil, `"Networking" stays on the agenda: 2 rounds have been drawn`)

	// Removing before the current item moves Current with it.
	f.must(host, GoTo{Index: 4})
	f.must(host, RemoveActivity{Index: 3})
	st := f.room.State()
	checkCurrent(t, st, "Open space")
	if st.Current != 3 {
		t.Fatalf("current = %d after removing the item before it; want 3", st.Current)
	}
	// After it, Current stays.
	f.must(host, RemoveActivity{Index: 4})
	st = f.room.State()
	if st.Current != 3 || !slices.Equal(titles(st), []string{"Welcome", "Networking", "Topics and voting", "Open space"}) {
		t.Fatalf("after removing the last item: current %d, agenda %q", st.Current, titles(st))
	}
}

// TestMoveActivityKeepsCurrent moves every item to every place, and back,
// with the current item first, in the middle and last: the current item
// stays current and the others keep their order.
func TestMoveActivityKeepsCurrent(t *testing.T) {
	for _, cur := range []int{0, 2, 5} {
		f := agendaFixture(t)
		f.must(host, GoTo{Index: cur})
		want := slices.Clone(defaultTitles)
		for from := range 6 {
			for to := range 6 {
				for _, mv := range []MoveActivity{{From: from, To: to}, {From: to, To: from}} {
					if err := f.do(host, mv); err != nil {
						t.Fatalf("current %d: %+v = %v", cur, mv, err)
					}
					title := want[mv.From]
					want = slices.Insert(slices.Delete(want, mv.From, mv.From+1), mv.To, title)
					st := f.room.State()
					if got := titles(st); !slices.Equal(got, want) {
						t.Fatalf("current %d: after %+v agenda = %q; want %q", cur, mv, got, want)
					}
					checkCurrent(t, st, defaultTitles[cur])
				}
			}
		}
	}
	f := agendaFixture(t)
	before := f.room.State()
	for _, mv := range []MoveActivity{{From: 6, To: 0}, {From: 0, To: 6}, {From: -1, To: 0}, {From: 0, To: -1}} {
		if err := f.do(host, mv); !errors.Is(err, ErrBadAgenda) {
			t.Errorf("%+v = %v; want ErrBadAgenda", mv, err)
		}
	}
	if err := f.do(ana, MoveActivity{From: 0, To: 1}); !errors.Is(err, ErrNotFacilitator) {
		t.Errorf("participant MoveActivity = %v", err)
	}
	if f.room.State() != before {
		t.Fatalf("refused moves changed the meetup")
	}
}

func TestEditActivity(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	edit := func(i int, title string, d time.Duration, note string) EditActivity {
		return EditActivity{Index: i, Title: title, Duration: d, Note: note}
	}
	f.must(host, edit(3, " Circle\x1b[1m of\tideas ", 25*time.Minute, "line one\nline two\x07"))
	if a := f.room.State().Agenda[3]; a.Title != "Circle of ideas" || a.Duration != 25*time.Minute || a.Note != "line one line two" {
		t.Fatalf("edited item = %q %v %q", a.Title, a.Duration, a.Note)
	}
	before := f.room.State()
	for _, tt := range []struct {
		by     PersonID
		e      EditActivity
		err    error
		errHas string
	}{
		{host, edit(3, strings.Repeat("x", MaxTitleLen+1), time.Minute, ""), nil, "the title is too long: 81 characters, at most 80"},
		{host, edit(3, "Circle", time.Minute, strings.Repeat("é", MaxNoteLen+1)), nil, "the note is too long: 301 characters, at most 300"},
		{host, edit(3, " \x1b[2J ", time.Minute, ""), ErrEmptyText, "the title"},
		{host, edit(3, "Circle", 90*time.Second, ""), nil, "whole minutes"},
		{host, edit(3, "Circle", MaxItemTime+time.Minute, ""), nil, "from 0 (untimed) to 4 hours"},
		{host, edit(1, "Networking", 0, ""), nil, "a round lasts from 1 to 60 minutes"},
		{host, edit(1, "Networking", 61*time.Minute, ""), nil, "a round lasts from 1 to 60 minutes"},
		{host, edit(9, "Nine", time.Minute, ""), ErrBadAgenda, ""},
		{ana, edit(3, "Mine", time.Minute, ""), ErrNotFacilitator, ""},
	} {
		err := f.do(tt.by, tt.e)
		if err == nil || tt.err != nil && !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("EditActivity%+v by %s = %v; want %v %q", tt.e, tt.by, err, tt.err, tt.errHas)
		}
	}
	if f.room.State() != before {
		t.Fatalf("refused edits changed the meetup")
	}

	// The current item's countdown follows its planned time until started.
	welcome := before.Agenda[0]
	left := func() time.Duration { return f.room.State().Timer.Remaining(f.clock.Now()) }
	f.must(host, edit(0, welcome.Title, 7*time.Minute, welcome.Note))
	if got := left(); got != 7*time.Minute {
		t.Fatalf("not started, planned 7m: countdown %v", got)
	}
	f.must(host, StartTimer{})
	f.clock.Advance(time.Minute)
	f.must(host, edit(0, welcome.Title, 8*time.Minute, welcome.Note))
	if got, d := left(), f.room.State().Agenda[0].Duration; got != 6*time.Minute || d != 8*time.Minute {
		t.Fatalf("started, planned 8m: countdown %v, planned %v; want 6m left and 8m planned", got, d)
	}
	if err := f.do(host, edit(0, welcome.Title, 0, welcome.Note)); err == nil || !strings.Contains(err.Error(), "pause it before making this activity untimed") {
		t.Fatalf("untimed while running = %v", err)
	}
	f.must(host, PauseTimer{})
	f.must(host, edit(0, welcome.Title, 9*time.Minute, welcome.Note))
	if got := left(); got != 6*time.Minute {
		t.Fatalf("paused after starting, planned 9m: countdown %v; want 6m kept", got)
	}

	// A round's length is locked once rounds run; the title is not.
	f.must(host, Next{})
	f.must(host, StartTimer{})
	nw := f.room.State().Agenda[1]
	if err := f.do(host, edit(1, nw.Title, 10*time.Minute, nw.Note)); err == nil || err.Error() != errLockedSizes.Error() {
		t.Fatalf("round length once rounds run = %v; want %q", err, errLockedSizes)
	}
	f.must(host, edit(1, "Speed networking", nw.Duration, nw.Note))
	if got := f.room.State().Agenda[1].Title; got != "Speed networking" {
		t.Fatalf("networking title = %q", got)
	}
}

func TestAdjustActivityTime(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	dur := func(i int) time.Duration { return f.room.State().Agenda[i].Duration }
	f.must(host, AdjustActivityTime{Index: 3, By: time.Minute})
	if got := dur(3); got != 31*time.Minute {
		t.Fatalf("circle + 1m = %v", got)
	}
	f.must(host, AdjustActivityTime{Index: 3, By: -time.Minute})
	if got := dur(3); got != 30*time.Minute {
		t.Fatalf("circle - 1m = %v", got)
	}
	f.must(host, AdjustActivityTime{Index: 0, By: time.Minute})
	if got := f.room.State().Timer.Left; got != 6*time.Minute {
		t.Fatalf("current item not started + 1m: countdown %v; want 6m", got)
	}
	f.must(host, AdjustActivityTime{Index: 1, By: -8 * time.Minute})
	if got := dur(1); got != time.Minute {
		t.Fatalf("networking - 8m = %v; want 1m", got)
	}
	f.must(host, EditActivity{Index: 4, Title: "Open space", Duration: 0})
	f.must(host, EditActivity{Index: 5, Title: "Close", Duration: MaxItemTime})
	before := f.room.State()
	for _, tt := range []struct {
		by     PersonID
		adj    AdjustActivityTime
		err    error
		errHas string
	}{
		{host, AdjustActivityTime{Index: 4, By: -time.Minute}, nil, "this activity is untimed already"},
		{host, AdjustActivityTime{Index: 5, By: time.Minute}, nil, "an activity lasts at most 4 hours"},
		{host, AdjustActivityTime{Index: 1, By: -time.Minute}, nil, "a round lasts from 1 to 60 minutes"},
		{host, AdjustActivityTime{Index: 7, By: time.Minute}, ErrBadAgenda, ""},
		{ana, AdjustActivityTime{Index: 3, By: time.Minute}, ErrNotFacilitator, ""},
	} {
		err := f.do(tt.by, tt.adj)
		if err == nil || tt.err != nil && !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("AdjustActivityTime%+v by %s = %v; want %v %q", tt.adj, tt.by, err, tt.err, tt.errHas)
		}
	}
	if f.room.State() != before {
		t.Fatalf("refused adjustments changed the meetup")
	}
}

func TestBuiltInAgenda(t *testing.T) {
	f := newFixture(t)
	m := f.room.State()
	want := []struct {
		kind Kind
		mins int
	}{{KindWelcome, 5}, {KindNetworking, 9}, {KindTopics, 10}, {KindCircle, 30}, {KindOpenSpace, 10}, {KindClose, 5}}
	if len(m.Agenda) != len(want) {
		t.Fatalf("built-in agenda has %d items: %q", len(m.Agenda), titles(m))
	}
	for i, w := range want {
		if a := m.Agenda[i]; a.Kind != w.kind || a.Duration != time.Duration(w.mins)*time.Minute || a.Note == "" {
			t.Errorf("item %d = %s %v (note %q); want %s, %d minutes, with a note", i, a.Kind, a.Duration, a.Note, w.kind, w.mins)
		}
	}
	n := m.Agenda[1].State.(*Networking)
	if n.Rounds != 2 || n.MinSize != 3 || n.MaxSize != 4 || len(n.Points) != 2 || n.AutoAdvance || n.Seed == 0 {
		t.Errorf("built-in networking = %+v; want 2 rounds in groups of 3-4 with two points and a seed", n)
	}
	if got := m.Agenda[1].Planned(); got != 18*time.Minute {
		t.Errorf("networking planned for %v; want 18m (2 rounds of 9)", got)
	}
	v := m.Agenda[2].State.(*Vote)
	if v.CurrentPhase() != PhaseSuggesting || v.Method != vote.Dots || v.Dots != 3 || v.MaxPerTopic != 2 || v.ShowAuthors || v.LiveResults {
		t.Errorf("built-in topics = %+v; want dots 3/2, authors and results hidden", v)
	}
	if m.Template != BuiltInTemplate || !m.Agenda[0].Ran || m.Current != 0 || m.Timer.Left != 5*time.Minute {
		t.Errorf("new meetup: template %q, first ran %v, current %d, timer %+v", m.Template, m.Agenda[0].Ran, m.Current, m.Timer)
	}
	var kinds []Kind
	for _, k := range Kinds() {
		kinds = append(kinds, k.Kind)
	}
	if wantKinds := []Kind{KindWelcome, KindTalk, KindNetworking, KindTopics, KindCircle, KindOpenSpace, KindBreak, KindClose}; !slices.Equal(kinds, wantKinds) {
		t.Errorf("Kinds() = %v; want %v", kinds, wantKinds)
	}
}

func TestTemplates(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	// Plan the agenda, and let things happen in it.
	f.must(host, EditActivity{Index: 0, Title: "Hello", Duration: 7 * time.Minute, Note: "Say hi"})
	f.must(host, AddActivity{At: 3, Of: KindBreak, Title: "Tea"})
	f.must(host, Next{})
	f.must(host, NetworkingSettings{Rounds: 3, Minutes: 7, MinSize: 2, MaxSize: 3, Points: []string{"One", "Two", "Three"}, AutoAdvance: true})
	f.must(host, TakePart{In: true})
	f.must(host, StartTimer{})
	f.must(host, Next{})
	f.must(host, SetVoteRules{Method: vote.Ranked, Dots: 4, MaxPerTopic: 2})
	f.must(host, ShowAuthors{Show: true})
	f.suggest(ana, "Damp")
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{"t1"}})
	seed := f.net2(1).Seed

	if _, err := f.hub.SaveTemplate(ana, f.room, "Mine"); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant SaveTemplate = %v; want ErrNotFacilitator", err)
	}
	for _, tt := range []struct {
		name   string
		err    error
		errHas string
	}{
		{strings.Repeat("x", MaxTemplateNameLen+1), nil, "the template's name is too long: 61 characters, at most 60"},
		{" \x1b[2J", ErrEmptyText, "the template's name"},
		{"classic ONLINE meetup", nil, `"Classic online meetup" is the built-in template: choose another name`},
	} {
		if _, err := f.hub.SaveTemplate(host, f.room, tt.name); err == nil || tt.err != nil && !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("SaveTemplate(%q) = %v; want %v %q", tt.name, err, tt.err, tt.errHas)
		}
	}
	tpl, err := f.hub.SaveTemplate(host, f.room, "  Evening\x1b[1m\tformat ")
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Name != "Evening format" || tpl.SavedBy != host || !tpl.SavedAt.Equal(f.clock.Now()) {
		t.Fatalf("saved template %q by %s at %v", tpl.Name, tpl.SavedBy, tpl.SavedAt)
	}

	f.clock.Advance(time.Hour)
	r, err := f.hub.Create(f.ctx, host, "Next month", "evening FORMAT")
	if err != nil {
		t.Fatalf("Create from the saved template: %v", err)
	}
	m := r.State()
	src := f.room.State()
	if m.Template != "Evening format" || m.Current != 0 || len(m.Members) != 0 || m.Timer != (Timer{Left: 7 * time.Minute}) {
		t.Fatalf("new meetup: template %q, current %d, %d members, timer %+v", m.Template, m.Current, len(m.Members), m.Timer)
	}
	if got := titles(m); !slices.Equal(got, titles(src)) {
		t.Fatalf("agenda %q; want the template's %q", got, titles(src))
	}
	for i, a := range m.Agenda {
		s := src.Agenda[i]
		if a.Kind != s.Kind || a.Duration != s.Duration || a.Note != s.Note {
			t.Errorf("item %d = %s %v %q; want %s %v %q", i, a.Kind, a.Duration, a.Note, s.Kind, s.Duration, s.Note)
		}
		if a.Ran != (i == 0) || a.Paused != nil {
			t.Errorf("item %d: ran %v, paused %v; nothing has happened in a new meetup", i, a.Ran, a.Paused)
		}
	}
	n := m.Agenda[1].State.(*Networking)
	wantN := &Networking{Rounds: 3, MinSize: 2, MaxSize: 3, Points: []string{"One", "Two", "Three"}, AutoAdvance: true, Seed: n.Seed}
	if !reflect.DeepEqual(n, wantN) {
		t.Errorf("networking from the template = %+v; want %+v (settings, no rounds, no hosts in)", n, wantN)
	}
	if n.Seed == 0 || n.Seed == seed {
		t.Errorf("networking seed %d; want a new one (the source had %d)", n.Seed, seed)
	}
	v := m.Agenda[2].State.(*Vote)
	wantV := &Vote{Phase: PhaseSuggesting, Method: vote.Ranked, Dots: 4, MaxPerTopic: 2, ShowAuthors: true}
	if !reflect.DeepEqual(v, wantV) {
		t.Errorf("topics from the template = %+v; want %+v (rules, no topics, no polls)", v, wantV)
	}
	// The template is a copy: the source meetup keeps what happened.
	if len(f.net2(1).Drawn) != 1 || len(src.Agenda[2].State.(*Vote).Topics) != 1 {
		t.Fatalf("saving a template changed the source meetup")
	}

	// Listing: the built-in template first, then the saved ones by name.
	for _, name := range []string{"zeta", "Alpha"} {
		if _, err := f.hub.SaveTemplate(host, f.room, name); err != nil {
			t.Fatal(err)
		}
	}
	all, err := f.hub.Templates()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tp := range all {
		names = append(names, tp.Name)
	}
	if want := []string{BuiltInTemplate, "Alpha", "Evening format", "zeta"}; !slices.Equal(names, want) {
		t.Fatalf("Templates() = %q; want %q", names, want)
	}
	if !all[0].BuiltIn || all[1].BuiltIn {
		t.Fatalf("built-in flags: %v %v", all[0].BuiltIn, all[1].BuiltIn)
	}
	if _, err := f.hub.Create(f.ctx, host, "X", "Nope"); !errors.Is(err, ErrNoTemplate) {
		t.Fatalf("Create from an unknown template = %v; want ErrNoTemplate", err)
	}

	// Deleting.
	if err := f.hub.DeleteTemplate(host, "Classic Online Meetup"); err == nil {
		t.Fatalf("deleting the built-in template succeeded")
	}
	if err := f.hub.DeleteTemplate(ana, "zeta"); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant DeleteTemplate = %v", err)
	}
	if err := f.hub.DeleteTemplate(host, "ZETA"); err != nil {
		t.Fatalf("DeleteTemplate: %v", err)
	}
	if _, err := f.hub.Template("zeta"); !errors.Is(err, ErrNoTemplate) {
		t.Fatalf("deleted template still found: %v", err)
	}
	if err := f.hub.DeleteTemplate(host, "zeta"); !errors.Is(err, ErrNoTemplate) {
		t.Fatalf("deleting it again = %v; want ErrNoTemplate", err)
	}
}

// TestDeleteTemplateWithoutName: an empty name names no saved template.
func TestDeleteTemplateWithoutName(t *testing.T) {
	f := newFixture(t)
	if err := f.hub.DeleteTemplate(host, ""); err == nil {
		t.Fatalf("DeleteTemplate(\"\") succeeded; it deletes nothing")
	}
}

// net2 returns the networking state of agenda item i.
func (f *fixture) net2(i int) *Networking { return f.room.State().Agenda[i].State.(*Networking) }

func TestActivityLegacyJSON(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, a Activity)
	}{
		{"networking", `{"kind":"networking","title":"N","duration":540000000000,"prompt":"P",
			"networking":{"rounds":2,"min_size":3,"max_size":4,"points":["a","b"],"seed":7,
			"drawn":[{"groups":[["x","y","z"]],"point":"a","seed":7,"started_at":"2026-11-25T18:00:00Z"}]}}`,
			func(t *testing.T, a Activity) {
				n, ok := StateOf[*Networking](a)
				if !ok {
					t.Fatalf("state %T; want *Networking", a.State)
				}
				if a.Note != "P" || a.Title != "N" || a.Duration != 9*time.Minute {
					t.Fatalf("activity %q %v note %q", a.Title, a.Duration, a.Note)
				}
				if n.Rounds != 2 || n.MinSize != 3 || n.MaxSize != 4 || n.Seed != 7 || !slices.Equal(n.Points, []string{"a", "b"}) ||
					len(n.Drawn) != 1 || !slices.Equal(n.Drawn[0].Groups[0], []PersonID{"x", "y", "z"}) || !n.Started() {
					t.Fatalf("networking = %+v", n)
				}
			}},
		{"topics", `{"kind":"topics","title":"T","duration":600000000000,"prompt":"Q",
			"vote":{"phase":"voting","method":"dots","dots":3,"max_per_topic":2,"show_authors":true,
			"topics":[{"id":"t1","text":"Damp","authors":["a"]}],"next_id":1,
			"polls":[{"n":1,"topics":["t1"],"method":"dots","dots":3,"max_per_topic":2,"ballots":{"a":["t1","t1"]}}]}}`,
			func(t *testing.T, a Activity) {
				v, ok := StateOf[*Vote](a)
				if !ok {
					t.Fatalf("state %T; want *Vote", a.State)
				}
				p, _ := v.Poll()
				if a.Note != "Q" || v.CurrentPhase() != PhaseVoting || !v.ShowAuthors || len(v.Topics) != 1 ||
					!slices.Equal(p.Ballot("a"), vote.Ballot{"t1", "t1"}) || p.Cast() != 1 {
					t.Fatalf("topics: note %q, vote %+v", a.Note, v)
				}
			}},
		// Meetups saved before the circle's seed was dropped (it was
		// never read: the circles drawn are saved) still read.
		{"circle with a seed", `{"kind":"circle","title":"C","duration":1800000000000,
			"state":{"phase":"ideas","times":{"challenge":300000000000},"questions":true,"seed":1795631580000000000,
			"groups":[{"ref":"c1","sharer":"a","title":"Damp","members":["a","b"],"order":["b"],"turn":0,
				"ideas":[{"id":"i1","by":"b","text":"Log it","phase":"ideas","at":"2026-11-25T18:30:00Z"}]}]}}`,
			func(t *testing.T, a Activity) {
				c, ok := StateOf[*Circle](a)
				if !ok {
					t.Fatalf("state %T; want *Circle", a.State)
				}
				if c.Phase != CircleIdeas || len(c.Groups) != 1 || c.Groups[0].Sharer != "a" || len(c.Groups[0].Ideas) != 1 {
					t.Fatalf("circle = %+v", c)
				}
				b, err := json.Marshal(a)
				if err != nil || strings.Contains(string(b), "seed") {
					t.Fatalf("saved again as %s (%v): the seed is still written", b, err)
				}
			}},
		{"plain with a prompt", `{"kind":"welcome","title":"W","duration":300000000000,"prompt":"Hello"}`,
			func(t *testing.T, a Activity) {
				if a.Note != "Hello" || a.State != nil {
					t.Fatalf("welcome: note %q, state %v", a.Note, a.State)
				}
			}},
		{"note wins over prompt", `{"kind":"welcome","title":"W","note":"New","prompt":"Old"}`,
			func(t *testing.T, a Activity) {
				if a.Note != "New" {
					t.Fatalf("note %q; want New", a.Note)
				}
			}},
		{"state wins over the old fields", `{"kind":"networking","title":"N","state":{"rounds":5,"min_size":2,"max_size":2},"networking":{"rounds":1}}`,
			func(t *testing.T, a Activity) {
				if n, _ := StateOf[*Networking](a); n == nil || n.Rounds != 5 {
					t.Fatalf("state %+v; want the state field's 5 rounds", a.State)
				}
			}},
		{"no state: the kind's defaults", `{"kind":"networking","title":"N","duration":540000000000}`,
			func(t *testing.T, a Activity) {
				if n, _ := StateOf[*Networking](a); !reflect.DeepEqual(n, DefaultNetworking()) {
					t.Fatalf("state %+v; want DefaultNetworking", a.State)
				}
			}},
		{"null state", `{"kind":"topics","title":"T","state":null}`,
			func(t *testing.T, a Activity) {
				if v, _ := StateOf[*Vote](a); !reflect.DeepEqual(v, NewVote()) {
					t.Fatalf("state %+v; want NewVote", a.State)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Activity
			if err := json.Unmarshal([]byte(tt.in), &a); err != nil {
				t.Fatalf("decode: %v", err)
			}
			tt.check(t, a)
		})
	}
	var a Activity
	if err := json.Unmarshal([]byte(`{"kind":"karaoke","title":"K"}`), &a); err == nil || !strings.Contains(err.Error(), `unknown kind of activity "karaoke"`) {
		t.Fatalf("decode of an unknown kind = %v; want an error naming it", err)
	}
	if err := json.Unmarshal([]byte(`{"kind":"networking","title":"N","state":{"rounds":"two"}}`), &a); err == nil || !strings.Contains(err.Error(), `activity "N"`) {
		t.Fatalf("decode of a bad state = %v; want an error naming the activity", err)
	}
	var m Meetup
	if err := json.Unmarshal([]byte(`{"id":"x","agenda":[{"kind":"welcome","title":"W"},{"kind":"karaoke"}]}`), &m); err == nil {
		t.Fatalf("a meetup with an unknown kind decoded")
	}
}

func TestActivityJSONRoundTrip(t *testing.T) {
	at := t0.Add(time.Minute)
	full := map[Kind]State{
		KindNetworking: &Networking{Rounds: 3, MinSize: 2, MaxSize: 3, Points: []string{"a", "b", "c"}, AutoAdvance: true, Seed: 42,
			Drawn:   []Round{{Groups: [][]PersonID{{ana, ben}, {cy}}, Point: "a", Seed: 42, Note: "n", StartedAt: at, EndedAt: at.Add(time.Minute)}},
			HostsIn: []PersonID{host}},
		KindTopics: &Vote{Phase: PhaseClosed, Method: vote.Ranked, Dots: 3, MaxPerTopic: 2, LiveResults: true, ShowAuthors: true,
			Topics: []Topic{{ID: "t1", Text: "A", Authors: []PersonID{ana, ben}}, {ID: "t2", Text: "B", Authors: []PersonID{cy}}},
			NextID: 2, Opened: 1, Chosen: "t1", Picked: true, RunoffSet: true,
			Polls: []Poll{{N: 1, Topics: []string{"t1", "t2"}, Method: vote.Ranked, Dots: 3, MaxPerTopic: 2,
				Ballots: map[PersonID]vote.Ballot{ana: {"t1", "t2"}, ben: {"t2"}},
				Result: &Result{Method: vote.Ranked, Tie: []string{"t1", "t2"}, Totals: map[string]int{"t1": 1, "t2": 1}, Ballots: 2,
					Rounds: []ResultRound{{Totals: map[string]int{"t1": 1, "t2": 1}, Eliminated: "t2",
						TieBreak: &TieBreak{Tied: []string{"t1", "t2"}, Among: []string{"t1", "t2"}, Round: 1}}}}}}},
	}
	for _, k := range Kinds() {
		t.Run(string(k.Kind), func(t *testing.T) {
			a, err := NewActivity(k.Kind)
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := full[k.Kind]; ok {
				a.State = s
			}
			a.Paused = &Timer{Left: 3 * time.Minute, Started: true}
			a.Ran = true
			data, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			var b Activity
			if err := json.Unmarshal(data, &b); err != nil {
				t.Fatalf("decode %s: %v", data, err)
			}
			if reflect.TypeOf(b.State) != reflect.TypeOf(a.State) {
				t.Fatalf("state decoded as %T; want %T", b.State, a.State)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("round trip changed the activity:\n%+v\n%+v\n(%s)", a, b, data)
			}
		})
	}
	// A whole meetup, as saved by a room.
	f := topicsFixture(t)
	f.suggest(ana, "Damp")
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{"t1"}})
	m := f.room.State()
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Meetup
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	if string(again) != string(data) {
		t.Fatalf("meetup JSON changed in a round trip:\n%s\n%s", data, again)
	}
	if p, _ := back.Agenda[2].State.(*Vote).Poll(); !slices.Equal(p.Ballot(ana), vote.Ballot{"t1"}) {
		t.Fatalf("ballot lost in a round trip: %v", p.Ballot(ana))
	}
}

// TestRetitleAndNoteKeepTheRest: a title or a note sent right after a
// change of time (from the same screen, which has not seen the new time
// yet) changes only what it names.
func TestRetitleAndNoteKeepTheRest(t *testing.T) {
	f := agendaFixture(t)
	sub := f.enter(host, "Host")
	replies := []<-chan error{
		sub.Submit(AdjustActivityTime{Index: 3, By: time.Minute}),
		sub.Submit(RetitleActivity{Index: 3, Title: "  Solution\tcircle for Ana "}),
		sub.Submit(AdjustActivityTime{Index: 3, By: time.Minute}),
		sub.Submit(SetActivityNote{Index: 3, Note: "Ana shares; we listen."}),
	}
	for i, r := range replies {
		if err := <-r; err != nil {
			t.Fatalf("command %d: %v", i+1, err)
		}
	}
	a := f.room.State().Agenda[3]
	if a.Title != "Solution circle for Ana" || a.Duration != 32*time.Minute || a.Note != "Ana shares; we listen." {
		t.Fatalf("item = %q, %v, %q; want the new title and note with both minutes added", a.Title, a.Duration, a.Note)
	}
	for _, tt := range []struct {
		cmd    Command
		errHas string
	}{
		{RetitleActivity{Index: 3, Title: "\u200b"}, "empty"},
		{SetActivityNote{Index: 3, Note: strings.Repeat("x", MaxNoteLen+1)}, "at most 300"},
		{RetitleActivity{Index: 9, Title: "X"}, ErrBadAgenda.Error()},
	} {
		if err := f.do(host, tt.cmd); err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%s = %v; want %q", tt.cmd.Kind(), err, tt.errHas)
		}
	}
	if err := f.do(ana, RetitleActivity{Index: 3, Title: "Mine"}); !errors.Is(err, ErrNotFacilitator) {
		t.Errorf("a participant's retitle = %v", err)
	}
}
