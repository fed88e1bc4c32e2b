/* Layers of the primary on-call (ONC-6): restricted to weekly windows in a
 * zone (business hours, nights and weekends, follow-the-sun), the highest
 * covering layer winning; and shift swaps, overrides both people agreed
 * to. rotation.c asks here which layer covers a moment and where the next
 * and previous layer edges are, so who() and shifts() cut stretches at
 * window edges exactly as they cut them at override edges. Windows are
 * local times: a window stays at 08:00 local across a daylight-saving
 * change. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "oncall_internal.h"
#include "util/alloc.h"
#include "util/kvtext.h"
#include "util/text.h"
#include "util/time.h"

#define WINDOWS_MAX 64
#define DAY_SEC     86400

static const char *const day_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static const inc__zone *zone_of(const inc_rotation *rot, const inc__layer *l)
{
    return l->own_zone ? l->zone : rot->zone;
}

/* The local date and minute of @t in @z. */
static int64_t local_day(const inc__zone *z, inc_time t, unsigned *minute)
{
    int64_t sec = floor_div(t, 1000), local = sec + inc__zone_offset(z, sec);
    int64_t day = floor_div(local, DAY_SEC);
    if (minute)
        *minute = (unsigned)((local - day * DAY_SEC) / 60);
    return day;
}

static inc_time utc_of(const inc__zone *z, int64_t day, unsigned minute)
{
    return inc__zone_from_local(z, day * DAY_SEC + (int64_t)minute * 60) * 1000;
}

static unsigned weekday_of(int64_t day)
{
    return (unsigned)((day % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
}

/* ---- coverage and edges --------------------------------------------------------- */

static int in_window(const inc__window *w, int64_t day, unsigned minute)
{
    int overnight = w->end_min <= w->start_min;
    if ((w->days >> weekday_of(day)) & 1u)
        if (minute >= w->start_min && (overnight || minute < w->end_min))
            return 1;
    return overnight && ((w->days >> weekday_of(day - 1)) & 1u) && minute < w->end_min;
}

static int covers(const inc_rotation *rot, const inc__layer *l, inc_time t)
{
    unsigned minute;
    int64_t day = local_day(zone_of(rot, l), t, &minute);
    size_t i;
    if (l->count == 0 || day < l->from_day || day > l->until_day)
        return 0;
    for (i = 0; i < l->win_count; i++)
        if (in_window(&l->win[i], day, minute))
            return 1;
    return l->win_count == 0;
}

size_t inc__layer_at(const inc_rotation *rot, int64_t k, inc_time t)
{
    size_t j = rot->layer_count;
    if (k < 0)
        return INC__NO_LAYER;
    while (j-- > 0)
        if (covers(rot, &rot->layers[j], t))
            return j;
    return INC__NO_LAYER;
}

const char *inc__layer_person(const inc_rotation *rot, size_t j, int64_t k)
{
    const inc__layer *l = &rot->layers[j];
    return l->count ? l->members[(size_t)(k % (int64_t)l->count)] : NULL;
}

/* Every edge of layer @l on the local days @d0..@d1, offered to @pick. */
typedef struct edge_pick {
    inc_time x, best;
    int next; /* 1: the first edge > x below best; 0: the last <= x above best */
} edge_pick;

static void offer(edge_pick *p, inc_time t)
{
    if (p->next ? (t > p->x && t < p->best) : (t <= p->x && t > p->best))
        p->best = t;
}

static void layer_edges(const inc_rotation *rot, const inc__layer *l, int64_t d0, int64_t d1,
                        edge_pick *p)
{
    const inc__zone *z = zone_of(rot, l);
    int64_t d;
    size_t i;
    if (l->from_day != INT64_MIN)
        offer(p, utc_of(z, l->from_day, 0));
    if (l->until_day != INT64_MAX)
        offer(p, utc_of(z, l->until_day + 1, 0));
    for (d = d0; d <= d1; d++)
        for (i = 0; i < l->win_count; i++) {
            const inc__window *w = &l->win[i];
            if (!((w->days >> weekday_of(d)) & 1u))
                continue;
            offer(p, utc_of(z, d, w->start_min));
            offer(p, utc_of(z, d + (w->end_min <= w->start_min || w->end_min == 1440),
                            w->end_min % 1440));
        }
}

static inc_time edge(const inc_rotation *rot, inc_time x, inc_time bound, int next)
{
    edge_pick p = {x, bound, next};
    size_t j;
    for (j = 0; j < rot->layer_count; j++) {
        int64_t d = local_day(zone_of(rot, &rot->layers[j]), x, NULL);
        layer_edges(rot, &rot->layers[j], next ? d - 1 : d - 8, next ? d + 8 : d + 1, &p);
    }
    return p.best;
}

inc_time inc__layer_next_edge(const inc_rotation *rot, inc_time x, inc_time e)
{
    return edge(rot, x, e, 1);
}

inc_time inc__layer_prev_edge(const inc_rotation *rot, inc_time x, inc_time s)
{
    return edge(rot, x, s, 0);
}

/* ---- building ------------------------------------------------------------------------ */

#define BEGIN(rot)                                                                                 \
    do {                                                                                           \
        if (!(rot))                                                                                \
            return INC_EINVAL;                                                                     \
        inc__error_clear(&(rot)->err);                                                             \
    } while (0)

static int find(inc_rotation *rot, size_t j, inc__layer **out)
{
    if (j >= rot->layer_count)
        return inc_error_set(&rot->err, INC_ENOTFOUND, "layer %zu: rotation %s has %zu", j,
                             rot->name, rot->layer_count);
    *out = &rot->layers[j];
    return INC_OK;
}

static void free_layer(const inc_allocator *a, inc__layer *l)
{
    size_t i;
    for (i = 0; i < l->count; i++)
        inc__free(a, l->members[i]);
    inc__free(a, l->members);
    inc__free(a, l->win);
    inc__free(a, l->name);
    if (l->own_zone)
        inc__zone_unref(l->zone);
}

void inc__layers_free(inc_rotation *rot)
{
    size_t j;
    for (j = 0; j < rot->layer_count; j++)
        free_layer(&rot->alloc, &rot->layers[j]);
    inc__free(&rot->alloc, rot->layers);
    rot->layers = NULL;
    rot->layer_count = rot->layer_cap = 0;
}

int inc_rotation_add_layer(inc_rotation *rot, const char *name, const char *zone, size_t *index)
{
    inc__layer l;
    size_t j;
    int rc;

    BEGIN(rot);
    if (!inc__rotation_name_valid(name, &rot->err))
        return rot->err.code;
    for (j = 0; j < rot->layer_count; j++)
        if (strcmp(rot->layers[j].name, name) == 0)
            return inc_error_set(&rot->err, INC_EEXIST, "rotation %s has a layer %s already",
                                 rot->name, name);
    if (rot->layer_count >= INC_ROTATION_LAYERS_MAX)
        return inc_error_set(&rot->err, INC_ETOOBIG, "rotation %s: at most %d layers", rot->name,
                             INC_ROTATION_LAYERS_MAX);
    memset(&l, 0, sizeof(l));
    l.from_day = INT64_MIN;
    l.until_day = INT64_MAX;
    if (zone && (rc = inc__oncall_zone(rot->ctx, zone, &l.zone, &rot->err)) != INC_OK)
        return rc;
    l.own_zone = zone != NULL;
    if (inc__array_reserve(&rot->alloc, (void **)&rot->layers, &rot->layer_cap,
                           rot->layer_count + 1, sizeof(l)) != INC_OK ||
        !(l.name = inc__strdup(&rot->alloc, name))) {
        free_layer(&rot->alloc, &l);
        return inc__error_oom(&rot->err);
    }
    rot->layers[rot->layer_count] = l;
    if (index)
        *index = rot->layer_count;
    rot->layer_count++;
    return INC_OK;
}

int inc_rotation_add_layer_person(inc_rotation *rot, size_t layer, const char *person)
{
    inc__layer *l = NULL;
    int rc;

    BEGIN(rot);
    if ((rc = find(rot, layer, &l)) != INC_OK)
        return rc;
    return inc__rotation_append_person(rot, &l->members, &l->count, &l->cap, "layer", l->name,
                                       person);
}

int inc_rotation_add_layer_window(inc_rotation *rot, size_t layer, unsigned days,
                                  unsigned start_minute, unsigned end_minute)
{
    inc__layer *l = NULL;
    int rc;

    BEGIN(rot);
    if ((rc = find(rot, layer, &l)) != INC_OK)
        return rc;
    if (days == 0 || (days & ~INC_WEEKDAYS_ALL))
        return inc_error_set(&rot->err, INC_EINVAL, "layer %s: days 0x%x is not a set of weekdays",
                             l->name, days);
    if (start_minute >= 1440 || end_minute == 0 || end_minute > 1440)
        return inc_error_set(&rot->err, INC_EINVAL,
                             "layer %s: a window runs from 00:00..23:59 to 00:01..24:00", l->name);
    if (start_minute == end_minute)
        return inc_error_set(&rot->err, INC_EINVAL,
                             "layer %s: a window that ends where it starts (give the whole day as "
                             "00:00-24:00)",
                             l->name);
    if (l->win_count >= WINDOWS_MAX)
        return inc_error_set(&rot->err, INC_ETOOBIG, "layer %s: at most %d windows", l->name,
                             WINDOWS_MAX);
    if (inc__array_reserve(&rot->alloc, (void **)&l->win, &l->win_cap, l->win_count + 1,
                           sizeof(*l->win)) != INC_OK)
        return inc__error_oom(&rot->err);
    l->win[l->win_count].days = days;
    l->win[l->win_count].start_min = start_minute;
    l->win[l->win_count].end_min = end_minute;
    l->win_count++;
    return INC_OK;
}

int inc__layer_parse_date(const char *s, size_t n, int64_t *day)
{
    unsigned y, m, d;
    char buf[16], tail;
    inc__tm tm;
    inc_time t;
    if (n != 10 || n >= sizeof(buf))
        return INC_EINVAL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (sscanf(buf, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || buf[4] != '-' || buf[7] != '-')
        return INC_EINVAL;
    memset(&tm, 0, sizeof(tm));
    tm.year = y;
    tm.month = m;
    tm.day = d;
    if (y < 1 || inc__time_join(&tm, &t) != INC_OK)
        return INC_EINVAL;
    *day = inc__days_from_civil(y, m, d);
    return INC_OK;
}

static int date_arg(inc_rotation *rot, const char *what, const char *s, int64_t open, int64_t *day)
{
    if (!s) {
        *day = open;
        return INC_OK;
    }
    if (inc__layer_parse_date(s, strlen(s), day) != INC_OK)
        return inc_error_set(&rot->err, INC_EINVAL, "%s: '%.16s' is not a date YYYY-MM-DD", what,
                             s);
    return INC_OK;
}

int inc_rotation_set_layer_dates(inc_rotation *rot, size_t layer, const char *from,
                                 const char *until)
{
    inc__layer *l = NULL;
    int64_t a, b;
    int rc;

    BEGIN(rot);
    if ((rc = find(rot, layer, &l)) != INC_OK ||
        (rc = date_arg(rot, "from", from, INT64_MIN, &a)) != INC_OK ||
        (rc = date_arg(rot, "until", until, INT64_MAX, &b)) != INC_OK)
        return rc;
    if (b < a)
        return inc_error_set(&rot->err, INC_EINVAL,
                             "layer %s ends (until %s) before it starts (from %s) (ONC-6)", l->name,
                             until, from);
    l->from_day = a;
    l->until_day = b;
    return INC_OK;
}

int inc__layer_set_zone(inc_rotation *rot, size_t j, const char *zone)
{
    inc__layer *l = NULL;
    inc__zone *z;
    int rc;
    if ((rc = find(rot, j, &l)) != INC_OK ||
        (rc = inc__oncall_zone(rot->ctx, zone, &z, &rot->err)) != INC_OK)
        return rc;
    if (l->own_zone)
        inc__zone_unref(l->zone);
    l->zone = z;
    l->own_zone = 1;
    return INC_OK;
}

size_t inc_rotation_layer_count(const inc_rotation *rot)
{
    return rot ? rot->layer_count : 0;
}

const char *inc_rotation_layer_name(const inc_rotation *rot, size_t layer)
{
    return rot && layer < rot->layer_count ? rot->layers[layer].name : NULL;
}

/* ---- swaps ------------------------------------------------------------------------------- */

int inc_rotation_add_swap(inc_rotation *rot, inc_layer layer, inc_time start, inc_time end,
                          const char *giver, const char *taker, inc_time recorded_at, size_t *index)
{
    inc_rotation_override ov;
    inc_shift now;
    size_t i;
    int rc;

    BEGIN(rot);
    if ((rc = inc__check_text(&rot->err, "giver", giver, INC_NAME_MAX, INC__TEXT_SINGLE_LINE)))
        return rc;
    if (!taker || !taker[0])
        return inc_error_set(&rot->err, INC_EINVAL,
                             "swap: the second person is missing: a swap is an override both "
                             "people agree to (ONC-6)");
    if (strcmp(giver, taker) == 0)
        return inc_error_set(&rot->err, INC_EINVAL, "swap: %s cannot swap with themselves", giver);
    if ((rc = inc_rotation_who(rot, layer, start, &now)) != INC_OK)
        return rc == INC_ENOTFOUND
                   ? inc_error_set(&rot->err, INC_EINVAL, "swap: %s is not on call then (%s)",
                                   giver, rot->err.msg)
                   : rc;
    if (strcmp(now.person, giver) != 0)
        return inc_error_set(&rot->err, INC_EINVAL, "swap: %s is not on call then; %s is", giver,
                             now.person);
    ov.layer = layer;
    ov.start = start;
    ov.end = end;
    ov.person = taker;
    ov.by = giver;
    ov.reason = "swap";
    ov.recorded_at = recorded_at;
    if ((rc = inc_rotation_add_override(rot, &ov, &i)) != INC_OK)
        return rc;
    rot->ovs[i].swap = 1;
    if (index)
        *index = i;
    return INC_OK;
}

int inc_rotation_override_is_swap(const inc_rotation *rot, size_t index)
{
    return rot && index < rot->ov_count && rot->ovs[index].swap;
}

/* ---- copies, equality, the text format ----------------------------------------------------- */

int inc__layers_copy(inc_rotation *dst, const inc_rotation *src)
{
    size_t j, i;
    dst->layers = NULL;
    dst->layer_count = dst->layer_cap = 0;
    for (j = 0; j < src->layer_count; j++) {
        const inc__layer *l = &src->layers[j];
        size_t idx;
        if (inc_rotation_add_layer(dst, l->name, NULL, &idx) != INC_OK)
            return INC_ENOMEM;
        if (l->own_zone) {
            dst->layers[idx].zone = l->zone;
            dst->layers[idx].own_zone = 1;
            inc__zone_ref(l->zone);
        }
        dst->layers[idx].from_day = l->from_day;
        dst->layers[idx].until_day = l->until_day;
        for (i = 0; i < l->count; i++)
            if (inc_rotation_add_layer_person(dst, idx, l->members[i]) != INC_OK)
                return INC_ENOMEM;
        for (i = 0; i < l->win_count; i++)
            if (inc_rotation_add_layer_window(dst, idx, l->win[i].days, l->win[i].start_min,
                                              l->win[i].end_min) != INC_OK)
                return INC_ENOMEM;
    }
    return INC_OK;
}

static int layer_equal(const inc__layer *a, const inc__layer *b)
{
    size_t i;
    if (strcmp(a->name, b->name) != 0 || a->own_zone != b->own_zone ||
        (a->own_zone && strcmp(a->zone->name, b->zone->name) != 0) || a->count != b->count ||
        a->win_count != b->win_count || a->from_day != b->from_day || a->until_day != b->until_day)
        return 0;
    for (i = 0; i < a->count; i++)
        if (strcmp(a->members[i], b->members[i]) != 0)
            return 0;
    for (i = 0; i < a->win_count; i++)
        if (a->win[i].days != b->win[i].days || a->win[i].start_min != b->win[i].start_min ||
            a->win[i].end_min != b->win[i].end_min)
            return 0;
    return 1;
}

int inc__layers_equal(const inc_rotation *a, const inc_rotation *b)
{
    size_t j;
    if (a->layer_count != b->layer_count)
        return 0;
    for (j = 0; j < a->layer_count; j++)
        if (!layer_equal(&a->layers[j], &b->layers[j]))
            return 0;
    return 1;
}

static void put_days(inc__buf *b, unsigned days)
{
    unsigned d;
    int first = 1;
    for (d = 0; d < 7; d++)
        if ((days >> d) & 1u) {
            inc__buf_printf(b, "%s%s", first ? "" : ",", day_names[d]);
            first = 0;
        }
}

static void put_date(inc__buf *b, const char *key, int64_t day)
{
    int64_t y;
    unsigned m, d;
    inc__civil_from_days(day, &y, &m, &d);
    inc__buf_printf(b, "  %s = %04lld-%02u-%02u\n", key, (long long)y, m, d);
}

void inc__layers_write(inc__buf *b, const inc_rotation *rot)
{
    size_t j, i;
    for (j = 0; j < rot->layer_count; j++) {
        const inc__layer *l = &rot->layers[j];
        inc__buf_printf(b, "\nlayer = %s\n", l->name);
        if (l->own_zone)
            inc__buf_printf(b, "  layer-zone = %s\n", l->zone->name);
        if (l->from_day != INT64_MIN)
            put_date(b, "layer-from", l->from_day);
        if (l->until_day != INT64_MAX)
            put_date(b, "layer-until", l->until_day);
        for (i = 0; i < l->win_count; i++) {
            const inc__window *w = &l->win[i];
            inc__buf_puts(b, "  restrict = ");
            put_days(b, w->days);
            inc__buf_printf(b, " %02u:%02u-%02u:%02u\n", w->start_min / 60, w->start_min % 60,
                            w->end_min / 60, w->end_min % 60);
        }
        for (i = 0; i < l->count; i++)
            inc__kv_put(b, "  ", "", "member", l->members[i]);
    }
}
