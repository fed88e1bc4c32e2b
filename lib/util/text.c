/* Validation of strings coming in through the API, and small ASCII helpers. */
#include "util/text.h"

#include <stdint.h>
#include <string.h>

#include "incident/store.h"
#include "util/error.h"

/* Length of the UTF-8 sequence at s[0..len), or 0 if it is malformed.
 * Follows the table of well-formed byte sequences in Unicode 15, section
 * 3.9 (D92), so overlongs, surrogates and values above U+10FFFF fail. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

size_t inc__utf8_seq_len(const char *s, size_t len)
{
    return utf8_seq((const unsigned char *)s, len);
}

uint32_t inc__utf8_decode(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    switch (n) {
    case 2:
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    case 3:
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    case 4:
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    default:
        return u[0];
    }
}

int inc__utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) { /* fast path for ASCII runs */
            i++;
            continue;
        }
        size_t n = utf8_seq(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

int inc__check_text(inc_error *err, const char *field, const char *s, size_t max, int flags)
{
    if (field == NULL)
        field = "text";
    if (s == NULL) {
        if (flags & INC__TEXT_OPTIONAL)
            return INC_OK;
        return inc_error_set(err, INC_EINVAL, "%s: must not be NULL", field);
    }
    /* Never scan further than needed to know the string is too long. */
    size_t len = strnlen(s, max < SIZE_MAX ? max + 1 : max);
    if (len == 0) {
        if (flags & INC__TEXT_OPTIONAL)
            return INC_OK;
        return inc_error_set(err, INC_EINVAL, "%s: must not be empty", field);
    }
    if (len > max)
        return inc_error_set(err, INC_ETOOBIG, "%s: longer than %zu bytes", field, max);
    size_t at;
    const char *why = inc__text_problem(s, len, flags, &at);
    if (why == inc__text_bad_utf8)
        return inc_error_set(err, INC_EINVAL, "%s: %s", field, why);
    if (why)
        return inc_error_set(err, INC_EINVAL, "%s: %s at byte %zu", field, why, at);
    return INC_OK;
}

const char inc__text_bad_utf8[] = "not valid UTF-8";
const char inc__text_bad_control[] = "control character";

/* 1 if the 8 bytes at @p are all printable ASCII (0x20..0x7E): the common
 * case, skipped a word at a time. A false "no" only takes the byte path. */
static int printable8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t x, del;
    memcpy(&x, p, 8);
    del = x ^ (0x7F * ones);
    return ((x & highs) | ((x - 0x20 * ones) & ~x & highs) | ((del - ones) & ~del & highs)) == 0;
}

/* A control character: C0 controls (NUL and ESC among them), DEL and the
 * C1 controls (U+0080..U+009F, 0xC2 0x80..0x9F); LF, CR and TAB only
 * under INC__TEXT_SINGLE_LINE. One pass with the UTF-8 check. */
const char *inc__text_problem(const char *s, size_t len, int flags, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    *at = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (i + 8 <= len && printable8(p + i)) {
            i += 8;
        } else if (c >= 0x80) {
            size_t n = utf8_seq(p + i, len - i);
            if (n == 0) {
                *at = i;
                return inc__text_bad_utf8;
            }
            if (c == 0xC2 && p[i + 1] <= 0x9F)
                break;
            i += n;
        } else if ((c < 0x20 || c == 0x7F) &&
                   ((flags & INC__TEXT_SINGLE_LINE) || (c != '\n' && c != '\r' && c != '\t'))) {
            break;
        } else {
            i++;
        }
    }
    if (i >= len)
        return NULL;
    *at = i;
    return inc__text_bad_control;
}

char inc__ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int inc__ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ca = (unsigned char)inc__ascii_lower(a[i]);
        unsigned char cb = (unsigned char)inc__ascii_lower(b[i]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca == '\0')
            return 0;
    }
    return 0;
}

int inc__ascii_casecmp(const char *a, const char *b)
{
    return inc__ascii_ncasecmp(a, b, SIZE_MAX);
}

int inc__name_index(const char *const *names, size_t count, const char *name, unsigned *out)
{
    size_t i;
    if (!name || !out)
        return INC_EINVAL;
    for (i = 0; i < count; i++)
        if (inc__ascii_casecmp(name, names[i]) == 0) {
            *out = (unsigned)i;
            return INC_OK;
        }
    return INC_ENOTFOUND;
}

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t inc__slugify(const char *text, char *out, size_t size, size_t max_len)
{
    if (out == NULL || size == 0)
        return 0;
    size_t limit = max_len < size - 1 ? max_len : size - 1;
    size_t n = 0;
    int pending_dash = 0, truncated = 0;
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        if (*p >= 0x80)
            continue; /* non-ASCII bytes are dropped, not separators */
        if (!is_alnum(*p)) {
            pending_dash = n > 0;
            continue;
        }
        if (n + (size_t)pending_dash + 1 > limit) {
            truncated = 1;
            break;
        }
        if (pending_dash)
            out[n++] = '-';
        pending_dash = 0;
        out[n++] = inc__ascii_lower((char)*p);
    }
    if (truncated && !pending_dash) {
        /* Mid-word: prefer cutting at a word boundary over splitting a word. */
        size_t cut = n;
        while (cut > 0 && out[cut - 1] != '-')
            cut--;
        if (cut > 1)
            n = cut - 1;
    }
    out[n] = '\0';
    return n;
}

int inc__id_valid(const char *id)
{
    size_t n = 0;
    if (!id || id[0] == '-' || id[0] == '\0')
        return 0;
    for (; id[n]; n++) {
        char c = id[n];
        if (n >= INC_ID_MAX)
            return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}
