package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// An activity's screen is one type in one file, made for its kind by the
// registry below: the root room model draws the frame (header, agenda,
// people, clock, status, help bar) and asks the current activity's screen
// for its panel, its keys and whether it takes every key now.
//
// Screens render only from the frame's View, a snapshot taken when the
// room changed: one update sees one version. They keep only what is this
// screen's own (a selection, a mode, a ballot being put together) and act
// through frame.send, which delivers commands to the room in the order
// they were made.
type activityScreen interface {
	// update handles a key, a paste or another message; handled is false
	// when the room's own keys should have the key.
	update(f frame, msg tea.Msg) (next activityScreen, cmd tea.Cmd, handled bool)
	// view draws the activity's panel in w x h cells.
	view(f frame, w, h int) string
	// footer returns lines to show above the status line (a text being
	// typed), or nil.
	footer(f frame, w int) []string
	// help returns the bindings that work on this screen now, for the
	// help bar.
	help(f frame) []key.Binding
	// modal reports whether the screen takes every key now (text being
	// typed, a question): the room's keys then do not work and are left
	// out of the help bar.
	modal(f frame) bool
}

// timeUpHinter is an activity screen that has its own line to show when
// the countdown reaches zero.
type timeUpHinter interface {
	timeUpHint(f frame) string
}

// screens makes the screen of each kind of activity; kinds not listed
// have the plain screen (their note).
var screens = map[session.Kind]func() activityScreen{
	session.KindNetworking: func() activityScreen { return newNetworkingScreen() },
	session.KindTopics:     func() activityScreen { return newTopicsScreen() },
	session.KindCircle:     func() activityScreen { return newCircleScreen() },
	session.KindOpenSpace:  func() activityScreen { return newOpenSpaceScreen() },
	session.KindClose:      func() activityScreen { return newCloseScreen() },
}

func newActivityScreen(k session.Kind) activityScreen {
	if mk, ok := screens[k]; ok {
		return mk()
	}
	return plainScreen{}
}

// frame is what an activity's screen is given: the snapshot to draw, the
// person's styles, and the means to act.
type frame struct {
	v     *session.View
	st    styles
	now   time.Time
	width int // the window's width, for text fields in the footer
	// send delivers a command to the room in its turn; what is the line
	// to show once it is done.
	send func(what string, cmd session.Command) tea.Cmd
	// sendSay is send for a command whose outcome the screen cannot know
	// (a toggle): say words the line from the room once it is done.
	sendSay func(cmd session.Command, say func(*session.View) string) tea.Cmd
	// setStatus shows a line to this person on the status line.
	setStatus func(text string, isErr bool)
	hub       *session.Hub
	room      *session.Room
	// ssh is how this person reaches the server ("ssh -p 2222 host"),
	// for the export hint; "" where unknown. keyless: they connected
	// without a key, so an SSH command cannot be theirs.
	ssh     string
	keyless bool
}

// saveTemplate saves the meetup's agenda as a template named name.
func (f frame) saveTemplate(name string) tea.Cmd {
	hub, room, me := f.hub, f.room, f.v.Me
	return func() tea.Msg {
		t, err := hub.SaveTemplate(me, room, name)
		if err != nil {
			return doneMsg{err: err}
		}
		return doneMsg{what: fmt.Sprintf("Saved this agenda as the template %q: choose it when you create a meetup.", t.Name)}
	}
}

// fac reports whether the person may run the meetup now.
func (f frame) fac() bool { return f.v.Facilitates() }

// refuse tells a participant who pressed a facilitator's key that it is
// not theirs to press. Session refuses the action itself; this is the
// line for keys that would open something first.
func (f frame) refuse() { f.setStatus(errText(session.ErrNotFacilitator), true) }

// name is a member's name, "you" for the person looking.
func (f frame) name(id session.PersonID) string {
	if id == f.v.Me {
		return "you"
	}
	return f.v.NameOf(id)
}

// plainScreen shows the activity's note: welcome, talk, break.
type plainScreen struct{}

func (s plainScreen) update(frame, tea.Msg) (activityScreen, tea.Cmd, bool) { return s, nil, false }
func (plainScreen) view(f frame, w, _ int) string {
	return wrap(f.v.Activity().Note, w)
}
func (plainScreen) footer(frame, int) []string { return nil }
func (plainScreen) help(frame) []key.Binding   { return nil }
func (plainScreen) modal(frame) bool           { return false }

// sharerLines say who is invited to be the problem sharer: named to those
// who may see authors, "you" to the invited, and otherwise unnamed.
func sharerLines(f frame, sharers []session.PersonID, w int) []string {
	st := f.st
	invited := false
	switch o := f.v.Own.(type) {
	case *session.VoteOwn:
		invited = o.Invited
	case *session.CircleOwn:
		invited = o.Invited
	}
	names := make([]string, len(sharers))
	for i, id := range sharers {
		names[i] = f.name(id)
		invited = invited || id == f.v.Me
	}
	var line string
	switch {
	case len(sharers) == 1 && sharers[0] == f.v.Me, len(sharers) == 0 && invited:
		line = "You suggested it and are invited to be the problem sharer."
	case len(sharers) == 1:
		line = names[0] + " suggested it and is invited to be the problem sharer."
	case len(sharers) > 1 && invited:
		line = capitalize(joinNames(names)) + " suggested it; either of you may be the problem sharer."
	case len(sharers) > 1:
		line = joinNames(names) + " suggested it; either may be the problem sharer."
	default:
		line = "Whoever suggested it is invited to be the problem sharer."
	}
	style := st.dim
	if invited {
		style = st.okText
	}
	return styledLines(style, wrap(line, w))
}

// outcomeLines sum up what the meetup came to so far: who took part, the
// rounds held, the topics raised and the one chosen.
func outcomeLines(f frame, w int) []string {
	st := f.st
	o := f.v.Outcomes()
	out := []string{st.section.Render("Outcomes")}
	parts := []string{countOf(o.People, "person") + " took part"}
	if o.People != 1 {
		parts[0] = fmt.Sprintf("%d people took part", o.People)
	}
	if o.Rounds > 0 {
		parts = append(parts, countOf(o.Rounds, "round")+" of networking")
	}
	if o.Topics > 0 {
		parts = append(parts, countOf(o.Topics, "topic")+" suggested")
	}
	out = append(out, wrap(strings.Join(parts, "; ")+".", w))
	if o.Chosen != "" {
		out = append(out, wrap(fmt.Sprintf("Chosen topic: %s", o.Chosen), w))
	}
	return append(out, "")
}
