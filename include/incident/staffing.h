/**
 * @file incident/staffing.h
 * @brief Who holds which role on an incident: assigning and releasing roles,
 *        the IC hand-off, and the role checks (ROLE-1..ROLE-12, AUTH-1).
 *
 * Roles are held by people named by UTF-8 strings (1..#INC_NAME_MAX bytes).
 * Assigning and releasing a role, and each step of a hand-off, is an event on
 * the timeline, so the roles of an incident are what replaying it gives, and
 * "who was IC at time t" has an answer for every t since declaration.
 *
 * The Incident Commander is special (ROLE-2): there is exactly one at every
 * moment. The declarer is IC from T+0 (DEC-1), and the IC changes only by a
 * hand-off: the IC starts it with a CAN briefing (inc_incident_handoff()),
 * the incoming person confirms it (inc_incident_confirm_handoff()), and
 * until then the outgoing IC remains IC. The IC role is therefore never
 * given or released with inc_incident_assign_role() or
 * inc_incident_release_role().
 *
 * Which roles one person may hold together comes from the incident's rubric
 * (inc_rubric_combo(), at the incident's current level), and so does the
 * minimum staffing (inc_rubric_get_staffing()). The context's policy decides what
 * happens to an assignment that breaks a combination rule (ROLE-11): the
 * strict policy refuses it with #INC_EROLE and changes nothing; the advisory
 * policy records it, notes the rule in the event, and inc_incident_check_roles()
 * reports it. Declaring, notes and severity changes are never blocked by a
 * role rule; after a severity change the check reports at once what the new
 * level forbids.
 *
 * Only the IC assigns roles and releases other people's roles (AUTH-1); a
 * person may always release a role they hold themselves.
 */
#ifndef INCIDENT_STAFFING_H
#define INCIDENT_STAFFING_H

#include "common.h"
#include "findings.h"
#include "incident.h"
#include "roles.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief One assignment of a role to a person, held now or in the past.
 *        The IC's terms are assignments too: the declarer's from T+0, and
 *        one per confirmed hand-off.
 */
typedef struct inc_assignment {
    const char *person;      /**< Who holds (or held) the role. */
    inc_role role;           /**< The role. */
    const char *domain;      /**< The SME's domain, such as "database"; NULL for other roles. */
    const char *assigned_by; /**< Who assigned it (the IC; for an IC term, the declarer
                                  or the outgoing IC). */
    inc_time assigned_at;    /**< When it began. */
    inc_time released_at;    /**< When it ended, or #INC_TIME_NONE while it is held. */
    uint64_t seq;            /**< The event that began it. */
    uint64_t released_seq;   /**< The event that ended it, or 0 while it is held. */
} inc_assignment;

/**
 * @brief Assign a role to a person (ROLE-1). Only the IC may (AUTH-1).
 *
 * A person may hold several roles, subject to the rubric's combination
 * rules at the current level: under the strict policy an assignment that
 * creates a combination the level forbids is refused with #INC_EROLE (the
 * message names the rule, the person, both roles and what to do) and
 * nothing changes; under the advisory policy it is recorded and reported.
 * There may be any number of SMEs, each for a domain; every other role has
 * one holder at a time (release it first to give it to someone else).
 * @param inc The incident.
 * @param actor Who assigns: must be the current IC.
 * @param person Who receives the role (1..#INC_NAME_MAX bytes, one line).
 * @param role The role; not #INC_ROLE_IC (the IC changes by hand-off only, ROLE-2).
 * @param domain For #INC_ROLE_SME, the domain (required, 1..#INC_NAME_MAX
 *        bytes); for every other role NULL or "".
 * @return #INC_OK; #INC_EINVAL (bad name, unknown role, the IC role, a missing
 *         or unexpected domain; the message names the field); #INC_EPERM (not
 *         the IC; the message names the IC); #INC_EEXIST (the person holds it
 *         already, or another person holds a one-holder role); #INC_EROLE
 *         (strict policy); #INC_ESTATE (closed); #INC_ECONFLICT;
 *         #INC_ENOMEM; or a store error. On failure nothing changes.
 */
INC_API int inc_incident_assign_role(inc_incident *inc, const char *actor, const char *person,
                                     inc_role role, const char *domain);

/**
 * @brief Release a role a person holds. The IC may release anyone's role;
 *        anyone may release a role they hold themselves.
 * @param inc The incident.
 * @param actor Who releases: the IC, or @p person.
 * @param person Who holds the role.
 * @param role The role; not #INC_ROLE_IC (the IC leaves by hand-off only, ROLE-2).
 * @param domain For #INC_ROLE_SME, which domain; may be NULL or "" when the
 *        person is SME for one domain only. Must be NULL or "" for other roles.
 * @return #INC_OK; #INC_EINVAL (bad name, unknown role, the IC role, a domain
 *         needed to tell two SME assignments apart); #INC_ENOTFOUND (the
 *         person does not hold the role); #INC_EPERM; #INC_ESTATE (closed);
 *         #INC_ECONFLICT; #INC_ENOMEM; or a store error.
 */
INC_API int inc_incident_release_role(inc_incident *inc, const char *actor, const char *person,
                                      inc_role role, const char *domain);

/**
 * @brief Start handing command to another person (ROLE-2), with a CAN
 *        briefing (CAN-1). The outgoing IC remains IC until the incoming
 *        person confirms with inc_incident_confirm_handoff().
 *
 * Role combinations are enforced when the hand-off is confirmed, not when
 * it starts, so an incoming IC who holds a role that may not be combined
 * with IC (the Deputy at Sev-1, say) can be briefed first and release that
 * role before confirming.
 * @param inc The incident.
 * @param actor The current IC.
 * @param to The incoming IC (not the current IC).
 * @param conditions The briefing's Conditions (observed facts); may be NULL
 *        or "" when @p actions is given.
 * @param actions The briefing's Actions (in flight or done); may be NULL or ""
 *        when @p conditions is given.
 * @param needs The briefing's Needs; required: "none" when nothing is needed
 *        (CAN-1). Each text is at most #INC_TEXT_MAX bytes of UTF-8.
 * @return #INC_OK; #INC_EINVAL (bad name or text, a hand-off to oneself);
 *         #INC_EPERM (not the IC); #INC_ESTATE (a hand-off is pending already,
 *         or the incident is closed); #INC_ECONFLICT; #INC_ENOMEM; or a store error.
 */
INC_API int inc_incident_handoff(inc_incident *inc, const char *actor, const char *to,
                                 const char *conditions, const char *actions, const char *needs);

/**
 * @brief Confirm the pending hand-off: @p actor becomes IC and the outgoing
 *        IC's term ends (ROLE-2). The outgoing IC keeps any other role.
 * @param inc The incident.
 * @param actor The incoming IC named by inc_incident_handoff().
 * @return #INC_OK; #INC_EINVAL (bad name); #INC_ESTATE (no hand-off pending,
 *         or closed); #INC_EPERM (@p actor is not the incoming IC);
 *         #INC_EROLE (strict policy: the incoming IC holds a role that may
 *         not be combined with IC at the current level; the message names
 *         it: release it first); #INC_ECONFLICT;
 *         #INC_ENOMEM; or a store error.
 */
INC_API int inc_incident_confirm_handoff(inc_incident *inc, const char *actor);

/**
 * @brief Withdraw the pending hand-off: the outgoing IC cancels it, or the
 *        incoming person declines it. The IC stays as it is.
 * @param inc The incident.
 * @param actor The current IC or the incoming person.
 * @param reason Why (may be NULL or ""; at most #INC_TEXT_MAX bytes).
 * @return #INC_OK; #INC_EINVAL; #INC_ESTATE (no hand-off pending, or closed);
 *         #INC_EPERM; #INC_ECONFLICT; #INC_ENOMEM; or a store error.
 */
INC_API int inc_incident_cancel_handoff(inc_incident *inc, const char *actor, const char *reason);

/**
 * @brief The incoming IC of the pending hand-off.
 * @param inc The incident.
 * @return The person (owned by @p inc), or NULL when no hand-off is pending.
 *         The outgoing IC is inc_incident_ic().
 */
INC_API const char *inc_incident_handoff_to(const inc_incident *inc);

/**
 * @brief When the pending hand-off started.
 * @param inc The incident.
 * @return The time inc_incident_handoff() was recorded; #INC_TIME_NONE if no
 *         hand-off is pending or if @p inc is NULL.
 */
INC_API inc_time inc_incident_handoff_since(const inc_incident *inc);

/**
 * @brief The sequence number of the pending hand-off's event (read its
 *        briefing with inc_incident_describe_event()).
 * @param inc The incident.
 * @return The sequence number; 0 if no hand-off is pending or if @p inc is NULL.
 */
INC_API uint64_t inc_incident_handoff_seq(const inc_incident *inc);

/**
 * @brief Who was IC at time @p t (ROLE-2).
 * @param inc The incident.
 * @param t A time.
 * @return The IC at @p t (owned by @p inc), or NULL before declaration or for
 *         a NULL @p inc. At the instant of a confirmed hand-off the incoming
 *         IC is the answer.
 */
INC_API const char *inc_incident_ic_at(const inc_incident *inc, inc_time t);

/**
 * @brief How many people hold role @p role now (for #INC_ROLE_IC always 1).
 * @param inc The incident.
 * @param role The role.
 * @return The count; 0 for a NULL @p inc or a value that is not a role.
 */
INC_API size_t inc_incident_role_holder_count(const inc_incident *inc, inc_role role);

/**
 * @brief The @p index-th current holder of role @p role, in the order they
 *        were assigned.
 * @param inc The incident.
 * @param role The role.
 * @param index 0-based, below inc_incident_role_holder_count().
 * @return The current assignment (owned by @p inc, valid until the next call
 *         that changes or reloads it), or NULL if out of range.
 */
INC_API const inc_assignment *inc_incident_role_holder(const inc_incident *inc, inc_role role,
                                                       size_t index);

/**
 * @brief The roles @p person holds now.
 * @param inc The incident.
 * @param person The person's name (compared exactly).
 * @return A mask of #INC_ROLE_BIT values; 0 for no role or NULL arguments.
 */
INC_API unsigned inc_incident_person_roles(const inc_incident *inc, const char *person);

/**
 * @brief The roles @p person held at time @p t (for audits: a person with no
 *        role reporting actions is freelancing, AUD-2).
 * @param inc The incident.
 * @param person The person's name (compared exactly).
 * @param t A time.
 * @return A mask of #INC_ROLE_BIT values; 0 for no role or NULL arguments.
 */
INC_API unsigned inc_incident_person_roles_at(const inc_incident *inc, const char *person,
                                              inc_time t);

/**
 * @brief The number of assignments ever made, current and past, IC terms included.
 * @param inc The incident.
 * @return The count; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_assignment_count(const inc_incident *inc);

/**
 * @brief One assignment, in the order they began.
 * @param inc The incident.
 * @param index 0-based, below inc_incident_assignment_count().
 * @return The assignment (owned by @p inc, valid until the next call that
 *         changes or reloads it), or NULL if out of range.
 */
INC_API const inc_assignment *inc_incident_assignment(const inc_incident *inc, size_t index);

/**
 * @brief When a Scribe was first assigned (ROLE-12).
 * @param inc The incident.
 * @return The time; #INC_TIME_NONE if no Scribe has been assigned or if
 *         @p inc is NULL.
 */
INC_API inc_time inc_incident_scribe_assigned_at(const inc_incident *inc);

/**
 * @brief When a Scribe is due (ROLE-12): declaration plus the current level's
 *        Scribe window (#INC_DUR_SCRIBE, default 5 minutes).
 * @param inc The incident.
 * @return The time; #INC_TIME_NONE when the level expects no Scribe or if
 *         @p inc is NULL.
 */
INC_API inc_time inc_incident_scribe_due(const inc_incident *inc);

/**
 * @brief Check the roles of an incident against its rubric at its current
 *        level, now by the context's clock (ROLE-11). Findings, in this order:
 *        - a combination one person holds that the level forbids (ROLE-3..
 *          ROLE-9, inc_finding::enforced = 1), each naming the person and the
 *          two roles, roles[1] being the one to give to a second person;
 *        - a combination the level reports once the incident runs longer than
 *          its long-incident threshold (ROLE-5, #INC_DUR_LONG_INCIDENT), or
 *          when the external and internal updates are both overdue (ROLE-6);
 *        - each role the level's staffing requires that nobody holds (ROLE-10;
 *          RUB-5 for the Executive Sponsor, Legal Counsel and PR Principal of
 *          a level with the executive posture), and how many distinct people
 *          are missing (ROLE-10, inc_finding::value);
 *        - no Scribe past the level's Scribe window (ROLE-12,
 *          inc_finding::value = milliseconds late).
 * @param inc The incident.
 * @param[out] out Receives the list (possibly empty); free it with
 *        inc_findings_free().
 * @return #INC_OK, #INC_EINVAL (NULL arguments), #INC_ENOMEM.
 */
INC_API int inc_incident_check_roles(inc_incident *inc, inc_findings **out);

#ifdef __cplusplus
}
#endif

#endif
