/* String-keyed hash map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "test_support.h"
#include "util/map.h"

static void test_put_get_replace_remove(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__map m;
    inc__map_init(&m, &a);
    int x = 1, y = 2, z = 3;
    assert_null(inc__map_get(&m, "missing")); /* empty map */
    assert_null(inc__map_remove(&m, "missing"));
    assert_int_equal(inc__map_put(&m, "commander", &x), INC_OK);
    assert_int_equal(inc__map_put(&m, "scribe", &y), INC_OK);
    assert_ptr_equal(inc__map_get(&m, "commander"), &x);
    assert_ptr_equal(inc__map_get(&m, "scribe"), &y);
    assert_int_equal(m.count, 2);
    assert_int_equal(inc__map_put(&m, "commander", &z), INC_OK);
    assert_ptr_equal(inc__map_get(&m, "commander"), &z);
    assert_int_equal(m.count, 2);
    assert_ptr_equal(inc__map_remove(&m, "commander"), &z);
    assert_null(inc__map_get(&m, "commander"));
    assert_null(inc__map_remove(&m, "commander"));
    assert_int_equal(m.count, 1);
    inc__map_dispose(&m);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_keys_are_copied(void **state)
{
    (void)state;
    inc__map m;
    inc__map_init(&m, NULL);
    char key[16];
    strcpy(key, "alpha");
    int v = 5;
    assert_int_equal(inc__map_put(&m, key, &v), INC_OK);
    strcpy(key, "omega");
    assert_ptr_equal(inc__map_get(&m, "alpha"), &v);
    assert_null(inc__map_get(&m, "omega"));
    inc__map_dispose(&m);
}

static void test_many_keys_with_removals(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__map m;
    inc__map_init(&m, &a);
    static int values[5000];
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        assert_int_equal(inc__map_put(&m, key, &values[i]), INC_OK);
    }
    /* Remove the odd ones, then churn to exercise tombstone reuse. */
    for (int i = 1; i < 5000; i += 2) {
        snprintf(key, sizeof key, "key-%d", i);
        assert_ptr_equal(inc__map_remove(&m, key), &values[i]);
    }
    for (int round = 0; round < 3; round++)
        for (int i = 1; i < 5000; i += 2) {
            snprintf(key, sizeof key, "key-%d", i);
            assert_int_equal(inc__map_put(&m, key, &values[i]), INC_OK);
            assert_ptr_equal(inc__map_remove(&m, key), &values[i]);
        }
    assert_int_equal(m.count, 2500);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        if (i % 2)
            assert_null(inc__map_get(&m, key));
        else
            assert_ptr_equal(inc__map_get(&m, key), &values[i]);
    }
    assert_true(m.count + m.tombstones < m.cap); /* never full */
    inc__map_dispose(&m);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_iteration_visits_each_once(void **state)
{
    (void)state;
    inc__map m;
    inc__map_init(&m, NULL);
    static int values[100];
    char key[16];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        inc__map_put(&m, key, &values[i]);
    }
    inc__map_remove(&m, "k50");
    int seen[100] = {0};
    size_t pos = 0, n = 0;
    const char *k;
    void *v;
    while (inc__map_next(&m, &pos, &k, &v)) {
        int idx = (int)((int *)v - values);
        assert_true(idx >= 0 && idx < 100);
        snprintf(key, sizeof key, "k%d", idx);
        assert_string_equal(k, key);
        seen[idx]++;
        n++;
    }
    assert_int_equal(n, 99);
    for (int i = 0; i < 100; i++)
        assert_int_equal(seen[i], i == 50 ? 0 : 1);
    /* At the end it stays at the end; an empty map iterates nothing. */
    assert_int_equal(inc__map_next(&m, &pos, &k, &v), 0);
    inc__map_dispose(&m);
    pos = 0;
    assert_int_equal(inc__map_next(&m, &pos, NULL, NULL), 0);
}

static void test_reserve_then_puts_do_not_grow(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__map m;
    inc__map_init(&m, &a);
    assert_int_equal(inc__map_reserve(&m, 100), INC_OK);
    size_t cap = m.cap;
    unsigned long calls = ta.calls;
    char key[16];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "r%d", i);
        assert_int_equal(inc__map_put(&m, key, key), INC_OK);
    }
    assert_int_equal(m.cap, cap);
    assert_int_equal(ta.calls - calls, 100); /* one key copy each, no table growth */
    inc__map_dispose(&m);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_allocation_failure_leaves_map_unchanged(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__map m;
    inc__map_init(&m, &a);
    char key[16];
    int v = 0;
    /* Fill to the growth point, then fail the key copy and the table growth. */
    int i = 0;
    for (;; i++) {
        snprintf(key, sizeof key, "f%d", i);
        if (m.cap != 0 && (m.count + 1) > m.cap / 4 * 3)
            break;
        assert_int_equal(inc__map_put(&m, key, &v), INC_OK);
    }
    size_t count = m.count, cap = m.cap;
    for (unsigned long n = 1; n <= 2; n++) {
        inc_test_alloc_arm(&ta, n, 0);
        assert_int_equal(inc__map_put(&m, key, &v), INC_ENOMEM);
        assert_int_equal(m.count, count);
        assert_int_equal(m.cap, cap);
        assert_null(inc__map_get(&m, key));
    }
    inc_test_alloc_arm(&ta, 0, 0);
    assert_int_equal(inc__map_put(&m, key, &v), INC_OK);
    assert_true(m.cap > cap);
    for (int k = 0; k <= i; k++) {
        snprintf(key, sizeof key, "f%d", k);
        assert_ptr_equal(inc__map_get(&m, key), &v);
    }
    inc__map_dispose(&m);
    assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_replace_remove),
        cmocka_unit_test(test_keys_are_copied),
        cmocka_unit_test(test_many_keys_with_removals),
        cmocka_unit_test(test_iteration_visits_each_once),
        cmocka_unit_test(test_reserve_then_puts_do_not_grow),
        cmocka_unit_test(test_allocation_failure_leaves_map_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
