/* The due-items engine (ESC-1..ESC-3): the due state kept by replay, the
 * escalation ladder and the acknowledgement, the sink every source feeds,
 * and the three ways to use it: the next due time, a look at what is due
 * (nothing recorded) and delivery (each item recorded once on the timeline,
 * which is what makes it fire once across restarts); and the replay of a
 * delivery record. Rendering and the list are in due_list.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident_internal.h"
#include "util/time.h"

static const char *const kind_names[] = {
    NULL,
    "escalation",
    "ack",
    "ack_expired",
    "heartbeat",
    "comm",
    "staffing",
    "scribe",
    "deadline_reminder",
    "deadline",
    "postmortem",
    "action_item",
    "alert_resolved",
};
static const char *const kind_rules[] = {
    NULL,      "ESC-1", "ESC-3", "ESC-3", "COMM-2", "COMM-4",  "ROLE-10",
    "ROLE-12", "REG-1", "REG-1", "PM-2",  "PM-3",   "ALERT-3",
};
#define KIND_COUNT (sizeof(kind_names) / sizeof(kind_names[0]))

const char *inc_due_kind_name(inc_due_kind kind)
{
    return (unsigned)kind >= 1 && (unsigned)kind < KIND_COUNT ? kind_names[kind] : NULL;
}

const char *inc__due_rule(inc_due_kind kind)
{
    return (unsigned)kind >= 1 && (unsigned)kind < KIND_COUNT ? kind_rules[kind] : "?";
}

/* ---- the state ------------------------------------------------------------ */

void inc__due_init(inc__due_state *d)
{
    size_t i;
    memset(d, 0, sizeof(*d));
    d->acked_at = d->first_ack_at = d->activity_at = INC_TIME_NONE;
    d->unack_since = d->level_since = d->first_page_at = INC_TIME_NONE;
    d->scribe_done = d->staffing_done = d->run_since = INC_TIME_NONE;
    d->alert_resolved_at = d->alert_resolved_done = INC_TIME_NONE;
    for (i = 0; i < INC__DUE_AUDIENCES; i++)
        d->heartbeat_done[i] = INC_TIME_NONE;
    for (i = 0; i < INC_COMM_COUNT; i++)
        d->comm_done[i] = INC_TIME_NONE;
}

void inc__due_dispose(inc__due_state *d, const inc_allocator *a)
{
    inc__free(a, d->pages);
    inc__free(a, d->clocks);
    d->pages = NULL;
    d->clocks = NULL;
}

/* ---- the ladder (ESC-1) ------------------------------------------------------ */

size_t inc__ladder_positions(const inc_rubric *r, size_t level)
{
    return inc_rubric_escalation_count(r, level) * ((size_t)inc_rubric_repeat(r, level) + 1);
}

void inc__ladder_position(const inc_rubric *r, size_t level, size_t pos, int64_t *threshold,
                          inc_esc_condition *cond, unsigned *step, unsigned *loop,
                          const char **target)
{
    size_t n = inc_rubric_escalation_count(r, level);
    int64_t after = 0, period = 0;

    inc_rubric_get_escalation(r, level, pos % n, &after, cond, target);
    /* A pass lasts as long as the last step's duration. */
    inc_rubric_get_escalation(r, level, n - 1, &period, NULL, NULL);
    *threshold = (int64_t)(pos / n) * period + after;
    *step = (unsigned)(pos % n) + 1;
    *loop = (unsigned)(pos / n);
}

/* Time spent in condition @c from the start of the run to @t (no event after the
 * last one applied). */
static int64_t cond_elapsed(const inc_incident *inc, int c, inc_time t)
{
    const inc__due_state *d = &inc->due;
    if (c == INC_ESC_UNRESOLVED)
        return t - d->run_since;
    return d->unack_ms + (d->unack_since != INC_TIME_NONE ? t - d->unack_since : 0);
}

/* When condition @c reaches @threshold if nothing else happens, or
 * INC_TIME_NONE when its clock is stopped (acknowledged). */
static inc_time cond_due(const inc_incident *inc, int c, int64_t threshold)
{
    const inc__due_state *d = &inc->due;
    if (c == INC_ESC_UNRESOLVED)
        return d->run_since + threshold;
    if (d->unack_since == INC_TIME_NONE)
        return INC_TIME_NONE;
    return d->unack_since + (threshold > d->unack_ms ? threshold - d->unack_ms : 0);
}

/* A severity change at @t: the new level's positions whose time had come by
 * then are skipped, per condition (documented in incident/due.h). */
static void skip_passed(inc_incident *inc, inc_time t)
{
    size_t n = inc__ladder_positions(inc->rubric, inc->severity_index), p;
    int c;

    for (c = 0; c < INC__COND_COUNT; c++) {
        int64_t elapsed = cond_elapsed(inc, c, t);
        for (p = 0; p < n; p++) {
            int64_t thr;
            inc_esc_condition cond;
            unsigned step, loop;
            const char *target;
            inc__ladder_position(inc->rubric, inc->severity_index, p, &thr, &cond, &step, &loop,
                                 &target);
            if ((int)cond == c && thr > elapsed)
                break;
        }
        inc->due.next_pos[c] = (unsigned)p;
    }
}

/* A new run (the declaration, a reopening): the ladder starts at its first
 * step, unacknowledged, counting from @t. */
static void start_run(inc__due_state *d, inc_time t)
{
    d->run_since = d->unack_since = d->level_since = d->activity_at = t;
    d->unack_ms = 0;
    d->acked_at = INC_TIME_NONE;
    d->acked_by = NULL;
    d->acked_in_run = 0;
    d->ack_delivered = 0;
    d->next_pos[0] = d->next_pos[1] = 0;
}

void inc__due_observe(inc_incident *inc, const inc__event *ev)
{
    inc__due_state *d = &inc->due;

    switch (ev->kind) {
    case INC_EV_DECLARED:
    case INC_EV_REOPENED: /* LIFE-4: ladders restart from the reopening */
        start_run(d, ev->time);
        break;
    case INC_EV_SEVERITY_CHANGED:
        d->level_since = ev->time;
        skip_passed(inc, ev->time);
        break;
    case INC_EV_STATE_CHANGED:
    case INC_EV_CAN_REPORT:
    case INC_EV_STATUS_UPDATE:
        d->activity_at = ev->time; /* keeps an acknowledgement alive (ESC-3) */
        break;
    default:
        break;
    }
}

/* ---- sources ESC-1 and ESC-3 ------------------------------------------------- */

void inc__due_src_escalation(const inc_incident *inc, inc__due_sink *sink)
{
    size_t n, p;
    int c;

    if (inc->state >= INC_STATE_RESOLVED)
        return;
    n = inc__ladder_positions(inc->rubric, inc->severity_index);
    for (c = 0; c < INC__COND_COUNT; c++) {
        for (p = inc->due.next_pos[c]; p < n; p++) {
            inc__due_draft d;
            inc_esc_condition cond;
            int64_t thr;

            memset(&d, 0, sizeof(d));
            inc__ladder_position(inc->rubric, inc->severity_index, p, &thr, &cond, &d.step, &d.loop,
                                 &d.target);
            if ((int)cond != c)
                continue;
            d.kind = INC_DUE_ESCALATION;
            d.due = cond_due(inc, c, thr);
            if (d.due == INC_TIME_NONE || d.due > sink->limit)
                break; /* later positions of this condition come later still */
            d.arg = (int64_t)p;
            d.arg2 = c;
            d.span = thr;
            inc__due_emit(sink, &d);
        }
    }
}

void inc__due_src_ack(const inc_incident *inc, inc__due_sink *sink)
{
    const inc__due_state *st = &inc->due;
    int64_t ack, timeout;
    inc__due_draft d;

    if (inc->state >= INC_STATE_RESOLVED)
        return;
    ack = inc_rubric_duration(inc->rubric, inc->severity_index, INC_DUR_ACK);
    if (ack > 0 && !st->ack_delivered && !st->acked_in_run) {
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_ACK;
        d.due = st->run_since + ack;
        d.target = "";
        d.span = ack;
        inc__due_emit(sink, &d);
    }
    timeout = inc_rubric_duration(inc->rubric, inc->severity_index, INC_DUR_ACK_TIMEOUT);
    if (timeout > 0 && st->acked_at != INC_TIME_NONE) {
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_ACK_EXPIRED;
        d.due = st->activity_at + timeout;
        d.target = st->acked_by;
        d.span = timeout;
        inc__due_emit(sink, &d);
    }
}

/* ---- the sink ------------------------------------------------------------------ */

/* Order of drafts: due time, then kind, then position/index. */
static int draft_cmp(const inc__due_draft *a, const inc__due_draft *b)
{
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->arg != b->arg)
        return a->arg < b->arg ? -1 : 1;
    return 0;
}

void inc__due_emit(inc__due_sink *sink, const inc__due_draft *d)
{
    if (d->due == INC_TIME_NONE || d->due > sink->limit)
        return;
    if (sink->min_only) {
        if (!sink->found || draft_cmp(d, &sink->best) < 0) {
            sink->best = *d;
            sink->found = 1;
            sink->limit = d->due; /* later drafts cannot win */
        }
        return;
    }
    if (sink->failed)
        return;
    if (inc__array_reserve(sink->alloc, (void **)&sink->all, &sink->cap, sink->count + 1,
                           sizeof(*sink->all)) != INC_OK) {
        sink->failed = INC_ENOMEM;
        return;
    }
    sink->all[sink->count++] = *d;
}

void inc__due_collect(const inc_incident *inc, inc__due_sink *sink)
{
    if (!inc->rubric)
        return;
    if (inc->state == INC_STATE_CLOSED) {
        /* Only the follow-through outlives closing: overdue action items (PM-3). */
        inc__due_src_postmortem(inc, sink);
        return;
    }
    inc__due_src_escalation(inc, sink);
    inc__due_src_ack(inc, sink);
    inc__due_src_comms(inc, sink);
    inc__due_src_roles(inc, sink);
    inc__due_src_deadlines(inc, sink);
    inc__due_src_postmortem(inc, sink);
    inc__due_src_alerts(inc, sink);
}

static void sink_init(inc__due_sink *sink, const inc_allocator *a, inc_time limit, int min_only)
{
    memset(sink, 0, sizeof(*sink));
    sink->limit = limit;
    sink->min_only = min_only;
    sink->alloc = a;
}

inc_time inc_incident_next_due(const inc_incident *inc)
{
    inc__due_sink sink;
    if (!inc)
        return INC_TIME_NONE;
    sink_init(&sink, inc->alloc, INT64_MAX, 1);
    inc__due_collect(inc, &sink);
    return sink.found ? sink.best.due : INC_TIME_NONE;
}

/* ---- looking (nothing recorded) ------------------------------------------------- */

static int cmp_drafts(const void *a, const void *b)
{
    return draft_cmp(a, b);
}

int inc_incident_due(inc_incident *inc, int64_t within_ms, inc_due_list **out)
{
    inc__due_sink sink;
    inc_due_list *list = NULL;
    inc_time now;
    size_t i;
    int rc;

    if (!inc || !out || within_ms < 0)
        return inc ? inc_error_set(&inc->err, INC_EINVAL, "due: NULL argument or negative window")
                   : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&inc->err);
    now = inc_context_now(inc->ctx);
    sink_init(&sink, inc->alloc, within_ms > INT64_MAX - now ? INT64_MAX : now + within_ms, 0);
    inc__due_collect(inc, &sink);
    rc = sink.failed ? INC_ENOMEM : inc__due_list_new(inc->alloc, &list);
    if (rc == INC_OK && sink.count > 1)
        qsort(sink.all, sink.count, sizeof(*sink.all), cmp_drafts);
    for (i = 0; rc == INC_OK && i < sink.count; i++)
        if ((rc = inc__due_list_stage(list, inc, &sink.all[i], now)) == INC_OK)
            inc__due_list_commit(list, inc, 0);
    inc__free(inc->alloc, sink.all);
    if (rc != INC_OK) {
        inc_due_list_free(list);
        return inc__error_oom(&inc->err);
    }
    *out = list;
    return INC_OK;
}

/* ---- delivering (each item recorded once) ----------------------------------------- */

/* The marker: an escalation step is a page request carrying its level and
 * position; every other item a due_delivered event carrying its kind, due
 * time and index. Applying it is what retires the item (paging.c for a page
 * request, inc__due_commit_delivered() below for the rest). */
static int record(inc_incident *inc, const char *actor, const inc__due_draft *d,
                  const inc_due_item *it)
{
    inc__event_draft e;

    if (d->kind == INC_DUE_ESCALATION) {
        inc__draft_init(&e, INC_EV_PAGE_REQUESTED, actor);
        inc__draft_str(&e, INC__F_SEVERITY, inc->severity);
        inc__draft_int(&e, INC__F_STEP, d->arg);
    } else {
        inc__draft_init(&e, INC_EV_DUE_DELIVERED, actor);
        inc__draft_int(&e, INC__F_ITEM, d->kind);
        inc__draft_int(&e, INC__F_STEP, d->arg);
    }
    inc__draft_str(&e, INC__F_TEXT, it->text);
    inc__draft_str(&e, INC__F_TARGET, it->target[0] ? it->target : "-");
    if (it->resolved[0])
        inc__draft_str(&e, INC__F_PERSON, it->resolved); /* ONC-2: who it resolved to */
    inc__draft_int(&e, INC__F_DUE, d->due);
    inc__draft_str(&e, INC__F_REASON, inc__due_rule(d->kind));
    return inc__incident_write(inc, &e);
}

int inc__due_deliver(inc_incident *inc, const char *actor, size_t max, inc_due_list *list)
{
    inc_time now = inc_context_now(inc->ctx);
    inc__due_draft delivered;          /* storage for... */
    const inc__due_draft *last = NULL; /* ...the item delivered last, once there is one */
    int rc;

    while (max == 0 || inc_due_list_count(list) < max) {
        inc__due_sink sink;
        const inc_due_item *it;

        sink_init(&sink, inc->alloc, now, 1);
        inc__due_collect(inc, &sink);
        if (!sink.found)
            break;
        if (last && draft_cmp(&sink.best, last) == 0)
            return inc_error_set(&inc->err, INC_ERROR,
                                 "incident %s: a delivered %s item is still due (a bug)", inc->id,
                                 inc_due_kind_name(last->kind));
        if ((rc = inc__due_list_stage(list, inc, &sink.best, now)) != INC_OK)
            return inc__error_oom(&inc->err);
        it = inc__due_list_staged(list);
        if ((rc = record(inc, actor, &sink.best, it)) != INC_OK)
            return rc; /* the staged item is dropped: it stays due */
        inc__due_list_commit(list, inc, inc->event_count);
        delivered = sink.best;
        last = &delivered;
    }
    return INC_OK;
}

int inc_incident_deliver_due(inc_incident *inc, const char *actor, size_t max, inc_due_list **out)
{
    inc_due_list *list;
    int rc;

    if (!inc || !out)
        return inc ? inc_error_set(&inc->err, INC_EINVAL, "deliver: NULL argument") : INC_EINVAL;
    *out = NULL;
    if ((rc = inc__begin(inc, actor, NULL)) != INC_OK)
        return rc;
    if (inc__due_list_new(inc->alloc, &list) != INC_OK)
        return inc__error_oom(&inc->err);
    rc = inc__due_deliver(inc, actor, max, list);
    *out = list;
    return rc;
}

/* ---- replaying a delivery ----------------------------------------------------------- */

/* A delivery the incident's state has no item for. */
static int due_misfit(inc_incident *inc, const inc__event *ev, int64_t kind, int64_t idx)
{
    char what[96];
    snprintf(what, sizeof(what), "item %lld/%lld does not fit the incident's state",
             (long long)kind, (long long)idx);
    return inc__event_corrupt(inc, ev, what);
}

int inc__due_prepare_delivered(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    int64_t kind, idx;
    (void)prep;
    kind = ev->num[INC__F_ITEM];
    idx = ev->num[INC__F_STEP];
    if (kind < INC_DUE_ACK || kind >= (int64_t)KIND_COUNT ||
        (kind == INC_DUE_ACK_EXPIRED &&
         (inc->due.acked_at == INC_TIME_NONE || ev->num[INC__F_DUE] < inc->due.acked_at)) ||
        (kind == INC_DUE_HEARTBEAT && (idx < 0 || idx >= INC__DUE_AUDIENCES)) ||
        (kind == INC_DUE_COMM && (idx < 0 || idx >= INC_COMM_COUNT)) ||
        ((kind == INC_DUE_DEADLINE || kind == INC_DUE_DEADLINE_REMINDER) &&
         (idx < 0 || (size_t)idx >= inc->due.clock_count)) ||
        !inc__pm_due_valid(inc, kind, idx))
        return due_misfit(inc, ev, kind, idx);
    return INC_OK;
}

void inc__due_commit_delivered(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc__due_state *d = &inc->due;
    inc_time due = ev->num[INC__F_DUE];
    size_t idx = (size_t)ev->num[INC__F_STEP];
    (void)prep;

    switch ((inc_due_kind)ev->num[INC__F_ITEM]) {
    case INC_DUE_ACK:
        d->ack_delivered = 1;
        break;
    case INC_DUE_ACK_EXPIRED:
        /* Unacknowledged again from the moment it expired, not from when the
         * program noticed: the ladder resumes where it stopped. */
        d->acked_at = INC_TIME_NONE;
        d->acked_by = NULL;
        d->unack_since = due;
        break;
    case INC_DUE_HEARTBEAT:
        d->heartbeat_done[idx] = due;
        break;
    case INC_DUE_COMM:
        d->comm_done[idx] = due;
        break;
    case INC_DUE_STAFFING:
        d->staffing_done = due;
        break;
    case INC_DUE_SCRIBE:
        d->scribe_done = due;
        break;
    case INC_DUE_DEADLINE_REMINDER:
        d->clocks[idx].flags |= INC__CLOCK_REMINDED;
        break;
    case INC_DUE_DEADLINE:
        d->clocks[idx].flags |= INC__CLOCK_REMINDED | INC__CLOCK_DEADLINE;
        break;
    case INC_DUE_POSTMORTEM:
    case INC_DUE_ACTION_ITEM:
        inc__pm_due_retire(inc, ev->num[INC__F_ITEM], idx, due); /* postmortem.c */
        break;
    case INC_DUE_ALERT_RESOLVED:
        d->alert_resolved_done = due;
        break;
    default: /* kinds of later versions: recorded, nothing to retire here */
        break;
    }
}
