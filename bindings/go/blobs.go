package incident

// Blobs (store backend version 3, incident/sys/store.h): the rubric text a
// declaration records is stored once per store, under its SHA-256 (RUB-4).

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// BlobBackend is a Backend that also keeps blobs (store backend version 3,
// incident/sys/store.h): byte strings stored once per store under the 64
// lower-case hex digits of their SHA-256. NewStore registers the blob
// methods only when the backend implements this interface; the library then
// stores each rubric text once per store and a declaration names it by its
// key (RUB-4). A Backend without it still works: each declaration then
// carries its rubric's text, as before version 3.
//
// PutBlob stores data under key (computed by the library); storing a key
// that is already there succeeds and changes nothing, and a blob is never
// removed or replaced. The blob must be durable when PutBlob returns,
// whatever Sync does: the library appends the event that names it right
// after. GetBlob returns the bytes stored under key, or ErrNotFound (as
// Read does for an unknown incident); the library hashes what it returns
// and refuses a blob that no longer matches its key (ErrCorrupt). GetBlob
// may return its own memory: the library copies what it needs.
type BlobBackend interface {
	Backend
	PutBlob(key string, data []byte) error
	GetBlob(key string) ([]byte, error)
}

// PutBlob stores data as a blob (inc_store_put_blob) and returns its key,
// the 64 lower-case hex digits of its SHA-256; storing it again changes
// nothing. ErrUnsupported if the store keeps no blobs (a Go backend that is
// no BlobBackend), ErrTooBig above 16 MiB.
func (s *Store) PutBlob(data []byte) (string, error) {
	p, err := s.lock()
	if err != nil {
		return "", err
	}
	defer s.mu.Unlock()
	// The bytes and the key go through C memory: no Go pointer is kept by C,
	// and the key buffer is written by C.
	buf := C.CBytes(data)
	defer C.free(buf)
	key := (*C.char)(C.calloc(C.INC_STORE_BLOB_KEY_LEN+1, 1))
	defer C.free(unsafe.Pointer(key))
	if err := s.check(C.inc_store_put_blob(p, buf, C.size_t(len(data)), key)); err != nil {
		return "", err
	}
	return C.GoString(key), nil
}

// GetBlob returns the bytes of the blob key (inc_store_get_blob), checked by
// the library against the key: ErrCorrupt if they no longer hash to it (a
// changed blob), ErrNotFound if the store has no such blob, ErrInvalid for a
// key that is not 64 lower-case hex digits, ErrUnsupported if the store
// keeps no blobs.
func (s *Store) GetBlob(key string) ([]byte, error) {
	p, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var data []byte
	h := cgo.NewHandle(&data)
	defer h.Delete()
	ckey := C.CString(key)
	defer free(ckey)
	rc := C.inc_store_get_blob(p, ckey, C.inc_go_blob_cb(), C.inc_go_handle_ptr(C.uintptr_t(h)))
	if err := s.check(rc); err != nil {
		return nil, err
	}
	return data, nil
}

// CopyIncident copies incident id as it is stored into the store to, under
// the same id (inc_store_copy_incident), and returns how many events it
// copied.
//
// This is the copy a tool must make since the rubric is recorded once per
// store (RUB-4): the blob the declaration names is put into to before the
// events, so the copy opens. Nothing of the incident is appended on
// failure: ErrUnsupported when to keeps no blobs (a declaration that names
// its rubric by key cannot live there), ErrConflict if to already has the
// incident, ErrNotFound if s has none, ErrCorrupt if the blob is missing or
// changed. It locks s, then to.
func (s *Store) CopyIncident(id string, to *Store) (int, error) {
	p, err := s.lock()
	if err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	q, err := to.lock()
	if err != nil {
		return 0, err
	}
	defer to.mu.Unlock()
	cid := C.CString(id)
	defer free(cid)
	var count C.uint64_t
	if err := to.check(C.inc_store_copy_incident(p, q, cid, &count)); err != nil {
		return 0, err
	}
	return int(count), nil
}

// BlobKeys returns the blob keys an event's bytes name (inc_event_blob_key:
// the rubric_sha256 of a declaration in a store that keeps blobs); nil for
// every other event.
//
// A tool that copies raw timelines between stores (Read, Append) must copy
// these blobs too (GetBlob, PutBlob), before the events: an event whose blob
// is not in the store cannot be read. CopyIncident does it all. ErrCorrupt
// or ErrVersion when the bytes are not an event this library decodes.
func BlobKeys(event []byte) ([]string, error) {
	buf := C.CBytes(event)
	defer C.free(buf)
	key := (*C.char)(C.calloc(C.INC_STORE_BLOB_KEY_LEN+1, 1))
	defer C.free(unsafe.Pointer(key))
	rc := C.inc_event_blob_key(buf, C.size_t(len(event)), key)
	if rc < 0 {
		return nil, newError(rc, "event: the bytes are not an event this library decodes")
	}
	if rc == 0 {
		return nil, nil
	}
	return []string{C.GoString(key)}, nil
}
