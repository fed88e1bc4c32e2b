/* incident(1): the subcommand option parser and the value parsers (times,
 * durations, roles, free text). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
    if (v && v[0] == '@' && v[1] != '\0') {
        int rc = cli_read_text(c, v + 1, owned);
        if (rc != CLI_EXIT_OK)
            return rc;
        *out = *owned;
    }
    return CLI_EXIT_OK;
}

int cli_parse_time(cli *c, const char *what, const char *text, inc_time *out)
{
    if (inc_time_parse(text, out) != INC_OK)
        return cli_usage(c, "%s: '%s' is not an ISO 8601 UTC time (like 2026-11-23T14:32:00Z)",
                         what, text);
    return CLI_EXIT_OK;
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

const char *cli_time(inc_time t, char *buf, size_t size)
{
    if (t == INC_TIME_NONE || inc_time_format(t, buf, size) != INC_OK)
        snprintf(buf, size, "-");
    return buf;
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
    for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcmp(text, aliases[i].alias) == 0)
            return *out = aliases[i].role, CLI_EXIT_OK;
    return cli_usage(c,
                     "unknown role '%s' (roles: ic, deputy, scribe, sme, comms, liaison, "
                     "sponsor, legal, pr)",
                     text);
}
