/* The context's cache of rubrics recorded in declarations (RUB-4). Every
 * incident records the whole rubric in force, so the incidents of one team
 * almost always carry the same text; parsing it once per context instead of
 * once per open takes the parse off the path of every open and reload
 * (the scheduler opens incidents on every poll that delivers). */
#include <string.h>

#include "internal.h"
#include "util/hash.h"

int inc__context_recorded_rubric(inc_context *ctx, const char *text, size_t len,
                                 const inc_rubric **out, inc_diag *diag)
{
    uint8_t digest[INC__SHA256_LEN];
    char key[2 * INC__SHA256_LEN + 1];
    inc_rubric *r;
    int rc;

    inc__sha256(text, len, digest);
    inc__hex_encode(digest, sizeof(digest), key);
    if ((r = inc__map_get(&ctx->rubrics, key)) != NULL) {
        *out = r;
        return INC_OK;
    }
    rc = inc_rubric_parse(&ctx->alloc, text, len, &r, diag);
    if (rc != INC_OK)
        return rc;
    if (inc__map_put(&ctx->rubrics, key, r) != INC_OK) {
        inc_rubric_free(r);
        return INC_ENOMEM;
    }
    *out = r;
    return INC_OK;
}

void inc__context_rubrics_free(inc_context *ctx)
{
    size_t pos = 0;
    const char *key;
    void *value;
    while (inc__map_next(&ctx->rubrics, &pos, &key, &value))
        inc_rubric_free(value);
    inc__map_dispose(&ctx->rubrics);
}
