/* incident(1): oncall who, shifts, check: on-call rotations read from their
 * text format (lib/docs/rotation-format.md), who holds each layer, the
 * shifts of a range, and the rotation's health (ONC-1, ONC-3..ONC-5). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WEEK_MS (7 * 86400000LL)

/* The layers a command shows: --layer primary|secondary|both. */
typedef struct layers {
    int want[INC_LAYER_COUNT];
} layers;

/* ---- the rotation file --------------------------------------------------------- */

/* Parse ROTATION_FILE. A parse error reads "FILE:LINE: message", the form
 * editors jump to; the library's message starts with "line N: ". */
int cli_load_rotation(cli *c, const char *path, inc_rotation **out)
{
    char *text = NULL, msg[4400], prefix[32];
    const char *shown;
    size_t len = 0, plen;
    inc_diag diag;
    int rc;
    *out = NULL;
    if ((rc = cli_read_file(c, path, &text, &len)) != CLI_EXIT_OK)
        return rc;
    memset(&diag, 0, sizeof(diag));
    rc = inc_rotation_parse(c->ctx, text, len, out, &diag);
    free(text);
    if (rc == INC_OK)
        return CLI_EXIT_OK;
    shown = diag.message[0] ? diag.message : inc_strerror(rc);
    plen = (size_t)snprintf(prefix, sizeof(prefix), "line %u: ", diag.line);
    if (diag.line && strncmp(shown, prefix, plen) == 0)
        shown += plen;
    if (diag.line)
        snprintf(msg, sizeof(msg), "%s:%u: %s", path, diag.line, shown);
    else
        snprintf(msg, sizeof(msg), "%s: %s", path, shown);
    return cli_fail(c, rc, msg);
}

/* Zones come from $TZDIR when it is set (as for the C library), else from
 * /usr/share/zoneinfo. */
int cli_zoneinfo_dir(cli *c)
{
    const char *dir = getenv("TZDIR");
    int rc;
    if (!dir || !*dir)
        return CLI_EXIT_OK;
    if ((rc = inc_context_set_zoneinfo_dir(c->ctx, dir)) != INC_OK)
        return cli_fail(c, rc, "TZDIR: an empty or too long directory name");
    return CLI_EXIT_OK;
}

/* Open the context (and the store, for mode CLI_STORE_RO) and read the file. */
static int open_rotation(cli *c, const cli_args *a, int mode, inc_rotation **out)
{
    int rc;
    *out = NULL;
    if ((rc = cli_open(c, mode)) != CLI_EXIT_OK || (rc = cli_zoneinfo_dir(c)) != CLI_EXIT_OK)
        return rc;
    return cli_load_rotation(c, a->pos[0], out);
}

static int fail_rot(cli *c, int status, const inc_rotation *rot)
{
    return cli_fail(c, status, inc_rotation_errmsg(rot));
}

/* ---- option values ---------------------------------------------------------------- */

static int parse_layers(cli *c, const cli_args *a, const inc_rotation *rot, layers *out)
{
    const char *v = cli_opt_value(a, "layer");
    memset(out, 0, sizeof(*out));
    if (!v || strcmp(v, "both") == 0) {
        /* Both: the secondary only when the rotation has one. */
        out->want[INC_LAYER_PRIMARY] = 1;
        out->want[INC_LAYER_SECONDARY] = inc_rotation_secondary(rot) != 0;
    } else if (strcmp(v, "primary") == 0) {
        out->want[INC_LAYER_PRIMARY] = 1;
    } else if (strcmp(v, "secondary") == 0) {
        out->want[INC_LAYER_SECONDARY] = 1;
    } else {
        return cli_usage(c, "--layer: '%s' is not primary, secondary or both", v);
    }
    return CLI_EXIT_OK;
}

/* An optional time option; `fallback` when not given. */
static int time_opt(cli *c, const cli_args *a, const char *name, inc_time fallback, inc_time *out)
{
    const char *v = cli_opt_value(a, name);
    char what[40];
    *out = fallback;
    if (!v)
        return CLI_EXIT_OK;
    snprintf(what, sizeof(what), "--%s", name);
    return cli_parse_time(c, what, v, out);
}

/* A positive whole number option (0 would mean "the default" to the library). */
static int count_opt(cli *c, const cli_args *a, const char *name, unsigned *out)
{
    const char *v = cli_opt_value(a, name);
    unsigned long n;
    char *end;
    if (!v)
        return CLI_EXIT_OK;
    errno = 0;
    n = strtoul(v, &end, 10);
    if (errno || *end || v[0] < '1' || v[0] > '9' || n > 1000000)
        return cli_usage(c, "--%s: '%s' is not a whole number from 1", name, v);
    *out = (unsigned)n;
    return CLI_EXIT_OK;
}

static const char *layer_name(inc_layer layer)
{
    return layer == INC_LAYER_PRIMARY ? "primary" : "secondary";
}

/* ---- local times ------------------------------------------------------------------- */

/* "Mon 2026-03-02 10:00 CET": t in the rotation's zone (UTC if that fails). */
static const char *local_text(cli *c, const inc_rotation *rot, inc_time t, char *buf, size_t size)
{
    static const char *const wd[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    inc_local_time lt;
    char sec[8] = "";
    if (inc_zone_to_local(c->ctx, inc_rotation_zone(rot), t, &lt) != INC_OK)
        return cli_time(t, buf, size);
    if (lt.second || lt.ms)
        snprintf(sec, sizeof(sec), ":%02u", lt.second % 60);
    snprintf(buf, size, "%s %04d-%02u-%02u %02u:%02u%s %s", wd[lt.weekday % 7], lt.year,
             lt.month % 100, lt.day % 100, lt.hour % 100, lt.minute % 100, sec, lt.abbr);
    return buf;
}

/* "2026-03-02T10:00:00+01:00", or null. */
static void jw_klocal(cli *c, jw *w, const char *key, const inc_rotation *rot, inc_time t)
{
    inc_local_time lt;
    char buf[48];
    long off;
    jw_key(w, key);
    if (t == INC_TIME_NONE || inc_zone_to_local(c->ctx, inc_rotation_zone(rot), t, &lt) != INC_OK) {
        jw_null(w);
        return;
    }
    off = lt.utc_offset < 0 ? -(long)lt.utc_offset : (long)lt.utc_offset;
    snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02u:%02u:%02u%c%02ld:%02ld", lt.year,
             lt.month % 100, lt.day % 100, lt.hour % 100, lt.minute % 100, lt.second % 100,
             lt.utc_offset < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
    jw_str(w, buf);
}

/* ---- one stretch ------------------------------------------------------------------- */

static void shift_json(cli *c, jw *w, const inc_rotation *rot, const inc_shift *s)
{
    inc_rotation_override ov;
    jw_obj(w);
    jw_kstr(w, "layer", layer_name(s->layer));
    jw_kstr(w, "person", s->person);
    jw_ktime(w, "start", s->start);
    jw_ktime(w, "end", s->end);
    jw_klocal(c, w, "start_local", rot, s->start);
    jw_klocal(c, w, "end_local", rot, s->end);
    jw_key(w, "shift");
    if (s->number < 0)
        jw_null(w);
    else
        jw_int(w, (long long)s->number);
    jw_key(w, "override");
    if (s->override_index == INC_SHIFT_NO_OVERRIDE ||
        inc_rotation_get_override(rot, s->override_index, &ov) != INC_OK) {
        jw_null(w);
    } else {
        jw_obj(w);
        jw_kint(w, "index", (long long)s->override_index);
        jw_kstr(w, "by", ov.by);
        jw_kstr(w, "reason", ov.reason);
        jw_ktime(w, "recorded_at", ov.recorded_at);
        jw_kbool(w, "swap", inc_rotation_override_is_swap(rot, s->override_index)); /* ONC-6 */
        jw_end_obj(w);
    }
    jw_end_obj(w);
}

/* " (shift 8)" or " (shift 8; override 0 by erin: dentist)". */
static void shift_note(const inc_rotation *rot, const inc_shift *s)
{
    inc_rotation_override ov;
    if (s->number >= 0)
        printf(" (shift %lld", (long long)s->number);
    else
        printf(" (before the first shift");
    if (s->override_index != INC_SHIFT_NO_OVERRIDE &&
        inc_rotation_get_override(rot, s->override_index, &ov) == INC_OK) {
        printf("; override %zu", s->override_index);
        if (ov.by && *ov.by)
            printf(" by %s", ov.by);
        if (ov.reason && *ov.reason)
            printf(": %s", ov.reason);
    }
    printf(")\n");
}

/* ---- oncall who --------------------------------------------------------------------- */

static void who_text(cli *c, const inc_rotation *rot, inc_time at, const inc_shift *found,
                     const layers *ly)
{
    char b1[48], b2[48], b3[32];
    int l;
    printf("%s (%s) at %s (%s):\n", inc_rotation_name(rot), inc_rotation_zone(rot),
           local_text(c, rot, at, b1, sizeof(b1)), cli_time(at, b3, sizeof(b3)));
    for (l = 0; l < INC_LAYER_COUNT; l++) {
        const inc_shift *s = &found[l];
        if (!ly->want[l])
            continue;
        printf("  %-10s %-16s since %s until %s", layer_name((inc_layer)l), s->person,
               local_text(c, rot, s->start, b1, sizeof(b1)),
               local_text(c, rot, s->end, b2, sizeof(b2)));
        shift_note(rot, s);
    }
}

static void who_json(cli *c, const inc_rotation *rot, inc_time at, const inc_shift *found,
                     const layers *ly)
{
    jw w;
    int l;
    cli_json_start(c, &w);
    jw_kstr(&w, "rotation", inc_rotation_name(rot));
    jw_kstr(&w, "zone", inc_rotation_zone(rot));
    jw_ktime(&w, "at", at);
    jw_klocal(c, &w, "at_local", rot, at);
    for (l = 0; l < INC_LAYER_COUNT; l++) {
        jw_key(&w, layer_name((inc_layer)l));
        if (ly->want[l])
            shift_json(c, &w, rot, &found[l]);
        else
            jw_null(&w);
    }
    jw_end_obj(&w);
    jw_finish(&w);
}

static int oncall_who(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"at", 0, 1}, {"layer", 'l', 1}, {"quiet", 'q', 0}};
    inc_rotation *rot = NULL;
    inc_shift found[INC_LAYER_COUNT];
    inc_time at;
    layers ly;
    cli_args a;
    int l, rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = open_rotation(c, &a, CLI_CONTEXT, &rot)) != CLI_EXIT_OK ||
        (rc = parse_layers(c, &a, rot, &ly)) != CLI_EXIT_OK ||
        (rc = time_opt(c, &a, "at", inc_context_now(c->ctx), &at)) != CLI_EXIT_OK)
        goto out;
    memset(found, 0, sizeof(found));
    for (l = 0; l < INC_LAYER_COUNT; l++) {
        if (ly.want[l] && (rc = inc_rotation_who(rot, (inc_layer)l, at, &found[l])) != INC_OK) {
            rc = fail_rot(c, rc, rot);
            goto out;
        }
    }
    if (c->json) {
        who_json(c, rot, at, found, &ly);
    } else if (cli_opt_given(&a, "quiet")) {
        for (l = 0; l < INC_LAYER_COUNT; l++)
            if (ly.want[l])
                printf("%s\n", found[l].person);
    } else {
        who_text(c, rot, at, found, &ly);
    }
    rc = CLI_EXIT_OK;
out:
    inc_rotation_free(rot);
    return rc;
}

/* ---- oncall shifts -------------------------------------------------------------------- */

/* The stretches of the wanted layers, merged by start time (primary first). */
typedef struct stretches {
    inc_shift *of[INC_LAYER_COUNT];
    size_t n[INC_LAYER_COUNT];
} stretches;

static int next_stretch(const stretches *st, size_t *i)
{
    if (i[0] < st->n[0] && (i[1] >= st->n[1] || st->of[0][i[0]].start <= st->of[1][i[1]].start))
        return 0;
    return i[1] < st->n[1] ? 1 : -1;
}

static void shifts_text(cli *c, const inc_rotation *rot, inc_time from, inc_time to,
                        const stretches *st)
{
    char b1[48], b2[48], dur[32];
    size_t i[2] = {0, 0};
    int l;
    printf("%s (%s): %zu stretch%s from %s to %s\n", inc_rotation_name(rot), inc_rotation_zone(rot),
           st->n[0] + st->n[1], st->n[0] + st->n[1] == 1 ? "" : "es",
           local_text(c, rot, from, b1, sizeof(b1)), local_text(c, rot, to, b2, sizeof(b2)));
    while ((l = next_stretch(st, i)) >= 0) {
        const inc_shift *s = &st->of[l][i[l]++];
        cli_format_duration(s->end - s->start, dur, sizeof(dur));
        printf("  %-25s -> %-25s %-7s %-10s %s", local_text(c, rot, s->start, b1, sizeof(b1)),
               local_text(c, rot, s->end, b2, sizeof(b2)), dur, layer_name(s->layer), s->person);
        shift_note(rot, s);
    }
}

static void shifts_json(cli *c, const inc_rotation *rot, inc_time from, inc_time to,
                        const stretches *st)
{
    size_t i[2] = {0, 0};
    int l;
    jw w;
    cli_json_start(c, &w);
    jw_kstr(&w, "rotation", inc_rotation_name(rot));
    jw_kstr(&w, "zone", inc_rotation_zone(rot));
    jw_ktime(&w, "from", from);
    jw_ktime(&w, "to", to);
    jw_key(&w, "shifts");
    jw_arr(&w);
    while ((l = next_stretch(st, i)) >= 0)
        shift_json(c, &w, rot, &st->of[l][i[l]++]);
    jw_end_arr(&w);
    jw_end_obj(&w);
    jw_finish(&w);
}

static int oncall_shifts(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"from", 0, 1}, {"to", 0, 1}, {"layer", 'l', 1}};
    inc_rotation *rot = NULL;
    stretches st;
    inc_time from, to;
    layers ly;
    cli_args a;
    int l, rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    memset(&st, 0, sizeof(st));
    if ((rc = open_rotation(c, &a, CLI_CONTEXT, &rot)) != CLI_EXIT_OK ||
        (rc = parse_layers(c, &a, rot, &ly)) != CLI_EXIT_OK ||
        (rc = time_opt(c, &a, "from", inc_context_now(c->ctx), &from)) != CLI_EXIT_OK ||
        (rc = time_opt(c, &a, "to", from + 4 * WEEK_MS, &to)) != CLI_EXIT_OK)
        goto out;
    if (to <= from) {
        rc = cli_usage(c, "--to must come after --from");
        goto out;
    }
    for (l = 0; l < INC_LAYER_COUNT; l++) {
        if (ly.want[l] && (rc = inc_rotation_shifts(rot, (inc_layer)l, from, to, &st.of[l],
                                                    &st.n[l])) != INC_OK) {
            rc = fail_rot(c, rc, rot);
            goto out;
        }
    }
    if (c->json)
        shifts_json(c, rot, from, to, &st);
    else
        shifts_text(c, rot, from, to, &st);
    rc = CLI_EXIT_OK;
out:
    inc_free(st.of[0]);
    inc_free(st.of[1]);
    inc_rotation_free(rot);
    return rc;
}

/* ---- oncall check ---------------------------------------------------------------------- */

/* The incidents of the store, for ONC-4 (rest) and ONC-5 (pages). */
typedef struct incidents {
    inc_incident **inc;
    size_t n, cap;
    cli *c;
    int rc; /* an exit code, once a failure was reported */
} incidents;

static int add_incident(void *user, const char *id)
{
    incidents *all = user;
    int rc;
    if (all->n == all->cap) {
        size_t cap = all->cap ? all->cap * 2 : 16;
        inc_incident **bigger = realloc(all->inc, cap * sizeof(*bigger));
        if (!bigger)
            return all->rc = cli_fail(all->c, INC_ENOMEM, "out of memory"), INC_ENOMEM;
        all->inc = bigger;
        all->cap = cap;
    }
    if ((rc = inc_incident_open(all->c->ctx, id, &all->inc[all->n])) != INC_OK) {
        all->rc = cli_fail(all->c, rc, inc_context_errmsg(all->c->ctx));
        return rc;
    }
    all->n++;
    return 0;
}

static void free_incidents(incidents *all)
{
    size_t i;
    for (i = 0; i < all->n; i++)
        inc_incident_free(all->inc[i]);
    free(all->inc);
}

static int load_incidents(cli *c, incidents *all)
{
    int rc;
    memset(all, 0, sizeof(*all));
    all->c = c;
    all->rc = CLI_EXIT_OK;
    rc = inc_context_list(c->ctx, add_incident, all);
    if (rc != INC_OK && all->rc == CLI_EXIT_OK)
        all->rc = cli_fail(c, rc, inc_context_errmsg(c->ctx));
    return all->rc;
}

/* --from/--to (default: four weeks either side of now) and the thresholds. */
static int check_options(cli *c, const cli_args *a, inc_oncall_check_options *o)
{
    const char *rest = cli_opt_value(a, "rest-after");
    inc_time now = inc_context_now(c->ctx);
    int rc;
    inc_oncall_check_options_init(o, INC_ONCALL_CHECK_OPTIONS_VERSION);
    if ((rc = time_opt(c, a, "from", now - 4 * WEEK_MS, &o->from)) != CLI_EXIT_OK ||
        (rc = time_opt(c, a, "to", o->from + 8 * WEEK_MS, &o->to)) != CLI_EXIT_OK ||
        (rc = count_opt(c, a, "min-people", &o->min_people)) != CLI_EXIT_OK ||
        (rc = count_opt(c, a, "max-consecutive", &o->max_consecutive)) != CLI_EXIT_OK ||
        (rc = count_opt(c, a, "min-gap", &o->min_gap)) != CLI_EXIT_OK ||
        (rc = count_opt(c, a, "pages-threshold", &o->max_pages_week)) != CLI_EXIT_OK)
        return rc;
    if (rest && (rc = cli_parse_duration(c, "--rest-after", rest, &o->rest_after_ms)))
        return rc;
    if (o->to <= o->from)
        return cli_usage(c, "--to must come after --from");
    return CLI_EXIT_OK;
}

/* nincidents: how many incidents were checked, or -1 without --incidents. */
static void check_output(cli *c, const inc_rotation *rot, const inc_oncall_check_options *o,
                         long nincidents, const inc_findings *f)
{
    size_t n = inc_findings_count(f);
    char b1[48], b2[48], what[64] = "the rotation only (ONC-3)";
    jw w;
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "rotation", inc_rotation_name(rot));
        jw_kstr(&w, "zone", inc_rotation_zone(rot));
        jw_ktime(&w, "from", o->from);
        jw_ktime(&w, "to", o->to);
        jw_key(&w, "incidents");
        if (nincidents < 0)
            jw_null(&w);
        else
            jw_int(&w, nincidents);
        jw_kbool(&w, "healthy", n == 0);
        jw_key(&w, "findings");
        jw_findings(&w, f);
        jw_end_obj(&w);
        jw_finish(&w);
        return;
    }
    if (nincidents >= 0)
        snprintf(what, sizeof(what), "%ld incident%s", nincidents, nincidents == 1 ? "" : "s");
    printf("%s (%s), %s to %s, %s: ", inc_rotation_name(rot), inc_rotation_zone(rot),
           local_text(c, rot, o->from, b1, sizeof(b1)), local_text(c, rot, o->to, b2, sizeof(b2)),
           what);
    if (n == 0) {
        printf("healthy, no findings (ONC-3..ONC-5)\n");
        return;
    }
    printf("%zu finding%s\n", n, n == 1 ? "" : "s");
    cli_print_findings(stdout, f, "  ");
}

static int oncall_check(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"from", 0, 1},        {"to", 0, 1},
                                   {"incidents", 'i', 0}, {"pages-threshold", 0, 1},
                                   {"min-people", 0, 1},  {"max-consecutive", 0, 1},
                                   {"min-gap", 0, 1},     {"rest-after", 0, 1}};
    inc_oncall_check_options o;
    inc_rotation *rot = NULL;
    inc_findings *f = NULL;
    incidents all;
    cli_args a;
    int use = 0, rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    memset(&all, 0, sizeof(all));
    use = cli_opt_given(&a, "incidents");
    if ((rc = open_rotation(c, &a, use ? CLI_STORE_RO : CLI_CONTEXT, &rot)) != CLI_EXIT_OK ||
        (rc = check_options(c, &a, &o)) != CLI_EXIT_OK ||
        (use && (rc = load_incidents(c, &all)) != CLI_EXIT_OK))
        goto out;
    rc = inc_rotation_check(rot, (const inc_incident *const *)all.inc, all.n, &o, &f);
    if (rc != INC_OK) {
        rc = fail_rot(c, rc, rot);
        goto out;
    }
    check_output(c, rot, &o, use ? (long)all.n : -1, f);
    rc = inc_findings_count(f) ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
out:
    inc_findings_free(f);
    free_incidents(&all);
    inc_rotation_free(rot);
    return rc;
}

/* ---- dispatch ----------------------------------------------------------------------------- */

int cmd_oncall(cli *c, int argc, char **argv)
{
    static const struct {
        const char *name, *cmd;
        cli_cmd_fn run;
    } subs[] = {{"who", "oncall who", oncall_who},
                {"shifts", "oncall shifts", oncall_shifts},
                {"check", "oncall check", oncall_check},
                {"ical", "oncall ical", cli_oncall_ical}};
    const char *sub = argc > 1 ? argv[1] : NULL;
    size_t k;
    if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0))
        return cli_help(c, "oncall");
    if (!sub)
        return cli_usage(c, "say: oncall who|shifts|check|ical ROTATION_FILE (see: incident "
                            "oncall --help)");
    for (k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
        if (strcmp(subs[k].name, sub) == 0) {
            c->cmd = subs[k].cmd;
            return subs[k].run(c, argc - 1, argv + 1);
        }
    }
    return cli_usage(c, "unknown oncall command '%s' (who, shifts, check, ical)", sub);
}
