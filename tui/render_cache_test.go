package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/convene/convene/session"
)

// TestSharedDrawsKeepTheViewer: screens share what they draw alike, yet
// each still marks its own viewer, and no one else, as "(you)"; a screen
// whose viewer is not among the people shown draws the list shared, with
// nobody marked.
func TestSharedDrawsKeepTheViewer(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Shared", "")
	if err != nil {
		t.Fatal(err)
	}
	host := inRoom(t, hub, r, hostID, "Fran", 80, 24)
	ana := inRoom(t, hub, r, anaID, "Ana", 80, 24)
	var late model
	for i := range 30 {
		late = inRoom(t, hub, r, session.PersonID(fmt.Sprintf("SHA256:p%02d", i)), fmt.Sprintf("Person %02d", i), 80, 24)
	}
	host, ana, late = fresh(host), fresh(ana), fresh(late)
	for range 2 { // the second time from the caches
		hs, as, ls := ansi.Strip(host.View().Content), ansi.Strip(ana.View().Content), ansi.Strip(late.View().Content)
		if !strings.Contains(hs, "Fran · host (you)") || strings.Contains(hs, "Ana (you)") {
			t.Fatalf("the host's screen marks the wrong person:\n%s", hs)
		}
		if !strings.Contains(as, "Ana (you)") || strings.Contains(as, "host (you)") {
			t.Fatalf("Ana's screen marks the wrong person:\n%s", as)
		}
		if strings.Contains(ls, "(you)") || !strings.Contains(ls, "more") {
			t.Fatalf("a screen whose viewer is not in the list marks someone:\n%s", ls)
		}
	}
	// The room moves on: the shared drawings follow.
	if err := r.Do(context.Background(), hostID, session.Next{}); err != nil {
		t.Fatal(err)
	}
	ana = fresh(ana)
	if s := ansi.Strip(ana.View().Content); !strings.Contains(s, "▶ Networking") {
		t.Fatalf("Ana's side panel did not move on:\n%s", s)
	}
}

// TestListedAmongIsTheSidePanelsOrder: listedAmong, asked by every screen
// at every change, agrees with the side panel's list for everyone and
// every length, away people included.
func TestListedAmongIsTheSidePanelsOrder(t *testing.T) {
	m := &session.Meetup{}
	for i := range 12 {
		m.Members = append(m.Members, session.Member{ID: session.PersonID(fmt.Sprintf("p%02d", i)), Present: i%3 != 1})
	}
	list := orderedMembers(m)
	for n := range len(list) + 2 {
		for i, mem := range list {
			if got, want := listedAmong(m, mem.ID, n), i < n; got != want {
				t.Errorf("listedAmong(%s, %d) = %t; it is number %d of the list", mem.ID, n, got, i+1)
			}
		}
		if listedAmong(m, "nobody", n) {
			t.Errorf("listedAmong(nobody, %d) = true", n)
		}
	}
}

// TestSideBoxRedrawsOnlyTheViewersRow: a person the side panel lists
// gets the shared box with their own row drawn again, the same as a whole
// box drawn for them.
func TestSideBoxRedrawsOnlyTheViewersRow(t *testing.T) {
	hub := testHub(t)
	r, err := hub.Create(context.Background(), hostID, "Rows", "")
	if err != nil {
		t.Fatal(err)
	}
	inRoom(t, hub, r, hostID, "Fran", 80, 24)
	ana := fresh(inRoom(t, hub, r, anaID, "Ana", 80, 24))
	v := ana.room.view
	for _, size := range []struct{ w, h int }{{26, 21}, {34, 40}, {30, 14}} {
		nobody := ana
		nobody.me.ID = ""
		shared := nobody.drawSideBox(v, size.w, size.h)
		own, ok := ana.youRow(nobody, shared, v, size.w, size.h)
		if !ok {
			t.Fatalf("%dx%d: the viewer's row was not found", size.w, size.h)
		}
		if whole := ana.drawSideBox(v, size.w, size.h); own != whole || !strings.Contains(ansi.Strip(own), "Ana (you)") {
			t.Fatalf("%dx%d: the shared box with Ana's row\n%s\nwant\n%s", size.w, size.h, own, whole)
		}
	}
}
