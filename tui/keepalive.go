package tui

import (
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// keepalives notice dead connections so that people who vanished are
// shown as gone instead of lingering. One ticker serves every connection
// of the server, and runs only while there are connections: each tick
// asks every connection for a keepalive reply (a short-lived goroutine per
// request), and closes a connection that has not answered the one before
// within two ticks, or whose request failed.
type keepalives struct {
	every time.Duration

	mu      sync.Mutex
	conns   map[gossh.Conn]*keepState
	running bool
}

// keepState is one connection's: how many of its sessions are open, and
// when the request it has not yet answered was sent.
type keepState struct {
	sessions int
	asked    time.Time // zero: no request waiting
}

func newKeepalives(every time.Duration) *keepalives {
	return &keepalives{every: every, conns: make(map[gossh.Conn]*keepState)}
}

// add starts watching c for one more session; the returned func stops.
func (k *keepalives) add(c gossh.Conn) func() {
	k.mu.Lock()
	st, ok := k.conns[c]
	if !ok {
		st = &keepState{}
		k.conns[c] = st
	}
	st.sessions++
	if !k.running {
		k.running = true
		go k.loop()
	}
	k.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			k.mu.Lock()
			defer k.mu.Unlock()
			if st.sessions--; st.sessions <= 0 && k.conns[c] == st {
				delete(k.conns, c)
			}
		})
	}
}

// loop ticks while there are connections, and ends with the last.
func (k *keepalives) loop() {
	t := time.NewTicker(k.every)
	defer t.Stop()
	for now := range t.C {
		k.mu.Lock()
		if len(k.conns) == 0 {
			k.running = false
			k.mu.Unlock()
			return
		}
		for c, st := range k.conns {
			switch {
			case st.asked.IsZero():
				st.asked = now
				go k.ask(c, st)
			case now.Sub(st.asked) >= 2*k.every:
				// No answer in two ticks: the connection is dead.
				delete(k.conns, c)
				go func() { _ = c.Close() }()
			}
		}
		k.mu.Unlock()
	}
}

// ask sends one keepalive request and waits for its answer.
func (k *keepalives) ask(c gossh.Conn, st *keepState) {
	_, _, err := c.SendRequest("keepalive@openssh.com", true, nil)
	k.mu.Lock()
	if err == nil {
		st.asked = time.Time{}
	} else if k.conns[c] == st {
		delete(k.conns, c)
	}
	k.mu.Unlock()
	if err != nil {
		_ = c.Close()
	}
}
