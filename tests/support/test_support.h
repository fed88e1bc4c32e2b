/* Shared test helpers: a fake clock and a counting/failing allocator.
 *
 * Fake clock:
 *     struct inc_test_clock clk;
 *     inc_test_clock_init(&clk, 1700000000000);
 *     ... pass inc_test_clock_fn with &clk as the user pointer ...
 *     inc_test_clock_advance(&clk, 60000);
 *
 * Counting allocator (allocation-failure tests):
 *     struct inc_test_alloc ta;
 *     inc_test_alloc_init(&ta);
 *     inc_allocator a = inc_test_alloc_allocator(&ta);
 *     ta.fail_at = 3;       // the 3rd malloc/realloc call returns NULL
 *     ta.fail_rest = 1;     // ... and so does every call after it
 *     ...
 *     assert_int_equal(ta.live_blocks, 0);   // no leaks
 */
#ifndef INC_TEST_SUPPORT_H
#define INC_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "incident/common.h"
#include "incident/sys/store.h"

/* ---- fake clock ---- */

struct inc_test_clock {
    inc_time now;        /* what the clock returns; tests may set it directly */
    unsigned long reads; /* how many times the clock was read */
};

void inc_test_clock_init(struct inc_test_clock *c, inc_time start);
/* An inc_clock_fn: @user must point to a struct inc_test_clock. */
inc_time inc_test_clock_fn(void *user);
void inc_test_clock_advance(struct inc_test_clock *c, int64_t ms);

/* ---- counting / failing allocator ---- */

struct inc_test_alloc {
    /* Configuration (set after inc_test_alloc_init). */
    unsigned long fail_at; /* 0 = never fail; N = fail the Nth call (1-based) */
    int fail_rest;         /* with fail_at: also fail every call after the Nth */
    /* Counters. A "call" is a malloc_fn or realloc_fn call, failed or not. */
    unsigned long calls;
    unsigned long failures;     /* calls that returned NULL on purpose */
    unsigned long frees;        /* free_fn calls */
    size_t live_blocks;         /* blocks allocated and not yet freed */
    size_t live_bytes;          /* bytes in those blocks */
    size_t peak_bytes;          /* high-water mark of live_bytes */
    unsigned long total_allocs; /* successful malloc_fn calls */
};

/* Zero the counters and the configuration. */
void inc_test_alloc_init(struct inc_test_alloc *t);
/* An allocator whose user pointer is @t; @t must outlive every block. */
inc_allocator inc_test_alloc_allocator(struct inc_test_alloc *t);
/* Keep the counters of live memory but restart call counting with a new
 * failure point (for "fail the Nth call from now" loops). */
void inc_test_alloc_arm(struct inc_test_alloc *t, unsigned long fail_at, int fail_rest);

/* A store without blobs (backend version 2) over @inner, which it borrows
 * (free it after *out): declarations through it carry the rubric text
 * (RUB-4), as every store's did before backend version 3. */
int inc_test_blobless_store(inc_store *inner, inc_store **out);

#endif
