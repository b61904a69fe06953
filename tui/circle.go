package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// The solution circle: the sharer presents a challenge and answers
// questions, then listens while the others offer ideas in turn and in open
// discussion, and at the end marks the useful ideas and names a first
// step. The rules live in session.Circle; this file holds one screen's
// state and its keys, circle_view.go draws it.
//
// Each person sees their own circle; facilitators of several circles see
// all of them at a glance and look into one with its number.

// circleMode is what the circle panel is doing on this screen.
type circleMode int

const (
	circleBrowse   circleMode = iota
	circleSetup               // a facilitator setting the circle up
	circleTitle               // a facilitator typing a circle's title in the set-up
	circleTyping              // typing an idea, a question, an answer or the summary
	circleFeedback            // the sharer's feedback: three fields
)

// circleText is what is being typed in circleTyping.
type circleText int

const (
	textIdea circleText = iota
	textQuestion
	textAnswer
	textSummary
)

// circleScreen is one screen's state of the solution circle.
type circleScreen struct {
	mode  circleMode
	what  circleText
	input form
	// target is the question being answered.
	target string
	// draft is the set-up being edited, row its selected row, setupErr
	// what is wrong with it.
	draft    session.SetUpCircle
	row      int
	setupErr string
	// sel is the selected row of the list the phase shows (the turn
	// order, the questions, the ideas).
	sel int
	// look is the circle a facilitator looks into (from 1); 0 is all of
	// them at a glance.
	look int
	// fb are the feedback fields, fbAt the one typed in.
	fb   [3]form
	fbAt int
	keys *circleKeys // shared: never changed
}

func newCircleScreen() circleScreen { return circleScreen{keys: &sharedCircleKeys} }

// sharedCircleKeys are every circle screen's bindings; a screen that
// changes one (its help) changes a copy.
var sharedCircleKeys = newCircleKeys()

// circleKeys are the bindings of the solution circle. None of them is one
// of the room's keys (n p space + - T a m E tab r N ? q) or A.
type circleKeys struct {
	Setup, NextPhase, PrevPhase, Idea, Pass, Done, Ask, Answer, Summary key.Binding
	Hand, Floor, Useful, Feedback, BringBack, Up, Down, Raise, Lower    key.Binding
	Look, All, Change, Edit, Save, Cancel, Field                        key.Binding
}

func newCircleKeys() circleKeys {
	b := bind
	return circleKeys{
		Setup:     b([]string{"s"}, "s", "set up"),
		NextPhase: b([]string{">", "."}, ">", "next phase"),
		PrevPhase: b([]string{"<", ","}, "<", "phase back"),
		Idea:      b([]string{"i"}, "i", "type an idea"),
		Pass:      b([]string{"x"}, "x", "pass"),
		Done:      b([]string{"d"}, "d", "next speaker"),
		Ask:       b([]string{"c"}, "c", "ask a question"),
		Answer:    b([]string{"enter"}, "enter", "answer"),
		Summary:   b([]string{"w"}, "w", "write a summary"),
		Hand:      b([]string{"h"}, "h", "raise hand"),
		Floor:     b([]string{"f"}, "f", "give the floor"),
		Useful:    b([]string{"u"}, "u", "useful"),
		Feedback:  b([]string{"w"}, "w", "write feedback"),
		BringBack: b([]string{"b"}, "b", "bring back"),
		Up:        b([]string{"up", "k"}, "↑/↓", "choose"),
		Down:      b([]string{"down", "j"}, "↓", "down"),
		Raise:     b([]string{"K", "shift+up"}, "K/J", "move in order"),
		Lower:     b([]string{"J", "shift+down"}, "J", "move down"),
		Look:      b([]string{"1", "2", "3", "4", "5", "6", "7", "8"}, "1-8", "look into a circle"),
		All:       b([]string{"0"}, "0", "all circles"),
		Change:    b([]string{"left", "right", "h", "l"}, "←/→", "change"),
		Edit:      b([]string{"enter"}, "enter", "edit title"),
		Save:      b([]string{"enter"}, "enter", "save"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		Field:     b([]string{"tab", "shift+tab", "up", "down"}, "tab", "next field"),
	}
}

// circleOf returns the current activity's circle state.
func circleOf(v *session.View) *session.Circle {
	if cs, ok := v.Activity().State.(*session.Circle); ok && cs != nil {
		return cs
	}
	return session.NewCircle()
}

// shown is the circle this screen shows (from 0), or false for all of
// them at a glance (facilitators of several circles) or none (someone in
// no circle).
func (s circleScreen) shown(f frame, cs *session.Circle) (int, bool) {
	if f.fac() || f.v.Role.TakesNotes() {
		if s.look > 0 && s.look <= len(cs.Groups) {
			return s.look - 1, true
		}
		if len(cs.Groups) == 1 {
			return 0, true
		}
		if gi, ok := cs.GroupOf(f.v.Me); ok && f.v.Role == session.RoleNoteTaker {
			return gi, true
		}
		return -1, false
	}
	if gi, ok := cs.GroupOf(f.v.Me); ok {
		return gi, true
	}
	if !cs.Started() && len(cs.Groups) == 1 {
		return 0, true
	}
	return -1, false
}

// modeNow is the mode this screen is really in: the set-up lapses once
// the circle starts or the person no longer facilitates. Text being typed
// stays, so that nothing typed is lost: the room says why it cannot be
// sent, and it stays in the field.
func (s circleScreen) modeNow(f frame, cs *session.Circle) circleMode {
	switch s.mode {
	case circleSetup, circleTitle:
		if !f.fac() || cs.Started() {
			return circleBrowse
		}
	}
	return s.mode
}

func (s circleScreen) modal(f frame) bool {
	return !f.v.Ended() && s.modeNow(f, circleOf(f.v)) != circleBrowse
}

func (s circleScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	if f.v.Ended() {
		return s, nil, false
	}
	cs := circleOf(f.v)
	s.mode = s.modeNow(f, cs)
	switch msg := msg.(type) {
	case doneMsg:
		// Text the room refused goes back into its field.
		if msg.err != nil && msg.restore != "" && s.mode == circleBrowse {
			s.openText(f, s.what, msg.restore)
			s.input.fail(msg.err)
		}
		return s, nil, true
	case tea.PasteMsg:
		switch s.mode {
		case circleTyping, circleTitle:
			return s.typingUpdate(f, cs, msg)
		case circleFeedback:
			return s.feedbackUpdate(f, cs, msg)
		}
		return s, nil, false
	case tea.KeyPressMsg:
		switch s.mode {
		case circleTyping, circleTitle:
			return s.typingUpdate(f, cs, msg)
		case circleFeedback:
			return s.feedbackUpdate(f, cs, msg)
		case circleSetup:
			return s.setupKey(f, cs, msg)
		}
		return s.browseKey(f, cs, msg)
	}
	return s, nil, false
}

// number is the circle a command is for (from 1).
func number(gi int) int { return gi + 1 }

// listLen is the number of rows the phase's list has, for the selection.
func (s circleScreen) listLen(cs *session.Circle, g session.CircleGroup) int {
	switch cs.CurrentPhase() {
	case session.CircleSetup, session.CircleChallenge:
		return len(g.Order)
	case session.CircleQuestions:
		return len(g.Questions)
	case session.CircleIdeas:
		return len(g.Order)
	case session.CircleDiscussion, session.CircleFeedback:
		return len(g.Ideas)
	}
	return 0
}

func (s circleScreen) selIndex(n int) int { return min(max(s.sel, 0), max(n-1, 0)) }

// browseKey handles the keys of the circle's phases.
func (s circleScreen) browseKey(f frame, cs *session.Circle, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *s.keys
	fac := f.fac()
	facOnly := []key.Binding{k.Setup, k.NextPhase, k.PrevPhase, k.Floor, k.BringBack, k.Raise, k.Lower, k.All}
	if !fac {
		for _, b := range facOnly {
			if key.Matches(msg, b) {
				f.refuse()
				return s, nil, true
			}
		}
	}
	// Looking into one circle, or at all of them.
	if fac && len(cs.Groups) > 1 {
		switch {
		case key.Matches(msg, k.Look):
			n := int(msg.String()[0] - '0')
			if n <= len(cs.Groups) {
				s.look, s.sel = n, 0
				return s, nil, true
			}
		case key.Matches(msg, k.All):
			s.look = 0
			return s, nil, true
		}
	}
	switch {
	case key.Matches(msg, k.Setup) && !cs.Started():
		s.openSetup(f, cs)
		f.setStatus("", false)
		return s, nil, true
	case key.Matches(msg, k.NextPhase):
		return s, s.nextPhase(f, cs), true
	case key.Matches(msg, k.PrevPhase):
		if !cs.Started() {
			return s, nil, false
		}
		return s, f.send("Back a phase.", session.CircleBack{}), true
	}
	gi, ok := s.shown(f, cs)
	if !ok {
		return s, nil, false
	}
	g, _ := cs.Group(gi)
	n := s.listLen(cs, g)
	switch {
	case key.Matches(msg, k.Up):
		s.sel = max(s.selIndex(n)-1, 0)
		return s, nil, true
	case key.Matches(msg, k.Down):
		s.sel = min(s.selIndex(n)+1, max(n-1, 0))
		return s, nil, true
	}
	if !cs.Started() {
		return s, nil, false
	}
	switch cs.CurrentPhase() {
	case session.CircleChallenge, session.CircleQuestions:
		switch {
		case key.Matches(msg, k.Summary):
			s.openText(f, textSummary, g.Summary)
			return s, nil, true
		case key.Matches(msg, k.Ask) && cs.CurrentPhase() == session.CircleQuestions:
			s.openText(f, textQuestion, "")
			return s, nil, true
		case key.Matches(msg, k.Answer) && cs.CurrentPhase() == session.CircleQuestions && n > 0:
			q := g.Questions[s.selIndex(n)]
			s.target = q.ID
			s.openText(f, textAnswer, q.Answer)
			return s, nil, true
		}
	case session.CircleIdeas:
		return s.ideasKey(f, cs, gi, g, msg)
	case session.CircleDiscussion:
		switch {
		case key.Matches(msg, k.Idea):
			return s.startIdea(f, cs, gi)
		case key.Matches(msg, k.Hand):
			return s, f.sendSay(session.ToggleHand{}, func(v *session.View) string {
				cs := circleOf(v)
				gi, _ := cs.GroupOf(v.Me)
				g, _ := cs.Group(gi)
				if p := g.HandPlace(v.Me); p > 0 {
					return fmt.Sprintf("Your hand is up: you are %s in the queue.", ordinal(p))
				}
				return "Your hand is down."
			}), true
		case key.Matches(msg, k.Floor):
			if len(g.Hands) == 0 {
				f.setStatus("No hand is raised.", true)
				return s, nil, true
			}
			return s, f.send(fmt.Sprintf("%s has the floor.", capitalize(f.name(g.Hands[0]))), session.GiveCircleFloor{Circle: number(gi)}), true
		}
	case session.CircleFeedback:
		switch {
		case key.Matches(msg, k.Useful) && n > 0:
			x := g.Ideas[s.selIndex(n)]
			what := "Marked useful."
			if x.Useful {
				what = "No longer marked useful."
			}
			return s, f.send(what, session.MarkUseful{Circle: number(gi), Idea: x.ID, Useful: !x.Useful}), true
		case key.Matches(msg, k.Feedback):
			s.openFeedback(f, g)
			return s, nil, true
		}
	}
	return s, nil, false
}

// ideasKey handles the ideas in turn: the speaker types, passes or says
// they are done; facilitators reorder and bring back.
func (s circleScreen) ideasKey(f frame, cs *session.Circle, gi int, g session.CircleGroup, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *s.keys
	n := len(g.Order)
	switch {
	case key.Matches(msg, k.Idea):
		return s.startIdea(f, cs, gi)
	case key.Matches(msg, k.Pass):
		sp, _ := g.Speaker()
		what := "You passed."
		if sp != f.v.Me {
			what = fmt.Sprintf("%s passed.", capitalize(f.name(sp)))
		}
		return s, f.send(what, session.PassTurn{Circle: number(gi)}), true
	case key.Matches(msg, k.Done):
		return s, f.send("Next speaker.", session.NextTurn{Circle: number(gi)}), true
	case key.Matches(msg, k.Raise), key.Matches(msg, k.Lower):
		if n == 0 {
			return s, nil, true
		}
		by := 1
		if key.Matches(msg, k.Raise) {
			by = -1
		}
		who := g.Order[s.selIndex(n)]
		s.sel = min(max(s.selIndex(n)+by, g.Turn+1), n-1)
		return s, f.send("Turn order changed.", session.MoveInOrder{Circle: number(gi), Person: who, By: by}), true
	case key.Matches(msg, k.BringBack):
		who := session.PersonID("")
		if n > 0 && slices.Contains(g.Skipped, g.Order[s.selIndex(n)]) {
			who = g.Order[s.selIndex(n)]
		} else if len(g.Skipped) > 0 {
			who = g.Skipped[0]
		}
		if who == "" {
			f.setStatus("Nobody was skipped.", true)
			return s, nil, true
		}
		return s, f.send(fmt.Sprintf("%s speaks next.", capitalize(f.name(who))), session.BringBack{Circle: number(gi), Person: who}), true
	}
	return s, nil, false
}

// startIdea opens the idea field, or says why this person may not offer
// one now (the sharer listens).
func (s circleScreen) startIdea(f frame, cs *session.Circle, gi int) (activityScreen, tea.Cmd, bool) {
	if err := cs.CanOffer(f.v.Meetup, f.v.Me, gi, s.ideaFor(f, cs, gi)); err != nil {
		f.setStatus(errText(err), true)
		return s, nil, true
	}
	s.openText(f, textIdea, "")
	return s, nil, true
}

// ideaFor is whose idea this person types: in turn, the speaker's; in the
// discussion, the note-taker's and facilitators' go to whoever has the
// floor, others' are their own.
func (s circleScreen) ideaFor(f frame, cs *session.Circle, gi int) session.PersonID {
	g, _ := cs.Group(gi)
	switch cs.CurrentPhase() {
	case session.CircleIdeas:
		sp, _ := g.Speaker()
		return sp
	case session.CircleDiscussion:
		if f.v.Role.TakesNotes() && g.Floor != "" && g.Floor != f.v.Me {
			return g.Floor
		}
	}
	return ""
}

// nextPhase moves every circle on; in set-up it starts the circle.
func (s circleScreen) nextPhase(f frame, cs *session.Circle) tea.Cmd {
	next, ok := cs.NextPhase()
	what := "The circle has started: the challenge."
	if cs.Started() {
		if !ok {
			f.setStatus("Feedback is the last phase: press n to move on when the circle is done.", true)
			return nil
		}
		what = fmt.Sprintf("Now: %s.", session.PhaseName(next))
	}
	return f.send(what, session.CircleNext{})
}

// openText opens the text field for what.
func (s *circleScreen) openText(f frame, what circleText, value string) {
	label, placeholder, limit, submit := "Idea", "your idea for the problem sharer", session.MaxIdeaLen, "add idea"
	cs := circleOf(f.v)
	switch what {
	case textIdea:
		if gi, ok := s.shown(f, cs); ok {
			if who := s.ideaFor(f, cs, gi); who != "" && who != f.v.Me {
				label = "Idea by " + f.v.NameOf(who)
				placeholder = "their idea, as they say it"
			}
		}
	case textQuestion:
		label, placeholder, limit, submit = "Question", "a clarifying question for the sharer", session.MaxQuestionLen, "ask"
	case textAnswer:
		label, placeholder, limit, submit = "Answer", "the sharer's answer", session.MaxAnswerLen, "save"
	case textSummary:
		label, placeholder, limit, submit = "Summary", "the challenge in a few words, for all to see", session.MaxSummaryLen, "save"
	}
	s.mode, s.what = circleTyping, what
	s.input = newForm(f.st, label, placeholder, value, limit, submit, "cancel")
}

// typingUpdate handles the text field (and the set-up's title field).
func (s circleScreen) typingUpdate(f frame, cs *session.Circle, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	in, done, cmd := s.input.update(msg)
	s.input = in
	switch done {
	case formCancelled:
		if s.mode == circleTitle {
			s.mode = circleSetup
			return s, nil, true
		}
		s.mode = circleBrowse
		f.setStatus("", false)
		return s, nil, true
	case formSubmitted:
		if s.mode == circleTitle {
			return s.titleDone(f)
		}
		return s.submitText(f, cs, in.value())
	}
	return s, cmd, true
}

// submitText checks the text as the room would and sends it; what the
// room refuses comes back to the field.
func (s circleScreen) submitText(f frame, cs *session.Circle, text string) (activityScreen, tea.Cmd, bool) {
	gi, ok := s.shown(f, cs)
	if !ok {
		s.input.fail(fmt.Errorf("look into a circle first"))
		return s, nil, true
	}
	clean := session.CleanText(text)
	var cmd session.Command
	var what string
	var err error
	switch s.what {
	case textIdea:
		who := s.ideaFor(f, cs, gi)
		clean, err = cs.CheckIdea(f.v.Meetup, f.v.Me, gi, who, text)
		cmd, what = session.AddIdea{Circle: number(gi), Text: clean, For: who}, "Idea added."
		if cs.CurrentPhase() == session.CircleDiscussion {
			what = "Idea added. Type another, or press esc."
		}
	case textQuestion:
		err = checkText("the question", clean, session.MaxQuestionLen, true)
		cmd, what = session.AskQuestion{Circle: number(gi), Text: clean}, "Question asked."
	case textAnswer:
		err = checkText("the answer", clean, session.MaxAnswerLen, false)
		cmd, what = session.AnswerQuestion{Circle: number(gi), Question: s.target, Text: clean}, "Answer saved."
	case textSummary:
		err = checkText("the summary", clean, session.MaxSummaryLen, false)
		cmd, what = session.SetSummary{Circle: number(gi), Text: clean}, "Summary saved: everyone sees it."
	}
	if err != nil {
		s.input.fail(err)
		return s, nil, true
	}
	// An idea in the discussion leaves the field open for the next one.
	if s.what == textIdea && cs.CurrentPhase() == session.CircleDiscussion {
		s.openText(f, textIdea, "")
	} else {
		s.mode = circleBrowse
	}
	send := f.send(what, cmd)
	return s, func() tea.Msg {
		msg := send()
		if d, ok := msg.(doneMsg); ok && d.err != nil {
			d.restore = text
			return d
		}
		return msg
	}, true
}

// checkText checks cleaned text against its limit, and that it is not
// empty when it must not be.
func checkText(what, clean string, limit int, needed bool) error {
	if needed && clean == "" {
		return fmt.Errorf("%s: %w", what, session.ErrEmptyText)
	}
	return session.CheckLen(what, clean, limit)
}

// Feedback: what the sharer heard that helped, the first step, by when.

var feedbackLabels = [3]string{"Heard", "First step", "By when"}

func (s *circleScreen) openFeedback(f frame, g session.CircleGroup) {
	s.mode, s.fbAt = circleFeedback, 0
	s.fb[0] = newForm(f.st, feedbackLabels[0], "what you heard that helped", g.Heard, session.MaxHeardLen, "next", "cancel")
	s.fb[1] = newForm(f.st, feedbackLabels[1], "the first step you will take", g.FirstStep, session.MaxStepLen, "next", "cancel")
	s.fb[2] = newForm(f.st, feedbackLabels[2], "tomorrow, friday, in 2 weeks, 2026-12-24", g.DueText(), 0, "save", "cancel")
	if !g.Due.IsZero() {
		s.fb[2].edit().SetValue(g.Due.Format("2006-01-02"))
	}
	s.focusFeedback()
}

func (s *circleScreen) focusFeedback() {
	for i := range s.fb {
		if i == s.fbAt {
			s.fb[i].edit().Focus()
			s.fb[i].edit().CursorEnd()
		} else {
			s.fb[i].edit().Blur()
		}
	}
}

func (s circleScreen) feedbackUpdate(f frame, cs *session.Circle, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch kp.String() {
		case "tab", "down":
			s.fbAt = (s.fbAt + 1) % len(s.fb)
			s.focusFeedback()
			return s, nil, true
		case "shift+tab", "up":
			s.fbAt = (s.fbAt + len(s.fb) - 1) % len(s.fb)
			s.focusFeedback()
			return s, nil, true
		}
	}
	in, done, cmd := s.fb[s.fbAt].update(msg)
	s.fb[s.fbAt] = in
	switch done {
	case formCancelled:
		s.mode = circleBrowse
		f.setStatus("", false)
		return s, nil, true
	case formSubmitted:
		if s.fbAt < len(s.fb)-1 {
			s.fbAt++
			s.focusFeedback()
			return s, nil, true
		}
		gi, ok := s.shown(f, cs)
		if !ok {
			return s, nil, true
		}
		fb := session.SetFeedback{Circle: number(gi), Heard: s.fb[0].value(), FirstStep: s.fb[1].value(), Due: s.fb[2].value()}
		if _, _, _, err := fb.Check(f.now); err != nil {
			s.fb[s.fbAt].fail(err)
			return s, nil, true
		}
		s.mode = circleBrowse
		return s, f.send("Feedback saved.", fb), true
	}
	return s, cmd, true
}

// The set-up: a facilitator's rows.

// setupRow is one row of the set-up.
type setupRow struct {
	kind   int
	circle int
	phase  session.CirclePhase
}

const (
	rowCount = iota
	rowSharer
	rowTitle
	rowQuestionsOn
	rowPhase
	rowTurn
)

func (s circleScreen) setupRows() []setupRow {
	rows := []setupRow{{kind: rowCount}}
	for i := range s.draft.Circles {
		rows = append(rows, setupRow{kind: rowSharer, circle: i}, setupRow{kind: rowTitle, circle: i})
	}
	rows = append(rows, setupRow{kind: rowQuestionsOn})
	for _, p := range session.CirclePhases {
		if p != session.CircleQuestions || s.draft.Questions {
			rows = append(rows, setupRow{kind: rowPhase, phase: p})
		}
	}
	return append(rows, setupRow{kind: rowTurn})
}

// openSetup starts editing the set-up: the first circle's title is the
// chosen topic and its sharer the topic's first author here, until set.
func (s *circleScreen) openSetup(f frame, cs *session.Circle) {
	s.mode, s.row, s.setupErr = circleSetup, 1, ""
	s.draft = cs.Setup()
	if text, authors, ok := f.v.ChosenTopic(); ok {
		c := &s.draft.Circles[0]
		if c.Title == "" {
			c.Title = text
		}
		if c.Sharer == "" {
			for _, id := range authors {
				if mem, ok := f.v.Member(id); ok && mem.Present {
					c.Sharer = id
					break
				}
			}
		}
	}
}

func (s circleScreen) setupKey(f frame, cs *session.Circle, msg tea.KeyPressMsg) (activityScreen, tea.Cmd, bool) {
	k := *s.keys
	rows := s.setupRows()
	s.row = min(max(s.row, 0), len(rows)-1)
	r := rows[s.row]
	switch {
	case key.Matches(msg, k.Cancel):
		s.mode = circleBrowse
		f.setStatus("The set-up is as it was.", false)
	case key.Matches(msg, k.Up):
		s.row = max(s.row-1, 0)
	case key.Matches(msg, k.Down):
		s.row = min(s.row+1, len(rows)-1)
	case key.Matches(msg, k.Change), msg.String() == "+", msg.String() == "-", msg.String() == "space":
		by := 1
		if m := msg.String(); m == "left" || m == "h" || m == "-" {
			by = -1
		}
		s.change(f, cs, r, by)
		s.setupErr = ""
	case key.Matches(msg, k.Edit) && r.kind == rowTitle:
		s.mode = circleTitle
		s.input = newForm(f.st, fmt.Sprintf("Circle %d's challenge", r.circle+1), "the challenge, in a few words",
			s.draft.Circles[r.circle].Title, session.MaxTopicLen, "done", "cancel")
	case key.Matches(msg, k.Save):
		clean, err := s.draft.Check(f.v.Meetup)
		if err != nil {
			s.setupErr = errText(err)
			return s, nil, true
		}
		s.mode = circleBrowse
		return s, f.send("Set-up saved. Press > or space to start the circle.", clean), true
	}
	return s, nil, true
}

// change moves the value of set-up row r by one step.
func (s *circleScreen) change(f frame, cs *session.Circle, r setupRow, by int) {
	d := &s.draft
	step := func(v time.Duration, lo time.Duration) time.Duration {
		return min(max(v+time.Duration(by)*time.Minute, lo), session.MaxPhaseMinutes*time.Minute)
	}
	switch r.kind {
	case rowCount:
		n := min(max(len(d.Circles)+by, 1), session.MaxCircles)
		for len(d.Circles) < n {
			d.Circles = append(d.Circles, session.CirclePlan{})
		}
		d.Circles = d.Circles[:n]
	case rowSharer:
		choices := append([]session.PersonID{""}, cs.SharerChoices(f.v.Meetup)...)
		cur := d.Circles[r.circle].Sharer
		i := max(slices.Index(choices, cur), 0)
		for range choices {
			i = (i + by + len(choices)) % len(choices)
			taken := slices.ContainsFunc(d.Circles, func(c session.CirclePlan) bool { return c.Sharer == choices[i] && choices[i] != "" })
			if !taken {
				break
			}
		}
		d.Circles[r.circle].Sharer = choices[i]
	case rowQuestionsOn:
		d.Questions = !d.Questions
		if d.Questions && d.Times.Questions == 0 {
			d.Times.Questions = session.DefaultPhaseTimes.Questions
		}
	case rowPhase:
		t := &d.Times
		switch r.phase {
		case session.CircleChallenge:
			t.Challenge = step(t.Challenge, time.Minute)
		case session.CircleQuestions:
			t.Questions = step(t.Questions, time.Minute)
		case session.CircleIdeas:
			t.Ideas = step(t.Ideas, time.Minute)
		case session.CircleDiscussion:
			t.Discussion = step(t.Discussion, time.Minute)
		case session.CircleFeedback:
			t.Feedback = step(t.Feedback, time.Minute)
		}
	case rowTurn:
		d.Turn = step(d.Turn, 0)
	}
}

func (s circleScreen) titleDone(f frame) (activityScreen, tea.Cmd, bool) {
	r := s.setupRows()[s.row]
	clean := session.CleanText(s.input.value())
	if err := session.CheckLen("the title", clean, session.MaxTopicLen); err != nil {
		s.input.fail(err)
		return s, nil, true
	}
	s.draft.Circles[r.circle].Title = clean
	// The next row, so that enter then saves.
	s.mode, s.row = circleSetup, min(s.row+1, len(s.setupRows())-1)
	return s, nil, true
}

func (s circleScreen) footer(f frame, w int) []string {
	if f.v.Ended() {
		return nil
	}
	switch s.modeNow(f, circleOf(f.v)) {
	case circleTyping, circleTitle:
		return s.input.view(f.st, w)
	case circleFeedback:
		var out []string
		for i, in := range s.fb {
			// Laid out two cells narrower, for the marker of the field
			// being typed in, so the count at the end is not cut.
			lines := in.view(f.st, w-2)
			if i == s.fbAt {
				lines[0] = "▶ " + lines[0]
			} else {
				lines[0] = "  " + lines[0]
			}
			out = append(out, lines...)
		}
		return out
	}
	return nil
}

func (s circleScreen) help(f frame) []key.Binding {
	if f.v.Ended() {
		return nil
	}
	cs := circleOf(f.v)
	k := *s.keys
	fac := f.fac()
	switch s.modeNow(f, cs) {
	case circleTyping, circleTitle:
		return s.input.help()
	case circleFeedback:
		sub := k.Save
		if s.fbAt < len(s.fb)-1 {
			sub.SetHelp("enter", "next field")
		}
		return []key.Binding{sub, k.Field, k.Cancel}
	case circleSetup:
		rows := s.setupRows()
		save := k.Save
		if rows[min(max(s.row, 0), len(rows)-1)].kind == rowTitle {
			save = k.Edit
		}
		return []key.Binding{k.Up, k.Change, save, k.Cancel}
	}
	var out []key.Binding
	if !cs.Started() {
		if fac {
			next := k.NextPhase
			next.SetHelp(">", "start")
			out = append(out, k.Setup, next)
		}
		return out
	}
	if fac {
		if next, ok := cs.NextPhase(); ok {
			b := k.NextPhase
			b.SetHelp(">", session.PhaseName(next))
			out = append(out, b)
		}
	}
	gi, ok := s.shown(f, cs)
	if !ok {
		if fac && len(cs.Groups) > 1 {
			look := k.Look
			look.SetHelp(fmt.Sprintf("1-%d", len(cs.Groups)), "look into a circle")
			out = append(out, look)
		}
		return out
	}
	g, _ := cs.Group(gi)
	sharerSide := g.Sharer == f.v.Me || f.v.Role.TakesNotes()
	switch cs.CurrentPhase() {
	case session.CircleChallenge:
		if sharerSide {
			out = append(out, k.Summary)
		}
	case session.CircleQuestions:
		if g.Sharer != f.v.Me {
			out = append(out, k.Ask)
		}
		if sharerSide && len(g.Questions) > 0 {
			out = append(out, k.Up, k.Answer)
		}
	case session.CircleIdeas:
		sp, speaking := g.Speaker()
		if cs.CanOffer(f.v.Meetup, f.v.Me, gi, s.ideaFor(f, cs, gi)) == nil {
			out = append(out, k.Idea, k.Pass)
		}
		if speaking && (sp == f.v.Me || fac) {
			done := k.Done
			if sp == f.v.Me {
				done.SetHelp("d", "my turn is done")
			}
			out = append(out, done)
		}
		if fac {
			out = append(out, k.Up, k.Raise)
			if len(g.Skipped) > 0 {
				out = append(out, k.BringBack)
			}
		}
	case session.CircleDiscussion:
		if g.Sharer != f.v.Me {
			hand := k.Hand
			if g.HandPlace(f.v.Me) > 0 {
				hand.SetHelp("h", "lower hand")
			}
			out = append(out, k.Idea, hand)
		}
		if fac && len(g.Hands) > 0 {
			out = append(out, k.Floor)
		}
	case session.CircleFeedback:
		if sharerSide {
			out = append(out, k.Feedback)
			if len(g.Ideas) > 0 {
				out = append(out, k.Up, k.Useful)
			}
		}
	}
	if fac {
		out = append(out, k.PrevPhase)
		if len(cs.Groups) > 1 {
			out = append(out, k.All)
		}
	}
	return out
}

// timeUpHint is the line shown when a phase's time is up.
func (s circleScreen) timeUpHint(f frame) string {
	cs := circleOf(f.v)
	if !cs.Started() {
		return ""
	}
	if f.fac() {
		if next, ok := cs.NextPhase(); ok {
			return fmt.Sprintf("Time for this phase is up: press > for %s, or + for another minute.", session.PhaseName(next))
		}
		return "Time is up: press n to move on when the circle is done, or + for another minute."
	}
	return "Time for this phase is up: the facilitator will move on in a moment."
}

// ordinal is 1st, 2nd, 3rd, 4th...
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// names lists people by name ("you" for the viewer).
func names(f frame, ids []session.PersonID) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = f.name(id)
	}
	return strings.Join(out, ", ")
}
