/* Layered on-call schedules (ONC-6): layers restricted to weekly windows in
 * a zone, the highest covering layer winning, follow-the-sun across
 * Europe/Berlin and America/Los_Angeles with the windows staying at local
 * times across daylight-saving changes (and the gap that opens in the weeks
 * the two zones change on different dates), gaps as ONC-3 findings, shift
 * swaps both people agreed to, the text format (round trip, errors naming
 * the line), bad arguments and allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

static void require_zoneinfo(void)
{
    struct stat st;
    if (stat("/usr/share/zoneinfo/Europe/Berlin", &st) != 0 ||
        stat("/usr/share/zoneinfo/America/Los_Angeles", &st) != 0)
        fail_msg("tzdata is not installed: install the package 'tzdata'");
}

static const char *who(inc_rotation *r, const char *iso)
{
    static inc_shift s;
    int rc = inc_rotation_who(r, INC_LAYER_PRIMARY, at(iso), &s);
    return rc == INC_OK ? s.person : NULL;
}

/* Zone UTC, no people of its own, weekly from Monday 2026-01-05 10:00. */
static inc_rotation *bare(inc_context *ctx, const char *name)
{
    inc_rotation *r = NULL;
    assert_int_equal(inc_rotation_new(ctx, name, &r), INC_OK);
    assert_int_equal(inc_rotation_set_start(r, 2026, 1, 5), INC_OK);
    assert_int_equal(inc_rotation_set_secondary(r, 0), INC_OK);
    return r;
}

static inc_rotation *follow_the_sun(inc_context *ctx)
{
    inc_rotation *r = bare(ctx, "support");
    size_t eu, us;
    assert_int_equal(inc_rotation_add_layer(r, "europe", "Europe/Berlin", &eu), INC_OK);
    assert_int_equal(inc_rotation_add_layer_window(r, eu, INC_WEEKDAYS_ALL, 8 * 60, 20 * 60),
                     INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, eu, "eva"), INC_OK);
    assert_int_equal(inc_rotation_add_layer(r, "americas", "America/Los_Angeles", &us), INC_OK);
    assert_int_equal(inc_rotation_add_layer_window(r, us, INC_WEEKDAYS_ALL, 11 * 60, 23 * 60),
                     INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, us, "sam"), INC_OK);
    return r;
}

static void test_ONC_6_follow_the_sun_keeps_local_times_across_dst(void **state)
{
    inc_context *ctx = NULL;
    inc_rotation *r;
    inc_shift *sh = NULL;
    size_t n, i;
    (void)state;

    require_zoneinfo();
    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = follow_the_sun(ctx);
    assert_int_equal(inc_rotation_layer_count(r), 2);
    assert_string_equal(inc_rotation_layer_name(r, 1), "americas");
    assert_null(inc_rotation_layer_name(r, 2));
    /* January: Berlin 08:00-20:00 CET is 07:00-19:00 UTC; Los Angeles
     * 11:00-23:00 PST is 19:00-07:00 UTC. */
    assert_string_equal(who(r, "2026-01-14T12:00Z"), "eva");
    assert_string_equal(who(r, "2026-01-14T07:00Z"), "eva");
    assert_string_equal(who(r, "2026-01-14T06:59Z"), "sam");
    assert_string_equal(who(r, "2026-01-14T19:00Z"), "sam");
    /* Between 2026-03-08 (US) and 2026-03-29 (EU) only Los Angeles is on
     * summer time: its 23:00 is 06:00 UTC, Berlin's 08:00 still 07:00 UTC. */
    assert_null(who(r, "2026-03-10T06:30Z"));
    assert_non_null(strstr(inc_rotation_errmsg(r), "ONC-6"));
    assert_string_equal(who(r, "2026-03-10T05:59Z"), "sam");
    assert_string_equal(who(r, "2026-03-10T07:00Z"), "eva");
    /* April: both on summer time, no gap again (Berlin 06:00-18:00 UTC). */
    assert_string_equal(who(r, "2026-04-14T06:30Z"), "eva");
    assert_string_equal(who(r, "2026-04-14T05:30Z"), "sam");
    /* Shifts cut at the window edges, and agree with who(). */
    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_PRIMARY, at("2026-01-13T00:00Z"),
                                         at("2026-01-15T00:00Z"), &sh, &n),
                     INC_OK);
    assert_true(n >= 4);
    for (i = 0; i < n; i++) {
        inc_shift s;
        assert_int_equal(inc_rotation_who(r, INC_LAYER_PRIMARY, sh[i].start, &s), INC_OK);
        assert_string_equal(s.person, sh[i].person);
        assert_int_equal(s.start, sh[i].start);
        assert_int_equal(s.end, sh[i].end);
        assert_int_equal(sh[i].end - sh[i].start <= 12 * 3600000LL, 1);
    }
    inc_free(sh);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_6_highest_layer_wins_and_people_rotate(void **state)
{
    inc_context *ctx = NULL;
    inc_rotation *r;
    size_t base, hours;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = bare(ctx, "ops");
    assert_int_equal(inc_rotation_add_person(r, "rotating-default"), INC_OK);
    assert_int_equal(inc_rotation_add_layer(r, "allday", NULL, &base), INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, base, "al"), INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, base, "bo"), INC_OK);
    assert_int_equal(inc_rotation_add_layer(r, "business", NULL, &hours), INC_OK);
    assert_int_equal(inc_rotation_add_layer_window(r, hours, INC_WEEKDAYS_MON_FRI, 9 * 60, 17 * 60),
                     INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, hours, "cy"), INC_OK);
    /* Shift 1 (2026-01-12 10:00 UTC..): allday gives bo; business hours cy. */
    assert_string_equal(who(r, "2026-01-13T12:00Z"), "cy");
    assert_string_equal(who(r, "2026-01-13T18:00Z"), "bo");
    assert_string_equal(who(r, "2026-01-17T12:00Z"), "bo"); /* Saturday */
    assert_string_equal(who(r, "2026-01-20T18:00Z"), "al"); /* shift 2 */
    /* Before the first shift the layers do not apply. */
    assert_null(who(r, "2026-01-01T12:00Z"));
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_6_gap_is_an_ONC_3_finding(void **state)
{
    inc_oncall_check_options o = INC_ONCALL_CHECK_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_findings *f = NULL;
    inc_rotation *r;
    size_t l, i;
    int found = 0;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = bare(ctx, "nights");
    assert_int_equal(inc_rotation_add_layer(r, "main", NULL, &l), INC_OK);
    assert_int_equal(inc_rotation_add_layer_window(r, l, INC_WEEKDAYS_ALL, 8 * 60, 2 * 60),
                     INC_OK); /* 08:00 to 02:00 the next day */
    assert_int_equal(inc_rotation_add_layer_window(r, l, 0x7E, 2 * 60, 8 * 60), INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, l, "ann"), INC_OK);
    assert_null(who(r, "2026-02-08T03:00Z")); /* a Sunday */
    assert_string_equal(who(r, "2026-02-09T03:00Z"), "ann");
    o.from = at("2026-02-02T00:00Z");
    o.to = at("2026-03-02T00:00Z");
    o.min_people = 1;
    o.max_consecutive = 100;
    o.min_gap = 1;
    assert_int_equal(inc_rotation_check(r, NULL, 0, &o, &f), INC_OK);
    for (i = 0; i < inc_findings_count(f); i++) {
        const inc_finding *x = inc_findings_at(f, i);
        if (strstr(x->message, "nobody is on call on Sundays 02:00-08:00 UTC")) {
            found++;
            assert_string_equal(x->rule_id, "ONC-3");
            assert_int_equal(x->value, 6 * 3600000LL);
        }
    }
    assert_int_equal(found, 1); /* the same hours of each week, once */
    inc_findings_free(f);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_6_swap_needs_both_people(void **state)
{
    inc_rotation_override ov;
    inc_context *ctx = NULL;
    inc_rotation *r;
    size_t idx = 99;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = bare(ctx, "payments");
    assert_int_equal(inc_rotation_add_person(r, "alice"), INC_OK);
    assert_int_equal(inc_rotation_add_person(r, "bob"), INC_OK);
    /* 2026-01-13 is in shift 1: bob's. */
    assert_int_equal(inc_rotation_add_swap(r, INC_LAYER_PRIMARY, at("2026-01-13T00:00Z"),
                                           at("2026-01-14T00:00Z"), "bob", NULL, INC_TIME_NONE,
                                           &idx),
                     INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(r), "second person"));
    assert_int_equal(inc_rotation_add_swap(r, INC_LAYER_PRIMARY, at("2026-01-13T00:00Z"),
                                           at("2026-01-14T00:00Z"), "bob", "", INC_TIME_NONE, &idx),
                     INC_EINVAL);
    assert_int_equal(inc_rotation_add_swap(r, INC_LAYER_PRIMARY, at("2026-01-13T00:00Z"),
                                           at("2026-01-14T00:00Z"), "bob", "bob", INC_TIME_NONE,
                                           &idx),
                     INC_EINVAL);
    assert_int_equal(inc_rotation_add_swap(r, INC_LAYER_PRIMARY, at("2026-01-13T00:00Z"),
                                           at("2026-01-14T00:00Z"), "alice", "carol", INC_TIME_NONE,
                                           &idx),
                     INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(r), "bob is"));
    assert_int_equal(inc_rotation_override_count(r), 0);
    assert_int_equal(inc_rotation_add_swap(r, INC_LAYER_PRIMARY, at("2026-01-13T00:00Z"),
                                           at("2026-01-14T00:00Z"), "bob", "carol",
                                           at("2026-01-10T09:00Z"), &idx),
                     INC_OK);
    assert_int_equal(idx, 0);
    assert_true(inc_rotation_override_is_swap(r, 0));
    assert_false(inc_rotation_override_is_swap(r, 1));
    assert_int_equal(inc_rotation_get_override(r, 0, &ov), INC_OK);
    assert_string_equal(ov.by, "bob");
    assert_string_equal(ov.person, "carol");
    assert_string_equal(who(r, "2026-01-13T12:00Z"), "carol");
    assert_string_equal(who(r, "2026-01-14T12:00Z"), "bob");
    inc_rotation_free(r);
    inc_context_free(ctx);
}

static void test_ONC_6_layer_refusals(void **state)
{
    inc_context *ctx = NULL;
    inc_rotation *r;
    size_t l;
    (void)state;

    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    r = bare(ctx, "x");
    assert_int_equal(inc_rotation_add_layer(r, "Bad Name", NULL, &l), INC_EINVAL);
    assert_int_equal(inc_rotation_add_layer(r, "day", "Mars/Base", &l), INC_ENOTFOUND);
    assert_int_equal(inc_rotation_add_layer(r, "day", NULL, &l), INC_OK);
    assert_int_equal(inc_rotation_add_layer(r, "day", NULL, NULL), INC_EEXIST);
    assert_int_equal(inc_rotation_add_layer_window(r, l, 0, 60, 120), INC_EINVAL);
    assert_int_equal(inc_rotation_add_layer_window(r, l, 0x80, 60, 120), INC_EINVAL);
    assert_int_equal(inc_rotation_add_layer_window(r, l, 1, 600, 600), INC_EINVAL);
    assert_int_equal(inc_rotation_add_layer_window(r, l, 1, 1440, 60), INC_EINVAL);
    assert_int_equal(inc_rotation_add_layer_window(r, l, 1, 0, 1441), INC_EINVAL);
    assert_int_equal(inc_rotation_add_layer_window(r, 7, 1, 0, 60), INC_ENOTFOUND);
    assert_int_equal(inc_rotation_add_layer_person(r, 7, "a"), INC_ENOTFOUND);
    assert_int_equal(inc_rotation_add_layer_person(r, l, ""), INC_EINVAL);
    /* A layer that ends before it starts. */
    assert_int_equal(inc_rotation_set_layer_dates(r, l, "2026-06-01", "2026-05-31"), INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(r), "ends"));
    assert_int_equal(inc_rotation_set_layer_dates(r, l, "2026-02-30", NULL), INC_EINVAL);
    assert_int_equal(inc_rotation_set_layer_dates(r, l, "2026-06-01", "2026-06-01"), INC_OK);
    assert_int_equal(inc_rotation_add_layer_person(r, l, "dee"), INC_OK);
    assert_null(who(r, "2026-05-31T12:00Z"));
    assert_string_equal(who(r, "2026-06-01T12:00Z"), "dee");
    assert_null(who(r, "2026-06-02T00:00Z"));
    assert_int_equal(inc_rotation_add_layer(NULL, "a", NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_rotation_layer_count(NULL), 0);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

#define LAYERED                                                                                    \
    "libincident-rotation 1\n"                                                                     \
    "name = support\n"                                                                             \
    "start = 2026-01-05\n"                                                                         \
    "secondary = none\n"                                                                           \
    "\n"                                                                                           \
    "layer = europe\n"                                                                             \
    "  layer-zone = Europe/Berlin\n"                                                               \
    "  layer-from = 2026-01-01\n"                                                                  \
    "  restrict = mon-fri 08:00-20:00\n"                                                           \
    "  restrict = sat,sun 10:00-14:00\n"                                                           \
    "  member = eva\n"                                                                             \
    "  member = emil\n"                                                                            \
    "\n"                                                                                           \
    "layer = americas\n"                                                                           \
    "  layer-zone = America/Los_Angeles\n"                                                         \
    "  restrict = daily 11:00-23:00\n"                                                             \
    "  member = sam\n"                                                                             \
    "\n"                                                                                           \
    "swap = primary 2026-01-13T12:00:00.000Z 2026-01-13T13:00:00.000Z\n"                           \
    "  to = eva\n"                                                                                 \
    "  by = emil\n"

static void test_ONC_6_text_format_round_trip(void **state)
{
    inc_context *ctx = NULL;
    inc_rotation *r = NULL, *again = NULL, *copy = NULL;
    inc_diag d;
    char *text = NULL;
    size_t len;
    (void)state;

    require_zoneinfo();
    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    if (inc_rotation_parse(ctx, LAYERED, strlen(LAYERED), &r, &d) != INC_OK)
        fail_msg("%s", d.message);
    assert_int_equal(inc_rotation_layer_count(r), 2);
    assert_true(inc_rotation_override_is_swap(r, 0));
    assert_string_equal(who(r, "2026-01-13T12:30Z"), "eva"); /* shift 1 is emil's */
    assert_string_equal(who(r, "2026-01-13T11:30Z"), "emil");
    assert_int_equal(inc_rotation_write(r, &text, &len), INC_OK);
    assert_non_null(strstr(text, "restrict = mon,tue,wed,thu,fri 08:00-20:00\n"));
    assert_non_null(strstr(text, "swap = primary"));
    assert_int_equal(inc_rotation_parse(ctx, text, len, &again, &d), INC_OK);
    assert_true(inc_rotation_equal(r, again));
    assert_int_equal(inc_rotation_dup(r, &copy), INC_OK);
    assert_true(inc_rotation_equal(r, copy));
    assert_string_equal(who(copy, "2026-01-14T22:00Z"), "sam");
    inc_free(text);
    inc_rotation_free(copy);
    inc_rotation_free(again);
    inc_rotation_free(r);
    inc_context_free(ctx);
}

/* Parse @text; expect @code with a message naming line @line and containing @what. */
static void bad(inc_context *ctx, const char *text, int code, unsigned line, const char *what)
{
    inc_rotation *r = (inc_rotation *)1;
    inc_diag d;
    char head[16];
    assert_int_equal(inc_rotation_parse(ctx, text, strlen(text), &r, &d), code);
    assert_null(r);
    assert_int_equal(d.line, line);
    snprintf(head, sizeof(head), "line %u:", line);
    if (strncmp(d.message, head, strlen(head)) != 0 || !strstr(d.message, what))
        fail_msg("message '%s' lacks '%s' or '%s'", d.message, head, what);
}

#define HEAD "libincident-rotation 1\nname = x\nstart = 2026-01-05\nperson = a\n"

static void test_ONC_6_bad_text_names_the_line(void **state)
{
    inc_context *ctx = NULL;
    (void)state;
    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    bad(ctx, HEAD "layer = l\n  layer-from = 2026-06-01\n  layer-until = 2026-05-01\n", INC_EINVAL,
        7, "ends");
    bad(ctx, HEAD "layer = l\n  restrict = someday 08:00-20:00\n", INC_EPARSE, 6, "days");
    bad(ctx, HEAD "layer = l\n  restrict = mon-fri 8-20\n", INC_EPARSE, 6, "HH:MM-HH:MM");
    bad(ctx, HEAD "layer = l\n  restrict = mon 08:00-08:00\n", INC_EINVAL, 6, "ends where");
    bad(ctx, HEAD "member = b\n", INC_EPARSE, 5, "outside a layer");
    bad(ctx, HEAD "layer = l\nperson = b\n", INC_EPARSE, 6, "after a layer");
    bad(ctx, HEAD "layer = l\n  layer-zone = Mars/Base\n", INC_ENOTFOUND, 6, "Mars/Base");
    bad(ctx, HEAD "layer = l\nlayer = l\n", INC_EEXIST, 6, "layer l");
    bad(ctx,
        HEAD "swap = primary 2026-01-13T00:00Z 2026-01-13T01:00Z\n  by = a\n"
             "  recorded = 2026-01-01T00:00Z\n",
        INC_EPARSE, 5, "second person");
    bad(ctx, HEAD "swap = primary 2026-01-13T00:00Z 2026-01-13T01:00Z\n  to = b\n", INC_EPARSE, 5,
        "by = PERSON");
    bad(ctx, HEAD "swap = primary 2026-01-13T00:00Z 2026-01-13T01:00Z\n  to = b\n  by = c\n",
        INC_EINVAL, 5, "c is not on call");
    bad(ctx,
        HEAD "swap = primary 2026-01-13T00:00Z 2026-01-13T01:00Z\n  to = b\n  by = a\n"
             "  reason = x\n",
        INC_EPARSE, 8, "'reason' in a swap");
    inc_context_free(ctx);
}

static void test_ONC_6_allocation_failure(void **state)
{
    struct inc_test_alloc ta;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_allocator al;
    unsigned long n;
    int done = 0;
    (void)state;

    require_zoneinfo();
    inc_test_alloc_init(&ta);
    al = inc_test_alloc_allocator(&ta);
    o.allocator = &al;
    for (n = 1; !done && n < 2000; n++) {
        inc_context *ctx = NULL;
        inc_rotation *r = NULL, *copy = NULL;
        int rc;
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_rotation_parse(ctx, LAYERED, strlen(LAYERED), &r, NULL);
        if (rc == INC_OK)
            rc = inc_rotation_dup(r, &copy);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK)
            done = 1;
        else if (rc != INC_ENOMEM)
            fail_msg("allocation %lu: %d %s", n, rc, r ? inc_rotation_errmsg(r) : "");
        inc_rotation_free(copy);
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
        cmocka_unit_test(test_ONC_6_follow_the_sun_keeps_local_times_across_dst),
        cmocka_unit_test(test_ONC_6_highest_layer_wins_and_people_rotate),
        cmocka_unit_test(test_ONC_6_gap_is_an_ONC_3_finding),
        cmocka_unit_test(test_ONC_6_swap_needs_both_people),
        cmocka_unit_test(test_ONC_6_layer_refusals),
        cmocka_unit_test(test_ONC_6_text_format_round_trip),
        cmocka_unit_test(test_ONC_6_bad_text_names_the_line),
        cmocka_unit_test(test_ONC_6_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
