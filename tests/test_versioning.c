/* Struct versions (lib/docs/versioning.md): every versioned struct accepts
 * versions 1..CURRENT and refuses 0 and CURRENT+1 with INC_EVERSION; a caller
 * built against an older version still works, and the library reads and
 * writes only the bytes that version had.
 *
 * Every public struct is at version 1 today except inc_journal_stats (2), so
 * "older than current" is fabricated here: `probe` is a test-only struct whose
 * current version is 2, driven through the same inc__vstruct functions every
 * public entry point uses. A caller "built against version 1" is a
 * probe_v1 at the start of a buffer whose bytes past it are poison: the
 * library must neither read them (the newer field keeps its default) nor
 * write them. The checks fail if the helper goes back to `version != CURRENT`
 * (version 1 refused) or to copying the whole current struct (poison read or
 * overwritten). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "journal/test_journal_util.h"
#include "test_world.h"
#include "util/error.h"
#include "util/version.h"

#define POISON 0xA5

/* ---- a fabricated struct: version 1 as an old caller has it, version 2 current */

typedef struct probe_v1 {
    unsigned int version;
    int level;
    const char *name;
} probe_v1;

typedef struct probe {
    unsigned int version;
    int level;
    const char *name;
    /* Version 2: */
    int64_t budget_ms;
    char tag[8];
} probe;

#define PROBE_VERSION 2

static const probe probe_defaults = {PROBE_VERSION, 7, "seven", 77, "dflt"};
INC__VSTRUCT(probe_v, probe, "probe", &probe_defaults, PROBE_VERSION, INC__VERSION_END(probe, name),
             sizeof(probe));

_Static_assert(INC__VERSION_END(probe, name) <= sizeof(probe_v1),
               "version 1's size fits in what a version 1 caller has");

/* A version 1 caller's struct, followed by poison where version 2 has more. */
typedef union old_caller {
    probe_v1 v1;
    probe room; /* the library must not touch the bytes past v1 */
    unsigned char bytes[sizeof(probe)];
} old_caller;

static void old_caller_init(old_caller *c, unsigned int version)
{
    memset(c->bytes, POISON, sizeof(c->bytes));
    c->v1.version = version;
    c->v1.level = 3;
    c->v1.name = "mine";
}

static void assert_poison_after(const old_caller *c, size_t from)
{
    size_t i;
    for (i = from; i < sizeof(c->bytes); i++)
        assert_int_equal(c->bytes[i], POISON);
}

static void test_version_range(void **state)
{
    (void)state;
    assert_false(inc__version_ok(0, 1));
    assert_true(inc__version_ok(1, 1));
    assert_false(inc__version_ok(2, 1));
    assert_true(inc__version_ok(1, 2));
    assert_true(inc__version_ok(2, 2));
    assert_false(inc__version_ok(3, 2));
}

/* A caller built against version 1 passes its struct to a library whose
 * current version is 2: accepted, its fields read, the newer ones default. */
static void test_read_older_caller(void **state)
{
    old_caller c;
    probe got;
    inc_error err;
    (void)state;

    old_caller_init(&c, 1);
    inc__error_clear(&err);
    assert_int_equal(inc__vstruct_read(&probe_v, &got, &c, &err), INC_OK);
    assert_int_equal(got.version, PROBE_VERSION);
    assert_int_equal(got.level, 3);
    assert_string_equal(got.name, "mine");
    assert_int_equal(got.budget_ms, 77); /* the default, not the poison */
    assert_string_equal(got.tag, "dflt");
    assert_poison_after(&c, sizeof(probe_v1)); /* and nothing written back */
}

static void test_read_current_caller(void **state)
{
    probe in = {PROBE_VERSION, 4, "four", 44, "mine"};
    probe got;
    (void)state;
    assert_int_equal(inc__vstruct_read(&probe_v, &got, &in, NULL), INC_OK);
    assert_int_equal(got.level, 4);
    assert_int_equal(got.budget_ms, 44);
    assert_string_equal(got.tag, "mine");
}

static void test_read_null_is_defaults(void **state)
{
    probe got;
    (void)state;
    assert_int_equal(inc__vstruct_read(&probe_v, &got, NULL, NULL), INC_OK);
    assert_int_equal(got.version, PROBE_VERSION);
    assert_int_equal(got.level, 7);
    assert_int_equal(got.budget_ms, 77);
}

static void test_read_refuses_unknown_versions(void **state)
{
    static const unsigned int bad[] = {0, PROBE_VERSION + 1, 0xffffffffu};
    old_caller c;
    probe got;
    inc_error err;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        old_caller_init(&c, bad[i]);
        inc__error_clear(&err);
        assert_int_equal(inc__vstruct_read(&probe_v, &got, &c, &err), INC_EVERSION);
        assert_int_equal(err.code, INC_EVERSION);
        assert_non_null(strstr(err.msg, "probe: unknown version"));
        assert_non_null(strstr(err.msg, "1..2"));
    }
}

/* inc_*_init(x, 1) in a library at version 2 writes only version 1's bytes. */
static void test_init_older_version(void **state)
{
    old_caller c;
    (void)state;
    memset(c.bytes, POISON, sizeof(c.bytes));
    assert_int_equal(inc__vstruct_init(&probe_v, &c, 1), INC_OK);
    assert_int_equal(c.v1.version, 1);
    assert_int_equal(c.v1.level, 7);
    assert_string_equal(c.v1.name, "seven");
    assert_poison_after(&c, INC__VERSION_END(probe, name));
}

static void test_init_current_and_refusals(void **state)
{
    probe p;
    (void)state;
    assert_int_equal(inc__vstruct_init(&probe_v, &p, PROBE_VERSION), INC_OK);
    assert_memory_equal(&p, &probe_defaults, sizeof(p));
    memset(&p, POISON, sizeof(p));
    assert_int_equal(inc__vstruct_init(&probe_v, &p, 0), INC_EVERSION);
    assert_int_equal(inc__vstruct_init(&probe_v, &p, PROBE_VERSION + 1), INC_EVERSION);
    assert_int_equal(((unsigned char *)&p)[0], POISON); /* untouched */
    assert_int_equal(inc__vstruct_init(&probe_v, NULL, 1), INC_EINVAL);
}

/* A struct the library fills: a version 1 caller gets version 1's fields. */
static void test_write_older_caller(void **state)
{
    const probe full = {PROBE_VERSION, 9, "nine", 99, "full"};
    old_caller c;
    (void)state;

    old_caller_init(&c, 1);
    assert_int_equal(inc__vstruct_write(&probe_v, &c, &full), INC_OK);
    assert_int_equal(c.v1.version, 1);
    assert_int_equal(c.v1.level, 9);
    assert_string_equal(c.v1.name, "nine");
    assert_poison_after(&c, INC__VERSION_END(probe, name));

    old_caller_init(&c, 0);
    assert_int_equal(inc__vstruct_write(&probe_v, &c, &full), INC_EVERSION);
    assert_int_equal(c.v1.level, 3);
    old_caller_init(&c, PROBE_VERSION + 1);
    assert_int_equal(inc__vstruct_write(&probe_v, &c, &full), INC_EVERSION);
    assert_int_equal(c.v1.level, 3);
}

/* ---- the public structs: each init function and each entry point ---------- */

/* Every inc_*_init(): the current version gives what the INIT macro gives,
 * version 0 and CURRENT+1 are refused, NULL is INC_EINVAL. */
#define CHECK_INIT(type, fn, VERSION, INIT)                                                        \
    do {                                                                                           \
        static const type expect = INIT;                                                           \
        type got;                                                                                  \
        memset(&got, 0, sizeof(got));                                                              \
        assert_int_equal(fn(&got, VERSION), INC_OK);                                               \
        assert_memory_equal(&got, &expect, sizeof(got));                                           \
        assert_int_equal(fn(&got, 0), INC_EVERSION);                                               \
        assert_int_equal(fn(&got, (VERSION) + 1), INC_EVERSION);                                   \
        assert_int_equal(fn(NULL, VERSION), INC_EINVAL);                                           \
    } while (0)

static void test_every_init_function(void **state)
{
    (void)state;
    CHECK_INIT(inc_allocator, inc_allocator_init, INC_ALLOCATOR_VERSION, INC_ALLOCATOR_INIT);
    CHECK_INIT(inc_context_options, inc_context_options_init, INC_CONTEXT_OPTIONS_VERSION,
               INC_CONTEXT_OPTIONS_INIT);
    CHECK_INIT(inc_store_backend, inc_store_backend_init, INC_STORE_BACKEND_VERSION,
               INC_STORE_BACKEND_INIT);
    CHECK_INIT(inc_journal_options, inc_journal_options_init, INC_JOURNAL_OPTIONS_VERSION,
               INC_JOURNAL_OPTIONS_INIT);
    CHECK_INIT(inc_declare_options, inc_declare_options_init, INC_DECLARE_OPTIONS_VERSION,
               INC_DECLARE_OPTIONS_INIT);
    CHECK_INIT(inc_can_report, inc_can_report_init, INC_CAN_REPORT_VERSION, INC_CAN_REPORT_INIT);
    CHECK_INIT(inc_update, inc_update_init, INC_UPDATE_VERSION, INC_UPDATE_INIT);
    CHECK_INIT(inc_template_vars, inc_template_vars_init, INC_TEMPLATE_VARS_VERSION,
               INC_TEMPLATE_VARS_INIT);
    CHECK_INIT(inc_scheduler_options, inc_scheduler_options_init, INC_SCHEDULER_OPTIONS_VERSION,
               INC_SCHEDULER_OPTIONS_INIT);
    CHECK_INIT(inc_audit_options, inc_audit_options_init, INC_AUDIT_OPTIONS_VERSION,
               INC_AUDIT_OPTIONS_INIT);
    CHECK_INIT(inc_metrics_options, inc_metrics_options_init, INC_METRICS_OPTIONS_VERSION,
               INC_METRICS_OPTIONS_INIT);
    CHECK_INIT(inc_action_options, inc_action_options_init, INC_ACTION_OPTIONS_VERSION,
               INC_ACTION_OPTIONS_INIT);
    CHECK_INIT(inc_action_query, inc_action_query_init, INC_ACTION_QUERY_VERSION,
               INC_ACTION_QUERY_INIT);
    CHECK_INIT(inc_oncall_check_options, inc_oncall_check_options_init,
               INC_ONCALL_CHECK_OPTIONS_VERSION, INC_ONCALL_CHECK_OPTIONS_INIT);
}

/* One call of an entry point with its struct at @version; INC_OK on success
 * (and everything it created freed). */
typedef int (*versioned_call)(struct inc_test_world *w, unsigned int version);

static int call_context(struct inc_test_world *w, unsigned int version)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    int rc;
    (void)w;
    o.version = version;
    rc = inc_context_new(&o, &ctx);
    inc_context_free(ctx);
    return rc;
}

static int call_allocator(struct inc_test_world *w, unsigned int version)
{
    struct inc_test_alloc t;
    inc_allocator a;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    int rc;
    (void)w;
    inc_test_alloc_init(&t);
    a = inc_test_alloc_allocator(&t);
    a.version = version;
    o.allocator = &a;
    rc = inc_context_new(&o, &ctx);
    inc_context_free(ctx);
    return rc;
}

static int stub_append(inc_store_backend *self, const char *id, uint64_t expected_seq,
                       const inc_store_record *records, size_t count, inc_error *err)
{
    (void)self, (void)id, (void)expected_seq, (void)records, (void)count, (void)err;
    return INC_OK;
}

static int stub_read(inc_store_backend *self, const char *id, uint64_t from_seq,
                     inc_store_event_cb cb, void *cb_user, inc_error *err)
{
    (void)self, (void)id, (void)from_seq, (void)cb, (void)cb_user, (void)err;
    return INC_OK;
}

static int stub_list(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    (void)self, (void)cb, (void)cb_user, (void)err;
    return INC_OK;
}

static void stub_free(inc_store_backend *self)
{
    (void)self;
}

static int call_store_backend(struct inc_test_world *w, unsigned int version)
{
    inc_store_backend b = INC_STORE_BACKEND_INIT;
    inc_store *s = NULL;
    int rc;
    (void)w;
    b.version = version;
    b.append = stub_append;
    b.read = stub_read;
    b.list = stub_list;
    b.free = stub_free;
    rc = inc_store_new(&b, NULL, &s);
    inc_store_free(s);
    return rc;
}

static int call_journal(struct inc_test_world *w, unsigned int version)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    char parent[64], dir[96];
    inc_store *s = NULL;
    int rc;
    (void)w;
    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    o.version = version;
    rc = inc_store_journal_open(dir, &o, &s);
    inc_store_free(s);
    tj_rmtree(parent);
    return rc;
}

static int call_declare(struct inc_test_world *w, unsigned int version)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    int rc;
    d.version = version;
    d.title = "Search latency in US";
    d.declarer = "dave";
    d.severity = "Sev-3";
    rc = inc_incident_declare(w->ctx, &d, &inc);
    inc_incident_free(inc);
    return rc;
}

static int call_can_report(struct inc_test_world *w, unsigned int version)
{
    inc_can_report r = INC_CAN_REPORT_INIT;
    r.version = version;
    r.conditions = "EU checkout returns 502 for a third of requests";
    r.actions = "Failing the payments database over to the replica";
    return inc_incident_add_can(w->inc, "alice", &r, NULL, NULL);
}

static int call_update(struct inc_test_world *w, unsigned int version)
{
    inc_update u = INC_UPDATE_INIT;
    u.version = version;
    u.audience = INC_AUDIENCE_RESPONSE;
    u.body = "Failing the payments database over; next check in 15 minutes.";
    return inc_incident_add_update(w->inc, "alice", &u, NULL, NULL);
}

static int call_template(struct inc_test_world *w, unsigned int version)
{
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    char *text = NULL;
    int rc;
    v.version = version;
    v.symptom = "failed checkouts";
    v.scope = "customers in the EU";
    rc = inc_incident_render_template(w->inc, INC_TEMPLATE_FIRST, &v, &text, NULL);
    inc_free(text);
    return rc;
}

static int call_scheduler(struct inc_test_world *w, unsigned int version)
{
    inc_scheduler_options o = INC_SCHEDULER_OPTIONS_INIT;
    inc_scheduler *s = NULL;
    int rc;
    o.version = version;
    rc = inc_scheduler_new(w->ctx, &o, &s);
    inc_scheduler_free(s);
    return rc;
}

static int call_audit(struct inc_test_world *w, unsigned int version)
{
    inc_audit_options o = INC_AUDIT_OPTIONS_INIT;
    inc_audit *a = NULL;
    int rc;
    o.version = version;
    rc = inc_incident_audit(w->inc, &o, &a);
    inc_audit_free(a);
    return rc;
}

static int call_metrics(struct inc_test_world *w, unsigned int version)
{
    inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
    inc_metrics *m = NULL;
    int rc;
    o.version = version;
    rc = inc_metrics_compute(w->ctx, &o, &m);
    inc_metrics_free(m);
    return rc;
}

static int call_action(struct inc_test_world *w, unsigned int version)
{
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    o.version = version;
    o.title = "Add an EU canary";
    o.owner = "bob";
    o.due = INC_TEST_T0 + 14 * 86400000LL;
    o.priority = 2;
    return inc_incident_add_action(w->inc, "alice", &o, NULL);
}

static int call_action_query(struct inc_test_world *w, unsigned int version)
{
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_action_list *l = NULL;
    int rc;
    q.version = version;
    rc = inc_action_list_query(w->ctx, &q, &l);
    inc_action_list_free(l);
    return rc;
}

static int call_oncall_check(struct inc_test_world *w, unsigned int version)
{
    static const char *const people[] = {"ann", "ben", "cat", "dan", "eve"};
    inc_oncall_check_options o = INC_ONCALL_CHECK_OPTIONS_INIT;
    inc_rotation *rot = NULL;
    inc_findings *l = NULL;
    size_t i;
    int rc;
    assert_int_equal(inc_rotation_new(w->ctx, "payments", &rot), INC_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(inc_rotation_add_person(rot, people[i]), INC_OK);
    assert_int_equal(inc_rotation_set_zone(rot, "UTC"), INC_OK);
    assert_int_equal(inc_rotation_set_start(rot, 2026, 1, 5), INC_OK);
    o.version = version;
    o.from = INC_TEST_T0;
    o.to = INC_TEST_T0 + 28 * 86400000LL;
    rc = inc_rotation_check(rot, NULL, 0, &o, &l);
    inc_findings_free(l);
    inc_rotation_free(rot);
    return rc;
}

struct versioned_entry {
    const char *name;
    unsigned int current;
    versioned_call call;
};

static const struct versioned_entry entries[] = {
    {"inc_allocator", INC_ALLOCATOR_VERSION, call_allocator},
    {"inc_context_options", INC_CONTEXT_OPTIONS_VERSION, call_context},
    {"inc_store_backend", INC_STORE_BACKEND_VERSION, call_store_backend},
    {"inc_journal_options", INC_JOURNAL_OPTIONS_VERSION, call_journal},
    {"inc_declare_options", INC_DECLARE_OPTIONS_VERSION, call_declare},
    {"inc_can_report", INC_CAN_REPORT_VERSION, call_can_report},
    {"inc_update", INC_UPDATE_VERSION, call_update},
    {"inc_template_vars", INC_TEMPLATE_VARS_VERSION, call_template},
    {"inc_scheduler_options", INC_SCHEDULER_OPTIONS_VERSION, call_scheduler},
    {"inc_audit_options", INC_AUDIT_OPTIONS_VERSION, call_audit},
    {"inc_metrics_options", INC_METRICS_OPTIONS_VERSION, call_metrics},
    {"inc_action_options", INC_ACTION_OPTIONS_VERSION, call_action},
    {"inc_action_query", INC_ACTION_QUERY_VERSION, call_action_query},
    {"inc_oncall_check_options", INC_ONCALL_CHECK_OPTIONS_VERSION, call_oncall_check},
};

/* Each entry point refuses version 0 and CURRENT+1 with INC_EVERSION and
 * nothing stored, and takes every version 1..CURRENT. */
static void test_every_entry_point(void **state)
{
    struct inc_test_world *w = *state;
    size_t i, before;
    unsigned int v;

    for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        const struct versioned_entry *e = &entries[i];
        print_message("%s: 0 and %u refused, 1..%u accepted\n", e->name, e->current + 1,
                      e->current);
        before = inc_test_world_stored_events(w);
        assert_int_equal(e->call(w, 0), INC_EVERSION);
        assert_int_equal(e->call(w, e->current + 1), INC_EVERSION);
        assert_int_equal(inc_test_world_stored_events(w), before);
        for (v = 1; v <= e->current; v++)
            assert_int_equal(e->call(w, v), INC_OK);
    }
}

/* inc_journal_stats is filled by the library and at version 2: a caller built
 * against version 1 (a struct that ends after last_recovery_id) gets its
 * fields and not a byte more. */
static void test_journal_stats_older_caller(void **state)
{
    const size_t v1_size = INC__VERSION_END(inc_journal_stats, last_recovery_id);
    union {
        inc_journal_stats room;
        unsigned char bytes[sizeof(inc_journal_stats)];
    } c;
    char parent[64], dir[96];
    inc_store *s = NULL;
    size_t i;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    assert_int_equal(inc_store_journal_open(dir, NULL, &s), INC_OK);
    memset(c.bytes, POISON, sizeof(c.bytes));
    c.room.version = 1;
    assert_int_equal(inc_journal_get_stats(s, &c.room), INC_OK);
    assert_int_equal(c.room.version, 1);
    assert_int_equal(c.room.recoveries, 0);
    assert_string_equal(c.room.last_recovery_id, "");
    for (i = v1_size; i < sizeof(c.bytes); i++)
        assert_int_equal(c.bytes[i], POISON);

    c.room.version = 0;
    assert_int_equal(inc_journal_get_stats(s, &c.room), INC_EVERSION);
    c.room.version = INC_JOURNAL_STATS_VERSION + 1;
    assert_int_equal(inc_journal_get_stats(s, &c.room), INC_EVERSION);
    c.room.version = INC_JOURNAL_STATS_VERSION;
    assert_int_equal(inc_journal_get_stats(s, &c.room), INC_OK);
    assert_int_equal(c.room.summary_writes, 0);
    inc_store_free(s);
    tj_rmtree(parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_range),
        cmocka_unit_test(test_read_older_caller),
        cmocka_unit_test(test_read_current_caller),
        cmocka_unit_test(test_read_null_is_defaults),
        cmocka_unit_test(test_read_refuses_unknown_versions),
        cmocka_unit_test(test_init_older_version),
        cmocka_unit_test(test_init_current_and_refusals),
        cmocka_unit_test(test_write_older_caller),
        cmocka_unit_test(test_every_init_function),
        cmocka_unit_test_setup_teardown(test_every_entry_point, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test(test_journal_stats_older_caller),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
