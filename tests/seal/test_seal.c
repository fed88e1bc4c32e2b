/* TL-5, a sealed record: checkpoints of an incident's head (SEQ:HASH) that
 * prove events 1..SEQ unchanged, and forward-secure sealing. The attacker of
 * these tests holds the store and the current key file: they rewrite an event
 * sealed in an earlier epoch the way a careful forger would (the journal file
 * rebuilt through the library, so every CRC and both hash chains are right)
 * and even re-seal the current epoch; the verification key catches it. */
#include "../journal/test_journal_util.h"

#include <fcntl.h>
#include <sys/wait.h>

#include "test_support.h"
#include "util/hash.h"

#define T0 1700000000000LL

typedef struct world {
    char parent[128];
    char dir[160]; /* the journal */
    char key[200]; /* the seal files, beside the journal */
    char log[200];
    struct inc_test_clock clk;
    inc_store *store;
    inc_context *ctx;
} world;

static void world_open(world *w)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    w->store = tj_open(w->dir, INC_SYNC_NONE, 0);
    o.store = w->store;
    o.clock = inc_test_clock_fn;
    o.clock_user = &w->clk;
    assert_int_equal(inc_context_new(&o, &w->ctx), INC_OK);
}

static void world_close(world *w)
{
    inc_context_free(w->ctx);
    inc_store_free(w->store);
    w->ctx = NULL;
    w->store = NULL;
}

static void world_init(world *w)
{
    memset(w, 0, sizeof(*w));
    tj_tmpdir(w->parent, sizeof(w->parent), w->dir, sizeof(w->dir));
    snprintf(w->key, sizeof(w->key), "%s/seal.key", w->parent);
    snprintf(w->log, sizeof(w->log), "%s/seal.log", w->parent);
    inc_test_clock_init(&w->clk, T0);
    world_open(w);
}

static void world_done(world *w)
{
    world_close(w);
    tj_rmtree(w->parent);
}

static void declare(world *w, const char *title, char *id)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    d.title = title;
    d.declarer = "dana";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(w->ctx, &d, &inc), INC_OK);
    strcpy(id, inc_incident_id(inc));
    inc_incident_free(inc);
}

static void note(world *w, const char *id, const char *text)
{
    inc_incident *inc = NULL;
    inc_test_clock_advance(&w->clk, 60000);
    assert_int_equal(inc_incident_open(w->ctx, id, &inc), INC_OK);
    assert_int_equal(inc_incident_note(inc, "lee", text), INC_OK);
    inc_incident_free(inc);
}

static inc_checkpoint head_of(world *w, const char *id)
{
    inc_checkpoint cp;
    inc_incident *inc = NULL;
    assert_int_equal(inc_incident_open(w->ctx, id, &inc), INC_OK);
    assert_int_equal(inc_incident_head(inc, &cp), INC_OK);
    inc_incident_free(inc);
    return cp;
}

/* ---- the forger ------------------------------------------------------------- */

typedef struct events {
    uint8_t *data[64];
    size_t len[64];
    size_t n;
} events;

static int grab(void *user, uint64_t seq, const void *data, size_t len)
{
    events *e = user;
    (void)seq;
    assert_true(e->n < 64);
    e->data[e->n] = malloc(len);
    assert_non_null(e->data[e->n]);
    memcpy(e->data[e->n], data, len);
    e->len[e->n++] = len;
    return 0;
}

/* Rewrite incident @id of the closed world @w: in event @seq replace @from
 * by @to (same length), recompute every later event's previous-event hash
 * (lib/docs/events.md: bytes 24..55), write the events to a new journal
 * through the library (so its CRCs and record chain are right) and move the
 * new file over the old one. */
static void forge(world *w, const char *id, uint64_t seq, const char *from, const char *to)
{
    char fdir[200], src[400], dst[400];
    inc_store_record recs[64];
    inc_store *s;
    events ev;
    size_t i, n = strlen(from);
    uint8_t *hit = NULL;

    assert_int_equal(strlen(to), n);
    memset(&ev, 0, sizeof(ev));
    s = tj_open(w->dir, INC_SYNC_NONE, 1);
    assert_int_equal(inc_store_read(s, id, 1, grab, &ev), INC_OK);
    inc_store_free(s);
    assert_true(seq >= 1 && seq <= ev.n);
    for (i = 0; i + n <= ev.len[seq - 1] && !hit; i++)
        if (memcmp(ev.data[seq - 1] + i, from, n) == 0)
            hit = ev.data[seq - 1] + i;
    assert_non_null(hit);
    memcpy(hit, to, n);
    for (i = seq; i < ev.n; i++)
        inc__sha256(ev.data[i - 1], ev.len[i - 1], ev.data[i] + 24);
    snprintf(fdir, sizeof(fdir), "%s/forged", w->parent);
    s = tj_open(fdir, INC_SYNC_EVERY, 0);
    for (i = 0; i < ev.n; i++) {
        recs[i].data = ev.data[i];
        recs[i].len = ev.len[i];
    }
    assert_int_equal(inc_store_append(s, id, 0, recs, ev.n), INC_OK);
    inc_store_free(s);
    snprintf(src, sizeof(src), "%s/%s.jnl", fdir, id);
    snprintf(dst, sizeof(dst), "%s/%s.jnl", w->dir, id);
    assert_int_equal(rename(src, dst), 0);
    tj_rmtree(fdir);
    for (i = 0; i < ev.n; i++)
        free(ev.data[i]);
}

/* ---- reading files ------------------------------------------------------------ */

static size_t slurp(const char *path, uint8_t *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    assert_non_null(f);
    n = fread(buf, 1, size, f);
    fclose(f);
    return n;
}

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    size_t i;
    for (i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* key_{i+1} = SHA-256("inc-seal-evolve" || key_i), as lib/docs/sealing.md says. */
static void evolve(uint8_t key[32])
{
    uint8_t in[15 + 32];
    memcpy(in, "inc-seal-evolve", 15);
    memcpy(in + 15, key, 32);
    inc__sha256(in, sizeof(in), key);
}

/* ---- checkpoints ---------------------------------------------------------------- */

static void test_TL_5_head_round_trip(void **state)
{
    char id[INC_ID_MAX + 1], text[INC_CHECKPOINT_TEXT_MAX], small[20];
    inc_checkpoint cp, back;
    inc_incident *inc = NULL;
    uint64_t bad = 9;
    world w;
    (void)state;

    world_init(&w);
    declare(&w, "Card payments failing", id);
    note(&w, id, "pay 100 USD refunds");
    cp = head_of(&w, id);
    assert_int_equal(cp.seq, 2);
    assert_int_equal(inc_checkpoint_format(&cp, text, sizeof(text)), INC_OK);
    assert_int_equal(strlen(text), 2 + 64);
    assert_int_equal(inc_checkpoint_parse(text, &back), INC_OK);
    assert_int_equal(back.seq, cp.seq);
    assert_memory_equal(back.hash, cp.hash, 32);
    assert_int_equal(inc_checkpoint_format(&cp, small, sizeof(small)), INC_ETOOBIG);
    assert_string_equal(small, "");

    /* It proves itself, and every earlier head too (they are prefixes). */
    assert_int_equal(inc_incident_open(w.ctx, id, &inc), INC_OK);
    assert_int_equal(inc_incident_verify_head(inc, &cp, &bad), INC_OK);
    assert_int_equal(bad, 0);
    note(&w, id, "second note");
    assert_int_equal(inc_store_verify_head(w.store, id, &cp, &bad), INC_OK);
    /* A checkpoint beyond the head: INC_ENOTFOUND with both numbers. */
    back.seq = 7;
    assert_int_equal(inc_incident_verify_head(inc, &back, &bad), INC_ENOTFOUND);
    assert_non_null(strstr(inc_incident_errmsg(inc), "holds 3 events"));
    /* A wrong hash at the right place. */
    back = cp;
    back.hash[0] ^= 1;
    assert_int_equal(inc_incident_verify_head(inc, &back, &bad), INC_ECORRUPT);
    assert_int_equal(bad, 2);
    inc_incident_free(inc);
    world_done(&w);
}

static void test_TL_5_verify_head_catches_a_rewritten_event(void **state)
{
    char id[INC_ID_MAX + 1];
    inc_checkpoint cp, later;
    uint64_t bad = 0;
    world w;
    (void)state;

    world_init(&w);
    declare(&w, "Card payments failing", id);
    note(&w, id, "pay 100 USD refunds");
    note(&w, id, "refunds approved by finance");
    cp = head_of(&w, id); /* witnessed at seq 3, e.g. in a ticket */
    note(&w, id, "after the checkpoint");
    world_close(&w);
    forge(&w, id, 2, "100", "900"); /* CRCs and chains recomputed */
    world_open(&w);
    /* The chain itself is whole again: only the witness can tell. */
    assert_int_equal(inc_journal_verify(w.store, id, &bad), INC_OK);
    assert_int_equal(inc_store_verify_head(w.store, id, &cp, &bad), INC_ECORRUPT);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(inc_store_errmsg(w.store), "differs from the checkpoint"));
    /* A checkpoint before the change still verifies: event 1 is intact. */
    later = head_of(&w, id);
    later.seq = 1;
    {
        inc_incident *inc = NULL;
        events ev;
        memset(&ev, 0, sizeof(ev));
        assert_int_equal(inc_incident_open(w.ctx, id, &inc), INC_OK);
        assert_int_equal(inc_store_read(w.store, id, 1, grab, &ev), INC_OK);
        inc__sha256(ev.data[0], ev.len[0], later.hash);
        assert_int_equal(inc_incident_verify_head(inc, &later, &bad), INC_OK);
        inc_incident_free(inc);
        for (size_t i = 0; i < ev.n; i++)
            free(ev.data[i]);
    }
    world_done(&w);
}

static void test_TL_5_checkpoint_text_refused(void **state)
{
    static const char *const bad[] = {
        "",
        "1",
        "1:",
        "0:0000000000000000000000000000000000000000000000000000000000000000",
        "01:0000000000000000000000000000000000000000000000000000000000000000",
        "-1:0000000000000000000000000000000000000000000000000000000000000000",
        " 1:0000000000000000000000000000000000000000000000000000000000000000",
        "1 :0000000000000000000000000000000000000000000000000000000000000000",
        "1:000000000000000000000000000000000000000000000000000000000000000",
        "1:00000000000000000000000000000000000000000000000000000000000000000",
        "1:000000000000000000000000000000000000000000000000000000000000000g",
        "1:0000000000000000000000000000000000000000000000000000000000000000\n",
        "18446744073709551616:0000000000000000000000000000000000000000000000000000000000000000",
        "1;0000000000000000000000000000000000000000000000000000000000000000",
    };
    inc_checkpoint cp;
    size_t i;
    (void)state;

    memset(&cp, 0x5a, sizeof(cp));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(inc_checkpoint_parse(bad[i], &cp), INC_EPARSE);
    assert_int_equal(cp.seq, 0x5a5a5a5a5a5a5a5aULL); /* unchanged */
    assert_int_equal(
        inc_checkpoint_parse(
            "18446744073709551615:ABCDEF0000000000000000000000000000000000000000000000000000000000",
            &cp),
        INC_OK);
    assert_int_equal(cp.seq, UINT64_MAX);
    assert_int_equal(cp.hash[0], 0xab);
    assert_int_equal(inc_checkpoint_parse(NULL, &cp), INC_EINVAL);
    assert_int_equal(inc_checkpoint_parse("1:00", NULL), INC_EINVAL);
    cp.seq = 0;
    assert_int_equal(inc_checkpoint_format(&cp, (char[90]){0}, 90), INC_EINVAL);
    assert_int_equal(inc_incident_head(NULL, &cp), INC_EINVAL);
    assert_int_equal(inc_store_verify_head(NULL, "x", &cp, NULL), INC_EINVAL);
}

/* The JSON value of "key" in @doc (a flat search: the keys used are unique). */
static void json_value(const char *doc, const char *key, char *out, size_t size)
{
    char pat[64];
    const char *p, *end;
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    p = strstr(doc, pat);
    assert_non_null(p);
    p += strlen(pat);
    end = strchr(p, '"');
    assert_non_null(end);
    assert_true((size_t)(end - p) < size);
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
}

static void test_TL_5_head_in_export_paging_and_status_updates(void **state)
{
    char id[INC_ID_MAX + 1], text[INC_CHECKPOINT_TEXT_MAX], got[128], *json = NULL, *edited;
    inc_update u = INC_UPDATE_INIT;
    inc_incident *inc = NULL, *copy = NULL;
    inc_checkpoint cp, at;
    inc_context *other = NULL;
    inc_due_list *due = NULL;
    inc_diag diag;
    uint64_t seq = 0;
    size_t len, i;
    world w;
    (void)state;

    world_init(&w);
    declare(&w, "Card payments failing", id);
    note(&w, id, "pay 100 USD refunds");
    assert_int_equal(inc_incident_open(w.ctx, id, &inc), INC_OK);

    /* The export carries the head; the import checks it when present. */
    assert_int_equal(inc_incident_head(inc, &cp), INC_OK);
    assert_int_equal(inc_checkpoint_format(&cp, text, sizeof(text)), INC_OK);
    assert_int_equal(inc_incident_export_json(inc, &json, &len), INC_OK);
    json_value(json, "head", got, sizeof(got));
    assert_string_equal(got, text);
    assert_int_equal(inc_context_new(NULL, &other), INC_OK);
    assert_int_equal(inc_incident_import_json(other, json, len, &copy, NULL), INC_OK);
    inc_incident_free(copy);
    inc_context_free(other);
    edited = malloc(len + 1);
    assert_non_null(edited);
    {
        /* Without the head (documents of older versions): accepted. */
        const char *h = strstr(json, ",\"head\":");
        size_t cut = strlen(",\"head\":\"\"") + strlen(text), pre = (size_t)(h - json);
        memcpy(edited, json, pre);
        memcpy(edited + pre, h + cut, len - pre - cut + 1);
        assert_int_equal(inc_context_new(NULL, &other), INC_OK);
        assert_int_equal(inc_incident_import_json(other, edited, strlen(edited), NULL, NULL),
                         INC_OK);
        inc_context_free(other);
        /* A head that is not the last event's: INC_ECORRUPT, nothing stored. */
        memcpy(edited, json, len + 1);
        edited[h - json + 9] = '1'; /* "2:..." becomes "1:..." */
        assert_int_equal(inc_context_new(NULL, &other), INC_OK);
        assert_int_equal(inc_incident_import_json(other, edited, len, NULL, &diag), INC_ECORRUPT);
        assert_non_null(strstr(diag.message, "head"));
        assert_int_equal(inc_incident_open(other, id, &copy), INC_ENOTFOUND);
        /* A head that is not a checkpoint: INC_EINVAL. */
        edited[h - json + 9] = 'x';
        assert_int_equal(inc_incident_import_json(other, edited, len, NULL, &diag), INC_EINVAL);
        inc_context_free(other);
    }
    free(edited);
    inc_free(json);

    /* A status update carries the head at the update in its metadata. */
    u.body = "We are investigating failed card payments in the EU. Next update in 30 minutes.";
    assert_int_equal(inc_status_update(inc, "dana", &u, NULL, &seq), INC_OK);
    assert_int_equal(inc_incident_head(inc, &at), INC_OK);
    assert_int_equal(at.seq, seq);
    assert_int_equal(inc_checkpoint_format(&at, text, sizeof(text)), INC_OK);
    assert_int_equal(inc_incident_note(inc, "lee", "later"), INC_OK);
    for (i = 0; i < inc_incident_update_count(inc); i++) {
        inc_update_info info;
        assert_int_equal(inc_incident_update(inc, i, &info), INC_OK);
        if (info.seq == seq)
            break;
    }
    assert_int_equal(inc_incident_update_statuspage_json(inc, i, &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"metadata\":{\"libincident\":{\"incident_id\":"));
    json_value(json, "head", got, sizeof(got));
    assert_string_equal(got, text); /* the update's, not the later head */
    inc_free(json);
    assert_int_equal(inc_checkpoint_parse(got, &at), INC_OK);
    assert_int_equal(inc_incident_verify_head(inc, &at, NULL), INC_OK);

    /* A delivered due item's PagerDuty payload carries the head after the
     * event that recorded the delivery. */
    inc_test_clock_advance(&w.clk, 3 * 3600 * 1000LL);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 1, &due), INC_OK);
    assert_int_equal(inc_due_list_count(due), 1);
    assert_int_equal(inc_due_list_pagerduty(due, 0, "KEY", NULL, &json, NULL), INC_OK);
    assert_int_equal(inc_incident_head(inc, &at), INC_OK);
    assert_int_equal(at.seq, inc_due_list_get(due, 0)->seq);
    assert_int_equal(inc_checkpoint_format(&at, text, sizeof(text)), INC_OK);
    json_value(json, "head", got, sizeof(got));
    assert_string_equal(got, text);
    assert_non_null(strstr(json, "\"custom_details\":{"));
    inc_free(json);
    inc_due_list_free(due);
    inc_incident_free(inc);
    world_done(&w);
}

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

static void write_file(const char *path, const uint8_t *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_TL_5_head_round_trip),
        cmocka_unit_test(test_TL_5_verify_head_catches_a_rewritten_event),
        cmocka_unit_test(test_TL_5_checkpoint_text_refused),
        cmocka_unit_test(test_TL_5_head_in_export_paging_and_status_updates),
        cmocka_unit_test(test_TL_5_sealing_catches_an_attacker_with_the_current_key),
        cmocka_unit_test(test_TL_5_removed_or_altered_seals_are_caught),
        cmocka_unit_test(test_TL_5_crash_between_seal_and_key_evolution),
        cmocka_unit_test(test_TL_5_concurrent_seals_take_turns),
        cmocka_unit_test(test_TL_5_bad_input_and_missing_files),
        cmocka_unit_test(test_TL_5_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
