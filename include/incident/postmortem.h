/**
 * @file incident/postmortem.h
 * @brief After the incident: the postmortem (PM-1, PM-2), its blameless lint
 *        (PM-4) and its action items (PM-3), per incident and across a store.
 *
 * ## The postmortem (PM-1)
 *
 * A postmortem is rendered from the timeline of record
 * (inc_incident_render_postmortem()): title, status, summary, severity and its changes
 * with their justifications, duration, the roles and who held them when,
 * impact, the timeline table in UTC, detection (how, and the time to detect
 * computed from the declaration), root cause and contributing factors, what
 * went well, what went poorly, action items and lessons learned. The parts
 * the timeline cannot know are the **narrative sections**
 * (#inc_pm_section), supplied by the team with inc_incident_set_postmortem_section();
 * each supply is an event, a later one replaces the text shown (the earlier
 * stays on the timeline, LIFE-3), and a section not yet supplied is rendered
 * as clearly marked missing. The **root-cause tag**
 * (inc_incident_set_root_cause_tag()) is a short label such as
 * `config-change` that the recurrence metric groups by (MET-1).
 *
 * **Status** moves Draft -> In Review -> Final (In Review may go back to
 * Draft). In Review and Final need the incident to be resolved. Final needs
 * every narrative section and the root-cause tag, is set by the Incident
 * Commander only (it closes the incident, AUTH-1), and is final: the event
 * that records it also moves the incident from resolved to closed (LIFE-1),
 * so no separate close is needed. A drill (DEC-4) is marked in the title.
 *
 * ## When it is due (PM-2)
 *
 * The incident's current level (normally the one it was resolved at)
 * gives the window from the rubric: #INC_DUR_POSTMORTEM after resolution
 * (default: Sev-0 and Sev-1 48 h, Sev-2 1 week, Sev-3 2 weeks, Sev-4
 * none), and #INC_FLAG_POSTMORTEM says whether one is required (default:
 * Sev-0..Sev-2). An optional
 * postmortem (Sev-3) is due within its window once someone starts it. Until
 * it is Final a due item of kind #INC_DUE_POSTMORTEM (incident/due.h) comes
 * due at the end of the window, to the IC; a level that requires a
 * postmortem cannot be closed without a Final one.
 *
 * ## Blameless lint (PM-4)
 *
 * Every narrative section is linted when it is supplied (the finding IDs are
 * recorded with it; findings never block) and on demand
 * (inc_postmortem_lint(), inc_incident_lint_postmortem()). The findings have
 * the shape of the CAN lint (incident/can.h): rule ID `PM-4.blame`,
 * inc_finding::slot the #inc_pm_section (0 for inc_postmortem_lint()),
 * inc_finding::offset and inc_finding::length the offending words as bytes
 * of that text. The text is read sentence by sentence (the reader of the
 * external-update lint, incident/comms.h): case-insensitive, a line break
 * inside a sentence is white space, a curly apostrophe is a straight one.
 * Blame wording names a person's failing instead of asking what about the
 * system made the action reasonable:
 *
 * | group | wording |
 * |---|---|
 * | error attributed to people | "human error", "operator error", "user error", "pilot error" |
 * | fault | "X's fault", "his / her / their / your / my / our fault"; "the fault of" and "at fault" when a person is named |
 * | mistake of a person | "X's mistake", "his / her / their mistake", "rookie mistake" |
 * | blame | "blame", "blamed", "blaming" (not "blameless") |
 * | carelessness | "careless", "negligent", "negligence", "reckless", "sloppy", "lazy" (not "lazy loading / initialization / evaluation"), "irresponsible", "incompetent", "stupid", "botched", "inexperienced" |
 * | lapses | "didn't bother", "not paying attention", "dropped the ball", "screwed up", "messed up", "fat-fingered" |
 * | a person's lapse | "forgot", "neglected", "ignored", "failed to", "should have ...", "should've", "ought to have ..." with a person as the subject: a name, a pronoun, or a word for a person ("engineer", "operator", "on-call", "DBA", "author", ...) within the seven words before |
 *
 * Not blame: the same verbs with a system as the subject ("the health
 * check failed to detect", "the alert should have fired", "the deploy job
 * forgot to release the lock"), a neutral account ("the engineer followed
 * the runbook"), and an attribution that is negated or rejected within
 * five words ("this was not human error", "rather than blaming", "no
 * single person is to blame").
 *
 * ## Action items (PM-3)
 *
 * An item has exactly one owner, a person: a name that looks like a team or
 * several people (inc_action_owner_is_team()) is refused unless an override
 * reason is given, which is recorded with the item. It has an absolute due
 * date (after the time it is added), a priority P1..P4 and a status open /
 * done / cancelled. Moving the due date records the reason. An item of an
 * incident whose level has the rubric's tightest postmortem window (48 h in
 * the default rubric: Sev-0 and Sev-1; SEV1 in the 002 preset) cannot be
 * cancelled without a recorded IC decision (AUTH-1): either an approved
 * decision of the incident (inc_incident_decide(), incident/can.h), or the
 * current IC cancelling it, which the cancellation records as the IC's
 * decision. Items can be added and changed after the incident is closed
 * (the follow-through comes after the postmortem). An open item past its due
 * date is a due item of kind #INC_DUE_ACTION_ITEM to its owner.
 *
 * Across a store, inc_action_list_query() lists the items of every incident by
 * owner, status and overdue (the weekly review the 001 seed asks for), and
 * inc_action_list_export_json() writes them as JSON an issue tracker can take
 * in (lib/docs/postmortem.md).
 */
#ifndef INCIDENT_POSTMORTEM_H
#define INCIDENT_POSTMORTEM_H

#include "common.h"
#include "context.h"
#include "findings.h"
#include "incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The narrative sections of a postmortem (PM-1). The numbers are stored. */
typedef enum inc_pm_section {
    INC_PM_SUMMARY = 0,      /**< What happened, when, impact, how long, what was done. */
    INC_PM_IMPACT = 1,       /**< Customer, internal, revenue, regulatory impact. */
    INC_PM_DETECTION = 2,    /**< How it was detected (the time to detect is computed). */
    INC_PM_ROOT_CAUSE = 3,   /**< The chain of causation. */
    INC_PM_CONTRIBUTING = 4, /**< Contributing factors. */
    INC_PM_WENT_WELL = 5,    /**< What went well. */
    INC_PM_WENT_POORLY = 6,  /**< What went poorly. */
    INC_PM_LESSONS = 7,      /**< Lessons learned. */
    INC_PM_SECTION_COUNT = 8 /**< Number of sections; not a section. */
} inc_pm_section;

/**
 * @brief The stable name of a section: "summary", "impact", "detection",
 *        "root_cause", "contributing_factors", "went_well", "went_poorly",
 *        "lessons_learned".
 * @param section A section.
 * @return A static string, or NULL for a value that is not a section.
 */
INC_API const char *inc_pm_section_name(inc_pm_section section);

/**
 * @brief The heading of a section: "Summary", "Impact", "Detection", "Root
 *        cause", "Contributing factors", "What went well", "What went
 *        poorly", "Lessons learned".
 * @param section A section.
 * @return A static string, or NULL for a value that is not a section.
 */
INC_API const char *inc_pm_section_title(inc_pm_section section);

/**
 * @brief Look a section up by its stable name (case-insensitive).
 * @param name A name as inc_pm_section_name() returns.
 * @param[out] out Receives the section.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_pm_section_from_name(const char *name, inc_pm_section *out);

/** @brief Where a postmortem stands (PM-1). The numbers are stored. */
typedef enum inc_pm_status {
    INC_PM_DRAFT = 0,     /**< Being written (also before anything is supplied). */
    INC_PM_IN_REVIEW = 1, /**< Written; under review. */
    INC_PM_FINAL = 2      /**< Final: the incident is closed. */
} inc_pm_status;

/**
 * @brief The name of a status as the document shows it: "Draft", "In
 *        Review", "Final".
 * @param status A status.
 * @return A static string, or NULL for a value that is not a status.
 */
INC_API const char *inc_pm_status_name(inc_pm_status status);

/**
 * @brief Supply (or replace) a narrative section (PM-1) and lint it (PM-4).
 *        Anyone may write; the author is recorded. Lint findings never block.
 * @param inc The incident (not closed; its postmortem not Final).
 * @param actor Who writes.
 * @param section Which section.
 * @param text The text (1..#INC_TEXT_MAX bytes of UTF-8, not blank).
 * @param[out] findings Receives the PM-4 findings (possibly none; slot =
 *        @p section); free with inc_findings_free(). May be NULL. Set to NULL
 *        on failure.
 * @param[out] seq Receives the event's sequence number (may be NULL).
 * @return #INC_OK; #INC_EINVAL (NULL arguments, bad section, blank or bad
 *         text); #INC_ETOOBIG; #INC_ESTATE (closed, or the postmortem is
 *         Final); #INC_ECONFLICT; #INC_ENOMEM; or a store error. On failure
 *         nothing is recorded.
 */
INC_API int inc_incident_set_postmortem_section(inc_incident *inc, const char *actor,
                                                inc_pm_section section, const char *text,
                                                inc_findings **findings, uint64_t *seq);

/**
 * @brief The current text of a narrative section.
 * @param inc The incident.
 * @param section The section.
 * @return The text (owned by @p inc, valid until inc_incident_reload() or
 *         inc_incident_free()), or NULL while the section is missing (or for
 *         bad arguments).
 */
INC_API const char *inc_incident_postmortem_section(const inc_incident *inc,
                                                    inc_pm_section section);

/** @brief Longest root-cause tag, in bytes. */
#define INC_PM_TAG_MAX 64

/**
 * @brief Set the root-cause tag (MET-1 recurrence groups incidents by it).
 * @param inc The incident (not closed; its postmortem not Final).
 * @param actor Who sets it.
 * @param tag 1..#INC_PM_TAG_MAX bytes of lower-case ASCII letters, digits,
 *        '-', '_', '.' and '/', starting with a letter or digit (for example
 *        "config-change", "db/connection-pool").
 * @return #INC_OK, #INC_EINVAL (bad tag, the message says why), #INC_ESTATE
 *         (closed or Final), #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_set_root_cause_tag(inc_incident *inc, const char *actor, const char *tag);

/**
 * @brief Move the postmortem's status (PM-1): Draft -> In Review -> Final,
 *        or In Review -> Draft. In Review and Final need the incident
 *        resolved. Final needs every section and the root-cause tag, only the
 *        current IC may set it (AUTH-1), and its event closes the incident
 *        (LIFE-1).
 * @param inc The incident.
 * @param actor Who moves it.
 * @param status The new status.
 * @param note A note (the reviewers, say), or NULL.
 * @return #INC_OK; #INC_EINVAL (bad status, unchanged status, bad note, Final
 *         with sections or the tag missing: the message names them);
 *         #INC_EPERM (Final by someone other than the IC; the message names
 *         the IC); #INC_ESTATE (not resolved, closed, a move not in the
 *         order); #INC_ECONFLICT; #INC_ENOMEM; or a store error.
 */
INC_API int inc_incident_set_postmortem_status(inc_incident *inc, const char *actor,
                                               inc_pm_status status, const char *note);

/** @brief Where an incident's postmortem stands, as inc_incident_get_postmortem() gives it. */
typedef struct inc_postmortem_info {
    inc_pm_status status;       /**< Draft, In Review or Final. */
    int required;               /**< 1 when the incident's level requires one (PM-2). */
    int started;                /**< 1 once a section, the tag or a status was recorded. */
    int64_t window_ms;          /**< The level's window after resolution, or
                                     #INC_DURATION_NONE. */
    inc_time due;               /**< When it is due (resolution + window) when required
                                     or started, else #INC_TIME_NONE; also NONE before
                                     resolution. */
    int overdue;                /**< 1 when not Final and now (context's clock) is past @c due. */
    int64_t late_ms;            /**< How late when overdue, else 0. */
    unsigned missing;           /**< Bit (1u << section) for each section still missing. */
    const char *root_cause_tag; /**< The tag (owned by the incident), or NULL. */
    inc_time status_at;         /**< When the status last changed, or #INC_TIME_NONE. */
    inc_time final_at;          /**< When it became Final, or #INC_TIME_NONE. */
} inc_postmortem_info;

/**
 * @brief Where the incident's postmortem stands now (PM-1, PM-2).
 * @param inc The incident.
 * @param[out] out Receives the state; its strings are owned by @p inc.
 * @return #INC_OK, #INC_EINVAL for NULL arguments.
 */
INC_API int inc_incident_get_postmortem(const inc_incident *inc, inc_postmortem_info *out);

/**
 * @brief Lint a text for blame wording (PM-4; the phrases are in the file
 *        description). No incident is needed.
 * @param text The text (UTF-8, at most #INC_TEXT_MAX bytes).
 * @param alloc Allocator for the list (copied), or NULL for the C library's.
 * @param[out] out Receives the findings (slot 0), possibly none; free with
 *        inc_findings_free().
 * @return #INC_OK, #INC_EINVAL (NULL arguments, not UTF-8), #INC_ETOOBIG, #INC_ENOMEM.
 */
INC_API int inc_postmortem_lint(const char *text, const inc_allocator *alloc, inc_findings **out);

/**
 * @brief Lint every supplied narrative section of the incident's postmortem
 *        (PM-4); each finding's slot is its #inc_pm_section.
 * @param inc The incident.
 * @param[out] out Receives the findings, possibly none; free with inc_findings_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_incident_lint_postmortem(const inc_incident *inc, inc_findings **out);

/** @brief Output formats of inc_incident_render_postmortem(). */
typedef enum inc_pm_format {
    INC_PM_MARKDOWN = 0, /**< CommonMark with GitHub-style pipe tables. */
    INC_PM_TEXT = 1      /**< Plain text. */
} inc_pm_format;

/**
 * @brief Render the postmortem from the timeline (PM-1).
 *
 * The Markdown is CommonMark: headings, paragraphs, lists and pipe tables
 * (each with a header row and a delimiter row of the same number of
 * columns). Every text that comes from the timeline or the team is escaped
 * so it renders as written and cannot change the document's structure: in a
 * table cell '|' is written as "\|" and line breaks become spaces; lines of
 * a narrative section that start with "- ", "* " or "1. " stay list items.
 * The structure and the escaping are documented in lib/docs/postmortem.md.
 * @param inc The incident.
 * @param format #INC_PM_MARKDOWN or #INC_PM_TEXT.
 * @param[out] out Receives the NUL-terminated document; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad format), #INC_ENOMEM.
 */
INC_API int inc_incident_render_postmortem(const inc_incident *inc, inc_pm_format format,
                                           char **out, size_t *len);

/* ---- action items (PM-3) ------------------------------------------------ */

/** @brief The status of an action item. The numbers are stored. */
typedef enum inc_action_status {
    INC_ACTION_OPEN = 0,     /**< To do. */
    INC_ACTION_DONE = 1,     /**< Done. */
    INC_ACTION_CANCELLED = 2 /**< Cancelled (Sev-0/Sev-1: only with an IC decision). */
} inc_action_status;

/**
 * @brief The stable name of an action status: "open", "done", "cancelled".
 * @param status A status.
 * @return A static string, or NULL for a value that is not a status.
 */
INC_API const char *inc_action_status_name(inc_action_status status);

/**
 * @brief Look an action status up by name (case-insensitive).
 * @param name A name as inc_action_status_name() returns.
 * @param[out] out Receives the status.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_action_status_from_name(const char *name, inc_action_status *out);

/** @brief The most urgent priority, shown "P1". */
#define INC_ACTION_P1 1
/** @brief The least urgent priority, shown "P4". */
#define INC_ACTION_P4 4

/** @brief A new action item. Fill with #INC_ACTION_OPTIONS_INIT or inc_action_options_init(). */
typedef struct inc_action_options {
    unsigned int version;       /**< #INC_ACTION_OPTIONS_VERSION */
    const char *title;          /**< Required: what to do (1..#INC_TITLE_MAX bytes, one line). */
    const char *owner;          /**< Required: one person (1..#INC_NAME_MAX bytes, one line). */
    inc_time due;               /**< Required: the absolute due date, after now. */
    int priority;               /**< Required: #INC_ACTION_P1 .. #INC_ACTION_P4. */
    const char *owner_override; /**< Why a team-like owner is accepted (see
                                     inc_action_owner_is_team()), or NULL. */
    const char *detail;         /**< More text, or NULL (at most #INC_TEXT_MAX bytes). */
} inc_action_options;

/** @brief The current version of #inc_action_options. */
#define INC_ACTION_OPTIONS_VERSION 1
/** @brief Initializer for #inc_action_options (every required field unset). */
#define INC_ACTION_OPTIONS_INIT                                                                    \
    {                                                                                              \
        INC_ACTION_OPTIONS_VERSION, NULL, NULL, INC_TIME_NONE, 0, NULL, NULL                       \
    }

/**
 * @brief Fill @p opts with the defaults of #inc_action_options version @p version (what
 *        #INC_ACTION_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_ACTION_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_action_options_init(inc_action_options *opts, unsigned int version);

/**
 * @brief Whether an owner name looks like a team or several people rather
 *        than one person (PM-3: "Not a team. A person.").
 *
 * It does when it contains '#' or starts with '@' (a channel or a group
 * mention), contains ',', '&', '/', '+' or ';', or one of its words
 * (letters and digits split at anything else, compared case-insensitively)
 * is one of: "team", "teams", "squad", "eng", "engineering", "ops",
 * "devops", "sre", "oncall" (and the two words "on call"), "rotation",
 * "all", "everyone", "everybody", "anyone", "someone", "nobody", "group",
 * "dept", "department", "staff", "crew", "org", "and", "tbd", "unassigned".
 * @param owner The name (may be NULL).
 * @return 1 if it looks like a team or several people, 0 otherwise (NULL is 0).
 */
INC_API int inc_action_owner_is_team(const char *owner);

/**
 * @brief Add an action item (PM-3). Anyone may.
 * @param inc The incident (closed incidents accept items too).
 * @param actor Who adds it.
 * @param opts The item.
 * @param[out] id Receives the item's id (1, 2, ... per incident); may be NULL.
 * @return #INC_OK; #INC_EINVAL (a field missing or bad, a due date not after
 *         now, a priority out of range, a team-like owner without an
 *         override; the message names the field and the rule); #INC_ETOOBIG;
 *         #INC_EVERSION; #INC_ECONFLICT; #INC_ENOMEM; or a store error.
 */
INC_API int inc_incident_add_action(inc_incident *inc, const char *actor,
                                    const inc_action_options *opts, uint64_t *id);

/**
 * @brief Change an item's status (open, done, cancelled; a done or cancelled
 *        item may be reopened). Cancelling an item of a Sev-0/Sev-1 level
 *        (see the file description) needs a recorded IC decision: either
 *        @p decision names an approved decision of the incident, or @p actor
 *        is the current IC.
 * @param inc The incident.
 * @param actor Who changes it.
 * @param id The item's id.
 * @param status The new status.
 * @param reason Why (required to cancel or reopen; else may be NULL).
 * @param decision An approved decision's id, or 0.
 * @return #INC_OK; #INC_EINVAL (bad or unchanged status, a reason missing, a
 *         decision that is not approved); #INC_ENOTFOUND (no such item or
 *         decision); #INC_EPERM (a Sev-0/Sev-1 cancellation without an IC
 *         decision; the message names the IC); #INC_ECONFLICT; #INC_ENOMEM;
 *         or a store error.
 */
INC_API int inc_incident_set_action_status(inc_incident *inc, const char *actor, uint64_t id,
                                           inc_action_status status, const char *reason,
                                           uint64_t decision);

/**
 * @brief Move an open item's due date; the reason is recorded (PM-3).
 * @param inc The incident.
 * @param actor Who moves it.
 * @param id The item's id.
 * @param due The new absolute due date (after now).
 * @param reason Why (required, 1..#INC_TEXT_MAX bytes).
 * @return #INC_OK, #INC_EINVAL (no reason, a date not after now, unchanged),
 *         #INC_ENOTFOUND, #INC_ESTATE (the item is not open), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_move_action_due(inc_incident *inc, const char *actor, uint64_t id,
                                         inc_time due, const char *reason);

/**
 * @brief Give an item to another owner (a person; a team-like name needs
 *        an override reason, as for inc_incident_add_action()).
 * @param inc The incident.
 * @param actor Who reassigns.
 * @param id The item's id.
 * @param owner The new owner.
 * @param owner_override Why a team-like owner is accepted, or NULL.
 * @return #INC_OK, #INC_EINVAL (bad or unchanged owner, a team without an
 *         override), #INC_ENOTFOUND, #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_reassign_action(inc_incident *inc, const char *actor, uint64_t id,
                                         const char *owner, const char *owner_override);

/**
 * @brief Change an item's priority.
 * @param inc The incident.
 * @param actor Who changes it.
 * @param id The item's id.
 * @param priority #INC_ACTION_P1 .. #INC_ACTION_P4.
 * @return #INC_OK, #INC_EINVAL (out of range or unchanged), #INC_ENOTFOUND,
 *         #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_set_action_priority(inc_incident *inc, const char *actor, uint64_t id,
                                             int priority);

/** @brief An action item, as inc_incident_action() gives it. */
typedef struct inc_action_item {
    uint64_t id;                /**< 1, 2, ... per incident. */
    const char *title;          /**< What to do. */
    const char *detail;         /**< More text ("" if none). */
    const char *owner;          /**< The owner. */
    const char *owner_override; /**< The override reason a team-like owner was accepted
                                     with, or NULL. */
    int priority;               /**< 1..4 (P1..P4). */
    inc_action_status status;   /**< Open, done or cancelled. */
    inc_time due;               /**< The due date in force. */
    inc_time original_due;      /**< The due date it was added with. */
    unsigned due_moves;         /**< How many times the due date moved. */
    const char *due_reason;     /**< The reason of the last move, or NULL. */
    inc_time created_at;        /**< When it was added. */
    const char *created_by;     /**< Who added it. */
    inc_time closed_at;         /**< When it was last done or cancelled, or
                                     #INC_TIME_NONE while open. */
    const char *closed_by;      /**< Who did that, or NULL. */
    const char *reason;         /**< The reason of the last status change, or NULL. */
    uint64_t decision;          /**< For a cancellation: the approved decision's id, or 0. */
    int ic_decision;            /**< For a cancellation: 1 when the IC cancelled it (the
                                     cancellation is the recorded IC decision). */
    uint64_t seq;               /**< The `action_added` event. */
} inc_action_item;

/**
 * @brief The number of action items of the incident.
 * @param inc The incident (NULL gives 0).
 * @return The count; ids run from 1 to it.
 */
INC_API size_t inc_incident_action_count(const inc_incident *inc);

/**
 * @brief One action item.
 * @param inc The incident.
 * @param index 0-based (id = index + 1), below inc_incident_action_count().
 * @return The item (owned by @p inc, valid until its next write or reload),
 *         or NULL if out of range.
 */
INC_API const inc_action_item *inc_incident_action(const inc_incident *inc, size_t index);

/**
 * @brief Whether an item is overdue at @p now: open and past its due date.
 * @param item The item (may be NULL).
 * @param now The time to judge at.
 * @return 1 or 0 (0 for NULL).
 */
INC_API int inc_action_is_overdue(const inc_action_item *item, inc_time now);

/* ---- across a store ------------------------------------------------------- */

/** @brief Which items inc_action_list_query() gives. Fill with #INC_ACTION_QUERY_INIT or
 * inc_action_query_init(). */
typedef struct inc_action_query {
    unsigned int version; /**< #INC_ACTION_QUERY_VERSION */
    const char *owner;    /**< Only this owner (exact, case-insensitive), or NULL for all. */
    int status;           /**< Only this #inc_action_status, or -1 for all. */
    int overdue_only;     /**< Non-zero: only open items past their due date. */
    inc_time now;         /**< The time overdue is judged at; #INC_TIME_NONE for the
                               context's clock. */
    int exclude_drills;   /**< Non-zero: leave out items of drills (they are included,
                               and marked, by default: DEC-4). */
} inc_action_query;

/** @brief The current version of #inc_action_query. */
#define INC_ACTION_QUERY_VERSION 1
/** @brief Initializer for #inc_action_query: every item of every incident. */
#define INC_ACTION_QUERY_INIT                                                                      \
    {                                                                                              \
        INC_ACTION_QUERY_VERSION, NULL, -1, 0, INC_TIME_NONE, 0                                    \
    }

/**
 * @brief Fill @p query with the defaults of #inc_action_query version @p version (what
 *        #INC_ACTION_QUERY_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] query The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_ACTION_QUERY_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p query is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_action_query_init(inc_action_query *query, unsigned int version);

/** @brief One item of a store-wide list. */
typedef struct inc_action_entry {
    const char *incident_id;    /**< The incident. */
    const char *incident_title; /**< Its title. */
    const char *severity;       /**< Its severity. */
    int drill;                  /**< 1 when the incident is a drill (DEC-4). */
    int overdue;                /**< 1 when open and past due at the query's time. */
    int64_t late_ms;            /**< How far past due, when overdue; else 0. */
    inc_action_item item;       /**< The item. */
} inc_action_entry;

/** @brief A store-wide list of action items (opaque). */
typedef struct inc_action_list inc_action_list;

/**
 * @brief List the action items of every incident in the context's store
 *        that match @p query, ordered by due date, then incident id, then
 *        item id. The store is read once, incident by incident, without
 *        opening incident handles (linear in the number of incidents); over
 *        a journal, unchanged incidents come from its `SUMMARY` file, as for
 *        inc_metrics_compute().
 * @param ctx The context.
 * @param query The query, or NULL for every item.
 * @param[out] out Receives the list (possibly empty); free it with inc_action_list_free().
 * @return #INC_OK, #INC_EINVAL, #INC_EVERSION, #INC_ENOMEM, or a store error
 *         (#INC_ECORRUPT, #INC_EIO); the message is on @p ctx.
 */
INC_API int inc_action_list_query(inc_context *ctx, const inc_action_query *query,
                                  inc_action_list **out);

/**
 * @brief The number of entries of a list.
 * @param list The list (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_action_list_count(const inc_action_list *list);

/**
 * @brief One entry of a list.
 * @param list The list.
 * @param index 0-based, below inc_action_list_count().
 * @return The entry (owned by @p list), or NULL if out of range.
 */
INC_API const inc_action_entry *inc_action_list_at(const inc_action_list *list, size_t index);

/**
 * @brief Render a list as text for the weekly review: one line per item with
 *        its due date, status (OVERDUE with how late), priority, owner,
 *        incident (marked [DRILL] for drills) and title.
 * @param list The list.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_action_list_render(const inc_action_list *list, char **out, size_t *len);

/**
 * @brief Export a list as JSON an issue tracker can take in: an array with
 *        one object per item with `external_id` ("<incident>#A<id>", stable,
 *        for de-duplication), `title`, `description` (the detail, the
 *        incident and the link), `owner`, `due_date` ("YYYY-MM-DD", UTC),
 *        `due` (ISO 8601), `priority` ("P1".."P4"), `status`, `overdue`,
 *        `labels` (["incident-action", "severity:<level>", "drill" for
 *        drills]), `incident_id`, `incident_title`, `severity`, `drill` and
 *        `link` (@p link_prefix followed by the incident id). Field by field
 *        in lib/docs/postmortem.md.
 * @param list The list.
 * @param link_prefix What the incident id is appended to for the link back
 *        (such as "https://incidents.example.com/i/"), or NULL for the id alone.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, a prefix that is not UTF-8 or
 *         longer than 1024 bytes), #INC_ENOMEM.
 */
INC_API int inc_action_list_export_json(const inc_action_list *list, const char *link_prefix,
                                        char **out, size_t *len);

/**
 * @brief Free a list.
 * @param list The list, or NULL (then nothing happens).
 */
INC_API void inc_action_list_free(inc_action_list *list);

#ifdef __cplusplus
}
#endif

#endif
