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
