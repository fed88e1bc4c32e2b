/* Civil calendar conversions, ISO 8601 text, durations and T+offsets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "incident/rubric.h"
#include "util/time.h"

/* Day counting by walking years and months: slow but obviously right. */
static int leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t days_by_walking(int64_t y, unsigned m, unsigned d)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t days = 0;
    for (int64_t yy = 1970; yy < y; yy++)
        days += 365 + leap(yy);
    for (int64_t yy = y; yy < 1970; yy++)
        days -= 365 + leap(yy);
    for (unsigned mm = 1; mm < m; mm++)
        days += dim[mm - 1] + (mm == 2 && leap(y));
    return days + d - 1;
}

static void test_civil_known_dates(void **state)
{
    (void)state;
    assert_int_equal(inc__days_from_civil(1970, 1, 1), 0);
    assert_int_equal(inc__days_from_civil(1969, 12, 31), -1);
    assert_int_equal(inc__days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(inc__days_from_civil(0, 1, 1), -719528);
    for (int64_t y = -400; y <= 2500; y += 7)
        for (unsigned m = 1; m <= 12; m++)
            assert_int_equal(inc__days_from_civil(y, m, 28), days_by_walking(y, m, 28));
}

static void test_civil_round_trip_wide_range(void **state)
{
    (void)state;
    /* Every day of 800 years around the epoch, then sparse huge values. */
    int64_t y0;
    unsigned m0, d0;
    inc__civil_from_days(-146097 * 2, &y0, &m0, &d0);
    assert_int_equal(y0, 1170);
    int64_t prev_y = y0;
    unsigned prev_m = m0, prev_d = d0;
    for (int64_t days = -146097 * 2 + 1; days <= 146097 * 2; days++) {
        int64_t y;
        unsigned m, d;
        inc__civil_from_days(days, &y, &m, &d);
        assert_int_equal(inc__days_from_civil(y, m, d), days);
        /* Consecutive days: next day, or first of next month/year. */
        if (d != prev_d + 1) {
            assert_int_equal(d, 1);
            assert_true(m == prev_m + 1 || (m == 1 && prev_m == 12 && y == prev_y + 1));
        }
        prev_y = y;
        prev_m = m;
        prev_d = d;
    }
    for (int64_t days = -100000000000LL; days <= 100000000000LL; days += 999999937LL) {
        int64_t y;
        unsigned m, d;
        inc__civil_from_days(days, &y, &m, &d);
        assert_int_equal(inc__days_from_civil(y, m, d), days);
    }
}

static void test_leap_years(void **state)
{
    (void)state;
    inc__tm tm = {.year = 2024, .month = 2, .day = 29};
    inc_time t;
    assert_int_equal(inc__time_join(&tm, &t), INC_OK);
    tm.year = 2023;
    assert_int_equal(inc__time_join(&tm, &t), INC_EINVAL);
    tm.year = 1900; /* divisible by 100: not leap */
    assert_int_equal(inc__time_join(&tm, &t), INC_EINVAL);
    tm.year = 2000; /* divisible by 400: leap */
    assert_int_equal(inc__time_join(&tm, &t), INC_OK);
    assert_int_equal(inc__days_from_civil(2000, 3, 1) - inc__days_from_civil(2000, 2, 28), 2);
    assert_int_equal(inc__days_from_civil(2100, 3, 1) - inc__days_from_civil(2100, 2, 28), 1);
}

static void test_split_join(void **state)
{
    (void)state;
    inc__tm tm;
    inc__time_split(0, &tm);
    assert_int_equal(tm.year, 1970);
    assert_int_equal(tm.weekday, 4); /* Thursday */
    inc__time_split(-1, &tm);        /* 1969-12-31T23:59:59.999 */
    assert_int_equal(tm.year, 1969);
    assert_int_equal(tm.month, 12);
    assert_int_equal(tm.day, 31);
    assert_int_equal(tm.hour, 23);
    assert_int_equal(tm.second, 59);
    assert_int_equal(tm.ms, 999);
    assert_int_equal(tm.weekday, 3);
    const inc_time samples[] = {0,
                                1,
                                -1,
                                1700000000123LL,
                                -62167219200000LL,
                                253402300799999LL,
                                INT64_MAX,
                                INT64_MIN,
                                INT64_MIN + 1,
                                -86400001LL};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        inc_time back = 0;
        inc__time_split(samples[i], &tm);
        assert_int_equal(inc__time_join(&tm, &back), INC_OK);
        assert_true(back == samples[i]);
    }
    inc__tm bad = {.year = 2026, .month = 13, .day = 1};
    inc_time t;
    assert_int_equal(inc__time_join(&bad, &t), INC_EINVAL);
    bad.month = 4;
    bad.day = 31;
    assert_int_equal(inc__time_join(&bad, &t), INC_EINVAL);
    bad.day = 30;
    bad.hour = 24;
    assert_int_equal(inc__time_join(&bad, &t), INC_EINVAL);
    bad.hour = 0;
    bad.ms = 1000;
    assert_int_equal(inc__time_join(&bad, &t), INC_EINVAL);
    bad.ms = 0;
    bad.year = 300000000; /* beyond int64 milliseconds */
    assert_int_equal(inc__time_join(&bad, &t), INC_EINVAL);
}

static void test_iso_format_and_parse(void **state)
{
    (void)state;
    char buf[25];
    assert_int_equal(inc_time_format(1795444320000LL, buf, sizeof buf), INC_OK);
    assert_string_equal(buf, "2026-11-23T14:32:00.000Z");
    inc_time t;
    assert_int_equal(inc_time_parse("2026-11-23T14:32:00.000Z", &t), INC_OK);
    assert_true(t == 1795444320000LL);
    assert_int_equal(inc_time_parse("2026-11-23T14:32Z", &t), INC_OK);
    assert_true(t == 1795444320000LL);
    assert_int_equal(inc_time_parse("2026-11-23 14:32:07Z", &t), INC_OK);
    assert_true(t == 1795444327000LL);
    assert_int_equal(inc_time_parse("2026-11-23T14:32:07.5Z", &t), INC_OK);
    assert_true(t == 1795444327500LL);
    assert_int_equal(inc_time_parse("1969-12-31T23:59:59.999Z", &t), INC_OK);
    assert_true(t == -1);
    /* Round trips over the whole supported range. */
    for (inc_time x = -62167219200000LL; x < 253402300799999LL; x += 7777777777777LL) {
        assert_int_equal(inc_time_format(x, buf, sizeof buf), INC_OK);
        assert_int_equal(inc_time_parse(buf, &t), INC_OK);
        assert_true(t == x);
    }
    assert_int_equal(inc_time_format(253402300799999LL, buf, sizeof buf), INC_OK);
    assert_string_equal(buf, "9999-12-31T23:59:59.999Z");
    assert_int_equal(inc_time_format(-62167219200000LL, buf, sizeof buf), INC_OK);
    assert_string_equal(buf, "0000-01-01T00:00:00.000Z");
}

static void test_iso_bad_inputs(void **state)
{
    (void)state;
    char buf[25];
    inc_time t = 42;
    assert_int_equal(inc_time_format(0, NULL, 25), INC_EINVAL);
    assert_int_equal(inc_time_format(0, buf, 24), INC_ETOOBIG);
    assert_int_equal(inc_time_format(253402300800000LL, buf, sizeof buf), INC_EINVAL);
    assert_int_equal(inc_time_format(-62167219200001LL, buf, sizeof buf), INC_EINVAL);
    assert_int_equal(inc_time_parse(NULL, &t), INC_EINVAL);
    assert_int_equal(inc_time_parse("2026-01-01T00:00Z", NULL), INC_EINVAL);
    const char *bad[] = {
        "",
        "2026-01-01",
        "2026-01-01T00:00",       /* no Z */
        "2026-01-01T00:00+01:00", /* only UTC */
        "2026-02-30T00:00Z",      /* no such day */
        "2026-13-01T00:00Z",
        "2026-01-01T24:00Z",
        "2026-01-01T23:60Z",
        "2026-01-01T23:59:60Z", /* no leap seconds */
        "2026-01-01T00:00:00.Z",
        "2026-01-01T00:00:00.1234Z", /* more than millisecond precision */
        "26-01-01T00:00Z",
        "2026-1-01T00:00Z",
        "2026-01-01X00:00Z",
        "2026-01-01T00:00Z ",
        "+2026-01-01T00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (inc_time_parse(bad[i], &t) != INC_EPARSE)
            fail_msg("accepted \"%s\"", bad[i]);
    }
    assert_true(t == 42); /* untouched on failure */
}

static void test_date_format(void **state)
{
    (void)state;
    char d[11];
    inc__date_format(1795444320000LL, d);
    assert_string_equal(d, "2026-11-23");
    inc__date_format(-1, d);
    assert_string_equal(d, "1969-12-31");
}

static void test_duration_parse(void **state)
{
    (void)state;
    int64_t ms = 0;
    struct {
        const char *text;
        int64_t ms;
    } ok[] = {
        {"15m", 15 * 60000},
        {"1h30m", 90 * 60000},
        {"2w", 14 * 86400000LL},
        {"500ms", 500},
        {"1d2h3m4s5ms", 86400000LL + 2 * 3600000 + 3 * 60000 + 4000 + 5},
        {"90m", 90 * 60000},
        {"0s", 0},
        {"none", INC_DURATION_NONE},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(inc__duration_parse(ok[i].text, strlen(ok[i].text), &ms), INC_OK);
        assert_true(ms == ok[i].ms);
    }
    const char *bad[] = {"",
                         "m",
                         "15",
                         "15x",
                         "1m1m",
                         "30m1h",
                         "1 h",
                         "-5m",
                         "1H",
                         "nonee",
                         "99999999999999999999ms",
                         "15250284452w4d"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ms = 7;
        if (inc__duration_parse(bad[i], strlen(bad[i]), &ms) != INC_EPARSE)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_true(ms == 7);
    }
    /* Only @len bytes are read. */
    assert_int_equal(inc__duration_parse("15mXYZ", 3, &ms), INC_OK);
    assert_true(ms == 15 * 60000);
}

static void test_duration_format_round_trip(void **state)
{
    (void)state;
    char out[48];
    inc__duration_format(90 * 60000, out);
    assert_string_equal(out, "1h30m");
    inc__duration_format(INC_DURATION_NONE, out);
    assert_string_equal(out, "none");
    inc__duration_format(0, out);
    assert_string_equal(out, "0s");
    inc__duration_format(14 * 86400000LL + 1, out);
    assert_string_equal(out, "2w1ms");
    const int64_t samples[] = {1,        999,       1000,           61000,    3600000,
                               86400000, 604800000, 123456789012LL, INT64_MAX};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        int64_t back = -5;
        inc__duration_format(samples[i], out);
        assert_int_equal(inc__duration_parse(out, strlen(out), &back), INC_OK);
        assert_true(back == samples[i]);
    }
}

static void test_TL_3_offset_format(void **state)
{
    (void)state;
    char buf[32];
    struct {
        int64_t ms;
        const char *text;
    } cases[] = {
        {0, "T+0s"},
        {999, "T+0s"},
        {-999, "T+0s"},
        {42000, "T+42s"},
        {5 * 60000, "T+5m00s"},
        {-5 * 60000, "T-5m00s"},
        {3723000, "T+1h02m03s"},
        {26 * 3600000LL + 5000, "T+26h00m05s"},
        {-(10 * 60000 + 1500), "T-10m01s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(inc_offset_format(cases[i].ms, buf, sizeof buf), INC_OK);
        assert_string_equal(buf, cases[i].text);
    }
    assert_int_equal(inc_offset_format(INT64_MIN, buf, sizeof buf), INC_OK);
    assert_string_equal(buf, "T-2562047788015h12m55s");
    assert_int_equal(inc_offset_format(INT64_MAX, buf, sizeof buf), INC_OK);
    assert_int_equal(inc_offset_format(0, NULL, 32), INC_EINVAL);
    assert_int_equal(inc_offset_format(3723000, buf, 10), INC_ETOOBIG);
    assert_int_equal(inc_offset_format(3723000, buf, 11), INC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_known_dates),
        cmocka_unit_test(test_civil_round_trip_wide_range),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_split_join),
        cmocka_unit_test(test_iso_format_and_parse),
        cmocka_unit_test(test_iso_bad_inputs),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_duration_parse),
        cmocka_unit_test(test_duration_format_round_trip),
        cmocka_unit_test(test_TL_3_offset_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
