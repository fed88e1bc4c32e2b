// The pager loop of README.md on a fake clock: a CAN report asks the IC
// for a decision, nobody acknowledges the Sev-1, and the scheduler says
// what is due; the program would page (ESC-2) and reports back whom.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	incident "libincident.dev/incident"
)

func main() {
	now := time.Date(2026, 11, 23, 14, 12, 0, 0, time.UTC)
	sess, err := incident.NewSession(&incident.SessionOptions{Clock: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()
	pager, err := incident.NewScheduler(sess, &incident.SchedulerOptions{Actor: "pager"})
	if err != nil {
		log.Fatal(err)
	}
	defer pager.Close()
	payments, _ := sess.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "Sev-1"})
	_, findings, err := payments.ReportCAN("carol", incident.CANReport{Conditions: "5% of card payments fail",
		Actions: "rolling back the 14:05 deploy", Needs: "approval to fail over to eu-west"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("decisions pending:", payments.PendingDecisionCount(), len(findings.List), "findings")
	now = now.Add(16 * time.Minute) // nobody acknowledged

	ctx, stop := context.WithCancel(context.Background())
	err = pager.Run(ctx, time.Minute, func(due *incident.DueList, err error) error {
		for _, it := range due.Items {
			fmt.Println(it.RuleID, it.KindName, it.Target, "late", it.Late)
			if it.Kind == incident.DueEscalation {
				payments.Reload() // the scheduler wrote the page request
				payments.PageSent("pager", it.Seq, "bob")
			}
		}
		stop() // one round is enough for the example
		return err
	})
	fmt.Println("loop:", err)
	for _, p := range payments.Pages() {
		fmt.Println("paged:", p.Person)
	}
}
