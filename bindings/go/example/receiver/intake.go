package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"strings"

	incident "libincident.dev/incident"
)

// maxBody bounds an intake request (the library refuses documents past
// 1 MiB too; refusing here keeps the bytes off the heap).
const maxBody = 1 << 20

// intake serves POST /alertmanager and POST /pagerduty: a bearer token
// checked in constant time, a bounded body, then the router's intake. A
// request never names a path: everything it writes goes to the session's
// store.
type intake struct {
	router    *incident.AlertRouter
	tokenHash [sha256.Size]byte
	// onOutcome, when set, sees each accepted document and what the
	// intake did with it (tests, logging).
	onOutcome func(body []byte, out incident.AlertOutcome)
}

func newIntake(router *incident.AlertRouter, token string) *intake {
	return &intake{router: router, tokenHash: sha256.Sum256([]byte(token))}
}

func (in *intake) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/alertmanager", func(w http.ResponseWriter, r *http.Request) { in.serve(w, r, false) })
	mux.HandleFunc("/pagerduty", func(w http.ResponseWriter, r *http.Request) { in.serve(w, r, true) })
	return mux
}

// authorized compares SHA-256 digests so that neither the token's bytes
// nor its length leak through timing.
func (in *intake) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	got := sha256.Sum256([]byte(h[len(prefix):]))
	return subtle.ConstantTimeCompare(got[:], in.tokenHash[:]) == 1
}

func (in *intake) serve(w http.ResponseWriter, r *http.Request, pagerDuty bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		httpError(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	if !in.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="libincident"`)
		httpError(w, http.StatusUnauthorized, "a valid bearer token is required")
		return
	}
	body, status, err := readBody(w, r)
	if err != nil {
		httpError(w, status, err.Error())
		return
	}
	if err := checkKind(body, pagerDuty); err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	out, err := in.router.Intake(body)
	if err != nil {
		httpError(w, intakeStatus(err), err.Error())
		return
	}
	if in.onOutcome != nil {
		in.onOutcome(body, out)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	var buf strings.Builder
	_, err := io.Copy(&buf, http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, http.StatusRequestEntityTooLarge, errors.New("request body over 1 MiB")
	}
	if err != nil {
		return nil, http.StatusBadRequest, err
	}
	return []byte(buf.String()), 0, nil
}

// checkKind keeps each endpoint to its kind of document: the library tells
// them apart by the event_action member.
func checkKind(body []byte, pagerDuty bool) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return errors.New("the body is not a JSON object")
	}
	_, isPD := top["event_action"]
	if pagerDuty && !isPD {
		return errors.New("a PagerDuty event needs event_action")
	}
	if !pagerDuty && isPD {
		return errors.New("a PagerDuty event belongs on /pagerduty")
	}
	return nil
}

func intakeStatus(err error) int {
	var e *incident.Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError
	}
	switch e.Code {
	case incident.CodeInvalid, incident.CodeParse:
		return http.StatusBadRequest
	case incident.CodeTooBig:
		return http.StatusRequestEntityTooLarge
	}
	log.Printf("intake: %v", err)
	return http.StatusInternalServerError
}

func httpError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
