package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"time"
	"unsafe"
)

// TimeNone is the C library's "no time" (INC_TIME_NONE); the binding
// shows it as the zero time.Time.
const timeNone = C.inc_time(C.INC_TIME_NONE)

// ABIMajor and ABIMinor are the version of the library ABI this package
// wraps. Before 1.0 every minor release may break the ABI, so the SONAME is
// libincident.so.MAJOR.MINOR and both must match; from 1.0 on the major
// alone (README.md, "Versions and the ABI"). The cgo preamble of abi.go
// refuses to build against headers of another ABI.
const (
	ABIMajor = C.INC_VERSION_MAJOR
	ABIMinor = C.INC_VERSION_MINOR
)

// ABICompatible reports whether a library of version major.minor has the
// ABI this package wraps.
func ABICompatible(major, minor int) bool {
	if major != ABIMajor {
		return false
	}
	return ABIMajor != 0 || minor == ABIMinor
}

// Version returns the loaded library's version string and numbers (inc_version).
func Version() (version string, major, minor, patch int) {
	var ma, mi, pa C.int
	s := C.GoString(C.inc_version(&ma, &mi, &pa))
	return s, int(ma), int(mi), int(pa)
}

func toTime(t C.inc_time) time.Time {
	if t == timeNone {
		return time.Time{}
	}
	return time.UnixMilli(int64(t)).UTC()
}

func fromTime(t time.Time) C.inc_time {
	if t.IsZero() {
		return timeNone
	}
	return C.inc_time(t.UnixMilli())
}

// cstr makes a C copy of s; free it with C.free. The empty string gives
// NULL when nullable is set (for optional arguments).
func cstr(s string, nullable bool) *C.char {
	if nullable && s == "" {
		return nil
	}
	return C.CString(s)
}

func free(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// takeString copies memory the library handed over and frees it (inc_free).
func takeString(p *C.char, n C.size_t) string {
	if p == nil {
		return ""
	}
	defer C.inc_free(unsafe.Pointer(p))
	return C.GoStringN(p, C.int(n))
}

// FormatTime formats t as ISO 8601 UTC with milliseconds (inc_time_format).
func FormatTime(t time.Time) (string, error) {
	var buf [32]C.char
	if rc := C.inc_time_format(C.inc_time(t.UnixMilli()), &buf[0], C.size_t(len(buf))); rc != 0 {
		return "", newError(rc, "time: out of the years 0..9999")
	}
	return C.GoString(&buf[0]), nil
}

// ParseTime parses "YYYY-MM-DDTHH:MM[:SS[.mmm]]Z" (inc_time_parse).
func ParseTime(s string) (time.Time, error) {
	cs := C.CString(s)
	defer free(cs)
	var out C.inc_time
	if rc := C.inc_time_parse(cs, &out); rc != 0 {
		return time.Time{}, newError(rc, "not an ISO 8601 UTC time: "+s)
	}
	return toTime(out), nil
}

// FormatOffset formats a duration as the offset from declaration,
// "T+1h02m03s" (inc_offset_format).
func FormatOffset(d time.Duration) (string, error) {
	var buf [32]C.char
	if rc := C.inc_offset_format(C.int64_t(d.Milliseconds()), &buf[0], C.size_t(len(buf))); rc != 0 {
		return "", newError(rc, "")
	}
	return C.GoString(&buf[0]), nil
}

// SystemClock is the library's default clock (inc_clock_system).
func SystemClock() time.Time {
	return toTime(C.inc_clock_system(nil))
}
