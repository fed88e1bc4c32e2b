/* The top of the journal: the store's vtable methods (each holds the
 * handle's mutex and calls down: journal_append.c, journal_read.c,
 * journal_files.c), the public journal functions (opening a store,
 * inc_journal_verify(), inc_journal_get_stats(), the options' init), and
 * freeing. inc_journal_quarantine_list() is in journal_quarantine.c. The
 * layers below are listed in journal_internal.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_internal.h"
#include "util/buf.h"
#include "util/version.h"

#define MARKER_TEXT    "libincident journal\nformat "
#define MAX_OPEN_FILES 256
#define PATH_MAX_LEN   4096

static int journal_append(inc_store_backend *self, const char *id, uint64_t expected_seq,
                          const inc_store_record *records, size_t count, inc_error *err);

jstore *inc__journal_of(inc_store *store)
{
    inc_store_backend *b = inc_store_backend_of(store);
    return b && b->append == journal_append ? (jstore *)b : NULL;
}

static const inc_journal_options journal_options_defaults = INC_JOURNAL_OPTIONS_INIT;
/* Version 1 ended after diag; version 2 added allow_shared. */
INC__VSTRUCT(journal_options_v, inc_journal_options, "journal options", &journal_options_defaults,
             INC_JOURNAL_OPTIONS_VERSION, INC__VERSION_END(inc_journal_options, diag),
             sizeof(inc_journal_options));

/* Filled by the library: the caller's version says how much it can take.
 * Version 1 ended after last_recovery_id. */
INC__VSTRUCT(journal_stats_v, inc_journal_stats, "journal stats", NULL, INC_JOURNAL_STATS_VERSION,
             INC__VERSION_END(inc_journal_stats, last_recovery_id), sizeof(inc_journal_stats));

int inc_journal_options_init(inc_journal_options *opts, unsigned int version)
{
    return inc__vstruct_init(&journal_options_v, opts, version);
}

/* ---- the vtable methods ---------------------------------------------------- */

static int journal_append(inc_store_backend *self, const char *id, uint64_t expected_seq,
                          const inc_store_record *records, size_t count, inc_error *err)
{
    jstore *js = (jstore *)self;
    int rc;
    inc__jstore_enter(js);
    rc = inc__jappend(js, id, expected_seq, records, count, err);
    inc__jstore_leave(js);
    return rc;
}

static int journal_read(inc_store_backend *self, const char *id, uint64_t from_seq,
                        inc_store_event_cb cb, void *cb_user, inc_error *err)
{
    jstore *js = (jstore *)self;
    int rc;
    inc__jstore_enter(js);
    rc = inc__jread(js, id, from_seq, cb, cb_user, err);
    inc__jstore_leave(js);
    return rc;
}

static int journal_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                            inc_error *err)
{
    jstore *js = (jstore *)self;
    int rc;
    inc__jstore_enter(js);
    rc = inc__jblob_put(js, key, data, len, err);
    inc__jstore_leave(js);
    return rc;
}

static int journal_get_blob(inc_store_backend *self, const char *key, inc_store_blob_cb cb,
                            void *cb_user, inc_error *err)
{
    jstore *js = (jstore *)self;
    int rc;
    inc__jstore_enter(js);
    rc = inc__jblob_get(js, key, cb, cb_user, err);
    inc__jstore_leave(js);
    return rc;
}

static int journal_sync(inc_store_backend *self, inc_error *err)
{
    jstore *js = (jstore *)self;
    int rc;
    inc__jstore_enter(js);
    rc = inc__jstore_flush(js, err);
    inc__jstore_leave(js);
    return rc;
}

/* ---- list, free, stats ----------------------------------------------------- */

typedef struct id_lister {
    inc_store_id_cb cb;
    void *cb_user;
} id_lister;

/* An incident file's name gives its id: "<id>.jnl" with a valid id. */
static int list_one_id(void *user, const char *name)
{
    const size_t slen = sizeof(INC__JSUFFIX) - 1;
    const id_lister *l = user;
    char id[INC_ID_MAX + 1];
    size_t n = strlen(name);
    if (n <= slen || n - slen > INC_ID_MAX || strcmp(name + n - slen, INC__JSUFFIX))
        return 0;
    memcpy(id, name, n - slen);
    id[n - slen] = '\0';
    return inc__id_valid(id) ? l->cb(l->cb_user, id) : 0;
}

static int list_ids(jstore *js, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    id_lister l = {cb, cb_user};
    return inc__jdir_each(js, list_one_id, &l, err);
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
    int rc;
    if (!js || !stats)
        return INC_EINVAL;
    inc__jstore_enter(js);
    rc = inc__vstruct_write(&journal_stats_v, stats, &js->stats);
    inc__jstore_leave(js);
    return rc;
}

/* ---- verify ----------------------------------------------------------------- */

static int verify(jstore *js, inc_store *store, const char *id, uint64_t *bad_seq)
{
    inc_error *err = inc_store_error(store);
    inc__jscan s;
    jfile *f;
    int rc;

    inc__error_clear(err);
    if (!id || !inc__id_valid(id))
        return inc_error_set(err, INC_EINVAL, "verify: invalid incident id");
    rc = inc__jfile_find(js, id, &f, NULL, err);
    if (rc != INC_OK)
        return rc;
    inc__jscan_init(&s, js, f, NULL);
    s.hash_all = 1;
    /* Verify changes nothing: a torn tail (or creation) is reported only. */
    rc = inc__jscan_file(&s, f, 0, INC__JVERIFY, err);
    if (rc != INC_OK)
        return rc;
    if (s.tail == INC__JTAIL_CORRUPT) {
        if (bad_seq)
            *bad_seq = s.bad_seq;
        return inc__jscan_corrupt(js, &s, err);
    }
    if (s.tail == INC__JTAIL_TORN || s.last_seq == 0)
        inc__jtail_report(js, f, &s);
    if (s.last_seq == 0)
        return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' (no complete append)", id);
    return INC_OK;
}

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
    char text[64];
    int n = snprintf(text, sizeof(text), "%s%u\n", MARKER_TEXT, INC__JFORMAT);
    return inc__jfile_write_atomic(js, INC__JMARKER, text, (size_t)n, err);
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

/* Whoever else may write to the directory can plant a forged incident or
 * remove a real one: refuse it, as ssh refuses its files, unless the caller
 * allows a shared store. The message says who and how to fix it. */
static int dir_trusted(jstore *js, inc_error *err)
{
    struct stat sb;
    unsigned long mode;
    if (fstat(js->dirfd, &sb) != 0)
        return inc__jerr_io(err, -errno, "stat", js->path);
    if (js->opts.allow_shared)
        return INC_OK;
    mode = (unsigned long)sb.st_mode & 07777;
    if (sb.st_uid != geteuid())
        return inc_error_set(err, INC_EPERM,
                             "journal directory %s is owned by uid %lu, not by uid %lu: its "
                             "owner could forge or remove incidents (use a directory of your "
                             "own, chown it, or allow a shared store)",
                             js->path, (unsigned long)sb.st_uid, (unsigned long)geteuid());
    if (sb.st_mode & (S_IWGRP | S_IWOTH))
        return inc_error_set(err, INC_EPERM,
                             "journal directory %s has mode %04lo: writable by %s, who could "
                             "forge or remove incidents (fix: chmod go-w, or allow a shared "
                             "store)",
                             js->path, mode, !(sb.st_mode & S_IWOTH) ? "its group" : "others");
    return INC_OK;
}

static int open_dir(jstore *js, inc_error *err)
{
    struct stat sb;
    int created = 0, rc, e;
    /* Opened first, stat'ed after (by dir_trusted): the checks are on the
     * directory opened, not on whatever the path named a moment before. */
    js->dirfd = open(js->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (js->dirfd < 0 && errno == ENOENT) {
        if (js->opts.read_only || js->opts.must_exist)
            return inc_error_set(err, INC_ENOTFOUND, "journal directory %s does not exist",
                                 js->path);
        if (mkdir(js->path, 0700) == 0)
            created = 1;
        else if (errno != EEXIST)
            return inc__jerr_io(err, -errno, "create directory", js->path);
        js->dirfd = open(js->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (js->dirfd < 0) {
        e = errno;
        if (e == ENOTDIR && stat(js->path, &sb) == 0 && !S_ISDIR(sb.st_mode))
            return inc_error_set(err, INC_EINVAL, "%s is not a directory", js->path);
        return inc__jerr_io(err, -e, "open directory", js->path);
    }
    /* 0700 whatever the umask (which may have taken the owner's bits). */
    if (created && fchmod(js->dirfd, 0700) != 0)
        return inc__jerr_io(err, -errno, "chmod", js->path);
    rc = dir_trusted(js, err);
    if (rc != INC_OK)
        return rc;
    if (!js->opts.read_only && faccessat(js->dirfd, ".", W_OK | X_OK, 0) != 0)
        return inc__jerr_io(err, -errno, "write to", js->path);
    return open_marker(js, err);
}

static int options_check(inc_journal_options *o, const inc_journal_options *opts, inc_error *err)
{
    int rc;
    if ((rc = inc__vstruct_read(&journal_options_v, o, opts, err)) != INC_OK)
        return rc;
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
    js->base.append = journal_append;
    js->base.read = journal_read;
    js->base.list = journal_list;
    js->base.sync = journal_sync;
    js->base.free = journal_free;
    js->base.put_blob = journal_put_blob;
    js->base.get_blob = journal_get_blob;
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
