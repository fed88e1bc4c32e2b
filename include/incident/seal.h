/**
 * @file incident/seal.h
 * @brief TL-5, a sealed record: checkpoints of a timeline's head that can be
 *        witnessed outside the store, and optional forward-secure sealing.
 *
 * **Checkpoints.** Every event stores the SHA-256 of the event before it
 * (TL-2), so the hash of event *N* commits to events 1..*N*. A checkpoint is
 * that pair, written `SEQ:HEX` (the sequence number in decimal, a colon, 64
 * lower-case hex digits). Copy it somewhere the store's owner does not control
 * (a ticket, a chat message, a paging payload: the library puts it in the JSON
 * export, the PagerDuty payloads and the Statuspage metadata) and
 * inc_incident_verify_head() later proves that events 1..SEQ are unchanged.
 *
 * **Forward-secure sealing** (in the manner of systemd-journald's FSS and
 * Schneier-Kelsey secure audit logs, SHA-256 only). inc_seal_setup() draws a
 * random verification key *k0*, which it returns once and does not keep, and
 * writes a key file holding *k1* = SHA-256("inc-seal-evolve" || *k0*).
 * Each inc_seal() is one epoch: it appends to a seal log the head of every
 * incident of the store, authenticated by HMAC-SHA-256 under the epoch's key
 * *ke*, then replaces *ke* by *ke+1* = SHA-256("inc-seal-evolve" || *ke*) in
 * the key file (overwritten in place and synced) and in memory. Epochs are
 * counted, one per seal, not timed: run inc_seal() on a schedule (cron every
 * 15 minutes) to bound how much an intruder can rewrite. Someone who takes the
 * store and the key file at epoch *c* holds *kc* and cannot compute any earlier
 * key, so every seal before *c* still proves its heads. inc_seal_verify(),
 * given *k0*, recomputes every key, checks every seal and every sealed head
 * against the store, and reports each incident's unsealed tail.
 *
 * The threat model (what this proves and what it cannot) and the byte
 * layouts of the key file and the seal log are in lib/docs/sealing.md.
 * Sealing works on any store: it reads through inc_context_list() and the
 * store's `read`, and keeps its state in the two files the caller names.
 */
#ifndef INCIDENT_SEAL_H
#define INCIDENT_SEAL_H

#include "common.h"
#include "context.h"
#include "incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- checkpoints ---------------------------------------------------------- */

/** @brief Bytes of a checkpoint's hash (SHA-256). */
#define INC_CHECKPOINT_HASH_LEN 32
/** @brief Size of a buffer that always holds a checkpoint's text `SEQ:HEX`
 *         (20 digits, a colon, 64 hex digits and the NUL). */
#define INC_CHECKPOINT_TEXT_MAX 86

/** @brief The head of a timeline: an event's sequence number and the
 *         SHA-256 of its stored bytes, which commits to every event before it. */
typedef struct inc_checkpoint {
    uint64_t seq;                          /**< The event, from 1. */
    uint8_t hash[INC_CHECKPOINT_HASH_LEN]; /**< SHA-256 of its encoded bytes. */
} inc_checkpoint;

/**
 * @brief The checkpoint of an incident's head: its last event and that
 *        event's hash, as this handle last read or wrote it.
 * @param inc The incident.
 * @param[out] out Receives the checkpoint.
 * @return #INC_OK, #INC_EINVAL if an argument is NULL.
 */
INC_API int inc_incident_head(const inc_incident *inc, inc_checkpoint *out);

/**
 * @brief Write a checkpoint as `SEQ:HEX` (decimal sequence number, a colon,
 *        64 lower-case hex digits), for example `12:9f86d08...`.
 * @param cp The checkpoint.
 * @param[out] buf Receives the NUL-terminated text.
 * @param size Size of @p buf; #INC_CHECKPOINT_TEXT_MAX always suffices.
 * @return #INC_OK, #INC_EINVAL (NULL argument or sequence number 0),
 *         #INC_ETOOBIG if @p size is too small (then @p buf holds "").
 */
INC_API int inc_checkpoint_format(const inc_checkpoint *cp, char *buf, size_t size);

/**
 * @brief Read a checkpoint written by inc_checkpoint_format(): a decimal
 *        sequence number from 1 without sign, leading zeros or spaces, a colon,
 *        and exactly 64 hex digits (either case), nothing else.
 * @param text NUL-terminated text.
 * @param[out] out Receives the checkpoint (unchanged on failure).
 * @return #INC_OK, #INC_EINVAL if an argument is NULL, #INC_EPARSE if the
 *         text is not such a checkpoint.
 */
INC_API int inc_checkpoint_parse(const char *text, inc_checkpoint *out);

/**
 * @brief Prove that events 1..cp->seq of the incident are unchanged since
 *        the checkpoint was taken: re-read them from the store, check that
 *        each is numbered in order and holds the hash of the one before
 *        (TL-2), and compare the hash of event cp->seq with the checkpoint's.
 * @param inc The incident.
 * @param cp The checkpoint, witnessed elsewhere.
 * @param[out] bad_seq Receives the first point that differs (the first event
 *        whose link to its predecessor is broken, else cp->seq when only the
 *        final hash differs: some event in 1..cp->seq was rewritten and the
 *        chain recomputed), or 0 when the checkpoint verifies. May be NULL.
 * @return #INC_OK; #INC_ECORRUPT naming the first differing point;
 *         #INC_ENOTFOUND when the store holds fewer than cp->seq events (the
 *         message gives both numbers); #INC_EINVAL (NULL argument, seq 0);
 *         or a store error. The message is kept on @p inc.
 */
INC_API int inc_incident_verify_head(inc_incident *inc, const inc_checkpoint *cp,
                                     uint64_t *bad_seq);

/**
 * @brief inc_incident_verify_head() for an incident that is not open, on any
 *        store (the incident is not replayed, only its bytes are hashed).
 * @param store The store.
 * @param id The incident id.
 * @param cp The checkpoint.
 * @param[out] bad_seq As for inc_incident_verify_head(); may be NULL.
 * @return As inc_incident_verify_head(); #INC_ENOTFOUND also when the store
 *         has no incident @p id. The message is kept on @p store
 *         (inc_store_errmsg()).
 */
INC_API int inc_store_verify_head(inc_store *store, const char *id, const inc_checkpoint *cp,
                                  uint64_t *bad_seq);

/* ---- forward-secure sealing --------------------------------------------- */

/** @brief Bytes of a sealing key and of the verification key. */
#define INC_SEAL_KEY_LEN 32
/** @brief Size of a buffer for a key's text: 64 hex digits and the NUL. */
#define INC_SEAL_KEY_TEXT_MAX 65

/**
 * @brief Set sealing up: draw a random verification key, create the key
 *        file (holding the key of epoch 1, derived from it) and an empty seal
 *        log, both new (never overwritten) with mode 0600, and synced.
 *
 * The verification key is given to the caller once and kept nowhere by the
 * library: show it to a person who stores it offline. Without it the seals
 * cannot be checked.
 * @param ctx The context (its clock dates the setup; its message receives
 *        failures).
 * @param key_path Path of the key file to create.
 * @param log_path Path of the seal log to create.
 * @param[out] verification_key Receives the #INC_SEAL_KEY_LEN bytes of the
 *        verification key.
 * @return #INC_OK; #INC_EINVAL (NULL argument, the same path twice);
 *         #INC_EEXIST (either file exists already: nothing is changed);
 *         #INC_EIO (no randomness, a file cannot be created or synced; a file
 *         this call created is removed again). The message names the path.
 */
INC_API int inc_seal_setup(inc_context *ctx, const char *key_path, const char *log_path,
                           uint8_t verification_key[INC_SEAL_KEY_LEN]);

/** @brief What inc_seal() did. */
typedef struct inc_seal_result {
    uint64_t epoch;   /**< The epoch sealed (the key file is now at epoch + 1). */
    size_t incidents; /**< Incidents whose heads the seal holds. */
    uint64_t events;  /**< Events those heads cover (the sum of their sequence numbers). */
} inc_seal_result;

/**
 * @brief Seal now: append a seal of the current epoch holding the head of
 *        every incident of the context's store, then evolve the key one epoch
 *        and erase the old one (in memory and in the key file, synced).
 *
 * Every incident's chain is walked first; a broken chain is not sealed.
 * A seal whose key evolution was cut short by a crash is completed first
 * (the key is evolved past the epoch already in the log). Processes sealing
 * the same files at once are serialized by a lock on the key file (a POSIX
 * record lock: threads of one process must not seal the same files at once).
 * @param ctx The context; its store is sealed and its clock dates the seal.
 * @param key_path The key file made by inc_seal_setup().
 * @param log_path The seal log made by inc_seal_setup().
 * @param[out] result Receives what was sealed (may be NULL).
 * @return #INC_OK; #INC_EINVAL (NULL argument); #INC_ENOTFOUND (a file is
 *         missing); #INC_ECORRUPT (a damaged key file or seal log, a seal log
 *         and key file of different setups or epochs, or an incident whose
 *         hash chain is broken: nothing is appended); #INC_EVERSION (files of
 *         a newer format); #INC_EIO; #INC_ENOMEM; or a store error. The
 *         message, on @p ctx, names the file or incident.
 */
INC_API int inc_seal(inc_context *ctx, const char *key_path, const char *log_path,
                     inc_seal_result *result);

/** @brief One incident as inc_seal_verify() finds it. */
typedef struct inc_seal_report {
    const char *id;        /**< The incident (valid during the callback only). */
    uint64_t sealed_seq;   /**< Its last sealed event (0: never sealed). */
    uint64_t sealed_epoch; /**< The first epoch whose seal holds @c sealed_seq (0: none). */
    uint64_t last_seq;     /**< Its last event in the store (0: missing from the store). */
    uint64_t unsealed;     /**< Events after the last seal (last_seq - sealed_seq, or 0). */
    int status;            /**< #INC_OK, or #INC_ECORRUPT: a sealed head differs. */
    uint64_t bad_seq;      /**< With #INC_ECORRUPT: the first sealed event that differs
                                (or whose chain link is broken); else 0. */
    uint64_t bad_epoch;    /**< With #INC_ECORRUPT: the seal it differs from; else 0. */
} inc_seal_report;

/**
 * @brief Called by inc_seal_verify() once per incident, in id order.
 * @param user The pointer given to inc_seal_verify().
 * @param report The incident's result (valid during the call only).
 */
typedef void (*inc_seal_report_fn)(void *user, const inc_seal_report *report);

/** @brief The seal log as a whole, filled by inc_seal_verify(). */
typedef struct inc_seal_summary {
    uint64_t seals;          /**< Seals verified (epochs 1..seals). */
    inc_time last_sealed_at; /**< Time of the last seal; #INC_TIME_NONE if none. */
    uint64_t key_epoch;      /**< Epoch of the key file, 0 when it was not checked. */
    size_t incidents;        /**< Incidents reported. */
    size_t mismatches;       /**< Of those, how many with #INC_ECORRUPT. */
    uint64_t unsealed;       /**< Events after the last seal, over every incident. */
    uint64_t torn_bytes;     /**< Bytes of an unfinished seal at the end of the log
                                  (a crash during inc_seal(); not an error). */
} inc_seal_summary;

/**
 * @brief Verify the seals with the verification key: every seal's MAC under
 *        its epoch's key (recomputed from @p verification_key), the epochs
 *        1, 2, 3... without a gap, the key file (when given) at the epoch after
 *        the last seal and holding that epoch's key, and every sealed head of
 *        every incident against the store. Each incident of the store or of
 *        the seals is reported through @p cb, mismatches included, before the
 *        call returns.
 * @param ctx The context whose store is checked.
 * @param key_path The key file, or NULL not to check it (then seals removed
 *        from the end of the log cannot be noticed).
 * @param log_path The seal log.
 * @param verification_key The key inc_seal_setup() returned.
 * @param cb Called per incident (may be NULL).
 * @param user Passed to @p cb.
 * @param[out] summary Receives the totals (may be NULL); zeroed (and
 *        last_sealed_at #INC_TIME_NONE) when the call fails before any seal
 *        is read.
 * @return #INC_OK when everything verifies; #INC_EPERM (the verification
 *         key is not the one of this seal log: nothing else is checked);
 *         #INC_ECORRUPT (a seal does not verify, epochs are missing, the key
 *         file does not match, or a sealed head differs: the message names
 *         the first); #INC_ENOTFOUND (the seal log or the given key file is
 *         missing); #INC_EVERSION; #INC_EINVAL (NULL argument); #INC_EIO;
 *         #INC_ENOMEM; or a store error. The message is kept on @p ctx.
 */
INC_API int inc_seal_verify(inc_context *ctx, const char *key_path, const char *log_path,
                            const uint8_t verification_key[INC_SEAL_KEY_LEN], inc_seal_report_fn cb,
                            void *user, inc_seal_summary *summary);

/**
 * @brief Write a key as 64 lower-case hex digits.
 * @param key #INC_SEAL_KEY_LEN bytes.
 * @param[out] buf Receives the NUL-terminated text.
 * @param size Size of @p buf; #INC_SEAL_KEY_TEXT_MAX suffices.
 * @return #INC_OK, #INC_EINVAL (NULL argument), #INC_ETOOBIG (@p size too small).
 */
INC_API int inc_seal_key_format(const uint8_t key[INC_SEAL_KEY_LEN], char *buf, size_t size);

/**
 * @brief Read a key written by inc_seal_key_format(): exactly 64 hex digits
 *        (either case), nothing else.
 * @param text NUL-terminated text.
 * @param[out] key Receives #INC_SEAL_KEY_LEN bytes (unchanged on failure).
 * @return #INC_OK, #INC_EINVAL (NULL argument), #INC_EPARSE (not such a key).
 */
INC_API int inc_seal_key_parse(const char *text, uint8_t key[INC_SEAL_KEY_LEN]);

#ifdef __cplusplus
}
#endif

#endif
