package review

import (
	"encoding/json"

	"github.com/convene/convene/session"
)

// roundTrip copies a meetup as the store does: through its JSON.
func roundTrip(m *session.Meetup) (*session.Meetup, error) {
	if m == nil {
		return nil, session.ErrUnknownCode
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	c := new(session.Meetup)
	return c, json.Unmarshal(b, c)
}
