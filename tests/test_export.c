/* JSON export and import of a whole incident: round trip, and bad documents
 * rejected with a clear error while the store stays untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"

typedef struct fixture {
    struct inc_test_clock clock;
    inc_context *src;
    inc_context *dst;
    inc_incident *inc;
    char *json;
    size_t len;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;

    inc_test_clock_init(&f->clock, 1795443120000LL);
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &f->src), INC_OK);
    assert_int_equal(inc_context_new(&o, &f->dst), INC_OK);
    d.title = "Checkout \"errors\" \xe2\x80\x94 EU";
    d.declarer = "alice";
    d.severity = "Sev-2";
    d.detected = 1795443000000LL;
    assert_int_equal(inc_incident_declare(f->src, &d, &f->inc), INC_OK);
    inc_test_clock_advance(&f->clock, 60000);
    assert_int_equal(inc_incident_note(f->inc, "bob", "line one\nline two\ttab"), INC_OK);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "US too"), INC_OK);
    assert_int_equal(inc_incident_export_json(f->inc, &f->json, &f->len), INC_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    inc_free(f->json);
    inc_incident_free(f->inc);
    inc_context_free(f->src);
    inc_context_free(f->dst);
    free(f);
    return 0;
}

static int count_ids(void *user, const char *id)
{
    (void)id;
    (*(int *)user)++;
    return 0;
}

static int count_blob(void *user, const void *data, size_t len)
{
    (void)data;
    (void)len;
    (*(int *)user)++;
    return 0;
}

static int dst_incidents(fixture *f)
{
    int n = 0;
    assert_int_equal(inc_context_list(f->dst, count_ids, &n), INC_OK);
    return n;
}

static void test_export_import_round_trip(void **state)
{
    fixture *f = *state;
    inc_incident *copy = NULL;
    char *a = NULL, *b = NULL;
    uint64_t bad = 1;

    assert_int_equal(strlen(f->json), f->len);
    assert_non_null(strstr(f->json, "\"format\":\"libincident.incident\""));
    assert_int_equal(inc_incident_import_json(f->dst, f->json, f->len, &copy, NULL), INC_OK);
    assert_string_equal(inc_incident_id(copy), inc_incident_id(f->inc));
    assert_string_equal(inc_incident_severity(copy), "Sev-1");
    assert_string_equal(inc_incident_title(copy), inc_incident_title(f->inc));
    assert_int_equal(inc_incident_detected(copy), 1795443000000LL);
    assert_int_equal(inc_incident_verify(copy, &bad), INC_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(inc_incident_export_json(copy, &a, NULL), INC_OK);
    assert_string_equal(a, f->json); /* byte for byte */
    assert_int_equal(inc_incident_render_timeline(copy, &b, NULL), INC_OK);
    assert_non_null(strstr(b, "line one\n    | line two\ttab")); /* continuation marked */
    inc_free(a);
    inc_free(b);
    inc_incident_free(copy);
    /* importing again: the id exists */
    assert_int_equal(inc_incident_import_json(f->dst, f->json, f->len, NULL, NULL), INC_EEXIST);
    assert_int_equal(dst_incidents(f), 1);
}

static void expect_rejected(fixture *f, const char *doc, int code, const char *words)
{
    inc_diag diag;
    inc_incident *out = (inc_incident *)1;
    int rc = inc_incident_import_json(f->dst, doc, strlen(doc), &out, &diag);
    if (rc != code)
        fail_msg("expected %s, got %s: %s", inc_status_name(code), inc_status_name(rc),
                 diag.message);
    assert_null(out);
    assert_int_equal(diag.code, code);
    if (words && !strstr(diag.message, words))
        fail_msg("message '%s' lacks '%s'", diag.message, words);
    assert_int_equal(dst_incidents(f), 0);
}

/* A copy of the export with the first @from replaced by @to. */
static char *edited(fixture *f, const char *from, const char *to)
{
    const char *at = strstr(f->json, from);
    char *out;
    assert_non_null(at);
    out = malloc(f->len + strlen(to) + 1);
    memcpy(out, f->json, (size_t)(at - f->json));
    strcpy(out + (at - f->json), to);
    strcat(out, at + strlen(from));
    return out;
}

static void reject_edit(fixture *f, const char *from, const char *to, int code, const char *w)
{
    char *doc = edited(f, from, to);
    expect_rejected(f, doc, code, w);
    free(doc);
}

static void test_import_rejects_malformed_json(void **state)
{
    fixture *f = *state;
    inc_diag diag;
    expect_rejected(f, "", INC_EPARSE, NULL);
    expect_rejected(f, "{\"format\":", INC_EPARSE, NULL);
    expect_rejected(f, "[1,2,]", INC_EPARSE, NULL);
    assert_int_equal(inc_incident_import_json(f->dst, "{\"a\":1 x", 8, NULL, &diag), INC_EPARSE);
    assert_true(diag.offset >= 6);
    assert_int_equal(inc_incident_import_json(f->dst, NULL, 0, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_import_json(NULL, "{}", 2, NULL, NULL), INC_EINVAL);
}

static void test_import_rejects_bad_documents(void **state)
{
    fixture *f = *state;
    expect_rejected(f, "{}", INC_EINVAL, "format");
    reject_edit(f, "\"version\":2", "\"version\":3", INC_EVERSION, "version");
    reject_edit(f, "\"version\":2", "\"version\":0", INC_EVERSION, "version");
    reject_edit(f, "\"events\":[", "\"events\":[],\"x\":[", INC_EINVAL, "events");
    reject_edit(f, "\"kind\":\"note\"", "\"kind\":\"gossip\"", INC_EINVAL, "gossip");
    reject_edit(f, "\"actor\":\"bob\"", "\"actor\":7", INC_EINVAL, "actor");
    reject_edit(f, "\"actor\":\"bob\"", "\"actress\":\"bob\"", INC_EINVAL, "actress");
    reject_edit(f, "\"seq\":2", "\"seq\":5", INC_EINVAL, "seq");
    reject_edit(f, "\"id\":\"2026", "\"id\":\"../2026", INC_EINVAL, "id");
}

static void test_TL_02_import_rejects_tampering(void **state)
{
    fixture *f = *state;
    /* the content changed but the hashes did not */
    reject_edit(f, "line one", "line 0ne", INC_ECORRUPT, "hash");
    reject_edit(f, "\"time_ms\":1795443180000", "\"time_ms\":1795443180001", INC_ECORRUPT, "hash");
    reject_edit(f, "\"prev_hash\":\"0000", "\"prev_hash\":\"1000", INC_ECORRUPT, "chain");
}

static void test_import_rejects_incomplete_event(void **state)
{
    fixture *f = *state;
    expect_rejected(f,
                    "{\"format\":\"libincident.incident\",\"version\":1,\"id\":\"a\","
                    "\"events\":[{}]}",
                    INC_EINVAL, "event");
    reject_edit(f, "\"fields\":{\"actor\":\"bob\"", "\"fields\":{\"actor\":\"bob\",\"title\":1",
                INC_EINVAL, "title");
}

static void test_import_allocation_failures_leave_store_empty(void **state)
{
    fixture *f = *state;
    struct inc_test_alloc ta;
    inc_allocator a;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    unsigned long n;
    int done = 0;

    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    o.allocator = &a;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    for (n = 1; !done && n < 100000; n++) {
        inc_incident *copy = NULL;
        int rc, count = 0;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_import_json(ctx, f->json, f->len, &copy, NULL);
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(inc_context_list(ctx, count_ids, &count), INC_OK);
        if (rc == INC_OK) {
            assert_int_equal(count, 1);
            inc_incident_free(copy);
            done = 1;
        } else {
            assert_int_equal(rc, INC_ENOMEM);
            assert_null(copy);
            assert_int_equal(count, 0);
        }
    }
    assert_true(done);
    inc_context_free(ctx);
    assert_int_equal(ta.live_blocks, 0);
}

/* ---- import memory: at most 4 times the document ---------------------------------- */

/* A context whose allocator is @ta (its memory store too). */
static inc_context *counted_context(struct inc_test_alloc *ta, inc_allocator *a)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_test_alloc_init(ta);
    *a = inc_test_alloc_allocator(ta);
    o.allocator = a;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    return ctx;
}

/* What importing @json into a fresh counted context takes at its peak, above
 * what the context held before; the import's status in *rc. */
static size_t import_peak(const char *json, size_t len, int *rc)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    inc_context *ctx = counted_context(&ta, &a);
    inc_incident *copy = NULL;
    size_t base = ta.live_bytes, peak;
    ta.peak_bytes = base;
    *rc = inc_incident_import_json(ctx, json, len, &copy, NULL);
    peak = ta.peak_bytes - base;
    inc_incident_free(copy);
    inc_context_free(ctx);
    assert_int_equal(ta.live_blocks, 0);
    return peak;
}

/* A real export of about 2 MB (an incident with 5,500 notes) imports, and
 * the import's memory at its peak, everything it allocates included (the
 * parse, the rebuilt events, the replayed incident it returns, the memory
 * store's copy), stays within 4 times the document. */
static void test_import_memory_at_most_4x_the_document(void **state)
{
    fixture *f = *state;
    char text[200], *json = NULL;
    size_t len = 0, peak;
    int i, rc;
    for (i = 0; i < 5500; i++) {
        snprintf(text, sizeof(text),
                 "note %d: the quick brown fox jumps over the lazy dog, again and again, to "
                 "fill the record of this incident",
                 i);
        assert_int_equal(inc_incident_note(f->inc, "bob", text), INC_OK);
    }
    assert_int_equal(inc_incident_export_json(f->inc, &json, &len), INC_OK);
    assert_true(len > 2000000);
    peak = import_peak(json, len, &rc);
    assert_int_equal(rc, INC_OK);
    print_message("import of %zu bytes: peak %zu bytes (%.2fx)\n", len, peak,
                  (double)peak / (double)len);
    assert_true(peak <= 4 * len);
    inc_free(json);
}

/* A document built to blow the JSON tree up (2 MB of tiny values) is
 * refused (INC_ETOOBIG) before its tree outgrows the document. */
static void test_import_refuses_a_tree_blowup_within_4x(void **state)
{
    static const char head[] = "{\"format\":\"libincident.incident\",\"version\":1,\"id\":\"x\","
                               "\"x\":[";
    size_t n = 1000000, len = sizeof(head) - 1 + 2 * n + 16, peak, i;
    char *json = malloc(len + 1), *p = json;
    int rc;
    (void)state;
    assert_non_null(json);
    memcpy(p, head, sizeof(head) - 1);
    p += sizeof(head) - 1;
    for (i = 0; i < n; i++) {
        *p++ = '0';
        *p++ = i + 1 < n ? ',' : ']';
    }
    p += sprintf(p, ",\"events\":[]}");
    len = (size_t)(p - json);
    peak = import_peak(json, len, &rc);
    assert_int_equal(rc, INC_ETOOBIG);
    print_message("blow-up of %zu bytes refused: peak %zu bytes (%.2fx)\n", len, peak,
                  (double)peak / (double)len);
    assert_true(peak <= 4 * len);
    free(json);
}

/* RUB-4: the export carries the rubric's text once, in "rubrics", under the
 * SHA-256 the declaration names; the import checks it and brings it into
 * the new store (which then holds it as a blob). */
static void test_RUB_4_export_carries_the_rubric_once(void **state)
{
    fixture *f = *state;
    const char *table = strstr(f->json, "\"rubrics\":{\""), *decl;
    char key[65];
    inc_incident *copy = NULL;
    inc_store *fresh = NULL;
    inc_context *ctx = NULL;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;

    assert_non_null(table);
    memcpy(key, table + 12, 64);
    key[64] = 0;
    decl = strstr(f->json, "\"rubric_sha256\":\"");
    assert_non_null(decl);
    assert_memory_equal(decl + 17, key, 64);
    assert_null(strstr(f->json, "\"rubric\":")); /* the text is not in the declaration */
    assert_int_equal(inc_incident_import_json(f->dst, f->json, f->len, &copy, NULL), INC_OK);
    inc_incident_free(copy);
    assert_int_equal(inc_store_get_blob(inc_context_store(f->dst), key, count_blob, &(int){0}),
                     INC_OK);
    /* A context that never saw the document reads the copy through the blob. */
    o.store = inc_context_store(f->dst);
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    assert_int_equal(inc_incident_open(ctx, inc_incident_id(f->inc), &copy), INC_OK);
    assert_string_equal(inc_incident_severity(copy), "Sev-1");
    inc_incident_free(copy);
    inc_context_free(ctx);
    /* A store that keeps no blobs cannot take it: refused, nothing stored. */
    assert_int_equal(inc_test_blobless_store(inc_context_store(f->src), &fresh), INC_OK);
    o.store = fresh;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    assert_int_equal(inc_incident_import_json(ctx, f->json, f->len, NULL, NULL), INC_EUNSUPPORTED);
    assert_non_null(strstr(inc_context_errmsg(ctx), "keeps no blobs"));
    inc_context_free(ctx);
    inc_store_free(fresh);
}

/* RUB-4: a changed rubric text in the document is caught by its hash; a
 * document without the table is refused where the store lacks the blob. */
static void test_RUB_4_import_checks_the_rubric(void **state)
{
    fixture *f = *state;
    const char *table = strstr(f->json, "\"rubrics\":{\"");
    const char *end = strstr(table, "},\"events\"");
    char *doc;
    size_t cut;

    reject_edit(f, "name = default", "name = defaulT", INC_ECORRUPT, "SHA-256");
    /* without the table: the destination has no such blob */
    assert_non_null(end);
    cut = (size_t)(end + 1 - table) + 1; /* the member and its comma */
    doc = malloc(f->len + 1);
    memcpy(doc, f->json, (size_t)(table - f->json));
    strcpy(doc + (table - f->json), table + cut);
    expect_rejected(f, doc, INC_ECORRUPT, "not in the store");
    free(doc);
}

/* RUB-4: a declaration written before store backend version 3 (the rubric
 * text inline, export version 1) still imports and exports alike. */
static void test_RUB_4_inline_declarations_still_read(void **state)
{
    fixture *f = *state;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_store *mem = NULL, *old = NULL;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL, *copy = NULL;
    char *json = NULL, *again = NULL, *v1;
    const char *at;

    assert_int_equal(inc_store_memory_new(NULL, &mem), INC_OK);
    assert_int_equal(inc_test_blobless_store(mem, &old), INC_OK);
    o.store = old;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.title = "old style";
    d.declarer = "alice";
    d.severity = "Sev-3";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_export_json(inc, &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"rubrics\":{}"));
    assert_non_null(strstr(json, "\"rubric\":\""));
    /* as a version 1 document: no table */
    at = strstr(json, ",\"rubrics\":{}");
    v1 = malloc(strlen(json) + 1);
    memcpy(v1, json, (size_t)(at - json));
    strcpy(v1 + (at - json), at + 13);
    memcpy(strstr(v1, "\"version\":2"), "\"version\":1", 11);
    assert_int_equal(inc_incident_import_json(f->dst, v1, strlen(v1), &copy, NULL), INC_OK);
    assert_string_equal(inc_incident_title(copy), "old style");
    assert_int_equal(inc_incident_export_json(copy, &again, NULL), INC_OK);
    assert_string_equal(again, json);
    inc_free(again);
    inc_incident_free(copy);
    free(v1);
    inc_free(json);
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(old);
    inc_store_free(mem);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_export_import_round_trip),
        T(test_import_rejects_malformed_json),
        T(test_import_rejects_bad_documents),
        T(test_TL_02_import_rejects_tampering),
        T(test_import_rejects_incomplete_event),
        T(test_import_allocation_failures_leave_store_empty),
        T(test_import_memory_at_most_4x_the_document),
        T(test_import_refuses_a_tree_blowup_within_4x),
        T(test_RUB_4_export_carries_the_rubric_once),
        T(test_RUB_4_import_checks_the_rubric),
        T(test_RUB_4_inline_declarations_still_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
