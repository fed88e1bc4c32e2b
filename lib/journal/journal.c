/* The journal store: opening the directory, the per-incident file table
 * (with a bounded set of open descriptors), listing, flushing and freeing.
 * Appends and reads are in journal_append.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_internal.h"
#include "util/buf.h"

#define MARKER_TEXT    "libincident journal\nformat "
#define MAX_OPEN_FILES 256
#define PATH_MAX_LEN   4096

int inc__jerr_io(inc_error *err, int neg_errno, const char *what, const char *name)
{
    return inc_error_set(err, INC_EIO, "journal: %s %s: %s", what, name ? name : "",
                         strerror(neg_errno < 0 ? -neg_errno : EIO));
}

jstore *inc__journal_of(inc_store *store)
{
    inc_store_backend *b = inc_store_backend_of(store);
    return b && b->append == inc__journal_append ? (jstore *)b : NULL;
}

int inc_journal_options_init(inc_journal_options *opts, unsigned int version)
{
    static const inc_journal_options defaults = INC_JOURNAL_OPTIONS_INIT;
    if (!opts)
        return INC_EINVAL;
    if (version != INC_JOURNAL_OPTIONS_VERSION)
        return INC_EVERSION;
    *opts = defaults;
    return INC_OK;
}

/* ---- the file table ------------------------------------------------------ */

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
    if (opened)
        *opened = st;
    return INC_OK;
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

/* ---- list, free, stats ----------------------------------------------------- */

static int list_ids(jstore *js, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    const size_t slen = sizeof(INC__JSUFFIX) - 1;
    struct dirent *e;
    char id[INC_ID_MAX + 1];
    int rc = INC_OK;
    DIR *d = opendir(js->path);

    if (!d)
        return inc__jerr_io(err, -errno, "list", js->path);
    for (;;) {
        size_t n;
        errno = 0;
        e = readdir(d);
        if (!e) {
            if (errno)
                rc = inc__jerr_io(err, -errno, "list", js->path);
            break;
        }
        n = strlen(e->d_name);
        if (n <= slen || n - slen > INC_ID_MAX || strcmp(e->d_name + n - slen, INC__JSUFFIX))
            continue;
        memcpy(id, e->d_name, n - slen);
        id[n - slen] = '\0';
        if (!inc__id_valid(id))
            continue;
        rc = cb(cb_user, id);
        if (rc != 0)
            break;
    }
    closedir(d);
    return rc;
}

static int journal_list(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    jstore *js = (jstore *)self;
    int rc;
    inc__jstore_enter(js);
    rc = list_ids(js, cb, cb_user, err);
    inc__jstore_leave(js);
    return rc;
}

static void journal_free(inc_store_backend *self)
{
    jstore *js = (jstore *)self;
    size_t pos = 0;
    const char *key;
    void *value;

    inc__jgroup_stop(js);
    if (js->opts.sync == INC_SYNC_GROUP)
        (void)inc__jstore_flush(js, NULL);
    while (inc__map_next(&js->files, &pos, &key, &value)) {
        jfile *f = value;
        if (f->fd >= 0)
            js->io.close(js->io.user, f->fd);
        inc__free(&js->alloc, f);
    }
    inc__map_dispose(&js->files);
    if (js->markfd >= 0)
        js->io.close(js->io.user, js->markfd);
    if (js->dirfd >= 0)
        close(js->dirfd);
    inc__free(&js->alloc, js->path);
    inc__jgroup_destroy(js);
    inc__free(&js->alloc, js);
}

int inc_journal_get_stats(inc_store *store, inc_journal_stats *stats)
{
    jstore *js = inc__journal_of(store);
    unsigned int version;
    size_t size;
    if (!js || !stats)
        return INC_EINVAL;
    if (stats->version != 1 && stats->version != INC_JOURNAL_STATS_VERSION)
        return INC_EVERSION;
    version = stats->version;
    /* A version 1 caller's struct ends after last_recovery_id. */
    size = version == 1 ? offsetof(inc_journal_stats, last_recovery_id) + INC_ID_MAX + 1
                        : sizeof(*stats);
    inc__jstore_enter(js);
    memcpy(stats, &js->stats, size);
    inc__jstore_leave(js);
    stats->version = version;
    return INC_OK;
}

/* ---- opening ---------------------------------------------------------------- */

/* 1 if the directory holds nothing but other openers' temporary files. */
static int dir_empty(const char *path)
{
    struct dirent *e;
    int empty = 1;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    while (empty && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strncmp(e->d_name, ".tmp-", 5))
            empty = 0;
    closedir(d);
    return empty;
}

static int marker_check(jstore *js, int fd, inc_error *err)
{
    char buf[64];
    size_t got;
    unsigned long v;
    char *endp;
    int rc = inc__jio_read_full(&js->io, fd, buf, sizeof(buf) - 1, 0, &got);
    if (rc < 0)
        return inc__jerr_io(err, rc, "read", INC__JMARKER);
    buf[got] = '\0';
    if (strncmp(buf, MARKER_TEXT, sizeof(MARKER_TEXT) - 1) != 0)
        return inc_error_set(err, INC_EINVAL, "%s: bad %s file: not a journal", js->path,
                             INC__JMARKER);
    v = strtoul(buf + sizeof(MARKER_TEXT) - 1, &endp, 10);
    if (v > INC__JFORMAT)
        return inc_error_set(err, INC_EVERSION, "%s: journal format %lu is newer than %u", js->path,
                             v, INC__JFORMAT);
    if (v != INC__JFORMAT || *endp != '\n')
        return inc_error_set(err, INC_EINVAL, "%s: bad %s file", js->path, INC__JMARKER);
    return INC_OK;
}

/* Write the marker atomically: a temporary file, synced, renamed. */
static int marker_create(jstore *js, inc_error *err)
{
    char tmp[64], text[64];
    int fd, rc, n = snprintf(text, sizeof(text), "%s%u\n", MARKER_TEXT, INC__JFORMAT);

    snprintf(tmp, sizeof(tmp), ".tmp-%s-%ld", INC__JMARKER, (long)getpid());
    (void)js->io.unlinkat(js->io.user, js->dirfd, tmp);
    fd = js->io.openat(js->io.user, js->dirfd, tmp, INC__JO_RDWR | INC__JO_CREATE_EXCL);
    if (fd < 0)
        return inc__jerr_io(err, fd, "create", tmp);
    rc = inc__jio_write_all(&js->io, fd, text, (size_t)n, 0);
    if (rc == 0)
        rc = js->io.fdatasync(js->io.user, fd);
    js->io.close(js->io.user, fd);
    if (rc == 0)
        rc = js->io.renameat(js->io.user, js->dirfd, tmp, INC__JMARKER);
    if (rc == 0)
        rc = js->io.fsync(js->io.user, js->dirfd);
    if (rc < 0) {
        (void)js->io.unlinkat(js->io.user, js->dirfd, tmp);
        return inc__jerr_io(err, rc, "create", INC__JMARKER);
    }
    return INC_OK;
}

static int open_marker(jstore *js, inc_error *err)
{
    int ro = js->opts.read_only, rc;
    int fd =
        js->io.openat(js->io.user, js->dirfd, INC__JMARKER, ro ? INC__JO_RDONLY : INC__JO_RDWR);

    if (fd == -ENOENT) {
        if (!dir_empty(js->path))
            return inc_error_set(err, INC_EINVAL, "%s is not empty and holds no journal", js->path);
        if (ro)
            return INC_OK; /* an empty journal */
        rc = marker_create(js, err);
        if (rc != INC_OK)
            return rc;
        fd = js->io.openat(js->io.user, js->dirfd, INC__JMARKER, INC__JO_RDWR);
    }
    if (fd < 0)
        return inc__jerr_io(err, fd, "open", INC__JMARKER);
    js->markfd = fd;
    return marker_check(js, fd, err);
}

static int open_dir(jstore *js, inc_error *err)
{
    struct stat sb;
    if (stat(js->path, &sb) != 0) {
        if (errno != ENOENT)
            return inc__jerr_io(err, -errno, "stat", js->path);
        if (js->opts.read_only || js->opts.must_exist)
            return inc_error_set(err, INC_ENOTFOUND, "journal directory %s does not exist",
                                 js->path);
        if (mkdir(js->path, 0700) != 0 && errno != EEXIST)
            return inc__jerr_io(err, -errno, "create directory", js->path);
    } else if (!S_ISDIR(sb.st_mode)) {
        return inc_error_set(err, INC_EINVAL, "%s is not a directory", js->path);
    }
    js->dirfd = open(js->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (js->dirfd < 0)
        return inc__jerr_io(err, -errno, "open directory", js->path);
    if (!js->opts.read_only && faccessat(js->dirfd, ".", W_OK | X_OK, 0) != 0)
        return inc__jerr_io(err, -errno, "write to", js->path);
    return open_marker(js, err);
}

static int options_check(inc_journal_options *o, const inc_journal_options *opts, inc_error *err)
{
    (void)inc_journal_options_init(o, INC_JOURNAL_OPTIONS_VERSION);
    if (!opts)
        return INC_OK;
    if (opts->version == 0 || opts->version > INC_JOURNAL_OPTIONS_VERSION)
        return inc_error_set(err, INC_EVERSION, "journal options: unknown version %u",
                             opts->version);
    *o = *opts;
    if (o->sync != INC_SYNC_EVERY && o->sync != INC_SYNC_GROUP && o->sync != INC_SYNC_NONE)
        return inc_error_set(err, INC_EINVAL, "journal options: sync: unknown policy %d",
                             (int)o->sync);
    return INC_OK;
}

static void diag_set(inc_diag *diag, const inc_error *err)
{
    if (!diag)
        return;
    memset(diag, 0, sizeof(*diag));
    diag->code = err->code;
    snprintf(diag->message, sizeof(diag->message), "%s", err->msg);
}

static int open_store(jstore *js, const char *dir, inc_store **out, inc_error *err)
{
    int rc;
    js->base.version = INC_STORE_BACKEND_VERSION;
    js->base.append = inc__journal_append;
    js->base.read = inc__journal_read;
    js->base.list = journal_list;
    js->base.sync = inc__journal_sync;
    js->base.free = journal_free;
    js->dirfd = js->markfd = -1;
    js->max_fds = MAX_OPEN_FILES;
    js->stats.version = INC_JOURNAL_STATS_VERSION;
    if (!js->opts.group_count)
        js->opts.group_count = 64;
    if (!js->opts.group_ms)
        js->opts.group_ms = 1000;
    if (!js->opts.clock)
        js->opts.clock = inc_clock_system;
    inc__map_init(&js->files, &js->alloc);
    js->path = inc__strdup(&js->alloc, dir);
    if (!js->path)
        return inc__error_oom(err);
    rc = inc__jgroup_init(js, err);
    if (rc == INC_OK)
        rc = open_dir(js, err);
    if (rc == INC_OK)
        rc = inc_store_new(&js->base, &js->alloc, out);
    if (rc == INC_ENOMEM && err->code == INC_OK)
        inc__error_oom(err);
    return rc;
}

int inc__store_journal_open_io(const char *dir, const inc_journal_options *opts, const inc__jio *io,
                               inc_store **out)
{
    inc_journal_options o;
    inc_allocator a;
    inc_error err;
    jstore *js;
    int rc;

    inc__error_clear(&err);
    if (out)
        *out = NULL;
    rc = options_check(&o, opts, &err);
    if (rc == INC_OK && (!out || !dir || !*dir || !io))
        rc = inc_error_set(&err, INC_EINVAL, "journal open: NULL or empty argument");
    if (rc == INC_OK && strlen(dir) >= PATH_MAX_LEN)
        rc = inc_error_set(&err, INC_ETOOBIG, "journal open: path too long");
    if (rc == INC_OK && (rc = inc__alloc_init(&a, o.allocator)) != INC_OK)
        inc_error_set(&err, rc, "journal options: allocator: missing function or bad version");
    if (rc != INC_OK) {
        diag_set(opts ? opts->diag : NULL, &err);
        return rc;
    }
    js = inc__calloc(&a, 1, sizeof(*js));
    if (!js) {
        diag_set(o.diag, (inc__error_oom(&err), &err));
        return INC_ENOMEM;
    }
    js->alloc = a;
    js->io = *io;
    js->opts = o;
    rc = open_store(js, dir, out, &err);
    if (rc != INC_OK) {
        diag_set(o.diag, &err);
        journal_free(&js->base);
    }
    return rc;
}

int inc_store_journal_open(const char *dir, const inc_journal_options *opts, inc_store **out)
{
    return inc__store_journal_open_io(dir, opts, inc__jio_posix(), out);
}
