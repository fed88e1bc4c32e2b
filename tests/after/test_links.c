/* Links between incidents (LIFE-5): a duplicate of a primary (its IC
 * decides; it is closed with a pointer, its due items stop, what it would
 * get goes to the primary, the metrics count the pair once), related, a
 * recurrence of a closed incident (MET-1's recurrence rate); the refusals
 * (a duplicate of itself, a cycle or chain of duplicates, not the IC, an
 * unknown incident, a recurrence of an open one, the same link twice)
 * changing nothing; the postmortem and the export show them; replay,
 * import and allocation failure. */
#include "incident/sys/store.h"
#include "test_after_util.h"
#include "test_world.h"

static size_t stored(pm_fx *f, const inc_incident *inc)
{
    size_t n = 0;
    assert_int_equal(inc_test_store_count(f->store, inc_incident_id(inc), &n), INC_OK);
    return n;
}

/* Declare @title at T0 + @off by @ic (the IC); the caller frees it. */
static inc_incident *declare(pm_fx *f, int64_t off, const char *title, const char *ic,
                             const char *severity)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    at(f, off);
    d.title = title;
    d.declarer = ic;
    d.severity = severity;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    return inc;
}

static void walk_closed_sev4(inc_incident *inc, const char *ic)
{
    inc_state s;
    for (s = INC_STATE_INVESTIGATING; s <= INC_STATE_CLOSED; s++)
        assert_int_equal(
            inc_incident_set_state(inc, ic, s, s == INC_STATE_RESOLVED ? "verified" : NULL),
            INC_OK);
}

static void test_LIFE_5_duplicate_is_closed_with_a_pointer(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_incident *primary = declare(f, 0, "Checkout failing in EU", "alice", "Sev-2");
    inc_incident *dup = declare(f, 2 * MIN, "EU payments erroring", "bob", "Sev-2");
    const inc_link *l;
    char *tl = NULL;
    (void)state;

    assert_null(inc_incident_duplicate_of(dup));
    assert_true(inc_incident_next_due(dup) != INC_TIME_NONE);
    at(f, 5 * MIN);
    assert_int_equal(inc_incident_add_link(dup, "bob", INC_LINK_DUPLICATE_OF,
                                           inc_incident_id(primary), "same outage"),
                     INC_OK);
    assert_int_equal(inc_incident_state(dup), INC_STATE_CLOSED);
    assert_string_equal(inc_incident_duplicate_of(dup), inc_incident_id(primary));
    assert_int_equal(inc_incident_link_count(dup), 1);
    l = inc_incident_link(dup, 0);
    assert_int_equal(l->kind, INC_LINK_DUPLICATE_OF);
    assert_string_equal(l->incident_id, inc_incident_id(primary));
    assert_string_equal(l->by, "bob");
    assert_int_equal(l->at, T0 + 5 * MIN);
    assert_string_equal(l->text, "same outage");
    assert_int_equal(l->seq, inc_incident_last_seq(dup));
    assert_null(inc_incident_link(dup, 1));
    /* Its due items stop: no ladder, no acknowledgement, no cadence. */
    assert_int_equal(inc_incident_next_due(dup), INC_TIME_NONE);
    /* Pages and changes for it go to the primary: it refuses, naming it. */
    assert_int_equal(inc_incident_request_page(dup, "pager", "on-call", NULL, NULL), INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(dup), inc_incident_id(primary)));
    assert_non_null(strstr(inc_incident_errmsg(dup), "LIFE-5"));
    /* The primary is unchanged. */
    assert_int_equal(inc_incident_link_count(primary), 0);
    assert_int_equal(inc_incident_reload(primary), INC_OK);
    assert_int_equal(inc_incident_last_seq(primary), 1);
    assert_int_equal(inc_incident_render_timeline(dup, &tl, NULL), INC_OK);
    assert_non_null(strstr(tl, "Linked: duplicate_of 2026-11-23-checkout-failing-in-eu: same"));
    inc_free(tl);
    inc_incident_free(dup);
    inc_incident_free(primary);
    pm_fx_free(f);
}

static void test_LIFE_5_refusals_change_nothing(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_incident *a = declare(f, 0, "A", "alice", "Sev-2");
    inc_incident *b = declare(f, MIN, "B", "bob", "Sev-2");
    inc_incident *c = declare(f, 2 * MIN, "C", "carol", "Sev-2");
    size_t before = stored(f, a);
    (void)state;

    /* A duplicate of itself. */
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_DUPLICATE_OF, "2026-11-23-a", NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(a), "LIFE-5"));
    /* Not the IC. */
    assert_int_equal(inc_incident_add_link(a, "bob", INC_LINK_DUPLICATE_OF, "2026-11-23-b", NULL),
                     INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(a), "alice"));
    /* Unknown incident, bad id, bad kind. */
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_RELATED, "2026-11-23-zzz", NULL),
                     INC_ENOTFOUND);
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_RELATED, "../etc", NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_RELATED, "", NULL), INC_EINVAL);
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_RELATED, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_add_link(a, "alice", (inc_link_kind)9, "2026-11-23-b", NULL),
                     INC_EINVAL);
    /* A recurrence of an incident that is not closed. */
    assert_int_equal(
        inc_incident_add_link(a, "alice", INC_LINK_RECURRENCE_OF, "2026-11-23-b", NULL),
        INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(a), "not closed"));
    assert_int_equal(stored(f, a), before);
    assert_int_equal(inc_incident_link_count(a), 0);

    /* A cycle: B is a duplicate of A, so A cannot be a duplicate of B. */
    assert_int_equal(inc_incident_add_link(b, "bob", INC_LINK_DUPLICATE_OF, "2026-11-23-a", NULL),
                     INC_OK);
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_DUPLICATE_OF, "2026-11-23-b", NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(a), "cycle"));
    /* A chain: C is pointed at A, the primary, instead of B. */
    assert_int_equal(inc_incident_add_link(c, "carol", INC_LINK_DUPLICATE_OF, "2026-11-23-b", NULL),
                     INC_EINVAL);
    assert_non_null(
        strstr(inc_incident_errmsg(c), "mark 2026-11-23-c a duplicate of 2026-11-23-a"));
    assert_int_equal(stored(f, a), before);
    assert_int_equal(inc_incident_state(a), INC_STATE_DECLARED);
    /* The same link twice; a closed duplicate takes no more links. */
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_RELATED, "2026-11-23-c", NULL),
                     INC_OK);
    before = stored(f, a);
    assert_int_equal(inc_incident_add_link(a, "alice", INC_LINK_RELATED, "2026-11-23-c", "again"),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(a), "already related"));
    assert_int_equal(stored(f, a), before);
    assert_int_equal(inc_incident_add_link(b, "bob", INC_LINK_RELATED, "2026-11-23-c", NULL),
                     INC_ESTATE);
    inc_incident_free(a);
    inc_incident_free(b);
    inc_incident_free(c);
    pm_fx_free(f);
}

static void test_LIFE_5_related_and_recurrence_shown_by_postmortem_and_export(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_incident *old = declare(f, 0, "Cache stampede", "alice", "Sev-4");
    inc_incident *other = declare(f, MIN, "Search slow", "bob", "Sev-3");
    inc_incident *now;
    char *pm = NULL, *json = NULL;
    size_t len;
    (void)state;

    walk_closed_sev4(old, "alice");
    now = declare(f, DAY, "Cache stampede again", "carol", "Sev-4");
    assert_int_equal(inc_incident_add_link(now, "carol", INC_LINK_RECURRENCE_OF,
                                           inc_incident_id(old), "same cache TTL"),
                     INC_OK);
    assert_int_equal(
        inc_incident_add_link(now, "carol", INC_LINK_RELATED, inc_incident_id(other), NULL),
        INC_OK);
    assert_int_equal(inc_incident_link_count(now), 2);
    assert_null(inc_incident_duplicate_of(now));
    assert_int_equal(inc_incident_state(now), INC_STATE_DECLARED);
    assert_int_equal(inc_incident_render_postmortem(now, INC_PM_TEXT, &pm, NULL), INC_OK);
    assert_non_null(strstr(pm, "Recurrence of: 2026-11-23-cache-stampede (same cache TTL)"));
    assert_non_null(strstr(pm, "Related to: 2026-11-23-search-slow"));
    assert_int_equal(inc_incident_export_json(now, &json, &len), INC_OK);
    assert_non_null(strstr(json, "\"kind\":\"linked\""));
    assert_non_null(strstr(json, "\"id\":\"2026-11-23-cache-stampede\""));
    inc_free(pm);
    inc_free(json);
    inc_incident_free(now);
    inc_incident_free(other);
    inc_incident_free(old);
    pm_fx_free(f);
}

static void test_LIFE_5_MET_1_pair_counted_once_and_recurrence_rate(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
    inc_incident *a = declare(f, 0, "Cache stampede", "alice", "Sev-4");
    inc_incident *b, *c;
    inc_metrics_recurrence r;
    inc_metrics *m = NULL;
    char *json = NULL;
    (void)state;

    walk_closed_sev4(a, "alice");
    b = declare(f, DAY, "Cache stampede again", "alice", "Sev-4");
    c = declare(f, DAY + MIN, "Slow pages", "bob", "Sev-4");
    assert_int_equal(
        inc_incident_add_link(b, "alice", INC_LINK_RECURRENCE_OF, inc_incident_id(a), NULL),
        INC_OK);
    assert_int_equal(
        inc_incident_add_link(c, "bob", INC_LINK_DUPLICATE_OF, inc_incident_id(b), NULL), INC_OK);
    o.now = T0 + 3 * DAY;
    assert_int_equal(inc_metrics_compute(f->ctx, &o, &m), INC_OK);
    assert_int_equal(inc_metrics_incident_count(m), 2); /* the duplicate is its primary */
    assert_int_equal(inc_metrics_duplicate_count(m), 1);
    assert_int_equal(inc_metrics_get_recurrence(m, &r), INC_OK);
    assert_int_equal(r.incidents, 2);
    assert_int_equal(r.tagged, 1);
    assert_int_equal(r.recurring, 1);
    assert_int_equal(inc_metrics_recurrence_linked(m), 1);
    assert_int_equal(r.untagged, 1);
    assert_true(r.rate == 1.0);
    assert_int_equal(inc_metrics_render_json(m, &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"duplicates_excluded\":1"));
    assert_non_null(strstr(json, "\"linked\":1"));
    inc_free(json);
    inc_metrics_free(m);
    inc_incident_free(a);
    inc_incident_free(b);
    inc_incident_free(c);
    pm_fx_free(f);
}

static void test_LIFE_5_replay_and_import_keep_the_links(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_incident *primary = declare(f, 0, "Primary", "alice", "Sev-2");
    inc_incident *dup = declare(f, MIN, "Dup", "bob", "Sev-2");
    inc_incident *again = NULL, *copy = NULL;
    inc_context *ctx2 = NULL;
    char *live = NULL, *replayed = NULL, *json = NULL;
    size_t len;
    (void)state;

    assert_int_equal(
        inc_incident_add_link(dup, "bob", INC_LINK_RELATED, inc_incident_id(primary), "see"),
        INC_OK);
    assert_int_equal(
        inc_incident_add_link(dup, "bob", INC_LINK_DUPLICATE_OF, inc_incident_id(primary), NULL),
        INC_OK);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(dup), &again), INC_OK);
    assert_int_equal(inc_incident_link_count(again), 2);
    assert_string_equal(inc_incident_duplicate_of(again), inc_incident_id(primary));
    assert_int_equal(inc_incident_state(again), INC_STATE_CLOSED);
    assert_int_equal(inc_incident_render_timeline(dup, &live, NULL), INC_OK);
    assert_int_equal(inc_incident_render_timeline(again, &replayed, NULL), INC_OK);
    assert_string_equal(live, replayed);
    /* Into a store without the primary: the links survive. */
    assert_int_equal(inc_incident_export_json(dup, &json, &len), INC_OK);
    assert_int_equal(inc_context_new(NULL, &ctx2), INC_OK);
    assert_int_equal(inc_incident_import_json(ctx2, json, len, &copy, NULL), INC_OK);
    assert_int_equal(inc_incident_link_count(copy), 2);
    assert_string_equal(inc_incident_link(copy, 0)->text, "see");
    assert_string_equal(inc_incident_duplicate_of(copy), inc_incident_id(primary));
    inc_free(live);
    inc_free(replayed);
    inc_free(json);
    inc_incident_free(copy);
    inc_context_free(ctx2);
    inc_incident_free(again);
    inc_incident_free(dup);
    inc_incident_free(primary);
    pm_fx_free(f);
}

static void test_LIFE_5_kind_names(void **state)
{
    inc_link_kind k;
    (void)state;
    assert_string_equal(inc_link_kind_name(INC_LINK_DUPLICATE_OF), "duplicate_of");
    assert_string_equal(inc_link_kind_name(INC_LINK_RELATED), "related");
    assert_string_equal(inc_link_kind_name(INC_LINK_RECURRENCE_OF), "recurrence_of");
    assert_null(inc_link_kind_name((inc_link_kind)0));
    assert_null(inc_link_kind_name((inc_link_kind)4));
    assert_int_equal(inc_link_kind_from_name("Recurrence-Of", &k), INC_OK);
    assert_int_equal(k, INC_LINK_RECURRENCE_OF);
    assert_int_equal(inc_link_kind_from_name("duplicate_of", &k), INC_OK);
    assert_int_equal(k, INC_LINK_DUPLICATE_OF);
    assert_int_equal(inc_link_kind_from_name("parent", &k), INC_ENOTFOUND);
    assert_int_equal(inc_link_kind_from_name(NULL, &k), INC_EINVAL);
    assert_int_equal(inc_incident_link_count(NULL), 0);
    assert_null(inc_incident_link(NULL, 0));
    assert_null(inc_incident_duplicate_of(NULL));
}

/* Each allocation of a link failing in turn: INC_ENOMEM, nothing stored,
 * no link, no leak; then it succeeds. */
static void test_LIFE_5_allocation_failure_changes_nothing(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator al;
    unsigned long n;
    int done = 0;
    (void)state;

    inc_test_alloc_init(&ta);
    al = inc_test_alloc_allocator(&ta);
    for (n = 1; !done && n < 400; n++) {
        pm_fx *f = pm_fx_new_with(&al, NULL);
        inc_incident *a = declare(f, 0, "A", "alice", "Sev-2");
        inc_incident *b = declare(f, MIN, "B", "bob", "Sev-2");
        size_t before = stored(f, b);
        int rc;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_add_link(b, "bob", INC_LINK_DUPLICATE_OF, "2026-11-23-a", "same");
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            done = 1;
            assert_int_equal(inc_incident_link_count(b), 1);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
            assert_int_equal(stored(f, b), before);
            assert_int_equal(inc_incident_link_count(b), 0);
            assert_int_equal(inc_incident_state(b), INC_STATE_DECLARED);
        }
        inc_incident_free(a);
        inc_incident_free(b);
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
    assert_true(n > 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_LIFE_5_duplicate_is_closed_with_a_pointer),
        cmocka_unit_test(test_LIFE_5_refusals_change_nothing),
        cmocka_unit_test(test_LIFE_5_related_and_recurrence_shown_by_postmortem_and_export),
        cmocka_unit_test(test_LIFE_5_MET_1_pair_counted_once_and_recurrence_rate),
        cmocka_unit_test(test_LIFE_5_replay_and_import_keep_the_links),
        cmocka_unit_test(test_LIFE_5_kind_names),
        cmocka_unit_test(test_LIFE_5_allocation_failure_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
