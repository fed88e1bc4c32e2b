/* incident(1): a command line for on-call humans and shell scripts, on the
 * journal store. Global options, the store and context, dispatch. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef INC_CLI_HAVE_PG
#include <incident/pg.h>
#endif

static const struct command {
    const char *name;
    cli_cmd_fn run;
} commands[] = {
    {"declare", cmd_declare},   {"list", cmd_list},
    {"show", cmd_show},         {"sev", cmd_sev},
    {"state", cmd_state},       {"note", cmd_note},
    {"timeline", cmd_timeline}, {"verify", cmd_verify},
    {"export", cmd_export},     {"import", cmd_import},
    {"assign", cmd_assign},     {"release", cmd_release},
    {"roles", cmd_roles},       {"handoff", cmd_handoff},
    {"confirm", cmd_confirm},   {"can", cmd_can},
    {"lint", cmd_lint},         {"update", cmd_update},
    {"cadence", cmd_cadence},   {"decide", cmd_decide},
    {"due", cmd_due},           {"page", cmd_page},
    {"ack", cmd_ack},           {"clock", cmd_clock},
    {"bridge", cmd_bridge},     {"postmortem", cmd_postmortem},
    {"action", cmd_action},     {"audit", cmd_audit},
    {"metrics", cmd_metrics},   {"oncall", cmd_oncall},
    {"seal", cmd_seal},         {"completion", cmd_completion},
    {"reopen", cmd_reopen},     {"link", cmd_link},
    {"alert", cmd_alert},       {"feed", cmd_feed},
    {"field", cmd_field},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

size_t cli_command_names(const char **names, size_t max)
{
    size_t i;
    for (i = 0; i < NCOMMANDS && i < max; i++)
        names[i] = commands[i].name;
    return i;
}

int cli_unknown_command(cli *c, const char *name)
{
    const char *names[64], *guess;
    size_t n = cli_command_names(names, 64);
    if ((guess = cli_closest(name, names, n)) != NULL)
        return cli_usage(c, "unknown command '%s': did you mean '%s'? (see: incident --help)",
                         cli_safe(name), guess);
    return cli_usage(c, "unknown command '%s' (see: incident --help)", cli_safe(name));
}

/* ---- global options ------------------------------------------------------ */

static const struct global {
    const char *name;
    int takes_value;
} globals[] = {
    {"store", 1}, {"rubric", 1},   {"policy", 1}, {"json", 0}, {"now", 1},
    {"by", 1},    {"rotation", 1}, {"color", 1},  {"tz", 1},   {"allow-shared-store", 0}};

size_t cli_global_names(const char **names, size_t max)
{
    size_t i;
    for (i = 0; i < sizeof(globals) / sizeof(globals[0]) && i < max; i++)
        names[i] = globals[i].name;
    return i;
}

/* --tz ZONE: a zone of the system's database (Europe/Paris), UTC, or
 * "local". Human output shows times in it, and a date alone (--due
 * 2026-12-31) is read in it; JSON stays UTC. */
static int set_zone(cli *c, const char *zone)
{
    const char *dir = getenv("TZDIR");
    char path[4200];
    struct stat sb;
    if (strcmp(zone, "local") == 0)
        return CLI_EXIT_OK; /* TZ as the environment has it */
    if (strcmp(zone, "UTC") != 0 && strcmp(zone, "Z") != 0) {
        snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
        if (!*zone || zone[0] == '/' || strstr(zone, "..") || stat(path, &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            return cli_usage(c, "--tz: unknown time zone '%s' (like UTC, Europe/Paris, local)",
                             cli_safe(zone));
    }
    if (setenv("TZ", strcmp(zone, "Z") == 0 ? "UTC" : zone, 1) != 0)
        return cli_fail(c, INC_ENOMEM, "cannot set TZ");
    tzset();
    return CLI_EXIT_OK;
}

int cli_global_takes_value(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof(globals) / sizeof(globals[0]); i++)
        if (strcmp(globals[i].name, name) == 0)
            return globals[i].takes_value;
    return -1;
}

int cli_set_global(cli *c, const char *name, const char *value)
{
    if (strcmp(name, "store") == 0) {
        if (!*value)
            return cli_usage(c, "--store: empty path");
        c->store_dir = value;
    } else if (strcmp(name, "rubric") == 0) {
        c->rubric_file = value;
    } else if (strcmp(name, "policy") == 0) {
        if (strcmp(value, "strict") == 0)
            c->policy = INC_POLICY_STRICT;
        else if (strcmp(value, "advisory") == 0)
            c->policy = INC_POLICY_ADVISORY;
        else
            return cli_usage(c, "--policy: '%s' is not strict or advisory", value);
    } else if (strcmp(name, "json") == 0) {
        c->json = 1;
    } else if (strcmp(name, "allow-shared-store") == 0) {
        c->allow_shared = 1;
    } else if (strcmp(name, "now") == 0) {
        int rc = cli_parse_time(c, "--now", value, &c->now);
        if (rc != CLI_EXIT_OK)
            return rc;
        c->have_now = 1;
    } else if (strcmp(name, "by") == 0) {
        if (!*value)
            return cli_usage(c, "--by: empty name");
        c->by = value;
    } else if (strcmp(name, "color") == 0) {
        static const char *const modes[] = {"auto", "always", "never"};
        int m;
        for (m = 0; m < 3 && strcmp(value, modes[m]) != 0; m++)
            ;
        if (m == 3)
            return cli_unknown(c, "--color mode", value, modes, 3);
        cli_color_setup(m);
    } else if (strcmp(name, "tz") == 0) {
        return set_zone(c, value);
    } else if (strcmp(name, "rotation") == 0) {
        if (!*value)
            return cli_usage(c, "--rotation: empty path");
        if (c->nrotations == CLI_MAX_ROTATIONS)
            return cli_usage(c, "--rotation: at most %d rotations", CLI_MAX_ROTATIONS);
        c->rotations[c->nrotations++] = value;
    }
    return CLI_EXIT_OK;
}

/* The login name, else $USER; NULL when neither is known. */
static const char *login_name(cli *c)
{
    struct passwd *pw = getpwuid(getuid());
    const char *name = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : getenv("USER");
    if (!name || !*name)
        return NULL;
    snprintf(c->by_buf, sizeof(c->by_buf), "%s", name);
    return c->by_buf;
}

/* $INCIDENT_STORE, else $XDG_DATA_HOME/libincident, else ~/.local/share/libincident. */
static const char *default_store(cli *c)
{
    const char *env = getenv("INCIDENT_STORE"), *home;
    if (env && *env)
        return env;
    env = getenv("XDG_DATA_HOME");
    if (env && env[0] == '/') {
        snprintf(c->store_buf, sizeof(c->store_buf), "%s/libincident", env);
        return c->store_buf;
    }
    home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !*home)
        return NULL;
    snprintf(c->store_buf, sizeof(c->store_buf), "%s/.local/share/libincident", home);
    return c->store_buf;
}

/* ---- the store and the context ------------------------------------------- */

static inc_time fixed_clock(void *user)
{
    return *(const inc_time *)user;
}

/* mkdir -p for the store's parents; what is created is private (0700) and
 * remembered (c->made_from) so that a failed command can remove it. */
static int make_parents(cli *c, const char *dir)
{
    char *path = c->made_path;
    size_t i, n = strlen(dir);
    struct stat sb;
    if (n >= sizeof(c->made_path))
        return cli_fail(c, INC_EINVAL, "--store: the path is too long");
    memcpy(path, dir, n + 1);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    for (i = 1; i < n; i++) {
        if (path[i] != '/')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0700) == 0) {
            if (!c->made_from)
                c->made_from = i;
        } else if (errno != EEXIST) {
            char msg[4200];
            snprintf(msg, sizeof(msg), "cannot create %s: %s", path, strerror(errno));
            path[i] = '/';
            return cli_fail(c, INC_EIO, msg);
        }
        path[i] = '/';
    }
    if (!c->made_from && stat(path, &sb) != 0 && errno == ENOENT)
        c->made_from = n; /* the library creates the store itself */
    return CLI_EXIT_OK;
}

/* Non-zero when dir holds nothing but the journal's JOURNAL marker. */
static int only_marker(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int only = d != NULL;
    while (only && (e = readdir(d)) != NULL)
        only = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
               strcmp(e->d_name, "JOURNAL") == 0;
    if (d)
        closedir(d);
    return only;
}

void cli_undo_create(cli *c)
{
    char marker[4200], *path = c->made_path, *slash;
    if (!c->made_from || !only_marker(path))
        return;
    snprintf(marker, sizeof(marker), "%s/JOURNAL", path);
    if (unlink(marker) != 0 && errno != ENOENT)
        return;
    /* rmdir removes only empty directories: what another process wrote in
     * the meantime stays. */
    while (rmdir(path) == 0 && strlen(path) > c->made_from && (slash = strrchr(path, '/')))
        *slash = '\0';
    c->made_from = 0;
}

static int open_rubric(cli *c, inc_rubric **out)
{
    char *text = NULL;
    size_t len = 0;
    inc_diag diag;
    int rc;
    *out = NULL;
    if (!c->rubric_file)
        return CLI_EXIT_OK;
    if ((rc = cli_read_file(c, c->rubric_file, &text, &len)) != CLI_EXIT_OK)
        return rc;
    memset(&diag, 0, sizeof(diag));
    rc = inc_rubric_parse(NULL, text, len, out, &diag);
    free(text);
    if (rc != INC_OK) {
        char msg[4400];
        snprintf(msg, sizeof(msg), "%s:%u: %s", c->rubric_file, diag.line, diag.message);
        return cli_fail(c, rc, msg);
    }
    return CLI_EXIT_OK;
}

/* $INCIDENT_SYNC: every (the default: each change is on disk before the
 * command returns), group or none (for bulk scripts and tests). */
static int sync_policy(cli *c, inc_sync_policy *out)
{
    const char *env = getenv("INCIDENT_SYNC");
    *out = INC_SYNC_EVERY;
    if (!env || !*env || strcmp(env, "every") == 0)
        return CLI_EXIT_OK;
    if (strcmp(env, "group") == 0)
        *out = INC_SYNC_GROUP;
    else if (strcmp(env, "none") == 0)
        *out = INC_SYNC_NONE;
    else
        return cli_usage(c, "INCIDENT_SYNC: '%s' is not every, group or none", env);
    return CLI_EXIT_OK;
}

/* --store postgresql://...: the PostgreSQL store of libincident-pg, when
 * this program was built with it. */
static int is_postgresql(const char *spec)
{
    return strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0;
}

static int open_postgresql(cli *c)
{
#ifdef INC_CLI_HAVE_PG
    inc_pg_options po = INC_PG_OPTIONS_INIT;
    inc_diag diag;
    int rc;
    memset(&diag, 0, sizeof(diag));
    po.diag = &diag;
    rc = inc_pg_store_open(c->store_dir, &po, &c->store);
    if (rc != INC_OK) /* the message never holds the password */
        return cli_fail_exit(c, rc, diag.message[0] ? diag.message : "PostgreSQL store",
                             CLI_EXIT_STORE);
    return CLI_EXIT_OK;
#else
    return cli_fail_exit(c, INC_EUNSUPPORTED,
                         "this incident was built without PostgreSQL (libincident-pg)",
                         CLI_EXIT_STORE);
#endif
}

static int open_store(cli *c, int mode)
{
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_diag diag;
    int rc;
    if (!c->store_dir && !(c->store_dir = default_store(c)))
        return cli_usage(c, "no store: set --store DIR, INCIDENT_STORE or HOME");
    if (is_postgresql(c->store_dir))
        return open_postgresql(c);
    if (mode == CLI_STORE_CREATE && (rc = make_parents(c, c->store_dir)) != CLI_EXIT_OK)
        return rc;
    if ((rc = sync_policy(c, &jo.sync)) != CLI_EXIT_OK)
        return rc;
    memset(&diag, 0, sizeof(diag));
    jo.read_only = mode == CLI_STORE_RO;
    jo.must_exist = mode != CLI_STORE_CREATE;
    jo.allow_shared = c->allow_shared;
    jo.diag = &diag;
    jo.on_recovery = cli_on_recovery; /* recovery never happens in silence */
    jo.recovery_user = c;
    rc = inc_store_journal_open(c->store_dir, &jo, &c->store);
    /* No store yet: nothing in it to read or change. Only a command that
     * creates an incident creates the store. */
    if (rc == INC_ENOTFOUND && mode != CLI_STORE_CREATE)
        rc = inc_store_memory_new(NULL, &c->store);
    if (rc == INC_EPERM) { /* shared with other users: say how to override */
        char msg[sizeof(diag.message) + 64];
        snprintf(msg, sizeof(msg), "%s; --allow-shared-store to use it anyway", diag.message);
        return cli_fail_exit(c, rc, msg, CLI_EXIT_STORE);
    }
    if (rc != INC_OK) /* whatever the status, the store is unusable: exit 6 */
        return cli_fail_exit(c, rc, diag.message[0] ? diag.message : c->store_dir, CLI_EXIT_STORE);
    return CLI_EXIT_OK;
}

/* The --rotation files, for escalation targets ("rotation:NAME/primary",
 * "on-call" and "backup" through the first one: ONC-2). */
static int register_rotations(cli *c)
{
    size_t i;
    int rc;
    if (c->nrotations && (rc = cli_zoneinfo_dir(c)) != CLI_EXIT_OK)
        return rc;
    for (i = 0; i < c->nrotations; i++) {
        inc_rotation *rot = NULL;
        if ((rc = cli_load_rotation(c, c->rotations[i], &rot)) != CLI_EXIT_OK)
            return rc;
        rc = inc_context_add_rotation(c->ctx, rot);
        inc_rotation_free(rot);
        if (rc != INC_OK)
            return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    }
    return CLI_EXIT_OK;
}

int cli_open(cli *c, int mode)
{
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_rubric *rubric = NULL;
    int rc;
    if ((mode == CLI_STORE_RW || mode == CLI_STORE_CREATE) && !c->by && !(c->by = login_name(c)))
        return cli_usage(c, "who is acting? pass --by NAME");
    if (mode != CLI_CONTEXT && (rc = open_store(c, mode)) != CLI_EXIT_OK)
        return rc;
    if (mode != CLI_CONTEXT && (rc = open_rubric(c, &rubric)) != CLI_EXIT_OK)
        return rc;
    co.store = c->store; /* NULL (CLI_CONTEXT): the context makes a memory store */
    co.rubric = rubric;
    co.policy = c->policy;
    if (c->have_now) {
        co.clock = fixed_clock;
        co.clock_user = &c->now;
    }
    rc = inc_context_new(&co, &c->ctx);
    inc_rubric_free(rubric);
    if (rc != INC_OK)
        return cli_fail(c, rc, "cannot create the context");
    return register_rotations(c);
}

/* ---- incidents ------------------------------------------------------------ */

struct suffix_match {
    const char *want;
    size_t count;
    char first[INC_ID_MAX + 1];
    char list[512];
};

static int match_suffix(void *user, const char *id)
{
    struct suffix_match *m = user;
    size_t n = strlen(id), w = strlen(m->want);
    if (n > w && id[n - w - 1] == '-' && strcmp(id + n - w, m->want) == 0) {
        if (m->count++ == 0)
            snprintf(m->first, sizeof(m->first), "%s", id);
        if (strlen(m->list) + n + 2 < sizeof(m->list))
            strcat(strcat(m->list, " "), id);
    }
    return 0;
}

int cli_open_incident(cli *c, const char *id, inc_incident **out)
{
    struct suffix_match m;
    int rc = inc_incident_open(c->ctx, id, out);
    char msg[700];
    if (rc == INC_OK)
        return CLI_EXIT_OK;
    if (rc != INC_ENOTFOUND && rc != INC_EINVAL)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    memset(&m, 0, sizeof(m));
    m.want = id;
    if (*id && (rc = inc_context_list(c->ctx, match_suffix, &m)) != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    if (m.count == 1) {
        rc = inc_incident_open(c->ctx, m.first, out);
        return rc == INC_OK ? CLI_EXIT_OK : cli_fail(c, rc, inc_context_errmsg(c->ctx));
    }
    if (m.count > 1)
        return cli_usage(c, "'%s' matches several incidents:%s", id, m.list);
    snprintf(msg, sizeof(msg), "no incident '%s' in %s (see: incident list)", id, c->store_dir);
    return cli_fail(c, INC_ENOTFOUND, msg);
}

int cli_fail_inc(cli *c, int status, inc_incident *inc)
{
    return cli_fail(c, status, inc_incident_errmsg(inc));
}

void cli_json_start(cli *c, jw *w)
{
    jw_init(w, stdout);
    jw_obj(w);
    jw_kbool(w, "ok", 1);
    jw_kstr(w, "command", c->cmd);
}

void cli_json_incident_fields(jw *w, const inc_incident *inc)
{
    jw_kstr(w, "id", inc_incident_id(inc));
    jw_kstr(w, "title", inc_incident_title(inc));
    jw_kstr(w, "channel", inc_incident_channel(inc));
    jw_kstr(w, "severity", inc_incident_severity(inc));
    jw_kstr(w, "state", inc_state_name(inc_incident_state(inc)));
    jw_kstr(w, "ic", inc_incident_ic(inc));
    jw_kstr(w, "declarer", inc_incident_declarer(inc));
    jw_kbool(w, "drill", inc_incident_is_drill(inc));
    jw_ktime(w, "declared_at", inc_incident_declared_at(inc));
    jw_kint(w, "last_seq", (long long)inc_incident_last_seq(inc));
}

static int print_version(cli *c)
{
    jw w;
    if (!c->json) {
        printf("incident (libincident) %s\n", inc_version(NULL, NULL, NULL));
        return CLI_EXIT_OK;
    }
    c->cmd = "version";
    cli_json_start(c, &w);
    jw_kstr(&w, "version", inc_version(NULL, NULL, NULL));
    jw_end_obj(&w);
    jw_finish(&w);
    return CLI_EXIT_OK;
}

/* ---- main ----------------------------------------------------------------- */

int main(int argc, char **argv)
{
    cli c;
    size_t k;
    int i, rc = CLI_EXIT_OK, version = 0;
    memset(&c, 0, sizeof(c));
    c.policy = INC_POLICY_ADVISORY;
    cli_color_setup(CLI_COLOR_AUTO);
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *arg = argv[i], *eq;
        char name[32];
        int takes;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return cli_global_help();
        if (strcmp(arg, "--version") == 0) {
            version = 1; /* answered once --json may have been given too */
            continue;
        }
        eq = strchr(arg, '=');
        snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - arg - 2 : (long)strlen(arg) - 2),
                 arg + 2);
        takes = strncmp(arg, "--", 2) == 0 ? cli_global_takes_value(name) : -1;
        if (takes < 0)
            return cli_usage(&c, "unknown option '%s' (see: incident --help)", arg);
        if (takes && !eq && i + 1 >= argc)
            return cli_usage(&c, "option '--%s' needs a value", name);
        if (!takes && eq)
            return cli_usage(&c, "option '--%s' takes no value", name);
        rc = cli_set_global(&c, name, !takes ? NULL : eq ? eq + 1 : argv[++i]);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    if (version)
        return print_version(&c);
    if (i >= argc) {
        fprintf(stderr,
                "usage: incident [global options] COMMAND [ARGS]  (see: incident --help)\n");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0)
        return i + 1 < argc ? cli_help(&c, argv[i + 1]) : cli_global_help();
    for (k = 0; k < NCOMMANDS; k++) {
        if (strcmp(commands[k].name, argv[i]) == 0) {
            c.cmd = commands[k].name;
            rc = commands[k].run(&c, argc - i, argv + i);
            inc_context_free(c.ctx);
            inc_store_free(c.store);
            if (rc != CLI_EXIT_OK)
                cli_undo_create(&c);
            fflush(stdout);
            return rc;
        }
    }
    return cli_unknown_command(&c, argv[i]);
}
