/* The antipatterns of the 001 seed found in a timeline, each with the span
 * of time it held (AUD-2). What each one means exactly is documented in
 * incident/audit.h; here each is one walk over the events or the role
 * assignments. Spans are collected, sorted by their start and then added
 * to the findings list with the span in the message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident_internal.h"
#include "lint.h"
#include "util/time.h"

typedef struct pat {
    const char *rule;
    inc_time start, stop;
    const char *who[2];
    inc_role roles[2];
    int nroles;
    char text[224];
} pat;

typedef struct walk {
    inc_incident *inc;
    inc_time end; /* the resolution, or the audit's time while unresolved */
    inc_time now;
    int64_t min_monitoring;
    pat *v;
    size_t n, cap;
    int failed;
} walk;

static pat *add(walk *w, const char *rule, inc_time start, inc_time stop, const char *who)
{
    pat *p;
    if (w->failed)
        return NULL;
    if (inc__array_reserve(w->inc->alloc, (void **)&w->v, &w->cap, w->n + 1, sizeof(pat)) !=
        INC_OK) {
        w->failed = INC_ENOMEM;
        return NULL;
    }
    p = &w->v[w->n++];
    memset(p, 0, sizeof(*p));
    p->rule = rule;
    p->start = start;
    p->stop = stop < start ? start : stop;
    p->who[0] = who;
    return p;
}

static void role(pat *p, inc_role r)
{
    if (p && p->nroles < 2)
        p->roles[p->nroles++] = r;
}

static void offset(char *buf, size_t size, int64_t ms)
{
    if (inc_offset_format(ms, buf, size) != INC_OK)
        strcpy(buf, "T+?");
}

static int event_at(const inc_incident *inc, size_t i, inc__event *ev)
{
    return inc__incident_event_at(inc, i, ev);
}

static int is_ic(const inc_incident *inc, const char *person, inc_time t)
{
    const char *ic = inc_incident_ic_at(inc, t);
    return ic && person && strcmp(ic, person) == 0;
}

static inc_time until(const inc_assignment *a, inc_time end)
{
    return a->released_at == INC_TIME_NONE || a->released_at > end ? end : a->released_at;
}

/* ---- IC also SME; IC holding the Scribe role ------------------------------------ */

static void overlaps(walk *w, inc_role other, const char *rule, const char *what)
{
    size_t n = inc_incident_assignment_count(w->inc), i, j;
    for (i = 0; i < n; i++) {
        const inc_assignment *ic = inc_incident_assignment(w->inc, i);
        if (ic->role != INC_ROLE_IC)
            continue;
        for (j = 0; j < n; j++) {
            const inc_assignment *s = inc_incident_assignment(w->inc, j);
            inc_time lo, hi;
            pat *p;
            if (s->role != other || strcmp(s->person, ic->person) != 0)
                continue;
            lo = ic->assigned_at > s->assigned_at ? ic->assigned_at : s->assigned_at;
            hi = until(ic, w->end) < until(s, w->end) ? until(ic, w->end) : until(s, w->end);
            if (lo >= hi)
                continue;
            if ((p = add(w, rule, lo, hi, ic->person)) != NULL) {
                role(p, INC_ROLE_IC);
                role(p, other);
                snprintf(p->text, sizeof(p->text), "%s is IC and %s%s%s", ic->person, what,
                         s->domain ? " for " : "", s->domain ? s->domain : "");
            }
        }
    }
}

/* ---- no declared IC ------------------------------------------------------------------- */

static int is_work(int kind)
{
    return kind == INC_EV_NOTE || kind == INC_EV_CAN_REPORT || kind == INC_EV_STATUS_UPDATE ||
           kind == INC_EV_DECISION_REQUESTED;
}

static void no_ic(walk *w)
{
    inc_time first = INC_TIME_NONE;
    const char *by = NULL;
    size_t i;
    inc__event ev;
    pat *p;

    for (i = 1; i < w->inc->event_count; i++) {
        if (event_at(w->inc, i, &ev) != INC_OK || ev.kind == INC_EV_DUE_DELIVERED)
            continue;
        if (is_ic(w->inc, ev.str[INC__F_ACTOR], ev.time))
            break; /* the IC took command */
        if (first == INC_TIME_NONE && is_work(ev.kind)) {
            first = ev.time;
            by = ev.str[INC__F_ACTOR];
        }
    }
    if (first == INC_TIME_NONE || first >= w->end)
        return;
    if ((p = add(w, "AUD-2.no-ic", first, i < w->inc->event_count ? ev.time : w->end, by))) {
        p->who[1] = inc_incident_ic_at(w->inc, first);
        snprintf(p->text, sizeof(p->text),
                 "%s worked the incident before the IC (%s) took command by any recorded act", by,
                 p->who[1] ? p->who[1] : "?");
    }
}

/* ---- IC taking notes: no Scribe ------------------------------------------------------- */

/* When someone other than @ic next holds the Scribe role at or after @t
 * (INC_TIME_NONE: never), and whether one holds it at @t. */
static inc_time scribe_from(const inc_incident *inc, const char *ic, inc_time t, int *now)
{
    size_t n = inc_incident_assignment_count(inc), i;
    inc_time next = INC_TIME_NONE;
    *now = 0;
    for (i = 0; i < n; i++) {
        const inc_assignment *a = inc_incident_assignment(inc, i);
        if (a->role != INC_ROLE_SCRIBE || strcmp(a->person, ic) == 0)
            continue;
        if (a->assigned_at <= t && (a->released_at == INC_TIME_NONE || a->released_at > t))
            *now = 1;
        else if (a->assigned_at > t && (next == INC_TIME_NONE || a->assigned_at < next))
            next = a->assigned_at;
    }
    return next;
}

static void ic_notes(walk *w)
{
    inc_time covered = INC_TIME_NONE; /* notes before this are in a reported span */
    size_t i;
    inc__event ev;

    if (inc_rubric_combo(w->inc->rubric, w->inc->severity_index, INC_ROLE_IC, INC_ROLE_SCRIBE) ==
        INC_COMBO_ALLOWED)
        return; /* ROLE-4: at this level the IC may carry the Scribe's duties */
    overlaps(w, INC_ROLE_SCRIBE, "AUD-2.ic-taking-notes", "holds the Scribe role");
    for (i = 1; i < w->inc->event_count; i++) {
        const char *ic;
        inc_time next;
        int held;
        pat *p;
        if (event_at(w->inc, i, &ev) != INC_OK || ev.kind != INC_EV_NOTE || ev.time >= w->end ||
            (covered != INC_TIME_NONE && ev.time < covered))
            continue;
        ic = ev.str[INC__F_ACTOR];
        if (!is_ic(w->inc, ic, ev.time))
            continue;
        next = scribe_from(w->inc, ic, ev.time, &held);
        if (held)
            continue;
        covered = next == INC_TIME_NONE || next > w->end ? w->end : next;
        if ((p = add(w, "AUD-2.ic-taking-notes", ev.time, covered, ic)) != NULL) {
            role(p, INC_ROLE_IC);
            role(p, INC_ROLE_SCRIBE);
            snprintf(p->text, sizeof(p->text), "the IC (%s) is taking notes with no Scribe%s", ic,
                     next == INC_TIME_NONE ? "" : " until one is assigned");
        }
        if (covered == w->end)
            break;
    }
}

/* ---- freelancing -------------------------------------------------------------------------- */

/* When @person was next given a role after @t, or INC_TIME_NONE. */
static inc_time role_from(const inc_incident *inc, const char *person, inc_time t)
{
    size_t n = inc_incident_assignment_count(inc), i;
    inc_time next = INC_TIME_NONE;
    for (i = 0; i < n; i++) {
        const inc_assignment *a = inc_incident_assignment(inc, i);
        if (strcmp(a->person, person) == 0 && a->assigned_at > t &&
            (next == INC_TIME_NONE || a->assigned_at < next))
            next = a->assigned_at;
    }
    return next;
}

static int freelance_report(const inc_incident *inc, const inc__event *ev)
{
    const char *who = ev->str[INC__F_ACTOR];
    return ev->kind == INC_EV_CAN_REPORT && inc__event_has(ev, INC__F_ACTIONS) &&
           !inc__lint_blank(ev->str[INC__F_ACTIONS]) && !is_ic(inc, who, ev->time) &&
           inc_incident_person_roles_at(inc, who, ev->time) == 0;
}

static void freelancing(walk *w)
{
    size_t i, j;
    inc__event ev, later;

    for (i = 1; i < w->inc->event_count; i++) {
        const char *who;
        inc_time stop, last, given;
        int seen = 0;
        pat *p;
        if (event_at(w->inc, i, &ev) != INC_OK || ev.time >= w->end ||
            !freelance_report(w->inc, &ev))
            continue;
        who = ev.str[INC__F_ACTOR];
        for (j = 0; j < w->n && !seen; j++) /* one span per person */
            seen =
                strcmp(w->v[j].rule, "AUD-2.freelancing") == 0 && strcmp(w->v[j].who[0], who) == 0;
        if (seen)
            continue;
        last = ev.time;
        given = role_from(w->inc, who, ev.time);
        for (j = i + 1; j < w->inc->event_count; j++)
            if (event_at(w->inc, j, &later) == INC_OK && later.time < w->end &&
                strcmp(later.str[INC__F_ACTOR], who) == 0 && freelance_report(w->inc, &later) &&
                (given == INC_TIME_NONE || later.time < given))
                last = later.time;
        stop = given != INC_TIME_NONE && given < w->end ? given : last;
        if ((p = add(w, "AUD-2.freelancing", ev.time, stop, who)) != NULL)
            snprintf(p->text, sizeof(p->text),
                     "%s reported actions while holding no role (freelancing)%s", who,
                     given != INC_TIME_NONE ? ", until given a role" : "");
    }
}

/* ---- hand-off without briefing ----------------------------------------------------------- */

static void handoffs(walk *w)
{
    size_t i, j;
    inc__event ev, conf;

    for (i = 1; i < w->inc->event_count; i++) {
        const char *why = NULL;
        pat *p;
        if (event_at(w->inc, i, &ev) != INC_OK || ev.kind != INC_EV_HANDOFF_STARTED)
            continue;
        if (inc__lint_blank(inc__event_str(&ev, INC__F_CONDITIONS)))
            why = "no Conditions";
        else if (inc__lint_blank(inc__event_str(&ev, INC__F_ACTIONS)))
            why = "no Actions";
        else if (inc_can_needs_none(inc__event_str(&ev, INC__F_NEEDS)) &&
                 !inc__lint_blank(inc__event_str(&ev, INC__F_REQUESTS)))
            why = "Needs \"none\" while decisions were pending";
        if (!why)
            continue;
        for (j = i + 1; j < w->inc->event_count; j++)
            if (event_at(w->inc, j, &conf) == INC_OK && conf.kind == INC_EV_HANDOFF_CONFIRMED &&
                (uint64_t)conf.num[INC__F_REF_SEQ] == ev.seq)
                break;
        if (j == w->inc->event_count)
            continue; /* never confirmed: no hand-off happened */
        if ((p = add(w, "AUD-2.handoff-without-briefing", ev.time, conf.time,
                     ev.str[INC__F_ACTOR])) != NULL) {
            p->who[1] = conf.str[INC__F_ACTOR];
            role(p, INC_ROLE_IC);
            snprintf(p->text, sizeof(p->text),
                     "hand-off of command %s -> %s with a briefing "
                     "that has %s",
                     p->who[0], p->who[1], why);
        }
    }
}

/* ---- all-clear too early; severity changes ------------------------------------------------ */

/* LIFE-4: a reopening; the all-clear held from the resolution until then. */
static void reopened(walk *w, inc_time resolved, const inc__event *ev)
{
    char dur[48];
    pat *p;
    if (resolved == INC_TIME_NONE ||
        !(p = add(w, "AUD-2.all-clear-too-early", resolved, ev->time, ev->str[INC__F_ACTOR])))
        return;
    inc__duration_format(ev->time - resolved, dur);
    snprintf(p->text, sizeof(p->text), "reopened %s after the all-clear (LIFE-4)", dur);
}

static void all_clear(walk *w)
{
    inc_time monitoring = INC_TIME_NONE, resolved = INC_TIME_NONE;
    char dur[48];
    size_t i;
    inc__event ev;

    for (i = 1; i < w->inc->event_count; i++) {
        int64_t to;
        pat *p = NULL;
        if (event_at(w->inc, i, &ev) != INC_OK)
            continue;
        if (ev.kind == INC_EV_REOPENED) {
            reopened(w, resolved, &ev);
            resolved = INC_TIME_NONE;
            continue;
        }
        if (ev.kind != INC_EV_STATE_CHANGED)
            continue;
        to = ev.num[INC__F_STATE];
        if (to == INC_STATE_RESOLVED)
            resolved = ev.time;
        if (to == INC_STATE_MONITORING) {
            monitoring = ev.time;
            continue;
        }
        if (monitoring == INC_TIME_NONE)
            continue;
        if (to == INC_STATE_MITIGATING &&
            (p = add(w, "AUD-2.all-clear-too-early", monitoring, ev.time, ev.str[INC__F_ACTOR])))
            snprintf(p->text, sizeof(p->text), "reopened: the mitigation did not hold");
        if (to == INC_STATE_RESOLVED && ev.time - monitoring < w->min_monitoring &&
            (p = add(w, "AUD-2.all-clear-too-early", monitoring, ev.time, ev.str[INC__F_ACTOR]))) {
            inc__duration_format(w->min_monitoring, dur);
            snprintf(p->text, sizeof(p->text), "resolved after less than %s of monitoring", dur);
        }
        monitoring = INC_TIME_NONE;
    }
}

static void severity_changes(walk *w)
{
    size_t i, j;
    inc__event ev, next;

    for (i = 1; i < w->inc->event_count; i++) {
        inc_time stop = w->end;
        const char *by, *why;
        pat *p;
        if (event_at(w->inc, i, &ev) != INC_OK || ev.kind != INC_EV_SEVERITY_CHANGED ||
            ev.time >= w->end)
            continue;
        by = ev.str[INC__F_ACTOR];
        why = !is_ic(w->inc, by, ev.time)                         ? "by someone who was not the IC"
              : inc__lint_blank(inc__event_str(&ev, INC__F_TEXT)) ? "without a justification"
                                                                  : NULL;
        if (!why)
            continue;
        for (j = i + 1; j < w->inc->event_count; j++)
            if (event_at(w->inc, j, &next) == INC_OK && next.kind == INC_EV_SEVERITY_CHANGED) {
                stop = next.time < w->end ? next.time : w->end;
                break;
            }
        if ((p = add(w, "AUD-2.severity-unjustified", ev.time, stop, by)) != NULL)
            snprintf(p->text, sizeof(p->text), "severity changed %s -> %s %s (AUTH-1, AUTH-2)",
                     inc__event_str(&ev, INC__F_FROM_SEVERITY), ev.str[INC__F_SEVERITY], why);
    }
}

/* ---- cadence missed ------------------------------------------------------------------------ */

typedef struct cad {
    size_t level;
    int64_t ic_every[INC_AUDIENCE_COUNT];
    int ic_set[INC_AUDIENCE_COUNT];
    inc_time last[INC_AUDIENCE_COUNT], due[INC_AUDIENCE_COUNT], missed[INC_AUDIENCE_COUNT];
} cad;

static void cad_due(const walk *w, cad *c, int a)
{
    int64_t every = c->ic_set[a]
                        ? c->ic_every[a]
                        : inc_rubric_duration(w->inc->rubric, c->level,
                                              (inc_level_duration)(INC_DUR_CADENCE_EXTERNAL + a));
    if (c->missed[a] == INC_TIME_NONE)
        c->due[a] = every > 0 ? c->last[a] + every : INC_TIME_NONE;
}

static void cad_close(walk *w, cad *c, int a, inc_time t, const char *how)
{
    char due[32];
    pat *p;
    if (c->missed[a] == INC_TIME_NONE)
        return;
    offset(due, sizeof(due), c->missed[a] - w->inc->declared_at);
    if ((p = add(w, "AUD-2.cadence-missed", c->missed[a], t, NULL)) != NULL) {
        role(p, inc_audience_writer((inc_audience)a));
        snprintf(p->text, sizeof(p->text), "%s update due at %s %s",
                 inc_audience_name((inc_audience)a), due, how);
    }
    c->missed[a] = INC_TIME_NONE;
}

static void cad_event(walk *w, cad *c, const inc__event *ev)
{
    int a = -1;
    switch (ev->kind) {
    case INC_EV_STATUS_UPDATE:
        a = (int)ev->num[INC__F_AUDIENCE];
        break;
    case INC_EV_CAN_REPORT:
        if (ev->num[INC__F_REPORT_KIND] == INC_CAN_TOP_OF_HOUR)
            a = INC_AUDIENCE_RESPONSE;
        break;
    case INC_EV_SEVERITY_CHANGED:
        inc_rubric_get_level_index(w->inc->rubric, ev->str[INC__F_SEVERITY], &c->level);
        for (a = 0; a < INC_AUDIENCE_COUNT; a++)
            cad_due(w, c, a);
        return;
    case INC_EV_CADENCE_CHANGED:
        a = (int)ev->num[INC__F_AUDIENCE];
        c->ic_set[a] = ev->num[INC__F_DURATION] != INC_CADENCE_RUBRIC;
        c->ic_every[a] = ev->num[INC__F_DURATION];
        cad_due(w, c, a);
        return;
    default:
        return;
    }
    if (a < 0 || a >= INC_AUDIENCE_COUNT)
        return;
    if (c->missed[a] != INC_TIME_NONE) {
        char came[32];
        char how[64];
        offset(came, sizeof(came), ev->time - w->inc->declared_at);
        snprintf(how, sizeof(how), "came at %s", came);
        cad_close(w, c, a, ev->time, how);
    }
    c->last[a] = ev->time;
    cad_due(w, c, a);
}

static void cadence(walk *w)
{
    cad c;
    size_t i;
    int a, resolved = 0;
    inc__event ev;

    memset(&c, 0, sizeof(c));
    if (event_at(w->inc, 0, &ev) != INC_OK ||
        inc_rubric_get_level_index(w->inc->rubric, ev.str[INC__F_SEVERITY], &c.level) != INC_OK)
        return;
    for (a = 0; a < INC_AUDIENCE_COUNT; a++) {
        c.last[a] = w->inc->declared_at;
        c.missed[a] = INC_TIME_NONE;
        cad_due(w, &c, a);
    }
    for (i = 1; i < w->inc->event_count && !resolved; i++) {
        if (event_at(w->inc, i, &ev) != INC_OK)
            continue;
        for (a = 0; a < INC_AUDIENCE_COUNT; a++)
            if (c.missed[a] == INC_TIME_NONE && c.due[a] != INC_TIME_NONE && c.due[a] < ev.time)
                c.missed[a] = c.due[a];
        if (ev.kind == INC_EV_STATE_CHANGED && ev.num[INC__F_STATE] == INC_STATE_RESOLVED) {
            for (a = 0; a < INC_AUDIENCE_COUNT; a++)
                cad_close(w, &c, a, ev.time, "and none came before the resolution");
            resolved = 1;
        } else {
            cad_event(w, &c, &ev);
        }
    }
    if (resolved)
        return;
    for (a = 0; a < INC_AUDIENCE_COUNT; a++) {
        if (c.missed[a] == INC_TIME_NONE && c.due[a] != INC_TIME_NONE && c.due[a] < w->now)
            c.missed[a] = c.due[a];
        cad_close(w, &c, a, w->now, "and none came yet");
    }
}

/* ---- action items without a person as owner ------------------------------------------------ */

static void team_owned(walk *w)
{
    size_t n = w->inc->pm.item_count, i;
    inc_time *open;
    inc__event ev;

    if (!n)
        return;
    if (!(open = inc__calloc(w->inc->alloc, n, sizeof(*open)))) {
        w->failed = INC_ENOMEM;
        return;
    }
    for (i = 0; i < n; i++)
        open[i] = INC_TIME_NONE;
    for (i = 1; i < w->inc->event_count; i++) {
        size_t k;
        int team, closes;
        if (event_at(w->inc, i, &ev) != INC_OK ||
            (ev.kind != INC_EV_ACTION_ADDED && ev.kind != INC_EV_ACTION_CHANGED))
            continue;
        k = (size_t)ev.num[INC__F_ITEM] - 1;
        team = inc__event_has(&ev, INC__F_REASON) &&
               (ev.kind == INC_EV_ACTION_ADDED || inc__event_has(&ev, INC__F_OWNER));
        closes = (inc__event_has(&ev, INC__F_OWNER) && !team) ||
                 (inc__event_has(&ev, INC__F_STATUS) && ev.num[INC__F_STATUS] != INC_ACTION_OPEN);
        if (team && open[k] == INC_TIME_NONE)
            open[k] = ev.time;
        if (closes && open[k] != INC_TIME_NONE) {
            pat *p = add(w, "AUD-2.action-item-no-owner", open[k], ev.time, NULL);
            if (p)
                snprintf(p->text, sizeof(p->text),
                         "action item A%zu had a team, not a person, "
                         "as owner (PM-3)",
                         k + 1);
            open[k] = INC_TIME_NONE;
        }
    }
    for (i = 0; i < n; i++) {
        const inc_action_item *it = &w->inc->pm.items[i].pub;
        pat *p;
        if (open[i] == INC_TIME_NONE)
            continue;
        if ((p = add(w, "AUD-2.action-item-no-owner", open[i], w->now, it->owner)) != NULL)
            snprintf(p->text, sizeof(p->text),
                     "action item A%zu is owned by '%s', a team, not a person (PM-3)", i + 1,
                     it->owner);
    }
    inc__free(w->inc->alloc, open);
}

/* ---- the clock went backwards --------------------------------------------------------------- */

/* An event whose time is earlier than an event before it: the clock of the
 * writer went backwards (TL-1 orders events by sequence number with the
 * clock's time). Durations measured across it (MTTA, MTTM, cadence) are
 * wrong. The span runs from the event's time to the latest time before it. */
static void clock_backwards(walk *w)
{
    inc_time latest = 0;
    uint64_t latest_seq = 0;
    size_t i;
    inc__event ev;

    for (i = 0; i < w->inc->event_count; i++) {
        char back[48];
        pat *p;
        if (event_at(w->inc, i, &ev) != INC_OK)
            continue;
        if (latest_seq == 0 || ev.time >= latest) {
            latest = ev.time;
            latest_seq = ev.seq;
            continue;
        }
        if ((p = add(w, "TL-1.clock-backwards", ev.time, latest, ev.str[INC__F_ACTOR])) == NULL)
            continue;
        inc__duration_format(latest - ev.time, back);
        snprintf(p->text, sizeof(p->text),
                 "event %llu is %s earlier than event %llu before it: the clock went backwards",
                 (unsigned long long)ev.seq, back, (unsigned long long)latest_seq);
    }
}

/* ---- collecting ------------------------------------------------------------------------------ */

static int by_start(const void *x, const void *y)
{
    const pat *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return strcmp(a->rule, b->rule);
}

static int emit(walk *w, inc_findings *list)
{
    size_t i;
    for (i = 0; i < w->n; i++) {
        const pat *p = &w->v[i];
        char from[32], to[32], dur[48];
        inc_finding f;
        int r;
        inc__finding_init(&f, p->rule);
        f.since = p->start;
        f.value = p->stop - p->start;
        if (p->who[0])
            inc__finding_person(&f, p->who[0]);
        if (p->who[1])
            inc__finding_person(&f, p->who[1]);
        for (r = 0; r < p->nroles; r++)
            inc__finding_role(&f, p->roles[r]);
        offset(from, sizeof(from), p->start - w->inc->declared_at);
        offset(to, sizeof(to), p->stop - w->inc->declared_at);
        inc__duration_format(p->stop - p->start, dur);
        if (inc__findings_add(list, &f, "%s: %s; held %s -> %s (%s)", p->rule, p->text, from, to,
                              dur) != INC_OK)
            return INC_ENOMEM;
    }
    return INC_OK;
}

int inc__audit_patterns(inc_incident *inc, inc_time now, int64_t min_monitoring_ms,
                        inc_findings *list)
{
    walk w;
    int rc;

    memset(&w, 0, sizeof(w));
    w.inc = inc;
    w.now = now;
    w.end = inc->resolved_at != INC_TIME_NONE && inc->resolved_at < now ? inc->resolved_at : now;
    w.min_monitoring = min_monitoring_ms;
    overlaps(&w, INC_ROLE_SME, "AUD-2.ic-also-sme", "Subject Matter Expert");
    no_ic(&w);
    ic_notes(&w);
    freelancing(&w);
    handoffs(&w);
    all_clear(&w);
    severity_changes(&w);
    cadence(&w);
    team_owned(&w);
    clock_backwards(&w);
    if (w.n > 1)
        qsort(w.v, w.n, sizeof(pat), by_start);
    rc = w.failed ? w.failed : emit(&w, list);
    inc__free(inc->alloc, w.v);
    return rc;
}
