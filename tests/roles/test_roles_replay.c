/* Roles and replay: the roles state a timeline replays to is the state it
 * was written with (also through JSON and reload), a timeline that breaks
 * the ROLE-2 invariants is refused as corrupt, and an allocation failure in
 * any roles call changes nothing and leaks nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "incident.h"
#include "incident/sys/store.h"
#include "test_support.h"
#include "test_world.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hash.h"

#define T0  INC_TEST_T0
#define MIN 60000LL

typedef struct inc_test_world fixture; /* Sev-2, declared by alice at T0 */

static void advance(fixture *f, int minutes)
{
    inc_test_clock_advance(&f->clock, (int64_t)minutes * MIN);
}

/* ---- replay --------------------------------------------------------------- */

static void assert_same_roles(inc_incident *a, inc_incident *b)
{
    inc_findings *fa = NULL, *fb = NULL;
    char *ta = NULL, *tb = NULL;
    size_t i;

    assert_string_equal(inc_incident_ic(a), inc_incident_ic(b));
    assert_int_equal(inc_incident_assignment_count(a), inc_incident_assignment_count(b));
    for (i = 0; i < inc_incident_assignment_count(a); i++) {
        const inc_assignment *x = inc_incident_assignment(a, i), *y = inc_incident_assignment(b, i);
        assert_string_equal(x->person, y->person);
        assert_int_equal(x->role, y->role);
        assert_true((x->domain == NULL) == (y->domain == NULL));
        if (x->domain)
            assert_string_equal(x->domain, y->domain);
        assert_string_equal(x->assigned_by, y->assigned_by);
        assert_int_equal(x->assigned_at, y->assigned_at);
        assert_int_equal(x->released_at, y->released_at);
        assert_int_equal(x->seq, y->seq);
        assert_int_equal(x->released_seq, y->released_seq);
    }
    assert_true((inc_incident_handoff_to(a) == NULL) == (inc_incident_handoff_to(b) == NULL));
    if (inc_incident_handoff_to(a))
        assert_string_equal(inc_incident_handoff_to(a), inc_incident_handoff_to(b));
    assert_int_equal(inc_incident_handoff_seq(a), inc_incident_handoff_seq(b));
    assert_int_equal(inc_incident_scribe_assigned_at(a), inc_incident_scribe_assigned_at(b));
    assert_int_equal(inc_incident_check_roles(a, &fa), INC_OK);
    assert_int_equal(inc_incident_check_roles(b, &fb), INC_OK);
    assert_int_equal(inc_findings_render(fa, &ta, NULL), INC_OK);
    assert_int_equal(inc_findings_render(fb, &tb, NULL), INC_OK);
    assert_string_equal(ta, tb);
    assert_true(inc_findings_count(fa) > 0);
    inc_free(ta);
    inc_free(tb);
    inc_findings_free(fa);
    inc_findings_free(fb);
}

static void build_history(fixture *f)
{
    inc_incident *inc = f->inc;
    advance(f, 1);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SME, "database"),
                     INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_COMMS, NULL),
                     INC_OK); /* advisory: ROLE-3 recorded */
    advance(f, 6);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "sam", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_handoff(inc, "alice", "carol", "c", "a", "none"), INC_OK);
    assert_int_equal(inc_incident_confirm_handoff(inc, "carol"), INC_OK);
    assert_int_equal(inc_incident_release_role(inc, "bob", "bob", INC_ROLE_COMMS, NULL), INC_OK);
    advance(f, 3);
    assert_int_equal(inc_incident_handoff(inc, "carol", "dave", NULL, "a", "none"), INC_OK);
}

static void test_roles_replay_gives_the_same_state(void **state)
{
    fixture *f = *state;
    inc_incident *again = NULL, *copy = NULL;
    inc_context *ctx2 = NULL;
    char *json = NULL;
    size_t len;

    build_history(f);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_same_roles(f->inc, again);
    /* Through the JSON export and a second store. */
    assert_int_equal(inc_incident_export_json(f->inc, &json, &len), INC_OK);
    assert_int_equal(inc_context_new(NULL, &ctx2), INC_OK);
    assert_int_equal(inc_incident_import_json(ctx2, json, len, &copy, NULL), INC_OK);
    assert_same_roles(f->inc, copy);
    /* reload keeps the roles (the state moves with the handle) */
    assert_int_equal(inc_incident_confirm_handoff(f->inc, "dave"), INC_OK);
    assert_int_equal(inc_incident_reload(again), INC_OK);
    assert_same_roles(f->inc, again);
    assert_string_equal(inc_incident_ic(again), "dave");
    inc_free(json);
    inc_incident_free(copy);
    inc_incident_free(again);
    inc_context_free(ctx2);
}

/* The hash of the last stored event, for forging the next one. */
static int hash_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    inc__sha256(data, len, user);
    return 0;
}

/* Append a hand-made event to the stored timeline (bypassing every check of
 * the write path, as a damaged or forged store would hold it); return what
 * opening the incident again says. */
static int open_with_forged(fixture *f, const inc__event_draft *d)
{
    const char *id = inc_incident_id(f->inc);
    uint64_t n = inc_incident_last_seq(f->inc);
    uint8_t prev[INC__SHA256_LEN];
    inc_incident *again = NULL;
    inc_allocator sys;
    inc_store_record rec;
    inc__buf b;
    int rc;

    assert_int_equal(inc_store_read(f->store, id, 1, hash_cb, prev), INC_OK);
    assert_int_equal(inc__alloc_init(&sys, NULL), INC_OK);
    inc__buf_init(&b, &sys);
    assert_int_equal(inc__event_encode(d, n + 1, T0 + MIN, prev, &b), INC_OK);
    rec.data = b.ptr;
    rec.len = b.len;
    assert_int_equal(inc_store_append(f->store, id, n, &rec, 1), INC_OK);
    inc__buf_dispose(&b);
    rc = inc_incident_open(f->ctx, id, &again);
    inc_incident_free(again);
    return rc;
}

static void test_roles_replay_refuses_an_impossible_timeline(void **state)
{
    fixture *f = *state;
    inc__event_draft d;

    /* ROLE-2: the IC role never arrives by role_assigned. */
    inc__draft_init(&d, INC_EV_ROLE_ASSIGNED, "alice");
    inc__draft_int(&d, INC__F_ROLE, INC_ROLE_IC);
    inc__draft_str(&d, INC__F_PERSON, "bob");
    assert_int_equal(open_with_forged(f, &d), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "ROLE-2"));
}

static void test_roles_replay_refuses_confirm_without_handoff(void **state)
{
    fixture *f = *state;
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_HANDOFF_CONFIRMED, "bob");
    inc__draft_int(&d, INC__F_REF_SEQ, 1);
    inc__draft_str(&d, INC__F_PERSON, "alice");
    assert_int_equal(open_with_forged(f, &d), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "no hand-off is pending"));
}

static void test_roles_replay_refuses_handoff_by_non_ic(void **state)
{
    fixture *f = *state;
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_HANDOFF_STARTED, "mallory");
    inc__draft_str(&d, INC__F_PERSON, "bob");
    inc__draft_str(&d, INC__F_CONDITIONS, "c");
    inc__draft_str(&d, INC__F_NEEDS, "none");
    assert_int_equal(open_with_forged(f, &d), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "only the IC hands off"));
}

static void test_roles_replay_refuses_release_of_unheld_role(void **state)
{
    fixture *f = *state;
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_ROLE_RELEASED, "alice");
    inc__draft_int(&d, INC__F_ROLE, INC_ROLE_SCRIBE);
    inc__draft_str(&d, INC__F_PERSON, "bob");
    assert_int_equal(open_with_forged(f, &d), INC_ECORRUPT);
}

static void test_roles_replay_refuses_sme_without_domain(void **state)
{
    fixture *f = *state;
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_ROLE_ASSIGNED, "alice");
    inc__draft_int(&d, INC__F_ROLE, INC_ROLE_SME);
    inc__draft_str(&d, INC__F_PERSON, "bob");
    assert_int_equal(open_with_forged(f, &d), INC_ECORRUPT);
}

/* ---- allocation failures ---------------------------------------------------- */

typedef int (*oom_op)(inc_incident *inc, inc_findings **list);

static void no_setup(inc_incident *inc)
{
    (void)inc;
}

static void setup_roles(inc_incident *inc)
{
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_COMMS, NULL), INC_OK);
}

static void setup_pending(inc_incident *inc)
{
    setup_roles(inc);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
}

/* Eight assignments (the IC and seven SMEs) fill the first allocation of
 * the assignments array, so the next one must grow it inside prepare. */
static void setup_eight(inc_incident *inc)
{
    char person[8], domain[8];
    int i;
    for (i = 1; i <= 7; i++) {
        snprintf(person, sizeof(person), "sme%d", i);
        snprintf(domain, sizeof(domain), "d%d", i);
        assert_int_equal(inc_incident_assign_role(inc, "alice", person, INC_ROLE_SME, domain),
                         INC_OK);
    }
    assert_int_equal(inc_incident_assignment_count(inc), 8);
}

static void setup_eight_pending(inc_incident *inc)
{
    setup_eight(inc);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
}

static int op_assign(inc_incident *inc, inc_findings **list)
{
    (void)list;
    return inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "database");
}

static int op_release(inc_incident *inc, inc_findings **list)
{
    (void)list;
    return inc_incident_release_role(inc, "bob", "bob", INC_ROLE_SCRIBE, NULL);
}

static int op_handoff(inc_incident *inc, inc_findings **list)
{
    (void)list;
    return inc_incident_handoff(inc, "alice", "bob", "stable", "watching", "none");
}

static int op_confirm(inc_incident *inc, inc_findings **list)
{
    (void)list;
    return inc_incident_confirm_handoff(inc, "bob");
}

static int op_cancel(inc_incident *inc, inc_findings **list)
{
    (void)list;
    return inc_incident_cancel_handoff(inc, "bob", "not now");
}

static int op_check(inc_incident *inc, inc_findings **list)
{
    return inc_incident_check_roles(inc, list);
}

static int op_render(inc_incident *inc, inc_findings **list)
{
    char *text = NULL;
    int rc = inc_incident_check_roles(inc, list);
    if (rc != INC_OK)
        return rc;
    rc = inc_findings_render(*list, &text, NULL);
    if (rc != INC_OK) { /* the list is fine; only the text failed */
        assert_null(text);
        inc_findings_free(*list);
        *list = NULL;
    }
    inc_free(text);
    return rc;
}

typedef struct snapshot {
    size_t events, stored, assignments;
    char ic[INC_NAME_MAX + 1];
    char handoff_to[INC_NAME_MAX + 1];
    unsigned bob;
} snapshot;

static void take(snapshot *s, inc_incident *inc, inc_store *store)
{
    size_t n = 0;
    memset(s, 0, sizeof(*s)); /* compared with memcmp */
    inc_test_store_count(store, inc_incident_id(inc), &n);
    s->events = inc_incident_event_count(inc);
    s->stored = n;
    s->assignments = inc_incident_assignment_count(inc);
    snprintf(s->ic, sizeof(s->ic), "%s", inc_incident_ic(inc));
    snprintf(s->handoff_to, sizeof(s->handoff_to), "%s",
             inc_incident_handoff_to(inc) ? inc_incident_handoff_to(inc) : "");
    s->bob = inc_incident_person_roles(inc, "bob");
}

/* Run @op failing the n-th allocation from its start (and, with @rest,
 * every one after), for n = 1, 2, ... until it succeeds. Each failure must
 * be INC_ENOMEM, change nothing in memory or in the store, and leak
 * nothing; the same call then succeeds on the same handle. */
static void run_oom(void (*prep)(inc_incident *), oom_op op, int rest)
{
    unsigned long n;
    for (n = 1; n < 1000; n++) {
        struct inc_test_alloc ta;
        struct inc_test_clock clock;
        inc_allocator a;
        inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
        inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
        inc_context *ctx = NULL;
        inc_incident *inc = NULL;
        inc_findings *list = NULL;
        snapshot before, after;
        int rc;

        inc_test_alloc_init(&ta);
        a = inc_test_alloc_allocator(&ta);
        inc_test_clock_init(&clock, T0);
        o.allocator = &a;
        o.clock = inc_test_clock_fn;
        o.clock_user = &clock;
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        d.title = "oom";
        d.declarer = "alice";
        d.severity = "Sev-2";
        assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
        prep(inc);
        take(&before, inc, inc_context_store(ctx));
        inc_test_alloc_arm(&ta, n, rest);
        rc = op(inc, &list);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            inc_findings_free(list);
            inc_incident_free(inc);
            inc_context_free(ctx);
            assert_int_equal(ta.live_blocks, 0);
            return;
        }
        assert_int_equal(rc, INC_ENOMEM);
        assert_null(list);
        take(&after, inc, inc_context_store(ctx));
        assert_memory_equal(&before, &after, sizeof(before));
        assert_int_equal(op(inc, &list), INC_OK); /* the handle is intact */
        inc_findings_free(list);
        inc_incident_free(inc);
        inc_context_free(ctx);
        if (ta.live_blocks != 0)
            fail_msg("leak after failing allocation %lu", n);
    }
    fail_msg("the operation never succeeded");
}

static void test_roles_allocation_failures_change_nothing(void **state)
{
    static const struct {
        void (*prep)(inc_incident *);
        oom_op op;
    } cases[] = {
        {no_setup, op_assign},       {setup_roles, op_release},  {setup_roles, op_handoff},
        {setup_pending, op_confirm}, {setup_pending, op_cancel}, {setup_roles, op_check},
        {setup_roles, op_render},    {setup_eight, op_assign},   {setup_eight_pending, op_confirm},
        {setup_eight, op_check},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_oom(cases[i].prep, cases[i].op, 1);
        run_oom(cases[i].prep, cases[i].op, 0);
    }
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, inc_test_world_setup, inc_test_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_roles_replay_gives_the_same_state),
        T(test_roles_replay_refuses_an_impossible_timeline),
        T(test_roles_replay_refuses_confirm_without_handoff),
        T(test_roles_replay_refuses_handoff_by_non_ic),
        T(test_roles_replay_refuses_release_of_unheld_role),
        T(test_roles_replay_refuses_sme_without_domain),
        cmocka_unit_test(test_roles_allocation_failures_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
