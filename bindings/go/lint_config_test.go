package incident

import (
	"errors"
	"testing"
)

const teamLint = `libincident-lint 1
name = payments
service = Ledger Sync
promise = any moment now
off = PM-4.blame
`

func TestLintConfig(t *testing.T) {
	cfg, err := ParseLintConfig([]byte(teamLint))
	if err != nil {
		t.Fatal(err)
	}
	defer cfg.Close()
	f, err := LintUpdateWith("We are investigating delays in Ledger Sync. Next update in 30 minutes.",
		StateInvestigating, "", cfg)
	if err != nil || len(f.List) != 0 {
		t.Fatalf("update with config: %v %v", f, err)
	}
	f, _ = LintUpdateWith("We are investigating delays. Next update in 30 minutes.", StateInvestigating, "", nil)
	if f.CountRule("COMM-3.no-scope") != 1 {
		t.Fatalf("no config: %v", f)
	}
	f, _ = LintCANWith("Queue 40 GB.", "Purge done any moment now.", "none", cfg)
	if f.CountRule("CAN-2.promise") != 1 {
		t.Fatalf("CAN promise phrase: %v", f)
	}
	f, _ = LintPostmortemWith("It was human error.", cfg)
	if len(f.List) != 0 {
		t.Fatalf("PM-4 off: %v", f)
	}
	cfg.Close()
	if _, err := LintPostmortemWith("x", cfg); err == nil {
		t.Fatal("closed config accepted")
	}
}

func TestLintConfigErrorsNameTheLine(t *testing.T) {
	_, err := ParseLintConfig([]byte("libincident-lint 1\nservise = Ledger\n"))
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 {
		t.Fatalf("want a line-2 error, got %v", err)
	}
}
