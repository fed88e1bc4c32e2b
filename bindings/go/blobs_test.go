package incident_test

// Blobs (store backend version 3, RUB-4): the rubric recorded once per
// store. Put and get through every kind of store, Go backends with and
// without blob methods, a changed blob caught, and raw copies that carry
// the blobs their declarations name.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	incident "libincident.dev/incident"
)

const (
	emptyKey    = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	allBytesKey = "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880"
)

func rubricsOf(t *testing.T, doc []byte) map[string]string {
	t.Helper()
	var d struct {
		Rubrics map[string]string `json:"rubrics"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	return d.Rubrics
}

func openIncident(t *testing.T, store *incident.Store, id string) (*incident.Incident, error) {
	t.Helper()
	ctx, err := incident.NewSession(&incident.SessionOptions{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	return ctx.Open(id)
}

func blobStores(t *testing.T) map[string]*incident.Store {
	t.Helper()
	mem, _ := incident.NewMemoryStore()
	journal, err := incident.OpenJournal(filepath.Join(t.TempDir(), "journal"), nil)
	if err != nil {
		t.Fatal(err)
	}
	gostore, _ := incident.NewStore(newMapBackend())
	stores := map[string]*incident.Store{"memory": mem, "journal": journal, "go backend": gostore}
	t.Cleanup(func() {
		for _, s := range stores {
			s.Close()
		}
	})
	return stores
}

func TestBlobPutGetRoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for name, store := range blobStores(t) {
		for _, c := range []struct {
			data []byte
			key  string
		}{{all, allBytesKey}, {all, allBytesKey}, {nil, emptyKey}} {
			key, err := store.PutBlob(c.data)
			if err != nil || key != c.key {
				t.Fatalf("%s: PutBlob = %s, %v; want %s", name, key, err, c.key)
			}
			got, err := store.GetBlob(key)
			if err != nil || !bytes.Equal(got, c.data) {
				t.Fatalf("%s: GetBlob(%s) = %d bytes, %v", name, key, len(got), err)
			}
		}
		if ids, _ := store.List(); len(ids) != 0 {
			t.Errorf("%s: a blob listed as an incident: %v", name, ids)
		}
	}
	mem, _ := incident.NewMemoryStore()
	defer mem.Close()
	data := []byte("Sev-1 \u2014 customer facing\n")
	sum := sha256.Sum256(data)
	if key, _ := mem.PutBlob(data); key != hex.EncodeToString(sum[:]) {
		t.Fatalf("key %s is not the SHA-256", key)
	}
}

func TestBlobBadAndUnknownKeys(t *testing.T) {
	for name, store := range blobStores(t) {
		if _, err := store.GetBlob(strings.Repeat("0", 64)); !errors.Is(err, incident.ErrNotFound) {
			t.Errorf("%s: unknown key: %v", name, err)
		}
		for _, bad := range []string{strings.ToUpper(emptyKey), emptyKey[:63], emptyKey + "0",
			"../../etc/passwd", ""} {
			_, err := store.GetBlob(bad)
			if !errors.Is(err, incident.ErrInvalid) || !strings.Contains(err.Error(), "64 lowercase hex digits") {
				t.Errorf("%s: GetBlob(%q): %v", name, bad, err)
			}
		}
	}
}

func TestGoBackendWithoutBlobsDeclaresInline(t *testing.T) {
	b := newMapBackend()
	store, err := incident.NewStore(blobless{b})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	id, doc := declareWithNotes(t, store, 1)
	if !bytes.Contains(doc, []byte(`"rubrics":{}`)) {
		t.Fatal(`export without "rubrics":{}`)
	}
	first := b.events[id][0]
	if keys, err := incident.BlobKeys(first); err != nil || keys != nil || len(first) < 2048 {
		t.Fatalf("declaration of %d bytes names %v (%v): want the text inline", len(first), keys, err)
	}
	if len(b.blobs) != 0 {
		t.Fatal("blobs stored through a backend without blob methods")
	}
	if _, err := store.PutBlob([]byte("x")); !errors.Is(err, incident.ErrUnsupported) {
		t.Fatalf("PutBlob: %v", err)
	}
	if _, err := store.GetBlob(emptyKey); !errors.Is(err, incident.ErrUnsupported) {
		t.Fatalf("GetBlob: %v", err)
	}
	inc, err := openIncident(t, store, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := inc.ExportJSON(); !bytes.Equal(got, doc) {
		t.Fatal("export differs after reopening")
	}
}

func TestGoBackendStoresTheRubricOnce(t *testing.T) {
	b := newMapBackend()
	store, _ := incident.NewStore(b)
	defer store.Close()
	first, doc := declareWithNotes(t, store, 0)
	second, _ := declareWithNotes(t, store, 0)
	rubrics := rubricsOf(t, doc)
	if len(rubrics) != 1 || len(b.blobs) != 1 {
		t.Fatalf("%d rubrics exported, %d blobs stored", len(rubrics), len(b.blobs))
	}
	for key, text := range rubrics {
		if string(b.blobs[key]) != text {
			t.Fatal("the blob is not the exported text")
		}
		for _, id := range []string{first, second} {
			declared := b.events[id][0]
			if keys, _ := incident.BlobKeys(declared); len(keys) != 1 || keys[0] != key || len(declared) > 512 {
				t.Fatalf("%s: declaration of %d bytes names %v", id, len(declared), keys)
			}
		}
	}
}

func TestGoBackendChangedOrLostBlob(t *testing.T) {
	b := newMapBackend()
	store, _ := incident.NewStore(b)
	id, _ := declareWithNotes(t, store, 0)
	store.Close()
	var key string
	for k := range b.blobs {
		key = k
	}
	b.blobs[key] = bytes.Replace(b.blobs[key], []byte("Sev-1"), []byte("Sev-9"), 1)
	store, _ = incident.NewStore(b)
	defer store.Close()
	if _, err := openIncident(t, store, id); !errors.Is(err, incident.ErrCorrupt) {
		t.Fatalf("changed blob: open %v", err)
	}
	if _, err := store.GetBlob(key); !errors.Is(err, incident.ErrCorrupt) ||
		!strings.Contains(err.Error(), "do not match their hash") {
		t.Fatalf("changed blob: GetBlob %v", err)
	}
	delete(b.blobs, key)
	lost, _ := incident.NewStore(b)
	defer lost.Close()
	if _, err := openIncident(t, lost, id); !errors.Is(err, incident.ErrCorrupt) ||
		!strings.Contains(err.Error(), "not in the store") {
		t.Fatalf("lost blob: open %v", err)
	}
}

func TestGoBackendBlobErrors(t *testing.T) {
	b := newMapBackend()
	store, _ := incident.NewStore(b)
	defer store.Close()
	ctx, _ := incident.NewSession(&incident.SessionOptions{Store: store, Clock: fixedClock})
	defer ctx.Close()
	b.failNext = incident.NewError(incident.CodeLocked, "blob table locked")
	_, err := ctx.Declare(incident.DeclareOptions{Title: "Disk full", Declarer: "alice", Severity: "Sev-3"})
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != incident.CodeLocked {
		t.Fatalf("declare with a failing PutBlob: %v", err)
	}
	if ids, _ := store.List(); len(ids) != 0 {
		t.Fatalf("a declaration without its blob was stored: %v", ids)
	}
}

func TestRawCopyWithoutTheBlobDoesNotOpen(t *testing.T) {
	store, _ := incident.NewMemoryStore()
	defer store.Close()
	id, _ := declareWithNotes(t, store, 1)
	recs, _ := store.Read(id, 1)
	copyStore, _ := incident.NewMemoryStore()
	defer copyStore.Close()
	if err := copyStore.Append(id, 0, [][]byte{recs[0].Data, recs[1].Data}); err != nil {
		t.Fatal(err)
	}
	if _, err := openIncident(t, copyStore, id); !errors.Is(err, incident.ErrCorrupt) ||
		!strings.Contains(err.Error(), "not in the store") {
		t.Fatalf("open: %v", err)
	}
}

func TestCopyIncident(t *testing.T) {
	store, _ := incident.NewMemoryStore()
	defer store.Close()
	id, doc := declareWithNotes(t, store, 2)
	journal, err := incident.OpenJournal(filepath.Join(t.TempDir(), "j"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	if n, err := store.CopyIncident(id, journal); n != 3 || err != nil {
		t.Fatalf("CopyIncident = %d, %v", n, err)
	}
	inc, err := openIncident(t, journal, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := inc.ExportJSON(); !bytes.Equal(got, doc) {
		t.Fatal("the copy exports differently")
	}
	if err := inc.Verify(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CopyIncident(id, journal); !errors.Is(err, incident.ErrConflict) {
		t.Fatalf("second copy: %v", err)
	}

	// To a store without blobs: refused, nothing appended.
	b := newMapBackend()
	noBlobs, _ := incident.NewStore(blobless{b})
	defer noBlobs.Close()
	if _, err := store.CopyIncident(id, noBlobs); !errors.Is(err, incident.ErrUnsupported) {
		t.Fatalf("copy to a store without blobs: %v", err)
	}
	if len(b.events) != 0 {
		t.Fatal("events appended although the blob could not be copied")
	}

	// From it: inline declarations name no blob.
	inlineID, inlineDoc := declareWithNotes(t, noBlobs, 0)
	mem, _ := incident.NewMemoryStore()
	defer mem.Close()
	if n, err := noBlobs.CopyIncident(inlineID, mem); n != 1 || err != nil {
		t.Fatalf("copy of an inline declaration = %d, %v", n, err)
	}
	if inc, err := openIncident(t, mem, inlineID); err != nil {
		t.Fatal(err)
	} else if got, _ := inc.ExportJSON(); !bytes.Equal(got, inlineDoc) {
		t.Fatal("the inline copy exports differently")
	}
	if _, err := store.CopyIncident("2026-01-01-none", mem); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("copy of an unknown incident: %v", err)
	}
}

func TestBlobKeys(t *testing.T) {
	store, _ := incident.NewMemoryStore()
	defer store.Close()
	id, doc := declareWithNotes(t, store, 2)
	recs, _ := store.Read(id, 1)
	var key string
	for k := range rubricsOf(t, doc) {
		key = k
	}
	for i, r := range recs {
		keys, err := incident.BlobKeys(r.Data)
		if err != nil || (i == 0) != (len(keys) == 1 && keys[0] == key) || (i > 0 && keys != nil) {
			t.Fatalf("event %d: %v, %v", r.Seq, keys, err)
		}
	}
	declared := recs[0].Data
	for name, bad := range map[string][]byte{
		"short header":   declared[:63],
		"cut last field": declared[:len(declared)-2],
		"cut field head": declared[:70],
	} {
		if _, err := incident.BlobKeys(bad); !errors.Is(err, incident.ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	v2 := append([]byte{2}, declared[1:]...)
	if _, err := incident.BlobKeys(v2); !errors.Is(err, incident.ErrVersion) {
		t.Errorf("format 2: %v", err)
	}
	noFields := append([]byte(nil), declared[:64]...)
	binary.LittleEndian.PutUint16(noFields[2:], 0)
	// Its length field says more bytes: not an event.
	if keys, err := incident.BlobKeys(noFields); keys != nil || !errors.Is(err, incident.ErrCorrupt) {
		t.Errorf("no fields: %v, %v", keys, err)
	}
}
