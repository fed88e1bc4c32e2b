/* The rotation text format (lib/docs/rotation-format.md): "key = value"
 * lines like the rubric's. The parser builds the rotation through the
 * public setters, so a parsed rotation obeys the rules an API-built one
 * does, and every failure names its line. The writer writes every field in
 * one fixed order, so parse(write(r)) equals r and equal rotations give the
 * same bytes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "oncall_internal.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/time.h"

#define HEADER         "libincident-rotation"
#define FORMAT_VERSION 1
#define INPUT_MAX      ((size_t)1 << 20)
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
    K_OVERRIDE,
    K_TO,
    K_BY,
    K_REASON,
    K_RECORDED,
    K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "name",   "zone",     "period", "start", "handoff", "secondary", "role",
    "person", "override", "to",     "by",    "reason",  "recorded"};

struct parser {
    inc_context *ctx;
    inc_diag *diag;
    inc_rotation *rot;
    unsigned line;
    size_t line_off;
    int have_header;
    unsigned seen;    /* bit per key: rotation keys, then the current override's */
    int in_override;  /* an override block is open */
    unsigned ov_line; /* its line */
    size_t ov_off;
    inc_rotation_override ov;
    char ov_to[INC_NAME_MAX + 1], ov_by[INC_NAME_MAX + 1];
    char *ov_reason;  /* allocated: reasons may be long */
    int handoff_wday; /* -1: not given */
    unsigned handoff_line;
    size_t handoff_off;
    const char *key;
    size_t key_len;
    char val[VALUE_MAX + 1];
    size_t val_len;
};

static int fail(struct parser *p, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(struct parser *p, int code, const char *fmt, ...)
{
    char *m;
    size_t cap, used;
    va_list ap;
    int n;

    if (!p->diag)
        return code;
    m = p->diag->message;
    cap = sizeof(p->diag->message);
    n = p->line > 0 ? snprintf(m, cap, "line %u: ", p->line) : 0;
    used = n > 0 && (size_t)n < cap ? (size_t)n : 0;
    va_start(ap, fmt);
    if (vsnprintf(m + used, cap - used, fmt, ap) < 0)
        m[used] = '\0';
    va_end(ap);
    p->diag->code = code;
    p->diag->line = p->line;
    p->diag->offset = p->line_off;
    return code;
}

/* Relay a setter's refusal (its message names the field) with the line. */
static int relay(struct parser *p, int rc)
{
    return rc == INC_OK ? rc : fail(p, rc, "%s", p->rot->err.msg);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s, const char *e)
{
    while (s < e && is_blank(*s))
        s++;
    return s;
}

/* ---- values ---------------------------------------------------------------- */

static int put_val(struct parser *p, char c)
{
    if (p->val_len >= VALUE_MAX)
        return fail(p, INC_ETOOBIG, "%.*s: value is longer than %d bytes", (int)p->key_len, p->key,
                    VALUE_MAX);
    p->val[p->val_len++] = c;
    return INC_OK;
}

static char unescape(char c)
{
    switch (c) {
    case '\\':
        return '\\';
    case '"':
        return '"';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

static int unquote(struct parser *p, const char *s, const char *e)
{
    int rc;
    for (s++; s < e; s++) {
        char c = *s;
        if (c == '"') {
            if (skip_blanks(s + 1, e) != e)
                return fail(p, INC_EPARSE, "%.*s: text after the closing quote", (int)p->key_len,
                            p->key);
            return INC_OK;
        }
        if (c == '\\') {
            if (++s == e)
                break;
            if (!(c = unescape(*s)))
                return fail(p, INC_EPARSE, "%.*s: unknown escape (use \\\\ \\\" \\n \\r \\t)",
                            (int)p->key_len, p->key);
        }
        if ((rc = put_val(p, c)) != INC_OK)
            return rc;
    }
    return fail(p, INC_EPARSE, "%.*s: missing closing quote", (int)p->key_len, p->key);
}

/* The value in [s, e): quoted with escapes, or raw without trailing blanks. */
static int decode_value(struct parser *p, const char *s, const char *e)
{
    int rc = INC_OK;
    p->val_len = 0;
    if (s < e && *s == '"') {
        rc = unquote(p, s, e);
    } else {
        while (e > s && is_blank(e[-1]))
            e--;
        if ((size_t)(e - s) > VALUE_MAX)
            return fail(p, INC_ETOOBIG, "%.*s: value is longer than %d bytes", (int)p->key_len,
                        p->key, VALUE_MAX);
        memcpy(p->val, s, (size_t)(e - s));
        p->val_len = (size_t)(e - s);
    }
    p->val[p->val_len] = '\0';
    if (rc == INC_OK && memchr(p->val, '\0', p->val_len))
        return fail(p, INC_EPARSE, "%.*s: NUL byte in value", (int)p->key_len, p->key);
    return rc;
}

static int parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
    unsigned v = 0;
    size_t i;
    if (n == 0 || n > 9)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---- rotation keys ------------------------------------------------------------ */

static int on_period(struct parser *p)
{
    unsigned n = 0;
    char unit = p->val_len ? p->val[p->val_len - 1] : 0;
    if (strcmp(p->val, "daily") == 0)
        n = 1;
    else if (strcmp(p->val, "weekly") == 0)
        n = 7;
    else if ((unit == 'd' || unit == 'w') && parse_uint(p->val, p->val_len - 1, 9999, &n) == 0)
        n *= unit == 'w' ? 7 : 1;
    else
        return fail(p, INC_EPARSE,
                    "period: '%.40s' is not daily, weekly, Nd or Nw (such as 3d, 2w)", p->val);
    return relay(p, inc_rotation_set_period(p->rot, n));
}

static int on_start(struct parser *p)
{
    unsigned y, m, d;
    if (p->val_len != 10 || p->val[4] != '-' || p->val[7] != '-' ||
        parse_uint(p->val, 4, 9999, &y) || parse_uint(p->val + 5, 2, 12, &m) ||
        parse_uint(p->val + 8, 2, 31, &d))
        return fail(p, INC_EPARSE, "start: '%.40s' is not a date YYYY-MM-DD", p->val);
    return relay(p, inc_rotation_set_start(p->rot, (int)y, m, d));
}

/* handoff = [weekday] HH:MM */
static int on_handoff(struct parser *p)
{
    const char *s = p->val, *e = p->val + p->val_len, *sp = memchr(s, ' ', p->val_len);
    unsigned h, m;
    int i;

    p->handoff_wday = -1;
    if (sp) {
        for (i = 0; i < 7; i++)
            if (strlen(weekdays[i]) == (size_t)(sp - s) &&
                memcmp(weekdays[i], s, (size_t)(sp - s)) == 0)
                p->handoff_wday = i;
        if (p->handoff_wday < 0)
            return fail(p, INC_EPARSE, "handoff: '%.*s' is not a weekday (monday .. sunday)",
                        (int)(sp - s > 20 ? 20 : sp - s), s);
        s = skip_blanks(sp, e);
    }
    if (e - s != 5 || s[2] != ':' || parse_uint(s, 2, 99, &h) || parse_uint(s + 3, 2, 99, &m))
        return fail(p, INC_EPARSE, "handoff: '%.40s' is not [weekday] HH:MM (such as monday 10:00)",
                    p->val);
    p->handoff_line = p->line;
    p->handoff_off = p->line_off;
    return relay(p, inc_rotation_set_handoff(p->rot, h, m));
}

static int on_secondary(struct parser *p)
{
    unsigned n = 0;
    if (strcmp(p->val, "none") != 0 && parse_uint(p->val, p->val_len, INC_ROTATION_PEOPLE_MAX, &n))
        return fail(p, INC_EPARSE, "secondary: '%.40s' is not none or a number", p->val);
    return relay(p, inc_rotation_set_secondary(p->rot, n));
}

static int on_role(struct parser *p)
{
    inc_role role = INC_ROLE_COUNT;
    if (strcmp(p->val, "none") != 0 &&
        (inc_role_from_name(p->val, &role) != INC_OK || strcmp(inc_role_name(role), p->val)))
        return fail(p, INC_EPARSE, "role: '%.40s' is not none or a role name (ic, comms, ...)",
                    p->val);
    return relay(p, inc_rotation_set_role(p->rot, role));
}

static int on_name(struct parser *p)
{
    inc_error err = {0, ""};
    int rc;
    if (!inc__rotation_name_valid(p->val, &err))
        return fail(p, INC_EINVAL, "%s", err.msg);
    if ((rc = inc_rotation_new(p->ctx, p->val, &p->rot)) != INC_OK)
        return fail(p, rc, "name: %s", inc_context_errmsg(p->ctx));
    return INC_OK;
}

/* ---- overrides ---------------------------------------------------------------- */

static int parse_time(struct parser *p, const char *s, size_t n, const char *what, inc_time *out)
{
    char buf[40];
    if (n == 0 || n >= sizeof(buf))
        return fail(p, INC_EPARSE, "%s: missing or over-long time", what);
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inc_time_parse(buf, out) != INC_OK)
        return fail(p, INC_EPARSE, "%s: '%s' is not a UTC time such as 2026-03-02T09:00:00Z", what,
                    buf);
    return INC_OK;
}

/* Add the open override, if any: called at the next override and at the end. */
static int close_override(struct parser *p)
{
    unsigned line = p->line;
    size_t off = p->line_off;
    int rc;

    if (!p->in_override)
        return INC_OK;
    p->in_override = 0;
    p->line = p->ov_line;
    p->line_off = p->ov_off;
    if (!(p->seen & (1u << K_TO)))
        return fail(p, INC_EPARSE, "override: missing 'to = PERSON'");
    p->ov.person = p->ov_to;
    p->ov.by = p->ov_by;
    p->ov.reason = p->ov_reason ? p->ov_reason : "";
    rc = relay(p, inc_rotation_add_override(p->rot, &p->ov, NULL));
    inc__free(&p->rot->alloc, p->ov_reason);
    p->ov_reason = NULL;
    p->line = line;
    p->line_off = off;
    return rc;
}

/* override = <layer> <start> <end> */
static int on_override(struct parser *p)
{
    const char *s = p->val, *e = p->val + p->val_len, *t;
    int rc, layer = -1, i;

    if ((rc = close_override(p)) != INC_OK)
        return rc;
    for (t = s; t < e && !is_blank(*t);)
        t++;
    for (i = 0; i < INC_LAYER_COUNT; i++)
        if (strlen(layers[i]) == (size_t)(t - s) && memcmp(layers[i], s, (size_t)(t - s)) == 0)
            layer = i;
    if (layer < 0)
        return fail(p, INC_EPARSE, "override: '%.*s' is not primary or secondary",
                    (int)(t - s > 20 ? 20 : t - s), s);
    memset(&p->ov, 0, sizeof(p->ov));
    p->ov.layer = (inc_layer)layer;
    p->ov.recorded_at = INC_TIME_NONE;
    s = skip_blanks(t, e);
    for (t = s; t < e && !is_blank(*t);)
        t++;
    if ((rc = parse_time(p, s, (size_t)(t - s), "override start", &p->ov.start)) != INC_OK)
        return rc;
    s = skip_blanks(t, e);
    for (t = s; t < e && !is_blank(*t);)
        t++;
    if ((rc = parse_time(p, s, (size_t)(t - s), "override end", &p->ov.end)) != INC_OK)
        return rc;
    if (skip_blanks(t, e) != e)
        return fail(p, INC_EPARSE, "override: expected '<layer> <start> <end>', found more");
    p->in_override = 1;
    p->ov_line = p->line;
    p->ov_off = p->line_off;
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
        return parse_time(p, p->val, p->val_len, "recorded", &p->ov.recorded_at);
    case K_REASON:
        if (inc__check_text(&err, "reason", p->val, INC_TEXT_MAX, INC__TEXT_OPTIONAL) != INC_OK)
            return fail(p, INC_EINVAL, "%s", err.msg);
        if (!(p->ov_reason = inc__strdup(&p->rot->alloc, p->val)))
            return fail(p, INC_ENOMEM, "out of memory");
        return INC_OK;
    default:
        if (k == K_BY)
            flags |= INC__TEXT_OPTIONAL;
        if (inc__check_text(&err, key_names[k], p->val, INC_NAME_MAX, flags) != INC_OK)
            return fail(p, INC_EINVAL, "%s", err.msg);
        memcpy(k == K_TO ? p->ov_to : p->ov_by, p->val, p->val_len + 1);
        return INC_OK;
    }
}

/* ---- lines -------------------------------------------------------------------- */

static int dispatch(struct parser *p, enum key k)
{
    if (k == K_NAME)
        return on_name(p);
    if (k >= K_TO)
        return on_override_key(p, k);
    switch (k) {
    case K_ZONE:
        return relay(p, inc_rotation_set_zone(p->rot, p->val));
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
        return relay(p, inc_rotation_add_person(p->rot, p->val));
    default:
        return on_override(p);
    }
}

/* Where key @k may come, given what came before. */
static int check_place(struct parser *p, enum key k)
{
    const char *name = key_names[k];
    if (k == K_NAME && p->rot)
        return fail(p, INC_EPARSE, "duplicate key 'name'");
    if (k != K_NAME && !p->rot)
        return fail(p, INC_EPARSE, "'%s' before 'name' (name comes first)", name);
    if (k >= K_TO && !p->in_override)
        return fail(p, INC_EPARSE, "'%s' outside an override (start one with 'override = ...')",
                    name);
    if (k < K_OVERRIDE && k != K_NAME && p->in_override)
        return fail(p, INC_EPARSE, "'%s' after an override (rotation keys come before overrides)",
                    name);
    if (k != K_PERSON && k != K_OVERRIDE && (p->seen & (1u << k)))
        return fail(p, INC_EPARSE, "duplicate key '%s'%s", name,
                    k >= K_TO ? " in this override" : "");
    p->seen |= 1u << k;
    return INC_OK;
}

static int on_header(struct parser *p, const char *s, const char *e)
{
    size_t hl = sizeof(HEADER) - 1;
    if ((size_t)(e - s) > hl && memcmp(s, HEADER, hl) == 0 && is_blank(s[hl])) {
        const char *v = skip_blanks(s + hl, e), *ve = e;
        while (ve > v && is_blank(ve[-1]))
            ve--;
        if (ve - v == 1 && *v == '0' + FORMAT_VERSION) {
            p->have_header = 1;
            return INC_OK;
        }
        return fail(p, INC_EVERSION, "format version '%.*s' is not supported (this build reads %d)",
                    (int)(ve - v > 20 ? 20 : ve - v), v, FORMAT_VERSION);
    }
    return fail(p, INC_EPARSE, "expected the header '" HEADER " %d'", FORMAT_VERSION);
}

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
}

static int on_line(struct parser *p, const char *s, const char *e)
{
    const char *k, *eq;
    int i, rc;

    s = skip_blanks(s, e);
    if (s == e || *s == '#')
        return INC_OK;
    if (!p->have_header)
        return on_header(p, s, e);
    for (k = s; s < e && key_char(*s);)
        s++;
    p->key = k;
    p->key_len = (size_t)(s - k);
    eq = skip_blanks(s, e);
    if (p->key_len == 0 || eq == e || *eq != '=')
        return fail(p, INC_EPARSE, "expected 'key = value', found '%.*s'",
                    (int)(e - k > 40 ? 40 : e - k), k);
    for (i = 0; i < K_COUNT; i++)
        if (strlen(key_names[i]) == p->key_len && memcmp(key_names[i], k, p->key_len) == 0)
            break;
    if (i == K_COUNT)
        return fail(p, INC_EPARSE, "unknown key '%.*s'", (int)(p->key_len > 40 ? 40 : p->key_len),
                    k);
    if ((rc = check_place(p, (enum key)i)) != INC_OK ||
        (rc = decode_value(p, skip_blanks(eq + 1, e), e)) != INC_OK)
        return rc;
    return dispatch(p, (enum key)i);
}

/* One line's end, checking it: no control characters but tab, valid UTF-8. */
static int scan_line(struct parser *p, const char *s, const char *end, const char **e,
                     const char **next)
{
    unsigned high = 0;
    const char *c;
    for (c = s; c < end; c++) {
        unsigned char u = (unsigned char)*c;
        high |= u;
        if ((u >= 0x20 && u != 0x7f) || u == '\t')
            continue;
        if (u == '\n' || (u == '\r' && c + 1 < end && c[1] == '\n'))
            break;
        return fail(p, INC_EPARSE, "control character 0x%02x at column %zu", u,
                    (size_t)(c - s) + 1);
    }
    *e = c;
    *next = c == end ? end : c + (*c == '\r' ? 2 : 1);
    if ((high & 0x80) && !inc__utf8_valid(s, (size_t)(c - s)))
        return fail(p, INC_EINVAL, "not valid UTF-8");
    return INC_OK;
}

static int finish(struct parser *p)
{
    int64_t y;
    unsigned m, d, wday;
    int rc;

    if (!p->have_header)
        return fail(p, INC_EPARSE, "no header (expected '" HEADER " %d')", FORMAT_VERSION);
    if (!p->rot)
        return fail(p, INC_EPARSE, "missing key 'name'");
    if ((rc = close_override(p)) != INC_OK)
        return rc;
    if (p->handoff_wday < 0)
        return INC_OK;
    p->line = p->handoff_line;
    p->line_off = p->handoff_off;
    if (p->rot->period_days % 7 != 0)
        return fail(p, INC_EINVAL,
                    "handoff: a weekday needs a period of whole weeks (the period is %u days)",
                    p->rot->period_days);
    inc__civil_from_days(p->rot->start_day, &y, &m, &d);
    wday = (unsigned)(((p->rot->start_day + 4) % 7 + 7) % 7);
    if ((int)wday != p->handoff_wday)
        return fail(p, INC_EINVAL, "handoff: %s, but the start date %04lld-%02u-%02u is a %s",
                    weekdays[p->handoff_wday], (long long)y, m, d, weekdays[wday]);
    return INC_OK;
}

int inc_rotation_parse(inc_context *ctx, const char *text, size_t len, inc_rotation **out,
                       inc_diag *diag)
{
    const char *s = text, *end;
    struct parser *p;
    int rc = INC_OK;

    if (diag) {
        memset(diag, 0, sizeof(*diag));
        diag->code = INC_OK;
    }
    if (!ctx || !text || !out) {
        if (diag) {
            diag->code = INC_EINVAL;
            snprintf(diag->message, sizeof(diag->message), "ctx, text and out must not be NULL");
        }
        return INC_EINVAL;
    }
    *out = NULL;
    end = text + len;
    /* The parser holds a value buffer of INC_TEXT_MAX bytes: on the heap. */
    if (!(p = inc__calloc(&ctx->alloc, 1, sizeof(*p))))
        return diag ? (diag->code = INC_ENOMEM) : INC_ENOMEM;
    p->ctx = ctx;
    p->diag = diag;
    p->handoff_wday = -1;
    if (len > INPUT_MAX)
        rc = fail(p, INC_ETOOBIG, "input of %zu bytes is larger than 1 MiB", len);
    while (rc == INC_OK && s < end) {
        const char *e = s, *next = end;
        p->line++;
        p->line_off = (size_t)(s - text);
        if ((rc = scan_line(p, s, end, &e, &next)) == INC_OK)
            rc = on_line(p, s, e);
        s = next;
    }
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

static int needs_quotes(const char *s)
{
    size_t n = strlen(s), i;
    if (n == 0)
        return 0;
    if (is_blank(s[0]) || s[0] == '"' || is_blank(s[n - 1]))
        return 1;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

static void put_value(inc__buf *b, const char *s)
{
    if (!needs_quotes(s)) {
        inc__buf_puts(b, s);
        return;
    }
    inc__buf_putc(b, '"');
    for (; *s; s++) {
        switch (*s) {
        case '\\':
            inc__buf_puts(b, "\\\\");
            break;
        case '"':
            inc__buf_puts(b, "\\\"");
            break;
        case '\n':
            inc__buf_puts(b, "\\n");
            break;
        case '\r':
            inc__buf_puts(b, "\\r");
            break;
        case '\t':
            inc__buf_puts(b, "\\t");
            break;
        default:
            inc__buf_putc(b, *s);
        }
    }
    inc__buf_putc(b, '"');
}

static void put_kv(inc__buf *b, const char *indent, const char *key, const char *value)
{
    inc__buf_printf(b, "%s%s = ", indent, key);
    put_value(b, value);
    inc__buf_putc(b, '\n');
}

static void put_time(inc__buf *b, inc_time t)
{
    char when[32];
    inc_time_format(t, when, sizeof(when));
    inc__buf_puts(b, when);
}

static void write_override(inc__buf *b, const inc__override *o)
{
    inc__buf_printf(b, "\noverride = %s ", layers[o->layer]);
    put_time(b, o->start);
    inc__buf_putc(b, ' ');
    put_time(b, o->end);
    inc__buf_putc(b, '\n');
    put_kv(b, "  ", "to", o->person);
    if (o->by[0])
        put_kv(b, "  ", "by", o->by);
    if (o->reason[0])
        put_kv(b, "  ", "reason", o->reason);
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
        put_kv(&b, "", "person", rot->people[i]);
    for (i = 0; i < rot->ov_count; i++)
        write_override(&b, &rot->ovs[i]);
    if (inc__buf_detach(&b, out, len) != INC_OK)
        return inc__error_oom(inc__rotation_err(rot));
    return INC_OK;
}
