/* The store contract (incident/sys/store.h) on the memory store and on a
 * backend written here, the way a user plugs in their own; TL-2 tamper
 * detection through that backend. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "test_support.h"

/* ---- a user-written backend: fixed arrays, and a way to tamper ---------- */

#define MAXEV 64
typedef struct toy_store {
    inc_store_backend base;
    char id[INC_ID_MAX + 1];
    unsigned char *ev[MAXEV];
    size_t len[MAXEV];
    size_t count;
    int freed;
} toy_store;

static int toy_append(inc_store_backend *self, const char *id, uint64_t expected,
                      const inc_store_record *recs, size_t n, inc_error *err)
{
    toy_store *t = (toy_store *)self;
    size_t i;
    if (t->count && strcmp(id, t->id) != 0)
        return inc_error_set(err, INC_EUNSUPPORTED, "toy store holds one incident");
    if (expected != t->count)
        return inc_error_set(err, INC_ECONFLICT, "toy: expected %llu, have %zu",
                             (unsigned long long)expected, t->count);
    if (t->count + n > MAXEV)
        return inc_error_set(err, INC_ETOOBIG, "toy store is full");
    strcpy(t->id, id);
    for (i = 0; i < n; i++) {
        t->ev[t->count + i] = malloc(recs[i].len);
        memcpy(t->ev[t->count + i], recs[i].data, recs[i].len);
        t->len[t->count + i] = recs[i].len;
    }
    t->count += n;
    return INC_OK;
}

static int toy_read(inc_store_backend *self, const char *id, uint64_t from, inc_store_event_cb cb,
                    void *user, inc_error *err)
{
    toy_store *t = (toy_store *)self;
    uint64_t s;
    if (!t->count || strcmp(id, t->id) != 0)
        return inc_error_set(err, INC_ENOTFOUND, "toy: no %s", id);
    for (s = from ? from : 1; s <= t->count; s++) {
        int rc = cb(user, s, t->ev[s - 1], t->len[s - 1]);
        if (rc)
            return rc;
    }
    return INC_OK;
}

static int toy_list(inc_store_backend *self, inc_store_id_cb cb, void *user, inc_error *err)
{
    toy_store *t = (toy_store *)self;
    (void)err;
    return t->count ? cb(user, t->id) : INC_OK;
}

static void toy_free(inc_store_backend *self)
{
    toy_store *t = (toy_store *)self;
    size_t i;
    for (i = 0; i < t->count; i++)
        free(t->ev[i]);
    t->freed = 1;
}

static void toy_init(toy_store *t)
{
    inc_store_backend init = INC_STORE_BACKEND_INIT;
    memset(t, 0, sizeof(*t));
    t->base = init;
    t->base.append = toy_append;
    t->base.read = toy_read;
    t->base.list = toy_list;
    t->base.free = toy_free;
}

/* ---- tests --------------------------------------------------------------- */

static int collect(void *user, uint64_t seq, const void *data, size_t len)
{
    char *out = user;
    (void)seq;
    strncat(out, data, len);
    strcat(out, "|");
    return 0;
}

static int stop_at_two(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)data;
    (void)len;
    *(uint64_t *)user = seq;
    return seq == 2 ? 42 : 0;
}

static void check_contract(inc_store *s)
{
    inc_store_record r[3] = {{"a", 1}, {"bb", 2}, {"ccc", 3}};
    char got[64] = "";
    uint64_t last = 0;

    assert_int_equal(inc_store_read(s, "x-1", 1, collect, got), INC_ENOTFOUND);
    assert_int_equal(inc_store_append(s, "x-1", 1, r, 1), INC_ECONFLICT);
    assert_int_equal(inc_store_append(s, "x-1", 0, r, 2), INC_OK);
    assert_int_equal(inc_store_append(s, "x-1", 0, r, 1), INC_ECONFLICT);
    assert_int_equal(inc_store_append(s, "x-1", 3, r + 2, 1), INC_ECONFLICT);
    assert_int_equal(inc_store_append(s, "x-1", 2, r + 2, 1), INC_OK);
    assert_int_equal(inc_store_read(s, "x-1", 1, collect, got), INC_OK);
    assert_string_equal(got, "a|bb|ccc|");
    got[0] = 0;
    assert_int_equal(inc_store_read(s, "x-1", 2, collect, got), INC_OK);
    assert_string_equal(got, "bb|ccc|");
    assert_int_equal(inc_store_read(s, "x-1", 1, stop_at_two, &last), 42);
    assert_int_equal(last, 2);
    assert_int_equal(inc_store_append(s, "../x", 0, r, 1), INC_EINVAL);
    assert_int_equal(inc_store_append(s, "A", 0, r, 1), INC_EINVAL);
    assert_int_equal(inc_store_append(NULL, "x", 0, r, 1), INC_EINVAL);
    assert_int_equal(inc_store_sync(s), INC_OK);
}

static void test_memory_store_contract(void **state)
{
    inc_store *s = NULL;
    (void)state;
    assert_int_equal(inc_store_memory_new(NULL, &s), INC_OK);
    check_contract(s);
    inc_store_free(s);
    inc_store_free(NULL);
    assert_int_equal(inc_store_memory_new(NULL, NULL), INC_EINVAL);
}

static void test_user_backend_contract(void **state)
{
    toy_store t;
    inc_store *s = NULL;
    (void)state;
    toy_init(&t);
    assert_int_equal(inc_store_new(&t.base, NULL, &s), INC_OK);
    check_contract(s);
    inc_store_free(s);
    assert_true(t.freed);
}

static void test_store_new_rejects_bad_backends(void **state)
{
    toy_store t;
    inc_store *s = (inc_store *)1;
    (void)state;
    toy_init(&t);
    t.base.version = 0;
    assert_int_equal(inc_store_new(&t.base, NULL, &s), INC_EVERSION);
    assert_null(s);
    t.base.version = INC_STORE_BACKEND_VERSION;
    t.base.read = NULL;
    assert_int_equal(inc_store_new(&t.base, NULL, &s), INC_EINVAL);
    assert_int_equal(inc_store_new(NULL, NULL, &s), INC_EINVAL);
    assert_false(t.freed);
}

static int count_ids(void *user, const char *id)
{
    (void)id;
    (*(int *)user)++;
    return 0;
}

static void test_memory_store_lists_many(void **state)
{
    inc_store *s = NULL;
    inc_store_record r = {"e", 1};
    char id[32];
    int i, n = 0;
    (void)state;
    assert_int_equal(inc_store_memory_new(NULL, &s), INC_OK);
    for (i = 0; i < 500; i++) {
        snprintf(id, sizeof(id), "inc-%d", i);
        assert_int_equal(inc_store_append(s, id, 0, &r, 1), INC_OK);
    }
    assert_int_equal(inc_store_list(s, count_ids, &n), INC_OK);
    assert_int_equal(n, 500);
    assert_int_equal(inc_store_list(s, NULL, &n), INC_EINVAL);
    inc_store_free(s);
}

static void test_memory_store_allocation_failure_changes_nothing(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    inc_store *s = NULL;
    inc_store_record r[2] = {{"a", 1}, {"bb", 2}};
    unsigned long n;
    (void)state;
    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    assert_int_equal(inc_store_memory_new(&a, &s), INC_OK);
    for (n = 1; n < 20; n++) {
        char got[64] = "";
        int rc;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_store_append(s, "m-1", 0, r, 2);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK)
            break;
        assert_int_equal(rc, INC_ENOMEM);
        assert_int_equal(inc_store_read(s, "m-1", 1, collect, got), INC_ENOTFOUND);
    }
    inc_store_free(s);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_TL_02_tampered_event_is_named(void **state)
{
    struct inc_test_clock clk;
    toy_store t;
    inc_store *s = NULL;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    uint64_t bad = 0;
    (void)state;

    toy_init(&t);
    inc_test_clock_init(&clk, 1795443120000LL);
    assert_int_equal(inc_store_new(&t.base, NULL, &s), INC_OK);
    o.store = s;
    o.clock = inc_test_clock_fn;
    o.clock_user = &clk;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.title = "tamper";
    d.declarer = "ic";
    d.severity = "Sev-3";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_note(inc, "ic", "one"), INC_OK);
    assert_int_equal(inc_incident_note(inc, "ic", "two"), INC_OK);
    assert_int_equal(inc_incident_note(inc, "ic", "three"), INC_OK);
    assert_int_equal(inc_incident_verify(inc, &bad), INC_OK);
    /* Rewrite the text of event 2 ("one" -> "won"): event 3's hash of its
     * predecessor no longer matches. */
    {
        unsigned char *p = memmem(t.ev[1], t.len[1], "one", 3);
        assert_non_null(p);
        memcpy(p, "won", 3);
    }
    assert_int_equal(inc_incident_verify(inc, &bad), INC_ECORRUPT);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(inc_incident_errmsg(inc), "event 3"));
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_store_contract),
        cmocka_unit_test(test_user_backend_contract),
        cmocka_unit_test(test_store_new_rejects_bad_backends),
        cmocka_unit_test(test_memory_store_lists_many),
        cmocka_unit_test(test_memory_store_allocation_failure_changes_nothing),
        cmocka_unit_test(test_TL_02_tampered_event_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
