/* Growable byte buffer. The storage is allocated with the out-memory header
 * in front (see inc__out_header) so inc__buf_detach can hand the bytes to
 * the caller without copying. */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

#define HDR sizeof(inc__out_header)

static void *block_of(const inc__buf *b)
{
    return b->ptr != NULL ? b->ptr - HDR : NULL;
}

void inc__buf_init(inc__buf *b, const inc_allocator *a)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->alloc = a;
    b->failed = INC_OK;
}

void inc__buf_dispose(inc__buf *b)
{
    inc__free(b->alloc, block_of(b));
    inc__buf_init(b, b->alloc);
}

void inc__buf_clear(inc__buf *b)
{
    b->len = 0;
    b->failed = INC_OK;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

int inc__buf_reserve(inc__buf *b, size_t extra)
{
    if (b->failed != INC_OK)
        return b->failed;
    /* Room for len + extra bytes plus the terminating NUL. */
    if (extra > SIZE_MAX - HDR - 1 - b->len)
        return b->failed = INC_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return INC_OK;
    size_t ncap = b->cap != 0 ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > (SIZE_MAX - HDR) / 2 ? need : ncap * 2;
    char *block = inc__realloc(b->alloc, block_of(b), HDR + ncap);
    if (block == NULL)
        return b->failed = INC_ENOMEM;
    b->ptr = block + HDR;
    b->cap = ncap;
    b->ptr[b->len] = '\0';
    return INC_OK;
}

int inc__buf_put(inc__buf *b, const void *data, size_t n)
{
    int rc = inc__buf_reserve(b, n);
    if (rc != INC_OK)
        return rc;
    if (n != 0)
        memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return INC_OK;
}

int inc__buf_puts(inc__buf *b, const char *s)
{
    return inc__buf_put(b, s, strlen(s));
}

int inc__buf_putc(inc__buf *b, char c)
{
    return inc__buf_put(b, &c, 1);
}

int inc__buf_vprintf(inc__buf *b, const char *fmt, va_list ap)
{
    if (b->failed != INC_OK)
        return b->failed;
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return INC_EINVAL; /* an encoding error is the format's fault, not sticky */
    if ((size_t)n < sizeof small)
        return inc__buf_put(b, small, (size_t)n);
    int rc = inc__buf_reserve(b, (size_t)n);
    if (rc != INC_OK)
        return rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return INC_OK;
}

int inc__buf_printf(inc__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = inc__buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int inc__buf_put_u16le(inc__buf *b, uint16_t v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    return inc__buf_put(b, x, 2);
}

int inc__buf_put_u32le(inc__buf *b, uint32_t v)
{
    unsigned char x[4];
    inc__store_u32le(x, v);
    return inc__buf_put(b, x, 4);
}

int inc__buf_put_u64le(inc__buf *b, uint64_t v)
{
    unsigned char x[8];
    inc__store_u64le(x, v);
    return inc__buf_put(b, x, 8);
}

int inc__buf_detach(inc__buf *b, char **out, size_t *len)
{
    int rc = b->failed;
    if (rc == INC_OK)
        rc = inc__buf_reserve(b, 0); /* an empty buffer still yields "" */
    if (rc != INC_OK) {
        inc__buf_dispose(b);
        return INC_ENOMEM;
    }
    *out = inc__out_from_block(block_of(b), b->alloc);
    if (len != NULL)
        *len = b->len;
    inc__buf_init(b, b->alloc);
    return INC_OK;
}

uint16_t inc__load_u16le(const void *p)
{
    const unsigned char *c = p;
    return (uint16_t)(c[0] | (unsigned)c[1] << 8);
}

uint32_t inc__load_u32le(const void *p)
{
    const unsigned char *c = p;
    return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
}

uint64_t inc__load_u64le(const void *p)
{
    const unsigned char *c = p;
    return (uint64_t)inc__load_u32le(c) | (uint64_t)inc__load_u32le(c + 4) << 32;
}

void inc__store_u32le(void *p, uint32_t v)
{
    unsigned char *c = p;
    c[0] = (unsigned char)v;
    c[1] = (unsigned char)(v >> 8);
    c[2] = (unsigned char)(v >> 16);
    c[3] = (unsigned char)(v >> 24);
}

void inc__store_u64le(void *p, uint64_t v)
{
    inc__store_u32le(p, (uint32_t)v);
    inc__store_u32le((unsigned char *)p + 4, (uint32_t)(v >> 32));
}
