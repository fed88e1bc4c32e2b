/* incident(1): link (LIFE-5): duplicate of a primary, related, recurrence
 * of a closed incident; following a duplicate to its primary. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cli_follow_duplicate(cli *c, inc_incident **inc)
{
    const char *primary = inc_incident_duplicate_of(*inc);
    inc_incident *p = NULL;
    int rc;
    if (!primary)
        return CLI_EXIT_OK;
    if ((rc = cli_open_incident(c, primary, &p)) != CLI_EXIT_OK)
        return rc;
    fprintf(stderr, "incident: %s is a duplicate of %s (LIFE-5): going to %s\n",
            inc_incident_id(*inc), primary, primary);
    inc_incident_free(*inc);
    *inc = p;
    return CLI_EXIT_OK;
}

void cli_print_links(const inc_incident *inc)
{
    size_t i, n = inc_incident_link_count(inc);
    char b[40];
    if (!n)
        return;
    printf("Links (LIFE-5):\n");
    for (i = 0; i < n; i++) {
        const inc_link *l = inc_incident_link(inc, i);
        printf("  %-14s %s  %s by %s%s%s\n", inc_link_kind_name(l->kind), l->incident_id,
               cli_time(l->at, b, sizeof(b)), cli_safe(l->by), l->text ? ": " : "",
               l->text ? cli_safe(l->text) : "");
    }
}

void cli_json_links(jw *w, const inc_incident *inc)
{
    size_t i;
    jw_key(w, "links");
    jw_arr(w);
    for (i = 0; i < inc_incident_link_count(inc); i++) {
        const inc_link *l = inc_incident_link(inc, i);
        jw_obj(w);
        jw_kstr(w, "kind", inc_link_kind_name(l->kind));
        jw_kstr(w, "incident", l->incident_id);
        jw_kstr(w, "by", l->by);
        jw_ktime(w, "at", l->at);
        jw_kstr(w, "text", l->text);
        jw_kint(w, "seq", (long long)l->seq);
        jw_end_obj(w);
    }
    jw_end_arr(w);
    jw_kstr(w, "duplicate_of", inc_incident_duplicate_of(inc));
}

int cmd_link(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    inc_link_kind kind;
    char *why = NULL;
    cli_args a;
    jw w;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 3, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (inc_link_kind_from_name(a.pos[1], &kind) != INC_OK)
        return cli_usage(c, "link: '%s' is not duplicate-of, related or recurrence-of", a.pos[1]);
    if (a.npos > 3 && (rc = cli_join_text(c, &a, 3, &why)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    if ((rc = inc_incident_add_link(inc, c->by, kind, a.pos[2], why)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (c->json) {
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        cli_json_links(&w, inc);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("%s: %s %s%s%s\n", inc_incident_id(inc), inc_link_kind_name(kind), a.pos[2],
               why ? ": " : "", why ? cli_safe(why) : "");
        if (kind == INC_LINK_DUPLICATE_OF)
            printf("%s is closed; pages and changes for it go to %s\n", inc_incident_id(inc),
                   a.pos[2]);
    }
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    free(why);
    return rc;
}
