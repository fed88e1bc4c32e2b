/* Private definitions shared by the library's own files. */
#ifndef INC_INTERNAL_H
#define INC_INTERNAL_H

#include "incident.h"
#include "incident/sys/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"
#include "util/text.h"
#include "util/version.h"

struct inc_store {
    inc_store_backend *backend; /* the caller's, passed to its methods as self */
    inc_store_backend methods;  /* its methods read as a current version (util/version.h) */
    inc_allocator alloc;
    inc_error err;
    inc__map blobs_known; /* keys of blobs put or read through this handle */
};

struct inc_incident;

/* What the core tells one listener of its context (the scheduler,
 * lib/due/scheduler.c): every successful write through any handle, and
 * every handle freed. The core knows the listener only by this hook. */
typedef struct inc__context_hook {
    void (*written)(void *user, struct inc_incident *inc);
    void (*freed)(void *user, struct inc_incident *inc);
    void *user; /* NULL: no hook */
} inc__context_hook;

struct inc_context {
    inc_allocator alloc;
    inc_clock_fn clock;
    void *clock_user;
    inc_store *store;
    int owns_store;
    inc_rubric *rubric;
    inc_policy policy;
    inc_error err;
    inc__context_hook hook;     /* told of writes and freed handles, if set */
    struct inc__oncall *oncall; /* zone cache and rotations, if used (oncall.c) */
    inc__map rubrics; /* SHA-256 hex of a recorded rubric's text -> its text and parsed form */
    char rubric_key[INC_STORE_BLOB_KEY_LEN + 1]; /* of @rubric once declared by key; "" */
    const struct inc_lint_config *lint_config;   /* borrowed; NULL: the lints' defaults */
};

/* Register @hook (its user non-NULL) on @ctx: INC_OK, or INC_EEXIST when
 * another is registered. Clear it with the same user (a no-op for another
 * user) before the user goes away. (context.c) */
int inc__context_hook_set(inc_context *ctx, const inc__context_hook *hook);
void inc__context_hook_clear(inc_context *ctx, void *user);

/* The parsed form of a rubric recorded in a declaration (RUB-4), shared by
 * every incident of the context that recorded the same text, so opening an
 * incident parses its rubric once per context rather than once per open
 * (rubric_recorded.c). The rubric is owned by the context and lives as long as
 * it does. Each returns INC_OK, INC_ENOMEM, or a failure described in @diag:
 * a parse error, INC_ECORRUPT (a key whose blob is missing or changed), or
 * the store's error (INC_EIO, ...). */
/* The SHA-256 of @text as 64 lowercase hex digits: a rubric's key. */
void inc__rubric_key(const char *text, size_t len, char key[INC_STORE_BLOB_KEY_LEN + 1]);
/* From its text; @key (may be NULL) receives the text's key. */
int inc__context_recorded_rubric(inc_context *ctx, const char *text, size_t len,
                                 const inc_rubric **out, char key[INC_STORE_BLOB_KEY_LEN + 1],
                                 inc_diag *diag);
/* From its key: the cache, else the blob of the context's store. */
int inc__context_recorded_rubric_by_key(inc_context *ctx, const char *key, const inc_rubric **out,
                                        inc_diag *diag);
/* The text recorded under @key (owned by the context), for the export. */
int inc__context_rubric_text(inc_context *ctx, const char *key, const char **text, size_t *len,
                             inc_diag *diag);
/* Free every cached rubric (context.c, on free). */
void inc__context_rubrics_free(inc_context *ctx);

/* The ids of the context's store, copied before anything is opened (a
 * store need not allow reads from inside its list callback). */
typedef struct inc__ids {
    char **v;
    size_t n, cap;
} inc__ids;
/* INC_OK, INC_ENOMEM (message in @err) or the store's error (its message
 * copied to @err). Free @ids with inc__ids_free() whatever the result. */
int inc__context_ids(inc_context *ctx, inc__ids *ids, inc_error *err);
void inc__ids_free(inc_context *ctx, inc__ids *ids);

/* Store calls that record failures in @err instead of the store's own record. */
int inc__store_append(inc_store *store, const char *id, uint64_t expected_seq,
                      const inc_store_record *records, size_t count, inc_error *err);
int inc__store_read(inc_store *store, const char *id, uint64_t from_seq, inc_store_event_cb cb,
                    void *cb_user, inc_error *err);
/* 1 when the store's backend has a bulk `scan` (version 2), so that a
 * store-wide read is one pass rather than a read per incident. */
int inc__store_has_scan(const inc_store *store);

/* Blobs (store backend version 3): the largest blob, 1 when the backend
 * keeps blobs, and the calls with failures recorded in @err. A get checks
 * the bytes against the key (INC_ECORRUPT when they differ). */
#define INC__BLOB_MAX ((size_t)16 << 20)
int inc__store_has_blobs(const inc_store *store);
int inc__store_put_blob(inc_store *store, const void *data, size_t len,
                        char key[INC_STORE_BLOB_KEY_LEN + 1], inc_error *err);
int inc__store_get_blob(inc_store *store, const char *key, inc_store_blob_cb cb, void *cb_user,
                        inc_error *err);
/* The same put for bytes whose key the caller has computed (and checked):
 * a backend that keeps blobs, @len within INC__BLOB_MAX. */
int inc__store_put_blob_keyed(inc_store *store, const void *data, size_t len, const char *key,
                              inc_error *err);
/* 1 when this handle has put or read the blob @key. */
int inc__store_knows_blob(const inc_store *store, const char *key);

#endif
