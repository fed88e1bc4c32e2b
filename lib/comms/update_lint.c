/* The external-update lint (COMM-3): reads the update sentence by
 * sentence (lint_text.h) and reports
 *   - vague: the trouble is named only in general words ("an issue",
 *     "some problems") and no sentence says what users see;
 *   - no-scope: nothing affected is named (a component, a service of the
 *     team's catalogue, a product or feature, a region, a qualified
 *     customer group, a pod or cluster);
 *   - no-next-update: no sentence commits to the next update with a time;
 *   - premature-promise: an asserted outcome or ETA before resolution,
 *     outside any condition ("once ...", "until ...");
 *   - speculation: a cause asserted with a hedge.
 * include/incident/comms.h documents the rules; lib/docs/lint-config.md
 * the words and how a team adds its own. */
#include <stdio.h>
#include <string.h>

#include "comms_internal.h"
#include "incident/lint_config.h"
#include "lint_config_internal.h"
#include "lint_text.h"
#include "update_lint_internal.h"
#include "util/text.h"

typedef struct update_scan {
    inc_findings *list;
    const char *text;
    const inc__lint_config_view *cfg;
    inc__update_scope where;
    int open;
    int symptom, scope, next_update;
    int generic;
    size_t generic_off, generic_len;
    int rc;
} update_scan;

/* ---- words ---------------------------------------------------------------- */

/* The word's lower-case form without a plural "s" ("webhooks" = "webhook"). */
static int word(const inc__sentence *s, size_t i)
{
    return i < s->n && (s->tok[i].flags & INC__T_WORD);
}

static int starts(const char *w, const char *prefix)
{
    return strncmp(w, prefix, strlen(prefix)) == 0;
}

/* ---- symptoms and vague words ----------------------------------------------- */

/* "not loading", "could not create", "not be able to": a negated verb. */
static int negated_verb(const inc__sentence *s, size_t i)
{
    static const char *const skip[] = {"be",           "being",     "been",     "yet",
                                       "always",       "currently", "properly", "fully",
                                       "consistently", "to",        "get"};
    size_t j = i, hops, k;
    for (hops = 0; hops < 3; hops++) {
        const char *w;
        j = inc__next_word(s, j, 1);
        if (j >= s->n)
            return 0;
        w = s->tok[j].low;
        for (k = 0; k < sizeof(skip) / sizeof(skip[0]); k++)
            if (strcmp(w, skip[k]) == 0)
                break;
        if (k < sizeof(skip) / sizeof(skip[0]))
            continue;
        if (s->tok[j].bits & (INC__W_IMPACT | INC__W_DET | INC__W_COMM | INC__W_ESTIMATE))
            return 0;
        if (strcmp(w, "expected") == 0 || strcmp(w, "aware") == 0 || strcmp(w, "sure") == 0 ||
            strcmp(w, "known") == 0 || strcmp(w, "have") == 0)
            return 0;
        if (strcmp(w, "working") == 0)
            return inc__next_word(s, j, 1) >= s->n ||
                   !inc__tok_is(s, inc__next_word(s, j, 1), "as");
        /* any verb but a bare feature noun: "not loading", "not be able", "not restored" */
        return !(s->tok[j].bits & INC__W_FEATURE) || (s->tok[j].bits & INC__W_OUTCOME);
    }
    return 0;
}

/* Does the generic word at i describe something users see ("trouble
 * uploading files")? */
static int trouble_doing(const inc__sentence *s, size_t i)
{
    /* -ing words that are prepositions or causes: "issues regarding
     * billing", "a problem causing errors" say no more than the noun */
    static const char *const not_doing[] = {"regarding",   "concerning", "involving", "including",
                                            "surrounding", "following",  "causing",   "during",
                                            "impacting",   "affecting"};
    size_t j = inc__next_word(s, i, 1), n, k;
    if (j >= s->n || (s->tok[j].bits & INC__W_IMPACT))
        return 0; /* "issues affecting checkout" */
    for (k = 0; k < sizeof(not_doing) / sizeof(not_doing[0]); k++)
        if (inc__tok_is(s, j, not_doing[k]))
            return 0;
    n = strlen(s->tok[j].low);
    return n > 4 && strcmp(s->tok[j].low + n - 3, "ing") == 0;
}

int inc__update_symptom_at(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    if (!word(s, i))
        return 0;
    if (t->flags & INC__T_QUOTED)
        return 1; /* the words users see */
    if (t->bits & INC__W_SYMPTOM) {
        if (inc__tok_is(s, i, "down") || inc__tok_is(s, i, "back"))
            return i > 0 && (inc__tok_is(s, i - 1, "is") || inc__tok_is(s, i - 1, "are") ||
                             inc__tok_is(s, i - 1, "went") || inc__tok_is(s, i - 1, "was"));
        return 1;
    }
    if ((t->bits & INC__W_NEG) && negated_verb(s, i))
        return 1;
    if (starts(t->low, "tim") && inc__tok_is(s, inc__next_word(s, i, 1), "out"))
        return 1; /* "timing out", "timed out" */
    return (t->bits & INC__W_GENERIC) && trouble_doing(s, i);
}

/* "incident report", "issue tracker": the generic word names a document
 * or a tool, not the trouble. */
static int names_a_document(const inc__sentence *s, size_t i)
{
    static const char *const docs[] = {"report",   "review",  "summary", "postmortem",
                                       "response", "tracker", "history", "retrospective"};
    size_t j = inc__next_word(s, i, 1), k;
    for (k = 0; k < sizeof(docs) / sizeof(docs[0]); k++)
        if (inc__tok_is(s, j, docs[k]))
            return 1;
    return 0;
}

/* A generic mention of the trouble at i ("an issue", "technical
 * difficulties", "something went wrong", "not working as expected"),
 * with its length in *len. */
static int generic_at(const inc__sentence *s, size_t i, size_t *len)
{
    const inc__tok *t = &s->tok[i];
    size_t j;
    if (!word(s, i) || (t->flags & INC__T_QUOTED))
        return 0;
    *len = t->len;
    if (inc__tok_is(s, i, "something") && inc__tok_is(s, inc__next_word(s, i, 1), "went"))
        return 1;
    if ((inc__tok_is(s, i, "unexpected") || inc__tok_is(s, i, "unusual")) &&
        (j = inc__next_word(s, i, 1)) < s->n && starts(s->tok[j].low, "behavio"))
        return 1;
    if (inc__tok_is(s, i, "working") && i > 0 && (s->tok[i - 1].bits & INC__W_NEG) &&
        (inc__tok_is(s, inc__next_word(s, i, 1), "as") ||
         inc__tok_is(s, inc__next_word(s, i, 1), "properly") ||
         inc__tok_is(s, inc__next_word(s, i, 1), "correctly")))
        return 1;
    if (t->bits & INC__W_VAGUE) { /* a team's vague phrase */
        j = inc__phrase_last(s, i);
        *len = s->tok[j].off + s->tok[j].len - t->off;
        return 1;
    }
    if (!(t->bits & INC__W_GENERIC) || trouble_doing(s, i) || names_a_document(s, i))
        return 0;
    /* "further issues", "any new problems": looking ahead, not this trouble */
    for (j = i; j-- > 0 && i - j <= 3;)
        if (s->tok[j].bits & INC__W_QUAL)
            return 0;
    return 1;
}

/* The words in front of a generic noun that belong to the vague phrase:
 * "experiencing some issues", "having technical difficulties". */
static size_t vague_start(const inc__sentence *s, size_t i)
{
    static const char *const lead[] = {
        "some",    "technical", "minor", "intermittent", "unexpected", "few",          "certain",
        "ongoing", "an",        "a",     "experiencing", "having",     "encountering", "facing"};
    size_t first = i, k;
    while (first > 0 && inc__is_word(s, first - 1)) {
        for (k = 0; k < sizeof(lead) / sizeof(lead[0]); k++)
            if (inc__tok_is(s, first - 1, lead[k]))
                break;
        if (k == sizeof(lead) / sizeof(lead[0]))
            break;
        first--;
        if (k >= 10)
            break; /* the verb starts the phrase */
    }
    return first;
}

/* "Voice API call completion rates are back to normal": a named thing
 * that recovered says what was wrong as a symptom does. */
static int named_recovery(const update_scan *u, const inc__sentence *s)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if ((s->tok[i].bits & INC__W_RECOVERY) && !(s->tok[i].flags & INC__T_QUOTED))
            return inc__update_scope_names(&u->where, s);
    return 0;
}

static void read_trouble(update_scan *u, const inc__sentence *s)
{
    size_t i, len, first;
    if (!u->symptom && named_recovery(u, s))
        u->symptom = 1;
    for (i = 0; i < s->n; i++) {
        if (inc__update_symptom_at(s, i))
            u->symptom = 1;
        else if (!u->generic && generic_at(s, i, &len)) {
            first = vague_start(s, i);
            u->generic = 1;
            u->generic_off = s->tok[first].off;
            u->generic_len = s->tok[i].off + len - s->tok[first].off;
        }
    }
}

/* ---- the next update ---------------------------------------------------------- */

static void read_next_update(update_scan *u, const inc__sentence *s)
{
    size_t i;
    int comm = 0, future = 0, time = 0;
    for (i = 0; i < s->n; i++) {
        const inc__tok *t = &s->tok[i];
        if (!word(s, i) || (t->flags & INC__T_QUOTED))
            continue;
        if (t->bits & INC__W_COMM)
            comm = 1;
        if ((t->bits & INC__W_FUTURE) || inc__tok_is(s, i, "in"))
            future = 1;
        if (inc__tok_is_time(s, i))
            time = 1;
    }
    if (comm && future && time)
        u->next_update = 1;
}

/* ---- findings with a span ---------------------------------------------------- */

static void add(update_scan *u, const char *kind, size_t off, size_t len, const char *hint)
{
    inc_finding f;
    char rule[48];
    snprintf(rule, sizeof(rule), "COMM-3.%s", kind);
    if (u->rc != INC_OK || inc__lint_config_off(u->cfg, rule))
        return;
    inc__finding_init(&f, rule);
    f.slot = 0;
    f.offset = off;
    f.length = len;
    if (len)
        u->rc = inc__findings_add(u->list, &f, "COMM-3: %s: \"%.*s\" at byte %zu: %s", kind,
                                  (int)len, u->text + off, off, hint);
    else
        u->rc = inc__findings_add(u->list, &f, "COMM-3: %s: %s", kind, hint);
}

static int is_copula(const inc__sentence *s, size_t i)
{
    if (!inc__tok_has(s, i, INC__W_AUX)) /* most words: one test */
        return 0;
    return inc__tok_is(s, i, "is") || inc__tok_is(s, i, "are") || inc__tok_is(s, i, "was") ||
           inc__tok_is(s, i, "were") || inc__tok_is(s, i, "be") || inc__tok_is(s, i, "it's");
}

/* ---- promises ----------------------------------------------------------------- */

int inc__update_outcome_at(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    if (!word(s, i))
        return 0;
    if ((starts(t->low, "work") || starts(t->low, "function")) &&
        inc__tok_is(s, inc__next_word(s, i, 1), "again"))
        return 1;
    if (inc__tok_is(s, i, "caught") || inc__tok_is(s, i, "catch"))
        return inc__tok_is(s, inc__next_word(s, i, 1), "up");
    return (t->bits & INC__W_OUTCOME) != 0;
}

/* Does the team speak of itself before the modal at i ("we will", "I'll",
 * "our engineers will")? Then a time says when it acts, not when service
 * recovers ("we will be monitoring for the next 30 minutes"). */
static int team_subject(const inc__sentence *s, size_t i)
{
    size_t p = i;
    if (starts(s->tok[i].low, "we'") || starts(s->tok[i].low, "i'"))
        return 1;
    while (p-- > 0 && !word(s, p))
        ;
    return p < s->n && s->tok[p].clause == s->tok[i].clause &&
           (inc__tok_is(s, p, "we") || inc__tok_is(s, p, "i") || inc__tok_is(s, p, "team") ||
            (s->tok[p].bits & INC__W_PERSON));
}

/* A word about communication in the clause before i: "our next update
 * will be in 30 minutes". */
static int comm_before(const inc__sentence *s, size_t i)
{
    size_t p;
    for (p = i; p-- > 0 && s->tok[p].clause == s->tok[i].clause;)
        if (s->tok[p].bits & INC__W_COMM)
            return 1;
    return 0;
}

/* "we'll confirm recovery", "we will verify the fix": the team checks an
 * outcome, it does not promise one. */
static int checking_verb(const inc__sentence *s, size_t i)
{
    static const char *const verbs[] = {"confirm",  "verify",      "monitor", "check",
                                        "validate", "investigate", "watch",   "ensure"};
    size_t k;
    for (k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++)
        if (inc__tok_is(s, i, verbs[k]))
            return 1;
    return 0;
}

/* From a modal at i: "will be fully restored", "should be back", "'ll
 * have this fixed", "will take another 5-10 minutes", "the fix should be
 * live in 10 minutes". End of the span, or 0. "We'll be back with more"
 * and "we will improve" are the team's acts, not outcomes. */
static size_t modal_promise(const inc__sentence *s, const unsigned char *in, size_t i)
{
    size_t j = i, hops, k;
    int team = team_subject(s, i);
    if (comm_before(s, i))
        return 0;
    for (hops = 0; hops < 5; hops++) {
        j = inc__next_word(s, j, 1);
        if (j >= s->n || in[j] || (s->tok[j].bits & (INC__W_NEG | INC__W_COMM)) ||
            checking_verb(s, j))
            return 0;
        if (!team && (s->tok[j].bits & INC__W_SOON))
            return j;                       /* "the fix will take effect soon" */
        if (inc__update_outcome_at(s, j)) { /* "should be resolved soon": the span takes "soon" */
            if (team && (inc__tok_is(s, j, "back") || starts(s->tok[j].low, "improv")))
                return 0;
            return inc__tok_has(s, inc__next_word(s, j, 1), INC__W_SOON) ? inc__next_word(s, j, 1)
                                                                         : j;
        }
        if (inc__tok_is(s, j, "take") || inc__tok_is(s, j, "takes")) {
            k = inc__next_word(s, j, 1);
            if (k < s->n &&
                (inc__tok_is_time(s, k) || inc__tok_is_time(s, inc__next_word(s, k, 1))))
                return inc__next_word(s, k, 1) < s->n ? inc__next_word(s, k, 1) : k;
        }
        if (!team && inc__tok_is_time(s, j)) { /* an ETA: "live in 10 minutes" */
            k = inc__next_word(s, j, 1);
            return inc__tok_has(s, k, INC__W_UNIT | INC__W_ZONE) ? k : j;
        }
    }
    return 0;
}

/* From an estimate at i ("we expect", "we estimate", "ETA"): an outcome
 * or a time later in the clause, with no promise to communicate between. */
static size_t estimate_promise(const inc__sentence *s, const unsigned char *in, size_t i)
{
    size_t j, back;
    for (back = i; back-- > 0 && i - back <= 3;)
        if (s->tok[back].bits & INC__W_NEG)
            return 0; /* "we do not have an ETA" */
    for (j = inc__next_word(s, i, 0); j < s->n; j = inc__next_word(s, j, 0)) {
        if (in[j] || (s->tok[j].bits & INC__W_COMM))
            return 0;
        if (inc__update_outcome_at(s, j) || inc__tok_is_time(s, j))
            return j;
    }
    return 0;
}

/* "is resolved", "has been fixed", "are fully resolved", "all clear":
 * the trouble declared over while the incident is still open. */
static size_t resolved_claim(const inc__sentence *s, const unsigned char *in, size_t i)
{
    size_t j = i;
    if (inc__tok_is(s, i, "all") && inc__tok_is(s, inc__next_word(s, i, 1), "clear"))
        return inc__next_word(s, i, 1);
    if (!is_copula(s, i) && !((inc__tok_is(s, i, "has") || inc__tok_is(s, i, "have")) &&
                              inc__tok_is(s, inc__next_word(s, i, 1), "been")))
        return 0; /* "the fix has resolved X" reports the fix, not the end */
    while ((j = inc__next_word(s, j, 1)) < s->n && !in[j] &&
           (inc__tok_is(s, j, "been") || inc__tok_is(s, j, "now") || inc__tok_is(s, j, "fully") ||
            inc__tok_is(s, j, "completely")))
        ;
    return j < s->n && !in[j] && (inc__tok_is(s, j, "resolved") || inc__tok_is(s, j, "fixed")) ? j
                                                                                               : 0;
}

static int is_modal(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    size_t n = strlen(t->low);
    if (!word(s, i) || (t->flags & INC__T_QUOTED))
        return 0;
    if (inc__tok_is(s, i, "will") && (t->flags & INC__T_CAP) && !(t->flags & INC__T_FIRST))
        return 0; /* Will, a name */
    if ((t->bits & INC__W_MODAL) || (n > 3 && strcmp(t->low + n - 3, "'ll") == 0))
        return 1;
    return inc__tok_is(s, i, "going") && inc__tok_is(s, i + 1, "to");
}

/* "recovery is expected by 18:00", "service is expected to be restored":
 * an estimate in the passive ("as expected", "than expected" are not). */
static int passive_estimate(const inc__sentence *s, size_t i)
{
    return inc__tok_is(s, i, "expected") && i > 0 && is_copula(s, i - 1);
}

static void read_promises(update_scan *u, const inc__sentence *s)
{
    unsigned char in[INC__SENT_MAX_TOKENS];
    size_t i, end;
    inc__conditions(s, in);
    for (i = 0; i < s->n; i++) {
        const inc__tok *t = &s->tok[i];
        if (in[i] || !word(s, i) || (t->flags & INC__T_QUOTED))
            continue;
        end = 0;
        if (is_modal(s, i))
            end = modal_promise(s, in, i);
        else if ((t->bits & INC__W_ESTIMATE) || passive_estimate(s, i))
            end = estimate_promise(s, in, i);
        else if (t->bits & INC__W_PROMISE)
            end = inc__phrase_last(s, i); /* a team's promise phrase */
        else if (inc__update_outcome_at(s, i) &&
                 (inc__tok_has(s, inc__next_word(s, i, 1), INC__W_SOON)))
            end = inc__next_word(s, i, 1);
        else if (inc__tok_is(s, i, "any") && inc__tok_is(s, inc__next_word(s, i, 1), "minute"))
            end = inc__next_word(s, i, 1);
        else
            end = resolved_claim(s, in, i);
        if (end > i || (t->bits & INC__W_PROMISE)) {
            add(u, "premature-promise", t->off, s->tok[end].off + s->tok[end].len - t->off,
                "a promise before the fix is verified: say what is being done and when the "
                "next update is, not when it will be fixed");
            return; /* one per sentence */
        }
    }
}

/* ---- speculation ------------------------------------------------------------ */

/* A cause asserted at i: "caused by", "due to", "related to", "linked
 * to", "tied to", "is behind", "result of", "points to", "responsible",
 * "explain". */
/* "what's causing this", "whether it caused": a question about the cause
 * asserts none. */
static int cause_in_question(const inc__sentence *s, size_t i)
{
    size_t p = i;
    while (p-- > 0 && (!word(s, p) || inc__tok_is(s, p, "is") || inc__tok_is(s, p, "was")))
        ;
    return p < s->n && (inc__tok_is(s, p, "what") || inc__tok_is(s, p, "what's") ||
                        inc__tok_is(s, p, "whether") || inc__tok_is(s, p, "how"));
}

/* The noun "cause" asserts one only when something is said to be it:
 * "the cause appears to be X", "X may be the cause", "a likely cause for
 * the failures: X"; not "we have found the cause and are deploying a
 * fix". */
static int cause_is_stated(const inc__sentence *s, size_t i)
{
    size_t j = i, hops;
    for (hops = 0; hops < 4; hops++) { /* "the cause appears to be", "the cause is" */
        j = inc__next_word(s, j, 1);
        if (j >= s->n || inc__tok_is(s, j, "and") || inc__tok_is(s, j, "but"))
            break;
        if (is_copula(s, j) || starts(s->tok[j].low, "appear") || starts(s->tok[j].low, "seem") ||
            starts(s->tok[j].low, "look"))
            return 1;
    }
    for (j = i, hops = 0; j-- > 0 && hops < 4; hops++) /* "may be the cause" */
        if (is_copula(s, j))
            return 1;
        else if (!(s->tok[j].bits & (INC__W_DET | INC__W_HEDGE | INC__W_CAUSE)) &&
                 !inc__tok_is(s, j, "main") && !inc__tok_is(s, j, "primary"))
            break;
    for (j = i; j < s->n && s->tok[j].clause == s->tok[i].clause; j++) /* "cause for X: Y" */
        ;
    /* the ':' that ends the clause belongs to it or opens the next one */
    return j < s->n && (s->tok[j - 1].punct == ':' || s->tok[j].punct == ':') &&
           inc__next_word(s, j - 1, 0) < s->n;
}

static int cause_at(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    size_t j = inc__next_word(s, i, 1);
    if (!word(s, i) || !(t->bits & INC__W_CAUSE) || (t->flags & INC__T_QUOTED) ||
        cause_in_question(s, i))
        return 0;
    if (inc__tok_is(s, i, "cause") || inc__tok_is(s, i, "causes"))
        return cause_is_stated(s, i);
    if (starts(t->low, "suggest") || starts(t->low, "indicat"))
        return inc__tok_is(s, j, "a") || inc__tok_is(s, j, "an") || inc__tok_is(s, j, "the");
    if (inc__tok_is(s, i, "due") || starts(t->low, "relat") || starts(t->low, "point") ||
        starts(t->low, "trace") || starts(t->low, "attribut") || starts(t->low, "contribut") ||
        starts(t->low, "link") || starts(t->low, "tie"))
        return inc__tok_is(s, j, "to");
    if (starts(t->low, "result"))
        return inc__tok_is(s, j, "of") || inc__tok_is(s, j, "from");
    if (inc__tok_is(s, i, "behind"))
        return i > 0 && (inc__tok_is(s, i - 1, "is") || inc__tok_is(s, i - 1, "are") ||
                         inc__tok_is(s, i - 1, "be"));
    if (inc__tok_is(s, i, "root"))
        return 0; /* "root cause": the cause word follows */
    return 1;
}

/* "could be a problem with X", "suspect a capacity problem": an
 * explanation in general words after a hedge at i. */
/* "a large share", "a small number": an amount, not an explanation. */
static int amount(const inc__sentence *s, size_t i)
{
    static const char *const words[] = {"share",    "number",     "portion",  "subset",  "majority",
                                        "minority", "percentage", "fraction", "handful", "lot",
                                        "few",      "small",      "large",    "couple"};
    size_t k;
    for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (inc__tok_is(s, i, words[k]))
            return 1;
    return 0;
}

/* A change the team or a provider made, the usual suspect of an outage:
 * "deploy", "release", "configuration change", "migration". */
static int change_word(const inc__sentence *s, size_t i)
{
    static const char *const stems[] = {"deploy",     "release",  "change",    "migrat",
                                        "upgrad",     "rollout",  "config",    "misconfig",
                                        "certificat", "failover", "regression"};
    size_t k;
    for (k = 0; k < sizeof(stems) / sizeof(stems[0]); k++)
        if (starts(s->tok[i].low, stems[k]))
            return 1;
    return 0;
}

/* After an article at @a: a noun phrase of at most three words, before any
 * verb, whose words include an explanation in general words ("a capacity
 * problem") or a change ("a bad deploy", "a configuration change"): not
 * "a fix is deployed", not "a small number". */
static int explaining_phrase(const inc__sentence *s, size_t a)
{
    size_t j = a, hops;
    if (amount(s, inc__next_word(s, a, 1)))
        return 0;
    for (hops = 0; hops < 3; hops++) {
        j = inc__next_word(s, j, 1);
        if (j >= s->n || s->tok[j].clause != s->tok[a].clause || is_copula(s, j) ||
            inc__tok_is(s, j, "has") || inc__tok_is(s, j, "have") || inc__tok_is(s, j, "will") ||
            inc__tok_is(s, j, "was") || inc__tok_is(s, j, "were"))
            return 0;
        if ((s->tok[j].bits & INC__W_GENERIC) || change_word(s, j))
            return 1;
    }
    return 0;
}

/* An evidential verb asserts a cause by itself, hedged by its nature:
 * "logs suggest a bad deploy", "early signs point to a DNS problem", "data
 * indicates a configuration change"; not "metrics indicate a recovery".
 * Returns the verb's index, or s->n. */
static size_t evidential_cause(const inc__sentence *s)
{
    size_t i, j;
    for (i = 0; i < s->n; i++) {
        if (!word(s, i) || (s->tok[i].flags & INC__T_QUOTED) || cause_in_question(s, i))
            continue;
        j = inc__next_word(s, i, 1);
        if (starts(s->tok[i].low, "point") && inc__tok_is(s, j, "to"))
            j = inc__next_word(s, j, 1);
        else if (!starts(s->tok[i].low, "suggest") && !starts(s->tok[i].low, "indicat"))
            continue;
        if ((inc__tok_is(s, j, "a") || inc__tok_is(s, j, "an") || inc__tok_is(s, j, "the")) &&
            explaining_phrase(s, j))
            return i;
    }
    return s->n;
}

/* An explanation after the hedge at i: "could be a problem with X",
 * "suspect a capacity problem", "were likely a bad deploy", "probably
 * from DNS". */
static int explanation_after(const inc__sentence *s, size_t i)
{
    size_t j = i, hops;
    int article = 0, copula = is_copula(s, i > 0 ? i - 1 : i) || inc__tok_is(s, i + 1, "be");
    size_t n = inc__next_word(s, i, 1);
    if (inc__tok_is(s, n, "from"))
        return 1;
    /* "probably the database", "maybe our DNS provider": a suspect named */
    if ((inc__tok_is(s, i, "probably") || inc__tok_is(s, i, "likely") ||
         inc__tok_is(s, i, "possibly") || inc__tok_is(s, i, "maybe") ||
         inc__tok_is(s, i, "perhaps")) &&
        (inc__tok_is(s, n, "the") || inc__tok_is(s, n, "a") || inc__tok_is(s, n, "an") ||
         inc__tok_is(s, n, "our") || inc__tok_is(s, n, "this") || inc__tok_is(s, n, "that")))
        return 1;
    for (hops = 0; hops < 6; hops++) {
        j = inc__next_word(s, j, 1);
        if (j >= s->n || amount(s, j))
            return 0;
        if (inc__tok_is(s, j, "a") || inc__tok_is(s, j, "an")) {
            article = 1;
            if (copula && hops <= 2 && !amount(s, inc__next_word(s, j, 1)))
                return 1;
            if (explaining_phrase(s, j)) /* "suspect a bad deploy", "think a config change" */
                return 1;
        } else if (article && (s->tok[j].bits & INC__W_GENERIC))
            return 1;
    }
    return 0;
}

/* "might be charged twice", "may be delayed": a modal hedge on what
 * happens to users, not on why. */
static int hedge_on_event(const inc__sentence *s, size_t h)
{
    size_t be = inc__next_word(s, h, 1), v = inc__next_word(s, be, 1);
    size_t n = v < s->n ? strlen(s->tok[v].low) : 0;
    if (!inc__tok_is(s, be, "be") || v >= s->n || (s->tok[v].bits & INC__W_CAUSE))
        return 0;
    return (s->tok[v].bits & (INC__W_SYMPTOM | INC__W_IMPACT)) ||
           (n > 3 &&
            (strcmp(s->tok[v].low + n - 2, "ed") == 0 || strcmp(s->tok[v].low + n - 2, "en") == 0));
}

/* Is token i in the clause of the hedge at h, or in a relative clause
 * ("which", "that") that follows it directly? */
static int governed(const inc__sentence *s, size_t h, size_t i)
{
    unsigned c = s->tok[i].clause;
    size_t first = i;
    if (c == s->tok[h].clause)
        return 1;
    if (c != s->tok[h].clause + 1)
        return 0;
    while (first > 0 && s->tok[first - 1].clause == c)
        first--;
    while (first < i && !inc__is_word(s, first))
        first++;
    return inc__tok_is(s, first, "which") || inc__tok_is(s, first, "that");
}

/* The first cause the hedge at h governs (from the start of its clause),
 * or s->n: not "we believe the fix is working, and the errors were caused
 * by ...". */
static size_t governed_cause(const inc__sentence *s, size_t h)
{
    size_t i = h;
    while (i > 0 && s->tok[i - 1].clause == s->tok[h].clause)
        i--;
    for (; i < s->n && s->tok[i].clause <= s->tok[h].clause + 1; i++)
        if (governed(s, h, i) && cause_at(s, i))
            return i;
    return s->n;
}

/* A speculative sentence gets a finding at its hedge and one at its cause
 * words ("probably" ... "caused by"), so both can be rewritten. */
static void read_speculation(update_scan *u, const inc__sentence *s)
{
    static const char hint[] = "a cause stated with a hedge: leave the cause out until it is "
                               "confirmed; say what is observed and what is being done";
    size_t h, c = s->n, end;
    for (h = 0; h < s->n; h++) {
        if (!inc__hedge_at(s, h) || hedge_on_event(s, h))
            continue;
        if ((c = governed_cause(s, h)) < s->n || explanation_after(s, h))
            break;
    }
    if (h == s->n && (h = evidential_cause(s)) == s->n)
        return;
    end = h;
    if (inc__tok_is(s, h + 1, "like") || inc__tok_is(s, h + 1, "be") ||
        inc__tok_is(s, h + 1, "have"))
        end = h + 1; /* "looks like", "could be" */
    add(u, "speculation", s->tok[h].off, s->tok[end].off + s->tok[end].len - s->tok[h].off, hint);
    if (c < s->n && c != h) {
        end = inc__next_word(s, c, 1) < s->n &&
                      (inc__tok_is(s, c + 1, "by") || inc__tok_is(s, c + 1, "to"))
                  ? c + 1
                  : c;
        add(u, "speculation", s->tok[c].off, s->tok[end].off + s->tok[end].len - s->tok[c].off,
            hint);
    }
}

/* ---- the lint ------------------------------------------------------------------ */

static update_scan scan_defaults;

int inc__update_lint_cfg(inc_findings *list, const char *body, size_t len, inc_state state,
                         const char *components, const inc__lint_config_view *cfg)
{
    inc__lexicon lex;
    inc__reader r;
    inc__sentence s;
    update_scan u = scan_defaults;

    u.list = list;
    u.text = body;
    u.cfg = cfg;
    u.open = state < INC_STATE_RESOLVED;
    u.rc = INC_OK;
    inc__update_scope_init(&u.where, components);
    inc__lint_config_lexicon(cfg, &lex);
    /* First what the whole update says, then the findings sentence by
     * sentence, so the findings come in the order of comms.h's table. */
    inc__reader_init(&r, body, len, &lex);
    while (inc__lint_next(&r, cfg, &s)) {
        read_trouble(&u, &s);
        if (!u.scope)
            u.scope = inc__update_scope_names(&u.where, &s);
        if (u.open)
            read_next_update(&u, &s);
    }
    if (u.open && u.generic && !u.symptom)
        add(&u, "vague", u.generic_off, u.generic_len,
            "vague: say what customers see (\"checkout payments fail\", \"pages load slowly\")");
    if (!u.scope)
        add(&u, "no-scope", 0, 0,
            "the update does not name what is affected: name the product, feature, region or "
            "customer group (\"checkout for customers in the EU region\")");
    if (u.open && !u.next_update)
        add(&u, "no-next-update", 0, 0,
            "no time for the next update: end with \"Next update at HH:MM UTC.\"");
    inc__reader_init(&r, body, len, &lex);
    while (u.rc == INC_OK && inc__lint_next(&r, cfg, &s)) {
        if (u.open)
            read_promises(&u, &s);
        read_speculation(&u, &s);
    }
    return u.rc;
}

int inc_update_lint(const char *body, inc_state state, const char *components,
                    const inc_allocator *alloc, inc_findings **out)
{
    return inc_update_lint_with(body, state, components, NULL, alloc, out);
}

int inc_update_lint_with(const char *body, inc_state state, const char *components,
                         const inc_lint_config *cfg, const inc_allocator *alloc, inc_findings **out)
{
    inc_allocator a;
    int rc;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if ((unsigned)state > INC_STATE_CLOSED)
        return INC_EINVAL;
    if ((rc = inc__alloc_init(&a, alloc)) != INC_OK ||
        (rc = inc__check_text(NULL, "body", body, INC_TEXT_MAX, 0)) != INC_OK ||
        (rc = inc__check_text(NULL, "components", components, INC_TITLE_MAX,
                              INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    if ((rc = inc__findings_new(&a, out)) != INC_OK)
        return rc;
    if ((rc = inc__update_lint_cfg(*out, body, strlen(body), state, components,
                                   inc__lint_config_view_of(cfg))) != INC_OK) {
        inc_findings_free(*out);
        *out = NULL;
    }
    return rc;
}
