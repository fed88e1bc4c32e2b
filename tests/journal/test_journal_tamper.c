/* RULES TL-4, nothing committed is ever destroyed: the tamper matrix.
 *
 * Two incidents as the CLI writes them, policy every: "t", 14 events
 * appended one at a time, and "o", 5 events in one append (an import, a
 * fresh declaration: every durable mark 0). Each case damages a copy of
 * the store as a crash, rot or an attacker would, then a writable handle
 * verifies, reads and appends to the incident, and the case states what
 * is detected:
 *   corrupt     INC_ECORRUPT everywhere, nothing cut, appends refused;
 *   torn        verify reports a torn tail (changing nothing), the read
 *               moves it to a quarantine file, the incident goes on;
 *   quarantined the file held no complete append: moved whole;
 *   chain       only verify sees it (the record chain), reads do not;
 *   undetected  the record chain cannot see it (the chain's head is not
 *               witnessed: TL-5, issue 16 item 3).
 * In every case no byte is lost: every byte of the damaged file is still in
 * the journal file or in a quarantine file. */
#include "test_journal_util.h"

#include <fcntl.h>

#include "journal/journal_internal.h"
#include "util/buf.h"
#include "util/hash.h"

#define NT 14 /* events of "t" */
#define NO 5  /* events of "o" */

enum { CORRUPT, TORN, QUARANTINED, CHAIN, UNDETECTED };
static const char *const detected_name[] = {"corrupt", "torn", "quarantined", "chain",
                                            "undetected"};

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

typedef struct fixture {
    char parent[128];
    char base[160]; /* the pristine store */
    char work[192]; /* the copy each case damages */
} fixture;

/* ---- files ------------------------------------------------------------------ */

static void put_file(const char *dir, const char *name, const bytes *b)
{
    char p[512];
    FILE *f;
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    f = fopen(p, "wb");
    assert_non_null(f);
    if (b->n)
        assert_int_equal(fwrite(b->p, 1, b->n, f), b->n);
    fclose(f);
    assert_int_equal(chmod(p, 0600), 0);
}

static bytes get_file(const char *dir, const char *name)
{
    char p[512];
    bytes b;
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    b.p = tj_slurp(p, &b.n);
    assert_non_null(b.p);
    return b;
}

/* A fresh copy of the pristine store in fx->work. */
static void fresh_copy(fixture *fx)
{
    static const char *const names[] = {"JOURNAL", "t.jnl", "o.jnl"};
    size_t i;
    tj_rmtree(fx->work);
    assert_int_equal(mkdir(fx->work, 0700), 0);
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        bytes b = get_file(fx->base, names[i]);
        put_file(fx->work, names[i], &b);
        free(b.p);
    }
}

/* Offsets of the records of @b: off[k] is record k's (1-based), off[n+1]
 * the end; returns n. */
static int record_offsets(const bytes *b, size_t *off, int max)
{
    size_t at = INC__JHDR_LEN;
    int n = 0;
    while (at + INC__JREC_OVERHEAD <= b->n && n < max) {
        off[++n] = at;
        at += inc__load_u32le(b->p + at) + INC__JREC_OVERHEAD;
    }
    off[n + 1] = at;
    return n;
}

static void reseal_crc(unsigned char *rec)
{
    uint32_t len = inc__load_u32le(rec);
    inc__store_u32le(rec + INC__JREC_FIXED + len, inc__crc32c(0, rec, INC__JREC_FIXED + len));
}

/* ---- the tampers: each edits the bytes of one file ---------------------------------------- */

static void cut_out(bytes *b, size_t from, size_t to)
{
    memmove(b->p + from, b->p + to, b->n - to);
    b->n -= to - from;
}

static void tamper_remove_middle(bytes *b, const size_t *off)
{
    cut_out(b, off[2], off[3]);
}

static void tamper_swap_last_two(bytes *b, const size_t *off)
{
    size_t a = off[NT - 1], m = off[NT], e = off[NT + 1];
    unsigned char *tmp = malloc(e - a);
    assert_non_null(tmp);
    memcpy(tmp, b->p + m, e - m);
    memcpy(tmp + (e - m), b->p + a, m - a);
    memcpy(b->p + a, tmp, e - a);
    free(tmp);
}

static void flip(bytes *b, size_t at)
{
    b->p[at] ^= 0x04;
}

static void tamper_flip_last(bytes *b, const size_t *off)
{
    flip(b, off[NT] + INC__JREC_FIXED + 7);
}

static void tamper_flip_last_of_one(bytes *b, const size_t *off)
{
    flip(b, off[NO] + INC__JREC_FIXED + 7);
}

static void tamper_flip_middle_of_one(bytes *b, const size_t *off)
{
    flip(b, off[3] + INC__JREC_FIXED + 7);
}

static void tamper_flip_header(bytes *b, const size_t *off)
{
    (void)off;
    flip(b, 30);
}

static void tamper_truncate_mid_record(bytes *b, const size_t *off)
{
    b->n = off[NT] + (off[NT + 1] - off[NT]) / 2;
}

static void grow(bytes *b, size_t more)
{
    unsigned char *p = realloc(b->p, b->n + more);
    assert_non_null(p);
    b->p = p;
}

static void tamper_append_garbage(bytes *b, const size_t *off)
{
    size_t i;
    (void)off;
    grow(b, 100);
    for (i = 0; i < 100; i++)
        b->p[b->n + i] = (unsigned char)(i * 37 + 11);
    b->n += 100;
}

/* Garbage, then a valid record (a copy of record 3): corruption. */
static void tamper_append_garbage_and_record(bytes *b, const size_t *off)
{
    size_t len = off[4] - off[3];
    tamper_append_garbage(b, off);
    grow(b, len);
    memcpy(b->p + b->n, b->p + off[3], len);
    b->n += len;
}

static void tamper_recompute_crc_middle(bytes *b, const size_t *off)
{
    flip(b, off[5] + INC__JREC_FIXED + 7);
    reseal_crc(b->p + off[5]);
}

static void tamper_recompute_crc_last(bytes *b, const size_t *off)
{
    flip(b, off[NT] + INC__JREC_FIXED + 7);
    reseal_crc(b->p + off[NT]);
}

static void tamper_recompute_chain(bytes *b, const size_t *off)
{
    int k;
    tamper_recompute_crc_middle(b, off);
    for (k = 6; k <= NT; k++) {
        inc__sha256(b->p + off[k - 1], off[k] - off[k - 1], b->p + off[k] + 24);
        reseal_crc(b->p + off[k]);
    }
}

/* The header of "o" on the records of "t". */
static void tamper_replace_header(bytes *b, const size_t *off)
{
    (void)off;
    inc__jhdr_encode(b->p, "o");
}

/* ---- the matrix --------------------------------------------------------------------------- */

typedef struct tamper_case {
    const char *what;
    const char *from; /* the file damaged: "t" or "o" */
    const char *as;   /* the incident it is then put under (a copy when not @from) */
    void (*tamper)(bytes *b, const size_t *off);
    int detected;
    int verify_rc, read_rc, append_rc;
    uint64_t events; /* events read afterwards (CORRUPT: before the bad record) */
} tamper_case;

static const tamper_case cases[] = {
    {"remove a middle record (2 of 14)", "t", "t", tamper_remove_middle, CORRUPT, INC_ECORRUPT,
     INC_ECORRUPT, INC_ECORRUPT, 1},
    {"swap the last two records", "t", "t", tamper_swap_last_two, CORRUPT, INC_ECORRUPT,
     INC_ECORRUPT, INC_ECORRUPT, NT - 2},
    {"flip a bit in the last record (policy every)", "t", "t", tamper_flip_last, TORN, INC_OK,
     INC_OK, INC_OK, NT - 1},
    {"flip a bit in the last record of a one-append file", "o", "o", tamper_flip_last_of_one,
     QUARANTINED, INC_ENOTFOUND, INC_ENOTFOUND, INC_OK, 0},
    {"flip a bit in a middle record of a one-append file", "o", "o", tamper_flip_middle_of_one,
     CORRUPT, INC_ECORRUPT, INC_ECORRUPT, INC_ECORRUPT, 0},
    {"flip a bit in the header of a one-append file", "o", "o", tamper_flip_header, CORRUPT,
     INC_ECORRUPT, INC_ECORRUPT, INC_ECORRUPT, 0},
    {"truncate in the middle of the last record", "t", "t", tamper_truncate_mid_record, TORN,
     INC_OK, INC_OK, INC_OK, NT - 1},
    {"append garbage", "t", "t", tamper_append_garbage, TORN, INC_OK, INC_OK, INC_OK, NT},
    {"append garbage and then a valid record", "t", "t", tamper_append_garbage_and_record, CORRUPT,
     INC_ECORRUPT, INC_ECORRUPT, INC_ECORRUPT, NT},
    {"modify a middle record, recompute its CRC", "t", "t", tamper_recompute_crc_middle, CHAIN,
     INC_ECORRUPT, INC_OK, INC_OK, NT},
    {"modify the last record, recompute its CRC", "t", "t", tamper_recompute_crc_last, UNDETECTED,
     INC_OK, INC_OK, INC_OK, NT},
    {"modify a middle record, recompute the whole chain", "t", "t", tamper_recompute_chain,
     UNDETECTED, INC_OK, INC_OK, INC_OK, NT},
    {"replace the header (another incident's)", "t", "t", tamper_replace_header, CORRUPT,
     INC_ECORRUPT, INC_ECORRUPT, INC_ECORRUPT, 0},
    {"copy a file under another id", "t", "u", NULL, CORRUPT, INC_ECORRUPT, INC_ECORRUPT,
     INC_ECORRUPT, 0},
    {"copy a one-append file under another id", "o", "p", NULL, CORRUPT, INC_ECORRUPT, INC_ECORRUPT,
     INC_ECORRUPT, 0},
};

typedef struct reports {
    int n, cut, judged_torn;
    uint64_t offset, bytes;
    char quarantine[512];
} reports;

static void on_recovery(void *user, const inc_journal_recovery *r)
{
    reports *rep = user;
    rep->n++;
    rep->cut = r->cut;
    rep->offset = r->offset;
    rep->bytes = r->bytes;
    rep->judged_torn = r->why && strstr(r->why, "judged a torn write") != NULL;
    snprintf(rep->quarantine, sizeof(rep->quarantine), "%s", r->quarantine ? r->quarantine : "");
    assert_true(r->cut == (r->quarantine != NULL));
}

static inc_store *open_rep(const char *dir, reports *rep)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    memset(rep, 0, sizeof(*rep));
    o.on_recovery = on_recovery;
    o.recovery_user = rep;
    assert_int_equal(inc_store_journal_open(dir, &o, &s), INC_OK);
    return s;
}

typedef struct qseen {
    int n;
    uint64_t offset, bytes;
} qseen;

static int count_quarantine(void *user, const inc_journal_quarantine *q)
{
    qseen *seen = user;
    seen->n++;
    seen->offset = q->offset;
    seen->bytes = q->bytes;
    assert_non_null(strstr(q->file, ".jnl.quarantine-"));
    return 0;
}

static int no_quarantine_listed(void *user, const char *id)
{
    (void)user;
    assert_null(strstr(id, "quarantine"));
    return 0;
}

/* Damage, then verify, read and append as @c expects; check that no byte
 * was lost and describe the outcome in @row. */
static void run_case(fixture *fx, const tamper_case *c, char *row, size_t rowsize)
{
    char name[64];
    size_t off[64], kept;
    bytes b, orig;
    reports rep;
    qseen q;
    tj_seen seen;
    inc_store *s;
    uint64_t bad = 0;
    int rc, nq;

    fresh_copy(fx);
    snprintf(name, sizeof(name), "%s.jnl", c->from);
    b = get_file(fx->work, name);
    (void)record_offsets(&b, off, 62);
    if (c->tamper)
        c->tamper(&b, off);
    snprintf(name, sizeof(name), "%s.jnl", c->as);
    put_file(fx->work, name, &b);
    orig = b;

    s = open_rep(fx->work, &rep);
    rc = inc_journal_verify(s, c->as, &bad);
    if (rc != c->verify_rc)
        fail_msg("%s: verify %d, expected %d: %s", c->what, rc, c->verify_rc, inc_store_errmsg(s));
    assert_int_equal(tj_file_size(fx->work, c->as), (long)orig.n); /* verify changes nothing */
    if (c->detected == TORN || c->detected == QUARANTINED) {
        assert_int_equal(rep.n, 1); /* reported, with why it was judged a tear */
        assert_int_equal(rep.cut, 0);
        assert_true(rep.judged_torn);
    }
    rc = tj_read(s, c->as, 1, &seen);
    if (rc != c->read_rc)
        fail_msg("%s: read %d, expected %d: %s", c->what, rc, c->read_rc, inc_store_errmsg(s));
    assert_int_equal(seen.count, c->events);
    if (c->read_rc == INC_ECORRUPT) {
        snprintf(name, sizeof(name), "%s.jnl", c->as);
        assert_non_null(strstr(inc_store_errmsg(s), name));
        assert_non_null(strstr(inc_store_errmsg(s), "offset "));
    }
    {
        char ev[512];
        inc_store_record r;
        r.data = ev;
        r.len = tj_event(ev, sizeof(ev), c->as, seen.count + 1);
        rc = inc_store_append(s, c->as, seen.count, &r, 1);
        if (rc != c->append_rc)
            fail_msg("%s: append %d, expected %d: %s", c->what, rc, c->append_rc,
                     inc_store_errmsg(s));
    }
    memset(&q, 0, sizeof(q));
    assert_int_equal(inc_journal_quarantine_list(s, c->as, count_quarantine, &q), INC_OK);
    assert_int_equal(inc_store_list(s, no_quarantine_listed, NULL), INC_OK);
    inc_store_free(s);

    kept = tj_assert_preserved(fx->work, c->as, orig.p, orig.n, &nq);
    assert_int_equal(nq, q.n);
    assert_int_equal(nq, c->detected == TORN || c->detected == QUARANTINED ? 1 : 0);
    if (nq) {
        assert_int_equal(q.offset, kept);
        assert_int_equal(q.bytes, orig.n - kept);
        assert_int_equal(kept, c->detected == QUARANTINED ? 0 : off[c->events + 1]);
    } else {
        assert_int_equal(kept, orig.n);
    }
    if (strcmp(c->as, c->from) != 0) { /* a copy: the original is untouched */
        bytes o1 = get_file(fx->base, strcmp(c->from, "t") ? "o.jnl" : "t.jnl");
        snprintf(name, sizeof(name), "%s.jnl", c->from);
        b = get_file(fx->work, name);
        assert_true(b.n == o1.n && memcmp(b.p, o1.p, b.n) == 0);
        free(b.p);
        free(o1.p);
    }
    snprintf(row, rowsize, "| %s | %s | %zu in the file + %zu in quarantine = %zu of %zu |",
             c->what, detected_name[c->detected], kept, orig.n - kept, orig.n, orig.n);
    free(orig.p);
}

static void test_TL_4_tamper_matrix_loses_no_byte(void **state)
{
    fixture *fx = *state;
    size_t i;
    print_message("| case | detected as | bytes preserved |\n| --- | --- | --- |\n");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char row[512];
        run_case(fx, &cases[i], row, sizeof(row));
        print_message("%s\n", row);
    }
}

/* The handle that synced the last record itself knows it was on disk: a
 * bit flipped in it is corruption for that handle's verify (nothing is
 * cut); a fresh handle, which cannot know, judges it a tear and sets it
 * aside, never deleting it. */
static void test_TL_4_flip_in_bytes_this_handle_synced_is_corrupt(void **state)
{
    fixture *fx = *state;
    size_t off[64];
    unsigned char byte;
    reports rep;
    tj_seen seen;
    bytes b;
    inc_store *s;
    char p[512];
    int fd;

    fresh_copy(fx);
    s = open_rep(fx->work, &rep);
    tj_append_range(s, "t", NT + 1, NT + 1); /* this handle writes and syncs event 15 */
    b = get_file(fx->work, "t.jnl");
    assert_int_equal(record_offsets(&b, off, 62), NT + 1);
    free(b.p);
    snprintf(p, sizeof(p), "%s/t.jnl", fx->work);
    fd = open(p, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &byte, 1, (off_t)(off[NT + 1] + 70)), 1);
    byte ^= 0x04;
    assert_int_equal(pwrite(fd, &byte, 1, (off_t)(off[NT + 1] + 70)), 1);
    close(fd);
    assert_int_equal(inc_journal_verify(s, "t", NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_store_errmsg(s), "this handle synced"));
    assert_int_equal(rep.n, 0);
    assert_int_equal(tj_file_size(fx->work, "t"), (long)off[NT + 2]);
    inc_store_free(s);
    /* A fresh handle cannot know: a torn tail, set aside, not deleted. */
    s = open_rep(fx->work, &rep);
    assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
    assert_int_equal(seen.count, NT);
    assert_int_equal(rep.n, 1);
    assert_int_equal(rep.cut, 1);
    assert_non_null(strstr(rep.quarantine, "t.jnl.quarantine-"));
    inc_store_free(s);
}

/* A second tail set aside at the same offset gets a name of its own; the
 * first is kept. A read-only handle sets nothing aside. */
static void test_TL_4_quarantine_names_never_collide(void **state)
{
    fixture *fx = *state;
    char p[512];
    reports rep;
    tj_seen seen;
    qseen q;
    inc_store *s;
    int round;
    struct stat sb;

    fresh_copy(fx);
    for (round = 0; round < 2; round++) {
        bytes b = get_file(fx->work, "t.jnl");
        tamper_append_garbage(&b, NULL);
        b.p[b.n - 1] = (unsigned char)round; /* two different tails */
        put_file(fx->work, "t.jnl", &b);
        free(b.p);
        s = tj_open(fx->work, INC_SYNC_EVERY, 1);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        inc_store_free(s);
        s = open_rep(fx->work, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        assert_int_equal(rep.n, 1);
        inc_store_free(s);
    }
    snprintf(p, sizeof(p), "%s/t.jnl.quarantine-%ld", fx->work, tj_file_size(fx->work, "t"));
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_size, 100);
    assert_int_equal(sb.st_mode & 0777, 0600);
    strcat(p, ".1");
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_size, 100);
    s = tj_open(fx->work, INC_SYNC_EVERY, 1);
    memset(&q, 0, sizeof(q));
    assert_int_equal(inc_journal_quarantine_list(s, NULL, count_quarantine, &q), INC_OK);
    assert_int_equal(q.n, 2);
    assert_int_equal(inc_journal_quarantine_list(s, "o", count_quarantine, &q), INC_OK);
    assert_int_equal(q.n, 2);
    assert_int_equal(inc_journal_quarantine_list(s, "NOT AN ID", count_quarantine, &q), INC_EINVAL);
    assert_int_equal(inc_journal_quarantine_list(s, NULL, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_journal_quarantine_list(NULL, NULL, count_quarantine, &q), INC_EINVAL);
    inc_store_free(s);
}

/* ---- fixture ------------------------------------------------------------------------------- */

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    inc_store_record r[NO];
    char ev[NO][512];
    inc_store *s;
    int i;
    if (!fx)
        return -1;
    tj_tmpdir(fx->parent, sizeof(fx->parent), fx->base, sizeof(fx->base));
    snprintf(fx->work, sizeof(fx->work), "%s/work", fx->parent);
    s = tj_open(fx->base, INC_SYNC_EVERY, 0);
    tj_append_range(s, "t", 1, NT);
    for (i = 0; i < NO; i++) {
        r[i].data = ev[i];
        r[i].len = tj_event(ev[i], sizeof(ev[i]), "o", (uint64_t)i + 1);
    }
    assert_int_equal(inc_store_append(s, "o", 0, r, NO), INC_OK);
    inc_store_free(s);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tj_rmtree(fx->parent);
    free(fx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_TL_4_tamper_matrix_loses_no_byte),
        cmocka_unit_test(test_TL_4_flip_in_bytes_this_handle_synced_is_corrupt),
        cmocka_unit_test(test_TL_4_quarantine_names_never_collide),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
