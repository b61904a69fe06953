package session

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// seedMeetup is a meetup with something in every part, for fuzz seeds.
func seedMeetup() *Meetup {
	m := &Meetup{ID: "m1", Code: "ABC-DEF", Title: "Housing officers", CreatedBy: host, CreatedAt: t0,
		Agenda: DefaultAgenda(), Current: 1, Timer: Timer{Left: 5 * time.Minute},
		Members: []Member{{ID: host, Name: "Host", Role: RoleFacilitator, JoinedAt: t0},
			{ID: ana, Name: "Ana", Role: RoleNoteTaker, JoinedAt: t0}},
		Actions:    []Action{{ID: 1, Text: "Write to the council", Owner: ana, OwnerName: "Ana", By: host, At: t0, Status: ActionOpen}},
		NextAction: 1, Version: 7, Seq: 5}
	for i := range m.Agenda {
		m.Agenda[i].Ran = i <= 1
	}
	return m
}

// FuzzMeetupJSON decodes any bytes as a stored meetup, as the store does
// when it reads a meetup back (a damaged or hand-edited file). Decoding
// may fail, but never panic; and a meetup that decodes can be shown,
// summed up and saved again, and reads back the same.
func FuzzMeetupJSON(f *testing.F) {
	seed, err := json.Marshal(seedMeetup())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"agenda":[{"kind":"networking","state":{"rounds":[{"groups":[["x"]]}]}}],"current":5}`))
	f.Add([]byte(`{"agenda":[{"kind":"topics","state":{"phase":"closed","polls":[{}]}}],"current":0,"members":[{"id":"a"}]}`))
	f.Add([]byte(`{"agenda":[{"kind":"nope"}]}`))
	// A solution circle under way, and open space, with every part filled
	// and some of it inconsistent (a turn past the order, a floor nobody
	// has, votes twice, an unknown phase).
	f.Add([]byte(`{"agenda":[{"kind":"circle","state":{"phase":"discussion","times":{"challenge":1},"groups":[{"ref":"c1","sharer":"a","title":"T",` +
		`"members":["a","b","c"],"order":["b","c"],"turn":7,"started":true,"turn_start":"2026-11-01T10:00:00Z","turn_len":-5,"skipped":["c"],"passed":["x"],` +
		`"questions":[{"id":"q1","by":"b","text":"?","answer":"!"}],"ideas":[{"id":"i1","by":"b","text":"x","phase":"ideas","useful":true},{"id":"i1","by":"zz","text":"","phase":"nope"}],` +
		`"hands":["b","b","a"],"floor":"q","heard":"h","first_step":"s","due":"2026-12-01T00:00:00Z"},{"sharer":"","members":[]}]}},` +
		`{"kind":"openspace","state":{"items":[{"id":"o1","text":"x","author":"a","votes":["b","b"],"posted":1,"notes":[{"text":"n"}]},{"id":"o1","posted":-1}],"by_votes":true,"floor":"o9"}}],` +
		`"current":0,"timer":{"running":true,"deadline":"2026-11-01T10:05:00Z"},"members":[{"id":"a"},{"id":"b","role":"note-taker"}],` +
		`"actions":[{"id":1,"ref":"i1","owner":"q"}]}`))
	f.Add([]byte(`{"agenda":[{"kind":"circle","state":{"phase":"ideas","groups":[{"order":[],"turn":-1,"started":true}]}},{"kind":"openspace","state":null}],"current":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Meetup
		if err := json.Unmarshal(data, &m); err != nil {
			return
		}
		c := m.clone()
		_ = c.Activity()
		_ = c.Stage()
		_, _ = c.alarm()
		_ = c.Outcomes()
		_ = c.ActionSources()
		for _, who := range append([]PersonID{"", "stranger"}, memberIDs(c)...) {
			_ = ViewAs(c, who)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a meetup that decoded does not encode: %v", err)
		}
		var again Meetup
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("a meetup saved again does not read back: %v\n%s", err, out)
		}
		out2, err := json.Marshal(&again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("a meetup does not read back the same:\n%s\n%s", out, out2)
		}
	})
}

func memberIDs(m *Meetup) []PersonID {
	var ids []PersonID
	for _, x := range m.Members {
		ids = append(ids, x.ID)
	}
	return ids
}

// FuzzTemplateJSON decodes any bytes as a saved template and makes a
// meetup's agenda from it, as Create does.
func FuzzTemplateJSON(f *testing.F) {
	seed, err := json.Marshal(Template{Name: "Monthly", Agenda: DefaultAgenda(), SavedBy: host, SavedAt: t0})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"name":"x","agenda":[{"kind":"networking","duration":-5,"state":{"rounds":-1}}]}`))
	f.Add([]byte(`{"name":"x","agenda":[{"kind":"topics","state":{"method":"borda","dots":-3}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tp Template
		if err := json.Unmarshal(data, &tp); err != nil {
			return
		}
		agenda := tp.agenda()
		m := &Meetup{Agenda: agenda, Members: []Member{{ID: host, Name: "Host", Role: RoleFacilitator}}}
		for i := range agenda {
			m.Current = i
			_ = agenda[i].Planned()
			_ = agenda[i].Keeps()
			_ = m.Stage()
			_ = m.Outcomes()
			_ = ViewAs(m, host)
		}
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("a meetup made from a template does not encode: %v", err)
		}
	})
}
