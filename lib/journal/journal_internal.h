/* The journal's private definitions, shared by the files of lib/journal/.
 * The on-disk format is documented in lib/docs/journal-format.md.
 *
 * The journal is a one-way stack: a file calls only functions of the files
 * below it (and the codec), never one above or beside it. Top to bottom:
 *
 *   journal_services.c   what store-wide reads use besides the store
 *                        interface (journal_services.h)
 *   journal.c            the store's vtable methods and the public functions:
 *                        open, free, verify, stats, options
 *   journal_blobs.c      blobs: one file per blob, named by its SHA-256
 *   journal_append.c     appending to an incident's file
 *   journal_read.c       reading an incident's events
 *   journal_recovery.c   the scan of a file as read, verify and refresh start
 *                        it (header taken or recovered); torn tails set
 *                        aside and reported (RULES TL-4)
 *   journal_quarantine.c moving what recovery sets aside to quarantine
 *                        files (never deleted); listing them
 *   journal_scanner.c    the record scanner: reads and classifies a tail
 *   journal_group_commit.c  the handle's mutex and the group flusher
 *   journal_files.c      the per-file table: descriptors (LRU), locks, syncs,
 *                        file names
 *   journal_io.c         the file I/O table (journal_io.h): POSIX, or a test's
 *   journal_io_locks.c   fcntl locks, and the in-process lock table that
 *                        stands in for OFD locks where there are none
 *
 * journal_format.c, beside them all, is the codec of headers and records and
 * calls none of them. */
#ifndef INC_JOURNAL_INTERNAL_H
#define INC_JOURNAL_INTERNAL_H

#include <pthread.h>
#include <time.h>

#include "incident/journal.h"
#include "incident/sys/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/text.h"
#include "journal_io.h"
#include "util/hash.h"
#include "util/map.h"

/* ---- on-disk format (journal_format.c) ---------------------------------- */

#define INC__JFORMAT          1u
#define INC__JHDR_LEN         128u
#define INC__JMAGIC           "INCJRNL" /* 7 bytes + NUL = the 8-byte magic */
#define INC__JREC_FIXED       56u       /* bytes before the payload */
#define INC__JREC_OVERHEAD    60u       /* fixed part + trailing CRC */
#define INC__JREC_MAX_PAYLOAD (16u << 20)
#define INC__JFLAG_COMMIT     1u /* the last record of its append */
#define INC__JSUFFIX          ".jnl"
#define INC__JMARKER          "JOURNAL"

/* Build the 128-byte header of the file of @id (deterministic). */
void inc__jhdr_encode(uint8_t out[INC__JHDR_LEN], const char *id);
/* Check a header read from the file of @id; NULL if good, else why not. */
const char *inc__jhdr_check(const uint8_t *h, size_t len, const char *id, int *newer);

/* Encode one record at @out (INC__JREC_OVERHEAD + len bytes). */
void inc__jrec_encode(uint8_t *out, const void *data, uint32_t len, uint32_t flags, uint64_t seq,
                      uint64_t synced, const uint8_t prev[INC__SHA256_LEN]);

enum { INC__JREC_OK = 0, INC__JREC_SHORT = 1, INC__JREC_BAD = 2 };

/* Check the record at @p (@avail bytes there, file offset @off) that should
 * be number @seq. INC__JREC_OK sets *size; INC__JREC_SHORT means more bytes
 * are needed (the length field is plausible); INC__JREC_BAD sets *why. */
int inc__jrec_check(const uint8_t *p, size_t avail, uint64_t off, uint64_t seq, size_t *size,
                    const char **why);

static inline uint32_t inc__jrec_len(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* TL-4: 1 if @buf (file bytes from @base, @len of them) holds, at some
 * offset from @from on, a valid record: a good CRC, known flags, and a
 * plausible number (1 .. @seq + 2^32); *at receives its file offset. Then
 * the bad bytes before it are corruption, never a torn tail. Every byte
 * offset is tried. */
int inc__jrec_witness(const uint8_t *buf, size_t len, uint64_t base, uint64_t from, uint64_t seq,
                      uint64_t *at);

/* ---- the store ---------------------------------------------------------- */

#define INC__JNAME_MAX (INC_ID_MAX + 8) /* an incident file's name and its NUL */
/* A quarantine file's name: "<id>.jnl.quarantine-<offset>[.<n>]" and NUL. */
#define INC__JQNAME_MAX (INC__JNAME_MAX + 48)

/* What the handle knows of one incident's file. */
typedef struct jfile {
    char id[INC_ID_MAX + 1];
    int fd;                            /* -1 when closed */
    int rw;                            /* fd opened read-write */
    int known;                         /* end/last_seq/last_hash are valid */
    int hdr_ok;                        /* the header was read and checked; hdr_hash is set */
    int looked;                        /* a torn tail was examined under the lock */
    uint8_t hdr_hash[INC__SHA256_LEN]; /* SHA-256 of the header: record 1's "previous" */
    uint64_t ino;                      /* inode of @fd */
    uint64_t end;      /* end of the last committed record (= file size when clean) */
    uint64_t last_seq; /* number of that record (0: none) */
    uint8_t last_hash[INC__SHA256_LEN]; /* SHA-256 of it (of the header when none) */
    uint64_t synced;                    /* offset below which this handle knows the file durable */
    uint64_t foreign;                   /* end of the data this handle did not write itself */
    uint64_t pending;                   /* events appended and not yet synced */
    int held; /* group policy: the write lock is kept until the group is synced */
    /* The fstat of the last open of @fd (opened_ok: there was one): the
     * stamp of the file as a read that followed found it, for a scan's
     * summary cache without a stat of its own (journal_services.c). */
    inc__jio_stat opened;
    int opened_ok;
    struct jfile *prev, *next; /* LRU list of open descriptors */
} jfile;

typedef struct jstore {
    inc_store_backend base; /* first: the vtable */
    inc_allocator alloc;
    inc__jio io;
    inc_journal_options opts;
    char *path;
    int dirfd;
    int markfd;     /* the JOURNAL marker, locked while creating/removing files */
    inc__map files; /* id -> jfile* */
    jfile *lru_head, *lru_tail;
    size_t open_fds;
    size_t max_fds;
    uint64_t pending_appends;
    inc_time first_pending;     /* by the clock callback */
    struct timespec first_mono; /* the same moment on the monotonic clock (flusher) */
    pthread_mutex_t mu;         /* recursive: every entry point holds it */
    pthread_cond_t cv;          /* wakes the flusher */
    pthread_t flusher;
    int mu_ok, cv_ok, flusher_on, stopping;
    int flusher_idle; /* the flusher waits with no deadline: wake it */
    size_t held;      /* files whose write lock is kept for a pending group */
    int dir_dirty;
    uint64_t tmp_counter;
    inc_journal_stats stats;
} jstore;

/* ---- journal.c ---------------------------------------------------------- */

/* The journal behind @store, or NULL if it is another kind of store. */
jstore *inc__journal_of(inc_store *store);

/* ---- journal_append.c, journal_read.c ----------------------------------- */

/* The store's append and read, for a caller holding the handle's mutex. */
int inc__jappend(jstore *js, const char *id, uint64_t expected_seq, const inc_store_record *records,
                 size_t count, inc_error *err);
int inc__jread(jstore *js, const char *id, uint64_t from_seq, inc_store_event_cb cb, void *cb_user,
               inc_error *err);

/* ---- journal_recovery.c ------------------------------------------------- */

enum { INC__JTAIL_CLEAN = 0, INC__JTAIL_TORN = 1, INC__JTAIL_CORRUPT = 2, INC__JTAIL_STALE = 3 };

/* One scan of an incident's file (journal_scanner.c runs it). */
typedef struct inc__jscan {
    /* in */
    jstore *js;
    int fd;
    const char *name;        /* the file's name, for messages */
    const char *id;          /* the incident (start 0: checked against the header) */
    const inc__jio_stat *st; /* the file's stat, just taken by the caller; NULL: fstat */
    uint64_t start;          /* offset of the first record to read; 0: the header first */
    uint64_t seq;            /* number of the record before @start */
    const uint8_t *prev;     /* its hash, to check the first record against; or NULL */
    int hash_all;            /* check the whole chain (needs @prev) */
    uint64_t durable;        /* offsets below it are known durable */
    uint64_t from_seq;       /* deliver records numbered from here ... */
    inc_store_event_cb cb;   /* ... to this callback (NULL: none) */
    void *cb_user;
    /* out */
    uint64_t end;                      /* end of the last committed record */
    uint64_t last_seq;                 /* its number */
    uint64_t last_off;                 /* its offset */
    uint8_t hash[INC__SHA256_LEN];     /* its hash (when last_seq > seq) */
    uint8_t hdr_hash[INC__SHA256_LEN]; /* start 0, header good: the header's hash */
    const char *hdr_bad;               /* start 0: why the header is bad (NULL: good) */
    uint64_t size;                     /* bytes in the file as far as read */
    uint64_t nlink;       /* links to the file (0: removed, a torn creation cleaned up) */
    int tail;             /* INC__JTAIL_* */
    uint64_t bad_off;     /* offset of the first bad byte (TORN, CORRUPT) */
    uint64_t bad_seq;     /* number the bad record should have had */
    int witness;          /* CORRUPT: a valid record follows the bad bytes ... */
    uint64_t witness_off; /* ... at this offset */
    const char *why;
    char name_buf[INC__JNAME_MAX]; /* what @name points at, set by inc__jscan_init() */
} inc__jscan;

/* Set up @s to scan the open file of @f (its name, its incident). @opened:
 * the stat inc__jfile_open() just took (used by the first scan), or NULL.
 * The caller then sets what it wants (hash_all, from_seq, cb, cb_user). */
void inc__jscan_init(inc__jscan *s, jstore *js, jfile *f, const inc__jio_stat *opened);
/* Scan the file of @f as set up by inc__jscan_init(): from the end of what
 * @f knows when @resume (and it knows), else from its first record, with
 * the header first when it was not checked yet. A bad header is recovered
 * as recovery rules (@cut: the lock is held exclusively), and
 * scanned again when it turns out good. INC_OK (see s->tail), the
 * callback's value, or an error. */
int inc__jscan_file(inc__jscan *s, jfile *f, int resume, int cut, inc_error *err);
/* Fill @err with INC_ECORRUPT naming the file, offset and record of @s. */
int inc__jscan_corrupt(jstore *js, const inc__jscan *s, inc_error *err);

/* What a scan may do about a torn tail or a torn creation (@cut). */
enum {
    INC__JLOOK = 0,  /* report it (counted); change nothing: a read-only handle */
    INC__JCUT = 1,   /* move it to quarantine and report it: the lock is held exclusively */
    INC__JVERIFY = 2 /* report it (not counted); change nothing: inc_journal_verify() */
};

/* Report the torn tail found by @s in @f without touching it (verify). */
void inc__jtail_report(jstore *js, jfile *f, const inc__jscan *s);

/* Bring @f up to date with its file: scan what this handle has not seen.
 * With @lock held exclusively (@cut = INC__JCUT) a torn tail is moved to
 * quarantine and reported; otherwise it is reported only by a read-only
 * handle's first look. INC_ECORRUPT for a bad record that is not a tail. */
int inc__jfile_refresh(jstore *js, jfile *f, int cut, inc_error *err);

/* ---- journal_quarantine.c ----------------------------------------------- */

/* Copy the bytes of @f's file from @off to its end (*bytes of them) to a
 * new quarantine file, synced, linked under its name (in @out) and the
 * directory synced: the caller may then cut the file at @off. The caller
 * holds @f's write lock. */
int inc__jquarantine_tail(jstore *js, jfile *f, uint64_t off, uint64_t *bytes, char *out,
                          size_t size, inc_error *err);
/* Rename the file @name whole to its quarantine name (offset 0, in @out),
 * and sync the directory. The caller holds the marker lock and has
 * checked that @name is the file it judged. */
int inc__jquarantine_file(jstore *js, const char *name, char *out, size_t size, inc_error *err);

/* ---- journal_scanner.c -------------------------------------------------- */

/* Read records as set up in @s. Returns INC_OK (see s->tail), the
 * callback's non-zero value, INC_EIO or INC_ENOMEM. */
int inc__jscan_run(inc__jscan *s, inc_error *err);

/* ---- journal_group_commit.c --------------------------------------------- */

/* The handle's mutex and the group flusher thread. */
int inc__jgroup_init(jstore *js, inc_error *err);
void inc__jgroup_stop(jstore *js);
void inc__jgroup_destroy(jstore *js);
void inc__jstore_enter(jstore *js);
void inc__jstore_leave(jstore *js);
/* A group started (first pending append): note the time, and wake the
 * flusher if it waits with no deadline. */
void inc__jgroup_started(jstore *js);

/* ---- journal_files.c ---------------------------------------------------- */

/* The entry of @id in the table (created when missing: INC_ENOMEM). */
int inc__jfile_get(jstore *js, const char *id, jfile **out, inc_error *err);
/* Open the file of @f if needed (-> INC_ENOTFOUND when missing). When
 * @opened is not NULL it receives the stat of a file opened by this call,
 * which a scan started right away can use instead of its own fstat;
 * opened->nlink is 0 when the file was open already. */
int inc__jfile_open(jstore *js, jfile *f, inc__jio_stat *opened, inc_error *err);
/* inc__jfile_get() then inc__jfile_open(). */
int inc__jfile_find(jstore *js, const char *id, jfile **out, inc__jio_stat *opened, inc_error *err);
void inc__jfile_close(jstore *js, jfile *f);
/* Make @fd (of inode @ino) the open descriptor of @f. */
void inc__jfile_adopt(jstore *js, jfile *f, int fd, uint64_t ino);
int inc__jfile_lock(jstore *js, jfile *f, int mode, inc_error *err);
/* Sync every file with pending events, and the directory if needed. */
int inc__jstore_flush(jstore *js, inc_error *err);
int inc__jerr_io(inc_error *err, int neg_errno, const char *what, const char *name);

/* Name of the file of @id in the directory. */
void inc__jfile_name(const char *id, char *out, size_t size);
/* Call @fn with the name of each entry of the store's directory (not "."
 * or ".."), until it returns non-zero (that value is returned). INC_OK, or
 * INC_EIO (in @err) when the directory cannot be read. */
int inc__jdir_each(jstore *js, int (*fn)(void *user, const char *name), void *user, inc_error *err);
/* A new temporary name for writing @name: ".tmp-<pid>-<n>.<name>" (readers
 * ignore ".tmp-*"; pid and counter keep writers apart). */
void inc__jtmp_name(jstore *js, const char *name, char *out, size_t size);
/* Write a whole small file atomically: a temporary file written and
 * synced, renamed over @name, the directory synced. INC_OK or INC_EIO. */
int inc__jfile_write_atomic(jstore *js, const char *name, const void *data, size_t len,
                            inc_error *err);

/* ---- blobs (journal_blobs.c) -------------------------------------------- */

#define INC__JBLOB_SUFFIX ".blob"
#define INC__JBLOB_MAX    (16u << 20)

/* The store's `put_blob` and `get_blob` (journal-format.md, "Blobs"). */
int inc__jblob_put(jstore *js, const char *key, const void *data, size_t len, inc_error *err);
int inc__jblob_get(jstore *js, const char *key, inc_store_blob_cb cb, void *cb_user,
                   inc_error *err);

#endif
