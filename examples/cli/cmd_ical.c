/* incident(1): oncall ical (ONC-7): the shifts of one or more rotation
 * files, or one person's across them, as an iCalendar (RFC 5545) feed. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 60 * 60 * 1000)

static int range(cli *c, const cli_args *a, inc_time *from, inc_time *to)
{
    int rc;
    *from = inc_context_now(c->ctx);
    if (cli_opt_given(a, "from") &&
        (rc = cli_parse_time(c, "--from", cli_opt_value(a, "from"), from)) != CLI_EXIT_OK)
        return rc;
    *to = *from + 28 * DAY_MS;
    if (cli_opt_given(a, "to") &&
        (rc = cli_parse_time(c, "--to", cli_opt_value(a, "to"), to)) != CLI_EXIT_OK)
        return rc;
    return *to > *from ? CLI_EXIT_OK : cli_usage(c, "--to must come after --from");
}

int cli_oncall_ical(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"from", 0, 1}, {"to", 0, 1}, {"person", 'p', 1}};
    inc_rotation **rots = NULL;
    inc_time from, to;
    char *doc = NULL;
    size_t len = 0, n = 0, i;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open(c, CLI_CONTEXT)) != CLI_EXIT_OK ||
        (rc = cli_zoneinfo_dir(c)) != CLI_EXIT_OK || (rc = range(c, &a, &from, &to)) != CLI_EXIT_OK)
        return rc;
    if (!(rots = calloc((size_t)a.npos, sizeof(*rots))))
        return cli_fail(c, INC_ENOMEM, "out of memory");
    for (n = 0; n < (size_t)a.npos; n++)
        if ((rc = cli_load_rotation(c, a.pos[n], &rots[n])) != CLI_EXIT_OK)
            goto out;
    rc = inc_rotation_write_ical((const inc_rotation *const *)rots, n, cli_opt_value(&a, "person"),
                                 from, to, &doc, &len);
    if (rc != INC_OK) {
        rc = cli_fail(c, rc, inc_rotation_errmsg(rots[0]));
        goto out;
    }
    fwrite(doc, 1, len, stdout); /* CRLF line endings, as RFC 5545 wants */
    rc = CLI_EXIT_OK;
out:
    inc_free(doc);
    for (i = 0; i < n; i++)
        inc_rotation_free(rots[i]);
    free(rots);
    return rc;
}
