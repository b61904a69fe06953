package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// The close: everyone sees what the meetup came to (the chosen topic, each
// circle's useful ideas and first step, the open-space items, the actions
// with their owners) and the facilitator sends the thank-you with one key,
// and takes the results away: e shows the command that exports the
// meetup, w its write-up.

// thanksText is the line the facilitator's t sends to every screen.
const thanksText = "Thank you all for coming. See you next time!"

// closeScreen shows the outcomes, scrolled with ↑/↓ when they do not fit.
// A facilitator's e shows the exact command that exports the meetup and
// w its Markdown write-up, each scrollable, esc back to the outcomes.
type closeScreen struct {
	// ended: the meetup is over; the screen shows that, and every
	// outcome, whatever activity it ended in.
	ended  bool
	scroll int
	// mode is what is on show; top is how far the export or write-up is
	// scrolled.
	mode closeMode
	top  int
	keys closeKeys
}

type closeMode int

const (
	closeOutcomes closeMode = iota
	closeExport
	closeWriteUp
)

type closeKeys struct {
	Scroll, Up, Down, Thanks, Export, WriteUp, Back key.Binding
}

func newCloseScreen() closeScreen {
	return closeScreen{keys: closeKeys{
		Scroll:  key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
		Up:      key.NewBinding(key.WithKeys("up", "k", "pgup")),
		Down:    key.NewBinding(key.WithKeys("down", "j", "pgdown")),
		Thanks:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "thank everyone")),
		Export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		WriteUp: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write-up")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}}
}

// newEndedScreen is the screen of a meetup that has ended.
func newEndedScreen() closeScreen {
	c := newCloseScreen()
	c.ended = true
	return c
}

// mayExport reports whether the person may take the results away, also
// once the meetup has ended: the rule the SSH export follows
// (session.Hub.MayExport).
func mayExport(f frame) bool { return f.hub.MayExport(f.v.Me, f.v.Meetup) }

// outcomes are the lines of the outcomes view.
func (c closeScreen) outcomes(f frame, w int) []string {
	if c.ended {
		return endedLines(f, w)
	}
	return closeLines(f, w)
}

func (c closeScreen) update(f frame, msg tea.Msg) (activityScreen, tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return c, nil, false
	}
	step := 1
	if k.String() == "pgup" || k.String() == "pgdown" {
		step = 10
	}
	if c.mode != closeOutcomes {
		// The export and the write-up take every key: esc goes back.
		switch {
		case key.Matches(k, c.keys.Back):
			c.mode = closeOutcomes
		case key.Matches(k, c.keys.Export):
			c.mode, c.top = closeExport, 0
		case key.Matches(k, c.keys.WriteUp):
			c.mode, c.top = closeWriteUp, 0
		case key.Matches(k, c.keys.Up):
			c.top = max(c.top-step, 0)
		case key.Matches(k, c.keys.Down):
			c.top = min(c.top+step, max(len(c.shown(f, max(f.width/2, 20)))-1, 0))
		}
		return c, nil, true
	}
	switch {
	case key.Matches(k, c.keys.Up):
		c.scroll = max(c.scroll-step, 0)
	case key.Matches(k, c.keys.Down):
		c.scroll = min(c.scroll+step, max(len(c.outcomes(f, max(f.width/2, 20)))-1, 0))
	case key.Matches(k, c.keys.Thanks) && !c.ended:
		switch {
		case !f.fac():
			f.refuse()
		case f.v.Notice.Text == thanksText:
			f.setStatus("The thank-you is already on every screen.", false)
		default:
			return c, f.send("Your thank-you is on every screen.", session.Announce{Text: thanksText}), true
		}
	case key.Matches(k, c.keys.Export), key.Matches(k, c.keys.WriteUp):
		if !mayExport(f) {
			f.refuse()
			break
		}
		c.mode, c.top = closeExport, 0
		if key.Matches(k, c.keys.WriteUp) {
			c.mode = closeWriteUp
		}
	default:
		return c, nil, false
	}
	return c, nil, true
}

// shown are the lines of the export or the write-up in w cells.
func (c closeScreen) shown(f frame, w int) []string {
	if c.mode == closeWriteUp {
		return strings.Split(writeUpPager(f.v.Meetup, w, 1).GetContent(), "\n")
	}
	return exportHintLines(f.st, f.ssh, f.v.Code, mayExport(f), f.keyless, w)
}

func (c closeScreen) view(f frame, w, h int) string {
	if c.mode != closeOutcomes {
		head := "Export this meetup"
		if c.mode == closeWriteUp {
			head = "Write-up"
		}
		lines := []string{f.st.section.Render(head) + f.st.dim.Render(trunc("  ·  esc back", max(w-cellWidth(head), 0)))}
		return strings.Join(append(lines, scrollWindow(f.st, c.shown(f, w), c.top, w, h-1)...), "\n")
	}
	return strings.Join(scrollWindow(f.st, c.outcomes(f, w), c.scroll, w, h), "\n")
}

// scrollWindow is lines from first in h lines of w cells, saying how many
// more are above and below.
func scrollWindow(st styles, lines []string, first, w, h int) []string {
	if len(lines) <= h || h < 3 {
		return lines
	}
	first = min(first, len(lines)-h+1)
	out := lines[first:]
	if first > 0 {
		out = append([]string{st.dim.Render(fmt.Sprintf("↑ %s above", countOf(first, "more line")))}, out[1:]...)
	}
	if len(out) > h {
		below := len(out) - h + 1
		out = append(out[:h-1:h-1], st.dim.Render(trunc(fmt.Sprintf("↓ %s: ↓/j to scroll", countOf(below, "more line")), w)))
	}
	return out
}

// closeLines are everything the close shows, and its note.
func closeLines(f frame, w int) []string {
	lines := outcomeLines(f, w)
	lines = append(lines, outcomeDetail(f, f.v.Outcomes(), f.v.Actions, w)...)
	if note := f.v.Activity().Note; note != "" {
		lines = append(lines, strings.Split(wrap(note, w), "\n")...)
	}
	return lines
}

// outcomeDetail draws each circle's useful ideas and first step, the
// open-space items with their +1s and notes, and the actions with their
// owners and dates, the viewer's own marked.
func outcomeDetail(f frame, o session.Outcomes, acts []session.Action, w int) []string {
	st := f.st
	var out []string
	for _, c := range o.Circles {
		head := "Solution circle"
		if c.Title != "" {
			head += ": " + c.Title
		}
		out = append(out, styledLines(st.section, wrap(head, w))...)
		if c.SharerName != "" {
			out = append(out, st.dim.Render(trunc(fmt.Sprintf("Shared by %s · %s · %s offered", c.SharerName, countOf(c.Members, "person"), countOf(c.Ideas, "idea")), w)))
		}
		if len(c.Useful) > 0 {
			out = append(out, st.strong.Render("Useful ideas"))
			for _, idea := range c.Useful {
				by := ""
				if idea.By != "" {
					by = " (" + idea.By + ")"
				}
				out = append(out, hanging("• ", idea.Text+by, w)...)
			}
		}
		if c.Heard != "" {
			out = append(out, styledLines(st.dim, wrap("What helped: "+c.Heard, w))...)
		}
		if c.FirstStep != "" {
			step := "First step: " + c.FirstStep
			if !c.FirstStepDue.IsZero() {
				step += " · by " + c.FirstStepDue.Format("Mon 2 Jan")
			}
			out = append(out, styledLines(st.okText, wrap(step, w))...)
		}
		out = append(out, "")
	}
	if len(o.OpenItems) > 0 {
		out = append(out, st.section.Render(fmt.Sprintf("Open space · %s", countOf(len(o.OpenItems), "item"))))
		for _, it := range o.OpenItems {
			line := fmt.Sprintf("%s · %s · %s", it.Text, countOf(it.Votes, "+1"), it.Author)
			out = append(out, hanging("• ", line, w)...)
			for _, n := range it.Notes {
				out = append(out, st.dim.Render(trunc("    – "+n, w)))
			}
		}
		out = append(out, "")
	}
	out = append(out, st.section.Render(fmt.Sprintf("Actions · %d", len(acts))))
	if len(acts) == 0 {
		out = append(out, st.dim.Render("No actions were recorded."))
	}
	for _, a := range acts {
		line := fmt.Sprintf("%d. %s · %s", a.ID, a.Text, a.OwnerName)
		if due := a.DueText(); due != "" {
			line += " · due " + due
		}
		if f.v.Me != "" && a.Owner == f.v.Me {
			out = append(out, styledLines(st.okText, strings.Join(hanging("★ ", line+" · yours", w), "\n"))...)
		} else {
			out = append(out, hanging("  ", line, w)...)
		}
	}
	return append(out, "")
}

// hanging wraps text in w cells after lead, the lines after the first
// indented under it.
func hanging(lead, text string, w int) []string {
	n := cellWidth(lead)
	ls := strings.Split(wrap(text, max(w-n, 10)), "\n")
	for i, l := range ls {
		if i == 0 {
			ls[i] = lead + l
		} else {
			ls[i] = strings.Repeat(" ", n) + l
		}
	}
	return ls
}

func (c closeScreen) footer(frame, int) []string { return nil }

func (c closeScreen) help(f frame) []key.Binding {
	if c.mode != closeOutcomes {
		other := c.keys.WriteUp
		if c.mode == closeWriteUp {
			other = c.keys.Export
		}
		return []key.Binding{c.keys.Scroll, other, c.keys.Back}
	}
	var out []key.Binding
	if f.fac() && f.v.Notice.Text != thanksText && !c.ended {
		out = append(out, c.keys.Thanks)
	}
	if mayExport(f) {
		out = append(out, c.keys.Export, c.keys.WriteUp)
	}
	return append(out, c.keys.Scroll)
}

// modal: the export and the write-up take every key until esc.
func (c closeScreen) modal(frame) bool { return c.mode != closeOutcomes }

// present draws the close for a projector: the thank-you, then the
// outcomes, as far as they fit.
func (c closeScreen) present(f frame, w, h int) string {
	var lines []string
	if n := f.v.Notice; n.Text != "" {
		lines = append(lines, styledLines(f.st.title, wrap(n.Text, w))...)
		lines = append(lines, "")
	}
	lines = append(lines, closeLines(f, w)...)
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n")
}

// endedLines are what an ended meetup shows: that it ended, every
// outcome (as the close showed them) and where they are kept.
func endedLines(f frame, w int) []string {
	v := f.v
	st := f.st
	lines := []string{st.title.Render("This meetup has ended"), ""}
	lines = append(lines, strings.Split(wrap(fmt.Sprintf("%s ended at %s. Thank you for coming.", v.Title, v.EndedAt.Local().Format("15:04 on 2 Jan 2006")), w), "\n")...)
	lines = append(lines, "")
	lines = append(lines, outcomeLines(f, w)...)
	lines = append(lines, outcomeDetail(f, v.Outcomes(), v.Actions, w)...)
	return append(lines, strings.Split(st.dim.Render(wrap("Everything said and decided is kept for review. Press q to leave.", w)), "\n")...)
}
