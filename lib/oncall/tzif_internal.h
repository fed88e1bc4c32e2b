/* Time zones from TZif files (RFC 8536), read by the library itself: no
 * setenv("TZ"), no localtime_r, so zones are per context and thread-safe.
 *
 * A zone is immutable once loaded and reference-counted: the context's cache
 * holds one reference and every rotation using it another, so changing the
 * zone directory (which empties the cache) never leaves a rotation with a
 * dangling zone. Times here are whole seconds since the Unix epoch. */
#ifndef INC_TZ_INTERNAL_H
#define INC_TZ_INTERNAL_H

#include "incident/common.h"
#include "util/error.h"

/* Longest zone name accepted ("America/Argentina/ComodRivadavia" is 32). */
#define INC__ZONE_NAME_MAX 128
/* Largest TZif file read (the largest in tzdata is about 4 KiB). */
#define INC__TZIF_MAX (256u * 1024u)
/* The directory zones are read from unless the context says otherwise. */
#define INC__ZONEINFO_DIR "/usr/share/zoneinfo"

/* One rule of a POSIX TZ string: when daylight time starts or ends. */
typedef struct inc__tz_rule {
    char kind;    /* 'J': Jn, 1..365 without Feb 29; 'D': n, 0..365; 'M': Mm.w.d */
    int month;    /* 'M': 1..12 */
    int week;     /* 'M': 1..5 (5 = the last) */
    int wday;     /* 'M': 0..6, 0 = Sunday */
    int day;      /* 'J' and 'D': the day number */
    int32_t time; /* seconds after local midnight (-167h..167h, version 3) */
} inc__tz_rule;

/* A POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". Offsets are
 * seconds east of UTC (the string's sign is the other way round). */
typedef struct inc__posix_tz {
    char std_abbr[16];
    char dst_abbr[16];
    int32_t std_off;
    int32_t dst_off;
    int has_dst;
    inc__tz_rule start, end;
} inc__posix_tz;

/* A local time type of the file. */
typedef struct inc__tz_type {
    int32_t utoff;
    uint8_t isdst;
    uint16_t abbr; /* index into the zone's designations */
} inc__tz_type;

typedef struct inc__zone {
    inc_allocator alloc; /* a copy: the zone may outlive the handle that loaded it */
    unsigned refs;
    char *name;
    int version;       /* 1..4 */
    size_t count;      /* transitions */
    int64_t *times;    /* ascending */
    uint8_t *idx;      /* type of each transition */
    size_t type_count; /* at least 1 */
    inc__tz_type *types;
    char *chars; /* designations, NUL-separated */
    size_t char_count;
    int has_footer; /* a non-empty TZ string: the rule after the last transition */
    inc__posix_tz footer;
} inc__zone;

/* What is in force at one instant. */
typedef struct inc__tz_info {
    int32_t utoff; /* seconds east of UTC */
    int isdst;
    const char *abbr; /* owned by the zone */
} inc__tz_info;

/* 1 if @name may be used as a zone name: 1..INC__ZONE_NAME_MAX bytes of
 * [A-Za-z0-9_+-/], no "..", no leading '/', no empty component. Otherwise
 * records why in @err (which may be NULL) and returns 0. */
int inc__tz_name_valid(const char *name, inc_error *err);

/* Parse a POSIX TZ string (the TZif footer) of @len bytes. INC_OK or
 * INC_EPARSE. */
int inc__tz_posix_parse(const char *s, size_t len, inc__posix_tz *out);

/* Parse a TZif file held in memory. INC_OK, INC_ECORRUPT (message in @err
 * says what is wrong), INC_EVERSION (a version after 4), INC_ENOMEM. The new
 * zone has one reference. */
int inc__tz_parse(const inc_allocator *a, const char *name, const void *data, size_t len,
                  inc__zone **out, inc_error *err);

/* Read zone @name from directory @dir (NULL: INC__ZONEINFO_DIR). "UTC" is
 * built in and needs no file. INC_OK, INC_EINVAL (bad name), INC_ENOTFOUND
 * (no such zone; the message names it and the directory), INC_ECORRUPT,
 * INC_EVERSION, INC_EIO, INC_ENOMEM. */
int inc__tz_load(const inc_allocator *a, const char *dir, const char *name, inc__zone **out,
                 inc_error *err);

void inc__zone_ref(inc__zone *z);
/* Drop a reference; frees the zone with the last one. NULL is ignored. */
void inc__zone_unref(inc__zone *z);

/* What is in force at @t (seconds, UTC). */
void inc__zone_info(const inc__zone *z, int64_t t, inc__tz_info *out);
int32_t inc__zone_offset(const inc__zone *z, int64_t t);

/* The UTC instant (seconds) of local wall-clock time @local (seconds since
 * 1970-01-01T00:00 local, as if it were UTC). A local time that occurs
 * twice (a fall-back) gives the first occurrence; one that does not exist
 * (a spring-forward gap) gives the next valid minute, which is the instant
 * of the transition rounded up to a whole local minute. */
int64_t inc__zone_from_local(const inc__zone *z, int64_t local);

#endif
