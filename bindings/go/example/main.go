// The example of README.md: declare an incident, see a severity change
// refused (only the IC may), make it as the IC and print the timeline.
package main

import (
	"errors"
	"fmt"
	"log"

	incident "libincident.dev/incident"
)

func main() {
	sess, err := incident.NewSession(nil) // system clock, memory store, Sev-0..Sev-4
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()
	inc, err := sess.Declare(incident.DeclareOptions{
		Title: "Database primary CPU at 95%", Declarer: "alice", Severity: "Sev-2"})
	if err != nil {
		log.Fatal(err)
	}
	if err := inc.SetSeverity("bob", "Sev-1", "looks bad"); errors.Is(err, incident.ErrPermission) {
		fmt.Println("refused:", err) // only the Incident Commander may (AUTH-1)
	}
	if err := inc.SetSeverity("alice", "Sev-1", "checkout failing in the US too"); err != nil {
		log.Fatal(err)
	}
	timeline, _ := inc.Timeline()
	fmt.Print(timeline)
}
