package session

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/convene/convene/session/grouping"
)

// Networking is the state of a networking activity: timed rounds of small
// groups, mixed between rounds so people meet people they have not met.
// The activity's Duration is the length of one round; the room's timer
// counts down the round in progress.
type Networking struct {
	Rounds  int `json:"rounds"`
	MinSize int `json:"min_size"`
	MaxSize int `json:"max_size"`
	// Points holds the talking point of each round.
	Points []string `json:"points"`
	// AutoAdvance starts the next round on its own AutoPause after time is
	// up, instead of waiting for the facilitator.
	AutoAdvance bool `json:"auto_advance,omitempty"`
	// Seed is where every round's seed starts, so a meetup's groups can be
	// drawn again exactly.
	Seed int64 `json:"seed"`
	// Drawn holds the rounds drawn so far; the last one is the current.
	Drawn []Round `json:"drawn,omitempty"`
}

// Round is one networking round as it happened.
type Round struct {
	// Groups keeps its numbering for the whole round: a group emptied by
	// moving its people out stays, empty, and is the first to take a late
	// joiner.
	Groups [][]PersonID `json:"groups"`
	Point  string       `json:"point"`
	Seed   int64        `json:"seed"`
	// Note says why the group sizes are not as asked (too few people for
	// the size range), for the facilitator. Pairs meeting again are not in
	// it: Networking.Repeats counts those from the rounds as drawn.
	Note      string    `json:"note,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
}

// Limits on networking settings.
const (
	MaxRounds     = 12
	MaxGroupSize  = 12
	MaxPointLen   = 200
	MaxRoundMins  = 60
	AutoPause     = 15 * time.Second
	minRoundTime  = time.Minute
	defaultPoint1 = "What is one thing that went well in your work this month, and why?"
	defaultPoint2 = "What is one challenge you are facing that others here might help with?"
)

// DefaultNetworking is the template's networking: two rounds in groups of
// three or four.
func DefaultNetworking() *Networking {
	return &Networking{Rounds: 2, MinSize: 3, MaxSize: 4, Points: []string{defaultPoint1, defaultPoint2}}
}

func (n *Networking) clone() *Networking {
	c := *n
	c.Points = slices.Clone(n.Points)
	c.Drawn = slices.Clone(n.Drawn)
	for i := range c.Drawn {
		c.Drawn[i].Groups = slices.Clone(c.Drawn[i].Groups)
		for j := range c.Drawn[i].Groups {
			c.Drawn[i].Groups[j] = slices.Clone(c.Drawn[i].Groups[j])
		}
	}
	return &c
}

// Point is the talking point of round i (0-based).
func (n *Networking) Point(i int) string {
	if i >= 0 && i < len(n.Points) {
		return n.Points[i]
	}
	return ""
}

// Round returns the current round and its index, or ok false before the
// first round is drawn.
func (n *Networking) Round() (r Round, i int, ok bool) {
	if n == nil || len(n.Drawn) == 0 {
		return Round{}, -1, false
	}
	i = len(n.Drawn) - 1
	return n.Drawn[i], i, true
}

// Started reports whether the current round has begun.
func (n *Networking) Started() bool {
	r, _, ok := n.Round()
	return ok && !r.StartedAt.IsZero()
}

// GroupOf returns the number (from 0) of the group person is in this
// round, and the group.
func (r Round) GroupOf(id PersonID) (int, []PersonID, bool) {
	for i, g := range r.Groups {
		if slices.Contains(g, id) {
			return i, g, true
		}
	}
	return -1, nil, false
}

// Repeats counts pairs who met again across the rounds drawn.
func (n *Networking) Repeats() int {
	idx := map[PersonID]int{}
	var rounds [][][]int
	for _, r := range n.Drawn {
		var round [][]int
		for _, g := range r.Groups {
			var grp []int
			for _, id := range g {
				if _, ok := idx[id]; !ok {
					idx[id] = len(idx)
				}
				grp = append(grp, idx[id])
			}
			round = append(round, grp)
		}
		rounds = append(rounds, round)
	}
	return grouping.Repeats(rounds)
}

// PlainText is the groups of the current round as plain text, to paste
// into a video call's breakout rooms.
func (n *Networking) PlainText(m *Meetup) string {
	r, i, ok := n.Round()
	if !ok {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: round %d of %d\n", m.Title, i+1, n.Rounds)
	if r.Point != "" {
		fmt.Fprintf(&b, "Talking point: %s\n", r.Point)
	}
	for gi, g := range r.Groups {
		if len(g) == 0 {
			continue // emptied by moves; the others keep their numbers
		}
		names := make([]string, 0, len(g))
		for _, id := range g {
			mem, _ := m.Member(id)
			names = append(names, mem.Name)
		}
		fmt.Fprintf(&b, "Group %d: %s\n", gi+1, strings.Join(names, ", "))
	}
	return b.String()
}

// networking returns the current activity's networking state, or an error
// when the current activity is not a networking one.
func (c *change) networking() (*Networking, error) {
	n := c.m.Agenda[c.m.Current].Networking
	if n == nil || c.m.Activity().Kind != KindNetworking {
		return nil, fmt.Errorf("the current activity is not a networking round")
	}
	return n, nil
}

// draw puts the people present into groups for round i, minimising pairs
// who met in the earlier rounds.
func (n *Networking) draw(m *Meetup, i int, seed int64) Round {
	var people []PersonID
	for _, mem := range m.Members {
		if mem.Present {
			people = append(people, mem.ID)
		}
	}
	idx := make(map[PersonID]int, len(people))
	for k, id := range people {
		idx[id] = k
	}
	var history [][][]int
	for _, r := range n.Drawn[:i] {
		var round [][]int
		for _, g := range r.Groups {
			var grp []int
			for _, id := range g {
				if k, ok := idx[id]; ok {
					grp = append(grp, k)
				}
			}
			if len(grp) > 0 {
				round = append(round, grp)
			}
		}
		history = append(history, round)
	}
	// Plan the rest of the activity at once so that later rounds can still
	// avoid repeats; only this round is kept, the next is drawn afresh with
	// whoever is there then. Plan's note also counts the repeats it expects
	// in the rounds still to come, which have not happened (and may not,
	// with other people there): the round keeps only the note on sizes.
	planned, _ := grouping.Plan(len(people), n.MinSize, n.MaxSize, n.Rounds-i, history, seed)
	_, note := grouping.Sizes(len(people), n.MinSize, n.MaxSize)
	r := Round{Point: n.Point(i), Seed: seed, Note: note}
	if len(planned) > 0 {
		for _, g := range planned[0] {
			grp := make([]PersonID, len(g))
			for k, p := range g {
				grp[k] = people[p]
			}
			r.Groups = append(r.Groups, grp)
		}
	}
	return r
}

// roundSeed is the seed of round i's draw number k.
func (n *Networking) roundSeed(i, k int) int64 { return n.Seed + int64(i)*1000 + int64(k) }

// DrawRound draws the next round's groups, or draws the current round
// again (Again) while it has not started. Drawing the next round ends the
// current one and resets the timer to a round's length.
type DrawRound struct {
	Again bool `json:"again,omitempty"`
}

func (DrawRound) Kind() string { return "round-draw" }

func (d DrawRound) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	n, err := c.networking()
	if err != nil {
		return err
	}
	return c.drawRound(n, d.Again)
}

func (c *change) drawRound(n *Networking, again bool) error {
	_, cur, drawn := n.Round()
	i := cur + 1
	seed := n.roundSeed(i, 0)
	if again {
		if !drawn {
			return fmt.Errorf("no round has been drawn yet")
		}
		if n.Started() {
			return fmt.Errorf("round %d has started; groups can be redrawn only before it starts (people can still be moved)", cur+1)
		}
		i = cur
		seed = n.Drawn[cur].Seed + 1
	} else if i >= n.Rounds {
		return fmt.Errorf("all %d rounds have been drawn; add a round in the settings or move on", n.Rounds)
	}
	if c.m.Present() == 0 {
		return fmt.Errorf("nobody is here to put in groups")
	}
	r := n.draw(c.m, i, seed)
	if again {
		n.Drawn[i] = r
	} else {
		if drawn && n.Drawn[cur].EndedAt.IsZero() {
			n.Drawn[cur].EndedAt = c.now
		}
		n.Drawn = append(n.Drawn, r)
	}
	// "I'm done" was about the round before (or the groups before): each
	// round, and each redraw, starts with nobody done.
	for j := range c.m.Members {
		c.m.Members[j].Ready = false
	}
	c.m.Timer = newTimer(c.m.Activity())
	c.durable = true
	return nil
}

// MovePerson moves a person to another group of the current round. The
// group they leave keeps its place, even when it is left empty.
type MovePerson struct {
	Person PersonID `json:"person"`
	Group  int      `json:"group"` // from 0
}

func (MovePerson) Kind() string { return "round-move" }

func (mv MovePerson) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	n, err := c.networking()
	if err != nil {
		return err
	}
	_, cur, ok := n.Round()
	if !ok {
		return fmt.Errorf("draw the groups first")
	}
	r := &n.Drawn[cur]
	if mv.Group < 0 || mv.Group >= len(r.Groups) {
		return fmt.Errorf("there is no group %d", mv.Group+1)
	}
	if _, ok := c.m.Member(mv.Person); !ok {
		return ErrNotMember
	}
	from, _, in := r.GroupOf(mv.Person)
	if from == mv.Group {
		return nil
	}
	if in {
		r.Groups[from] = slices.DeleteFunc(r.Groups[from], func(id PersonID) bool { return id == mv.Person })
	}
	r.Groups[mv.Group] = append(r.Groups[mv.Group], mv.Person)
	// A group left empty stays, so that no other group changes number
	// under the people reading it (and under the facilitator's message).
	c.durable = true
	return nil
}

// NetworkingSettings changes the rounds before the first one starts.
type NetworkingSettings struct {
	Rounds      int      `json:"rounds"`
	Minutes     int      `json:"minutes"`
	MinSize     int      `json:"min_size"`
	MaxSize     int      `json:"max_size"`
	Points      []string `json:"points"`
	AutoAdvance bool     `json:"auto_advance"`
}

func (NetworkingSettings) Kind() string { return "round-settings" }

func (s NetworkingSettings) apply(c *change) error {
	if err := c.facilitating(); err != nil {
		return err
	}
	n, err := c.networking()
	if err != nil {
		return err
	}
	switch {
	case s.Rounds < 1 || s.Rounds > MaxRounds:
		return fmt.Errorf("rounds must be between 1 and %d", MaxRounds)
	case s.Minutes < 1 || s.Minutes > MaxRoundMins:
		return fmt.Errorf("a round lasts between 1 and %d minutes", MaxRoundMins)
	case s.MinSize < 2 || s.MaxSize > MaxGroupSize || s.MinSize > s.MaxSize:
		return fmt.Errorf("group sizes must be a range within 2-%d", MaxGroupSize)
	}
	points := make([]string, s.Rounds)
	for i := range points {
		if i < len(s.Points) {
			points[i] = CleanText(s.Points[i])
		}
		if Len(points[i]) > MaxPointLen {
			return ErrTooLong{What: fmt.Sprintf("talking point %d", i+1), Limit: MaxPointLen}
		}
	}
	started := n.Started() || len(n.Drawn) > 1
	if started {
		// Once rounds run, only what lies ahead may change.
		if s.Rounds < len(n.Drawn) {
			return fmt.Errorf("%d rounds have been drawn already", len(n.Drawn))
		}
		if s.MinSize != n.MinSize || s.MaxSize != n.MaxSize || time.Duration(s.Minutes)*time.Minute != c.m.Activity().Duration {
			return fmt.Errorf("sizes and length can be changed only before the first round starts")
		}
	}
	n.Rounds, n.MinSize, n.MaxSize, n.Points, n.AutoAdvance = s.Rounds, s.MinSize, s.MaxSize, points, s.AutoAdvance
	for i := range n.Drawn {
		if !started || i == len(n.Drawn)-1 && !n.Started() {
			n.Drawn[i].Point = n.Point(i)
		}
	}
	a := &c.m.Agenda[c.m.Current]
	d := time.Duration(s.Minutes) * time.Minute
	if a.Duration != d {
		a.Duration = d
		if !c.m.Timer.Started {
			c.m.Timer = newTimer(*a)
		}
	}
	c.durable = true
	return nil
}

// Settings returns the current settings, to edit.
func (n *Networking) Settings(a Activity) NetworkingSettings {
	return NetworkingSettings{
		Rounds: n.Rounds, Minutes: int(max(a.Duration, minRoundTime) / time.Minute),
		MinSize: n.MinSize, MaxSize: n.MaxSize, Points: slices.Clone(n.Points), AutoAdvance: n.AutoAdvance,
	}
}

// onStart marks the current round started when its timer first starts.
func (n *Networking) onStart(now time.Time) {
	if _, cur, ok := n.Round(); ok && n.Drawn[cur].StartedAt.IsZero() {
		n.Drawn[cur].StartedAt = now
	}
}

// onLeave ends the round in progress when the meetup moves on.
func (n *Networking) onLeave(now time.Time) {
	if _, cur, ok := n.Round(); ok && !n.Drawn[cur].StartedAt.IsZero() && n.Drawn[cur].EndedAt.IsZero() {
		n.Drawn[cur].EndedAt = now
	}
}

// onJoin puts a late joiner into the smallest group of the round: an
// emptied one first.
func (n *Networking) onJoin(id PersonID) bool {
	_, cur, ok := n.Round()
	if !ok {
		return false
	}
	r := &n.Drawn[cur]
	if _, _, in := r.GroupOf(id); in || len(r.Groups) == 0 {
		return false
	}
	sizes := make([][]int, len(r.Groups))
	for i, g := range r.Groups {
		sizes[i] = make([]int, len(g))
	}
	gi := grouping.Place(sizes)
	r.Groups[gi] = append(r.Groups[gi], id)
	return true
}

// alarm is when the room must act on its own: the next round of an
// auto-advancing activity, a short pause after time is up.
func (n *Networking) alarm(t Timer) (time.Time, bool) {
	if !n.AutoAdvance || !n.Started() || !t.Running || len(n.Drawn) >= n.Rounds {
		return time.Time{}, false
	}
	return t.Deadline.Add(AutoPause), true
}

// Wake is the room acting on its own when an alarm falls due. It checks
// again that the moment has come, so an early or repeated wake is harmless.
type Wake struct{}

func (Wake) Kind() string { return "wake" }

func (Wake) apply(c *change) error {
	if c.m.Ended() {
		return nil
	}
	a := c.m.Agenda[c.m.Current]
	if a.Kind != KindNetworking || a.Networking == nil {
		return nil
	}
	at, ok := a.Networking.alarm(c.m.Timer)
	if !ok || c.now.Before(at) {
		return nil
	}
	if err := c.drawRound(a.Networking, false); err != nil {
		return nil
	}
	c.m.Timer = c.m.Timer.start(c.now)
	a.Networking.onStart(c.now)
	return nil
}
