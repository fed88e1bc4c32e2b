/* TL-5: the chain walk shared by checkpoints and seals, and the seal files
 * (key file, seal log; byte layouts in lib/docs/sealing.md). */
#ifndef INC_SEAL_INTERNAL_H
#define INC_SEAL_INTERNAL_H

#include "internal.h"
#include "util/buf.h"
#include "util/hash.h"

/* ---- the chain walk (checkpoint.c) ---- */

/* Called with each event's sequence number and hash, in order; non-zero stops. */
typedef int (*inc__chain_fn)(void *user, uint64_t seq, const uint8_t hash[INC__SHA256_LEN]);

/* Read incident @id from event 1 and check each event's number and its link
 * to the one before (TL-2), calling @fn with its hash. Stops after event
 * @upto (0: read all). *last receives the last event walked. Returns INC_OK,
 * INC_ECORRUPT (*bad receives the event, the message is in @err), the
 * store's error (INC_ENOTFOUND for an unknown id), or @fn's value. */
int inc__chain_walk(inc_store *store, const char *id, uint64_t upto, inc__chain_fn fn, void *user,
                    uint64_t *last, uint64_t *bad, inc_error *err);

/* ---- the files (seal_files.c) ---- */

#define INC__SEAL_KEY_FILE_LEN 128
#define INC__SEAL_LOG_HEADER   64
#define INC__SEAL_REC_FIXED    64 /* record header before the entries */
#define INC__SEAL_REC_TRAILER  36 /* MAC and CRC after them */
#define INC__SEAL_REC_MAX      ((size_t)64 << 20)

/* The key file's content. */
typedef struct inc__seal_key {
    uint64_t epoch;
    inc_time setup_at;
    uint8_t key[INC__SHA256_LEN];
    uint8_t key_id[INC__SHA256_LEN];
} inc__seal_key;

/* One sealed head, as a record holds it (id points into the log bytes). */
typedef struct inc__seal_entry {
    const char *id;
    size_t id_len;
    uint64_t seq;
    const uint8_t *hash;
    uint64_t epoch;
} inc__seal_entry;

/* One record of the seal log, decoded in place. */
typedef struct inc__seal_rec {
    uint64_t epoch;
    inc_time time;
    uint32_t count;
    const uint8_t *digest;
    const uint8_t *entries; /* count entries, back to back */
    size_t entries_len;
    const uint8_t *mac;
    size_t len; /* the whole record */
} inc__seal_rec;

/* The seal log read into memory. */
typedef struct inc__seal_log {
    uint8_t *bytes;
    size_t len;
    uint8_t key_id[INC__SHA256_LEN];
    inc_time setup_at;
    size_t valid_end;    /* end of the last whole record */
    uint64_t last_epoch; /* 0: no record */
    inc_time last_time;
} inc__seal_log;

/* k_{i+1} = SHA-256("inc-seal-evolve" || k_i); in place. */
void inc__seal_evolve(uint8_t key[INC__SHA256_LEN]);
/* The identity of a setup: SHA-256("inc-seal-keyid" || k0). */
void inc__seal_key_id(const uint8_t k0[INC__SHA256_LEN], uint8_t out[INC__SHA256_LEN]);
/* HMAC(k_e, "inc-seal-v1" || epoch || time || count || digest). */
void inc__seal_mac(const uint8_t key[INC__SHA256_LEN], const inc__seal_rec *r,
                   uint8_t out[INC__SHA256_LEN]);

/* Create a new file (O_EXCL, 0600) holding @len bytes, synced with its
 * directory. INC_EEXIST, INC_EIO. */
int inc__seal_create(const char *path, const void *data, size_t len, inc_error *err);
void inc__seal_key_encode(const inc__seal_key *k, uint8_t out[INC__SEAL_KEY_FILE_LEN]);
void inc__seal_log_header(const uint8_t key_id[INC__SHA256_LEN], inc_time setup_at,
                          uint8_t out[INC__SEAL_LOG_HEADER]);

/* Open the key file (read-write when @writable). INC_ENOTFOUND, INC_EIO. */
int inc__seal_key_open(const char *path, int writable, int *fd, inc_error *err);
/* Read and decode the key file open on @fd (from offset 0). INC_ECORRUPT,
 * INC_EVERSION, INC_EIO. */
int inc__seal_key_load(int fd, const char *path, inc__seal_key *k, inc_error *err);
/* Overwrite the key file in place with @k and sync it. INC_EIO. */
int inc__seal_key_write(int fd, const char *path, const inc__seal_key *k, inc_error *err);

/* Read and structure-check the whole seal log (CRCs, not MACs): a damaged
 * record followed by anything is INC_ECORRUPT; one at the end is a torn
 * tail (valid_end < len). Free with inc__seal_log_free(). */
int inc__seal_log_read(const inc_allocator *a, const char *path, inc__seal_log *log,
                       inc_error *err);
void inc__seal_log_free(const inc_allocator *a, inc__seal_log *log);
/* The record at byte @off of a log already checked by inc__seal_log_read()
 * (off < valid_end). */
void inc__seal_rec_at(const inc__seal_log *log, size_t off, inc__seal_rec *r);
/* Entry @i of a record, walking from the previous one: *pos starts at 0. */
void inc__seal_entry_next(const inc__seal_rec *r, size_t *pos, inc__seal_entry *e);

/* Encode a record of @count entries (sorted by id, ids unique) into @b,
 * MAC'ed with @key. INC_ENOMEM, INC_ETOOBIG. */
int inc__seal_rec_encode(inc__buf *b, const uint8_t key[INC__SHA256_LEN], uint64_t epoch,
                         inc_time time, const inc__seal_entry *entries, size_t count);
/* Write @len bytes at @off of the seal log, cut it there and sync. INC_EIO. */
int inc__seal_log_write(const char *path, size_t off, const void *data, size_t len, inc_error *err);

#endif
