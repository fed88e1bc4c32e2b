/* The sentence reader behind the text lints (COMM-3, CAN-2, PM-4): it cuts
 * UTF-8 text into sentences, sentences into clauses and words, and tags
 * each word with the word classes a lint gave it in a lexicon. The lints
 * then read sentences, not words: "will" after "Paged" is a name, "once
 * the issue is resolved" is a condition, "an issue" is vague only when no
 * sentence says what users see.
 *
 * Sentences end at '.', '!' or '?' followed by white space, a quote or the
 * end (not after "a.m", "e.g" and similar), at a line break (unless the
 * next line is indented: a continued bullet), and after
 * INC__SENT_MAX_TOKENS tokens (a text without punctuation is read in
 * pieces, so the time stays linear). Clauses end at ',', ';', ':', dashes,
 * brackets and bullets. Words are runs of letters and digits, joined by
 * an apostrophe, '-', '.', ':', '/', '_' or '&' between two of them
 * ("us-east-1", "14:30", "GitLab.com", "we'll"). Quoted text (between
 * '"' or curly double quotes) is marked: it is someone else's words.
 * Invalid UTF-8 is read byte by byte as punctuation; emoji and symbols
 * are skipped. */
#ifndef INC_LINT_TEXT_H
#define INC_LINT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define INC__SENT_MAX_TOKENS 96
#define INC__WORD_MAX        24 /* bytes kept of a word's lower-case form */
#define INC__LEX_SLOTS       2048

/* Word classes (a lexicon entry's bits). Each lint gives its own meaning
 * to the ones it uses; the names say what they are for. */
enum {
    INC__W_SYMPTOM = 1u << 0,  /* what users see: fail, error, slow, unable */
    INC__W_GENERIC = 1u << 1,  /* trouble in general: issue, problem */
    INC__W_RECOVERY = 1u << 2, /* normal, restored, recovered */
    INC__W_HEDGE = 1u << 3,    /* believe, probably, likely, maybe */
    INC__W_CAUSE = 1u << 4,    /* cause, caused, due, because, responsible */
    INC__W_COND = 1u << 5,     /* once, when, until, if, after */
    INC__W_MODAL = 1u << 6,    /* will, shall, should */
    INC__W_OUTCOME = 1u << 7,  /* resolved, fixed, restored, back */
    INC__W_ESTIMATE = 1u << 8, /* estimate, expect, anticipate, eta */
    INC__W_SOON = 1u << 9,     /* soon, shortly */
    INC__W_FILLER = 1u << 10,  /* a word that names nothing affected */
    INC__W_COMM = 1u << 11,    /* update, post, share */
    INC__W_FUTURE = 1u << 12,  /* next, another, again, within */
    INC__W_UNIT = 1u << 13,    /* minute, hour */
    INC__W_ZONE = 1u << 14,    /* utc, pt, cest */
    INC__W_NEG = 1u << 15,     /* not, no, never, rather, without */
    INC__W_PERSON = 1u << 16,  /* engineer, operator, he, whoever */
    INC__W_BLAME = 1u << 17,   /* careless, negligent, sloppy */
    INC__W_LAPSE = 1u << 18,   /* forgot, neglected, ignored */
    INC__W_DET = 1u << 19,     /* the, a, our, this */
    INC__W_FEATURE = 1u << 20, /* login, checkout, api, dashboard */
    INC__W_IMPACT = 1u << 21,  /* affected, impacted */
    INC__W_USER = 1u << 22,    /* users, customers, merchants */
    INC__W_DAY = 1u << 23,     /* tomorrow, monday, noon */
    INC__W_PROMISE = 1u << 24, /* a team's own promise word (lint config) */
    INC__W_VAGUE = 1u << 25,   /* a team's own vague word (lint config) */
    INC__W_SCOPE = 1u << 26,   /* a team's own service name (lint config) */
    INC__W_QUAL = 1u << 27,    /* further, any, new: "further issues" */
    INC__W_NONAME = 1u << 28,  /* capitalised, yet names nothing: Engineering, Update */
    INC__W_THING = 1u << 29,   /* machinery or a page: names what fails only as its subject */
    INC__W_AUX = 1u << 30      /* a form of be, have or get: is, were, been, has, got */
};

typedef struct inc__lex_entry {
    const char *word; /* lower-case ASCII, base form ("fail" finds "failing") */
    unsigned bits;
} inc__lex_entry;

/* An open-addressing table of words; built per lint call from static
 * tables (and a team's configuration), so nothing is shared between
 * threads. */
typedef struct inc__lexicon {
    const char *word[INC__LEX_SLOTS];
    uint32_t hash[INC__LEX_SLOTS]; /* of each word, checked before strcmp */
    unsigned bits[INC__LEX_SLOTS];
    size_t count;
} inc__lexicon;

void inc__lex_init(inc__lexicon *lex);
/* Add @n entries (bits are OR-ed into an existing word's). Words past
 * the table's capacity are dropped: the tables are far smaller. */
void inc__lex_add(inc__lexicon *lex, const inc__lex_entry *e, size_t n);
void inc__lex_add_word(inc__lexicon *lex, const char *word, unsigned bits);
/* The bits of @word (lower-case), trying its base forms: "-s", "-es",
 * "-ed", "-d", "-ing" (and "-ing" + "e"), "-ly", a doubled final letter. */
unsigned inc__lex_find(const inc__lexicon *lex, const char *word);

/* Token flags. */
enum {
    INC__T_WORD = 1u << 0,
    INC__T_CAP = 1u << 1,     /* starts with an upper-case ASCII letter */
    INC__T_ALLCAPS = 1u << 2, /* two or more letters, all upper case */
    INC__T_DIGIT = 1u << 3,   /* has a digit */
    INC__T_FIRST = 1u << 4,   /* first word of its sentence (or after ':' or a bullet) */
    INC__T_QUOTED = 1u << 5,  /* inside quotes */
    INC__T_KNOWN = 1u << 6,   /* found in the lexicon */
    INC__T_JOINED = 1u << 7   /* has an inner '-', '.', '/' or '_' */
};

typedef struct inc__tok {
    size_t off, len;         /* bytes in the text */
    unsigned bits;           /* lexicon classes (0 for punctuation) */
    unsigned flags;          /* INC__T_* */
    unsigned clause;         /* index of its clause in the sentence */
    char punct;              /* the character for punctuation tokens, else 0 */
    unsigned char more;      /* words after this one in a team's phrase (lint config) */
    char low[INC__WORD_MAX]; /* lower-case form, NUL-terminated, maybe cut */
} inc__tok;

typedef struct inc__sentence {
    inc__tok tok[INC__SENT_MAX_TOKENS];
    size_t n;
    size_t start, end; /* bytes */
    int question;      /* ends with '?' */
} inc__sentence;

typedef struct inc__reader {
    const char *text;
    size_t len, pos;
    const inc__lexicon *lex;
    int quoted;
} inc__reader;

void inc__reader_init(inc__reader *r, const char *text, size_t len, const inc__lexicon *lex);
/* Read the next sentence into @s; 0 at the end of the text. */
int inc__reader_next(inc__reader *r, inc__sentence *s);

/* Helpers on a sentence. */
int inc__tok_is(const inc__sentence *s, size_t i, const char *word);
int inc__tok_has(const inc__sentence *s, size_t i, unsigned bits);
/* Is token i the start of a time expression ("15:00", "3 pm", "1430Z",
 * "30 minutes", "20m", "an hour", "the hour", "Tuesday")? */
int inc__tok_is_time(const inc__sentence *s, size_t i);
/* Index of the next word token after @i (or s->n), within the clause of @i
 * when @same_clause. */
size_t inc__next_word(const inc__sentence *s, size_t i, int same_clause);

int inc__is_word(const inc__sentence *s, size_t i);
/* The last word of the team's phrase that starts at word i (i itself when
 * none does: see inc__tok::more). */
size_t inc__phrase_last(const inc__sentence *s, size_t i);
/* Set in[i] for each token inside a condition: from "once", "when",
 * "until", "if", "after", "unless", "as soon as" to the end of its clause
 * or to the subject of the main clause ("When the backlog is cleared we
 * will ..."). @in has room for s->n entries. */
void inc__conditions(const inc__sentence *s, unsigned char *in);
/* Is token i a hedge: a hedge word ("probably", "we believe", "appears
 * to"), "looks like", "could/might/may be|have", "not sure"? "May" as a
 * name is not. */
int inc__hedge_at(const inc__sentence *s, size_t i);

#endif
