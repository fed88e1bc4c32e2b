/* incident(1): field (RUB-6): the IC sets a custom field the incident's
 * rubric declares; `show` lists the declared fields with their values. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Call @fn with the name of each field the incident's rubric declares:
 * the rubric text format's "field = NAME ..." lines (rubric-format.md). */
static void each_declared_field(const inc_incident *inc, void (*fn)(void *, const char *),
                                void *user)
{
    char *text = NULL, name[64];
    if (inc_rubric_write(inc_incident_rubric(inc), &text, NULL) != INC_OK)
        return;
    for (const char *p = text; (p = strstr(p, "\nfield = ")) != NULL;) {
        size_t n;
        p += strlen("\nfield = ");
        n = strcspn(p, " \n");
        if (n < sizeof(name)) {
            memcpy(name, p, n);
            name[n] = '\0';
            fn(user, name);
        }
    }
    inc_free(text);
}

struct field_walk {
    const inc_incident *inc;
    jw *w;
    int printed;
};

static void print_field(void *user, const char *name)
{
    struct field_walk *fw = user;
    const char *v = inc_incident_field(fw->inc, name);
    if (!fw->printed++)
        printf("Fields (RUB-6):\n");
    printf("  %-14s %s\n", name, v ? cli_safe(v) : "-");
}

static void json_field(void *user, const char *name)
{
    struct field_walk *fw = user;
    jw_kstr(fw->w, name, inc_incident_field(fw->inc, name));
}

void cli_print_fields(const inc_incident *inc)
{
    struct field_walk fw = {inc, NULL, 0};
    each_declared_field(inc, print_field, &fw);
}

void cli_json_fields(jw *w, const inc_incident *inc)
{
    struct field_walk fw = {inc, w, 0};
    jw_key(w, "fields");
    jw_obj(w);
    each_declared_field(inc, json_field, &fw);
    jw_end_obj(w);
}

int cmd_field(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    cli_args a;
    jw w;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 3, 3, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        goto out;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        goto out;
    if ((rc = inc_incident_set_field(inc, c->by, a.pos[1], a.pos[2])) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (c->json) {
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        cli_json_fields(&w, inc);
        jw_end_obj(&w);
        jw_finish(&w);
    } else
        printf("%s: %s = %s\n", inc_incident_id(inc), a.pos[1],
               cli_safe(inc_incident_field(inc, a.pos[1])));
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    return rc;
}
