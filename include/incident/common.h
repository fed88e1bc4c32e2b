/**
 * @file incident/common.h
 * @brief Status codes, versions, time, the allocator and error plumbing
 *        shared by every part of libincident.
 *
 * Every fallible call returns an `int`: #INC_OK (0) or a negative `INC_E*`
 * code. A detailed message for the last failure is kept on the handle the
 * call was made on (for example inc_context_errmsg()); there is no global
 * error state.
 */
#ifndef INCIDENT_COMMON_H
#define INCIDENT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Marks a symbol exported from the shared library. */
#if defined(_WIN32) && defined(INC_BUILDING_SHARED)
#define INC_API __declspec(dllexport)
#elif defined(__GNUC__)
#define INC_API __attribute__((visibility("default")))
#else
#define INC_API
#endif

/** @brief Major version. From 1.0 on it changes when the ABI breaks (it is
 *         the SONAME); before 1.0 the SONAME is MAJOR.MINOR (README). */
#define INC_VERSION_MAJOR 0
/** @brief Minor version: features added compatibly (from 1.0 on); before
 *         1.0 a minor release may break the ABI and changes the SONAME. */
#define INC_VERSION_MINOR 2
/** @brief Patch version: changes for fixes only. */
#define INC_VERSION_PATCH 0
/** @brief The version as a string, equal to what inc_version() returns. */
#define INC_VERSION_STRING "0.2.0"
/** @brief The version as one comparable number: major*10000 + minor*100 + patch. */
#define INC_VERSION_NUMBER (INC_VERSION_MAJOR * 10000 + INC_VERSION_MINOR * 100 + INC_VERSION_PATCH)

/** @brief Status codes. #INC_OK is zero; every failure is negative. */
typedef enum inc_status {
    INC_OK = 0,             /**< Success. */
    INC_ERROR = -1,         /**< An unspecified failure (a bug or an external error). */
    INC_ENOMEM = -2,        /**< An allocation failed; nothing was changed. */
    INC_EINVAL = -3,        /**< A bad argument: NULL, bad UTF-8, out of range; the
                                 message names the field. */
    INC_ENOTFOUND = -4,     /**< No such incident, level, role or item. */
    INC_EEXIST = -5,        /**< The thing being created exists already. */
    INC_ECONFLICT = -6,     /**< Another writer appended first: reload and retry. */
    INC_EPERM = -7,         /**< The actor lacks the authority (AUTH-1); the message
                                 names who has it. */
    INC_EROLE = -8,         /**< A role rule refused the change (strict policy). */
    INC_ESTATE = -9,        /**< The lifecycle forbids this move (LIFE-1). */
    INC_ECORRUPT = -10,     /**< Stored data failed a checksum, hash or format check. */
    INC_EIO = -11,          /**< An operating-system I/O call failed. */
    INC_ETOOBIG = -12,      /**< A string or document exceeds a documented bound. */
    INC_EPARSE = -13,       /**< A document (rubric text, JSON) is malformed; the
                                 message gives the line or offset. */
    INC_EVERSION = -14,     /**< A struct or format version this build does not know. */
    INC_EREADONLY = -15,    /**< The store was opened read-only. */
    INC_EUNSUPPORTED = -16, /**< The operation is not supported by this store or build. */
    INC_ELOCKED = -17       /**< A lock could not be taken. */
} inc_status;

/**
 * @brief A point in time: milliseconds since the Unix epoch, UTC (TL-3).
 */
typedef int64_t inc_time;

/** @brief "No time": an optional time that was not given. */
#define INC_TIME_NONE INT64_MIN

/** @brief A duration that is not set ("as needed", "not required"). */
#define INC_DURATION_NONE ((int64_t)-1)

/**
 * @brief The symbolic name of a status code, such as "INC_ECONFLICT".
 * @param status A status code.
 * @return A static string; "INC_E?" for a code this build does not know.
 *         Never NULL, never to be freed.
 */
INC_API const char *inc_status_name(int status);

/**
 * @brief A short English description of a status code.
 * @param status A status code.
 * @return A static string, never NULL, never to be freed.
 */
INC_API const char *inc_strerror(int status);

/**
 * @brief The library's version at run time.
 * @param[out] major Receives #INC_VERSION_MAJOR of the loaded library (may be NULL).
 * @param[out] minor Receives the minor version (may be NULL).
 * @param[out] patch Receives the patch version (may be NULL).
 * @return The version string, static, equal to #INC_VERSION_STRING of the
 *         headers the library was built with.
 */
INC_API const char *inc_version(int *major, int *minor, int *patch);

/**
 * @brief Allocator hooks. Every allocation the library makes goes through
 *        the allocator of the handle it is made for.
 *
 * Fill it with #INC_ALLOCATOR_INIT and set all three functions. Each
 * function receives inc_allocator::user. `realloc_fn` follows C realloc semantics
 * except that it is never called with size 0; `free_fn` is never called
 * with NULL. The struct is copied by the functions that take it.
 */
typedef struct inc_allocator {
    unsigned int version;                                    /**< #INC_ALLOCATOR_VERSION */
    void *(*malloc_fn)(void *user, size_t size);             /**< Allocate size bytes. */
    void *(*realloc_fn)(void *user, void *ptr, size_t size); /**< Resize a block. */
    void (*free_fn)(void *user, void *ptr);                  /**< Release a block. */
    void *user;                                              /**< Passed to each function. */
} inc_allocator;

/** @brief The current version of #inc_allocator. */
#define INC_ALLOCATOR_VERSION 1
/** @brief Initializer for #inc_allocator (all functions NULL: fill them). */
#define INC_ALLOCATOR_INIT                                                                         \
    {                                                                                              \
        INC_ALLOCATOR_VERSION, NULL, NULL, NULL, NULL                                              \
    }

/**
 * @brief Fill @p alloc with the defaults of #inc_allocator version @p version (what
 *        #INC_ALLOCATOR_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] alloc The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_ALLOCATOR_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p alloc is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_allocator_init(inc_allocator *alloc, unsigned int version);

/**
 * @brief The clock callback: returns the current UTC time in milliseconds
 *        since the Unix epoch.
 * @param user The pointer given with the callback.
 */
typedef inc_time (*inc_clock_fn)(void *user);

/**
 * @brief The system's UTC clock (CLOCK_REALTIME), the default clock.
 * @param user Ignored.
 * @return Milliseconds since the Unix epoch.
 */
INC_API inc_time inc_clock_system(void *user);

/**
 * @brief Free memory the library returned to the caller (strings, JSON
 *        documents, rendered text).
 *
 * Such memory remembers the allocator that made it, so it may be freed after
 * the handle it came from is gone.
 * @param ptr A pointer the library documented as "free with inc_free()", or NULL.
 */
INC_API void inc_free(void *ptr);

/**
 * @brief Where a failure's code and message are written; handed to store
 *        backends so they can relay a message (see incident/sys/store.h).
 */
typedef struct inc_error inc_error;

/**
 * @brief Record a failure in @p err with a printf-style message.
 * @param err The error sink (may be NULL, then only the code is returned).
 * @param code A negative status code.
 * @param fmt printf-style format of the message (truncated at 255 bytes).
 * @return @p code, so a backend can write `return inc_error_set(err, ...)`.
 */
INC_API int inc_error_set(inc_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/**
 * @brief A diagnostic for constructors that fail before a handle exists
 *        (parsers, importers). Any of them accepts NULL for it.
 */
typedef struct inc_diag {
    int code;          /**< The status code of the failure, #INC_OK if none. */
    unsigned line;     /**< 1-based line (text formats) or 0 when not applicable. */
    size_t offset;     /**< Byte offset in the input where the failure was found. */
    char message[256]; /**< NUL-terminated message naming the field or line. */
} inc_diag;

/**
 * @brief Format a time as ISO 8601 UTC with milliseconds, for example
 *        "2026-11-23T14:32:00.000Z" (TL-3).
 * @param t The time.
 * @param[out] buf Receives the text, NUL-terminated.
 * @param size Size of @p buf; 25 bytes always suffice.
 * @return #INC_OK, #INC_EINVAL if @p buf is NULL or @p t is out of the years 0..9999,
 *         #INC_ETOOBIG if @p size is too small.
 */
INC_API int inc_time_format(inc_time t, char *buf, size_t size);

/**
 * @brief Parse an ISO 8601 UTC time: "YYYY-MM-DDTHH:MM[:SS[.mmm]]Z"
 *        (a space may stand for the `T`).
 * @param text NUL-terminated text.
 * @param[out] out Receives the time.
 * @return #INC_OK, #INC_EINVAL if an argument is NULL, #INC_EPARSE if the
 *         text is not such a time.
 */
INC_API int inc_time_parse(const char *text, inc_time *out);

/**
 * @brief Format a duration as the offset from declaration, "T+1h02m03s"
 *        or "T-5m00s" (TL-3).
 *
 * The format is stable: "T", the sign, then whole hours (any number, no
 * days) with two-digit minutes and seconds ("T+26h00m05s"); below one hour,
 * minutes with two-digit seconds ("T+5m00s"); below one minute, seconds
 * ("T+42s"). Milliseconds are dropped (truncated toward zero), and an
 * offset under one second in size is "T+0s".
 * @param offset_ms Milliseconds (may be negative).
 * @param[out] buf Receives the text, NUL-terminated.
 * @param size Size of @p buf; 32 bytes always suffice.
 * @return #INC_OK, #INC_EINVAL if @p buf is NULL, #INC_ETOOBIG if @p size is too small.
 */
INC_API int inc_offset_format(int64_t offset_ms, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
