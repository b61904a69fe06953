package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
	// overlay, when set, takes the main panel and every key: the agenda
	// or the people list.
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
	formAnnounce formPurpose = iota
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
	m.lobby.busy = false
	m.lobby.msg = ""
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
	}
	// A message about the last activity means nothing in the next.
	if stage := v.Stage(); stage != r.stage {
		r.stage = stage
		r.status = ""
	}
	// Facilitator tools close for someone who no longer facilitates.
	if !v.Facilitates() {
		if r.overlay != nil && !isAgenda(r.overlay) {
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
	return frame{v: m.room.view, st: m.st, now: m.hub.Now(), width: m.width, send: m.send, setStatus: m.setStatus,
		hub: m.hub, room: m.room.sub.Room()}
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
		if !me.Keyless {
			if err := hub.SavePerson(session.Person{ID: me.ID, Name: name}); err != nil {
				return doneMsg{err: err}
			}
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
			if msg.restore != "" && r.form == nil {
				m.openForm(msg.purpose, msg.restore)
				r.form.form.fail(msg.err)
			}
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

// openForm opens a line to type for the room.
func (m *model) openForm(p formPurpose, value string) {
	st := m.st
	var f form
	switch p {
	case formAnnounce:
		f = newForm(st, "To every screen:", "one line for everyone (empty clears it)", value, session.MaxNoticeLen, "send to every screen", "cancel")
	case formRename:
		f = newForm(st, "Your name:", "your name", value, session.MaxNameLen, "change my name", "cancel")
	case formSetTime:
		f = newForm(st, "Time left:", "minutes, or minutes:seconds (e.g. 4:30)", value, 0, "set the countdown", "cancel")
	}
	m.room.form = &roomForm{purpose: p, form: f}
}

func (m model) formKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	r := &m.room
	f, done, cmd := r.form.form.update(msg)
	r.form.form = f
	switch done {
	case formCancelled:
		r.form = nil
		return m, nil
	case formSubmitted:
		text := f.value()
		switch r.form.purpose {
		case formAnnounce:
			clean, err := session.CleanAnnouncement(text)
			if err != nil {
				r.form.form.fail(err)
				return m, nil
			}
			r.form = nil
			what := "Announcement sent to every screen."
			if clean == "" {
				what = "Announcement cleared."
			}
			return m, m.send(what, session.Announce{Text: clean})
		case formRename:
			name, err := session.CleanName(text)
			if err != nil {
				r.form.form.fail(err)
				return m, nil
			}
			r.form = nil
			return m, m.renameCmd(name)
		case formSetTime:
			d, err := parseClock(text)
			if err != nil {
				r.form.form.fail(err)
				return m, nil
			}
			r.form = nil
			return m, m.send("Countdown set to "+formatClock(d)+".", session.SetTime{Left: d})
		}
	}
	return m, cmd
}

// parseClock reads a time typed by a facilitator: "5" (minutes), "4:30"
// (minutes and seconds) or "1:05:00" (hours, minutes, seconds).
func parseClock(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := errors.New("type the time left as minutes (5) or minutes:seconds (4:30)")
	if s == "" {
		return 0, bad
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, bad
	}
	var nums []int
	for _, p := range parts {
		var n int
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != strings.TrimLeft(p, "0") && strings.TrimLeft(p, "0") != "" {
			return 0, bad
		}
		nums = append(nums, n)
	}
	switch len(nums) {
	case 1:
		return time.Duration(nums[0]) * time.Minute, nil
	case 2:
		if nums[1] >= 60 {
			return 0, bad
		}
		return time.Duration(nums[0])*time.Minute + time.Duration(nums[1])*time.Second, nil
	}
	if nums[1] >= 60 || nums[2] >= 60 {
		return 0, bad
	}
	return time.Duration(nums[0])*time.Hour + time.Duration(nums[1])*time.Minute + time.Duration(nums[2])*time.Second, nil
}

func (m model) confirmKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	r := &m.room
	what := r.confirm
	r.confirm = confirmNone
	yes := msg.String() == "y" || msg.String() == "Y"
	switch what {
	case confirmEnd:
		if yes {
			return m, m.send("The meetup has ended.", session.End{})
		}
		m.setStatus("The meetup goes on.", false)
	}
	return m, nil
}

// roomKey handles a key in the room's normal mode. Facilitator keys from
// participants are refused with a line saying so; session checks again.
func (m model) roomKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "esc" && m.help.ShowAll {
		m.help.ShowAll = false
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
			m.conn.setFarewell(fmt.Sprintf("You left %s (code %s). To come back, run the same ssh command again, or join with the code.", v.Title, session.FormatCode(v.Code)))
		}
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Agenda):
		r.overlay = newAgendaScreen(v)
	case key.Matches(msg, k.Ready):
		if v.Ended() {
			return m, nil
		}
		what := "You said you're done. Press r again if you're not."
		if v.Self().Ready {
			what = "You're no longer marked done."
		}
		return m, m.send(what, session.SetReady{Ready: !v.Self().Ready})
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
		if v.Timer.Running {
			return m, m.send("Timer paused.", session.PauseTimer{})
		}
		what := "Timer started."
		if v.Timer.Started {
			what = "Timer resumed."
		}
		return m, m.send(what, session.StartTimer{})
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

func roleName(r session.Role) string {
	switch r {
	case session.RoleFacilitator:
		return "facilitator"
	case session.RoleCoFacilitator:
		return "co-facilitator"
	}
	return "participant"
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

// helpBar is the help bar in w cells. The short one drops the keys that
// do not fit from its end, but always keeps "? more" and "q leave", so the
// rest can always be found.
func (m model) helpBar(h roomHelp, w int) string {
	if m.help.ShowAll {
		return m.help.View(h)
	}
	hm := m.help
	hm.SetWidth(0)
	pinned := []key.Binding{h.room.Help, h.room.Quit}
	keys := append(append([]key.Binding{}, h.kind...), h.room.ShortHelp()...)
	keys = slices.DeleteFunc(keys, func(b key.Binding) bool {
		return !b.Enabled() || slices.ContainsFunc(pinned, func(p key.Binding) bool { return p.Help() == b.Help() })
	})
	for {
		bar := hm.ShortHelpView(append(slices.Clone(keys), pinned...))
		if lipgloss.Width(bar) <= w || len(keys) == 0 {
			return trunc(bar, w)
		}
		keys = keys[:len(keys)-1]
	}
}

// statusLine is the person's own line: what their last action did.
func (m model) statusLine(w int) string {
	if m.room.status == "" {
		return ""
	}
	style := m.st.okText
	if m.room.statusErr {
		style = m.st.errText
	}
	return trunc(style.Render(m.room.status), w)
}

func (m model) viewRoom() string {
	r := m.room
	v := r.view
	st := m.st
	w, h := m.width, m.height
	f := m.frame()

	header := m.roomHeader(v, w)
	var footer []string
	if v.Notice.Text != "" {
		// An announcement gets two lines, so a sentence is read whole.
		text := wrap("» "+v.Notice.By+": "+v.Notice.Text, w)
		for i, l := range strings.Split(text, "\n") {
			if i == 2 {
				footer[len(footer)-1] = trunc(footer[len(footer)-1]+" …", w)
				break
			}
			footer = append(footer, st.notice.Render(trunc(l, w)))
		}
	}
	switch {
	case r.form != nil:
		footer = append(footer, r.form.form.view(st, w)...)
		footer = append(footer, m.help.View(bindings(r.form.form.help())))
	case r.confirm == confirmEnd:
		footer = append(footer, trunc(st.warn.Render("End the meetup for everyone? y ends it, any other key keeps going."), w))
	case r.overlay != nil:
		footer = append(footer, r.overlay.footer(f, w)...)
		footer = append(footer, m.statusLine(w))
		footer = append(footer, strings.Split(m.help.View(bindings(r.overlay.help(f))), "\n")...)
	default:
		footer = append(footer, r.act.footer(f, w)...)
		footer = append(footer, m.statusLine(w))
		help := roomHelp{kind: r.act.help(f), room: m.roomKeysNow(v)}
		// While the activity takes every key (text being typed, a
		// question), the room's keys do not work, so they are not offered.
		if r.act.modal(f) {
			help.room = roomKeys{}
		}
		// The full help (?) has several lines: count each, so the body
		// leaves room for them.
		footer = append(footer, strings.Split(m.helpBar(help, w), "\n")...)
	}
	bodyH := max(h-1-len(footer), 3)

	sideW := 0
	if w >= 64 {
		sideW = min(max(w/4, 26), 34)
	}
	mainW := w - sideW
	var panel string
	if r.overlay != nil {
		panel = r.overlay.view(f, mainW-4, bodyH-2)
	} else {
		panel = m.activityPanel(f, mainW-4, bodyH-2)
	}
	mainBox := st.panel.Width(mainW).Height(bodyH).Render(clip(panel, mainW-4, bodyH-2))
	body := mainBox
	if sideW > 0 {
		side := st.side.Width(sideW).Height(bodyH).Render(clip(m.sidePanel(v, sideW-4, bodyH-2), sideW-4, bodyH-2))
		body = lipgloss.JoinHorizontal(lipgloss.Top, side, mainBox)
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

func (m model) roomHeader(v *session.View, w int) string {
	st := m.st
	left := st.title.Render("convene") + "  " + st.strong.Render(v.Title)
	me := v.Self()
	right := fmt.Sprintf("code %s · %d here · %s", session.FormatCode(v.Code), v.Present(), me.Name)
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
func (m model) sidePanel(v *session.View, w, h int) string {
	st := m.st
	var lines []string
	lines = append(lines, st.section.Render("Agenda"))
	for i, a := range v.Agenda {
		mark := "  "
		switch {
		case i == v.Current && !v.Ended():
			mark = "▶ "
		case a.Ran:
			mark = "✓ "
		}
		text := trunc(mark+a.Title, w)
		switch {
		case i == v.Current && !v.Ended():
			lines = append(lines, st.current.Render(text))
		case a.Ran || v.Ended():
			lines = append(lines, st.dim.Render(text))
		default:
			lines = append(lines, text)
		}
	}
	lines = append(lines, "", st.section.Render(fmt.Sprintf("People · %d here", v.Present())))
	room := h - countLines(lines)
	members := orderedMembers(v.Meetup)
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
func (m model) activityPanel(f frame, w, h int) string {
	v := f.v
	st := m.st
	now := f.now
	if v.Ended() {
		return m.endedPanel(f, w)
	}
	a := v.Activity()
	fac := f.fac()
	// On a short window the activity's own panel matters most: the
	// headings fold into one line and the blank lines and hints go.
	compact := h < 16
	var lines []string
	clock := ""
	var hint []string
	if a.Timed() {
		t := v.Timer
		rem := t.Remaining(now)
		switch {
		case t.Up(now):
			clock = st.timeUp.Render(" TIME'S UP ")
			line := ""
			if h, ok := m.room.act.(timeUpHinter); ok {
				line = h.timeUpHint(f)
			}
			switch {
			case line != "":
			case fac:
				line = "Move on with n when the room is ready, or press + for another minute."
			default:
				line = "The facilitator will move on in a moment."
			}
			hint = append(hint, wrap(line, w))
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
		if v.Timer.Up(now) {
			lines = append(lines, hint...)
		}
	} else {
		lines = append(lines, st.dim.Render(fmt.Sprintf("NOW  ·  %d of %d", v.Current+1, len(v.Agenda))))
		lines = append(lines, st.title.Render(trunc(a.Title, w)), "")
		if clock != "" {
			lines = append(lines, clock)
			if v.Timer.Up(now) {
				lines = append(lines, "")
			}
			lines = append(lines, hint...)
			lines = append(lines, "")
		}
	}
	reserve := 3
	if compact {
		reserve = 1
	}
	if body := m.room.act.view(f, w, h-countLines(lines)-reserve); body != "" {
		lines = append(lines, body)
		if !compact {
			lines = append(lines, "")
		}
	}
	if fac {
		lines = append(lines, st.strong.Render(fmt.Sprintf("Done: %d of %d here", v.ReadyCount(), v.Present())))
	} else if v.Self().Ready {
		lines = append(lines, st.okText.Render("You said you're done."))
	} else {
		lines = append(lines, st.dim.Render(wrap("Press r to say you're done with this activity.", w)))
	}
	if !compact && v.Current+1 < len(v.Agenda) {
		lines = append(lines, "", st.dim.Render(trunc("Next: "+v.Agenda[v.Current+1].Title, w)))
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

func (m model) endedPanel(f frame, w int) string {
	v := f.v
	st := m.st
	lines := []string{
		st.title.Render("This meetup has ended"),
		"",
		wrap(fmt.Sprintf("%s ended at %s. Thank you for coming.", v.Title, v.EndedAt.Local().Format("15:04 on 2 Jan 2006")), w),
		"",
	}
	lines = append(lines, outcomeLines(f, w)...)
	lines = append(lines, st.dim.Render(wrap("Everything said and decided is kept for review. Press q to leave.", w)))
	return strings.Join(lines, "\n")
}
