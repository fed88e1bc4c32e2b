package incident

// TL-5, a sealed record (incident/seal.h, lib/docs/sealing.md): checkpoints
// of an incident's head, and forward-secure sealing of a store.

// #include <stdlib.h>
// #include <string.h>
// #include "shim.h"
import "C"

import (
	"errors"
	"runtime/cgo"
	"time"
	"unsafe"
)

// Checkpoint is the head of a timeline: an event's sequence number and the
// SHA-256 of its bytes, which commits to every event before it
// (inc_checkpoint). Its text form is "SEQ:HASH" (String, ParseCheckpoint).
type Checkpoint struct {
	Seq  uint64
	Hash [32]byte
}

func (cp Checkpoint) c() C.inc_checkpoint {
	var out C.inc_checkpoint
	out.seq = C.uint64_t(cp.Seq)
	for i, b := range cp.Hash {
		out.hash[i] = C.uint8_t(b)
	}
	return out
}

func checkpointOf(c *C.inc_checkpoint) Checkpoint {
	cp := Checkpoint{Seq: uint64(c.seq)}
	for i := range cp.Hash {
		cp.Hash[i] = byte(c.hash[i])
	}
	return cp
}

// String writes the checkpoint as "SEQ:HASH" (inc_checkpoint_format); ""
// for sequence number 0.
func (cp Checkpoint) String() string {
	c := cp.c()
	var buf [C.INC_CHECKPOINT_TEXT_MAX]C.char
	if C.inc_checkpoint_format(&c, &buf[0], C.size_t(len(buf))) != 0 {
		return ""
	}
	return C.GoString(&buf[0])
}

// ParseCheckpoint reads "SEQ:HASH" (inc_checkpoint_parse); ErrParse for
// anything else.
func ParseCheckpoint(text string) (Checkpoint, error) {
	ct := C.CString(text)
	defer free(ct)
	var c C.inc_checkpoint
	if rc := C.inc_checkpoint_parse(ct, &c); rc != 0 {
		return Checkpoint{}, newError(rc, "checkpoint: '"+text+"' is not SEQ:HASH")
	}
	return checkpointOf(&c), nil
}

// Head is the checkpoint of the incident's last event (inc_incident_head).
func (inc *Incident) Head() (Checkpoint, error) {
	var c C.inc_checkpoint
	if err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_head(p, &c) }); err != nil {
		return Checkpoint{}, err
	}
	return checkpointOf(&c), nil
}

// VerifyHead proves that events 1..cp.Seq are unchanged since the checkpoint
// was taken (inc_incident_verify_head): ErrCorrupt with BadSeq set when they
// differ, ErrNotFound when the incident holds fewer events.
func (inc *Incident) VerifyHead(cp Checkpoint) error {
	c := cp.c()
	var bad C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_verify_head(p, &c, &bad) })
	var e *Error
	if errors.As(err, &e) {
		e.BadSeq = uint64(bad)
	}
	return err
}

// VerifyHead is Incident.VerifyHead for an incident that is not open
// (inc_store_verify_head).
func (s *Store) VerifyHead(id string, cp Checkpoint) error {
	p, err := s.lock()
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	cid := C.CString(id)
	defer free(cid)
	c := cp.c()
	var bad C.uint64_t
	if rc := C.inc_store_verify_head(p, cid, &c, &bad); rc != 0 {
		e := s.fail(rc, C.GoString(C.inc_store_errmsg(p))).(*Error)
		e.BadSeq = uint64(bad)
		return e
	}
	return nil
}

// SealKeyFormat writes a sealing or verification key as 64 hex digits
// (inc_seal_key_format).
func SealKeyFormat(key [32]byte) string {
	var buf [C.INC_SEAL_KEY_TEXT_MAX]C.char
	C.inc_seal_key_format((*C.uint8_t)(unsafe.Pointer(&key[0])), &buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0])
}

// SealKeyParse reads a key written by SealKeyFormat (inc_seal_key_parse).
func SealKeyParse(text string) ([32]byte, error) {
	var key [32]byte
	ct := C.CString(text)
	defer free(ct)
	if rc := C.inc_seal_key_parse(ct, (*C.uint8_t)(unsafe.Pointer(&key[0]))); rc != 0 {
		return key, newError(rc, "key: not 64 hex digits")
	}
	return key, nil
}

// SealSetup creates the key file and the seal log and returns the
// verification key, which is stored nowhere (inc_seal_setup).
func (c *Session) SealSetup(keyPath, logPath string) ([32]byte, error) {
	var key [32]byte
	ck, cl := C.CString(keyPath), C.CString(logPath)
	defer free(ck)
	defer free(cl)
	err := c.do(func(p *C.inc_context) C.int {
		return C.inc_seal_setup(p, ck, cl, (*C.uint8_t)(unsafe.Pointer(&key[0])))
	})
	return key, err
}

// SealResult is what Seal did (inc_seal_result).
type SealResult struct {
	Epoch     uint64 // the epoch sealed
	Incidents int    // incidents whose heads the seal holds
	Events    uint64 // events those heads cover
}

// Seal seals every incident's head under the current epoch's key, then
// evolves the key and erases the old one (inc_seal).
func (c *Session) Seal(keyPath, logPath string) (SealResult, error) {
	var r C.inc_seal_result
	ck, cl := C.CString(keyPath), C.CString(logPath)
	defer free(ck)
	defer free(cl)
	err := c.do(func(p *C.inc_context) C.int { return C.inc_seal(p, ck, cl, &r) })
	return SealResult{Epoch: uint64(r.epoch), Incidents: int(r.incidents), Events: uint64(r.events)}, err
}

// SealReport is one incident as SealVerify finds it (inc_seal_report).
type SealReport struct {
	ID          string
	SealedSeq   uint64 // last sealed event (0: never sealed)
	SealedEpoch uint64 // first epoch whose seal holds SealedSeq
	LastSeq     uint64 // last event in the store (0: missing)
	Unsealed    uint64 // events after the last seal
	OK          bool   // false: a sealed head differs
	BadSeq      uint64 // with !OK: the first sealed event that differs
	BadEpoch    uint64 // with !OK: the seal it differs from
}

// SealSummary is the seal log as a whole (inc_seal_summary).
type SealSummary struct {
	Seals        uint64
	LastSealedAt time.Time // zero when there is no seal
	KeyEpoch     uint64    // 0 when the key file was not checked
	Incidents    int
	Mismatches   int
	Unsealed     uint64
	TornBytes    uint64
}

//export incGoSealReport
func incGoSealReport(h C.uintptr_t, r *C.inc_seal_report) {
	reps := cgo.Handle(h).Value().(*[]SealReport)
	*reps = append(*reps, SealReport{
		ID: C.GoString(r.id), SealedSeq: uint64(r.sealed_seq), SealedEpoch: uint64(r.sealed_epoch),
		LastSeq: uint64(r.last_seq), Unsealed: uint64(r.unsealed), OK: r.status == 0,
		BadSeq: uint64(r.bad_seq), BadEpoch: uint64(r.bad_epoch),
	})
}

// SealVerify checks every seal with the verification key, the key file
// (keyPath; "" not to check it) and every sealed head against the store
// (inc_seal_verify). The reports and the summary are returned also when the
// error is ErrCorrupt (a mismatch); ErrPermission means a wrong verification key.
func (c *Session) SealVerify(keyPath, logPath string, key [32]byte) ([]SealReport, SealSummary, error) {
	var reps []SealReport
	var s C.inc_seal_summary
	h := cgo.NewHandle(&reps)
	defer h.Delete()
	var ck *C.char
	if keyPath != "" {
		ck = C.CString(keyPath)
		defer free(ck)
	}
	cl := C.CString(logPath)
	defer free(cl)
	err := c.do(func(p *C.inc_context) C.int {
		return C.inc_seal_verify(p, ck, cl, (*C.uint8_t)(unsafe.Pointer(&key[0])),
			C.inc_go_seal_report_fn(), C.inc_go_handle_ptr(C.uintptr_t(h)), &s)
	})
	sum := SealSummary{Seals: uint64(s.seals), KeyEpoch: uint64(s.key_epoch),
		Incidents: int(s.incidents), Mismatches: int(s.mismatches), Unsealed: uint64(s.unsealed),
		TornBytes: uint64(s.torn_bytes)}
	if s.seals > 0 {
		sum.LastSealedAt = toTime(s.last_sealed_at)
	}
	return reps, sum, err
}
