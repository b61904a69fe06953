package session

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestFacilitatorCommandsByRole tries every facilitator command, on the
// activity it belongs to, as a participant and as the note-taker (both
// refused as not facilitating) and as a co-facilitator (never refused for
// their role; a command may still be refused for another reason, such as
// the phase). The SSH matrix in tui/roles_e2e_test.go does the same
// through the keys; this is every command, whatever key reaches it.
func TestFacilitatorCommandsByRole(t *testing.T) {
	f := newFixture(t)
	f.enter(host, "Host")
	f.enter(ana, "Ana")
	f.enter(ben, "Ben")
	f.enter(cy, "Cy")
	f.must(host, SetRole{Person: ben, Role: RoleNoteTaker})
	f.must(host, SetRole{Person: cy, Role: RoleCoFacilitator})
	at := func(k Kind) int {
		return slices.IndexFunc(f.room.State().Agenda, func(a Activity) bool { return a.Kind == k })
	}
	room := []Command{Next{}, Prev{}, GoTo{Index: 1}, StartTimer{}, PauseTimer{}, AddTime{By: time.Minute},
		SetTime{Left: time.Minute}, Announce{Text: "hi"}, SetRole{Person: ana, Role: RoleCoFacilitator},
		Toggle{Switch: SwitchTimer}, Toggle{Switch: SwitchCoHost, Person: ana}, Toggle{Switch: SwitchNoteTaker, Person: ana},
		AddActivity{At: 1, Of: KindBreak}, RemoveActivity{Index: 1}, MoveActivity{From: 1, To: 2},
		RetitleActivity{Index: 1, Title: "x"}, SetActivityNote{Index: 1, Note: "x"}, AdjustActivityTime{Index: 1, By: time.Minute},
		SetSeries{Series: "Officers"}, End{}}
	byKind := map[Kind][]Command{
		KindNetworking: {DrawGroups{}, AdjustNetworking{}, SetAutoAdvance{On: true}, SetTalkingPoint{}, Rebalance{},
			Toggle{Switch: SwitchAutoAdvance}, Toggle{Switch: SwitchTakePart}},
		KindTopics: {StartVoting{}, StopVoting{}, CloseVoting{}, ReopenVoting{}, Runoff{}, PickTopic{}, AdjustVote{},
			ShowLiveResults{Show: true}, ShowAuthors{Show: true}, MergeTopics{}, Toggle{Switch: SwitchAuthors}, Toggle{Switch: SwitchLiveResults}},
		KindCircle:    {SetUpCircle{Times: DefaultPhaseTimes}, CircleNext{}, CircleBack{}, MoveInOrder{}, BringBack{}, GiveCircleFloor{}, MoveToCircle{Circle: 1}},
		KindOpenSpace: {SortOpenItems{ByVotes: true}, MoveOpenItem{}, GiveItemFloor{}},
	}
	check := func(cmd Command) {
		t.Helper()
		for _, id := range []PersonID{ana, ben} {
			before := f.room.State().Version
			if err := f.do(id, cmd); !errors.Is(err, ErrNotFacilitator) {
				t.Errorf("%s (%T) by %s = %v; want ErrNotFacilitator", cmd.Kind(), cmd, f.room.State().RoleOf(id), err)
			}
			if f.room.State().Version != before {
				t.Errorf("%s by %s changed the meetup", cmd.Kind(), f.room.State().RoleOf(id))
			}
		}
	}
	for _, k := range []Kind{KindNetworking, KindTopics, KindCircle, KindOpenSpace} {
		f.must(host, GoTo{Index: at(k)})
		for _, cmd := range append(slices.Clone(byKind[k]), room...) {
			if _, ok := cmd.(End); ok {
				continue // the co-facilitator's End would end the test
			}
			check(cmd)
			f.must(host, GoTo{Index: at(k)}) // undo what a co-facilitator moved
			if err := f.do(cy, cmd); errors.Is(err, ErrNotFacilitator) {
				t.Errorf("%s (%T) by the co-facilitator was refused as not facilitating", cmd.Kind(), cmd)
			}
			if r := f.room.State().RoleOf(cy); r != RoleCoFacilitator {
				f.must(host, SetRole{Person: cy, Role: RoleCoFacilitator})
			}
			if r := f.room.State().RoleOf(ben); r != RoleNoteTaker {
				f.must(host, SetRole{Person: ben, Role: RoleNoteTaker})
			}
			if r := f.room.State().RoleOf(ana); r != RoleParticipant {
				f.must(host, SetRole{Person: ana, Role: RoleParticipant})
			}
			f.must(host, GoTo{Index: at(k)})
		}
	}
	check(End{})
	f.must(cy, End{})
}
