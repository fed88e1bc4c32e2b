/* The CAN and communication part of an incident's state (CAN-1..CAN-4,
 * COMM-1..COMM-4): recorded CAN reports and status updates, the decisions
 * asked of the IC, the IC's cadences and when each audience last heard.
 * Changed only by the apply functions of can.c and status_update.c, which the apply
 * table (apply.c) points at. */
#ifndef INC_CAN_INTERNAL_H
#define INC_CAN_INTERNAL_H

#include "event.h"
#include "findings_internal.h"
#include "incident/can.h"
#include "incident/comms.h"
#include "util/buf.h"
#include "util/version.h"

typedef struct inc__decision {
    const char *text;         /* into the arena, or into @block */
    char *block;              /* owned: the texts of one CAN report's decisions */
    const char *requested_by; /* into the arena */
    inc_time requested_at;
    uint64_t request_seq;
    inc_decision_status status;
    const char *decided_by;
    inc_time decided_at;
    uint64_t decision_seq;
    const char *note;
} inc__decision;

typedef struct inc__comms {
    inc__decision *dec; /* decision id = index + 1 */
    size_t dec_count, dec_cap;
    uint32_t *cans; /* event indexes (seq - 1) of CAN reports */
    size_t can_count, can_cap;
    uint32_t *updates; /* event indexes of status updates */
    size_t update_count, update_cap;
    size_t heard_count[INC_AUDIENCE_COUNT]; /* updates per audience */
    inc_time last_at[INC_AUDIENCE_COUNT];
    const char *last_by[INC_AUDIENCE_COUNT];
    int64_t cadence[INC_AUDIENCE_COUNT]; /* when cadence_set */
    int cadence_set[INC_AUDIENCE_COUNT];
    inc_time comm_sent[INC_COMM_COUNT]; /* first delivery, INC_TIME_NONE until then */
} inc__comms;

/* What prepare allocated for commit: a CAN report's decision texts. */
typedef struct inc__comms_prep {
    char *block;
    size_t count;
} inc__comms_prep;

struct inc_incident;
struct inc__prep;

void inc__comms_init(inc__comms *c);
void inc__comms_dispose(inc__comms *c, const inc_allocator *a);
void inc__comms_prep_release(inc__comms_prep *p, const inc_allocator *a);

/* Apply functions (event_kinds.c's table). */
int inc__can_prepare_report(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
void inc__can_commit_report(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
int inc__can_prepare_requested(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
void inc__can_commit_requested(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
int inc__can_prepare_decided(struct inc_incident *inc, const inc__event *ev,
                             struct inc__prep *prep);
void inc__can_commit_decided(struct inc_incident *inc, const inc__event *ev,
                             struct inc__prep *prep);
int inc__comms_prepare_update(struct inc_incident *inc, const inc__event *ev,
                              struct inc__prep *prep);
void inc__comms_commit_update(struct inc_incident *inc, const inc__event *ev,
                              struct inc__prep *prep);
int inc__comms_prepare_cadence(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
void inc__comms_commit_cadence(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
int inc__comms_prepare_linked(struct inc_incident *inc, const inc__event *ev,
                              struct inc__prep *prep);
void inc__comms_commit_linked(struct inc_incident *inc, const inc__event *ev,
                              struct inc__prep *prep);
void inc__comms_describe_linked(inc__buf *b, const inc__event *ev);

/* The timeline line of a CAN report, decision, status update or cadence
 * change (event_kinds.c's table). */
void inc__can_describe(inc__buf *b, const inc__event *ev);
void inc__decision_describe_requested(inc__buf *b, const inc__event *ev);
void inc__decision_describe_made(inc__buf *b, const inc__event *ev);
void inc__comms_describe_update(inc__buf *b, const inc__event *ev);
void inc__comms_describe_cadence(inc__buf *b, const inc__event *ev);

/* ---- lint, shared with the hand-off briefing (ROLE-2) and PM-4 ---- */

struct inc__lint_config_view;
/* The lint configuration of @inc's context (inc_context_set_lint_config()),
 * or NULL for the defaults (can.c). */
const struct inc__lint_config_view *inc__incident_lint_view(const inc_incident *inc);
/* Append the CAN-1/CAN-2 findings of a report to @list, with a team's
 * configuration (NULL: none). INC_OK or INC_ENOMEM. The texts must be
 * valid UTF-8 (NULL is blank). */
int inc__can_lint_cfg(inc_findings *list, const char *conditions, const char *actions,
                      const char *needs, const struct inc__lint_config_view *cfg);
/* CAN-2's reading of one slot (can_lint.c): speculation in Conditions
 * (@slot INC_CAN_CONDITIONS) or promises in Actions (INC_CAN_ACTIONS). */
int inc__can_lint_slot(inc_findings *list, const char *text, int slot,
                       const struct inc__lint_config_view *cfg);
/* Append the COMM-3 findings of @len bytes of an external update's @body
 * to @list, with a team's configuration (NULL for the defaults). */
int inc__update_lint_cfg(inc_findings *list, const char *body, size_t len, inc_state state,
                         const char *components, const struct inc__lint_config_view *cfg);
/* Append the rule IDs of @list's findings from @first on, comma-separated
 * and without repeats, to @b. */
void inc__findings_ids(const inc_findings *list, size_t first, inc__buf *b);

/* The open (pending) decisions as text for a hand-off briefing, one per
 * line: "D<id>: <text> (asked by <who>)"; nothing when there are none. */
void inc__decisions_open_text(const struct inc_incident *inc, inc__buf *b);

/* What a hand-off briefing (ROLE-2) carries from this layer: the CAN lint
 * IDs of the briefing (CAN-2) and the open decisions (CAN-3), put on the
 * hand-off's draft as INC__F_FINDINGS and INC__F_REQUESTS. The buffers must
 * live until the draft is written; dispose them after. */
typedef struct inc__briefing_extras {
    inc__buf ids;
    inc__buf open;
} inc__briefing_extras;
int inc__can_briefing_extras(struct inc_incident *inc, inc__event_draft *d, const char *conditions,
                             const char *actions, const char *needs, inc__briefing_extras *x);
void inc__can_briefing_extras_dispose(inc__briefing_extras *x);
/* Append the open decisions and lint IDs of a hand-off event to its line. */
void inc__can_describe_briefing(inc__buf *b, const inc__event *ev);

/* ---- the writer check (COMM-1, COMM-3) ---- */

/* The roles @person holds now, as a mask (the roles state's query). */
unsigned inc__comms_roles_of(const struct inc_incident *inc, const char *person);
/* Check @author as the writer to @audience. Under the strict policy a wrong
 * writer is INC_EROLE with the message on the handle; under the advisory
 * policy the finding is added to @list (may be NULL) and INC_OK returned. */
int inc__comms_check_writer(struct inc_incident *inc, const char *author, inc_audience audience,
                            inc_findings *list);

/* ---- recording a linted event (CAN-2, COMM-3) ---- */

/* How one kind of linted event (a CAN report, a status update) is checked,
 * linted and drafted; @arg is the caller's report or update. */
typedef struct inc__linted_kind {
    int event_kind;   /* INC_EV_* */
    const char *arg;  /* the argument's name, for "<arg>: NULL" */
    const char *verb; /* what inc__require_open() names, "post a status update" */
    /* The argument's versions: the caller's struct is read into a current one. */
    const inc__vstruct *version;
    /* Check the argument; the message goes on the handle. */
    int (*check)(struct inc_incident *inc, const void *arg);
    /* The writer check (COMM-1) and the lint: add the findings to @list.
     * INC_OK, INC_ENOMEM, or the writer check's refusal. */
    int (*lint)(struct inc_incident *inc, const char *author, const void *arg, inc_findings *list);
    /* Append the event's list besides the findings (decisions asked,
     * communications targeted) to @b. */
    void (*extra)(const void *arg, inc__buf *b);
    /* Add the fields to @d: @ids holds the findings' rule IDs, @extra what
     * extra() appended. */
    void (*draft)(struct inc_incident *inc, inc__event_draft *d, const void *arg,
                  const inc__buf *ids, const inc__buf *extra);
} inc__linted_kind;

/* The one path of inc_incident_add_can() and inc_incident_add_update(): check the
 * handle, author and state, read the caller's @arg (of any version) into
 * @copy (a current struct of the kind), check it, lint into a new findings list, write
 * the event carrying the findings' IDs, and hand out the list (*findings,
 * may be NULL) and the event's sequence number (*seq, may be NULL). */
int inc__record_linted(struct inc_incident *inc, const char *author, const void *arg, void *copy,
                       const inc__linted_kind *kind, inc_findings **findings, uint64_t *seq);

/* 1 when audience @a is overdue at @now (COMM-2), with how late in *late. */
int inc__comms_overdue(const struct inc_incident *inc, inc_audience a, inc_time now, int64_t *late);

#endif
