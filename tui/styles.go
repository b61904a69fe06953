package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles are chosen per connection: the colours follow its terminal's
// background. Meaning never rests on colour alone (markers and words carry
// it), so a monochrome terminal or NO_COLOR loses nothing.
//
// There are two sets, dark and light, built once and shared by every
// screen (a styles value is one pointer): a model is copied on every
// update and hundreds of screens draw at once, so each carrying its own
// ~14 KB of styles cost time and memory for nothing. A set is never
// changed once built.
type styles struct{ *styleSet }

type styleSet struct {
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

var darkStyles, lightStyles = styles{buildStyles(true)}, styles{buildStyles(false)}

// newStyles returns the shared styles for a dark or a light background.
func newStyles(isDark bool) styles {
	if isDark {
		return darkStyles
	}
	return lightStyles
}

func buildStyles(isDark bool) *styleSet {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B8A6FF"))
	subtle := ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#7A7A7A"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#6BD98C"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7A70"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#FFC857"))
	border := ld(lipgloss.Color("#C8C8D0"), lipgloss.Color("#44445A"))

	s := &styleSet{isDark: isDark, subtle: subtle, accent: accent}
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
