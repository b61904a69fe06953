package tui

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/vote"
)

// What the keys do in the topics activity.

func (t topicsScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	if f.v.Ended() {
		return t, nil, false
	}
	vs := voteOf(f.v)
	t.follow(f, vs)
	if now := t.modeNow(f); now != t.mode {
		if t.mode == topicsTyping && t.input.value() != "" {
			// Suggestions closed while this was being typed: it is kept,
			// and said so, for when they open again.
			t.unsent = t.input.value()
		}
		t.mode = now
	}
	switch msg := msg.(type) {
	case doneMsg:
		// A suggestion the room refused goes back into the field.
		// The field stays open for the next one after a send, so it is
		// put back there if nothing new has been typed yet.
		if msg.err != nil && msg.restore != "" && vs.CurrentPhase() == session.PhaseSuggesting {
			switch {
			case t.mode == topicsBrowse:
				t.openInput(f, topicsTyping, msg.restore)
				t.input.fail(msg.err)
			case t.mode == topicsTyping && t.input.value() == "":
				t.input.edit().SetValue(msg.restore)
				t.input.edit().CursorEnd()
				t.input.fail(msg.err)
			}
		}
		return t, nil, true
	case tea.PasteMsg:
		if t.mode == topicsTyping || t.mode == topicsEditing {
			return t.inputUpdate(f, vs, msg)
		}
		return t, nil, false
	case tea.KeyPressMsg:
		return t.key(f, vs, msg)
	}
	return t, nil, false
}

// key dispatches a key by the screen's mode, then, browsing, by phase.
func (t topicsScreen) key(f frame, vs *session.Vote, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	switch t.mode {
	case topicsTyping, topicsEditing:
		return t.inputUpdate(f, vs, msg)
	case topicsConfirmRemove, topicsConfirmStop, topicsConfirmClose:
		return t.confirmKey(f, vs, msg)
	case topicsOptions:
		return t.optionsKey(f, vs, msg)
	case topicsRounds:
		return t.roundsKey(msg)
	case topicsMerging:
		return t.mergingKey(f, vs, msg)
	}
	return t.browseKey(f, vs, msg)
}

// confirmKey answers a question: y does it, any other key does not.
func (t topicsScreen) confirmKey(f frame, vs *session.Vote, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	yes := key.Matches(msg, t.keys.Yes)
	asked := t.mode
	t.mode = topicsBrowse
	switch asked {
	case topicsConfirmRemove:
		if yes {
			return t, f.send("Topic removed.", session.RemoveTopic{Topic: t.target}), true
		}
		f.setStatus("The topic stays.", false)
	case topicsConfirmStop:
		if yes {
			what := "Back to suggestions. The ballots were discarded."
			if vs.InRunoff() {
				what = "Runoff cancelled. Its ballots were discarded."
			}
			return t, f.send(what, session.StopVoting{}), true
		}
		f.setStatus("Voting goes on.", false)
	case topicsConfirmClose:
		if yes {
			return t, f.send("Voting closed and counted.", session.CloseVoting{}), true
		}
		f.setStatus("Voting goes on.", false)
	}
	return t, nil, true
}

// roundsKey scrolls through the rounds of a ranked count.
func (t topicsScreen) roundsKey(msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	switch {
	case key.Matches(msg, k.Up):
		t.scroll = max(t.scroll-1, 0)
	case key.Matches(msg, k.Down):
		t.scroll++
	case key.Matches(msg, k.Rounds), key.Matches(msg, k.Cancel), msg.String() == "q":
		t.mode = topicsBrowse
	}
	return t, nil, true
}

// mergingKey chooses the topic to merge into.
func (t topicsScreen) mergingKey(f frame, vs *session.Vote, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	rows := t.rows(f, vs)
	sel := t.selected(f, vs)
	switch {
	case key.Matches(msg, k.Up):
		t.selectRow(rows, t.selIndex(rows)-1)
	case key.Matches(msg, k.Down):
		t.selectRow(rows, t.selIndex(rows)+1)
	case key.Matches(msg, k.MergeHere):
		if sel == t.target {
			f.setStatus("Choose another topic to merge it into.", true)
			return t, nil, true
		}
		t.mode = topicsBrowse
		from, _ := vs.Topic(t.target)
		into, _ := vs.Topic(sel)
		return t, f.send(fmt.Sprintf("Merged %q into %q.", trunc(from.Text, 30), trunc(into.Text, 30)),
			session.MergeTopics{From: t.target, Into: sel}), true
	case key.Matches(msg, k.Cancel):
		t.mode = topicsBrowse
		f.setStatus("Nothing merged.", false)
	}
	return t, nil, true
}

// browseKey handles the keys of every phase, then the phase's own. A
// facilitator's key from a participant is refused.
func (t topicsScreen) browseKey(f frame, vs *session.Vote, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	rows := t.rows(f, vs)
	sel := t.selected(f, vs)
	ph := vs.CurrentPhase()
	if !f.fac() {
		for _, b := range k.facilitatorKeys(ph) {
			if key.Matches(msg, b) {
				f.refuse()
				return t, nil, true
			}
		}
	}
	p, _ := vs.Poll()
	ranked := ph == session.PhaseVoting && p.Method == vote.Ranked
	switch {
	case ranked && key.Matches(msg, k.Raise):
		return t.moveRanked(f, vs, sel, -1), nil, true
	case ranked && key.Matches(msg, k.Lower):
		return t.moveRanked(f, vs, sel, +1), nil, true
	case key.Matches(msg, k.Up):
		t.selectRow(rows, t.selIndex(rows)-1)
		return t, nil, true
	case key.Matches(msg, k.Down):
		t.selectRow(rows, t.selIndex(rows)+1)
		return t, nil, true
	case key.Matches(msg, k.Suggest):
		if ph != session.PhaseSuggesting {
			_, err := vs.CheckSuggestion(f.v.Me, "")
			f.setStatus(errText(err), true)
			return t, nil, true
		}
		t.openInput(f, topicsTyping, t.unsent)
		t.unsent = ""
		f.setStatus("", false)
		return t, nil, true
	case key.Matches(msg, k.Options):
		t.mode = topicsOptions
		return t, nil, true
	case key.Matches(msg, k.Authors):
		return t, f.sendSay(session.Toggle{Switch: session.SwitchAuthors}, func(v *session.View) string {
			if voteOf(v).ShowAuthors {
				return "Authors are now shown to everyone."
			}
			return "Authors are now shown to facilitators only."
		}), true
	case key.Matches(msg, k.Results):
		return t, f.sendSay(session.Toggle{Switch: session.SwitchLiveResults}, func(v *session.View) string {
			if voteOf(v).LiveResults {
				return "Live results are now shown to everyone while voting."
			}
			return "Results are now hidden until voting closes."
		}), true
	}
	switch ph {
	case session.PhaseSuggesting:
		return t.suggestingKey(f, vs, msg, rows, sel)
	case session.PhaseVoting:
		return t.votingKey(f, vs, msg, sel)
	}
	return t.closedKey(f, vs, msg, sel)
}

// votingKey puts a ballot together and casts it; facilitators close or
// cancel the vote.
func (t topicsScreen) votingKey(f frame, vs *session.Vote, msg tea.KeyPressMsg, sel string) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	p, _ := vs.Poll()
	switch {
	case key.Matches(msg, k.Close):
		t.mode = topicsConfirmClose
		return t, nil, true
	case key.Matches(msg, k.Stop):
		t.mode = topicsConfirmStop
		return t, nil, true
	case key.Matches(msg, k.Add), key.Matches(msg, k.Take):
		if p.Method == vote.Single {
			return t, nil, false
		}
		return t.changeDraft(f, vs, sel, key.Matches(msg, k.Add)), nil, true
	case key.Matches(msg, k.Cast):
		return t.castBallot(f, vs, sel)
	case key.Matches(msg, k.Undo):
		if _, _, changed := t.myBallot(f, vs); changed {
			t.draftFor = ""
			f.setStatus("Changes undone: your ballot is as you cast it.", false)
			return t, nil, true
		}
	}
	return t, nil, false
}

// closedKey reads the count; facilitators pick after a tie, hold a
// runoff or reopen the vote.
func (t topicsScreen) closedKey(f frame, vs *session.Vote, msg tea.KeyPressMsg, sel string) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	p, _ := vs.Poll()
	switch {
	case key.Matches(msg, k.Rounds):
		if res := p.Result; res != nil && len(res.Rounds) > 1 {
			t.mode, t.scroll = topicsRounds, 0
			return t, nil, true
		}
	case key.Matches(msg, k.Pick):
		if !f.fac() {
			return t, nil, false
		}
		// The room says why not, if it may not (the vote has a winner).
		tp, _ := vs.Topic(sel)
		return t, f.send(fmt.Sprintf("%q is the chosen topic.", trunc(tp.Text, 50)), session.PickTopic{Topic: sel}), true
	case key.Matches(msg, k.Runoff):
		return t, f.send("Runoff started between the tied topics.", session.Runoff{}), true
	case key.Matches(msg, k.Reopen):
		return t, f.send("Voting reopened; ballots cast so far are kept.", session.ReopenVoting{}), true
	}
	return t, nil, false
}

func (t topicsScreen) suggestingKey(f frame, vs *session.Vote, msg tea.KeyPressMsg, rows []string, sel string) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	switch {
	case key.Matches(msg, k.Edit), key.Matches(msg, k.Remove), key.Matches(msg, k.Merge):
		tp, ok := vs.Topic(sel)
		if !ok {
			f.setStatus("There is no topic to choose yet.", true)
			return t, nil, true
		}
		t.target = sel
		f.setStatus("", false)
		switch {
		case key.Matches(msg, k.Edit):
			t.openInput(f, topicsEditing, tp.Text)
		case key.Matches(msg, k.Remove):
			t.mode = topicsConfirmRemove
		default:
			if len(vs.Topics) < 2 {
				f.setStatus("Merging needs two topics.", true)
				return t, nil, true
			}
			t.mode = topicsMerging
			// Start on a neighbour, the one above first (a duplicate
			// is usually suggested after the topic it repeats).
			i := t.selIndex(rows)
			if i > 0 {
				t.selectRow(rows, i-1)
			} else {
				t.selectRow(rows, i+1)
			}
		}
		return t, nil, true
	case key.Matches(msg, k.Start):
		what := fmt.Sprintf("Voting has started (%s).", methodSummary(vs.Rules()))
		return t, f.send(what, session.StartVoting{}), true
	case key.Matches(msg, k.Close):
		f.setStatus("Voting has not started yet: press v to start it.", true)
		return t, nil, true
	}
	return t, nil, false
}

// openInput opens the text field for a suggestion or an edit.
func (t *topicsScreen) openInput(f frame, mode topicsMode, value string) {
	label, placeholder, submit := "New topic", "a topic the group could work on", "add topic"
	if mode == topicsEditing {
		label, placeholder, submit = "Edit topic", "the topic's new wording", "save"
	}
	t.mode = mode
	t.input = newForm(f.st, label, placeholder, value, session.MaxTopicLen, submit, "cancel")
}

func (t topicsScreen) inputUpdate(f frame, vs *session.Vote, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	if kp, ok := msg.(tea.KeyPressMsg); ok && key.Matches(kp, t.keys.Recall) && t.mode == topicsTyping && t.input.value() == "" && t.last != "" {
		t.input.edit().SetValue(t.last)
		t.input.edit().CursorEnd()
		return t, nil, true
	}
	in, done, cmd := t.input.update(msg)
	t.input = in
	switch done {
	case formCancelled:
		// Esc cancels: the text goes, as in every form.
		t.mode = topicsBrowse
		f.setStatus("", false)
		return t, nil, true
	case formSubmitted:
		text := in.value()
		if t.mode == topicsEditing {
			clean, err := vs.CheckEdit(t.target, text)
			if err != nil {
				t.input.fail(err)
				return t, nil, true
			}
			t.mode = topicsBrowse
			return t, f.send(fmt.Sprintf("Topic changed to %q.", trunc(clean, 50)), session.EditTopic{Topic: t.target, Text: clean}), true
		}
		clean, err := vs.CheckSuggestion(f.v.Me, text)
		if err != nil {
			t.input.fail(err)
			return t, nil, true
		}
		t.last = clean
		t.openInput(f, topicsTyping, "")
		return t, t.suggest(f, clean), true
	}
	return t, cmd, true
}

// suggest sends a suggestion; if the room refuses it, it comes back to
// the field.
func (t topicsScreen) suggest(f frame, text string) tea.Cmd {
	send := f.send(fmt.Sprintf("Added %q. Type another, or press esc.", trunc(text, 40)), session.SuggestTopic{Text: text})
	return func() tea.Msg {
		msg := send()
		if d, ok := msg.(doneMsg); ok && d.err != nil {
			d.restore = text
			return d
		}
		return msg
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

var optionOf = map[int]session.VoteOption{
	optMethod: session.OptionMethod, optDots: session.OptionDots, optPerTopic: session.OptionMaxPerTopic,
}

func (t topicsScreen) optionsKey(f frame, vs *session.Vote, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *t.keys
	switch {
	case key.Matches(msg, k.Up):
		t.opt = max(t.opt-1, 0)
	case key.Matches(msg, k.Down):
		t.opt = min(t.opt+1, optCount-1)
	case key.Matches(msg, k.Done):
		t.mode = topicsBrowse
	case key.Matches(msg, k.Change):
		d := 1
		if msg.String() == "left" || msg.String() == "h" {
			d = -1
		}
		switch t.opt {
		case optResults:
			what := "Results are now hidden until voting closes."
			if d > 0 {
				what = "Live results are now shown while voting."
			}
			return t, f.send(what, session.ShowLiveResults{Show: d > 0}), true
		case optAuthors:
			what := "Authors are now shown to facilitators only."
			if d > 0 {
				what = "Authors are now shown to everyone."
			}
			return t, f.send(what, session.ShowAuthors{Show: d > 0}), true
		}
		return t, f.send("Voting rules saved.", session.AdjustVote{Option: optionOf[t.opt], By: d}), true
	}
	return t, nil, true
}

// changeDraft adds (or takes away) a dot, or a rank, on topic id, by the
// rules session gives.
func (t topicsScreen) changeDraft(f frame, vs *session.Vote, id string, add bool) topicsScreen {
	p, _ := vs.Poll()
	if id == "" {
		return t
	}
	b, _, _ := t.myBallot(f, vs)
	var ok bool
	switch p.Method {
	case vote.Dots:
		if add {
			var err error
			if b, err = p.AddDot(b, id); err != nil {
				f.setStatus(errText(err), true)
				return t
			}
			ok = true
		} else {
			b, ok = p.TakeDot(b, id)
		}
	case vote.Ranked:
		if add {
			b, ok = p.Rank(b, id)
		} else {
			b, ok = p.Unrank(b, id)
		}
	}
	if !ok {
		return t
	}
	f.setStatus("", false)
	t.draftFor, t.draft = pollKey(f.v, vs), b
	return t
}

// moveRanked moves topic id up or down the ranking.
func (t topicsScreen) moveRanked(f frame, vs *session.Vote, id string, d int) topicsScreen {
	if id == "" {
		return t
	}
	p, _ := vs.Poll()
	b, _, _ := t.myBallot(f, vs)
	b, ok := p.MoveRank(b, id, d)
	if !ok {
		return t
	}
	f.setStatus("", false)
	t.draftFor, t.draft = pollKey(f.v, vs), b
	rows := t.rows(f, vs)
	t.selectRow(rows, slices.Index(rows, id))
	return t
}

func (t topicsScreen) castBallot(f frame, vs *session.Vote, sel string) (activityScreen, tea.Cmd, bool) {
	p, _ := vs.Poll()
	b, cast, changed := t.myBallot(f, vs)
	if p.Method == vote.Single {
		if sel == "" {
			return t, nil, true
		}
		b = p.Choose(sel)
		changed = !slices.Equal(b, cast)
	}
	if !changed && cast != nil {
		f.setStatus("Your vote is in. You can change it until voting closes.", false)
		return t, nil, true
	}
	if err := vs.CheckBallot(b); err != nil {
		f.setStatus(errText(err), true)
		return t, nil, true
	}
	t.draftFor, t.draft = pollKey(f.v, vs), b
	what := "Your vote is in. You can change it until voting closes."
	if cast != nil {
		what = "Your vote is changed. You can change it until voting closes."
	}
	return t, f.send(what, session.CastBallot{Ballot: b}), true
}

func (t topicsScreen) help(f frame) []key.Binding {
	if f.v.Ended() {
		return nil
	}
	vs := voteOf(f.v)
	k := *t.keys
	fac := f.fac()
	switch t.modeNow(f) {
	case topicsTyping:
		out := t.input.help()
		if t.input.value() == "" && t.last != "" {
			out = append(out, k.Recall)
		}
		return out
	case topicsEditing:
		return t.input.help()
	case topicsConfirmRemove:
		k.Yes.SetHelp("y", "remove it")
		k.No.SetHelp("any other key", "keep it")
		return []key.Binding{k.Yes, k.No}
	case topicsConfirmStop:
		k.Yes.SetHelp("y", "discard the ballots")
		k.No.SetHelp("any other key", "keep voting")
		return []key.Binding{k.Yes, k.No}
	case topicsConfirmClose:
		k.Yes.SetHelp("y", "close and count")
		k.No.SetHelp("any other key", "keep voting")
		return []key.Binding{k.Yes, k.No}
	case topicsOptions:
		k.Select.SetHelp("↑/↓", "choose option")
		return []key.Binding{k.Select, k.Change, k.Done}
	case topicsMerging:
		k.Cancel.SetHelp("esc", "cancel")
		return []key.Binding{k.Select, k.MergeHere, k.Cancel}
	case topicsRounds:
		k.Select.SetHelp("↑/↓", "scroll")
		k.Rounds.SetHelp("i", "back to the results")
		return []key.Binding{k.Select, k.Rounds}
	}
	if vs.ShowAuthors {
		k.Authors.SetHelp("W", "hide authors")
	}
	if vs.LiveResults {
		k.Results.SetHelp("R", "hide results")
	}
	p, hasPoll := vs.Poll()
	n := len(t.rows(f, vs))
	var out []key.Binding
	switch vs.CurrentPhase() {
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
		_, _, changed := t.myBallot(f, vs)
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
			if vs.InRunoff() {
				k.Stop.SetHelp("b", "cancel runoff")
			}
			out = append(out, k.Results, k.Stop, k.Options)
		}
	case session.PhaseClosed:
		if hasPoll && p.Result != nil && len(p.Result.Rounds) > 1 {
			out = append(out, k.Rounds)
		}
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
