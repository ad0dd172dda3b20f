/* Internal to src/optimize: a stable merge sort of index arrays by a comparator with
 * context. qsort is neither stable nor context-aware; the optimiser's results must not
 * depend on the C library's sort, so every ordering it uses goes through this. */
#ifndef REGIMEN_OPTIMIZE_ISORT_H
#define REGIMEN_OPTIMIZE_ISORT_H

#include <stddef.h>

/* < 0 when a goes before b, > 0 after, 0 equal (then the input order is kept). */
typedef int (*rg_isort_cmp)(size_t a, size_t b, const void *ctx);

/* Sorts idx[0 .. n - 1] stably; tmp holds n entries. */
void rg_isort(size_t idx[], size_t n, rg_isort_cmp cmp, const void *ctx, size_t tmp[]);

/* Sorts idx by key[idx * stride + offset] ascending (descending when desc), stably. */
void rg_isort_key(size_t idx[], size_t n, const double key[], size_t stride, size_t offset,
                  int desc, size_t tmp[]);

#endif
