package tui_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
	"github.com/convene/convene/tui"
	"github.com/convene/convene/tui/sshtest"
)

// testServer is a whole convene server on a loopback port, as cmd wires it.
type testServer struct {
	t    *testing.T
	dir  string
	addr string
	facs map[session.PersonID]bool
	agnd func() []session.Activity
	// logTo, when set, also gets the server's log.
	logTo io.Writer
	db    *store.Store
	hub   *session.Hub
	srv   *tui.Server
	done  chan error
	alive bool
}

func newTestServer(t *testing.T, dir string, facilitators ...gossh.Signer) *testServer {
	ts := &testServer{t: t, dir: dir, facs: map[session.PersonID]bool{}}
	for _, f := range facilitators {
		ts.facs[session.PersonID(gossh.FingerprintSHA256(f.PublicKey()))] = true
	}
	return ts
}

func (ts *testServer) start() {
	t := ts.t
	t.Helper()
	db, err := store.Open(filepath.Join(ts.dir, "convene.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	hub, err := session.NewHub(session.HubConfig{
		Store:       db,
		Facilitator: func(id session.PersonID) bool { return ts.facs[id] },
		Agenda:      ts.agnd,
	})
	if err != nil {
		t.Fatalf("hub: %v", err)
	}
	srv, err := tui.New(tui.Config{
		HostKeyPath: filepath.Join(ts.dir, "host_ed25519"),
		Hub:         hub,
		Logger:      log.New(ts.logWriter()),
	})
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	addr := ts.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ts.addr = ln.Addr().String()
	ts.db, ts.hub, ts.srv, ts.done, ts.alive = db, hub, srv, make(chan error, 1), true
	go func() { ts.done <- srv.Serve(ln) }()
	t.Cleanup(ts.stop)
}

// stop shuts down the way convene serve does on SIGTERM.
func (ts *testServer) stop() {
	if !ts.alive {
		return
	}
	ts.alive = false
	ts.hub.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = ts.srv.Shutdown(ctx)
	<-ts.done
	ts.hub.Close()
	if err := ts.db.Close(); err != nil {
		ts.t.Errorf("close db: %v", err)
	}
}

// logWriter is the test's log until its cleanup: a session may still log
// while the server stops, never after the test has ended.
func (ts *testServer) logWriter() io.Writer {
	w := untilCleanup(ts.t)
	if ts.logTo != nil {
		return io.MultiWriter(w, ts.logTo)
	}
	return w
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// createByKeys connects a facilitator as Fran, who creates a meetup
// titled title from the lobby with the built-in agenda and is in it; it
// returns their client and the meetup's code, read off their screen.
func createByKeys(t *testing.T, addr string, signer gossh.Signer, title string) (*sshtest.Client, string) {
	t.Helper()
	ctx := waitCtx(t)
	f := join(t, addr, signer, "fran", "", "Fran")
	must(t, f.WaitFor(ctx, "Meetups on this server"))
	must(t, f.Press("c"))
	must(t, f.WaitFor(ctx, "Create a meetup"))
	must(t, f.Type(title))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "Classic online meetup"))
	must(t, f.Press("enter"))
	must(t, f.WaitFor(ctx, "NOW"))
	m := codeRE.FindStringSubmatch(f.Screen())
	if m == nil {
		t.Fatalf("no join code on the facilitator's screen:\n%s", f.Screenshot())
	}
	return f, m[1]
}

// join connects a person and gets them past the name screen if asked.
func join(t *testing.T, addr string, signer gossh.Signer, user, code, name string) *sshtest.Client {
	t.Helper()
	c := sshtest.MustDial(t, addr, sshtest.Options{User: user, Signer: signer, Command: code})
	ctx := waitCtx(t)
	must(t, c.WaitUntil(ctx, "name screen or room", func(s string) bool {
		return strings.Contains(s, "call you") || strings.Contains(s, "NOW") || strings.Contains(s, "Meetups on this server") || strings.Contains(s, "Join a meetup")
	}))
	if strings.Contains(c.Screen(), "call you") {
		must(t, c.Press("ctrl+u"))
		must(t, c.Type(name))
		must(t, c.Press("enter"))
	}
	return c
}

// pressUntil presses key until the screen shows want, at most n times,
// waiting after each press for the lines holding row (the choice the key
// moves) to change: not for a fixed time, which a busy machine can
// overrun, nor for any change, which a ticking clock would be.
func pressUntil(t *testing.T, ctx context.Context, c *sshtest.Client, key, row, want string, n int) {
	t.Helper()
	for range n {
		if strings.Contains(c.Screen(), want) {
			return
		}
		rows := func(s string) string {
			var out []string
			for _, l := range strings.Split(s, "\n") {
				if strings.Contains(l, row) {
					out = append(out, l)
				}
			}
			return strings.Join(out, "\n")
		}
		before := rows(c.Screen())
		must(t, c.Press(key))
		must(t, c.WaitUntil(ctx, "the choice to move after "+key, func(s string) bool { return rows(s) != before }))
	}
	must(t, c.WaitFor(ctx, want))
}

var codeRE = regexp.MustCompile(`code ([A-Z2-9]{3}-[A-Z2-9]{3})`)

var clockRE = regexp.MustCompile(`(\d+):(\d\d) left`)

// secondsLeft reads the countdown off a screen.
func secondsLeft(t *testing.T, c *sshtest.Client) int {
	t.Helper()
	m := clockRE.FindStringSubmatch(c.Screen())
	if m == nil {
		t.Fatalf("no countdown on screen:\n%s", c.Screenshot())
	}
	var mins, secs int
	for _, ch := range m[1] {
		mins = mins*10 + int(ch-'0')
	}
	for _, ch := range m[2] {
		secs = secs*10 + int(ch-'0')
	}
	return mins*60 + secs
}

func TestMeetupEndToEnd(t *testing.T) {
	dir := t.TempDir()
	fac, ana, ben := sshtest.NewSigner(t), sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts := newTestServer(t, dir, fac)
	ts.start()
	ctx := waitCtx(t)

	// The facilitator names themselves, creates a meetup and gets a code.
	f, code := createByKeys(t, ts.addr, fac, "Housing officers")
	hostKey := f.HostKeyFingerprint()

	// Two participants join by code, one typed in lower case without the dash.
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	b := join(t, ts.addr, ben, "ben", strings.ToLower(strings.ReplaceAll(code, "-", "")), "Ben")
	all := []*sshtest.Client{f, a, b}
	for _, c := range all {
		must(t, c.WaitFor(ctx, "3 here"))
		must(t, c.WaitFor(ctx, "Ben"))
		must(t, c.WaitFor(ctx, "Housing officers"))
	}

	// The facilitator moves on and starts the timer: every screen shows it.
	must(t, f.Press("n"))
	for _, c := range all {
		must(t, c.WaitFor(ctx, "2 of 6"))
		must(t, c.WaitFor(ctx, "timer not started"))
	}
	must(t, f.Press("space"))
	for _, c := range all {
		must(t, c.WaitUntil(ctx, "countdown running", func(s string) bool { return clockRE.MatchString(s) && !strings.Contains(s, "paused") }))
	}
	for _, c := range all {
		if left := secondsLeft(t, c); left > 9*60 || left < 9*60-5 {
			t.Fatalf("countdown shows %d s; want about 540:\n%s", left, c.Screenshot())
		}
	}

	// A participant pressing facilitator keys changes nothing. Then she
	// says she is done: her commands reach the room in the order pressed,
	// so once the facilitator sees her done, every key before it has been
	// refused (or would have shown).
	version := ts.hub.Rooms()[0].State().Version
	for _, k := range []string{"n", "p", "space", "+", "-", "E", "T", "a", "m"} {
		must(t, a.Press(k))
		must(t, a.WaitFor(ctx, "Only a facilitator can do that"))
		must(t, a.Press("esc")) // puts the line away, so the next refusal is seen afresh
		must(t, a.WaitGone(ctx, "Only a facilitator can do that"))
	}
	must(t, a.Press("r"))
	must(t, f.WaitFor(ctx, "Done: 1 of 3 here"))
	if v := ts.hub.Rooms()[0].State().Version; v != version+1 {
		t.Fatalf("a participant's keys changed the meetup: version %d, then %d after her one change", version, v)
	}
	for _, c := range all {
		if s := c.Screen(); !strings.Contains(s, "2 of 6") || strings.Contains(s, "paused") || strings.Contains(s, "ended") {
			t.Fatalf("a participant's keys changed the meetup:\n%s", c.Screenshot())
		}
	}
	if left := secondsLeft(t, f); left > 9*60 {
		t.Fatalf("a participant added time: %d s left", left)
	}

	// Restart: screens are told, then everyone reconnects into the same
	// activity with the clock where it was.
	before := secondsLeft(t, f)
	stopAt := time.Now()
	go ts.stop()
	for _, c := range all {
		must(t, c.WaitFor(ctx, "server is stopping"))
	}
	for _, c := range all {
		if _, err := c.WaitExit(ctx); err != nil && !strings.Contains(err.Error(), "exit") {
			t.Logf("session end: %v", err)
		}
	}
	for ts.alive {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(4 * time.Second) // down long enough that lost time would show
	ts.start()                  // same data folder, same address
	a2 := join(t, ts.addr, ana, "ana", code, "Ana")
	must(t, a2.WaitFor(ctx, "2 of 6"))
	if a2.HostKeyFingerprint() != hostKey {
		t.Fatalf("host key changed across restart: %s then %s", hostKey, a2.HostKeyFingerprint())
	}
	if strings.Contains(a2.Screen(), "call you") {
		t.Fatalf("Ana was asked her name again after a restart")
	}
	must(t, a2.WaitFor(ctx, "You said you're done"))
	// The clock is where it was: the time the server was down is not lost.
	elapsed := int(time.Since(stopAt).Seconds())
	got := secondsLeft(t, a2)
	if got > before || got < before-3 {
		t.Fatalf("after restart the clock shows %d s; before the stop it showed %d s (%d s ago)", got, before, elapsed)
	}
	b2 := join(t, ts.addr, ben, "ben", code, "Ben")
	must(t, b2.WaitFor(ctx, "2 of 6"))
	must(t, a2.WaitFor(ctx, "2 here"))
	must(t, a2.WaitFor(ctx, "Fran · host · gone"))
}

func TestTimeUpRingsEveryScreenOnce(t *testing.T) {
	dir := t.TempDir()
	fac, ana := sshtest.NewSigner(t), sshtest.NewSigner(t)
	ts := newTestServer(t, dir, fac)
	ts.agnd = func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindNetworking, Title: "Quick round", Duration: 2 * time.Second},
			{Kind: session.KindClose, Title: "Close"},
		}
	}
	ts.start()
	ctx := waitCtx(t)
	r, err := ts.hub.Create(ctx, session.PersonID(gossh.FingerprintSHA256(fac.PublicKey())), "Short", "")
	must(t, err)
	code := r.State().Code
	f := join(t, ts.addr, fac, "fran", code, "Fran")
	a := join(t, ts.addr, ana, "ana", code, "Ana")
	for _, c := range []*sshtest.Client{f, a} {
		must(t, c.WaitFor(ctx, "2 here"))
	}
	must(t, f.Press("space"))
	for _, c := range []*sshtest.Client{f, a} {
		must(t, c.WaitFor(ctx, "TIME'S UP"))
		must(t, c.WaitUntil(ctx, "one bell", func(string) bool { return c.Bells() == 1 }))
	}
	// Changes after time is up redraw every screen; none rings again.
	// Ana says she is done and then not: once her screen shows the second,
	// both screens have drawn both changes.
	must(t, a.Press("r"))
	must(t, f.WaitFor(ctx, "Done: 1 of 2 here"))
	must(t, a.Press("r"))
	must(t, f.WaitFor(ctx, "Done: 0 of 2 here"))
	must(t, a.WaitFor(ctx, "no longer marked done"))
	for _, c := range []*sshtest.Client{f, a} {
		if n := c.Bells(); n != 1 {
			t.Fatalf("bell rang %d times; want once", n)
		}
		if !strings.Contains(c.Screen(), "Quick round") {
			t.Fatalf("time up moved on by itself:\n%s", c.Screenshot())
		}
	}
	// A minute more: the countdown runs again from now.
	must(t, f.Press("+"))
	must(t, a.WaitFor(ctx, "1:00 left"))
}

func TestNoPTY(t *testing.T) {
	ts := newTestServer(t, t.TempDir())
	ts.start()
	c, err := sshtest.Dial(waitCtx(t), ts.addr, sshtest.Options{Signer: sshtest.NewSigner(t), NoPTY: true, Command: "ABCDEF"})
	must(t, err)
	defer c.Close()
	status, _ := c.WaitExit(waitCtx(t))
	if status != 1 {
		t.Fatalf("exit status without a PTY = %d; want 1", status)
	}
	if !strings.Contains(c.Stderr(), "ssh -t") {
		t.Fatalf("no-PTY message = %q; want it to say how to connect with -t", c.Stderr())
	}
}

func TestLobbyUnknownCodeAndKeyless(t *testing.T) {
	ts := newTestServer(t, t.TempDir())
	ts.start()
	ctx := waitCtx(t)
	// No key at all: keyboard-interactive, asked for a name.
	c := sshtest.MustDial(t, ts.addr, sshtest.Options{User: "guest\x1b[31m"})
	must(t, c.WaitFor(ctx, "call you"))
	must(t, c.WaitFor(ctx, "without an SSH key"))
	must(t, c.Press("ctrl+u"))
	must(t, c.Type("Gus"))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(ctx, "Join a meetup"))
	for i := range 3 {
		must(t, c.Type(fmt.Sprintf("zzzzz%d", i+2)))
		must(t, c.Press("enter"))
		must(t, c.WaitFor(ctx, fmt.Sprintf(`"ZZZZZ%d"`, i+2)))
		for range 6 {
			must(t, c.Press("backspace"))
		}
	}
	// The third wrong code asks for a pause; trying at once is refused.
	must(t, c.WaitFor(ctx, "(wait 1 s)"))
	must(t, c.Type("zzzzzz"))
	must(t, c.Press("enter"))
	must(t, c.WaitFor(ctx, "Too many wrong codes"))
	// Text with escape sequences never reaches the terminal raw.
	if strings.Contains(string(c.Output()), "\x1b[31m") {
		t.Fatalf("a user-supplied escape sequence reached the terminal")
	}
}
