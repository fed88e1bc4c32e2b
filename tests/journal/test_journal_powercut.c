/* Power-cut simulation. A SIGKILL leaves the page cache intact, so it
 * cannot test fdatasync; this test puts an I/O layer under the journal
 * (lib/journal/journal_io.h) that passes calls to the real files but remembers every
 * write, truncation and name change not yet made durable by fdatasync (for
 * file data) or by an fsync of the directory (for names). At a simulated
 * power cut each pending operation is kept, dropped, garbled or torn at
 * random (seeded, reproducible), as SQLite's crash-test VFS does, and the
 * directory is rewritten to that state. A scripted scenario is cut at every
 * write and sync point in turn, with several seeds, under each sync policy;
 * after each cut the journal must recover without error, keep every event
 * acknowledged as durable, keep each append whole or not at all, and its
 * hash chain must verify. */
#include "test_journal_util.h"

#include <errno.h>
#include <fcntl.h>

#include "journal/journal_io.h"

#define MAX_FD    4096
#define MAX_NAMES 64
#define MAX_OPS   4096
#define NAME_LEN  160

enum { OP_WRITE, OP_TRUNC, OP_LINK, OP_UNLINK, OP_RENAME };

typedef struct op {
    int kind;
    uint64_t ino;
    uint64_t off; /* WRITE: offset; TRUNC: length */
    unsigned char *data;
    size_t len;
    char a[NAME_LEN], b[NAME_LEN];
} op;

typedef struct dfile { /* durable content of an inode */
    uint64_t ino;
    unsigned char *data;
    size_t len;
} dfile;

typedef struct dname {
    char name[NAME_LEN];
    uint64_t ino;
} dname;

typedef struct sim {
    const inc__jio *real;
    int points; /* write and sync points seen */
    int cut_at; /* cut before this point (0: never) */
    int dead;
    uint64_t fd_ino[MAX_FD];
    dfile files[MAX_NAMES * 2];
    int nfiles;
    dname names[MAX_NAMES]; /* durable names */
    int nnames;
    op ops[MAX_OPS]; /* pending, in order */
    int nops;
    uint64_t rng;
} sim;

static uint64_t rnd(sim *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

static dfile *file_of(sim *s, uint64_t ino)
{
    int i;
    for (i = 0; i < s->nfiles; i++)
        if (s->files[i].ino == ino)
            return &s->files[i];
    assert_true(s->nfiles < (int)(sizeof(s->files) / sizeof(s->files[0])));
    s->files[s->nfiles].ino = ino;
    s->files[s->nfiles].data = NULL;
    s->files[s->nfiles].len = 0;
    return &s->files[s->nfiles++];
}

static void apply_data(dfile *f, const op *o, const unsigned char *bytes, size_t len)
{
    if (o->kind == OP_TRUNC) {
        if (o->off > f->len) {
            f->data = realloc(f->data, o->off);
            assert_non_null(f->data);
            memset(f->data + f->len, 0, o->off - f->len);
        }
        f->len = o->off;
        return;
    }
    if (len == 0) /* a torn write that kept nothing */
        return;
    if (o->off + len > f->len) {
        f->data = realloc(f->data, o->off + len);
        assert_non_null(f->data);
        memset(f->data + f->len, 0, o->off + len - f->len);
        f->len = o->off + len;
    }
    memcpy(f->data + o->off, bytes, len);
}

static int name_find(sim *s, const char *name)
{
    int i;
    for (i = 0; i < s->nnames; i++)
        if (strcmp(s->names[i].name, name) == 0)
            return i;
    return -1;
}

static void apply_name(sim *s, const op *o)
{
    int i = name_find(s, o->kind == OP_RENAME ? o->a : o->b);
    if (o->kind == OP_UNLINK || o->kind == OP_RENAME) {
        uint64_t ino;
        if (i < 0)
            return;
        ino = s->names[i].ino;
        s->names[i] = s->names[--s->nnames];
        if (o->kind == OP_UNLINK)
            return;
        i = name_find(s, o->b);
        if (i < 0)
            i = s->nnames++;
        snprintf(s->names[i].name, NAME_LEN, "%s", o->b);
        s->names[i].ino = ino;
        return;
    }
    if (i < 0) { /* OP_LINK: b -> ino */
        assert_true(s->nnames < MAX_NAMES);
        i = s->nnames++;
    }
    snprintf(s->names[i].name, NAME_LEN, "%s", o->b);
    s->names[i].ino = o->ino;
}

static op *push(sim *s, int kind, uint64_t ino)
{
    op *o;
    assert_true(s->nops < MAX_OPS);
    o = &s->ops[s->nops++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    o->ino = ino;
    return o;
}

/* A write or sync point: count it; at the chosen one the power goes. */
static int point(sim *s)
{
    if (s->dead)
        return -EIO;
    if (++s->points == s->cut_at) {
        s->dead = 1;
        return -EIO;
    }
    return 0;
}

/* Make the pending operations on @ino (data) or on names durable. */
static void settle(sim *s, int names, uint64_t ino)
{
    int i, j = 0;
    for (i = 0; i < s->nops; i++) {
        op *o = &s->ops[i];
        int is_name = o->kind >= OP_LINK;
        if (names ? is_name : (!is_name && o->ino == ino)) {
            if (is_name)
                apply_name(s, o);
            else
                apply_data(file_of(s, o->ino), o, o->data, o->len);
            free(o->data);
        } else {
            s->ops[j++] = *o;
        }
    }
    s->nops = j;
}

/* ---- the I/O table ------------------------------------------------------- */

static int sim_openat(void *user, int dirfd, const char *name, int flags)
{
    sim *s = user;
    inc__jio_stat st;
    int fd, rc;
    if ((flags & INC__JO_CREATE_EXCL) && (rc = point(s)) < 0)
        return rc;
    if (s->dead)
        return -EIO;
    fd = s->real->openat(NULL, dirfd, name, flags);
    if (fd < 0)
        return fd;
    assert_true(fd < MAX_FD);
    assert_int_equal(s->real->fstat(NULL, fd, &st), 0);
    s->fd_ino[fd] = st.ino;
    if (flags & INC__JO_CREATE_EXCL) {
        op *o = push(s, OP_LINK, st.ino);
        snprintf(o->b, NAME_LEN, "%s", name);
        (void)file_of(s, st.ino); /* durable content: empty */
    }
    return fd;
}

static int sim_close(void *user, int fd)
{
    sim *s = user;
    return s->real->close(NULL, fd);
}

static int64_t sim_pread(void *user, int fd, void *buf, size_t n, uint64_t off)
{
    sim *s = user;
    return s->dead ? -EIO : s->real->pread(NULL, fd, buf, n, off);
}

static int64_t sim_pwrite(void *user, int fd, const void *buf, size_t n, uint64_t off)
{
    sim *s = user;
    op *o;
    int rc = point(s);
    if (rc < 0)
        return rc;
    o = push(s, OP_WRITE, s->fd_ino[fd]);
    o->off = off;
    o->len = n;
    o->data = malloc(n ? n : 1);
    assert_non_null(o->data);
    memcpy(o->data, buf, n);
    return s->real->pwrite(NULL, fd, buf, n, off);
}

static int sim_fdatasync(void *user, int fd)
{
    sim *s = user;
    int rc = point(s);
    if (rc < 0)
        return rc;
    settle(s, 0, s->fd_ino[fd]);
    return 0;
}

/* The journal fsyncs only its directory (files get fdatasync). */
static int sim_fsync(void *user, int fd)
{
    sim *s = user;
    int rc = point(s);
    (void)fd;
    if (rc < 0)
        return rc;
    settle(s, 1, 0);
    return 0;
}

static int sim_ftruncate(void *user, int fd, uint64_t len)
{
    sim *s = user;
    int rc = point(s);
    if (rc < 0)
        return rc;
    push(s, OP_TRUNC, s->fd_ino[fd])->off = len;
    return s->real->ftruncate(NULL, fd, len);
}

static int sim_fstat(void *user, int fd, inc__jio_stat *st)
{
    sim *s = user;
    return s->dead ? -EIO : s->real->fstat(NULL, fd, st);
}

static int sim_statat(void *user, int dirfd, const char *name, inc__jio_stat *st)
{
    sim *s = user;
    return s->dead ? -EIO : s->real->statat(NULL, dirfd, name, st);
}

static uint64_t ino_of_name(int dirfd, const char *name)
{
    struct stat sb;
    return fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 ? (uint64_t)sb.st_ino : 0;
}

static int sim_linkat(void *user, int dirfd, const char *from, const char *to)
{
    sim *s = user;
    uint64_t ino = ino_of_name(dirfd, from);
    op *o;
    int rc = point(s);
    if (rc < 0)
        return rc;
    rc = s->real->linkat(NULL, dirfd, from, to);
    if (rc == 0) {
        o = push(s, OP_LINK, ino);
        snprintf(o->b, NAME_LEN, "%s", to);
    }
    return rc;
}

static int sim_unlinkat(void *user, int dirfd, const char *name)
{
    sim *s = user;
    int rc = point(s);
    if (rc < 0)
        return rc;
    rc = s->real->unlinkat(NULL, dirfd, name);
    if (rc == 0)
        snprintf(push(s, OP_UNLINK, 0)->b, NAME_LEN, "%s", name);
    return rc;
}

static int sim_renameat(void *user, int dirfd, const char *from, const char *to)
{
    sim *s = user;
    int rc = point(s);
    op *o;
    if (rc < 0)
        return rc;
    rc = s->real->renameat(NULL, dirfd, from, to);
    if (rc == 0) {
        o = push(s, OP_RENAME, 0);
        snprintf(o->a, NAME_LEN, "%s", from);
        snprintf(o->b, NAME_LEN, "%s", to);
    }
    return rc;
}

static int sim_lock(void *user, int fd, int mode)
{
    sim *s = user;
    return s->real->lock(NULL, fd, mode);
}

/* ---- the cut ---------------------------------------------------------------- */

/* Decide the fate of each pending operation and rewrite the directory. */
static void power_cut(sim *s, const char *dir)
{
    int i;
    for (i = 0; i < s->nops; i++) {
        op *o = &s->ops[i];
        unsigned fate = (unsigned)(rnd(s) % 4); /* 0 keep, 1 drop, 2 garble, 3 torn */
        if (o->kind >= OP_LINK) {
            if (fate != 1)
                apply_name(s, o);
        } else if (o->kind == OP_TRUNC || fate == 0) {
            if (o->kind != OP_TRUNC || fate != 1)
                apply_data(file_of(s, o->ino), o, o->data, o->len);
        } else if (fate == 2) {
            size_t k;
            for (k = 0; k < o->len; k++)
                o->data[k] = (unsigned char)rnd(s);
            apply_data(file_of(s, o->ino), o, o->data, o->len);
        } else if (fate == 3 && o->len > 1) {
            apply_data(file_of(s, o->ino), o, o->data, (size_t)(rnd(s) % o->len));
        }
        free(o->data);
    }
    s->nops = 0;
    tj_rmtree(dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    for (i = 0; i < s->nnames; i++) {
        char p[512];
        dfile *f = file_of(s, s->names[i].ino);
        int fd;
        snprintf(p, sizeof(p), "%s/%s", dir, s->names[i].name);
        fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0600);
        assert_true(fd >= 0);
        if (f->len)
            assert_int_equal(write(fd, f->data, f->len), (ssize_t)f->len);
        close(fd);
    }
}

static void sim_free(sim *s)
{
    int i;
    for (i = 0; i < s->nfiles; i++)
        free(s->files[i].data);
    for (i = 0; i < s->nops; i++)
        free(s->ops[i].data);
}

/* ---- the scenario ------------------------------------------------------------ */

#define NINC 4
static const char *const inc_ids[NINC] = {"alpha", "bravo", "charlie", "delta"};

/* Steps: incident index and batch size; -1 = inc_store_sync(). */
static const int script[][2] = {{0, 1}, {0, 1}, {1, 3}, {0, 2}, {2, 1}, {1, 1}, {-1, 0},
                                {0, 1}, {2, 2}, {1, 1}, {3, 1}, {0, 1}, {3, 2}};
#define NSTEPS (sizeof(script) / sizeof(script[0]))

typedef struct track {
    uint64_t appended[NINC];           /* appends that returned INC_OK */
    uint64_t acked[NINC];              /* of those, known durable */
    uint64_t bounds[NINC][NSTEPS + 1]; /* every count an append may leave */
    int nbounds[NINC];
} track;

static void ack_all(track *t)
{
    memcpy(t->acked, t->appended, sizeof(t->acked));
}

static void run_scenario(sim *s, const char *dir, inc_sync_policy policy, track *t)
{
    inc__jio io = {s,         sim_openat,    sim_close, sim_pread,  sim_pwrite,   sim_fdatasync,
                   sim_fsync, sim_ftruncate, sim_fstat, sim_linkat, sim_unlinkat, sim_renameat,
                   sim_lock,  sim_statat};
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_journal_stats st;
    inc_store *js = NULL;
    size_t i;

    memset(t, 0, sizeof(*t));
    o.sync = policy;
    o.group_count = 3;
    o.group_ms = 1000000;
    if (inc__store_journal_open_io(dir, &o, &io, &js) != INC_OK)
        return;
    st.version = INC_JOURNAL_STATS_VERSION;
    for (i = 0; i < NSTEPS; i++) {
        int k = script[i][0], n = script[i][1], j, rc;
        char buf[3][512];
        inc_store_record r[3];
        if (k < 0) {
            if (inc_store_sync(js) != INC_OK)
                break;
            ack_all(t);
            continue;
        }
        for (j = 0; j < n; j++) {
            r[j].data = buf[j];
            r[j].len = tj_event(buf[j], sizeof(buf[j]), inc_ids[k], t->appended[k] + 1 + j);
        }
        t->bounds[k][t->nbounds[k]++] = t->appended[k] + (uint64_t)n;
        rc = inc_store_append(js, inc_ids[k], t->appended[k], r, (size_t)n);
        if (rc != INC_OK)
            break;
        t->appended[k] += (uint64_t)n;
        assert_int_equal(inc_journal_get_stats(js, &st), INC_OK);
        if (policy == INC_SYNC_EVERY || st.pending_events == 0)
            ack_all(t);
    }
    inc_store_free(js);
}

static int recovered;

static void count_recovery(void *user, const inc_journal_recovery *r)
{
    (void)user;
    (void)r;
    recovered++;
}

static int known_id(void *user, const char *id)
{
    int i;
    (void)user;
    for (i = 0; i < NINC; i++)
        if (strcmp(id, inc_ids[i]) == 0)
            return 0;
    return 1;
}

static int refused; /* incidents found corrupt after a cut (TL-4) */

/* After the cut: the journal opens, every incident reads without error,
 * holds every acknowledged event, ends at an append boundary, verifies;
 * and every byte the cut left is still in the incident's file or in a
 * quarantine file (RULES TL-4). Under group and none, writes not yet
 * synced reach the disk in any order: a damaged record followed by a
 * valid one is corruption (TL-4), refused with nothing cut, and the
 * acknowledged events before it are still read. */
static void check_recovery(const char *dir, const track *t, inc_sync_policy policy,
                           const char *what)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *js = NULL;
    unsigned char *orig[NINC];
    size_t olen[NINC];
    int i, rc;

    for (i = 0; i < NINC; i++) {
        char p[512];
        tj_path(p, sizeof(p), dir, inc_ids[i]);
        orig[i] = tj_slurp(p, &olen[i]);
    }
    inc_diag dg;
    o.on_recovery = count_recovery;
    o.diag = &dg;
    rc = inc_store_journal_open(dir, &o, &js);
    if (rc != INC_OK)
        fail_msg("%s: open after the cut: %d %s", what, rc, dg.message);
    assert_int_equal(inc_store_list(js, known_id, NULL), INC_OK);
    for (i = 0; i < NINC; i++) {
        tj_seen seen;
        int b, at_bound;
        rc = tj_read(js, inc_ids[i], 1, &seen);
        if (rc == INC_ENOTFOUND && t->acked[i] == 0)
            continue;
        if (rc == INC_ECORRUPT && policy != INC_SYNC_EVERY &&
            strstr(inc_store_errmsg(js), "TL-4") && seen.count >= t->acked[i]) {
            refused++;
            continue;
        }
        if (rc != INC_OK || seen.bad)
            fail_msg("%s: %s: read %d (%s)", what, inc_ids[i], rc, inc_store_errmsg(js));
        if (seen.count < t->acked[i])
            fail_msg("%s: %s: %llu events, %llu acknowledged", what, inc_ids[i],
                     (unsigned long long)seen.count, (unsigned long long)t->acked[i]);
        at_bound = 0;
        for (b = 0; b < t->nbounds[i]; b++)
            at_bound |= seen.count == t->bounds[i][b];
        if (!at_bound)
            fail_msg("%s: %s: %llu events: half an append", what, inc_ids[i],
                     (unsigned long long)seen.count);
        if (inc_journal_verify(js, inc_ids[i], NULL) != INC_OK)
            fail_msg("%s: %s: verify: %s", what, inc_ids[i], inc_store_errmsg(js));
        tj_append_range(js, inc_ids[i], seen.count + 1, seen.count + 1); /* usable */
    }
    inc_store_free(js);
    for (i = 0; i < NINC; i++) {
        int nq;
        if (orig[i])
            (void)tj_assert_preserved(dir, inc_ids[i], orig[i], olen[i], &nq);
        free(orig[i]);
    }
}

static void cut_everywhere(inc_sync_policy policy, int seeds)
{
    char parent[128], dir[160], what[96];
    sim *s = calloc(1, sizeof(*s));
    track t;
    int total, k, seed, cuts = 0;

    assert_non_null(s);
    recovered = refused = 0;
    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    /* A run without a cut counts the points and checks the scenario. */
    s->real = inc__jio_posix();
    assert_int_equal(mkdir(dir, 0700), 0);
    run_scenario(s, dir, policy, &t);
    total = s->points;
    assert_true(total > 20);
    sim_free(s);
    for (k = 1; k <= total; k++) {
        for (seed = 1; seed <= seeds; seed++) {
            memset(s, 0, sizeof(*s));
            s->real = inc__jio_posix();
            s->cut_at = k;
            s->rng = (uint64_t)k * 7919u + (uint64_t)seed * 104729u + 1;
            tj_rmtree(dir);
            assert_int_equal(mkdir(dir, 0700), 0);
            run_scenario(s, dir, policy, &t);
            power_cut(s, dir);
            snprintf(what, sizeof(what), "policy %d, cut at point %d of %d, seed %d", (int)policy,
                     k, total, seed);
            check_recovery(dir, &t, policy, what);
            sim_free(s);
            cuts++;
        }
    }
    print_message("policy %d: %d write/sync points, %d cuts, %d tails recovered, "
                  "%d incidents refused as corrupt (TL-4), 0 acknowledged events lost, "
                  "0 bytes deleted\n",
                  (int)policy, total, cuts, recovered, refused);
    tj_rmtree(parent);
    free(s);
}

static void test_LIFE_3_power_cut_at_every_point_policy_every(void **state)
{
    (void)state;
    cut_everywhere(INC_SYNC_EVERY, 4);
}

static void test_power_cut_at_every_point_policy_group(void **state)
{
    (void)state;
    cut_everywhere(INC_SYNC_GROUP, 4);
}

static void test_power_cut_at_every_point_policy_none(void **state)
{
    (void)state;
    cut_everywhere(INC_SYNC_NONE, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_LIFE_3_power_cut_at_every_point_policy_every),
        cmocka_unit_test(test_power_cut_at_every_point_policy_group),
        cmocka_unit_test(test_power_cut_at_every_point_policy_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
