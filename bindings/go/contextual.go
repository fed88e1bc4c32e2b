package incident

import (
	"context"
	"sync"
)

// The calls that reach the store (declaring, opening, listing, importing,
// opening a journal, a store's own List, Read, Append and Sync) have a
// variant named ...Context that takes a context.Context first, as
// database/sql does (QueryContext). The context bounds the wait: such a call
// returns ctx.Err() without touching anything when ctx is done before it
// starts, including when ctx ends while it waits for another call on the
// same store (calls on one store are serialized). Once the library call has
// started it runs to completion: a cgo call cannot be interrupted, and a
// half-made append is what the timeline must never see. The variants
// without a context use context.Background().

// lockMutex takes mu unless ctx is done, checking ctx again once mu is held
// so that a call queued behind a long one does not start after its
// deadline.
func lockMutex(ctx context.Context, mu *sync.Mutex) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mu.Lock()
	if err := ctx.Err(); err != nil {
		mu.Unlock()
		return err
	}
	return nil
}
