/* Introselect over int64_t (select.h). */
#include "util/select.h"

static void swap(int64_t *a, int64_t *b)
{
    int64_t t = *a;
    *a = *b;
    *b = t;
}

static void sift_down(int64_t *v, size_t n, size_t i)
{
    for (;;) {
        size_t big = i, l = 2 * i + 1, r = l + 1;
        if (l < n && v[l] > v[big])
            big = l;
        if (r < n && v[r] > v[big])
            big = r;
        if (big == i)
            return;
        swap(&v[i], &v[big]);
        i = big;
    }
}

static void heap_sort(int64_t *v, size_t n)
{
    size_t i;
    for (i = n / 2; i-- > 0;)
        sift_down(v, n, i);
    for (i = n; i-- > 1;) {
        swap(&v[0], &v[i]);
        sift_down(v, i, 0);
    }
}

/* Median of three to v[lo]; then a Hoare partition around it. Returns the
 * split: v[lo..j] <= pivot <= v[j+1..hi]. */
static size_t partition(int64_t *v, size_t lo, size_t hi)
{
    size_t mid = lo + (hi - lo) / 2, i = lo, j = hi + 1;
    int64_t pivot;
    if (v[mid] < v[lo])
        swap(&v[mid], &v[lo]);
    if (v[hi] < v[lo])
        swap(&v[hi], &v[lo]);
    if (v[hi] < v[mid])
        swap(&v[hi], &v[mid]);
    swap(&v[lo], &v[mid]); /* the median of the three is the pivot */
    pivot = v[lo];
    for (;;) {
        do
            i++;
        while (i <= hi && v[i] < pivot);
        do
            j--;
        while (v[j] > pivot);
        if (i >= j)
            break;
        swap(&v[i], &v[j]);
    }
    swap(&v[lo], &v[j]);
    return j;
}

int64_t inc__select_i64(int64_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1, budget = 2;
    for (size_t m = n; m > 1; m >>= 1)
        budget += 2; /* 2 log2 n partitions, then the guaranteed bound */
    while (hi > lo) {
        size_t p;
        if (budget-- == 0) {
            heap_sort(v + lo, hi - lo + 1);
            break;
        }
        p = partition(v, lo, hi);
        if (p == k)
            break;
        if (k < p)
            hi = p - 1;
        else
            lo = p + 1;
    }
    return v[k];
}
