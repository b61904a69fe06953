package tui_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
	"github.com/convene/convene/tui"
)

// relOpts sets up a server for the reliability tests.
type relOpts struct {
	facilitators []gossh.Signer
	agenda       func() []session.Activity
	keepAlive    time.Duration
	newConns     int  // new sessions per address at once (0: the default)
	quiet        bool // no server log (thousands of connections)
	// logTo, when set, also gets the server's log.
	logTo io.Writer
}

// relServer is a whole convene server in this process, on a loopback
// port, whose store can be made to fail like a full or read-only disk.
type relServer struct {
	addr  string
	hub   *session.Hub
	db    *store.Store
	disk  *faultyStore
	srv   *tui.Server
	code  string
	room  *session.Room
	stopd chan error
}

func relServe(t *testing.T, o relOpts) *relServer {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "convene.db"))
	if err != nil {
		t.Fatal(err)
	}
	facs := map[session.PersonID]bool{}
	for _, f := range o.facilitators {
		facs[idOf(f)] = true
	}
	disk := &faultyStore{Store: db}
	hub, err := session.NewHub(session.HubConfig{
		Store:       disk,
		Facilitator: func(id session.PersonID) bool { return facs[id] },
		Agenda:      o.agenda,
	})
	if err != nil {
		t.Fatal(err)
	}
	var logTo io.Writer = io.Discard
	if !o.quiet {
		logTo = untilCleanup(t)
	}
	if o.logTo != nil {
		logTo = io.MultiWriter(logTo, o.logTo)
	}
	srv, err := tui.New(tui.Config{HostKeyPath: filepath.Join(dir, "host_ed25519"), Hub: hub, Logger: log.New(logTo), KeepAlive: o.keepAlive, NewConnsPerAddress: o.newConns})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rs := &relServer{addr: ln.Addr().String(), hub: hub, db: db, disk: disk, srv: srv, stopd: make(chan error, 1)}
	go func() { rs.stopd <- srv.Serve(ln) }()
	t.Cleanup(func() {
		hub.Shutdown()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-rs.stopd
		hub.Close()
		_ = db.Close()
	})
	if len(o.facilitators) > 0 {
		r, err := hub.Create(context.Background(), idOf(o.facilitators[0]), "Reliability night", "")
		if err != nil {
			t.Fatal(err)
		}
		rs.room, rs.code = r, r.State().Code
	}
	return rs
}

// errDiskFull is what a full disk answers a write.
var errDiskFull = fmt.Errorf("write convene.db: %w", syscall.ENOSPC)

// faultyStore is the store on a disk that can fill up (or turn
// read-only): while full, every write fails as bbolt's would, and reads
// go on.
type faultyStore struct {
	*store.Store
	full   atomic.Bool
	failed atomic.Int64
}

func (s *faultyStore) fail() error {
	if s.full.Load() {
		s.failed.Add(1)
		return errDiskFull
	}
	return nil
}

func (s *faultyStore) Commit(m *session.Meetup, evs []session.Event) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.Commit(m, evs)
}

func (s *faultyStore) SavePerson(p session.Person) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.SavePerson(p)
}

func (s *faultyStore) SaveTemplate(tp session.Template) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.SaveTemplate(tp)
}

func (s *faultyStore) DeleteTemplate(name string) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.DeleteTemplate(name)
}

func (s *faultyStore) MarkAlive(at time.Time) error {
	if err := s.fail(); err != nil {
		return err
	}
	return s.Store.MarkAlive(at)
}

// longCtx is waitCtx for a test of many steps: every wait in it shares
// this deadline.
func longCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
