package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/review"
)

// The Welcome of a meetup in a series shows the actions still open from
// the earlier meetups of the series, so that they are followed up in the
// room. Session supplies them in the View (View.Carried); the screen only
// draws them.

func init() {
	// Registered here, not in activities.go, while other screens are being
	// written there; a welcome screen registered there takes precedence
	// and should draw carriedLines.
	if _, ok := screens[session.KindWelcome]; !ok {
		screens[session.KindWelcome] = func() activityScreen { return welcomeScreen{} }
	}
}

// welcomeScreen is the plain screen (the note) and the carried actions.
type welcomeScreen struct{ plainScreen }

func (s welcomeScreen) update(frame, tea.Msg) (activityScreen, tea.Cmd, bool) { return s, nil, false }

func (welcomeScreen) view(f frame, w, h int) string {
	lines := strings.Split(wrap(f.v.Activity().Note, w), "\n")
	if carried := carriedLines(f.st, f.v, w, h-len(lines)-1); len(carried) > 0 {
		lines = append(append(lines, ""), carried...)
	}
	return strings.Join(lines, "\n")
}

// carriedLines lists the open actions of earlier meetups of the series in
// at most h lines of w cells ("" when there are none).
func carriedLines(st styles, v *session.View, w, h int) []string {
	if len(v.Carried) == 0 || h < 2 {
		return nil
	}
	out := []string{st.section.Render(trunc(fmt.Sprintf("Still open from earlier meetups of %s (%d)", v.Series, len(v.Carried)), w))}
	for i, a := range v.Carried {
		if len(out) >= h-1 && i < len(v.Carried)-1 {
			out = append(out, st.dim.Render(trunc(fmt.Sprintf("… and %d more", len(v.Carried)-i), w)))
			break
		}
		line := "• " + a.Text + " — " + a.OwnerName
		if due := a.DueText(); due != "" {
			line += ", due " + due
		}
		out = append(out, trunc(line, w))
		if len(out) < h-1 {
			out = append(out, st.dim.Render(trunc("    from "+a.Meetup+", "+review.Day(a.Date), w)))
		}
	}
	return out
}
