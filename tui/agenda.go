package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// agendaScreen is the whole agenda, opened with tab: everyone can read it
// with the planned times; facilitators change it, before and during the
// meetup. It takes the main panel and every key until it is closed.
type agendaScreen struct {
	sel  int
	mode agendaMode
	// kind is the chosen row of the list of kinds, when adding.
	kind int
	form form
	keys agendaKeys
}

type agendaMode int

const (
	agendaBrowse agendaMode = iota
	agendaAdding            // choosing the kind of a new item
	agendaTitle             // typing the chosen item's title
	agendaNote              // typing its note
	agendaSave              // typing a name to save the agenda as a template
	agendaRemove            // asked to remove the chosen item
)

type agendaKeys struct {
	Up, Down, GoTo, Raise, Lower, More, Less, Title, Note, Add, Remove, Save, Close key.Binding
}

func newAgendaKeys() agendaKeys {
	b := bind
	return agendaKeys{
		Up:     b([]string{"up", "k"}, "↑/↓", "choose"),
		Down:   b([]string{"down", "j"}, "↓", "down"),
		GoTo:   b([]string{"enter"}, "enter", "go to it"),
		Raise:  b([]string{"K", "shift+up"}, "K/J", "move up/down"),
		Lower:  b([]string{"J", "shift+down"}, "J", "move down"),
		More:   b([]string{"+", "=", "right", "l"}, "+/-", "minutes"),
		Less:   b([]string{"-", "_", "left", "h"}, "-", "fewer minutes"),
		Title:  b([]string{"e"}, "e", "title"),
		Note:   b([]string{"o"}, "o", "note"),
		Add:    b([]string{"a"}, "a", "add"),
		Remove: b([]string{"x"}, "x", "remove"),
		Save:   b([]string{"s"}, "s", "save as template"),
		Close:  b([]string{"tab", "esc", "q"}, "tab", "close"),
	}
}

func newAgendaScreen(v *session.View) agendaScreen {
	return agendaScreen{sel: max(v.Current, 0), keys: newAgendaKeys()}
}

// item returns the chosen item and its place, kept within the agenda as
// it changes.
func (a agendaScreen) item(v *session.View) (session.Activity, int) {
	i := min(max(a.sel, 0), len(v.Agenda)-1)
	return v.Agenda[i], i
}

func (a agendaScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	v := f.v
	item, i := a.item(v)
	a.sel = i
	switch a.mode {
	case agendaTitle, agendaNote, agendaSave:
		return a.formUpdate(f, msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return a, nil, true
	}
	keys := a.keys
	switch a.mode {
	case agendaRemove:
		a.mode = agendaBrowse
		if k.String() == "y" || k.String() == "Y" {
			return a, f.send(fmt.Sprintf("%q is off the agenda.", item.Title), session.RemoveActivity{Index: i}), true
		}
		f.setStatus(fmt.Sprintf("%q stays.", item.Title), false)
		return a, nil, true
	case agendaAdding:
		all := session.Kinds()
		switch {
		case key.Matches(k, keys.Up):
			a.kind = max(a.kind-1, 0)
		case key.Matches(k, keys.Down):
			a.kind = min(a.kind+1, len(all)-1)
		case key.Matches(k, keys.GoTo):
			a.mode = agendaBrowse
			kind := all[a.kind]
			a.sel = i + 1
			return a, f.send(fmt.Sprintf("Added %q after %q.", kind.Title, item.Title), session.AddActivity{At: i + 1, Of: kind.Kind}), true
		case k.String() == "esc":
			a.mode = agendaBrowse
		}
		return a, nil, true
	}
	// Browsing: moving and closing are for everyone, changes for
	// facilitators.
	switch {
	case key.Matches(k, keys.Up):
		a.sel = max(i-1, 0)
		return a, nil, true
	case key.Matches(k, keys.Down):
		a.sel = min(i+1, len(v.Agenda)-1)
		return a, nil, true
	case key.Matches(k, keys.Close):
		return a, nil, false
	}
	if !f.fac() {
		for _, b := range []key.Binding{keys.GoTo, keys.Raise, keys.Lower, keys.More, keys.Less, keys.Title, keys.Note, keys.Add, keys.Remove, keys.Save} {
			if key.Matches(k, b) {
				f.refuse()
				break
			}
		}
		return a, nil, true
	}
	switch {
	case key.Matches(k, keys.GoTo):
		if i == v.Current {
			f.setStatus(fmt.Sprintf("%q is under way already.", item.Title), false)
			return a, nil, true
		}
		return a, f.send(fmt.Sprintf("Moved to %q.", item.Title), session.GoTo{Index: i}), false
	case key.Matches(k, keys.Raise), key.Matches(k, keys.Lower):
		to := i - 1
		if key.Matches(k, keys.Lower) {
			to = i + 1
		}
		if to < 0 || to >= len(v.Agenda) {
			return a, nil, true
		}
		a.sel = to
		return a, f.send("", session.MoveActivity{From: i, To: to}), true
	case key.Matches(k, keys.More), key.Matches(k, keys.Less):
		by := time.Minute
		if key.Matches(k, keys.Less) {
			by = -by
		}
		return a, f.send("", session.AdjustActivityTime{Index: i, By: by}), true
	case key.Matches(k, keys.Title):
		a.mode = agendaTitle
		a.form = newForm(f.st, "Title:", "the activity's title", item.Title, session.MaxTitleLen, "save", "cancel")
	case key.Matches(k, keys.Note):
		a.mode = agendaNote
		a.form = newForm(f.st, "Note:", "what people see while it runs (empty for none)", item.Note, session.MaxNoteLen, "save", "cancel")
	case key.Matches(k, keys.Add):
		a.mode, a.kind = agendaAdding, 0
	case key.Matches(k, keys.Remove):
		if err := v.CanRemove(i); err != nil {
			f.setStatus(errText(err), true)
			return a, nil, true
		}
		a.mode = agendaRemove
		f.setStatus("", false)
	case key.Matches(k, keys.Save):
		a.mode = agendaSave
		// A meetup from a saved template offers its name, to save over it;
		// the built-in one cannot be replaced, so nothing is offered.
		name := v.Template
		if name == session.BuiltInTemplate {
			name = ""
		}
		a.form = newForm(f.st, "Template name:", "e.g. Monthly officers' meetup", name, session.MaxTemplateNameLen, "save the agenda as a template", "cancel")
	}
	return a, nil, true
}

func (a agendaScreen) formUpdate(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	_, i := a.item(f.v)
	form, done, cmd := a.form.update(msg)
	a.form = form
	switch done {
	case formCancelled:
		a.mode = agendaBrowse
		return a, nil, true
	case formEditing:
		return a, cmd, true
	}
	text := form.value()
	switch a.mode {
	case agendaTitle:
		title, err := session.CleanTitle(text)
		if err != nil {
			a.form.fail(err)
			return a, nil, true
		}
		a.mode = agendaBrowse
		return a, f.send("Title changed.", session.RetitleActivity{Index: i, Title: title}), true
	case agendaNote:
		note, err := session.CleanNote(text)
		if err != nil {
			a.form.fail(err)
			return a, nil, true
		}
		a.mode = agendaBrowse
		return a, f.send("Note changed.", session.SetActivityNote{Index: i, Note: note}), true
	case agendaSave:
		a.mode = agendaBrowse
		return a, f.saveTemplate(text), true
	}
	return a, nil, true
}

// plannedText says how long an item is planned for.
func plannedText(a session.Activity) string {
	if !a.Timed() {
		return "untimed"
	}
	if n, ok := a.State.(*session.Networking); ok && n.Rounds > 1 {
		return fmt.Sprintf("%d × %s", n.Rounds, minutes(a.Duration))
	}
	return minutes(a.Duration)
}

func minutes(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	if d >= time.Hour {
		return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d min", int(d.Minutes()))
}

func (a agendaScreen) view(f frame, w, h int) string {
	st := f.st
	v := f.v
	_, sel := a.item(v)
	var total time.Duration
	for _, x := range v.Agenda {
		total += x.Planned()
	}
	lines := []string{st.section.Render(trunc(fmt.Sprintf("Agenda · %s · %s planned", countOf(len(v.Agenda), "activity"), minutes(total)), w))}
	if a.mode == agendaAdding {
		return strings.Join(append(lines, a.kindList(f, w, h-1)...), "\n")
	}
	lines = append(lines, "")
	timeW := 14
	var rows []string
	for i, x := range v.Agenda {
		mark := "  "
		switch {
		case i == v.Current && !v.Ended():
			mark = "▶ "
		case x.Ran:
			mark = "✓ "
		}
		title := fmt.Sprintf("%d. %s", i+1, x.Title)
		planned := plannedText(x)
		titleW := max(w-4-timeW-1, 8)
		caret := "  "
		if i == sel {
			// Marked, not only coloured: a monochrome screen shows it too.
			caret = "› "
		}
		row := caret + mark + padRight(trunc(title, titleW), titleW) + " " + padLeft(planned, timeW)
		switch {
		case i == sel:
			row = st.selected.Render(trunc(row, w))
		case x.Ran && i != v.Current:
			row = st.dim.Render(trunc(row, w))
		default:
			row = trunc(row, w)
		}
		rows = append(rows, row)
	}
	item, _ := a.item(v)
	var end []string
	switch {
	case a.mode == agendaRemove:
		end = styledLines(st.warn, wrap(fmt.Sprintf("Remove %q? Press y to remove it.", item.Title), w))
	case !f.fac():
		end = styledLines(st.dim, wrap("The facilitators can change the agenda.", w))
	default:
		end = styledLines(st.dim, wrap("enter go to it · K/J move · +/- minutes · e title · o note · a add · x remove · s save as a template", w))
	}
	var note []string
	if item.Note != "" {
		note = strings.Split(wrap(item.Note, w), "\n")
	}
	// What gives way when the panel is short: first the note, then rows
	// far from the chosen one; the question and the keys always show.
	fixed := len(lines) + 2 + 1 + len(end)
	rowsRoom := min(len(rows), max(h-fixed, 3))
	lines = append(lines, windowRows(st, rows, sel, rowsRoom)...)
	lines = append(lines, "", st.strong.Render(trunc(item.Name()+": "+item.Title, w)))
	if noteRoom := h - fixed - rowsRoom; len(note) > noteRoom && noteRoom > 0 {
		note = append(note[:noteRoom-1:noteRoom-1], trunc(note[noteRoom-1]+" "+strings.Join(note[noteRoom:], " "), w))
	} else if noteRoom <= 0 {
		note = nil
	}
	lines = append(lines, styledLines(st.dim, strings.Join(note, "\n"))...)
	if len(note) == 0 {
		lines = lines[:len(lines)-1] // styledLines of nothing is one empty line
	}
	lines = append(lines, "")
	return strings.Join(append(lines, end...), "\n")
}

// kindList is the list of kinds of activity to add.
func (a agendaScreen) kindList(f frame, w, h int) []string {
	st := f.st
	lines := append(styledLines(st.dim, wrap("Add which kind of activity? enter adds it after the chosen one.", w)), "")
	for i, k := range session.Kinds() {
		row := "  " + k.Name
		if i == a.kind {
			row = st.selected.Render(trunc("▶ "+k.Name, w))
			lines = append(lines, row)
			for _, l := range strings.Split(wrap(k.About, max(w-4, 10)), "\n") {
				lines = append(lines, st.dim.Render("    "+l))
			}
			continue
		}
		lines = append(lines, trunc(row, w))
	}
	if len(lines) > h {
		lines = lines[:max(h, 1)]
	}
	return lines
}

func (a agendaScreen) footer(f frame, w int) []string {
	switch a.mode {
	case agendaTitle, agendaNote, agendaSave:
		return a.form.view(f.st, w)
	}
	return nil
}

func (a agendaScreen) help(f frame) []key.Binding {
	k := a.keys
	switch a.mode {
	case agendaTitle, agendaNote, agendaSave:
		return a.form.help()
	case agendaRemove:
		return []key.Binding{
			key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "remove it")),
			key.NewBinding(key.WithKeys("n"), key.WithHelp("any other key", "keep it")),
		}
	case agendaAdding:
		k.GoTo.SetHelp("enter", "add it")
		back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))
		return []key.Binding{k.Up, k.GoTo, back}
	}
	if !f.fac() {
		return []key.Binding{k.Up, k.Close}
	}
	// The rest are listed in the panel: a help bar this long would not
	// fit an 80-column window.
	return []key.Binding{k.Up, k.GoTo, k.Raise, k.More, k.Add, k.Close}
}

func (agendaScreen) modal(frame) bool { return true }

func padRight(s string, w int) string { return s + strings.Repeat(" ", max(w-cellWidth(s), 0)) }
func padLeft(s string, w int) string  { return strings.Repeat(" ", max(w-cellWidth(s), 0)) + s }
