package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
	"github.com/convene/convene/tui/sshtest"
)

// The crash test: a scripted meetup over SSH, the server killed with
// SIGKILL at random moments and started again on the same data. After
// every kill the database must hold every change a client was shown as
// saved, and the meetup must resume in the same activity with its clock
// within a second of where it was.
//
// CONVENE_KILLS sets how many kills (3 by default, 20 or more for the full
// run); CONVENE_KILL_SEED replays a run's random moments.

// crashAction is one person's part of a step: what they do through their
// screen, returning the moment the screen shows it saved; then, what
// they do after it (putting the confirmation away), if anything; and how
// the database shows it done.
type crashAction struct {
	who  int
	what string
	done func(m *session.Meetup) bool
	run  func(ctx context.Context, c *sshtest.Client) error
	then func(ctx context.Context, c *sshtest.Client) error
}

// crashStep is what several people do at once.
type crashStep []crashAction

var codeOnScreen = regexp.MustCompile(`code ([A-Z2-9]{3}-[A-Z2-9]{3})`)

func TestKilledServerLosesNothingShownSaved(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	kills := 3
	if v := os.Getenv("CONVENE_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("CONVENE_KILLS=%q: want a number of kills", v)
		}
		kills = n
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("CONVENE_KILL_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("%d kills, CONVENE_KILL_SEED=%d", kills, seed)
	rng := rand.New(rand.NewPCG(seed, seed))

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "convene.db")
	names := []string{"Fran", "Ana", "Ben", "Cy"}
	signers := make([]gossh.Signer, len(names))
	for i := range signers {
		signers[i] = sshtest.NewSigner(t)
	}
	keys := filepath.Join(t.TempDir(), "facilitators")
	if err := os.WriteFile(keys, gossh.MarshalAuthorizedKey(signers[0].PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	ids := make([]session.PersonID, len(signers))
	for i, s := range signers {
		ids[i] = session.PersonID(gossh.FingerprintSHA256(s.PublicKey()))
	}
	steps := crashScript(ids)

	// saved is every change some client was shown as saved.
	var mu sync.Mutex
	var saved []crashAction
	shown := func(a crashAction) {
		mu.Lock()
		saved = append(saved, a)
		mu.Unlock()
	}

	// The kills land during random steps (after the meetup is created),
	// spread over the script, a random moment into the step.
	boundaries := make([]int, kills)
	for i := range boundaries {
		boundaries[i] = 1 + rng.IntN(len(steps)-1)
	}
	slices.Sort(boundaries)

	var (
		code     string
		last     *session.Meetup // as the database had it after the last kill
		lastKill time.Time
		drifts   []time.Duration
		maxDrift time.Duration
	)
	// check opens the database the dead server left and checks it.
	check := func(when string, at time.Time, killed bool) {
		t.Helper()
		db, err := store.OpenReadOnly(dbPath)
		if err != nil {
			t.Fatalf("%s: open the database: %v", when, err)
		}
		defer db.Close()
		ms, err := db.Meetups()
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: meetups %d, err %v", when, len(ms), err)
		}
		m := ms[0]
		mu.Lock()
		for _, a := range saved {
			if !a.done(m) {
				t.Errorf("%s: %s was shown as saved but is not in the database", when, a.what)
			}
		}
		mu.Unlock()
		// The restart before this check resumed the clock: the countdown
		// it restored against the one at the kill before it.
		if last != nil && last.Timer.Running {
			evs, err := db.Events(m.ID)
			if err != nil {
				t.Fatal(err)
			}
			var resumed *session.Event
			for i := range evs {
				if evs[i].Kind == "resume" && evs[i].At.After(lastKill) {
					resumed = &evs[i]
					break
				}
			}
			if resumed == nil {
				t.Errorf("%s: the countdown was running at the last kill but was not resumed", when)
			} else {
				var d struct {
					Down time.Duration `json:"down"`
				}
				_ = json.Unmarshal(resumed.Data, &d)
				atKill := last.Timer.Remaining(lastKill)
				atRestart := last.Timer.Deadline.Add(d.Down).Sub(resumed.At)
				drift := atRestart - atKill
				drifts = append(drifts, drift)
				maxDrift = max(maxDrift, drift.Abs())
				if drift.Abs() >= time.Second {
					t.Errorf("%s: the countdown showed %v at the kill and %v on restart: %v apart", when, atKill, atRestart, drift)
				}
			}
		}
		if killed {
			last, lastKill = m, at
		}
		code = m.Code
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(60+10*kills)*time.Second)
	defer cancel()
	next := 0 // the first step not yet done
	for epoch := 0; epoch <= kills; epoch++ {
		p := startConvene(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--facilitator-keys", keys)
		addr := p.addr(t, 20*time.Second)
		var clients []*sshtest.Client
		if code == "" {
			f := crashJoin(ctx, t, addr, signers[0], "", names[0])
			must(t, createMeetup(ctx, f))
			code = codeOnScreen.FindStringSubmatch(f.Screen())[1]
			f.Close()
		}
		for i, s := range signers {
			clients = append(clients, crashJoin(ctx, t, addr, s, code, names[i]))
		}
		// Resumed in the same activity.
		if last != nil {
			want := fmt.Sprintf("%d of %d", last.Current+1, len(last.Agenda))
			for _, c := range clients {
				must(t, c.WaitFor(ctx, want))
			}
		}
		// Skip what the database shows done.
		if last != nil {
			for next < len(steps) && stepDone(steps[next], last) {
				next++
			}
		}
		if epoch == kills {
			// No more kills: finish the script, stop cleanly, check.
			for ; next < len(steps); next++ {
				if err := runStep(ctx, steps[next], clients, last, shown); err != nil {
					t.Fatalf("step %d: %v", next, err)
				}
			}
			if status := p.stop(t); status != 0 {
				t.Fatalf("exit status after SIGTERM: %d\n%s", status, p.stderr)
			}
			check("after the clean stop", time.Now(), false)
			break
		}
		boundary := max(boundaries[epoch], next)
		for ; next < boundary && next < len(steps); next++ {
			if err := runStep(ctx, steps[next], clients, last, shown); err != nil {
				t.Fatalf("step %d (before kill %d): %v", next, epoch+1, err)
			}
		}
		delay := time.Duration(rng.IntN(400)) * time.Millisecond
		killed := make(chan time.Time, 1)
		go func() {
			time.Sleep(delay)
			at := time.Now()
			p.kill(t)
			killed <- at
		}()
		if next < len(steps) {
			// Errors are expected: the server dies under the step.
			_ = runStep(ctx, steps[next], clients, last, shown)
		}
		at := <-killed
		for _, c := range clients {
			c.Close()
		}
		check(fmt.Sprintf("kill %d (%v into step %d)", epoch+1, delay, next), at, true)
		if t.Failed() {
			t.FailNow()
		}
	}
	mu.Lock()
	t.Logf("%d kills; %d changes shown as saved, all kept; clock drift after restart: %v (max %v)", kills, len(saved), drifts, maxDrift)
	mu.Unlock()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// crashJoin connects a person, past the name screen.
func crashJoin(ctx context.Context, t *testing.T, addr string, s gossh.Signer, code, name string) *sshtest.Client {
	t.Helper()
	c, err := sshtest.Dial(ctx, addr, sshtest.Options{User: strings.ToLower(name), Signer: s, Command: code})
	must(t, err)
	t.Cleanup(func() { c.Close() })
	must(t, c.WaitUntil(ctx, "name screen or room", func(s string) bool {
		return strings.Contains(s, "call you") || strings.Contains(s, " of 6") || strings.Contains(s, "Meetups on this server")
	}))
	if strings.Contains(c.Screen(), "call you") {
		must(t, c.Press("ctrl+u"))
		must(t, c.Type(name))
		must(t, c.Press("enter"))
		want := " of 6"
		if code == "" {
			want = "Meetups on this server"
		}
		must(t, c.WaitFor(ctx, want))
	}
	return c
}

func createMeetup(ctx context.Context, f *sshtest.Client) error {
	return seq(
		func() error { return f.WaitFor(ctx, "Meetups on this server") },
		func() error { return f.Press("c") },
		func() error { return f.WaitFor(ctx, "Create a meetup") },
		func() error { return f.Type("Crash test") },
		func() error { return f.Press("enter") },
		func() error { return f.WaitFor(ctx, "Classic online meetup") },
		func() error { return f.Press("enter") },
		func() error { return f.WaitFor(ctx, "NOW") },
	)
}

// seq runs fs in order until one fails.
func seq(fs ...func() error) error {
	for _, f := range fs {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func stepDone(s crashStep, m *session.Meetup) bool {
	for _, a := range s {
		if !a.done(m) {
			return false
		}
	}
	return true
}

// runStep runs a step's actions at once, each on its person's screen,
// skipping those the database showed done; an action is recorded as
// shown saved the moment its confirmation is seen, before what follows
// it (a kill may land in between).
func runStep(ctx context.Context, s crashStep, clients []*sshtest.Client, last *session.Meetup, shown func(crashAction)) error {
	errs := make(chan error, len(s))
	for _, a := range s {
		if last != nil && a.done(last) {
			errs <- nil
			continue
		}
		go func() {
			c := clients[a.who]
			err := a.run(ctx, c)
			if err == nil {
				shown(a)
				if a.then != nil {
					err = a.then(ctx, c)
				}
			}
			if err != nil {
				err = fmt.Errorf("%s: %w", a.what, err)
			}
			errs <- err
		}()
	}
	var first error
	for range s {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// The script. Clients: 0 Fran (facilitator), 1 Ana, 2 Ben, 3 Cy. The
// built-in agenda: welcome, networking, topics, circle, open space, close.
func crashScript(ids []session.PersonID) []crashStep {
	at := func(i int) func(m *session.Meetup) bool {
		return func(m *session.Meetup) bool { return m.Current >= i }
	}
	vote := func(m *session.Meetup) *session.Vote {
		v, _ := m.Agenda[2].State.(*session.Vote)
		return v
	}
	circle := func(m *session.Meetup) *session.Circle {
		c, _ := m.Agenda[3].State.(*session.Circle)
		return c
	}
	open := func(m *session.Meetup) *session.OpenSpace {
		o, _ := m.Agenda[4].State.(*session.OpenSpace)
		return o
	}
	press := func(wait string, keys ...string) func(ctx context.Context, c *sshtest.Client) error {
		return func(ctx context.Context, c *sshtest.Client) error {
			if err := c.Press(keys...); err != nil {
				return err
			}
			return c.WaitFor(ctx, wait)
		}
	}
	next := func(to int) crashStep {
		return crashStep{{who: 0, what: fmt.Sprintf("the move to activity %d", to+1), done: at(to),
			run: press(fmt.Sprintf("%d of 6", to+1), "n")}}
	}
	startClock := func(in int) crashStep {
		return crashStep{{who: 0, what: fmt.Sprintf("the clock started in activity %d", in+1),
			done: func(m *session.Meetup) bool { return m.Current > in || m.Current == in && m.Timer.Started },
			run:  press("Timer started.", "space")}}
	}
	var steps []crashStep
	steps = append(steps, next(1), next(2), startClock(2))
	for round := 1; round <= 2; round++ {
		var s crashStep
		for who := 1; who <= 3; who++ {
			text := fmt.Sprintf("Topic %d from person %d", round, who)
			s = append(s, crashAction{who: who, what: fmt.Sprintf("the topic %q", text),
				done: func(m *session.Meetup) bool {
					v := vote(m)
					return v != nil && slices.ContainsFunc(v.Topics, func(tp session.Topic) bool { return tp.Text == text })
				},
				run: func(ctx context.Context, c *sshtest.Client) error {
					return seq(
						func() error { return c.Press("t") },
						func() error { return c.WaitFor(ctx, "New topic") },
						func() error { return c.Type(text) },
						func() error { return c.Press("enter") },
						func() error { return c.WaitFor(ctx, fmt.Sprintf("Added %q", text)) },
					)
				},
				then: func(ctx context.Context, c *sshtest.Client) error { return c.Press("esc") }})
		}
		steps = append(steps, s)
	}
	steps = append(steps, crashStep{{who: 0, what: "the vote opened",
		done: func(m *session.Meetup) bool { v := vote(m); return v != nil && v.Phase != session.PhaseSuggesting },
		run:  press("Voting has started", "v")}})
	var ballots crashStep
	for who := 1; who <= 3; who++ {
		ballots = append(ballots, crashAction{who: who, what: fmt.Sprintf("person %d's ballot", who),
			done: func(m *session.Meetup) bool {
				v := vote(m)
				if v == nil {
					return false
				}
				p, ok := v.Poll()
				return ok && len(p.Ballot(ids[who])) > 0
			},
			run: func(ctx context.Context, c *sshtest.Client) error {
				return seq(
					func() error { return c.WaitFor(ctx, "Voting is open") },
					func() error { return c.Press("right", "enter") },
					func() error { return c.WaitFor(ctx, "Your vote is in") },
				)
			}})
	}
	steps = append(steps, ballots)
	steps = append(steps, crashStep{{who: 0, what: "the vote closed",
		done: func(m *session.Meetup) bool { v := vote(m); return v != nil && v.Phase == session.PhaseClosed },
		run: func(ctx context.Context, c *sshtest.Client) error {
			return seq(
				func() error { return c.Press("c") },
				func() error { return c.WaitFor(ctx, "Press y") },
				func() error { return c.Press("y") },
				func() error { return c.WaitFor(ctx, "Voting closed and counted.") },
			)
		}}})
	steps = append(steps, next(3))
	steps = append(steps, crashStep{{who: 0, what: "the circle's set-up",
		done: func(m *session.Meetup) bool {
			cs := circle(m)
			return cs != nil && len(cs.Groups) > 0 && cs.Groups[0].Sharer == ids[1] && cs.Groups[0].Title == "Damp in flats"
		},
		run: func(ctx context.Context, c *sshtest.Client) error {
			if err := seq(
				func() error { return c.Press("s") },
				func() error { return c.WaitFor(ctx, "Set up the solution circle") },
			); err != nil {
				return err
			}
			for range 6 {
				if strings.Contains(c.Screen(), "◂ Ana ▸") {
					break
				}
				picker := func(s string) string {
					for _, l := range strings.Split(s, "\n") {
						if strings.Contains(l, "◂") {
							return l
						}
					}
					return ""
				}
				before := picker(c.Screen())
				if err := c.Press("right"); err != nil {
					return err
				}
				// The next choice, however long the redraw takes.
				if err := c.WaitUntil(ctx, "the next sharer", func(s string) bool { return picker(s) != before }); err != nil {
					return err
				}
			}
			return seq(
				func() error { return c.WaitFor(ctx, "◂ Ana ▸") },
				func() error { return c.Press("down", "enter") },
				func() error { return c.WaitFor(ctx, "challenge") },
				func() error { return c.Press("ctrl+u") },
				func() error { return c.Type("Damp in flats") },
				func() error { return c.Press("enter", "enter") },
				func() error { return c.WaitFor(ctx, "Set-up saved") },
			)
		}}})
	for phase := 1; phase <= 4; phase++ {
		steps = append(steps, crashStep{{who: 0, what: fmt.Sprintf("the circle's phase %d", phase),
			done: func(m *session.Meetup) bool {
				cs := circle(m)
				return cs != nil && cs.Started() && slices.Index(session.CirclePhases, cs.CurrentPhase()) >= phase-1
			},
			run: press(fmt.Sprintf("Phase %d of 5", phase), ">")}})
	}
	for round := 1; round <= 2; round++ {
		var s crashStep
		for who := 2; who <= 3; who++ { // Ana shares: she listens
			text := fmt.Sprintf("Idea %d from person %d", round, who)
			s = append(s, crashAction{who: who, what: fmt.Sprintf("the idea %q", text),
				done: func(m *session.Meetup) bool {
					cs := circle(m)
					return cs != nil && len(cs.Groups) > 0 && slices.ContainsFunc(cs.Groups[0].Ideas, func(x session.Idea) bool { return x.Text == text })
				},
				run: func(ctx context.Context, c *sshtest.Client) error {
					return seq(
						func() error { return c.WaitFor(ctx, "Phase 4 of 5") },
						func() error { return c.Press("i") },
						func() error { return c.WaitFor(ctx, "Idea") },
						func() error { return c.Type(text) },
						func() error { return c.Press("enter") },
						func() error { return c.WaitFor(ctx, "Idea added.") },
					)
				},
				then: func(ctx context.Context, c *sshtest.Client) error {
					return seq(
						func() error { return c.Press("esc") },
						func() error { return c.WaitGone(ctx, "Idea added.") },
					)
				}})
		}
		steps = append(steps, s)
	}
	steps = append(steps, next(4), startClock(4))
	for round := 1; round <= 2; round++ {
		var s crashStep
		for who := 1; who <= 3; who++ {
			text := fmt.Sprintf("Item %d from person %d", round, who)
			s = append(s, crashAction{who: who, what: fmt.Sprintf("the open-space item %q", text),
				done: func(m *session.Meetup) bool {
					o := open(m)
					return o != nil && slices.ContainsFunc(o.Items, func(it session.OpenItem) bool { return it.Text == text })
				},
				run: func(ctx context.Context, c *sshtest.Client) error {
					return seq(
						func() error { return c.Press("i") },
						func() error { return c.WaitFor(ctx, "Your item") },
						func() error { return c.Type(text) },
						func() error { return c.Press("enter") },
						func() error { return c.WaitFor(ctx, "Detail") },
						func() error { return c.Press("enter") },
						func() error { return c.WaitFor(ctx, fmt.Sprintf("Posted %q", text)) },
					)
				}})
		}
		steps = append(steps, s)
	}
	steps = append(steps, next(5))
	return steps
}

// TestRunStepRecordsAtTheConfirmation: an action counts as shown saved
// once its confirmation is seen, even when what follows it fails (the
// server killed while the confirmation is put away); one that fails
// before its confirmation does not.
func TestRunStepRecordsAtTheConfirmation(t *testing.T) {
	killed := fmt.Errorf("connection lost")
	ok := func(context.Context, *sshtest.Client) error { return nil }
	fail := func(context.Context, *sshtest.Client) error { return killed }
	never := func(*session.Meetup) bool { return false }
	step := crashStep{
		{who: 0, what: "confirmed, then lost", done: never, run: ok, then: fail},
		{who: 0, what: "lost before it showed", done: never, run: fail, then: ok},
		{who: 0, what: "confirmed", done: never, run: ok},
	}
	var mu sync.Mutex
	var got []string
	err := runStep(context.Background(), step, []*sshtest.Client{nil}, nil, func(a crashAction) {
		mu.Lock()
		got = append(got, a.what)
		mu.Unlock()
	})
	slices.Sort(got)
	if want := []string{"confirmed", "confirmed, then lost"}; !slices.Equal(got, want) || err == nil {
		t.Fatalf("recorded as shown saved %q, err %v; want %q and the error", got, err, want)
	}
}
