/* The journal under the incident API: an incident written through one
 * context is read back, event for event, through another context on a new
 * journal handle, and its event-level hash chain (TL-2) verifies. */
#include "test_journal_util.h"

#include "test_support.h"

static void run_timeline(inc_context *ctx, char *id, size_t idsize)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;

    d.title = "Checkout error rate above 5% in eu-west";
    d.declarer = "dana";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    snprintf(id, idsize, "%s", inc_incident_id(inc));
    assert_int_equal(inc_incident_set_state(inc, "dana", INC_STATE_INVESTIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_note(inc, "lee", "rolled back release 4812"), INC_OK);
    assert_int_equal(
        inc_incident_set_severity(inc, "dana", "Sev-1", "card payments failing in all regions"),
        INC_OK);
    assert_int_equal(inc_incident_correct(inc, "lee", 3, "it was release 4811"), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, "dana", INC_STATE_MITIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, "dana", INC_STATE_MONITORING, "fix deployed"),
                     INC_OK);
    inc_incident_free(inc);
}

static inc_context *context_on(inc_store *store, struct inc_test_clock *clk)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    o.store = store;
    o.clock = inc_test_clock_fn;
    o.clock_user = clk;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    return ctx;
}

static void test_TL_1_incident_round_trip_through_journal(void **state)
{
    char parent[128], dir[160], id[INC_ID_MAX + 1];
    struct inc_test_clock clk;
    inc_store *w, *r;
    inc_context *cw, *cr;
    inc_incident *a = NULL, *b = NULL;
    char *ja = NULL, *jb = NULL;
    uint64_t bad = 1;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    inc_test_clock_init(&clk, 1700000000000);
    w = tj_open(dir, INC_SYNC_GROUP, 0);
    cw = context_on(w, &clk);
    run_timeline(cw, id, sizeof(id));
    assert_int_equal(inc_incident_open(cw, id, &a), INC_OK);

    r = tj_open(dir, INC_SYNC_EVERY, 1); /* another handle, read-only */
    cr = context_on(r, &clk);
    assert_int_equal(inc_incident_open(cr, id, &b), INC_OK);
    assert_int_equal(inc_incident_event_count(b), inc_incident_event_count(a));
    assert_int_equal(inc_incident_last_seq(b), 7);
    assert_int_equal(inc_incident_last_seq(a), 7);
    assert_int_equal(inc_incident_export_json(a, &ja, NULL), INC_OK);
    assert_int_equal(inc_incident_export_json(b, &jb, NULL), INC_OK);
    assert_string_equal(ja, jb);
    assert_int_equal(inc_incident_verify(b, &bad), INC_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(inc_journal_verify(r, id, NULL), INC_OK);

    inc_free(ja);
    inc_free(jb);
    inc_incident_free(a);
    inc_incident_free(b);
    inc_context_free(cw);
    inc_context_free(cr);
    inc_store_free(w);
    inc_store_free(r);
    tj_rmtree(parent);
}

/* Every record of @id, copied. */
typedef struct copied {
    inc_store_record rec[16];
    size_t n;
} copied;

static int copy_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    copied *c = user;
    void *p = malloc(len);
    (void)seq;
    assert_true(c->n < 16);
    memcpy(p, data, len);
    c->rec[c->n].data = p;
    c->rec[c->n++].len = len;
    return 0;
}

/* TL-2: a planted journal whose event 3 was rewritten, with every journal
 * checksum computed afresh (the records appended through a new journal)
 * but the event chain left as it was: opening the incident refuses it,
 * naming the event after the forgery, so neither timeline nor export can
 * show the forged text. */
static void test_TL_2_open_refuses_a_forged_event(void **state)
{
    char parent[128], dir[160], forged_dir[200], id[INC_ID_MAX + 1];
    struct inc_test_clock clk;
    inc_store *w, *f;
    inc_context *cw, *cf;
    inc_incident *inc = (inc_incident *)1;
    copied c;
    char *text;
    size_t i;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    snprintf(forged_dir, sizeof(forged_dir), "%s/forged", parent);
    inc_test_clock_init(&clk, 1700000000000);
    w = tj_open(dir, INC_SYNC_GROUP, 0);
    cw = context_on(w, &clk);
    run_timeline(cw, id, sizeof(id));
    memset(&c, 0, sizeof(c));
    assert_int_equal(inc_store_read(w, id, 1, copy_cb, &c), INC_OK);
    assert_int_equal(c.n, 7);
    /* event 3 is lee's note: "rolled back release 4812" -> "...4813" */
    text = (char *)c.rec[2].data;
    for (i = 0; i + 4 <= c.rec[2].len && memcmp(text + i, "4812", 4) != 0; i++)
        ;
    assert_true(i + 4 <= c.rec[2].len);
    text[i + 3] = '3';

    f = tj_open(forged_dir, INC_SYNC_GROUP, 0);
    assert_int_equal(inc_store_append(f, id, 0, c.rec, c.n), INC_OK);
    assert_int_equal(inc_store_sync(f), INC_OK);
    cf = context_on(f, &clk);
    /* RUB-4: the declaration names its rubric by SHA-256; a copy of the
     * events without the store's blob cannot be read. */
    assert_int_equal(inc_incident_open(cf, id, &inc), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(cf), "is not in the store"));
    {
        char *rubric;
        size_t len;
        assert_int_equal(inc_rubric_write(inc_context_rubric(cw), &rubric, &len), INC_OK);
        assert_int_equal(inc_store_put_blob(f, rubric, len, NULL), INC_OK);
        inc_free(rubric);
    }
    assert_int_equal(inc_incident_open(cf, id, &inc), INC_ECORRUPT);
    assert_null(inc);
    assert_non_null(strstr(inc_context_errmsg(cf), "hash chain broken at event 4 (TL-2)"));

    for (i = 0; i < c.n; i++)
        free((void *)c.rec[i].data);
    inc_context_free(cw);
    inc_context_free(cf);
    inc_store_free(w);
    inc_store_free(f);
    tj_rmtree(parent);
}

/* The path of the journal's one blob file ("<key>.blob"). */
static void blob_path(const char *dir, char *out, size_t size)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    assert_non_null(d);
    out[0] = 0;
    while ((e = readdir(d)) != NULL)
        if (strlen(e->d_name) == 69 && strcmp(e->d_name + 64, ".blob") == 0)
            snprintf(out, size, "%s/%s", dir, e->d_name);
    closedir(d);
    assert_true(out[0] != 0);
}

/* RUB-4 in the journal: the rubric is one blob file named by its SHA-256;
 * a changed byte in it is caught on the next open (INC_ECORRUPT), the
 * next writer that has the text writes it again, and a declaration that
 * carries its text inline (written before blobs) still opens. */
static void test_RUB_4_journal_blob_tamper_repair_and_inline(void **state)
{
    char parent[128], dir[160], path[400], id[INC_ID_MAX + 1], old_id[INC_ID_MAX + 1];
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    struct inc_test_clock clk;
    inc_store *w, *old = NULL;
    inc_context *ctx;
    inc_incident *inc = NULL, *held = NULL;
    uint64_t bad = 7;
    FILE *fp;
    (void)state;

    tj_tmpdir(parent, sizeof(parent), dir, sizeof(dir));
    inc_test_clock_init(&clk, 1700000000000);
    w = tj_open(dir, INC_SYNC_EVERY, 0);
    ctx = context_on(w, &clk);
    run_timeline(ctx, id, sizeof(id));
    inc_context_free(ctx);
    /* An old-style declaration: through a store without blobs. */
    assert_int_equal(inc_test_blobless_store(w, &old), INC_OK);
    ctx = context_on(old, &clk);
    d.title = "inline";
    d.declarer = "dana";
    d.severity = "Sev-3";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    snprintf(old_id, sizeof(old_id), "%s", inc_incident_id(inc));
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(old);
    /* A handle opened before the change keeps its parsed rubric ... */
    ctx = context_on(w, &clk);
    assert_int_equal(inc_incident_open(ctx, id, &held), INC_OK);

    blob_path(dir, path, sizeof(path));
    fp = fopen(path, "r+");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 40, SEEK_SET), 0);
    assert_int_equal(fputc('#', fp), '#');
    fclose(fp);
    /* ... and verify reads the blob again: the change is found. */
    assert_int_equal(inc_incident_verify(held, &bad), INC_ECORRUPT);
    assert_int_equal(bad, 0);
    assert_non_null(strstr(inc_incident_errmsg(held), "do not match their hash"));
    inc_incident_free(held);
    inc_context_free(ctx);
    inc_store_free(w);
    w = tj_open(dir, INC_SYNC_EVERY, 0);
    ctx = context_on(w, &clk);
    assert_int_equal(inc_incident_open(ctx, id, &inc), INC_ECORRUPT);
    assert_non_null(strstr(inc_context_errmsg(ctx), "do not match their hash"));
    assert_int_equal(inc_incident_open(ctx, old_id, &inc), INC_OK); /* inline: unaffected */
    assert_string_equal(inc_incident_title(inc), "inline");
    inc_incident_free(inc);
    d.title = "writes the blob again";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    inc_incident_free(inc);
    inc_context_free(ctx);
    ctx = context_on(w, &clk);
    assert_int_equal(inc_incident_open(ctx, id, &inc), INC_OK);
    assert_string_equal(inc_incident_severity(inc), "Sev-1");
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(w);
    tj_rmtree(parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_TL_1_incident_round_trip_through_journal),
        cmocka_unit_test(test_TL_2_open_refuses_a_forged_event),
        cmocka_unit_test(test_RUB_4_journal_blob_tamper_repair_and_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
