/* The text-lint engine (lint.h): phrase matching on word boundaries,
 * ASCII case-insensitive, with byte offsets. Shared by the CAN lint
 * (CAN-2), the external-update lint (COMM-3) and the blameless lint (PM-4),
 * so that "a word" means the same thing in all of them. */
#include "lint.h"

#include <stdint.h>
#include <string.h>

#include "findings_internal.h"
#include "util/text.h"

#define NO_MATCH ((size_t)-1)

/* Length of the character at @pos: its UTF-8 sequence, or 1 for a stray byte. */
static size_t char_len(const char *s, size_t len, size_t pos)
{
    size_t n = inc__utf8_seq_len(s + pos, len - pos);
    return n ? n : 1;
}

static int ascii_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Non-ASCII characters are letters unless they sit in a punctuation or
 * space block: a dash or a curly quote must separate words. */
static int cp_word(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0xBF)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7)
        return 0;
    if (cp >= 0x2000 && cp <= 0x206F)
        return 0;
    if (cp >= 0x3000 && cp <= 0x303F)
        return 0;
    return 1;
}

int inc__lint_is_word_at(const char *text, size_t len, size_t pos)
{
    unsigned char c;
    size_t n;

    if (pos >= len)
        return 0;
    c = (unsigned char)text[pos];
    if (c < 0x80)
        return ascii_word(c);
    n = inc__utf8_seq_len(text + pos, len - pos);
    return n ? cp_word(inc__utf8_decode(text + pos, n)) : 0;
}

/* Is the character that ends just before @pos a word character? */
static int word_before(const char *text, size_t len, size_t pos)
{
    size_t start = pos, back = 0;
    if (pos == 0)
        return 0;
    do {
        start--;
        back++;
    } while (start > 0 && back < 4 && ((unsigned char)text[start] & 0xC0) == 0x80);
    return inc__lint_is_word_at(text, len, start);
}

/* Bytes of the white-space character at @pos, or 0. */
static size_t space_len(const char *s, size_t len, size_t pos)
{
    unsigned char c;
    if (pos >= len)
        return 0;
    c = (unsigned char)s[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
        return 1;
    if (c == 0xC2 && pos + 1 < len && (unsigned char)s[pos + 1] == 0xA0)
        return 2; /* U+00A0 */
    if (c == 0xE2 && pos + 2 < len && (unsigned char)s[pos + 1] == 0x80 &&
        ((unsigned char)s[pos + 2] <= 0x8A || (unsigned char)s[pos + 2] == 0xAF))
        return 3; /* U+2000..U+200A, U+202F */
    return 0;
}

/* Bytes of the apostrophe at @pos (' or U+2018/U+2019), or 0. */
static size_t apostrophe_len(const char *s, size_t len, size_t pos)
{
    if (pos < len && s[pos] == '\'')
        return 1;
    if (pos + 2 < len && (unsigned char)s[pos] == 0xE2 && (unsigned char)s[pos + 1] == 0x80 &&
        ((unsigned char)s[pos + 2] == 0x98 || (unsigned char)s[pos + 2] == 0x99))
        return 3;
    return 0;
}

static int is_word_token(const char *p)
{
    return ascii_word((unsigned char)*p) || strncmp(p, "{w}", 3) == 0;
}

static int ends_with_word(const char *p)
{
    size_t n = strlen(p);
    if (n >= 3 && strcmp(p + n - 3, "{w}") == 0)
        return 1;
    return n > 0 && ascii_word((unsigned char)p[n - 1]);
}

/* Match @p at @pos, ignoring boundaries; returns the end or NO_MATCH. */
static size_t match_body(const char *s, size_t len, size_t pos, const char *p)
{
    size_t n;
    while (*p) {
        if (strncmp(p, "{w}", 3) == 0) {
            if (!inc__lint_is_word_at(s, len, pos))
                return NO_MATCH;
            while (inc__lint_is_word_at(s, len, pos))
                pos += char_len(s, len, pos);
            p += 3;
        } else if (*p == ' ') {
            if (!(n = space_len(s, len, pos)))
                return NO_MATCH;
            while ((n = space_len(s, len, pos)) != 0)
                pos += n;
            p++;
        } else if (*p == '\'') {
            if (!(n = apostrophe_len(s, len, pos)))
                return NO_MATCH;
            pos += n;
            p++;
        } else {
            if (pos >= len || inc__ascii_lower(s[pos]) != *p)
                return NO_MATCH;
            pos++;
            p++;
        }
    }
    return pos;
}

static size_t match_at(const char *s, size_t len, size_t pos, const char *p)
{
    size_t end;
    if (!*p || (is_word_token(p) && word_before(s, len, pos)))
        return NO_MATCH;
    end = match_body(s, len, pos, p);
    if (end == NO_MATCH || (ends_with_word(p) && inc__lint_is_word_at(s, len, end)))
        return NO_MATCH;
    return end;
}

int inc__lint_scan(const char *text, size_t len, const char *const *phrases, size_t count,
                   inc__lint_cb cb, void *user)
{
    size_t pos = 0, i, end;
    int rc;

    if (!text)
        return 0;
    while (pos < len) {
        end = NO_MATCH; /* until a phrase matches at pos; then i is that phrase */
        for (i = 0; i < count; i++) {
            end = match_at(text, len, pos, phrases[i]);
            if (end != NO_MATCH)
                break;
        }
        if (end != NO_MATCH) {
            if ((rc = cb(user, i, pos, end - pos)) != 0)
                return rc;
            pos = end > pos ? end : pos + 1;
        } else {
            pos += char_len(text, len, pos);
        }
    }
    return 0;
}

static int found_cb(void *user, size_t phrase, size_t offset, size_t len)
{
    (void)phrase;
    (void)len;
    if (user)
        *(size_t *)user = offset;
    return 1;
}

int inc__lint_contains_n(const char *text, size_t len, const char *const *phrases, size_t count,
                         size_t *offset)
{
    if (!text)
        return 0;
    return inc__lint_scan(text, len, phrases, count, found_cb, offset) != 0;
}

int inc__lint_contains(const char *text, const char *const *phrases, size_t count)
{
    return text ? inc__lint_contains_n(text, strlen(text), phrases, count, NULL) : 0;
}

int inc__lint_blank(const char *text)
{
    size_t len, pos = 0, n;
    if (!text)
        return 1;
    len = strlen(text);
    while (pos < len) {
        if (!(n = space_len(text, len, pos)))
            return 0;
        pos += n;
    }
    return 1;
}

typedef struct hit_ctx {
    inc_findings *list;
    const char *text;
    const inc__lint_rule *r;
    int rc;
} hit_ctx;

static int on_hit(void *user, size_t phrase, size_t offset, size_t len)
{
    hit_ctx *h = user;
    inc_finding f;
    (void)phrase;
    inc__finding_init(&f, h->r->rule);
    f.slot = h->r->slot;
    f.offset = offset;
    f.length = len;
    h->rc = inc__findings_add(h->list, &f, "%s\"%.*s\" at byte %zu%s", h->r->lead, (int)len,
                              h->text + offset, offset, h->r->tail);
    return h->rc != INC_OK;
}

int inc__lint_findings(inc_findings *list, const char *text, size_t len, const char *const *phrases,
                       size_t count, const inc__lint_rule *r)
{
    hit_ctx h;
    h.list = list;
    h.text = text;
    h.r = r;
    h.rc = INC_OK;
    inc__lint_scan(text, len, phrases, count, on_hit, &h);
    return h.rc;
}
