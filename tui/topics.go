package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// The topics activity: everyone suggests topics, then votes; the winner is
// carried into the solution circle. The state lives in session.Vote; this
// file holds one screen's view of it and its keys.
//
// Ballot secrecy is a property of this file: a screen shows a person's
// choices only to that person. Others (facilitators included) see whether
// someone has voted, never how; tallies appear before voting closes only
// when a facilitator turned live results on.

// topicsMode is what the topics panel is doing on this screen.
type topicsMode int

const (
	topicsBrowse        topicsMode = iota
	topicsTyping                   // writing a new suggestion
	topicsEditing                  // a facilitator rewriting a topic
	topicsConfirmRemove            // a facilitator asked to remove a topic
	topicsMerging                  // a facilitator chose a topic to merge into another
	topicsOptions                  // a facilitator setting up the vote
	topicsConfirmStop              // a facilitator asked to cancel the open vote
)

// topicsState is one screen's state of the topics activity.
type topicsState struct {
	mode     topicsMode
	input    textinput.Model
	hasIn    bool       // input has been made
	inputFor topicsMode // what it was made for: typing or editing
	unsent   string     // a suggestion put aside while editing a topic
	target   string     // the topic being edited, removed or merged
	// sel is the selected topic, selAt its row, so that the selection
	// stays near when the topic goes.
	sel   string
	selAt int
	opt   int // the selected row of the vote options
	// want are the rules last asked for in the options, which the room
	// may not have applied yet.
	want *vote.Rules
	// last is the last suggestion sent: ↑ in an empty input brings it back.
	last string
	// draft is this person's ballot being put together for the poll named
	// by draftFor; it is sent with enter. Another poll starts from the
	// ballot already cast.
	draftFor string
	draft    vote.Ballot
}

// topicKeys are the bindings of the topics activity. Matching uses them
// all; the help bar shows the ones that work for this person now.
type topicKeys struct {
	Suggest, Select, Up, Down                    key.Binding
	Edit, Remove, Merge, MergeHere, Options      key.Binding
	Authors, Results, Start, Close, Stop         key.Binding
	Add, Take, Move, Raise, Lower, Cast, Undo    key.Binding
	Pick, Runoff, Reopen, Submit, Cancel, Recall key.Binding
	Yes, No, Change, Done                        key.Binding
}

func newTopicKeys() topicKeys {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return topicKeys{
		Suggest:   b([]string{"t"}, "t", "suggest a topic"),
		Select:    b([]string{"up", "down"}, "↑/↓", "choose topic"),
		Up:        b([]string{"up", "k"}, "↑/k", "up"),
		Down:      b([]string{"down", "j"}, "↓/j", "down"),
		Edit:      b([]string{"e"}, "e", "edit"),
		Remove:    b([]string{"x"}, "x", "remove"),
		Merge:     b([]string{"M"}, "M", "merge"),
		MergeHere: b([]string{"enter", "M"}, "enter", "merge into this one"),
		Options:   b([]string{"o"}, "o", "vote options"),
		Authors:   b([]string{"A"}, "A", "show authors"),
		Results:   b([]string{"R"}, "R", "show results"),
		Start:     b([]string{"v"}, "v", "start voting"),
		Close:     b([]string{"c"}, "c", "close voting"),
		Stop:      b([]string{"b"}, "b", "back to suggestions"),
		Add:       b([]string{"right", "l"}, "→", "add a dot"),
		Take:      b([]string{"left", "h"}, "←", "take a dot off"),
		Move:      b([]string{"K", "J", "shift+up", "shift+down"}, "K/J", "move up/down"),
		Raise:     b([]string{"K", "shift+up"}, "K", "move up"),
		Lower:     b([]string{"J", "shift+down"}, "J", "move down"),
		Cast:      b([]string{"enter"}, "enter", "cast your vote"),
		Undo:      b([]string{"esc"}, "esc", "undo changes"),
		Pick:      b([]string{"enter"}, "enter", "choose this topic"),
		Runoff:    b([]string{"u"}, "u", "runoff"),
		Reopen:    b([]string{"v"}, "v", "reopen voting"),
		Submit:    b([]string{"enter"}, "enter", "add topic"),
		Cancel:    b([]string{"esc"}, "esc", "close"),
		Recall:    b([]string{"up"}, "↑", "last topic again"),
		Yes:       b([]string{"y", "Y"}, "y", "yes"),
		No:        b([]string{"esc"}, "any other key", "no"),
		Change:    b([]string{"left", "right", "h", "l"}, "←/→", "change"),
		Done:      b([]string{"esc", "enter", "o"}, "esc", "done"),
	}
}

// optionRows are the rows of the vote options.
const (
	optMethod = iota
	optDots
	optPerTopic
	optResults
	optAuthors
	optCount
)

// voteOf returns the current activity's vote state; a topics activity
// where nothing happened yet has the defaults.
func voteOf(s *session.Meetup) *session.Vote {
	if v := s.Activity().Vote; v != nil {
		return v
	}
	return session.NewVote()
}

func (m *model) setStatus(text string, isErr bool) {
	m.room.status, m.room.statusErr = text, isErr
}

// topicsModeNow is the mode this screen is really in: a facilitator's
// mode lapses when the phase it was for has passed or the person is no
// longer a facilitator.
func (m model) topicsModeNow(s *session.Meetup, v *session.Vote) topicsMode {
	ts := m.room.topics
	fac := s.RoleOf(m.me.ID).Facilitates()
	ph := v.CurrentPhase()
	_, targetOK := v.Topic(ts.target)
	switch ts.mode {
	case topicsTyping:
		// The input closes when suggestions do, so that the keys vote;
		// text not yet sent is kept (and said so on the panel).
		if ph == session.PhaseSuggesting {
			return ts.mode
		}
	case topicsEditing, topicsConfirmRemove, topicsMerging:
		if fac && ph == session.PhaseSuggesting && targetOK {
			return ts.mode
		}
	case topicsOptions:
		if fac {
			return ts.mode
		}
	case topicsConfirmStop:
		if fac && ph == session.PhaseVoting {
			return ts.mode
		}
	}
	return topicsBrowse
}

// topicsModal reports whether the topics activity takes every key on this
// screen now (typing, a question, the options): the room's keys then do
// not work and are left out of the help bar.
func (m model) topicsModal(s *session.Meetup) bool {
	return s.Activity().Kind == session.KindTopics && !s.Ended() && m.topicsModeNow(s, voteOf(s)) != topicsBrowse
}

// pollKey names the poll a draft ballot belongs to.
func pollKey(s *session.Meetup, v *session.Vote) string {
	p, _ := v.Poll()
	return fmt.Sprintf("%s/%d/%d", s.ID, s.Current, p.N)
}

// myBallot returns the ballot this screen shows its person: the draft
// being put together, or the one cast. changed is true when the draft
// differs from what was cast.
func (m model) myBallot(s *session.Meetup, v *session.Vote) (b vote.Ballot, cast vote.Ballot, changed bool) {
	p, ok := v.Poll()
	if !ok {
		return nil, nil, false
	}
	cast = p.Ballot(m.me.ID)
	ts := m.room.topics
	if ts.draftFor == pollKey(s, v) {
		return slices.Clone(ts.draft), cast, !slices.Equal(ts.draft, cast)
	}
	return slices.Clone(cast), cast, false
}

// topicRows lists the topic ids in the order the panel shows them now.
func (m model) topicRows(s *session.Meetup, v *session.Vote) []string {
	var ids []string
	switch v.CurrentPhase() {
	case session.PhaseSuggesting:
		for _, t := range v.TopicList() {
			ids = append(ids, t.ID)
		}
	case session.PhaseVoting:
		p, _ := v.Poll()
		if p.Method == vote.Ranked {
			b, _, _ := m.myBallot(s, v)
			ids = append(ids, b...)
			for _, id := range p.Topics {
				if !slices.Contains(b, id) {
					ids = append(ids, id)
				}
			}
		} else {
			ids = slices.Clone(p.Topics)
		}
	case session.PhaseClosed:
		p, _ := v.Poll()
		if p.Result != nil {
			ids = p.Result.Ordered()
		}
	}
	return ids
}

// selIndex is the row of the selected topic in rows.
func (m model) selIndex(rows []string) int {
	if len(rows) == 0 {
		return -1
	}
	if i := slices.Index(rows, m.room.topics.sel); i >= 0 {
		return i
	}
	return min(max(m.room.topics.selAt, 0), len(rows)-1)
}

func (m *model) selectRow(rows []string, i int) {
	if len(rows) == 0 {
		return
	}
	i = min(max(i, 0), len(rows)-1)
	m.room.topics.sel, m.room.topics.selAt = rows[i], i
}

func (m model) selected(s *session.Meetup, v *session.Vote) string {
	rows := m.topicRows(s, v)
	if i := m.selIndex(rows); i >= 0 {
		return rows[i]
	}
	return ""
}

// ---- keys ----

func (m model) topicsKey(s *session.Meetup, msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	if s.Ended() {
		return m, nil, false
	}
	v := voteOf(s)
	ts := &m.room.topics
	k := newTopicKeys()
	ts.mode = m.topicsModeNow(s, v)
	rows := m.topicRows(s, v)
	sel := m.selected(s, v)

	switch ts.mode {
	case topicsTyping, topicsEditing:
		return m.topicsInputKey(s, v, msg)
	case topicsConfirmRemove:
		ts.mode = topicsBrowse
		if key.Matches(msg, k.Yes) {
			return m, m.do("Topic removed.", session.RemoveTopic{Topic: ts.target}), true
		}
		m.setStatus("The topic stays.", false)
		return m, nil, true
	case topicsConfirmStop:
		ts.mode = topicsBrowse
		if key.Matches(msg, k.Yes) {
			what := "Back to suggestions. The ballots were discarded."
			if v.InRunoff() {
				what = "Runoff cancelled. Its ballots were discarded."
			}
			return m, m.do(what, session.StopVoting{}), true
		}
		m.setStatus("Voting goes on.", false)
		return m, nil, true
	case topicsOptions:
		return m.topicsOptionsKey(v, msg)
	case topicsMerging:
		switch {
		case key.Matches(msg, k.Up):
			m.selectRow(rows, m.selIndex(rows)-1)
		case key.Matches(msg, k.Down):
			m.selectRow(rows, m.selIndex(rows)+1)
		case key.Matches(msg, k.MergeHere):
			if sel == ts.target {
				m.setStatus("Choose another topic to merge it into.", true)
				return m, nil, true
			}
			ts.mode = topicsBrowse
			from, _ := v.Topic(ts.target)
			into, _ := v.Topic(sel)
			return m, m.do(fmt.Sprintf("Merged %q into %q.", trunc(from.Text, 30), trunc(into.Text, 30)),
				session.MergeTopics{From: ts.target, Into: sel}), true
		case key.Matches(msg, k.Cancel):
			ts.mode = topicsBrowse
			m.setStatus("Nothing merged.", false)
		}
		return m, nil, true
	}

	// Browsing. Keys for moving, then the phase's own.
	ph := v.CurrentPhase()
	p, _ := v.Poll()
	ranked := ph == session.PhaseVoting && p.Method == vote.Ranked
	switch {
	case ranked && key.Matches(msg, k.Raise):
		return m.moveRanked(s, v, sel, -1), nil, true
	case ranked && key.Matches(msg, k.Lower):
		return m.moveRanked(s, v, sel, +1), nil, true
	case key.Matches(msg, k.Up):
		m.selectRow(rows, m.selIndex(rows)-1)
		return m, nil, true
	case key.Matches(msg, k.Down):
		m.selectRow(rows, m.selIndex(rows)+1)
		return m, nil, true
	case key.Matches(msg, k.Suggest):
		if ph != session.PhaseSuggesting {
			_, err := v.CheckSuggestion(m.me.ID, "")
			m.setStatus(errText(err), true)
			return m, nil, true
		}
		m.openInput(topicsTyping, "a topic the group could work on", "")
		m.setStatus("", false)
		return m, ts.input.Focus(), true
	case key.Matches(msg, k.Options):
		if !m.facilitating() {
			return m, m.do("", session.ShowAuthors{Show: v.ShowAuthors}), true
		}
		ts.mode, ts.want = topicsOptions, nil
		return m, nil, true
	case key.Matches(msg, k.Authors):
		what := "Authors are now shown to everyone."
		if v.ShowAuthors {
			what = "Authors are now shown to facilitators only."
		}
		return m, m.do(what, session.ShowAuthors{Show: !v.ShowAuthors}), true
	case key.Matches(msg, k.Results):
		what := "Live results are now shown to everyone while voting."
		if v.LiveResults {
			what = "Results are now hidden until voting closes."
		}
		return m, m.do(what, session.ShowLiveResults{Show: !v.LiveResults}), true
	}

	switch ph {
	case session.PhaseSuggesting:
		switch {
		case key.Matches(msg, k.Edit), key.Matches(msg, k.Remove), key.Matches(msg, k.Merge):
			if !m.facilitating() {
				return m, m.do("", session.RemoveTopic{Topic: sel}), true
			}
			t, ok := v.Topic(sel)
			if !ok {
				m.setStatus("There is no topic to choose yet.", true)
				return m, nil, true
			}
			ts.target = sel
			m.setStatus("", false)
			switch {
			case key.Matches(msg, k.Edit):
				m.openInput(topicsEditing, "the topic's new wording", t.Text)
				return m, ts.input.Focus(), true
			case key.Matches(msg, k.Remove):
				ts.mode = topicsConfirmRemove
			default:
				if len(v.Topics) < 2 {
					m.setStatus("Merging needs two topics.", true)
					return m, nil, true
				}
				ts.mode = topicsMerging
				// Start on a neighbour, the one above first (a duplicate
				// is usually suggested after the topic it repeats).
				i := m.selIndex(rows)
				if i > 0 {
					m.selectRow(rows, i-1)
				} else {
					m.selectRow(rows, i+1)
				}
			}
			return m, nil, true
		case key.Matches(msg, k.Start):
			what := fmt.Sprintf("Voting has started (%s).", methodSummary(v.Rules()))
			return m, m.do(what, session.StartVoting{}), true
		case key.Matches(msg, k.Close):
			return m, m.do("", session.CloseVoting{}), true
		}
	case session.PhaseVoting:
		switch {
		case key.Matches(msg, k.Close):
			return m, m.do("Voting closed and counted.", session.CloseVoting{}), true
		case key.Matches(msg, k.Stop):
			if !m.facilitating() {
				return m, m.do("", session.StopVoting{}), true
			}
			ts.mode = topicsConfirmStop
			return m, nil, true
		case key.Matches(msg, k.Add), key.Matches(msg, k.Take):
			if p.Method == vote.Single {
				return m, nil, false
			}
			return m.changeDraft(s, v, sel, key.Matches(msg, k.Add)), nil, true
		case key.Matches(msg, k.Cast):
			return m.castBallot(s, v, sel)
		case key.Matches(msg, k.Undo):
			if _, _, changed := m.myBallot(s, v); changed {
				ts.draftFor = ""
				m.setStatus("Changes undone: your ballot is as you cast it.", false)
				return m, nil, true
			}
		}
	case session.PhaseClosed:
		switch {
		case key.Matches(msg, k.Pick):
			if !m.facilitating() {
				return m, m.do("", session.PickTopic{Topic: sel}), true
			}
			t, _ := v.Topic(sel)
			return m, m.do(fmt.Sprintf("%q is the chosen topic.", trunc(t.Text, 50)), session.PickTopic{Topic: sel}), true
		case key.Matches(msg, k.Runoff):
			return m, m.do("Runoff started between the tied topics.", session.Runoff{}), true
		case key.Matches(msg, k.Reopen):
			return m, m.do("Voting reopened; ballots cast so far are kept.", session.ReopenVoting{}), true
		}
	}
	return m, nil, false
}

// openInput opens the one-line text field for a suggestion or an edit.
// A suggestion being written survives closing the field and an edit in
// between: t brings it back.
func (m *model) openInput(mode topicsMode, placeholder, value string) {
	ts := &m.room.topics
	if !ts.hasIn || ts.inputFor != topicsTyping || mode != topicsTyping {
		if ts.hasIn && ts.inputFor == topicsTyping {
			ts.unsent = ts.input.Value()
		}
		if mode == topicsTyping {
			value, ts.unsent = ts.unsent, ""
		}
		// Generous room to type: the limit is checked, and explained,
		// when the topic is sent, so an over-long paste is not cut short.
		ts.input = newInput(m.st, placeholder, 4*session.MaxTopicLen)
		ts.input.SetValue(value)
		ts.hasIn, ts.inputFor = true, mode
	}
	ts.mode = mode
	ts.input.SetWidth(m.inputWidth())
	ts.input.CursorEnd()
}

// The input line: a label, the input, and a character count.
const (
	inputLabelNew  = "New topic "
	inputLabelEdit = "Edit topic "
)

// inputWidth is the width of the text field in the footer, so that it
// scrolls sideways rather than run off the screen.
func (m model) inputWidth() int {
	return max(m.width-len(inputLabelEdit)-len(" 480/120 too long")-4, 8)
}

func (m model) topicsInputKey(s *session.Meetup, v *session.Vote, msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	ts := &m.room.topics
	k := newTopicKeys()
	switch {
	case key.Matches(msg, k.Submit):
		text := ts.input.Value()
		if ts.mode == topicsEditing {
			clean, err := v.CheckEdit(ts.target, text)
			if err != nil {
				m.setStatus(errText(err), true)
				return m, nil, true
			}
			ts.mode = topicsBrowse
			ts.input.Blur()
			ts.input.Reset()
			return m, m.do(fmt.Sprintf("Topic changed to %q.", trunc(clean, 50)), session.EditTopic{Topic: ts.target, Text: text}), true
		}
		clean, err := v.CheckSuggestion(m.me.ID, text)
		if err != nil {
			m.setStatus(errText(err), true)
			return m, nil, true
		}
		ts.last = text
		ts.input.Reset()
		return m, m.do(fmt.Sprintf("Added %q. Type another, or press esc.", trunc(clean, 40)), session.SuggestTopic{Text: text}), true
	case key.Matches(msg, k.Cancel):
		// A suggestion being typed is kept for the next t; an edit is dropped.
		if ts.mode == topicsEditing {
			ts.input.Reset()
		}
		ts.mode = topicsBrowse
		ts.input.Blur()
		m.setStatus("", false)
		return m, nil, true
	case key.Matches(msg, k.Recall) && ts.mode == topicsTyping && ts.input.Value() == "" && ts.last != "":
		ts.input.SetValue(ts.last)
		ts.input.CursorEnd()
		return m, nil, true
	}
	var cmd tea.Cmd
	ts.input.SetWidth(m.inputWidth())
	ts.input, cmd = ts.input.Update(msg)
	return m, cmd, true
}

// topicsPaste puts pasted text into the topic being typed.
func (m model) topicsPaste(s *session.Meetup, msg tea.PasteMsg) (model, tea.Cmd) {
	switch m.topicsModeNow(s, voteOf(s)) {
	case topicsTyping, topicsEditing:
		// The input drops control bytes but would keep the rest of an
		// escape sequence ("[31m"), so sequences go first.
		msg.Content = ansi.Strip(msg.Content)
		var cmd tea.Cmd
		m.room.topics.input.SetWidth(m.inputWidth())
		m.room.topics.input, cmd = m.room.topics.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m model) topicsOptionsKey(v *session.Vote, msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	ts := &m.room.topics
	k := newTopicKeys()
	switch {
	case key.Matches(msg, k.Up):
		ts.opt = max(ts.opt-1, 0)
	case key.Matches(msg, k.Down):
		ts.opt = min(ts.opt+1, optCount-1)
	case key.Matches(msg, k.Done):
		ts.mode = topicsBrowse
		ts.want = nil
	case key.Matches(msg, k.Change):
		d := 1
		if msg.String() == "left" || msg.String() == "h" {
			d = -1
		}
		return m.changeOption(v, ts.opt, d)
	}
	return m, nil, true
}

var methods = []vote.Method{vote.Dots, vote.Single, vote.Ranked}

// changeOption moves one vote option by d. Rules build on the last ones
// asked for, so quick presses add up before the room has answered; the
// two show/hide options are set by direction (← hide, → show).
func (m model) changeOption(v *session.Vote, row, d int) (model, tea.Cmd, bool) {
	ts := &m.room.topics
	switch row {
	case optResults:
		show := d > 0
		what := "Results are now hidden until voting closes."
		if show {
			what = "Live results are now shown while voting."
		}
		return m, m.do(what, session.ShowLiveResults{Show: show}), true
	case optAuthors:
		show := d > 0
		what := "Authors are now shown to facilitators only."
		if show {
			what = "Authors are now shown to everyone."
		}
		return m, m.do(what, session.ShowAuthors{Show: show}), true
	}
	r := v.Rules()
	if ts.want != nil {
		r = *ts.want
	}
	switch {
	case v.CurrentPhase() == session.PhaseVoting:
		m.setStatus("The rules are fixed while voting is open.", true)
		return m, nil, true
	case row != optMethod && r.Method != vote.Dots:
		m.setStatus("Dots per person and per topic are for dot voting only.", true)
		return m, nil, true
	}
	switch row {
	case optMethod:
		i := slices.Index(methods, r.Method)
		r.Method = methods[(i+d+len(methods))%len(methods)]
	case optDots:
		r.Dots = min(max(r.Dots+d, 1), session.MaxDots)
		r.MaxPerTopic = min(r.MaxPerTopic, r.Dots)
	case optPerTopic:
		r.MaxPerTopic = min(max(r.MaxPerTopic+d, 1), r.Dots)
	}
	ts.want = &r
	return m, m.do("Next vote: "+methodSummary(r)+".", session.SetVoteRules{Method: r.Method, Dots: r.Dots, MaxPerTopic: r.MaxPerTopic}), true
}

// changeDraft adds (or takes away) a dot, or a rank, on topic id.
func (m model) changeDraft(s *session.Meetup, v *session.Vote, id string, add bool) model {
	p, _ := v.Poll()
	if id == "" {
		return m
	}
	b, _, _ := m.myBallot(s, v)
	r := p.Rules()
	switch p.Method {
	case vote.Dots:
		on := count(b, id)
		switch {
		case add && len(b) >= r.Dots:
			m.setStatus(fmt.Sprintf("All %d dots are placed: take one off another topic with ← first.", r.Dots), true)
			return m
		case add && on >= r.MaxPerTopic:
			m.setStatus(fmt.Sprintf("At most %d dots can go on one topic.", r.MaxPerTopic), true)
			return m
		case add:
			b = append(b, id)
		case on == 0:
			return m
		default:
			i := slices.Index(b, id)
			b = slices.Delete(b, i, i+1)
		}
		// Kept in list order, so a ballot compares equal however it was made.
		slices.SortStableFunc(b, func(x, y string) int { return slices.Index(p.Topics, x) - slices.Index(p.Topics, y) })
	case vote.Ranked:
		i := slices.Index(b, id)
		switch {
		case add && i < 0:
			b = append(b, id)
		case !add && i >= 0:
			b = slices.Delete(b, i, i+1)
		default:
			return m
		}
	}
	m.setStatus("", false)
	m.room.topics.draftFor, m.room.topics.draft = pollKey(s, v), b
	return m
}

// moveRanked moves topic id up (d -1) or down (d +1) the ranking; moving
// the first unranked topic up ranks it last, moving the last ranked one
// down unranks it.
func (m model) moveRanked(s *session.Meetup, v *session.Vote, id string, d int) model {
	if id == "" {
		return m
	}
	b, _, _ := m.myBallot(s, v)
	i := slices.Index(b, id)
	switch {
	case i < 0 && d < 0:
		b = append(b, id)
	case i < 0:
		return m
	case i+d < 0:
		return m
	case i+d >= len(b):
		b = slices.Delete(b, i, i+1)
	default:
		b[i], b[i+d] = b[i+d], b[i]
	}
	m.setStatus("", false)
	m.room.topics.draftFor, m.room.topics.draft = pollKey(s, v), b
	rows := m.topicRows(s, v)
	m.selectRow(rows, slices.Index(rows, id))
	return m
}

func (m model) castBallot(s *session.Meetup, v *session.Vote, sel string) (model, tea.Cmd, bool) {
	p, _ := v.Poll()
	b, cast, changed := m.myBallot(s, v)
	if p.Method == vote.Single {
		if sel == "" {
			return m, nil, true
		}
		b = vote.Ballot{sel}
		changed = !slices.Equal(b, cast)
	}
	if !changed && cast != nil {
		m.setStatus("Your vote is in. You can change it until voting closes.", false)
		return m, nil, true
	}
	if err := v.CheckBallot(b); err != nil {
		m.setStatus(errText(err), true)
		return m, nil, true
	}
	m.room.topics.draftFor, m.room.topics.draft = pollKey(s, v), b
	what := "Your vote is in. You can change it until voting closes."
	if cast != nil {
		what = "Your vote is changed. You can change it until voting closes."
	}
	return m, m.do(what, session.CastBallot{Ballot: b}), true
}

func count(b vote.Ballot, id string) int {
	n := 0
	for _, x := range b {
		if x == id {
			n++
		}
	}
	return n
}

// ---- help ----

func (m model) topicsHelp(s *session.Meetup) []key.Binding {
	if s.Ended() {
		return nil
	}
	v := voteOf(s)
	k := newTopicKeys()
	fac := s.RoleOf(m.me.ID).Facilitates()
	switch m.topicsModeNow(s, v) {
	case topicsTyping:
		out := []key.Binding{k.Submit, k.Cancel}
		if m.room.topics.input.Value() == "" && m.room.topics.last != "" {
			out = append(out, k.Recall)
		}
		return out
	case topicsEditing:
		k.Submit.SetHelp("enter", "save")
		k.Cancel.SetHelp("esc", "cancel")
		return []key.Binding{k.Submit, k.Cancel}
	case topicsConfirmRemove:
		k.Yes.SetHelp("y", "remove it")
		k.No.SetHelp("any other key", "keep it")
		return []key.Binding{k.Yes, k.No}
	case topicsConfirmStop:
		k.Yes.SetHelp("y", "discard the ballots")
		k.No.SetHelp("any other key", "keep voting")
		return []key.Binding{k.Yes, k.No}
	case topicsOptions:
		k.Select.SetHelp("↑/↓", "choose option")
		return []key.Binding{k.Select, k.Change, k.Done}
	case topicsMerging:
		k.Cancel.SetHelp("esc", "cancel")
		return []key.Binding{k.Select, k.MergeHere, k.Cancel}
	}
	if v.ShowAuthors {
		k.Authors.SetHelp("A", "hide authors")
	}
	if v.LiveResults {
		k.Results.SetHelp("R", "hide results")
	}
	p, hasPoll := v.Poll()
	n := len(m.topicRows(s, v))
	var out []key.Binding
	switch v.CurrentPhase() {
	case session.PhaseSuggesting:
		out = append(out, k.Suggest)
		if fac {
			if n > 0 {
				out = append(out, k.Start, k.Select, k.Edit, k.Remove)
			}
			if n > 1 {
				out = append(out, k.Merge)
			}
			out = append(out, k.Options, k.Authors)
		} else if n > 1 {
			out = append(out, k.Select)
		}
	case session.PhaseVoting:
		_, _, changed := m.myBallot(s, v)
		if fac {
			// Closing the vote is the facilitator's next step: it comes
			// first so that it shows even on a narrow help bar.
			out = append(out, k.Close)
		}
		switch p.Method {
		case vote.Dots:
			out = append(out, k.Select, k.Add, k.Take, k.Cast)
		case vote.Ranked:
			k.Add.SetHelp("→", "rank")
			k.Take.SetHelp("←", "unrank")
			out = append(out, k.Select, k.Add, k.Take, k.Move, k.Cast)
		default:
			k.Cast.SetHelp("enter", "vote for this")
			out = append(out, k.Select, k.Cast)
		}
		if changed {
			out = append(out, k.Undo)
		}
		if fac {
			if v.InRunoff() {
				k.Stop.SetHelp("b", "cancel runoff")
			}
			out = append(out, k.Results, k.Stop, k.Options)
		}
	case session.PhaseClosed:
		if fac && hasPoll && p.Result != nil && p.Result.Winner == "" {
			out = append(out, k.Select, k.Pick)
			if len(p.Result.Tie) > 1 {
				out = append(out, k.Runoff)
			}
		} else if n > 1 {
			k.Select.SetHelp("↑/↓", "scroll")
			out = append(out, k.Select)
		}
		if fac {
			out = append(out, k.Reopen, k.Options)
		}
	}
	return out
}

// ---- view ----

func (m model) topicsFooter(s *session.Meetup, w int) []string {
	if s.Ended() {
		return nil
	}
	ts := m.room.topics
	mode := m.topicsModeNow(s, voteOf(s))
	if mode != topicsTyping && mode != topicsEditing {
		return nil
	}
	in := ts.input
	n := session.Len(session.CleanText(in.Value()))
	counter := fmt.Sprintf("%d/%d", n, session.MaxTopicLen)
	cstyle := m.st.dim
	if n > session.MaxTopicLen {
		counter += " too long"
		cstyle = m.st.errText
	}
	label := inputLabelNew
	if mode == topicsEditing {
		label = inputLabelEdit
	}
	in.SetWidth(m.inputWidth())
	line := m.st.strong.Render(label) + in.View()
	gap := max(w-lipgloss.Width(line)-lipgloss.Width(counter), 1)
	return []string{trunc(line+strings.Repeat(" ", gap)+cstyle.Render(counter), w)}
}

func (m model) topicsPanel(s *session.Meetup, w, h int) (string, bool) {
	if w < 10 || h < 1 {
		return "", false
	}
	v := voteOf(s)
	var lines []string
	if m.topicsModeNow(s, v) == topicsOptions {
		lines = m.optionsView(v, w)
	} else {
		switch v.CurrentPhase() {
		case session.PhaseSuggesting:
			lines = m.suggestingView(s, v, w, h)
		case session.PhaseVoting:
			lines = m.votingView(s, v, w, h)
		default:
			lines = m.closedView(s, v, w, h)
		}
	}
	if ts := m.room.topics; ts.mode == topicsTyping && v.CurrentPhase() != session.PhaseSuggesting && ts.input.Value() != "" {
		note := m.st.warn.Render(trunc(fmt.Sprintf("Not added (suggestions had closed): %q", ts.input.Value()), w))
		lines = append([]string{note}, lines...)
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n"), true
}

// methodName names a method for people.
func methodName(m vote.Method) string {
	switch m {
	case vote.Single:
		return "single choice"
	case vote.Ranked:
		return "ranked"
	}
	return "dot voting"
}

// methodSummary says how a vote is cast, in a few words.
func methodSummary(r vote.Rules) string {
	switch r.Method {
	case vote.Single:
		return "one choice each"
	case vote.Ranked:
		return "ranked, counted by instant runoff"
	}
	return fmt.Sprintf("dots, %d each, at most %d per topic", r.Dots, r.MaxPerTopic)
}

// personName returns a member's name, "you" for the person looking.
func (m model) personName(s *session.Meetup, id session.PersonID) string {
	if id == m.me.ID {
		return "you"
	}
	if mem, ok := s.Member(id); ok {
		return mem.Name
	}
	return "someone who left"
}

// authorsNote is what this person may see of who suggested a topic.
func (m model) authorsNote(s *session.Meetup, v *session.Vote, t session.Topic) string {
	if s.RoleOf(m.me.ID).Facilitates() || v.ShowAuthors {
		names := make([]string, len(t.Authors))
		for i, a := range t.Authors {
			names[i] = m.personName(s, a)
		}
		return strings.Join(names, ", ")
	}
	if slices.Contains(t.Authors, m.me.ID) {
		return "yours"
	}
	return ""
}

// row is one line of a topic list.
type row struct {
	id    string
	sel   bool
	mark  string // a fixed-width column before the text: dots, rank, ★
	text  string
	note  string // dim, after the text: authors
	votes int    // drawn as a bar when the list is a chart
}

// renderRows draws rows in w cells. With chart, each row ends in a bar of
// █ scaled to the most votes and the number, so monochrome loses nothing.
func (m model) renderRows(rows []row, w int, chart bool) []string {
	st := m.st
	markW, most, textMax := 0, 0, 0
	for _, r := range rows {
		markW = max(markW, lipgloss.Width(r.mark))
		most = max(most, r.votes)
		textMax = max(textMax, lipgloss.Width(r.text))
	}
	numW := len(fmt.Sprint(most))
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		lead := "  "
		if r.sel {
			lead = "▶ "
		}
		mark := r.mark + strings.Repeat(" ", markW-lipgloss.Width(r.mark))
		if markW > 0 {
			mark += " "
		}
		avail := w - 2 - lipgloss.Width(mark)
		var tail string
		textW := avail
		if chart {
			// The bar gets at least 40% of the room (30 cells at most);
			// the topic text gets what is left.
			textW = max(min(textMax, avail-numW-2-min(30, avail*40/100)), 6)
			barW := min(max(avail-textW-numW-2, 1), 60)
			n := 0
			if most > 0 {
				n = r.votes * barW / most
			}
			if r.votes > 0 {
				n = max(n, 1)
			}
			bar := lipgloss.NewStyle().Foreground(st.accent).Render(strings.Repeat("█", n))
			tail = " " + bar + strings.Repeat(" ", barW-n) + " " + fmt.Sprintf("%*d", numW, r.votes)
		} else if r.note != "" {
			noteW := min(lipgloss.Width(r.note), max(avail/3, 6))
			tail = "  " + st.dim.Render(trunc(r.note, noteW))
			textW = avail - noteW - 2
		}
		text := trunc(r.text, textW)
		pad := strings.Repeat(" ", max(textW-lipgloss.Width(text), 0))
		if r.sel {
			text = st.selected.Render(text)
		}
		if !chart && r.note == "" {
			pad = ""
		}
		out = append(out, trunc(lead+mark+text+pad+tail, w))
	}
	return out
}

// windowRows keeps the rows around the selection that fit in room lines,
// with a line saying how many more there are above and below.
func (m model) windowRows(lines []string, sel, room int) []string {
	n := len(lines)
	if room < 1 {
		return nil
	}
	if n <= room || room < 3 {
		if n > room {
			first := min(max(sel-room/2, 0), n-room)
			return lines[first : first+room]
		}
		return lines
	}
	more := func(k int, up bool) string {
		arrow := "↓"
		if up {
			arrow = "↑"
		}
		return m.st.dim.Render(fmt.Sprintf("  %s %d more", arrow, k))
	}
	sel = max(sel, 0)
	switch {
	case sel < room-1:
		return append(slices.Clone(lines[:room-1]), more(n-room+1, false))
	case sel >= n-room+1:
		return append([]string{more(n-room+1, true)}, lines[n-room+1:]...)
	}
	r := room - 2
	first := min(max(sel-r/2, 1), n-r-1)
	out := []string{more(first, true)}
	out = append(out, lines[first:first+r]...)
	return append(out, more(n-first-r, false))
}

func (m model) suggestingView(s *session.Meetup, v *session.Vote, w, h int) []string {
	st := m.st
	fac := s.RoleOf(m.me.ID).Facilitates()
	mode := m.topicsModeNow(s, v)
	ts := m.room.topics
	topics := v.TopicList()
	head := fmt.Sprintf("Suggestions are open · %d topic%s", len(topics), plural(len(topics)))
	lines := []string{st.section.Render(trunc(head, w))}

	target, _ := v.Topic(ts.target)
	switch {
	case mode == topicsConfirmRemove:
		lines = append(lines, styledLines(st.warn, wrap(fmt.Sprintf("Remove %q? Press y to remove it.", target.Text), w))...)
	case mode == topicsMerging:
		lines = append(lines, styledLines(st.warn, wrap(fmt.Sprintf("Merge %q into which topic? Choose it and press enter.", target.Text), w))...)
	case h < 10:
		// A short window keeps its rows for the topics themselves.
	case fac:
		lines = append(lines, styledLines(st.dim, wrap("Merge duplicates before the vote. Vote: "+methodSummary(v.Rules())+".", w))...)
	default:
		lines = append(lines, styledLines(st.dim, wrap("Press t to suggest a topic. Then everyone votes: "+methodSummary(v.Rules())+".", w))...)
	}
	if h >= 10 {
		lines = append(lines, "")
	}
	if len(topics) == 0 {
		msg := "No topics yet. Press t to suggest the first."
		return append(lines, wrap(msg, w))
	}
	rows := make([]row, 0, len(topics))
	ids := m.topicRows(s, v)
	si := m.selIndex(ids)
	for i, t := range topics {
		r := row{id: t.ID, text: t.Text, note: m.authorsNote(s, v, t), mark: fmt.Sprintf("%d.", i+1)}
		r.sel = (fac || len(topics) > 1) && i == si
		if mode == topicsMerging && t.ID == ts.target {
			r.mark = "⇢"
			r.note = "merging"
		}
		rows = append(rows, r)
	}
	return append(lines, m.windowRows(m.renderRows(rows, w, false), si, h-len(lines))...)
}

func (m model) votingView(s *session.Meetup, v *session.Vote, w, h int) []string {
	st := m.st
	fac := s.RoleOf(m.me.ID).Facilitates()
	p, _ := v.Poll()
	r := p.Rules()
	what := "Voting is open"
	if v.InRunoff() {
		what = fmt.Sprintf("Runoff between %d tied topics", len(p.Topics))
	}
	lines := []string{st.section.Render(trunc(what+" · "+methodSummary(r), w))}
	if m.topicsModeNow(s, v) == topicsConfirmStop {
		q := "Stop voting and go back to suggestions? The ballots cast are discarded. Press y."
		if v.InRunoff() {
			q = "Cancel the runoff? Its ballots are discarded. Press y."
		}
		lines = append(lines, styledLines(st.warn, wrap(q, w))...)
	}

	// This person's own ballot: shown only here, on their own screen.
	b, cast, changed := m.myBallot(s, v)
	var state string
	var style lipgloss.Style
	switch {
	case p.Method == vote.Single && cast != nil:
		state, style = "✓ You voted for "+fmt.Sprintf("%q", v.TopicText(cast[0]))+". Change it until voting closes.", st.okText
	case p.Method == vote.Single:
		state, style = "Choose one topic and press enter.", st.warn
	case changed && cast != nil:
		state, style = "Changed, not cast yet: enter casts it, esc undoes.", st.warn
	case cast != nil:
		state, style = "✓ Your vote is in. Change it until voting closes.", st.okText
	case len(b) == 0 && p.Method == vote.Dots:
		state, style = fmt.Sprintf("Place your %d dots with → and ←, then press enter.", r.Dots), st.warn
	case len(b) == 0:
		state, style = "Rank topics with →: first choice first. Then press enter.", st.warn
	default:
		state, style = "Not cast yet: press enter to cast your vote.", st.warn
	}
	if p.Method == vote.Dots {
		left := r.Dots - len(b)
		state = fmt.Sprintf("%s %d of %d dots left. ", strings.Repeat("●", len(b))+strings.Repeat("○", max(left, 0)), left, r.Dots) + state
	}
	if h < 10 {
		lines = append(lines, style.Render(trunc(state, w)))
	} else {
		lines = append(lines, styledLines(style, wrap(state, w))...)
	}

	// Facilitators see who has voted, never how.
	if fac {
		lines = append(lines, m.votedLine(s, p, w))
		if h >= 16 {
			lines = append(lines, m.votedNames(s, p, w))
		}
	}
	live := v.LiveResults
	if live || fac && h >= 16 {
		note := "Results stay hidden until voting closes (R shows them live)."
		if live {
			note = "Live results are shown to everyone."
		}
		if !fac {
			note = "Live results: the bars show the votes cast so far."
		}
		lines = append(lines, st.dim.Render(trunc(note, w)))
	}
	lines = append(lines, "")

	var res session.Result
	if live {
		res = p.Count()
	}
	ids := m.topicRows(s, v)
	si := m.selIndex(ids)
	rows := make([]row, 0, len(ids))
	for i, id := range ids {
		t, _ := v.Topic(id)
		rw := row{id: id, sel: i == si, text: t.Text}
		switch p.Method {
		case vote.Dots:
			rw.mark = dotMarks(count(b, id), r.MaxPerTopic)
		case vote.Ranked:
			rw.mark = "–"
			if k := slices.Index(b, id); k >= 0 {
				rw.mark = fmt.Sprintf("%d.", k+1)
			}
		default:
			rw.mark = "( )"
			if cast != nil && cast[0] == id {
				rw.mark = "(●)"
			}
		}
		if live {
			rw.votes = res.Totals[id]
		} else {
			rw.note = m.authorsNote(s, v, t)
		}
		rows = append(rows, rw)
	}
	return append(lines, m.windowRows(m.renderRows(rows, w, live), si, h-len(lines))...)
}

// dotMarks shows n of a topic's at most max dots: ●●○.
func dotMarks(n, most int) string {
	if most > 5 {
		return fmt.Sprintf("●×%d", n)
	}
	return strings.Repeat("●", n) + strings.Repeat("○", max(most-n, 0))
}

// votedLine is the facilitator's count of who has voted.
func (m model) votedLine(s *session.Meetup, p session.Poll, w int) string {
	here, voted := 0, 0
	var waiting []string
	for _, mem := range s.Members {
		if !mem.Present {
			continue
		}
		here++
		if p.HasVoted(mem.ID) {
			voted++
		} else {
			waiting = append(waiting, m.personName(s, mem.ID))
		}
	}
	line := m.st.strong.Render(fmt.Sprintf("Voted: %d of %d here", voted, here))
	if len(waiting) > 0 {
		line += m.st.dim.Render(" · not yet: " + strings.Join(waiting, ", "))
	}
	return trunc(line, w)
}

// votedNames lists who has voted, in the order they joined.
func (m model) votedNames(s *session.Meetup, p session.Poll, w int) string {
	var names []string
	for _, mem := range s.Members {
		if p.HasVoted(mem.ID) {
			names = append(names, m.personName(s, mem.ID))
		}
	}
	if len(names) == 0 {
		return m.st.dim.Render("Nobody has voted yet.")
	}
	return m.st.dim.Render(trunc("Have voted: "+strings.Join(names, ", "), w))
}

func (m model) closedView(s *session.Meetup, v *session.Vote, w, h int) []string {
	st := m.st
	fac := s.RoleOf(m.me.ID).Facilitates()
	p, _ := v.Poll()
	res := p.Count()
	unit := "vote"
	if res.Method == vote.Dots {
		unit = "dot"
	}
	what := "Voting closed"
	if v.InRunoff() {
		what = "Runoff closed"
	}
	lines := []string{st.section.Render(trunc(fmt.Sprintf("%s · %s · %d ballot%s", what, methodName(res.Method), res.Ballots, plural(res.Ballots)), w))}

	quote := func(id string) string { return fmt.Sprintf("%q", v.TopicText(id)) }
	switch {
	case res.Winner != "":
		n := res.Totals[res.Winner]
		lines = append(lines, styledLines(st.okText, wrap(fmt.Sprintf("★ Winner: %s with %d %s%s", quote(res.Winner), n, unit, plural(n)), w))...)
	case len(res.Tie) > 0:
		n := res.Totals[res.Tie[0]]
		tie := fmt.Sprintf("Tie between %d topics (marked =), %d %s%s each", len(res.Tie), n, unit, plural(n))
		if len(res.Tie) == 2 {
			tie = fmt.Sprintf("Tie between %s and %s, %d %s%s each", quote(res.Tie[0]), quote(res.Tie[1]), n, unit, plural(n))
		}
		lines = append(lines, styledLines(st.warn, wrap(tie, w))...)
	default:
		lines = append(lines, st.warn.Render("No votes were cast."))
	}
	switch {
	case v.Chosen != "":
		lines = append(lines, m.chosenLines(s, v, w)...)
	case fac && len(res.Tie) > 1:
		lines = append(lines, styledLines(st.strong, wrap("Choose one of the tied topics and press enter, or press u for a runoff between them.", w))...)
	case fac:
		lines = append(lines, styledLines(st.strong, wrap("Choose a topic and press enter, or press v to reopen voting.", w))...)
	default:
		lines = append(lines, st.dim.Render(trunc("The facilitator will choose, or hold a runoff.", w)))
	}
	lines = append(lines, "")

	ids := m.topicRows(s, v)
	si := m.selIndex(ids)
	pickable := fac && v.NeedsPick() || fac && v.Picked
	rows := make([]row, 0, len(ids))
	for i, id := range ids {
		rw := row{id: id, text: v.TopicText(id), votes: res.Totals[id], sel: pickable && i == si, mark: " "}
		switch {
		case id == v.Chosen:
			rw.mark = "★"
		case slices.Contains(res.Tie, id):
			rw.mark = "="
		}
		rows = append(rows, rw)
	}
	chart := m.renderRows(rows, w, true)
	var rounds []string
	if res.Method == vote.Ranked && len(res.Rounds) > 1 {
		rounds = m.roundLines(v, res, w)
	}
	room := h - len(lines)
	if len(rounds) > 0 {
		// The chart first; then as many rounds as fit, the last ones
		// (which decided it) kept when they do not all fit.
		chartRoom := min(len(chart), max(room-len(rounds)-1, min(len(chart), 3)))
		lines = append(lines, m.windowRows(chart, si, chartRoom)...)
		if left := room - chartRoom - 1; left > 0 {
			lines = append(lines, "")
			switch {
			case len(rounds) <= left:
			case left >= 2:
				rounds = append([]string{st.dim.Render(trunc(fmt.Sprintf("Instant runoff in %d rounds; the last ones:", len(res.Rounds)), w))}, rounds[len(rounds)-left+1:]...)
			default:
				rounds = rounds[len(rounds)-left:]
			}
			lines = append(lines, rounds...)
		}
		return lines
	}
	return append(lines, m.windowRows(chart, si, room)...)
}

// roundLines shows every round of an instant runoff on a line each.
func (m model) roundLines(v *session.Vote, res session.Result, w int) []string {
	st := m.st
	out := make([]string, 0, len(res.Rounds))
	for i, rd := range res.Rounds {
		order := session.Result{Method: res.Method, Totals: rd.Totals}.Ordered()
		nameW := max((w-16)/max(len(order), 1)-4, 6)
		parts := make([]string, len(order))
		for j, id := range order {
			parts[j] = fmt.Sprintf("%s %d", trunc(v.TopicText(id), nameW), rd.Totals[id])
		}
		end := ""
		switch {
		case rd.Eliminated != "":
			end = " → out: " + trunc(v.TopicText(rd.Eliminated), 20)
		case res.Winner != "":
			end = " → majority"
		case len(res.Tie) > 0:
			end = " → tie"
		}
		label := st.dim.Render(fmt.Sprintf("Round %d: ", i+1))
		line := label + strings.Join(parts, " · ") + st.dim.Render(end)
		if lipgloss.Width(line) > w {
			// Too narrow for every total: say what the round decided.
			counted := 0
			for _, n := range rd.Totals {
				counted += n
			}
			// The numbers come first and the topic takes what is left,
			// so a long topic never hides the count.
			fitName := func(prefix, id string) string {
				return label + prefix + trunc(v.TopicText(id), max(w-lipgloss.Width(label)-lipgloss.Width(prefix), 4))
			}
			switch {
			case rd.Eliminated != "":
				line = fitName(fmt.Sprintf("out with %d: ", rd.Totals[rd.Eliminated]), rd.Eliminated)
			case res.Winner != "":
				line = fitName(fmt.Sprintf("majority, %d of %d: ", rd.Totals[res.Winner], counted), res.Winner)
			case len(res.Tie) > 0:
				line = label + fmt.Sprintf("tied, %d topics at %d each", len(res.Tie), rd.Totals[res.Tie[0]])
			}
		}
		out = append(out, trunc(line, w))
	}
	return out
}

// chosenLines say which topic goes into the solution circle and who is
// offered as problem sharer. The sharer is named to facilitators, to the
// sharer, and to everyone only when authors are shown.
func (m model) chosenLines(s *session.Meetup, v *session.Vote, w int) []string {
	st := m.st
	t, ok := v.Topic(v.Chosen)
	if !ok {
		return nil
	}
	how := "Chosen for the solution circle: "
	if v.Picked {
		how = "Chosen by the facilitator for the solution circle: "
	}
	lines := styledLines(st.strong, wrap(how+fmt.Sprintf("%q", t.Text), w))
	return append(lines, m.sharerLines(s, v.Sharer, v.ShowAuthors, w)...)
}

func (m model) sharerLines(s *session.Meetup, sharer session.PersonID, public bool, w int) []string {
	st := m.st
	switch {
	case sharer == "":
		return nil
	case sharer == m.me.ID:
		return styledLines(st.okText, wrap("You are invited to be the problem sharer.", w))
	case s.RoleOf(m.me.ID).Facilitates() || public:
		return styledLines(st.dim, wrap(fmt.Sprintf("%s suggested it and is invited to be the problem sharer.", m.personName(s, sharer)), w))
	}
	return styledLines(st.dim, wrap("Its author is invited to be the problem sharer.", w))
}

// styledLines splits wrapped text into lines, each styled on its own.
func styledLines(style lipgloss.Style, text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// circleTopicLines are shown in the solution circle: the topic the vote
// chose and the problem sharer offered, if a vote chose one.
func (m model) circleTopicLines(s *session.Meetup, w int) []string {
	text, sharer, ok := s.ChosenTopic()
	if !ok {
		return nil
	}
	public := false
	for _, a := range s.Agenda {
		if a.Kind == session.KindTopics && a.Vote != nil && a.Vote.Chosen != "" {
			public = a.Vote.ShowAuthors
		}
	}
	lines := styledLines(m.st.strong, wrap(fmt.Sprintf("Topic: %q", text), w))
	lines = append(lines, m.sharerLines(s, sharer, public, w)...)
	return append(lines, "")
}

func (m model) optionsView(v *session.Vote, w int) []string {
	st := m.st
	r := v.Rules()
	voting := v.CurrentPhase() == session.PhaseVoting
	type opt struct {
		label, value, help string
		off                bool
	}
	results := "hidden until close"
	if v.LiveResults {
		results = "shown live"
	}
	authors := "facilitators only"
	if v.ShowAuthors {
		authors = "shown to everyone"
	}
	opts := []opt{
		{"Method", string(r.Method), "dots: spread dots over topics · single: one choice each · ranked: put topics in order, counted by instant runoff", voting},
		{"Dots per person", fmt.Sprint(r.Dots), "How many dots each person places.", voting || r.Method != vote.Dots},
		{"Most dots on one topic", fmt.Sprint(r.MaxPerTopic), "The most dots one person may put on a single topic.", voting || r.Method != vote.Dots},
		{"Results while voting", results, "Hidden keeps later voters from being swayed; everyone sees the result when voting closes.", false},
		{"Authors", authors, "Who suggested each topic. Facilitators always see it.", false},
	}
	lines := []string{st.section.Render("Vote options"), st.dim.Render(trunc("Changes apply at once. ←/→ change · esc done", w)), ""}
	labelW := 24
	sel := min(max(m.room.topics.opt, 0), optCount-1)
	for i, o := range opts {
		lead := "  "
		if i == sel {
			lead = "▶ "
		}
		label := o.label + strings.Repeat(" ", max(labelW-len(o.label), 1))
		value := "‹ " + o.value + " ›"
		line := lead + label + value
		switch {
		case o.off:
			line = st.dim.Render(trunc(line, w))
		case i == sel:
			line = st.selected.Render(trunc(line, w))
		default:
			line = trunc(line, w)
		}
		lines = append(lines, line)
	}
	help := opts[sel].help
	if opts[sel].off {
		if voting {
			help = "Fixed while voting is open: it can change before the vote or a runoff."
		} else {
			help = "Only for dot voting."
		}
	}
	return append(lines, "", st.dim.Render(wrap(help, w)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
