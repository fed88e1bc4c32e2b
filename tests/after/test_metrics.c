/* Metrics (MET-1) against values computed by hand for a small set of
 * incidents that includes a drill (DEC-4, excluded), over a memory store
 * and over a journal, with a time range, the renderings, bad arguments and
 * allocation failure. */
#include <sys/stat.h>
#include <unistd.h>

#include "incident_internal.h"
#include "test_after_util.h"
#include "util/json.h"

/* Page @who at +@page, acknowledged by them at +@ack (offsets from T0). */
static void page_ack(pm_fx *f, int64_t page, int64_t ack, const char *who, const char *also)
{
    uint64_t seq;
    at(f, page);
    assert_int_equal(inc_incident_request_page(f->inc, "pager", "on-call", NULL, &seq), INC_OK);
    assert_int_equal(inc_incident_mark_page_sent(f->inc, "pager", seq, who), INC_OK);
    if (also)
        assert_int_equal(inc_incident_mark_page_sent(f->inc, "pager", seq, also), INC_OK);
    at(f, ack);
    assert_int_equal(inc_incident_acknowledge(f->inc, who, seq), INC_OK);
}

static uint64_t item(pm_fx *f, int64_t added, int64_t due)
{
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    uint64_t id;
    at(f, added);
    o.title = "Follow-up";
    o.owner = "bob";
    o.due = T0 + due;
    o.priority = 2;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, &id), INC_OK);
    return id;
}

static void tag(pm_fx *f, const char *t)
{
    assert_int_equal(inc_incident_set_root_cause_tag(f->inc, "alice", t), INC_OK);
}

/* The set, all times from T0 (computed by hand in the test):
 * I1 Sev-1 at 0: impact -10m, detected -4m; page +1m, ack +3m (bob);
 *    monitoring +40m, resolved +70m; tag config-change; items: done
 *    on time, done late.
 * I2 Sev-2 at 1d: no impact start; page +2m, ack +7m (bob, carol);
 *    monitoring +60m, resolved +120m; tag config-change (recurs); items:
 *    open not due at 5d, cancelled.
 * I3 Sev-2 at 2d: impact -20m, detected -5m; monitoring +30m, resolved
 *    +90m; tag capacity; item: open, overdue at 5d.
 * D1 Sev-1 drill at 3d: page and ack, tag config-change, an item: none of
 *    it counts. */
static void build_set(pm_fx *f)
{
    uint64_t id;
    at(f, 0);
    pm_declare(f, "Checkout down", "Sev-1", 0, 0, T0 - 10 * MIN, T0 - 4 * MIN);
    page_ack(f, MIN, 3 * MIN, "bob", NULL);
    pm_resolve(f, 4 * MIN, 5 * MIN, 40 * MIN, 70 * MIN);
    tag(f, "config-change");
    id = item(f, 2 * HOUR, 2 * DAY);
    at(f, DAY);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_DONE, NULL, 0),
                     INC_OK);
    id = item(f, 2 * HOUR, 3 * DAY);
    at(f, 4 * DAY);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_DONE, NULL, 0),
                     INC_OK);

    at(f, DAY);
    pm_declare(f, "Search slow", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    page_ack(f, DAY + 2 * MIN, DAY + 7 * MIN, "bob", "carol");
    pm_resolve(f, DAY + 8 * MIN, DAY + 9 * MIN, DAY + 60 * MIN, DAY + 120 * MIN);
    tag(f, "config-change");
    item(f, DAY + 3 * HOUR, 11 * DAY);
    id = item(f, DAY + 3 * HOUR, 12 * DAY);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_CANCELLED, "moot", 0), INC_OK);

    at(f, 2 * DAY);
    pm_declare(f, "Queue backlog", "Sev-2", 0, 0, T0 + 2 * DAY - 20 * MIN, T0 + 2 * DAY - 5 * MIN);
    pm_resolve(f, 2 * DAY + MIN, 2 * DAY + 2 * MIN, 2 * DAY + 30 * MIN, 2 * DAY + 90 * MIN);
    tag(f, "capacity");
    item(f, 2 * DAY + 2 * HOUR, 3 * DAY);

    at(f, 3 * DAY);
    pm_declare(f, "Game day: checkout", "Sev-1", 0, 1, T0 + 3 * DAY - 50 * MIN, INC_TIME_NONE);
    page_ack(f, 3 * DAY + MIN, 3 * DAY + 40 * MIN, "dana", NULL);
    pm_resolve(f, 3 * DAY + 41 * MIN, 3 * DAY + 42 * MIN, 3 * DAY + 43 * MIN, 3 * DAY + 5 * HOUR);
    tag(f, "config-change");
    item(f, 3 * DAY + 6 * HOUR, 3 * DAY + 7 * HOUR);
}

static void assert_stat(const inc_metrics *m, inc_metric k, size_t level, size_t n, int64_t mean,
                        int64_t median)
{
    inc_metric_stat s;
    assert_int_equal(inc_metrics_get_stat(m, k, level, &s), INC_OK);
    assert_int_equal(s.incidents, n);
    assert_int_equal(s.mean_ms, mean);
    assert_int_equal(s.median_ms, median);
}

static inc_metrics *compute(pm_fx *f, inc_time from, inc_time to)
{
    inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
    inc_metrics *m = NULL;
    o.from = from;
    o.to = to;
    o.now = T0 + 5 * DAY;
    assert_int_equal(inc_metrics_compute(f->ctx, &o, &m), INC_OK);
    return m;
}

static void check_whole_set(const inc_metrics *m)
{
    inc_metrics_actions a;
    inc_metrics_recurrence r;
    size_t n, pages, incidents;

    assert_int_equal(inc_metrics_incident_count(m), 3);
    assert_int_equal(inc_metrics_drill_count(m), 1);
    /* Counts per severity, in the rubric's order. */
    assert_int_equal(inc_metrics_level_count(m), 5);
    assert_string_equal(inc_metrics_level(m, 1, &n), "Sev-1");
    assert_int_equal(n, 1);
    assert_string_equal(inc_metrics_level(m, 2, &n), "Sev-2");
    assert_int_equal(n, 2);
    assert_string_equal(inc_metrics_level(m, 0, &n), "Sev-0");
    assert_int_equal(n, 0);
    /* MTTD: I1 6m, I3 15m. MTTA: I1 2m, I2 5m. MTTM: 40, 60, 30 m.
     * MTTR (detection -> resolution): 74, 120, 95 m. Medians are the lower
     * middle value. */
    assert_stat(m, INC_METRIC_MTTD, INC_METRICS_ALL_LEVELS, 2, 630000, 6 * MIN);
    assert_stat(m, INC_METRIC_MTTA, INC_METRICS_ALL_LEVELS, 2, 210000, 2 * MIN);
    assert_stat(m, INC_METRIC_MTTM, INC_METRICS_ALL_LEVELS, 3, 2600000, 40 * MIN);
    assert_stat(m, INC_METRIC_MTTR, INC_METRICS_ALL_LEVELS, 3, 5780000, 95 * MIN);
    assert_stat(m, INC_METRIC_MTTR, 2, 2, 6450000, 95 * MIN);
    assert_stat(m, INC_METRIC_MTTR, 1, 1, 74 * MIN, 74 * MIN);
    assert_stat(m, INC_METRIC_MTTA, 2, 1, 5 * MIN, 5 * MIN);
    assert_stat(m, INC_METRIC_MTTD, 0, 0, INC_DURATION_NONE, INC_DURATION_NONE);
    /* Items: on time 1 (I1), late 2 (I1 done late, I3 overdue), 1 not yet
     * due, 1 cancelled; the drill's item does not count. */
    assert_int_equal(inc_metrics_get_actions(m, &a), INC_OK);
    assert_int_equal(a.on_time, 1);
    assert_int_equal(a.late, 2);
    assert_int_equal(a.items, 3);
    assert_int_equal(a.pending, 1);
    assert_int_equal(a.cancelled, 1);
    assert_int_equal(a.incidents, 2);
    assert_false(a.target_met);
    assert_true(a.rate > 0.333 && a.rate < 0.334);
    /* Recurrence: I2 has I1's tag; the drill is left out. */
    assert_int_equal(inc_metrics_get_recurrence(m, &r), INC_OK);
    assert_int_equal(r.tagged, 3);
    assert_int_equal(r.recurring, 1);
    assert_int_equal(r.untagged, 0);
    assert_false(r.target_met);
    assert_int_equal(inc_metrics_tag_count(m), 2);
    assert_string_equal(inc_metrics_tag(m, 0, &n, &incidents), "config-change");
    assert_int_equal(n, 2);
    assert_int_equal(incidents, 1);
    /* Pages: bob 2 (I1, I2), carol 1; dana only in the drill. */
    assert_int_equal(inc_metrics_person_count(m), 2);
    assert_string_equal(inc_metrics_person(m, 0, &pages, &incidents), "bob");
    assert_int_equal(pages, 2);
    assert_int_equal(incidents, 2);
    assert_string_equal(inc_metrics_person(m, 1, &pages, &incidents), "carol");
    assert_int_equal(pages, 1);
}

static void test_MET_1_DEC_4_hand_computed_set_with_a_drill(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_metrics *m;
    (void)state;
    build_set(f);
    m = compute(f, INC_TIME_NONE, INC_TIME_NONE);
    check_whole_set(m);
    inc_metrics_free(m);
    pm_fx_free(f);
}

static void test_MET_1_over_a_journal_store(void **state)
{
    char dir[] = "/tmp/inc-metrics-XXXXXX";
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_store *js;
    inc_metrics *m;
    pm_fx *f;
    char cmd[64];
    (void)state;
    assert_non_null(mkdtemp(dir));
    jo.sync = INC_SYNC_NONE;
    assert_int_equal(inc_store_journal_open(dir, &jo, &js), INC_OK);
    f = pm_fx_new_with(NULL, js);
    build_set(f);
    m = compute(f, INC_TIME_NONE, INC_TIME_NONE);
    check_whole_set(m);
    inc_metrics_free(m);
    pm_fx_free(f);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_MET_1_time_range(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_metrics_recurrence r;
    inc_metrics *m;
    (void)state;
    build_set(f);
    /* I2 and I3 only; I2 still recurs: I1 is earlier, outside the range. */
    m = compute(f, T0 + DAY, T0 + 2 * DAY + HOUR);
    assert_int_equal(inc_metrics_incident_count(m), 2);
    assert_int_equal(inc_metrics_drill_count(m), 0);
    assert_stat(m, INC_METRIC_MTTM, INC_METRICS_ALL_LEVELS, 2, 45 * MIN, 30 * MIN);
    inc_metrics_get_recurrence(m, &r);
    assert_int_equal(r.tagged, 2);
    assert_int_equal(r.recurring, 1);
    inc_metrics_free(m);
    pm_fx_free(f);
}

static void test_MET_1_render_text_and_json(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_allocator std = INC_ALLOCATOR_INIT;
    inc__json *root;
    inc_metrics *m;
    char *text, *json;
    size_t len;
    (void)state;
    assert_int_equal(inc__alloc_init(&std, NULL), INC_OK);
    build_set(f);
    m = compute(f, INC_TIME_NONE, INC_TIME_NONE);
    assert_int_equal(inc_metrics_render_text(m, &text, NULL), INC_OK);
    assert_non_null(strstr(text, "3 incidents; 1 drills excluded (DEC-4)"));
    assert_non_null(strstr(text, "MTTR (detection -> resolution): mean 1h36m20s, median 1h35m "
                                 "(over 3 incidents)"));
    assert_non_null(strstr(text, "Action items completed on time: 33.3% (1 of 3 items, over 2 "
                                 "incidents"));
    assert_non_null(strstr(text, "target > 90% NOT met"));
    assert_non_null(strstr(text, "Recurrence by root-cause tag: 33.3% (1 of 3 tagged"));
    assert_non_null(strstr(text, "bob: 2 pages, 2 incidents"));
    inc_free(text);
    assert_int_equal(inc_metrics_render_json(m, &json, &len), INC_OK);
    assert_int_equal(inc__json_parse(&std, json, len, &root, NULL), INC_OK);
    assert_int_equal(inc__json_get(root, "incidents")->integer, 3);
    assert_int_equal(inc__json_get(root, "drills_excluded")->integer, 1);
    assert_int_equal(
        inc__json_get(inc__json_get(inc__json_get(root, "durations"), "mttm"), "all")->count, 5);
    assert_string_equal(inc__json_get(inc__json_get(root, "action_items"), "rate")->str,
                        "0.333333");
    inc__json_free(&std, root);
    inc_free(json);
    inc_metrics_free(m);
    pm_fx_free(f);
}

static void test_MET_1_empty_store_and_errors(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
    inc_metrics_actions a;
    inc_metric_stat s;
    inc_metrics *m = NULL;
    char *t;
    (void)state;
    assert_int_equal(inc_metrics_compute(f->ctx, NULL, &m), INC_OK);
    assert_int_equal(inc_metrics_incident_count(m), 0);
    assert_int_equal(inc_metrics_get_stat(m, INC_METRIC_MTTR, INC_METRICS_ALL_LEVELS, &s), INC_OK);
    assert_int_equal(s.incidents, 0);
    assert_int_equal(s.mean_ms, INC_DURATION_NONE);
    inc_metrics_get_actions(m, &a);
    assert_false(a.target_met);
    assert_int_equal(inc_metrics_render_text(m, &t, NULL), INC_OK);
    inc_free(t);
    assert_int_equal(inc_metrics_get_stat(m, INC_METRIC_COUNT, 0, &s), INC_EINVAL);
    assert_int_equal(inc_metrics_get_stat(m, INC_METRIC_MTTR, 99, &s), INC_ENOTFOUND);
    assert_null(inc_metrics_level(m, 99, NULL));
    assert_null(inc_metrics_tag(m, 0, NULL, NULL));
    assert_null(inc_metrics_person(m, 0, NULL, NULL));
    inc_metrics_free(m);
    o.from = T0;
    o.to = T0;
    assert_int_equal(inc_metrics_compute(f->ctx, &o, &m), INC_EINVAL);
    assert_null(m);
    o.version = 0;
    assert_int_equal(inc_metrics_compute(f->ctx, &o, &m), INC_EVERSION);
    assert_int_equal(inc_metrics_compute(NULL, NULL, &m), INC_EINVAL);
    assert_int_equal(inc_metrics_compute(f->ctx, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_metrics_render_json(NULL, &t, NULL), INC_EINVAL);
    assert_string_equal(inc_metric_name(INC_METRIC_MTTA), "mtta");
    assert_null(inc_metric_name(INC_METRIC_COUNT));
    inc_metrics_free(NULL);
    pm_fx_free(f);
}

static void test_MET_1_allocation_failure(void **state)
{
    struct inc_test_alloc ta;
    unsigned long n;
    int done = 0;
    (void)state;
    for (n = 1; !done && n < 5000; n++) {
        inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
        inc_allocator al;
        inc_metrics *m = NULL;
        char *t = NULL, *j = NULL;
        pm_fx *f;
        int rc;
        inc_test_alloc_init(&ta);
        al = inc_test_alloc_allocator(&ta);
        f = pm_fx_new_with(&al, NULL);
        build_set(f);
        o.now = T0 + 5 * DAY;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_metrics_compute(f->ctx, &o, &m);
        if (rc == INC_OK)
            rc = inc_metrics_render_text(m, &t, NULL);
        if (rc == INC_OK)
            rc = inc_metrics_render_json(m, &j, NULL);
        done = rc == INC_OK;
        if (!done)
            assert_int_equal(rc, INC_ENOMEM);
        else
            check_whole_set(m);
        inc_test_alloc_arm(&ta, 0, 0);
        inc_free(t);
        inc_free(j);
        inc_metrics_free(m);
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_MET_1_DEC_4_hand_computed_set_with_a_drill),
        cmocka_unit_test(test_MET_1_over_a_journal_store),
        cmocka_unit_test(test_MET_1_time_range),
        cmocka_unit_test(test_MET_1_render_text_and_json),
        cmocka_unit_test(test_MET_1_empty_store_and_errors),
        cmocka_unit_test(test_MET_1_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
