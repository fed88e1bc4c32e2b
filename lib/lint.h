/* The text-lint engine: finds phrases from a list in UTF-8 text,
 * case-insensitively and on word boundaries, and reports where they are as
 * byte offsets. It finds fixed phrases (the CAN-3 decision words, the
 * audit's bridge words); the text lints CAN-2, COMM-3 and PM-4 read
 * sentences with lint_text.h instead.
 *
 * Phrase syntax (lower-case ASCII; the text may be any case):
 *   - a letter, digit or other ASCII character matches itself, ASCII
 *     case-insensitively;
 *   - ' ' matches one or more white-space characters (space, tab, CR, LF,
 *     U+00A0 no-break space), so "going to" also finds "going\nto";
 *   - '\'' matches an apostrophe: ' (U+0027), U+2019 or U+2018, so "'ll"
 *     finds both "I'll" and "I’ll";
 *   - "{w}" matches one or more word characters (a whole word), so
 *     "{w}'s fault" finds "Bob's fault".
 * A phrase whose first (last) element is a word character or "{w}" only
 * matches where the text has a word boundary before (after) it: "will"
 * is found in "we will" but not in "willing" or "goodwill". Word
 * characters are ASCII letters, digits and '_', and every non-ASCII
 * character except the punctuation and space blocks (U+0080..U+00BF except
 * ª µ º, U+2000..U+206F, U+3000..U+303F), so "café" is one word and an em
 * dash separates words.
 *
 * Matches never overlap: the text is scanned from the left and, at each
 * position, the first phrase of the list that matches wins (put longer
 * phrases first: "experiencing some issues" before "some issues"). */
#ifndef INC_LINT_H
#define INC_LINT_H

#include <stddef.h>

#include "incident/findings.h"

/* Called for each match: @phrase is the index in the list, @offset and
 * @len the bytes matched in the text. A non-zero return stops the scan and
 * is returned by inc__lint_scan(). */
typedef int (*inc__lint_cb)(void *user, size_t phrase, size_t offset, size_t len);

/* Scan @len bytes of @text (need not be NUL-terminated; invalid UTF-8 is
 * treated byte by byte) for the @count phrases. Returns 0, or the first
 * non-zero value a callback returned. */
int inc__lint_scan(const char *text, size_t len, const char *const *phrases, size_t count,
                   inc__lint_cb cb, void *user);

/* What a match of a lint's phrases becomes: a finding of @rule in @slot,
 * at the match, saying "<lead>\"<match>\" at byte N<tail>". */
typedef struct inc__lint_rule {
    const char *rule;
    int slot;
    const char *lead;
    const char *tail;
} inc__lint_rule;

/* A finding per match of the @count phrases in @len bytes of @text, added
 * to @list as @r says. INC_OK or INC_ENOMEM. */
int inc__lint_findings(inc_findings *list, const char *text, size_t len, const char *const *phrases,
                       size_t count, const inc__lint_rule *r);

/* 1 if any of the phrases occurs in @text (NUL-terminated; NULL is empty). */
int inc__lint_contains(const char *text, const char *const *phrases, size_t count);
/* The same for @len bytes of @text; *offset (may be NULL) receives where. */
int inc__lint_contains_n(const char *text, size_t len, const char *const *phrases, size_t count,
                         size_t *offset);

/* 1 if the character at byte @pos of @text is a word character (see above). */
int inc__lint_is_word_at(const char *text, size_t len, size_t pos);

/* 1 if @text (NUL-terminated, may be NULL) has nothing but white space. */
int inc__lint_blank(const char *text);

#endif
