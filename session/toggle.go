package session

import "fmt"

// Switch names something a key turns on and off.
type Switch string

// The switches Toggle flips.
const (
	SwitchReady       Switch = "ready"        // the actor's "I'm done"
	SwitchTimer       Switch = "timer"        // the countdown: start or resume, else pause
	SwitchAuthors     Switch = "authors"      // topic authors shown to everyone
	SwitchLiveResults Switch = "live-results" // running totals shown while voting
	SwitchAutoAdvance Switch = "auto-advance" // networking rounds start on their own
	SwitchTakePart    Switch = "take-part"    // the actor (a facilitator) in the groups
	SwitchCoHost      Switch = "co-host"      // Person co-facilitator, or participant again
	SwitchNoteTaker   Switch = "note-taker"   // Person note-taker, or participant again
)

// Toggle flips a switch from where the room has it when the toggle
// arrives, not from where a screen last saw it: a key pressed twice before
// the screen has caught up turns the thing on and off again, as pressed.
// It is then the command it stands for, with that command's checks.
type Toggle struct {
	Switch Switch `json:"switch"`
	// Person is whose role SwitchCoHost or SwitchNoteTaker changes.
	Person PersonID `json:"person,omitempty"`
}

func (t Toggle) Kind() string { return "toggle-" + string(t.Switch) }

// resolve is the command the toggle stands for in the meetup as it is.
func (t Toggle) resolve(c *change) (Command, error) {
	switch t.Switch {
	case SwitchReady:
		mem, err := c.running()
		if err != nil {
			return nil, err
		}
		return SetReady{Ready: !mem.Ready}, nil
	case SwitchTimer:
		if c.m.Timer.Running {
			return PauseTimer{}, nil
		}
		return StartTimer{}, nil
	case SwitchAuthors, SwitchLiveResults:
		v, err := c.topics()
		if err != nil {
			return nil, err
		}
		if t.Switch == SwitchAuthors {
			return ShowAuthors{Show: !v.ShowAuthors}, nil
		}
		return ShowLiveResults{Show: !v.LiveResults}, nil
	case SwitchAutoAdvance, SwitchTakePart:
		n, err := c.networking()
		if err != nil {
			return nil, err
		}
		if t.Switch == SwitchAutoAdvance {
			return SetAutoAdvance{On: !n.AutoAdvance}, nil
		}
		return TakePart{In: !n.TakesPart(c.actor)}, nil
	case SwitchCoHost:
		role := RoleCoFacilitator
		if c.m.RoleOf(t.Person) == RoleCoFacilitator {
			role = RoleParticipant
		}
		return SetRole{Person: t.Person, Role: role}, nil
	case SwitchNoteTaker:
		role := RoleNoteTaker
		if c.m.RoleOf(t.Person) == RoleNoteTaker {
			role = RoleParticipant
		}
		return SetRole{Person: t.Person, Role: role}, nil
	}
	return nil, fmt.Errorf("there is no switch %q", t.Switch)
}

func (t Toggle) apply(c *change) error {
	cmd, err := t.resolve(c)
	if err != nil {
		return err
	}
	return cmd.apply(c)
}

// A toggle of the timer may start a networking round, whose groups are
// drawn outside the loop as StartTimer's are.

func (t Toggle) basis(m *Meetup) string {
	if t.Switch != SwitchTimer || m.Timer.Running {
		return ""
	}
	return StartTimer{}.basis(m)
}

func (t Toggle) plan(m *Meetup) any { return StartTimer{}.plan(m) }
