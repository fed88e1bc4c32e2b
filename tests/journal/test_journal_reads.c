/* What a journal read costs in calls to the file system. Reading a whole
 * store (metrics, the store-wide action list) is one read per incident, so
 * the calls per read are the store's floor: a first read of an incident is
 * one open, one fstat and one pread (header and records together, to the
 * size the fstat gave, with no read to find the end), and the hash the
 * next append chains to comes from the bytes already read. These tests put
 * a counting I/O layer (lib/journal/journal_io.h) under the journal and check the
 * counts, and that a read with a bad header still goes through recovery. */
#include "test_journal_util.h"

#include <sys/stat.h>

#include "journal/journal_io.h"
#include "util/hash.h"

typedef struct counter {
    const inc__jio *real;
    unsigned openat, fstat, pread, close, statat;
} counter;

static int c_openat(void *u, int dirfd, const char *name, int flags)
{
    counter *c = u;
    c->openat++;
    return c->real->openat(c->real->user, dirfd, name, flags);
}
static int c_close(void *u, int fd)
{
    counter *c = u;
    c->close++;
    return c->real->close(c->real->user, fd);
}
static int64_t c_pread(void *u, int fd, void *buf, size_t n, uint64_t off)
{
    counter *c = u;
    c->pread++;
    return c->real->pread(c->real->user, fd, buf, n, off);
}
static int64_t c_pwrite(void *u, int fd, const void *buf, size_t n, uint64_t off)
{
    counter *c = u;
    return c->real->pwrite(c->real->user, fd, buf, n, off);
}
static int c_fdatasync(void *u, int fd)
{
    counter *c = u;
    return c->real->fdatasync(c->real->user, fd);
}
static int c_fsync(void *u, int fd)
{
    counter *c = u;
    return c->real->fsync(c->real->user, fd);
}
static int c_ftruncate(void *u, int fd, uint64_t len)
{
    counter *c = u;
    return c->real->ftruncate(c->real->user, fd, len);
}
static int c_fstat(void *u, int fd, inc__jio_stat *st)
{
    counter *c = u;
    c->fstat++;
    return c->real->fstat(c->real->user, fd, st);
}
static int c_linkat(void *u, int dirfd, const char *from, const char *to)
{
    counter *c = u;
    return c->real->linkat(c->real->user, dirfd, from, to);
}
static int c_unlinkat(void *u, int dirfd, const char *name)
{
    counter *c = u;
    return c->real->unlinkat(c->real->user, dirfd, name);
}
static int c_renameat(void *u, int dirfd, const char *from, const char *to)
{
    counter *c = u;
    return c->real->renameat(c->real->user, dirfd, from, to);
}
static int c_lock(void *u, int fd, int mode)
{
    counter *c = u;
    return c->real->lock(c->real->user, fd, mode);
}

static int c_statat(void *u, int dirfd, const char *name, inc__jio_stat *st)
{
    counter *c = u;
    c->statat++;
    return c->real->statat(c->real->user, dirfd, name, st);
}

static inc_store *open_counted(const char *dir, counter *c, int ro)
{
    inc__jio io = {c,           c_openat, c_close,  c_pread,    c_pwrite,   c_fdatasync, c_fsync,
                   c_ftruncate, c_fstat,  c_linkat, c_unlinkat, c_renameat, c_lock,      c_statat};
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    memset(c, 0, sizeof(*c));
    c->real = inc__jio_posix();
    o.read_only = ro;
    assert_int_equal(inc__store_journal_open_io(dir, &o, &io, &s), INC_OK);
    memset(c, 0, sizeof(*c)); /* count from here: opening the store is not a read */
    c->real = inc__jio_posix();
    return s;
}

static int count_bytes(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    (void)data;
    *(size_t *)user += len;
    return 0;
}

static void write_incident(const char *dir, const char *id, uint64_t events)
{
    inc_store *s = tj_open(dir, INC_SYNC_NONE, 0);
    tj_append_range(s, id, 1, events);
    inc_store_free(s);
}

/* A first read: open, fstat, one pread; then appending (which chains to the
 * hash of the last record) reads nothing more to find that hash. */
static void test_first_read_is_one_open_one_stat_one_read(void **state)
{
    char parent[128], dir[160];
    counter c;
    tj_seen seen;
    inc_store *s;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    write_incident(dir, "a", 40);
    s = open_counted(dir, &c, 0);
    assert_int_equal(tj_read(s, "a", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 40);
    assert_false(seen.bad);
    assert_int_equal(c.openat, 1);
    assert_int_equal(c.fstat, 1);
    assert_int_equal(c.pread, 1);

    /* A second read of the open file: one fstat (new appends?) and one
     * pread of what is there. */
    memset(&c, 0, sizeof(c));
    c.real = inc__jio_posix();
    assert_int_equal(tj_read(s, "a", 39, &seen), INC_OK);
    assert_int_equal(seen.count, 2);
    assert_int_equal(c.openat, 0);
    assert_int_equal(c.fstat, 1);
    assert_int_equal(c.pread, 1);

    /* Reading from past the end: the fstat shows nothing new, no pread. */
    memset(&c, 0, sizeof(c));
    c.real = inc__jio_posix();
    assert_int_equal(tj_read(s, "a", 41, &seen), INC_OK);
    assert_int_equal(seen.count, 0);
    assert_int_equal(c.pread, 0);

    /* The append chains to the hash the read kept: the chain verifies. */
    tj_append_range(s, "a", 41, 41);
    assert_int_equal(inc_journal_verify(s, "a", NULL), INC_OK);
    inc_store_free(s);
    tj_rmtree(parent);
}

/* An append to an incident this handle has not read takes the header and
 * records under the lock in one pread too (then writes). */
static void test_first_append_reads_the_file_once(void **state)
{
    char parent[128], dir[160];
    counter c;
    inc_store *s;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    write_incident(dir, "e", 20);
    s = open_counted(dir, &c, 0);
    tj_append_range(s, "e", 21, 21);
    assert_int_equal(c.openat, 1);
    assert_int_equal(c.pread, 1);
    assert_int_equal(inc_journal_verify(s, "e", NULL), INC_OK);
    inc_store_free(s);
    tj_rmtree(parent);
}

/* A read sees what another handle appended since its last read. */
static void test_next_read_sees_appends_by_another_handle(void **state)
{
    char parent[128], dir[160];
    counter c;
    tj_seen seen;
    inc_store *s, *w;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    write_incident(dir, "b", 3);
    s = open_counted(dir, &c, 1);
    assert_int_equal(tj_read(s, "b", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 3);
    w = tj_open(dir, INC_SYNC_NONE, 0);
    tj_append_range(w, "b", 4, 6);
    assert_int_equal(tj_read(s, "b", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 6);
    assert_false(seen.bad);
    assert_int_equal(inc_journal_verify(s, "b", NULL), INC_OK);
    inc_store_free(w);
    inc_store_free(s);
    tj_rmtree(parent);
}

/* A file larger than the scanner's largest chunk (1 MiB) is read in
 * pieces; the hash of the last record is kept before its bytes leave the
 * buffer, so an append after the read still chains correctly. */
static void test_file_larger_than_one_read_chunk(void **state)
{
    char parent[128], dir[160];
    size_t big = 700u << 10, seen_bytes = 0;
    unsigned char *data = malloc(big);
    counter c;
    inc_store *s;
    int i;
    (void)state;

    assert_non_null(data);
    for (i = 0; i < (int)big; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    s = tj_open(dir, INC_SYNC_NONE, 0);
    for (i = 0; i < 4; i++) { /* 2.8 MB: three compactions */
        inc_store_record r = {data, big - (size_t)i};
        assert_int_equal(inc_store_append(s, "big", (uint64_t)i, &r, 1), INC_OK);
    }
    inc_store_free(s);
    s = open_counted(dir, &c, 0);
    assert_int_equal(inc_store_read(s, "big", 1, count_bytes, &seen_bytes), INC_OK);
    assert_int_equal(seen_bytes, 4 * big - 6);
    assert_true(c.pread >= 3);
    {
        inc_store_record r = {data, 10};
        assert_int_equal(inc_store_append(s, "big", 4, &r, 1), INC_OK);
    }
    assert_int_equal(inc_journal_verify(s, "big", NULL), INC_OK);
    inc_store_free(s);

    /* The last committed record leaves the buffer before the scan ends: a
     * torn two-record append of 1.4 MB after it. Its hash must have been
     * kept when it left, or the next append would not chain. */
    s = tj_open(dir, INC_SYNC_NONE, 0);
    {
        inc_store_record group[2] = {{data, big}, {data, big}};
        assert_int_equal(inc_store_append(s, "torn", 0, group, 1), INC_OK);
        assert_int_equal(inc_store_append(s, "torn", 1, group, 2), INC_OK);
    }
    inc_store_free(s);
    {
        char path[512];
        tj_path(path, sizeof(path), dir, "torn");
        assert_int_equal(truncate(path, tj_file_size(dir, "torn") - 100), 0);
    }
    s = open_counted(dir, &c, 0);
    seen_bytes = 0;
    assert_int_equal(inc_store_read(s, "torn", 1, count_bytes, &seen_bytes), INC_OK);
    assert_int_equal(seen_bytes, big); /* the torn append is cut */
    {
        inc_store_record r = {data, 10};
        assert_int_equal(inc_store_append(s, "torn", 1, &r, 1), INC_OK);
    }
    assert_int_equal(inc_journal_verify(s, "torn", NULL), INC_OK);
    inc_store_free(s);
    free(data);
    tj_rmtree(parent);
}

/* The header arrives with the records; a bad one still goes to recovery:
 * rot in a file with durable records is INC_ECORRUPT and changes nothing,
 * a newer format is INC_EVERSION. */
static void test_bad_header_on_first_read(void **state)
{
    char parent[128], dir[160], path[512];
    counter c;
    tj_seen seen;
    inc_store *s;
    long size;
    FILE *f;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    {
        inc_store *w = tj_open(dir, INC_SYNC_EVERY, 0);
        tj_append_range(w, "c", 1, 5);
        inc_store_free(w);
    }
    size = tj_file_size(dir, "c");
    tj_path(path, sizeof(path), dir, "c");
    f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 30, SEEK_SET), 0);
    assert_int_equal(fputc('X', f), 'X'); /* inside the id: the header CRC fails */
    fclose(f);
    s = open_counted(dir, &c, 0);
    assert_int_equal(tj_read(s, "c", 1, &seen), INC_ECORRUPT);
    assert_non_null(strstr(inc_store_errmsg(s), "header"));
    assert_int_equal(seen.count, 0);
    assert_int_equal(tj_file_size(dir, "c"), size);
    inc_store_free(s);

    /* A newer format: byte 8 is the format version (CRC fixed up). */
    write_incident(dir, "d", 2);
    tj_path(path, sizeof(path), dir, "d");
    f = fopen(path, "r+b");
    assert_non_null(f);
    {
        unsigned char h[128];
        uint32_t crc;
        assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
        h[8] = 9;
        crc = inc__crc32c(0, h, 124);
        h[124] = (unsigned char)crc;
        h[125] = (unsigned char)(crc >> 8);
        h[126] = (unsigned char)(crc >> 16);
        h[127] = (unsigned char)(crc >> 24);
        assert_int_equal(fseek(f, 0, SEEK_SET), 0);
        assert_int_equal(fwrite(h, 1, sizeof(h), f), sizeof(h));
    }
    fclose(f);
    s = open_counted(dir, &c, 0);
    assert_int_equal(tj_read(s, "d", 1, &seen), INC_EVERSION);
    inc_store_free(s);
    tj_rmtree(parent);
}

/* A file cut inside its header (a torn creation) is not an incident. */
static void test_torn_creation_on_first_read(void **state)
{
    char parent[128], dir[160], path[512];
    counter c;
    tj_seen seen;
    inc_store *s;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    write_incident(dir, "e", 1);
    tj_path(path, sizeof(path), dir, "e");
    assert_int_equal(truncate(path, 60), 0);
    s = open_counted(dir, &c, 0);
    assert_int_equal(tj_read(s, "e", 1, &seen), INC_ENOTFOUND);
    assert_int_equal(tj_file_size(dir, "e"), -1); /* removed by the writable handle */
    inc_store_free(s);
    tj_rmtree(parent);
}

/* Only regular files are incident files: a FIFO is refused at once (an
 * open that waited for a writer would hang the reader), a symlink is not
 * followed (its target is never read or written). */
static void test_fifo_and_symlink_are_not_incidents(void **state)
{
    char parent[128], dir[160], path[512], target[512];
    counter c;
    tj_seen seen;
    inc_store *s;
    FILE *f;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    write_incident(dir, "real", 2);
    tj_path(path, sizeof(path), dir, "pipe");
    assert_int_equal(mkfifo(path, 0600), 0);
    snprintf(target, sizeof(target), "%s/outside", parent);
    f = fopen(target, "w");
    assert_non_null(f);
    fputs("not a journal\n", f);
    fclose(f);
    tj_path(path, sizeof(path), dir, "link");
    assert_int_equal(symlink(target, path), 0);

    s = open_counted(dir, &c, 0);
    assert_int_equal(tj_read(s, "pipe", 1, &seen), INC_ECORRUPT);
    assert_non_null(strstr(inc_store_errmsg(s), "not a regular file"));
    assert_int_equal(tj_read(s, "link", 1, &seen), INC_EIO);
    assert_int_equal(tj_read(s, "real", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 2);
    inc_store_free(s);
    f = fopen(target, "r");
    assert_non_null(f);
    assert_non_null(fgets(path, sizeof(path), f));
    fclose(f);
    assert_string_equal(path, "not a journal\n");
    tj_rmtree(parent);
}

static int blob_seen(void *user, const void *data, size_t len)
{
    (void)data;
    *(size_t *)user = len;
    return 0;
}

/* Blob files are held to the same rule (RUB-4, journal-format.md "Blobs"):
 * a FIFO or a symlink planted under a blob's name is refused when read,
 * never followed, and a put of the right bytes replaces it with the real
 * file, leaving the symlink's target untouched. */
static void test_fifo_and_symlink_blobs(void **state)
{
    static const char text[] = "blob bytes";
    char parent[128], dir[160], path[600], target[512], key[INC_STORE_BLOB_KEY_LEN + 1];
    size_t len = 0;
    inc_store *s;
    FILE *f;
    int round;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    snprintf(target, sizeof(target), "%s/outside", parent);
    for (round = 0; round < 2; round++) {
        s = tj_open(dir, INC_SYNC_EVERY, 0);
        assert_int_equal(inc_store_put_blob(s, text, sizeof(text) - 1, key), INC_OK);
        inc_store_free(s);
        snprintf(path, sizeof(path), "%s/%s.blob", dir, key);
        assert_int_equal(unlink(path), 0);
        if (round == 0) {
            assert_int_equal(mkfifo(path, 0600), 0);
        } else {
            f = fopen(target, "w");
            assert_non_null(f);
            fputs("outside\n", f);
            fclose(f);
            assert_int_equal(symlink(target, path), 0);
        }
        s = tj_open(dir, INC_SYNC_EVERY, 0);
        assert_int_equal(inc_store_get_blob(s, key, blob_seen, &len),
                         round == 0 ? INC_ECORRUPT : INC_EIO);
        inc_store_free(s);
        s = tj_open(dir, INC_SYNC_EVERY, 0);
        assert_int_equal(inc_store_put_blob(s, text, sizeof(text) - 1, NULL), INC_OK);
        assert_int_equal(inc_store_get_blob(s, key, blob_seen, &len), INC_OK);
        assert_int_equal(len, sizeof(text) - 1);
        inc_store_free(s);
    }
    f = fopen(target, "r");
    assert_non_null(f);
    assert_non_null(fgets(path, sizeof(path), f));
    fclose(f);
    assert_string_equal(path, "outside\n");
    tj_rmtree(parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_read_is_one_open_one_stat_one_read),
        cmocka_unit_test(test_fifo_and_symlink_blobs),
        cmocka_unit_test(test_first_append_reads_the_file_once),
        cmocka_unit_test(test_next_read_sees_appends_by_another_handle),
        cmocka_unit_test(test_file_larger_than_one_read_chunk),
        cmocka_unit_test(test_bad_header_on_first_read),
        cmocka_unit_test(test_torn_creation_on_first_read),
        cmocka_unit_test(test_fifo_and_symlink_are_not_incidents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
