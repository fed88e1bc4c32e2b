package incident

// #include "shim.h"
import "C"

import (
	"runtime"
	"runtime/cgo"
	"time"
	"unsafe"
)

// Feed is the change feed of a context's store (inc_feed; incident/feed.h):
// every new event once, in order per incident, from a cursor the consumer
// keeps. Send what Poll returns, then save Cursor(): a crash between the two
// sends the items again (at least once); the idempotency key is
// (IncidentID, Seq). Closing the context closes it.
type Feed struct {
	st  *feedState
	ctx *Session
}

type feedState struct {
	p    *C.inc_feed
	wait cgo.Handle // the Go wait hook, 0 if none
}

func (fs *feedState) free() {
	if fs.p != nil {
		C.inc_feed_free(fs.p)
		fs.p = nil
	}
	if fs.wait != 0 {
		fs.wait.Delete()
		fs.wait = 0
	}
}

// FeedItem is one event of the feed (inc_feed_item).
type FeedItem struct {
	IncidentID string
	Seq        uint64
	Kind       EventKind
	Time       time.Time
	Actor      string
	Text       string // the timeline line, not escaped
	Data       []byte // the stored bytes
}

// NewFeed opens a feed at cursor ("" for the beginning) (inc_feed_new).
func NewFeed(c *Session, cursor string) (*Feed, error) {
	cur := cstr(cursor, cursor == "")
	defer free(cur)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out *C.inc_feed
	if rc := C.inc_feed_new(p, cur, &out); rc != 0 {
		return nil, newError(rc, C.GoString(C.inc_context_errmsg(p)))
	}
	fs := &feedState{p: out}
	c.st.feeds[fs] = struct{}{}
	f := &Feed{st: fs, ctx: c}
	runtime.SetFinalizer(f, (*Feed).Close)
	return f, nil
}

// Close frees the feed (inc_feed_free). It is safe to call twice.
func (f *Feed) Close() error {
	f.ctx.mu.Lock()
	defer f.ctx.mu.Unlock()
	if f.st.p != nil {
		f.st.free()
		delete(f.ctx.st.feeds, f.st)
	}
	runtime.SetFinalizer(f, nil)
	return nil
}

func (f *Feed) lock() (*C.inc_feed, error) {
	f.ctx.mu.Lock()
	if f.st.p == nil {
		f.ctx.mu.Unlock()
		return nil, newError(C.INC_EINVAL, "feed: closed")
	}
	return f.st.p, nil
}

//export incGoFeedItem
func incGoFeedItem(h C.uintptr_t, it *C.inc_feed_item) C.int {
	items := cgo.Handle(h).Value().(*[]FeedItem)
	*items = append(*items, FeedItem{
		IncidentID: C.GoString(it.incident_id), Seq: uint64(it.seq), Kind: EventKind(it.kind),
		Time: toTime(it.time), Actor: C.GoString(it.actor), Text: C.GoString(it.text),
		Data: C.GoBytes(unsafe.Pointer(it.data), C.int(it.len)),
	})
	return 0
}

// Poll returns the events written since the cursor, at most max (0: all),
// and moves the feed's cursor past them (inc_feed_poll; the message of a
// failure is inc_feed_errmsg's).
func (f *Feed) Poll(max int) ([]FeedItem, error) {
	var items []FeedItem
	h := cgo.NewHandle(&items)
	defer h.Delete()
	p, err := f.lock()
	if err != nil {
		return nil, err
	}
	defer f.ctx.mu.Unlock()
	if max < 0 {
		max = 0
	}
	if rc := C.inc_feed_poll(p, C.size_t(max), C.inc_go_feed_cb(), C.inc_go_handle_ptr(C.uintptr_t(h)), nil); rc != 0 {
		return items, newError(rc, C.GoString(C.inc_feed_errmsg(p)))
	}
	return items, nil
}

// Cursor is the cursor past the items returned so far, to save (inc_feed_cursor).
func (f *Feed) Cursor() (string, error) {
	p, err := f.lock()
	if err != nil {
		return "", err
	}
	defer f.ctx.mu.Unlock()
	var out *C.char
	if rc := C.inc_feed_cursor(p, &out); rc != 0 {
		return "", newError(rc, "feed cursor")
	}
	s := C.GoString(out)
	C.inc_free(unsafe.Pointer(out))
	return s, nil
}

// Wait reports whether the store has events past the cursor, looking every
// 200 ms until timeout (inc_feed_wait with the default wait). The context is
// locked meanwhile: wait briefly, or from a context of its own.
func (f *Feed) Wait(timeout time.Duration) (bool, error) {
	p, err := f.lock()
	if err != nil {
		return false, err
	}
	defer f.ctx.mu.Unlock()
	var ready C.int
	if rc := C.inc_feed_wait(p, C.int64_t(timeout/time.Millisecond), &ready); rc != 0 {
		return false, newError(rc, C.GoString(C.inc_feed_errmsg(p)))
	}
	return ready != 0, nil
}

//export incGoFeedWait
func incGoFeedWait(h C.uintptr_t, timeoutMS C.int64_t) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = C.INC_ERROR
		}
	}()
	fn := cgo.Handle(h).Value().(func(time.Duration) error)
	if err := fn(time.Duration(timeoutMS) * time.Millisecond); err != nil {
		return C.INC_ERROR
	}
	return 0
}

// SetWait replaces how Wait waits between looks at the store
// (inc_feed_set_wait): fn returns when new events may be there or timeout
// passed (a store's change notification); nil for the default. fn runs
// with the context locked and must not use it; an error from fn ends Wait
// with CodeError.
func (f *Feed) SetWait(fn func(timeout time.Duration) error) error {
	p, err := f.lock()
	if err != nil {
		return err
	}
	defer f.ctx.mu.Unlock()
	if f.st.wait != 0 {
		f.st.wait.Delete()
		f.st.wait = 0
	}
	if fn == nil {
		C.inc_feed_set_wait(p, nil, nil)
		return nil
	}
	f.st.wait = cgo.NewHandle(fn)
	C.inc_feed_set_wait(p, C.inc_go_feed_wait_fn(), C.inc_go_handle_ptr(C.uintptr_t(f.st.wait)))
	return nil
}
