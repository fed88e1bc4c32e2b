/* The summary cache of store-wide reads (store_scan.c): the journal's
 * SUMMARY file, one entry per incident holding what the metrics and the
 * action list need from its events, with the stamp of the file it was made
 * from (journal_services.h). An entry is used only while its incident's file
 * has the same stamp. Anything wrong with the file (a checksum, a length,
 * another library version) makes the rest of it absent, never an error:
 * it is rebuilt from the incident files. Format:
 * lib/docs/journal-format.md.
 *
 * The file is read in order through one window of at most 1 MiB, never
 * whole: a scan asks for the incidents in the store's listing order, in
 * which the file was written, so each lookup is at the next entry. A
 * lookup out of order indexes the file's ids once. */
#ifndef INC_PM_CACHE_H
#define INC_PM_CACHE_H

#include "journal/journal_services.h"
#include "postmortem_internal.h"
#include "util/buf.h"

#define INC__PMC_NAME "SUMMARY"
/* The longest channel an entry holds ("inc-" and an id, with room). */
#define INC__PMC_CHANNEL_MAX (INC_ID_MAX + 16)

/* One entry, decoded (views into the reader's window: valid until the
 * next call on the reader). */
typedef struct inc__pmc_entry {
    inc__jstamp stamp;
    int drill;
    inc_state state;
    inc_pm_status pm_status;
    inc_time declared_at, impact_started, detected, mitigated_at, resolved_at;
    inc_time first_page_at, first_ack_at;
    const char *title; /* title_len bytes, not NUL-terminated */
    size_t title_len;
    const char *severity;
    size_t severity_len;
    const char *declarer; /* format 2: the declaration's actor and channel, the last seq */
    size_t declarer_len;
    const char *channel;
    size_t channel_len;
    uint64_t last_seq;
    const uint8_t *kept; /* kept_len bytes: events as (u32 length, bytes) */
    size_t kept_len;
    uint64_t off; /* of the whole entry in the file */
    size_t len;
} inc__pmc_entry;

typedef struct inc__pmc_slot {
    const char *id; /* in ids */
    uint64_t off;
} inc__pmc_slot;

/* A cache being read. */
typedef struct inc__pmc {
    const inc_allocator *alloc;
    inc__jaux file;
    int open;
    uint64_t count; /* entries, from the header */
    uint64_t next;  /* offset of the entry after the last one found */
    uint8_t *win;   /* the window: file bytes [base, base + have) */
    size_t cap, have;
    uint64_t base;
    inc__pmc_slot *slots; /* sorted by id; made at the first lookup out of order */
    inc__buf ids;
    int no_index; /* the index could not be made: lookups out of order miss */
} inc__pmc;

/* Open the cache of @store (a journal). Never fails: a missing,
 * unreadable or bad file, or no memory, leaves @c empty. */
void inc__pmc_open(inc__pmc *c, struct inc_store *store, const inc_allocator *alloc);
void inc__pmc_close(inc__pmc *c);

/* The entry of @id if its stamp is @st: 1 and *out filled, else 0. */
int inc__pmc_find(inc__pmc *c, const char *id, const inc__jstamp *st, inc__pmc_entry *out);

/* Check an entry (@avail bytes at @p): 0 and *out filled, or -1. (The
 * reader's check, exposed for the fuzz driver.) */
int inc__pmc_entry_check(const uint8_t *p, size_t avail, inc__pmc_entry *out, const char **id,
                         size_t *id_len);
/* Check a header: 0 and *count set, or -1. */
int inc__pmc_header_check(const uint8_t *p, size_t avail, uint64_t *count);

/* Building a new cache: entries in the order given, each either found in
 * the cache being read (a hit, copied from its file when written) or
 * encoded from a read (a miss). Nothing is written until inc__pmc_write(),
 * which the scan calls only when the file is stale enough to rewrite. */
typedef struct inc__pmc_piece {
    int hit;
    uint64_t off; /* a hit: in the old file; a miss: in fresh */
    size_t len;
} inc__pmc_piece;

typedef struct inc__pmc_builder {
    const inc_allocator *alloc;
    inc__pmc_piece *pieces;
    size_t count, cap;
    inc__buf fresh; /* the entries of misses (streaming: those not yet written) */
    int failed;     /* no memory or a write error: the builder is useless */
    int streaming;  /* entries go to out as they come (no old file to copy from) */
    inc__jaux out;
    uint64_t at; /* streaming: where the next bytes go in out */
} inc__pmc_builder;

void inc__pmc_builder_init(inc__pmc_builder *b, const inc_allocator *alloc);
/* Drop the builder (and a file it was streaming to, unless written). */
void inc__pmc_builder_dispose(inc__pmc_builder *b);
/* With no usable old file the new one will be written: start it now and
 * write entries as they come, so that a first scan of a large store does
 * not hold every entry in memory. INC_OK, or the builder stays buffered. */
int inc__pmc_builder_stream(inc__pmc_builder *b, struct inc_store *store);
void inc__pmc_add_hit(inc__pmc_builder *b, const inc__pmc_entry *e);
/* Add the entry of @id from summary @s (only its fixed fields are used)
 * and the kept events @kept (@kept_len bytes in the entry's format). */
void inc__pmc_add_read(inc__pmc_builder *b, const char *id, const inc__jstamp *st,
                       const inc__pm_summary *s, const uint8_t *kept, size_t kept_len);
/* Write the new file of @store from @b (hits copied from @old) and put it
 * in place. INC_OK, INC_ENOMEM (a failed add), INC_EIO, INC_EREADONLY. */
int inc__pmc_write(inc__pmc_builder *b, inc__pmc *old, struct inc_store *store);

#endif
