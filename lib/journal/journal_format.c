/* The journal's on-disk codec: the file header and the records
 * (lib/docs/journal-format.md). Pure functions over bytes. */
#include <string.h>

#include "journal_internal.h"
#include "util/buf.h"

void inc__jhdr_encode(uint8_t out[INC__JHDR_LEN], const char *id)
{
    size_t n = strlen(id);
    memset(out, 0, INC__JHDR_LEN);
    memcpy(out, INC__JMAGIC, 8); /* includes the NUL */
    inc__store_u32le(out + 8, INC__JFORMAT);
    inc__store_u32le(out + 12, INC__JHDR_LEN);
    inc__store_u32le(out + 16, 0); /* flags */
    inc__store_u32le(out + 20, (uint32_t)n);
    memcpy(out + 24, id, n);
    inc__store_u32le(out + 124, inc__crc32c(0, out, 124));
}

const char *inc__jhdr_check(const uint8_t *h, size_t len, const char *id, int *newer)
{
    uint32_t idlen;
    *newer = 0;
    if (len < INC__JHDR_LEN)
        return "file shorter than its header";
    if (memcmp(h, INC__JMAGIC, 8) != 0)
        return "bad magic";
    if (inc__load_u32le(h + 124) != inc__crc32c(0, h, 124))
        return "header checksum mismatch";
    if (inc__load_u32le(h + 8) != INC__JFORMAT) {
        *newer = inc__load_u32le(h + 8) > INC__JFORMAT;
        return "unknown format version";
    }
    if (inc__load_u32le(h + 12) != INC__JHDR_LEN || inc__load_u32le(h + 16) != 0)
        return "unknown header length or flags";
    idlen = inc__load_u32le(h + 20);
    if (idlen != strlen(id) || memcmp(h + 24, id, idlen) != 0)
        return "header names another incident";
    return NULL;
}

void inc__jrec_encode(uint8_t *out, const void *data, uint32_t len, uint32_t flags, uint64_t seq,
                      uint64_t synced, const uint8_t prev[INC__SHA256_LEN])
{
    inc__store_u32le(out, len);
    inc__store_u32le(out + 4, flags);
    inc__store_u64le(out + 8, seq);
    inc__store_u64le(out + 16, synced);
    memcpy(out + 24, prev, INC__SHA256_LEN);
    if (len)
        memcpy(out + INC__JREC_FIXED, data, len);
    inc__store_u32le(out + INC__JREC_FIXED + len, inc__crc32c(0, out, INC__JREC_FIXED + len));
}

/* The fixed fields alone: can this be the start of record @seq at @off? */
static const char *fixed_check(const uint8_t *p, uint64_t off, uint64_t seq)
{
    if (inc__jrec_len(p) > INC__JREC_MAX_PAYLOAD)
        return "record length out of range";
    if ((inc__load_u32le(p + 4) & ~INC__JFLAG_COMMIT) != 0)
        return "unknown record flags";
    if (inc__load_u64le(p + 8) != seq)
        return "unexpected sequence number";
    if (inc__load_u64le(p + 16) > off)
        return "durable mark beyond the record";
    return NULL;
}

int inc__jrec_check(const uint8_t *p, size_t avail, uint64_t off, uint64_t seq, size_t *size,
                    const char **why)
{
    size_t total;
    uint32_t len;
    if (avail < INC__JREC_FIXED) {
        *why = "record cut short";
        return INC__JREC_SHORT;
    }
    len = inc__jrec_len(p);
    if (len > INC__JREC_MAX_PAYLOAD) {
        *why = "record length out of range";
        return INC__JREC_BAD;
    }
    total = (size_t)len + INC__JREC_OVERHEAD;
    if (avail < total) {
        *why = "record cut short";
        return INC__JREC_SHORT;
    }
    if (inc__load_u32le(p + INC__JREC_FIXED + len) != inc__crc32c(0, p, INC__JREC_FIXED + len)) {
        *why = "record checksum mismatch";
        return INC__JREC_BAD;
    }
    *why = fixed_check(p, off, seq);
    if (*why)
        return INC__JREC_BAD;
    *size = total;
    return INC__JREC_OK;
}

int inc__jrec_witness(const uint8_t *buf, size_t len, uint64_t base, uint64_t from, uint64_t seq,
                      uint64_t *at)
{
    size_t i = (size_t)(from - base);
    /* A number a record of this file can have after record @seq: above 0,
     * and at most 2^32 beyond @seq (records removed before it may have
     * taken lower numbers away, so its position bounds nothing). The test
     * only spares the CRC of bytes that cannot be a record. */
    uint64_t max_seq = seq + (1ull << 32);

    for (; i + INC__JREC_OVERHEAD <= len; i++) {
        const uint8_t *p = buf + i;
        uint64_t s = inc__load_u64le(p + 8);
        uint32_t rl = inc__jrec_len(p);
        if (s == 0 || s > max_seq || (inc__load_u32le(p + 4) & ~INC__JFLAG_COMMIT))
            continue;
        if (rl > len - i - INC__JREC_OVERHEAD)
            continue;
        if (inc__load_u32le(p + INC__JREC_FIXED + rl) == inc__crc32c(0, p, INC__JREC_FIXED + rl)) {
            *at = base + i;
            return 1;
        }
    }
    return 0;
}
