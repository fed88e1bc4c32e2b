/* TL-5, forward-secure sealing (the checkpoints are in test_checkpoint.c).
 * The attacker of these tests holds the store and the current key file: they rewrite an event
 * sealed in an earlier epoch the way a careful forger would (the journal file
 * rebuilt through the library, so every CRC and both hash chains are right)
 * and even re-seal the current epoch; the verification key catches it. */
#include "seal_test_util.h"

#include <sys/wait.h>

/* ---- sealing ------------------------------------------------------------------- */

typedef struct reports {
    inc_seal_report r[8];
    char ids[8][INC_ID_MAX + 1];
    size_t n;
} reports;

static void collect(void *user, const inc_seal_report *r)
{
    reports *rs = user;
    assert_true(rs->n < 8);
    rs->r[rs->n] = *r;
    strcpy(rs->ids[rs->n], r->id);
    rs->r[rs->n].id = rs->ids[rs->n];
    rs->n++;
}

static const inc_seal_report *report_of(const reports *rs, const char *id)
{
    size_t i;
    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->ids[i], id) == 0)
            return &rs->r[i];
    fail_msg("no report for %s", id);
    return NULL;
}

static void test_TL_5_sealing_catches_an_attacker_with_the_current_key(void **state)
{
    char a[INC_ID_MAX + 1], b[INC_ID_MAX + 1], c[INC_ID_MAX + 1];
    uint8_t vkey[32], k[32], file[256], wrong[32];
    inc_checkpoint sealed_a;
    inc_seal_result res;
    inc_seal_summary sum;
    reports rs;
    size_t n;
    world w;
    (void)state;

    world_init(&w);
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    /* The verification key is not kept: the key file holds key_1. */
    n = slurp(w.key, file, sizeof(file));
    assert_int_equal(n, 128);
    assert_false(contains(file, n, vkey, 32));
    memcpy(k, vkey, 32);
    evolve(k);
    assert_true(contains(file, n, k, 32));

    declare(&w, "Card payments failing", a);
    note(&w, a, "pay 100 USD refunds");
    declare(&w, "Search latency", b);
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, &res), INC_OK);
    assert_int_equal(res.epoch, 1);
    assert_int_equal(res.incidents, 2);
    assert_int_equal(res.events, 3);
    sealed_a = head_of(&w, a);

    /* key_1 is erased from the file; key_2 replaced it. */
    n = slurp(w.key, file, sizeof(file));
    assert_false(contains(file, n, k, 32));
    assert_false(contains(file, n, vkey, 32));
    evolve(k);
    assert_true(contains(file, n, k, 32));

    note(&w, a, "refunds approved by finance");
    note(&w, b, "index rebuilt");
    declare(&w, "Mail delayed", c);
    inc_test_clock_advance(&w.clk, 15 * 60000);
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, &res), INC_OK);
    assert_int_equal(res.epoch, 2);
    assert_int_equal(res.incidents, 3);
    note(&w, a, "unsealed one");
    note(&w, a, "unsealed two");

    /* Everything verifies, and the unsealed tail is reported. */
    memset(&rs, 0, sizeof(rs));
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, collect, &rs, &sum), INC_OK);
    assert_int_equal(sum.seals, 2);
    assert_int_equal(sum.key_epoch, 3);
    assert_int_equal(sum.incidents, 3);
    assert_int_equal(sum.mismatches, 0);
    assert_int_equal(sum.unsealed, 2);
    assert_int_equal(sum.last_sealed_at, T0 + 3 * 60000 + 15 * 60000);
    assert_int_equal(report_of(&rs, a)->sealed_seq, 3);
    assert_int_equal(report_of(&rs, a)->sealed_epoch, 2);
    assert_int_equal(report_of(&rs, a)->last_seq, 5);
    assert_int_equal(report_of(&rs, a)->unsealed, 2);
    assert_int_equal(report_of(&rs, b)->sealed_epoch, 2);
    assert_int_equal(report_of(&rs, b)->sealed_seq, 2);
    assert_int_equal(report_of(&rs, c)->sealed_epoch, 2);

    /* A wrong verification key is refused before anything is checked. */
    memcpy(wrong, vkey, 32);
    wrong[5] ^= 0x20;
    memset(&rs, 0, sizeof(rs));
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, wrong, collect, &rs, NULL), INC_EPERM);
    assert_int_equal(rs.n, 0);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "verification key"));

    /* The attacker: the store and the key file of epoch 3. They rewrite
     * event 2 of a (sealed at epoch 1), recompute CRCs and both chains, and
     * seal epoch 3 with the key they hold. */
    world_close(&w);
    forge(&w, a, 2, "100", "900");
    world_open(&w);
    assert_int_equal(inc_journal_verify(w.store, a, NULL), INC_OK);
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, &res), INC_OK);
    assert_int_equal(res.epoch, 3);

    memset(&rs, 0, sizeof(rs));
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, collect, &rs, &sum), INC_ECORRUPT);
    assert_int_equal(sum.seals, 3);
    assert_int_equal(sum.mismatches, 1);
    assert_int_equal(report_of(&rs, a)->status, INC_ECORRUPT);
    assert_int_equal(report_of(&rs, a)->bad_seq, 2); /* a's head in the seal of epoch 1 */
    assert_int_equal(report_of(&rs, a)->bad_epoch, 1);
    assert_int_equal(report_of(&rs, b)->status, INC_OK);
    assert_int_equal(report_of(&rs, c)->status, INC_OK);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), a));
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "epoch 1"));
    /* The checkpoint witnessed at the first seal says the same. */
    assert_int_equal(inc_store_verify_head(w.store, a, &sealed_a, NULL), INC_ECORRUPT);
    world_done(&w);
}

/* Offset of the end of record @n (1-based) of a seal log held in @buf. */
static size_t record_end(const uint8_t *buf, size_t n)
{
    size_t off = 64;
    while (n--)
        off += (size_t)buf[off + 4] | (size_t)buf[off + 5] << 8 | (size_t)buf[off + 6] << 16;
    return off;
}

static void test_TL_5_removed_or_altered_seals_are_caught(void **state)
{
    static uint8_t log[65536], copy[65536];
    char a[INC_ID_MAX + 1];
    uint8_t vkey[32];
    inc_seal_summary sum;
    size_t n;
    world w;
    (void)state;

    world_init(&w);
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    declare(&w, "Card payments failing", a);
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_OK);
    note(&w, a, "more");
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_OK);
    note(&w, a, "more still");
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_OK);
    n = slurp(w.log, log, sizeof(log));

    /* The last seal cut off: the key file (epoch 4) shows seals missing. */
    write_file(w.log, log, record_end(log, 2));
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "seals were removed"));
    /* ... and sealing refuses to paper over it. */
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_ECORRUPT);

    /* The middle seal removed: a gap in the epochs. */
    memcpy(copy, log, record_end(log, 1));
    memcpy(copy + record_end(log, 1), log + record_end(log, 2), n - record_end(log, 2));
    write_file(w.log, copy, n - (record_end(log, 2) - record_end(log, 1)));
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "epoch 3 after epoch 1"));

    /* A sealed head altered, its CRC recomputed: the MAC fails. */
    memcpy(copy, log, n);
    {
        size_t end = record_end(copy, 1), at = end - 36 - 1; /* last byte of the last hash */
        uint32_t crc;
        copy[at] ^= 1;
        crc = inc__crc32c(0, copy + 64, end - 64 - 4);
        copy[end - 4] = (uint8_t)crc;
        copy[end - 3] = (uint8_t)(crc >> 8);
        copy[end - 2] = (uint8_t)(crc >> 16);
        copy[end - 1] = (uint8_t)(crc >> 24);
    }
    write_file(w.log, copy, n);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "seal of epoch 1 does not match"));

    /* Back to the real log: a torn append at its end is reported, not an error. */
    memcpy(copy, log, n);
    memcpy(copy + n, "SEAL\x90\x01", 6);
    write_file(w.log, copy, n + 6);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_OK);
    assert_int_equal(sum.torn_bytes, 6);
    /* A damaged record with bytes after it is corruption, not a torn tail. */
    memcpy(copy + n, "SEAL\0\0\0\0garbage", 15);
    write_file(w.log, copy, n + 15);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "is damaged"));
    write_file(w.log, copy, n + 6);
    /* The next seal writes over the torn one. */
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_OK);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_OK);
    assert_int_equal(sum.torn_bytes, 0);
    assert_int_equal(sum.seals, 4);
    world_done(&w);
}

/* A crash after a seal was appended but before the key evolved (the key
 * file still at the sealed epoch): verification accepts it, and the next
 * seal finishes the evolution and seals the epoch after. */
static void test_TL_5_crash_between_seal_and_key_evolution(void **state)
{
    uint8_t vkey[32], key_file[128], k[32], now[128];
    char a[INC_ID_MAX + 1];
    inc_seal_result res;
    inc_seal_summary sum;
    world w;
    (void)state;

    world_init(&w);
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    declare(&w, "Card payments failing", a);
    slurp(w.key, key_file, sizeof(key_file)); /* epoch 1, before the seal */
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, &res), INC_OK);
    write_file(w.key, key_file, sizeof(key_file)); /* as if the evolution never came */
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_OK);
    assert_int_equal(sum.seals, 1);
    assert_int_equal(sum.key_epoch, 1);
    note(&w, a, "after the crash");
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, &res), INC_OK);
    assert_int_equal(res.epoch, 2);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_OK);
    assert_int_equal(sum.seals, 2);
    assert_int_equal(sum.key_epoch, 3);
    /* Neither key_1 nor key_2 is left in the file. */
    slurp(w.key, now, sizeof(now));
    memcpy(k, vkey, 32);
    evolve(k);
    assert_false(contains(now, sizeof(now), k, 32));
    evolve(k);
    assert_false(contains(now, sizeof(now), k, 32));
    evolve(k);
    assert_true(contains(now, sizeof(now), k, 32));
    world_done(&w);
}

/* Processes that seal the same files at once take turns: every seal lands
 * in its own epoch and the key ends one past the last. */
static void test_TL_5_concurrent_seals_take_turns(void **state)
{
    enum { PROCS = 4, EACH = 5 };
    char a[INC_ID_MAX + 1];
    uint8_t vkey[32];
    inc_seal_summary sum;
    pid_t pids[PROCS];
    int i, status;
    world w;
    (void)state;

    world_init(&w);
    declare(&w, "Card payments failing", a);
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    world_close(&w);
    for (i = 0; i < PROCS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
            inc_store *s = tj_open(w.dir, INC_SYNC_NONE, 1);
            inc_context *ctx = NULL;
            int k, bad = 0;
            o.store = s;
            if (inc_context_new(&o, &ctx) != INC_OK)
                _exit(2);
            for (k = 0; k < EACH; k++)
                bad |= inc_seal(ctx, w.key, w.log, NULL) != INC_OK;
            inc_context_free(ctx);
            inc_store_free(s);
            _exit(bad);
        }
    }
    for (i = 0; i < PROCS; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    world_open(&w);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_OK);
    assert_int_equal(sum.seals, PROCS * EACH);
    assert_int_equal(sum.key_epoch, PROCS * EACH + 1);
    world_done(&w);
}

/* An incident whose chain is broken is not sealed: the whole seal is
 * refused, naming it, and the log and the key stay as they were. */
static void test_TL_5_a_broken_chain_is_not_sealed(void **state)
{
    static uint8_t log_before[4096], log_after[4096], key_before[128], key_after[128];
    char a[INC_ID_MAX + 1];
    inc_store_record recs[2];
    uint8_t vkey[32];
    size_t n;
    events ev;
    world w;
    (void)state;

    world_init(&w);
    declare(&w, "Card payments failing", a);
    note(&w, a, "pay 100 USD refunds");
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    memset(&ev, 0, sizeof(ev));
    assert_int_equal(inc_store_read(w.store, a, 1, grab, &ev), INC_OK);
    ev.data[1][30] ^= 1; /* event 2's previous-event hash */
    recs[0].data = ev.data[0];
    recs[0].len = ev.len[0];
    recs[1].data = ev.data[1];
    recs[1].len = ev.len[1];
    assert_int_equal(inc_store_append(w.store, "zz-broken", 0, recs, 2), INC_OK);
    n = slurp(w.log, log_before, sizeof(log_before));
    slurp(w.key, key_before, sizeof(key_before));
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "zz-broken is broken at event 2"));
    assert_int_equal(slurp(w.log, log_after, sizeof(log_after)), n);
    assert_memory_equal(log_before, log_after, n);
    slurp(w.key, key_after, sizeof(key_after));
    assert_memory_equal(key_before, key_after, sizeof(key_before));
    free(ev.data[0]);
    free(ev.data[1]);
    world_done(&w);
}

static void test_TL_5_bad_input_and_missing_files(void **state)
{
    uint8_t vkey[32], again[32], key_before[128], key_after[128], k[32];
    char text[INC_SEAL_KEY_TEXT_MAX], other[220];
    world w;
    (void)state;

    world_init(&w);
    /* Missing files: INC_ENOTFOUND naming the path. */
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_ENOTFOUND);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "seal.key"));
    memset(vkey, 1, sizeof(vkey));
    assert_int_equal(inc_seal_verify(w.ctx, NULL, w.log, vkey, NULL, NULL, NULL), INC_ENOTFOUND);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "seal.log"));

    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.key, vkey), INC_EINVAL);
    assert_int_equal(inc_seal_setup(w.ctx, NULL, w.log, vkey), INC_EINVAL);
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    /* A second setup changes nothing. */
    slurp(w.key, key_before, sizeof(key_before));
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, again), INC_EEXIST);
    snprintf(other, sizeof(other), "%s/other.key", w.parent);
    assert_int_equal(inc_seal_setup(w.ctx, other, w.log, again), INC_EEXIST);
    assert_int_equal(access(other, F_OK), -1); /* the new key file was removed again */
    slurp(w.key, key_after, sizeof(key_after));
    assert_memory_equal(key_before, key_after, sizeof(key_before));
    /* The files are the owner's only. */
    {
        struct stat st;
        assert_int_equal(stat(w.key, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(stat(w.log, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
    }
    assert_int_equal(inc_seal_verify(w.ctx, other, w.log, vkey, NULL, NULL, NULL), INC_ENOTFOUND);

    /* Keys as text. */
    assert_int_equal(inc_seal_key_format(vkey, text, sizeof(text)), INC_OK);
    assert_int_equal(inc_seal_key_parse(text, k), INC_OK);
    assert_memory_equal(k, vkey, 32);
    assert_int_equal(inc_seal_key_format(vkey, text, 64), INC_ETOOBIG);
    assert_int_equal(inc_seal_key_parse("abc", k), INC_EPARSE);
    assert_int_equal(
        inc_seal_key_parse("zz00000000000000000000000000000000000000000000000000000000000000", k),
        INC_EPARSE);
    assert_int_equal(inc_seal_key_parse(NULL, k), INC_EINVAL);

    /* A damaged key file or a file that is not a seal log. */
    key_before[40] ^= 1;
    write_file(w.key, key_before, sizeof(key_before));
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "checksum"));
    write_file(w.log, (const uint8_t *)"hello", 5);
    assert_int_equal(inc_seal_verify(w.ctx, NULL, w.log, vkey, NULL, NULL, NULL), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(w.ctx), "not a seal log"));
    assert_int_equal(inc_seal_verify(w.ctx, NULL, NULL, vkey, NULL, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_seal(NULL, w.key, w.log, NULL), INC_EINVAL);
    world_done(&w);
}

/* Every allocation of inc_seal() and inc_seal_verify() failed in turn: the
 * call reports INC_ENOMEM, leaks nothing, and a failed seal appends nothing
 * and leaves the key where it was. */
static void test_TL_5_allocation_failures(void **state)
{
    static uint8_t log_before[8192], log_after[8192], key_before[128], key_after[128];
    char parent[128], key[200], logp[200];
    struct inc_test_alloc ta;
    struct inc_test_clock clk;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_allocator a;
    inc_store *store = NULL;
    inc_context *ctx = NULL;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    uint8_t vkey[32];
    unsigned long nth;
    int rc, failures = 0;
    (void)state;

    snprintf(parent, sizeof(parent), "/tmp/inc-seal-test-XXXXXX");
    assert_non_null(mkdtemp(parent));
    snprintf(key, sizeof(key), "%s/k", parent);
    snprintf(logp, sizeof(logp), "%s/l", parent);
    inc_test_alloc_init(&ta);
    inc_test_clock_init(&clk, T0);
    a = inc_test_alloc_allocator(&ta);
    assert_int_equal(inc_store_memory_new(&a, &store), INC_OK);
    o.allocator = &a;
    o.store = store;
    o.clock = inc_test_clock_fn;
    o.clock_user = &clk;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.title = "Alpha";
    d.declarer = "dana";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    inc_incident_free(inc);
    d.title = "Beta";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    inc_incident_free(inc);
    assert_int_equal(inc_seal_setup(ctx, key, logp, vkey), INC_OK);

    for (nth = 1;; nth++) {
        size_t live = ta.live_blocks, nb = slurp(logp, log_before, sizeof(log_before));
        slurp(key, key_before, sizeof(key_before));
        inc_test_alloc_arm(&ta, nth, 1);
        rc = inc_seal(ctx, key, logp, NULL);
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(ta.live_blocks, live);
        if (rc == INC_OK)
            break;
        assert_int_equal(rc, INC_ENOMEM);
        assert_int_equal(slurp(logp, log_after, sizeof(log_after)), nb);
        assert_memory_equal(log_before, log_after, nb);
        slurp(key, key_after, sizeof(key_after));
        assert_memory_equal(key_before, key_after, sizeof(key_before));
        failures++;
    }
    assert_true(failures > 0);
    for (nth = 1, failures = 0;; nth++) {
        size_t live = ta.live_blocks;
        inc_test_alloc_arm(&ta, nth, 1);
        rc = inc_seal_verify(ctx, key, logp, vkey, NULL, NULL, NULL);
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(ta.live_blocks, live);
        if (rc == INC_OK)
            break;
        assert_int_equal(rc, INC_ENOMEM);
        failures++;
    }
    assert_true(failures > 0);
    inc_context_free(ctx);
    inc_store_free(store);
    assert_int_equal(ta.live_blocks, 0);
    tj_rmtree(parent);
}

/* An empty store seals and verifies (nothing to sort, nothing to seal). */
static void test_TL_5_empty_store(void **state)
{
    uint8_t vkey[32];
    inc_seal_result res;
    inc_seal_summary sum;
    world w;
    (void)state;
    world_init(&w);
    assert_int_equal(inc_seal_setup(w.ctx, w.key, w.log, vkey), INC_OK);
    assert_int_equal(inc_seal(w.ctx, w.key, w.log, &res), INC_OK);
    assert_int_equal(inc_seal_verify(w.ctx, w.key, w.log, vkey, NULL, NULL, &sum), INC_OK);
    world_done(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_TL_5_sealing_catches_an_attacker_with_the_current_key),
        cmocka_unit_test(test_TL_5_empty_store),
        cmocka_unit_test(test_TL_5_removed_or_altered_seals_are_caught),
        cmocka_unit_test(test_TL_5_crash_between_seal_and_key_evolution),
        cmocka_unit_test(test_TL_5_concurrent_seals_take_turns),
        cmocka_unit_test(test_TL_5_a_broken_chain_is_not_sealed),
        cmocka_unit_test(test_TL_5_bad_input_and_missing_files),
        cmocka_unit_test(test_TL_5_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
