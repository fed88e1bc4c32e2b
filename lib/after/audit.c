/* The response audit (AUD-1): the first-ten-minutes checklist of the 001
 * runbook scored against T+10, the bridge record it looks for, and the
 * audit object with its text and JSON renderings. The antipatterns
 * (AUD-2) are found in audit_patterns.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "lint.h"
#include "util/json.h"
#include "util/text.h"
#include "util/time.h"

#define TEN_MINUTES            (10 * INC__MS_PER_MIN)
#define DEFAULT_MIN_MONITORING (15 * INC__MS_PER_MIN)

typedef struct audit_step {
    inc_audit_step pub;
    char detail[256];
} audit_step;

struct inc_audit {
    inc_allocator alloc;
    char id[INC_ID_MAX + 1];
    char title[INC_TITLE_MAX + 1];
    char severity[INC_LEVEL_NAME_MAX + 1];
    char level10[INC_LEVEL_NAME_MAX + 1]; /* the level of the first ten minutes */
    int drill;
    inc_time declared_at, audited_at;
    audit_step steps[INC_AUDIT_STEP_COUNT];
    inc_findings *anti;
};

static const char *const step_names[INC_AUDIT_STEP_COUNT] = {
    "declared",         "channel", "ic_assigned", "roles_paged",           "severity_set",
    "timeline_started", "bridge",  "first_can",   "first_external_update", "first_internal_update"};
static const char *const step_titles[INC_AUDIT_STEP_COUNT] = {"Declare",
                                                              "Create the incident channel",
                                                              "Assign IC",
                                                              "Page roles",
                                                              "Set initial severity",
                                                              "Start the timeline",
                                                              "Open a bridge",
                                                              "First CAN",
                                                              "First external update",
                                                              "First internal update"};
static const char *const result_names[] = {"done", "late", "missing", "pending", "not_applicable"};

const char *inc_audit_step_name(inc_audit_step_kind step)
{
    return (unsigned)step < INC_AUDIT_STEP_COUNT ? step_names[step] : NULL;
}

const char *inc_audit_result_name(inc_audit_result result)
{
    return (unsigned)result <= INC_AUDIT_NOT_APPLICABLE ? result_names[result] : NULL;
}

/* ---- the bridge ---------------------------------------------------------------- */

int inc_incident_open_bridge(inc_incident *inc, const char *actor, const char *where,
                             const char *text, uint64_t *seq)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "open a bridge")) ||
        (rc = inc__check_text(&inc->err, "where", where, 1024, INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, INC__TEXT_OPTIONAL)))
        return rc;
    inc__draft_init(&d, INC_EV_BRIDGE_OPENED, actor);
    inc__draft_str(&d, INC__F_TARGET, where);
    if (text && text[0])
        inc__draft_str(&d, INC__F_TEXT, text);
    if ((rc = inc__incident_write(inc, &d)) == INC_OK && seq)
        *seq = inc->event_count;
    return rc;
}

int inc__pm_prepare_bridge(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (inc__event_has(ev, INC__F_TARGET))
        return INC_OK;
    return inc_error_set(&inc->err, INC_ECORRUPT,
                         "incident %s, event %llu (bridge_opened): no "
                         "target",
                         inc->id, (unsigned long long)ev->seq);
}

void inc__pm_commit_bridge(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)inc;
    (void)ev;
    (void)prep;
}

/* ---- AUD-1: the first ten minutes ------------------------------------------------ */

/* What a walk over the timeline found for the checklist. */
typedef struct first10 {
    size_t level; /* the most severe level within the ten minutes */
    inc_time role_at[INC_ROLE_COUNT];
    uint64_t role_seq[INC_ROLE_COUNT];
    inc_time bridge_at, can_at, ext_at, int_at;
    uint64_t bridge_seq, can_seq, ext_seq, int_seq;
    int bridge_note; /* the bridge was found in a note */
} first10;

static const char *const bridge_words[] = {"bridge", "war room", "war-room", "video call",
                                           "conference call"};

static void first(inc_time *at, uint64_t *seq, const inc__event *ev)
{
    if (*at == INC_TIME_NONE) {
        *at = ev->time;
        *seq = ev->seq;
    }
}

/* A page request whose targets name @role's short name. */
static int target_names(const char *target, const char *name)
{
    size_t n = strlen(name);
    const char *p = target;
    while ((p = strstr(p, name)) != NULL) {
        int before = p == target || !inc__lint_is_word_at(target, strlen(target), p - target - 1);
        int after = !p[n] || !inc__lint_is_word_at(p, strlen(p), n);
        if (before && after)
            return 1;
        p += n;
    }
    return 0;
}

static void walk_page(first10 *w, const inc__event *ev)
{
    int r;
    for (r = 0; r < INC_ROLE_COUNT; r++)
        if (inc__event_has(ev, INC__F_TARGET) &&
            target_names(ev->str[INC__F_TARGET], inc_role_name((inc_role)r)))
            first(&w->role_at[r], &w->role_seq[r], ev);
}

static void walk_event(const inc_incident *inc, first10 *w, const inc__event *ev, inc_time t10)
{
    size_t level;
    switch (ev->kind) {
    case INC_EV_SEVERITY_CHANGED:
        if (ev->time <= t10 &&
            inc_rubric_get_level_index(inc->rubric, ev->str[INC__F_SEVERITY], &level) == INC_OK &&
            level < w->level)
            w->level = level;
        break;
    case INC_EV_ROLE_ASSIGNED:
        if (ev->num[INC__F_ROLE] >= 0 && ev->num[INC__F_ROLE] < INC_ROLE_COUNT)
            first(&w->role_at[ev->num[INC__F_ROLE]], &w->role_seq[ev->num[INC__F_ROLE]], ev);
        break;
    case INC_EV_PAGE_REQUESTED:
        walk_page(w, ev);
        break;
    case INC_EV_BRIDGE_OPENED:
        first(&w->bridge_at, &w->bridge_seq, ev);
        break;
    case INC_EV_NOTE:
        if (w->bridge_at == INC_TIME_NONE &&
            inc__lint_contains(ev->str[INC__F_TEXT], bridge_words,
                               sizeof(bridge_words) / sizeof(bridge_words[0]))) {
            first(&w->bridge_at, &w->bridge_seq, ev);
            w->bridge_note = 1;
        }
        break;
    case INC_EV_CAN_REPORT: {
        const char *ic = inc_incident_ic_at(inc, ev->time);
        if (ev->num[INC__F_REPORT_KIND] == INC_CAN_TOP_OF_HOUR ||
            (ic && strcmp(ic, ev->str[INC__F_ACTOR]) == 0))
            first(&w->can_at, &w->can_seq, ev);
        break;
    }
    case INC_EV_STATUS_UPDATE:
        if (ev->num[INC__F_AUDIENCE] == INC_AUDIENCE_EXTERNAL)
            first(&w->ext_at, &w->ext_seq, ev);
        else if (ev->num[INC__F_AUDIENCE] == INC_AUDIENCE_INTERNAL)
            first(&w->int_at, &w->int_seq, ev);
        break;
    default:
        break;
    }
}

static void walk_first10(const inc_incident *inc, first10 *w)
{
    inc_time t10 = inc->declared_at + TEN_MINUTES;
    size_t i;
    inc__event ev;

    memset(w, 0, sizeof(*w));
    for (i = 0; i < INC_ROLE_COUNT; i++)
        w->role_at[i] = INC_TIME_NONE;
    w->bridge_at = w->can_at = w->ext_at = w->int_at = INC_TIME_NONE;
    w->level = inc->severity_index;
    for (i = 0; i < inc->event_count; i++) {
        if (inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        if (ev.kind == INC_EV_DECLARED)
            inc_rubric_get_level_index(inc->rubric, ev.str[INC__F_SEVERITY], &w->level);
        else
            walk_event(inc, w, &ev, t10);
    }
}

static void put_offset(char *buf, size_t size, int64_t ms)
{
    if (inc_offset_format(ms, buf, size) != INC_OK)
        strcpy(buf, "T+?");
}

/* Score a step from when it was done (INC_TIME_NONE: not done). */
static void score(inc_audit *a, inc_audit_step_kind k, inc_time at, uint64_t seq)
{
    inc_audit_step *s = &a->steps[k].pub;
    s->at = at;
    s->seq = seq;
    if (at == INC_TIME_NONE) {
        s->result =
            a->audited_at > a->declared_at + TEN_MINUTES ? INC_AUDIT_MISSING : INC_AUDIT_PENDING;
        return;
    }
    s->offset_ms = at - a->declared_at;
    s->result = s->offset_ms <= TEN_MINUTES ? INC_AUDIT_DONE : INC_AUDIT_LATE;
}

static void not_applicable(inc_audit *a, inc_audit_step_kind k)
{
    a->steps[k].pub.result = INC_AUDIT_NOT_APPLICABLE;
}

static void detail(inc_audit *a, inc_audit_step_kind k, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void detail(inc_audit *a, inc_audit_step_kind k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->steps[k].detail, sizeof(a->steps[k].detail), fmt, ap);
    va_end(ap);
}

/* "Page roles": every required role assigned or paged; done at the latest. */
static void score_roles(inc_audit *a, const inc_incident *inc, const first10 *w)
{
    unsigned need = INC_ROLE_BIT(INC_ROLE_SCRIBE) | INC_ROLE_BIT(INC_ROLE_COMMS);
    char *p = a->steps[INC_AUDIT_ROLES_PAGED].detail;
    size_t room = sizeof(a->steps[0].detail), used = 0;
    inc_time last = INC_TIME_NONE;
    uint64_t last_seq = 0;
    int r, missing = 0;

    if (!inc_rubric_flag(inc->rubric, w->level, INC_FLAG_BRIDGE)) {
        not_applicable(a, INC_AUDIT_ROLES_PAGED);
        detail(a, INC_AUDIT_ROLES_PAGED, "roles are paged as needed at %s", a->level10);
        return;
    }
    if (inc_rubric_flag(inc->rubric, w->level, INC_FLAG_EXEC_POSTURE))
        need |= INC_ROLE_BIT(INC_ROLE_SPONSOR) | INC_ROLE_BIT(INC_ROLE_LEGAL) |
                INC_ROLE_BIT(INC_ROLE_PR);
    for (r = 0; r < INC_ROLE_COUNT; r++) {
        char off[32];
        int n;
        if (!(need & INC_ROLE_BIT(r)))
            continue;
        if (w->role_at[r] == INC_TIME_NONE) {
            missing = 1;
            strcpy(off, "not paged");
        } else {
            put_offset(off, sizeof(off), w->role_at[r] - inc->declared_at);
            if (last == INC_TIME_NONE || w->role_at[r] > last) {
                last = w->role_at[r];
                last_seq = w->role_seq[r];
            }
        }
        n = snprintf(p + used, room - used, "%s%s %s", used ? ", " : "",
                     inc_role_title((inc_role)r), off);
        if (n > 0 && (size_t)n < room - used)
            used += (size_t)n;
    }
    score(a, INC_AUDIT_ROLES_PAGED, missing ? INC_TIME_NONE : last, missing ? 0 : last_seq);
}

/* The severity the incident was declared at, and the level of its first ten
 * minutes when a change within them made that a different one. */
static void severity_detail(inc_audit *a, const inc_incident *inc)
{
    inc__event ev;
    const char *declared = a->level10;
    if (inc__incident_event_at(inc, 0, &ev) == INC_OK && inc__event_has(&ev, INC__F_SEVERITY))
        declared = ev.str[INC__F_SEVERITY];
    if (strcmp(declared, a->level10) == 0)
        detail(a, INC_AUDIT_SEVERITY_SET, "declared at %s", declared);
    else
        detail(a, INC_AUDIT_SEVERITY_SET, "declared at %s, %s within the first ten minutes",
               declared, a->level10);
}

static void score_steps(inc_audit *a, const inc_incident *inc, const first10 *w)
{
    int customer;

    score(a, INC_AUDIT_DECLARED, inc->declared_at, 1);
    detail(a, INC_AUDIT_DECLARED, "declared by %s", inc->declarer);
    score(a, INC_AUDIT_CHANNEL, inc->declared_at, 1);
    detail(a, INC_AUDIT_CHANNEL, "#%s", inc->channel);
    score(a, INC_AUDIT_IC_ASSIGNED, inc->declared_at, 1);
    detail(a, INC_AUDIT_IC_ASSIGNED, "%s, the declarer, is IC until a hand-off (DEC-1)",
           inc->declarer);
    score_roles(a, inc, w);
    score(a, INC_AUDIT_SEVERITY_SET, inc->declared_at, 1);
    severity_detail(a, inc);
    score(a, INC_AUDIT_TIMELINE_STARTED, inc->declared_at, 1);
    detail(a, INC_AUDIT_TIMELINE_STARTED, "T+0: Incident declared");
    if (!inc_rubric_flag(inc->rubric, w->level, INC_FLAG_BRIDGE)) {
        not_applicable(a, INC_AUDIT_BRIDGE);
        detail(a, INC_AUDIT_BRIDGE, "%s needs no bridge", a->level10);
    } else {
        score(a, INC_AUDIT_BRIDGE, w->bridge_at, w->bridge_seq);
        detail(a, INC_AUDIT_BRIDGE, "%s",
               w->bridge_at == INC_TIME_NONE ? "no bridge recorded"
               : w->bridge_note              ? "a note mentions the bridge"
                                             : "bridge opened");
    }
    score(a, INC_AUDIT_FIRST_CAN, w->can_at, w->can_seq);
    detail(a, INC_AUDIT_FIRST_CAN, "%s",
           w->can_at == INC_TIME_NONE ? "no CAN report by the IC" : "CAN report by the IC");
    customer = (inc->criteria & INC_CRIT_CUSTOMER_VISIBLE) || w->ext_at != INC_TIME_NONE;
    if (!customer) {
        not_applicable(a, INC_AUDIT_FIRST_EXTERNAL);
        detail(a, INC_AUDIT_FIRST_EXTERNAL, "not customer-facing");
    } else {
        score(a, INC_AUDIT_FIRST_EXTERNAL, w->ext_at, w->ext_seq);
        detail(a, INC_AUDIT_FIRST_EXTERNAL, "%s",
               w->ext_at == INC_TIME_NONE ? "no external update" : "external update posted");
    }
    if (inc_rubric_duration(inc->rubric, w->level, INC_DUR_CADENCE_INTERNAL) == INC_DURATION_NONE) {
        not_applicable(a, INC_AUDIT_FIRST_INTERNAL);
        detail(a, INC_AUDIT_FIRST_INTERNAL, "internal updates are as needed at %s", a->level10);
    } else {
        score(a, INC_AUDIT_FIRST_INTERNAL, w->int_at, w->int_seq);
        detail(a, INC_AUDIT_FIRST_INTERNAL, "%s",
               w->int_at == INC_TIME_NONE ? "no internal update" : "internal update posted");
    }
}

/* ---- the audit object --------------------------------------------------------- */

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    memcpy(dst, src ? src : "", n);
    dst[n] = 0;
}

int inc_incident_audit(inc_incident *inc, const inc_audit_options *opts, inc_audit **out)
{
    inc_audit_options defaults = INC_AUDIT_OPTIONS_INIT;
    inc_audit *a;
    first10 w;
    unsigned k;
    int rc;

    if (!inc || !out)
        return inc ? inc_error_set(&inc->err, INC_EINVAL, "audit: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&inc->err);
    if (!opts)
        opts = &defaults;
    if (opts->version != INC_AUDIT_OPTIONS_VERSION)
        return inc_error_set(&inc->err, INC_EVERSION, "audit options: unknown version %u",
                             opts->version);
    if (opts->min_monitoring_ms < 0)
        return inc_error_set(&inc->err, INC_EINVAL, "min_monitoring_ms: negative");
    if (!(a = inc__calloc(inc->alloc, 1, sizeof(*a))))
        return inc__error_oom(&inc->err);
    a->alloc = *inc->alloc;
    copy_str(a->id, sizeof(a->id), inc->id);
    copy_str(a->title, sizeof(a->title), inc->title);
    copy_str(a->severity, sizeof(a->severity), inc->severity);
    a->drill = inc->drill;
    a->declared_at = inc->declared_at;
    a->audited_at = opts->now != INC_TIME_NONE ? opts->now : inc_context_now(inc->ctx);
    walk_first10(inc, &w);
    copy_str(a->level10, sizeof(a->level10), inc_rubric_level_name(inc->rubric, w.level));
    for (k = 0; k < INC_AUDIT_STEP_COUNT; k++) {
        a->steps[k].pub.kind = (inc_audit_step_kind)k;
        a->steps[k].pub.name = step_names[k];
        a->steps[k].pub.title = step_titles[k];
        a->steps[k].pub.at = INC_TIME_NONE;
        a->steps[k].pub.detail = a->steps[k].detail;
    }
    score_steps(a, inc, &w);
    rc = inc__findings_new(&a->alloc, &a->anti);
    if (rc == INC_OK)
        rc = inc__audit_patterns(
            inc, a->audited_at,
            opts->min_monitoring_ms ? opts->min_monitoring_ms : DEFAULT_MIN_MONITORING, a->anti);
    if (rc != INC_OK) {
        inc_audit_free(a);
        return inc__error_oom(&inc->err);
    }
    *out = a;
    return INC_OK;
}

void inc_audit_free(inc_audit *audit)
{
    inc_allocator alloc;
    if (!audit)
        return;
    alloc = audit->alloc;
    inc_findings_free(audit->anti);
    inc__free(&alloc, audit);
}

size_t inc_audit_step_count(const inc_audit *audit)
{
    return audit ? INC_AUDIT_STEP_COUNT : 0;
}

const inc_audit_step *inc_audit_step_at(const inc_audit *audit, size_t index)
{
    return audit && index < INC_AUDIT_STEP_COUNT ? &audit->steps[index].pub : NULL;
}

const inc_findings *inc_audit_antipatterns(const inc_audit *audit)
{
    return audit ? audit->anti : NULL;
}

int inc_audit_get_summary(const inc_audit *audit, inc_audit_summary *out)
{
    size_t *counts[5];
    unsigned k;
    if (!audit || !out)
        return INC_EINVAL;
    memset(out, 0, sizeof(*out));
    counts[0] = &out->done;
    counts[1] = &out->late;
    counts[2] = &out->missing;
    counts[3] = &out->pending;
    counts[4] = &out->not_applicable;
    for (k = 0; k < INC_AUDIT_STEP_COUNT; k++)
        (*counts[audit->steps[k].pub.result])++;
    out->antipatterns = inc_findings_count(audit->anti);
    out->drill = audit->drill;
    return INC_OK;
}

/* ---- rendering ---------------------------------------------------------------- */

static void put_time(inc__buf *b, inc_time t)
{
    char s[32];
    if (inc_time_format(t, s, sizeof(s)) != INC_OK)
        strcpy(s, "?");
    inc__buf_puts(b, s);
}

static const char *const result_labels[] = {"done", "LATE", "MISSING", "pending", "n/a"};

int inc_audit_render_text(const inc_audit *a, char **out, size_t *len)
{
    inc_audit_summary sum;
    inc__buf b;
    size_t i, n;

    if (!a || !out)
        return INC_EINVAL;
    *out = NULL;
    inc_audit_get_summary(a, &sum);
    inc__buf_init(&b, &a->alloc);
    inc__buf_printf(&b, "Response audit of %s: %s%s\n", a->id, a->title,
                    a->drill ? " [DRILL: Game Day, excluded from metrics]" : "");
    inc__buf_printf(&b, "Severity %s (first ten minutes at %s); declared ", a->severity,
                    a->level10);
    put_time(&b, a->declared_at);
    inc__buf_puts(&b, ", audited ");
    put_time(&b, a->audited_at);
    inc__buf_puts(&b, "\n\nFirst ten minutes (AUD-1), against T+10m00s:\n");
    for (i = 0; i < INC_AUDIT_STEP_COUNT; i++) {
        const inc_audit_step *s = &a->steps[i].pub;
        char off[32] = "";
        if (s->at != INC_TIME_NONE)
            put_offset(off, sizeof(off), s->offset_ms);
        inc__buf_printf(&b, "  %-8s %-28s %-10s %s\n", result_labels[s->result], s->title, off,
                        s->detail);
    }
    inc__buf_printf(&b, "Score: %zu done, %zu late, %zu missing, %zu pending, %zu not applicable\n",
                    sum.done, sum.late, sum.missing, sum.pending, sum.not_applicable);
    n = inc_findings_count(a->anti);
    if (n)
        inc__buf_printf(&b, "\nAntipatterns (AUD-2): %zu found\n", n);
    else
        inc__buf_puts(&b, "\nAntipatterns (AUD-2): none found\n");
    for (i = 0; i < n; i++)
        inc__buf_printf(&b, "  %s\n", inc_findings_at(a->anti, i)->message);
    return inc__buf_detach(&b, out, len);
}

static void json_key(inc__buf *b, const char *key, int first)
{
    if (!first)
        inc__buf_putc(b, ',');
    inc__json_put_str(b, key);
    inc__buf_putc(b, ':');
}

static void json_time(inc__buf *b, const char *key, inc_time t)
{
    char s[32];
    json_key(b, key, 0);
    if (t == INC_TIME_NONE || inc_time_format(t, s, sizeof(s)) != INC_OK)
        inc__buf_puts(b, "null");
    else
        inc__json_put_str(b, s);
}

static void json_step(inc__buf *b, const inc_audit_step *s)
{
    inc__buf_putc(b, '{');
    json_key(b, "step", 1);
    inc__json_put_str(b, s->name);
    json_key(b, "title", 0);
    inc__json_put_str(b, s->title);
    json_key(b, "result", 0);
    inc__json_put_str(b, result_names[s->result]);
    json_time(b, "at", s->at);
    json_key(b, "offset_ms", 0);
    if (s->at == INC_TIME_NONE)
        inc__buf_puts(b, "null");
    else
        inc__json_put_i64(b, s->offset_ms);
    json_key(b, "seq", 0);
    inc__json_put_u64(b, s->seq);
    json_key(b, "detail", 0);
    inc__json_put_str(b, s->detail);
    inc__buf_putc(b, '}');
}

static void json_pattern(inc__buf *b, const inc_audit *a, const inc_finding *f)
{
    size_t i;
    inc__buf_putc(b, '{');
    json_key(b, "rule_id", 1);
    inc__json_put_str(b, f->rule_id);
    json_time(b, "start", f->since);
    json_time(b, "end", f->since + f->value);
    json_key(b, "start_offset_ms", 0);
    inc__json_put_i64(b, f->since - a->declared_at);
    json_key(b, "duration_ms", 0);
    inc__json_put_i64(b, f->value);
    json_key(b, "people", 0);
    inc__buf_putc(b, '[');
    for (i = 0; i < f->people_count; i++) {
        if (i)
            inc__buf_putc(b, ',');
        inc__json_put_str(b, f->people[i]);
    }
    inc__buf_putc(b, ']');
    json_key(b, "message", 0);
    inc__json_put_str(b, f->message);
    inc__buf_putc(b, '}');
}

int inc_audit_render_json(const inc_audit *a, char **out, size_t *len)
{
    inc_audit_summary sum;
    inc__buf b;
    size_t i;

    if (!a || !out)
        return INC_EINVAL;
    *out = NULL;
    inc_audit_get_summary(a, &sum);
    inc__buf_init(&b, &a->alloc);
    inc__buf_putc(&b, '{');
    json_key(&b, "incident_id", 1);
    inc__json_put_str(&b, a->id);
    json_key(&b, "title", 0);
    inc__json_put_str(&b, a->title);
    json_key(&b, "severity", 0);
    inc__json_put_str(&b, a->severity);
    json_key(&b, "first_ten_minutes_severity", 0);
    inc__json_put_str(&b, a->level10);
    json_key(&b, "drill", 0);
    inc__json_put_bool(&b, a->drill);
    json_time(&b, "declared_at", a->declared_at);
    json_time(&b, "audited_at", a->audited_at);
    inc__buf_printf(&b,
                    ",\"summary\":{\"done\":%zu,\"late\":%zu,\"missing\":%zu,\"pending\":%zu,"
                    "\"not_applicable\":%zu,\"antipatterns\":%zu}",
                    sum.done, sum.late, sum.missing, sum.pending, sum.not_applicable,
                    sum.antipatterns);
    json_key(&b, "steps", 0);
    inc__buf_putc(&b, '[');
    for (i = 0; i < INC_AUDIT_STEP_COUNT; i++) {
        if (i)
            inc__buf_putc(&b, ',');
        json_step(&b, &a->steps[i].pub);
    }
    inc__buf_putc(&b, ']');
    json_key(&b, "antipatterns", 0);
    inc__buf_putc(&b, '[');
    for (i = 0; i < inc_findings_count(a->anti); i++) {
        if (i)
            inc__buf_putc(&b, ',');
        json_pattern(&b, a, inc_findings_at(a->anti, i));
    }
    inc__buf_puts(&b, "]}");
    return inc__buf_detach(&b, out, len);
}
