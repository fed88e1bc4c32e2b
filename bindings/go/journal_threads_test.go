package incident_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	incident "libincident.dev/incident"
)

// Goroutines on one journal (issue 16, item 1): each has its own Context
// and journal handle on the same directory and adds notes to the same
// incidents; every acknowledged note must be there exactly once, and every
// file must verify, under every sync policy.

const (
	threadWorkers   = 4
	threadIncidents = 2
)

type noteKey struct{ worker, n int }

func noteRetrying(inc *incident.Incident, text string) error {
	for try := 0; try < 1000; try++ {
		err := inc.Note("tester", text)
		if !errors.Is(err, incident.ErrConflict) {
			return err
		}
		if err := inc.Reload(); err != nil {
			return err
		}
	}
	return fmt.Errorf("no end to conflicts for %q", text)
}

func threadWorker(dir string, ids []string, policy incident.SyncPolicy, tag, notes int,
	start *sync.WaitGroup, acked []map[noteKey]bool, mu *sync.Mutex) error {
	start.Done()
	start.Wait() // the goroutines write at the same time
	store, err := incident.OpenJournal(dir, &incident.JournalOptions{
		Sync: policy, GroupCount: 4, GroupMS: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	ctx, err := incident.NewSession(&incident.SessionOptions{Store: store})
	if err != nil {
		return err
	}
	defer ctx.Close()
	incs := make([]*incident.Incident, len(ids))
	for k, id := range ids {
		if incs[k], err = ctx.Open(id); err != nil {
			return err
		}
		defer incs[k].Close()
	}
	for n := 0; n < notes; n++ {
		k := (n + tag) % len(ids)
		if err := noteRetrying(incs[k], fmt.Sprintf("thread %d note %d", tag, n)); err != nil {
			return fmt.Errorf("goroutine %d note %d: %w", tag, n, err)
		}
		mu.Lock()
		acked[k][noteKey{tag, n}] = true
		mu.Unlock()
	}
	return nil
}

func runJournalGoroutines(t *testing.T, policy incident.SyncPolicy, notes int) {
	dir := filepath.Join(t.TempDir(), "journal")
	store, err := incident.OpenJournal(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, err := incident.NewSession(&incident.SessionOptions{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	var ids []string
	for _, title := range []string{"Payments API latency", "Checkout errors in eu-west"} {
		inc, err := ctx.Declare(incident.DeclareOptions{Title: title, Declarer: "dana",
			Severity: "Sev-2"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inc.ID())
		inc.Close()
	}
	acked := make([]map[noteKey]bool, threadIncidents)
	for k := range acked {
		acked[k] = map[noteKey]bool{}
	}
	var start, done sync.WaitGroup
	var mu sync.Mutex
	errs := make([]error, threadWorkers)
	start.Add(threadWorkers)
	for w := 0; w < threadWorkers; w++ {
		done.Add(1)
		go func(w int) {
			defer done.Done()
			errs[w] = threadWorker(dir, ids, policy, w, notes, &start, acked, &mu)
		}(w)
	}
	done.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for k, id := range ids {
		if err := store.JournalVerify(id); err != nil {
			t.Fatalf("incident %d: %v", k, err)
		}
		inc, err := ctx.Open(id)
		if err != nil {
			t.Fatal(err)
		}
		if err := inc.Verify(); err != nil {
			t.Fatal(err)
		}
		events, err := inc.Events()
		if err != nil {
			t.Fatal(err)
		}
		inc.Close()
		found := map[noteKey]bool{}
		for _, ev := range events {
			if ev.KindName != "note" {
				continue
			}
			var key noteKey
			if _, err := fmt.Sscanf(ev.Text, "thread %d note %d", &key.worker, &key.n); err != nil {
				t.Fatalf("note %q: %v", ev.Text, err)
			}
			if found[key] {
				t.Fatalf("incident %d: note %v twice", k, key)
			}
			found[key] = true
		}
		for key := range acked[k] {
			if !found[key] {
				t.Errorf("incident %d: acknowledged note %v is missing", k, key)
			}
		}
		if len(found) != len(acked[k]) || len(found) != threadWorkers*notes/threadIncidents {
			t.Errorf("incident %d: %d notes found, %d acknowledged", k, len(found), len(acked[k]))
		}
	}
}

func TestJournalGoroutinesPolicyEvery(t *testing.T) {
	runJournalGoroutines(t, incident.SyncEvery, 25)
}

func TestJournalGoroutinesPolicyGroup(t *testing.T) {
	runJournalGoroutines(t, incident.SyncGroup, 25)
}

func TestJournalGoroutinesPolicyNone(t *testing.T) {
	runJournalGoroutines(t, incident.SyncNone, 200)
}

// Issue 16 item 5: a store writable by strangers is refused unless allowed.
func TestJournalSharedStoreRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shared")
	s, err := incident.OpenJournal(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := incident.OpenJournal(dir, nil); !errors.Is(err, incident.ErrPermission) {
		t.Fatalf("a 0777 store: got %v, want ErrPermission", err)
	}
	s, err = incident.OpenJournal(dir, &incident.JournalOptions{AllowShared: true})
	if err != nil {
		t.Fatalf("AllowShared: %v", err)
	}
	s.Close()
}
