/* Recovery, above the scanner: the scan of an incident's file as read,
 * verify and refresh all start it (the header taken, or recovered, on the
 * way); bringing a handle's view of a file up to date under the lock,
 * cutting a torn tail (or removing a file whose creation was torn) and
 * reporting it. The rules are in lib/docs/journal-format.md, "Recovery". */
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

/* Read and check the header of @f (sets hdr_ok/hdr_hash). A bad header is
 * rot unless nothing in the file says it was durable, else a torn creation:
 * INC_ENOTFOUND (the file removed when @cut), INC_ECORRUPT, INC_EVERSION. */
static int recover_header(jstore *js, jfile *f, int cut, inc_error *err)
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

/* After a scan of @f from offset 0 (its header first): keep the header's
 * hash when it was good; when bad, recovery decides as in
 * recover_header(), whose INC_OK (the header turned out good: a creation
 * finished meanwhile) means scan again. */
static int take_header(jstore *js, jfile *f, const inc__jscan *s, int cut, inc_error *err)
{
    if (s->hdr_bad)
        return recover_header(js, f, cut, err);
    memcpy(f->hdr_hash, s->hdr_hash, INC__SHA256_LEN);
    f->hdr_ok = 1;
    return INC_OK;
}

void inc__jscan_init(inc__jscan *s, jstore *js, jfile *f, const inc__jio_stat *opened)
{
    memset(s, 0, sizeof(*s));
    s->js = js;
    inc__jfile_name(f->id, s->name_buf, sizeof(s->name_buf));
    s->name = s->name_buf;
    s->id = f->id;
    s->st = opened && opened->nlink ? opened : NULL;
}

int inc__jscan_file(inc__jscan *s, jfile *f, int resume, int cut, inc_error *err)
{
    for (;;) {
        int rc, after = resume && f->known;
        s->fd = f->fd;
        /* 0: the header first, in the same read as the records. */
        s->start = after ? f->end : f->hdr_ok ? INC__JHDR_LEN : 0;
        s->seq = after ? f->last_seq : 0;
        s->prev = after ? f->last_hash : f->hdr_ok ? f->hdr_hash : NULL;
        s->durable = f->synced;
        s->why = NULL;
        rc = inc__jscan_run(s, err);
        s->st = NULL; /* the caller's stat is good for the first scan only */
        if (rc == INC_OK && s->start == 0)
            rc = take_header(s->js, f, s, cut, err);
        if (rc != INC_OK || s->start != 0 || !s->hdr_bad)
            return rc;
        /* The header was bad and is good on a second look: read again. */
    }
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
    inc__jscan s;
    int rc, tries;

    inc__jscan_init(&s, js, f, NULL);
    for (tries = 0;; tries++) {
        if (!f->hdr_ok)
            f->known = 0;
        rc = inc__jscan_file(&s, f, 1, cut, err);
        if (rc != INC_OK)
            return rc;
        if (s.nlink == 0) { /* removed as a torn creation by another handle */
            inc__jfile_close(js, f);
            f->known = f->hdr_ok = 0;
            return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' (removed)", f->id);
        }
        if (s.tail != INC__JTAIL_STALE)
            break;
        if (tries > 0)
            return inc_error_set(err, INC_ECORRUPT, "journal file %s/%s changed while read",
                                 js->path, s.name);
        f->known = 0; /* another handle cut the file: read it again */
        f->synced = 0;
    }
    if (s.tail == INC__JTAIL_CORRUPT)
        return inc__jscan_corrupt(js, &s, err);
    if (s.last_seq == 0) /* no complete append: a torn creation */
        return remove_torn(js, f, s.name, s.size, cut, err);
    if (s.tail == INC__JTAIL_TORN) {
        report(js, f, s.name, s.bad_off, s.size - s.bad_off, s.last_seq, cut);
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
