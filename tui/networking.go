package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/grouping"
)

// networkingScreen is one screen's view of a networking activity:
// participants see their group and the talking point; facilitators see
// every group, draw and move people, and change the settings.
type networkingScreen struct {
	mode  netMode
	field int // settings row
	who   int // person being moved, by position in the groups
	// to is the number of the group being typed in netMove mode, when
	// there are more groups than one digit reaches.
	to    string
	point form
	keys  netKeys
}

// netMode is what the facilitator's keys do in the networking panel.
type netMode int

const (
	netView     netMode = iota
	netSettings         // choosing and changing settings
	netPoint            // typing a talking point
	netMove             // choosing a person to move, then a group
	netCopy             // showing the groups as plain text
)

type netKeys struct {
	Draw, Redraw, NextRound, Move, Copy, Auto, Settings, Rebalance, TakePart key.Binding
	Up, Down, Less, More, Edit, Done, Digit                                  key.Binding
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
		Rebalance: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "rebalance")),
		TakePart:  key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "join the groups")),
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

func newNetworkingScreen() networkingScreen { return networkingScreen{keys: newNetKeys()} }

// Settings rows.
const (
	rowRounds = iota
	rowMinutes
	rowMin
	rowMax
	rowAuto
	rowPoints // then one row per round's talking point
)

// rowSetting is the session setting each number row changes.
var rowSetting = map[int]session.Setting{
	rowRounds: session.SettingRounds, rowMinutes: session.SettingMinutes,
	rowMin: session.SettingMinSize, rowMax: session.SettingMaxSize,
}

func netOf(v *session.View) *session.Networking {
	n, _ := v.Activity().State.(*session.Networking)
	return n
}

// modeNow is the mode this screen is really in: the facilitator's modes
// lapse for someone who no longer facilitates.
func (s networkingScreen) modeNow(f frame) netMode {
	if !f.fac() || netOf(f.v) == nil {
		return netView
	}
	if _, _, drawn := netOf(f.v).Round(); !drawn && (s.mode == netMove || s.mode == netCopy) {
		return netView
	}
	return s.mode
}

func (s networkingScreen) modal(f frame) bool { return s.modeNow(f) == netPoint }

// facilitatorKeys are the keys of this screen only facilitators may use.
func (k netKeys) facilitatorKeys() []key.Binding {
	return []key.Binding{k.Draw, k.NextRound, k.Move, k.Copy, k.Auto, k.Settings, k.Rebalance, k.TakePart}
}

func (s networkingScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	n := netOf(f.v)
	if n == nil {
		return s, nil, false
	}
	k := s.keys
	mode := s.modeNow(f)
	s.mode = mode
	if mode == netPoint {
		return s.pointUpdate(f, n, msg)
	}
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil, false
	}
	if !f.fac() {
		for _, b := range k.facilitatorKeys() {
			if key.Matches(kp, b) {
				f.refuse()
				return s, nil, true
			}
		}
		return s, nil, false
	}
	switch mode {
	case netSettings:
		return s.settingsKey(f, n, kp)
	case netMove:
		return s.moveKey(f, n, kp)
	case netCopy:
		if key.Matches(kp, k.Done) || kp.String() == "y" || kp.String() == "q" {
			s.mode = netView
			return s, nil, true
		}
		return s, nil, false
	}
	_, i, drawn := n.Round()
	switch {
	case key.Matches(kp, k.Draw):
		// The room decides: the first draw, or a redraw before the round
		// starts (a round under way is refused, with the reason).
		return s, f.send("Groups drawn: start the clock when everyone has found their group (d draws them again).", session.DrawGroups{}), true
	case key.Matches(kp, k.NextRound):
		return s, f.send(fmt.Sprintf("Round %d drawn: start the clock when ready.", i+2), session.DrawRound{}), true
	case key.Matches(kp, k.Move):
		if !drawn {
			f.setStatus("Draw the groups first.", true)
			return s, nil, true
		}
		s.mode, s.who, s.to = netMove, 0, ""
		return s, nil, true
	case key.Matches(kp, k.Copy):
		if !drawn {
			f.setStatus("Draw the groups first.", true)
			return s, nil, true
		}
		s.mode = netCopy
		return s, tea.SetClipboard(n.PlainText(f.v.Meetup)), true
	case key.Matches(kp, k.Auto):
		return s, f.sendSay(session.Toggle{Switch: session.SwitchAutoAdvance}, func(v *session.View) string {
			if netOf(v).AutoAdvance {
				return fmt.Sprintf("Auto-advance on: the next round starts %d s after time is up.", int(session.AutoPause.Seconds()))
			}
			return "Auto-advance off: you start each round."
		}), true
	case key.Matches(kp, k.Rebalance):
		return s, f.send("Groups rebalanced.", session.Rebalance{}), true
	case key.Matches(kp, k.TakePart):
		return s, f.sendSay(session.Toggle{Switch: session.SwitchTakePart}, func(v *session.View) string {
			if netOf(v).TakesPart(v.Me) {
				return "You take part in the groups."
			}
			return "You are out of the groups, free to run the meetup."
		}), true
	case key.Matches(kp, k.Settings):
		s.mode, s.field = netSettings, 0
		return s, nil, true
	}
	return s, nil, false
}

func (s networkingScreen) settingsKey(f frame, n *session.Networking, kp tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := s.keys
	rows := rowPoints + n.Rounds
	s.field = min(s.field, rows-1)
	switch {
	case key.Matches(kp, k.Up):
		s.field = max(s.field-1, 0)
	case key.Matches(kp, k.Down):
		s.field = min(s.field+1, rows-1)
	case key.Matches(kp, k.Less), key.Matches(kp, k.More):
		d := 1
		if key.Matches(kp, k.Less) {
			d = -1
		}
		if s.field == rowAuto {
			return s, f.send("Settings saved.", session.SetAutoAdvance{On: d > 0}), true
		}
		if setting, ok := rowSetting[s.field]; ok {
			return s, f.send("Settings saved.", session.AdjustNetworking{Setting: setting, By: d}), true
		}
		f.setStatus("Press enter to edit the talking point.", false)
	case key.Matches(kp, k.Edit):
		if s.field >= rowPoints {
			i := s.field - rowPoints
			s.mode = netPoint
			s.point = newForm(f.st, fmt.Sprintf("Round %d point:", i+1), "talking point for this round", n.Point(i), session.MaxPointLen, "save point", "cancel")
		} else if s.field == rowAuto {
			return s, f.send("Settings saved.", session.SetAutoAdvance{On: !n.AutoAdvance}), true
		}
	case key.Matches(kp, k.Done), kp.String() == "S":
		s.mode = netView
	default:
		return s, nil, false
	}
	return s, nil, true
}

func (s networkingScreen) pointUpdate(f frame, n *session.Networking, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	form, done, cmd := s.point.update(msg)
	s.point = form
	switch done {
	case formCancelled:
		s.mode = netSettings
		return s, nil, true
	case formSubmitted:
		text := session.CleanText(form.value())
		if err := session.CheckLen("the talking point", text, session.MaxPointLen); err != nil {
			s.point.fail(err)
			return s, nil, true
		}
		s.mode = netSettings
		return s, f.send("Talking point saved.", session.SetTalkingPoint{Round: s.field - rowPoints, Text: text}), true
	}
	return s, cmd, true
}

func (s networkingScreen) moveKey(f frame, n *session.Networking, kp tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := s.keys
	r, _, _ := n.Round()
	people := r.People()
	s.who = min(s.who, max(len(people)-1, 0))
	switch {
	case key.Matches(kp, k.Up):
		s.who, s.to = max(s.who-1, 0), ""
	case key.Matches(kp, k.Down):
		s.who, s.to = min(s.who+1, max(len(people)-1, 0)), ""
	case key.Matches(kp, k.Digit):
		if s.to == "" && kp.String() == "0" {
			return s, nil, true
		}
		if len(s.to) >= len(strconv.Itoa(len(r.Groups))) {
			f.setStatus(fmt.Sprintf("The groups go from 1 to %d: enter moves, backspace takes a digit back.", len(r.Groups)), true)
			return s, nil, true
		}
		s.to += kp.String()
		if len(r.Groups) <= 9 {
			return s.moveTo(f, n)
		}
	case kp.String() == "backspace" && s.to != "":
		s.to = s.to[:len(s.to)-1]
	case kp.String() == "enter" && s.to != "":
		return s.moveTo(f, n)
	case key.Matches(kp, k.Done), kp.String() == "v":
		s.mode, s.to = netView, ""
	default:
		return s, nil, false
	}
	return s, nil, true
}

// moveTo moves the chosen person to the group typed.
func (s networkingScreen) moveTo(f frame, n *session.Networking) (activityScreen, tea.Cmd, bool) {
	g, _ := strconv.Atoi(s.to)
	s.to = ""
	r, _, _ := n.Round()
	people := r.People()
	s.mode = netView
	if s.who >= len(people) {
		return s, nil, true
	}
	who := people[s.who]
	return s, f.send(fmt.Sprintf("%s moved to group %d.", f.v.NameOf(who), g), session.MovePerson{Person: who, Group: g - 1}), true
}

func (s networkingScreen) timeUpHint(f frame) string {
	n := netOf(f.v)
	switch {
	case n == nil:
		return ""
	case n.AutoNext():
		return fmt.Sprintf("The next round starts by itself %d seconds after time is up.", int(session.AutoPause.Seconds()))
	case f.fac() && n.MoreRounds():
		return "Press g for the next round, n to move on, or + for another minute."
	}
	return ""
}

func (s networkingScreen) help(f frame) []key.Binding {
	n := netOf(f.v)
	if n == nil || !f.fac() {
		return nil
	}
	k := s.keys
	switch s.modeNow(f) {
	case netSettings:
		return []key.Binding{k.Up, k.Less, k.Edit, k.Done}
	case netPoint:
		return s.point.help()
	case netMove:
		if r, _, _ := n.Round(); len(r.Groups) > 9 || s.to != "" {
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
	if drawn && len(n.Flags(f.v.Meetup)) > 0 {
		out = append([]key.Binding{k.Rebalance}, out...)
	}
	part := k.TakePart
	if n.TakesPart(f.v.Me) {
		part.SetHelp("i", "leave the groups")
	}
	auto := k.Auto
	auto.SetHelp("o", "auto-advance "+onOff(!n.AutoAdvance))
	return append(out, part, auto)
}

func (s networkingScreen) footer(f frame, w int) []string {
	if s.modeNow(f) == netPoint {
		return s.point.view(f.st, w)
	}
	return nil
}

func (s networkingScreen) view(f frame, w, h int) string {
	n := netOf(f.v)
	if n == nil {
		return wrap(f.v.Activity().Note, w)
	}
	if f.fac() {
		return s.facilitatorPanel(f, n, w, h)
	}
	return participantPanel(f, n, w)
}

func participantPanel(f frame, n *session.Networking, w int) string {
	st, v := f.st, f.v
	r, i, ok := n.Round()
	if !ok {
		return strings.Join([]string{
			wrap(fmt.Sprintf("%s of %s in groups of %s, mixed each round so you meet new people.", countOf(n.Rounds, "round"), countOf(int(v.Activity().Duration.Minutes()), "minute"), sizeRange(n)), w),
			"",
			st.dim.Render(wrap("Your group appears here when the facilitator starts round 1.", w)),
		}, "\n")
	}
	var lines []string
	gi, group, in := r.GroupOf(v.Me)
	if !in {
		lines = append(lines, st.strong.Render(fmt.Sprintf("Round %d of %d", i+1, n.Rounds)),
			st.dim.Render(wrap("You are not in a group this round; the facilitator can add you.", w)))
	} else {
		lines = append(lines, st.strong.Render(fmt.Sprintf("Round %d of %d  ·  you are in group %d", i+1, n.Rounds, gi+1)))
		var others []string
		for _, id := range group {
			if id == v.Me {
				continue
			}
			mem, _ := v.Member(id)
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

func (s networkingScreen) facilitatorPanel(f frame, n *session.Networking, w, h int) string {
	st, v := f.st, f.v
	mode := s.modeNow(f)
	if mode == netCopy {
		return st.section.Render("Groups as plain text") + st.dim.Render("  (sent to your clipboard; esc to close)") + "\n" + n.PlainText(v.Meetup)
	}
	r, i, drawn := n.Round()
	if !drawn || mode == netSettings || mode == netPoint {
		return s.settingsPanel(f, n, w)
	}
	var head []string
	status := "not started"
	if !r.StartedAt.IsZero() {
		status = "started " + r.StartedAt.Local().Format("15:04")
	}
	groups := countOf(len(r.Groups), "group")
	empty := 0
	for _, g := range r.Groups {
		if len(g) == 0 {
			empty++
		}
	}
	if empty > 0 {
		groups += fmt.Sprintf(" (%d empty)", empty)
	}
	head = append(head, st.strong.Render(trunc(fmt.Sprintf("Round %d of %d  ·  %s  ·  %s", i+1, n.Rounds, groups, status), w)))
	if rep := n.Repeats(); rep == 1 {
		head = append(head, st.warn.Render("1 pair has met before"))
	} else if rep > 1 {
		head = append(head, st.warn.Render(fmt.Sprintf("%d pairs have met before", rep)))
	}
	if r.Note != "" {
		head = append(head, st.warn.Render(wrap(r.Note, w)))
	}
	flags := n.Flags(v.Meetup)
	for _, fl := range flags {
		head = append(head, styledLines(st.warn, wrap("⚠ "+flagText(f, r, fl), w))...)
	}
	if len(flags) > 0 {
		head = append(head, st.dim.Render(trunc("Press b to rebalance the groups.", w)))
	}
	if !n.TakesPart(v.Me) {
		head = append(head, st.dim.Render(trunc("You are not in a group (i to join the groups).", w)))
	}
	if r.Point != "" {
		head = append(head, trunc("Talking point: "+r.Point, w))
	}
	head = append(head, "")

	people := r.People()
	var foot []string
	if mode == netMove {
		var say string
		switch {
		case s.to != "" && s.who < len(people):
			say = fmt.Sprintf("Move %s to group %s_  (enter moves, esc cancels)", v.NameOf(people[s.who]), s.to)
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
			mem, _ := v.Member(id)
			name := mem.Name
			if !mem.Present {
				name = st.gone.Render(name + " (gone)")
			}
			if mode == netMove && pos == s.who {
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
		rows = append(slices.Clone(rows[from:from+show]), st.dim.Render(trunc(fmt.Sprintf("+ %s (y shows all)", countOf(more, "more group")), w)))
	}
	lines := append(head, rows...)
	return strings.Join(append(lines, foot...), "\n")
}

// flagText says what is wrong with a flagged group.
func flagText(f frame, r session.Round, fl session.GroupFlag) string {
	var parts []string
	if len(fl.Gone) > 0 {
		names := make([]string, len(fl.Gone))
		for i, id := range fl.Gone {
			names[i] = f.v.NameOf(id)
		}
		parts = append(parts, joinNames(names)+" left")
	}
	if fl.Alone {
		for _, id := range r.Groups[fl.Group] {
			if mem, ok := f.v.Member(id); ok && mem.Present {
				parts = append(parts, mem.Name+" is on their own")
			}
		}
	}
	return fmt.Sprintf("Group %d: %s", fl.Group+1, strings.Join(parts, "; "))
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

func (s networkingScreen) settingsPanel(f frame, n *session.Networking, w int) string {
	st, v := f.st, f.v
	mode := s.modeNow(f)
	editing := mode == netSettings || mode == netPoint
	set := n.Settings(v.Activity())
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
	if !editing {
		lines[0] += st.dim.Render("  ·  S to change")
	}
	for i, row := range rows {
		row = trunc(row, w-2)
		if editing && i == s.field {
			lines = append(lines, st.selected.Render("▶ "+row))
		} else {
			lines = append(lines, "  "+row)
		}
	}
	people := len(n.People(v.Meetup))
	sizes, note := groupingPreview(people, set.MinSize, set.MaxSize)
	lines = append(lines, "", st.dim.Render(trunc(fmt.Sprintf("%d to group now: %s", people, sizes), w)))
	if note != "" {
		lines = append(lines, st.warn.Render(wrap(note, w)))
	}
	if !n.TakesPart(v.Me) {
		lines = append(lines, styledLines(st.dim, wrap("Facilitators stay out of the groups; i to join them.", w))...)
	}
	return strings.Join(lines, "\n")
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

// countOf says "1 round", "2 rounds", "1 activity", "2 activities".
func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") && !strings.HasSuffix(what, "ay") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(what, "y"))
	}
	if what == "person" {
		return fmt.Sprintf("%d people", n)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
