/* The growable buffer: appends, growth, sticky failure, detach. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "test_support.h"
#include "util/buf.h"

static void test_append_and_nul_termination(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__buf b;
    inc__buf_init(&b, &a);
    assert_int_equal(inc__buf_puts(&b, "abc"), INC_OK);
    assert_int_equal(inc__buf_putc(&b, '-'), INC_OK);
    assert_int_equal(inc__buf_put(&b, "xyz123", 3), INC_OK);
    assert_int_equal(inc__buf_printf(&b, "%d:%s", 42, "q"), INC_OK);
    assert_int_equal(b.len, strlen("abc-xyz42:q"));
    assert_string_equal(b.ptr, "abc-xyz42:q");
    assert_int_equal(inc__buf_put(&b, NULL, 0), INC_OK);
    assert_int_equal(b.ptr[b.len], '\0');
    inc__buf_dispose(&b);
    assert_int_equal(ta.live_blocks, 0);
    assert_null(b.ptr);
}

static void test_growth_doubles(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__buf b;
    inc__buf_init(&b, &a);
    char expect[10001];
    for (int i = 0; i < 10000; i++) {
        expect[i] = (char)('a' + i % 26);
        assert_int_equal(inc__buf_putc(&b, expect[i]), INC_OK);
    }
    expect[10000] = '\0';
    assert_string_equal(b.ptr, expect);
    /* Doubling: 10000 single appends take only a handful of allocations. */
    assert_true(ta.calls <= 12);
    assert_true(b.cap >= b.len + 1);
    inc__buf_dispose(&b);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_printf_longer_than_scratch(void **state)
{
    (void)state;
    inc__buf b;
    inc__buf_init(&b, NULL);
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(inc__buf_printf(&b, "<%s>", big), INC_OK);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.ptr[0], '<');
    assert_int_equal(b.ptr[1000], '>');
    assert_int_equal(b.ptr[1001], '\0');
    inc__buf_dispose(&b);
}

static void test_failure_is_sticky_and_detach_reports_it(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__buf b;
    inc__buf_init(&b, &a);
    assert_int_equal(inc__buf_puts(&b, "ok"), INC_OK);
    char big[200];
    memset(big, 'q', sizeof big);
    inc_test_alloc_arm(&ta, 1, 0); /* only the next call fails */
    assert_int_equal(inc__buf_put(&b, big, sizeof big), INC_ENOMEM);
    assert_int_equal(b.failed, INC_ENOMEM);
    /* Later appends are ignored even though memory is available again. */
    assert_int_equal(inc__buf_puts(&b, "more"), INC_ENOMEM);
    assert_int_equal(inc__buf_printf(&b, "%d", 1), INC_ENOMEM);
    assert_string_equal(b.ptr, "ok");
    char *out = (char *)1;
    size_t len = 99;
    assert_int_equal(inc__buf_detach(&b, &out, &len), INC_ENOMEM);
    assert_ptr_equal(out, (char *)1);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_clear_resets_failure(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__buf b;
    inc__buf_init(&b, &a);
    inc__buf_puts(&b, "abc");
    inc_test_alloc_arm(&ta, 1, 0);
    char big[300] = {0};
    assert_int_equal(inc__buf_put(&b, big, sizeof big), INC_ENOMEM);
    inc__buf_clear(&b);
    assert_int_equal(b.failed, INC_OK);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    assert_int_equal(inc__buf_puts(&b, "again"), INC_OK);
    assert_string_equal(b.ptr, "again");
    inc__buf_dispose(&b);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_detach_hands_out_inc_free_memory(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc__buf b;
    inc__buf_init(&b, &a);
    inc__buf_puts(&b, "payload");
    unsigned long calls = ta.calls;
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(inc__buf_detach(&b, &out, &len), INC_OK);
    assert_int_equal(ta.calls, calls); /* no copy */
    assert_string_equal(out, "payload");
    assert_int_equal(len, 7);
    assert_null(b.ptr); /* the buffer is reset and reusable */
    assert_int_equal(ta.live_blocks, 1);
    inc_free(out);
    assert_int_equal(ta.live_blocks, 0);

    /* An empty buffer detaches as "". */
    assert_int_equal(inc__buf_detach(&b, &out, NULL), INC_OK);
    assert_string_equal(out, "");
    inc_free(out);
    assert_int_equal(ta.live_blocks, 0);
}

static void test_little_endian_round_trip(void **state)
{
    (void)state;
    inc__buf b;
    inc__buf_init(&b, NULL);
    inc__buf_put_u16le(&b, 0x1234);
    inc__buf_put_u32le(&b, 0x89ABCDEFu);
    inc__buf_put_u64le(&b, 0x0102030405060708ULL);
    assert_int_equal(b.len, 14);
    static const unsigned char want[14] = {0x34, 0x12, 0xEF, 0xCD, 0xAB, 0x89, 0x08,
                                           0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    assert_memory_equal(b.ptr, want, sizeof want);
    assert_int_equal(inc__load_u16le(b.ptr), 0x1234);
    /* Unaligned loads. */
    assert_int_equal(inc__load_u32le(b.ptr + 2), 0x89ABCDEFu);
    assert_true(inc__load_u64le(b.ptr + 6) == 0x0102030405060708ULL);
    unsigned char tmp[9];
    inc__store_u64le(tmp + 1, 0xFFEEDDCCBBAA9988ULL);
    assert_true(inc__load_u64le(tmp + 1) == 0xFFEEDDCCBBAA9988ULL);
    inc__store_u32le(tmp + 1, 0xA1B2C3D4u);
    assert_int_equal(tmp[1], 0xD4);
    assert_int_equal(tmp[4], 0xA1);
    inc__buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_nul_termination),
        cmocka_unit_test(test_growth_doubles),
        cmocka_unit_test(test_printf_longer_than_scratch),
        cmocka_unit_test(test_failure_is_sticky_and_detach_reports_it),
        cmocka_unit_test(test_clear_resets_failure),
        cmocka_unit_test(test_detach_hands_out_inc_free_memory),
        cmocka_unit_test(test_little_endian_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
