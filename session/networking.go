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
// counts down the round in progress. Its commands are in
// networking_cmds.go.
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
	// HostsIn are the facilitators who chose to take part in the groups;
	// the others are left out, free to run the meetup.
	HostsIn []PersonID `json:"hosts_in,omitempty"`
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

func init() {
	register(KindInfo{Kind: KindNetworking, order: 30, Name: "Networking rounds",
		About: "Timed rounds in small groups, mixed each round so people meet new people.",
		Title: "Networking", Duration: 9 * time.Minute,
		Note: "Small groups of 3 or 4, mixed each round so you meet people you have not met yet. Talk about the round's talking point.",
		New:  func() State { return DefaultNetworking() }})
}

// DefaultNetworking is the template's networking: two rounds in groups of
// three or four.
func DefaultNetworking() *Networking {
	return &Networking{Rounds: 2, MinSize: 3, MaxSize: 4, Points: []string{defaultPoint1, defaultPoint2}}
}

func (n *Networking) clone() State {
	c := *n
	c.Points = slices.Clone(n.Points)
	c.HostsIn = slices.Clone(n.HostsIn)
	c.Drawn = slices.Clone(n.Drawn)
	for i := range c.Drawn {
		c.Drawn[i].Groups = cloneGroups(c.Drawn[i].Groups)
	}
	return &c
}

func cloneGroups(groups [][]PersonID) [][]PersonID {
	out := slices.Clone(groups)
	for i := range out {
		out[i] = slices.Clone(out[i])
	}
	return out
}

func (n *Networking) template() State {
	return &Networking{Rounds: n.Rounds, MinSize: n.MinSize, MaxSize: n.MaxSize, Points: slices.Clone(n.Points), AutoAdvance: n.AutoAdvance}
}

func (n *Networking) keeps() string {
	switch len(n.Drawn) {
	case 0:
		return ""
	case 1:
		return "its first round's groups have been drawn"
	}
	return fmt.Sprintf("%d rounds have been drawn", len(n.Drawn))
}

func (n *Networking) stage() string { return fmt.Sprintf("r%d", len(n.Drawn)) }

func (n *Networking) outcomes(_ *Meetup, _ *Activity, o *Outcomes) {
	for _, r := range n.Drawn {
		if !r.StartedAt.IsZero() {
			o.Rounds++
		}
	}
}

// planned is the activity's whole time: every round.
func (n *Networking) planned(a *Activity) time.Duration { return time.Duration(n.Rounds) * a.Duration }

// retime checks that the length of a round may change to d.
func (n *Networking) retime(d time.Duration) error {
	if n.locked() {
		return errLockedSizes
	}
	if d < minRoundTime || d > MaxRoundMins*time.Minute {
		return fmt.Errorf("a round lasts from 1 to %d minutes", MaxRoundMins)
	}
	return nil
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

// locked reports whether rounds have begun, so that only what lies ahead
// may change: the length of a round and the group sizes are fixed.
func (n *Networking) locked() bool { return n.Started() || len(n.Drawn) > 1 }

// MoreRounds reports whether another round can be drawn.
func (n *Networking) MoreRounds() bool { return len(n.Drawn) < n.Rounds }

// AutoNext reports whether the next round will start on its own once time
// is up.
func (n *Networking) AutoNext() bool { return n.AutoAdvance && n.Started() && n.MoreRounds() }

// TakesPart reports whether facilitator id chose to be in the groups.
func (n *Networking) TakesPart(id PersonID) bool { return slices.Contains(n.HostsIn, id) }

// grouped reports whether person belongs in the groups: everyone but
// facilitators who did not choose to take part.
func (n *Networking) grouped(m *Meetup, mem Member) bool {
	return !mem.Role.Facilitates() || n.TakesPart(mem.ID)
}

// People lists the people present who belong in the groups: the next
// draw puts them in groups.
func (n *Networking) People(m *Meetup) []PersonID { return n.people(m) }

// people lists the people present who belong in the groups.
func (n *Networking) people(m *Meetup) []PersonID {
	var out []PersonID
	for _, mem := range m.Members {
		if mem.Present && n.grouped(m, mem) {
			out = append(out, mem.ID)
		}
	}
	return out
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

// People lists the round's people in group order.
func (r Round) People() []PersonID {
	var out []PersonID
	for _, g := range r.Groups {
		out = append(out, g...)
	}
	return out
}

// GroupFlag marks a group of the current round that needs a facilitator's
// eye: someone left it, or one person is left alone in it.
type GroupFlag struct {
	Group int
	// Gone are the people of the group who have left the meetup.
	Gone []PersonID
	// Alone is true when only one person in the group is still here.
	Alone bool
}

// Flags returns the groups of the current round that lost someone or are
// down to one person. Rebalance fixes them.
func (n *Networking) Flags(m *Meetup) []GroupFlag {
	r, _, ok := n.Round()
	if !ok {
		return nil
	}
	var out []GroupFlag
	for gi, g := range r.Groups {
		f := GroupFlag{Group: gi}
		here := 0
		for _, id := range g {
			if mem, ok := m.Member(id); ok && mem.Present {
				here++
			} else {
				f.Gone = append(f.Gone, id)
			}
		}
		f.Alone = here == 1 && len(r.People()) > 1
		if f.Alone || len(f.Gone) > 0 {
			out = append(out, f)
		}
	}
	return out
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
			names = append(names, m.NameOf(id))
		}
		fmt.Fprintf(&b, "Group %d: %s\n", gi+1, strings.Join(names, ", "))
	}
	return b.String()
}

// roundSeed is the seed of round i's draw number k.
func (n *Networking) roundSeed(i, k int) int64 { return n.Seed + int64(i)*1000 + int64(k) }

// drawBasis names what drawing round i with seed depends on: who is to be
// grouped, the rounds so far, the settings. A draw planned on one state
// is applied only to a state with the same basis.
func (n *Networking) drawBasis(m *Meetup, i int, seed int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d/%d/%d/%d-%d/%d:", m.Current, i, len(n.Drawn), seed, n.MinSize, n.MaxSize, n.Rounds)
	for _, id := range n.people(m) {
		b.WriteString(string(id))
		b.WriteByte(',')
	}
	return b.String()
}

// draw puts the people present into groups for round i, minimising pairs
// who met in the earlier rounds. It can take a while for unusual sizes:
// the room calls it outside its loop, on a snapshot.
func (n *Networking) draw(m *Meetup, i int, seed int64) Round {
	people := n.people(m)
	idx := make(map[PersonID]int, len(people))
	for k, id := range people {
		idx[id] = k
	}
	var history [][][]int
	for _, r := range n.Drawn[:min(i, len(n.Drawn))] {
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
	planned, _ := grouping.Plan(len(people), n.MinSize, n.MaxSize, max(n.Rounds-i, 1), history, seed)
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

// nextDraw says which round the next draw makes and with which seed.
func (n *Networking) nextDraw(again bool) (i int, seed int64) {
	_, cur, _ := n.Round()
	if again {
		return cur, n.Drawn[cur].Seed + 1
	}
	return cur + 1, n.roundSeed(cur+1, 0)
}

// addRound applies a drawn round (r, planned outside the loop; drawn here
// if there is no plan). With again, it replaces the current round.
func (c *change) addRound(n *Networking, again bool, plan any) error {
	_, cur, drawn := n.Round()
	i, seed := n.nextDraw(again)
	if again {
		if !drawn {
			return fmt.Errorf("no round has been drawn yet")
		}
		if n.Started() {
			return fmt.Errorf("round %d has started; groups can be redrawn only before it starts (people can still be moved)", cur+1)
		}
	} else if i >= n.Rounds {
		return fmt.Errorf("all %d rounds have been drawn; add a round in the settings or move on", n.Rounds)
	} else if drawn && !n.Started() {
		return fmt.Errorf("round %d has not started yet: start its clock, or draw its groups again", cur+1)
	}
	if len(n.people(c.m)) == 0 {
		return fmt.Errorf("nobody is here to put in groups")
	}
	r, ok := plan.(Round)
	if !ok {
		r = n.draw(c.m, i, seed)
	}
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
	c.m.Timer = newTimer(*c.current())
	c.keep()
	return nil
}

// Hooks of the networking activity.

func (n *Networking) startBasis(m *Meetup, _ *Activity) string {
	if _, _, drawn := n.Round(); drawn {
		return ""
	}
	i, seed := n.nextDraw(false)
	return n.drawBasis(m, i, seed)
}

func (n *Networking) planStart(m *Meetup, _ *Activity) any {
	i, seed := n.nextDraw(false)
	return n.draw(m, i, seed)
}

// onStart starts a round when the clock starts: the first one is drawn
// now if the facilitator has not drawn it yet.
func (n *Networking) onStart(c *change, _ *Activity, plan any) error {
	if _, _, drawn := n.Round(); !drawn {
		if err := c.addRound(n, false, plan); err != nil {
			return err
		}
	}
	n.markStarted(c.now)
	return nil
}

func (n *Networking) markStarted(now time.Time) {
	if _, cur, ok := n.Round(); ok && n.Drawn[cur].StartedAt.IsZero() {
		n.Drawn[cur].StartedAt = now
	}
}

// onLeave ends the round in progress when the meetup moves on.
func (n *Networking) onLeave(c *change, _ *Activity) {
	if _, cur, ok := n.Round(); ok && !n.Drawn[cur].StartedAt.IsZero() && n.Drawn[cur].EndedAt.IsZero() {
		n.Drawn[cur].EndedAt = c.now
	}
}

// onJoin puts a late joiner into the smallest group of the round (an
// emptied one first), unless they are a facilitator sitting out.
func (n *Networking) onJoin(c *change, _ *Activity, id PersonID) {
	mem, _ := c.m.Member(id)
	if !n.grouped(c.m, mem) {
		return
	}
	if n.place(id) {
		c.keep()
	}
}

// place puts id into the smallest group of the current round, if they are
// in none.
func (n *Networking) place(id PersonID) bool {
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
// auto-advancing activity, a short pause after time is up, if there is
// anyone to put in groups.
func (n *Networking) alarm(m *Meetup, _ *Activity) (time.Time, bool) {
	if !n.AutoNext() || !m.Timer.Running || len(n.people(m)) == 0 {
		return time.Time{}, false
	}
	return m.Timer.Deadline.Add(AutoPause), true
}

func (n *Networking) wakeBasis(m *Meetup, a *Activity) string {
	if _, ok := n.alarm(m, a); !ok {
		return ""
	}
	i, seed := n.nextDraw(false)
	return n.drawBasis(m, i, seed)
}

func (n *Networking) planWake(m *Meetup, _ *Activity) any {
	i, seed := n.nextDraw(false)
	return n.draw(m, i, seed)
}

// wake draws and starts the next round.
func (n *Networking) wake(c *change, _ *Activity, plan any) {
	if err := c.addRound(n, false, plan); err != nil {
		return
	}
	c.m.Timer = c.m.Timer.start(c.now)
	n.markStarted(c.now)
}
