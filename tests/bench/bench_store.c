/* The synthetic store of the store-wide benchmarks (bench_store.h). Each
 * incident's events: declaration, page, acknowledgement, the lifecycle to
 * resolved, a root-cause tag, two action items, for Sev-0..Sev-2 the eight
 * postmortem sections and a Final postmortem, else a plain close; with the
 * extras (list_bench) also a Scribe assigned and the custom field "region"
 * set after the page. One in 97 is a drill. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_store.h"
#include "journal/journal_io.h"

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

_Noreturn void die(const char *what, int rc)
{
    fprintf(stderr, "%s: %s: %s\n", bench_name, what, inc_status_name(rc));
    exit(1);
}

void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "%s: cannot remove %s\n", bench_name, path);
}

/* ---- generating a closed incident -------------------------------------------------- */

/* Encode @d as the next event at @t, chained to the previous one. */
void put(gen *g, const inc__event_draft *d, inc_time t)
{
    int rc = inc__event_encode(d, g->n + 1, t, g->n ? g->prev : NULL, &g->scratch, NULL);
    if (rc != INC_OK || g->used + g->scratch.len > sizeof(g->bytes) || g->n == MAX_EVENTS)
        die("encode", rc ? rc : INC_ETOOBIG);
    memcpy(g->bytes + g->used, g->scratch.ptr, g->scratch.len);
    g->recs[g->n].data = g->bytes + g->used;
    g->recs[g->n].len = g->scratch.len;
    inc__sha256(g->bytes + g->used, g->scratch.len, g->prev);
    g->used += g->scratch.len;
    g->last = t;
    g->n++;
}

void state(gen *g, const char *actor, int to, inc_time t, const char *text)
{
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_STATE_CHANGED, actor);
    inc__draft_int(&d, INC__F_STATE, to);
    inc__draft_int(&d, INC__F_FROM_STATE, to - 1);
    inc__draft_str(&d, INC__F_TEXT, text);
    put(g, &d, t);
}

const char *const people[] = {"dana", "lee", "sam", "ravi", "mo", "ana", "kim", "joe"};
static const char *const tags[] = {
    "config-change", "capacity",     "dependency", "deploy",      "certificate", "dns",
    "database",      "network",      "bad-data",   "rate-limit",  "disk-full",   "memory-leak",
    "cache",         "queue",        "auth",       "third-party", "timeout",     "retry-storm",
    "schema",        "feature-flag", "cron",       "quota",       "hardware"};

static void declaration(gen *g, unsigned i, const char *id, const char *sev, inc_time t0)
{
    char title[96], channel[128];
    inc__event_draft d;
    snprintf(title, sizeof(title), "Checkout errors in region %u", i % 17);
    snprintf(channel, sizeof(channel), "inc-%s", id);
    inc__draft_init(&d, INC_EV_DECLARED, people[i % 8]);
    inc__draft_str(&d, INC__F_TITLE, title);
    inc__draft_str(&d, INC__F_SEVERITY, sev);
    inc__draft_str(&d, INC__F_CHANNEL, channel);
    inc__draft_str(&d, INC__F_ID, id);
    inc__draft_str(&d, INC__F_RUBRIC_SHA256, g->rubric_key); /* RUB-4: the text is a blob */
    inc__draft_int(&d, INC__F_CRITERIA, INC_CRIT_CUSTOMER_VISIBLE);
    inc__draft_int(&d, INC__F_IMPACT_STARTED, t0 - (int64_t)(i % 13 + 1) * MINUTE);
    inc__draft_int(&d, INC__F_DETECTED, t0 - (int64_t)(i % 5) * MINUTE);
    if (i % 97 == 0)
        inc__draft_int(&d, INC__F_DRILL, 1);
    put(g, &d, t0);
}

static void paging(gen *g, unsigned i, inc_time t0)
{
    const char *who = people[(i * 3) % 8];
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_PAGE_REQUESTED, "pager");
    inc__draft_str(&d, INC__F_TARGET, "on-call");
    put(g, &d, t0 + MINUTE);
    inc__draft_init(&d, INC_EV_PAGE_SENT, "pager");
    inc__draft_int(&d, INC__F_REF_SEQ, 2);
    inc__draft_str(&d, INC__F_PERSON, who);
    put(g, &d, t0 + MINUTE);
    inc__draft_init(&d, INC_EV_ACKNOWLEDGED, who);
    inc__draft_str(&d, INC__F_PERSON, who);
    inc__draft_int(&d, INC__F_REF_SEQ, 2);
    put(g, &d, t0 + (int64_t)(2 + i % 6) * MINUTE);
}

static void action_added(gen *g, unsigned i, int item, inc_time t, inc_time due)
{
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_ACTION_ADDED, people[i % 8]);
    inc__draft_int(&d, INC__F_ITEM, item);
    inc__draft_str(&d, INC__F_TITLE,
                   item == 1 ? "Alert on the regional error rate"
                             : "Canary the payment client in every region");
    inc__draft_str(&d, INC__F_OWNER, people[(i + (unsigned)item) % 8]);
    inc__draft_int(&d, INC__F_DUE, due);
    inc__draft_int(&d, INC__F_PRIORITY, 1 + (int)((i + (unsigned)item) % 4));
    put(g, &d, t);
}

static void postmortem(gen *g, unsigned i, inc_time t)
{
    static const char *const text = "Short narrative written by the team after the review.";
    inc__event_draft d;
    int s;
    for (s = 0; s < INC_PM_SECTION_COUNT; s++) {
        inc__draft_init(&d, INC_EV_POSTMORTEM_SECTION, people[(i + (unsigned)s) % 8]);
        inc__draft_int(&d, INC__F_ITEM, s);
        inc__draft_str(&d, INC__F_TEXT, text);
        put(g, &d, t + s * MINUTE);
    }
    inc__draft_init(&d, INC_EV_POSTMORTEM_STATUS, people[i % 8]);
    inc__draft_int(&d, INC__F_STATUS, INC_PM_IN_REVIEW);
    put(g, &d, t + HOUR);
    inc__draft_init(&d, INC_EV_POSTMORTEM_STATUS, people[i % 8]);
    inc__draft_int(&d, INC__F_STATUS, INC_PM_FINAL);
    inc__draft_int(&d, INC__F_STATE, INC_STATE_CLOSED);
    inc__draft_int(&d, INC__F_FROM_STATE, INC_STATE_RESOLVED);
    put(g, &d, t + DAY);
}

/* A Scribe and the field "region" (the list's role and field filters). */
static void extras(gen *g, unsigned i, inc_time t0)
{
    static const char *const regions[] = {"eu", "us", "apac"};
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_ROLE_ASSIGNED, people[i % 8]);
    inc__draft_str(&d, INC__F_PERSON, people[(i + 3) % 8]);
    inc__draft_int(&d, INC__F_ROLE, INC_ROLE_SCRIBE);
    put(g, &d, t0);
    inc__draft_init(&d, INC_EV_FIELD_SET, people[i % 8]);
    inc__draft_str(&d, INC__F_NAME, "region");
    inc__draft_str(&d, INC__F_TARGET, regions[i % 3]);
    put(g, &d, t0);
}

/* One closed incident, i = 0..n-1, declared every 5 minutes from BASE. */
void incident(gen *g, unsigned i, char *id, size_t idsize)
{
    static const char *const levels[] = {"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    unsigned pct = i % 100;
    int level = pct < 1 ? 0 : pct < 5 ? 1 : pct < 20 ? 2 : pct < 60 ? 3 : 4;
    inc_time t0 = BASE + (int64_t)i * 5 * MINUTE, res;
    inc__event_draft d;

    g->used = g->n = 0;
    snprintf(id, idsize, "bench-%07u", i);
    declaration(g, i, id, levels[level], t0);
    paging(g, i, t0); /* (events 2..4: the page is event 2) */
    if (g->extras)
        extras(g, i, t0 + 5 * MINUTE);
    state(g, people[i % 8], INC_STATE_INVESTIGATING, t0 + 5 * MINUTE, NULL);
    state(g, people[i % 8], INC_STATE_MITIGATING, t0 + 10 * MINUTE, NULL);
    state(g, people[i % 8], INC_STATE_MONITORING, t0 + (int64_t)(20 + i % 40) * MINUTE, NULL);
    res = t0 + (int64_t)(90 + i % 120) * MINUTE;
    state(g, people[i % 8], INC_STATE_RESOLVED, res, "checkout verified by hand");
    action_added(g, i, 1, res + HOUR, res + (int64_t)(3 + i % 20) * DAY);
    action_added(g, i, 2, res + HOUR, res + (int64_t)(5 + i % 30) * DAY);
    inc__draft_init(&d, INC_EV_POSTMORTEM_TAG, people[i % 8]);
    inc__draft_str(&d, INC__F_NAME, tags[i % 23]);
    put(g, &d, res + 2 * HOUR);
    if (level <= 2)
        postmortem(g, i, res + 3 * HOUR);
    else
        state(g, people[i % 8], INC_STATE_CLOSED, res + 3 * HOUR, NULL);
    /* Item 1 is done, on time or late; item 2 stays open. */
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, people[(i + 1) % 8]);
    inc__draft_int(&d, INC__F_ITEM, 1);
    inc__draft_int(&d, INC__F_STATUS, INC_ACTION_DONE);
    put(g, &d, res + (int64_t)(2 + i % 25) * DAY);
}

char *bench_rubric(int fields)
{
    static const char field[] = "field = region one-of eu,us,apac\n";
    inc_rubric *r;
    char *text, *with, *name_end;
    size_t at;
    int rc;
    if ((rc = inc_rubric_preset_new(NULL, INC_RUBRIC_DEFAULT, &r)) != INC_OK)
        die("rubric", rc);
    if ((rc = inc_rubric_write(r, &text, NULL)) != INC_OK)
        die("rubric write", rc);
    inc_rubric_free(r);
    if (!fields) {
        if (!(with = strdup(text)))
            die("rubric", INC_ENOMEM);
        inc_free(text);
        return with;
    }
    /* The field line comes after the name (lib/docs/rubric-format.md). */
    if (!(name_end = strstr(text, "\nname = ")) || !(name_end = strchr(name_end + 1, '\n')) ||
        !(with = malloc(strlen(text) + sizeof(field))))
        die("rubric with a field", INC_ENOMEM);
    at = (size_t)(name_end + 1 - text);
    memcpy(with, text, at);
    memcpy(with + at, field, sizeof(field) - 1);
    strcpy(with + at + sizeof(field) - 1, text + at);
    inc_free(text);
    return with;
}

void bench_args(int argc, char **argv, const char *prog, const char **work, unsigned *small,
                unsigned *large)
{
    int i;
    *work = "/tmp";
    *small = 10000;
    *large = 100000;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            *small = 1000;
            *large = 10000;
        } else {
            *work = argv[i];
        }
    }
    if (mkdir(*work, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, *work, strerror(errno));
        exit(1);
    }
}

inc_store *open_journal(const char *dir)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s;
    int rc;
    o.sync = INC_SYNC_NONE;
    if ((rc = inc_store_journal_open(dir, &o, &s)) != INC_OK)
        die("journal open", rc);
    return s;
}

/* Generation only: the journal's I/O table with its syncs skipped. The
 * journal syncs a file when it closes its descriptor even under the sync
 * policy none, and 100,000 incident files cycle through its descriptor
 * cache; the data reaches the page cache either way, and durability is not
 * what this benchmark measures. */
static int no_sync(void *user, int fd)
{
    (void)user;
    (void)fd;
    return 0;
}

inc_store *open_unsynced(const char *dir)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc__jio io = *inc__jio_posix();
    inc_store *s;
    int rc;
    io.fdatasync = no_sync;
    io.fsync = no_sync;
    o.sync = INC_SYNC_NONE;
    if ((rc = inc__store_journal_open_io(dir, &o, &io, &s)) != INC_OK)
        die("journal open", rc);
    return s;
}

gen *gen_new(const char *rubric)
{
    gen *g = calloc(1, sizeof(*g));
    if (!g)
        die("calloc", INC_ENOMEM);
    inc__alloc_init(&g->alloc, NULL);
    inc__buf_init(&g->scratch, &g->alloc);
    g->rubric = rubric;
    inc__rubric_key(rubric, strlen(rubric), g->rubric_key);
    return g;
}

void gen_free(gen *g)
{
    inc__buf_dispose(&g->scratch);
    free(g);
}

void generate(const char *dir, unsigned n, const char *rubric, int extras)
{
    inc_store *s = open_unsynced(dir);
    gen *g = gen_new(rubric);
    char id[32];
    unsigned i;
    int rc;
    g->extras = extras;
    /* As inc_incident_declare() does: the rubric stored once, by its key. */
    if ((rc = inc_store_put_blob(s, rubric, strlen(rubric), NULL)) != INC_OK)
        die(inc_store_errmsg(s), rc);
    for (i = 0; i < n; i++) {
        incident(g, i, id, sizeof(id));
        if ((rc = inc_store_append(s, id, 0, g->recs, g->n)) != INC_OK)
            die(inc_store_errmsg(s), rc);
    }
    gen_free(g);
    inc_store_free(s);
}
