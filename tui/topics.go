package tui

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// The topics activity: everyone suggests topics, then votes; the winner is
// carried into the solution circle. The state and its rules live in
// session.Vote; this file holds one screen's state and its keys, and
// topics_view.go draws it.
//
// Ballot secrecy: the screen only ever has its own person's ballot (the
// View's Own); others' ballots never reach it. Facilitators see whether
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
	topicsConfirmClose             // a facilitator asked to close the vote
	topicsRounds                   // reading every round of a ranked count
)

// topicsScreen is one screen's state of the topics activity.
type topicsScreen struct {
	mode   topicsMode
	input  form
	target string // the topic being edited, removed or merged
	// sel is the selected topic, selAt its row, so that the selection
	// stays near when the topic goes.
	sel   string
	selAt int
	opt   int // the selected row of the vote options
	// scroll is the first round shown when reading the rounds.
	scroll int
	// last is the last suggestion sent: ↑ in an empty input brings it back.
	last string
	// unsent is a suggestion whose input closed because suggestions did.
	unsent string
	// draft is this person's ballot being put together for the poll named
	// by draftFor; it is sent with enter. Another poll starts from the
	// ballot already cast, with the cursor at the top.
	draftFor string
	draft    vote.Ballot
	// pollSeen names the poll this screen last showed.
	pollSeen string
	keys     *topicKeys // shared: never changed
}

func newTopicsScreen() topicsScreen { return topicsScreen{keys: &sharedTopicKeys} }

// sharedTopicKeys are every topics screen's bindings; a screen that
// changes one (its help) changes a copy.
var sharedTopicKeys = newTopicKeys()

// topicKeys are the bindings of the topics activity. Matching uses them
// all; the help bar shows the ones that work for this person now.
type topicKeys struct {
	Suggest, Select, Up, Down                    key.Binding
	Edit, Remove, Merge, MergeHere, Options      key.Binding
	Authors, Results, Start, Close, Stop         key.Binding
	Add, Take, Move, Raise, Lower, Cast, Undo    key.Binding
	Pick, Runoff, Reopen, Submit, Cancel, Recall key.Binding
	Yes, No, Change, Done, Rounds                key.Binding
}

func newTopicKeys() topicKeys {
	b := bind
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
		Authors:   b([]string{"W"}, "W", "show authors"),
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
		Rounds:    b([]string{"i"}, "i", "every round"),
	}
}

// facilitatorKeys are the keys only facilitators may press in a phase.
func (k topicKeys) facilitatorKeys(ph session.VotePhase) []key.Binding {
	switch ph {
	case session.PhaseSuggesting:
		return []key.Binding{k.Edit, k.Remove, k.Merge, k.Options, k.Authors, k.Results, k.Start, k.Close}
	case session.PhaseVoting:
		return []key.Binding{k.Close, k.Stop, k.Options, k.Authors, k.Results}
	}
	return []key.Binding{k.Runoff, k.Reopen, k.Options, k.Authors, k.Results}
}

// voteOf returns the current activity's vote state.
func voteOf(v *session.View) *session.Vote {
	if s, ok := v.Activity().State.(*session.Vote); ok {
		return s
	}
	return session.NewVote()
}

func ownOf(v *session.View) *session.VoteOwn {
	o, _ := v.Own.(*session.VoteOwn)
	return o
}

// modeNow is the mode this screen is really in: a facilitator's mode
// lapses when the phase it was for has passed or the person no longer
// facilitates.
func (t topicsScreen) modeNow(f frame) topicsMode {
	v := voteOf(f.v)
	fac := f.fac()
	ph := v.CurrentPhase()
	_, targetOK := v.Topic(t.target)
	switch t.mode {
	case topicsTyping:
		// The input closes when suggestions do, so that the keys vote;
		// text not yet sent is kept (and said so on the panel).
		if ph == session.PhaseSuggesting {
			return t.mode
		}
	case topicsEditing, topicsConfirmRemove, topicsMerging:
		if fac && ph == session.PhaseSuggesting && targetOK {
			return t.mode
		}
	case topicsOptions:
		if fac {
			return t.mode
		}
	case topicsConfirmStop, topicsConfirmClose:
		if fac && ph == session.PhaseVoting {
			return t.mode
		}
	case topicsRounds:
		if p, ok := v.Poll(); ok && ph == session.PhaseClosed && p.Result != nil && len(p.Result.Rounds) > 1 {
			return t.mode
		}
	}
	return topicsBrowse
}

// modal reports whether the topics activity takes every key on this
// screen now (typing, a question, the options, the rounds).
func (t topicsScreen) modal(f frame) bool {
	return !f.v.Ended() && t.modeNow(f) != topicsBrowse
}

// pollKey names the poll a draft ballot belongs to.
func pollKey(v *session.View, vs *session.Vote) string {
	p, _ := vs.Poll()
	return fmt.Sprintf("%s/%d/%d", v.ID, v.Current, p.N)
}

// myBallot returns the ballot this screen shows its person: the draft
// being put together, or the one cast. changed is true when the draft
// differs from what was cast.
func (t topicsScreen) myBallot(f frame, vs *session.Vote) (b vote.Ballot, cast vote.Ballot, changed bool) {
	if _, ok := vs.Poll(); !ok {
		return nil, nil, false
	}
	cast = ownOf(f.v).CastBallot()
	if t.draftFor == pollKey(f.v, vs) {
		return slices.Clone(t.draft), cast, !slices.Equal(t.draft, cast)
	}
	return slices.Clone(cast), cast, false
}

// rows lists the topic ids in the order the panel shows them now.
func (t topicsScreen) rows(f frame, vs *session.Vote) []string {
	var ids []string
	switch vs.CurrentPhase() {
	case session.PhaseSuggesting:
		for _, tp := range vs.TopicList() {
			ids = append(ids, tp.ID)
		}
	case session.PhaseVoting:
		p, _ := vs.Poll()
		if p.Method == vote.Ranked {
			b, _, _ := t.myBallot(f, vs)
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
		p, _ := vs.Poll()
		if p.Result != nil {
			ids = p.Result.Ordered()
		}
	}
	return ids
}

// selIndex is the row of the selected topic in rows.
func (t topicsScreen) selIndex(rows []string) int {
	if len(rows) == 0 {
		return -1
	}
	if i := slices.Index(rows, t.sel); i >= 0 {
		return i
	}
	return min(max(t.selAt, 0), len(rows)-1)
}

func (t *topicsScreen) selectRow(rows []string, i int) {
	if len(rows) == 0 {
		return
	}
	i = min(max(i, 0), len(rows)-1)
	t.sel, t.selAt = rows[i], i
}

func (t topicsScreen) selected(f frame, vs *session.Vote) string {
	rows := t.rows(f, vs)
	if i := t.selIndex(rows); i >= 0 {
		return rows[i]
	}
	return ""
}

// follow notices a new poll: the cursor goes back to the top, so a new
// ballot starts there.
func (t *topicsScreen) follow(f frame, vs *session.Vote) {
	key := pollKey(f.v, vs) + "/" + string(vs.CurrentPhase())
	if key == t.pollSeen {
		return
	}
	t.pollSeen = key
	t.sel, t.selAt = "", 0
	t.scroll = 0
}
