/* The context's cache of rubrics recorded in declarations (RUB-4), keyed by
 * the SHA-256 of their text.
 *
 * A declaration records the rubric in force either as its text (every
 * declaration before store backend version 3, and every declaration in a
 * store that keeps no blobs) or as that key, the text being a blob of the
 * store, kept once per store (lib/docs/events.md, "The rubric of a
 * declaration"). Either way the incidents of one team almost always record
 * the same rubric: parsing it once per context instead of once per open
 * takes the parse off the path of every open and reload (the scheduler
 * opens incidents on every poll that delivers), and a declaration by key
 * costs a map lookup, not a read of the blob. The text is kept beside the
 * parsed rubric for the export, which carries it (export-format.md). */
#include <string.h>

#include "internal.h"
#include "util/hash.h"

typedef struct recorded {
    inc_rubric *rubric;
    char *text; /* NUL-terminated copy of the recorded text */
    size_t len;
} recorded;

static void recorded_free(inc_context *ctx, recorded *rec)
{
    if (!rec)
        return;
    inc_rubric_free(rec->rubric);
    inc__free(&ctx->alloc, rec->text);
    inc__free(&ctx->alloc, rec);
}

void inc__rubric_key(const char *text, size_t len, char key[INC_STORE_BLOB_KEY_LEN + 1])
{
    uint8_t digest[INC__SHA256_LEN];
    inc__sha256(text, len, digest);
    inc__hex_encode(digest, sizeof(digest), key);
}

/* Parse @text and cache it under @key (its hash, computed by the caller). */
static int parse_and_keep(inc_context *ctx, const char *key, const char *text, size_t len,
                          recorded **out, inc_diag *diag)
{
    recorded *rec = inc__calloc(&ctx->alloc, 1, sizeof(*rec));
    int rc;

    if (!rec || !(rec->text = inc__malloc(&ctx->alloc, len + 1))) {
        inc__free(&ctx->alloc, rec);
        return inc__diag_set(diag, INC_ENOMEM, 0, 0, "%s", "out of memory");
    }
    memcpy(rec->text, text, len);
    rec->text[len] = '\0';
    rec->len = len;
    rc = inc_rubric_parse(&ctx->alloc, text, len, &rec->rubric, diag);
    if (rc == INC_OK && inc__map_put(&ctx->rubrics, key, rec) != INC_OK)
        rc = inc__diag_set(diag, INC_ENOMEM, 0, 0, "%s", "out of memory");
    if (rc != INC_OK) {
        recorded_free(ctx, rec);
        return rc;
    }
    *out = rec;
    return INC_OK;
}

int inc__context_recorded_rubric(inc_context *ctx, const char *text, size_t len,
                                 const inc_rubric **out, char key[INC_STORE_BLOB_KEY_LEN + 1],
                                 inc_diag *diag)
{
    char local[INC_STORE_BLOB_KEY_LEN + 1];
    recorded *rec;
    int rc;

    if (!key)
        key = local;
    inc__rubric_key(text, len, key);
    if ((rec = inc__map_get(&ctx->rubrics, key)) == NULL &&
        (rc = parse_and_keep(ctx, key, text, len, &rec, diag)) != INC_OK)
        return rc;
    *out = rec->rubric;
    return INC_OK;
}

/* The blob's bytes, parsed and kept in the cache. */
typedef struct blob_load {
    inc_context *ctx;
    const char *key;
    recorded *rec;
    inc_diag *diag;
} blob_load;

static int on_blob(void *user, const void *data, size_t len)
{
    blob_load *bl = user;
    return parse_and_keep(bl->ctx, bl->key, data, len, &bl->rec, bl->diag);
}

/* The cached rubric of @key, else the store's blob, parsed and cached. */
static int recorded_by_key(inc_context *ctx, const char *key, recorded **out, inc_diag *diag)
{
    blob_load bl = {ctx, key, NULL, diag};
    inc_error err;
    int rc;

    if ((*out = inc__map_get(&ctx->rubrics, key)) != NULL)
        return INC_OK;
    memset(diag, 0, sizeof(*diag));
    inc__error_clear(&err);
    rc = inc__store_get_blob(ctx->store, key, on_blob, &bl, &err);
    if (rc == INC_OK) {
        *out = bl.rec;
        return INC_OK;
    }
    if (diag->code != INC_OK) /* the text's own failure: its parse */
        return rc;
    if (rc == INC_ENOTFOUND || rc == INC_EUNSUPPORTED)
        return inc__diag_set(diag, INC_ECORRUPT, 0, 0,
                             "the rubric recorded (SHA-256 %.16s...) is not in the store", key);
    return inc__diag_set(diag, rc, 0, 0, "the rubric recorded: %s", err.msg);
}

int inc__context_recorded_rubric_by_key(inc_context *ctx, const char *key, const inc_rubric **out,
                                        inc_diag *diag)
{
    recorded *rec;
    int rc = recorded_by_key(ctx, key, &rec, diag);
    if (rc == INC_OK)
        *out = rec->rubric;
    return rc;
}

int inc__context_rubric_text(inc_context *ctx, const char *key, const char **text, size_t *len,
                             inc_diag *diag)
{
    recorded *rec;
    int rc = recorded_by_key(ctx, key, &rec, diag);
    if (rc == INC_OK) {
        *text = rec->text;
        *len = rec->len;
    }
    return rc;
}

void inc__context_rubrics_free(inc_context *ctx)
{
    size_t pos = 0;
    const char *key;
    void *value;
    while (inc__map_next(&ctx->rubrics, &pos, &key, &value))
        recorded_free(ctx, value);
    inc__map_dispose(&ctx->rubrics);
}
