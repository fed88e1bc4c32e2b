/**
 * @file incident/feed.h
 * @brief The change feed: every new event of a store, once, in order per
 *        incident, from a cursor the consumer keeps (issue 19, "changes out").
 *
 * A program that sends the library's changes elsewhere (Slack, a status
 * page, a webhook) opens a feed at the cursor it saved, polls it, sends
 * each item and saves the new cursor (inc_feed_cursor()). The cursor is a
 * string holding, per incident, the last sequence number delivered:
 * `libincident-feed 1` followed by ` <id>=<seq>` per incident, in id order.
 * It is the consumer's: the library keeps nothing, so a feed is restart-safe
 * by construction, and several consumers keep several cursors.
 *
 * Each item carries its **idempotency key**, the incident id and the
 * sequence number: the pair never names two events (TL-1: numbers are never
 * reused), so a receiver that remembers the keys it has seen drops repeats.
 *
 * ## A crash between sending and saving: at least once
 *
 * The cursor moves in memory as each item's callback returns 0; it reaches
 * disk only when the consumer saves inc_feed_cursor()'s text. A consumer
 * that sends an item and stops before saving the cursor gets that item (and
 * every later one) again from its saved cursor after a restart: delivery is
 * **at least once**, never lost and never out of order within an incident.
 * Saving the cursor before sending would make it at most once (an item can
 * be lost); the library does not offer that order. Send with the idempotency
 * key so the receiver can drop the duplicates.
 *
 * ## Waiting
 *
 * inc_feed_wait() sleeps until new events may be there or the timeout
 * passes. By default it polls the store every #INC_FEED_POLL_MS; a program
 * whose store can notify changes sets its own wait with
 * inc_feed_set_wait().
 */
#ifndef INCIDENT_FEED_H
#define INCIDENT_FEED_H

#include "incident/context.h"
#include "incident/incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How often the default wait looks at the store: 200 ms. */
#define INC_FEED_POLL_MS 200

/** @brief A feed over a context's store, at a cursor. Not thread-safe. */
typedef struct inc_feed inc_feed;

/** @brief One event delivered (borrowed: valid during the callback only). */
typedef struct inc_feed_item {
    const char *incident_id; /**< The incident (with @p seq, the idempotency key). */
    uint64_t seq;            /**< The event's sequence number in its incident. */
    inc_event_kind kind;     /**< Its kind. */
    inc_time time;           /**< When it was recorded. */
    const char *actor;       /**< Who recorded it. */
    const char *text;        /**< The timeline line of the event, not escaped. */
    const void *data;        /**< The stored bytes (lib/docs/events.md). */
    size_t len;              /**< Their length. */
} inc_feed_item;

/**
 * @brief What the feed calls for each item.
 * @param user The pointer given to inc_feed_poll().
 * @param item The item.
 * @return 0 when it is delivered (the cursor moves past it); non-zero to
 *         stop: the item is not delivered and inc_feed_poll() returns that
 *         value.
 */
typedef int (*inc_feed_cb)(void *user, const inc_feed_item *item);

/**
 * @brief How the feed waits for changes: return when new events may be
 *        there or @p timeout_ms passed (returning early is allowed).
 * @param user The pointer given to inc_feed_set_wait().
 * @param timeout_ms At most how long to wait.
 * @return #INC_OK, or an error inc_feed_wait() returns.
 */
typedef int (*inc_feed_wait_fn)(void *user, int64_t timeout_ms);

/**
 * @brief Open a feed at a cursor.
 * @param ctx The context whose store is read; must outlive the feed.
 * @param cursor A cursor from inc_feed_cursor(), or NULL or "" for the
 *        beginning (every event of every incident).
 * @param[out] out Receives the feed; free it with inc_feed_free().
 * @return #INC_OK; #INC_EINVAL (NULL, a malformed cursor: the message says
 *         where), #INC_EVERSION (a cursor of a newer format), #INC_ENOMEM.
 *         The message is on @p ctx (inc_context_errmsg()).
 */
INC_API int inc_feed_new(inc_context *ctx, const char *cursor, inc_feed **out);

/**
 * @brief Free a feed. NULL is allowed.
 * @param feed The feed.
 */
INC_API void inc_feed_free(inc_feed *feed);

/**
 * @brief The message of the feed's last failure ("" if none).
 * @param feed The feed.
 * @return The message, owned by @p feed; "" for NULL.
 */
INC_API const char *inc_feed_errmsg(const inc_feed *feed);

/**
 * @brief Deliver the events written since the cursor: incidents in id
 *        order, each incident's events in sequence order.
 * @param feed The feed.
 * @param max At most this many items (0: no limit).
 * @param cb Called for each item.
 * @param user Passed to @p cb.
 * @param[out] delivered Receives how many items were delivered; may be NULL.
 * @return #INC_OK; the callback's non-zero value if it stopped; #INC_EINVAL
 *         (NULL); #INC_ECORRUPT (an event that does not decode), #INC_ENOMEM
 *         or a store error. The cursor stays past the items delivered.
 */
INC_API int inc_feed_poll(inc_feed *feed, size_t max, inc_feed_cb cb, void *user,
                          size_t *delivered);

/**
 * @brief The cursor after the items delivered so far, to save.
 * @param feed The feed.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @return #INC_OK, #INC_EINVAL (NULL), #INC_ENOMEM.
 */
INC_API int inc_feed_cursor(const inc_feed *feed, char **out);

/**
 * @brief Replace how inc_feed_wait() waits (another store's change
 *        notification, a condition variable).
 * @param feed The feed.
 * @param wait The wait, or NULL for the default (sleeping #INC_FEED_POLL_MS
 *        at a time).
 * @param user Passed to @p wait.
 * @return #INC_OK, #INC_EINVAL (NULL feed).
 */
INC_API int inc_feed_set_wait(inc_feed *feed, inc_feed_wait_fn wait, void *user);

/**
 * @brief Wait until the store has events past the cursor or @p timeout_ms
 *        passes, looking again after each wait.
 * @param feed The feed.
 * @param timeout_ms How long to wait at most (0: look once).
 * @param[out] ready Receives 1 when there are new events, 0 on timeout; may be NULL.
 * @return #INC_OK; #INC_EINVAL (NULL, a negative timeout); the wait's error,
 *         #INC_ENOMEM or a store error.
 */
INC_API int inc_feed_wait(inc_feed *feed, int64_t timeout_ms, int *ready);

#ifdef __cplusplus
}
#endif

#endif
