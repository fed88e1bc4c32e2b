/* incident(1): sev, state, note, timeline, verify, export, import: the
 * core changes and the timeline of record. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* After a change: the JSON summary of the incident, or nothing. */
static void done_json(cli *c, const inc_incident *inc, const inc_findings *findings)
{
    jw w;
    if (!c->json)
        return;
    cli_json_start(c, &w);
    cli_json_incident_fields(&w, inc);
    if (findings) {
        jw_key(&w, "findings");
        jw_findings(&w, findings);
    }
    jw_end_obj(&w);
    jw_finish(&w);
}

int cmd_sev(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    inc_findings *findings = NULL;
    char *why = NULL, from[INC_LEVEL_NAME_MAX + 1];
    cli_args a;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 3, -1, CLI_STORE_RW);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_join_text(c, &a, 2, &why)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    snprintf(from, sizeof(from), "%s", inc_incident_severity(inc));
    if ((rc = inc_incident_set_severity(inc, c->by, a.pos[1], why)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    /* The new level may forbid combinations or need more people (ROLE-11). */
    if (inc_incident_check_roles(inc, &findings) != INC_OK)
        findings = NULL;
    if (!c->json) {
        printf("%s: severity %s -> %s: %s\n", inc_incident_id(inc), from,
               inc_incident_severity(inc), why);
        if (inc_findings_count(findings)) {
            printf("Role check at %s:\n", inc_incident_severity(inc));
            cli_print_findings(stdout, findings, "  ");
        }
    }
    done_json(c, inc, findings);
    rc = CLI_EXIT_OK;
out:
    inc_findings_free(findings);
    inc_incident_free(inc);
    free(why);
    return rc;
}

int cmd_state(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    inc_state st, from;
    char *text = NULL;
    cli_args a;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 2, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (inc_state_from_name(a.pos[1], &st) != INC_OK)
        return cli_usage(c,
                         "unknown state '%s' (declared, investigating, mitigating, monitoring, "
                         "resolved, closed)",
                         a.pos[1]);
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        return rc;
    if (a.npos > 2 && (rc = cli_join_text(c, &a, 2, &text)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    from = inc_incident_state(inc);
    if ((rc = inc_incident_set_state(inc, c->by, st, text)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (!c->json)
        printf("%s: %s -> %s%s%s\n", inc_incident_id(inc), inc_state_name(from), inc_state_name(st),
               text ? ": " : "", text ? text : "");
    done_json(c, inc, NULL);
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    free(text);
    return rc;
}

int cmd_note(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"corrects", 0, 1}};
    inc_incident *inc = NULL;
    unsigned long long ref = 0;
    const char *corrects;
    char *text = NULL, *end;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 2, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((corrects = cli_opt_value(&a, "corrects"))) {
        errno = 0;
        ref = strtoull(corrects, &end, 10);
        if (errno || *end || ref == 0 || corrects[0] == '-')
            return cli_usage(c, "--corrects: '%s' is not an event number", corrects);
    }
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_join_text(c, &a, 1, &text)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    rc = ref ? inc_incident_correct(inc, c->by, ref, text) : inc_incident_note(inc, c->by, text);
    if (rc != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (!c->json) {
        if (ref)
            printf("%s: event %llu corrects event %llu\n", inc_incident_id(inc),
                   (unsigned long long)inc_incident_last_seq(inc), ref);
        else
            printf("%s: note recorded as event %llu\n", inc_incident_id(inc),
                   (unsigned long long)inc_incident_last_seq(inc));
    }
    done_json(c, inc, NULL);
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    free(text);
    return rc;
}

static void timeline_json(cli *c, const inc_incident *inc)
{
    size_t i, n = inc_incident_event_count(inc);
    char off[32];
    jw w;
    cli_json_start(c, &w);
    cli_json_incident_fields(&w, inc);
    jw_key(&w, "events");
    jw_arr(&w);
    for (i = 0; i < n; i++) {
        inc_event_info ev;
        char *desc = NULL;
        if (inc_incident_get_event(inc, i, &ev) != INC_OK)
            continue;
        inc_offset_format(ev.offset_ms, off, sizeof(off));
        jw_obj(&w);
        jw_kint(&w, "seq", (long long)ev.seq);
        jw_ktime(&w, "time", ev.time);
        jw_kstr(&w, "offset", off);
        jw_kstr(&w, "kind", ev.kind_name);
        jw_kstr(&w, "actor", ev.actor);
        jw_kstr(&w, "text", ev.text);
        if (ev.ref_seq)
            jw_kint(&w, "ref_seq", (long long)ev.ref_seq);
        if (inc_incident_describe_event(inc, i, &desc) == INC_OK)
            jw_kstr(&w, "description", desc);
        inc_free(desc);
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    jw_end_obj(&w);
    jw_finish(&w);
}

int cmd_timeline(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    char *text = NULL;
    cli_args a;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 1, 1, CLI_STORE_RO);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    if (c->json) {
        timeline_json(c, inc);
    } else if ((rc = inc_incident_render_timeline(inc, &text, NULL)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        inc_incident_free(inc);
        return rc;
    } else {
        fputs(text, stdout);
    }
    inc_free(text);
    inc_incident_free(inc);
    return CLI_EXIT_OK;
}

int cmd_verify(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    uint64_t bad = 0, bad_rec = 0;
    cli_args a;
    jw w;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 1, 1, CLI_STORE_RO);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    /* The event chain (TL-2), then the journal's own record checksums and
     * chain, which also cover the last event. */
    if ((rc = inc_incident_verify(inc, &bad)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    rc = inc_journal_verify(c->store, inc_incident_id(inc), &bad_rec);
    if (rc != INC_OK && rc != INC_EINVAL) {
        rc = cli_fail(c, rc, inc_store_errmsg(c->store));
        goto out;
    }
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "id", inc_incident_id(inc));
        jw_kint(&w, "events", (long long)inc_incident_last_seq(inc));
        jw_kbool(&w, "verified", 1);
        jw_kbool(&w, "journal_checked", rc == INC_OK);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("%s: hash chain verified: %llu events%s\n", inc_incident_id(inc),
               (unsigned long long)inc_incident_last_seq(inc),
               rc == INC_OK ? ", journal records and checksums intact" : "");
    }
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    return rc;
}

int cmd_export(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"output", 'o', 1}};
    inc_incident *inc = NULL;
    const char *path;
    char *json = NULL;
    size_t len = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_STORE_RO);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    if ((rc = inc_incident_export_json(inc, &json, &len)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    path = cli_opt_value(&a, "output");
    if (path && strcmp(path, "-") != 0) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(json, 1, len, f) != len || fclose(f) != 0) {
            char msg[512];
            snprintf(msg, sizeof(msg), "cannot write %s: %s", path, strerror(errno));
            rc = cli_fail(c, INC_EIO, msg);
            goto out;
        }
        if (!c->json)
            printf("%s: exported %llu events to %s\n", inc_incident_id(inc),
                   (unsigned long long)inc_incident_last_seq(inc), path);
        else {
            jw w;
            cli_json_start(c, &w);
            jw_kstr(&w, "id", inc_incident_id(inc));
            jw_kstr(&w, "file", path);
            jw_end_obj(&w);
            jw_finish(&w);
        }
    } else {
        fwrite(json, 1, len, stdout);
        if (len && json[len - 1] != '\n')
            fputc('\n', stdout);
    }
    rc = CLI_EXIT_OK;
out:
    inc_free(json);
    inc_incident_free(inc);
    return rc;
}

int cmd_import(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    inc_diag diag;
    char *json = NULL;
    size_t len = 0;
    cli_args a;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_read_file(c, a.pos[0], &json, &len)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
    memset(&diag, 0, sizeof(diag));
    if ((rc = inc_incident_import_json(c->ctx, json, len, &inc, &diag)) != INC_OK) {
        char msg[400];
        const char *why = diag.message[0] ? diag.message : inc_context_errmsg(c->ctx);
        if (rc == INC_EPARSE || diag.offset)
            snprintf(msg, sizeof(msg), "%s (at byte %zu)", why, diag.offset);
        else
            snprintf(msg, sizeof(msg), "%s", why);
        rc = cli_fail(c, rc, msg);
        goto out;
    }
    if (c->json)
        done_json(c, inc, NULL);
    else
        printf("imported %s: %llu events, hash chain verified\n", inc_incident_id(inc),
               (unsigned long long)inc_incident_last_seq(inc));
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    free(json);
    return rc;
}
