/* Action items across a store (PM-3): the list for the weekly review, by
 * owner, status and overdue, and its export as JSON an issue tracker can
 * take in (lib/docs/postmortem.md). Read with the store scan (store_scan.c):
 * one pass, no incident handle opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident_internal.h"
#include "util/arena.h"
#include "util/escape.h"
#include "util/json.h"
#include "util/text.h"
#include "util/time.h"

struct inc_action_list {
    inc_allocator alloc; /* a copy: the list outlives the context's calls */
    inc__arena arena;    /* the entries' strings */
    inc_action_entry *v;
    size_t n, cap;
};

typedef struct query_run {
    inc_action_list *list;
    const inc_action_query *q;
    inc_time now;
} query_run;

static int matches(const query_run *r, const inc__pm_summary *s, const inc_action_item *it)
{
    const inc_action_query *q = r->q;
    if (q->exclude_drills && s->drill)
        return 0;
    if (q->owner && inc__ascii_casecmp(q->owner, it->owner) != 0)
        return 0;
    if (q->status >= 0 && (int)it->status != q->status)
        return 0;
    return !q->overdue_only || inc_action_is_overdue(it, r->now);
}

/* Copy a string into the list's arena (NULL stays NULL). */
#define DUP(dst, src)                                                                              \
    do {                                                                                           \
        if ((src) && !((dst) = inc__arena_strndup(&l->arena, (src), strlen(src))))                 \
            return INC_ENOMEM;                                                                     \
    } while (0)

static int add_entry(inc_action_list *l, const inc__pm_summary *s, const inc_action_item *it,
                     inc_time now, const char **inc_strs)
{
    inc_action_entry *e;
    inc_action_item *c;

    if (inc__array_reserve(&l->alloc, (void **)&l->v, &l->cap, l->n + 1, sizeof(*e)) != INC_OK)
        return INC_ENOMEM;
    if (!inc_strs[0]) { /* the incident's strings, once per incident */
        DUP(inc_strs[0], s->id);
        DUP(inc_strs[1], s->title);
        DUP(inc_strs[2], s->severity);
    }
    e = &l->v[l->n];
    memset(e, 0, sizeof(*e));
    e->incident_id = inc_strs[0];
    e->incident_title = inc_strs[1];
    e->severity = inc_strs[2];
    e->drill = s->drill;
    e->overdue = inc_action_is_overdue(it, now);
    e->late_ms = e->overdue ? now - it->due : 0;
    c = &e->item;
    *c = *it;
    DUP(c->title, it->title);
    DUP(c->detail, it->detail);
    DUP(c->owner, it->owner);
    DUP(c->owner_override, it->owner_override);
    DUP(c->due_reason, it->due_reason);
    DUP(c->created_by, it->created_by);
    DUP(c->closed_by, it->closed_by);
    DUP(c->reason, it->reason);
    l->n++;
    return INC_OK;
}

static int on_incident(void *user, const inc__pm_summary *s)
{
    query_run *r = user;
    const char *inc_strs[3] = {NULL, NULL, NULL};
    size_t i;
    for (i = 0; i < s->item_count; i++)
        if (matches(r, s, &s->items[i].pub) &&
            add_entry(r->list, s, &s->items[i].pub, r->now, inc_strs) != INC_OK)
            return INC_ENOMEM;
    return 0;
}

static int by_due(const void *x, const void *y)
{
    const inc_action_entry *a = x, *b = y;
    int c;
    if (a->item.due != b->item.due)
        return a->item.due < b->item.due ? -1 : 1;
    if ((c = strcmp(a->incident_id, b->incident_id)) != 0)
        return c;
    return a->item.id < b->item.id ? -1 : a->item.id > b->item.id;
}

static const inc_action_query action_query_defaults = INC_ACTION_QUERY_INIT;
INC__VSTRUCT(action_query_v, inc_action_query, "action query", &action_query_defaults,
             INC_ACTION_QUERY_VERSION, sizeof(inc_action_query));

int inc_action_query_init(inc_action_query *query, unsigned int version)
{
    return inc__vstruct_init(&action_query_v, query, version);
}

int inc_action_list_query(inc_context *ctx, const inc_action_query *query, inc_action_list **out)
{
    inc_action_query q;
    inc_action_list *l;
    query_run r;
    int rc;

    if (!ctx || !out)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "actions: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&ctx->err);
    if ((rc = inc__vstruct_read(&action_query_v, &q, query, &ctx->err)) != INC_OK)
        return rc;
    query = &q;
    if (query->status < -1 || query->status > INC_ACTION_CANCELLED)
        return inc_error_set(&ctx->err, INC_EINVAL, "status: %d is not -1 or a status",
                             query->status);
    if (query->owner && (rc = inc__check_text(&ctx->err, "owner", query->owner, INC_NAME_MAX,
                                              INC__TEXT_SINGLE_LINE)) != INC_OK)
        return rc;
    if (!(l = inc__calloc(&ctx->alloc, 1, sizeof(*l))))
        return inc__error_oom(&ctx->err);
    l->alloc = ctx->alloc;
    inc__arena_init(&l->arena, &l->alloc, 0);
    r.list = l;
    r.q = query;
    r.now = query->now != INC_TIME_NONE ? query->now : inc_context_now(ctx);
    rc = inc__pm_scan(ctx, on_incident, &r, &ctx->err);
    if (rc == INC_ENOMEM)
        inc__error_oom(&ctx->err);
    if (rc != INC_OK) {
        inc_action_list_free(l);
        return rc;
    }
    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), by_due);
    *out = l;
    return INC_OK;
}

size_t inc_action_list_count(const inc_action_list *list)
{
    return list ? list->n : 0;
}

const inc_action_entry *inc_action_list_at(const inc_action_list *list, size_t index)
{
    return list && index < list->n ? &list->v[index] : NULL;
}

void inc_action_list_free(inc_action_list *list)
{
    inc_allocator a;
    if (!list)
        return;
    a = list->alloc;
    inc__arena_dispose(&list->arena);
    inc__free(&a, list->v);
    inc__free(&a, list);
}

/* ---- text ---------------------------------------------------------------------- */

/* @s escaped, then spaces up to @width bytes (printf's "%-20s"). */
static void put_padded(inc__buf *b, const char *s, size_t width)
{
    size_t start = b->len;
    inc__buf_puts_escaped(b, s, NULL);
    while (b->len - start < width && !b->failed)
        inc__buf_putc(b, ' ');
}

int inc_action_list_render(const inc_action_list *list, char **out, size_t *len)
{
    inc__buf b;
    size_t i, overdue = 0;

    if (!list || !out)
        return INC_EINVAL;
    *out = NULL;
    for (i = 0; i < list->n; i++)
        overdue += (size_t)list->v[i].overdue;
    inc__buf_init(&b, &list->alloc);
    inc__buf_printf(&b, "Action items: %zu (%zu overdue)\n", list->n, overdue);
    for (i = 0; i < list->n; i++) {
        const inc_action_entry *e = &list->v[i];
        char day[11], state[64], late[48];
        inc__date_format(e->item.due, day);
        if (e->overdue) {
            inc__duration_format(e->late_ms, late);
            snprintf(state, sizeof(state), "OVERDUE %s", late);
        } else {
            snprintf(state, sizeof(state), "%s", inc_action_status_name(e->item.status));
        }
        inc__buf_printf(&b, "%s  %-16s  P%d  ", day, state, e->item.priority);
        put_padded(&b, e->item.owner, 20);
        inc__buf_printf(&b, "  %s%s A%llu  ", e->incident_id, e->drill ? " [DRILL]" : "",
                        (unsigned long long)e->item.id);
        inc__buf_puts_escaped(&b, e->item.title, NULL);
        inc__buf_putc(&b, '\n');
    }
    return inc__buf_detach(&b, out, len);
}

/* ---- JSON for issue trackers ------------------------------------------------------ */

static void key(inc__buf *b, const char *k)
{
    inc__json_put_str(b, k);
    inc__buf_putc(b, ':');
}

static void str_member(inc__buf *b, const char *k, const char *v)
{
    inc__buf_putc(b, ',');
    key(b, k);
    if (v)
        inc__json_put_str(b, v);
    else
        inc__buf_puts(b, "null");
}

static void link_of(inc__buf *b, const char *prefix, const char *id)
{
    inc__buf_clear(b);
    inc__buf_puts(b, prefix ? prefix : "");
    inc__buf_puts(b, id);
}

static void export_entry(inc__buf *b, inc__buf *tmp, const inc_action_entry *e, const char *prefix)
{
    char day[11], when[32], prio[4];
    const inc_action_item *it = &e->item;

    inc__buf_putc(b, '{');
    key(b, "external_id");
    inc__buf_clear(tmp);
    inc__buf_printf(tmp, "%s#A%llu", e->incident_id, (unsigned long long)it->id);
    inc__json_put_str(b, tmp->failed ? "" : tmp->ptr);
    str_member(b, "title", it->title);
    link_of(tmp, prefix, e->incident_id);
    {
        const char *link = tmp->failed ? "" : tmp->ptr;
        inc__buf desc;
        inc__buf_init(&desc, b->alloc);
        inc__buf_printf(&desc, "%s%sAction item A%llu of incident %s (%s, %s)%s: %s", it->detail,
                        it->detail[0] ? "\n\n" : "", (unsigned long long)it->id, e->incident_id,
                        e->severity, e->incident_title, e->drill ? " [DRILL]" : "", link);
        if (desc.failed)
            b->failed = INC_ENOMEM;
        str_member(b, "description", desc.failed ? "" : desc.ptr);
        inc__buf_dispose(&desc);
    }
    str_member(b, "owner", it->owner);
    inc__date_format(it->due, day);
    str_member(b, "due_date", day);
    if (inc_time_format(it->due, when, sizeof(when)) != INC_OK)
        strcpy(when, "");
    str_member(b, "due", when);
    snprintf(prio, sizeof(prio), "P%d", it->priority);
    str_member(b, "priority", prio);
    str_member(b, "status", inc_action_status_name(it->status));
    inc__buf_puts(b, ",\"overdue\":");
    inc__json_put_bool(b, e->overdue);
    inc__buf_puts(b, ",\"labels\":[\"incident-action\",");
    inc__buf_clear(tmp);
    inc__buf_printf(tmp, "severity:%s", e->severity);
    inc__json_put_str(b, tmp->failed ? "" : tmp->ptr);
    if (e->drill)
        inc__buf_puts(b, ",\"drill\"");
    inc__buf_putc(b, ']');
    str_member(b, "incident_id", e->incident_id);
    str_member(b, "incident_title", e->incident_title);
    str_member(b, "severity", e->severity);
    inc__buf_puts(b, ",\"drill\":");
    inc__json_put_bool(b, e->drill);
    link_of(tmp, prefix, e->incident_id);
    str_member(b, "link", tmp->failed ? "" : tmp->ptr);
    inc__buf_putc(b, '}');
    if (tmp->failed)
        b->failed = INC_ENOMEM;
}

int inc_action_list_export_json(const inc_action_list *list, const char *link_prefix, char **out,
                                size_t *len)
{
    inc__buf b, tmp;
    size_t i;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if (!list || (link_prefix && (strlen(link_prefix) > 1024 ||
                                  !inc__utf8_valid(link_prefix, strlen(link_prefix)))))
        return INC_EINVAL;
    inc__buf_init(&b, &list->alloc);
    inc__buf_init(&tmp, &list->alloc);
    inc__buf_putc(&b, '[');
    for (i = 0; i < list->n; i++) {
        if (i)
            inc__buf_putc(&b, ',');
        export_entry(&b, &tmp, &list->v[i], link_prefix);
    }
    inc__buf_putc(&b, ']');
    inc__buf_dispose(&tmp);
    return inc__buf_detach(&b, out, len);
}
