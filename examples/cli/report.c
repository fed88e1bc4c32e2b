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
    fprintf(stderr, "incident: %s%s%s%s%s%s: %s\n", c->cmd ? c->cmd : "", c->cmd ? ": " : "",
            inc_status_name(status), rule[0] ? " [" : "", rule, rule[0] ? "]" : "", shown);
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
