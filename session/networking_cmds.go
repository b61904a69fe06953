package session

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// The commands of the networking activity (its state is in networking.go).

// networking returns the current activity's networking state, or an error
// when the current activity is not a networking one.
func (c *change) networking() (*Networking, error) {
	n, ok := c.current().State.(*Networking)
	if !ok {
		return nil, errors.New("the current activity is not a networking round")
	}
	return n, nil
}

// facilitatingNetworking is the common start of the facilitators' commands.
func (c *change) facilitatingNetworking() (*Networking, error) {
	if err := c.facilitating(); err != nil {
		return nil, err
	}
	return c.networking()
}

// DrawRound draws the next round's groups, or draws the current round
// again (Again) while it has not started. Drawing the next round ends the
// current one and resets the timer to a round's length. The drawing is
// done outside the room's loop.
type DrawRound struct {
	Again bool `json:"again,omitempty"`
}

func (DrawRound) Kind() string { return "round-draw" }

func (d DrawRound) basis(m *Meetup) string {
	n, ok := m.Activity().State.(*Networking)
	if !ok || m.Ended() || (d.Again && len(n.Drawn) == 0) {
		return ""
	}
	i, seed := n.nextDraw(d.Again)
	return n.drawBasis(m, i, seed)
}

func (d DrawRound) plan(m *Meetup) any {
	n := m.Activity().State.(*Networking)
	i, seed := n.nextDraw(d.Again)
	return n.draw(m, i, seed)
}

func (d DrawRound) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	return c.addRound(n, d.Again, c.plan)
}

// DrawGroups draws the groups of the first round or, before a round has
// started, draws its groups again: the room decides which, from where it
// stands when the command arrives, so a key pressed twice draws and then
// draws again, whatever the screen had seen.
type DrawGroups struct{}

func (DrawGroups) Kind() string { return "round-draw-groups" }

// round is the DrawRound that DrawGroups stands for in m.
func (DrawGroups) round(m *Meetup) DrawRound {
	n, ok := m.Activity().State.(*Networking)
	return DrawRound{Again: ok && len(n.Drawn) > 0}
}

func (d DrawGroups) basis(m *Meetup) string { return d.round(m).basis(m) }
func (d DrawGroups) plan(m *Meetup) any     { return d.round(m).plan(m) }
func (d DrawGroups) apply(c *change) error  { return d.round(c.m).apply(c) }

// MovePerson moves a person to another group of the current round. The
// group they leave keeps its place, even when it is left empty.
type MovePerson struct {
	Person PersonID `json:"person"`
	Group  int      `json:"group"` // from 0
}

func (MovePerson) Kind() string { return "round-move" }

func (mv MovePerson) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	_, cur, ok := n.Round()
	if !ok {
		return errors.New("draw the groups first")
	}
	r := &n.Drawn[cur]
	if mv.Group < 0 || mv.Group >= len(r.Groups) {
		return fmt.Errorf("there is no group %d: the groups go from 1 to %d", mv.Group+1, len(r.Groups))
	}
	mem, ok := c.m.Member(mv.Person)
	if !ok {
		return ErrNotMember
	}
	from, _, in := r.GroupOf(mv.Person)
	if from == mv.Group {
		return fmt.Errorf("%s is in group %d already", mem.Name, mv.Group+1)
	}
	if in {
		r.Groups[from] = slices.DeleteFunc(r.Groups[from], func(id PersonID) bool { return id == mv.Person })
	}
	r.Groups[mv.Group] = append(r.Groups[mv.Group], mv.Person)
	// A group left empty stays, so that no other group changes number
	// under the people reading it (and under the facilitator's message).
	c.keep()
	return nil
}

// NetworkingSettings changes the rounds: all of them before the first one
// starts; once rounds run, only what lies ahead.
type NetworkingSettings struct {
	Rounds      int      `json:"rounds"`
	Minutes     int      `json:"minutes"`
	MinSize     int      `json:"min_size"`
	MaxSize     int      `json:"max_size"`
	Points      []string `json:"points"`
	AutoAdvance bool     `json:"auto_advance"`
}

func (NetworkingSettings) Kind() string { return "round-settings" }

// Settings returns the current settings, to edit.
func (n *Networking) Settings(a Activity) NetworkingSettings {
	return NetworkingSettings{
		Rounds: n.Rounds, Minutes: int(max(a.Duration, minRoundTime) / time.Minute),
		MinSize: n.MinSize, MaxSize: n.MaxSize, Points: slices.Clone(n.Points), AutoAdvance: n.AutoAdvance,
	}
}

var errLockedSizes = errors.New("group sizes and the length of a round can be changed only before the first round starts")

// check says why the settings s cannot be set now, in words for the
// facilitator who asked.
func (n *Networking) check(s NetworkingSettings, a Activity) error {
	switch {
	case s.Rounds < 1 || s.Rounds > MaxRounds:
		return fmt.Errorf("rounds go from 1 to %d", MaxRounds)
	case s.Minutes < 1 || s.Minutes > MaxRoundMins:
		return fmt.Errorf("a round lasts from 1 to %d minutes", MaxRoundMins)
	case s.MinSize < 2 || s.MaxSize > MaxGroupSize || s.MinSize > s.MaxSize:
		return fmt.Errorf("groups hold from 2 to %d people, the smallest no bigger than the largest", MaxGroupSize)
	}
	for i, p := range s.Points {
		if err := CheckLen(fmt.Sprintf("talking point %d", i+1), CleanText(p), MaxPointLen); err != nil {
			return err
		}
	}
	if n.locked() {
		if s.Rounds < len(n.Drawn) {
			return fmt.Errorf("%d rounds have been drawn already", len(n.Drawn))
		}
		if s.MinSize != n.MinSize || s.MaxSize != n.MaxSize || time.Duration(s.Minutes)*time.Minute != a.Duration {
			return errLockedSizes
		}
	}
	return nil
}

func (s NetworkingSettings) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	return c.setNetworking(n, s)
}

// setNetworking checks and applies settings; it changes nothing (and
// publishes nothing) when they are the ones in place.
func (c *change) setNetworking(n *Networking, s NetworkingSettings) error {
	a := c.current()
	if err := n.check(s, *a); err != nil {
		return err
	}
	points := make([]string, s.Rounds)
	for i := range points {
		if i < len(s.Points) {
			points[i] = CleanText(s.Points[i])
		} else if i < len(n.Points) {
			points[i] = n.Points[i]
		}
	}
	d := time.Duration(s.Minutes) * time.Minute
	if n.Rounds == s.Rounds && n.MinSize == s.MinSize && n.MaxSize == s.MaxSize &&
		slices.Equal(n.Points, points) && n.AutoAdvance == s.AutoAdvance && a.Duration == d {
		return nil
	}
	started := n.locked()
	n.Rounds, n.MinSize, n.MaxSize, n.Points, n.AutoAdvance = s.Rounds, s.MinSize, s.MaxSize, points, s.AutoAdvance
	for i := range n.Drawn {
		if !started || i == len(n.Drawn)-1 && !n.Started() {
			n.Drawn[i].Point = n.Point(i)
		}
	}
	if a.Duration != d {
		a.Duration = d
		if !c.m.Timer.Started {
			c.m.Timer = newTimer(*a)
		}
	}
	c.keep()
	return nil
}

// Setting names one of the networking settings a facilitator changes a
// step at a time.
type Setting string

// The settings AdjustNetworking changes.
const (
	SettingRounds  Setting = "rounds"
	SettingMinutes Setting = "minutes"
	SettingMinSize Setting = "min_size"
	SettingMaxSize Setting = "max_size"
)

// AdjustNetworking moves one setting by By from where the room has it:
// quick presses each move it one step, in order, so what the screen shows
// once the room has answered is what was pressed. Moving the smallest group
// past the largest takes the largest along, and the other way round.
type AdjustNetworking struct {
	Setting Setting `json:"setting"`
	By      int     `json:"by"`
}

func (AdjustNetworking) Kind() string { return "round-adjust" }

func (adj AdjustNetworking) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	s := n.Settings(*c.current())
	switch adj.Setting {
	case SettingRounds:
		s.Rounds += adj.By
	case SettingMinutes:
		s.Minutes += adj.By
	case SettingMinSize:
		s.MinSize += adj.By
		s.MaxSize = max(s.MaxSize, s.MinSize)
	case SettingMaxSize:
		s.MaxSize += adj.By
		s.MinSize = min(s.MinSize, s.MaxSize)
	default:
		return fmt.Errorf("there is no networking setting %q", adj.Setting)
	}
	return c.setNetworking(n, s)
}

// SetAutoAdvance turns auto-advance on or off.
type SetAutoAdvance struct {
	On bool `json:"on"`
}

func (SetAutoAdvance) Kind() string { return "round-auto" }

func (s SetAutoAdvance) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	set := n.Settings(*c.current())
	set.AutoAdvance = s.On
	return c.setNetworking(n, set)
}

// SetTalkingPoint sets the talking point of round Round (from 0).
type SetTalkingPoint struct {
	Round int    `json:"round"`
	Text  string `json:"text"`
}

func (SetTalkingPoint) Kind() string { return "round-point" }

func (p SetTalkingPoint) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	if p.Round < 0 || p.Round >= n.Rounds {
		return fmt.Errorf("there is no round %d", p.Round+1)
	}
	if p.Round < len(n.Drawn)-1 || p.Round == len(n.Drawn)-1 && n.Started() {
		return fmt.Errorf("round %d has started: its talking point stays as it was", p.Round+1)
	}
	set := n.Settings(*c.current())
	for len(set.Points) < set.Rounds {
		set.Points = append(set.Points, "")
	}
	set.Points[p.Round] = p.Text
	return c.setNetworking(n, set)
}

// TakePart is a facilitator's choice to be in the networking groups (In)
// or to stay out of them, free to run the meetup (the default). In a round
// already drawn they join the smallest group, or leave theirs.
type TakePart struct {
	In bool `json:"in"`
}

func (TakePart) Kind() string { return "round-take-part" }

func (t TakePart) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	if n.TakesPart(c.actor) == t.In {
		return nil
	}
	if t.In {
		n.HostsIn = append(n.HostsIn, c.actor)
		n.place(c.actor)
	} else {
		n.HostsIn = slices.DeleteFunc(n.HostsIn, func(id PersonID) bool { return id == c.actor })
		if _, cur, ok := n.Round(); ok {
			r := &n.Drawn[cur]
			if gi, _, in := r.GroupOf(c.actor); in {
				r.Groups[gi] = slices.DeleteFunc(r.Groups[gi], func(id PersonID) bool { return id == c.actor })
			}
		}
	}
	c.keep()
	return nil
}

// Rebalance mends the current round's groups after people came and went:
// people who left are taken out, people here without a group are put in
// one, and a group smaller than the smallest size asked for is topped up
// from the biggest groups or, when there are not enough people for that,
// shared out among the others. Groups keep their numbers.
type Rebalance struct{}

func (Rebalance) Kind() string { return "round-rebalance" }

func (Rebalance) apply(c *change) error {
	n, err := c.facilitatingNetworking()
	if err != nil {
		return err
	}
	_, cur, ok := n.Round()
	if !ok {
		return errors.New("draw the groups first")
	}
	r := &n.Drawn[cur]
	before := cloneGroups(r.Groups)
	grouped := map[PersonID]bool{}
	for _, id := range n.people(c.m) {
		grouped[id] = true
	}
	for gi := range r.Groups {
		r.Groups[gi] = slices.DeleteFunc(r.Groups[gi], func(id PersonID) bool { return !grouped[id] })
	}
	for _, id := range n.people(c.m) {
		n.place(id)
	}
	rebalance(r.Groups, n.MinSize, n.MaxSize)
	if equalGroups(before, r.Groups) {
		return errors.New("the groups are balanced already: nothing to change")
	}
	c.keep()
	return nil
}

// rebalance moves people between groups (in place) until no group with
// people in it is smaller than least, or only one such group is left.
func rebalance(groups [][]PersonID, least, most int) {
	for {
		small, big, live, total := -1, -1, 0, 0
		for gi, g := range groups {
			if len(g) == 0 {
				continue
			}
			live++
			total += len(g)
			if small < 0 || len(g) < len(groups[small]) {
				small = gi
			}
			if big < 0 || len(g) > len(groups[big]) {
				big = gi
			}
		}
		if live < 2 || len(groups[small]) >= least {
			return
		}
		if total >= least*live && len(groups[big]) > least {
			// Enough people for every group: top up from the biggest.
			last := len(groups[big]) - 1
			groups[small] = append(groups[small], groups[big][last])
			groups[big] = groups[big][:last]
			continue
		}
		// Too few for this many groups: share the smallest out.
		movers := groups[small]
		groups[small] = nil
		for _, id := range movers {
			to := -1
			for gi, g := range groups {
				if len(g) == 0 {
					continue
				}
				if to < 0 || len(g) < len(groups[to]) || len(groups[to]) >= most && len(g) < most {
					to = gi
				}
			}
			groups[to] = append(groups[to], id)
		}
	}
}

func equalGroups(a, b [][]PersonID) bool {
	return slices.EqualFunc(a, b, func(x, y []PersonID) bool { return slices.Equal(x, y) })
}
