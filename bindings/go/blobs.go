package incident

// Blobs (store backend version 3, incident/sys/store.h): the rubric text a
// declaration records is stored once per store, under its SHA-256 (RUB-4).

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"encoding/binary"
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

// CopyIncident copies the raw timeline of incident id into the store to,
// under the same id, and returns how many events it copied.
//
// This is the copy a tool must make since the rubric is recorded once per
// store (RUB-4): each blob an event names (BlobKeys) is read from s and put
// into to before any event is appended, so the copy opens. Nothing is
// appended if a blob cannot be copied (ErrUnsupported when to keeps no
// blobs: a declaration that names its rubric by key cannot live there).
// ErrConflict if to already has the incident.
func (s *Store) CopyIncident(id string, to *Store) (int, error) {
	recs, err := s.Read(id, 1)
	if err != nil {
		return 0, err
	}
	events := make([][]byte, len(recs))
	for i, r := range recs {
		keys, err := BlobKeys(r.Data)
		if err != nil {
			return 0, err
		}
		for _, key := range keys {
			data, err := s.GetBlob(key)
			if err != nil {
				return 0, err
			}
			copied, err := to.PutBlob(data)
			if err != nil {
				return 0, err
			}
			if copied != key { // GetBlob checked the hash: cannot happen
				return 0, NewError(CodeCorrupt, "blob %s copied as %s", key, copied)
			}
		}
		events[i] = r.Data
	}
	if err := to.Append(id, 0, events); err != nil {
		return 0, err
	}
	return len(events), nil
}

// The event encoding's framing (lib/docs/events.md, "Event bytes"), which
// BlobKeys walks: a header, then fields of tag, type and length.
const (
	eventHeaderLen = 64 // the fixed header before the fields
	fieldHeaderLen = 8  // u16 tag, u16 type, u32 length
	fieldString    = 1  // a string value, followed by a NUL
	tagRubricKey   = 41 // rubric_sha256: the key of the rubric's blob
)

// BlobKeys returns the blob keys an event's bytes name (its rubric_sha256
// field: a declaration in a store that keeps blobs), in field order; nil for
// every other event.
//
// A tool that copies raw timelines between stores (Read, Append) must copy
// these blobs too (GetBlob, PutBlob), before the events: an event whose blob
// is not in the store cannot be read. CopyIncident does it all. Only the
// field framing is read: ErrCorrupt if it is cut short, ErrVersion for an
// event format other than 1.
func BlobKeys(event []byte) ([]string, error) {
	if len(event) < eventHeaderLen {
		return nil, NewError(CodeCorrupt, "event: %d bytes, shorter than its header", len(event))
	}
	if event[0] != 1 {
		return nil, NewError(CodeVersion, "event: format version %d, not 1", event[0])
	}
	count := int(binary.LittleEndian.Uint16(event[2:]))
	var keys []string
	at := eventHeaderLen
	for i := 0; i < count; i++ {
		if len(event)-at < fieldHeaderLen {
			return nil, NewError(CodeCorrupt, "event: field header past the end")
		}
		tag := binary.LittleEndian.Uint16(event[at:])
		kind := binary.LittleEndian.Uint16(event[at+2:])
		n := uint64(binary.LittleEndian.Uint32(event[at+4:]))
		value := at + fieldHeaderLen
		end := uint64(value) + n
		if kind == fieldString {
			end++ // the NUL
		}
		if end > uint64(len(event)) {
			return nil, NewError(CodeCorrupt, "event: field %d runs past the end", tag)
		}
		if tag == tagRubricKey && kind == fieldString {
			keys = append(keys, string(event[value:value+int(n)]))
		}
		at = int(end)
	}
	return keys, nil
}
