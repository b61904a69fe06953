package session

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkBroadcast300 measures one change reaching 300 subscribed
// screens: the command is applied, committed (to memory here) and every
// mailbox woken, and each subscriber reads the new state.
func BenchmarkBroadcast300(b *testing.B) {
	store := newMemStore()
	hub, err := NewHub(HubConfig{Store: store, Clock: SystemClock{}, Facilitator: func(id PersonID) bool { return id == host }})
	if err != nil {
		b.Fatal(err)
	}
	defer hub.Close()
	ctx := context.Background()
	r, err := hub.Create(ctx, host, "Scale", "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Enter(ctx, host, "Host"); err != nil {
		b.Fatal(err)
	}
	const n = 300
	var wg sync.WaitGroup
	seen := make([]chan uint64, n)
	stop := make(chan struct{})
	for i := range n {
		sub, err := r.Enter(ctx, PersonID(fmt.Sprintf("SHA256:p%d", i)), fmt.Sprintf("P%d", i))
		if err != nil {
			b.Fatal(err)
		}
		seen[i] = make(chan uint64, 1)
		wg.Add(1)
		go func(sub *Subscription, out chan uint64) {
			defer wg.Done()
			for {
				select {
				case <-sub.Changes():
					v := r.State().Version
					select {
					case <-out:
					default:
					}
					out <- v
				case <-stop:
					return
				}
			}
		}(sub, seen[i])
	}
	b.ResetTimer()
	for range b.N {
		if err := r.Do(ctx, host, AddTime{By: time.Second}); err != nil {
			b.Fatal(err)
		}
		want := r.State().Version
		for i := range n {
			for v := <-seen[i]; v < want; v = <-seen[i] {
			}
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
}

// BenchmarkBurst measures 300 people acting at once (a vote): commands
// queued together share one commit.
func BenchmarkBurst300(b *testing.B) {
	store := newMemStore()
	hub, err := NewHub(HubConfig{Store: store, Clock: SystemClock{}, Facilitator: func(id PersonID) bool { return id == host }})
	if err != nil {
		b.Fatal(err)
	}
	defer hub.Close()
	ctx := context.Background()
	r, _ := hub.Create(ctx, host, "Scale", "")
	const n = 300
	ids := make([]PersonID, n)
	for i := range n {
		ids[i] = PersonID(fmt.Sprintf("SHA256:p%d", i))
		if _, err := r.Enter(ctx, ids[i], fmt.Sprintf("P%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for k := range b.N {
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func(id PersonID) {
				defer wg.Done()
				if err := r.Do(ctx, id, SetReady{Ready: k%2 == 0}); err != nil {
					b.Error(err)
				}
			}(ids[i])
		}
		wg.Wait()
	}
}
