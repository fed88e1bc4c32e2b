package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"context"
	"runtime"
	"time"
)

// SchedulerOptions are the options of NewScheduler (inc_scheduler_options).
type SchedulerOptions struct {
	Actor   string // who records deliveries; "" for "scheduler"
	MaxOpen int    // incident handles kept open between polls; 0 for 64
}

// Scheduler says what is due across every incident of a session
// (inc_scheduler): a heap of next due times, so NextDue is O(1) and Poll
// costs in proportion to what is due. A context has at most one; closing
// the session closes it. Every write through the session's incidents
// reschedules them, and incidents it declares are tracked. Safe for
// concurrent use (it shares the session's mutex).
type Scheduler struct {
	st  *schedState
	ctx *Session // keeps the session alive
}

type schedState struct {
	p *C.inc_scheduler
}

func (ss *schedState) free() {
	if ss.p != nil {
		C.inc_scheduler_free(ss.p)
		ss.p = nil
	}
}

// NewScheduler makes the scheduler of c (inc_scheduler_new); opts may be
// nil. ErrExist when c has one.
func NewScheduler(c *Session, opts *SchedulerOptions) (*Scheduler, error) {
	if opts == nil {
		opts = &SchedulerOptions{}
	}
	var o C.inc_scheduler_options
	if rc := C.inc_scheduler_options_init(&o, C.INC_SCHEDULER_OPTIONS_VERSION); rc != 0 {
		return nil, newError(rc, "")
	}
	if opts.MaxOpen < 0 {
		return nil, newError(C.INC_EINVAL, "max open: negative")
	}
	o.actor = cstr(opts.Actor, true)
	defer free(o.actor)
	o.max_open = C.size_t(opts.MaxOpen)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	ss := &schedState{}
	if rc := C.inc_scheduler_new(p, &o, &ss.p); rc != 0 {
		msg := ""
		if rc == C.INC_EEXIST {
			msg = "scheduler: the context has one already"
		}
		return nil, c.fail(rc, msg)
	}
	c.st.sched = ss
	s := &Scheduler{st: ss, ctx: c}
	runtime.SetFinalizer(s, (*Scheduler).Close)
	return s, nil
}

// Close frees the scheduler (inc_scheduler_free); the timelines are not
// affected. It is safe to call twice.
func (s *Scheduler) Close() error {
	s.ctx.mu.Lock()
	defer s.ctx.mu.Unlock()
	if s.st.p != nil {
		s.st.free()
		if s.ctx.st.sched == s.st {
			s.ctx.st.sched = nil
		}
	}
	runtime.SetFinalizer(s, nil)
	return nil
}

func (s *Scheduler) lock() (*C.inc_scheduler, error) {
	s.ctx.mu.Lock()
	if s.st.p == nil {
		s.ctx.mu.Unlock()
		return nil, errClosed("scheduler")
	}
	return s.st.p, nil
}

func (s *Scheduler) call(fn func(p *C.inc_scheduler) C.int) error {
	p, err := s.lock()
	if err != nil {
		return err
	}
	defer s.ctx.mu.Unlock()
	if rc := fn(p); rc != 0 {
		return s.ctx.store.fail(rc, C.GoString(C.inc_scheduler_errmsg(p)))
	}
	return nil
}

// Load tracks every incident of the store that is not closed, after a
// start or a restart (inc_scheduler_load).
func (s *Scheduler) Load() error {
	return s.call(func(p *C.inc_scheduler) C.int { return C.inc_scheduler_load(p) })
}

// Watch tracks one incident, or re-reads it (inc_scheduler_watch).
func (s *Scheduler) Watch(id string) error {
	cid := C.CString(id)
	defer free(cid)
	return s.call(func(p *C.inc_scheduler) C.int { return C.inc_scheduler_watch(p, cid) })
}

// Forget stops tracking an incident until its next write (inc_scheduler_forget).
func (s *Scheduler) Forget(id string) error {
	cid := C.CString(id)
	defer free(cid)
	return s.call(func(p *C.inc_scheduler) C.int { return C.inc_scheduler_forget(p, cid) })
}

// Count is the number of incidents with something scheduled (inc_scheduler_count).
func (s *Scheduler) Count() int {
	p, err := s.lock()
	if err != nil {
		return 0
	}
	defer s.ctx.mu.Unlock()
	return int(C.inc_scheduler_count(p))
}

// NextDue is the earliest due time over every tracked incident (possibly
// past), zero when nothing is scheduled (inc_scheduler_next_due).
func (s *Scheduler) NextDue() time.Time {
	p, err := s.lock()
	if err != nil {
		return time.Time{}
	}
	defer s.ctx.mu.Unlock()
	return toTime(C.inc_scheduler_next_due(p))
}

// Poll delivers everything due now across the tracked incidents, each
// recorded on its timeline (inc_scheduler_poll); max 0 for no limit. On
// failure the list of the others' items comes with the error: act on it.
func (s *Scheduler) Poll(max int) (*DueList, error) {
	var list *C.inc_due_list
	err := s.call(func(p *C.inc_scheduler) C.int { return C.inc_scheduler_poll(p, C.size_t(max), &list) })
	if err != nil && list == nil {
		return nil, err
	}
	return takeDueList(list), err
}

// Wait sleeps until something is due by the session's clock, but at most
// maxWait (0: one minute; writes made meanwhile may bring the next due
// time closer), or until ctx is done (then it returns ctx.Err()).
func (s *Scheduler) Wait(ctx context.Context, maxWait time.Duration) error {
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	delay := maxWait
	if next := s.NextDue(); !next.IsZero() {
		delay = next.Sub(s.ctx.Now())
	}
	if delay > maxWait {
		delay = maxWait
	}
	if delay <= 0 {
		return nil
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Run is the pager loop: Wait, Poll, and call fn with the list (closed
// after fn returns) whenever it has items or the poll failed (err). It
// runs until ctx is done (returning ctx.Err()) or fn returns an error
// (returning it).
func (s *Scheduler) Run(ctx context.Context, maxWait time.Duration, fn func(due *DueList, err error) error) error {
	for {
		if err := s.Wait(ctx, maxWait); err != nil {
			return err
		}
		due, err := s.Poll(0)
		if due == nil {
			due = &DueList{}
		}
		var ferr error
		if due.Len() > 0 || err != nil {
			ferr = fn(due, err)
		}
		due.Close()
		if ferr != nil {
			return ferr
		}
		if next := s.NextDue(); due.Len() == 0 && err == nil && !next.IsZero() && !next.After(s.ctx.Now()) {
			// Something is due yet nothing was delivered: a clock that
			// does not move. Do not spin.
			if err := sleepCtx(ctx, minDuration(time.Second, maxWait)); err != nil {
				return err
			}
		}
	}
}

func minDuration(a, b time.Duration) time.Duration {
	if b > 0 && b < a {
		return b
	}
	return a
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
