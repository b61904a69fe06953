package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof" // only on the address given with --pprof
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
	"github.com/convene/convene/tui"
)

// serveMain is the child process the load tool starts for each server it
// measures, so that its memory and CPU are read from /proc on their own:
//
//	convene-load serve --kind convene|baseline --addr 127.0.0.1:0 ...
//
// It prints one line, "ready ADDR CODE[,CODE...]", once it accepts
// connections, and stops on SIGTERM or when its stdin closes (the load
// tool went away).
func serveMain(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	kind := fs.String("kind", "convene", "convene or baseline")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	data := fs.String("data", "", "data folder (convene)")
	facKey := fs.String("facilitator-key", "", "authorized_keys line of the facilitator (convene)")
	screen := fs.String("screen", "topics", "what the meetups show: topics (voting), circle or welcome")
	meetups := fs.Int("meetups", 1, "how many meetups to create")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on this address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		// The parent holds our stdin open; when it exits, we stop.
		_, _ = os.Stdin.Read(make([]byte, 1))
		stop()
	}()
	if r := os.Getenv("CONVENE_MEMPROFILERATE"); r != "" {
		// Every allocation sampled, to see exactly what is kept.
		if n, err := strconv.Atoi(r); err == nil {
			runtime.MemProfileRate = n
		}
	}
	if *pprofAddr != "" {
		pl, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "pprof on http://%s/debug/pprof/\n", pl.Addr())
		go func() { _ = http.Serve(pl, nil) }()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	switch *kind {
	case "baseline":
		srv, err := newBaseline(*data)
		if err != nil {
			return err
		}
		fmt.Printf("ready %s -\n", ln.Addr())
		go func() { _ = srv.Serve(ln) }()
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		return nil
	case "convene":
		return serveConvene(ctx, ln, *data, *facKey, *screen, *meetups)
	}
	return fmt.Errorf("unknown kind %q", *kind)
}

// serveConvene runs the real server on a fresh database, with meetups set
// up on the screen to measure (the facilitator's key runs them).
func serveConvene(ctx context.Context, ln net.Listener, data, facLine, screen string, meetups int) error {
	pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(facLine))
	if err != nil {
		return fmt.Errorf("facilitator key: %w", err)
	}
	fac := session.PersonID(gossh.FingerprintSHA256(pk))
	db, err := store.Open(filepath.Join(data, "convene.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	logger := log.New(os.Stderr)
	logger.SetLevel(log.WarnLevel)
	hub, err := session.NewHub(session.HubConfig{
		Store:       db,
		Facilitator: func(id session.PersonID) bool { return id == fac },
		Logger:      logger,
	})
	if err != nil {
		return err
	}
	defer hub.Close()
	var codes []string
	for i := range meetups {
		code, err := setUpMeetup(ctx, hub, fac, fmt.Sprintf("Load meetup %d", i+1), screen)
		if err != nil {
			return fmt.Errorf("set up meetup: %w", err)
		}
		codes = append(codes, code)
	}
	srv, err := tui.New(tui.Config{
		Addr:               ln.Addr().String(),
		HostKeyPath:        filepath.Join(data, "host_ed25519"),
		Hub:                hub,
		Logger:             logger,
		NewConnsPerAddress: 100000,
	})
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Printf("ready %s %s\n", ln.Addr(), strings.Join(codes, ","))
	select {
	case err := <-served:
		if !errors.Is(err, tui.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		hub.Shutdown()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}
	return nil
}

// setUpMeetup creates a meetup and moves it to the screen to measure:
// topics with five topics and voting open, the solution circle, or the
// welcome. The facilitator leaves again, to come back by SSH.
func setUpMeetup(ctx context.Context, hub *session.Hub, fac session.PersonID, title, screen string) (string, error) {
	room, err := hub.Create(ctx, fac, title, "")
	if err != nil {
		return "", err
	}
	do := func(cmd session.Command) error { return room.Do(ctx, fac, cmd) }
	if err := do(session.Join{Name: "Host"}); err != nil {
		return "", err
	}
	goTo := func(k session.Kind) error {
		for i, a := range room.State().Agenda {
			if a.Kind == k {
				return do(session.GoTo{Index: i})
			}
		}
		return fmt.Errorf("no %s in the agenda", k)
	}
	switch screen {
	case "welcome":
	case "circle":
		if err := goTo(session.KindCircle); err != nil {
			return "", err
		}
	case "topics":
		if err := goTo(session.KindTopics); err != nil {
			return "", err
		}
		for _, t := range []string{"Onboarding new people", "Flaky tests", "Remote pairing", "Release notes", "On-call load"} {
			if err := do(session.SuggestTopic{Text: t}); err != nil {
				return "", err
			}
		}
		if err := do(session.StartVoting{}); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("unknown screen %q", screen)
	}
	if err := do(session.Leave{}); err != nil {
		return "", err
	}
	return room.State().Code, nil
}
