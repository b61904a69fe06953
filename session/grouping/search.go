package grouping

import (
	"math/bits"
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

	// denseLimit is the largest n whose pair counts live in an n*n table;
	// beyond it they live in a hash table.
	denseLimit = 1500

	// pairGreedyLimit is the largest n for the freedom-guided greedy start,
	// which chooses people two at a time (cubic in n per round).
	pairGreedyLimit = 128

	// scanGroupsLimit bounds how many other groups the tabu search tries
	// for one person per step when there are very many groups.
	scanGroupsLimit = 256

	// candidateLimit bounds how many people in conflict one tabu step
	// examines; beyond it a random sample is examined.
	candidateLimit = 128

	// maxPairEntries bounds the pairs tracked when counts are sparse; beyond
	// it Plan only shuffles (see solve).
	maxPairEntries = 1 << 26
)

// costW weighs one repeated pair in the search's objective. Below it, a
// pair meeting a third time (or more) adds a little, so that among
// schedules with equally few repeats the search prefers spread-out ones.
const costW = int64(1) << 32

// marginal is the cost of one more meeting of a pair who met m times.
func marginal(m int32) int64 {
	if m <= 0 {
		return 0
	}
	return costW + int64(m-1)
}

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

// newRepeats counts the repeated pairs of rounds played after hist, less
// those already repeated within hist: Repeats(hist+rounds) - Repeats(hist),
// for people numbered 0..n-1, with the planner's pair tables.
func newRepeats(hist, rounds [][][]int) int {
	n := 0
	for _, r := range rounds {
		for _, g := range r {
			n += len(g)
		}
		break
	}
	if n == 0 {
		return 0
	}
	p := &planner{n: n}
	if n <= denseLimit {
		p.dense = make([]int32, n*n)
	} else {
		pairs := 0
		for _, r := range rounds {
			for _, g := range r {
				pairs += len(g) * (len(g) - 1) / 2
			}
		}
		p.sparse = newPairTable(pairs)
	}
	for _, r := range hist {
		for _, g := range r {
			p.addGroupPairs(g, 1)
		}
	}
	base := p.repeats
	for _, r := range rounds {
		for _, g := range r {
			p.addGroupPairs(g, 1)
		}
	}
	return int(p.repeats - base)
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

// lowerBound returns a number of new repeats that no schedule can beat:
// each person meets at least R*(smallest size - 1) people in the new rounds,
// and can meet for the first time only those they have not met yet; and all
// the pairs of the new rounds together can be new only as far as unmet
// pairs remain.
func lowerBound(n int, sizes []int, R int, hist [][][]int) int {
	met := make([]map[int]bool, n)
	unmet := n * (n - 1) / 2
	for _, round := range hist {
		for _, g := range round {
			for i, a := range g {
				for _, b := range g[i+1:] {
					if met[a] == nil {
						met[a] = map[int]bool{}
					}
					if met[b] == nil {
						met[b] = map[int]bool{}
					}
					if !met[a][b] {
						met[a][b], met[b][a] = true, true
						unmet--
					}
				}
			}
		}
	}
	smin := sizes[len(sizes)-1]
	tmin := R * (smin - 1)
	total := 0 // person-meetings over the new rounds
	for _, s := range sizes {
		total += R * s * (s - 1)
	}
	extra := total - n*tmin // meetings beyond each person's minimum
	short, slack := 0, 0
	for i := 0; i < n; i++ {
		avail := n - 1 - len(met[i])
		if tmin > avail {
			short += tmin - avail
		} else {
			slack += min(avail-tmin, R*(sizes[0]-smin))
		}
	}
	if extra > slack {
		short += extra - slack
	}
	lb := (short + 1) / 2
	if d := total/2 - unmet; d > lb {
		lb = d
	}
	return lb
}

func estimatePairs(n int, sizes []int, R int, hist [][][]int) int {
	if n <= denseLimit {
		return 0
	}
	pairs := 0
	for _, s := range sizes {
		pairs += s * (s - 1) / 2
	}
	pairs *= R
	for _, round := range hist {
		for _, g := range round {
			pairs += len(g) * (len(g) - 1) / 2
		}
	}
	return pairs
}

// planner is the search state. Person p's group in round r is grp[r*n+p];
// the members of group g in round r are mem[r*G+g]. Pair counts include
// history and every planned round.
type planner struct {
	n, R, G int
	sizes   []int
	rng     *rand.Rand

	dense  []int32
	sparse *pairTable

	grp []int32
	mem [][]int32

	// conf[r*n+p] counts p's group-mates in round r whom p meets more than
	// once in all; cset lists the (r*n+p) with conf > 0, cpos indexes it.
	conf []int32
	cset []int32
	cpos []int32

	repeats, sec         int64 // over all pairs, history included
	baseRepeats, baseSec int64 // of history alone

	met [][]uint64 // pair greedy: met[p] has bit q when p has met q (and p itself)

	tabuG []int32
	tabuT []int64

	sample   []int32
	remStamp []int64 // remCache[r*n+p], valid in step remStamp: cost of p leaving its group
	remCache []int64

	bestGrp     []int32
	bestCost    int64
	bestRepeats int64
	evals       int64
}

func newPlanner(n int, sizes []int, R int, rng *rand.Rand) *planner {
	G := len(sizes)
	p := &planner{
		n: n, R: R, G: G, sizes: sizes, rng: rng,
		grp: make([]int32, R*n),
		mem: make([][]int32, R*G),
	}
	if n <= denseLimit {
		p.dense = make([]int32, n*n)
	} else {
		p.sparse = newPairTable(estimatePairs(n, sizes, R, nil))
	}
	if n <= pairGreedyLimit {
		words := (n + 63) / 64
		p.met = make([][]uint64, n)
		for i := range p.met {
			p.met[i] = make([]uint64, words)
			p.met[i][i/64] |= 1 << (i % 64)
		}
	}
	return p
}

func (p *planner) meet(a, b int32) int32 {
	if p.dense != nil {
		return p.dense[int(a)*p.n+int(b)]
	}
	return p.sparse.get(p.pairKey(a, b))
}

func (p *planner) pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)*uint64(p.n) + uint64(b) + 1
}

// bump adds d (+1 or -1) to the meetings of a and b, keeping repeats and
// sec, and returns the new count.
func (p *planner) bump(a, b int32, d int32) int32 {
	var v int32
	if p.dense != nil {
		v = p.dense[int(a)*p.n+int(b)] + d
		p.dense[int(a)*p.n+int(b)] = v
		p.dense[int(b)*p.n+int(a)] = v
	} else {
		v = p.sparse.add(p.pairKey(a, b), d)
	}
	if d > 0 {
		if v >= 2 {
			p.repeats++
			p.sec += int64(v - 2)
		}
	} else if v >= 1 {
		p.repeats--
		p.sec -= int64(v - 1)
	}
	if p.met != nil && v > 0 {
		p.met[a][b/64] |= 1 << (b % 64)
		p.met[b][a/64] |= 1 << (a % 64)
	}
	return v
}

func (p *planner) addGroupPairs(g []int, d int32) {
	for i, a := range g {
		for _, b := range g[i+1:] {
			p.bump(int32(a), int32(b), d)
		}
	}
}

func (p *planner) markHistory() {
	p.baseRepeats, p.baseSec = p.repeats, p.sec
}

// setRound places round r as given.
func (p *planner) setRound(r int, groups [][]int) {
	for g, members := range groups {
		m := make([]int32, len(members))
		for i, x := range members {
			m[i] = int32(x)
			p.grp[r*p.n+x] = int32(g)
		}
		p.mem[r*p.G+g] = m
		p.addGroupPairs(members, 1)
	}
}

// greedyRound builds round r from the pair counts so far and counts it.
func (p *planner) greedyRound(r int) {
	var groups [][]int
	if p.met != nil {
		groups = p.greedyFreedom()
	} else {
		groups = p.greedyScan()
	}
	p.setRound(r, groups)
}

// greedyFreedom fills the groups one after another, choosing two people at a
// time (one when a single place is left): first those who add the fewest
// meetings already had, then those leaving the group's "freedom" largest,
// the number of people none of its members has met yet (Triska and
// Musliu's heuristic). Ties are broken at random.
func (p *planner) greedyFreedom() [][]int {
	n := p.n
	words := len(p.met[0])
	free := p.rng.Perm(n)
	groups := make([][]int, p.G)
	union := make([]uint64, words)
	for g, size := range p.sizes {
		members := make([]int, 0, size)
		clear(union)
		for len(members) < size {
			// cost of adding x: meetings with current members.
			costOf := func(x int) int {
				c := 0
				for _, z := range members {
					c += int(p.meet(int32(x), int32(z)))
				}
				return c
			}
			bestI, bestJ, ties := -1, -1, 0
			bestC, bestB := 0, 0
			consider := func(i, j, c, blocked int) {
				if bestI >= 0 && (c > bestC || c == bestC && blocked > bestB) {
					return
				}
				if bestI >= 0 && c == bestC && blocked == bestB {
					ties++
					if p.rng.IntN(ties) != 0 {
						return
					}
				} else {
					ties = 1
				}
				bestI, bestJ, bestC, bestB = i, j, c, blocked
			}
			if size-len(members) >= 2 && len(free) >= 2 {
				costs := make([]int, len(free))
				for i, x := range free {
					costs[i] = costOf(x)
				}
				for i, x := range free {
					mx := p.met[x]
					for j := i + 1; j < len(free); j++ {
						y := free[j]
						c := costs[i] + costs[j] + int(p.meet(int32(x), int32(y)))
						if bestI >= 0 && c > bestC {
							continue
						}
						my := p.met[y]
						blocked := 0
						for w := 0; w < words; w++ {
							blocked += bits.OnesCount64(union[w] | mx[w] | my[w])
						}
						consider(i, j, c, blocked)
					}
				}
			} else {
				for i, x := range free {
					c := costOf(x)
					if bestI >= 0 && c > bestC {
						continue
					}
					mx := p.met[x]
					blocked := 0
					for w := 0; w < words; w++ {
						blocked += bits.OnesCount64(union[w] | mx[w])
					}
					consider(i, -1, c, blocked)
				}
			}
			take := []int{bestI}
			if bestJ >= 0 {
				take = append(take, bestJ)
			}
			for _, i := range take {
				x := free[i]
				members = append(members, x)
				for w := 0; w < words; w++ {
					union[w] |= p.met[x][w]
				}
			}
			// Remove the taken (higher index first, keeping order).
			slices.Sort(take)
			for t := len(take) - 1; t >= 0; t-- {
				free = slices.Delete(free, take[t], take[t]+1)
			}
		}
		groups[g] = members
	}
	return groups
}

// greedyScan fills the groups in turn from a shuffled list: each place takes
// the first of the next few candidates who has met nobody in the group yet,
// else the one with the fewest such meetings. It is linear in n.
func (p *planner) greedyScan() [][]int {
	const window = 24
	pool := p.rng.Perm(p.n)
	groups := make([][]int, p.G)
	for g, size := range p.sizes {
		members := make([]int, 0, size)
		for len(members) < size {
			best, bestC := 0, -1
			for i := 0; i < len(pool) && i < window; i++ {
				p.evals += int64(len(members))
				c := 0
				for _, z := range members {
					c += int(p.meet(int32(pool[i]), int32(z)))
				}
				if bestC < 0 || c < bestC {
					best, bestC = i, c
					if c == 0 {
						break
					}
				}
			}
			members = append(members, pool[best])
			last := len(pool) - 1
			pool[best] = pool[last]
			pool = pool[:last]
		}
		groups[g] = members
	}
	return groups
}

// index builds the conflict sets once every round is placed.
func (p *planner) index() {
	n := p.n
	p.conf = make([]int32, p.R*n)
	p.cpos = make([]int32, p.R*n)
	for i := range p.cpos {
		p.cpos[i] = -1
	}
	p.cset = p.cset[:0]
	for r := 0; r < p.R; r++ {
		for g := 0; g < p.G; g++ {
			m := p.mem[r*p.G+g]
			for i, a := range m {
				for _, b := range m[i+1:] {
					if p.meet(a, b) >= 2 {
						p.confAdd(r, a, 1)
						p.confAdd(r, b, 1)
					}
				}
			}
		}
	}
	p.tabuG = make([]int32, p.R*n)
	p.tabuT = make([]int64, p.R*n)
	for i := range p.tabuG {
		p.tabuG[i] = -1
	}
	p.remStamp = make([]int64, p.R*n)
	p.remCache = make([]int64, p.R*n)
	p.bestGrp = slices.Clone(p.grp)
	p.bestCost, p.bestRepeats = p.cost(), p.repeats
}

func (p *planner) cost() int64 { return costW*p.repeats + p.sec }

func (p *planner) confAdd(r int, a int32, d int32) {
	id := int32(r*p.n) + a
	was := p.conf[id]
	p.conf[id] = was + d
	switch {
	case was == 0 && d > 0:
		p.cpos[id] = int32(len(p.cset))
		p.cset = append(p.cset, id)
	case was+d == 0:
		i := p.cpos[id]
		last := p.cset[len(p.cset)-1]
		p.cset[i] = last
		p.cpos[last] = i
		p.cset = p.cset[:len(p.cset)-1]
		p.cpos[id] = -1
	}
}

// crossed updates the conflict counts of a and b in every round but skip in
// which they share a group, after their count crossed between 1 and 2.
func (p *planner) crossed(a, b int32, skip int, d int32) {
	n := p.n
	for r := 0; r < p.R; r++ {
		if r != skip && p.grp[r*n+int(a)] == p.grp[r*n+int(b)] {
			p.confAdd(r, a, d)
			p.confAdd(r, b, d)
		}
	}
}

// swap exchanges a and b (in different groups) in round r.
func (p *planner) swap(r int, a, b int32) {
	n, G := p.n, p.G
	ga, gb := p.grp[r*n+int(a)], p.grp[r*n+int(b)]
	ma, mb := p.mem[r*G+int(ga)], p.mem[r*G+int(gb)]
	leave := func(x int32, m []int32) {
		for _, y := range m {
			if y == x {
				continue
			}
			if p.meet(x, y) >= 2 {
				p.confAdd(r, x, -1)
				p.confAdd(r, y, -1)
			}
			if p.bump(x, y, -1) == 1 {
				p.crossed(x, y, r, -1)
			}
		}
	}
	join := func(x int32, m []int32) {
		for _, y := range m {
			if y == x {
				continue
			}
			v := p.bump(x, y, 1)
			if v == 2 {
				p.crossed(x, y, r, 1)
			}
			if v >= 2 {
				p.confAdd(r, x, 1)
				p.confAdd(r, y, 1)
			}
		}
	}
	leave(a, ma)
	leave(b, mb)
	ia, ib := slices.Index(ma, a), slices.Index(mb, b)
	ma[ia], mb[ib] = b, a
	p.grp[r*n+int(a)], p.grp[r*n+int(b)] = gb, ga
	join(a, mb)
	join(b, ma)
}

// tabu runs the tabu search until the repeats reach target or the budget is
// spent; on reaching target it carries on a little to spread the repeats
// (fewer pairs meeting a third time), if there are any.
// Each step looks at every person in a conflict (a round in which they meet
// someone they meet more than once) and every person in another group of
// that round, and makes the best swap that is not tabu; a swap is tabu if it
// moves someone back into a group they left recently, unless it reaches a
// new best. After a while without a new best, a few random swaps kick the
// search elsewhere (Dotú and Van Hentenryck; Triska and Musliu).
func (p *planner) tabu(budget int64, target int64) {
	n, G := p.n, p.G
	var it int64
	lastBest := int64(0)
	phaseBest, lastPhase := p.cost(), int64(0)
	const (
		tenureMin  = 2   // steps a moved person may not return to their group,
		tenureSpan = 5   // plus a random 0..tenureSpan-1
		stall      = 300 // steps without a new best before a kick
		kickSwaps  = 4   // random swaps per kick
	)
	// After this many steps without a new best the search stops: small
	// instances whose optimum lies above the lower bound get there long
	// before the budget runs out.
	giveUp := min(max(5000, 500*int64(n)*int64(p.R)), 200_000)
	restartAfter, lastRestart := giveUp/4, int64(0)
	sampled := G > scanGroupsLimit
	reached := int64(-1)
	for p.evals < budget {
		if p.repeats <= target {
			// Optimal in repeats; spend a little more on spreading them.
			if reached < 0 {
				reached = p.evals
			}
			if p.sec == p.baseSec || it-lastBest > stall || p.evals-reached > budget/10 {
				break
			}
		}
		if len(p.cset) == 0 || it-lastBest > giveUp {
			break
		}
		it++
		cur := p.cost()
		bestDelta := int64(1) << 62
		var bestR int
		var bestA, bestB int32 = -1, -1
		ties := 0
		consider := func(r int, a, b int32, delta int64, tabu bool) {
			if delta > bestDelta || tabu && cur+delta >= p.bestCost {
				return
			}
			if delta < bestDelta {
				bestDelta, bestR, bestA, bestB, ties = delta, r, a, b, 1
				return
			}
			ties++
			if p.rng.IntN(ties) == 0 {
				bestR, bestA, bestB = r, a, b
			}
		}
		isTabu := func(id, bid int, ga, gb int32) bool {
			return p.tabuG[id] == gb && p.tabuT[id] > it || p.tabuG[bid] == ga && p.tabuT[bid] > it
		}
		cands := p.cset
		if len(cands) > candidateLimit {
			// Too many people in conflict to look at them all: a random
			// sample of them each step.
			sample := p.sample[:0]
			for range candidateLimit {
				sample = append(sample, p.cset[p.rng.IntN(len(p.cset))])
			}
			p.sample, cands = sample, sample
		}
		for _, id := range cands {
			r := int(id) / n
			a := id - int32(r*n)
			ga := p.grp[id]
			ma := p.mem[r*G+int(ga)]
			p.evals += int64(min(G, scanGroupsLimit))
			var remA int64
			for _, x := range ma {
				if x != a {
					remA += marginal(p.meet(a, x) - 1)
				}
			}
			for k := 0; k < G && k < scanGroupsLimit; k++ {
				gb := int32(k)
				if sampled {
					gb = int32(p.rng.IntN(G))
				}
				if gb == ga {
					continue
				}
				mb := p.mem[r*G+int(gb)]
				p.evals += int64(len(mb))
				var addA int64
				for _, y := range mb {
					addA += marginal(p.meet(a, y))
				}
				for _, b := range mb {
					bid := r*n + int(b)
					if p.remStamp[bid] != it {
						var remB int64
						for _, y := range mb {
							if y != b {
								remB += marginal(p.meet(b, y) - 1)
							}
						}
						p.remStamp[bid], p.remCache[bid] = it, remB
					}
					delta := addA - marginal(p.meet(a, b)) - remA - p.remCache[bid]
					if delta > bestDelta {
						continue
					}
					if p.dense != nil {
						row := p.dense[int(b)*n : int(b)*n+n]
						for _, x := range ma {
							delta += marginal(row[x])
						}
						delta -= marginal(row[a])
					} else {
						for _, x := range ma {
							if x != a {
								delta += marginal(p.meet(b, x))
							}
						}
					}
					consider(r, a, b, delta, isTabu(int(id), bid, ga, gb))
				}
			}
		}
		if bestA < 0 {
			p.kick(kickSwaps)
			continue
		}
		ga, gb := p.grp[bestR*n+int(bestA)], p.grp[bestR*n+int(bestB)]
		p.swap(bestR, bestA, bestB)
		tenure := func() int64 { return it + tenureMin + int64(p.rng.IntN(tenureSpan)) }
		p.tabuG[bestR*n+int(bestA)], p.tabuT[bestR*n+int(bestA)] = ga, tenure()
		p.tabuG[bestR*n+int(bestB)], p.tabuT[bestR*n+int(bestB)] = gb, tenure()
		if c := p.cost(); c < p.bestCost {
			p.bestCost, p.bestRepeats = c, p.repeats
			copy(p.bestGrp, p.grp)
			lastBest = it
			phaseBest = c
			lastPhase = it
		} else if c < phaseBest {
			phaseBest = c
			lastPhase = it
		} else if it-lastBest > restartAfter && it-lastRestart > restartAfter {
			// Stuck: start again from a fresh greedy schedule.
			p.restart()
			phaseBest, lastPhase, lastRestart = p.cost(), it, it
		} else if it-lastPhase > stall {
			p.kick(kickSwaps)
			phaseBest = p.cost()
			lastPhase = it
		}
	}
}

// restart replaces every planned round with a fresh greedy one, keeping the
// best schedule seen.
func (p *planner) restart() {
	for r := 0; r < p.R; r++ {
		for g := 0; g < p.G; g++ {
			m := p.mem[r*p.G+g]
			for i, a := range m {
				for _, b := range m[i+1:] {
					p.bump(a, b, -1)
				}
			}
		}
	}
	if p.met != nil {
		for a := range p.met {
			clear(p.met[a])
			for b := range p.n {
				if a == b || p.meet(int32(a), int32(b)) > 0 {
					p.met[a][b/64] |= 1 << (b % 64)
				}
			}
		}
	}
	for r := 0; r < p.R; r++ {
		p.greedyRound(r)
	}
	grp, cost, repeats := p.bestGrp, p.bestCost, p.bestRepeats
	p.index()
	p.bestGrp, p.bestCost, p.bestRepeats = grp, cost, repeats
	p.evals += int64(p.R * p.n * p.n)
}

// kick makes a few random swaps involving people in conflict.
func (p *planner) kick(swaps int) {
	n, G := p.n, p.G
	for s := 0; s < swaps && len(p.cset) > 0; s++ {
		id := p.cset[p.rng.IntN(len(p.cset))]
		r := int(id) / n
		a := id - int32(r*n)
		ga := p.grp[id]
		gb := int32(p.rng.IntN(G - 1))
		if gb >= ga {
			gb++
		}
		mb := p.mem[r*G+int(gb)]
		p.swap(r, a, mb[p.rng.IntN(len(mb))])
		p.evals += int64(n)
	}
}

// bestRounds returns the best schedule seen.
func (p *planner) bestRounds() [][][]int {
	n := p.n
	rounds := make([][][]int, p.R)
	for r := range rounds {
		round := make([][]int, p.G)
		for g := range round {
			round[g] = make([]int, 0, p.sizes[g])
		}
		for x := 0; x < n; x++ {
			g := p.bestGrp[r*n+x]
			round[g] = append(round[g], x)
		}
		rounds[r] = round
	}
	return rounds
}

// pairTable is an open-addressing hash table from pair keys (never 0) to
// meeting counts, for when an n*n table would be too big.
type pairTable struct {
	keys  []uint64
	vals  []int32
	used  int
	shift uint
}

func newPairTable(expect int) *pairTable {
	size, shift := 1024, uint(64-10)
	for size < 2*expect {
		size *= 2
		shift--
	}
	return &pairTable{keys: make([]uint64, size), vals: make([]int32, size), shift: shift}
}

func (t *pairTable) slot(k uint64) int {
	mask := len(t.keys) - 1
	i := int((k * 0x9E3779B97F4A7C15) >> t.shift)
	for t.keys[i] != 0 && t.keys[i] != k {
		i = (i + 1) & mask
	}
	return i
}

func (t *pairTable) get(k uint64) int32 {
	return t.vals[t.slot(k)]
}

func (t *pairTable) add(k uint64, d int32) int32 {
	i := t.slot(k)
	if t.keys[i] == 0 {
		if 4*(t.used+1) > 3*len(t.keys) {
			t.grow()
			i = t.slot(k)
		}
		t.keys[i] = k
		t.used++
	}
	t.vals[i] += d
	return t.vals[i]
}

func (t *pairTable) grow() {
	old, oldV := t.keys, t.vals
	t.keys = make([]uint64, 2*len(old))
	t.vals = make([]int32, 2*len(old))
	t.shift--
	for i, k := range old {
		if k != 0 {
			j := t.slot(k)
			t.keys[j] = k
			t.vals[j] = oldV[i]
		}
	}
}

// newRand returns the generator for a seed: PCG, which gives the same
// numbers on every platform.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x636f6e76656e65))
}

// bestConstruction returns up to want rounds of the longest schedule with
// no repeated pair that the constructions give for n people in groups of k,
// and whether they are all of a schedule in which every pair meets. The
// doubling construction is tried only when the direct ones give fewer than
// want rounds.
func bestConstruction(n, k, want int) (rounds [][][]int, full bool) {
	cons, total := construct(n, k, want)
	if total >= want || complete(n, k, total) || n%2 != 0 || k < 3 {
		return cons, complete(n, k, total) && len(cons) == total
	}
	m := n / 2
	if d, dTotal := construct(m, k, m); complete(m, k, dTotal) {
		if dd := doubled(m, k, d); len(dd) > len(cons) {
			return dd, false
		}
	}
	return cons, false
}
