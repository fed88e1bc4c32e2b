package incident_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func TestSchedulerPollsAcrossIncidents(t *testing.T) {
	clock := &fakeClock{t0}
	ctx, err := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	s, err := incident.NewScheduler(ctx, &incident.SchedulerOptions{Actor: "pager", MaxOpen: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Count() != 0 || !s.NextDue().IsZero() {
		t.Fatal("an empty scheduler has work")
	}
	a, _ := ctx.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "Sev-1"})
	b, _ := ctx.Declare(incident.DeclareOptions{Title: "Search slow", Declarer: "bob", Severity: "Sev-3"})
	if s.Count() != 2 || !s.NextDue().Equal(t0) {
		t.Fatal(s.Count(), s.NextDue())
	}
	clock.tick(31 * time.Minute)
	due, err := s.Poll(0)
	if err != nil {
		t.Fatal(err)
	}
	defer due.Close()
	ids := map[string]bool{}
	for _, it := range due.Items {
		ids[it.IncidentID] = true
		if it.Seq == 0 {
			t.Fatalf("not recorded: %+v", it)
		}
	}
	if !ids[a.ID()] || !ids[b.ID()] {
		t.Fatal(ids)
	}
	a.Reload()
	if evs, _ := a.Events(); evs[len(evs)-1].Actor != "pager" {
		t.Fatal("not recorded by the scheduler's actor")
	}
	if again, _ := s.Poll(0); again.Len() != 0 {
		t.Fatal("delivered twice")
	}
	if !s.NextDue().After(clock.now) {
		t.Fatal(s.NextDue())
	}
	if err := s.Forget(b.ID()); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Forget(b.ID()), incident.CodeNotFound)
	if err := s.Watch(b.ID()); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Watch("no-such-incident"), incident.CodeNotFound)
	wantCode(t, second(incident.NewScheduler(ctx, &incident.SchedulerOptions{MaxOpen: -1})), incident.CodeInvalid)
	s.Close()
	wantCode(t, second(s.Poll(0)), incident.CodeInvalid)
	wantCode(t, s.Load(), incident.CodeInvalid)
	if s.Count() != 0 || !s.NextDue().IsZero() {
		t.Fatal("a closed scheduler has work")
	}
}

func TestOneSchedulerPerContext(t *testing.T) {
	ctx, err := incident.NewSession(nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := incident.NewScheduler(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, second(incident.NewScheduler(ctx, nil)), incident.CodeExist)
	s.Close()
	s2, err := incident.NewScheduler(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx.Close() // frees the scheduler first, as the library needs
	wantCode(t, s2.Load(), incident.CodeInvalid)
	s2.Close()
	wantCode(t, second(incident.NewScheduler(ctx, nil)), incident.CodeInvalid)
}

func TestSchedulerFinalizer(t *testing.T) {
	ctx, _ := incident.NewSession(nil)
	defer ctx.Close()
	func() { incident.NewScheduler(ctx, nil) }() // forgotten
	for i := 0; i < 20; i++ {
		runtime.GC()
		if s, err := incident.NewScheduler(ctx, nil); err == nil {
			s.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the forgotten scheduler was never freed")
}

func TestSchedulerRestartDeliversNothingTwice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "journal")
	clock := &fakeClock{t0}
	store, err := incident.OpenJournal(dir, &incident.JournalOptions{Sync: incident.SyncNone})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read, Store: store})
	s, _ := incident.NewScheduler(ctx, nil)
	ctx.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "Sev-1"})
	clock.now = t0.Add(16 * time.Minute)
	before, _ := s.Poll(0)
	ctx.Close()
	clock.now = t0.Add(40 * time.Minute) // the program was away
	ctx, _ = incident.NewSession(&incident.SessionOptions{Clock: clock.read, Store: store})
	defer ctx.Close()
	s, _ = incident.NewScheduler(ctx, nil)
	if err := s.Load(); err != nil {
		t.Fatal(err)
	}
	after, err := s.Poll(0)
	if err != nil || before.Len() == 0 || after.Len() == 0 {
		t.Fatal(before.Len(), after.Len(), err)
	}
	keys := map[string]bool{}
	for _, it := range before.Items {
		keys[it.DedupKey] = true
	}
	for _, it := range after.Items {
		if keys[it.DedupKey] {
			t.Fatalf("delivered again: %+v", it)
		}
	}
	step := firstOf(t, after, incident.DueEscalation)
	if !step.Due.Equal(t0.Add(30*time.Minute)) || step.Late != 10*time.Minute {
		t.Fatalf("%+v", step)
	}
}

func TestSchedulerWait(t *testing.T) {
	clock := &fakeClock{t0}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	defer ctx.Close()
	s, _ := incident.NewScheduler(ctx, nil)
	bg := context.Background()
	if err := s.Wait(bg, time.Millisecond); err != nil { // nothing scheduled: the cap
		t.Fatal(err)
	}
	ctx.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "Sev-1"})
	clock.tick(time.Minute)
	start := time.Now()
	if err := s.Wait(bg, time.Hour); err != nil || time.Since(start) > time.Second { // due already
		t.Fatal(err, time.Since(start))
	}
	s.Poll(0)
	start = time.Now()
	if err := s.Wait(bg, 50*time.Millisecond); err != nil || time.Since(start) < 40*time.Millisecond { // due in 4 min: capped
		t.Fatal(err, time.Since(start))
	}
	cctx, cancel := context.WithTimeout(bg, 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	if err := s.Wait(cctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
		t.Fatal(err, time.Since(start))
	}
	if err := s.Wait(cctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}
}

func TestSchedulerRun(t *testing.T) {
	clock := &fakeClock{t0}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	defer ctx.Close()
	s, _ := incident.NewScheduler(ctx, nil)
	inc, _ := ctx.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "Sev-1"})
	clock.tick(16 * time.Minute)
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen []incident.DueItem
	err := s.Run(cctx, 10*time.Millisecond, func(due *incident.DueList, err error) error {
		if err != nil {
			t.Error(err)
		}
		seen = append(seen, due.Items...)
		if doc, err := due.PagerDuty(0, pdKey, "", ""); err != nil || len(doc) == 0 {
			t.Error(err)
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || len(seen) == 0 || seen[0].IncidentID != inc.ID() {
		t.Fatal(err, seen)
	}
}

func TestSchedulerRunReportsAFailedPoll(t *testing.T) {
	backend := &budgetBackend{newMapBackend(), -1}
	store, _ := incident.NewStore(backend)
	defer store.Close()
	ctx, _, clock := sev1(t, store)
	s, _ := incident.NewScheduler(ctx, nil)
	s.Load()
	clock.tick(16 * time.Minute)
	backend.budget = 1
	stop := errors.New("stop here")
	calls := 0
	err := s.Run(context.Background(), 10*time.Millisecond, func(due *incident.DueList, err error) error {
		calls++
		if due.Len() != 1 || !errors.Is(err, incident.ErrIO) || !errors.Is(err, errDiskFull) {
			t.Errorf("%d items, %v", due.Len(), err)
		}
		return stop
	})
	if err != stop || calls != 1 {
		t.Fatal(err, calls)
	}
}
