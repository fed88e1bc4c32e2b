/* A shared test fixture: a fake clock, a memory store, a context using
 * both, and one declared incident.
 *
 *     static int setup(void **state)
 *     {
 *         inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
 *         ... fill d ...
 *         *state = inc_test_world_new(INC_POLICY_ADVISORY, &d);
 *         return 0;
 *     }
 *     ... cmocka_unit_test_setup_teardown(test, setup, inc_test_world_teardown) ...
 *
 * or inc_test_world_setup for the default incident. Setup failures fail
 * the test (cmocka assertions). */
#ifndef INC_TEST_WORLD_H
#define INC_TEST_WORLD_H

#include <stddef.h>

#include "incident.h"
#include "test_support.h"

/* Where the clock starts: 2026-11-23T14:12:00Z. */
#define INC_TEST_T0 1795443120000LL

struct inc_test_world {
    struct inc_test_clock clock; /* starts at INC_TEST_T0 */
    inc_store *store;            /* memory store, owned */
    inc_context *ctx;            /* uses clock and store, owned */
    inc_incident *inc;           /* declared at INC_TEST_T0, owned */
};

/* A new world under @policy whose incident is declared with @declare; NULL
 * declares the default: "Checkout errors in EU", Sev-2, by alice. */
struct inc_test_world *inc_test_world_new(inc_policy policy, const inc_declare_options *declare);
void inc_test_world_free(struct inc_test_world *w);

/* cmocka setup (the default world, advisory) and teardown (any world). */
int inc_test_world_setup(void **state);
int inc_test_world_teardown(void **state);

/* How many events of incident @id @store holds, in *n; inc_store_read's status. */
int inc_test_store_count(inc_store *store, const char *id, size_t *n);
/* How many events the world's store holds for its incident (asserts the read). */
size_t inc_test_world_stored_events(const struct inc_test_world *w);

#endif
