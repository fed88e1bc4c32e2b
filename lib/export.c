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
#define EXPORT_VERSION 2 /* 2: the "rubrics" table; version 1 is read too */
#define IMPORT_MAX_LEN ((size_t)64 << 20)
/* The JSON tree of an import may hold as many bytes as the document (and
 * 1 MiB for a small one): the events are streamed, one at a time, so only a
 * document built to blow the tree up comes near it. */
#define IMPORT_TREE_FLOOR ((size_t)1 << 20)

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

/* TL-5: the checkpoint of the last event, for a reader to witness. */
static void put_head(inc__buf *b, const inc_incident *inc)
{
    char text[INC_CHECKPOINT_TEXT_MAX];
    inc_checkpoint cp;
    if (inc_incident_head(inc, &cp) == INC_OK &&
        inc_checkpoint_format(&cp, text, sizeof(text)) == INC_OK)
        inc__buf_printf(b, ",\"head\":\"%s\"", text);
}

/* RUB-4: the text of each rubric a declaration records by its key, so the
 * document stays self-contained (an import brings the text along). */
static int put_rubrics(inc__buf *b, const inc_incident *inc)
{
    inc__event ev;
    const char *text;
    size_t len;
    inc_diag diag;
    int rc;

    inc__buf_puts(b, ",\"rubrics\":{");
    if (inc->event_count > 0 && inc__incident_event_at(inc, 0, &ev) == INC_OK &&
        inc__event_has(&ev, INC__F_RUBRIC_SHA256)) {
        const char *key = ev.str[INC__F_RUBRIC_SHA256];
        if ((rc = inc__context_rubric_text(inc->ctx, key, &text, &len, &diag)) != INC_OK)
            return rc;
        inc__json_put_str(b, key);
        inc__buf_putc(b, ':');
        inc__json_put_strn(b, text, len);
    }
    inc__buf_putc(b, '}');
    return INC_OK;
}

int inc_incident_export_json(const inc_incident *inc, char **out, size_t *len)
{
    inc__buf b;
    size_t i;
    int rc;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, inc->alloc);
    inc__buf_printf(&b, "{\"format\":\"%s\",\"version\":%d,\"id\":", EXPORT_FORMAT, EXPORT_VERSION);
    inc__json_put_str(&b, inc->id);
    put_head(&b, inc);
    if ((rc = put_rubrics(&b, inc)) != INC_OK) {
        inc__buf_dispose(&b);
        return rc;
    }
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
    size_t count, cap;
    inc__buf scratch; /* one event's encoding */
    int header_checked;
    uint8_t prev[INC__SHA256_LEN];
} importer;

static int fail(importer *im, int code, const inc__json *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record an import failure in the diagnostic and on the context. */
static int fail(importer *im, int code, const inc__json *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    inc__diag_vset(im->diag, code, 0, at ? at->offset : 0, fmt, ap);
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
    inc_error eerr = {0};
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
    rc = inc__event_encode(&d, seq, time->integer, seq > 1 ? im->prev : NULL, scratch, &eerr);
    /* What the encoder refuses the decoder refuses too: the document's
     * event is corrupt, as replaying it would say. */
    if (rc != INC_OK)
        return fail(im, rc == INC_EINVAL ? INC_ECORRUPT : rc, e, "%s", eerr.msg);
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

/* The document's format, version and id. With @partial (the root as parsed
 * so far, before the first event), a member not seen yet is not an error. */
static int check_header(importer *im, const inc__json *root, int partial)
{
    const inc__json *format = inc__json_get(root, "format");
    const inc__json *version = inc__json_get(root, "version");
    const inc__json *id = inc__json_get(root, "id");

    if ((format || !partial) &&
        (!format || format->type != INC__JSON_STRING || strcmp(format->str, EXPORT_FORMAT) != 0))
        return fail(im, INC_EINVAL, root, "%s", "format: not a libincident incident document");
    if ((version || !partial) &&
        (!version || version->type != INC__JSON_NUMBER || !version->is_int ||
         version->integer < 1 || version->integer > EXPORT_VERSION))
        return fail(im, INC_EVERSION, version, "%s", "version: unsupported document version");
    if ((id || !partial) && (!id || id->type != INC__JSON_STRING || !inc__id_valid(id->str)))
        return fail(im, INC_EINVAL, id, "%s", "id: missing or not a valid incident id");
    return INC_OK;
}

/* One event of the document, streamed by the parser (it is freed here: the
 * document is never held as a whole tree). The document's header is checked
 * before the first event when it comes first, as export writes it. */
static int import_item(void *user, const inc__json *root, inc__json *item)
{
    importer *im = user;
    int rc = INC_OK;

    if (!im->header_checked) {
        im->header_checked = 1;
        rc = check_header(im, root, 1);
    }
    if (rc == INC_OK && inc__array_reserve(&im->ctx->alloc, (void **)&im->offsets, &im->cap,
                                           im->count + 2, sizeof(size_t)) != INC_OK)
        rc = fail(im, INC_ENOMEM, item, "%s", "out of memory");
    if (rc == INC_OK && (rc = import_event(im, item, im->count + 1, &im->scratch)) == INC_OK)
        im->count++;
    inc__json_free(&im->ctx->alloc, item);
    return rc;
}

/* RUB-4: the document's rubric texts, each checked against its key and
 * parsed into the context's cache, where replaying a declaration by key
 * finds it. Only a document of version 2 has them. */
static int import_rubrics(importer *im, const inc__json *root)
{
    const inc__json *table = inc__json_get(root, "rubrics");
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    const inc_rubric *parsed;
    inc_diag diag;
    size_t i;
    int rc;

    if (!table)
        return INC_OK;
    if (table->type != INC__JSON_OBJECT)
        return fail(im, INC_EINVAL, table, "%s", "rubrics: not an object of key: text");
    for (i = 0; i < table->count; i++) {
        const inc__json *text = table->items[i];
        if (text->type != INC__JSON_STRING)
            return fail(im, INC_EINVAL, text, "%s", "rubrics: a rubric's text is a string");
        inc__rubric_key(text->str, text->str_len, key);
        if (strcmp(key, table->keys[i]) != 0)
            return fail(im, INC_ECORRUPT, text,
                        "rubrics: the text under %.16s... does not match its SHA-256 (RUB-4)",
                        table->keys[i]);
        rc = inc__context_recorded_rubric(im->ctx, text->str, text->str_len, &parsed, NULL, &diag);
        if (rc != INC_OK)
            return fail(im, rc == INC_ENOMEM ? rc : INC_ECORRUPT, text, "rubrics: %s",
                        diag.message);
    }
    return INC_OK;
}

/* Store the text of the declaration's rubric, if it records it by key,
 * before the events that name it (the store's blob contract). */
static int import_blob(importer *im, const inc_incident *inc)
{
    inc__event ev;
    const char *text;
    size_t len;
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    inc_diag diag;
    int rc;

    if (inc__incident_event_at(inc, 0, &ev) != INC_OK || !inc__event_has(&ev, INC__F_RUBRIC_SHA256))
        return INC_OK;
    if (!inc__store_has_blobs(im->ctx->store))
        return fail(im, INC_EUNSUPPORTED, NULL, "%s",
                    "the store keeps no blobs (store backend version 3), so it cannot keep the "
                    "rubric this incident records by its SHA-256");
    if ((rc = inc__context_rubric_text(im->ctx, ev.str[INC__F_RUBRIC_SHA256], &text, &len,
                                       &diag)) != INC_OK)
        return fail(im, rc, NULL, "%s", diag.message);
    if ((rc = inc__store_put_blob(im->ctx->store, text, len, key, &im->ctx->err)) != INC_OK)
        return fail(im, rc, NULL, "%s", im->ctx->err.msg);
    return INC_OK;
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

/* An optional "head" must be the checkpoint of the last event (TL-5). */
static int import_head(importer *im, const inc__json *root)
{
    const inc__json *head = inc__json_get(root, "head");
    inc_checkpoint cp;

    if (!head)
        return INC_OK;
    if (head->type != INC__JSON_STRING || strlen(head->str) != head->str_len ||
        inc_checkpoint_parse(head->str, &cp) != INC_OK)
        return fail(im, INC_EINVAL, head, "%s", "head: not a checkpoint SEQ:HASH");
    if (cp.seq != im->count || memcmp(cp.hash, im->prev, INC__SHA256_LEN) != 0)
        return fail(im, INC_ECORRUPT, head,
                    "head: %.30s... is not the last event's checkpoint "
                    "(TL-5)",
                    head->str);
    return INC_OK;
}

static int import_document(importer *im, const inc__json *root, inc_incident **out)
{
    const inc__json *id = member(root, "id", INC__JSON_STRING);
    const inc__json *events = member(root, "events", INC__JSON_ARRAY);
    inc_incident *inc = NULL;
    int rc;

    if ((rc = check_header(im, root, 0)) != INC_OK)
        return rc;
    if (!events || im->count == 0)
        return fail(im, INC_EINVAL, events, "%s", "events: missing or empty");
    if ((rc = import_head(im, root)) != INC_OK || (rc = import_rubrics(im, root)) != INC_OK ||
        (rc = import_replay(im, id->str, &inc)) != INC_OK ||
        (rc = import_blob(im, inc)) != INC_OK || (rc = import_store(im, inc)) != INC_OK) {
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
    inc__json_limits limits = {0, NULL, NULL, NULL};
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
    limits.max_tree = len > IMPORT_TREE_FLOOR ? len : IMPORT_TREE_FLOOR;
    limits.stream_key = "events";
    limits.on_item = import_item;
    limits.user = &im;
    inc__buf_init(&im.bytes, &ctx->alloc);
    inc__buf_init(&im.scratch, &ctx->alloc);
    rc = inc__json_parse_limited(&ctx->alloc, json, len, &limits, &root, diag);
    if (rc != INC_OK && ctx->err.code == INC_OK) /* else an event's failure, reported */
        rc = inc_error_set(&ctx->err, rc, "import: %s", diag->message);
    if (rc == INC_OK)
        rc = import_document(&im, root, out);
    inc__buf_dispose(&im.scratch);
    inc__buf_dispose(&im.bytes);
    inc__free(&ctx->alloc, im.offsets);
    inc__json_free(&ctx->alloc, root);
    return rc;
}
