/* Constrained NSGA-II (nsga2.h states the algorithm and its sources). */
#include "regimen/nsga2.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "isort.h"
#include "regimen/hypervolume.h"

/* ---- sorting workspace: ENS-BS over feasible results, violation groups after ---- */

typedef struct {
    size_t cap, m;
    double *fit;          /* cap x m packed fitness */
    const double *viol;   /* set per call */
    double *violbuf;      /* cap */
    size_t *idx, *tmp;    /* cap */
    size_t *prev;         /* cap: previous member of the same front */
    size_t *ftail;        /* cap: last member of each front */
    size_t *order;        /* cap: members grouped by front */
    size_t *fstart;       /* cap + 1 */
    size_t *tl, *tr;      /* cap: treap children (3 objectives) */
    size_t *troot;        /* cap: per front, treap of its (f2, f3) staircase */
    size_t n_fronts;
} sorter;

#define NONE ((size_t)-1)

static void sorter_free(sorter *s)
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

static int sorter_alloc(sorter *s, size_t cap, size_t m)
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
        sorter_free(s);
        return RG_ENOMEM;
    }
    return RG_OK;
}

static int cmp_lex(size_t a, size_t b, const void *ctx)
{
    const sorter *s = ctx;
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

#define K2(i) (s->fit[(i) * 3 + 1])
#define K3(i) (s->fit[(i) * 3 + 2])

static uint64_t tprio(size_t i)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 29);
}

/* Every key of a below every key of b. */
static size_t t_merge(sorter *s, size_t a, size_t b)
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
static void t_split(sorter *s, size_t t, double key, size_t *l, size_t *r)
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
static size_t t_pred(const sorter *s, size_t t, double key)
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

static void staircase_insert(sorter *s, size_t f, size_t p)
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
static bool front_dominates(const sorter *s, size_t f, size_t p)
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

/* Ranks of n members (fitness in s->fit, violation in viol[]); fills rank[], s->order and
 * s->fstart (front f is order[fstart[f] .. fstart[f + 1] - 1], members in index order). */
static void sort_fronts(sorter *s, size_t n, const double viol[], size_t rank[])
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
static void crowd_front(sorter *s, const size_t *mem, size_t k, double crowd[])
{
    for (size_t t = 0; t < k; t++)
        crowd[mem[t]] = 0.0;
    if (k <= 2) {
        for (size_t t = 0; t < k; t++)
            crowd[mem[t]] = HUGE_VAL;
        return;
    }
    size_t *ord = s->idx; /* free after sort_fronts */
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
                crowd[ord[t]] += (s->fit[ord[t + 1] * s->m + j] -
                                  s->fit[ord[t - 1] * s->m + j]) /
                                 (hi - lo);
    }
}

static void load_fitness(sorter *s, const rg_eval_result res[], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s->m; j++)
            s->fit[i * s->m + j] = res[i].fitness[j];
        s->violbuf[i] = res[i].violation;
    }
}

static void rank_and_crowd(sorter *s, const rg_eval_result res[], size_t n, size_t rank[],
                           double crowd[])
{
    load_fitness(s, res, n);
    sort_fronts(s, n, s->violbuf, rank);
    for (size_t f = 0; f < s->n_fronts; f++)
        crowd_front(s, s->order + s->fstart[f], s->fstart[f + 1] - s->fstart[f], crowd);
}

int rg_nsga2_rank(const rg_eval_result res[], size_t n, size_t n_obj, size_t rank[],
                  double crowding[])
{
    sorter s;
    if (sorter_alloc(&s, n, n_obj) != RG_OK)
        return RG_ENOMEM;
    rank_and_crowd(&s, res, n, rank, crowding);
    sorter_free(&s);
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

/* ---- the optimiser ---- */

struct rg_nsga2 {
    const rg_encoding *enc;
    rg_nsga2_settings set;
    size_t n, len, m;
    gsl_rng *rng;
    rg_batch_fn eval;
    void *ctx;
    double *genomes;        /* 2N x len: parents, then children */
    rg_eval_result *res;    /* 2N */
    size_t *rank;           /* 2N */
    double *crowd;          /* 2N */
    size_t *perm;           /* 2N: two permutations of 0..N-1 */
    double *sel_genomes;    /* N x len */
    rg_eval_result *sel_res;/* N */
    size_t *sel_tmp;        /* 2N */
    sorter sort;
    rg_hv_workspace *hv;
    double *hv_points;      /* N x m */
    double *hv_hist;
    size_t n_hv, cap_hv;
    size_t generation, evaluations, n_seeds;
    bool ready;
    double ref[RG_MAX_OBJ];
    rg_reference_rule ref_rule;
    rg_eval_result *base;   /* N: results of the seeds at init (the baselines) */
    size_t n_base;
};

void rg_nsga2_settings_from_problem(const rg_problem *p, size_t n_obj, rg_nsga2_settings *s)
{
    memset(s, 0, sizeof *s);
    const rg_optimize *o = &p->optimize;
    s->population = o->population;
    s->generations = o->generations;
    s->seed = o->seed;
    s->n_obj = n_obj;
    s->has_reference = o->has_reference_point;
    bool bench = p->bench.kind != RG_BENCH_NONE;
    for (size_t j = 0; j < n_obj && j < RG_MAX_OBJ; j++) {
        bool maxim = !bench && j < o->n_objectives && rg_objective_maximised(o->objectives[j]);
        s->reference[j] = maxim ? -o->reference_point[j] : o->reference_point[j];
    }
}

rg_nsga2 *rg_nsga2_alloc(const rg_encoding *enc, const rg_nsga2_settings *s)
{
    if (!enc || !s || s->n_obj == 0 || s->n_obj > RG_MAX_OBJ || enc->length == 0)
        return NULL;
    rg_nsga2 *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->enc = enc;
    g->set = *s;
    g->n = s->population < 4 ? 4 : s->population + (s->population & 1);
    g->set.population = g->n;
    g->len = enc->length;
    g->m = s->n_obj;
    size_t n2 = 2 * g->n;
    g->rng = gsl_rng_alloc(gsl_rng_mt19937);
    g->genomes = calloc(n2 * g->len, sizeof(double));
    g->res = calloc(n2, sizeof(rg_eval_result));
    g->rank = calloc(n2, sizeof(size_t));
    g->crowd = calloc(n2, sizeof(double));
    g->perm = calloc(n2, sizeof(size_t));
    g->sel_genomes = calloc(g->n * g->len, sizeof(double));
    g->sel_res = calloc(g->n, sizeof(rg_eval_result));
    g->sel_tmp = calloc(n2, sizeof(size_t));
    g->base = calloc(g->n, sizeof(rg_eval_result));
    g->hv_points = calloc(g->n * g->m, sizeof(double));
    g->hv = rg_hv_alloc(g->n, g->m);
    g->cap_hv = s->generations + 1;
    g->hv_hist = calloc(g->cap_hv, sizeof(double));
    if (!g->rng || !g->genomes || !g->res || !g->rank || !g->crowd || !g->perm ||
        !g->sel_genomes || !g->sel_res || !g->sel_tmp || !g->base || !g->hv_points || !g->hv ||
        !g->hv_hist || sorter_alloc(&g->sort, n2, g->m) != RG_OK)
        goto fail;
    gsl_rng_set(g->rng, s->seed);
    return g;
fail:
    rg_nsga2_free(g);
    return NULL;
}

void rg_nsga2_free(rg_nsga2 *g)
{
    if (!g)
        return;
    if (g->rng)
        gsl_rng_free(g->rng);
    free(g->genomes);
    free(g->res);
    free(g->rank);
    free(g->crowd);
    free(g->perm);
    free(g->sel_genomes);
    free(g->sel_res);
    free(g->sel_tmp);
    free(g->base);
    free(g->hv_points);
    rg_hv_free(g->hv);
    free(g->hv_hist);
    sorter_free(&g->sort);
    free(g);
}

static int push_hv(rg_nsga2 *g, double v)
{
    if (g->n_hv == g->cap_hv) {
        size_t cap = g->cap_hv ? 2 * g->cap_hv : 16;
        double *h = realloc(g->hv_hist, cap * sizeof *h);
        if (!h)
            return RG_ENOMEM;
        g->hv_hist = h;
        g->cap_hv = cap;
    }
    g->hv_hist[g->n_hv++] = v;
    return RG_OK;
}

/* Hypervolume of the feasible members of the first front of the parents. */
static double current_hv(rg_nsga2 *g)
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->rank[i] != 0 || !(g->res[i].violation <= 0.0))
            continue;
        for (size_t j = 0; j < g->m; j++)
            g->hv_points[k * g->m + j] = g->res[i].fitness[j];
        k++;
    }
    double v = 0.0;
    if (rg_hv_compute(g->hv, g->hv_points, k, g->ref, &v) != RG_OK)
        return 0.0;
    return v;
}

/* The default reference point (nsga2.h states the rule). */
static void default_reference(rg_nsga2 *g)
{
    for (int pass = 0; pass < 3; pass++) {
        double lo[RG_MAX_OBJ], hi[RG_MAX_OBJ];
        size_t count = 0;
        size_t end = pass == 0 ? g->n_seeds : g->n;
        for (size_t i = 0; i < end; i++) {
            const rg_eval_result *r = &g->res[i];
            bool ok = pass < 2 ? r->violation <= 0.0 : r->violation < 1e300;
            for (size_t j = 0; j < g->m && ok; j++)
                ok = isfinite(r->fitness[j]) && fabs(r->fitness[j]) < 1e300;
            if (!ok)
                continue;
            for (size_t j = 0; j < g->m; j++) {
                double f = r->fitness[j];
                lo[j] = count ? fmin(lo[j], f) : f;
                hi[j] = count ? fmax(hi[j], f) : f;
            }
            count++;
        }
        if (count == 0)
            continue;
        for (size_t j = 0; j < g->m; j++)
            g->ref[j] = hi[j] + fmax(fmax(0.1 * (hi[j] - lo[j]), 0.01 * fabs(hi[j])), 1e-6);
        g->ref_rule = (rg_reference_rule)(RG_HVREF_BASELINES + pass);
        return;
    }
    for (size_t j = 0; j < g->m; j++)
        g->ref[j] = 1.0;
    g->ref_rule = RG_HVREF_UNIT;
}

static void assign(rg_nsga2 *g)
{
    rank_and_crowd(&g->sort, g->res, g->n, g->rank, g->crowd);
}

int rg_nsga2_init(rg_nsga2 *g, rg_batch_fn eval, void *ctx, const double seeds[],
                  size_t n_seeds)
{
    if (!g || !eval)
        return RG_EINVAL;
    g->eval = eval;
    g->ctx = ctx;
    gsl_rng_set(g->rng, g->set.seed);
    g->n_seeds = n_seeds < g->n ? n_seeds : g->n;
    if (g->n_seeds)
        memcpy(g->genomes, seeds, g->n_seeds * g->len * sizeof(double));
    for (size_t i = g->n_seeds; i < g->n; i++)
        rg_encoding_random(g->enc, g->rng, g->genomes + i * g->len);
    memset(g->res, 0, g->n * sizeof *g->res);
    int rc = eval(ctx, g->n, g->len, g->genomes, g->res);
    if (rc != RG_OK)
        return rc;
    g->evaluations = g->n;
    g->generation = 0;
    g->n_base = g->n_seeds;
    memcpy(g->base, g->res, g->n_base * sizeof *g->base);
    if (g->set.has_reference) {
        memcpy(g->ref, g->set.reference, sizeof g->ref);
        g->ref_rule = RG_HVREF_GIVEN;
    } else
        default_reference(g);
    assign(g);
    g->n_hv = 0;
    rc = push_hv(g, current_hv(g));
    if (rc != RG_OK)
        return rc;
    g->ready = true;
    return RG_OK;
}

/* Deb's tournament (tselect.c): domination, then crowding, then a coin flip. */
static size_t tournament(rg_nsga2 *g, size_t a, size_t b)
{
    int c = rg_nsga2_compare(&g->res[a], &g->res[b], g->m);
    if (c > 0)
        return a;
    if (c < 0)
        return b;
    if (g->crowd[a] > g->crowd[b])
        return a;
    if (g->crowd[b] > g->crowd[a])
        return b;
    return gsl_rng_uniform(g->rng) <= 0.5 ? a : b;
}

/* a weakly covers b under constrained domination: a feasible and b not, both infeasible
 * and a's violation no larger, or both feasible and a no worse in every objective */
static bool covers(const rg_eval_result *a, const rg_eval_result *b, size_t m)
{
    bool fa = a->violation <= 0.0, fb = b->violation <= 0.0;
    if (!fb)
        return fa || a->violation <= b->violation;
    if (!fa)
        return false;
    for (size_t j = 0; j < m; j++)
        if (a->fitness[j] > b->fitness[j])
            return false;
    return true;
}

/* Baseline guard (nsga2.h): members of the last front mem[0..k) (in crowding order) that
 * are needed to cover a baseline no survivor chosen so far (sel_res[0..taken)) covers move
 * to the front of mem, keeping the crowding order otherwise. */
static void guard_baselines(rg_nsga2 *g, size_t taken, size_t mem[], size_t k)
{
    size_t room = g->n - taken, forced = 0;
    for (size_t b = 0; b < g->n_base && forced < room; b++) {
        const rg_eval_result *base = &g->base[b];
        bool ok = false;
        for (size_t i = 0; i < taken && !ok; i++)
            ok = covers(&g->sel_res[i], base, g->m);
        for (size_t t = 0; t < forced && !ok; t++)
            ok = covers(&g->res[mem[t]], base, g->m);
        if (ok)
            continue;
        for (size_t t = forced; t < k; t++) {
            if (covers(&g->res[mem[t]], base, g->m)) {
                size_t v = mem[t]; /* move to position `forced`, shifting the rest */
                memmove(mem + forced + 1, mem + forced, (t - forced) * sizeof *mem);
                mem[forced++] = v;
                break;
            }
        }
    }
}

static void select_survivors(rg_nsga2 *g)
{
    size_t n2 = 2 * g->n;
    sorter *s = &g->sort;
    load_fitness(s, g->res, n2);
    sort_fronts(s, n2, s->violbuf, g->rank);
    size_t taken = 0;
    for (size_t f = 0; f < s->n_fronts && taken < g->n; f++) {
        size_t *mem = s->order + s->fstart[f];
        size_t k = s->fstart[f + 1] - s->fstart[f];
        size_t use = k;
        if (taken + k > g->n) {
            /* the last front: largest crowding distance first, ties by position */
            crowd_front(s, mem, k, g->crowd);
            memcpy(g->sel_tmp, mem, k * sizeof *mem);
            rg_isort_key(g->sel_tmp, k, g->crowd, 1, 0, 1, s->tmp);
            mem = g->sel_tmp;
            use = g->n - taken;
            guard_baselines(g, taken, mem, k);
        }
        for (size_t t = 0; t < use; t++) {
            memcpy(g->sel_genomes + (taken + t) * g->len, g->genomes + mem[t] * g->len,
                   g->len * sizeof(double));
            g->sel_res[taken + t] = g->res[mem[t]];
        }
        taken += use;
    }
    memcpy(g->genomes, g->sel_genomes, g->n * g->len * sizeof(double));
    memcpy(g->res, g->sel_res, g->n * sizeof *g->res);
}

int rg_nsga2_step(rg_nsga2 *g)
{
    if (!g || !g->ready)
        return RG_EINVAL;
    size_t n = g->n, len = g->len;
    for (size_t i = 0; i < n; i++)
        g->perm[i] = g->perm[n + i] = i;
    gsl_ran_shuffle(g->rng, g->perm, n, sizeof(size_t));
    gsl_ran_shuffle(g->rng, g->perm + n, n, sizeof(size_t));
    double *child = g->genomes + n * len;
    for (size_t j = 0; j < n / 2; j++) {
        const size_t *t = g->perm + 4 * j;
        size_t a = tournament(g, t[0], t[1]);
        size_t b = tournament(g, t[2], t[3]);
        double *c1 = child + 2 * j * len, *c2 = c1 + len;
        rg_encoding_crossover(g->enc, g->rng, g->genomes + a * len, g->genomes + b * len, c1,
                              c2);
        rg_encoding_mutate(g->enc, g->rng, c1);
        rg_encoding_mutate(g->enc, g->rng, c2);
    }
    memset(g->res + n, 0, n * sizeof *g->res);
    int rc = g->eval(g->ctx, n, len, child, g->res + n);
    if (rc != RG_OK)
        return rc;
    g->evaluations += n;
    select_survivors(g);
    assign(g);
    g->generation++;
    return push_hv(g, current_hv(g));
}

bool rg_nsga2_done(const rg_nsga2 *g)
{
    return g->generation >= g->set.generations;
}

void rg_nsga2_set_generations(rg_nsga2 *g, size_t generations)
{
    g->set.generations = generations;
}

size_t rg_nsga2_population(const rg_nsga2 *g) { return g->n; }
size_t rg_nsga2_genome_length(const rg_nsga2 *g) { return g->len; }
size_t rg_nsga2_n_objectives(const rg_nsga2 *g) { return g->m; }
const double *rg_nsga2_genomes(const rg_nsga2 *g) { return g->genomes; }
const rg_eval_result *rg_nsga2_results(const rg_nsga2 *g) { return g->res; }
const size_t *rg_nsga2_ranks(const rg_nsga2 *g) { return g->rank; }
const double *rg_nsga2_crowding(const rg_nsga2 *g) { return g->crowd; }
size_t rg_nsga2_generation(const rg_nsga2 *g) { return g->generation; }
size_t rg_nsga2_evaluations(const rg_nsga2 *g) { return g->evaluations; }
size_t rg_nsga2_n_seeds(const rg_nsga2 *g) { return g->n_seeds; }
const double *rg_nsga2_reference(const rg_nsga2 *g) { return g->ref; }
rg_reference_rule rg_nsga2_reference_rule(const rg_nsga2 *g) { return g->ref_rule; }

const char *rg_reference_rule_name(rg_reference_rule r)
{
    switch (r) {
    case RG_HVREF_GIVEN: return "optimize.reference_point";
    case RG_HVREF_BASELINES: return "derived from the feasible baselines";
    case RG_HVREF_FEASIBLE_FIRST: return "derived from the feasible first population";
    case RG_HVREF_FIRST: return "derived from the first population (no feasible member)";
    case RG_HVREF_UNIT: return "unit (no usable evaluation)";
    }
    return "unknown";
}

size_t rg_nsga2_front(const rg_nsga2 *g, size_t idx[])
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->rank[i] == 0)
            idx[k++] = i;
    return k;
}

const double *rg_nsga2_hv_history(const rg_nsga2 *g, size_t *n)
{
    *n = g->n_hv;
    return g->hv_hist;
}

int rg_nsga2_export(const rg_nsga2 *g, rg_nsga2_state *s)
{
    if (!g || !s || !g->ready)
        return RG_EINVAL;
    memset(s, 0, sizeof *s);
    s->population = g->n;
    s->genome_length = g->len;
    s->n_obj = g->m;
    s->generation = g->generation;
    s->evaluations = g->evaluations;
    s->n_seeds = g->n_seeds;
    s->genomes = g->genomes;
    s->results = g->res;
    s->rng_state = gsl_rng_state(g->rng);
    s->rng_size = gsl_rng_size(g->rng);
    s->hv_history = g->hv_hist;
    s->n_hv = g->n_hv;
    memcpy(s->reference, g->ref, sizeof s->reference);
    s->reference_rule = (int)g->ref_rule;
    s->baselines = g->base;
    s->n_baselines = g->n_base;
    return RG_OK;
}

int rg_nsga2_import(rg_nsga2 *g, const rg_nsga2_state *s, rg_batch_fn eval, void *ctx)
{
    if (!g || !s || !eval || s->population != g->n || s->genome_length != g->len ||
        s->n_obj != g->m || s->rng_size != gsl_rng_size(g->rng) || !s->genomes ||
        !s->results || !s->rng_state || s->n_hv != s->generation + 1 || !s->hv_history ||
        s->n_seeds > g->n || s->n_baselines != s->n_seeds ||
        (s->n_baselines && !s->baselines))
        return RG_EINVAL; /* a seeded run needs its baselines to resume identically */
    g->n_hv = 0;
    for (size_t i = 0; i < s->n_hv; i++)
        if (push_hv(g, s->hv_history[i]) != RG_OK)
            return RG_ENOMEM;
    memcpy(g->genomes, s->genomes, g->n * g->len * sizeof(double));
    memcpy(g->res, s->results, g->n * sizeof *g->res);
    memcpy(gsl_rng_state(g->rng), s->rng_state, s->rng_size);
    memcpy(g->ref, s->reference, sizeof g->ref);
    g->ref_rule = s->reference_rule >= RG_HVREF_GIVEN && s->reference_rule <= RG_HVREF_UNIT
                      ? (rg_reference_rule)s->reference_rule
                      : RG_HVREF_GIVEN;
    g->generation = s->generation;
    g->evaluations = s->evaluations;
    g->n_seeds = s->n_seeds;
    g->n_base = s->n_baselines;
    if (g->n_base)
        memcpy(g->base, s->baselines, g->n_base * sizeof *g->base);
    g->eval = eval;
    g->ctx = ctx;
    assign(g);
    g->ready = true;
    return RG_OK;
}
