/* The POSIX implementation of the journal's I/O table (journal_io.h).
 *
 * Locks: every handle must exclude every other, in this process or another.
 * Open-file-description locks do (Linux: F_OFD_*, which glibc declares only
 * under _GNU_SOURCE, hence the definition below); plain POSIX record locks
 * do not (they belong to the process, and any close() drops them), so where
 * there are no OFD locks the in-process lock table (journal_io_locks.c)
 * stands in; INC_JOURNAL_LOCK_TABLE selects it on any system. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_io.h"

#if !defined(F_OFD_SETLKW) && !defined(INC_JOURNAL_LOCK_TABLE)
#error                                                                                             \
    "journal: no open-file-description locks (F_OFD_SETLKW) on this system; build with the in-process lock table: cmake -DINC_JOURNAL_LOCK_TABLE=ON (or define INC_JOURNAL_LOCK_TABLE)"
#endif

static int neg_errno(void)
{
    return errno ? -errno : -EIO;
}

static int px_openat(void *user, int dirfd, const char *name, int flags)
{
    /* No symlinks, and no waiting on a FIFO someone put in the directory:
     * the journal's files are regular files (callers check the stat). */
    int oflags = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, fd;
    (void)user;
    if (flags & INC__JO_CREATE_EXCL)
        oflags |= O_RDWR | O_CREAT | O_EXCL;
    else if (flags & INC__JO_RDWR)
        oflags |= O_RDWR;
    else
        oflags |= O_RDONLY;
    do
        fd = openat(dirfd, name, oflags, 0600);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return neg_errno();
    /* 0600 whatever the umask (which may have taken the owner's bits). */
    if ((flags & INC__JO_CREATE_EXCL) && fchmod(fd, 0600) != 0) {
        int rc = neg_errno();
        (void)unlinkat(dirfd, name, 0);
        close(fd);
        return rc;
    }
    return fd;
}

static int64_t px_pread(void *user, int fd, void *buf, size_t n, uint64_t off)
{
    ssize_t r;
    (void)user;
    do
        r = pread(fd, buf, n, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r < 0 ? neg_errno() : (int64_t)r;
}

static int64_t px_pwrite(void *user, int fd, const void *buf, size_t n, uint64_t off)
{
    ssize_t r;
    (void)user;
    do
        r = pwrite(fd, buf, n, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r < 0 ? neg_errno() : (int64_t)r;
}

static int px_fdatasync(void *user, int fd)
{
    int r;
    (void)user;
    do
        r = fdatasync(fd);
    while (r < 0 && errno == EINTR);
    return r < 0 ? neg_errno() : 0;
}

static int px_fsync(void *user, int fd)
{
    int r;
    (void)user;
    do
        r = fsync(fd);
    while (r < 0 && errno == EINTR);
    return r < 0 ? neg_errno() : 0;
}

static int px_ftruncate(void *user, int fd, uint64_t len)
{
    int r;
    (void)user;
    do
        r = ftruncate(fd, (off_t)len);
    while (r < 0 && errno == EINTR);
    return r < 0 ? neg_errno() : 0;
}

static void stat_fill(const struct stat *sb, inc__jio_stat *st)
{
    st->size = (uint64_t)sb->st_size;
    st->ino = (uint64_t)sb->st_ino;
    st->nlink = (uint64_t)sb->st_nlink;
    st->regular = S_ISREG(sb->st_mode) != 0;
    st->mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
    st->ctime_ns = (int64_t)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
}

static int px_fstat(void *user, int fd, inc__jio_stat *st)
{
    struct stat sb;
    (void)user;
    if (fstat(fd, &sb) != 0)
        return neg_errno();
    stat_fill(&sb, st);
    return 0;
}

static int px_statat(void *user, int dirfd, const char *name, inc__jio_stat *st)
{
    struct stat sb;
    (void)user;
    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return neg_errno();
    stat_fill(&sb, st);
    return 0;
}

static int px_linkat(void *user, int dirfd, const char *from, const char *to)
{
    (void)user;
    return linkat(dirfd, from, dirfd, to, 0) == 0 ? 0 : neg_errno();
}

static int px_unlinkat(void *user, int dirfd, const char *name)
{
    (void)user;
    return unlinkat(dirfd, name, 0) == 0 ? 0 : neg_errno();
}

static int px_renameat(void *user, int dirfd, const char *from, const char *to)
{
    (void)user;
    return renameat(dirfd, from, dirfd, to) == 0 ? 0 : neg_errno();
}

#if defined(F_OFD_SETLKW) && !defined(INC_JOURNAL_LOCK_TABLE)
static int px_close(void *user, int fd)
{
    (void)user;
    /* Never retry close on EINTR: the descriptor is gone either way. */
    return close(fd) == 0 ? 0 : neg_errno();
}

/* An open-file-description lock belongs to the descriptor: two handles of
 * one process exclude each other, and closing another descriptor of the
 * file does not drop it. */
static int px_lock_ofd(void *user, int fd, int mode)
{
    (void)user;
    return inc__jio_posix_lock(fd, mode, 0);
}
#endif

static int px_lock_table(void *user, int fd, int mode)
{
    (void)user;
    return inc__jlocktab_lock(fd, mode);
}

static int px_close_table(void *user, int fd)
{
    (void)user;
    return inc__jlocktab_close(fd);
}

static const inc__jio table_io = {NULL,         px_openat,   px_close_table, px_pread, px_pwrite,
                                  px_fdatasync, px_fsync,    px_ftruncate,   px_fstat, px_linkat,
                                  px_unlinkat,  px_renameat, px_lock_table,  px_statat};

#if defined(F_OFD_SETLKW) && !defined(INC_JOURNAL_LOCK_TABLE)
static const inc__jio ofd_io = {NULL,         px_openat,   px_close,     px_pread, px_pwrite,
                                px_fdatasync, px_fsync,    px_ftruncate, px_fstat, px_linkat,
                                px_unlinkat,  px_renameat, px_lock_ofd,  px_statat};
#endif

const inc__jio *inc__jio_posix(void)
{
#if defined(F_OFD_SETLKW) && !defined(INC_JOURNAL_LOCK_TABLE)
    return &ofd_io;
#else
    return &table_io;
#endif
}

const inc__jio *inc__jio_posix_table(void)
{
    return &table_io;
}

int inc__jio_write_all(const inc__jio *io, int fd, const void *buf, size_t n, uint64_t off)
{
    const unsigned char *p = buf;
    while (n > 0) {
        int64_t w = io->pwrite(io->user, fd, p, n, off);
        if (w < 0)
            return (int)w;
        if (w == 0)
            return -EIO;
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

int inc__jio_read_full(const inc__jio *io, int fd, void *buf, size_t n, uint64_t off, size_t *got)
{
    unsigned char *p = buf;
    size_t done = 0;
    while (done < n) {
        int64_t r = io->pread(io->user, fd, p + done, n - done, off + done);
        if (r < 0)
            return (int)r;
        if (r == 0)
            break;
        done += (size_t)r;
    }
    *got = done;
    return 0;
}
