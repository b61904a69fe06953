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
	// drawn is the size the view last drew the panel at, so that a key
	// scrolls no further than the view can show. A pointer, because view
	// has a copy of the screen; the program draws and updates on one
	// goroutine.
	drawn *panelSize
}

// panelSize is the size of an activity's panel, w x h cells.
type panelSize struct{ w, h int }

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
	return closeScreen{drawn: &panelSize{}, keys: closeKeys{
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
			c.top = max(min(c.top, c.last(f))-step, 0)
		case key.Matches(k, c.keys.Down):
			c.top = min(c.top+step, c.last(f))
		}
		return c, nil, true
	}
	switch {
	case key.Matches(k, c.keys.Up):
		c.scroll = max(min(c.scroll, c.last(f))-step, 0)
	case key.Matches(k, c.keys.Down):
		c.scroll = min(c.scroll+step, c.last(f))
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

// page is what the view shows in a w x h panel: the lines on show (the
// outcomes, the export or the write-up) and the height of their window,
// under the heading of the export and the write-up. The view and the
// scroll keys both ask it, so that they agree on where the end is.
func (c closeScreen) page(f frame, w, h int) (lines []string, rows int) {
	if c.mode == closeOutcomes {
		return c.outcomes(f, w), h
	}
	return c.shown(f, w), h - 1
}

// last is the furthest the lines on show scroll: where the panel, as
// last drawn, shows their end.
func (c closeScreen) last(f frame) int {
	if c.drawn == nil || c.drawn.h == 0 {
		return 0
	}
	lines, rows := c.page(f, c.drawn.w, c.drawn.h)
	return lastFirst(len(lines), rows)
}

func (c closeScreen) view(f frame, w, h int) string {
	if c.drawn != nil {
		*c.drawn = panelSize{w, h}
	}
	lines, rows := c.page(f, w, h)
	if c.mode == closeOutcomes {
		return strings.Join(scrollWindow(f.st, lines, c.scroll, w, rows), "\n")
	}
	head := "Export this meetup"
	if c.mode == closeWriteUp {
		head = "Write-up"
	}
	out := []string{f.st.section.Render(head) + f.st.dim.Render(trunc("  ·  esc back", max(w-cellWidth(head), 0)))}
	return strings.Join(append(out, scrollWindow(f.st, lines, c.top, w, rows)...), "\n")
}

// scrollWindow is lines from first in h lines of w cells, a line above
// saying how many more are above and one below how many are below.
func scrollWindow(st styles, lines []string, first, w, h int) []string {
	if len(lines) <= h || h < 3 {
		return lines
	}
	first = min(max(first, 0), lastFirst(len(lines), h))
	var out []string
	if first > 0 {
		out = append(out, st.dim.Render(fmt.Sprintf("↑ %s above", countOf(first, "more line"))))
	}
	rest, rows := lines[first:], h-len(out)
	if len(rest) <= rows {
		return append(out, rest...)
	}
	out = append(out, rest[:rows-1]...)
	return append(out, st.dim.Render(trunc(fmt.Sprintf("↓ %s: ↓/j to scroll", countOf(len(rest)-rows+1, "more line")), w)))
}

// lastFirst is the furthest first line of n lines that scrollWindow
// scrolls to in h lines: the one from which, under the line saying what
// is above, the last line shows.
func lastFirst(n, h int) int {
	if n <= h || h < 3 {
		return 0
	}
	return n - h + 1
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
