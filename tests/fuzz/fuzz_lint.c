/* Fuzz target for the text lints (issue 17): COMM-3, CAN-2 and PM-4 on
 * any bytes, through the engine itself (so invalid UTF-8, NUL bytes and
 * texts past INC_TEXT_MAX reach the sentence reader) and through the
 * public calls (which refuse what is not text with a clear code).
 *
 * The first byte picks the lifecycle state; the rest is the text, split
 * at the first two 0x1F bytes into the three CAN slots. Every finding's
 * span lies inside its text and starts and ends on a character boundary
 * of valid text; anything else aborts, which both libFuzzer and the replay
 * driver report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "after/postmortem_internal.h"
#include "comms/comms_internal.h"
#include "findings_internal.h"
#include "incident.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_spans(const inc_findings *f, const char *const *slot, const size_t *len)
{
    size_t i;
    for (i = 0; i < inc_findings_count(f); i++) {
        const inc_finding *x = inc_findings_at(f, i);
        size_t n = x->slot >= 0 && x->slot < 3 ? len[x->slot] : 0;
        if (x->length == 0)
            continue;
        if (x->slot < 0 || x->slot > 2 || x->offset + x->length > n || !slot[x->slot])
            abort();
        if (((unsigned char)slot[x->slot][x->offset] & 0xC0) == 0x80 &&
            ((unsigned char)slot[x->slot][0] & 0x80) == 0)
            abort(); /* a span never starts inside a character of ASCII-led text */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inc_allocator a;
    inc_findings *f = NULL;
    char *text;
    const char *slot[3];
    size_t len[3], cut1, cut2;
    inc_state st;

    if (size < 1)
        return 0;
    st = (inc_state)(data[0] % 5);
    data++;
    size--;
    if (!(text = malloc(size + 1)))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    inc__alloc_init(&a, NULL);

    /* the engine on raw bytes (NUL included: it reads @len bytes) */
    if (inc__findings_new(&a, &f) != INC_OK)
        abort();
    if (inc__update_lint_cfg(f, text, size, st, "Checkout, Ledger Sync", NULL) != INC_OK)
        abort();
    slot[0] = text;
    len[0] = size;
    check_spans(f, slot, len);
    inc_findings_free(f);
    if (inc__findings_new(&a, &f) != INC_OK ||
        inc__pm_lint_into(f, text, size, 0, "the text") != INC_OK)
        abort();
    check_spans(f, slot, len);
    inc_findings_free(f);

    /* the public calls on the NUL-terminated text, as three CAN slots */
    cut1 = strcspn(text, "\x1F");
    cut2 = text[cut1] ? cut1 + 1 + strcspn(text + cut1 + 1, "\x1F") : cut1;
    slot[0] = text;
    slot[1] = text[cut1] ? text + cut1 + 1 : NULL;
    slot[2] = text[cut1] && text[cut2] ? text + cut2 + 1 : NULL;
    if (text[cut1])
        text[cut1] = '\0';
    if (slot[2])
        text[cut2] = '\0';
    len[0] = strlen(slot[0]);
    len[1] = slot[1] ? strlen(slot[1]) : 0;
    len[2] = slot[2] ? strlen(slot[2]) : 0;
    if (inc_can_lint(slot[0], slot[1], slot[2], NULL, &f) == INC_OK) {
        check_spans(f, slot, len);
        inc_findings_free(f);
    } else if (f != NULL)
        abort();
    if (inc_update_lint(slot[0], st, NULL, NULL, &f) == INC_OK)
        inc_findings_free(f);
    else if (f != NULL)
        abort();
    free(text);
    return 0;
}
