package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/review"
)

// The history screen, opened from the lobby: facilitators see every
// meetup, participants the ones they came to (session decides, in
// Hub.Archive). `/` filters the list, enter opens one with every outcome,
// scrollable; there facilitators set what became of each action ("you
// said, we did"), `e` shows the exact command that exports it and `w` the
// Markdown write-up.

type histMode int

const (
	histList    histMode = iota // the meetups
	histFilter                  // typing the filter
	histDetail                  // one meetup's outcomes
	histWriteUp                 // its Markdown write-up
	histExport                  // the command that exports it
	histActions                 // choosing an action and its status
	histNote                    // typing what was done
	histSeries                  // naming the meetup's series
)

type historyState struct {
	mode    histMode
	loading bool
	err     string
	all     []*session.Meetup
	filter  textinput.Model
	// sel is the chosen meetup's ID, so the choice stays on it when the
	// list is filtered or reloaded.
	sel string
	// pager scrolls the outcomes and the write-up.
	pager viewport.Model
	// act is the chosen action's index; status the status being set.
	act    int
	status session.ActionStatus
	note   form
	series seriesForm
	msg    string
	msgErr bool
	keys   historyKeys
}

type historyKeys struct {
	list                        listKeys
	filter, writeUp, export     key.Binding
	actions, done, drop, reopen key.Binding
	series                      key.Binding
}

func newHistoryKeys() historyKeys {
	return historyKeys{
		list:    newListKeys("open"),
		filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		writeUp: key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write-up")),
		export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		actions: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "follow up")),
		done:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "done")),
		drop:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "dropped")),
		reopen:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open")),
		series:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "series")),
	}
}

type (
	archiveMsg struct {
		meetups []*session.Meetup
		err     error
	}
	// actionStatusMsg says whether a change to a past meetup (an
	// action's status, its series) was saved.
	actionStatusMsg struct{ err error }
)

// openHistory shows the history and loads the archive.
func (m *model) openHistory() tea.Cmd {
	h := &m.lobby.hist
	h.mode, h.loading, h.err, h.msg = histList, true, "", ""
	h.keys = newHistoryKeys()
	h.filter = newInput(m.st, "words to look for", 60)
	m.lobby.mode = lobbyHistory
	return m.loadArchive()
}

func (m model) loadArchive() tea.Cmd {
	hub, me := m.hub, m.me.ID
	return func() tea.Msg {
		ms, err := hub.Archive(me)
		return archiveMsg{meetups: ms, err: err}
	}
}

// rows are the meetups the filter lets through, newest first.
func (h *historyState) rows() []review.Row {
	return review.Filter(review.Rows(h.all), h.filter.Value())
}

func (h *historyState) selected(rows []review.Row) int {
	if i := slices.IndexFunc(rows, func(r review.Row) bool { return r.ID == h.sel }); i >= 0 {
		return i
	}
	return 0
}

// meetup is the open meetup, nil if it is not in the archive.
func (h *historyState) meetup() *session.Meetup {
	for _, x := range h.all {
		if x.ID == h.sel {
			return x
		}
	}
	return nil
}

func (m model) facilitates() bool { return m.hub.IsFacilitator(m.me.ID) }

func (m model) updateHistory(msg tea.Msg) (tea.Model, tea.Cmd) {
	h := &m.lobby.hist
	switch msg := msg.(type) {
	case archiveMsg:
		h.loading = false
		if msg.err != nil {
			h.err = errText(msg.err)
			return m, nil
		}
		h.all = msg.meetups
		if h.mode == histDetail {
			m.fillPager()
		}
		return m, nil
	case actionStatusMsg:
		if msg.err != nil {
			h.msg, h.msgErr = errText(msg.err), true
			return m, nil
		}
		h.msg, h.msgErr = "Saved.", false
		return m, m.loadArchive()
	case tea.PasteMsg:
		var cmd tea.Cmd
		switch h.mode {
		case histFilter:
			h.filter, cmd = h.filter.Update(msg)
		case histNote:
			h.note, _, cmd = h.note.update(msg)
		case histSeries:
			h.series, _, cmd = h.series.update(msg)
		}
		return m, cmd
	case tea.KeyPressMsg:
		return m.historyKey(msg)
	}
	return m, nil
}

func (m model) historyKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	h := &m.lobby.hist
	k := h.keys
	rows := h.rows()
	switch h.mode {
	case histFilter:
		switch msg.String() {
		case "enter":
			h.mode = histList
			h.filter.Blur()
			return m, nil
		case "esc":
			h.mode = histList
			h.filter.SetValue("")
			h.filter.Blur()
			return m, nil
		}
		var cmd tea.Cmd
		h.filter, cmd = h.filter.Update(msg)
		return m, cmd
	case histList:
		sel := h.selected(rows)
		switch {
		case key.Matches(msg, k.list.Up):
			if sel = max(sel-1, 0); sel < len(rows) {
				h.sel = rows[sel].ID
			}
		case key.Matches(msg, k.list.Down):
			if sel = min(sel+1, max(len(rows)-1, 0)); sel < len(rows) {
				h.sel = rows[sel].ID
			}
		case key.Matches(msg, k.filter):
			h.mode = histFilter
			return m, h.filter.Focus()
		case key.Matches(msg, k.list.Choose), key.Matches(msg, k.writeUp), key.Matches(msg, k.export):
			if sel >= len(rows) {
				return m, nil
			}
			h.sel, h.msg = rows[sel].ID, ""
			switch {
			case key.Matches(msg, k.writeUp):
				h.mode = histWriteUp
			case key.Matches(msg, k.export):
				h.mode = histExport
			default:
				h.mode = histDetail
			}
			m.fillPager()
		case key.Matches(msg, k.list.Back):
			if h.filter.Value() != "" {
				h.filter.SetValue("")
				return m, nil
			}
			m.lobby.mode = lobbyList
			if !m.lobby.facilitator {
				m.lobby.mode = lobbyCode
				return m, m.lobby.code.Focus()
			}
		}
		return m, nil
	case histDetail, histWriteUp:
		switch {
		case key.Matches(msg, k.list.Back):
			if h.mode == histWriteUp {
				h.mode = histDetail
				m.fillPager()
			} else {
				h.mode = histList
			}
			h.msg = ""
			return m, nil
		case key.Matches(msg, k.writeUp) && h.mode == histDetail:
			h.mode = histWriteUp
			m.fillPager()
			return m, nil
		case key.Matches(msg, k.export):
			h.mode = histExport
			return m, nil
		case key.Matches(msg, k.series) && h.mode == histDetail && m.facilitates():
			if mt := h.meetup(); mt != nil {
				h.series = newSeriesForm(m.st, mt.Series, m.hub.SeriesNames())
				h.mode, h.msg = histSeries, ""
			}
			return m, nil
		case key.Matches(msg, k.actions) && h.mode == histDetail && m.facilitates():
			if mt := h.meetup(); mt != nil && len(mt.Actions) > 0 {
				h.mode, h.act, h.msg = histActions, min(h.act, len(mt.Actions)-1), ""
			} else {
				h.msg, h.msgErr = "This meetup has no actions to follow up.", true
			}
			return m, nil
		}
		var cmd tea.Cmd
		h.pager, cmd = h.pager.Update(msg)
		return m, cmd
	case histExport:
		if key.Matches(msg, k.list.Back) || msg.String() == "enter" || msg.String() == "q" {
			h.mode = histDetail
			m.fillPager()
		}
		return m, nil
	case histActions:
		mt := h.meetup()
		if mt == nil || len(mt.Actions) == 0 {
			h.mode = histDetail
			return m, nil
		}
		switch {
		case key.Matches(msg, k.list.Up):
			h.act = max(h.act-1, 0)
		case key.Matches(msg, k.list.Down):
			h.act = min(h.act+1, len(mt.Actions)-1)
		case key.Matches(msg, k.done), key.Matches(msg, k.drop), key.Matches(msg, k.reopen):
			h.status = session.ActionDone
			if key.Matches(msg, k.drop) {
				h.status = session.ActionDropped
			} else if key.Matches(msg, k.reopen) {
				h.status = session.ActionOpen
			}
			a := mt.Actions[min(h.act, len(mt.Actions)-1)]
			h.note = newForm(m.st, "", "what was done", a.Note, session.MaxActionNoteLen, "save", "back")
			h.mode, h.msg = histNote, ""
		case key.Matches(msg, k.list.Back):
			h.mode = histDetail
			m.fillPager()
		}
		return m, nil
	case histSeries:
		f, done, cmd := h.series.update(msg)
		h.series = f
		switch done {
		case formSubmitted:
			series, err := session.CleanSeries(f.value())
			if err != nil {
				h.series.form.fail(err)
				return m, nil
			}
			mt := h.meetup()
			h.mode = histDetail
			m.fillPager()
			if mt == nil {
				return m, nil
			}
			h.msg, h.msgErr = "Saving…", false
			return m, m.amend(mt.Code, session.SetSeries{Series: series})
		case formCancelled:
			h.mode = histDetail
			m.fillPager()
		}
		return m, cmd
	case histNote:
		f, done, cmd := h.note.update(msg)
		h.note = f
		switch done {
		case formSubmitted:
			note := session.CleanText(f.value())
			if err := session.CheckLen("the note", note, session.MaxActionNoteLen); err != nil {
				h.note.fail(err)
				return m, nil
			}
			mt := h.meetup()
			if mt == nil {
				h.mode = histList
				return m, nil
			}
			a := mt.Actions[min(h.act, len(mt.Actions)-1)]
			h.mode, h.msg, h.msgErr = histActions, "Saving…", false
			return m, m.amend(mt.Code, session.SetActionStatus{ID: a.ID, Status: h.status, Note: note})
		case formCancelled:
			h.mode = histActions
		}
		return m, cmd
	}
	return m, nil
}

// amend changes a past meetup (or one under way) without entering it,
// after every change this screen made before.
func (m model) amend(code string, cmd session.Command) tea.Cmd {
	hub, me := m.hub, m.me.ID
	return m.conn.amends.queue(func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		return actionStatusMsg{err: hub.Amend(ctx, code, me, cmd)}
	})
}

// historyBody is the width inside the screen's padding.
func (m model) historyBody() (w, h int) { return max(min(m.width-4, 110), 20), max(m.height-6, 3) }

// fillPager puts the open meetup's outcomes, or its write-up, in the
// pager at the screen's size.
func (m *model) fillPager() {
	h := &m.lobby.hist
	w, ht := m.historyBody()
	mt := h.meetup()
	content := "This meetup is no longer in the history."
	if mt != nil {
		if h.mode == histWriteUp {
			content = writeUpPager(mt, w, ht).GetContent()
		} else {
			content = strings.Join(pastOutcomeLines(m.st, mt, mt.Outcomes(), w), "\n")
		}
	}
	top := h.pager.YOffset()
	same := h.pager.Width() == w && h.pager.GetContent() != "" && h.pager.GetContent() == content
	h.pager = viewport.New(viewport.WithWidth(w), viewport.WithHeight(ht))
	h.pager.SetContent(content)
	if same {
		h.pager.SetYOffset(top)
	}
}

func (m model) viewHistory() string {
	h := m.lobby.hist
	st := m.st
	w, ht := m.historyBody()
	var b strings.Builder
	var help bindings
	k := h.keys
	mt := h.meetup()
	switch {
	case h.err != "":
		b.WriteString(st.section.Render("Past meetups") + "\n\n" + st.errText.Render(wrap(h.err, w)) + "\n")
		help = bindings{k.list.Back}
	case h.loading && h.all == nil:
		b.WriteString(st.section.Render("Past meetups") + "\n\n" + st.dim.Render("Reading the meetups…") + "\n")
		help = bindings{k.list.Back}
	case h.mode == histList || h.mode == histFilter:
		b.WriteString(m.historyList(w, ht+1))
		if h.mode == histFilter {
			help = bindings(newFormKeys("done", "clear").ShortHelp())
		} else {
			help = bindings{k.list.Up, k.list.Down, k.list.Choose, k.filter, k.writeUp, k.export, k.list.Back}
		}
	case mt == nil:
		b.WriteString(st.dim.Render("This meetup is no longer in the history.") + "\n")
		help = bindings{k.list.Back}
	case h.mode == histExport:
		b.WriteString(st.section.Render(trunc("Export "+mt.Title, w)) + "\n\n")
		b.WriteString(strings.Join(m.exportHint(mt, w), "\n") + "\n")
		help = bindings{k.list.Back}
	case h.mode == histSeries:
		b.WriteString(st.section.Render(trunc("Series of "+mt.Title, w)) + "\n")
		b.WriteString(wrap("Meetups of one series share their open actions at the next welcome, and attendance is counted across them. Empty: none.", w) + "\n\n")
		b.WriteString(strings.Join(h.series.view(st, min(w, 70)), "\n") + "\n")
		help = bindings(h.series.help())
	case h.mode == histActions || h.mode == histNote:
		b.WriteString(m.actionsPanel(mt, w, ht))
		if h.mode == histNote {
			help = bindings(h.note.help())
		} else {
			help = bindings{k.list.Up, k.list.Down, k.done, k.drop, k.reopen, k.list.Back}
		}
	default:
		title := mt.Title
		if h.mode == histWriteUp {
			title = "Write-up: " + title
		}
		b.WriteString(st.section.Render(trunc(title, w)) + "\n")
		b.WriteString(st.dim.Render(trunc(review.When(mt)+" · "+session.FormatCode(mt.Code), w)) + "\n")
		b.WriteString(h.pager.View() + "\n")
		help = bindings{key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓ pgup/pgdn", "scroll"))}
		if h.mode == histDetail {
			help = append(help, k.writeUp)
			if m.facilitates() && len(mt.Actions) > 0 {
				help = append(help, k.actions)
			}
			if m.facilitates() {
				help = append(help, k.series)
			}
		}
		help = append(help, k.export, k.list.Back)
	}
	if h.msg != "" {
		style := st.okText
		if h.msgErr {
			style = st.errText
		}
		b.WriteString(style.Render(trunc(h.msg, w)) + "\n")
	}
	body := lipgloss.NewStyle().Padding(1, 2, 0, 2).Render(strings.TrimRight(b.String(), "\n"))
	return placeBottom(body, m.help.View(help), m.height)
}

// historyList draws the meetups: date, title, people, chosen topic,
// ideas and actions.
func (m model) historyList(w, ht int) string {
	h := m.lobby.hist
	st := m.st
	var b strings.Builder
	who := "Meetups you came to"
	if m.facilitates() {
		who = "Every meetup on this server"
	}
	b.WriteString(st.section.Render("Past meetups") + st.dim.Render(trunc("  ·  "+who, w-12)) + "\n")
	if h.mode == histFilter || h.filter.Value() != "" {
		f := h.filter
		f.SetWidth(max(w-12, 10))
		b.WriteString(trunc("Filter "+f.View(), w) + "\n")
	} else {
		b.WriteString("\n")
	}
	rows := h.rows()
	if len(rows) == 0 {
		msg := "No meetups yet."
		switch {
		case h.filter.Value() != "":
			msg = "No meetup matches the filter. Press esc to clear it."
		case !m.facilitates():
			msg = "You have not been to a meetup on this server yet."
		}
		b.WriteString(st.dim.Render(wrap(msg, w)) + "\n")
		return b.String()
	}
	sel := h.selected(rows)
	per := 2
	maxRows := max((ht-2)/per, 1)
	first := 0
	if sel >= maxRows {
		first = sel - maxRows + 1
	}
	for i := first; i < len(rows) && i < first+maxRows; i++ {
		r := rows[i]
		line := review.Day(r.Date) + "  " + r.Title
		if r.Series != "" {
			line += "  [" + r.Series + "]"
		}
		facts := []string{countOf(r.People, "person")}
		if r.Ended.IsZero() {
			facts = append(facts, "under way")
		}
		if r.Chosen != "" {
			facts = append(facts, "topic: "+r.Chosen)
		}
		facts = append(facts, countOf(r.Ideas, "idea"), countOf(r.Actions, "action"))
		if r.Open > 0 {
			facts[len(facts)-1] += fmt.Sprintf(" (%d open)", r.Open)
		}
		sub := "    " + strings.Join(facts, " · ")
		if i == sel {
			b.WriteString(st.selected.Render(trunc("▶ "+line, w)) + "\n")
		} else {
			b.WriteString(trunc("  "+line, w) + "\n")
		}
		b.WriteString(st.dim.Render(trunc(sub, w)) + "\n")
	}
	return b.String()
}

// actionsPanel lists the meetup's actions to follow up, the chosen one
// marked, with the note form when a status is being set.
func (m model) actionsPanel(mt *session.Meetup, w, ht int) string {
	h := m.lobby.hist
	st := m.st
	var b strings.Builder
	b.WriteString(st.section.Render(trunc("Follow up: "+mt.Title, w)) + "\n")
	b.WriteString(st.dim.Render(trunc("You said, we did: mark each action done or dropped, with what was done.", w)) + "\n\n")
	lines := 0
	room := ht - 2
	if h.mode == histNote {
		room -= 4
	}
	first := max(h.act-room/2+1, 0)
	for i := first; i < len(mt.Actions) && lines < room; i++ {
		a := mt.Actions[i]
		line := fmt.Sprintf("%d. [%s] %s · %s", a.ID, a.Status, a.Text, a.OwnerName)
		if i == h.act {
			b.WriteString(st.selected.Render(trunc("▶ "+line, w)) + "\n")
		} else {
			b.WriteString(trunc("  "+line, w) + "\n")
		}
		lines++
		if a.Note != "" && lines < room {
			b.WriteString(st.dim.Render(trunc("     "+a.Note, w)) + "\n")
			lines++
		}
	}
	if h.mode == histNote {
		b.WriteString("\n" + st.strong.Render("Mark it "+string(h.status)+". What was done?") + "\n")
		b.WriteString(strings.Join(h.note.view(st, min(w, 80)), "\n") + "\n")
	}
	return b.String()
}

// exportHint says how this person takes a meetup's results away: for
// those who may export it, the exact commands to run in a terminal of
// their own.
func (m model) exportHint(mt *session.Meetup, w int) []string {
	return exportHintLines(m.st, m.lobby.ssh, mt.Code, m.hub.MayExport(m.me.ID, mt), m.me.Keyless, w)
}

// exportHintLines are the lines of the export hint in w cells; prefix is
// how the person reaches the server ("ssh -p 2222 host", "" for the
// default). The close screen shows them too. may is the person's
// session.Hub.MayExport; the commands are shown only to those who can
// run them, so not to someone without a key, whom the server cannot know
// again on another connection.
func exportHintLines(st styles, prefix, code string, may, keyless bool, w int) []string {
	switch {
	case !may:
		return styledLines(st.dim, wrap("Only the facilitator or a co-facilitator of a meetup can export it. Ask the facilitator for the write-up.", w))
	case keyless:
		return styledLines(st.dim, wrap("You connected without an SSH key, so the server cannot know you when you run the export from another terminal. Press w for the write-up here, or ask the facilitator for it.", w))
	}
	if prefix == "" {
		prefix = "ssh -p 2222 localhost"
	}
	lines := styledLines(st.dim, wrap("Run this in a terminal of your own (with the SSH key you use here) to save the write-up:", w))
	lines = append(lines, "")
	lines = append(lines, styledLines(st.strong, strings.Join(commandLines(exportCommand(prefix, code), w), "\n"))...)
	lines = append(lines, "")
	lines = append(lines, styledLines(st.dim, wrap("Everything kept, as JSON, or the tables for a spreadsheet:", w))...)
	c := session.FormatCode(code)
	lines = append(lines, commandLines(prefix+" export "+c+" --format json > meetup.json", w)...)
	lines = append(lines, commandLines(prefix+" export "+c+" --format csv --table actions > actions.csv", w)...)
	lines = append(lines, "")
	lines = append(lines, styledLines(st.dim, wrap("On the server's machine, while the server is stopped:", w))...)
	return append(lines, styledLines(st.dim, strings.Join(commandLines("convene export "+c+" --format md -o meetup.md", w), "\n"))...)
}

// commandLines lays a shell command out in w cells without cutting it:
// one that does not fit is broken between words, each line but the last
// ending in a backslash, so that it still runs when copied whole.
func commandLines(cmd string, w int) []string {
	if cellWidth(cmd) <= w {
		return []string{cmd}
	}
	var out []string
	line := ""
	for _, word := range strings.Fields(cmd) {
		switch {
		case line == "":
			line = word
		case cellWidth(line)+1+cellWidth(word)+2 <= w:
			line += " " + word
		default:
			out = append(out, line+" \\")
			line = "  " + word
		}
	}
	out = append(out, line)
	for i, l := range out {
		out[i] = trunc(l, w)
	}
	return out
}

// writeUpPager is the Markdown write-up of a meetup in a scrollable
// viewport of w x h cells (↑/↓, pgup/pgdn through its Update). The close
// screen can show it as an overlay.
func writeUpPager(mt *session.Meetup, w, h int) viewport.Model {
	p := viewport.New(viewport.WithWidth(w), viewport.WithHeight(h))
	p.SetContent(wrap(review.Markdown(mt, mt.Outcomes()), w))
	return p
}
