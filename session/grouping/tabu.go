package grouping

const (
	// scanGroupsLimit bounds how many other groups the tabu search tries
	// for one person per step when there are very many groups.
	scanGroupsLimit = 256

	// candidateLimit bounds how many people in conflict one tabu step
	// examines; beyond it a random sample is examined.
	candidateLimit = 128
)

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
