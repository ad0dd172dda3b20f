/* Internal to src/optimize: what the parts of the NSGA-II optimiser (nsga2.h) share.
 * nsga2.c holds the lifecycle, the init/step driver and the state export/import;
 * nsga2_sort.c the constrained non-dominated sort and the crowding distance;
 * nsga2_select.c the parents' tournaments, the children and the survivors' selection. */
#ifndef REGIMEN_OPTIMIZE_NSGA2_INTERNAL_H
#define REGIMEN_OPTIMIZE_NSGA2_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "regimen/hypervolume.h"
#include "regimen/nsga2.h"

/* Sorting workspace: ENS-BS over feasible results, violation groups after. */
typedef struct {
    size_t cap, m;
    double *fit;        /* cap x m packed fitness */
    const double *viol; /* set per call */
    double *violbuf;    /* cap */
    size_t *idx, *tmp;  /* cap */
    size_t *prev;       /* cap: previous member of the same front */
    size_t *ftail;      /* cap: last member of each front */
    size_t *order;      /* cap: members grouped by front */
    size_t *fstart;     /* cap + 1 */
    size_t *tl, *tr;    /* cap: treap children (3 objectives) */
    size_t *troot;      /* cap: per front, treap of its (f2, f3) staircase */
    size_t n_fronts;
} rg_nsga2_sorter;

/* Buffers for up to cap results of m objectives. RG_ENOMEM (nothing left allocated). */
int rg_nsga2_sorter_alloc(rg_nsga2_sorter *s, size_t cap, size_t m);
/* Frees the buffers; also safe on a zero-filled sorter. */
void rg_nsga2_sorter_free(rg_nsga2_sorter *s);

/* Copies the fitness and violation of res[0 .. n - 1] into the workspace. */
void rg_nsga2_load_fitness(rg_nsga2_sorter *s, const rg_eval_result res[], size_t n);
/* Ranks of n members (fitness in s->fit, violation in viol[]); fills rank[], s->order and
 * s->fstart (front f is order[fstart[f] .. fstart[f + 1] - 1], members in index order). */
void rg_nsga2_sort_fronts(rg_nsga2_sorter *s, size_t n, const double viol[], size_t rank[]);
/* Crowding distances of the k members mem[] of one front into crowd[]; uses s->idx and
 * s->tmp as scratch, so mem must not point into s->idx. */
void rg_nsga2_crowd_front(rg_nsga2_sorter *s, const size_t *mem, size_t k, double crowd[]);
/* Load, sort and crowd every front of res[0 .. n - 1]. */
void rg_nsga2_rank_and_crowd(rg_nsga2_sorter *s, const rg_eval_result res[], size_t n,
                             size_t rank[], double crowd[]);

struct rg_nsga2 {
    const rg_encoding *enc;
    rg_nsga2_settings set;
    size_t n, len, m;
    gsl_rng *rng;
    rg_batch_fn eval;
    void *ctx;
    double *genomes;         /* 2N x len: parents, then children */
    rg_eval_result *res;     /* 2N */
    size_t *rank;            /* 2N */
    double *crowd;           /* 2N */
    size_t *perm;            /* 2N: two permutations of 0..N-1 */
    double *sel_genomes;     /* N x len */
    rg_eval_result *sel_res; /* N */
    size_t *sel_tmp;         /* 2N */
    rg_nsga2_sorter sort;
    rg_hv_workspace *hv;
    double *hv_points; /* N x m */
    double *hv_hist;
    double *arch_hv_hist; /* cap_hv: the archive's hypervolume per generation */
    size_t n_hv, cap_hv;
    rg_archive *arch;
    unsigned char *rng_saved; /* the generator's state before a step's draws */
    size_t generation, evaluations, n_seeds;
    bool ready;
    double ref[RG_MAX_OBJ];
    rg_reference_rule ref_rule;
    rg_eval_result *base; /* N: results of the seeds at init (the baselines) */
    size_t n_base;
};

/* Fills the children, genomes[N .. 2N), from the parents: binary tournaments over two
 * random permutations, then crossover and mutation (nsga2.h, steps 1 and 2). */
void rg_nsga2_make_children(rg_nsga2 *g);
/* Sorts parents and children (2N, results in res) into fronts and moves the next N
 * parents into genomes[0 .. N) and res[0 .. N) (nsga2.h, step 4). */
void rg_nsga2_select_survivors(rg_nsga2 *g);

#endif
