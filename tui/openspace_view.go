package tui

import (
	"fmt"
	"strings"

	"github.com/convene/convene/session"
)

// How open space is drawn; its state and keys are in openspace.go.

func (o openSpaceScreen) view(f frame, w, h int) string {
	if w < 10 || h < 1 {
		return ""
	}
	st := f.st
	s := openOf(f.v)
	rows := o.rows(f)
	si := o.selIndex(rows)
	var lines []string
	if it, ok := s.OnFloor(); ok {
		lines = append(lines, o.floorLines(f, it, w, h >= 12)...)
	}
	order := "in the facilitator's order"
	if s.ByVotes {
		order = "by +1s"
	}
	lines = append(lines, st.section.Render(trunc(fmt.Sprintf("Queue · %s · %s", countOf(len(rows), "item"), order), w)))
	switch o.modeNow(f) {
	case openWithdraw:
		it, _ := s.Item(o.target)
		lines = append(lines, styledLines(st.warn, wrap(fmt.Sprintf("Withdraw %q? Press y to withdraw it.", it.Text), w))...)
	case openNoting:
		it, _ := s.Item(o.target)
		lines = append(lines, st.warn.Render(trunc(fmt.Sprintf("A note on %q:", it.Text), w)))
	}
	if len(rows) == 0 {
		return strings.Join(append(lines, styledLines(st.dim, wrap("Nothing raised yet. Press i to raise anything with the whole group.", w))...), "\n")
	}
	own := openOwnOf(f.v)
	list := make([]row, len(rows))
	for i, it := range rows {
		mark := fmt.Sprintf("+%d", it.VoteCount())
		if own.HasVoted(it.ID) {
			mark += "✓"
		}
		if it.ID == s.Floor {
			mark = "◆ " + mark
		}
		note := f.name(it.Author)
		if len(it.Notes) > 0 {
			note += " · " + countOf(len(it.Notes), "note")
		}
		list[i] = row{id: it.ID, sel: i == si, mark: mark, text: it.Text, note: note}
	}
	var detail []string
	if si >= 0 {
		detail = o.itemLines(f, rows[si], w)
	}
	room := h - len(lines)
	// The list comes first; the chosen item's detail and notes get what
	// is left, and at least a line when the list is long.
	listRoom := min(len(list), room)
	if len(detail) > 0 && room-listRoom < 2 {
		listRoom = max(min(len(list), room-min(len(detail)+1, 3)), min(room, 3))
	}
	lines = append(lines, windowRows(st, renderRows(st, list, w, false), si, listRoom)...)
	if left := h - len(lines); left >= 2 && len(detail) > 0 {
		lines = append(lines, "")
		if len(detail) > left-1 {
			detail = detail[:left-1]
			detail[len(detail)-1] = trunc(detail[len(detail)-1]+" …", w)
		}
		lines = append(lines, detail...)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// floorLines show the item that has the floor, prominently.
func (o openSpaceScreen) floorLines(f frame, it session.OpenItem, w int, roomy bool) []string {
	st := f.st
	label := " ON THE FLOOR "
	text := wrap(it.Text, max(w-len(label)-1, 10))
	tl := strings.Split(text, "\n")
	out := []string{st.current.Render(label) + " " + st.strong.Render(tl[0])}
	for _, l := range tl[1:min(len(tl), 2)] {
		out = append(out, strings.Repeat(" ", len(label)+1)+st.strong.Render(l))
	}
	by := fmt.Sprintf("raised by %s · %s", f.name(it.Author), countOf(it.VoteCount(), "+1"))
	if n := len(it.Notes); n > 0 {
		by += " · " + countOf(n, "note")
	}
	out = append(out, st.dim.Render(trunc(strings.Repeat(" ", len(label)+1)+by, w)))
	if roomy {
		out = append(out, "")
	}
	return out
}

// itemLines are the chosen item's detail and notes.
func (o openSpaceScreen) itemLines(f frame, it session.OpenItem, w int) []string {
	st := f.st
	var out []string
	if it.Detail != "" {
		out = append(out, styledLines(st.dim, wrap(it.Detail, w))...)
	}
	for _, n := range it.Notes {
		out = append(out, strings.Split(wrap("– "+n.Text, w), "\n")...)
	}
	return out
}

// present draws open space for a projector: the item on the floor, large
// and whole, then the queue with its +1s.
func (o openSpaceScreen) present(f frame, w, h int) string {
	st := f.st
	s := openOf(f.v)
	var lines []string
	if it, ok := s.OnFloor(); ok {
		lines = append(lines, st.current.Render(" ON THE FLOOR "), "")
		lines = append(lines, styledLines(st.title, wrap(it.Text, w))...)
		if it.Detail != "" {
			lines = append(lines, styledLines(st.dim, wrap(it.Detail, w))...)
		}
		lines = append(lines, st.dim.Render(trunc(fmt.Sprintf("raised by %s · %s", f.v.NameOf(it.Author), countOf(it.VoteCount(), "+1")), w)))
		for _, n := range it.Notes {
			lines = append(lines, strings.Split(wrap("– "+n.Text, w), "\n")...)
		}
		lines = append(lines, "")
	}
	q := s.Queue()
	lines = append(lines, st.section.Render(fmt.Sprintf("Open space · %s", countOf(len(q), "item"))))
	if len(q) == 0 {
		lines = append(lines, wrap("Raise anything with the whole group: press i on your own screen.", w))
	}
	for _, it := range q {
		mark := "  "
		if it.ID == s.Floor {
			mark = "◆ "
		}
		lines = append(lines, trunc(fmt.Sprintf("%s%3s  %s", mark, fmt.Sprintf("+%d", it.VoteCount()), it.Text), w))
	}
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	return strings.Join(lines, "\n")
}
