/* The journal's offer to store-wide reads (journal_services.h): file stamps
 * and auxiliary files of derived data. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "journal_services.h"
#include "journal_internal.h"

int inc__journal_is(inc_store *store, int *writable)
{
    jstore *js = inc__journal_of(store);
    *writable = js && !js->opts.read_only;
    return js != NULL;
}

int inc__journal_stamp(inc_store *store, const char *id, inc__jstamp *out)
{
    jstore *js = inc__journal_of(store);
    char name[INC__JNAME_MAX];
    inc__jio_stat st;
    int rc;
    if (!js || !id || !inc__id_valid(id))
        return INC_EINVAL;
    inc__jfile_name(id, name, sizeof(name));
    inc__jstore_enter(js);
    rc = js->io.statat(js->io.user, js->dirfd, name, &st);
    inc__jstore_leave(js);
    if (rc == -ENOENT)
        return INC_ENOTFOUND;
    if (rc < 0)
        return INC_EIO;
    out->ino = st.ino;
    out->size = st.size;
    out->mtime_ns = st.mtime_ns;
    out->ctime_ns = st.ctime_ns;
    return INC_OK;
}

int inc__journal_read_whole(inc_store *store, const char *id, const inc__jstamp *st)
{
    jstore *js = inc__journal_of(store);
    const jfile *f;
    int whole;
    if (!js || !id)
        return 0;
    inc__jstore_enter(js);
    f = inc__map_get(&js->files, id);
    whole =
        f && f->known && f->hdr_ok && f->ino == st->ino && f->end == st->size && f->last_seq > 0;
    inc__jstore_leave(js);
    return whole;
}

int inc__journal_read_stamp(inc_store *store, const char *id, inc__jstamp *out)
{
    jstore *js = inc__journal_of(store);
    const jfile *f;
    int whole;
    if (!js || !id)
        return 0;
    inc__jstore_enter(js);
    f = inc__map_get(&js->files, id);
    whole = f && f->opened_ok && f->known && f->hdr_ok && f->ino == f->opened.ino &&
            f->end == f->opened.size && f->last_seq > 0;
    if (whole) {
        out->ino = f->opened.ino;
        out->size = f->opened.size;
        out->mtime_ns = f->opened.mtime_ns;
        out->ctime_ns = f->opened.ctime_ns;
    }
    inc__jstore_leave(js);
    return whole;
}

int inc__jaux_open(inc__jaux *f, inc_store *store, const char *name)
{
    jstore *js = inc__journal_of(store);
    inc__jio_stat st;
    int rc = INC_OK;
    memset(f, 0, sizeof(*f));
    f->fd = -1;
    if (!js || strlen(name) >= sizeof(f->name))
        return INC_EINVAL;
    f->store = store;
    memcpy(f->name, name, strlen(name) + 1);
    inc__jstore_enter(js);
    f->fd = js->io.openat(js->io.user, js->dirfd, name, INC__JO_RDONLY);
    if (f->fd < 0) {
        rc = f->fd == -ENOENT ? INC_ENOTFOUND : INC_EIO;
    } else if (js->io.fstat(js->io.user, f->fd, &st) < 0 || !st.regular) {
        js->io.close(js->io.user, f->fd);
        rc = INC_EIO;
    }
    inc__jstore_leave(js);
    if (rc != INC_OK)
        f->fd = -1;
    else
        f->size = st.size;
    return rc;
}

int inc__jaux_read(inc__jaux *f, void *buf, size_t n, uint64_t off, size_t *got)
{
    jstore *js = inc__journal_of(f->store);
    int rc;
    inc__jstore_enter(js);
    rc = inc__jio_read_full(&js->io, f->fd, buf, n, off, got);
    inc__jstore_leave(js);
    return rc < 0 ? INC_EIO : INC_OK;
}

int inc__jaux_create(inc__jaux *f, inc_store *store, const char *name)
{
    jstore *js = inc__journal_of(store);
    memset(f, 0, sizeof(*f));
    f->fd = -1;
    if (!js || strlen(name) >= sizeof(f->name))
        return INC_EINVAL;
    if (js->opts.read_only)
        return INC_EREADONLY;
    f->store = store;
    memcpy(f->name, name, strlen(name) + 1);
    inc__jstore_enter(js);
    inc__jtmp_name(js, name, f->tmp, sizeof(f->tmp));
    f->fd = js->io.openat(js->io.user, js->dirfd, f->tmp, INC__JO_RDWR | INC__JO_CREATE_EXCL);
    inc__jstore_leave(js);
    return f->fd < 0 ? INC_EIO : INC_OK;
}

int inc__jaux_write(inc__jaux *f, const void *data, size_t n, uint64_t off)
{
    jstore *js = inc__journal_of(f->store);
    int rc;
    inc__jstore_enter(js);
    rc = inc__jio_write_all(&js->io, f->fd, data, n, off);
    inc__jstore_leave(js);
    return rc < 0 ? INC_EIO : INC_OK;
}

int inc__jaux_commit(inc__jaux *f)
{
    jstore *js = inc__journal_of(f->store);
    int rc;
    inc__jstore_enter(js);
    js->io.close(js->io.user, f->fd);
    f->fd = -1;
    rc = js->io.renameat(js->io.user, js->dirfd, f->tmp, f->name);
    if (rc < 0)
        (void)js->io.unlinkat(js->io.user, js->dirfd, f->tmp);
    f->tmp[0] = 0;
    inc__jstore_leave(js);
    return rc < 0 ? INC_EIO : INC_OK;
}

void inc__jaux_close(inc__jaux *f)
{
    jstore *js = f->store ? inc__journal_of(f->store) : NULL;
    if (!js)
        return;
    inc__jstore_enter(js);
    if (f->fd >= 0)
        js->io.close(js->io.user, f->fd);
    if (f->tmp[0])
        (void)js->io.unlinkat(js->io.user, js->dirfd, f->tmp);
    inc__jstore_leave(js);
    f->fd = -1;
    f->tmp[0] = 0;
    f->store = NULL;
}

void inc__journal_count_summaries(inc_store *store, uint64_t hits, uint64_t misses, int written)
{
    jstore *js = inc__journal_of(store);
    if (!js)
        return;
    inc__jstore_enter(js);
    js->stats.summary_hits += hits;
    js->stats.summary_misses += misses;
    js->stats.summary_writes += written != 0;
    inc__jstore_leave(js);
}
