/* The due-items part of an incident's state (ESC-1..ESC-3, REG-1) and the
 * engine that turns state into due items (due_engine.c), its sources
 * (due_sources.c), the paging records (paging.c), the deadline clocks
 * (deadline_clock.c).
 *
 * Everything here is derived from the timeline by the apply functions, so a
 * reopened incident knows exactly what was delivered. */
#ifndef INC_DUE_INTERNAL_H
#define INC_DUE_INTERNAL_H

#include "due_services.h"
#include "event.h"
#include "incident/due.h"
#include "incident/scheduler.h"

/* The two escalation conditions index the ladder cursors. */
#define INC__COND_COUNT 2

/* Audiences and required communications (COMM-2, COMM-4), as the comms
 * layer numbers them. */
#define INC__DUE_AUDIENCES 3

/* ROLE-10: minimum staffing is due this long after declaration or the last
 * severity change (AUD-1: the first ten minutes). */
#define INC__STAFFING_GRACE_MS (10LL * 60 * 1000)

/* REG-1: the longest deadline clock name. */
#define INC__DEADLINE_NAME_MAX 64

typedef struct inc__due_state {
    /* Acknowledgement (ESC-3). */
    inc_time acked_at;     /* the current acknowledgement, INC_TIME_NONE if none */
    const char *acked_by;  /* into the arena */
    inc_time first_ack_at; /* MTTA */
    inc_time activity_at;  /* last ack, CAN report, update or state change */
    /* Unacknowledged time: unack_ms accumulated before unack_since, the
     * start of the current unacknowledged spell (INC_TIME_NONE while acked). */
    int64_t unack_ms;
    inc_time unack_since;
    /* ESC-1: per condition, the next ladder position of the current level
     * that is neither delivered nor skipped by a severity change. */
    unsigned next_pos[INC__COND_COUNT];
    inc_time level_since; /* declaration, the last severity change or reopening */
    /* The start of the current response: the declaration, or the latest
     * reopening (LIFE-4), from which the ladder's "unresolved" condition and
     * the acknowledgement target count; acked_in_run once acknowledged since. */
    inc_time run_since;
    int acked_in_run;
    /* One-shot items: the due time last delivered, INC_TIME_NONE if none. */
    int ack_delivered;
    inc_time scribe_done;
    inc_time staffing_done;
    inc_time heartbeat_done[INC__DUE_AUDIENCES];
    inc_time comm_done[INC_COMM_COUNT];
    /* ALERT-3: the last alert_received event resolved at this time
     * (INC_TIME_NONE when the last one fires); the item last delivered. */
    inc_time alert_resolved_at;
    inc_time alert_resolved_done;
    /* Paging records. */
    inc_page *pages;
    size_t page_count, page_cap;
    inc_time first_page_at;
    /* Deadline clocks (REG-1). */
    struct inc__clock *clocks;
    size_t clock_count, clock_cap;
} inc__due_state;

/* A deadline clock: the public view (status and stop fields kept current,
 * overdue computed when read) and which of its items were delivered. */
typedef struct inc__clock {
    inc_deadline_clock pub;
    unsigned flags;
} inc__clock;
#define INC__CLOCK_REMINDED 1u
#define INC__CLOCK_DEADLINE 2u

struct inc_incident;
struct inc__prep;

void inc__due_init(inc__due_state *d);
void inc__due_dispose(inc__due_state *d, const inc_allocator *a);

/* Called by inc__apply_commit() after every event (written or replayed):
 * follows the kinds of other layers that move the due state (declaration,
 * severity and state changes, CAN reports, status updates). */
void inc__due_observe(struct inc_incident *inc, const inc__event *ev);

/* Apply functions of the kinds this layer writes (event_kinds.c's table). */
int inc__paging_prepare_requested(struct inc_incident *inc, const inc__event *ev,
                                  struct inc__prep *prep);
void inc__paging_commit_requested(struct inc_incident *inc, const inc__event *ev,
                                  struct inc__prep *prep);
int inc__paging_prepare_sent(struct inc_incident *inc, const inc__event *ev,
                             struct inc__prep *prep);
void inc__paging_commit_sent(struct inc_incident *inc, const inc__event *ev,
                             struct inc__prep *prep);
int inc__paging_prepare_ack(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
void inc__paging_commit_ack(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
int inc__due_prepare_delivered(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
void inc__due_commit_delivered(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
int inc__clock_prepare_started(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
void inc__clock_commit_started(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
int inc__clock_prepare_stopped(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
void inc__clock_commit_stopped(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);

/* Timeline lines for the kinds above (event_kinds.c's table). */
void inc__paging_describe_requested(inc__buf *b, const inc__event *ev);
void inc__paging_describe_sent(inc__buf *b, const inc__event *ev);
void inc__paging_describe_ack(inc__buf *b, const inc__event *ev);
void inc__clock_describe_started(inc__buf *b, const inc__event *ev);
void inc__clock_describe_stopped(inc__buf *b, const inc__event *ev);
void inc__due_describe_delivered(inc__buf *b, const inc__event *ev);
/* alert_received (alert_due.c, ALERT-3). */
int inc__alert_prepare_received(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
void inc__alert_commit_received(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
void inc__alert_describe_received(inc__buf *b, const inc__event *ev);

/* ---- the engine (due_engine.c) ---------------------------------------------------- */

/* Sources: each emits the pending drafts due at or before sink->limit. */
void inc__due_src_escalation(const struct inc_incident *inc, inc__due_sink *sink);
void inc__due_src_ack(const struct inc_incident *inc, inc__due_sink *sink);
void inc__due_src_comms(const struct inc_incident *inc, inc__due_sink *sink);
void inc__due_src_roles(const struct inc_incident *inc, inc__due_sink *sink);
void inc__due_src_deadlines(const struct inc_incident *inc, inc__due_sink *sink);
void inc__due_src_alerts(const struct inc_incident *inc, inc__due_sink *sink);
void inc__due_src_postmortem(const struct inc_incident *inc, inc__due_sink *sink);

/* Every source in turn. */
void inc__due_collect(const struct inc_incident *inc, inc__due_sink *sink);

/* The ladder: number of positions of @level (steps x (repeat + 1)) and what
 * position @pos is. */
size_t inc__ladder_positions(const inc_rubric *r, size_t level);
void inc__ladder_position(const inc_rubric *r, size_t level, size_t pos, int64_t *threshold,
                          inc_esc_condition *cond, unsigned *step, unsigned *loop,
                          const char **target);

/* Deliver the due items of @inc (now by the context's clock) into @list,
 * at most @max (0: no limit) in all in the list. */
int inc__due_deliver(struct inc_incident *inc, const char *actor, size_t max, inc_due_list *list);

/* The list (due_list.c). stage renders @d into room reserved in the list
 * (the only step that can fail, INC_ENOMEM); commit makes the staged item
 * part of the list with the sequence number of its record (0 if none) and
 * @inc's head as it is then (TL-5, for the PagerDuty payload). */
int inc__due_list_new(const inc_allocator *a, inc_due_list **out);
int inc__due_list_stage(inc_due_list *list, const struct inc_incident *inc, const inc__due_draft *d,
                        inc_time now);
const inc_due_item *inc__due_list_staged(const inc_due_list *list);
void inc__due_list_commit(inc_due_list *list, const struct inc_incident *inc, uint64_t seq);

/* Level names and rubric facts the renderer needs. */
const char *inc__due_rule(inc_due_kind kind);

/* PagerDuty Events API v2 (pagerduty.c): the pieces a delivered item's
 * trigger (due_list.c) and the events of the timeline share. */
#define INC__PD_DEDUP_MAX 255 /* the API's dedup_key limit */
const char *inc__pd_severity(size_t level, size_t count);
void inc__pd_put_str(inc__buf *b, const char *key, const char *value, int *first);
void inc__pd_put_i64(inc__buf *b, const char *key, int64_t value, int *first);
void inc__pd_put_summary(inc__buf *b, const char *text);
int inc__pd_check_key(const char *what, const char *s, size_t max);
int inc__pd_routing_key_valid(const char *key);
int inc__pd_url_valid(const char *url);
void inc__pd_put_links(inc__buf *b, const char *url, const char *incident_id, int *first);

#endif
