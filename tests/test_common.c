/* Public common functions: status names and messages, version, clock,
 * inc_error_set, and the shared test support. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "incident/common.h"
#include "test_support.h"
#include "util/error.h"

/* Every code in the enum, from INC_OK down to the last one. */
static const int all_codes[] = {
    INC_OK,        INC_ERROR,  INC_ENOMEM,   INC_EINVAL,    INC_ENOTFOUND,    INC_EEXIST,
    INC_ECONFLICT, INC_EPERM,  INC_EROLE,    INC_ESTATE,    INC_ECORRUPT,     INC_EIO,
    INC_ETOOBIG,   INC_EPARSE, INC_EVERSION, INC_EREADONLY, INC_EUNSUPPORTED, INC_ELOCKED,
};
#define NCODES (sizeof all_codes / sizeof all_codes[0])

static void test_every_status_has_name_and_message(void **state)
{
    (void)state;
    const char *unknown_msg = inc_strerror(-9999);
    for (size_t i = 0; i < NCODES; i++) {
        const char *name = inc_status_name(all_codes[i]);
        const char *msg = inc_strerror(all_codes[i]);
        assert_non_null(name);
        assert_non_null(msg);
        assert_string_not_equal(name, "INC_E?");
        assert_string_not_equal(msg, unknown_msg);
        assert_true(strncmp(name, "INC_", 4) == 0);
        assert_true(strlen(msg) > 3);
        /* Names and messages are distinct per code. */
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(name, inc_status_name(all_codes[j]));
            assert_string_not_equal(msg, inc_strerror(all_codes[j]));
        }
    }
    assert_string_equal(inc_status_name(INC_ECONFLICT), "INC_ECONFLICT");
    assert_string_equal(inc_status_name(INC_OK), "INC_OK");
    assert_string_equal(inc_status_name(INC_ELOCKED), "INC_ELOCKED");
}

static void test_unknown_status_codes(void **state)
{
    (void)state;
    const int unknown[] = {1, 42, INC_ELOCKED - 1, -1000, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_string_equal(inc_status_name(unknown[i]), "INC_E?");
        assert_non_null(inc_strerror(unknown[i]));
        assert_string_equal(inc_strerror(unknown[i]), inc_strerror(-1000));
    }
}

static void test_version(void **state)
{
    (void)state;
    int major = -1, minor = -1, patch = -1;
    const char *v = inc_version(&major, &minor, &patch);
    assert_string_equal(v, INC_VERSION_STRING);
    assert_int_equal(major, INC_VERSION_MAJOR);
    assert_int_equal(minor, INC_VERSION_MINOR);
    assert_int_equal(patch, INC_VERSION_PATCH);
    assert_int_equal(INC_VERSION_NUMBER, major * 10000 + minor * 100 + patch);
    assert_ptr_equal(inc_version(NULL, NULL, NULL), v);
}

static void test_system_clock(void **state)
{
    (void)state;
    inc_time a = inc_clock_system(NULL);
    inc_time b = inc_clock_system(NULL);
    assert_true(a > 1577836800000LL); /* after 2020-01-01: milliseconds, not seconds */
    assert_true(a < 4102444800000LL); /* before 2100 */
    assert_true(b >= a);
}

static void test_error_set(void **state)
{
    (void)state;
    inc_error err;
    inc__error_clear(&err);
    assert_int_equal(err.code, INC_OK);
    assert_string_equal(err.msg, "");
    assert_int_equal(inc_error_set(&err, INC_EINVAL, "title: %s (%d)", "bad", 7), INC_EINVAL);
    assert_int_equal(err.code, INC_EINVAL);
    assert_string_equal(err.msg, "title: bad (7)");
    assert_int_equal(inc_error_set(NULL, INC_EIO, "ignored %d", 1), INC_EIO);
    /* Long messages are truncated, never overflow. */
    char longer[600];
    memset(longer, 'm', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    inc_error_set(&err, INC_ETOOBIG, "%s", longer);
    assert_int_equal(strlen(err.msg), INC__ERRMSG_MAX - 1);
    inc_error copy;
    assert_int_equal(inc__error_copy(&copy, &err), INC_ETOOBIG);
    assert_string_equal(copy.msg, err.msg);
    assert_int_equal(inc__error_oom(&err), INC_ENOMEM);
    assert_string_equal(err.msg, "out of memory");
    assert_int_equal(inc__error_oom(NULL), INC_ENOMEM);
}

static void test_support_fake_clock(void **state)
{
    (void)state;
    struct inc_test_clock clk;
    inc_test_clock_init(&clk, 1000);
    inc_clock_fn fn = inc_test_clock_fn;
    assert_true(fn(&clk) == 1000);
    inc_test_clock_advance(&clk, 250);
    assert_true(fn(&clk) == 1250);
    assert_int_equal(clk.reads, 2);
}

static void test_support_failing_allocator(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    ta.fail_at = 2;
    void *p1 = a.malloc_fn(a.user, 10);
    void *p2 = a.malloc_fn(a.user, 10);
    void *p3 = a.malloc_fn(a.user, 10);
    assert_non_null(p1);
    assert_null(p2);
    assert_non_null(p3);
    assert_int_equal(ta.calls, 3);
    assert_int_equal(ta.failures, 1);
    assert_int_equal(ta.live_blocks, 2);
    assert_int_equal(ta.live_bytes, 20);
    inc_test_alloc_arm(&ta, 1, 1); /* everything from now on fails */
    assert_null(a.realloc_fn(a.user, p1, 100));
    assert_null(a.malloc_fn(a.user, 1));
    assert_int_equal(ta.failures, 2);
    inc_test_alloc_arm(&ta, 0, 0);
    p1 = a.realloc_fn(a.user, p1, 100);
    assert_non_null(p1);
    assert_int_equal(ta.live_bytes, 110);
    assert_int_equal(ta.peak_bytes, 110);
    a.free_fn(a.user, p1);
    a.free_fn(a.user, p3);
    assert_int_equal(ta.live_blocks, 0);
    assert_int_equal(ta.live_bytes, 0);
    assert_int_equal(ta.frees, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_name_and_message),
        cmocka_unit_test(test_unknown_status_codes),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_system_clock),
        cmocka_unit_test(test_error_set),
        cmocka_unit_test(test_support_fake_clock),
        cmocka_unit_test(test_support_failing_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
