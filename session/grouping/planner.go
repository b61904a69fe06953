package grouping

import "math/rand/v2"

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
