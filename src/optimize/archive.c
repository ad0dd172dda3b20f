/* The archive of every feasible non-dominated evaluated point (archive.h states the rules
 * and their sources). */
#include "regimen/archive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/hypervolume.h"

struct rg_archive {
    size_t len, m, bound;
    size_t n, cap;
    double *gen;         /* cap x len */
    rg_eval_result *res; /* cap */
    rg_hv_workspace *hv; /* for hv_cap points */
    size_t hv_cap;
    double *pts;     /* hv_cap x m: points handed to the hypervolume code */
    double *contrib; /* hv_cap */
    bool *extreme;   /* hv_cap: a member holding some objective's best value */
};

rg_archive *rg_archive_alloc(size_t length, size_t n_obj, size_t bound)
{
    if (n_obj == 0 || n_obj > RG_MAX_OBJ)
        return NULL;
    rg_archive *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->len = length;
    a->m = n_obj;
    a->bound = bound;
    return a;
}

void rg_archive_free(rg_archive *a)
{
    if (!a)
        return;
    free(a->gen);
    free(a->res);
    rg_hv_free(a->hv);
    free(a->pts);
    free(a->contrib);
    free(a->extreme);
    free(a);
}

size_t rg_archive_size(const rg_archive *a)
{
    return a->n;
}
size_t rg_archive_bound(const rg_archive *a)
{
    return a->bound;
}
const double *rg_archive_genomes(const rg_archive *a)
{
    return a->gen;
}
const rg_eval_result *rg_archive_results(const rg_archive *a)
{
    return a->res;
}

bool rg_archive_admissible(const rg_eval_result *r, size_t n_obj)
{
    if (!(r->violation <= 0.0))
        return false;
    for (size_t j = 0; j < n_obj; j++)
        if (!isfinite(r->fitness[j]) || fabs(r->fitness[j]) >= 1e300)
            return false;
    return true;
}

/* Room for n members (and n points in the hypervolume workspace). */
static int reserve(rg_archive *a, size_t n)
{
    if (n > a->cap) {
        size_t cap = a->cap ? a->cap : 64;
        while (cap < n)
            cap *= 2;
        double *g = realloc(a->gen, (a->len ? cap * a->len : 1) * sizeof *g);
        if (!g)
            return RG_ENOMEM;
        a->gen = g;
        rg_eval_result *r = realloc(a->res, cap * sizeof *r);
        if (!r)
            return RG_ENOMEM;
        a->res = r;
        a->cap = cap;
    }
    if (n > a->hv_cap) {
        size_t cap = a->cap;
        rg_hv_workspace *w = rg_hv_alloc(cap, a->m);
        double *p = malloc(cap * a->m * sizeof *p), *c = malloc(cap * sizeof *c);
        bool *e = malloc(cap * sizeof *e);
        if (!w || !p || !c || !e) {
            rg_hv_free(w);
            free(p);
            free(c);
            free(e);
            return RG_ENOMEM;
        }
        rg_hv_free(a->hv);
        free(a->pts);
        free(a->contrib);
        free(a->extreme);
        a->hv = w;
        a->pts = p;
        a->contrib = c;
        a->extreme = e;
        a->hv_cap = cap;
    }
    return RG_OK;
}

/* 1 when x dominates y (minimised fitness), -1 when y dominates x, 0 otherwise. */
static int dominates(const double x[], const double y[], size_t m)
{
    bool xb = false, yb = false;
    for (size_t j = 0; j < m; j++) {
        if (x[j] < y[j])
            xb = true;
        else if (y[j] < x[j])
            yb = true;
    }
    return xb == yb ? 0 : xb ? 1 : -1;
}

/* The canonical order: fitness lexicographically, then the genome's bytes. */
static int canon(const rg_archive *a, const double *fx, const double *gx, const double *fy,
                 const double *gy)
{
    for (size_t j = 0; j < a->m; j++)
        if (fx[j] != fy[j])
            return fx[j] < fy[j] ? -1 : 1;
    return a->len ? memcmp(gx, gy, a->len * sizeof(double)) : 0;
}

static double hv_of(rg_archive *a, size_t n, const double ref[])
{
    double v = 0.0;
    if (rg_hv_compute(a->hv, a->pts, n, ref, &v) != RG_OK)
        return 0.0;
    return v;
}

int rg_archive_hypervolume(rg_archive *a, const double ref[], double *out)
{
    *out = 0.0;
    if (reserve(a, a->n) != RG_OK)
        return RG_ENOMEM;
    for (size_t i = 0; i < a->n; i++)
        memcpy(a->pts + i * a->m, a->res[i].fitness, a->m * sizeof(double));
    if (a->n)
        *out = hv_of(a, a->n, ref);
    return RG_OK;
}

/* 2 objectives: the members are in canonical order, f1 ascending and so (non-dominated)
 * f2 descending; a member inside the reference box contributes the rectangle up to its
 * neighbours inside the box (or the reference point). */
static void contributions_2d(const rg_archive *a, const double ref[], double out[])
{
    size_t prev = (size_t)-1;
    for (size_t i = 0; i < a->n; i++) {
        const double *f = a->res[i].fitness;
        out[i] = 0.0;
        if (!(f[0] < ref[0] && f[1] < ref[1]))
            continue;
        size_t next = i + 1;
        while (next < a->n &&
               !(a->res[next].fitness[0] < ref[0] && a->res[next].fitness[1] < ref[1]))
            next++;
        double right = next < a->n ? a->res[next].fitness[0] : ref[0];
        double up = prev != (size_t)-1 ? a->res[prev].fitness[1] : ref[1];
        out[i] = (right - f[0]) * (up - f[1]);
        prev = i;
    }
}

int rg_archive_contributions(rg_archive *a, const double ref[], double out[])
{
    if (a->m == 2) {
        contributions_2d(a, ref, out);
        return RG_OK;
    }
    double total;
    if (rg_archive_hypervolume(a, ref, &total) != RG_OK)
        return RG_ENOMEM;
    for (size_t i = 0; i < a->n; i++) {
        /* every member but i, in order */
        size_t k = 0;
        for (size_t q = 0; q < a->n; q++)
            if (q != i)
                memcpy(a->pts + k++ * a->m, a->res[q].fitness, a->m * sizeof(double));
        out[i] = total - hv_of(a, k, ref);
    }
    return RG_OK;
}

static void remove_at(rg_archive *a, size_t i)
{
    memmove(a->gen + i * a->len, a->gen + (i + 1) * a->len,
            (a->n - i - 1) * a->len * sizeof(double));
    memmove(a->res + i, a->res + i + 1, (a->n - i - 1) * sizeof *a->res);
    a->n--;
}

/* True when f is not strictly better than ref in every objective: it adds no hypervolume. */
static bool outside(const double f[], const double ref[], size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (!(f[j] < ref[j]))
            return true;
    return false;
}

/* The archive holds bound + 1 members, the newcomer at `fresh`: removes the least
 * contributor among the non-extremes and the newcomer (archive.h). A point outside the
 * reference box contributes nothing, the least possible: such a newcomer, else the first
 * such non-extreme member, goes without computing any hypervolume. */
static int prune(rg_archive *a, size_t fresh, const double ref[])
{
    size_t ext[RG_MAX_OBJ];
    for (size_t j = 0; j < a->m; j++) {
        ext[j] = 0;
        for (size_t i = 1; i < a->n; i++)
            if (a->res[i].fitness[j] < a->res[ext[j]].fitness[j])
                ext[j] = i;
    }
    bool *extreme = a->extreme;
    for (size_t i = 0; i < a->n; i++) {
        extreme[i] = false;
        for (size_t j = 0; j < a->m && !extreme[i]; j++)
            extreme[i] = ext[j] == i;
    }
    if (outside(a->res[fresh].fitness, ref, a->m)) {
        remove_at(a, fresh);
        return RG_OK;
    }
    for (size_t i = 0; i < a->n; i++)
        if (i != fresh && !extreme[i] && outside(a->res[i].fitness, ref, a->m)) {
            remove_at(a, i);
            return RG_OK;
        }
    if (rg_archive_contributions(a, ref, a->contrib) != RG_OK)
        return RG_ENOMEM;
    size_t victim = fresh; /* on equal contributions the archive stays as it was */
    for (size_t i = 0; i < a->n; i++)
        if (i != fresh && !extreme[i] && a->contrib[i] < a->contrib[victim])
            victim = i;
    remove_at(a, victim);
    return RG_OK;
}

static int offer_one(rg_archive *a, const double *x, const rg_eval_result *r,
                     const double ref[])
{
    if (!rg_archive_admissible(r, a->m))
        return RG_OK;
    for (size_t i = 0; i < a->n; i++) {
        int d = dominates(a->res[i].fitness, r->fitness, a->m);
        if (d > 0 ||
            (d == 0 && canon(a, a->res[i].fitness, a->gen + i * a->len, r->fitness, x) == 0))
            return RG_OK; /* dominated, or already a member */
    }
    if (reserve(a, a->n + 1) != RG_OK)
        return RG_ENOMEM;
    size_t k = 0, pos = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (dominates(r->fitness, a->res[i].fitness, a->m) > 0)
            continue;
        if (k != i) {
            memcpy(a->gen + k * a->len, a->gen + i * a->len, a->len * sizeof(double));
            a->res[k] = a->res[i];
        }
        if (canon(a, a->res[k].fitness, a->gen + k * a->len, r->fitness, x) < 0)
            pos = k + 1;
        k++;
    }
    a->n = k;
    memmove(a->gen + (pos + 1) * a->len, a->gen + pos * a->len,
            (a->n - pos) * a->len * sizeof(double));
    memmove(a->res + pos + 1, a->res + pos, (a->n - pos) * sizeof *a->res);
    memcpy(a->gen + pos * a->len, x, a->len * sizeof(double));
    a->res[pos] = *r;
    a->n++;
    if (a->bound && a->n > a->bound)
        return prune(a, pos, ref);
    return RG_OK;
}

int rg_archive_offer(rg_archive *a, const double genomes[], const rg_eval_result res[],
                     size_t n, const double ref[])
{
    for (size_t i = 0; i < n; i++) {
        int rc = offer_one(a, genomes + i * a->len, &res[i], ref);
        if (rc != RG_OK)
            return rc;
    }
    return RG_OK;
}

int rg_archive_load(rg_archive *a, const double genomes[], const rg_eval_result res[], size_t n)
{
    if ((a->bound && n > a->bound) || (n && (!genomes || !res)))
        return RG_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!rg_archive_admissible(&res[i], a->m))
            return RG_EINVAL;
        if (i && canon(a, res[i - 1].fitness, genomes + (i - 1) * a->len, res[i].fitness,
                       genomes + i * a->len) >= 0)
            return RG_EINVAL;
        for (size_t q = 0; q < i; q++)
            if (dominates(res[q].fitness, res[i].fitness, a->m) != 0)
                return RG_EINVAL;
    }
    if (reserve(a, n) != RG_OK)
        return RG_ENOMEM;
    if (n) {
        memcpy(a->gen, genomes, n * a->len * sizeof(double));
        memcpy(a->res, res, n * sizeof *res);
    }
    a->n = n;
    return RG_OK;
}
