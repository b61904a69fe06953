package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/convene/convene/session"
)

// TestOpenReadOnly: a reader opens a database nobody holds, several
// readers may share it, and a held database is refused at once.
func TestOpenReadOnly(t *testing.T) {
	if _, err := OpenReadOnly(filepath.Join(t.TempDir(), "convene.db")); !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("OpenReadOnly of nothing = %v; want ErrNoDatabase", err)
	}
	s, path := openTemp(t)
	m := &session.Meetup{ID: "m1", Code: "ABCDEF", Title: "Meetup", CreatedAt: time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)}
	if err := s.Commit(m, []session.Event{{Seq: 1, Kind: "create"}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := OpenReadOnly(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("OpenReadOnly while held = %v; want ErrLocked", err)
	}
	if d := time.Since(start); d > 3*LockTimeout {
		t.Fatalf("refusal took %v", d)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r1, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer r1.Close()
	r2, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	defer r2.Close()
	ms, err := r2.Meetups()
	if err != nil || len(ms) != 1 || ms[0].Title != "Meetup" {
		t.Fatalf("Meetups = %v, %v", ms, err)
	}
	evs, err := r1.Events("m1")
	if err != nil || len(evs) != 1 {
		t.Fatalf("Events = %v, %v", evs, err)
	}
}
