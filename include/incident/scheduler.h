/**
 * @file incident/scheduler.h
 * @brief The scheduler: what is due across many incidents, delivered once
 *        (ESC-2). The due items themselves, and what is due for one
 *        incident, are in incident/due.h.
 *
 * **Many incidents.** An #inc_scheduler keeps every tracked incident's next
 * due time in a binary heap: inc_scheduler_next_due() is O(1) and
 * inc_scheduler_poll() costs in proportion to the items due, not to the
 * number of open incidents. Every write through any incident handle of the
 * scheduler's context updates the incident's place (incidents declared
 * through the context are tracked from their declaration).
 *
 * A complete pager loop (see also `examples/pager` and
 * `lib/docs/due-items.md`):
 * @code
 * #include <incident.h>
 * #include <stdio.h>
 *
 * static void act(inc_context *ctx, const inc_due_item *it)
 * {
 *     inc_incident *inc;
 *     uint64_t page_seq = it->seq;
 *     printf("%s late %lld ms: %s\n", it->rule_id, (long long)it->late_ms, it->text);
 *     if (it->kind != INC_DUE_ESCALATION)
 *         return; // heartbeats, deadlines, ... go to a person or a channel
 *     // ... page it->target through the paging system ...
 *     if (inc_incident_open(ctx, it->incident_id, &inc) != INC_OK)
 *         return;
 *     inc_incident_mark_page_sent(inc, "pager", page_seq, "bob"); // whom it reached
 *     inc_incident_free(inc); // the write has moved the incident in the scheduler
 * }
 *
 * int run(inc_context *ctx)
 * {
 *     inc_scheduler *s;
 *     int rc = inc_scheduler_new(ctx, NULL, &s);
 *     if (rc == INC_OK)
 *         rc = inc_scheduler_load(s); // every incident of the store that is not closed
 *     while (rc == INC_OK) {
 *         inc_time next = inc_scheduler_next_due(s);
 *         inc_due_list *due = NULL;
 *         size_t i;
 *         sleep_until(next); // the program's own wait; INC_TIME_NONE: nothing scheduled
 *         rc = inc_scheduler_poll(s, 0, &due); // records each delivery on its timeline
 *         for (i = 0; i < inc_due_list_count(due); i++)
 *             act(ctx, inc_due_list_at(due, i)); // act even when rc is an error
 *         inc_due_list_free(due);
 *         if (rc != INC_OK)
 *             fprintf(stderr, "%s\n", inc_scheduler_errmsg(s)), rc = INC_OK;
 *     }
 *     inc_scheduler_free(s);
 *     return rc;
 * }
 * @endcode
 */
#ifndef INCIDENT_SCHEDULER_H
#define INCIDENT_SCHEDULER_H

#include "common.h"
#include "context.h"
#include "due.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A scheduler over the incidents of one context (opaque). */
typedef struct inc_scheduler inc_scheduler;

/** @brief Options for inc_scheduler_new(). Fill with #INC_SCHEDULER_OPTIONS_INIT or
 * inc_scheduler_options_init(). */
typedef struct inc_scheduler_options {
    unsigned int version; /**< #INC_SCHEDULER_OPTIONS_VERSION */
    const char *actor;    /**< Who records deliveries; NULL for "scheduler". Copied. */
    size_t max_open;      /**< How many incident handles to keep open between polls
                               (least recently used go first); 0 for 64. */
} inc_scheduler_options;

/** @brief The current version of #inc_scheduler_options. */
#define INC_SCHEDULER_OPTIONS_VERSION 1
/** @brief Initializer for #inc_scheduler_options: every default. */
#define INC_SCHEDULER_OPTIONS_INIT                                                                 \
    {                                                                                              \
        INC_SCHEDULER_OPTIONS_VERSION, NULL, 0                                                     \
    }

/**
 * @brief Fill @p opts with the defaults of #inc_scheduler_options version @p version (what
 *        #INC_SCHEDULER_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_SCHEDULER_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_scheduler_options_init(inc_scheduler_options *opts, unsigned int version);

/**
 * @brief Create the scheduler of a context. From then on every write
 *        through any incident handle of @p ctx reschedules that incident,
 *        and every incident declared through @p ctx is tracked. A context
 *        has at most one scheduler; free it before the context.
 * @param ctx The context.
 * @param opts Options, or NULL for the defaults.
 * @param[out] out Receives the scheduler; free it with inc_scheduler_free().
 * @return #INC_OK, #INC_EINVAL, #INC_EVERSION, #INC_EEXIST (the context has
 *         a scheduler), #INC_ENOMEM.
 */
INC_API int inc_scheduler_new(inc_context *ctx, const inc_scheduler_options *opts,
                              inc_scheduler **out);

/**
 * @brief Free a scheduler and detach it from its context (the timelines are
 *        not affected).
 * @param s The scheduler, or NULL (then nothing happens).
 */
INC_API void inc_scheduler_free(inc_scheduler *s);

/**
 * @brief The message of the last failure on @p s.
 * @param s The scheduler (may be NULL).
 * @return A string owned by @p s, valid until its next call; "" if none or
 *         if @p s is NULL. Never NULL, never to be freed.
 */
INC_API const char *inc_scheduler_errmsg(const inc_scheduler *s);

/**
 * @brief Track every incident of the context's store that has something
 *        due or to come (after a start or a restart): every incident not
 *        closed, and closed ones with open action items (PM-3). Incidents
 *        tracked already are re-read.
 * @param s The scheduler.
 * @return #INC_OK, #INC_ENOMEM, or the first error opening an incident or
 *         listing the store (the others are still tracked).
 */
INC_API int inc_scheduler_load(inc_scheduler *s);

/**
 * @brief Track one incident, or re-read it when tracked (call it after
 *        another process, or an import, changed the incident's timeline).
 * @param s The scheduler.
 * @param id The incident id.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND, #INC_ENOMEM, or an error
 *         opening the incident.
 */
INC_API int inc_scheduler_watch(inc_scheduler *s, const char *id);

/**
 * @brief Stop tracking an incident (until its next write through the context).
 * @param s The scheduler.
 * @param id The incident id.
 * @return #INC_OK, #INC_EINVAL (NULL arguments), #INC_ENOTFOUND (not tracked).
 */
INC_API int inc_scheduler_forget(inc_scheduler *s, const char *id);

/**
 * @brief The number of incidents with something scheduled.
 * @param s The scheduler.
 * @return The count; 0 if @p s is NULL.
 */
INC_API size_t inc_scheduler_count(const inc_scheduler *s);

/**
 * @brief The earliest due time over every tracked incident, O(1).
 * @param s The scheduler.
 * @return The time (in the past when something is due now), or
 *         #INC_TIME_NONE when nothing is scheduled or if @p s is NULL.
 */
INC_API inc_time inc_scheduler_next_due(const inc_scheduler *s);

/**
 * @brief Deliver everything due now (by the context's clock) across the
 *        tracked incidents: each item is recorded on its incident's
 *        timeline (so it is never delivered again) and returned, in order of
 *        due time per incident, incidents in order of their earliest item.
 *        Cost: O(k log n) for k items due, plus opening the incidents that
 *        have them.
 *
 * An incident another writer changed meanwhile is re-read and checked
 * again, so nothing already handled elsewhere is delivered. An incident
 * that cannot be read or written is skipped and retried after a second;
 * the call then returns that error with the others' items.
 * @param s The scheduler.
 * @param max Deliver at most this many (0: no limit); the rest stay due.
 * @param[out] out Receives the list (possibly empty); free it with
 *        inc_due_list_free(). Set whenever it could be allocated, also
 *        when an error is returned: act on every item in it.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM, or the first store error.
 */
INC_API int inc_scheduler_poll(inc_scheduler *s, size_t max, inc_due_list **out);

#ifdef __cplusplus
}
#endif

#endif
