/* A growable byte buffer. Once an append fails the buffer remembers it
 * (b->failed) and ignores later appends, so a writer can append many pieces
 * and check once at the end. The content is always NUL-terminated. */
#ifndef INC_UTIL_BUF_H
#define INC_UTIL_BUF_H

#include <stdarg.h>
#include "incident/common.h"

typedef struct inc__buf {
    char *ptr;
    size_t len;
    size_t cap;
    const inc_allocator *alloc;
    int failed; /* INC_ENOMEM after a failed append, else INC_OK */
} inc__buf;

void inc__buf_init(inc__buf *b, const inc_allocator *a);
void inc__buf_dispose(inc__buf *b);
void inc__buf_clear(inc__buf *b); /* len = 0, keeps memory, resets failed */
int inc__buf_reserve(inc__buf *b, size_t extra);
int inc__buf_put(inc__buf *b, const void *data, size_t n);
int inc__buf_puts(inc__buf *b, const char *s);
int inc__buf_putc(inc__buf *b, char c);
int inc__buf_printf(inc__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int inc__buf_vprintf(inc__buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
int inc__buf_put_u16le(inc__buf *b, uint16_t v);
int inc__buf_put_u32le(inc__buf *b, uint32_t v);
int inc__buf_put_u64le(inc__buf *b, uint64_t v);
/* Hand the content to the caller as memory freed by inc_free(); the buffer
 * is disposed either way. Returns INC_OK or INC_ENOMEM (also when an
 * earlier append failed). */
int inc__buf_detach(inc__buf *b, char **out, size_t *len);

/* Little-endian loads from unaligned memory. */
uint16_t inc__load_u16le(const void *p);
uint32_t inc__load_u32le(const void *p);
uint64_t inc__load_u64le(const void *p);
void inc__store_u32le(void *p, uint32_t v);
void inc__store_u64le(void *p, uint64_t v);

#endif
