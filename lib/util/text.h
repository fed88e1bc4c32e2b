/* Validation of strings that come in through the API. */
#ifndef INC_UTIL_TEXT_H
#define INC_UTIL_TEXT_H

#include "incident/common.h"

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int inc__utf8_valid(const char *s, size_t len);
/* Length (1..4) of the well-formed UTF-8 sequence starting at s[0] within
 * s[0..len), or 0 if it is malformed or cut short (len must be > 0). */
size_t inc__utf8_seq_len(const char *s, size_t len);
/* The code point of the well-formed sequence of @n (1..4) bytes at @s, as
 * inc__utf8_seq_len() measured it. */
uint32_t inc__utf8_decode(const char *s, size_t n);

enum {
    INC__TEXT_SINGLE_LINE = 1, /* no control characters at all (names, titles) */
    INC__TEXT_OPTIONAL = 2     /* NULL and "" are accepted */
};

/* Check an input string: non-NULL (unless optional), UTF-8, at most @max
 * bytes, at least 1 byte (unless optional), and with SINGLE_LINE no control
 * characters (else only \n, \r and \t are allowed). On failure records
 * "<field>: <what is wrong>" in @err and returns INC_EINVAL or INC_ETOOBIG. */
int inc__check_text(inc_error *err, const char *field, const char *s, size_t max, int flags);

/* Why s[0..len) is not acceptable text under @flags, or NULL when it is:
 * inc__text_bad_utf8 (not well-formed UTF-8) or inc__text_bad_control (a
 * control character @flags does not allow; NUL counts), at byte *@at. The
 * one check behind inc__check_text() and the event encoder and decoder, so
 * that what is read back is held to what was accepted when written. */
const char *inc__text_problem(const char *s, size_t len, int flags, size_t *at);
extern const char inc__text_bad_utf8[];
extern const char inc__text_bad_control[];

/* Case-insensitive ASCII comparison. */
int inc__ascii_casecmp(const char *a, const char *b);
/* The index of @name in the table @names (@count entries), compared ASCII
 * case-insensitively, into *out: INC_OK, INC_EINVAL (NULL @name or @out),
 * INC_ENOTFOUND. Every public *_from_name() is this over its own table. */
int inc__name_index(const char *const *names, size_t count, const char *name, unsigned *out);
int inc__ascii_ncasecmp(const char *a, const char *b, size_t n);
char inc__ascii_lower(char c);

/* Write a slug of @text into @out (size @size): lower-case ASCII letters and
 * digits, other runs become one '-', no leading/trailing '-', at most
 * @max_len bytes, cut at a '-' when possible. Non-ASCII bytes are dropped.
 * Returns the slug's length (0 if nothing usable). */
size_t inc__slugify(const char *text, char *out, size_t size, size_t max_len);

/* 1 if @id is a valid incident id: 1..INC_ID_MAX bytes of [a-z0-9-], not
 * starting with '-'. Stores use it to refuse ids that could escape a directory. */
int inc__id_valid(const char *id);

#endif
