package incident_test

import (
	"errors"
	"fmt"
	"time"

	incident "libincident.dev/incident"
)

// A drill on a fake clock: declare, refuse a severity change by someone
// who is not the IC, make it as the IC, resolve and read the timeline.
func Example() {
	now := time.Date(2026, 11, 23, 14, 12, 0, 0, time.UTC)
	sess, _ := incident.NewSession(&incident.SessionOptions{Clock: func() time.Time { return now }})
	defer sess.Close()

	inc, _ := sess.Declare(incident.DeclareOptions{
		Title: "Database primary CPU at 95%", Declarer: "alice", Severity: "Sev-2"})
	err := inc.SetSeverity("bob", "Sev-1", "looks bad")
	fmt.Println(errors.Is(err, incident.ErrPermission))

	now = now.Add(4 * time.Minute)
	inc.SetSeverity("alice", "Sev-1", "checkout failing in the US too")
	now = now.Add(30 * time.Minute)
	inc.SetState("alice", incident.StateInvestigating, "")
	inc.SetState("alice", incident.StateMitigating, "rolling back")
	inc.SetState("alice", incident.StateMonitoring, "rollback done")
	inc.SetState("alice", incident.StateResolved, "CPU under 50% for 15 minutes")

	events, _ := inc.Events()
	for _, ev := range events {
		fmt.Printf("%d %-8s %s\n", ev.Seq, ev.Offset, ev.Description)
	}
	fmt.Println(inc.State(), inc.Severity(), inc.ResolvedAt().Format(time.RFC3339))
	// Output:
	// true
	// 1 0s       Incident declared: Database primary CPU at 95% (Sev-2, channel #inc-2026-11-23-database-primary-cpu-at-95, IC alice)
	// 2 4m0s     Severity changed Sev-2 -> Sev-1: checkout failing in the US too
	// 3 34m0s    State declared -> investigating
	// 4 34m0s    State investigating -> mitigating: rolling back
	// 5 34m0s    State mitigating -> monitoring: rollback done
	// 6 34m0s    State monitoring -> resolved: CPU under 50% for 15 minutes
	// resolved Sev-1 2026-11-23T14:46:00Z
}

// A store written in Go: any Backend that keeps expectedSeq honest can hold
// incidents (see mapBackend in store_test.go).
func ExampleNewStore() {
	store, _ := incident.NewStore(newMapBackend())
	defer store.Close()
	sess, _ := incident.NewSession(&incident.SessionOptions{Store: store, Clock: fixedClock})
	defer sess.Close()
	inc, _ := sess.Declare(incident.DeclareOptions{Title: "Queue backlog", Declarer: "alice", Severity: "Sev-3"})
	inc.Note("bob", "consumers restarted")
	ids, _ := store.List()
	fmt.Println(ids, inc.LastSeq())
	// Output: [2026-11-23-queue-backlog] 2
}
