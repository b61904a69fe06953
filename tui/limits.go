package tui

import (
	"fmt"
	"net"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/ratelimiter"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// The limits below are generous on purpose: a whole meetup may sit behind
// one address (a venue's NAT, a company's network) and arrive at once. They
// are there to stop runaway scripts and code guessing, not people.

// A screen may send a burst of commands (quick key presses), then about
// commandRate a second: a key held down must not save a change many
// times a second for ever.
const (
	commandBurst = 30
	commandRate  = 10
)

// limiter bounds one screen's commands. It is shared by every copy of the
// model, so it counts them all. The zero value is ready to use.
type limiter struct {
	once sync.Once
	r    *rate.Limiter
}

// allow says whether a command may run at now, and counts it if so.
func (l *limiter) allow(now time.Time) bool {
	if l == nil {
		return true
	}
	l.once.Do(func() { l.r = rate.NewLimiter(commandRate, commandBurst) })
	return l.r.AllowN(now, 1)
}

// New connections per address: a burst big enough for a whole meetup to
// join within a minute, then a couple a second.
const (
	connBurst = 60
	connRate  = 2
	// maxTracked bounds how many addresses (and keys) the limits remember;
	// the least recently seen are forgotten first.
	maxTracked = 10000
)

// MaxGuestsPerAddress bounds the sessions open at once without an SSH key
// from one address. Such guests have no identity to count by, so their
// address is what is counted.
const MaxGuestsPerAddress = 64

// newConnLimiter counts new sessions per remote IP (Wish's rate limiter):
// burst at once (0: connBurst), then a refill of a thirtieth of it a
// second, at least connRate.
func newConnLimiter(burst int) ratelimiter.RateLimiter {
	if burst <= 0 {
		burst = connBurst
	}
	return ratelimiter.NewRateLimiter(rate.Limit(max(connRate, burst/30)), burst, maxTracked)
}

// rateLimit turns away sessions from an address that opens too many too
// fast. It is Wish's ratelimiter.Middleware but for the refusal, which
// that prints without an end of line and in words that do not say what
// to do.
func (s *Server) rateLimit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if err := s.conns.Allow(sess); err != nil {
			s.log.Warn("refused", "addr", sess.RemoteAddr().String(), "err", err)
			wish.Fatalln(sess, "convene: too many new connections from this address just now; wait a few seconds and try again.")
			return
		}
		next(sess)
	}
}

// openCounts counts open sessions by a key: a person, or an address.
type openCounts struct {
	mu sync.Mutex
	n  map[string]int
}

// acquire counts one more session for k unless k already has limit.
func (c *openCounts) acquire(k string, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[k] >= limit {
		return false
	}
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[k]++
	return true
}

// release counts one session of k fewer.
func (c *openCounts) release(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[k]--; c.n[k] <= 0 {
		delete(c.n, k)
	}
}

// addrKey is what the limits count an address by: its IP, without the
// port. An IPv6 address counts by its /64, the block one network (or one
// person) gets, so that an address per connection does not escape them.
func addrKey(a net.Addr) string {
	var ip net.IP
	switch a := a.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		if a == nil {
			return ""
		}
		host, _, err := net.SplitHostPort(a.String())
		if err != nil {
			return a.String()
		}
		if ip = net.ParseIP(host); ip == nil {
			return host
		}
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// Wrong join codes. Per person (key): the first few are free, then each
// try waits twice as long as the one before, up to maxCodeWait. Per
// address, for everyone behind it together: addrFreeWrongCodes a minute
// are free, then tries wait for the allowance to refill. Guessing a code
// is hopeless either way; the address rule is what bounds a person with
// many keys, and is loose enough that one person mistyping does not lock
// out a room behind the same address.
const (
	freeWrongCodes     = 3
	maxCodeWait        = 30 * time.Second
	addrFreeWrongCodes = 20
	addrWrongCodeRate  = rate.Limit(addrFreeWrongCodes) / 60
	// forgetWrongCodes is how long without a wrong code before a key or
	// an address starts afresh.
	forgetWrongCodes = 10 * time.Minute
)

// codeGuard counts wrong join codes across every connection of a server,
// so that reconnecting does not start the count afresh. Guests without a
// key have a new identity each connection; they are counted together per
// address under the per-person rule, as well as under the address rule.
type codeGuard struct {
	now   func() time.Time
	mu    sync.Mutex
	keys  *simplelru.LRU[string, *keyStrikes]
	addrs *simplelru.LRU[string, *addrStrikes]
}

// keyStrikes is one person's run of wrong codes.
type keyStrikes struct {
	wrong int
	until time.Time // no tries before this
	last  time.Time // the last wrong code
}

// addrStrikes is the wrong codes of everyone behind one address.
type addrStrikes struct {
	allowance *rate.Limiter
	last      time.Time
}

// newCodeGuard makes a guard that reads the time from now.
func newCodeGuard(now func() time.Time) *codeGuard {
	keys, _ := simplelru.NewLRU[string, *keyStrikes](maxTracked, nil)
	addrs, _ := simplelru.NewLRU[string, *addrStrikes](maxTracked, nil)
	return &codeGuard{now: now, keys: keys, addrs: addrs}
}

// codeTrier is who tries a code: the person and the address they are at.
type codeTrier struct {
	id   Identity
	addr string
}

// key is what the per-person rule counts the trier by.
func (t codeTrier) key() string {
	if t.id.Keyless {
		return "guests@" + t.addr
	}
	return "key:" + string(t.id.ID)
}

// wait says how long t must wait before trying a code; shared is true when
// the wait is because of everyone at t's address, not t alone.
func (g *codeGuard) wait(t codeTrier) (d time.Duration, shared bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.forget(now)
	return g.waitLocked(t, now)
}

func (g *codeGuard) waitLocked(t codeTrier, now time.Time) (d time.Duration, shared bool) {
	if k, ok := g.keys.Peek(t.key()); ok && now.Before(k.until) {
		d = k.until.Sub(now)
	}
	if a, ok := g.addrs.Peek(t.addr); ok {
		if left := a.allowance.TokensAt(now); left < 1 {
			ad := time.Duration((1 - left) / float64(addrWrongCodeRate) * float64(time.Second))
			if ad > d {
				d, shared = ad, true
			}
		}
	}
	return d, shared
}

// wrong counts a wrong code by t and says how long t must now wait before
// the next try (0 when the next is free).
func (g *codeGuard) wrong(t codeTrier) (d time.Duration, shared bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.forget(now)

	k, ok := g.keys.Get(t.key())
	if !ok {
		k = &keyStrikes{}
		g.keys.Add(t.key(), k)
	}
	k.wrong++
	k.last = now
	if over := k.wrong - freeWrongCodes; over >= 0 {
		// Past five doublings the wait is at its cap anyway; the shift
		// must not overflow.
		k.until = now.Add(min(time.Second<<min(over, 16), maxCodeWait))
	}

	a, ok := g.addrs.Get(t.addr)
	if !ok {
		a = &addrStrikes{allowance: rate.NewLimiter(addrWrongCodeRate, addrFreeWrongCodes)}
		g.addrs.Add(t.addr, a)
	}
	// Several people may try at once: the allowance may go below zero,
	// and the address then waits longer.
	a.allowance.ReserveN(now, 1)
	a.last = now
	return g.waitLocked(t, now)
}

// right notes a right code by t: the person's count starts afresh. The
// address keeps its count, so that knowing one code does not open the
// way to guessing others.
func (g *codeGuard) right(t codeTrier) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.keys.Remove(t.key())
}

// forget drops keys and addresses with no wrong code for a while. Only a
// wrong code makes an entry the most recent, so the oldest are the
// stalest.
func (g *codeGuard) forget(now time.Time) {
	for {
		_, k, ok := g.keys.GetOldest()
		if !ok || now.Sub(k.last) < forgetWrongCodes {
			break
		}
		g.keys.RemoveOldest()
	}
	for {
		_, a, ok := g.addrs.GetOldest()
		if !ok || now.Sub(a.last) < forgetWrongCodes {
			break
		}
		g.addrs.RemoveOldest()
	}
}

// size says how many keys and addresses the guard remembers.
func (g *codeGuard) size() (keys, addrs int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.keys.Len(), g.addrs.Len()
}

// codeTrier says who tries codes on this connection, and the guard that
// counts their wrong ones. A connection the server did not set up (in
// tests) gets a guard of its own, so it still backs off.
func (c *conn) codeTrier(id Identity) (*codeGuard, codeTrier) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.codes == nil {
		c.codes = newCodeGuard(time.Now)
	}
	return c.codes, codeTrier{id: id, addr: c.addr}
}

// tooManyWrongCodes says why a code is not tried, and for how long.
func tooManyWrongCodes(wait time.Duration, shared bool) string {
	if shared {
		return fmt.Sprintf("Too many wrong codes from your network: wait %d s, then try again.", waitSeconds(wait))
	}
	return fmt.Sprintf("Too many wrong codes: wait %d s, then try again.", waitSeconds(wait))
}

// waitSeconds is a wait in whole seconds, rounded up.
func waitSeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// waitForCode says when the wait for another try is over.
func (m *model) waitForCode(wait time.Duration) tea.Cmd {
	m.lobby.waitUntil = time.Now().Add(wait)
	return tea.Tick(wait, func(time.Time) tea.Msg { return codeWaitOverMsg{} })
}
