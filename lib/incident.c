/* Incidents: the write path (check, append, apply), loading by replay, and
 * the lifecycle, severity, note and correction calls. */
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "lifecycle.h"
#include "util/escape.h"
#include "util/text.h"
#include "util/time.h"

/* ---- the handle ---------------------------------------------------------- */

int inc__incident_alloc(inc_context *ctx, const char *id, inc_incident **out)
{
    inc_incident *inc = inc__calloc(&ctx->alloc, 1, sizeof(*inc));
    if (!inc)
        return INC_ENOMEM;
    inc->ctx = ctx;
    inc->alloc = &ctx->alloc;
    inc__error_clear(&inc->err);
    inc__arena_init(&inc->arena, inc->alloc, 0);
    inc__buf_init(&inc->scratch, inc->alloc);
    if (id)
        strncpy(inc->id, id, INC_ID_MAX);
    inc->impact_started = inc->detected = INC_TIME_NONE;
    inc->mitigated_at = inc->resolved_at = inc->reopened_at = INC_TIME_NONE;
    inc__roles_init(&inc->roles);
    inc__comms_init(&inc->comms);
    inc__due_init(&inc->due);
    inc__pm_init(&inc->pm);
    *out = inc;
    return INC_OK;
}

void inc_incident_free(inc_incident *inc)
{
    if (!inc)
        return;
    inc__roles_dispose(&inc->roles, inc->alloc);
    inc__comms_dispose(&inc->comms, inc->alloc);
    if (inc->ctx->hook.freed) /* the scheduler may hold it */
        inc->ctx->hook.freed(inc->ctx->hook.user, inc);
    inc__due_dispose(&inc->due, inc->alloc);
    inc__pm_dispose(&inc->pm, inc->alloc);
    inc__buf_dispose(&inc->scratch);
    inc__free(inc->alloc, inc->links);
    inc__free(inc->alloc, inc->events);
    inc__arena_dispose(&inc->arena);
    inc__free(inc->alloc, inc);
}

const char *inc_incident_errmsg(const inc_incident *inc)
{
    return inc ? inc->err.msg : "";
}

int inc__incident_event_at(const inc_incident *inc, size_t index, inc__event *ev)
{
    const inc__stored_event *se = &inc->events[index];
    return inc__event_decode(se->data, se->len, ev, NULL);
}

/* ---- the one write path -------------------------------------------------- */

/* Copy @len bytes into reserved arena space, decode them and prepare the
 * apply; on success the caller appends (or not) and then takes or drops.
 * @written: the event was just encoded from a caller's values, so an event
 * that does not decode has a value out of range (INC_EINVAL), not rot. */
static int stage_event(inc_incident *inc, const void *data, size_t len, int written, inc__event *ev,
                       inc__prep *prep)
{
    void *copy;
    int rc;

    memset(prep, 0, sizeof(*prep));
    if (len > UINT32_MAX)
        return inc_error_set(&inc->err, INC_ETOOBIG, "event too large");
    if (inc__array_reserve(inc->alloc, (void **)&inc->events, &inc->event_cap, inc->event_count + 1,
                           sizeof(inc__stored_event)) != INC_OK ||
        !(copy = inc__arena_reserve(&inc->arena, len)))
        return inc__error_oom(&inc->err);
    memcpy(copy, data, len);
    rc = inc__event_decode(copy, len, ev, &inc->err);
    if (rc == INC_ECORRUPT && written)
        rc = inc->err.code = INC_EINVAL;
    if (rc != INC_OK)
        return rc;
    return inc__apply_prepare(inc, ev, prep);
}

/* The event is stored: make it part of the timeline. Cannot fail. */
static void settle_event(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__stored_event *se = &inc->events[inc->event_count];
    se->data = inc__arena_take(&inc->arena, ev->len);
    se->len = (uint32_t)ev->len;
    inc->event_count++;
    inc__apply_commit(inc, ev, prep);
}

int inc__incident_write(inc_incident *inc, const inc__event_draft *d)
{
    inc_store_record rec;
    inc__event ev;
    inc__prep prep;
    uint8_t hash[INC__SHA256_LEN];
    uint64_t seq = inc->event_count + 1;
    int rc;

    rc = inc__event_encode(d, seq, inc_context_now(inc->ctx),
                           inc->event_count ? inc->last_hash : NULL, &inc->scratch, &inc->err);
    if (rc != INC_OK)
        return rc == INC_ENOMEM ? inc__error_oom(&inc->err) : rc;
    rc = stage_event(inc, inc->scratch.ptr, inc->scratch.len, 1, &ev, &prep);
    if (rc != INC_OK) {
        inc__apply_release(inc, &prep);
        return rc;
    }
    rec.data = ev.raw;
    rec.len = ev.len;
    rc = inc__store_append(inc->ctx->store, inc->id, inc->event_count, &rec, 1, &inc->err);
    if (rc != INC_OK) {
        inc__apply_release(inc, &prep);
        return rc;
    }
    inc__sha256(ev.raw, ev.len, hash);
    settle_event(inc, &ev, &prep);
    memcpy(inc->last_hash, hash, sizeof(hash));
    if (inc->ctx->hook.written) /* the scheduler reschedules it */
        inc->ctx->hook.written(inc->ctx->hook.user, inc);
    return INC_OK;
}

/* TL-2 on every read: the event names the hash of the one before it (zero
 * for the first). A forged event whose store checksums were recomputed
 * is caught at the event after it. Costs a SHA-256 of every event read
 * (tests/bench/open_bench.c), which the next write needs anyway. */
static int check_chain(inc_incident *inc, const inc__event *ev)
{
    static const uint8_t zero[INC__SHA256_LEN];
    if (memcmp(ev->prev_hash, inc->event_count ? inc->last_hash : zero, INC__SHA256_LEN) == 0)
        return INC_OK;
    return inc__chain_broken(inc, ev->seq);
}

int inc__incident_load_event(inc_incident *inc, uint64_t seq, const void *data, size_t len)
{
    inc__event ev;
    inc__prep prep;
    int rc = stage_event(inc, data, len, 0, &ev, &prep);

    if (rc == INC_OK && ev.seq != seq)
        rc = inc_error_set(&inc->err, INC_ECORRUPT,
                           "incident %s: store gave event %llu where it holds %llu", inc->id,
                           (unsigned long long)seq, (unsigned long long)ev.seq);
    if (rc == INC_OK)
        rc = check_chain(inc, &ev);
    if (rc != INC_OK) {
        inc__apply_release(inc, &prep);
        return rc;
    }
    settle_event(inc, &ev, &prep);
    inc__sha256(ev.raw, ev.len, inc->last_hash);
    return INC_OK;
}

static int load_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    return inc__incident_load_event(user, seq, data, len);
}

/* ---- checks shared by the mutators -------------------------------------- */

int inc__begin(inc_incident *inc, const char *actor, const char *what)
{
    int rc;
    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    if ((rc = inc__check_actor(inc, actor)) != INC_OK)
        return rc;
    return what ? inc__require_open(inc, what) : INC_OK;
}

int inc__check_actor(inc_incident *inc, const char *actor)
{
    return inc__check_text(&inc->err, "actor", actor, INC_NAME_MAX, INC__TEXT_SINGLE_LINE);
}

int inc__require_ic(inc_incident *inc, const char *actor, const char *what)
{
    if (strcmp(actor, inc->ic) == 0)
        return INC_OK;
    if (inc->roles.handoff_to && strcmp(actor, inc->roles.handoff_to) == 0)
        return inc_error_set(&inc->err, INC_EPERM,
                             "only the Incident Commander (%s) may %s (AUTH-1); %s becomes IC "
                             "on confirming the hand-off (ROLE-2)",
                             inc->ic, what, actor);
    return inc_error_set(&inc->err, INC_EPERM,
                         "only the Incident Commander (%s) may %s (AUTH-1); %s is not the IC",
                         inc->ic, what, actor);
}

int inc__require_open(inc_incident *inc, const char *what)
{
    if (inc->state != INC_STATE_CLOSED)
        return INC_OK;
    if (inc->duplicate_of) /* LIFE-5: what it would get goes to the primary */
        return inc_error_set(&inc->err, INC_ESTATE,
                             "incident %s is closed as a duplicate of %s (LIFE-5): cannot %s; "
                             "act on %s",
                             inc->id, inc->duplicate_of, what, inc->duplicate_of);
    return inc_error_set(&inc->err, INC_ESTATE, "incident %s is closed: cannot %s", inc->id, what);
}

/* ---- declare and open ---------------------------------------------------- */

static const inc_declare_options declare_options_defaults = INC_DECLARE_OPTIONS_INIT;
INC__VSTRUCT(declare_options_v, inc_declare_options, "declare options", &declare_options_defaults,
             INC_DECLARE_OPTIONS_VERSION, sizeof(inc_declare_options));

int inc_declare_options_init(inc_declare_options *opts, unsigned int version)
{
    return inc__vstruct_init(&declare_options_v, opts, version);
}

static int check_declare(inc_context *ctx, const inc_declare_options *o)
{
    inc_error *err = &ctx->err;
    size_t level;
    int rc;

    if ((rc = inc__check_text(err, "title", o->title, INC_TITLE_MAX, INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(err, "declarer", o->declarer, INC_NAME_MAX, INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(err, "severity", o->severity, INC_LEVEL_NAME_MAX,
                              INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(err, "slug", o->slug, INC_TITLE_MAX,
                              INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL)))
        return rc;
    if (inc_rubric_get_level_index(ctx->rubric, o->severity, &level) != INC_OK)
        return inc_error_set(err, INC_EINVAL, "severity: '%s' is not a level of rubric '%s'",
                             o->severity, inc_rubric_name(ctx->rubric));
    if (o->criteria & ~INC_CRIT_ALL)
        return inc_error_set(err, INC_EINVAL, "criteria: unknown bits 0x%x",
                             o->criteria & ~INC_CRIT_ALL);
    return INC_OK;
}

/* The times a declaration records (DEC-2) must be in the order MET-1
 * measures: impact start <= detection <= declaration. A detection after
 * the declaration, or an impact after its detection, would give negative
 * MTTD or detection delays and a timeline that contradicts itself. */
static const char *time_text(inc_time t, char buf[32])
{
    if (inc_time_format(t, buf, 32) != INC_OK)
        snprintf(buf, 32, "%lld ms", (long long)t);
    return buf;
}

static int check_declare_times(inc_context *ctx, const inc_declare_options *o, inc_time now)
{
    char a[32], b[32];
    inc_time impact = o->impact_started, detected = o->detected;
    if (impact != INC_TIME_NONE && detected != INC_TIME_NONE && impact > detected)
        return inc_error_set(&ctx->err, INC_EINVAL,
                             "DEC-2: impact_started (%s) is after detected (%s): impact "
                             "starts before it is detected (MET-1)",
                             time_text(impact, a), time_text(detected, b));
    if (detected != INC_TIME_NONE && detected > now)
        return inc_error_set(&ctx->err, INC_EINVAL,
                             "DEC-2: detected (%s) is after the declaration (declared_at %s)",
                             time_text(detected, a), time_text(now, b));
    if (impact != INC_TIME_NONE && impact > now)
        return inc_error_set(&ctx->err, INC_EINVAL,
                             "DEC-2: impact_started (%s) is after the declaration (declared_at %s)",
                             time_text(impact, a), time_text(now, b));
    return INC_OK;
}

/* The id and channel (DEC-3): "YYYY-MM-DD-slug", then "-2", "-3"... */
static void make_id(inc_time now, const inc_declare_options *o, unsigned attempt,
                    char id[INC_ID_MAX + 1])
{
    char date[11], slug[64];
    size_t n;

    inc__date_format(now, date);
    n = inc__slugify(o->slug && o->slug[0] ? o->slug : o->title, slug, sizeof(slug), 48);
    if (n == 0)
        strcpy(slug, "incident");
    if (attempt <= 1)
        snprintf(id, INC_ID_MAX + 1, "%s-%s", date, slug);
    else
        snprintf(id, INC_ID_MAX + 1, "%s-%s-%u", date, slug, attempt);
}

/* The rubric in force as the declaration records it (RUB-4): its key when
 * the store keeps blobs (the text stored once per store), else the text. */
typedef struct rubric_record {
    char *text;
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    int by_key;
} rubric_record;

static int record_rubric(inc_context *ctx, rubric_record *rr)
{
    const inc_rubric *parsed;
    size_t len;
    inc_diag diag;
    int rc;

    memset(rr, 0, sizeof(*rr));
    /* The rubric in force was recorded in this store before: its key is
     * known, its parsed form cached; nothing to write, hash or store. */
    if (inc__store_has_blobs(ctx->store) && ctx->rubric_key[0] &&
        inc__store_knows_blob(ctx->store, ctx->rubric_key)) {
        memcpy(rr->key, ctx->rubric_key, sizeof(rr->key));
        rr->by_key = 1;
        return INC_OK;
    }
    if ((rc = inc_rubric_write(ctx->rubric, &rr->text, &len)) != INC_OK)
        return inc_error_set(&ctx->err, rc, "declare: cannot record the rubric");
    if (!inc__store_has_blobs(ctx->store))
        return INC_OK;
    /* Parse it into the context's cache under its key first, so that
     * applying the declaration finds it there, not by reading it back. */
    rc = inc__context_recorded_rubric(ctx, rr->text, len, &parsed, rr->key, &diag);
    if (rc == INC_OK)
        rc = inc__store_put_blob_keyed(ctx->store, rr->text, len, rr->key, &ctx->err);
    else
        inc_error_set(&ctx->err, rc, "declare: the rubric: %s", diag.message);
    if (rc == INC_OK)
        memcpy(ctx->rubric_key, rr->key, sizeof(rr->key));
    rr->by_key = rc == INC_OK;
    return rc;
}

static int declare_once(inc_context *ctx, const inc_declare_options *o, const rubric_record *rr,
                        inc_time now, unsigned attempt, inc_incident **out)
{
    char channel[INC_ID_MAX + 8];
    inc__event_draft d;
    inc_incident *inc;
    int rc;

    if ((rc = inc__incident_alloc(ctx, NULL, &inc)) != INC_OK)
        return inc__error_oom(&ctx->err);
    make_id(now, o, attempt, inc->id);
    snprintf(channel, sizeof(channel), "inc-%s", inc->id);
    inc__draft_init(&d, INC_EV_DECLARED, o->declarer);
    inc__draft_str(&d, INC__F_TITLE, o->title);
    inc__draft_str(&d, INC__F_SEVERITY, o->severity);
    inc__draft_str(&d, INC__F_CHANNEL, channel);
    inc__draft_str(&d, INC__F_ID, inc->id);
    inc__draft_str(&d, rr->by_key ? INC__F_RUBRIC_SHA256 : INC__F_RUBRIC,
                   rr->by_key ? rr->key : rr->text);
    inc__draft_int(&d, INC__F_CRITERIA, o->criteria);
    if (o->drill)
        inc__draft_int(&d, INC__F_DRILL, 1);
    if (o->impact_started != INC_TIME_NONE)
        inc__draft_int(&d, INC__F_IMPACT_STARTED, o->impact_started);
    if (o->detected != INC_TIME_NONE)
        inc__draft_int(&d, INC__F_DETECTED, o->detected);
    rc = inc__incident_write(inc, &d);
    if (rc != INC_OK) {
        inc__error_copy(&ctx->err, &inc->err);
        inc_incident_free(inc);
        return rc;
    }
    *out = inc;
    return INC_OK;
}

int inc_incident_declare(inc_context *ctx, const inc_declare_options *opts, inc_incident **out)
{
    inc_declare_options o;
    rubric_record rr;
    inc_time now;
    unsigned attempt;
    int rc;

    if (!ctx || !out || !opts)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "declare: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&ctx->err);
    if ((rc = inc__vstruct_read(&declare_options_v, &o, opts, &ctx->err)) != INC_OK ||
        (rc = check_declare(ctx, &o)) != INC_OK)
        return rc;
    opts = &o;
    now = inc_context_now(ctx);
    if ((rc = check_declare_times(ctx, opts, now)) != INC_OK)
        return rc;
    if ((rc = record_rubric(ctx, &rr)) == INC_OK) {
        /* A taken id is a conflict at sequence 0: try the next suffix. */
        rc = INC_ECONFLICT;
        for (attempt = 1; attempt <= 1000 && rc == INC_ECONFLICT; attempt++)
            rc = declare_once(ctx, opts, &rr, now, attempt, out);
    }
    inc_free(rr.text);
    return rc;
}

/* An id that is not one, quoted escaped: an id comes from users and
 * scripts, and its message is shown on terminals. */
static int bad_id(inc_context *ctx, const char *id)
{
    inc__buf b;
    inc__buf_init(&b, &ctx->alloc);
    inc__buf_put_escaped(&b, id, strnlen(id, 96), NULL);
    inc__buf_putc(&b, '\0');
    inc_error_set(&ctx->err, INC_EINVAL, "id: '%s' is not an incident id", b.failed ? "?" : b.ptr);
    inc__buf_dispose(&b);
    return INC_EINVAL;
}

int inc_incident_open(inc_context *ctx, const char *id, inc_incident **out)
{
    inc_incident *inc;
    int rc;

    if (!ctx || !out || !id)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "open: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&ctx->err);
    if (!inc__id_valid(id))
        return bad_id(ctx, id);
    if ((rc = inc__incident_alloc(ctx, id, &inc)) != INC_OK)
        return inc__error_oom(&ctx->err);
    rc = inc__store_read(ctx->store, id, 1, load_cb, inc, &inc->err);
    if (rc == INC_OK && inc->event_count == 0)
        rc = inc_error_set(&inc->err, INC_ENOTFOUND, "no incident '%s' in the store", id);
    if (rc != INC_OK) {
        inc__error_copy(&ctx->err, &inc->err);
        inc_incident_free(inc);
        return rc;
    }
    *out = inc;
    return INC_OK;
}

int inc_incident_reload(inc_incident *inc)
{
    inc_incident *fresh;
    int rc;

    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    /* Replay into a fresh handle so a failure leaves this one unchanged. */
    rc = inc_incident_open(inc->ctx, inc->id, &fresh);
    if (rc != INC_OK)
        return inc__error_copy(&inc->err, &inc->ctx->err);
    {
        inc_incident tmp = *inc;
        *inc = *fresh;
        *fresh = tmp;
        /* The arena, scratch buffer and map-free fields moved with the
         * struct; nothing points back at the handle itself. */
    }
    inc_incident_free(fresh);
    return INC_OK;
}
