package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// FuzzStoredRecords puts any bytes where the store keeps a meetup, an
// event, a person and a template (a damaged or hand-edited file), and
// reads them back: each read may fail, but never panics.
func FuzzStoredRecords(f *testing.F) {
	f.Add([]byte(`{"id":"m1","code":"ABCDEF","agenda":[{"kind":"circle"}]}`))
	f.Add([]byte(`{"seq":1,"at":"2026-11-01T10:00:00Z","actor":"a","kind":"create","data":{"title":"x"}}`))
	f.Add([]byte(`{"id":"SHA256:x","name":"Ana"}`))
	f.Add([]byte(`{"name":"T","agenda":[{"kind":"networking","state":{"rounds":-1}}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte{0xff, 0x00, '{'})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(filepath.Join(dir, "fuzz.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		err = s.db.Update(func(tx *bolt.Tx) error {
			_ = tx.Bucket(bucketMeetups).Put([]byte("m1"), data)
			ev, err := tx.Bucket(bucketEvents).CreateBucketIfNotExists([]byte("m1"))
			if err != nil {
				return err
			}
			_ = ev.Put(seqKey(1), data)
			_ = tx.Bucket(bucketPeople).Put([]byte("p1"), data)
			return tx.Bucket(bucketTempl).Put([]byte("t1"), data)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = s.Meetups()
		_, _ = s.Meetup("m1")
		_, _ = s.Events("m1")
		_, _, _ = s.Person("p1")
		_, _ = s.Templates()
		_, _, _ = s.LastAlive()
	})
}
