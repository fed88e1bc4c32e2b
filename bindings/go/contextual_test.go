package incident_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

// A done context stops a store-reaching call before it starts: nothing is
// declared, opened or written, and the error is the context's.
func TestContextVariantsDoNotStartWhenDone(t *testing.T) {
	sess, err := incident.NewSession(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	ok, err := sess.DeclareContext(context.Background(),
		incident.DeclareOptions{Title: "live", Declarer: "alice", Severity: "Sev-3"})
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sess.DeclareContext(done, incident.DeclareOptions{Title: "late", Declarer: "alice", Severity: "Sev-3"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("DeclareContext: %v", err)
	}
	if _, err := sess.OpenContext(done, ok.ID()); !errors.Is(err, context.Canceled) {
		t.Fatalf("OpenContext: %v", err)
	}
	if _, err := sess.ListContext(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("ListContext: %v", err)
	}
	doc, _ := ok.ExportJSON()
	if _, err := sess.ImportJSONContext(done, doc); !errors.Is(err, context.Canceled) {
		t.Fatalf("ImportJSONContext: %v", err)
	}
	store := sess.Store()
	if _, err := store.ReadContext(done, ok.ID(), 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadContext: %v", err)
	}
	if err := store.AppendContext(done, ok.ID(), ok.LastSeq(), [][]byte{[]byte("x")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("AppendContext: %v", err)
	}
	if err := store.SyncContext(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("SyncContext: %v", err)
	}
	if _, err := store.ListContext(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Store.ListContext: %v", err)
	}
	if _, err := incident.OpenJournalContext(done, t.TempDir(), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("OpenJournalContext: %v", err)
	}
	ids, err := sess.ListContext(context.Background())
	if err != nil || len(ids) != 1 || ids[0] != ok.ID() {
		t.Fatalf("the done calls changed the store: %v %v", ids, err)
	}
}

// A call waiting for another on the same store gives up when its deadline
// passes while it waits, and does not start afterwards.
func TestContextDeadlineWhileWaiting(t *testing.T) {
	var once sync.Once
	started, release := make(chan struct{}), make(chan struct{})
	clock := func() time.Time {
		// The clock runs with the store's mutex held: hold it until released.
		once.Do(func() { close(started); <-release })
		return time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	}
	sess, err := incident.NewSession(&incident.SessionOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	first := make(chan error)
	go func() {
		_, err := sess.Declare(incident.DeclareOptions{Title: "first", Declarer: "alice", Severity: "Sev-3"})
		first <- err
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	second := make(chan error)
	go func() {
		_, err := sess.DeclareContext(ctx, incident.DeclareOptions{Title: "second", Declarer: "alice", Severity: "Sev-3"})
		second <- err
	}()
	<-ctx.Done()
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second declare: %v", err)
	}
	if ids, _ := sess.List(); len(ids) != 1 {
		t.Fatalf("%d incidents, want the first only", len(ids))
	}
}

// Retry and ReloadContext bound an incident's writes and reads: a done
// context starts no attempt.
func TestRetryAndReloadDoNotStartWhenDone(t *testing.T) {
	sess, _ := incident.NewSession(nil)
	defer sess.Close()
	inc, err := sess.Declare(incident.DeclareOptions{Title: "retry", Declarer: "alice", Severity: "Sev-3"})
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err = inc.Retry(done, func(i *incident.Incident) error { calls++; return i.Note("alice", "late") })
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Fatalf("Retry with a done context: %v after %d calls", err, calls)
	}
	if err := inc.ReloadContext(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReloadContext: %v", err)
	}
	if inc.EventCount() != 1 {
		t.Fatalf("%d events, want the declaration only", inc.EventCount())
	}
	if err := inc.Retry(context.Background(), func(i *incident.Incident) error { return i.Note("alice", "on time") }); err != nil {
		t.Fatal(err)
	}
}

// The changes to an incident have ...Context variants: with a done context
// none starts, so the timeline keeps its one event; the same calls with a
// live context are recorded.
func TestIncidentChangesDoNotStartWhenDone(t *testing.T) {
	sess, err := incident.NewSession(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	inc, err := sess.Declare(incident.DeclareOptions{Title: "changes", Declarer: "alice", Severity: "Sev-3"})
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	can := incident.CANReport{Conditions: "CPU 95%", Actions: "rolling back", Needs: "none"}
	update := incident.Update{Body: "We are investigating elevated errors."}
	calls := map[string]func(ctx context.Context) error{
		"NoteContext":        func(ctx context.Context) error { return inc.NoteContext(ctx, "alice", "a note") },
		"SetSeverityContext": func(ctx context.Context) error { return inc.SetSeverityContext(ctx, "alice", "Sev-2", "errors rising") },
		"SetStateContext": func(ctx context.Context) error {
			return inc.SetStateContext(ctx, "alice", incident.StateInvestigating, "")
		},
		"AssignRoleContext": func(ctx context.Context) error {
			return inc.AssignRoleContext(ctx, "alice", "bob", incident.RoleScribe, "")
		},
		"ReportCANContext": func(ctx context.Context) error {
			_, _, err := inc.ReportCANContext(ctx, "alice", can)
			return err
		},
		"StatusUpdateContext": func(ctx context.Context) error {
			_, _, err := inc.StatusUpdateContext(ctx, "alice", update)
			return err
		},
	}
	for name, call := range calls {
		if err := call(done); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a done context: %v", name, err)
		}
	}
	if inc.EventCount() != 1 || inc.LastSeq() != 1 {
		t.Fatalf("%d events (last %d), want the declaration only", inc.EventCount(), inc.LastSeq())
	}
	if err := inc.Reload(); err != nil || inc.EventCount() != 1 {
		t.Fatalf("the store has more than the declaration: %d events, %v", inc.EventCount(), err)
	}
	for _, name := range []string{"NoteContext", "SetSeverityContext", "SetStateContext", "AssignRoleContext", "ReportCANContext", "StatusUpdateContext"} {
		if err := calls[name](context.Background()); err != nil {
			t.Fatalf("%s with a live context: %v", name, err)
		}
	}
	if inc.EventCount() < 7 {
		t.Fatalf("%d events after six live changes", inc.EventCount())
	}
}
