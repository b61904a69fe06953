package tui

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	"charm.land/wish/v2/ratelimiter"
	"golang.org/x/time/rate"

	"github.com/convene/convene/tui/sshtest"
)

func TestOpenCounts(t *testing.T) {
	var c openCounts
	for i := range 3 {
		if !c.acquire("a", 3) {
			t.Fatalf("session %d of 3 refused", i+1)
		}
	}
	if c.acquire("a", 3) {
		t.Fatal("a fourth session allowed")
	}
	if !c.acquire("b", 3) {
		t.Fatal("another key refused")
	}
	c.release("a")
	if !c.acquire("a", 3) {
		t.Fatal("refused after one closed")
	}
	for range 3 {
		c.release("a")
	}
	c.release("b")
	if len(c.n) != 0 {
		t.Fatalf("counts left after every session closed: %v", c.n)
	}
}

func TestAddrKey(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 50000}, "192.0.2.1"},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.1"), Port: 1}, "192.0.2.1"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:aaaa::1"), Port: 1}, "2001:db8:1:2::/64"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:bbbb::9"), Port: 2}, "2001:db8:1:2::/64"},
		{&net.UnixAddr{Name: "/tmp/sock", Net: "unix"}, "/tmp/sock"},
		{nil, ""},
	} {
		if got := addrKey(tc.addr); got != tc.want {
			t.Errorf("addrKey(%v) = %q; want %q", tc.addr, got, tc.want)
		}
	}
}

// startServer serves a fresh hub on a loopback port; adjust may change
// the server's limits before it starts.
func startServer(t *testing.T, adjust func(*Server)) string {
	t.Helper()
	dir := t.TempDir()
	srv, err := New(Config{HostKeyPath: filepath.Join(dir, "host_ed25519"), Hub: testHub(t), Logger: log.New(newTestLog(t))})
	if err != nil {
		t.Fatal(err)
	}
	adjust(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return ln.Addr().String()
}

// testLog logs to t until the test is cleaning up: a session's goroutine
// may still log after Shutdown returns, and logging to a test that has
// ended panics.
type testLog struct {
	t    *testing.T
	mu   sync.Mutex
	over bool
}

func newTestLog(t *testing.T) *testLog {
	w := &testLog{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.over = true
		w.mu.Unlock()
	})
	return w
}

func (w *testLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.over {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// refused waits for the server to turn c away, and returns what it said.
func refused(t *testing.T, c *sshtest.Client) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, err := c.WaitExit(ctx)
	if err != nil || status != 1 {
		t.Fatalf("refused session: exit status %d, %v; want 1", status, err)
	}
	return c.Stderr()
}

func waitScreen(t *testing.T, c *sshtest.Client, substr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitFor(ctx, substr); err != nil {
		t.Fatal(err)
	}
}

func TestTooManyConnectionsFromAnAddressAreToldWhy(t *testing.T) {
	addr := startServer(t, func(s *Server) {
		s.conns = ratelimiter.NewRateLimiter(rate.Every(time.Hour), 2, 10)
	})
	for range 2 {
		c := sshtest.MustDial(t, addr, sshtest.Options{Signer: sshtest.NewSigner(t)})
		waitScreen(t, c, "call you")
	}
	c := sshtest.MustDial(t, addr, sshtest.Options{Signer: sshtest.NewSigner(t)})
	msg := refused(t, c)
	if !strings.Contains(msg, "too many new connections from this address") || strings.Count(strings.TrimSpace(msg), "\n") != 0 || !strings.HasSuffix(msg, "\n\r") {
		t.Fatalf("refusal = %q; want one line saying why, ending the line", msg)
	}
}

func TestGuestsWithoutAKeyAreCountedPerAddress(t *testing.T) {
	var srv *Server
	addr := startServer(t, func(s *Server) {
		s.maxGuests = 2
		srv = s
	})
	var guests []*sshtest.Client
	for range 2 {
		c := sshtest.MustDial(t, addr, sshtest.Options{User: "guest"})
		waitScreen(t, c, "call you")
		guests = append(guests, c)
	}
	c := sshtest.MustDial(t, addr, sshtest.Options{User: "guest"})
	if msg := refused(t, c); !strings.Contains(msg, "too many guests without an SSH key from this address") {
		t.Fatalf("refusal = %q; want it to say there are too many guests without a key", msg)
	}
	// People with keys are counted by key, not with the guests.
	k := sshtest.MustDial(t, addr, sshtest.Options{Signer: sshtest.NewSigner(t)})
	waitScreen(t, k, "call you")

	// A guest who leaves makes room for another.
	must(t, guests[0].Close())
	deadline := time.Now().Add(10 * time.Second)
	for {
		srv.guests.mu.Lock()
		n := srv.guests.n["127.0.0.1"]
		srv.guests.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d guests counted after one of two left", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	c = sshtest.MustDial(t, addr, sshtest.Options{User: "guest"})
	waitScreen(t, c, "call you")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
