package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Template is a named agenda a new meetup can start from: the activities
// with their titles, planned times, notes and settings, nothing that
// happened in them.
type Template struct {
	Name    string     `json:"name"`
	Agenda  []Activity `json:"agenda"`
	SavedBy PersonID   `json:"saved_by,omitempty"`
	SavedAt time.Time  `json:"saved_at,omitzero"`
	// BuiltIn marks the template that comes with convene; it cannot be
	// replaced or deleted.
	BuiltIn bool `json:"-"`
}

// BuiltInTemplate is the name of the template that comes with convene.
const BuiltInTemplate = "Classic online meetup"

// MaxTemplateNameLen bounds a template's name.
const MaxTemplateNameLen = 60

// ErrNoTemplate is returned for a template name nobody saved.
var ErrNoTemplate = errors.New("there is no template with that name")

// agenda returns a fresh copy of the template's agenda for a new meetup.
func (t Template) agenda() []Activity {
	out := make([]Activity, len(t.Agenda))
	for i, a := range t.Agenda {
		out[i] = planOf(a)
	}
	return out
}

// planOf is an activity as a plan: its settings, nothing that happened.
func planOf(a Activity) Activity {
	p := Activity{Kind: a.Kind, Title: a.Title, Duration: a.Duration, Note: a.Note}
	switch h := a.State.(type) {
	case templateHook:
		p.State = h.template()
	case nil:
	default:
		p.State = a.State.clone()
	}
	if p.State == nil {
		if k, ok := kinds[a.Kind]; ok && k.New != nil {
			p.State = k.New()
		}
	}
	return p
}

// Templates lists the built-in template, then the saved ones by name.
func (h *Hub) Templates() ([]Template, error) {
	saved, err := h.store.Templates()
	if err != nil {
		h.log("read templates", "err", err)
		return nil, errors.New("the saved templates could not be read from the database")
	}
	slices.SortFunc(saved, func(a, b Template) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return append([]Template{h.builtIn()}, saved...), nil
}

func (h *Hub) builtIn() Template {
	return Template{Name: BuiltInTemplate, Agenda: h.agenda(), BuiltIn: true}
}

// Template returns the named template; "" is the built-in one.
func (h *Hub) Template(name string) (Template, error) {
	if name == "" || strings.EqualFold(name, BuiltInTemplate) {
		return h.builtIn(), nil
	}
	all, err := h.Templates()
	if err != nil {
		return Template{}, err
	}
	for _, t := range all {
		if strings.EqualFold(t.Name, name) {
			return t, nil
		}
	}
	return Template{}, fmt.Errorf("%w: %q", ErrNoTemplate, name)
}

// SaveTemplate saves the agenda of the meetup in room as a template under
// name, replacing a saved template of the same name. Only facilitators may.
func (h *Hub) SaveTemplate(actor PersonID, r *Room, name string) (Template, error) {
	m := r.State()
	if !m.RoleOf(actor).Facilitates() && !h.IsFacilitator(actor) {
		return Template{}, ErrNotFacilitator
	}
	name, err := cleanField("the template's name", name, MaxTemplateNameLen)
	if err != nil {
		return Template{}, err
	}
	if strings.EqualFold(name, BuiltInTemplate) {
		return Template{}, fmt.Errorf("%q is the built-in template: choose another name", BuiltInTemplate)
	}
	t := Template{Name: name, SavedBy: actor, SavedAt: h.clock.Now()}
	for _, a := range m.Agenda {
		t.Agenda = append(t.Agenda, planOf(a))
	}
	if err := h.store.SaveTemplate(t); err != nil {
		h.log("save template", "err", err)
		return Template{}, ErrSave
	}
	return t, nil
}

// DeleteTemplate removes a saved template. Only facilitators may.
func (h *Hub) DeleteTemplate(actor PersonID, name string) error {
	if !h.IsFacilitator(actor) {
		return ErrNotFacilitator
	}
	if strings.EqualFold(name, BuiltInTemplate) {
		return errors.New("the built-in template cannot be deleted")
	}
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: \"\"", ErrNoTemplate)
	}
	t, err := h.Template(name)
	if err != nil {
		return err
	}
	if err := h.store.DeleteTemplate(t.Name); err != nil {
		h.log("delete template", "err", err)
		return ErrSave
	}
	return nil
}
