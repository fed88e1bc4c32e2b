/**
 * @file incident/pg.h
 * @brief The PostgreSQL store (libincident-pg, a separate library).
 *
 * Built when libpq is found (CMake option `INC_WITH_POSTGRESQL`), linked
 * with `-lincident-pg -lincident` (pkg-config `libincident-pg`). The store it
 * opens is an ordinary #inc_store: a context, the scheduler and the tools use
 * it as any other. Several processes on several hosts may share one
 * database: an append is one transaction, and the primary key on
 * (incident, seq) turns a lost race into #INC_ECONFLICT.
 *
 * Schema (created on first open, version recorded in `inc_schema`):
 * `inc_events(incident text, seq bigint, data bytea, PRIMARY KEY (incident,
 * seq))`. Every append notifies the channel `inc_events` with the incident
 * id as payload (inc_store_wait() listens to it).
 *
 * An append is one prepared statement, one round trip and one transaction
 * (the expected-number check, the insert and the notification in it; a
 * batch's records go as one `bytea[]` parameter); a batch of more than 200
 * records (or 64 MB) is one such statement per 200 inside one transaction.
 * A record larger than a PostgreSQL field holds (1 GB) is #INC_ETOOBIG.
 *
 * The bulk scan (inc_store_scan(): the metrics, the action lists, a
 * scheduler's first load) is one statement (a binary `COPY` of the table
 * in (incident, seq) order, one snapshot) whose rows stream to the
 * callback as the server sends them. While they stream the connection is
 * busy: a scan's callback that calls the same store gets #INC_ELOCKED (use
 * a second store handle); a callback that stops the scan (returns
 * non-zero) cancels the statement on the server, and the handle is ready
 * for the next call when the scan returns.
 *
 * The functions here are exported by libincident-pg, not libincident: they
 * are declared with `INC_PG_API` (their visibility), not `INC_API`.
 */
#ifndef INCIDENT_PG_H
#define INCIDENT_PG_H

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef INC_PG_API
#if defined(__GNUC__) || defined(__clang__)
/** @brief Marks a function exported by libincident-pg. */
#define INC_PG_API __attribute__((visibility("default")))
#else
#define INC_PG_API
#endif
#endif

/** @brief The schema version this library creates and reads. */
#define INC_PG_SCHEMA_VERSION 2

/** @brief Options of inc_pg_store_open(). */
typedef struct inc_pg_options {
    unsigned int version; /**< #INC_PG_OPTIONS_VERSION */
    /** Non-zero: neither create nor migrate the schema; an absent or older
     *  schema is then #INC_EVERSION (for roles without CREATE rights). */
    int no_migrate;
    /** Receives the reason when inc_pg_store_open() fails; may be NULL. */
    inc_diag *diag;
} inc_pg_options;

/** @brief The current version of #inc_pg_options. */
#define INC_PG_OPTIONS_VERSION 1
/** @brief Initializer for #inc_pg_options (the defaults). */
#define INC_PG_OPTIONS_INIT                                                                        \
    {                                                                                              \
        INC_PG_OPTIONS_VERSION, 0, NULL                                                            \
    }

/**
 * @brief Fill @p options with the defaults of version @p version.
 * @param[out] options The struct to fill.
 * @param version #INC_PG_OPTIONS_VERSION.
 * @return #INC_OK, #INC_EINVAL if @p options is NULL, #INC_EVERSION for an
 *         unknown version.
 */
INC_PG_API int inc_pg_options_init(inc_pg_options *options, unsigned int version);

/**
 * @brief Open (and on first use create) an incident store in a PostgreSQL
 *        database.
 * @param conninfo A libpq connection string (`host=... dbname=...` or a
 *        `postgresql://` URI). A password in it never appears in a message.
 * @param options Options, or NULL for the defaults.
 * @param[out] out Receives the store; free it with inc_store_free().
 * @return #INC_OK; #INC_EINVAL (NULL argument, unparsable conninfo);
 *         #INC_EIO (the server cannot be reached, authentication failed, a
 *         statement failed); #INC_EPERM (the role lacks the rights to create
 *         or read the tables); #INC_EVERSION (the database holds a newer
 *         schema than #INC_PG_SCHEMA_VERSION, or an older one and
 *         `no_migrate` is set, or an unknown options version);
 *         #INC_ENOMEM. The message goes to inc_pg_options::diag.
 */
INC_PG_API int inc_pg_store_open(const char *conninfo, const inc_pg_options *options,
                                 inc_store **out);

/**
 * @brief Whether a store string names a PostgreSQL database (it starts
 *        with `postgresql://` or `postgres://`), for programs that take
 *        either a journal directory or a database in one option.
 * @param spec The string (may be NULL).
 * @return 1 or 0.
 */
INC_PG_API int inc_pg_is_conninfo(const char *spec);

#ifdef __cplusplus
}
#endif

#endif
