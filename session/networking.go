package session

// Networking is the state of a networking activity: its settings, rounds
// and groups. (Filled in by the networking-rounds work.)
type Networking struct{}

func (n *Networking) clone() *Networking {
	c := *n
	return &c
}
