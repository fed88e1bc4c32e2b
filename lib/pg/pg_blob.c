/* Blobs in PostgreSQL (store backend version 3): the table inc_blobs(key,
 * data), schema version 2. A blob is inserted once and committed before the
 * call returns, like every append; the library checks what it reads against
 * the key. A second insert of the same key changes nothing, unless the row
 * holds other bytes (changed behind the library's back): the bytes are
 * determined by the key, so the writer puts them back, as the journal
 * rewrites a damaged blob file. */
#include "pg/pg_internal.h"
#include "util/error.h"

int inc__pg_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                     inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    const char *values[2] = {key, data};
    const int lengths[2] = {0, (int)len}, formats[2] = {0, 1};
    PGresult *res;
    int rc;

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
    PGresult *res;
    int rc = inc__pg_exec_again(ps, "SELECT data FROM inc_blobs WHERE key = $1::text", 1, values,
                                NULL, NULL, &res, "read a blob", err);
    if (rc != INC_OK)
        return rc;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return inc_error_set(err, INC_ENOTFOUND, "PostgreSQL: no blob %.16s... in the store", key);
    }
    rc = cb(cb_user, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
    return rc;
}
