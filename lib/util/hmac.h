/* HMAC-SHA-256 (RFC 2104, FIPS 198-1) over the SHA-256 of hash.h, checked
 * against the vectors of RFC 4231; a constant-time comparison and a wipe the
 * compiler cannot drop, for keys that must not outlive their use. */
#ifndef INC_UTIL_HMAC_H
#define INC_UTIL_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

typedef struct inc__hmac_ctx {
    inc__sha256_ctx inner;
    inc__sha256_ctx outer;
} inc__hmac_ctx;

/* Start a MAC under @key (any length; longer than 64 bytes is hashed first). */
void inc__hmac_init(inc__hmac_ctx *h, const void *key, size_t key_len);
void inc__hmac_update(inc__hmac_ctx *h, const void *data, size_t len);
/* Finish into @out and wipe the context. */
void inc__hmac_final(inc__hmac_ctx *h, uint8_t out[INC__SHA256_LEN]);
/* One-shot HMAC-SHA-256. */
void inc__hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                      uint8_t out[INC__SHA256_LEN]);

/* 1 if a[0..n) equals b[0..n), in time that depends only on @n. */
int inc__ct_equal(const void *a, const void *b, size_t n);
/* Overwrite @n bytes at @p with zeros through a volatile pointer, so the
 * store is not removed as dead by the optimiser. */
void inc__wipe(void *p, size_t n);

#endif
