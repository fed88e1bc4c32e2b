/**
 * @file incident/incident.h
 * @brief Incidents: declaring, opening, the lifecycle, severity, notes and
 *        corrections, and reading the timeline of record.
 *
 * Every change to an incident is an event appended to its timeline; the
 * incident's state is what replaying the events gives (TL-1). A mutating
 * call checks the request, appends one event to the store at the sequence
 * number this handle last saw (so two writers never interleave; the loser
 * gets #INC_ECONFLICT and can inc_incident_reload() and retry), then applies
 * the event with the same function that replays stored events. A call that
 * fails changes nothing, in memory or in the store.
 *
 * Strings are UTF-8. Names of people are 1..#INC_NAME_MAX bytes; free text is
 * at most #INC_TEXT_MAX bytes.
 */
#ifndef INCIDENT_INCIDENT_H
#define INCIDENT_INCIDENT_H

#include "common.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief An open incident (opaque). */
typedef struct inc_incident inc_incident;

/** @brief Longest person name, in bytes. */
#define INC_NAME_MAX 128
/** @brief Longest title, in bytes. */
#define INC_TITLE_MAX 256
/** @brief Longest free text (notes, justifications, reports), in bytes. */
#define INC_TEXT_MAX 16384

/** @brief Lifecycle states (LIFE-1). */
typedef enum inc_state {
    INC_STATE_DECLARED = 0,      /**< Just declared. */
    INC_STATE_INVESTIGATING = 1, /**< Looking for the cause. */
    INC_STATE_MITIGATING = 2,    /**< Working on a mitigation. */
    INC_STATE_MONITORING = 3,    /**< Mitigated; watching that the fix holds. */
    INC_STATE_RESOLVED = 4,      /**< Resolved, with a verification note (LIFE-2). */
    INC_STATE_CLOSED = 5         /**< Postmortem done (or not required); read-only. */
} inc_state;

/** @brief Declaration criteria (DEC-2), combined as a bit mask. */
typedef enum inc_criteria {
    INC_CRIT_CUSTOMER_VISIBLE = 1 << 0, /**< Customer-visible degradation beyond error budget. */
    INC_CRIT_INTERNAL_BLOCKED = 1 << 1, /**< A critical internal system is blocked. */
    INC_CRIT_SECURITY = 1 << 2,         /**< Suspected security event. */
    INC_CRIT_DATA_LOSS = 1 << 3,        /**< Suspected data loss or corruption. */
    INC_CRIT_REGULATORY = 1 << 4,       /**< Regulatory or contractual risk. */
    INC_CRIT_UNKNOWN = 1 << 5           /**< Unknown, but investigating. */
} inc_criteria;

/** @brief All criteria bits. */
#define INC_CRIT_ALL 0x3Fu

/**
 * @brief Event kinds (TL-1). The numbers are part of the stored format and
 *        never change.
 */
typedef enum inc_event_kind {
    INC_EV_DECLARED = 1,                /**< Incident declared (always event 1). */
    INC_EV_SEVERITY_CHANGED = 2,        /**< Severity changed, with justification. */
    INC_EV_STATE_CHANGED = 3,           /**< Lifecycle state changed. */
    INC_EV_NOTE = 4,                    /**< A note. */
    INC_EV_CORRECTION = 5,              /**< A correction pointing at an earlier event. */
    INC_EV_ROLE_ASSIGNED = 6,           /**< A role assigned to a person. */
    INC_EV_ROLE_RELEASED = 7,           /**< A role released. */
    INC_EV_HANDOFF_STARTED = 8,         /**< The IC started a hand-off with a briefing. */
    INC_EV_HANDOFF_CONFIRMED = 9,       /**< The incoming IC confirmed the hand-off. */
    INC_EV_CAN_REPORT = 10,             /**< A CAN report. */
    INC_EV_STATUS_UPDATE = 11,          /**< A status update to an audience. */
    INC_EV_PAGE_REQUESTED = 12,         /**< A page was requested. */
    INC_EV_PAGE_SENT = 13,              /**< A page was sent. */
    INC_EV_ACKNOWLEDGED = 14,           /**< A page was acknowledged. */
    INC_EV_DECISION_REQUESTED = 15,     /**< A decision was asked of the IC. */
    INC_EV_DECISION_MADE = 16,          /**< The IC approved or denied a decision. */
    INC_EV_ACTION_ADDED = 17,           /**< An action item was added. */
    INC_EV_ACTION_CHANGED = 18,         /**< An action item changed. */
    INC_EV_DEADLINE_CLOCK_STARTED = 19, /**< A regulatory clock was started. */
    INC_EV_DEADLINE_CLOCK_STOPPED = 20, /**< A regulatory clock was met or stopped. */
    INC_EV_CADENCE_CHANGED = 21,        /**< The IC changed an audience's cadence. */
    INC_EV_HANDOFF_CANCELLED = 22,      /**< A pending hand-off was cancelled or declined. */
    INC_EV_DUE_DELIVERED = 23,          /**< A due item was delivered to the program (ESC-2). */
    INC_EV_POSTMORTEM_SECTION = 24,     /**< A postmortem narrative section was supplied (PM-1). */
    INC_EV_POSTMORTEM_STATUS = 25, /**< The postmortem's status changed; Final closes (PM-1). */
    INC_EV_POSTMORTEM_TAG = 26,    /**< The postmortem's root-cause tag was set (MET-1). */
    INC_EV_BRIDGE_OPENED = 27,     /**< A bridge (war room) was opened (AUD-1). */
    INC_EV_REOPENED = 28,          /**< The IC reopened a resolved incident (LIFE-4). */
    INC_EV_LINKED = 29,            /**< The IC linked the incident to another (LIFE-5). */
    INC_EV_EXTERNAL_LINKED = 30,   /**< An external system's id for the incident was recorded
                                        (the Statuspage incident id). */
    INC_EV_ALERT_RECEIVED = 31,    /**< An alert (one fingerprint, with its repeat count)
                                        reached the incident (ALERT-1..ALERT-3). */
    INC_EV_FIELD_SET = 32          /**< The IC set a custom field of the rubric (RUB-6). */
} inc_event_kind;

/** @brief Options for inc_incident_declare(). Fill with #INC_DECLARE_OPTIONS_INIT or
 * inc_declare_options_init(). */
typedef struct inc_declare_options {
    unsigned int version;    /**< #INC_DECLARE_OPTIONS_VERSION */
    const char *title;       /**< Required: what is happening (1..#INC_TITLE_MAX bytes). */
    const char *declarer;    /**< Required: who declares; IC until one is assigned (DEC-1). */
    const char *severity;    /**< Required: a level name of the context's rubric. */
    unsigned criteria;       /**< #inc_criteria bits that applied (may be 0). */
    inc_time impact_started; /**< When impact began, or #INC_TIME_NONE. */
    inc_time detected;       /**< When it was detected, or #INC_TIME_NONE. */
    int drill;               /**< Non-zero for a Game Day drill (DEC-4). */
    const char *slug;        /**< Short description for the channel name; NULL to
                                  derive it from the title. */
} inc_declare_options;

/** @brief The current version of #inc_declare_options. */
#define INC_DECLARE_OPTIONS_VERSION 1
/** @brief Initializer for #inc_declare_options. */
#define INC_DECLARE_OPTIONS_INIT                                                                   \
    {                                                                                              \
        INC_DECLARE_OPTIONS_VERSION, NULL, NULL, NULL, 0, INC_TIME_NONE, INC_TIME_NONE, 0, NULL    \
    }

/**
 * @brief Fill @p opts with the defaults of #inc_declare_options version @p version (what
 *        #INC_DECLARE_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_DECLARE_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_declare_options_init(inc_declare_options *opts, unsigned int version);

/**
 * @brief Declare an incident (DEC-1..DEC-3). Anyone can declare; the
 *        declarer is IC until an IC is assigned. The context's rubric is
 *        recorded with the declaration (RUB-4): when the store keeps blobs
 *        (store backend version 3), its text is stored once per store and
 *        the declaration event names it by its SHA-256; otherwise the event
 *        carries the text. The channel name is
 *        `inc-YYYY-MM-DD-slug` (UTC date of declaration); the incident id is
 *        the channel name without `inc-`, with `-2`, `-3`, ... added when the
 *        store already has that id.
 * @param ctx The context.
 * @param opts The declaration.
 * @param[out] out Receives the incident; free it with inc_incident_free().
 * @return #INC_OK, #INC_EINVAL (a field is missing, too long, not UTF-8, or
 *         the severity is not in the rubric; or the times are out of order:
 *         impact_started <= detected <= the declaration time is required
 *         (DEC-2, MET-1); the message names the fields),
 *         #INC_EVERSION, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_declare(inc_context *ctx, const inc_declare_options *opts,
                                 inc_incident **out);

/**
 * @brief Open an incident by its id, replaying its timeline.
 * @param ctx The context.
 * @param id The incident id.
 * @param[out] out Receives the incident; free it with inc_incident_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND, #INC_ECORRUPT (an event does
 *         not decode or the hash chain breaks), #INC_EVERSION (an event of a
 *         newer format), #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_open(inc_context *ctx, const char *id, inc_incident **out);

/**
 * @brief Catch up with events other writers appended since this handle last
 *        read or wrote.
 *
 * The timeline is replayed into a fresh state that then replaces this
 * handle's: strings and other pointers obtained from @p inc before the call
 * (other than inc_incident_id()) are no longer valid after it succeeds.
 * @param inc The incident.
 * @return #INC_OK, #INC_EINVAL if @p inc is NULL, or as inc_incident_open()
 *         (#INC_ENOTFOUND, #INC_ECORRUPT, #INC_EVERSION, #INC_ENOMEM, or a
 *         store error); on failure the handle is unchanged.
 */
INC_API int inc_incident_reload(inc_incident *inc);

/**
 * @brief Free an incident handle (the stored timeline is not affected).
 * @param inc The incident, or NULL (then nothing happens).
 */
INC_API void inc_incident_free(inc_incident *inc);

/**
 * @brief The message of the last failed call on @p inc.
 * @param inc The incident (may be NULL).
 * @return A string owned by @p inc, valid until its next call; "" if none
 *         or if @p inc is NULL. Never NULL, never to be freed.
 */
INC_API const char *inc_incident_errmsg(const inc_incident *inc);

/**
 * @brief The incident id: `[a-z0-9-]`, at most #INC_ID_MAX bytes.
 * @param inc The incident.
 * @return The id, owned by @p inc and valid until inc_incident_free(); NULL if
 *         @p inc is NULL.
 */
INC_API const char *inc_incident_id(const inc_incident *inc);

/**
 * @brief The title.
 * @param inc The incident.
 * @return The title, owned by @p inc and valid until
 *         inc_incident_reload() or inc_incident_free(); NULL if @p inc is NULL.
 */
INC_API const char *inc_incident_title(const inc_incident *inc);

/**
 * @brief The channel name `inc-YYYY-MM-DD-slug` (DEC-3).
 * @param inc The incident.
 * @return The channel name, owned by @p inc and valid until
 *         inc_incident_reload() or inc_incident_free(); NULL if @p inc is NULL.
 */
INC_API const char *inc_incident_channel(const inc_incident *inc);

/**
 * @brief Who declared.
 * @param inc The incident.
 * @return The declarer's name, owned by @p inc and valid until
 *         inc_incident_reload() or inc_incident_free(); NULL if @p inc is NULL.
 */
INC_API const char *inc_incident_declarer(const inc_incident *inc);

/**
 * @brief The current Incident Commander (the declarer until a hand-off is
 *        confirmed, DEC-1, ROLE-2).
 * @param inc The incident.
 * @return The IC's name, owned by @p inc and valid until
 *         inc_incident_reload() or inc_incident_free(); NULL if @p inc is NULL.
 */
INC_API const char *inc_incident_ic(const inc_incident *inc);

/**
 * @brief The current severity's level name.
 * @param inc The incident.
 * @return The level name, owned by @p inc and valid until
 *         inc_incident_reload() or inc_incident_free(); NULL if @p inc is NULL.
 */
INC_API const char *inc_incident_severity(const inc_incident *inc);

/**
 * @brief The current severity's level index in the incident's rubric.
 * @param inc The incident.
 * @return The index (0 = most severe); 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_severity_index(const inc_incident *inc);

/**
 * @brief The lifecycle state.
 * @param inc The incident.
 * @return The state; #INC_STATE_DECLARED if @p inc is NULL.
 */
INC_API inc_state inc_incident_state(const inc_incident *inc);

/**
 * @brief The declaration criteria bits.
 * @param inc The incident.
 * @return The #inc_criteria bits; 0 if @p inc is NULL.
 */
INC_API unsigned inc_incident_criteria(const inc_incident *inc);

/**
 * @brief Whether the incident is a drill (DEC-4).
 * @param inc The incident.
 * @return Non-zero for a drill; 0 if not or if @p inc is NULL.
 */
INC_API int inc_incident_is_drill(const inc_incident *inc);

/**
 * @brief When it was declared (T+0).
 * @param inc The incident.
 * @return The time of declaration; #INC_TIME_NONE if @p inc is NULL.
 */
INC_API inc_time inc_incident_declared_at(const inc_incident *inc);

/**
 * @brief When impact started.
 * @param inc The incident.
 * @return The time given at declaration; #INC_TIME_NONE if none was
 *         given or if @p inc is NULL.
 */
INC_API inc_time inc_incident_impact_started(const inc_incident *inc);

/**
 * @brief When it was detected.
 * @param inc The incident.
 * @return The time given at declaration; #INC_TIME_NONE if none was
 *         given or if @p inc is NULL.
 */
INC_API inc_time inc_incident_detected(const inc_incident *inc);

/**
 * @brief When it was mitigated (entered monitoring).
 * @param inc The incident.
 * @return The time; #INC_TIME_NONE if not mitigated yet or if @p inc is NULL.
 */
INC_API inc_time inc_incident_mitigated_at(const inc_incident *inc);

/**
 * @brief When it was resolved.
 * @param inc The incident.
 * @return The time; #INC_TIME_NONE if not resolved yet or if @p inc is NULL.
 */
INC_API inc_time inc_incident_resolved_at(const inc_incident *inc);

/**
 * @brief How many times the incident was reopened after a resolution (LIFE-4).
 * @param inc The incident.
 * @return The count; 0 if never reopened or if @p inc is NULL.
 */
INC_API unsigned inc_incident_reopen_count(const inc_incident *inc);

/**
 * @brief When it was last reopened (LIFE-4): the escalation ladder, the
 *        acknowledgement and the update cadences count from then.
 * @param inc The incident.
 * @return The time; #INC_TIME_NONE if never reopened or if @p inc is NULL.
 */
INC_API inc_time inc_incident_reopened_at(const inc_incident *inc);

/**
 * @brief The rubric recorded at declaration (RUB-4).
 * @param inc The incident.
 * @return The rubric, NULL if @p inc is NULL. It is owned by the context
 *         (incidents of one context that recorded the same rubric share one
 *         parsed copy) and stays valid until the context is freed.
 */
INC_API const inc_rubric *inc_incident_rubric(const inc_incident *inc);

/**
 * @brief The sequence number of the last event (the timeline's length).
 * @param inc The incident.
 * @return The sequence number; 0 if @p inc is NULL.
 */
INC_API uint64_t inc_incident_last_seq(const inc_incident *inc);

/**
 * @brief The stable name of a state: "declared", "investigating",
 *        "mitigating", "monitoring", "resolved", "closed".
 * @param state A state.
 * @return A static string, never to be freed; NULL for a value that is not a state.
 */
INC_API const char *inc_state_name(inc_state state);

/**
 * @brief Look a state up by name (case-insensitive).
 * @param name A name as inc_state_name() returns.
 * @param[out] out Receives the state.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_state_from_name(const char *name, inc_state *out);

/**
 * @brief Change the severity (AUTH-1, AUTH-2): only the current IC may, and
 *        only with a justification, which is recorded with the change.
 * @param inc The incident.
 * @param actor Who makes the change.
 * @param severity A level name of the incident's rubric.
 * @param justification Why (1..#INC_TEXT_MAX bytes).
 * @return #INC_OK, #INC_EPERM (not the IC; the message names the IC),
 *         #INC_EINVAL (unknown level, empty justification, unchanged severity),
 *         #INC_ESTATE (the incident is closed), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_set_severity(inc_incident *inc, const char *actor, const char *severity,
                                      const char *justification);

/**
 * @brief Move the lifecycle (LIFE-1, LIFE-2): one step forward at a time
 *        (declared -> investigating -> mitigating -> monitoring -> resolved
 *        -> closed), or back from monitoring to mitigating when the fix did
 *        not hold. Only the IC moves the lifecycle (AUTH-1). Entering
 *        monitoring is the mitigation event; entering resolved is the
 *        resolution event and needs a verification note. Closing needs the
 *        postmortem to be done, or the level not to require one, and every
 *        custom field required to close to be set (RUB-6).
 * @param inc The incident.
 * @param actor Who makes the move.
 * @param state The new state.
 * @param text A note for the move; required (the verification) for resolved;
 *        may be NULL otherwise.
 * @return #INC_OK, #INC_EPERM, #INC_ESTATE (a move the lifecycle forbids),
 *         #INC_EINVAL (also: closing while a required custom field is not
 *         set; the message names the missing fields), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_set_state(inc_incident *inc, const char *actor, inc_state state,
                                   const char *text);

/**
 * @brief Set a custom field the incident's rubric declares (RUB-6,
 *        lib/docs/rubric-format.md, "Custom fields"), as a `field_set`
 *        event. Only the IC sets fields (AUTH-1), as the IC changes the
 *        severity and the state: fields classify the incident and may be
 *        required to close it. The value must fit the field's type: text
 *        (one line), number (an optional '-' and 1..18 digits), one-of (one
 *        of the listed values, exactly), date (YYYY-MM-DD, a real day) or
 *        person (a name of at most #INC_NAME_MAX bytes). A later value
 *        replaces the earlier one; the timeline keeps both.
 * @param inc The incident.
 * @param actor Who sets it: the IC.
 * @param name The field's name, as declared.
 * @param value Its value: one line, 1..255 bytes, fitting the type.
 * @return #INC_OK, #INC_EINVAL (NULL, empty or multi-line arguments, a
 *         value that does not fit the type; the message says why),
 *         #INC_ENOTFOUND (the rubric declares no such field), #INC_EPERM
 *         (not the IC), #INC_ESTATE (closed), #INC_ECONFLICT, #INC_ENOMEM,
 *         or a store error.
 */
INC_API int inc_incident_set_field(inc_incident *inc, const char *actor, const char *name,
                                   const char *value);

/**
 * @brief The value of a custom field (RUB-6), as last set with
 *        inc_incident_set_field().
 * @param inc The incident.
 * @param name The field's name.
 * @return A string borrowed from @p inc, valid until the incident is
 *         changed, reloaded or freed; NULL when the field was never set,
 *         is not declared, or an argument is NULL.
 */
INC_API const char *inc_incident_field(const inc_incident *inc, const char *name);

/**
 * @brief Reopen a resolved incident (LIFE-4): the all-clear came too early.
 *        Only the IC may (AUTH-1), with a justification, and only back to
 *        investigating or mitigating. The incident is no longer resolved
 *        (inc_incident_resolved_at() gives #INC_TIME_NONE until it is
 *        resolved again, and MTTR counts to that final resolution); the
 *        escalation ladder, the acknowledgement target and the update
 *        cadences start again from the reopening; the audit reports the
 *        span from the resolution to the reopening as "all-clear too early"
 *        (AUD-2). A closed incident is never reopened: declare a new
 *        incident as its recurrence instead.
 * @param inc The incident.
 * @param actor Who reopens it: the IC.
 * @param state #INC_STATE_INVESTIGATING or #INC_STATE_MITIGATING.
 * @param justification Why (1..#INC_TEXT_MAX bytes), recorded with the event.
 * @return #INC_OK, #INC_EPERM (not the IC; the message names the IC),
 *         #INC_EINVAL (another target state, an empty justification),
 *         #INC_ESTATE (not resolved; or closed, the message pointing to a
 *         recurrence), #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_reopen(inc_incident *inc, const char *actor, inc_state state,
                                const char *justification);

/** @brief How an incident is linked to another (LIFE-5). The numbers are recorded. */
typedef enum inc_link_kind {
    INC_LINK_DUPLICATE_OF = 1, /**< A duplicate of the other, the primary: closed by the link. */
    INC_LINK_RELATED = 2,      /**< Related to the other. */
    INC_LINK_RECURRENCE_OF = 3 /**< A recurrence of the other, a closed incident (MET-1). */
} inc_link_kind;

/** @brief One link of an incident to another (LIFE-5). Owned by the incident. */
typedef struct inc_link {
    inc_link_kind kind;      /**< How it is linked. */
    const char *incident_id; /**< The other incident. */
    const char *by;          /**< Who linked it (the IC). */
    inc_time at;             /**< When. */
    const char *text;        /**< Why, or NULL. */
    uint64_t seq;            /**< The event that recorded it. */
} inc_link;

/**
 * @brief The stable name of a link kind: "duplicate_of", "related", "recurrence_of".
 * @param kind A link kind.
 * @return A static string, never to be freed; NULL for a value that is not a kind.
 */
INC_API const char *inc_link_kind_name(inc_link_kind kind);

/**
 * @brief Look a link kind up by name (case-insensitive; "-" may stand for "_").
 * @param name A name as inc_link_kind_name() returns, or "duplicate-of", "recurrence-of".
 * @param[out] out Receives the kind.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_link_kind_from_name(const char *name, inc_link_kind *out);

/**
 * @brief Link the incident to another of the same store (LIFE-5). Only the
 *        IC decides (AUTH-1).
 *
 * - #INC_LINK_DUPLICATE_OF: the incident is a duplicate of @p other_id,
 *   the primary. It is closed by the link (no postmortem of its own), its
 *   due items stop, inc_incident_duplicate_of() names the primary (page
 *   the primary from then on), and the metrics count the pair once. The
 *   primary must not itself be a duplicate: a cycle of duplicates is
 *   refused, and so is a chain (link to the primary's own primary).
 * - #INC_LINK_RELATED: related to @p other_id.
 * - #INC_LINK_RECURRENCE_OF: a recurrence of @p other_id, which must be
 *   closed (a resolved incident is reopened instead, LIFE-4); MET-1's
 *   recurrence rate counts it next to the root-cause tags.
 *
 * The other incident is read from the context's store and is not changed.
 * A link to the same incident of the same kind twice is refused. An
 * imported timeline keeps its links whether or not the other incident is
 * in the importing store.
 * @param inc The incident.
 * @param actor Who links it: the IC.
 * @param kind How.
 * @param other_id The other incident's id.
 * @param text Why (may be NULL).
 * @return #INC_OK, #INC_EPERM (not the IC), #INC_EINVAL (a link to itself,
 *         a cycle or chain of duplicates, a link made already, a bad kind,
 *         id or text), #INC_ENOTFOUND (no incident @p other_id in the
 *         store), #INC_ESTATE (the incident is closed; a recurrence of an
 *         incident that is not closed), #INC_ECONFLICT, #INC_ENOMEM, or a
 *         store error.
 */
INC_API int inc_incident_add_link(inc_incident *inc, const char *actor, inc_link_kind kind,
                                  const char *other_id, const char *text);

/**
 * @brief The number of links the incident made (LIFE-5).
 * @param inc The incident (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_incident_link_count(const inc_incident *inc);

/**
 * @brief One link, in the order they were made.
 * @param inc The incident.
 * @param index 0-based, below inc_incident_link_count().
 * @return The link (owned by @p inc, valid until it is freed or reloaded),
 *         or NULL if out of range.
 */
INC_API const inc_link *inc_incident_link(const inc_incident *inc, size_t index);

/**
 * @brief The primary of a duplicate (LIFE-5): pages and alerts for this
 *        incident go there.
 * @param inc The incident.
 * @return The primary's id (owned by @p inc), or NULL when it is not a duplicate.
 */
INC_API const char *inc_incident_duplicate_of(const inc_incident *inc);

/**
 * @brief Add a note to the timeline. Anyone may, with or without a role.
 * @param inc The incident.
 * @param actor Who writes the note (1..#INC_NAME_MAX bytes).
 * @param text The note (1..#INC_TEXT_MAX bytes).
 * @return #INC_OK, #INC_EINVAL (NULL @p inc, an empty or invalid actor or
 *         text), #INC_ETOOBIG (actor or text too long), #INC_ESTATE (closed),
 *         #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_note(inc_incident *inc, const char *actor, const char *text);

/**
 * @brief Correct an earlier event (LIFE-3): nothing is deleted; the
 *        correction is a new event pointing at event @p seq.
 * @param inc The incident.
 * @param actor Who corrects.
 * @param seq The sequence number of the event corrected (1..last).
 * @param text The correction.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND (no such event), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error. Allowed on closed incidents.
 */
INC_API int inc_incident_correct(inc_incident *inc, const char *actor, uint64_t seq,
                                 const char *text);

/** @brief One event of the timeline, as inc_incident_get_event() gives it. */
typedef struct inc_event_info {
    uint64_t seq;          /**< Sequence number, from 1. */
    inc_time time;         /**< UTC time from the clock callback. */
    int64_t offset_ms;     /**< Time since declaration (T+offset). */
    inc_event_kind kind;   /**< Kind. */
    const char *kind_name; /**< Stable kind name, such as "severity_changed". */
    const char *actor;     /**< Who. */
    const char *text;      /**< The event's main text (note, justification, ...);
                                "" if it has none. */
    uint64_t ref_seq;      /**< For corrections, the event corrected; else 0. */
} inc_event_info;

/**
 * @brief The number of events in the timeline.
 * @param inc The incident.
 * @return The number of events; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_event_count(const inc_incident *inc);

/**
 * @brief Read one event.
 * @param inc The incident.
 * @param index 0-based position (event seq = index + 1).
 * @param[out] out Receives the event; its strings are owned by @p inc and
 *        valid until inc_incident_reload() or inc_incident_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND for an index out of range.
 */
INC_API int inc_incident_get_event(const inc_incident *inc, size_t index, inc_event_info *out);

/**
 * @brief Describe one event in a line a person reads, such as
 *        "Severity changed Sev-2 -> Sev-1: EU and US both affected".
 *
 * The line is safe to print: control characters (ESC, CR, NUL...) and DEL
 * are shown as `\xNN`, C1 controls and bidirectional overrides and
 * isolates (U+202A..U+202E, U+2066..U+2069 and the marks) as `\uNNNN`, and
 * a line break in the event's text as `\n`. Raw text is in
 * inc_incident_get_event().
 * @param inc The incident.
 * @param index 0-based position, as for inc_incident_get_event().
 * @param[out] out Receives the text; free it with inc_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND, #INC_ENOMEM.
 */
INC_API int inc_incident_describe_event(const inc_incident *inc, size_t index, char **out);

/**
 * @brief The stable name of an event kind, such as "declared".
 * @param kind An event kind.
 * @return A static string, never to be freed; NULL for an unknown kind.
 */
INC_API const char *inc_event_kind_name(inc_event_kind kind);

/**
 * @brief Render the timeline as text, one event per line: ISO 8601 UTC time
 *        with `Z`, T+offset, actor and description (TL-3).
 *
 * User text is escaped as by inc_incident_describe_event(), except that a
 * line break in an event's text continues on a new line starting with
 * `"    | "`, where every event line starts with its right-aligned
 * sequence number: no text can print a line that passes for an event.
 * @param inc The incident.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_incident_render_timeline(const inc_incident *inc, char **out, size_t *len);

/**
 * @brief Walk the hash chain of the timeline as stored (TL-2), re-reading it
 *        from the store, and the rubric its declaration names by SHA-256
 *        (RUB-4: the store's blob, read again and checked against the key).
 * @param inc The incident.
 * @param[out] bad_seq Receives the first event that does not match, or 0
 *        when the chain verifies (may be NULL; 0 too when only the rubric
 *        blob is missing or changed).
 * @return #INC_OK when the chain and the rubric verify, #INC_ECORRUPT naming
 *         the first bad event (or the rubric) in the message, or a store
 *         error.
 */
INC_API int inc_incident_verify(inc_incident *inc, uint64_t *bad_seq);

/**
 * @brief Export the whole incident (every event, with its hashes, and the
 *        checkpoint of its head, `head`, TL-5) as one JSON document (format,
 *        byte for byte, in lib/docs/export-format.md).
 * @param inc The incident.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_incident_export_json(const inc_incident *inc, char **out, size_t *len);

/**
 * @brief Import an incident exported by inc_incident_export_json() into the
 *        context's store under its own id. The document is validated
 *        completely (structure, every field, every hash, the `head`
 *        checkpoint when the document has one, a full replay) before
 *        anything is written; bad input touches nothing. The events
 *        are parsed one at a time, so an import takes little more memory
 *        than the incident it builds (tested: at most 4 times the document,
 *        the returned incident and a memory store's copy included; about
 *        2.2 times for a 2 MB export); a document whose JSON tree would
 *        hold more bytes than the document (or than 1 MiB for a small one)
 *        is refused with #INC_ETOOBIG before the memory is taken.
 * @param ctx The context.
 * @param json The document (need not be NUL-terminated; a NUL byte in it is
 *        malformed JSON).
 * @param len Its length (at most 64 MiB).
 * @param[out] out Receives the incident (may be NULL to only import).
 * @param[out] diag Receives the offset and a message on failure (may be NULL).
 * @return #INC_OK, #INC_EPARSE (malformed JSON), #INC_EINVAL (a bad field:
 *         missing, of the wrong type, an unknown kind or field name, a
 *         `head` that is not a checkpoint), #INC_EVERSION (a document
 *         version other than 1), #INC_ECORRUPT (a hash, the chain or the
 *         `head` does not match, or a rebuilt event is refused by the
 *         decoder or the replay rules: a time or duration out of range, a
 *         declaration whose id is not the document's), #INC_EEXIST (the
 *         store has the id), #INC_ETOOBIG (longer than 64 MiB, or a JSON
 *         tree larger than the bound above), #INC_ENOMEM, or a store error.
 *         Every check and its code: lib/docs/export-format.md.
 */
INC_API int inc_incident_import_json(inc_context *ctx, const char *json, size_t len,
                                     inc_incident **out, inc_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
