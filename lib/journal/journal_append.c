/* Appending to an incident's file: creating it with its first append, or
 * writing at its end under its write lock after bringing the handle's view
 * up to date (journal_recovery.c), and the sync policies' bookkeeping. */
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
    /* Most appends are an event or a few: encode them on the stack, not
     * through a malloc and free per append. */
    uint8_t prev[INC__SHA256_LEN], *buf, small[4096];
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
    buf = n <= sizeof(small) ? small : inc__malloc(&js->alloc, n);
    if (!buf)
        return inc__error_oom(err);
    memcpy(prev, f->last_hash, sizeof(prev));
    encode_records(buf, records, count, f->last_seq, f->synced, prev);
    rc = inc__jio_write_all(&js->io, f->fd, buf, n, f->end);
    if (buf != small)
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
            rc = inc__jfile_refresh(js, f, INC__JCUT, err);
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
