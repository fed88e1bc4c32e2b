/* The allocation-failure test, in the style of SQLite's: run a scripted
 * scenario once counting allocations, then again failing the 1st, 2nd, ...
 * Nth allocation (and every one after it, or only that one). Each run must
 * return INC_ENOMEM from the step that failed, leave the store exactly as it
 * was before that step, and leak nothing. The scenario runs over memory
 * stores, then over journal stores (their allocations through the same
 * failing allocator; what they hold measured by read-only handles of their
 * own). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "test_script.h"
#include "test_support.h"

#define EXPECTED_MAX 65536 /* room for the scenario's timeline */

typedef struct run {
    struct inc_test_alloc ta;
    struct inc_test_clock clock;
    inc_allocator a;
    inc_context *ctx;
    inc_context *ctx2;
    inc_incident *inc;
    inc_incident *copy;
    char *text;
    char *json;
    size_t json_len;
    inc_findings *findings;
    char id[INC_ID_MAX + 1];
    /* Journal runs: */
    int journal;            /* the contexts' stores are journals (else memory stores) */
    char dir[2][96];        /* their directories, fresh for each run */
    inc_store *store[2];    /* opened by steps 0 and 1, with the failing allocator */
    inc_store *observer[2]; /* read-only, the C library's allocator: for shape() */
} run;

static int count_events(void *user, uint64_t seq, const void *d, size_t len)
{
    (void)seq;
    (void)d;
    (void)len;
    (*(size_t *)user)++;
    return 0;
}

static int count_ids(void *user, const char *id)
{
    (void)id;
    (*(size_t *)user)++;
    return 0;
}

/* What a store holds: number of incidents * 1000 + events of ours. */
static size_t store_shape(run *r, inc_store *store)
{
    size_t ids = 0, events = 0;
    if (!store)
        return 0;
    inc_store_list(store, count_ids, &ids);
    if (r->id[0])
        inc_store_read(store, r->id, 1, count_events, &events);
    return ids * 1000 + events;
}

/* The store of context @k (0: ctx, 1: ctx2), opened with the failing
 * allocator; policy none: durability is not what this test is about. */
static int open_journal(run *r, int k)
{
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    jo.sync = INC_SYNC_NONE;
    jo.allocator = &r->a;
    return inc_store_journal_open(r->dir[k], &jo, &r->store[k]);
}

static void remove_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[256];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < (int)sizeof(sub))
            (void)unlink(sub);
    }
    if (d)
        closedir(d);
    (void)rmdir(path);
}

static int step(run *r, int i)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    int rc;

    o.allocator = &r->a;
    o.clock = inc_test_clock_fn;
    o.clock_user = &r->clock;
    inc_test_clock_advance(&r->clock, 60000);
    if (r->journal && i <= 1) {
        if (!r->store[i] && (rc = open_journal(r, i)) != INC_OK)
            return rc;
        o.store = r->store[i];
    }
    switch (i) {
    case 0:
        return inc_context_new(&o, &r->ctx);
    case 1:
        o.policy = INC_POLICY_STRICT;
        return inc_context_new(&o, &r->ctx2);
    case 2:
        d.title = "Database primary CPU at 95%";
        d.declarer = "alice";
        d.severity = "Sev-2";
        rc = inc_incident_declare(r->ctx, &d, &r->inc);
        if (rc == INC_OK)
            strcpy(r->id, inc_incident_id(r->inc));
        return rc;
    case 3:
        return inc_incident_set_state(r->inc, "alice", INC_STATE_INVESTIGATING, "looking");
    case 4:
        return inc_incident_note(r->inc, "bob", "replication lag 4 minutes");
    case 5:
        return inc_incident_set_severity(r->inc, "alice", "Sev-1", "US affected as well");
    case 6:
        return inc_incident_correct(r->inc, "bob", 3, "lag was 40 seconds");
    case 7:
        return inc_incident_set_state(r->inc, "alice", INC_STATE_MITIGATING, NULL);
    case 8:
        return inc_incident_set_state(r->inc, "alice", INC_STATE_MONITORING, "rolled back");
    case 9:
        return inc_incident_set_state(r->inc, "alice", INC_STATE_RESOLVED, "checkout verified");
    case 10:
        rc = inc_incident_render_timeline(r->inc, &r->text, NULL);
        return rc;
    case 11:
        return inc_incident_export_json(r->inc, &r->json, &r->json_len);
    case 12:
        return inc_incident_import_json(r->ctx2, r->json, r->json_len, &r->copy, NULL);
    case 13:
        return inc_incident_reload(r->copy);
    case 14:
        return inc_incident_verify(r->copy, NULL);
    /* Roles (issue 5): assign, hand off, confirm, check. */
    case 15:
        return inc_incident_assign_role(r->inc, "alice", "bob", INC_ROLE_SME, "database");
    case 16:
        return inc_incident_handoff(r->inc, "alice", "carol", "replication healthy",
                                    "watching the lag", "none");
    case 17:
        return inc_incident_confirm_handoff(r->inc, "carol");
    case 18:
        return inc_incident_check_roles(r->inc, &r->findings);
    default:
        return INC_TEST_SCRIPT_END; /* end of script */
    }
}

static void cleanup(run *r)
{
    inc_findings_free(r->findings);
    inc_free(r->text);
    inc_free(r->json);
    inc_incident_free(r->copy);
    inc_incident_free(r->inc);
    inc_context_free(r->ctx2);
    inc_context_free(r->ctx);
    r->findings = NULL;
    r->text = r->json = NULL;
    r->copy = r->inc = NULL;
    r->ctx2 = r->ctx = NULL;
    if (r->journal) {
        int k;
        for (k = 0; k < 2; k++) {
            inc_store_free(r->store[k]);
            inc_store_free(r->observer[k]);
            r->store[k] = r->observer[k] = NULL;
            if (r->dir[k][0])
                remove_dir(r->dir[k]);
            r->dir[k][0] = '\0';
        }
    }
}

static void reset(void *user)
{
    run *r = user;
    int journal = r->journal, k;
    memset(r, 0, sizeof(*r));
    inc_test_alloc_init(&r->ta);
    r->a = inc_test_alloc_allocator(&r->ta);
    inc_test_clock_init(&r->clock, 1795443120000LL);
    r->journal = journal;
    for (k = 0; journal && k < 2; k++) {
        inc_journal_options ro = INC_JOURNAL_OPTIONS_INIT;
        snprintf(r->dir[k], sizeof(r->dir[k]), "/tmp/inc-alloc-fail-XXXXXX");
        assert_non_null(mkdtemp(r->dir[k]));
        ro.read_only = 1; /* an empty directory is an empty journal */
        assert_int_equal(inc_store_journal_open(r->dir[k], &ro, &r->observer[k]), INC_OK);
    }
}

static int play_step(void *user, int i)
{
    return step(user, i);
}

static size_t shape(void *user)
{
    run *r = user;
    if (r->journal)
        return store_shape(r, r->observer[0]) * 100000 + store_shape(r, r->observer[1]);
    return store_shape(r, r->ctx ? inc_context_store(r->ctx) : NULL) * 100000 +
           store_shape(r, r->ctx2 ? inc_context_store(r->ctx2) : NULL);
}

static const char *errmsg(void *user)
{
    run *r = user;
    return r->ctx ? inc_context_errmsg(r->ctx) : "";
}

static const char *result(void *user)
{
    return ((run *)user)->text;
}

static void cleanup_run(void *user)
{
    cleanup(user);
}

static void every_allocation_fails_cleanly(int journal)
{
    run *r = calloc(1, sizeof(*r));
    const struct inc_test_script script = {r,     &r->ta, reset,  play_step,
                                           shape, errmsg, result, cleanup_run};
    char *expected = malloc(EXPECTED_MAX);
    unsigned long total;

    r->journal = journal;

    total = inc_test_script_count(&script, expected, EXPECTED_MAX);
    assert_true(strlen(expected) < EXPECTED_MAX - 1);
    cleanup(r);
    assert_int_equal(r->ta.live_blocks, 0);
    assert_true(total > 20);
    print_message("scenario makes %lu allocations\n", total);
    inc_test_script_sweep(&script, total, expected);
    free(expected);
    free(r);
}

static void test_every_allocation_fails_cleanly(void **state)
{
    (void)state;
    every_allocation_fails_cleanly(0);
}

/* The same over journal stores (issue 16, "Tests and measures"). */
static void test_every_allocation_fails_cleanly_journal(void **state)
{
    (void)state;
    every_allocation_fails_cleanly(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_fails_cleanly),
        cmocka_unit_test(test_every_allocation_fails_cleanly_journal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
