package session

// Vote is the state of a topics activity: suggestions, ballots and the
// result. (Filled in by the topics-and-voting work.)
type Vote struct{}

func (v *Vote) clone() *Vote {
	c := *v
	return &c
}
