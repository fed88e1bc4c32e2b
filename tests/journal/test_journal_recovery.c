/* Journal recovery: torn tails are set aside in quarantine and reported
 * (at every byte offset of the last append), rot and tampering in the
 * middle are INC_ECORRUPT naming the file and offset, the record-level
 * hash chain names the first bad record, torn creations are quarantined
 * whole (RULES TL-4; the tamper matrix is test_journal_tamper.c). */
#include "test_journal_util.h"

#include <fcntl.h>

#include "journal/journal_internal.h"
#include "util/buf.h"
#include "util/hash.h"

typedef struct fixture {
    char parent[128];
    char dir[160];
    char file[256];
    char pristine[256];
    long sizes[16]; /* file size after each append */
} fixture;

typedef struct reports {
    int n;
    uint64_t offset, bytes, last_seq;
    int cut;
    char id[INC_ID_MAX + 1];
} reports;

static void on_recovery(void *user, const inc_journal_recovery *r)
{
    reports *rep = user;
    rep->n++;
    rep->offset = r->offset;
    rep->bytes = r->bytes;
    rep->last_seq = r->last_seq;
    rep->cut = r->cut;
    snprintf(rep->id, sizeof(rep->id), "%s", r->id);
    assert_non_null(strstr(r->file, ".jnl"));
}

static inc_store *open_rep(const char *dir, int ro, reports *rep)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    memset(rep, 0, sizeof(*rep));
    o.read_only = ro;
    o.on_recovery = on_recovery;
    o.recovery_user = rep;
    assert_int_equal(inc_store_journal_open(dir, &o, &s), INC_OK);
    return s;
}

static void copy_file(const char *from, const char *to, long len)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[4096];
    long done = 0;
    assert_non_null(in);
    assert_non_null(out);
    while (len < 0 || done < len) {
        size_t want = sizeof(buf), n;
        if (len >= 0 && (long)want > len - done)
            want = (size_t)(len - done);
        n = fread(buf, 1, want, in);
        if (n == 0)
            break;
        fwrite(buf, 1, n, out);
        done += (long)n;
    }
    fclose(in);
    fclose(out);
}

static void patch(const char *path, long off, const void *bytes, size_t n)
{
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, bytes, n, off), (ssize_t)n);
    close(fd);
}

/* Remove the quarantine files of "t" (between the rounds of a test). */
static void rm_quarantine(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char p[512];
        if (strncmp(e->d_name, "t.jnl.quarantine-", 17) != 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        assert_int_equal(unlink(p), 0);
    }
    closedir(d);
}

static void peek(const char *path, long off, void *bytes, size_t n)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, bytes, n, off), (ssize_t)n);
    close(fd);
}

/* An incident "t" of events 1..4 (appended one at a time, policy every)
 * then events 5..7 in one append; keeps a pristine copy. */
static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    inc_store *s;
    int i;
    if (!fx)
        return -1;
    tj_tmpdir(fx->parent, sizeof(fx->parent), fx->dir, sizeof(fx->dir));
    tj_path(fx->file, sizeof(fx->file), fx->dir, "t");
    snprintf(fx->pristine, sizeof(fx->pristine), "%s/pristine", fx->parent);
    s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    for (i = 1; i <= 4; i++) {
        tj_append_range(s, "t", (uint64_t)i, (uint64_t)i);
        fx->sizes[i] = tj_file_size(fx->dir, "t");
    }
    {
        char b[3][512];
        inc_store_record r[3];
        for (i = 0; i < 3; i++) {
            r[i].data = b[i];
            r[i].len = tj_event(b[i], sizeof(b[i]), "t", (uint64_t)(5 + i));
        }
        assert_int_equal(inc_store_append(s, "t", 4, r, 3), INC_OK);
        fx->sizes[7] = tj_file_size(fx->dir, "t");
    }
    tj_append_range(s, "other", 1, 3);
    inc_store_free(s);
    copy_file(fx->file, fx->pristine, -1);
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

/* A tail torn at every byte offset of the last record (truncation): the
 * read-write handle keeps exactly the complete prefix, moves the rest to a
 * quarantine file and reports it (TL-4: no byte lost); a read-only handle
 * reports it and leaves the file alone. */
static void test_LIFE_3_torn_tail_every_offset_of_last_record(void **state)
{
    fixture *fx = *state;
    long len;

    /* Make events 1..4 the file; its last record is event 4. */
    copy_file(fx->pristine, fx->file, fx->sizes[4]);
    copy_file(fx->file, fx->pristine, -1);
    for (len = fx->sizes[3]; len <= fx->sizes[4]; len++) {
        uint64_t want = len == fx->sizes[4] ? 4 : 3;
        reports rep;
        tj_seen seen;
        inc_store *s;

        copy_file(fx->pristine, fx->file, len);
        s = open_rep(fx->dir, 1, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        assert_int_equal(seen.count, want);
        assert_false(seen.bad);
        assert_int_equal(rep.n, want == 3 && len > fx->sizes[3] ? 1 : 0);
        assert_int_equal(tj_file_size(fx->dir, "t"), len); /* untouched */
        inc_store_free(s);

        s = open_rep(fx->dir, 0, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        assert_int_equal(seen.count, want);
        if (want == 3 && len > fx->sizes[3]) {
            assert_int_equal(rep.n, 1);
            assert_int_equal(rep.cut, 1);
            assert_int_equal(rep.offset, fx->sizes[3]);
            assert_int_equal(rep.bytes, len - fx->sizes[3]);
            assert_int_equal(rep.last_seq, 3);
            assert_string_equal(rep.id, "t");
        } else {
            assert_int_equal(rep.n, 0);
        }
        assert_int_equal(tj_file_size(fx->dir, "t"), want == 3 ? fx->sizes[3] : len);
        {
            size_t olen;
            unsigned char *orig = tj_slurp(fx->pristine, &olen);
            int nq;
            assert_int_equal(tj_assert_preserved(fx->dir, "t", orig, (size_t)len, &nq),
                             want == 3 ? fx->sizes[3] : len);
            assert_int_equal(nq, want == 3 && len > fx->sizes[3] ? 1 : 0);
            free(orig);
        }
        rm_quarantine(fx->dir);
        /* The journal goes on from the prefix. */
        tj_append_range(s, "t", want + 1, 5);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        assert_int_equal(seen.count, 5);
        assert_false(seen.bad);
        assert_int_equal(inc_journal_verify(s, "t", NULL), INC_OK);
        inc_store_free(s);
    }
}

/* An append of three records torn anywhere is gone entirely (all or none),
 * whether found by a read or by the next append. */
static void test_torn_multi_record_append_is_all_or_nothing(void **state)
{
    fixture *fx = *state;
    long len;
    for (len = fx->sizes[4] + 1; len < fx->sizes[7]; len += 7) {
        reports rep;
        tj_seen seen;
        char buf[512];
        inc_store_record r;
        inc_store *s;

        copy_file(fx->pristine, fx->file, len);
        s = open_rep(fx->dir, 0, &rep);
        r.data = buf;
        r.len = tj_event(buf, sizeof(buf), "t", 5);
        assert_int_equal(inc_store_append(s, "t", 7, &r, 1), INC_ECONFLICT);
        assert_int_equal(rep.n, 1);
        assert_int_equal(rep.last_seq, 4);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        assert_int_equal(seen.count, 4);
        assert_int_equal(tj_file_size(fx->dir, "t"), fx->sizes[4]);
        inc_store_free(s);
        rm_quarantine(fx->dir);
    }
}

/* The last record of the last append overwritten with zeros or noise (a
 * torn sector) is a torn tail too: no valid record follows it. The whole
 * append (records 5..7) is set aside in quarantine and reported, never
 * silently, never deleted (TL-4). */
static void test_TL_4_garbled_tail_is_quarantined_and_reported(void **state)
{
    fixture *fx = *state;
    static const unsigned char fill[2] = {0x00, 0xA5};
    int k;
    for (k = 0; k < 2; k++) {
        unsigned char junk[64], *orig;
        size_t olen;
        reports rep;
        tj_seen seen;
        inc_store *s;
        int nq;
        memset(junk, fill[k], sizeof(junk));
        copy_file(fx->pristine, fx->file, -1);
        patch(fx->file, fx->sizes[7] - (long)sizeof(junk), junk, sizeof(junk));
        orig = tj_slurp(fx->file, &olen);
        s = open_rep(fx->dir, 0, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_OK);
        assert_int_equal(seen.count, 4);
        assert_int_equal(rep.n, 1);
        assert_int_equal(rep.cut, 1);
        assert_int_equal(rep.bytes, fx->sizes[7] - fx->sizes[4]);
        inc_store_free(s);
        assert_int_equal(tj_assert_preserved(fx->dir, "t", orig, olen, &nq), fx->sizes[4]);
        assert_int_equal(nq, 1);
        free(orig);
        rm_quarantine(fx->dir);
    }
}

/* Noise over a record with valid records after it (record 5 of the
 * append 5..7) is corruption, not a torn tail (TL-4): nothing is cut. */
static void test_TL_4_garbled_record_before_valid_ones_is_corrupt(void **state)
{
    fixture *fx = *state;
    unsigned char junk[64];
    reports rep;
    tj_seen seen;
    inc_store *s;
    memset(junk, 0xA5, sizeof(junk));
    patch(fx->file, fx->sizes[4] + 100, junk, sizeof(junk));
    s = open_rep(fx->dir, 0, &rep);
    assert_int_equal(tj_read(s, "t", 1, &seen), INC_ECORRUPT);
    assert_int_equal(seen.count, 4);
    assert_non_null(strstr(inc_store_errmsg(s), "TL-4"));
    assert_int_equal(rep.n, 0);
    assert_int_equal(tj_file_size(fx->dir, "t"), fx->sizes[7]);
    inc_store_free(s);
}

/* One flipped bit in a record in the middle: INC_ECORRUPT naming the file
 * and offset, the events before it are delivered, nothing is cut, appends
 * are refused, other incidents are untouched. */
static void test_TL_2_flipped_bit_in_the_middle_is_corrupt(void **state)
{
    fixture *fx = *state;
    static const long field_offsets[] = {0, 2, 5, 9, 17, 30, 70, 120};
    size_t i;
    for (i = 0; i < sizeof(field_offsets) / sizeof(field_offsets[0]); i++) {
        long off = fx->sizes[2] + field_offsets[i]; /* inside record 3 */
        char offtext[32];
        unsigned char byte;
        reports rep;
        tj_seen seen;
        uint64_t bad = 99;
        inc_store *s;

        copy_file(fx->pristine, fx->file, -1);
        peek(fx->file, off, &byte, 1);
        byte ^= 0x10;
        patch(fx->file, off, &byte, 1);
        s = open_rep(fx->dir, 0, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_ECORRUPT);
        assert_int_equal(seen.count, 2);
        assert_non_null(strstr(inc_store_errmsg(s), fx->file));
        snprintf(offtext, sizeof(offtext), "offset %ld", fx->sizes[2]);
        assert_non_null(strstr(inc_store_errmsg(s), offtext));
        assert_int_equal(inc_journal_verify(s, "t", &bad), INC_ECORRUPT);
        assert_int_equal(bad, 3);
        tj_append_range(s, "other", 4 + i, 4 + i);
        {
            inc_store_record r;
            r.data = "x";
            r.len = 1;
            assert_int_equal(inc_store_append(s, "t", 7, &r, 1), INC_ECORRUPT);
        }
        assert_int_equal(rep.n, 0);
        assert_int_equal(tj_file_size(fx->dir, "t"), fx->sizes[7]);
        inc_store_free(s);
        s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
        assert_int_equal(tj_read(s, "other", 1, &seen), INC_OK);
        assert_int_equal(seen.count, 4 + i);
        assert_false(seen.bad);
        inc_store_free(s);
    }
}

/* A record rewritten with a valid CRC (tampering) passes the CRC but not
 * the chain: verify names the first record whose stored hash of its
 * predecessor does not match. */
static void test_TL_2_hash_chain_names_first_bad_record(void **state)
{
    fixture *fx = *state;
    unsigned char rec[1024];
    long off = fx->sizes[1], len = fx->sizes[2] - fx->sizes[1]; /* record 2 */
    uint64_t bad = 0;
    tj_seen seen;
    inc_store *s;

    assert_true(len <= (long)sizeof(rec));
    peek(fx->file, off, rec, (size_t)len);
    rec[INC__JREC_FIXED + 3] ^= 0x01; /* change the event text */
    inc__store_u32le(rec + len - 4, inc__crc32c(0, rec, (size_t)len - 4));
    patch(fx->file, off, rec, (size_t)len);
    s = tj_open(fx->dir, INC_SYNC_EVERY, 1);
    assert_int_equal(inc_journal_verify(s, "t", &bad), INC_ECORRUPT);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(inc_store_errmsg(s), "record 3"));
    memset(&seen, 0, sizeof(seen)); /* a plain read checks CRCs only */
    assert_int_equal(inc_store_read(s, "t", 1, tj_seen_cb, &seen), INC_OK);
    assert_int_equal(seen.count, 7);
    assert_int_equal(inc_journal_verify(s, "other", &bad), INC_OK);
    assert_int_equal(bad, 0);
    inc_store_free(s);
}

/* A file whose creation was torn (a power cut under the group policy:
 * header only, or a garbled header and no valid record after it) is no
 * incident: a read-only handle reports it and changes nothing, a writable
 * one moves the file whole to quarantine (TL-4: never deleted) and
 * reports it; the incident can then be declared anew. */
static void test_TL_4_torn_creation_is_quarantined(void **state)
{
    fixture *fx = *state;
    unsigned char zero[INC__JHDR_LEN];
    int k;
    memset(zero, 0, sizeof(zero));
    for (k = 0; k < 2; k++) {
        unsigned char *orig;
        size_t olen;
        reports rep;
        tj_seen seen;
        inc_store *s;
        int nq;
        copy_file(fx->pristine, fx->file, k == 0 ? INC__JHDR_LEN : INC__JHDR_LEN + 40);
        if (k == 1)
            patch(fx->file, 0, zero, sizeof(zero));
        orig = tj_slurp(fx->file, &olen);
        s = open_rep(fx->dir, 1, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_ENOTFOUND);
        assert_int_equal(rep.n, 1);
        assert_int_equal(rep.cut, 0);
        inc_store_free(s);
        assert_true(tj_file_size(fx->dir, "t") > 0);
        s = open_rep(fx->dir, 0, &rep);
        assert_int_equal(tj_read(s, "t", 1, &seen), INC_ENOTFOUND);
        assert_int_equal(rep.n, 1);
        assert_int_equal(rep.cut, 1);
        assert_int_equal(rep.offset, 0);
        assert_int_equal(rep.bytes, olen);
        assert_int_equal(tj_file_size(fx->dir, "t"), -1);
        assert_int_equal(tj_assert_preserved(fx->dir, "t", orig, olen, &nq), 0);
        assert_int_equal(nq, 1);
        tj_append_range(s, "t", 1, 2);
        inc_store_free(s);
        free(orig);
        rm_quarantine(fx->dir);
    }
}

/* A zeroed header with a valid record after it is corruption (TL-4), not
 * a torn creation, even when nothing says the record was durable. */
static void test_TL_4_bad_header_before_a_valid_record_is_corrupt(void **state)
{
    fixture *fx = *state;
    unsigned char zero[INC__JHDR_LEN];
    tj_seen seen;
    inc_store *s;
    memset(zero, 0, sizeof(zero));
    copy_file(fx->pristine, fx->file, fx->sizes[1]); /* one append: durable mark 0 */
    patch(fx->file, 0, zero, sizeof(zero));
    s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    assert_int_equal(tj_read(s, "t", 1, &seen), INC_ECORRUPT);
    assert_non_null(strstr(inc_store_errmsg(s), "offset 0: header"));
    assert_int_equal(tj_file_size(fx->dir, "t"), fx->sizes[1]);
    inc_store_free(s);
}

/* A garbled header in a file whose records say it was durable is rot. */
static void test_bad_header_with_durable_records_is_corrupt(void **state)
{
    fixture *fx = *state;
    unsigned char b = 'X';
    tj_seen seen;
    inc_store *s;
    patch(fx->file, 30, &b, 1);
    s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    assert_int_equal(tj_read(s, "t", 1, &seen), INC_ECORRUPT);
    assert_non_null(strstr(inc_store_errmsg(s), "offset 0"));
    assert_int_equal(tj_file_size(fx->dir, "t"), fx->sizes[7]);
    inc_store_free(s);
}

/* A file that names another incident in its header is rot, not a torn
 * creation, when its records say it was durable; the id is checked. */
static void test_file_of_another_incident_is_refused(void **state)
{
    fixture *fx = *state;
    char other[256];
    tj_seen seen;
    inc_store *s;
    tj_path(other, sizeof(other), fx->dir, "renamed");
    assert_int_equal(rename(fx->file, other), 0);
    s = tj_open(fx->dir, INC_SYNC_EVERY, 1);
    assert_int_equal(tj_read(s, "renamed", 1, &seen), INC_ECORRUPT);
    assert_non_null(strstr(inc_store_errmsg(s), "another incident"));
    inc_store_free(s);
}

/* A file name that does not fit is cut to size - 1 bytes and terminated,
 * exactly as snprintf would cut it (the Release build's warning was about
 * that path). */
static void test_file_name_cut_as_snprintf_would(void **state)
{
    const char *id = "2026-11-23-db-cpu";
    char got[64], want[64];
    size_t size;
    (void)state;
    for (size = 1; size <= strlen(id) + 8; size++) {
        memset(got, 'x', sizeof(got));
        memset(want, 'x', sizeof(want));
        inc__jfile_name(id, got, size);
        snprintf(want, size, "%s.jnl", id);
        assert_memory_equal(got, want, size);
    }
    memset(got, 'x', sizeof(got));
    inc__jfile_name(id, got, 0); /* nothing written */
    assert_int_equal(got[0], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_name_cut_as_snprintf_would),
        cmocka_unit_test_setup_teardown(test_LIFE_3_torn_tail_every_offset_of_last_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_torn_multi_record_append_is_all_or_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_TL_4_garbled_tail_is_quarantined_and_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_TL_4_garbled_record_before_valid_ones_is_corrupt,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_TL_2_flipped_bit_in_the_middle_is_corrupt, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_TL_2_hash_chain_names_first_bad_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_TL_4_torn_creation_is_quarantined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_TL_4_bad_header_before_a_valid_record_is_corrupt,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_header_with_durable_records_is_corrupt, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_file_of_another_incident_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
