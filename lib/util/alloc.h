/* Allocation through the handle's allocator. Every allocation of the library
 * goes through these (no direct malloc), so the allocation-failure test can
 * fail each one in turn. */
#ifndef INC_UTIL_ALLOC_H
#define INC_UTIL_ALLOC_H

#include <stddef.h>

#include "incident/common.h"

/* Copy @src (or the C library's allocator when NULL) into @dst.
 * Returns INC_OK, INC_EVERSION or INC_EINVAL (a function missing). */
int inc__alloc_init(inc_allocator *dst, const inc_allocator *src);

void *inc__malloc(const inc_allocator *a, size_t size);
/* Zeroed array allocation; NULL on overflow of n * size. */
void *inc__calloc(const inc_allocator *a, size_t n, size_t size);
/* realloc; size 0 is treated as 1. */
void *inc__realloc(const inc_allocator *a, void *ptr, size_t size);
void inc__free(const inc_allocator *a, void *ptr);
char *inc__strdup(const inc_allocator *a, const char *s);
char *inc__strndup(const inc_allocator *a, const char *s, size_t n);

/* Grow an array so it holds at least @need elements of @elem bytes,
 * doubling. Returns INC_OK or INC_ENOMEM (then *arr is unchanged). */
int inc__array_reserve(const inc_allocator *a, void **arr, size_t *cap, size_t need, size_t elem);

/* Memory handed to the caller, freed by inc_free(): the block remembers
 * its allocator in a header. */
void *inc__out_alloc(const inc_allocator *a, size_t size);
char *inc__out_strndup(const inc_allocator *a, const char *s, size_t n);

/* The header in front of memory handed to the caller: a copy of the
 * allocator, padded so the payload keeps malloc's alignment. */
typedef union inc__out_header {
    inc_allocator alloc;
    max_align_t align_;
} inc__out_header;

/* Turn a block of at least sizeof(inc__out_header) + n bytes obtained from
 * inc__malloc/inc__realloc(@a) into out-memory: writes the header and
 * returns the payload pointer (used by inc__buf to detach without copying). */
void *inc__out_from_block(void *block, const inc_allocator *a);

#endif
