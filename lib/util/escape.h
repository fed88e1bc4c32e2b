/* Text shown to humans, made safe to show: what a terminal or a reader
 * would act on instead of showing (control characters, CR, bidirectional
 * overrides and isolates) is written visibly as an escape, and a line
 * break cannot start a line that looks like the renderer's own. */
#ifndef INC_UTIL_ESCAPE_H
#define INC_UTIL_ESCAPE_H

#include "util/buf.h"

/* Append s[0..len) to @b with every C0 control character but TAB (NUL,
 * ESC, CR...) and DEL written as "\xNN", every C1 control and bidirectional
 * formatting character (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) as "\uNNNN", and any byte that is not well-formed UTF-8
 * as "\xNN". LF is written as "\n" when @continuation is NULL (a one-line
 * rendering), else as a line break followed by @continuation, so that
 * every continuation line starts with the renderer's marker. */
void inc__buf_put_escaped(inc__buf *b, const char *s, size_t len, const char *continuation);

/* The same for the first code point of s[0..len) only (len > 0); returns
 * the bytes it took. For renderers with their own rules for other
 * characters (Markdown). */
size_t inc__buf_put_escaped_one(inc__buf *b, const char *s, size_t len, const char *continuation);

/* inc__buf_put_escaped() of a NUL-terminated string (NULL is empty). */
void inc__buf_puts_escaped(inc__buf *b, const char *s, const char *continuation);

#endif
