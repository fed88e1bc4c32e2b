/* What an external update names as affected (COMM-3 no-scope): one of the
 * incident's components, a service of the team's catalogue, a product or
 * feature, a region, a qualified customer group, a pod or cluster, and the
 * subject of a clause that says something fails or recovers ("Hosted pages
 * are slow", "Solana withdrawals have resumed"). Read sentence by
 * sentence (lint_text.h); lib/docs/lint-config.md lists the words. */
#include <string.h>

#include "lint_text.h"
#include "update_lint_internal.h"
#include "util/text.h"

/* ---- the incident's components ------------------------------------------------ */

/* The word's lower-case form without a plural "s" ("webhooks" = "webhook"). */
static void singular(const char *w, char *out, size_t size)
{
    size_t n = strlen(w);
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, w, n);
    out[n] = '\0';
}

void inc__update_scope_init(inc__update_scope *u, const char *list)
{
    const char *p = list;
    u->ncomp = 0;
    while (p && *p && u->ncomp < INC__UPDATE_MAX_COMPONENTS) {
        inc__update_component *c = &u->comp[u->ncomp];
        const char *end = strchr(p, ',');
        size_t stop = end ? (size_t)(end - p) : strlen(p), i = 0;
        c->n = 0;
        while (i < stop && c->n < INC__UPDATE_MAX_COMP_WORDS) {
            char w[INC__WORD_MAX];
            size_t k = 0;
            while (i < stop && !((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
                                 (p[i] >= '0' && p[i] <= '9')))
                i++;
            while (i < stop && p[i] != ' ' && p[i] != '\t') {
                if (k + 1 < sizeof(w))
                    w[k++] = inc__ascii_lower(p[i]);
                i++;
            }
            w[k] = '\0';
            if (k)
                singular(w, c->word[c->n++], INC__WORD_MAX);
        }
        if (c->n)
            u->ncomp++;
        p = end ? end + 1 : NULL;
    }
}

static int names_component(const inc__update_scope *u, const inc__sentence *s)
{
    size_t c, i, j, k;
    for (c = 0; c < u->ncomp; c++)
        for (i = 0; i < s->n; i++) {
            for (j = i, k = 0; k < u->comp[c].n && j < s->n; k++, j = inc__next_word(s, j, 0)) {
                char w[INC__WORD_MAX];
                if (!(s->tok[j].flags & INC__T_WORD))
                    break;
                singular(s->tok[j].low, w, sizeof(w));
                if (strcmp(w, u->comp[c].word[k]) != 0)
                    break;
            }
            if (k == u->comp[c].n)
                return 1;
        }
    return 0;
}

/* ---- named things and subjects ------------------------------------------------ */

static int is_timeish(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    return inc__tok_is_time(s, i) || (t->bits & (INC__W_ZONE | INC__W_UNIT | INC__W_DAY)) ||
           (t->flags & INC__T_DIGIT && !(t->flags & INC__T_JOINED) &&
            strspn(t->low, "0123456789:.-/+") + 2 >= strlen(t->low));
}

/* A named thing anywhere: "Actions", "EU", "us-east-1", "Pod 17", "NA112",
 * a feature noun, a team's service name. */
static int named_at(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    if (!inc__is_word(s, i) || (t->flags & INC__T_QUOTED) || is_timeish(s, i))
        return 0;
    if (t->bits & (INC__W_SCOPE | INC__W_FEATURE))
        return 1;
    if (t->bits & (INC__W_NONAME | INC__W_ZONE | INC__W_DAY))
        return 0;
    if (t->flags & INC__T_ALLCAPS)
        return 1;
    if ((t->flags & INC__T_DIGIT) && strpbrk(t->low, "abcdefghijklmnopqrstuvwxyz"))
        return !(t->flags & INC__T_KNOWN);
    /* a capitalised word inside a sentence is a name even when it is also
     * an English word: "Actions", "Workers", "Pages", "Hosting" */
    return (t->flags & INC__T_CAP) && !(t->flags & INC__T_FIRST) &&
           (!(t->flags & INC__T_KNOWN) ||
            !(t->bits & ~(INC__W_FILLER | INC__W_FEATURE | INC__W_THING)));
}

/* The word classes of a clause (INC__W_SYMPTOM also for a quoted
 * message or a negated verb): does it speak of the trouble? */
static unsigned clause_bits(const inc__sentence *s, unsigned clause)
{
    unsigned b = 0;
    size_t i;
    for (i = 0; i < s->n; i++) {
        if (s->tok[i].clause != clause)
            continue;
        if (inc__update_symptom_at(s, i))
            b |= INC__W_SYMPTOM;
        if (!(s->tok[i].flags & INC__T_QUOTED))
            b |= s->tok[i].bits;
    }
    return b;
}

static int auxiliary(const inc__sentence *s, size_t i)
{
    static const char *const aux[] = {"have", "has", "had", "been", "be",  "being",
                                      "is",   "are", "was", "were", "get", "got"};
    size_t k;
    if (!inc__tok_has(s, i, INC__W_AUX)) /* most words: one test */
        return 0;
    for (k = 0; k < sizeof(aux) / sizeof(aux[0]); k++)
        if (inc__tok_is(s, i, aux[k]))
            return 1;
    return 0;
}

/* A content word in a clause about the trouble: "unable to join meetings",
 * "timeouts when uploading attachments". */
static int content_at(const inc__sentence *s, size_t i, unsigned cbits)
{
    const inc__tok *t = &s->tok[i];
    if (!inc__is_word(s, i) || (t->flags & (INC__T_KNOWN | INC__T_QUOTED)) || is_timeish(s, i))
        return 0;
    if (strlen(t->low) < 3 && !(t->flags & INC__T_ALLCAPS))
        return 0;
    if (strlen(t->low) > 4 && strcmp(t->low + strlen(t->low) - 2, "ly") == 0)
        return 0; /* an adverb ("actively") names nothing */
    if (strlen(t->low) > 4 &&
        (strcmp(t->low + strlen(t->low) - 2, "ed") == 0 ||
         strcmp(t->low + strlen(t->low) - 3, "ing") == 0) &&
        i > 0 && auxiliary(s, i - 1))
        return 0; /* nor a verb: "have returned", "were queued", "is flowing" */
    if ((t->flags & INC__T_FIRST) && (t->flags & INC__T_CAP))
        return (cbits & (INC__W_SYMPTOM | INC__W_RECOVERY)) != 0;
    return 1;
}

static int all_users(const inc__sentence *s, size_t i)
{
    size_t j = inc__next_word(s, i, 1);
    if (!inc__tok_is(s, i, "all"))
        return 0;
    if (inc__tok_is(s, j, "affected"))
        return 0;
    return j < s->n && (s->tok[j].bits & INC__W_USER);
}

/* The words of a clause of waiting ("while caches warm up", "until the
 * queue drains", "once replication catches up"): they tell what the team
 * waits on, not what customers use, so a plain word there is no scope (a
 * named thing still is). "when" and "if" clauses are not waiting: "errors
 * when publishing packages" names what users do. */
static void waiting_clause(const inc__sentence *s, unsigned char *in)
{
    size_t i, j;
    memset(in, 0, s->n);
    for (i = 0; i < s->n; i++)
        if (inc__tok_is(s, i, "while") || inc__tok_is(s, i, "until") || inc__tok_is(s, i, "once"))
            for (j = i; j < s->n && s->tok[j].clause == s->tok[i].clause; j++)
                in[j] = 1;
}

/* Words between a subject and its verb's head: "is", "have been", "can't",
 * "remain", "will", "are still", "not". */
static int verb_group_at(const inc__sentence *s, size_t i)
{
    static const char *const verbs[] = {
        "can",    "cannot",  "can't",  "could",   "couldn't", "may",       "might",
        "will",   "won't",   "should", "would",   "do",       "does",      "did",
        "don't",  "doesn't", "didn't", "isn't",   "aren't",   "wasn't",    "weren't",
        "hasn't", "haven't", "remain", "remains", "continue", "continues", "keep",
        "keeps",  "seem",    "seems",  "appear",  "appears"};
    size_t k;
    if (auxiliary(s, i))
        return 1;
    for (k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++)
        if (inc__tok_is(s, i, verbs[k]))
            return 1;
    return 0;
}

static int adverb(const inc__sentence *s, size_t i)
{
    size_t n = strlen(s->tok[i].low);
    return (n > 4 && strcmp(s->tok[i].low + n - 2, "ly") == 0 &&
            !(s->tok[i].bits & (INC__W_SYMPTOM | INC__W_RECOVERY))) ||
           inc__tok_is(s, i, "still") || inc__tok_is(s, i, "now") || inc__tok_is(s, i, "also") ||
           inc__tok_is(s, i, "being") || inc__tok_is(s, i, "been") || inc__tok_is(s, i, "be") ||
           inc__tok_is(s, i, "to") || inc__tok_is(s, i, "not") || inc__tok_is(s, i, "again");
}

/* A verb followed by "again" says something works once more: "works
 * again", "loads again", "is working again". */
static int again_after(const inc__sentence *s, size_t i)
{
    size_t next = inc__next_word(s, i, 1);
    return next < s->n && inc__tok_is(s, next, "again");
}

/* Is the word at i, the head of a predicate, about the trouble or its end:
 * "slow", "failing", "not loading", "resumed", "working again", "loading
 * normally", "back to normal"? */
static int trouble_head(const inc__sentence *s, size_t i)
{
    size_t next = inc__next_word(s, i, 1);
    if (inc__update_symptom_at(s, i) || inc__update_outcome_at(s, i) ||
        (s->tok[i].bits & (INC__W_RECOVERY | INC__W_OUTCOME)) || again_after(s, i))
        return 1;
    return (inc__tok_has(s, next, INC__W_RECOVERY) && !inc__tok_is(s, next, "back")) ||
           inc__update_symptom_at(s, next); /* "arriving late", "loading slowly" */
}

/* A word of a subject that names a thing: a feature, a team's service, a
 * name, a word the lexicon does not know ("withdrawals", "registry"), or
 * the machinery itself ("Hosted pages", "Cache nodes"). */
static int subject_names(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    size_t n = strlen(t->low);
    if (!inc__is_word(s, i) || (t->flags & INC__T_QUOTED) || is_timeish(s, i))
        return 0;
    if (t->bits & (INC__W_USER | INC__W_PERSON | INC__W_GENERIC | INC__W_NONAME | INC__W_DET))
        return 0;
    if (named_at(s, i) || (t->bits & INC__W_THING))
        return 1;
    return !(t->flags & INC__T_KNOWN) && n >= 3 && strcmp(t->low + n - 2, "ly") != 0;
}

/* The subject of a clause that says something fails or recovers names
 * what is affected: "Hosted pages are slow", "Solana withdrawals have
 * resumed", "Publishing to the npm registry is working again", "Checkout
 * fails for EU customers". Not when its verb says what someone sees or
 * does ("Cloudflare is investigating errors", "Users are seeing
 * errors"), nor when it names nothing ("Error rates are elevated", "All
 * systems are operational"). @first is the clause's first token. */
static int subject_scope(const inc__sentence *s, size_t first)
{
    size_t i, j, head = s->n, words = 0;
    unsigned clause = s->tok[first].clause;
    for (i = first; i < s->n && s->tok[i].clause == clause && words < 8; i++) {
        if (!inc__is_word(s, i))
            continue;
        if (i > first && verb_group_at(s, i)) {
            for (j = inc__next_word(s, i, 1); j < s->n && (adverb(s, j) || verb_group_at(s, j));)
                j = inc__next_word(s, j, 1);
            head = j;
            break;
        }
        if (i > first && (inc__update_symptom_at(s, i) || again_after(s, i) ||
                          (s->tok[i].bits & (INC__W_RECOVERY | INC__W_OUTCOME)))) {
            head = i;
            break;
        }
        words++;
    }
    if (head >= s->n || !trouble_head(s, head))
        return 0;
    for (j = first; j < i; j++)
        if (subject_names(s, j))
            return 1;
    return 0;
}

/* A word that can start a subject: the first of its clause ("Since 14:00
 * UTC, the marketplace is slow") or the one after "and" or "but" ("chat
 * is slow and Whispers are delayed"); not a condition's or a "while"
 * clause's opening word. */
static int subject_start(const inc__sentence *s, size_t i)
{
    if (!inc__is_word(s, i) || (i > 0 && s->tok[i - 1].clause == s->tok[i].clause &&
                                !inc__tok_is(s, i - 1, "and") && !inc__tok_is(s, i - 1, "but")))
        return 0;
    return !(s->tok[i].bits & INC__W_COND) && !inc__tok_is(s, i, "and") &&
           !inc__tok_is(s, i, "but") && !inc__tok_is(s, i, "while");
}

int inc__update_scope_names(const inc__update_scope *u, const inc__sentence *s)
{
    unsigned cb[INC__SENT_MAX_TOKENS];
    unsigned char wait[INC__SENT_MAX_TOKENS];
    size_t i;
    if (names_component(u, s))
        return 1;
    /* a clause index never exceeds the token count: one pass per clause */
    for (i = 0; i < s->n; i++)
        cb[i] = i == 0 || s->tok[i].clause != s->tok[i - 1].clause
                    ? clause_bits(s, s->tok[i].clause)
                    : cb[i - 1];
    waiting_clause(s, wait);
    for (i = 0; i < s->n; i++) {
        int about =
            (cb[i] & (INC__W_SYMPTOM | INC__W_GENERIC | INC__W_RECOVERY | INC__W_IMPACT)) != 0;
        if (named_at(s, i) || all_users(s, i) || (about && !wait[i] && content_at(s, i, cb[i])) ||
            (subject_start(s, i) && subject_scope(s, i)))
            return 1;
    }
    return 0;
}
