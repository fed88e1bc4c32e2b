/* Finding incidents across a store (issue 21): the filters of an
 * inc_incident_query applied to each incident's summary from the store
 * scan (store_scan.c: one pass, no incident handle opened, unchanged
 * incidents from the journal's SUMMARY file), the matches copied into the
 * list's arena, then sorted and cut to the limit. */
#include <stdlib.h>
#include <string.h>

#include "incident/incident_list.h"
#include "incident_internal.h"
#include "util/arena.h"
#include "util/text.h"

/* A custom field's name and value limits (lib/docs/rubric-format.md, "Custom
 * fields"; the rubric's own constants are private to lib/rubric/). */
#define FIELD_NAME_MAX  32
#define FIELD_VALUE_MAX 255

struct inc_incident_list {
    inc_allocator alloc; /* a copy: the list outlives the context's calls */
    inc__arena arena;    /* the entries' strings */
    inc_incident_entry *v;
    size_t n, cap, total;
    const char **unreadable; /* in the arena */
    size_t unreadable_n, unreadable_cap;
};

typedef struct list_run {
    inc_incident_list *list;
    const inc_incident_query *q;
    const inc_rubric *rubric;            /* the context's: level indexes */
    char title[INC_QUERY_TITLE_MAX + 1]; /* the title filter, lower-cased */
} list_run;

/* ---- filters -------------------------------------------------------------------- */

/* @needle (lower case) in @hay, ignoring ASCII case. */
static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && inc__ascii_lower(hay[i]) == needle[i])
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static int holds(const inc__pm_summary *s, int role, const char *person)
{
    size_t i;
    if ((role == INC_ROLE_ANY || role == INC_ROLE_IC) && strcmp(s->ic, person) == 0)
        return 1;
    for (i = 0; i < s->holder_count; i++)
        if ((role == INC_ROLE_ANY || (int)s->holders[i].role == role) &&
            strcmp(s->holders[i].person, person) == 0)
            return 1;
    return 0;
}

static int field_is(const inc__pm_summary *s, const char *name, const char *value)
{
    size_t i;
    for (i = 0; i < s->field_count; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return strcmp(s->fields[i].value, value) == 0;
    return 0;
}

static int matches(const list_run *r, const inc__pm_summary *s)
{
    const inc_incident_query *q = r->q;
    if (q->states && !(q->states & (1u << s->state)))
        return 0;
    if ((q->drills == INC_DRILLS_EXCLUDED && s->drill) ||
        (q->drills == INC_DRILLS_ONLY && !s->drill))
        return 0;
    if (q->since != INC_TIME_NONE && (s->declared_at == INC_TIME_NONE || s->declared_at < q->since))
        return 0;
    if (q->until != INC_TIME_NONE &&
        (s->declared_at == INC_TIME_NONE || s->declared_at >= q->until))
        return 0;
    if (q->level && inc__ascii_casecmp(q->level, s->severity) != 0)
        return 0;
    if (q->holder && !holds(s, q->role, q->holder))
        return 0;
    if (q->field && !field_is(s, q->field, q->field_value))
        return 0;
    return !q->title || contains(s->title, r->title);
}

/* ---- the entries ---------------------------------------------------------------- */

/* Copy a string into the list's arena (NULL stays NULL). */
#define DUP(dst, src)                                                                              \
    do {                                                                                           \
        if ((src) && !((dst) = inc__arena_strndup(&l->arena, (src), strlen(src))))                 \
            return INC_ENOMEM;                                                                     \
    } while (0)

static int level_of(const inc_rubric *r, const char *severity)
{
    size_t i;
    return inc_rubric_get_level_index(r, severity, &i) == INC_OK && i <= 0x7fffffff ? (int)i : -1;
}

static int add_entry(inc_incident_list *l, const list_run *r, const inc__pm_summary *s)
{
    inc_incident_entry *e;
    if (inc__array_reserve(&l->alloc, (void **)&l->v, &l->cap, l->n + 1, sizeof(*e)) != INC_OK)
        return INC_ENOMEM;
    e = &l->v[l->n];
    memset(e, 0, sizeof(*e));
    DUP(e->id, s->id);
    DUP(e->title, s->title);
    DUP(e->severity, s->severity);
    DUP(e->ic, s->ic);
    DUP(e->declarer, s->declarer);
    DUP(e->channel, s->channel);
    DUP(e->duplicate_of, s->duplicate_of);
    e->level = level_of(r->rubric, s->severity);
    e->state = s->state;
    e->drill = s->drill;
    e->declared_at = s->declared_at;
    e->resolved_at = s->resolved_at;
    e->last_seq = s->last_seq;
    e->reopen_count = s->reopen_count;
    l->n++;
    return INC_OK;
}

static int on_incident(void *user, const inc__pm_summary *s)
{
    list_run *r = user;
    return matches(r, s) ? add_entry(r->list, r, s) : INC_OK;
}

static int on_unreadable(void *user, const char *id, int rc, const inc_error *err)
{
    inc_incident_list *l = ((list_run *)user)->list;
    const char *copy;
    (void)rc;
    (void)err;
    if (inc__array_reserve(&l->alloc, (void **)&l->unreadable, &l->unreadable_cap,
                           l->unreadable_n + 1, sizeof(*l->unreadable)) != INC_OK ||
        !(copy = inc__arena_strndup(&l->arena, id, strlen(id))))
        return INC_ENOMEM;
    l->unreadable[l->unreadable_n++] = copy;
    return INC_OK;
}

/* ---- sorting -------------------------------------------------------------------- */

static int cmp_int64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* Known levels by index, then unknown ones by name. */
static int cmp_level(const inc_incident_entry *a, const inc_incident_entry *b)
{
    if (a->level >= 0 && b->level >= 0)
        return cmp_int64(a->level, b->level);
    if (a->level >= 0 || b->level >= 0)
        return a->level >= 0 ? -1 : 1;
    return strcmp(a->severity, b->severity);
}

static int cmp_key(const inc_incident_entry *a, const inc_incident_entry *b, int sort)
{
    switch (sort) {
    case INC_SORT_DECLARED:
        return cmp_int64(a->declared_at, b->declared_at);
    case INC_SORT_LEVEL:
        return cmp_level(a, b);
    case INC_SORT_STATE:
        return cmp_int64(a->state, b->state);
    case INC_SORT_TITLE:
        return inc__ascii_casecmp(a->title, b->title);
    default:
        return 0;
    }
}

/* qsort has no user pointer: one comparator per key and direction (ties by
 * id ascending, except for the id itself reversed). */
#define BY(name, key, sign)                                                                        \
    static int name(const void *x, const void *y)                                                  \
    {                                                                                              \
        const inc_incident_entry *a = x, *b = y;                                                   \
        int c = (sign)*cmp_key(a, b, key);                                                         \
        return c ? c : (key == INC_SORT_ID ? (sign) : 1) * strcmp(a->id, b->id);                   \
    }
BY(by_id, INC_SORT_ID, 1)
BY(by_id_desc, INC_SORT_ID, -1)
BY(by_declared, INC_SORT_DECLARED, 1)
BY(by_declared_desc, INC_SORT_DECLARED, -1)
BY(by_level, INC_SORT_LEVEL, 1)
BY(by_level_desc, INC_SORT_LEVEL, -1)
BY(by_state, INC_SORT_STATE, 1)
BY(by_state_desc, INC_SORT_STATE, -1)
BY(by_title, INC_SORT_TITLE, 1)
BY(by_title_desc, INC_SORT_TITLE, -1)

static int (*const comparators[][2])(const void *, const void *) = {{by_id, by_id_desc},
                                                                    {by_declared, by_declared_desc},
                                                                    {by_level, by_level_desc},
                                                                    {by_state, by_state_desc},
                                                                    {by_title, by_title_desc}};

/* ---- the query ------------------------------------------------------------------ */

static const inc_incident_query incident_query_defaults = INC_INCIDENT_QUERY_INIT;
INC__VSTRUCT(incident_query_v, inc_incident_query, "incident query", &incident_query_defaults,
             INC_INCIDENT_QUERY_VERSION, sizeof(inc_incident_query));

int inc_incident_query_init(inc_incident_query *query, unsigned int version)
{
    return inc__vstruct_init(&incident_query_v, query, version);
}

static int check_line(inc_error *err, const char *what, const char *s, size_t max)
{
    return s ? inc__check_text(err, what, s, max, INC__TEXT_SINGLE_LINE) : INC_OK;
}

/* A field the rubric declares, or INC_ENOTFOUND. */
static int check_field(inc_error *err, const inc_rubric *r, const char *name)
{
    inc_rubric_field f;
    size_t i;
    for (i = 0; i < inc_rubric_field_count(r); i++)
        if (inc_rubric_get_field(r, i, &f) == INC_OK && strcmp(f.name, name) == 0)
            return INC_OK;
    return inc_error_set(err, INC_ENOTFOUND,
                         "field '%s': the rubric in force (%s) does not declare it (RUB-6)", name,
                         inc_rubric_name(r));
}

static int check_level(inc_error *err, const inc_rubric *r, const char *name)
{
    size_t i;
    for (i = 0; i < inc_rubric_level_count(r); i++)
        if (inc__ascii_casecmp(inc_rubric_level_name(r, i), name) == 0)
            return INC_OK;
    return inc_error_set(err, INC_ENOTFOUND,
                         "level '%s': the rubric in force (%s) has no such level", name,
                         inc_rubric_name(r));
}

static int check_query(inc_error *err, const inc_rubric *r, const inc_incident_query *q)
{
    int rc;
    if (q->states & ~((1u << (INC_STATE_CLOSED + 1)) - 1))
        return inc_error_set(err, INC_EINVAL, "states: 0x%x has bits past closed", q->states);
    if (q->drills < INC_DRILLS_INCLUDED || q->drills > INC_DRILLS_ONLY)
        return inc_error_set(err, INC_EINVAL, "drills: %d is not a drill filter", q->drills);
    if (q->sort < INC_SORT_ID || q->sort > INC_SORT_TITLE)
        return inc_error_set(err, INC_EINVAL, "sort: %d is not a sort key", q->sort);
    if (q->role != INC_ROLE_ANY && (q->role < 0 || q->role >= INC_ROLE_COUNT))
        return inc_error_set(err, INC_EINVAL, "role: %d is not a role", q->role);
    if (q->role != INC_ROLE_ANY && !q->holder)
        return inc_error_set(err, INC_EINVAL, "role: a role filter needs its holder");
    if (q->since != INC_TIME_NONE && q->until != INC_TIME_NONE && q->until < q->since)
        return inc_error_set(err, INC_EINVAL, "until: the time range ends before it starts");
    if (!q->field != !q->field_value)
        return inc_error_set(err, INC_EINVAL, "field: a field filter needs a name and a value");
    if ((rc = check_line(err, "holder", q->holder, INC_NAME_MAX)) != INC_OK ||
        (rc = check_line(err, "level", q->level, INC_LEVEL_NAME_MAX)) != INC_OK ||
        (rc = check_line(err, "field", q->field, FIELD_NAME_MAX)) != INC_OK ||
        (rc = check_line(err, "field value", q->field_value, FIELD_VALUE_MAX)) != INC_OK ||
        (rc = check_line(err, "title", q->title, INC_QUERY_TITLE_MAX)) != INC_OK)
        return rc;
    if (q->level && (rc = check_level(err, r, q->level)) != INC_OK)
        return rc;
    return q->field ? check_field(err, r, q->field) : INC_OK;
}

static void sort_and_cut(inc_incident_list *l, const inc_incident_query *q)
{
    l->total = l->n;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), comparators[q->sort][q->descending != 0]);
    if (q->limit && l->n > q->limit)
        l->n = q->limit;
}

static int run_query(inc_context *ctx, const inc_incident_query *query, int skipping,
                     inc_incident_list **out)
{
    inc_incident_query q;
    inc_incident_list *l;
    list_run r;
    size_t i;
    int rc;

    if (!ctx || !out)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "incident list: NULL argument")
                   : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&ctx->err);
    if ((rc = inc__vstruct_read(&incident_query_v, &q, query, &ctx->err)) != INC_OK)
        return rc;
    memset(&r, 0, sizeof(r));
    r.rubric = inc_context_rubric(ctx);
    if ((rc = check_query(&ctx->err, r.rubric, &q)) != INC_OK)
        return rc;
    for (i = 0; q.title && q.title[i]; i++)
        r.title[i] = inc__ascii_lower(q.title[i]);
    if (!(l = inc__calloc(&ctx->alloc, 1, sizeof(*l))))
        return inc__error_oom(&ctx->err);
    l->alloc = ctx->alloc;
    inc__arena_init(&l->arena, &l->alloc, 0);
    r.list = l;
    r.q = &q;
    rc = inc__pm_scan_skipping(ctx, on_incident, skipping ? on_unreadable : NULL, &r, &ctx->err);
    if (rc == INC_ENOMEM)
        inc__error_oom(&ctx->err);
    if (rc != INC_OK) {
        inc_incident_list_free(l);
        return rc;
    }
    sort_and_cut(l, &q);
    *out = l;
    return INC_OK;
}

int inc_incident_list_query(inc_context *ctx, const inc_incident_query *query,
                            inc_incident_list **out)
{
    return run_query(ctx, query, 0, out);
}

int inc_incident_list_query_skipping(inc_context *ctx, const inc_incident_query *query,
                                     inc_incident_list **out)
{
    return run_query(ctx, query, 1, out);
}

size_t inc_incident_list_count(const inc_incident_list *list)
{
    return list ? list->n : 0;
}

size_t inc_incident_list_total(const inc_incident_list *list)
{
    return list ? list->total : 0;
}

const inc_incident_entry *inc_incident_list_at(const inc_incident_list *list, size_t index)
{
    return list && index < list->n ? &list->v[index] : NULL;
}

size_t inc_incident_list_unreadable_count(const inc_incident_list *list)
{
    return list ? list->unreadable_n : 0;
}

const char *inc_incident_list_unreadable(const inc_incident_list *list, size_t index)
{
    return list && index < list->unreadable_n ? list->unreadable[index] : NULL;
}

void inc_incident_list_free(inc_incident_list *list)
{
    inc_allocator a;
    if (!list)
        return;
    a = list->alloc;
    inc__arena_dispose(&list->arena);
    inc__free(&a, list->v);
    inc__free(&a, (void *)list->unreadable);
    inc__free(&a, list);
}

/* ---- sort names ----------------------------------------------------------------- */

static const char *const sort_names[] = {"id", "declared", "level", "state", "title"};

const char *inc_incident_sort_name(inc_incident_sort sort)
{
    return (unsigned)sort < sizeof(sort_names) / sizeof(*sort_names) ? sort_names[sort] : NULL;
}

int inc_incident_sort_from_name(const char *name, inc_incident_sort *out)
{
    size_t i;
    if (!name || !out)
        return INC_EINVAL;
    for (i = 0; i < sizeof(sort_names) / sizeof(*sort_names); i++)
        if (strcmp(name, sort_names[i]) == 0) {
            *out = (inc_incident_sort)i;
            return INC_OK;
        }
    return INC_ENOTFOUND;
}
