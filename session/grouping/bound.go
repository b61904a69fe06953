package grouping

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
