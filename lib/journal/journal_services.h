/* What the journal offers the store-wide reads (store_scan.c) besides the
 * store interface: a cheap identity of an incident's file, to tell whether
 * a summary made from it is still good, and whole auxiliary files in the
 * journal's directory for such derived data (written by rename, never
 * synced: they can always be rebuilt from the incident files). */
#ifndef INC_JOURNAL_AUX_H
#define INC_JOURNAL_AUX_H

#include <stddef.h>
#include <stdint.h>

#include "incident/common.h"

struct inc_store;

/* The identity of an incident's file: inode, size and times. The journal
 * only appends and only cuts bytes no append completed, so the committed
 * bytes of a file never change: a file with the same inode and size as one
 * read whole holds the same events. The times catch a file rewritten
 * outside the library (ctime cannot be set by a program). */
typedef struct inc__jstamp {
    uint64_t ino, size;
    int64_t mtime_ns, ctime_ns;
} inc__jstamp;

/* 1 if @store is a journal (the functions below need one); *writable is
 * set when it is not open read-only. */
int inc__journal_is(struct inc_store *store, int *writable);

/* Stat the file of @id without opening it. INC_OK, INC_ENOTFOUND, INC_EIO
 * (no message: callers fall back to reading the file). */
int inc__journal_stamp(struct inc_store *store, const char *id, inc__jstamp *out);

/* 1 if this handle's last read of @id ended at the end of the file @st
 * describes (same inode, every byte a complete append): a summary of that
 * read describes the file that has @st, and any change to it will change
 * its size. 0 otherwise (a torn tail, appends since the stat, ...). */
int inc__journal_read_whole(struct inc_store *store, const char *id, const inc__jstamp *st);

/* 1 if this handle's last read of @id took the file whole (as
 * inc__journal_read_whole()) and the file was opened for it: *out is then
 * the stamp of the file taken when it was opened, before the read, so a
 * scan needs no stat of its own when it has no cache entry to compare
 * with (a first scan: one path lookup per file instead of two). Any
 * change to the file after that open changes its size or times. 0
 * otherwise. */
int inc__journal_read_stamp(struct inc_store *store, const char *id, inc__jstamp *out);

/* An auxiliary file of the journal's directory, read or being written.
 * Reads are pread()s at any offset (the file is never changed in place:
 * writers rename a new one over it). A new one is written to a temporary
 * file, renamed over the old by commit (not synced: it is derived data). */
typedef struct inc__jaux {
    struct inc_store *store;
    int fd;
    uint64_t size; /* reading: its size when opened */
    char tmp[112]; /* writing: the temporary file's name */
    char name[16];
} inc__jaux;

/* Open @name (at most 15 bytes) for reading. INC_OK, INC_ENOTFOUND, INC_EIO. */
int inc__jaux_open(inc__jaux *f, struct inc_store *store, const char *name);
/* Read up to @n bytes at @off into @buf (*got short only at the end).
 * INC_OK or INC_EIO. */
int inc__jaux_read(inc__jaux *f, void *buf, size_t n, uint64_t off, size_t *got);
/* Start a new @name. INC_OK, INC_EREADONLY, INC_EIO. */
int inc__jaux_create(inc__jaux *f, struct inc_store *store, const char *name);
/* Write @n bytes at @off of a file being written. INC_OK or INC_EIO. */
int inc__jaux_write(inc__jaux *f, const void *data, size_t n, uint64_t off);
/* Put the new file in place of the old. INC_OK or INC_EIO (nothing replaced). */
int inc__jaux_commit(inc__jaux *f);
/* Close a file opened for reading, or drop one being written. */
void inc__jaux_close(inc__jaux *f);

/* Add to the handle's summary counters (inc_journal_stats). */
void inc__journal_count_summaries(struct inc_store *store, uint64_t hits, uint64_t misses,
                                  int written);

#endif
