/* The journal's append, read and sync methods (the store vtable). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "journal_internal.h"

/* Encode @count records after the bytes already in @out (at file offset
 * @off), chained from @prev; leaves the hash of the last one in @prev. */
static void encode_records(uint8_t *out, const inc_store_record *records, size_t count,
                           uint64_t seq, uint64_t synced, uint8_t prev[INC__SHA256_LEN])
{
    size_t i;
    for (i = 0; i < count; i++) {
        uint32_t len = (uint32_t)records[i].len;
        size_t size = (size_t)len + INC__JREC_OVERHEAD;
        inc__jrec_encode(out, records[i].data, len, i + 1 == count ? INC__JFLAG_COMMIT : 0,
                         seq + 1 + i, synced, prev);
        inc__sha256(out, size, prev);
        out += size;
    }
}

static int check_records(const inc_store_record *records, size_t count, size_t *total,
                         inc_error *err)
{
    size_t i, sum = INC__JHDR_LEN;
    if (!records && count)
        return inc_error_set(err, INC_EINVAL, "journal append: NULL records");
    for (i = 0; i < count; i++) {
        if (!records[i].data && records[i].len)
            return inc_error_set(err, INC_EINVAL, "journal append: record %zu: NULL data", i);
        if (records[i].len > INC__JREC_MAX_PAYLOAD)
            return inc_error_set(err, INC_ETOOBIG, "journal append: record %zu: %zu bytes > %u", i,
                                 records[i].len, INC__JREC_MAX_PAYLOAD);
        if (sum > SIZE_MAX / 2)
            return inc_error_set(err, INC_ETOOBIG, "journal append: too much at once");
        sum += records[i].len + INC__JREC_OVERHEAD;
    }
    *total = sum; /* with room for a header */
    return INC_OK;
}

static void count_append(jstore *js, jfile *f, size_t count)
{
    js->stats.appends++;
    js->stats.events += count;
    if (js->opts.sync == INC_SYNC_EVERY)
        return;
    if (js->pending_appends == 0 && js->opts.sync == INC_SYNC_GROUP) {
        js->first_pending = js->opts.clock(js->opts.clock_user);
        inc__jgroup_started(js);
    }
    js->pending_appends++;
    f->pending += count;
    js->stats.pending_events += count;
}

/* Under the group policy: sync when enough appends or time have piled up.
 * The append itself has succeeded either way; a failed sync leaves the
 * events pending, to be retried by the next append and reported by
 * inc_store_sync(). */
static void group_maybe_flush(jstore *js)
{
    inc_time now;
    if (js->opts.sync != INC_SYNC_GROUP || js->pending_appends == 0)
        return;
    if (js->pending_appends < js->opts.group_count) {
        now = js->opts.clock(js->opts.clock_user);
        if (now - js->first_pending < (inc_time)js->opts.group_ms)
            return;
    }
    (void)inc__jstore_flush(js, NULL);
}

/* Create the incident's file with its first records: written to a
 * temporary file and linked into place, so the file appears complete or
 * not at all, and link() refuses a name that exists (#INC_ECONFLICT). */
static int create_file(jstore *js, jfile *f, const inc_store_record *records, size_t count,
                       size_t total, inc_error *err)
{
    char tmp[INC__JNAME_MAX + 48], name[INC__JNAME_MAX];
    uint8_t *buf, prev[INC__SHA256_LEN], hdr_hash[INC__SHA256_LEN];
    inc__jio_stat st;
    int fd, rc, every = js->opts.sync == INC_SYNC_EVERY;

    buf = inc__malloc(&js->alloc, total);
    if (!buf)
        return inc__error_oom(err);
    inc__jfile_name(f->id, name, sizeof(name));
    inc__jtmp_name(js, name, tmp, sizeof(tmp));
    inc__jhdr_encode(buf, f->id);
    inc__sha256(buf, INC__JHDR_LEN, hdr_hash);
    memcpy(prev, hdr_hash, sizeof(prev));
    encode_records(buf + INC__JHDR_LEN, records, count, 0, 0, prev);
    fd = js->io.openat(js->io.user, js->dirfd, tmp, INC__JO_RDWR | INC__JO_CREATE_EXCL);
    if (fd < 0) {
        inc__free(&js->alloc, buf);
        return inc__jerr_io(err, fd, "create", tmp);
    }
    rc = inc__jio_write_all(&js->io, fd, buf, total, 0);
    inc__free(&js->alloc, buf);
    if (rc == 0 && every) {
        rc = js->io.fdatasync(js->io.user, fd);
        js->stats.syncs++;
    }
    if (rc == 0)
        rc = js->io.fstat(js->io.user, fd, &st);
    if (rc == 0)
        rc = js->io.linkat(js->io.user, js->dirfd, tmp, name);
    (void)js->io.unlinkat(js->io.user, js->dirfd, tmp);
    if (rc < 0) {
        js->io.close(js->io.user, fd);
        if (rc == -EEXIST)
            return inc_error_set(err, INC_ECONFLICT, "incident %s: created by another writer",
                                 f->id);
        return inc__jerr_io(err, rc, "create", name);
    }
    if (every) {
        rc = js->io.fsync(js->io.user, js->dirfd);
        js->stats.syncs++;
        if (rc < 0) { /* the name may not be durable: take it back */
            (void)js->io.unlinkat(js->io.user, js->dirfd, name);
            js->io.close(js->io.user, fd);
            return inc__jerr_io(err, rc, "sync directory", js->path);
        }
    } else {
        js->dir_dirty = 1;
    }
    /* Adopt the descriptor: it is the incident's file now. */
    f->known = f->hdr_ok = f->looked = 1;
    memcpy(f->hdr_hash, hdr_hash, sizeof(hdr_hash));
    memcpy(f->last_hash, prev, sizeof(prev));
    f->end = total;
    f->last_seq = count;
    f->synced = every ? total : 0;
    f->foreign = 0;
    inc__jfile_adopt(js, f, fd, st.ino);
    count_append(js, f, count);
    group_maybe_flush(js);
    return INC_OK;
}

/* Write @count records at the end of the locked, refreshed file @f. */
static int append_locked(jstore *js, jfile *f, const inc_store_record *records, size_t count,
                         size_t total, inc_error *err)
{
    uint8_t prev[INC__SHA256_LEN], *buf;
    size_t n = total - INC__JHDR_LEN;
    int rc;

    if (js->opts.sync != INC_SYNC_NONE && f->synced < f->foreign) {
        /* Make what others wrote durable first, so that the durable mark in
         * our records covers it: recovery tells rot from a torn tail by it,
         * and must not take our acknowledged events for a torn tail. */
        rc = js->io.fdatasync(js->io.user, f->fd);
        js->stats.syncs++;
        if (rc < 0)
            return inc__jerr_io(err, rc, "sync incident", f->id);
        f->synced = f->end;
    }
    buf = inc__malloc(&js->alloc, n);
    if (!buf)
        return inc__error_oom(err);
    memcpy(prev, f->last_hash, sizeof(prev));
    encode_records(buf, records, count, f->last_seq, f->synced, prev);
    rc = inc__jio_write_all(&js->io, f->fd, buf, n, f->end);
    inc__free(&js->alloc, buf);
    if (rc == 0 && js->opts.sync == INC_SYNC_EVERY) {
        rc = js->io.fdatasync(js->io.user, f->fd);
        js->stats.syncs++;
    }
    if (rc < 0) { /* take back what may have been written */
        (void)js->io.ftruncate(js->io.user, f->fd, f->end);
        return inc__jerr_io(err, rc, "append to incident", f->id);
    }
    f->end += n;
    f->last_seq += count;
    memcpy(f->last_hash, prev, sizeof(prev));
    if (js->opts.sync == INC_SYNC_EVERY)
        f->synced = f->end;
    return INC_OK;
}

int inc__jappend(jstore *js, const char *id, uint64_t expected_seq, const inc_store_record *records,
                 size_t count, inc_error *err)
{
    size_t total = 0;
    jfile *f;
    int rc;

    if (js->opts.read_only)
        return inc_error_set(err, INC_EREADONLY, "journal %s is open read-only", js->path);
    if (!id || !inc__id_valid(id))
        return inc_error_set(err, INC_EINVAL, "journal append: invalid incident id");
    rc = check_records(records, count, &total, err);
    if (rc == INC_OK)
        rc = inc__jfile_get(js, id, &f, err);
    if (rc == INC_OK)
        rc = inc__jfile_open(js, f, NULL, err);
    if (rc == INC_OK) {
        int held = f->held, keep;
        if (!held) { /* (a held lock means nobody else wrote since) */
            rc = inc__jfile_lock(js, f, INC__JLOCK_EX, err);
            if (rc != INC_OK)
                return rc;
            rc = inc__jfile_refresh(js, f, 1, err);
        }
        if (rc == INC_OK && f->last_seq != expected_seq)
            rc = inc_error_set(err, INC_ECONFLICT,
                               "incident %s: expected last event %llu, journal has %llu", id,
                               (unsigned long long)expected_seq, (unsigned long long)f->last_seq);
        else if (rc == INC_OK && count > 0)
            rc = append_locked(js, f, records, count, total, err);
        /* Under the group policy the lock is kept until the group is synced
         * (at most group_ms): appends in between cost one write each. */
        keep = rc == INC_OK && count > 0 && js->opts.sync == INC_SYNC_GROUP;
        if (!held && !keep && f->fd >= 0)
            (void)js->io.lock(js->io.user, f->fd, INC__JLOCK_UN);
        if (keep && !held) {
            f->held = 1;
            js->held++;
        }
        if (rc == INC_OK && count > 0) {
            count_append(js, f, count);
            group_maybe_flush(js);
        }
        if (rc != INC_ENOTFOUND) /* not a torn creation, just removed */
            return rc;
    }
    if (rc != INC_ENOTFOUND)
        return rc;
    if (expected_seq != 0)
        return inc_error_set(err, INC_ECONFLICT,
                             "incident %s: expected last event %llu, journal has none", id,
                             (unsigned long long)expected_seq);
    if (count == 0)
        return INC_OK;
    inc__error_clear(err);
    return create_file(js, f, records, count, total, err);
}

/* The first look at a torn tail: examine it under the lock (which waits
 * for a writer in the middle of an append) and cut it when writable. */
static int look_under_lock(jstore *js, jfile *f, inc_error *err)
{
    int ro = js->opts.read_only, held = f->held;
    int rc = held ? INC_OK : inc__jfile_lock(js, f, ro ? INC__JLOCK_SH : INC__JLOCK_EX, err);
    if (rc != INC_OK)
        return rc;
    rc = inc__jfile_refresh(js, f, !ro, err);
    if (!held && f->fd >= 0)
        (void)js->io.lock(js->io.user, f->fd, INC__JLOCK_UN);
    f->looked = 1;
    return rc;
}

/* Remember what a lock-free read established. */
static void learn(jfile *f, const inc__jscan *s)
{
    if (f->known && s->end <= f->end)
        return;
    memcpy(f->last_hash, s->hash, INC__SHA256_LEN);
    f->end = s->end;
    f->foreign = s->end;
    f->last_seq = s->last_seq;
    f->known = 1;
}

int inc__jread(jstore *js, const char *id, uint64_t from_seq, inc_store_event_cb cb, void *cb_user,
               inc_error *err)
{
    char name[INC__JNAME_MAX];
    inc__jio_stat opened;
    inc__jscan s;
    jfile *f;
    int rc, retried = 0;

    if (!id || !inc__id_valid(id) || !cb)
        return inc_error_set(err, INC_EINVAL, "journal read: invalid incident id or callback");
    rc = inc__jfile_get(js, id, &f, err);
    if (rc == INC_OK)
        rc = inc__jfile_open(js, f, &opened, err);
    if (rc != INC_OK)
        return rc;
    inc__jfile_name(id, name, sizeof(name));
    if (from_seq == 0)
        from_seq = 1;
    for (;;) {
        int tail = f->known && from_seq > f->last_seq;
        memset(&s, 0, sizeof(s));
        s.js = js;
        s.fd = f->fd;
        s.name = name;
        s.id = id;
        s.st = &opened; /* used once: nlink 0 after the first scan */
        /* A first read takes the header in the same read as the records. */
        s.start = tail ? f->end : f->hdr_ok ? INC__JHDR_LEN : 0;
        s.seq = tail ? f->last_seq : 0;
        s.prev = tail ? f->last_hash : f->hdr_ok ? f->hdr_hash : NULL;
        s.durable = f->synced;
        s.from_seq = from_seq;
        s.cb = cb;
        s.cb_user = cb_user;
        rc = inc__jscan_run(&s, err);
        opened.nlink = 0;
        if (rc == INC_OK && s.start == 0)
            rc = inc__jfile_take_header(js, f, &s, !js->opts.read_only, err);
        if (rc != INC_OK)
            return rc;
        if (s.start == 0 && s.hdr_bad)
            continue; /* good on a second look: read again */
        if (s.tail == INC__JTAIL_STALE && !retried) {
            f->known = 0; /* cut by another handle since we looked: start over */
            retried = 1;
            continue;
        }
        if (s.tail == INC__JTAIL_CORRUPT && !retried) {
            /* Without the lock, a tail cut and rewritten while we read can
             * look like rot: make sure under the lock, then go on from the
             * last event delivered. */
            rc = look_under_lock(js, f, err);
            if (rc != INC_OK)
                return rc;
            if (s.last_seq >= from_seq)
                from_seq = s.last_seq + 1;
            retried = 1;
            continue;
        }
        break;
    }
    if (s.tail == INC__JTAIL_CORRUPT || s.tail == INC__JTAIL_STALE)
        return inc__jscan_corrupt(js, &s, err);
    if (s.last_seq == 0 || (s.tail == INC__JTAIL_TORN && !f->looked)) {
        rc = look_under_lock(js, f, err);
        if (rc != INC_OK)
            return rc;
        if (s.last_seq == 0) /* another writer's first append was under way */
            return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' in the journal", id);
        return INC_OK;
    }
    learn(f, &s);
    return INC_OK;
}
