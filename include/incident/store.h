/**
 * @file incident/store.h
 * @brief Where timelines live: the store handle and the built-in memory store.
 *
 * A store holds each incident's events, in order, as opaque bytes (the event
 * encoding of lib/docs/events.md). The context appends to it and reads from
 * it; nothing else is needed of a store, so any backend that can append and
 * read bytes can hold incidents (incident/sys/store.h). Built in: the memory
 * store (this header) and the journal (incident/journal.h).
 */
#ifndef INCIDENT_STORE_H
#define INCIDENT_STORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A store of incident timelines (opaque). */
typedef struct inc_store inc_store;

/** @brief Longest incident id, in bytes (ids are `[a-z0-9-]`, see inc_incident_id()). */
#define INC_ID_MAX 96

/**
 * @brief Called once per incident id by inc_store_list().
 * @param user The pointer given to inc_store_list().
 * @param id The incident id (valid during the call only).
 * @return 0 to go on, anything else to stop (inc_store_list() then returns it).
 */
typedef int (*inc_store_id_cb)(void *user, const char *id);

/**
 * @brief Create an empty store that keeps everything in memory.
 * @param alloc Allocator to copy, or NULL for the C library's.
 * @param[out] out Receives the store; free it with inc_store_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_store_memory_new(const inc_allocator *alloc, inc_store **out);

/**
 * @brief Close a store and free it (the backend's `free` is called).
 * @param store The store, or NULL (then nothing happens). It must not be
 *        used by a context any more.
 */
INC_API void inc_store_free(inc_store *store);

/**
 * @brief List the ids of every incident in the store, in no particular order.
 * @param store The store.
 * @param cb Called once per id.
 * @param user Passed to @p cb.
 * @return #INC_OK, the callback's non-zero value if it stopped the listing,
 *         or a store error (#INC_EIO, #INC_ECORRUPT, #INC_ENOMEM).
 */
INC_API int inc_store_list(inc_store *store, inc_store_id_cb cb, void *user);

/**
 * @brief Make everything appended so far durable (meaningful for stores with
 *        a deferred sync policy; a no-op for the others).
 * @param store The store.
 * @return #INC_OK (also when the backend has no `sync`), #INC_EINVAL if
 *         @p store is NULL, or a store error such as #INC_EIO; the message
 *         is kept on @p store.
 */
INC_API int inc_store_sync(inc_store *store);

/**
 * @brief Wait until another writer may have appended to the store, or
 *        @p timeout_ms passed: the backend's `wait` (PostgreSQL: a
 *        notification), else a sleep of @p timeout_ms.
 * @param store The store.
 * @param timeout_ms The longest wait in milliseconds (0: only look).
 * @return 1 when something may have changed (always, after the sleep of a
 *         backend without `wait`), 0 when the time passed and nothing was
 *         seen, #INC_EINVAL (NULL store, negative timeout), or a store
 *         error such as #INC_EIO (the message is kept on @p store).
 */
INC_API int inc_store_wait(inc_store *store, int64_t timeout_ms);

/**
 * @brief The message of the last failed call on @p store.
 * @param store The store (may be NULL).
 * @return A string owned by the store, valid until its next call; "" if none
 *         or if @p store is NULL. Never NULL, never to be freed.
 */
INC_API const char *inc_store_errmsg(const inc_store *store);

#ifdef __cplusplus
}
#endif

#endif
