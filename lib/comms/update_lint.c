/* The external-update lint (COMM-3, from the 004 seed's status-page
 * language): vague wording, no affected scope, no time for the next
 * update, premature promises before a verified resolution, and speculation
 * about cause. The word lists are documented in include/incident/comms.h;
 * the matching is lint.c's. */
#include <stdio.h>
#include <string.h>

#include "comms_internal.h"
#include "lint.h"
#include "util/text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Longer phrases first where one starts another (lint.h). */
static const char *const vague_words[] = {
    "experiencing some issues",
    "experiencing some problems",
    "experiencing some difficulties",
    "experiencing issues",
    "experiencing problems",
    "experiencing difficulties",
    "some issues",
    "some problems",
    "some difficulties",
    "technical difficulties",
    "technical issues",
    "technical problems",
    "minor issues",
    "intermittent issues",
    "unexpected issues",
    "something went wrong",
    "not working as expected",
    "unexpected behavior",
    "unexpected behaviour",
};

static const char *const scope_words[] = {
    "affecting",       "affected",      "affects",   "impacting",    "impacted",     "impacts",
    "unavailable for", "for customers", "for users", "customers in", "customers on", "customers of",
    "customers using", "users in",      "users on",  "users of",     "users using",  "regions",
    "region",          "all customers", "all users",
};

static const char *const next_update_words[] = {
    "next status update", "next update", "another update", "further update", "update again",
};

/* A delay in words, accepted as the time of the next update. */
static const char *const delay_words[] = {"half an hour", "an hour", "top of the hour"};

static const char *const promise_words[] = {
    "should be resolved soon",
    "should be resolved shortly",
    "should be fixed soon",
    "should be fixed shortly",
    "should be resolved",
    "should be fixed",
    "should be restored",
    "should be back",
    "will be resolved",
    "will be fixed",
    "will be restored",
    "will be back",
    "resolved soon",
    "resolved shortly",
    "fixed soon",
    "fixed shortly",
    "restored soon",
    "restored shortly",
    "back to normal soon",
    "back to normal shortly",
    "back up soon",
    "back soon",
    "back shortly",
    "working again soon",
    "expect a fix",
    "expect this to be resolved",
    "has been resolved",
    "have been resolved",
    "is now resolved",
    "is resolved",
    "are resolved",
    "fully resolved",
    "has been fixed",
    "is now fixed",
    "is fixed",
    "all clear",
    "all-clear",
    "any minute now",
    "any minute",
};

static const char *const hedge_words[] = {
    "i think", "we think",   "we believe",    "we suspect", "i suspect", "suspect",
    "maybe",   "probably",   "possibly",      "likely",     "might",     "could be",
    "seems",   "looks like", "appears to be", "guess",
};

/* Cause statements: speculation until the resolution is verified. */
static const char *const cause_words[] = {"caused by", "due to", "because of", "root cause",
                                          "related to"};

static int scan(inc_findings *list, const char *body, const char *const *words, size_t count,
                const char *rule, const char *advice)
{
    char tail[256];
    inc__lint_rule r;
    snprintf(tail, sizeof(tail), ": %s", advice);
    r.rule = rule;
    r.slot = 0;
    r.lead = "COMM-3: ";
    r.tail = tail;
    return inc__lint_findings(list, body, strlen(body), words, count, &r);
}

static int missing(inc_findings *list, const char *rule, const char *msg)
{
    inc_finding f;
    inc__finding_init(&f, rule);
    f.slot = 0;
    return inc__findings_add(list, &f, "%s", msg);
}

/* Does the body name one of the comma-separated components? */
static int names_component(const char *body, const char *components)
{
    char phrase[INC_TITLE_MAX + 1];
    const char *p = components, *list[1] = {phrase};
    while (p && *p) {
        const char *end = strchr(p, ','), *s = p, *e;
        size_t i, n;
        e = end ? end : p + strlen(p);
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        n = (size_t)(e - s) < INC_TITLE_MAX ? (size_t)(e - s) : INC_TITLE_MAX;
        for (i = 0; i < n; i++)
            phrase[i] = inc__ascii_lower(s[i]);
        phrase[n] = '\0';
        if (n && inc__lint_contains(body, list, 1))
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *const units[] = {"min", "mins", "minute", "minutes", "m",  "h",
                                    "hr",  "hrs",  "hour",   "hours",   "am", "pm"};

/* A clock time ("15:00", "3 pm") or a delay ("30 minutes", "an hour") in
 * text[from, to)? */
static int has_time(const char *t, size_t from, size_t to)
{
    size_t i, j, k, u;
    for (i = from; i < to; i++) {
        if (!is_digit(t[i]) || (i > from && is_digit(t[i - 1])))
            continue;
        for (j = i; j < to && is_digit(t[j]); j++)
            ;
        if (j + 2 < to && t[j] == ':' && is_digit(t[j + 1]) && is_digit(t[j + 2]))
            return 1;
        while (j < to && t[j] == ' ')
            j++;
        for (k = j; k < to && ((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z')); k++)
            ;
        for (u = 0; u < COUNT(units); u++)
            if (k > j && strlen(units[u]) == k - j &&
                inc__ascii_ncasecmp(t + j, units[u], k - j) == 0)
                return 1;
    }
    return inc__lint_contains_n(t + from, to - from, delay_words, COUNT(delay_words), NULL);
}

/* The end of the sentence that starts at @from: a '.', '!' or '?' followed
 * by white space or the end, or a line break; at most 160 bytes on. */
static size_t sentence_end(const char *t, size_t len, size_t from)
{
    size_t i, limit = from + 160 < len ? from + 160 : len;
    for (i = from; i < limit; i++) {
        if (t[i] == '\n')
            return i;
        if ((t[i] == '.' || t[i] == '!' || t[i] == '?') &&
            (i + 1 == len || t[i + 1] == ' ' || t[i + 1] == '\n'))
            return i;
    }
    return limit;
}

typedef struct next_ctx {
    const char *text;
    size_t len;
    int found;
} next_ctx;

static int on_next(void *user, size_t phrase, size_t offset, size_t len)
{
    next_ctx *n = user;
    size_t from = offset + len;
    (void)phrase;
    if (has_time(n->text, from, sentence_end(n->text, n->len, from)))
        n->found = 1;
    return n->found;
}

static int has_next_update(const char *body)
{
    next_ctx n;
    n.text = body;
    n.len = strlen(body);
    n.found = 0;
    inc__lint_scan(body, n.len, next_update_words, COUNT(next_update_words), on_next, &n);
    return n.found;
}

int inc__update_lint_into(inc_findings *list, const char *body, inc_state state,
                          const char *components)
{
    int open = state < INC_STATE_RESOLVED, rc;

    rc = scan(list, body, vague_words, COUNT(vague_words), "COMM-3.vague",
              "vague: say what customers see (\"failed checkouts\", \"slow page loads\")");
    if (rc == INC_OK && !names_component(body, components) &&
        !inc__lint_contains(body, scope_words, COUNT(scope_words)))
        rc = missing(list, "COMM-3.no-scope",
                     "COMM-3: the update does not name the affected scope: say who or what is "
                     "affected (\"affecting checkout for customers in the EU region\")");
    if (rc == INC_OK && open && !has_next_update(body))
        rc = missing(list, "COMM-3.no-next-update",
                     "COMM-3: no time for the next update: end with \"Next update at HH:MM "
                     "UTC.\"");
    if (rc == INC_OK && open)
        rc = scan(list, body, promise_words, COUNT(promise_words), "COMM-3.premature-promise",
                  "a premature promise before the resolution is verified: say what is being "
                  "done and when the next update is");
    if (rc == INC_OK)
        rc = scan(list, body, hedge_words, COUNT(hedge_words), "COMM-3.speculation",
                  "speculation: never speculate publicly about cause; say what is observed");
    if (rc == INC_OK && open)
        rc = scan(list, body, cause_words, COUNT(cause_words), "COMM-3.speculation",
                  "a cause stated before the resolution is verified: leave the cause to the "
                  "postmortem");
    return rc;
}

int inc_update_lint(const char *body, inc_state state, const char *components,
                    const inc_allocator *alloc, inc_findings **out)
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
    if ((rc = inc__update_lint_into(*out, body, state, components)) != INC_OK) {
        inc_findings_free(*out);
        *out = NULL;
    }
    return rc;
}
