package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// netState is one screen's state of the networking activity.
type netState struct{}

func (m model) networkingPanel(s *session.Meetup, w, h int) (string, bool) { return "", false }

func (m model) networkingKey(s *session.Meetup, msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	return m, nil, false
}

func (m model) networkingFooter(s *session.Meetup, w int) []string { return nil }

func (m model) networkingHelp(s *session.Meetup) []key.Binding { return nil }
