/* incident(1): reporting failures (status name, rule ID, message) and the
 * exit codes they map to. */
#include "cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* ---- colour --------------------------------------------------------------- */

/* Colour on stdout and stderr, decided once by cli_color_setup(). */
static int colour_out, colour_err;

static int wants_colour(int mode, int fd)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    if (mode == CLI_COLOR_ALWAYS)
        return 1;
    if (mode == CLI_COLOR_NEVER || (no && *no)) /* https://no-color.org */
        return 0;
    return isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

void cli_color_setup(int mode)
{
    colour_out = wants_colour(mode, STDOUT_FILENO);
    colour_err = wants_colour(mode, STDERR_FILENO);
}

const char *cli_sgr(FILE *f, int colour)
{
    static const char *const codes[] = {"\033[0m",  "\033[1m",  "\033[1;31m",
                                        "\033[33m", "\033[32m", "\033[2m"};
    int on = f == stdout ? colour_out : f == stderr ? colour_err : 0;
    if (!on || colour < 0 || colour >= (int)(sizeof(codes) / sizeof(codes[0])))
        return "";
    return codes[colour];
}

int cli_term_width(void)
{
    const char *env = getenv("COLUMNS");
    struct winsize ws;
    if (env && *env) {
        long n = strtol(env, NULL, 10);
        return n >= 20 && n <= 1000 ? (int)n : 0;
    }
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

/* Columns a UTF-8 text takes (one per character; wide characters are rare
 * in incident text and only make a line a little longer). Colour escape
 * sequences (cli_sgr) take none. */
static int columns(const char *s, size_t n)
{
    int cols = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
            while (i < n && s[i] != 'm')
                i++;
            continue;
        }
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return cols;
}

/* cli_print_wrapped for the first n bytes of text (a line of a document). */
static void print_wrapped_n(const char *text, size_t len, int width, int indent, int first_used)
{
    int used = first_used;
    const char *p = text, *end = text + len;
    if (width <= indent + 10) { /* too narrow to be worth it */
        fwrite(text, 1, len, stdout);
        return;
    }
    while (p < end) {
        /* The spaces before a word are kept as they are (columns stay
         * aligned) unless the line breaks there. */
        size_t gap = 0, n = 0;
        int w;
        while (p + gap < end && p[gap] == ' ')
            gap++;
        while (p + gap + n < end && p[gap + n] != ' ')
            n++;
        w = columns(p + gap, n);
        if (used > indent && used + (int)gap + w > width) {
            printf("\n%*s", indent, "");
            used = indent;
        } else {
            fwrite(p, 1, gap, stdout);
            used += (int)gap;
        }
        fwrite(p + gap, 1, n, stdout);
        used += w;
        p += gap + n;
    }
}

void cli_print_wrapped(const char *text, int width, int indent, int first_used)
{
    print_wrapped_n(text, strlen(text), width, indent, first_used);
}

/* A hanging indent at column `col`, or 4 when col is past half the width
 * (a narrow terminal would leave too little room for the text). */
static int hanging(int col, int width)
{
    return col <= width / 2 ? col : 4;
}

void cli_printf_wrapped(int first_used, int indent, const char *fmt, ...)
{
    char small[512], *text = small;
    int n, width = cli_term_width();
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(small)) {
        if (!(text = malloc((size_t)n + 1))) { /* print it unwrapped */
            va_start(ap, fmt);
            vprintf(fmt, ap);
            va_end(ap);
            fputc('\n', stdout);
            return;
        }
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    print_wrapped_n(text, (size_t)n, width, hanging(indent, width), first_used);
    fputc('\n', stdout);
    if (text != small)
        free(text);
}

/* Where a document line's continuations start: under its last column (the
 * text after its last run of two or more spaces: a table row), else under
 * its text, past the leading spaces and a list marker ("- ", "* ", "1. "). */
static int line_indent(const char *line, size_t len)
{
    size_t i = 0, digits, k, last_column = 0;
    while (i < len && line[i] == ' ')
        i++;
    for (k = i; k + 2 < len; k++)
        if (line[k] == ' ' && line[k + 1] == ' ' && line[k + 2] != ' ')
            last_column = k + 2;
    if (last_column)
        return columns(line, last_column);
    if (i + 1 < len && (line[i] == '-' || line[i] == '*') && line[i + 1] == ' ')
        return (int)i + 2;
    for (digits = 0; i + digits < len && isdigit((unsigned char)line[i + digits]); digits++)
        ;
    if (digits && i + digits + 1 < len && line[i + digits] == '.' && line[i + digits + 1] == ' ')
        return (int)(i + digits + 2);
    return (int)i;
}

void cli_print_doc_wrapped(const char *doc)
{
    int width = cli_term_width(), fenced = 0;
    const char *line = doc;
    while (*line) {
        size_t len = strcspn(line, "\n");
        if (len >= 3 && strncmp(line, "```", 3) == 0)
            fenced = !fenced;
        if (fenced || line[0] == '|' || (len >= 3 && strncmp(line, "```", 3) == 0))
            fwrite(line, 1, len, stdout); /* code and table rows keep their lines */
        else
            print_wrapped_n(line, len, width, hanging(line_indent(line, len), width), 0);
        fputc('\n', stdout);
        line += len + (line[len] == '\n');
    }
}

/* ---- messages in the command line's words ----------------------------------- */

/* The library names the fields of its C structs and arguments; a person at
 * the command line knows the options and arguments. Each row: a field name
 * as the library writes it (before the message's first ':', "owner: ..."
 * or "conditions, actions: ...", or, for a name with '_', anywhere: "give
 * owner_override"), for one command (NULL: any), and what the command line
 * calls it. */
static const struct wording {
    const char *cmd, *field, *words;
} wordings[] = {
    {NULL, "owner_override", "--override"},
    {NULL, "actor", "--by"},
    {NULL, "declarer", "--by"},
    {NULL, "person", "the person"},
    {"action", "owner", "--owner"},
    {"action", "detail", "--detail"},
    {"action", "title", "the title"},
    {"declare", "title", "the title"},
    {"declare", "slug", "--slug"},
    {"note", "text", "the note's text"},
    {"decide", "text", "the question"},
    {"decide", "note", "the note"},
    {"sev", "reason", "the justification"},
    {"sev", "severity", "the level"},
    {"state", "text", "the note"},
    {"update", "body", "the update's text"},
    {"update", "components", "--components"},
    {"can", "conditions", "--conditions"},
    {"can", "actions", "--actions"},
    {"can", "needs", "--needs"},
    {"handoff", "conditions", "--conditions"},
    {"handoff", "actions", "--actions"},
    {"handoff", "needs", "--needs"},
    {"bridge", "text", "--text"},
    {"assign", "domain", "--domain"},
};

static int word_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_';
}

/* Copy msg into out with each field the command line knows by another name
 * replaced, and "must not be NULL" (an argument the library did not get)
 * said as "is missing". */
static void in_cli_words(const char *cmd, const char *msg, char *out, size_t size)
{
    size_t used = 0, i;
    const char *p = msg, *head_end = strchr(msg, ':');
    while (*p && used + 1 < size) {
        const char *with = NULL;
        size_t skip = 0;
        if (p == msg || !word_char(p[-1])) {
            for (i = 0; i < sizeof(wordings) / sizeof(wordings[0]) && !with; i++) {
                size_t n = strlen(wordings[i].field);
                if ((!wordings[i].cmd || (cmd && strcmp(cmd, wordings[i].cmd) == 0)) &&
                    strncmp(p, wordings[i].field, n) == 0 && !word_char(p[n]) &&
                    (p < head_end || strchr(wordings[i].field, '_')))
                    with = wordings[i].words, skip = n;
            }
            if (!with && strncmp(p, "must not be NULL", 16) == 0)
                with = "is missing", skip = 16;
        }
        if (with) {
            int k = snprintf(out + used, size - used, "%s", with);
            used = k < 0 ? used : used + (size_t)k >= size ? size - 1 : used + (size_t)k;
            p += skip;
        } else {
            out[used++] = *p++;
        }
    }
    out[used] = '\0';
}

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
    char rule[48], worded[1024];
    const char *shown;
    size_t rlen;
    if (!message || !*message)
        message = inc_strerror(status);
    in_cli_words(c->cmd, message, worded, sizeof(worded));
    message = worded;
    cli_rule_id(message, rule, sizeof(rule));
    /* "ROLE-9: bob would hold ..." reads once as "[ROLE-9]: bob would ...". */
    rlen = strlen(rule);
    shown = rlen && strncmp(message, rule, rlen) == 0 && message[rlen] == ':' ? message + rlen + 1
                                                                              : message;
    while (*shown == ' ')
        shown++;
    fprintf(stderr, "incident: %s%s%s%s%s", c->cmd ? c->cmd : "", c->cmd ? ": " : "",
            cli_sgr(stderr, CLI_RED), inc_status_name(status), cli_sgr(stderr, CLI_RESET));
    if (rule[0])
        fprintf(stderr, " [%s%s%s]", cli_sgr(stderr, CLI_YELLOW), rule, cli_sgr(stderr, CLI_RESET));
    fputs(": ", stderr);
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
    fprintf(stderr, "incident: %s%s%susage%s: %s\n", c->cmd ? c->cmd : "", c->cmd ? ": " : "",
            cli_sgr(stderr, CLI_RED), cli_sgr(stderr, CLI_RESET), msg);
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
