package tui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/convene/convene/session"
)

// openForm opens a line to type for the room.
func (m *model) openForm(p formPurpose, value string) {
	st := m.st
	var f form
	switch p {
	case formAnnounce:
		f = newForm(st, "To every screen:", "one line for everyone (empty clears it)", value, session.MaxNoticeLen, "send to every screen", "cancel")
	case formRename:
		f = newForm(st, "Your name:", "your name", value, session.MaxNameLen, "change my name", "cancel")
	case formSetTime:
		f = newForm(st, "Time left:", "minutes, or minutes:seconds (e.g. 4:30)", value, 0, "set the countdown", "cancel")
	}
	m.room.form = &roomForm{purpose: p, form: f}
}

func (m model) formKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	r := &m.room
	f, done, cmd := r.form.form.update(msg)
	r.form.form = f
	switch done {
	case formCancelled:
		r.form = nil
		return m, nil
	case formSubmitted:
		text := f.value()
		switch r.form.purpose {
		case formAnnounce:
			clean, err := session.CleanAnnouncement(text)
			if err != nil {
				r.form.form.fail(err)
				return m, nil
			}
			r.form = nil
			what := "Announcement sent to every screen."
			if clean == "" {
				what = "Announcement cleared."
			}
			return m, m.send(what, session.Announce{Text: clean})
		case formRename:
			name, err := session.CleanName(text)
			if err != nil {
				r.form.form.fail(err)
				return m, nil
			}
			r.form = nil
			return m, m.renameCmd(name)
		case formSetTime:
			d, err := parseClock(text)
			if err != nil {
				r.form.form.fail(err)
				return m, nil
			}
			r.form = nil
			return m, m.send("Countdown set to "+formatClock(d)+".", session.SetTime{Left: d})
		}
	}
	return m, cmd
}

// parseClock reads a time typed by a facilitator: "5" (minutes), "4:30"
// (minutes and seconds) or "1:05:00" (hours, minutes, seconds).
func parseClock(s string) (time.Duration, error) {
	bad := errors.New("type the time left as minutes (5) or minutes:seconds (4:30)")
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) > 3 {
		return 0, bad
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || i > 0 && (n >= 60 || len(p) != 2) {
			return 0, bad
		}
		nums[i] = n
	}
	unit := []time.Duration{time.Minute}
	switch len(nums) {
	case 2:
		unit = []time.Duration{time.Minute, time.Second}
	case 3:
		unit = []time.Duration{time.Hour, time.Minute, time.Second}
	}
	var d time.Duration
	for i, n := range nums {
		d += time.Duration(n) * unit[i]
	}
	return d, nil
}

func (m model) confirmKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	r := &m.room
	what := r.confirm
	r.confirm = confirmNone
	yes := msg.String() == "y" || msg.String() == "Y"
	switch what {
	case confirmEnd:
		if yes {
			return m, m.send("The meetup has ended.", session.End{})
		}
		m.setStatus("The meetup goes on.", false)
	}
	return m, nil
}
