package session

import "time"

// Kind says what an activity is, and so which panel the screens show.
type Kind string

// The kinds of activity a meetup's agenda is made of.
const (
	KindWelcome    Kind = "welcome"
	KindNetworking Kind = "networking"
	KindTopics     Kind = "topics"
	KindCircle     Kind = "circle"
	KindOpenSpace  Kind = "openspace"
	KindClose      Kind = "close"
)

// Activity is one step of a meetup's agenda. Duration 0 means untimed.
type Activity struct {
	Kind     Kind          `json:"kind"`
	Title    string        `json:"title"`
	Duration time.Duration `json:"duration"`
	// Prompt tells people what to do now, in a sentence or two.
	Prompt string `json:"prompt,omitempty"`

	// The state of the activities that have more than a prompt and a
	// clock. Each is set only on activities of its kind.
	Networking *Networking `json:"networking,omitempty"`
	Vote       *Vote       `json:"vote,omitempty"`

	// Paused keeps the activity's countdown, paused, while the meetup is
	// elsewhere, so going back to it does not restart its clock.
	Paused *Timer `json:"paused,omitempty"`
}

// clone deep-copies the activity's own state.
func (a Activity) clone() Activity {
	if a.Networking != nil {
		a.Networking = a.Networking.clone()
	}
	if a.Vote != nil {
		a.Vote = a.Vote.clone()
	}
	if a.Paused != nil {
		t := *a.Paused
		a.Paused = &t
	}
	return a
}

// Timed reports whether the activity has a countdown.
func (a Activity) Timed() bool { return a.Duration > 0 }

// DefaultAgenda is the one-hour format from real meetups of housing
// engagement officers: welcome, two networking rounds, topic suggestions and
// voting, a solution circle, open space, and close.
func DefaultAgenda() []Activity {
	return []Activity{
		{Kind: KindWelcome, Title: "Welcome", Duration: 5 * time.Minute,
			Prompt: "The room is filling up. Say hello to the people around you; the facilitator will start when everyone is here."},
		{Kind: KindNetworking, Title: "Networking", Duration: 9 * time.Minute,
			Prompt:     "Small groups of 3 or 4, mixed each round so you meet people you have not met yet. Talk about the round's talking point.",
			Networking: DefaultNetworking()},
		{Kind: KindTopics, Title: "Topics and voting", Duration: 8 * time.Minute,
			Prompt: "Suggest topics the group could work on, then vote for the one to take into the solution circle."},
		{Kind: KindCircle, Title: "Solution circle", Duration: 20 * time.Minute,
			Prompt: "The problem sharer presents their challenge, then listens with their mic off while everyone offers ideas in turn, then in open discussion. At the end they say what was useful and their first step."},
		{Kind: KindOpenSpace, Title: "Open space", Duration: 7 * time.Minute,
			Prompt: "Anyone can raise anything with the whole group."},
		{Kind: KindClose, Title: "Close",
			Prompt: "Thank you for coming. The outcomes of this meetup are kept and can be reviewed later."},
	}
}
