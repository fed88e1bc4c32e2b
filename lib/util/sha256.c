/* SHA-256 (FIPS 180-4): portable C, and on x86-64 the SHA extensions
 * (SHA-NI) chosen at run time. Also the run-time CPU check shared with
 * crc32c.c, and hex encoding. */
#include <stdatomic.h>
#include <string.h>

#include "util/hash.h"
#include "util/hash_cpu.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* The initial hash value (FIPS 180-4 5.3.3). */
static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* ---- run-time CPU choice ----
 * Two process-wide words, both relaxed atomics:
 * - cpu_cache memoizes the CPUID result (idempotent: racing threads store
 *   the same value), since CPUID is slow under virtualization;
 * - force_portable is TEST-ONLY (inc__hash_force_portable): the library
 *   never sets it, and both paths give identical results, so flipping it
 *   while other threads hash changes only speed. */
static atomic_uint cpu_cache;
static atomic_int force_portable;

#define CPU_DETECTED 0x80u

#ifdef INC__HASH_X86
#include <cpuid.h>
#include <immintrin.h>

static unsigned detect_cpu(void)
{
    unsigned eax, ebx, ecx, edx, f = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        if (ecx & bit_SSE4_2)
            f |= INC__CPU_CRC32;
        if ((ecx & bit_SSE4_1) && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) &&
            (ebx & (1u << 29))) /* CPUID.(7,0):EBX.SHA */
            f |= INC__CPU_SHA;
    }
    return f;
}
#else
static unsigned detect_cpu(void)
{
    return 0;
}
#endif

unsigned inc__hash_cpu_features(void)
{
    unsigned f = atomic_load_explicit(&cpu_cache, memory_order_relaxed);
    if (!(f & CPU_DETECTED)) {
        f = detect_cpu() | CPU_DETECTED;
        atomic_store_explicit(&cpu_cache, f, memory_order_relaxed);
    }
    return f & ~CPU_DETECTED;
}

unsigned inc__hash_cpu(void)
{
    if (atomic_load_explicit(&force_portable, memory_order_relaxed))
        return 0;
    return inc__hash_cpu_features();
}

int inc__hash_force_portable(int on)
{
    atomic_store_explicit(&force_portable, on != 0, memory_order_relaxed);
    return inc__hash_cpu_features() != 0;
}

int inc__sha256_hw_available(void)
{
    return (inc__hash_cpu_features() & INC__CPU_SHA) != 0;
}

/* ---- portable compression ---- */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    for (; nblocks > 0; nblocks--, p += 64) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++)
            w[i] = load_be32(p + 4 * i);
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 =
                hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}

/* ---- SHA-NI compression ---- */
#ifdef INC__HASH_X86
#define SHA_TARGET __attribute__((target("sha,sse4.1")))

/* Four rounds with message words @m (already byte-swapped) and K[4g..]. */
#define RNDS4(m, g)                                                                                \
    do {                                                                                           \
        msg = _mm_add_epi32((m), _mm_loadu_si128((const __m128i *)&K[4 * (g)]));                   \
        st1 = _mm_sha256rnds2_epu32(st1, st0, msg);                                                \
        msg = _mm_shuffle_epi32(msg, 0x0E);                                                        \
        st0 = _mm_sha256rnds2_epu32(st0, st1, msg);                                                \
    } while (0)
/* Message schedule: finish the next group @nx from @cur and @prev. */
#define SCHED2(nx, cur, prev)                                                                      \
    do {                                                                                           \
        tmp = _mm_alignr_epi8((cur), (prev), 4);                                                   \
        nx = _mm_add_epi32((nx), tmp);                                                             \
        nx = _mm_sha256msg2_epu32((nx), (cur));                                                    \
    } while (0)
#define SCHED1(a, b) ((a) = _mm_sha256msg1_epu32((a), (b)))

/* The state in the order the instructions want (ABEF, CDGH), and back. */
SHA_TARGET static void ni_state_in(const uint32_t h[8], __m128i *st0, __m128i *st1)
{
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);  /* CDAB */
    __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    *st0 = _mm_alignr_epi8(tmp, efgh, 8);                                            /* ABEF */
    *st1 = _mm_blend_epi16(efgh, tmp, 0xF0);                                         /* CDGH */
}

SHA_TARGET static void ni_state_out(__m128i st0, __m128i st1, uint32_t h[8])
{
    __m128i tmp = _mm_shuffle_epi32(st0, 0x1B);
    st1 = _mm_shuffle_epi32(st1, 0xB1);
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(tmp, st1, 0xF0));
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(st1, tmp, 8));
}

SHA_TARGET static void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i msg, tmp, m0, m1, m2, m3, st0, st1;
    ni_state_in(h, &st0, &st1);

    for (; nblocks > 0; nblocks--, p += 64) {
        __m128i save0 = st0, save1 = st1;
        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), bswap);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
        RNDS4(m0, 0);
        RNDS4(m1, 1);
        SCHED1(m0, m1);
        RNDS4(m2, 2);
        SCHED1(m1, m2);
        for (int g = 3; g < 15; g += 4) { /* groups 3..14, four per turn */
            RNDS4(m3, g);
            SCHED2(m0, m3, m2);
            SCHED1(m2, m3);
            RNDS4(m0, g + 1);
            SCHED2(m1, m0, m3);
            if (g + 1 <= 12)
                SCHED1(m3, m0);
            RNDS4(m1, g + 2);
            SCHED2(m2, m1, m0);
            if (g + 2 <= 12)
                SCHED1(m0, m1);
            RNDS4(m2, g + 3);
            SCHED2(m3, m2, m1);
            if (g + 3 <= 12)
                SCHED1(m1, m2);
        }
        RNDS4(m3, 15);
        st0 = _mm_add_epi32(st0, save0);
        st1 = _mm_add_epi32(st1, save1);
    }
    ni_state_out(st0, st1, h);
}

/* Two lanes: the same rounds for two independent messages, interleaved
 * instruction by instruction. One lane's rounds wait on the latency of the
 * previous round (each sha256rnds2 needs the last one's result); the other
 * lane's fill those cycles, so two hashes cost little more than one. The
 * macros name each lane's variables by the suffix @s (a or b). */
#define RNDS4L(s, m, g)                                                                            \
    do {                                                                                           \
        msg##s = _mm_add_epi32(m##s, _mm_loadu_si128((const __m128i *)&K[4 * (g)]));               \
        st1##s = _mm_sha256rnds2_epu32(st1##s, st0##s, msg##s);                                    \
        msg##s = _mm_shuffle_epi32(msg##s, 0x0E);                                                  \
        st0##s = _mm_sha256rnds2_epu32(st0##s, st1##s, msg##s);                                    \
    } while (0)
#define SCHED2L(s, nx, cur, prev)                                                                  \
    do {                                                                                           \
        tmp##s = _mm_alignr_epi8(cur##s, prev##s, 4);                                              \
        nx##s = _mm_add_epi32(nx##s, tmp##s);                                                      \
        nx##s = _mm_sha256msg2_epu32(nx##s, cur##s);                                               \
    } while (0)
#define SCHED1L(s, x, y) (x##s = _mm_sha256msg1_epu32(x##s, y##s))
#define R2(m, g)                                                                                   \
    do {                                                                                           \
        RNDS4L(a, m, g);                                                                           \
        RNDS4L(b, m, g);                                                                           \
    } while (0)
#define S2(nx, cur, prev)                                                                          \
    do {                                                                                           \
        SCHED2L(a, nx, cur, prev);                                                                 \
        SCHED2L(b, nx, cur, prev);                                                                 \
    } while (0)
#define S1(x, y)                                                                                   \
    do {                                                                                           \
        SCHED1L(a, x, y);                                                                          \
        SCHED1L(b, x, y);                                                                          \
    } while (0)

/* The first @n blocks of each of two messages (@blocks_a(@ma, i), ...):
 * into @ha and @hb, the states kept in the instructions' order between
 * blocks. */
typedef const uint8_t *(*block_fn)(const void *msg, size_t i);

SHA_TARGET static void sha256_blocks_x2_ni(uint32_t ha[8], const void *ma, uint32_t hb[8],
                                           const void *mb, block_fn block, size_t n)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i st0a, st1a, st0b, st1b, msga, msgb, tmpa, tmpb;
    __m128i m0a, m1a, m2a, m3a, m0b, m1b, m2b, m3b;

    ni_state_in(ha, &st0a, &st1a);
    ni_state_in(hb, &st0b, &st1b);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *pa = block(ma, i), *pb = block(mb, i);
        __m128i save0a = st0a, save1a = st1a, save0b = st0b, save1b = st1b;
        m0a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 0)), bswap);
        m0b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 0)), bswap);
        m1a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 16)), bswap);
        m1b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 16)), bswap);
        m2a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 32)), bswap);
        m2b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 32)), bswap);
        m3a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pa + 48)), bswap);
        m3b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(pb + 48)), bswap);
        R2(m0, 0);
        R2(m1, 1);
        S1(m0, m1);
        R2(m2, 2);
        S1(m1, m2);
        for (int g = 3; g < 15; g += 4) { /* as sha256_blocks_ni(), for both lanes */
            R2(m3, g);
            S2(m0, m3, m2);
            S1(m2, m3);
            R2(m0, g + 1);
            S2(m1, m0, m3);
            if (g + 1 <= 12)
                S1(m3, m0);
            R2(m1, g + 2);
            S2(m2, m1, m0);
            if (g + 2 <= 12)
                S1(m0, m1);
            R2(m2, g + 3);
            S2(m3, m2, m1);
            if (g + 3 <= 12)
                S1(m1, m2);
        }
        R2(m3, 15);
        st0a = _mm_add_epi32(st0a, save0a);
        st1a = _mm_add_epi32(st1a, save1a);
        st0b = _mm_add_epi32(st0b, save0b);
        st1b = _mm_add_epi32(st1b, save1b);
    }
    ni_state_out(st0a, st1a, ha);
    ni_state_out(st0b, st1b, hb);
}
#endif

static void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
#ifdef INC__HASH_X86
    if (inc__hash_cpu() & INC__CPU_SHA) {
        sha256_blocks_ni(h, p, nblocks);
        return;
    }
#endif
    sha256_blocks_portable(h, p, nblocks);
}

/* ---- streaming interface ---- */

void inc__sha256_init(inc__sha256_ctx *s)
{
    memcpy(s->h, IV, sizeof IV);
    s->total = 0;
    s->used = 0;
}

void inc__sha256_update(inc__sha256_ctx *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    s->total += len;
    if (s->used > 0) {
        size_t take = 64 - s->used < len ? 64 - s->used : len;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        len -= take;
        if (s->used < 64)
            return;
        sha256_blocks(s->h, s->block, 1);
        s->used = 0;
    }
    if (len >= 64) {
        sha256_blocks(s->h, p, len / 64);
        p += len & ~(size_t)63;
        len &= 63;
    }
    if (len > 0)
        memcpy(s->block, p, len);
    s->used = len;
}

/* The state as the digest's bytes, big-endian. */
static void digest_out(const uint32_t h[8], uint8_t out[INC__SHA256_LEN])
{
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

void inc__sha256_final(inc__sha256_ctx *s, uint8_t out[INC__SHA256_LEN])
{
    uint64_t bits = s->total * 8;
    s->block[s->used++] = 0x80;
    if (s->used > 56) {
        memset(s->block + s->used, 0, 64 - s->used);
        sha256_blocks(s->h, s->block, 1);
        s->used = 0;
    }
    memset(s->block + s->used, 0, 56 - s->used);
    for (int i = 0; i < 8; i++)
        s->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_blocks(s->h, s->block, 1);
    digest_out(s->h, out);
    memset(s, 0, sizeof *s);
}

void inc__sha256(const void *data, size_t len, uint8_t out[INC__SHA256_LEN])
{
    inc__sha256_ctx s;
    inc__sha256_init(&s);
    inc__sha256_update(&s, data, len);
    inc__sha256_final(&s, out);
}

/* ---- two messages at once ---- */

/* A message as blocks: its whole blocks in place, then its last bytes
 * and the padding (FIPS 180-4 5.1.1) in one or two blocks of @tail. */
typedef struct padded {
    const uint8_t *data;
    size_t whole; /* blocks of @data */
    size_t count; /* whole + the tail's */
    uint8_t tail[128];
} padded;

static void padded_init(padded *m, const void *data, size_t len)
{
    uint64_t bits = (uint64_t)len * 8;
    size_t rest = len % 64, end;
    m->data = data;
    m->whole = len / 64;
    end = rest + 9 <= 64 ? 64 : 128;
    memset(m->tail, 0, sizeof(m->tail));
    if (rest)
        memcpy(m->tail, m->data + m->whole * 64, rest);
    m->tail[rest] = 0x80;
    for (int i = 0; i < 8; i++)
        m->tail[end - 8 + i] = (uint8_t)(bits >> (56 - 8 * i));
    m->count = m->whole + end / 64;
}

static const uint8_t *padded_block(const void *msg, size_t i)
{
    const padded *m = msg;
    return i < m->whole ? m->data + 64 * i : m->tail + 64 * (i - m->whole);
}

void inc__sha256_x2(const void *data_a, size_t len_a, uint8_t out_a[INC__SHA256_LEN],
                    const void *data_b, size_t len_b, uint8_t out_b[INC__SHA256_LEN])
{
    uint32_t ha[8], hb[8];
    padded a, b;
    size_t i;

#ifdef INC__HASH_X86
    if (!(inc__hash_cpu() & INC__CPU_SHA))
#endif
    {
        inc__sha256(data_a, len_a, out_a);
        inc__sha256(data_b, len_b, out_b);
        return;
    }
#ifdef INC__HASH_X86
    memcpy(ha, IV, sizeof(IV));
    memcpy(hb, IV, sizeof(IV));
    padded_init(&a, data_a, len_a);
    padded_init(&b, data_b, len_b);
    i = a.count < b.count ? a.count : b.count;
    sha256_blocks_x2_ni(ha, &a, hb, &b, padded_block, i);
    for (; i < a.count; i++)
        sha256_blocks(ha, padded_block(&a, i), 1);
    for (; i < b.count; i++)
        sha256_blocks(hb, padded_block(&b, i), 1);
    digest_out(ha, out_a);
    digest_out(hb, out_b);
#endif
}

/* ---- hex ---- */

int inc__sha256_hex_valid(const char *s)
{
    size_t i;
    for (i = 0; i < 2 * INC__SHA256_LEN; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[i] == '\0';
}

void inc__hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int inc__hex_decode(const char *in, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(in[2 * i]), lo = hi < 0 ? -1 : hex_value(in[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
