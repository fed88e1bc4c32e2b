/* A chunked arena whose blocks never move, so pointers into it stay valid
 * for the arena's life. Writing is two-step: inc__arena_reserve() makes room
 * (the only step that can fail), inc__arena_take() claims it (cannot fail).
 * The incident keeps its events here, and reserving before the store append
 * is what lets applying an event never fail after it was stored. */
#ifndef INC_UTIL_ARENA_H
#define INC_UTIL_ARENA_H

#include "incident/common.h"

typedef struct inc__arena_chunk inc__arena_chunk;

typedef struct inc__arena {
    inc__arena_chunk *head; /* newest chunk first */
    const inc_allocator *alloc;
    size_t chunk_size;
} inc__arena;

void inc__arena_init(inc__arena *ar, const inc_allocator *a, size_t chunk_size);
void inc__arena_dispose(inc__arena *ar);
/* Room for @n bytes (8-byte aligned); returns where they will go, or NULL. */
void *inc__arena_reserve(inc__arena *ar, size_t n);
/* Claim the @n bytes last reserved; returns the same pointer. */
void *inc__arena_take(inc__arena *ar, size_t n);
/* Reserve and take @n bytes in one step (where nothing else must be made
 * ready first), or NULL. */
void *inc__arena_alloc(inc__arena *ar, size_t n);
/* A NUL-terminated copy of the @n bytes at @s, or NULL when out of memory. */
char *inc__arena_strndup(inc__arena *ar, const char *s, size_t n);

#endif
