package tui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	"charm.land/wish/v2/ratelimiter"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
)

// Config wires the SSH server.
type Config struct {
	// Addr to listen on, e.g. ":2222".
	Addr string
	// HostKeyPath is the server's ed25519 key; created on first start.
	HostKeyPath string
	Hub         *session.Hub
	Logger      *log.Logger
	// KeepAlive is how often idle connections are checked; 0 means 15s. A
	// connection that has not answered within twice that is closed, so a
	// dead one is noticed within three times it (45 s by default).
	KeepAlive time.Duration
	// NewConnsPerAddress is how many new sessions one address may open at
	// once before it must wait; 0 means 60, a whole meetup behind one NAT.
	NewConnsPerAddress int
}

// Server serves the meetups over SSH: one Bubble Tea program per
// connection, all reading the same live rooms.
type Server struct {
	ssh      *ssh.Server
	sessions sync.Map // ssh.Session -> *perSession

	hub  *session.Hub
	log  *log.Logger
	ka   time.Duration
	keep *keepalives
	addr string

	// Limits (limits.go): open sessions per key, and per address for
	// guests without a key; new sessions per address; wrong join codes.
	perKey    openCounts
	guests    openCounts
	maxGuests int
	conns     ratelimiter.RateLimiter
	codes     *codeGuard

	// Shutdown may come before or while Serve starts; charm.land/ssh
	// races then, and would serve on a listener nobody closes. So Serve
	// refuses after Shutdown, and Shutdown waits until a started Serve
	// accepts (accepting is closed) before stopping it.
	mu        sync.Mutex
	serving   bool
	closed    bool
	accepting chan struct{}
	acceptOne sync.Once
}

// MaxSessionsPerPerson bounds the sessions one key may hold open at once.
const MaxSessionsPerPerson = 8

// FPS caps how often one screen redraws while it keeps changing. Screens
// change only when the room does or a countdown turns over, and the
// renderer sleeps while nothing changes (tea.WithRenderOnChange, see
// docs/performance.md): an idle screen costs no wake-ups, a running
// countdown one a second.
const FPS = 20

// perSession is what the middlewares know of one SSH session. It is kept
// by session, not on the ssh.Context, which belongs to the connection and
// is shared by every session a client multiplexes over it.
type perSession struct {
	id   Identity
	conn *conn
	// watch is set for a presenter screen: the meetup it shows.
	watch *session.Subscription
}

// New builds the server. It creates the host key if it does not exist.
func New(cfg Config) (*Server, error) {
	if cfg.Hub == nil {
		return nil, errors.New("server needs a hub")
	}
	s := &Server{
		hub: cfg.Hub, log: cfg.Logger, ka: cfg.KeepAlive, addr: cfg.Addr, accepting: make(chan struct{}),
		maxGuests: MaxGuestsPerAddress,
		conns:     newConnLimiter(cfg.NewConnsPerAddress),
		codes:     newCodeGuard(cfg.Hub.Clock().Now),
	}
	if s.log == nil {
		s.log = log.New(nil)
	}
	if s.ka <= 0 {
		s.ka = 15 * time.Second
	}
	s.keep = newKeepalives(s.ka)
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithVersion("convene"),
		// Any key is welcome: a key is an identity, not a permission.
		// Roles come from the facilitator keys, checked in session.
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		// People without a key get in with no questions and choose a name.
		wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }),
		func(srv *ssh.Server) error {
			srv.HandshakeTimeout = 20 * time.Second
			return nil
		},
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program),
			s.presenter,
			s.requirePTY,
			s.commands, // history, attendance, export: no terminal needed
			s.connection,
			s.rateLimit, // runs first
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// ListenAndServe listens on the configured address.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return ErrServerClosed
	}
	s.serving = true
	s.mu.Unlock()
	return s.ssh.Serve(&signalListener{Listener: ln, s: s})
}

// signalListener tells the server when the SSH server first accepts.
type signalListener struct {
	net.Listener
	s *Server
}

func (l *signalListener) Accept() (net.Conn, error) {
	l.s.acceptOne.Do(func() { close(l.s.accepting) })
	return l.Listener.Accept()
}

// Shutdown stops accepting connections and waits for open ones to end
// until ctx is done, then closes them.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	serving := s.serving
	s.mu.Unlock()
	if serving {
		select {
		case <-s.accepting:
		case <-ctx.Done():
		}
	}
	err := s.ssh.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return s.ssh.Close()
	}
	return err
}

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = ssh.ErrServerClosed

// identify says who is on a session: the fingerprint of the key it
// authenticated with; for a person without a key, the guest whose token
// they connect with as their user name ("guest-3f9a1c2b7d4e"), or a new
// guest with a fresh token.
func identify(sess ssh.Session) Identity {
	user := sess.User()
	if pk := sess.PublicKey(); pk != nil {
		return Identity{ID: session.PersonID(gossh.FingerprintSHA256(pk)), User: user}
	}
	if tok, ok := guestToken(user); ok {
		return Identity{ID: session.PersonID("guest:" + tok), Keyless: true, Token: tok}
	}
	b := make([]byte, guestTokenLen/2)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	return Identity{ID: session.PersonID("guest:" + tok), User: user, Keyless: true, Token: tok}
}

// A guest's token: 12 hex digits (48 bits), shown only on their own
// screen. Guessing one means a connection per guess, and a token names a
// guest of a meetup, never a facilitator.
const (
	guestUser     = "guest-"
	guestTokenLen = 12
)

// guestToken reads a token from a user name "guest-<token>".
func guestToken(user string) (string, bool) {
	tok, ok := strings.CutPrefix(strings.ToLower(user), guestUser)
	if !ok || len(tok) != guestTokenLen {
		return "", false
	}
	for _, c := range tok {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return tok, true
}

// rejoinCommand is the ssh command that brings a person without a key
// back as themselves (into the meetup with code, if given): prefix is how
// they reach the server ("ssh -p 2222 host").
func rejoinCommand(prefix, token, code string) string {
	if prefix == "" {
		prefix = "ssh -p 2222 localhost"
	}
	cmd := prefix
	if i := strings.LastIndexByte(prefix, ' '); i >= 0 {
		cmd = prefix[:i+1] + guestUser + token + "@" + prefix[i+1:]
	}
	if code != "" {
		cmd += " " + session.FormatCode(code)
	}
	return cmd
}

// connection logs each connection, keeps it alive, and releases what its
// screen held when it ends.
func (s *Server) connection(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		id := identify(sess)
		addr := addrKey(sess.RemoteAddr())
		// A person rarely needs more than a couple of screens; a key
		// opening dozens is a runaway script, and each costs memory.
		// Guests without a key are counted by address instead (a token
		// is cheap to make up), where a whole meetup may sit behind one.
		if id.Keyless {
			if !s.guests.acquire(addr, s.maxGuests) {
				wish.Fatalln(sess, "convene: too many guests without an SSH key from this address; wait for some to leave, or connect with an SSH key.")
				return
			}
			defer s.guests.release(addr)
		} else {
			if !s.perKey.acquire(string(id.ID), MaxSessionsPerPerson) {
				wish.Fatalln(sess, "convene: too many open sessions for this key; close some and try again.")
				return
			}
			defer s.perKey.release(string(id.ID))
		}
		ps := &perSession{id: id, conn: newConn()}
		ps.conn.codes, ps.conn.addr = s.codes, addr
		s.sessions.Store(sess, ps)
		defer s.sessions.Delete(sess)
		s.log.Info("connect", "person", string(id.ID), "user", strconv.Quote(sess.User()), "addr", sess.RemoteAddr().String())
		if c, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
			defer s.keep.add(c)()
		}
		next(sess)
		// The session is over, whatever its screen was doing: the person
		// is shown as gone unless another session of theirs is open.
		ps.conn.close()
		if bye := ps.conn.Farewell(); bye != "" {
			wish.Println(sess, wrap(bye, 72))
		}
		s.log.Info("disconnect", "person", string(id.ID), "after", time.Since(start).Round(time.Second))
	}
}

// requirePTY turns away sessions without a terminal with one clear line.
func (s *Server) requirePTY(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			wish.Fatalln(sess, "convene needs a terminal. Connect with: ssh -t -p "+localPort(sess)+" <host> [CODE]")
			return
		}
		next(sess)
	}
}

// program makes the Bubble Tea program of one connection.
func (s *Server) program(sess ssh.Session) *tea.Program {
	ps, ok := s.sessions.Load(sess)
	if !ok {
		// Only reachable if the middleware order changes.
		ps = &perSession{id: identify(sess), conn: newConn()}
	}
	id, c, watch := ps.(*perSession).id, ps.(*perSession).conn, ps.(*perSession).watch
	opts := append(bm.MakeOptions(sess),
		tea.WithoutSignalHandler(),
		tea.WithFPS(FPS),
		tea.WithRenderOnChange(),
		tea.WithLineRenderer(),
	)
	if watch != nil {
		return tea.NewProgram(newPresenter(s.hub, watch, c), opts...)
	}
	code, _ := parseCommand(sess.Command())
	m := newModel(s.hub, id, code, c)
	m.ssh = sshPrefix(sess.LocalAddr())
	m.lobby.ssh = m.ssh
	return tea.NewProgram(&boxed{m}, opts...)
}

// boxed holds a connection's model for its program. Bubble Tea keeps the
// model it was started with for the program's whole life; kept in a box,
// that is one pointer, and what the first model held (the lobby, the name
// form) is let go once the screen has moved on.
type boxed struct{ m model }

func (b *boxed) Init() tea.Cmd { return b.m.Init() }

func (b *boxed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := b.m.Update(msg)
	b.m = next.(model)
	return b, cmd
}

func (b *boxed) View() tea.View { return b.m.View() }

// parseCommand reads what was typed after the host on the ssh command
// line: a join code (in as many pieces as it was typed in), or the word
// present and a code, or a code and --present (ssh itself would take
// --present typed right after the host), for the presenter screen.
func parseCommand(args []string) (code string, present bool) {
	var rest []string
	for i, a := range args {
		switch {
		case i == 0 && strings.EqualFold(a, "present"), strings.EqualFold(a, "--present"):
			present = true
		default:
			rest = append(rest, a)
		}
	}
	return session.NormalizeCode(strings.Join(rest, "")), present
}

// presenter opens the presenter screen asked for on the command line:
// it watches the meetup, without joining it. Anyone with the code may:
// it shows only what every participant sees. A missing or wrong code
// gets one line and exit status 1; wrong codes count against the same
// limits as in the lobby, so this is no way round them.
func (s *Server) presenter(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		code, present := parseCommand(sess.Command())
		v, ok := s.sessions.Load(sess)
		if !present || !ok {
			next(sess)
			return
		}
		ps := v.(*perSession)
		if code == "" {
			wish.Fatalln(sess, "convene: say which meetup to show: ssh -t -p "+localPort(sess)+" <host> present CODE")
			return
		}
		guard, who := ps.conn.codeTrier(ps.id)
		if wait, shared := guard.wait(who); wait > 0 {
			wish.Fatalln(sess, "convene: "+tooManyWrongCodes(wait, shared))
			return
		}
		sub, err := s.hub.WatchMeetup(code)
		switch {
		case errors.Is(err, session.ErrUnknownCode):
			shown := code
			if session.Len(shown) > 12 {
				shown = string([]rune(shown)[:12]) + "…"
			}
			msg := fmt.Sprintf("convene: no meetup has the code %q. Check it and try again.", session.CleanText(shown))
			if wait, _ := guard.wrong(who); wait > 0 {
				msg += fmt.Sprintf(" (wait %d s before the next try)", waitSeconds(wait))
			}
			wish.Fatalln(sess, msg)
			return
		case err != nil:
			wish.Fatalln(sess, "convene: could not open it: "+err.Error())
			return
		}
		guard.right(who)
		if !ps.conn.adopt(sub) {
			return // the connection ended meanwhile
		}
		ps.watch = sub
		s.log.Info("present", "meetup", code, "person", string(ps.id.ID))
		next(sess)
	}
}

// localPort is the port the session came in on, for the lines that say
// how to connect.
func localPort(sess ssh.Session) string {
	if a, ok := sess.LocalAddr().(*net.TCPAddr); ok {
		return strconv.Itoa(a.Port)
	}
	return "2222"
}
