/* The English word list of the text lints (lint_words.c). */
#ifndef INC_LINT_WORDS_H
#define INC_LINT_WORDS_H

#include "lint_text.h"

extern const inc__lex_entry inc__lint_english[];
extern const size_t inc__lint_english_count;

/* Initialise @lex with the English word list. */
void inc__lint_lexicon(inc__lexicon *lex);

#endif
