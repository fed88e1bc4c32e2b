package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import "runtime"

// LintConfig is a team's own words for the text lints: service names,
// vague phrases, hedges, promise phrases, symptoms, and findings switched
// off (include/incident/lint_config.h, lib/docs/lint-config.md). It is
// read-only once parsed, so one value may serve many goroutines.
type LintConfig struct {
	p *C.inc_lint_config
}

// ParseLintConfig parses the text format (inc_lint_config_parse). Nothing
// is created on failure: the error is an *Error with Line and Offset.
func ParseLintConfig(text []byte) (*LintConfig, error) {
	var diag C.inc_diag
	var p *C.inc_lint_config
	data := C.CBytes(text)
	defer C.free(data)
	if rc := C.inc_lint_config_parse(nil, (*C.char)(data), C.size_t(len(text)), &p, &diag); rc != 0 {
		e := newError(rc, C.GoString(&diag.message[0])).(*Error)
		e.Line, e.Offset = int(diag.line), int64(diag.offset)
		return nil, e
	}
	c := &LintConfig{p: p}
	runtime.SetFinalizer(c, (*LintConfig).Close)
	return c, nil
}

// Close frees the configuration (inc_lint_config_free). It is safe to call twice.
func (c *LintConfig) Close() error {
	if c != nil && c.p != nil {
		C.inc_lint_config_free(c.p)
		c.p = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// handle is the C handle, NULL for a nil configuration (no team words).
func (c *LintConfig) handle() (*C.inc_lint_config, error) {
	if c == nil {
		return nil, nil
	}
	if c.p == nil {
		return nil, errClosed("lint config")
	}
	return c.p, nil
}

// LintUpdateWith is LintUpdate with a team's configuration (nil for none;
// inc_update_lint_with).
func LintUpdateWith(body string, state State, components string, cfg *LintConfig) (Findings, error) {
	defer runtime.KeepAlive(cfg)
	h, err := cfg.handle()
	if err != nil {
		return Findings{}, err
	}
	b, c := C.CString(body), cstr(components, true)
	defer func() { free(b); free(c) }()
	var list *C.inc_findings
	if rc := C.inc_update_lint_with(b, C.inc_state(state), c, h, nil, &list); rc != 0 {
		return Findings{}, newError(rc, "update lint: bad state, text not UTF-8 or longer than INC_TEXT_MAX")
	}
	return takeFindings(list)
}

// LintCANWith is LintCAN with a team's configuration (nil for none;
// inc_can_lint_with).
func LintCANWith(conditions, actions, needs string, cfg *LintConfig) (Findings, error) {
	defer runtime.KeepAlive(cfg)
	h, err := cfg.handle()
	if err != nil {
		return Findings{}, err
	}
	c, a, n := cstr(conditions, true), cstr(actions, true), cstr(needs, true)
	defer func() { free(c); free(a); free(n) }()
	var list *C.inc_findings
	if rc := C.inc_can_lint_with(c, a, n, h, nil, &list); rc != 0 {
		return Findings{}, newError(rc, "CAN lint: text not UTF-8 or longer than INC_TEXT_MAX")
	}
	return takeFindings(list)
}

// LintPostmortemWith is LintPostmortem with a team's configuration (nil
// for none; inc_postmortem_lint_with).
func LintPostmortemWith(text string, cfg *LintConfig) (Findings, error) {
	defer runtime.KeepAlive(cfg)
	h, err := cfg.handle()
	if err != nil {
		return Findings{}, err
	}
	cs := C.CString(text)
	defer free(cs)
	var list *C.inc_findings
	if rc := C.inc_postmortem_lint_with(cs, h, nil, &list); rc != 0 {
		return Findings{}, newError(rc, "postmortem lint: not UTF-8 or longer than INC_TEXT_MAX")
	}
	return takeFindings(list)
}
