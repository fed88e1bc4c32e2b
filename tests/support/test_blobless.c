/* A store that keeps no blobs (a backend of version 2 passing everything
 * else to another store): how a store written before backend version 3,
 * or a user's backend without blobs, records declarations (with the rubric
 * text inline, RUB-4). */
#include <stdlib.h>

#include "test_support.h"

typedef struct blobless {
    inc_store_backend base;
    inc_store *inner;
} blobless;

static int bl_append(inc_store_backend *self, const char *id, uint64_t expected,
                     const inc_store_record *records, size_t count, inc_error *err)
{
    (void)err;
    return inc_store_append(((blobless *)self)->inner, id, expected, records, count);
}

static int bl_read(inc_store_backend *self, const char *id, uint64_t from, inc_store_event_cb cb,
                   void *user, inc_error *err)
{
    (void)err;
    return inc_store_read(((blobless *)self)->inner, id, from, cb, user);
}

static int bl_list(inc_store_backend *self, inc_store_id_cb cb, void *user, inc_error *err)
{
    (void)err;
    return inc_store_list(((blobless *)self)->inner, cb, user);
}

static void bl_free(inc_store_backend *self)
{
    free(self);
}

int inc_test_blobless_store(inc_store *inner, inc_store **out)
{
    blobless *b = calloc(1, sizeof(*b));
    int rc;
    if (!b)
        return INC_ENOMEM;
    if ((rc = inc_store_backend_init(&b->base, 2)) != INC_OK) {
        free(b);
        return rc;
    }
    b->base.append = bl_append;
    b->base.read = bl_read;
    b->base.list = bl_list;
    b->base.free = bl_free;
    b->inner = inner;
    if ((rc = inc_store_new(&b->base, NULL, out)) != INC_OK)
        free(b);
    return rc;
}
