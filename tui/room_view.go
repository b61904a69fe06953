package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
)

func roleName(r session.Role) string {
	switch r {
	case session.RoleFacilitator:
		return "facilitator"
	case session.RoleCoFacilitator:
		return "co-facilitator"
	case session.RoleNoteTaker:
		return "note-taker"
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
	return helpCache.get(helpKey(m.st, h, w), func() string { return m.shortHelpBar(h, w) })
}

// shortHelpBar draws the short help bar (helpBar keeps what it drew).
func (m model) shortHelpBar(h roomHelp, w int) string {
	hm := m.help.model()
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

// statusLines are the person's own line: what their last action did. A
// long one takes a second line, so a sentence is read whole; one line is
// always there (empty when there is nothing to say), so the screen does
// not jump.
func (m model) statusLines(w int) []string {
	if m.room.status == "" {
		return []string{""}
	}
	style := m.st.okText
	if m.room.statusErr {
		style = m.st.errText
	}
	lines := strings.Split(wrap(m.room.status, w), "\n")
	if len(lines) > 2 {
		lines = []string{lines[0], trunc(lines[1]+" "+strings.Join(lines[2:], " "), w)}
	}
	for i, l := range lines {
		lines[i] = style.Render(trunc(l, w))
	}
	return lines
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
		footer = append(footer, styledLines(st.warn, wrap("End the meetup for everyone? y ends it, any other key keeps going.", w))...)
	case r.overlay != nil:
		footer = append(footer, r.overlay.footer(f, w)...)
		footer = append(footer, m.statusLines(w)...)
		footer = append(footer, strings.Split(m.help.View(bindings(r.overlay.help(f))), "\n")...)
	default:
		if m.me.Keyless && !v.Ended() {
			// Without a key a dropped connection cannot be told from a
			// new person: this is how they come back as themselves. Above
			// the activity's own lines, so a field being typed stays next
			// to what it says and its keys.
			footer = append(footer, st.dim.Render(rejoinLine(rejoinCommand(m.ssh, m.me.Token, v.Code), w)))
		}
		footer = append(footer, r.act.footer(f, w)...)
		if mark := actionsMarker(f, w); mark != "" && !r.act.modal(f) {
			footer = append(footer, mark)
		}
		footer = append(footer, m.statusLines(w)...)
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
	// The boxes, the side panel and the help bar are drawn once for
	// everyone who sees the same (render_cache.go).
	side := ""
	if sideW > 0 {
		side = m.sideBox(v, sideW, bodyH)
	}
	body := boxes(st, side, panel, mainW, bodyH)
	return header + "\n" + body + "\n" + strings.Join(footer, "\n")
}

// rejoinLine tells a person without a key the command that brings them
// back, in w cells: in words if they fit, else the command whole.
func rejoinLine(cmd string, w int) string {
	for _, lead := range []string{"No SSH key · to come back as yourself: ", "To come back as yourself: ", "Rejoin: "} {
		if l := lead + cmd; lipgloss.Width(l) <= w {
			return l
		}
	}
	return trunc(cmd, w)
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
	me := v.Self()
	right := fmt.Sprintf("code %s · %d here · %s", session.FormatCode(v.Code), v.Present(), me.Name)
	if me.Role.Facilitates() {
		right += " (" + roleName(me.Role) + ")"
	}
	return headerCache.get(cacheKey(darkKey(st), itoa(w), v.Title, right), func() string {
		return header(st, v.Title, right, w)
	})
}

// header is the room's top line: the meetup's title on the left, right on
// the right.
func header(st styles, title, right string, w int) string {
	left := st.title.Render("convene") + "  " + st.strong.Render(title)
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
	var items []string
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
			items = append(items, st.current.Render(text))
		case a.Ran || v.Ended():
			items = append(items, st.dim.Render(text))
		default:
			items = append(items, text)
		}
	}
	// A long agenda shows the items around the one under way, so that
	// the people below keep a few lines.
	members := orderedMembers(v.Meetup)
	room := max(h-3-min(len(members), 3), 3)
	lines := append([]string{st.section.Render("Agenda")}, windowRows(st, items, v.Current, room)...)
	lines = append(lines, "", st.section.Render(fmt.Sprintf("People · %d here", v.Present())))
	room = h - countLines(lines)
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
	case session.RoleNoteTaker:
		suffix = " · notes"
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
	if k, ok := m.room.act.(panelKeyer); ok {
		if pk, ok := k.panelKey(f); ok {
			v := f.v
			key := cacheKey("a", v.ID, strconv.FormatUint(v.Version, 10), itoa(w), itoa(h), darkKey(m.st),
				string(v.Role), strconv.FormatBool(v.Self().Ready), strconv.FormatBool(v.Ended()),
				clockKey(v.Timer, f.now), pk)
			return panelCache.get(key, func() string { return m.drawActivityPanel(f, w, h) })
		}
	}
	return m.drawActivityPanel(f, w, h)
}

// drawActivityPanel draws the activity's panel: its title and clock, the
// screen's own part, and whether the viewer said they are done.
func (m model) drawActivityPanel(f frame, w, h int) string {
	v := f.v
	st := m.st
	now := f.now
	if v.Ended() {
		return m.room.act.view(f, w, h)
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
