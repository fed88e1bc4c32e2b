#include <string.h>

#include "arena.h"
#include "alloc.h"

struct inc__arena_chunk {
    inc__arena_chunk *next;
    size_t size;
    size_t used;
    /* data follows, max-aligned */
};

#define CHUNK_HEADER ((sizeof(inc__arena_chunk) + 15u) & ~(size_t)15u)

static size_t align8(size_t n)
{
    return (n + 7u) & ~(size_t)7u;
}

void inc__arena_init(inc__arena *ar, const inc_allocator *a, size_t chunk_size)
{
    ar->head = NULL;
    ar->alloc = a;
    ar->chunk_size = chunk_size ? chunk_size : 65536;
}

void inc__arena_dispose(inc__arena *ar)
{
    inc__arena_chunk *c = ar->head;
    while (c) {
        inc__arena_chunk *next = c->next;
        inc__free(ar->alloc, c);
        c = next;
    }
    ar->head = NULL;
}

void *inc__arena_reserve(inc__arena *ar, size_t n)
{
    inc__arena_chunk *c = ar->head;
    size_t size;

    n = align8(n ? n : 1);
    if (c && c->size - c->used >= n)
        return (char *)c + CHUNK_HEADER + c->used;
    size = n > ar->chunk_size ? n : ar->chunk_size;
    if (size > SIZE_MAX - CHUNK_HEADER)
        return NULL;
    c = inc__malloc(ar->alloc, CHUNK_HEADER + size);
    if (!c)
        return NULL;
    c->size = size;
    c->used = 0;
    c->next = ar->head;
    ar->head = c;
    return (char *)c + CHUNK_HEADER;
}

void *inc__arena_take(inc__arena *ar, size_t n)
{
    inc__arena_chunk *c = ar->head;
    void *p = (char *)c + CHUNK_HEADER + c->used;
    c->used += align8(n ? n : 1);
    return p;
}

void *inc__arena_alloc(inc__arena *ar, size_t n)
{
    return inc__arena_reserve(ar, n) ? inc__arena_take(ar, n) : NULL;
}

char *inc__arena_strndup(inc__arena *ar, const char *s, size_t n)
{
    char *c = n < SIZE_MAX ? inc__arena_alloc(ar, n + 1) : NULL;
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}
