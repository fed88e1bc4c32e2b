/* The store contract of incident/sys/store.h, once for every backend:
 * numbering, conflicts, all-or-nothing appends, reads from a sequence
 * number, listing, the bulk scan, exact bytes, bad ids, and two handles
 * racing on one incident. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <incident.h>

#include "store_contract.h"

static const inc_contract_backend *current; /* the backend of the group running */

typedef struct seen {
    uint64_t seqs[1024];
    size_t lens[1024];
    unsigned char *data[1024];
    size_t n;
    int stop_at; /* stop (return 7) when this many were seen; 0 = never */
} seen;

static int on_event(void *user, uint64_t seq, const void *data, size_t len)
{
    seen *s = user;
    assert_true(s->n < 1024);
    s->seqs[s->n] = seq;
    s->lens[s->n] = len;
    s->data[s->n] = malloc(len ? len : 1);
    assert_non_null(s->data[s->n]);
    if (len)
        memcpy(s->data[s->n], data, len);
    s->n++;
    return s->stop_at && (int)s->n == s->stop_at ? 7 : 0;
}

static void seen_free(seen *s)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        free(s->data[i]);
    s->n = 0;
}

static inc_store *fresh(void)
{
    inc_store *store = NULL;
    assert_int_equal(current->open_empty(current->user, &store), 0);
    assert_non_null(store);
    return store;
}

static int append_text(inc_store *store, const char *id, uint64_t expected, const char *a,
                       const char *b)
{
    inc_store_record r[2] = {{a, strlen(a)}, {b, b ? strlen(b) : 0}};
    return inc_store_append(store, id, expected, r, b ? 2 : 1);
}

static size_t count_events(inc_store *store, const char *id)
{
    seen s;
    int rc;
    memset(&s, 0, sizeof(s));
    rc = inc_store_read(store, id, 1, on_event, &s);
    if (rc == INC_ENOTFOUND)
        return 0;
    assert_int_equal(rc, INC_OK);
    rc = (int)s.n;
    seen_free(&s);
    return (size_t)rc;
}

/* Events are numbered 1, 2, 3, ... in the order appended, across appends. */
static void test_numbering(void **state)
{
    inc_store *store = fresh();
    seen s;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(append_text(store, "inc-1", 0, "one", NULL), INC_OK);
    assert_int_equal(append_text(store, "inc-1", 1, "two", "three"), INC_OK);
    assert_int_equal(inc_store_read(store, "inc-1", 1, on_event, &s), INC_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.seqs[0], 1);
    assert_int_equal(s.seqs[1], 2);
    assert_int_equal(s.seqs[2], 3);
    assert_memory_equal(s.data[1], "two", 3);
    assert_memory_equal(s.data[2], "three", 5);
    seen_free(&s);
    inc_store_free(store);
}

/* An append at the wrong expected number is INC_ECONFLICT and stores
 * nothing: behind the last number, ahead of it, and on a new incident. */
static void test_conflicts_store_nothing(void **state)
{
    inc_store *store = fresh();
    (void)state;
    assert_int_equal(append_text(store, "inc-1", 0, "a", "b"), INC_OK);
    assert_int_equal(append_text(store, "inc-1", 0, "x", NULL), INC_ECONFLICT);
    assert_int_equal(append_text(store, "inc-1", 1, "x", "y"), INC_ECONFLICT);
    assert_int_equal(append_text(store, "inc-1", 5, "x", NULL), INC_ECONFLICT);
    assert_int_equal(append_text(store, "inc-new", 3, "x", NULL), INC_ECONFLICT);
    assert_true(strlen(inc_store_errmsg(store)) > 0);
    assert_int_equal(count_events(store, "inc-1"), 2);
    assert_int_equal(count_events(store, "inc-new"), 0);
    assert_int_equal(inc_store_read(store, "inc-new", 1, on_event, &(seen){0}), INC_ENOTFOUND);
    inc_store_free(store);
}

/* An append of no records only checks the number. */
static void test_empty_append_checks_only(void **state)
{
    inc_store *store = fresh();
    (void)state;
    assert_int_equal(inc_store_append(store, "inc-1", 0, NULL, 0), INC_OK);
    assert_int_equal(append_text(store, "inc-1", 0, "a", NULL), INC_OK);
    assert_int_equal(inc_store_append(store, "inc-1", 1, NULL, 0), INC_OK);
    assert_int_equal(inc_store_append(store, "inc-1", 0, NULL, 0), INC_ECONFLICT);
    assert_int_equal(inc_store_append(store, "inc-1", 2, NULL, 0), INC_ECONFLICT);
    assert_int_equal(count_events(store, "inc-1"), 1);
    inc_store_free(store);
}

/* A large batch is stored whole, numbered in order; a batch refused is
 * refused whole. */
static void test_batches_all_or_nothing(void **state)
{
    enum { N = 500 };
    inc_store_record *r = calloc(N, sizeof(*r));
    char(*text)[16] = calloc(N, sizeof(*text));
    inc_store *store = fresh();
    seen s;
    size_t i;
    (void)state;
    assert_non_null(r);
    assert_non_null(text);
    for (i = 0; i < N; i++) {
        snprintf(text[i], sizeof(text[i]), "event %zu", i + 1);
        r[i].data = text[i];
        r[i].len = strlen(text[i]);
    }
    assert_int_equal(inc_store_append(store, "big", 0, r, N), INC_OK);
    assert_int_equal(inc_store_append(store, "big", 0, r, N), INC_ECONFLICT);
    assert_int_equal(inc_store_append(store, "big", N - 1, r, N), INC_ECONFLICT);
    assert_int_equal(inc_store_append(store, "big", N + 1, r, 3), INC_ECONFLICT);
    memset(&s, 0, sizeof(s));
    assert_int_equal(inc_store_read(store, "big", 1, on_event, &s), INC_OK);
    assert_int_equal(s.n, N);
    for (i = 0; i < N; i++) {
        assert_int_equal(s.seqs[i], i + 1);
        assert_int_equal(s.lens[i], strlen(text[i]));
        assert_memory_equal(s.data[i], text[i], s.lens[i]);
    }
    seen_free(&s);
    inc_store_free(store);
    free(r);
    free(text);
}

/* A read starts at from_seq (0 reads from 1), past the end reads nothing;
 * a callback's non-zero value stops it and is returned. */
static void test_read_from(void **state)
{
    inc_store *store = fresh();
    seen s;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(append_text(store, "inc-1", 0, "a", "b"), INC_OK);
    assert_int_equal(append_text(store, "inc-1", 2, "c", "d"), INC_OK);
    assert_int_equal(inc_store_read(store, "inc-1", 3, on_event, &s), INC_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.seqs[0], 3);
    assert_memory_equal(s.data[0], "c", 1);
    seen_free(&s);
    assert_int_equal(inc_store_read(store, "inc-1", 0, on_event, &s), INC_OK);
    assert_int_equal(s.n, 4);
    seen_free(&s);
    assert_int_equal(inc_store_read(store, "inc-1", 9, on_event, &s), INC_OK);
    assert_int_equal(s.n, 0);
    s.stop_at = 2;
    assert_int_equal(inc_store_read(store, "inc-1", 1, on_event, &s), 7);
    assert_int_equal(s.n, 2);
    seen_free(&s);
    inc_store_free(store);
}

typedef struct ids {
    char v[8][INC_ID_MAX + 1];
    int n, stop_at;
} ids;

static int on_id(void *user, const char *id)
{
    ids *l = user;
    assert_true(l->n < 8);
    snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", id);
    return l->stop_at && l->n == l->stop_at ? 9 : 0;
}

static int has_id(const ids *l, const char *id)
{
    int i, found = 0;
    for (i = 0; i < l->n; i++)
        found += strcmp(l->v[i], id) == 0;
    return found;
}

/* Listing gives each incident once; an empty store lists nothing. */
static void test_listing(void **state)
{
    inc_store *store = fresh();
    ids l;
    (void)state;
    memset(&l, 0, sizeof(l));
    assert_int_equal(inc_store_list(store, on_id, &l), INC_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(append_text(store, "a-1", 0, "x", "y"), INC_OK);
    assert_int_equal(append_text(store, "b-2", 0, "x", NULL), INC_OK);
    assert_int_equal(append_text(store, "c-3", 0, "x", NULL), INC_OK);
    assert_int_equal(append_text(store, "a-1", 2, "z", NULL), INC_OK);
    assert_int_equal(inc_store_list(store, on_id, &l), INC_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(has_id(&l, "a-1"), 1);
    assert_int_equal(has_id(&l, "b-2"), 1);
    assert_int_equal(has_id(&l, "c-3"), 1);
    memset(&l, 0, sizeof(l));
    l.stop_at = 1;
    assert_int_equal(inc_store_list(store, on_id, &l), 9);
    assert_int_equal(l.n, 1);
    inc_store_free(store);
}

typedef struct scanned {
    char last_id[INC_ID_MAX + 1];
    uint64_t last_seq;
    int incidents, events, stop_at;
} scanned;

static int on_scan(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    scanned *s = user;
    (void)data;
    assert_true(len > 0);
    if (strcmp(id, s->last_id) != 0) { /* a new incident starts at 1 */
        assert_int_equal(seq, 1);
        s->incidents++;
        snprintf(s->last_id, sizeof(s->last_id), "%s", id);
    } else {
        assert_int_equal(seq, s->last_seq + 1); /* together and in order */
    }
    s->last_seq = seq;
    s->events++;
    return s->stop_at && s->events == s->stop_at ? 5 : 0;
}

/* The bulk scan gives every event of every incident, each incident's
 * together and in order; the callback can stop it. */
static void test_scan(void **state)
{
    inc_store *store = fresh();
    scanned s;
    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(inc_store_scan(store, on_scan, &s), INC_OK);
    assert_int_equal(s.events, 0);
    assert_int_equal(append_text(store, "a-1", 0, "x", "y"), INC_OK);
    assert_int_equal(append_text(store, "b-2", 0, "x", NULL), INC_OK);
    assert_int_equal(append_text(store, "a-1", 2, "z", "w"), INC_OK);
    assert_int_equal(append_text(store, "c-3", 0, "x", "y"), INC_OK);
    assert_int_equal(inc_store_scan(store, on_scan, &s), INC_OK);
    assert_int_equal(s.incidents, 3);
    assert_int_equal(s.events, 7);
    memset(&s, 0, sizeof(s));
    s.stop_at = 3;
    assert_int_equal(inc_store_scan(store, on_scan, &s), 5);
    assert_int_equal(s.events, 3);
    inc_store_free(store);
}

/* The bytes come back exactly: every byte value, NULs, an empty record and
 * a large one. */
static void test_exact_bytes(void **state)
{
    enum { BIG = 256 * 1024 };
    unsigned char all[256], *big = malloc(BIG);
    inc_store_record r[3];
    inc_store *store = fresh();
    seen s;
    size_t i;
    (void)state;
    assert_non_null(big);
    for (i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    for (i = 0; i < BIG; i++)
        big[i] = (unsigned char)(i * 7 + (i >> 9));
    r[0].data = all;
    r[0].len = sizeof(all);
    r[1].data = "";
    r[1].len = 0;
    r[2].data = big;
    r[2].len = BIG;
    assert_int_equal(inc_store_append(store, "bytes", 0, r, 3), INC_OK);
    memset(&s, 0, sizeof(s));
    assert_int_equal(inc_store_read(store, "bytes", 1, on_event, &s), INC_OK);
    assert_int_equal(s.n, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(s.lens[i], r[i].len);
        if (r[i].len)
            assert_memory_equal(s.data[i], r[i].data, r[i].len);
    }
    seen_free(&s);
    inc_store_free(store);
    free(big);
}

/* A bad id is INC_EINVAL before the backend is asked, and nothing is
 * stored. */
static void test_bad_ids(void **state)
{
    static const char *const bad[] = {"", "Upper", "with space", "sl/ash", "dot.dot", "x'; --"};
    char longer[INC_ID_MAX + 2];
    inc_store *store = fresh();
    ids l;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(append_text(store, bad[i], 0, "x", NULL), INC_EINVAL);
        assert_int_equal(inc_store_read(store, bad[i], 1, on_event, &(seen){0}), INC_EINVAL);
    }
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = 0;
    assert_int_equal(append_text(store, longer, 0, "x", NULL), INC_EINVAL);
    longer[INC_ID_MAX] = 0; /* the longest allowed */
    assert_int_equal(append_text(store, longer, 0, "x", NULL), INC_OK);
    memset(&l, 0, sizeof(l));
    assert_int_equal(inc_store_list(store, on_id, &l), INC_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0], longer);
    inc_store_free(store);
}

/* Two handles on one storage append at the same number: exactly one wins,
 * the other gets INC_ECONFLICT and sees the winner's event. */
static void test_two_handles_race(void **state)
{
    inc_store *a = fresh(), *b = NULL;
    seen s;
    (void)state;
    if (!current->open_again) {
        inc_store_free(a);
        skip();
    }
    assert_int_equal(current->open_again(current->user, &b), 0);
    assert_int_equal(append_text(a, "race", 0, "first", NULL), INC_OK);
    assert_int_equal(append_text(b, "race", 0, "second", NULL), INC_ECONFLICT);
    assert_int_equal(append_text(b, "race", 1, "b wins", NULL), INC_OK);
    assert_int_equal(append_text(a, "race", 1, "a loses", NULL), INC_ECONFLICT);
    memset(&s, 0, sizeof(s));
    assert_int_equal(inc_store_read(a, "race", 1, on_event, &s), INC_OK);
    assert_int_equal(s.n, 2);
    assert_memory_equal(s.data[0], "first", 5);
    assert_memory_equal(s.data[1], "b wins", 6);
    seen_free(&s);
    inc_store_free(a);
    inc_store_free(b);
}

/* inc_store_wait returns 1 ("may have changed") or 0, never an error, on a
 * healthy store; a negative timeout is refused. */
static void test_wait(void **state)
{
    inc_store *store = fresh();
    int rc;
    (void)state;
    rc = inc_store_wait(store, 1);
    assert_true(rc == 0 || rc == 1);
    assert_int_equal(inc_store_wait(store, -1), INC_EINVAL);
    assert_int_equal(inc_store_wait(NULL, 1), INC_EINVAL);
    inc_store_free(store);
}

/* ---- blobs (backend version 3) --------------------------------------------- */

typedef struct blob_seen {
    unsigned char *data;
    size_t len;
    int calls;
} blob_seen;

static int on_blob(void *user, const void *data, size_t len)
{
    blob_seen *b = user;
    b->calls++;
    free(b->data);
    b->data = malloc(len ? len : 1);
    assert_non_null(b->data);
    if (len)
        memcpy(b->data, data, len);
    b->len = len;
    return 0;
}

static void expect_blob(inc_store *store, const char *key, const void *data, size_t len)
{
    blob_seen b = {NULL, 0, 0};
    assert_int_equal(inc_store_get_blob(store, key, on_blob, &b), INC_OK);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.len, len);
    if (len)
        assert_memory_equal(b.data, data, len);
    free(b.data);
}

/* A blob comes back exactly under the SHA-256 of its bytes (every byte
 * value, an empty one), storing it again changes nothing, an unknown key
 * is INC_ENOTFOUND and a malformed one INC_EINVAL, a second handle sees
 * it, and blobs are not incidents. A backend without blobs says
 * INC_EUNSUPPORTED for both calls. */
static void test_blobs(void **state)
{
    static const char empty_key[] =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    unsigned char all[256];
    char key[INC_STORE_BLOB_KEY_LEN + 1], again[INC_STORE_BLOB_KEY_LEN + 1];
    inc_store *store = fresh(), *other = NULL;
    blob_seen b = {NULL, 0, 0};
    ids l;
    size_t i;
    int rc;
    (void)state;
    for (i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    rc = inc_store_put_blob(store, all, sizeof(all), key);
    if (rc == INC_EUNSUPPORTED) {
        assert_int_equal(inc_store_get_blob(store, empty_key, on_blob, &b), INC_EUNSUPPORTED);
        assert_int_equal(b.calls, 0);
        inc_store_free(store);
        return;
    }
    assert_int_equal(rc, INC_OK);
    assert_string_equal(key, "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
    assert_int_equal(inc_store_put_blob(store, all, sizeof(all), again), INC_OK);
    assert_string_equal(again, key);
    expect_blob(store, key, all, sizeof(all));
    assert_int_equal(inc_store_put_blob(store, "", 0, again), INC_OK);
    assert_string_equal(again, empty_key);
    expect_blob(store, empty_key, "", 0);
    assert_int_equal(inc_store_get_blob(store,
                                        "0000000000000000000000000000000000000000000000000000"
                                        "000000000000",
                                        on_blob, &b),
                     INC_ENOTFOUND);
    assert_int_equal(inc_store_get_blob(store,
                                        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA4"
                                        "95991B7852B855",
                                        on_blob, &b),
                     INC_EINVAL);
    assert_int_equal(inc_store_get_blob(store, "../../etc/passwd", on_blob, &b), INC_EINVAL);
    assert_int_equal(inc_store_get_blob(store, key, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_store_put_blob(store, NULL, 1, NULL), INC_EINVAL);
    assert_int_equal(b.calls, 0);
    memset(&l, 0, sizeof(l));
    assert_int_equal(inc_store_list(store, on_id, &l), INC_OK);
    assert_int_equal(l.n, 0);
    if (current->open_again) {
        assert_int_equal(current->open_again(current->user, &other), 0);
        expect_blob(other, key, all, sizeof(all));
        inc_store_free(other);
    }
    inc_store_free(store);
}

/* RUB-4 through the store: incidents declared on it open again from a
 * fresh context (a second handle when the backend has one); with blobs the
 * declaration names the rubric by its SHA-256 and stays small, without
 * them it carries the text. */
static void test_RUB_4_rubric_recorded_once(void **state)
{
    inc_store *store = fresh(), *reader = store;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx = NULL, *rctx = NULL;
    inc_incident *inc = NULL;
    char ids_made[2][INC_ID_MAX + 1];
    seen s;
    int i, blobs;
    (void)state;
    o.store = store;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.declarer = "ana";
    d.severity = "Sev-2";
    for (i = 0; i < 2; i++) {
        d.title = i ? "second" : "first";
        if (inc_incident_declare(ctx, &d, &inc) != INC_OK)
            fail_msg("declare: %s", inc_context_errmsg(ctx));
        snprintf(ids_made[i], sizeof(ids_made[i]), "%s", inc_incident_id(inc));
        inc_incident_free(inc);
    }
    blobs = inc_store_put_blob(store, "", 0, NULL) != INC_EUNSUPPORTED;
    memset(&s, 0, sizeof(s));
    assert_int_equal(inc_store_read(store, ids_made[1], 1, on_event, &s), INC_OK);
    if (blobs)
        assert_true(s.lens[0] < 512);
    else
        assert_true(s.lens[0] > 2048);
    seen_free(&s);
    if (current->open_again)
        assert_int_equal(current->open_again(current->user, &reader), 0);
    o.store = reader;
    assert_int_equal(inc_context_new(&o, &rctx), INC_OK);
    for (i = 0; i < 2; i++) {
        assert_int_equal(inc_incident_open(rctx, ids_made[i], &inc), INC_OK);
        assert_string_equal(inc_incident_title(inc), i ? "second" : "first");
        assert_string_equal(inc_incident_severity(inc), "Sev-2");
        inc_incident_free(inc);
    }
    inc_context_free(rctx);
    inc_context_free(ctx);
    if (reader != store)
        inc_store_free(reader);
    inc_store_free(store);
}

/* Declare one incident through a context on @store; its id in @id. */
static void declare_on(inc_store *store, const char *title, char id[INC_ID_MAX + 1])
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    o.store = store;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.declarer = "ana";
    d.severity = "Sev-2";
    d.title = title;
    if (inc_incident_declare(ctx, &d, &inc) != INC_OK)
        fail_msg("declare: %s", inc_context_errmsg(ctx));
    assert_int_equal(inc_incident_note(inc, "ana", "a second event"), INC_OK);
    snprintf(id, INC_ID_MAX + 1, "%s", inc_incident_id(inc));
    inc_incident_free(inc);
    inc_context_free(ctx);
}

static void expect_opens(inc_store *store, const char *id, const char *title)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    o.store = store;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    if (inc_incident_open(ctx, id, &inc) != INC_OK)
        fail_msg("open %s: %s", id, inc_context_errmsg(ctx));
    assert_string_equal(inc_incident_title(inc), title);
    assert_int_equal(inc_incident_last_seq(inc), 2);
    inc_incident_free(inc);
    inc_context_free(ctx);
}

/* RUB-4: an incident copied as stored, either way between this backend and
 * a memory store, opens in its new store (the rubric's blob came along);
 * into a store without blobs, a declaration by key is refused with nothing
 * appended; a second copy is a conflict; bad arguments are refused. */
static void test_RUB_4_copy_incident(void **state)
{
    inc_store *store = fresh(), *mem = NULL, *back = NULL;
    char out_id[INC_ID_MAX + 1], in_id[INC_ID_MAX + 1];
    uint64_t n = 9;
    int blobs;
    (void)state;
    assert_int_equal(inc_store_memory_new(NULL, &mem), INC_OK);
    blobs = inc_store_put_blob(store, "", 0, NULL) != INC_EUNSUPPORTED;
    declare_on(store, "from the backend", out_id);
    assert_int_equal(inc_store_copy_incident(store, mem, out_id, &n), INC_OK);
    assert_int_equal(n, 2);
    expect_opens(mem, out_id, "from the backend");
    assert_int_equal(inc_store_copy_incident(store, mem, out_id, NULL), INC_ECONFLICT);
    declare_on(mem, "into the backend", in_id);
    n = 9;
    if (blobs) {
        assert_int_equal(inc_store_copy_incident(mem, store, in_id, &n), INC_OK);
        assert_int_equal(n, 2);
        if (current->open_again) {
            assert_int_equal(current->open_again(current->user, &back), 0);
            expect_opens(back, in_id, "into the backend");
            inc_store_free(back);
        } else {
            expect_opens(store, in_id, "into the backend");
        }
    } else {
        assert_int_equal(inc_store_copy_incident(mem, store, in_id, &n), INC_EUNSUPPORTED);
        assert_int_equal(n, 0);
        assert_non_null(strstr(inc_store_errmsg(store), "keeps no blobs"));
        assert_int_equal(count_events(store, in_id), 0);
    }
    assert_int_equal(inc_store_copy_incident(mem, store, "no-such-incident", NULL), INC_ENOTFOUND);
    assert_int_equal(inc_store_copy_incident(mem, mem, in_id, NULL), INC_EINVAL);
    assert_int_equal(inc_store_copy_incident(NULL, store, in_id, NULL), INC_EINVAL);
    assert_int_equal(inc_store_copy_incident(mem, store, "Bad Id", NULL), INC_EINVAL);
    inc_store_free(mem);
    inc_store_free(store);
}

/* The blob key an event names: the declaration by key names one, other
 * events none, bytes that are no event are refused. */
static void test_RUB_4_event_blob_key(void **state)
{
    inc_store *mem = NULL;
    char id[INC_ID_MAX + 1], key[INC_STORE_BLOB_KEY_LEN + 1];
    seen s;
    (void)state;
    assert_int_equal(inc_store_memory_new(NULL, &mem), INC_OK);
    declare_on(mem, "keys", id);
    memset(&s, 0, sizeof(s));
    assert_int_equal(inc_store_read(mem, id, 1, on_event, &s), INC_OK);
    assert_int_equal(inc_event_blob_key(s.data[0], s.lens[0], key), 1);
    assert_int_equal(strlen(key), INC_STORE_BLOB_KEY_LEN);
    {
        blob_seen b = {NULL, 0, 0};
        assert_int_equal(inc_store_get_blob(mem, key, on_blob, &b), INC_OK);
        assert_int_equal(b.calls, 1);
        assert_true(b.len > 1000); /* the rubric's text */
        free(b.data);
    }
    assert_int_equal(inc_event_blob_key(s.data[1], s.lens[1], key), 0);
    assert_string_equal(key, "");
    assert_int_equal(inc_event_blob_key(s.data[0], 63, key), INC_ECORRUPT);
    s.data[0][0] = 2;
    assert_int_equal(inc_event_blob_key(s.data[0], s.lens[0], key), INC_EVERSION);
    assert_int_equal(inc_event_blob_key(NULL, 0, key), INC_EINVAL);
    seen_free(&s);
    inc_store_free(mem);
}

static int group_setup(void **state)
{
    (void)state;
    return 0;
}

int inc_contract_run(const inc_contract_backend *backends, size_t count)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_conflicts_store_nothing),
        cmocka_unit_test(test_empty_append_checks_only),
        cmocka_unit_test(test_batches_all_or_nothing),
        cmocka_unit_test(test_read_from),
        cmocka_unit_test(test_listing),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_exact_bytes),
        cmocka_unit_test(test_bad_ids),
        cmocka_unit_test(test_two_handles_race),
        cmocka_unit_test(test_wait),
        cmocka_unit_test(test_blobs),
        cmocka_unit_test(test_RUB_4_rubric_recorded_once),
        cmocka_unit_test(test_RUB_4_copy_incident),
        cmocka_unit_test(test_RUB_4_event_blob_key),
    };
    int failures = 0;
    size_t i;
    for (i = 0; i < count; i++) {
        char name[96];
        current = &backends[i];
        snprintf(name, sizeof(name), "store contract: %s", backends[i].name);
        failures += _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof(tests[0]),
                                            group_setup, NULL);
    }
    return failures;
}
