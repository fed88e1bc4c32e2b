/* A team's own lint words (include/incident/lint_config.h): the text
 * format (lib/docs/lint-config.md, read with util/kvtext.h) and how its
 * phrases reach the sentence reader. */
#include <string.h>

#include "findings_internal.h"
#include "incident/lint_config.h"
#include "lint_config_internal.h"
#include "lint_words.h"
#include "util/alloc.h"
#include "util/kvtext.h"

#define HEADER         "libincident-lint"
#define FORMAT_VERSION 1
#define VALUE_MAX      256
#define PHRASES_MAX    4096

struct inc_lint_config {
    inc_allocator alloc;
    inc__lint_config_view view;
    inc__lint_phrase *phrases;
    size_t nphrases, cap;
    const char **off;
    size_t noff, offcap;
};

/* The findings a configuration may switch off. */
static const char *const rule_ids[] = {
    "COMM-3.vague",          "COMM-3.no-scope",
    "COMM-3.no-next-update", "COMM-3.premature-promise",
    "COMM-3.speculation",    "CAN-1.empty",
    "CAN-2.all-conditions",  "CAN-2.no-conditions",
    "CAN-2.implicit-needs",  "CAN-2.speculation",
    "CAN-2.promise",         "PM-4.blame",
};

#define RULE_COUNT (sizeof(rule_ids) / sizeof(rule_ids[0]))

/* ---- what the lints see ------------------------------------------------------ */

const inc__lint_config_view *inc__lint_config_view_of(const inc_lint_config *cfg)
{
    return cfg ? &cfg->view : NULL;
}

int inc__lint_config_off(const inc__lint_config_view *cfg, const char *rule_id)
{
    size_t i;
    if (!cfg)
        return 0;
    for (i = 0; i < cfg->noff; i++)
        if (strcmp(cfg->off[i], rule_id) == 0)
            return 1;
    return 0;
}

void inc__lint_config_lexicon(const inc__lint_config_view *cfg, inc__lexicon *lex)
{
    (void)cfg; /* a team's words are phrases, applied per sentence */
    inc__lint_lexicon(lex);
}

/* Does @w equal @want, or differ from it by a plural "s"? */
static int same_word(const char *w, const char *want)
{
    size_t n = strlen(w), m = strlen(want);
    if (n == m)
        return memcmp(w, want, n) == 0;
    if (n == m + 1 && w[n - 1] == 's')
        return memcmp(w, want, m) == 0;
    return m == n + 1 && want[m - 1] == 's' && memcmp(w, want, n) == 0;
}

/* The number of words after i that a match of @p at i covers, or -1. */
static int match(const inc__sentence *s, size_t i, const inc__lint_phrase *p)
{
    size_t k, j = i;
    for (k = 0; k < p->n; k++) {
        if (k && (j = inc__next_word(s, j, 0)) >= s->n)
            return -1;
        if (!inc__is_word(s, j) || !same_word(s->tok[j].low, p->word[k]))
            return -1;
    }
    return (int)(p->n - 1);
}

int inc__lint_next(inc__reader *r, const inc__lint_config_view *cfg, inc__sentence *s)
{
    size_t i, k;
    int more;
    if (!inc__reader_next(r, s))
        return 0;
    for (i = 0; cfg && i < s->n; i++)
        for (k = 0; k < cfg->nphrases; k++)
            if ((more = match(s, i, &cfg->phrases[k])) >= 0) {
                s->tok[i].bits |= cfg->phrases[k].bits;
                s->tok[i].flags |= INC__T_KNOWN;
                if ((unsigned)more > s->tok[i].more)
                    s->tok[i].more = (unsigned char)more;
            }
    return 1;
}

/* ---- the text format --------------------------------------------------------------- */

struct parser {
    struct inc__kv kv;
    inc_lint_config *cfg;
    int named;
    char val[VALUE_MAX + 1];
};

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

static const struct {
    const char *key;
    unsigned bits;
} phrase_keys[] = {
    {"service", INC__W_SCOPE},   {"vague", INC__W_VAGUE},     {"hedge", INC__W_HEDGE},
    {"promise", INC__W_PROMISE}, {"symptom", INC__W_SYMPTOM},
};

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '\'' || c == '-' || c == '.' || c == '/' || c == '_' ||
           c == '&' || c == ':';
}

/* Split the value into lower-case words: "Cloud SQL" -> {"cloud", "sql"}. */
static int to_phrase(struct parser *p, inc__lint_phrase *ph)
{
    const char *v = p->kv.val, *end = v + p->kv.val_len;
    memset(ph, 0, sizeof(*ph));
    while (v < end) {
        size_t n = 0;
        while (v < end && !word_byte((unsigned char)*v))
            v++;
        if (v == end)
            break;
        if (ph->n == INC__PHRASE_WORDS)
            return inc__kv_fail(&p->kv, INC_EINVAL, "'%.*s': at most %d words", (int)p->kv.key_len,
                                p->kv.key, INC__PHRASE_WORDS);
        while (v < end && word_byte((unsigned char)*v)) {
            if (n + 1 == INC__WORD_MAX)
                return inc__kv_fail(&p->kv, INC_EINVAL, "'%.*s': a word longer than %d bytes",
                                    (int)p->kv.key_len, p->kv.key, INC__WORD_MAX - 1);
            ph->word[ph->n][n++] = (*v >= 'A' && *v <= 'Z') ? (char)(*v - 'A' + 'a') : *v;
            v++;
        }
        ph->n++;
    }
    if (ph->n == 0)
        return inc__kv_fail(&p->kv, INC_EINVAL, "'%.*s': empty phrase", (int)p->kv.key_len,
                            p->kv.key);
    return INC_OK;
}

static int add_phrase(struct parser *p, unsigned bits)
{
    inc_lint_config *c = p->cfg;
    inc__lint_phrase ph;
    int rc = to_phrase(p, &ph);
    if (rc != INC_OK)
        return rc;
    if (c->nphrases == PHRASES_MAX)
        return inc__kv_fail(&p->kv, INC_ETOOBIG, "more than %d phrases", PHRASES_MAX);
    if (inc__array_reserve(&c->alloc, (void **)&c->phrases, &c->cap, c->nphrases + 1,
                           sizeof(*c->phrases)) != INC_OK)
        return inc__kv_fail(&p->kv, INC_ENOMEM, "out of memory");
    ph.bits = bits;
    c->phrases[c->nphrases++] = ph;
    return INC_OK;
}

static int add_off(struct parser *p)
{
    inc_lint_config *c = p->cfg;
    size_t i;
    for (i = 0; i < RULE_COUNT; i++)
        if (strlen(rule_ids[i]) == p->kv.val_len &&
            memcmp(rule_ids[i], p->kv.val, p->kv.val_len) == 0)
            break;
    if (i == RULE_COUNT)
        return inc__kv_fail(&p->kv, INC_EINVAL,
                            "off: '%s' is not a lint finding (COMM-3.vague, CAN-2.promise, "
                            "PM-4.blame, ...; lib/docs/lint-config.md lists them)",
                            p->kv.val);
    if (inc__array_reserve(&c->alloc, (void **)&c->off, &c->offcap, c->noff + 1, sizeof(*c->off)) !=
        INC_OK)
        return inc__kv_fail(&p->kv, INC_ENOMEM, "out of memory");
    c->off[c->noff++] = rule_ids[i];
    return INC_OK;
}

static int on_pair(void *user, struct inc__kv *kv, const char *vs, const char *ve)
{
    struct parser *p = user;
    size_t i;
    int rc = inc__kv_decode(kv, vs, ve);
    if (rc != INC_OK)
        return rc;
    if (kv->key_len == 4 && memcmp(kv->key, "name", 4) == 0) {
        if (p->named)
            return inc__kv_fail(kv, INC_EPARSE, "duplicate key 'name'");
        p->named = 1;
        return kv->val_len ? INC_OK : inc__kv_fail(kv, INC_EINVAL, "name: empty");
    }
    if (kv->key_len == 3 && memcmp(kv->key, "off", 3) == 0)
        return add_off(p);
    for (i = 0; i < sizeof(phrase_keys) / sizeof(phrase_keys[0]); i++)
        if (strlen(phrase_keys[i].key) == kv->key_len &&
            memcmp(phrase_keys[i].key, kv->key, kv->key_len) == 0)
            return add_phrase(p, phrase_keys[i].bits);
    return inc__kv_unknown_key(kv);
}

void inc_lint_config_free(inc_lint_config *cfg)
{
    inc_allocator a;
    if (!cfg)
        return;
    a = cfg->alloc;
    inc__free(&a, cfg->phrases);
    inc__free(&a, cfg->off);
    inc__free(&a, cfg);
}

int inc_lint_config_parse(const inc_allocator *alloc, const char *text, size_t len,
                          inc_lint_config **out, inc_diag *diag)
{
    struct parser p;
    inc_allocator a;
    int rc;

    inc__kv_diag_init(diag);
    memset(&p, 0, sizeof(p));
    p.kv.diag = diag;
    p.kv.header = HEADER;
    p.kv.version = FORMAT_VERSION;
    p.kv.flags = INC__KV_NAME_BAD_ESCAPE;
    p.kv.key_char = key_char;
    p.kv.val = p.val;
    p.kv.val_max = VALUE_MAX;
    if (out)
        *out = NULL;
    if (!text || !out)
        return inc__kv_fail(&p.kv, INC_EINVAL, "%s must not be NULL", !text ? "text" : "out");
    if (inc__alloc_init(&a, alloc) != INC_OK)
        return inc__kv_fail(&p.kv, INC_EINVAL, "alloc: incomplete allocator");
    if (!(p.cfg = inc__calloc(&a, 1, sizeof(*p.cfg))))
        return inc__kv_fail(&p.kv, INC_ENOMEM, "out of memory");
    p.cfg->alloc = a;
    rc = inc__kv_parse(&p.kv, text, len, on_pair, &p);
    if (rc == INC_OK)
        rc = inc__kv_check_end(&p.kv, 1);
    if (rc != INC_OK) {
        inc_lint_config_free(p.cfg);
        return rc;
    }
    p.cfg->view.phrases = p.cfg->phrases;
    p.cfg->view.nphrases = p.cfg->nphrases;
    p.cfg->view.off = p.cfg->off;
    p.cfg->view.noff = p.cfg->noff;
    *out = p.cfg;
    return INC_OK;
}
