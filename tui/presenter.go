package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
)

// The presenter screen: a read-only screen for a projector or a shared
// screen in a hybrid meetup, opened with `ssh -t host present CODE`. It
// shows the current activity large and clear (the meetup's title, the
// activity, a big countdown, the announcement and the activity's own
// presentation) and never anyone's private view: it watches the room
// (session.Room.Watch) and draws from the View every participant has,
// with nobody as its viewer. It is not a member of the meetup and can
// do nothing to it: q leaves, c switches to a compact layout, every
// other key is ignored.

// presenter is an activity's screen that can present itself on the
// presenter screen: the activity's panel drawn large, for a room to read
// from a distance, in w x h cells. f is built from a participant's View
// with nobody as the viewer, and its send does nothing. Screens that do
// not implement it are shown by their note (presentPlain).
type presenter interface {
	present(f frame, w, h int) string
}

// presenterModel is the Bubble Tea model of a presenter screen.
type presenterModel struct {
	hub  *session.Hub
	conn *conn
	sub  *session.Subscription
	view *session.View
	// act is the current activity's screen, made for actFor as in the
	// room model; only its present is ever called.
	act    activityScreen
	actFor string

	width, height int
	st            styles
	// compact trades the big clock and the spacing for room to show
	// more of the activity (many groups, many topics).
	compact bool
	// tickFor, armed and rang follow the countdown as in the room model.
	tickFor, armed, rang string
	goodbye              string
}

// newPresenter makes the presenter screen of a watcher's subscription.
func newPresenter(hub *session.Hub, sub *session.Subscription, c *conn) presenterModel {
	p := presenterModel{hub: hub, conn: c, sub: sub, width: 80, height: 24, st: newStyles(true)}
	p.snapshot()
	return p
}

func (p presenterModel) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, p.waitStopping(), p.waitRoom(), p.syncClock())
}

func (p presenterModel) waitStopping() tea.Cmd {
	stopping, done := p.hub.Stopping(), p.conn.done
	return func() tea.Msg {
		select {
		case <-stopping:
			return stoppingMsg{}
		case <-done:
			return closedMsg{}
		}
	}
}

func (p presenterModel) waitRoom() tea.Cmd {
	sub, done := p.sub, p.conn.done
	return func() tea.Msg {
		select {
		case <-sub.Changes():
			return roomChangedMsg{}
		case <-done:
			return closedMsg{}
		}
	}
}

// snapshot takes the room's newest state, with a fresh activity screen
// for a new activity.
func (p *presenterModel) snapshot() {
	p.view = p.sub.View()
	v := p.view
	if key := fmt.Sprintf("%d/%s/%v", v.Current, v.Activity().Kind, v.Ended()); key != p.actFor || p.act == nil {
		p.actFor = key
		p.act = newActivityScreen(v.Activity().Kind)
	}
}

// syncClock rings the bell once when the countdown reaches zero (the room
// hears it too) and keeps one chain of redraw ticks while a countdown
// runs; with none running, nothing ticks.
func (p *presenterModel) syncClock() tea.Cmd {
	v := p.view
	id := timerID(v)
	var cmds []tea.Cmd
	if id != "" {
		if v.Timer.Remaining(p.hub.Now()) > 0 {
			p.armed = id
		} else if p.armed == id && p.rang != id {
			p.rang = id
			cmds = append(cmds, tea.Raw("\a"))
		}
	}
	if id != p.tickFor {
		p.tickFor = id
		cmds = append(cmds, p.nextTick())
	}
	return tea.Batch(cmds...)
}

func (p *presenterModel) nextTick() tea.Cmd {
	id := timerID(p.view)
	if id == "" {
		return nil
	}
	rem := p.view.Timer.Remaining(p.hub.Now())
	if rem <= 0 {
		return nil
	}
	d := rem % time.Second
	if d == 0 {
		d = time.Second
	}
	return tea.Tick(d+3*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{id: id} })
}

func (p presenterModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		p.st = newStyles(msg.IsDark())
	case roomChangedMsg:
		p.snapshot()
		return p, tea.Batch(p.waitRoom(), p.syncClock())
	case tickMsg:
		if msg.id == p.tickFor {
			return p, tea.Batch(p.syncClock(), p.nextTick())
		}
	case stoppingMsg:
		p.goodbye = "The server is stopping.\nReconnect in a moment with the same command."
		p.conn.setFarewell("convene: the server is stopping; reconnect in a moment with the same command to show the meetup again.")
		return p, tea.Tick(time.Second, func(time.Time) tea.Msg { return quitMsg{} })
	case quitMsg:
		return p, tea.Quit
	case tea.KeyPressMsg:
		// Nothing here acts on the meetup: the keys only leave or change
		// this screen's layout.
		switch msg.String() {
		case "q", "ctrl+c", "esc":
			v := p.view
			p.conn.setFarewell(fmt.Sprintf("You closed the presenter screen of %s (code %s).", v.Title, session.FormatCode(v.Code)))
			return p, tea.Quit
		case "c":
			p.compact = !p.compact
		}
	}
	return p, nil
}

func (p presenterModel) View() tea.View {
	v := tea.NewView(fit(p.body(), p.width, p.height))
	v.AltScreen = true
	v.WindowTitle = "convene · presenter"
	return v
}

// frame is what the activity's screen is given to present: the watcher's
// View, and a send that does nothing.
func (p presenterModel) frame() frame {
	return frame{
		v: p.view, st: p.st, now: p.hub.Now(), width: p.width,
		send:      func(string, session.Command) tea.Cmd { return nil },
		sendSay:   func(session.Command, func(*session.View) string) tea.Cmd { return nil },
		setStatus: func(string, bool) {},
		hub:       p.hub, room: p.sub.Room(),
	}
}

// body is the screen as drawn, before it is fitted to the window.
func (p presenterModel) body() string {
	w, h := p.width, p.height
	switch {
	case w < minWidth || h < minHeight:
		return wrap(fmt.Sprintf("This window is %dx%d. The presenter screen needs at least %dx%d: please make it bigger.", w, h, minWidth, minHeight), max(w, 10))
	case p.goodbye != "":
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, p.st.strong.Render(wrap(p.goodbye, max(20, w-4))))
	}
	f := p.frame()
	v := f.v
	st := p.st

	header := p.header(w)
	var foot []string
	if v.Notice.Text != "" && !v.Ended() {
		text := upTo(wrap("» "+v.Notice.By+": "+v.Notice.Text, w-2), 2, w-2)
		for _, l := range text {
			foot = append(foot, " "+st.notice.Render(l))
		}
	}
	foot = append(foot, p.footer(w))

	// The column the activity is drawn in: centred, and not so wide that
	// a line cannot be followed across a big screen.
	colW := min(w-4, 110)
	pad := strings.Repeat(" ", (w-colW)/2)
	room := h - 1 - len(foot)

	head := p.head(f, w, room)
	bodyH := max(room-len(head), 1)
	var body string
	switch {
	case v.Ended():
		body = p.endedBody(f, colW, bodyH)
	default:
		if pr, ok := p.act.(presenter); ok {
			body = pr.present(f, colW, bodyH)
		} else {
			body = presentPlain(f, colW, bodyH)
		}
	}
	lines := append([]string{header}, head...)
	for _, l := range strings.Split(clip(body, colW, bodyH), "\n") {
		if l == "" {
			lines = append(lines, "")
			continue
		}
		lines = append(lines, pad+l)
	}
	for len(lines) < h-len(foot) {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, foot...), "\n")
}

// header names the meetup and how to join it: every participant sees the
// code, and people arriving late read it off the wall.
func (p presenterModel) header(w int) string {
	st, v := p.st, p.view
	right := fmt.Sprintf("code %s · %d here", session.FormatCode(v.Code), v.Present())
	if v.Ended() {
		right = "ended"
	}
	left := st.title.Render("convene") + "  " + st.strong.Render(trunc(v.Title, max(w-lipgloss.Width(right)-14, 8)))
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	return trunc(left+strings.Repeat(" ", max(gap, 1))+st.dim.Render(right), w)
}

// footer says what comes next, and that this screen only shows.
func (p presenterModel) footer(w int) string {
	st, v := p.st, p.view
	right := "presenter · read-only · c compact · q leave"
	if w < 70 {
		right = "read-only · q leave"
	}
	left := ""
	if !v.Ended() && v.Current+1 < len(v.Agenda) {
		left = trunc("Next: "+v.Agenda[v.Current+1].Title, max(w-lipgloss.Width(right)-3, 0))
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	return trunc(st.dim.Render(left)+strings.Repeat(" ", max(gap, 1))+st.dim.Render(right), w)
}

// clockSize is how large the countdown is drawn.
type clockSize int

const (
	clockText  clockSize = iota // one line
	clockSmall                  // three rows of half blocks
	clockBig                    // five rows of full blocks
)

// head is the top of the screen: where the meetup stands, the activity's
// title and its countdown, centred. The countdown is as big as the
// window allows while leaving the activity room (room lines in all).
func (p presenterModel) head(f frame, w, room int) []string {
	st, v := p.st, f.v
	center := func(s string) string { return centerLine(s, w) }
	if v.Ended() {
		return []string{"", center(st.title.Render(trunc("This meetup has ended", w))),
			center(st.dim.Render(trunc(fmt.Sprintf("%s ended at %s.", v.Title, v.EndedAt.Local().Format("15:04 on 2 Jan 2006")), w))), ""}
	}
	a := v.Activity()
	size := clockText
	switch {
	case p.compact:
	case room >= 32 && w >= 60:
		size = clockBig
	case room >= 18:
		size = clockSmall
	}
	var lines []string
	if !p.compact {
		lines = append(lines, "", center(st.dim.Render(fmt.Sprintf("NOW  ·  %d of %d", v.Current+1, len(v.Agenda)))))
	}
	title := upTo(wrap(a.Title, w-4), 2, w-4)
	for _, l := range title {
		lines = append(lines, center(st.title.Render(l)))
	}
	if a.Timed() {
		if size != clockText {
			lines = append(lines, "")
		}
		for _, l := range p.clock(f, size) {
			lines = append(lines, center(l))
		}
	}
	if !p.compact {
		lines = append(lines, "")
	}
	return lines
}

// clock draws the countdown at size, with a line saying how it stands.
func (p presenterModel) clock(f frame, size clockSize) []string {
	st, t, now := p.st, f.v.Timer, f.now
	rem := t.Remaining(now)
	digits, state := st.strong, ""
	switch {
	case t.Up(now):
		digits, state = st.errText.Bold(true), st.timeUp.Render(" TIME'S UP ")
	case t.Running && rem <= time.Minute:
		digits, state = st.warn, st.warn.Render("final minute")
	case t.Running:
		state = st.dim.Render("left")
	case t.Started:
		digits, state = st.dim, st.dim.Render("paused")
	default:
		digits, state = st.dim, st.dim.Render("the timer has not started")
	}
	text := formatClock(rem)
	if size == clockText {
		return []string{digits.Render(text) + "  " + state}
	}
	var out []string
	for _, row := range bigDigits(text, size == clockBig) {
		out = append(out, digits.Render(row))
	}
	return append(out, state)
}

// centerLine pads s on the left to sit in the middle of w cells.
func centerLine(s string, w int) string {
	return strings.Repeat(" ", max((w-lipgloss.Width(s))/2, 0)) + s
}

// Block digits for the countdown: five rows of full blocks (strokes two
// cells wide, so that they look as thick across as down), or three rows
// of half blocks for smaller windows.
var (
	bigFont = map[rune][5]string{
		'0': {"██████", "██  ██", "██  ██", "██  ██", "██████"},
		'1': {"  ████", "    ██", "    ██", "    ██", "    ██"},
		'2': {"██████", "    ██", "██████", "██    ", "██████"},
		'3': {"██████", "    ██", "██████", "    ██", "██████"},
		'4': {"██  ██", "██  ██", "██████", "    ██", "    ██"},
		'5': {"██████", "██    ", "██████", "    ██", "██████"},
		'6': {"██████", "██    ", "██████", "██  ██", "██████"},
		'7': {"██████", "    ██", "    ██", "    ██", "    ██"},
		'8': {"██████", "██  ██", "██████", "██  ██", "██████"},
		'9': {"██████", "██  ██", "██████", "    ██", "██████"},
		':': {"  ", "██", "  ", "██", "  "},
	}
	smallFont = map[rune][3]string{
		'0': {"█▀█", "█ █", "▀▀▀"},
		'1': {"▀█ ", " █ ", "▀▀▀"},
		'2': {"▀▀█", "█▀▀", "▀▀▀"},
		'3': {"▀▀█", " ▀█", "▀▀▀"},
		'4': {"█ █", "▀▀█", "  ▀"},
		'5': {"█▀▀", "▀▀█", "▀▀▀"},
		'6': {"█▀▀", "█▀█", "▀▀▀"},
		'7': {"▀▀█", "  █", "  ▀"},
		'8': {"█▀█", "█▀█", "▀▀▀"},
		'9': {"█▀█", "▀▀█", "▀▀▀"},
		':': {"▄", "▄", " "},
	}
)

// bigDigits draws a clock such as "12:05" in block digits.
func bigDigits(text string, big bool) []string {
	n := 3
	if big {
		n = 5
	}
	rows := make([]string, n)
	for i, r := range text {
		for k := range rows {
			if i > 0 {
				rows[k] += " "
				if big {
					rows[k] += " "
				}
			}
			if big {
				rows[k] += bigFont[r][k]
			} else {
				rows[k] += smallFont[r][k]
			}
		}
	}
	return rows
}

// endedBody sums up what the meetup came to, as the close screen
// presents it if it can.
func (p presenterModel) endedBody(f frame, w, h int) string {
	if pr, ok := newActivityScreen(session.KindClose).(presenter); ok {
		return pr.present(f, w, h)
	}
	return strings.Join(outcomeLines(f, w), "\n")
}
