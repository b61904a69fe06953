// Package vote checks and counts the ballots of a topic vote. It is pure Go
// with no I/O: the live vote in a meetup and the offline `convene tally`
// command both use it.
//
// # Methods
//
//   - [Dots]: each person has Rules.Dots dots (default 3) to spread over the
//     topics, at most Rules.MaxPerTopic (default 2) on one topic. A ballot lists
//     one topic key per dot, so a key may repeat. The topic with the most dots
//     wins.
//   - [Single]: each person picks exactly one topic. The topic with the most
//     votes wins.
//   - [Ranked]: each person ranks topics in order of preference (all of them
//     or only some, no repeats), and the ballots are counted by instant runoff.
//
// For dots and single, equal highest totals are a tie: the Result has no
// Winner and lists the tied topics in Tie. With no votes at all there is no
// winner and no tie.
//
// # Instant runoff
//
// Every round counts each ballot for its highest-ranked topic still in the
// race; a ballot whose ranked topics have all been eliminated is exhausted and
// is not counted. A topic with a strict majority of the ballots counted in
// that round (more than half) wins. Otherwise, if every topic still in the
// race has the same number of votes, the vote ends in a tie among them.
// Otherwise the topic with the fewest votes is eliminated and the next round
// begins.
//
// When several topics share the fewest votes, the one to eliminate is chosen
// by backward tie-breaking, so that the result never depends on map order:
//
//  1. Look at the previous round; of the tied topics, keep only those with
//     the fewest votes in that round.
//  2. If more than one is left, do the same with the round before that, and
//     so on back to the first round (the first preferences).
//  3. If more than one is still left, eliminate the one that comes last in
//     topic order: the order of the topics passed to [Count], or
//     alphabetical (byte) order of the keys when Count was given nil topics.
//
// Result.Rounds records every round in order, with the votes of the topics
// still in the race and the topic eliminated at the end of it; the final
// round has Eliminated "". When the elimination was decided by a tie-break,
// the round's TieBreak says which topics were tied and what decided: an
// earlier round, or topic order.
//
// # Use
//
// Check each ballot with [Rules.Check] as it is cast, then [Count] the valid
// ones. Count does not reject anything: it ignores keys that are not among
// the topics, counts only the first key of a single-choice ballot, and
// skips repeated keys in a ranking.
package vote

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Method is a way of voting.
type Method string

// The voting methods.
const (
	Dots   Method = "dots"   // dot voting: several dots each, limited per topic
	Single Method = "single" // one choice each; most votes wins
	Ranked Method = "ranked" // ranked preferences, counted by instant runoff
)

// Default dot-voting allowances, used by [DefaultRules] and whenever
// Rules.Dots or Rules.MaxPerTopic is zero or negative.
const (
	DefaultDots        = 3
	DefaultMaxPerTopic = 2
)

// ParseMethod parses a method name ("dots", "single" or "ranked"), ignoring
// case and surrounding spaces.
func ParseMethod(s string) (Method, error) {
	switch m := Method(strings.ToLower(strings.TrimSpace(s))); m {
	case Dots, Single, Ranked:
		return m, nil
	}
	return "", fmt.Errorf("unknown voting method %q: choose dots, single or ranked", s)
}

// Valid reports whether m is one of the known methods.
func (m Method) Valid() bool {
	return m == Dots || m == Single || m == Ranked
}

// Rules are the rules of one vote. Dots and MaxPerTopic apply to the Dots
// method only: each person has Dots dots, at most MaxPerTopic of them on one
// topic. A zero (or negative) Dots or MaxPerTopic means the default (3 and 2).
type Rules struct {
	Method      Method
	Dots        int
	MaxPerTopic int
}

// DefaultRules returns the default rules for method m: for dots, 3 dots each
// and at most 2 on one topic.
func DefaultRules(m Method) Rules {
	r := Rules{Method: m}
	if m == Dots {
		r.Dots = DefaultDots
		r.MaxPerTopic = DefaultMaxPerTopic
	}
	return r
}

// dots returns the effective number of dots per person.
func (r Rules) dots() int {
	if r.Dots <= 0 {
		return DefaultDots
	}
	return r.Dots
}

// maxPerTopic returns the effective limit of dots on one topic.
func (r Rules) maxPerTopic() int {
	if r.MaxPerTopic <= 0 {
		return DefaultMaxPerTopic
	}
	return r.MaxPerTopic
}

// A Ballot lists topic keys: for dots one key per dot (a key may repeat), for
// single exactly one key, for ranked the keys in order of preference (no
// repeats; it may rank only some topics).
type Ballot []string

// Check reports why ballot b breaks the rules, or nil if it keeps them. When
// topics is non-nil, every key must be one of topics. The error is a short
// sentence, without a capital or final stop, suitable to show to a voter, for
// example "4 dots, but each person has 3".
func (r Rules) Check(b Ballot, topics []string) error {
	if !r.Method.Valid() {
		return fmt.Errorf("unknown voting method %q", string(r.Method))
	}
	if len(b) == 0 {
		switch r.Method {
		case Dots:
			return errors.New("no dots placed: put at least one dot on a topic")
		case Single:
			return errors.New("no topic chosen: choose one topic")
		default:
			return errors.New("no topics ranked: rank at least one topic")
		}
	}
	if r.Method == Single && len(b) > 1 {
		return fmt.Errorf("%d topics chosen, but this vote takes exactly one", len(b))
	}
	for i, k := range b {
		if strings.TrimSpace(k) == "" {
			if len(b) == 1 {
				return errors.New("the topic name is empty")
			}
			return fmt.Errorf("choice %d has no topic name", i+1)
		}
	}
	if topics != nil {
		for _, k := range b {
			if !slices.Contains(topics, k) {
				return fmt.Errorf("%q is not one of the topics", k)
			}
		}
	}
	switch r.Method {
	case Dots:
		if n, max := len(b), r.dots(); n > max {
			return fmt.Errorf("%s, but each person has %d", plural(n, "dot"), max)
		}
		perTopic := make(map[string]int, len(b))
		limit := r.maxPerTopic()
		for _, k := range b {
			perTopic[k]++
			if perTopic[k] > limit {
				n := 0
				for _, k2 := range b {
					if k2 == k {
						n++
					}
				}
				return fmt.Errorf("%s on %q, but at most %d may go on one topic", plural(n, "dot"), k, limit)
			}
		}
	case Ranked:
		seen := make(map[string]bool, len(b))
		for _, k := range b {
			if seen[k] {
				return fmt.Errorf("%q is ranked more than once", k)
			}
			seen[k] = true
		}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// A Round is one round of an instant-runoff count.
type Round struct {
	// Totals holds the votes of every topic still in the race in this round
	// (topics eliminated in earlier rounds are absent). Its sum is the number
	// of ballots not yet exhausted.
	Totals map[string]int
	// Eliminated is the topic eliminated at the end of this round, or "" in
	// the final round.
	Eliminated string
	// TieBreak says how Eliminated was chosen when several topics were tied
	// for the fewest votes in this round. It is nil when Eliminated alone had
	// the fewest votes, and in the final round.
	TieBreak *TieBreak
}

// A TieBreak records how the topic eliminated at the end of an
// instant-runoff round was chosen from several topics tied for the fewest
// votes, by backward tie-breaking (see the package documentation).
//
// When Round is not 0, an earlier round decided: in round Round the
// eliminated topic had fewer votes than each of the other topics in Among.
// When Round is 0, no earlier round separated the topics in Among (they had
// the same votes in every earlier round, or this is the first round), and
// the eliminated topic is the last of Among in topic order.
type TieBreak struct {
	// Tied lists every topic with the fewest votes in the round, the
	// eliminated one included, in topic order. It has at least two topics.
	Tied []string
	// Among lists, in topic order, the topics still tied when the decision
	// was made: Tied less any that a more recent earlier round had already
	// set apart by giving them more votes than the rest. It holds the
	// eliminated topic and at least one other, and equals Tied unless an
	// earlier round narrowed the tie without deciding it.
	Among []string
	// Round is the earlier round, counting from 1, that decided, or 0 when
	// topic order decided.
	Round int
}

// ByTopicOrder reports whether topic order, the last resort, decided the
// tie-break rather than an earlier round.
func (tb TieBreak) ByTopicOrder() bool {
	return tb.Round == 0
}

// Ordered returns the topics of the round by votes, most first, then by name.
func (rd Round) Ordered() []string {
	keys := make([]string, 0, len(rd.Totals))
	for k := range rd.Totals {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(rd.Totals[b], rd.Totals[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

// Result is the outcome of a count.
type Result struct {
	Method Method
	// Winner is the winning topic, or "" when tied or when there were no votes.
	Winner string
	// Tie lists the topics tied for the win, sorted by name; it is empty
	// unless the vote ended in a tie.
	Tie []string
	// Totals holds the final-round count of every known topic (0 for a topic
	// with no votes or one eliminated in an instant runoff).
	Totals map[string]int
	// Rounds holds, for ranked votes only, every instant-runoff round in
	// order; it always has at least one round. It is nil for other methods.
	Rounds []Round
}

// Ordered returns the topics of the result for a bar chart: by final total,
// highest first; for ranked votes, topics eliminated later before topics
// eliminated earlier; then by name.
func (r Result) Ordered() []string {
	elimRound := make(map[string]int)
	for i, rd := range r.Rounds {
		if rd.Eliminated != "" {
			elimRound[rd.Eliminated] = i + 1
		}
	}
	stage := func(k string) int { // higher means stayed in the race longer
		if n, ok := elimRound[k]; ok {
			return n
		}
		return len(r.Rounds) + 1
	}
	keys := make([]string, 0, len(r.Totals))
	for k := range r.Totals {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(r.Totals[b], r.Totals[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(stage(b), stage(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

// Count counts ballots, which should already have passed [Rules.Check], over
// the given topics. With nil topics, the topics are the keys seen in the
// ballots, in alphabetical (byte) order. Duplicate topics are ignored. Ranked
// votes are counted by instant runoff; any other method adds one vote per key
// (dots), except that only the first key of a Single ballot counts. The
// result depends only on its arguments, never on map iteration order or on
// the order of the ballots.
func Count(r Rules, topics []string, ballots []Ballot) Result {
	order := topicOrder(topics, ballots)
	res := Result{Method: r.Method}
	if r.Method == Ranked {
		res = countRanked(order, ballots)
	} else {
		res.Totals = countPlurality(r.Method, order, ballots)
		res.Winner, res.Tie = highest(order, res.Totals)
	}
	res.Method = r.Method
	return res
}

// topicOrder returns the topics without duplicates, or, for nil topics, the
// sorted keys seen in ballots.
func topicOrder(topics []string, ballots []Ballot) []string {
	var order []string
	seen := make(map[string]bool)
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	if topics != nil {
		for _, t := range topics {
			add(t)
		}
		return order
	}
	for _, b := range ballots {
		for _, k := range b {
			add(k)
		}
	}
	slices.Sort(order)
	return order
}

// countPlurality counts dots (one per key) or single choices (the first key
// of each ballot).
func countPlurality(m Method, order []string, ballots []Ballot) map[string]int {
	totals := make(map[string]int, len(order))
	for _, t := range order {
		totals[t] = 0
	}
	for _, b := range ballots {
		if m == Single && len(b) > 1 {
			b = b[:1]
		}
		for _, k := range b {
			if _, ok := totals[k]; ok {
				totals[k]++
			}
		}
	}
	return totals
}

// highest returns the topic with the highest total, or the sorted topics
// tied for it. With no votes at all there is neither.
func highest(order []string, totals map[string]int) (winner string, tie []string) {
	best := 0
	var top []string
	for _, t := range order {
		switch n := totals[t]; {
		case n > best:
			best, top = n, []string{t}
		case n == best && n > 0:
			top = append(top, t)
		}
	}
	switch len(top) {
	case 0:
		return "", nil
	case 1:
		return top[0], nil
	}
	slices.Sort(top)
	return "", top
}

// countRanked runs an instant runoff; see the package documentation.
func countRanked(order []string, ballots []Ballot) Result {
	inRace := make(map[string]bool, len(order))
	for _, t := range order {
		inRace[t] = true
	}
	res := Result{Method: Ranked}
	for {
		remaining := make([]string, 0, len(order))
		for _, t := range order {
			if inRace[t] {
				remaining = append(remaining, t)
			}
		}
		totals := make(map[string]int, len(remaining))
		for _, t := range remaining {
			totals[t] = 0
		}
		active := 0
		for _, b := range ballots {
			for _, k := range b {
				if inRace[k] {
					totals[k]++
					active++
					break
				}
			}
		}
		res.Rounds = append(res.Rounds, Round{Totals: totals})
		if active == 0 {
			break // no votes at all: no winner, no tie
		}
		most, fewest := totals[remaining[0]], totals[remaining[0]]
		for _, t := range remaining {
			most = max(most, totals[t])
			fewest = min(fewest, totals[t])
		}
		if 2*most > active {
			for _, t := range remaining {
				if totals[t] == most {
					res.Winner = t
				}
			}
			break
		}
		if most == fewest {
			res.Tie = slices.Clone(remaining)
			slices.Sort(res.Tie)
			break
		}
		var candidates []string
		for _, t := range remaining {
			if totals[t] == fewest {
				candidates = append(candidates, t)
			}
		}
		out, tb := breakTie(candidates, res.Rounds)
		res.Rounds[len(res.Rounds)-1].Eliminated = out
		res.Rounds[len(res.Rounds)-1].TieBreak = tb
		inRace[out] = false
	}
	res.Totals = make(map[string]int, len(order))
	for _, t := range order {
		res.Totals[t] = 0
	}
	for t, n := range res.Rounds[len(res.Rounds)-1].Totals {
		res.Totals[t] = n
	}
	return res
}

// breakTie chooses which of candidates (tied for fewest votes in the last of
// rounds, and listed in topic order) to eliminate: the one with fewest votes
// in the most recent earlier round where they differ, else the last in topic
// order. It also returns how the tie was broken, or nil when there was only
// one candidate.
func breakTie(candidates []string, rounds []Round) (string, *TieBreak) {
	if len(candidates) == 1 {
		return candidates[0], nil
	}
	tb := &TieBreak{Tied: candidates}
	for i := len(rounds) - 2; i >= 0 && len(candidates) > 1; i-- {
		totals := rounds[i].Totals
		fewest := totals[candidates[0]]
		for _, t := range candidates {
			fewest = min(fewest, totals[t])
		}
		kept := candidates[:0:0]
		for _, t := range candidates {
			if totals[t] == fewest {
				kept = append(kept, t)
			}
		}
		if len(kept) == 1 {
			tb.Among, tb.Round = slices.Clone(candidates), i+1
		}
		candidates = kept
	}
	if tb.Round == 0 {
		tb.Among = slices.Clone(candidates)
	}
	return candidates[len(candidates)-1], tb
}
