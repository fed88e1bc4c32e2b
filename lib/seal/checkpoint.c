/* TL-5 checkpoints: the head of a timeline as SEQ:HASH, and the proof that
 * events 1..SEQ are unchanged (the chain re-read and recomputed). */
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "incident_internal.h"
#include "seal_internal.h"

/* ---- the chain walk ----------------------------------------------------- */

typedef struct walk {
    uint64_t next; /* the sequence number expected next */
    uint64_t upto;
    uint8_t prev[INC__SHA256_LEN];
    inc__chain_fn fn;
    void *user;
    int broken; /* event @next broke the chain */
} walk;

#define WALK_DONE 0x5ea1 /* the walk reached @upto: stop the read, not an error */

static int walk_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    walk *w = user;
    const uint8_t *p = data;
    int rc;

    if (seq != w->next || len < INC__EV_HEADER || inc__load_u64le(p + 8) != seq ||
        memcmp(p + 24, w->prev, INC__SHA256_LEN) != 0) {
        w->broken = 1;
        return WALK_DONE;
    }
    inc__sha256(data, len, w->prev);
    w->next++;
    if (w->fn && (rc = w->fn(w->user, seq, w->prev)) != 0)
        return rc;
    return w->upto && seq >= w->upto ? WALK_DONE : 0;
}

int inc__chain_walk(inc_store *store, const char *id, uint64_t upto, inc__chain_fn fn, void *user,
                    uint64_t *last, uint64_t *bad, inc_error *err)
{
    walk w;
    int rc;

    memset(&w, 0, sizeof(w));
    w.next = 1;
    w.upto = upto;
    w.fn = fn;
    w.user = user;
    *bad = 0;
    rc = inc__store_read(store, id, 1, walk_cb, &w, err);
    *last = w.next - 1;
    if (rc == WALK_DONE)
        rc = INC_OK;
    if (rc == INC_OK && w.broken) {
        *bad = w.next;
        return inc_error_set(err, INC_ECORRUPT,
                             "incident %s: event %llu does not follow event %llu (its number "
                             "or previous-event hash differs, TL-2)",
                             id, (unsigned long long)w.next, (unsigned long long)(w.next - 1));
    }
    return rc;
}

/* ---- the head ------------------------------------------------------------ */

int inc_incident_head(const inc_incident *inc, inc_checkpoint *out)
{
    if (!inc || !out)
        return INC_EINVAL;
    memset(out, 0, sizeof(*out));
    if (inc->event_count == 0)
        return INC_OK; /* cannot happen for an open incident */
    /* Every load checks the chain (TL-2), so the last hash is always known. */
    out->seq = inc->event_count;
    memcpy(out->hash, inc->last_hash, INC__SHA256_LEN);
    return INC_OK;
}

int inc_checkpoint_format(const inc_checkpoint *cp, char *buf, size_t size)
{
    char hex[2 * INC__SHA256_LEN + 1];
    int n;

    if (!cp || !buf || cp->seq == 0)
        return INC_EINVAL;
    inc__hex_encode(cp->hash, INC__SHA256_LEN, hex);
    n = snprintf(buf, size, "%llu:%s", (unsigned long long)cp->seq, hex);
    if (n < 0 || (size_t)n >= size) {
        if (size)
            buf[0] = '\0';
        return INC_ETOOBIG;
    }
    return INC_OK;
}

int inc_checkpoint_parse(const char *text, inc_checkpoint *out)
{
    inc_checkpoint cp;
    const char *p = text;

    if (!text || !out)
        return INC_EINVAL;
    if (*p < '1' || *p > '9')
        return INC_EPARSE; /* a digit from 1: no sign, space or leading zero */
    cp.seq = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (cp.seq > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
            return INC_EPARSE;
        cp.seq = cp.seq * 10 + (uint64_t)(*p - '0');
    }
    if (*p++ != ':' || strlen(p) != 2 * INC__SHA256_LEN ||
        inc__hex_decode(p, INC__SHA256_LEN, cp.hash) != 0)
        return INC_EPARSE;
    *out = cp;
    return INC_OK;
}

/* ---- proving events 1..SEQ ----------------------------------------------- */

typedef struct head_probe {
    uint64_t seq;
    uint8_t hash[INC__SHA256_LEN];
} head_probe;

static int probe_cb(void *user, uint64_t seq, const uint8_t hash[INC__SHA256_LEN])
{
    head_probe *h = user;
    if (seq == h->seq)
        memcpy(h->hash, hash, INC__SHA256_LEN);
    return 0;
}

static int verify_head(inc_store *store, const char *id, const inc_checkpoint *cp,
                       uint64_t *bad_seq, inc_error *err)
{
    head_probe probe;
    uint64_t last = 0, bad = 0;
    int rc;

    if (bad_seq)
        *bad_seq = 0;
    if (!store || !id || !cp || cp->seq == 0)
        return inc_error_set(err, INC_EINVAL, "verify head: NULL argument or sequence number 0");
    memset(&probe, 0, sizeof(probe));
    probe.seq = cp->seq;
    rc = inc__chain_walk(store, id, cp->seq, probe_cb, &probe, &last, &bad, err);
    if (rc == INC_ECORRUPT && bad_seq)
        *bad_seq = bad;
    if (rc != INC_OK)
        return rc;
    if (last < cp->seq)
        return inc_error_set(err, INC_ENOTFOUND,
                             "incident %s holds %llu events; the checkpoint names event %llu "
                             "(events were removed, or it is another store's)",
                             id, (unsigned long long)last, (unsigned long long)cp->seq);
    if (memcmp(probe.hash, cp->hash, INC__SHA256_LEN) != 0) {
        if (bad_seq)
            *bad_seq = cp->seq;
        return inc_error_set(err, INC_ECORRUPT,
                             "incident %s: event %llu differs from the checkpoint (TL-5): an "
                             "event in 1..%llu was changed and the chain recomputed",
                             id, (unsigned long long)cp->seq, (unsigned long long)cp->seq);
    }
    return INC_OK;
}

int inc_incident_verify_head(inc_incident *inc, const inc_checkpoint *cp, uint64_t *bad_seq)
{
    if (bad_seq)
        *bad_seq = 0;
    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    return verify_head(inc->ctx->store, inc->id, cp, bad_seq, &inc->err);
}

int inc_store_verify_head(inc_store *store, const char *id, const inc_checkpoint *cp,
                          uint64_t *bad_seq)
{
    inc_error *err = inc_store_error(store);
    if (bad_seq)
        *bad_seq = 0;
    if (!store)
        return INC_EINVAL;
    inc__error_clear(err);
    if (id && !inc__id_valid(id))
        return inc_error_set(err, INC_EINVAL, "id: '%.96s' is not an incident id", id);
    return verify_head(store, id, cp, bad_seq, err);
}
