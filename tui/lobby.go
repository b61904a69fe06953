package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
)

type lobbyMode int

const (
	lobbyCode   lobbyMode = iota // typing a join code
	lobbyList                    // a facilitator choosing a meetup
	lobbyCreate                  // a facilitator naming a new meetup
)

type lobbyState struct {
	facilitator bool
	mode        lobbyMode
	code        textinput.Model
	title       textinput.Model
	// selected is the chosen meetup's code, so the choice stays on it
	// when meetups are created and the list shifts.
	selected    string
	msg         string
	msgErr      bool
	waitUntil   time.Time
	pendingCode string
	busy        bool
	watch       <-chan struct{}
	list        listKeys
	create      key.Binding
	typeCode    key.Binding
	quit        key.Binding
}

type (
	createdMsg struct {
		room *session.Room
		err  error
	}
	codeWaitOverMsg struct{}
)

func newLobbyState(st styles, facilitator bool) lobbyState {
	l := lobbyState{
		facilitator: facilitator,
		code:        newInput(st, "code, e.g. K7P-M4Q", 16),
		title:       newInput(st, "title of the meetup", session.MaxTitleLen),
		list:        newListKeys("join"),
		create:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "create a meetup")),
		typeCode:    key.NewBinding(key.WithKeys("/", "tab"), key.WithHelp("/", "type a code")),
		quit:        key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "quit")),
	}
	if facilitator {
		l.mode = lobbyList
	} else {
		l.code.Focus()
	}
	return l
}

// enterLobby shows the lobby: it watches the server's meetups, and joins
// the meetup named on the command line if there was one.
func (m *model) enterLobby() []tea.Cmd {
	m.screen = screenLobby
	ch, unwatch := m.hub.Watch()
	m.conn.setWatch(unwatch)
	m.lobby.watch = ch
	m.lobby.busy = false
	cmds := []tea.Cmd{waitHub(ch, m.conn.done)}
	if code := m.lobby.pendingCode; code != "" {
		m.lobby.pendingCode = ""
		m.lobby.code.SetValue(code)
		cmds = append(cmds, m.joinCode(code))
	}
	return cmds
}

func waitHub(ch <-chan struct{}, done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-ch:
			return hubChangedMsg{}
		case <-done:
			return closedMsg{}
		}
	}
}

// joinCode finds a meetup by code and enters it.
func (m *model) joinCode(code string) tea.Cmd {
	code = session.NormalizeCode(code)
	if code == "" {
		m.lobby.msg, m.lobby.msgErr = "Type the code you were given.", true
		return nil
	}
	// Wrong codes are counted by the server, by key and by address
	// (limits.go), so a new connection does not start afresh.
	guard, who := m.conn.codeTrier(m.me)
	if wait, shared := guard.wait(who); wait > 0 {
		m.lobby.msg, m.lobby.msgErr = tooManyWrongCodes(wait, shared), true
		return m.waitForCode(wait)
	}
	r, err := m.hub.Find(code)
	if err != nil {
		shown := code
		if session.Len(shown) > 12 {
			shown = string([]rune(shown)[:12]) + "…"
		}
		m.lobby.msg = fmt.Sprintf("No meetup has the code %q. Check it and try again.", session.CleanText(shown))
		m.lobby.msgErr = true
		if wait, _ := guard.wrong(who); wait > 0 {
			m.lobby.msg += fmt.Sprintf(" (wait %d s)", waitSeconds(wait))
			return m.waitForCode(wait)
		}
		return nil
	}
	guard.right(who)
	return m.enter(r)
}

// enter joins a room under the person's name.
func (m *model) enter(r *session.Room) tea.Cmd {
	m.lobby.busy = true
	m.lobby.msg, m.lobby.msgErr = "Joining…", false
	me, name, c := m.me.ID, m.name, m.conn
	code := r.State().Code
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		sub, err := r.Enter(ctx, me, name)
		if err != nil {
			return enterFailedMsg{code: code, err: err}
		}
		if !c.adopt(sub) {
			return closedMsg{}
		}
		return enteredMsg{sub: sub}
	}
}

func (m model) createMeetup(title string) tea.Cmd {
	hub, me := m.hub, m.me.ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		r, err := hub.Create(ctx, me, title)
		return createdMsg{room: r, err: err}
	}
}

func (m model) updateLobby(msg tea.Msg) (tea.Model, tea.Cmd) {
	l := &m.lobby
	switch msg := msg.(type) {
	case hubChangedMsg:
		return m, waitHub(l.watch, m.conn.done)
	case codeWaitOverMsg:
		if !time.Now().Before(l.waitUntil) && l.msgErr {
			l.msg = "You can try a code again."
		}
		return m, nil
	case enteredMsg:
		return m.startRoom(msg.sub)
	case enterFailedMsg:
		l.busy = false
		l.msgErr = true
		if errors.Is(msg.err, session.ErrEnded) {
			l.msg = fmt.Sprintf("The meetup %s has ended.", session.FormatCode(msg.code))
		} else {
			l.msg = "Could not join: " + errText(msg.err)
		}
		return m, nil
	case createdMsg:
		if msg.err != nil {
			l.msg, l.msgErr = errText(msg.err), true
			return m, nil
		}
		l.mode = lobbyList
		l.title.Reset()
		l.title.Blur()
		return m, m.enter(msg.room)
	case tea.PasteMsg:
		// People paste the code from the video call's chat.
		var cmd tea.Cmd
		switch l.mode {
		case lobbyCode:
			l.code, cmd = l.code.Update(msg)
		case lobbyCreate:
			l.title, cmd = l.title.Update(msg)
		}
		return m, cmd
	case tea.KeyPressMsg:
		if l.busy {
			return m, nil
		}
		switch l.mode {
		case lobbyList:
			return m.updateLobbyList(msg)
		case lobbyCreate:
			switch msg.String() {
			case "enter":
				title, err := session.CleanTitle(l.title.Value())
				if err != nil {
					l.msg, l.msgErr = errText(err), true
					return m, nil
				}
				l.msg, l.msgErr = "Creating…", false
				return m, m.createMeetup(title)
			case "esc":
				l.mode = lobbyList
				l.title.Blur()
				l.msg = ""
				return m, nil
			}
			var cmd tea.Cmd
			l.title, cmd = l.title.Update(msg)
			return m, cmd
		case lobbyCode:
			switch msg.String() {
			case "enter":
				return m, m.joinCode(l.code.Value())
			case "esc":
				if l.facilitator {
					l.mode = lobbyList
					l.code.Blur()
					l.msg = ""
					return m, nil
				}
				return m, tea.Quit
			}
			var cmd tea.Cmd
			l.code, cmd = l.code.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

func (m model) updateLobbyList(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	l := &m.lobby
	rooms := m.hub.Rooms()
	sel := selectedIndex(rooms, l.selected)
	switch {
	case key.Matches(msg, l.list.Up):
		if sel = max(sel-1, 0); sel < len(rooms) {
			l.selected = rooms[sel].State().Code
		}
	case key.Matches(msg, l.list.Down):
		if sel = min(sel+1, max(len(rooms)-1, 0)); sel < len(rooms) {
			l.selected = rooms[sel].State().Code
		}
	case key.Matches(msg, l.list.Choose):
		if sel < len(rooms) {
			return m, m.enter(rooms[sel])
		}
	case key.Matches(msg, l.create):
		l.mode = lobbyCreate
		l.msg = ""
		return m, l.title.Focus()
	case key.Matches(msg, l.typeCode):
		l.mode = lobbyCode
		l.msg = ""
		return m, l.code.Focus()
	case key.Matches(msg, l.quit):
		return m, tea.Quit
	}
	return m, nil
}

func (m model) viewLobby() string {
	l := m.lobby
	st := m.st
	w := min(m.width-2, 100)
	var b strings.Builder
	b.WriteString(st.title.Render("convene") + st.dim.Render("  ·  meetups and solution circles") + "\n")
	b.WriteString(st.dim.Render("Signed in as ") + st.strong.Render(m.name) + "\n\n")

	help := ""
	switch l.mode {
	case lobbyCode:
		b.WriteString(st.section.Render("Join a meetup") + "\n")
		b.WriteString(wrap("Type the code the facilitator gave you, then press enter.", w) + "\n\n")
		l.code.SetWidth(20)
		b.WriteString(l.code.View() + "\n\n")
		cancel := "quit"
		if l.facilitator {
			cancel = "back"
		}
		help = m.help.View(newFormKeys("join", cancel))
	case lobbyCreate:
		b.WriteString(st.section.Render("Create a meetup") + "\n")
		b.WriteString(wrap("Give it a title people will recognise. It starts with the default one-hour agenda.", w) + "\n\n")
		l.title.SetWidth(min(w-4, 60))
		b.WriteString(l.title.View() + "\n\n")
		help = m.help.View(newFormKeys("create and open", "back"))
	case lobbyList:
		b.WriteString(st.section.Render("Meetups on this server") + "\n")
		rooms := m.hub.Rooms()
		if len(rooms) == 0 {
			b.WriteString(st.dim.Render(wrap("None yet. Press c to create one; you will get a code to read out to participants.", w)) + "\n")
		}
		maxRows := max(m.height-12, 3)
		first := 0
		sel := selectedIndex(rooms, l.selected)
		if sel >= maxRows {
			first = sel - maxRows + 1
		}
		for i := first; i < len(rooms) && i < first+maxRows; i++ {
			s := rooms[i].State()
			status := s.Activity().Title
			if s.Ended() {
				status = "ended " + s.EndedAt.Local().Format("2 Jan 15:04")
			}
			line := fmt.Sprintf("%s  %s  ·  %d here  ·  %s", session.FormatCode(s.Code), s.Title, s.Present(), status)
			line = trunc(line, w-2)
			if i == sel {
				b.WriteString(st.selected.Render("▶ "+line) + "\n")
			} else {
				b.WriteString("  " + line + "\n")
			}
		}
		b.WriteString("\n")
		help = m.help.View(bindings{l.list.Up, l.list.Down, l.list.Choose, l.create, l.typeCode, l.quit})
	}
	if l.msg != "" {
		style := st.okText
		if l.msgErr {
			style = st.errText
		}
		b.WriteString(style.Render(wrap(l.msg, w)) + "\n")
	}
	body := lipgloss.NewStyle().Padding(1, 2).Render(b.String())
	return placeBottom(body, help, m.height)
}

// selectedIndex finds the chosen meetup in the list, or the first.
func selectedIndex(rooms []*session.Room, code string) int {
	for i, r := range rooms {
		if r.State().Code == code {
			return i
		}
	}
	return 0
}

// placeBottom puts footer on the last line(s) of an h-line screen.
func placeBottom(body, footer string, h int) string {
	bodyLines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	footLines := strings.Split(footer, "\n")
	room := h - len(footLines)
	if room < 0 {
		room = 0
	}
	if len(bodyLines) > room {
		bodyLines = bodyLines[:room]
	}
	for len(bodyLines) < room {
		bodyLines = append(bodyLines, "")
	}
	return strings.Join(append(bodyLines, footLines...), "\n")
}
