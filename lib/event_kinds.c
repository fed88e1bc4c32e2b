/* The table of event kinds: one row per kind, the one place that says what
 * a kind is called, which fields it must carry, how it is applied and how
 * the timeline shows it (the rule: lib/docs/events.md, "Adding an event
 * kind"). The numbers are the stored format; a row is never renumbered. */
#include "event_kinds.h"
#include "incident_internal.h"

#define B INC__TAG_BIT

static const inc__event_kind rows[] = {
    [INC_EV_DECLARED] = {"declared",
                         /* and the rubric: RUBRIC or RUBRIC_SHA256 (the prepare checks) */
                         B(INC__F_TITLE) | B(INC__F_SEVERITY) | B(INC__F_CHANNEL) | B(INC__F_ID),
                         inc__core_prepare_declared, inc__core_commit_declared,
                         inc__core_describe_declared},
    [INC_EV_SEVERITY_CHANGED] = {"severity_changed", B(INC__F_SEVERITY) | B(INC__F_TEXT),
                                 inc__core_prepare_severity, inc__core_commit_severity,
                                 inc__core_describe_severity},
    [INC_EV_STATE_CHANGED] = {"state_changed", B(INC__F_STATE), inc__core_prepare_state,
                              inc__core_commit_state, inc__core_describe_state},
    [INC_EV_NOTE] = {"note", B(INC__F_TEXT), inc__core_prepare_nothing, inc__core_commit_nothing,
                     inc__core_describe_note},
    [INC_EV_CORRECTION] = {"correction", B(INC__F_TEXT) | B(INC__F_REF_SEQ),
                           inc__core_prepare_correction, inc__core_commit_nothing,
                           inc__core_describe_correction},
    /* Roles and hand-offs (lib/roles/staffing_state.c). */
    [INC_EV_ROLE_ASSIGNED] = {"role_assigned", B(INC__F_PERSON) | B(INC__F_ROLE),
                              inc__roles_prepare_assigned, inc__roles_commit_assigned,
                              inc__roles_describe_role},
    [INC_EV_ROLE_RELEASED] = {"role_released", B(INC__F_PERSON) | B(INC__F_ROLE),
                              inc__roles_prepare_released, inc__roles_commit_released,
                              inc__roles_describe_role},
    [INC_EV_HANDOFF_STARTED] = {"handoff_started", B(INC__F_PERSON) | B(INC__F_NEEDS),
                                inc__roles_prepare_handoff, inc__roles_commit_handoff,
                                inc__roles_describe_handoff},
    [INC_EV_HANDOFF_CONFIRMED] = {"handoff_confirmed", B(INC__F_REF_SEQ),
                                  inc__roles_prepare_confirmed, inc__roles_commit_confirmed,
                                  inc__roles_describe_confirmed},
    [INC_EV_HANDOFF_CANCELLED] = {"handoff_cancelled", B(INC__F_REF_SEQ) | B(INC__F_PERSON),
                                  inc__roles_prepare_cancelled, inc__roles_commit_cancelled,
                                  inc__roles_describe_cancelled},
    /* CAN reports, decisions, updates, cadences (lib/comms/). */
    [INC_EV_CAN_REPORT] = {"can_report", B(INC__F_REPORT_KIND) | B(INC__F_ADDRESSEE),
                           inc__can_prepare_report, inc__can_commit_report, inc__can_describe},
    [INC_EV_STATUS_UPDATE] = {"status_update", B(INC__F_AUDIENCE) | B(INC__F_TEXT),
                              inc__comms_prepare_update, inc__comms_commit_update,
                              inc__comms_describe_update},
    [INC_EV_DECISION_REQUESTED] = {"decision_requested", B(INC__F_TEXT), inc__can_prepare_requested,
                                   inc__can_commit_requested, inc__decision_describe_requested},
    [INC_EV_DECISION_MADE] = {"decision_made", B(INC__F_DECISION) | B(INC__F_APPROVED),
                              inc__can_prepare_decided, inc__can_commit_decided,
                              inc__decision_describe_made},
    [INC_EV_CADENCE_CHANGED] = {"cadence_changed", B(INC__F_AUDIENCE) | B(INC__F_DURATION),
                                inc__comms_prepare_cadence, inc__comms_commit_cadence,
                                inc__comms_describe_cadence},
    /* Paging, deadline clocks, due deliveries (lib/due/). */
    [INC_EV_PAGE_REQUESTED] = {"page_requested", B(INC__F_TARGET), inc__paging_prepare_requested,
                               inc__paging_commit_requested, inc__paging_describe_requested},
    [INC_EV_PAGE_SENT] = {"page_sent", B(INC__F_REF_SEQ) | B(INC__F_PERSON),
                          inc__paging_prepare_sent, inc__paging_commit_sent,
                          inc__paging_describe_sent},
    [INC_EV_ACKNOWLEDGED] = {"acknowledged", B(INC__F_PERSON), inc__paging_prepare_ack,
                             inc__paging_commit_ack, inc__paging_describe_ack},
    [INC_EV_DEADLINE_CLOCK_STARTED] = {"clock_started", B(INC__F_NAME) | B(INC__F_DUE),
                                       inc__clock_prepare_started, inc__clock_commit_started,
                                       inc__clock_describe_started},
    [INC_EV_DEADLINE_CLOCK_STOPPED] = {"clock_stopped", B(INC__F_NAME) | B(INC__F_STATUS),
                                       inc__clock_prepare_stopped, inc__clock_commit_stopped,
                                       inc__clock_describe_stopped},
    [INC_EV_DUE_DELIVERED] = {"due_delivered", B(INC__F_ITEM) | B(INC__F_DUE) | B(INC__F_STEP),
                              inc__due_prepare_delivered, inc__due_commit_delivered,
                              inc__due_describe_delivered},
    /* Action items, postmortem, the bridge (lib/after/). */
    [INC_EV_ACTION_ADDED] = {"action_added",
                             B(INC__F_ITEM) | B(INC__F_TITLE) | B(INC__F_OWNER) | B(INC__F_DUE) |
                                 B(INC__F_PRIORITY),
                             inc__action_prepare_added, inc__action_commit_added,
                             inc__action_describe_added},
    [INC_EV_ACTION_CHANGED] = {"action_changed", B(INC__F_ITEM), inc__action_prepare_changed,
                               inc__action_commit_changed, inc__action_describe_changed},
    [INC_EV_POSTMORTEM_SECTION] = {"postmortem_section", B(INC__F_ITEM) | B(INC__F_TEXT),
                                   inc__pm_prepare_section, inc__pm_commit_section,
                                   inc__pm_describe_section},
    [INC_EV_POSTMORTEM_STATUS] = {"postmortem_status", B(INC__F_STATUS), inc__pm_prepare_status,
                                  inc__pm_commit_status, inc__pm_describe_status},
    [INC_EV_POSTMORTEM_TAG] = {"postmortem_tag", B(INC__F_NAME), inc__pm_prepare_tag,
                               inc__pm_commit_tag, inc__pm_describe_tag},
    [INC_EV_BRIDGE_OPENED] = {"bridge_opened", B(INC__F_TARGET), inc__core_prepare_nothing,
                              inc__pm_commit_bridge, inc__pm_describe_bridge},
    /* Reopening (LIFE-4): the lifecycle, in apply.c. */
    [INC_EV_REOPENED] = {"reopened", B(INC__F_STATE) | B(INC__F_TEXT), inc__core_prepare_reopened,
                         inc__core_commit_reopened, inc__core_describe_reopened},
    /* Links between incidents (LIFE-5): links.c. */
    [INC_EV_LINKED] = {"linked", B(INC__F_ITEM) | B(INC__F_ID), inc__core_prepare_linked,
                       inc__core_commit_linked, inc__core_describe_linked},
    /* External ids (lib/comms/wire_formats.c). */
    [INC_EV_EXTERNAL_LINKED] = {"external_linked", B(INC__F_NAME) | B(INC__F_TARGET),
                                inc__comms_prepare_linked, inc__comms_commit_linked,
                                inc__comms_describe_linked},
    /* Alerts (lib/due/alert_due.c; intake in lib/alerts/). */
    [INC_EV_ALERT_RECEIVED] = {"alert_received",
                               B(INC__F_NAME) | B(INC__F_STATUS) | B(INC__F_TARGET) |
                                   B(INC__F_ITEM),
                               inc__alert_prepare_received, inc__alert_commit_received,
                               inc__alert_describe_received},
    /* Custom fields (RUB-6): fields.c. */
    [INC_EV_FIELD_SET] = {"field_set", B(INC__F_NAME) | B(INC__F_TARGET), inc__core_prepare_field,
                          inc__core_commit_field, inc__core_describe_field},
};

#define ROW_COUNT ((int)(sizeof(rows) / sizeof(rows[0])))

const inc__event_kind *inc__event_kind_row(int kind)
{
    if (kind <= 0 || kind >= ROW_COUNT || !rows[kind].name)
        return NULL;
    return &rows[kind];
}

int inc__event_kind_end(void)
{
    return ROW_COUNT;
}
