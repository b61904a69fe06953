package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// seriesForm is the name of a meetup's series: typed, or picked with ↑/↓
// from the series the server already has, so that a monthly meetup joins
// its series without anyone retyping its name exactly.
type seriesForm struct {
	form
	known []string
	// at is the known series shown in the field, -1 for typed text.
	at   int
	pick key.Binding
}

func newSeriesForm(st styles, value string, known []string) seriesForm {
	f := seriesForm{form: newForm(st, "Series", "none", value, session.MaxSeriesLen, "save", "back"), known: known, at: -1,
		pick: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "pick a series"))}
	f.pick.SetEnabled(len(known) > 0)
	return f
}

func (f seriesForm) update(msg tea.Msg) (seriesForm, formDone, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, f.pick) {
		switch k.String() {
		case "up":
			f.at = max(f.at-1, -1)
		case "down":
			f.at = min(f.at+1, len(f.known)-1)
		}
		v := ""
		if f.at >= 0 {
			v = f.known[f.at]
		}
		f.edit().SetValue(v)
		f.edit().CursorEnd()
		return f, formEditing, nil
	}
	var done formDone
	var cmd tea.Cmd
	f.form, done, cmd = f.form.update(msg)
	return f, done, cmd
}

func (f seriesForm) view(st styles, w int) []string {
	lines := f.form.view(st, w)
	if len(f.known) > 0 {
		lines = append(lines, "", st.dim.Render(trunc("Series so far: "+strings.Join(f.known, " · "), w)))
	}
	return lines
}

func (f seriesForm) help() []key.Binding { return append([]key.Binding{f.pick}, f.form.help()...) }
