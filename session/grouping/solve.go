package grouping

import (
	"math/rand/v2"
	"slices"
)

// Work is counted in evaluated swaps (each costs a few table look-ups), so
// the budget bounds time without reading a clock, and a seed always gives the
// same result.
const (
	// defaultBudget is about a second of search on a small machine; only
	// instances that are hard (or whose optimum is above the lower bound)
	// use all of it.
	defaultBudget = 20_000_000

	// maxPairEntries bounds the pairs tracked when counts are sparse; beyond
	// it Plan only shuffles (see solve).
	maxPairEntries = 1 << 26
)

// options tune solve; tests use them to look at parts of the algorithm.
type options struct {
	budget      int64 // evaluated swaps
	noConstruct bool  // skip the exact constructions
}

// result is what solve found.
type result struct {
	rounds     [][][]int
	repeats    int // new repeated pairs (Repeats of history+rounds less Repeats of history)
	lowerBound int // no schedule has fewer new repeats than this
	note       string
}

// solve plans R rounds of n people with the given group sizes (largest
// first), after history.
func solve(n int, sizes []int, R int, history [][][]int, seed int64, o options) result {
	rng := newRand(seed)
	hist := cleanHistory(n, history)
	G := len(sizes)
	lb := lowerBound(n, sizes, R, hist)

	if G == 1 {
		// Everyone together every round: each pair meets R more times, a
		// repeat each time but the first for pairs new to each other.
		rounds := make([][][]int, R)
		for r := range rounds {
			rounds[r] = [][]int{seq(0, n)}
		}
		met := map[[2]int]bool{}
		for _, round := range hist {
			for _, g := range round {
				for i, a := range g {
					for _, b := range g[i+1:] {
						met[[2]int{a, b}] = true
					}
				}
			}
		}
		res := sortRounds(rounds, lb)
		res.repeats = (R-1)*(n*(n-1)/2) + len(met)
		return res
	}

	var initial [][][]int
	k := sizes[0]
	if sizes[G-1] == k && !o.noConstruct {
		if cons, full := bestConstruction(n, k, R+len(hist)); len(cons) > 0 {
			label, rest := fitConstruction(n, k, cons, hist, rng)
			if label != nil {
				switch {
				case len(rest) >= R:
					return finishResult(relabel(rest[:R], label), hist, lb)
				case full:
					// Every pair has met once; keep cycling through the
					// design so that repeats stay spread out.
					cycle := append(relabel(rest, label), relabel(cons[:len(cons)-len(rest)], label)...)
					rounds := make([][][]int, R)
					for r := range rounds {
						rounds[r] = cycle[r%len(cycle)]
					}
					return finishResult(relabel(rounds, nil), hist, lb)
				default:
					initial = relabel(rest, label)
				}
			}
		}
	}

	if estimatePairs(n, sizes, R, hist) > maxPairEntries {
		// Too big to track who met whom: shuffle each round.
		rounds := make([][][]int, R)
		for r := range rounds {
			perm := rng.Perm(n)
			round, at := make([][]int, G), 0
			for g, s := range sizes {
				round[g] = perm[at : at+s]
				at += s
			}
			rounds[r] = round
		}
		res := sortRounds(relabel(rounds, nil), lb)
		res.note = "too many people and rounds to track who has met whom: groups were shuffled at random"
		return res
	}

	if initial == nil {
		return search(n, sizes, R, hist, nil, rng, o.budget, lb)
	}
	// A partial construction is a good start when it extends (32 people in
	// 4s for 11 rounds), but can also be a trap (28 people in 4s: the
	// people it leaves unmet cannot form groups of 4). Give half the
	// budget to each start.
	seeded := search(n, sizes, R, hist, initial, rng, o.budget/2, lb)
	if seeded.repeats <= lb {
		return seeded
	}
	if fresh := search(n, sizes, R, hist, nil, rng, o.budget/2, lb); fresh.repeats < seeded.repeats {
		return fresh
	}
	return seeded
}

// search runs the greedy start (after the given initial rounds) and the
// tabu search.
func search(n int, sizes []int, R int, hist, initial [][][]int, rng *rand.Rand, budget int64, lb int) result {
	p := newPlanner(n, sizes, R, rng)
	for _, round := range hist {
		for _, g := range round {
			p.addGroupPairs(g, 1)
		}
	}
	p.markHistory()
	for r := 0; r < R; r++ {
		if r < len(initial) {
			p.setRound(r, initial[r])
		} else {
			p.greedyRound(r)
		}
	}
	p.index()
	p.tabu(budget, p.baseRepeats+int64(lb))
	res := sortRounds(p.bestRounds(), lb)
	res.repeats = int(p.bestRepeats - p.baseRepeats)
	return res
}

// finishResult sorts the groups and packages a result, with the repeats
// counted after hist.
func finishResult(rounds [][][]int, hist [][][]int, lb int) result {
	res := sortRounds(rounds, lb)
	res.repeats = newRepeats(hist, rounds)
	return res
}

// sortRounds sorts each group, and the groups of each round by their
// smallest member.
func sortRounds(rounds [][][]int, lb int) result {
	for _, round := range rounds {
		for _, g := range round {
			slices.Sort(g)
		}
		slices.SortFunc(round, func(a, b []int) int {
			if len(a) == 0 || len(b) == 0 {
				return len(b) - len(a)
			}
			return a[0] - b[0]
		})
	}
	return result{rounds: rounds, lowerBound: lb}
}

// relabel copies rounds, mapping person x to label[x] (or x if label is nil).
func relabel(rounds [][][]int, label []int) [][][]int {
	out := make([][][]int, len(rounds))
	for r, round := range rounds {
		out[r] = make([][]int, len(round))
		for g, grp := range round {
			ng := make([]int, len(grp))
			for i, x := range grp {
				if label != nil {
					x = label[x]
				}
				ng[i] = x
			}
			out[r][g] = ng
		}
	}
	return out
}

// cleanHistory keeps, of each history group, the distinct people in 0..n-1,
// dropping groups left with fewer than two.
func cleanHistory(n int, history [][][]int) [][][]int {
	var out [][][]int
	for _, round := range history {
		var nr [][]int
		for _, g := range round {
			var ng []int
			for _, x := range g {
				if x >= 0 && x < n {
					ng = append(ng, x)
				}
			}
			slices.Sort(ng)
			ng = slices.Compact(ng)
			if len(ng) >= 2 {
				nr = append(nr, ng)
			}
		}
		if len(nr) > 0 {
			out = append(out, nr)
		}
	}
	return out
}

// fitConstruction decides whether a construction can be used after this
// history: with no history, under a random relabelling; after exactly one
// round that splits everyone into groups of k, with that round mapped onto
// the construction's first. It returns the labels and the rounds still to
// play, or nil.
func fitConstruction(n, k int, cons [][][]int, hist [][][]int, rng *rand.Rand) (label []int, rest [][][]int) {
	if len(hist) == 0 {
		return rng.Perm(n), cons
	}
	if len(hist) != 1 || len(hist[0]) != n/k {
		return nil, nil
	}
	seen := make([]bool, n)
	for _, g := range hist[0] {
		if len(g) != k {
			return nil, nil
		}
		for _, x := range g {
			if seen[x] {
				return nil, nil
			}
			seen[x] = true
		}
	}
	label = make([]int, n)
	order := rng.Perm(len(hist[0]))
	for gi, g := range cons[0] {
		hg := slices.Clone(hist[0][order[gi]])
		rng.Shuffle(len(hg), func(i, j int) { hg[i], hg[j] = hg[j], hg[i] })
		for i, x := range g {
			label[x] = hg[i]
		}
	}
	return label, cons[1:]
}

// newRand returns the generator for a seed: PCG, which gives the same
// numbers on every platform.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x636f6e76656e65))
}
