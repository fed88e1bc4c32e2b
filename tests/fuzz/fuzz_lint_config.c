/* Fuzz target for the lint configuration format (lib/docs/lint-config.md):
 * any input either fails with a consistent diagnostic and no handle, or
 * parses to a configuration that the three lints accept. Anything else
 * aborts, which both libFuzzer and the replay driver report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inc_lint_config *c = NULL;
    inc_findings *f = NULL;
    inc_diag d;
    int rc = inc_lint_config_parse(NULL, (const char *)data, size, &c, &d);
    if (rc != INC_OK) {
        if (c != NULL || d.code != rc || memchr(d.message, '\0', sizeof d.message) == NULL ||
            d.message[0] == '\0')
            abort();
        return 0;
    }
    if (c == NULL || d.code != INC_OK)
        abort();
    if (inc_update_lint_with("We are investigating an issue with Ledger Sync; it should be back "
                             "any moment now. Next update at 15:00 UTC.",
                             INC_STATE_MITIGATING, "Checkout", c, NULL, &f) != INC_OK)
        abort();
    inc_findings_free(f);
    if (inc_can_lint_with("I reckon the disk is full.", "Will purge the queue.", NULL, c, NULL,
                          &f) != INC_OK)
        abort();
    inc_findings_free(f);
    if (inc_postmortem_lint_with("It was human error.", c, NULL, &f) != INC_OK)
        abort();
    inc_findings_free(f);
    inc_lint_config_free(c);
    return 0;
}
