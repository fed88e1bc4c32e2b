/* The roles part of an incident's state (ROLE-1, ROLE-2, ROLE-12): every
 * assignment ever made (IC terms included), the pending hand-off and when
 * the Scribe came. Changed only by the apply functions in staffing_state.c,
 * which the apply table (apply.c) points at. */
#ifndef INC_ROLES_INTERNAL_H
#define INC_ROLES_INTERNAL_H

#include "incident/findings.h"
#include "incident/staffing.h"
#include "event.h"

/* Assignments are kept as the public struct, so the accessors hand out
 * pointers into the array. Their strings point into the incident's arena
 * (the event that made them) and live as long as the handle. */
typedef struct inc__roles {
    inc_assignment *asg; /* in the order they began */
    size_t count;
    size_t cap;
    /* The pending hand-off; from is always the current IC. */
    const char *handoff_to; /* NULL when none is pending */
    inc_time handoff_since;
    uint64_t handoff_seq;
    inc_time scribe_first_at; /* ROLE-12; INC_TIME_NONE until a Scribe comes */
} inc__roles;

/* struct inc_incident is defined in incident_internal.h, which includes this
 * header for the member it embeds. */
struct inc_incident;

void inc__roles_init(inc__roles *r);
void inc__roles_dispose(inc__roles *r, const inc_allocator *a);

/* Apply functions (see inc__apply_ops in incident_internal.h): prepare checks
 * the event against the roles state and reserves the memory commit needs;
 * commit cannot fail. The declaration makes the declarer IC (DEC-1). */
struct inc__prep;
int inc__roles_prepare_declared(struct inc_incident *inc, const inc__event *ev);
void inc__roles_commit_declared(struct inc_incident *inc, const inc__event *ev);
int inc__roles_prepare_assigned(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
void inc__roles_commit_assigned(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
int inc__roles_prepare_released(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
void inc__roles_commit_released(struct inc_incident *inc, const inc__event *ev,
                                struct inc__prep *prep);
int inc__roles_prepare_handoff(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
void inc__roles_commit_handoff(struct inc_incident *inc, const inc__event *ev,
                               struct inc__prep *prep);
int inc__roles_prepare_confirmed(struct inc_incident *inc, const inc__event *ev,
                                 struct inc__prep *prep);
void inc__roles_commit_confirmed(struct inc_incident *inc, const inc__event *ev,
                                 struct inc__prep *prep);
int inc__roles_prepare_cancelled(struct inc_incident *inc, const inc__event *ev,
                                 struct inc__prep *prep);
void inc__roles_commit_cancelled(struct inc_incident *inc, const inc__event *ev,
                                 struct inc__prep *prep);

/* ---- queries shared by the mutators and the checks (staffing_state.c) ---- */

/* The roles @person holds now, as a mask. */
unsigned inc__roles_mask(const inc__roles *r, const char *person);
/* The current assignment of @role to @person (with @domain for SMEs; NULL
 * domain matches any), or NULL. */
const inc_assignment *inc__roles_find(const inc__roles *r, const char *person, inc_role role,
                                      const char *domain);
/* The current holder of a one-holder role other than @person, or NULL. */
const inc_assignment *inc__roles_other_holder(const inc__roles *r, inc_role role,
                                              const char *person);
/* When @person took @role (the earliest current assignment), or INC_TIME_NONE. */
inc_time inc__roles_held_since(const inc__roles *r, const char *person, inc_role role);
/* 1 if only one person at a time may hold @role (every role but SME). */
int inc__role_single(inc_role role);

/* ---- combination rules (staffing_check.c) ---- */

/* The RULES.md ID that governs one person holding @a and @b under @combo:
 * "ROLE-5" for report-long, "ROLE-6" for report-overdue, else by the pair
 * (ROLE-3, -4, -5, -6, -7, -8, and ROLE-9 for the rest). */
const char *inc__combo_rule(inc_role a, inc_role b, inc_combo combo);

/* Under the strict policy, refuse (INC_EROLE, message on the handle) when
 * @person, holding @held, would also hold @role at the current level and the
 * rubric says never. @what_to_do ends the message. Under the advisory
 * policy, or when allowed, returns INC_OK. */
int inc__roles_enforce(struct inc_incident *inc, const char *person, unsigned held, inc_role role,
                       const char *what_to_do);
/* The rule IDs of the findings that a person holding @held and taking @role
 * creates at the current level, comma-separated into @out (size @size; ""
 * when none): recorded in the event so the timeline shows what advisory
 * accepted. */
void inc__roles_combo_ids(struct inc_incident *inc, unsigned held, inc_role role, char *out,
                          size_t size);

/* Append the role findings of @inc at time @now to @list (ROLE-3..ROLE-12,
 * RUB-5). @both_overdue says whether the external and internal updates are
 * both overdue (ROLE-6); inc__roles_check() takes it from
 * inc__comms_both_overdue(). INC_OK or INC_ENOMEM (the list may then hold
 * some of the findings). */
int inc__roles_findings(struct inc_incident *inc, inc_time now, int both_overdue,
                        inc_findings *list);
int inc__roles_check(struct inc_incident *inc, inc_time now, inc_findings *list);

/* 1 when the external and internal updates are both overdue at @now
 * (COMM-2), which is when ROLE-6 reports Comms Lead + Internal Liaison for a
 * split. Defined with the cadences (cadence.c). */
int inc__comms_both_overdue(const struct inc_incident *inc, inc_time now);

#endif
