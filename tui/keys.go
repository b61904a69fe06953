package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"github.com/convene/convene/session"
)

// roomKeys are the room's bindings. Bindings that do not apply to this
// person now are disabled, so the help bar only ever shows keys that work.
type roomKeys struct {
	Next     key.Binding
	Prev     key.Binding
	Timer    key.Binding
	AddMin   key.Binding
	LessMin  key.Binding
	SetTime  key.Binding
	Announce key.Binding
	People   key.Binding
	End      key.Binding
	Agenda   key.Binding
	Actions  key.Binding
	Ready    key.Binding
	Rename   key.Binding
	Help     key.Binding
	Quit     key.Binding
	// facilitating leaves "I'm done" out of the short help: facilitators
	// rarely say it, and the room's own keys need the space.
	facilitating bool
	// actions puts A in the short help once the meetup has actions.
	actions bool
}

func newRoomKeys() roomKeys {
	return roomKeys{
		Next:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next")),
		Prev:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous")),
		Timer:    key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "timer")),
		AddMin:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "1 min")),
		LessMin:  key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "1 min less")),
		SetTime:  key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "set time")),
		Announce: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "announce")),
		People:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "roles")),
		End:      key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "end")),
		Agenda:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "agenda")),
		Actions:  key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "actions")),
		Ready:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "I'm done")),
		Rename:   key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "change my name")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "leave")),
	}
}

// facilitatorKeys are the bindings only a facilitator may use.
func (k *roomKeys) facilitatorKeys() []*key.Binding {
	return []*key.Binding{&k.Next, &k.Prev, &k.Timer, &k.AddMin, &k.LessMin, &k.SetTime, &k.Announce, &k.People, &k.End}
}

func (k roomKeys) ShortHelp() []key.Binding {
	var out []key.Binding
	if k.facilitating {
		out = []key.Binding{k.Next, k.Timer, k.AddMin, k.Agenda}
	} else {
		out = []key.Binding{k.Ready, k.Agenda}
	}
	if k.actions {
		out = append(out, k.Actions)
	}
	if k.facilitating {
		out = append(out, k.Announce)
	}
	return append(out, k.Help, k.Quit)
}

func (k roomKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Timer, k.AddMin, k.LessMin, k.SetTime},
		{k.Announce, k.People, k.Agenda, k.Actions, k.End},
		{k.Ready, k.Rename, k.Help, k.Quit},
	}
}

// roomKeysNow enables the bindings that work for this person now.
func (m model) roomKeysNow(v *session.View) roomKeys {
	k := m.room.keys
	fac := v.Facilitates()
	k.facilitating = fac
	for _, b := range k.facilitatorKeys() {
		b.SetEnabled(fac)
	}
	timed := v.Activity().Timed()
	if fac {
		k.Next.SetEnabled(v.Current+1 < len(v.Agenda))
		k.Prev.SetEnabled(v.Current > 0)
		k.Timer.SetEnabled(timed)
		k.AddMin.SetEnabled(timed)
		k.LessMin.SetEnabled(timed && v.Timer.Remaining(m.hub.Now()) > 0)
		k.SetTime.SetEnabled(timed)
		switch {
		case v.Timer.Running:
			k.Timer.SetHelp("space", "pause")
		case v.Timer.Started:
			k.Timer.SetHelp("space", "resume")
		default:
			k.Timer.SetHelp("space", "start clock")
		}
	}
	k.actions = len(v.Actions) > 0
	k.Ready.SetEnabled(!v.Ended())
	k.Rename.SetEnabled(!v.Ended())
	if m.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	}
	if v.Self().Ready {
		k.Ready.SetHelp("r", "not done")
	}
	return k
}

// listKeys move through a list and pick from it.
type listKeys struct {
	Up     key.Binding
	Down   key.Binding
	Choose key.Binding
	Back   key.Binding
}

func newListKeys(choose string) listKeys {
	return listKeys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", choose)),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// formKeys submit or cancel a one-line form.
type formKeys struct {
	Submit key.Binding
	Cancel key.Binding
}

func newFormKeys(submit, cancel string) formKeys {
	return formKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", submit)),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", cancel)),
	}
}

func (k formKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Submit, k.Cancel} }
func (k formKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// bindings is a help.KeyMap from a plain list.
type bindings []key.Binding

func (b bindings) ShortHelp() []key.Binding  { return b }
func (b bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b} }

// bind is a key binding: the keys that press it, and how the help names
// the key and what it does.
func bind(keys []string, k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
}

// helpState is a screen's help bar: whether the full help shows, the
// width, and the background. Bubbles' help.Model carries 4.6 KB of
// styles; a model is copied on every update, so it keeps only this and
// draws from one shared help.Model per background.
type helpState struct {
	ShowAll bool
	width   int
	dark    bool
}

var darkHelp, lightHelp = newHelp(true), newHelp(false)

func newHelp(dark bool) *help.Model {
	h := help.New()
	h.Styles = help.DefaultStyles(dark)
	return &h
}

// model is a help.Model to draw with: the shared one, with this state.
func (h helpState) model() help.Model {
	base := lightHelp
	if h.dark {
		base = darkHelp
	}
	m := *base
	m.ShowAll = h.ShowAll
	m.SetWidth(h.width)
	return m
}

func (h *helpState) SetWidth(w int) { h.width = w }

// View draws the help of these keys.
func (h helpState) View(k help.KeyMap) string {
	m := h.model()
	return m.View(k)
}
