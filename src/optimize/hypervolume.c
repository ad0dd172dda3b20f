/* Exact hypervolume (hypervolume.h): 2-D sweep, 3-D dimension sweep (Fonseca, Paquete and
 * Lopez-Ibanez 2006; Beume et al. 2009, "On the complexity of computing the hypervolume
 * indicator", IEEE TEC 13(5)), WFG for 4 or more objectives (While, Bradstreet and Barone
 * 2012, IEEE TEC 16(1)). All minimised. */
#include "regimen/hypervolume.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isort.h"
#include "regimen/status.h"

enum { BS_MAX_LEVELS = 12 };
#define BS_NONE ((size_t)-1)

/* Hierarchical bitset over 0 .. n-1: predecessor and successor in O(log_64 n). */
typedef struct {
    size_t nlev;
    uint64_t *w[BS_MAX_LEVELS];
    size_t nw[BS_MAX_LEVELS];
} bitset;

struct rg_hv_workspace {
    size_t capacity, n_obj;
    /* sweeps */
    double *xs, *ys, *zs, *xr, *yr;
    size_t *ord, *ordz, *rank, *tmp;
    bitset bs;
    /* WFG: one point buffer per dimension 4..n_obj, and a scratch for permutations */
    double *level[RG_MAX_HV_DIMS];
    size_t *lorder[RG_MAX_HV_DIMS];
    double *scratch;
};

static int bs_alloc(bitset *b, size_t n)
{
    memset(b, 0, sizeof *b);
    size_t bits = n > 0 ? n : 1;
    do {
        if (b->nlev == BS_MAX_LEVELS)
            return RG_ENOMEM;
        size_t words = (bits + 63) / 64;
        b->w[b->nlev] = calloc(words, sizeof(uint64_t));
        if (!b->w[b->nlev])
            return RG_ENOMEM;
        b->nw[b->nlev] = words;
        b->nlev++;
        bits = words;
    } while (bits > 1);
    return RG_OK;
}

static void bs_free(bitset *b)
{
    for (size_t l = 0; l < b->nlev; l++)
        free(b->w[l]);
}

static void bs_clear_all(bitset *b)
{
    for (size_t l = 0; l < b->nlev; l++)
        memset(b->w[l], 0, b->nw[l] * sizeof(uint64_t));
}

static void bs_set(bitset *b, size_t i)
{
    for (size_t l = 0; l < b->nlev; l++, i >>= 6)
        b->w[l][i >> 6] |= UINT64_C(1) << (i & 63);
}

static void bs_clear(bitset *b, size_t i)
{
    for (size_t l = 0; l < b->nlev; l++, i >>= 6) {
        b->w[l][i >> 6] &= ~(UINT64_C(1) << (i & 63));
        if (b->w[l][i >> 6])
            break;
    }
}

static int top_bit(uint64_t m)
{
    return 63 - __builtin_clzll(m);
}

static int low_bit(uint64_t m)
{
    return __builtin_ctzll(m);
}

/* Largest set position < i. */
static size_t bs_pred(const bitset *b, size_t i)
{
    for (size_t l = 0; l < b->nlev; l++) {
        size_t wi = i >> 6;
        unsigned bit = (unsigned)(i & 63);
        uint64_t m = bit ? b->w[l][wi] & ((UINT64_C(1) << bit) - 1) : 0;
        if (m) {
            size_t pos = wi * 64 + (size_t)top_bit(m);
            while (l-- > 0)
                pos = pos * 64 + (size_t)top_bit(b->w[l][pos]);
            return pos;
        }
        i = wi;
        if (i == 0)
            return BS_NONE;
    }
    return BS_NONE;
}

/* Smallest set position > i. */
static size_t bs_succ(const bitset *b, size_t i)
{
    for (size_t l = 0; l < b->nlev; l++) {
        size_t wi = i >> 6;
        unsigned bit = (unsigned)(i & 63);
        if (wi >= b->nw[l])
            return BS_NONE;
        uint64_t m = bit == 63 ? 0 : b->w[l][wi] & ~((UINT64_C(2) << bit) - 1);
        if (m) {
            size_t pos = wi * 64 + (size_t)low_bit(m);
            while (l-- > 0)
                pos = pos * 64 + (size_t)low_bit(b->w[l][pos]);
            return pos;
        }
        i = wi;
    }
    return BS_NONE;
}

rg_hv_workspace *rg_hv_alloc(size_t capacity, size_t n_obj)
{
    if (n_obj == 0 || n_obj > RG_MAX_HV_DIMS)
        return NULL;
    rg_hv_workspace *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t c = capacity > 0 ? capacity : 1;
    w->capacity = capacity;
    w->n_obj = n_obj;
    w->xs = malloc(c * sizeof(double));
    w->ys = malloc(c * sizeof(double));
    w->zs = malloc(c * sizeof(double));
    w->xr = malloc(c * sizeof(double));
    w->yr = malloc(c * sizeof(double));
    w->ord = malloc(c * sizeof(size_t));
    w->ordz = malloc(c * sizeof(size_t));
    w->rank = malloc(c * sizeof(size_t));
    w->tmp = malloc(c * sizeof(size_t));
    w->scratch = malloc(c * n_obj * sizeof(double));
    if (!w->xs || !w->ys || !w->zs || !w->xr || !w->yr || !w->ord || !w->ordz || !w->rank ||
        !w->tmp || !w->scratch || bs_alloc(&w->bs, c) != RG_OK)
        goto fail;
    for (size_t d = 4; d <= n_obj; d++) {
        w->level[d - 1] = malloc(c * d * sizeof(double));
        w->lorder[d - 1] = malloc(c * sizeof(size_t));
        if (!w->level[d - 1] || !w->lorder[d - 1])
            goto fail;
    }
    return w;
fail:
    rg_hv_free(w);
    return NULL;
}

void rg_hv_free(rg_hv_workspace *w)
{
    if (!w)
        return;
    free(w->xs);
    free(w->ys);
    free(w->zs);
    free(w->xr);
    free(w->yr);
    free(w->ord);
    free(w->ordz);
    free(w->rank);
    free(w->tmp);
    free(w->scratch);
    bs_free(&w->bs);
    for (size_t d = 0; d < RG_MAX_HV_DIMS; d++) {
        free(w->level[d]);
        free(w->lorder[d]);
    }
    free(w);
}

/* ---- 2 objectives: sort by f1 (then f2) and sweep the staircase ---- */

typedef struct {
    const double *x, *y;
} xy_ctx;

static int cmp_xy(size_t a, size_t b, const void *vctx)
{
    const xy_ctx *c = vctx;
    if (c->x[a] != c->x[b])
        return c->x[a] < c->x[b] ? -1 : 1;
    if (c->y[a] != c->y[b])
        return c->y[a] < c->y[b] ? -1 : 1;
    return 0;
}

/* Points with stride `stride`, using coordinates 0 and 1. */
static double hv2(rg_hv_workspace *w, const double *pts, size_t n, size_t stride,
                  const double ref[])
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = pts + i * stride;
        if (p[0] < ref[0] && p[1] < ref[1]) {
            w->xs[m] = p[0];
            w->ys[m] = p[1];
            w->ord[m] = m;
            m++;
        }
    }
    xy_ctx c = {w->xs, w->ys};
    rg_isort(w->ord, m, cmp_xy, &c, w->tmp);
    double vol = 0.0, best = ref[1];
    for (size_t t = 0; t < m; t++) {
        size_t i = w->ord[t];
        if (w->ys[i] < best) {
            vol += (ref[0] - w->xs[i]) * (best - w->ys[i]);
            best = w->ys[i];
        }
    }
    return vol;
}

/* ---- 3 objectives: sweep over f3, (f1, f2) staircase in the bitset over f1 ranks ---- */

static double hv3(rg_hv_workspace *w, const double *pts, size_t n, size_t stride,
                  const double ref[])
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = pts + i * stride;
        if (p[0] < ref[0] && p[1] < ref[1] && p[2] < ref[2]) {
            w->xs[m] = p[0];
            w->ys[m] = p[1];
            w->zs[m] = p[2];
            w->ord[m] = m;
            w->ordz[m] = m;
            m++;
        }
    }
    if (m == 0)
        return 0.0;
    xy_ctx c = {w->xs, w->ys};
    rg_isort(w->ord, m, cmp_xy, &c, w->tmp);
    for (size_t r = 0; r < m; r++) {
        w->rank[w->ord[r]] = r;
        w->xr[r] = w->xs[w->ord[r]];
        w->yr[r] = w->ys[w->ord[r]];
    }
    rg_isort_key(w->ordz, m, w->zs, 1, 0, 0, w->tmp);
    bs_clear_all(&w->bs);
    double vol = 0.0, area = 0.0, zprev = w->zs[w->ordz[0]];
    for (size_t t = 0; t < m; t++) {
        size_t i = w->ordz[t];
        vol += area * (w->zs[i] - zprev);
        zprev = w->zs[i];
        size_t r = w->rank[i];
        double x = w->xr[r], y = w->yr[r];
        size_t q = bs_pred(&w->bs, r);
        if (q != BS_NONE && w->yr[q] <= y)
            continue; /* weakly dominated in (f1, f2) by a point with lower f3 */
        double hy = q != BS_NONE ? w->yr[q] : ref[1], cx = x, added = 0.0;
        size_t s = bs_succ(&w->bs, r);
        while (s != BS_NONE && w->yr[s] >= y) {
            added += (hy - y) * (w->xr[s] - cx);
            cx = w->xr[s];
            hy = w->yr[s];
            bs_clear(&w->bs, s);
            s = bs_succ(&w->bs, s);
        }
        added += (hy - y) * ((s != BS_NONE ? w->xr[s] : ref[0]) - cx);
        area += added;
        bs_set(&w->bs, r);
    }
    vol += area * (ref[2] - zprev);
    return vol;
}

/* ---- WFG for d >= 4 ---- */

/* Appends point l (d coordinates) to set (m points) unless a kept point weakly dominates
 * it; removes kept points that l dominates. Returns the new size. */
static size_t nds_insert(double *set, size_t m, const double *l, size_t d)
{
    for (size_t i = 0; i < m; i++) {
        const double *q = set + i * d;
        size_t j = 0;
        while (j < d && q[j] <= l[j])
            j++;
        if (j == d)
            return m;
    }
    for (size_t i = 0; i < m;) {
        const double *q = set + i * d;
        size_t j = 0;
        while (j < d && l[j] <= q[j])
            j++;
        if (j == d) {
            memcpy(set + i * d, set + (m - 1) * d, d * sizeof(double));
            m--;
        } else {
            i++;
        }
    }
    memcpy(set + m * d, l, d * sizeof(double));
    return m + 1;
}

static double wfg(rg_hv_workspace *w, double *pts, size_t n, size_t d, const double ref[])
{
    if (n == 0)
        return 0.0;
    if (d == 2)
        return hv2(w, pts, n, 2, ref);
    if (d == 3)
        return hv3(w, pts, n, 3, ref);
    if (n == 1) {
        double v = 1.0;
        for (size_t j = 0; j < d; j++)
            v *= ref[j] - pts[j];
        return v;
    }
    /* sort by the last objective, worst first: later points are better there, so every
     * limit point max(p_k, q) shares p_k's last objective and the slice has depth
     * ref - p_k[d-1] */
    size_t *ord = w->lorder[d - 1];
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    rg_isort_key(ord, n, pts, d, d - 1, 1, w->tmp);
    for (size_t i = 0; i < n; i++)
        memcpy(w->scratch + i * d, pts + ord[i] * d, d * sizeof(double));
    memcpy(pts, w->scratch, n * d * sizeof(double));

    double *lim = d - 1 >= 4 ? w->level[d - 2] : w->scratch;
    double vol = 0.0, l[RG_MAX_HV_DIMS];
    for (size_t k = 0; k < n; k++) {
        const double *p = pts + k * d;
        double incl = 1.0;
        for (size_t j = 0; j + 1 < d; j++)
            incl *= ref[j] - p[j];
        size_t m = 0;
        for (size_t i = k + 1; i < n; i++) {
            const double *q = pts + i * d;
            for (size_t j = 0; j + 1 < d; j++)
                l[j] = p[j] > q[j] ? p[j] : q[j];
            m = nds_insert(lim, m, l, d - 1);
        }
        vol += (ref[d - 1] - p[d - 1]) * (incl - wfg(w, lim, m, d - 1, ref));
    }
    return vol;
}

int rg_hv_compute(rg_hv_workspace *w, const double points[], size_t n, const double ref[],
                  double *out)
{
    if (!w || n > w->capacity)
        return RG_EINVAL;
    size_t d = w->n_obj;
    *out = 0.0;
    if (d == 1) {
        double best = ref[0];
        for (size_t i = 0; i < n; i++)
            if (points[i] < best)
                best = points[i];
        *out = ref[0] - best;
        return RG_OK;
    }
    if (d == 2) {
        *out = hv2(w, points, n, 2, ref);
        return RG_OK;
    }
    if (d == 3) {
        *out = hv3(w, points, n, 3, ref);
        return RG_OK;
    }
    /* keep only points strictly inside the reference box, non-dominated */
    double *top = w->level[d - 1];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = points + i * d;
        size_t j = 0;
        while (j < d && p[j] < ref[j])
            j++;
        if (j == d)
            m = nds_insert(top, m, p, d);
    }
    *out = wfg(w, top, m, d, ref);
    return RG_OK;
}

int rg_hypervolume(const double points[], size_t n, size_t n_obj, const double ref[],
                   double *out)
{
    rg_hv_workspace *w = rg_hv_alloc(n, n_obj);
    if (!w)
        return RG_ENOMEM;
    int rc = rg_hv_compute(w, points, n, ref, out);
    rg_hv_free(w);
    return rc;
}
