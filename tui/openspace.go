package tui

import (
	"errors"
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// Open space: anyone posts an item, people +1 the ones they want to hear,
// facilitators order the queue, give the floor to one item and note what
// was said. The rules live in session.OpenSpace; this file holds one
// screen's state and keys, openspace_view.go draws it.

type openMode int

const (
	openBrowse   openMode = iota
	openTyping            // the item's one line
	openDetail            // its optional detail
	openNoting            // a note on the chosen item
	openWithdraw          // the author asked to withdraw their item
)

// openSpaceScreen is one screen's state of open space.
type openSpaceScreen struct {
	mode  openMode
	input form
	// text is the item's line while its detail is typed.
	text string
	// target is the item being noted or withdrawn.
	target string
	// sel is the chosen item, selAt its row, so that the choice stays
	// near when the item goes.
	sel   string
	selAt int
	keys  openKeys
}

func newOpenSpaceScreen() openSpaceScreen { return openSpaceScreen{keys: newOpenKeys()} }

type openKeys struct {
	Post, PlusOne, Withdraw, Select, Up, Down key.Binding
	Floor, Sort, Move, Raise, Lower, Note     key.Binding
	Yes, No                                   key.Binding
}

func newOpenKeys() openKeys {
	b := bind
	return openKeys{
		Post:     b([]string{"i"}, "i", "raise an item"),
		PlusOne:  b([]string{"v", "enter"}, "v", "+1"),
		Withdraw: b([]string{"x"}, "x", "withdraw mine"),
		Select:   b([]string{"up", "down"}, "↑/↓", "choose"),
		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		Floor:    b([]string{"f"}, "f", "give the floor"),
		Sort:     b([]string{"s"}, "s", "sort by votes"),
		Move:     b([]string{"K", "J", "shift+up", "shift+down"}, "K/J", "move up/down"),
		Raise:    b([]string{"K", "shift+up"}, "K", "move up"),
		Lower:    b([]string{"J", "shift+down"}, "J", "move down"),
		Note:     b([]string{"o"}, "o", "add a note"),
		Yes:      b([]string{"y", "Y"}, "y", "withdraw it"),
		No:       b([]string{"esc"}, "any other key", "keep it"),
	}
}

// openOf returns the current activity's open-space state (empty when it
// has none yet).
func openOf(v *session.View) *session.OpenSpace {
	if s, ok := v.Activity().State.(*session.OpenSpace); ok {
		return s
	}
	return &session.OpenSpace{}
}

func openOwnOf(v *session.View) *session.OpenOwn {
	o, _ := v.Own.(*session.OpenOwn)
	return o
}

// modeNow is the mode this screen is really in: a mode about an item
// lapses when the item goes, a note when the person may no longer write
// one.
func (o openSpaceScreen) modeNow(f frame) openMode {
	if f.v.Ended() {
		return openBrowse
	}
	s := openOf(f.v)
	it, ok := s.Item(o.target)
	live := ok && !it.Withdrawn
	switch o.mode {
	case openNoting:
		if live && f.v.Role.TakesNotes() {
			return o.mode
		}
		return openBrowse
	case openWithdraw:
		if live {
			return o.mode
		}
		return openBrowse
	}
	return o.mode
}

func (o openSpaceScreen) modal(f frame) bool { return o.modeNow(f) != openBrowse }

// rows are the queue's items as the panel lists them.
func (o openSpaceScreen) rows(f frame) []session.OpenItem { return openOf(f.v).Queue() }

func (o openSpaceScreen) selIndex(rows []session.OpenItem) int {
	if len(rows) == 0 {
		return -1
	}
	if i := slices.IndexFunc(rows, func(it session.OpenItem) bool { return it.ID == o.sel }); i >= 0 {
		return i
	}
	return min(max(o.selAt, 0), len(rows)-1)
}

func (o *openSpaceScreen) selectRow(rows []session.OpenItem, i int) {
	if len(rows) == 0 {
		return
	}
	i = min(max(i, 0), len(rows)-1)
	o.sel, o.selAt = rows[i].ID, i
}

// selected is the chosen item, if the queue has any.
func (o openSpaceScreen) selected(f frame) (session.OpenItem, bool) {
	rows := o.rows(f)
	if i := o.selIndex(rows); i >= 0 {
		return rows[i], true
	}
	return session.OpenItem{}, false
}

// openPostFailed is a post the room refused: it goes back into the field.
type openPostFailed struct {
	text, detail string
	err          error
}

func (o openSpaceScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	if f.v.Ended() {
		return o, nil, false
	}
	o.mode = o.modeNow(f)
	switch msg := msg.(type) {
	case openPostFailed:
		f.setStatus(errText(msg.err), true)
		if o.mode == openBrowse {
			o.text = msg.text
			o.openInput(f, openTyping, msg.text)
			o.input.fail(msg.err)
		}
		return o, nil, true
	case tea.PasteMsg:
		if o.mode == openTyping || o.mode == openDetail || o.mode == openNoting {
			return o.inputUpdate(f, msg)
		}
		return o, nil, false
	case tea.KeyPressMsg:
		switch o.mode {
		case openTyping, openDetail, openNoting:
			return o.inputUpdate(f, msg)
		case openWithdraw:
			o.mode = openBrowse
			if key.Matches(msg, o.keys.Yes) {
				return o, f.send("Your item is withdrawn.", session.WithdrawOpenItem{Item: o.target}), true
			}
			f.setStatus("Your item stays on the list.", false)
			return o, nil, true
		}
		return o.browseKey(f, msg)
	}
	return o, nil, false
}

func (o openSpaceScreen) browseKey(f frame, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := o.keys
	s := openOf(f.v)
	rows := o.rows(f)
	it, has := o.selected(f)
	if !f.fac() {
		for _, b := range []key.Binding{k.Floor, k.Sort, k.Move} {
			if key.Matches(msg, b) {
				f.refuse()
				return o, nil, true
			}
		}
	}
	need := func() bool {
		if !has {
			f.setStatus("There is no item to choose yet: press i to raise one.", true)
		}
		return has
	}
	switch {
	case key.Matches(msg, k.Raise):
		if need() {
			return o, f.send("Moved up.", session.MoveOpenItem{Item: it.ID, By: -1}), true
		}
	case key.Matches(msg, k.Lower):
		if need() {
			return o, f.send("Moved down.", session.MoveOpenItem{Item: it.ID, By: 1}), true
		}
	case key.Matches(msg, k.Up):
		o.selectRow(rows, o.selIndex(rows)-1)
	case key.Matches(msg, k.Down):
		o.selectRow(rows, o.selIndex(rows)+1)
	case key.Matches(msg, k.Post):
		f.setStatus("", false)
		o.openInput(f, openTyping, "")
	case key.Matches(msg, k.PlusOne):
		if !need() {
			return o, nil, true
		}
		id := it.ID
		return o, f.sendSay(session.PlusOne{Item: id}, func(v *session.View) string {
			if openOwnOf(v).HasVoted(id) {
				return "Your +1 is in. Press v again to take it back."
			}
			return "Your +1 is taken back."
		}), true
	case key.Matches(msg, k.Withdraw):
		if !need() {
			return o, nil, true
		}
		if err := it.CanWithdraw(f.v.Me); err != nil {
			f.setStatus(errText(err), true)
			return o, nil, true
		}
		o.target, o.mode = it.ID, openWithdraw
	case key.Matches(msg, k.Floor):
		if !need() {
			return o, nil, true
		}
		if s.Floor == it.ID {
			return o, f.send("The floor is open again.", session.GiveItemFloor{}), true
		}
		return o, f.send(fmt.Sprintf("%q has the floor.", trunc(it.Text, 50)), session.GiveItemFloor{Item: it.ID}), true
	case key.Matches(msg, k.Sort):
		what := "The queue is sorted by +1s, most first."
		if s.ByVotes {
			what = "The queue keeps this order; move items with K and J."
		}
		return o, f.send(what, session.SortOpenItems{ByVotes: !s.ByVotes}), true
	case key.Matches(msg, k.Note):
		if !f.v.Role.TakesNotes() || f.v.Ended() {
			f.setStatus(errText(session.ErrNotNoteTaker), true)
			return o, nil, true
		}
		if need() {
			o.target = it.ID
			f.setStatus("", false)
			o.openInput(f, openNoting, "")
		}
	default:
		return o, nil, false
	}
	return o, nil, true
}

// openInput opens the field for an item's line, its detail or a note.
func (o *openSpaceScreen) openInput(f frame, mode openMode, value string) {
	o.mode = mode
	switch mode {
	case openTyping:
		o.input = newForm(f.st, "Your item", "one line for the whole group", value, session.MaxOpenItemLen, "next: detail", "cancel")
	case openDetail:
		o.input = newForm(f.st, "Detail", "optional: a sentence more (enter to skip)", value, session.MaxOpenDetailLen, "post it", "cancel")
	case openNoting:
		o.input = newForm(f.st, "Note", "what was said or agreed", value, session.MaxOpenNoteLen, "add the note", "cancel")
	}
}

func (o openSpaceScreen) inputUpdate(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	in, done, cmd := o.input.update(msg)
	o.input = in
	s := openOf(f.v)
	switch done {
	case formCancelled:
		o.mode = openBrowse
		f.setStatus("", false)
		return o, nil, true
	case formSubmitted:
		switch o.mode {
		case openTyping:
			text, _, err := s.CheckPost(f.v.Me, in.value(), "")
			if err != nil {
				o.input.fail(err)
				return o, nil, true
			}
			o.text = text
			o.openInput(f, openDetail, "")
			return o, nil, true
		case openDetail:
			text, detail, err := s.CheckPost(f.v.Me, o.text, in.value())
			if err != nil {
				o.input.fail(err)
				return o, nil, true
			}
			o.mode = openBrowse
			return o, o.post(f, text, detail), true
		case openNoting:
			note, err := session.CheckNote(in.value())
			if err != nil {
				o.input.fail(err)
				return o, nil, true
			}
			o.mode = openBrowse
			return o, f.send("Note added.", session.AddOpenNote{Item: o.target, Text: note}), true
		}
	}
	return o, cmd, true
}

// post sends an item; if the room refuses it, it comes back to the field.
func (o openSpaceScreen) post(f frame, text, detail string) tea.Cmd {
	send := f.send(fmt.Sprintf("Posted %q: it is on every screen.", trunc(text, 40)), session.PostOpenItem{Text: text, Detail: detail})
	return func() tea.Msg {
		msg := send()
		if d, ok := msg.(doneMsg); ok && d.err != nil && !errors.Is(d.err, errTooFast) {
			return openPostFailed{text: text, detail: detail, err: d.err}
		}
		return msg
	}
}

func (o openSpaceScreen) help(f frame) []key.Binding {
	if f.v.Ended() {
		return nil
	}
	k := o.keys
	switch o.modeNow(f) {
	case openTyping, openDetail, openNoting:
		return o.input.help()
	case openWithdraw:
		return []key.Binding{k.Yes, k.No}
	}
	s := openOf(f.v)
	it, has := o.selected(f)
	out := []key.Binding{k.Post}
	if !has {
		return out
	}
	if openOwnOf(f.v).HasVoted(it.ID) {
		k.PlusOne.SetHelp("v", "take back +1")
	}
	if it.Author != f.v.Me {
		out = append(out, k.PlusOne)
	}
	if f.fac() {
		if s.Floor == it.ID {
			k.Floor.SetHelp("f", "end its turn")
		}
		out = append(out, k.Floor)
	}
	out = append(out, k.Select)
	if f.v.Role.TakesNotes() {
		out = append(out, k.Note)
	}
	if f.fac() {
		if s.ByVotes {
			k.Sort.SetHelp("s", "order by hand")
		}
		out = append(out, k.Sort, k.Move)
	}
	if it.CanWithdraw(f.v.Me) == nil {
		out = append(out, k.Withdraw)
	}
	return out
}

func (o openSpaceScreen) footer(f frame, w int) []string {
	switch o.modeNow(f) {
	case openTyping, openDetail, openNoting:
		return o.input.view(f.st, w)
	}
	return nil
}
