/* The shared fixture of a declared incident (see test_world.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "test_world.h"

#include "incident/sys/store.h"

struct inc_test_world *inc_test_world_new(inc_policy policy, const inc_declare_options *declare)
{
    struct inc_test_world *w = calloc(1, sizeof(*w));
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;

    assert_non_null(w);
    if (declare) {
        d = *declare;
    } else {
        d.title = "Checkout errors in EU";
        d.declarer = "alice";
        d.severity = "Sev-2";
    }
    inc_test_clock_init(&w->clock, INC_TEST_T0);
    assert_int_equal(inc_store_memory_new(NULL, &w->store), INC_OK);
    o.clock = inc_test_clock_fn;
    o.clock_user = &w->clock;
    o.store = w->store;
    o.policy = policy;
    assert_int_equal(inc_context_new(&o, &w->ctx), INC_OK);
    assert_int_equal(inc_incident_declare(w->ctx, &d, &w->inc), INC_OK);
    return w;
}

void inc_test_world_free(struct inc_test_world *w)
{
    if (!w)
        return;
    inc_incident_free(w->inc);
    inc_context_free(w->ctx);
    inc_store_free(w->store);
    free(w);
}

int inc_test_world_setup(void **state)
{
    *state = inc_test_world_new(INC_POLICY_ADVISORY, NULL);
    return 0;
}

int inc_test_world_teardown(void **state)
{
    inc_test_world_free(*state);
    return 0;
}

static int count_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    (void)data;
    (void)len;
    (*(size_t *)user)++;
    return 0;
}

int inc_test_store_count(inc_store *store, const char *id, size_t *n)
{
    *n = 0;
    return inc_store_read(store, id, 1, count_cb, n);
}

size_t inc_test_world_stored_events(const struct inc_test_world *w)
{
    size_t n = 0;
    assert_int_equal(inc_test_store_count(w->store, inc_incident_id(w->inc), &n), INC_OK);
    return n;
}
