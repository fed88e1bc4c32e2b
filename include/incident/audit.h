/**
 * @file incident/audit.h
 * @brief Auditing the response, the Game Day scorecard (AUD-1, AUD-2):
 *        the first-ten-minutes checklist and the antipatterns, computed from
 *        the timeline of record, as data, text and JSON.
 *
 * ## The first ten minutes (AUD-1)
 *
 * The 001 seed's runbook, each step scored against T+10 min (declaration +
 * 10 minutes) as **done** (at T+x, within the ten minutes), **late** (done
 * after T+10, at T+x), **missing** (not done, and T+10 has passed),
 * **pending** (not done yet, T+10 not reached) or **not applicable**. The
 * level is the most severe one the incident had within its first ten
 * minutes. What counts as each step:
 *
 * | step | done when |
 * |---|---|
 * | `declared` | the declaration (T+0) |
 * | `channel` | the channel name recorded at declaration (DEC-3) |
 * | `ic_assigned` | the declaration: the declarer is IC until a hand-off (DEC-1) |
 * | `roles_paged` | at levels that require a bridge (default Sev-0..Sev-2, the levels the runbook names): the Scribe and the Communications Lead, and at a level with the executive posture (RUB-5) also the Executive Sponsor, Legal Counsel and PR Principal, each assigned the role or paged (a page request whose target names the role's short name, such as "scribe"); done at the latest of them. Not applicable at other levels ("as needed") |
 * | `severity_set` | the declaration (severity is required, DEC-2) |
 * | `timeline_started` | the declaration is the first timeline entry, T+0 (DEC-3) |
 * | `bridge` | at levels that require a bridge: inc_incident_open_bridge(), or a note that mentions "bridge", "war room", "video call" or "conference call". Not applicable at other levels |
 * | `first_can` | a CAN report by the IC of the moment (any kind), or a top-of-hour report |
 * | `first_external_update` | when customer-facing (#INC_CRIT_CUSTOMER_VISIBLE, or an external update was posted): the first external status update. Else not applicable |
 * | `first_internal_update` | the first internal status update; not applicable at a level whose internal cadence is "as needed" |
 *
 * ## Antipatterns (AUD-2)
 *
 * Each antipattern found is an #inc_finding (the common type of
 * incident/findings.h) with the rule ID below, inc_finding::since the start
 * of the span it held, inc_finding::value its length in milliseconds (so the
 * end is since + value; 0 for an instant), the people involved, and a message
 * that gives the span as T+ offsets. A span still holding is cut at the end
 * of the audit: the resolution, or now (the audit's time) while unresolved.
 *
 * | rule_id | found when | span |
 * |---|---|---|
 * | `AUD-2.ic-also-sme` | the IC of the moment holds Subject Matter Expert (the IC is debugging) | each overlap of an IC term with an SME assignment |
 * | `AUD-2.no-ic` | someone other than the IC worked the incident (a note, CAN report, status update or decision request) before the IC of the moment took command by any recorded act (an assignment, a hand-off, a severity or state change, a decision, a CAN report, an update, a note, a page, a bridge) | first such act by another person -> the IC's first act (or the end) |
 * | `AUD-2.ic-taking-notes` | with no Scribe, the IC of the moment writes notes, at a level where IC + Scribe may not be combined (ROLE-4); or the IC holds the Scribe role there | first such note -> a Scribe assigned (or the end); or the overlap |
 * | `AUD-2.freelancing` | a CAN report with Actions by someone who holds no role at that moment | per person: first such report -> the person given a role, or their last such report |
 * | `AUD-2.handoff-without-briefing` | a confirmed hand-off whose briefing lacks Conditions or Actions, or says Needs "none" while decisions were pending | hand-off started -> confirmed |
 * | `AUD-2.all-clear-too-early` | resolved after less than the monitoring minimum in monitoring (inc_audit_options::min_monitoring_ms, default 15 min); or reopened (monitoring -> mitigating: the fix did not hold) | entering monitoring -> resolved; or -> back to mitigating |
 * | `AUD-2.severity-unjustified` | a severity change by someone who was not the IC, or with a blank justification (AUTH-1, AUTH-2; possible in imported timelines) | the change -> the next severity change (or the end) |
 * | `AUD-2.cadence-missed` | an audience's update came after its cadence ran out (the cadence in force at the previous update or declaration: the rubric's for the severity then, or the IC's) | the time it was due -> the update that came (or the resolution, or now) |
 * | `AUD-2.action-item-no-owner` | an action item whose owner is a team-like name accepted with an override (PM-3: a person, not a team) | added -> given to a person, or done/cancelled (or now) |
 *
 * A drill (DEC-4) is audited like any incident and marked as a drill in the
 * text and the JSON.
 */
#ifndef INCIDENT_AUDIT_H
#define INCIDENT_AUDIT_H

#include "common.h"
#include "findings.h"
#include "incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Record that a bridge (voice/video war room) was opened (AUD-1:
 *        "Open a bridge if needed"). Anyone may.
 * @param inc The incident (not closed).
 * @param actor Who opened it.
 * @param where Where it is: a URL, a dial-in (1..1024 bytes, one line).
 * @param text A note, or NULL.
 * @param[out] seq Receives the event's sequence number (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ETOOBIG, #INC_ESTATE (closed),
 *         #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_open_bridge(inc_incident *inc, const char *actor, const char *where,
                                     const char *text, uint64_t *seq);

/** @brief The first-ten-minutes steps (AUD-1), in the runbook's order. */
typedef enum inc_audit_step_kind {
    INC_AUDIT_DECLARED = 0,         /**< Declare. */
    INC_AUDIT_CHANNEL = 1,          /**< Create the incident channel. */
    INC_AUDIT_IC_ASSIGNED = 2,      /**< Assign IC. */
    INC_AUDIT_ROLES_PAGED = 3,      /**< Page roles. */
    INC_AUDIT_SEVERITY_SET = 4,     /**< Set initial severity. */
    INC_AUDIT_TIMELINE_STARTED = 5, /**< Start the timeline. */
    INC_AUDIT_BRIDGE = 6,           /**< Open a bridge if needed. */
    INC_AUDIT_FIRST_CAN = 7,        /**< First CAN. */
    INC_AUDIT_FIRST_EXTERNAL = 8,   /**< First external update. */
    INC_AUDIT_FIRST_INTERNAL = 9,   /**< First internal update. */
    INC_AUDIT_STEP_COUNT = 10       /**< Number of steps; not a step. */
} inc_audit_step_kind;

/**
 * @brief The stable name of a step: "declared", "channel", "ic_assigned",
 *        "roles_paged", "severity_set", "timeline_started", "bridge",
 *        "first_can", "first_external_update", "first_internal_update".
 * @param step A step.
 * @return A static string, or NULL for a value that is not a step.
 */
INC_API const char *inc_audit_step_name(inc_audit_step_kind step);

/** @brief How a step scored against T+10 min. */
typedef enum inc_audit_result {
    INC_AUDIT_DONE = 0,          /**< Done within the ten minutes. */
    INC_AUDIT_LATE = 1,          /**< Done, after T+10. */
    INC_AUDIT_MISSING = 2,       /**< Not done, and T+10 has passed. */
    INC_AUDIT_PENDING = 3,       /**< Not done yet; T+10 not reached at the audit's time. */
    INC_AUDIT_NOT_APPLICABLE = 4 /**< The step does not apply at the level or incident. */
} inc_audit_result;

/**
 * @brief The stable name of a result: "done", "late", "missing", "pending",
 *        "not_applicable".
 * @param result A result.
 * @return A static string, or NULL for a value that is not a result.
 */
INC_API const char *inc_audit_result_name(inc_audit_result result);

/** @brief One scored step. */
typedef struct inc_audit_step {
    inc_audit_step_kind kind; /**< Which step. */
    const char *name;         /**< Its stable name. */
    const char *title;        /**< Its title, such as "Page roles". */
    inc_audit_result result;  /**< How it scored. */
    inc_time at;              /**< When it was done, or #INC_TIME_NONE. */
    int64_t offset_ms;        /**< @c at minus the declaration (T+x), or 0 when not done. */
    uint64_t seq;             /**< The event that did it, or 0. */
    const char *detail;       /**< One line: what counted, or what is missing. */
} inc_audit_step;

/** @brief Options for inc_incident_audit(). Fill with #INC_AUDIT_OPTIONS_INIT. */
typedef struct inc_audit_options {
    unsigned int version;      /**< #INC_AUDIT_OPTIONS_VERSION */
    inc_time now;              /**< The audit's time; #INC_TIME_NONE for the context's clock. */
    int64_t min_monitoring_ms; /**< AUD-2 all-clear: the shortest monitoring period
                                    before resolution; 0 for 15 minutes. */
} inc_audit_options;

/** @brief The current version of #inc_audit_options. */
#define INC_AUDIT_OPTIONS_VERSION 1
/** @brief Initializer for #inc_audit_options: every default. */
#define INC_AUDIT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        INC_AUDIT_OPTIONS_VERSION, INC_TIME_NONE, 0                                                \
    }

/** @brief An audit of one incident (opaque). */
typedef struct inc_audit inc_audit;

/**
 * @brief Audit the response of an incident (AUD-1, AUD-2) from its timeline.
 * @param inc The incident.
 * @param opts Options, or NULL for the defaults.
 * @param[out] out Receives the audit; free it with inc_audit_free(). It does
 *        not refer to @p inc afterwards.
 * @return #INC_OK, #INC_EINVAL (NULL arguments, a negative minimum),
 *         #INC_EVERSION, #INC_ENOMEM.
 */
INC_API int inc_incident_audit(inc_incident *inc, const inc_audit_options *opts, inc_audit **out);

/**
 * @brief The number of steps.
 * @param audit The audit (NULL gives 0).
 * @return #INC_AUDIT_STEP_COUNT.
 */
INC_API size_t inc_audit_step_count(const inc_audit *audit);

/**
 * @brief One step, in the runbook's order (index = #inc_audit_step_kind).
 * @param audit The audit.
 * @param index 0-based, below inc_audit_step_count().
 * @return The step (owned by @p audit), or NULL if out of range.
 */
INC_API const inc_audit_step *inc_audit_step_at(const inc_audit *audit, size_t index);

/**
 * @brief The antipatterns found (AUD-2), in order of their start.
 * @param audit The audit.
 * @return The list (owned by @p audit; do not free it), or NULL for NULL.
 */
INC_API const inc_findings *inc_audit_antipatterns(const inc_audit *audit);

/** @brief Counts of an audit, as inc_audit_get_summary() gives them. */
typedef struct inc_audit_summary {
    size_t done;           /**< Steps done within ten minutes. */
    size_t late;           /**< Steps done late. */
    size_t missing;        /**< Steps missing. */
    size_t pending;        /**< Steps pending. */
    size_t not_applicable; /**< Steps that do not apply. */
    size_t antipatterns;   /**< Antipatterns found. */
    int drill;             /**< 1 when the incident is a drill (DEC-4). */
} inc_audit_summary;

/**
 * @brief The counts of an audit.
 * @param audit The audit.
 * @param[out] out Receives the counts.
 * @return #INC_OK, #INC_EINVAL for NULL arguments.
 */
INC_API int inc_audit_get_summary(const inc_audit *audit, inc_audit_summary *out);

/**
 * @brief Render the audit as text: a header (incident, level, [DRILL]), one
 *        line per step ("done at T+3m00s", "LATE at T+12m00s", "MISSING"),
 *        then one line per antipattern with its span.
 * @param audit The audit.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_audit_render_text(const inc_audit *audit, char **out, size_t *len);

/**
 * @brief Render the audit as JSON: `incident_id`, `title`, `severity`,
 *        `drill`, `declared_at`, `audited_at`, `summary` (the counts),
 *        `steps` (each with `step`, `title`, `result`, `at`, `offset_ms`,
 *        `seq`, `detail`) and `antipatterns` (each with `rule_id`, `start`,
 *        `end`, `start_offset_ms`, `duration_ms`, `people`, `message`).
 *        Field by field in lib/docs/postmortem.md.
 * @param audit The audit.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_audit_render_json(const inc_audit *audit, char **out, size_t *len);

/**
 * @brief Free an audit.
 * @param audit The audit, or NULL (then nothing happens).
 */
INC_API void inc_audit_free(inc_audit *audit);

#ifdef __cplusplus
}
#endif

#endif
