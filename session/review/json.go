package review

import (
	"encoding/json"
	"time"

	"github.com/convene/convene/session"
)

// JSONFormat names the layout of a JSON export; it changes when a field
// changes meaning.
const JSONFormat = "convene-meetup/1"

// Ballots says what a JSON export holds of the votes.
const Ballots = "ballots are secret and not exported: each poll keeps its result (totals, rounds, number of ballots); the log records that someone voted, never how"

// Export is everything kept about one meetup: its whole state as stored
// (less the ballots, see Ballots), what it came to, and its log of every
// accepted change.
type Export struct {
	Format   string          `json:"format"`
	Ballots  string          `json:"ballots"`
	Meetup   *session.Meetup `json:"meetup"`
	Outcomes Outcomes        `json:"outcomes"`
	Events   []session.Event `json:"events"`
}

// Outcomes is session.Outcomes as a JSON export writes it.
type Outcomes struct {
	People    int                `json:"people"`
	Rounds    int                `json:"rounds"`
	Topics    int                `json:"topics"`
	Chosen    string             `json:"chosen,omitempty"`
	Sharers   []session.PersonID `json:"sharers,omitempty"`
	Circles   []Circle           `json:"circles"`
	OpenItems []OpenItem         `json:"open_items"`
}

// Circle is session.CircleOutcome in a JSON export.
type Circle struct {
	Title        string    `json:"title"`
	Sharer       string    `json:"sharer,omitempty"`
	SharerName   string    `json:"sharer_name,omitempty"`
	Members      int       `json:"members"`
	Ideas        int       `json:"ideas"`
	Useful       []Idea    `json:"useful"`
	Heard        string    `json:"heard,omitempty"`
	FirstStep    string    `json:"first_step,omitempty"`
	FirstStepDue time.Time `json:"first_step_due,omitzero"`
}

// Idea is session.IdeaOutcome in a JSON export.
type Idea struct {
	Text string `json:"text"`
	By   string `json:"by,omitempty"`
}

// OpenItem is session.OpenItemOutcome in a JSON export.
type OpenItem struct {
	Text      string   `json:"text"`
	Detail    string   `json:"detail,omitempty"`
	Author    string   `json:"author,omitempty"`
	Votes     int      `json:"votes"`
	Notes     []string `json:"notes,omitempty"`
	Discussed bool     `json:"discussed"`
}

// NewExport gathers a meetup, its outcomes and its log for a JSON export.
func NewExport(m *session.Meetup, o session.Outcomes, events []session.Event) Export {
	x := Export{Format: JSONFormat, Ballots: Ballots, Meetup: m, Events: events,
		Outcomes: Outcomes{People: o.People, Rounds: o.Rounds, Topics: o.Topics, Chosen: o.Chosen, Sharers: o.Sharers,
			Circles: []Circle{}, OpenItems: []OpenItem{}}}
	if x.Events == nil {
		x.Events = []session.Event{}
	}
	for _, c := range o.Circles {
		out := Circle{Title: c.Title, Sharer: string(c.Sharer), SharerName: c.SharerName, Members: c.Members, Ideas: c.Ideas,
			Useful: []Idea{}, Heard: c.Heard, FirstStep: c.FirstStep, FirstStepDue: c.FirstStepDue}
		for _, i := range c.Useful {
			out.Useful = append(out.Useful, Idea(i))
		}
		x.Outcomes.Circles = append(x.Outcomes.Circles, out)
	}
	for _, it := range o.OpenItems {
		x.Outcomes.OpenItems = append(x.Outcomes.OpenItems, OpenItem(it))
	}
	return x
}

// JSON is the export as indented JSON, ending in a newline.
func JSON(m *session.Meetup, o session.Outcomes, events []session.Event) ([]byte, error) {
	b, err := json.MarshalIndent(NewExport(m, o, events), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
