/* incident(1): reopen (LIFE-4): the IC takes a resolved incident back to
 * investigating or mitigating, with a justification. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_reopen(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    inc_state st;
    char *why = NULL;
    cli_args a;
    jw w;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 3, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (inc_state_from_name(a.pos[1], &st) != INC_OK ||
        (st != INC_STATE_INVESTIGATING && st != INC_STATE_MITIGATING))
        return cli_usage(c, "reopen: '%s' is not investigating or mitigating (LIFE-4)", a.pos[1]);
    if ((rc = cli_join_text(c, &a, 2, &why)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    if ((rc = inc_incident_reopen(inc, c->by, st, why)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (c->json) {
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kint(&w, "reopen_count", inc_incident_reopen_count(inc));
        jw_ktime(&w, "reopened_at", inc_incident_reopened_at(inc));
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("%s: reopened, resolved -> %s: %s\n", inc_incident_id(inc), inc_state_name(st),
               cli_safe(why));
        printf("The escalation ladder, the acknowledgement and the update cadences start again "
               "now.\n");
    }
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    free(why);
    return rc;
}
