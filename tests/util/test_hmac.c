/* HMAC-SHA-256 against the test cases of RFC 4231 (section 4), on the
 * portable and the hardware SHA-256 paths, streaming and one-shot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/hmac.h"

typedef struct vector {
    const char *key_hex;
    const char *data_hex;
    const char *mac_hex; /* full 32 bytes, or 16 for the truncated case 5 */
} vector;

static const char aa131[] =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaa"; /* 131 bytes of 0xaa */

static const vector vectors[] = {
    /* 1 */ {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    /* 2 */
    {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    /* 3 */
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
     "dddddddddddddddd",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    /* 4 */
    {"0102030405060708090a0b0c0d0e0f10111213141516171819",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
     "cdcdcdcdcdcdcdcd",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    /* 5 (truncated to 128 bits) */
    {"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
     "a3b6167473100ee06e0c796c2955552b"},
    /* 6: a key longer than the block */
    {aa131,
     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048"
     "617368204b6579204669727374",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    /* 7: a long key and long data */
    {aa131,
     "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d"
     "73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174"
     "612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e"
     "6720757365642062792074686520484d414320616c676f726974686d2e",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= max);
    assert_int_equal(inc__hex_decode(hex, n, out), 0);
    return n;
}

static void check_vectors(void)
{
    size_t v;
    for (v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        uint8_t key[256], data[512], mac[INC__SHA256_LEN], mac2[INC__SHA256_LEN];
        char hex[2 * INC__SHA256_LEN + 1];
        size_t klen = unhex(vectors[v].key_hex, key, sizeof key);
        size_t dlen = unhex(vectors[v].data_hex, data, sizeof data);
        size_t want = strlen(vectors[v].mac_hex) / 2, i;
        inc__hmac_ctx h;

        inc__hmac_sha256(key, klen, data, dlen, mac);
        inc__hex_encode(mac, want, hex);
        assert_string_equal(hex, vectors[v].mac_hex);
        /* Streaming, one byte at a time, gives the same MAC. */
        inc__hmac_init(&h, key, klen);
        for (i = 0; i < dlen; i++)
            inc__hmac_update(&h, data + i, 1);
        inc__hmac_final(&h, mac2);
        assert_memory_equal(mac, mac2, sizeof mac);
    }
}

static void rfc4231_vectors(void **state)
{
    (void)state;
    inc__hash_force_portable(1);
    check_vectors();
    inc__hash_force_portable(0);
    check_vectors();
}

static void constant_time_compare_and_wipe(void **state)
{
    uint8_t a[32], b[32];
    (void)state;
    memset(a, 7, sizeof a);
    memcpy(b, a, sizeof b);
    assert_true(inc__ct_equal(a, b, sizeof a));
    b[31] ^= 1;
    assert_false(inc__ct_equal(a, b, sizeof a));
    assert_true(inc__ct_equal(a, b, 31));
    inc__wipe(a, sizeof a);
    memset(b, 0, sizeof b);
    assert_memory_equal(a, b, sizeof a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4231_vectors),
        cmocka_unit_test(constant_time_compare_and_wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
