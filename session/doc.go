// Package session is convene's domain: meetups, their agenda, the shared
// countdown, roles, and the live rooms that own each meetup's state.
//
// A Hub holds every meetup known to the server. Each meetup is owned by one
// Room: commands go in through Room.Do, the room applies them to a copy of
// its state, commits the accepted changes through the Store, and only then
// publishes the new state and wakes every subscriber. Subscribers never
// block the room: each has a mailbox of one that is overwritten with the
// newest news, so a slow screen skips states instead of delaying others.
//
// Time comes from a Clock so that tests never sleep. The package imports no
// user interface, SSH or storage code; what it needs from storage is the
// small Store interface that package store satisfies.
package session
