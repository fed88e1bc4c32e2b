/* The rotation text format (lib/docs/rotation-format.md): "key = value"
 * lines like the rubric's. The parser builds the rotation through the
 * public setters, so a parsed rotation obeys the rules an API-built one
 * does, and every failure names its line. The writer writes every field in
 * one fixed order, so parse(write(r)) equals r and equal rotations give the
 * same bytes. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "oncall_internal.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/kvtext.h"
#include "util/text.h"
#include "util/time.h"

#define HEADER         "libincident-rotation"
#define FORMAT_VERSION 1
#define VALUE_MAX      INC_TEXT_MAX

static const char *const weekdays[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                        "thursday", "friday", "saturday"};
static const char *const layers[INC_LAYER_COUNT] = {"primary", "secondary"};

/* Keys of the rotation (each once, person repeats) and of an override block. */
enum key {
    K_NAME,
    K_ZONE,
    K_PERIOD,
    K_START,
    K_HANDOFF,
    K_SECONDARY,
    K_ROLE,
    K_PERSON,
    K_LAYER, /* ONC-6: a layer block and its keys */
    K_LAYER_ZONE,
    K_LAYER_FROM,
    K_LAYER_UNTIL,
    K_RESTRICT,
    K_MEMBER,
    K_OVERRIDE,
    K_SWAP, /* ONC-6: an override both people agreed to */
    K_TO,
    K_BY,
    K_REASON,
    K_RECORDED,
    K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "name",     "zone",  "period",     "start",      "handoff",     "secondary", "role",
    "person",   "layer", "layer-zone", "layer-from", "layer-until", "restrict",  "member",
    "override", "swap",  "to",         "by",         "reason",      "recorded"};
/* Keys that may repeat. */
#define REPEATABLE                                                                                 \
    (1u << K_PERSON | 1u << K_LAYER | 1u << K_RESTRICT | 1u << K_MEMBER | 1u << K_OVERRIDE |       \
     1u << K_SWAP)
#define LAYER_KEYS                                                                                 \
    (1u << K_LAYER_ZONE | 1u << K_LAYER_FROM | 1u << K_LAYER_UNTIL | 1u << K_RESTRICT |            \
     1u << K_MEMBER)

struct parser {
    struct inc__kv kv;
    inc_context *ctx;
    inc_rotation *rot;
    unsigned seen;   /* bit per key: rotation keys, then the current override's */
    int in_override; /* an override block is open */
    int ov_swap;     /* ... and it is a swap (ONC-6) */
    int in_layer;    /* a layer block is open (ONC-6) */
    size_t layer;    /* its index */
    char layer_from[16], layer_until[16];
    unsigned ov_line; /* its line */
    size_t ov_off;
    inc_rotation_override ov;
    char ov_to[INC_NAME_MAX + 1], ov_by[INC_NAME_MAX + 1];
    char *ov_reason;  /* allocated: reasons may be long */
    int handoff_wday; /* -1: not given */
    unsigned handoff_line;
    size_t handoff_off;
    char val[VALUE_MAX + 1];
};

/* Relay a setter's refusal (its message names the field) with the line. */
static int relay(struct parser *p, int rc)
{
    return rc == INC_OK ? rc : inc__kv_fail(&p->kv, rc, "%s", p->rot->err.msg);
}

/* ---- rotation keys ------------------------------------------------------------ */

static int on_period(struct parser *p)
{
    unsigned n = 0;
    char unit = p->kv.val_len ? p->kv.val[p->kv.val_len - 1] : 0;
    if (strcmp(p->kv.val, "daily") == 0)
        n = 1;
    else if (strcmp(p->kv.val, "weekly") == 0)
        n = 7;
    else if ((unit == 'd' || unit == 'w') &&
             inc__kv_parse_uint(p->kv.val, p->kv.val_len - 1, 9999, &n) == 0)
        n *= unit == 'w' ? 7 : 1;
    else
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "period: '%.40s' is not daily, weekly, Nd or Nw (such as 3d, 2w)",
                            p->kv.val);
    return relay(p, inc_rotation_set_period(p->rot, n));
}

static int on_start(struct parser *p)
{
    unsigned y, m, d;
    if (p->kv.val_len != 10 || p->kv.val[4] != '-' || p->kv.val[7] != '-' ||
        inc__kv_parse_uint(p->kv.val, 4, 9999, &y) ||
        inc__kv_parse_uint(p->kv.val + 5, 2, 12, &m) ||
        inc__kv_parse_uint(p->kv.val + 8, 2, 31, &d))
        return inc__kv_fail(&p->kv, INC_EPARSE, "start: '%.40s' is not a date YYYY-MM-DD",
                            p->kv.val);
    return relay(p, inc_rotation_set_start(p->rot, (int)y, m, d));
}

/* handoff = [weekday] HH:MM */
static int on_handoff(struct parser *p)
{
    const char *s = p->kv.val, *e = p->kv.val + p->kv.val_len, *sp = memchr(s, ' ', p->kv.val_len);
    unsigned h, m;
    int i;

    p->handoff_wday = -1;
    if (sp) {
        for (i = 0; i < 7; i++)
            if (strlen(weekdays[i]) == (size_t)(sp - s) &&
                memcmp(weekdays[i], s, (size_t)(sp - s)) == 0)
                p->handoff_wday = i;
        if (p->handoff_wday < 0)
            return inc__kv_fail(&p->kv, INC_EPARSE,
                                "handoff: '%.*s' is not a weekday (monday .. sunday)",
                                (int)(sp - s > 20 ? 20 : sp - s), s);
        s = inc__kv_skip_blanks(sp, e);
    }
    if (e - s != 5 || s[2] != ':' || inc__kv_parse_uint(s, 2, 99, &h) ||
        inc__kv_parse_uint(s + 3, 2, 99, &m))
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "handoff: '%.40s' is not [weekday] HH:MM (such as monday 10:00)",
                            p->kv.val);
    p->handoff_line = p->kv.line;
    p->handoff_off = p->kv.line_off;
    return relay(p, inc_rotation_set_handoff(p->rot, h, m));
}

static int on_secondary(struct parser *p)
{
    unsigned n = 0;
    if (strcmp(p->kv.val, "none") != 0 &&
        inc__kv_parse_uint(p->kv.val, p->kv.val_len, INC_ROTATION_PEOPLE_MAX, &n))
        return inc__kv_fail(&p->kv, INC_EPARSE, "secondary: '%.40s' is not none or a number",
                            p->kv.val);
    return relay(p, inc_rotation_set_secondary(p->rot, n));
}

static int on_role(struct parser *p)
{
    inc_role role = INC_ROLE_COUNT;
    if (strcmp(p->kv.val, "none") != 0 &&
        (inc_role_from_name(p->kv.val, &role) != INC_OK || strcmp(inc_role_name(role), p->kv.val)))
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "role: '%.40s' is not none or a role name (ic, comms, ...)", p->kv.val);
    return relay(p, inc_rotation_set_role(p->rot, role));
}

static int on_name(struct parser *p)
{
    inc_error err = {0, ""};
    int rc;
    if (!inc__rotation_name_valid(p->kv.val, &err))
        return inc__kv_fail(&p->kv, INC_EINVAL, "%s", err.msg);
    if ((rc = inc_rotation_new(p->ctx, p->kv.val, &p->rot)) != INC_OK)
        return inc__kv_fail(&p->kv, rc, "name: %s", inc_context_errmsg(p->ctx));
    return INC_OK;
}

/* ---- overrides ---------------------------------------------------------------- */

static int parse_time(struct parser *p, const char *s, size_t n, const char *what, inc_time *out)
{
    char buf[40];
    if (n == 0 || n >= sizeof(buf))
        return inc__kv_fail(&p->kv, INC_EPARSE, "%s: missing or over-long time", what);
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inc_time_parse(buf, out) != INC_OK)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "%s: '%s' is not a UTC time such as 2026-03-02T09:00:00Z", what, buf);
    return INC_OK;
}

/* Add the open override, if any: called at the next override and at the end. */
static int close_override(struct parser *p)
{
    unsigned line = p->kv.line;
    size_t off = p->kv.line_off;
    int rc;

    if (!p->in_override)
        return INC_OK;
    p->in_override = 0;
    p->kv.line = p->ov_line;
    p->kv.line_off = p->ov_off;
    if (p->ov_swap && !(p->seen & (1u << K_TO)))
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "swap: missing 'to = PERSON': the second person, who agreed to take "
                            "the time (ONC-6)");
    if (p->ov_swap && !(p->seen & (1u << K_BY)))
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "swap: missing 'by = PERSON': who gives the time (ONC-6)");
    if (!(p->seen & (1u << K_TO)))
        return inc__kv_fail(&p->kv, INC_EPARSE, "override: missing 'to = PERSON'");
    p->ov.person = p->ov_to;
    p->ov.by = p->ov_by;
    p->ov.reason = p->ov_reason ? p->ov_reason : "";
    rc = p->ov_swap ? relay(p, inc_rotation_add_swap(p->rot, p->ov.layer, p->ov.start, p->ov.end,
                                                     p->ov_by, p->ov_to, p->ov.recorded_at, NULL))
                    : relay(p, inc_rotation_add_override(p->rot, &p->ov, NULL));
    inc__free(&p->rot->alloc, p->ov_reason);
    p->ov_reason = NULL;
    p->kv.line = line;
    p->kv.line_off = off;
    return rc;
}

/* override = <layer> <start> <end>, and swap = the same */
static int on_override(struct parser *p, int swap)
{
    const char *s = p->kv.val, *e = p->kv.val + p->kv.val_len, *t;
    int rc, layer = -1, i;

    if ((rc = close_override(p)) != INC_OK)
        return rc;
    p->in_layer = 0;
    p->ov_swap = swap;
    for (t = s; t < e && !inc__kv_is_blank(*t);)
        t++;
    for (i = 0; i < INC_LAYER_COUNT; i++)
        if (strlen(layers[i]) == (size_t)(t - s) && memcmp(layers[i], s, (size_t)(t - s)) == 0)
            layer = i;
    if (layer < 0)
        return inc__kv_fail(&p->kv, INC_EPARSE, "override: '%.*s' is not primary or secondary",
                            (int)(t - s > 20 ? 20 : t - s), s);
    memset(&p->ov, 0, sizeof(p->ov));
    p->ov.layer = (inc_layer)layer;
    p->ov.recorded_at = INC_TIME_NONE;
    s = inc__kv_skip_blanks(t, e);
    for (t = s; t < e && !inc__kv_is_blank(*t);)
        t++;
    if ((rc = parse_time(p, s, (size_t)(t - s), "override start", &p->ov.start)) != INC_OK)
        return rc;
    s = inc__kv_skip_blanks(t, e);
    for (t = s; t < e && !inc__kv_is_blank(*t);)
        t++;
    if ((rc = parse_time(p, s, (size_t)(t - s), "override end", &p->ov.end)) != INC_OK)
        return rc;
    if (inc__kv_skip_blanks(t, e) != e)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "override: expected '<layer> <start> <end>', found more");
    p->in_override = 1;
    p->ov_line = p->kv.line;
    p->ov_off = p->kv.line_off;
    p->ov_to[0] = p->ov_by[0] = '\0';
    p->seen &= ~(1u << K_TO | 1u << K_BY | 1u << K_REASON | 1u << K_RECORDED);
    return INC_OK;
}

static int on_override_key(struct parser *p, enum key k)
{
    inc_error err = {0, ""};
    int flags = INC__TEXT_SINGLE_LINE;

    switch (k) {
    case K_RECORDED:
        return parse_time(p, p->kv.val, p->kv.val_len, "recorded", &p->ov.recorded_at);
    case K_REASON:
        if (p->ov_swap)
            return inc__kv_fail(&p->kv, INC_EPARSE,
                                "'reason' in a swap (a swap records both "
                                "names, 'by' and 'to')");
        if (inc__check_text(&err, "reason", p->kv.val, INC_TEXT_MAX, INC__TEXT_OPTIONAL) != INC_OK)
            return inc__kv_fail(&p->kv, INC_EINVAL, "%s", err.msg);
        if (!(p->ov_reason = inc__strdup(&p->rot->alloc, p->kv.val)))
            return inc__kv_fail(&p->kv, INC_ENOMEM, "out of memory");
        return INC_OK;
    default:
        if (k == K_BY)
            flags |= INC__TEXT_OPTIONAL;
        if (inc__check_text(&err, key_names[k], p->kv.val, INC_NAME_MAX, flags) != INC_OK)
            return inc__kv_fail(&p->kv, INC_EINVAL, "%s", err.msg);
        memcpy(k == K_TO ? p->ov_to : p->ov_by, p->kv.val, p->kv.val_len + 1);
        return INC_OK;
    }
}

/* ---- layers (ONC-6) ---------------------------------------------------------- */

static const char *const day3[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int day_index(const char *s, size_t n)
{
    int i;
    for (i = 0; i < 7; i++)
        if (n == 3 && memcmp(s, day3[i], 3) == 0)
            return i;
    return -1;
}

/* "mon-fri", "sat,sun", "fri-mon", "daily": a set of weekdays, or 0. */
static unsigned parse_days(const char *s, size_t n)
{
    unsigned days = 0;
    const char *e = s + n;
    if (n == 5 && memcmp(s, "daily", 5) == 0)
        return INC_WEEKDAYS_ALL;
    while (s < e) {
        const char *c = memchr(s, ',', (size_t)(e - s)), *end = c ? c : e, *dash;
        int a, b;
        dash = memchr(s, '-', (size_t)(end - s));
        a = day_index(s, (size_t)((dash ? dash : end) - s));
        b = dash ? day_index(dash + 1, (size_t)(end - dash - 1)) : a;
        if (a < 0 || b < 0)
            return 0;
        for (;; a = (a + 1) % 7) {
            days |= 1u << a;
            if (a == b)
                break;
        }
        s = c ? c + 1 : e;
        if (c && s == e)
            return 0;
    }
    return days;
}

static int parse_hhmm(const char *s, unsigned *minute)
{
    unsigned h, m;
    if (s[2] != ':' || inc__kv_parse_uint(s, 2, 24, &h) || inc__kv_parse_uint(s + 3, 2, 59, &m) ||
        (h == 24 && m != 0))
        return -1;
    *minute = h * 60 + m;
    return 0;
}

/* restrict = DAYS HH:MM-HH:MM */
static int on_restrict(struct parser *p)
{
    const char *s = p->kv.val, *sp = memchr(s, ' ', p->kv.val_len), *t;
    unsigned days, a, b;
    if (!sp || (days = parse_days(s, (size_t)(sp - s))) == 0)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "restrict: '%.40s' does not start with days such as mon-fri, sat,sun "
                            "or daily",
                            s);
    t = inc__kv_skip_blanks(sp, s + p->kv.val_len);
    if (s + p->kv.val_len - t != 11 || t[5] != '-' || parse_hhmm(t, &a) || parse_hhmm(t + 6, &b))
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "restrict: '%.40s' is not DAYS HH:MM-HH:MM (such as mon-fri "
                            "08:00-20:00)",
                            s);
    return relay(p, inc_rotation_add_layer_window(p->rot, p->layer, days, a, b));
}

static int on_layer_dates(struct parser *p, enum key k)
{
    char *dst = k == K_LAYER_FROM ? p->layer_from : p->layer_until;
    int64_t day;
    if (inc__layer_parse_date(p->kv.val, p->kv.val_len, &day) != INC_OK)
        return inc__kv_fail(&p->kv, INC_EINVAL, "%s: '%.16s' is not a date YYYY-MM-DD",
                            key_names[k], p->kv.val);
    memcpy(dst, p->kv.val, p->kv.val_len + 1);
    return relay(p, inc_rotation_set_layer_dates(p->rot, p->layer,
                                                 p->layer_from[0] ? p->layer_from : NULL,
                                                 p->layer_until[0] ? p->layer_until : NULL));
}

static int on_layer_key(struct parser *p, enum key k)
{
    switch (k) {
    case K_LAYER:
        p->in_layer = 1;
        p->layer_from[0] = p->layer_until[0] = '\0';
        p->seen &= ~LAYER_KEYS;
        return relay(p, inc_rotation_add_layer(p->rot, p->kv.val, NULL, &p->layer));
    case K_LAYER_ZONE:
        return relay(p, inc__layer_set_zone(p->rot, p->layer, p->kv.val));
    case K_RESTRICT:
        return on_restrict(p);
    case K_MEMBER:
        return relay(p, inc_rotation_add_layer_person(p->rot, p->layer, p->kv.val));
    default:
        return on_layer_dates(p, k);
    }
}

/* ---- lines -------------------------------------------------------------------- */

static int dispatch(struct parser *p, enum key k)
{
    if (k == K_NAME)
        return on_name(p);
    if (k >= K_TO)
        return on_override_key(p, k);
    if (k >= K_LAYER && k <= K_MEMBER)
        return on_layer_key(p, k);
    switch (k) {
    case K_ZONE:
        return relay(p, inc_rotation_set_zone(p->rot, p->kv.val));
    case K_PERIOD:
        return on_period(p);
    case K_START:
        return on_start(p);
    case K_HANDOFF:
        return on_handoff(p);
    case K_SECONDARY:
        return on_secondary(p);
    case K_ROLE:
        return on_role(p);
    case K_PERSON:
        return relay(p, inc_rotation_add_person(p->rot, p->kv.val));
    default:
        return on_override(p, k == K_SWAP);
    }
}

/* Where key @k may come, given what came before. */
static int check_place(struct parser *p, enum key k)
{
    const char *name = key_names[k];
    if (k == K_NAME && p->rot)
        return inc__kv_fail(&p->kv, INC_EPARSE, "duplicate key 'name'");
    if (k != K_NAME && !p->rot)
        return inc__kv_fail(&p->kv, INC_EPARSE, "'%s' before 'name' (name comes first)", name);
    if (k >= K_TO && !p->in_override)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "'%s' outside an override (start one with 'override = ...')", name);
    if (((1u << k) & LAYER_KEYS) && !p->in_layer)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "'%s' outside a layer (start one with 'layer = NAME')", name);
    if (k < K_OVERRIDE && k != K_NAME && p->in_override)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "'%s' after an override (rotation keys come before overrides)", name);
    if (k < K_LAYER && k != K_NAME && p->in_layer)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "'%s' after a layer (rotation keys come before layers)", name);
    if (!((1u << k) & REPEATABLE) && (p->seen & (1u << k)))
        return inc__kv_fail(&p->kv, INC_EPARSE, "duplicate key '%s'%s", name,
                            k >= K_TO ? " in this override" : "");
    p->seen |= 1u << k;
    return INC_OK;
}

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
}

static int on_pair(void *user, struct inc__kv *kv, const char *vs, const char *e)
{
    struct parser *p = user;
    const char *k = kv->key;
    int i, rc;

    for (i = 0; i < K_COUNT; i++)
        if (strlen(key_names[i]) == kv->key_len && memcmp(key_names[i], k, kv->key_len) == 0)
            break;
    if (i == K_COUNT)
        return inc__kv_unknown_key(kv);
    if ((rc = check_place(p, (enum key)i)) != INC_OK || (rc = inc__kv_decode(kv, vs, e)) != INC_OK)
        return rc;
    return dispatch(p, (enum key)i);
}

static int finish(struct parser *p)
{
    int64_t y;
    unsigned m, d, wday;
    int rc;

    if ((rc = inc__kv_check_end(&p->kv, p->rot != NULL)) != INC_OK ||
        (rc = close_override(p)) != INC_OK)
        return rc;
    if (p->handoff_wday < 0)
        return INC_OK;
    p->kv.line = p->handoff_line;
    p->kv.line_off = p->handoff_off;
    if (p->rot->period_days % 7 != 0)
        return inc__kv_fail(
            &p->kv, INC_EINVAL,
            "handoff: a weekday needs a period of whole weeks (the period is %u days)",
            p->rot->period_days);
    inc__civil_from_days(p->rot->start_day, &y, &m, &d);
    wday = (unsigned)(((p->rot->start_day + 4) % 7 + 7) % 7);
    if ((int)wday != p->handoff_wday)
        return inc__kv_fail(&p->kv, INC_EINVAL,
                            "handoff: %s, but the start date %04lld-%02u-%02u is a %s",
                            weekdays[p->handoff_wday], (long long)y, m, d, weekdays[wday]);
    return INC_OK;
}

int inc_rotation_parse(inc_context *ctx, const char *text, size_t len, inc_rotation **out,
                       inc_diag *diag)
{
    struct parser *p;
    int rc;

    inc__kv_diag_init(diag);
    if (!ctx || !text || !out) {
        if (diag) {
            diag->code = INC_EINVAL;
            snprintf(diag->message, sizeof(diag->message), "ctx, text and out must not be NULL");
        }
        return INC_EINVAL;
    }
    *out = NULL;
    /* The parser holds a value buffer of INC_TEXT_MAX bytes: on the heap. */
    if (!(p = inc__calloc(&ctx->alloc, 1, sizeof(*p))))
        return diag ? (diag->code = INC_ENOMEM) : INC_ENOMEM;
    p->ctx = ctx;
    p->kv.diag = diag;
    p->kv.header = HEADER;
    p->kv.version = FORMAT_VERSION;
    p->kv.key_char = key_char;
    p->kv.val = p->val;
    p->kv.val_max = VALUE_MAX;
    p->handoff_wday = -1;
    rc = inc__kv_parse(&p->kv, text, len, on_pair, p);
    if (rc == INC_OK)
        rc = finish(p);
    if (p->ov_reason)
        inc__free(&ctx->alloc, p->ov_reason);
    if (rc == INC_OK)
        *out = p->rot;
    else
        inc_rotation_free(p->rot);
    inc__free(&ctx->alloc, p);
    return rc;
}

/* ---- writing ----------------------------------------------------------------------- */

static void put_time(inc__buf *b, inc_time t)
{
    char when[32];
    inc_time_format(t, when, sizeof(when));
    inc__buf_puts(b, when);
}

static void write_override(inc__buf *b, const inc__override *o)
{
    inc__buf_printf(b, "\n%s = %s ", o->swap ? "swap" : "override", layers[o->layer]);
    put_time(b, o->start);
    inc__buf_putc(b, ' ');
    put_time(b, o->end);
    inc__buf_putc(b, '\n');
    inc__kv_put(b, "  ", "", "to", o->person);
    if (o->by[0])
        inc__kv_put(b, "  ", "", "by", o->by);
    if (o->reason[0] && !o->swap)
        inc__kv_put(b, "  ", "", "reason", o->reason);
    if (o->recorded_at != INC_TIME_NONE) {
        inc__buf_puts(b, "  recorded = ");
        put_time(b, o->recorded_at);
        inc__buf_putc(b, '\n');
    }
}

int inc_rotation_write(const inc_rotation *rot, char **out, size_t *len)
{
    unsigned p = rot ? rot->period_days : 0;
    int64_t y;
    unsigned m, d;
    inc__buf b;
    size_t i;

    if (!rot || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, &rot->alloc);
    inc__buf_printf(&b, "%s %d\nname = %s\nzone = %s\n", HEADER, FORMAT_VERSION, rot->name,
                    rot->zone->name);
    if (p == 1 || p == 7)
        inc__buf_printf(&b, "period = %s\n", p == 1 ? "daily" : "weekly");
    else
        inc__buf_printf(&b, "period = %ud\n", p);
    inc__civil_from_days(rot->start_day, &y, &m, &d);
    inc__buf_printf(&b, "start = %04lld-%02u-%02u\nhandoff = ", (long long)y, m, d);
    if (p % 7 == 0)
        inc__buf_printf(&b, "%s ", weekdays[((rot->start_day + 4) % 7 + 7) % 7]);
    inc__buf_printf(&b, "%02u:%02u\n", rot->handoff_min / 60, rot->handoff_min % 60);
    if (rot->secondary)
        inc__buf_printf(&b, "secondary = %u\n", rot->secondary);
    else
        inc__buf_puts(&b, "secondary = none\n");
    inc__buf_printf(&b, "role = %s\n",
                    rot->role == INC_ROLE_COUNT ? "none" : inc_role_name(rot->role));
    for (i = 0; i < rot->count; i++)
        inc__kv_put(&b, "", "", "person", rot->people[i]);
    inc__layers_write(&b, rot);
    for (i = 0; i < rot->ov_count; i++)
        write_override(&b, &rot->ovs[i]);
    if (inc__buf_detach(&b, out, len) != INC_OK)
        return inc__error_oom(inc__rotation_err(rot));
    return INC_OK;
}
