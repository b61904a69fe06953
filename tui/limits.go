package tui

import (
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/ratelimiter"
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

// newConnLimiter counts new sessions per remote IP (Wish's rate limiter).
func newConnLimiter() ratelimiter.RateLimiter {
	return ratelimiter.NewRateLimiter(connRate, connBurst, maxTracked)
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
