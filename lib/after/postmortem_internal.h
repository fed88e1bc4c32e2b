/* The postmortem part of an incident's state (PM-1..PM-4): the narrative
 * sections, the root-cause tag, the status and the action items. Changed
 * only by the apply functions of postmortem.c and action_items.c, which the
 * apply table (apply.c) points at. Also: the due-item source for PM-2/PM-3
 * (due_sources.c calls it), and the store scan that the store-wide action
 * list and the metrics read incidents with (store_scan.c). */
#ifndef INC_PM_INTERNAL_H
#define INC_PM_INTERNAL_H

#include "due/due_services.h"
#include "event.h"
#include "incident/postmortem.h"
#include "util/buf.h"

/* An action item: the public view plus what the due items retire. */
typedef struct inc__action {
    inc_action_item pub;
    inc_time overdue_done; /* PM-3: the due date last delivered as overdue */
} inc__action;

typedef struct inc__pm {
    /* Narrative sections: the latest text (into the arena), NULL while missing. */
    const char *section[INC_PM_SECTION_COUNT];
    const char *tag; /* root-cause tag, NULL while unset */
    inc_pm_status status;
    inc_time status_at;
    inc_time final_at;
    int started;        /* any postmortem event seen */
    inc_time due_done;  /* PM-2: the due time delivered, INC_TIME_NONE if none */
    inc__action *items; /* id = index + 1 */
    size_t item_count, item_cap;
} inc__pm;

struct inc_incident;
struct inc__prep;

void inc__pm_init(inc__pm *pm);
void inc__pm_dispose(inc__pm *pm, const inc_allocator *a);

/* Apply functions (event_kinds.c's table). */
int inc__pm_prepare_section(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
void inc__pm_commit_section(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
int inc__pm_prepare_tag(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
void inc__pm_commit_tag(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
int inc__pm_prepare_status(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
void inc__pm_commit_status(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
void inc__pm_commit_bridge(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
int inc__action_prepare_added(struct inc_incident *inc, const inc__event *ev,
                              struct inc__prep *prep);
void inc__action_commit_added(struct inc_incident *inc, const inc__event *ev,
                              struct inc__prep *prep);
int inc__action_prepare_changed(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
void inc__action_commit_changed(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);

/* Timeline lines of the kinds above (event_kinds.c's table). */
void inc__pm_describe_section(inc__buf *b, const inc__event *ev);
void inc__pm_describe_tag(inc__buf *b, const inc__event *ev);
void inc__pm_describe_status(inc__buf *b, const inc__event *ev);
void inc__pm_describe_bridge(inc__buf *b, const inc__event *ev);
void inc__action_describe_added(inc__buf *b, const inc__event *ev);
void inc__action_describe_changed(inc__buf *b, const inc__event *ev);

/* 1 when the postmortem is Final (lifecycle.c: a level that requires one
 * closes only then). */
int inc__pm_final(const struct inc_incident *inc);

/* ---- action items, shared by the incident's apply and the store scan ---- */

/* Check an action event against @items (structure only: fields present,
 * ids and values in range). NULL if good, else why not. */
const char *inc__action_check(const inc__action *items, size_t count, const inc__event *ev);
/* Apply a checked event; an added item goes to items[count] (room must be
 * there) and *count grows. Strings point into @ev's bytes. */
void inc__action_apply(inc__action *items, size_t *count, const inc__event *ev);

/* 1 when level @level of @r is a "Sev-0/Sev-1" level for PM-3: it requires
 * a postmortem within the rubric's tightest postmortem window. */
int inc__pm_level_protected(const inc_rubric *r, size_t level);

/* ---- PM-2 / PM-3 due items (due_sources.c, due_engine.c, due_list.c) ---------- */

/* Emit the postmortem-due and overdue-action drafts of @inc. Runs for
 * resolved and closed incidents too. */
void inc__pm_due_src(const struct inc_incident *inc, inc__due_sink *sink);
/* 1 if a due_delivered of @kind with index @idx fits the state. */
int inc__pm_due_valid(const struct inc_incident *inc, int64_t kind, int64_t idx);
/* Retire a delivered item (inc__due_commit_delivered). */
void inc__pm_due_retire(struct inc_incident *inc, int64_t kind, size_t idx, inc_time due);
/* The one-line text of a PM-2/PM-3 item. */
void inc__pm_due_text(inc__buf *b, const struct inc_incident *inc, const inc__due_draft *d);

/* ---- PM-4 (postmortem.c) --------------------------------------------------- */

/* Append the PM-4 findings of @text (valid UTF-8) to @list, with slot
 * @slot. INC_OK or INC_ENOMEM. */
int inc__pm_lint_into(inc_findings *list, const char *text, size_t len, int slot,
                      const char *section_title);
/* The same with a team's configuration (NULL: none). */
struct inc__lint_config_view;
int inc__pm_lint_cfg(inc_findings *list, const char *text, size_t len, int slot,
                     const char *section_title, const struct inc__lint_config_view *cfg);

/* ---- AUD-2 (audit_patterns.c) ------------------------------------------------ */

/* Append the antipatterns of @inc to @list, spans cut at the resolution or
 * @now, in order of their start. INC_OK or INC_ENOMEM. */
int inc__audit_patterns(struct inc_incident *inc, inc_time now, int64_t min_monitoring_ms,
                        inc_findings *list);

/* ---- reading a whole store (store_scan.c) --------------------------------- */

/* A role held at the end of the timeline (the incident list's role filter). */
typedef struct inc__pm_holder {
    inc_role role;
    const char *person;
    const char *domain; /* an SME's, else NULL */
} inc__pm_holder;

/* A custom field's last value (RUB-6). */
typedef struct inc__pm_field {
    const char *name;
    const char *value;
} inc__pm_field;

/* What the store-wide action list, the metrics and the incident list need
 * of one incident, read from its events without opening a handle. Strings
 * are valid during the callback only. */
typedef struct inc__pm_summary {
    const char *id;
    const char *title;
    const char *severity; /* at the end of the timeline */
    int drill;
    inc_state state;
    inc_time declared_at, impact_started, detected, mitigated_at, resolved_at;
    inc_time first_page_at, first_ack_at;
    unsigned reopen_count; /* LIFE-4 */
    int duplicate;         /* LIFE-5: a duplicate of another (counted with its primary) */
    int recurrence_linked; /* LIFE-5: linked as a recurrence of a closed incident */
    const char *tag;       /* NULL if none */
    inc_pm_status pm_status;
    const char *const *paged; /* one person per page reported sent */
    size_t paged_count;
    const inc__action *items;
    size_t item_count;
    /* For the incident list (incident_list.c). */
    const char *declarer;     /* the declaration's actor */
    const char *channel;      /* the declaration's channel */
    uint64_t last_seq;        /* the sequence number of the last event */
    const char *ic;           /* the IC at the end: the declarer, then each confirmed hand-off */
    const char *duplicate_of; /* LIFE-5: the primary, when a duplicate; else NULL */
    const inc__pm_holder *holders; /* other roles held at the end, in assignment order */
    size_t holder_count;
    const inc__pm_field *fields; /* each field set, its last value, in first-set order */
    size_t field_count;
} inc__pm_summary;

/* Called once per incident; a non-zero return stops the scan and is
 * returned. */
typedef int (*inc__pm_scan_cb)(void *user, const inc__pm_summary *s);

/* Read every incident of @ctx's store, in the store's listing order, and
 * call @cb with its summary. INC_OK, the callback's value, INC_ENOMEM, or
 * a store error (message in @err). */
int inc__pm_scan(struct inc_context *ctx, inc__pm_scan_cb cb, void *user, inc_error *err);

/* Called for an incident that cannot be read (@rc, the message in @err)
 * instead of stopping the scan: INC_OK goes on (the message is cleared),
 * anything else stops it and is returned. */
typedef int (*inc__pm_skip_cb)(void *user, const char *id, int rc, const inc_error *err);

/* inc__pm_scan() that goes past the incidents it cannot read when @skip is
 * given (a store without a bulk scan only: a bulk scan stops at the first
 * error, as inc__pm_scan() does). */
int inc__pm_scan_skipping(struct inc_context *ctx, inc__pm_scan_cb cb, inc__pm_skip_cb skip,
                          void *user, inc_error *err);

#endif
