/* Recovery: bringing a handle's view of an incident file up to date under
 * the lock, cutting a torn tail (or removing a file whose creation was
 * torn) and reporting it; and inc_journal_verify(). The rules are in
 * lib/docs/journal-format.md, "Recovery". */
#include <stdio.h>
#include <string.h>

#include "journal_internal.h"

int inc__jscan_corrupt(jstore *js, const inc__jscan *s, inc_error *err)
{
    return inc_error_set(err, INC_ECORRUPT, "journal file %s/%s: offset %llu: record %llu: %s",
                         js->path, s->name, (unsigned long long)s->bad_off,
                         (unsigned long long)s->bad_seq, s->why && *s->why ? s->why : "bad record");
}

static void report(jstore *js, jfile *f, const char *name, uint64_t off, uint64_t bytes,
                   uint64_t last_seq, int cut)
{
    char path[4096 + INC__JNAME_MAX];
    inc_journal_recovery r;

    js->stats.recoveries++;
    js->stats.bytes_dropped += bytes;
    memcpy(js->stats.last_recovery_id, f->id, sizeof(f->id));
    if (!js->opts.on_recovery)
        return;
    snprintf(path, sizeof(path), "%s/%s", js->path, name);
    r.id = f->id;
    r.file = path;
    r.offset = off;
    r.bytes = bytes;
    r.last_seq = last_seq;
    r.cut = cut;
    js->opts.on_recovery(js->opts.recovery_user, &r);
}

/* The file's creation was torn (no complete append in it): remove it, if
 * the name still points at the file we hold (under the marker lock, so two
 * handles recovering at once cannot remove a file created in between). */
static int remove_torn(jstore *js, jfile *f, const char *name, uint64_t size, int cut,
                       inc_error *err)
{
    inc__jio_stat st;
    int fd, rc = 0;

    report(js, f, name, 0, size, 0, cut);
    if (!cut) {
        inc__jfile_close(js, f);
        return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' (its creation was torn)", f->id);
    }
    rc = js->io.lock(js->io.user, js->markfd, INC__JLOCK_EX);
    if (rc < 0)
        return inc__jerr_io(err, rc, "lock", INC__JMARKER);
    fd = js->io.openat(js->io.user, js->dirfd, name, INC__JO_RDONLY);
    if (fd >= 0) {
        rc = js->io.fstat(js->io.user, fd, &st);
        js->io.close(js->io.user, fd);
        if (rc == 0 && st.ino == f->ino) {
            rc = js->io.unlinkat(js->io.user, js->dirfd, name);
            if (rc == 0)
                rc = js->io.fsync(js->io.user, js->dirfd);
            js->stats.syncs++;
        }
    }
    js->io.lock(js->io.user, js->markfd, INC__JLOCK_UN);
    inc__jfile_close(js, f);
    if (rc < 0)
        return inc__jerr_io(err, rc, "remove torn file", name);
    return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' (its creation was torn)", f->id);
}

int inc__jfile_header(jstore *js, jfile *f, int cut, inc_error *err)
{
    uint8_t hdr[INC__JHDR_LEN];
    char name[INC__JNAME_MAX];
    inc__jio_stat st;
    uint8_t *all;
    size_t got;
    const char *why;
    int rc, newer, proof;

    inc__jfile_name(f->id, name, sizeof(name));
    rc = inc__jio_read_full(&js->io, f->fd, hdr, sizeof(hdr), 0, &got);
    if (rc < 0)
        return inc__jerr_io(err, rc, "read", name);
    why = inc__jhdr_check(hdr, got, f->id, &newer);
    if (!why) {
        inc__sha256(hdr, sizeof(hdr), f->hdr_hash);
        f->hdr_ok = 1;
        return INC_OK;
    }
    if (newer)
        return inc_error_set(err, INC_EVERSION, "journal file %s/%s: format %u is newer than %u",
                             js->path, name, (unsigned)(hdr[8] | hdr[9] << 8), INC__JFORMAT);
    /* A bad header is rot unless nothing in the file says it was durable. */
    rc = js->io.fstat(js->io.user, f->fd, &st);
    if (rc < 0)
        return inc__jerr_io(err, rc, "fstat", name);
    all = inc__malloc(&js->alloc, st.size ? (size_t)st.size : 1);
    if (!all)
        return inc__error_oom(err);
    rc = inc__jio_read_full(&js->io, f->fd, all, (size_t)st.size, 0, &got);
    proof = rc == 0 && inc__jrec_proof(all, got, 0, 1, 0, 0);
    inc__free(&js->alloc, all);
    if (rc < 0)
        return inc__jerr_io(err, rc, "read", name);
    if (proof || f->synced > 0)
        return inc_error_set(err, INC_ECORRUPT, "journal file %s/%s: offset 0: header: %s",
                             js->path, name, why);
    return remove_torn(js, f, name, got, cut, err);
}

int inc__jfile_take_header(jstore *js, jfile *f, const inc__jscan *s, int cut, inc_error *err)
{
    if (s->hdr_bad)
        return inc__jfile_header(js, f, cut, err);
    memcpy(f->hdr_hash, s->hdr_hash, INC__SHA256_LEN);
    f->hdr_ok = 1;
    return INC_OK;
}

/* Cut the torn tail found by @s and make the cut durable. */
static int cut_tail(jstore *js, jfile *f, const inc__jscan *s, inc_error *err)
{
    int rc = js->io.ftruncate(js->io.user, f->fd, s->bad_off);
    if (rc == 0)
        rc = js->io.fdatasync(js->io.user, f->fd);
    js->stats.syncs++;
    if (rc < 0)
        return inc__jerr_io(err, rc, "cut torn tail of", s->name);
    f->synced = s->bad_off; /* the whole file is on disk now */
    return INC_OK;
}

int inc__jfile_refresh(jstore *js, jfile *f, int cut, inc_error *err)
{
    char name[INC__JNAME_MAX];
    inc__jscan s;
    int rc, tries;

    inc__jfile_name(f->id, name, sizeof(name));
    for (tries = 0;; tries++) {
        if (!f->hdr_ok)
            f->known = 0;
        memset(&s, 0, sizeof(s));
        s.js = js;
        s.fd = f->fd;
        s.name = name;
        s.id = f->id;
        s.start = f->known ? f->end : f->hdr_ok ? INC__JHDR_LEN : 0; /* 0: the header too */
        s.seq = f->known ? f->last_seq : 0;
        s.prev = f->known ? f->last_hash : f->hdr_ok ? f->hdr_hash : NULL;
        s.durable = f->synced;
        rc = inc__jscan_run(&s, err);
        if (rc == INC_OK && s.start == 0)
            rc = inc__jfile_take_header(js, f, &s, cut, err);
        if (rc != INC_OK)
            return rc;
        if (s.start == 0 && s.hdr_bad)
            continue;       /* good on a second look: read again */
        if (s.nlink == 0) { /* removed as a torn creation by another handle */
            inc__jfile_close(js, f);
            f->known = f->hdr_ok = 0;
            return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' (removed)", f->id);
        }
        if (s.tail != INC__JTAIL_STALE)
            break;
        if (tries > 0)
            return inc_error_set(err, INC_ECORRUPT, "journal file %s/%s changed while read",
                                 js->path, name);
        f->known = 0; /* another handle cut the file: read it again */
        f->synced = 0;
    }
    if (s.tail == INC__JTAIL_CORRUPT)
        return inc__jscan_corrupt(js, &s, err);
    if (s.last_seq == 0) /* no complete append: a torn creation */
        return remove_torn(js, f, name, s.size, cut, err);
    if (s.tail == INC__JTAIL_TORN) {
        report(js, f, name, s.bad_off, s.size - s.bad_off, s.last_seq, cut);
        if (cut) {
            rc = cut_tail(js, f, &s, err);
            if (rc != INC_OK)
                return rc;
        }
    }
    if (s.last_seq > s.seq)
        memcpy(f->last_hash, s.hash, INC__SHA256_LEN);
    if (s.end != f->end || !f->known)
        f->foreign = s.end; /* written by others since we looked */
    f->end = s.end;
    f->last_seq = s.last_seq;
    f->known = 1;
    f->looked = 1;
    return INC_OK;
}

static int verify(jstore *js, inc_store *store, const char *id, uint64_t *bad_seq);

int inc_journal_verify(inc_store *store, const char *id, uint64_t *bad_seq)
{
    jstore *js = inc__journal_of(store);
    int rc;
    if (bad_seq)
        *bad_seq = 0;
    if (!js)
        return store ? inc_error_set(inc_store_error(store), INC_EINVAL,
                                     "verify: not a journal store")
                     : INC_EINVAL;
    inc__jstore_enter(js);
    rc = verify(js, store, id, bad_seq);
    inc__jstore_leave(js);
    return rc;
}

static int verify(jstore *js, inc_store *store, const char *id, uint64_t *bad_seq)
{
    inc_error *err = inc_store_error(store);
    char name[INC__JNAME_MAX];
    inc__jscan s;
    jfile *f;
    int rc;

    inc__error_clear(err);
    if (!id || !inc__id_valid(id))
        return inc_error_set(err, INC_EINVAL, "verify: invalid incident id");
    rc = inc__jfile_get(js, id, &f, err);
    if (rc == INC_OK)
        rc = inc__jfile_open(js, f, NULL, err);
    if (rc != INC_OK)
        return rc;
    inc__jfile_name(id, name, sizeof(name));
    do { /* (again only when a bad header turned out good on a second look) */
        memset(&s, 0, sizeof(s));
        s.js = js;
        s.fd = f->fd;
        s.name = name;
        s.id = id;
        s.start = f->hdr_ok ? INC__JHDR_LEN : 0; /* 0: the header too */
        s.prev = f->hdr_ok ? f->hdr_hash : NULL;
        s.hash_all = 1;
        s.durable = f->synced;
        rc = inc__jscan_run(&s, err);
        if (rc == INC_OK && s.start == 0)
            rc = inc__jfile_take_header(js, f, &s, !js->opts.read_only, err);
        if (rc != INC_OK)
            return rc;
    } while (s.start == 0 && s.hdr_bad);
    if (s.tail == INC__JTAIL_CORRUPT) {
        if (bad_seq)
            *bad_seq = s.bad_seq;
        return inc__jscan_corrupt(js, &s, err);
    }
    if (s.last_seq == 0)
        return inc_error_set(err, INC_ENOTFOUND, "no incident '%s'", id);
    return INC_OK;
}
