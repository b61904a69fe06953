package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/convene/convene/tui/sshtest"
)

// burst: everyone in one meetup votes within one second; every ballot must
// be committed (the facilitator's count says so) and shown to its voter.
func burst(o options) error {
	fac, facLine, err := newKey()
	if err != nil {
		return err
	}
	srv, err := startServer("convene", "topics", facLine, 1, false)
	if err != nil {
		return err
	}
	defer srv.stop()
	code := srv.codes[0]
	start := time.Now()
	clients, err := connectAll(o, srv.addr, func(int) string { return code }, "convene")
	defer closeAll(clients)
	if err != nil {
		return err
	}
	fmt.Printf("connected %d clients (%dx%d) in %v\n", len(clients), o.width, o.height, time.Since(start).Round(time.Millisecond))
	f, err := join(srv.addr, code, "Host", fac, o.width, o.height, "convene")
	if err != nil {
		return fmt.Errorf("facilitator: %w", err)
	}
	defer f.Close()
	time.Sleep(time.Second)
	sent, spread, err := voteAll(clients)
	if err != nil {
		return err
	}
	fmt.Printf("%d ballots sent within %v\n", len(clients), spread.Round(time.Millisecond))
	if err := waitVoted(clients, sent); err != nil {
		return err
	}
	fmt.Printf("every voter sees their vote %v after the first was sent\n", time.Since(sent).Round(time.Millisecond))
	want := fmt.Sprintf("Voted: %d of %d here", len(clients), len(clients)+1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.WaitFor(ctx, want); err != nil {
		return fmt.Errorf("the facilitator does not see every ballot: %w", err)
	}
	fmt.Printf("the facilitator's screen says %q %v after the first was sent: none lost\n", want, time.Since(sent).Round(time.Millisecond))
	return nil
}

// spread: o.clients people over o.meetups meetups connect and vote.
func spread(o options) error {
	_, facLine, err := newKey()
	if err != nil {
		return err
	}
	srv, err := startServer("convene", "topics", facLine, o.meetups, false)
	if err != nil {
		return err
	}
	defer srv.stop()
	pid := srv.cmd.Process.Pid
	before := readProc(pid)
	start := time.Now()
	clients, err := connectAll(o, srv.addr, func(i int) string { return srv.codes[i%len(srv.codes)] }, "convene")
	defer closeAll(clients)
	if err != nil {
		return err
	}
	after := readProc(pid)
	fmt.Printf("connected %d clients over %d meetups (%dx%d) in %v, without errors; server RSS %.0f MiB, %.2f MiB per person\n",
		len(clients), len(srv.codes), o.width, o.height, time.Since(start).Round(time.Millisecond), mib(after.rss), mib(after.rss-before.rss)/float64(len(clients)))
	sent, d, err := voteAll(clients)
	if err != nil {
		return err
	}
	fmt.Printf("%d ballots sent within %v\n", len(clients), d.Round(time.Millisecond))
	if err := waitVoted(clients, sent); err != nil {
		return err
	}
	fmt.Printf("every voter sees their vote %v after the first was sent; no errors\n", time.Since(sent).Round(time.Millisecond))
	return nil
}

// voteAll has every client put a dot on the first topic and cast it, all
// at once. It returns when the first was sent and how long sending took.
func voteAll(clients []*sshtest.Client) (time.Time, time.Duration, error) {
	var wg sync.WaitGroup
	errs := make(chan error, len(clients))
	gate := make(chan struct{})
	for _, c := range clients {
		wg.Add(1)
		go func(c *sshtest.Client) {
			defer wg.Done()
			<-gate
			if err := c.Press("right", "enter"); err != nil {
				errs <- err
			}
		}(c)
	}
	sent := time.Now()
	close(gate)
	wg.Wait()
	d := time.Since(sent)
	close(errs)
	for err := range errs {
		return sent, d, err
	}
	return sent, d, nil
}

func waitVoted(clients []*sshtest.Client, sent time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(clients))
	for _, c := range clients {
		wg.Add(1)
		go func(c *sshtest.Client) {
			defer wg.Done()
			if err := c.WaitChange(ctx, "the vote shown", func(s string) bool { return strings.Contains(s, "Your vote is in") }); err != nil {
				errs <- err
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	n := 0
	var first error
	for err := range errs {
		if first == nil {
			first = err
		}
		n++
	}
	if n > 0 {
		return fmt.Errorf("%d of %d voters do not see their vote %v after sending; the first: %w", n, len(clients), time.Since(sent).Round(time.Millisecond), first)
	}
	return nil
}
