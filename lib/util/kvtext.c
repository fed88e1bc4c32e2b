/* The lexical layer of the "key = value" text formats (see kvtext.h). */
#include "util/kvtext.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

void inc__kv_diag_init(inc_diag *diag)
{
    if (diag != NULL) {
        memset(diag, 0, sizeof *diag);
        diag->code = INC_OK;
    }
}

int inc__kv_fail(struct inc__kv *kv, int code, const char *fmt, ...)
{
    if (kv->diag == NULL)
        return code;
    char *m = kv->diag->message;
    size_t cap = sizeof kv->diag->message;
    /* Line 0: the failure is about the arguments, not a line. */
    int n = kv->line > 0 ? snprintf(m, cap, "line %u: ", kv->line) : 0;
    size_t used = n > 0 && (size_t)n < cap ? (size_t)n : 0;
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(m + used, cap - used, fmt, ap) < 0)
        m[used] = '\0';
    va_end(ap);
    kv->diag->code = code;
    kv->diag->line = kv->line;
    kv->diag->offset = kv->line_off;
    return code;
}

int inc__kv_unknown_key(struct inc__kv *kv)
{
    return inc__kv_fail(kv, INC_EPARSE, "unknown key '%.*s'",
                        (int)(kv->key_len > 40 ? 40 : kv->key_len), kv->key);
}

int inc__kv_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

const char *inc__kv_skip_blanks(const char *s, const char *e)
{
    while (s < e && inc__kv_is_blank(*s))
        s++;
    return s;
}

/* ---- values ------------------------------------------------------------- */

static int too_long(struct inc__kv *kv)
{
    return inc__kv_fail(kv, INC_ETOOBIG, "%.*s: value is longer than %d bytes", (int)kv->key_len,
                        kv->key, (int)kv->val_max);
}

/* The character escape @c stands for, or 0 if it is not an escape. */
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

static int bad_escape(struct inc__kv *kv, char c)
{
    if (kv->flags & INC__KV_NAME_BAD_ESCAPE)
        return inc__kv_fail(kv, INC_EPARSE,
                            "%.*s: unknown escape '\\%c' (use \\\\ \\\" \\n \\r \\t)",
                            (int)kv->key_len, kv->key, (c > ' ' && c < 0x7f) ? c : '?');
    return inc__kv_fail(kv, INC_EPARSE, "%.*s: unknown escape (use \\\\ \\\" \\n \\r \\t)",
                        (int)kv->key_len, kv->key);
}

/* The quoted value at @s (which is '"') up to @e. */
static int unquote(struct inc__kv *kv, const char *s, const char *e)
{
    for (s++; s < e; s++) {
        char c = *s;
        if (c == '"') {
            if (inc__kv_skip_blanks(s + 1, e) != e)
                return inc__kv_fail(kv, INC_EPARSE, "%.*s: text after the closing quote",
                                    (int)kv->key_len, kv->key);
            return INC_OK;
        }
        if (c == '\\') {
            if (++s == e)
                break;
            if (!(c = unescape(*s)))
                return bad_escape(kv, *s);
        }
        if (kv->val_len >= kv->val_max)
            return too_long(kv);
        kv->val[kv->val_len++] = c;
    }
    return inc__kv_fail(kv, INC_EPARSE, "%.*s: missing closing quote", (int)kv->key_len, kv->key);
}

int inc__kv_decode(struct inc__kv *kv, const char *s, const char *e)
{
    int rc = INC_OK;
    kv->val_len = 0;
    if (s < e && *s == '"') {
        rc = unquote(kv, s, e);
    } else {
        while (e > s && inc__kv_is_blank(e[-1]))
            e--;
        if ((size_t)(e - s) > kv->val_max)
            return too_long(kv);
        memcpy(kv->val, s, (size_t)(e - s));
        kv->val_len = (size_t)(e - s);
    }
    kv->val[kv->val_len] = '\0';
    /* "\0" cannot be written as an escape, but keep the check in case a
     * future escape can produce one: a C string must not hide bytes. */
    if (rc == INC_OK && memchr(kv->val, '\0', kv->val_len) != NULL)
        return inc__kv_fail(kv, INC_EPARSE, "%.*s: NUL byte in value", (int)kv->key_len, kv->key);
    return rc;
}

int inc__kv_parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
    unsigned v = 0;
    /* Nine digits always fit an unsigned. */
    if (n == 0 || n > 9)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---- lines -------------------------------------------------------------- */

static int on_header(struct inc__kv *kv, const char *s, const char *e)
{
    size_t hl = strlen(kv->header);
    if ((size_t)(e - s) > hl && memcmp(s, kv->header, hl) == 0 && inc__kv_is_blank(s[hl])) {
        const char *v = inc__kv_skip_blanks(s + hl, e), *ve = e;
        while (ve > v && inc__kv_is_blank(ve[-1]))
            ve--;
        if (ve - v == 1 && *v == '0' + kv->version) {
            kv->have_header = 1;
            return INC_OK;
        }
        return inc__kv_fail(kv, INC_EVERSION,
                            "format version '%.*s' is not supported (this build reads %d)",
                            (int)(ve - v > 20 ? 20 : ve - v), v, kv->version);
    }
    return inc__kv_fail(kv, INC_EPARSE, "expected the header '%s %d'", kv->header, kv->version);
}

static int on_line(struct inc__kv *kv, const char *s, const char *e, inc__kv_pair_fn on_pair,
                   void *user)
{
    s = inc__kv_skip_blanks(s, e);
    if (s == e || *s == '#')
        return INC_OK;
    if (!kv->have_header)
        return on_header(kv, s, e);
    const char *k = s;
    while (s < e && kv->key_char(*s))
        s++;
    kv->key = k;
    kv->key_len = (size_t)(s - k);
    const char *eq = inc__kv_skip_blanks(s, e);
    if (kv->key_len == 0 || eq == e || *eq != '=')
        return inc__kv_fail(kv, INC_EPARSE, "expected 'key = value', found '%.*s'",
                            (int)(e - k > 40 ? 40 : e - k), k);
    return on_pair(user, kv, inc__kv_skip_blanks(eq + 1, e), e);
}

/* Find the end of the line at @s while checking it, in one pass: control
 * characters other than tab are not allowed (values spell them as
 * escapes; "\r\n" ends a line like "\n"), and the line must be UTF-8.
 * Sets *e to the end of the line's content and *next to the next line. */
static int scan_line(struct inc__kv *kv, const char *s, const char *end, const char **e,
                     const char **next)
{
    unsigned high = 0;
    const char *c = s;
    for (; c < end; c++) {
        unsigned char u = (unsigned char)*c;
        high |= u;
        if ((u >= 0x20 && u != 0x7f) || u == '\t')
            continue;
        if (u == '\n' || (u == '\r' && c + 1 < end && c[1] == '\n'))
            break;
        return inc__kv_fail(kv, INC_EPARSE, "control character 0x%02x at column %zu", u,
                            (size_t)(c - s) + 1);
    }
    *e = c;
    *next = c == end ? end : c + (*c == '\r' ? 2 : 1);
    /* Most lines are ASCII: only the others need the UTF-8 check. */
    if ((high & 0x80) && !inc__utf8_valid(s, (size_t)(c - s)))
        return inc__kv_fail(kv, INC_EINVAL, "not valid UTF-8");
    return INC_OK;
}

int inc__kv_parse(struct inc__kv *kv, const char *text, size_t len, inc__kv_pair_fn on_pair,
                  void *user)
{
    if (len > INC__KV_INPUT_MAX)
        return inc__kv_fail(kv, INC_ETOOBIG, "input of %zu bytes is larger than 1 MiB", len);
    const char *s = text, *end = text + len;
    while (s < end) {
        const char *e = s, *next = end;
        kv->line++;
        kv->line_off = (size_t)(s - text);
        int rc = scan_line(kv, s, end, &e, &next);
        if (rc == INC_OK)
            rc = on_line(kv, s, e, on_pair, user);
        if (rc != INC_OK)
            return rc;
        s = next;
    }
    return INC_OK;
}

int inc__kv_check_end(struct inc__kv *kv, int named)
{
    if (!kv->have_header)
        return inc__kv_fail(kv, INC_EPARSE, "no header (expected '%s %d')", kv->header,
                            kv->version);
    if (!named)
        return inc__kv_fail(kv, INC_EPARSE, "missing key 'name'");
    return INC_OK;
}

/* ---- writing ------------------------------------------------------------ */

/* A value is quoted when writing it raw would lose something: leading or
 * trailing blanks, a leading quote, or a control character. */
static int needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 0;
    if (inc__kv_is_blank(s[0]) || s[0] == '"' || inc__kv_is_blank(s[n - 1]))
        return 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

void inc__kv_put_value(inc__buf *b, const char *s)
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

void inc__kv_put(inc__buf *b, const char *indent, const char *prefix, const char *key,
                 const char *value)
{
    inc__buf_puts(b, indent);
    inc__buf_puts(b, prefix);
    inc__buf_puts(b, key);
    inc__buf_puts(b, " =");
    if (value[0] != '\0') {
        inc__buf_putc(b, ' ');
        inc__kv_put_value(b, value);
    }
    inc__buf_putc(b, '\n');
}
