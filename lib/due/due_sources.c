/* Due-item sources that read other layers' state: heartbeats and required
 * communications (COMM-2, COMM-4) from the cadence state of comms, missing
 * roles and the Scribe window (ROLE-10, ROLE-12) from the roles state, and
 * the extension point for the postmortem layer (PM-2, PM-3).
 *
 * Each source emits at most one item per condition, keyed by its due time:
 * the item is retired by a due_delivered event recording that due time
 * (due_engine.c), so it fires once, and a new due time (a new update posted, a
 * severity change) makes a new item. */
#include <string.h>

#include "incident_internal.h"

/* ---- COMM-2 heartbeats and COMM-4 required communications ------------------ */

void inc__due_src_comms(const inc_incident *inc, inc__due_sink *sink)
{
    inc__due_draft d;
    int i;

    if (inc->state >= INC_STATE_RESOLVED)
        return;
    for (i = 0; i < INC__DUE_AUDIENCES; i++) {
        inc_cadence_info ci;
        if (inc_incident_get_cadence(inc, (inc_audience)i, &ci) != INC_OK ||
            ci.next_due == INC_TIME_NONE || inc->due.heartbeat_done[i] == ci.next_due)
            continue;
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_HEARTBEAT;
        d.due = ci.next_due;
        d.arg = i;
        d.span = ci.every_ms;
        inc__due_emit(sink, &d);
    }
    for (i = 0; i < INC_COMM_COUNT; i++) {
        inc_required_comm_info ri;
        if (inc_incident_get_required_comm(inc, (inc_comm_kind)i, &ri) != INC_OK || !ri.required ||
            ri.sent_at != INC_TIME_NONE || ri.deadline == INC_TIME_NONE ||
            inc->due.comm_done[i] == ri.deadline)
            continue;
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_COMM;
        d.due = ri.deadline;
        d.arg = i;
        d.span = ri.within_ms > 0 ? ri.within_ms : 0;
        inc__due_emit(sink, &d);
    }
}

/* ---- ROLE-10 minimum staffing and ROLE-12 the Scribe ---------------------- */

/* Distinct people holding a role now (the IC included). */
static unsigned people_now(const inc_incident *inc)
{
    size_t n = inc_incident_assignment_count(inc), i, j;
    unsigned people = 0;

    for (i = 0; i < n; i++) {
        const inc_assignment *a = inc_incident_assignment(inc, i);
        int seen = 0;
        if (a->released_at != INC_TIME_NONE)
            continue;
        for (j = 0; j < i && !seen; j++) {
            const inc_assignment *b = inc_incident_assignment(inc, j);
            seen = b->released_at == INC_TIME_NONE && strcmp(a->person, b->person) == 0;
        }
        people += !seen;
    }
    return people;
}

void inc__due_src_roles(const inc_incident *inc, inc__due_sink *sink)
{
    unsigned need = 0, min_people = 0, missing = 0, people;
    inc_time scribe_due;
    inc__due_draft d;
    int r;

    if (inc->state >= INC_STATE_RESOLVED)
        return;
    scribe_due = inc_incident_scribe_due(inc);
    if (scribe_due != INC_TIME_NONE && inc_incident_scribe_assigned_at(inc) == INC_TIME_NONE &&
        inc->due.scribe_done == INC_TIME_NONE) {
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_SCRIBE;
        d.due = scribe_due;
        d.span = scribe_due - inc->declared_at;
        inc__due_emit(sink, &d);
    }
    if (inc_rubric_get_staffing(inc->rubric, inc->severity_index, &need, &min_people) != INC_OK)
        return;
    for (r = 0; r < INC_ROLE_COUNT; r++)
        if ((need & INC_ROLE_BIT(r)) && inc_incident_role_holder_count(inc, (inc_role)r) == 0)
            missing |= INC_ROLE_BIT(r);
    people = people_now(inc);
    if (!missing && people >= min_people)
        return;
    memset(&d, 0, sizeof(d));
    d.kind = INC_DUE_STAFFING;
    d.due = inc->due.level_since + INC__STAFFING_GRACE_MS;
    if (inc->due.staffing_done == d.due)
        return;
    d.arg = missing;
    d.arg2 = people < min_people ? (int64_t)(min_people - people) : 0;
    d.span = INC__STAFFING_GRACE_MS;
    inc__due_emit(sink, &d);
}

/* ---- PM-2 postmortem due, PM-3 action items overdue -----------------------
 *
 * The postmortem layer's source (postmortem.c): one #INC_DUE_POSTMORTEM item
 * at resolution + the level's INC_DUR_POSTMORTEM while the postmortem is
 * not Final, and one #INC_DUE_ACTION_ITEM per open action item at its due
 * date (inc__due_draft::arg = the item's index). Unlike every other source
 * these run after resolution, and PM-3 after closing (inc__due_collect()
 * lets a closed incident through to this source only). */
void inc__due_src_postmortem(const inc_incident *inc, inc__due_sink *sink)
{
    inc__pm_due_src(inc, sink);
}
