package incident

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"errors"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// Store holds incident timelines: NewMemoryStore, OpenJournal, or NewStore
// over a Backend written in Go. Give it to NewSession. A Store and every
// Session on it share one mutex, so they are safe for concurrent use.
// Closing a store first closes the sessions using it (and their incidents).
type Store struct {
	mu       *sync.Mutex
	p        *C.inc_store
	borrowed bool // a session's own memory store: the session frees it
	journal  bool
	bridge   *backendBridge
	handles  []cgo.Handle // journal callbacks, deleted after the store is freed
	contexts map[*ctxState]struct{}
}

// Record is one raw event of a timeline as a store holds it.
type Record struct {
	Seq  uint64
	Data []byte
}

// Backend is a store written in Go (incident/sys/store.h). The contract:
// events of an incident are numbered 1, 2, 3, ...; Append stores all
// records, numbered expectedSeq+1 onward, if and only if the incident's last
// stored number is expectedSeq (0: it does not exist yet), else it returns
// ErrConflict (or NewError(CodeConflict, ...)) and stores nothing. Read
// calls fn for each event from fromSeq on, in order, returns ErrNotFound
// for an unknown incident, and must stop and return fn's error if fn
// returns one. List calls fn once per incident id. Close is called once,
// when the store is freed.
//
// Return an *Error to report a status code; any other error is reported
// to the library as CodeIO and wrapped (errors.Is / errors.As reach it) in
// the *Error the failing call returns. Methods are called with the store's
// mutex held: they must not call back into this package on the same store.
//
// A Backend that also implements BlobBackend keeps blobs (version 3: the
// rubric recorded once per store, RUB-4); any other carries each rubric's
// text in its declarations.
type Backend interface {
	Append(id string, expectedSeq uint64, records [][]byte) error
	Read(id string, fromSeq uint64, fn func(seq uint64, data []byte) error) error
	List(fn func(id string) error) error
	Sync() error
	Close() error
}

// backendBridge is what the C side of a Go backend reaches through its
// cgo.Handle: the backend and the last Go error it returned.
type backendBridge struct {
	backend Backend
	pending error
	handle  cgo.Handle
	closed  bool
}

func newStore(p *C.inc_store, mu *sync.Mutex) *Store {
	if mu == nil {
		mu = new(sync.Mutex)
	}
	s := &Store{mu: mu, p: p, contexts: map[*ctxState]struct{}{}}
	runtime.SetFinalizer(s, (*Store).Close)
	return s
}

// NewMemoryStore makes an empty store in memory (inc_store_memory_new).
func NewMemoryStore() (*Store, error) {
	var p *C.inc_store
	if rc := C.inc_store_memory_new(nil, &p); rc != 0 {
		return nil, newError(rc, "")
	}
	return newStore(p, nil), nil
}

// NewStore makes a store over a Backend written in Go (inc_store_new).
func NewStore(b Backend) (*Store, error) {
	if b == nil {
		return nil, &Error{Code: CodeInvalid, Name: CodeInvalid.String(), Message: "backend: nil"}
	}
	bridge := &backendBridge{backend: b}
	bridge.handle = cgo.NewHandle(bridge)
	_, blobs := b.(BlobBackend)
	vt := C.inc_go_backend_new(C.uintptr_t(bridge.handle), cbool(blobs))
	if vt == nil {
		bridge.handle.Delete()
		return nil, ErrNoMemory
	}
	var p *C.inc_store
	if rc := C.inc_store_new(vt, nil, &p); rc != 0 {
		C.free(unsafe.Pointer(vt)) // still ours on failure
		bridge.handle.Delete()
		return nil, newError(rc, "")
	}
	s := newStore(p, nil)
	s.bridge = bridge
	return s, nil
}

// Recovery is what journal recovery cut from one incident file after a
// crash (inc_journal_recovery).
type Recovery struct {
	ID         string
	File       string
	Offset     uint64 // where the valid prefix ends
	Bytes      uint64 // bytes set aside after it (RULES TL-4: never deleted)
	LastSeq    uint64 // last event kept
	Cut        bool   // false for a read-only handle, which only ignores the tail
	Quarantine string // the quarantine file now holding the bytes (when Cut)
	Why        string // why the bytes were judged a torn write
}

// JournalOptions are the options of OpenJournal (inc_journal_options).
type JournalOptions struct {
	Sync       SyncPolicy
	GroupCount uint // SyncGroup: sync after this many appends (0 = 64)
	GroupMS    uint // SyncGroup: sync when the oldest pending append is this old (0 = 1000)
	ReadOnly   bool
	MustExist  bool
	// AllowShared opens a directory writable by its group or others, or
	// owned by another user; without it such a store is refused (ErrPermission).
	AllowShared bool
	// Clock drives the group time bound; nil for the system clock.
	Clock func() time.Time
	// OnRecovery is called for each torn tail found after a crash.
	OnRecovery func(Recovery)
}

// OpenJournal opens (or creates) a journal directory (inc_store_journal_open).
func OpenJournal(dir string, opts *JournalOptions) (*Store, error) {
	return OpenJournalContext(context.Background(), dir, opts)
}

// OpenJournalContext is OpenJournal that does not start once ctx is done.
func OpenJournalContext(ctx context.Context, dir string, opts *JournalOptions) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var o C.inc_journal_options
	if rc := C.inc_journal_options_init(&o, C.INC_JOURNAL_OPTIONS_VERSION); rc != 0 {
		return nil, newError(rc, "")
	}
	var handles []cgo.Handle
	if opts != nil {
		o.sync = C.inc_sync_policy(opts.Sync)
		o.group_count = C.unsigned(opts.GroupCount)
		o.group_ms = C.unsigned(opts.GroupMS)
		o.read_only = cbool(opts.ReadOnly)
		o.must_exist = cbool(opts.MustExist)
		o.allow_shared = cbool(opts.AllowShared)
		if opts.Clock != nil {
			h := cgo.NewHandle(opts.Clock)
			handles = append(handles, h)
			o.clock = C.inc_go_clock_fn()
			o.clock_user = C.inc_go_handle_ptr(C.uintptr_t(h))
		}
		if opts.OnRecovery != nil {
			h := cgo.NewHandle(opts.OnRecovery)
			handles = append(handles, h)
			o.on_recovery = C.inc_go_recovery_fn()
			o.recovery_user = C.inc_go_handle_ptr(C.uintptr_t(h))
		}
	}
	// The diagnostic lives in C memory: the options struct (Go memory)
	// may hold C pointers but not Go ones.
	diag := (*C.inc_diag)(C.calloc(1, C.size_t(unsafe.Sizeof(C.inc_diag{}))))
	defer C.free(unsafe.Pointer(diag))
	o.diag = diag
	cdir := C.CString(dir)
	defer free(cdir)
	var p *C.inc_store
	if rc := C.inc_store_journal_open(cdir, &o, &p); rc != 0 {
		for _, h := range handles {
			h.Delete()
		}
		return nil, newError(rc, C.GoString(&diag.message[0]))
	}
	s := newStore(p, nil)
	s.journal = true
	s.handles = handles
	return s, nil
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// Close closes every session using the store, then frees it
// (inc_store_free). It is safe to call twice.
func (s *Store) Close() error {
	if s.borrowed {
		return nil // the session's own store: the session frees it
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p == nil {
		return nil
	}
	for st := range s.contexts {
		st.close()
	}
	s.contexts = nil
	C.inc_store_free(s.p) // a Go backend's Close runs here
	for _, h := range s.handles {
		h.Delete()
	}
	s.handles = nil
	s.p = nil
	runtime.SetFinalizer(s, nil)
	return nil
}

// IsJournal reports whether the store is a journal.
func (s *Store) IsJournal() bool { return s.journal }

// Backend returns the Go backend of a store made by NewStore, else nil.
func (s *Store) Backend() Backend {
	if s.bridge == nil {
		return nil
	}
	return s.bridge.backend
}

// fail builds the error of a failed call: the store's message, and the Go
// error a backend returned, if any.
func (s *Store) fail(rc C.int, message string) error {
	err := newError(rc, message).(*Error)
	if s != nil && s.bridge != nil && s.bridge.pending != nil {
		err.Err, s.bridge.pending = s.bridge.pending, nil
	}
	return err
}

func (s *Store) lock() (*C.inc_store, error) {
	return s.lockCtx(context.Background())
}

func (s *Store) lockCtx(ctx context.Context) (*C.inc_store, error) {
	if err := lockMutex(ctx, s.mu); err != nil {
		return nil, err
	}
	if s.p == nil {
		s.mu.Unlock()
		return nil, errClosed("store")
	}
	return s.p, nil
}

func (s *Store) check(rc C.int) error {
	if rc >= 0 {
		return nil
	}
	return s.fail(rc, C.GoString(C.inc_store_errmsg(s.p)))
}

// List returns every incident id in the store (inc_store_list).
func (s *Store) List() ([]string, error) {
	return s.ListContext(context.Background())
}

// ListContext is List that does not start once ctx is done.
func (s *Store) ListContext(ctx context.Context) ([]string, error) {
	p, err := s.lockCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var ids []string
	h := cgo.NewHandle(&ids)
	defer h.Delete()
	return ids, s.check(C.inc_store_list(p, C.inc_go_id_cb(), C.inc_go_handle_ptr(C.uintptr_t(h))))
}

// Sync makes everything appended durable (inc_store_sync).
func (s *Store) Sync() error {
	return s.SyncContext(context.Background())
}

// SyncContext is Sync that does not start once ctx is done.
func (s *Store) SyncContext(ctx context.Context) error {
	p, err := s.lockCtx(ctx)
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	return s.check(C.inc_store_sync(p))
}

// Append appends raw event bytes at expectedSeq (inc_store_append), for
// tools that copy timelines; ErrConflict if another writer was first.
func (s *Store) Append(id string, expectedSeq uint64, records [][]byte) error {
	return s.AppendContext(context.Background(), id, expectedSeq, records)
}

// AppendContext is Append that does not start once ctx is done.
func (s *Store) AppendContext(ctx context.Context, id string, expectedSeq uint64, records [][]byte) error {
	p, err := s.lockCtx(ctx)
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	n := len(records)
	// The array and the bytes go to C memory: C may not be handed Go
	// memory that holds Go pointers.
	arr := (*C.inc_store_record)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(C.inc_store_record{}))))
	defer C.free(unsafe.Pointer(arr))
	recs := unsafe.Slice(arr, n+1)
	for i, r := range records {
		recs[i].data = C.CBytes(r)
		recs[i].len = C.size_t(len(r))
		defer C.free(recs[i].data)
	}
	cid := C.CString(id)
	defer free(cid)
	return s.check(C.inc_store_append(p, cid, C.uint64_t(expectedSeq), arr, C.size_t(n)))
}

// Read returns the raw events of an incident from fromSeq on (inc_store_read).
func (s *Store) Read(id string, fromSeq uint64) ([]Record, error) {
	return s.ReadContext(context.Background(), id, fromSeq)
}

// ReadContext is Read that does not start once ctx is done.
func (s *Store) ReadContext(ctx context.Context, id string, fromSeq uint64) ([]Record, error) {
	p, err := s.lockCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var recs []Record
	h := cgo.NewHandle(&recs)
	defer h.Delete()
	cid := C.CString(id)
	defer free(cid)
	rc := C.inc_store_read(p, cid, C.uint64_t(fromSeq), C.inc_go_event_cb(), C.inc_go_handle_ptr(C.uintptr_t(h)))
	return recs, s.check(rc)
}

// ScanRecord is one event of Scan: its incident and the record.
type ScanRecord struct {
	ID string
	Record
}

// Scan returns every event of every incident in one pass (inc_store_scan),
// each incident's events together and in order; over PostgreSQL it is one
// query.
func (s *Store) Scan() ([]ScanRecord, error) {
	p, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var recs []ScanRecord
	h := cgo.NewHandle(&recs)
	defer h.Delete()
	rc := C.inc_store_scan(p, C.inc_go_scan_cb(), C.inc_go_handle_ptr(C.uintptr_t(h)))
	return recs, s.check(rc)
}

// Wait blocks until another writer may have appended to the store, or
// timeout passed (inc_store_wait): true for "may have changed". Over
// PostgreSQL a notification wakes it; other stores sleep the timeout and
// report true. The store's mutex is held meanwhile.
func (s *Store) Wait(timeout time.Duration) (bool, error) {
	p, err := s.lock()
	if err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	rc := C.inc_store_wait(p, C.int64_t(timeout/time.Millisecond))
	if rc < 0 {
		return false, s.check(rc)
	}
	return rc == 1, nil
}

// OpenPostgreSQL opens (and on first use creates) a store in a PostgreSQL
// database (inc_pg_store_open of libincident-pg, loaded when first needed:
// CodeUnsupported when it is not installed). conninfo is a libpq connection
// string or a postgresql:// URI; its password never appears in an error.
func OpenPostgreSQL(conninfo string, noMigrate bool) (*Store, error) {
	c := C.CString(conninfo)
	defer free(c)
	var msg [256]C.char
	var out *C.inc_store
	nm := C.int(0)
	if noMigrate {
		nm = 1
	}
	if rc := C.inc_go_pg_open(c, nm, &out, &msg[0], C.size_t(len(msg))); rc != 0 {
		return nil, newError(rc, C.GoString(&msg[0]))
	}
	return newStore(out, nil), nil
}

// JournalVerify checks one incident's journal file end to end
// (inc_journal_verify); a failure is an *Error with BadSeq set.
func (s *Store) JournalVerify(id string) error {
	p, err := s.lock()
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	cid := C.CString(id)
	defer free(cid)
	var bad C.uint64_t
	if rc := C.inc_journal_verify(p, cid, &bad); rc != 0 {
		e := s.fail(rc, C.GoString(C.inc_store_errmsg(p))).(*Error)
		e.BadSeq = uint64(bad)
		return e
	}
	return nil
}

// Quarantine is one quarantine file of a journal (inc_journal_quarantine):
// bytes recovery set aside, never deleted (RULES TL-4).
type Quarantine struct {
	ID     string // the incident whose file the bytes came from
	File   string // path of the quarantine file (<id>.jnl.quarantine-<offset>[.<n>])
	Offset uint64 // offset the bytes had in the incident's file (0: the whole file)
	Bytes  uint64 // size of the quarantine file
}

// JournalQuarantine lists the quarantine files of incident id, or of every
// incident when id is "" (inc_journal_quarantine_list).
func (s *Store) JournalQuarantine(id string) ([]Quarantine, error) {
	p, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var cid *C.char
	if id != "" {
		cid = C.CString(id)
		defer free(cid)
	}
	var files []Quarantine
	h := cgo.NewHandle(&files)
	defer h.Delete()
	rc := C.inc_journal_quarantine_list(p, cid, C.inc_go_quarantine_fn(), C.inc_go_handle_ptr(C.uintptr_t(h)))
	if rc != 0 {
		return nil, s.fail(rc, C.GoString(C.inc_store_errmsg(p)))
	}
	return files, nil
}

// JournalStats are the counters of a journal handle (inc_journal_stats).
type JournalStats struct {
	Appends        uint64
	Events         uint64
	Syncs          uint64
	PendingEvents  uint64
	Recoveries     uint64
	BytesDropped   uint64
	LastRecoveryID string
	// Store-wide reads (metrics, the action list): incidents taken from the
	// journal's SUMMARY file, incidents read, and rewrites of that file.
	SummaryHits   uint64
	SummaryMisses uint64
	SummaryWrites uint64
}

// JournalStats reads the counters of a journal handle (inc_journal_get_stats).
func (s *Store) JournalStats() (JournalStats, error) {
	p, err := s.lock()
	if err != nil {
		return JournalStats{}, err
	}
	defer s.mu.Unlock()
	var st C.inc_journal_stats
	st.version = C.INC_JOURNAL_STATS_VERSION
	if rc := C.inc_journal_get_stats(p, &st); rc != 0 {
		return JournalStats{}, newError(rc, "journal stats: not a journal store")
	}
	return JournalStats{
		Appends: uint64(st.appends), Events: uint64(st.events), Syncs: uint64(st.syncs),
		PendingEvents: uint64(st.pending_events), Recoveries: uint64(st.recoveries),
		BytesDropped: uint64(st.bytes_dropped), LastRecoveryID: C.GoString(&st.last_recovery_id[0]),
		SummaryHits: uint64(st.summary_hits), SummaryMisses: uint64(st.summary_misses),
		SummaryWrites: uint64(st.summary_writes),
	}, nil
}

// stopError carries the non-zero return of a C callback through a
// Backend's Read or List, which must return it unchanged.
type stopError struct{ rc C.int }

func (e stopError) Error() string { return "stopped by the library" }

func isStop(err error) (C.int, bool) {
	var s stopError
	if errors.As(err, &s) {
		return s.rc, true
	}
	return 0, false
}
