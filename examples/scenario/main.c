/* scenario: run the shared scripted incident (scenario.txt, format in
 * README.md) on a fake clock and the memory store, then print the
 * incident's JSON export (or, with --timeline, the rendered timeline).
 *
 * The Python and Go binding tests run the same script through their
 * bindings and compare their export with this program's output byte for
 * byte, so the three must interpret every step exactly alike.
 *
 * Usage: scenario [--timeline] [SCRIPT]   (SCRIPT defaults to the
 * scenario.txt this program was built with). Exits 1 when a step does not
 * end with the status the script expects. */
#include <incident.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef INC_SCENARIO_SCRIPT
#define INC_SCENARIO_SCRIPT "scenario.txt"
#endif

#define MAX_FIELDS 10

/* One parsed line: "TIME | ACTION | ARG... [| => STATUS]". */
typedef struct step {
    unsigned line;
    char *field[MAX_FIELDS]; /* field[0] time, [1] action, [2..] arguments */
    size_t count;
    int expect; /* the status the step must end with */
} step;

typedef struct run {
    inc_time now; /* what the clock says: the start plus the step's offset */
    inc_context *ctx;
    inc_incident *inc;
} run;

/* The fake clock: the time of the step being run, however often it is read. */
static inc_time script_clock(void *user)
{
    return ((const run *)user)->now;
}

static char *trim(char *s)
{
    char *end = s + strlen(s);
    while (*s == ' ' || *s == '\t')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        end--;
    *end = '\0';
    return s;
}

/* The status code whose inc_status_name() is @name, or 1 when none is. */
static int status_from_name(const char *name)
{
    int code;
    for (code = 0; code >= -64; code--)
        if (strcmp(inc_status_name(code), name) == 0)
            return code;
    return 1;
}

/* Split @text at '|' into s->field; a last field "=> NAME" is the expected status. */
static int split_step(char *text, unsigned line, step *s)
{
    char *p = text;
    s->line = line;
    s->count = 0;
    s->expect = INC_OK;
    for (;;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        if (s->count == MAX_FIELDS) {
            fprintf(stderr, "line %u: more than %d fields\n", line, MAX_FIELDS);
            return -1;
        }
        s->field[s->count++] = trim(p);
        if (!bar)
            break;
        p = bar + 1;
    }
    if (s->count > 2 && strncmp(s->field[s->count - 1], "=>", 2) == 0) {
        const char *name = trim(s->field[s->count - 1] + 2);
        s->expect = status_from_name(name);
        s->count--;
        if (s->expect > 0) {
            fprintf(stderr, "line %u: unknown status '%s'\n", line, name);
            return -1;
        }
    }
    return 0;
}

/* "+MM:SS" -> milliseconds (minutes may exceed 59). */
static int parse_offset(const char *text, inc_time *ms)
{
    unsigned long minutes, seconds;
    char *end;
    if (text[0] != '+')
        return -1;
    minutes = strtoul(text + 1, &end, 10);
    if (end == text + 1 || *end != ':' || strlen(end + 1) != 2)
        return -1;
    seconds = strtoul(end + 1, &end, 10);
    if (*end != '\0' || seconds > 59)
        return -1;
    *ms = (inc_time)(minutes * 60 + seconds) * 1000;
    return 0;
}

static int need_args(const step *s, size_t n)
{
    if (s->count == n + 2)
        return 0;
    fprintf(stderr, "line %u: %s takes %zu arguments, got %zu\n", s->line, s->field[1], n,
            s->count - 2);
    return -1;
}

static int do_declare(run *r, const step *s)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    d.declarer = s->field[2];
    d.severity = s->field[3];
    d.criteria = (unsigned)strtoul(s->field[4], NULL, 10);
    d.title = s->field[5];
    return inc_incident_declare(r->ctx, &d, &r->inc);
}

/* "-" stands for "none" in the script: NULL for the library. */
static const char *opt(const char *field)
{
    return strcmp(field, "-") == 0 ? NULL : field;
}

/* assign/release | ACTOR | PERSON | ROLE | DOMAIN */
static int do_role(run *r, const step *s, int assign)
{
    inc_role role;
    int rc = inc_role_from_name(s->field[4], &role);
    if (rc != INC_OK)
        return rc;
    return assign
               ? inc_incident_assign_role(r->inc, s->field[2], s->field[3], role, opt(s->field[5]))
               : inc_incident_release_role(r->inc, s->field[2], s->field[3], role,
                                           opt(s->field[5]));
}

static int do_state(run *r, const step *s)
{
    inc_state state;
    int rc = inc_state_from_name(s->field[3], &state);
    if (rc != INC_OK)
        return rc;
    return inc_incident_set_state(r->inc, s->field[2], state, opt(s->field[4]));
}

/* The staffing steps (incident/staffing.h). */
static int run_role_step(run *r, const step *s)
{
    const char *action = s->field[1];
    if (strcmp(action, "assign") == 0 || strcmp(action, "release") == 0)
        return need_args(s, 4) ? 1 : do_role(r, s, action[0] == 'a');
    if (strcmp(action, "handoff") == 0)
        return need_args(s, 5)
                   ? 1
                   : inc_incident_handoff(r->inc, s->field[2], s->field[3], opt(s->field[4]),
                                          opt(s->field[5]), s->field[6]);
    if (strcmp(action, "confirm") == 0)
        return need_args(s, 1) ? 1 : inc_incident_confirm_handoff(r->inc, s->field[2]);
    if (strcmp(action, "cancel") == 0)
        return need_args(s, 2) ? 1
                               : inc_incident_cancel_handoff(r->inc, s->field[2], opt(s->field[3]));
    fprintf(stderr, "line %u: unknown action '%s'\n", s->line, action);
    return 1;
}

/* can | AUTHOR | KIND | ADDRESSEE | CONDITIONS | ACTIONS | NEEDS */
static int do_can(run *r, const step *s)
{
    inc_can_report rep = INC_CAN_REPORT_INIT;
    inc_findings *findings = NULL;
    int rc = inc_can_kind_from_name(s->field[3], &rep.kind);
    if (rc != INC_OK)
        return rc;
    rep.addressee = opt(s->field[4]);
    rep.conditions = opt(s->field[5]);
    rep.actions = opt(s->field[6]);
    rep.needs = opt(s->field[7]);
    rc = inc_incident_add_can(r->inc, s->field[2], &rep, &findings, NULL);
    inc_findings_free(findings); /* the lint IDs are recorded with the report */
    return rc;
}

/* decide | ACTOR | ID | approve or deny | NOTE */
static int do_decide(run *r, const step *s)
{
    int approve = strcmp(s->field[4], "approve") == 0;
    if (!approve && strcmp(s->field[4], "deny") != 0) {
        fprintf(stderr, "line %u: expected 'approve' or 'deny'\n", s->line);
        return 1;
    }
    return inc_incident_decide(r->inc, s->field[2], strtoull(s->field[3], NULL, 10), approve,
                               opt(s->field[5]));
}

/* update | AUTHOR | AUDIENCE | BODY | COMPONENTS */
static int do_update(run *r, const step *s)
{
    inc_update u = INC_UPDATE_INIT;
    inc_findings *findings = NULL;
    int rc = inc_audience_from_name(s->field[3], &u.audience);
    if (rc != INC_OK)
        return rc;
    u.body = s->field[4];
    u.components = opt(s->field[5]);
    rc = inc_incident_add_update(r->inc, s->field[2], &u, &findings, NULL);
    inc_findings_free(findings);
    return rc;
}

/* The CAN and communication steps (incident/can.h, incident/comms.h), else
 * the staffing steps. */
static int run_comms_step(run *r, const step *s)
{
    const char *action = s->field[1];
    if (strcmp(action, "can") == 0)
        return need_args(s, 6) ? 1 : do_can(r, s);
    if (strcmp(action, "decide") == 0)
        return need_args(s, 4) ? 1 : do_decide(r, s);
    if (strcmp(action, "update") == 0)
        return need_args(s, 4) ? 1 : do_update(r, s);
    return run_role_step(r, s);
}

/* Run one step; returns its status, or 1 for a malformed step. */
static int run_step(run *r, const step *s)
{
    const char *action = s->field[1];
    if (strcmp(action, "declare") == 0 && r->inc) {
        fprintf(stderr, "line %u: the script declares a second incident\n", s->line);
        return 1;
    }
    if (strcmp(action, "declare") == 0)
        return need_args(s, 4) ? 1 : do_declare(r, s);
    if (!r->inc) {
        fprintf(stderr, "line %u: %s before declare\n", s->line, action);
        return 1;
    }
    if (strcmp(action, "note") == 0)
        return need_args(s, 2) ? 1 : inc_incident_note(r->inc, s->field[2], s->field[3]);
    if (strcmp(action, "severity") == 0)
        return need_args(s, 3)
                   ? 1
                   : inc_incident_set_severity(r->inc, s->field[2], s->field[3], s->field[4]);
    if (strcmp(action, "state") == 0)
        return need_args(s, 3) ? 1 : do_state(r, s);
    if (strcmp(action, "correct") == 0)
        return need_args(s, 3) ? 1
                               : inc_incident_correct(r->inc, s->field[2],
                                                      strtoull(s->field[3], NULL, 10), s->field[4]);
    return run_comms_step(r, s);
}

static const char *errmsg(const run *r)
{
    return r->inc ? inc_incident_errmsg(r->inc) : inc_context_errmsg(r->ctx);
}

/* Run every step of @f; 0 when each ends as the script expects. */
static int run_script(run *r, FILE *f)
{
    char buf[4096];
    unsigned line = 0;
    inc_time start = INC_TIME_NONE;

    while (fgets(buf, sizeof(buf), f)) {
        char *text = trim(buf);
        inc_time offset;
        step s;
        int rc;

        line++;
        if (text[0] == '\0' || text[0] == '#')
            continue;
        if (split_step(text, line, &s) != 0)
            return 1;
        if (start == INC_TIME_NONE) {
            if (s.count != 2 || strcmp(s.field[0], "start") != 0 ||
                inc_time_parse(s.field[1], &start) != INC_OK) {
                fprintf(stderr, "line %u: expected 'start | TIME'\n", line);
                return 1;
            }
            continue;
        }
        if (s.count < 2 || parse_offset(s.field[0], &offset) != 0) {
            fprintf(stderr, "line %u: expected '+MM:SS | ACTION ...'\n", line);
            return 1;
        }
        r->now = start + offset;
        rc = run_step(r, &s);
        if (rc != s.expect) {
            fprintf(stderr, "line %u: %s ended with %s (%s), the script expects %s\n", line,
                    s.field[1], inc_status_name(rc), errmsg(r), inc_status_name(s.expect));
            return 1;
        }
    }
    if (!r->inc) {
        fprintf(stderr, "the script declares no incident\n");
        return 1;
    }
    return 0;
}

static int print_result(const run *r, int timeline)
{
    uint64_t bad = 0;
    char *out = NULL;
    size_t len = 0;
    int rc = inc_incident_verify(r->inc, &bad);

    if (rc != INC_OK) {
        fprintf(stderr, "verify: %s at event %llu\n", inc_status_name(rc), (unsigned long long)bad);
        return 1;
    }
    rc = timeline ? inc_incident_render_timeline(r->inc, &out, &len)
                  : inc_incident_export_json(r->inc, &out, &len);
    if (rc != INC_OK) {
        fprintf(stderr, "output: %s: %s\n", inc_status_name(rc), inc_incident_errmsg(r->inc));
        return 1;
    }
    fwrite(out, 1, len, stdout);
    if (!timeline)
        putchar('\n');
    inc_free(out);
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    inc_context_options copts = INC_CONTEXT_OPTIONS_INIT;
    const char *path = INC_SCENARIO_SCRIPT;
    run r = {INC_TIME_NONE, NULL, NULL};
    int timeline = 0, status = 1, i, rc;
    FILE *f;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--timeline") == 0)
            timeline = 1;
        else
            path = argv[i];
    }
    f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    copts.clock = script_clock;
    copts.clock_user = &r;
    rc = inc_context_new(&copts, &r.ctx);
    if (rc != INC_OK) {
        fprintf(stderr, "inc_context_new: %s\n", inc_status_name(rc));
    } else if (run_script(&r, f) == 0) {
        status = print_result(&r, timeline);
    }
    fclose(f);
    inc_incident_free(r.inc);
    inc_context_free(r.ctx);
    return status;
}
