package tui

import (
	"errors"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// fakeConn answers keepalives as told: at once, never, or with an error.
type fakeConn struct {
	gossh.Conn
	answer string // "yes", "never", "error"
	mu     sync.Mutex
	asked  int
	closed chan struct{}
	once   sync.Once
}

func newFakeConn(answer string) *fakeConn {
	return &fakeConn{answer: answer, closed: make(chan struct{})}
}

func (c *fakeConn) SendRequest(string, bool, []byte) (bool, []byte, error) {
	c.mu.Lock()
	c.asked++
	c.mu.Unlock()
	switch c.answer {
	case "never":
		<-c.closed
		return false, nil, errors.New("closed")
	case "error":
		return false, nil, errors.New("broken pipe")
	}
	return true, nil, nil
}

func (c *fakeConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

func (c *fakeConn) requests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.asked
}

// TestKeepalivesCloseOnlyDeadConnections: one ticker for the server asks
// every connection; a connection that answers stays open, one that never
// answers or fails is closed; the ticker stops with the last connection.
func TestKeepalivesCloseOnlyDeadConnections(t *testing.T) {
	k := newKeepalives(10 * time.Millisecond)
	alive, silent, broken := newFakeConn("yes"), newFakeConn("never"), newFakeConn("error")
	stopAlive := k.add(alive)
	stopSilent := k.add(silent)
	stopBroken := k.add(broken)

	for _, c := range []*fakeConn{silent, broken} {
		select {
		case <-c.closed:
		case <-time.After(10 * time.Second):
			t.Fatalf("a connection answering %q was not closed", c.answer)
		}
	}
	// By now the live one has been asked, and answered, several times.
	deadline := time.After(10 * time.Second)
	for alive.requests() < 5 {
		select {
		case <-deadline:
			t.Fatalf("the live connection was asked %d times", alive.requests())
		case <-time.After(time.Millisecond):
		}
	}
	select {
	case <-alive.closed:
		t.Fatal("a connection that answers was closed")
	default:
	}

	stopSilent()
	stopBroken()
	stopAlive()
	stopAlive() // twice is harmless
	for {
		k.mu.Lock()
		running, n := k.running, len(k.conns)
		k.mu.Unlock()
		if !running && n == 0 {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("the ticker still runs with no connections (%d kept)", n)
		case <-time.After(time.Millisecond):
		}
	}
}
