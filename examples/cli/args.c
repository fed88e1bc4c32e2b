/* incident(1): the subcommand option parser and the value parsers (times,
 * durations, roles, free text). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int find_long(const cli_opt *spec, size_t n, const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strlen(spec[i].name) == len && strncmp(spec[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static int find_short(const cli_opt *spec, size_t n, char ch)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (spec[i].short_name == ch)
            return (int)i;
    return -1;
}

/* A global option given after the subcommand ("--by bob"). */
static int global_option(cli *c, int argc, char **argv, int *i)
{
    char name[32];
    const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    int takes;
    if (len >= sizeof(name))
        return cli_usage(c, "unknown option '%s' (see: incident %s --help)", argv[*i], c->cmd);
    memcpy(name, arg, len);
    name[len] = '\0';
    takes = cli_global_takes_value(name);
    if (takes < 0)
        return cli_usage(c, "unknown option '%s' (see: incident %s --help)", argv[*i], c->cmd);
    if (!takes)
        return eq ? cli_usage(c, "option '--%s' takes no value", name)
                  : cli_set_global(c, name, NULL);
    if (eq)
        return cli_set_global(c, name, eq + 1);
    if (*i + 1 >= argc)
        return cli_usage(c, "option '--%s' needs a value", name);
    return cli_set_global(c, name, argv[++*i]);
}

/* Handle one "--name[=value]" or "-x" argument at argv[*i]. */
static int parse_option(cli *c, cli_args *out, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *eq = NULL, *value = NULL;
    int k;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        eq = strchr(name, '=');
        k = find_long(out->spec, out->nspec, name, eq ? (size_t)(eq - name) : strlen(name));
        if (k < 0 && (strcmp(name, "help") == 0))
            return out->help = 1, CLI_EXIT_OK;
        if (k < 0)
            return global_option(c, argc, argv, i);
        if (k < 0)
            return cli_usage(c, "unknown option '%s' (see: incident %s --help)", arg, c->cmd);
        if (eq && !out->spec[k].takes_value)
            return cli_usage(c, "option '--%s' takes no value", out->spec[k].name);
        if (eq)
            value = eq + 1;
    } else {
        if (arg[1] == 'h' && arg[2] == '\0')
            return out->help = 1, CLI_EXIT_OK;
        k = arg[2] == '\0' ? find_short(out->spec, out->nspec, arg[1]) : -1;
        if (k < 0)
            return cli_usage(c, "unknown option '%s' (see: incident %s --help)", arg, c->cmd);
    }
    if (out->spec[k].takes_value && !value) {
        if (*i + 1 >= argc)
            return cli_usage(c, "option '--%s' needs a value", out->spec[k].name);
        value = argv[++*i];
    }
    out->seen[k] = 1;
    out->value[k] = value;
    return CLI_EXIT_OK;
}

int cli_parse(cli *c, const cli_opt *spec, size_t nspec, int argc, char **argv, cli_args *out)
{
    int i, only_pos = 0, rc;
    memset(out, 0, sizeof(*out));
    out->spec = spec;
    out->nspec = nspec < CLI_MAX_OPTS ? nspec : CLI_MAX_OPTS;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        /* "-" alone is a value (stdin); "-5m"-like text is not an option
         * only after "--". */
        if (!only_pos && strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && arg[0] == '-' && arg[1] != '\0') {
            if ((rc = parse_option(c, out, argc, argv, &i)) != CLI_EXIT_OK)
                return rc;
            continue;
        }
        if (out->npos >= CLI_MAX_POS)
            return cli_usage(c, "too many arguments");
        out->pos[out->npos++] = argv[i];
    }
    return CLI_EXIT_OK;
}

int cli_start(cli *c, const cli_opt *spec, size_t nspec, int argc, char **argv, cli_args *a,
              int min_pos, int max_pos, int mode)
{
    int rc = cli_parse(c, spec, nspec, argc, argv, a);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (a->help)
        return cli_help(c, c->cmd);
    if ((rc = cli_need_pos(c, a, min_pos, max_pos)) != CLI_EXIT_OK)
        return rc;
    if (mode != CLI_NO_STORE && (rc = cli_open(c, mode)) != CLI_EXIT_OK)
        return rc;
    return CLI_GO;
}

const char *cli_opt_value(const cli_args *a, const char *name)
{
    int k = find_long(a->spec, a->nspec, name, strlen(name));
    return k >= 0 && a->seen[k] ? a->value[k] : NULL;
}

int cli_opt_given(const cli_args *a, const char *name)
{
    int k = find_long(a->spec, a->nspec, name, strlen(name));
    return k >= 0 && a->seen[k];
}

int cli_need_pos(cli *c, const cli_args *a, int min, int max)
{
    if (a->npos < min)
        return cli_usage(c, "missing argument (see: incident %s --help)", c->cmd);
    if (max >= 0 && a->npos > max)
        return cli_usage(c, "unexpected argument '%s' (see: incident %s --help)", a->pos[max],
                         c->cmd);
    return CLI_EXIT_OK;
}

int cli_read_file(cli *c, const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 4096, n = 0;
    char *buf;
    *out = NULL;
    if (!f)
        return cli_usage(c, "cannot read '%s': %s", path, strerror(errno));
    buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *bigger = cap > ((size_t)64 << 20) ? NULL : realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    if (!buf)
        return cli_fail(c, INC_ETOOBIG, "the input is too large (64 MiB at most)");
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return CLI_EXIT_OK;
}

int cli_read_text(cli *c, const char *path, char **out)
{
    size_t len = 0;
    const char *nul;
    int rc = cli_read_file(c, path, out, &len);
    if (rc != CLI_EXIT_OK)
        return rc;
    /* A C string would stop at the NUL: the rest would be lost in silence. */
    if ((nul = memchr(*out, '\0', len)) != NULL) {
        char msg[600];
        snprintf(msg, sizeof(msg), "%s holds a NUL byte (at byte %zu): text cannot contain NUL",
                 strcmp(path, "-") == 0 ? "the text read from stdin" : path, (size_t)(nul - *out));
        free(*out);
        *out = NULL;
        return cli_fail(c, INC_EINVAL, msg);
    }
    return CLI_EXIT_OK;
}

int cli_join_text(cli *c, const cli_args *a, int from, char **out)
{
    size_t total = 1;
    int i;
    *out = NULL;
    if (a->npos == from + 1 && strcmp(a->pos[from], "-") == 0)
        return cli_read_text(c, "-", out);
    for (i = from; i < a->npos; i++)
        total += strlen(a->pos[i]) + 1;
    if (!(*out = malloc(total)))
        return cli_fail(c, INC_ENOMEM, "out of memory");
    (*out)[0] = '\0';
    for (i = from; i < a->npos; i++) {
        if (i > from)
            strcat(*out, " ");
        strcat(*out, a->pos[i]);
    }
    return CLI_EXIT_OK;
}

int cli_text_opt(cli *c, const cli_args *a, const char *name, const char **out, char **owned)
{
    const char *v = cli_opt_value(a, name);
    *out = v;
    *owned = NULL;
    if (v && v[0] == '@' && v[1] == '@') { /* "@@x" is the text "@x" */
        *out = v + 1;
        return CLI_EXIT_OK;
    }
    if (v && v[0] == '@' && v[1] != '\0') {
        int rc = cli_read_text(c, v + 1, owned);
        if (rc != CLI_EXIT_OK)
            return rc;
        *out = *owned;
    }
    return CLI_EXIT_OK;
}

/* Deadlines: a date alone means the end of that day; any other time option
 * (--now, --from, --detected...) the start of it. */
static int ends_the_day(const char *what)
{
    static const char *const deadlines[] = {"--due", "--deadline", "--to", "--next"};
    size_t i;
    for (i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++)
        if (strcmp(what, deadlines[i]) == 0)
            return 1;
    return 0;
}

/* "YYYY-MM-DD" alone, as a real date, at 00:00 in the display zone
 * (TZ, set by --tz). */
static int parse_date_only(const char *text, inc_time *out)
{
    struct tm tm;
    int y, m, d, n = 0;
    time_t t;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    if ((t = mktime(&tm)) == (time_t)-1 || tm.tm_mday != d) /* 2026-02-30 moves */
        return -1;
    *out = (inc_time)t * 1000;
    return 0;
}

int cli_parse_time(cli *c, const char *what, const char *text, inc_time *out)
{
    inc_time day;
    if (inc_time_parse(text, out) == INC_OK)
        return CLI_EXIT_OK;
    if (parse_date_only(text, &day) == 0) {
        /* The end of the day: one millisecond before the next day starts
         * (a day is not always 24 hours where clocks change). */
        struct tm tm;
        time_t next;
        if (!ends_the_day(what))
            return *out = day, CLI_EXIT_OK;
        next = (time_t)(day / 1000);
        localtime_r(&next, &tm);
        tm.tm_mday++;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        if ((next = mktime(&tm)) != (time_t)-1)
            return *out = (inc_time)next * 1000 - 1, CLI_EXIT_OK;
    }
    return cli_usage(c,
                     "%s: '%s' is not an ISO 8601 UTC time (like 2026-11-23T14:32:00Z) or a date "
                     "(2026-11-23)",
                     what, cli_safe(text));
}

int cli_parse_duration(cli *c, const char *what, const char *text, int64_t *out)
{
    const char *p = text;
    int64_t total = 0;
    if (!*p)
        return cli_usage(c, "%s: empty duration", what);
    while (*p) {
        char *end;
        long long n;
        int64_t unit;
        if (!isdigit((unsigned char)*p))
            break;
        errno = 0;
        n = strtoll(p, &end, 10);
        switch (*end) {
        case 's':
            unit = 1000;
            break;
        case 'm':
            unit = 60 * 1000;
            break;
        case 'h':
            unit = 3600 * 1000;
            break;
        case 'd':
            unit = 86400 * 1000LL;
            break;
        case 'w':
            unit = 7 * 86400 * 1000LL;
            break;
        default:
            unit = 0;
            break;
        }
        if (errno || unit == 0 || n > 1000000)
            break;
        total += n * unit;
        p = end + 1;
    }
    if (*p || total <= 0)
        return cli_usage(c, "%s: '%s' is not a duration (like 90s, 15m, 1h30m, 2d, 1w)", what,
                         text);
    *out = total;
    return CLI_EXIT_OK;
}

void cli_format_duration(int64_t ms, char *buf, size_t size)
{
    static const struct {
        char unit;
        int64_t ms;
    } units[] = {{'d', 86400000LL}, {'h', 3600000LL}, {'m', 60000LL}, {'s', 1000LL}};
    size_t i, used = 0;
    if (ms == INC_DURATION_NONE) {
        snprintf(buf, size, "as needed");
        return;
    }
    if (ms < 1000) {
        snprintf(buf, size, "%lldms", (long long)ms);
        return;
    }
    buf[0] = '\0';
    for (i = 0; i < sizeof(units) / sizeof(units[0]) && used < size; i++) {
        if (ms >= units[i].ms) {
            int n = snprintf(buf + used, size - used, "%lld%c", (long long)(ms / units[i].ms),
                             units[i].unit);
            if (n < 0)
                break;
            used += (size_t)n;
            ms %= units[i].ms;
        }
    }
}

/* "Z" in UTC, else "+05:30": the zone's offset at that time (the local
 * fields against UTC's: tm_gmtoff is not POSIX). */
static void zone_suffix(time_t t, const struct tm *tm, char *buf, size_t size)
{
    struct tm utc;
    long off = 0, days;
    if (gmtime_r(&t, &utc)) {
        days = tm->tm_year != utc.tm_year ? (tm->tm_year > utc.tm_year ? 1 : -1)
                                          : tm->tm_yday - utc.tm_yday;
        off = days * 86400L + (tm->tm_hour - utc.tm_hour) * 3600L + (tm->tm_min - utc.tm_min) * 60L;
    }
    if (off == 0) {
        snprintf(buf, size, "Z");
        return;
    }
    snprintf(buf, size, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600,
             labs(off) % 3600 / 60);
}

const char *cli_time(inc_time t, char *buf, size_t size)
{
    time_t secs;
    struct tm tm;
    char zone[16];
    if (t == INC_TIME_NONE) {
        snprintf(buf, size, "-");
        return buf;
    }
    /* Whole seconds toward the past, so that 03:09:59.500 is not 03:10. */
    secs = (time_t)(t >= 0 ? t / 1000 : -((-t + 999) / 1000));
    if (!localtime_r(&secs, &tm)) {
        snprintf(buf, size, "-");
        return buf;
    }
    zone_suffix(secs, &tm, zone, sizeof(zone));
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, zone);
    return buf;
}

const char *cli_clock_time(inc_time t, char *buf, size_t size)
{
    time_t secs = (time_t)(t >= 0 ? t / 1000 : -((-t + 999) / 1000));
    struct tm tm;
    if (t == INC_TIME_NONE || !localtime_r(&secs, &tm))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
    return buf;
}

const char *cli_day(inc_time t, char *buf, size_t size)
{
    time_t secs = (time_t)(t >= 0 ? t / 1000 : -((-t + 999) / 1000));
    struct tm tm;
    char zone[16];
    if (t == INC_TIME_NONE || !localtime_r(&secs, &tm)) {
        snprintf(buf, size, "-");
        return buf;
    }
    zone_suffix(secs, &tm, zone, sizeof(zone));
    snprintf(buf, size, "%04d-%02d-%02d (%s)", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             strcmp(zone, "Z") == 0 ? "UTC" : zone);
    return buf;
}

/* ---- words: "did you mean" and the list of valid values -------------------- */

size_t cli_edit_distance(const char *a, const char *b)
{
    /* Optimal string alignment (Levenshtein plus swapped neighbours),
     * case-insensitive; words here are short (names, commands). */
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t d[33][33];
    if (la > 32 || lb > 32)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++)
        for (j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 &&
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *cli_closest(const char *word, const char *const *choices, size_t n)
{
    /* Close enough to be a typo: at most 2 edits, and fewer than half the
     * word ("x" is no typo of "ack"). A prefix of one choice counts too. */
    size_t i, best = (size_t)-1, len = strlen(word), limit = len < 6 ? 1 + (len > 3) : 2;
    const char *found = NULL;
    int tie = 0;
    for (i = 0; i < n; i++) {
        size_t d = cli_edit_distance(word, choices[i]);
        if (d < best) {
            best = d;
            found = choices[i];
            tie = 0;
        } else if (d == best) {
            tie = 1; /* "sev-9" is as near Sev-0 as Sev-4: no single guess */
        }
    }
    if (found && !tie && best <= limit && best * 2 < len + (len > 2))
        return found;
    for (i = 0, found = NULL; len >= 3 && i < n; i++)
        if (strncasecmp(word, choices[i], len) == 0) {
            if (found)
                return NULL; /* a prefix of several: no single guess */
            found = choices[i];
        }
    return found;
}

/* "unknown WHAT 'word': did you mean 'x'? (WHATs: a, b, c)" into msg. */
static void unknown_text(char *msg, size_t size, const char *what, const char *word,
                         const char *const *choices, size_t n)
{
    char list[400];
    size_t i, used = 0;
    const char *guess = cli_closest(word, choices, n);
    list[0] = '\0';
    for (i = 0; i < n && used + 4 < sizeof(list); i++) {
        int k = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", choices[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (guess)
        snprintf(msg, size, "unknown %s '%s': did you mean '%s'? (%ss: %s)", what, cli_safe(word),
                 guess, what, list);
    else
        snprintf(msg, size, "unknown %s '%s' (%ss: %s)", what, cli_safe(word), what, list);
}

int cli_unknown(cli *c, const char *what, const char *word, const char *const *choices, size_t n)
{
    char msg[500];
    unknown_text(msg, sizeof(msg), what, word, choices, n);
    return cli_usage(c, "%s", msg);
}

int cli_parse_level(cli *c, const inc_rubric *r, const char *text, const char **out)
{
    const char *names[64];
    char msg[500];
    size_t i, n = inc_rubric_level_count(r);
    if (n > sizeof(names) / sizeof(names[0]))
        n = sizeof(names) / sizeof(names[0]);
    for (i = 0; i < n; i++) {
        names[i] = inc_rubric_level_name(r, i);
        if (strcasecmp(names[i], text) == 0)
            return *out = names[i], CLI_EXIT_OK;
    }
    /* A value the rubric refuses: exit 5 as before, with the list. */
    unknown_text(msg, sizeof(msg), "level", text, names, n);
    return cli_fail(c, INC_EINVAL, msg);
}

int cli_parse_state(cli *c, const char *text, inc_state *out)
{
    const char *names[INC_STATE_CLOSED + 1];
    int s;
    for (s = 0; s <= (int)INC_STATE_CLOSED; s++) {
        names[s] = inc_state_name((inc_state)s);
        if (strcasecmp(names[s], text) == 0)
            return *out = (inc_state)s, CLI_EXIT_OK;
    }
    return cli_unknown(c, "state", text, names, (size_t)INC_STATE_CLOSED + 1);
}

int cli_parse_role(cli *c, const char *text, inc_role *out)
{
    static const struct {
        const char *alias;
        inc_role role;
    } aliases[] = {{"commander", INC_ROLE_IC},
                   {"incident-commander", INC_ROLE_IC},
                   {"deputy-ic", INC_ROLE_DEPUTY},
                   {"expert", INC_ROLE_SME},
                   {"communications", INC_ROLE_COMMS},
                   {"comms-lead", INC_ROLE_COMMS},
                   {"internal-liaison", INC_ROLE_LIAISON},
                   {"executive-sponsor", INC_ROLE_SPONSOR},
                   {"legal-counsel", INC_ROLE_LEGAL},
                   {"pr-principal", INC_ROLE_PR}};
    size_t i;
    if (inc_role_from_name(text, out) == INC_OK)
        return CLI_EXIT_OK;
    const char *names[INC_ROLE_COUNT];
    int r;
    for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcasecmp(text, aliases[i].alias) == 0)
            return *out = aliases[i].role, CLI_EXIT_OK;
    for (r = 0; r < INC_ROLE_COUNT; r++)
        names[r] = inc_role_name((inc_role)r);
    return cli_unknown(c, "role", text, names, INC_ROLE_COUNT);
}
