/* Locks that hold for every handle (issue 16, item 1). Several threads of
 * one process, each with its own context and journal handle on one store,
 * add notes to the same incidents under every sync policy: every
 * acknowledged note must be in the timeline exactly once and every file
 * must verify. And a handle opened and freed while another holds its lock
 * (the group policy keeps it across appends) must not drop that lock: with
 * process-wide POSIX locks its close() did, another process appended, and
 * the lock holder then wrote over that acknowledged note.
 *
 * Each test runs twice: with the build's locks (open-file-description locks
 * on Linux) and with the in-process lock table that replaces them where
 * they do not exist (lib/journal/journal_io_locks.c). */
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>

#include "test_journal_util.h"

#include "journal/journal_io.h"

#define THREADS   4
#define INCIDENTS 2
#define NOTES     1000 /* per thread, at most */
/* Notes per thread under the policies that sync (each note or group costs a
 * sync); policy none takes many more to make a race without locks likely. */
#define NOTES_SYNCED 40
#define MAX_TRIES    1000

static const inc__jio *lock_kind(int table)
{
    return table ? inc__jio_posix_table() : inc__jio_posix();
}

static inc_store *open_store(const char *dir, const inc__jio *io, inc_sync_policy sync,
                             unsigned group_ms)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    o.sync = sync;
    o.group_ms = group_ms;
    o.group_count = 4;
    if (inc__store_journal_open_io(dir, &o, io, &s) != INC_OK)
        return NULL;
    return s;
}

static inc_context *context_on(inc_store *store)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    o.store = store;
    if (inc_context_new(&o, &ctx) != INC_OK)
        return NULL;
    return ctx;
}

static void declare(inc_context *ctx, const char *title, char id[INC_ID_MAX + 1])
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    d.title = title;
    d.declarer = "dana";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    snprintf(id, INC_ID_MAX + 1, "%s", inc_incident_id(inc));
    inc_incident_free(inc);
}

/* Add @text, reloading and trying again while another writer was first. */
static int note_retrying(inc_incident *inc, const char *text)
{
    int rc = INC_ECONFLICT, tries;
    for (tries = 0; tries < MAX_TRIES && rc == INC_ECONFLICT; tries++) {
        rc = inc_incident_note(inc, "tester", text);
        if (rc == INC_ECONFLICT && inc_incident_reload(inc) != INC_OK)
            return INC_ERROR;
    }
    return rc;
}

typedef struct worker {
    const char *dir;
    const inc__jio *io;
    inc_sync_policy sync;
    int tag;
    int notes;
    char (*ids)[INC_ID_MAX + 1];
    pthread_barrier_t *start; /* the threads write at the same time */
    int acked[INCIDENTS][NOTES];
    int failures;
    char why[256];
} worker;

static void worker_fail(worker *w, const char *what, const char *msg)
{
    if (w->failures++ == 0)
        snprintf(w->why, sizeof(w->why), "thread %d: %s: %s", w->tag, what, msg ? msg : "");
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    inc_incident *inc[INCIDENTS] = {NULL};
    inc_store *s = open_store(w->dir, w->io, w->sync, 2);
    inc_context *ctx = s ? context_on(s) : NULL;
    int k, n;

    if (!ctx) {
        worker_fail(w, "open", NULL);
        (void)pthread_barrier_wait(w->start);
        goto out;
    }
    for (k = 0; k < INCIDENTS; k++)
        if (inc_incident_open(ctx, w->ids[k], &inc[k]) != INC_OK)
            worker_fail(w, "open incident", inc_context_errmsg(ctx));
    (void)pthread_barrier_wait(w->start);
    for (n = 0; n < w->notes && w->failures == 0; n++) {
        char text[64];
        k = (n + w->tag) % INCIDENTS;
        snprintf(text, sizeof(text), "thread %d note %d", w->tag, n);
        int rc = note_retrying(inc[k], text);
        if (rc == INC_OK)
            w->acked[k][n] = 1;
        else
            worker_fail(w, inc_status_name(rc), inc_incident_errmsg(inc[k]));
    }
out:
    for (k = 0; k < INCIDENTS; k++)
        inc_incident_free(inc[k]);
    inc_context_free(ctx);
    inc_store_free(s);
    return NULL;
}

/* Every acknowledged note of @w in incident @k exactly once, nothing else. */
static void check_notes(inc_incident *inc, worker *w, int k)
{
    int seen[THREADS][NOTES];
    size_t i, count = inc_incident_event_count(inc);
    int t, n;

    memset(seen, 0, sizeof(seen));
    for (i = 0; i < count; i++) {
        inc_event_info ev;
        assert_int_equal(inc_incident_get_event(inc, i, &ev), INC_OK);
        if (ev.kind != INC_EV_NOTE)
            continue;
        assert_int_equal(sscanf(ev.text, "thread %d note %d", &t, &n), 2);
        assert_true(t >= 0 && t < THREADS && n >= 0 && n < NOTES);
        seen[t][n]++;
    }
    for (t = 0; t < THREADS; t++)
        for (n = 0; n < NOTES; n++)
            if (seen[t][n] != w[t].acked[k][n])
                fail_msg("incident %d: note %d of thread %d: acknowledged %d, found %d times", k, n,
                         t, w[t].acked[k][n], seen[t][n]);
}

static void threads_on_one_store(const char *dir, inc_sync_policy sync, int table)
{
    char ids[INCIDENTS][INC_ID_MAX + 1];
    pthread_t th[THREADS];
    pthread_barrier_t start;
    worker *w = calloc(THREADS, sizeof(*w));
    inc_store *s = open_store(dir, lock_kind(table), INC_SYNC_EVERY, 0);
    inc_context *ctx = context_on(s);
    int t, k;

    assert_non_null(w);
    assert_non_null(ctx);
    for (k = 0; k < INCIDENTS; k++)
        declare(ctx, k ? "Checkout errors in eu-west" : "Payments API latency", ids[k]);
    assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
    for (t = 0; t < THREADS; t++) {
        w[t].dir = dir;
        w[t].io = lock_kind(table);
        w[t].sync = sync;
        w[t].tag = t;
        w[t].notes = sync == INC_SYNC_NONE ? NOTES : NOTES_SYNCED;
        w[t].ids = ids;
        w[t].start = &start;
        assert_int_equal(pthread_create(&th[t], NULL, worker_main, &w[t]), 0);
    }
    for (t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    (void)pthread_barrier_destroy(&start);
    for (t = 0; t < THREADS; t++)
        if (w[t].failures)
            fail_msg("%s", w[t].why);
    for (k = 0; k < INCIDENTS; k++) {
        inc_incident *inc = NULL;
        uint64_t bad = 0;
        if (inc_journal_verify(s, ids[k], &bad) != INC_OK)
            fail_msg("incident %d: %s", k, inc_store_errmsg(s));
        assert_int_equal(inc_incident_open(ctx, ids[k], &inc), INC_OK);
        assert_int_equal(inc_incident_verify(inc, &bad), INC_OK);
        check_notes(inc, w, k);
        inc_incident_free(inc);
    }
    inc_context_free(ctx);
    inc_store_free(s);
    free(w);
}

static void test_threads_policy_every(void **state)
{
    tj_fixture *fx = *state;
    threads_on_one_store(fx->dir, INC_SYNC_EVERY, 0);
}

static void test_threads_policy_group(void **state)
{
    tj_fixture *fx = *state;
    threads_on_one_store(fx->dir, INC_SYNC_GROUP, 0);
}

static void test_threads_policy_none(void **state)
{
    tj_fixture *fx = *state;
    threads_on_one_store(fx->dir, INC_SYNC_NONE, 0);
}

static void test_threads_policy_every_lock_table(void **state)
{
    tj_fixture *fx = *state;
    threads_on_one_store(fx->dir, INC_SYNC_EVERY, 1);
}

static void test_threads_policy_group_lock_table(void **state)
{
    tj_fixture *fx = *state;
    threads_on_one_store(fx->dir, INC_SYNC_GROUP, 1);
}

static void test_threads_policy_none_lock_table(void **state)
{
    tj_fixture *fx = *state;
    threads_on_one_store(fx->dir, INC_SYNC_NONE, 1);
}

/* ---- a second handle opened and freed ------------------------------------- */

static void put_byte(int fd, char c)
{
    assert_int_equal(write(fd, &c, 1), 1);
}

static char get_byte(int fd)
{
    char c = 0;
    return read(fd, &c, 1) == 1 ? c : 0;
}

/* 1 if another process holds a lock on @path (a POSIX lock of ours
 * conflicts with both kinds the journal takes). */
static int locked_by_another(const char *path)
{
    struct flock fl;
    int fd = open(path, O_RDWR), r;
    if (fd < 0)
        return -1;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    r = fcntl(fd, F_SETLK, &fl);
    close(fd); /* drops our lock, if we got it */
    return r != 0;
}

/* The other process: when told, look whether the incident's file is locked
 * ('H' held, 'F' free), then, when free or when told again, add a note
 * under policy every through @io. Exits 0 when its note was acknowledged;
 * killed if it waits for more than a minute. */
static void other_process(const char *dir, const char *id, const inc__jio *io, int from_parent,
                          int to_parent)
{
    char path[512];
    inc_store *s;
    inc_context *ctx;
    inc_incident *inc = NULL;
    int rc;

    alarm(60);
    if (get_byte(from_parent) != 'p')
        _exit(2);
    tj_path(path, sizeof(path), dir, id);
    rc = locked_by_another(path);
    put_byte(to_parent, rc == 1 ? 'H' : 'F');
    if (rc == 1 && get_byte(from_parent) != 'a')
        _exit(2);
    s = open_store(dir, io, INC_SYNC_EVERY, 0);
    ctx = s ? context_on(s) : NULL;
    if (!ctx || inc_incident_open(ctx, id, &inc) != INC_OK)
        _exit(3);
    rc = note_retrying(inc, "thread 1 note 0");
    put_byte(to_parent, 'D');
    _exit(rc == INC_OK ? 0 : 4);
}

static void freed_handle_keeps_others_lock(const char *dir, int table)
{
    const inc__jio *io = lock_kind(table);
    char id[INC_ID_MAX + 1], probe;
    int to_child[2], to_parent[2], status = 0;
    inc_store *a, *b;
    inc_context *ca, *cb;
    inc_incident *ia = NULL, *ib = NULL;
    worker w[THREADS];
    pid_t pid;

    a = open_store(dir, io, INC_SYNC_EVERY, 0);
    ca = context_on(a);
    assert_non_null(ca);
    declare(ca, "Queue backlog in billing", id);
    inc_context_free(ca);
    inc_store_free(a);

    /* The other process is started before this one has threads. */
    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(to_parent), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        other_process(dir, id, inc__jio_posix(), to_child[0], to_parent[1]);
    close(to_child[0]); /* a child that dies is seen as the end of its pipe */
    close(to_parent[1]);

    /* Handle a, group policy: its first note takes the file's write lock and
     * keeps it until the group is synced (not within this test). */
    a = open_store(dir, io, INC_SYNC_GROUP, 60000);
    ca = context_on(a);
    assert_non_null(ca);
    assert_int_equal(inc_incident_open(ca, id, &ia), INC_OK);
    assert_int_equal(inc_incident_note(ia, "tester", "thread 0 note 0"), INC_OK);

    /* Handle b reads the same file, and is freed: its descriptor closes. */
    b = open_store(dir, io, INC_SYNC_EVERY, 0);
    cb = context_on(b);
    assert_non_null(cb);
    assert_int_equal(inc_incident_open(cb, id, &ib), INC_OK);
    inc_incident_free(ib);
    inc_context_free(cb);
    inc_store_free(b);

    /* The other process looks at the lock; if it finds it free it adds its
     * note at once, acknowledged under policy every. */
    put_byte(to_child[1], 'p');
    probe = get_byte(to_parent[0]);
    if (probe == 'F')
        assert_int_equal(get_byte(to_parent[0]), 'D');
    /* Handle a still holds the lock, as far as it knows: its next note goes
     * after what it knows of the file. */
    assert_int_equal(note_retrying(ia, "thread 0 note 1"), INC_OK);
    assert_int_equal(inc_store_sync(a), INC_OK); /* the group ends: the lock goes */
    if (probe == 'H') {
        put_byte(to_child[1], 'a');
        assert_int_equal(get_byte(to_parent[0]), 'D');
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Every acknowledged note is there, and the file verifies. */
    memset(w, 0, sizeof(w));
    w[0].acked[0][0] = w[0].acked[0][1] = w[1].acked[0][0] = 1;
    if (inc_journal_verify(a, id, NULL) != INC_OK)
        fail_msg("%s", inc_store_errmsg(a));
    assert_int_equal(inc_incident_reload(ia), INC_OK);
    check_notes(ia, w, 0);
    assert_int_equal(probe, 'H'); /* b's close did not drop a's lock */
    inc_incident_free(ia);
    inc_context_free(ca);
    inc_store_free(a);
    close(to_child[1]);
    close(to_parent[0]);
}

static void test_freed_handle_keeps_others_lock(void **state)
{
    tj_fixture *fx = *state;
    freed_handle_keeps_others_lock(fx->dir, 0);
}

static void test_freed_handle_keeps_others_lock_lock_table(void **state)
{
    tj_fixture *fx = *state;
    freed_handle_keeps_others_lock(fx->dir, 1);
}

/* A child forked while this process holds a lock through the lock table
 * starts with a table of its own: the POSIX lock, which it does not
 * inherit, keeps it out until the parent lets go, and then it writes. (With
 * the parent's table it would wait for a holder it does not have.) */
static void test_fork_while_locked_lock_table(void **state)
{
    tj_fixture *fx = *state;
    const inc__jio *io = inc__jio_posix_table();
    char id[INC_ID_MAX + 1];
    int to_child[2], to_parent[2], status = 0;
    inc_store *a = open_store(fx->dir, io, INC_SYNC_EVERY, 0);
    inc_context *ca = context_on(a);
    inc_incident *ia = NULL;
    worker w[THREADS];
    pid_t pid;

    assert_non_null(ca);
    declare(ca, "Disk full on the log host", id);
    inc_context_free(ca);
    inc_store_free(a);
    a = open_store(fx->dir, io, INC_SYNC_GROUP, 60000);
    ca = context_on(a);
    assert_non_null(ca);
    assert_int_equal(inc_incident_open(ca, id, &ia), INC_OK);
    assert_int_equal(inc_incident_note(ia, "tester", "thread 0 note 0"), INC_OK); /* locked */

    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(to_parent), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        other_process(fx->dir, id, io, to_child[0], to_parent[1]);
    close(to_child[0]);
    close(to_parent[1]);
    put_byte(to_child[1], 'p');
    assert_int_equal(get_byte(to_parent[0]), 'H');
    assert_int_equal(note_retrying(ia, "thread 0 note 1"), INC_OK);
    assert_int_equal(inc_store_sync(a), INC_OK); /* the lock goes */
    put_byte(to_child[1], 'a');
    assert_int_equal(get_byte(to_parent[0]), 'D');
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    memset(w, 0, sizeof(w));
    w[0].acked[0][0] = w[0].acked[0][1] = w[1].acked[0][0] = 1;
    assert_int_equal(inc_incident_reload(ia), INC_OK);
    check_notes(ia, w, 0);
    assert_int_equal(inc_journal_verify(a, id, NULL), INC_OK);
    inc_incident_free(ia);
    inc_context_free(ca);
    inc_store_free(a);
    close(to_child[1]);
    close(to_parent[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threads_policy_every, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_threads_policy_group, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_threads_policy_none, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_threads_policy_every_lock_table, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_threads_policy_group_lock_table, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_threads_policy_none_lock_table, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_freed_handle_keeps_others_lock, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_freed_handle_keeps_others_lock_lock_table, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_fork_while_locked_lock_table, tj_setup, tj_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
