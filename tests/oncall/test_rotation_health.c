/* Rotation health (ONC-3), post-incident rest (ONC-4) and paging load
 * (ONC-5): each finding triggered and not triggered, with its people,
 * period and advice, on real zone data (Europe/Berlin) and a fake clock. */
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

#define MINUTE (60LL * 1000)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)
#define WEEK   (7 * DAY)

static const char *const five[5] = {"alice", "bob", "carol", "dave", "erin"};

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

typedef struct fx {
    struct inc_test_clock clock;
    inc_context *ctx;
    inc_rotation *rot;
    inc_oncall_check_options o;
} fx;

/* Weekly, Monday 10:00 Europe/Berlin, from 2026-01-05 (09:00Z); week k
 * starts at 2026-01-05T09:00Z + k weeks until the end of March. */
static inc_rotation *rotation(fx *f, size_t people)
{
    inc_rotation *r = NULL;
    size_t i;
    assert_int_equal(inc_rotation_new(f->ctx, "payments", &r), INC_OK);
    for (i = 0; i < people; i++)
        assert_int_equal(inc_rotation_add_person(r, five[i]), INC_OK);
    assert_int_equal(inc_rotation_set_zone(r, "Europe/Berlin"), INC_OK);
    assert_int_equal(inc_rotation_set_start(r, 2026, 1, 5), INC_OK);
    return r;
}

static int setup(void **state)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    struct stat st;
    fx *f;
    if (stat("/usr/share/zoneinfo/Europe/Berlin", &st) != 0) {
        print_message("tzdata is not installed: install the package 'tzdata'\n");
        return -1; /* a failure: tzdata is a test dependency */
    }
    f = calloc(1, sizeof(*f));
    inc_test_clock_init(&f->clock, at("2026-03-20T12:00:00Z"));
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    f->rot = rotation(f, 5);
    assert_int_equal(inc_oncall_check_options_init(&f->o, INC_ONCALL_CHECK_OPTIONS_VERSION),
                     INC_OK);
    /* Weeks 0..11 (2026-01-05 .. 2026-03-30). */
    f->o.from = at("2026-01-05T09:00:00Z");
    f->o.to = at("2026-03-30T08:00:00Z");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    inc_rotation_free(f->rot);
    inc_context_free(f->ctx);
    free(f);
    return 0;
}

static inc_findings *check(fx *f, const inc_incident *const *incs, size_t n)
{
    inc_findings *l = NULL;
    int rc = inc_rotation_check(f->rot, incs, n, &f->o, &l);
    if (rc != INC_OK)
        fail_msg("check: %s: %s", inc_status_name(rc), inc_rotation_errmsg(f->rot));
    return l;
}

/* The only finding of @rule whose first person is @person (NULL: any). */
static const inc_finding *only(const inc_findings *l, const char *rule, const char *person)
{
    const inc_finding *hit = NULL;
    size_t i;
    for (i = 0; i < inc_findings_count(l); i++) {
        const inc_finding *x = inc_findings_at(l, i);
        if (strcmp(x->rule_id, rule) != 0 ||
            (person && (!x->people_count || strcmp(x->people[0], person) != 0)))
            continue;
        if (hit)
            fail_msg("two %s findings for %s: %s / %s", rule, person ? person : "-", hit->message,
                     x->message);
        hit = x;
    }
    if (!hit) {
        char *text = NULL;
        inc_findings_render(l, &text, NULL);
        fail_msg("no %s finding for %s; have:\n%s", rule, person ? person : "-", text);
    }
    return hit;
}

/* How many findings of @rule name @person first (NULL: name nobody). */
static size_t count_for(const inc_findings *l, const char *rule, const char *person)
{
    size_t i, n = 0;
    for (i = 0; i < inc_findings_count(l); i++) {
        const inc_finding *x = inc_findings_at(l, i);
        if (strcmp(x->rule_id, rule) == 0 &&
            (person ? x->people_count && strcmp(x->people[0], person) == 0 : !x->people_count))
            n++;
    }
    return n;
}

static void add_override(inc_rotation *r, inc_layer layer, inc_time week_start, const char *who)
{
    assert_int_equal(inc_rotation_override_shift(r, layer, week_start + HOUR, who, "ops", "test",
                                                 INC_TIME_NONE, NULL),
                     INC_OK);
}

static inc_time week(int k)
{
    return at("2026-01-05T09:00:00Z") + k * WEEK; /* valid until the end of March (CET) */
}

/* ---- ONC-3 ---------------------------------------------------------------------------- */

static void test_ONC_03_healthy_rotation_of_five_has_no_findings(void **state)
{
    fx *f = *state;
    inc_findings *l = check(f, NULL, 0);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
}

static void test_ONC_03_fewer_than_five_people(void **state)
{
    fx *f = *state;
    inc_findings *l;
    const inc_finding *x;

    inc_rotation_free(f->rot);
    f->rot = rotation(f, 4);
    /* alice listed twice: five entries, four people. */
    assert_int_equal(inc_rotation_add_person(f->rot, "alice"), INC_OK);
    l = check(f, NULL, 0);
    assert_int_equal(count_for(l, "ONC-3", NULL), 1);
    x = inc_findings_at(l, 0);
    assert_int_equal(x->value, 4);
    assert_int_equal(x->people_count, 0);
    assert_int_equal(x->since, INC_TIME_NONE);
    assert_non_null(strstr(x->message, "has 4 people"));
    assert_non_null(strstr(x->message, "add 1 more"));
    /* ... and on call three weeks running (secondary, primary + secondary,
     * primary) each time her two places come round. */
    assert_true(count_for(l, "ONC-3", "alice") >= 2);
    inc_findings_free(l);
    /* The threshold is an option. */
    f->o.min_people = 4;
    l = check(f, NULL, 0);
    assert_int_equal(count_for(l, "ONC-3", NULL), 0);
    inc_findings_free(l);
}

/* alice is secondary in week 9 and primary in week 10 (two in a row, as a
 * rotation of five with a secondary offset by one has it); covering week 11
 * makes it three. */
static void test_ONC_03_more_than_two_consecutive_periods(void **state)
{
    fx *f = *state;
    inc_findings *l;
    const inc_finding *x;

    add_override(f->rot, INC_LAYER_PRIMARY, week(11), "alice");
    l = check(f, NULL, 0);
    x = only(l, "ONC-3", "alice");
    assert_int_equal(x->value, 3);
    assert_int_equal(x->since, week(9));
    assert_non_null(strstr(x->message, "3 consecutive periods"));
    assert_non_null(strstr(x->message, "2026-03-09 10:00 to 2026-03-30 10:00 (Europe/Berlin)"));
    assert_non_null(strstr(x->message, "give one of these shifts"));
    inc_findings_free(l);
    f->o.max_consecutive = 3;
    l = check(f, NULL, 0);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
}

/* Without a secondary layer alice is on call in weeks 0, 5, 10; covering
 * week 7 leaves one week off between her turns of weeks 5 and 7. */
static void test_ONC_03_less_than_two_periods_between_turns(void **state)
{
    fx *f = *state;
    inc_findings *l;
    const inc_finding *x;

    assert_int_equal(inc_rotation_set_secondary(f->rot, 0), INC_OK);
    l = check(f, NULL, 0);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
    add_override(f->rot, INC_LAYER_PRIMARY, week(7), "alice");
    l = check(f, NULL, 0);
    x = only(l, "ONC-3", "alice");
    assert_int_equal(x->value, 1);
    assert_int_equal(x->since, week(6));
    assert_non_null(strstr(x->message, "1 period off between turns"));
    assert_non_null(strstr(x->message, "reorder the rotation or swap a shift"));
    assert_int_equal(inc_findings_count(l), 1); /* weeks 7 -> 10: two off, fine */
    inc_findings_free(l);
    /* A rotation of three with a secondary: two weeks on, one off, each
     * time round (weeks 0..11: alice 4 times, bob and carol 3), and too
     * small. */
    inc_rotation_free(f->rot);
    f->rot = rotation(f, 3);
    l = check(f, NULL, 0);
    assert_int_equal(count_for(l, "ONC-3", NULL), 1);
    assert_int_equal(count_for(l, "ONC-3", "alice"), 4);
    assert_int_equal(count_for(l, "ONC-3", "bob"), 3);
    assert_int_equal(count_for(l, "ONC-3", "carol"), 3);
    assert_int_equal(inc_findings_count(l), 11);
    inc_findings_free(l);
}

/* ---- ONC-4 ---------------------------------------------------------------------------- */

static inc_incident *declare(fx *f, const char *when, const char *ic, int drill)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    f->clock.now = at(when);
    d.title = "Payments failing";
    d.declarer = ic;
    d.severity = "Sev-2";
    d.drill = drill;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    return inc;
}

static void resolve(fx *f, inc_incident *inc, const char *when)
{
    static const inc_state steps[] = {INC_STATE_INVESTIGATING, INC_STATE_MITIGATING,
                                      INC_STATE_MONITORING, INC_STATE_RESOLVED};
    size_t i;
    f->clock.now = at(when);
    for (i = 0; i < 4; i++)
        assert_int_equal(inc_incident_set_state(inc, inc_incident_ic(inc), steps[i],
                                                "checkout verified end to end"),
                         INC_OK);
}

/* bob is IC from 22:30 to 03:00 local (4h30 of the night): a late start on
 * the 12th. carol is Scribe for two hours of it: nothing. */
static void test_ONC_04_overnight_engagement_earns_a_late_start(void **state)
{
    fx *f = *state;
    inc_incident *a = declare(f, "2026-03-10T21:30:00Z", "bob", 0);
    const inc_incident *incs[1];
    inc_findings *l;
    const inc_finding *x;

    f->clock.now = at("2026-03-10T22:00:00Z");
    assert_int_equal(inc_incident_assign_role(a, "bob", "carol", INC_ROLE_SCRIBE, NULL), INC_OK);
    f->clock.now = at("2026-03-11T00:00:00Z");
    assert_int_equal(inc_incident_release_role(a, "bob", "carol", INC_ROLE_SCRIBE, NULL), INC_OK);
    resolve(f, a, "2026-03-11T02:00:00Z");
    incs[0] = a;
    l = check(f, incs, 1);
    x = only(l, "ONC-4", "bob");
    assert_int_equal(x->value, 4 * HOUR + 30 * MINUTE);
    assert_int_equal(x->since, at("2026-03-10T21:30:00Z"));
    assert_non_null(strstr(x->message, "4h30m overnight (22:00-06:00 Europe/Berlin)"));
    assert_non_null(strstr(x->message, "night of 2026-03-10 to 2026-03-11"));
    assert_non_null(strstr(x->message, inc_incident_id(a)));
    assert_non_null(strstr(x->message, "owed a late start on 2026-03-11"));
    assert_int_equal(inc_findings_count_rule(l, "ONC-4"), 1); /* not carol */
    inc_findings_free(l);
    /* The threshold is an option: five hours are not reached. */
    f->o.rest_after_ms = 5 * HOUR;
    l = check(f, incs, 1);
    assert_int_equal(inc_findings_count_rule(l, "ONC-4"), 0);
    inc_findings_free(l);
    inc_incident_free(a);
}

/* Daytime and evening work is not overnight; two incidents at once count
 * once (the union), and the night is in the rotation's zone. */
static void test_ONC_04_daytime_evening_and_overlap_do_not_count_twice(void **state)
{
    fx *f = *state;
    inc_incident *day = declare(f, "2026-03-02T08:00:00Z", "dave", 0); /* 09:00-18:00 */
    inc_incident *eve = declare(f, "2026-03-03T18:00:00Z", "erin", 0); /* 19:00-00:00 */
    inc_incident *x1 = declare(f, "2026-03-04T21:00:00Z", "alice", 0); /* 22:00-00:30 */
    inc_incident *x2 = declare(f, "2026-03-04T22:00:00Z", "alice", 0); /* 23:00-01:30 */
    const inc_incident *incs[4] = {day, eve, x1, x2};
    inc_findings *l;
    const inc_finding *x;

    resolve(f, day, "2026-03-02T17:00:00Z");
    resolve(f, eve, "2026-03-03T23:00:00Z");
    resolve(f, x1, "2026-03-04T23:30:00Z");
    resolve(f, x2, "2026-03-05T00:30:00Z");
    l = check(f, incs, 4);
    assert_int_equal(inc_findings_count_rule(l, "ONC-4"), 0); /* alice: 3h30 union, not 4h */
    inc_findings_free(l);
    /* Two overlapping incidents that together hold 4h30 of the night. */
    {
        inc_incident *y1 = declare(f, "2026-03-05T21:00:00Z", "alice", 0); /* 22:00-01:00 */
        inc_incident *y2 = declare(f, "2026-03-05T23:00:00Z", "alice", 0); /* 00:00-02:30 */
        const inc_incident *two[2];
        resolve(f, y1, "2026-03-06T00:00:00Z");
        resolve(f, y2, "2026-03-06T01:30:00Z");
        two[0] = y1;
        two[1] = y2;
        l = check(f, two, 2);
        x = only(l, "ONC-4", "alice");
        assert_int_equal(x->value, 4 * HOUR + 30 * MINUTE);
        assert_non_null(strstr(x->message, "and 1 other incident"));
        inc_findings_free(l);
        inc_incident_free(y1);
        inc_incident_free(y2);
    }
    inc_incident_free(day);
    inc_incident_free(eve);
    inc_incident_free(x1);
    inc_incident_free(x2);
}

/* An incident still open counts until now. */
static void test_ONC_04_open_incident_counts_until_now(void **state)
{
    fx *f = *state;
    inc_incident *a = declare(f, "2026-03-12T23:00:00Z", "carol", 0); /* 00:00 local */
    const inc_incident *incs[1] = {a};
    inc_findings *l;

    f->clock.now = at("2026-03-13T02:59:00Z"); /* 03:59 local: 3h59 */
    l = check(f, incs, 1);
    assert_int_equal(inc_findings_count_rule(l, "ONC-4"), 0);
    inc_findings_free(l);
    f->clock.now = at("2026-03-13T03:00:00Z");
    l = check(f, incs, 1);
    assert_int_equal(only(l, "ONC-4", "carol")->value, 4 * HOUR);
    inc_findings_free(l);
    inc_incident_free(a);
}

/* ---- ONC-5 ---------------------------------------------------------------------------- */

static void page_n(fx *f, inc_incident *inc, const char *first, int n, const char *target,
                   const char *sent_to)
{
    int i;
    for (i = 0; i < n; i++) {
        uint64_t seq = 0;
        f->clock.now = at(first) + i * 10 * MINUTE;
        assert_int_equal(inc_incident_request_page(inc, "pager", target, NULL, &seq), INC_OK);
        if (sent_to)
            assert_int_equal(inc_incident_mark_page_sent(inc, "pager", seq, sent_to), INC_OK);
    }
}

static void test_ONC_05_pages_per_person_per_week(void **state)
{
    fx *f = *state;
    inc_incident *a = declare(f, "2026-03-02T00:00:00Z", "ic-anna", 0);
    inc_incident *drill = declare(f, "2026-03-02T00:00:00Z", "ic-anna", 1);
    const inc_incident *incs[2] = {a, drill};
    inc_findings *l;
    const inc_finding *x;

    /* The week of Monday 2026-03-02: ten for carol, the last on Sunday
     * 23:30 local: not above the threshold. */
    page_n(f, a, "2026-03-03T08:00:00Z", 9, "person:carol", NULL);
    page_n(f, a, "2026-03-08T22:30:00Z", 1, "person:carol", NULL);
    /* The week of Monday 2026-03-09 (from 2026-03-08T23:00Z): carol is paged
     * 11 times (resolved, never reported sent), dave 10 times (sent). */
    page_n(f, a, "2026-03-09T08:00:00Z", 11, "person:carol", NULL);
    page_n(f, a, "2026-03-10T08:00:00Z", 10, "team-lead", "dave");
    /* Drills are not load. */
    page_n(f, drill, "2026-03-11T08:00:00Z", 20, "person:erin", NULL);
    l = check(f, incs, 2);
    x = only(l, "ONC-5", "carol");
    assert_int_equal(x->value, 11);
    assert_int_equal(x->since, at("2026-03-08T23:00:00Z"));
    assert_non_null(strstr(x->message, "paged 11 times in the week of Monday 2026-03-09"));
    assert_non_null(strstr(x->message, "above the threshold of 10"));
    assert_non_null(strstr(x->message, "rebalance"));
    assert_int_equal(inc_findings_count_rule(l, "ONC-5"), 1); /* not dave (10), not erin */
    inc_findings_free(l);
    /* One more for dave makes two. */
    page_n(f, a, "2026-03-12T08:00:00Z", 1, "rotation:payments", "dave");
    l = check(f, incs, 2);
    assert_int_equal(only(l, "ONC-5", "dave")->value, 11);
    assert_int_equal(inc_findings_count_rule(l, "ONC-5"), 2);
    inc_findings_free(l);
    f->o.max_pages_week = 11;
    l = check(f, incs, 2);
    assert_int_equal(inc_findings_count_rule(l, "ONC-5"), 0);
    inc_findings_free(l);
    inc_incident_free(a);
    inc_incident_free(drill);
}

/* ---- arguments and allocation ----------------------------------------------------------- */

static void test_ONC_03_check_arguments(void **state)
{
    fx *f = *state;
    inc_findings *l = NULL;
    const inc_incident *none[1] = {NULL};
    inc_oncall_check_options o = f->o;

    assert_int_equal(inc_rotation_check(NULL, NULL, 0, NULL, &l), INC_EINVAL);
    assert_int_equal(inc_rotation_check(f->rot, NULL, 0, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_rotation_check(f->rot, NULL, 1, NULL, &l), INC_EINVAL);
    assert_int_equal(inc_rotation_check(f->rot, none, 1, NULL, &l), INC_EINVAL);
    o.to = o.from;
    assert_int_equal(inc_rotation_check(f->rot, NULL, 0, &o, &l), INC_EINVAL);
    o.to = o.from + 11 * 366 * DAY;
    assert_int_equal(inc_rotation_check(f->rot, NULL, 0, &o, &l), INC_EINVAL);
    assert_non_null(strstr(inc_rotation_errmsg(f->rot), "ten years"));
    o = f->o;
    o.version = 99;
    assert_int_equal(inc_rotation_check(f->rot, NULL, 0, &o, &l), INC_EVERSION);
    assert_int_equal(inc_oncall_check_options_init(&o, 99), INC_EVERSION);
    assert_int_equal(inc_oncall_check_options_init(NULL, INC_ONCALL_CHECK_OPTIONS_VERSION),
                     INC_EINVAL);
    /* Defaults: four weeks either side of now. */
    assert_int_equal(inc_rotation_check(f->rot, NULL, 0, NULL, &l), INC_OK);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
}

static void test_ONC_04_allocation_failures(void **state)
{
    fx *f = *state;
    struct inc_test_alloc ta;
    inc_allocator a;
    inc_incident *x;
    inc_rotation *r;
    unsigned long n;
    int done = 0;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    const inc_incident *incs[1];

    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    o.allocator = &a;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    {
        inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
        size_t i;
        f->clock.now = at("2026-03-10T21:30:00Z");
        d.title = "t";
        d.declarer = "bob";
        d.severity = "Sev-2";
        assert_int_equal(inc_incident_declare(ctx, &d, &x), INC_OK);
        page_n(f, x, "2026-03-10T21:40:00Z", 12, "person:bob", NULL);
        assert_int_equal(inc_rotation_new(ctx, "p", &r), INC_OK);
        for (i = 0; i < 3; i++)
            assert_int_equal(inc_rotation_add_person(r, five[i]), INC_OK);
        assert_int_equal(inc_rotation_set_zone(r, "Europe/Berlin"), INC_OK);
        assert_int_equal(inc_rotation_set_start(r, 2026, 1, 5), INC_OK);
    }
    f->clock.now = at("2026-03-11T04:00:00Z");
    incs[0] = x;
    for (n = 1; !done && n < 300; n++) {
        inc_findings *l = NULL;
        size_t before = ta.live_blocks;
        int rc;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_rotation_check(r, incs, 1, &f->o, &l);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            done = 1;
            assert_int_equal(inc_findings_count_rule(l, "ONC-3"), 11);
            assert_int_equal(inc_findings_count_rule(l, "ONC-4"), 1);
            assert_int_equal(inc_findings_count_rule(l, "ONC-5"), 1);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
            assert_null(l);
        }
        inc_findings_free(l);
        assert_int_equal(ta.live_blocks, before);
    }
    assert_true(done);
    inc_rotation_free(r);
    inc_incident_free(x);
    inc_context_free(ctx);
    assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ONC_03_healthy_rotation_of_five_has_no_findings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_03_fewer_than_five_people, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_03_more_than_two_consecutive_periods, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_03_less_than_two_periods_between_turns, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_04_overnight_engagement_earns_a_late_start, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_04_daytime_evening_and_overlap_do_not_count_twice,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_04_open_incident_counts_until_now, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_05_pages_per_person_per_week, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_03_check_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_04_allocation_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
