/* incident(1): reporting failures (status name, rule ID, message) and the
 * exit codes they map to. */
#include "cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

int cli_exit_code(int status)
{
    switch (status) {
    case INC_OK:
        return CLI_EXIT_OK;
    case INC_EPERM:
    case INC_EROLE:
    case INC_ESTATE:
        return CLI_EXIT_REFUSED;
    case INC_ENOTFOUND:
        return CLI_EXIT_NOTFOUND;
    case INC_EEXIST:
    case INC_ECONFLICT:
    case INC_ELOCKED:
        return CLI_EXIT_CONFLICT;
    case INC_EINVAL:
    case INC_EPARSE:
    case INC_ETOOBIG:
        return CLI_EXIT_INVALID;
    default:
        return CLI_EXIT_STORE; /* EIO, ECORRUPT, EREADONLY, EVERSION, ENOMEM, ... */
    }
}

/* A rule ID: 2..5 capital letters, '-', digits, then optionally '.' and a
 * lower-case name ("CAN-2.promise"), not inside a longer word. */
static size_t rule_at(const char *s, const char *start)
{
    const char *p = s;
    size_t letters = 0;
    if (s > start && (isalnum((unsigned char)s[-1]) || s[-1] == '-' || s[-1] == '.'))
        return 0;
    while (*p >= 'A' && *p <= 'Z')
        p++, letters++;
    if (letters < 2 || letters > 5 || *p != '-' || !isdigit((unsigned char)p[1]))
        return 0;
    p++;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.' && p[1] >= 'a' && p[1] <= 'z') {
        p++;
        while ((*p >= 'a' && *p <= 'z') || *p == '-')
            p++;
    }
    if (isalnum((unsigned char)*p))
        return 0;
    return (size_t)(p - s);
}

int cli_rule_id(const char *msg, char *buf, size_t size)
{
    const char *s;
    buf[0] = '\0';
    for (s = msg; s && *s; s++) {
        size_t n = rule_at(s, msg);
        if (n > 0 && n < size) {
            memcpy(buf, s, n);
            buf[n] = '\0';
            return 1;
        }
    }
    return 0;
}

/* What a terminal would act on is shown escaped, as the library's
 * renderings show it (lib/util/escape.h): C0 controls and DEL as \\xNN,
 * the bidirectional overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069) as \\uNNNN. Writes the escape of the character at @p
 * into @esc and returns the bytes it takes, or 0 when it is shown as is. */
static size_t escape_at(const unsigned char *p, char esc[8])
{
    if (*p < 0x20 || *p == 0x7F) {
        snprintf(esc, 8, "\\x%02x", *p);
        return 1;
    }
    if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                         (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
        snprintf(esc, 8, "\\u20%02x", (unsigned)((p[1] & 0x3F) << 6 | (p[2] & 0x3F)) & 0xFF);
        return 3;
    }
    return 0;
}

/* Write @s to @f, escaped. Messages quote ids and text from input. */
static void put_shown(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    char esc[8];
    while (*p) {
        size_t n = escape_at(p, esc);
        if (n) {
            fputs(esc, f);
            p += n;
        } else {
            fputc(*p++, f);
        }
    }
}

const char *cli_safe(const char *s)
{
    static char ring[4][2048];
    static unsigned next;
    const unsigned char *p = (const unsigned char *)s;
    char *out, esc[8];
    size_t len = 0, n;

    if (!s)
        return s;
    for (; *p && !escape_at(p, esc); p++)
        ;
    if (!*p)
        return s; /* nothing to escape: the common case */
    out = ring[next++ % 4];
    for (p = (const unsigned char *)s; *p && len + 8 < sizeof(ring[0]); p += n ? n : 1) {
        n = escape_at(p, esc);
        if (n) {
            memcpy(out + len, esc, strlen(esc));
            len += strlen(esc);
        } else {
            out[len++] = (char)*p;
        }
    }
    out[len] = '\0';
    return out;
}

int cli_fail_exit(cli *c, int status, const char *message, int code)
{
    char rule[48];
    const char *shown;
    size_t rlen;
    if (!message || !*message)
        message = inc_strerror(status);
    cli_rule_id(message, rule, sizeof(rule));
    /* "ROLE-9: bob would hold ..." reads once as "[ROLE-9]: bob would ...". */
    rlen = strlen(rule);
    shown = rlen && strncmp(message, rule, rlen) == 0 && message[rlen] == ':' ? message + rlen + 1
                                                                              : message;
    while (*shown == ' ')
        shown++;
    fprintf(stderr, "incident: %s%s%s%s%s%s: ", c->cmd ? c->cmd : "", c->cmd ? ": " : "",
            inc_status_name(status), rule[0] ? " [" : "", rule, rule[0] ? "]" : "");
    put_shown(stderr, shown);
    fputc('\n', stderr);
    if (status == INC_ECONFLICT) /* notes, reports and updates were retried already */
        fprintf(stderr,
                "incident: %s: another writer changed the incident first; nothing was "
                "recorded: look at it again (incident show) and repeat the command\n",
                c->cmd ? c->cmd : "");
    if (c->json) {
        jw w;
        jw_init(&w, stdout);
        jw_obj(&w);
        jw_kbool(&w, "ok", 0);
        jw_kstr(&w, "command", c->cmd);
        jw_kstr(&w, "status", inc_status_name(status));
        jw_kstr(&w, "rule", rule[0] ? rule : NULL);
        jw_kstr(&w, "message", message);
        jw_kint(&w, "exit", code);
        jw_end_obj(&w);
        jw_finish(&w);
    }
    return code;
}

int cli_fail(cli *c, int status, const char *message)
{
    return cli_fail_exit(c, status, message, cli_exit_code(status));
}

int cli_usage(cli *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "incident: %s%susage: %s\n", c->cmd ? c->cmd : "", c->cmd ? ": " : "", msg);
    if (c->json) {
        jw w;
        jw_init(&w, stdout);
        jw_obj(&w);
        jw_kbool(&w, "ok", 0);
        jw_kstr(&w, "command", c->cmd);
        jw_kstr(&w, "status", "usage");
        jw_kstr(&w, "rule", NULL);
        jw_kstr(&w, "message", msg);
        jw_kint(&w, "exit", CLI_EXIT_USAGE);
        jw_end_obj(&w);
        jw_finish(&w);
    }
    return CLI_EXIT_USAGE;
}

const char *cli_finding_text(const inc_finding *f)
{
    const char *msg = f->message, *dot = strchr(f->rule_id, '.');
    size_t base = dot ? (size_t)(dot - f->rule_id) : strlen(f->rule_id);
    /* Messages start with their rule ("CAN-2: ..."); the caller shows the full ID. */
    if (strncmp(msg, f->rule_id, base) == 0 && msg[base] == ':') {
        msg += base + 1;
        while (*msg == ' ')
            msg++;
    }
    return msg;
}

void cli_print_findings(FILE *f, const inc_findings *list, const char *indent)
{
    size_t i, n = inc_findings_count(list);
    for (i = 0; i < n; i++) {
        const inc_finding *fd = inc_findings_at(list, i);
        fprintf(f, "%s%s: %s", indent, fd->rule_id, cli_finding_text(fd));
        if (fd->level)
            fprintf(f, " [%s]", fd->level);
        fputc('\n', f);
    }
}

void cli_on_recovery(void *user, const inc_journal_recovery *r)
{
    cli *c = user;
    char key[sizeof(c->recovered)];
    /* A read-only command reads the incident, then verify checks it: one
     * torn tail, reported twice by the library, printed once. */
    snprintf(key, sizeof(key), "%s %llu %llu %d", r->id, (unsigned long long)r->offset,
             (unsigned long long)r->bytes, r->cut);
    if (strcmp(key, c->recovered) == 0)
        return;
    memcpy(c->recovered, key, sizeof(key));
    if (r->cut)
        fprintf(stderr,
                "incident: recovery: %s: %llu bytes from offset %llu of %s set aside in %s "
                "(events kept: %llu): %s\n",
                r->id, (unsigned long long)r->bytes, (unsigned long long)r->offset, r->file,
                r->quarantine, (unsigned long long)r->last_seq, r->why ? r->why : "");
    else
        fprintf(stderr,
                "incident: recovery: %s: %s: %llu bytes from offset %llu of %s, left in "
                "place (the next write sets them aside in a quarantine file): %s\n",
                r->id, r->last_seq ? "torn tail" : "no complete append",
                (unsigned long long)r->bytes, (unsigned long long)r->offset, r->file,
                r->why ? r->why : "");
}

int cli_print_quarantine(void *user, const inc_journal_quarantine *q)
{
    size_t *count = user;
    fprintf(stderr, "incident: quarantine: %s: %s: %llu bytes set aside from offset %llu\n", q->id,
            q->file, (unsigned long long)q->bytes, (unsigned long long)q->offset);
    (*count)++;
    return 0;
}
