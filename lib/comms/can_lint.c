/* The CAN lint's reading of the text (CAN-2): speculation in Conditions
 * and promises in Actions, sentence by sentence (lint_text.h), so that
 * "Paged Will (DBA)", "terraform plan to confirm drift" and "traffic now
 * going to eu-central-1" are not promises while "gonna roll back" is, and
 * "May is running the runbook" is not a hedge while "we may have lost 12
 * messages" is. Quoted text (a customer's words) is never a finding. */
#include <string.h>

#include "comms_internal.h"
#include "lint_config_internal.h"
#include "lint_text.h"

typedef struct can_scan {
    inc_findings *list;
    const char *text;
    const inc__lint_config_view *cfg;
    int rc;
} can_scan;

static int lower_word(const inc__sentence *s, size_t j)
{
    const inc__tok *t = &s->tok[j];
    return inc__is_word(s, j) && !(t->flags & (INC__T_CAP | INC__T_DIGIT | INC__T_JOINED)) &&
           !(t->bits & (INC__W_DET | INC__W_NEG)) && t->low[0] != '\'';
}

/* "Will" at the start of a sentence is the modal when a verb in its base
 * form follows ("Will reindex tonight"), a name otherwise ("Will is on
 * the bridge", "Will and May are pairing", "Will Chen is watching"). */
static int will_is_modal(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    size_t j = inc__next_word(s, i, 1), n;
    if (!(t->flags & INC__T_CAP))
        return 1;
    if (!(t->flags & INC__T_FIRST) || j >= s->n || !lower_word(s, j))
        return 0;
    n = strlen(s->tok[j].low);
    if (inc__tok_is(s, j, "and") || inc__tok_is(s, j, "is") || inc__tok_is(s, j, "was") ||
        inc__tok_is(s, j, "has") || inc__tok_is(s, j, "says") || inc__tok_is(s, j, "or") ||
        inc__tok_is(s, j, "from") || inc__tok_is(s, j, "of") || inc__tok_is(s, j, "on") ||
        inc__tok_is(s, j, "at") || inc__tok_is(s, j, "in") || inc__tok_is(s, j, "with") ||
        inc__tok_is(s, j, "here") || inc__tok_is(s, j, "there"))
        return 0; /* "Will from SRE", "Will on the bridge": a name */
    return !(n > 3 && s->tok[j].low[n - 1] == 's' && s->tok[j].low[n - 2] != 's');
}

/* "plan to" is a promise with a subject ("we plan to", "Plan to apply"),
 * not as a noun after a tool ("terraform plan to confirm drift"). */
static int plan_is_intent(const inc__sentence *s, size_t i)
{
    size_t p = i;
    if (!inc__tok_is(s, inc__next_word(s, i, 1), "to"))
        return 0;
    if (strcmp(s->tok[i].low, "planning") == 0 || (s->tok[i].flags & INC__T_FIRST))
        return 1;
    while (p-- > 0 && !inc__is_word(s, p))
        ;
    return p < s->n &&
           (inc__tok_is(s, p, "i") || inc__tok_is(s, p, "we") || inc__tok_is(s, p, "they") ||
            inc__tok_is(s, p, "is") || inc__tok_is(s, p, "team") || inc__tok_is(s, p, "also"));
}

/* The word before i, skipping "now", "still", "also", "all" ("traffic now
 * going to"), or s->n. */
static size_t word_before(const inc__sentence *s, size_t i)
{
    size_t p = i;
    while (p-- > 0) {
        if (!inc__is_word(s, p) || inc__tok_is(s, p, "now") || inc__tok_is(s, p, "still") ||
            inc__tok_is(s, p, "also") || inc__tok_is(s, p, "all") || inc__tok_is(s, p, "just"))
            continue;
        return s->tok[p].clause == s->tok[i].clause ? p : s->n;
    }
    return s->n;
}

/* "going to" says what someone will do only with someone doing it: a
 * clause's first word ("Going to ship a new cert"), or after a form of
 * "be" or a pronoun ("I'm going to", "we are going to", "Mark is going
 * to"). After a noun ("traffic going to drmrs", "Jobs going to the retry
 * queue") it says where the thing goes. */
static int going_has_agent(const inc__sentence *s, size_t i)
{
    size_t p = word_before(s, i);
    const char *w;
    if (p >= s->n)
        return 1;
    w = s->tok[p].low;
    return strcmp(w, "am") == 0 || strcmp(w, "are") == 0 || strcmp(w, "is") == 0 ||
           strcmp(w, "was") == 0 || strcmp(w, "were") == 0 || strcmp(w, "be") == 0 ||
           strstr(w, "'m") || strstr(w, "'re") || strstr(w, "'s") || strcmp(w, "im") == 0 ||
           inc__tok_is(s, p, "we") || inc__tok_is(s, p, "i");
}

/* "the plan is to replay", "next step is to fail over", "Plan: restore
 * from the snapshot": an intention stated as a noun. */
static int intent_is_to(const inc__sentence *s, size_t i)
{
    size_t j = inc__next_word(s, i, 1);
    if ((s->tok[i].flags & INC__T_FIRST) && i + 1 < s->n && s->tok[i + 1].punct == ':' &&
        (inc__tok_is(s, i, "plan") || inc__tok_is(s, i, "next")))
        return 1;
    return (strcmp(s->tok[i].low, "plan") == 0 || strcmp(s->tok[i].low, "step") == 0 ||
            strcmp(s->tok[i].low, "intent") == 0 || strcmp(s->tok[i].low, "intention") == 0 ||
            strcmp(s->tok[i].low, "idea") == 0) &&
           inc__tok_is(s, j, "is") && inc__tok_is(s, inc__next_word(s, j, 1), "to") &&
           lower_word(s, inc__next_word(s, inc__next_word(s, j, 1), 1));
}

/* One past the last token of a promise that starts at token i, or 0. */
static size_t promise_at(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    size_t n = strlen(t->low), j = inc__next_word(s, i, 1);
    if (!inc__is_word(s, i) || (t->flags & INC__T_QUOTED))
        return 0;
    if (inc__tok_is(s, i, "will"))
        return will_is_modal(s, i) ? i + 1 : 0;
    if ((n > 3 && strcmp(t->low + n - 3, "'ll") == 0) || inc__tok_is(s, i, "shall") ||
        inc__tok_is(s, i, "gonna"))
        return i + 1;
    if (t->bits & INC__W_PROMISE) /* a team's promise phrase */
        return inc__phrase_last(s, i) + 1;
    if (inc__tok_is(s, i, "going") && inc__tok_is(s, j, "to") && !going_has_agent(s, i))
        return 0; /* "traffic going to drmrs": a place */
    if ((inc__tok_is(s, i, "going") || inc__tok_is(s, i, "about") || inc__tok_is(s, i, "intend") ||
         inc__tok_is(s, i, "intending")) &&
        inc__tok_is(s, j, "to")) /* "going to <verb>", not "going to <place>" */
        return lower_word(s, inc__next_word(s, j, 1)) ? j + 1 : 0;
    if ((inc__tok_is(s, i, "let's") || (inc__tok_is(s, i, "lets") && (t->flags & INC__T_FIRST))) &&
        lower_word(s, j))
        return i + 1; /* "let's fail over": a proposal, not work in flight */
    if (intent_is_to(s, i))
        return i + 1 < s->n && s->tok[i + 1].punct == ':' ? i + 2 : inc__next_word(s, j, 1) + 1;
    if (strncmp(t->low, "plan", 4) == 0 &&
        (n == 4 || !strcmp(t->low, "plans") || !strcmp(t->low, "planning")))
        return plan_is_intent(s, i) ? j + 1 : 0;
    return 0;
}

static void add(can_scan *c, const char *rule, int slot, size_t off, size_t len, const char *lead,
                const char *tail)
{
    inc_finding f;
    if (c->rc != INC_OK || inc__lint_config_off(c->cfg, rule))
        return;
    inc__finding_init(&f, rule);
    f.slot = slot;
    f.offset = off;
    f.length = len;
    c->rc = inc__findings_add(c->list, &f, "%s\"%.*s\" at byte %zu%s", lead, (int)len,
                              c->text + off, off, tail);
}

/* The words of the hedge at i: "I think", "could be", "looks like",
 * "not sure", or the word alone. */
static void hedge_span(const inc__sentence *s, size_t i, size_t *first, size_t *last)
{
    *first = *last = i;
    if (i > 0 && (inc__tok_is(s, i - 1, "i") || inc__tok_is(s, i - 1, "we")) &&
        (inc__tok_is(s, i, "think") || inc__tok_is(s, i, "believe") || inc__tok_is(s, i, "guess")))
        *first = i - 1;
    if (inc__tok_is(s, i + 1, "like") || inc__tok_is(s, i + 1, "sure") ||
        ((inc__tok_is(s, i, "could") || inc__tok_is(s, i, "might") || inc__tok_is(s, i, "may")) &&
         (inc__tok_is(s, i + 1, "be") || inc__tok_is(s, i + 1, "have"))))
        *last = i + 1;
}

static void scan_conditions(can_scan *c, const inc__sentence *s)
{
    size_t i, first, last;
    for (i = 0; i < s->n; i++)
        if (inc__hedge_at(s, i) || (inc__tok_is(s, i, "may") && !(s->tok[i].flags & INC__T_CAP)) ||
            (inc__tok_is(s, i, "might") && !(s->tok[i].flags & INC__T_QUOTED))) {
            hedge_span(s, i, &first, &last);
            add(c, "CAN-2.speculation", INC_CAN_CONDITIONS, s->tok[first].off,
                s->tok[last].off + s->tok[last].len - s->tok[first].off,
                "CAN-2: speculation in Conditions: ",
                "; Conditions is for observed facts: move the hypothesis to Actions (what you "
                "are investigating) or Needs");
            i = last;
        }
}

static void scan_actions(can_scan *c, const inc__sentence *s)
{
    unsigned char in[INC__SENT_MAX_TOKENS];
    size_t i, end, off, n, w;
    if (s->question)
        return; /* "Shall we fail over?" asks for a decision */
    inc__conditions(s, in);
    for (i = 0; i < s->n; i++) {
        if (in[i] || (end = promise_at(s, i)) == 0)
            continue;
        off = s->tok[i].off;
        n = s->tok[end - 1].off + s->tok[end - 1].len - off;
        w = strlen(s->tok[i].low);
        if (end == i + 1 && w > 3 && strcmp(s->tok[i].low + w - 3, "'ll") == 0) {
            /* "I'll": the contraction is the promise */
            size_t ap = c->text[off + n - 3] == '\'' ? 3 : 5;
            off += n - ap;
            n = ap;
        }
        add(c, "CAN-2.promise", INC_CAN_ACTIONS, off, n, "CAN-2: promise in Actions: ",
            "; Actions is for work in flight or done: do it and report it, or ask for it in "
            "Needs");
        i = end - 1;
    }
}

int inc__can_lint_slot(inc_findings *list, const char *text, int slot,
                       const inc__lint_config_view *cfg)
{
    inc__lexicon lex;
    inc__reader r;
    inc__sentence s;
    can_scan c;
    if (!text)
        return INC_OK;
    c.list = list;
    c.text = text;
    c.cfg = cfg;
    c.rc = INC_OK;
    inc__lint_config_lexicon(cfg, &lex);
    inc__reader_init(&r, text, strlen(text), &lex);
    while (c.rc == INC_OK && inc__lint_next(&r, cfg, &s)) {
        if (slot == INC_CAN_CONDITIONS)
            scan_conditions(&c, &s);
        else
            scan_actions(&c, &s);
    }
    return c.rc;
}
