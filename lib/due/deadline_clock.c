/* Deadline clocks (REG-1): the IC starts a named clock with a deadline,
 * such as a 72 h breach notification; it is due at its reminder and at its
 * deadline like any other due item, and stopped (met or cancelled) with a
 * recorded event. A clock outlives the incident's resolution (a regulator's
 * deadline does not move because the service is back) but not its closing. */
#include <string.h>

#include "incident_internal.h"
#include "util/text.h"

/* The running clock named @name, or -1. */
static long running_clock(const inc_incident *inc, const char *name)
{
    size_t i;
    for (i = 0; i < inc->due.clock_count; i++)
        if (inc->due.clocks[i].pub.status == INC_DEADLINE_CLOCK_RUNNING &&
            strcmp(inc->due.clocks[i].pub.name, name) == 0)
            return (long)i;
    return -1;
}

static int begin(inc_incident *inc, const char *actor, const char *name, const char *text,
                 const char *what)
{
    int rc;
    if ((rc = inc__begin(inc, actor, what)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "name", name, INC__DEADLINE_NAME_MAX,
                              INC__TEXT_SINGLE_LINE)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    return inc__require_ic(inc, actor, what);
}

int inc_incident_start_deadline_clock(inc_incident *inc, const char *actor, const char *name,
                                      inc_time deadline, int64_t remind_before_ms, const char *text)
{
    inc__event_draft d;
    int rc;

    if ((rc = begin(inc, actor, name, text, "start a deadline clock")) != INC_OK)
        return rc;
    if (deadline == INC_TIME_NONE)
        return inc_error_set(&inc->err, INC_EINVAL, "deadline: a time is required");
    if (remind_before_ms != INC_DURATION_NONE && remind_before_ms <= 0)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "remind_before_ms: positive, or INC_DURATION_NONE for no reminder");
    if (running_clock(inc, name) >= 0)
        return inc_error_set(&inc->err, INC_EEXIST, "name: a clock '%s' is running on %s", name,
                             inc->id);
    inc__draft_init(&d, INC_EV_DEADLINE_CLOCK_STARTED, actor);
    inc__draft_str(&d, INC__F_NAME, name);
    inc__draft_int(&d, INC__F_DUE, deadline);
    if (remind_before_ms != INC_DURATION_NONE)
        inc__draft_int(&d, INC__F_DURATION, remind_before_ms);
    if (text && text[0])
        inc__draft_str(&d, INC__F_TEXT, text);
    return inc__incident_write(inc, &d);
}

int inc_incident_stop_deadline_clock(inc_incident *inc, const char *actor, const char *name,
                                     int cancelled, const char *text)
{
    inc__event_draft d;
    int rc;

    if ((rc = begin(inc, actor, name, text, "stop a deadline clock")) != INC_OK)
        return rc;
    if (running_clock(inc, name) < 0)
        return inc_error_set(&inc->err, INC_ENOTFOUND, "name: no clock '%s' is running on %s", name,
                             inc->id);
    inc__draft_init(&d, INC_EV_DEADLINE_CLOCK_STOPPED, actor);
    inc__draft_str(&d, INC__F_NAME, name);
    inc__draft_int(&d, INC__F_STATUS,
                   cancelled ? INC_DEADLINE_CLOCK_CANCELLED : INC_DEADLINE_CLOCK_MET);
    if (text && text[0])
        inc__draft_str(&d, INC__F_TEXT, text);
    return inc__incident_write(inc, &d);
}

size_t inc_incident_deadline_clock_count(const inc_incident *inc)
{
    return inc ? inc->due.clock_count : 0;
}

int inc_incident_get_deadline_clock(const inc_incident *inc, size_t index, inc_deadline_clock *out)
{
    if (!inc || !out)
        return INC_EINVAL;
    if (index >= inc->due.clock_count)
        return INC_ENOTFOUND;
    *out = inc->due.clocks[index].pub;
    out->overdue =
        out->status == INC_DEADLINE_CLOCK_RUNNING && inc_context_now(inc->ctx) > out->deadline;
    return INC_OK;
}

/* ---- the source -------------------------------------------------------------- */

void inc__due_src_deadlines(const inc_incident *inc, inc__due_sink *sink)
{
    size_t i;

    for (i = 0; i < inc->due.clock_count; i++) {
        const inc_deadline_clock *c = &inc->due.clocks[i].pub;
        unsigned flags = inc->due.clocks[i].flags;
        inc__due_draft d;

        if (c->status != INC_DEADLINE_CLOCK_RUNNING)
            continue;
        memset(&d, 0, sizeof(d));
        d.arg = (int64_t)i;
        d.target = c->name;
        if (c->remind_before_ms != INC_DURATION_NONE && !(flags & INC__CLOCK_REMINDED) &&
            c->deadline - c->remind_before_ms > c->started_at) {
            d.kind = INC_DUE_DEADLINE_REMINDER;
            d.due = c->deadline - c->remind_before_ms;
            d.span = c->remind_before_ms;
            inc__due_emit(sink, &d);
        }
        if (!(flags & INC__CLOCK_DEADLINE)) {
            d.kind = INC_DUE_DEADLINE;
            d.due = c->deadline;
            d.span = 0;
            inc__due_emit(sink, &d);
        }
    }
}

/* ---- apply ------------------------------------------------------------------------ */

static int corrupt(inc_incident *inc, const inc__event *ev, const char *what)
{
    return inc_error_set(&inc->err, INC_ECORRUPT, "incident %s, event %llu (%s): %s", inc->id,
                         (unsigned long long)ev->seq, inc__event_kind_name(ev->kind), what);
}

int inc__clock_prepare_started(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc__due_state *d = &inc->due;
    (void)prep;

    if (!inc__event_has(ev, INC__F_NAME) || !inc__event_has(ev, INC__F_DUE))
        return corrupt(inc, ev, "missing field name or due");
    if (running_clock(inc, ev->str[INC__F_NAME]) >= 0)
        return corrupt(inc, ev, "a clock of that name is running");
    if (inc__event_has(ev, INC__F_DURATION) && ev->num[INC__F_DURATION] <= 0)
        return corrupt(inc, ev, "reminder not positive");
    if (inc__array_reserve(inc->alloc, (void **)&d->clocks, &d->clock_cap, d->clock_count + 1,
                           sizeof(inc__clock)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

void inc__clock_commit_started(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc__due_state *d = &inc->due;
    inc_deadline_clock *c = &d->clocks[d->clock_count].pub;
    (void)prep;

    memset(&d->clocks[d->clock_count], 0, sizeof(inc__clock));
    c->name = ev->str[INC__F_NAME];
    c->text = inc__event_str(ev, INC__F_TEXT);
    c->started_by = ev->str[INC__F_ACTOR];
    c->started_at = ev->time;
    c->deadline = ev->num[INC__F_DUE];
    c->remind_before_ms =
        inc__event_has(ev, INC__F_DURATION) ? ev->num[INC__F_DURATION] : INC_DURATION_NONE;
    c->status = INC_DEADLINE_CLOCK_RUNNING;
    c->stopped_at = INC_TIME_NONE;
    c->seq = ev->seq;
    d->clock_count++;
}

int inc__clock_prepare_stopped(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (!inc__event_has(ev, INC__F_NAME) || !inc__event_has(ev, INC__F_STATUS))
        return corrupt(inc, ev, "missing field name or status");
    if (ev->num[INC__F_STATUS] != INC_DEADLINE_CLOCK_MET &&
        ev->num[INC__F_STATUS] != INC_DEADLINE_CLOCK_CANCELLED)
        return corrupt(inc, ev, "status is neither met nor cancelled");
    if (running_clock(inc, ev->str[INC__F_NAME]) < 0)
        return corrupt(inc, ev, "no clock of that name is running");
    return INC_OK;
}

void inc__clock_commit_stopped(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc_deadline_clock *c = &inc->due.clocks[running_clock(inc, ev->str[INC__F_NAME])].pub;
    (void)prep;

    if (ev->num[INC__F_STATUS] == INC_DEADLINE_CLOCK_CANCELLED)
        c->status = INC_DEADLINE_CLOCK_CANCELLED;
    else
        c->status = ev->time <= c->deadline ? INC_DEADLINE_CLOCK_MET : INC_DEADLINE_CLOCK_MISSED;
    c->stopped_by = ev->str[INC__F_ACTOR];
    c->stopped_at = ev->time;
}
