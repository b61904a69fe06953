package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// Activities with their own screens plug in here. Each kind provides, in
// its own file: a panel (the main area), a key handler that may take a key
// before the room's own keys, extra footer lines (e.g. a text input) and
// the bindings for the help bar. ok false means "nothing special".

func (m model) kindPanel(s *session.Meetup, w, h int) (string, bool) {
	switch s.Activity().Kind {
	case session.KindNetworking:
		return m.networkingPanel(s, w, h)
	case session.KindTopics:
		return m.topicsPanel(s, w, h)
	}
	return "", false
}

func (m model) kindKey(msg tea.KeyPressMsg) (model, tea.Cmd, bool) {
	s := m.state()
	switch s.Activity().Kind {
	case session.KindNetworking:
		return m.networkingKey(s, msg)
	case session.KindTopics:
		return m.topicsKey(s, msg)
	}
	return m, nil, false
}

func (m model) kindFooter(s *session.Meetup, w int) []string {
	switch s.Activity().Kind {
	case session.KindNetworking:
		return m.networkingFooter(s, w)
	case session.KindTopics:
		return m.topicsFooter(s, w)
	}
	return nil
}

func (m model) kindHelp(s *session.Meetup) []key.Binding {
	switch s.Activity().Kind {
	case session.KindNetworking:
		return m.networkingHelp(s)
	case session.KindTopics:
		return m.topicsHelp(s)
	}
	return nil
}

// kindModal reports whether the current activity takes every key now (a
// text being typed, a question): the room's keys are then left out of the
// help bar, since pressing them types.
func (m model) kindModal(s *session.Meetup) bool {
	switch s.Activity().Kind {
	case session.KindNetworking:
		return m.networkingModal(s)
	case session.KindTopics:
		return m.topicsModal(s)
	}
	return false
}
