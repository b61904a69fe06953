package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/convene/convene/session"
)

func TestActionsByKeys(t *testing.T) {
	ow := newOpenWorld(t, 80, 24)
	ow.do(anaID, session.PostOpenItem{Text: "Damp and mould"})
	ow.do(benID, session.PostOpenItem{Text: "Bins"})

	// Everyone may look; only facilitators and the note-taker add.
	ow.press(cyID, "A")
	if v := ow.view(cyID); !strings.Contains(v, "Actions · 0") {
		t.Fatalf("A did not open the actions:\n%s", v)
	}
	before := ow.room.State().Version
	for _, k := range []string{"a", "f", "e", "x"} {
		ow.press(cyID, k)
		if v := ow.view(cyID); !strings.Contains(v, "Only a facilitator or the note-taker can do that") {
			t.Errorf("participant's %s in the actions not refused:\n%s", k, v)
		}
	}
	if ow.room.State().Version != before {
		t.Fatalf("a participant changed the actions")
	}
	ow.press(cyID, "esc")
	if ow.screens[cyID].room.overlay != nil {
		t.Fatalf("esc did not close the actions")
	}

	// The facilitator makes Ana's item an action: f, the first source,
	// the text as it is, Ana (offered first, as its author), then a bad
	// date, kept and explained, then a good one.
	ow.press(hostID, "A", "f")
	if v := ow.view(hostID); !strings.Contains(v, "Make an action from:") || !strings.Contains(v, "open-space item by Ana") {
		t.Fatalf("the sources are not offered:\n%s", v)
	}
	ow.press(hostID, "enter", "enter")
	if v := ow.view(hostID); !strings.Contains(v, "Who will do it?") || !strings.Contains(v, "▶ Ana") {
		t.Fatalf("the owner choice does not start at the item's author:\n%s", v)
	}
	ow.press(hostID, "enter")
	ow.typeText(hostID, "someday")
	ow.press(hostID, "enter")
	if v := ow.view(hostID); !strings.Contains(v, `"someday" is not a date`) {
		t.Fatalf("a bad date was not explained:\n%s", v)
	}
	if got := ow.screens[hostID].room.overlay.(actionsScreen).input.value(); got != "someday" {
		t.Fatalf("the typed date was lost: %q", got)
	}
	for range 7 {
		ow.press(hostID, "backspace")
	}
	ow.typeText(hostID, "friday")
	ow.press(hostID, "enter")
	acts := ow.room.State().Actions
	if len(acts) != 1 || acts[0].Text != "Damp and mould" || acts[0].Owner != anaID || acts[0].DueText() != "Fri 4 Dec 2026" ||
		acts[0].From != "open-space item by Ana" || acts[0].Ref == "" {
		t.Fatalf("actions = %+v\n%s", acts, ow.view(hostID))
	}

	// A free-text action for someone not in the meetup.
	ow.press(hostID, "a")
	ow.typeText(hostID, "Invite the council")
	ow.press(hostID, "enter", "up", "up", "up", "up", "up")
	for range 5 {
		ow.press(hostID, "down")
	}
	ow.press(hostID, "enter")
	ow.typeText(hostID, "Dee Outsider")
	ow.press(hostID, "enter", "enter")
	if acts := ow.room.State().Actions; len(acts) != 2 || acts[1].OwnerName != "Dee Outsider" || acts[1].Owner != "" || !acts[1].Due.IsZero() {
		t.Fatalf("actions = %+v\n%s", acts, ow.view(hostID))
	}

	// The owner sees it marked: on the main screen and in the list.
	if v := ow.view(anaID); !strings.Contains(v, "★ 1 action is yours · press A to see them") {
		t.Fatalf("Ana does not see her action marked:\n%s", v)
	}
	if v := ow.view(benID); strings.Contains(v, "yours · press A") {
		t.Fatalf("Ben sees an action marked as his:\n%s", v)
	}
	ow.press(anaID, "A")
	if v := ow.view(anaID); !strings.Contains(v, "★ yours · due Fri 4 Dec 2026") || !strings.Contains(v, "Dee Outsider") {
		t.Fatalf("Ana's list does not mark hers:\n%s", v)
	}

	// The note-taker edits the second: owner Ben, due tomorrow.
	ow.do(hostID, session.Toggle{Switch: session.SwitchNoteTaker, Person: cyID})
	ow.press(cyID, "A", "down", "e", "enter")
	// "Someone else" is chosen (Dee is not a member); Ben is above it.
	ow.press(cyID, "up", "up", "enter")
	ow.typeText(cyID, "tomorrow")
	ow.press(cyID, "enter")
	if a, _ := ow.room.State().Action(2); a.Owner != benID || a.DueText() != "Wed 2 Dec 2026" || a.Text != "Invite the council" {
		t.Fatalf("edited action = %+v\n%s", a, ow.view(cyID))
	}
	// Remove asks first.
	ow.press(cyID, "x")
	if v := ow.view(cyID); !strings.Contains(v, "Remove action 2") {
		t.Fatalf("remove did not ask:\n%s", v)
	}
	ow.press(cyID, "n")
	ow.press(cyID, "x", "y")
	if acts := ow.room.State().Actions; len(acts) != 1 {
		t.Fatalf("after remove: %+v", acts)
	}
	// An item made an action is not offered again.
	ow.press(hostID, "f")
	if v := ow.view(hostID); strings.Contains(v, "Damp and mould") && strings.Contains(v, "open-space item by Ana") && strings.Contains(v, "▶ Damp") {
		t.Fatalf("an item already an action is offered again:\n%s", v)
	}
}

func TestActionsFitAndGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		suffix := fmt.Sprintf("_%dx%d", size.w, size.h)
		ow := newOpenWorld(t, size.w, size.h)
		ow.fill()
		damp := ow.open().Items[0].ID
		ow.do(hostID, session.AddAction{Text: "Ask the surveyor for a date to visit the three blocks", Owner: anaID, Due: "friday", Ref: damp, From: "open-space item by Ana"})
		ow.do(hostID, session.AddAction{Text: "Write to the council about parking", OwnerName: "Dee Outsider", Due: "2026-12-24"})
		ow.do(hostID, session.AddAction{Text: "Share the training plan", Owner: benID})
		t.Run("participant"+suffix, func(t *testing.T) {
			ow.press(anaID, "A")
			checkFits(t, ow.screens[anaID], "actions")
			golden.RequireEqual(t, ow.view(anaID))
		})
		t.Run("marker"+suffix, func(t *testing.T) {
			ow.press(anaID, "esc")
			checkFits(t, ow.screens[anaID], "marker")
			golden.RequireEqual(t, ow.view(anaID))
		})
		t.Run("facilitator_owner"+suffix, func(t *testing.T) {
			ow.press(hostID, "A", "f", "down", "enter", "enter")
			checkFits(t, ow.screens[hostID], "owner choice")
			golden.RequireEqual(t, ow.view(hostID))
		})
		t.Run("facilitator_due"+suffix, func(t *testing.T) {
			ow.press(hostID, "enter")
			ow.typeText(hostID, "soon")
			ow.press(hostID, "enter")
			checkFits(t, ow.screens[hostID], "due refused")
			golden.RequireEqual(t, ow.view(hostID))
		})
	}
}
