package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// peopleScreen lets a facilitator make people co-facilitators or the
// note-taker, or participants again. It opens with nobody chosen, so enter cannot change
// someone's role by accident. It closes (handled false) on esc.
type peopleScreen struct {
	sel   int // -1: nobody chosen yet
	keys  listKeys
	notes key.Binding
}

func newPeopleScreen() peopleScreen {
	return peopleScreen{sel: -1, keys: newListKeys("make co-facilitator / participant"),
		notes: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note-taker / participant"))}
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
	switch {
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
	lines := []string{st.section.Render("People and roles"), st.dim.Render(wrap("Choose someone with ↑/↓ and press enter to make them co-facilitator, n to make them note-taker (they type ideas and actions for anyone), or press it again to make them a participant.", w)), ""}
	room := h - countLines(lines)
	first := 0
	if p.sel >= room {
		first = p.sel - room + 1
	}
	for i := first; i < len(f.v.Members) && i < first+room; i++ {
		mem := f.v.Members[i]
		line := fmt.Sprintf("%s  ·  %s", mem.Name, roleName(mem.Role))
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

func (p peopleScreen) help(frame) []key.Binding {
	k := p.keys
	k.Back.SetHelp("esc", "close")
	return []key.Binding{k.Up, k.Down, k.Choose, p.notes, k.Back}
}

func (peopleScreen) modal(frame) bool { return true }
