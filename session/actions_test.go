package session

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestActions(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")

	// Participants may not record actions; the note-taker and
	// facilitators may.
	add := AddAction{Text: "Write to the council", Owner: ana, Due: "in 2 weeks", From: "idea by Ben", Ref: "c0/i3"}
	if err := f.do(ben, add); !errors.Is(err, ErrNotNoteTaker) {
		t.Fatalf("participant AddAction = %v; want ErrNotNoteTaker", err)
	}
	f.must(host, Toggle{Switch: SwitchNoteTaker, Person: ben})
	if r := f.room.State().RoleOf(ben); r != RoleNoteTaker {
		t.Fatalf("Ben is %q after the note-taker switch", r)
	}
	if err := f.do(ben, Next{}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("note-taker Next = %v; want ErrNotFacilitator", err)
	}
	f.must(ben, add)
	if err := f.do(host, add); err == nil || !strings.Contains(err.Error(), "already action 1") {
		t.Fatalf("the same idea twice = %v; want a refusal naming action 1", err)
	}
	// An owner by name who is in the meetup becomes that member.
	f.must(host, AddAction{Text: "Book the room", OwnerName: "ana"})
	f.must(host, AddAction{Text: "Ask the mayor", OwnerName: "Dee Outsider", Due: "2026-12-24"})

	m := f.room.State()
	if len(m.Actions) != 3 {
		t.Fatalf("actions = %+v; want 3", m.Actions)
	}
	a1 := m.Actions[0]
	if a1.ID != 1 || a1.Owner != ana || a1.OwnerName != "Ana" || a1.By != ben || a1.Status != ActionOpen ||
		!a1.Due.Equal(time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("action 1 = %+v", a1)
	}
	if got := m.ActionsOf(ana); len(got) != 2 || got[1].Text != "Book the room" {
		t.Fatalf("Ana's actions = %+v; want 2 (the named one matched to her)", got)
	}
	if a3 := m.Actions[2]; a3.Owner != "" || a3.OwnerName != "Dee Outsider" || a3.DueText() != "Thu 24 Dec 2026" {
		t.Fatalf("action 3 = %+v", a3)
	}

	// Bad input is refused with words that say what to fix.
	for _, bad := range []AddAction{
		{Text: "  ", Owner: ana},
		{Text: "x", Owner: "SHA256:nobody"},
		{Text: "x"},
		{Text: "x", Owner: ana, Due: "someday"},
		{Text: strings.Repeat("a", MaxActionLen+1), Owner: ana},
	} {
		if err := f.do(host, bad); err == nil {
			t.Errorf("AddAction %+v accepted", bad)
		}
	}

	// Editing to the same values changes nothing; a real edit is kept.
	v := f.room.State().Version
	f.must(host, EditAction{ID: 2, Text: "Book the room", Owner: ana})
	if f.room.State().Version != v {
		t.Fatalf("an edit that changed nothing made a new version")
	}
	f.must(host, EditAction{ID: 2, Text: "Book the big room", OwnerName: "Ben", Due: "tomorrow"})
	if a, _ := f.room.State().Action(2); a.Owner != ben || a.Text != "Book the big room" || a.DueText() != "Thu 26 Nov 2026" {
		t.Fatalf("edited action = %+v", a)
	}
	f.must(ben, RemoveAction{ID: 3})
	if err := f.do(ben, RemoveAction{ID: 3}); !errors.Is(err, ErrNoAction) {
		t.Fatalf("removing twice = %v; want ErrNoAction", err)
	}

	// Status: facilitators only, also once the meetup has ended.
	if err := f.do(ben, SetActionStatus{ID: 1, Status: ActionDone}); !errors.Is(err, ErrNotFacilitator) {
		t.Fatalf("note-taker SetActionStatus = %v; want ErrNotFacilitator", err)
	}
	f.must(host, End{})
	f.must(host, SetActionStatus{ID: 1, Status: ActionDone, Note: "Letter sent on the 3rd"})
	if err := f.do(host, SetActionStatus{ID: 1, Status: "maybe"}); err == nil {
		t.Fatalf("an unknown status was accepted")
	}
	if err := f.do(host, AddAction{Text: "late", Owner: ana}); !errors.Is(err, ErrEnded) {
		t.Fatalf("AddAction after the end = %v; want ErrEnded", err)
	}
	if a, _ := f.room.State().Action(1); a.Status != ActionDone || a.Note != "Letter sent on the 3rd" || !a.Updated.Equal(t0) {
		t.Fatalf("action 1 after follow-up = %+v", a)
	}
}

func TestParseDue(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 4, 0, 0, time.UTC) // a Tuesday
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	for in, want := range map[string]time.Time{
		"": {}, "today": day(1), "Tomorrow": day(2), "in 3 days": day(4), "2w": day(15),
		"friday": day(4), "tue": day(8), "next monday": day(7), "2026-12-24": day(24), " 1 week ": day(8),
	} {
		got, err := ParseDue(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDue(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "in -3 days", "99999d", "2026-13-01"} {
		if _, err := ParseDue(bad, now); err == nil {
			t.Errorf("ParseDue(%q) accepted", bad)
		}
	}
}
