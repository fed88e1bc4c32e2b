/* Quarantine (RULES TL-4): what recovery sets aside is moved to a file of
 * its own next to the incident's file, never deleted. A torn tail is
 * copied to a new file that is synced and linked under its name before
 * the incident's file is cut; a file with no complete append is renamed
 * whole. The names are "<id>.jnl.quarantine-<offset>", offset being where
 * the bytes were in the incident's file (".<n>" added when that name is
 * taken); listing incidents ignores them (they do not end in ".jnl").
 * lib/docs/journal-format.md, "Quarantine". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_internal.h"

#define QMARK     ".quarantine-"
#define COPY_MAX  (1u << 20)
#define MAX_TRIES 1000

/* The quarantine name of @name's bytes from @off, try @n (0: no suffix). */
static void qname_make(const char *name, uint64_t off, unsigned n, char *out, size_t size)
{
    if (n == 0)
        snprintf(out, size, "%s%s%llu", name, QMARK, (unsigned long long)off);
    else
        snprintf(out, size, "%s%s%llu.%u", name, QMARK, (unsigned long long)off, n);
}

/* Link @from (a name in the directory) under the first free quarantine
 * name of @name's bytes from @off; the name in @out. */
static int link_free_name(jstore *js, const char *from, const char *name, uint64_t off, char *out,
                          size_t size)
{
    unsigned n;
    int rc = -EEXIST;
    for (n = 0; n < MAX_TRIES && rc == -EEXIST; n++) {
        qname_make(name, off, n, out, size);
        rc = js->io.linkat(js->io.user, js->dirfd, from, out);
    }
    return rc;
}

/* Copy bytes [@off, @end) of @src to @dst (from its offset 0). */
static int copy_bytes(jstore *js, int src, int dst, uint64_t off, uint64_t end)
{
    size_t cap = end - off < COPY_MAX ? (size_t)(end - off) : COPY_MAX;
    uint8_t *buf = inc__malloc(&js->alloc, cap ? cap : 1);
    uint64_t at = off;
    int rc = 0;
    if (!buf)
        return -ENOMEM;
    while (rc == 0 && at < end) {
        size_t want = end - at < cap ? (size_t)(end - at) : cap, got = 0;
        rc = inc__jio_read_full(&js->io, src, buf, want, at, &got);
        if (rc == 0 && got != want)
            rc = -EIO; /* the file shrank under the exclusive lock */
        if (rc == 0)
            rc = inc__jio_write_all(&js->io, dst, buf, want, at - off);
        at += want;
    }
    inc__free(&js->alloc, buf);
    return rc;
}

static int quarantine_err(int rc, const char *name, inc_error *err)
{
    if (rc == -ENOMEM)
        return inc__error_oom(err);
    return inc__jerr_io(err, rc, "quarantine the torn tail of", name);
}

int inc__jquarantine_tail(jstore *js, jfile *f, uint64_t off, uint64_t *bytes, char *out,
                          size_t size, inc_error *err)
{
    char name[INC__JNAME_MAX], tmp[INC__JQNAME_MAX + 48];
    inc__jio_stat st;
    int fd, rc;

    inc__jfile_name(f->id, name, sizeof(name));
    rc = js->io.fstat(js->io.user, f->fd, &st);
    if (rc < 0)
        return quarantine_err(rc, name, err);
    *bytes = st.size > off ? st.size - off : 0;
    qname_make(name, off, 0, out, size);
    inc__jtmp_name(js, out, tmp, sizeof(tmp));
    fd = js->io.openat(js->io.user, js->dirfd, tmp, INC__JO_RDWR | INC__JO_CREATE_EXCL);
    if (fd < 0)
        return quarantine_err(fd, name, err);
    rc = copy_bytes(js, f->fd, fd, off, off + *bytes);
    if (rc == 0)
        rc = js->io.fdatasync(js->io.user, fd);
    js->stats.syncs++;
    js->io.close(js->io.user, fd);
    if (rc == 0)
        rc = link_free_name(js, tmp, name, off, out, size);
    (void)js->io.unlinkat(js->io.user, js->dirfd, tmp);
    if (rc == 0) /* the name must be durable before the bytes leave the file */
        rc = js->io.fsync(js->io.user, js->dirfd);
    js->stats.syncs++;
    if (rc < 0)
        return quarantine_err(rc, name, err);
    return INC_OK;
}

int inc__jquarantine_file(jstore *js, const char *name, char *out, size_t size, inc_error *err)
{
    int rc = link_free_name(js, name, name, 0, out, size);
    if (rc == 0)
        rc = js->io.unlinkat(js->io.user, js->dirfd, name);
    if (rc == 0)
        rc = js->io.fsync(js->io.user, js->dirfd);
    js->stats.syncs++;
    if (rc < 0)
        return inc__jerr_io(err, rc, "quarantine", name);
    return INC_OK;
}

/* ---- listing ----------------------------------------------------------------- */

/* Parse "<id>.jnl.quarantine-<offset>[.<n>]": 1 and the id and offset. */
static int qname_parse(const char *s, char id[INC_ID_MAX + 1], uint64_t *off)
{
    const char *mark = strstr(s, INC__JSUFFIX QMARK), *p;
    char *endp;
    size_t n;
    if (!mark)
        return 0;
    n = (size_t)(mark - s);
    if (n == 0 || n > INC_ID_MAX)
        return 0;
    memcpy(id, s, n);
    id[n] = '\0';
    if (!inc__id_valid(id))
        return 0;
    p = mark + sizeof(INC__JSUFFIX QMARK) - 1;
    if (*p < '0' || *p > '9')
        return 0;
    errno = 0;
    *off = strtoull(p, &endp, 10);
    if (errno)
        return 0;
    if (*endp == '.') {
        p = endp + 1;
        if (*p < '0' || *p > '9')
            return 0;
        (void)strtoul(p, &endp, 10);
    }
    return *endp == '\0';
}

typedef struct qlister {
    jstore *js;
    const char *want; /* NULL: every incident's */
    inc_journal_quarantine_fn cb;
    void *user;
} qlister;

static int list_one(void *user, const char *dname)
{
    const qlister *l = user;
    jstore *js = l->js;
    char id[INC_ID_MAX + 1], path[4096 + INC__JQNAME_MAX + 2];
    inc_journal_quarantine q;
    inc__jio_stat st;
    uint64_t off;
    if (!qname_parse(dname, id, &off) || (l->want && strcmp(id, l->want) != 0))
        return 0;
    if (js->io.statat(js->io.user, js->dirfd, dname, &st) < 0 || !st.regular)
        return 0; /* gone meanwhile, or not a file the journal wrote */
    snprintf(path, sizeof(path), "%s/%s", js->path, dname);
    memset(&q, 0, sizeof(q));
    q.id = id;
    q.file = path;
    q.offset = off;
    q.bytes = st.size;
    return l->cb(l->user, &q);
}

static int list_all(jstore *js, const char *id, inc_journal_quarantine_fn cb, void *user,
                    inc_error *err)
{
    qlister l = {js, id, cb, user};
    return inc__jdir_each(js, list_one, &l, err);
}

int inc_journal_quarantine_list(inc_store *store, const char *id, inc_journal_quarantine_fn cb,
                                void *user)
{
    jstore *js = inc__journal_of(store);
    inc_error *err;
    int rc;
    if (!js || !cb || (id && !inc__id_valid(id)))
        return store ? inc_error_set(inc_store_error(store), INC_EINVAL, "quarantine list: %s",
                                     !js   ? "not a journal store"
                                     : !cb ? "NULL callback"
                                           : "invalid incident id")
                     : INC_EINVAL;
    err = inc_store_error(store);
    inc__jstore_enter(js);
    inc__error_clear(err);
    rc = list_all(js, id, cb, user, err);
    inc__jstore_leave(js);
    return rc;
}
