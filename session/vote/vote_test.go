package vote

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// bal builds ballots from specs like "A,B,C" (one ballot) or "5*B,C" (five
// identical ballots). "" is an empty ballot.
func bal(specs ...string) []Ballot {
	var out []Ballot
	for _, s := range specs {
		n := 1
		if i := strings.Index(s, "*"); i >= 0 {
			var err error
			if n, err = strconv.Atoi(s[:i]); err != nil {
				panic(s)
			}
			s = s[i+1:]
		}
		for range n {
			var b Ballot
			if s != "" {
				b = strings.Split(s, ",")
			}
			out = append(out, b)
		}
	}
	return out
}

// fmtTotals formats totals as "A:3 B:0", keys sorted.
func fmtTotals(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

// fmtRounds formats rounds as ["A:3 B:2 -> B", "A:5"].
func fmtRounds(rounds []Round) []string {
	var out []string
	for _, rd := range rounds {
		s := fmtTotals(rd.Totals)
		if rd.Eliminated != "" {
			s += " -> " + rd.Eliminated
		}
		out = append(out, s)
	}
	return out
}

// fmtTieBreak formats a round's tie-break as "tied B,C among B,C round 2",
// or "" when there is none.
func fmtTieBreak(tb *TieBreak) string {
	if tb == nil {
		return ""
	}
	return fmt.Sprintf("tied %s among %s round %d", strings.Join(tb.Tied, ","), strings.Join(tb.Among, ","), tb.Round)
}

// checkTieBreaks checks what every ranked round says about its elimination:
// a topic that alone had the fewest votes has no tie-break; otherwise the
// tie-break names exactly the topics tied for fewest, and what it says
// decided really separates the eliminated topic from the rest of Among.
func checkTieBreaks(t *testing.T, topics []string, rounds []Round) {
	t.Helper()
	for i, rd := range rounds {
		if rd.Eliminated == "" {
			if rd.TieBreak != nil {
				t.Errorf("round %d eliminated nobody but has tie-break %q", i+1, fmtTieBreak(rd.TieBreak))
			}
			continue
		}
		fewest := rd.Totals[rd.Eliminated]
		var tied []string
		for _, k := range topics {
			if n, ok := rd.Totals[k]; ok && n == fewest {
				tied = append(tied, k)
			}
		}
		tb := rd.TieBreak
		if len(tied) == 1 {
			if tb != nil {
				t.Errorf("round %d: %s alone had the fewest votes, but tie-break %q", i+1, rd.Eliminated, fmtTieBreak(tb))
			}
			continue
		}
		if tb == nil {
			t.Errorf("round %d: %q tied for fewest, but no tie-break recorded", i+1, tied)
			continue
		}
		if !slices.Equal(tb.Tied, tied) {
			t.Errorf("round %d: TieBreak.Tied = %q, want %q", i+1, tb.Tied, tied)
		}
		if len(tb.Among) < 2 || !slices.Contains(tb.Among, rd.Eliminated) {
			t.Errorf("round %d: TieBreak.Among = %q, want %s and at least one other", i+1, tb.Among, rd.Eliminated)
		}
		for _, k := range tb.Among {
			if !slices.Contains(tb.Tied, k) {
				t.Errorf("round %d: TieBreak.Among holds %s, which is not in Tied %q", i+1, k, tb.Tied)
			}
		}
		if tb.ByTopicOrder() != (tb.Round == 0) {
			t.Errorf("round %d: ByTopicOrder() = %v with Round %d", i+1, tb.ByTopicOrder(), tb.Round)
		}
		switch {
		case tb.Round < 0 || tb.Round > i:
			t.Errorf("round %d: TieBreak.Round = %d, want 0 or an earlier round", i+1, tb.Round)
		case tb.Round > 0:
			prev := rounds[tb.Round-1].Totals
			for _, k := range tb.Among {
				if k != rd.Eliminated && prev[k] <= prev[rd.Eliminated] {
					t.Errorf("round %d: round %d decided, but there %s had %d and %s %d", i+1, tb.Round, rd.Eliminated, prev[rd.Eliminated], k, prev[k])
				}
			}
		default:
			if last := tb.Among[len(tb.Among)-1]; last != rd.Eliminated {
				t.Errorf("round %d: topic order decided, but %s is last of %q, not %s", i+1, last, tb.Among, rd.Eliminated)
			}
			for j := range i {
				for _, k := range tb.Among {
					if rounds[j].Totals[k] != rounds[j].Totals[tb.Among[0]] {
						t.Errorf("round %d: topic order decided, but %q differ in round %d", i+1, tb.Among, j+1)
					}
				}
			}
		}
	}
}

func TestParseMethod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Method
		ok   bool
	}{
		{"dots", Dots, true},
		{"single", Single, true},
		{"ranked", Ranked, true},
		{" Ranked ", Ranked, true},
		{"DOTS", Dots, true},
		{"", "", false},
		{"approval", "", false},
	} {
		got, err := ParseMethod(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseMethod(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestDefaultRules(t *testing.T) {
	if got, want := DefaultRules(Dots), (Rules{Method: Dots, Dots: 3, MaxPerTopic: 2}); got != want {
		t.Errorf("DefaultRules(Dots) = %+v, want %+v", got, want)
	}
	if got := DefaultRules(Ranked); got.Method != Ranked {
		t.Errorf("DefaultRules(Ranked) = %+v, want method ranked", got)
	}
}

func TestCheck(t *testing.T) {
	dots := DefaultRules(Dots)
	topics := []string{"Parking", "Repairs", "Damp"}
	for _, tc := range []struct {
		name   string
		rules  Rules
		ballot Ballot
		topics []string
		want   string // "" means valid; otherwise the exact error
	}{
		{"dots ok", dots, Ballot{"Parking", "Parking", "Damp"}, topics, ""},
		{"dots fewer than allowed", dots, Ballot{"Damp"}, topics, ""},
		{"dots too many", dots, Ballot{"Parking", "Repairs", "Damp", "Damp"}, nil, "4 dots, but each person has 3"},
		{"dots over per-topic limit", dots, Ballot{"Damp", "Parking", "Damp", "Damp"}, nil, "4 dots, but each person has 3"},
		{"dots three on one", dots, Ballot{"Damp", "Damp", "Damp"}, nil, `3 dots on "Damp", but at most 2 may go on one topic`},
		{"dots custom rules", Rules{Method: Dots, Dots: 5, MaxPerTopic: 3}, Ballot{"A", "A", "A", "B", "B"}, nil, ""},
		{"dots custom too many", Rules{Method: Dots, Dots: 5, MaxPerTopic: 5}, Ballot{"A", "A", "A", "A", "A", "A"}, nil, "6 dots, but each person has 5"},
		{"dots custom per topic", Rules{Method: Dots, Dots: 5, MaxPerTopic: 1}, Ballot{"A", "B", "A"}, nil, `2 dots on "A", but at most 1 may go on one topic`},
		{"dots zero rules mean defaults", Rules{Method: Dots}, Ballot{"A", "B", "C", "D"}, nil, "4 dots, but each person has 3"},
		{"dots zero per topic means default", Rules{Method: Dots}, Ballot{"A", "A", "A"}, nil, `3 dots on "A", but at most 2 may go on one topic`},
		{"dots empty", dots, Ballot{}, nil, "no dots placed: put at least one dot on a topic"},
		{"dots nil", dots, nil, nil, "no dots placed: put at least one dot on a topic"},
		{"dots unknown topic", dots, Ballot{"Parking", "Bins"}, topics, `"Bins" is not one of the topics`},
		{"dots empty name", dots, Ballot{"Parking", " "}, nil, "choice 2 has no topic name"},
		{"single ok", DefaultRules(Single), Ballot{"Repairs"}, topics, ""},
		{"single two", DefaultRules(Single), Ballot{"Repairs", "Damp"}, topics, "2 topics chosen, but this vote takes exactly one"},
		{"single same twice", DefaultRules(Single), Ballot{"Damp", "Damp"}, topics, "2 topics chosen, but this vote takes exactly one"},
		{"single empty", DefaultRules(Single), Ballot{}, topics, "no topic chosen: choose one topic"},
		{"single empty name", DefaultRules(Single), Ballot{""}, nil, "the topic name is empty"},
		{"single unknown", DefaultRules(Single), Ballot{"Bins"}, topics, `"Bins" is not one of the topics`},
		{"single any topic when topics nil", DefaultRules(Single), Ballot{"Bins"}, nil, ""},
		{"ranked full", DefaultRules(Ranked), Ballot{"Damp", "Parking", "Repairs"}, topics, ""},
		{"ranked partial", DefaultRules(Ranked), Ballot{"Repairs"}, topics, ""},
		{"ranked repeat", DefaultRules(Ranked), Ballot{"Damp", "Parking", "Damp"}, topics, `"Damp" is ranked more than once`},
		{"ranked empty", DefaultRules(Ranked), Ballot{}, topics, "no topics ranked: rank at least one topic"},
		{"ranked empty name", DefaultRules(Ranked), Ballot{"Damp", ""}, nil, "choice 2 has no topic name"},
		{"ranked unknown", DefaultRules(Ranked), Ballot{"Damp", "Bins"}, topics, `"Bins" is not one of the topics`},
		{"ranked empty topic list", DefaultRules(Ranked), Ballot{"Damp"}, []string{}, `"Damp" is not one of the topics`},
		{"unknown method", Rules{Method: "approval"}, Ballot{"Damp"}, nil, `unknown voting method "approval"`},
		{"zero rules", Rules{}, Ballot{"Damp"}, nil, `unknown voting method ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rules.Check(tc.ballot, tc.topics)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Check(%q) = %q, want nil", tc.ballot, err)
			case tc.want != "" && err == nil:
				t.Errorf("Check(%q) = nil, want %q", tc.ballot, tc.want)
			case tc.want != "" && err.Error() != tc.want:
				t.Errorf("Check(%q) = %q, want %q", tc.ballot, err, tc.want)
			}
		})
	}
}

type countCase struct {
	name    string
	rules   Rules
	topics  []string
	ballots []Ballot
	winner  string
	tie     []string
	totals  string   // fmtTotals of Result.Totals
	rounds  []string // fmtRounds of Result.Rounds; nil for non-ranked
}

func runCountCases(t *testing.T, cases []countCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Count(tc.rules, tc.topics, tc.ballots)
			if res.Method != tc.rules.Method {
				t.Errorf("Method = %q, want %q", res.Method, tc.rules.Method)
			}
			if res.Winner != tc.winner {
				t.Errorf("Winner = %q, want %q", res.Winner, tc.winner)
			}
			if !slices.Equal(res.Tie, tc.tie) {
				t.Errorf("Tie = %q, want %q", res.Tie, tc.tie)
			}
			if got := fmtTotals(res.Totals); got != tc.totals {
				t.Errorf("Totals = %q, want %q", got, tc.totals)
			}
			if res.Totals == nil {
				t.Errorf("Totals is nil, want a map")
			}
			if got := fmtRounds(res.Rounds); !slices.Equal(got, tc.rounds) {
				t.Errorf("Rounds:\n got %q\nwant %q", got, tc.rounds)
			}
			checkTieBreaks(t, topicOrder(tc.topics, tc.ballots), res.Rounds)
			if tc.rules.Method == Ranked && len(res.Rounds) > 0 {
				if last := res.Rounds[len(res.Rounds)-1]; last.Eliminated != "" {
					t.Errorf("final round eliminated %q, want \"\"", last.Eliminated)
				}
			}
			if tc.winner != "" && len(res.Tie) > 0 {
				t.Errorf("both a winner and a tie")
			}
		})
	}
}

func TestCountDots(t *testing.T) {
	dots := DefaultRules(Dots)
	runCountCases(t, []countCase{
		{
			name:    "winner",
			rules:   dots,
			topics:  []string{"A", "B", "C"},
			ballots: bal("A,A,B", "A,C", "B,C,C", "A"),
			winner:  "A",
			totals:  "A:4 B:2 C:3",
		},
		{
			name:    "tie for the win",
			rules:   dots,
			topics:  []string{"C", "B", "A"},
			ballots: bal("A,A,B", "C,C"),
			tie:     []string{"A", "C"},
			totals:  "A:2 B:1 C:2",
		},
		{
			name:    "three-way tie",
			rules:   dots,
			ballots: bal("A,B,C", "C,B,A"),
			tie:     []string{"A", "B", "C"},
			totals:  "A:2 B:2 C:2",
		},
		{
			name:    "tie below the top is no tie",
			rules:   dots,
			ballots: bal("A,A,B", "A,C"),
			winner:  "A",
			totals:  "A:3 B:1 C:1",
		},
		{
			name:    "topics without votes are present",
			rules:   dots,
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("B"),
			winner:  "B",
			totals:  "A:0 B:1 C:0 D:0",
		},
		{
			name:    "nil topics are the keys seen",
			rules:   dots,
			ballots: bal("Zoning,Art", "Art"),
			winner:  "Art",
			totals:  "Art:2 Zoning:1",
		},
		{
			name:    "no ballots",
			rules:   dots,
			topics:  []string{"A", "B"},
			ballots: nil,
			totals:  "A:0 B:0",
		},
		{
			name:   "no ballots no topics",
			rules:  dots,
			totals: "",
		},
		{
			name:    "only empty ballots",
			rules:   dots,
			topics:  []string{"A", "B"},
			ballots: bal("2*"),
			totals:  "A:0 B:0",
		},
		{
			name:    "keys outside the topics are ignored",
			rules:   dots,
			topics:  []string{"A", "B"},
			ballots: bal("A,X,X", "B,B"),
			winner:  "B",
			totals:  "A:1 B:2",
		},
		{
			name:    "duplicate topics",
			rules:   dots,
			topics:  []string{"A", "B", "A"},
			ballots: bal("A,B,B"),
			winner:  "B",
			totals:  "A:1 B:2",
		},
	})
}

func TestCountSingle(t *testing.T) {
	single := DefaultRules(Single)
	runCountCases(t, []countCase{
		{
			name:    "winner",
			rules:   single,
			topics:  []string{"A", "B", "C"},
			ballots: bal("3*A", "2*B", "C"),
			winner:  "A",
			totals:  "A:3 B:2 C:1",
		},
		{
			name:    "tie",
			rules:   single,
			ballots: bal("2*B", "2*A", "C"),
			tie:     []string{"A", "B"},
			totals:  "A:2 B:2 C:1",
		},
		{
			name:    "one vote per ballot",
			rules:   single,
			topics:  []string{"A", "B"},
			ballots: bal("A,B,B", "A"),
			winner:  "A",
			totals:  "A:2 B:0",
		},
		{
			name:    "no ballots",
			rules:   single,
			topics:  []string{"A"},
			ballots: []Ballot{},
			totals:  "A:0",
		},
	})
}

func TestCountRanked(t *testing.T) {
	ranked := DefaultRules(Ranked)
	runCountCases(t, []countCase{
		{
			name:    "majority in the first round",
			rules:   ranked,
			topics:  []string{"A", "B", "C"},
			ballots: bal("3*A,B", "B,A", "C"),
			winner:  "A",
			totals:  "A:3 B:1 C:1",
			rounds:  []string{"A:3 B:1 C:1"},
		},
		{
			name:    "exactly half is not a majority",
			rules:   ranked,
			topics:  []string{"A", "B", "C"},
			ballots: bal("2*A", "B,C", "C,B"),
			// Round 1: A has 2 of 4, not more than half; B and C tie for
			// fewest with no earlier round, so C (last in topic order) goes.
			tie:    []string{"A", "B"},
			totals: "A:2 B:2 C:0",
			rounds: []string{"A:2 B:1 C:1 -> C", "A:2 B:2"},
		},
		{
			name:    "several rounds",
			rules:   ranked,
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("4*A,B", "3*B,C", "2*C,B", "D,C,B"),
			winner:  "B",
			totals:  "A:4 B:6 C:0 D:0",
			rounds: []string{
				"A:4 B:3 C:2 D:1 -> D",
				"A:4 B:3 C:3 -> C", // B and C tie; in round 1 C had fewer
				"A:4 B:6",
			},
		},
		{
			name:    "exhausted ballots are dropped from the majority",
			rules:   ranked,
			topics:  []string{"A", "B", "C"},
			ballots: bal("4*A", "3*B,A", "2*C"),
			// Round 2 counts 7 ballots (C's 2 are exhausted): A 4 of 7 wins,
			// though 4 is not a majority of all 9 ballots.
			winner: "A",
			totals: "A:4 B:3 C:0",
			rounds: []string{"A:4 B:3 C:2 -> C", "A:4 B:3"},
		},
		{
			name:    "exhausted ballots leave a tie",
			rules:   ranked,
			topics:  []string{"A", "B", "C"},
			ballots: bal("3*A", "2*B", "C,B", "2*C"),
			// B goes in round 1 and its 2 ballots are exhausted: 3-3 of 6.
			tie:    []string{"A", "C"},
			totals: "A:3 B:0 C:3",
			rounds: []string{"A:3 B:2 C:3 -> B", "A:3 C:3"},
		},
		{
			name:    "two topics tied at the end",
			rules:   ranked,
			topics:  []string{"A", "B", "C"},
			ballots: bal("2*A", "2*B", "C"),
			tie:     []string{"A", "B"},
			totals:  "A:2 B:2 C:0",
			rounds:  []string{"A:2 B:2 C:1 -> C", "A:2 B:2"},
		},
		{
			name:    "all tied in the first round",
			rules:   ranked,
			topics:  []string{"C", "B", "A"},
			ballots: bal("A,B", "B,C", "C,A"),
			tie:     []string{"A", "B", "C"},
			totals:  "A:1 B:1 C:1",
			rounds:  []string{"A:1 B:1 C:1"},
		},
		{
			name:    "majority in the first round despite unranked topics",
			rules:   ranked,
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("2*A", "B"),
			winner:  "A",
			totals:  "A:2 B:1 C:0 D:0",
			rounds:  []string{"A:2 B:1 C:0 D:0"},
		},
		{
			name:    "unranked topics are eliminated one a round",
			rules:   ranked,
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("A", "B"),
			tie:     []string{"A", "B"},
			totals:  "A:1 B:1 C:0 D:0",
			rounds:  []string{"A:1 B:1 C:0 D:0 -> D", "A:1 B:1 C:0 -> C", "A:1 B:1"},
		},
		{
			name:    "single topic",
			rules:   ranked,
			topics:  []string{"A"},
			ballots: bal("A"),
			winner:  "A",
			totals:  "A:1",
			rounds:  []string{"A:1"},
		},
		{
			name:    "no ballots",
			rules:   ranked,
			topics:  []string{"A", "B"},
			totals:  "A:0 B:0",
			rounds:  []string{"A:0 B:0"},
			ballots: nil,
		},
		{
			name:   "no ballots no topics",
			rules:  ranked,
			totals: "",
			rounds: []string{""},
		},
		{
			name:    "keys outside the topics are skipped",
			rules:   ranked,
			topics:  []string{"A", "B"},
			ballots: bal("X,B", "A", "X"),
			tie:     []string{"A", "B"},
			totals:  "A:1 B:1",
			rounds:  []string{"A:1 B:1"},
		},
	})
}

func TestRankedTieBreak(t *testing.T) {
	ranked := DefaultRules(Ranked)
	backward := bal("12*A", "5*B,C", "4*C", "2*D,B,C", "D,C", "2*E,C")
	choice := bal("3*A", "2*B,C", "2*C,B")
	runCountCases(t, []countCase{
		{
			// In round 3 B and C tie for fewest (7 each). The most recent
			// earlier round (2) had B 5 < C 6, so B goes, although in round 1
			// B had more (5 > 4): the rule looks back from the latest round.
			name:    "most recent earlier round decides",
			rules:   ranked,
			topics:  []string{"A", "B", "C", "D", "E"},
			ballots: backward,
			winner:  "C",
			totals:  "A:12 B:0 C:14 D:0 E:0",
			rounds: []string{
				"A:12 B:5 C:4 D:3 E:2 -> E",
				"A:12 B:5 C:6 D:3 -> D",
				"A:12 B:7 C:7 -> B",
				"A:12 C:14",
			},
		},
		{
			// Round 3: B and C tie at 5, and also tied in round 2 (4 each),
			// so round 1 decides: C had 3 < B 4.
			name:    "looks further back past equal rounds",
			rules:   ranked,
			topics:  []string{"A", "B", "C", "D", "E"},
			ballots: bal("10*A", "4*B", "3*C", "D,B", "D,C", "E,C"),
			winner:  "A",
			totals:  "A:10 B:5 C:0 D:0 E:0",
			rounds: []string{
				"A:10 B:4 C:3 D:2 E:1 -> E",
				"A:10 B:4 C:4 D:2 -> D",
				"A:10 B:5 C:5 -> C",
				"A:10 B:5",
			},
		},
		{
			// Round 2: B, C and D tie at 3; round 1 keeps B and C (2 each,
			// D had 3); they never differ, so C, later in topic order, goes.
			// Round 1 itself: B, C and E tie at 2 with no earlier round, so E.
			name:    "narrowed by earlier rounds then topic order",
			rules:   ranked,
			topics:  []string{"A", "B", "C", "D", "E"},
			ballots: bal("8*A", "2*B", "2*C", "3*D", "E,B", "E,C"),
			winner:  "A",
			totals:  "A:8 B:3 C:0 D:3 E:0",
			rounds: []string{
				"A:8 B:2 C:2 D:3 E:2 -> E",
				"A:8 B:3 C:3 D:3 -> C",
				"A:8 B:3 D:3",
			},
		},
		{
			name:    "topic order: last listed goes first",
			rules:   ranked,
			topics:  []string{"A", "B", "C"},
			ballots: choice,
			winner:  "B",
			totals:  "A:3 B:4 C:0",
			rounds:  []string{"A:3 B:2 C:2 -> C", "A:3 B:4"},
		},
		{
			name:    "topic order reversed",
			rules:   ranked,
			topics:  []string{"A", "C", "B"},
			ballots: choice,
			winner:  "C",
			totals:  "A:3 B:0 C:4",
			rounds:  []string{"A:3 B:2 C:2 -> B", "A:3 C:4"},
		},
		{
			name:    "nil topics: alphabetical order",
			rules:   ranked,
			ballots: bal("3*Middle", "2*Zoning,Art", "2*Art,Zoning"),
			winner:  "Art",
			totals:  "Art:4 Middle:3 Zoning:0",
			rounds:  []string{"Art:2 Middle:3 Zoning:2 -> Zoning", "Art:4 Middle:3"},
		},
	})
}

// TestTieBreakRecorded checks what each round records about how its
// elimination was decided: nothing when one topic alone had the fewest
// votes; otherwise the topics tied for fewest and what broke the tie.
func TestTieBreakRecorded(t *testing.T) {
	for _, tc := range []struct {
		name    string
		topics  []string
		ballots []Ballot
		want    []string // fmtTieBreak of each round
	}{
		{
			name:    "not tied",
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("4*A,B", "3*B,C", "2*C,B", "D,C,B"),
			// Round 2 is a tie (B and C at 3), but rounds 1 and 3 are not.
			want: []string{"", "tied B,C among B,C round 1", ""},
		},
		{
			name:    "no eliminations",
			topics:  []string{"A", "B", "C"},
			ballots: bal("3*A,B", "B,A", "C"),
			want:    []string{""},
		},
		{
			name:    "broken by the previous round",
			topics:  []string{"A", "B", "C", "D", "E"},
			ballots: bal("12*A", "5*B,C", "4*C", "2*D,B,C", "D,C", "2*E,C"),
			want:    []string{"", "", "tied B,C among B,C round 2", ""},
		},
		{
			name:    "broken by a round further back",
			topics:  []string{"A", "B", "C", "D", "E"},
			ballots: bal("10*A", "4*B", "3*C", "D,B", "D,C", "E,C"),
			// B and C tie in round 3 and in round 2; round 1 decides.
			want: []string{"", "", "tied B,C among B,C round 1", ""},
		},
		{
			name:    "narrowed by one round then broken by another",
			topics:  []string{"X", "B", "C", "D", "E", "F"},
			ballots: bal("15*X", "3*B", "4*C", "5*D", "E,B", "E,C", "F,B"),
			// Round 3: B, C and D at 5. Round 2 sets D apart (B 4, C 4,
			// D 5); round 1 decides between B and C (3 and 4).
			want: []string{"", "", "tied B,C,D among B,C round 1", ""},
		},
		{
			name:    "list order in the first round",
			topics:  []string{"A", "B", "C"},
			ballots: bal("3*A", "2*B,C", "2*C,B"),
			want:    []string{"tied B,C among B,C round 0", ""},
		},
		{
			name:    "list order follows the topics given",
			topics:  []string{"A", "C", "B"},
			ballots: bal("3*A", "2*B,C", "2*C,B"),
			want:    []string{"tied C,B among C,B round 0", ""},
		},
		{
			name:    "list order after equal earlier rounds",
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("3*A", "2*B", "2*C", "D"),
			// Round 2: B and C at 2, as in round 1: C is listed last.
			want: []string{"", "tied B,C among B,C round 0", ""},
		},
		{
			name:    "narrowed by an earlier round then list order",
			topics:  []string{"A", "B", "C", "D", "E"},
			ballots: bal("8*A", "2*B", "2*C", "3*D", "E,B", "E,C"),
			want: []string{
				"tied B,C,E among B,C,E round 0",
				"tied B,C,D among B,C round 0", // round 1 sets D apart
				"",
			},
		},
		{
			name:    "topics nobody ranked",
			topics:  []string{"A", "B", "C", "D"},
			ballots: bal("A", "B"),
			want:    []string{"tied C,D among C,D round 0", "", ""},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Count(DefaultRules(Ranked), tc.topics, tc.ballots)
			var got []string
			for _, rd := range res.Rounds {
				got = append(got, fmtTieBreak(rd.TieBreak))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("tie-breaks by round:\n got %q\nwant %q\n(rounds %q)", got, tc.want, fmtRounds(res.Rounds))
			}
			checkTieBreaks(t, tc.topics, res.Rounds)
		})
	}
}

func TestOrdered(t *testing.T) {
	dots := Count(DefaultRules(Dots), []string{"D", "C", "B", "A"}, bal("A,A,B", "C,C,B", "A"))
	if got, want := dots.Ordered(), []string{"A", "B", "C", "D"}; !slices.Equal(got, want) {
		t.Errorf("dots Ordered() = %q, want %q (totals %s)", got, want, fmtTotals(dots.Totals))
	}
	ranked := Count(DefaultRules(Ranked), []string{"A", "B", "C", "D", "E"},
		bal("12*A", "5*B,C", "4*C", "2*D,B,C", "D,C", "2*E,C"))
	// C wins, A is runner-up; then B, D and E in reverse order of elimination.
	if got, want := ranked.Ordered(), []string{"C", "A", "B", "D", "E"}; !slices.Equal(got, want) {
		t.Errorf("ranked Ordered() = %q, want %q (rounds %q)", got, want, fmtRounds(ranked.Rounds))
	}
	rd := ranked.Rounds[2]
	if got, want := rd.Ordered(), []string{"A", "B", "C"}; !slices.Equal(got, want) {
		t.Errorf("round 3 Ordered() = %q, want %q (totals %s)", got, want, fmtTotals(rd.Totals))
	}
	if got := (Result{}).Ordered(); len(got) != 0 {
		t.Errorf("empty Result Ordered() = %q, want empty", got)
	}
}

// TestDeterminism counts the same ballots many times, in different orders,
// and expects the very same result every time.
func TestDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	topics := []string{"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"}
	var ranked, dots []Ballot
	for range 40 {
		perm := rng.Perm(len(topics))
		n := 1 + rng.IntN(3) // short rankings: lots of ties and exhaustion
		var b Ballot
		for _, i := range perm[:n] {
			b = append(b, topics[i])
		}
		ranked = append(ranked, b)
		dots = append(dots, Ballot{topics[perm[0]], topics[perm[1]], topics[perm[0]]})
	}
	for _, tc := range []struct {
		name    string
		rules   Rules
		topics  []string
		ballots []Ballot
	}{
		{"ranked", DefaultRules(Ranked), topics, ranked},
		{"ranked nil topics", DefaultRules(Ranked), nil, ranked},
		{"ranked all tied", DefaultRules(Ranked), topics, bal("T1,T2", "T2,T3", "T3,T4", "T4,T5", "T5,T6", "T6,T7", "T7,T8", "T8,T1")},
		{"dots", DefaultRules(Dots), topics, dots},
		{"dots nil topics", DefaultRules(Dots), nil, dots},
		{"single", DefaultRules(Single), nil, bal("T1", "T2", "T3", "T1", "T2", "T3")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := Count(tc.rules, tc.topics, tc.ballots)
			if tc.rules.Method == Ranked && len(want.Rounds) < 2 && want.Winner != "" {
				t.Logf("only %d round(s); the test is weaker than intended", len(want.Rounds))
			}
			shuffled := slices.Clone(tc.ballots)
			for i := range 200 {
				got := Count(tc.rules, tc.topics, tc.ballots)
				if i == 0 {
					checkTieBreaks(t, topicOrder(tc.topics, tc.ballots), got.Rounds)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("run %d differs:\n got %+v\nwant %+v", i, got, want)
				}
				rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				got = Count(tc.rules, tc.topics, shuffled)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("run %d with shuffled ballots differs:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

func TestCountDoesNotModifyInput(t *testing.T) {
	topics := []string{"B", "A", "B"}
	ballots := bal("A,B", "B")
	Count(DefaultRules(Ranked), topics, ballots)
	Count(DefaultRules(Dots), nil, ballots)
	if !slices.Equal(topics, []string{"B", "A", "B"}) {
		t.Errorf("topics changed to %q", topics)
	}
	if !reflect.DeepEqual(ballots, bal("A,B", "B")) {
		t.Errorf("ballots changed to %q", ballots)
	}
}
