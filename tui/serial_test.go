package tui

import (
	"slices"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestSerialKeepsTheOrderOfQueueing: what is queued first runs first,
// however the commands are scheduled (here: started last first).
func TestSerialKeepsTheOrderOfQueueing(t *testing.T) {
	var s serial
	var mu sync.Mutex
	var ran []int
	var cmds []tea.Cmd
	for i := range 5 {
		cmds = append(cmds, s.queue(func() tea.Msg {
			mu.Lock()
			ran = append(ran, i)
			mu.Unlock()
			return nil
		}))
	}
	var wg sync.WaitGroup
	for i := len(cmds) - 1; i >= 0; i-- {
		wg.Add(1)
		go func() { defer wg.Done(); cmds[i]() }()
	}
	wg.Wait()
	if !slices.Equal(ran, []int{0, 1, 2, 3, 4}) {
		t.Fatalf("ran in the order %v; want the order queued", ran)
	}
}
