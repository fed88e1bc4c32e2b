/* String-keyed hash map: open addressing with linear probing, FNV-1a hash,
 * tombstones for removal, load factor at most 3/4 (tombstones included). */
#include "util/map.h"

#include <string.h>

#include "util/alloc.h"

/* A removed slot: key points at this constant (never written through), so
 * lookups keep probing past it while inserts may reuse it. */
static const char tombstone[1] = "";
#define TOMB ((char *)tombstone)

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void inc__map_init(inc__map *m, const inc_allocator *a)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    m->tombstones = 0;
    m->alloc = a;
}

void inc__map_dispose(inc__map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key != NULL && m->slots[i].key != TOMB)
            inc__free(m->alloc, m->slots[i].key);
    inc__free(m->alloc, m->slots);
    inc__map_init(m, m->alloc);
}

/* Slot holding @key, or NULL. */
static inc__map_entry *find(const inc__map *m, const char *key, uint64_t h)
{
    if (m->cap == 0)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        inc__map_entry *e = &m->slots[i];
        if (e->key == NULL)
            return NULL;
        if (e->key != TOMB && e->hash == h && strcmp(e->key, key) == 0)
            return e;
    }
}

/* First free slot (empty or tombstone) for hash @h; the table has room. */
static inc__map_entry *free_slot(inc__map_entry *slots, size_t cap, uint64_t h)
{
    size_t mask = cap - 1;
    size_t i = (size_t)h & mask;
    while (slots[i].key != NULL && slots[i].key != TOMB)
        i = (i + 1) & mask;
    return &slots[i];
}

static int fits(size_t used, size_t cap)
{
    return used <= cap / 4 * 3;
}

int inc__map_reserve(inc__map *m, size_t n)
{
    if (n > SIZE_MAX / 2 - m->count)
        return INC_ENOMEM;
    if (m->cap != 0 && fits(m->count + m->tombstones + n, m->cap))
        return INC_OK;
    size_t ncap = 16;
    while (!fits(m->count + n, ncap)) {
        if (ncap > SIZE_MAX / 2 / sizeof(inc__map_entry))
            return INC_ENOMEM;
        ncap *= 2;
    }
    inc__map_entry *slots = inc__calloc(m->alloc, ncap, sizeof *slots);
    if (slots == NULL)
        return INC_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        inc__map_entry *e = &m->slots[i];
        if (e->key != NULL && e->key != TOMB)
            *free_slot(slots, ncap, e->hash) = *e;
    }
    inc__free(m->alloc, m->slots);
    m->slots = slots;
    m->cap = ncap;
    m->tombstones = 0;
    return INC_OK;
}

void *inc__map_get(const inc__map *m, const char *key)
{
    inc__map_entry *e = find(m, key, fnv1a(key));
    return e != NULL ? e->value : NULL;
}

int inc__map_put(inc__map *m, const char *key, void *value)
{
    uint64_t h = fnv1a(key);
    inc__map_entry *e = find(m, key, h);
    if (e != NULL) {
        e->value = value;
        return INC_OK;
    }
    char *copy = inc__strdup(m->alloc, key);
    if (copy == NULL)
        return INC_ENOMEM;
    if (inc__map_reserve(m, 1) != INC_OK) {
        inc__free(m->alloc, copy);
        return INC_ENOMEM;
    }
    e = free_slot(m->slots, m->cap, h);
    if (e->key == TOMB)
        m->tombstones--;
    e->key = copy;
    e->value = value;
    e->hash = h;
    m->count++;
    return INC_OK;
}

void *inc__map_remove(inc__map *m, const char *key)
{
    inc__map_entry *e = find(m, key, fnv1a(key));
    if (e == NULL)
        return NULL;
    void *old = e->value;
    inc__free(m->alloc, e->key);
    e->key = TOMB;
    e->value = NULL;
    m->count--;
    m->tombstones++;
    return old;
}

int inc__map_next(const inc__map *m, size_t *pos, const char **key, void **value)
{
    for (size_t i = *pos; i < m->cap; i++) {
        const inc__map_entry *e = &m->slots[i];
        if (e->key != NULL && e->key != TOMB) {
            if (key != NULL)
                *key = e->key;
            if (value != NULL)
                *value = e->value;
            *pos = i + 1;
            return 1;
        }
    }
    *pos = m->cap;
    return 0;
}
