/* write_summary DIR: a store-wide read of the journal DIR through a writable
 * handle, which writes its SUMMARY cache (lib/docs/journal-format.md). The
 * incident(1) CLI opens the store read-only for its store-wide reads, so it
 * never writes one; tests/format/check_formats.py needs a SUMMARY to read. */
#include <stdio.h>

#include "incident.h"

int main(int argc, char **argv)
{
    inc_store *store = NULL;
    inc_context *ctx = NULL;
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_metrics *m = NULL;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: write_summary DIR\n");
        return 2;
    }
    rc = inc_store_journal_open(argv[1], NULL, &store);
    if (rc == INC_OK) {
        co.store = store;
        rc = inc_context_new(&co, &ctx);
    }
    if (rc == INC_OK)
        rc = inc_metrics_compute(ctx, NULL, &m);
    if (rc != INC_OK)
        fprintf(stderr, "write_summary: %s: %s\n", argv[1],
                ctx ? inc_context_errmsg(ctx) : "cannot open the journal");
    inc_metrics_free(m);
    inc_context_free(ctx);
    inc_store_free(store);
    return rc == INC_OK ? 0 : 1;
}
