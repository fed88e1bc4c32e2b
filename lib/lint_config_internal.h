/* A team's own lint words and switched-off findings, as the text lints
 * see them (lib/lint_config.c, include/incident/lint_config.h). NULL means
 * the library's defaults. */
#ifndef INC_LINT_CONFIG_INTERNAL_H
#define INC_LINT_CONFIG_INTERNAL_H

#include <stddef.h>

#include "lint_text.h"

#define INC__PHRASE_WORDS 6

/* A phrase of a team's configuration: its lower-case words and the word
 * classes its first word takes (INC__W_SCOPE, INC__W_VAGUE, ...). */
typedef struct inc__lint_phrase {
    char word[INC__PHRASE_WORDS][INC__WORD_MAX];
    size_t n;
    unsigned bits;
} inc__lint_phrase;

typedef struct inc__lint_config_view {
    const inc__lint_phrase *phrases;
    size_t nphrases;
    const char *const *off; /* rule IDs switched off ("COMM-3.vague") */
    size_t noff;
} inc__lint_config_view;

/* The view of a public handle (NULL for NULL). */
struct inc_lint_config;
const inc__lint_config_view *inc__lint_config_view_of(const struct inc_lint_config *cfg);

/* 1 if @rule_id is switched off in @cfg (NULL: nothing is). */
int inc__lint_config_off(const inc__lint_config_view *cfg, const char *rule_id);

/* Build the lexicon of a lint (the English word list). */
void inc__lint_config_lexicon(const inc__lint_config_view *cfg, inc__lexicon *lex);

/* Read the next sentence and give the words of @cfg's phrases their
 * classes: the first word of a match takes the phrase's bits and, in
 * inc__tok::more, how many words the phrase has after it. */
int inc__lint_next(inc__reader *r, const inc__lint_config_view *cfg, inc__sentence *s);

#endif
