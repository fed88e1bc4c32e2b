/* The store refuses to be shared with strangers (issue 16, item 5): a
 * journal directory writable by its group or by others, or owned by another
 * user, is refused with INC_EPERM and a message that names the directory,
 * what is wrong and how to fix it, unless inc_journal_options::allow_shared
 * says otherwise. And what the journal creates is private whatever the
 * umask: the directory 0700, files 0600. */
#include <stddef.h>

#include "test_journal_util.h"

/* Open @dir (read-only when @ro); the status, and the message in @d. */
static int open_shared(const char *dir, int ro, int allow, inc_diag *d)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = (inc_store *)&o; /* must be set to NULL on failure */
    int rc;
    o.read_only = ro;
    o.allow_shared = allow;
    o.diag = d;
    memset(d, 0, sizeof(*d));
    rc = inc_store_journal_open(dir, &o, &s);
    if (rc == INC_OK) { /* usable: one more event, and it verifies */
        tj_seen seen;
        int got = tj_read(s, "shared", 1, &seen);
        assert_true(got == INC_OK || got == INC_ENOTFOUND);
        if (!ro)
            tj_append_range(s, "shared", seen.count + 1, seen.count + 1);
        if (got == INC_OK || !ro)
            assert_int_equal(inc_journal_verify(s, "shared", NULL), INC_OK);
        inc_store_free(s);
    } else {
        assert_null(s);
    }
    return rc;
}

static void has(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" lacks \"%s\"", text, part);
}

static int exists(const char *dir, const char *name)
{
    char p[512];
    struct stat sb;
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return lstat(p, &sb) == 0;
}

/* Refused with @mode, read-only too, nothing written; allowed when asked. */
static void refused_with_mode(const char *dir, mode_t mode, const char *who)
{
    char text[16];
    inc_diag d;

    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chmod(dir, mode), 0);
    snprintf(text, sizeof(text), "mode %04o", (unsigned)mode);
    assert_int_equal(open_shared(dir, 0, 0, &d), INC_EPERM);
    assert_int_equal(d.code, INC_EPERM);
    has(d.message, dir);
    has(d.message, text);
    has(d.message, who);
    has(d.message, "chmod go-w");
    assert_false(exists(dir, "JOURNAL")); /* refused before anything is written */
    assert_int_equal(open_shared(dir, 1, 0, &d), INC_EPERM);
    assert_int_equal(open_shared(dir, 0, 1, &d), INC_OK);
    assert_int_equal(open_shared(dir, 1, 1, &d), INC_OK);
    /* Made private again, it opens as any store. */
    assert_int_equal(chmod(dir, 0700), 0);
    assert_int_equal(open_shared(dir, 0, 0, &d), INC_OK);
    assert_int_equal(chmod(dir, mode), 0); /* an existing journal is refused too */
    assert_int_equal(open_shared(dir, 0, 0, &d), INC_EPERM);
}

static void test_world_writable_store_refused(void **state)
{
    tj_fixture *fx = *state;
    refused_with_mode(fx->dir, 0777, "writable by others");
}

static void test_group_writable_store_refused(void **state)
{
    tj_fixture *fx = *state;
    refused_with_mode(fx->dir, 0770, "writable by its group");
}

/* The sticky bit does not make a world-writable store private. */
static void test_sticky_world_writable_store_refused(void **state)
{
    tj_fixture *fx = *state;
    refused_with_mode(fx->dir, 01777, "writable by others");
}

/* A directory of another user: only root can make one, so the test needs
 * root (as it has in CI); skipped otherwise. */
static void test_store_of_another_user_refused(void **state)
{
    tj_fixture *fx = *state;
    inc_diag d;
    if (geteuid() != 0)
        skip();
    assert_int_equal(mkdir(fx->dir, 0700), 0);
    assert_int_equal(chown(fx->dir, 65534, (gid_t)-1), 0);
    assert_int_equal(open_shared(fx->dir, 0, 0, &d), INC_EPERM);
    has(d.message, fx->dir);
    has(d.message, "owned by uid 65534, not by uid 0");
    assert_false(exists(fx->dir, "JOURNAL"));
    assert_int_equal(open_shared(fx->dir, 1, 0, &d), INC_EPERM);
    assert_int_equal(open_shared(fx->dir, 0, 1, &d), INC_OK);
    assert_int_equal(chown(fx->dir, 0, (gid_t)-1), 0);
    assert_int_equal(open_shared(fx->dir, 0, 0, &d), INC_OK);
}

/* A private store with a readable mode (0755) is fine: reading is not the
 * threat, writing is. */
static void test_readable_store_accepted(void **state)
{
    tj_fixture *fx = *state;
    inc_diag d;
    assert_int_equal(mkdir(fx->dir, 0755), 0);
    assert_int_equal(chmod(fx->dir, 0755), 0);
    assert_int_equal(open_shared(fx->dir, 0, 0, &d), INC_OK);
}

static mode_t mode_of(const char *dir, const char *name)
{
    char p[512];
    struct stat sb;
    if (name)
        snprintf(p, sizeof(p), "%s/%s", dir, name);
    else
        snprintf(p, sizeof(p), "%s", dir);
    assert_int_equal(stat(p, &sb), 0);
    return sb.st_mode & 07777;
}

/* A umask that takes the owner's bits does not make the store unusable:
 * the directory is 0700 and every file 0600 whatever it is. */
static void test_restrictive_umask_still_private_and_usable(void **state)
{
    tj_fixture *fx = *state;
    mode_t old = umask(0277);
    inc_store *s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    tj_append_range(s, "umask", 1, 2);
    umask(old);
    assert_int_equal(mode_of(fx->dir, NULL), 0700);
    assert_int_equal(mode_of(fx->dir, "JOURNAL"), 0600);
    assert_int_equal(mode_of(fx->dir, "umask.jnl"), 0600);
    inc_store_free(s);
}

/* A caller built against version 1 of the options has no allow_shared:
 * the library reads no further than version 1's fields (whatever follows
 * them in memory), and a shared store is refused. */
static void test_options_version_1_reads_only_its_fields(void **state)
{
    tj_fixture *fx = *state;
    const size_t v1 = offsetof(inc_journal_options, allow_shared);
    unsigned char *buf = malloc(sizeof(inc_journal_options) + 16);
    inc_journal_options *o = (inc_journal_options *)(void *)buf;
    inc_store *s = NULL;
    size_t i;

    assert_non_null(buf);
    memset(buf, 0xA5, sizeof(inc_journal_options) + 16);
    assert_int_equal(inc_journal_options_init(o, 1), INC_OK);
    assert_int_equal(o->version, 1);
    assert_int_equal(o->sync, INC_SYNC_EVERY);
    for (i = v1; i < sizeof(inc_journal_options) + 16; i++)
        assert_int_equal(buf[i], 0xA5); /* nothing written past version 1 */
    assert_int_equal(mkdir(fx->dir, 0700), 0);
    assert_int_equal(chmod(fx->dir, 0777), 0);
    /* allow_shared's bytes hold 0xA5...: a version 1 caller never set it. */
    assert_int_equal(inc_store_journal_open(fx->dir, o, &s), INC_EPERM);
    assert_null(s);
    assert_int_equal(chmod(fx->dir, 0700), 0);
    assert_int_equal(inc_store_journal_open(fx->dir, o, &s), INC_OK);
    inc_store_free(s);
    assert_int_equal(inc_journal_options_init(o, INC_JOURNAL_OPTIONS_VERSION + 1), INC_EVERSION);
    assert_int_equal(inc_journal_options_init(o, 0), INC_EVERSION);
    assert_int_equal(inc_journal_options_init(o, INC_JOURNAL_OPTIONS_VERSION), INC_OK);
    assert_int_equal(o->allow_shared, 0);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_world_writable_store_refused, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_group_writable_store_refused, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_sticky_world_writable_store_refused, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_store_of_another_user_refused, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_readable_store_accepted, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_restrictive_umask_still_private_and_usable, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_options_version_1_reads_only_its_fields, tj_setup,
                                        tj_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
