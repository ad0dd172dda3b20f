/* Stable bottom-up merge sort of index arrays (see isort.h). */
#include "isort.h"

#include <string.h>

void rg_isort(size_t idx[], size_t n, rg_isort_cmp cmp, const void *ctx, size_t tmp[])
{
    /* insertion sort on runs of 16, then bottom-up merges alternating buffers */
    const size_t run = 16;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = lo + run < n ? lo + run : n;
        for (size_t i = lo + 1; i < hi; i++) {
            size_t v = idx[i], j = i;
            while (j > lo && cmp(idx[j - 1], v, ctx) > 0) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
    }
    size_t *src = idx, *dst = tmp;
    for (size_t width = run; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                dst[o++] = cmp(src[b], src[a], ctx) < 0 ? src[b++] : src[a++];
            while (a < mid)
                dst[o++] = src[a++];
            while (b < hi)
                dst[o++] = src[b++];
        }
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, n * sizeof *idx);
}

typedef struct {
    const double *key;
    size_t stride, offset;
    int desc;
} key_ctx;

static int cmp_key(size_t a, size_t b, const void *vctx)
{
    const key_ctx *c = vctx;
    double ka = c->key[a * c->stride + c->offset], kb = c->key[b * c->stride + c->offset];
    int r = (ka > kb) - (ka < kb);
    return c->desc ? -r : r;
}

void rg_isort_key(size_t idx[], size_t n, const double key[], size_t stride, size_t offset,
                  int desc, size_t tmp[])
{
    key_ctx c = {key, stride, offset, desc};
    rg_isort(idx, n, cmp_key, &c, tmp);
}
