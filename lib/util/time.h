/* Calendar arithmetic (UTC, proleptic Gregorian) and durations. The public
 * inc_time_format(), inc_time_parse() and inc_offset_format() live in time.c. */
#ifndef INC_UTIL_TIME_H
#define INC_UTIL_TIME_H

#include "incident/common.h"

#define INC__MS_PER_SEC  1000LL
#define INC__MS_PER_MIN  (60LL * 1000)
#define INC__MS_PER_HOUR (60LL * 60 * 1000)
#define INC__MS_PER_DAY  (24LL * 60 * 60 * 1000)

/* The times the library keeps: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z.
 * Any difference of two of them, and any of them plus a duration of at
 * most INC__TIME_SPAN, fits in 64 bits. */
#define INC__TIME_MIN  (-62167219200000LL)
#define INC__TIME_MAX  253402300799999LL
#define INC__TIME_SPAN (INC__TIME_MAX - INC__TIME_MIN)

/* Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms). */
int64_t inc__days_from_civil(int64_t y, unsigned m, unsigned d);
void inc__civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

typedef struct inc__tm {
    int64_t year;
    unsigned month, day, hour, minute, second, ms;
    unsigned weekday; /* 0 = Sunday */
} inc__tm;
void inc__time_split(inc_time t, inc__tm *out);
/* Returns INC_EINVAL if a field is out of range (e.g. Feb 30). */
int inc__time_join(const inc__tm *tm, inc_time *out);

/* "YYYY-MM-DD" of a time into out (11 bytes). */
void inc__date_format(inc_time t, char out[11]);

/* Durations in the text formats: "none", or one or more <digits><unit>
 * with units w, d, h, m, s, ms (e.g. "15m", "1h30m", "2w", "500ms").
 * Formatting gives the canonical form: largest units first, zero parts
 * omitted ("1h30m"); 0 formats as "0s"; INC_DURATION_NONE (-1) formats
 * as "none". Parse requires each unit at most once, largest first ("1h30m",
 * "90m"; not "30m1h" or "1m1m"), no spaces, lower case.
 * Parse returns INC_OK, or INC_EPARSE for bad text / overflow. */
int inc__duration_parse(const char *s, size_t len, int64_t *out);
void inc__duration_format(int64_t ms, char out[48]);

#endif
