package tui

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	"charm.land/wish/v2/ratelimiter"
	"golang.org/x/time/rate"

	"github.com/convene/convene/session"
	"github.com/convene/convene/tui/sshtest"
)

// fakeTime is a clock for the guard that moves only when told.
type fakeTime struct{ t time.Time }

func (f *fakeTime) now() time.Time          { return f.t }
func (f *fakeTime) advance(d time.Duration) { f.t = f.t.Add(d) }

func newFakeTime() *fakeTime {
	return &fakeTime{t: time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)}
}

func keyed(id, addr string) codeTrier {
	return codeTrier{id: Identity{ID: session.PersonID(id)}, addr: addr}
}

func keyless(id, addr string) codeTrier {
	return codeTrier{id: Identity{ID: session.PersonID("guest:" + id), Keyless: true}, addr: addr}
}

func mustWait(t *testing.T, g *codeGuard, who codeTrier, want time.Duration, wantShared bool) {
	t.Helper()
	if got, shared := g.wait(who); got != want || shared != wantShared {
		t.Fatalf("wait for %s = %v (shared %v); want %v (shared %v)", who.key(), got, shared, want, wantShared)
	}
}

func TestCodeGuardPerKeyDoublesUpToTheCap(t *testing.T) {
	clock := newFakeTime()
	g := newCodeGuard(clock.now)
	ana := keyed("SHA256:ana", "192.0.2.1")
	for i := range freeWrongCodes - 1 {
		if d, _ := g.wrong(ana); d != 0 {
			t.Fatalf("wrong code %d asks to wait %v; the first %d are free", i+1, d, freeWrongCodes-1)
		}
		mustWait(t, g, ana, 0, false)
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i, w := range want {
		w *= time.Second
		if d, shared := g.wrong(ana); d != w || shared {
			t.Fatalf("wrong code %d: wait %v (shared %v); want %v", freeWrongCodes+i, d, shared, w)
		}
		mustWait(t, g, ana, w, false)
		clock.advance(w - time.Millisecond)
		mustWait(t, g, ana, time.Millisecond, false)
		clock.advance(time.Millisecond)
		mustWait(t, g, ana, 0, false)
	}
	// Many more never overflow the doubling.
	for range 100 {
		d, _ := g.wrong(ana)
		if d <= 0 || d > maxCodeWait {
			t.Fatalf("wait %v after many wrong codes; want (0, %v]", d, maxCodeWait)
		}
		clock.advance(d)
	}
}

func TestCodeGuardRightCodeResetsTheKeyNotTheAddress(t *testing.T) {
	clock := newFakeTime()
	g := newCodeGuard(clock.now)
	ana := keyed("SHA256:ana", "192.0.2.1")
	for range freeWrongCodes {
		g.wrong(ana)
	}
	mustWait(t, g, ana, time.Second, false)
	clock.advance(time.Second)
	g.right(ana)
	if d, _ := g.wrong(ana); d != 0 {
		t.Fatalf("after a right code, a wrong one asks to wait %v; want it free", d)
	}

	// The address keeps counting: everyone there together gets
	// addrFreeWrongCodes a minute, right codes or not.
	for i := range addrFreeWrongCodes - freeWrongCodes - 2 {
		g.wrong(keyed(fmt.Sprintf("SHA256:k%d", i), "192.0.2.1"))
	}
	g.right(ana)
	mustWait(t, g, ana, 0, false)
	// The second since the first wrong code gave back a third of a try.
	if d, shared := g.wrong(ana); d <= 0 || d > 2*time.Second || !shared {
		t.Fatalf("wrong code %d from one address in a second: wait %v (shared %v); want about 2s shared", addrFreeWrongCodes, d, shared)
	}
}

func TestCodeGuardOneKeysMistakesDoNotBlockOthers(t *testing.T) {
	clock := newFakeTime()
	g := newCodeGuard(clock.now)
	ana := keyed("SHA256:ana", "192.0.2.1")
	bob := keyed("SHA256:bob", "192.0.2.1")
	for range freeWrongCodes + 2 {
		d, _ := g.wrong(ana)
		clock.advance(d)
	}
	g.wrong(ana)
	if d, _ := g.wait(ana); d == 0 {
		t.Fatal("ana is not waiting after many wrong codes")
	}
	mustWait(t, g, bob, 0, false)
	if d, _ := g.wrong(bob); d != 0 {
		t.Fatalf("bob's first wrong code asks to wait %v", d)
	}
}

func TestCodeGuardAddressAllowanceRefills(t *testing.T) {
	clock := newFakeTime()
	g := newCodeGuard(clock.now)
	const here, there = "192.0.2.1", "198.51.100.7"
	// A room of people each mistyping once.
	for i := range addrFreeWrongCodes - 1 {
		if d, _ := g.wrong(keyed(fmt.Sprintf("SHA256:p%d", i), here)); d != 0 {
			t.Fatalf("wrong code %d from the address asks to wait %v", i+1, d)
		}
	}
	last := keyed("SHA256:last", here)
	if d, shared := g.wrong(last); d != 3*time.Second || !shared {
		t.Fatalf("wrong code %d from the address: wait %v (shared %v); want 3s shared", addrFreeWrongCodes, d, shared)
	}
	newcomer := keyed("SHA256:new", here)
	mustWait(t, g, newcomer, 3*time.Second, true)
	mustWait(t, g, keyed("SHA256:far", there), 0, false)
	clock.advance(3 * time.Second)
	mustWait(t, g, newcomer, 0, false)
	// One try's worth came back; the next wrong code waits again.
	if d, shared := g.wrong(newcomer); d != 3*time.Second || !shared {
		t.Fatalf("after the refill: wait %v (shared %v); want 3s shared", d, shared)
	}
	clock.advance(time.Minute)
	mustWait(t, g, newcomer, 0, false)
}

func TestCodeGuardKeylessGuestsCountTogetherPerAddress(t *testing.T) {
	clock := newFakeTime()
	g := newCodeGuard(clock.now)
	// Each connection without a key is a new guest; reconnecting must not
	// start afresh, so guests at one address share the per-person rule.
	for i := range freeWrongCodes - 1 {
		g.wrong(keyless(fmt.Sprint(i), "192.0.2.1"))
	}
	if d, shared := g.wrong(keyless("again", "192.0.2.1")); d != time.Second || shared {
		t.Fatalf("third guest wrong code: wait %v (shared %v); want 1s", d, shared)
	}
	mustWait(t, g, keyless("yet another", "192.0.2.1"), time.Second, false)
	mustWait(t, g, keyless("elsewhere", "198.51.100.7"), 0, false)
	// People with keys at the same address are not held up by guests.
	mustWait(t, g, keyed("SHA256:ana", "192.0.2.1"), 0, false)
	// A guest who gets a code right clears it for the guests there.
	clock.advance(time.Second)
	g.right(keyless("right", "192.0.2.1"))
	if d, _ := g.wrong(keyless("after", "192.0.2.1")); d != 0 {
		t.Fatalf("after a right code, a guest's wrong code asks to wait %v", d)
	}
}

func TestCodeGuardForgetsAndStaysBounded(t *testing.T) {
	clock := newFakeTime()
	g := newCodeGuard(clock.now)
	ana := keyed("SHA256:ana", "192.0.2.1")
	for range freeWrongCodes + 3 {
		d, _ := g.wrong(ana)
		clock.advance(d)
	}
	g.wrong(ana)
	clock.advance(forgetWrongCodes - time.Second)
	g.wrong(keyed("SHA256:bob", "198.51.100.7"))
	if k, a := g.size(); k != 2 || a != 2 {
		t.Fatalf("before the time to forget: %d keys, %d addresses; want 2, 2", k, a)
	}
	clock.advance(time.Second)
	mustWait(t, g, ana, 0, false)
	if k, a := g.size(); k != 1 || a != 1 {
		t.Fatalf("after %v without wrong codes: %d keys, %d addresses remembered; want 1, 1", forgetWrongCodes, k, a)
	}
	// Ana starts afresh.
	if d, _ := g.wrong(ana); d != 0 {
		t.Fatalf("a forgotten key's wrong code asks to wait %v", d)
	}

	for i := range maxTracked + 10 {
		g.wrong(keyed(fmt.Sprintf("SHA256:%d", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)))
	}
	if k, a := g.size(); k > maxTracked || a > maxTracked {
		t.Fatalf("%d keys, %d addresses remembered; want at most %d", k, a, maxTracked)
	}
}

func TestConnWithoutAServerStillBacksOff(t *testing.T) {
	c := newConn()
	g1, who := c.codeTrier(Identity{ID: anaID})
	g2, _ := c.codeTrier(Identity{ID: anaID})
	if g1 == nil || g1 != g2 {
		t.Fatal("a connection without a server has no guard of its own")
	}
	for range freeWrongCodes {
		g1.wrong(who)
	}
	if d, _ := g2.wait(who); d <= 0 {
		t.Fatal("no wait after wrong codes")
	}
}

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

func TestWaitSecondsRoundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{
		time.Second:                          1,
		time.Second + time.Nanosecond:        2,
		3 * time.Second:                      3,
		2*time.Second + 999*time.Millisecond: 3,
	} {
		if got := waitSeconds(d); got != want {
			t.Errorf("waitSeconds(%v) = %d; want %d", d, got, want)
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
