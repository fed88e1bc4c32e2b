/* Blobs in the journal (store backend version 3; journal-format.md,
 * "Blobs"): one file per blob, "<key>.blob", where the key is the SHA-256 of
 * the bytes in lowercase hex. A blob is written once, atomically and synced
 * whatever the sync policy (the event that names it follows at once, and an
 * event whose blob is lost cannot be read), and never changed. The library
 * checks what it reads against the key; a put checks the file already there
 * too, so that a blob damaged on disk is written again by the next writer
 * that has the bytes. Calls journal_files.c and the I/O table only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "journal_internal.h"

#define BLOB_NAME_MAX (INC_STORE_BLOB_KEY_LEN + sizeof(INC__JBLOB_SUFFIX))

static void blob_name(const char *key, char out[BLOB_NAME_MAX])
{
    snprintf(out, BLOB_NAME_MAX, "%.*s%s", INC_STORE_BLOB_KEY_LEN, key, INC__JBLOB_SUFFIX);
}

/* Read the whole blob file @name into a fresh block (*out, *len). */
static int blob_read(jstore *js, const char *name, uint8_t **out, size_t *len, inc_error *err)
{
    inc__jio_stat st;
    size_t got = 0;
    uint8_t *buf;
    int fd = js->io.openat(js->io.user, js->dirfd, name, INC__JO_RDONLY), rc;

    if (fd == -ENOENT)
        return inc_error_set(err, INC_ENOTFOUND, "journal: no blob %s", name);
    if (fd < 0)
        return inc__jerr_io(err, fd, "open", name);
    if ((rc = js->io.fstat(js->io.user, fd, &st)) < 0) {
        js->io.close(js->io.user, fd);
        return inc__jerr_io(err, rc, "stat", name);
    }
    if (!st.regular || st.size > INC__JBLOB_MAX) {
        js->io.close(js->io.user, fd);
        return inc_error_set(err, INC_ECORRUPT,
                             "journal: blob %s is not a regular file of at most "
                             "16 MiB",
                             name);
    }
    buf = inc__malloc(&js->alloc, st.size ? (size_t)st.size : 1);
    if (!buf) {
        js->io.close(js->io.user, fd);
        return inc__error_oom(err);
    }
    rc = inc__jio_read_full(&js->io, fd, buf, (size_t)st.size, 0, &got);
    js->io.close(js->io.user, fd);
    if (rc < 0 || got != st.size) {
        inc__free(&js->alloc, buf);
        return rc < 0
                   ? inc__jerr_io(err, rc, "read", name)
                   : inc_error_set(err, INC_ECORRUPT, "journal: blob %s changed while read", name);
    }
    *out = buf;
    *len = (size_t)st.size;
    return INC_OK;
}

int inc__jblob_get(jstore *js, const char *key, inc_store_blob_cb cb, void *cb_user, inc_error *err)
{
    char name[BLOB_NAME_MAX];
    uint8_t *data;
    size_t len;
    int rc;

    blob_name(key, name);
    if ((rc = blob_read(js, name, &data, &len, err)) != INC_OK)
        return rc;
    rc = cb(cb_user, data, len);
    inc__free(&js->alloc, data);
    return rc;
}

/* 1 when the file of @key is there and holds the bytes that hash to it. */
static int blob_intact(jstore *js, const char *name, const char *key)
{
    uint8_t digest[INC__SHA256_LEN], *data;
    char got[INC_STORE_BLOB_KEY_LEN + 1];
    size_t len;
    inc_error ignored;

    inc__error_clear(&ignored);
    if (blob_read(js, name, &data, &len, &ignored) != INC_OK)
        return 0;
    inc__sha256(data, len, digest);
    inc__free(&js->alloc, data);
    inc__hex_encode(digest, sizeof(digest), got);
    return memcmp(got, key, INC_STORE_BLOB_KEY_LEN) == 0;
}

int inc__jblob_put(jstore *js, const char *key, const void *data, size_t len, inc_error *err)
{
    char name[BLOB_NAME_MAX];

    if (js->opts.read_only)
        return inc_error_set(err, INC_EREADONLY, "journal %s is open read-only", js->path);
    if (len > INC__JBLOB_MAX)
        return inc_error_set(err, INC_ETOOBIG, "journal: a blob of %zu bytes, more than 16 MiB",
                             len);
    blob_name(key, name);
    if (blob_intact(js, name, key))
        return INC_OK;
    js->stats.syncs += 2; /* the file's and the directory's */
    return inc__jfile_write_atomic(js, name, data, len, err);
}
