/* Findings lists (ROLE-11): the one result type of every check. A list owns
 * a copy of its allocator and keeps every string in its own arena, so it
 * outlives the handle the check ran on and frees in one call. */
#include <stdarg.h>
#include <string.h>

#include "findings_internal.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

struct inc_findings {
    inc_allocator alloc; /* the arena and buffer point at this copy */
    inc__arena arena;    /* the findings' strings */
    inc_finding *items;
    size_t count;
    size_t cap;
    inc__buf scratch; /* message formatting, reused */
};

/* Lists are small: a few findings of a few hundred bytes each. */
#define FINDINGS_CHUNK 4096

int inc__findings_new(const inc_allocator *a, inc_findings **out)
{
    inc_findings *l = inc__calloc(a, 1, sizeof(*l));
    if (!l)
        return INC_ENOMEM;
    l->alloc = *a;
    inc__arena_init(&l->arena, &l->alloc, FINDINGS_CHUNK);
    inc__buf_init(&l->scratch, &l->alloc);
    *out = l;
    return INC_OK;
}

void inc__finding_init(inc_finding *f, const char *rule_id)
{
    memset(f, 0, sizeof(*f));
    f->rule_id = rule_id;
    f->level_index = INC_FINDING_NO_LEVEL;
    f->roles[0] = f->roles[1] = INC_ROLE_COUNT;
    f->since = INC_TIME_NONE;
    f->slot = -1;
}

void inc__finding_person(inc_finding *f, const char *person)
{
    if (f->people_count < 2)
        f->people[f->people_count++] = person;
}

void inc__finding_role(inc_finding *f, inc_role role)
{
    if (f->role_count < 2)
        f->roles[f->role_count++] = role;
    f->role_mask |= INC_ROLE_BIT(role);
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copy @s to @dst (already sized by str_size) and return the copy. */
static const char *put_str(char **dst, const char *s)
{
    size_t n = str_size(s);
    char *copy = *dst;
    if (!s)
        return NULL;
    memcpy(copy, s, n);
    *dst += n;
    return copy;
}

int inc__findings_add(inc_findings *list, const inc_finding *f, const char *fmt, ...)
{
    inc_finding *item;
    va_list ap;
    size_t need, i;
    char *space;
    int rc;

    inc__buf_clear(&list->scratch);
    va_start(ap, fmt);
    rc = inc__buf_vprintf(&list->scratch, fmt, ap);
    va_end(ap);
    if (rc == INC_OK)
        rc = inc__buf_putc(&list->scratch, '\0'); /* an empty message still has a byte */
    if (rc != INC_OK)
        return rc;
    need = list->scratch.len + str_size(f->rule_id) + str_size(f->level);
    for (i = 0; i < f->people_count; i++)
        need += str_size(f->people[i]);
    if (inc__array_reserve(&list->alloc, (void **)&list->items, &list->cap, list->count + 1,
                           sizeof(*list->items)) != INC_OK ||
        !(space = inc__arena_reserve(&list->arena, need)))
        return INC_ENOMEM;
    /* Nothing below can fail: claim the space and fill the item. */
    space = inc__arena_take(&list->arena, need);
    item = &list->items[list->count++];
    *item = *f;
    item->message = put_str(&space, list->scratch.ptr);
    item->rule_id = put_str(&space, f->rule_id);
    item->level = put_str(&space, f->level);
    for (i = 0; i < f->people_count; i++)
        item->people[i] = put_str(&space, f->people[i]);
    return INC_OK;
}

size_t inc_findings_count(const inc_findings *list)
{
    return list ? list->count : 0;
}

const inc_finding *inc_findings_at(const inc_findings *list, size_t index)
{
    if (!list || index >= list->count)
        return NULL;
    return &list->items[index];
}

size_t inc_findings_count_rule(const inc_findings *list, const char *rule_id)
{
    size_t i, n = 0;
    if (!list || !rule_id)
        return 0;
    for (i = 0; i < list->count; i++)
        if (list->items[i].rule_id && strcmp(list->items[i].rule_id, rule_id) == 0)
            n++;
    return n;
}

int inc_findings_render(const inc_findings *list, char **out, size_t *len)
{
    inc__buf b;
    size_t i;

    if (!list || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, &list->alloc);
    for (i = 0; i < list->count; i++) {
        const inc_finding *f = &list->items[i];
        inc__buf_puts(&b, f->message);
        if (f->level)
            inc__buf_printf(&b, " [%s]", f->level);
        inc__buf_putc(&b, '\n');
    }
    return inc__buf_detach(&b, out, len);
}

void inc_findings_free(inc_findings *list)
{
    if (!list)
        return;
    inc__buf_dispose(&list->scratch);
    inc__arena_dispose(&list->arena);
    inc__free(&list->alloc, list->items);
    inc__free(&list->alloc, list);
}
