package session

import "errors"

// Sentinel errors, checked with errors.Is. Their text is written to be
// shown to the person whose action failed.
var (
	ErrNotFacilitator = errors.New("only a facilitator can do that")
	ErrUnknownCode    = errors.New("no meetup has that code")
	ErrEnded          = errors.New("this meetup has ended")
	ErrNotMember      = errors.New("you are not in this meetup")
	ErrNoTimer        = errors.New("this activity has no timer")
	ErrEmptyText      = errors.New("the text is empty")
	ErrBadAgenda      = errors.New("there is no such activity")
	ErrClosed         = errors.New("the server is stopping")
	ErrSave           = errors.New("that was not saved: the server could not write it to its disk, so try again in a moment")
)
