/**
 * @file incident/can.h
 * @brief CAN status reports (CAN-1..CAN-4), their lint, and the pending
 *        decisions that Needs open for the Incident Commander.
 *
 * A CAN report has three slots (CAN-1): **Conditions** (observed facts),
 * **Actions** (in flight or done) and **Needs** (resources, decisions,
 * access, people, approvals). An empty Needs is valid only when it says so:
 * a Needs slot whose whole text is one of the spellings accepted by
 * inc_can_needs_none() ("none", "nothing", "n/a", ...) is an explicit empty
 * Needs; a NULL or blank Needs is an *omitted* Needs, which the lint
 * reports as CAN-2.implicit-needs.
 *
 * ## Lint findings (CAN-2)
 *
 * inc_can_lint() runs on text alone (a chat bot can lint a draft before it is
 * posted); inc_incident_add_can() runs the same lint and records the finding
 * IDs with the report. Each finding is an #inc_finding whose
 * inc_finding::slot is an #inc_can_slot (or -1 for the whole report) and
 * whose inc_finding::offset and inc_finding::length give the offending
 * words as byte offsets into that slot's text. Words are matched
 * case-insensitively on word boundaries, and only in the slot where they
 * are a fault: "I think" in Actions is fine, and "will" in Conditions is
 * not a promise. The IDs:
 *
 * | rule_id | when | slot, offset, length | example that triggers it |
 * |---|---|---|---|
 * | `CAN-1.empty` | all three slots blank | -1, 0, 0 | C: "", A: "", N: NULL |
 * | `CAN-2.all-conditions` | Conditions, but no Actions and no Needs (Needs blank, omitted or "none") | Actions, 0, 0 | C: "CPU 95%, lag 4 min." A: "" N: "none" |
 * | `CAN-2.no-conditions` | Actions or Needs, but no Conditions | Conditions, 0, 0 | C: "" A: "Restarting the cache." N: "none" |
 * | `CAN-2.implicit-needs` | Needs omitted (NULL or blank), not "none" | Needs, 0, 0 | C: "CPU 95%." A: "Adding a replica." N: NULL |
 * | `CAN-2.speculation` | a speculation word in Conditions | Conditions, each match | C: "I think it's a memory leak" (offset 0, length 7) |
 * | `CAN-2.promise` | a promise word in Actions | Actions, each match | A: "I'm going to fail over the database" (offset 4, length 8) |
 *
 * Each slot is read sentence by sentence (the reader of the external-update
 * lint, incident/comms.h); quoted text (a customer's words) is never a
 * finding.
 *
 * Speculation (Conditions only, since Conditions are observed facts): a
 * hedge: "I think", "maybe", "probably", "might", "could be", "seems",
 * "looks like", "possibly", "likely", "suspect", "guess" (RULES.md CAN-2),
 * and "may" as a modal ("we may have lost 12 messages"), "perhaps", "not
 * sure", "appears to", "I believe". "May" as a name is not ("May is running
 * the failover"): a capitalised "May" is a name unless "be" or "have"
 * follows it at the start of a sentence.
 *
 * Promises (Actions only): "will", its contraction "'ll" ("I'll": the
 * finding is the "'ll"), "shall", "gonna", "going to" / "about to" /
 * "intend to" followed by a verb, "plan to" / "planning to" with a subject
 * or at the start of a clause, an intention stated as a noun ("Plan is to
 * replay", "Next step is to restore", "Plan: restore"), a proposal
 * ("Let's fail over"). Not promises:
 * "Will" as a name (capitalised inside a sentence, or at its start when
 * no verb in its base form follows: "Paged Will (DBA)", "Will is on the
 * bridge", "Will from SRE"), "going to <place>" ("traffic now going to
 * eu-central-1", "going to the DR site": a determiner, a name or a word
 * with digits follows, or a noun comes before it with no one doing the
 * going: "traffic going to drmrs"), "plan" as a noun ("terraform plan to
 * confirm drift"), a question ("Shall we fail over?"), and promise words
 * inside a condition ("once", "when", "until", "if", "as soon as": up to
 * the end of the clause or the subject of the main clause).
 *
 * ## Pending decisions (CAN-3)
 *
 * The Needs text is split into items: at line breaks, at ';', and after a
 * '.', '!' or '?' followed by white space; leading white space and bullets
 * ("-", "*", "•", "1." or "1)") are trimmed. An item *asks the IC for
 * approval or a decision* when it contains, as whole words, one of:
 * "approval", "approve", "sign-off", "sign off", "signoff", "go-ahead",
 * "go ahead", "green light", "permission", "authorization",
 * "authorisation", "authorize", "authorise", "decision", "decide",
 * "ok to", "okay to" (inc_can_need_asks_decision()). Each such item of a
 * recorded report becomes a pending decision with an id (1, 2, ... per
 * incident); the items are recorded in the report's event, so replay
 * reproduces the same decisions even if this rule changes later. A
 * decision can also be asked directly with inc_incident_request_decision(). Only the
 * current IC approves or denies (AUTH-1, inc_incident_decide()); the request
 * and the answer are both on the timeline, and the open ones are listed by
 * inc_incident_get_decision() / inc_incident_decision_pending_count() and in
 * every IC hand-off.
 */
#ifndef INCIDENT_CAN_H
#define INCIDENT_CAN_H

#include "common.h"
#include "findings.h"
#include "incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The slots of a CAN report; the inc_finding::slot of CAN findings. */
typedef enum inc_can_slot {
    INC_CAN_CONDITIONS = 0, /**< Conditions: observed facts. */
    INC_CAN_ACTIONS = 1,    /**< Actions: in flight or done. */
    INC_CAN_NEEDS = 2       /**< Needs: resources, decisions, access, people, approvals. */
} inc_can_slot;

/** @brief What a CAN report is used for (CAN-4). The numbers are stored. */
typedef enum inc_can_kind {
    INC_CAN_SME_TO_IC = 0,   /**< An SME's update to the IC. */
    INC_CAN_TOP_OF_HOUR = 1, /**< The IC's consolidated top-of-hour report to the response
                                  channel; it counts as the response-channel update
                                  (COMM-1) and only the IC writes it. */
    INC_CAN_HANDOFF = 2,     /**< A hand-off briefing between ICs. */
    INC_CAN_ESCALATION = 3,  /**< An escalation briefing to executives or partners. */
    INC_CAN_KIND_COUNT = 4   /**< Number of kinds; not a kind. */
} inc_can_kind;

/**
 * @brief The stable name of a report kind: "sme-to-ic", "top-of-hour",
 *        "handoff", "escalation".
 * @param kind A kind.
 * @return A static string, or NULL for a value that is not a kind.
 */
INC_API const char *inc_can_kind_name(inc_can_kind kind);

/**
 * @brief Look a report kind up by its stable name (case-insensitive).
 * @param name A name as inc_can_kind_name() returns.
 * @param[out] out Receives the kind.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_can_kind_from_name(const char *name, inc_can_kind *out);

/**
 * @brief Whether a Needs text is an explicit "nothing needed" (CAN-1).
 *
 * The accepted spellings, compared case-insensitively after trimming white
 * space and one trailing '.' or '!': "none", "nothing", "n/a", "na",
 * "no needs", "nothing needed", "none at this time", "nothing at this time".
 * @param needs The Needs text (may be NULL).
 * @return 1 for an explicit empty Needs, 0 otherwise (NULL and blank are 0:
 *         they are an omitted Needs).
 */
INC_API int inc_can_needs_none(const char *needs);

/**
 * @brief Whether one Needs item asks the IC for approval or a decision
 *        (CAN-3; the word list is in the file description).
 * @param item The text of one item (may be NULL).
 * @return 1 if it does, 0 if not.
 */
INC_API int inc_can_need_asks_decision(const char *item);

/**
 * @brief Lint a CAN report on its text alone (CAN-1, CAN-2); no incident is
 *        needed.
 * @param conditions The Conditions text, or NULL.
 * @param actions The Actions text, or NULL.
 * @param needs The Needs text, or NULL for an omitted Needs.
 * @param alloc Allocator for the list (copied), or NULL for the C library's.
 * @param[out] out Receives the findings (possibly none); free it with
 *        inc_findings_free().
 * @return #INC_OK, #INC_EINVAL (NULL @p out, text that is not UTF-8),
 *         #INC_ETOOBIG (a slot longer than #INC_TEXT_MAX), #INC_ENOMEM.
 */
INC_API int inc_can_lint(const char *conditions, const char *actions, const char *needs,
                         const inc_allocator *alloc, inc_findings **out);

/** @brief A CAN report to record. Fill with #INC_CAN_REPORT_INIT or inc_can_report_init(). */
typedef struct inc_can_report {
    unsigned int version;   /**< #INC_CAN_REPORT_VERSION */
    inc_can_kind kind;      /**< What the report is for (CAN-4). */
    const char *addressee;  /**< To whom (a person, a group, a channel; 1..#INC_NAME_MAX
                                 bytes). NULL means the current IC for
                                 #INC_CAN_SME_TO_IC and the incident channel for
                                 #INC_CAN_TOP_OF_HOUR; required for the other kinds. */
    const char *conditions; /**< Conditions, or NULL (at most #INC_TEXT_MAX bytes). */
    const char *actions;    /**< Actions, or NULL. */
    const char *needs;      /**< Needs; NULL or blank is an omitted Needs. */
} inc_can_report;

/** @brief The current version of #inc_can_report. */
#define INC_CAN_REPORT_VERSION 1
/** @brief Initializer for #inc_can_report. */
#define INC_CAN_REPORT_INIT                                                                        \
    {                                                                                              \
        INC_CAN_REPORT_VERSION, INC_CAN_SME_TO_IC, NULL, NULL, NULL, NULL                          \
    }

/**
 * @brief Fill @p report with the defaults of #inc_can_report version @p version (what
 *        #INC_CAN_REPORT_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] report The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_CAN_REPORT_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p report is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_can_report_init(inc_can_report *report, unsigned int version);

/**
 * @brief Record a CAN report on the timeline (CAN-1, CAN-4), lint it
 *        (CAN-2) and open a pending decision for each Need that asks the IC
 *        for approval or a decision (CAN-3).
 *
 * Lint findings never block recording: the report is recorded with the
 * IDs of its findings, and the findings are returned. A top-of-hour report
 * is the response-channel update (COMM-1), written by the IC: from anyone
 * else it is refused with #INC_EROLE under the strict policy, and recorded
 * with a `COMM-1.wrong-writer` finding under the advisory policy.
 * @param inc The incident.
 * @param author Who reports (1..#INC_NAME_MAX bytes, one line).
 * @param report The report.
 * @param[out] findings Receives the findings (possibly none), free with
 *        inc_findings_free(); may be NULL when the caller does not want them.
 *        Set to NULL on failure.
 * @param[out] seq Receives the event's sequence number (may be NULL).
 * @return #INC_OK; #INC_EINVAL (NULL arguments, unknown kind, a slot not
 *         UTF-8, all slots blank (CAN-1), a missing addressee); #INC_ETOOBIG;
 *         #INC_EVERSION; #INC_EROLE (strict policy, see above); #INC_ESTATE
 *         (the incident is closed); #INC_ECONFLICT; #INC_ENOMEM; or a store
 *         error. On failure nothing is recorded.
 */
INC_API int inc_incident_add_can(inc_incident *inc, const char *author,
                                 const inc_can_report *report, inc_findings **findings,
                                 uint64_t *seq);

/** @brief A recorded CAN report, as inc_incident_get_can() gives it. */
typedef struct inc_can_info {
    uint64_t seq;            /**< The event's sequence number. */
    inc_time time;           /**< When it was reported. */
    inc_can_kind kind;       /**< Its kind. */
    const char *author;      /**< Who reported. */
    const char *addressee;   /**< To whom. */
    const char *conditions;  /**< Conditions ("" when blank). */
    const char *actions;     /**< Actions ("" when blank). */
    const char *needs;       /**< Needs, or NULL when it was omitted. */
    int needs_none;          /**< 1 when Needs is an explicit "none". */
    const char *findings;    /**< The lint finding IDs recorded with it, comma-separated
                                  ("" when clean). */
    size_t decision_count;   /**< How many pending decisions it opened. */
    uint64_t first_decision; /**< The id of the first of them (they are consecutive),
                                  or 0. */
} inc_can_info;

/**
 * @brief The number of CAN reports recorded for the incident.
 * @param inc The incident.
 * @return The count; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_can_count(const inc_incident *inc);

/**
 * @brief Read one recorded CAN report.
 * @param inc The incident.
 * @param index 0-based, in the order they were recorded.
 * @param[out] out Receives the report; its strings are owned by @p inc and
 *        valid until inc_incident_reload() or inc_incident_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND for an index out of range.
 */
INC_API int inc_incident_get_can(const inc_incident *inc, size_t index, inc_can_info *out);

/** @brief Where a decision stands (CAN-3). */
typedef enum inc_decision_status {
    INC_DECISION_PENDING = 0,  /**< Waiting for the IC. */
    INC_DECISION_APPROVED = 1, /**< The IC approved it. */
    INC_DECISION_DENIED = 2    /**< The IC denied it. */
} inc_decision_status;

/**
 * @brief The stable name of a decision status: "pending", "approved", "denied".
 * @param status A decision status.
 * @return A static string, never to be freed; NULL for a value that is not a status.
 */
INC_API const char *inc_decision_status_name(inc_decision_status status);

/** @brief A decision asked of the IC, as inc_incident_get_decision() gives it. */
typedef struct inc_decision_info {
    uint64_t id;                /**< The decision's id (1, 2, ... per incident). */
    inc_decision_status status; /**< Pending, approved or denied. */
    const char *text;           /**< What is asked. */
    const char *requested_by;   /**< Who asked. */
    inc_time requested_at;      /**< When. */
    uint64_t request_seq;       /**< The event that asked (a CAN report or a request). */
    const char *decided_by;     /**< The IC who answered, or NULL while pending. */
    inc_time decided_at;        /**< When, or #INC_TIME_NONE while pending. */
    uint64_t decision_seq;      /**< The event that answered, or 0. */
    const char *note;           /**< The IC's note with the answer ("" if none), or NULL
                                     while pending. */
} inc_decision_info;

/**
 * @brief Ask the IC for a decision directly, outside a CAN report (CAN-3).
 *        Anyone may ask.
 * @param inc The incident.
 * @param actor Who asks.
 * @param text What is asked (1..#INC_TEXT_MAX bytes).
 * @param[out] id Receives the new decision's id (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ETOOBIG, #INC_ESTATE (closed),
 *         #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_request_decision(inc_incident *inc, const char *actor, const char *text,
                                          uint64_t *id);

/**
 * @brief Approve or deny a pending decision (CAN-3). Only the current IC
 *        may (AUTH-1); the answer is recorded with an optional note.
 * @param inc The incident.
 * @param actor Who answers: the current IC.
 * @param id The decision's id.
 * @param approve Non-zero to approve, zero to deny.
 * @param note Why, or NULL (at most #INC_TEXT_MAX bytes).
 * @return #INC_OK, #INC_EPERM (not the IC; the message names the IC),
 *         #INC_ENOTFOUND (no such decision), #INC_EINVAL (already decided,
 *         bad text), #INC_ESTATE (closed), #INC_ECONFLICT, #INC_ENOMEM, or a
 *         store error.
 */
INC_API int inc_incident_decide(inc_incident *inc, const char *actor, uint64_t id, int approve,
                                const char *note);

/**
 * @brief The number of decisions asked of the IC, pending or answered.
 * @param inc The incident.
 * @return The count; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_decision_count(const inc_incident *inc);

/**
 * @brief The number of decisions still pending (CAN-3).
 * @param inc The incident.
 * @return The count; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_decision_pending_count(const inc_incident *inc);

/**
 * @brief Read one decision.
 * @param inc The incident.
 * @param index 0-based, in the order they were asked (decision id = index + 1).
 * @param[out] out Receives the decision; its strings are owned by @p inc.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND for an index out of range.
 */
INC_API int inc_incident_get_decision(const inc_incident *inc, size_t index,
                                      inc_decision_info *out);

/**
 * @brief Write a CAN report as the JSON of a Netflix Dispatch tactical
 *        report: `{"conditions": "...", "actions": "...", "needs": "..."}`
 *        (field by field in lib/docs/wire-formats.md). A NULL slot is
 *        written as "".
 * @param conditions Conditions, or NULL.
 * @param actions Actions, or NULL.
 * @param needs Needs, or NULL.
 * @param alloc Allocator (copied into the result), or NULL for the C library's.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL @p out, text not UTF-8), #INC_ENOMEM.
 */
INC_API int inc_can_to_dispatch_json(const char *conditions, const char *actions, const char *needs,
                                     const inc_allocator *alloc, char **out, size_t *len);

/**
 * @brief Write a recorded CAN report as Dispatch tactical-report JSON.
 * @param inc The incident.
 * @param index The report's index, as for inc_incident_get_can().
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND, #INC_ENOMEM.
 */
INC_API int inc_incident_can_dispatch_json(const inc_incident *inc, size_t index, char **out,
                                           size_t *len);

/**
 * @brief Read a Dispatch tactical report: an object with the string members
 *        `conditions`, `actions` and `needs`, either at the top level or
 *        inside a `details` member (Dispatch's stored report). Other members
 *        are ignored. An absent, null or empty member gives NULL.
 * @param json The document (need not be NUL-terminated).
 * @param len Its length in bytes (at most 1 MiB).
 * @param alloc Allocator for the results, or NULL for the C library's.
 * @param[out] conditions Receives Conditions or NULL; free with inc_free().
 * @param[out] actions Receives Actions or NULL; free with inc_free().
 * @param[out] needs Receives Needs or NULL; free with inc_free().
 * @param[out] diag Receives the offset and a message on failure (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, a member that is not a
 *         string), #INC_EPARSE (not JSON, not an object), #INC_ETOOBIG (the
 *         document, or a slot longer than #INC_TEXT_MAX), #INC_ENOMEM. On
 *         failure the three outputs are NULL.
 */
INC_API int inc_can_from_dispatch_json(const char *json, size_t len, const inc_allocator *alloc,
                                       char **conditions, char **actions, char **needs,
                                       inc_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
