/* The context: allocator, clock, store, rubric and policy. */
#include <string.h>

#include "internal.h"
#include "oncall/oncall_services.h"
#include "util/version.h"

static const inc_context_options context_defaults = INC_CONTEXT_OPTIONS_INIT;
INC__VSTRUCT(context_options_v, inc_context_options, "context options", &context_defaults,
             INC_CONTEXT_OPTIONS_VERSION, sizeof(inc_context_options));

int inc_context_options_init(inc_context_options *opts, unsigned int version)
{
    return inc__vstruct_init(&context_options_v, opts, version);
}

static int context_take_rubric(inc_context *ctx, const inc_rubric *rubric)
{
    inc_rubric *copy = NULL;
    int rc;

    if (rubric) {
        rc = inc_rubric_dup(rubric, &copy);
        if (rc == INC_OK && (rc = inc_rubric_validate(copy)) != INC_OK)
            inc_error_set(&ctx->err, rc, "rubric: %s", inc_rubric_errmsg(copy));
    } else {
        rc = inc_rubric_preset_new(&ctx->alloc, INC_RUBRIC_DEFAULT, &copy);
    }
    if (rc != INC_OK) {
        inc_rubric_free(copy);
        return rc;
    }
    inc_rubric_free(ctx->rubric);
    ctx->rubric = copy;
    ctx->rubric_key[0] = '\0'; /* computed again by the next declaration */
    return INC_OK;
}

int inc_context_new(const inc_context_options *opts, inc_context **out)
{
    inc_context_options o;
    inc_allocator a;
    inc_context *ctx;
    int rc;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if ((rc = inc__vstruct_read(&context_options_v, &o, opts, NULL)) != INC_OK)
        return rc;
    if (o.policy != INC_POLICY_ADVISORY && o.policy != INC_POLICY_STRICT)
        return INC_EINVAL;
    if ((rc = inc__alloc_init(&a, o.allocator)) != INC_OK)
        return rc;
    ctx = inc__calloc(&a, 1, sizeof(*ctx));
    if (!ctx)
        return INC_ENOMEM;
    ctx->alloc = a;
    ctx->clock = o.clock ? o.clock : inc_clock_system;
    ctx->clock_user = o.clock_user;
    ctx->policy = o.policy;
    inc__map_init(&ctx->rubrics, &ctx->alloc);
    inc__error_clear(&ctx->err);
    rc = context_take_rubric(ctx, o.rubric);
    if (rc == INC_OK && o.store) {
        ctx->store = o.store;
    } else if (rc == INC_OK) {
        rc = inc_store_memory_new(&ctx->alloc, &ctx->store);
        ctx->owns_store = 1;
    }
    if (rc != INC_OK) {
        inc_context_free(ctx);
        return rc;
    }
    *out = ctx;
    return INC_OK;
}

void inc_context_free(inc_context *ctx)
{
    if (!ctx)
        return;
    inc__oncall_free(ctx);
    inc__context_rubrics_free(ctx);
    if (ctx->owns_store)
        inc_store_free(ctx->store);
    inc_rubric_free(ctx->rubric);
    inc__free(&ctx->alloc, ctx);
}

const char *inc_context_errmsg(const inc_context *ctx)
{
    return ctx ? ctx->err.msg : "";
}

inc_time inc_context_now(inc_context *ctx)
{
    return ctx ? ctx->clock(ctx->clock_user) : INC_TIME_NONE;
}

inc_store *inc_context_store(inc_context *ctx)
{
    return ctx ? ctx->store : NULL;
}

const inc_rubric *inc_context_rubric(const inc_context *ctx)
{
    return ctx ? ctx->rubric : NULL;
}

int inc_context_set_rubric(inc_context *ctx, const inc_rubric *rubric)
{
    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (!rubric)
        return inc_error_set(&ctx->err, INC_EINVAL, "rubric: must not be NULL");
    return context_take_rubric(ctx, rubric);
}

inc_policy inc_context_policy(const inc_context *ctx)
{
    return ctx ? ctx->policy : INC_POLICY_ADVISORY;
}

int inc_context_set_policy(inc_context *ctx, inc_policy policy)
{
    if (!ctx)
        return INC_EINVAL;
    if (policy != INC_POLICY_ADVISORY && policy != INC_POLICY_STRICT)
        return inc_error_set(&ctx->err, INC_EINVAL, "policy: must be advisory or strict");
    ctx->policy = policy;
    return INC_OK;
}

int inc_context_set_lint_config(inc_context *ctx, const struct inc_lint_config *cfg)
{
    if (!ctx)
        return INC_EINVAL;
    ctx->lint_config = cfg;
    return INC_OK;
}

typedef struct ids_cb {
    const inc_allocator *alloc;
    inc__ids *ids;
} ids_cb;

static int collect_id(void *user, const char *id)
{
    ids_cb *c = user;
    inc__ids *l = c->ids;
    char *copy;
    if (inc__array_reserve(c->alloc, (void **)&l->v, &l->cap, l->n + 1, sizeof(char *)) != INC_OK ||
        !(copy = inc__strdup(c->alloc, id)))
        return INC_ENOMEM;
    l->v[l->n++] = copy;
    return 0;
}

int inc__context_ids(inc_context *ctx, inc__ids *ids, inc_error *err)
{
    ids_cb c;
    int rc;
    memset(ids, 0, sizeof(*ids));
    c.alloc = &ctx->alloc;
    c.ids = ids;
    rc = inc_context_list(ctx, collect_id, &c);
    if (rc == INC_ENOMEM)
        return inc__error_oom(err);
    return rc == INC_OK ? INC_OK : inc__error_copy(err, &ctx->err);
}

void inc__ids_free(inc_context *ctx, inc__ids *ids)
{
    size_t i;
    for (i = 0; i < ids->n; i++)
        inc__free(&ctx->alloc, ids->v[i]);
    inc__free(&ctx->alloc, ids->v);
    memset(ids, 0, sizeof(*ids));
}

int inc_context_list(inc_context *ctx, inc_store_id_cb cb, void *user)
{
    int rc;
    if (!ctx)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    rc = inc_store_list(ctx->store, cb, user);
    if (rc < 0)
        inc_error_set(&ctx->err, rc, "%s", inc_store_errmsg(ctx->store));
    return rc;
}

int inc__context_hook_set(inc_context *ctx, const inc__context_hook *hook)
{
    if (ctx->hook.user)
        return INC_EEXIST;
    ctx->hook = *hook;
    return INC_OK;
}

void inc__context_hook_clear(inc_context *ctx, void *user)
{
    if (ctx->hook.user == user)
        memset(&ctx->hook, 0, sizeof(ctx->hook));
}
