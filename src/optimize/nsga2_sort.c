/* Constrained non-dominated sorting (ENS-BS, Zhang et al. 2015) and crowding distance of
 * the NSGA-II optimiser (nsga2.h states the algorithm and its sources). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isort.h"
#include "nsga2_internal.h"

#define NONE ((size_t)-1)

void rg_nsga2_sorter_free(rg_nsga2_sorter *s)
{
    free(s->fit);
    free(s->violbuf);
    free(s->idx);
    free(s->tmp);
    free(s->prev);
    free(s->ftail);
    free(s->order);
    free(s->fstart);
    free(s->tl);
    free(s->tr);
    free(s->troot);
}

int rg_nsga2_sorter_alloc(rg_nsga2_sorter *s, size_t cap, size_t m)
{
    memset(s, 0, sizeof *s);
    s->cap = cap;
    s->m = m;
    size_t c = cap > 0 ? cap : 1;
    s->fit = malloc(c * m * sizeof(double));
    s->violbuf = malloc(c * sizeof(double));
    s->idx = malloc(c * sizeof(size_t));
    s->tmp = malloc(c * sizeof(size_t));
    s->prev = malloc(c * sizeof(size_t));
    s->ftail = malloc(c * sizeof(size_t));
    s->order = malloc(c * sizeof(size_t));
    s->fstart = malloc((c + 1) * sizeof(size_t));
    s->tl = malloc(c * sizeof(size_t));
    s->tr = malloc(c * sizeof(size_t));
    s->troot = malloc(c * sizeof(size_t));
    if (!s->fit || !s->violbuf || !s->idx || !s->tmp || !s->prev || !s->ftail || !s->order ||
        !s->fstart || !s->tl || !s->tr || !s->troot) {
        rg_nsga2_sorter_free(s);
        return RG_ENOMEM;
    }
    return RG_OK;
}

static int cmp_lex(size_t a, size_t b, const void *ctx)
{
    const rg_nsga2_sorter *s = ctx;
    const double *fa = s->fit + a * s->m, *fb = s->fit + b * s->m;
    for (size_t j = 0; j < s->m; j++)
        if (fa[j] != fb[j])
            return fa[j] < fb[j] ? -1 : 1;
    return 0;
}

/* a dominates b (Pareto, minimised) */
static bool dominates(const double *a, const double *b, size_t m)
{
    bool strict = false;
    for (size_t j = 0; j < m; j++) {
        if (a[j] > b[j])
            return false;
        if (a[j] < b[j])
            strict = true;
    }
    return strict;
}

/* ---- 3 objectives: each front keeps the staircase of its members' (f2, f3) projections
 * (f2 increasing, f3 decreasing) in a treap keyed by f2. Members arrive in lexicographic
 * order, so a member q of the front dominates p iff q.f2 <= p.f2 and q.f3 <= p.f3 (and
 * q != p): only the staircase point with the largest f2 <= p.f2 needs checking. A member
 * whose projection p dominates can leave the staircase: whatever it dominates later, p
 * dominates too. Priorities are a fixed hash of the index (balance only; the fronts do not
 * depend on them). ---- */

#define K2(i) (s->fit[(i)*3 + 1])
#define K3(i) (s->fit[(i)*3 + 2])

static uint64_t tprio(size_t i)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 29);
}

/* Every key of a below every key of b. */
static size_t t_merge(rg_nsga2_sorter *s, size_t a, size_t b)
{
    if (a == NONE)
        return b;
    if (b == NONE)
        return a;
    if (tprio(a) > tprio(b)) {
        s->tr[a] = t_merge(s, s->tr[a], b);
        return a;
    }
    s->tl[b] = t_merge(s, a, s->tl[b]);
    return b;
}

/* Splits t into keys < key and keys >= key. */
static void t_split(rg_nsga2_sorter *s, size_t t, double key, size_t *l, size_t *r)
{
    if (t == NONE) {
        *l = *r = NONE;
        return;
    }
    if (K2(t) < key) {
        t_split(s, s->tr[t], key, &s->tr[t], r);
        *l = t;
    } else {
        t_split(s, s->tl[t], key, l, &s->tl[t]);
        *r = t;
    }
}

/* The staircase member with the largest f2 <= key, or NONE. */
static size_t t_pred(const rg_nsga2_sorter *s, size_t t, double key)
{
    size_t best = NONE;
    while (t != NONE) {
        if (K2(t) <= key) {
            best = t;
            t = s->tr[t];
        } else {
            t = s->tl[t];
        }
    }
    return best;
}

static void staircase_insert(rg_nsga2_sorter *s, size_t f, size_t p)
{
    size_t q = t_pred(s, s->troot[f], K2(p));
    if (q != NONE && K3(q) <= K3(p))
        return; /* a duplicate of p is already there */
    size_t l, r;
    t_split(s, s->troot[f], K2(p), &l, &r);
    /* members with f2 >= p.f2 and f3 >= p.f3 lead r: drop them */
    while (r != NONE) {
        size_t parent = NONE, t = r;
        while (s->tl[t] != NONE) {
            parent = t;
            t = s->tl[t];
        }
        if (K3(t) < K3(p))
            break;
        if (parent == NONE)
            r = s->tr[t];
        else
            s->tl[parent] = s->tr[t];
    }
    s->tl[p] = s->tr[p] = NONE;
    s->troot[f] = t_merge(s, t_merge(s, l, p), r);
}

/* Is member p dominated by some member of front f? (members of f precede p in the
 * lexicographic order, so none of them can be dominated by p) */
static bool front_dominates(const rg_nsga2_sorter *s, size_t f, size_t p)
{
    const double *fp = s->fit + p * s->m;
    if (s->m == 3) {
        size_t q = t_pred(s, s->troot[f], fp[1]);
        return q != NONE && dominates(s->fit + q * 3, fp, 3);
    }
    if (s->m == 2) {
        /* in a front sorted by f1, f2 strictly decreases (except duplicates): the last
         * member has the least f2 and is the only candidate */
        const double *q = s->fit + s->ftail[f] * 2;
        return dominates(q, fp, 2);
    }
    for (size_t q = s->ftail[f]; q != NONE; q = s->prev[q])
        if (dominates(s->fit + q * s->m, fp, s->m))
            return true;
    return false;
}

/* Feasible members by ENS-BS (binary search for each member's front), then infeasible
 * members grouped by violation; nsga2_internal.h states the outputs. */
void rg_nsga2_sort_fronts(rg_nsga2_sorter *s, size_t n, const double viol[], size_t rank[])
{
    size_t nf = 0, ni = 0;
    /* feasible members first (index order), then infeasible */
    for (size_t i = 0; i < n; i++)
        if (viol[i] <= 0.0)
            s->idx[nf++] = i;
    for (size_t i = 0; i < n; i++)
        if (!(viol[i] <= 0.0))
            s->idx[nf + ni++] = i;
    rg_isort(s->idx, nf, cmp_lex, s, s->tmp);
    size_t fronts = 0;
    for (size_t t = 0; t < nf; t++) {
        size_t p = s->idx[t];
        /* binary search for the first front that does not dominate p */
        size_t lo = 0, hi = fronts;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (front_dominates(s, mid, p))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == fronts) {
            s->troot[fronts] = NONE;
            s->ftail[fronts++] = NONE;
        }
        s->prev[p] = s->ftail[lo];
        s->ftail[lo] = p;
        if (s->m == 3)
            staircase_insert(s, lo, p);
        rank[p] = lo;
    }
    /* infeasible: ascending violation, equal violations share a front */
    rg_isort_key(s->idx + nf, ni, viol, 1, 0, 0, s->tmp);
    for (size_t t = 0; t < ni; t++) {
        size_t p = s->idx[nf + t];
        if (t > 0 && viol[p] != viol[s->idx[nf + t - 1]])
            fronts++;
        else if (t == 0)
            fronts++;
        rank[p] = fronts - 1;
    }
    /* group by front (counting sort keeps index order inside a front) */
    s->n_fronts = fronts;
    for (size_t f = 0; f <= fronts; f++)
        s->fstart[f] = 0;
    for (size_t i = 0; i < n; i++)
        s->fstart[rank[i] + 1]++;
    for (size_t f = 0; f < fronts; f++)
        s->fstart[f + 1] += s->fstart[f];
    for (size_t f = 0; f < fronts; f++)
        s->ftail[f] = s->fstart[f];
    for (size_t i = 0; i < n; i++)
        s->order[s->ftail[rank[i]]++] = i;
}

/* Crowding distance (Deb et al. 2002, section III-B) of the members of one front. */
void rg_nsga2_crowd_front(rg_nsga2_sorter *s, const size_t *mem, size_t k, double crowd[])
{
    for (size_t t = 0; t < k; t++)
        crowd[mem[t]] = 0.0;
    if (k <= 2) {
        for (size_t t = 0; t < k; t++)
            crowd[mem[t]] = HUGE_VAL;
        return;
    }
    size_t *ord = s->idx; /* free after rg_nsga2_sort_fronts */
    for (size_t j = 0; j < s->m; j++) {
        memcpy(ord, mem, k * sizeof *ord);
        rg_isort_key(ord, k, s->fit, s->m, j, 0, s->tmp);
        double lo = s->fit[ord[0] * s->m + j], hi = s->fit[ord[k - 1] * s->m + j];
        crowd[ord[0]] = HUGE_VAL;
        crowd[ord[k - 1]] = HUGE_VAL;
        if (!(hi > lo))
            continue;
        for (size_t t = 1; t + 1 < k; t++)
            if (crowd[ord[t]] != HUGE_VAL)
                crowd[ord[t]] +=
                    (s->fit[ord[t + 1] * s->m + j] - s->fit[ord[t - 1] * s->m + j]) / (hi - lo);
    }
}

void rg_nsga2_load_fitness(rg_nsga2_sorter *s, const rg_eval_result res[], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s->m; j++)
            s->fit[i * s->m + j] = res[i].fitness[j];
        s->violbuf[i] = res[i].violation;
    }
}

void rg_nsga2_rank_and_crowd(rg_nsga2_sorter *s, const rg_eval_result res[], size_t n,
                             size_t rank[], double crowd[])
{
    rg_nsga2_load_fitness(s, res, n);
    rg_nsga2_sort_fronts(s, n, s->violbuf, rank);
    for (size_t f = 0; f < s->n_fronts; f++)
        rg_nsga2_crowd_front(s, s->order + s->fstart[f], s->fstart[f + 1] - s->fstart[f],
                             crowd);
}

int rg_nsga2_rank(const rg_eval_result res[], size_t n, size_t n_obj, size_t rank[],
                  double crowding[])
{
    rg_nsga2_sorter s;
    if (rg_nsga2_sorter_alloc(&s, n, n_obj) != RG_OK)
        return RG_ENOMEM;
    rg_nsga2_rank_and_crowd(&s, res, n, rank, crowding);
    rg_nsga2_sorter_free(&s);
    return RG_OK;
}

int rg_nsga2_compare(const rg_eval_result *a, const rg_eval_result *b, size_t n_obj)
{
    bool fa = a->violation <= 0.0, fb = b->violation <= 0.0;
    if (fa && !fb)
        return 1;
    if (fb && !fa)
        return -1;
    if (!fa && !fb) {
        if (a->violation < b->violation)
            return 1;
        if (b->violation < a->violation)
            return -1;
        return 0;
    }
    if (dominates(a->fitness, b->fitness, n_obj))
        return 1;
    if (dominates(b->fitness, a->fitness, n_obj))
        return -1;
    return 0;
}
