/* SHA-256 and CRC32C: standard vectors on every path, and the hardware
 * paths against the portable ones over many lengths and alignments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

static void sha_hex(const void *data, size_t len, char out[65])
{
    uint8_t d[INC__SHA256_LEN];
    inc__sha256(data, len, d);
    inc__hex_encode(d, sizeof d, out);
}

/* Runs @check once per available path (portable, then hardware). */
static void each_path(void (*check)(void))
{
    inc__hash_force_portable(1);
    check();
    inc__hash_force_portable(0);
    check();
}

static void sha_vectors(void)
{
    char hex[65];
    /* FIPS 180-4 / NIST CSRC examples. */
    sha_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha_hex(m448, strlen(m448), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmn"
        "opqklmnopqrlmnopqrsmnopqrstnopqrstu";
    sha_hex(m896, strlen(m896), hex);
    assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* One million 'a', fed in uneven pieces through the streaming API. */
    static char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    inc__sha256_ctx s;
    inc__sha256_init(&s);
    size_t done = 0, step = 1;
    while (done < 1000000) {
        size_t n = step < 1000000 - done ? step : 1000000 - done;
        n = n > sizeof chunk ? sizeof chunk : n;
        inc__sha256_update(&s, chunk, n);
        done += n;
        step = step * 7 % 997 + 1;
    }
    uint8_t d[32];
    inc__sha256_final(&s, d);
    inc__hex_encode(d, 32, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256_fips_vectors(void **state)
{
    (void)state;
    each_path(sha_vectors);
}

static void fill_random(uint8_t *p, size_t n, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

static void test_sha256_hw_matches_portable(void **state)
{
    (void)state;
    if (!inc__sha256_hw_available())
        skip();
    uint8_t data[8 + 200];
    fill_random(data, sizeof data, 1);
    for (size_t len = 0; len <= 200; len++) {
        for (size_t off = 0; off < 8; off += 3) {
            uint8_t a[32], b[32];
            inc__hash_force_portable(1);
            inc__sha256(data + off, len, a);
            inc__hash_force_portable(0);
            inc__sha256(data + off, len, b);
            assert_memory_equal(a, b, 32);
        }
    }
    /* Streaming with a split inside a block, on the hardware path. */
    uint8_t whole[32], parts[32];
    inc__sha256(data, 200, whole);
    inc__sha256_ctx s;
    inc__sha256_init(&s);
    inc__sha256_update(&s, data, 37);
    inc__sha256_update(&s, data + 37, 0);
    inc__sha256_update(&s, data + 37, 163);
    inc__sha256_final(&s, parts);
    assert_memory_equal(whole, parts, 32);
}

/* Bit-at-a-time CRC32C, the definition the fast paths are checked against. */
static uint32_t crc_reference(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
    }
    return ~c;
}

static void crc_vectors(void)
{
    assert_int_equal(inc__crc32c(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(inc__crc32c(0, "", 0), 0);
    /* RFC 3720 B.4: 32 bytes of zeros and of 0xFF. */
    uint8_t z[32];
    memset(z, 0, sizeof z);
    assert_int_equal(inc__crc32c(0, z, 32), 0x8A9136AAu);
    memset(z, 0xFF, sizeof z);
    assert_int_equal(inc__crc32c(0, z, 32), 0x62A8AB43u);
    /* Continuation equals one call over the concatenation. */
    assert_int_equal(inc__crc32c(inc__crc32c(0, "12345", 5), "6789", 4), 0xE3069283u);
}

/* Two messages at once give what one at a time gives, on every path, for
 * every pair of lengths 0..200 (equal and unequal block counts, one or two
 * padding blocks), unaligned. */
static void x2_matches_single(void)
{
    uint8_t data[8 + 400];
    fill_random(data, sizeof data, 7);
    for (size_t la = 0; la <= 200; la++) {
        for (size_t lb = 0; lb <= 200; lb += (la % 13) + 1) {
            uint8_t a[32], b[32], xa[32], xb[32];
            inc__sha256(data + 1, la, a);
            inc__sha256(data + 200 + 3, lb, b);
            inc__sha256_x2(data + 1, la, xa, data + 200 + 3, lb, xb);
            assert_memory_equal(a, xa, 32);
            assert_memory_equal(b, xb, 32);
        }
    }
}

static void test_sha256_x2_matches_single(void **state)
{
    (void)state;
    each_path(x2_matches_single);
}

/* A blob's key: exactly 64 lower-case hex digits. */
static void test_sha256_hex_valid(void **state)
{
    (void)state;
    char hex[65];
    uint8_t d[32];
    inc__sha256("abc", 3, d);
    inc__hex_encode(d, sizeof d, hex);
    assert_true(inc__sha256_hex_valid(hex));
    hex[10] = 'A';
    assert_false(inc__sha256_hex_valid(hex)); /* upper case */
    hex[10] = 'g';
    assert_false(inc__sha256_hex_valid(hex));
    hex[10] = '0';
    hex[63] = '\0';
    assert_false(inc__sha256_hex_valid(hex)); /* 63 digits */
    assert_false(inc__sha256_hex_valid(""));
    assert_false(inc__sha256_hex_valid(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0")); /* 65 */
}

static void test_crc32c_check_value(void **state)
{
    (void)state;
    each_path(crc_vectors);
}

static void test_crc32c_paths_match_reference(void **state)
{
    (void)state;
    /* Long enough to cross the 3 x 8192 interleaved blocks. */
    size_t max = 3 * 8192 * 2 + 3 * 256 + 100;
    uint8_t *data = malloc(max + 16);
    assert_non_null(data);
    fill_random(data, max + 16, 7);
    uint32_t x = 12345;
    for (int i = 0; i < 300; i++) {
        x = x * 1103515245u + 12345u;
        size_t len = i < 100 ? (size_t)i : (x >> 8) % max;
        size_t off = (x >> 3) % 16;
        uint32_t want = crc_reference(data + off, len);
        inc__hash_force_portable(1);
        assert_int_equal(inc__crc32c(0, data + off, len), want);
        inc__hash_force_portable(0);
        assert_int_equal(inc__crc32c(0, data + off, len), want);
    }
    assert_int_equal(inc__crc32c(0, data, max), crc_reference(data, max));
    free(data);
}

static void test_hw_availability_reported(void **state)
{
    (void)state;
    /* Forcing the portable path does not change what the machine has. */
    int sha = inc__sha256_hw_available(), crc = inc__crc32c_hw_available();
    int any = inc__hash_force_portable(1);
    assert_int_equal(inc__sha256_hw_available(), sha);
    assert_int_equal(inc__crc32c_hw_available(), crc);
    assert_int_equal(inc__hash_force_portable(0), any);
    assert_int_equal(any, sha || crc);
#if !defined(__x86_64__) || defined(INC_NO_HW_HASH)
    assert_false(any);
#endif
}

static void test_hex_round_trip_and_errors(void **state)
{
    (void)state;
    uint8_t in[4] = {0x00, 0xAB, 0x7F, 0xFF}, back[4];
    char hex[9];
    inc__hex_encode(in, 4, hex);
    assert_string_equal(hex, "00ab7fff");
    assert_int_equal(inc__hex_decode("00AB7fFf", 4, back), 0);
    assert_memory_equal(in, back, 4);
    assert_int_equal(inc__hex_decode("00ag", 2, back), -1);
    assert_int_equal(inc__hex_decode("0 12", 2, back), -1);
    assert_int_equal(inc__hex_decode("0", 1, back), -1); /* cut short at the NUL */
    inc__hex_encode(in, 0, hex);
    assert_string_equal(hex, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_vectors),
        cmocka_unit_test(test_sha256_hw_matches_portable),
        cmocka_unit_test(test_sha256_x2_matches_single),
        cmocka_unit_test(test_sha256_hex_valid),
        cmocka_unit_test(test_crc32c_check_value),
        cmocka_unit_test(test_crc32c_paths_match_reference),
        cmocka_unit_test(test_hw_availability_reported),
        cmocka_unit_test(test_hex_round_trip_and_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    inc__hash_force_portable(0);
    return rc;
}
