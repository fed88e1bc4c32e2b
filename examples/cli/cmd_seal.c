/* incident(1): seal setup, seal, seal verify: forward-secure sealing of the
 * store (TL-5, incident/seal.h, lib/docs/sealing.md). The key file and the
 * seal log live in the journal directory unless --key-file and --log say
 * otherwise. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt seal_opts[] = {{"key-file", 0, 1}, {"log", 0, 1}, {"key", 'k', 1}};

/* The two paths: the options, else SEAL-KEY and SEAL-LOG in the store. */
static void seal_paths(cli *c, const cli_args *a, char *key, char *log, size_t size)
{
    const char *k = cli_opt_value(a, "key-file"), *l = cli_opt_value(a, "log");
    if (k)
        snprintf(key, size, "%s", k);
    else
        snprintf(key, size, "%s/SEAL-KEY", c->store_dir);
    if (l)
        snprintf(log, size, "%s", l);
    else
        snprintf(log, size, "%s/SEAL-LOG", c->store_dir);
}

static int seal_setup(cli *c, const cli_args *a)
{
    char key[4096], log[4096], text[INC_SEAL_KEY_TEXT_MAX];
    uint8_t vkey[INC_SEAL_KEY_LEN];
    jw w;
    int rc;

    seal_paths(c, a, key, log, sizeof(key));
    if ((rc = inc_seal_setup(c->ctx, key, log, vkey)) != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    inc_seal_key_format(vkey, text, sizeof(text));
    memset(vkey, 0, sizeof(vkey));
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "key_file", key);
        jw_kstr(&w, "log_file", log);
        jw_kstr(&w, "verification_key", text);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("sealing set up: key file %s, seal log %s\n"
               "verification key (shown once, not stored: keep it offline; "
               "`incident seal verify --key KEY` needs it):\n  %s\n",
               key, log, text);
    }
    memset(text, 0, sizeof(text));
    return CLI_EXIT_OK;
}

static int seal_now(cli *c, const cli_args *a)
{
    char key[4096], log[4096];
    inc_seal_result r;
    jw w;
    int rc;

    seal_paths(c, a, key, log, sizeof(key));
    if ((rc = inc_seal(c->ctx, key, log, &r)) != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    if (c->json) {
        cli_json_start(c, &w);
        jw_kint(&w, "epoch", (long long)r.epoch);
        jw_kint(&w, "incidents", (long long)r.incidents);
        jw_kint(&w, "events", (long long)r.events);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("sealed epoch %llu: %zu incident%s, %llu event%s; the key of epoch %llu is "
               "erased\n",
               (unsigned long long)r.epoch, r.incidents, r.incidents == 1 ? "" : "s",
               (unsigned long long)r.events, r.events == 1 ? "" : "s", (unsigned long long)r.epoch);
    }
    return CLI_EXIT_OK;
}

/* One line (or JSON object) per incident. */
static void print_report(void *user, const inc_seal_report *r)
{
    jw *w = user;
    if (w) {
        jw_obj(w);
        jw_kstr(w, "id", r->id);
        jw_kint(w, "sealed_seq", (long long)r->sealed_seq);
        jw_kint(w, "sealed_epoch", (long long)r->sealed_epoch);
        jw_kint(w, "last_seq", (long long)r->last_seq);
        jw_kint(w, "unsealed", (long long)r->unsealed);
        jw_kbool(w, "ok", r->status == INC_OK);
        if (r->status != INC_OK) {
            jw_kint(w, "bad_seq", (long long)r->bad_seq);
            jw_kint(w, "bad_epoch", (long long)r->bad_epoch);
        }
        jw_end_obj(w);
        return;
    }
    if (r->status != INC_OK && r->bad_epoch)
        printf("%s: MISMATCH: event %llu differs from the seal of epoch %llu\n", r->id,
               (unsigned long long)r->bad_seq, (unsigned long long)r->bad_epoch);
    else if (r->status != INC_OK)
        printf("%s: MISMATCH: hash chain broken at event %llu\n", r->id,
               (unsigned long long)r->bad_seq);
    else if (r->sealed_seq == 0)
        printf("%s: not sealed yet, %llu events\n", r->id, (unsigned long long)r->last_seq);
    else
        printf("%s: sealed up to event %llu at epoch %llu, unsealed tail %llu event(s)\n", r->id,
               (unsigned long long)r->sealed_seq, (unsigned long long)r->sealed_epoch,
               (unsigned long long)r->unsealed);
}

/* The verification key from --key KEY or --key @FILE (trailing white space
 * dropped). */
static int read_vkey(cli *c, const cli_args *a, uint8_t vkey[INC_SEAL_KEY_LEN])
{
    const char *text;
    char *owned = NULL, buf[INC_SEAL_KEY_TEXT_MAX + 8];
    size_t n;
    int rc = cli_text_opt(c, a, "key", &text, &owned);

    if (rc != CLI_EXIT_OK)
        return rc;
    if (!text) {
        free(owned);
        return cli_usage(c, "seal verify: --key KEY (the verification key of seal setup) is "
                            "required");
    }
    n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        n--;
    rc = n < sizeof(buf) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (rc == CLI_EXIT_OK) {
        memcpy(buf, text, n);
        buf[n] = '\0';
        if (inc_seal_key_parse(buf, vkey) != INC_OK)
            rc = CLI_EXIT_USAGE;
        memset(buf, 0, sizeof(buf));
    }
    free(owned);
    if (rc != CLI_EXIT_OK)
        return cli_usage(c, "--key: not a verification key (64 hex digits, as seal setup "
                            "printed it)");
    return CLI_EXIT_OK;
}

/* seal verify --json: the envelope every command has ({"ok":...,"command":
 * "seal verify"} first), the per-incident reports (written to `reports`, a
 * JSON array, while verifying) and the summary; on a failure the status,
 * message and exit code as cli_fail writes them. Returns the exit code. */
static int seal_verify_json(cli *c, int rc, const char *reports, const inc_seal_summary *s)
{
    jw w;
    jw_init(&w, stdout);
    jw_obj(&w);
    jw_kbool(&w, "ok", rc == INC_OK);
    jw_kstr(&w, "command", c->cmd);
    if (rc != INC_OK) {
        jw_kstr(&w, "status", inc_status_name(rc));
        jw_kstr(&w, "message", inc_context_errmsg(c->ctx));
        jw_kint(&w, "exit", cli_exit_code(rc));
    }
    jw_key(&w, "incidents");
    jw_raw(&w, reports && *reports ? reports : "[]");
    jw_kint(&w, "seals", (long long)s->seals);
    jw_ktime(&w, "last_sealed_at", s->last_sealed_at);
    jw_kint(&w, "key_epoch", (long long)s->key_epoch);
    jw_kint(&w, "mismatches", (long long)s->mismatches);
    jw_kint(&w, "unsealed", (long long)s->unsealed);
    jw_kint(&w, "torn_bytes", (long long)s->torn_bytes);
    jw_end_obj(&w);
    jw_finish(&w);
    return cli_exit_code(rc);
}

static int seal_verify(cli *c, const cli_args *a)
{
    char key[4096], log[4096], when[32], *reports = NULL;
    size_t reports_len = 0;
    uint8_t vkey[INC_SEAL_KEY_LEN];
    inc_seal_summary s;
    FILE *mem = NULL;
    jw w;
    int rc;

    if ((rc = read_vkey(c, a, vkey)) != CLI_EXIT_OK)
        return rc;
    seal_paths(c, a, key, log, sizeof(key));
    if (c->json) { /* the reports are kept until "ok" is known */
        if (!(mem = open_memstream(&reports, &reports_len))) {
            memset(vkey, 0, sizeof(vkey));
            return cli_fail(c, INC_ENOMEM, "out of memory");
        }
        jw_init(&w, mem);
        jw_arr(&w);
    }
    memset(&s, 0, sizeof(s));
    rc = inc_seal_verify(c->ctx, key, log, vkey, print_report, c->json ? &w : NULL, &s);
    memset(vkey, 0, sizeof(vkey));
    if (c->json) {
        jw_end_arr(&w);
        if (fclose(mem) != 0) {
            free(reports);
            return cli_fail(c, INC_ENOMEM, "out of memory");
        }
        rc = seal_verify_json(c, rc, reports, &s);
        free(reports);
        return rc;
    }
    if (rc != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    printf("%llu seal(s) verified (last %s), key file at epoch %llu; %llu event(s) unsealed%s\n",
           (unsigned long long)s.seals, cli_time(s.last_sealed_at, when, sizeof(when)),
           (unsigned long long)s.key_epoch, (unsigned long long)s.unsealed,
           s.torn_bytes ? "; an unfinished seal at the end of the log is ignored" : "");
    return CLI_EXIT_OK;
}

int cmd_seal(cli *c, int argc, char **argv)
{
    const char *sub;
    cli_args a;
    int rc, mode;

    sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "";
    if (*sub && strcmp(sub, "setup") != 0 && strcmp(sub, "verify") != 0)
        return cli_usage(c, "unknown seal command '%s' (setup, verify, or none to seal now)", sub);
    mode = strcmp(sub, "setup") == 0 ? CLI_STORE_RW : CLI_STORE_RO;
    rc = cli_start(c, seal_opts, CLI_NOPTS(seal_opts), argc, argv, &a, *sub ? 1 : 0, *sub ? 1 : 0,
                   mode);
    if (rc != CLI_GO)
        return rc;
    if (cli_opt_given(&a, "key") && strcmp(sub, "verify") != 0)
        return cli_usage(c, "--key is for seal verify only");
    if (strcmp(sub, "setup") == 0)
        return seal_setup(c, &a);
    if (strcmp(sub, "verify") == 0) {
        c->cmd = "seal verify"; /* as its --json envelope and messages name it */
        return seal_verify(c, &a);
    }
    return seal_now(c, &a);
}
