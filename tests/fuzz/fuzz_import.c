/* Fuzz target for the JSON import of a whole incident (lib/docs/events.md).
 *
 * Any input either is refused with a consistent diagnostic and leaves the
 * store empty, or imports an incident whose chain verifies (TL-2) and whose
 * export imports again into a fresh store and exports to the same bytes.
 * Anything else aborts, which both libFuzzer and the replay driver report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inc_time fixed_clock(void *user)
{
    (void)user;
    return 1795443120000LL; /* 2026-11-23T14:12:00Z */
}

static int count_ids(void *user, const char *id)
{
    (void)id;
    (*(int *)user)++;
    return 0;
}

static inc_context *new_context(void)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    o.clock = fixed_clock;
    if (inc_context_new(&o, &ctx) != INC_OK)
        abort();
    return ctx;
}

/* The import succeeded: the incident must verify and survive a round trip. */
static void check_round_trip(inc_incident *inc)
{
    inc_context *ctx2 = new_context();
    inc_incident *again = NULL;
    char *json = NULL, *json2 = NULL;
    size_t len = 0, len2 = 0;

    if (inc_incident_verify(inc, NULL) != INC_OK)
        abort();
    if (inc_incident_export_json(inc, &json, &len) != INC_OK)
        abort();
    if (inc_incident_import_json(ctx2, json, len, &again, NULL) != INC_OK)
        abort();
    if (inc_incident_export_json(again, &json2, &len2) != INC_OK || len != len2 ||
        memcmp(json, json2, len) != 0)
        abort();
    inc_free(json2);
    inc_free(json);
    inc_incident_free(again);
    inc_context_free(ctx2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inc_context *ctx = new_context();
    inc_incident *inc = NULL;
    inc_diag d;
    int rc = inc_incident_import_json(ctx, (const char *)data, size, &inc, &d);

    if (rc == INC_OK) {
        check_round_trip(inc);
    } else {
        int n = 0;
        /* Refused: a consistent diagnostic, and nothing written. */
        if (inc || rc >= 0 || d.code != rc || d.message[0] == '\0' ||
            memchr(d.message, '\0', sizeof d.message) == NULL)
            abort();
        if (inc_context_list(ctx, count_ids, &n) != INC_OK || n != 0)
            abort();
    }
    inc_incident_free(inc);
    inc_context_free(ctx);
    return 0;
}
