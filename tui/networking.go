package tui

import (
	"fmt"
	"strings"

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
	field int // settings row
	who   int // person being moved, by position in the groups
	point textinput.Model
	keys  netKeys
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
		More:      key.NewBinding(key.WithKeys("right", "l")),
		Edit:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit point")),
		Done:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done")),
		Digit:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "to group")),
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
			wrap(fmt.Sprintf("%d rounds of %d minutes in groups of %s, mixed each round so you meet new people.", n.Rounds, int(s.Activity().Duration.Minutes()), sizeRange(n)), w),
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
	if ns.mode == netCopy {
		return st.section.Render("Groups as plain text") + st.dim.Render("  (sent to your clipboard; esc to close)") + "\n" + n.PlainText(s)
	}
	r, i, drawn := n.Round()
	if !drawn || ns.mode == netSettings || ns.mode == netPoint {
		return m.netSettingsPanel(s, n, w, h)
	}
	var lines []string
	status := "not started"
	if !r.StartedAt.IsZero() {
		status = "started " + r.StartedAt.Local().Format("15:04")
	}
	lines = append(lines, st.strong.Render(fmt.Sprintf("Round %d of %d  ·  %d groups  ·  %s", i+1, n.Rounds, len(r.Groups), status)))
	if rep := n.Repeats(); rep > 0 {
		lines = append(lines, st.warn.Render(fmt.Sprintf("%d pairs have met before", rep)))
	}
	if r.Note != "" {
		lines = append(lines, st.warn.Render(wrap(r.Note, w)))
	}
	if r.Point != "" {
		lines = append(lines, trunc("Talking point: "+r.Point, w))
	}
	lines = append(lines, "")
	pos := 0
	room := max(h-len(lines)-1, 1)
	for gi, g := range r.Groups {
		var names []string
		for _, id := range g {
			mem, _ := s.Member(id)
			name := mem.Name
			if !mem.Present {
				name = st.gone.Render(name + " (gone)")
			}
			if ns.mode == netMove && pos == ns.who {
				name = st.current.Render(" " + mem.Name + " ")
			}
			names = append(names, name)
			pos++
		}
		line := fmt.Sprintf("%-3s ", fmt.Sprintf("G%d", gi+1)) + strings.Join(names, ", ")
		if gi == room-1 && len(r.Groups) > room {
			lines = append(lines, st.dim.Render(fmt.Sprintf("+ %d more groups (y shows all)", len(r.Groups)-gi)))
			break
		}
		lines = append(lines, trunc(line, w))
	}
	if ns.mode == netMove {
		lines = append(lines, "", st.warn.Render("Choose a person with ↑/↓, then press the number of their new group."))
	}
	return strings.Join(lines, "\n")
}

func (m model) netSettingsPanel(s *session.Meetup, n *session.Networking, w, h int) string {
	st := m.st
	ns := m.room.net
	set := n.Settings(s.Activity())
	rows := []string{
		fmt.Sprintf("Rounds            %d", set.Rounds),
		fmt.Sprintf("Minutes a round   %d", set.Minutes),
		fmt.Sprintf("Smallest group    %d", set.MinSize),
		fmt.Sprintf("Largest group     %d", set.MaxSize),
		fmt.Sprintf("Auto-advance      %s", onOff(set.AutoAdvance)),
	}
	for i := range set.Rounds {
		p := n.Point(i)
		if p == "" {
			p = st.dim.Render("(none)")
		}
		rows = append(rows, fmt.Sprintf("Round %d point     %s", i+1, p))
	}
	lines := []string{st.section.Render("Settings"), ""}
	if ns.mode != netSettings && ns.mode != netPoint {
		lines[0] += st.dim.Render("  ·  S to change")
	}
	for i, row := range rows {
		row = trunc(row, w-2)
		if (ns.mode == netSettings || ns.mode == netPoint) && i == ns.field {
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
	if m.room.net.mode == netPoint {
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
	switch m.room.net.mode {
	case netSettings:
		return []key.Binding{k.Up, k.Less, k.Edit, k.Done}
	case netPoint:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save point")), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	case netMove:
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
	k := ns.keys
	set := n.Settings(s.Activity())
	switch ns.mode {
	case netPoint:
		switch msg.String() {
		case "enter":
			i := ns.field - rowPoints
			for len(set.Points) <= i {
				set.Points = append(set.Points, "")
			}
			set.Points[i] = ns.point.Value()
			ns.mode = netSettings
			ns.point.Blur()
			return m, m.do("Talking point saved.", set), true
		case "esc":
			ns.mode = netSettings
			ns.point.Blur()
			return m, nil, true
		}
		var cmd tea.Cmd
		ns.point, cmd = ns.point.Update(msg)
		return m, cmd, true
	case netSettings:
		rows := rowPoints + set.Rounds
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
			switch ns.field {
			case rowRounds:
				set.Rounds += d
			case rowMinutes:
				set.Minutes += d
			case rowMin:
				set.MinSize += d
				set.MaxSize = max(set.MaxSize, set.MinSize)
			case rowMax:
				set.MaxSize += d
				set.MinSize = min(set.MinSize, set.MaxSize)
			case rowAuto:
				set.AutoAdvance = !set.AutoAdvance
			default:
				return m, nil, true
			}
			return m, m.do("Settings saved.", set), true
		case key.Matches(msg, k.Edit):
			if ns.field >= rowPoints {
				ns.mode = netPoint
				ns.point = newInput(m.st, "talking point for this round", session.MaxPointLen)
				ns.point.SetValue(n.Point(ns.field - rowPoints))
				ns.point.CursorEnd()
				return m, ns.point.Focus(), true
			}
		case key.Matches(msg, k.Done), msg.String() == "S":
			ns.mode = netView
		default:
			return m, nil, false
		}
		return m, nil, true
	case netMove:
		people := roundPeople(n)
		switch {
		case key.Matches(msg, k.Up):
			ns.who = max(ns.who-1, 0)
		case key.Matches(msg, k.Down):
			ns.who = min(ns.who+1, max(len(people)-1, 0))
		case key.Matches(msg, k.Digit):
			g := int(msg.String()[0] - '1')
			ns.mode = netView
			if ns.who < len(people) {
				who := people[ns.who]
				mem, _ := s.Member(who)
				return m, m.do(fmt.Sprintf("%s moved to group %d.", mem.Name, g+1), session.MovePerson{Person: who, Group: g}), true
			}
		case key.Matches(msg, k.Done), msg.String() == "v":
			ns.mode = netView
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
			ns.mode, ns.who = netMove, 0
			return m, nil, true
		}
	case key.Matches(msg, k.Copy):
		if drawn {
			ns.mode = netCopy
			return m, tea.SetClipboard(n.PlainText(s)), true
		}
	case key.Matches(msg, k.Auto):
		set.AutoAdvance = !set.AutoAdvance
		what := "Auto-advance off: you start each round."
		if set.AutoAdvance {
			what = fmt.Sprintf("Auto-advance on: the next round starts %d s after time is up.", int(session.AutoPause.Seconds()))
		}
		return m, m.do(what, set), true
	case key.Matches(msg, k.Settings):
		ns.mode, ns.field = netSettings, 0
		return m, nil, true
	}
	return m, nil, false
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
