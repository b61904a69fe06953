package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// topicsState is one screen's state of the topics activity.
type topicsState struct{}

func (m model) topicsPanel(s *session.Meetup, w, h int) (string, bool) { return "", false }

func (m model) topicsKey(s *session.Meetup, msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	return m, nil, false
}

func (m model) topicsFooter(s *session.Meetup, w int) []string { return nil }

func (m model) topicsHelp(s *session.Meetup) []key.Binding { return nil }
