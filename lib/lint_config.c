/* A team's own lint words (lint_config_internal.h). */
#include <string.h>

#include "lint_config_internal.h"
#include "lint_words.h"

int inc__lint_config_off(const inc__lint_config_view *cfg, const char *rule_id)
{
    size_t i;
    if (!cfg)
        return 0;
    for (i = 0; i < cfg->noff; i++)
        if (strcmp(cfg->off[i], rule_id) == 0)
            return 1;
    return 0;
}

void inc__lint_config_lexicon(const inc__lint_config_view *cfg, inc__lexicon *lex)
{
    inc__lint_lexicon(lex);
    if (cfg)
        inc__lex_add(lex, cfg->words, cfg->nwords);
}
