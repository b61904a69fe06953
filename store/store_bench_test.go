package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/convene/convene/session"
)

// The store on a real file, with its fsync: what one change of a room of
// 300 costs to make durable, and what a burst of 300 votes costs when the
// room groups them into shared commits.

func bigMeetup(n int) *session.Meetup {
	now := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	m := &session.Meetup{ID: "m1", Code: "ABCDEF", Title: "Meetup", CreatedAt: now, Agenda: session.DefaultAgenda(), Current: 2}
	for i := range n {
		m.Members = append(m.Members, session.Member{ID: session.PersonID(fmt.Sprintf("SHA256:p%03d", i)), Name: fmt.Sprintf("Person %d", i), Present: true})
	}
	return m
}

// BenchmarkCommit300: one event and the snapshot of a meetup of 300.
func BenchmarkCommit300(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "convene.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	m := bigMeetup(300)
	b.ResetTimer()
	for i := range b.N {
		m.Seq = uint64(i + 1)
		if err := s.Commit(m, []session.Event{{Seq: m.Seq, At: m.CreatedAt, Actor: "SHA256:p001", Kind: "vote-ballot", Data: []byte(`{}`)}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBurst300Bolt: 300 people in one room cast a ballot at once,
// saved in bbolt on a file; every one is committed before Do returns.
func BenchmarkBurst300Bolt(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "convene.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	host := session.PersonID("SHA256:host")
	hub, err := session.NewHub(session.HubConfig{Store: s, Facilitator: func(id session.PersonID) bool { return id == host }})
	if err != nil {
		b.Fatal(err)
	}
	defer hub.Close()
	ctx := context.Background()
	r, err := hub.Create(ctx, host, "Scale", "")
	if err != nil {
		b.Fatal(err)
	}
	do := func(id session.PersonID, cmd session.Command) {
		if err := r.Do(ctx, id, cmd); err != nil {
			b.Fatal(err)
		}
	}
	do(host, session.Join{Name: "Host"})
	for i, a := range r.State().Agenda {
		if a.Kind == session.KindTopics {
			do(host, session.GoTo{Index: i})
		}
	}
	do(host, session.SuggestTopic{Text: "One"})
	do(host, session.SuggestTopic{Text: "Two"})
	do(host, session.StartVoting{})
	topics := r.State().Activity().State.(*session.Vote).Topics
	const n = 300
	ids := make([]session.PersonID, n)
	for i := range n {
		ids[i] = session.PersonID(fmt.Sprintf("SHA256:p%d", i))
		do(ids[i], session.Join{Name: fmt.Sprintf("P%d", i)})
	}
	b.ResetTimer()
	for k := range b.N {
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func(id session.PersonID) {
				defer wg.Done()
				if err := r.Do(ctx, id, session.CastBallot{Ballot: []string{topics[k%2].ID}}); err != nil {
					b.Error(err)
				}
			}(ids[i])
		}
		wg.Wait()
	}
	b.StopTimer()
	p := r.State().Activity().State.(*session.Vote).Polls
	if got := len(p[len(p)-1].Ballots); got != n {
		b.Fatalf("%d ballots kept, want %d", got, n)
	}
}
