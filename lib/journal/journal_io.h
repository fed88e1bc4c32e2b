/* The journal's file I/O, as a small table of functions. The journal never
 * calls the system directly for the files it writes: it goes through this
 * table, so that a test can put a layer in between that keeps every write not
 * yet synced in memory and, at a simulated power cut, drops, keeps or
 * garbles each one (tests/journal/test_journal_powercut.c), as SQLite's crash-test
 * VFS does.
 *
 * Every function returns 0 (or a byte count) on success and a negated errno
 * value on failure. Names are relative to a directory descriptor. */
#ifndef INC_JOURNAL_IO_H
#define INC_JOURNAL_IO_H

#include <stdint.h>
#include <stddef.h>

#include "incident/journal.h"

/* Lock modes of inc__jio::lock; INC__JLOCK_TRY may be added to SH or EX:
 * then the call does not wait and fails with -EAGAIN if the lock is taken. */
enum { INC__JLOCK_UN = 0, INC__JLOCK_SH = 1, INC__JLOCK_EX = 2, INC__JLOCK_TRY = 4 };

/* Open flags of inc__jio::openat (translated to O_* by the POSIX layer). */
enum {
    INC__JO_RDONLY = 0,
    INC__JO_RDWR = 1,
    INC__JO_CREATE_EXCL = 2 /* with RDWR: O_CREAT | O_EXCL, mode 0600 */
};

typedef struct inc__jio_stat {
    uint64_t size;
    uint64_t ino;
    uint64_t nlink;
    int64_t mtime_ns; /* last data change, ns since the epoch */
    int64_t ctime_ns; /* last data or metadata change (no caller can set it) */
    int regular;      /* a regular file (not a FIFO, device or directory) */
} inc__jio_stat;

typedef struct inc__jio {
    void *user;
    int (*openat)(void *user, int dirfd, const char *name, int flags);
    int (*close)(void *user, int fd);
    int64_t (*pread)(void *user, int fd, void *buf, size_t n, uint64_t off);
    int64_t (*pwrite)(void *user, int fd, const void *buf, size_t n, uint64_t off);
    int (*fdatasync)(void *user, int fd);
    int (*fsync)(void *user, int fd); /* used on the directory */
    int (*ftruncate)(void *user, int fd, uint64_t len);
    int (*fstat)(void *user, int fd, inc__jio_stat *st);
    int (*linkat)(void *user, int dirfd, const char *from, const char *to);
    int (*unlinkat)(void *user, int dirfd, const char *name);
    int (*renameat)(void *user, int dirfd, const char *from, const char *to);
    /* Whole-file lock (INC__JLOCK_*), blocking unless INC__JLOCK_TRY,
     * held by the descriptor: it excludes every other descriptor, of this
     * process or another, and goes only when unlocked or when this
     * descriptor is closed (open-file-description locks, or the lock
     * table). */
    int (*lock)(void *user, int fd, int mode);
    /* Stat a name in the directory without opening it (no symlinks
     * followed): how a store-wide read checks its summary cache. */
    int (*statat)(void *user, int dirfd, const char *name, inc__jio_stat *st);
} inc__jio;

/* The real thing: POSIX calls, retried on EINTR; open-file-description
 * locks, or the in-process lock table where there are none (or where the
 * build defines INC_JOURNAL_LOCK_TABLE). */
const inc__jio *inc__jio_posix(void);
/* The same with the in-process lock table whatever the system has (tests
 * use it to check the table where OFD locks exist). */
const inc__jio *inc__jio_posix_table(void);

/* ---- locks (journal_io_locks.c, below journal_io.c) ---------------------- */

/* fcntl() lock of the whole file in @mode (INC__JLOCK_*): a POSIX record
 * lock of the process when @process_wide, else an open-file-description
 * lock (-ENOSYS where there are none). -EAGAIN when INC__JLOCK_TRY and the
 * lock is taken; -EDEADLK and others as fcntl() reports them. */
int inc__jio_posix_lock(int fd, int mode, int process_wide);
/* Lock or unlock through the in-process lock table: handles of this
 * process exclude each other by the table (keyed by device and inode), and
 * other processes by a POSIX lock the table holds for them all. */
int inc__jlocktab_lock(int fd, int mode);
/* Close @fd; while another descriptor of this process holds a lock on its
 * file, the close waits for that lock to go (a close() would drop it). */
int inc__jlocktab_close(int fd);

/* Open a journal whose file I/O goes through @io (copied; io->user must
 * outlive the store). inc_store_journal_open() is this with the POSIX table. */
int inc__store_journal_open_io(const char *dir, const inc_journal_options *opts, const inc__jio *io,
                               inc_store **out);

/* Helpers over the table: full writes and reads (loop on short counts). */
int inc__jio_write_all(const inc__jio *io, int fd, const void *buf, size_t n, uint64_t off);
/* Reads up to @n bytes; stores the count read in *got (short only at EOF). */
int inc__jio_read_full(const inc__jio *io, int fd, void *buf, size_t n, uint64_t off, size_t *got);

#endif
