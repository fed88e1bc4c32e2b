/* The allocation-failure harness in the style of SQLite's test_malloc: a
 * test writes its scenario as numbered steps; the harness plays it once
 * counting allocations, then again failing the 1st, 2nd, ... Nth allocation
 * (that one and every later one, then that one alone). Each failing run must
 * return INC_ENOMEM from the step that failed, leave the store as it was
 * before that step (by the test's own measure), and leak nothing; a run that
 * survives must end with the same result text as the clean run. */
#ifndef INC_TEST_SCRIPT_H
#define INC_TEST_SCRIPT_H

#include <stddef.h>

#include "test_support.h"

/* What step() returns after the last step. */
#define INC_TEST_SCRIPT_END (-1000)

struct inc_test_script {
    void *run;                 /* the test's state, passed to every callback */
    struct inc_test_alloc *ta; /* the allocator every handle of the run uses */
    /* Start a fresh run: zero the state, init @ta, the clock and handles. */
    void (*reset)(void *run);
    /* Step @i; INC_TEST_SCRIPT_END after the last. */
    int (*step)(void *run, int i);
    /* A number that changes whenever the run's stores change. */
    size_t (*shape)(void *run);
    /* The run's last error message, for failure reports. */
    const char *(*errmsg)(void *run);
    /* The text a completed run produced (compared across runs). */
    const char *(*result)(void *run);
    /* Free everything the run made. */
    void (*cleanup)(void *run);
};

/* Play the script once with no failure and return how many allocation calls
 * it made; @expected (size @size) receives its result text. */
unsigned long inc_test_script_count(const struct inc_test_script *s, char *expected, size_t size);

/* Fail each of allocation calls 1..@total in turn, in both modes, checking
 * the rules above against @expected. */
void inc_test_script_sweep(const struct inc_test_script *s, unsigned long total,
                           const char *expected);

#endif
