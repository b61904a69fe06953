package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/convene/convene/session"
)

// form is a one-line text field with a label, a character count and a
// line for what is wrong, used for every short text people type: names,
// titles, announcements, talking points, topics, times.
//
// One rule everywhere for text that is too long: it can be typed or pasted
// (up to a generous cap), the count turns red past the limit, and enter is
// refused with its length and the limit, leaving the text in the field to
// edit. Esc cancels and forgets the text.
//
// The field sits behind a pointer: screens are copied on every update of
// every person's screen, and a textinput is several KB. A form is changed
// only through its methods, which copy the field first (edit), so each copy
// of a screen keeps its own text.
type form struct {
	label string
	input *textinput.Model
	// limit is the most characters the text may have (0: no count shown).
	limit int
	err   string
	keys  formKeys
}

// formDone says what a key did to a form.
type formDone int

const (
	formEditing   formDone = iota
	formSubmitted          // enter: the text is in form.value()
	formCancelled          // esc
)

// typeCap is how much more than its limit a field takes, so that an
// over-long paste can be seen and cut rather than silently lost.
const typeCap = 4

func newForm(st styles, label, placeholder, value string, limit int, submit, cancel string) form {
	in := newInput(st, placeholder, max(limit, 16)*typeCap)
	in.SetValue(value)
	in.CursorEnd()
	in.Focus()
	return form{label: label, input: &in, limit: limit, keys: newFormKeys(submit, cancel)}
}

// value is the text typed.
func (f form) value() string {
	if f.input == nil {
		return ""
	}
	return f.input.Value()
}

// edit gives this form a field of its own to change, and returns it.
func (f *form) edit() *textinput.Model {
	var in textinput.Model
	if f.input != nil {
		in = *f.input
	}
	f.input = &in
	return f.input
}

// fail shows why the text was refused; the text stays.
func (f *form) fail(err error) { f.err = errText(err) }

// update handles a key or a paste.
func (f form) update(msg tea.Msg) (form, formDone, tea.Cmd) {
	if f.input == nil {
		return f, formEditing, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, f.keys.Submit):
			return f, formSubmitted, nil
		case key.Matches(msg, f.keys.Cancel):
			return f, formCancelled, nil
		}
	case tea.PasteMsg:
		// The field drops control bytes but would keep the rest of an
		// escape sequence ("[31m"), so sequences go first.
		msg.Content = ansi.Strip(msg.Content)
		f.err = ""
		next, cmd := f.input.Update(msg)
		f.input = &next
		return f, formEditing, cmd
	}
	f.err = ""
	next, cmd := f.input.Update(msg)
	f.input = &next
	return f, formEditing, cmd
}

// view draws the label, the field and the count on one line, and what is
// wrong on the next, in w cells.
func (f form) view(st styles, w int) []string {
	if f.input == nil {
		return nil
	}
	n := session.Len(session.CleanText(f.input.Value()))
	counter := ""
	cstyle := st.dim
	if f.limit > 0 {
		counter = fmt.Sprintf("%d/%d", n, f.limit)
		if n > f.limit {
			counter += " too long"
			cstyle = st.errText
		}
	}
	label := ""
	if f.label != "" {
		label = st.strong.Render(f.label) + " "
	}
	in := *f.input
	in.SetWidth(max(w-lipgloss.Width(label)-lipgloss.Width(counter)-4, 8))
	// The visible part of a long text is worked out when the cursor
	// moves: move it where it is, at this width.
	in.SetCursor(in.Position())
	line := label + in.View()
	gap := max(w-lipgloss.Width(line)-lipgloss.Width(counter), 1)
	lines := []string{trunc(line+strings.Repeat(" ", gap)+cstyle.Render(counter), w)}
	if f.err != "" {
		lines = append(lines, styledLines(st.errText, wrap(f.err, w))...)
	}
	return lines
}

// help is the form's keys for the help bar.
func (f form) help() []key.Binding { return []key.Binding{f.keys.Submit, f.keys.Cancel} }
