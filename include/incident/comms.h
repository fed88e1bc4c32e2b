/**
 * @file incident/comms.h
 * @brief Communication on a cadence (COMM-1..COMM-4): status updates to the
 *        three audiences, who writes them, the external-update lint, the
 *        templates, the cadences and the required communications, and the
 *        Atlassian Statuspage wire format.
 *
 * ## Audiences and writers (COMM-1, COMM-3)
 *
 * | audience | written by | default cadence (rubric) |
 * |---|---|---|
 * | external (customers, status page) | Communications Lead | `cadence.external` |
 * | internal (executives, support, adjacent teams) | Internal Liaison | `cadence.internal` |
 * | response channel (the responders) | Incident Commander | `cadence.response` |
 *
 * The writer is checked against the roles the author holds when the update
 * is recorded. At a level where the rubric allows one person to hold both
 * Communications Lead and Internal Liaison (ROLE-6: Sev-2..Sev-4 in the
 * default rubric), the holder of either role writes both audiences. A wrong
 * writer is refused with #INC_EROLE under the strict policy, and recorded
 * with a `COMM-1.wrong-writer` finding under the advisory policy (ROLE-11).
 * The Scribe has no audience and no cadence (COMM-2): the Scribe writes the
 * timeline continuously instead.
 *
 * ## External-update lint (COMM-3)
 *
 * inc_update_lint() runs on text alone; inc_incident_add_update() runs it on
 * every external update and records the finding IDs with it. Lint findings
 * never block recording. Each finding's inc_finding::slot is 0 (the body),
 * and inc_finding::offset / inc_finding::length give the offending words in
 * bytes (0, 0 for something missing). The body is read sentence by
 * sentence: sentences end at '.', '!' or '?' before white space, at a line
 * break unless the next line is indented or starts in lower case, and
 * after 96 words; clauses end at ',', ';', ':', dashes, brackets and
 * bullets; quoted text is what users see. Words are matched
 * case-insensitively with their inflections ("fail" finds "failing"). The
 * words of each class are listed in lib/docs/lint-config.md, and a team
 * adds its own there.
 *
 * | rule_id | when | example that triggers it |
 * |---|---|---|
 * | `COMM-3.vague` | before resolution: the trouble is named only in general words ("issue", "problem", "difficulties", "trouble", "disruption", "glitch", "something went wrong", "not working as expected", "unexpected behavior", "an incident affecting X"; not "any further issues") and no sentence gives a symptom (failing, errors, slow, latency, delayed, unavailable, down, timeouts, cannot, unable, degraded, missing, stuck, a negated verb such as "not loading", a quoted message, "issues accessing X", a named thing that recovered); the span is the vague phrase ("experiencing some issues") | "We are currently investigating this issue." |
 * | `COMM-3.no-scope` | nothing affected is named: none of the listed components, no capitalised name inside a sentence ("Actions", "Frankfurt"), no acronym ("EU", "API") or identifier ("us-east-1", "Pod 17", "NA112"), no feature noun (login, checkout, API, webhooks, ...), no "all users/customers", no content word in a clause about the trouble ("unable to join meetings"), and no subject of a clause that fails or recovers naming a thing ("Hosted pages are slow", "Solana withdrawals have resumed"); "some users", "our services", "all systems", "error rates" name nothing | "We are investigating elevated error rates. Next update at 15:00 UTC." |
 * | `COMM-3.no-next-update` | before resolution, no sentence has a word of communication (update, post, provide, share, ...), a future marker (next, another, again, will, 'll, within, in, every, expect) and a time: a clock time in any common format ("15:00", "3 pm", "1430Z", "15h30", "6:15pm"), a delay ("30 minutes", "20m", "an hour", "the hour") or a day ("Tuesday", "tomorrow") | "We will provide updates as they become available." |
 * | `COMM-3.premature-promise` | before resolution, outside a condition ("once", "when", "until", "if", "after", "as soon as" up to the end of the clause): a modal ("will", "should", "'ll", "going to") followed within five words by an outcome (resolved, fixed, restored, back, normal, recovered, available, complete, working again, caught up, ...) or by "take" and a time, or (the team not its subject, no next update spoken of) by a time or "soon" ("the fix should be live in 10 minutes"); an estimate ("we expect", "we estimate", "anticipate", "ETA", "is expected") followed by an outcome or a time (not "we do not have an ETA", not "expect an update"); an outcome followed by "soon" or "shortly"; "any minute"; the trouble declared over ("is resolved", "has been fixed", "all clear") | "We estimate another hour before exports are available again." |
 * | `COMM-3.speculation` | a hedge ("we believe", "we think", "suspect", "probably", "likely", "possibly", "appears to", "seems", "looks like", "could/might/may be") in a sentence that states a cause ("caused by", "due to", "related to", "linked to", "tied to", "because", "responsible", "is behind", "points to", "result of", "X is the cause", "the cause appears to be X") or an explanation ("could be a problem with ...", "were likely a bad deploy", "probably from DNS", "we suspect a bad deploy", "a configuration change is to blame"); or a verb of evidence naming a suspect ("logs suggest a bad deploy", "early signs point to a DNS problem"); a finding at the hedge and one at the cause words. Not: a hedge about scope, impact ("might be charged twice") or recovery, "investigating the root cause", "we have found the cause", "what's causing this", a confirmed cause | "This might be caused by an upstream DNS provider." |
 *
 * Writer findings (from inc_incident_add_update() and inc_incident_add_can()):
 *
 * | rule_id | when | example |
 * |---|---|---|
 * | `COMM-1.wrong-writer` | the author does not hold the audience's writing role | the IC posting an external update |
 *
 * Cadence findings (from inc_incident_check_comms()):
 *
 * | rule_id | when | example |
 * |---|---|---|
 * | `COMM-2.overdue` | an audience's next update is past due (value = ms late, since = when it was due) | no external update 45 min after declaration at a 30 min cadence |
 * | `COMM-4.missing` | a communication the severity requires was not sent by its deadline (value = ms late) | a Sev-1 with no executive notification |
 *
 * When the external and internal updates are both overdue at once, the role
 * check (inc__roles_check in the library, ROLE-6) reports a person holding
 * both Communications Lead and Internal Liaison for a split.
 *
 * ## Cadences (COMM-1, COMM-2)
 *
 * An audience's cadence is the rubric's for the incident's current
 * severity, unless the IC set one (AUTH-1, inc_incident_set_cadence(), recorded); an
 * IC's cadence stays until the IC changes it or sets it back to the
 * rubric's. The next update is due one cadence after the last update to
 * that audience (after the declaration before the first one); a heartbeat is
 * due even when nothing changed, and one past due is overdue by the
 * difference. A cadence of #INC_DURATION_NONE ("as needed") has no due
 * time, and nothing is due once the incident is resolved. For the response
 * channel, the IC's top-of-hour CAN report counts as an update.
 */
#ifndef INCIDENT_COMMS_H
#define INCIDENT_COMMS_H

#include "common.h"
#include "findings.h"
#include "incident.h"
#include "roles.h"
#include "rubric.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The three audiences (COMM-1). The numbers are stored. */
typedef enum inc_audience {
    INC_AUDIENCE_EXTERNAL = 0, /**< Customers: the status page, customer email. */
    INC_AUDIENCE_INTERNAL = 1, /**< Executives, support and adjacent teams. */
    INC_AUDIENCE_RESPONSE = 2, /**< The response channel itself. */
    INC_AUDIENCE_COUNT = 3     /**< Number of audiences; not an audience. */
} inc_audience;

/** @brief The bit of a required communication in a mask (COMM-4). */
#define INC_COMM_BIT(kind) (1u << (unsigned)(kind))

/**
 * @brief The stable name of an audience: "external", "internal", "response".
 * @param audience An audience.
 * @return A static string, never to be freed; NULL for a value that is not
 *         an audience.
 */
INC_API const char *inc_audience_name(inc_audience audience);

/**
 * @brief Look an audience up by name (case-insensitive).
 * @param name A name as inc_audience_name() returns.
 * @param[out] out Receives the audience.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_audience_from_name(const char *name, inc_audience *out);

/**
 * @brief The role that writes to an audience (COMM-1): Communications Lead,
 *        Internal Liaison, Incident Commander.
 * @param audience An audience.
 * @return The role, or #INC_ROLE_COUNT for a value that is not an audience.
 */
INC_API inc_role inc_audience_writer(inc_audience audience);

/**
 * @brief The stable name of a required communication: "status_page",
 *        "customer_email", "exec_notify".
 * @param kind A required communication.
 * @return A static string, never to be freed; NULL for a value that is not
 *         a kind.
 */
INC_API const char *inc_comm_kind_name(inc_comm_kind kind);

/**
 * @brief Lint an external update on its text alone (COMM-3); no incident
 *        is needed.
 * @param body The update's text.
 * @param state The incident's lifecycle state when it would be posted: the
 *        vague, premature-promise and next-update checks apply before
 *        #INC_STATE_RESOLVED.
 * @param components Affected components, comma-separated, or NULL: naming
 *        one of them in the body counts as naming the scope.
 * @param alloc Allocator for the list (copied), or NULL for the C library's.
 * @param[out] out Receives the findings (possibly none); free it with
 *        inc_findings_free().
 * @return #INC_OK, #INC_EINVAL (NULL @p body or @p out, text not UTF-8, bad
 *         state), #INC_ETOOBIG (longer than #INC_TEXT_MAX), #INC_ENOMEM.
 */
INC_API int inc_update_lint(const char *body, inc_state state, const char *components,
                            const inc_allocator *alloc, inc_findings **out);

/** @brief A status update to record. Fill with #INC_UPDATE_INIT or inc_update_init(). */
typedef struct inc_update {
    unsigned int version;   /**< #INC_UPDATE_VERSION */
    inc_audience audience;  /**< To whom. */
    const char *body;       /**< The text (1..#INC_TEXT_MAX bytes). */
    const char *components; /**< Affected components, comma-separated, one line of at most
                                 #INC_TITLE_MAX bytes (external updates; exported to
                                 Statuspage), or NULL. */
    unsigned comms;         /**< #INC_COMM_BIT of each required communication (COMM-4)
                                 this update delivers; 0 for the audience's default:
                                 external = status page, internal = executive
                                 notification, response = none. */
} inc_update;

/** @brief The current version of #inc_update. */
#define INC_UPDATE_VERSION 1
/** @brief Initializer for #inc_update. */
#define INC_UPDATE_INIT                                                                            \
    {                                                                                              \
        INC_UPDATE_VERSION, INC_AUDIENCE_EXTERNAL, NULL, NULL, 0                                   \
    }

/**
 * @brief Fill @p update with the defaults of #inc_update version @p version (what
 *        #INC_UPDATE_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] update The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_UPDATE_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p update is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_update_init(inc_update *update, unsigned int version);

/**
 * @brief Record a status update (COMM-1..COMM-3). The writer is checked
 *        against the audience (see the file description); an external
 *        update is linted (COMM-3). Lint findings never block recording.
 *        Allowed while the incident is open, including after resolution
 *        (the final update).
 * @param inc The incident.
 * @param author Who writes.
 * @param update The update.
 * @param[out] findings Receives the findings (possibly none); free with
 *        inc_findings_free(); may be NULL. Set to NULL on failure.
 * @param[out] seq Receives the event's sequence number (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad audience, empty body,
 *         text not UTF-8, unknown comm bits), #INC_ETOOBIG, #INC_EVERSION,
 *         #INC_EROLE (a wrong writer under the strict policy; the message
 *         names the role and who holds it), #INC_ESTATE (closed),
 *         #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_add_update(inc_incident *inc, const char *author, const inc_update *update,
                                    inc_findings **findings, uint64_t *seq);

/** @brief A recorded status update, as inc_incident_get_update() gives it. */
typedef struct inc_update_info {
    uint64_t seq;           /**< The event's sequence number. */
    inc_time time;          /**< When it was posted. */
    inc_audience audience;  /**< To whom. */
    const char *author;     /**< Who wrote it. */
    const char *body;       /**< The text. */
    const char *components; /**< Affected components ("" if none). */
    unsigned comms;         /**< #INC_COMM_BIT of the communications it delivered. */
    inc_state state;        /**< The lifecycle state when it was posted. */
    const char *severity;   /**< The severity level when it was posted. */
    const char *findings;   /**< Finding IDs recorded with it, comma-separated ("" if none). */
} inc_update_info;

/**
 * @brief The number of status updates recorded (all audiences).
 * @param inc The incident.
 * @return The count; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_update_count(const inc_incident *inc);

/**
 * @brief Read one recorded status update.
 * @param inc The incident.
 * @param index 0-based, in the order they were posted.
 * @param[out] out Receives the update; its strings are owned by @p inc.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND for an index out of range.
 */
INC_API int inc_incident_get_update(const inc_incident *inc, size_t index, inc_update_info *out);

/** @brief For inc_incident_set_cadence(): go back to the rubric's cadence. */
#define INC_CADENCE_RUBRIC ((int64_t)0)

/**
 * @brief Change an audience's cadence (COMM-1; AUTH-1: only the IC).
 *        Recorded with the reason.
 * @param inc The incident.
 * @param actor Who changes it: the current IC.
 * @param audience Which audience.
 * @param every_ms The new cadence in milliseconds (at least one minute),
 *        #INC_DURATION_NONE for "as needed", or #INC_CADENCE_RUBRIC to go
 *        back to the rubric's.
 * @param reason Why, or NULL (at most #INC_TEXT_MAX bytes).
 * @return #INC_OK, #INC_EPERM (not the IC; the message names the IC),
 *         #INC_EINVAL (bad audience or value, no change), #INC_ESTATE
 *         (closed), #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_set_cadence(inc_incident *inc, const char *actor, inc_audience audience,
                                     int64_t every_ms, const char *reason);

/** @brief Where an audience's cadence stands, as inc_incident_get_cadence() gives it. */
typedef struct inc_cadence_info {
    inc_audience audience;   /**< The audience. */
    inc_role writer;         /**< The role that writes to it. */
    int64_t every_ms;        /**< The cadence in force, or #INC_DURATION_NONE (as needed). */
    int set_by_ic;           /**< 1 when the IC set it, 0 when it is the rubric's. */
    inc_time last_update;    /**< The last update to the audience, or #INC_TIME_NONE. */
    const char *last_writer; /**< Who wrote it (owned by the incident), or NULL. */
    size_t update_count;     /**< Updates to the audience so far. */
    inc_time next_due;       /**< When the next one is due, or #INC_TIME_NONE when none
                                  is (as needed, or resolved). */
    int overdue;             /**< 1 when @c now is past @c next_due. */
    int64_t late_ms;         /**< How late, when overdue; else 0. */
    inc_time now;            /**< The time the state was computed for. */
} inc_cadence_info;

/**
 * @brief Where an audience's cadence stands now, by the context's clock
 *        (COMM-1, COMM-2).
 * @param inc The incident.
 * @param audience Which audience.
 * @param[out] out Receives the state.
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad audience).
 */
INC_API int inc_incident_get_cadence(const inc_incident *inc, inc_audience audience,
                                     inc_cadence_info *out);

/** @brief A required communication's state, as inc_incident_get_required_comm() gives it. */
typedef struct inc_required_comm_info {
    inc_comm_kind kind; /**< Which communication. */
    int required;       /**< 1 when the current severity requires it. */
    int64_t within_ms;  /**< The rubric's value: 0 at once, a duration,
                             #INC_DURATION_NEXT_CADENCE or #INC_DURATION_NONE. */
    inc_time since;     /**< When the incident first reached its current severity or a
                             more severe one: the deadline's clock starts here. */
    inc_time deadline;  /**< When it is due (at once: @c since; at the next cadence:
                             @c since plus the cadence of its audience, external for
                             the status page and email, internal for the executive
                             notification), or #INC_TIME_NONE when there is none. */
    inc_time sent_at;   /**< When an update first delivered it, or #INC_TIME_NONE. */
    int missing;        /**< 1 when required, not sent, and past the deadline. */
    int64_t late_ms;    /**< How far past the deadline, when missing; else 0. */
} inc_required_comm_info;

/**
 * @brief Where a communication the severity may require stands now
 *        (COMM-4), by the context's clock.
 * @param inc The incident.
 * @param kind Which communication.
 * @param[out] out Receives the state.
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad kind).
 */
INC_API int inc_incident_get_required_comm(const inc_incident *inc, inc_comm_kind kind,
                                           inc_required_comm_info *out);

/**
 * @brief Report what communication is overdue or missing now: one
 *        `COMM-2.overdue` finding per overdue audience and one
 *        `COMM-4.missing` per missing required communication.
 * @param inc The incident.
 * @param[out] out Receives the findings (possibly none); free with inc_findings_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_incident_check_comms(inc_incident *inc, inc_findings **out);

/** @brief The external-update templates (000 and 001 seeds). */
typedef enum inc_template {
    INC_TEMPLATE_FIRST = 0,     /**< "We are investigating reports of \<symptom\> affecting
                                     \<scope\>. Next update at \<time\> UTC." */
    INC_TEMPLATE_HEARTBEAT = 1, /**< Still working, nothing new, next update at \<time\>. */
    INC_TEMPLATE_MITIGATED = 2, /**< A fix is in place and being monitored (state
                                     monitoring). */
    INC_TEMPLATE_RESOLVED = 3   /**< Resolved and verified, final update (state resolved
                                     or closed). */
} inc_template;

/** @brief What a template is filled with. Fill with #INC_TEMPLATE_VARS_INIT or
 * inc_template_vars_init(). */
typedef struct inc_template_vars {
    unsigned int version; /**< #INC_TEMPLATE_VARS_VERSION */
    const char *symptom;  /**< What customers see, such as "failed checkouts"; NULL for
                               the incident's title. */
    const char *scope;    /**< Who or what is affected, such as "customers in the EU
                               region" (required). */
    inc_time next_update; /**< When the next update will be, or #INC_TIME_NONE for now
                               plus the external cadence (one hour when the cadence is
                               "as needed"), rounded up to the minute. */
} inc_template_vars;

/** @brief The current version of #inc_template_vars. */
#define INC_TEMPLATE_VARS_VERSION 1
/** @brief Initializer for #inc_template_vars. */
#define INC_TEMPLATE_VARS_INIT                                                                     \
    {                                                                                              \
        INC_TEMPLATE_VARS_VERSION, NULL, NULL, INC_TIME_NONE                                       \
    }

/**
 * @brief Fill @p vars with the defaults of #inc_template_vars version @p version (what
 *        #INC_TEMPLATE_VARS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] vars The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_TEMPLATE_VARS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p vars is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_template_vars_init(inc_template_vars *vars, unsigned int version);

/**
 * @brief Render an external update from a template and the incident's
 *        state. What it renders passes inc_update_lint() for the incident's
 *        state: the text is checked before it is returned, so words in
 *        @p vars that the lint flags make the call fail rather than render a
 *        faulty update.
 * @param inc The incident.
 * @param tmpl Which template.
 * @param vars The variables.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, no scope, a next update in the
 *         past, words the lint flags; the message names the finding),
 *         #INC_ESTATE (mitigated before monitoring, resolved before
 *         resolution, first/heartbeat after resolution), #INC_EVERSION,
 *         #INC_ENOMEM.
 */
INC_API int inc_incident_render_template(inc_incident *inc, inc_template tmpl,
                                         const inc_template_vars *vars, char **out, size_t *len);

/**
 * @brief Write a recorded external update as the body of an Atlassian
 *        Statuspage incident request (field by field in
 *        lib/docs/wire-formats.md): `{"incident": {...}}` with `name` (the
 *        title, cut to 255 characters), `status` (investigating /
 *        identified / monitoring / resolved from the lifecycle state when
 *        it was posted), `impact_override` (none / minor / major / critical
 *        from the severity level), `body`, `component_ids`, `components`
 *        (`{id: status}`) and `metadata.libincident` with the incident id
 *        and `head`, the checkpoint `SEQ:HASH` of the update's event (TL-5,
 *        incident/seal.h). The same body serves `POST
 *        /v1/pages/{page_id}/incidents` (create: no `display_at`) and
 *        `PATCH /v1/pages/{page_id}/incidents/{incident_id}`: PATCH once
 *        inc_incident_external_id(inc, "statuspage") gives the id recorded
 *        with inc_incident_link_external().
 * @param inc The incident.
 * @param index The update's index, as for inc_incident_get_update().
 * @param component_map How the update's component names map to Statuspage
 *        component ids, one line: `Name=id` pairs separated by commas
 *        (`"Checkout=8kbf7d35c070, API=ftgks51sfs2d"`), white space around
 *        names and ids ignored; or NULL when the update named the ids
 *        themselves.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, not an external update, a
 *         map that is not one line of UTF-8), #INC_ENOTFOUND (no such
 *         update, or a component the map does not name), #INC_ENOMEM.
 */
INC_API int inc_incident_update_statuspage_json(const inc_incident *inc, size_t index,
                                                const char *component_map, char **out, size_t *len);

/**
 * @brief Record the id another system gave this incident (the Statuspage
 *        incident id returned by the create request, for later PATCHes) as
 *        an `external_linked` event. A later record for the same system
 *        replaces the earlier one. Anyone may.
 * @param inc The incident.
 * @param actor Who records it (1..#INC_NAME_MAX bytes).
 * @param system The system: 1..32 bytes of a-z, 0-9, '_' and '-'
 *        ("statuspage", "pagerduty").
 * @param external_id Its id there: one line, 1..255 bytes.
 * @param[out] seq Receives the event's sequence number (may be NULL).
 * @return #INC_OK, #INC_EINVAL (bad arguments; the message names which),
 *         #INC_ETOOBIG, #INC_ESTATE (closed), #INC_ECONFLICT, #INC_ENOMEM, or
 *         a store error.
 */
INC_API int inc_incident_link_external(inc_incident *inc, const char *actor, const char *system,
                                       const char *external_id, uint64_t *seq);

/**
 * @brief The id @p system gave this incident, as last recorded with
 *        inc_incident_link_external().
 * @param inc The incident.
 * @param system The system's name ("statuspage").
 * @return A string borrowed from @p inc, valid until inc_incident_free();
 *         NULL when none was recorded or an argument is NULL.
 */
INC_API const char *inc_incident_external_id(const inc_incident *inc, const char *system);

/**
 * @brief Render an incident's header or one of its events as a Slack Block
 *        Kit message, a JSON body for chat.postMessage (add `channel`) or an
 *        incoming webhook (lib/docs/wire-formats.md): `text` (the
 *        notification fallback) and `blocks`. @p seq 0 or the `declared`
 *        event gives the incident header (title, level, state, IC, channel);
 *        a `can_report` event a CAN report; a `status_update` event the
 *        update; a `handoff_started` or `handoff_confirmed` event the
 *        hand-off with its briefing. Within Block Kit's limits: a section's
 *        text at most 3,000 characters (a longer text continues in further
 *        sections), a header's 150, a field's 2,000, at most 50 blocks (a
 *        text that would need more ends with a context block saying it was
 *        cut). User text has `&`, `<` and `>` written as `&amp;`, `&lt;`
 *        and `&gt;`, so it cannot mention, link or break the markup.
 * @param inc The incident.
 * @param seq The event's sequence number, or 0 for the header.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, an event of a kind with no
 *         Slack message), #INC_ENOTFOUND (@p seq past the last event),
 *         #INC_ENOMEM.
 */
INC_API int inc_incident_slack_json(const inc_incident *inc, uint64_t seq, char **out, size_t *len);

/**
 * @brief The Statuspage status for a lifecycle state: "investigating"
 *        (declared, investigating), "identified" (mitigating), "monitoring",
 *        "resolved" (resolved, closed).
 * @param state A lifecycle state.
 * @return A static string, never to be freed; NULL for a value that is not
 *         a state.
 */
INC_API const char *inc_statuspage_status(inc_state state);

/**
 * @brief The Statuspage impact for level @p level of a rubric with
 *        @p level_count levels: the most severe level is "critical"; the
 *        others count from the least severe: "none", "minor", "major", then
 *        "critical" (default rubric: Sev-0 and Sev-1 critical, Sev-2 major,
 *        Sev-3 minor, Sev-4 none).
 * @param level The level's index (0 = most severe).
 * @param level_count The number of levels in the rubric.
 * @return A static string, never to be freed; NULL when @p level is not
 *         below @p level_count.
 */
INC_API const char *inc_statuspage_impact(size_t level, size_t level_count);

#ifdef __cplusplus
}
#endif

#endif
