package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// The actions overlay ("you said, we did"): everyone sees the meetup's
// actions, their own marked; facilitators and the note-taker add them
// from free text or from what the meetup produced (a useful idea, a first
// step, an open-space item), with an owner and an optional due date, and
// edit or remove them. It opens with A from any activity and closes with
// esc or A (handled false).

type actionsMode int

const (
	actList      actionsMode = iota
	actSources               // choosing what to make an action from
	actText                  // typing what will be done
	actOwner                 // choosing who will do it
	actOwnerName             // typing the name of someone not in the meetup
	actDue                   // typing when it is due
	actRemove                // asked to remove the chosen action
)

// actionDraft is an action being put together.
type actionDraft struct {
	id        int // the action edited, 0 for a new one
	text      string
	owner     session.PersonID
	ownerName string
	due       string
	from, ref string
}

type actionsScreen struct {
	mode     actionsMode
	sel      int
	srcSel   int
	ownerSel int
	input    form
	draft    actionDraft
	keys     actionKeys
}

type actionKeys struct {
	Select, Up, Down, Add, From, Edit, Remove, Close key.Binding
	Choose, Back, Yes, No                            key.Binding
}

func newActionsScreen() actionsScreen {
	b := bind
	return actionsScreen{keys: actionKeys{
		Select: b([]string{"up", "down"}, "↑/↓", "choose"),
		Up:     b([]string{"up", "k"}, "↑/k", "up"),
		Down:   b([]string{"down", "j"}, "↓/j", "down"),
		Add:    b([]string{"a"}, "a", "add"),
		From:   b([]string{"f"}, "f", "from an idea or item"),
		Edit:   b([]string{"e"}, "e", "edit"),
		Remove: b([]string{"x"}, "x", "remove"),
		Close:  b([]string{"esc", "A", "q"}, "esc", "close"),
		Choose: b([]string{"enter"}, "enter", "choose"),
		Back:   b([]string{"esc"}, "esc", "back"),
		Yes:    b([]string{"y", "Y"}, "y", "remove it"),
		No:     b([]string{"esc"}, "any other key", "keep it"),
	}}
}

func isActions(s activityScreen) bool {
	_, ok := s.(actionsScreen)
	return ok
}

// noting reports whether the viewer may record actions now.
func noting(f frame) bool { return f.v.Role.TakesNotes() && !f.v.Ended() }

// modeNow is the mode the overlay is really in: someone who may no longer
// record actions is back at the list.
func (a actionsScreen) modeNow(f frame) actionsMode {
	if a.mode != actList && !noting(f) {
		return actList
	}
	return a.mode
}

// owners are the rows of the owner choice: the members, then "someone
// else".
func owners(f frame) []session.Member { return orderedMembers(f.v.Meetup) }

func (a actionsScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	a.mode = a.modeNow(f)
	switch msg := msg.(type) {
	case tea.PasteMsg:
		switch a.mode {
		case actText, actOwnerName, actDue:
			return a.inputUpdate(f, msg)
		}
		return a, nil, true
	case tea.KeyPressMsg:
		switch a.mode {
		case actText, actOwnerName, actDue:
			return a.inputUpdate(f, msg)
		case actSources:
			return a.sourcesKey(f, msg)
		case actOwner:
			return a.ownerKey(f, msg)
		case actRemove:
			a.mode = actList
			if key.Matches(msg, a.keys.Yes) && a.sel < len(f.v.Actions) {
				return a, f.send("Action removed.", session.RemoveAction{ID: f.v.Actions[a.sel].ID}), true
			}
			f.setStatus("The action stays.", false)
			return a, nil, true
		}
		return a.listKey(f, msg)
	}
	return a, nil, true
}

func (a actionsScreen) listKey(f frame, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := a.keys
	acts := f.v.Actions
	switch {
	case key.Matches(msg, k.Close):
		return a, nil, false
	case key.Matches(msg, k.Up):
		a.sel = max(a.sel-1, 0)
		return a, nil, true
	case key.Matches(msg, k.Down):
		a.sel = min(a.sel+1, max(len(acts)-1, 0))
		return a, nil, true
	case key.Matches(msg, k.Add), key.Matches(msg, k.From), key.Matches(msg, k.Edit), key.Matches(msg, k.Remove):
	default:
		return a, nil, true
	}
	if !noting(f) {
		err := session.ErrNotNoteTaker
		if f.v.Ended() {
			err = session.ErrEnded
		}
		f.setStatus(errText(err), true)
		return a, nil, true
	}
	f.setStatus("", false)
	switch {
	case key.Matches(msg, k.Add):
		a.draft = actionDraft{}
		a.openInput(f, actText, "")
	case key.Matches(msg, k.From):
		if len(f.v.ActionSources()) == 0 {
			f.setStatus("There is nothing to make an action from yet: no useful ideas, first steps or open-space items that are not actions already. Press a for free text.", true)
			return a, nil, true
		}
		a.mode, a.srcSel = actSources, 0
	case len(acts) == 0:
		f.setStatus("There are no actions yet: press a to add one.", true)
	case key.Matches(msg, k.Edit):
		act := acts[min(a.sel, len(acts)-1)]
		due := ""
		if !act.Due.IsZero() {
			due = act.Due.Format("2006-01-02")
		}
		a.draft = actionDraft{id: act.ID, owner: act.Owner, ownerName: act.OwnerName, due: due}
		a.openInput(f, actText, act.Text)
	case key.Matches(msg, k.Remove):
		a.sel = min(a.sel, len(acts)-1)
		a.mode = actRemove
	}
	return a, nil, true
}

func (a actionsScreen) sourcesKey(f frame, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := a.keys
	srcs := f.v.ActionSources()
	switch {
	case key.Matches(msg, k.Up):
		a.srcSel = max(a.srcSel-1, 0)
	case key.Matches(msg, k.Down):
		a.srcSel = min(a.srcSel+1, max(len(srcs)-1, 0))
	case key.Matches(msg, k.Choose):
		if len(srcs) == 0 {
			a.mode = actList
			return a, nil, true
		}
		s := srcs[min(a.srcSel, len(srcs)-1)]
		a.draft = actionDraft{owner: s.Owner, from: s.From, ref: s.Ref}
		if !s.Due.IsZero() {
			a.draft.due = s.Due.Format("2006-01-02")
		}
		a.openInput(f, actText, s.Text)
	case key.Matches(msg, k.Back):
		a.mode = actList
	}
	return a, nil, true
}

func (a actionsScreen) ownerKey(f frame, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := a.keys
	mems := owners(f)
	switch {
	case key.Matches(msg, k.Up):
		a.ownerSel = max(a.ownerSel-1, 0)
	case key.Matches(msg, k.Down):
		a.ownerSel = min(a.ownerSel+1, len(mems))
	case key.Matches(msg, k.Choose):
		if a.ownerSel >= len(mems) {
			name := a.draft.ownerName
			if a.draft.owner != "" {
				name = ""
			}
			a.openInput(f, actOwnerName, name)
			return a, nil, true
		}
		a.draft.owner, a.draft.ownerName = mems[a.ownerSel].ID, ""
		a.openInput(f, actDue, a.draft.due)
	case key.Matches(msg, k.Back):
		a.openInput(f, actText, a.draft.text)
	}
	return a, nil, true
}

// openInput opens the field for the text, a name or the due date.
func (a *actionsScreen) openInput(f frame, mode actionsMode, value string) {
	a.mode = mode
	switch mode {
	case actText:
		a.input = newForm(f.st, "Action", "what will be done", value, session.MaxActionLen, "next: who", "cancel")
	case actOwnerName:
		a.input = newForm(f.st, "Owner", "the name of who will do it", value, session.MaxNameLen, "next: when", "back")
	case actDue:
		a.input = newForm(f.st, "Due", "tomorrow, friday, in 3 days, 2w, 2026-12-24 or empty", value, 0, "save the action", "back")
	}
}

func (a actionsScreen) inputUpdate(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	in, done, cmd := a.input.update(msg)
	a.input = in
	switch done {
	case formCancelled:
		switch a.mode {
		case actText:
			a.mode = actList
			f.setStatus("", false)
		case actOwnerName, actDue:
			a.mode = actOwner
		}
		return a, nil, true
	case formSubmitted:
		switch a.mode {
		case actText:
			text := session.CleanText(in.value())
			if err := checkField("the action", text, session.MaxActionLen); err != nil {
				a.input.fail(err)
				return a, nil, true
			}
			a.draft.text = text
			a.mode, a.ownerSel = actOwner, len(owners(f))
			for i, m := range owners(f) {
				if m.ID == a.draft.owner {
					a.ownerSel = i
				}
			}
			if a.draft.owner == "" && a.draft.ownerName == "" {
				a.ownerSel = 0
			}
		case actOwnerName:
			name, err := session.CleanName(in.value())
			if err != nil {
				a.input.fail(fmt.Errorf("the owner's %w", err))
				return a, nil, true
			}
			a.draft.owner, a.draft.ownerName = "", name
			a.openInput(f, actDue, a.draft.due)
		case actDue:
			due, err := session.ParseDue(in.value(), f.now)
			if err != nil {
				a.input.fail(err)
				return a, nil, true
			}
			a.draft.due = in.value()
			a.mode = actList
			return a, a.save(f, due.IsZero()), true
		}
		return a, nil, true
	}
	return a, cmd, true
}

// checkField is session's rule for typed text: not empty, not too long.
func checkField(what, text string, limit int) error {
	if text == "" {
		return fmt.Errorf("%s: %w", what, session.ErrEmptyText)
	}
	return session.CheckLen(what, text, limit)
}

// save sends the draft as a new action or an edit.
func (a actionsScreen) save(f frame, noDue bool) tea.Cmd {
	d := a.draft
	who := d.ownerName
	if d.owner != "" {
		who = f.name(d.owner)
	}
	when := "no due date"
	if !noDue {
		when = "due " + d.due
	}
	if d.id != 0 {
		return f.send(fmt.Sprintf("Action %d saved: %s, %s.", d.id, who, when),
			session.EditAction{ID: d.id, Text: d.text, Owner: d.owner, OwnerName: d.ownerName, Due: d.due})
	}
	return f.send(fmt.Sprintf("Action added for %s, %s.", who, when),
		session.AddAction{Text: d.text, Owner: d.owner, OwnerName: d.ownerName, Due: d.due, From: d.from, Ref: d.ref})
}

func (a actionsScreen) footer(f frame, w int) []string {
	switch a.modeNow(f) {
	case actText, actOwnerName, actDue:
		return a.input.view(f.st, w)
	}
	return nil
}

func (a actionsScreen) help(f frame) []key.Binding {
	k := a.keys
	switch a.modeNow(f) {
	case actText, actOwnerName, actDue:
		return a.input.help()
	case actSources:
		k.Choose.SetHelp("enter", "make it an action")
		return []key.Binding{k.Select, k.Choose, k.Back}
	case actOwner:
		k.Choose.SetHelp("enter", "this person")
		return []key.Binding{k.Select, k.Choose, k.Back}
	case actRemove:
		return []key.Binding{k.Yes, k.No}
	}
	var out []key.Binding
	if noting(f) {
		out = append(out, k.Add, k.From)
		if len(f.v.Actions) > 0 {
			out = append(out, k.Edit, k.Remove)
		}
	}
	if len(f.v.Actions) > 1 {
		out = append(out, k.Select)
	}
	return append(out, k.Close)
}

func (a actionsScreen) modal(frame) bool { return true }

// view draws the list, or the step of an action being put together.
func (a actionsScreen) view(f frame, w, h int) string {
	st := f.st
	acts := f.v.Actions
	mine := len(f.v.OpenActionsOf(f.v.Me))
	head := fmt.Sprintf("Actions · %d · you said, we did", len(acts))
	lines := []string{st.section.Render(trunc(head, w))}
	switch a.modeNow(f) {
	case actSources:
		lines = append(lines, st.dim.Render(trunc("Make an action from:", w)), "")
		srcs := f.v.ActionSources()
		var rows []string
		for i, s := range srcs {
			r := trunc(s.Text, w-2)
			from := st.dim.Render(trunc("  "+s.From, w-2))
			if i == a.srcSel {
				rows = append(rows, st.selected.Render("▶ "+r), "  "+from)
			} else {
				rows = append(rows, "  "+r, "  "+from)
			}
		}
		return strings.Join(append(lines, windowRows(st, rows, a.srcSel*2+1, h-len(lines))...), "\n")
	case actText, actOwner, actOwnerName, actDue:
		lines = append(lines, a.draftLines(f, w)...)
		if a.modeNow(f) == actOwner {
			lines = append(lines, "", st.strong.Render("Who will do it?"))
			var rows []string
			mems := owners(f)
			for i, m := range mems {
				rows = append(rows, pickRow(st, m.Name, i == a.ownerSel, w))
			}
			rows = append(rows, pickRow(st, "Someone else: type a name", a.ownerSel == len(mems), w))
			lines = append(lines, windowRows(st, rows, a.ownerSel, h-len(lines))...)
		}
		return strings.Join(lines, "\n")
	case actRemove:
		act := acts[min(a.sel, len(acts)-1)]
		lines = append(lines, styledLines(st.warn, wrap(fmt.Sprintf("Remove action %d, %q? Press y to remove it.", act.ID, act.Text), w))...)
	default:
		switch {
		case mine > 0:
			lines = append(lines, st.okText.Render(trunc(fmt.Sprintf("★ %s yours.", areYours(mine)), w)))
		case noting(f) && len(acts) == 0:
			lines = append(lines, styledLines(st.dim, wrap("Press a to add an action, or f to make one from a useful idea, a first step or an open-space item.", w))...)
		}
	}
	lines = append(lines, "")
	if len(acts) == 0 {
		return strings.Join(append(lines, st.dim.Render(trunc("No actions yet.", w))), "\n")
	}
	var rows []string
	sel := min(a.sel, len(acts)-1)
	for i, act := range acts {
		rows = append(rows, actionRows(f, act, i == sel, w)...)
	}
	return strings.Join(append(lines, windowRows(st, rows, sel*2+1, h-len(lines))...), "\n")
}

// draftLines show the action being put together so far.
func (a actionsScreen) draftLines(f frame, w int) []string {
	st := f.st
	d := a.draft
	title := "New action"
	if d.id != 0 {
		title = fmt.Sprintf("Editing action %d", d.id)
	}
	lines := []string{st.strong.Render(title)}
	if d.from != "" {
		lines = append(lines, st.dim.Render(trunc("From: "+d.from, w)))
	}
	if d.text != "" && a.mode != actText {
		lines = append(lines, trunc("What: "+d.text, w))
	}
	if a.mode == actDue {
		who := d.ownerName
		if d.owner != "" {
			who = f.v.NameOf(d.owner)
		}
		lines = append(lines, trunc("Who: "+who, w))
	}
	return lines
}

func pickRow(st styles, text string, sel bool, w int) string {
	if sel {
		return st.selected.Render(trunc("▶ "+text, w))
	}
	return trunc("  "+text, w)
}

// actionRows draw one action in two lines: what, then who, when and
// where it came from; the viewer's own marked.
func actionRows(f frame, act session.Action, sel bool, w int) []string {
	st := f.st
	lead := "  "
	if sel {
		lead = "▶ "
	}
	text := fmt.Sprintf("%d. %s", act.ID, act.Text)
	first := trunc(lead+text, w)
	if sel {
		first = st.selected.Render(first)
	}
	var parts []string
	if act.Owner != "" && act.Owner == f.v.Me {
		parts = append(parts, "★ yours")
	} else {
		parts = append(parts, act.OwnerName)
	}
	if due := act.DueText(); due != "" {
		parts = append(parts, "due "+due)
	}
	if act.Status != session.ActionOpen && act.Status != "" {
		parts = append(parts, string(act.Status))
	}
	if act.From != "" {
		parts = append(parts, "from "+act.From)
	}
	second := "    " + strings.Join(parts, " · ")
	if act.Owner != "" && act.Owner == f.v.Me {
		return []string{first, st.okText.Render(trunc(second, w))}
	}
	return []string{first, st.dim.Render(trunc(second, w))}
}

// areYours says "1 action is" or "3 actions are" yours.
func areYours(n int) string {
	if n == 1 {
		return "1 action is"
	}
	return fmt.Sprintf("%d actions are", n)
}

// actionsMarker is the line on the main screen of someone who owns open
// actions, or "".
func actionsMarker(f frame, w int) string {
	n := len(f.v.OpenActionsOf(f.v.Me))
	if n == 0 {
		return ""
	}
	return f.st.okText.Render(trunc(fmt.Sprintf("★ %s yours · press A to see them", areYours(n)), w))
}
