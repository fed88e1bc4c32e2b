/* The record scanner: reads an incident's file in large chunks, checks each
 * record's CRC, number and chain, hands committed records to a callback
 * without copying them, and classifies a bad tail as torn (a crash) or
 * corrupt (rot, tampering). What to do about a bad tail is recovery's
 * (journal_recovery.c): the scanner only reads. */
#include <stdio.h>
#include <string.h>

#include "journal_internal.h"
#include "util/buf.h"

#define CHUNK_MIN 4096u
#define CHUNK_MAX (1u << 20)

/* Hand the records in [p, end) to the callback. */
static int deliver(inc__jscan *s, const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t len = inc__jrec_len(p);
        uint64_t seq = inc__load_u64le(p + 8);
        if (seq >= s->from_seq) {
            int rc = s->cb(s->cb_user, seq, p + INC__JREC_FIXED, len);
            if (rc != 0)
                return rc;
        }
        p += len + INC__JREC_OVERHEAD;
    }
    return 0;
}

/* TL-4: decide whether the bytes from the last commit s->end on are a
 * torn tail or corruption, after the bad record at @bad (the number
 * @seq + 1 expected there; @bad = s->end and @at_eof when the file ended
 * after valid records that no COMMIT closed: nothing to search then). A
 * valid record anywhere from @bad on, or bytes this handle itself synced,
 * make them corruption. @buf holds the file from @base, @have bytes of it;
 * when it does not reach the end of the file the rest is read. */
static int classify(inc__jscan *s, const uint8_t *buf, size_t have, uint64_t base, uint64_t bad,
                    uint64_t seq, int eof, int at_eof, inc_error *err)
{
    jstore *js = s->js;
    uint8_t *rest = NULL;
    int witness = 0;

    s->witness_off = 0;
    s->bad_off = bad;
    s->bad_seq = seq + 1;
    if (at_eof) {
        witness = 0;
    } else if (eof) {
        witness = inc__jrec_witness(buf, have, base, bad, seq, &s->witness_off);
    } else {
        inc__jio_stat st;
        size_t n, got;
        int rc = js->io.fstat(js->io.user, s->fd, &st);
        if (rc < 0)
            return inc__jerr_io(err, rc, "fstat", s->name);
        n = st.size > bad ? (size_t)(st.size - bad) : 0;
        rest = inc__malloc(&js->alloc, n ? n : 1);
        if (!rest)
            return inc__error_oom(err);
        rc = inc__jio_read_full(&js->io, s->fd, rest, n, bad, &got);
        if (rc < 0) {
            inc__free(&js->alloc, rest);
            return inc__jerr_io(err, rc, "read", s->name);
        }
        s->size = bad + got;
        witness = inc__jrec_witness(rest, got, bad, bad, seq, &s->witness_off);
        inc__free(&js->alloc, rest);
    }
    /* Bytes this handle has itself synced cannot be a torn write either. */
    s->witness = witness;
    s->tail = witness || s->end < s->durable ? INC__JTAIL_CORRUPT : INC__JTAIL_TORN;
    return INC_OK;
}

/* Check the stored hash of the previous record in the record at @p. */
static int chain_ok(inc__jscan *s, const uint8_t *p, const uint8_t *run, int first)
{
    if (s->hash_all)
        return memcmp(p + 24, run, INC__SHA256_LEN) == 0;
    if (first && s->prev)
        return memcmp(p + 24, s->prev, INC__SHA256_LEN) == 0;
    return 1;
}

typedef struct scan_buf {
    uint8_t *p;
    size_t cap, have, pos, commit;
    uint64_t base;
    uint64_t limit; /* the file's size when the scan began: read no further */
    int eof;
    /* hash_all: the hash of the record after the one last hashed, computed
     * with it (two at once: inc__sha256_x2), and where that record starts */
    uint8_t ahead[INC__SHA256_LEN];
    uint64_t ahead_off; /* file offset; 0: none (no record starts at 0) */
    size_t ahead_size;
} scan_buf;

/* Read on to the size the file had when the scan began: records appended
 * since are left for the next read, and no read is spent finding the end
 * (the caller's fstat, when it has one, is the only stat). */
static int fill(inc__jscan *s, scan_buf *b, inc_error *err)
{
    uint64_t at = b->base + b->have;
    size_t want, got;
    int rc;
    if (b->eof || b->have == b->cap)
        return INC_OK;
    want = b->cap - b->have;
    if (b->limit - at < want)
        want = (size_t)(b->limit - at);
    rc = inc__jio_read_full(&s->js->io, s->fd, b->p + b->have, want, at, &got);
    if (rc < 0)
        return inc__jerr_io(err, rc, "read", s->name);
    b->have += got;
    if (got < want || b->base + b->have == b->limit)
        b->eof = 1;
    s->size = b->base + b->have;
    return INC_OK;
}

/* Keep the hash of the last committed record before its bytes leave the
 * buffer: the next append chains to it, and hashing it here costs no read. */
static void hash_last(inc__jscan *s, const scan_buf *b, uint64_t *hashed)
{
    const uint8_t *p;
    if (s->last_seq == *hashed || s->last_off < b->base)
        return;
    p = b->p + (s->last_off - b->base);
    inc__sha256(p, (size_t)inc__jrec_len(p) + INC__JREC_OVERHEAD, s->hash);
    *hashed = s->last_seq;
}

/* Keep the uncommitted bytes, dropping what is done; grow when full. */
static int compact(inc__jscan *s, scan_buf *b, inc_error *err)
{
    if (b->commit > 0) {
        memmove(b->p, b->p + b->commit, b->have - b->commit);
        b->base += b->commit;
        b->have -= b->commit;
        b->pos -= b->commit;
        b->commit = 0;
    }
    if (b->have == b->cap) {
        size_t need = b->cap * 2;
        uint8_t *np;
        if (b->have - b->pos >= INC__JREC_FIXED) {
            size_t rec = (size_t)inc__jrec_len(b->p + b->pos) + INC__JREC_OVERHEAD + b->pos;
            if (rec > need)
                need = rec;
        }
        np = inc__realloc(&s->js->alloc, b->p, need);
        if (!np)
            return inc__error_oom(err);
        b->p = np;
        b->cap = need;
    }
    return INC_OK;
}

/* hash_all: the SHA-256 of the record at @p (@size bytes, checked) into
 * @run. A verify hashes every record; two hashes at once cost little more
 * than one, so the next record, when it is whole in the buffer, is hashed
 * with this one and its hash kept for the next call (unused if that record
 * turns out bad: its check comes first). */
static void hash_record(scan_buf *b, const uint8_t *p, size_t size, uint8_t *run)
{
    uint64_t off = b->base + (uint64_t)(p - b->p);
    const uint8_t *q = p + size;
    size_t left = b->have - (size_t)(q - b->p), next;

    if (b->ahead_off == off && b->ahead_size == size) {
        memcpy(run, b->ahead, INC__SHA256_LEN);
        b->ahead_off = 0;
        return;
    }
    b->ahead_off = 0;
    next = left >= INC__JREC_FIXED ? (size_t)inc__jrec_len(q) + INC__JREC_OVERHEAD : 0;
    if (next == 0 || next > left) {
        inc__sha256(p, size, run);
        return;
    }
    inc__sha256_x2(p, size, run, q, next, b->ahead);
    b->ahead_off = off + size;
    b->ahead_size = next;
}

/* Parse what is in the buffer. Returns INC_OK with *stop set when the scan
 * is over (s->tail says why), or the callback's value / an error. */
static int parse(inc__jscan *s, scan_buf *b, uint8_t *run, uint64_t *seq, int *stop, inc_error *err)
{
    while (b->pos < b->have || b->eof) {
        const uint8_t *p = b->p + b->pos;
        size_t size = 0;
        const char *why = NULL;
        int r, rc;

        if (b->pos == b->have) {     /* end of file */
            if (b->commit < b->have) /* an append without its last record */
                return (*stop = 1,
                        classify(s, b->p, b->have, b->base, b->base + b->commit, *seq, 1, 1, err));
            return (*stop = 1, INC_OK);
        }
        r = inc__jrec_check(p, b->have - b->pos, b->base + b->pos, *seq + 1, &size, &why);
        if (r == INC__JREC_SHORT && !b->eof)
            return INC_OK;
        if (r != INC__JREC_OK || !chain_ok(s, p, run, *seq == s->seq)) {
            if (r == INC__JREC_OK && !s->hash_all) { /* the file is not what we knew */
                s->tail = INC__JTAIL_STALE;
                s->bad_off = b->base + b->pos;
                s->bad_seq = *seq + 1;
                s->why = "hash of the previous record does not match";
                return (*stop = 1, INC_OK);
            }
            s->why = why ? why : "hash of the previous record does not match";
            if (r == INC__JREC_OK) { /* CRC good, chain broken: tampering */
                s->tail = INC__JTAIL_CORRUPT;
                s->bad_off = b->base + b->pos;
                s->bad_seq = *seq + 1;
                return (*stop = 1, INC_OK);
            }
            rc = classify(s, b->p, b->have, b->base, b->base + b->pos, *seq, b->eof, 0, err);
            if (s->tail == INC__JTAIL_TORN)
                s->bad_off = b->base + b->commit;
            return (*stop = 1, rc);
        }
        if (s->hash_all)
            hash_record(b, p, size, run);
        (*seq)++;
        b->pos += size;
        if (inc__load_u32le(p + 4) & INC__JFLAG_COMMIT) {
            if (s->cb) {
                rc = deliver(s, b->p + b->commit, b->p + b->pos);
                if (rc != 0)
                    return rc;
            }
            b->commit = b->pos;
            s->end = b->base + b->pos;
            s->last_seq = *seq;
            s->last_off = b->base + b->pos - size;
        }
    }
    return INC_OK;
}

/* Start 0: the header is in the first bytes read. Check it and chain the
 * first record to its hash; a bad one stops the scan for the caller's
 * recovery (journal_recovery.c), which needs the lock to decide. */
static int take_header(inc__jscan *s, scan_buf *b, uint8_t run[INC__SHA256_LEN])
{
    int newer;
    s->hdr_bad = inc__jhdr_check(b->p, b->have, s->id, &newer);
    if (s->hdr_bad)
        return 0;
    inc__sha256(b->p, INC__JHDR_LEN, s->hdr_hash);
    memcpy(run, s->hdr_hash, INC__SHA256_LEN);
    s->prev = s->hdr_hash;
    b->pos = b->commit = INC__JHDR_LEN;
    s->end = INC__JHDR_LEN;
    return 1;
}

static int scan_setup(inc__jscan *s, scan_buf *b, inc_error *err)
{
    inc__jio_stat own;
    const inc__jio_stat *st = s->st;
    s->end = s->start;
    s->last_seq = s->seq;
    s->last_off = 0;
    s->tail = INC__JTAIL_CLEAN;
    s->bad_off = s->bad_seq = s->witness_off = 0;
    s->witness = 0;
    s->hdr_bad = NULL;
    if (!s->why)
        s->why = "";
    if (!st || st->nlink == 0) {
        int rc = s->js->io.fstat(s->js->io.user, s->fd, &own);
        if (rc < 0)
            return inc__jerr_io(err, rc, "fstat", s->name);
        st = &own;
    }
    s->size = st->size;
    s->nlink = st->nlink;
    b->base = s->start;
    b->limit = st->size;
    return INC_OK;
}

int inc__jscan_run(inc__jscan *s, inc_error *err)
{
    scan_buf b;
    uint8_t run[INC__SHA256_LEN];
    uint64_t seq = s->seq, hashed = s->seq;
    int rc, stop = 0;

    memset(&b, 0, sizeof(b));
    rc = scan_setup(s, &b, err);
    if (rc != INC_OK)
        return rc;
    if (b.limit <= s->start) {
        if (b.limit < s->start)
            s->tail = INC__JTAIL_STALE; /* shorter than what we knew: cut by another */
        else if (s->start == 0)
            s->hdr_bad = "file shorter than its header";
        return INC_OK;
    }
    b.cap = b.limit - s->start + (s->start == 0 ? 0 : INC__JREC_OVERHEAD);
    b.cap = b.cap < CHUNK_MIN ? CHUNK_MIN : b.cap > CHUNK_MAX ? CHUNK_MAX : b.cap;
    b.p = inc__malloc(&s->js->alloc, b.cap);
    if (!b.p)
        return inc__error_oom(err);
    if (s->hash_all && s->prev)
        memcpy(run, s->prev, INC__SHA256_LEN);
    else
        memset(run, 0, sizeof(run));
    s->why = NULL;
    rc = fill(s, &b, err);
    if (rc == INC_OK && s->start == 0 && !take_header(s, &b, run))
        stop = 1;
    while (rc == INC_OK && !stop) {
        rc = parse(s, &b, run, &seq, &stop, err);
        if (rc != INC_OK || stop)
            break;
        hash_last(s, &b, &hashed);
        rc = compact(s, &b, err);
        if (rc == INC_OK)
            rc = fill(s, &b, err);
    }
    if (rc == INC_OK)
        hash_last(s, &b, &hashed);
    if (!s->why)
        s->why = "";
    inc__free(&s->js->alloc, b.p);
    return rc;
}
