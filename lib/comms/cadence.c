/* Cadences (COMM-1, COMM-2) and required communications (COMM-4): what is
 * due to each audience and when, how late it is, what the severity requires
 * and whether it was sent; and the ROLE-6 test of both audiences overdue. */
#include <stdio.h>
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "util/text.h"
#include "util/time.h"

/* ---- the cadence in force and when the next update is due -------------- */

static int64_t cadence_of(const inc_incident *inc, inc_audience a)
{
    if (inc->comms.cadence_set[a])
        return inc->comms.cadence[a];
    return inc_rubric_duration(inc->rubric, inc->severity_index,
                               (inc_level_duration)(INC_DUR_CADENCE_EXTERNAL + a));
}

static inc_time next_due(const inc_incident *inc, inc_audience a)
{
    int64_t every = cadence_of(inc, a);
    inc_time base;
    if (every == INC_DURATION_NONE || every <= 0 || inc->state >= INC_STATE_RESOLVED)
        return INC_TIME_NONE;
    base = inc->comms.heard_count[a] ? inc->comms.last_at[a] : inc->declared_at;
    if (inc->reopened_at != INC_TIME_NONE && inc->reopened_at > base)
        base = inc->reopened_at; /* LIFE-4: cadences restart from the reopening */
    return base + every;
}

int inc__comms_overdue(const inc_incident *inc, inc_audience a, inc_time now, int64_t *late)
{
    inc_time due = next_due(inc, a);
    *late = due != INC_TIME_NONE && now > due ? now - due : 0;
    return *late > 0;
}

int inc__comms_both_overdue(const inc_incident *inc, inc_time now)
{
    int64_t late;
    return inc__comms_overdue(inc, INC_AUDIENCE_EXTERNAL, now, &late) &&
           inc__comms_overdue(inc, INC_AUDIENCE_INTERNAL, now, &late);
}

int inc_incident_get_cadence(const inc_incident *inc, inc_audience audience, inc_cadence_info *out)
{
    if (!inc || !out || !inc_audience_name(audience))
        return INC_EINVAL;
    memset(out, 0, sizeof(*out));
    out->now = inc_context_now(inc->ctx);
    out->audience = audience;
    out->writer = inc_audience_writer(audience);
    out->every_ms = cadence_of(inc, audience);
    out->set_by_ic = inc->comms.cadence_set[audience];
    out->update_count = inc->comms.heard_count[audience];
    out->last_update = out->update_count ? inc->comms.last_at[audience] : INC_TIME_NONE;
    out->last_writer = out->update_count ? inc->comms.last_by[audience] : NULL;
    out->next_due = next_due(inc, audience);
    out->overdue = inc__comms_overdue(inc, audience, out->now, &out->late_ms);
    return INC_OK;
}

/* ---- the IC changes a cadence (AUTH-1) ---------------------------------- */

int inc_incident_set_cadence(inc_incident *inc, const char *actor, inc_audience audience,
                             int64_t every_ms, const char *reason)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "change a cadence")) != INC_OK)
        return rc;
    if (!inc_audience_name(audience))
        return inc_error_set(&inc->err, INC_EINVAL, "audience: %d is not an audience",
                             (int)audience);
    if (every_ms != INC_DURATION_NONE && every_ms != INC_CADENCE_RUBRIC && every_ms < 60000)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "every_ms: a cadence is at least one minute, INC_DURATION_NONE "
                             "(as needed) or INC_CADENCE_RUBRIC");
    if ((rc = inc__check_text(&inc->err, "reason", reason, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) !=
        INC_OK)
        return rc;
    if ((rc = inc__require_ic(inc, actor, "change a cadence")) != INC_OK)
        return rc;
    if (every_ms == INC_CADENCE_RUBRIC
            ? !inc->comms.cadence_set[audience]
            : inc->comms.cadence_set[audience] && inc->comms.cadence[audience] == every_ms)
        return inc_error_set(&inc->err, INC_EINVAL, "every_ms: the %s cadence is that already",
                             inc_audience_name(audience));
    inc__draft_init(&d, INC_EV_CADENCE_CHANGED, actor);
    inc__draft_int(&d, INC__F_AUDIENCE, audience);
    inc__draft_int(&d, INC__F_DURATION, every_ms);
    if (reason && reason[0])
        inc__draft_str(&d, INC__F_TEXT, reason);
    return inc__incident_write(inc, &d);
}

/* ---- required communications (COMM-4) ----------------------------------- */

/* When the incident first reached its current severity or a more severe
 * one (the first such event in the timeline): the clock of a requirement
 * of the current level starts there. */
static inc_time reached_since(const inc_incident *inc)
{
    size_t i;
    uint64_t first = 0;
    inc_time at = inc->declared_at;
    for (i = 0; i <= inc->severity_index && i < INC_LEVELS_MAX; i++)
        if (inc->level_first_seq[i] && (!first || inc->level_first_seq[i] < first)) {
            first = inc->level_first_seq[i];
            at = inc->level_first_at[i];
        }
    return at;
}

static inc_audience comm_audience(inc_comm_kind kind)
{
    return kind == INC_COMM_EXEC_NOTIFY ? INC_AUDIENCE_INTERNAL : INC_AUDIENCE_EXTERNAL;
}

int inc_incident_get_required_comm(const inc_incident *inc, inc_comm_kind kind,
                                   inc_required_comm_info *out)
{
    inc_time now;
    int64_t every;

    if (!inc || !out || !inc_comm_kind_name(kind))
        return INC_EINVAL;
    memset(out, 0, sizeof(*out));
    now = inc_context_now(inc->ctx);
    out->kind = kind;
    out->within_ms = inc_rubric_required_comm(inc->rubric, inc->severity_index, kind);
    out->required = out->within_ms != INC_DURATION_NONE;
    out->sent_at = inc->comms.comm_sent[kind];
    out->since = out->required ? reached_since(inc) : INC_TIME_NONE;
    out->deadline = INC_TIME_NONE;
    if (out->within_ms >= 0 && out->required)
        out->deadline = out->since + out->within_ms;
    else if (out->within_ms == INC_DURATION_NEXT_CADENCE) {
        every = cadence_of(inc, comm_audience(kind));
        if (every > 0)
            out->deadline = out->since + every;
    }
    out->missing = out->required && out->sent_at == INC_TIME_NONE &&
                   out->deadline != INC_TIME_NONE && now >= out->deadline;
    out->late_ms = out->missing ? now - out->deadline : 0;
    return INC_OK;
}

/* ---- the check: overdue audiences and missing communications ----------- */

static const char *holder_of(const inc_incident *inc, inc_role role)
{
    const inc_assignment *a;
    if (role == INC_ROLE_IC)
        return inc->ic;
    a = inc__roles_other_holder(&inc->roles, role, "");
    return a ? a->person : NULL;
}

static void set_level(const inc_incident *inc, inc_finding *f)
{
    f->level = inc->severity;
    f->level_index = inc->severity_index;
}

static int overdue_finding(inc_incident *inc, inc_audience a, inc_time now, inc_findings *list)
{
    inc_role role = inc_audience_writer(a);
    const char *who = holder_of(inc, role);
    char late[48], every[48], due[32];
    inc_finding f;
    int64_t ms;

    if (!inc__comms_overdue(inc, a, now, &ms))
        return INC_OK;
    inc__finding_init(&f, "COMM-2.overdue");
    set_level(inc, &f);
    inc__finding_role(&f, role);
    if (who)
        inc__finding_person(&f, who);
    f.value = ms;
    f.since = next_due(inc, a);
    inc__duration_format(ms - ms % 1000, late);
    inc__duration_format(cadence_of(inc, a), every);
    inc_time_format(f.since, due, sizeof(due));
    return inc__findings_add(list, &f,
                             "COMM-2: the %s update is %s late (due %s, every %s): the %s (%s) "
                             "posts one now, a heartbeat if nothing changed",
                             inc_audience_name(a), late, due, every, inc_role_title(role),
                             who ? who : "unassigned");
}

static const char *const comm_titles[INC_COMM_COUNT] = {"status page", "customer email",
                                                        "executive notification"};

static int missing_finding(inc_incident *inc, inc_comm_kind k, inc_findings *list)
{
    inc_required_comm_info info;
    inc_role role = inc_audience_writer(comm_audience(k));
    const char *who = holder_of(inc, role);
    char late[48], due[32];
    inc_finding f;

    inc_incident_get_required_comm(inc, k, &info);
    if (!info.missing)
        return INC_OK;
    inc__finding_init(&f, "COMM-4.missing");
    set_level(inc, &f);
    inc__finding_role(&f, role);
    if (who)
        inc__finding_person(&f, who);
    f.value = info.late_ms;
    f.since = info.deadline;
    inc__duration_format(info.late_ms - info.late_ms % 1000, late);
    inc_time_format(info.deadline, due, sizeof(due));
    return inc__findings_add(list, &f,
                             "COMM-4: %s requires a %s, due %s and not sent (%s late): the %s "
                             "(%s) sends it",
                             inc->severity, comm_titles[k], due, late, inc_role_title(role),
                             who ? who : "unassigned");
}

int inc_incident_check_comms(inc_incident *inc, inc_findings **out)
{
    inc_time now;
    unsigned i;
    int rc = INC_OK;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    now = inc_context_now(inc->ctx);
    if (inc__findings_new(inc->alloc, out) != INC_OK)
        return inc__error_oom(&inc->err);
    for (i = 0; i < INC_AUDIENCE_COUNT && rc == INC_OK; i++)
        rc = overdue_finding(inc, (inc_audience)i, now, *out);
    for (i = 0; i < INC_COMM_COUNT && rc == INC_OK; i++)
        rc = missing_finding(inc, (inc_comm_kind)i, *out);
    if (rc != INC_OK) {
        inc_findings_free(*out);
        *out = NULL;
        return inc__error_oom(&inc->err);
    }
    return INC_OK;
}
