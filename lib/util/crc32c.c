/* CRC32C (Castagnoli): portable slicing-by-8, and on x86-64 the SSE4.2
 * crc32 instruction over three interleaved streams (the instruction has a
 * latency of 3 cycles and a throughput of 1, so three independent chains
 * keep it busy), stitched together by shifting the partial CRCs. */
#include <string.h>

#include "util/buf.h"
#include "util/crc32c_table.h"
#include "util/hash.h"
#include "util/hash_cpu.h"

#define POLY 0x82F63B78u

static uint32_t crc32c_portable(uint32_t crc, const unsigned char *p, size_t len)
{
    while (len > 0 && ((uintptr_t)p & 7) != 0) {
        crc = (crc >> 8) ^ crc32c_table[0][(crc ^ *p++) & 0xFF];
        len--;
    }
    while (len >= 8) {
        uint32_t lo = inc__load_u32le(p) ^ crc, hi = inc__load_u32le(p + 4);
        crc = crc32c_table[7][lo & 0xFF] ^ crc32c_table[6][(lo >> 8) & 0xFF] ^
              crc32c_table[5][(lo >> 16) & 0xFF] ^ crc32c_table[4][lo >> 24] ^
              crc32c_table[3][hi & 0xFF] ^ crc32c_table[2][(hi >> 8) & 0xFF] ^
              crc32c_table[1][(hi >> 16) & 0xFF] ^ crc32c_table[0][hi >> 24];
        p += 8;
        len -= 8;
    }
    while (len-- > 0)
        crc = (crc >> 8) ^ crc32c_table[0][(crc ^ *p++) & 0xFF];
    return crc;
}

#ifdef INC__HASH_X86
#include <nmmintrin.h>

/* a * b modulo the polynomial, bit-reflected (Mark Adler's multmodp). */
static uint32_t multmodp(uint32_t a, uint32_t b)
{
    uint32_t m = 1u << 31, p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if ((a & (m - 1)) == 0)
                break;
        }
        m >>= 1;
        b = b & 1 ? (b >> 1) ^ POLY : b >> 1;
    }
    return p;
}

__attribute__((target("sse4.2"))) static uint64_t crc_words(uint64_t crc, const unsigned char *p,
                                                            size_t words)
{
    for (size_t i = 0; i < words; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, 8);
        crc = _mm_crc32_u64(crc, w);
    }
    return crc;
}

/* Three streams of @block bytes each, then combine: the CRC of A|B|C is
 * shift(shift(crcA) ^ crcB) ^ crcC, where crcB and crcC start from 0. */
__attribute__((target("sse4.2"))) static uint32_t crc_3way(uint32_t crc, const unsigned char *p,
                                                           size_t block, uint32_t shift)
{
    uint64_t a = crc, b = 0, c = 0;
    const unsigned char *pb = p + block, *pc = p + 2 * block;
    for (size_t i = 0; i < block; i += 8) {
        uint64_t wa, wb, wc;
        memcpy(&wa, p + i, 8);
        memcpy(&wb, pb + i, 8);
        memcpy(&wc, pc + i, 8);
        a = _mm_crc32_u64(a, wa);
        b = _mm_crc32_u64(b, wb);
        c = _mm_crc32_u64(c, wc);
    }
    uint32_t ab = multmodp(shift, (uint32_t)a) ^ (uint32_t)b;
    return multmodp(shift, ab) ^ (uint32_t)c;
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t crc, const unsigned char *p,
                                                            size_t len)
{
    while (len > 0 && ((uintptr_t)p & 7) != 0) {
        crc = _mm_crc32_u8(crc, *p++);
        len--;
    }
    while (len >= 3 * 8192) {
        crc = crc_3way(crc, p, 8192, CRC32C_SHIFT_8192);
        p += 3 * 8192;
        len -= 3 * 8192;
    }
    while (len >= 3 * 256) {
        crc = crc_3way(crc, p, 256, CRC32C_SHIFT_256);
        p += 3 * 256;
        len -= 3 * 256;
    }
    crc = (uint32_t)crc_words(crc, p, len / 8);
    p += len & ~(size_t)7;
    len &= 7;
    while (len-- > 0)
        crc = _mm_crc32_u8(crc, *p++);
    return crc;
}
#endif

uint32_t inc__crc32c(uint32_t crc, const void *data, size_t len)
{
    const unsigned char *p = data;
    crc = ~crc;
#ifdef INC__HASH_X86
    if (inc__hash_cpu() & INC__CPU_CRC32)
        return ~crc32c_hw(crc, p, len);
#endif
    return ~crc32c_portable(crc, p, len);
}

int inc__crc32c_hw_available(void)
{
#ifdef INC__HASH_X86
    return (inc__hash_cpu_features() & INC__CPU_CRC32) != 0;
#else
    return 0;
#endif
}
