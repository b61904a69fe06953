package tui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// roomState is what one screen keeps about the room it shows. The room's
// state lives in session; view is the snapshot this screen draws, taken
// when the room last changed.
type roomState struct {
	sub  *session.Subscription
	view *session.View
	keys roomKeys
	// act is the current activity's screen, made for actFor (the
	// activity's place and kind); a new activity gets a new screen.
	act    activityScreen
	actFor string
	// overlay, when set, takes the main panel and every key: the agenda,
	// the people list or the actions.
	overlay activityScreen
	// form is a line being typed for the room (announcement, name, time).
	form    *roomForm
	confirm confirmKind
	status  string
	// statusErr marks the status line as a refusal or an error.
	statusErr bool
	// stage is where the meetup stood when the status was set; when it
	// moves on the status line is cleared.
	stage string
	// tickFor names the countdown being ticked, so one chain of redraw
	// ticks runs per countdown however often the state changes.
	tickFor string
	// armed names a countdown seen running with time left; rang one that
	// has rung its bell. A screen that only ever saw the time up stays quiet.
	armed, rang string
	limit       *limiter
}

// roomForm is a line typed for the room, and what it is for.
type roomForm struct {
	purpose formPurpose
	form    form
}

type formPurpose int

const (
	// formNone: not one of the room's forms (a refusal with text to put
	// back that an activity's screen handles itself).
	formNone formPurpose = iota
	formAnnounce
	formRename
	formSetTime
)

type confirmKind int

const (
	confirmNone confirmKind = iota
	confirmEnd
)

type tickMsg struct{ id string }

var errTooFast = session.ErrTooMany

func (m model) startRoom(sub *session.Subscription) (tea.Model, tea.Cmd) {
	m.conn.setWatch(nil)
	m.conn.setSub(sub)
	m.screen = screenRoom
	// The room never goes back to the lobby or the name screen: let go of
	// what they held (~60 KiB of fields and forms per person).
	m.lobby, m.nameForm = nil, nil
	m.room = roomState{
		sub:   sub,
		keys:  newRoomKeys(),
		limit: &limiter{},
	}
	m.snapshot()
	cmds := []tea.Cmd{m.waitRoom(), m.syncClock()}
	return m, tea.Batch(cmds...)
}

// snapshot takes the room's newest state as this screen's view of it, and
// makes a fresh screen for a new activity.
func (m *model) snapshot() {
	r := &m.room
	r.view = r.sub.View()
	v := r.view
	if key := fmt.Sprintf("%d/%s/%v", v.Current, v.Activity().Kind, v.Ended()); key != r.actFor || r.act == nil {
		r.actFor = key
		r.act = newActivityScreen(v.Activity().Kind)
		if v.Ended() {
			r.act = newEndedScreen()
		}
	}
	// A message about the last activity means nothing in the next.
	if stage := v.Stage(); stage != r.stage {
		r.stage = stage
		r.status = ""
	}
	// Facilitator tools close for someone who no longer facilitates.
	if !v.Facilitates() {
		if r.overlay != nil && !isAgenda(r.overlay) && !isActions(r.overlay) {
			r.overlay = nil
		}
		if r.form != nil && r.form.purpose != formRename {
			r.form = nil
		}
		r.confirm = confirmNone
	}
}

// frame is what an activity's screen is given while this model updates or
// draws. Its setStatus writes to m, so m must be the model being updated.
func (m *model) frame() frame {
	return frame{v: m.room.view, st: m.st, now: m.hub.Now(), width: m.width, send: m.send, sendSay: m.sendSay, setStatus: m.setStatus,
		hub: m.hub, room: m.room.sub.Room(), ssh: m.ssh, keyless: m.me.Keyless}
}

func (m *model) setStatus(text string, isErr bool) {
	m.room.status, m.room.statusErr = text, isErr
	m.room.stage = m.room.view.Stage()
}

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
func timerID(s *session.View) string {
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
	s := m.room.view
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
	s := m.room.view
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

// send delivers cmd to the room after every command this screen sent
// before it; the answer comes back as a doneMsg saying what. A key held
// down would otherwise save a change many times a second, so each screen
// may send only so many commands a second.
func (m *model) send(what string, cmd session.Command) tea.Cmd {
	if !m.room.limit.allow(time.Now()) {
		return func() tea.Msg { return doneMsg{err: errTooFast} }
	}
	reply := m.room.sub.Submit(cmd)
	return func() tea.Msg { return doneMsg{what: what, err: <-reply} }
}

// sendSay is send for a command whose outcome the screen cannot know when
// the key is pressed (a toggle, a draw the room decides): say words the
// line from the room as it is once the command is done.
func (m *model) sendSay(cmd session.Command, say func(*session.View) string) tea.Cmd {
	if !m.room.limit.allow(time.Now()) {
		return func() tea.Msg { return doneMsg{err: errTooFast} }
	}
	reply := m.room.sub.Submit(cmd)
	return func() tea.Msg { return doneMsg{err: <-reply, say: say} }
}

// renameCmd changes the person's name in the meetup and, for people
// with a key, remembers it for next time.
func (m *model) renameCmd(name string) tea.Cmd {
	if !m.room.limit.allow(time.Now()) {
		return func() tea.Msg { return doneMsg{err: errTooFast} }
	}
	reply := m.room.sub.Submit(session.Rename{Name: name})
	hub, me := m.hub, m.me
	return func() tea.Msg {
		if err := <-reply; err != nil {
			return doneMsg{err: err, restore: name, purpose: formRename}
		}
		if err := hub.SavePerson(session.Person{ID: me.ID, Name: name}); err != nil {
			return doneMsg{err: err}
		}
		return doneMsg{what: "Your name is now " + name + "."}
	}
}

func (m model) updateRoom(msg tea.Msg) (tea.Model, tea.Cmd) {
	r := &m.room
	switch msg := msg.(type) {
	case roomChangedMsg:
		m.snapshot()
		next, cmd := m.passToActivity(msg)
		m = next.(model)
		return m, tea.Batch(m.waitRoom(), m.syncClock(), cmd)
	case tickMsg:
		if msg.id != r.tickFor {
			return m, nil
		}
		return m, tea.Batch(m.syncClock(), m.nextTick())
	case doneMsg:
		// The answer comes once the change is published: the status
		// speaks of where the meetup is now.
		m.snapshot()
		if msg.err != nil {
			m.setStatus(errText(msg.err), true)
			// A line the room refused goes back into its field.
			if msg.restore != "" && msg.purpose != formNone && r.form == nil {
				m.openForm(msg.purpose, msg.restore)
				r.form.form.fail(msg.err)
			}
		} else if msg.say != nil {
			m.setStatus(msg.say(m.room.view), false)
		} else if msg.what != "" {
			m.setStatus(msg.what, false)
		}
		return m.passToActivity(msg)
	case hubChangedMsg, enteredMsg:
		return m, nil
	case tea.PasteMsg:
		if r.form != nil {
			var cmd tea.Cmd
			r.form.form, _, cmd = r.form.form.update(msg)
			return m, cmd
		}
		if r.overlay != nil {
			return m.passToOverlay(msg)
		}
		return m.passToActivity(msg)
	case tea.KeyPressMsg:
		switch {
		case r.form != nil:
			return m.formKey(msg)
		case r.confirm != confirmNone:
			return m.confirmKey(msg)
		case r.overlay != nil:
			return m.passToOverlay(msg)
		}
		if next, cmd, ok := m.activityKey(msg); ok {
			return next, cmd
		}
		return m.roomKey(msg)
	}
	return m.passToActivity(msg)
}

// activityKey offers a key to the current activity's screen first.
func (m model) activityKey(msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	f := m.frame()
	act, cmd, ok := m.room.act.update(f, msg)
	m.room.act = act
	return m, cmd, ok
}

func (m model) passToActivity(msg tea.Msg) (tea.Model, tea.Cmd) {
	f := m.frame()
	act, cmd, _ := m.room.act.update(f, msg)
	m.room.act = act
	return m, cmd
}

func (m model) passToOverlay(msg tea.Msg) (tea.Model, tea.Cmd) {
	f := m.frame()
	next, cmd, handled := m.room.overlay.update(f, msg)
	m.room.overlay = next
	if !handled {
		// The overlay is done with: it closes.
		m.room.overlay = nil
	}
	return m, cmd
}

// roomKey handles a key in the room's normal mode. Facilitator keys from
// participants are refused with a line saying so; session checks again.
func (m model) roomKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "esc" {
		// Esc puts away what is on show: the full help, then the status.
		switch {
		case m.help.ShowAll:
			m.help.ShowAll = false
		case m.room.status != "":
			m.room.status = ""
		}
		return m, nil
	}
	r := &m.room
	k := r.keys
	v := r.view
	f := m.frame()
	facKey := func() bool {
		if !v.Facilitates() {
			f.refuse()
			return false
		}
		return true
	}
	switch {
	case key.Matches(msg, k.Quit):
		if v.Ended() {
			m.conn.setFarewell(fmt.Sprintf("You left %s, which has ended. Thank you for coming.", v.Title))
		} else {
			bye := fmt.Sprintf("You left %s (code %s). To come back, run the same ssh command again, or join with the code.", v.Title, session.FormatCode(v.Code))
			if m.me.Keyless {
				// The command on a line of its own, to copy whole.
				bye = fmt.Sprintf("You left %s (code %s). To come back as yourself, run:\n%s", v.Title, session.FormatCode(v.Code), rejoinCommand(m.ssh, m.me.Token, v.Code))
			}
			m.conn.setFarewell(bye)
		}
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Agenda):
		r.overlay = newAgendaScreen(v)
	case key.Matches(msg, k.Actions):
		r.overlay = newActionsScreen()
	case key.Matches(msg, k.Ready):
		if v.Ended() {
			return m, nil
		}
		return m, m.sendSay(session.Toggle{Switch: session.SwitchReady}, func(v *session.View) string {
			if v.Self().Ready {
				return "You said you're done. Press r again if you're not."
			}
			return "You're no longer marked done."
		})
	case key.Matches(msg, k.Rename):
		if v.Ended() {
			return m, nil
		}
		m.openForm(formRename, v.Self().Name)
	case key.Matches(msg, k.Next):
		return m, m.send("Moved to the next activity.", session.Next{})
	case key.Matches(msg, k.Prev):
		return m, m.send("Moved back to the previous activity.", session.Prev{})
	case key.Matches(msg, k.Timer):
		started, stage := v.Timer.Started, v.Stage()
		return m, m.sendSay(session.Toggle{Switch: session.SwitchTimer}, func(v *session.View) string {
			switch {
			case !v.Timer.Running:
				return "Timer paused."
			case started:
				return "Timer resumed."
			case v.Stage() != stage:
				// Starting the clock started the activity itself (a
				// circle's first phase, a networking round).
				return v.Activity().Title + " has started."
			}
			return "Timer started."
		})
	case key.Matches(msg, k.AddMin):
		return m, m.send("Added a minute.", session.AddTime{By: time.Minute})
	case key.Matches(msg, k.LessMin):
		return m, m.send("Took a minute off.", session.AddTime{By: -time.Minute})
	case key.Matches(msg, k.SetTime):
		if facKey() {
			if !v.Activity().Timed() {
				m.setStatus(errText(session.ErrNoTimer), true)
				return m, nil
			}
			m.openForm(formSetTime, "")
		}
	case key.Matches(msg, k.Announce):
		if facKey() {
			m.openForm(formAnnounce, v.Notice.Text)
		}
	case key.Matches(msg, k.People):
		if facKey() {
			r.overlay = newPeopleScreen()
		}
	case key.Matches(msg, k.End):
		if facKey() {
			r.confirm = confirmEnd
		}
	}
	return m, nil
}
