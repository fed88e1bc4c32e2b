/* Order statistics without sorting: the k-th smallest of an array in
 * linear expected time (quickselect), with a guaranteed O(n log n) bound
 * when the pivots keep going wrong (introselect: the rest is heap-sorted).
 * Medians over a whole store use it: sorting 100,000 durations per figure
 * was a fifth of the metrics' time. */
#ifndef INC_UTIL_SELECT_H
#define INC_UTIL_SELECT_H

#include <stddef.h>
#include <stdint.h>

/* Reorder @v (@n > @k values) so that v[k] is the value a sort would put
 * there, no v[i] with i < k is larger and none after is smaller; returns
 * v[k]. */
int64_t inc__select_i64(int64_t *v, size_t n, size_t k);

#endif
