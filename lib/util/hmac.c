/* HMAC-SHA-256 (RFC 2104): H((K ^ opad) || H((K ^ ipad) || m)). */
#include <string.h>

#include "hmac.h"

#define BLOCK 64

void inc__hmac_init(inc__hmac_ctx *h, const void *key, size_t key_len)
{
    uint8_t k[BLOCK], pad[BLOCK];
    size_t i;

    memset(k, 0, sizeof k);
    if (key_len > BLOCK)
        inc__sha256(key, key_len, k);
    else if (key_len)
        memcpy(k, key, key_len);
    for (i = 0; i < BLOCK; i++)
        pad[i] = k[i] ^ 0x36;
    inc__sha256_init(&h->inner);
    inc__sha256_update(&h->inner, pad, BLOCK);
    for (i = 0; i < BLOCK; i++)
        pad[i] = k[i] ^ 0x5c;
    inc__sha256_init(&h->outer);
    inc__sha256_update(&h->outer, pad, BLOCK);
    inc__wipe(k, sizeof k);
    inc__wipe(pad, sizeof pad);
}

void inc__hmac_update(inc__hmac_ctx *h, const void *data, size_t len)
{
    inc__sha256_update(&h->inner, data, len);
}

void inc__hmac_final(inc__hmac_ctx *h, uint8_t out[INC__SHA256_LEN])
{
    uint8_t inner[INC__SHA256_LEN];
    inc__sha256_final(&h->inner, inner);
    inc__sha256_update(&h->outer, inner, sizeof inner);
    inc__sha256_final(&h->outer, out);
    inc__wipe(inner, sizeof inner);
    inc__wipe(h, sizeof *h);
}

void inc__hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                      uint8_t out[INC__SHA256_LEN])
{
    inc__hmac_ctx h;
    inc__hmac_init(&h, key, key_len);
    inc__hmac_update(&h, data, len);
    inc__hmac_final(&h, out);
}

int inc__ct_equal(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    uint8_t diff = 0;
    size_t i;
    for (i = 0; i < n; i++)
        diff |= (uint8_t)(x[i] ^ y[i]);
    return diff == 0;
}

void inc__wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}
