/* Allocation helpers and out-memory (inc__out_alloc / inc_free). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "test_support.h"
#include "util/alloc.h"
#include "util/arena.h"

static void test_init_default_and_copy(void **state)
{
    (void)state;
    inc_allocator a;
    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    assert_non_null(a.malloc_fn);
    assert_non_null(a.realloc_fn);
    assert_non_null(a.free_fn);
    char *p = inc__malloc(&a, 10);
    assert_non_null(p);
    inc__free(&a, p);

    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator src = inc_test_alloc_allocator(&ta);
    assert_int_equal(inc__alloc_init(&a, &src), INC_OK);
    assert_ptr_equal(a.user, &ta);
    p = inc__malloc(&a, 10);
    assert_int_equal(ta.live_blocks, 1);
    inc__free(&a, p);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_init_rejects_bad_allocators(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator dst, src = inc_test_alloc_allocator(&ta);
    src.version = 99;
    assert_int_equal(inc__alloc_init(&dst, &src), INC_EVERSION);
    src = inc_test_alloc_allocator(&ta);
    src.realloc_fn = NULL;
    assert_int_equal(inc__alloc_init(&dst, &src), INC_EINVAL);
    src = inc_test_alloc_allocator(&ta);
    src.free_fn = NULL;
    assert_int_equal(inc__alloc_init(&dst, &src), INC_EINVAL);
}

static void test_zero_sizes_never_reach_the_allocator(void **state)
{
    (void)state;
    /* The test allocator aborts on size 0, so these prove the rounding. */
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    void *p = inc__malloc(&a, 0);
    assert_non_null(p);
    p = inc__realloc(&a, p, 0);
    assert_non_null(p);
    inc__free(&a, p);
    inc__free(&a, NULL);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_calloc_zeroes_and_checks_overflow(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    unsigned char *p = inc__calloc(&a, 16, 4);
    assert_non_null(p);
    for (int i = 0; i < 64; i++)
        assert_int_equal(p[i], 0); /* the test allocator fills with 0xA5 */
    inc__free(&a, p);
    unsigned long calls = ta.calls;
    assert_null(inc__calloc(&a, SIZE_MAX / 2, 3));
    assert_int_equal(ta.calls, calls); /* refused before allocating */
}

static void test_realloc_null_allocates(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    char *p = inc__realloc(&a, NULL, 8);
    assert_non_null(p);
    memcpy(p, "abcdefg", 8);
    p = inc__realloc(&a, p, 1000);
    assert_string_equal(p, "abcdefg");
    assert_int_equal(ta.live_bytes, 1000);
    inc__free(&a, p);
}

static void test_strdup_and_failure(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    char *s = inc__strdup(&a, "hello");
    assert_string_equal(s, "hello");
    char *t = inc__strndup(&a, "hello", 3);
    assert_string_equal(t, "hel");
    inc__free(&a, s);
    inc__free(&a, t);
    assert_null(inc__strdup(&a, NULL));
    inc_test_alloc_arm(&ta, 1, 0);
    assert_null(inc__strdup(&a, "x"));
    assert_int_equal(ta.failures, 1);
    assert_int_equal(ta.live_blocks, 0);
}

/* The arena's one-step allocation and string copy: NUL-terminated copies
 * that stay put, NULL when the allocator fails. */
static void test_arena_alloc_and_strndup(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__arena ar;
    inc__arena_init(&ar, &a, 64);
    char *x = inc__arena_strndup(&ar, "hello world", 5);
    char *y = inc__arena_strndup(&ar, "", 0);
    assert_string_equal(x, "hello");
    assert_string_equal(y, "");
    assert_non_null(inc__arena_alloc(&ar, 200)); /* larger than a chunk */
    assert_string_equal(x, "hello");
    inc_test_alloc_arm(&ta, 1, 1);
    assert_null(inc__arena_alloc(&ar, 100));
    assert_null(inc__arena_strndup(&ar, "long enough to need a chunk", 27));
    inc_test_alloc_arm(&ta, 0, 0);
    inc__arena_dispose(&ar);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_array_reserve_doubles_and_keeps_on_failure(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    int *arr = NULL;
    size_t cap = 0;
    void *v = arr;
    assert_int_equal(inc__array_reserve(&a, &v, &cap, 1, sizeof *arr), INC_OK);
    arr = v;
    assert_true(cap >= 1);
    size_t first = cap;
    for (size_t i = 0; i < first; i++)
        arr[i] = (int)i;
    assert_int_equal(inc__array_reserve(&a, &v, &cap, first + 1, sizeof *arr), INC_OK);
    assert_int_equal(cap, first * 2);
    arr = v;
    assert_int_equal(arr[first - 1], (int)first - 1);
    /* Enough room: no call at all. */
    unsigned long calls = ta.calls;
    assert_int_equal(inc__array_reserve(&a, &v, &cap, cap, sizeof *arr), INC_OK);
    assert_int_equal(ta.calls, calls);
    /* Failure leaves the array and capacity alone. */
    size_t old_cap = cap;
    inc_test_alloc_arm(&ta, 1, 0);
    assert_int_equal(inc__array_reserve(&a, &v, &cap, cap + 1, sizeof *arr), INC_ENOMEM);
    assert_ptr_equal(v, arr);
    assert_int_equal(cap, old_cap);
    /* Overflowing sizes fail without calling the allocator. */
    inc_test_alloc_arm(&ta, 0, 0);
    assert_int_equal(inc__array_reserve(&a, &v, &cap, SIZE_MAX / 2, 16), INC_ENOMEM);
    assert_int_equal(ta.calls, 0);
    inc__free(&a, v);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_out_alloc_freed_by_inc_free_after_handle_gone(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    char *p;
    {
        /* The allocator struct goes out of scope: the block keeps a copy. */
        inc_allocator a = inc_test_alloc_allocator(&ta);
        p = inc__out_alloc(&a, 33);
        memset(&a, 0, sizeof a);
    }
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
    memset(p, 'x', 33);
    assert_int_equal(ta.live_blocks, 1);
    inc_free(p);
    assert_int_equal(ta.live_blocks, 0);
    assert_int_equal(ta.frees, 1);
    inc_free(NULL);
}

static void test_out_strndup_and_failure(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    char *s = inc__out_strndup(&a, "abcdef", 4);
    assert_string_equal(s, "abcd");
    inc_free(s);
    inc_test_alloc_arm(&ta, 1, 1);
    assert_null(inc__out_alloc(&a, 10));
    assert_null(inc__out_strndup(&a, "abc", 3));
    assert_int_equal(ta.live_blocks, 0);
    /* The default allocator works for out-memory too. */
    s = inc__out_strndup(NULL, "xyz", 3);
    assert_string_equal(s, "xyz");
    inc_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_default_and_copy),
        cmocka_unit_test(test_init_rejects_bad_allocators),
        cmocka_unit_test(test_zero_sizes_never_reach_the_allocator),
        cmocka_unit_test(test_calloc_zeroes_and_checks_overflow),
        cmocka_unit_test(test_realloc_null_allocates),
        cmocka_unit_test(test_strdup_and_failure),
        cmocka_unit_test(test_arena_alloc_and_strndup),
        cmocka_unit_test(test_array_reserve_doubles_and_keeps_on_failure),
        cmocka_unit_test(test_out_alloc_freed_by_inc_free_after_handle_gone),
        cmocka_unit_test(test_out_strndup_and_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
