/* The pieces of the external-update lint (COMM-3) that its two files
 * share: update_lint.c reads the trouble, the next update, promises and
 * speculation; update_scope.c reads what is affected. */
#ifndef INC_UPDATE_LINT_INTERNAL_H
#define INC_UPDATE_LINT_INTERNAL_H

#include <stddef.h>

#include "lint_text.h"

#define INC__UPDATE_MAX_COMPONENTS 16
#define INC__UPDATE_MAX_COMP_WORDS 6

/* One of the incident's components, as its lower-case singular words. */
typedef struct inc__update_component {
    char word[INC__UPDATE_MAX_COMP_WORDS][INC__WORD_MAX];
    size_t n;
} inc__update_component;

typedef struct inc__update_scope {
    inc__update_component comp[INC__UPDATE_MAX_COMPONENTS];
    size_t ncomp;
} inc__update_scope;

/* Read @components (comma-separated, may be NULL) into @sc. */
void inc__update_scope_init(inc__update_scope *sc, const char *components);
/* Does sentence @s name what is affected? */
int inc__update_scope_names(const inc__update_scope *sc, const inc__sentence *s);

/* Does token i say what users see ("failing", "not loading", "timing
 * out", a quoted message, "trouble uploading")? */
int inc__update_symptom_at(const inc__sentence *s, size_t i);
/* Is token i an outcome ("resolved", "back", "working again", "caught
 * up")? */
int inc__update_outcome_at(const inc__sentence *s, size_t i);

#endif
