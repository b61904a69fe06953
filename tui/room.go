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

type roomMode int

const (
	roomNormal roomMode = iota
	roomAnnounce
	roomRename
	roomPeople
	roomConfirmEnd
)

// roomState is what one screen keeps about the room it shows. The room's
// state itself lives in session; the view reads the newest published copy.
type roomState struct {
	sub       *session.Subscription
	keys      roomKeys
	list      listKeys
	form      formKeys
	mode      roomMode
	announce  textinput.Model
	rename    textinput.Model
	peopleSel int
	status    string
	statusErr bool
	// tickFor names the countdown being ticked, so one chain of redraw
	// ticks runs per countdown however often the state changes.
	tickFor string
	// armed names a countdown seen running with time left; rang one that
	// has rung its bell. A screen that only ever saw the time up stays quiet.
	armed, rang string
	// current names the activity, phase and round the status line speaks
	// of; when it changes the status line is cleared.
	current string
	limit   *limiter

	net    netState
	topics topicsState
}

type tickMsg struct{ id string }

var errTooFast = errors.New("that was a lot at once: wait a moment and try again")

func (m model) startRoom(sub *session.Subscription) (tea.Model, tea.Cmd) {
	m.conn.setWatch(nil)
	m.conn.setSub(sub)
	m.screen = screenRoom
	m.lobby.busy = false
	m.lobby.msg = ""
	m.room = roomState{
		sub:      sub,
		keys:     newRoomKeys(),
		list:     newListKeys("make co-facilitator / participant"),
		form:     newFormKeys("send to every screen", "cancel"),
		announce: newInput(m.st, "one line for every screen (empty clears)", session.MaxNoticeLen),
		net:      netState{keys: newNetKeys()},
		current:  statusKey(sub.Room().State()),
		limit:    &limiter{},
	}
	cmds := []tea.Cmd{m.waitRoom(), m.syncClock()}
	return m, tea.Batch(cmds...)
}

func (m model) state() *session.Meetup { return m.room.sub.Room().State() }

// waitRoom delivers the next change of the room, or the end of this screen.
func (m model) waitRoom() tea.Cmd {
	sub, done := m.room.sub, m.conn.done
	return func() tea.Msg {
		select {
		case <-sub.Changes():
			return roomChangedMsg{}
		case <-sub.Replaced():
			return replacedMsg{}
		case <-done:
			return closedMsg{}
		}
	}
}

// timerID names the countdown now running, or "" when none runs.
func timerID(s *session.Meetup) string {
	if !s.Timer.Running {
		return ""
	}
	return fmt.Sprintf("%d@%d", s.Current, s.Timer.Deadline.UnixNano())
}

// syncClock rings the bell when this screen sees its countdown reach zero,
// and keeps one chain of redraw ticks for a running countdown. The ticks
// fall on the whole seconds of the shared deadline, so every screen turns
// over at the same moment; with no countdown running nothing ticks.
func (m *model) syncClock() tea.Cmd {
	s := m.state()
	now := m.hub.Now()
	id := timerID(s)
	var cmds []tea.Cmd
	if id != "" {
		if s.Timer.Remaining(now) > 0 {
			m.room.armed = id
		} else if m.room.armed == id && m.room.rang != id {
			m.room.rang = id
			cmds = append(cmds, tea.Raw("\a"))
		}
	}
	if id != m.room.tickFor {
		m.room.tickFor = id
		cmds = append(cmds, m.nextTick())
	}
	return tea.Batch(cmds...)
}

func (m *model) nextTick() tea.Cmd {
	s := m.state()
	id := timerID(s)
	if id == "" {
		return nil
	}
	rem := s.Timer.Remaining(m.hub.Now())
	if rem <= 0 {
		return nil
	}
	d := rem % time.Second
	if d == 0 {
		d = time.Second
	}
	return tea.Tick(d+3*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{id: id} })
}

// statusKey names where the meetup is: activity, vote phase and poll,
// networking round. A personal status line belongs to one such place.
func statusKey(s *session.Meetup) string {
	a := s.Activity()
	key := fmt.Sprint(s.Current)
	if a.Kind == session.KindTopics {
		// A vote not yet begun (nil) is suggesting, like a new one.
		p, _ := a.Vote.Poll()
		key += fmt.Sprintf("/%s/%d", a.Vote.CurrentPhase(), p.N)
	}
	if n := a.Networking; n != nil {
		key += fmt.Sprintf("/r%d", len(n.Drawn))
	}
	return key
}

// renameCmd changes the person's name in the meetup and, for people
// with a key, remembers it for next time.
func (m model) renameCmd(name string) tea.Cmd {
	if !m.room.limit.allow(time.Now()) {
		return func() tea.Msg { return doneMsg{err: errTooFast} }
	}
	r, hub, me := m.room.sub.Room(), m.hub, m.me
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := r.Do(ctx, me.ID, session.Rename{Name: name}); err != nil {
			return doneMsg{err: err}
		}
		if !me.Keyless {
			if err := hub.SavePerson(session.Person{ID: me.ID, Name: name}); err != nil {
				return doneMsg{err: err}
			}
		}
		return doneMsg{what: "Your name is now " + name + "."}
	}
}

// do runs a command against the room; the answer comes back as doneMsg.
// A key held down would otherwise save a change many times a second, so
// each screen may send only so many commands a second.
func (m model) do(what string, cmd session.Command) tea.Cmd {
	if !m.room.limit.allow(time.Now()) {
		return func() tea.Msg { return doneMsg{err: errTooFast} }
	}
	r, me := m.room.sub.Room(), m.me.ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		return doneMsg{what: what, err: r.Do(ctx, me, cmd)}
	}
}

func (m model) facilitating() bool {
	return m.state().RoleOf(m.me.ID).Facilitates()
}

func (m model) updateRoom(msg tea.Msg) (tea.Model, tea.Cmd) {
	r := &m.room
	switch msg := msg.(type) {
	case roomChangedMsg:
		// A message about the last activity means nothing in the next.
		if key := statusKey(m.state()); key != r.current {
			r.current = key
			r.status = ""
		}
		return m, tea.Batch(m.waitRoom(), m.syncClock())
	case tickMsg:
		if msg.id != r.tickFor {
			return m, nil
		}
		return m, tea.Batch(m.syncClock(), m.nextTick())
	case doneMsg:
		if msg.err != nil {
			r.status, r.statusErr = errText(msg.err), true
		} else {
			r.status, r.statusErr = msg.what, false
		}
		// The answer comes after the change is published: the status
		// speaks of where the meetup is now, even if this screen has not
		// yet seen the change that put it there.
		r.current = statusKey(m.state())
		return m, nil
	case hubChangedMsg, enteredMsg:
		return m, nil
	case tea.PasteMsg:
		// A paste goes into whatever is being typed.
		s := m.state()
		switch {
		case r.mode == roomAnnounce:
			var cmd tea.Cmd
			r.announce, cmd = r.announce.Update(msg)
			return m, cmd
		case r.mode == roomRename:
			var cmd tea.Cmd
			r.rename, cmd = r.rename.Update(msg)
			return m, cmd
		case r.mode == roomNormal && s.Activity().Kind == session.KindTopics:
			return m.topicsPaste(s, msg)
		case r.mode == roomNormal && r.net.mode == netPoint:
			var cmd tea.Cmd
			r.net.point, cmd = r.net.point.Update(msg)
			return m, cmd
		}
		return m, nil
	case tea.KeyPressMsg:
		switch r.mode {
		case roomAnnounce:
			switch {
			case key.Matches(msg, r.form.Submit):
				r.mode = roomNormal
				text := r.announce.Value()
				r.announce.Reset()
				r.announce.Blur()
				what := "Announcement sent to every screen."
				if strings.TrimSpace(text) == "" {
					what = "Announcement cleared."
				}
				return m, m.do(what, session.Announce{Text: text})
			case key.Matches(msg, r.form.Cancel):
				r.mode = roomNormal
				r.announce.Blur()
				return m, nil
			}
			var cmd tea.Cmd
			r.announce, cmd = r.announce.Update(msg)
			return m, cmd
		case roomRename:
			switch {
			case key.Matches(msg, r.form.Submit):
				name, err := session.CleanName(r.rename.Value())
				if err != nil {
					r.status, r.statusErr = errText(err), true
					return m, nil
				}
				r.mode = roomNormal
				r.rename.Blur()
				return m, m.renameCmd(name)
			case key.Matches(msg, r.form.Cancel):
				r.mode = roomNormal
				r.rename.Blur()
				r.status = ""
				return m, nil
			}
			var cmd tea.Cmd
			r.rename, cmd = r.rename.Update(msg)
			return m, cmd
		case roomPeople:
			members := m.state().Members
			switch {
			case key.Matches(msg, r.list.Up):
				r.peopleSel = max(r.peopleSel-1, 0)
			case key.Matches(msg, r.list.Down):
				r.peopleSel = min(r.peopleSel+1, max(len(members)-1, 0))
			case key.Matches(msg, r.list.Choose):
				if r.peopleSel < len(members) {
					who := members[r.peopleSel]
					role := session.RoleCoFacilitator
					if who.Role == session.RoleCoFacilitator {
						role = session.RoleParticipant
					}
					return m, m.do(fmt.Sprintf("%s is now %s.", who.Name, roleName(role)), session.SetRole{Person: who.ID, Role: role})
				}
			case key.Matches(msg, r.list.Back), msg.String() == "q", msg.String() == "m":
				r.mode = roomNormal
			}
			return m, nil
		case roomConfirmEnd:
			r.mode = roomNormal
			if msg.String() == "y" || msg.String() == "Y" {
				return m, m.do("The meetup has ended.", session.End{})
			}
			r.status, r.statusErr = "The meetup goes on.", false
			return m, nil
		}
		return m.roomKey(msg)
	}
	return m, nil
}

// roomKey handles a key in the room's normal mode. Facilitator keys are
// sent to session even from participants: session refuses them, and the
// person is told why.
func (m model) roomKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if next, cmd, ok := m.kindKey(msg); ok {
		return next, cmd
	}
	if msg.String() == "esc" && m.help.ShowAll {
		m.help.ShowAll = false
		return m, nil
	}
	r := &m.room
	k := r.keys
	s := m.state()
	switch {
	case key.Matches(msg, k.Quit):
		if s.Ended() {
			m.conn.setFarewell(fmt.Sprintf("You left %s, which has ended. Thank you for coming.", s.Title))
		} else {
			m.conn.setFarewell(fmt.Sprintf("You left %s (code %s). To come back, run the same ssh command again, or join with the code.", s.Title, session.FormatCode(s.Code)))
		}
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Ready):
		mem, _ := s.Member(m.me.ID)
		what := "You said you're done. Press r again if you're not."
		if mem.Ready {
			what = "You're no longer marked done."
		}
		return m, m.do(what, session.SetReady{Ready: !mem.Ready})
	case key.Matches(msg, k.Next):
		return m, m.do("Moved to the next activity.", session.Next{})
	case key.Matches(msg, k.Prev):
		return m, m.do("Moved back to the previous activity.", session.Prev{})
	case key.Matches(msg, k.Timer):
		if s.Timer.Running {
			return m, m.do("Timer paused.", session.PauseTimer{})
		}
		what := "Timer started."
		if s.Timer.Started {
			what = "Timer resumed."
		}
		return m, m.do(what, session.StartTimer{})
	case key.Matches(msg, k.AddMin):
		return m, m.do("Added a minute.", session.AddTime{By: time.Minute})
	case key.Matches(msg, k.Rename):
		mem, _ := s.Member(m.me.ID)
		r.mode = roomRename
		r.rename = newInput(m.st, "your name", session.MaxNameLen)
		r.rename.SetValue(mem.Name)
		r.rename.CursorEnd()
		return m, r.rename.Focus()
	case key.Matches(msg, k.Announce):
		if !m.facilitating() {
			return m, m.do("", session.Announce{})
		}
		r.mode = roomAnnounce
		r.announce.SetValue(s.Notice.Text)
		r.announce.CursorEnd()
		return m, r.announce.Focus()
	case key.Matches(msg, k.People):
		if !m.facilitating() {
			return m, m.do("", session.SetRole{Person: m.me.ID, Role: session.RoleCoFacilitator})
		}
		r.mode = roomPeople
	case key.Matches(msg, k.End):
		if !m.facilitating() {
			return m, m.do("", session.End{})
		}
		if s.Ended() {
			return m, nil
		}
		r.mode = roomConfirmEnd
	}
	return m, nil
}

func roleName(r session.Role) string {
	switch r {
	case session.RoleFacilitator:
		return "facilitator"
	case session.RoleCoFacilitator:
		return "co-facilitator"
	}
	return "participant"
}

// updateKeys enables the bindings that work for this person now.
func (m model) updateKeys(s *session.Meetup) roomKeys {
	k := m.room.keys
	fac := s.RoleOf(m.me.ID).Facilitates() && !s.Ended()
	for _, b := range k.facilitatorKeys() {
		b.SetEnabled(fac)
	}
	timed := s.Activity().Timed()
	if fac {
		k.Next.SetEnabled(s.Current+1 < len(s.Agenda))
		k.Prev.SetEnabled(s.Current > 0)
		k.Timer.SetEnabled(timed)
		k.AddMin.SetEnabled(timed)
		switch {
		case s.Timer.Running:
			k.Timer.SetHelp("space", "pause")
		case s.Timer.Started:
			k.Timer.SetHelp("space", "resume")
		default:
			k.Timer.SetHelp("space", "start timer")
		}
	}
	k.Ready.SetEnabled(!s.Ended())
	if m.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	}
	if mem, _ := s.Member(m.me.ID); mem.Ready {
		k.Ready.SetHelp("r", "not done")
	}
	return k
}

// roomHelp is the help bar: the current activity's keys, then the room's.
type roomHelp struct {
	kind []key.Binding
	room roomKeys
}

func (h roomHelp) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, h.kind...), h.room.ShortHelp()...)
}

func (h roomHelp) FullHelp() [][]key.Binding {
	if len(h.kind) == 0 {
		return h.room.FullHelp()
	}
	return append([][]key.Binding{h.kind}, h.room.FullHelp()...)
}

// formatClock shows time left as m:ss (h:mm:ss past an hour), rounding up
// so that 0:00 appears exactly when the time is up.
func formatClock(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

func (m model) viewRoom() string {
	s := m.state()
	st := m.st
	w, h := m.width, m.height
	keys := m.updateKeys(s)

	header := m.roomHeader(s, w)
	var footer []string
	if s.Notice.Text != "" {
		// An announcement gets two lines, so a sentence is read whole.
		text := wrap("» "+s.Notice.By+": "+s.Notice.Text, w)
		for i, l := range strings.Split(text, "\n") {
			if i == 2 {
				footer[len(footer)-1] = trunc(footer[len(footer)-1]+" …", w)
				break
			}
			footer = append(footer, st.notice.Render(trunc(l, w)))
		}
	}
	switch m.room.mode {
	case roomAnnounce:
		m.room.announce.SetWidth(max(w-6, 10))
		footer = append(footer, m.room.announce.View(), m.help.View(m.room.form))
	case roomRename:
		m.room.rename.SetWidth(max(w-6, 10))
		form := newFormKeys("change my name", "cancel")
		footer = append(footer, st.strong.Render("Your name in this meetup:"), m.room.rename.View())
		if m.room.statusErr && m.room.status != "" {
			footer = append(footer, trunc(st.errText.Render(m.room.status), w))
		}
		footer = append(footer, m.help.View(form))
	case roomConfirmEnd:
		footer = append(footer, trunc(st.warn.Render("End the meetup for everyone? y ends it, any other key keeps going."), w))
	case roomPeople:
		if m.room.status != "" {
			style := st.okText
			if m.room.statusErr {
				style = st.errText
			}
			footer = append(footer, trunc(style.Render(m.room.status), w))
		}
		footer = append(footer, m.help.View(bindings{m.room.list.Up, m.room.list.Down, m.room.list.Choose, m.room.list.Back}))
	default:
		footer = append(footer, m.kindFooter(s, w)...)
		status := m.room.status
		if status != "" {
			style := st.okText
			if m.room.statusErr {
				style = st.errText
			}
			footer = append(footer, trunc(style.Render(status), w))
		} else {
			footer = append(footer, "")
		}
		help := roomHelp{kind: m.kindHelp(s), room: keys}
		// Topics and voting: while someone types a topic or answers a
		// question there, every key goes to it, so room keys are not offered.
		if m.kindModal(s) {
			help.room = roomKeys{}
		}
		// The full help (?) has several lines: count each, so the body
		// leaves room for them.
		footer = append(footer, strings.Split(m.help.View(help), "\n")...)
	}
	bodyH := max(h-1-len(footer), 3)

	sideW := 0
	if w >= 64 {
		sideW = min(max(w/4, 26), 34)
	}
	mainW := w - sideW
	var body string
	panel := m.activityPanel(s, mainW-4, bodyH-2)
	if m.room.mode == roomPeople {
		panel = m.peoplePanel(s, mainW-4, bodyH-2)
	}
	mainBox := st.panel.Width(mainW).Height(bodyH).Render(clip(panel, mainW-4, bodyH-2))
	if sideW > 0 {
		side := st.side.Width(sideW).Height(bodyH).Render(clip(m.sidePanel(s, sideW-4, bodyH-2), sideW-4, bodyH-2))
		body = lipgloss.JoinHorizontal(lipgloss.Top, side, mainBox)
	} else {
		body = mainBox
	}
	return header + "\n" + body + "\n" + strings.Join(footer, "\n")
}

// clip keeps at most h lines of at most w cells, so a panel never grows
// past its box however much it has to say.
func clip(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	for i, l := range lines {
		lines[i] = trunc(l, w)
	}
	return strings.Join(lines, "\n")
}

func (m model) roomHeader(s *session.Meetup, w int) string {
	st := m.st
	left := st.title.Render("convene") + "  " + st.strong.Render(s.Title)
	me, _ := s.Member(m.me.ID)
	right := fmt.Sprintf("code %s · %d here · %s", session.FormatCode(s.Code), s.Present(), me.Name)
	if me.Role.Facilitates() {
		right += " (" + roleName(me.Role) + ")"
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		right = trunc(right, max(w-lipgloss.Width(left)-2, 0))
		gap = w - lipgloss.Width(left) - lipgloss.Width(right)
	}
	return trunc(left+strings.Repeat(" ", max(gap, 1))+st.dim.Render(right), w)
}

// sidePanel lists the agenda and the people.
func (m model) sidePanel(s *session.Meetup, w, h int) string {
	st := m.st
	var lines []string
	lines = append(lines, st.section.Render("Agenda"))
	for i, a := range s.Agenda {
		mark := "  "
		switch {
		case i < s.Current:
			mark = "✓ "
		case i == s.Current && !s.Ended():
			mark = "▶ "
		}
		text := trunc(mark+a.Title, w)
		switch {
		case i == s.Current && !s.Ended():
			lines = append(lines, st.current.Render(text))
		case i < s.Current || s.Ended():
			lines = append(lines, st.dim.Render(text))
		default:
			lines = append(lines, text)
		}
	}
	lines = append(lines, "", st.section.Render(fmt.Sprintf("People · %d here", s.Present())))
	room := h - countLines(lines)
	members := orderedMembers(s)
	for i, mem := range members {
		if i == room-1 && len(members) > room {
			lines = append(lines, st.dim.Render(fmt.Sprintf("+ %d more", len(members)-i)))
			break
		}
		lines = append(lines, m.memberLine(mem, w))
	}
	return strings.Join(lines, "\n")
}

// orderedMembers lists people present first, in the order they joined.
func orderedMembers(s *session.Meetup) []session.Member {
	out := make([]session.Member, 0, len(s.Members))
	for _, x := range s.Members {
		if x.Present {
			out = append(out, x)
		}
	}
	for _, x := range s.Members {
		if !x.Present {
			out = append(out, x)
		}
	}
	return out
}

func (m model) memberLine(mem session.Member, w int) string {
	st := m.st
	dot, style := "● ", st.present
	if !mem.Present {
		dot, style = "○ ", st.gone
	}
	suffix := ""
	switch mem.Role {
	case session.RoleFacilitator:
		suffix = " · host"
	case session.RoleCoFacilitator:
		suffix = " · co-host"
	}
	if mem.Ready && mem.Present {
		suffix += " ✓"
	}
	if !mem.Present {
		suffix += " · gone"
	}
	name := mem.Name
	if mem.ID == m.me.ID {
		// "(you)" only where it fits; the name itself comes first.
		if lipgloss.Width(name)+lipgloss.Width(suffix)+6 <= w-2 {
			suffix += " (you)"
		}
		name = st.strong.Render(trunc(name, max(w-2-lipgloss.Width(suffix), 4)))
	} else {
		name = trunc(name, max(w-2-lipgloss.Width(suffix), 4))
	}
	line := style.Render(dot) + name + st.dim.Render(suffix)
	return trunc(line, w)
}

// activityPanel is the main panel: what is happening now and what this
// person can do.
func (m model) activityPanel(s *session.Meetup, w, h int) string {
	st := m.st
	now := m.hub.Now()
	if s.Ended() {
		return m.endedPanel(s, w)
	}
	a := s.Activity()
	fac := s.RoleOf(m.me.ID).Facilitates()
	// On a short window the activity's own panel matters most: the
	// headings fold into one line and the blank lines and hints go.
	compact := h < 16
	gap := func(lines []string) []string {
		if compact {
			return lines
		}
		return append(lines, "")
	}
	var lines []string
	clock := ""
	var hint []string
	if a.Timed() {
		t := s.Timer
		rem := t.Remaining(now)
		switch {
		case t.Up(now):
			clock = st.timeUp.Render(" TIME'S UP ")
			switch {
			case a.Networking != nil && a.Networking.AutoAdvance && a.Networking.Started() && len(a.Networking.Drawn) < a.Networking.Rounds:
				hint = append(hint, wrap(fmt.Sprintf("The next round starts by itself %d seconds after time is up.", int(session.AutoPause.Seconds())), w))
			case fac && a.Networking != nil && len(a.Networking.Drawn) < a.Networking.Rounds:
				hint = append(hint, wrap("Press g for the next round, n to move on, or + for another minute.", w))
			case fac:
				hint = append(hint, wrap("Move on with n when the room is ready, or press + for another minute.", w))
			default:
				hint = append(hint, wrap("The facilitator will move on in a moment.", w))
			}
		case t.Running && rem <= time.Minute:
			clock = st.warn.Render(formatClock(rem) + " left  ·  final minute")
		case t.Running:
			clock = st.clock.Render(formatClock(rem) + " left")
		case t.Started:
			clock = st.clock.Render(formatClock(rem)+" left") + st.dim.Render("  ·  paused")
		default:
			clock = st.clock.Render(formatClock(rem)) + st.dim.Render("  ·  timer not started")
			if fac {
				hint = append(hint, st.dim.Render("Press space to start it."))
			}
		}
	}
	if compact {
		head := st.title.Render(a.Title)
		if clock != "" {
			head += "  " + clock
		}
		lines = append(lines, head)
		if s.Timer.Up(now) {
			lines = append(lines, hint...)
		}
	} else {
		lines = append(lines, st.dim.Render(fmt.Sprintf("NOW  ·  %d of %d", s.Current+1, len(s.Agenda))))
		lines = append(lines, st.title.Render(trunc(a.Title, w)), "")
		if clock != "" {
			lines = append(lines, clock)
			if s.Timer.Up(now) {
				lines = append(lines, "")
			}
			lines = append(lines, hint...)
			lines = append(lines, "")
		}
	}
	// Topics and voting: the solution circle shows the topic the vote chose.
	if a.Kind == session.KindCircle {
		lines = append(lines, m.circleTopicLines(s, w)...)
	}
	// Close shows everyone what the meetup came to.
	if a.Kind == session.KindClose {
		lines = append(lines, m.outcomeLines(s, w)...)
	}
	reserve := 3
	if compact {
		reserve = 1
	}
	if body, ok := m.kindPanel(s, w, h-countLines(lines)-reserve); ok {
		lines = gap(append(lines, body))
	} else if a.Prompt != "" {
		lines = gap(append(lines, wrap(a.Prompt, w)))
	}
	present := s.Present()
	if fac {
		lines = append(lines, st.strong.Render(fmt.Sprintf("Done: %d of %d here", s.ReadyCount(), present)))
	} else if mem, _ := s.Member(m.me.ID); mem.Ready {
		lines = append(lines, st.okText.Render("You said you're done."))
	} else {
		lines = append(lines, st.dim.Render(wrap("Press r to say you're done with this activity.", w)))
	}
	if !compact && s.Current+1 < len(s.Agenda) {
		lines = append(lines, "", st.dim.Render(trunc("Next: "+s.Agenda[s.Current+1].Title, w)))
	}
	return strings.Join(lines, "\n")
}

// countLines counts screen lines in strings that may hold several.
func countLines(lines []string) int {
	n := 0
	for _, l := range lines {
		n += strings.Count(l, "\n") + 1
	}
	return n
}

// outcomeLines sum up what the meetup came to so far: the rounds held,
// the topics raised and the one chosen.
func (m model) outcomeLines(s *session.Meetup, w int) []string {
	st := m.st
	var out []string
	rounds, topics := 0, 0
	for _, a := range s.Agenda {
		if a.Networking != nil {
			for _, r := range a.Networking.Drawn {
				if !r.StartedAt.IsZero() {
					rounds++
				}
			}
		}
		if a.Vote != nil {
			topics += len(a.Vote.TopicList())
		}
	}
	out = append(out, st.section.Render("Outcomes"))
	parts := []string{countOf(len(s.Members), "person") + " took part"}
	if len(s.Members) != 1 {
		parts[0] = fmt.Sprintf("%d people took part", len(s.Members))
	}
	if rounds > 0 {
		parts = append(parts, countOf(rounds, "round")+" of networking")
	}
	if topics > 0 {
		parts = append(parts, countOf(topics, "topic")+" suggested")
	}
	out = append(out, wrap(strings.Join(parts, "; ")+".", w))
	if topic, _, ok := s.ChosenTopic(); ok {
		out = append(out, wrap(fmt.Sprintf("Chosen topic: %s", topic), w))
	}
	return append(out, "")
}

func (m model) endedPanel(s *session.Meetup, w int) string {
	st := m.st
	lines := []string{
		st.title.Render("This meetup has ended"),
		"",
		wrap(fmt.Sprintf("%s ended at %s. Thank you for coming.", s.Title, s.EndedAt.Local().Format("15:04 on 2 Jan 2006")), w),
		"",
	}
	lines = append(lines, m.outcomeLines(s, w)...)
	lines = append(lines, []string{
		st.dim.Render(wrap("Everything said and decided is kept for review. Press q to leave.", w)),
	}...)
	return strings.Join(lines, "\n")
}

// peoplePanel lets a facilitator choose co-facilitators.
func (m model) peoplePanel(s *session.Meetup, w, h int) string {
	st := m.st
	lines := []string{st.section.Render("People and roles"), st.dim.Render(wrap("Choose someone and press enter to make them co-facilitator, or participant again.", w)), ""}
	room := h - countLines(lines)
	first := 0
	if m.room.peopleSel >= room {
		first = m.room.peopleSel - room + 1
	}
	for i := first; i < len(s.Members) && i < first+room; i++ {
		mem := s.Members[i]
		line := fmt.Sprintf("%s  ·  %s", mem.Name, roleName(mem.Role))
		if !mem.Present {
			line += "  ·  gone"
		}
		if i == m.room.peopleSel {
			lines = append(lines, st.selected.Render(trunc("▶ "+line, w)))
		} else {
			lines = append(lines, trunc("  "+line, w))
		}
	}
	return strings.Join(lines, "\n")
}
