/* Helpers shared by the journal tests (tests/test_journal*.c): temporary
 * directories, deterministic event text, collecting what a read returns. */
#ifndef TEST_JOURNAL_UTIL_H
#define TEST_JOURNAL_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "incident.h"
#include "incident/sys/store.h"

/* Remove a directory tree (the test's temporary directory). */
static inline void tj_rmtree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    if (d) {
        while ((e = readdir(d)) != NULL) {
            char sub[1400];
            struct stat sb;
            size_t pl = strlen(path), nl = strlen(e->d_name);
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || pl + nl + 2 > sizeof(sub))
                continue;
            memcpy(sub, path, pl);
            sub[pl] = '/';
            memcpy(sub + pl + 1, e->d_name, nl + 1);
            if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
                tj_rmtree(sub);
            else
                (void)unlink(sub);
        }
        closedir(d);
    }
    (void)rmdir(path);
}

/* A fresh temporary parent directory; the journal goes in "<parent>/j".
 * @buf receives the journal path (not created). */
static inline void tj_tmpdir(char *parent, size_t psize, char *jdir, size_t jsize)
{
    snprintf(parent, psize, "/tmp/inc-journal-test-XXXXXX");
    assert_non_null(mkdtemp(parent));
    snprintf(jdir, jsize, "%s/j", parent);
}

/* Deterministic text of an event, about 40..300 bytes. */
/* A journal directory in a fresh temporary parent, as cmocka state: the
 * setup and teardown of the journal tests. */
typedef struct tj_fixture {
    char parent[128];
    char dir[160];
} tj_fixture;

static inline int tj_setup(void **state)
{
    tj_fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    tj_tmpdir(fx->parent, sizeof(fx->parent), fx->dir, sizeof(fx->dir));
    *state = fx;
    return 0;
}

static inline int tj_teardown(void **state)
{
    tj_fixture *fx = *state;
    tj_rmtree(fx->parent);
    free(fx);
    return 0;
}

static inline size_t tj_event(char *buf, size_t size, const char *id, uint64_t seq)
{
    int n = snprintf(buf, size,
                     "%s #%llu: ops lead notes that the payment API error rate is %llu%% "
                     "and the database failover %s",
                     id, (unsigned long long)seq, (unsigned long long)(seq * 7 % 100),
                     seq % 3 ? "completed" : "is still running; paging the DBA on call");
    size_t len = (size_t)n;
    while (len + 1 < size && len < 40 + (seq * 37) % 260) {
        buf[len] = (char)('a' + (seq + len) % 26);
        len++;
    }
    buf[len] = '\0';
    return len;
}

/* Append events from @first to @last (one per append). */
static inline void tj_append_range(inc_store *s, const char *id, uint64_t first, uint64_t last)
{
    char buf[512];
    uint64_t seq;
    for (seq = first; seq <= last; seq++) {
        inc_store_record r;
        r.data = buf;
        r.len = tj_event(buf, sizeof(buf), id, seq);
        assert_int_equal(inc_store_append(s, id, seq - 1, &r, 1), INC_OK);
    }
}

typedef struct tj_seen {
    const char *id;   /* to check the content against tj_event(); NULL: don't */
    uint64_t count;   /* events delivered */
    uint64_t first;   /* first seq delivered */
    uint64_t last;    /* last seq delivered */
    int bad;          /* a gap or wrong content was seen */
    uint64_t stop_at; /* return 1 when this seq is delivered (0: never) */
} tj_seen;

static inline int tj_seen_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    tj_seen *s = user;
    if (s->count == 0)
        s->first = seq;
    else if (seq != s->last + 1)
        s->bad = 1;
    s->last = seq;
    s->count++;
    if (s->id) {
        char buf[512];
        size_t n = tj_event(buf, sizeof(buf), s->id, seq);
        if (n != len || memcmp(buf, data, n) != 0)
            s->bad = 1;
    }
    return s->stop_at && seq == s->stop_at ? 1 : 0;
}

/* Read all of @id from @from; returns the status, fills @seen. */
static inline int tj_read(inc_store *s, const char *id, uint64_t from, tj_seen *seen)
{
    memset(seen, 0, sizeof(*seen));
    seen->id = id;
    return inc_store_read(s, id, from, tj_seen_cb, seen);
}

static inline inc_store *tj_open(const char *dir, inc_sync_policy sync, int ro)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    o.sync = sync;
    o.read_only = ro;
    assert_int_equal(inc_store_journal_open(dir, &o, &s), INC_OK);
    assert_non_null(s);
    return s;
}

static inline void tj_path(char *out, size_t size, const char *dir, const char *id)
{
    snprintf(out, size, "%s/%s.jnl", dir, id);
}

static inline long tj_file_size(const char *dir, const char *id)
{
    char p[512];
    struct stat sb;
    tj_path(p, sizeof(p), dir, id);
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The whole file at @path in a malloc'd buffer (*len bytes); NULL (and
 * *len 0) when it does not exist. */
static inline unsigned char *tj_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long n;
    *len = 0;
    if (!f)
        return NULL;
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* RULES TL-4, nothing committed is destroyed: every byte of @orig (the file
 * of @id before recovery, @olen bytes) is still in the incident's file or
 * in a quarantine file of @id ("<id>.jnl.quarantine-<offset>[.<n>]", mode
 * 0600) holding the bytes of @orig from its offset to the end. Every
 * quarantine file of @id must be such a slice. Returns the offset where
 * the incident's file stops holding @orig (@olen when nothing was set
 * aside) and sets *nq to the number of quarantine files. */
static inline size_t tj_assert_preserved(const char *dir, const char *id, const unsigned char *orig,
                                         size_t olen, int *nq)
{
    char prefix[160], p[1400];
    size_t plen, clen, kept = olen;
    unsigned char *cur;
    struct dirent *e;
    DIR *d = opendir(dir);
    assert_non_null(d);
    snprintf(prefix, sizeof(prefix), "%s.jnl.quarantine-", id);
    plen = strlen(prefix);
    *nq = 0;
    while ((e = readdir(d)) != NULL) {
        unsigned long long off;
        unsigned char *q;
        struct stat sb;
        size_t qlen;
        if (strncmp(e->d_name, prefix, plen) != 0)
            continue;
        off = strtoull(e->d_name + plen, NULL, 10);
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        assert_int_equal(stat(p, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
        q = tj_slurp(p, &qlen);
        if (off > olen || qlen != olen - off || (qlen && memcmp(q, orig + off, qlen) != 0))
            fail_msg("%s: does not hold bytes %llu..%zu of the file", e->d_name, off, olen);
        if (off < kept)
            kept = (size_t)off;
        free(q);
        (*nq)++;
    }
    closedir(d);
    tj_path(p, sizeof(p), dir, id);
    cur = tj_slurp(p, &clen);
    if (clen < kept || (kept && memcmp(cur, orig, kept) != 0))
        fail_msg("%s: bytes 0..%zu of the file are neither in it nor in quarantine", id, kept);
    free(cur);
    return kept;
}

#endif
