/* Reopening a resolved incident (LIFE-4): the IC's move back to
 * investigating or mitigating with a justification; the refusals (not the
 * IC, not resolved, closed, another target, no justification) changing
 * nothing; the ladder, the acknowledgement and the cadences starting again
 * from the reopening; AUD-2's "all-clear too early ... reopened" with its
 * span; the reopen rate and MTTR to the final resolution (MET-1); replay
 * equality; allocation failure. */
#include "incident/sys/store.h"
#include "test_after_util.h"
#include "test_world.h"

static size_t stored(pm_fx *f)
{
    size_t n = 0;
    assert_int_equal(inc_test_store_count(f->store, inc_incident_id(f->inc), &n), INC_OK);
    return n;
}

/* A Sev-2 declared at T0 and resolved at T0 + 2h. */
static pm_fx *resolved_sev2(void)
{
    pm_fx *f = pm_fx_new();
    at(f, 0);
    pm_declare(f, "Checkout failing in EU", "Sev-2", INC_CRIT_CUSTOMER_VISIBLE, 0, INC_TIME_NONE,
               T0 - 5 * MIN);
    pm_resolve(f, 1 * MIN, 10 * MIN, 30 * MIN, 2 * HOUR);
    return f;
}

static void test_LIFE_4_ic_reopens_a_resolved_incident(void **state)
{
    pm_fx *f = resolved_sev2();
    char *tl = NULL;
    (void)state;

    assert_int_equal(inc_incident_resolved_at(f->inc), T0 + 2 * HOUR);
    assert_int_equal(inc_incident_reopen_count(f->inc), 0);
    assert_int_equal(inc_incident_reopened_at(f->inc), INC_TIME_NONE);
    at(f, 3 * HOUR);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_MITIGATING,
                                         "EU checkouts failing again after the cache expired"),
                     INC_OK);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_MITIGATING);
    assert_int_equal(inc_incident_resolved_at(f->inc), INC_TIME_NONE);
    assert_int_equal(inc_incident_reopened_at(f->inc), T0 + 3 * HOUR);
    assert_int_equal(inc_incident_reopen_count(f->inc), 1);
    assert_int_equal(inc_incident_render_timeline(f->inc, &tl, NULL), INC_OK);
    assert_non_null(strstr(tl, "Reopened: resolved -> mitigating"));
    assert_non_null(strstr(tl, "cache expired"));
    inc_free(tl);
    /* The lifecycle runs on from there; resolving again is the final resolution. */
    pm_state(f, 3 * HOUR + 10 * MIN, INC_STATE_MONITORING);
    pm_state(f, 4 * HOUR, INC_STATE_RESOLVED);
    assert_int_equal(inc_incident_resolved_at(f->inc), T0 + 4 * HOUR);
    at(f, 5 * HOUR);
    assert_int_equal(
        inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, "a second region now"),
        INC_OK);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_INVESTIGATING);
    assert_int_equal(inc_incident_reopen_count(f->inc), 2);
    pm_fx_free(f);
}

static void test_LIFE_4_refusals_change_nothing(void **state)
{
    pm_fx *f = resolved_sev2();
    size_t before = stored(f);
    (void)state;

    at(f, 3 * HOUR);
    /* Not the IC (AUTH-1): the message names the IC. */
    assert_int_equal(inc_incident_reopen(f->inc, "bob", INC_STATE_INVESTIGATING, "errors again"),
                     INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "alice"));
    /* Only back to investigating or mitigating. */
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_MONITORING, "errors again"),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "LIFE-4"));
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_DECLARED, "errors again"),
                     INC_EINVAL);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", (inc_state)42, "errors again"),
                     INC_EINVAL);
    /* With a justification. */
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, ""), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "LIFE-4"));
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_reopen(f->inc, "", INC_STATE_INVESTIGATING, "x"), INC_EINVAL);
    assert_int_equal(inc_incident_reopen(NULL, "alice", INC_STATE_INVESTIGATING, "x"), INC_EINVAL);
    assert_int_equal(stored(f), before);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_RESOLVED);
    assert_int_equal(inc_incident_reopen_count(f->inc), 0);
    /* Only a resolved incident. */
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, "x"), INC_OK);
    before = stored(f);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, "x"),
                     INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "only a resolved incident"));
    assert_int_equal(stored(f), before);
    pm_fx_free(f);
}

static void test_LIFE_4_closed_incident_is_never_reopened(void **state)
{
    pm_fx *f = pm_fx_new();
    size_t before;
    (void)state;

    at(f, 0);
    pm_declare(f, "Typo on the status page", "Sev-4", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_resolve(f, MIN, 2 * MIN, 3 * MIN, 4 * MIN);
    pm_state(f, 5 * MIN, INC_STATE_CLOSED);
    before = stored(f);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, "it is back"),
                     INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "never reopened"));
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "recurrence"));
    assert_int_equal(stored(f), before);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_CLOSED);
    pm_fx_free(f);
}

/* The first item of @kind (and escalation @step when non-zero) in @l. */
static const inc_due_item *find_due(const inc_due_list *l, inc_due_kind kind, unsigned step)
{
    size_t i;
    for (i = 0; i < inc_due_list_count(l); i++) {
        const inc_due_item *it = inc_due_list_at(l, i);
        if (it->kind == kind && (!step || it->step == step))
            return it;
    }
    return NULL;
}

static void test_LIFE_4_ladder_ack_and_cadence_restart_from_the_reopening(void **state)
{
    pm_fx *f = resolved_sev2();
    const inc_due_item *it;
    inc_due_list *l = NULL;
    inc_cadence_info ci;
    inc_time reopened = T0 + 3 * HOUR;
    (void)state;

    at(f, 3 * HOUR);
    assert_int_equal(inc_incident_next_due(f->inc) == INC_TIME_NONE ||
                         inc_incident_next_due(f->inc) > reopened,
                     1); /* resolved: nothing of the response is due */
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, "errors again"),
                     INC_OK);
    assert_int_equal(inc_incident_due(f->inc, 5 * HOUR, &l), INC_OK);
    /* ESC-3: acknowledge within 5 min of the reopening. */
    assert_non_null(it = find_due(l, INC_DUE_ACK, 0));
    assert_int_equal(it->due, reopened + 5 * MIN);
    /* ESC-1: Sev-2's steps at 30 min unacknowledged, 1 h and 4 h unresolved. */
    assert_non_null(it = find_due(l, INC_DUE_ESCALATION, 1));
    assert_int_equal(it->due, reopened + 30 * MIN);
    /* A new ladder: its pages are not the first run's (ESC-2 dedup keys). */
    assert_non_null(strstr(it->dedup_key, "/esc/Sev-2/1/r1"));
    assert_non_null(it = find_due(l, INC_DUE_ESCALATION, 2));
    assert_int_equal(it->due, reopened + HOUR);
    assert_non_null(it = find_due(l, INC_DUE_ESCALATION, 3));
    assert_int_equal(it->due, reopened + 4 * HOUR);
    inc_due_list_free(l);
    /* COMM-2: the external cadence (30 min) counts from the reopening. */
    assert_int_equal(inc_incident_get_cadence(f->inc, INC_AUDIENCE_EXTERNAL, &ci), INC_OK);
    assert_int_equal(ci.next_due, reopened + ci.every_ms);
    /* Delivering them records each once; replay keeps them delivered. */
    at(f, 3 * HOUR + 65 * MIN);
    assert_int_equal(inc_incident_deliver_due(f->inc, "pager", 0, &l), INC_OK);
    assert_non_null(find_due(l, INC_DUE_ESCALATION, 2));
    inc_due_list_free(l);
    assert_int_equal(inc_incident_reload(f->inc), INC_OK);
    assert_int_equal(inc_incident_deliver_due(f->inc, "pager", 0, &l), INC_OK);
    assert_int_equal(inc_due_list_count(l), 0);
    inc_due_list_free(l);
    pm_fx_free(f);
}

static const inc_finding *finding_of(const inc_findings *l, const char *rule, size_t nth)
{
    size_t i;
    for (i = 0; i < inc_findings_count(l); i++)
        if (strcmp(inc_findings_at(l, i)->rule_id, rule) == 0 && nth-- == 0)
            return inc_findings_at(l, i);
    return NULL;
}

static void test_LIFE_4_AUD_2_reopened_is_all_clear_too_early_with_its_span(void **state)
{
    pm_fx *f = resolved_sev2();
    inc_audit_options o = INC_AUDIT_OPTIONS_INIT;
    const inc_finding *p;
    inc_audit *a = NULL;
    char *text = NULL;
    (void)state;

    at(f, 2 * HOUR + 45 * MIN);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_MITIGATING, "errors again"),
                     INC_OK);
    o.now = T0 + 4 * HOUR;
    assert_int_equal(inc_incident_audit(f->inc, &o, &a), INC_OK);
    /* The monitoring before the first resolution held 90 min: the only
     * all-clear too early is the reopening, 45 min after the all-clear. */
    assert_int_equal(
        inc_findings_count_rule(inc_audit_antipatterns(a), "AUD-2.all-clear-too-early"), 1);
    p = finding_of(inc_audit_antipatterns(a), "AUD-2.all-clear-too-early", 0);
    assert_non_null(p);
    assert_int_equal(p->since, T0 + 2 * HOUR);
    assert_int_equal(p->value, 45 * MIN);
    assert_non_null(strstr(p->message, "reopened"));
    assert_int_equal(inc_audit_render_text(a, &text, NULL), INC_OK);
    assert_non_null(strstr(text, "reopened 45m"));
    inc_free(text);
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_LIFE_4_MET_1_reopen_rate_and_mttr_to_final_resolution(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
    inc_metrics_reopens r;
    inc_metric_stat s;
    inc_metrics *m = NULL;
    char *json = NULL, *text = NULL;
    (void)state;

    /* A: resolved at +1h, reopened, resolved again at +3h (MTTR 3h). */
    at(f, 0);
    pm_declare(f, "A", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_resolve(f, MIN, 2 * MIN, 3 * MIN, HOUR);
    at(f, 2 * HOUR);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_MITIGATING, "back"), INC_OK);
    pm_state(f, 2 * HOUR + MIN, INC_STATE_MONITORING);
    pm_state(f, 3 * HOUR, INC_STATE_RESOLVED);
    /* B: resolved at +1h once (MTTR 1h). */
    at(f, DAY);
    pm_declare(f, "B", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_resolve(f, DAY + MIN, DAY + 2 * MIN, DAY + 3 * MIN, DAY + HOUR);
    /* C: resolved, then reopened and still open (no MTTR). */
    at(f, 2 * DAY);
    pm_declare(f, "C", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_resolve(f, 2 * DAY + MIN, 2 * DAY + 2 * MIN, 2 * DAY + 3 * MIN, 2 * DAY + HOUR);
    at(f, 2 * DAY + 2 * HOUR);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_INVESTIGATING, "back"), INC_OK);
    /* D: never resolved. */
    at(f, 3 * DAY);
    pm_declare(f, "D", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);

    o.now = T0 + 4 * DAY;
    assert_int_equal(inc_metrics_compute(f->ctx, &o, &m), INC_OK);
    assert_int_equal(inc_metrics_get_reopens(m, &r), INC_OK);
    assert_int_equal(r.resolved, 3);
    assert_int_equal(r.reopened, 2);
    assert_int_equal(r.reopens, 2);
    assert_true(r.rate > 0.666 && r.rate < 0.667);
    assert_int_equal(inc_metrics_get_stat(m, INC_METRIC_MTTR, INC_METRICS_ALL_LEVELS, &s), INC_OK);
    assert_int_equal(s.incidents, 2);
    assert_int_equal(s.max_ms, 3 * HOUR);
    assert_int_equal(s.min_ms, HOUR);
    assert_int_equal(inc_metrics_render_json(m, &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"reopens\":{\"resolved\":3,\"reopened\":2,\"reopens\":2"));
    assert_int_equal(inc_metrics_render_text(m, &text, NULL), INC_OK);
    assert_non_null(strstr(text, "Reopened after resolution (LIFE-4): 66.7%"));
    assert_int_equal(inc_metrics_get_reopens(NULL, &r), INC_EINVAL);
    assert_int_equal(inc_metrics_get_reopens(m, NULL), INC_EINVAL);
    inc_free(json);
    inc_free(text);
    inc_metrics_free(m);
    pm_fx_free(f);
}

static void test_LIFE_4_replay_and_import_equal_the_live_state(void **state)
{
    pm_fx *f = resolved_sev2();
    inc_incident *again = NULL, *copy = NULL;
    inc_context *ctx2 = NULL;
    char *live = NULL, *replayed = NULL, *json = NULL;
    size_t len = 0;
    (void)state;

    at(f, 3 * HOUR);
    assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_MITIGATING, "errors again"),
                     INC_OK);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_int_equal(inc_incident_state(again), INC_STATE_MITIGATING);
    assert_int_equal(inc_incident_reopen_count(again), 1);
    assert_int_equal(inc_incident_reopened_at(again), T0 + 3 * HOUR);
    assert_int_equal(inc_incident_resolved_at(again), INC_TIME_NONE);
    assert_int_equal(inc_incident_next_due(again), inc_incident_next_due(f->inc));
    assert_int_equal(inc_incident_render_timeline(f->inc, &live, NULL), INC_OK);
    assert_int_equal(inc_incident_render_timeline(again, &replayed, NULL), INC_OK);
    assert_string_equal(live, replayed);
    /* The export carries the event and the import replays it. */
    assert_int_equal(inc_incident_export_json(f->inc, &json, &len), INC_OK);
    assert_non_null(strstr(json, "\"reopened\""));
    assert_int_equal(inc_context_new(NULL, &ctx2), INC_OK);
    assert_int_equal(inc_incident_import_json(ctx2, json, len, &copy, NULL), INC_OK);
    assert_int_equal(inc_incident_reopen_count(copy), 1);
    assert_int_equal(inc_incident_state(copy), INC_STATE_MITIGATING);
    inc_free(live);
    inc_free(replayed);
    inc_free(json);
    inc_incident_free(copy);
    inc_context_free(ctx2);
    inc_incident_free(again);
    pm_fx_free(f);
}

/* Each allocation of a reopening failing in turn: INC_ENOMEM, nothing
 * stored, the state unchanged, no leak; then it succeeds. */
static void test_LIFE_4_allocation_failure_changes_nothing(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    int done = 0;
    static char why[16001]; /* long enough to grow the buffers it passes through */
    (void)state;

    memset(why, 'w', sizeof(why) - 1);
    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    for (n = 1; !done && n < 200; n++) {
        pm_fx *f = pm_fx_new_with(&a, NULL);
        size_t before;
        int rc;
        at(f, 0);
        pm_declare(f, "Checkout failing in EU", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
        pm_resolve(f, MIN, 2 * MIN, 3 * MIN, HOUR);
        before = stored(f);
        at(f, 2 * HOUR);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_reopen(f->inc, "alice", INC_STATE_MITIGATING, why);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            done = 1;
            assert_int_equal(inc_incident_reopen_count(f->inc), 1);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
            assert_int_equal(stored(f), before);
            assert_int_equal(inc_incident_state(f->inc), INC_STATE_RESOLVED);
            assert_int_equal(inc_incident_reopen_count(f->inc), 0);
        }
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
    assert_true(n > 2); /* at least one allocation failed on the way */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_LIFE_4_ic_reopens_a_resolved_incident),
        cmocka_unit_test(test_LIFE_4_refusals_change_nothing),
        cmocka_unit_test(test_LIFE_4_closed_incident_is_never_reopened),
        cmocka_unit_test(test_LIFE_4_ladder_ack_and_cadence_restart_from_the_reopening),
        cmocka_unit_test(test_LIFE_4_AUD_2_reopened_is_all_clear_too_early_with_its_span),
        cmocka_unit_test(test_LIFE_4_MET_1_reopen_rate_and_mttr_to_final_resolution),
        cmocka_unit_test(test_LIFE_4_replay_and_import_equal_the_live_state),
        cmocka_unit_test(test_LIFE_4_allocation_failure_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
