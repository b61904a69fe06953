package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
	"github.com/convene/convene/session/vote"
)

const (
	benID session.PersonID = "SHA256:ben"
	cyID  session.PersonID = "SHA256:cy"
)

// topicsWorld is a meetup whose first activity is topics and voting, with
// a facilitator (Fran) and three participants, each with a screen.
type topicsWorld struct {
	t       *testing.T
	room    *session.Room
	screens map[session.PersonID]model
}

func newTopicsWorld(t *testing.T, w, h int) *topicsWorld {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	hub := hubWith(t, clock, func() []session.Activity {
		return []session.Activity{
			{Kind: session.KindTopics, Title: "Topics and voting", Duration: 8 * time.Minute, State: session.NewVote()},
			{Kind: session.KindCircle, Title: "Solution circle", Duration: 20 * time.Minute, Note: "Share, listen, help."},
		}
	})
	r, err := hub.Create(context.Background(), hostID, "Housing officers", "")
	if err != nil {
		t.Fatal(err)
	}
	tw := &topicsWorld{t: t, room: r, screens: map[session.PersonID]model{}}
	for _, p := range []struct {
		id   session.PersonID
		name string
	}{{hostID, "Fran"}, {anaID, "Ana"}, {benID, "Ben"}, {cyID, "Cy"}} {
		tw.screens[p.id] = inRoom(t, hub, r, p.id, p.name, w, h)
	}
	return tw
}

func (tw *topicsWorld) do(id session.PersonID, cmd session.Command) {
	tw.t.Helper()
	if err := tw.room.Do(context.Background(), id, cmd); err != nil {
		tw.t.Fatalf("%s by %s: %v", cmd.Kind(), id, err)
	}
}

// view is what the person's screen shows now, as plain text, once it has
// taken in the room's newest state.
func (tw *topicsWorld) view(id session.PersonID) string {
	tw.screens[id] = fresh(tw.screens[id])
	return plain(tw.screens[id].View())
}

// vote is the room's topics state, with every secret in it.
func (tw *topicsWorld) vote() *session.Vote { return tw.room.State().Activity().State.(*session.Vote) }

// input is the text in a person's topic field.
func (tw *topicsWorld) input(id session.PersonID) string {
	return tw.screens[id].room.act.(topicsScreen).input.value()
}

// press sends keys to a person's screen and runs what they start, as the
// program would, so that the room sees the commands.
func (tw *topicsWorld) press(id session.PersonID, keys ...string) {
	tw.t.Helper()
	m := tw.screens[id]
	for _, k := range keys {
		m = runCmds(tw.t, fresh(m), keyMsg(k))
	}
	tw.screens[id] = m
}

func keyMsg(k string) tea.Msg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// runCmds updates m with msg, as the program would, and then with the
// reply of every command it started.
//
// A key or a paste in the room starts only commands that end: the
// room's replies (send, sendSay, renameCmd: a doneMsg once the room has
// dealt with what was sent, or at once when it was refused before being
// sent) and nothing else. The commands that wait, for the room to change
// (waitRoom), for the server to stop (waitStopping) or for the clock
// (syncClock), are armed when the room changes or the screen starts,
// never by a key. So every command here is run to its end, in order, and
// its doneMsg given to the model: nothing is decided by how long a
// command takes. One that never ends is a wait started by a key, a bug
// the watchdog reports rather than let the test hang.
func runCmds(t *testing.T, m model, msg tea.Msg) model {
	t.Helper()
	m, cmd := update(m, msg)
	for _, out := range replies(t, cmd) {
		if d, ok := out.(doneMsg); ok {
			m, _ = update(m, d)
		}
	}
	return m
}

// replies runs cmd, and each command of a batch it is, to its end and
// returns their messages in order.
func replies(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("a command started by a key or a paste has not ended after 10 s: it waits for something, where only the room's reply belongs")
	}
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for _, c := range batch {
		out = append(out, replies(t, c)...)
	}
	return out
}

func TestTopicsScreensFit(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			tw := newTopicsWorld(t, size.w, size.h)
			check := func(stage string) {
				t.Helper()
				for _, id := range []session.PersonID{hostID, anaID} {
					tw.view(id)
					checkFits(t, tw.screens[id], fmt.Sprintf("%s, %s", stage, id))
				}
			}
			check("empty")
			for i := range 14 {
				tw.do([]session.PersonID{anaID, benID, cyID}[i%3], session.SuggestTopic{Text: fmt.Sprintf("Topic number %d about %s", i+1, strings.Repeat("housing repairs and damp ", i%3+1))})
			}
			check("suggesting")
			tw.do(hostID, session.StartVoting{})
			tw.press(anaID, "right", "right", "down", "right")
			check("voting")
			tw.do(hostID, session.ShowLiveResults{Show: true})
			tw.press(anaID, "enter")
			check("voting-live")
			tw.do(hostID, session.CloseVoting{})
			check("closed")
		})
	}
}

// TestBallotSecrecy shows that a person's choices appear on nobody's
// screen but their own: in two worlds where Ana and Ben cast swapped
// ballots, every other screen (the facilitator's included) is the same,
// while voting, with live results, and after the count.
func TestBallotSecrecy(t *testing.T) {
	worlds := [2]*topicsWorld{newTopicsWorld(t, 120, 40), newTopicsWorld(t, 120, 40)}
	for _, tw := range worlds {
		tw.do(anaID, session.SuggestTopic{Text: "Damp and mould"})
		tw.do(benID, session.SuggestTopic{Text: "Parking"})
		tw.do(cyID, session.SuggestTopic{Text: "Bins"})
		tw.do(hostID, session.StartVoting{})
	}
	ballots := [2]vote.Ballot{{"t1", "t1", "t3"}, {"t2", "t2"}}
	cast := func(swap bool) {
		for i, tw := range worlds {
			a, b := ballots[0], ballots[1]
			if i == 1 == swap {
				a, b = b, a
			}
			tw.do(anaID, session.CastBallot{Ballot: a})
			tw.do(benID, session.CastBallot{Ballot: b})
		}
	}
	same := func(stage string, id session.PersonID, want bool) {
		t.Helper()
		v0, v1 := worlds[0].view(id), worlds[1].view(id)
		if (v0 == v1) != want {
			t.Errorf("%s: %s's screen same in both worlds = %v; want %v\n%s\n%s", stage, id, v0 == v1, want, v0, v1)
		}
	}
	cast(true)
	for _, id := range []session.PersonID{hostID, cyID} {
		same("voting", id, true)
	}
	// The voters' own screens differ: they show each their own ballot.
	same("voting", anaID, false)
	same("voting", benID, false)
	fac := worlds[0].view(hostID)
	if !strings.Contains(fac, "Voted: 2 of 4 here") || !strings.Contains(fac, "not yet: you, Cy") {
		t.Errorf("the facilitator does not see who has voted:\n%s", fac)
	}
	if strings.Contains(worlds[0].view(cyID), "Voted:") {
		t.Errorf("a participant sees who has voted:\n%s", worlds[0].view(cyID))
	}
	// Hidden results: no tallies anywhere before the close.
	for _, id := range []session.PersonID{hostID, anaID, benID, cyID} {
		if v := worlds[0].view(id); strings.Contains(v, "█") {
			t.Errorf("%s sees a tally while results are hidden:\n%s", id, v)
		}
	}
	// Live results show totals, the same in both worlds.
	for _, tw := range worlds {
		tw.do(hostID, session.ShowLiveResults{Show: true})
	}
	same("live", hostID, true)
	same("live", cyID, true)
	if !strings.Contains(worlds[0].view(cyID), "█") {
		t.Errorf("live results not shown:\n%s", worlds[0].view(cyID))
	}
	for _, tw := range worlds {
		tw.do(hostID, session.CloseVoting{})
	}
	for _, id := range []session.PersonID{hostID, cyID, anaID, benID} {
		same("closed", id, true)
	}
}

func TestAuthorsShownOnlyAsChosen(t *testing.T) {
	tw := newTopicsWorld(t, 120, 40)
	tw.do(anaID, session.SuggestTopic{Text: "Damp and mould"})
	if v := tw.view(hostID); !strings.Contains(topicLine(v, "Damp and mould"), "Ana") {
		t.Errorf("the facilitator does not see the author:\n%s", v)
	}
	if v := tw.view(benID); strings.Contains(topicLine(v, "Damp and mould"), "Ana") {
		t.Errorf("a participant sees a hidden author:\n%s", v)
	}
	if v := tw.view(anaID); !strings.Contains(v, "yours") {
		t.Errorf("the author is not shown their own topic as theirs:\n%s", v)
	}
	tw.do(hostID, session.ShowAuthors{Show: true})
	if v := tw.view(benID); !strings.Contains(topicLine(v, "Damp and mould"), "Ana") {
		t.Errorf("authors shown, but not to a participant:\n%s", v)
	}
}

// topicLine is the part of the screen line showing topic text that
// belongs to the main panel (after the side panel).
func topicLine(screen, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		if i := strings.Index(l, text); i >= 0 {
			return l[i:]
		}
	}
	return ""
}

func TestSuggestionInputKeepsTextOnError(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	long := strings.Repeat("x", session.MaxTopicLen+5)
	tw.press(anaID, "t")
	for _, r := range long {
		tw.press(anaID, string(r))
	}
	tw.press(anaID, "enter")
	v := tw.view(anaID)
	if !strings.Contains(v, "at most 120 characters") || !strings.Contains(v, "125/120 too long") {
		t.Fatalf("an over-long topic was not explained:\n%s", v)
	}
	if got := tw.input(anaID); got != long {
		t.Fatalf("the typed text was lost: %d characters left", len(got))
	}
	if len(tw.vote().TopicList()) != 0 {
		t.Fatalf("an over-long topic was added")
	}
	// Room keys typed into the input are text, not actions.
	for range 7 {
		tw.press(anaID, "backspace")
	}
	tw.press(anaID, "q", "r", "enter")
	ts := tw.vote().TopicList()
	if len(ts) != 1 || ts[0].Text != strings.Repeat("x", session.MaxTopicLen-2)+"qr" {
		t.Fatalf("topics = %+v", ts)
	}
	if mem, _ := tw.room.State().Member(anaID); mem.Ready {
		t.Fatalf("r typed into a topic marked Ana done")
	}
	if v := tw.view(anaID); strings.Contains(v, "I'm done") || !strings.Contains(v, "enter add topic") {
		t.Fatalf("while typing, the help bar offers room keys:\n%s", v)
	}
	// An empty one is refused, and esc cancels: what was typed goes, as
	// in every form.
	tw.press(anaID, "enter")
	if !strings.Contains(tw.view(anaID), "The topic: the text is empty") {
		t.Fatalf("empty topic not refused:\n%s", tw.view(anaID))
	}
	tw.press(anaID, "B", "i", "esc", "t")
	if got := tw.input(anaID); got != "" {
		t.Fatalf("after esc and t, the input holds %q; want it empty", got)
	}
	tw.press(anaID, "B", "i")
	// A paste (from a chat, say) lands in the input, control bytes cleaned
	// when it is sent.
	tw.screens[anaID] = runCmds(t, tw.screens[anaID], tea.PasteMsg{Content: "ns\x1b[31m and recycling"})
	tw.press(anaID, "enter")
	if ts := tw.vote().TopicList(); len(ts) != 2 || ts[1].Text != "Bins and recycling" {
		t.Fatalf("pasted topic = %+v", ts)
	}
}

func TestParticipantTopicKeysRefused(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	tw.do(anaID, session.SuggestTopic{Text: "Damp"})
	tw.do(benID, session.SuggestTopic{Text: "Bins"})
	before := tw.room.State().Version
	for _, k := range []string{"x", "e", "M", "v", "W", "R", "o"} {
		tw.press(benID, k)
		if v := tw.view(benID); !strings.Contains(v, "Only a facilitator can do that") {
			t.Errorf("participant's %s not refused:\n%s", k, v)
		}
		tw.press(benID, "t", "esc") // clears the status
	}
	if tw.room.State().Version != before {
		t.Fatalf("a participant's facilitator keys changed the meetup")
	}
}

func TestFacilitatorEditMergeRemoveByKeys(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	tw.do(anaID, session.SuggestTopic{Text: "Damp"})
	tw.do(benID, session.SuggestTopic{Text: "damp and mould"})
	tw.do(cyID, session.SuggestTopic{Text: "Bins"})
	// Merge the second into the first: M on it, enter.
	tw.press(hostID, "down", "M", "enter")
	v := tw.vote()
	if len(v.Topics) != 2 || len(v.Topics[0].Authors) != 2 {
		t.Fatalf("after merge: %+v\n%s", v.Topics, tw.view(hostID))
	}
	// Edit the first.
	tw.press(hostID, "up", "e")
	for range 4 {
		tw.press(hostID, "backspace")
	}
	for _, r := range "Damp and mould" {
		tw.press(hostID, string(r))
	}
	tw.press(hostID, "enter")
	if got := tw.vote().Topics[0].Text; got != "Damp and mould" {
		t.Fatalf("after edit: %q\n%s", got, tw.view(hostID))
	}
	// Remove asks first; any key but y keeps it.
	tw.press(hostID, "down", "x")
	if !strings.Contains(tw.view(hostID), `Remove "Bins"?`) {
		t.Fatalf("remove did not ask:\n%s", tw.view(hostID))
	}
	tw.press(hostID, "n")
	if len(tw.vote().Topics) != 2 || tw.room.State().Current != 0 {
		t.Fatalf("n after x removed the topic or moved the agenda")
	}
	tw.press(hostID, "x", "y")
	if ts := tw.vote().Topics; len(ts) != 1 || ts[0].Text != "Damp and mould" {
		t.Fatalf("after remove: %+v", ts)
	}
}

func TestVotingByKeys(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	tw.do(anaID, session.SuggestTopic{Text: "Damp"})
	tw.do(benID, session.SuggestTopic{Text: "Bins"})
	tw.do(cyID, session.SuggestTopic{Text: "Parking"})
	tw.press(hostID, "v")
	if tw.vote().CurrentPhase() != session.PhaseVoting {
		t.Fatalf("v did not start voting:\n%s", tw.view(hostID))
	}
	// Dots: two on Damp, a third is refused on the screen, one on Parking.
	tw.press(anaID, "right", "right", "right")
	if !strings.Contains(tw.view(anaID), "At most 2 dots can go on one topic") {
		t.Fatalf("third dot on one topic not refused:\n%s", tw.view(anaID))
	}
	tw.press(anaID, "down", "down", "right", "right")
	if !strings.Contains(tw.view(anaID), "All 3 dots are placed") {
		t.Fatalf("fourth dot not refused:\n%s", tw.view(anaID))
	}
	if p, _ := tw.vote().Poll(); p.HasVoted(anaID) {
		t.Fatalf("a draft was cast before enter")
	}
	tw.press(anaID, "enter")
	p, _ := tw.vote().Poll()
	if got := p.Ballot(anaID); strings.Join(got, ",") != "t1,t1,t3" {
		t.Fatalf("ana's ballot = %v", got)
	}
	if !strings.Contains(tw.view(anaID), "Your vote is in") {
		t.Fatalf("no confirmation:\n%s", tw.view(anaID))
	}
	// Change: take one off Damp, put it on Bins; esc undoes before enter.
	tw.press(anaID, "up", "up", "left", "down", "right")
	if !strings.Contains(tw.view(anaID), "Changed, not cast yet") {
		t.Fatalf("a changed ballot is not shown as changed:\n%s", tw.view(anaID))
	}
	tw.press(anaID, "esc")
	tw.press(anaID, "left", "up", "left", "down", "right", "enter")
	p, _ = tw.vote().Poll()
	if got := p.Ballot(anaID); strings.Join(got, ",") != "t1,t2,t3" {
		t.Fatalf("ana's changed ballot = %v\n%s", got, tw.view(anaID))
	}
	// Another person gets a fresh ballot; the facilitator closes with c.
	tw.press(benID, "down", "right", "right", "enter")
	tw.press(hostID, "c")
	if !strings.Contains(tw.view(hostID), "Close voting and count the 2 ballots?") {
		t.Fatalf("closing the vote did not ask first:\n%s", tw.view(hostID))
	}
	tw.press(hostID, "n")
	if tw.vote().CurrentPhase() != session.PhaseVoting {
		t.Fatalf("a key other than y closed the vote")
	}
	tw.press(hostID, "c", "y")
	v := tw.vote()
	if v.CurrentPhase() != session.PhaseClosed || v.Chosen != "t2" {
		t.Fatalf("after c: phase %s chosen %q", v.CurrentPhase(), v.Chosen)
	}
	for _, id := range []session.PersonID{hostID, anaID, benID, cyID} {
		if view := tw.view(id); !strings.Contains(view, `Winner: "Bins" with 3 dots`) {
			t.Errorf("%s does not see the winner:\n%s", id, view)
		}
	}
	if view := tw.view(benID); !strings.Contains(view, "You suggested it and are invited") {
		t.Errorf("the author is not offered the sharer's seat:\n%s", view)
	}
	if view := tw.view(cyID); strings.Contains(view, "Ben") && strings.Contains(view, "sharer") && strings.Contains(view, "Suggested by Ben") {
		t.Errorf("a hidden author is named to a participant:\n%s", view)
	}
	// The circle shows the topic.
	tw.press(hostID, "n")
	if view := tw.view(cyID); !strings.Contains(view, `Topic: "Bins"`) {
		t.Errorf("the circle does not show the chosen topic:\n%s", view)
	}
}

func TestRankedAndTieByKeys(t *testing.T) {
	tw := newTopicsWorld(t, 120, 40)
	tw.do(anaID, session.SuggestTopic{Text: "Damp"})
	tw.do(benID, session.SuggestTopic{Text: "Bins"})
	tw.do(cyID, session.SuggestTopic{Text: "Parking"})
	tw.do(hostID, session.SetVoteRules{Method: vote.Ranked, Dots: 3, MaxPerTopic: 2})
	tw.do(hostID, session.StartVoting{})
	// Ana ranks Parking first, then Damp: → on Parking, K to move Damp up.
	tw.press(anaID, "down", "down", "right", "down", "K", "enter")
	p, _ := tw.vote().Poll()
	if got := strings.Join(p.Ballot(anaID), ","); got != "t3,t1" {
		t.Fatalf("ana's ranking = %s\n%s", got, tw.view(anaID))
	}
	tw.press(benID, "down", "right", "enter") // Bins
	tw.press(hostID, "c", "y")
	view := tw.view(cyID)
	if !strings.Contains(view, "Tie between") || !strings.Contains(view, "The facilitator will choose") {
		t.Fatalf("the tie is not shown:\n%s", view)
	}
	// Everyone can read every round of the count.
	tw.press(cyID, "i")
	view = tw.view(cyID)
	for _, want := range []string{"Round 1", "Round 2", "is out", "Every topic left has the same votes"} {
		if !strings.Contains(view, want) {
			t.Fatalf("the rounds view lacks %q:\n%s", want, view)
		}
	}
	tw.press(cyID, "i")
	// A runoff between the two tied is one choice each; then the
	// facilitator picks after another tie.
	tw.press(hostID, "u")
	p, _ = tw.vote().Poll()
	if len(p.Topics) != 2 || p.Method != vote.Single {
		t.Fatalf("runoff topics = %v, method %s; want 2, single", p.Topics, p.Method)
	}
	tw.press(hostID, "c", "y")
	tw.press(hostID, "down", "enter")
	if v := tw.vote(); v.Chosen == "" || !v.Picked {
		t.Fatalf("the facilitator's pick did not choose: %+v\n%s", v, tw.view(hostID))
	}
	if !strings.Contains(tw.view(anaID), "Chosen by the facilitator") {
		t.Fatalf("the pick is not shown:\n%s", tw.view(anaID))
	}
}

// TestOptionsQuickPresses: two → pressed before the room answers the
// first move the method two steps, not one.
func TestOptionsQuickPresses(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	tw.press(hostID, "o")
	m := tw.screens[hostID]
	next, first := m.Update(keyMsg("right"))
	next, second := next.(model).Update(keyMsg("right"))
	for _, cmd := range []tea.Cmd{first, second} {
		if d, ok := cmd().(doneMsg); !ok || d.err != nil {
			t.Fatalf("option change: %+v", d)
		}
	}
	if got := tw.vote().Method; got != vote.Ranked {
		t.Fatalf("after → → the method is %s; want ranked", got)
	}
	tw.screens[hostID] = next.(model)
	tw.press(hostID, "down", "left")
	if !strings.Contains(tw.view(hostID), "for dot voting only") {
		t.Fatalf("changing dots of a ranked vote was not refused:\n%s", tw.view(hostID))
	}
	tw.press(hostID, "down", "down", "right", "right", "esc")
	if v := tw.vote(); !v.LiveResults {
		t.Fatalf("→ on results did not show them")
	}
	tw.press(hostID, "o", "up", "up", "up", "up", "down", "down", "down", "left")
	if v := tw.vote(); v.LiveResults {
		t.Fatalf("← on results did not hide them")
	}
}

// TestDraftBelongsToItsPoll: a vote stopped and opened again starts each
// person from an empty ballot, not from what they were putting together.
func TestDraftBelongsToItsPoll(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	tw.do(anaID, session.SuggestTopic{Text: "Damp"})
	tw.do(benID, session.SuggestTopic{Text: "Bins"})
	tw.do(hostID, session.StartVoting{})
	tw.press(anaID, "right", "right")
	tw.do(hostID, session.StopVoting{})
	tw.do(hostID, session.StartVoting{})
	if v := tw.view(anaID); !strings.Contains(v, "3 of 3 dots left") {
		t.Fatalf("a draft from a cancelled vote came back:\n%s", v)
	}
}

// TestRefusedSuggestionComesBackToItsField: a topic the room refuses goes
// back into the topic field with the reason, and opens no form of the
// room's (it once came back as an announcement being typed).
func TestRefusedSuggestionComesBackToItsField(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	for i := range session.MaxTopicsPerPerson - 1 {
		tw.do(anaID, session.SuggestTopic{Text: fmt.Sprintf("Topic %d", i)})
	}
	tw.press(anaID, "t")
	for _, r := range "One more" {
		tw.press(anaID, string(r))
	}
	// Her other screen suggests the last one she may while she types.
	tw.do(anaID, session.SuggestTopic{Text: "From her other screen"})
	tw.press(anaID, "enter")
	v := tw.view(anaID)
	if got := tw.input(anaID); got != "One more" {
		t.Fatalf("the refused topic is not back in its field (%q):\n%s", got, v)
	}
	if tw.screens[anaID].room.form != nil || strings.Contains(v, "Announce") {
		t.Fatalf("a refused topic opened a form of the room's:\n%s", v)
	}
}
