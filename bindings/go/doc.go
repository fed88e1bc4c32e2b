// Package incident is the Go binding of libincident, the Incident Command
// System as a C library: severity rubrics, incidents and their lifecycle,
// who may do what, the hash-chained timeline of record, CAN reports and
// decisions, status updates on a cadence, what is due and when (paging,
// deadline clocks, the Scheduler), postmortems and action items, the
// response audit, metrics, and on-call rotations.
//
// It is a thin layer over the C API (cgo): a Session declares and opens
// Incidents on a Store (memory, journal, or a Backend written in Go) under
// a Rubric. Handles have Close methods, with finalizers as a safety net.
// Every failure is an *Error carrying the status code and the library's
// message; test for kinds of failure with errors.Is(err, ErrConflict) and
// friends; a closed handle's errors match ErrClosed. Times are time.Time
// in UTC, durations time.Duration; calls that wait (Scheduler.Wait,
// Scheduler.Run, Incident.Retry) take a context.Context, and calls that
// reach the store have ...Context variants (DeclareContext, OpenContext,
// OpenJournalContext, ...) that do not start once the context is done.
//
// The package finds the C library through pkg-config (`#cgo pkg-config:
// libincident`): set PKG_CONFIG_PATH to an installed prefix's
// lib/pkgconfig, or to a build tree's pkgconfig directory. The build tag
// incident_buildtree links ../../build instead, for work inside the
// repository.
package incident
