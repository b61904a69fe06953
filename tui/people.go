package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// peopleScreen lets a facilitator make people co-facilitators or the
// note-taker, or participants again, and, while solution circles run,
// move someone into another circle. It opens with nobody chosen, so enter
// cannot change someone's role by accident. It closes (handled false) on
// esc.
type peopleScreen struct {
	sel    int // -1: nobody chosen yet
	keys   listKeys
	notes  key.Binding
	circle key.Binding
	// moving is the person being moved to a circle, whose number is the
	// next key.
	moving session.PersonID
}

func newPeopleScreen() peopleScreen {
	return peopleScreen{sel: -1, keys: newListKeys("co-facilitator"),
		notes:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note-taker")),
		circle: key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "circle"))}
}

// circlesRunning is the solution circle under way, if one is: people can
// then be moved between its circles.
func circlesRunning(v *session.View) (*session.Circle, bool) {
	if v.Ended() || v.Activity().Kind != session.KindCircle {
		return nil, false
	}
	cs := circleOf(v)
	return cs, cs.Started()
}

func isAgenda(s activityScreen) bool {
	_, ok := s.(agendaScreen)
	return ok
}

func (p peopleScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil, true
	}
	members := f.v.Members
	if p.moving != "" {
		// The key after g is the circle's number; anything else cancels.
		who := p.moving
		p.moving = ""
		n := 0
		if s := k.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
			n = int(s[0] - '0')
		}
		if n == 0 {
			f.setStatus("Not moved.", false)
			return p, nil, true
		}
		// The room says whether there is such a circle.
		return p, f.sendSay(session.MoveToCircle{Person: who, Circle: n}, func(v *session.View) string {
			return fmt.Sprintf("%s is now in circle %d.", v.NameOf(who), n)
		}), true
	}
	switch {
	case key.Matches(k, p.circle):
		if _, ok := circlesRunning(f.v); !ok {
			f.setStatus("People can be moved between circles while a solution circle runs.", true)
			return p, nil, true
		}
		if p.sel < 0 || p.sel >= len(members) {
			f.setStatus("Choose someone with ↑/↓ first.", true)
			return p, nil, true
		}
		p.moving = members[p.sel].ID
		return p, nil, true
	case key.Matches(k, p.keys.Up):
		if p.sel < 0 {
			p.sel = len(members)
		}
		p.sel = max(p.sel-1, 0)
	case key.Matches(k, p.keys.Down):
		p.sel = min(p.sel+1, max(len(members)-1, 0))
	case key.Matches(k, p.keys.Choose), key.Matches(k, p.notes):
		if p.sel < 0 || p.sel >= len(members) {
			f.setStatus("Choose someone with ↑/↓ first.", true)
			return p, nil, true
		}
		who := members[p.sel].ID
		sw := session.SwitchCoHost
		if key.Matches(k, p.notes) {
			sw = session.SwitchNoteTaker
		}
		return p, f.sendSay(session.Toggle{Switch: sw, Person: who}, func(v *session.View) string {
			mem, _ := v.Member(who)
			return fmt.Sprintf("%s is now %s.", mem.Name, roleName(mem.Role))
		}), true
	case key.Matches(k, p.keys.Back), k.String() == "q", k.String() == "m":
		return p, nil, false
	}
	return p, nil, true
}

func (p peopleScreen) view(f frame, w, h int) string {
	st := f.st
	lines := []string{st.section.Render("People and roles"), st.dim.Render(wrap("Choose someone with ↑/↓ and press enter to make them co-facilitator, n to make them note-taker (they type ideas and actions for anyone), or press it again to make them a participant.", w))}
	cs, circles := circlesRunning(f.v)
	if circles {
		lines = append(lines, st.dim.Render(wrap("g moves them into another circle (or brings them into one).", w)))
	}
	if p.moving != "" {
		lines = append(lines, st.warn.Render(wrap(fmt.Sprintf("Move %s to which circle? Press 1-%d; any other key keeps them where they are.", f.v.NameOf(p.moving), len(cs.Groups)), w)))
	}
	lines = append(lines, "")
	room := h - countLines(lines)
	first := 0
	if p.sel >= room {
		first = p.sel - room + 1
	}
	for i := first; i < len(f.v.Members) && i < first+room; i++ {
		mem := f.v.Members[i]
		line := fmt.Sprintf("%s  ·  %s", mem.Name, roleName(mem.Role))
		if circles {
			if gi, in := cs.GroupOf(mem.ID); in {
				line += fmt.Sprintf("  ·  circle %d", gi+1)
			} else {
				line += "  ·  in no circle"
			}
		}
		if !mem.Present {
			line += "  ·  gone"
		}
		if i == p.sel {
			lines = append(lines, st.selected.Render(trunc("▶ "+line, w)))
		} else {
			lines = append(lines, trunc("  "+line, w))
		}
	}
	return strings.Join(lines, "\n")
}

func (peopleScreen) footer(frame, int) []string { return nil }

func (p peopleScreen) help(f frame) []key.Binding {
	k := p.keys
	k.Back.SetHelp("esc", "close")
	if _, ok := circlesRunning(f.v); ok {
		return []key.Binding{k.Up, k.Down, k.Choose, p.notes, p.circle, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Choose, p.notes, k.Back}
}

func (peopleScreen) modal(frame) bool { return true }
