/* The line-oriented "key = value" text formats (the rubric's and the
 * rotation's, lib/docs/rubric-format.md and rotation-format.md) share their
 * lexical layer: a "<header> <version>" first line, '#' comments and blank
 * lines, keys made of a format's key characters, values raw or quoted with
 * the escapes \\ \" \n \r \t, one UTF-8 line at a time with no control
 * characters but tab, and failures reported as "line N: ..." in an inc_diag.
 * This module is that layer; each format keeps its own keys and meaning. */
#ifndef INC_UTIL_KVTEXT_H
#define INC_UTIL_KVTEXT_H

#include <stddef.h>

#include "incident/common.h"
#include "util/buf.h"

/* Both formats refuse inputs larger than 1 MiB (their headers say so). */
#define INC__KV_INPUT_MAX ((size_t)1 << 20)

enum {
    /* Name the unknown escape in its message ("unknown escape '\q'"). */
    INC__KV_NAME_BAD_ESCAPE = 1
};

/* The lexer's state. The format fills the fields above "line" before
 * inc__kv_parse(); the others are set by the lexer as it goes. */
struct inc__kv {
    inc_diag *diag;          /* receives failures; NULL: only codes */
    const char *header;      /* the first line's word, e.g. "libincident-rubric" */
    int version;             /* the one format version read (a single digit) */
    unsigned flags;          /* INC__KV_* */
    int (*key_char)(char c); /* which bytes a key is made of */
    char *val;               /* the value buffer, val_max + 1 bytes */
    size_t val_max;
    unsigned line;   /* current line, 1-based; 0: not about a line */
    size_t line_off; /* byte offset of the current line */
    int have_header; /* the header line was read */
    const char *key; /* the current line's key, for messages */
    size_t key_len;
    size_t val_len; /* the current value, unescaped into val */
};

/* Called for each "key = value" line: the key is in kv->key, the raw value
 * is [vs, ve) with leading blanks skipped (decode it with inc__kv_decode). */
typedef int (*inc__kv_pair_fn)(void *user, struct inc__kv *kv, const char *vs, const char *ve);

/* Clear @diag (may be NULL) to "no failure". */
void inc__kv_diag_init(inc_diag *diag);

/* Record a failure as "line N: <message>" (no prefix on line 0) with the
 * code, line and offset in kv->diag; returns @code. */
int inc__kv_fail(struct inc__kv *kv, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The "unknown key" failure for the current line's key. */
int inc__kv_unknown_key(struct inc__kv *kv);

int inc__kv_is_blank(char c); /* space or tab */
const char *inc__kv_skip_blanks(const char *s, const char *e);

/* Decode the value in [s, e) (leading blanks skipped) into kv->val: a quoted
 * string with escapes, or the raw text without trailing blanks. */
int inc__kv_decode(struct inc__kv *kv, const char *s, const char *e);

/* Parse @n decimal digits (1..9) at @s, at most @max, into *out; 0 or -1. */
int inc__kv_parse_uint(const char *s, size_t n, unsigned max, unsigned *out);

/* Read every line of text[0..len): checks each line, skips blanks and
 * comments, reads the header, splits "key = value" and calls @on_pair.
 * Stops at the first failure and returns it. */
int inc__kv_parse(struct inc__kv *kv, const char *text, size_t len, inc__kv_pair_fn on_pair,
                  void *user);

/* The end-of-input checks both formats make: a header was read and the
 * document was named (@named: its "name" key was read). */
int inc__kv_check_end(struct inc__kv *kv, int named);

/* Write @s as a value: raw when that reads back the same, else quoted. */
void inc__kv_put_value(inc__buf *b, const char *s);

/* Write "<indent><prefix><key> = <value>\n" ("... =\n" for an empty value). */
void inc__kv_put(inc__buf *b, const char *indent, const char *prefix, const char *key,
                 const char *value);

#endif
