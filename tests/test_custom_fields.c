/* RUB-6: custom fields declared by the rubric, set by `field_set` events
 * (kind 32) and checked when written and when replayed: the normal path,
 * each type's refusals, an undeclared field, the IC only, the fields
 * required to close, replay and export/import equality, the timeline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event_kinds.h"
#include "incident.h"
#include "incident_internal.h"
#include "test_support.h"
#include "test_world.h"

static const char rubric_text[] = "libincident-rubric 1\n"
                                  "name = team\n"
                                  "field = customer text\n"
                                  "field = tickets number\n"
                                  "field = region one-of eu,us,apac required-to-close\n"
                                  "field = started date\n"
                                  "field = owner person required-from SEV2\n"
                                  "level = SEV1\n"
                                  "level = SEV2\n"
                                  "level = SEV3\n";

typedef struct inc_test_world fixture;

/* A world whose context has the rubric above, and @severity incident in it
 * declared by alice (the IC); the world's own incident is replaced. */
static fixture *world_with_fields(const char *severity)
{
    fixture *w = inc_test_world_new(INC_POLICY_ADVISORY, NULL);
    inc_rubric *r = NULL;
    inc_diag diag;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;

    assert_int_equal(inc_rubric_parse(NULL, rubric_text, strlen(rubric_text), &r, &diag), INC_OK);
    assert_int_equal(inc_context_set_rubric(w->ctx, r), INC_OK);
    inc_rubric_free(r);
    inc_incident_free(w->inc);
    d.title = "Checkout errors for one customer";
    d.declarer = "alice";
    d.severity = severity;
    d.criteria = INC_CRIT_CUSTOMER_VISIBLE;
    assert_int_equal(inc_incident_declare(w->ctx, &d, &w->inc), INC_OK);
    return w;
}

static int setup(void **state)
{
    *state = world_with_fields("SEV3");
    return 0;
}

static void test_RUB_6_set_and_read_every_type(void **state)
{
    fixture *f = *state;
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "customer", "ACME Corp"), INC_OK);
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "tickets", "-42"), INC_OK);
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "region", "apac"), INC_OK);
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "started", "2028-02-29"), INC_OK);
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "owner", "carol"), INC_OK);
    assert_string_equal(inc_incident_field(f->inc, "customer"), "ACME Corp");
    assert_string_equal(inc_incident_field(f->inc, "tickets"), "-42");
    assert_string_equal(inc_incident_field(f->inc, "region"), "apac");
    assert_string_equal(inc_incident_field(f->inc, "started"), "2028-02-29");
    assert_string_equal(inc_incident_field(f->inc, "owner"), "carol");
    /* A later value replaces the earlier one. */
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "region", "eu"), INC_OK);
    assert_string_equal(inc_incident_field(f->inc, "region"), "eu");
    assert_null(inc_incident_field(f->inc, "nope"));
    assert_null(inc_incident_field(f->inc, NULL));
    assert_null(inc_incident_field(NULL, "region"));
}

static void test_RUB_6_field_unset_is_null(void **state)
{
    fixture *f = *state;
    assert_null(inc_incident_field(f->inc, "customer"));
}

struct bad_value {
    const char *name, *value;
    int code;
    const char *message;
};

static const struct bad_value bad_values[] = {
    {"tickets", "12a", INC_EINVAL, "field 'tickets': '12a' is not an integer"},
    {"tickets", "1.5", INC_EINVAL, "is not an integer"},
    {"tickets", "-", INC_EINVAL, "is not an integer"},
    {"tickets", "1234567890123456789", INC_EINVAL, "is not an integer"},
    {"region", "EU", INC_EINVAL,
     "field 'region': 'EU' is not one of the listed values: eu,us,apac"},
    {"region", "eu,us", INC_EINVAL, "is not one of the listed values"},
    {"started", "2027-02-29", INC_EINVAL, "field 'started': '2027-02-29' is not a date"},
    {"started", "2027-13-01", INC_EINVAL, "is not a date"},
    {"started", "27-01-01", INC_EINVAL, "is not a date"},
    {"started", "2027-01-01T00:00", INC_EINVAL, "is not a date"},
    {"customer", "two\nlines", INC_EINVAL, "value"},
    {"customer", "", INC_EINVAL, "value"},
    {"customer", NULL, INC_EINVAL, "value"},
    {"missing", "x", INC_ENOTFOUND, "field 'missing': the rubric team does not declare it"},
    {NULL, "x", INC_EINVAL, "name"},
};

static void test_RUB_6_bad_values_refused_and_nothing_written(void **state)
{
    fixture *f = *state;
    size_t before = inc_test_world_stored_events(f);
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
        const struct bad_value *c = &bad_values[i];
        int rc = inc_incident_set_field(f->inc, "alice", c->name, c->value);
        if (rc != c->code || !strstr(inc_incident_errmsg(f->inc), c->message))
            fail_msg("case %zu: got %s '%s', expected %s '%s'", i, inc_status_name(rc),
                     inc_incident_errmsg(f->inc), inc_status_name(c->code), c->message);
    }
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_null(inc_incident_field(f->inc, "tickets"));
}

static void test_RUB_6_only_the_ic_sets_fields(void **state)
{
    fixture *f = *state;
    assert_int_equal(inc_incident_set_field(f->inc, "bob", "customer", "ACME"), INC_EPERM);
    assert_null(inc_incident_field(f->inc, "customer"));
}

static void walk_to_resolved(fixture *f)
{
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_RESOLVED, "errors at 0"),
                     INC_OK);
}

static void test_RUB_6_required_to_close(void **state)
{
    fixture *f = *state;
    walk_to_resolved(f);
    /* SEV3 is less severe than SEV2: owner is not required, region is. */
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc),
                           "set the required fields before closing: region (RUB-6)"));
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_RESOLVED);
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "region", "us"), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_OK);
    /* Closed: no more fields. */
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "customer", "x"), INC_ESTATE);
}

static void test_RUB_6_required_from_level(void **state)
{
    fixture *f = world_with_fields("SEV1");
    (void)state;
    walk_to_resolved(f);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc),
                           "set the required fields before closing: region, owner (RUB-6)"));
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "region", "us"), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "before closing: owner (RUB-6)"));
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "owner", "dave"), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_OK);
    inc_test_world_free(f);
}

static void test_RUB_6_replay_export_import_and_timeline(void **state)
{
    fixture *f = *state, *other = inc_test_world_new(INC_POLICY_ADVISORY, NULL);
    inc_incident *again = NULL, *imported = NULL;
    char *json = NULL, *timeline = NULL;
    size_t len;
    inc_diag diag;

    assert_int_equal(inc_incident_set_field(f->inc, "alice", "tickets", "7"), INC_OK);
    assert_int_equal(inc_incident_set_field(f->inc, "alice", "region", "eu"), INC_OK);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_string_equal(inc_incident_field(again, "tickets"), "7");
    assert_string_equal(inc_incident_field(again, "region"), "eu");

    assert_int_equal(inc_incident_export_json(f->inc, &json, &len), INC_OK);
    assert_non_null(strstr(json, "\"field_set\""));
    assert_int_equal(inc_incident_import_json(other->ctx, json, len, &imported, &diag), INC_OK);
    assert_string_equal(inc_incident_field(imported, "tickets"), "7");
    assert_string_equal(inc_incident_field(imported, "region"), "eu");
    assert_true(inc_rubric_equal(inc_incident_rubric(imported), inc_incident_rubric(f->inc)));

    assert_int_equal(inc_incident_render_timeline(f->inc, &timeline, NULL), INC_OK);
    assert_non_null(strstr(timeline, "Field region set to eu"));

    inc_free(json);
    inc_free(timeline);
    inc_incident_free(again);
    inc_incident_free(imported);
    inc_test_world_free(other);
}

/* Every allocation of inc_incident_set_field() failing in turn: INC_ENOMEM
 * (or success once nothing fails), the value and the event count unchanged
 * on failure, nothing leaked. */
static void test_RUB_6_allocation_failures(void **state)
{
    struct inc_test_alloc t;
    inc_allocator a;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    inc_rubric *r = NULL;
    unsigned long k;
    int rc = INC_ENOMEM;
    (void)state;

    inc_test_alloc_init(&t);
    a = inc_test_alloc_allocator(&t);
    o.allocator = &a;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    assert_int_equal(inc_rubric_parse(&a, rubric_text, strlen(rubric_text), &r, NULL), INC_OK);
    assert_int_equal(inc_context_set_rubric(ctx, r), INC_OK);
    d.title = "Checkout errors";
    d.declarer = "alice";
    d.severity = "SEV3";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    for (k = 1; rc != INC_OK; k++) {
        size_t events = inc_incident_event_count(inc);
        inc_test_alloc_arm(&t, k, 1);
        rc = inc_incident_set_field(inc, "alice", "region", "eu");
        inc_test_alloc_arm(&t, 0, 0);
        if (rc != INC_OK) {
            assert_int_equal(rc, INC_ENOMEM);
            assert_int_equal(inc_incident_event_count(inc), events);
            assert_null(inc_incident_field(inc, "region"));
        }
        assert_true(k < 1000);
    }
    assert_true(k > 2); /* at least one allocation did fail */
    assert_string_equal(inc_incident_field(inc, "region"), "eu");
    inc_incident_free(inc);
    inc_rubric_free(r);
    inc_context_free(ctx);
    assert_int_equal(t.live_blocks, 0);
}

/* The replay check: a stored field_set the recorded rubric does not
 * declare, or whose value does not fit, is refused as corrupt. */
static int replay_check(fixture *f, const char *name, const char *value)
{
    inc__event_draft d;
    inc__event ev;
    inc__prep prep;
    inc_error err;
    inc__buf b;
    int rc;

    inc__draft_init(&d, INC_EV_FIELD_SET, "alice");
    inc__draft_str(&d, INC__F_NAME, name);
    inc__draft_str(&d, INC__F_TARGET, value);
    inc__buf_init(&b, NULL);
    assert_int_equal(inc__event_encode(&d, 2, INC_TEST_T0, NULL, &b, &err), INC_OK);
    assert_int_equal(inc__event_decode(b.ptr, b.len, &ev, &err), INC_OK);
    memset(&prep, 0, sizeof prep);
    rc = inc__event_kind_row(INC_EV_FIELD_SET)->prepare(f->inc, &ev, &prep);
    inc__buf_dispose(&b);
    return rc;
}

static void test_RUB_6_replay_refuses_what_the_api_refuses(void **state)
{
    fixture *f = *state;
    assert_int_equal(replay_check(f, "region", "eu"), INC_OK);
    assert_int_equal(replay_check(f, "tickets", "-3"), INC_OK);
    assert_int_equal(replay_check(f, "region", "mars"), INC_ECORRUPT);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "does not fit its type (RUB-6)"));
    assert_int_equal(replay_check(f, "tickets", "x"), INC_ECORRUPT);
    assert_int_equal(replay_check(f, "started", "2027-02-30"), INC_ECORRUPT);
    assert_int_equal(replay_check(f, "nope", "x"), INC_ECORRUPT);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "does not declare (RUB-6)"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, inc_test_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_RUB_6_set_and_read_every_type),
        T(test_RUB_6_field_unset_is_null),
        T(test_RUB_6_bad_values_refused_and_nothing_written),
        T(test_RUB_6_only_the_ic_sets_fields),
        T(test_RUB_6_required_to_close),
        cmocka_unit_test(test_RUB_6_required_from_level),
        T(test_RUB_6_replay_export_import_and_timeline),
        T(test_RUB_6_replay_refuses_what_the_api_refuses),
        cmocka_unit_test(test_RUB_6_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
