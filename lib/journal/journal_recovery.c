/* Recovery, above the quarantine and the scanner: the scan of an
 * incident's file as read, verify and refresh all start it (the header
 * taken, or recovered, on the way); bringing a handle's view of a file up
 * to date under the lock, setting a torn tail aside in quarantine (or the
 * whole file, when its creation was torn) and reporting it; nothing is
 * ever deleted (RULES TL-4). The rules are in lib/docs/journal-format.md,
 * "Recovery". */
#include <stdio.h>
#include <string.h>

#include "journal_internal.h"

#define WHY_MAX 512 /* inc_journal_recovery::why */

int inc__jscan_corrupt(jstore *js, const inc__jscan *s, inc_error *err)
{
    char detail[96] = "";
    if (s->witness)
        snprintf(detail, sizeof(detail), " (a valid record follows at offset %llu: TL-4)",
                 (unsigned long long)s->witness_off);
    else if (s->tail == INC__JTAIL_CORRUPT && s->end < s->durable)
        snprintf(detail, sizeof(detail), " (this handle synced these bytes)");
    return inc_error_set(err, INC_ECORRUPT, "journal file %s/%s: offset %llu: record %llu: %s%s",
                         js->path, s->name, (unsigned long long)s->bad_off,
                         (unsigned long long)s->bad_seq, s->why && *s->why ? s->why : "bad record",
                         detail);
}

/* Why bytes were judged a torn write (inc_journal_recovery::why). */
static void torn_why(char *out, size_t size, const char *what, const char *check)
{
    snprintf(out, size,
             "%s: %s; no valid record follows and no sync by this handle covers these bytes: "
             "judged a torn write (nothing in the file proves they were on disk)",
             what, check && *check ? check : "an append without its COMMIT record");
}

/* Why the tail (or, with no complete append, the file) found by @s was
 * judged torn. */
static void tail_why(const inc__jscan *s, char *out, size_t size)
{
    char what[48];
    snprintf(what, sizeof(what), "record %llu", (unsigned long long)s->bad_seq);
    torn_why(out, size, what, s->tail == INC__JTAIL_TORN ? s->why : "no record");
}

/* Count (unless verifying) and pass to the callback what recovery found
 * in @f at @off (@bytes to the end), moved to @qname when not NULL. */
static void report(jstore *js, jfile *f, const char *name, uint64_t off, uint64_t bytes,
                   uint64_t last_seq, int cut, const char *qname, const char *why)
{
    char path[4096 + INC__JNAME_MAX], qpath[4096 + INC__JQNAME_MAX];
    inc_journal_recovery r;

    if (cut != INC__JVERIFY) {
        js->stats.recoveries++;
        js->stats.bytes_dropped += bytes;
        memcpy(js->stats.last_recovery_id, f->id, sizeof(f->id));
    }
    if (!js->opts.on_recovery)
        return;
    snprintf(path, sizeof(path), "%s/%s", js->path, name);
    if (qname)
        snprintf(qpath, sizeof(qpath), "%s/%s", js->path, qname);
    memset(&r, 0, sizeof(r));
    r.id = f->id;
    r.file = path;
    r.offset = off;
    r.bytes = bytes;
    r.last_seq = last_seq;
    r.cut = qname != NULL;
    r.quarantine = qname ? qpath : NULL;
    r.why = why;
    js->opts.on_recovery(js->opts.recovery_user, &r);
}

void inc__jtail_report(jstore *js, jfile *f, const inc__jscan *s)
{
    char why[WHY_MAX];
    uint64_t off;
    tail_why(s, why, sizeof(why));
    /* With no complete append, the whole file would be set aside. */
    off = s->last_seq ? s->bad_off : 0;
    report(js, f, s->name, off, s->size - off, s->last_seq, INC__JVERIFY, NULL, why);
}

/* The file's creation was torn (no complete append in it, nothing proving
 * it was on disk): with @cut INC__JCUT, move it whole to quarantine, if
 * the name still points at the file we hold (under the marker lock, so
 * two handles recovering at once cannot move a file created in between);
 * otherwise only report it. Either way the incident does not exist. */
static int torn_creation(jstore *js, jfile *f, const char *name, uint64_t size, const char *why,
                         int cut, inc_error *err)
{
    char qname[INC__JQNAME_MAX];
    inc__jio_stat st;
    int fd, rc, moved = 0;

    memset(&st, 0, sizeof(st));
    if (cut != INC__JCUT) {
        report(js, f, name, 0, size, 0, cut, NULL, why);
        inc__jfile_close(js, f);
        return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' (its creation was torn)", f->id);
    }
    rc = js->io.lock(js->io.user, js->markfd, INC__JLOCK_EX);
    if (rc < 0)
        return inc__jerr_io(err, rc, "lock", INC__JMARKER);
    fd = js->io.openat(js->io.user, js->dirfd, name, INC__JO_RDONLY);
    rc = INC_OK;
    if (fd >= 0) {
        int same = js->io.fstat(js->io.user, fd, &st) == 0 && st.ino == f->ino;
        js->io.close(js->io.user, fd);
        if (same) {
            rc = inc__jquarantine_file(js, name, qname, sizeof(qname), err);
            moved = rc == INC_OK;
        }
    }
    js->io.lock(js->io.user, js->markfd, INC__JLOCK_UN);
    inc__jfile_close(js, f);
    if (rc != INC_OK)
        return rc;
    if (moved)
        report(js, f, name, 0, st.size, 0, cut, qname, why);
    return inc_error_set(err, INC_ENOTFOUND,
                         "no incident '%s' (its creation was torn; set aside in quarantine)",
                         f->id);
}

/* Read and check the header of @f (sets hdr_ok/hdr_hash). A bad header is
 * corruption when any valid record follows it (TL-4) or this handle
 * synced the file, else a torn creation: INC_ENOTFOUND (the file moved to
 * quarantine when @cut), INC_ECORRUPT, INC_EVERSION. */
static int recover_header(jstore *js, jfile *f, int cut, inc_error *err)
{
    uint8_t hdr[INC__JHDR_LEN];
    char name[INC__JNAME_MAX], why[WHY_MAX], what[160];
    inc__jio_stat st;
    uint8_t *all;
    size_t got;
    const char *bad;
    uint64_t at = 0;
    int rc, newer, witness;

    inc__jfile_name(f->id, name, sizeof(name));
    rc = inc__jio_read_full(&js->io, f->fd, hdr, sizeof(hdr), 0, &got);
    if (rc < 0)
        return inc__jerr_io(err, rc, "read", name);
    bad = inc__jhdr_check(hdr, got, f->id, &newer);
    if (!bad) {
        inc__sha256(hdr, sizeof(hdr), f->hdr_hash);
        f->hdr_ok = 1;
        return INC_OK;
    }
    if (newer)
        return inc_error_set(err, INC_EVERSION, "journal file %s/%s: format %u is newer than %u",
                             js->path, name, (unsigned)(hdr[8] | hdr[9] << 8), INC__JFORMAT);
    rc = js->io.fstat(js->io.user, f->fd, &st);
    if (rc < 0)
        return inc__jerr_io(err, rc, "fstat", name);
    all = inc__malloc(&js->alloc, st.size ? (size_t)st.size : 1);
    if (!all)
        return inc__error_oom(err);
    rc = inc__jio_read_full(&js->io, f->fd, all, (size_t)st.size, 0, &got);
    witness = rc == 0 && inc__jrec_witness(all, got, 0, 0, 0, &at);
    inc__free(&js->alloc, all);
    if (rc < 0)
        return inc__jerr_io(err, rc, "read", name);
    if (witness)
        return inc_error_set(err, INC_ECORRUPT,
                             "journal file %s/%s: offset 0: header: %s (a valid record follows "
                             "at offset %llu: TL-4)",
                             js->path, name, bad, (unsigned long long)at);
    if (f->synced > 0)
        return inc_error_set(err, INC_ECORRUPT,
                             "journal file %s/%s: offset 0: header: %s (this handle synced the "
                             "file)",
                             js->path, name, bad);
    snprintf(what, sizeof(what), "header: %s", bad);
    torn_why(why, sizeof(why), what, "no record");
    return torn_creation(js, f, name, got, why, cut, err);
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

/* Move the torn tail found by @s to quarantine, then cut it from the file
 * and make the cut durable; report it. */
static int set_aside_tail(jstore *js, jfile *f, const inc__jscan *s, const char *why,
                          inc_error *err)
{
    char qname[INC__JQNAME_MAX];
    uint64_t bytes = 0;
    int rc = inc__jquarantine_tail(js, f, s->bad_off, &bytes, qname, sizeof(qname), err);
    if (rc != INC_OK)
        return rc;
    rc = js->io.ftruncate(js->io.user, f->fd, s->bad_off);
    if (rc == 0)
        rc = js->io.fdatasync(js->io.user, f->fd);
    js->stats.syncs++;
    if (rc < 0)
        return inc__jerr_io(err, rc, "cut torn tail of", s->name);
    f->synced = s->bad_off; /* the whole file is on disk now */
    report(js, f, s->name, s->bad_off, bytes, s->last_seq, INC__JCUT, qname, why);
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
    if (s.tail == INC__JTAIL_TORN || s.last_seq == 0) {
        char why[WHY_MAX];
        tail_why(&s, why, sizeof(why));
        if (s.last_seq == 0) /* no complete append: a torn creation */
            return torn_creation(js, f, s.name, s.size, why, cut, err);
        if (cut == INC__JCUT)
            rc = set_aside_tail(js, f, &s, why, err);
        else
            report(js, f, s.name, s.bad_off, s.size - s.bad_off, s.last_seq, cut, NULL, why);
        if (rc != INC_OK)
            return rc;
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
