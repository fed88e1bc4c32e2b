/* A hash map from NUL-terminated string keys to pointers (open addressing,
 * FNV-1a). The map copies keys; values are the caller's. */
#ifndef INC_UTIL_MAP_H
#define INC_UTIL_MAP_H

#include "incident/common.h"

typedef struct inc__map_entry {
    char *key; /* NULL = empty slot */
    void *value;
    uint64_t hash;
} inc__map_entry;

typedef struct inc__map {
    inc__map_entry *slots;
    size_t cap; /* power of two, or 0 */
    size_t count;
    size_t tombstones;
    const inc_allocator *alloc;
} inc__map;

void inc__map_init(inc__map *m, const inc_allocator *a);
/* Frees the keys and slots; values are not touched. */
void inc__map_dispose(inc__map *m);
void *inc__map_get(const inc__map *m, const char *key);
/* Insert or replace. INC_OK or INC_ENOMEM (map unchanged). */
int inc__map_put(inc__map *m, const char *key, void *value);
/* Make room so the next @n puts of new keys do not grow the table (they
 * still copy the key, which can fail with INC_ENOMEM). */
int inc__map_reserve(inc__map *m, size_t n);
/* Remove; returns the old value or NULL. */
void *inc__map_remove(inc__map *m, const char *key);
/* Iterate: start with *pos = 0; returns 0 at the end. */
int inc__map_next(const inc__map *m, size_t *pos, const char **key, void **value);

#endif
