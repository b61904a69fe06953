// Package grouping splits the people of a meetup into small groups for
// networking rounds so that, round after round, people meet people they have
// not met yet. It is the social golfer problem: n people play in groups of a
// given size for several rounds, and no pair should share a group twice.
//
// The package is pure computation: no I/O, no clocks, no global state.
// People are numbered 0..n-1; callers map their own identities to numbers.
//
//   - [Sizes] chooses the group sizes for n people and a size range (14
//     people in groups of 3-4 become 4,4,3,3) and explains, in a short note
//     for the facilitator, when the range cannot be met.
//   - [Plan] returns further rounds (each round a list of groups, each group a
//     sorted list of person numbers) minimising the number of pairs who share
//     a group again, counting pairs who already met in earlier rounds.
//   - [Repeats] counts those repeated pairs in a list of rounds.
//   - [Place] picks the group a late joiner should go to.
//
// Plan is deterministic for a given seed: the same arguments always give the
// same schedule, on every machine, because its search is bounded by counted
// work, never by wall-clock time. It first tries exact constructions from
// design theory: round robin; resolvable transversal designs over finite
// fields, which include every affine geometry AG(d,q); and a doubling
// construction that solves the original 32-golfer problem for its full 10
// rounds. Otherwise a greedy start guided by the "freedom" of players
// (Triska and Musliu) is improved by a tabu search that swaps people
// between groups of one round (Dotú and Van Hentenryck). docs/grouping.md
// describes the algorithm, its sources, and which published instances it
// solves.
package grouping

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Sizes splits n people into groups whose sizes lie in [min,max] and differ
// by at most one (14 people in 3-4 give 4,4,3,3). Sizes are returned largest
// first. When several splits fit, the one with the most (smallest) groups is
// chosen: 12 people in 3-4 give 3,3,3,3, whose next round can mix everyone
// (with three groups of 4 it could not: some pair would meet again), and
// smaller groups give each person more time to talk.
//
// When the range cannot be met, Sizes returns the closest sensible split (no
// group further from the range than needed, no group of one when it can be
// avoided) and a short human-readable note saying why, meant for the
// facilitator: 2 people in 3-4 give one group of 2; 5 people in groups of 4
// give one group of 5. Otherwise note is "".
//
// Groups of one are avoided unless the range forces them (1-1; or 3 people
// in 1-2). n <= 0 gives no groups. A min below 1 counts as 1, and a max below min counts as
// min (with a note).
func Sizes(n, min, max int) (sizes []int, note string) {
	if n <= 0 {
		return nil, ""
	}
	var notes []string
	if min < 1 {
		min = 1
	}
	if max < min {
		notes = append(notes, fmt.Sprintf("group size range %d-%d is empty; using groups of %d", min, max, min))
		max = min
	}
	// Feasible: the most groups whose even split fits the range, with no
	// groups of one if possible; else (groups of one allowed and needed)
	// the fewest groups.
	fits := func(g int) bool { return (n+g-1)/g <= max && n/g >= min }
	for g := n / maxInt(min, 2); g >= 1 && g >= (n+max-1)/max; g-- {
		if fits(g) {
			return evenSplit(n, g), strings.Join(notes, "; ")
		}
	}
	for g := (n + max - 1) / max; g <= n/min; g++ {
		if fits(g) {
			return evenSplit(n, g), strings.Join(notes, "; ")
		}
	}
	// Infeasible: rank each even split by how far it strays from the range.
	type rank struct{ maxDev, singles, totalDev int }
	worse := func(a, b rank) bool {
		if a.maxDev != b.maxDev {
			return a.maxDev > b.maxDev
		}
		if a.singles != b.singles {
			return a.singles > b.singles
		}
		return a.totalDev > b.totalDev
	}
	bestG, best := 0, rank{}
	for g := 1; g <= n; g++ {
		// n/g+1 for n%g groups, n/g for the others.
		var r rank
		for _, part := range [2][2]int{{n / g, g - n%g}, {n/g + 1, n % g}} {
			s, count := part[0], part[1]
			if count == 0 {
				continue
			}
			d := 0
			if s < min {
				d = min - s
			} else if s > max {
				d = s - max
			}
			r.maxDev = maxInt(r.maxDev, d)
			r.totalDev += d * count
			if s == 1 {
				r.singles += count
			}
		}
		// Ties go to more, smaller groups: a group one short of the range
		// suits a conversation better than one too many.
		if bestG == 0 || !worse(r, best) {
			bestG, best = g, r
		}
	}
	sizes = evenSplit(n, bestG)
	want := fmt.Sprintf("%d-%d", min, max)
	if min == max {
		want = fmt.Sprint(min)
	}
	switch {
	case n == 1:
		notes = append(notes, "only 1 person: a group of 1")
	case n < min:
		notes = append(notes, fmt.Sprintf("only %d people, fewer than the smallest group size %d: one group of %d", n, min, n))
	default:
		notes = append(notes, fmt.Sprintf("%d people cannot all be in groups of %s: using %s", n, want, describeSizes(sizes)))
	}
	return sizes, strings.Join(notes, "; ")
}

// evenSplit splits n into g sizes differing by at most one, largest first.
func evenSplit(n, g int) []int {
	sizes := make([]int, g)
	for i := range sizes {
		sizes[i] = n / g
		if i < n%g {
			sizes[i]++
		}
	}
	return sizes
}

// describeSizes says "1 group of 5" or "2 groups of 4 and 1 group of 3".
func describeSizes(sizes []int) string {
	counts := map[int]int{}
	for _, s := range sizes {
		counts[s]++
	}
	keys := slices.Sorted(maps.Keys(counts))
	slices.Reverse(keys)
	var parts []string
	for _, s := range keys {
		c := counts[s]
		word := "groups"
		if c == 1 {
			word = "group"
		}
		parts = append(parts, fmt.Sprintf("%d %s of %d", c, word, s))
	}
	return strings.Join(parts, " and ")
}

// Plan returns rounds further rounds for people 0..n-1: each round is a list
// of groups, each group a sorted list of person numbers, every person in
// exactly one group per round, with the group sizes of [Sizes](n, min, max).
// Groups within a round are ordered by their smallest member.
//
// Plan minimises the number of pairs who share a group again (as counted by
// [Repeats] over history followed by the planned rounds, less those already
// repeated within history), and, among schedules with equally few repeats,
// avoids pairs meeting a third time. history holds earlier rounds of the same
// meetup in the same numbering; it may be nil, and may mention only some of
// the people; numbers outside 0..n-1 are ignored (people who left).
//
// Where a schedule with no repeated pair is known by construction it is
// returned directly; otherwise a greedy start is improved by a tabu search
// within a fixed budget of counted work, so Plan is deterministic for a seed
// and different seeds usually give different schedules. For meetup sizes it
// returns in milliseconds; the hardest instances use up to about a second.
//
// note repeats the Sizes note, if any, and says how many pairs meet again
// when some do (and whether that many was unavoidable). rounds < 1 gives no
// rounds; n <= 0 gives rounds empty rounds.
func Plan(n, min, max, rounds int, history [][][]int, seed int64) (planned [][][]int, note string) {
	return plan(n, min, max, rounds, history, seed, options{budget: defaultBudget})
}

func plan(n, min, max, rounds int, history [][][]int, seed int64, o options) ([][][]int, string) {
	if rounds < 1 {
		return nil, ""
	}
	planned := make([][][]int, rounds)
	if n <= 0 {
		for r := range planned {
			planned[r] = [][]int{}
		}
		return planned, ""
	}
	sizes, sizeNote := Sizes(n, min, max)
	res := solve(n, sizes, rounds, history, seed, o)
	notes := []string{}
	if sizeNote != "" {
		notes = append(notes, sizeNote)
	}
	if res.note != "" {
		notes = append(notes, res.note)
	}
	if res.repeats > 0 {
		pairs := "pairs meet"
		if res.repeats == 1 {
			pairs = "pair meets"
		}
		why := "the fewest found"
		if res.repeats <= res.lowerBound {
			why = "unavoidable with this many people and rounds"
		}
		notes = append(notes, fmt.Sprintf("%d %s again (%s)", res.repeats, pairs, why))
	}
	return res.rounds, strings.Join(notes, "; ")
}

// Repeats counts every pair that shares a group again after sharing one
// before, across the rounds given in order: a pair who meet k times count
// k-1. Person numbers may be any ints; a number listed twice in one group
// counts once there.
func Repeats(rounds [][][]int) int {
	type pair struct{ a, b int }
	seen := map[pair]int{}
	repeats := 0
	for _, round := range rounds {
		for _, group := range round {
			g := slices.Clone(group)
			slices.Sort(g)
			g = slices.Compact(g)
			for i := range g {
				for j := i + 1; j < len(g); j++ {
					p := pair{g[i], g[j]}
					if seen[p] > 0 {
						repeats++
					}
					seen[p]++
				}
			}
		}
	}
	return repeats
}

// Place returns the index of the group a late joiner should join: the
// smallest group, the lowest index among equally small ones. It returns -1
// when there are no groups.
func Place(groups [][]int) int {
	best := -1
	for i, g := range groups {
		if best < 0 || len(g) < len(groups[best]) {
			best = i
		}
	}
	return best
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
