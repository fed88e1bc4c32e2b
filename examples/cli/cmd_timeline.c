/* incident(1): sev, state, note, timeline, verify, export, import: the
 * core changes and the timeline of record. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    const char *level = NULL;
    cli_args a;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 3, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_join_text(c, &a, 2, &why)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    snprintf(from, sizeof(from), "%s", inc_incident_severity(inc));
    if ((rc = cli_parse_level(c, inc_incident_rubric(inc), a.pos[1], &level)) != CLI_EXIT_OK)
        goto out;
    if ((rc = inc_incident_set_severity(inc, c->by, level, why)) != INC_OK) {
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
    if ((rc = cli_parse_state(c, a.pos[1], &st)) != CLI_EXIT_OK)
        return rc;
    if (a.npos > 2 && (rc = cli_join_text(c, &a, 2, &text)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
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

struct note_change {
    const char *by, *text;
    uint64_t ref; /* the event corrected, or 0 */
};

static int add_note(inc_incident *inc, void *arg)
{
    const struct note_change *n = arg;
    return n->ref ? inc_incident_correct(inc, n->by, n->ref, n->text)
                  : inc_incident_note(inc, n->by, n->text);
}

int cmd_note(cli *c, int argc, char **argv)
{
    struct note_change change;
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
    if ((rc = cli_join_text(c, &a, 1, &text)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    change.by = c->by;
    change.text = text;
    change.ref = ref;
    /* A note means the same whatever was appended before it: safe to retry. */
    if ((rc = cli_retry_change(c, inc, add_note, &change)) != INC_OK) {
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

/* Where an event line of the library's rendering ("%4llu  " then a 24-byte
 * ISO 8601 time) has its time, or 0 when the line is not one. */
static size_t event_time_at(const char *line, size_t len, inc_time *t)
{
    size_t i = 0;
    char iso[25];
    while (i < len && line[i] == ' ')
        i++;
    if (i >= len || line[i] < '0' || line[i] > '9')
        return 0;
    while (i < len && line[i] >= '0' && line[i] <= '9')
        i++;
    if (i + 2 + 24 > len || line[i] != ' ' || line[i + 1] != ' ')
        return 0;
    memcpy(iso, line + i + 2, 24);
    iso[24] = '\0';
    return inc_time_parse(iso, t) == INC_OK ? i + 2 : 0;
}

/* The column where the description starts in "  T+0s    alice    Text"
 * (the third field), for continuation lines; a narrow terminal indents
 * less. */
static int description_column(const char *rest, int start, int width)
{
    const char *p = rest;
    int field;
    for (field = 0; field < 2; field++) {
        p += strspn(p, " ");
        p += strcspn(p, " ");
    }
    p += strspn(p, " ");
    if (!*p || start + (int)(p - rest) > width / 2)
        return start + 2;
    return start + (int)(p - rest);
}

/* The library's rendering for a person: the day once (in --tz) above its
 * events, then "03:10" for each event's time, and lines wrapped to the
 * terminal (continuations indented past the time, so no text passes for an
 * event line, which starts with its sequence number: TL-3). */
static void timeline_text(cli *c, const char *text)
{
    int width = cli_term_width();
    char day[48] = "", this_day[48], hhmm[16];
    const char *line = text;
    (void)c;
    while (*line) {
        size_t len = strcspn(line, "\n"), at;
        inc_time t;
        char *copy;
        if ((at = event_time_at(line, len, &t)) != 0 &&
            (copy = malloc(len - at - 24 + 1)) != NULL) {
            if (strcmp(cli_day(t, this_day, sizeof(this_day)), day) != 0) {
                printf("%s%s%s\n", cli_sgr(stdout, CLI_BOLD), this_day, cli_sgr(stdout, CLI_RESET));
                memcpy(day, this_day, sizeof(day));
            }
            memcpy(copy, line + at + 24, len - at - 24);
            copy[len - at - 24] = '\0';
            printf("%s%.*s%s%s", cli_sgr(stdout, CLI_DIM), (int)at, line,
                   cli_sgr(stdout, CLI_RESET), cli_clock_time(t, hhmm, sizeof(hhmm)));
            cli_print_wrapped(copy, width, description_column(copy, (int)at + 5, width),
                              (int)at + 5);
            fputc('\n', stdout);
            free(copy);
        } else {
            fwrite(line, 1, len, stdout);
            fputc('\n', stdout);
        }
        line += len + (line[len] == '\n');
    }
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
        timeline_text(c, text);
    }
    inc_free(text);
    inc_incident_free(inc);
    return CLI_EXIT_OK;
}

/* Each event stamped earlier than an event before it (a writer's clock went
 * backwards): a warning on stderr naming both events, and with --json an
 * entry under "clock_backwards". Returns how many. */
static size_t clock_backwards(const inc_incident *inc, jw *w)
{
    size_t i, n = inc_incident_event_count(inc), found = 0;
    inc_time latest = 0;
    uint64_t latest_seq = 0;
    char b1[32], b2[32];
    if (w) {
        jw_key(w, "clock_backwards");
        jw_arr(w);
    }
    for (i = 0; i < n; i++) {
        inc_event_info ev;
        if (inc_incident_get_event(inc, i, &ev) != INC_OK)
            continue;
        if (latest_seq == 0 || ev.time >= latest) {
            latest = ev.time;
            latest_seq = ev.seq;
            continue;
        }
        found++;
        fprintf(stderr,
                "incident: verify: warning: event %llu (%s) is earlier than event %llu (%s): "
                "the clock went backwards (TL-1)\n",
                (unsigned long long)ev.seq, cli_time(ev.time, b1, sizeof(b1)),
                (unsigned long long)latest_seq, cli_time(latest, b2, sizeof(b2)));
        if (w) {
            jw_obj(w);
            jw_kint(w, "seq", (long long)ev.seq);
            jw_ktime(w, "time", ev.time);
            jw_kint(w, "after_seq", (long long)latest_seq);
            jw_ktime(w, "after_time", latest);
            jw_end_obj(w);
        }
    }
    if (w)
        jw_end_arr(w);
    return found;
}

/* TL-5: --head SEQ:HASH, a checkpoint witnessed elsewhere. */
static int parse_head(cli *c, const cli_args *a, inc_checkpoint *cp)
{
    const char *text = cli_opt_value(a, "head");
    if (text && inc_checkpoint_parse(text, cp) != INC_OK)
        return cli_usage(c,
                         "--head: '%.100s' is not a checkpoint SEQ:HASH (a sequence number, "
                         "a colon and 64 hex digits, as verify prints it)",
                         text);
    return CLI_EXIT_OK;
}

int cmd_verify(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"head", 0, 1}};
    inc_incident *inc = NULL;
    inc_checkpoint want, head;
    char head_text[INC_CHECKPOINT_TEXT_MAX];
    uint64_t bad = 0, bad_rec = 0;
    size_t backwards;
    size_t quarantined = 0;
    cli_args a;
    jw w;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_STORE_RO);
    if (rc != CLI_GO)
        return rc;
    if ((rc = parse_head(c, &a, &want)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    /* The event chain (TL-2), then the journal's own record checksums and
     * chain, which also cover the last event. */
    if ((rc = inc_incident_verify(inc, &bad)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (cli_opt_given(&a, "head") && (rc = inc_incident_verify_head(inc, &want, &bad)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    /* Torn tails are printed by the recovery callback; quarantine files
     * (bytes set aside earlier, TL-4) are listed here. */
    rc = inc_journal_verify(c->store, inc_incident_id(inc), &bad_rec);
    if (rc != INC_OK && rc != INC_EINVAL) {
        rc = cli_fail(c, rc, inc_store_errmsg(c->store));
        goto out;
    }
    inc_incident_head(inc, &head);
    inc_checkpoint_format(&head, head_text, sizeof(head_text));
    if (rc == INC_OK && inc_journal_quarantine_list(c->store, inc_incident_id(inc),
                                                    cli_print_quarantine, &quarantined) != INC_OK) {
        rc = cli_fail(c, INC_EIO, inc_store_errmsg(c->store));
        goto out;
    }
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "id", inc_incident_id(inc));
        jw_kint(&w, "events", (long long)inc_incident_last_seq(inc));
        jw_kbool(&w, "verified", 1);
        jw_kbool(&w, "journal_checked", rc == INC_OK);
        backwards = clock_backwards(inc, &w);
        jw_kstr(&w, "head", head_text);
        if (cli_opt_given(&a, "head"))
            jw_kint(&w, "head_verified_seq", (long long)want.seq);
        jw_kbool(&w, "torn_tail", c->recovered[0] != '\0');
        jw_kint(&w, "quarantine_files", (long long)quarantined);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("%s: hash chain verified: %llu events%s%s\n", inc_incident_id(inc),
               (unsigned long long)inc_incident_last_seq(inc),
               rc != INC_OK      ? ""
               : c->recovered[0] ? ", journal records intact up to a torn tail (see stderr)"
                                 : ", journal records and checksums intact",
               quarantined ? " (bytes set aside in quarantine: see stderr)" : "");
        backwards = clock_backwards(inc, NULL);
        if (cli_opt_given(&a, "head"))
            printf("%s: events 1..%llu match the checkpoint (TL-5)\n", inc_incident_id(inc),
                   (unsigned long long)want.seq);
        printf("head %s\n", head_text);
    }
    /* Intact, but times that go backwards make durations wrong: exit 7. */
    rc = backwards ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    return rc;
}

/* Write an export to path, private like the store: a new file is created
 * 0600 whatever the umask, and an existing regular file that group or
 * others could read is made 0600 before the record is written into it
 * (a device such as /dev/null is left as it is). Returns 0 or an errno. */
static int write_private(const char *path, const char *data, size_t len)
{
    struct stat sb;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), err = 0;
    if (fd < 0)
        return errno;
    if (fstat(fd, &sb) != 0 ||
        (S_ISREG(sb.st_mode) && (sb.st_mode & 077) && fchmod(fd, sb.st_mode & 0700) != 0))
        err = errno;
    while (!err && len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        data += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
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
        int err = write_private(path, json, len);
        if (err) {
            char msg[512];
            snprintf(msg, sizeof(msg), "cannot write %s: %s", path, strerror(err));
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
    } else if (c->json) {
        cli_json_wrap(c, inc_incident_id(inc), "export", json);
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
    if ((rc = cli_open(c, CLI_STORE_CREATE)) != CLI_EXIT_OK)
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
