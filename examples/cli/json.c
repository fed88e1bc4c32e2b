/* incident(1): the JSON writer. The library's own JSON writer is internal,
 * so the tool has this small one; every JSON byte the tool itself writes
 * goes through here (strings through jw_escape()). */
#include "cli.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n, i;
    unsigned cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

void jw_escape(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0) { /* not UTF-8 (text echoed from the command line): U+FFFD */
            fputs("\\ufffd", f);
            p++;
            continue;
        }
        if (n > 1) {
            fwrite(p, 1, n, f);
            p += n;
            continue;
        }
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\b':
            fputs("\\b", f);
            break;
        case '\f':
            fputs("\\f", f);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
        p++;
    }
    fputc('"', f);
}

void jw_init(jw *w, FILE *f)
{
    memset(w, 0, sizeof(*w));
    w->f = f;
}

/* Before a value: a comma if a sibling came before (not after a key). */
static void before_value(jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->need_comma[w->depth])
        fputc(',', w->f);
    w->need_comma[w->depth] = 1;
}

static void open_nest(jw *w, char ch)
{
    before_value(w);
    fputc(ch, w->f);
    if (w->depth + 1 < (int)sizeof(w->need_comma))
        w->depth++;
    w->need_comma[w->depth] = 0;
}

static void close_nest(jw *w, char ch)
{
    fputc(ch, w->f);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj(jw *w)
{
    open_nest(w, '{');
}
void jw_end_obj(jw *w)
{
    close_nest(w, '}');
}
void jw_arr(jw *w)
{
    open_nest(w, '[');
}
void jw_end_arr(jw *w)
{
    close_nest(w, ']');
}

void jw_key(jw *w, const char *key)
{
    before_value(w);
    jw_escape(w->f, key);
    fputc(':', w->f);
    w->after_key = 1;
}

void jw_str(jw *w, const char *s)
{
    before_value(w);
    if (s)
        jw_escape(w->f, s);
    else
        fputs("null", w->f);
}

void jw_int(jw *w, long long v)
{
    before_value(w);
    fprintf(w->f, "%lld", v);
}

void jw_bool(jw *w, int v)
{
    before_value(w);
    fputs(v ? "true" : "false", w->f);
}

void jw_null(jw *w)
{
    before_value(w);
    fputs("null", w->f);
}

void jw_time(jw *w, inc_time t)
{
    char buf[32];
    if (t == INC_TIME_NONE || inc_time_format(t, buf, sizeof(buf)) != INC_OK)
        jw_null(w);
    else
        jw_str(w, buf);
}

void jw_raw(jw *w, const char *json)
{
    size_t n = strlen(json);
    before_value(w);
    while (n > 0 && (json[n - 1] == '\n' || json[n - 1] == ' '))
        n--; /* a document the library ended with a newline */
    fwrite(json, 1, n, w->f);
}

void jw_finish(jw *w)
{
    fputc('\n', w->f);
    fflush(w->f);
}

void jw_kstr(jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kint(jw *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(jw *w, const char *key, int v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

void jw_ktime(jw *w, const char *key, inc_time t)
{
    jw_key(w, key);
    jw_time(w, t);
}

void cli_json_wrap(cli *c, const char *id, const char *key, const char *doc)
{
    jw w;
    cli_json_start(c, &w);
    if (id)
        jw_kstr(&w, "id", id);
    jw_key(&w, key);
    jw_raw(&w, doc);
    jw_end_obj(&w);
    jw_finish(&w);
}

void jw_findings(jw *w, const inc_findings *list)
{
    size_t i, k, n = inc_findings_count(list);
    jw_arr(w);
    for (i = 0; i < n; i++) {
        const inc_finding *f = inc_findings_at(list, i);
        jw_obj(w);
        jw_kstr(w, "rule", f->rule_id);
        jw_kstr(w, "message", f->message);
        jw_kstr(w, "level", f->level);
        jw_kbool(w, "enforced", f->enforced);
        jw_key(w, "people");
        jw_arr(w);
        for (k = 0; k < f->people_count && k < 2; k++)
            jw_str(w, f->people[k]);
        jw_end_arr(w);
        jw_key(w, "roles");
        jw_arr(w);
        for (k = 0; k < f->role_count && k < 2; k++)
            jw_str(w, inc_role_name(f->roles[k]));
        jw_end_arr(w);
        jw_kint(w, "value", (long long)f->value);
        jw_ktime(w, "since", f->since);
        if (f->slot >= 0) {
            jw_kint(w, "slot", f->slot);
            jw_kint(w, "offset", (long long)f->offset);
            jw_kint(w, "length", (long long)f->length);
        }
        jw_end_obj(w);
    }
    jw_end_arr(w);
}
