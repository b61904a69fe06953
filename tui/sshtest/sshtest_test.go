package sshtest_test

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/tui/sshtest"
)

// ---------------------------------------------------------------------------
// A tiny wish + Bubble Tea v2 server for testing the harness.

type exitCodeKey struct{}

// model shows who is connected, the last key pressed, the window size, and a
// few counters. Keys: q quits (exit 0), Q quits with exit status 3, b rings
// the bell, a toggles the alternate screen, k requests the background colour.
type model struct {
	user, auth, cmd string
	env             string
	width, height   int
	last            string
	keys            int
	bells           int
	paste           string
	bg              string
	alt             bool
	exitCode        *atomic.Int32
}

func (m model) Init() tea.Cmd { return tea.RequestBackgroundColor }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.bg = "light"
		if msg.IsDark() {
			m.bg = "dark"
		}
	case tea.PasteMsg:
		m.paste = msg.Content
	case tea.KeyPressMsg:
		m.keys++
		m.last = msg.String()
		switch m.last {
		case "q":
			return m, tea.Quit
		case "Q":
			m.exitCode.Store(3)
			return m, tea.Quit
		case "b":
			m.bells++
			return m, tea.Raw("\a")
		case "a":
			m.alt = !m.alt
		}
	}
	return m, nil
}

func (m model) View() tea.View {
	var b strings.Builder
	fmt.Fprintf(&b, "hello %s\n", m.user)
	fmt.Fprintf(&b, "auth: %s\n", m.auth)
	fmt.Fprintf(&b, "cmd: %s\n", m.cmd)
	fmt.Fprintf(&b, "env: %s\n", m.env)
	fmt.Fprintf(&b, "size: %dx%d\n", m.width, m.height)
	fmt.Fprintf(&b, "bg: %s\n", m.bg)
	fmt.Fprintf(&b, "last: %s\n", m.last)
	fmt.Fprintf(&b, "keys: %d bells: %d\n", m.keys, m.bells)
	fmt.Fprintf(&b, "paste: %s", m.paste)
	v := tea.NewView(b.String())
	// The title is an OSC terminated by BEL: it must not count as a bell.
	v.WindowTitle = "sshtest " + m.user
	v.AltScreen = m.alt
	return v
}

type server struct {
	addr    string
	keyPath string
	srv     *ssh.Server
}

func startServer(t *testing.T) *server {
	t.Helper()
	return startServerWithKey(t, filepath.Join(t.TempDir(), "host_ed25519"))
}

// startServerWithKey starts a server whose host key is kept at keyPath
// (created if missing) and stopped at the end of the test.
func startServerWithKey(t *testing.T, keyPath string) *server {
	t.Helper()
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(keyPath),
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		wish.WithKeyboardInteractiveAuth(func(_ ssh.Context, ch gossh.KeyboardInteractiveChallenge) bool {
			// Ask one question; the harness answers "".
			ans, err := ch("", "", []string{"Join code? "}, []bool{true})
			return err == nil && len(ans) == 1 && ans[0] == ""
		}),
		// Listed innermost first: the last middleware runs first.
		wish.WithMiddleware(
			exitCodeMiddleware,
			bm.Middleware(teaHandler),
			noPTYMiddleware,
		),
	)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return &server{addr: ln.Addr().String(), keyPath: keyPath, srv: srv}
}

// noPTYMiddleware refuses sessions without a PTY with one line on stderr and
// exit status 1.
func noPTYMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		if _, _, ok := s.Pty(); !ok {
			fmt.Fprintln(s.Stderr(), "convene needs a terminal: use ssh -t")
			_ = s.Exit(1)
			return
		}
		next(s)
	}
}

// exitCodeMiddleware runs after the Bubble Tea program has ended and turns
// the code the model stored into the session's exit status.
func exitCodeMiddleware(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		if c, ok := s.Context().Value(exitCodeKey{}).(*atomic.Int32); ok && c.Load() != 0 {
			_ = s.Exit(int(c.Load()))
			return
		}
		next(s)
	}
}

func teaHandler(s ssh.Session) (tea.Model, []tea.ProgramOption) {
	code := new(atomic.Int32)
	s.Context().SetValue(exitCodeKey{}, code)
	auth := "keyboard-interactive"
	if s.PublicKey() != nil {
		auth = "publickey " + gossh.FingerprintSHA256(s.PublicKey())
	}
	return model{
		user:     s.User(),
		auth:     auth,
		cmd:      s.RawCommand(),
		env:      envValue(s.Environ(), "SSHTEST_VAR"),
		exitCode: code,
	}, nil
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ---------------------------------------------------------------------------

func TestScreenKeysAndHostKey(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	signer := sshtest.NewSigner(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{User: "alice", Signer: signer})
	ctx := testCtx(t)

	must(t, c.WaitFor(ctx, "hello alice"))
	must(t, c.WaitFor(ctx, "auth: publickey "+gossh.FingerprintSHA256(signer.PublicKey())))
	must(t, c.WaitFor(ctx, "size: 80x24"))
	// The app's background-colour query was answered by the emulator and
	// the answer forwarded to the session's stdin.
	must(t, c.WaitFor(ctx, "bg: dark"))
	if got := c.Title(); got != "sshtest alice" {
		t.Errorf("Title() = %q", got)
	}
	if c.IsAltScreen() {
		t.Error("inline program should not be on the alt screen")
	}

	lines := c.Lines()
	if len(lines) == 0 || lines[0] != "hello alice" {
		t.Errorf("first line = %q, screen:\n%s", lines, c.Screenshot())
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %q has trailing spaces", l)
		}
	}

	keys := 0
	for _, k := range []struct{ press, want string }{
		{"enter", "enter"},
		{"up", "up"},
		{"down", "down"},
		{"left", "left"},
		{"right", "right"},
		{"x", "x"},
		{"tab", "tab"},
		{"shift+tab", "shift+tab"},
		{"backspace", "backspace"},
		{"space", "space"},
		{"ctrl+c", "ctrl+c"},
		{"ctrl+up", "ctrl+up"},
		{"alt+x", "alt+x"},
		{"home", "home"},
		{"delete", "delete"},
		{"pgdown", "pgdown"},
		{"f1", "f1"},
		{"f5", "f5"},
		{"esc", "esc"},
		{"y", "y"}, // right after esc: must not become alt+y
	} {
		must(t, c.Press(k.press))
		keys++
		must(t, c.WaitFor(ctx, fmt.Sprintf("last: %s\nkeys: %d ", k.want, keys)))
	}

	must(t, c.Type("zz"))
	keys += 2
	must(t, c.WaitFor(ctx, fmt.Sprintf("last: z\nkeys: %d ", keys)))

	// The host key the client saw is the server's.
	pem, err := os.ReadFile(srv.keyPath)
	must(t, err)
	hostSigner, err := gossh.ParsePrivateKey(pem)
	must(t, err)
	if got, want := c.HostKeyFingerprint(), gossh.FingerprintSHA256(hostSigner.PublicKey()); got != want {
		t.Errorf("HostKeyFingerprint() = %q, want %q", got, want)
	}
	if !strings.HasPrefix(c.HostKeyFingerprint(), "SHA256:") {
		t.Errorf("fingerprint %q lacks SHA256: prefix", c.HostKeyFingerprint())
	}
	c2 := sshtest.MustDial(t, srv.addr, sshtest.Options{Signer: signer})
	if c2.HostKeyFingerprint() != c.HostKeyFingerprint() {
		t.Error("host key differs between two connections")
	}
}

func TestHostKeySurvivesRestart(t *testing.T) {
	t.Parallel()
	keyPath := filepath.Join(t.TempDir(), "host_ed25519")
	srv1 := startServerWithKey(t, keyPath)
	c1 := sshtest.MustDial(t, srv1.addr, sshtest.Options{})
	must(t, c1.WaitFor(testCtx(t), "hello tester"))
	must(t, c1.Close())
	must(t, srv1.srv.Close())

	srv2 := startServerWithKey(t, keyPath)
	c2 := sshtest.MustDial(t, srv2.addr, sshtest.Options{})
	if c1.HostKeyFingerprint() == "" || c2.HostKeyFingerprint() != c1.HostKeyFingerprint() {
		t.Errorf("fingerprints %q then %q", c1.HostKeyFingerprint(), c2.HostKeyFingerprint())
	}
	// A server with another key has another fingerprint.
	c3 := sshtest.MustDial(t, startServer(t).addr, sshtest.Options{})
	if c3.HostKeyFingerprint() == c1.HostKeyFingerprint() {
		t.Error("two host keys, one fingerprint")
	}
}

func TestResize(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{Width: 60, Height: 20})
	ctx := testCtx(t)
	must(t, c.WaitFor(ctx, "size: 60x20"))

	must(t, c.Resize(100, 30))
	must(t, c.WaitFor(ctx, "size: 100x30"))
	if w, h := c.Size(); w != 100 || h != 30 {
		t.Errorf("Size() = %dx%d", w, h)
	}
	must(t, c.Resize(40, 10))
	must(t, c.WaitFor(ctx, "size: 40x10"))
	must(t, c.WaitGone(ctx, "size: 100x30"))
	if n := len(c.Lines()); n > 10 {
		t.Errorf("%d lines on a 10-line screen", n)
	}
}

func TestBell(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	ctx := testCtx(t)
	must(t, c.WaitFor(ctx, "hello tester"))
	// The title (OSC 2 ... BEL) has been drawn by now: not a bell.
	if c.Title() == "" {
		t.Fatal("title not set yet")
	}
	if n := c.Bells(); n != 0 {
		t.Fatalf("Bells() = %d before any bell", n)
	}

	must(t, c.Type("b"))
	must(t, c.WaitUntil(ctx, "one bell", func(string) bool { return c.Bells() == 1 }))
	must(t, c.WaitFor(ctx, "bells: 1"))
	// More frames (with titles) later: still one bell.
	must(t, c.Press("enter"))
	must(t, c.WaitFor(ctx, "last: enter"))
	if n := c.Bells(); n != 1 {
		t.Errorf("Bells() = %d, want 1", n)
	}
}

func TestExitStatus(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := testCtx(t)

	c := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	must(t, c.WaitFor(ctx, "hello tester"))
	must(t, c.Type("q"))
	status, err := c.WaitExit(ctx)
	if status != 0 || err != nil {
		t.Errorf("quit: Wait() = %d, %v; want 0, nil", status, err)
	}
	// The final frame of an inline program stays on the screen.
	if !strings.Contains(c.Screen(), "hello tester") {
		t.Errorf("final screen:\n%s", c.Screenshot())
	}
	// Waiting on an ended session fails at once rather than timing out.
	start := time.Now()
	if err := c.WaitFor(ctx, "never shown"); err == nil || !strings.Contains(err.Error(), "session ended") {
		t.Errorf("WaitFor after exit = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("WaitFor on an ended session did not return at once")
	}

	c3 := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	must(t, c3.WaitFor(ctx, "hello tester"))
	must(t, c3.Type("Q"))
	status, err = c3.WaitExit(ctx)
	if status != 3 || err != nil {
		t.Errorf("Q: Wait() = %d, %v; want 3, nil", status, err)
	}
}

func TestAltScreen(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := testCtx(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	must(t, c.WaitFor(ctx, "hello tester"))
	must(t, c.Type("a"))
	must(t, c.WaitUntil(ctx, "alt screen", func(s string) bool {
		return c.IsAltScreen() && strings.Contains(s, "last: a")
	}))
	must(t, c.Type("q"))
	if _, err := c.WaitExit(ctx); err != nil {
		t.Fatal(err)
	}
	if c.IsAltScreen() {
		t.Error("still on the alt screen after the program quit")
	}
	// Bubble Tea leaves the alt screen on exit: what is left is the main
	// screen, which the program never drew on (only the first frame, from
	// before the switch).
	if s := c.Screen(); strings.Contains(s, "last: a") {
		t.Errorf("alt-screen frame still visible after exit:\n%s", c.Screenshot())
	}
}

func TestPaste(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := testCtx(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	must(t, c.WaitFor(ctx, "hello tester"))
	must(t, c.Paste("pasted words"))
	must(t, c.WaitFor(ctx, "paste: pasted words"))
	// A paste is not key presses.
	must(t, c.WaitFor(ctx, "keys: 0 "))
}

func TestNoPTY(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := testCtx(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{NoPTY: true})
	status, err := c.WaitExit(ctx)
	if status != 1 || err != nil {
		t.Errorf("Wait() = %d, %v; want 1, nil", status, err)
	}
	if got, want := c.Stderr(), "convene needs a terminal: use ssh -t\n"; got != want {
		t.Errorf("Stderr() = %q, want %q", got, want)
	}
	if got := c.Stdout(); got != "" {
		t.Errorf("Stdout() = %q, want empty", got)
	}
	if !strings.Contains(c.Screen(), "convene needs a terminal") {
		t.Errorf("stderr not shown on screen:\n%s", c.Screenshot())
	}
}

func TestKeyboardInteractiveAndCommand(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := testCtx(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{
		User:    "bob",
		Command: "join ABC-123",
		Env:     map[string]string{"SSHTEST_VAR": "v1"},
	})
	must(t, c.WaitFor(ctx, "hello bob"))
	must(t, c.WaitFor(ctx, "env: v1"))
	must(t, c.WaitFor(ctx, "auth: keyboard-interactive"))
	must(t, c.WaitFor(ctx, "cmd: join ABC-123"))
}

func TestLightBackground(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx := testCtx(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{Background: color.White})
	must(t, c.WaitFor(ctx, "bg: light"))
}

func TestWaitTimeoutIncludesScreen(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	must(t, c.WaitFor(testCtx(t), "hello tester"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := c.WaitFor(ctx, "not there")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if !strings.Contains(err.Error(), "│hello tester") || !strings.Contains(err.Error(), `"not there"`) {
		t.Errorf("error lacks the screen or the wanted text:\n%v", err)
	}
}

func TestCloseEndsSession(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := sshtest.MustDial(t, srv.addr, sshtest.Options{})
	must(t, c.WaitFor(testCtx(t), "hello tester"))
	must(t, c.Close())
	must(t, c.Close()) // idempotent
	status, err := c.Wait()
	if status != -1 || !errors.Is(err, sshtest.ErrClosed) {
		t.Errorf("Wait() after Close = %d, %v", status, err)
	}
	if err := c.Type("x"); !errors.Is(err, sshtest.ErrClosed) {
		t.Errorf("Type after Close = %v", err)
	}
	if !strings.Contains(c.Screen(), "hello tester") {
		t.Error("Screen lost after Close")
	}
	select {
	case <-c.Done():
	default:
		t.Error("Done not closed after Close")
	}
}

func TestDialHandshakeTimeout(t *testing.T) {
	t.Parallel()
	// A server that accepts TCP but never speaks SSH.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = conn.Close() })
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = sshtest.Dial(ctx, ln.Addr().String(), sshtest.Options{})
	if err == nil {
		t.Fatal("Dial succeeded against a silent server")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want it to wrap context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Dial took %v", d)
	}
}

func TestKeySequence(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"a": "a", "Q": "Q", "é": "é", "+": "+",
		"enter": "\r", "Enter": "\r", "tab": "\t", "shift+tab": "\x1b[Z",
		"backspace": "\x7f", "esc": "\x1b", "space": " ",
		"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
		"home": "\x1b[H", "end": "\x1b[F", "pgup": "\x1b[5~", "pagedown": "\x1b[6~",
		"delete": "\x1b[3~", "f1": "\x1bOP", "f12": "\x1b[24~",
		"ctrl+c": "\x03", "ctrl+a": "\x01", "ctrl+z": "\x1a", "ctrl+space": "\x00",
		"ctrl+backspace": "\x08", "ctrl+]": "\x1d",
		"alt+x": "\x1bx", "alt+enter": "\x1b\r", "ctrl+alt+c": "\x1b\x03",
		"shift+a": "A", "alt+shift+a": "\x1bA",
		"ctrl+up": "\x1b[1;5A", "shift+left": "\x1b[1;2D", "alt+delete": "\x1b[3;3~",
		"ctrl+shift+f1": "\x1b[1;6P",
	} {
		got, err := sshtest.KeySequence(name)
		if err != nil || got != want {
			t.Errorf("KeySequence(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, bad := range []string{"", "nosuchkey", "hyper+a", "ctrl+nosuch", "shift+1"} {
		if got, err := sshtest.KeySequence(bad); err == nil {
			t.Errorf("KeySequence(%q) = %q, want error", bad, got)
		}
	}
}

func TestFormatScreen(t *testing.T) {
	t.Parallel()
	got := sshtest.FormatScreen("ab\nc", 4, "4x2")
	want := "┌─ 4x2 ┐\n│ab    │\n│c     │\n└──────┘"
	if got != want {
		t.Errorf("FormatScreen =\n%s\nwant\n%s", got, want)
	}
	got = sshtest.FormatScreen("abcdef", 4, "")
	want = "┌──────┐\n│abcdef│\n└──────┘"
	if got != want {
		t.Errorf("FormatScreen =\n%s\nwant\n%s", got, want)
	}
}
