/* JSON: a writer on top of inc__buf, and a parser that builds a small tree.
 * The parser takes UTF-8 input (RFC 8259), rejects duplicate keys
 * (INC_EPARSE) so that an import is never ambiguous, limits nesting depth to INC__JSON_MAX_DEPTH,
 * and reports the byte offset of the first error. Numbers are kept as text plus, when they are
 * integers that fit, as int64. */
#ifndef INC_UTIL_JSON_H
#define INC_UTIL_JSON_H

#include "buf.h"

#define INC__JSON_MAX_DEPTH 64

/* Writer helpers: append a JSON string literal (quoted, escaped; the input
 * must be valid UTF-8) or a literal of the given type. */
int inc__json_put_str(inc__buf *b, const char *s);
int inc__json_put_strn(inc__buf *b, const char *s, size_t n);
int inc__json_put_i64(inc__buf *b, int64_t v);
int inc__json_put_u64(inc__buf *b, uint64_t v);
int inc__json_put_bool(inc__buf *b, int v);

typedef enum inc__json_type {
    INC__JSON_NULL,
    INC__JSON_BOOL,
    INC__JSON_NUMBER,
    INC__JSON_STRING,
    INC__JSON_ARRAY,
    INC__JSON_OBJECT
} inc__json_type;

typedef struct inc__json inc__json;
struct inc__json {
    inc__json_type type;
    size_t offset;     /* byte offset of the value in the input */
    int boolean;       /* BOOL */
    int is_int;        /* NUMBER: 1 if an integer that fits int64 */
    int64_t integer;   /* NUMBER when is_int */
    char *str;         /* STRING: NUL-terminated, unescaped; NUMBER: the text */
    size_t str_len;    /* STRING: length in bytes (may contain \0 escapes: rejected) */
    size_t count;      /* ARRAY / OBJECT: number of items */
    inc__json **items; /* ARRAY / OBJECT: the values */
    char **keys;       /* OBJECT: the keys, NUL-terminated */
};

/* Parse @len bytes. On success *out is the root (free with inc__json_free).
 * On failure returns INC_EPARSE (or INC_ENOMEM, INC_ETOOBIG for depth) and
 * fills @diag (may be NULL) with the offset and a message. Strings that
 * contain an escaped NUL (\u0000) are rejected. */
int inc__json_parse(const inc_allocator *a, const char *text, size_t len, inc__json **out,
                    inc_diag *diag);

/* Bounds for inc__json_parse_limited(). */
typedef struct inc__json_limits {
    /* The most bytes the tree may hold at any time (nodes, strings, member
     * arrays, the duplicate-key maps); a document that needs more is refused
     * with INC_ETOOBIG as soon as it would, before the memory is taken.
     * 0: no limit. */
    size_t max_tree;
    /* Stream one array: each item of the array that is the value of the
     * root object's member named stream_key is passed to on_item as soon as
     * it is parsed, instead of being kept in the tree (that array stays
     * empty). on_item owns the item (frees it with inc__json_free), sees the
     * root object as parsed so far (the members before this one), and
     * returns INC_OK or a status that stops the parse: the parse returns it
     * and leaves the diagnostic to on_item. NULL stream_key: none. */
    const char *stream_key;
    int (*on_item)(void *user, const inc__json *root, inc__json *item);
    void *user;
} inc__json_limits;

/* inc__json_parse() within @lim (NULL: no limit, nothing streamed). Returns
 * what inc__json_parse() does, INC_ETOOBIG past lim->max_tree, or the
 * status on_item returned. */
int inc__json_parse_limited(const inc_allocator *a, const char *text, size_t len,
                            const inc__json_limits *lim, inc__json **out, inc_diag *diag);
void inc__json_free(const inc_allocator *a, inc__json *v);

/* Object member by key, or NULL (also when @obj is not an object). */
const inc__json *inc__json_get(const inc__json *obj, const char *key);

#endif
