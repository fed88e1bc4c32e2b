/**
 * @file incident/due.h
 * @brief What is due: escalation, paging, heartbeats and deadline clocks,
 *        for one incident and across many (ESC-1..ESC-3, REG-1, COMM-2,
 *        COMM-4, ROLE-10, ROLE-12).
 *
 * The library never pages anyone itself (ESC-2). It tells the embedding
 * program (a paging system, a chat bot, a cron job) exactly what is due and
 * when, as **due items** of one type (#inc_due_item) whatever their source:
 *
 * | kind | rule | due when |
 * |---|---|---|
 * | #INC_DUE_ESCALATION | ESC-1 | a ladder step's time in its condition has passed |
 * | #INC_DUE_ACK | ESC-3 | never acknowledged within the level's acknowledge target |
 * | #INC_DUE_ACK_EXPIRED | ESC-3 | no CAN report, update or state change within the ack timeout |
 * | #INC_DUE_HEARTBEAT | COMM-2 | an audience's next update, even when nothing changed |
 * | #INC_DUE_COMM | COMM-4 | a communication the severity requires, not sent by its deadline |
 * | #INC_DUE_STAFFING | ROLE-10 | minimum staffing not met 10 min after declaration or a change |
 * | #INC_DUE_SCRIBE | ROLE-12 | no Scribe within the level's Scribe window |
 * | #INC_DUE_DEADLINE_REMINDER | REG-1 | a deadline clock's reminder time |
 * | #INC_DUE_DEADLINE | REG-1 | a deadline clock reached its deadline and was not stopped |
 * | #INC_DUE_POSTMORTEM | PM-2 | the postmortem window after resolution ran out, not Final |
 * | #INC_DUE_ACTION_ITEM | PM-3 | an open action item reached its due date |
 * | #INC_DUE_ALERT_RESOLVED | ALERT-3 | the incident's alerts resolved: the IC considers resolution |
 *
 * **Fires once, survives restarts.** Delivering an item records it on the
 * timeline: an escalation step as a `page_requested` event carrying the
 * level and step, every other item as a `due_delivered` event. An item is
 * delivered once: a program that restarts, reopens the store and polls again
 * never gets again what was delivered, and gets at once what came due while
 * it was down, with inc_due_item::late_ms saying how late.
 *
 * **Escalation (ESC-1).** A step's duration counts time spent in its
 * condition since declaration: "unresolved" runs from declaration until the
 * resolution; "unacknowledged" runs from declaration until an
 * acknowledgement, stops while the incident is acknowledged, and resumes
 * where it stopped when the acknowledgement expires. Acknowledging stops the
 * unacknowledged steps; resolving stops every step. A ladder may repeat
 * (inc_rubric_repeat(), like PagerDuty's `num_loops`): pass *k* (0 = the
 * first) fires step *i* at *k* x *L* + its duration, where *L* is the
 * duration of the ladder's last step.
 *
 * **Severity changes** switch to the new level's ladder from the change on:
 * steps of the new level whose time (counted as above, from declaration)
 * had already come at the change are not fired, neither late nor with the
 * old level's targets, and undelivered steps of the old level are dropped.
 * The change is an IC decision; whoever the new level needs at once is the
 * IC's call, and the state-based items (acknowledge target, staffing,
 * Scribe, required communications, heartbeats) follow the new level at once,
 * late when their time has passed.
 *
 * **Resolved and closed incidents.** Nothing is due for a resolved incident
 * except its running deadline clocks (a regulatory duty outlives the outage),
 * its postmortem and its action items; for a closed one, only its overdue
 * action items (the follow-through, PM-3).
 *
 * **Paging records (ESC-2, ESC-3, MET-1).** The program reports back what it
 * did: inc_incident_request_page() (a page outside the ladder, such as the
 * first page), inc_incident_mark_page_sent() (to whom), inc_incident_acknowledge().
 * MTTA and pages per person come from these records (inc_incident_page()).
 *
 * **Many incidents** are watched by the scheduler of incident/scheduler.h.
 */
#ifndef INCIDENT_DUE_H
#define INCIDENT_DUE_H

#include "common.h"
#include "context.h"
#include "incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Kinds of due item. The numbers are recorded on the timeline and never change. */
typedef enum inc_due_kind {
    INC_DUE_ESCALATION = 1,        /**< ESC-1: page the step's target. */
    INC_DUE_ACK = 2,               /**< ESC-3: not acknowledged within the target. */
    INC_DUE_ACK_EXPIRED = 3,       /**< ESC-3: an acknowledgement expired; the
                                        unacknowledged ladder resumes. */
    INC_DUE_HEARTBEAT = 4,         /**< COMM-2: an audience's update is due. */
    INC_DUE_COMM = 5,              /**< COMM-4: a required communication is missing. */
    INC_DUE_STAFFING = 6,          /**< ROLE-10: minimum staffing not met. */
    INC_DUE_SCRIBE = 7,            /**< ROLE-12: no Scribe within the window. */
    INC_DUE_DEADLINE_REMINDER = 8, /**< REG-1: a deadline clock's reminder. */
    INC_DUE_DEADLINE = 9,          /**< REG-1: a deadline reached and not met. */
    INC_DUE_POSTMORTEM = 10,       /**< PM-2: the postmortem is due (to the IC) and not
                                        Final (incident/postmortem.h). */
    INC_DUE_ACTION_ITEM = 11,      /**< PM-3: an open action item reached its due date
                                        (to its owner); also after closing. */
    INC_DUE_ALERT_RESOLVED = 12    /**< ALERT-3: the last alert received resolved; the IC
                                        considers resolving (nothing resolves by itself). */
} inc_due_kind;

/**
 * @brief One due item. Owned by the list it came from; its strings live as
 *        long as the list. The library only ever adds fields at the end.
 */
typedef struct inc_due_item {
    const char *incident_id; /**< The incident. */
    inc_due_kind kind;       /**< What is due. */
    const char *kind_name;   /**< Stable name of the kind, such as "escalation". */
    const char *rule_id;     /**< The rule, such as "ESC-1". */
    const char *target;      /**< Who or what: the step's targets ("on-call,backup"),
                                  the acknowledger (ack expired), the audience
                                  ("external"), the communication ("status_page"), the
                                  missing roles ("scribe,comms"), the clock's name;
                                  "" for the acknowledge target. */
    const char *severity;    /**< The incident's level when the item was computed. */
    size_t level_index;      /**< That level's index (0 = most severe). */
    size_t level_count;      /**< The number of levels of the incident's rubric. */
    inc_time due;            /**< When it came due (or comes due). */
    int64_t late_ms;         /**< How late it is delivered: now minus @c due (0 on
                                  time, the time the program was away after a
                                  restart); negative for an item not yet due
                                  (inc_incident_due() looking ahead). */
    const char *text;        /**< One line a person reads. */
    unsigned step;           /**< Escalation: the step, from 1, within the ladder; else 0. */
    unsigned loop;           /**< Escalation: the pass, 0 for the first, 1.. for repeats. */
    uint64_t seq;            /**< The event that recorded the delivery (for an escalation
                                  step, the `page_requested` event to pass to
                                  inc_incident_mark_page_sent()); 0 when not delivered. */
    const char *dedup_key;   /**< A stable key for the item: for an escalation step
                                  "<id>/esc/<level>/<n>" (n = loop x steps + step;
                                  "/r<k>" appended after the k-th reopening, LIFE-4),
                                  else "<id>/<kind_name>/<target>/<due ms>". */
    const char *resolved;    /**< ONC-2: for an escalation step, the people its targets
                                  resolve to through the context's rotations at @c due,
                                  comma-separated ("" when no target names a rotation,
                                  roster or person; see incident/oncall.h); "" for
                                  other kinds. */
} inc_due_item;

/** @brief A list of due items (opaque). */
typedef struct inc_due_list inc_due_list;

/**
 * @brief The number of items in a list.
 * @param list The list.
 * @return The count; 0 if @p list is NULL.
 */
INC_API size_t inc_due_list_count(const inc_due_list *list);

/**
 * @brief One item of a list, in order of due time.
 * @param list The list.
 * @param index 0-based, below inc_due_list_count().
 * @return The item (owned by @p list), or NULL if out of range.
 */
INC_API const inc_due_item *inc_due_list_at(const inc_due_list *list, size_t index);

/**
 * @brief Free a list.
 * @param list The list, or NULL (then nothing happens).
 */
INC_API void inc_due_list_free(inc_due_list *list);

/**
 * @brief The stable name of a kind: "escalation", "ack", "ack_expired",
 *        "heartbeat", "comm", "staffing", "scribe", "deadline_reminder",
 *        "deadline", "postmortem", "action_item".
 * @param kind A due-item kind.
 * @return A static string, never to be freed; NULL for a value that is not
 *         a kind.
 */
INC_API const char *inc_due_kind_name(inc_due_kind kind);

/* ---- one incident ------------------------------------------------------- */

/**
 * @brief The earliest time at which something not yet delivered is due for
 *        the incident (possibly in the past: then it is due now).
 * @param inc The incident.
 * @return The time, or #INC_TIME_NONE when nothing is scheduled (closed
 *         with no open action item, resolved with neither running deadline
 *         clocks nor a postmortem or action item owed, or NULL).
 */
INC_API inc_time inc_incident_next_due(const inc_incident *inc);

/**
 * @brief List what is due and not yet delivered, without recording anything:
 *        every item due at or before now (by the context's clock) plus
 *        @p within_ms.
 * @param inc The incident.
 * @param within_ms How far to look ahead (0: only what is due now).
 * @param[out] out Receives the list (possibly empty); free it with inc_due_list_free().
 * @return #INC_OK, #INC_EINVAL (NULL arguments, negative @p within_ms), #INC_ENOMEM.
 */
INC_API int inc_incident_due(inc_incident *inc, int64_t within_ms, inc_due_list **out);

/**
 * @brief Deliver what is due now: record each item on the timeline (it is
 *        then never delivered again) and return it, earliest first.
 *
 * Use this for a handful of incidents; an #inc_scheduler does the same
 * across many.
 * @param inc The incident.
 * @param actor Who records the deliveries (the program's name, such as "pager").
 * @param max Deliver at most this many (0: no limit); the rest stay due.
 * @param[out] out Receives the list; free it with inc_due_list_free(). Set
 *        even when the call fails part way: the items in it were recorded,
 *        so act on them.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM, #INC_ECONFLICT (another writer
 *         appended first: inc_incident_reload() and call again), or a store
 *         error. An item whose record failed is not in the list and stays due.
 */
INC_API int inc_incident_deliver_due(inc_incident *inc, const char *actor, size_t max,
                                     inc_due_list **out);

/* ---- paging records (ESC-2, ESC-3) ---------------------------------------- */

/**
 * @brief Record a page the program makes outside the escalation ladder,
 *        such as the first page at declaration or a page an IC asks for
 *        (escalation steps record theirs when delivered).
 * @param inc The incident.
 * @param actor Who asks for the page.
 * @param target Who is paged: comma-separated targets (1..256 bytes, one line).
 * @param text Why, or NULL.
 * @param[out] seq Receives the `page_requested` event's sequence number (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ESTATE (closed), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_request_page(inc_incident *inc, const char *actor, const char *target,
                                      const char *text, uint64_t *seq);

/**
 * @brief Record that a requested page was sent to a person (the person the
 *        target resolved to at the time of the page, ONC-2). Call it once
 *        per person reached.
 * @param inc The incident.
 * @param actor Who reports it (the program).
 * @param request_seq The `page_requested` event (inc_due_item::seq).
 * @param person Whom the page reached.
 * @return #INC_OK, #INC_EINVAL (bad name), #INC_ENOTFOUND (@p request_seq is
 *         not a page request of this incident), #INC_EEXIST (already
 *         recorded for that person), #INC_ESTATE (closed), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_mark_page_sent(inc_incident *inc, const char *actor, uint64_t request_seq,
                                        const char *person);

/**
 * @brief Record an acknowledgement (ESC-3). It stops the unacknowledged
 *        escalation steps until it expires (the level's ack timeout without
 *        a CAN report, status update or state change; a new acknowledgement
 *        renews it). Anyone may acknowledge (normally someone paged); who
 *        did is recorded.
 * @param inc The incident.
 * @param person Who acknowledges.
 * @param page_seq The page acknowledged (a `page_requested` event), or 0.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND (bad @p page_seq),
 *         #INC_ESTATE (closed), #INC_ECONFLICT, #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_acknowledge(inc_incident *inc, const char *person, uint64_t page_seq);

/**
 * @brief When the current acknowledgement was made (ESC-3).
 * @param inc The incident.
 * @return The time; #INC_TIME_NONE when unacknowledged (never acknowledged,
 *         or the acknowledgement's expiry was delivered as an
 *         #INC_DUE_ACK_EXPIRED item) or if @p inc is NULL.
 */
INC_API inc_time inc_incident_acknowledged_at(const inc_incident *inc);

/**
 * @brief Who made the current acknowledgement (ESC-3).
 * @param inc The incident.
 * @return The person, owned by @p inc and valid until inc_incident_reload()
 *         or inc_incident_free(); NULL when unacknowledged (as for
 *         inc_incident_acknowledged_at()) or if @p inc is NULL.
 */
INC_API const char *inc_incident_acknowledged_by(const inc_incident *inc);

/**
 * @brief When the incident was first acknowledged (for MTTA).
 * @param inc The incident.
 * @return The time of the first acknowledgement ever, even if it has
 *         expired since; #INC_TIME_NONE if none was made or if @p inc is NULL.
 */
INC_API inc_time inc_incident_first_ack_at(const inc_incident *inc);

/**
 * @brief When the first page was requested (for MTTA: page -> acknowledgement).
 * @param inc The incident.
 * @return The time of the first `page_requested` event; #INC_TIME_NONE if
 *         none was recorded or if @p inc is NULL.
 */
INC_API inc_time inc_incident_first_page_at(const inc_incident *inc);

/**
 * @brief One page: a request and the person it reached. A request reported
 *        sent to two people gives two pages; one not yet reported sent gives
 *        one page with no person.
 */
typedef struct inc_page {
    uint64_t request_seq;  /**< The `page_requested` event. */
    inc_time requested_at; /**< When it was requested. */
    const char *target;    /**< The targets requested. */
    const char *severity;  /**< For an escalation step, its level; else NULL. */
    unsigned step;         /**< For an escalation step, the step from 1; else 0. */
    unsigned loop;         /**< For an escalation step, the pass; else 0. */
    const char *person;    /**< Whom it reached, or NULL while not reported sent. */
    inc_time sent_at;      /**< When it was reported sent, or #INC_TIME_NONE. */
    uint64_t sent_seq;     /**< The `page_sent` event, or 0. */
    const char *resolved;  /**< ONC-2: the people the targets resolved to through the
                                context's rotations when the page was requested (or,
                                for an escalation step, came due), comma-separated, as
                                recorded on the timeline; NULL when none did. */
} inc_page;

/**
 * @brief The number of pages (see #inc_page).
 * @param inc The incident.
 * @return The count; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_page_count(const inc_incident *inc);

/**
 * @brief One page, in the order of the records.
 * @param inc The incident.
 * @param index 0-based, below inc_incident_page_count().
 * @return The page (owned by @p inc, valid until its next write or reload), or NULL.
 */
INC_API const inc_page *inc_incident_page(const inc_incident *inc, size_t index);

/* ---- deadline clocks (REG-1) -------------------------------------------- */

/** @brief Where a deadline clock stands. */
typedef enum inc_deadline_clock_status {
    INC_DEADLINE_CLOCK_RUNNING =
        0,                         /**< Started and not stopped (overdue once past its deadline). */
    INC_DEADLINE_CLOCK_MET = 1,    /**< Stopped as met by its deadline. */
    INC_DEADLINE_CLOCK_MISSED = 2, /**< Stopped as met, but after its deadline. */
    INC_DEADLINE_CLOCK_CANCELLED = 3 /**< Stopped as not needed (started in error, say). */
} inc_deadline_clock_status;

/** @brief A named deadline clock. */
typedef struct inc_deadline_clock {
    const char *name;                 /**< Its name, unique among the running clocks. */
    const char *text;                 /**< What it is for ("" if none was given). */
    const char *started_by;           /**< The IC who started it. */
    inc_time started_at;              /**< When it was started. */
    inc_time deadline;                /**< When it must be met. */
    int64_t remind_before_ms;         /**< Reminder this long before the deadline, or
                                           #INC_DURATION_NONE. */
    inc_deadline_clock_status status; /**< Where it stands. */
    int overdue;            /**< 1 when running and past its deadline (context's clock). */
    const char *stopped_by; /**< Who stopped it, or NULL. */
    inc_time stopped_at;    /**< When, or #INC_TIME_NONE. */
    uint64_t seq;           /**< The `clock_started` event. */
} inc_deadline_clock;

/**
 * @brief Start a named deadline clock, such as a 72 h breach notification
 *        (REG-1). Only the IC may (AUTH-1). It is due at its deadline (and
 *        at its reminder) like any other due item until stopped.
 * @param inc The incident (not closed; a resolved incident may still start one).
 * @param actor The current IC.
 * @param name The clock's name (1..64 bytes, one line), unique among running clocks.
 * @param deadline When it must be met (absolute, so a clock that runs from
 *        the moment the team became aware can start late).
 * @param remind_before_ms Remind this long before the deadline (positive),
 *        or #INC_DURATION_NONE.
 * @param text What it is for, or NULL.
 * @return #INC_OK, #INC_EINVAL, #INC_EEXIST (a clock of that name is running),
 *         #INC_EPERM (not the IC), #INC_ESTATE (closed), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_start_deadline_clock(inc_incident *inc, const char *actor,
                                              const char *name, inc_time deadline,
                                              int64_t remind_before_ms, const char *text);

/**
 * @brief Stop a running deadline clock, as met or as cancelled (REG-1);
 *        recorded. Met after the deadline shows as #INC_DEADLINE_CLOCK_MISSED.
 *        Only the IC may (AUTH-1).
 * @param inc The incident.
 * @param actor The current IC.
 * @param name The running clock's name.
 * @param cancelled 0: met (the notification was made); non-zero: cancelled.
 * @param text A note (the reference of the filing, say), or NULL.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND (no running clock of that
 *         name), #INC_EPERM, #INC_ESTATE (closed), #INC_ECONFLICT,
 *         #INC_ENOMEM, or a store error.
 */
INC_API int inc_incident_stop_deadline_clock(inc_incident *inc, const char *actor, const char *name,
                                             int cancelled, const char *text);

/**
 * @brief The number of deadline clocks ever started on the incident.
 * @param inc The incident.
 * @return The count, running and stopped; 0 if @p inc is NULL.
 */
INC_API size_t inc_incident_deadline_clock_count(const inc_incident *inc);

/**
 * @brief Read one deadline clock, in the order they were started.
 * @param inc The incident.
 * @param index 0-based, below inc_incident_deadline_clock_count().
 * @param[out] out Receives it; strings owned by @p inc, valid until
 *        inc_incident_reload() or inc_incident_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND (out of range).
 */
INC_API int inc_incident_get_deadline_clock(const inc_incident *inc, size_t index,
                                            inc_deadline_clock *out);

/**
 * @brief The stable name of a deadline status: "running", "met", "missed", "cancelled".
 * @param status A deadline status.
 * @return A static string, never to be freed; NULL for a value that is not
 *         a status.
 */
INC_API const char *inc_deadline_clock_status_name(inc_deadline_clock_status status);

/* ---- payloads: PagerDuty Events API v2 ------------------------------------ */

/**
 * @brief Render a due item as a PagerDuty Events API v2 `trigger` event, a
 *        JSON document a program can POST to https://events.pagerduty.com/v2/enqueue
 *        as it is (fields in lib/docs/due-items.md): `routing_key`,
 *        `event_action` "trigger", `dedup_key` (inc_due_item::dedup_key),
 *        `payload.summary` (the item's text, cut to 1024 bytes),
 *        `payload.severity` mapped from the rubric level (the least severe
 *        level "info", the next "warning", the next "error", every more
 *        severe one "critical"; rubrics of fewer than four levels map from
 *        the top: "critical", "error", "warning"), `payload.source`,
 *        `payload.timestamp` (the due time, ISO 8601), `payload.class` (the
 *        kind), `payload.group` (the incident id) and `payload.custom_details`
 *        (with `head`, the incident's checkpoint `SEQ:HASH` after the item's
 *        delivery, TL-5, incident/seal.h); with @p incident_url also
 *        `client` ("libincident"), `client_url` and `links` (one link to
 *        the incident, text "Incident <id>"). Send it when the item is
 *        delivered; send inc_pagerduty_event() "acknowledge" with the same
 *        `dedup_key` when the incident is acknowledged and "resolve" when
 *        the item no longer holds (it is not in the next inc_incident_due()).
 * @param list The list.
 * @param index The item's index.
 * @param routing_key The Events API v2 integration key: 32 letters and digits.
 * @param source The `payload.source`, or NULL for "libincident".
 * @param incident_url The incident's page (an http:// or https:// URL of at
 *        most 2048 bytes, no blanks, quotes or angle brackets), or NULL for
 *        no links.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL or bad arguments), #INC_ENOTFOUND
 *         (index out of range), #INC_ENOMEM.
 */
INC_API int inc_due_list_pagerduty(const inc_due_list *list, size_t index, const char *routing_key,
                                   const char *source, const char *incident_url, char **out,
                                   size_t *len);

/**
 * @brief Render a PagerDuty Events API v2 `acknowledge` or `resolve` event
 *        for an alert triggered with @p dedup_key.
 * @param action "acknowledge" or "resolve".
 * @param routing_key The integration key: 32 letters and digits.
 * @param dedup_key The alert's key (1..255 bytes), as inc_due_item::dedup_key.
 * @param[out] out Receives the JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_pagerduty_event(const char *action, const char *routing_key, const char *dedup_key,
                                char **out, size_t *len);

/**
 * @brief The PagerDuty Events API v2 events one timeline event calls for,
 *        so a program that follows the change feed (incident/feed.h)
 *        keeps PagerDuty's alerts in step with the incident: a page
 *        triggers an alert, an acknowledgement acknowledges it, and what
 *        satisfies it resolves it (lib/docs/wire-formats.md, "PagerDuty
 *        from the timeline").
 *
 * | event | bodies |
 * |---|---|
 * | `page_requested` (an ESC-1 ladder step, or a page the program asked for) | `trigger` |
 * | `due_delivered` of an ESC-3 `ack` / `ack_expired` item or a REG-1 `deadline` | `trigger` |
 * | `acknowledged` | `acknowledge` for each open page not yet acknowledged; `resolve` for each open ESC-3 item |
 * | `state_changed` to resolved | `resolve` for each open page and ESC-3 item (a deadline outlives the outage) |
 * | closed: `state_changed` to closed, a `linked` duplicate_of (LIFE-5), the postmortem Final (PM-1) | `resolve` for every open alert |
 * | `clock_stopped` | `resolve` for that clock's open deadline |
 * | anything else | none |
 *
 * Every alert keeps one `dedup_key` from its trigger to its resolve, the
 * one inc_due_item::dedup_key gives the same item: "<id>/esc/<level>/<n>"
 * (with "/r<k>" after the k-th reopening) for a ladder step,
 * "<id>/<kind_name>/<target>/<due ms>" for a due item, and
 * "<id>/page/<seq>" for a page the program requested. What is open at
 * event @p seq is read from the events before it, so asking twice (a
 * consumer that restarts) gives the same bodies.
 *
 * @param inc The incident.
 * @param seq The event (1 .. inc_incident_event_count()), as
 *        inc_feed_item::seq.
 * @param routing_key The Events API v2 integration key: 32 letters and digits.
 * @param source The triggers' `payload.source`, or NULL for "libincident".
 * @param incident_url The incident's page (as for inc_due_list_pagerduty()),
 *        or NULL: a trigger then has no `client`, `client_url` or `links`
 *        (acknowledge and resolve carry only the key, as the API defines).
 * @param[out] out Receives the bodies, one JSON document per line (lines
 *        separated by line feeds, none after the last), "" when the event calls for
 *        none; free it with inc_free().
 * @param[out] count Receives the number of bodies (may be NULL).
 * @return #INC_OK; #INC_EINVAL (NULL, @p seq 0, a routing key that is not
 *         32 letters and digits, a bad source or URL); #INC_ENOTFOUND (@p
 *         seq past the last event); #INC_ENOMEM. On error *out is NULL.
 */
INC_API int inc_incident_pagerduty_json(const inc_incident *inc, uint64_t seq,
                                        const char *routing_key, const char *source,
                                        const char *incident_url, char **out, size_t *count);

#ifdef __cplusplus
}
#endif

#endif
