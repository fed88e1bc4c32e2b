/**
 * @file incident/sys/store.h
 * @brief For implementers of a store backend.
 *
 * A backend is a struct of function pointers that begins with a version.
 * Embed #inc_store_backend as the first member of your own struct and cast
 * `self` back in each method. Methods report failure with the library's
 * status codes and may relay a message with inc_error_set().
 *
 * The contract, which the built-in memory and journal stores keep:
 * - Events of an incident are numbered 1, 2, 3, ... without gaps.
 * - `append` adds @c count events at once, numbered `expected_seq + 1` onward,
 *   if and only if the incident's last stored number is `expected_seq`
 *   (0 = the incident does not exist yet); otherwise it returns
 *   #INC_ECONFLICT and stores nothing. It stores all @c count records or
 *   none. The bytes are opaque to the store; it must return them exactly.
 * - `read` calls the callback for each event numbered `from_seq` or more, in
 *   order; #INC_ENOTFOUND if the incident does not exist. If the callback
 *   returns non-zero, `read` stops and returns that value.
 * - `list` calls the callback once for each incident id.
 * - `sync` (optional, may be NULL) makes all appended events durable.
 * - `free` releases the backend; it is called once, by inc_store_free().
 *
 * Version 2 adds two optional methods (NULL: the library does without):
 * - `scan` calls the callback for every event of every incident, the events
 *   of one incident together and in order (1, 2, 3, ...), the incidents in
 *   no particular order: what `list` then `read` for each id would give, in
 *   one pass. A database answers it with one query (one cursor) instead of
 *   one round trip per incident; the store-wide reads (metrics, the action
 *   list) use it when it is there (inc_store_scan()). If the callback
 *   returns non-zero, `scan` stops and returns that value.
 * - `wait` blocks until another writer may have appended (to any incident)
 *   or @c timeout_ms passed, whichever comes first: it returns 1 for "may
 *   have changed" (a spurious 1 is allowed), 0 for "timed out, nothing
 *   seen", or an error. A scheduler in one process calls it between polls
 *   to wake as soon as another process writes (PostgreSQL: LISTEN/NOTIFY).
 *   Without it, inc_store_wait() sleeps the timeout and returns 1.
 *
 * Version 3 adds two optional methods for blobs, byte strings stored once
 * per store under the lowercase hex of their SHA-256 (64 characters), the
 * way git keeps objects. The library keeps the rubric text a declaration
 * records there (RUB-4: the `declared` event carries the hash, the text is
 * stored once per store, not once per incident). Both or neither:
 * - `put_blob` stores @c len bytes under @c key (the library computed the
 *   key from the bytes). Storing a key that is already there succeeds and
 *   changes nothing. The blob must be durable when `put_blob` returns,
 *   whatever the store's sync policy: the library appends the event that
 *   names it right after, and an event whose blob is lost cannot be read.
 *   A blob is never removed or replaced.
 * - `get_blob` calls the callback once with the bytes stored under @c key,
 *   or returns #INC_ENOTFOUND. It need not check the bytes: the library
 *   hashes what it gets and refuses a blob that does not match its key
 *   (#INC_ECORRUPT), so a changed blob is caught like a changed event.
 *   It is called from inside `scan`'s callback too (a store-wide read
 *   replaying a declaration by key): a backend whose scan holds its
 *   connection must answer it all the same (the PostgreSQL store reads its
 *   blobs before the scan's rows and keeps them in memory).
 *
 * A backend without them (versions 1 and 2, or NULL methods) still works:
 * each declaration then carries the rubric text itself, as every
 * declaration did before version 3.
 *
 * A backend built against version 1 (five methods) is still accepted: set
 * `version` to 1 and the library reads only the fields version 1 had.
 */
#ifndef INCIDENT_SYS_STORE_H
#define INCIDENT_SYS_STORE_H

#include "../store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief One event's bytes, handed to `append`. */
typedef struct inc_store_record {
    const void *data; /**< The encoded event. */
    size_t len;       /**< Its length in bytes. */
} inc_store_record;

/**
 * @brief Called by `read` for each event.
 * @param user The pointer given to `read`.
 * @param seq The event's sequence number.
 * @param data The event's bytes (valid during the call only).
 * @param len Their length.
 * @return 0 to go on; anything else stops the read, which returns it.
 */
typedef int (*inc_store_event_cb)(void *user, uint64_t seq, const void *data, size_t len);

/**
 * @brief Called by `scan` (and inc_store_scan()) for each event of each
 *        incident.
 * @param user The pointer given to `scan`.
 * @param id The incident id (valid during the call only).
 * @param seq The event's sequence number (1 starts a new incident).
 * @param data The event's bytes (valid during the call only).
 * @param len Their length.
 * @return 0 to go on; anything else stops the scan, which returns it.
 */
typedef int (*inc_store_scan_cb)(void *user, const char *id, uint64_t seq, const void *data,
                                 size_t len);

/**
 * @brief Called by `get_blob` (and inc_store_get_blob()) with a blob's bytes.
 * @param user The pointer given to `get_blob`.
 * @param data The blob's bytes (valid during the call only).
 * @param len Their length.
 * @return 0, or a non-zero value that `get_blob` returns.
 */
typedef int (*inc_store_blob_cb)(void *user, const void *data, size_t len);

/** @brief The length of a blob key: the lowercase hex of a SHA-256, without the NUL. */
#define INC_STORE_BLOB_KEY_LEN 64

/** @brief A store backend: a versioned table of methods. */
typedef struct inc_store_backend inc_store_backend;

/** @brief The methods of a store backend; see the contract in this file's description. */
struct inc_store_backend {
    unsigned int version; /**< #INC_STORE_BACKEND_VERSION */
    /** Append @p count events at @p expected_seq (all or none). */
    int (*append)(inc_store_backend *self, const char *id, uint64_t expected_seq,
                  const inc_store_record *records, size_t count, inc_error *err);
    /** Read an incident's events from @p from_seq on. */
    int (*read)(inc_store_backend *self, const char *id, uint64_t from_seq, inc_store_event_cb cb,
                void *cb_user, inc_error *err);
    /** List every incident id. */
    int (*list)(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err);
    /** Make appended events durable; may be NULL. */
    int (*sync)(inc_store_backend *self, inc_error *err);
    /** Release the backend. Mandatory. */
    void (*free)(inc_store_backend *self);
    /* Version 2: */
    /** Every event of every incident in one pass; may be NULL. */
    int (*scan)(inc_store_backend *self, inc_store_scan_cb cb, void *cb_user, inc_error *err);
    /** Block until another writer may have appended or @p timeout_ms passed (1, 0 or an
     *  error); may be NULL. */
    int (*wait)(inc_store_backend *self, int64_t timeout_ms, inc_error *err);
    /* Version 3: */
    /** Store @p len bytes under @p key (64 lowercase hex digits of their SHA-256), durably;
     *  idempotent; may be NULL (then `get_blob` must be NULL too). */
    int (*put_blob)(inc_store_backend *self, const char *key, const void *data, size_t len,
                    inc_error *err);
    /** Call @p cb once with the bytes stored under @p key, or return #INC_ENOTFOUND; may be
     *  NULL. */
    int (*get_blob)(inc_store_backend *self, const char *key, inc_store_blob_cb cb, void *cb_user,
                    inc_error *err);
};

/** @brief The current version of #inc_store_backend. */
#define INC_STORE_BACKEND_VERSION 3
/** @brief Initializer for #inc_store_backend. */
#define INC_STORE_BACKEND_INIT                                                                     \
    {                                                                                              \
        INC_STORE_BACKEND_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL            \
    }

/**
 * @brief Fill @p backend with the defaults of #inc_store_backend version @p version (what
 *        #INC_STORE_BACKEND_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] backend The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_STORE_BACKEND_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p backend is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_store_backend_init(inc_store_backend *backend, unsigned int version);

/**
 * @brief Wrap a backend in a store handle.
 * @param backend The backend. Its version is 1..#INC_STORE_BACKEND_VERSION
 *        (its methods are read as that version had them) and `append`,
 *        `read`, `list` and `free` must be set. On success the store owns it
 *        and calls its `free` from inc_store_free(); on failure the caller
 *        still owns it.
 * @param alloc Allocator to copy, or NULL for the C library's.
 * @param[out] out Receives the store.
 * @return #INC_OK, #INC_EINVAL (NULL or missing method), #INC_EVERSION (version 0
 *         or newer than this library), #INC_ENOMEM.
 */
INC_API int inc_store_new(inc_store_backend *backend, const inc_allocator *alloc, inc_store **out);

/**
 * @brief Append events through a store handle (the backend's `append`, with
 *        the message kept on the store). For tools that copy raw timelines.
 * @param store The store.
 * @param id The incident id (`[a-z0-9-]`, at most #INC_ID_MAX bytes).
 * @param expected_seq The incident's last stored sequence number (0 for a
 *        new incident); the events are numbered from `expected_seq + 1`.
 * @param records The events' bytes (borrowed; the store copies them). May be
 *        NULL only if @p count is 0.
 * @param count How many records.
 * @return As the backend's `append`: #INC_OK, #INC_ECONFLICT if the last
 *         stored number is not @p expected_seq (nothing stored), or a store
 *         error (#INC_EIO, #INC_ENOMEM, #INC_EREADONLY, ...); #INC_EINVAL for
 *         NULL arguments or an invalid @p id.
 */
INC_API int inc_store_append(inc_store *store, const char *id, uint64_t expected_seq,
                             const inc_store_record *records, size_t count);

/**
 * @brief Read events through a store handle (the backend's `read`).
 * @param store The store.
 * @param id The incident id.
 * @param from_seq The first sequence number to read (events before it are
 *        skipped).
 * @param cb Called for each event in order (the bytes are valid during the
 *        call only).
 * @param cb_user Passed to @p cb.
 * @return As the backend's `read`: #INC_OK, #INC_ENOTFOUND if the incident
 *         does not exist, the callback's non-zero value if it stopped the
 *         read, or a store error (#INC_EIO, #INC_ECORRUPT, #INC_ENOMEM);
 *         #INC_EINVAL for NULL arguments or an invalid @p id. The message
 *         is kept on @p store.
 */
INC_API int inc_store_read(inc_store *store, const char *id, uint64_t from_seq,
                           inc_store_event_cb cb, void *cb_user);

/**
 * @brief Read every event of every incident: the backend's `scan` when it
 *        has one (one pass), else `list` and then `read` of each id.
 * @param store The store.
 * @param cb Called for each event; the events of one incident come
 *        together and in order, the incidents in no particular order.
 * @param cb_user Passed to @p cb.
 * @return #INC_OK, the callback's non-zero value if it stopped the scan, or
 *         a store error (#INC_EIO, #INC_ECORRUPT, #INC_ENOMEM); #INC_EINVAL
 *         for NULL arguments. The message is kept on @p store.
 */
INC_API int inc_store_scan(inc_store *store, inc_store_scan_cb cb, void *cb_user);

/**
 * @brief Store a blob: its bytes under the hex of their SHA-256 (the
 *        backend's `put_blob`), for tools that copy a store's blobs.
 * @param store The store.
 * @param data The bytes (borrowed; the store copies them). May be NULL only
 *        if @p len is 0.
 * @param len Their length, at most 16 MiB.
 * @param[out] key Receives the key: 64 lowercase hex digits and a NUL. May
 *        be NULL.
 * @return #INC_OK (also when the blob was there already), #INC_EUNSUPPORTED if
 *         the backend keeps no blobs (version 1 or 2, or no `put_blob`),
 *         #INC_ETOOBIG, #INC_EINVAL for NULL arguments, or a store error
 *         (#INC_EIO, #INC_ENOMEM, #INC_EREADONLY, ...). The message is kept
 *         on @p store.
 */
INC_API int inc_store_put_blob(inc_store *store, const void *data, size_t len,
                               char key[INC_STORE_BLOB_KEY_LEN + 1]);

/**
 * @brief Read a blob (the backend's `get_blob`), checked against its key.
 * @param store The store.
 * @param key 64 lowercase hex digits (a SHA-256).
 * @param cb Called once with the bytes, after the library checked that
 *        they hash to @p key (valid during the call only).
 * @param cb_user Passed to @p cb.
 * @return #INC_OK, the callback's non-zero value, #INC_ENOTFOUND if the
 *         store has no such blob, #INC_ECORRUPT if the bytes stored do not
 *         hash to @p key (a changed blob), #INC_EUNSUPPORTED if the backend keeps
 *         no blobs, #INC_EINVAL for NULL arguments or a key that is not 64
 *         lowercase hex digits, or a store error (#INC_EIO, #INC_ENOMEM).
 *         The message is kept on @p store.
 */
INC_API int inc_store_get_blob(inc_store *store, const char *key, inc_store_blob_cb cb,
                               void *cb_user);

/**
 * @brief The key of the blob an event's bytes name: the `rubric_sha256` of a
 *        declaration recorded in a store that keeps blobs (RUB-4).
 *
 * A tool that copies raw events between stores (inc_store_read(),
 * inc_store_append()) must copy that blob first (inc_store_get_blob(),
 * inc_store_put_blob()): an event whose blob is not in the store cannot be
 * read. inc_store_copy_incident() does both.
 * @param data The event's bytes (lib/docs/events.md).
 * @param len Their length.
 * @param[out] key Receives the key (64 lowercase hex digits and a NUL), or
 *        "" when the event names none.
 * @return 1 when the event names a blob, 0 when it names none, #INC_EINVAL
 *         for NULL arguments, #INC_ECORRUPT or #INC_EVERSION when the bytes
 *         are not an event this library decodes.
 */
INC_API int inc_event_blob_key(const void *data, size_t len, char key[INC_STORE_BLOB_KEY_LEN + 1]);

/**
 * @brief Copy one incident as it is stored, from one store to another under
 *        the same id: the blob its declaration names first (RUB-4), then
 *        every event byte for byte, in one append.
 * @param from The store to read.
 * @param to The store to write (another handle than @p from). It must not
 *        have the incident; on failure nothing of the incident is appended
 *        to it (a blob put first may stay: blobs are shared and harmless).
 * @param id The incident id.
 * @param[out] count Receives the number of events copied (may be NULL).
 * @return #INC_OK, #INC_ENOTFOUND if @p from has no such incident,
 *         #INC_ECONFLICT if @p to has it already, #INC_EUNSUPPORTED if the
 *         declaration names its rubric by key and @p to keeps no blobs,
 *         #INC_ECORRUPT if that blob is missing from @p from or changed,
 *         #INC_EINVAL for NULL arguments, the same store twice or a bad id,
 *         or a store error (#INC_EIO, #INC_ENOMEM, #INC_EREADONLY, ...).
 *         The message is kept on @p to.
 */
INC_API int inc_store_copy_incident(inc_store *from, inc_store *to, const char *id,
                                    uint64_t *count);

/**
 * @brief The backend a store handle was made with, for a backend's own
 *        calls beyond the vtable.
 *
 * A backend that offers functions of its own taking an #inc_store (the
 * journal's inc_journal_verify(), an extension library's store) finds its
 * state through this, and tells its own backends from others by comparing
 * a method pointer with its own before casting.
 * @param store The store (may be NULL).
 * @return The backend given to inc_store_new() (owned by the store), or
 *         NULL when @p store is NULL.
 */
INC_API inc_store_backend *inc_store_backend_of(inc_store *store);

/**
 * @brief The error record of a store handle, where a backend's own calls
 *        report a failure so that inc_store_errmsg() shows it.
 * @param store The store (may be NULL).
 * @return The store's error record (owned by the store, valid as long as
 *         it), or NULL when @p store is NULL. Set it with inc_error_set().
 */
INC_API inc_error *inc_store_error(inc_store *store);

#ifdef __cplusplus
}
#endif

#endif
