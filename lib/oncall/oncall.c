/* The context's on-call state: the zone cache (zones are read once per
 * context, never through the process's TZ), the zone conversions of the
 * public API, the registry of rotations and the resolution of escalation
 * targets through it (ONC-2), which the due items and page records call. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "oncall_internal.h"
#include "rubric/rubric_services.h"
#include "util/alloc.h"
#include "util/map.h"
#include "util/text.h"
#include "util/time.h"

#define ZONE_DIR_MAX 4096

struct inc__oncall {
    char *zone_dir; /* NULL: INC__ZONEINFO_DIR */
    inc__map zones; /* name -> inc__zone *, one reference each */
    inc_rotation **rots;
    size_t count, cap;
    char *default_name; /* NULL: the first registered */
};

static struct inc__oncall *state(inc_context *ctx)
{
    struct inc__oncall *st = ctx->oncall;
    if (!st && (st = inc__calloc(&ctx->alloc, 1, sizeof(*st))) != NULL) {
        inc__map_init(&st->zones, &ctx->alloc);
        ctx->oncall = st;
    }
    return st;
}

static void cache_clear(struct inc__oncall *st)
{
    size_t pos = 0;
    const char *key;
    void *value;
    while (inc__map_next(&st->zones, &pos, &key, &value))
        inc__zone_unref(value);
    inc__map_dispose(&st->zones);
}

void inc__oncall_free(inc_context *ctx)
{
    struct inc__oncall *st = ctx->oncall;
    size_t i;
    if (!st)
        return;
    for (i = 0; i < st->count; i++)
        inc_rotation_free(st->rots[i]);
    inc__free(&ctx->alloc, st->rots);
    cache_clear(st);
    inc__free(&ctx->alloc, st->zone_dir);
    inc__free(&ctx->alloc, st->default_name);
    inc__free(&ctx->alloc, st);
    ctx->oncall = NULL;
}

/* ---- zones ---------------------------------------------------------------- */

int inc__oncall_zone(inc_context *ctx, const char *name, inc__zone **out, inc_error *err)
{
    struct inc__oncall *st;
    inc__zone *z;
    int rc;

    *out = NULL;
    if (!inc__tz_name_valid(name, err))
        return INC_EINVAL;
    if (!(st = state(ctx)))
        return inc__error_oom(err);
    if ((z = inc__map_get(&st->zones, name)) != NULL) {
        inc__zone_ref(z);
        *out = z;
        return INC_OK;
    }
    if ((rc = inc__tz_load(&ctx->alloc, st->zone_dir, name, &z, err)) != INC_OK)
        return rc;
    if (inc__map_put(&st->zones, name, z) != INC_OK) {
        inc__zone_unref(z);
        return inc__error_oom(err);
    }
    inc__zone_ref(z); /* one for the cache, one for the caller */
    *out = z;
    return INC_OK;
}

int inc_context_set_zoneinfo_dir(inc_context *ctx, const char *dir)
{
    struct inc__oncall *st;
    char *copy = NULL;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (dir && (!dir[0] || strlen(dir) > ZONE_DIR_MAX))
        return inc_error_set(&ctx->err, INC_EINVAL, "zoneinfo dir: must be 1..%d bytes",
                             ZONE_DIR_MAX);
    if (!(st = state(ctx)) || (dir && !(copy = inc__strdup(&ctx->alloc, dir)))) {
        return inc__error_oom(&ctx->err);
    }
    cache_clear(st);
    inc__map_init(&st->zones, &ctx->alloc);
    inc__free(&ctx->alloc, st->zone_dir);
    st->zone_dir = copy;
    return INC_OK;
}

const char *inc_context_zoneinfo_dir(const inc_context *ctx)
{
    if (!ctx)
        return NULL;
    return ctx->oncall && ctx->oncall->zone_dir ? ctx->oncall->zone_dir : INC__ZONEINFO_DIR;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int inc_zone_to_local(inc_context *ctx, const char *zone, inc_time t, inc_local_time *out)
{
    inc__tz_info info;
    inc__zone *z;
    inc__tm tm;
    int rc;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!zone || !out)
        return inc_error_set(&ctx->err, INC_EINVAL, "zone_to_local: NULL argument");
    if (t < -(INT64_C(1) << 52) || t > (INT64_C(1) << 52))
        return inc_error_set(&ctx->err, INC_EINVAL, "zone_to_local: time out of range");
    if ((rc = inc__oncall_zone(ctx, zone, &z, &ctx->err)) != INC_OK)
        return rc;
    inc__zone_info(z, floor_div(t, 1000), &info);
    inc__time_split(t + (inc_time)info.utoff * 1000, &tm);
    memset(out, 0, sizeof(*out));
    out->year = (int)tm.year;
    out->month = tm.month;
    out->day = tm.day;
    out->hour = tm.hour;
    out->minute = tm.minute;
    out->second = tm.second;
    out->ms = tm.ms;
    out->weekday = tm.weekday;
    out->utc_offset = info.utoff;
    out->is_dst = info.isdst;
    snprintf(out->abbr, sizeof(out->abbr), "%s", info.abbr);
    inc__zone_unref(z);
    return INC_OK;
}

int inc_zone_from_local(inc_context *ctx, const char *zone, const inc_local_time *local,
                        inc_time *out)
{
    inc__zone *z;
    inc__tm tm;
    inc_time l;
    int64_t s;
    int rc, moved;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!zone || !local || !out)
        return inc_error_set(&ctx->err, INC_EINVAL, "zone_from_local: NULL argument");
    memset(&tm, 0, sizeof(tm));
    tm.year = local->year;
    tm.month = local->month;
    tm.day = local->day;
    tm.hour = local->hour;
    tm.minute = local->minute;
    tm.second = local->second;
    tm.ms = local->ms;
    if (local->year < 0 || local->year > 9999 || inc__time_join(&tm, &l) != INC_OK)
        return inc_error_set(&ctx->err, INC_EINVAL,
                             "zone_from_local: %04d-%02u-%02u %02u:%02u:%02u.%03u is not a valid "
                             "date and time of the years 0..9999",
                             local->year, local->month, local->day, local->hour, local->minute,
                             local->second, local->ms);
    if ((rc = inc__oncall_zone(ctx, zone, &z, &ctx->err)) != INC_OK)
        return rc;
    s = inc__zone_from_local(z, floor_div(l, 1000));
    /* The milliseconds stay, unless the gap rule moved the time to a minute. */
    moved = s + inc__zone_offset(z, s) != floor_div(l, 1000);
    inc__zone_unref(z);
    *out = s * 1000 + (moved ? 0 : l - floor_div(l, 1000) * 1000);
    return INC_OK;
}

/* ---- the registry ------------------------------------------------------------ */

static size_t find(const struct inc__oncall *st, const char *name, size_t len)
{
    size_t i;
    for (i = 0; st && i < st->count; i++)
        if (strlen(st->rots[i]->name) == len && memcmp(st->rots[i]->name, name, len) == 0)
            return i;
    return (size_t)-1;
}

int inc_context_add_rotation(inc_context *ctx, const inc_rotation *rot)
{
    struct inc__oncall *st;
    inc_rotation *copy;
    size_t i, at;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!rot)
        return inc_error_set(&ctx->err, INC_EINVAL, "add_rotation: NULL rotation");
    if (rot->ctx != ctx)
        return inc_error_set(&ctx->err, INC_EINVAL,
                             "add_rotation: rotation %s was made from another context", rot->name);
    if (!(st = state(ctx)))
        return inc__error_oom(&ctx->err);
    at = find(st, rot->name, strlen(rot->name));
    for (i = 0; rot->role != INC_ROLE_COUNT && i < st->count; i++)
        if (i != at && st->rots[i]->role == rot->role)
            return inc_error_set(&ctx->err, INC_EEXIST,
                                 "add_rotation: rotation %s is the roster for %s already; one "
                                 "roster per role",
                                 st->rots[i]->name, inc_role_name(rot->role));
    if ((at == (size_t)-1 && inc__array_reserve(&ctx->alloc, (void **)&st->rots, &st->cap,
                                                st->count + 1, sizeof(*st->rots)) != INC_OK) ||
        inc_rotation_dup(rot, &copy) != INC_OK)
        return inc__error_oom(&ctx->err);
    if (at == (size_t)-1) {
        st->rots[st->count++] = copy;
    } else {
        inc_rotation_free(st->rots[at]);
        st->rots[at] = copy;
    }
    return INC_OK;
}

int inc_context_remove_rotation(inc_context *ctx, const char *name)
{
    struct inc__oncall *st;
    size_t at;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!name)
        return inc_error_set(&ctx->err, INC_EINVAL, "remove_rotation: NULL name");
    st = ctx->oncall;
    if ((at = find(st, name, strlen(name))) == (size_t)-1)
        return inc_error_set(&ctx->err, INC_ENOTFOUND, "remove_rotation: no rotation %.64s", name);
    inc_rotation_free(st->rots[at]);
    memmove(&st->rots[at], &st->rots[at + 1], (st->count - at - 1) * sizeof(*st->rots));
    st->count--;
    if (st->default_name && strcmp(st->default_name, name) == 0) {
        inc__free(&ctx->alloc, st->default_name);
        st->default_name = NULL;
    }
    return INC_OK;
}

const inc_rotation *inc_context_rotation(const inc_context *ctx, const char *name)
{
    size_t at;
    if (!ctx || !name || (at = find(ctx->oncall, name, strlen(name))) == (size_t)-1)
        return NULL;
    return ctx->oncall->rots[at];
}

size_t inc_context_rotation_count(const inc_context *ctx)
{
    return ctx && ctx->oncall ? ctx->oncall->count : 0;
}

const inc_rotation *inc_context_rotation_at(const inc_context *ctx, size_t index)
{
    return index < inc_context_rotation_count(ctx) ? ctx->oncall->rots[index] : NULL;
}

int inc_context_set_default_rotation(inc_context *ctx, const char *name)
{
    struct inc__oncall *st;
    char *copy = NULL;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (name && !inc_context_rotation(ctx, name))
        return inc_error_set(&ctx->err, INC_ENOTFOUND,
                             "default rotation: no registered rotation %.64s", name);
    if (!(st = state(ctx)) || (name && !(copy = inc__strdup(&ctx->alloc, name))))
        return inc__error_oom(&ctx->err);
    inc__free(&ctx->alloc, st->default_name);
    st->default_name = copy;
    return INC_OK;
}

/* ---- resolving targets (ONC-2) --------------------------------------------------- */

static const inc_rotation *default_rotation(const struct inc__oncall *st)
{
    size_t at;
    if (!st || st->count == 0)
        return NULL;
    if (st->default_name &&
        (at = find(st, st->default_name, strlen(st->default_name))) != (size_t)-1)
        return st->rots[at];
    return st->rots[0];
}

static int starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

static int is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

static const char *on_layer(const inc_rotation *rot, inc_layer layer, inc_time t)
{
    inc_shift sh;
    return rot && inc_rotation_who(rot, layer, t, &sh) == INC_OK ? sh.person : NULL;
}

/* "NAME[/primary|/secondary]" of rotation:... */
static const char *via_rotation(const struct inc__oncall *st, const char *s, size_t n, inc_time t)
{
    const char *slash = memchr(s, '/', n);
    size_t name_len = slash ? (size_t)(slash - s) : n, at;
    inc_layer layer = INC_LAYER_PRIMARY;

    if (slash) {
        const char *l = slash + 1;
        size_t ln = n - name_len - 1;
        if (is(l, ln, "secondary"))
            layer = INC_LAYER_SECONDARY;
        else if (!is(l, ln, "primary"))
            return NULL;
    }
    if ((at = find(st, s, name_len)) == (size_t)-1)
        return NULL;
    return on_layer(st->rots[at], layer, t);
}

static const char *via_roster(const struct inc__oncall *st, const char *s, size_t n, inc_time t)
{
    char role_name[16];
    inc_role role;
    size_t i;

    if (n == 0 || n >= sizeof(role_name))
        return NULL;
    memcpy(role_name, s, n);
    role_name[n] = '\0';
    if (inc_role_from_name(role_name, &role) != INC_OK)
        return NULL;
    for (i = 0; st && i < st->count; i++)
        if (st->rots[i]->role == role)
            return on_layer(st->rots[i], INC_LAYER_PRIMARY, t);
    return NULL;
}

/* The person one target names at @t, as (pointer, length); NULL if none. */
static const char *resolve_one(const struct inc__oncall *st, const char *s, size_t n, inc_time t,
                               size_t *len)
{
    const char *p = NULL;

    if (starts(s, n, "person:")) {
        *len = n - 7;
        return n > 7 ? s + 7 : NULL;
    }
    if (starts(s, n, "rotation:"))
        p = via_rotation(st, s + 9, n - 9, t);
    else if (starts(s, n, "roster:"))
        p = via_roster(st, s + 7, n - 7, t);
    else if (is(s, n, "on-call") || is(s, n, "primary"))
        p = on_layer(default_rotation(st), INC_LAYER_PRIMARY, t);
    else if (is(s, n, "backup") || is(s, n, "secondary"))
        p = on_layer(default_rotation(st), INC_LAYER_SECONDARY, t);
    if (p)
        *len = strlen(p);
    return p;
}

/* 1 if @p (length @n) is one of the comma-separated names in b[from..]. */
static int listed(const inc__buf *b, size_t from, const char *p, size_t n)
{
    size_t i = from;
    while (i < b->len) {
        const char *c = memchr(b->ptr + i, ',', b->len - i);
        size_t e = c ? (size_t)(c - b->ptr) : b->len;
        if (e - i == n && memcmp(b->ptr + i, p, n) == 0)
            return 1;
        i = e + 1;
    }
    return 0;
}

int inc__oncall_resolve(inc_context *ctx, const char *targets, inc_time t, inc__buf *out)
{
    const struct inc__oncall *st = ctx->oncall;
    const char *s = targets;
    size_t from = out->len;

    while (s && *s) {
        const char *comma = strchr(s, ',');
        const char *e = comma ? comma : s + strlen(s), *p;
        size_t n = 0;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((p = resolve_one(st, s, (size_t)(e - s), t, &n)) != NULL && n > 0 && !out->failed &&
            !listed(out, from, p, n)) {
            if (out->len > from)
                inc__buf_putc(out, ',');
            inc__buf_put(out, p, n);
        }
        s = comma ? comma + 1 : NULL;
    }
    return out->failed;
}

int inc_context_resolve_targets(inc_context *ctx, const char *targets, inc_time t, char **out,
                                size_t *len)
{
    inc__buf b;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!out)
        return inc_error_set(&ctx->err, INC_EINVAL, "resolve_targets: NULL out");
    *out = NULL;
    if (inc__check_text(&ctx->err, "targets", targets, 4096, INC__TEXT_SINGLE_LINE) != INC_OK)
        return INC_EINVAL;
    inc__buf_init(&b, &ctx->alloc);
    inc__oncall_resolve(ctx, targets, t, &b);
    if (inc__buf_detach(&b, out, len) != INC_OK)
        return inc__error_oom(&ctx->err);
    return INC_OK;
}

/* ---- the ONC-2 ladder ------------------------------------------------------------- */

int inc_rubric_add_rotation_escalation(inc_rubric *r, size_t level, int64_t after_ms,
                                       const char *rotation, int64_t window_ms)
{
    char primary[INC_ROTATION_NAME_MAX + 32], secondary[INC_ROTATION_NAME_MAX + 32];
    int rc;

    inc_error *err;

    if (!r)
        return INC_EINVAL;
    err = inc__rubric_err(r);
    if (!inc__rotation_name_valid(rotation, err))
        return INC_EINVAL;
    if (window_ms == 0)
        window_ms = INC_ONCALL_SECONDARY_WINDOW_MS;
    if (level >= inc_rubric_level_count(r))
        return inc_error_set(err, INC_EINVAL, "add_escalation: level %zu does not exist", level);
    if (after_ms <= 0 || window_ms <= 0 || after_ms > INC__DURATION_MAX - window_ms)
        return inc_error_set(err, INC_EINVAL,
                             "add_escalation: after %lld ms and window %lld ms must be positive",
                             (long long)after_ms, (long long)window_ms);
    if (inc_rubric_escalation_count(r, level) + 2 > INC_ESCALATIONS_MAX)
        return inc_error_set(err, INC_ETOOBIG,
                             "level %s: no room for two more escalation steps (at most %d)",
                             inc_rubric_level_name(r, level), INC_ESCALATIONS_MAX);
    snprintf(primary, sizeof(primary), "rotation:%s/primary", rotation);
    snprintf(secondary, sizeof(secondary), "rotation:%s/secondary", rotation);
    if ((rc = inc_rubric_add_escalation(r, level, after_ms, INC_ESC_UNACKNOWLEDGED, primary)) !=
        INC_OK)
        return rc;
    rc = inc_rubric_add_escalation(r, level, after_ms + window_ms, INC_ESC_UNACKNOWLEDGED,
                                   secondary);
    if (rc != INC_OK)
        inc__rubric_drop_escalation(r, level, after_ms, primary);
    return rc;
}
