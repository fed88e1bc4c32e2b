package incident

// #include <incident.h>
import "C"

import (
	"errors"
	"fmt"
)

// Code is a libincident status code: OK (0) or a negative INC_E* value.
type Code int

// The status codes (incident/common.h).
const (
	OK              Code = C.INC_OK
	CodeError       Code = C.INC_ERROR        // INC_ERROR: an unspecified failure
	CodeNoMemory    Code = C.INC_ENOMEM       // INC_ENOMEM
	CodeInvalid     Code = C.INC_EINVAL       // INC_EINVAL: a bad argument; the message names the field
	CodeNotFound    Code = C.INC_ENOTFOUND    // INC_ENOTFOUND
	CodeExist       Code = C.INC_EEXIST       // INC_EEXIST
	CodeConflict    Code = C.INC_ECONFLICT    // INC_ECONFLICT: another writer appended first
	CodePermission  Code = C.INC_EPERM        // INC_EPERM: the actor lacks the authority (AUTH-1)
	CodeRole        Code = C.INC_EROLE        // INC_EROLE: a role rule refused the change
	CodeState       Code = C.INC_ESTATE       // INC_ESTATE: the lifecycle forbids this move
	CodeCorrupt     Code = C.INC_ECORRUPT     // INC_ECORRUPT: a checksum, hash or format check failed
	CodeIO          Code = C.INC_EIO          // INC_EIO: an operating-system I/O call failed
	CodeTooBig      Code = C.INC_ETOOBIG      // INC_ETOOBIG
	CodeParse       Code = C.INC_EPARSE       // INC_EPARSE: a malformed document
	CodeVersion     Code = C.INC_EVERSION     // INC_EVERSION
	CodeReadOnly    Code = C.INC_EREADONLY    // INC_EREADONLY
	CodeUnsupported Code = C.INC_EUNSUPPORTED // INC_EUNSUPPORTED
	CodeLocked      Code = C.INC_ELOCKED      // INC_ELOCKED
)

// String is the symbolic name, such as "INC_ECONFLICT" (inc_status_name).
func (c Code) String() string {
	return C.GoString(C.inc_status_name(C.int(c)))
}

// Description is a short English description of the code (inc_strerror).
func (c Code) Description() string {
	return C.GoString(C.inc_strerror(C.int(c)))
}

// Error is what every failing call returns: the status code, its name and
// the library's message naming the field or the rule. Parsers and
// importers set Line and Offset; Verify sets BadSeq. Err is the error a Go
// callback (a Backend, a clock) returned, if that caused the failure, or
// ErrClosed for a call on a closed handle.
//
// errors.Is(err, ErrConflict) matches any *Error with the same Code, so
// test for a kind of failure with the sentinels below; errors.As gives the
// details.
type Error struct {
	Code    Code
	Name    string
	Message string
	Line    int
	Offset  int64
	BadSeq  uint64
	Err     error
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Name + ": " + e.Code.Description()
	}
	return e.Name + ": " + e.Message
}

// Is reports whether target is an *Error with the same code (the sentinels).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Unwrap returns the callback's error that caused the failure, if any.
func (e *Error) Unwrap() error { return e.Err }

// The sentinels, one per status code, for errors.Is.
var (
	ErrUnspecified = sentinel(CodeError)
	ErrNoMemory    = sentinel(CodeNoMemory)
	ErrInvalid     = sentinel(CodeInvalid)
	ErrNotFound    = sentinel(CodeNotFound)
	ErrExist       = sentinel(CodeExist)
	ErrConflict    = sentinel(CodeConflict)
	ErrPermission  = sentinel(CodePermission)
	ErrRole        = sentinel(CodeRole)
	ErrState       = sentinel(CodeState)
	ErrCorrupt     = sentinel(CodeCorrupt)
	ErrIO          = sentinel(CodeIO)
	ErrTooBig      = sentinel(CodeTooBig)
	ErrParse       = sentinel(CodeParse)
	ErrVersion     = sentinel(CodeVersion)
	ErrReadOnly    = sentinel(CodeReadOnly)
	ErrUnsupported = sentinel(CodeUnsupported)
	ErrLocked      = sentinel(CodeLocked)
)

// ErrClosed is the cause of every error a method of a closed handle
// returns (a Session, Store, Incident, Scheduler, Rotation, Rubric, ...):
// errors.Is(err, ErrClosed) tells a use after Close from a bad argument.
// Such an error is also an *Error with CodeInvalid, as the library itself
// reports a call on a freed handle, so errors.Is(err, ErrInvalid) holds too.
var ErrClosed = errors.New("incident: use of a closed handle")

func sentinel(c Code) *Error {
	return &Error{Code: c, Name: c.String()}
}

// NewError makes an *Error, for Backend implementations that report a
// status code: return NewError(CodeConflict, "expected %d, have %d", a, b).
func NewError(code Code, format string, args ...interface{}) *Error {
	return &Error{Code: code, Name: code.String(), Message: fmt.Sprintf(format, args...)}
}

// newError builds the error of a failed call from its code and message.
func newError(rc C.int, message string) error {
	code := Code(rc)
	if message == "" {
		message = code.Description()
	}
	return &Error{Code: code, Name: code.String(), Message: message}
}

// errClosed is returned by every method of a closed handle.
func errClosed(what string) error {
	return &Error{Code: CodeInvalid, Name: CodeInvalid.String(), Message: what + " is closed", Err: ErrClosed}
}

// codeOf maps an error from Go code (a Backend, a clock) to a status code
// and message: an *Error keeps its own; anything else is CodeIO.
func codeOf(err error) (Code, string, bool) {
	var e *Error
	if errors.As(err, &e) && e.Code < 0 {
		msg := e.Message
		if msg == "" {
			msg = err.Error()
		}
		return e.Code, msg, true
	}
	return CodeIO, err.Error(), false
}
