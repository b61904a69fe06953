package grouping

import (
	"math/bits"
	"math/rand/v2"
)

// Exact constructions of schedules with no repeated pair, from design
// theory. Each returns rounds of n people (0..n-1) in groups of exactly k.
//
//   - Round robin (k = 2, n even): the circle method gives n-1 rounds in
//     which every pair meets exactly once.
//   - Resolvable transversal design over GF(m), m a prime power, n = k*m with
//     k <= m: person (i, x) for column i < k and x in GF(m); in round a, the
//     groups are {(i, a*i + b) : i < k} for each b. Two people in different
//     columns meet exactly once over the m rounds. If k divides m, the people
//     of each column are then scheduled among themselves, recursively, all
//     columns in parallel. With k = m this is the affine plane AG(2,q) (q^2
//     people in groups of q for q+1 rounds); recursing, AG(d,q) (q^d people,
//     (q^d-1)/(q-1) rounds); and 32 people in 4s get the classical 9 rounds.
//   - Doubling (see doubled): 2m people from two copies of a complete design
//     on m points, each person meeting everyone but one; this gives 32
//     people in 4s for 10 rounds (the original social golfer problem) and 18
//     in 3s for 8.

// Finite fields built here: prime orders up to maxPrimeField, other prime
// powers up to maxPowerField (their multiplication tables are found by
// trial, in time growing as m^2).
const (
	maxPrimeField = 1 << 10
	maxPowerField = 1 << 8
)

// construct returns up to limit rounds with no repeated pair from the known
// constructions for n people in groups of k, and how many rounds the
// construction has in all (total is 0 when there is none).
func construct(n, k, limit int) (rounds [][][]int, total int) {
	switch {
	case k < 2 || n < k || n%k != 0:
		return nil, 0
	case k == 2:
		return roundRobin(n, limit), n - 1
	}
	m := n / k
	if m < k {
		// A second round would need every group to take people from k
		// different groups of the first: there is only the one round.
		if limit < 1 {
			return nil, 1
		}
		return [][][]int{evenGroups(n, k)}, 1
	}
	f := newField(m)
	if f == nil {
		return nil, 0
	}
	for a := 0; a < m && len(rounds) < limit; a++ {
		round := make([][]int, m)
		for b := 0; b < m; b++ {
			g := make([]int, k)
			for i := 0; i < k; i++ {
				g[i] = i*m + f.add(f.mul(a, i), b)
			}
			round[b] = g
		}
		rounds = append(rounds, round)
	}
	total = m
	if m%k == 0 {
		sub, subTotal := construct(m, k, limit-len(rounds))
		total += subTotal
		for _, sr := range sub {
			round := make([][]int, 0, n/k)
			for i := 0; i < k; i++ {
				for _, sg := range sr {
					g := make([]int, len(sg))
					for j, x := range sg {
						g[j] = i*m + x
					}
					round = append(round, g)
				}
			}
			rounds = append(rounds, round)
		}
	}
	return rounds, total
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

// evenGroups splits 0..n-1 into consecutive groups of k.
func evenGroups(n, k int) [][]int {
	var round [][]int
	for i := 0; i < n; i += k {
		round = append(round, seq(i, i+k))
	}
	return round
}

// roundRobin pairs n people (n even) by the circle method: n-1 rounds in
// all, of which it returns the first limit.
func roundRobin(n, limit int) [][][]int {
	rounds := make([][][]int, max(0, min(n-1, limit)))
	for r := range rounds {
		round := [][]int{{n - 1, r}}
		for i := 1; i < n/2; i++ {
			round = append(round, []int{(r + i) % (n - 1), (r - i + n - 1) % (n - 1)})
		}
		rounds[r] = round
	}
	return rounds
}

// complete reports whether rounds of n people in groups of k cover every
// pair (and so, having no repeats, cover each exactly once).
func complete(n, k, rounds int) bool {
	return rounds*(n/k)*k*(k-1) == n*(n-1)
}

func seq(from, to int) []int {
	s := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

// field is the finite field GF(p^e). Elements are 0..m-1, read as
// polynomials over GF(p) whose coefficients are the base-p digits.
type field struct {
	m    int
	p, e int
	addT []int32
	mulT []int32
}

func (f *field) add(a, b int) int { return int(f.addT[a*f.m+b]) }
func (f *field) mul(a, b int) int { return int(f.mulT[a*f.m+b]) }

// primePower returns p, e with m = p^e and p prime, or ok = false.
func primePower(m int) (p, e int, ok bool) {
	if m < 2 {
		return 0, 0, false
	}
	for p = 2; p*p <= m; p++ {
		if m%p == 0 {
			break
		}
	}
	if p*p > m {
		p = m
	}
	for x := m; x > 1; x /= p {
		if x%p != 0 {
			return 0, 0, false
		}
		e++
	}
	return p, e, true
}

// newField builds GF(m), or returns nil if m is not a prime power.
func newField(m int) *field {
	p, e, ok := primePower(m)
	if !ok || m > maxPrimeField || e > 1 && m > maxPowerField {
		return nil
	}
	f := &field{m: m, p: p, e: e, addT: make([]int32, m*m), mulT: make([]int32, m*m)}
	digits := func(x int) []int {
		d := make([]int, e)
		for i := range d {
			d[i] = x % p
			x /= p
		}
		return d
	}
	number := func(d []int) int {
		x := 0
		for i := len(d) - 1; i >= 0; i-- {
			x = x*p + d[i]
		}
		return x
	}
	for a := 0; a < m; a++ {
		da := digits(a)
		for b := 0; b < m; b++ {
			db := digits(b)
			s := make([]int, e)
			for i := range s {
				s[i] = (da[i] + db[i]) % p
			}
			f.addT[a*m+b] = int32(number(s))
		}
	}
	if e == 1 {
		for a := 0; a < m; a++ {
			for b := 0; b < m; b++ {
				f.mulT[a*m+b] = int32(a * b % m)
			}
		}
		return f
	}
	// Try monic polynomials x^e + c(x) until the multiplication has no zero
	// divisors, which makes it a field.
	for c := 1; c < m; c++ {
		mod := append(digits(c), 1)
		if f.fillMul(mod, digits, number) {
			return f
		}
	}
	return nil
}

// fillMul fills the multiplication table modulo mod and reports whether it
// has no zero divisors.
func (f *field) fillMul(mod []int, digits func(int) []int, number func([]int) int) bool {
	p, e, m := f.p, f.e, f.m
	prod := make([]int, 2*e-1)
	for a := 1; a < m; a++ {
		da := digits(a)
		for b := a; b < m; b++ {
			db := digits(b)
			clear(prod)
			for i := 0; i < e; i++ {
				for j := 0; j < e; j++ {
					prod[i+j] = (prod[i+j] + da[i]*db[j]) % p
				}
			}
			// Reduce modulo the monic polynomial, highest degree first.
			for d := 2*e - 2; d >= e; d-- {
				c := prod[d]
				if c == 0 {
					continue
				}
				for i := 0; i <= e; i++ {
					prod[d-e+i] = ((prod[d-e+i]-c*mod[i])%p + p) % p
				}
			}
			x := number(prod[:e])
			if x == 0 {
				return false
			}
			f.mulT[a*m+b] = int32(x)
			f.mulT[b*m+a] = int32(x)
		}
	}
	return true
}

// doubled builds rounds for n = 2m people in groups of k from a complete
// design d on m points (every pair of points in exactly one group), using
// two copies of d: the second relabelled by a permutation pi of the points.
// Person 2x+s (s = 0 or 1) is a "sign" of point x. A group g of a copy is
// lifted to two groups, {2x + e(x)} and {2x + 1 - e(x)} for x in g, for a
// choice of signs e that may differ from group to group. The pair {2x, 2x+1}
// never meets; any other pair of people lies over a pair of points {x, y},
// which shares one group in each copy; the two copies must place opposite
// pairs of signs together, which is one linear equation over GF(2) in the
// signs e(g, x) for each pair {x, y}. doubled looks for a pi under which
// the system is solvable (groups of the two copies meeting in at most two
// points, which rules out odd cycles of three, and then Gaussian
// elimination), trying a few relabellings found by hill climbing. It returns
// nil when none is found. The search is seeded by a constant, so the result
// depends only on n and k.
func doubled(m, k int, d [][][]int) [][][]int {
	if k < 3 || m > 64 || len(d) == 0 || !complete(m, k, len(d)) {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(m), uint64(k)))
	var lines [][]int
	var masks []uint64
	for _, round := range d {
		for _, g := range round {
			var b uint64
			for _, x := range g {
				b |= 1 << x
			}
			lines = append(lines, g)
			masks = append(masks, b)
		}
	}
	// bad counts the points beyond two shared by a group of the first copy
	// and one of the relabelled copy.
	bad := func(pi []int) int {
		s := 0
		for _, g := range lines {
			var b uint64
			for _, x := range g {
				b |= 1 << pi[x]
			}
			for _, a := range masks {
				if c := bits.OnesCount64(a & b); c > 2 {
					s += c - 2
				}
			}
		}
		return s
	}
	const tries, steps = 50, 1000
	for try := 0; try < tries; try++ {
		pi := rng.Perm(m)
		cur := bad(pi)
		for step := 0; step < steps && cur > 0; step++ {
			i, j := rng.IntN(m), rng.IntN(m)
			pi[i], pi[j] = pi[j], pi[i]
			if b := bad(pi); b <= cur {
				cur = b
			} else {
				pi[i], pi[j] = pi[j], pi[i]
			}
		}
		if cur == 0 {
			if rounds := liftSigns(m, k, d, pi, rng); rounds != nil {
				return rounds
			}
		}
	}
	return nil
}

// liftSigns solves for the signs of doubled, or returns nil if the system
// has no solution.
func liftSigns(m, k int, d [][][]int, pi []int, rng *rand.Rand) [][][]int {
	// Groups of both copies, in round order, and for each pair of points
	// the two (group, position) incidences of each point.
	var groups [][]int
	var roundOf [][]int
	for c := 0; c < 2; c++ {
		for _, round := range d {
			var idx []int
			for _, g := range round {
				b := make([]int, len(g))
				for i, x := range g {
					if c == 1 {
						x = pi[x]
					}
					b[i] = x
				}
				idx = append(idx, len(groups))
				groups = append(groups, b)
			}
			roundOf = append(roundOf, idx)
		}
	}
	nv := len(groups) * k // variable g*k+i: the sign of the i-th point of group g
	words := (nv + 1 + 63) / 64
	rows := make([][]uint64, m*m)
	for gi, g := range groups {
		for _, x := range g {
			for _, y := range g {
				if x < y {
					row := rows[x*m+y]
					if row == nil {
						row = make([]uint64, words)
						row[nv/64] |= 1 << (nv % 64) // right-hand side 1
						rows[x*m+y] = row
					}
					for j, z := range g {
						if z == x || z == y {
							v := gi*k + j
							row[v/64] ^= 1 << (v % 64)
						}
					}
				}
			}
		}
	}
	var eqs [][]uint64
	for _, r := range rows {
		if r != nil {
			eqs = append(eqs, r)
		}
	}
	bit := func(row []uint64, v int) uint64 { return row[v/64] >> (v % 64) & 1 }
	pivot := make([]int, nv)
	rank := 0
	for v := 0; v < nv; v++ {
		pivot[v] = -1
		sel := -1
		for r := rank; r < len(eqs); r++ {
			if bit(eqs[r], v) == 1 {
				sel = r
				break
			}
		}
		if sel < 0 {
			continue
		}
		eqs[rank], eqs[sel] = eqs[sel], eqs[rank]
		for r := range eqs {
			if r != rank && bit(eqs[r], v) == 1 {
				for w := range eqs[r] {
					eqs[r][w] ^= eqs[rank][w]
				}
			}
		}
		pivot[v] = rank
		rank++
	}
	for r := rank; r < len(eqs); r++ {
		if bit(eqs[r], nv) == 1 {
			return nil
		}
	}
	// Free signs at random; each pivot row then fixes its sign.
	val := make([]uint64, nv)
	for v := range val {
		if pivot[v] < 0 {
			val[v] = uint64(rng.IntN(2))
		}
	}
	for v := range val {
		if r := pivot[v]; r >= 0 {
			x := bit(eqs[r], nv)
			for u := v + 1; u < nv; u++ {
				if pivot[u] < 0 {
					x ^= bit(eqs[r], u) & val[u]
				}
			}
			val[v] = x
		}
	}
	rounds := make([][][]int, len(roundOf))
	for r, idx := range roundOf {
		for _, gi := range idx {
			var a, b []int
			for i, x := range groups[gi] {
				s := int(val[gi*k+i])
				a = append(a, 2*x+s)
				b = append(b, 2*x+1-s)
			}
			rounds[r] = append(rounds[r], a, b)
		}
	}
	return rounds
}
