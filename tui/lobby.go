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
	lobbyCode     lobbyMode = iota // typing a join code
	lobbyList                      // a facilitator choosing a meetup
	lobbyCreate                    // a facilitator naming a new meetup
	lobbyTemplate                  // a facilitator choosing its agenda
	lobbyHistory                   // past meetups (history.go)
	lobbySeries                    // a facilitator naming the new meetup's series
)

type lobbyState struct {
	facilitator bool
	mode        lobbyMode
	code        textinput.Model
	title       form
	// newTitle is the title of the meetup being created, once typed.
	newTitle string
	// templates are the agendas to choose from; tpl is the chosen one.
	templates []session.Template
	tpl       int
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
	// history opens the past meetups: h in the list, tab while typing a
	// code (where letters are the code).
	history, codeHistory key.Binding
	hist                 historyState
	// ssh is how this person reaches the server ("ssh -p 2222 host"), for
	// the commands the screens show.
	ssh string
	// newSeries is the series the new meetup joins ("" for none);
	// series is its form and seriesKey the key that opens it.
	newSeries string
	series    seriesForm
	seriesKey key.Binding
}

type (
	createdMsg struct {
		room *session.Room
		err  error
	}
	templatesMsg struct {
		templates []session.Template
		err       error
	}
	codeWaitOverMsg struct{}
)

func newLobbyState(st styles, facilitator bool) lobbyState {
	l := lobbyState{
		facilitator: facilitator,
		code:        newInput(st, "code, e.g. K7P-M4Q", 16),
		list:        newListKeys("join"),
		create:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "create")),
		typeCode:    key.NewBinding(key.WithKeys("/", "tab"), key.WithHelp("/", "type a code")),
		quit:        key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "quit")),
		history:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "history")),
		codeHistory: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "past meetups")),
		seriesKey:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "series")),
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

// waitHub waits for a change to the server's meetups. A watch that was
// stopped (the screen left the lobby) ends the wait with no message.
func waitHub(ch <-chan struct{}, done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case _, open := <-ch:
			if !open {
				return nil
			}
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
	_, err := m.hub.Find(code)
	if err != nil && !errors.Is(err, session.ErrUnknownCode) {
		m.lobby.msg, m.lobby.msgErr = "Could not open it: "+errText(err), true
		return nil
	}
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
	return m.enter(code)
}

// enter joins the meetup with code under the person's name.
func (m *model) enter(code string) tea.Cmd {
	m.lobby.busy = true
	m.lobby.msg, m.lobby.msgErr = "Joining…", false
	me, name, c, hub := m.me.ID, m.name, m.conn, m.hub
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		sub, err := hub.Enter(ctx, code, me, name)
		if err != nil {
			return enterFailedMsg{code: code, err: err}
		}
		if !c.adopt(sub) {
			return closedMsg{}
		}
		return enteredMsg{sub: sub}
	}
}

func (m model) createMeetup(title, template, series string) tea.Cmd {
	hub, me := m.hub, m.me.ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		r, err := hub.CreateInSeries(ctx, me, title, template, series)
		return createdMsg{room: r, err: err}
	}
}

func (m model) loadTemplates() tea.Cmd {
	hub := m.hub
	return func() tea.Msg {
		t, err := hub.Templates()
		return templatesMsg{templates: t, err: err}
	}
}

func (m model) updateLobby(msg tea.Msg) (tea.Model, tea.Cmd) {
	l := m.lobby
	switch msg.(type) {
	case archiveMsg, actionStatusMsg:
		return m.updateHistory(msg)
	case tea.KeyPressMsg, tea.PasteMsg:
		if l.mode == lobbyHistory && !l.busy {
			return m.updateHistory(msg)
		}
	}
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
	case templatesMsg:
		if msg.err != nil {
			l.msg, l.msgErr = errText(msg.err), true
			return m, nil
		}
		l.templates, l.tpl = msg.templates, 0
		return m, nil
	case createdMsg:
		l.busy = false
		if msg.err != nil {
			l.msg, l.msgErr = errText(msg.err), true
			return m, nil
		}
		l.mode = lobbyList
		return m, m.enter(msg.room.State().Code)
	case tea.PasteMsg:
		// People paste the code from the video call's chat.
		var cmd tea.Cmd
		switch l.mode {
		case lobbyCode:
			l.code, cmd = l.code.Update(msg)
		case lobbyCreate:
			l.title, _, cmd = l.title.update(msg)
		case lobbySeries:
			l.series, _, cmd = l.series.update(msg)
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
			f, done, cmd := l.title.update(msg)
			l.title = f
			switch done {
			case formSubmitted:
				title, err := session.CleanTitle(f.value())
				if err != nil {
					l.title.fail(err)
					return m, nil
				}
				l.newTitle, l.newSeries, l.mode, l.msg = title, "", lobbyTemplate, ""
				return m, m.loadTemplates()
			case formCancelled:
				l.mode, l.msg = lobbyList, ""
			}
			return m, cmd
		case lobbyTemplate:
			switch {
			case key.Matches(msg, l.list.Up):
				l.tpl = max(l.tpl-1, 0)
			case key.Matches(msg, l.list.Down):
				l.tpl = min(l.tpl+1, max(len(l.templates)-1, 0))
			case key.Matches(msg, l.list.Choose):
				if l.tpl >= len(l.templates) {
					return m, nil
				}
				l.busy = true
				l.msg, l.msgErr = "Creating…", false
				return m, m.createMeetup(l.newTitle, l.templates[l.tpl].Name, l.newSeries)
			case key.Matches(msg, l.seriesKey):
				l.series = newSeriesForm(m.st, l.newSeries, m.hub.SeriesNames())
				l.mode = lobbySeries
			case key.Matches(msg, l.list.Back):
				l.mode = lobbyCreate
			}
			return m, nil
		case lobbySeries:
			f, done, cmd := l.series.update(msg)
			l.series = f
			switch done {
			case formSubmitted:
				series, err := session.CleanSeries(f.value())
				if err != nil {
					l.series.form.fail(err)
					return m, nil
				}
				l.newSeries, l.mode = series, lobbyTemplate
			case formCancelled:
				l.mode = lobbyTemplate
			}
			return m, cmd
		case lobbyCode:
			if key.Matches(msg, l.codeHistory) {
				l.code.Blur()
				return m, m.openHistory()
			}
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
	l := m.lobby
	list := m.hub.List()
	sel := selectedIndex(list, l.selected)
	switch {
	case key.Matches(msg, l.list.Up):
		if sel = max(sel-1, 0); sel < len(list) {
			l.selected = list[sel].Code
		}
	case key.Matches(msg, l.list.Down):
		if sel = min(sel+1, max(len(list)-1, 0)); sel < len(list) {
			l.selected = list[sel].Code
		}
	case key.Matches(msg, l.list.Choose):
		if sel < len(list) {
			return m, m.enter(list[sel].Code)
		}
	case key.Matches(msg, l.create):
		l.mode = lobbyCreate
		l.msg = ""
		l.title = newForm(m.st, "", "title of the meetup", "", session.MaxTitleLen, "next: choose the agenda", "back")
		return m, nil
	case key.Matches(msg, l.history):
		l.msg = ""
		return m, m.openHistory()
	case key.Matches(msg, l.typeCode):
		l.mode = lobbyCode
		l.msg = ""
		return m, l.code.Focus()
	case key.Matches(msg, l.quit):
		return m, tea.Quit
	}
	return m, nil
}

// agendaSummary says what a template holds in a few words.
func agendaSummary(t session.Template) string {
	var total time.Duration
	titles := make([]string, len(t.Agenda))
	for i, a := range t.Agenda {
		total += a.Planned()
		titles[i] = a.Title
	}
	return fmt.Sprintf("%s · %s: %s", countOf(len(t.Agenda), "activity"), minutes(total), strings.Join(titles, ", "))
}

func (m model) viewLobby() string {
	l := m.lobby
	if l.mode == lobbyHistory {
		return m.viewHistory()
	}
	st := m.st
	w := min(m.width-4, 100) // inside a padding of 2 on each side
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
		help = m.help.View(append(bindings(newFormKeys("join", cancel).ShortHelp()), l.codeHistory))
	case lobbyCreate:
		b.WriteString(st.section.Render("Create a meetup") + "\n")
		b.WriteString(wrap("Give it a title people will recognise. Next you choose its agenda.", w) + "\n\n")
		b.WriteString(strings.Join(l.title.view(st, min(w-4, 70)), "\n") + "\n\n")
		help = m.help.View(bindings(l.title.help()))
	case lobbyTemplate:
		b.WriteString(st.section.Render(trunc("Agenda for "+l.newTitle, w)) + "\n")
		b.WriteString(wrap("Start from a template; you can change the agenda at any time with tab in the meetup.", w) + "\n\n")
		for i, t := range l.templates {
			name := t.Name
			if t.BuiltIn {
				name += " (built in)"
			}
			if i == l.tpl {
				b.WriteString(st.selected.Render(trunc("▶ "+name, w-2)) + "\n")
			} else {
				b.WriteString(trunc("  "+name, w-2) + "\n")
			}
			b.WriteString(st.dim.Render(trunc("    "+agendaSummary(t), w-2)) + "\n")
		}
		series := "none"
		if l.newSeries != "" {
			series = l.newSeries
		}
		b.WriteString("\n" + st.dim.Render(trunc("Series: "+series+" (s to choose: its open actions are shown at the welcome)", w)) + "\n\n")
		k := l.list
		k.Choose.SetHelp("enter", "create and open")
		help = m.help.View(bindings{k.Up, k.Down, k.Choose, l.seriesKey, k.Back})
	case lobbySeries:
		b.WriteString(st.section.Render(trunc("Series of "+l.newTitle, w)) + "\n")
		b.WriteString(wrap("A series is a run of meetups, such as a monthly officers' meetup. Its open actions are shown at the next one's welcome, and attendance is counted across it. Leave empty for none.", w) + "\n\n")
		b.WriteString(strings.Join(l.series.view(st, min(w-4, 70)), "\n") + "\n\n")
		help = m.help.View(bindings(l.series.help()))
	case lobbyList:
		b.WriteString(st.section.Render("Meetups on this server") + "\n")
		list := m.hub.List()
		if len(list) == 0 {
			b.WriteString(st.dim.Render(wrap("None yet. Press c to create one; you will get a code to read out to participants.", w)) + "\n")
		}
		maxRows := max(m.height-12, 3)
		first := 0
		sel := selectedIndex(list, l.selected)
		if sel >= maxRows {
			first = sel - maxRows + 1
		}
		for i := first; i < len(list) && i < first+maxRows; i++ {
			s := list[i]
			status := s.Activity
			if s.Ended() {
				status = "ended " + s.EndedAt.Local().Format("2 Jan 15:04")
			}
			line := fmt.Sprintf("%s  %s  ·  %d here  ·  %s", session.FormatCode(s.Code), s.Title, s.Present, status)
			line = trunc(line, w-2)
			if i == sel {
				b.WriteString(st.selected.Render("▶ "+line) + "\n")
			} else {
				b.WriteString("  " + line + "\n")
			}
		}
		b.WriteString("\n")
		help = m.help.View(bindings{l.list.Up, l.list.Down, l.list.Choose, l.create, l.typeCode, l.history, l.quit})
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
func selectedIndex(list []session.Summary, code string) int {
	for i, s := range list {
		if s.Code == code {
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
