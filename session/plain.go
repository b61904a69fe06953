package session

import "time"

// Plain activities have a title, a planned time and a note shown to
// everyone, and no rules of their own. The solution circle (circle.go)
// and open space (openspace.go) have theirs.
func init() {
	register(KindInfo{Kind: KindWelcome, order: 10, Name: "Welcome",
		About: "The room fills up; everyone sees who is here.",
		Title: "Welcome", Duration: 5 * time.Minute,
		Note: "The room is filling up. Say hello to the people around you; the facilitator will start when everyone is here."})
	register(KindInfo{Kind: KindTalk, order: 20, Name: "Talk",
		About: "Someone speaks to the whole room; the note says who and what about.",
		Title: "Talk", Duration: 10 * time.Minute,
		Note: "Listen to the speaker. Questions at the end."})
	register(KindInfo{Kind: KindBreak, order: 70, Name: "Break",
		About: "A pause; everyone sees when it ends.",
		Title: "Break", Duration: 10 * time.Minute,
		Note: "Take a break. Come back when the clock runs out; the facilitator carries on from there."})
	register(KindInfo{Kind: KindClose, order: 80, Name: "Close",
		About: "The outcomes are shown to everyone and kept.",
		Title: "Close", Duration: 5 * time.Minute,
		Note: "Thank you for coming. The outcomes of this meetup are kept and can be reviewed later."})
}
