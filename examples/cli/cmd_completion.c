/* incident(1): completion: shell completion scripts for bash, zsh and fish.
 *
 * The scripts are small: they hand the words typed so far to
 * `incident completion --complete INDEX -- WORDS...`, which prints the
 * candidates for word INDEX, one a line (the shell filters them by what is
 * typed). So the commands, options, incident ids of the store, levels of the
 * rubric, roles and states come from the tool itself and stay in step. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char bash_script[] =
    "# bash completion for incident(1): eval \"$(incident completion bash)\"\n"
    "_incident() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\\n'\n"
    "    COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" completion --complete \"$COMP_CWORD\" "
    "\\\n"
    "        -- \"${COMP_WORDS[@]}\" 2>/dev/null)\" -- \"$cur\"))\n"
    "}\n"
    "complete -o default -F _incident incident\n";

static const char zsh_script[] =
    "#compdef incident\n"
    "# zsh completion for incident(1): source <(incident completion zsh)\n"
    "_incident() {\n"
    "    local -a cands\n"
    "    cands=(${(f)\"$(${words[1]} completion --complete $((CURRENT - 1)) -- \"${words[@]}\" "
    "2>/dev/null)\"})\n"
    "    compadd -a cands || _files\n"
    "}\n"
    "compdef _incident incident\n";

static const char fish_script[] =
    "# fish completion for incident(1): incident completion fish | source\n"
    "function __incident_complete\n"
    "    set -l words (commandline -opc)\n"
    "    incident completion --complete (count $words) -- $words (commandline -ct) 2>/dev/null\n"
    "end\n"
    "complete -c incident -f -a '(__incident_complete)'\n";

/* What the word after an option is. */
static const char *option_value_kind(const char *opt)
{
    if (strcmp(opt, "--sev") == 0 || strcmp(opt, "-s") == 0 || strcmp(opt, "--level") == 0)
        return "level";
    if (strcmp(opt, "--sort") == 0)
        return "sort";
    if (strcmp(opt, "--state") == 0)
        return "state";
    if (strcmp(opt, "--color") == 0)
        return "color";
    if (strcmp(opt, "--tz") == 0)
        return "tz";
    if (strcmp(opt, "--role") == 0)
        return "role";
    return NULL;
}

/* The kind of the positional argument `pos` (0: the first after the
 * command) of `cmd`, or NULL for free text. */
static const char *positional_kind(const char *cmd, int pos)
{
    static const char *const no_id[] = {"declare", "list", "lint",       "import", "metrics",
                                        "oncall",  "seal", "completion", "help"};
    size_t i;
    if (pos == 0) {
        for (i = 0; i < sizeof(no_id) / sizeof(no_id[0]); i++)
            if (strcmp(cmd, no_id[i]) == 0)
                return strcmp(cmd, "lint") == 0         ? "lint"
                       : strcmp(cmd, "completion") == 0 ? "shell"
                       : strcmp(cmd, "oncall") == 0     ? "oncall"
                       : strcmp(cmd, "help") == 0       ? "command"
                                                        : NULL;
        return strcmp(cmd, "action") == 0 ? "id-or-list" : "id";
    }
    if (pos == 1 && strcmp(cmd, "sev") == 0)
        return "level";
    if (pos == 1 && strcmp(cmd, "state") == 0)
        return "state";
    if (pos == 1 && strcmp(cmd, "update") == 0)
        return "audience";
    if (pos == 1 && strcmp(cmd, "clock") == 0)
        return "clock";
    if (pos == 2 && (strcmp(cmd, "assign") == 0 || strcmp(cmd, "release") == 0))
        return "role";
    if (pos == 2 && strcmp(cmd, "decide") == 0)
        return "verdict";
    return NULL;
}

static int print_id(void *user, const char *id)
{
    (void)user;
    printf("%s\n", id);
    return 0;
}

static void print_words(const char *const *words, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        printf("%s\n", words[i]);
}

/* Print the candidates of one kind. The store and rubric are opened only
 * for ids and levels; a failure prints nothing (stderr is discarded). */
static void print_kind(cli *c, const char *kind)
{
    static const char *const states[] = {"declared",   "investigating", "mitigating",
                                         "monitoring", "resolved",      "closed"};
    static const char *const colors[] = {"auto", "always", "never"};
    static const char *const zones[] = {"UTC", "local"};
    static const char *const shells[] = {"bash", "zsh", "fish"};
    static const char *const lints[] = {"can", "update", "postmortem"};
    static const char *const oncall[] = {"who", "shifts", "check"};
    static const char *const audiences[] = {"external", "internal", "response"};
    static const char *const clocks[] = {"start", "stop"};
    static const char *const verdicts[] = {"approve", "deny"};
    const char *names[64];
    size_t i, n;
#define WORDS(list) print_words(list, sizeof(list) / sizeof(list[0]))
    if (strcmp(kind, "state") == 0)
        WORDS(states);
    else if (strcmp(kind, "color") == 0)
        WORDS(colors);
    else if (strcmp(kind, "tz") == 0)
        WORDS(zones);
    else if (strcmp(kind, "shell") == 0)
        WORDS(shells);
    else if (strcmp(kind, "lint") == 0)
        WORDS(lints);
    else if (strcmp(kind, "oncall") == 0)
        WORDS(oncall);
    else if (strcmp(kind, "audience") == 0)
        WORDS(audiences);
    else if (strcmp(kind, "clock") == 0)
        WORDS(clocks);
    else if (strcmp(kind, "verdict") == 0)
        WORDS(verdicts);
    else if (strcmp(kind, "sort") == 0)
        for (i = 0; inc_incident_sort_name((inc_incident_sort)i); i++)
            printf("%s\n", inc_incident_sort_name((inc_incident_sort)i));
    else if (strcmp(kind, "command") == 0)
        print_words(names, cli_command_names(names, 64));
    else if (strcmp(kind, "role") == 0)
        for (i = 0; i < INC_ROLE_COUNT; i++)
            printf("%s\n", inc_role_name((inc_role)i));
    else if (strcmp(kind, "level") == 0 && cli_open(c, CLI_STORE_RO) == CLI_EXIT_OK) {
        const inc_rubric *r = inc_context_rubric(c->ctx);
        for (i = 0, n = inc_rubric_level_count(r); i < n; i++)
            printf("%s\n", inc_rubric_level_name(r, i));
    } else if ((strcmp(kind, "id") == 0 || strcmp(kind, "id-or-list") == 0) &&
               cli_open(c, CLI_STORE_RO) == CLI_EXIT_OK) {
        if (strcmp(kind, "id-or-list") == 0)
            printf("list\n");
        (void)inc_context_list(c->ctx, print_id, NULL);
    }
#undef WORDS
}

/* The candidates for words[index] (words[0] is the program). */
static int complete(cli *c, int index, char **words, int nwords)
{
    const char *cmd = NULL, *prev = index > 1 && index - 1 < nwords ? words[index - 1] : "";
    const char *cur = index < nwords ? words[index] : "", *kind, *names[32];
    int i, pos = 0;
    size_t k, n;
    for (i = 1; i < index && i < nwords; i++) {
        const char *w = words[i];
        if (w[0] == '-' && w[1] == '-' && !strchr(w, '=') && cli_global_takes_value(w + 2) > 0) {
            if (i + 1 < index && i + 1 < nwords &&
                (!strcmp(w, "--store") || !strcmp(w, "--rubric")))
                (void)cli_set_global(c, w + 2, words[i + 1]); /* ids and levels from there */
            i++;
        } else if (w[0] == '-' && w[1] != '\0') {
            if (strncmp(w, "--store=", 8) == 0 || strncmp(w, "--rubric=", 9) == 0)
                (void)cli_set_global(c, w[2] == 's' ? "store" : "rubric", strchr(w, '=') + 1);
        } else if (!cmd) {
            cmd = w;
        } else {
            pos++;
        }
    }
    if ((kind = option_value_kind(prev)) != NULL) {
        print_kind(c, kind);
    } else if (cur[0] == '-') {
        if (cmd)
            cli_print_help_options(cmd);
        for (k = 0, n = cli_global_names(names, 32); k < n; k++)
            printf("--%s\n", names[k]);
        printf("--help\n");
        if (!cmd)
            printf("--version\n");
    } else if (!cmd) {
        print_kind(c, "command");
    } else if ((kind = positional_kind(cmd, pos)) != NULL) {
        print_kind(c, kind);
    }
    return CLI_EXIT_OK;
}

int cmd_completion(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"complete", 0, 1}};
    const char *at;
    char *end;
    long index;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 0, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    c->json = 0; /* completion output is for a shell, never JSON */
    if ((at = cli_opt_value(&a, "complete")) != NULL) {
        index = strtol(at, &end, 10);
        if (*end || index < 1 || index > 1000)
            return cli_usage(c, "--complete: '%s' is not a word index", cli_safe(at));
        return complete(c, (int)index, a.pos, a.npos);
    }
    if (a.npos != 1)
        return cli_usage(c, "say which shell: incident completion bash|zsh|fish");
    if (strcmp(a.pos[0], "bash") == 0)
        fputs(bash_script, stdout);
    else if (strcmp(a.pos[0], "zsh") == 0)
        fputs(zsh_script, stdout);
    else if (strcmp(a.pos[0], "fish") == 0)
        fputs(fish_script, stdout);
    else {
        static const char *const shells[] = {"bash", "zsh", "fish"};
        return cli_unknown(c, "shell", a.pos[0], shells, 3);
    }
    return CLI_EXIT_OK;
}
