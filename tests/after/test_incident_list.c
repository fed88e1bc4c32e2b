/* Finding incidents across a store (issue 21, inc_incident_list_query()):
 * each filter (state, level, drill, declaration time, role holder, custom
 * field RUB-6, title), the sorts and the limit; a reopened incident
 * (LIFE-4) and a duplicate (LIFE-5) in the results; the refusals of bad
 * input with nothing returned; allocation failures; the same answers over
 * a journal, from its files and from its summary cache; the rubric's
 * declared fields (RUB-6, inc_rubric_get_field()). */
#include <unistd.h>

#include "test_after_util.h"

static const char rubric_text[] = "libincident-rubric 1\n"
                                  "name = team\n"
                                  "field = customer text\n"
                                  "field = region one-of eu,us,apac required-to-close\n"
                                  "field = owner person required-from SEV2\n"
                                  "level = SEV1\n"
                                  "level = SEV2\n"
                                  "level = SEV3\n";

typedef struct fx {
    struct inc_test_clock clock;
    inc_store *store;
    inc_context *ctx;
    char ids[4][INC_ID_MAX + 1];
} fx;

static inc_context *context_on(fx *f, const inc_allocator *alloc)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx;
    inc_rubric *r = NULL;
    inc_diag diag;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    o.store = f->store;
    o.allocator = alloc;
    o.policy = INC_POLICY_ADVISORY;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    assert_int_equal(inc_rubric_parse(NULL, rubric_text, strlen(rubric_text), &r, &diag), INC_OK);
    assert_int_equal(inc_context_set_rubric(ctx, r), INC_OK);
    inc_rubric_free(r);
    return ctx;
}

/* Ids in the order of declaration. */
static const char *const slugs[4] = {"a checkout", "b dns", "c login", "d checkout"};

static inc_incident *declare(fx *f, int k, const char *title, const char *sev, int drill,
                             int64_t at)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc;
    f->clock.now = T0 + at;
    d.title = title;
    d.declarer = "alice";
    d.severity = sev;
    d.criteria = INC_CRIT_CUSTOMER_VISIBLE;
    d.drill = drill;
    d.slug = slugs[k];
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    snprintf(f->ids[k], sizeof(f->ids[k]), "%s", inc_incident_id(inc));
    return inc;
}

static void walk_to_resolved(inc_incident *inc, const char *ic)
{
    assert_int_equal(inc_incident_set_state(inc, ic, INC_STATE_INVESTIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, ic, INC_STATE_MITIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, ic, INC_STATE_MONITORING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, ic, INC_STATE_RESOLVED, "verified by hand"),
                     INC_OK);
}

/* Four incidents:
 * 0 "Checkout errors in EU", SEV1, Scribe bob, region=eu, handed off to carol;
 * 1 "DNS failover DRILL", SEV3, a drill;
 * 2 "Login slow", SEV2, resolved then reopened to mitigating (LIFE-4);
 * 3 "Checkout errors again", SEV2, region=us, a duplicate of 0 (LIFE-5). */
static void populate(fx *f)
{
    inc_incident *inc = declare(f, 0, "Checkout errors in EU", "SEV1", 0, 0);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_set_field(inc, "alice", "region", "us"), INC_OK);
    assert_int_equal(inc_incident_set_field(inc, "alice", "region", "eu"), INC_OK);
    assert_int_equal(inc_incident_handoff(inc, "alice", "carol", "errors at 5%", NULL, "none"),
                     INC_OK);
    assert_int_equal(inc_incident_confirm_handoff(inc, "carol"), INC_OK);
    inc_incident_free(inc);

    inc_incident_free(declare(f, 1, "DNS failover DRILL", "SEV3", 1, HOUR));

    inc = declare(f, 2, "Login slow", "SEV2", 0, 2 * HOUR);
    walk_to_resolved(inc, "alice");
    assert_int_equal(inc_incident_reopen(inc, "alice", INC_STATE_MITIGATING, "errors came back"),
                     INC_OK);
    inc_incident_free(inc);

    inc = declare(f, 3, "Checkout errors again", "SEV2", 0, 3 * HOUR);
    assert_int_equal(inc_incident_set_field(inc, "alice", "region", "us"), INC_OK);
    assert_int_equal(
        inc_incident_add_link(inc, "alice", INC_LINK_DUPLICATE_OF, f->ids[0], "same outage"),
        INC_OK);
    inc_incident_free(inc);
}

static fx *fx_new(inc_store *store)
{
    fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    inc_test_clock_init(&f->clock, T0);
    if (!store)
        assert_int_equal(inc_store_memory_new(NULL, &store), INC_OK);
    f->store = store;
    f->ctx = context_on(f, NULL);
    populate(f);
    return f;
}

static void fx_free(fx *f)
{
    inc_context_free(f->ctx);
    inc_store_free(f->store);
    free(f);
}

/* The ids of a query's result, in order, as "0,2,3" (indexes into f->ids). */
static void result(fx *f, const inc_incident_query *q, char *out, size_t size)
{
    inc_incident_list *l = NULL;
    size_t i, k, n = 0;
    int rc = inc_incident_list_query(f->ctx, q, &l);
    if (rc != INC_OK)
        fail_msg("%s: %s", inc_status_name(rc), inc_context_errmsg(f->ctx));
    out[0] = 0;
    for (i = 0; i < inc_incident_list_count(l); i++)
        for (k = 0; k < 4; k++)
            if (strcmp(inc_incident_list_at(l, i)->id, f->ids[k]) == 0)
                n += (size_t)snprintf(out + n, size - n, "%s%zu", i ? "," : "", k);
    inc_incident_list_free(l);
}

#define EXPECT(f, q, want)                                                                         \
    do {                                                                                           \
        char got_[64];                                                                             \
        result((f), (q), got_, sizeof(got_));                                                      \
        assert_string_equal(got_, (want));                                                         \
    } while (0)

static void check_filters(fx *f)
{
    inc_incident_query q = INC_INCIDENT_QUERY_INIT;
    EXPECT(f, &q, "0,1,2,3"); /* by id: the ids begin with the same day */
    q.states = 1u << INC_STATE_CLOSED;
    EXPECT(f, &q, "3"); /* LIFE-5: the duplicate is listed, closed */
    q.states = 1u << INC_STATE_MITIGATING | 1u << INC_STATE_DECLARED;
    EXPECT(f, &q, "0,1,2"); /* LIFE-4: the reopened one in its state after the reopening */
    q.states = 0;
    q.level = "sev2";
    EXPECT(f, &q, "2,3");
    q.level = NULL;
    q.drills = INC_DRILLS_EXCLUDED;
    EXPECT(f, &q, "0,2,3");
    q.drills = INC_DRILLS_ONLY;
    EXPECT(f, &q, "1");
    q.drills = INC_DRILLS_INCLUDED;
    q.since = T0 + HOUR;
    q.until = T0 + 3 * HOUR;
    EXPECT(f, &q, "1,2"); /* since inclusive, until exclusive */
    q.since = q.until = INC_TIME_NONE;
    q.role = INC_ROLE_IC;
    q.holder = "carol";
    EXPECT(f, &q, "0"); /* the confirmed hand-off */
    q.holder = "alice";
    EXPECT(f, &q, "1,2,3");
    q.role = INC_ROLE_SCRIBE;
    q.holder = "bob";
    EXPECT(f, &q, "0");
    q.role = INC_ROLE_ANY;
    EXPECT(f, &q, "0");
    q.holder = NULL;
    q.field = "region"; /* RUB-6: the last value counts */
    q.field_value = "eu";
    EXPECT(f, &q, "0");
    q.field_value = "us";
    EXPECT(f, &q, "3");
    q.field = "customer";
    EXPECT(f, &q, ""); /* declared, never set: no match */
    q.field = q.field_value = NULL;
    q.title = "CHECKOUT errors";
    EXPECT(f, &q, "0,3");
    q.title = NULL;
}

static void check_sorts(fx *f)
{
    inc_incident_query q = INC_INCIDENT_QUERY_INIT;
    inc_incident_list *l = NULL;
    q.sort = INC_SORT_LEVEL;
    EXPECT(f, &q, "0,2,3,1"); /* the most severe first, ties by id */
    q.descending = 1;
    EXPECT(f, &q, "1,2,3,0");
    q.sort = INC_SORT_DECLARED;
    EXPECT(f, &q, "3,2,1,0");
    q.sort = INC_SORT_TITLE;
    q.descending = 0;
    EXPECT(f, &q, "3,0,1,2");
    q.sort = INC_SORT_STATE; /* closed 3, mitigating 2, declared 0 and 1 (ties by id) */
    q.descending = 1;
    EXPECT(f, &q, "3,2,0,1");
    q.sort = INC_SORT_ID;
    q.descending = 1;
    q.limit = 2;
    EXPECT(f, &q, "3,2");
    assert_int_equal(inc_incident_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_incident_list_count(l), 2);
    assert_int_equal(inc_incident_list_total(l), 4);
    assert_null(inc_incident_list_at(l, 2));
    inc_incident_list_free(l);
}

static void check_entries(fx *f)
{
    inc_incident_list *l = NULL;
    const inc_incident_entry *e;
    assert_int_equal(inc_incident_list_query(f->ctx, NULL, &l), INC_OK);
    assert_int_equal(inc_incident_list_count(l), 4);
    e = inc_incident_list_at(l, 0);
    assert_string_equal(e->title, "Checkout errors in EU");
    assert_string_equal(e->severity, "SEV1");
    assert_int_equal(e->level, 0);
    assert_string_equal(e->ic, "carol");
    assert_string_equal(e->declarer, "alice");
    assert_int_equal(e->state, INC_STATE_DECLARED);
    assert_int_equal(e->declared_at, T0);
    assert_false(e->drill);
    assert_null(e->duplicate_of);
    assert_true(e->last_seq >= 6);
    assert_non_null(strstr(e->channel, f->ids[0]));
    assert_true(inc_incident_list_at(l, 1)->drill);
    e = inc_incident_list_at(l, 2);
    assert_int_equal(e->reopen_count, 1); /* LIFE-4 */
    assert_int_equal(e->state, INC_STATE_MITIGATING);
    assert_int_equal(e->resolved_at, INC_TIME_NONE);
    e = inc_incident_list_at(l, 3);
    assert_string_equal(e->duplicate_of, f->ids[0]); /* LIFE-5 */
    assert_int_equal(e->state, INC_STATE_CLOSED);
    assert_int_equal(inc_incident_list_unreadable_count(l), 0);
    inc_incident_list_free(l);
}

static void test_RUB_6_LIFE_4_LIFE_5_filters_sorts_and_entries(void **state)
{
    fx *f = fx_new(NULL);
    (void)state;
    check_filters(f);
    check_sorts(f);
    check_entries(f);
    fx_free(f);
}

/* Each bad query: its code, a message, and no list. */
static void refused(fx *f, const inc_incident_query *q, int code, const char *words)
{
    inc_incident_list *l = (inc_incident_list *)f; /* not NULL: must be cleared */
    assert_int_equal(inc_incident_list_query(f->ctx, q, &l), code);
    assert_null(l);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), words));
}

static void test_bad_input_refused(void **state)
{
    fx *f = fx_new(NULL);
    inc_incident_query q = INC_INCIDENT_QUERY_INIT;
    char long_title[INC_QUERY_TITLE_MAX + 2];
    inc_incident_list *l = NULL;
    inc_incident_sort sort;
    (void)state;
    q.states = 1u << 6;
    refused(f, &q, INC_EINVAL, "states");
    q.states = 0;
    q.since = T0;
    q.until = T0 - 1;
    refused(f, &q, INC_EINVAL, "ends before it starts");
    q.since = q.until = INC_TIME_NONE;
    memset(long_title, 'x', sizeof(long_title) - 1);
    long_title[sizeof(long_title) - 1] = 0;
    q.title = long_title;
    refused(f, &q, INC_ETOOBIG, "title");
    q.title = "two\nlines";
    refused(f, &q, INC_EINVAL, "title");
    q.title = "";
    refused(f, &q, INC_EINVAL, "title");
    q.title = NULL;
    q.field = "severity_class"; /* RUB-6: not declared by the rubric in force */
    q.field_value = "x";
    refused(f, &q, INC_ENOTFOUND, "does not declare");
    q.field_value = NULL;
    refused(f, &q, INC_EINVAL, "name and a value");
    q.field = NULL;
    q.level = "SEV9";
    refused(f, &q, INC_ENOTFOUND, "no such level");
    q.level = NULL;
    q.role = INC_ROLE_SCRIBE;
    refused(f, &q, INC_EINVAL, "needs its holder");
    q.role = 42;
    q.holder = "bob";
    refused(f, &q, INC_EINVAL, "not a role");
    q.role = INC_ROLE_ANY;
    q.sort = 9;
    refused(f, &q, INC_EINVAL, "sort");
    q.sort = INC_SORT_ID;
    q.drills = 3;
    refused(f, &q, INC_EINVAL, "drill");
    q.drills = 0;
    q.version = 0;
    refused(f, &q, INC_EVERSION, "version");
    assert_int_equal(inc_incident_list_query(NULL, NULL, &l), INC_EINVAL);
    assert_int_equal(inc_incident_list_query(f->ctx, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_query_init(NULL, INC_INCIDENT_QUERY_VERSION), INC_EINVAL);
    assert_int_equal(inc_incident_query_init(&q, 0), INC_EVERSION);
    assert_int_equal(inc_incident_query_init(&q, INC_INCIDENT_QUERY_VERSION), INC_OK);
    assert_int_equal(q.role, INC_ROLE_ANY);
    /* Sort names, for the CLI and the bindings. */
    assert_int_equal(inc_incident_sort_from_name("level", &sort), INC_OK);
    assert_int_equal(sort, INC_SORT_LEVEL);
    assert_string_equal(inc_incident_sort_name(INC_SORT_DECLARED), "declared");
    assert_int_equal(inc_incident_sort_from_name("severity", &sort), INC_ENOTFOUND);
    assert_int_equal(inc_incident_sort_from_name(NULL, &sort), INC_EINVAL);
    assert_null(inc_incident_sort_name((inc_incident_sort)9));
    assert_int_equal(inc_incident_list_count(NULL), 0);
    assert_null(inc_incident_list_at(NULL, 0));
    inc_incident_list_free(NULL);
    fx_free(f);
}

/* A new journal handle and context on @dir. */
static void reopen(fx *f, const char *dir)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_context_free(f->ctx);
    inc_store_free(f->store);
    assert_int_equal(inc_store_journal_open(dir, &o, &f->store), INC_OK);
    f->ctx = context_on(f, NULL);
}

/* Every allocation of a query failing in turn: INC_ENOMEM and no list,
 * no leak, until the query passes. Over a journal, both without and with
 * its summary cache (@dir: NULL for a memory store). */
static void allocation_failures(fx *f, const char *dir)
{
    inc_incident_query q = INC_INCIDENT_QUERY_INIT;
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    int done = 0;
    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    q.title = "checkout";
    q.sort = INC_SORT_LEVEL;
    for (n = 1; !done && n < 1000; n++) {
        inc_context *ctx;
        inc_incident_list *l = NULL;
        int rc;
        if (dir)
            reopen(f, dir); /* the same start each time: the cache as it was */
        ctx = context_on(f, &a);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_list_query(ctx, &q, &l);
        inc_test_alloc_arm(&ta, 0, 0);
        done = rc == INC_OK;
        if (done)
            assert_int_equal(inc_incident_list_count(l), 2);
        else {
            assert_int_equal(rc, INC_ENOMEM);
            assert_null(l);
        }
        inc_incident_list_free(l);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

static void test_allocation_failures(void **state)
{
    fx *f = fx_new(NULL);
    (void)state;
    allocation_failures(f, NULL);
    fx_free(f);
}

/* Over a journal: the same answers from the incident files (a first
 * scan), from the summary cache (a second), and after a change. */
static void test_journal_and_summary_cache(void **state)
{
    char dir[] = "/tmp/inc_list_XXXXXX", cmd[64];
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_incident_query q = INC_INCIDENT_QUERY_INIT;
    inc_store *s;
    inc_journal_stats st;
    inc_incident *inc;
    fx *f;
    int pass;
    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(inc_store_journal_open(dir, &o, &s), INC_OK);
    f = fx_new(s);
    allocation_failures(f, dir); /* no SUMMARY yet: the files read */
    allocation_failures(f, dir); /* from SUMMARY */
    snprintf(cmd, sizeof(cmd), "rm -f %s/SUMMARY", dir);
    assert_int_equal(system(cmd), 0);
    reopen(f, dir); /* as a new process would: the files opened for reading */
    for (pass = 0; pass < 2; pass++) {
        check_filters(f);
        check_sorts(f);
        check_entries(f);
    }
    memset(&st, 0, sizeof(st));
    st.version = INC_JOURNAL_STATS_VERSION;
    assert_int_equal(inc_journal_get_stats(f->store, &st), INC_OK);
    assert_true(st.summary_hits > 0);
    /* A change is seen (the incident read again, not served stale). */
    assert_int_equal(inc_incident_open(f->ctx, f->ids[1], &inc), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_DEPUTY, NULL), INC_OK);
    inc_incident_free(inc);
    reopen(f, dir);
    q.holder = "bob";
    EXPECT(f, &q, "0,1");
    q.role = INC_ROLE_DEPUTY;
    EXPECT(f, &q, "1");
    fx_free(f);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* Over a store with a bulk scan (a database's): the same answers, in one
 * pass and no read per incident. */
static void test_bulk_scan(void **state)
{
    scanning *b;
    fx *f = fx_new(scanning_store_new(&b));
    int reads;
    (void)state;
    reads = b->reads;
    check_filters(f);
    check_sorts(f);
    check_entries(f);
    assert_true(b->scans > 0);
    assert_int_equal(b->reads, reads);
    fx_free(f);
}

/* An incident that cannot be read stops the query, or is named and passed
 * by inc_incident_list_query_skipping() (`incident list`). */
static void test_unreadable_incident(void **state)
{
    char dir[] = "/tmp/inc_list_XXXXXX", path[128], cmd[64];
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_incident_list *l = NULL;
    inc_store *s;
    FILE *fp;
    fx *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(inc_store_journal_open(dir, &o, &s), INC_OK);
    f = fx_new(s);
    snprintf(path, sizeof(path), "%s/%s.jnl", dir, f->ids[2]);
    assert_non_null(fp = fopen(path, "w"));
    fputs("this is not a journal file, not at all, not even a torn one........", fp);
    fclose(fp);
    assert_int_not_equal(inc_incident_list_query(f->ctx, NULL, &l), INC_OK);
    assert_null(l);
    assert_int_equal(inc_incident_list_query_skipping(f->ctx, NULL, &l), INC_OK);
    assert_int_equal(inc_incident_list_count(l), 3);
    assert_int_equal(inc_incident_list_unreadable_count(l), 1);
    assert_string_equal(inc_incident_list_unreadable(l, 0), f->ids[2]);
    assert_null(inc_incident_list_unreadable(l, 1));
    inc_incident_list_free(l);
    fx_free(f);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_RUB_6_rubric_lists_its_fields(void **state)
{
    inc_rubric *r = NULL;
    inc_rubric_field fd;
    inc_diag diag;
    (void)state;
    assert_int_equal(inc_rubric_parse(NULL, rubric_text, strlen(rubric_text), &r, &diag), INC_OK);
    assert_int_equal(inc_rubric_field_count(r), 3);
    assert_int_equal(inc_rubric_get_field(r, 0, &fd), INC_OK);
    assert_string_equal(fd.name, "customer");
    assert_int_equal(fd.type, INC_FIELD_TEXT);
    assert_string_equal(fd.values, "");
    assert_int_equal(fd.required, INC_FIELD_OPTIONAL);
    assert_int_equal(inc_rubric_get_field(r, 1, &fd), INC_OK);
    assert_int_equal(fd.type, INC_FIELD_ONE_OF);
    assert_string_equal(fd.values, "eu,us,apac");
    assert_int_equal(fd.required, INC_FIELD_REQUIRED_TO_CLOSE);
    assert_int_equal(inc_rubric_get_field(r, 2, &fd), INC_OK);
    assert_int_equal(fd.type, INC_FIELD_PERSON);
    assert_int_equal(fd.required, INC_FIELD_REQUIRED_FROM_LEVEL);
    assert_string_equal(fd.level, "SEV2");
    assert_int_equal(inc_rubric_get_field(r, 3, &fd), INC_ENOTFOUND);
    assert_int_equal(inc_rubric_get_field(NULL, 0, &fd), INC_EINVAL);
    assert_int_equal(inc_rubric_get_field(r, 0, NULL), INC_EINVAL);
    assert_string_equal(inc_field_type_name(INC_FIELD_ONE_OF), "one-of");
    assert_null(inc_field_type_name((inc_field_type)5));
    assert_int_equal(inc_rubric_field_count(NULL), 0);
    inc_rubric_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RUB_6_LIFE_4_LIFE_5_filters_sorts_and_entries),
        cmocka_unit_test(test_bad_input_refused),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_journal_and_summary_cache),
        cmocka_unit_test(test_bulk_scan),
        cmocka_unit_test(test_unreadable_incident),
        cmocka_unit_test(test_RUB_6_rubric_lists_its_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
