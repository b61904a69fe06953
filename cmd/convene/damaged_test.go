package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/convene/convene/session"
	"github.com/convene/convene/store"
	bolt "go.etcd.io/bbolt"
)

// TestServeRefusesDamagedDatabase: convene serve on a truncated, corrupt or
// newer-schema database says so in words, exits with status 1 (a process
// of its own: no panic, no SIGBUS), and leaves the file byte for byte as it
// was. A 0-byte file starts fresh and says so.
func TestServeRefusesDamagedDatabase(t *testing.T) {
	// A good database with some meetups, to damage.
	good := filepath.Join(t.TempDir(), "good.db")
	s, err := store.Open(good)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		m := &session.Meetup{ID: fmt.Sprintf("m%d", i), Code: "ABCDEF", Title: "Kept", Agenda: session.DefaultAgenda()}
		if err := s.Commit(m, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	junk := bytes.Repeat([]byte("not a database "), 4096)
	// A newer schema: a copy whose schema version says 99, written the way
	// bbolt writes it (rewriting bytes in place could hit a stale page).
	newerPath := filepath.Join(t.TempDir(), "newer.db")
	if err := os.WriteFile(newerPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(newerPath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	newer, err := os.ReadFile(newerPath)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		says string
	}{
		{"truncated by half", data[:used(t, data)/2], "damaged"},
		{"one byte short", data[:used(t, data)-1], "damaged"},
		{"inside the first page", data[:100], "damaged"},
		{"junk", junk, "damaged"},
	}
	cases = append(cases, struct {
		name string
		data []byte
		says string
	}{"newer schema", newer, "newer"})
	keys := writeKeys(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "convene.db")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			p := startConvene(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--facilitator-keys", keys)
			status := p.wait(t, 20*time.Second)
			errText := p.stderr.String()
			if status != 1 {
				t.Errorf("exit status %d; want 1\nstderr:\n%s", status, errText)
			}
			if !strings.Contains(errText, tc.says) {
				t.Errorf("stderr does not say %q:\n%s", tc.says, errText)
			}
			if strings.Contains(errText, "panic") || strings.Contains(errText, "goroutine ") {
				t.Errorf("convene panicked:\n%s", errText)
			}
			if strings.Contains(p.stdout.String(), "is running") {
				t.Errorf("convene served on a damaged database:\n%s", p.stdout)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, tc.data) {
				t.Errorf("the file was changed: %d bytes, was %d", len(after), len(tc.data))
			}
		})
	}

	t.Run("empty", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "convene.db"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		p := startConvene(t, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--facilitator-keys", keys)
		p.addr(t, 20*time.Second)
		if status := p.stop(t); status != 0 {
			t.Errorf("exit status after SIGTERM %d; want 0\nstderr:\n%s", status, p.stderr)
		}
		if !strings.Contains(p.stderr.String(), "was empty") {
			t.Errorf("starting on a 0-byte file does not say so:\n%s", p.stderr)
		}
	})
}

// used is how much of a bbolt file its meta pages say is in use: what
// the file must hold.
func used(t *testing.T, data []byte) int {
	t.Helper()
	const metaAt = 16 // page header
	meta := func(off int) (pageSize, pgid uint64) {
		m := data[off+metaAt:]
		return uint64(binary.NativeEndian.Uint32(m[8:])), binary.NativeEndian.Uint64(m[40:])
	}
	ps, p0 := meta(0)
	_, p1 := meta(int(ps))
	n := int(max(p0, p1) * ps)
	if n < 3*int(ps) || n > len(data) {
		t.Fatalf("cannot read the meta pages of a good database: %d bytes in use of %d", n, len(data))
	}
	return n
}
