package main

import (
	"fmt"
	"path/filepath"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
)

// The baseline: the smallest Wish + Bubble Tea program that shows a shared
// state on every screen, a counter. '+' on any screen counts one up and
// every screen shows it. It is what convene is measured against in the
// same run, so that figures are ratios that hold on a noisy machine. It
// broadcasts the way SSH-NOTES recommends (a mailbox of one per program,
// the counter never waits), with Bubble Tea's defaults (60 FPS).

type counter struct {
	mu    sync.Mutex
	n     int
	boxes map[chan int]struct{}
}

func (c *counter) add() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	for b := range c.boxes {
		select {
		case <-b: // drop the older value
		default:
		}
		b <- c.n
	}
}

func (c *counter) watch() (chan int, int, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := make(chan int, 1)
	c.boxes[b] = struct{}{}
	return b, c.n, func() {
		c.mu.Lock()
		delete(c.boxes, b)
		c.mu.Unlock()
	}
}

type countModel struct {
	c    *counter
	box  chan int
	done <-chan struct{}
	n    int
}

type countMsg int

func (m countModel) wait() tea.Cmd {
	box, done := m.box, m.done
	return func() tea.Msg {
		select {
		case n := <-box:
			return countMsg(n)
		case <-done:
			return nil
		}
	}
}

func (m countModel) Init() tea.Cmd { return m.wait() }

func (m countModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case countMsg:
		m.n = int(msg)
		return m, m.wait()
	case tea.KeyPressMsg:
		switch msg.String() {
		case "+":
			m.c.add()
		case "q", "ctrl+c":
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m countModel) View() tea.View {
	v := tea.NewView(fmt.Sprintf("A shared counter\n\ncount %d\n\n+ counts up, q leaves", m.n))
	v.AltScreen = true
	return v
}

func newBaseline(data string) (*ssh.Server, error) {
	c := &counter{boxes: map[chan int]struct{}{}}
	return wish.NewServer(
		wish.WithHostKeyPath(filepath.Join(data, "host_ed25519")),
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		wish.WithMiddleware(bm.Middleware(func(sess ssh.Session) (tea.Model, []tea.ProgramOption) {
			box, n, stop := c.watch()
			done := make(chan struct{})
			go func() {
				<-sess.Context().Done()
				stop()
				close(done)
			}()
			return countModel{c: c, box: box, done: done, n: n}, []tea.ProgramOption{tea.WithoutSignalHandler()}
		})),
	)
}
