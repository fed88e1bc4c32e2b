/* Allocation through the handle's allocator, and memory handed out to the
 * caller (freed by inc_free()). */
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

#include "util/version.h"

static const inc_allocator allocator_defaults = INC_ALLOCATOR_INIT;
INC__VSTRUCT(allocator_v, inc_allocator, "allocator", &allocator_defaults, INC_ALLOCATOR_VERSION,
             sizeof(inc_allocator));

INC_API int inc_allocator_init(inc_allocator *alloc, unsigned int version)
{
    return inc__vstruct_init(&allocator_v, alloc, version);
}

static void *default_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *default_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void default_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static const inc_allocator default_allocator = {INC_ALLOCATOR_VERSION, default_malloc,
                                                default_realloc, default_free, NULL};

int inc__alloc_init(inc_allocator *dst, const inc_allocator *src)
{
    inc_allocator a;
    int rc;

    if (dst == NULL)
        return INC_EINVAL;
    if (src == NULL) {
        *dst = default_allocator;
        return INC_OK;
    }
    if ((rc = inc__vstruct_read(&allocator_v, &a, src, NULL)) != INC_OK)
        return rc;
    if (a.malloc_fn == NULL || a.realloc_fn == NULL || a.free_fn == NULL)
        return INC_EINVAL;
    *dst = a;
    return INC_OK;
}

/* A NULL allocator means the C library's, so internal helpers that run
 * before a handle exists (parsers) still have somewhere to allocate. */
static const inc_allocator *pick(const inc_allocator *a)
{
    return a != NULL ? a : &default_allocator;
}

void *inc__malloc(const inc_allocator *a, size_t size)
{
    a = pick(a);
    /* malloc(0) may legally return NULL, which would look like a failure. */
    return a->malloc_fn(a->user, size == 0 ? 1 : size);
}

void *inc__calloc(const inc_allocator *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = inc__malloc(a, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *inc__realloc(const inc_allocator *a, void *ptr, size_t size)
{
    a = pick(a);
    if (ptr == NULL)
        return inc__malloc(a, size);
    return a->realloc_fn(a->user, ptr, size == 0 ? 1 : size);
}

void inc__free(const inc_allocator *a, void *ptr)
{
    if (ptr == NULL)
        return;
    a = pick(a);
    a->free_fn(a->user, ptr);
}

char *inc__strndup(const inc_allocator *a, const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    char *p = inc__malloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *inc__strdup(const inc_allocator *a, const char *s)
{
    if (s == NULL)
        return NULL;
    return inc__strndup(a, s, strlen(s));
}

int inc__array_reserve(const inc_allocator *a, void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return INC_OK;
    size_t ncap = *cap != 0 ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return INC_ENOMEM;
        ncap *= 2;
    }
    if (elem != 0 && ncap > SIZE_MAX / elem)
        return INC_ENOMEM;
    void *p = inc__realloc(a, *arr, ncap * elem);
    if (p == NULL)
        return INC_ENOMEM;
    *arr = p;
    *cap = ncap;
    return INC_OK;
}

/* ---- memory handed to the caller ---- */

void *inc__out_from_block(void *block, const inc_allocator *a)
{
    inc__out_header *h = block;
    h->alloc = *pick(a);
    return (char *)block + sizeof(inc__out_header);
}

void *inc__out_alloc(const inc_allocator *a, size_t size)
{
    if (size > SIZE_MAX - sizeof(inc__out_header))
        return NULL;
    void *block = inc__malloc(a, sizeof(inc__out_header) + size);
    if (block == NULL)
        return NULL;
    return inc__out_from_block(block, a);
}

char *inc__out_strndup(const inc_allocator *a, const char *s, size_t n)
{
    if (s == NULL || n == SIZE_MAX)
        return NULL;
    char *p = inc__out_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

INC_API void inc_free(void *ptr)
{
    if (ptr == NULL)
        return;
    inc__out_header *h = (inc__out_header *)((char *)ptr - sizeof(inc__out_header));
    /* Copy first: the allocator struct lives inside the block being freed. */
    inc_allocator a = h->alloc;
    a.free_fn(a.user, h);
}
