/* The bottom of the journal above its I/O layer (journal_io.c): the table
 * of incident files a handle knows, with a bounded set of open descriptors
 * (least recently used first to go), their locks, their syncs, and the
 * names of the files in the directory. Calls nothing above it. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "journal_internal.h"

int inc__jerr_io(inc_error *err, int neg_errno, const char *what, const char *name)
{
    return inc_error_set(err, INC_EIO, "journal: %s %s: %s", what, name ? name : "",
                         strerror(neg_errno < 0 ? -neg_errno : EIO));
}

/* (Two copies, not snprintf: a scan names every file two or three times.) */
void inc__jfile_name(const char *id, char *out, size_t size)
{
    size_t n = strlen(id), keep, from_id;
    if (n + sizeof(INC__JSUFFIX) > size) { /* cut to size - 1 bytes, as snprintf would */
        if (size == 0)
            return;
        keep = size - 1;
        from_id = n < keep ? n : keep;
        memcpy(out, id, from_id);
        memcpy(out + from_id, INC__JSUFFIX, keep - from_id);
        out[keep] = '\0';
        return;
    }
    memcpy(out, id, n);
    memcpy(out + n, INC__JSUFFIX, sizeof(INC__JSUFFIX));
}

int inc__jdir_each(jstore *js, int (*fn)(void *user, const char *name), void *user, inc_error *err)
{
    struct dirent *e;
    int rc = INC_OK;
    DIR *d = opendir(js->path);
    if (!d)
        return inc__jerr_io(err, -errno, "list", js->path);
    for (;;) {
        errno = 0;
        e = readdir(d);
        if (!e) {
            if (errno)
                rc = inc__jerr_io(err, -errno, "list", js->path);
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((rc = fn(user, e->d_name)) != 0)
            break;
    }
    closedir(d);
    return rc;
}

void inc__jtmp_name(jstore *js, const char *name, char *out, size_t size)
{
    snprintf(out, size, ".tmp-%ld-%llu.%s", (long)getpid(), (unsigned long long)++js->tmp_counter,
             name);
}

int inc__jfile_write_atomic(jstore *js, const char *name, const void *data, size_t len,
                            inc_error *err)
{
    char tmp[INC__JQNAME_MAX + 48];
    int fd, rc, tries = 0;

    /* A name of this pid may be left by a dead process that had it, or be
     * in use by another handle of this process: take the next. */
    do {
        inc__jtmp_name(js, name, tmp, sizeof(tmp));
        fd = js->io.openat(js->io.user, js->dirfd, tmp, INC__JO_RDWR | INC__JO_CREATE_EXCL);
    } while (fd == -EEXIST && ++tries < 1000);
    if (fd < 0)
        return inc__jerr_io(err, fd, "create", tmp);
    rc = inc__jio_write_all(&js->io, fd, data, len, 0);
    if (rc == 0)
        rc = js->io.fdatasync(js->io.user, fd);
    js->io.close(js->io.user, fd);
    if (rc == 0)
        rc = js->io.renameat(js->io.user, js->dirfd, tmp, name);
    if (rc == 0)
        rc = js->io.fsync(js->io.user, js->dirfd);
    if (rc < 0) {
        (void)js->io.unlinkat(js->io.user, js->dirfd, tmp);
        return inc__jerr_io(err, rc, "write", name);
    }
    return INC_OK;
}

static void lru_unlink(jstore *js, jfile *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else if (js->lru_head == f)
        js->lru_head = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else if (js->lru_tail == f)
        js->lru_tail = f->prev;
    f->prev = f->next = NULL;
}

static void lru_push(jstore *js, jfile *f)
{
    f->next = js->lru_head;
    f->prev = NULL;
    if (js->lru_head)
        js->lru_head->prev = f;
    js->lru_head = f;
    if (!js->lru_tail)
        js->lru_tail = f;
}

static int dir_sync(jstore *js, inc_error *err)
{
    int rc;
    if (!js->dir_dirty)
        return INC_OK;
    rc = js->io.fsync(js->io.user, js->dirfd);
    js->stats.syncs++;
    if (rc < 0)
        return inc__jerr_io(err, rc, "sync directory", js->path);
    js->dir_dirty = 0;
    return INC_OK;
}

/* Sync one file's pending events. The directory goes first: the file may
 * be new, and its events are not durable until its name is. */
static int jfile_sync(jstore *js, jfile *f, inc_error *err)
{
    int rc;
    if (!f->pending)
        return INC_OK;
    if (f->fd < 0) {
        /* Policy none closes files without syncing them (a sync per
         * closed file would make "none" cost what "every" costs once more
         * incidents are written than descriptors are kept); an explicit
         * sync reopens them. */
        rc = inc__jfile_open(js, f, NULL, err);
        if (rc != INC_OK)
            return rc;
    }
    rc = dir_sync(js, err);
    if (rc != INC_OK)
        return rc;
    rc = js->io.fdatasync(js->io.user, f->fd);
    js->stats.syncs++;
    if (f->held) { /* the group is over for this file, synced or not */
        (void)js->io.lock(js->io.user, f->fd, INC__JLOCK_UN);
        f->held = 0;
        js->held--;
    }
    if (rc < 0)
        return inc__jerr_io(err, rc, "sync incident", f->id);
    f->synced = f->end;
    js->stats.pending_events -= f->pending;
    f->pending = 0;
    return INC_OK;
}

void inc__jfile_close(jstore *js, jfile *f)
{
    if (f->fd < 0)
        return;
    /* Under every and group, pending events are synced before the
     * descriptor goes. Under none they stay pending: inc_store_sync()
     * reopens the file to sync them, and nothing else syncs (as that
     * policy promises). */
    if (js->opts.sync != INC_SYNC_NONE)
        (void)jfile_sync(js, f, NULL);
    js->io.close(js->io.user, f->fd); /* drops any lock still held */
    f->fd = -1;
    f->opened_ok = 0;
    if (f->held)
        js->held--;
    f->held = 0;
    lru_unlink(js, f);
    js->open_fds--;
}

int inc__jfile_get(jstore *js, const char *id, jfile **out, inc_error *err)
{
    jfile *f = inc__map_get(&js->files, id);
    if (!f) {
        f = inc__calloc(&js->alloc, 1, sizeof(*f));
        if (!f)
            return inc__error_oom(err);
        memcpy(f->id, id, strlen(id) + 1);
        f->fd = -1;
        if (inc__map_put(&js->files, id, f) != INC_OK) { /* copies the key: may fail */
            inc__free(&js->alloc, f);
            return inc__error_oom(err);
        }
    }
    *out = f;
    return INC_OK;
}

int inc__jfile_open(jstore *js, jfile *f, inc__jio_stat *opened, inc_error *err)
{
    char name[INC__JNAME_MAX];
    inc__jio_stat st;
    int fd, rc;

    if (opened)
        opened->nlink = 0;
    if (f->fd >= 0) {
        lru_unlink(js, f);
        lru_push(js, f);
        return INC_OK;
    }
    inc__jfile_name(f->id, name, sizeof(name));
    fd = js->io.openat(js->io.user, js->dirfd, name,
                       js->opts.read_only ? INC__JO_RDONLY : INC__JO_RDWR);
    if (fd == -ENOENT)
        return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' in the journal", f->id);
    if (fd < 0)
        return inc__jerr_io(err, fd, "open", name);
    rc = js->io.fstat(js->io.user, fd, &st);
    if (rc < 0 || !st.regular) {
        js->io.close(js->io.user, fd);
        if (rc < 0)
            return inc__jerr_io(err, rc, "fstat", name);
        return inc_error_set(err, INC_ECORRUPT, "journal file %s/%s is not a regular file",
                             js->path, name);
    }
    if (st.ino != f->ino) { /* not the file we knew (or the first look) */
        f->known = f->hdr_ok = f->looked = 0;
        f->synced = 0;
    }
    inc__jfile_adopt(js, f, fd, st.ino);
    f->opened = st;
    f->opened_ok = 1;
    if (opened)
        *opened = st;
    return INC_OK;
}

int inc__jfile_find(jstore *js, const char *id, jfile **out, inc__jio_stat *opened, inc_error *err)
{
    int rc = inc__jfile_get(js, id, out, err);
    return rc == INC_OK ? inc__jfile_open(js, *out, opened, err) : rc;
}

void inc__jfile_adopt(jstore *js, jfile *f, int fd, uint64_t ino)
{
    f->fd = fd;
    f->rw = !js->opts.read_only;
    f->ino = ino;
    lru_push(js, f);
    if (++js->open_fds > js->max_fds && js->lru_tail != f)
        inc__jfile_close(js, js->lru_tail);
}

static int lock_result(jfile *f, int rc, inc_error *err)
{
    if (rc == -EDEADLK)
        return inc_error_set(err, INC_ELOCKED, "journal: lock on incident %s: deadlock", f->id);
    if (rc == -ENOMEM) /* the in-process lock table could not grow */
        return inc__error_oom(err);
    return rc < 0 ? inc__jerr_io(err, rc, "lock incident", f->id) : INC_OK;
}

int inc__jfile_lock(jstore *js, jfile *f, int mode, inc_error *err)
{
    int rc;
    if (js->held > 0) {
        /* Never wait for a lock while keeping others (group policy): two
         * handles could each wait for the other's. Sync the group first. */
        rc = js->io.lock(js->io.user, f->fd, mode | INC__JLOCK_TRY);
        if (rc != -EAGAIN)
            return lock_result(f, rc, err);
        rc = inc__jstore_flush(js, err);
        if (rc != INC_OK)
            return rc;
    }
    return lock_result(f, js->io.lock(js->io.user, f->fd, mode), err);
}

int inc__jstore_flush(jstore *js, inc_error *err)
{
    size_t pos = 0;
    const char *key;
    void *value;
    int rc;

    while (inc__map_next(&js->files, &pos, &key, &value)) {
        rc = jfile_sync(js, value, err);
        if (rc != INC_OK)
            return rc;
    }
    rc = dir_sync(js, err);
    if (rc != INC_OK)
        return rc;
    js->pending_appends = 0;
    return INC_OK;
}
