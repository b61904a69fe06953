package sshtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/vt"
	"golang.org/x/crypto/ssh"
)

// Defaults used when the corresponding [Options] field is zero.
const (
	DefaultUser        = "tester"
	DefaultWidth       = 80
	DefaultHeight      = 24
	DefaultTerm        = "xterm-256color"
	DefaultWaitTimeout = 10 * time.Second
	DefaultMaxOutput   = 16 << 20
)

// pollInterval is the fallback poll period of the Wait* methods. They are
// woken on every write to the emulator anyway; the poll only matters for
// conditions that depend on something other than the terminal output.
const pollInterval = 20 * time.Millisecond

// ErrClosed is returned by methods of a [Client] that has been closed, and by
// [Client.Wait] when Close was called before the session ended by itself.
var ErrClosed = errors.New("sshtest: client closed")

// Options configures [Dial].
type Options struct {
	// User is the SSH user name. Default "tester".
	User string

	// Signer, when set, authenticates with this public key (and only with
	// it). When nil the client offers keyboard-interactive authentication
	// and answers every question with "" (no password auth is offered).
	Signer ssh.Signer

	// Auth, when set, replaces the authentication methods Signer would
	// choose: for tests of the server's authentication itself.
	Auth []ssh.AuthMethod

	// Command is the remote command sent in the "exec" request (with a
	// PTY, the server sees it as sess.Command()/RawCommand(), e.g. a join
	// code). Empty means a "shell" request, as `ssh host` sends.
	Command string

	// Env holds environment variables to send with "env" requests before
	// the shell/exec request. A server that rejects one fails the Dial.
	Env map[string]string

	// Width and Height are the initial terminal size in cells, sent in the
	// pty-req and used for the emulator. Default 80x24.
	Width, Height int

	// NoPTY, when true, does not request a PTY (like `ssh -T`). The output
	// is still fed to the emulator, but is usually read with
	// [Client.Stdout] / [Client.Stderr].
	NoPTY bool

	// Term is the TERM sent in the pty-req. Default "xterm-256color".
	Term string

	// Background, when non-nil, is the emulator's default background
	// colour: what it answers to an OSC 11 query (e.g. lipgloss'
	// HasDarkBackground / tea.RequestBackgroundColor). The emulator's own
	// default is black, so apps see a dark terminal unless this is set.
	Background color.Color

	// WaitTimeout bounds the Wait* methods when their context has no
	// deadline. Default 10s.
	WaitTimeout time.Duration

	// MaxOutput caps how many bytes of raw stdout (and, separately,
	// stderr) are kept for [Client.Output], [Client.Stdout] and
	// [Client.Stderr]; once exceeded the oldest bytes are dropped. Zero
	// means 16 MiB; negative keeps nothing (for load tools).
	MaxOutput int
}

func (o *Options) setDefaults() {
	if o.User == "" {
		o.User = DefaultUser
	}
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	if o.Height <= 0 {
		o.Height = DefaultHeight
	}
	if o.Term == "" {
		o.Term = DefaultTerm
	}
	if o.WaitTimeout <= 0 {
		o.WaitTimeout = DefaultWaitTimeout
	}
	if o.MaxOutput == 0 {
		o.MaxOutput = DefaultMaxOutput
	}
}

// Client is one SSH session to the server under test, with a vt terminal
// emulator attached to its output. All methods are safe for concurrent use.
type Client struct {
	opts   Options
	client *ssh.Client
	sess   *ssh.Session
	stdin  io.WriteCloser

	hostKeyMu sync.Mutex // own lock: the callback runs in x/crypto's kex goroutine
	hostKey   ssh.PublicKey

	stdinMu sync.Mutex // serialises writes to stdin (keys and query replies)

	mu      sync.Mutex // guards everything below and the emulator
	em      *vt.Emulator
	replies *io.PipeWriter // the emulator's reply pipe, closed to stop the pump
	width   int
	height  int
	out     []byte // raw stdout
	errOut  []byte // raw stderr
	title   string
	changed chan struct{} // closed and replaced on every change
	ended   bool          // the session is over and its output drained

	bells atomic.Int64

	done       chan struct{} // closed when ended becomes true
	exitStatus int
	exitErr    error

	closeOnce sync.Once
	closed    atomic.Bool
	streams   sync.WaitGroup // stdout and stderr readers
	wg        sync.WaitGroup // every goroutine
}

// Dial connects to addr, authenticates, optionally requests a PTY, and starts
// a shell (or o.Command). ctx bounds the TCP dial, the SSH handshake and the
// session set-up; it has no effect once Dial has returned. The server's host
// key is accepted whatever it is, and recorded (see
// [Client.HostKeyFingerprint]).
//
// The caller must call [Client.Close] (see [MustDial] for tests).
func Dial(ctx context.Context, addr string, o Options) (*Client, error) {
	o.setDefaults()
	c := &Client{
		opts:    o,
		width:   o.Width,
		height:  o.Height,
		changed: make(chan struct{}),
		done:    make(chan struct{}),
	}

	var auth []ssh.AuthMethod
	switch {
	case o.Auth != nil:
		auth = o.Auth
	case o.Signer != nil:
		auth = append(auth, ssh.PublicKeys(o.Signer))
	default:
		auth = append(auth, ssh.KeyboardInteractive(
			func(_, _ string, questions []string, _ []bool) ([]string, error) {
				return make([]string, len(questions)), nil
			}))
	}
	cfg := &ssh.ClientConfig{
		User: o.User,
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			c.hostKeyMu.Lock()
			defer c.hostKeyMu.Unlock()
			if c.hostKey == nil { // keep the first one (re-keys repeat it)
				c.hostKey = key
			}
			return nil
		},
	}

	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sshtest: dial %s: %w", addr, err)
	}
	// Until set-up is done, a cancelled context or its deadline aborts
	// everything by closing the connection.
	stop := context.AfterFunc(ctx, func() { _ = nc.Close() })
	fail := func(what string, err error) (*Client, error) {
		stop()
		_ = nc.Close()
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		return nil, fmt.Errorf("sshtest: %s %s: %w", what, addr, err)
	}

	conn, chans, reqs, err := ssh.NewClientConn(nc, addr, cfg)
	if err != nil {
		return fail("handshake with", err)
	}
	c.client = ssh.NewClient(conn, chans, reqs)
	if c.sess, err = c.client.NewSession(); err != nil {
		return fail("open session on", err)
	}
	keys := make([]string, 0, len(o.Env))
	for k := range o.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := c.sess.Setenv(k, o.Env[k]); err != nil {
			return fail("setenv "+k+" on", err)
		}
	}
	if !o.NoPTY {
		modes := ssh.TerminalModes{
			ssh.ECHO:          1,
			ssh.TTY_OP_ISPEED: 38400,
			ssh.TTY_OP_OSPEED: 38400,
		}
		if err := c.sess.RequestPty(o.Term, o.Height, o.Width, modes); err != nil {
			return fail("request pty on", err)
		}
	}
	if c.stdin, err = c.sess.StdinPipe(); err != nil {
		return fail("stdin pipe on", err)
	}
	stdout, err := c.sess.StdoutPipe()
	if err != nil {
		return fail("stdout pipe on", err)
	}
	stderr, err := c.sess.StderrPipe()
	if err != nil {
		return fail("stderr pipe on", err)
	}

	c.em = vt.NewEmulator(o.Width, o.Height)
	if o.Background != nil {
		c.em.SetDefaultBackgroundColor(o.Background)
	}
	c.em.SetCallbacks(vt.Callbacks{
		// Called from inside em.Write, i.e. with c.mu held. The parser
		// only calls it for a BEL executed as a control character, never
		// for the BEL that terminates an OSC (title, colour query, ...).
		Bell:  func() { c.bells.Add(1) },
		Title: func(s string) { c.title = s },
	})
	// Write's query replies go to this synchronous pipe: a Write that
	// answers a query blocks until the pump has read the answer.
	pw, ok := c.em.InputPipe().(*io.PipeWriter)
	if !ok {
		return fail("set up emulator for", errors.New("vt input pipe is not an *io.PipeWriter"))
	}
	c.replies = pw

	if o.Command != "" {
		err = c.sess.Start(o.Command)
	} else {
		err = c.sess.Shell()
	}
	if err != nil {
		return fail("start session on", err)
	}
	if !stop() {
		// The context fired during set-up and closed the connection.
		return fail("set up session on", errors.New("connection closed"))
	}

	c.streams.Add(2)
	c.wg.Add(4)
	go c.readStream(stdout, false)
	go c.readStream(stderr, true)
	go c.pumpReplies()
	go c.waitSession()
	return c, nil
}

// readStream feeds one output stream of the session into the emulator.
// Both stdout and stderr go to the emulator, as they would in a real terminal.
func (c *Client) readStream(r io.Reader, isStderr bool) {
	defer c.wg.Done()
	defer c.streams.Done()
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			c.mu.Lock()
			if isStderr {
				c.errOut = appendCapped(c.errOut, buf[:n], c.opts.MaxOutput)
			} else {
				c.out = appendCapped(c.out, buf[:n], c.opts.MaxOutput)
			}
			_, _ = c.em.Write(buf[:n])
			c.notifyLocked()
			c.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// pumpReplies forwards the emulator's answers to terminal queries (DA1,
// DECRQM, OSC 10/11 colours, cursor position, ...) and bracketed pastes to
// the session's stdin. It must never stop reading before the pipe is closed:
// the emulator writes replies synchronously from inside Write.
func (c *Client) pumpReplies() {
	defer c.wg.Done()
	buf := make([]byte, 4096)
	for {
		// Emulator.Read only reads its (never set) closed flag and then
		// the pipe, so it is safe without c.mu.
		n, err := c.em.Read(buf)
		if n > 0 {
			_ = c.writeStdin(buf[:n]) // errors: session gone; keep draining
		}
		if err != nil {
			return
		}
	}
}

// waitSession records the exit status once the session is over and its
// output fully drained.
func (c *Client) waitSession() {
	defer c.wg.Done()
	err := c.sess.Wait()
	c.streams.Wait()

	status := 0
	var exitErr *ssh.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		status = exitErr.ExitStatus()
		err = nil
	default:
		status = -1
		if c.closed.Load() {
			err = ErrClosed
		}
	}

	c.mu.Lock()
	c.exitStatus, c.exitErr = status, err
	c.ended = true
	c.notifyLocked()
	c.mu.Unlock()
	close(c.done)
	// No more output can reach the emulator: stop the reply pump. The
	// connection carried only this session: release it too.
	_ = c.replies.Close()
	_ = c.client.Close()
}

func appendCapped(dst, p []byte, limit int) []byte {
	if limit < 0 {
		return dst
	}
	dst = append(dst, p...)
	if len(dst) > limit {
		dst = append(dst[:0:0], dst[len(dst)-limit:]...)
	}
	return dst
}

func (c *Client) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *Client) writeStdin(p []byte) error {
	if c.closed.Load() {
		return ErrClosed
	}
	c.stdinMu.Lock()
	defer c.stdinMu.Unlock()
	if _, err := c.stdin.Write(p); err != nil {
		return fmt.Errorf("sshtest: write to session: %w", err)
	}
	return nil
}

// HostKeyFingerprint returns the SHA256 fingerprint of the server's host key
// as seen during the handshake, in the usual "SHA256:base64" form.
func (c *Client) HostKeyFingerprint() string {
	k := c.HostKey()
	if k == nil {
		return ""
	}
	return ssh.FingerprintSHA256(k)
}

// HostKey returns the server's host key as seen during the handshake.
func (c *Client) HostKey() ssh.PublicKey {
	c.hostKeyMu.Lock()
	defer c.hostKeyMu.Unlock()
	return c.hostKey
}

// Screen returns the text of the emulator's active screen (the alternate
// screen while the app uses it): one line per row with trailing spaces
// trimmed, trailing empty rows dropped, joined by "\n". Colours and other
// attributes are not included; wide characters appear once.
func (c *Client) Screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.screenLocked()
}

func (c *Client) screenLocked() string {
	return normalizeScreen(c.em.String())
}

func normalizeScreen(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \r")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// Lines returns [Client.Screen] split into rows (without the dropped trailing
// empty rows).
func (c *Client) Lines() []string {
	s := c.Screen()
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Size returns the emulator's current size in cells.
func (c *Client) Size() (width, height int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.width, c.height
}

// Screenshot returns the current screen framed by a border, with the size and
// cursor position in the header: meant for failure messages.
func (c *Client) Screenshot() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.screenshotLocked()
}

func (c *Client) screenshotLocked() string {
	pos := c.em.CursorPosition()
	hdr := fmt.Sprintf("%dx%d cursor %d,%d", c.width, c.height, pos.X, pos.Y)
	if c.em.IsAltScreen() {
		hdr += " altscreen"
	}
	return FormatScreen(c.screenLocked(), c.width, hdr)
}

// FormatScreen frames screen (as returned by [Client.Screen]) in a box at
// least width cells wide, with an optional header in the top border. The box
// grows to fit the header and any longer line.
func FormatScreen(screen string, width int, header string) string {
	var lines []string
	if screen != "" {
		lines = strings.Split(screen, "\n")
	}
	top := ""
	if header != "" {
		top = "─ " + header + " "
	}
	inner := max(width, utf8.RuneCountInString(top))
	for _, l := range lines {
		inner = max(inner, utf8.RuneCountInString(l))
	}
	var b strings.Builder
	b.WriteString("┌" + top + strings.Repeat("─", inner-utf8.RuneCountInString(top)) + "┐\n")
	for _, l := range lines {
		b.WriteString("│" + l + strings.Repeat(" ", inner-utf8.RuneCountInString(l)) + "│\n")
	}
	b.WriteString("└" + strings.Repeat("─", inner) + "┘")
	return b.String()
}

// WaitFor waits until the screen contains substr. See [Client.WaitUntil].
func (c *Client) WaitFor(ctx context.Context, substr string) error {
	return c.WaitUntil(ctx, fmt.Sprintf("screen contains %q", substr), func(s string) bool {
		return strings.Contains(s, substr)
	})
}

// WaitGone waits until the screen no longer contains substr. See
// [Client.WaitUntil].
func (c *Client) WaitGone(ctx context.Context, substr string) error {
	return c.WaitUntil(ctx, fmt.Sprintf("screen no longer contains %q", substr), func(s string) bool {
		return !strings.Contains(s, substr)
	})
}

// WaitUntil waits until ok returns true for the current screen (as returned
// by [Client.Screen]). ok is called at once, after every chunk of output the
// emulator processes, and at least every 20ms, always without internal locks
// held (so it may call other Client methods, e.g. Bells).
//
// It fails when ctx is done (or, if ctx has no deadline, after
// Options.WaitTimeout), or as soon as the session has ended and its final
// screen does not satisfy ok. The error names desc and includes a
// [Client.Screenshot].
func (c *Client) WaitUntil(ctx context.Context, desc string, ok func(screen string) bool) error {
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.WaitTimeout)
		defer cancel()
	}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		c.mu.Lock()
		scr := c.screenLocked()
		changed, ended := c.changed, c.ended
		c.mu.Unlock()
		if ok(scr) {
			return nil
		}
		if ended {
			return fmt.Errorf("sshtest: session ended before %s; last screen:\n%s", desc, c.Screenshot())
		}
		select {
		case <-changed:
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("sshtest: waiting until %s: %w; last screen:\n%s", desc, ctx.Err(), c.Screenshot())
		}
	}
}

// Type sends s to the session as typed keys: its bytes, unchanged, in one
// write. (Bubble Tea turns each rune into a key press; "\r" is enter.)
func (c *Client) Type(s string) error {
	return c.writeStdin([]byte(s))
}

// Press sends the named keys one after another (see [KeySequence] for the
// names and the bytes sent). After a bare "esc" it pauses [EscDelay] so the
// app does not merge it with the next key into an alt+ combination.
func (c *Client) Press(keys ...string) error {
	for _, k := range keys {
		seq, err := KeySequence(k)
		if err != nil {
			return err
		}
		if err := c.writeStdin([]byte(seq)); err != nil {
			return err
		}
		if seq == "\x1b" {
			time.Sleep(EscDelay)
		}
	}
	return nil
}

// Paste sends text the way a terminal pastes it: wrapped in bracketed-paste
// markers (ESC [ 200 ~ ... ESC [ 201 ~) if the app has enabled bracketed
// paste mode (Bubble Tea v2 does by default), as-is otherwise.
func (c *Client) Paste(text string) error {
	if c.closed.Load() {
		return ErrClosed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return errors.New("sshtest: session has ended")
	}
	// Writes into the reply pipe; the pump forwards it to stdin.
	c.em.Paste(text)
	return nil
}

// Resize resizes the emulator and sends a window-change request, as a
// terminal does when its window is resized. With a PTY the app then receives
// a tea.WindowSizeMsg{Width: w, Height: h}.
func (c *Client) Resize(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("sshtest: invalid size %dx%d", w, h)
	}
	if c.closed.Load() {
		return ErrClosed
	}
	c.mu.Lock()
	c.em.Resize(w, h)
	c.width, c.height = w, h
	c.notifyLocked()
	c.mu.Unlock()
	if err := c.sess.WindowChange(h, w); err != nil {
		return fmt.Errorf("sshtest: window-change: %w", err)
	}
	return nil
}

// Bells returns how many times the app rang the bell: BEL (0x07) bytes
// executed as control characters. A BEL that terminates an OSC string (e.g.
// a window title or colour query, ESC ] ... BEL) is not counted.
func (c *Client) Bells() int { return int(c.bells.Load()) }

// Title returns the last window title the app set (OSC 0 or 2).
func (c *Client) Title() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.title
}

// IsAltScreen reports whether the app has switched the emulator to the
// alternate screen.
func (c *Client) IsAltScreen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.em.IsAltScreen()
}

// CursorHidden reports whether the app has hidden the cursor.
func (c *Client) CursorHidden() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.em.CursorHidden()
}

// Output returns a copy of the raw bytes received on the session's stdout
// (with a PTY: everything the app drew, escape sequences included), capped
// by Options.MaxOutput. Useful to check that no raw control sequence from
// user-supplied text reached the terminal.
func (c *Client) Output() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.out)
}

// Stdout returns the raw stdout received so far as a string.
func (c *Client) Stdout() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.out)
}

// Stderr returns the raw stderr (the SSH extended-data stream) received so
// far. With a PTY it is also fed to the emulator, as a real terminal shows
// both streams.
func (c *Client) Stderr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.errOut)
}

// Done returns a channel closed when the session has ended (the server closed
// it, or Close was called) and all its output has reached the emulator.
func (c *Client) Done() <-chan struct{} { return c.done }

// Wait waits for the session to end and returns its exit status.
//
// A server-sent exit status (zero or not) is returned with a nil error.
// If the session ended without one (connection lost, server closed the
// channel without an exit-status) or was ended by [Client.Close], status is
// -1 and err says why ([ErrClosed] for Close).
func (c *Client) Wait() (exitStatus int, err error) {
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exitStatus, c.exitErr
}

// WaitExit is [Client.Wait] bounded by ctx (or Options.WaitTimeout if ctx
// has no deadline).
func (c *Client) WaitExit(ctx context.Context) (exitStatus int, err error) {
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.WaitTimeout)
		defer cancel()
	}
	select {
	case <-c.done:
		return c.Wait()
	case <-ctx.Done():
		return -1, fmt.Errorf("sshtest: waiting for the session to end: %w; last screen:\n%s", ctx.Err(), c.Screenshot())
	}
}

// Close ends the session and the connection and waits for the client's
// goroutines to finish. It is idempotent and safe to call concurrently with
// any other method; afterwards Screen and the other accessors still report
// the last state.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		_ = c.sess.Close()
		_ = c.client.Close()
		_ = c.replies.Close()
	})
	c.wg.Wait()
	return nil
}
