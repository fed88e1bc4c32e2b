/* Incident metrics (MET-1) over a store or a time range, drills excluded
 * (DEC-4): MTTD, MTTA, MTTM, MTTR (mean, median, per level), counts per
 * level, action items completed on time, recurrence by root-cause tag and
 * pages per person. One pass over the store (store_scan.c); the definitions
 * are in incident/metrics.h. Rendering is in metrics_render.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incident_internal.h"
#include "metrics_internal.h"
#include "util/select.h"

/* ---- growing arrays and name tables --------------------------------------------- */

static int series_add(const inc_allocator *a, inc__series *s, int64_t v)
{
    if (inc__array_reserve(a, (void **)&s->v, &s->cap, s->n + 1, sizeof(int64_t)) != INC_OK)
        return INC_ENOMEM;
    s->v[s->n++] = v;
    return INC_OK;
}

/* The index of @name in @t, added when new (*added set). -1 on ENOMEM. */
static long names_index(const inc_allocator *a, inc__names *t, const char *name, int *added)
{
    void *v = inc__map_get(&t->map, name);
    char *copy;
    *added = 0;
    if (v)
        return (long)((uintptr_t)v - 1);
    if (inc__array_reserve(a, (void **)&t->v, &t->cap, t->n + 1, sizeof(char *)) != INC_OK ||
        inc__map_reserve(&t->map, 1) != INC_OK || !(copy = inc__strdup(a, name)))
        return -1;
    if (inc__map_put(&t->map, name, (void *)(uintptr_t)(t->n + 1)) != INC_OK) {
        inc__free(a, copy);
        return -1;
    }
    t->v[t->n] = copy;
    *added = 1;
    return (long)t->n++;
}

static void names_dispose(const inc_allocator *a, inc__names *t)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        inc__free(a, t->v[i]);
    inc__free(a, t->v);
    inc__map_dispose(&t->map);
}

/* Grow the per-level arrays to hold level @n - 1. */
static int levels_grow(inc_metrics *m)
{
    size_t n = m->levels.n, cap = m->level_cap;
    if (n <= cap)
        return INC_OK;
    if (inc__array_reserve(&m->alloc, (void **)&m->level_incidents, &cap, n, sizeof(size_t)) !=
        INC_OK)
        return INC_ENOMEM;
    cap = m->level_cap;
    if (inc__array_reserve(&m->alloc, (void **)&m->level_series, &cap, n,
                           sizeof(inc__series) * INC_METRIC_COUNT) != INC_OK)
        return INC_ENOMEM;
    memset(m->level_incidents + m->level_cap, 0, (cap - m->level_cap) * sizeof(size_t));
    memset(m->level_series + m->level_cap * INC_METRIC_COUNT, 0,
           (cap - m->level_cap) * INC_METRIC_COUNT * sizeof(inc__series));
    m->level_cap = cap;
    return INC_OK;
}

static int level_of(inc_metrics *m, const char *name, size_t *out)
{
    int added;
    long i = names_index(&m->alloc, &m->levels, name, &added);
    if (i < 0 || levels_grow(m) != INC_OK)
        return INC_ENOMEM;
    *out = (size_t)i;
    return INC_OK;
}

/* ---- one incident ---------------------------------------------------------------- */

typedef struct run {
    inc_metrics *m;
    inc_time from, to, now;
    int rc;
} run;

static int add_duration(inc_metrics *m, size_t level, inc_metric k, inc_time a, inc_time b)
{
    if (a == INC_TIME_NONE || b == INC_TIME_NONE || b < a)
        return INC_OK; /* (times are 0000..9999, as events and SUMMARY entries hold them: b - a
                          fits) */
    if (series_add(&m->alloc, &m->all[k], b - a) != INC_OK ||
        series_add(&m->alloc, &m->level_series[level * INC_METRIC_COUNT + k], b - a) != INC_OK)
        return INC_ENOMEM;
    return INC_OK;
}

static void count_actions(inc_metrics *m, const inc__pm_summary *s, inc_time now)
{
    size_t i, counted = 0;
    for (i = 0; i < s->item_count; i++) {
        const inc_action_item *it = &s->items[i].pub;
        switch (it->status) {
        case INC_ACTION_CANCELLED:
            m->actions.cancelled++;
            continue;
        case INC_ACTION_DONE:
            if (it->closed_at <= it->due)
                m->actions.on_time++;
            else
                m->actions.late++;
            break;
        default:
            if (now > it->due) {
                m->actions.late++;
                break;
            }
            m->actions.pending++;
            continue;
        }
        counted++;
    }
    m->actions.incidents += counted > 0;
}

static int count_pages(inc_metrics *m, const inc__pm_summary *s)
{
    size_t i, j;
    for (i = 0; i < s->paged_count; i++) {
        int added, seen = 0;
        long p = names_index(&m->alloc, &m->people, s->paged[i], &added);
        if (p < 0)
            return INC_ENOMEM;
        if (added) {
            size_t cap = m->people_cap;
            if (inc__array_reserve(&m->alloc, (void **)&m->person_pages, &cap, m->people.n,
                                   sizeof(size_t)) != INC_OK)
                return INC_ENOMEM;
            cap = m->people_cap;
            if (inc__array_reserve(&m->alloc, (void **)&m->person_incidents, &cap, m->people.n,
                                   sizeof(size_t)) != INC_OK)
                return INC_ENOMEM;
            m->people_cap = cap;
            m->person_pages[p] = m->person_incidents[p] = 0;
        }
        for (j = 0; j < i && !seen; j++)
            seen = strcmp(s->paged[j], s->paged[i]) == 0;
        m->person_pages[p]++;
        m->person_incidents[p] += !seen;
        m->pages++;
    }
    m->paged_incidents += s->paged_count > 0;
    return INC_OK;
}

/* Recurrence needs every tagged incident of the store in time order. */
static int note_tag(inc_metrics *m, const inc__pm_summary *s, int in_set)
{
    int added;
    long t;
    if (!s->tag)
        return INC_OK;
    if ((t = names_index(&m->alloc, &m->tags, s->tag, &added)) < 0 ||
        inc__array_reserve(&m->alloc, (void **)&m->tagged, &m->tagged_cap, m->tagged_n + 1,
                           sizeof(inc__tagged)) != INC_OK)
        return INC_ENOMEM;
    m->tagged[m->tagged_n].declared_at = s->declared_at;
    m->tagged[m->tagged_n].tag = (size_t)t;
    m->tagged[m->tagged_n].in_set = in_set;
    m->tagged[m->tagged_n].linked = s->recurrence_linked;
    m->tagged_n++;
    return INC_OK;
}

static int one(inc_metrics *m, const run *r, const inc__pm_summary *s)
{
    inc_time detect = s->detected != INC_TIME_NONE ? s->detected : s->declared_at;
    int in_range = (r->from == INC_TIME_NONE || s->declared_at >= r->from) &&
                   (r->to == INC_TIME_NONE || s->declared_at < r->to);
    size_t level;

    if (s->drill) {
        m->drills += in_range;
        return INC_OK;
    }
    if (s->duplicate) { /* LIFE-5: the pair counts once, as its primary */
        m->duplicates += in_range;
        return INC_OK;
    }
    if (note_tag(m, s, in_range) != INC_OK)
        return INC_ENOMEM;
    if (!in_range)
        return INC_OK;
    m->incidents++;
    m->untagged += s->tag == NULL && !s->recurrence_linked;
    m->linked += s->recurrence_linked;
    m->linked_untagged += s->tag == NULL && s->recurrence_linked;
    if (level_of(m, s->severity, &level) != INC_OK)
        return INC_ENOMEM;
    m->level_incidents[level]++;
    if (s->impact_started != INC_TIME_NONE &&
        add_duration(m, level, INC_METRIC_MTTD, s->impact_started, detect) != INC_OK)
        return INC_ENOMEM;
    if (add_duration(m, level, INC_METRIC_MTTA, s->first_page_at, s->first_ack_at) ||
        add_duration(m, level, INC_METRIC_MTTM, s->declared_at, s->mitigated_at) ||
        add_duration(m, level, INC_METRIC_MTTR, detect, s->resolved_at))
        return INC_ENOMEM;
    m->ever_resolved += s->resolved_at != INC_TIME_NONE || s->reopen_count > 0;
    m->reopened += s->reopen_count > 0;
    m->reopens += s->reopen_count;
    count_actions(m, s, r->now);
    return count_pages(m, s);
}

static int on_incident(void *user, const inc__pm_summary *s)
{
    run *r = user;
    if (one(r->m, r, s) != INC_OK) {
        r->rc = INC_ENOMEM;
        return 1;
    }
    return 0;
}

/* ---- finishing: medians, recurrence --------------------------------------------- */

static void stat_of(inc__series *s, inc_metric_stat *out)
{
    int64_t quotients = 0, remainders = 0, n = (int64_t)s->n;
    size_t i;
    out->incidents = s->n;
    out->mean_ms = out->median_ms = out->min_ms = out->max_ms = INC_DURATION_NONE;
    if (!s->n)
        return;
    out->min_ms = out->max_ms = s->v[0];
    for (i = 0; i < s->n; i++) {
        /* The mean as sum(v / n) + sum(v % n) / n: exact, and no sum of
         * durations (each >= 0) can overflow. */
        quotients += s->v[i] / n;
        remainders += s->v[i] % n;
        if (s->v[i] < out->min_ms)
            out->min_ms = s->v[i];
        if (s->v[i] > out->max_ms)
            out->max_ms = s->v[i];
    }
    out->mean_ms = quotients + remainders / n;
    out->median_ms = inc__select_i64(s->v, s->n, (s->n - 1) / 2); /* the lower median */
}

static int cmp_tagged(const void *x, const void *y)
{
    const inc__tagged *a = x, *b = y;
    return a->declared_at < b->declared_at ? -1 : a->declared_at > b->declared_at;
}

static int recurrence(inc_metrics *m)
{
    size_t n = m->tags.n, i;
    unsigned char *seen;

    if (!(m->tag_incidents = inc__calloc(&m->alloc, n ? n : 1, sizeof(size_t))) ||
        !(m->tag_recurring = inc__calloc(&m->alloc, n ? n : 1, sizeof(size_t))) ||
        !(m->tag_order = inc__calloc(&m->alloc, n ? n : 1, sizeof(size_t))) ||
        !(seen = inc__calloc(&m->alloc, n ? n : 1, 1)))
        return INC_ENOMEM;
    if (m->tagged_n > 1)
        qsort(m->tagged, m->tagged_n, sizeof(inc__tagged), cmp_tagged);
    for (i = 0; i < m->tagged_n; i++) {
        const inc__tagged *t = &m->tagged[i];
        if (t->in_set) {
            if (!m->tag_incidents[t->tag]++)
                m->tag_order[m->tag_shown++] = t->tag;
            m->tagged_in_set++;
            if (seen[t->tag])
                m->tag_recurring[t->tag]++;
            if (seen[t->tag] || t->linked) /* LIFE-5: a recurrence link counts too */
                m->recurring++;
        }
        seen[t->tag] = 1;
    }
    inc__free(&m->alloc, seen);
    return INC_OK;
}

static int cmp_people(const void *x, const void *y, const inc_metrics *m)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    if (m->person_pages[a] != m->person_pages[b])
        return m->person_pages[a] > m->person_pages[b] ? -1 : 1;
    return strcmp(m->people.v[a], m->people.v[b]);
}

/* Insertion sort: qsort has no context argument in C11, and the list of
 * people paged is short next to the incidents. */
static int people_order(inc_metrics *m)
{
    size_t n = m->people.n, i, j;
    if (!(m->person_order = inc__calloc(&m->alloc, n ? n : 1, sizeof(size_t))))
        return INC_ENOMEM;
    for (i = 0; i < n; i++) {
        size_t v = i;
        for (j = i; j > 0 && cmp_people(&v, &m->person_order[j - 1], m) < 0; j--)
            m->person_order[j] = m->person_order[j - 1];
        m->person_order[j] = v;
    }
    return INC_OK;
}

static int finish(inc_metrics *m)
{
    size_t l;
    int k;
    for (k = 0; k < INC_METRIC_COUNT; k++)
        stat_of(&m->all[k], &m->all_stat[k]);
    if (m->levels.n && !(m->level_stat = inc__calloc(&m->alloc, m->levels.n * INC_METRIC_COUNT,
                                                     sizeof(inc_metric_stat))))
        return INC_ENOMEM;
    for (l = 0; l < m->levels.n; l++)
        for (k = 0; k < INC_METRIC_COUNT; k++)
            stat_of(&m->level_series[l * INC_METRIC_COUNT + k],
                    &m->level_stat[l * INC_METRIC_COUNT + k]);
    m->actions.items = m->actions.on_time + m->actions.late;
    m->actions.rate = m->actions.items ? (double)m->actions.on_time / (double)m->actions.items : 0;
    m->actions.target_met = m->actions.items > 0 && m->actions.rate > 0.90;
    if (recurrence(m) != INC_OK || people_order(m) != INC_OK)
        return INC_ENOMEM;
    return INC_OK;
}

/* ---- the calls ----------------------------------------------------------------------- */

void inc_metrics_free(inc_metrics *m)
{
    inc_allocator a;
    size_t i;
    int k;
    if (!m)
        return;
    a = m->alloc;
    for (k = 0; k < INC_METRIC_COUNT; k++)
        inc__free(&a, m->all[k].v);
    for (i = 0; i < m->level_cap * INC_METRIC_COUNT && m->level_series; i++)
        inc__free(&a, m->level_series[i].v);
    inc__free(&a, m->level_series);
    inc__free(&a, m->level_incidents);
    inc__free(&a, m->level_stat);
    names_dispose(&a, &m->levels);
    names_dispose(&a, &m->tags);
    names_dispose(&a, &m->people);
    inc__free(&a, m->tagged);
    inc__free(&a, m->tag_incidents);
    inc__free(&a, m->tag_recurring);
    inc__free(&a, m->tag_order);
    inc__free(&a, m->person_pages);
    inc__free(&a, m->person_incidents);
    inc__free(&a, m->person_order);
    inc__free(&a, m);
}

/* The context's rubric orders the levels; other names follow as met. */
static int seed_levels(inc_metrics *m, const inc_rubric *r)
{
    size_t n = inc_rubric_level_count(r), i, level;
    for (i = 0; i < n; i++)
        if (level_of(m, inc_rubric_level_name(r, i), &level) != INC_OK)
            return INC_ENOMEM;
    return INC_OK;
}

static inc_metrics *metrics_new(inc_context *ctx)
{
    inc_metrics *m = inc__calloc(&ctx->alloc, 1, sizeof(*m));
    if (!m)
        return NULL;
    m->alloc = ctx->alloc;
    inc__map_init(&m->levels.map, &m->alloc);
    inc__map_init(&m->tags.map, &m->alloc);
    inc__map_init(&m->people.map, &m->alloc);
    return m;
}

static const inc_metrics_options metrics_options_defaults = INC_METRICS_OPTIONS_INIT;
INC__VSTRUCT(metrics_options_v, inc_metrics_options, "metrics options", &metrics_options_defaults,
             INC_METRICS_OPTIONS_VERSION, sizeof(inc_metrics_options));

int inc_metrics_options_init(inc_metrics_options *opts, unsigned int version)
{
    return inc__vstruct_init(&metrics_options_v, opts, version);
}

int inc_metrics_compute(inc_context *ctx, const inc_metrics_options *opts, inc_metrics **out)
{
    inc_metrics_options o;
    inc_metrics *m;
    run r;
    int rc;

    if (!ctx || !out)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "metrics: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&ctx->err);
    if ((rc = inc__vstruct_read(&metrics_options_v, &o, opts, &ctx->err)) != INC_OK)
        return rc;
    opts = &o;
    if (opts->from != INC_TIME_NONE && opts->to != INC_TIME_NONE && opts->from >= opts->to)
        return inc_error_set(&ctx->err, INC_EINVAL, "from: not before to");
    if (!(m = metrics_new(ctx)))
        return inc__error_oom(&ctx->err);
    m->from = r.from = opts->from;
    m->to = r.to = opts->to;
    m->now = r.now = opts->now != INC_TIME_NONE ? opts->now : inc_context_now(ctx);
    r.m = m;
    r.rc = INC_OK;
    rc = seed_levels(m, ctx->rubric);
    if (rc == INC_OK) {
        rc = inc__pm_scan(ctx, on_incident, &r, &ctx->err);
        if (rc == 1)
            rc = r.rc;
    }
    if (rc == INC_OK)
        rc = finish(m);
    if (rc != INC_OK) {
        inc_metrics_free(m);
        return rc == INC_ENOMEM ? inc__error_oom(&ctx->err) : rc;
    }
    *out = m;
    return INC_OK;
}
