/* Shared test helpers: fake clock and counting/failing allocator. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void inc_test_clock_init(struct inc_test_clock *c, inc_time start)
{
    c->now = start;
    c->reads = 0;
}

inc_time inc_test_clock_fn(void *user)
{
    struct inc_test_clock *c = user;
    c->reads++;
    return c->now;
}

void inc_test_clock_advance(struct inc_test_clock *c, int64_t ms)
{
    c->now += ms;
}

/* Each block carries its size and a magic number so frees of foreign or
 * already freed blocks are caught; the union keeps malloc's alignment. */
#define BLOCK_MAGIC 0x1ACD3A11u
#define BLOCK_DEAD  0xDEADB10Cu

typedef union block_header {
    struct {
        size_t size;
        unsigned magic;
    } h;
    max_align_t align_;
} block_header;

static void bad_block(const char *what)
{
    fprintf(stderr, "inc_test_alloc: %s\n", what);
    abort();
}

static block_header *header_of(void *ptr)
{
    block_header *h = (block_header *)ptr - 1;
    if (h->h.magic != BLOCK_MAGIC)
        bad_block(h->h.magic == BLOCK_DEAD ? "double free" : "block not from this allocator");
    return h;
}

/* Count the call and decide whether it fails. */
static int should_fail(struct inc_test_alloc *t)
{
    t->calls++;
    int fail =
        t->fail_at != 0 && (t->calls == t->fail_at || (t->fail_rest && t->calls > t->fail_at));
    if (fail)
        t->failures++;
    return fail;
}

static void add_live(struct inc_test_alloc *t, size_t size)
{
    t->live_bytes += size;
    if (t->live_bytes > t->peak_bytes)
        t->peak_bytes = t->live_bytes;
}

static void *ta_malloc(void *user, size_t size)
{
    struct inc_test_alloc *t = user;
    if (size == 0)
        bad_block("malloc_fn called with size 0");
    if (should_fail(t))
        return NULL;
    block_header *h = malloc(sizeof *h + size);
    if (h == NULL)
        return NULL;
    h->h.size = size;
    h->h.magic = BLOCK_MAGIC;
    /* Fill with junk so reads of uninitialized memory show up in tests. */
    memset(h + 1, 0xA5, size);
    t->total_allocs++;
    t->live_blocks++;
    add_live(t, size);
    return h + 1;
}

static void *ta_realloc(void *user, void *ptr, size_t size)
{
    struct inc_test_alloc *t = user;
    if (size == 0)
        bad_block("realloc_fn called with size 0");
    if (ptr == NULL)
        bad_block("realloc_fn called with NULL");
    block_header *old = header_of(ptr);
    if (should_fail(t))
        return NULL;
    size_t old_size = old->h.size;
    block_header *h = realloc(old, sizeof *h + size);
    if (h == NULL)
        return NULL;
    h->h.size = size;
    t->live_bytes -= old_size;
    add_live(t, size);
    return h + 1;
}

static void ta_free(void *user, void *ptr)
{
    struct inc_test_alloc *t = user;
    if (ptr == NULL)
        bad_block("free_fn called with NULL");
    block_header *h = header_of(ptr);
    t->frees++;
    t->live_blocks--;
    t->live_bytes -= h->h.size;
    h->h.magic = BLOCK_DEAD;
    free(h);
}

void inc_test_alloc_init(struct inc_test_alloc *t)
{
    memset(t, 0, sizeof *t);
}

inc_allocator inc_test_alloc_allocator(struct inc_test_alloc *t)
{
    inc_allocator a = INC_ALLOCATOR_INIT;
    a.malloc_fn = ta_malloc;
    a.realloc_fn = ta_realloc;
    a.free_fn = ta_free;
    a.user = t;
    return a;
}

void inc_test_alloc_arm(struct inc_test_alloc *t, unsigned long fail_at, int fail_rest)
{
    t->calls = 0;
    t->failures = 0;
    t->fail_at = fail_at;
    t->fail_rest = fail_rest;
}
