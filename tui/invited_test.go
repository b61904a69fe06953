package tui

import (
	"strings"
	"testing"

	"github.com/convene/convene/session"
)

// TestInvitedSharerToldInTheCircle: the person whose topic was chosen is
// told, on the circle's set-up screen, that they are invited to share it,
// though authors are hidden from participants; the others are not told
// who it is.
func TestInvitedSharerToldInTheCircle(t *testing.T) {
	tw := newTopicsWorld(t, 80, 24)
	tw.do(anaID, session.SuggestTopic{Text: "Damp in flats"})
	tw.do(hostID, session.StartVoting{})
	tw.do(benID, session.CastBallot{Ballot: []string{"t1"}})
	tw.do(hostID, session.CloseVoting{})
	tw.do(hostID, session.Next{})
	if v := tw.view(anaID); !strings.Contains(v, "You suggested it and are invited") {
		t.Fatalf("Ana is not told she is invited to share:\n%s", v)
	}
	if v := tw.view(benID); !strings.Contains(v, "Whoever suggested it is invited") {
		t.Fatalf("Ben is told who suggested the topic:\n%s", v)
	}
}
