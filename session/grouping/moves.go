package grouping

import "slices"

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
