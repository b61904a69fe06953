package session

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// openFixture is a meetup in its open space with the host and three
// participants present.
func openFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	f.enter(cy, "Cy")
	i := slices.IndexFunc(f.room.State().Agenda, func(a Activity) bool { return a.Kind == KindOpenSpace })
	if i < 0 {
		t.Fatal("the agenda has no open space")
	}
	f.must(host, GoTo{Index: i})
	return f
}

func (f *fixture) open() *OpenSpace { return f.room.State().Activity().State.(*OpenSpace) }

// post adds an item and returns its id.
func (f *fixture) post(id PersonID, text string) string {
	f.t.Helper()
	f.must(id, PostOpenItem{Text: text})
	items := f.open().Items
	return items[len(items)-1].ID
}

// queue lists the texts of the queue in order.
func (f *fixture) queue() []string {
	var out []string
	for _, it := range f.open().Queue() {
		out = append(out, it.Text)
	}
	return out
}

func TestOpenSpacePosting(t *testing.T) {
	f := openFixture(t)
	if err := f.do(ana, PostOpenItem{Text: "x"}); err != nil {
		t.Fatalf("post: %v", err)
	}
	f.must(ben, PostOpenItem{Text: "  Parking\tnear the office ", Detail: "The \x1b[31mcar park\x1b[0m is full by nine"})
	s := f.open()
	if len(s.Items) != 2 {
		t.Fatalf("items = %+v", s.Items)
	}
	it := s.Items[1]
	if it.Text != "Parking near the office" || it.Detail != "The car park is full by nine" || it.Author != ben ||
		it.Posted != 2 || !it.At.Equal(t0) || !strings.HasPrefix(it.ID, "o") || it.ID == s.Items[0].ID {
		t.Fatalf("posted item = %+v", it)
	}
	// Bad input is refused with words that say what to fix.
	for _, c := range []struct {
		cmd  PostOpenItem
		want string
	}{
		{PostOpenItem{Text: "   "}, "the text is empty"},
		{PostOpenItem{Text: strings.Repeat("a", MaxOpenItemLen+3)}, "too long: 123 characters, at most 120"},
		{PostOpenItem{Text: "ok", Detail: strings.Repeat("d", MaxOpenDetailLen+1)}, "the detail is too long: 301 characters, at most 300"},
		{PostOpenItem{Text: "PARKING NEAR THE OFFICE"}, "already on the list"},
	} {
		err := f.do(cy, c.cmd)
		var tooLong ErrTooLong
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("post %q = %v; want %q", c.cmd.Text, err, c.want)
		}
		if strings.Contains(c.want, "too long") && !errors.As(err, &tooLong) {
			t.Errorf("post %q = %v; want ErrTooLong", c.cmd.Text, err)
		}
	}
	// One person may have only so many items on the list.
	for i := range MaxOpenItemsPerPerson {
		f.must(cy, PostOpenItem{Text: "Cy's item " + string(rune('a'+i))})
	}
	if err := f.do(cy, PostOpenItem{Text: "one too many"}); err == nil || !strings.Contains(err.Error(), "withdraw one first") {
		t.Fatalf("post past the limit = %v", err)
	}
	// Not outside open space, not after the end.
	f.must(host, Next{})
	if err := f.do(ana, PostOpenItem{Text: "late"}); !errors.Is(err, ErrNoOpenSpace) {
		t.Fatalf("post outside open space = %v; want ErrNoOpenSpace", err)
	}
	f.must(host, Prev{})
	f.must(host, End{})
	if err := f.do(ana, PostOpenItem{Text: "later"}); !errors.Is(err, ErrEnded) {
		t.Fatalf("post after the end = %v; want ErrEnded", err)
	}
}

func TestOpenSpacePlusOnes(t *testing.T) {
	f := openFixture(t)
	damp := f.post(ana, "Damp")
	bins := f.post(ben, "Bins")
	f.must(ben, PlusOne{Item: damp})
	f.must(cy, PlusOne{Item: damp})
	f.must(cy, PlusOne{Item: bins})
	if it, _ := f.open().Item(damp); !slices.Equal(it.Votes, []PersonID{ben, cy}) {
		t.Fatalf("damp's +1s = %v", it.Votes)
	}
	// A second press takes it back: one +1 per person.
	f.must(cy, PlusOne{Item: damp})
	if it, _ := f.open().Item(damp); it.VoteCount() != 1 {
		t.Fatalf("after the toggle, damp has %d +1s; want 1", it.VoteCount())
	}
	if err := f.do(ana, PlusOne{Item: damp}); err == nil || !strings.Contains(err.Error(), "your own item") {
		t.Fatalf("+1 on one's own item = %v", err)
	}
	if err := f.do(ana, PlusOne{Item: "o999"}); !errors.Is(err, errNoOpenItem) {
		t.Fatalf("+1 on no item = %v", err)
	}
	// Screens see counts, not names; each their own +1s.
	v := ViewAs(f.room.State(), cy)
	s := v.Activity().State.(*OpenSpace)
	if it, _ := s.Item(damp); it.Votes != nil || it.VoteCount() != 1 {
		t.Fatalf("a screen sees %+v; want a count without names", it)
	}
	if o := v.Own.(*OpenOwn); !o.HasVoted(bins) || o.HasVoted(damp) {
		t.Fatalf("cy's own = %+v", o)
	}
	if hv := ViewAs(f.room.State(), host); hv.Activity().State.(*OpenSpace).Items[0].Votes != nil {
		t.Fatalf("the facilitator sees who +1'd")
	}
}

func TestOpenSpaceOrder(t *testing.T) {
	f := openFixture(t)
	a := f.post(ana, "A")
	b := f.post(ben, "B")
	c := f.post(cy, "C")
	d := f.post(ana, "D")
	f.must(ana, PlusOne{Item: c})
	f.must(ben, PlusOne{Item: c})
	f.must(ana, PlusOne{Item: b})
	f.must(cy, PlusOne{Item: d})
	if got := f.queue(); !slices.Equal(got, []string{"A", "B", "C", "D"}) {
		t.Fatalf("queue in posting order = %v", got)
	}
	// Participants may not order the queue.
	for _, cmd := range []Command{SortOpenItems{ByVotes: true}, MoveOpenItem{Item: a, By: 1}, GiveItemFloor{Item: a}} {
		if err := f.do(ana, cmd); !errors.Is(err, ErrNotFacilitator) {
			t.Errorf("participant %s = %v; want ErrNotFacilitator", cmd.Kind(), err)
		}
	}
	f.must(host, SortOpenItems{ByVotes: true})
	if got := f.queue(); !slices.Equal(got, []string{"C", "B", "D", "A"}) {
		t.Fatalf("queue by votes = %v; want C (2), then B and D (1) by posting time, then A", got)
	}
	// By votes follows the votes as they come.
	f.must(host, PlusOne{Item: a})
	f.must(ben, PlusOne{Item: a})
	f.must(cy, PlusOne{Item: a})
	if got := f.queue(); !slices.Equal(got, []string{"A", "C", "B", "D"}) {
		t.Fatalf("queue by votes after A's +1s = %v", got)
	}
	f.must(host, SortOpenItems{ByVotes: true}) // no change: checked by checkNoChange
	// Moving by hand starts from the order shown.
	f.must(host, MoveOpenItem{Item: d, By: -2})
	if got := f.queue(); !slices.Equal(got, []string{"A", "D", "C", "B"}) || f.open().ByVotes {
		t.Fatalf("queue after moving D up 2 = %v (by votes %v)", got, f.open().ByVotes)
	}
	if err := f.do(host, MoveOpenItem{Item: a, By: -1}); err == nil || !strings.Contains(err.Error(), "already first") {
		t.Fatalf("moving the first up = %v", err)
	}
	if err := f.do(host, MoveOpenItem{Item: b, By: 1}); err == nil || !strings.Contains(err.Error(), "already last") {
		t.Fatalf("moving the last down = %v", err)
	}
	// Votes no longer move anything; a withdrawn item leaves the queue
	// and moves count only the items on it.
	f.must(ana, PlusOne{Item: b}) // Ana's second press: B has none now
	f.must(ana, WithdrawOpenItem{Item: d})
	f.must(host, MoveOpenItem{Item: b, By: -1})
	if got := f.queue(); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Fatalf("queue by hand after a withdrawal and a move = %v", got)
	}
	f.must(host, SortOpenItems{ByVotes: false}) // no change
	f.must(host, SortOpenItems{ByVotes: true})
	if got := f.queue(); !slices.Equal(got, []string{"A", "C", "B"}) {
		t.Fatalf("queue by votes again = %v", got)
	}
}

func TestOpenSpaceFloorNotesWithdraw(t *testing.T) {
	f := openFixture(t)
	damp := f.post(ana, "Damp")
	bins := f.post(ben, "Bins")
	parking := f.post(ben, "Parking")

	// The floor: one item at a time; giving it again changes nothing.
	f.must(host, GiveItemFloor{Item: damp})
	f.must(host, GiveItemFloor{Item: damp})
	if it, ok := f.open().OnFloor(); !ok || it.ID != damp || !it.Discussed {
		t.Fatalf("on the floor: %+v, %v", it, ok)
	}
	f.must(host, GiveItemFloor{Item: bins})
	if it, _ := f.open().OnFloor(); it.ID != bins {
		t.Fatalf("the floor did not pass to bins")
	}
	f.must(host, GiveItemFloor{})
	f.must(host, GiveItemFloor{})
	if _, ok := f.open().OnFloor(); ok {
		t.Fatalf("the floor was not taken back")
	}

	// Notes: facilitators and the note-taker.
	if err := f.do(cy, AddOpenNote{Item: damp, Text: "x"}); !errors.Is(err, ErrNotNoteTaker) {
		t.Fatalf("participant note = %v; want ErrNotNoteTaker", err)
	}
	f.must(host, AddOpenNote{Item: damp, Text: "Ask the surveyor to visit"})
	f.must(host, Toggle{Switch: SwitchNoteTaker, Person: cy})
	f.must(cy, AddOpenNote{Item: damp, Text: "Three estates affected"})
	if err := f.do(cy, AddOpenNote{Item: damp, Text: strings.Repeat("n", MaxOpenNoteLen+1)}); err == nil || !strings.Contains(err.Error(), "the note is too long") {
		t.Fatalf("long note = %v", err)
	}
	if it, _ := f.open().Item(damp); len(it.Notes) != 2 || it.Notes[1].By != cy || it.Notes[1].Text != "Three estates affected" {
		t.Fatalf("notes = %+v", it.Notes)
	}

	// Withdraw: the author only, and not once discussed.
	if err := f.do(ana, WithdrawOpenItem{Item: parking}); err == nil || !strings.Contains(err.Error(), "only the person who raised") {
		t.Fatalf("withdrawing another's item = %v", err)
	}
	if err := f.do(host, WithdrawOpenItem{Item: parking}); err == nil {
		t.Fatalf("a facilitator withdrew someone's item")
	}
	if err := f.do(ana, WithdrawOpenItem{Item: damp}); err == nil || !strings.Contains(err.Error(), "discussed") {
		t.Fatalf("withdrawing a discussed item = %v", err)
	}
	f.must(ben, WithdrawOpenItem{Item: parking})
	if err := f.do(ben, WithdrawOpenItem{Item: parking}); !errors.Is(err, errNoOpenItem) {
		t.Fatalf("withdrawing twice = %v", err)
	}
	for _, cmd := range []Command{PlusOne{Item: parking}, GiveItemFloor{Item: parking}, AddOpenNote{Item: parking, Text: "n"}} {
		if err := f.do(host, cmd); !errors.Is(err, errNoOpenItem) {
			t.Errorf("%s on a withdrawn item = %v", cmd.Kind(), err)
		}
	}
	// The same text may be posted again once withdrawn.
	f.must(ben, PostOpenItem{Text: "parking"})

	// Outcomes, sources, and the agenda keeps it.
	m := f.room.State()
	o := m.Outcomes()
	if len(o.OpenItems) != 3 || o.OpenItems[0].Text != "Damp" || o.OpenItems[0].Author != "Ana" ||
		!slices.Equal(o.OpenItems[0].Notes, []string{"Ask the surveyor to visit", "Three estates affected"}) ||
		!o.OpenItems[0].Discussed || o.OpenItems[2].Discussed {
		t.Fatalf("open items = %+v", o.OpenItems)
	}
	srcs := m.ActionSources()
	if len(srcs) != 3 || srcs[0].Ref != damp || srcs[0].From != "open-space item by Ana" || srcs[0].Owner != ana {
		t.Fatalf("sources = %+v", srcs)
	}
	f.must(host, AddAction{Text: srcs[0].Text, Owner: ana, Ref: srcs[0].Ref, From: srcs[0].From})
	if got := f.room.State().ActionSources(); len(got) != 2 {
		t.Fatalf("an item made an action is still offered: %+v", got)
	}
	i := f.room.State().Current
	f.must(host, Next{})
	if err := f.do(host, RemoveActivity{Index: i}); err == nil || !strings.Contains(err.Error(), "4 items have been raised in it") {
		t.Fatalf("removing an open space with items = %v", err)
	}
}

// TestOpenSpaceKept: everything survives a round trip through JSON and a
// restart; a template keeps only the setting; an open space stored before
// it had a state loads and takes items.
func TestOpenSpaceKept(t *testing.T) {
	f := openFixture(t)
	damp := f.post(ana, "Damp")
	f.must(ben, PostOpenItem{Text: "Bins", Detail: "Collections missed"})
	f.must(ben, PlusOne{Item: damp})
	f.must(host, SortOpenItems{ByVotes: true})
	f.must(host, GiveItemFloor{Item: damp})
	f.must(host, AddOpenNote{Item: damp, Text: "Surveyor"})
	f.must(host, AddAction{Text: "Book the surveyor", Owner: ana, Due: "friday", Ref: damp, From: "open-space item by Ana"})
	before := f.room.State()

	data, err := json.Marshal(before)
	if err != nil {
		t.Fatal(err)
	}
	var back Meetup
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Activity().State, before.Activity().State) || !reflect.DeepEqual(back.Actions, before.Actions) {
		t.Fatalf("a JSON round trip changed open space:\n%+v\n%+v", back.Activity().State, before.Activity().State)
	}

	code := before.Code
	f.hub.Close()
	f.start()
	r, err := f.hub.Find(code)
	if err != nil {
		t.Fatal(err)
	}
	after := r.State()
	if !reflect.DeepEqual(after.Activity().State, before.Activity().State) || !reflect.DeepEqual(after.Actions, before.Actions) ||
		after.NextID != before.NextID {
		t.Fatalf("a restart changed open space:\n%+v\n%+v", after.Activity().State, before.Activity().State)
	}

	if tpl := planOf(after.Activity()); !reflect.DeepEqual(tpl.State, &OpenSpace{ByVotes: true}) {
		t.Fatalf("template state = %+v", tpl.State)
	}

	var old Activity
	if err := json.Unmarshal([]byte(`{"kind":"openspace","title":"Open space","duration":600000000000}`), &old); err != nil {
		t.Fatal(err)
	}
	if s, ok := old.State.(*OpenSpace); !ok || len(s.Items) != 0 || old.Duration != 10*time.Minute {
		t.Fatalf("an old open space loads as %+v", old)
	}
}

// TestOpenSpaceWithoutState: an item held in memory without a state (as
// tests and old code made them) takes posts, and a refused command or
// one that changes nothing leaves it without.
func TestOpenSpaceWithoutState(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.must(host, AddActivity{At: 1, Of: KindTalk, Title: "Plain"})
	f.must(host, GoTo{Index: 1})
	if err := f.do(ana, PostOpenItem{Text: "x"}); !errors.Is(err, ErrNoOpenSpace) {
		t.Fatalf("post in a talk = %v", err)
	}
	// Make the talk an open space without a state, as a meetup stored
	// before open space had one would be in memory.
	m := f.room.State().clone()
	m.Agenda[1].Kind = KindOpenSpace
	m.Agenda[1].State = nil
	f.room.state.Store(m)
	f.must(host, GiveItemFloor{})
	if f.room.State().Agenda[1].State != nil {
		t.Fatalf("a command that changed nothing gave the item a state")
	}
	f.must(ana, PostOpenItem{Text: "x"})
	if got := f.open().Queue(); len(got) != 1 {
		t.Fatalf("queue = %+v", got)
	}
}
