package incident_test

import (
	"errors"
	"path/filepath"
	"testing"

	incident "libincident.dev/incident"
)

// TL-5 through Go: a head round trip and its proof; sealing, an unsealed
// tail, a wrong verification key.
func TestSealTL5(t *testing.T) {
	dir := t.TempDir()
	ctx, err := incident.NewSession(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	inc, err := ctx.Declare(incident.DeclareOptions{Title: "Card payments failing", Declarer: "dana", Severity: "Sev-2"})
	if err != nil {
		t.Fatal(err)
	}
	defer inc.Close()
	if err := inc.Note("lee", "refunds paused"); err != nil {
		t.Fatal(err)
	}
	head, err := inc.Head()
	if err != nil || head.Seq != 2 {
		t.Fatalf("head %+v %v", head, err)
	}
	back, err := incident.ParseCheckpoint(head.String())
	if err != nil || back != head {
		t.Fatalf("parse %q: %+v %v", head.String(), back, err)
	}
	if _, err := incident.ParseCheckpoint("2:xyz"); !errors.Is(err, incident.ErrParse) {
		t.Fatalf("malformed: %v", err)
	}
	if err := inc.VerifyHead(head); err != nil {
		t.Fatal(err)
	}
	if err := ctx.Store().VerifyHead(inc.ID(), head); err != nil {
		t.Fatal(err)
	}
	wrong := head
	wrong.Hash[0] ^= 1
	var e *incident.Error
	if err := inc.VerifyHead(wrong); !errors.As(err, &e) || !errors.Is(err, incident.ErrCorrupt) || e.BadSeq != 2 {
		t.Fatalf("wrong head: %v", err)
	}
	wrong.Seq = 9
	if err := inc.VerifyHead(wrong); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("head beyond: %v", err)
	}

	key, log := filepath.Join(dir, "seal.key"), filepath.Join(dir, "seal.log")
	vkey, err := ctx.SealSetup(key, log)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := incident.SealKeyParse(incident.SealKeyFormat(vkey)); err != nil || k != vkey {
		t.Fatalf("key text: %v", err)
	}
	if _, err := ctx.SealSetup(key, log); !errors.Is(err, incident.ErrExist) {
		t.Fatalf("second setup: %v", err)
	}
	r, err := ctx.Seal(key, log)
	if err != nil || r.Epoch != 1 || r.Incidents != 1 || r.Events != 2 {
		t.Fatalf("seal %+v %v", r, err)
	}
	if err := inc.Note("lee", "after the seal"); err != nil {
		t.Fatal(err)
	}
	reps, sum, err := ctx.SealVerify(key, log, vkey)
	if err != nil || len(reps) != 1 || !reps[0].OK || reps[0].SealedSeq != 2 || reps[0].Unsealed != 1 ||
		sum.Seals != 1 || sum.KeyEpoch != 2 || sum.LastSealedAt.IsZero() {
		t.Fatalf("verify %+v %+v %v", reps, sum, err)
	}
	vkey[0] ^= 1
	if _, _, err := ctx.SealVerify(key, log, vkey); !errors.Is(err, incident.ErrPermission) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := ctx.Seal(filepath.Join(dir, "none"), log); !errors.Is(err, incident.ErrNotFound) {
		t.Fatalf("missing key file: %v", err)
	}
}
