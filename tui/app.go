package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
)

// Identity is who is on a connection, as established by the SSH layer.
type Identity struct {
	ID session.PersonID
	// User is what the client typed as its user name: a suggestion for the
	// display name, never an identity.
	User string
	// Keyless is true for people who connected without a public key.
	Keyless bool
	// Token is what brings a person without a key back as themselves:
	// they connect with the user name "guest-" and it (rejoinCommand).
	Token string
}

// The smallest window the screens are laid out for.
const (
	minWidth  = 40
	minHeight = 12
)

// opTimeout bounds one action against a room.
const opTimeout = 10 * time.Second

// screen is which of the app's screens is showing.
type screen int

const (
	screenName screen = iota
	screenLobby
	screenRoom
	screenGoodbye
)

// conn holds what one connection owns beyond any copy of the model: the
// room subscription and the lobby watch. The server closes it when the
// SSH session ends, whatever state the model was in.
type conn struct {
	mu      sync.Mutex
	sub     *session.Subscription
	unwatch func()
	done    chan struct{}
	once    sync.Once
	// farewell is printed on the person's terminal after the full-screen
	// app has gone, so that the reason it closed stays readable.
	farewell string
	// codes counts wrong join codes with the server's other connections,
	// by key and by addr, the remote address (limits.go).
	codes *codeGuard
	addr  string
	// amends are the changes made to meetups from outside their room (the
	// History), sent in the order they were made.
	amends serial
}

// serial runs what it is given one after another, in the order queue was
// called: queue is called when a key is pressed, so changes reach the
// room in the order they were pressed, whichever goroutine runs them.
type serial struct {
	mu   sync.Mutex
	tail chan struct{}
}

func (s *serial) queue(fn func() tea.Msg) tea.Cmd {
	s.mu.Lock()
	prev, done := s.tail, make(chan struct{})
	s.tail = done
	s.mu.Unlock()
	return func() tea.Msg {
		defer close(done)
		if prev != nil {
			<-prev
		}
		return fn()
	}
}

func (c *conn) setFarewell(s string) {
	c.mu.Lock()
	c.farewell = s
	c.mu.Unlock()
}

// Farewell returns the line to leave on the terminal, if any.
func (c *conn) Farewell() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.farewell
}

func newConn() *conn { return &conn{done: make(chan struct{})} }

func (c *conn) setSub(s *session.Subscription) {
	c.mu.Lock()
	old := c.sub
	c.sub = s
	c.mu.Unlock()
	if old != nil && old != s {
		old.Close()
	}
}

// adopt takes s as the connection's subscription, unless the connection
// has already ended: then s is closed at once, so that a person whose
// session ended while joining is not left shown as present.
func (c *conn) adopt(s *session.Subscription) bool {
	c.mu.Lock()
	select {
	case <-c.done:
		c.mu.Unlock()
		s.Close()
		return false
	default:
	}
	old := c.sub
	c.sub = s
	c.mu.Unlock()
	if old != nil && old != s {
		old.Close()
	}
	return true
}

func (c *conn) setWatch(unwatch func()) {
	c.mu.Lock()
	old := c.unwatch
	c.unwatch = unwatch
	c.mu.Unlock()
	if old != nil {
		old()
	}
}

// close releases everything; the person is shown as gone.
func (c *conn) close() {
	c.once.Do(func() {
		c.mu.Lock()
		close(c.done)
		c.mu.Unlock()
		c.setSub(nil)
		c.setWatch(nil)
	})
}

// model is the root Bubble Tea model of one connection.
type model struct {
	hub  *session.Hub
	me   Identity
	conn *conn
	// ssh is how this person reaches the server ("ssh -p 2222 host"),
	// for the export commands shown to facilitators.
	ssh string

	width, height int
	st            styles
	help          helpState

	screen  screen
	name    string // display name, once known
	askName bool

	// nameForm and lobby are behind pointers so that the model, copied on
	// every update of every screen, stays small in the room; Update copies
	// them before a change outside the room, so each model keeps its own.
	nameForm *form

	lobby *lobbyState
	room  roomState

	goodbye string

	// initCmds are the commands of the screen set up in newModel: Init
	// has a value receiver, so state must be set up before it runs.
	initCmds []tea.Cmd
}

// Messages from outside the model.
type (
	roomChangedMsg struct{}
	hubChangedMsg  struct{}
	replacedMsg    struct{}
	stoppingMsg    struct{}
	closedMsg      struct{}
	enteredMsg     struct {
		sub *session.Subscription
	}
	enterFailedMsg struct {
		code string
		err  error
	}
	nameSavedMsg struct {
		name string
		err  error
	}
	doneMsg struct {
		what string
		err  error
		// restore is text the room refused, to put back in its field
		// (purpose says which of the room's fields, if it is one).
		restore string
		purpose formPurpose
		// say, if set, words the line from the room as it is once the
		// command is done (for a toggle, whose outcome the screen cannot
		// know when the key is pressed).
		say func(*session.View) string
	}
	quitMsg struct{}
)

func newModel(hub *session.Hub, me Identity, code string, c *conn) model {
	m := model{
		hub:    hub,
		me:     me,
		conn:   c,
		width:  80,
		height: 24,
	}
	m.help.SetWidth(m.width)
	m.setDark(true)
	lobby := newLobbyState(m.st, hub.IsFacilitator(me.ID))
	m.lobby = &lobby
	m.lobby.pendingCode = session.NormalizeCode(code)

	if p, ok, err := hub.Person(me.ID); err == nil && ok {
		m.name = p.Name
	}
	if m.name == "" {
		m.askName = true
		m.screen = screenName
		suggest, _ := session.CleanName(me.User)
		f := newForm(m.st, "", "your name", suggest, session.MaxNameLen, "continue", "leave")
		m.nameForm = &f
	} else {
		m.initCmds = m.enterLobby()
	}
	return m
}

// newInput is a one-line text field: a virtual cursor that does not blink
// (no timer per person) and a limit on what can be typed.
func newInput(st styles, placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.Placeholder = placeholder
	ti.CharLimit = limit
	s := textinput.DefaultStyles(st.isDark)
	s.Cursor.Blink = false
	ti.SetStyles(s)
	ti.SetVirtualCursor(true)
	return ti
}

func (m *model) setDark(dark bool) {
	m.st = newStyles(dark)
	m.help.dark = dark
}

func (m model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.waitStopping()}
	return tea.Batch(append(cmds, m.initCmds...)...)
}

// waitStopping wakes the model when the server begins to stop.
func (m model) waitStopping() tea.Cmd {
	stopping, done := m.hub.Stopping(), m.conn.done
	return func() tea.Msg {
		select {
		case <-stopping:
			return stoppingMsg{}
		case <-done:
			return closedMsg{}
		}
	}
}

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.screen != screenRoom && m.lobby != nil {
		// Outside the room the lobby and the name form change: this
		// model gets copies of its own (value semantics, as before).
		lobby := *m.lobby
		m.lobby = &lobby
		if m.nameForm != nil {
			f := *m.nameForm
			m.nameForm = &f
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		return m, nil
	case tea.BackgroundColorMsg:
		m.setDark(msg.IsDark())
		return m, nil
	case stoppingMsg:
		m.screen = screenGoodbye
		m.goodbye = "The server is stopping. Everything you were shown as saved is kept.\nReconnect in a moment with the same command to carry on."
		m.conn.setFarewell("convene: the server is stopping. Everything you were shown as saved is kept; reconnect in a moment with the same command.")
		return m, tea.Tick(time.Second, func(time.Time) tea.Msg { return quitMsg{} })
	case replacedMsg:
		m.screen = screenGoodbye
		m.goodbye = "You opened this meetup from another terminal, so this one has closed.\nYou are still in the meetup there."
		m.conn.setFarewell("convene: you opened this meetup in another terminal, so this one closed. You are still in the meetup there.")
		m.conn.setSub(nil)
		return m, tea.Tick(500*time.Millisecond, func(time.Time) tea.Msg { return quitMsg{} })
	case quitMsg:
		return m, tea.Quit
	case closedMsg:
		return m, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
	}
	switch m.screen {
	case screenName:
		return m.updateName(msg)
	case screenLobby:
		return m.updateLobby(msg)
	case screenRoom:
		return m.updateRoom(msg)
	case screenGoodbye:
		if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "q" || k.String() == "enter") {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m model) View() tea.View {
	v := tea.NewView(fit(m.body(), m.width, m.height))
	v.AltScreen = true
	v.WindowTitle = "convene"
	return v
}

// body is the screen as drawn, before it is fitted to the window: tests
// check that it fits on its own, so nothing is ever cut without a word.
func (m model) body() string {
	switch {
	case m.width < minWidth || m.height < minHeight:
		return wrap(fmt.Sprintf("This window is %dx%d. convene needs at least %dx%d: please make it bigger.", m.width, m.height, minWidth, minHeight), max(m.width, 10))
	case m.screen == screenName:
		return m.viewName()
	case m.screen == screenLobby:
		return m.viewLobby()
	case m.screen == screenRoom:
		return m.viewRoom()
	case m.screen == screenGoodbye:
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center,
			m.st.strong.Render(wrap(m.goodbye, max(20, m.width-4))))
	}
	return ""
}

// updateName handles the first-join name form.
func (m model) updateName(msg tea.Msg) (tea.Model, tea.Cmd) {
	if msg, ok := msg.(nameSavedMsg); ok {
		if msg.err != nil {
			m.nameForm.fail(msg.err)
			return m, nil
		}
		m.name = msg.name
		m.screen = screenLobby
		return m, tea.Batch(m.enterLobby()...)
	}
	f, done, cmd := m.nameForm.update(msg)
	m.nameForm = &f
	switch done {
	case formSubmitted:
		name, err := session.CleanName(f.value())
		if err != nil {
			m.nameForm.fail(err)
			return m, nil
		}
		return m, m.saveName(name)
	case formCancelled:
		return m, tea.Quit
	}
	return m, cmd
}

func (m model) saveName(name string) tea.Cmd {
	hub, me := m.hub, m.me
	return func() tea.Msg {
		err := hub.SavePerson(session.Person{ID: me.ID, Name: name})
		return nameSavedMsg{name: name, err: err}
	}
}

func (m model) viewName() string {
	w := min(m.width-4, 60)
	lines := []string{
		m.st.title.Render("Welcome to convene"),
		"",
		wrap("What should people in the meetup call you? This is the name everyone will see.", w),
		"",
	}
	lines = append(lines, m.nameForm.view(m.st, w)...)
	lines = append(lines, "", m.st.dim.Render(wrap(fmt.Sprintf("Up to %d characters. Edit the suggestion or type a new one.", session.MaxNameLen), w)))
	if m.me.Keyless {
		lines = append(lines, "", m.st.dim.Render(wrap("You connected without an SSH key. To come back as yourself if your connection drops, connect with:", w)),
			m.st.strong.Render(trunc(rejoinCommand(m.ssh, m.me.Token, ""), w)))
	}
	lines = append(lines, "", m.help.View(bindings(m.nameForm.help())))
	block := lipgloss.NewStyle().Width(w).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, block)
}

// errText turns an error into a sentence for the screen.
func errText(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded):
		return "The server took too long to answer. Try again."
	}
	s := err.Error()
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:] + "."
}
