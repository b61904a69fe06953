package session

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Kind says what an activity is, and so which rules and screen it has.
type Kind string

// The kinds of activity a meetup's agenda is made of. Each kind with rules
// of its own lives in one file of this package (networking.go, topics.go,
// plain.go) and registers itself with register.
const (
	KindWelcome    Kind = "welcome"
	KindTalk       Kind = "talk"
	KindNetworking Kind = "networking"
	KindTopics     Kind = "topics"
	KindCircle     Kind = "circle"
	KindOpenSpace  Kind = "openspace"
	KindBreak      Kind = "break"
	KindClose      Kind = "close"
)

// Activity is one item of a meetup's agenda. Duration 0 means untimed.
type Activity struct {
	Kind  Kind   `json:"kind"`
	Title string `json:"title"`
	// Duration is the planned time; the countdown starts from it.
	Duration time.Duration `json:"duration"`
	// Note is shown to everyone while the activity runs: what to do now.
	Note string `json:"note,omitempty"`
	// State is the kind's own state (nil for kinds that have none): its
	// settings and everything that happened in it.
	State State `json:"state,omitempty"`
	// Paused keeps the activity's countdown, paused, while the meetup is
	// elsewhere, so going back to it does not restart its clock.
	Paused *Timer `json:"paused,omitempty"`
	// Ran is true once the activity has been the current one.
	Ran bool `json:"ran,omitempty"`
}

// State is the state of one kind of activity. Its methods are unexported:
// kinds are written in this package, one file each. Besides clone, a state
// may implement any of the hook interfaces below; the room calls the ones
// it has.
type State interface {
	clone() State
}

// The hooks an activity's state may implement.
type (
	// enterHook runs when the meetup moves to the activity.
	enterHook interface{ onEnter(c *change, a *Activity) }
	// leaveHook runs when the meetup moves away from it.
	leaveHook interface{ onLeave(c *change, a *Activity) }
	// joinHook runs when a person arrives (or returns) while it is current.
	joinHook interface {
		onJoin(c *change, a *Activity, id PersonID)
	}
	// startHook runs when the facilitator starts its countdown for the
	// first time or again; an error refuses the start. plan is what
	// planStart prepared outside the room's loop (nil without one).
	startHook interface {
		onStart(c *change, a *Activity, plan any) error
	}
	// startPlanner prepares, outside the room's loop, work the start
	// needs (drawing groups). startBasis names what in the meetup the
	// plan depends on ("" when there is nothing to prepare): the plan is
	// used only if the basis still holds when the start is applied.
	startPlanner interface {
		startBasis(m *Meetup, a *Activity) string
		planStart(m *Meetup, a *Activity) any
	}
	// alarmHook says when the room must act on its own while the activity
	// is current, and acts then.
	alarmHook interface {
		alarm(m *Meetup, a *Activity) (time.Time, bool)
		wake(c *change, a *Activity, plan any)
	}
	// wakePlanner prepares the wake's work outside the room's loop, as
	// startPlanner does for a start.
	wakePlanner interface {
		wakeBasis(m *Meetup, a *Activity) string
		planWake(m *Meetup, a *Activity) any
	}
	// redactor returns what people in role may see of the state: a copy
	// without other people's secrets. It must not change the state.
	redactor interface{ redact(m *Meetup, r Role) State }
	// ownHook returns what only person may see of the state (their own
	// ballot): the Own of their View.
	ownHook interface {
		own(m *Meetup, id PersonID) any
	}
	// stageHook names where the activity stands (a phase, a round), so
	// that screens know when a personal message has gone stale.
	stageHook interface{ stage() string }
	// outcomeHook adds the activity's outcomes to a meetup's summary.
	outcomeHook interface {
		outcomes(m *Meetup, a *Activity, o *Outcomes)
	}
	// removeHook says why the activity may not be taken off the agenda
	// ("" when it may): what happened in it is kept.
	removeHook interface{ keeps() string }
	// templateHook returns the state a template keeps: the settings,
	// without what happened.
	templateHook interface{ template() State }
	// retimeHook checks that the planned time may change to d.
	retimeHook interface{ retime(d time.Duration) error }
	// plannedHook gives the activity's whole planned time, where it is
	// not its Duration (networking: every round).
	plannedHook interface {
		planned(a *Activity) time.Duration
	}
)

// KindInfo describes one kind of activity: what people call it and what a
// new item of the kind starts with.
type KindInfo struct {
	Kind Kind
	// Name is what people call the kind, e.g. "Networking rounds".
	Name string
	// About says in a line what the kind is for.
	About string
	// Title, Duration and Note are a new item's defaults.
	Title    string
	Duration time.Duration
	Note     string
	// New makes the state of a new item; nil for kinds without state.
	New func() State
	// order places the kind in lists of kinds.
	order int
}

var kinds = map[Kind]KindInfo{}

// register adds a kind of activity; each kind's file calls it from init.
func register(k KindInfo) {
	if _, dup := kinds[k.Kind]; dup {
		panic(fmt.Sprintf("session: kind %q registered twice", k.Kind))
	}
	kinds[k.Kind] = k
}

// Kinds lists every kind of activity, in the order an agenda editor offers
// them.
func Kinds() []KindInfo {
	out := make([]KindInfo, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b KindInfo) int { return a.order - b.order })
	return out
}

// KindOf returns the description of a kind.
func KindOf(k Kind) (KindInfo, bool) {
	info, ok := kinds[k]
	return info, ok
}

// NewActivity returns a new agenda item of kind k with the kind's defaults.
func NewActivity(k Kind) (Activity, error) {
	info, ok := kinds[k]
	if !ok {
		return Activity{}, fmt.Errorf("there is no kind of activity called %q", k)
	}
	a := Activity{Kind: k, Title: info.Title, Duration: info.Duration, Note: info.Note}
	if info.New != nil {
		a.State = info.New()
	}
	return a, nil
}

// clone deep-copies the activity's own state.
func (a Activity) clone() Activity {
	if a.State != nil {
		a.State = a.State.clone()
	}
	if a.Paused != nil {
		t := *a.Paused
		a.Paused = &t
	}
	return a
}

// Timed reports whether the activity has a countdown.
func (a Activity) Timed() bool { return a.Duration > 0 }

// Planned is the whole time planned for the activity.
func (a Activity) Planned() time.Duration {
	if h, ok := a.State.(plannedHook); ok {
		return h.planned(&a)
	}
	return a.Duration
}

// Name is what people call the activity's kind.
func (a Activity) Name() string {
	if k, ok := kinds[a.Kind]; ok {
		return k.Name
	}
	return string(a.Kind)
}

// Keeps says why the activity cannot be taken off the agenda: something
// happened in it that is kept. "" means it can.
func (a Activity) Keeps() string {
	if h, ok := a.State.(removeHook); ok {
		return h.keeps()
	}
	return ""
}

// activityJSON is how an activity is stored. Prompt, Networking and Vote
// are read from meetups saved before activities had one State field.
type activityJSON struct {
	Kind     Kind            `json:"kind"`
	Title    string          `json:"title"`
	Duration time.Duration   `json:"duration"`
	Note     string          `json:"note,omitempty"`
	State    json.RawMessage `json:"state,omitempty"`
	Paused   *Timer          `json:"paused,omitempty"`
	Ran      bool            `json:"ran,omitempty"`

	Prompt     string          `json:"prompt,omitempty"`
	Networking json.RawMessage `json:"networking,omitempty"`
	Vote       json.RawMessage `json:"vote,omitempty"`
}

// MarshalJSON writes the activity with its state.
func (a Activity) MarshalJSON() ([]byte, error) {
	out := activityJSON{Kind: a.Kind, Title: a.Title, Duration: a.Duration, Note: a.Note, Paused: a.Paused, Ran: a.Ran}
	if a.State != nil {
		st, err := json.Marshal(a.State)
		if err != nil {
			return nil, fmt.Errorf("activity %q: %w", a.Title, err)
		}
		out.State = st
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads an activity, making its state the kind's type.
func (a *Activity) UnmarshalJSON(data []byte) error {
	var in activityJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	info, ok := kinds[in.Kind]
	if !ok {
		return fmt.Errorf("unknown kind of activity %q", in.Kind)
	}
	*a = Activity{Kind: in.Kind, Title: in.Title, Duration: in.Duration, Note: in.Note, Paused: in.Paused, Ran: in.Ran}
	if a.Note == "" {
		a.Note = in.Prompt
	}
	if info.New == nil {
		return nil
	}
	a.State = info.New()
	raw := in.State
	if len(raw) == 0 {
		raw = in.Networking
	}
	if len(raw) == 0 {
		raw = in.Vote
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, a.State); err != nil {
		return fmt.Errorf("activity %q: %w", a.Title, err)
	}
	return nil
}

// StateOf returns the state of activity a as type T, if it is one.
func StateOf[T State](a Activity) (T, bool) {
	t, ok := a.State.(T)
	return t, ok
}
