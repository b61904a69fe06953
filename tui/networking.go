package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/grouping"
)

// netMode is what the facilitator's keys do in the networking panel.
type netMode int

const (
	netView     netMode = iota
	netSettings         // choosing and changing settings
	netPoint            // typing a talking point
	netMove             // choosing a person to move, then a group
	netCopy             // showing the groups as plain text
)

// netState is one screen's state of the networking activity.
type netState struct {
	mode  netMode
	at    int // the activity (its index) the mode was chosen in
	field int // settings row
	who   int // person being moved, by position in the groups
	// to is the number of the group being typed in netMove mode, when
	// there are more groups than one digit reaches.
	to    string
	point textinput.Model
	keys  netKeys
	// draft holds the settings being changed in netSettings (and netPoint)
	// mode. Each key changes the draft and sends the whole of it, so quick
	// presses add up before the room has answered. It is dropped when the
	// mode is left, and read again from the room when the room refused a
	// change of it (the refusal is on the status line). gen numbers the
	// drafts, to tell a refusal of this one from one of an older one.
	draft    session.NetworkingSettings
	drafting bool
	gen      int
	// seq numbers the settings sent from this screen; sender keeps them
	// in that order.
	seq    int
	sender *netSender
}

// netSender keeps one screen's settings changes in the order they were
// made: Bubble Tea runs commands concurrently, so an earlier change could
// otherwise reach the room after a later one and undo it. A change whose
// turn has passed is not sent.
type netSender struct {
	mu     sync.Mutex
	sent   int          // seq of the newest change sent
	failed atomic.Int64 // gen of the last draft the room refused
}

type netKeys struct {
	Draw, Redraw, NextRound, Move, Copy, Auto, Settings key.Binding
	Up, Down, Less, More, Edit, Done, Digit             key.Binding
}

func newNetKeys() netKeys {
	return netKeys{
		Draw:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "draw groups")),
		Redraw:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "redraw")),
		NextRound: key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "next round")),
		Move:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "move someone")),
		Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy groups")),
		Auto:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "auto-advance")),
		Settings:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "settings")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		Down:      key.NewBinding(key.WithKeys("down", "j")),
		Less:      key.NewBinding(key.WithKeys("left", "h", "-"), key.WithHelp("←/→", "change")),
		// + is the room's "add a minute" elsewhere; in the settings it is
		// "more", and never reaches the clock.
		More:  key.NewBinding(key.WithKeys("right", "l", "+", "=")),
		Edit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit point")),
		Done:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done")),
		Digit: key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "to group")),
	}
}

// Settings rows.
const (
	rowRounds = iota
	rowMinutes
	rowMin
	rowMax
	rowAuto
	rowPoints // then one row per round's talking point
)

func (m model) netOf(s *session.Meetup) *session.Networking { return s.Activity().Networking }

// netModeNow is the mode this screen is really in: a mode lapses when the
// activity it was chosen in is no longer current, or the person no longer
// facilitates.
func (m model) netModeNow(s *session.Meetup) netMode {
	ns := m.room.net
	if ns.mode == netView || ns.at != s.Current || m.netOf(s) == nil || !s.RoleOf(m.me.ID).Facilitates() || s.Ended() {
		return netView
	}
	return ns.mode
}

// networkingModal reports whether the networking activity takes every key
// on this screen now (a talking point being typed): the room's keys then
// do not work and are left out of the help bar.
func (m model) networkingModal(s *session.Meetup) bool {
	return m.netModeNow(s) == netPoint
}

// draftLive reports whether the settings draft is the one to show and
// build on: it is there, belongs to the current activity and mode, and the
// room has not refused it.
func (m model) draftLive(s *session.Meetup) bool {
	ns := m.room.net
	mode := m.netModeNow(s)
	return ns.drafting && (mode == netSettings || mode == netPoint) &&
		ns.sender != nil && ns.sender.failed.Load() != int64(ns.gen)
}

// netSettingsNow returns the settings this screen shows: the draft while
// it is live, else the room's.
func (m model) netSettingsNow(s *session.Meetup, n *session.Networking) session.NetworkingSettings {
	if m.draftLive(s) {
		set := m.room.net.draft
		set.Points = slices.Clone(set.Points)
		return set
	}
	return n.Settings(s.Activity())
}

// startDraft begins a draft from the room's settings.
func (ns *netState) startDraft(s *session.Meetup, n *session.Networking) {
	if ns.sender == nil {
		ns.sender = &netSender{}
	}
	ns.gen++
	ns.draft, ns.drafting = n.Settings(s.Activity()), true
}

// sendSettings sends set to the room in its turn among this screen's
// changes. gen is the draft set comes from (0 for none): if the room
// refuses it, the draft is read again from the room.
func (m *model) sendSettings(what string, set session.NetworkingSettings, gen int) tea.Cmd {
	ns := &m.room.net
	if ns.sender == nil {
		ns.sender = &netSender{}
	}
	ns.seq++
	seq, snd := ns.seq, ns.sender
	set.Points = slices.Clone(set.Points)
	send := m.do(what, set)
	return func() tea.Msg {
		snd.mu.Lock()
		defer snd.mu.Unlock()
		if seq < snd.sent {
			return nil // a later change has gone; this one would undo it
		}
		snd.sent = seq
		msg := send()
		if d, ok := msg.(doneMsg); ok && d.err != nil && gen > 0 {
			snd.failed.Store(int64(gen))
		}
		return msg
	}
}

func (m *model) netStatus(text string, isErr bool) {
	m.room.status, m.room.statusErr = text, isErr
}

func netCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// splitLines splits each entry at its line breaks (wrapped text), so that
// lines can be counted.
func splitLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.Split(l, "\n")...)
	}
	return out
}

func (m model) networkingPanel(s *session.Meetup, w, h int) (string, bool) {
	n := m.netOf(s)
	if n == nil {
		return "", false
	}
	if s.RoleOf(m.me.ID).Facilitates() {
		return m.netFacilitatorPanel(s, n, w, h), true
	}
	return m.netParticipantPanel(s, n, w), true
}

func (m model) netParticipantPanel(s *session.Meetup, n *session.Networking, w int) string {
	st := m.st
	r, i, ok := n.Round()
	if !ok {
		return strings.Join([]string{
			wrap(fmt.Sprintf("%s of %s in groups of %s, mixed each round so you meet new people.", countOf(n.Rounds, "round"), countOf(int(s.Activity().Duration.Minutes()), "minute"), sizeRange(n)), w),
			"",
			st.dim.Render(wrap("Your group appears here when the facilitator starts round 1.", w)),
		}, "\n")
	}
	var lines []string
	gi, group, in := r.GroupOf(m.me.ID)
	if !in {
		lines = append(lines, st.strong.Render(fmt.Sprintf("Round %d of %d", i+1, n.Rounds)),
			st.dim.Render(wrap("You are not in a group this round; the facilitator can add you.", w)))
	} else {
		lines = append(lines, st.strong.Render(fmt.Sprintf("Round %d of %d  ·  you are in group %d", i+1, n.Rounds, gi+1)))
		var others []string
		for _, id := range group {
			if id == m.me.ID {
				continue
			}
			mem, _ := s.Member(id)
			name := mem.Name
			if !mem.Present {
				name += " (gone)"
			}
			others = append(others, name)
		}
		if len(others) == 0 {
			lines = append(lines, wrap("Nobody else is in your group yet.", w))
		} else {
			lines = append(lines, wrap("With "+joinNames(others), w))
		}
	}
	if r.Point != "" {
		lines = append(lines, "", st.section.Render("Talking point"), wrap(r.Point, w))
	}
	if r.StartedAt.IsZero() {
		lines = append(lines, "", st.dim.Render("The round starts when the facilitator starts the clock."))
	}
	return strings.Join(lines, "\n")
}

func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func sizeRange(n *session.Networking) string {
	if n.MinSize == n.MaxSize {
		return fmt.Sprint(n.MinSize)
	}
	return fmt.Sprintf("%d-%d", n.MinSize, n.MaxSize)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (m model) netFacilitatorPanel(s *session.Meetup, n *session.Networking, w, h int) string {
	st := m.st
	ns := m.room.net
	mode := m.netModeNow(s)
	if mode == netCopy {
		return st.section.Render("Groups as plain text") + st.dim.Render("  (sent to your clipboard; esc to close)") + "\n" + n.PlainText(s)
	}
	r, i, drawn := n.Round()
	if !drawn || mode == netSettings || mode == netPoint {
		return m.netSettingsPanel(s, n, w, h)
	}
	var head []string
	status := "not started"
	if !r.StartedAt.IsZero() {
		status = "started " + r.StartedAt.Local().Format("15:04")
	}
	groups := netCount(len(r.Groups), "group", "groups")
	empty := 0
	for _, g := range r.Groups {
		if len(g) == 0 {
			empty++
		}
	}
	if empty > 0 {
		groups += fmt.Sprintf(" (%d empty)", empty)
	}
	head = append(head, st.strong.Render(fmt.Sprintf("Round %d of %d  ·  %s  ·  %s", i+1, n.Rounds, groups, status)))
	if rep := n.Repeats(); rep == 1 {
		head = append(head, st.warn.Render("1 pair has met before"))
	} else if rep > 1 {
		head = append(head, st.warn.Render(fmt.Sprintf("%d pairs have met before", rep)))
	}
	if r.Note != "" {
		head = append(head, st.warn.Render(wrap(r.Note, w)))
	}
	if r.Point != "" {
		head = append(head, trunc("Talking point: "+r.Point, w))
	}
	head = append(head, "")

	people := roundPeople(n)
	var foot []string
	if mode == netMove {
		var say string
		switch {
		case ns.to != "" && ns.who < len(people):
			mem, _ := s.Member(people[ns.who])
			say = fmt.Sprintf("Move %s to group %s_  (enter moves, esc cancels)", mem.Name, ns.to)
		case len(r.Groups) > 9:
			say = "↑/↓ choose a person, type their new group, enter."
		default:
			say = "↑/↓ choose a person, then press their new group."
		}
		foot = append(foot, "", st.warn.Render(wrap(say, w)))
	}
	// Count screen lines, not entries: a wrapped note takes several.
	head, foot = splitLines(head), splitLines(foot)

	var rows []string
	sel, pos := -1, 0
	for gi, g := range r.Groups {
		var names []string
		for _, id := range g {
			mem, _ := s.Member(id)
			name := mem.Name
			if !mem.Present {
				name = st.gone.Render(name + " (gone)")
			}
			if mode == netMove && pos == ns.who {
				name = st.current.Render(" " + mem.Name + " ")
				sel = gi
			}
			names = append(names, name)
			pos++
		}
		line := fmt.Sprintf("%-3s ", fmt.Sprintf("G%d", gi+1)) + strings.Join(names, ", ")
		if len(g) == 0 {
			line += st.dim.Render("(empty)")
		}
		rows = append(rows, trunc(line, w))
	}
	room := max(h-1-len(head)-len(foot), 1)
	if len(rows) > room {
		// One line says how many more; the person being moved stays in
		// sight.
		show := room - 1
		from := 0
		if sel >= show {
			from = min(sel-show+1, len(rows)-show)
		}
		more := len(rows) - show
		rows = append(slices.Clone(rows[from:from+show]), st.dim.Render(trunc(fmt.Sprintf("+ %s (y shows all)", netCount(more, "more group", "more groups")), w)))
	}
	lines := append(head, rows...)
	return strings.Join(append(lines, foot...), "\n")
}

func (m model) netSettingsPanel(s *session.Meetup, n *session.Networking, w, h int) string {
	st := m.st
	ns := m.room.net
	mode := m.netModeNow(s)
	editing := mode == netSettings || mode == netPoint
	set := m.netSettingsNow(s, n)
	rows := []string{
		fmt.Sprintf("Rounds            %d", set.Rounds),
		fmt.Sprintf("Minutes a round   %d", set.Minutes),
		fmt.Sprintf("Smallest group    %d", set.MinSize),
		fmt.Sprintf("Largest group     %d", set.MaxSize),
		fmt.Sprintf("Auto-advance      %s", onOff(set.AutoAdvance)),
	}
	for i := range set.Rounds {
		p := ""
		if i < len(set.Points) {
			p = session.CleanText(set.Points[i])
		}
		if p == "" {
			p = st.dim.Render("(none)")
		}
		rows = append(rows, fmt.Sprintf("Round %d point     %s", i+1, p))
	}
	lines := []string{st.section.Render("Settings"), ""}
	if !editing {
		lines[0] += st.dim.Render("  ·  S to change")
	}
	for i, row := range rows {
		row = trunc(row, w-2)
		if editing && i == ns.field {
			lines = append(lines, st.selected.Render("▶ "+row))
		} else {
			lines = append(lines, "  "+row)
		}
	}
	present := s.Present()
	sizes, note := groupingPreview(present, set.MinSize, set.MaxSize)
	lines = append(lines, "", st.dim.Render(trunc(fmt.Sprintf("%d here now: %s", present, sizes), w)))
	if note != "" {
		lines = append(lines, st.warn.Render(wrap(note, w)))
	}
	return strings.Join(lines, "\n")
}

func (m model) networkingFooter(s *session.Meetup, w int) []string {
	if m.netModeNow(s) == netPoint {
		in := m.room.net.point
		in.SetWidth(max(w-6, 10))
		return []string{in.View()}
	}
	return nil
}

func (m model) networkingHelp(s *session.Meetup) []key.Binding {
	n := m.netOf(s)
	if n == nil || !s.RoleOf(m.me.ID).Facilitates() || s.Ended() {
		return nil
	}
	k := m.room.net.keys
	switch m.netModeNow(s) {
	case netSettings:
		return []key.Binding{k.Up, k.Less, k.Edit, k.Done}
	case netPoint:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save point")), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	case netMove:
		if r, _, _ := n.Round(); len(r.Groups) > 9 || m.room.net.to != "" {
			digit := k.Digit
			digit.SetHelp("0-9 enter", "to group")
			return []key.Binding{k.Up, digit, k.Done}
		}
		return []key.Binding{k.Up, k.Digit, k.Done}
	case netCopy:
		return []key.Binding{k.Done}
	}
	_, i, drawn := n.Round()
	var out []key.Binding
	switch {
	case !drawn:
		out = append(out, k.Draw, k.Settings)
	case !n.Started():
		out = append(out, k.Redraw, k.Move, k.Copy)
	default:
		if i+1 < n.Rounds {
			out = append(out, k.NextRound)
		}
		out = append(out, k.Move, k.Copy, k.Settings)
	}
	auto := k.Auto
	auto.SetHelp("o", "auto-advance "+onOff(!n.AutoAdvance))
	return append(out, auto)
}

func (m model) networkingKey(s *session.Meetup, msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	n := m.netOf(s)
	if n == nil || !s.RoleOf(m.me.ID).Facilitates() || s.Ended() {
		return m, nil, false
	}
	ns := &m.room.net
	if ns.keys.Up.Keys() == nil {
		ns.keys = newNetKeys()
	}
	if ns.mode != netView && ns.at != s.Current {
		// The meetup moved on (or back) since: start afresh.
		ns.mode, ns.drafting, ns.to = netView, false, ""
		ns.point.Blur()
	}
	k := ns.keys
	if (ns.mode == netSettings || ns.mode == netPoint) && !m.draftLive(s) {
		ns.startDraft(s, n)
	}
	switch ns.mode {
	case netPoint:
		switch msg.String() {
		case "enter":
			i := ns.field - rowPoints
			set := ns.draft
			set.Points = slices.Clone(set.Points)
			for len(set.Points) <= i {
				set.Points = append(set.Points, "")
			}
			set.Points[i] = ns.point.Value()
			ns.draft = set
			ns.mode = netSettings
			ns.point.Blur()
			return m, m.sendSettings("Talking point saved.", set, ns.gen), true
		case "esc":
			ns.mode = netSettings
			ns.point.Blur()
			return m, nil, true
		}
		var cmd tea.Cmd
		ns.point, cmd = ns.point.Update(msg)
		return m, cmd, true
	case netSettings:
		rows := rowPoints + ns.draft.Rounds
		ns.field = min(ns.field, rows-1)
		switch {
		case key.Matches(msg, k.Up):
			ns.field = max(ns.field-1, 0)
		case key.Matches(msg, k.Down):
			ns.field = min(ns.field+1, rows-1)
		case key.Matches(msg, k.Less), key.Matches(msg, k.More):
			d := 1
			if key.Matches(msg, k.Less) {
				d = -1
			}
			set, changed, refusal := netChange(n, ns.draft, ns.field, d)
			if refusal != "" {
				m.netStatus(refusal, true)
				return m, nil, true
			}
			if !changed {
				return m, nil, true
			}
			ns.draft = set
			return m, m.sendSettings("Settings saved.", set, ns.gen), true
		case key.Matches(msg, k.Edit):
			if ns.field >= rowPoints {
				i := ns.field - rowPoints
				ns.mode = netPoint
				ns.point = newInput(m.st, "talking point for this round", session.MaxPointLen)
				if i < len(ns.draft.Points) {
					ns.point.SetValue(ns.draft.Points[i])
				}
				ns.point.CursorEnd()
				return m, ns.point.Focus(), true
			}
		case key.Matches(msg, k.Done), msg.String() == "S":
			ns.mode, ns.drafting = netView, false
		default:
			return m, nil, false
		}
		return m, nil, true
	case netMove:
		people := roundPeople(n)
		r, _, _ := n.Round()
		ns.who = min(ns.who, max(len(people)-1, 0))
		switch {
		case key.Matches(msg, k.Up):
			ns.who, ns.to = max(ns.who-1, 0), ""
		case key.Matches(msg, k.Down):
			ns.who, ns.to = min(ns.who+1, max(len(people)-1, 0)), ""
		case key.Matches(msg, k.Digit):
			if ns.to == "" && msg.String() == "0" {
				return m, nil, true
			}
			if len(ns.to) >= len(strconv.Itoa(len(r.Groups))) {
				m.netStatus(fmt.Sprintf("The groups go from 1 to %d: enter moves, backspace takes a digit back.", len(r.Groups)), true)
				return m, nil, true
			}
			ns.to += msg.String()
			if len(r.Groups) <= 9 {
				return m.netMoveTo(s, n)
			}
		case msg.String() == "backspace" && ns.to != "":
			ns.to = ns.to[:len(ns.to)-1]
		case msg.String() == "enter" && ns.to != "":
			return m.netMoveTo(s, n)
		case key.Matches(msg, k.Done), msg.String() == "v":
			ns.mode, ns.to = netView, ""
		default:
			return m, nil, false
		}
		return m, nil, true
	case netCopy:
		if key.Matches(msg, k.Done) || msg.String() == "y" || msg.String() == "q" {
			ns.mode = netView
			return m, nil, true
		}
		return m, nil, false
	}
	_, i, drawn := n.Round()
	switch {
	case key.Matches(msg, k.Draw):
		if drawn && n.Started() {
			return m, nil, false
		}
		if drawn {
			return m, m.do("Round redrawn.", session.DrawRound{Again: true}), true
		}
		return m, m.do("Groups drawn: start the clock when everyone has found their group.", session.DrawRound{}), true
	case key.Matches(msg, k.NextRound):
		if !drawn || !n.Started() || i+1 >= n.Rounds {
			return m, nil, false
		}
		return m, m.do(fmt.Sprintf("Round %d drawn: start the clock when ready.", i+2), session.DrawRound{}), true
	case key.Matches(msg, k.Move):
		if drawn {
			ns.mode, ns.at, ns.who, ns.to = netMove, s.Current, 0, ""
			return m, nil, true
		}
	case key.Matches(msg, k.Copy):
		if drawn {
			ns.mode, ns.at = netCopy, s.Current
			return m, tea.SetClipboard(n.PlainText(s)), true
		}
	case key.Matches(msg, k.Auto):
		set := n.Settings(s.Activity())
		set.AutoAdvance = !set.AutoAdvance
		what := "Auto-advance off: you start each round."
		if set.AutoAdvance {
			what = fmt.Sprintf("Auto-advance on: the next round starts %d s after time is up.", int(session.AutoPause.Seconds()))
		}
		return m, m.sendSettings(what, set, 0), true
	case key.Matches(msg, k.Settings):
		ns.mode, ns.at, ns.field = netSettings, s.Current, 0
		ns.startDraft(s, n)
		return m, nil, true
	}
	return m, nil, false
}

// netChange changes one settings row by d, as far as the room would
// allow: refusal says why not, before anything is sent.
func netChange(n *session.Networking, set session.NetworkingSettings, row, d int) (_ session.NetworkingSettings, changed bool, refusal string) {
	// As session decides: once rounds run, only what lies ahead may change.
	locked := n.Started() || len(n.Drawn) > 1
	if locked && (row == rowMinutes || row == rowMin || row == rowMax) {
		return set, false, "Group sizes and the length of a round can be changed only before the first round starts."
	}
	switch row {
	case rowRounds:
		v := set.Rounds + d
		if locked && v < len(n.Drawn) {
			return set, false, fmt.Sprintf("%s been drawn already.", netCount(len(n.Drawn), "round has", "rounds have"))
		}
		if v < 1 || v > session.MaxRounds {
			return set, false, fmt.Sprintf("Rounds go from 1 to %d.", session.MaxRounds)
		}
		set.Rounds = v
	case rowMinutes:
		v := set.Minutes + d
		if v < 1 || v > session.MaxRoundMins {
			return set, false, fmt.Sprintf("A round lasts from 1 to %d minutes.", session.MaxRoundMins)
		}
		set.Minutes = v
	case rowMin, rowMax:
		v := set.MinSize + d
		if row == rowMax {
			v = set.MaxSize + d
		}
		if v < 2 || v > session.MaxGroupSize {
			return set, false, fmt.Sprintf("Groups hold from 2 to %d people.", session.MaxGroupSize)
		}
		if row == rowMin {
			set.MinSize, set.MaxSize = v, max(set.MaxSize, v)
		} else {
			set.MaxSize, set.MinSize = v, min(set.MinSize, v)
		}
	case rowAuto:
		set.AutoAdvance = !set.AutoAdvance
	default:
		return set, false, "" // a talking point: enter edits it
	}
	return set, true, ""
}

// netMoveTo moves the chosen person to the group typed in netMove mode.
func (m model) netMoveTo(s *session.Meetup, n *session.Networking) (model, tea.Cmd, bool) {
	ns := &m.room.net
	g, _ := strconv.Atoi(ns.to)
	ns.to = ""
	r, _, _ := n.Round()
	if g < 1 || g > len(r.Groups) {
		m.netStatus(fmt.Sprintf("There is no group %d: the groups go from 1 to %d.", g, len(r.Groups)), true)
		return m, nil, true
	}
	people := roundPeople(n)
	ns.mode = netView
	if ns.who >= len(people) {
		return m, nil, true
	}
	who := people[ns.who]
	mem, _ := s.Member(who)
	if from, _, _ := r.GroupOf(who); from == g-1 {
		m.netStatus(fmt.Sprintf("%s is in group %d already.", mem.Name, g), false)
		return m, nil, true
	}
	return m, m.do(fmt.Sprintf("%s moved to group %d.", mem.Name, g), session.MovePerson{Person: who, Group: g - 1}), true
}

// roundPeople lists the current round's people in the order shown.
func roundPeople(n *session.Networking) []session.PersonID {
	r, _, ok := n.Round()
	if !ok {
		return nil
	}
	var out []session.PersonID
	for _, g := range r.Groups {
		out = append(out, g...)
	}
	return out
}

// groupingPreview shows how the people here would be split.
func groupingPreview(n, min, max int) (string, string) {
	sizes, note := grouping.Sizes(n, min, max)
	if len(sizes) == 0 {
		return "nobody to group yet", note
	}
	parts := make([]string, len(sizes))
	for i, s := range sizes {
		parts[i] = fmt.Sprint(s)
	}
	return "groups of " + strings.Join(parts, ", "), note
}

// countOf says "1 round", "2 rounds".
func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
