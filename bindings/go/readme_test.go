package incident_test

// README.md: the example is example/main.go and runs as written, and the
// C-to-Go table covers every function of the wrapped headers.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The headers this binding wraps: every public header.
var wrappedHeaders = []string{"common.h", "roles.h", "rubric.h", "store.h", "sys/store.h", "journal.h",
	"context.h", "incident.h", "staffing.h", "findings.h", "can.h", "comms.h", "due.h",
	"scheduler.h", "postmortem.h", "audit.h", "metrics.h", "rotation.h", "oncall.h", "seal.h",
	"lint_config.h", "pg.h", "alerts.h", "feed.h", "incident_list.h"}

func TestEveryPublicHeaderIsWrapped(t *testing.T) {
	var public []string
	root := filepath.Join("..", "..", "include", "incident")
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(path, ".h") {
			rel, _ := filepath.Rel(root, path)
			public = append(public, filepath.ToSlash(rel))
		}
		return nil
	})
	want := append([]string(nil), wrappedHeaders...)
	sort.Strings(public)
	sort.Strings(want)
	if strings.Join(public, " ") != strings.Join(want, " ") {
		t.Fatalf("public headers %v, wrapped %v", public, want)
	}
}

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadmeExampleIsExampleMain(t *testing.T) {
	m := regexp.MustCompile("(?s)<!-- example: bindings/go/example/main.go -->\n```go\n(.*?)```").FindStringSubmatch(readme(t))
	if m == nil {
		t.Fatal("README.md has no example block")
	}
	src, _ := os.ReadFile(filepath.Join("example", "main.go"))
	if m[1] != string(src) {
		t.Fatal("README.md's example differs from example/main.go")
	}
}

func TestReadmeExampleRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "example")
	if out, err := exec.Command("go", "build", "-o", bin, "./example").CombinedOutput(); err != nil {
		t.Fatalf("go build ./example: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "refused: INC_EPERM") || !strings.Contains(string(out), "Severity changed Sev-2 -> Sev-1") {
		t.Fatalf("output:\n%s", out)
	}
}

func TestReadmePagerExample(t *testing.T) {
	m := regexp.MustCompile("(?s)<!-- example: bindings/go/example/pager/main.go -->\n```go\n(.*?)```").FindStringSubmatch(readme(t))
	if m == nil {
		t.Fatal("README.md has no pager example block")
	}
	src, _ := os.ReadFile(filepath.Join("example", "pager", "main.go"))
	if m[1] != string(src) {
		t.Fatal("README.md's pager example differs from example/pager/main.go")
	}
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "pager")
	if out, err := exec.Command("go", "build", "-o", bin, "./example/pager").CombinedOutput(); err != nil {
		t.Fatalf("go build ./example/pager: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"decisions pending: 1", "ESC-1 escalation on-call,backup late 1m0s", "loop: context canceled", "paged: bob"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("no %q in:\n%s", want, out)
		}
	}
}

// TestReadmeMapsEveryFunction also checks that the package calls every
// function of the wrapped headers (from Go, or from shim.c).
func TestReadmeMapsEveryFunction(t *testing.T) {
	text := readme(t)
	var code strings.Builder
	files, _ := filepath.Glob("*.go")
	for _, f := range append(files, "shim.c") {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			code.Write(b)
		}
	}
	called := code.String()
	re := regexp.MustCompile(`INC_API[^;(]*?\b(inc_[a-z0-9_]+)\s*\(`)
	n := 0
	for _, h := range wrappedHeaders {
		src, err := os.ReadFile(filepath.Join("..", "..", "include", "incident", h))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			n++
			if !strings.Contains(text, "`"+m[1]+"`") {
				t.Errorf("README.md does not map %s (%s)", m[1], h)
			}
			// Findings are copied out of C at once, so counting them by rule
			// is done over the copy (Findings.CountRule).
			if m[1] == "inc_findings_count_rule" {
				continue
			}
			// Mapped in README.md as not used by the binding: it leaves the
			// allocator to the C library, and these two serve C backends.
			if m[1] == "inc_allocator_init" || m[1] == "inc_store_backend_of" || m[1] == "inc_store_error" {
				continue
			}
			if !strings.Contains(called, "C."+m[1]+"(") && !strings.Contains(called, " "+m[1]+"(") {
				t.Errorf("the package never calls %s (%s)", m[1], h)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d functions found", n)
	}
}
