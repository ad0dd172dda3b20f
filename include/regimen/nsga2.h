/* regimen: constrained NSGA-II (Deb, Pratap, Agarwal and Meyarivan 2002, "A fast and elitist
 * multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 182-197).
 *
 * One generation (rg_nsga2_step):
 *   1. parents are chosen by binary tournaments over two random permutations of the
 *      population (each member takes part in exactly two tournaments); a tournament is won
 *      by constrained domination, then by the larger crowding distance, then by a coin
 *      flip (Deb's reference code, tselect.c);
 *   2. each pair of parents gives two children (encoding.h: crossover, then mutation);
 *   3. the N children are evaluated in ONE call of the rg_batch_fn (results by index);
 *   4. parents and children (2N) are sorted into fronts by constrained domination: a
 *      feasible result (violation 0) beats an infeasible one, two infeasible results
 *      compare by total violation, two feasible ones by Pareto domination of the minimised
 *      fitness; the fronts are filled in order into the next N parents and the last front
 *      that does not fit is cut by crowding distance (largest first);
 *      Baseline guard (an addition to Deb's algorithm, active only when init was given
 *      seeds): before the last front is cut, a member of it that weakly covers (under
 *      constrained domination) a seed's initial result is kept whenever no survivor chosen
 *      so far covers it, so the population always weakly dominates every built-in regimen
 *      it was seeded with (plain NSGA-II can lose such a point when the first front
 *      outgrows N);
 *   5. ranks and crowding distances are recomputed on the N new parents (they drive the next
 *      tournaments), the generation counter advances and the hypervolume of the feasible
 *      first front is appended to the history.
 * The sort is the efficient non-dominated sort with binary search over fronts (Zhang, Tian,
 * Cheng and Jin 2015, ENS-BS): O(N log N) for 2 objectives, O(N log^2 N) for 3 (a treap
 * staircase per front), O(M N^2) worst case beyond, with O(N) memory. Every buffer is allocated once by rg_nsga2_alloc.
 *
 * Randomness: one gsl_rng (mt19937) owned by the optimiser and seeded from settings.seed;
 * nothing else draws random numbers, so the same seed gives bit-identical populations.
 *
 * Reference point of the hypervolume (minimised form): settings.reference when given;
 * otherwise, at init, from the evaluated seeds (the built-in regimens) that are feasible,
 * or when there are none from the feasible members of the first population, or from all
 * members that did not fail: r_j = max f_j + max(0.1 (max f_j - min f_j), 0.01 |max f_j|,
 * 1e-6). It is stored with the state (rg_nsga2_reference). */
#ifndef REGIMEN_NSGA2_H
#define REGIMEN_NSGA2_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/archive.h"
#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/problem.h"

typedef struct rg_nsga2 rg_nsga2;

/* Plain settings. */
typedef struct {
    size_t population;  /* N: rounded up to even, at least 4 */
    size_t generations; /* rg_nsga2_done once this many steps are done */
    unsigned long seed; /* seeds the mt19937 generator */
    size_t n_obj;       /* objectives, 1 .. RG_MAX_OBJ */
    size_t
        archive_size; /* bound of the archive (archive.h); 0: unbounded; else >= population */
    bool has_reference;
    double reference[RG_MAX_OBJ]; /* minimised form (maximised objectives negated) */
} rg_nsga2_settings;

/* Settings from p->optimize for n_obj objectives; the reference point, when the problem
 * gives one (natural units), is converted to minimised form (-value for maximised
 * objectives; benchmark objectives are all minimised). */
void rg_nsga2_settings_from_problem(const rg_problem *p, size_t n_obj, rg_nsga2_settings *s);

/* An optimiser for genomes of encoding enc (which must outlive it). NULL when out of memory
 * or the settings are invalid. Caller frees with rg_nsga2_free. */
rg_nsga2 *rg_nsga2_alloc(const rg_encoding *enc, const rg_nsga2_settings *s);
void rg_nsga2_free(rg_nsga2 *g);

/* Builds the first population: seeds[i * length ...], i < n_seeds (at most N are used,
 * in order), then random genomes; evaluates all N in one batch call; sets the reference
 * point, ranks, crowding and the first hypervolume (generation 0). Returns RG_OK,
 * RG_ECANCELED (an evaluation was canceled) or the batch function's error. eval and ctx are kept for rg_nsga2_step. */
int rg_nsga2_init(rg_nsga2 *g, rg_batch_fn eval, void *ctx, const double seeds[],
                  size_t n_seeds);

/* One generation (see above). RG_EINVAL before init; otherwise RG_OK, RG_ECANCELED when an
 * evaluation of the batch was canceled (RG_RES_CANCELED: a signal), or the batch
 * function's error; on an error the state is unchanged (population, archive, generator),
 * so a checkpoint written then resumes as if the generation had not started. */
int rg_nsga2_step(rg_nsga2 *g);

/* True once generation >= settings.generations. */
bool rg_nsga2_done(const rg_nsga2 *g);

/* Accessors. Pointers stay valid until the next init/step/import/free. */
size_t rg_nsga2_population(const rg_nsga2 *g);
size_t rg_nsga2_genome_length(const rg_nsga2 *g);
size_t rg_nsga2_n_objectives(const rg_nsga2 *g);
const double *rg_nsga2_genomes(const rg_nsga2 *g);         /* N x length, row-major */
const rg_eval_result *rg_nsga2_results(const rg_nsga2 *g); /* N */
const size_t *rg_nsga2_ranks(const rg_nsga2 *g);           /* 0 = first front */
const double *rg_nsga2_crowding(const rg_nsga2 *g);        /* HUGE_VAL at front ends */
/* Indices of the first front into idx (room for N); returns their number. */
size_t rg_nsga2_front(const rg_nsga2 *g, size_t idx[]);
size_t rg_nsga2_generation(const rg_nsga2 *g);
size_t rg_nsga2_evaluations(const rg_nsga2 *g);
size_t rg_nsga2_n_seeds(const rg_nsga2 *g);          /* seeds placed by init */
const double *rg_nsga2_reference(const rg_nsga2 *g); /* minimised form, n_obj */
/* Where the reference point came from (rg_nsga2_reference_rule). */
typedef enum {
    RG_HVREF_GIVEN = 0,      /* settings.reference (optimize.reference_point) */
    RG_HVREF_BASELINES,      /* feasible seeds (the built-in regimens) */
    RG_HVREF_FEASIBLE_FIRST, /* feasible members of the first population */
    RG_HVREF_FIRST,          /* every member of the first population that did not fail */
    RG_HVREF_UNIT            /* nothing usable: 1 in every objective */
} rg_reference_rule;
rg_reference_rule rg_nsga2_reference_rule(const rg_nsga2 *g);
const char *rg_reference_rule_name(rg_reference_rule r);
/* Hypervolume of the population's feasible first front after generation 0, 1, ...,
 * generation: *n = generation + 1 entries. */
const double *rg_nsga2_hv_history(const rg_nsga2 *g, size_t *n);
/* The archive (archive.h): every feasible non-dominated genome evaluated so far. It only
 * observes: init offers it the first population, each step the children, after they are
 * evaluated; selection never reads it. */
const rg_archive *rg_nsga2_archive(const rg_nsga2 *g);
/* Hypervolume of the archive after generation 0, 1, ...: *n = generation + 1 entries,
 * never decreasing. */
const double *rg_nsga2_archive_hv_history(const rg_nsga2 *g, size_t *n);

/* The complete state between generations, enough to resume bit-identically. Export fills
 * the pointers with views into the optimiser (valid until the next step/import/free);
 * import copies from caller-owned arrays of the same shapes. */
typedef struct {
    size_t population, genome_length, n_obj;
    size_t generation, evaluations, n_seeds;
    const double *genomes;          /* population x genome_length */
    const rg_eval_result *results;  /* population */
    const unsigned char *rng_state; /* gsl_rng_state bytes of the mt19937 generator */
    size_t rng_size;                /* gsl_rng_size */
    const double *hv_history;       /* generation + 1 values */
    size_t n_hv;
    double reference[RG_MAX_OBJ];    /* minimised form */
    int reference_rule;              /* rg_reference_rule */
    const rg_eval_result *baselines; /* results of the seeds at init (baseline guard) */
    size_t n_baselines;
    size_t archive_size;                   /* the archive's members (archive.h) */
    const double *archive_genomes;         /* archive_size x genome_length, canonical order */
    const rg_eval_result *archive_results; /* archive_size */
    const double *archive_hv_history;      /* n_hv values */
} rg_nsga2_state;

int rg_nsga2_export(const rg_nsga2 *g, rg_nsga2_state *s);
/* RG_EINVAL when the shapes or the rng size do not match this optimiser, when the archive
 * is not a valid one for the settings' bound (rg_archive_load), or when
 * n_baselines differs from n_seeds (the seeds' initial results must be saved with the
 * state: the baseline guard needs them to continue identically); RG_ENOMEM.
 * Ranks and crowding are recomputed from the results exactly as step leaves them. */
int rg_nsga2_import(rg_nsga2 *g, const rg_nsga2_state *s, rg_batch_fn eval, void *ctx);

/* Constrained domination of Deb et al. 2002 between two results over n_obj minimised
 * fitness values: 1 when a dominates b, -1 when b dominates a, 0 otherwise. */
int rg_nsga2_compare(const rg_eval_result *a, const rg_eval_result *b, size_t n_obj);

/* Sorting on its own (tests, benchmarks): ranks (0 = first front) and crowding distances of
 * n results by constrained domination. Allocates its workspace; RG_ENOMEM on failure. */
int rg_nsga2_rank(const rg_eval_result res[], size_t n, size_t n_obj, size_t rank[],
                  double crowding[]);

#endif
