/* The in-process lock table: what replaces open-file-description locks
 * where the system has none (journal_io.c uses it then, and a build with
 * INC_JOURNAL_LOCK_TABLE uses it everywhere).
 *
 * POSIX record locks belong to the process, not to the descriptor: two
 * handles of one process do not exclude each other, and closing any
 * descriptor of a file drops every lock the process holds on it. So each
 * locked file (device and inode) gets an entry, shared by every handle of
 * the process: the descriptors holding it and in which mode. Handles of
 * this process wait on the entry; the POSIX lock, taken once for all of
 * them, keeps other processes out; and a descriptor of a locked file is
 * closed only when the last lock on the file goes (the way SQLite's unix VFS
 * keeps such descriptors), so that a close never drops another's lock. */
#define _GNU_SOURCE 1 /* F_OFD_* (glibc declares them only under _GNU_SOURCE) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_io.h"

typedef struct holder {
    int fd;
    int mode; /* INC__JLOCK_SH or INC__JLOCK_EX */
} holder;

typedef struct entry {
    struct entry *next;
    dev_t dev;
    ino_t ino;
    holder *holders; /* the descriptors holding (or taking) a lock on the file */
    size_t nholders, cap_holders;
    int *closing; /* descriptors whose close waits for the last lock to go */
    size_t nclosing, cap_closing;
    int busy;       /* a thread is taking the POSIX lock, without the mutex */
    size_t waiters; /* threads waiting for the entry (it must outlive them) */
} entry;

static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t table_cv = PTHREAD_COND_INITIALIZER;
static entry *table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* fork(): POSIX locks are not inherited, so a child starts with an empty
 * table (the parent's entries are left behind, not freed: their memory and
 * descriptors are the child's copies) and a mutex no thread holds. */
static void fork_prepare(void)
{
    (void)pthread_mutex_lock(&table_mu);
}

static void fork_parent(void)
{
    (void)pthread_mutex_unlock(&table_mu);
}

static void fork_child(void)
{
    table = NULL;
    /* No thread of the parent waits here: a fresh condition variable. */
    (void)pthread_cond_init(&table_cv, NULL);
    (void)pthread_mutex_unlock(&table_mu); /* locked by this thread in fork_prepare */
}

static void table_init(void)
{
    (void)pthread_atfork(fork_prepare, fork_parent, fork_child);
}

static void table_lock(void)
{
    (void)pthread_once(&table_once, table_init);
    (void)pthread_mutex_lock(&table_mu);
}

static int neg_errno(void)
{
    return errno ? -errno : -EIO;
}

int inc__jio_posix_lock(int fd, int mode, int process_wide)
{
    struct flock fl;
    int cmd, r, type = mode & ~INC__JLOCK_TRY, wait = !(mode & INC__JLOCK_TRY);
    memset(&fl, 0, sizeof(fl));
    fl.l_type = type == INC__JLOCK_EX ? F_WRLCK : type == INC__JLOCK_SH ? F_RDLCK : F_UNLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0; /* the whole file, however long it grows */
    if (process_wide) {
        cmd = wait ? F_SETLKW : F_SETLK;
    } else {
#ifdef F_OFD_SETLKW
        cmd = wait ? F_OFD_SETLKW : F_OFD_SETLK;
#else
        return -ENOSYS;
#endif
    }
    do
        r = fcntl(fd, cmd, &fl);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EACCES || errno == EAGAIN))
        return -EAGAIN;
    return r < 0 ? neg_errno() : 0;
}

static entry *find(dev_t dev, ino_t ino)
{
    entry *e;
    for (e = table; e; e = e->next)
        if (e->dev == dev && e->ino == ino)
            return e;
    return NULL;
}

static entry *find_or_add(dev_t dev, ino_t ino)
{
    entry *e = find(dev, ino);
    if (e)
        return e;
    e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->dev = dev;
    e->ino = ino;
    e->next = table;
    table = e;
    return e;
}

/* Once the last lock on the file went (and with it the POSIX lock): close
 * the descriptors that waited for it, and forget the file when no thread
 * waits for it either. */
static void drop_if_unlocked(entry *e)
{
    entry **pp;
    size_t i;
    if (e->nholders > 0 || e->busy)
        return;
    for (i = 0; i < e->nclosing; i++)
        (void)close(e->closing[i]);
    e->nclosing = 0;
    if (e->waiters > 0)
        return;
    for (pp = &table; *pp != e; pp = &(*pp)->next)
        ;
    *pp = e->next;
    free(e->holders);
    free(e->closing);
    free(e);
}

static holder *holder_of(entry *e, int fd)
{
    size_t i;
    for (i = 0; i < e->nholders; i++)
        if (e->holders[i].fd == fd)
            return &e->holders[i];
    return NULL;
}

static void holder_remove(entry *e, int fd)
{
    holder *h = holder_of(e, fd);
    if (h)
        *h = e->holders[--e->nholders];
}

static holder *holder_add(entry *e, int fd)
{
    holder *h = holder_of(e, fd);
    if (h)
        return h;
    if (e->nholders == e->cap_holders) {
        size_t cap = e->cap_holders ? e->cap_holders * 2 : 4;
        holder *p = realloc(e->holders, cap * sizeof(*p));
        if (!p)
            return NULL;
        e->holders = p;
        e->cap_holders = cap;
    }
    h = &e->holders[e->nholders++];
    h->fd = fd;
    h->mode = 0;
    return h;
}

/* 1 if @fd may take @mode now: no other descriptor holds the file in a
 * conflicting mode, and nobody is taking the POSIX lock. */
static int compatible(const entry *e, int fd, int mode)
{
    size_t i;
    if (e->busy)
        return 0;
    for (i = 0; i < e->nholders; i++)
        if (e->holders[i].fd != fd &&
            (mode == INC__JLOCK_EX || e->holders[i].mode == INC__JLOCK_EX))
            return 0;
    return 1;
}

static int others_hold(const entry *e, int fd)
{
    return e->nholders > (holder_of((entry *)e, fd) ? 1u : 0u);
}

static int release(entry *e, int fd)
{
    int rc = 0;
    if (!holder_of(e, fd))
        return 0;
    holder_remove(e, fd);
    if (e->nholders == 0)
        rc = inc__jio_posix_lock(fd, INC__JLOCK_UN, 1);
    (void)pthread_cond_broadcast(&table_cv);
    drop_if_unlocked(e);
    return rc;
}

/* Take @mode for @fd: wait for this process's other handles on the entry,
 * then take the POSIX lock (outside the mutex: it may wait for another
 * process) unless a shared one is held already for the others. */
static int acquire(entry *e, int fd, int mode, int try_only)
{
    holder *h;
    int rc, before;
    while (!compatible(e, fd, mode)) {
        if (try_only)
            return -EAGAIN;
        e->waiters++;
        (void)pthread_cond_wait(&table_cv, &table_mu);
        e->waiters--;
    }
    h = holder_add(e, fd);
    if (!h)
        return -ENOMEM;
    before = h->mode; /* 0: a first lock; else a change of mode */
    h->mode = mode;   /* a holder already while it takes the POSIX lock */
    if (others_hold(e, fd))
        return 0; /* shared with others: the POSIX lock is held already */
    e->busy = 1;
    (void)pthread_mutex_unlock(&table_mu);
    rc = inc__jio_posix_lock(fd, mode | (try_only ? INC__JLOCK_TRY : 0), 1);
    (void)pthread_mutex_lock(&table_mu);
    e->busy = 0;
    (void)pthread_cond_broadcast(&table_cv);
    if (rc != 0 && before == 0)
        holder_remove(e, fd);
    else if (rc != 0)
        holder_of(e, fd)->mode = before; /* a failed change keeps the old lock */
    return rc;
}

int inc__jlocktab_lock(int fd, int mode)
{
    struct stat sb;
    int rc, type = mode & ~INC__JLOCK_TRY;
    entry *e;

    if (fstat(fd, &sb) != 0)
        return neg_errno();
    table_lock();
    if (type == INC__JLOCK_UN) {
        e = find(sb.st_dev, sb.st_ino);
        rc = e ? release(e, fd) : 0;
    } else {
        e = find_or_add(sb.st_dev, sb.st_ino);
        rc = e ? acquire(e, fd, type, (mode & INC__JLOCK_TRY) != 0) : -ENOMEM;
        if (e)
            drop_if_unlocked(e);
    }
    (void)pthread_mutex_unlock(&table_mu);
    return rc;
}

/* Keep @fd open until the last lock on its file goes. 0, or -1 when there
 * is no memory to remember it (the caller then leaves it open: a descriptor
 * lost is better than another handle's lock dropped). */
static int defer_close(entry *e, int fd)
{
    if (e->nclosing == e->cap_closing) {
        size_t cap = e->cap_closing ? e->cap_closing * 2 : 4;
        int *p = realloc(e->closing, cap * sizeof(*p));
        if (!p)
            return -1;
        e->closing = p;
        e->cap_closing = cap;
    }
    e->closing[e->nclosing++] = fd;
    return 0;
}

int inc__jlocktab_close(int fd)
{
    struct stat sb;
    entry *e = NULL;

    table_lock();
    if (fstat(fd, &sb) == 0)
        e = find(sb.st_dev, sb.st_ino);
    if (e) {
        /* The descriptor's own lock goes with it, as an OFD lock would. */
        holder_remove(e, fd);
        if (e->nholders > 0 || e->busy) {
            (void)defer_close(e, fd);
            (void)pthread_mutex_unlock(&table_mu);
            return 0;
        }
        (void)pthread_cond_broadcast(&table_cv);
    }
    /* Closing drops the POSIX lock if this descriptor's was the last. */
    if (close(fd) != 0) {
        int rc = neg_errno();
        if (e)
            drop_if_unlocked(e);
        (void)pthread_mutex_unlock(&table_mu);
        return rc;
    }
    if (e)
        drop_if_unlocked(e);
    (void)pthread_mutex_unlock(&table_mu);
    return 0;
}
