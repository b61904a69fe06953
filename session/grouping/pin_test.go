package grouping

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

// TestPlanPinned pins the exact plans some fixed seeds give, one case for
// each path through solve (the exact constructions, the greedy starts, the
// tabu search with its kicks and restarts, the sparse pair table, the
// shuffle for huge instances). A change that should not alter behaviour,
// such as moving code between files, must leave every hash as it is. A
// change meant to alter the plans updates the hashes from the failures.
// Budgets below the default keep the hard instances fast; they exercise the
// same code.
func TestPlanPinned(t *testing.T) {
	hist14 := [][][]int{{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}, {12, 13}}}
	hist16 := [][][]int{{{0, 5, 10, 15}, {1, 6, 11, 12}, {2, 7, 8, 13}, {3, 4, 9, 14}}}
	// Three earlier rounds of 1600 people in groups of 4: more pairs than
	// the sparse table was sized for, so it grows.
	var hist1600 [][][]int
	for r := range 3 {
		var round [][]int
		for g := range 400 {
			var grp []int
			for i := range 4 {
				grp = append(grp, (g*4+i)*[]int{1, 3, 7}[r]%1600)
			}
			round = append(round, grp)
		}
		hist1600 = append(hist1600, round)
	}
	for _, tt := range []struct {
		name                string
		n, min, max, rounds int
		history             [][][]int
		seed, budget        int64
		want                string // first 8 bytes of the SHA-256 of "plan|note", in hex
	}{
		{"one group", 5, 5, 6, 2, [][][]int{{{0, 1}, {2, 3, 4}}}, 1, defaultBudget, "48d1f70d4050dcdb"},
		{"transversal design", 16, 4, 4, 3, nil, 1, defaultBudget, "1db517a3ae731c37"},
		{"design after its first round", 16, 4, 4, 2, hist16, 3, defaultBudget, "ca00c504bbcdab31"},
		{"design cycled", 9, 3, 3, 6, nil, 2, defaultBudget, "40d08dc8d19ef18d"},
		{"doubling", 32, 4, 4, 10, nil, 4, defaultBudget, "a30638d25ae36370"},
		{"partial design extended", 32, 4, 4, 11, nil, 1, 2_000_000, "b214bfe9a57da908"},
		{"partial design, then a fresh start", 28, 4, 4, 9, nil, 3, 2_000_000, "4091ca21599b68fd"},
		{"freedom greedy and tabu", 14, 3, 4, 3, nil, 7, defaultBudget, "2d156eb041c6382d"},
		{"after history", 14, 3, 4, 2, hist14, 8, defaultBudget, "9d772bf209681775"},
		{"kicks", 20, 4, 4, 6, nil, 9, 300_000, "5cb899035e398ef9"},
		{"restarts, then gives up", 8, 4, 4, 2, nil, 1, 2_000_000, "8dda37e54d968c26"},
		{"scan greedy", 200, 3, 4, 4, nil, 10, defaultBudget, "9aa9c0e5cf0082de"},
		{"round robin, sparse count", 1600, 2, 2, 2, nil, 11, defaultBudget, "7fc946015ad6168b"},
		{"sparse table grows", 1600, 3, 4, 2, hist1600, 12, 2_000_000, "ada1c6d0d5bb9d24"},
		{"shuffled", 1502, 751, 751, 130, nil, 13, defaultBudget, "a9e539adce463f2b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			planned, note := plan(tt.n, tt.min, tt.max, tt.rounds, tt.history, tt.seed, options{budget: tt.budget})
			sum := sha256.Sum256(fmt.Appendf(nil, "%v|%s", planned, note))
			if got := fmt.Sprintf("%x", sum[:8]); got != tt.want {
				t.Errorf("plan(%d, %d, %d, %d, seed %d) hashes to %s; want %s (note %q)",
					tt.n, tt.min, tt.max, tt.rounds, tt.seed, got, tt.want, note)
			}
		})
	}
}

// TestSearchPinned pins the tabu search on a start Plan never gives it: 1600
// people (pair counts in the sparse table) in 400 groups (more than it scans
// per step) meeting in the same groups twice (more people in conflict than
// it examines per step).
func TestSearchPinned(t *testing.T) {
	const n = 1600
	sizes := make([]int, n/4)
	round := make([][]int, n/4)
	for g := range round {
		sizes[g] = 4
		round[g] = seq(4*g, 4*g+4)
	}
	initial := [][][]int{round, round}
	res := search(n, sizes, 2, nil, initial, newRand(14), 500_000, 0)
	sum := sha256.Sum256(fmt.Appendf(nil, "%v|%d", res.rounds, res.repeats))
	if got, want := fmt.Sprintf("%x", sum[:8]), "01ef0d09db7aa914"; got != want {
		t.Errorf("search of 1600 in 4s, twice the same round, seed 14: hashes to %s; want %s (%d repeats)", got, want, res.repeats)
	}
}
