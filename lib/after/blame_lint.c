/* The blameless lint (PM-4), sentence by sentence (lint_text.h): blame is
 * a person's fault, carelessness or lapse ("human error", "Dave's fault",
 * "careless", "the operator forgot to drain the node"), not a system's
 * ("the health check failed to detect", "the alert should have fired"),
 * not a neutral account ("the engineer followed the runbook"), not a
 * rejected attribution ("this was not human error", "rather than
 * blaming"), and not a technical term ("lazy loading", "fault domains"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings_internal.h"
#include "lint_config_internal.h"
#include "lint_text.h"
#include "postmortem_internal.h"

typedef struct blame {
    size_t first, last; /* tokens of the wording */
    int needs_person;   /* only blame with a person as its subject */
    int system_too;     /* the wording fits a system as well ("failed to", "should have") */
} blame;

static int is(const inc__sentence *s, size_t i, const char *w)
{
    return inc__tok_is(s, i, w);
}

static size_t next(const inc__sentence *s, size_t i)
{
    return inc__next_word(s, i, 1);
}

static int possessive(const inc__sentence *s, size_t i)
{
    static const char *const owners[] = {"my", "his", "her", "their", "your", "our"};
    size_t k, n;
    if (!inc__is_word(s, i))
        return 0;
    for (k = 0; k < sizeof(owners) / sizeof(owners[0]); k++)
        if (is(s, i, owners[k]))
            return 1;
    n = strlen(s->tok[i].low);
    return n > 2 && strcmp(s->tok[i].low + n - 2, "'s") == 0;
}

/* Common given names, lower-case and sorted. A word that opens a sentence
 * is capitalised whatever it is, so when the wording fits a system as well
 * ("Terraform failed to apply", "Jenkins should have retried") only a
 * given name there is read as a person; elsewhere in a sentence any
 * capitalised word the lexicon does not know is. */
static const char *const given_names[] = {
    "aaron",  "adam",   "ahmed",  "aisha", "alex",    "alice", "amir",   "amy",   "ana",   "andrew",
    "anna",   "anne",   "ben",    "bob",   "brian",   "carl",  "carlos", "carol", "chen",  "chris",
    "claire", "dan",    "daniel", "dave",  "david",   "diana", "emily",  "emma",  "eric",  "erin",
    "eve",    "fatima", "frank",  "grace", "hannah",  "hiro",  "ian",    "ivan",  "jack",  "james",
    "jane",   "jen",    "jenny",  "jim",   "joe",     "john",  "jose",   "juan",  "julia", "kate",
    "ken",    "kevin",  "laura",  "lee",   "li",      "lisa",  "luis",   "maria", "mark",  "mary",
    "matt",   "may",    "mei",    "mike",  "mohamed", "nina",  "olga",   "omar",  "paul",  "pedro",
    "peter",  "priya",  "raj",    "ravi",  "rob",     "rosa",  "ryan",   "sam",   "sara",  "sarah",
    "sophie", "steve",  "sue",    "tom",   "tony",    "wei",   "will",   "yuki",  "zoe"};

static int cmp_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static int given_name(const inc__tok *t)
{
    return bsearch(t->low, given_names, sizeof(given_names) / sizeof(given_names[0]),
                   sizeof(given_names[0]), cmp_name) != NULL;
}

/* A name (a capitalised word the lexicon does not know) or a person word.
 * With @system_too, a sentence's first word is a name only if given_name(). */
static int person_at(const inc__sentence *s, size_t i, int system_too)
{
    const inc__tok *t = &s->tok[i];
    if (!inc__is_word(s, i))
        return 0;
    if (t->bits & INC__W_PERSON)
        return 1;
    if (system_too && (t->flags & INC__T_FIRST) && !given_name(t))
        return 0;
    return (t->flags & INC__T_CAP) && !(t->flags & (INC__T_KNOWN | INC__T_ALLCAPS));
}

/* A chat handle as the clause's first word, just before the lapse: "bob
 * should have known" (not a plural: "alerts should have fired"; with
 * @system_too, not a tool: "terraform failed to apply"). */
static int handle_before(const inc__sentence *s, size_t i, int system_too)
{
    size_t n;
    if (i == 0 || !inc__is_word(s, i - 1))
        return 0;
    if (system_too && !given_name(&s->tok[i - 1]))
        return 0;
    n = strlen(s->tok[i - 1].low);
    return (s->tok[i - 1].flags & INC__T_FIRST) && !(s->tok[i - 1].flags & INC__T_KNOWN) && n > 1 &&
           s->tok[i - 1].low[n - 1] != 's';
}

/* Is there a person within the seven words before @i, in its clause? */
static int person_before(const inc__sentence *s, size_t i, int system_too)
{
    size_t j = i, words = 0;
    if (handle_before(s, i, system_too))
        return 1;
    while (j-- > 0 && words < 7 && s->tok[j].clause == s->tok[i].clause)
        if (inc__is_word(s, j)) {
            words++;
            if (person_at(s, j, system_too))
                return 1;
        }
    return 0;
}

static int person_after(const inc__sentence *s, size_t i)
{
    size_t j = i, hops;
    for (hops = 0; hops < 4; hops++)
        if ((j = next(s, j)) >= s->n)
            return 0;
        else if (person_at(s, j, 0))
            return 1;
    return 0;
}

/* "fault": "Dave's fault", "their fault", "the fault of the engineer",
 * "X was at fault"; never "fault domain" or "fault tolerance". */
static int fault_at(const inc__sentence *s, size_t i, blame *b)
{
    size_t n = next(s, i);
    if (i > 0 && possessive(s, i - 1)) {
        b->first = i - 1;
        return !(n < s->n && (is(s, n, "domain") || is(s, n, "domains") ||
                              strncmp(s->tok[n].low, "toleran", 7) == 0));
    }
    if (is(s, n, "of") && person_after(s, n)) {
        b->last = n;
        return 1;
    }
    if (i > 0 && is(s, i - 1, "at")) {
        b->first = i - 1;
        b->needs_person = 1;
        return 1;
    }
    return 0;
}

/* Blame wording starting at token i, filled into @b. */
static int blame_at(const inc__sentence *s, size_t i, blame *b)
{
    const inc__tok *t = &s->tok[i];
    size_t n = next(s, i);
    b->first = b->last = i;
    b->needs_person = 0;
    b->system_too = 0;
    if (!inc__is_word(s, i) || (t->flags & INC__T_QUOTED))
        return 0;
    if ((is(s, i, "human") || is(s, i, "operator") || is(s, i, "pilot") || is(s, i, "user")) &&
        (is(s, n, "error") || is(s, n, "mistake"))) {
        b->last = n;
        return 1;
    }
    if (is(s, i, "fault"))
        return fault_at(s, i, b);
    if (is(s, i, "lazy"))
        return !(n < s->n && (strncmp(s->tok[n].low, "load", 4) == 0 ||
                              strncmp(s->tok[n].low, "init", 4) == 0 ||
                              strncmp(s->tok[n].low, "eval", 4) == 0));
    if (t->bits & INC__W_BLAME)
        return 1;
    if (is(s, i, "blame") || is(s, i, "blamed") || is(s, i, "blaming") || is(s, i, "blames"))
        return 1; /* not "blameless" */
    if (is(s, i, "mistake") && i > 0 && (possessive(s, i - 1) || is(s, i - 1, "rookie"))) {
        b->first = i - 1;
        return 1;
    }
    if ((is(s, i, "dropped") && is(s, n, "the") && is(s, next(s, n), "ball")) ||
        ((is(s, i, "messed") || is(s, i, "screwed")) && is(s, n, "up")) ||
        strncmp(t->low, "fat-finger", 10) == 0 ||
        (is(s, i, "fat") && strncmp(n < s->n ? s->tok[n].low : "", "finger", 6) == 0)) {
        /* "fat-fingered" is one word; the others end one or two words on */
        b->last = strncmp(t->low, "fat-finger", 10) == 0 ? i : is(s, i, "dropped") ? next(s, n) : n;
        return 1;
    }
    if ((is(s, i, "paying") || is(s, i, "pay")) && is(s, n, "attention") && i > 0 &&
        (s->tok[i - 1].bits & INC__W_NEG)) {
        b->first = i - 1;
        b->last = n;
        return 1;
    }
    if (is(s, i, "bother") && i > 0 && (s->tok[i - 1].bits & INC__W_NEG)) {
        b->first = i - 1;
        return 1;
    }
    if (is(s, i, "ought") && is(s, n, "to") && is(s, next(s, n), "have")) {
        n = next(s, n);
        b->last = next(s, n) < s->n ? next(s, n) : n;
        b->needs_person = 1;
        return 1;
    }
    if (is(s, i, "should") && (is(s, n, "have") || is(s, n, "'ve")) && next(s, n) < s->n) {
        b->last = next(s, n);
        b->needs_person = b->system_too = 1;
        return 1;
    }
    if (is(s, i, "should've") || (t->bits & INC__W_LAPSE)) {
        if (is(s, i, "failed") && !is(s, n, "to"))
            return 0;
        b->needs_person = 1;
        b->system_too = is(s, i, "failed") || is(s, i, "should've");
        return 1;
    }
    return 0;
}

/* "not human error", "rather than blaming", "no single person is to
 * blame", "nobody is at fault". */
static int negated(const inc__sentence *s, size_t first)
{
    size_t j = first, words = 0;
    while (j-- > 0 && words < 5 && s->tok[j].clause == s->tok[first].clause)
        if (inc__is_word(s, j)) {
            words++;
            if ((s->tok[j].bits & INC__W_NEG) || is(s, j, "nobody") || is(s, j, "none") ||
                is(s, j, "neither"))
                return 1;
        }
    return 0;
}

int inc__pm_lint_into(inc_findings *list, const char *text, size_t len, int slot,
                      const char *section_title)
{
    return inc__pm_lint_cfg(list, text, len, slot, section_title, NULL);
}

int inc__pm_lint_cfg(inc_findings *list, const char *text, size_t len, int slot,
                     const char *section_title, const inc__lint_config_view *cfg)
{
    inc__lexicon lex;
    inc__reader r;
    inc__sentence s;
    int rc = INC_OK;

    if (inc__lint_config_off(cfg, "PM-4.blame"))
        return INC_OK;
    inc__lint_config_lexicon(cfg, &lex);
    inc__reader_init(&r, text, len, &lex);
    while (rc == INC_OK && inc__lint_next(&r, cfg, &s)) {
        size_t i;
        blame b;
        for (i = 0; i < s.n && rc == INC_OK; i++) {
            inc_finding f;
            size_t off, n;
            if (!blame_at(&s, i, &b) || negated(&s, b.first) ||
                (b.needs_person && !person_before(&s, b.first, b.system_too)))
                continue;
            off = s.tok[b.first].off;
            n = s.tok[b.last].off + s.tok[b.last].len - off;
            inc__finding_init(&f, "PM-4.blame");
            f.slot = slot;
            f.offset = off;
            f.length = n;
            rc = inc__findings_add(list, &f,
                                   "PM-4: blame wording in %s: \"%.*s\" at byte %zu; a blameless "
                                   "postmortem asks what about the system made the action "
                                   "reasonable, not who failed",
                                   section_title, (int)n, text + off, off);
            i = b.last;
        }
    }
    return rc;
}
