package incident

// The Go functions C calls: the clock, the collectors of listings and raw
// reads, the journal's recovery callback and the methods of a Go Backend.
// Each receives a cgo.Handle where C has a void *user; none may let a
// panic unwind into C, so each recovers.

// #include "shim.h"
import "C"

import (
	"fmt"
	"runtime/cgo"
	"time"
	"unsafe"
)

//export incGoClock
func incGoClock(h C.uintptr_t) (t C.inc_time) {
	defer func() {
		if recover() != nil {
			t = C.inc_clock_system(nil) // a broken clock gives the system's time
		}
	}()
	return fromTime(cgo.Handle(h).Value().(func() time.Time)())
}

//export incGoCollectID
func incGoCollectID(h C.uintptr_t, id *C.char) C.int {
	ids := cgo.Handle(h).Value().(*[]string)
	*ids = append(*ids, C.GoString(id))
	return 0
}

//export incGoCollectEvent
func incGoCollectEvent(h C.uintptr_t, seq C.uint64_t, data unsafe.Pointer, n C.size_t) C.int {
	recs := cgo.Handle(h).Value().(*[]Record)
	*recs = append(*recs, Record{Seq: uint64(seq), Data: C.GoBytes(data, C.int(n))})
	return 0
}

//export incGoCollectScan
func incGoCollectScan(h C.uintptr_t, id *C.char, seq C.uint64_t, data unsafe.Pointer, n C.size_t) C.int {
	recs := cgo.Handle(h).Value().(*[]ScanRecord)
	*recs = append(*recs, ScanRecord{ID: C.GoString(id), Record: Record{Seq: uint64(seq), Data: C.GoBytes(data, C.int(n))}})
	return 0
}

//export incGoCollectBlob
func incGoCollectBlob(h C.uintptr_t, data unsafe.Pointer, n C.size_t) C.int {
	out := cgo.Handle(h).Value().(*[]byte)
	*out = C.GoBytes(data, C.int(n))
	return 0
}

//export incGoRecovery
func incGoRecovery(h C.uintptr_t, rec *C.inc_journal_recovery) {
	defer func() { _ = recover() }()
	fn := cgo.Handle(h).Value().(func(Recovery))
	r := Recovery{
		ID: C.GoString(rec.id), File: C.GoString(rec.file), Offset: uint64(rec.offset),
		Bytes: uint64(rec.bytes), LastSeq: uint64(rec.last_seq), Cut: rec.cut != 0,
	}
	if rec.quarantine != nil {
		r.Quarantine = C.GoString(rec.quarantine)
	}
	if rec.why != nil {
		r.Why = C.GoString(rec.why)
	}
	fn(r)
}

//export incGoCollectQuarantine
func incGoCollectQuarantine(h C.uintptr_t, q *C.inc_journal_quarantine) C.int {
	files := cgo.Handle(h).Value().(*[]Quarantine)
	*files = append(*files, Quarantine{
		ID: C.GoString(q.id), File: C.GoString(q.file), Offset: uint64(q.offset),
		Bytes: uint64(q.bytes),
	})
	return 0
}

func bridgeOf(h C.uintptr_t) *backendBridge {
	return cgo.Handle(h).Value().(*backendBridge)
}

// report relays a Backend's error to the library through err.
func (b *backendBridge) report(e error, err *C.inc_error) C.int {
	code, msg, own := codeOf(e)
	if !own {
		b.pending = e // wrapped into the *Error the failing call returns
	}
	cmsg := C.CString(msg)
	defer free(cmsg)
	return C.inc_go_error_set(err, C.int(code), cmsg)
}

// guard turns a panic in a Backend method into an error.
func (b *backendBridge) guard(rc *C.int, err *C.inc_error) {
	if p := recover(); p != nil {
		*rc = b.report(fmt.Errorf("backend panic: %v", p), err)
	}
}

//export incGoStoreAppend
func incGoStoreAppend(h C.uintptr_t, id *C.char, expected C.uint64_t, records *C.inc_store_record,
	count C.size_t, err *C.inc_error) (rc C.int) {
	b := bridgeOf(h)
	defer b.guard(&rc, err)
	blobs := make([][]byte, int(count))
	if count > 0 {
		for i, r := range unsafe.Slice(records, int(count)) {
			blobs[i] = C.GoBytes(r.data, C.int(r.len))
		}
	}
	if e := b.backend.Append(C.GoString(id), uint64(expected), blobs); e != nil {
		return b.report(e, err)
	}
	return 0
}

//export incGoStoreRead
func incGoStoreRead(h C.uintptr_t, id *C.char, from C.uint64_t, cb C.inc_store_event_cb,
	user unsafe.Pointer, err *C.inc_error) (rc C.int) {
	b := bridgeOf(h)
	defer b.guard(&rc, err)
	var stopped C.int
	e := b.backend.Read(C.GoString(id), uint64(from), func(seq uint64, data []byte) error {
		var p unsafe.Pointer
		if len(data) > 0 {
			p = unsafe.Pointer(&data[0]) // Go memory without Go pointers, for the call only
		}
		if r := C.inc_go_call_event(cb, user, C.uint64_t(seq), p, C.size_t(len(data))); r != 0 {
			stopped = r
			return stopError{r}
		}
		return nil
	})
	if stopped != 0 {
		return stopped
	}
	if e != nil {
		if r, ok := isStop(e); ok {
			return r
		}
		return b.report(e, err)
	}
	return 0
}

//export incGoStoreList
func incGoStoreList(h C.uintptr_t, cb C.inc_store_id_cb, user unsafe.Pointer, err *C.inc_error) (rc C.int) {
	b := bridgeOf(h)
	defer b.guard(&rc, err)
	var stopped C.int
	e := b.backend.List(func(id string) error {
		cid := C.CString(id)
		defer free(cid)
		if r := C.inc_go_call_id(cb, user, cid); r != 0 {
			stopped = r
			return stopError{r}
		}
		return nil
	})
	if stopped != 0 {
		return stopped
	}
	if e != nil {
		return b.report(e, err)
	}
	return 0
}

//export incGoStorePutBlob
func incGoStorePutBlob(h C.uintptr_t, key *C.char, data unsafe.Pointer, n C.size_t,
	err *C.inc_error) (rc C.int) {
	b := bridgeOf(h)
	defer b.guard(&rc, err)
	if e := b.backend.(BlobBackend).PutBlob(C.GoString(key), C.GoBytes(data, C.int(n))); e != nil {
		return b.report(e, err)
	}
	return 0
}

//export incGoStoreGetBlob
func incGoStoreGetBlob(h C.uintptr_t, key *C.char, cb C.inc_store_blob_cb, user unsafe.Pointer,
	err *C.inc_error) (rc C.int) {
	b := bridgeOf(h)
	defer b.guard(&rc, err)
	data, e := b.backend.(BlobBackend).GetBlob(C.GoString(key))
	if e != nil {
		return b.report(e, err)
	}
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0]) // Go memory without Go pointers, for the call only
	}
	return C.inc_go_call_blob(cb, user, p, C.size_t(len(data)))
}

//export incGoStoreSync
func incGoStoreSync(h C.uintptr_t, err *C.inc_error) (rc C.int) {
	b := bridgeOf(h)
	defer b.guard(&rc, err)
	if e := b.backend.Sync(); e != nil {
		return b.report(e, err)
	}
	return 0
}

//export incGoStoreFree
func incGoStoreFree(h C.uintptr_t) {
	b := bridgeOf(h)
	defer cgo.Handle(h).Delete()
	defer func() { _ = recover() }()
	b.closed = true
	_ = b.backend.Close()
}
