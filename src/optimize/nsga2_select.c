/* Parents' tournaments, children and survivors' selection of the NSGA-II optimiser
 * (nsga2.h, steps 1, 2 and 4). */
#include <string.h>

#include <gsl/gsl_randist.h>

#include "isort.h"
#include "nsga2_internal.h"

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

void rg_nsga2_select_survivors(rg_nsga2 *g)
{
    size_t n2 = 2 * g->n;
    rg_nsga2_sorter *s = &g->sort;
    rg_nsga2_load_fitness(s, g->res, n2);
    rg_nsga2_sort_fronts(s, n2, s->violbuf, g->rank);
    size_t taken = 0;
    for (size_t f = 0; f < s->n_fronts && taken < g->n; f++) {
        size_t *mem = s->order + s->fstart[f];
        size_t k = s->fstart[f + 1] - s->fstart[f];
        size_t use = k;
        if (taken + k > g->n) {
            /* the last front: largest crowding distance first, ties by position */
            rg_nsga2_crowd_front(s, mem, k, g->crowd);
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

void rg_nsga2_make_children(rg_nsga2 *g)
{
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
}
