/* Helpers of the TL-5 tests (tests/seal/): a journal world on a fake clock,
 * declaring and noting, the head of an incident, the forger that rewrites an
 * event with every CRC and hash recomputed, and reading and writing files. */
#ifndef SEAL_TEST_UTIL_H
#define SEAL_TEST_UTIL_H

#include "../journal/test_journal_util.h"

#include <fcntl.h>

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

static inline void world_open(world *w)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    w->store = tj_open(w->dir, INC_SYNC_NONE, 0);
    o.store = w->store;
    o.clock = inc_test_clock_fn;
    o.clock_user = &w->clk;
    assert_int_equal(inc_context_new(&o, &w->ctx), INC_OK);
}

static inline void world_close(world *w)
{
    inc_context_free(w->ctx);
    inc_store_free(w->store);
    w->ctx = NULL;
    w->store = NULL;
}

static inline void world_init(world *w)
{
    memset(w, 0, sizeof(*w));
    tj_tmpdir(w->parent, sizeof(w->parent), w->dir, sizeof(w->dir));
    snprintf(w->key, sizeof(w->key), "%s/seal.key", w->parent);
    snprintf(w->log, sizeof(w->log), "%s/seal.log", w->parent);
    inc_test_clock_init(&w->clk, T0);
    world_open(w);
}

static inline void world_done(world *w)
{
    world_close(w);
    tj_rmtree(w->parent);
}

static inline void declare(world *w, const char *title, char *id)
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

static inline void note(world *w, const char *id, const char *text)
{
    inc_incident *inc = NULL;
    inc_test_clock_advance(&w->clk, 60000);
    assert_int_equal(inc_incident_open(w->ctx, id, &inc), INC_OK);
    assert_int_equal(inc_incident_note(inc, "lee", text), INC_OK);
    inc_incident_free(inc);
}

static inline inc_checkpoint head_of(world *w, const char *id)
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

static inline int grab(void *user, uint64_t seq, const void *data, size_t len)
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
static inline void forge(world *w, const char *id, uint64_t seq, const char *from, const char *to)
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

static inline size_t slurp(const char *path, uint8_t *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    assert_non_null(f);
    n = fread(buf, 1, size, f);
    fclose(f);
    return n;
}

static inline int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    size_t i;
    for (i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* key_{i+1} = SHA-256("inc-seal-evolve" || key_i), as lib/docs/sealing.md says. */
static inline void evolve(uint8_t key[32])
{
    uint8_t in[15 + 32];
    memcpy(in, "inc-seal-evolve", 15);
    memcpy(in + 15, key, 32);
    inc__sha256(in, sizeof(in), key);
}

static inline void write_file(const char *path, const uint8_t *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
}

#endif
