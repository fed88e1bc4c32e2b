/**
 * @file incident/journal.h
 * @brief The journal: the embedded, durable, tamper-evident default store.
 *
 * A journal is a directory with one append-only file per incident (the
 * format is documented in lib/docs/journal-format.md). Each record is
 * length-prefixed, checksummed with CRC32C and carries the SHA-256 of the
 * previous record of its incident, so the whole timeline is hash-chained
 * (RULES TL-2) independently of the event encoding.
 *
 * Opening the store costs nothing per incident: an incident's file is read
 * (and, after a crash, repaired) the first time a handle touches it, so
 * opening one incident costs that incident's events only.
 *
 * Several handles, in one process or in several, may use one journal at
 * once: appends take an exclusive `fcntl` lock on the incident's file and
 * check `expected_seq` under it; the loser gets #INC_ECONFLICT. Reads take
 * no lock. The lock excludes every other handle, of this process too
 * (open-file-description locks on Linux; elsewhere an in-process lock table
 * with POSIX locks, see lib/docs/journal-format.md, "Locks").
 *
 * Store-wide reads (inc_metrics_compute(), inc_action_list_query()) keep a
 * derived `SUMMARY` file in the directory so that an unchanged incident
 * costs one `fstatat` instead of a read of its file. It is never the record
 * (nothing else reads it), is rebuilt when missing, stale or damaged, and
 * may be deleted at any time; a read-only handle never writes it.
 *
 * A handle (the #inc_store returned) is used by one thread at a time.
 */
#ifndef INCIDENT_JOURNAL_H
#define INCIDENT_JOURNAL_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief When appended events are made durable (fdatasync). */
typedef enum inc_sync_policy {
    /**
     * Every append returns only once its events are on disk: the file is
     * fdatasync'ed, and when the append created the incident's file the
     * directory is fsync'ed too. After a power cut every event whose append
     * returned #INC_OK is there; an append that had not returned is there
     * entirely or not at all.
     */
    INC_SYNC_EVERY = 0,
    /**
     * Group commit: appends are written at once but made durable in groups.
     * The journal syncs every file it wrote (and the directory) when
     * inc_journal_options::group_count appends are pending, when the oldest
     * pending append is inc_journal_options::group_ms old (a flusher thread
     * of the handle sees to it even when the handle is idle; the clock
     * callback is also checked at each append), when inc_store_sync() is
     * called and when the store is freed. After a power cut every event
     * appended before the last completed sync is there; later events may be
     * lost, newest first per incident, never half an append.
     * inc_journal_stats::pending_events (inc_journal_get_stats()) says how
     * many are not yet durable. While a group is pending the handle keeps the
     * write lock of the incidents it appended to, so other writers of those
     * incidents wait for the group to be synced (at most group_ms).
     */
    INC_SYNC_GROUP = 1,
    /**
     * Never sync, except on an explicit inc_store_sync(). A process crash
     * loses nothing (the data is in the operating system's cache); a power
     * cut may lose any event appended since the last inc_store_sync(), but
     * recovery still keeps a checksummed, chained prefix of each incident.
     * For tests and throwaway drills.
     */
    INC_SYNC_NONE = 2
} inc_sync_policy;

/**
 * @brief What recovery set aside from (or, read-only or verifying, found in)
 *        one incident file (RULES TL-4).
 *
 * Recovery sets aside only bytes that no append completed and that nothing
 * proves were on disk (a torn tail, or a file with no complete append);
 * it moves them to a quarantine file next to the incident's file and
 * never deletes them (lib/docs/journal-format.md, "Recovery" and
 * "Quarantine").
 */
typedef struct inc_journal_recovery {
    const char *id;         /**< The incident id (valid during the callback only). */
    const char *file;       /**< The incident file's path (valid during the callback only). */
    uint64_t offset;        /**< Byte offset where the valid prefix ends (0: the whole file). */
    uint64_t bytes;         /**< Bytes from there to the end of the file: the torn tail. */
    uint64_t last_seq;      /**< Last event kept (0 if the file held no complete append). */
    int cut;                /**< 1 if the bytes were moved to @ref quarantine (the file cut at
                                 @ref offset, or, when it held no complete append, renamed
                                 whole); 0 when nothing was changed: a read-only handle, which
                                 reads the prefix, or inc_journal_verify(). */
    const char *quarantine; /**< Path of the quarantine file now holding the bytes (when
                                 @ref cut), else NULL. Valid during the callback only. */
    const char *why;        /**< Why the bytes were judged torn rather than corrupt: the
                                 check the first bad record failed, and that no valid record
                                 follows it and no sync of this handle covers it. Valid
                                 during the callback only. */
} inc_journal_recovery;

/**
 * @brief Called when recovery finds a torn tail (after a crash), and by
 *        inc_journal_verify() for a torn tail it finds.
 * @param user inc_journal_options::recovery_user.
 * @param rec What was found and done; valid during the call only.
 */
typedef void (*inc_journal_recovery_fn)(void *user, const inc_journal_recovery *rec);

/** @brief Options for inc_store_journal_open(). Fill with #INC_JOURNAL_OPTIONS_INIT or
 * inc_journal_options_init(). */
typedef struct inc_journal_options {
    unsigned int version;                /**< #INC_JOURNAL_OPTIONS_VERSION */
    inc_sync_policy sync;                /**< Sync policy; #INC_SYNC_EVERY by default. */
    unsigned int group_count;            /**< #INC_SYNC_GROUP: sync after this many appends
                                              (0 = 64). */
    unsigned int group_ms;               /**< #INC_SYNC_GROUP: sync when the oldest pending
                                              append is this old, in ms (0 = 1000). */
    int read_only;                       /**< Non-zero: open read-only (appends fail with
                                              #INC_EREADONLY; torn tails are ignored, not cut). */
    int must_exist;                      /**< Non-zero: fail with #INC_ENOTFOUND when the
                                              directory does not exist instead of creating it. */
    const inc_allocator *allocator;      /**< Copied; NULL for the C library's. */
    inc_clock_fn clock;                  /**< For the group time bound; NULL for
                                              inc_clock_system(). */
    void *clock_user;                    /**< Passed to @ref clock. */
    inc_journal_recovery_fn on_recovery; /**< Called for each torn tail found (and moved to
                                              quarantine); may be NULL (inc_journal_get_stats()
                                              still counts them). */
    void *recovery_user;                 /**< Passed to @ref on_recovery. */
    inc_diag *diag;                      /**< Receives the reason when inc_store_journal_open()
                                              fails (the message names the path); may be NULL. */
    /* Version 2: */
    int allow_shared; /**< Non-zero: open a directory that is writable by its group or by
                           others, or owned by another user than the effective uid. By
                           default such a store is refused (#INC_EPERM): whoever else can
                           write to the directory can plant a forged incident or remove a
                           real one. Set it only for a store deliberately shared, and
                           guarded otherwise. */
} inc_journal_options;

/** @brief The current version of #inc_journal_options (2; version 1, without
 *         inc_journal_options::allow_shared, is still accepted). */
#define INC_JOURNAL_OPTIONS_VERSION 2
/** @brief Initializer for #inc_journal_options: every default. */
#define INC_JOURNAL_OPTIONS_INIT                                                                   \
    {                                                                                              \
        INC_JOURNAL_OPTIONS_VERSION, INC_SYNC_EVERY, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL,     \
            NULL, 0                                                                                \
    }

/**
 * @brief Fill @p opts with the defaults of #inc_journal_options version @p version (what
 *        #INC_JOURNAL_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_JOURNAL_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_journal_options_init(inc_journal_options *opts, unsigned int version);

/**
 * @brief Open (or create) a journal in a directory.
 *
 * A missing directory is created with mode 0700 (its parent must exist)
 * unless inc_journal_options::must_exist or read_only is set. An existing
 * directory must be empty or hold a journal (its `JOURNAL` marker file), and
 * must not be shared with strangers: a directory writable by its group or
 * by others, or owned by another user than the effective uid, is refused
 * (#INC_EPERM, the message says how to fix it) unless
 * inc_journal_options::allow_shared is set. Files are created with mode
 * 0600 and a new directory 0700, whatever the umask. Opening reads nothing
 * but the marker: incidents are checked, and repaired after a crash, when
 * first touched.
 * @param dir Path of the directory.
 * @param opts Options, or NULL for every default.
 * @param[out] out Receives the store; free it with inc_store_free() (which,
 *        under #INC_SYNC_GROUP, syncs what is pending first).
 * @return #INC_OK; #INC_EINVAL (NULL argument, bad option, a path that is not
 *         a directory, a non-empty directory that is not a journal);
 *         #INC_ENOTFOUND (missing directory with must_exist or read_only);
 *         #INC_EVERSION (options version, or a journal of a newer format);
 *         #INC_EPERM (a directory shared with other users, see above);
 *         #INC_EIO (the system refused, e.g. permission denied); #INC_ENOMEM.
 *         *out is NULL on failure, and inc_journal_options::diag, if set,
 *         receives the code and a message naming the path.
 */
INC_API int inc_store_journal_open(const char *dir, const inc_journal_options *opts,
                                   inc_store **out);

/**
 * @brief Check one incident's file end to end: every record's CRC32C, the
 *        sequence numbers and the record-level SHA-256 chain (from the
 *        file header to the last record).
 *
 * Nothing is changed, whatever the handle. A damaged record followed by
 * any valid record is corruption (RULES TL-4), and so are damaged bytes
 * that this handle has itself synced: #INC_ECORRUPT. Damaged bytes after
 * the last valid record that nothing proves were on disk are a torn tail:
 * the prefix before it is checked, the call returns #INC_OK, and the tail
 * is reported to inc_journal_options::on_recovery with `cut` 0 and `why`
 * saying why it was judged torn (the next read or append of a writable
 * handle moves it to quarantine). Quarantine files already set aside are
 * listed by inc_journal_quarantine_list(). The rules:
 * lib/docs/journal-format.md, "Recovery".
 * @param store A store opened by inc_store_journal_open().
 * @param id The incident id.
 * @param[out] bad_seq Receives the number of the first record that fails (the
 *        first whose CRC fails, or whose stored hash of its predecessor does
 *        not match): 1-based, the number that record should have, which is
 *        the last valid record's number + 1; or 0 when all verify (a torn
 *        tail included). May be NULL.
 * @return #INC_OK; #INC_ECORRUPT (the message names the file, offset and
 *         record); #INC_ENOTFOUND (no incident, or a file holding no
 *         complete append, reported as a torn tail at offset 0);
 *         #INC_EINVAL (NULL, bad id, or a store that is not a journal);
 *         #INC_EIO; #INC_ENOMEM. The message is kept on the store
 *         (inc_store_errmsg()).
 */
INC_API int inc_journal_verify(inc_store *store, const char *id, uint64_t *bad_seq);

/** @brief One quarantine file, as inc_journal_quarantine_list() reports it. */
typedef struct inc_journal_quarantine {
    const char *id;   /**< The incident whose file the bytes came from (valid during the
                           callback only). */
    const char *file; /**< The quarantine file's path: the store directory and
                           `<id>.jnl.quarantine-<offset>` (or `...-<offset>.<n>` when that
                           name was taken). Valid during the callback only. */
    uint64_t offset;  /**< Offset the bytes had in the incident's file (0: the whole file,
                           set aside because it held no complete append). */
    uint64_t bytes;   /**< Size of the quarantine file. */
} inc_journal_quarantine;

/**
 * @brief Called for each quarantine file by inc_journal_quarantine_list().
 * @param user The @p user of inc_journal_quarantine_list().
 * @param q The file; valid during the call only.
 * @return 0 to go on; any other value stops the listing and is returned.
 */
typedef int (*inc_journal_quarantine_fn)(void *user, const inc_journal_quarantine *q);

/**
 * @brief List the quarantine files of a journal: the bytes recovery has
 *        set aside (torn tails, files with no complete append), which it
 *        never deletes (RULES TL-4).
 *
 * Quarantine files are never read as incidents (inc_store_list() and the
 * store-wide reads ignore them) and the journal never removes them: what
 * to do with them (inspect, restore, delete) is the operator's choice.
 * The order is the directory's.
 * @param store A store opened by inc_store_journal_open().
 * @param id Only the files of this incident; NULL for every incident.
 * @param cb Called for each file.
 * @param user Passed to @p cb.
 * @return #INC_OK; the callback's non-zero value; #INC_EINVAL (NULL store
 *         or callback, a bad id, a store that is not a journal); #INC_EIO
 *         (the directory cannot be read). The message is kept on the store.
 */
INC_API int inc_journal_quarantine_list(inc_store *store, const char *id,
                                        inc_journal_quarantine_fn cb, void *user);

/** @brief Counters of a journal handle, filled by inc_journal_stats(). */
typedef struct inc_journal_stats {
    unsigned int version;    /**< Set to #INC_JOURNAL_STATS_VERSION before the call. */
    uint64_t appends;        /**< Successful appends through this handle. */
    uint64_t events;         /**< Events they held. */
    uint64_t syncs;          /**< fdatasync/fsync calls made. */
    uint64_t pending_events; /**< Events appended but not yet durable (group, none). */
    uint64_t recoveries;     /**< Torn tails found by reads and appends (see
                                  #inc_journal_recovery; not those inc_journal_verify()
                                  reports). */
    uint64_t bytes_dropped;  /**< Bytes in those tails: moved to quarantine files by a
                                  writable handle (never deleted), ignored by a read-only
                                  one. */
    char last_recovery_id[INC_ID_MAX + 1]; /**< Incident of the last torn tail, or "". */
    /* Version 2: */
    uint64_t summary_hits;   /**< Store-wide reads (metrics, the action list): incidents
                                  taken from the `SUMMARY` file without reading their file. */
    uint64_t summary_misses; /**< Incidents those reads had to read (new, changed, or no
                                  usable `SUMMARY`). */
    uint64_t summary_writes; /**< Times this handle rewrote the `SUMMARY` file. */
} inc_journal_stats;

/** @brief The current version of #inc_journal_stats (2; version 1, without the summary
 *         counters, is still accepted). */
#define INC_JOURNAL_STATS_VERSION 2

/**
 * @brief Read the counters of a journal handle.
 * @param store A store opened by inc_store_journal_open().
 * @param[in,out] stats Set its version before the call to the version the
 *        caller was built against, 1..#INC_JOURNAL_STATS_VERSION: only that
 *        version's fields are written, and the version is left as set.
 * @return #INC_OK, #INC_EINVAL (NULL or not a journal), #INC_EVERSION (version
 *         0 or newer than this library; @p stats is unchanged).
 */
INC_API int inc_journal_get_stats(inc_store *store, inc_journal_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
