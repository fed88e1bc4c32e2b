/* Rotations as data (ONC-1): the handle, its setters and getters, the
 * overrides, and the two questions: who is on call for a layer at time t,
 * and which stretches of a layer fall in a range.
 *
 * Shift k begins on the local date start + k x period at the hand-off time,
 * converted through the rotation's zone (tzif.c's rules: a time in a
 * spring-forward gap moves to the next valid minute, a repeated time is the
 * first occurrence). Overrides cut shifts into stretches: within a shift,
 * every override edge is a possible cut, each elementary piece belongs to
 * the last override added that covers it (or to the rotation), and
 * neighbouring pieces of the same source are one stretch. who() and
 * shifts() walk the same edges, so they always agree. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "oncall_internal.h"
#include "util/alloc.h"
#include "util/text.h"
#include "util/time.h"

#define DEFAULT_START_DAY 4 /* 1970-01-05, a Monday */
#define DEFAULT_HANDOFF   (10 * 60)
/* The start of the stretch before shift 0 (only overrides live there). */
#define FAR_PAST   (-(INT64_C(1) << 60))
#define SHIFTS_MAX 1000000u
#define NO_SOURCE  ((size_t)-1)
/* A stretch's source: an override's index, NO_SOURCE (the rotation's own
 * people), or layer j (ONC-6) as LAYER_SRC(j). */
#define LAYER_SRC(j)    ((size_t)-2 - (j))
#define IS_LAYER_SRC(s) ((s) != NO_SOURCE && (s) >= LAYER_SRC(INC_ROTATION_LAYERS_MAX))

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

inc_error *inc__rotation_err(const inc_rotation *rot)
{
    return (inc_error *)&rot->err;
}

int inc__rotation_name_valid(const char *name, inc_error *err)
{
    size_t n, i;
    if (!name || !name[0] || (n = strlen(name)) > INC_ROTATION_NAME_MAX)
        return inc_error_set(err, INC_EINVAL, "rotation name: must be 1..%d bytes",
                             INC_ROTATION_NAME_MAX),
               0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        int ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '-' || c == '_'));
        if (!ok)
            return inc_error_set(err, INC_EINVAL,
                                 "rotation name '%.64s': character %zu is not one of a-z 0-9 - _ "
                                 "(and it starts with a letter or digit)",
                                 name, i + 1),
                   0;
    }
    return 1;
}

/* ---- the handle ------------------------------------------------------------- */

int inc_rotation_new(inc_context *ctx, const char *name, inc_rotation **out)
{
    inc_rotation *rot;
    int rc;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!out)
        return inc_error_set(&ctx->err, INC_EINVAL, "rotation_new: NULL out");
    *out = NULL;
    if (!inc__rotation_name_valid(name, &ctx->err))
        return INC_EINVAL;
    if (!(rot = inc__calloc(&ctx->alloc, 1, sizeof(*rot))))
        return inc__error_oom(&ctx->err);
    rot->alloc = ctx->alloc;
    rot->ctx = ctx;
    rot->period_days = 7;
    rot->start_day = DEFAULT_START_DAY;
    rot->handoff_min = DEFAULT_HANDOFF;
    rot->secondary = 1;
    rot->role = INC_ROLE_COUNT;
    if (!(rot->name = inc__strdup(&rot->alloc, name)))
        rc = inc__error_oom(&ctx->err);
    else
        rc = inc__oncall_zone(ctx, "UTC", &rot->zone, &ctx->err);
    if (rc != INC_OK) {
        inc_rotation_free(rot);
        return rc;
    }
    *out = rot;
    return INC_OK;
}

static void free_override(const inc_allocator *a, inc__override *o)
{
    inc__free(a, o->person);
    inc__free(a, o->by);
    inc__free(a, o->reason);
}

void inc_rotation_free(inc_rotation *rot)
{
    inc_allocator a;
    size_t i;
    if (!rot)
        return;
    a = rot->alloc;
    for (i = 0; i < rot->count; i++)
        inc__free(&a, rot->people[i]);
    for (i = 0; i < rot->ov_count; i++)
        free_override(&a, &rot->ovs[i]);
    inc__layers_free(rot);
    inc__free(&a, rot->people);
    inc__free(&a, rot->ovs);
    inc__free(&a, rot->name);
    inc__zone_unref(rot->zone);
    inc__free(&a, rot);
}

static int copy_override(const inc_allocator *a, inc__override *dst, const inc__override *src)
{
    *dst = *src;
    dst->person = inc__strdup(a, src->person);
    dst->by = inc__strdup(a, src->by);
    dst->reason = inc__strdup(a, src->reason);
    if (dst->person && dst->by && dst->reason)
        return INC_OK;
    free_override(a, dst);
    return INC_ENOMEM;
}

int inc_rotation_dup(const inc_rotation *rot, inc_rotation **out)
{
    inc_rotation *c;
    size_t i;

    if (!rot || !out)
        return INC_EINVAL;
    *out = NULL;
    if (!(c = inc__calloc(&rot->alloc, 1, sizeof(*c))))
        return inc__error_oom(inc__rotation_err(rot));
    *c = *rot;
    c->count = c->ov_count = c->cap = c->ov_cap = 0;
    c->people = NULL;
    c->ovs = NULL;
    c->layers = NULL;
    c->layer_count = c->layer_cap = 0;
    inc__zone_ref(c->zone);
    inc__error_clear(&c->err);
    if (!(c->name = inc__strdup(&c->alloc, rot->name)) ||
        (rot->count && !(c->people = inc__calloc(&c->alloc, rot->count, sizeof(char *)))) ||
        (rot->ov_count && !(c->ovs = inc__calloc(&c->alloc, rot->ov_count, sizeof(*c->ovs)))))
        goto oom;
    c->cap = rot->count;
    c->ov_cap = rot->ov_count;
    for (; c->count < rot->count; c->count++)
        if (!(c->people[c->count] = inc__strdup(&c->alloc, rot->people[c->count])))
            goto oom;
    for (i = 0; i < rot->ov_count; i++, c->ov_count++)
        if (copy_override(&c->alloc, &c->ovs[i], &rot->ovs[i]) != INC_OK)
            goto oom;
    if (inc__layers_copy(c, rot) != INC_OK)
        goto oom;
    *out = c;
    return INC_OK;
oom:
    inc_rotation_free(c);
    return inc__error_oom(inc__rotation_err(rot));
}

static int override_equal(const inc__override *a, const inc__override *b)
{
    return a->layer == b->layer && a->start == b->start && a->end == b->end &&
           a->recorded_at == b->recorded_at && strcmp(a->person, b->person) == 0 &&
           strcmp(a->by, b->by) == 0 && strcmp(a->reason, b->reason) == 0 && a->swap == b->swap;
}

int inc_rotation_equal(const inc_rotation *a, const inc_rotation *b)
{
    size_t i;
    if (!a || !b)
        return 0;
    if (strcmp(a->name, b->name) != 0 || strcmp(a->zone->name, b->zone->name) != 0 ||
        a->count != b->count || a->ov_count != b->ov_count || a->period_days != b->period_days ||
        a->start_day != b->start_day || a->handoff_min != b->handoff_min ||
        a->secondary != b->secondary || a->role != b->role)
        return 0;
    for (i = 0; i < a->count; i++)
        if (strcmp(a->people[i], b->people[i]) != 0)
            return 0;
    for (i = 0; i < a->ov_count; i++)
        if (!override_equal(&a->ovs[i], &b->ovs[i]))
            return 0;
    return inc__layers_equal(a, b);
}

const char *inc_rotation_errmsg(const inc_rotation *rot)
{
    return rot ? rot->err.msg : "";
}

const char *inc_rotation_name(const inc_rotation *rot)
{
    return rot ? rot->name : NULL;
}

/* ---- setters and getters ------------------------------------------------------- */

/* Every mutator starts here: a NULL handle is INC_EINVAL, and the message of
 * an earlier failure is cleared. */
#define BEGIN(rot)                                                                                 \
    do {                                                                                           \
        if (!(rot))                                                                                \
            return INC_EINVAL;                                                                     \
        inc__error_clear(&(rot)->err);                                                             \
    } while (0)

int inc__rotation_append_person(inc_rotation *rot, char ***people, size_t *count, size_t *cap,
                                const char *what, const char *name, const char *person)
{
    char *copy;
    int rc;

    if ((rc = inc__check_text(&rot->err, "person", person, INC_NAME_MAX, INC__TEXT_SINGLE_LINE)))
        return rc;
    if (*count >= INC_ROTATION_PEOPLE_MAX)
        return inc_error_set(&rot->err, INC_ETOOBIG, "%s %s: at most %d people", what, name,
                             INC_ROTATION_PEOPLE_MAX);
    if (inc__array_reserve(&rot->alloc, (void **)people, cap, *count + 1, sizeof(char *)) !=
            INC_OK ||
        !(copy = inc__strdup(&rot->alloc, person)))
        return inc__error_oom(&rot->err);
    (*people)[(*count)++] = copy;
    return INC_OK;
}

int inc_rotation_add_person(inc_rotation *rot, const char *person)
{
    BEGIN(rot);
    return inc__rotation_append_person(rot, &rot->people, &rot->count, &rot->cap, "rotation",
                                       rot->name, person);
}

size_t inc_rotation_person_count(const inc_rotation *rot)
{
    return rot ? rot->count : 0;
}

const char *inc_rotation_person(const inc_rotation *rot, size_t index)
{
    return rot && index < rot->count ? rot->people[index] : NULL;
}

int inc_rotation_set_zone(inc_rotation *rot, const char *zone)
{
    inc__zone *z;
    int rc;

    BEGIN(rot);
    if ((rc = inc__oncall_zone(rot->ctx, zone, &z, &rot->err)) != INC_OK)
        return rc;
    inc__zone_unref(rot->zone);
    rot->zone = z;
    return INC_OK;
}

const char *inc_rotation_zone(const inc_rotation *rot)
{
    return rot ? rot->zone->name : NULL;
}

int inc_rotation_set_period(inc_rotation *rot, unsigned days)
{
    BEGIN(rot);
    if (days < 1 || days > INC_ROTATION_PERIOD_MAX)
        return inc_error_set(&rot->err, INC_EINVAL, "period: %u days is not 1..%d", days,
                             INC_ROTATION_PERIOD_MAX);
    rot->period_days = days;
    return INC_OK;
}

unsigned inc_rotation_period(const inc_rotation *rot)
{
    return rot ? rot->period_days : 0;
}

int inc_rotation_set_start(inc_rotation *rot, int year, unsigned month, unsigned day)
{
    inc__tm tm;
    inc_time t;

    BEGIN(rot);
    memset(&tm, 0, sizeof(tm));
    tm.year = year;
    tm.month = month;
    tm.day = day;
    if (year < 1 || year > 9999 || inc__time_join(&tm, &t) != INC_OK)
        return inc_error_set(&rot->err, INC_EINVAL,
                             "start: %04d-%02u-%02u is not a date of the years 1..9999", year,
                             month, day);
    rot->start_day = inc__days_from_civil(year, month, day);
    return INC_OK;
}

int inc_rotation_get_start(const inc_rotation *rot, int *year, unsigned *month, unsigned *day)
{
    int64_t y;
    unsigned m, d;
    if (!rot)
        return INC_EINVAL;
    inc__civil_from_days(rot->start_day, &y, &m, &d);
    if (year)
        *year = (int)y;
    if (month)
        *month = m;
    if (day)
        *day = d;
    return INC_OK;
}

int inc_rotation_set_handoff(inc_rotation *rot, unsigned hour, unsigned minute)
{
    BEGIN(rot);
    if (hour > 23 || minute > 59)
        return inc_error_set(&rot->err, INC_EINVAL, "handoff: %u:%02u is not a time of day", hour,
                             minute);
    rot->handoff_min = hour * 60 + minute;
    return INC_OK;
}

int inc_rotation_get_handoff(const inc_rotation *rot, unsigned *hour, unsigned *minute)
{
    if (!rot)
        return INC_EINVAL;
    if (hour)
        *hour = rot->handoff_min / 60;
    if (minute)
        *minute = rot->handoff_min % 60;
    return INC_OK;
}

int inc_rotation_set_secondary(inc_rotation *rot, unsigned offset)
{
    BEGIN(rot);
    if (offset >= INC_ROTATION_PEOPLE_MAX)
        return inc_error_set(&rot->err, INC_EINVAL, "secondary: offset %u is not 0..%d", offset,
                             INC_ROTATION_PEOPLE_MAX - 1);
    rot->secondary = offset;
    return INC_OK;
}

unsigned inc_rotation_secondary(const inc_rotation *rot)
{
    return rot ? rot->secondary : 0;
}

int inc_rotation_set_role(inc_rotation *rot, inc_role role)
{
    BEGIN(rot);
    if ((unsigned)role > INC_ROLE_COUNT)
        return inc_error_set(&rot->err, INC_EINVAL, "role: %d is not a role", (int)role);
    rot->role = role;
    return INC_OK;
}

inc_role inc_rotation_role(const inc_rotation *rot)
{
    return rot ? rot->role : INC_ROLE_COUNT;
}

/* ---- overrides ---------------------------------------------------------------------- */

static int check_override(inc_rotation *rot, const inc_rotation_override *ov)
{
    int rc;
    if (!ov)
        return inc_error_set(&rot->err, INC_EINVAL, "override: NULL");
    if ((unsigned)ov->layer >= INC_LAYER_COUNT)
        return inc_error_set(&rot->err, INC_EINVAL, "override: layer %d is not a layer",
                             (int)ov->layer);
    if (ov->start < INC__TIME_MIN || ov->end > INC__TIME_MAX || ov->start >= ov->end)
        return inc_error_set(&rot->err, INC_EINVAL,
                             "override: the end must come after the start, both within the years "
                             "0..9999");
    if (ov->recorded_at != INC_TIME_NONE &&
        (ov->recorded_at < INC__TIME_MIN || ov->recorded_at > INC__TIME_MAX))
        return inc_error_set(&rot->err, INC_EINVAL, "override: recorded_at out of range");
    if ((rc = inc__check_text(&rot->err, "override person", ov->person, INC_NAME_MAX,
                              INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(&rot->err, "override by", ov->by, INC_NAME_MAX,
                              INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL)) ||
        (rc = inc__check_text(&rot->err, "override reason", ov->reason, INC_TEXT_MAX,
                              INC__TEXT_OPTIONAL)))
        return rc;
    if (rot->ov_count >= INC_ROTATION_OVERRIDES_MAX)
        return inc_error_set(&rot->err, INC_ETOOBIG, "rotation %s: at most %d overrides", rot->name,
                             INC_ROTATION_OVERRIDES_MAX);
    return INC_OK;
}

int inc_rotation_add_override(inc_rotation *rot, const inc_rotation_override *ov, size_t *index)
{
    inc__override o;
    int rc;

    BEGIN(rot);
    if ((rc = check_override(rot, ov)) != INC_OK)
        return rc;
    memset(&o, 0, sizeof(o)); /* not a swap unless inc_rotation_add_swap() says so */
    o.layer = ov->layer;
    o.start = ov->start;
    o.end = ov->end;
    o.recorded_at = ov->recorded_at;
    o.person = (char *)ov->person;
    o.by = (char *)(ov->by ? ov->by : "");
    o.reason = (char *)(ov->reason ? ov->reason : "");
    if (inc__array_reserve(&rot->alloc, (void **)&rot->ovs, &rot->ov_cap, rot->ov_count + 1,
                           sizeof(*rot->ovs)) != INC_OK ||
        copy_override(&rot->alloc, &rot->ovs[rot->ov_count], &o) != INC_OK)
        return inc__error_oom(&rot->err);
    if (index)
        *index = rot->ov_count;
    rot->ov_count++;
    return INC_OK;
}

int inc_rotation_override_shift(inc_rotation *rot, inc_layer layer, inc_time t, const char *person,
                                const char *by, const char *reason, inc_time recorded_at,
                                size_t *index)
{
    inc_rotation_override ov;
    int64_t k;

    BEGIN(rot);
    if (t < INC__TIME_MIN || t > INC__TIME_MAX)
        return inc_error_set(&rot->err, INC_EINVAL, "override_shift: time out of range");
    if (rot->count == 0)
        return inc_error_set(&rot->err, INC_ENOTFOUND, "rotation %s has no people", rot->name);
    if ((k = inc__rotation_shift_at(rot, t, &ov.start, &ov.end)) < 0)
        return inc_error_set(&rot->err, INC_ENOTFOUND,
                             "rotation %s: the time is before its first shift", rot->name);
    ov.layer = layer;
    ov.person = person;
    ov.by = by;
    ov.reason = reason;
    ov.recorded_at = recorded_at;
    return inc_rotation_add_override(rot, &ov, index);
}

size_t inc_rotation_override_count(const inc_rotation *rot)
{
    return rot ? rot->ov_count : 0;
}

int inc_rotation_get_override(const inc_rotation *rot, size_t index, inc_rotation_override *out)
{
    const inc__override *o;
    if (!rot || !out)
        return INC_EINVAL;
    if (index >= rot->ov_count)
        return inc_error_set(inc__rotation_err(rot), INC_ENOTFOUND,
                             "override %zu: the rotation has %zu", index, rot->ov_count);
    o = &rot->ovs[index];
    out->layer = o->layer;
    out->start = o->start;
    out->end = o->end;
    out->person = o->person;
    out->by = o->by;
    out->reason = o->reason;
    out->recorded_at = o->recorded_at;
    return INC_OK;
}

/* ---- shifts ---------------------------------------------------------------------------- */

int64_t inc__rotation_local_to_utc_ms(const inc_rotation *rot, int64_t day, unsigned minute)
{
    return inc__zone_from_local(rot->zone, day * 86400 + (int64_t)minute * 60) * 1000;
}

void inc__rotation_format_local(const inc_rotation *rot, inc_time t, char buf[32])
{
    inc__tm tm;
    inc__time_split(t + (inc_time)inc__zone_offset(rot->zone, floor_div(t, 1000)) * 1000, &tm);
    snprintf(buf, 32, "%04lld-%02u-%02u %02u:%02u", (long long)tm.year, tm.month, tm.day, tm.hour,
             tm.minute);
}

inc_time inc__rotation_shift_start(const inc_rotation *rot, int64_t k)
{
    return inc__rotation_local_to_utc_ms(rot, rot->start_day + k * rot->period_days,
                                         rot->handoff_min);
}

int64_t inc__rotation_shift_at(const inc_rotation *rot, inc_time t, inc_time *s, inc_time *e)
{
    int64_t sec = floor_div(t, 1000);
    int64_t local = sec + inc__zone_offset(rot->zone, sec) - (int64_t)rot->handoff_min * 60;
    int64_t k = floor_div(floor_div(local, 86400) - rot->start_day, rot->period_days);
    inc_time lo = inc__rotation_shift_start(rot, k), hi;
    /* The estimate is off by at most one where a transition is near. */
    while (lo > t)
        lo = inc__rotation_shift_start(rot, --k);
    hi = inc__rotation_shift_start(rot, k + 1);
    while (hi <= t)
        lo = hi, hi = inc__rotation_shift_start(rot, ++k + 1);
    if (s)
        *s = lo;
    if (e)
        *e = hi;
    return k;
}

/* The base shift k as [*s, *e); k < 0 is the stretch before shift 0. */
static void base_range(const inc_rotation *rot, int64_t k, inc_time *s, inc_time *e)
{
    *s = k < 0 ? FAR_PAST : inc__rotation_shift_start(rot, k);
    *e = inc__rotation_shift_start(rot, k < 0 ? 0 : k + 1);
}

/* The base shift that contains @t, as base_range() gives it. */
static int64_t base_at(const inc_rotation *rot, inc_time t, inc_time *s, inc_time *e)
{
    int64_t k = inc__rotation_shift_at(rot, t, s, e);
    if (k < 0)
        base_range(rot, -1, s, e);
    return k;
}

/* Who the rotation itself puts on @layer in shift @k, or NULL. */
static const char *base_person(const inc_rotation *rot, inc_layer layer, int64_t k)
{
    size_t n = rot->count, i;
    if (k < 0 || n == 0)
        return NULL;
    i = (size_t)(k % (int64_t)n);
    if (layer == INC_LAYER_SECONDARY) {
        if (rot->secondary == 0 || rot->secondary % n == 0)
            return NULL;
        i = (i + rot->secondary) % n;
    }
    return rot->people[i];
}

/* The override of @layer in force at @t: the last added that covers it. */
static size_t source_at(const inc_rotation *rot, inc_layer layer, inc_time t)
{
    size_t i = rot->ov_count;
    while (i-- > 0) {
        const inc__override *o = &rot->ovs[i];
        if (o->layer == layer && o->start <= t && t < o->end)
            return i;
    }
    if (layer == INC_LAYER_PRIMARY && rot->layer_count) { /* ONC-6 */
        size_t j = inc__layer_at(rot, inc__rotation_shift_at(rot, t, NULL, NULL), t);
        if (j != INC__NO_LAYER)
            return LAYER_SRC(j);
    }
    return NO_SOURCE;
}

/* The first override edge of @layer after @x, or @e if none comes before it. */
static inc_time next_edge(const inc_rotation *rot, inc_layer layer, inc_time x, inc_time e)
{
    size_t i;
    for (i = 0; i < rot->ov_count; i++) {
        const inc__override *o = &rot->ovs[i];
        if (o->layer != layer)
            continue;
        if (o->start > x && o->start < e)
            e = o->start;
        if (o->end > x && o->end < e)
            e = o->end;
    }
    return layer == INC_LAYER_PRIMARY && rot->layer_count ? inc__layer_next_edge(rot, x, e) : e;
}

/* The last override edge of @layer at or before @x, or @s if none is after it. */
static inc_time prev_edge(const inc_rotation *rot, inc_layer layer, inc_time x, inc_time s)
{
    size_t i;
    for (i = 0; i < rot->ov_count; i++) {
        const inc__override *o = &rot->ovs[i];
        if (o->layer != layer)
            continue;
        if (o->start <= x && o->start > s)
            s = o->start;
        if (o->end <= x && o->end > s)
            s = o->end;
    }
    return layer == INC_LAYER_PRIMARY && rot->layer_count ? inc__layer_prev_edge(rot, x, s) : s;
}

static void fill(const inc_rotation *rot, inc_layer layer, int64_t k, size_t src, inc_time from,
                 inc_time to, inc_shift *out)
{
    out->layer = layer;
    out->person = src == NO_SOURCE    ? base_person(rot, layer, k)
                  : IS_LAYER_SRC(src) ? inc__layer_person(rot, LAYER_SRC(0) - src, k)
                                      : rot->ovs[src].person;
    out->start = from;
    out->end = to;
    out->number = k < 0 ? -1 : k;
    out->override_index = src == NO_SOURCE || IS_LAYER_SRC(src) ? INC_SHIFT_NO_OVERRIDE : src;
}

/* Why a layer has nobody by the rotation itself, or NULL when it has. */
static const char *layer_gap(const inc_rotation *rot, inc_layer layer)
{
    if (layer == INC_LAYER_PRIMARY && rot->layer_count)
        return rot->count ? NULL : "has nobody on call then: no layer covers it (ONC-6)";
    if (rot->count == 0)
        return "has no people";
    if (layer == INC_LAYER_SECONDARY && rot->secondary == 0)
        return "has no secondary layer";
    if (layer == INC_LAYER_SECONDARY && rot->secondary % rot->count == 0)
        return "has a secondary offset that is a multiple of its number of people";
    return NULL;
}

static int check_query(const inc_rotation *rot, inc_layer layer, inc_time t, const void *out)
{
    if (!out || (unsigned)layer >= INC_LAYER_COUNT)
        return inc_error_set(inc__rotation_err(rot), INC_EINVAL, "NULL out or bad layer");
    if (t < INC__TIME_MIN || t > INC__TIME_MAX)
        return inc_error_set(inc__rotation_err(rot), INC_EINVAL,
                             "time out of range (years 0..9999)");
    return INC_OK;
}

int inc_rotation_who(const inc_rotation *rot, inc_layer layer, inc_time t, inc_shift *out)
{
    inc_time s, e, lo, hi;
    int64_t k;
    size_t src;
    int rc;

    if (!rot)
        return INC_EINVAL;
    inc__error_clear(inc__rotation_err(rot));
    if ((rc = check_query(rot, layer, t, out)) != INC_OK)
        return rc;
    k = base_at(rot, t, &s, &e);
    src = source_at(rot, layer, t);
    if (src == NO_SOURCE && !base_person(rot, layer, k)) {
        const char *why = layer_gap(rot, layer);
        return inc_error_set(inc__rotation_err(rot), INC_ENOTFOUND, "rotation %s %s", rot->name,
                             why ? why : "has not started at that time");
    }
    /* Widen the elementary piece around t over neighbours of the same source. */
    lo = prev_edge(rot, layer, t, s);
    while (lo > s && source_at(rot, layer, lo - 1) == src)
        lo = prev_edge(rot, layer, lo - 1, s);
    hi = next_edge(rot, layer, t, e);
    while (hi < e && source_at(rot, layer, hi) == src)
        hi = next_edge(rot, layer, hi, e);
    fill(rot, layer, k, src, lo, hi, out);
    return INC_OK;
}

/* The stretches of shift @k that overlap [from, to), appended to @arr. */
static int shift_pieces(const inc_rotation *rot, inc_layer layer, int64_t k, inc_time from,
                        inc_time to, inc_shift **arr, size_t *n, size_t *cap)
{
    inc_time s, e, x;
    base_range(rot, k, &s, &e);
    for (x = s; x < e;) {
        size_t src = source_at(rot, layer, x);
        inc_time y = next_edge(rot, layer, x, e);
        while (y < e && source_at(rot, layer, y) == src)
            y = next_edge(rot, layer, y, e);
        if (y > from && x < to) {
            inc_shift sh;
            fill(rot, layer, k, src, x, y, &sh);
            if (sh.person) {
                if (*n >= SHIFTS_MAX)
                    return inc_error_set(inc__rotation_err(rot), INC_ETOOBIG,
                                         "shifts: more than %u stretches in the range", SHIFTS_MAX);
                if (inc__array_reserve(&rot->alloc, (void **)arr, cap, *n + 1, sizeof(**arr)))
                    return inc__error_oom(inc__rotation_err(rot));
                (*arr)[(*n)++] = sh;
            }
        }
        x = y;
    }
    return INC_OK;
}

static int has_overrides(const inc_rotation *rot, inc_layer layer)
{
    size_t i;
    for (i = 0; i < rot->ov_count; i++)
        if (rot->ovs[i].layer == layer)
            return 1;
    return 0;
}

int inc_rotation_shifts(const inc_rotation *rot, inc_layer layer, inc_time from, inc_time to,
                        inc_shift **out, size_t *count)
{
    inc_shift *arr = NULL;
    size_t n = 0, cap = 0;
    const char *why;
    int64_t k;
    int rc;

    if (!rot)
        return INC_EINVAL;
    inc__error_clear(inc__rotation_err(rot));
    if ((rc = check_query(rot, layer, from, out)) != INC_OK ||
        (rc = check_query(rot, layer, to, count)) != INC_OK)
        return rc;
    *out = NULL;
    *count = 0;
    if (to <= from)
        return inc_error_set(inc__rotation_err(rot), INC_EINVAL,
                             "shifts: 'to' is not after 'from'");
    if ((why = layer_gap(rot, layer)) != NULL && !has_overrides(rot, layer) &&
        !(layer == INC_LAYER_PRIMARY && rot->layer_count))
        return inc_error_set(inc__rotation_err(rot), INC_ENOTFOUND, "rotation %s %s", rot->name,
                             why);
    k = inc__rotation_shift_at(rot, from, NULL, NULL);
    if (k < 0) {
        rc = shift_pieces(rot, layer, -1, from, to, &arr, &n, &cap);
        k = 0;
    }
    for (; rc == INC_OK && inc__rotation_shift_start(rot, k) < to; k++)
        rc = shift_pieces(rot, layer, k, from, to, &arr, &n, &cap);
    if (rc == INC_OK && n > 0) {
        if (!(*out = inc__out_alloc(&rot->alloc, n * sizeof(*arr))))
            rc = inc__error_oom(inc__rotation_err(rot));
        else
            memcpy(*out, arr, n * sizeof(*arr));
    }
    inc__free(&rot->alloc, arr);
    if (rc == INC_OK)
        *count = n;
    return rc;
}
