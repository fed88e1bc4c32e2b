/* Rotation health (ONC-3), post-incident rest (ONC-4) and paging load
 * (ONC-5), as findings in the library's common shape. Every date and time
 * is in the rotation's zone, through the same conversions the hand-offs use,
 * so a night or a week across a daylight-saving change is what the people
 * on call lived through (a 7- or 9-hour night, a 167-hour week). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings_internal.h"
#include "internal.h"
#include "oncall_internal.h"
#include "util/alloc.h"
#include "util/time.h"

#define DAY_MS        INC__MS_PER_DAY
#define RANGE_MAX_MS  (3653LL * DAY_MS) /* ten years */
#define DEFAULT_RANGE (28LL * DAY_MS)
#define NIGHT_START   (22 * 60) /* ONC-4: 22:00-06:00 local */
#define NIGHT_END     (6 * 60)

struct check {
    const inc_rotation *rot;
    inc_oncall_check_options o;
    inc_findings *list;
    inc_time now;
};

static const inc_oncall_check_options oncall_check_options_defaults = INC_ONCALL_CHECK_OPTIONS_INIT;
INC__VSTRUCT(oncall_check_options_v, inc_oncall_check_options, "check options",
             &oncall_check_options_defaults, INC_ONCALL_CHECK_OPTIONS_VERSION,
             sizeof(inc_oncall_check_options));

int inc_oncall_check_options_init(inc_oncall_check_options *opts, unsigned int version)
{
    return inc__vstruct_init(&oncall_check_options_v, opts, version);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The local day (days since 1970-01-01) of @t in the rotation's zone. */
static int64_t local_day(const inc_rotation *rot, inc_time t)
{
    int64_t s = floor_div(t, 1000);
    return floor_div(s + inc__zone_offset(rot->zone, s), 86400);
}

static void day_text(int64_t day, char out[16])
{
    int64_t y;
    unsigned m, d;
    inc__civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

static int oom(const struct check *c)
{
    return inc__error_oom(inc__rotation_err(c->rot));
}

/* ---- ONC-3: team size --------------------------------------------------------- */

/* 1 if @name is among the rotation's people or its layers' before (list @l, index @i). */
static int seen_before(const inc_rotation *rot, size_t l, size_t i, const char *name)
{
    size_t a, b;
    for (a = 0; a <= l; a++) {
        char *const *v = a == 0 ? rot->people : rot->layers[a - 1].members;
        size_t n = a == l ? i : (a == 0 ? rot->count : rot->layers[a - 1].count);
        for (b = 0; b < n; b++)
            if (strcmp(v[b], name) == 0)
                return 1;
    }
    return 0;
}

static int check_team(struct check *c)
{
    const inc_rotation *rot = c->rot;
    size_t distinct = 0, i, l;
    inc_finding f;

    for (l = 0; l <= rot->layer_count; l++) { /* the rotation's people, then each layer's */
        char *const *v = l == 0 ? rot->people : rot->layers[l - 1].members;
        size_t n = l == 0 ? rot->count : rot->layers[l - 1].count;
        for (i = 0; i < n; i++)
            distinct += !seen_before(rot, l, i, v[i]);
    }
    if (distinct >= c->o.min_people)
        return INC_OK;
    inc__finding_init(&f, "ONC-3");
    f.value = (int64_t)distinct;
    return inc__findings_add(c->list, &f,
                             "ONC-3: rotation %s has %zu %s; a rotation needs at least %u so that "
                             "nobody is on call too often: add %zu more",
                             rot->name, distinct, distinct == 1 ? "person" : "people",
                             c->o.min_people, (size_t)c->o.min_people - distinct);
}

/* ---- ONC-3: turns ------------------------------------------------------------- */

/* One person's current run of consecutive periods on call. */
struct turn {
    const char *person;
    int64_t first_k, last_k;
    inc_time first_start, last_end;
};

struct turns {
    struct turn *t;
    size_t n, cap;
};

static int report_run(struct check *c, const struct turn *tr)
{
    char a[32], b[32];
    inc_finding f;
    int64_t len = tr->last_k - tr->first_k + 1;

    if (len <= (int64_t)c->o.max_consecutive)
        return INC_OK;
    inc__rotation_format_local(c->rot, tr->first_start, a);
    inc__rotation_format_local(c->rot, tr->last_end, b);
    inc__finding_init(&f, "ONC-3");
    inc__finding_person(&f, tr->person);
    f.since = tr->first_start;
    f.value = len;
    return inc__findings_add(c->list, &f,
                             "ONC-3: %s is on call for %lld consecutive periods of rotation %s, %s "
                             "to %s (%s); at most %u in a row: give one of these shifts to someone "
                             "else",
                             tr->person, (long long)len, c->rot->name, a, b, c->rot->zone->name,
                             c->o.max_consecutive);
}

static int report_gap(struct check *c, const struct turn *tr, int64_t k, inc_time start)
{
    char a[32], b[32];
    inc_finding f;
    int64_t gap = k - tr->last_k - 1;

    if (gap >= (int64_t)c->o.min_gap)
        return INC_OK;
    inc__rotation_format_local(c->rot, tr->last_end, a);
    inc__rotation_format_local(c->rot, start, b);
    inc__finding_init(&f, "ONC-3");
    inc__finding_person(&f, tr->person);
    f.since = tr->last_end;
    f.value = gap;
    return inc__findings_add(c->list, &f,
                             "ONC-3: %s has %lld period%s off between turns of rotation %s, %s to "
                             "%s (%s); at least %u are needed to rest: reorder the rotation or "
                             "swap a shift",
                             tr->person, (long long)gap, gap == 1 ? "" : "s", c->rot->name, a, b,
                             c->rot->zone->name, c->o.min_gap);
}

/* @person is on call in period k = [s, e). */
static int on_call(struct check *c, struct turns *ts, const char *person, int64_t k, inc_time s,
                   inc_time e)
{
    struct turn *tr = NULL;
    size_t i;
    int rc;

    for (i = 0; i < ts->n && !tr; i++)
        if (strcmp(ts->t[i].person, person) == 0)
            tr = &ts->t[i];
    if (tr && tr->last_k >= k)
        return INC_OK; /* seen in this period already (the other layer) */
    if (tr && tr->last_k == k - 1) {
        tr->last_k = k;
        tr->last_end = e;
        return INC_OK;
    }
    if (tr) {
        if ((rc = report_run(c, tr)) != INC_OK || (rc = report_gap(c, tr, k, s)) != INC_OK)
            return rc;
    } else {
        if (inc__array_reserve(&c->rot->alloc, (void **)&ts->t, &ts->cap, ts->n + 1,
                               sizeof(*ts->t)) != INC_OK)
            return INC_ENOMEM;
        tr = &ts->t[ts->n++];
        tr->person = person;
    }
    tr->first_k = tr->last_k = k;
    tr->first_start = s;
    tr->last_end = e;
    return INC_OK;
}

/* Both layers' stretches over the range; a layer with nobody is empty. */
static int layer_shifts(struct check *c, inc_layer layer, inc_shift **out, size_t *n)
{
    int rc = inc_rotation_shifts(c->rot, layer, c->o.from, c->o.to, out, n);
    if (rc == INC_ENOTFOUND) {
        *out = NULL;
        *n = 0;
        inc__error_clear(inc__rotation_err(c->rot));
        return INC_OK;
    }
    return rc;
}

static int check_turns(struct check *c)
{
    inc_shift *sh[INC_LAYER_COUNT] = {NULL, NULL};
    size_t n[INC_LAYER_COUNT] = {0, 0}, pos[INC_LAYER_COUNT] = {0, 0}, i;
    struct turns ts = {NULL, 0, 0};
    int64_t k, k_end;
    int rc, l;

    if ((rc = layer_shifts(c, INC_LAYER_PRIMARY, &sh[0], &n[0])) != INC_OK ||
        (rc = layer_shifts(c, INC_LAYER_SECONDARY, &sh[1], &n[1])) != INC_OK)
        goto done;
    k = inc__rotation_shift_at(c->rot, c->o.from, NULL, NULL);
    k_end = inc__rotation_shift_at(c->rot, c->o.to - 1, NULL, NULL);
    for (k = k < 0 ? 0 : k; rc == INC_OK && k <= k_end; k++) {
        inc_time s = inc__rotation_shift_start(c->rot, k),
                 e = inc__rotation_shift_start(c->rot, k + 1);
        for (l = 0; rc == INC_OK && l < INC_LAYER_COUNT; l++) {
            while (pos[l] < n[l] && sh[l][pos[l]].number < k)
                pos[l]++;
            for (i = pos[l]; rc == INC_OK && i < n[l] && sh[l][i].number == k; i++)
                rc = on_call(c, &ts, sh[l][i].person, k, s, e);
        }
    }
    for (i = 0; rc == INC_OK && i < ts.n; i++)
        rc = report_run(c, &ts.t[i]);
done:
    inc_free(sh[0]);
    inc_free(sh[1]);
    inc__free(&c->rot->alloc, ts.t);
    return rc == INC_ENOMEM ? oom(c) : rc;
}

/* ---- ONC-6: moments no layer covers, as ONC-3 findings ----------------------------- */

static const char *const plural_days[7] = {"Sundays",   "Mondays", "Tuesdays", "Wednesdays",
                                           "Thursdays", "Fridays", "Saturdays"};

/* "on Sundays 02:00-08:00 UTC" or "from Saturdays 22:00 to Sundays 06:00 UTC". */
static void gap_text(const inc_rotation *rot, inc_time a, inc_time b, char *out, size_t size)
{
    inc__tm ta, tb;
    int64_t da, db;
    inc__time_split(a + (inc_time)inc__zone_offset(rot->zone, floor_div(a, 1000)) * 1000, &ta);
    inc__time_split(b + (inc_time)inc__zone_offset(rot->zone, floor_div(b, 1000)) * 1000, &tb);
    da = local_day(rot, a);
    db = local_day(rot, b);
    if (db == da || (db == da + 1 && tb.hour == 0 && tb.minute == 0))
        snprintf(out, size, "on %s %02u:%02u-%02u:%02u %s", plural_days[ta.weekday], ta.hour,
                 ta.minute, db == da ? tb.hour : 24, tb.minute, rot->zone->name);
    else
        snprintf(out, size, "from %s %02u:%02u to %s %02u:%02u %s", plural_days[ta.weekday],
                 ta.hour, ta.minute, plural_days[tb.weekday], tb.hour, tb.minute, rot->zone->name);
}

static int report_hole(struct check *c, inc_time a, inc_time b, char (*said)[96], size_t *nsaid)
{
    char when[96];
    inc_finding f;
    size_t i;
    gap_text(c->rot, a, b, when, sizeof(when));
    for (i = 0; i < *nsaid; i++)
        if (strcmp(said[i], when) == 0)
            return INC_OK; /* the same hours of another week */
    if (*nsaid < 64)
        memcpy(said[(*nsaid)++], when, sizeof(when));
    inc__finding_init(&f, "ONC-3");
    f.since = a;
    f.value = b - a;
    return inc__findings_add(c->list, &f,
                             "ONC-3: nobody is on call %s in rotation %s: no layer covers it "
                             "(ONC-6); add a layer or widen one",
                             when, c->rot->name);
}

static int check_gaps(struct check *c)
{
    char said[64][96];
    size_t n = 0, i, nsaid = 0;
    inc_shift *sh = NULL;
    inc_time x = c->o.from, first = inc__rotation_shift_start(c->rot, 0);
    int rc;

    if (!c->rot->layer_count || c->rot->count) /* the rotation's people cover the rest */
        return INC_OK;
    if ((rc = layer_shifts(c, INC_LAYER_PRIMARY, &sh, &n)) != INC_OK)
        return rc;
    if (x < first)
        x = first; /* before the first shift nobody is due to be on call */
    for (i = 0; rc == INC_OK && i <= n && x < c->o.to; i++) {
        inc_time next = i < n ? sh[i].start : c->o.to;
        if (next > x)
            rc = report_hole(c, x, next < c->o.to ? next : c->o.to, said, &nsaid);
        if (i < n && sh[i].end > x)
            x = sh[i].end;
    }
    inc_free(sh);
    return rc;
}

/* ---- ONC-4: post-incident rest ---------------------------------------------------- */

struct engagement {
    const char *person;
    const char *incident;
    inc_time a, b;
};

static int cmp_engagement(const void *x, const void *y)
{
    const struct engagement *p = x, *q = y;
    int r = strcmp(p->person, q->person);
    if (r)
        return r;
    return p->a < q->a ? -1 : p->a > q->a;
}

/* Every role held in the incidents: until released, resolved, or now. */
static int collect_engagements(struct check *c, const inc_incident *const *incs, size_t count,
                               struct engagement **out, size_t *n)
{
    size_t cap = 0, i, j;
    *out = NULL;
    *n = 0;
    for (i = 0; i < count; i++) {
        inc_time resolved = inc_incident_resolved_at(incs[i]);
        for (j = 0; j < inc_incident_assignment_count(incs[i]); j++) {
            const inc_assignment *as = inc_incident_assignment(incs[i], j);
            inc_time b = as->released_at != INC_TIME_NONE ? as->released_at : c->now;
            if (resolved != INC_TIME_NONE && resolved < b)
                b = resolved;
            if (b <= as->assigned_at)
                continue;
            if (inc__array_reserve(&c->rot->alloc, (void **)out, &cap, *n + 1, sizeof(**out)))
                return INC_ENOMEM;
            (*out)[*n].person = as->person;
            (*out)[*n].incident = inc_incident_id(incs[i]);
            (*out)[*n].a = as->assigned_at;
            (*out)[*n].b = b;
            (*n)++;
        }
    }
    if (*n > 1)
        qsort(*out, *n, sizeof(**out), cmp_engagement);
    return INC_OK;
}

/* The union of one person's engagements [e, e + n) within the night
 * [ns, ne): its length, its first moment, and the incidents in it. */
static int64_t night_overlap(const struct engagement *e, size_t n, inc_time ns, inc_time ne,
                             inc_time *first, const char **incident, size_t *incidents)
{
    inc_time cur = ns;
    int64_t sum = 0;
    size_t i, j;

    *first = INC_TIME_NONE;
    *incidents = 0;
    for (i = 0; i < n && e[i].a < ne; i++) {
        inc_time a = e[i].a > cur ? e[i].a : cur, b = e[i].b < ne ? e[i].b : ne;
        if (e[i].b <= ns)
            continue;
        for (j = 0; j < i && (e[j].b <= ns || strcmp(e[j].incident, e[i].incident));)
            j++;
        if (j == i && (*incidents)++ == 0)
            *incident = e[i].incident;
        if (b > a) {
            if (*first == INC_TIME_NONE)
                *first = a;
            sum += b - a;
            cur = b;
        }
    }
    return sum;
}

static int report_rest(struct check *c, const char *person, int64_t night, int64_t ms,
                       inc_time first, const char *incident, size_t incidents)
{
    char d0[16], d1[16], dur[48], more[48] = "";
    inc_finding f;

    day_text(night, d0);
    day_text(night + 1, d1);
    inc__duration_format(ms, dur);
    if (incidents > 1)
        snprintf(more, sizeof(more), " and %zu other incident%s", incidents - 1,
                 incidents == 2 ? "" : "s");
    inc__finding_init(&f, "ONC-4");
    inc__finding_person(&f, person);
    f.since = first;
    f.value = ms;
    return inc__findings_add(c->list, &f,
                             "ONC-4: %s held incident roles for %s overnight (22:00-06:00 %s) in "
                             "the night of %s to %s (%s%s): owed a late start on %s",
                             person, dur, c->rot->zone->name, d0, d1, incident, more, d1);
}

static int check_rest(struct check *c, const inc_incident *const *incs, size_t count)
{
    struct engagement *e = NULL;
    size_t n = 0, i, j;
    int64_t d, d_first = local_day(c->rot, c->o.from) - 1, d_last = local_day(c->rot, c->o.to);
    int rc = collect_engagements(c, incs, count, &e, &n);

    for (i = 0; rc == INC_OK && i < n; i = j) {
        for (j = i + 1; j < n && strcmp(e[j].person, e[i].person) == 0;)
            j++;
        for (d = d_first; rc == INC_OK && d <= d_last; d++) {
            inc_time ns = inc__rotation_local_to_utc_ms(c->rot, d, NIGHT_START);
            inc_time ne = inc__rotation_local_to_utc_ms(c->rot, d + 1, NIGHT_END), first;
            const char *incident = NULL;
            size_t incidents;
            int64_t ms;
            if (ne <= c->o.from || ns >= c->o.to)
                continue; /* nights that overlap the range */
            ms = night_overlap(e + i, j - i, ns, ne, &first, &incident, &incidents);
            if (ms >= c->o.rest_after_ms)
                rc = report_rest(c, e[i].person, d, ms, first, incident, incidents);
        }
    }
    inc__free(&c->rot->alloc, e);
    return rc == INC_ENOMEM ? oom(c) : rc;
}

/* ---- ONC-5: pages per person per week ---------------------------------------------- */

struct page_hit {
    const char *person;
    size_t person_len;
    inc_time t;
};

static int cmp_hit(const void *x, const void *y)
{
    const struct page_hit *p = x, *q = y;
    size_t n = p->person_len < q->person_len ? p->person_len : q->person_len;
    int r = memcmp(p->person, q->person, n);
    if (r || p->person_len != q->person_len)
        return r ? r : (p->person_len < q->person_len ? -1 : 1);
    return p->t < q->t ? -1 : p->t > q->t;
}

static int same_person(const struct page_hit *p, const struct page_hit *q)
{
    return p->person_len == q->person_len && memcmp(p->person, q->person, p->person_len) == 0;
}

static int add_hit(struct check *c, struct page_hit **h, size_t *n, size_t *cap, const char *p,
                   size_t len, inc_time t)
{
    if (len == 0)
        return INC_OK;
    if (inc__array_reserve(&c->rot->alloc, (void **)h, cap, *n + 1, sizeof(**h)))
        return INC_ENOMEM;
    (*h)[*n].person = p;
    (*h)[*n].person_len = len;
    (*h)[(*n)++].t = t;
    return INC_OK;
}

/* Each page reached its person, or (not reported sent) its resolved people. */
static int collect_hits(struct check *c, const inc_incident *const *incs, size_t count,
                        inc_time from, inc_time to, struct page_hit **h, size_t *n)
{
    size_t cap = 0, i, j;
    int rc = INC_OK;
    *h = NULL;
    *n = 0;
    for (i = 0; rc == INC_OK && i < count; i++) {
        if (inc_incident_is_drill(incs[i]))
            continue; /* MET-1: drills are not load */
        for (j = 0; rc == INC_OK && j < inc_incident_page_count(incs[i]); j++) {
            const inc_page *pg = inc_incident_page(incs[i], j);
            inc_time t = pg->sent_at != INC_TIME_NONE ? pg->sent_at : pg->requested_at;
            const char *s = pg->resolved;
            if (t < from || t >= to)
                continue;
            if (pg->person) {
                rc = add_hit(c, h, n, &cap, pg->person, strlen(pg->person), t);
                continue;
            }
            while (rc == INC_OK && s && *s) {
                const char *comma = strchr(s, ',');
                size_t len = comma ? (size_t)(comma - s) : strlen(s);
                rc = add_hit(c, h, n, &cap, s, len, t);
                s = comma ? comma + 1 : NULL;
            }
        }
    }
    if (rc == INC_OK && *n > 1)
        qsort(*h, *n, sizeof(**h), cmp_hit);
    return rc;
}

static int report_load(struct check *c, const struct page_hit *h, int64_t week_day,
                       inc_time week_start, size_t pages)
{
    char person[INC_NAME_MAX + 1], day[16];
    size_t len = h->person_len < INC_NAME_MAX ? h->person_len : INC_NAME_MAX;
    inc_finding f;

    memcpy(person, h->person, len);
    person[len] = '\0';
    day_text(week_day, day);
    inc__finding_init(&f, "ONC-5");
    inc__finding_person(&f, person);
    f.since = week_start;
    f.value = (int64_t)pages;
    return inc__findings_add(c->list, &f,
                             "ONC-5: %s was paged %zu times in the week of Monday %s (%s), above "
                             "the threshold of %u per week: rebalance the rotation (swap shifts, "
                             "add people, fix the noisiest alerts)",
                             person, pages, day, c->rot->zone->name, c->o.max_pages_week);
}

static int check_load(struct check *c, const inc_incident *const *incs, size_t count)
{
    /* Calendar weeks from Monday 00:00 local that overlap the range. */
    int64_t d0 = local_day(c->rot, c->o.from), first_monday = d0 - ((d0 + 3) % 7 + 7) % 7;
    inc_time from = inc__rotation_local_to_utc_ms(c->rot, first_monday, 0);
    int64_t d1 = local_day(c->rot, c->o.to - 1);
    int64_t last_monday = d1 - ((d1 + 3) % 7 + 7) % 7;
    inc_time to = inc__rotation_local_to_utc_ms(c->rot, last_monday + 7, 0);
    struct page_hit *h = NULL;
    size_t n = 0, i, j;
    int rc = collect_hits(c, incs, count, from, to, &h, &n);

    for (i = 0; rc == INC_OK && i < n; i = j) {
        int64_t week = first_monday + (local_day(c->rot, h[i].t) - first_monday) / 7 * 7;
        inc_time ws = inc__rotation_local_to_utc_ms(c->rot, week, 0);
        inc_time we = inc__rotation_local_to_utc_ms(c->rot, week + 7, 0);
        for (j = i + 1; j < n && h[j].t < we && same_person(&h[i], &h[j]);)
            j++;
        if (j - i > c->o.max_pages_week)
            rc = report_load(c, &h[i], week, ws, j - i);
    }
    inc__free(&c->rot->alloc, h);
    return rc == INC_ENOMEM ? oom(c) : rc;
}

/* ---- the check ------------------------------------------------------------------------ */

static int options(struct check *c, const inc_oncall_check_options *opts)
{
    inc_error *err = inc__rotation_err(c->rot);
    int rc;

    if ((rc = inc__vstruct_read(&oncall_check_options_v, &c->o, opts, err)) != INC_OK)
        return rc;
    c->now = inc_context_now(c->rot->ctx);
    if (c->o.from == INC_TIME_NONE)
        c->o.from = c->now - DEFAULT_RANGE;
    if (c->o.to == INC_TIME_NONE)
        c->o.to = c->now + DEFAULT_RANGE;
    if (c->o.from < -62167219200000LL || c->o.to > 253402300799999LL || c->o.to <= c->o.from ||
        c->o.to - c->o.from > RANGE_MAX_MS)
        return inc_error_set(err, INC_EINVAL,
                             "check options: 'to' must come after 'from', at most ten years "
                             "later, within the years 0..9999");
    if (c->o.rest_after_ms < 0)
        return inc_error_set(err, INC_EINVAL, "check options: negative rest_after_ms");
    c->o.min_people = c->o.min_people ? c->o.min_people : 5;
    c->o.max_consecutive = c->o.max_consecutive ? c->o.max_consecutive : 2;
    c->o.min_gap = c->o.min_gap ? c->o.min_gap : 2;
    c->o.rest_after_ms = c->o.rest_after_ms ? c->o.rest_after_ms : 4 * INC__MS_PER_HOUR;
    c->o.max_pages_week = c->o.max_pages_week ? c->o.max_pages_week : 10;
    return INC_OK;
}

int inc_rotation_check(const inc_rotation *rot, const inc_incident *const *incidents, size_t count,
                       const inc_oncall_check_options *opts, inc_findings **out)
{
    struct check c;
    size_t i;
    int rc;

    if (!rot)
        return INC_EINVAL;
    inc__error_clear(inc__rotation_err(rot));
    if (!out || (count && !incidents))
        return inc_error_set(inc__rotation_err(rot), INC_EINVAL, "check: NULL argument");
    *out = NULL;
    for (i = 0; i < count; i++)
        if (!incidents[i])
            return inc_error_set(inc__rotation_err(rot), INC_EINVAL, "check: incident %zu is NULL",
                                 i);
    c.rot = rot;
    if ((rc = options(&c, opts)) != INC_OK)
        return rc;
    if (inc__findings_new(&rot->alloc, &c.list) != INC_OK)
        return oom(&c);
    rc = check_team(&c);
    if (rc == INC_OK)
        rc = check_turns(&c);
    if (rc == INC_OK)
        rc = check_gaps(&c);
    if (rc == INC_OK)
        rc = check_rest(&c, incidents, count);
    if (rc == INC_OK)
        rc = check_load(&c, incidents, count);
    if (rc != INC_OK) {
        inc_findings_free(c.list);
        return rc == INC_ENOMEM ? oom(&c) : rc;
    }
    *out = c.list;
    return INC_OK;
}
