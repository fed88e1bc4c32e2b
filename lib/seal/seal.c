/* TL-5: forward-secure sealing over any store (lib/docs/sealing.md). Setup
 * draws the verification key; each seal MACs every incident's head under
 * the epoch's key and then evolves the key one way; verify recomputes every
 * key from the verification key and checks the seals and the store. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seal_internal.h"
#include "util/hmac.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* ---- keys as text ------------------------------------------------------------ */

int inc_seal_key_format(const uint8_t key[INC_SEAL_KEY_LEN], char *buf, size_t size)
{
    if (!key || !buf)
        return INC_EINVAL;
    if (size < INC_SEAL_KEY_TEXT_MAX) {
        if (size)
            buf[0] = '\0';
        return INC_ETOOBIG;
    }
    inc__hex_encode(key, INC_SEAL_KEY_LEN, buf);
    return INC_OK;
}

int inc_seal_key_parse(const char *text, uint8_t key[INC_SEAL_KEY_LEN])
{
    uint8_t k[INC_SEAL_KEY_LEN];
    if (!text || !key)
        return INC_EINVAL;
    if (strlen(text) != 2 * INC_SEAL_KEY_LEN || inc__hex_decode(text, INC_SEAL_KEY_LEN, k) != 0)
        return INC_EPARSE;
    memcpy(key, k, sizeof(k));
    inc__wipe(k, sizeof(k));
    return INC_OK;
}

/* ---- setup ------------------------------------------------------------------------ */

static int random_key(uint8_t out[INC__SHA256_LEN], inc_error *err)
{
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return inc_error_set(err, INC_EIO, "cannot open /dev/urandom: %s", strerror(errno));
    while (got < INC__SHA256_LEN) {
        ssize_t n = read(fd, out + got, INC__SHA256_LEN - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return inc_error_set(err, INC_EIO, "cannot read /dev/urandom");
        }
        got += (size_t)n;
    }
    close(fd);
    return INC_OK;
}

int inc_seal_setup(inc_context *ctx, const char *key_path, const char *log_path,
                   uint8_t verification_key[INC_SEAL_KEY_LEN])
{
    uint8_t k0[INC__SHA256_LEN], key_file[INC__SEAL_KEY_FILE_LEN], header[INC__SEAL_LOG_HEADER];
    inc__seal_key k;
    int rc;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!key_path || !log_path || !verification_key || !*key_path || !*log_path)
        return inc_error_set(&ctx->err, INC_EINVAL, "seal setup: NULL or empty argument");
    if (strcmp(key_path, log_path) == 0)
        return inc_error_set(&ctx->err, INC_EINVAL,
                             "seal setup: the key file and the seal log are one path (%s)",
                             key_path);
    if ((rc = random_key(k0, &ctx->err)) != INC_OK)
        return rc;
    memset(&k, 0, sizeof(k));
    k.epoch = 1;
    k.setup_at = inc_context_now(ctx);
    inc__seal_key_id(k0, k.key_id);
    memcpy(k.key, k0, sizeof(k0));
    inc__seal_evolve(k.key); /* the store never holds k0 */
    inc__seal_key_encode(&k, key_file);
    inc__seal_log_header(k.key_id, k.setup_at, header);
    rc = inc__seal_create(key_path, key_file, sizeof(key_file), &ctx->err);
    if (rc == INC_OK && (rc = inc__seal_create(log_path, header, sizeof(header), &ctx->err)) != 0)
        unlink(key_path);
    if (rc == INC_OK)
        memcpy(verification_key, k0, sizeof(k0));
    inc__wipe(k0, sizeof(k0));
    inc__wipe(&k, sizeof(k));
    inc__wipe(key_file, sizeof(key_file));
    return rc;
}

/* ---- the heads of every incident -------------------------------------------------- */

typedef struct heads {
    inc__ids ids;
    inc__seal_entry *v;
    uint8_t (*hash)[INC__SHA256_LEN];
    size_t n;
} heads;

static int keep_hash(void *user, uint64_t seq, const uint8_t hash[INC__SHA256_LEN])
{
    (void)seq;
    memcpy(user, hash, INC__SHA256_LEN);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void heads_free(inc_context *ctx, heads *h)
{
    inc__ids_free(ctx, &h->ids);
    inc__free(&ctx->alloc, h->v);
    inc__free(&ctx->alloc, h->hash);
}

/* The head of every incident of the store, in id order; a broken chain is
 * refused (sealing it would vouch for whatever broke it). */
static int collect_heads(inc_context *ctx, heads *h)
{
    size_t i;
    int rc;

    memset(h, 0, sizeof(*h));
    if ((rc = inc__context_ids(ctx, &h->ids, &ctx->err)) != INC_OK)
        return rc;
    if (h->ids.n > 1) /* an empty store lists nothing: v is NULL, which qsort must not get */
        qsort(h->ids.v, h->ids.n, sizeof(char *), cmp_str);
    h->v = inc__calloc(&ctx->alloc, h->ids.n ? h->ids.n : 1, sizeof(*h->v));
    h->hash = inc__calloc(&ctx->alloc, h->ids.n ? h->ids.n : 1, sizeof(*h->hash));
    if (!h->v || !h->hash)
        return inc__error_oom(&ctx->err);
    for (i = 0; i < h->ids.n; i++) {
        inc__seal_entry *e = &h->v[h->n];
        uint64_t last = 0, bad = 0;
        rc = inc__chain_walk(ctx->store, h->ids.v[i], 0, keep_hash, h->hash[h->n], &last, &bad,
                             &ctx->err);
        if (rc == INC_ECORRUPT)
            return inc_error_set(&ctx->err, rc,
                                 "not sealed: incident %s is broken at event %llu "
                                 "(run incident verify)",
                                 h->ids.v[i], (unsigned long long)bad);
        if (rc != INC_OK)
            return rc;
        if (last == 0)
            continue;
        e->id = h->ids.v[i];
        e->id_len = strlen(e->id);
        e->seq = last;
        e->hash = h->hash[h->n];
        h->n++;
    }
    return INC_OK;
}

/* ---- sealing ---------------------------------------------------------------------- */

/* Replace the key by the next epoch's, in the file first, then in memory. */
static int evolve_key(int fd, const char *path, inc__seal_key *k, inc_error *err)
{
    inc__seal_key next = *k;
    int rc;
    next.epoch++;
    inc__seal_evolve(next.key);
    rc = inc__seal_key_write(fd, path, &next, err);
    if (rc == INC_OK)
        *k = next;
    inc__wipe(&next, sizeof(next));
    return rc;
}

/* The key file and the log must be of one setup, the key one epoch past the
 * log's last seal (or at it, when a crash came between the seal and the
 * evolution: the evolution is finished now). */
static int match_key_and_log(int fd, const char *key_path, const char *log_path, inc__seal_key *k,
                             const inc__seal_log *log, inc_error *err)
{
    if (memcmp(k->key_id, log->key_id, INC__SHA256_LEN) != 0)
        return inc_error_set(err, INC_ECORRUPT, "%s and %s are of different seal setups", key_path,
                             log_path);
    if (log->last_epoch == k->epoch)
        return evolve_key(fd, key_path, k, err);
    if (log->last_epoch + 1 != k->epoch)
        return inc_error_set(err, INC_ECORRUPT,
                             "%s is at epoch %llu but %s ends at epoch %llu: seals are missing "
                             "or the key file was replaced",
                             key_path, (unsigned long long)k->epoch, log_path,
                             (unsigned long long)log->last_epoch);
    return INC_OK;
}

static int lock_key(int fd, const char *path, inc_error *err)
{
    struct flock fl;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (fcntl(fd, F_SETLKW, &fl) != 0)
        if (errno != EINTR)
            return inc_error_set(err, INC_ELOCKED, "cannot lock %s: %s", path, strerror(errno));
    return INC_OK;
}

/* Encode the seal of the current epoch, append it where the log's last
 * whole record ends (over a torn one, if any) and evolve the key. */
static int append_seal(inc_context *ctx, int fd, const char *key_path, const char *log_path,
                       inc__seal_key *k, size_t at, inc_seal_result *result)
{
    inc__buf rec;
    heads h;
    size_t i;
    int rc;

    inc__buf_init(&rec, &ctx->alloc);
    rc = collect_heads(ctx, &h);
    if (rc == INC_OK) {
        rc = inc__seal_rec_encode(&rec, k->key, k->epoch, inc_context_now(ctx), h.v, h.n);
        if (rc != INC_OK)
            rc = rc == INC_ENOMEM ? inc__error_oom(&ctx->err)
                                  : inc_error_set(&ctx->err, rc, "seal: too many incidents");
    }
    if (rc == INC_OK)
        rc = inc__seal_log_write(log_path, at, rec.ptr, rec.len, &ctx->err);
    if (rc == INC_OK) {
        result->epoch = k->epoch;
        result->incidents = h.n;
        for (i = 0; i < h.n; i++)
            result->events += h.v[i].seq;
        rc = evolve_key(fd, key_path, k, &ctx->err);
    }
    heads_free(ctx, &h);
    inc__buf_dispose(&rec);
    return rc;
}

int inc_seal(inc_context *ctx, const char *key_path, const char *log_path, inc_seal_result *result)
{
    inc_seal_result local;
    inc__seal_key k;
    inc__seal_log log;
    int fd = -1, rc;

    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!key_path || !log_path)
        return inc_error_set(&ctx->err, INC_EINVAL, "seal: NULL argument");
    if (!result)
        result = &local;
    memset(result, 0, sizeof(*result));
    memset(&log, 0, sizeof(log));
    if ((rc = inc__seal_key_open(key_path, 1, &fd, &ctx->err)) != INC_OK)
        return rc;
    /* A POSIX lock, dropped when this process closes any descriptor of the
     * file: the key file is opened once here, and only here. */
    if ((rc = lock_key(fd, key_path, &ctx->err)) == INC_OK &&
        (rc = inc__seal_key_load(fd, key_path, &k, &ctx->err)) == INC_OK &&
        (rc = inc__seal_log_read(&ctx->alloc, log_path, &log, &ctx->err)) == INC_OK &&
        (rc = match_key_and_log(fd, key_path, log_path, &k, &log, &ctx->err)) == INC_OK)
        rc = append_seal(ctx, fd, key_path, log_path, &k, log.valid_end, result);
    inc__seal_log_free(&ctx->alloc, &log);
    inc__wipe(&k, sizeof(k));
    close(fd);
    return rc;
}

/* ---- verifying -------------------------------------------------------------------- */

typedef struct verifier {
    inc_context *ctx;
    inc__seal_log log;
    inc__seal_entry *cps; /* every verified seal's heads, by (id, seq, epoch) */
    size_t ncps;
    inc__ids ids; /* the store's, sorted */
    inc_seal_summary sum;
    int rc;          /* the first failure */
    inc_error first; /* its message, copied to ctx at the end */
    inc_seal_report_fn cb;
    void *user;
} verifier;

/* Keep the first failure and its message; later ones only count. */
static void note_failure(verifier *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note_failure(verifier *v, const char *fmt, ...)
{
    va_list ap;
    if (v->rc != INC_OK)
        return;
    va_start(ap, fmt);
    inc__error_vset(&v->first, INC_ECORRUPT, fmt, ap);
    va_end(ap);
    v->rc = INC_ECORRUPT;
}

/* Check each seal's digest and MAC under its epoch's key; collect the heads of
 * those that verify. Stops at the first that does not. @key ends at the key of
 * the last seal verified. */
static int check_seals(verifier *v, const char *log_path, uint8_t key[INC__SHA256_LEN])
{
    size_t off = INC__SEAL_LOG_HEADER, cap = 0;
    inc__seal_rec r;

    while (off < v->log.valid_end) {
        uint8_t digest[INC__SHA256_LEN], mac[INC__SHA256_LEN];
        size_t pos = 0, i;
        inc__seal_rec_at(&v->log, off, &r);
        inc__seal_evolve(key);
        inc__sha256(r.entries, r.entries_len, digest);
        if (memcmp(digest, r.digest, INC__SHA256_LEN) != 0)
            return note_failure(v,
                                "%s: the seal of epoch %llu does not match its heads (the "
                                "seal log was altered)",
                                log_path, (unsigned long long)r.epoch),
                   INC_OK;
        inc__seal_mac(key, &r, mac);
        if (!inc__ct_equal(mac, r.mac, INC__SHA256_LEN))
            return note_failure(v,
                                "%s: the seal of epoch %llu does not verify (forged or altered "
                                "seal)",
                                log_path, (unsigned long long)r.epoch),
                   INC_OK;
        if (inc__array_reserve(&v->ctx->alloc, (void **)&v->cps, &cap, v->ncps + r.count,
                               sizeof(*v->cps)) != INC_OK)
            return inc__error_oom(&v->ctx->err);
        for (i = 0; i < r.count; i++)
            inc__seal_entry_next(&r, &pos, &v->cps[v->ncps++]);
        v->sum.seals = r.epoch;
        v->sum.last_sealed_at = r.time;
        off += r.len;
    }
    return INC_OK;
}

/* The key file must be at the epoch after the last seal (or at it, after a
 * crash between the seal and the evolution) and hold that epoch's key. */
static int check_key_file(verifier *v, const char *key_path, const uint8_t last_key[32])
{
    uint8_t next[INC__SHA256_LEN];
    inc__seal_key k;
    int rc, same, fd;

    if ((rc = inc__seal_key_open(key_path, 0, &fd, &v->ctx->err)) != INC_OK)
        return rc;
    rc = inc__seal_key_load(fd, key_path, &k, &v->ctx->err);
    close(fd);
    if (rc != INC_OK)
        return rc;
    v->sum.key_epoch = k.epoch;
    memcpy(next, last_key, sizeof(next));
    if (k.epoch == v->sum.seals + 1)
        inc__seal_evolve(next);
    same = inc__ct_equal(next, k.key, sizeof(next));
    if (memcmp(k.key_id, v->log.key_id, INC__SHA256_LEN) != 0)
        note_failure(v, "%s is of another seal setup than the seal log", key_path);
    else if (k.epoch > v->sum.seals + 1)
        note_failure(v,
                     "%s is at epoch %llu but the seal log ends at epoch %llu: seals were "
                     "removed",
                     key_path, (unsigned long long)k.epoch, (unsigned long long)v->sum.seals);
    else if (k.epoch + 1 < v->sum.seals + 1 || !same)
        note_failure(v, "%s does not hold the key of epoch %llu (replaced or rolled back)",
                     key_path, (unsigned long long)k.epoch);
    inc__wipe(&k, sizeof(k));
    inc__wipe(next, sizeof(next));
    return INC_OK;
}

static int cmp_entry(const void *a, const void *b)
{
    const inc__seal_entry *x = a, *y = b;
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    int c = memcmp(x->id, y->id, n);
    if (c)
        return c;
    if (x->id_len != y->id_len)
        return x->id_len < y->id_len ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->epoch < y->epoch ? -1 : x->epoch > y->epoch;
}

/* Compare an incident's chain, as it is walked, with its sealed heads. */
typedef struct probe {
    const inc__seal_entry *cp;
    size_t n, i;
    inc_seal_report *rep;
} probe;

static int probe_cb(void *user, uint64_t seq, const uint8_t hash[INC__SHA256_LEN])
{
    probe *p = user;
    for (; p->i < p->n && p->cp[p->i].seq <= seq; p->i++)
        if (p->rep->status == INC_OK &&
            (p->cp[p->i].seq < seq || memcmp(p->cp[p->i].hash, hash, INC__SHA256_LEN) != 0)) {
            p->rep->status = INC_ECORRUPT;
            p->rep->bad_seq = p->cp[p->i].seq;
            p->rep->bad_epoch = p->cp[p->i].epoch;
        }
    return 0;
}

static void check_incident(verifier *v, const char *id, const inc__seal_entry *cp, size_t n)
{
    inc_seal_report rep;
    inc_error err;
    probe p;
    uint64_t bad = 0;
    int rc = INC_ENOTFOUND;

    memset(&rep, 0, sizeof(rep));
    rep.id = id;
    p.cp = cp;
    p.n = n;
    p.i = 0;
    p.rep = &rep;
    if (n) {
        size_t last = n - 1, first = n - 1;
        while (first > 0 && cp[first - 1].seq == cp[last].seq)
            first--;
        rep.sealed_seq = cp[last].seq;
        rep.sealed_epoch = cp[first].epoch;
    }
    inc__error_clear(&err);
    rc = inc__chain_walk(v->ctx->store, id, 0, probe_cb, &p, &rep.last_seq, &bad, &err);
    if (rc == INC_ECORRUPT && rep.status == INC_OK) {
        rep.status = INC_ECORRUPT;
        rep.bad_seq = bad;
        for (p.i = 0; p.i < n && cp[p.i].seq < bad; p.i++)
            ;
        rep.bad_epoch = p.i < n ? cp[p.i].epoch : 0;
    } else if (rc != INC_OK && rc != INC_ENOTFOUND && v->rc == INC_OK) {
        v->rc = inc__error_copy(&v->first, &err);
    }
    if (rep.status == INC_OK && p.i < n) { /* sealed events no longer in the store */
        rep.status = INC_ECORRUPT;
        rep.bad_seq = cp[p.i].seq;
        rep.bad_epoch = cp[p.i].epoch;
    }
    rep.unsealed = rep.last_seq > rep.sealed_seq ? rep.last_seq - rep.sealed_seq : 0;
    if (rep.status != INC_OK) {
        v->sum.mismatches++;
        if (rep.last_seq < rep.bad_seq && rc != INC_ECORRUPT)
            note_failure(v,
                         "incident %s: event %llu, sealed at epoch %llu, is no longer in the "
                         "store (it holds %llu events)",
                         id, (unsigned long long)rep.bad_seq, (unsigned long long)rep.bad_epoch,
                         (unsigned long long)rep.last_seq);
        else if (rep.bad_epoch == 0)
            note_failure(v,
                         "incident %s: hash chain broken at event %llu, after its last seal "
                         "(TL-2)",
                         id, (unsigned long long)rep.bad_seq);
        else
            note_failure(v, "incident %s: event %llu differs from the seal of epoch %llu (TL-5)",
                         id, (unsigned long long)rep.bad_seq, (unsigned long long)rep.bad_epoch);
    }
    v->sum.incidents++;
    v->sum.unsealed += rep.unsealed;
    if (v->cb)
        v->cb(v->user, &rep);
}

/* Every incident of the store or of a seal, in id order. */
static int check_incidents(verifier *v)
{
    size_t i = 0, j = 0;
    int rc;

    if ((rc = inc__context_ids(v->ctx, &v->ids, &v->ctx->err)) != INC_OK)
        return rc;
    if (v->ids.n > 1)
        qsort(v->ids.v, v->ids.n, sizeof(char *), cmp_str);
    if (v->ncps > 1)
        qsort(v->cps, v->ncps, sizeof(*v->cps), cmp_entry);
    while (i < v->ids.n || j < v->ncps) {
        char id[INC_ID_MAX + 1] = "";
        size_t k = j;
        int c;
        if (j < v->ncps) {
            memcpy(id, v->cps[j].id, v->cps[j].id_len);
            id[v->cps[j].id_len] = '\0';
        }
        c = i >= v->ids.n ? 1 : j >= v->ncps ? -1 : strcmp(v->ids.v[i], id);
        if (c < 0) {
            check_incident(v, v->ids.v[i++], NULL, 0);
            continue;
        }
        while (k < v->ncps && v->cps[k].id_len == v->cps[j].id_len &&
               memcmp(v->cps[k].id, v->cps[j].id, v->cps[j].id_len) == 0)
            k++;
        check_incident(v, id, v->cps + j, k - j);
        j = k;
        if (c == 0)
            i++;
    }
    return INC_OK;
}

int inc_seal_verify(inc_context *ctx, const char *key_path, const char *log_path,
                    const uint8_t verification_key[INC_SEAL_KEY_LEN], inc_seal_report_fn cb,
                    void *user, inc_seal_summary *summary)
{
    uint8_t key[INC__SHA256_LEN], id[INC__SHA256_LEN];
    verifier v;
    int rc;

    if (summary) {
        memset(summary, 0, sizeof(*summary));
        summary->last_sealed_at = INC_TIME_NONE;
    }
    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!log_path || !verification_key)
        return inc_error_set(&ctx->err, INC_EINVAL, "seal verify: NULL argument");
    memset(&v, 0, sizeof(v));
    v.ctx = ctx;
    v.cb = cb;
    v.user = user;
    v.sum.last_sealed_at = INC_TIME_NONE;
    if ((rc = inc__seal_log_read(&ctx->alloc, log_path, &v.log, &ctx->err)) != INC_OK)
        return rc;
    inc__seal_key_id(verification_key, id);
    if (memcmp(id, v.log.key_id, sizeof(id)) != 0) {
        rc = inc_error_set(&ctx->err, INC_EPERM,
                           "the verification key is not the one of the seal log %s", log_path);
        goto out;
    }
    v.sum.torn_bytes = v.log.len - v.log.valid_end;
    memcpy(key, verification_key, sizeof(key));
    if ((rc = check_seals(&v, log_path, key)) == INC_OK &&
        (!key_path || v.rc != INC_OK || (rc = check_key_file(&v, key_path, key)) == INC_OK))
        rc = check_incidents(&v);
    if (rc == INC_OK && v.rc != INC_OK)
        rc = inc__error_copy(&ctx->err, &v.first);
out:
    inc__wipe(key, sizeof(key));
    if (summary)
        *summary = v.sum;
    inc__ids_free(ctx, &v.ids);
    inc__free(&ctx->alloc, v.cps);
    inc__seal_log_free(&ctx->alloc, &v.log);
    return rc;
}
