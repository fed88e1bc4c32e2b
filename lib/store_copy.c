/* Copying an incident between stores as it is stored (for tools: a move
 * from the journal to PostgreSQL, a backup): its events byte for byte, and
 * first the blob its declaration names (RUB-4), so that the copy opens. */
#include <string.h>

#include "event.h"

int inc_event_blob_key(const void *data, size_t len, char key[INC_STORE_BLOB_KEY_LEN + 1])
{
    inc__event ev;
    int rc;

    if (!data || !key)
        return INC_EINVAL;
    key[0] = '\0';
    if ((rc = inc__event_decode(data, len, &ev, NULL)) != INC_OK)
        return rc;
    if (!inc__event_has(&ev, INC__F_RUBRIC_SHA256))
        return 0;
    if (!inc__sha256_hex_valid(ev.str[INC__F_RUBRIC_SHA256]))
        return INC_ECORRUPT;
    memcpy(key, ev.str[INC__F_RUBRIC_SHA256], INC_STORE_BLOB_KEY_LEN + 1);
    return 1;
}

/* Every event of the incident, back to back, and where each starts. */
typedef struct copied {
    const inc_allocator *alloc;
    inc__buf bytes;
    size_t *offsets; /* start of event i; offsets[n] = end */
    size_t n, cap;
} copied;

static int keep_event(void *user, uint64_t seq, const void *data, size_t len)
{
    copied *c = user;
    (void)seq;
    if (inc__array_reserve(c->alloc, (void **)&c->offsets, &c->cap, c->n + 2, sizeof(size_t)) !=
            INC_OK ||
        inc__buf_put(&c->bytes, data, len) != INC_OK)
        return INC_ENOMEM;
    c->offsets[c->n++] = c->bytes.len - len;
    c->offsets[c->n] = c->bytes.len;
    return 0;
}

/* The blob's bytes, put into the other store. */
typedef struct blob_copy {
    inc_store *to;
    const char *key;
    int rc;
} blob_copy;

static int put_copy(void *user, const void *data, size_t len)
{
    blob_copy *bc = user;
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    bc->rc = inc__store_put_blob(bc->to, data, len, key, &bc->to->err);
    return bc->rc;
}

static int copy_blob(inc_store *from, inc_store *to, const char *key)
{
    blob_copy bc = {to, key, INC_OK};
    int rc;
    if (!inc__store_has_blobs(to))
        return inc_error_set(&to->err, INC_EUNSUPPORTED,
                             "copy: the destination keeps no blobs, so it cannot keep the rubric "
                             "the declaration names by its SHA-256 (RUB-4)");
    rc = inc__store_get_blob(from, key, put_copy, &bc, &to->err);
    if (rc == INC_ENOTFOUND)
        return inc_error_set(&to->err, INC_ECORRUPT,
                             "copy: the rubric the declaration names (%.16s...) is not in the "
                             "source store",
                             key);
    return rc;
}

static int append_all(inc_store *to, const char *id, const copied *c)
{
    inc_store_record *recs = inc__calloc(&to->alloc, c->n, sizeof(*recs));
    size_t i;
    int rc;
    if (!recs)
        return inc__error_oom(&to->err);
    for (i = 0; i < c->n; i++) {
        recs[i].data = c->bytes.ptr + c->offsets[i];
        recs[i].len = c->offsets[i + 1] - c->offsets[i];
    }
    rc = inc__store_append(to, id, 0, recs, c->n, &to->err);
    inc__free(&to->alloc, recs);
    return rc;
}

int inc_store_copy_incident(inc_store *from, inc_store *to, const char *id, uint64_t *count)
{
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    copied c;
    int rc;

    if (count)
        *count = 0;
    if (!from || !to || !id || from == to)
        return to ? inc_error_set(&to->err, INC_EINVAL,
                                  "copy: NULL argument, or the same store twice")
                  : INC_EINVAL;
    memset(&c, 0, sizeof(c));
    c.alloc = &to->alloc;
    inc__buf_init(&c.bytes, &to->alloc);
    rc = inc__store_read(from, id, 1, keep_event, &c, &to->err);
    if (rc == INC_ENOMEM)
        rc = inc__error_oom(&to->err);
    if (rc == INC_OK && c.n == 0)
        rc = inc_error_set(&to->err, INC_ENOTFOUND, "copy: no incident '%s' in the source", id);
    if (rc == INC_OK) {
        rc = inc_event_blob_key(c.bytes.ptr, c.offsets[1], key);
        if (rc < 0)
            rc = inc_error_set(&to->err, rc, "copy: incident %s: event 1 does not decode", id);
        else if (rc == 1)
            rc = copy_blob(from, to, key);
    }
    if (rc == INC_OK && (rc = append_all(to, id, &c)) == INC_OK && count)
        *count = c.n;
    inc__buf_dispose(&c.bytes);
    inc__free(&to->alloc, c.offsets);
    return rc;
}
