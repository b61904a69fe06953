package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/session/clocktest"
	bolt "go.etcd.io/bbolt"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "convene.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestCommitAndReopen(t *testing.T) {
	s, path := openTemp(t)
	now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	m := &session.Meetup{
		ID: "m1", Code: "ABCDEF", Title: "Meetup", CreatedAt: now,
		Agenda:  session.DefaultAgenda(),
		Current: 1,
		Timer:   session.Timer{Running: true, Deadline: now.Add(9 * time.Minute), Started: true},
		Members: []session.Member{{ID: "SHA256:a", Name: "Ana", Role: session.RoleParticipant, Present: true}},
		Seq:     2,
	}
	evs := []session.Event{{Seq: 1, At: now, Actor: "SHA256:h", Kind: "create"}, {Seq: 2, At: now, Actor: "SHA256:h", Kind: "next", Data: []byte(`{}`)}}
	if err := s.Commit(m, evs); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	// Committing the same events again (a retried batch) is harmless.
	if err := s.Commit(m, evs[1:]); err != nil {
		t.Fatalf("Commit again: %v", err)
	}
	if err := s.SavePerson(session.Person{ID: "SHA256:a", Name: "Ana"}); err != nil {
		t.Fatalf("SavePerson: %v", err)
	}
	s.Close()

	s2, err := Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	ms, err := s2.Meetups()
	if err != nil || len(ms) != 1 {
		t.Fatalf("Meetups after reopen = %d, %v; want 1", len(ms), err)
	}
	got := ms[0]
	if got.Current != 1 || !got.Timer.Deadline.Equal(m.Timer.Deadline) || got.Members[0].Name != "Ana" {
		t.Fatalf("reopened meetup = %+v", got)
	}
	if got.Members[0].Present {
		t.Fatalf("presence was stored; it must not survive a restart")
	}
	log, err := s2.Events("m1")
	if err != nil || len(log) != 2 || log[1].Kind != "next" {
		t.Fatalf("Events = %+v, %v; want create, next", log, err)
	}
	p, ok, err := s2.Person("SHA256:a")
	if err != nil || !ok || p.Name != "Ana" {
		t.Fatalf("Person = %+v, %v, %v", p, ok, err)
	}
	if _, ok, _ := s2.Person("SHA256:nobody"); ok {
		t.Fatalf("Person of a stranger found")
	}
	if _, err := s2.Meetup("nope"); err == nil {
		t.Fatalf("Meetup(nope) found")
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	_, path := openTemp(t)
	start := time.Now()
	_, err := Open(path)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v; want ErrLocked", err)
	}
	if time.Since(start) > 10*LockTimeout {
		t.Fatalf("second Open took %v", time.Since(start))
	}
}

func TestCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "convene.db")
	junk := make([]byte, 64*1024)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of junk = %v; want ErrCorrupt", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := openTemp(t)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); !errors.Is(err, ErrSchema) {
		t.Fatalf("Open of schema 99 = %v; want ErrSchema", err)
	}
}

// TestHubOnStore runs the domain on the real store across a restart.
func TestHubOnStore(t *testing.T) {
	s, path := openTemp(t)
	clock := clocktest.New(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC))
	fac := func(id session.PersonID) bool { return id == "SHA256:h" }
	hub, err := session.NewHub(session.HubConfig{Store: s, Clock: clock, Facilitator: fac})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	r, err := hub.Create(ctx, "SHA256:h", "Restart test", "")
	if err != nil {
		t.Fatal(err)
	}
	for id, name := range map[session.PersonID]string{"SHA256:h": "Host", "SHA256:a": "Ana"} {
		if _, err := r.Enter(ctx, id, name); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []session.Command{
		session.Next{}, session.StartTimer{},
		session.AddActivity{At: 9, Of: session.KindBreak, Title: "Tea"},
	} {
		if err := r.Do(ctx, "SHA256:h", c); err != nil {
			t.Fatal(err)
		}
	}
	code := r.State().Code
	if _, err := hub.SaveTemplate("SHA256:h", r, "Monthly officers"); err != nil {
		t.Fatal(err)
	}
	hub.Close()
	s.Close()

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	hub2, err := session.NewHub(session.HubConfig{Store: s2, Clock: clock, Facilitator: fac})
	if err != nil {
		t.Fatal(err)
	}
	defer hub2.Close()
	r2, err := hub2.Find(code)
	if err != nil {
		t.Fatal(err)
	}
	if st := r2.State(); st.Current != 1 || !st.Timer.Running {
		t.Fatalf("after restart: current %d, timer %+v", st.Current, st.Timer)
	}
	// The saved template is there after the restart and makes a meetup
	// with the same plan and nothing that happened in the first.
	tpls, err := hub2.Templates()
	if err != nil || len(tpls) != 2 || tpls[1].Name != "Monthly officers" {
		t.Fatalf("templates after restart = %+v, %v", tpls, err)
	}
	r3, err := hub2.Create(ctx, "SHA256:h", "December", "monthly OFFICERS")
	if err != nil {
		t.Fatal(err)
	}
	m := r3.State()
	if m.Template != "Monthly officers" || len(m.Agenda) != 7 || m.Agenda[6].Title != "Tea" {
		t.Fatalf("meetup from the template: template %q, agenda %+v", m.Template, m.Agenda)
	}
	if n := m.Agenda[1].State.(*session.Networking); len(n.Drawn) != 0 || n.Seed == 0 {
		t.Fatalf("the template's networking kept rounds (%d) or has no seed", len(n.Drawn))
	}
}

// TestDamagedFilesLeftAsTheyWere opens a truncated file, a file of junk and
// one written by a newer convene: each fails with its error, without a
// panic, and the file is left byte for byte as it was, for the operator
// to restore or send to whoever can repair it.
func TestDamagedFilesLeftAsTheyWere(t *testing.T) {
	dir := t.TempDir()
	// A real database with a meetup in it, to truncate.
	s, full := openTemp(t)
	for i := range 50 {
		m := &session.Meetup{ID: fmt.Sprintf("m%d", i), Code: "ABC-DEF", Title: "Kept", Agenda: session.DefaultAgenda()}
		if err := s.Commit(m, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	good, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(full)
	if err != nil {
		t.Fatal(err)
	}
	m0, ok0 := readMeta(f, 0)
	m1, ok1 := readMeta(f, int64(m0.pageSize))
	f.Close()
	if !ok0 || !ok1 {
		t.Fatalf("cannot read the meta pages of a good database")
	}
	used := int(max(m0.pgid, m1.pgid)) * int(m0.pageSize) // what the file must hold
	newer, _ := openTemp(t)
	if err := newer.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	newerPath := newer.db.Path()
	newer.Close()
	newerBytes, err := os.ReadFile(newerPath)
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 64*1024)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"truncated to half", good[:used/2], ErrCorrupt},
		{"one byte short", good[:used-1], ErrCorrupt},
		{"truncated inside the first page", good[:100], ErrCorrupt},
		{"truncated after the meta pages", good[:2*int(m0.pageSize)+10], ErrCorrupt},
		{"junk", junk, ErrCorrupt},
		{"newer schema", newerBytes, ErrSchema},
	} {
		path := filepath.Join(dir, tc.name+".db")
		if err := os.WriteFile(path, tc.data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path)
		if err == nil {
			// Some damage only shows when the data is read.
			_, err = s.Meetups()
			s.Close()
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
		}
		after, _ := os.ReadFile(path)
		if string(after) != string(tc.data) {
			t.Errorf("%s: the file was changed (%d bytes, was %d)", tc.name, len(after), len(tc.data))
		}
	}
}

// TestEmptyFileStartsFresh: a 0-byte file is what a crash while the
// database was first created leaves; it becomes a fresh database, and
// Open says so.
func TestEmptyFileStartsFresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "convene.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0-byte file: %v", err)
	}
	if !s.WasEmpty {
		t.Errorf("Open of a 0-byte file does not say it started fresh")
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.WasEmpty {
		t.Errorf("the second Open says the file was empty")
	}
}
