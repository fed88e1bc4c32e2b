/* SHA-256 (FIPS 180-4) and CRC32C (Castagnoli). Each has a portable C
 * implementation and a hardware path chosen at run time (x86 SHA extensions,
 * SSE4.2 crc32); both paths give the same results and are tested against
 * the same vectors. */
#ifndef INC_UTIL_HASH_H
#define INC_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define INC__SHA256_LEN 32

typedef struct inc__sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t block[64];
    size_t used;
} inc__sha256_ctx;

void inc__sha256_init(inc__sha256_ctx *s);
void inc__sha256_update(inc__sha256_ctx *s, const void *data, size_t len);
void inc__sha256_final(inc__sha256_ctx *s, uint8_t out[INC__SHA256_LEN]);
void inc__sha256(const void *data, size_t len, uint8_t out[INC__SHA256_LEN]);
/* The SHA-256 of two messages at once: what two inc__sha256() calls give,
 * faster where the SHA extensions are (the two computations interleave). */
void inc__sha256_x2(const void *data_a, size_t len_a, uint8_t out_a[INC__SHA256_LEN],
                    const void *data_b, size_t len_b, uint8_t out_b[INC__SHA256_LEN]);

/* CRC32C of @len bytes, continuing from @crc (start with 0). */
uint32_t inc__crc32c(uint32_t crc, const void *data, size_t len);

/* For tests: force the portable paths (1) or allow hardware (0). Returns
 * whether a hardware path is available on this machine. */
int inc__hash_force_portable(int on);
int inc__sha256_hw_available(void);
int inc__crc32c_hw_available(void);

/* Lower-case hex of @n bytes into @out (2n+1 bytes, NUL-terminated). */
void inc__hex_encode(const uint8_t *in, size_t n, char *out);
/* 1 when @s is exactly 64 lower-case hex digits and its NUL: a SHA-256 as
 * inc__hex_encode() writes it (a blob's key, RUB-4). */
int inc__sha256_hex_valid(const char *s);
/* Decode exactly 2n hex digits (either case). Returns 0 on success, -1 on bad input. */
int inc__hex_decode(const char *in, size_t n, uint8_t *out);

#endif
