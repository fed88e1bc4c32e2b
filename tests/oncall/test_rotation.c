/* Rotations as data (ONC-1): who is on call for a weekly rotation of five
 * across a whole year with overrides, hand-offs across daylight-saving
 * changes in Europe/Berlin and America/New_York (10:00 stays 10:00 local; a
 * missing hand-off time moves to the next valid minute; a repeated one is
 * the first occurrence), the secondary layer, shift lists, the text format
 * (lossless round trip, line-numbered errors) and allocation failure. */
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
#include "util/time.h"

#define MINUTE (60LL * 1000)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

static const char *const five[5] = {"alice", "bob", "carol", "dave", "erin"};

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

/* tzdata is a test dependency (.ci installs it): fail loudly without it. */
static void require_zoneinfo(void)
{
    struct stat st;
    if (stat("/usr/share/zoneinfo/Europe/Berlin", &st) != 0 ||
        stat("/usr/share/zoneinfo/America/New_York", &st) != 0)
        fail_msg("tzdata is not installed: install the package 'tzdata'");
}

typedef struct fx {
    struct inc_test_clock clock;
    inc_context *ctx;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof(*f));
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_test_clock_init(&f->clock, at("2026-02-01T12:00:00Z"));
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    inc_context_free(f->ctx);
    free(f);
    return 0;
}

/* A weekly rotation of the five, Monday 10:00 in @zone, from 2026-01-05. */
static inc_rotation *weekly(fx *f, const char *zone)
{
    inc_rotation *r = NULL;
    size_t i;
    assert_int_equal(inc_rotation_new(f->ctx, "payments", &r), INC_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(inc_rotation_add_person(r, five[i]), INC_OK);
    if (inc_rotation_set_zone(r, zone) != INC_OK)
        fail_msg("%s", inc_rotation_errmsg(r));
    assert_int_equal(inc_rotation_set_start(r, 2026, 1, 5), INC_OK);
    return r;
}

static const char *who(const inc_rotation *r, inc_layer layer, inc_time t)
{
    inc_shift s;
    int rc = inc_rotation_who(r, layer, t, &s);
    if (rc != INC_OK)
        fail_msg("who: %s: %s", inc_status_name(rc), inc_rotation_errmsg(r));
    assert_true(s.start <= t && t < s.end);
    return s.person;
}

static inc_time local(fx *f, const char *zone, int y, unsigned mo, unsigned d, unsigned h,
                      unsigned mi)
{
    inc_local_time lt;
    inc_time t;
    memset(&lt, 0, sizeof(lt));
    lt.year = y;
    lt.month = mo;
    lt.day = d;
    lt.hour = h;
    lt.minute = mi;
    assert_int_equal(inc_zone_from_local(f->ctx, zone, &lt, &t), INC_OK);
    return t;
}

/* ---- the defaults and the setters ------------------------------------------------ */

static void test_ONC_01_defaults_weekly_monday_10_utc(void **state)
{
    fx *f = *state;
    inc_rotation *r = NULL;
    unsigned h, m, mo, d;
    int y;

    assert_int_equal(inc_rotation_new(f->ctx, "payments", &r), INC_OK);
    assert_int_equal(inc_rotation_period(r), 7);
    assert_int_equal(inc_rotation_get_handoff(r, &h, &m), INC_OK);
    assert_int_equal(h, 10);
    assert_int_equal(m, 0);
    assert_string_equal(inc_rotation_zone(r), "UTC");
    assert_int_equal(inc_rotation_get_start(r, &y, &mo, &d), INC_OK);
    assert_int_equal(y * 10000 + (int)mo * 100 + (int)d, 19700105); /* a Monday */
    assert_int_equal(inc_rotation_secondary(r), 1);
    assert_int_equal(inc_rotation_role(r), INC_ROLE_COUNT);
    assert_int_equal(inc_rotation_add_person(r, "alice"), INC_OK);
    assert_int_equal(inc_rotation_add_person(r, "bob"), INC_OK);
    /* Mondays 10:00 UTC: 2026-03-02 is a Monday. */
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-02T09:59:59.999Z")),
                        who(r, INC_LAYER_SECONDARY, at("2026-03-02T10:00:00Z")));
    assert_string_not_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-02T09:59Z")),
                            who(r, INC_LAYER_PRIMARY, at("2026-03-02T10:00Z")));
    /* Bad values are refused with a message naming the field. */
    assert_int_equal(inc_rotation_set_period(r, 0), INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(r), "period"));
    assert_int_equal(inc_rotation_set_period(r, 367), INC_EINVAL);
    assert_int_equal(inc_rotation_set_handoff(r, 24, 0), INC_EINVAL);
    assert_int_equal(inc_rotation_set_handoff(r, 9, 60), INC_EINVAL);
    assert_int_equal(inc_rotation_set_start(r, 2026, 2, 29), INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(r), "2026-02-29"));
    assert_int_equal(inc_rotation_set_secondary(r, INC_ROTATION_PEOPLE_MAX), INC_EINVAL);
    assert_int_equal(inc_rotation_set_role(r, (inc_role)42), INC_EINVAL);
    assert_int_equal(inc_rotation_add_person(r, ""), INC_EINVAL);
    assert_int_equal(inc_rotation_add_person(r, "a\nb"), INC_EINVAL);
    assert_int_equal(inc_rotation_set_zone(r, "Mars/Base"), INC_ENOTFOUND);
    assert_non_null(strstr(inc_rotation_errmsg(r), "Mars/Base"));
    assert_string_equal(inc_rotation_zone(r), "UTC"); /* unchanged */
    inc_rotation_free(r);
    assert_int_equal(inc_rotation_new(f->ctx, "Payments", &r), INC_EINVAL);
    assert_null(r);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "Payments"));
    assert_int_equal(inc_rotation_new(f->ctx, "-x", &r), INC_EINVAL);
    assert_int_equal(inc_rotation_new(f->ctx, "", &r), INC_EINVAL);
    assert_int_equal(inc_rotation_new(NULL, "x", &r), INC_EINVAL);
}

/* ---- a year of a weekly rotation of five, with overrides ------------------------------- */

/* The answer worked out independently: the Monday 10:00 boundaries from the
 * zone conversion, the person by counting weeks, the last override that
 * covers the time. */
typedef struct model {
    inc_time monday[60]; /* Monday 10:00 local of weeks 0..59 */
    inc_rotation_override ov[16];
    size_t ov_n;
} model;

static const char *model_who(const model *m, inc_layer layer, inc_time t)
{
    size_t k = 0, i = m->ov_n;
    while (i-- > 0)
        if (m->ov[i].layer == layer && m->ov[i].start <= t && t < m->ov[i].end)
            return m->ov[i].person;
    while (k + 1 < 60 && m->monday[k + 1] <= t)
        k++;
    return five[(k + (layer == INC_LAYER_SECONDARY)) % 5];
}

static void add_ov(inc_rotation *r, model *m, inc_layer layer, inc_time s, inc_time e,
                   const char *person)
{
    inc_rotation_override *o = &m->ov[m->ov_n++];
    memset(o, 0, sizeof(*o));
    o->layer = layer;
    o->start = s;
    o->end = e;
    o->person = person;
    o->by = "alice";
    o->reason = "swap";
    o->recorded_at = INC_TIME_NONE;
    assert_int_equal(inc_rotation_add_override(r, o, NULL), INC_OK);
}

static void test_ONC_01_year_of_weekly_five_with_overrides(void **state)
{
    fx *f = *state;
    inc_rotation *r;
    inc_shift *sh = NULL;
    size_t n = 0, i, idx;
    model m;
    inc_time t, from, to;
    int layer;

    require_zoneinfo();
    r = weekly(f, "Europe/Berlin");
    memset(&m, 0, sizeof(m));
    for (i = 0; i < 60; i++) {
        int64_t y;
        unsigned mo, d;
        inc__civil_from_days(inc__days_from_civil(2026, 1, 5) + 7 * (int64_t)i, &y, &mo, &d);
        m.monday[i] = local(f, "Europe/Berlin", (int)y, mo, d, 10, 0);
    }
    /* A whole shift swapped (week 20: erin's), a two-hour cover inside
     * week 30, overlapping overrides (the later wins), one spanning a
     * hand-off, and one on the secondary layer. */
    assert_int_equal(inc_rotation_override_shift(r, INC_LAYER_PRIMARY, m.monday[20] + 3 * DAY,
                                                 "frank", "erin", "holiday",
                                                 at("2026-05-01T08:00Z"), &idx),
                     INC_OK);
    assert_int_equal(idx, 0);
    m.ov[m.ov_n].layer = INC_LAYER_PRIMARY;
    m.ov[m.ov_n].start = m.monday[20];
    m.ov[m.ov_n].end = m.monday[21];
    m.ov[m.ov_n++].person = "frank";
    add_ov(r, &m, INC_LAYER_PRIMARY, m.monday[30] + 5 * HOUR, m.monday[30] + 7 * HOUR, "gina");
    add_ov(r, &m, INC_LAYER_PRIMARY, m.monday[40] + DAY, m.monday[40] + 4 * DAY, "hal");
    add_ov(r, &m, INC_LAYER_PRIMARY, m.monday[40] + 2 * DAY, m.monday[40] + 3 * DAY, "ivy");
    add_ov(r, &m, INC_LAYER_PRIMARY, m.monday[45] - 6 * HOUR, m.monday[45] + 6 * HOUR, "jo");
    add_ov(r, &m, INC_LAYER_SECONDARY, m.monday[10], m.monday[11], "kim");
    /* Every 37 minutes of the year, both layers, agree with the model. */
    for (t = at("2026-01-05T09:00:00Z"); t < at("2027-01-04T00:00:00Z"); t += 37 * MINUTE)
        for (layer = 0; layer < 2; layer++)
            if (strcmp(who(r, (inc_layer)layer, t), model_who(&m, (inc_layer)layer, t)) != 0)
                fail_msg("layer %d at %lld: %s, want %s", layer, (long long)t,
                         who(r, (inc_layer)layer, t), model_who(&m, (inc_layer)layer, t));
    /* The hand-offs to the minute: 09:59 and 10:01 local on every Monday. */
    for (i = 1; i < 52; i++) {
        assert_string_equal(who(r, INC_LAYER_PRIMARY, m.monday[i] - MINUTE),
                            model_who(&m, INC_LAYER_PRIMARY, m.monday[i] - MINUTE));
        assert_string_equal(who(r, INC_LAYER_PRIMARY, m.monday[i] + MINUTE),
                            model_who(&m, INC_LAYER_PRIMARY, m.monday[i] + MINUTE));
    }
    /* Stretches: the later override cuts the earlier one in three. */
    {
        inc_shift s;
        assert_int_equal(inc_rotation_who(r, INC_LAYER_PRIMARY, m.monday[40] + DAY + HOUR, &s),
                         INC_OK);
        assert_string_equal(s.person, "hal");
        assert_int_equal(s.start, m.monday[40] + DAY);
        assert_int_equal(s.end, m.monday[40] + 2 * DAY);
        assert_int_equal(s.override_index, 2);
        assert_int_equal(s.number, 40);
        assert_int_equal(inc_rotation_who(r, INC_LAYER_PRIMARY, m.monday[40] + HOUR, &s), INC_OK);
        assert_string_equal(s.person, five[0]);
        assert_int_equal(s.start, m.monday[40]);
        assert_int_equal(s.end, m.monday[40] + DAY);
        assert_int_equal(s.override_index, INC_SHIFT_NO_OVERRIDE);
    }
    /* The shift list covers the year without gaps or overlaps and matches who(). */
    from = at("2026-01-05T09:00Z");
    to = at("2027-01-04T09:00Z");
    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_PRIMARY, from, to, &sh, &n), INC_OK);
    assert_true(n > 52);
    assert_int_equal(sh[0].start, from);
    for (i = 0; i < n; i++) {
        if (i > 0)
            assert_int_equal(sh[i].start, sh[i - 1].end);
        assert_true(sh[i].start < sh[i].end);
        assert_string_equal(sh[i].person, model_who(&m, INC_LAYER_PRIMARY, sh[i].start));
        assert_string_equal(sh[i].person, model_who(&m, INC_LAYER_PRIMARY, sh[i].end - 1));
        if (i > 0 && sh[i].override_index == sh[i - 1].override_index &&
            sh[i].number == sh[i - 1].number)
            fail_msg("stretches %zu and %zu should be one", i - 1, i);
    }
    assert_true(sh[n - 1].end >= to);
    /* 52 shifts; week 30 cut in three (+2); week 40 in five: base, hal,
     * ivy, hal, base (+4); jo's override on each side of a hand-off cuts
     * both shifts (+2). */
    assert_int_equal(n, 52 + 2 + 4 + 2);
    inc_free(sh);
    inc_rotation_free(r);
}

/* ---- daylight saving ----------------------------------------------------------------- */

static void expect_shift(const inc_rotation *r, inc_time t, const char *start, const char *end)
{
    inc_shift s;
    assert_int_equal(inc_rotation_who(r, INC_LAYER_PRIMARY, t, &s), INC_OK);
    if (s.start != at(start) || s.end != at(end)) {
        char a[32], b[32];
        inc_time_format(s.start, a, sizeof(a));
        inc_time_format(s.end, b, sizeof(b));
        fail_msg("shift %s .. %s, want %s .. %s", a, b, start, end);
    }
}

static void test_ONC_01_dst_berlin_weekly_handoff_stays_10_local(void **state)
{
    fx *f = *state;
    inc_rotation *r;
    require_zoneinfo();
    r = weekly(f, "Europe/Berlin");
    /* Week 11 (Mar 23, CET) ends at the CEST hand-off: 167 hours. */
    expect_shift(r, at("2026-03-25T00:00Z"), "2026-03-23T09:00Z", "2026-03-30T08:00Z");
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-30T07:59Z")), five[11 % 5]);
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-30T08:01Z")), five[12 % 5]);
    /* Week 41 (Oct 19, CEST) ends at the CET hand-off: 169 hours. */
    expect_shift(r, at("2026-10-25T12:00Z"), "2026-10-19T08:00Z", "2026-10-26T09:00Z");
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-10-26T08:59Z")), five[41 % 5]);
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-10-26T09:01Z")), five[42 % 5]);
    inc_rotation_free(r);
}

static void test_ONC_01_dst_new_york_weekly_handoff_stays_10_local(void **state)
{
    fx *f = *state;
    inc_rotation *r;
    require_zoneinfo();
    r = weekly(f, "America/New_York");
    expect_shift(r, at("2026-03-08T12:00Z"), "2026-03-02T15:00Z", "2026-03-09T14:00Z");
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-09T13:59Z")), five[8 % 5]);
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-09T14:01Z")), five[9 % 5]);
    expect_shift(r, at("2026-11-01T12:00Z"), "2026-10-26T14:00Z", "2026-11-02T15:00Z");
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-11-02T14:59Z")), five[42 % 5]);
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-11-02T15:01Z")), five[43 % 5]);
    inc_rotation_free(r);
}

/* A daily hand-off inside the hour that is skipped or repeated. */
static void test_ONC_01_dst_daily_handoff_in_gap_and_overlap(void **state)
{
    fx *f = *state;
    inc_rotation *r;
    require_zoneinfo();
    r = weekly(f, "Europe/Berlin");
    assert_int_equal(inc_rotation_set_period(r, 1), INC_OK);
    assert_int_equal(inc_rotation_set_handoff(r, 2, 30), INC_OK);
    /* 2026-03-29 02:30 does not exist: the shift starts at 03:00 CEST. */
    expect_shift(r, at("2026-03-29T00:59Z"), "2026-03-28T01:30Z", "2026-03-29T01:00Z");
    expect_shift(r, at("2026-03-29T01:00Z"), "2026-03-29T01:00Z", "2026-03-30T00:30Z");
    /* 2026-10-25 02:30 happens twice: the first (CEST, 00:30Z). */
    expect_shift(r, at("2026-10-25T00:30Z"), "2026-10-25T00:30Z", "2026-10-26T01:30Z");
    expect_shift(r, at("2026-10-25T00:29Z"), "2026-10-24T00:30Z", "2026-10-25T00:30Z");
    inc_rotation_free(r);

    r = weekly(f, "America/New_York");
    assert_int_equal(inc_rotation_set_period(r, 1), INC_OK);
    assert_int_equal(inc_rotation_set_handoff(r, 2, 30), INC_OK);
    expect_shift(r, at("2026-03-08T07:00Z"), "2026-03-08T07:00Z", "2026-03-09T06:30Z");
    assert_int_equal(inc_rotation_set_handoff(r, 1, 30), INC_OK);
    expect_shift(r, at("2026-11-01T05:30Z"), "2026-11-01T05:30Z", "2026-11-02T06:30Z");
    expect_shift(r, at("2026-11-01T05:29Z"), "2026-10-31T05:30Z", "2026-11-01T05:30Z");
    inc_rotation_free(r);
}

/* ---- layers, periods, the start ------------------------------------------------------- */

static void test_ONC_01_secondary_layer_and_n_day_periods(void **state)
{
    fx *f = *state;
    inc_rotation *r = weekly(f, "UTC");
    inc_shift s;

    /* Week 0 starts 2026-01-05 10:00 UTC: alice primary, bob secondary. */
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-01-05T10:00Z")), "alice");
    assert_string_equal(who(r, INC_LAYER_SECONDARY, at("2026-01-05T10:00Z")), "bob");
    assert_string_equal(who(r, INC_LAYER_SECONDARY, at("2026-02-02T10:00Z")), "alice"); /* wk 4 */
    assert_int_equal(inc_rotation_set_secondary(r, 2), INC_OK);
    assert_string_equal(who(r, INC_LAYER_SECONDARY, at("2026-01-05T10:00Z")), "carol");
    assert_int_equal(inc_rotation_set_secondary(r, 5), INC_OK);
    assert_int_equal(inc_rotation_who(r, INC_LAYER_SECONDARY, at("2026-01-05T10:00Z"), &s),
                     INC_ENOTFOUND);
    assert_non_null(strstr(inc_rotation_errmsg(r), "multiple"));
    assert_int_equal(inc_rotation_set_secondary(r, 0), INC_OK);
    assert_int_equal(inc_rotation_who(r, INC_LAYER_SECONDARY, at("2026-01-05T10:00Z"), &s),
                     INC_ENOTFOUND);
    assert_non_null(strstr(inc_rotation_errmsg(r), "no secondary"));
    /* Before the first shift nobody is on call. */
    assert_int_equal(inc_rotation_who(r, INC_LAYER_PRIMARY, at("2026-01-05T09:59Z"), &s),
                     INC_ENOTFOUND);
    assert_non_null(strstr(inc_rotation_errmsg(r), "not started"));
    /* ... unless an override says so. */
    assert_int_equal(inc_rotation_override_shift(r, INC_LAYER_PRIMARY, at("2026-01-01T00:00Z"),
                                                 "zed", NULL, NULL, INC_TIME_NONE, NULL),
                     INC_ENOTFOUND);
    {
        inc_rotation_override o = {INC_LAYER_PRIMARY, 0, 0, "zed", NULL, NULL, INC_TIME_NONE};
        o.start = at("2026-01-04T00:00Z");
        o.end = at("2026-01-06T00:00Z");
        assert_int_equal(inc_rotation_add_override(r, &o, NULL), INC_OK);
        assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-01-05T09:59Z")), "zed");
        assert_int_equal(inc_rotation_who(r, INC_LAYER_PRIMARY, at("2026-01-05T09:59Z"), &s),
                         INC_OK);
        assert_int_equal(s.start, o.start);
        assert_int_equal(s.end, at("2026-01-05T10:00Z")); /* cut at shift 0 */
        assert_int_equal(s.number, -1);
        o.end = o.start;
        assert_int_equal(inc_rotation_add_override(r, &o, NULL), INC_EINVAL);
        o.end = o.start + 1;
        o.layer = (inc_layer)2;
        assert_int_equal(inc_rotation_add_override(r, &o, NULL), INC_EINVAL);
    }
    /* Three-day periods: 2026-01-05, -08, -11, ... */
    assert_int_equal(inc_rotation_set_period(r, 3), INC_OK);
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-01-08T09:59Z")), "alice");
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-01-08T10:00Z")), "bob");
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-01-20T10:00Z")), "alice"); /* k=5 */
    inc_rotation_free(r);
}

static void test_ONC_01_shift_list_arguments_and_dup(void **state)
{
    fx *f = *state;
    inc_rotation *r = weekly(f, "UTC"), *c = NULL, *empty = NULL;
    inc_shift *sh = NULL;
    size_t n = 99;

    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_SECONDARY, at("2026-01-01T00:00Z"),
                                         at("2026-01-20T00:00Z"), &sh, &n),
                     INC_OK);
    assert_int_equal(n, 3); /* weeks 0, 1, 2 (none before the start) */
    assert_string_equal(sh[0].person, "bob");
    assert_int_equal(sh[0].start, at("2026-01-05T10:00Z"));
    assert_int_equal(sh[2].end, at("2026-01-26T10:00Z"));
    inc_free(sh);
    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_PRIMARY, at("2026-01-20T00:00Z"),
                                         at("2026-01-20T00:00Z"), &sh, &n),
                     INC_EINVAL);
    assert_int_equal(inc_rotation_shifts(r, INC_LAYER_PRIMARY, at("2026-01-01T00:00Z"),
                                         at("2026-01-05T00:00Z"), &sh, &n),
                     INC_OK);
    assert_int_equal(n, 0);
    assert_null(sh);
    assert_int_equal(inc_rotation_dup(r, &c), INC_OK);
    assert_true(inc_rotation_equal(r, c));
    assert_int_equal(inc_rotation_set_handoff(c, 9, 0), INC_OK);
    assert_false(inc_rotation_equal(r, c));
    assert_int_equal(inc_rotation_new(f->ctx, "empty", &empty), INC_OK);
    assert_int_equal(inc_rotation_shifts(empty, INC_LAYER_PRIMARY, 0, DAY, &sh, &n), INC_ENOTFOUND);
    assert_non_null(strstr(inc_rotation_errmsg(empty), "no people"));
    inc_rotation_free(empty);
    inc_rotation_free(c);
    inc_rotation_free(r);
}

/* ---- the text format ---------------------------------------------------------------- */

static const char example[] = "# The payments rotation.\n"
                              "libincident-rotation 1\n"
                              "name = payments\n"
                              "zone = Europe/Berlin\n"
                              "period = weekly\n"
                              "start = 2026-01-05\n"
                              "handoff = monday 10:00\n"
                              "secondary = 1\n"
                              "role = none\n"
                              "person = alice\n"
                              "person = bob\n"
                              "person = carol\n"
                              "person = dave\n"
                              "person = erin\n"
                              "\n"
                              "override = primary 2026-03-02T09:00:00Z 2026-03-09T09:00:00Z\n"
                              "  to = frank\n"
                              "  by = alice\n"
                              "  reason = alice is on holiday\n"
                              "  recorded = 2026-02-20T12:00:00Z\n";

static inc_rotation *parse_ok(fx *f, const char *text)
{
    inc_rotation *r = NULL;
    inc_diag d;
    int rc = inc_rotation_parse(f->ctx, text, strlen(text), &r, &d);
    if (rc != INC_OK)
        fail_msg("parse: %s: %s", inc_status_name(rc), d.message);
    return r;
}

static void roundtrip(fx *f, const inc_rotation *r)
{
    char *t1, *t2;
    size_t n1, n2;
    inc_rotation *back;
    assert_int_equal(inc_rotation_write(r, &t1, &n1), INC_OK);
    assert_int_equal(strlen(t1), n1);
    back = parse_ok(f, t1);
    assert_true(inc_rotation_equal(r, back));
    assert_int_equal(inc_rotation_write(back, &t2, &n2), INC_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    inc_free(t1);
    inc_free(t2);
    inc_rotation_free(back);
}

static void test_ONC_01_text_parse_and_lossless_write(void **state)
{
    fx *f = *state;
    inc_rotation *r, *api;
    inc_rotation_override o;
    require_zoneinfo();
    r = parse_ok(f, example);
    assert_string_equal(inc_rotation_name(r), "payments");
    assert_string_equal(inc_rotation_zone(r), "Europe/Berlin");
    assert_int_equal(inc_rotation_person_count(r), 5);
    assert_string_equal(inc_rotation_person(r, 4), "erin");
    assert_int_equal(inc_rotation_override_count(r), 1);
    assert_int_equal(inc_rotation_get_override(r, 0, &o), INC_OK);
    assert_string_equal(o.person, "frank");
    assert_string_equal(o.by, "alice");
    assert_string_equal(o.reason, "alice is on holiday");
    assert_int_equal(o.recorded_at, at("2026-02-20T12:00Z"));
    assert_int_equal(inc_rotation_get_override(r, 1, &o), INC_ENOTFOUND);
    assert_string_equal(who(r, INC_LAYER_PRIMARY, at("2026-03-04T00:00Z")), "frank");
    /* The same rotation built through the API is equal. */
    api = weekly(f, "Europe/Berlin");
    assert_int_equal(inc_rotation_override_shift(api, INC_LAYER_PRIMARY, at("2026-03-04T00:00Z"),
                                                 "frank", "alice", "alice is on holiday",
                                                 at("2026-02-20T12:00Z"), NULL),
                     INC_OK);
    assert_true(inc_rotation_equal(r, api));
    roundtrip(f, r);
    /* Awkward values: quotes, blanks, newlines, UTF-8, a roster, no
     * secondary, a 14-day period, an override without by or reason. */
    assert_int_equal(inc_rotation_add_person(api, " Zoë \"Z\" Ng "), INC_OK);
    assert_int_equal(inc_rotation_set_role(api, INC_ROLE_COMMS), INC_OK);
    assert_int_equal(inc_rotation_set_secondary(api, 0), INC_OK);
    assert_int_equal(inc_rotation_set_period(api, 14), INC_OK);
    assert_int_equal(inc_rotation_set_handoff(api, 0, 5), INC_OK);
    assert_int_equal(inc_rotation_override_shift(api, INC_LAYER_SECONDARY, at("2026-05-04T00:00Z"),
                                                 "\"quoted\"", "", "line one\nline\ttwo\\",
                                                 INC_TIME_NONE, NULL),
                     INC_OK);
    assert_int_equal(inc_rotation_override_shift(api, INC_LAYER_PRIMARY, at("2026-06-04T00:00Z"),
                                                 "x", NULL, NULL, INC_TIME_NONE, NULL),
                     INC_OK);
    roundtrip(f, api);
    assert_int_equal(inc_rotation_set_period(api, 3), INC_OK);
    roundtrip(f, api); /* no weekday for a period that is not whole weeks */
    assert_int_equal(inc_rotation_set_period(api, 1), INC_OK);
    roundtrip(f, api);
    inc_rotation_free(api);
    inc_rotation_free(r);
}

struct bad_case {
    const char *text;
    int code;
    unsigned line;
    const char *words;
};

static void test_ONC_01_text_errors_name_the_line(void **state)
{
#define H "libincident-rotation 1\nname = p\n"
    static const struct bad_case cases[] = {
        {"", INC_EPARSE, 0, "no header"},
        {"# only a comment\nname = p\n", INC_EPARSE, 2, "expected the header"},
        {"libincident-rotation 2\n", INC_EVERSION, 1, "version '2'"},
        {"libincident-rotation 1\nzone = UTC\n", INC_EPARSE, 2, "before 'name'"},
        {"libincident-rotation 1\n", INC_EPARSE, 1, "missing key 'name'"},
        {H "name = q\n", INC_EPARSE, 3, "duplicate key 'name'"},
        {H "zone = UTC\nzone = UTC\n", INC_EPARSE, 4, "duplicate key 'zone'"},
        {H "colour = red\n", INC_EPARSE, 3, "unknown key 'colour'"},
        {H "person alice\n", INC_EPARSE, 3, "expected 'key = value'"},
        {H "zone = Mars/Base\n", INC_ENOTFOUND, 3, "Mars/Base"},
        {H "zone = ../../etc/passwd\n", INC_EINVAL, 3, "'..'"},
        {H "period = fortnightly\n", INC_EPARSE, 3, "period"},
        {H "period = 0d\n", INC_EINVAL, 3, "period"},
        {H "start = 2026-02-30\n", INC_EINVAL, 3, "2026-02-30"},
        {H "start = yesterday\n", INC_EPARSE, 3, "YYYY-MM-DD"},
        {H "handoff = 25:00\n", INC_EINVAL, 3, "handoff"},
        {H "handoff = someday 10:00\n", INC_EPARSE, 3, "weekday"},
        {H "start = 2026-01-05\nhandoff = tuesday 10:00\n", INC_EINVAL, 4, "is a monday"},
        {H "period = daily\nhandoff = monday 10:00\n", INC_EINVAL, 4, "whole weeks"},
        {H "secondary = -1\n", INC_EPARSE, 3, "secondary"},
        {H "role = boss\n", INC_EPARSE, 3, "role"},
        {H "person = \"unterminated\n", INC_EPARSE, 3, "missing closing quote"},
        {H "person = \"a\\qb\"\n", INC_EPARSE, 3, "unknown escape"},
        {H "person = a\x01\n", INC_EPARSE, 3, "control character"},
        {H "person = \xff\n", INC_EINVAL, 3, "UTF-8"},
        {H "to = bob\n", INC_EPARSE, 3, "outside an override"},
        {H "override = tertiary 2026-01-01T00:00Z 2026-01-02T00:00Z\n", INC_EPARSE, 3, "tertiary"},
        {H "override = primary 2026-01-01 2026-01-02T00:00Z\n", INC_EPARSE, 3, "override start"},
        {H "override = primary 2026-01-01T00:00Z\n", INC_EPARSE, 3, "override end"},
        {H "override = primary 2026-01-01T00:00Z 2026-01-02T00:00Z\n  by = x\n", INC_EPARSE, 3,
         "missing 'to"},
        {H "override = primary 2026-01-02T00:00Z 2026-01-01T00:00Z\n  to = x\n", INC_EINVAL, 3,
         "end must come after"},
        {H "override = primary 2026-01-01T00:00Z 2026-01-02T00:00Z\n  to = x\n  to = y\n",
         INC_EPARSE, 5, "duplicate key 'to'"},
        {H "override = primary 2026-01-01T00:00Z 2026-01-02T00:00Z\n  to = x\nperson = y\n",
         INC_EPARSE, 5, "after an override"},
        {H "override = primary 2026-01-01T00:00Z 2026-01-02T00:00Z\n  to = x\n  recorded = "
           "soon\n",
         INC_EPARSE, 5, "recorded"},
    };
#undef H
    fx *f = *state;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct bad_case *c = &cases[i];
        inc_rotation *r = (inc_rotation *)1;
        inc_diag d;
        char prefix[32];
        int rc = inc_rotation_parse(f->ctx, c->text, strlen(c->text), &r, &d);
        snprintf(prefix, sizeof(prefix), "line %u: ", c->line);
        if (rc != c->code || d.code != c->code || d.line != c->line || r != NULL ||
            !strstr(d.message, c->words) || (c->line && strncmp(d.message, prefix, strlen(prefix))))
            fail_msg("case %zu: got %s line %u '%s'; want %s line %u '%s'", i, inc_status_name(rc),
                     d.line, d.message, inc_status_name(c->code), c->line, c->words);
    }
    assert_int_equal(inc_rotation_parse(f->ctx, NULL, 0, NULL, NULL), INC_EINVAL);
}

/* ---- allocation failure ------------------------------------------------------------- */

static void test_ONC_01_allocation_failures_leave_nothing_behind(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    int done = 0;
    (void)state;
    require_zoneinfo();
    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    for (n = 1; !done && n < 400; n++) {
        inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
        inc_context *ctx = NULL;
        inc_rotation *r = NULL, *c = NULL;
        inc_shift *sh = NULL;
        char *text = NULL;
        size_t len = 0;
        int rc;
        o.allocator = &a;
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_rotation_parse(ctx, example, strlen(example), &r, NULL);
        if (rc == INC_OK)
            rc = inc_rotation_dup(r, &c);
        if (rc == INC_OK)
            rc = inc_rotation_write(c, &text, &len);
        if (rc == INC_OK)
            rc = inc_rotation_shifts(c, INC_LAYER_PRIMARY, at("2026-01-01T00:00Z"),
                                     at("2027-01-01T00:00Z"), &sh, &len);
        if (rc == INC_OK)
            rc = inc_context_add_rotation(ctx, c);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            done = 1;
            assert_int_equal(len, 52);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
        }
        inc_free(sh);
        inc_free(text);
        inc_rotation_free(c);
        inc_rotation_free(r);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ONC_01_defaults_weekly_monday_10_utc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_year_of_weekly_five_with_overrides, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_dst_berlin_weekly_handoff_stays_10_local, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_dst_new_york_weekly_handoff_stays_10_local,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_dst_daily_handoff_in_gap_and_overlap, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_secondary_layer_and_n_day_periods, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_shift_list_arguments_and_dup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_text_parse_and_lossless_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_01_text_errors_name_the_line, setup, teardown),
        cmocka_unit_test(test_ONC_01_allocation_failures_leave_nothing_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
