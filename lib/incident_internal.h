/* The incident handle and the one apply path shared by writes and replay. */
#ifndef INC_INCIDENT_INTERNAL_H
#define INC_INCIDENT_INTERNAL_H

#include "comms/comms_internal.h"
#include "event.h"
#include "roles/staffing_internal.h"
#include "due/due_internal.h"
#include "after/postmortem_internal.h"
#include "util/arena.h"

typedef struct inc__stored_event {
    const uint8_t *data; /* in the incident's arena: never moves */
    uint32_t len;
} inc__stored_event;

struct inc_incident {
    inc_context *ctx;
    const inc_allocator *alloc; /* the context's */
    inc_error err;

    /* The timeline: every event's bytes, in order. */
    inc__arena arena;
    inc__stored_event *events;
    size_t event_count;
    size_t event_cap;
    uint8_t last_hash[INC__SHA256_LEN]; /* SHA-256 of the last event (TL-2) */
    inc__buf scratch;                   /* encoding buffer reused by every write */

    /* State derived from the events (pointers into the arena). */
    char id[INC_ID_MAX + 1];
    const char *title;
    const char *channel;
    const char *declarer;
    const char *ic;
    const char *severity;
    size_t severity_index;
    /* The first event at each level of the rubric (0: none), and its time:
     * when the incident reached a level (COMM-4 clocks) without a scan. */
    uint64_t level_first_seq[INC_LEVELS_MAX];
    inc_time level_first_at[INC_LEVELS_MAX];
    inc_state state;
    unsigned criteria;
    int drill;
    inc_time declared_at;
    inc_time impact_started;
    inc_time detected;
    inc_time mitigated_at;
    inc_time resolved_at;  /* the latest resolution; NONE again once reopened */
    inc_time reopened_at;  /* the latest reopening (LIFE-4), NONE if never */
    unsigned reopen_count; /* LIFE-4 */
    inc_link *links;       /* LIFE-5 (links.c); strings into the arena */
    size_t link_count, link_cap;
    const char *duplicate_of; /* the primary, NULL if not a duplicate */
    const inc_rubric *rubric; /* parsed from the declaration (RUB-4); the context's */
    inc__roles roles;         /* assignments, IC terms, pending hand-off (staffing_state.c) */
    inc__comms
        comms; /* CAN reports, decisions, status updates, cadences (can.c, status_update.c) */
    inc__due_state due; /* acknowledgement, ladder, pages, deadline clocks (due_engine.c) */
    inc__pm pm; /* postmortem sections, status, action items (postmortem.c, action_items.c) */
};

/* Resources an event needs, allocated by prepare before the store append so
 * that commit cannot fail. */
typedef struct inc__prep {
    const inc_rubric *rubric; /* DECLARED; owned by the context */
    size_t severity_index;
    inc__comms_prep comms; /* CAN_REPORT: the decision texts */
} inc__prep;

/* The one apply path (apply.c): prepare checks the event against the state
 * and allocates what commit needs, changing nothing; commit applies it and
 * cannot fail; release frees what prepare allocated when commit never came.
 * Each kind's own prepare and commit are in its row (event_kinds.h). */
int inc__apply_prepare(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__apply_commit(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__apply_release(inc_incident *inc, inc__prep *prep);

/* A stored event contradicts the record: records "incident <id>, event
 * <seq> (<kind>): <what>" in the incident's error and returns INC_ECORRUPT.
 * Every prepare function reports through it. */
int inc__event_corrupt(inc_incident *inc, const inc__event *ev, const char *what);

/* The apply functions of the core's own kinds (apply.c) and their timeline
 * lines (timeline.c), for event_kinds.c's table. */
int inc__core_prepare_declared(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_commit_declared(inc_incident *inc, const inc__event *ev, inc__prep *prep);
int inc__core_prepare_severity(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_commit_severity(inc_incident *inc, const inc__event *ev, inc__prep *prep);
int inc__core_prepare_state(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_commit_state(inc_incident *inc, const inc__event *ev, inc__prep *prep);
int inc__core_prepare_reopened(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_commit_reopened(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_describe_reopened(inc__buf *b, const inc__event *ev);
int inc__core_prepare_linked(inc_incident *inc, const inc__event *ev, inc__prep *prep);
/* Custom fields (RUB-6): fields.c. */
int inc__core_prepare_field(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_commit_field(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_describe_field(inc__buf *b, const inc__event *ev);
/* INC_EINVAL naming the custom fields required to close @inc at its level
 * that are not set (RUB-6); INC_OK when none is missing. */
int inc__fields_check_close(inc_incident *inc);
void inc__core_commit_linked(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_describe_linked(inc__buf *b, const inc__event *ev);
int inc__core_prepare_correction(inc_incident *inc, const inc__event *ev, inc__prep *prep);
int inc__core_prepare_nothing(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_commit_nothing(inc_incident *inc, const inc__event *ev, inc__prep *prep);
void inc__core_describe_declared(inc__buf *b, const inc__event *ev);
void inc__core_describe_severity(inc__buf *b, const inc__event *ev);
void inc__core_describe_state(inc__buf *b, const inc__event *ev);
void inc__core_describe_note(inc__buf *b, const inc__event *ev);
void inc__core_describe_correction(inc__buf *b, const inc__event *ev);
void inc__roles_describe_role(inc__buf *b, const inc__event *ev);
void inc__roles_describe_handoff(inc__buf *b, const inc__event *ev);
void inc__roles_describe_confirmed(inc__buf *b, const inc__event *ev);
void inc__roles_describe_cancelled(inc__buf *b, const inc__event *ev);

/* Write one event: encode @d at the next sequence number with the clock's
 * time, prepare, append at the last seen sequence number, commit. On any
 * failure nothing changes. (incident.c) */
int inc__incident_write(inc_incident *inc, const inc__event_draft *d);

/* Replay stored bytes through the apply path (incident.c). */
int inc__incident_load_event(inc_incident *inc, uint64_t seq, const void *data, size_t len);

/* New empty handle for @id (incident.c). */
int inc__incident_alloc(inc_context *ctx, const char *id, inc_incident **out);

/* Checks shared by the mutators. */
/* The entry checks of every call that writes: a handle (INC_EINVAL), the
 * error cleared, a valid actor, and unless @what is NULL (corrections,
 * action items, due deliveries: allowed once closed) an incident that is
 * not closed (INC_ESTATE naming @what). */
int inc__begin(inc_incident *inc, const char *actor, const char *what);
int inc__check_actor(inc_incident *inc, const char *actor);
int inc__require_ic(inc_incident *inc, const char *actor, const char *what);
int inc__require_open(inc_incident *inc, const char *what);

/* Records "hash chain broken at event @seq (TL-2)" and returns
 * INC_ECORRUPT: the one message of open, reload and verify (timeline.c). */
int inc__chain_broken(inc_incident *inc, uint64_t seq);

/* inc_incident_describe_event() without the escaping, for renderers that
 * escape by their own rules (the Markdown postmortem); timeline.c. */
int inc__incident_event_line_raw(const inc_incident *inc, size_t index, char **out);

/* Decode event @index (0-based) of the in-memory timeline. */
int inc__incident_event_at(const inc_incident *inc, size_t index, inc__event *ev);

#endif
