/* A team's own lint words and switched-off findings, as the text lints
 * see them (lib/lint_config.c). NULL means the library's defaults. */
#ifndef INC_LINT_CONFIG_INTERNAL_H
#define INC_LINT_CONFIG_INTERNAL_H

#include <stddef.h>

#include "lint_text.h"

typedef struct inc__lint_config_view {
    const inc__lex_entry *words; /* added words, lower case */
    size_t nwords;
    const char *const *off; /* rule IDs switched off ("COMM-3.vague") */
    size_t noff;
} inc__lint_config_view;

/* 1 if @rule_id is switched off in @cfg (NULL: nothing is). */
int inc__lint_config_off(const inc__lint_config_view *cfg, const char *rule_id);

/* Build the lexicon of a lint: the English word list and @cfg's words. */
void inc__lint_config_lexicon(const inc__lint_config_view *cfg, inc__lexicon *lex);

#endif
