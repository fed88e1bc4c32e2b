/* JSON writer helpers and a strict RFC 8259 tree parser. */
#include "util/json.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/map.h"
#include "util/text.h"

/* ---- writer ---- */

int inc__json_put_strn(inc__buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    inc__buf_putc(b, '"');
    size_t run = 0; /* bytes copied verbatim are appended in runs */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        inc__buf_put(b, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            break;
        }
        inc__buf_puts(b, esc);
    }
    if (n > run) /* (s may be NULL when n is 0: no pointer arithmetic on it) */
        inc__buf_put(b, s + run, n - run);
    return inc__buf_putc(b, '"');
}

int inc__json_put_str(inc__buf *b, const char *s)
{
    return inc__json_put_strn(b, s, strlen(s));
}

int inc__json_put_i64(inc__buf *b, int64_t v)
{
    return inc__buf_printf(b, "%lld", (long long)v);
}

int inc__json_put_u64(inc__buf *b, uint64_t v)
{
    return inc__buf_printf(b, "%llu", (unsigned long long)v);
}

int inc__json_put_bool(inc__buf *b, int v)
{
    return inc__buf_puts(b, v ? "true" : "false");
}

/* ---- parser ---- */

typedef struct parser {
    const inc_allocator *a;
    const char *s;
    size_t len, pos;
    int depth;
    int code; /* the first failure, kept when diag is NULL */
    inc_diag *diag;
    const inc__json_limits *lim; /* NULL: no limit, nothing streamed */
    size_t live;                 /* bytes the tree holds now (see charge()) */
    inc__json *root;             /* the root object, for on_item */
    int stream_next;             /* the array about to be parsed is streamed */
} parser;

static int fail_at(parser *p, int code, size_t offset, const char *what)
{
    p->code = code;
    if (p->diag != NULL) {
        unsigned line = 1;
        for (size_t i = 0; i < offset && i < p->len; i++)
            line += p->s[i] == '\n';
        p->diag->code = code;
        p->diag->line = line;
        p->diag->offset = offset;
        snprintf(p->diag->message, sizeof p->diag->message, "JSON: %s at offset %zu (line %u)",
                 what, offset, line);
    }
    return code;
}

static int oom(parser *p)
{
    return fail_at(p, INC_ENOMEM, p->pos, "out of memory");
}

/* Count @n more bytes held by the tree against the limit: a document whose
 * tree would outgrow it is refused before the memory is taken. */
static int charge(parser *p, size_t n)
{
    p->live += n;
    if (p->lim == NULL || p->lim->max_tree == 0 || p->live <= p->lim->max_tree)
        return INC_OK;
    char what[96];
    snprintf(what, sizeof what, "the document needs more than %zu bytes of memory to parse",
             p->lim->max_tree);
    return fail_at(p, INC_ETOOBIG, p->pos, what);
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int peek(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int parse_value(parser *p, inc__json **out);

/* A new node, or NULL with the failure recorded in p->code (over the
 * limit, or out of memory). */
static inc__json *new_node(parser *p, inc__json_type type, size_t offset)
{
    if (charge(p, sizeof(inc__json)) != INC_OK)
        return NULL;
    inc__json *v = inc__calloc(p->a, 1, sizeof *v);
    if (v == NULL) {
        oom(p);
        return NULL;
    }
    v->type = type;
    v->offset = offset;
    return v;
}

static int literal(parser *p, const char *word, inc__json_type type, int boolean, inc__json **out)
{
    size_t n = strlen(word), start = p->pos;
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail_at(p, INC_EPARSE, start, "invalid literal");
    p->pos += n;
    if ((*out = new_node(p, type, start)) == NULL)
        return p->code;
    (*out)->boolean = boolean;
    return INC_OK;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Digits at p->pos; returns how many. */
static size_t digits(parser *p)
{
    size_t n = 0;
    while (is_digit(peek(p))) {
        p->pos++;
        n++;
    }
    return n;
}

/* Exact int64 conversion of an integer literal; 0 if it does not fit. */
static int to_int64(const char *s, size_t n, int64_t *out)
{
    int neg = s[0] == '-';
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t i = (size_t)neg; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

static int parse_number(parser *p, inc__json **out)
{
    size_t start = p->pos;
    int integral = 1;
    if (peek(p) == '-')
        p->pos++;
    if (peek(p) == '0') {
        p->pos++;
        if (is_digit(peek(p)))
            return fail_at(p, INC_EPARSE, p->pos, "leading zero in number");
    } else if (digits(p) == 0) {
        return fail_at(p, INC_EPARSE, p->pos, "expected a digit");
    }
    if (peek(p) == '.') {
        p->pos++;
        integral = 0;
        if (digits(p) == 0)
            return fail_at(p, INC_EPARSE, p->pos, "expected a digit after '.'");
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        integral = 0;
        if (peek(p) == '+' || peek(p) == '-')
            p->pos++;
        if (digits(p) == 0)
            return fail_at(p, INC_EPARSE, p->pos, "expected a digit in exponent");
    }
    inc__json *v = new_node(p, INC__JSON_NUMBER, start);
    if (v == NULL)
        return p->code;
    v->str_len = p->pos - start;
    if (charge(p, v->str_len + 1) != INC_OK) {
        inc__free(p->a, v);
        return p->code;
    }
    v->str = inc__strndup(p->a, p->s + start, v->str_len);
    if (v->str == NULL) {
        inc__free(p->a, v);
        return oom(p);
    }
    v->is_int = integral && to_int64(v->str, v->str_len, &v->integer);
    *out = v;
    return INC_OK;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A \u escape at p->pos (pointing at the 'u'), including a following low
 * surrogate; returns the code point or -1 after recording the error. */
static long unicode_escape(parser *p)
{
    size_t at = p->pos - 1; /* the backslash */
    unsigned hi, lo;
    if (p->len - p->pos < 5 || !hex4(p->s + p->pos + 1, &hi))
        return fail_at(p, INC_EPARSE, at, "bad \\u escape"), -1;
    p->pos += 5;
    if (hi == 0)
        return fail_at(p, INC_EPARSE, at, "\\u0000 is not allowed in strings"), -1;
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return fail_at(p, INC_EPARSE, at, "lone low surrogate"), -1;
    if (hi < 0xD800 || hi > 0xDBFF)
        return (long)hi;
    if (p->len - p->pos < 6 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
        !hex4(p->s + p->pos + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
        return fail_at(p, INC_EPARSE, at, "high surrogate without a low surrogate"), -1;
    p->pos += 6;
    return 0x10000 + (long)((hi - 0xD800) << 10) + (long)(lo - 0xDC00);
}

/* Decode the string body after the opening quote into @o (room for the raw
 * length: escapes never grow). Returns the decoded length or -1. */
static long decode_string(parser *p, char *o)
{
    size_t n = 0;
    for (;;) {
        if (p->pos >= p->len)
            return fail_at(p, INC_EPARSE, p->pos, "unterminated string"), -1;
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return (long)n;
        }
        if (c < 0x20)
            return fail_at(p, INC_EPARSE, p->pos, "control character in string"), -1;
        if (c >= 0x80) { /* copy one whole, well-formed UTF-8 sequence */
            size_t k = inc__utf8_seq_len(p->s + p->pos, p->len - p->pos);
            if (k == 0)
                return fail_at(p, INC_EPARSE, p->pos, "invalid UTF-8 in string"), -1;
            memcpy(o + n, p->s + p->pos, k);
            n += k;
            p->pos += k;
            continue;
        }
        if (c != '\\') {
            o[n++] = (char)c;
            p->pos++;
            continue;
        }
        if (++p->pos >= p->len)
            return fail_at(p, INC_EPARSE, p->pos, "unterminated string"), -1;
        char e = p->s[p->pos++];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *hit = e != '\0' ? strchr(from, e) : NULL;
        if (hit != NULL) {
            o[n++] = to[hit - from];
        } else if (e == 'u') {
            p->pos--;
            long cp = unicode_escape(p);
            if (cp < 0)
                return -1;
            n += put_utf8(o + n, (unsigned)cp);
        } else {
            return fail_at(p, INC_EPARSE, p->pos - 2, "bad escape"), -1;
        }
    }
}

/* Parse a string at p->pos (the opening quote) into a fresh allocation. */
static int parse_string_raw(parser *p, char **out, size_t *out_len)
{
    p->pos++;
    /* Find the closing quote to size the allocation. */
    size_t end = p->pos;
    while (end < p->len && p->s[end] != '"')
        end += p->s[end] == '\\' ? 2 : 1;
    size_t raw = (end < p->len ? end : p->len) - p->pos;
    if (charge(p, raw + 1) != INC_OK)
        return p->code;
    char *o = inc__malloc(p->a, raw + 1);
    if (o == NULL)
        return oom(p);
    long n = decode_string(p, o);
    if (n < 0) {
        inc__free(p->a, o);
        return p->code;
    }
    o[n] = '\0';
    *out = o;
    *out_len = (size_t)n;
    return INC_OK;
}

static int parse_string(parser *p, inc__json **out)
{
    inc__json *v = new_node(p, INC__JSON_STRING, p->pos);
    if (v == NULL)
        return p->code;
    int rc = parse_string_raw(p, &v->str, &v->str_len);
    if (rc != INC_OK) {
        inc__free(p->a, v);
        return rc;
    }
    *out = v;
    return INC_OK;
}

/* Append @item (and @key for objects) to @c; frees them on failure. */
static int push(parser *p, inc__json *c, size_t *cap, char *key, inc__json *item)
{
    if (c->count == *cap) {
        size_t ncap = *cap, per = (key != NULL ? 2 : 1) * sizeof(void *);
        if (charge(p, (*cap ? *cap : 8) * per) != INC_OK) { /* the arrays double */
            inc__free(p->a, key);
            inc__json_free(p->a, item);
            return p->code;
        }
        void *items = c->items;
        if (inc__array_reserve(p->a, &items, &ncap, c->count + 1, sizeof *c->items) != INC_OK)
            goto nomem;
        c->items = items;
        if (key != NULL) {
            void *keys = c->keys;
            size_t kcap = *cap;
            if (inc__array_reserve(p->a, &keys, &kcap, c->count + 1, sizeof *c->keys) != INC_OK)
                goto nomem;
            c->keys = keys;
        }
        *cap = ncap;
    }
    c->items[c->count] = item;
    if (key != NULL)
        c->keys[c->count] = key;
    c->count++;
    return INC_OK;
nomem:
    inc__free(p->a, key);
    inc__json_free(p->a, item);
    return oom(p);
}

static int enter(parser *p)
{
    if (++p->depth > INC__JSON_MAX_DEPTH)
        return fail_at(p, INC_ETOOBIG, p->pos, "nesting deeper than 64 levels");
    p->pos++; /* the bracket */
    skip_ws(p);
    return INC_OK;
}

/* Hand a parsed item of the streamed array to on_item, which owns it from
 * then on; the memory it held no longer counts. */
static int hand_over(parser *p, inc__json *item, size_t live_before)
{
    int rc = p->lim->on_item(p->lim->user, p->root, item);
    p->live = live_before;
    if (rc != INC_OK)
        p->code = rc; /* on_item reported it: the diagnostic is its own */
    return rc;
}

static int parse_array(parser *p, inc__json *arr)
{
    size_t cap = 0;
    int stream = p->stream_next, rc = enter(p);
    p->stream_next = 0;
    if (rc != INC_OK)
        return rc;
    if (peek(p) == ']') {
        p->pos++;
        p->depth--;
        return INC_OK;
    }
    for (;;) {
        inc__json *item;
        size_t live_before = p->live;
        if ((rc = parse_value(p, &item)) != INC_OK)
            return rc;
        if (stream)
            rc = hand_over(p, item, live_before);
        else
            rc = push(p, arr, &cap, NULL, item);
        if (rc != INC_OK)
            return rc;
        skip_ws(p);
        int c = peek(p);
        p->pos++;
        if (c == ']')
            break;
        if (c != ',')
            return fail_at(p, INC_EPARSE, p->pos - 1, "expected ',' or ']'");
        skip_ws(p);
    }
    p->depth--;
    return INC_OK;
}

/* Duplicate check: linear for small objects, a map from 16 keys on. */
#define DUP_MAP_FROM 16
/* What a key costs in the map, counted against the limit while the object
 * is parsed: its copy, and an estimate of an entry and its share of the
 * table. */
#define MAP_KEY_COST(key) (4 * sizeof(void *) + strlen(key) + 1)

static int key_seen(parser *p, const inc__json *obj, inc__map *seen, const char *key, int *dup)
{
    *dup = 0;
    if (obj->count < DUP_MAP_FROM) {
        for (size_t i = 0; i < obj->count; i++)
            if (strcmp(obj->keys[i], key) == 0)
                *dup = 1;
        return INC_OK;
    }
    if (seen->count == 0) /* switch to the map: load the keys so far */
        for (size_t i = 0; i < obj->count; i++)
            if (charge(p, MAP_KEY_COST(obj->keys[i])) != INC_OK ||
                inc__map_put(seen, obj->keys[i], obj->items[i]) != INC_OK)
                return p->code == INC_ETOOBIG ? p->code : oom(p);
    if (inc__map_get(seen, key) != NULL) {
        *dup = 1;
        return INC_OK;
    }
    if (charge(p, MAP_KEY_COST(key)) != INC_OK)
        return p->code;
    return inc__map_put(seen, key, (void *)key) == INC_OK ? INC_OK : oom(p);
}

static int parse_member(parser *p, inc__json *obj, size_t *cap, inc__map *seen)
{
    if (peek(p) != '"')
        return fail_at(p, INC_EPARSE, p->pos, "expected a string key");
    size_t key_at = p->pos, key_len;
    char *key;
    int rc = parse_string_raw(p, &key, &key_len), dup;
    if (rc != INC_OK)
        return rc;
    if ((rc = key_seen(p, obj, seen, key, &dup)) != INC_OK || dup) {
        if (rc != INC_OK) {
            inc__free(p->a, key);
            return rc;
        }
        char what[96];
        snprintf(what, sizeof what, "duplicate key \"%.60s\"", key);
        inc__free(p->a, key);
        return fail_at(p, INC_EPARSE, key_at, what);
    }
    skip_ws(p);
    if (peek(p) != ':') {
        inc__free(p->a, key);
        return fail_at(p, INC_EPARSE, p->pos, "expected ':'");
    }
    p->pos++;
    inc__json *item;
    skip_ws(p);
    p->stream_next = p->depth == 1 && p->lim != NULL && p->lim->stream_key != NULL &&
                     p->lim->on_item != NULL && peek(p) == '[' &&
                     strcmp(key, p->lim->stream_key) == 0;
    if ((rc = parse_value(p, &item)) != INC_OK) {
        inc__free(p->a, key);
        return rc;
    }
    return push(p, obj, cap, key, item);
}

static int parse_object(parser *p, inc__json *obj)
{
    size_t cap = 0;
    int rc = enter(p);
    if (rc != INC_OK)
        return rc;
    if (peek(p) == '}') {
        p->pos++;
        p->depth--;
        return INC_OK;
    }
    inc__map seen;
    inc__map_init(&seen, p->a);
    for (;;) {
        if ((rc = parse_member(p, obj, &cap, &seen)) != INC_OK)
            break;
        skip_ws(p);
        int c = peek(p);
        p->pos++;
        if (c == '}')
            break;
        if (c != ',') {
            rc = fail_at(p, INC_EPARSE, p->pos - 1, "expected ',' or '}'");
            break;
        }
        skip_ws(p);
    }
    if (rc == INC_OK) /* the map is gone: what it held no longer counts */
        for (size_t i = 0; i < seen.count && i < obj->count; i++)
            p->live -= MAP_KEY_COST(obj->keys[i]);
    inc__map_dispose(&seen);
    p->depth--;
    return rc;
}

static int parse_value(parser *p, inc__json **out)
{
    skip_ws(p);
    int c = peek(p);
    switch (c) {
    case '"':
        return parse_string(p, out);
    case 't':
        return literal(p, "true", INC__JSON_BOOL, 1, out);
    case 'f':
        return literal(p, "false", INC__JSON_BOOL, 0, out);
    case 'n':
        return literal(p, "null", INC__JSON_NULL, 0, out);
    case '[':
    case '{': {
        inc__json *v = new_node(p, c == '[' ? INC__JSON_ARRAY : INC__JSON_OBJECT, p->pos);
        if (v == NULL)
            return p->code;
        if (p->depth == 0 && c == '{')
            p->root = v;
        int rc = c == '[' ? parse_array(p, v) : parse_object(p, v);
        if (rc != INC_OK) {
            inc__json_free(p->a, v);
            return rc;
        }
        *out = v;
        return INC_OK;
    }
    default:
        if (c == '-' || is_digit(c))
            return parse_number(p, out);
        if (c < 0)
            return fail_at(p, INC_EPARSE, p->pos, "unexpected end of input");
        return fail_at(p, INC_EPARSE, p->pos, "unexpected character");
    }
}

int inc__json_parse(const inc_allocator *a, const char *text, size_t len, inc__json **out,
                    inc_diag *diag)
{
    return inc__json_parse_limited(a, text, len, NULL, out, diag);
}

int inc__json_parse_limited(const inc_allocator *a, const char *text, size_t len,
                            const inc__json_limits *lim, inc__json **out, inc_diag *diag)
{
    parser p = {a, text, len, 0, 0, INC_OK, diag, lim, 0, NULL, 0};
    if (diag != NULL)
        memset(diag, 0, sizeof *diag);
    if (text == NULL || out == NULL)
        return fail_at(&p, INC_EINVAL, 0, "no input");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        return fail_at(&p, INC_EPARSE, 0, "byte order mark not allowed");
    inc__json *root;
    int rc = parse_value(&p, &root);
    if (rc != INC_OK)
        return rc;
    skip_ws(&p);
    if (p.pos < len) {
        inc__json_free(a, root);
        return fail_at(&p, INC_EPARSE, p.pos, "trailing content after the value");
    }
    *out = root;
    return INC_OK;
}

void inc__json_free(const inc_allocator *a, inc__json *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->count; i++) {
        inc__json_free(a, v->items[i]);
        if (v->keys != NULL)
            inc__free(a, v->keys[i]);
    }
    inc__free(a, v->items);
    inc__free(a, v->keys);
    inc__free(a, v->str);
    inc__free(a, v);
}

const inc__json *inc__json_get(const inc__json *obj, const char *key)
{
    if (obj == NULL || obj->type != INC__JSON_OBJECT || key == NULL)
        return NULL;
    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}
