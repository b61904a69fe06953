package session

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/convene/convene/session/vote"
)

// voteOf returns the topics state of the current activity of a view.
func voteOf(t *testing.T, v *View) *Vote {
	t.Helper()
	vs, ok := v.Activity().State.(*Vote)
	if !ok {
		t.Fatalf("%s's view: current activity state %T; want *Vote", v.Me, v.Activity().State)
	}
	return vs
}

func ownOf(t *testing.T, v *View) *VoteOwn {
	t.Helper()
	o, ok := v.Own.(*VoteOwn)
	if !ok {
		t.Fatalf("%s's view: Own is %T; want *VoteOwn", v.Me, v.Own)
	}
	return o
}

// noBallots checks that a view's meetup holds no ballots at all, in any
// activity, and that its JSON has none either.
func noBallots(t *testing.T, v *View) {
	t.Helper()
	for i, a := range v.Agenda {
		vs, ok := a.State.(*Vote)
		if !ok {
			continue
		}
		for k, p := range vs.Polls {
			if p.Ballots != nil {
				t.Fatalf("%s (%s) sees the ballots of poll %d of item %d: %v", v.Me, v.Role, k+1, i, p.Ballots)
			}
		}
	}
	data, err := json.Marshal(v.Meetup)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"ballots":{`) { // a Result's "ballots" is only a count
		t.Fatalf("%s's view encodes ballots: %s", v.Me, data)
	}
}

func TestViewsKeepBallotsSecret(t *testing.T) {
	f := topicsFixture(t)
	subs := map[PersonID]*Subscription{}
	for _, p := range []struct {
		id   PersonID
		name string
	}{{host, "Host"}, {ana, "Ana"}, {ben, "Ben"}, {cy, "Cy"}} {
		subs[p.id] = f.enter(p.id, p.name)
	}
	damp := f.suggest(ana, "Damp")
	bins := f.suggest(ben, "Bins")
	park := f.suggest(ana, "Parking")
	dup := f.suggest(cy, "Bin collections")
	f.must(host, MergeTopics{From: dup, Into: bins}) // Bins by ben and cy
	f.must(host, StartVoting{})
	ballots := map[PersonID]vote.Ballot{ana: {damp, damp, park}, ben: {bins, bins}}
	for id, b := range ballots {
		f.must(id, CastBallot{Ballot: b})
	}
	authored := map[PersonID][]string{ana: {damp, park}, ben: {bins}, cy: {bins}}

	// Participants: their own ballot and topics, nobody else's; how many
	// voted, not who; no authors; no live tallies.
	for _, id := range []PersonID{ana, ben, cy} {
		v := subs[id].View()
		if v.Me != id || v.Role != RoleParticipant || v.Facilitates() || v.Self().ID != id {
			t.Fatalf("%s's view: me %s, role %s, facilitates %v", id, v.Me, v.Role, v.Facilitates())
		}
		noBallots(t, v)
		vs := voteOf(t, v)
		p, _ := vs.Poll()
		if p.Cast() != 2 {
			t.Errorf("%s sees %d ballots cast; want 2", id, p.Cast())
		}
		for _, who := range []PersonID{ana, ben} {
			if p.HasVoted(who) {
				t.Errorf("%s is told that %s voted; only facilitators see who voted", id, who)
			}
		}
		if _, ok := p.Live(); ok {
			t.Errorf("%s sees live results that are not shown", id)
		}
		for _, tp := range vs.Topics {
			if tp.Authors != nil {
				t.Errorf("%s sees the authors of %q (%v) while authors are hidden", id, tp.Text, tp.Authors)
			}
		}
		o := ownOf(t, v)
		if !slices.Equal(o.Ballot, ballots[id]) || !slices.Equal(o.Authored, authored[id]) || o.Invited {
			t.Errorf("%s's own part = %+v; want ballot %v, authored %v, not invited", id, o, ballots[id], authored[id])
		}
		if o.Mine(damp) != (id == ana) || !slices.Equal(o.CastBallot(), ballots[id]) {
			t.Errorf("%s: Mine(damp) = %v, CastBallot = %v", id, o.Mine(damp), o.CastBallot())
		}
	}
	// Facilitators: who voted, not how; the authors.
	hv := subs[host].View()
	if hv.Role != RoleFacilitator || !hv.Facilitates() {
		t.Fatalf("host's view: role %s", hv.Role)
	}
	noBallots(t, hv)
	p, _ := voteOf(t, hv).Poll()
	for id, want := range map[PersonID]bool{ana: true, ben: true, cy: false, host: false} {
		if p.HasVoted(id) != want {
			t.Errorf("facilitator's view: HasVoted(%s) = %v; want %v", id, p.HasVoted(id), want)
		}
	}
	if p.Cast() != 2 {
		t.Errorf("facilitator sees %d cast; want 2", p.Cast())
	}
	if tp, _ := voteOf(t, hv).Topic(bins); !slices.Equal(tp.Authors, []PersonID{ben, cy}) {
		t.Errorf("facilitator sees the authors of Bins as %v; want [ben cy]", tp.Authors)
	}
	if o := ownOf(t, hv); o.Ballot != nil {
		t.Errorf("facilitator's own ballot = %v; they did not vote", o.Ballot)
	}
	// The room's own state keeps every ballot.
	if p, _ := f.vote().Poll(); len(p.Ballots) != 2 || !slices.Equal(p.Ballots[ana], ballots[ana]) {
		t.Fatalf("making views changed the room's state: %v", p.Ballots)
	}

	// One redacted meetup per role and version, shared.
	va, vb, vc := subs[ana].View(), subs[ben].View(), subs[cy].View()
	if va.Meetup != vb.Meetup || vb.Meetup != vc.Meetup {
		t.Errorf("participants' views of the same version do not share the meetup")
	}
	if hv2 := subs[host].View(); hv2.Meetup != hv.Meetup || hv.Meetup == va.Meetup {
		t.Errorf("facilitator views: shared %v, same as participants' %v", hv2.Meetup == hv.Meetup, hv.Meetup == va.Meetup)
	}
	// ViewAs gives what a subscription gives.
	m := f.room.State()
	for _, id := range []PersonID{host, ana, cy} {
		got, want := ViewAs(m, id), subs[id].View()
		gj, _ := json.Marshal(got.Meetup)
		wj, _ := json.Marshal(want.Meetup)
		if string(gj) != string(wj) || !reflect.DeepEqual(got.Own, want.Own) || got.Role != want.Role {
			t.Errorf("ViewAs(%s) differs from the subscription's view", id)
		}
	}
	if v := ViewAs(m, dee); v.Role != "" || ownOf(t, v).Ballot != nil {
		t.Errorf("a stranger's view: role %q, own %+v", v.Role, v.Own)
	}
	noBallots(t, ViewAs(m, dee))

	// A view is a snapshot: the room moving on does not change it.
	before, _ := json.Marshal(va.Meetup)
	beforeOwn := slices.Clone(ownOf(t, va).Ballot)
	f.must(ana, CastBallot{Ballot: vote.Ballot{bins}})
	f.must(host, ShowAuthors{Show: true})
	f.must(host, CloseVoting{})
	after, _ := json.Marshal(va.Meetup)
	if string(before) != string(after) || !slices.Equal(ownOf(t, va).Ballot, beforeOwn) {
		t.Fatalf("an old view changed when the room moved on")
	}
	if voteOf(t, va).CurrentPhase() != PhaseVoting {
		t.Fatalf("the old view's phase moved on")
	}
	va2 := subs[ana].View()
	if va2.Meetup == va.Meetup || va2.Version == va.Version || !slices.Equal(ownOf(t, va2).Ballot, vote.Ballot{bins}) {
		t.Fatalf("the new view: same meetup %v, version %d, own ballot %v", va2.Meetup == va.Meetup, va2.Version, ownOf(t, va2).Ballot)
	}

	// Closed: Bins won. Its authors are offered as sharers; authors are
	// shown now; the result is everyone's.
	for id, want := range map[PersonID]bool{ana: false, ben: true, cy: true, host: false} {
		v := subs[id].View()
		noBallots(t, v)
		if got := ownOf(t, v).Invited; got != want {
			t.Errorf("%s invited = %v; want %v", id, got, want)
		}
		vs := voteOf(t, v)
		if tp, _ := vs.Topic(bins); !slices.Equal(tp.Authors, []PersonID{ben, cy}) {
			t.Errorf("%s sees Bins' authors as %v once shown; want [ben cy]", id, tp.Authors)
		}
		p, _ := vs.Poll()
		if p.Result == nil || p.Result.Winner != bins {
			t.Errorf("%s sees result %+v; want Bins winning", id, p.Result)
		}
	}
}

func TestViewLiveResults(t *testing.T) {
	f := topicsFixture(t)
	as := f.enter(ana, "Ana")
	hs := f.enter(host, "Host")
	damp := f.suggest(ana, "Damp")
	bins := f.suggest(ben, "Bins")
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp, damp}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{damp, bins}})
	for _, s := range []*Subscription{as, hs} {
		p, _ := voteOf(t, s.View()).Poll()
		if _, ok := p.Live(); ok {
			t.Fatalf("%s sees live results before they are shown", s.Person())
		}
	}
	f.must(host, ShowLiveResults{Show: true})
	for _, s := range []*Subscription{as, hs} {
		v := s.View()
		noBallots(t, v)
		p, _ := voteOf(t, v).Poll()
		live, ok := p.Live()
		if !ok || live.Totals[damp] != 3 || live.Totals[bins] != 1 || live.Ballots != 2 {
			t.Fatalf("%s sees live results %+v (%v); want Damp 3, Bins 1 of 2 ballots", s.Person(), live, ok)
		}
	}
	f.must(host, CloseVoting{})
	p, _ := voteOf(t, as.View()).Poll()
	if _, ok := p.Live(); ok || p.Result == nil || p.Result.Totals[damp] != 3 {
		t.Fatalf("after close: live %v, result %+v; want the result only", ok, p.Result)
	}
}

// TestViewOfEndedMeetup: an ended meetup has no own part and nobody runs
// it any more.
func TestViewOfEndedMeetup(t *testing.T) {
	f := topicsFixture(t)
	hs := f.enter(host, "Host")
	as := f.enter(ana, "Ana")
	f.suggest(ana, "Damp")
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{"t1"}})
	f.must(host, End{})
	if v := hs.View(); v.Facilitates() || v.Own != nil {
		t.Fatalf("host's view of an ended meetup: facilitates %v, own %+v", v.Facilitates(), v.Own)
	}
	v := as.View()
	noBallots(t, v)
	if v.Own != nil {
		t.Fatalf("ana's view of an ended meetup has own %+v", v.Own)
	}
}
