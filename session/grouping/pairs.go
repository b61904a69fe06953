package grouping

// denseLimit is the largest n whose pair counts live in an n*n table;
// beyond it they live in a hash table.
const denseLimit = 1500

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

func (p *planner) cost() int64 { return costW*p.repeats + p.sec }

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

// newRepeats counts the repeated pairs of rounds played after hist, less
// those already repeated within hist: Repeats(hist+rounds) - Repeats(hist),
// for people numbered 0..n-1, with the planner's pair tables.
func newRepeats(hist, rounds [][][]int) int {
	if len(rounds) == 0 {
		return 0
	}
	n := 0 // everyone is in the first round
	for _, g := range rounds[0] {
		n += len(g)
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
