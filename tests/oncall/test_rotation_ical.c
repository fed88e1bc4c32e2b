/* The calendar feed (ONC-7): one VEVENT per stretch of the shifts, with a
 * stable UID, UTC DTSTART/DTEND, overrides marked, CRLF line endings, lines
 * folded at 75 octets (never inside a UTF-8 sequence), TEXT escaped; one
 * person's shifts across rotations; bad arguments; allocation failure.
 * (examples/cli/test_cli.sh parses the CLI's output with a real iCalendar
 * parser and compares every event with `oncall shifts`.) */
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

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

/* A weekly UTC rotation of @people (NULL-terminated) from 2026-01-05. */
static inc_rotation *weekly(inc_context *ctx, const char *name, const char *const *people)
{
    inc_rotation *r = NULL;
    assert_int_equal(inc_rotation_new(ctx, name, &r), INC_OK);
    for (; *people; people++)
        assert_int_equal(inc_rotation_add_person(r, *people), INC_OK);
    assert_int_equal(inc_rotation_set_start(r, 2026, 1, 5), INC_OK);
    return r;
}

static size_t count_of(const char *doc, const char *what)
{
    size_t n = 0;
    for (; (doc = strstr(doc, what)) != NULL; doc++)
        n++;
    return n;
}

/* Every line ends in CRLF, none is longer than 75 octets, there is no bare
 * LF or CR, and a fold never splits a UTF-8 sequence. */
static void assert_lines_ok(const char *doc, size_t len)
{
    size_t i, start = 0;
    for (i = 0; i < len; i++) {
        if (doc[i] == '\r') {
            assert_true(i + 1 < len && doc[i + 1] == '\n');
            assert_true(i - start <= 75);
            if (i + 2 < len && doc[i + 2] == ' ')
                assert_true(((unsigned char)doc[i + 3] & 0xC0) != 0x80);
            start = i + 2;
            i++;
        } else {
            assert_true(doc[i] != '\n');
        }
    }
    assert_int_equal(start, len);
}

static void test_ONC_7_one_event_per_stretch_with_stable_uids(void **state)
{
    static const char *const five[] = {"alice", "bob", "carol", "dave", "erin", NULL};
    struct inc_test_clock clock;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_rotation *r;
    inc_shift *sh = NULL;
    size_t n[2], len, len2, idx;
    char *doc = NULL, *again = NULL;
    (void)state;

    inc_test_clock_init(&clock, at("2026-02-01T12:00:00Z"));
    o.clock = inc_test_clock_fn;
    o.clock_user = &clock;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    r = weekly(ctx, "payments", five);
    assert_int_equal(inc_rotation_override_shift(r, INC_LAYER_PRIMARY, at("2026-02-10T00:00Z"),
                                                 "frank", "alice", "dentist; then, school run",
                                                 INC_TIME_NONE, &idx),
                     INC_OK);
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL,
                                             at("2026-02-01T00:00Z"), at("2026-03-01T00:00Z"), &doc,
                                             &len),
                     INC_OK);
    assert_int_equal(strlen(doc), len);
    assert_lines_ok(doc, len);
    assert_int_equal(strncmp(doc, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30), 0);
    assert_non_null(strstr(doc, "END:VCALENDAR\r\n"));
    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_PRIMARY, at("2026-02-01T00:00Z"),
                                         at("2026-03-01T00:00Z"), &sh, &n[0]),
                     INC_OK);
    inc_free(sh);
    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_SECONDARY, at("2026-02-01T00:00Z"),
                                         at("2026-03-01T00:00Z"), &sh, &n[1]),
                     INC_OK);
    inc_free(sh);
    assert_int_equal(count_of(doc, "BEGIN:VEVENT\r\n"), n[0] + n[1]);
    assert_int_equal(count_of(doc, "END:VEVENT\r\n"), n[0] + n[1]);
    /* The week of 2026-02-09 (shift 5, alice's) is split by the override. */
    assert_non_null(strstr(doc, "DTSTART:20260209T100000Z\r\n"));
    assert_non_null(strstr(doc, "SUMMARY:On call: frank (payments primary\\, override)\r\n"));
    assert_non_null(strstr(doc, "DESCRIPTION:Override arranged by alice: dentist\\; then\\, "
                                "school run\r\n"));
    assert_non_null(strstr(doc, ".override0@oncall.libincident\r\n"));
    assert_non_null(strstr(doc, "UID:payments.secondary.4."));
    assert_non_null(strstr(doc, "DTSTAMP:20260201T120000Z\r\n"));
    /* Stable: the same stretches give the same UIDs, later too. */
    inc_test_clock_advance(&clock, 3600000);
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL,
                                             at("2026-02-01T00:00Z"), at("2026-03-01T00:00Z"),
                                             &again, &len2),
                     INC_OK);
    assert_int_equal(len2, len);
    assert_int_equal(count_of(again, "DTSTAMP:20260201T130000Z"), n[0] + n[1]);
    {
        const char *u1 = doc, *u2 = again;
        while ((u1 = strstr(u1, "UID:")) != NULL) {
            u2 = strstr(u2, "UID:");
            assert_non_null(u2);
            assert_int_equal(strcspn(u1, "\r"), strcspn(u2, "\r"));
            assert_int_equal(memcmp(u1, u2, strcspn(u1, "\r")), 0);
            u1++;
            u2++;
        }
    }
    inc_free(doc);
    inc_free(again);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_7_one_persons_shifts_across_rotations(void **state)
{
    static const char *const a[] = {"alice", "bob", NULL};
    static const char *const b[] = {"carol", "alice", "dave", NULL};
    inc_context *ctx = NULL;
    inc_rotation *r[2];
    char *doc = NULL;
    size_t len;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r[0] = weekly(ctx, "payments", a);
    r[1] = weekly(ctx, "search", b);
    assert_int_equal(inc_rotation_set_secondary(r[1], 0), INC_OK);
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)r, 2, "alice",
                                             at("2026-01-05T00:00Z"), at("2026-01-19T00:00Z"), &doc,
                                             &len),
                     INC_OK);
    /* payments: primary week 1, secondary week 2 (and week 0's secondary is
     * bob's); search: primary week 2. */
    assert_int_equal(count_of(doc, "BEGIN:VEVENT"), 3);
    assert_int_equal(count_of(doc, "SUMMARY:On call: alice"), 3);
    assert_int_equal(count_of(doc, "(search primary)"), 1);
    assert_non_null(strstr(doc, "X-WR-CALNAME:On call: alice\r\n"));
    inc_free(doc);
    /* Nobody of that name: an empty calendar, still valid. */
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)r, 2, "zoe",
                                             at("2026-01-05T00:00Z"), at("2026-01-19T00:00Z"), &doc,
                                             &len),
                     INC_OK);
    assert_int_equal(count_of(doc, "BEGIN:VEVENT"), 0);
    assert_non_null(strstr(doc, "END:VCALENDAR\r\n"));
    inc_free(doc);
    inc_rotation_free(r[0]);
    inc_rotation_free(r[1]);
    inc_context_free(ctx);
}

static void test_ONC_7_long_lines_fold_between_utf8_sequences(void **state)
{
    static const char *const p[] = {"\xc3\xa9mile-\xc3\xa9mile-\xc3\xa9mile-\xc3\xa9mile-"
                                    "\xc3\xa9mile-\xc3\xa9mile-\xc3\xa9mile-\xc3\xa9mile-"
                                    "\xc3\xa9mile-\xc3\xa9mile",
                                    NULL};
    inc_context *ctx = NULL;
    inc_rotation *r;
    char *doc = NULL;
    size_t len;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = weekly(ctx, "long", p);
    assert_int_equal(inc_rotation_set_secondary(r, 0), INC_OK);
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL,
                                             at("2026-01-05T00:00Z"), at("2026-01-06T00:00Z"), &doc,
                                             &len),
                     INC_OK);
    assert_lines_ok(doc, len);
    assert_non_null(strstr(doc, "\r\n ")); /* the SUMMARY was folded */
    inc_free(doc);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_7_bad_arguments(void **state)
{
    static const char *const a[] = {"alice", NULL};
    inc_context *ctx = NULL;
    inc_rotation *r, *none = NULL;
    char *doc = (char *)1;
    size_t len;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = weekly(ctx, "payments", a);
    assert_int_equal(inc_rotation_write_ical(NULL, 1, NULL, 0, 1, &doc, &len), INC_EINVAL);
    assert_int_equal(
        inc_rotation_write_ical((const inc_rotation *const *)&r, 0, NULL, 0, 1, &doc, &len),
        INC_EINVAL);
    assert_int_equal(
        inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL, 0, 1, NULL, &len),
        INC_EINVAL);
    assert_int_equal(
        inc_rotation_write_ical((const inc_rotation *const *)&none, 1, NULL, 0, 1, &doc, &len),
        INC_EINVAL);
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL,
                                             at("2026-02-01T00:00Z"), at("2026-01-01T00:00Z"), &doc,
                                             &len),
                     INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(r), "range"));
    assert_int_equal(
        inc_rotation_write_ical((const inc_rotation *const *)&r, 1, "\xff", 0, 1, &doc, &len),
        INC_EINVAL);
    inc_rotation_free(r);
    /* A rotation with nobody in it has no shifts: the shifts' error. */
    assert_int_equal(inc_rotation_new(ctx, "empty", &r), INC_OK);
    assert_int_equal(inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL,
                                             at("2026-01-05T00:00Z"), at("2026-01-06T00:00Z"), &doc,
                                             &len),
                     INC_ENOTFOUND);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_7_allocation_failure(void **state)
{
    static const char *const a[] = {"alice", "bob", "carol", NULL};
    struct inc_test_alloc ta;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_allocator al;
    unsigned long n;
    int done = 0;
    (void)state;

    inc_test_alloc_init(&ta);
    al = inc_test_alloc_allocator(&ta);
    o.allocator = &al;
    for (n = 1; !done && n < 500; n++) {
        inc_context *ctx = NULL;
        inc_rotation *r;
        char *doc = NULL;
        size_t len;
        int rc;
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        r = weekly(ctx, "payments", a);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_rotation_write_ical((const inc_rotation *const *)&r, 1, NULL,
                                     at("2026-01-05T00:00Z"), at("2026-06-01T00:00Z"), &doc, &len);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            done = 1;
            assert_non_null(doc);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
        }
        inc_free(doc);
        inc_rotation_free(r);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
    assert_true(n > 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ONC_7_one_event_per_stretch_with_stable_uids),
        cmocka_unit_test(test_ONC_7_one_persons_shifts_across_rotations),
        cmocka_unit_test(test_ONC_7_long_lines_fold_between_utf8_sequences),
        cmocka_unit_test(test_ONC_7_bad_arguments),
        cmocka_unit_test(test_ONC_7_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
