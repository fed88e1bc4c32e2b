/* A TZif reader (RFC 8536; versions 1 to 4) and the POSIX TZ strings of
 * its footer, so that the library answers "what is the local time in
 * Europe/Berlin" from the system's zone files itself, per context, without
 * touching the process's TZ (setenv and localtime_r are not thread-safe
 * together). Version 1 files use their 32-bit data; later versions their
 * 64-bit data and the footer, which gives local time after the last
 * transition. Leap-second records are checked and ignored: times are POSIX
 * times, as in the rest of the library ("right/" zones are not meant). */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tzif_internal.h"
#include "util/alloc.h"
#include "util/time.h"

#define DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- names ----------------------------------------------------------------- */

int inc__tz_name_valid(const char *name, inc_error *err)
{
    size_t n, i;

    if (!name || !name[0])
        return inc_error_set(err, INC_EINVAL, "zone: the name must not be empty"), 0;
    n = strlen(name);
    if (n > INC__ZONE_NAME_MAX)
        return inc_error_set(err, INC_EINVAL, "zone: the name is longer than %d bytes",
                             INC__ZONE_NAME_MAX),
               0;
    if (strstr(name, ".."))
        return inc_error_set(err, INC_EINVAL, "zone '%.64s': '..' is not allowed in a zone name",
                             name),
               0;
    if (name[0] == '/' || name[n - 1] == '/' || strstr(name, "//"))
        return inc_error_set(err, INC_EINVAL,
                             "zone '%.64s': a zone name is relative, such as Europe/Berlin "
                             "(no leading, trailing or double '/')",
                             name),
               0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/'))
            return inc_error_set(err, INC_EINVAL,
                                 "zone '%.64s': character %zu is not one of A-Z a-z 0-9 _ + - /",
                                 name, i + 1),
                   0;
    }
    return 1;
}

/* ---- POSIX TZ strings ---------------------------------------------------------- */

static int is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A designation: three or more letters, or <...> of letters, digits, + and -. */
static int p_abbr(const char **ps, const char *e, char out[16])
{
    const char *s = *ps, *b;
    size_t n;

    if (s < e && *s == '<') {
        for (b = ++s; s < e && *s != '>'; s++)
            if (!is_alpha(*s) && !is_digit(*s) && *s != '+' && *s != '-')
                return -1;
        if (s == e)
            return -1;
        n = (size_t)(s++ - b);
    } else {
        for (b = s; s < e && is_alpha(*s);)
            s++;
        n = (size_t)(s - b);
    }
    if (n < 3 || n > 15)
        return -1;
    memcpy(out, b, n);
    out[n] = '\0';
    *ps = s;
    return 0;
}

/* Up to @digits decimal digits (at least one) no greater than @max. */
static int p_num(const char **ps, const char *e, int digits, int max, int *out)
{
    const char *s = *ps;
    int v = 0, k = 0;
    while (s < e && is_digit(*s) && k < digits) {
        v = v * 10 + (*s++ - '0');
        k++;
    }
    if (k == 0 || v > max || (s < e && is_digit(*s)))
        return -1;
    *ps = s;
    *out = v;
    return 0;
}

/* [+-]hh[:mm[:ss]] with hours up to @max_hours; the result keeps the sign
 * as written. */
static int p_hms(const char **ps, const char *e, int max_hours, int32_t *out)
{
    const char *s = *ps;
    int sign = 1, h, m = 0, sec = 0;

    if (s < e && (*s == '+' || *s == '-'))
        sign = *s++ == '-' ? -1 : 1;
    if (p_num(&s, e, 3, max_hours, &h))
        return -1;
    if (s < e && *s == ':') {
        s++;
        if (p_num(&s, e, 2, 59, &m))
            return -1;
        if (s < e && *s == ':') {
            s++;
            if (p_num(&s, e, 2, 59, &sec))
                return -1;
        }
    }
    *ps = s;
    *out = sign * (h * 3600 + m * 60 + sec);
    return 0;
}

/* Jn | n | Mm.w.d, then an optional /time (version 3: -167..167 hours). */
static int p_rule(const char **ps, const char *e, inc__tz_rule *r)
{
    const char *s = *ps;

    memset(r, 0, sizeof(*r));
    if (s < e && *s == 'J') {
        s++;
        r->kind = 'J';
        if (p_num(&s, e, 3, 365, &r->day) || r->day < 1)
            return -1;
    } else if (s < e && *s == 'M') {
        s++;
        r->kind = 'M';
        if (p_num(&s, e, 2, 12, &r->month) || r->month < 1 || s == e || *s++ != '.' ||
            p_num(&s, e, 1, 5, &r->week) || r->week < 1 || s == e || *s++ != '.' ||
            p_num(&s, e, 1, 6, &r->wday))
            return -1;
    } else {
        r->kind = 'D';
        if (p_num(&s, e, 3, 365, &r->day))
            return -1;
    }
    r->time = 2 * 3600; /* POSIX: 02:00 when not given */
    if (s < e && *s == '/') {
        s++;
        if (p_hms(&s, e, 167, &r->time))
            return -1;
    }
    *ps = s;
    return 0;
}

int inc__tz_posix_parse(const char *str, size_t len, inc__posix_tz *out)
{
    const char *s = str, *e = str + len;
    int32_t off;

    memset(out, 0, sizeof(*out));
    if (p_abbr(&s, e, out->std_abbr) || p_hms(&s, e, 24, &off))
        return INC_EPARSE;
    out->std_off = -off; /* POSIX counts west of UTC */
    if (s == e)
        return INC_OK;
    if (p_abbr(&s, e, out->dst_abbr))
        return INC_EPARSE;
    out->has_dst = 1;
    out->dst_off = out->std_off + 3600;
    if (s < e && *s != ',') {
        if (p_hms(&s, e, 24, &off))
            return INC_EPARSE;
        out->dst_off = -off;
    }
    /* RFC 8536 footers always give the rules with daylight time. */
    if (s == e || *s++ != ',' || p_rule(&s, e, &out->start) || s == e || *s++ != ',' ||
        p_rule(&s, e, &out->end) || s != e)
        return INC_EPARSE;
    return INC_OK;
}

/* ---- TZif files ------------------------------------------------------------------ */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzhead {
    int version;
    uint32_t isut, isstd, leap, time, type, chars;
};

struct reader {
    const char *name;
    inc_error *err;
};

static int corrupt(const struct reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int corrupt(const struct reader *r, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return inc_error_set(r->err, INC_ECORRUPT, "time zone '%.64s': %s", r->name, what);
}

#define HEAD_LEN 44

static int read_head(const struct reader *r, const uint8_t *p, size_t len, size_t off,
                     struct tzhead *h)
{
    if (len - off < HEAD_LEN)
        return corrupt(r, "file ends inside a header (%zu bytes at offset %zu, needs 44)",
                       len - off, off);
    if (memcmp(p + off, "TZif", 4) != 0)
        return corrupt(r, "no 'TZif' magic at offset %zu: not a TZif file", off);
    switch (p[off + 4]) {
    case 0:
        h->version = 1;
        break;
    case '2':
    case '3':
    case '4':
        h->version = p[off + 4] - '0';
        break;
    default:
        return inc_error_set(r->err, INC_EVERSION,
                             "time zone '%.64s': TZif version byte 0x%02x is not supported (this "
                             "build reads versions 1 to 4)",
                             r->name, p[off + 4]);
    }
    off += 20;
    h->isut = be32(p + off);
    h->isstd = be32(p + off + 4);
    h->leap = be32(p + off + 8);
    h->time = be32(p + off + 12);
    h->type = be32(p + off + 16);
    h->chars = be32(p + off + 20);
    if (h->type == 0 || h->type > 256)
        return corrupt(r, "%u local time types (must be 1 to 256)", h->type);
    if (h->chars == 0)
        return corrupt(r, "no time zone designations (charcnt is 0)");
    if ((h->isut != 0 && h->isut != h->type) || (h->isstd != 0 && h->isstd != h->type))
        return corrupt(r, "isutcnt %u / isstdcnt %u must be 0 or typecnt %u", h->isut, h->isstd,
                       h->type);
    return INC_OK;
}

/* Size of a data block with @tsize-byte times (counts are at most 2^32
 * each, so 64 bits cannot overflow). */
static uint64_t block_size(const struct tzhead *h, unsigned tsize)
{
    return (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 + h->chars +
           (uint64_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/* Check the block at @p (its size checked already) and copy it into @z. */
static int read_block(const struct reader *r, const uint8_t *p, const struct tzhead *h,
                      unsigned tsize, inc__zone *z)
{
    const uint8_t *idx = p + (size_t)h->time * tsize;
    const uint8_t *types = idx + h->time;
    const uint8_t *chars = types + (size_t)h->type * 6;
    const uint8_t *leaps = chars + h->chars;
    const uint8_t *flags = leaps + (size_t)h->leap * (tsize + 4);
    size_t i;

    for (i = 0; i < h->time; i++) {
        z->times[i] = tsize == 8 ? be64(p + i * 8) : (int64_t)(int32_t)be32(p + i * 4);
        if (i > 0 && z->times[i] <= z->times[i - 1])
            return corrupt(r, "transition %zu is not after transition %zu", i + 1, i);
        if (idx[i] >= h->type)
            return corrupt(r, "transition %zu names local time type %u of %u", i + 1, idx[i],
                           h->type);
        z->idx[i] = idx[i];
    }
    for (i = 0; i < h->type; i++) {
        const uint8_t *t = types + i * 6;
        int32_t utoff = (int32_t)be32(t);
        /* RFC 8536: -89999..93599 (UT-24:59:59..UT+25:59:59). */
        if (utoff < -89999 || utoff > 93599)
            return corrupt(r, "local time type %zu has UT offset %ld s (out of range)", i,
                           (long)utoff);
        if (t[4] > 1)
            return corrupt(r, "local time type %zu has isdst %u (must be 0 or 1)", i, t[4]);
        if (t[5] >= h->chars || !memchr(chars + t[5], '\0', h->chars - t[5]))
            return corrupt(r, "local time type %zu has a designation outside the %u bytes", i,
                           h->chars);
        z->types[i].utoff = utoff;
        z->types[i].isdst = t[4];
        z->types[i].abbr = t[5];
    }
    for (i = 0; i + 1 < h->leap; i++) {
        int64_t a = tsize == 8 ? be64(leaps + i * 12) : (int32_t)be32(leaps + i * 8);
        int64_t b = tsize == 8 ? be64(leaps + (i + 1) * 12) : (int32_t)be32(leaps + (i + 1) * 8);
        if (b <= a)
            return corrupt(r, "leap-second record %zu is not after record %zu", i + 2, i + 1);
    }
    for (i = 0; i < (size_t)h->isstd + h->isut; i++)
        if (flags[i] > 1)
            return corrupt(r, "standard/UT indicator %zu is %u (must be 0 or 1)", i, flags[i]);
    memcpy(z->chars, chars, h->chars);
    return INC_OK;
}

/* One allocation holds the zone and its arrays: [zone][times][types][idx]
 * [chars][name]. */
static inc__zone *zone_alloc(const inc_allocator *a, const char *name, const struct tzhead *h)
{
    size_t head = (sizeof(inc__zone) + 7) & ~(size_t)7;
    size_t n = strlen(name) + 1;
    size_t size = head + (size_t)h->time * 8 + (size_t)h->type * sizeof(inc__tz_type) + h->time +
                  h->chars + n;
    char *mem = inc__malloc(a, size);
    inc__zone *z = (inc__zone *)(void *)mem;

    if (!mem)
        return NULL;
    memset(z, 0, sizeof(*z));
    z->alloc = *a;
    z->refs = 1;
    z->version = h->version;
    z->count = h->time;
    z->type_count = h->type;
    z->char_count = h->chars;
    z->times = (int64_t *)(void *)(mem + head);
    z->types = (inc__tz_type *)(void *)(mem + head + (size_t)h->time * 8);
    z->idx = (uint8_t *)(z->types + h->type);
    z->chars = (char *)(z->idx + h->time);
    z->name = z->chars + h->chars;
    memcpy(z->name, name, n);
    return z;
}

static int read_footer(const struct reader *r, const uint8_t *p, size_t len, size_t off,
                       inc__zone *z)
{
    const uint8_t *nl;

    if (off >= len)
        return corrupt(r, "the footer (a TZ string between newlines) is missing");
    if (p[off] != '\n')
        return corrupt(r, "the footer does not start with a newline (byte 0x%02x at offset %zu)",
                       p[off], off);
    off++;
    if (!(nl = memchr(p + off, '\n', len - off)))
        return corrupt(r, "the footer's TZ string has no closing newline");
    if (nl == p + off)
        return INC_OK; /* empty: the last transition's type holds from then on */
    if (inc__tz_posix_parse((const char *)p + off, (size_t)(nl - (p + off)), &z->footer) != INC_OK)
        return corrupt(r, "footer TZ string '%.*s' is not valid",
                       (int)(nl - (p + off) > 60 ? 60 : nl - (p + off)), (const char *)p + off);
    z->has_footer = 1;
    return INC_OK;
}

int inc__tz_parse(const inc_allocator *a, const char *name, const void *data, size_t len,
                  inc__zone **out, inc_error *err)
{
    const uint8_t *p = data;
    struct reader r;
    struct tzhead h;
    uint64_t need;
    size_t off = 0;
    unsigned tsize = 4;
    inc__zone *z;
    int rc;

    r.name = name;
    r.err = err;
    *out = NULL;
    if ((rc = read_head(&r, p, len, 0, &h)) != INC_OK)
        return rc;
    need = block_size(&h, 4);
    if (h.version >= 2) {
        /* Skip the 32-bit block: the 64-bit one after it is authoritative. */
        if (need > len - HEAD_LEN)
            return corrupt(&r, "file ends inside the version 1 data block (%zu bytes, needs %llu)",
                           len, (unsigned long long)(need + HEAD_LEN));
        off = HEAD_LEN + (size_t)need;
        if ((rc = read_head(&r, p, len, off, &h)) != INC_OK)
            return rc;
        tsize = 8;
        need = block_size(&h, 8);
    }
    off += HEAD_LEN;
    if (need > len - off)
        return corrupt(&r, "file ends inside the version %d data block (%zu bytes, needs %llu)",
                       h.version, len, (unsigned long long)(off + need));
    if (!(z = zone_alloc(a, name, &h)))
        return inc__error_oom(err);
    rc = read_block(&r, p + off, &h, tsize, z);
    if (rc == INC_OK && h.version >= 2)
        rc = read_footer(&r, p, len, off + (size_t)need, z);
    if (rc != INC_OK) {
        inc__free(a, z);
        return rc;
    }
    *out = z;
    return INC_OK;
}

/* UTC needs no file: a zone without transitions whose one type is UTC. */
static int make_utc(const inc_allocator *a, inc__zone **out, inc_error *err)
{
    struct tzhead h;
    inc__zone *z;

    memset(&h, 0, sizeof(h));
    h.version = 2;
    h.type = 1;
    h.chars = 4;
    if (!(z = zone_alloc(a, "UTC", &h)))
        return inc__error_oom(err);
    memcpy(z->chars, "UTC", 4);
    z->types[0].utoff = 0;
    z->types[0].isdst = 0;
    z->types[0].abbr = 0;
    *out = z;
    return INC_OK;
}

static int read_file(const inc_allocator *a, const char *path, const char *name, uint8_t **buf,
                     size_t *len, inc_error *err, const char *dir)
{
    struct stat st;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return inc_error_set(err, INC_ENOTFOUND, "time zone '%.64s' not found in %.150s", name,
                                 dir);
        return inc_error_set(err, INC_EIO, "time zone '%.64s': %.150s: %s", name, path,
                             strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return inc_error_set(err, INC_ENOTFOUND,
                             "time zone '%.64s' not found in %.150s (not a file)", name, dir);
    }
    if ((uint64_t)st.st_size > INC__TZIF_MAX) {
        close(fd);
        return inc_error_set(err, INC_ECORRUPT,
                             "time zone '%.64s': file of %lld bytes is larger than %u", name,
                             (long long)st.st_size, INC__TZIF_MAX);
    }
    if (!(*buf = inc__malloc(a, (size_t)st.st_size + 1))) {
        close(fd);
        return inc__error_oom(err);
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : 0;
            close(fd);
            inc__free(a, *buf);
            *buf = NULL;
            return inc_error_set(err, INC_EIO, "time zone '%.64s': reading %.150s: %s", name, path,
                                 e ? strerror(e) : "file shrank");
        }
        got += (size_t)n;
    }
    close(fd);
    *len = got;
    return INC_OK;
}

int inc__tz_load(const inc_allocator *a, const char *dir, const char *name, inc__zone **out,
                 inc_error *err)
{
    char path[4096 + INC__ZONE_NAME_MAX + 2];
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    if (!inc__tz_name_valid(name, err))
        return INC_EINVAL;
    if (strcmp(name, "UTC") == 0)
        return make_utc(a, out, err);
    if (!dir)
        dir = INC__ZONEINFO_DIR;
    if (strlen(dir) > 4096)
        return inc_error_set(err, INC_EINVAL, "zone directory: longer than 4096 bytes");
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((rc = read_file(a, path, name, &buf, &len, err, dir)) != INC_OK)
        return rc;
    rc = inc__tz_parse(a, name, buf, len, out, err);
    inc__free(a, buf);
    return rc;
}

void inc__zone_ref(inc__zone *z)
{
    z->refs++;
}

void inc__zone_unref(inc__zone *z)
{
    if (z && --z->refs == 0) {
        inc_allocator a = z->alloc;
        inc__free(&a, z);
    }
}

/* ---- lookups ----------------------------------------------------------------------- */

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* The day (since the epoch) a rule names in @year. */
static int64_t rule_day(const inc__tz_rule *r, int64_t year)
{
    int64_t first;
    int d;

    if (r->kind == 'J')
        return inc__days_from_civil(year, 1, 1) + r->day - 1 + (is_leap(year) && r->day >= 60);
    if (r->kind == 'D')
        return inc__days_from_civil(year, 1, 1) + r->day;
    first = inc__days_from_civil(year, (unsigned)r->month, 1);
    /* 1970-01-01 was a Thursday (4). */
    d = (int)((r->wday - (first + 4) % 7 + 14) % 7) + (r->week - 1) * 7;
    while (d >= month_days(year, r->month))
        d -= 7; /* week 5: the last such weekday */
    return first + d;
}

static void footer_info(const inc__zone *z, int64_t t, inc__tz_info *out)
{
    const inc__posix_tz *p = &z->footer;
    int64_t y, start, end;
    unsigned m, d;
    int dst;

    out->utoff = p->std_off;
    out->isdst = 0;
    out->abbr = p->std_abbr;
    if (!p->has_dst)
        return;
    /* The year by standard time: the rules' dates are local dates. */
    inc__civil_from_days(floor_div(t + p->std_off, DAY), &y, &m, &d);
    start = rule_day(&p->start, y) * DAY + p->start.time - p->std_off;
    end = rule_day(&p->end, y) * DAY + p->end.time - p->dst_off;
    dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    if (dst) {
        out->utoff = p->dst_off;
        out->isdst = 1;
        out->abbr = p->dst_abbr;
    }
}

static void type_info(const inc__zone *z, size_t type, inc__tz_info *out)
{
    out->utoff = z->types[type].utoff;
    out->isdst = z->types[type].isdst;
    out->abbr = z->chars + z->types[type].abbr;
}

/* Bound the instants looked up so that the calendar arithmetic cannot
 * overflow (about +-292 million years either way). */
#define T_LIMIT ((int64_t)9000000000000000LL / 1000)

void inc__zone_info(const inc__zone *z, int64_t t, inc__tz_info *out)
{
    size_t lo, hi;

    if (t > T_LIMIT)
        t = T_LIMIT;
    if (t < -T_LIMIT)
        t = -T_LIMIT;
    if (z->count == 0) {
        if (z->has_footer)
            footer_info(z, t, out);
        else
            type_info(z, 0, out);
        return;
    }
    if (t < z->times[0]) {
        type_info(z, 0, out); /* RFC 8536: type 0 before the first transition */
        return;
    }
    if (t >= z->times[z->count - 1] && z->has_footer) {
        footer_info(z, t, out);
        return;
    }
    /* The last transition at or before t. */
    lo = 0;
    hi = z->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->times[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    type_info(z, z->idx[lo], out);
}

int32_t inc__zone_offset(const inc__zone *z, int64_t t)
{
    inc__tz_info info;
    inc__zone_info(z, t, &info);
    return info.utoff;
}

int64_t inc__zone_from_local(const inc__zone *z, int64_t local)
{
    int32_t a = inc__zone_offset(z, local - DAY), b = inc__zone_offset(z, local + DAY);
    int32_t cand[4];
    int64_t best = INT64_MAX, lo, hi, t;
    int32_t off_lo, o;
    size_t i;

    /* Most of the time nothing changes within a day either side. */
    if (a == b && inc__zone_offset(z, local - a) == a)
        return local - a;
    /* The offsets in force a day either side (and what they lead to) are the
     * only candidates: no zone changes its offset twice within two days. */
    cand[0] = a;
    cand[1] = b;
    cand[2] = inc__zone_offset(z, local - a);
    cand[3] = inc__zone_offset(z, local - b);
    for (i = 0; i < 4; i++) {
        t = local - cand[i];
        if (inc__zone_offset(z, t) == cand[i] && t < best)
            best = t; /* the earliest: the first occurrence of a repeated time */
    }
    if (best != INT64_MAX)
        return best;
    /* A gap: the clock jumped over @local. Find the transition between the
     * two readings and take the first whole local minute at or after it. */
    lo = local - (a > b ? a : b);
    hi = local - (a > b ? b : a);
    off_lo = inc__zone_offset(z, lo);
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (inc__zone_offset(z, mid) == off_lo)
            lo = mid;
        else
            hi = mid;
    }
    o = inc__zone_offset(z, hi);
    t = floor_div(hi + o + 59, 60) * 60; /* local, rounded up to the minute */
    return t - o;
}
