// Package store keeps convene's meetups, people and every accepted change
// in one bbolt file. It implements session.Store.
//
// Layout (all bucket names and well-known keys are declared here):
//
//	meta     schema -> decimal schema version
//	         alive  -> RFC 3339 time the server was last known running
//	meetups  meetup id -> JSON of the meetup's latest state
//	events   meetup id -> bucket: big-endian seq -> JSON of one event
//	people   person id -> JSON of the person
//	templates lower-cased template name -> JSON of the agenda template
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/convene/convene/session"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 1

var (
	bucketMeta    = []byte("meta")
	bucketMeetups = []byte("meetups")
	bucketEvents  = []byte("events")
	bucketPeople  = []byte("people")
	bucketTempl   = []byte("templates")
	keySchema     = []byte("schema")
	keyAlive      = []byte("alive")
)

// Errors from Open, checked with errors.Is.
var (
	ErrLocked  = errors.New("the database is in use by another process (is another convene running on this data folder?)")
	ErrCorrupt = errors.New("the database file is damaged or not a convene database")
	ErrSchema  = errors.New("the database was written by a newer convene")
	ErrClosed  = errors.New("the database is closed")
)

// LockTimeout is how long Open waits for another process to let go of the file.
const LockTimeout = time.Second

// Store is an open convene database.
type Store struct {
	db *bolt.DB
	// WasEmpty is true when Open found a file of 0 bytes (a crash while
	// the database was first created) and started a fresh database in it.
	WasEmpty bool
}

// Open opens or creates the database at path. A file held by another
// process, a damaged file or an unknown schema fail at once with a clear
// error instead of hanging or panicking.
func Open(path string) (s *Store, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	defer func() {
		// bbolt panics on some kinds of damage; a damaged file must be an
		// error the operator can act on, not a crash.
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("open %s: %w (%v)", path, ErrCorrupt, r)
		}
	}()
	if err := checkLength(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	fi, statErr := os.Stat(path)
	wasEmpty := statErr == nil && fi.Mode().IsRegular() && fi.Size() == 0
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, fmt.Errorf("open %s: %w (%v)", path, ErrCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := initialize(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{db: db, WasEmpty: wasEmpty}, nil
}

// initialize creates the buckets and checks the schema version in one
// write transaction.
func initialize(db *bolt.DB) error {
	return db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketMeetups, bucketEvents, bucketPeople, bucketTempl} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("%w: bucket %s: %v", ErrCorrupt, name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		v := meta.Get(keySchema)
		if v == nil {
			return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
		}
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return fmt.Errorf("%w: schema version %q", ErrCorrupt, v)
		}
		if n > SchemaVersion {
			return fmt.Errorf("%w: schema version %d, this convene understands up to %d", ErrSchema, n, SchemaVersion)
		}
		return nil
	})
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// Commit writes the meetup's state and its new events in one transaction.
// Writing the same events again is harmless: they are keyed by sequence.
func (s *Store) Commit(m *session.Meetup, events []session.Event) error {
	snap, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode meetup %s: %w", m.ID, err)
	}
	encoded := make([][]byte, len(events))
	for i, ev := range events {
		if encoded[i], err = json.Marshal(ev); err != nil {
			return fmt.Errorf("encode event %d of %s: %w", ev.Seq, m.ID, err)
		}
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeetups).Put([]byte(m.ID), snap); err != nil {
			return err
		}
		log, err := tx.Bucket(bucketEvents).CreateBucketIfNotExists([]byte(m.ID))
		if err != nil {
			return err
		}
		for i, ev := range events {
			if err := log.Put(seqKey(ev.Seq), encoded[i]); err != nil {
				return err
			}
		}
		// The server was alive when its latest event happened: with the
		// change that started a countdown, so a crash before the next
		// heartbeat still knows how long it was down.
		if len(events) > 0 {
			return markAlive(tx, events[len(events)-1].At)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save meetup %s: %w", m.ID, err)
	}
	return nil
}

// Meetups returns the saved state of every meetup.
func (s *Store) Meetups() (out []*session.Meetup, err error) {
	defer recoverCorrupt(&err)
	err = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeetups).ForEach(func(k, v []byte) error {
			m := new(session.Meetup)
			if err := json.Unmarshal(v, m); err != nil {
				return fmt.Errorf("%w: meetup %s: %v", ErrCorrupt, k, err)
			}
			out = append(out, m)
			return nil
		})
	})
	return out, err
}

// Meetup returns one meetup's saved state.
func (s *Store) Meetup(id string) (m *session.Meetup, err error) {
	defer recoverCorrupt(&err)
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeetups).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("meetup %s: %w", id, session.ErrUnknownCode)
		}
		m = new(session.Meetup)
		return json.Unmarshal(v, m)
	})
	return m, err
}

// Events returns a meetup's log in order.
func (s *Store) Events(id string) (out []session.Event, err error) {
	defer recoverCorrupt(&err)
	err = s.db.View(func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketEvents).Bucket([]byte(id))
		if log == nil {
			return nil
		}
		return log.ForEach(func(_, v []byte) error {
			var ev session.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("%w: event of %s: %v", ErrCorrupt, id, err)
			}
			out = append(out, ev)
			return nil
		})
	})
	return out, err
}

// Person returns a remembered person.
func (s *Store) Person(id session.PersonID) (p session.Person, ok bool, err error) {
	defer recoverCorrupt(&err)
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPeople).Get([]byte(id))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &p)
	})
	return p, ok, err
}

// SavePerson remembers a person.
func (s *Store) SavePerson(p session.Person) error {
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPeople).Put([]byte(p.ID), v)
	})
}

// templateKey is a template's key: names differ by more than case.
func templateKey(name string) []byte { return []byte(strings.ToLower(name)) }

// Templates returns every saved agenda template.
func (s *Store) Templates() (out []session.Template, err error) {
	defer recoverCorrupt(&err)
	err = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTempl).ForEach(func(k, v []byte) error {
			var t session.Template
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("%w: template %q: %v", ErrCorrupt, k, err)
			}
			out = append(out, t)
			return nil
		})
	})
	return out, err
}

// SaveTemplate adds a template or replaces the one of the same name.
func (s *Store) SaveTemplate(t session.Template) error {
	v, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode template %q: %w", t.Name, err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTempl).Put(templateKey(t.Name), v)
	})
}

// DeleteTemplate removes the named template; removing one that is not
// there is not an error.
func (s *Store) DeleteTemplate(name string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTempl).Delete(templateKey(name))
	})
}

// MarkAlive records that the server was running at t.
func (s *Store) MarkAlive(t time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error { return markAlive(tx, t) })
}

// markAlive records t as the last moment the server was alive, unless a
// later one is recorded already.
func markAlive(tx *bolt.Tx, t time.Time) error {
	b := tx.Bucket(bucketMeta)
	var last time.Time
	if v := b.Get(keyAlive); v != nil && last.UnmarshalText(v) == nil && last.After(t) {
		return nil
	}
	v, err := t.UTC().MarshalText()
	if err != nil {
		return err
	}
	return b.Put(keyAlive, v)
}

// LastAlive returns the time last recorded by MarkAlive.
func (s *Store) LastAlive() (t time.Time, ok bool, err error) {
	defer recoverCorrupt(&err)
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyAlive)
		if v == nil {
			return nil
		}
		ok = true
		return t.UnmarshalText(v)
	})
	return t, ok, err
}

func recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w (%v)", ErrCorrupt, r)
	}
}

// ErrNoDatabase is returned by OpenReadOnly when there is no database yet.
var ErrNoDatabase = errors.New("there is no convene database here yet")

// OpenReadOnly opens an existing database for reading only, for tools
// that read past meetups. It fails with ErrLocked at once (within
// LockTimeout) while a server holds the database: bbolt lets one process
// write, or several read.
func OpenReadOnly(path string) (s *Store, err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open %s: %w", path, ErrNoDatabase)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("open %s: %w (%v)", path, ErrCorrupt, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: true})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, fmt.Errorf("open %s: %w (%v)", path, ErrCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketMeetups, bucketEvents, bucketPeople, bucketTempl} {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("%w: no bucket %s", ErrCorrupt, name)
			}
		}
		v := tx.Bucket(bucketMeta).Get(keySchema)
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return fmt.Errorf("%w: schema version %q", ErrCorrupt, v)
		}
		if n > SchemaVersion {
			return fmt.Errorf("%w: schema version %d, this convene understands up to %d", ErrSchema, n, SchemaVersion)
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}
