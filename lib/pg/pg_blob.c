/* Blobs in PostgreSQL (store backend version 3): the table inc_blobs(key,
 * data), schema version 2. A blob is inserted once and committed before the
 * call returns, like every append; the library checks what it reads against
 * the key. A second insert of the same key changes nothing, unless the row
 * holds other bytes (changed behind the library's back): the bytes are
 * determined by the key, so the writer puts them back, as the journal
 * rewrites a damaged blob file. */
#include <stdlib.h>
#include <string.h>

#include "pg/pg_internal.h"
#include "util/error.h"

typedef struct pg_blob {
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    char *data;
    size_t len;
} pg_blob;

static const pg_blob *cached(const pg_store *ps, const char *key)
{
    size_t i;
    for (i = 0; i < ps->nblobs; i++)
        if (strcmp(ps->blobs[i].key, key) == 0)
            return &ps->blobs[i];
    return NULL;
}

/* Keep a copy of a blob read; a failure to keep it only costs a query. */
static void keep(pg_store *ps, const char *key, const char *data, size_t len)
{
    pg_blob *grown;
    char *copy;
    if (strlen(key) != INC_STORE_BLOB_KEY_LEN || cached(ps, key) || !(copy = malloc(len ? len : 1)))
        return;
    if (!(grown = realloc(ps->blobs, (ps->nblobs + 1) * sizeof(*grown)))) {
        free(copy);
        return;
    }
    ps->blobs = grown;
    memcpy(copy, data, len);
    memcpy(grown[ps->nblobs].key, key, INC_STORE_BLOB_KEY_LEN + 1);
    grown[ps->nblobs].data = copy;
    grown[ps->nblobs].len = len;
    ps->nblobs++;
}

void inc__pg_blobs_free(pg_store *ps)
{
    size_t i;
    for (i = 0; i < ps->nblobs; i++)
        free(ps->blobs[i].data);
    free(ps->blobs);
    ps->blobs = NULL;
    ps->nblobs = 0;
}

int inc__pg_blobs_prefetch(pg_store *ps, inc_error *err)
{
    PGresult *res;
    int i, rc = inc__pg_exec_again(ps, "SELECT key, data FROM inc_blobs", 0, NULL, NULL, NULL, &res,
                                   "read the blobs", err);
    if (rc != INC_OK)
        return rc;
    for (i = 0; i < PQntuples(res); i++)
        keep(ps, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), (size_t)PQgetlength(res, i, 1));
    PQclear(res);
    return INC_OK;
}

int inc__pg_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                     inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    const char *values[2] = {key, data};
    const int lengths[2] = {0, (int)len}, formats[2] = {0, 1};
    PGresult *res;
    int rc;

    if ((rc = inc__pg_busy(ps, err)) != INC_OK)
        return rc;
    if (len > (size_t)16 << 20)
        return inc_error_set(err, INC_ETOOBIG, "PostgreSQL: a blob of %zu bytes, more than 16 MiB",
                             len);
    /* One statement, its own transaction: safe to send again after a cut
     * connection (the insert is idempotent). */
    rc = inc__pg_exec_again(ps,
                            "INSERT INTO inc_blobs (key, data) VALUES ($1::text, $2::bytea) "
                            "ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data "
                            "WHERE inc_blobs.data <> EXCLUDED.data",
                            2, values, lengths, formats, &res, "store a blob", err);
    if (rc == INC_OK)
        PQclear(res);
    return rc;
}

int inc__pg_get_blob(inc_store_backend *self, const char *key, inc_store_blob_cb cb, void *cb_user,
                     inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    const char *values[1] = {key};
    const pg_blob *b = cached(ps, key);
    PGresult *res;
    int rc;
    /* From memory when read before (and so during a scan, which reads
     * them all first): the library checks the bytes against the key each
     * time, so a copy kept is as safe as the row. */
    if (b)
        return cb(cb_user, b->data, b->len);
    if ((rc = inc__pg_busy(ps, err)) != INC_OK)
        return rc;
    rc = inc__pg_exec_again(ps, "SELECT data FROM inc_blobs WHERE key = $1::text", 1, values, NULL,
                            NULL, &res, "read a blob", err);
    if (rc != INC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return inc_error_set(err, INC_ENOTFOUND, "PostgreSQL: no blob %.16s... in the store", key);
    }
    keep(ps, key, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    rc = cb(cb_user, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
    return rc;
}
