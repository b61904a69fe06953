package session

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session/clocktest"
	"github.com/convene/convene/session/vote"
)

func (s *memStore) Events(id string) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events[id]), nil
}

// TestSeriesCarryOver: the Welcome of a meetup in a series shows the
// actions still open from the earlier ones, and follows their status.
func TestSeriesCarryOver(t *testing.T) {
	f := &fixture{t: t, store: newMemStore(), clock: clocktest.New(t0), ctx: t.Context()}
	f.start()
	first, err := f.hub.CreateInSeries(f.ctx, host, "Officers, November", "", " Officers ")
	if err != nil {
		t.Fatal(err)
	}
	if got := first.State().Series; got != "Officers" {
		t.Fatalf("series = %q; want it cleaned to %q", got, "Officers")
	}
	f.room = first
	h1, a1 := f.enter(host, "Host"), f.enter(ana, "Ana")
	f.must(host, AddAction{Text: "Write to the council", Owner: ana})
	f.must(host, AddAction{Text: "Book the hall", Owner: host})
	f.must(host, AddAction{Text: "Already done", Owner: host})
	f.must(host, SetActionStatus{ID: 3, Status: ActionDone, Note: "done in the room"})
	f.must(host, End{})
	h1.Close()
	a1.Close()

	// Another series and a meetup without one carry nothing over.
	f.clock.Advance(time.Hour)
	other, err := f.hub.CreateInSeries(f.ctx, host, "Tenants", "", "Tenants' forum")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(24 * time.Hour)
	next, err := f.hub.CreateInSeries(f.ctx, host, "Officers, December", "", "officers")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.hub.SeriesNames(); !slices.Equal(got, []string{"officers", "Tenants' forum"}) {
		t.Fatalf("SeriesNames = %q; want one name per series, newest first", got)
	}
	sub, err := next.Enter(f.ctx, ana, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	carried := sub.View().Carried
	if len(carried) != 2 || carried[0].Text != "Write to the council" || carried[1].Text != "Book the hall" ||
		carried[0].Meetup != "Officers, November" || carried[0].Code != first.State().Code {
		t.Fatalf("carried = %+v; want the two open actions of November", carried)
	}
	osub, err := other.Enter(f.ctx, ana, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	if c := osub.View().Carried; len(c) != 0 {
		t.Fatalf("another series carried %+v", c)
	}

	// Followed up after the meetup, by a facilitator of the server: the
	// carry-over follows.
	if err := f.hub.Amend(f.ctx, first.State().Code, ana, SetActionStatus{ID: 1, Status: ActionDone}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant Amend = %v; want ErrNotFacilitator", err)
	}
	if err := f.hub.Amend(f.ctx, first.State().Code, host, SetActionStatus{ID: 1, Status: ActionDone, Note: "letter sent"}); err != nil {
		t.Fatal(err)
	}
	if c := sub.View().Carried; len(c) != 1 || c[0].Text != "Book the hall" {
		t.Fatalf("carried after follow-up = %+v; want only the hall", c)
	}
	if n := f.hub.Loaded(); n != 2 {
		t.Fatalf("%d rooms loaded after Amend; want the ended one let go (2)", n)
	}

	// Past the Welcome, the list is no longer offered.
	f.room = next
	f.enter(host, "Host")
	f.must(host, Next{})
	if c := sub.View().Carried; c != nil {
		t.Fatalf("carried after the Welcome = %+v", c)
	}
}

func TestSetSeries(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	if err := f.do(ana, SetSeries{Series: "Mine"}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant SetSeries = %v; want ErrNotFacilitator", err)
	}
	if err := f.do(host, SetSeries{Series: strings.Repeat("x", MaxSeriesLen+1)}); err == nil {
		t.Fatalf("a series name past the limit was accepted")
	}
	f.must(host, End{})
	f.must(host, SetSeries{Series: "Officers"})
	if s := f.room.State().Series; s != "Officers" {
		t.Fatalf("series = %q after SetSeries on an ended meetup", s)
	}
	if l := f.hub.List(); l[0].Series != "Officers" {
		t.Fatalf("summary series = %q", l[0].Series)
	}
	f.must(host, SetSeries{Series: ""})
	if s := f.room.State().Series; s != "" {
		t.Fatalf("series = %q; want none", s)
	}
}

// TestArchive: facilitators read every meetup, participants the ones they
// attended; nobody's ballot is in what they read.
func TestArchive(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.must(host, GoTo{Index: slices.IndexFunc(f.room.State().Agenda, func(a Activity) bool { return a.Kind == KindTopics })})
	f.must(ana, SuggestTopic{Text: "Damp"})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{"t1"}})
	f.clock.Advance(time.Minute)
	second, err := f.hub.Create(f.ctx, host, "Second", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.Enter(f.ctx, ben, "Ben"); err != nil {
		t.Fatal(err)
	}
	titles := func(ms []*Meetup) (out []string) {
		for _, m := range ms {
			out = append(out, m.Title)
		}
		return out
	}
	for _, c := range []struct {
		who  PersonID
		want []string
	}{{host, []string{"Second", "Housing officers"}}, {ana, []string{"Housing officers"}}, {ben, []string{"Second"}}, {"SHA256:stranger", nil}} {
		ms, err := f.hub.Archive(c.who)
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(ms); !slices.Equal(got, c.want) {
			t.Errorf("Archive(%s) = %q; want %q", c.who, got, c.want)
		}
	}
	ms, _ := f.hub.Archive(host)
	for _, m := range ms {
		for _, a := range m.Agenda {
			if v, ok := StateOf[*Vote](a); ok {
				for _, p := range v.Polls {
					if p.Ballots != nil {
						t.Fatalf("the archive of %q holds ballots %v", m.Title, p.Ballots)
					}
				}
			}
		}
	}
	if _, err := f.hub.Events(ana, f.room.State().ID); !errors.Is(err, ErrNotReviewer) {
		t.Fatalf("participant Events = %v; want ErrNotReviewer", err)
	}
	evs, err := f.hub.Events(host, f.room.State().ID)
	if err != nil || len(evs) == 0 || evs[0].Kind != "create" {
		t.Fatalf("Events = %+v, %v; want the log from create", evs, err)
	}
}
