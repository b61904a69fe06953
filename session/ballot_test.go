package session

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/convene/convene/session/vote"
)

func TestBallotEditing(t *testing.T) {
	dots := Poll{Topics: []string{"t1", "t2", "t3"}, Method: vote.Dots, Dots: 3, MaxPerTopic: 2}
	b := func(ids ...string) vote.Ballot { return vote.Ballot(ids) }
	t.Run("AddDot", func(t *testing.T) {
		tests := []struct {
			in     vote.Ballot
			id     string
			want   vote.Ballot
			errHas string
		}{
			{nil, "t3", b("t3"), ""},
			{b("t3"), "t1", b("t1", "t3"), ""}, // kept in list order
			{b("t1", "t3"), "t1", b("t1", "t1", "t3"), ""},
			{b("t3", "t3"), "t2", b("t2", "t3", "t3"), ""},
			{b("t1", "t1", "t3"), "t2", b("t1", "t1", "t3"), "all 3 dots are placed: take one off another topic first"},
			{b("t1", "t1"), "t1", b("t1", "t1"), "at most 2 dots can go on one topic"},
			{nil, "t9", nil, errNoTopic.Error()},
		}
		for _, tt := range tests {
			in := slices.Clone(tt.in)
			got, err := dots.AddDot(in, tt.id)
			if tt.errHas == "" && err != nil || tt.errHas != "" && (err == nil || err.Error() != tt.errHas) {
				t.Errorf("AddDot(%v, %s) error = %v; want %q", tt.in, tt.id, err, tt.errHas)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("AddDot(%v, %s) = %v; want %v", tt.in, tt.id, got, tt.want)
			}
			if !slices.Equal(in, tt.in) {
				t.Errorf("AddDot(%v, %s) changed its argument to %v", tt.in, tt.id, in)
			}
		}
		// Spare capacity in the argument is not written to.
		in := make(vote.Ballot, 1, 8)
		in[0] = "t3"
		if _, err := dots.AddDot(in, "t1"); err != nil {
			t.Fatal(err)
		}
		if spare := in[:2]; spare[0] != "t3" || spare[1] != "" {
			t.Fatalf("AddDot wrote into its argument's spare capacity: %v", spare)
		}
		// Zero allowances mean the defaults.
		def := Poll{Topics: dots.Topics, Method: vote.Dots}
		bal := vote.Ballot(nil)
		for _, id := range []string{"t1", "t1", "t2"} {
			var err error
			if bal, err = def.AddDot(bal, id); err != nil {
				t.Fatalf("default rules, AddDot(%s): %v", id, err)
			}
		}
		if _, err := def.AddDot(bal, "t3"); err == nil {
			t.Fatalf("default rules allowed a fourth dot")
		}
	})
	t.Run("TakeDot and Dots", func(t *testing.T) {
		in := b("t1", "t1", "t3")
		got, ok := dots.TakeDot(in, "t1")
		if !ok || !slices.Equal(got, b("t1", "t3")) || !slices.Equal(in, b("t1", "t1", "t3")) {
			t.Fatalf("TakeDot(t1) = %v, %v (argument now %v)", got, ok, in)
		}
		if got, ok := dots.TakeDot(in, "t2"); ok || !slices.Equal(got, in) {
			t.Fatalf("TakeDot of a topic without dots = %v, %v", got, ok)
		}
		if Dots(in, "t1") != 2 || Dots(in, "t2") != 0 || Dots(nil, "t1") != 0 {
			t.Fatalf("Dots: %d %d", Dots(in, "t1"), Dots(in, "t2"))
		}
	})
	ranked := Poll{Topics: []string{"t1", "t2", "t3"}, Method: vote.Ranked}
	t.Run("Rank and Unrank", func(t *testing.T) {
		tests := []struct {
			op     string
			in     vote.Ballot
			id     string
			want   vote.Ballot
			wantOK bool
		}{
			{"rank", nil, "t2", b("t2"), true},
			{"rank", b("t2"), "t1", b("t2", "t1"), true},
			{"rank", b("t2"), "t2", b("t2"), false},
			{"rank", b("t2"), "t9", b("t2"), false},
			{"unrank", b("t2", "t1", "t3"), "t1", b("t2", "t3"), true},
			{"unrank", b("t2"), "t3", b("t2"), false},
		}
		for _, tt := range tests {
			in := slices.Clone(tt.in)
			var got vote.Ballot
			var ok bool
			if tt.op == "rank" {
				got, ok = ranked.Rank(in, tt.id)
			} else {
				got, ok = ranked.Unrank(in, tt.id)
			}
			if ok != tt.wantOK || !slices.Equal(got, tt.want) || !slices.Equal(in, tt.in) {
				t.Errorf("%s(%v, %s) = %v, %v (argument now %v); want %v, %v", tt.op, tt.in, tt.id, got, ok, in, tt.want, tt.wantOK)
			}
		}
	})
	t.Run("MoveRank", func(t *testing.T) {
		tests := []struct {
			in     vote.Ballot
			id     string
			d      int
			want   vote.Ballot
			wantOK bool
		}{
			{b("t1", "t2", "t3"), "t2", -1, b("t2", "t1", "t3"), true},
			{b("t1", "t2", "t3"), "t1", +1, b("t2", "t1", "t3"), true},
			{b("t1", "t2", "t3"), "t1", -1, b("t1", "t2", "t3"), false}, // first already
			{b("t1", "t2", "t3"), "t3", +1, b("t1", "t2"), true},        // last down: unranked
			{b("t1", "t2"), "t3", -1, b("t1", "t2", "t3"), true},        // unranked up: ranked last
			{b("t1", "t2"), "t3", +1, b("t1", "t2"), false},             // unranked down: nowhere
			{b("t1", "t2"), "t9", -1, b("t1", "t2"), false},             // not on the ballot
		}
		for _, tt := range tests {
			in := slices.Clone(tt.in)
			got, ok := ranked.MoveRank(in, tt.id, tt.d)
			if ok != tt.wantOK || !slices.Equal(got, tt.want) || !slices.Equal(in, tt.in) {
				t.Errorf("MoveRank(%v, %s, %+d) = %v, %v (argument now %v); want %v, %v", tt.in, tt.id, tt.d, got, ok, in, tt.want, tt.wantOK)
			}
		}
		if got := ranked.Choose("t2"); !slices.Equal(got, b("t2")) {
			t.Errorf("Choose(t2) = %v", got)
		}
	})
	t.Run("what the editing rules make, the room accepts", func(t *testing.T) {
		f := topicsFixture(t)
		a := f.suggest(ana, "A")
		c := f.suggest(ben, "C")
		f.must(host, StartVoting{})
		p := f.poll()
		bal, err := p.AddDot(nil, c)
		if err == nil {
			bal, err = p.AddDot(bal, a)
		}
		if err == nil {
			bal, err = p.AddDot(bal, c)
		}
		if err != nil {
			t.Fatal(err)
		}
		f.must(ana, CastBallot{Ballot: bal})
		f.must(ben, CastBallot{Ballot: vote.Ballot{c, c, a}}) // the same dots, placed in another order
		if got := f.poll().Ballot(ana); !slices.Equal(got, vote.Ballot{a, c, c}) {
			t.Fatalf("ana's ballot = %v; want it in list order", got)
		}
	})
}

func TestAdjustVote(t *testing.T) {
	f := topicsFixture(t)
	f.suggest(ana, "A")
	f.suggest(ben, "B")
	rules := func() vote.Rules { return f.vote().Rules() }
	steps := []struct {
		opt    VoteOption
		by     int
		errHas string
		want   vote.Rules
	}{
		{OptionMethod, +1, "", vote.Rules{Method: vote.Single, Dots: 3, MaxPerTopic: 2}},
		{OptionDots, +1, "dots per person and per topic are for dot voting only", vote.Rules{Method: vote.Single, Dots: 3, MaxPerTopic: 2}},
		{OptionMethod, +1, "", vote.Rules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2}},
		{OptionMaxPerTopic, -1, "dots per person and per topic are for dot voting only", vote.Rules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2}},
		{OptionMethod, +1, "", vote.Rules{Method: vote.Dots, Dots: 3, MaxPerTopic: 2}},
		{OptionMethod, -1, "", vote.Rules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2}},
		{OptionMethod, +4, "", vote.Rules{Method: vote.Dots, Dots: 3, MaxPerTopic: 2}},
		{OptionDots, -1, "", vote.Rules{Method: vote.Dots, Dots: 2, MaxPerTopic: 2}},
		{OptionDots, -1, "", vote.Rules{Method: vote.Dots, Dots: 1, MaxPerTopic: 1}}, // takes the most per topic down
		{OptionDots, -1, "dots per person go from 1 to 10", vote.Rules{Method: vote.Dots, Dots: 1, MaxPerTopic: 1}},
		{OptionDots, +1, "", vote.Rules{Method: vote.Dots, Dots: 2, MaxPerTopic: 1}},
		{OptionMaxPerTopic, +1, "", vote.Rules{Method: vote.Dots, Dots: 2, MaxPerTopic: 2}},
		{OptionMaxPerTopic, +1, "the most dots on one topic go from 1 to 2 (the dots per person)", vote.Rules{Method: vote.Dots, Dots: 2, MaxPerTopic: 2}},
		{OptionMaxPerTopic, -2, "the most dots on one topic go from 1 to 2 (the dots per person)", vote.Rules{Method: vote.Dots, Dots: 2, MaxPerTopic: 2}},
		{OptionDots, MaxDots - 2, "", vote.Rules{Method: vote.Dots, Dots: MaxDots, MaxPerTopic: 2}},
		{OptionDots, +1, "dots per person go from 1 to 10", vote.Rules{Method: vote.Dots, Dots: MaxDots, MaxPerTopic: 2}},
		{"colour", +1, `there is no voting option "colour"`, vote.Rules{Method: vote.Dots, Dots: MaxDots, MaxPerTopic: 2}},
	}
	for i, s := range steps {
		err := f.do(host, AdjustVote{Option: s.opt, By: s.by})
		if s.errHas == "" && err != nil || s.errHas != "" && (err == nil || err.Error() != s.errHas) {
			t.Fatalf("step %d: %s by %+d = %v; want %q", i, s.opt, s.by, err, s.errHas)
		}
		if got := rules(); got != s.want {
			t.Fatalf("step %d: %s by %+d: rules %+v; want %+v", i, s.opt, s.by, got, s.want)
		}
	}
	if err := f.do(ana, AdjustVote{Option: OptionMethod, By: 1}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("participant AdjustVote = %v", err)
	}
	f.must(host, StartVoting{})
	before := f.room.State()
	for _, opt := range []VoteOption{OptionMethod, OptionDots, OptionMaxPerTopic} {
		if err := f.do(host, AdjustVote{Option: opt, By: -1}); err == nil || !strings.Contains(err.Error(), "the rules are fixed while voting is open") {
			t.Errorf("AdjustVote %s while voting = %v; want a refusal saying the rules are fixed", opt, err)
		}
	}
	if f.room.State() != before {
		t.Fatalf("refused adjustments changed the meetup")
	}
	if p := f.poll(); p.Rules() != (vote.Rules{Method: vote.Dots, Dots: MaxDots, MaxPerTopic: 2}) {
		t.Fatalf("the poll opened with rules %+v; want the adjusted ones", p.Rules())
	}
}

// tiedVote brings a topics activity to a closed vote tied between the
// first n of three topics (n is 2 or 3), dot voting, and returns the
// topic ids.
func tiedVote(t *testing.T, n int) (*fixture, []string) {
	t.Helper()
	f := topicsFixture(t)
	ids := []string{f.suggest(ana, "A"), f.suggest(ben, "B"), f.suggest(cy, "C")}
	f.must(host, StartVoting{})
	voters := []PersonID{ana, ben, cy}
	for i := range n {
		f.must(voters[i], CastBallot{Ballot: vote.Ballot{ids[i]}})
	}
	f.must(host, CloseVoting{})
	if res := f.poll().Result; !slices.Equal(res.Tie, ids[:n]) {
		t.Fatalf("result %+v; want a tie between %v", res, ids[:n])
	}
	return f, ids
}

func TestRunoffRules(t *testing.T) {
	t.Run("two tied: single choice by default", func(t *testing.T) {
		f, ids := tiedVote(t, 2)
		if r := f.vote().RunoffRules(); r.Method != vote.Single {
			t.Fatalf("runoff rules between two = %+v; want single", r)
		}
		f.must(host, Runoff{})
		p := f.poll()
		if p.Method != vote.Single || !slices.Equal(p.Topics, ids[:2]) || f.vote().Method != vote.Single {
			t.Fatalf("runoff poll: %s on %v (vote method %s); want single between %v", p.Method, p.Topics, f.vote().Method, ids[:2])
		}
		if err := f.do(ana, CastBallot{Ballot: vote.Ballot{ids[0], ids[1]}}); err == nil || !strings.Contains(err.Error(), "exactly one") {
			t.Fatalf("two choices in the runoff = %v", err)
		}
	})
	t.Run("three tied: the current rules", func(t *testing.T) {
		f, ids := tiedVote(t, 3)
		f.must(host, Runoff{})
		if p := f.poll(); p.Rules() != (vote.Rules{Method: vote.Dots, Dots: 3, MaxPerTopic: 2}) || !slices.Equal(p.Topics, ids) {
			t.Fatalf("runoff between three: %+v on %v; want the dots rules on all three", p.Rules(), p.Topics)
		}
	})
	t.Run("rules set after the close are used", func(t *testing.T) {
		f, _ := tiedVote(t, 2)
		f.must(host, SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
		if v := f.vote(); !v.RunoffSet || v.RunoffRules().Method != vote.Ranked {
			t.Fatalf("after setting rules: runoff set %v, rules %+v", v.RunoffSet, v.RunoffRules())
		}
		f.must(host, Runoff{})
		if p := f.poll(); p.Method != vote.Ranked {
			t.Fatalf("runoff voted by %s; want ranked, as set after the close", p.Method)
		}
		if f.vote().RunoffSet {
			t.Fatalf("RunoffSet still on once the runoff opened")
		}
	})
	t.Run("the same rules confirmed after the close are used", func(t *testing.T) {
		f, _ := tiedVote(t, 2)
		f.must(host, SetVoteRules{Method: vote.Dots, Dots: 3, MaxPerTopic: 2})
		f.must(host, Runoff{})
		if p := f.poll(); p.Method != vote.Dots {
			t.Fatalf("runoff voted by %s; want dots, confirmed after the close", p.Method)
		}
	})
	t.Run("rules set before the vote are not a runoff's", func(t *testing.T) {
		f := topicsFixture(t)
		a, b := f.suggest(ana, "A"), f.suggest(ben, "B")
		f.must(host, SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
		f.must(host, StartVoting{})
		f.must(ana, CastBallot{Ballot: vote.Ballot{a}})
		f.must(ben, CastBallot{Ballot: vote.Ballot{b}})
		f.must(host, CloseVoting{})
		f.must(host, Runoff{})
		if p := f.poll(); p.Method != vote.Single {
			t.Fatalf("runoff after a ranked tie of two voted by %s; want single", p.Method)
		}
	})
}

// TestAdjustVoteAfterTie: after a tie between two, the screen steps the
// runoff's method from its default (single choice).
func TestAdjustVoteAfterTie(t *testing.T) {
	f, _ := tiedVote(t, 2)
	if err := f.do(host, AdjustVote{Option: OptionMethod, By: +1}); err != nil {
		t.Fatalf("stepping the runoff's method from single = %v; want ranked", err)
	}
	if r := f.vote().RunoffRules(); r.Method != vote.Ranked {
		t.Fatalf("runoff rules after a step = %+v; want ranked", r)
	}
	f.must(host, Runoff{})
	if p := f.poll(); p.Method != vote.Ranked {
		t.Fatalf("runoff voted by %s; want ranked", p.Method)
	}
}
