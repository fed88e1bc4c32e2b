/* The sentence reader (lint_text.h): segmentation, word classes, time
 * expressions. Linear in the text: every byte is looked at a bounded
 * number of times, and a sentence holds at most INC__SENT_MAX_TOKENS. */
#include "lint_text.h"

#include <stdint.h>
#include <string.h>

#include "util/text.h"

/* ---- lexicon ------------------------------------------------------------ */

static uint32_t hash_word(const char *w)
{
    uint32_t h = 2166136261u;
    while (*w)
        h = (h ^ (unsigned char)*w++) * 16777619u;
    return h;
}

void inc__lex_init(inc__lexicon *lex)
{
    memset(lex, 0, sizeof(*lex));
}

void inc__lex_add_word(inc__lexicon *lex, const char *word, unsigned bits)
{
    uint32_t h = hash_word(word);
    size_t i = h & (INC__LEX_SLOTS - 1);
    while (lex->word[i] && strcmp(lex->word[i], word) != 0)
        i = (i + 1) & (INC__LEX_SLOTS - 1);
    if (!lex->word[i]) {
        if (lex->count * 4 >= INC__LEX_SLOTS * 3)
            return; /* keep the table sparse enough to probe quickly */
        lex->word[i] = word;
        lex->hash[i] = h;
        lex->count++;
    }
    lex->bits[i] |= bits;
}

void inc__lex_add(inc__lexicon *lex, const inc__lex_entry *e, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        inc__lex_add_word(lex, e[k].word, e[k].bits);
}

static unsigned lookup(const inc__lexicon *lex, const char *word)
{
    uint32_t h = hash_word(word);
    size_t i = h & (INC__LEX_SLOTS - 1);
    while (lex->word[i]) {
        if (lex->hash[i] == h && strcmp(lex->word[i], word) == 0)
            return lex->bits[i];
        i = (i + 1) & (INC__LEX_SLOTS - 1);
    }
    return 0;
}

/* Try @word with its last @cut bytes replaced by @add. */
static unsigned try_base(const inc__lexicon *lex, const char *word, size_t n, size_t cut,
                         const char *add)
{
    char base[INC__WORD_MAX + 2];
    size_t keep, alen = strlen(add);
    if (n <= cut + 2 || n - cut + alen >= sizeof(base))
        return 0;
    keep = n - cut;
    memcpy(base, word, keep);
    memcpy(base + keep, add, alen + 1);
    return lookup(lex, base);
}

unsigned inc__lex_find(const inc__lexicon *lex, const char *word)
{
    size_t n = strlen(word);
    unsigned b = lookup(lex, word);
    if (b || n < 4)
        return b;
    if (word[n - 1] == 's') {
        if ((b = try_base(lex, word, n, 1, "")) != 0)
            return b;
        if (n > 4 && word[n - 2] == 'e' && (b = try_base(lex, word, n, 2, "")) != 0)
            return b;
        if (n > 4 && word[n - 2] == 'e' && word[n - 3] == 'i')
            return try_base(lex, word, n, 3, "y");
        return 0;
    }
    if (n > 4 && strcmp(word + n - 2, "ed") == 0) {
        if ((b = try_base(lex, word, n, 2, "")) || (b = try_base(lex, word, n, 1, "")))
            return b;
        if (word[n - 3] == word[n - 4] && (b = try_base(lex, word, n, 3, "")) != 0)
            return b;
        return word[n - 3] == 'i' ? try_base(lex, word, n, 3, "y") : 0;
    }
    if (n > 5 && strcmp(word + n - 3, "ing") == 0) {
        if ((b = try_base(lex, word, n, 3, "")) || (b = try_base(lex, word, n, 3, "e")))
            return b;
        return word[n - 4] == word[n - 5] ? try_base(lex, word, n, 4, "") : 0;
    }
    if (n > 4 && strcmp(word + n - 2, "ly") == 0)
        return try_base(lex, word, n, 2, "");
    return 0;
}

/* ---- characters --------------------------------------------------------- */

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A letter outside ASCII: not punctuation, spaces, symbols or emoji. */
static int cp_letter(uint32_t cp)
{
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
        return 0;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, arrows, symbols */
        return 0;
    if (cp >= 0x3000 && cp <= 0x303F)
        return 0;
    if (cp >= 0xFE00 && cp <= 0xFE0F) /* variation selectors */
        return 0;
    if (cp >= 0x1F000) /* emoji, flags */
        return 0;
    return 1;
}

typedef struct ch {
    size_t len;  /* bytes (1 for a stray byte) */
    uint32_t cp; /* code point (the byte for a stray byte) */
    int valid;
} ch;

static ch char_at(const char *t, size_t len, size_t pos)
{
    ch c;
    size_t n = inc__utf8_seq_len(t + pos, len - pos);
    c.valid = n != 0;
    c.len = n ? n : 1;
    c.cp = n ? inc__utf8_decode(t + pos, n) : (unsigned char)t[pos];
    return c;
}

static int word_char(const char *t, size_t len, size_t pos, size_t *n)
{
    ch c;
    *n = 1;
    if (pos >= len)
        return 0;
    if ((unsigned char)t[pos] < 0x80)
        return is_alnum((unsigned char)t[pos]);
    c = char_at(t, len, pos);
    *n = c.len;
    return c.valid && cp_letter(c.cp);
}

/* An apostrophe (' or U+2019) at pos: its length, or 0. */
static size_t apostrophe(const char *t, size_t len, size_t pos)
{
    if (t[pos] == '\'')
        return 1;
    if (pos + 2 < len && (unsigned char)t[pos] == 0xE2 && (unsigned char)t[pos + 1] == 0x80 &&
        (unsigned char)t[pos + 2] == 0x99)
        return 3;
    return 0;
}

/* A joiner inside a word ("us-east-1", "14:30", "we'll"): its length. */
static size_t joiner(const char *t, size_t len, size_t pos)
{
    size_t n = apostrophe(t, len, pos), w;
    if (!n && pos < len && strchr("-.:/_&", t[pos]) && t[pos])
        n = 1;
    return n && word_char(t, len, pos + n, &w) ? n : 0;
}

/* ---- the reader --------------------------------------------------------- */

void inc__reader_init(inc__reader *r, const char *text, size_t len, const inc__lexicon *lex)
{
    r->text = text;
    r->len = len;
    r->pos = 0;
    r->lex = lex;
    r->quoted = 0;
}

static const char *const abbreviations[] = {"a.m",    "p.m", "e.g", "i.e", "etc", "vs",
                                            "approx", "u.s", "st",  "mr",  "ms",  "dr"};

static int is_abbreviation(const inc__sentence *s)
{
    size_t k;
    if (!s->n || !(s->tok[s->n - 1].flags & INC__T_WORD))
        return 0;
    for (k = 0; k < sizeof(abbreviations) / sizeof(abbreviations[0]); k++)
        if (strcmp(s->tok[s->n - 1].low, abbreviations[k]) == 0)
            return 1;
    return 0;
}

static void add_word(inc__reader *r, inc__sentence *s, size_t start, size_t end, int first,
                     unsigned clause)
{
    inc__tok *t = &s->tok[s->n++];
    size_t i, k = 0, letters = 0, upper = 0;
    memset(t, 0, sizeof(*t));
    t->off = start;
    t->len = end - start;
    t->clause = clause;
    t->flags = INC__T_WORD | (first ? INC__T_FIRST : 0) | (r->quoted ? INC__T_QUOTED : 0);
    for (i = start; i < end; i++) {
        unsigned char c = (unsigned char)r->text[i];
        size_t ap = apostrophe(r->text, end, i);
        if (ap == 3) {
            c = '\'';
            i += 2;
        }
        if (c >= 'A' && c <= 'Z') {
            upper++;
            letters++;
        } else if (c >= 'a' && c <= 'z')
            letters++;
        else if (c >= '0' && c <= '9')
            t->flags |= INC__T_DIGIT;
        else if (strchr("-./_", c) && c)
            t->flags |= INC__T_JOINED;
        if (k + 1 < sizeof(t->low))
            t->low[k++] = (char)inc__ascii_lower((char)c);
    }
    t->low[k] = '\0';
    if ((unsigned char)r->text[start] >= 'A' && (unsigned char)r->text[start] <= 'Z')
        t->flags |= INC__T_CAP;
    if (letters >= 2 && upper == letters)
        t->flags |= INC__T_ALLCAPS;
    t->bits = inc__lex_find(r->lex, t->low);
    if (t->bits)
        t->flags |= INC__T_KNOWN;
}

static void add_punct(inc__sentence *s, size_t pos, size_t len, char c, unsigned clause)
{
    inc__tok *t;
    if (s->n == INC__SENT_MAX_TOKENS)
        return;
    t = &s->tok[s->n++];
    memset(t, 0, sizeof(*t));
    t->off = pos;
    t->len = len;
    t->punct = c;
    t->clause = clause;
}

/* Is the line break at @pos inside a sentence: followed by an indented
 * line (a continued bullet or slot) or by a lower-case word (hard-wrapped
 * prose)? A line that starts with a bullet, a capital or a digit starts a
 * new sentence. */
static int continued_line(const char *t, size_t len, size_t pos)
{
    if (pos + 1 < len && t[pos] == '\r' && t[pos + 1] == '\n')
        pos++;
    return pos + 1 < len &&
           (t[pos + 1] == ' ' || t[pos + 1] == '\t' || (t[pos + 1] >= 'a' && t[pos + 1] <= 'z'));
}

/* Curly quotes and dashes: what they are as punctuation, or 0. */
static char wide_punct(const ch *c)
{
    switch (c->cp) {
    case 0x201C:
    case 0x201D:
    case 0x201E:
        return '"';
    case 0x2013:
    case 0x2014:
        return '-';
    case 0x2022:
        return '*';
    default:
        return 0;
    }
}

int inc__reader_next(inc__reader *r, inc__sentence *s)
{
    const char *t = r->text;
    size_t len = r->len, n;
    unsigned clause = 0;
    int first = 1;

    s->n = 0;
    s->question = 0;
    s->start = r->pos;
    while (r->pos < len && s->n < INC__SENT_MAX_TOKENS) {
        size_t pos = r->pos;
        unsigned char c = (unsigned char)t[pos];
        if (word_char(t, len, pos, &n)) {
            size_t end = pos + n, j;
            for (;;) {
                if (word_char(t, len, end, &n))
                    end += n;
                else if ((j = joiner(t, len, end)) != 0)
                    end += j;
                else
                    break;
            }
            add_word(r, s, pos, end, first, clause);
            first = 0;
            r->pos = end;
            continue;
        }
        r->pos += (c < 0x80) ? 1 : char_at(t, len, pos).len;
        if (c == '\n' || c == '\r') {
            if (s->n && !continued_line(t, len, pos))
                break;
            continue;
        }
        if (c == '.' || c == '!' || c == '?') {
            int at_end = r->pos >= len || strchr(" \t\r\n\"')", t[r->pos]) ||
                         (unsigned char)t[r->pos] >= 0x80;
            if (at_end && s->n && !is_abbreviation(s)) {
                s->question = c == '?';
                break;
            }
            continue;
        }
        if (c == '"') {
            r->quoted = !r->quoted;
            continue;
        }
        if (c >= 0x80) {
            ch w = char_at(t, len, pos);
            char p = wide_punct(&w);
            if (p == '"')
                r->quoted = w.cp != 0x201D;
            else if (p) {
                add_punct(s, pos, w.len, p, clause++);
                first = p == '*';
            }
            continue;
        }
        if (strchr(",;:()[]|*", c) || (c == '-' && pos + 1 < len && t[pos + 1] == ' ')) {
            add_punct(s, pos, 1, (char)c, clause++);
            if (c == ':' || c == ';' || c == '*' || c == '-' || c == '(')
                first = 1;
        }
    }
    s->end = r->pos;
    r->quoted = 0; /* an unbalanced quote ends with its sentence */
    return s->n > 0;
}

/* ---- helpers ------------------------------------------------------------ */

int inc__tok_is(const inc__sentence *s, size_t i, const char *word)
{
    /* the first byte settles most calls without strcmp */
    const char *low;
    if (i >= s->n)
        return 0;
    low = s->tok[i].low;
    return low[0] == word[0] && (!word[0] || low[1] == word[1]) &&
           (s->tok[i].flags & INC__T_WORD) && strcmp(low, word) == 0;
}

int inc__tok_has(const inc__sentence *s, size_t i, unsigned bits)
{
    return i < s->n && (s->tok[i].bits & bits) != 0;
}

size_t inc__next_word(const inc__sentence *s, size_t i, int same_clause)
{
    size_t j;
    for (j = i + 1; j < s->n; j++) {
        if (same_clause && s->tok[j].clause != s->tok[i].clause)
            return s->n;
        if (s->tok[j].flags & INC__T_WORD)
            return j;
    }
    return s->n;
}

static int all_digits(const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return n > 0;
}

/* "15:00", "9:41", "15h30", "1430z", "3pm", "6:15pm", "10.30" */
static int clock_word(const char *w)
{
    size_t n = strlen(w), d = 0;
    while (d < n && w[d] >= '0' && w[d] <= '9')
        d++;
    if (d == 0 || d > 4)
        return 0;
    if (d == n)
        return 0;
    if ((w[d] == ':' || w[d] == 'h' || w[d] == '.') && d <= 2 && all_digits(w + d + 1, 2) &&
        (n == d + 3 || strcmp(w + d + 3, "am") == 0 || strcmp(w + d + 3, "pm") == 0 ||
         strcmp(w + d + 3, "z") == 0 || (w[d + 3] == ':' && all_digits(w + d + 4, 2))))
        return w[d] != '.' || n > d + 3;
    if (d <= 2 && (strcmp(w + d, "am") == 0 || strcmp(w + d, "pm") == 0))
        return 1;
    return d == 4 && strcmp(w + d, "z") == 0;
}

/* "20m", "30min", "2h", "1hr", "45mins" */
static int delay_word(const char *w)
{
    static const char *const units[] = {"m", "min", "mins", "h", "hr", "hrs", "s", "sec", "secs"};
    size_t d = 0, k;
    while (w[d] >= '0' && w[d] <= '9')
        d++;
    if (!d || !w[d])
        return 0;
    for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
        if (strcmp(w + d, units[k]) == 0)
            return 1;
    return 0;
}

static int number_word(const inc__sentence *s, size_t i)
{
    static const char *const numbers[] = {
        "a",      "an",    "one",     "two",    "three", "four",    "five",
        "ten",    "few",   "several", "couple", "half",  "fifteen", "twenty",
        "thirty", "forty", "sixty",   "next",   "the",   "every",   "each"};
    const char *w = s->tok[i].low;
    size_t k, n = strlen(w), d = 0;
    while (d < n && ((w[d] >= '0' && w[d] <= '9') || w[d] == '-' || w[d] == '.'))
        d++;
    if (d == n && d)
        return 1; /* "30", "5-10", "1.5" */
    for (k = 0; k < sizeof(numbers) / sizeof(numbers[0]); k++)
        if (strcmp(w, numbers[k]) == 0)
            return 1;
    return 0;
}

/* A unit or am/pm within three words after i: checked on the word classes
 * before the number words, as most words start no time. */
static int unit_ahead(const inc__sentence *s, size_t i)
{
    size_t j = i, hops;
    for (hops = 0; hops < 3; hops++) {
        j = inc__next_word(s, j, 1);
        if (j >= s->n)
            return 0;
        if ((s->tok[j].bits & INC__W_UNIT) || inc__tok_is(s, j, "am") || inc__tok_is(s, j, "pm") ||
            inc__tok_is(s, j, "a.m") || inc__tok_is(s, j, "p.m"))
            return 1;
    }
    return 0;
}

/* "1500 UTC", "0930 CET": four digits of a 24-hour clock before a zone. */
static int military_time(const inc__sentence *s, size_t i)
{
    const char *w = s->tok[i].low;
    if (strlen(w) != 4 || !all_digits(w, 4))
        return 0;
    return (w[0] - '0') * 10 + (w[1] - '0') < 24 && w[2] < '6' &&
           inc__tok_has(s, inc__next_word(s, i, 1), INC__W_ZONE);
}

int inc__tok_is_time(const inc__sentence *s, size_t i)
{
    size_t j, hops;
    if (i >= s->n || !(s->tok[i].flags & INC__T_WORD))
        return 0;
    if (clock_word(s->tok[i].low) || delay_word(s->tok[i].low) || military_time(s, i) ||
        (s->tok[i].bits & INC__W_DAY))
        return 1;
    j = inc__next_word(s, i, 1);
    /* "half past", "quarter to": the hour is the one in progress */
    if ((inc__tok_is(s, i, "half") || inc__tok_is(s, i, "quarter")) &&
        (inc__tok_is(s, j, "past") || inc__tok_is(s, j, "to") || inc__tok_is(s, j, "after")))
        return 1;
    /* "the top of the hour", "the bottom of the hour" */
    if ((inc__tok_is(s, i, "top") || inc__tok_is(s, i, "bottom")) && inc__tok_is(s, j, "of")) {
        j = inc__next_word(s, j, 1);
        if (inc__tok_is(s, j, "the"))
            j = inc__next_word(s, j, 1);
        return inc__tok_is(s, j, "hour");
    }
    if (inc__tok_is(s, i, "end") && inc__tok_is(s, inc__next_word(s, i, 1), "of")) {
        j = inc__next_word(s, inc__next_word(s, i, 1), 1); /* "end of (the) day" */
        if (inc__tok_is(s, j, "the"))
            j = inc__next_word(s, j, 1);
        return inc__tok_is(s, j, "day") || inc__tok_is(s, j, "business");
    }
    if (!unit_ahead(s, i) || !number_word(s, i))
        return 0;
    /* a number (or "an", "a few", "the") then, within two words, a unit or am/pm */
    for (j = i, hops = 0; hops < 3; hops++) {
        j = inc__next_word(s, j, 1);
        if (j >= s->n)
            return 0;
        if ((s->tok[j].bits & INC__W_UNIT) ||
            (all_digits(s->tok[i].low, strlen(s->tok[i].low)) &&
             (inc__tok_is(s, j, "am") || inc__tok_is(s, j, "pm") || inc__tok_is(s, j, "a.m") ||
              inc__tok_is(s, j, "p.m"))))
            return 1;
        if (!number_word(s, j))
            return 0;
    }
    return 0;
}

size_t inc__phrase_last(const inc__sentence *s, size_t i)
{
    size_t k, j = i, n;
    for (k = 0; k < s->tok[i].more; k++)
        if ((n = inc__next_word(s, j, 0)) < s->n)
            j = n;
    return j;
}

int inc__is_word(const inc__sentence *s, size_t i)
{
    return i < s->n && (s->tok[i].flags & INC__T_WORD);
}

/* Mark the tokens inside a condition: from "once", "when", "until", "if",
 * "as soon as" to the end of its clause or to the subject of the main
 * clause ("When the backlog is cleared we will ..."). */
/* "we", "I", "you", "they" and their contractions ("I'll", "we're"):
 * the subject that starts a main clause. */
static int subject_pronoun(const inc__sentence *s, size_t i)
{
    static const char *const subjects[] = {"we", "i", "you", "they"};
    size_t k, n;
    if (!inc__is_word(s, i))
        return 0;
    for (k = 0; k < sizeof(subjects) / sizeof(subjects[0]); k++) {
        n = strlen(subjects[k]);
        if (strncmp(s->tok[i].low, subjects[k], n) == 0 &&
            (s->tok[i].low[n] == '\0' || s->tok[i].low[n] == '\''))
            return 1;
    }
    return 0;
}

void inc__conditions(const inc__sentence *s, unsigned char *in)
{
    size_t i, start = 0;
    int on = 0;
    for (i = 0; i < s->n; i++) {
        const inc__tok *t = &s->tok[i];
        if (on && (t->clause != s->tok[start].clause || (i > start + 2 && subject_pronoun(s, i))))
            on = 0;
        if (!on && inc__is_word(s, i) &&
            ((t->bits & INC__W_COND) || (inc__tok_is(s, i, "as") && inc__tok_is(s, i + 1, "soon") &&
                                         inc__tok_is(s, i + 2, "as")))) {
            on = 1;
            start = i;
        }
        in[i] = (unsigned char)on;
    }
}

/* A hedge at i: a hedge word, "looks like", "could/might/may be|have",
 * "not sure". */
int inc__hedge_at(const inc__sentence *s, size_t i)
{
    const inc__tok *t = &s->tok[i];
    size_t j = inc__next_word(s, i, 1);
    if (!inc__is_word(s, i) || (t->flags & INC__T_QUOTED))
        return 0;
    if (t->bits & INC__W_HEDGE) {
        /* "appears to be"; not "documents appear" */
        if (strncmp(t->low, "appear", 6) == 0)
            return j >= s->n || inc__tok_is(s, j, "to") || inc__tok_is(s, j, "that") ||
                   inc__tok_is(s, j, "like") || inc__tok_is(s, j, "be");
        return 1;
    }
    if (strncmp(t->low, "look", 4) == 0 && inc__tok_is(s, j, "like"))
        return 1;
    if ((inc__tok_is(s, i, "could") || inc__tok_is(s, i, "might") ||
         (inc__tok_is(s, i, "may") && !(t->flags & INC__T_CAP && !(t->flags & INC__T_FIRST)))) &&
        (inc__tok_is(s, j, "be") || inc__tok_is(s, j, "have")))
        return 1;
    return inc__tok_is(s, i, "not") && inc__tok_is(s, j, "sure");
}
