/* JSON export and import of a whole incident (format in lib/docs/export-format.md).
 * The export carries every event's fields, its previous-event hash and its
 * own hash; the import rebuilds the exact bytes from the fields, so every
 * hash is checked, replays them through the apply path, and only then
 * writes them, all at once, to the store. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "util/json.h"
#include "util/text.h"

#define EXPORT_FORMAT  "libincident.incident"
#define EXPORT_VERSION 1
#define IMPORT_MAX_LEN ((size_t)64 << 20)

static void export_fields(inc__buf *b, const inc__event *ev)
{
    int tag, first = 1;
    inc__buf_putc(b, '{');
    for (tag = 1; tag < INC__F_COUNT; tag++) {
        const inc__field_info *fi = inc__field_info_get(tag);
        if (!fi || !inc__event_has(ev, tag))
            continue;
        if (!first)
            inc__buf_putc(b, ',');
        first = 0;
        inc__json_put_str(b, fi->name);
        inc__buf_putc(b, ':');
        if (fi->type == INC__FT_STR)
            inc__json_put_strn(b, ev->str[tag], ev->str_len[tag]);
        else
            inc__json_put_i64(b, ev->num[tag]);
    }
    inc__buf_putc(b, '}');
}

static void export_event(inc__buf *b, const inc__event *ev)
{
    char when[32], hex[2 * INC__SHA256_LEN + 1];
    uint8_t hash[INC__SHA256_LEN];

    inc_time_format(ev->time, when, sizeof(when));
    inc__buf_printf(b, "{\"seq\":%llu,\"time\":\"%s\",\"time_ms\":%lld,\"kind\":",
                    (unsigned long long)ev->seq, when, (long long)ev->time);
    inc__json_put_str(b, inc__event_kind_name(ev->kind));
    inc__hex_encode(ev->prev_hash, INC__SHA256_LEN, hex);
    inc__buf_printf(b, ",\"prev_hash\":\"%s\"", hex);
    inc__sha256(ev->raw, ev->len, hash);
    inc__hex_encode(hash, INC__SHA256_LEN, hex);
    inc__buf_printf(b, ",\"hash\":\"%s\",\"fields\":", hex);
    export_fields(b, ev);
    inc__buf_putc(b, '}');
}

int inc_incident_export_json(const inc_incident *inc, char **out, size_t *len)
{
    inc__buf b;
    size_t i;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, inc->alloc);
    inc__buf_printf(&b, "{\"format\":\"%s\",\"version\":%d,\"id\":", EXPORT_FORMAT, EXPORT_VERSION);
    inc__json_put_str(&b, inc->id);
    inc__buf_puts(&b, ",\"events\":[");
    for (i = 0; i < inc->event_count; i++) {
        inc__event ev;
        if (inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        if (i)
            inc__buf_puts(&b, ",\n");
        export_event(&b, &ev);
    }
    inc__buf_puts(&b, "]}\n");
    return inc__buf_detach(&b, out, len);
}

/* ---- import -------------------------------------------------------------- */

typedef struct importer {
    inc_context *ctx;
    inc_diag *diag;
    inc__buf bytes;  /* every event's encoding, back to back */
    size_t *offsets; /* start of event i in bytes; offsets[n] = end */
    size_t count;
    uint8_t prev[INC__SHA256_LEN];
} importer;

static int fail(importer *im, int code, const inc__json *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record an import failure in the diagnostic and on the context. */
static int fail(importer *im, int code, const inc__json *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    im->diag->code = code;
    im->diag->line = 0;
    im->diag->offset = at ? at->offset : 0;
    vsnprintf(im->diag->message, sizeof(im->diag->message), fmt, ap);
    va_end(ap);
    return inc_error_set(&im->ctx->err, code, "import: %s", im->diag->message);
}

static const inc__json *member(const inc__json *obj, const char *key, inc__json_type type)
{
    const inc__json *v = inc__json_get(obj, key);
    return v && v->type == type ? v : NULL;
}

static int draft_fields(importer *im, const inc__json *fields, inc__event_draft *d)
{
    size_t i;
    for (i = 0; i < fields->count; i++) {
        const inc__json *v = fields->items[i];
        int tag = inc__field_by_name(fields->keys[i]);
        const inc__field_info *fi = inc__field_info_get(tag);
        if (!fi)
            return fail(im, INC_EINVAL, v, "unknown event field '%.64s'", fields->keys[i]);
        if (fi->type == INC__FT_STR && v->type == INC__JSON_STRING && strlen(v->str) == v->str_len)
            inc__draft_str(d, tag, v->str);
        else if (fi->type == INC__FT_INT && v->type == INC__JSON_NUMBER && v->is_int)
            inc__draft_int(d, tag, v->integer);
        else
            return fail(im, INC_EINVAL, v, "event field '%s' has the wrong type", fi->name);
    }
    return INC_OK;
}

/* Rebuild one event's bytes from JSON and check its hashes. */
static int import_event(importer *im, const inc__json *e, uint64_t seq, inc__buf *scratch)
{
    const inc__json *kind = member(e, "kind", INC__JSON_STRING);
    const inc__json *jseq = member(e, "seq", INC__JSON_NUMBER);
    const inc__json *time = member(e, "time_ms", INC__JSON_NUMBER);
    const inc__json *prev = member(e, "prev_hash", INC__JSON_STRING);
    const inc__json *hash = member(e, "hash", INC__JSON_STRING);
    const inc__json *fields = member(e, "fields", INC__JSON_OBJECT);
    uint8_t want_prev[INC__SHA256_LEN], want[INC__SHA256_LEN], got[INC__SHA256_LEN];
    inc__event_draft d;
    int rc, k;

    if (e->type != INC__JSON_OBJECT || !kind || !jseq || !time || !prev || !hash || !fields ||
        !jseq->is_int || !time->is_int)
        return fail(im, INC_EINVAL, e, "%s",
                    "event: needs seq, time_ms, kind, prev_hash, hash and fields");
    if ((uint64_t)jseq->integer != seq)
        return fail(im, INC_EINVAL, jseq, "%s", "event: seq out of order");
    if (!(k = inc__event_kind_by_name(kind->str)))
        return fail(im, INC_EINVAL, kind, "unknown event kind '%.64s'", kind->str);
    if (prev->str_len != 2 * INC__SHA256_LEN || hash->str_len != 2 * INC__SHA256_LEN ||
        inc__hex_decode(prev->str, INC__SHA256_LEN, want_prev) ||
        inc__hex_decode(hash->str, INC__SHA256_LEN, want))
        return fail(im, INC_EINVAL, prev, "%s", "event: hashes must be 64 hex digits");
    if (memcmp(want_prev, im->prev, INC__SHA256_LEN) != 0)
        return fail(im, INC_ECORRUPT, prev, "%s", "event: prev_hash breaks the chain (TL-2)");
    inc__draft_init(&d, k, NULL);
    if ((rc = draft_fields(im, fields, &d)) != INC_OK)
        return rc;
    rc = inc__event_encode(&d, seq, time->integer, seq > 1 ? im->prev : NULL, scratch);
    if (rc != INC_OK)
        return fail(im, rc, e, "%s", rc == INC_ENOMEM ? "out of memory" : "event too large");
    inc__sha256(scratch->ptr, scratch->len, got);
    if (memcmp(got, want, INC__SHA256_LEN) != 0)
        return fail(im, INC_ECORRUPT, hash, "%s", "event: content does not match its hash (TL-2)");
    memcpy(im->prev, got, INC__SHA256_LEN);
    im->offsets[seq - 1] = im->bytes.len;
    if (inc__buf_put(&im->bytes, scratch->ptr, scratch->len) != INC_OK)
        return fail(im, INC_ENOMEM, e, "%s", "out of memory");
    im->offsets[seq] = im->bytes.len;
    return INC_OK;
}

static int import_events(importer *im, const inc__json *events)
{
    inc__buf scratch;
    size_t i;
    int rc = INC_OK;

    im->count = events->count;
    im->offsets = inc__calloc(&im->ctx->alloc, events->count + 1, sizeof(size_t));
    if (!im->offsets)
        return fail(im, INC_ENOMEM, events, "%s", "out of memory");
    inc__buf_init(&scratch, &im->ctx->alloc);
    for (i = 0; i < events->count && rc == INC_OK; i++)
        rc = import_event(im, events->items[i], i + 1, &scratch);
    inc__buf_dispose(&scratch);
    return rc;
}

/* Replay the rebuilt events into a fresh handle: the full validation. */
static int import_replay(importer *im, const char *id, inc_incident **out)
{
    inc_incident *inc;
    size_t i;
    int rc;

    if (inc__incident_alloc(im->ctx, id, &inc) != INC_OK)
        return fail(im, INC_ENOMEM, NULL, "%s", "out of memory");
    for (i = 0, rc = INC_OK; i < im->count && rc == INC_OK; i++)
        rc = inc__incident_load_event(inc, i + 1, im->bytes.ptr + im->offsets[i],
                                      im->offsets[i + 1] - im->offsets[i]);
    if (rc != INC_OK) {
        fail(im, rc, NULL, "%s", inc->err.msg);
        inc_incident_free(inc);
        return rc;
    }
    *out = inc;
    return INC_OK;
}

static int import_store(importer *im, inc_incident *inc)
{
    inc_store_record *recs;
    size_t i;
    int rc;

    recs = inc__calloc(&im->ctx->alloc, im->count, sizeof(*recs));
    if (!recs)
        return fail(im, INC_ENOMEM, NULL, "%s", "out of memory");
    for (i = 0; i < im->count; i++) {
        recs[i].data = im->bytes.ptr + im->offsets[i];
        recs[i].len = im->offsets[i + 1] - im->offsets[i];
    }
    rc = inc__store_append(im->ctx->store, inc->id, 0, recs, im->count, &im->ctx->err);
    inc__free(&im->ctx->alloc, recs);
    if (rc == INC_ECONFLICT)
        return fail(im, INC_EEXIST, NULL, "the store already has incident '%s'", inc->id);
    if (rc != INC_OK)
        return fail(im, rc, NULL, "%s", im->ctx->err.msg);
    return INC_OK;
}

static int import_document(importer *im, const inc__json *root, inc_incident **out)
{
    const inc__json *format = member(root, "format", INC__JSON_STRING);
    const inc__json *version = member(root, "version", INC__JSON_NUMBER);
    const inc__json *id = member(root, "id", INC__JSON_STRING);
    const inc__json *events = member(root, "events", INC__JSON_ARRAY);
    inc_incident *inc = NULL;
    int rc;

    if (!format || strcmp(format->str, EXPORT_FORMAT) != 0)
        return fail(im, INC_EINVAL, root, "%s", "format: not a libincident incident document");
    if (!version || !version->is_int || version->integer != EXPORT_VERSION)
        return fail(im, INC_EVERSION, version, "%s", "version: unsupported document version");
    if (!id || !inc__id_valid(id->str))
        return fail(im, INC_EINVAL, id, "%s", "id: missing or not a valid incident id");
    if (!events || events->count == 0)
        return fail(im, INC_EINVAL, events, "%s", "events: missing or empty");
    if ((rc = import_events(im, events)) != INC_OK ||
        (rc = import_replay(im, id->str, &inc)) != INC_OK ||
        (rc = import_store(im, inc)) != INC_OK) {
        inc_incident_free(inc);
        return rc;
    }
    if (out)
        *out = inc;
    else
        inc_incident_free(inc);
    return INC_OK;
}

int inc_incident_import_json(inc_context *ctx, const char *json, size_t len, inc_incident **out,
                             inc_diag *diag)
{
    importer im;
    inc__json *root = NULL;
    inc_diag local_diag;
    int rc;

    if (!diag)
        diag = &local_diag;
    if (out)
        *out = NULL;
    if (!ctx || !json)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "import: NULL argument") : INC_EINVAL;
    inc__error_clear(&ctx->err);
    memset(&im, 0, sizeof(im));
    im.ctx = ctx;
    im.diag = diag;
    memset(diag, 0, sizeof(*diag));
    if (len > IMPORT_MAX_LEN)
        return fail(&im, INC_ETOOBIG, NULL, "%s", "import: document larger than 64 MiB");
    rc = inc__json_parse(&ctx->alloc, json, len, &root, diag);
    if (rc != INC_OK)
        return inc_error_set(&ctx->err, rc, "import: %s", diag->message);
    inc__buf_init(&im.bytes, &ctx->alloc);
    rc = import_document(&im, root, out);
    inc__buf_dispose(&im.bytes);
    inc__free(&ctx->alloc, im.offsets);
    inc__json_free(&ctx->alloc, root);
    return rc;
}
