package session

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/convene/convene/session/vote"
)

const (
	cy  PersonID = "SHA256:cy"
	dee PersonID = "SHA256:dee"
)

// topicsFixture is a meetup in its topics activity with the host and three
// participants present.
func topicsFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	f.enter(cy, "Cy")
	f.must(host, GoTo{Index: topicsAt(t, f.room.State())})
	return f
}

func topicsAt(t *testing.T, m *Meetup) int {
	t.Helper()
	i := slices.IndexFunc(m.Agenda, func(a Activity) bool { return a.Kind == KindTopics })
	if i < 0 {
		t.Fatalf("the agenda has no topics activity")
	}
	return i
}

func (f *fixture) vote() *Vote { return f.room.State().Activity().State.(*Vote) }

// suggest adds a topic and returns its id.
func (f *fixture) suggest(id PersonID, text string) string {
	f.t.Helper()
	f.must(id, SuggestTopic{Text: text})
	ts := f.vote().Topics
	return ts[len(ts)-1].ID
}

func (f *fixture) poll() Poll {
	f.t.Helper()
	p, ok := f.vote().Poll()
	if !ok {
		f.t.Fatalf("no poll")
	}
	return p
}

func TestSuggestTopic(t *testing.T) {
	f := topicsFixture(t)
	tests := []struct {
		name    string
		by      PersonID
		text    string
		want    string
		wantErr error
		errHas  string
	}{
		{name: "plain", by: ana, text: "Damp and mould", want: "Damp and mould"},
		{name: "cleaned", by: ben, text: "  Parking\x1b[31m near\n\tthe office\a ", want: "Parking near the office"},
		{name: "facilitator too", by: host, text: "Bins", want: "Bins"},
		{name: "several per person", by: ana, text: "Repairs backlog", want: "Repairs backlog"},
		{name: "120 characters", by: cy, text: strings.Repeat("e\u0301", MaxTopicLen), want: strings.Repeat("e\u0301", MaxTopicLen)},
		{name: "empty", by: ana, text: "   ", wantErr: ErrEmptyText},
		{name: "only escapes", by: ana, text: "\x1b[2J\x1b[H", wantErr: ErrEmptyText},
		{name: "121 characters", by: ana, text: strings.Repeat("x", MaxTopicLen+1), errHas: "121 characters, at most 120"},
		{name: "duplicate ignoring case", by: cy, text: "damp AND mould", errHas: `"Damp and mould" is already on the list`},
		{name: "stranger", by: dee, text: "Hello", wantErr: ErrNotMember},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.room.State()
			err := f.do(tt.by, SuggestTopic{Text: tt.text})
			if tt.wantErr != nil || tt.errHas != "" {
				if err == nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("SuggestTopic(%q) = %v; want %v %q", tt.text, err, tt.wantErr, tt.errHas)
				}
				if f.room.State().Version != before.Version {
					t.Fatalf("a refused suggestion changed the meetup")
				}
				return
			}
			if err != nil {
				t.Fatalf("SuggestTopic(%q) = %v", tt.text, err)
			}
			ts := f.vote().Topics
			got := ts[len(ts)-1]
			if got.Text != tt.want || !slices.Equal(got.Authors, []PersonID{tt.by}) {
				t.Fatalf("SuggestTopic(%q) added %+v; want text %q by %s", tt.text, got, tt.want, tt.by)
			}
		})
	}
	var ids []string
	for _, tp := range f.vote().Topics {
		ids = append(ids, tp.ID)
	}
	if want := []string{"t1", "t2", "t3", "t4", "t5"}; !slices.Equal(ids, want) {
		t.Fatalf("topic ids = %v; want %v", ids, want)
	}
	// A person has a limit, so one keyboard cannot flood the list.
	for i := range MaxTopicsPerPerson - 1 {
		f.must(ben, SuggestTopic{Text: "Ben's topic " + string(rune('A'+i))})
	}
	if err := f.do(ben, SuggestTopic{Text: "one too many"}); err == nil || !strings.Contains(err.Error(), "the most one person can") {
		t.Fatalf("suggestion over the per-person limit = %v", err)
	}
}

func TestTopicCommandsOutsideTopics(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	for _, cmd := range []Command{SuggestTopic{Text: "x"}, CastBallot{Ballot: vote.Ballot{"t1"}}} {
		if err := f.do(ana, cmd); !errors.Is(err, ErrNoVote) {
			t.Errorf("%s in the welcome = %v; want ErrNoVote", cmd.Kind(), err)
		}
	}
	for _, cmd := range []Command{StartVoting{}, CloseVoting{}, ShowAuthors{Show: true}} {
		if err := f.do(host, cmd); !errors.Is(err, ErrNoVote) {
			t.Errorf("%s in the welcome = %v; want ErrNoVote", cmd.Kind(), err)
		}
	}
	if v, ok := f.room.State().Activity().State.(*Vote); ok {
		t.Fatalf("refused commands left vote state on the welcome: %+v", v)
	}
}

func TestTopicEditMergeRemove(t *testing.T) {
	f := topicsFixture(t)
	damp := f.suggest(ana, "Damp and mould")
	mould := f.suggest(ben, "mould in flats")
	bins := f.suggest(cy, "Bins")
	park := f.suggest(cy, "Parking")

	// Participants, even the authors, cannot edit, merge or remove.
	before := f.room.State()
	for _, cmd := range []Command{
		EditTopic{Topic: damp, Text: "Damp"},
		MergeTopics{From: mould, Into: damp},
		RemoveTopic{Topic: bins},
		StartVoting{}, ShowAuthors{Show: true}, ShowLiveResults{Show: true},
		SetVoteRules{Method: vote.Single, Dots: 3, MaxPerTopic: 2},
	} {
		if err := f.do(ana, cmd); !errors.Is(err, ErrNotFacilitator) {
			t.Errorf("%s by a participant = %v; want ErrNotFacilitator", cmd.Kind(), err)
		}
	}
	if f.room.State().Version != before.Version {
		t.Fatalf("refused commands changed the meetup")
	}

	f.must(host, EditTopic{Topic: damp, Text: " Damp\x1b[1m and mould in flats "})
	if tp, _ := f.vote().Topic(damp); tp.Text != "Damp and mould in flats" {
		t.Fatalf("edited text = %q", tp.Text)
	}
	if err := f.do(host, EditTopic{Topic: damp, Text: "bins"}); err == nil || !strings.Contains(err.Error(), "already on the list") {
		t.Fatalf("edit into a duplicate = %v", err)
	}
	if err := f.do(host, EditTopic{Topic: damp, Text: ""}); !errors.Is(err, ErrEmptyText) {
		t.Fatalf("edit to empty = %v", err)
	}
	if err := f.do(host, EditTopic{Topic: "t99", Text: "x"}); !errors.Is(err, errNoTopic) {
		t.Fatalf("edit of a missing topic = %v", err)
	}

	// Merging keeps the target, takes the other's authors, drops the other.
	f.must(host, MergeTopics{From: mould, Into: damp})
	v := f.vote()
	if _, ok := v.Topic(mould); ok {
		t.Fatalf("merged topic still listed")
	}
	if tp, _ := v.Topic(damp); !slices.Equal(tp.Authors, []PersonID{ana, ben}) {
		t.Fatalf("merged authors = %v; want [ana ben]", tp.Authors)
	}
	if err := f.do(host, MergeTopics{From: damp, Into: damp}); err == nil {
		t.Fatalf("merging a topic into itself succeeded")
	}
	f.must(host, RemoveTopic{Topic: bins})
	var texts []string
	for _, tp := range f.vote().Topics {
		texts = append(texts, tp.Text)
	}
	if want := []string{"Damp and mould in flats", "Parking"}; !slices.Equal(texts, want) {
		t.Fatalf("topics = %q; want %q", texts, want)
	}

	// Once voting starts the list is fixed: duplicates are merged before.
	f.must(host, StartVoting{})
	for _, cmd := range []Command{EditTopic{Topic: park, Text: "Cars"}, MergeTopics{From: park, Into: damp}, RemoveTopic{Topic: park}, SuggestTopic{Text: "Late idea"}} {
		if err := f.do(host, cmd); err == nil || !strings.Contains(err.Error(), "voting has started") {
			t.Errorf("%s while voting = %v; want a refusal saying voting has started", cmd.Kind(), err)
		}
	}
}

func TestAuthorsAndLiveResultsHiddenByDefault(t *testing.T) {
	f := topicsFixture(t)
	f.suggest(ana, "Damp")
	v := f.vote()
	if v.ShowAuthors || v.LiveResults {
		t.Fatalf("new vote shows authors=%v live results=%v; both must start hidden", v.ShowAuthors, v.LiveResults)
	}
	f.must(host, ShowAuthors{Show: true})
	f.must(host, ShowLiveResults{Show: true})
	if v := f.vote(); !v.ShowAuthors || !v.LiveResults {
		t.Fatalf("after showing: authors=%v live=%v", v.ShowAuthors, v.LiveResults)
	}
}

func TestVotePhases(t *testing.T) {
	f := topicsFixture(t)
	if err := f.do(host, StartVoting{}); err == nil {
		t.Fatalf("voting started with no topics")
	}
	if err := f.do(ana, CastBallot{Ballot: vote.Ballot{"t1"}}); err == nil || !strings.Contains(err.Error(), "not started") {
		t.Fatalf("ballot before voting = %v", err)
	}
	a := f.suggest(ana, "Damp")
	b := f.suggest(ben, "Bins")
	if err := f.do(host, CloseVoting{}); err == nil {
		t.Fatalf("closed a vote that never opened")
	}
	f.must(host, StartVoting{})
	if got := f.vote().CurrentPhase(); got != PhaseVoting {
		t.Fatalf("phase = %s; want voting", got)
	}
	if err := f.do(host, SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2}); err == nil {
		t.Fatalf("rules changed while voting")
	}
	f.must(ana, CastBallot{Ballot: vote.Ballot{a, b}})

	// Back to suggestions: the ballots go, the topics can change again.
	f.must(host, StopVoting{})
	if v := f.vote(); v.CurrentPhase() != PhaseSuggesting || len(v.Polls) != 0 {
		t.Fatalf("after StopVoting: phase %s, %d polls", v.CurrentPhase(), len(v.Polls))
	}
	f.must(host, MergeTopics{From: b, Into: a})
	c := f.suggest(cy, "Parking")
	f.must(host, StartVoting{})
	if got := f.poll().Topics; !slices.Equal(got, []string{a, c}) {
		t.Fatalf("poll topics = %v; want [%s %s]", got, a, c)
	}
	if f.poll().HasVoted(ana) {
		t.Fatalf("a ballot survived going back to suggestions")
	}
	f.must(ana, CastBallot{Ballot: vote.Ballot{a, a, c}})
	f.must(host, CloseVoting{})
	if got := f.vote().CurrentPhase(); got != PhaseClosed {
		t.Fatalf("phase = %s; want closed", got)
	}
	// Closed too soon: reopen keeps the ballots.
	f.must(host, ReopenVoting{})
	if v := f.vote(); v.CurrentPhase() != PhaseVoting || v.Chosen != "" || !f.poll().HasVoted(ana) {
		t.Fatalf("after reopen: phase %s chosen %q, ana voted %v", v.CurrentPhase(), v.Chosen, f.poll().HasVoted(ana))
	}
	if err := f.do(ana, ReopenVoting{}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant reopen = %v", err)
	}
}

func TestBallotRulesEnforced(t *testing.T) {
	f := topicsFixture(t)
	damp := f.suggest(ana, "Damp")
	bins := f.suggest(ben, "Bins")
	park := f.suggest(cy, "Parking")
	f.must(host, StartVoting{})
	tests := []struct {
		ballot vote.Ballot
		errHas string // "" means accepted
	}{
		{vote.Ballot{damp}, ""},
		{vote.Ballot{damp, damp, bins}, ""},
		{vote.Ballot{damp, bins, park}, ""},
		{vote.Ballot{damp, bins, park, park}, "4 dots, but each person has 3"},
		{vote.Ballot{damp, damp, damp}, `3 dots on "Damp", but at most 2 may go on one topic`},
		{vote.Ballot{"t99"}, `"t99" is not one of the topics of this vote`},
		{vote.Ballot{}, "no dots placed"},
		{nil, "no dots placed"},
	}
	for _, tt := range tests {
		err := f.do(ana, CastBallot{Ballot: tt.ballot})
		switch {
		case tt.errHas == "" && err != nil:
			t.Errorf("CastBallot(%v) = %v; want accepted", tt.ballot, err)
		case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
			t.Errorf("CastBallot(%v) = %v; want %q", tt.ballot, err, tt.errHas)
		}
	}
	if got := f.poll().Ballot(ana); !slices.Equal(got, vote.Ballot{damp, bins, park}) {
		t.Fatalf("ana's ballot = %v; the last accepted one was [%s %s %s]", got, damp, bins, park)
	}

	// The facilitator sets the rules of the next poll between polls.
	f.must(host, StopVoting{})
	for _, bad := range []SetVoteRules{
		{Method: "approval", Dots: 3, MaxPerTopic: 2},
		{Method: vote.Dots, Dots: 0, MaxPerTopic: 1},
		{Method: vote.Dots, Dots: MaxDots + 1, MaxPerTopic: 2},
		{Method: vote.Dots, Dots: 3, MaxPerTopic: 4},
	} {
		if err := f.do(host, bad); err == nil {
			t.Errorf("SetVoteRules(%+v) accepted", bad)
		}
	}
	f.must(host, SetVoteRules{Method: vote.Dots, Dots: 5, MaxPerTopic: 3})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp, damp, damp, bins, park}})
	f.must(host, StopVoting{})
	f.must(host, SetVoteRules{Method: vote.Single, Dots: 5, MaxPerTopic: 3})
	f.must(host, StartVoting{})
	if err := f.do(ana, CastBallot{Ballot: vote.Ballot{damp, bins}}); err == nil || !strings.Contains(err.Error(), "exactly one") {
		t.Fatalf("two choices in a single vote = %v", err)
	}
	f.must(host, StopVoting{})
	f.must(host, SetVoteRules{Method: vote.Ranked, Dots: 5, MaxPerTopic: 3})
	f.must(host, StartVoting{})
	if err := f.do(ana, CastBallot{Ballot: vote.Ballot{damp, bins, damp}}); err == nil || !strings.Contains(err.Error(), `"Damp" is ranked more than once`) {
		t.Fatalf("repeated ranking = %v", err)
	}
	f.must(ana, CastBallot{Ballot: vote.Ballot{park, damp}})
}

func TestBallotChangesUntilClose(t *testing.T) {
	f := topicsFixture(t)
	damp := f.suggest(ana, "Damp")
	bins := f.suggest(ben, "Bins")
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp, damp}})
	seq := f.room.State().Seq
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp, damp}}) // the same again: nothing to save
	if f.room.State().Seq != seq {
		t.Fatalf("an unchanged ballot was logged again")
	}
	f.must(ana, CastBallot{Ballot: vote.Ballot{bins, bins, damp}})
	p := f.poll()
	if p.Cast() != 1 || !slices.Equal(p.Ballot(ana), vote.Ballot{bins, bins, damp}) {
		t.Fatalf("after a change: %d voters, ana's ballot %v", p.Cast(), p.Ballot(ana))
	}
	// The published state is never changed: an old copy keeps the old ballot.
	old := f.room.State()
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp}})
	if op, _ := old.Activity().State.(*Vote).Poll(); !slices.Equal(op.Ballots[ana], vote.Ballot{bins, bins, damp}) {
		t.Fatalf("a published state was changed: %v", op.Ballots[ana])
	}
	f.must(host, CloseVoting{})
	if err := f.do(ana, CastBallot{Ballot: vote.Ballot{bins}}); err == nil || !strings.Contains(err.Error(), "voting has closed") {
		t.Fatalf("ballot after close = %v", err)
	}
	if got := f.poll().Ballot(ana); !slices.Equal(got, vote.Ballot{damp}) {
		t.Fatalf("ballot after close changed to %v", got)
	}
}

func TestVoteResultTieRunoffAndPick(t *testing.T) {
	f := topicsFixture(t)
	damp := f.suggest(ana, "Damp")
	bins := f.suggest(ben, "Bins")
	park := f.suggest(cy, "Parking")
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp, damp, park}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{bins, bins, park}})
	f.must(cy, CastBallot{Ballot: vote.Ballot{park}})
	f.must(host, CloseVoting{})
	v := f.vote()
	res := f.poll().Result
	if res == nil {
		t.Fatalf("no result after close")
	}
	if res.Winner != park || res.Totals[park] != 3 || res.Totals[damp] != 2 || res.Totals[bins] != 2 || res.Ballots != 3 {
		t.Fatalf("result = %+v; want Parking winning with 3, Damp 2, Bins 2 of 3 ballots", res)
	}
	if v.Chosen != park || !slices.Equal(v.Sharers(), []PersonID{cy}) || v.Picked {
		t.Fatalf("chosen %q sharer %q picked %v; want Parking by Cy, not picked", v.Chosen, v.Sharers(), v.Picked)
	}
	if err := f.do(host, PickTopic{Topic: damp}); err == nil || !strings.Contains(err.Error(), "has a winner") {
		t.Fatalf("pick over a winner = %v", err)
	}
	if err := f.do(host, Runoff{}); err == nil {
		t.Fatalf("runoff without a tie succeeded")
	}

	// Reopen and make it a tie between Damp and Parking.
	f.must(host, ReopenVoting{})
	f.must(ben, CastBallot{Ballot: vote.Ballot{damp, park}})
	f.must(host, CloseVoting{})
	res = f.poll().Result
	if res.Winner != "" || !slices.Equal(res.Tie, []string{damp, park}) || f.vote().Chosen != "" || !f.vote().NeedsPick() {
		t.Fatalf("result = %+v chosen %q; want a tie Damp/Parking with nothing chosen", res, f.vote().Chosen)
	}
	if err := f.do(host, PickTopic{Topic: bins}); err == nil {
		t.Fatalf("picked a topic that was not tied")
	}
	if err := f.do(ana, PickTopic{Topic: damp}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant pick = %v", err)
	}

	// A runoff between the tied topics only; the first poll stays kept.
	f.must(host, Runoff{})
	v = f.vote()
	if len(v.Polls) != 2 || !slices.Equal(f.poll().Topics, []string{damp, park}) || v.CurrentPhase() != PhaseVoting {
		t.Fatalf("runoff: %d polls, topics %v, phase %s", len(v.Polls), f.poll().Topics, v.CurrentPhase())
	}
	if v.Polls[0].Result == nil || !slices.Equal(v.Polls[0].Result.Tie, []string{damp, park}) {
		t.Fatalf("the first poll's result was lost: %+v", v.Polls[0].Result)
	}
	if err := f.do(ana, CastBallot{Ballot: vote.Ballot{bins}}); err == nil || !strings.Contains(err.Error(), `"Bins" is not one of the topics of this vote`) {
		t.Fatalf("runoff ballot for an eliminated topic = %v", err)
	}
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{park}})
	f.must(host, CloseVoting{})
	if res := f.poll().Result; !slices.Equal(res.Tie, []string{damp, park}) {
		t.Fatalf("runoff result = %+v; want still tied", res)
	}
	// Still tied: the facilitator picks.
	f.must(host, PickTopic{Topic: park})
	if v := f.vote(); v.Chosen != park || !slices.Equal(v.Sharers(), []PersonID{cy}) || !v.Picked {
		t.Fatalf("after pick: chosen %q sharer %q picked %v", v.Chosen, v.Sharers(), v.Picked)
	}
	text, sharer, ok := f.room.State().ChosenTopic()
	if !ok || text != "Parking" || !slices.Equal(sharer, []PersonID{cy}) {
		t.Fatalf("ChosenTopic() = %q, %q, %v; want Parking, cy", text, sharer, ok)
	}
}

func TestNoVotesLetsFacilitatorPick(t *testing.T) {
	f := topicsFixture(t)
	damp := f.suggest(ana, "Damp")
	f.suggest(ben, "Bins")
	f.must(host, StartVoting{})
	f.must(host, CloseVoting{})
	res := f.poll().Result
	if res.Winner != "" || len(res.Tie) != 0 || res.Ballots != 0 {
		t.Fatalf("result without votes = %+v", res)
	}
	f.must(host, PickTopic{Topic: damp})
	if _, sharer, ok := f.room.State().ChosenTopic(); !ok || !slices.Equal(sharer, []PersonID{ana}) {
		t.Fatalf("ChosenTopic after pick: sharer %q ok %v", sharer, ok)
	}
}

func TestSingleVoteResult(t *testing.T) {
	f := topicsFixture(t)
	f.suggest(ana, "A")
	b := f.suggest(ben, "B")
	c := f.suggest(cy, "C")
	f.must(host, SetVoteRules{Method: vote.Single, Dots: 3, MaxPerTopic: 2})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{b}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{b}})
	f.must(cy, CastBallot{Ballot: vote.Ballot{c}})
	f.must(host, CloseVoting{})
	if res := f.poll().Result; res.Method != vote.Single || res.Winner != b || res.Totals[b] != 2 || res.Totals[c] != 1 || res.Ballots != 3 {
		t.Fatalf("single result = %+v; want B with 2 of 3", res)
	}
	if v := f.vote(); v.Chosen != b || !slices.Equal(v.Sharers(), []PersonID{ben}) {
		t.Fatalf("chosen %q sharer %q; want B offered to ben", v.Chosen, v.Sharers())
	}
	if err := f.do(host, StopVoting{}); err == nil || !strings.Contains(err.Error(), "voting has closed") {
		t.Fatalf("StopVoting after close = %v", err)
	}
}

func TestRankedVoteShowsEveryRound(t *testing.T) {
	f := topicsFixture(t)
	f.enter(dee, "Dee")
	a := f.suggest(ana, "A")
	b := f.suggest(ben, "B")
	c := f.suggest(cy, "C")
	f.must(host, SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{a}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{a, b}})
	f.must(cy, CastBallot{Ballot: vote.Ballot{b, a}})
	f.must(dee, CastBallot{Ballot: vote.Ballot{c, b}})
	f.must(host, CloseVoting{})
	res := f.poll().Result
	// Round 1: A 2, B 1, C 1: no majority of 4; B and C tie for fewest
	// with no earlier round, so C (listed last) is eliminated. Round 2:
	// A 2, B 2: a tie.
	if len(res.Rounds) != 2 || res.Rounds[0].Eliminated != c || res.Rounds[1].Eliminated != "" {
		t.Fatalf("rounds = %+v", res.Rounds)
	}
	if !slices.Equal(res.Tie, []string{a, b}) || res.Winner != "" {
		t.Fatalf("ranked result = %+v; want a tie between A and B", res)
	}
	// A runoff between two topics is one choice each by default.
	f.must(host, Runoff{})
	if p := f.poll(); p.Method != vote.Single {
		t.Fatalf("runoff between two topics voted by %s; want single", p.Method)
	}
	f.must(ana, CastBallot{Ballot: vote.Ballot{a}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{a}})
	f.must(cy, CastBallot{Ballot: vote.Ballot{b}})
	f.must(host, CloseVoting{})
	if res := f.poll().Result; res.Winner != a || res.Method != vote.Single {
		t.Fatalf("runoff result = %+v", res)
	}
	if text, sharer, ok := f.room.State().ChosenTopic(); text != "A" || !slices.Equal(sharer, []PersonID{ana}) || !ok {
		t.Fatalf("ChosenTopic() = %q %q %v", text, sharer, ok)
	}
}

func TestChosenTopicOfferedSharerAfterMerge(t *testing.T) {
	f := topicsFixture(t)
	if _, _, ok := f.room.State().ChosenTopic(); ok {
		t.Fatalf("a topic is chosen before any vote")
	}
	bins := f.suggest(ben, "Bins")
	bins2 := f.suggest(ana, "Bin collections")
	f.suggest(cy, "Parking")
	f.must(host, MergeTopics{From: bins2, Into: bins})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{bins}})
	f.must(host, CloseVoting{})
	text, sharer, ok := f.room.State().ChosenTopic()
	if !ok || text != "Bins" || !slices.Equal(sharer, []PersonID{ben, ana}) {
		t.Fatalf("ChosenTopic() = %q, %q, %v; want Bins offered to both its authors, ben first", text, sharer, ok)
	}
	// The chosen topic stays available once the meetup moves on.
	f.must(host, Next{})
	if got := f.room.State().Activity().Kind; got != KindCircle {
		t.Fatalf("next activity is %s; want the circle", got)
	}
	if text, _, ok := f.room.State().ChosenTopic(); !ok || text != "Bins" {
		t.Fatalf("in the circle, ChosenTopic() = %q, %v", text, ok)
	}
}

func TestVoteRestoredAfterRestart(t *testing.T) {
	f := topicsFixture(t)
	damp := f.suggest(ana, "Damp")
	bins := f.suggest(ben, "Bins")
	f.must(host, ShowAuthors{Show: true})
	f.must(host, StartVoting{})
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp, damp, bins}})
	f.must(ben, CastBallot{Ballot: vote.Ballot{bins}})
	code := f.room.State().Code

	restart := func() {
		t.Helper()
		f.hub.Close()
		f.start()
		r, err := f.hub.Find(code)
		if err != nil {
			t.Fatalf("Find after restart: %v", err)
		}
		f.room = r
	}
	restart()
	v := f.vote()
	if v.CurrentPhase() != PhaseVoting || len(v.Topics) != 2 || !v.ShowAuthors {
		t.Fatalf("restored vote: phase %s, %d topics, authors shown %v", v.CurrentPhase(), len(v.Topics), v.ShowAuthors)
	}
	if got := f.poll().Ballot(ana); !slices.Equal(got, vote.Ballot{damp, damp, bins}) {
		t.Fatalf("ana's ballot after restart = %v", got)
	}
	f.enter(ana, "Ana")
	f.enter(host, "Host")
	f.must(ana, CastBallot{Ballot: vote.Ballot{damp}}) // still changeable
	f.must(host, CloseVoting{})
	restart()
	v = f.vote()
	res := f.poll().Result
	if v.CurrentPhase() != PhaseClosed || res == nil || res.Tie == nil || v.Chosen != "" {
		t.Fatalf("restored after close: phase %s result %+v chosen %q", v.CurrentPhase(), res, v.Chosen)
	}
	f.enter(host, "Host")
	f.must(host, PickTopic{Topic: bins})
	restart()
	if text, sharer, ok := f.room.State().ChosenTopic(); text != "Bins" || !slices.Equal(sharer, []PersonID{ben}) || !ok {
		t.Fatalf("ChosenTopic after restart = %q %q %v", text, sharer, ok)
	}
	// The log records every step of the vote.
	var kinds []string
	for _, ev := range f.store.events[f.room.State().ID] {
		if strings.HasPrefix(ev.Kind, "vote-") || strings.HasPrefix(ev.Kind, "topic-") {
			kinds = append(kinds, ev.Kind)
		}
	}
	want := []string{"topic-suggest", "topic-suggest", "topic-authors", "vote-start", "vote-ballot", "vote-ballot", "vote-ballot", "vote-close", "vote-pick"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("logged %v; want %v", kinds, want)
	}
}

func TestVoteCloneIsDeep(t *testing.T) {
	v := &Vote{
		Phase: PhaseClosed, Method: vote.Ranked, Dots: 3, MaxPerTopic: 2,
		Topics: []Topic{{ID: "t1", Text: "A", Authors: []PersonID{ana}}, {ID: "t2", Text: "B", Authors: []PersonID{ben}}},
		Polls: []Poll{{
			Topics: []string{"t1", "t2"}, Method: vote.Ranked,
			Ballots: map[PersonID]vote.Ballot{ana: {"t1", "t2"}},
			Result: &Result{Method: vote.Ranked, Tie: []string{"t1", "t2"}, Totals: map[string]int{"t1": 1, "t2": 1},
				Rounds: []ResultRound{{Totals: map[string]int{"t1": 1, "t2": 1}}}},
		}},
	}
	before, _ := json.Marshal(v)
	c := v.clone().(*Vote)
	c.Topics[0].Text = "changed"
	c.Topics[0].Authors[0] = cy
	c.Polls[0].Topics[0] = "x"
	c.Polls[0].Ballots[ana][0] = "x"
	c.Polls[0].Ballots[ben] = vote.Ballot{"t2"}
	c.Polls[0].Result.Tie[0] = "x"
	c.Polls[0].Result.Totals["t1"] = 9
	c.Polls[0].Result.Rounds[0].Totals["t1"] = 9
	after, _ := json.Marshal(v)
	if string(before) != string(after) {
		t.Fatalf("changing a clone changed the original:\n%s\n%s", before, after)
	}
	if !reflect.DeepEqual(v.clone(), v) {
		t.Fatalf("clone differs from the original")
	}
}
