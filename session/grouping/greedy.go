package grouping

import (
	"math/bits"
	"slices"
)

// pairGreedyLimit is the largest n for the freedom-guided greedy start,
// which chooses people two at a time (cubic in n per round).
const pairGreedyLimit = 128

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
