package incident_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

// mapBackend is a store in Go maps: the smallest complete BlobBackend.
type mapBackend struct {
	mu       sync.Mutex
	events   map[string][][]byte
	blobs    map[string][]byte
	failNext error
	closed   bool
	panicky  bool
}

func newMapBackend() *mapBackend {
	return &mapBackend{events: map[string][][]byte{}, blobs: map[string][]byte{}}
}

// blobless hides a backend's blob methods: only Backend's are promoted.
type blobless struct{ incident.Backend }

func (m *mapBackend) Append(id string, expected uint64, records [][]byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.panicky {
		panic("backend bug")
	}
	if err := m.failNext; err != nil {
		m.failNext = nil
		return err
	}
	have := m.events[id]
	if uint64(len(have)) != expected {
		return incident.NewError(incident.CodeConflict, "have %d, expected %d", len(have), expected)
	}
	m.events[id] = append(have, records...)
	return nil
}

func (m *mapBackend) Read(id string, from uint64, fn func(uint64, []byte) error) error {
	m.mu.Lock()
	evs, ok := m.events[id]
	m.mu.Unlock()
	if !ok {
		return incident.NewError(incident.CodeNotFound, "no incident %s", id)
	}
	for i, data := range evs {
		if seq := uint64(i + 1); seq >= from {
			if err := fn(seq, data); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *mapBackend) List(fn func(string) error) error {
	m.mu.Lock()
	ids := make([]string, 0, len(m.events))
	for id := range m.events {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	for _, id := range ids {
		if err := fn(id); err != nil {
			return err
		}
	}
	return nil
}

func (m *mapBackend) PutBlob(key string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failNext; err != nil {
		m.failNext = nil
		return err
	}
	if _, ok := m.blobs[key]; !ok {
		m.blobs[key] = data
	}
	return nil
}

func (m *mapBackend) GetBlob(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.blobs[key]
	if !ok {
		return nil, incident.NewError(incident.CodeNotFound, "no blob %s", key)
	}
	return data, nil
}

func (m *mapBackend) Sync() error  { return nil }
func (m *mapBackend) Close() error { m.closed = true; return nil }

var t0 = time.Date(2026, 11, 23, 14, 12, 0, 0, time.UTC)

func fixedClock() time.Time { return t0 }

// declareWithNotes declares an incident on store with n notes.
func declareWithNotes(t *testing.T, store *incident.Store, n int) (string, []byte) {
	t.Helper()
	ctx, err := incident.NewSession(&incident.SessionOptions{Store: store, Clock: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	inc, err := ctx.Declare(incident.DeclareOptions{Title: "Cache stampede", Declarer: "alice", Severity: "Sev-3"})
	if err != nil {
		t.Fatal(err)
	}
	defer inc.Close()
	for i := 0; i < n; i++ {
		if err := inc.Note("bob", "note "+string(rune('0'+i))); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := inc.ExportJSON()
	if err != nil {
		t.Fatal(err)
	}
	return inc.ID(), doc
}

func TestMemoryStoreRaw(t *testing.T) {
	store, err := incident.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	id, _ := declareWithNotes(t, store, 2)
	ids, err := store.List()
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Fatalf("List = %v, %v", ids, err)
	}
	recs, err := store.Read(id, 1)
	if err != nil || len(recs) != 3 || recs[2].Seq != 3 {
		t.Fatalf("Read = %d records, %v", len(recs), err)
	}
	tail, _ := store.Read(id, 3)
	if len(tail) != 1 || !bytes.Equal(tail[0].Data, recs[2].Data) {
		t.Fatal("Read from 3")
	}
	copyStore, _ := incident.NewMemoryStore()
	defer copyStore.Close()
	var blobs [][]byte
	for _, r := range recs {
		blobs = append(blobs, r.Data)
		// A raw copy copies the blobs the events name first (RUB-4: the
		// declaration names its rubric by key).
		keys, err := incident.BlobKeys(r.Data)
		want := 0
		if r.Seq == 1 {
			want = 1 // the declaration
		}
		if err != nil || len(keys) != want {
			t.Fatalf("BlobKeys(event %d) = %v, %v", r.Seq, keys, err)
		}
		for _, key := range keys {
			data, err := store.GetBlob(key)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := copyStore.PutBlob(data); err != nil || got != key {
				t.Fatalf("PutBlob = %s, %v; want %s", got, err, key)
			}
		}
	}
	if err := copyStore.Append(id, 0, blobs); err != nil {
		t.Fatal(err)
	}
	if err := copyStore.Append(id, 1, blobs[1:2]); !errors.Is(err, incident.ErrConflict) {
		t.Fatalf("stale append: %v", err)
	}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: copyStore})
	defer ctx.Close()
	inc, err := ctx.Open(id)
	if err != nil || inc.LastSeq() != 3 {
		t.Fatalf("Open copy: %v", err)
	}
	if err := inc.Verify(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Read("2026-01-01-none", 1); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("Read unknown: %v", err)
	}
	if _, err := store.Read("Bad Id", 1); !errors.Is(err, incident.ErrInvalid) {
		t.Fatalf("Read bad id: %v", err)
	}
	if err := store.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.JournalStats(); !errors.Is(err, incident.ErrInvalid) {
		t.Fatalf("JournalStats on memory: %v", err)
	}
}

func TestJournalSummaryForMetrics(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "journal")
	store, err := incident.OpenJournal(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	declareWithNotes(t, store, 2)
	store.Close()
	for run, wantHits := range []uint64{0, 1} {
		store, err := incident.OpenJournal(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, err := incident.NewSession(&incident.SessionOptions{Store: store})
		if err != nil {
			t.Fatal(err)
		}
		if m, err := ctx.Metrics(incident.MetricsOptions{}); err != nil || m.IncidentCount != 1 {
			t.Fatalf("run %d: metrics %+v %v", run, m, err)
		}
		st, err := store.JournalStats()
		if err != nil || st.SummaryHits != wantHits || st.SummaryMisses != 1-wantHits ||
			st.SummaryWrites != 1-wantHits {
			t.Fatalf("run %d: stats %+v %v", run, st, err)
		}
		ctx.Close()
		store.Close()
	}
}

func TestJournal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "journal")
	if _, err := incident.OpenJournal(dir, &incident.JournalOptions{MustExist: true}); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("must exist: %v", err)
	}
	store, err := incident.OpenJournal(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, doc := declareWithNotes(t, store, 2)
	st, err := store.JournalStats()
	if err != nil || st.Appends != 3 || st.Events != 3 || st.PendingEvents != 0 || !store.IsJournal() {
		t.Fatalf("stats %+v %v", st, err)
	}
	if err := store.JournalVerify(id); err != nil {
		t.Fatal(err)
	}
	store.Close()

	ro, err := incident.OpenJournal(dir, &incident.JournalOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: ro})
	inc, err := ctx.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := inc.ExportJSON(); !bytes.Equal(got, doc) {
		t.Fatal("reopened export differs")
	}
	if err := inc.Note("bob", "late"); !errors.Is(err, incident.ErrReadOnly) {
		t.Fatalf("read-only note: %v", err)
	}
}

func TestJournalGroupSyncAndClock(t *testing.T) {
	var ticks int64
	clock := func() time.Time { ticks++; return t0.Add(time.Duration(ticks) * time.Millisecond) }
	store, err := incident.OpenJournal(filepath.Join(t.TempDir(), "j"), &incident.JournalOptions{
		Sync: incident.SyncGroup, GroupCount: 100, GroupMS: 60000, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	declareWithNotes(t, store, 3)
	if st, _ := store.JournalStats(); st.PendingEvents != 4 {
		t.Fatalf("pending %d", st.PendingEvents)
	}
	if err := store.Sync(); err != nil {
		t.Fatal(err)
	}
	if st, _ := store.JournalStats(); st.PendingEvents != 0 {
		t.Fatalf("pending after sync %d", st.PendingEvents)
	}
	if ticks == 0 {
		t.Fatal("the journal never read its clock")
	}
}

func journalFile(t *testing.T, dir, id string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, id+"*"))
	if len(matches) != 1 {
		t.Fatalf("files for %s: %v", id, matches)
	}
	return matches[0]
}

func TestJournalCorruptionAndRecovery(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "journal")
	store, _ := incident.OpenJournal(dir, nil)
	id, doc := declareWithNotes(t, store, 3)
	store.Close()
	path := journalFile(t, dir, id)

	// A torn tail: recovery cuts it and reports it.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte("\x40\x00\x00\x00half a record"))
	f.Close()
	var seen []incident.Recovery
	store, err := incident.OpenJournal(dir, &incident.JournalOptions{OnRecovery: func(r incident.Recovery) { seen = append(seen, r) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store})
	inc, err := ctx.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := inc.ExportJSON(); !bytes.Equal(got, doc) {
		t.Fatal("recovered export differs")
	}
	if len(seen) != 1 || seen[0].ID != id || seen[0].LastSeq != 4 || !seen[0].Cut || seen[0].Bytes == 0 {
		t.Fatalf("recovery reports %+v", seen)
	}
	if st, _ := store.JournalStats(); st.Recoveries != 1 || st.LastRecoveryID != id {
		t.Fatalf("stats %+v", st)
	}
	// TL-4: the tail is set aside in a quarantine file, never deleted.
	if q, err := os.ReadFile(seen[0].Quarantine); err != nil || string(q) != "\x40\x00\x00\x00half a record" || !strings.Contains(seen[0].Why, "judged a torn write") {
		t.Fatalf("quarantine %q (%v), why %q", q, err, seen[0].Why)
	}
	if files, err := store.JournalQuarantine(id); err != nil || len(files) != 1 || files[0].File != seen[0].Quarantine || files[0].Offset != seen[0].Offset || files[0].Bytes != seen[0].Bytes {
		t.Fatalf("quarantine files %+v (%v)", files, err)
	}
	store.Close()

	// A flipped byte inside event 3: verify names it.
	data, _ := os.ReadFile(path)
	at := bytes.Index(data, []byte("note 1"))
	data[at] ^= 1
	os.WriteFile(path, data, 0o600)
	ro, _ := incident.OpenJournal(dir, &incident.JournalOptions{ReadOnly: true})
	defer ro.Close()
	err = ro.JournalVerify(id)
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != incident.CodeCorrupt || e.BadSeq != 3 || !strings.Contains(e.Message, id) {
		t.Fatalf("verify: %#v", err)
	}
}

func TestJournalOpenErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "stranger.txt"), []byte("x"), 0o600)
	_, err := incident.OpenJournal(dir, nil)
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != incident.CodeInvalid || e.Message == "" {
		t.Fatalf("non-journal dir: %v", err)
	}
}

func TestGoBackend(t *testing.T) {
	b := newMapBackend()
	store, err := incident.NewStore(b)
	if err != nil {
		t.Fatal(err)
	}
	if store.Backend() != b {
		t.Fatal("Backend()")
	}
	id, doc := declareWithNotes(t, store, 2)
	if len(b.events[id]) != 3 {
		t.Fatalf("backend holds %d events", len(b.events[id]))
	}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store})
	inc, err := ctx.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := inc.ExportJSON(); !bytes.Equal(got, doc) {
		t.Fatal("export differs")
	}
	if ids, _ := store.List(); len(ids) != 1 {
		t.Fatalf("List %v", ids)
	}
	if recs, _ := store.Read(id, 2); len(recs) != 2 {
		t.Fatalf("Read %d", len(recs))
	}

	// A status code from the backend keeps its code and message.
	b.failNext = incident.NewError(incident.CodeLocked, "table locked by a backup")
	err = inc.Note("bob", "x")
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != incident.CodeLocked || e.Message != "table locked by a backup" {
		t.Fatalf("locked: %v", err)
	}
	// Any other error is CodeIO, and the original is reachable.
	b.failNext = &os.PathError{Op: "write", Path: "/db", Err: syscall.ENOSPC}
	err = inc.Note("bob", "x")
	if !errors.Is(err, incident.ErrIO) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("io: %v", err)
	}
	// A panic becomes an error, not a crash.
	b.panicky = true
	if err := inc.Note("bob", "x"); !errors.Is(err, incident.ErrIO) || !strings.Contains(err.Error(), "backend bug") {
		t.Fatalf("panic: %v", err)
	}
	b.panicky = false
	// Another writer behind our back: a conflict, then Reload fixes it.
	b.events[id] = append(b.events[id], b.events[id][2])
	if err := inc.Note("bob", "x"); !errors.Is(err, incident.ErrConflict) {
		t.Fatalf("conflict: %v", err)
	}
	if inc.LastSeq() != 3 {
		t.Fatal("a failed call changed the incident")
	}
	store.Close()
	if !b.closed {
		t.Fatal("backend not closed")
	}
	if _, err := incident.NewStore(nil); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("nil backend")
	}
}

func TestCallbacksSurviveGC(t *testing.T) {
	store, _ := incident.NewStore(newMapBackend())
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store, Clock: fixedClock})
	defer ctx.Close()
	store = nil
	runtime.GC()
	runtime.GC()
	inc, err := ctx.Declare(incident.DeclareOptions{Title: "Kept alive", Declarer: "alice", Severity: "Sev-3"})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	if err := inc.Note("bob", "still here"); err != nil {
		t.Fatal(err)
	}
	if !inc.DeclaredAt().Equal(t0) {
		t.Fatal("clock")
	}
}

func TestOwnership(t *testing.T) {
	store, _ := incident.NewMemoryStore()
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store})
	a, _ := ctx.Declare(incident.DeclareOptions{Title: "a", Declarer: "alice", Severity: "Sev-3"})
	b, _ := ctx.Open(a.ID())
	ctx2, _ := incident.NewSession(&incident.SessionOptions{Store: store})
	c, _ := ctx2.Open(a.ID())

	if err := b.Close(); err != nil || b.Close() != nil {
		t.Fatal("double close")
	}
	if err := b.Note("x", "y"); !errors.Is(err, incident.ErrInvalid) || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("closed incident: %v", err)
	}
	if err := b.Note("x", "y"); !errors.Is(err, incident.ErrClosed) {
		t.Fatalf("closed incident is not ErrClosed: %v", err)
	}
	ctx.Close()
	if a.ID() != "" || a.Note("x", "y") == nil {
		t.Fatal("closing the context did not close its incident")
	}
	store.Close() // closes ctx2 and c
	if err := c.Note("x", "y"); !errors.Is(err, incident.ErrInvalid) {
		t.Fatalf("after store close: %v", err)
	}
	if _, err := ctx2.Declare(incident.DeclareOptions{Title: "t", Declarer: "a", Severity: "Sev-3"}); err == nil {
		t.Fatal("closed context declared")
	}
	if _, err := incident.NewSession(&incident.SessionOptions{Store: store}); !errors.Is(err, incident.ErrInvalid) {
		t.Fatalf("closed store: %v", err)
	}
	if _, err := store.List(); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("closed store List")
	}
	if _, err := store.List(); !errors.Is(err, incident.ErrClosed) {
		t.Fatal("closed store List is not ErrClosed")
	}
	if _, err := ctx2.Open(a.ID()); !errors.Is(err, incident.ErrClosed) {
		t.Fatalf("closed session Open: %v", err)
	}
}

func TestContextOwnStoreView(t *testing.T) {
	ctx, _ := incident.NewSession(nil)
	inc, _ := ctx.Declare(incident.DeclareOptions{Title: "own", Declarer: "alice", Severity: "Sev-4"})
	inc.Close()
	view := ctx.Store()
	view.Close() // does nothing: the context owns its store
	ids, err := view.List()
	if err != nil || len(ids) != 1 {
		t.Fatalf("view List %v %v", ids, err)
	}
	ctx.Close()
	if _, err := view.List(); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("view outlived its context")
	}
}

func TestFinalizersFreeForgottenHandles(t *testing.T) {
	// Nothing to assert but that forgotten handles are collected without
	// a crash (run under the race detector or valgrind for more).
	for i := 0; i < 50; i++ {
		ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: fixedClock})
		ctx.Declare(incident.DeclareOptions{Title: "forgotten", Declarer: "alice", Severity: "Sev-4"})
		r, _ := incident.PresetRubric(incident.PresetDefault)
		_ = r
	}
	runtime.GC()
	runtime.GC()
}

func TestConcurrentUse(t *testing.T) {
	store, _ := incident.NewMemoryStore()
	defer store.Close()
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store})
	defer ctx.Close()
	first, _ := ctx.Declare(incident.DeclareOptions{Title: "busy", Declarer: "alice", Severity: "Sev-3"})
	id := first.ID()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, _ := incident.NewSession(&incident.SessionOptions{Store: store})
			defer c.Close()
			inc, err := c.Open(id)
			if err != nil {
				t.Error(err)
				return
			}
			for i := 0; i < 10; i++ {
				err := inc.Retry(testContext(t), func(inc *incident.Incident) error {
					return inc.Note("worker", "tick")
				})
				if err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	first.Reload()
	if n := first.EventCount(); n != 41 {
		t.Fatalf("%d events, want 41", n)
	}
	ids, _ := store.List()
	sort.Strings(ids)
	if len(ids) != 1 {
		t.Fatal(ids)
	}
}

func TestVerifyFindsTamperedEvent(t *testing.T) {
	b := newMapBackend()
	store, _ := incident.NewStore(b)
	defer store.Close()
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store})
	inc, _ := ctx.Declare(incident.DeclareOptions{Title: "Tamper", Declarer: "alice", Severity: "Sev-3"})
	inc.Note("bob", "original text")
	inc.Note("bob", "later")
	if err := inc.Verify(); err != nil {
		t.Fatal(err)
	}
	evs := b.events[inc.ID()]
	evs[1] = bytes.Replace(evs[1], []byte("original"), []byte("ORIGINAL"), 1)
	err := inc.Verify()
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != incident.CodeCorrupt || e.BadSeq != 3 {
		t.Fatalf("%#v", err)
	}
}

func TestScanAndWaitOverMemory(t *testing.T) {
	s, err := incident.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Append("a-1", 0, [][]byte{[]byte("x"), []byte("y")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Append("b-2", 0, [][]byte{{0, 'z'}}); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Scan()
	if err != nil || len(recs) != 3 {
		t.Fatalf("scan: %v %v", recs, err)
	}
	for _, r := range recs {
		if r.ID == "b-2" && (r.Seq != 1 || string(r.Data) != "\x00z") {
			t.Fatalf("scan: %+v", r)
		}
	}
	changed, err := s.Wait(time.Millisecond)
	if err != nil || !changed {
		t.Fatalf("wait over memory: %v %v", changed, err)
	}
}

func TestOpenPostgreSQLServerAbsent(t *testing.T) {
	_, err := incident.OpenPostgreSQL("host=/nonexistent-dir dbname=inc user=inc password=Secret-123 connect_timeout=2", false)
	var e *incident.Error
	if !errors.As(err, &e) {
		t.Fatalf("want an *Error, got %v", err)
	}
	if e.Code != incident.CodeIO && e.Code != incident.CodeUnsupported {
		t.Fatalf("code %v: %v", e.Code, err)
	}
	t.Logf("%v", err)
	if strings.Contains(err.Error(), "Secret-123") {
		t.Fatalf("the password is in the message: %v", err)
	}
}
