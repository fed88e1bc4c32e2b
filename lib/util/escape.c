/* Escaping text for human renderings (util/escape.h). */
#include "util/escape.h"

#include <string.h>

#include "util/text.h"

/* 1 if the code point is a bidirectional formatting character: marks,
 * embeddings, overrides and isolates, which reorder what follows them. */
static int is_bidi(unsigned long cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

static unsigned long decode(const unsigned char *p, size_t n)
{
    unsigned long cp = n == 2 ? p[0] & 0x1Fu : n == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
    size_t i;
    for (i = 1; i < n; i++)
        cp = (cp << 6) | (p[i] & 0x3Fu);
    return cp;
}

static void put_line_break(inc__buf *b, const char *continuation)
{
    if (!continuation) {
        inc__buf_puts(b, "\\n");
        return;
    }
    inc__buf_putc(b, '\n');
    inc__buf_puts(b, continuation);
}

/* The first code point of s[0..len) (len > 0): its length in bytes into
 * *@n (1 for a byte that is not UTF-8) and whether it is shown as is. */
static int plain_at(const char *s, size_t len, size_t *n, unsigned long *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    *n = p[0] < 0x80 ? 1 : inc__utf8_seq_len(s, len);
    if (*n == 0) {
        *n = 1;
        *cp = p[0];
        return 0;
    }
    *cp = *n > 1 ? decode(p, *n) : p[0];
    return (*cp >= 0x20 || *cp == '\t') && *cp != 0x7F && !(*cp >= 0x80 && *cp <= 0x9F) &&
           !is_bidi(*cp) && !(*n > 1 && *cp < 0x80);
}

size_t inc__buf_put_escaped_one(inc__buf *b, const char *s, size_t len, const char *continuation)
{
    unsigned long cp;
    size_t n;
    if (plain_at(s, len, &n, &cp))
        inc__buf_put(b, s, n);
    else if (cp == '\n' && n == 1)
        put_line_break(b, continuation);
    else if (n == 1) /* an ASCII control, or a byte that is not UTF-8 */
        inc__buf_printf(b, "\\x%02x", (unsigned char)s[0]);
    else
        inc__buf_printf(b, "\\u%04lx", cp);
    return n;
}

void inc__buf_put_escaped(inc__buf *b, const char *s, size_t len, const char *continuation)
{
    size_t i = 0, run = 0; /* s[i - run .. i) is plain text not yet copied */
    while (i < len) {
        unsigned long cp;
        size_t n;
        if (plain_at(s + i, len - i, &n, &cp)) {
            i += n;
            run += n;
            continue;
        }
        inc__buf_put(b, s + i - run, run);
        run = 0;
        i += inc__buf_put_escaped_one(b, s + i, len - i, continuation);
    }
    if (run) /* @s may be NULL when @len is 0 (a buffer that never grew) */
        inc__buf_put(b, s + i - run, run);
}

void inc__buf_puts_escaped(inc__buf *b, const char *s, const char *continuation)
{
    if (s)
        inc__buf_put_escaped(b, s, strlen(s), continuation);
}
