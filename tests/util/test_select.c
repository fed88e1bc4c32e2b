/* inc__select_i64 (util/select.h) against a sort, on the inputs that break
 * naive quickselects: sorted, reversed, all equal, few distinct values, an
 * organ pipe, and random data; every k of small arrays, and the medians
 * of large ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/select.h"

static int cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static uint64_t rng = 88172645463325252ull;
static int64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng >> 1);
}

enum { SORTED, REVERSED, EQUAL, FEW, PIPE, RANDOM, SHAPES };

static void fill(int64_t *v, size_t n, int shape)
{
    size_t i;
    for (i = 0; i < n; i++) {
        switch (shape) {
        case SORTED:
            v[i] = (int64_t)i;
            break;
        case REVERSED:
            v[i] = (int64_t)(n - i);
            break;
        case EQUAL:
            v[i] = 42;
            break;
        case FEW:
            v[i] = next_random() % 3;
            break;
        case PIPE:
            v[i] = (int64_t)(i < n / 2 ? i : n - i);
            break;
        default:
            v[i] = next_random() % 1000000 - 500000;
            break;
        }
    }
}

/* The result is the sorted value, and the array is split around it. */
static void check_select(const int64_t *orig, size_t n, size_t k)
{
    int64_t *v = malloc(n * sizeof(*v)), *s = malloc(n * sizeof(*s)), got;
    size_t i;
    assert_non_null(v);
    assert_non_null(s);
    memcpy(v, orig, n * sizeof(*v));
    memcpy(s, orig, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp);
    got = inc__select_i64(v, n, k);
    assert_true(got == s[k]);
    assert_true(v[k] == got);
    for (i = 0; i < k; i++)
        assert_true(v[i] <= got);
    for (i = k + 1; i < n; i++)
        assert_true(v[i] >= got);
    qsort(v, n, sizeof(*v), cmp); /* a permutation of the input */
    assert_memory_equal(v, s, n * sizeof(*v));
    free(v);
    free(s);
}

static void test_every_k_of_small_arrays(void **state)
{
    int64_t v[40];
    size_t n, k;
    int shape;
    (void)state;
    for (shape = 0; shape < SHAPES; shape++)
        for (n = 1; n <= 40; n++) {
            fill(v, n, shape);
            for (k = 0; k < n; k++)
                check_select(v, n, k);
        }
}

static void test_medians_of_large_arrays(void **state)
{
    size_t n = 100001;
    int64_t *v = malloc(n * sizeof(*v));
    int shape;
    (void)state;
    assert_non_null(v);
    for (shape = 0; shape < SHAPES; shape++) {
        fill(v, n, shape);
        check_select(v, n, (n - 1) / 2);
        check_select(v, n, 0);
        check_select(v, n, n - 1);
        check_select(v, n - 1, (n - 2) / 2); /* even length: the lower median */
    }
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_k_of_small_arrays),
        cmocka_unit_test(test_medians_of_large_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
