/* TL-5, checkpoints: the head of an incident as SEQ:HASH, its text form,
 * the proof that events 1..SEQ are unchanged (caught even when the forger
 * recomputed every CRC and hash), and the head in the JSON export, the
 * PagerDuty payloads and the Statuspage metadata. */
#include "seal_test_util.h"

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
    assert_int_equal(inc_incident_add_update(inc, "dana", &u, NULL, &seq), INC_OK);
    assert_int_equal(inc_incident_head(inc, &at), INC_OK);
    assert_int_equal(at.seq, seq);
    assert_int_equal(inc_checkpoint_format(&at, text, sizeof(text)), INC_OK);
    assert_int_equal(inc_incident_note(inc, "lee", "later"), INC_OK);
    for (i = 0; i < inc_incident_update_count(inc); i++) {
        inc_update_info info;
        assert_int_equal(inc_incident_get_update(inc, i, &info), INC_OK);
        if (info.seq == seq)
            break;
    }
    assert_int_equal(inc_incident_update_statuspage_json(inc, i, NULL, &json, NULL), INC_OK);
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
    assert_int_equal(
        inc_due_list_pagerduty(due, 0, "0123456789abcdef0123456789abcdef", NULL, NULL, &json, NULL),
        INC_OK);
    assert_int_equal(inc_incident_head(inc, &at), INC_OK);
    assert_int_equal(at.seq, inc_due_list_at(due, 0)->seq);
    assert_int_equal(inc_checkpoint_format(&at, text, sizeof(text)), INC_OK);
    json_value(json, "head", got, sizeof(got));
    assert_string_equal(got, text);
    assert_non_null(strstr(json, "\"custom_details\":{"));
    inc_free(json);
    inc_due_list_free(due);
    inc_incident_free(inc);
    world_done(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_TL_5_head_round_trip),
        cmocka_unit_test(test_TL_5_verify_head_catches_a_rewritten_event),
        cmocka_unit_test(test_TL_5_checkpoint_text_refused),
        cmocka_unit_test(test_TL_5_head_in_export_paging_and_status_updates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
