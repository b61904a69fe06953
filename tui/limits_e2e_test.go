package tui_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
	"github.com/convene/convene/store"
	"github.com/convene/convene/tui"
	"github.com/convene/convene/tui/sshtest"
)

// serveWithClock serves a fresh hub whose clock stands still until moved,
// so that waits after wrong codes can pass without sleeping. It returns the
// address and the code of a meetup made by host.
func serveWithClock(t *testing.T, clock *clocktest.Clock, host gossh.Signer) (addr, code string) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "convene.db"))
	if err != nil {
		t.Fatal(err)
	}
	hostID := session.PersonID(gossh.FingerprintSHA256(host.PublicKey()))
	hub, err := session.NewHub(session.HubConfig{
		Store:       db,
		Clock:       clock,
		Facilitator: func(id session.PersonID) bool { return id == hostID },
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := hub.Create(context.Background(), hostID, "Limits night", "")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := tui.New(tui.Config{HostKeyPath: filepath.Join(dir, "host_ed25519"), Hub: hub, Logger: log.New(untilCleanup(t))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		hub.Shutdown()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
		hub.Close()
		_ = db.Close()
	})
	return ln.Addr().String(), r.State().Code
}

// untilCleanup logs to t until the test is cleaning up: a session's
// goroutine may still log after Shutdown returns, and logging to a test
// that has ended panics.
func untilCleanup(t *testing.T) io.Writer {
	w := &cleanupWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.over = true
		w.mu.Unlock()
	})
	return w
}

type cleanupWriter struct {
	t    *testing.T
	mu   sync.Mutex
	over bool
}

func (w *cleanupWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.over {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// typeCode types a code into the lobby and waits for the message about it.
func typeCode(t *testing.T, c *sshtest.Client, code, want string) {
	t.Helper()
	must(t, c.Press("ctrl+u"))
	must(t, c.Type(code))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(waitCtx(t), want))
}

func TestWrongCodesAreCountedAcrossConnectionsByKey(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	ana, bob := sshtest.NewSigner(t), sshtest.NewSigner(t)
	addr, code := serveWithClock(t, clock, sshtest.NewSigner(t))

	a := join(t, addr, ana, "ana", "", "Ana")
	must(t, a.WaitFor(waitCtx(t), "Join a meetup"))
	typeCode(t, a, "ZZZZZ2", `"ZZZZZ2"`)
	typeCode(t, a, "ZZZZZ3", `"ZZZZZ3"`)
	typeCode(t, a, "ZZZZZ4", "(wait 1 s)")
	clock.Advance(time.Second)
	typeCode(t, a, "ZZZZZ5", "(wait 2 s)")
	clock.Advance(2 * time.Second)
	typeCode(t, a, "ZZZZZ6", "(wait 4 s)")
	must(t, a.Close())

	// Coming back on a new connection with the same key does not start
	// afresh: even the right code must wait.
	a = join(t, addr, ana, "ana", code, "Ana")
	must(t, a.WaitFor(waitCtx(t), "Too many wrong codes: wait 4 s"))
	if strings.Contains(a.Screen(), "Limits night") {
		t.Fatalf("joined during the wait:\n%s", a.Screen())
	}

	// Someone else at the same address is not held up by Ana's mistakes.
	b := join(t, addr, bob, "bob", "", "Bob")
	must(t, b.WaitFor(waitCtx(t), "Join a meetup"))
	typeCode(t, b, "ZZZZZ7", `"ZZZZZ7"`)
	if s := b.Screen(); strings.Contains(s, "wait") {
		t.Fatalf("bob was asked to wait after one wrong code:\n%s", s)
	}
	typeCode(t, b, code, "Limits night")

	// Once the wait is over, Ana gets in with the code she came with.
	clock.Advance(4 * time.Second)
	must(t, a.Press("enter"))
	must(t, a.WaitFor(waitCtx(t), "Limits night"))
}

func TestKeylessGuestsCannotReconnectToStartAfresh(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	addr, code := serveWithClock(t, clock, sshtest.NewSigner(t))
	for i := range 3 {
		g := join(t, addr, nil, "guest", "", "Gus")
		must(t, g.WaitFor(waitCtx(t), "Join a meetup"))
		typeCode(t, g, fmt.Sprintf("ZZZZZ%d", i+2), fmt.Sprintf(`"ZZZZZ%d"`, i+2))
		must(t, g.Close())
	}
	g := join(t, addr, nil, "guest", code, "Gus")
	must(t, g.WaitFor(waitCtx(t), "Too many wrong codes: wait 1 s"))
	// A person with a key at the same address is not held up by guests.
	k := join(t, addr, sshtest.NewSigner(t), "kim", code, "Kim")
	must(t, k.WaitFor(waitCtx(t), "Limits night"))
}
