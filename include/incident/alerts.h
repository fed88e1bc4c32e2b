/**
 * @file incident/alerts.h
 * @brief Alerts in (ALERT-1..ALERT-3): a routing file read into a router,
 *        and the intake of Prometheus Alertmanager webhooks (version 4) and
 *        PagerDuty Events API v2 events.
 *
 * The documents and the routing file's format are in lib/docs/alert-routing.md.
 * For each alert of a document the router finds the first rule that matches
 * (ALERT-1) and the alert's group key, then:
 *
 * | the group | the alert | what is written |
 * |---|---|---|
 * | has an open incident, last alert within the group window | any status | an `alert_received` event the first time the fingerprint is seen, on every status change, and at most once per group window for repeats (the count in memory in between) |
 * | has none | firing (trigger), rule `declare = yes` | the incident declared by the integration at the rule's level, title and slug; a hand-off to the rotation's primary on call (ROLE-2: the primary becomes IC by confirming); the `alert_received` event; a page to the rotation, unless the service is in a maintenance window (ALERT-2) |
 * | has none | resolved, acknowledged, or `declare = no` | nothing (counted as not routed) |
 *
 * A PagerDuty `acknowledge` or `resolve` carries only its `dedup_key`: it
 * is not routed by labels but reaches the open incident its `trigger`
 * reached (the router knows the key from the trigger, or from the store
 * after a restart); an unknown key is not routed.
 *
 * A resolved alert never resolves the incident: the `alert_received` event
 * records it, and while the last alert received is resolved the IC has an
 * #INC_DUE_ALERT_RESOLVED item to consider resolution (ALERT-3, AUTH-1).
 *
 * ## The bound on events in a storm
 *
 * Per incident, the intake writes at most, for each distinct fingerprint,
 * 1 + (its status changes) + (the storm's duration / the group window)
 * `alert_received` events, plus the declaration, the hand-off and one page.
 * 10,000 repeats of one firing fingerprint within a group window write one
 * event; inc_alert_router_flush() writes the counts not yet written (one
 * event per fingerprint that has some).
 *
 * ## After a restart
 *
 * The group key is stored in each `alert_received` event. A router finds the
 * open incidents of its groups by reading the store once, at its first
 * intake: every incident not resolved, the group's incident with the latest
 * alert, and per fingerprint the count, status and time of its last event,
 * so repeats keep their window and their count across restarts (a CLI that
 * runs once per alert writes no more events than a long-running receiver).
 * Repeats counted but not yet written when a process stops are lost (at
 * most one group window's worth per fingerprint); call
 * inc_alert_router_flush() before stopping.
 */
#ifndef INCIDENT_ALERTS_H
#define INCIDENT_ALERTS_H

#include "incident/context.h"
#include "incident/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A routing file read for intake; owns its alert state. Not thread-safe. */
typedef struct inc_alert_router inc_alert_router;

/** @brief What one inc_alert_router_intake() did (filled by the library; frozen). */
typedef struct inc_alert_outcome {
    size_t alerts;   /**< Alerts in the document. */
    size_t attached; /**< Alerts that reached an open incident (declared by this call or before). */
    size_t declared; /**< Incidents declared. */
    size_t recorded; /**< `alert_received` events written. */
    size_t paged;    /**< Pages requested (one per declaration outside maintenance). */
    size_t suppressed; /**< Declarations not paged: the service was in maintenance (ALERT-2). */
    size_t
        unrouted; /**< Alerts no rule matched, or with no open incident and nothing to declare. */
    char incident_id[INC_ID_MAX + 1]; /**< The last incident an alert reached, "" if none. */
} inc_alert_outcome;

/**
 * @brief Read a routing file (lib/docs/alert-routing.md) into a router that
 *        takes alerts into the incidents of @p ctx's store. Levels are
 *        checked against @p ctx's rubric; zones load from its zone directory.
 * @param ctx The context (its store, clock, rubric and rotations); must
 *        outlive the router.
 * @param file The file's name for messages ("routes.txt"); NULL for "routing".
 * @param text The routing text (need not be NUL-terminated).
 * @param len Its length in bytes (at most 1 MiB).
 * @param[out] out Receives the router; free it with inc_alert_router_free().
 * @param[out] diag Receives the failure (code, line, message naming the file
 *        and the line); may be NULL.
 * @return #INC_OK; #INC_EINVAL (a NULL argument, an unknown level or a bad
 *         value), #INC_EPARSE, #INC_EEXIST (a rule defined twice),
 *         #INC_ENOTFOUND (a zone that does not load), #INC_ETOOBIG,
 *         #INC_ENOMEM. Nothing is kept on failure.
 */
INC_API int inc_alert_router_parse(inc_context *ctx, const char *file, const char *text, size_t len,
                                   inc_alert_router **out, inc_diag *diag);

/**
 * @brief Free a router (without writing its pending counts: see
 *        inc_alert_router_flush()). NULL is allowed.
 * @param router The router.
 */
INC_API void inc_alert_router_free(inc_alert_router *router);

/**
 * @brief The message of the router's last failure ("" if none).
 * @param router The router.
 * @return The message, owned by @p router, valid until its next call; "" for NULL.
 */
INC_API const char *inc_alert_router_errmsg(const inc_alert_router *router);

/**
 * @brief Take in one alert document: an Alertmanager webhook (version 4) or
 *        a PagerDuty Events v2 event (routing as in the table above).
 *
 * The document is read whole before anything is written: a bad document
 * writes nothing. A failure while writing (a store error, memory) stops at
 * that alert: the alerts before it are taken in (@p out says how many).
 * @param router The router.
 * @param doc The JSON document (need not be NUL-terminated).
 * @param len Its length (at most 1 MiB).
 * @param[out] out Receives what was done; may be NULL.
 * @return #INC_OK; #INC_EINVAL (NULL arguments; a wrong version, an unknown
 *         status or event action, an alert without labels; a rule's rotation
 *         the context does not have or without a primary on call now, with
 *         nothing written for that alert), #INC_EPARSE (not JSON),
 *         #INC_ETOOBIG (over 1 MiB, a key over 255 bytes), #INC_ENOMEM, or a
 *         store error; the message in inc_alert_router_errmsg().
 */
INC_API int inc_alert_router_intake(inc_alert_router *router, const char *doc, size_t len,
                                    inc_alert_outcome *out);

/**
 * @brief Write the repeat counts not yet written: one `alert_received`
 *        event per fingerprint whose count grew since its last event.
 * @param router The router.
 * @param[out] written Receives the number of events written; may be NULL.
 * @return #INC_OK, #INC_EINVAL (NULL), #INC_ENOMEM, or a store error.
 */
INC_API int inc_alert_router_flush(inc_alert_router *router, size_t *written);

#ifdef __cplusplus
}
#endif

#endif
