/* The one apply function (DESIGN.md): every event, written now or replayed
 * from the store, changes the incident's state through here and nowhere
 * else. prepare validates an event against the state and allocates what it
 * needs; commit applies it and cannot fail. */
#include <string.h>

#include "incident_internal.h"
#include "lifecycle.h"

static int corrupt(inc_incident *inc, const inc__event *ev, const char *what)
{
    return inc_error_set(&inc->err, INC_ECORRUPT, "incident %s, event %llu (%s): %s", inc->id,
                         (unsigned long long)ev->seq, inc__event_kind_name(ev->kind), what);
}

static int need(inc_incident *inc, const inc__event *ev, int tag)
{
    if (inc__event_has(ev, tag))
        return INC_OK;
    return inc_error_set(&inc->err, INC_ECORRUPT, "incident %s, event %llu (%s): missing field %s",
                         inc->id, (unsigned long long)ev->seq, inc__event_kind_name(ev->kind),
                         inc__field_info_get(tag)->name);
}

/* ---- declared ------------------------------------------------------------ */

static int prepare_declared(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    static const int required[] = {INC__F_ACTOR,   INC__F_TITLE, INC__F_SEVERITY,
                                   INC__F_CHANNEL, INC__F_ID,    INC__F_RUBRIC};
    inc_diag diag;
    size_t i;
    int rc;

    for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if ((rc = need(inc, ev, required[i])) != INC_OK)
            return rc;
    if (strcmp(ev->str[INC__F_ID], inc->id) != 0)
        return corrupt(inc, ev, "the id recorded does not match the incident's");
    if (inc__event_has(ev, INC__F_CRITERIA) &&
        (ev->num[INC__F_CRITERIA] < 0 || ev->num[INC__F_CRITERIA] > (int64_t)INC_CRIT_ALL))
        return corrupt(inc, ev, "criteria out of range");
    rc = inc__context_recorded_rubric(inc->ctx, ev->str[INC__F_RUBRIC], ev->str_len[INC__F_RUBRIC],
                                      &prep->rubric, &diag);
    if (rc == INC_ENOMEM)
        return inc__error_oom(&inc->err);
    if (rc != INC_OK)
        return corrupt(inc, ev, diag.message);
    if (inc_rubric_get_level_index(prep->rubric, ev->str[INC__F_SEVERITY], &prep->severity_index) !=
        INC_OK)
        return corrupt(inc, ev, "severity is not a level of the recorded rubric");
    return inc__roles_prepare_declared(inc, ev); /* room for the declarer's IC term */
}

static inc_time optional_time(const inc__event *ev, int tag)
{
    return inc__event_has(ev, tag) ? ev->num[tag] : INC_TIME_NONE;
}

/* Note the first event at the level the incident is now at. */
static void note_level(inc_incident *inc, const inc__event *ev)
{
    if (inc->severity_index < INC_LEVELS_MAX && !inc->level_first_seq[inc->severity_index]) {
        inc->level_first_seq[inc->severity_index] = ev->seq;
        inc->level_first_at[inc->severity_index] = ev->time;
    }
}

static void commit_declared(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc->rubric = prep->rubric;
    prep->rubric = NULL;
    inc->severity_index = prep->severity_index;
    note_level(inc, ev);
    inc->title = ev->str[INC__F_TITLE];
    inc->channel = ev->str[INC__F_CHANNEL];
    inc->declarer = ev->str[INC__F_ACTOR];
    inc->ic = ev->str[INC__F_ACTOR]; /* DEC-1: IC until one is assigned */
    inc__roles_commit_declared(inc, ev);
    inc->severity = ev->str[INC__F_SEVERITY];
    inc->criteria = (unsigned)(inc__event_has(ev, INC__F_CRITERIA) ? ev->num[INC__F_CRITERIA] : 0);
    inc->drill = inc__event_has(ev, INC__F_DRILL) && ev->num[INC__F_DRILL] != 0;
    inc->declared_at = ev->time;
    inc->impact_started = optional_time(ev, INC__F_IMPACT_STARTED);
    inc->detected = optional_time(ev, INC__F_DETECTED);
    inc->state = INC_STATE_DECLARED;
}

/* ---- severity changed ---------------------------------------------------- */

static int prepare_severity(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int rc;
    if ((rc = need(inc, ev, INC__F_SEVERITY)) != INC_OK || (rc = need(inc, ev, INC__F_TEXT)))
        return rc;
    if (inc_rubric_get_level_index(inc->rubric, ev->str[INC__F_SEVERITY], &prep->severity_index) !=
        INC_OK)
        return corrupt(inc, ev, "severity is not a level of the incident's rubric");
    return INC_OK;
}

static void commit_severity(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc->severity = ev->str[INC__F_SEVERITY];
    inc->severity_index = prep->severity_index;
    note_level(inc, ev);
}

/* ---- state changed ------------------------------------------------------- */

static int prepare_state(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int rc;
    (void)prep;
    if ((rc = need(inc, ev, INC__F_STATE)) != INC_OK)
        return rc;
    if (!inc__state_move_allowed(inc->state, ev->num[INC__F_STATE]))
        return corrupt(inc, ev, "a lifecycle move LIFE-1 forbids");
    if (ev->num[INC__F_STATE] == INC_STATE_RESOLVED &&
        (!inc__event_has(ev, INC__F_TEXT) || ev->str_len[INC__F_TEXT] == 0))
        return corrupt(inc, ev, "resolution without a verification note (LIFE-2)");
    return INC_OK;
}

static void commit_state(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc_state to = (inc_state)ev->num[INC__F_STATE];
    (void)prep;
    if (to == INC_STATE_MONITORING)
        inc->mitigated_at = ev->time; /* the latest mitigation counts */
    if (to == INC_STATE_RESOLVED)
        inc->resolved_at = ev->time;
    inc->state = to;
}

/* ---- notes and corrections ---------------------------------------------- */

static int prepare_note(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    return need(inc, ev, INC__F_TEXT);
}

static int prepare_correction(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int rc;
    (void)prep;
    if ((rc = need(inc, ev, INC__F_TEXT)) != INC_OK || (rc = need(inc, ev, INC__F_REF_SEQ)))
        return rc;
    if (ev->num[INC__F_REF_SEQ] < 1 || (uint64_t)ev->num[INC__F_REF_SEQ] >= ev->seq)
        return corrupt(inc, ev, "a correction must point at an earlier event");
    return INC_OK;
}

static void commit_nothing(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)inc;
    (void)ev;
    (void)prep;
}

static const inc__apply_ops apply_table[] = {
    [INC_EV_DECLARED] = {prepare_declared, commit_declared},
    [INC_EV_SEVERITY_CHANGED] = {prepare_severity, commit_severity},
    [INC_EV_STATE_CHANGED] = {prepare_state, commit_state},
    [INC_EV_NOTE] = {prepare_note, commit_nothing},
    [INC_EV_CORRECTION] = {prepare_correction, commit_nothing},
    /* Roles and hand-offs (staffing_state.c). */
    [INC_EV_ROLE_ASSIGNED] = {inc__roles_prepare_assigned, inc__roles_commit_assigned},
    [INC_EV_ROLE_RELEASED] = {inc__roles_prepare_released, inc__roles_commit_released},
    [INC_EV_HANDOFF_STARTED] = {inc__roles_prepare_handoff, inc__roles_commit_handoff},
    [INC_EV_HANDOFF_CONFIRMED] = {inc__roles_prepare_confirmed, inc__roles_commit_confirmed},
    [INC_EV_HANDOFF_CANCELLED] = {inc__roles_prepare_cancelled, inc__roles_commit_cancelled},
    /* Paging, deadline clocks and due-item deliveries (paging.c, deadline_clock.c, due_engine.c).
     */
    [INC_EV_PAGE_REQUESTED] = {inc__paging_prepare_requested, inc__paging_commit_requested},
    [INC_EV_PAGE_SENT] = {inc__paging_prepare_sent, inc__paging_commit_sent},
    [INC_EV_ACKNOWLEDGED] = {inc__paging_prepare_ack, inc__paging_commit_ack},
    [INC_EV_DEADLINE_CLOCK_STARTED] = {inc__clock_prepare_started, inc__clock_commit_started},
    [INC_EV_DEADLINE_CLOCK_STOPPED] = {inc__clock_prepare_stopped, inc__clock_commit_stopped},
    [INC_EV_DUE_DELIVERED] = {inc__due_prepare_delivered, inc__due_commit_delivered},
    /* CAN reports, decisions, status updates, cadences (can.c, decision.c, status_update.c). */
    [INC_EV_CAN_REPORT] = {inc__can_prepare_report, inc__can_commit_report},
    [INC_EV_DECISION_REQUESTED] = {inc__can_prepare_requested, inc__can_commit_requested},
    [INC_EV_DECISION_MADE] = {inc__can_prepare_decided, inc__can_commit_decided},
    [INC_EV_STATUS_UPDATE] = {inc__comms_prepare_update, inc__comms_commit_update},
    [INC_EV_CADENCE_CHANGED] = {inc__comms_prepare_cadence, inc__comms_commit_cadence},
    /* Postmortem, action items and the bridge (postmortem.c, action_items.c, audit.c). */
    [INC_EV_ACTION_ADDED] = {inc__action_prepare_added, inc__action_commit_added},
    [INC_EV_ACTION_CHANGED] = {inc__action_prepare_changed, inc__action_commit_changed},
    [INC_EV_POSTMORTEM_SECTION] = {inc__pm_prepare_section, inc__pm_commit_section},
    [INC_EV_POSTMORTEM_STATUS] = {inc__pm_prepare_status, inc__pm_commit_status},
    [INC_EV_POSTMORTEM_TAG] = {inc__pm_prepare_tag, inc__pm_commit_tag},
    [INC_EV_BRIDGE_OPENED] = {inc__pm_prepare_bridge, inc__pm_commit_bridge},
};

static const inc__apply_ops *ops_for(int kind)
{
    if (kind <= 0 || (size_t)kind >= sizeof(apply_table) / sizeof(apply_table[0]))
        return NULL;
    return apply_table[kind].prepare ? &apply_table[kind] : NULL;
}

int inc__apply_prepare(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    const inc__apply_ops *ops = ops_for(ev->kind);

    memset(prep, 0, sizeof(*prep));
    if (ev->seq != inc->event_count + 1)
        return corrupt(inc, ev, "sequence number out of order");
    if ((ev->kind == INC_EV_DECLARED) != (ev->seq == 1))
        return corrupt(inc, ev, "the declaration must be the first event, and only it");
    if (!inc__event_has(ev, INC__F_ACTOR))
        return need(inc, ev, INC__F_ACTOR);
    if (!ops)
        return inc_error_set(&inc->err, INC_EVERSION,
                             "incident %s, event %llu: kind '%s' is not supported by this build",
                             inc->id, (unsigned long long)ev->seq, inc__event_kind_name(ev->kind));
    return ops->prepare(inc, ev, prep);
}

void inc__apply_commit(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    ops_for(ev->kind)->commit(inc, ev, prep);
    inc__due_observe(inc, ev); /* what is due follows every kind (due_engine.c) */
}

void inc__apply_release(inc_incident *inc, inc__prep *prep)
{
    prep->rubric = NULL; /* owned by the context's cache */
    inc__comms_prep_release(&prep->comms, inc->alloc);
}
