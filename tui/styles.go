package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles are built per connection: every client's terminal differs, and
// the colours follow its background. Meaning never rests on colour alone
// (markers and words carry it), so a monochrome terminal or NO_COLOR loses
// nothing.
type styles struct {
	isDark bool

	app      lipgloss.Style
	header   lipgloss.Style
	title    lipgloss.Style
	code     lipgloss.Style
	dim      lipgloss.Style
	strong   lipgloss.Style
	section  lipgloss.Style
	current  lipgloss.Style
	selected lipgloss.Style
	present  lipgloss.Style
	gone     lipgloss.Style
	role     lipgloss.Style
	clock    lipgloss.Style
	warn     lipgloss.Style
	timeUp   lipgloss.Style
	notice   lipgloss.Style
	errText  lipgloss.Style
	okText   lipgloss.Style
	panel    lipgloss.Style
	side     lipgloss.Style
	input    lipgloss.Style
	subtle   color.Color
	accent   color.Color
}

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B8A6FF"))
	subtle := ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#7A7A7A"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#6BD98C"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7A70"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#FFC857"))
	border := ld(lipgloss.Color("#C8C8D0"), lipgloss.Color("#44445A"))

	s := styles{isDark: isDark, subtle: subtle, accent: accent}
	s.app = lipgloss.NewStyle()
	s.header = lipgloss.NewStyle().Bold(true)
	s.title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.code = lipgloss.NewStyle().Bold(true)
	s.dim = lipgloss.NewStyle().Foreground(subtle)
	s.strong = lipgloss.NewStyle().Bold(true)
	s.section = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.current = lipgloss.NewStyle().Bold(true).Reverse(true)
	s.selected = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.present = lipgloss.NewStyle().Foreground(green)
	s.gone = lipgloss.NewStyle().Foreground(subtle)
	s.role = lipgloss.NewStyle().Foreground(accent)
	s.clock = lipgloss.NewStyle().Bold(true)
	s.warn = lipgloss.NewStyle().Bold(true).Foreground(amber)
	s.timeUp = lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(red)
	s.notice = lipgloss.NewStyle().Bold(true).Foreground(amber)
	s.errText = lipgloss.NewStyle().Foreground(red)
	s.okText = lipgloss.NewStyle().Foreground(green)
	s.panel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.side = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.input = lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, true, false).BorderForeground(border)
	return s
}
