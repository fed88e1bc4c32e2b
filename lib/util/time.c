/* Calendar arithmetic (UTC, proleptic Gregorian), ISO 8601 text, durations
 * and T+offsets. */
#include "util/time.h"

#include <stdio.h>
#include <string.h>

#include "incident/common.h"

/* Floor division and modulo, since C's / and % truncate toward zero. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b; /* not a - floor_div(a, b) * b: that overflows near INT64_MIN */
    return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
}

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms". */
int64_t inc__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void inc__civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t doe = days - era * 146097;                                   /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    unsigned dd = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

void inc__time_split(inc_time t, inc__tm *out)
{
    int64_t days = floor_div(t, INC__MS_PER_DAY);
    int64_t rest = floor_mod(t, INC__MS_PER_DAY); /* [0, day) */
    inc__civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (unsigned)(rest / INC__MS_PER_HOUR);
    out->minute = (unsigned)(rest / INC__MS_PER_MIN % 60);
    out->second = (unsigned)(rest / INC__MS_PER_SEC % 60);
    out->ms = (unsigned)(rest % 1000);
    out->weekday = (unsigned)floor_mod(days + 4, 7); /* 1970-01-01 was a Thursday */
}

/* Years beyond this cannot be represented in int64 milliseconds anyway; the
 * bound keeps days_from_civil far from overflow. */
#define YEAR_LIMIT 300000000LL

int inc__time_join(const inc__tm *tm, inc_time *out)
{
    if (tm->year < -YEAR_LIMIT || tm->year > YEAR_LIMIT || tm->month < 1 || tm->month > 12 ||
        tm->day < 1 || tm->day > days_in_month(tm->year, tm->month) || tm->hour > 23 ||
        tm->minute > 59 || tm->second > 59 || tm->ms > 999)
        return INC_EINVAL;
    int64_t days = inc__days_from_civil(tm->year, tm->month, tm->day);
    int64_t tod = tm->hour * INC__MS_PER_HOUR + tm->minute * INC__MS_PER_MIN +
                  tm->second * INC__MS_PER_SEC + tm->ms;
    /* days * DAY + tod without overflow: for negative days add one day to
     * days and take it back from tod, so the product stays in range. */
    if (days >= 0) {
        if (days > (INT64_MAX - tod) / INC__MS_PER_DAY)
            return INC_EINVAL;
        *out = days * INC__MS_PER_DAY + tod;
    } else {
        if (days + 1 < INT64_MIN / INC__MS_PER_DAY)
            return INC_EINVAL;
        int64_t base = (days + 1) * INC__MS_PER_DAY;
        int64_t back = tod - INC__MS_PER_DAY; /* [-DAY, 0) */
        if (base < INT64_MIN - back)
            return INC_EINVAL;
        *out = base + back;
    }
    return INC_OK;
}

void inc__date_format(inc_time t, char out[11])
{
    inc__tm tm;
    inc__time_split(t, &tm);
    /* Years outside 0..9999 do not fit the fixed width: clamp the text. */
    int64_t y = tm.year < 0 ? 0 : tm.year > 9999 ? 9999 : tm.year;
    snprintf(out, 11, "%04d-%02u-%02u", (int)y, tm.month % 100, tm.day % 100);
}

INC_API int inc_time_format(inc_time t, char *buf, size_t size)
{
    if (buf == NULL)
        return INC_EINVAL;
    inc__tm tm;
    inc__time_split(t, &tm);
    if (tm.year < 0 || tm.year > 9999)
        return INC_EINVAL;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", (int)tm.year, tm.month,
                     tm.day, tm.hour, tm.minute, tm.second, tm.ms);
    if (n < 0 || (size_t)n >= size)
        return INC_ETOOBIG;
    memcpy(buf, tmp, (size_t)n + 1);
    return INC_OK;
}

/* Read exactly @n decimal digits at *p; advances *p. -1 if not digits. */
static long read_digits(const char **p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    return v;
}

static int expect(const char **p, char c)
{
    if (**p != c)
        return 0;
    (*p)++;
    return 1;
}

/* The optional ":SS[.mmm]" part. Returns 0 on bad text. */
static int parse_seconds(const char **p, inc__tm *tm)
{
    if (!expect(p, ':'))
        return 1;
    long s = read_digits(p, 2);
    if (s < 0)
        return 0;
    tm->second = (unsigned)s;
    if (!expect(p, '.'))
        return 1;
    /* One to three fraction digits; more would silently lose precision. */
    unsigned ms = 0, scale = 100;
    int digits = 0;
    while (**p >= '0' && **p <= '9') {
        if (++digits > 3)
            return 0;
        ms += (unsigned)(**p - '0') * scale;
        scale /= 10;
        (*p)++;
    }
    tm->ms = ms;
    return digits > 0;
}

INC_API int inc_time_parse(const char *text, inc_time *out)
{
    if (text == NULL || out == NULL)
        return INC_EINVAL;
    inc__tm tm = {0};
    const char *p = text;
    long y = read_digits(&p, 4), mo, d, h, mi;
    if (y < 0 || !expect(&p, '-') || (mo = read_digits(&p, 2)) < 0 || !expect(&p, '-') ||
        (d = read_digits(&p, 2)) < 0)
        return INC_EPARSE;
    if (!expect(&p, 'T') && !expect(&p, 't') && !expect(&p, ' '))
        return INC_EPARSE;
    if ((h = read_digits(&p, 2)) < 0 || !expect(&p, ':') || (mi = read_digits(&p, 2)) < 0)
        return INC_EPARSE;
    if (!parse_seconds(&p, &tm))
        return INC_EPARSE;
    if ((!expect(&p, 'Z') && !expect(&p, 'z')) || *p != '\0')
        return INC_EPARSE;
    tm.year = y;
    tm.month = (unsigned)mo;
    tm.day = (unsigned)d;
    tm.hour = (unsigned)h;
    tm.minute = (unsigned)mi;
    inc_time t;
    if (inc__time_join(&tm, &t) != INC_OK)
        return INC_EPARSE; /* e.g. Feb 30 or 24:00 */
    *out = t;
    return INC_OK;
}

INC_API int inc_offset_format(int64_t offset_ms, char *buf, size_t size)
{
    if (buf == NULL)
        return INC_EINVAL;
    /* Magnitude in unsigned arithmetic so INT64_MIN is safe. */
    uint64_t mag = offset_ms < 0 ? 0 - (uint64_t)offset_ms : (uint64_t)offset_ms;
    uint64_t secs = mag / 1000;
    uint64_t h = secs / 3600, m = secs / 60 % 60, s = secs % 60;
    char sign = offset_ms < 0 && secs > 0 ? '-' : '+';
    char tmp[48];
    int n;
    if (h > 0)
        n = snprintf(tmp, sizeof tmp, "T%c%lluh%02llum%02llus", sign, (unsigned long long)h,
                     (unsigned long long)m, (unsigned long long)s);
    else if (m > 0)
        n = snprintf(tmp, sizeof tmp, "T%c%llum%02llus", sign, (unsigned long long)m,
                     (unsigned long long)s);
    else
        n = snprintf(tmp, sizeof tmp, "T%c%llus", sign, (unsigned long long)s);
    if (n < 0 || (size_t)n >= size)
        return INC_ETOOBIG;
    memcpy(buf, tmp, (size_t)n + 1);
    return INC_OK;
}

/* ---- durations ---- */

struct unit {
    const char *name;
    int64_t ms;
};

/* Largest first: parse requires this order, format produces it. */
static const struct unit units[] = {
    {"w", 7 * INC__MS_PER_DAY}, {"d", INC__MS_PER_DAY}, {"h", INC__MS_PER_HOUR},
    {"m", INC__MS_PER_MIN},     {"s", INC__MS_PER_SEC}, {"ms", 1},
};
#define NUNITS (sizeof units / sizeof units[0])

/* Index of the unit at s[i..len), longest match ("ms" before "m"). */
static int match_unit(const char *s, size_t len, size_t *i)
{
    if (*i + 1 < len && s[*i] == 'm' && s[*i + 1] == 's') {
        *i += 2;
        return (int)NUNITS - 1;
    }
    for (size_t u = 0; u + 1 < NUNITS; u++)
        if (*i < len && s[*i] == units[u].name[0]) {
            *i += 1;
            return (int)u;
        }
    return -1;
}

int inc__duration_parse(const char *s, size_t len, int64_t *out)
{
    if (s == NULL || len == 0)
        return INC_EPARSE;
    if (len == 4 && memcmp(s, "none", 4) == 0) {
        *out = INC_DURATION_NONE;
        return INC_OK;
    }
    int64_t total = 0;
    int last = -1; /* units must strictly decrease: "1h30m", not "30m1h" or "1m1m" */
    size_t i = 0;
    while (i < len) {
        if (s[i] < '0' || s[i] > '9')
            return INC_EPARSE;
        int64_t v = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (v > (INT64_MAX - 9) / 10)
                return INC_EPARSE;
            v = v * 10 + (s[i] - '0');
        }
        int u = match_unit(s, len, &i);
        if (u < 0 || u <= last)
            return INC_EPARSE;
        last = u;
        if (v > (INT64_MAX - total) / units[u].ms)
            return INC_EPARSE;
        total += v * units[u].ms;
    }
    *out = total;
    return INC_OK;
}

void inc__duration_format(int64_t ms, char out[48])
{
    if (ms == INC_DURATION_NONE) {
        memcpy(out, "none", 5);
        return;
    }
    if (ms == 0) {
        memcpy(out, "0s", 3);
        return;
    }
    size_t n = 0;
    /* Not a valid duration, but keep the text readable for messages. */
    uint64_t rest = ms < 0 ? 0 - (uint64_t)ms : (uint64_t)ms;
    if (ms < 0)
        out[n++] = '-';
    for (size_t u = 0; u < NUNITS; u++) {
        uint64_t q = rest / (uint64_t)units[u].ms;
        if (q == 0)
            continue;
        rest -= q * (uint64_t)units[u].ms;
        int k = snprintf(out + n, 48 - n, "%llu%s", (unsigned long long)q, units[u].name);
        if (k > 0)
            n += (size_t)k;
    }
    out[n] = '\0';
}
