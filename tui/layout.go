package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// fit makes s exactly fill a w x h screen: long lines are cut, missing
// lines padded, extra lines dropped, so a small window never scrolls or
// wraps the layout.
func fit(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lineWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// lineWidth is lipgloss.Width of one line, remembered for the lines many
// screens show alike (the boxes, render_cache.go): measuring a styled line
// cell by cell costs more than looking it up.
func lineWidth(l string) int {
	if len(l) <= 16 {
		return lipgloss.Width(l)
	}
	widthMu.Lock()
	n, ok := widths[l]
	widthMu.Unlock()
	if ok {
		return n
	}
	n = lipgloss.Width(l)
	widthMu.Lock()
	if len(widths) >= 8192 {
		clear(widths)
	}
	// l is a line of a whole frame: a key of its own, so that the map
	// does not keep every frame it has measured.
	widths[strings.Clone(l)] = n
	widthMu.Unlock()
	return n
}

// wrap word-wraps plain text to width w.
func wrap(s string, w int) string {
	if w < 1 {
		w = 1
	}
	return ansi.Wrap(s, w, "")
}

// trunc cuts text to at most w cells, with an ellipsis when cut.
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// cellWidth is the number of terminal cells s takes.
func cellWidth(s string) int { return lipgloss.Width(s) }

// capitalize puts the first letter of s in upper case.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// upTo keeps the first n lines of wrapped text, the last one ending in
// what it can of the rest.
func upTo(wrapped string, n, w int) []string {
	lines := strings.Split(wrapped, "\n")
	if len(lines) > n {
		lines = append(lines[:n-1], trunc(strings.Join(lines[n-1:], " "), w))
	}
	return lines
}
