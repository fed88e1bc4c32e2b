/* Time zones read by the library itself (ONC-1): the TZif reader (RFC 8536,
 * versions 1 to 3) on real zone data for Europe/Berlin and America/New_York
 * and on files built here, the POSIX TZ footer, the hand-off rules for
 * local times that do not exist or exist twice, unknown and damaged zones
 * (clear errors, never a crash), the per-context cache and allocation
 * failure. The C library's localtime_r is used only here, as an
 * independent reference over many zones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"
#include "oncall/tzif_internal.h"
#include "util/alloc.h"

#define ZONEINFO "/usr/share/zoneinfo"

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

static inc_context *ctx_new(void)
{
    inc_context *ctx = NULL;
    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    return ctx;
}

static int zoneinfo_present(void)
{
    struct stat st;
    return stat(ZONEINFO "/Europe/Berlin", &st) == 0 &&
           stat(ZONEINFO "/America/New_York", &st) == 0;
}

/* tzdata is a test dependency (.ci installs it): fail loudly without it. */
static void require_zoneinfo(void)
{
    if (!zoneinfo_present())
        fail_msg("tzdata is not installed (" ZONEINFO "): install the package 'tzdata'");
}

static void expect_local(inc_context *ctx, const char *zone, const char *utc, int32_t off, int dst,
                         const char *abbr)
{
    inc_local_time lt;
    int rc = inc_zone_to_local(ctx, zone, at(utc), &lt);
    if (rc != INC_OK)
        fail_msg("%s: %s", zone, inc_context_errmsg(ctx));
    if (lt.utc_offset != off || lt.is_dst != dst || strcmp(lt.abbr, abbr) != 0)
        fail_msg("%s at %s: got %d %d %s, want %d %d %s", zone, utc, (int)lt.utc_offset, lt.is_dst,
                 lt.abbr, (int)off, dst, abbr);
}

static inc_time from_local(inc_context *ctx, const char *zone, int y, unsigned mo, unsigned d,
                           unsigned h, unsigned mi)
{
    inc_local_time lt;
    inc_time t;
    memset(&lt, 0, sizeof(lt));
    lt.year = y;
    lt.month = mo;
    lt.day = d;
    lt.hour = h;
    lt.minute = mi;
    assert_int_equal(inc_zone_from_local(ctx, zone, &lt, &t), INC_OK);
    return t;
}

/* ---- real zone data ----------------------------------------------------------- */

static void test_ONC_01_berlin_transitions_2026_and_2100(void **state)
{
    inc_context *ctx;
    (void)state;
    require_zoneinfo();
    ctx = ctx_new();
    expect_local(ctx, "Europe/Berlin", "2026-03-29T00:59:59Z", 3600, 0, "CET");
    expect_local(ctx, "Europe/Berlin", "2026-03-29T01:00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Europe/Berlin", "2026-10-25T00:59:59Z", 7200, 1, "CEST");
    expect_local(ctx, "Europe/Berlin", "2026-10-25T01:00:00Z", 3600, 0, "CET");
    /* 2100 lies past the file's table: the footer's rule answers. */
    expect_local(ctx, "Europe/Berlin", "2100-03-28T00:59:59Z", 3600, 0, "CET");
    expect_local(ctx, "Europe/Berlin", "2100-03-28T01:00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Europe/Berlin", "2100-10-31T00:59:59Z", 7200, 1, "CEST");
    expect_local(ctx, "Europe/Berlin", "2100-10-31T01:00:00Z", 3600, 0, "CET");
    inc_context_free(ctx);
}

static void test_ONC_01_new_york_transitions_2026_and_2100(void **state)
{
    inc_context *ctx;
    inc_local_time lt;
    (void)state;
    require_zoneinfo();
    ctx = ctx_new();
    expect_local(ctx, "America/New_York", "2026-03-08T06:59:59Z", -18000, 0, "EST");
    expect_local(ctx, "America/New_York", "2026-03-08T07:00:00Z", -14400, 1, "EDT");
    expect_local(ctx, "America/New_York", "2026-11-01T05:59:59Z", -14400, 1, "EDT");
    expect_local(ctx, "America/New_York", "2026-11-01T06:00:00Z", -18000, 0, "EST");
    expect_local(ctx, "America/New_York", "2100-03-14T07:00:00Z", -14400, 1, "EDT");
    expect_local(ctx, "America/New_York", "2100-11-07T05:59:59Z", -14400, 1, "EDT");
    expect_local(ctx, "America/New_York", "2100-11-07T06:00:00Z", -18000, 0, "EST");
    /* The local fields: 07:00Z on 2026-03-08 is 03:00 EDT, a Sunday. */
    assert_int_equal(
        inc_zone_to_local(ctx, "America/New_York", at("2026-03-08T07:00:00.250Z"), &lt), INC_OK);
    assert_int_equal(lt.year, 2026);
    assert_int_equal(lt.month, 3);
    assert_int_equal(lt.day, 8);
    assert_int_equal(lt.hour, 3);
    assert_int_equal(lt.minute, 0);
    assert_int_equal(lt.ms, 250);
    assert_int_equal(lt.weekday, 0);
    inc_context_free(ctx);
}

/* ONC-1's documented rules: a missing local time moves to the next valid
 * minute; a repeated one is the first occurrence. */
static void test_ONC_01_local_gap_and_overlap_rules(void **state)
{
    inc_context *ctx;
    (void)state;
    require_zoneinfo();
    ctx = ctx_new();
    /* Berlin: 02:00-03:00 does not exist on 2026-03-29; 02:00-03:00 is
     * repeated on 2026-10-25. */
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 3, 29, 2, 30),
                     at("2026-03-29T01:00:00Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 3, 29, 2, 0), at("2026-03-29T01:00Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 3, 29, 3, 0), at("2026-03-29T01:00Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 3, 29, 1, 59), at("2026-03-29T00:59Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 10, 25, 2, 30),
                     at("2026-10-25T00:30:00Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 10, 25, 3, 0), at("2026-10-25T02:00Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 7, 1, 10, 0), at("2026-07-01T08:00Z"));
    assert_int_equal(from_local(ctx, "Europe/Berlin", 2026, 1, 5, 10, 0), at("2026-01-05T09:00Z"));
    /* New York: 02:00-03:00 missing on 2026-03-08, 01:00-02:00 twice on 2026-11-01. */
    assert_int_equal(from_local(ctx, "America/New_York", 2026, 3, 8, 2, 30),
                     at("2026-03-08T07:00:00Z"));
    assert_int_equal(from_local(ctx, "America/New_York", 2026, 11, 1, 1, 30),
                     at("2026-11-01T05:30:00Z"));
    assert_int_equal(from_local(ctx, "America/New_York", 2026, 11, 1, 2, 0),
                     at("2026-11-01T07:00:00Z"));
    /* Past the table (footer rules). */
    assert_int_equal(from_local(ctx, "America/New_York", 2100, 3, 14, 2, 15),
                     at("2100-03-14T07:00:00Z"));
    assert_int_equal(from_local(ctx, "America/New_York", 2100, 11, 7, 1, 15),
                     at("2100-11-07T05:15:00Z"));
    inc_context_free(ctx);
}

/* Every transition of real files, and samples over two centuries, agree
 * with the C library (an independent reader of the same files). */
static void compare_with_libc(const char *zone)
{
    char tz[160];
    inc_error err = {0, ""};
    inc__zone *z = NULL;
    inc_allocator a;
    size_t i;
    int64_t t;

    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    if (inc__tz_load(&a, NULL, zone, &z, &err) != INC_OK)
        fail_msg("%s: %s", zone, err.msg);
    snprintf(tz, sizeof(tz), ":%s", zone);
    setenv("TZ", tz, 1);
    tzset();
    for (i = 0; i < z->count + 1; i++) {
        int64_t base = i < z->count ? z->times[i] : 0;
        for (t = base - 1; t <= base + 1; t++) {
            struct tm tm;
            time_t tt = (time_t)t;
            inc__tz_info info;
            if (!localtime_r(&tt, &tm))
                continue;
            inc__zone_info(z, t, &info);
            if (info.utoff != tm.tm_gmtoff || info.isdst != (tm.tm_isdst > 0))
                fail_msg("%s at %lld: %d/%d, libc %ld/%d", zone, (long long)t, (int)info.utoff,
                         info.isdst, (long)tm.tm_gmtoff, tm.tm_isdst);
        }
    }
    for (t = -2208988800LL; t < 4102444800LL; t += 13 * 3600 + 7 * 60 + 11) {
        struct tm tm;
        time_t tt = (time_t)t;
        inc__tz_info info;
        assert_non_null(localtime_r(&tt, &tm));
        inc__zone_info(z, t, &info);
        if (info.utoff != tm.tm_gmtoff || info.isdst != (tm.tm_isdst > 0) ||
            strcmp(info.abbr, tm.tm_zone) != 0)
            fail_msg("%s at %lld: %d/%d/%s, libc %ld/%d/%s", zone, (long long)t, (int)info.utoff,
                     info.isdst, info.abbr, (long)tm.tm_gmtoff, tm.tm_isdst, tm.tm_zone);
    }
    inc__zone_unref(z);
}

static void test_ONC_01_agrees_with_the_c_library(void **state)
{
    static const char *const zones[] = {
        "Europe/Berlin",    "America/New_York", "America/Nuuk",        "Asia/Jerusalem",
        "America/Santiago", "Pacific/Chatham",  "Australia/Lord_Howe", "Africa/Casablanca",
        "Europe/London",    "Asia/Kolkata",     "Australia/Sydney",    "America/St_Johns",
        "Asia/Tehran",      "Pacific/Apia",     "Europe/Dublin",       "UTC",
    };
    size_t i;
    (void)state;
    require_zoneinfo();
    for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
        compare_with_libc(zones[i]);
    unsetenv("TZ");
}

/* ---- the footer (POSIX TZ strings) ------------------------------------------------ */

static void test_ONC_01_posix_tz_strings(void **state)
{
    static const char *const bad[] = {
        "",
        "CE",
        "CET",
        "CET-1CEST",
        "CET-1CEST,M13.5.0,M10.5.0",
        "EST5EDT,M3.2.0/168,M11.1.0",
        "EST5EDT,M3.2.0,M11.1.0x",
        "EST25",
        "<AB>5",
        "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0",
        "EST5EDT,J0,J365",
        "EST5EDT,366,1",
        "<+01-1",
        "EST5EDT,M3.2.0,",
    };
    inc__posix_tz p;
    size_t i;
    (void)state;

    assert_int_equal(inc__tz_posix_parse("CET-1CEST,M3.5.0,M10.5.0/3", 26, &p), INC_OK);
    assert_string_equal(p.std_abbr, "CET");
    assert_string_equal(p.dst_abbr, "CEST");
    assert_int_equal(p.std_off, 3600);
    assert_int_equal(p.dst_off, 7200);
    assert_int_equal(p.start.kind, 'M');
    assert_int_equal(p.start.month, 3);
    assert_int_equal(p.start.week, 5);
    assert_int_equal(p.start.time, 7200);
    assert_int_equal(p.end.time, 3 * 3600);
    assert_int_equal(inc__tz_posix_parse("EST5EDT,M3.2.0,M11.1.0", 22, &p), INC_OK);
    assert_int_equal(p.std_off, -5 * 3600);
    assert_int_equal(p.dst_off, -4 * 3600);
    /* Version 3: negative and beyond-24h rule times, and <...> names. */
    assert_int_equal(inc__tz_posix_parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 31, &p), INC_OK);
    assert_string_equal(p.std_abbr, "-02");
    assert_int_equal(p.start.time, -3600);
    assert_int_equal(inc__tz_posix_parse("IST-2IDT,M3.4.4/26,M10.5.0", 26, &p), INC_OK);
    assert_int_equal(p.start.time, 26 * 3600);
    assert_int_equal(inc__tz_posix_parse("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 44, &p),
                     INC_OK);
    assert_int_equal(p.std_off, 12 * 3600 + 45 * 60);
    assert_int_equal(p.end.time, 3 * 3600 + 45 * 60);
    assert_int_equal(inc__tz_posix_parse("<+01>-1", 7, &p), INC_OK);
    assert_false(p.has_dst);
    assert_int_equal(inc__tz_posix_parse("EST5EDT4,J60/1,300", 18, &p), INC_OK);
    assert_int_equal(p.start.kind, 'J');
    assert_int_equal(p.end.kind, 'D');
    assert_int_equal(p.dst_off, -4 * 3600);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (inc__tz_posix_parse(bad[i], strlen(bad[i]), &p) != INC_EPARSE)
            fail_msg("accepted '%s'", bad[i]);
}

/* ---- files built here ----------------------------------------------------------------- */

/* A TZif writer for the tests: @n transitions at @times with types @idx,
 * types (utoff, isdst, designation index), designations @chars of @nchars
 * bytes, and for version >= 2 the footer @footer (NULL: none at all). */
typedef struct tzfile {
    uint8_t b[8192];
    size_t len;
} tzfile;

static void put32(tzfile *f, uint32_t v)
{
    f->b[f->len++] = (uint8_t)(v >> 24);
    f->b[f->len++] = (uint8_t)(v >> 16);
    f->b[f->len++] = (uint8_t)(v >> 8);
    f->b[f->len++] = (uint8_t)v;
}

static void put_block(tzfile *f, int version, unsigned tsize, size_t n, const int64_t *times,
                      const uint8_t *idx, size_t ntypes, const int32_t *utoff, const uint8_t *dst,
                      const uint8_t *abbr, const char *chars, size_t nchars)
{
    size_t i;
    memcpy(f->b + f->len, "TZif", 4);
    f->b[f->len + 4] = version == 1 ? 0 : (uint8_t)('0' + version);
    memset(f->b + f->len + 5, 0, 15);
    f->len += 20;
    put32(f, 0);
    put32(f, 0);
    put32(f, 0);
    put32(f, (uint32_t)n);
    put32(f, (uint32_t)ntypes);
    put32(f, (uint32_t)nchars);
    for (i = 0; i < n; i++) {
        if (tsize == 8)
            put32(f, (uint32_t)((uint64_t)times[i] >> 32));
        put32(f, (uint32_t)times[i]);
    }
    memcpy(f->b + f->len, idx, n);
    f->len += n;
    for (i = 0; i < ntypes; i++) {
        put32(f, (uint32_t)utoff[i]);
        f->b[f->len++] = dst[i];
        f->b[f->len++] = abbr[i];
    }
    memcpy(f->b + f->len, chars, nchars);
    f->len += nchars;
}

/* A small zone: CET/CEST with two transitions in 2026, then the EU rule. */
static void make_zone(tzfile *f, int version, const char *footer)
{
    static const int64_t times[2] = {1774746000, 1792890000}; /* 2026-03-29T01Z, 2026-10-25T01Z */
    static const uint8_t idx[2] = {1, 0};
    static const int32_t utoff[2] = {3600, 7200};
    static const uint8_t dst[2] = {0, 1}, abbr[2] = {0, 4};
    static const char chars[] = "CET\0CEST";
    f->len = 0;
    put_block(f, version, 4, 2, times, idx, 2, utoff, dst, abbr, chars, sizeof(chars));
    if (version >= 2) {
        put_block(f, version, 8, 2, times, idx, 2, utoff, dst, abbr, chars, sizeof(chars));
        if (footer) {
            size_t n = strlen(footer);
            f->b[f->len++] = '\n';
            memcpy(f->b + f->len, footer, n);
            f->len += n;
            f->b[f->len++] = '\n';
        }
    }
}

typedef struct tmpdir {
    char path[256];
} tmpdir;

static void tmp_make(tmpdir *d)
{
    snprintf(d->path, sizeof(d->path), "/tmp/inc_test_tz_XXXXXX");
    assert_non_null(mkdtemp(d->path));
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/Test", d->path);
    assert_int_equal(mkdir(sub, 0700), 0);
}

static void tmp_write(const tmpdir *d, const char *name, const void *data, size_t len)
{
    char p[400];
    FILE *fp;
    snprintf(p, sizeof(p), "%s/%s", d->path, name);
    assert_non_null(fp = fopen(p, "wb"));
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void tmp_remove(const tmpdir *d, const char *name)
{
    char p[400];
    snprintf(p, sizeof(p), "%s/%s", d->path, name);
    unlink(p);
}

static void tmp_free(tmpdir *d)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
    assert_int_equal(system(cmd), 0);
}

static void test_ONC_01_versions_1_2_3_from_files(void **state)
{
    inc_context *ctx = ctx_new();
    tzfile f;
    tmpdir d;
    (void)state;

    tmp_make(&d);
    make_zone(&f, 1, NULL);
    tmp_write(&d, "Test/V1", f.b, f.len);
    make_zone(&f, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    tmp_write(&d, "Test/V2", f.b, f.len);
    make_zone(&f, 3, "CET-1CEST,M3.5.0/26,M10.5.0/-1");
    tmp_write(&d, "Test/V3", f.b, f.len);
    make_zone(&f, 2, "");
    tmp_write(&d, "Test/Empty", f.b, f.len);
    assert_int_equal(inc_context_set_zoneinfo_dir(ctx, d.path), INC_OK);
    assert_string_equal(inc_context_zoneinfo_dir(ctx), d.path);
    /* Within the table every version agrees. */
    expect_local(ctx, "Test/V1", "2026-06-01T00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Test/V2", "2026-06-01T00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Test/V3", "2026-06-01T00:00Z", 7200, 1, "CEST");
    /* Before the first transition: type 0 (RFC 8536). */
    expect_local(ctx, "Test/V1", "2020-06-01T00:00Z", 3600, 0, "CET");
    /* After the last: version 1 and an empty footer keep the last type;
     * version 2 follows its rule; version 3's rule starts at 26:00 of the
     * last Sunday of March (Monday 02:00) and ends at -1:00. */
    expect_local(ctx, "Test/V1", "2027-07-01T00:00Z", 3600, 0, "CET");
    expect_local(ctx, "Test/Empty", "2027-07-01T00:00Z", 3600, 0, "CET");
    expect_local(ctx, "Test/V2", "2027-07-01T00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Test/V2", "2027-03-28T00:59:59Z", 3600, 0, "CET");
    expect_local(ctx, "Test/V2", "2027-03-28T01:00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Test/V3", "2027-03-28T01:00:00Z", 3600, 0, "CET");
    expect_local(ctx, "Test/V3", "2027-03-29T01:00:00Z", 7200, 1, "CEST");
    expect_local(ctx, "Test/V3", "2027-10-30T20:59:59Z", 7200, 1, "CEST");
    expect_local(ctx, "Test/V3", "2027-10-30T21:00:00Z", 3600, 0, "CET");
    inc_context_free(ctx);
    tmp_free(&d);
}

static void expect_corrupt(inc_context *ctx, const tmpdir *d, const tzfile *f, int code,
                           const char *words)
{
    inc_local_time lt;
    int rc;
    inc_context_set_zoneinfo_dir(ctx, d->path); /* empties the cache */
    tmp_write(d, "Test/Bad", f->b, f->len);
    rc = inc_zone_to_local(ctx, "Test/Bad", 0, &lt);
    if (rc != code || !strstr(inc_context_errmsg(ctx), words) ||
        !strstr(inc_context_errmsg(ctx), "Test/Bad"))
        fail_msg("got %s '%s', want %s with '%s'", inc_status_name(rc), inc_context_errmsg(ctx),
                 inc_status_name(code), words);
}

static void test_ONC_01_corrupt_tzif_files_name_the_problem(void **state)
{
    inc_context *ctx = ctx_new();
    tzfile f, g;
    tmpdir d;
    (void)state;

    tmp_make(&d);
    make_zone(&f, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    g = f;
    memcpy(g.b, "TZix", 4);
    expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "magic");
    g = f;
    g.b[4] = '9';
    expect_corrupt(ctx, &d, &g, INC_EVERSION, "version");
    g = f;
    g.len = 30;
    expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "ends inside a header");
    g = f;
    g.len = 130;
    expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "ends inside the version 2 data block");
    g = f;
    g.len -= 1; /* the closing newline of the footer */
    expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "no closing newline");
    g = f;
    g.b[g.len - 5] = '#';
    expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "footer TZ string");
    /* The second header's counts: transitions out of order, a bad type. */
    g = f;
    {
        size_t second = 44 + 2 * 5 + 2 * 6 + 9; /* v1 block of make_zone */
        size_t data = second + 44;
        g.b[data + 8 + 7] = 0; /* transition 2 -> 1970: not after transition 1 */
        g.b[data + 8 + 6] = 0;
        g.b[data + 8 + 5] = 0;
        g.b[data + 8 + 4] = 0;
        expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "not after transition");
        g = f;
        g.b[data + 16 + 1] = 7;
        expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "local time type 7");
        g = f;
        g.b[second + 20 + 19] = 0; /* typecnt 0 */
        expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "local time types");
        g = f;
        g.b[data + 16 + 2 + 6 + 4] = 3; /* isdst 3 */
        expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "isdst");
        g = f;
        g.b[data + 16 + 2 + 6 + 5] = 40; /* designation index past charcnt */
        expect_corrupt(ctx, &d, &g, INC_ECORRUPT, "designation");
    }
    inc_context_free(ctx);
    tmp_free(&d);
}

/* Every truncation and many random damages of a real file: an error or an
 * answer, never a crash (the sanitizer build checks the reads). */
static void test_ONC_01_truncated_and_garbled_real_files(void **state)
{
    inc_error err = {0, ""};
    inc_allocator a;
    uint8_t *data, *copy;
    size_t len, n, i;
    FILE *fp;
    (void)state;
    require_zoneinfo();
    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    assert_non_null(fp = fopen(ZONEINFO "/Europe/Berlin", "rb"));
    data = malloc(1 << 16);
    len = fread(data, 1, 1 << 16, fp);
    fclose(fp);
    copy = malloc(len);
    for (n = 0; n < len; n++) {
        inc__zone *z = NULL;
        memcpy(copy, data, n);
        if (inc__tz_parse(&a, "Europe/Berlin", copy, n, &z, &err) != INC_ECORRUPT)
            fail_msg("a copy cut at %zu of %zu bytes was not refused", n, len);
        assert_non_null(strstr(err.msg, "Europe/Berlin"));
    }
    srand(11);
    for (i = 0; i < 3000; i++) {
        inc__zone *z = NULL;
        int rc;
        memcpy(copy, data, len);
        for (n = 0; n < 1 + i % 4; n++)
            copy[(size_t)rand() % len] = (uint8_t)rand();
        rc = inc__tz_parse(&a, "Europe/Berlin", copy, len, &z, &err);
        if (rc == INC_OK) {
            inc__tz_info info;
            inc__zone_info(z, 1774746000, &info);
            inc__zone_from_local(z, 1774746000);
            inc__zone_unref(z);
        } else if (rc != INC_ECORRUPT && rc != INC_EVERSION) {
            fail_msg("garbled file: %s", inc_status_name(rc));
        }
    }
    free(copy);
    free(data);
}

static void test_ONC_01_unknown_and_bad_zone_names(void **state)
{
    static const char *const bad[] = {
        "../etc/passwd",  "Europe/../../etc/passwd", "/etc/localtime", "Europe//Berlin",
        "Europe/Berlin/", "Europe/Berlin.bak",       "Europe/Ber lin", "",
    };
    inc_context *ctx = ctx_new();
    inc_local_time lt;
    size_t i;
    (void)state;

    assert_int_equal(inc_zone_to_local(ctx, "Mars/Olympus_Mons", 0, &lt), INC_ENOTFOUND);
    assert_non_null(strstr(inc_context_errmsg(ctx), "Mars/Olympus_Mons"));
    assert_non_null(strstr(inc_context_errmsg(ctx), "not found"));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (inc_zone_to_local(ctx, bad[i], 0, &lt) != INC_EINVAL)
            fail_msg("accepted zone name '%s'", bad[i]);
    }
    assert_non_null(strstr(inc_context_errmsg(ctx), "must not be empty"));
    assert_int_equal(inc_zone_to_local(ctx, "../etc/passwd", 0, &lt), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(ctx), "'..'"));
    /* A directory is not a zone. */
    if (zoneinfo_present())
        assert_int_equal(inc_zone_to_local(ctx, "Europe", 0, &lt), INC_ENOTFOUND);
    assert_int_equal(inc_zone_to_local(NULL, "UTC", 0, &lt), INC_EINVAL);
    assert_int_equal(inc_zone_to_local(ctx, NULL, 0, &lt), INC_EINVAL);
    assert_int_equal(inc_context_set_zoneinfo_dir(ctx, ""), INC_EINVAL);
    inc_context_free(ctx);
}

/* The cache is per context: a zone is read once, a new directory empties
 * it, and UTC needs no file at all. */
static void test_ONC_01_cache_is_per_context(void **state)
{
    inc_context *ctx = ctx_new(), *other = ctx_new();
    inc_local_time lt;
    tzfile f;
    tmpdir d;
    (void)state;

    tmp_make(&d);
    make_zone(&f, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    tmp_write(&d, "Test/Zone", f.b, f.len);
    assert_int_equal(inc_context_set_zoneinfo_dir(ctx, d.path), INC_OK);
    assert_int_equal(inc_zone_to_local(ctx, "Test/Zone", 0, &lt), INC_OK);
    tmp_remove(&d, "Test/Zone");
    assert_int_equal(inc_zone_to_local(ctx, "Test/Zone", 0, &lt), INC_OK); /* cached */
    assert_int_equal(inc_context_set_zoneinfo_dir(other, d.path), INC_OK);
    assert_int_equal(inc_zone_to_local(other, "Test/Zone", 0, &lt), INC_ENOTFOUND);
    assert_int_equal(inc_context_set_zoneinfo_dir(ctx, d.path), INC_OK); /* empties the cache */
    assert_int_equal(inc_zone_to_local(ctx, "Test/Zone", 0, &lt), INC_ENOTFOUND);
    assert_int_equal(inc_zone_to_local(ctx, "UTC", at("2026-03-29T01:00Z"), &lt), INC_OK);
    assert_int_equal(lt.utc_offset, 0);
    assert_string_equal(lt.abbr, "UTC");
    assert_int_equal(inc_context_set_zoneinfo_dir(ctx, NULL), INC_OK);
    assert_string_equal(inc_context_zoneinfo_dir(ctx), ZONEINFO);
    inc_context_free(ctx);
    inc_context_free(other);
    tmp_free(&d);
}

static void test_ONC_01_zone_loading_allocation_failures(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    (void)state;
    require_zoneinfo();
    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    for (n = 1; n < 50; n++) {
        inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
        inc_context *ctx = NULL;
        inc_local_time lt;
        int rc;
        o.allocator = &a;
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_zone_to_local(ctx, "Europe/Berlin", 0, &lt);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            assert_int_equal(lt.utc_offset, 3600);
            inc_context_free(ctx);
            break;
        }
        assert_int_equal(rc, INC_ENOMEM);
        assert_int_equal(inc_zone_to_local(ctx, "Europe/Berlin", 0, &lt), INC_OK);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(n > 1 && n < 50);
    assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ONC_01_berlin_transitions_2026_and_2100),
        cmocka_unit_test(test_ONC_01_new_york_transitions_2026_and_2100),
        cmocka_unit_test(test_ONC_01_local_gap_and_overlap_rules),
        cmocka_unit_test(test_ONC_01_agrees_with_the_c_library),
        cmocka_unit_test(test_ONC_01_posix_tz_strings),
        cmocka_unit_test(test_ONC_01_versions_1_2_3_from_files),
        cmocka_unit_test(test_ONC_01_corrupt_tzif_files_name_the_problem),
        cmocka_unit_test(test_ONC_01_truncated_and_garbled_real_files),
        cmocka_unit_test(test_ONC_01_unknown_and_bad_zone_names),
        cmocka_unit_test(test_ONC_01_cache_is_per_context),
        cmocka_unit_test(test_ONC_01_zone_loading_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
