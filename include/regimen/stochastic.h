/* regimen: the stochastic simulation mode (docs/model.md section 12).
 *
 * rg_stoch_run simulates one replicate of a problem under one dosing: the same compiled model
 * and rates as the deterministic kernel (model.h), but every population below a threshold
 * (default 1e4 cells) is an exact linear birth-death process over each fixed step, and the
 * de novo part of each resistant clone (cells that arrived by switching from non-resistant
 * clones during the run) is followed apart from the rest of that clone. Larger populations
 * are advanced deterministically (RK4 on the model's right-hand side). The replicate ends at
 * its own time to progression, else at the horizon; no dose is given after progression.
 *
 * Replicate r of seed s draws from its own GSL generator seeded from (s, r), so a replicate
 * does not depend on which others ran, or in which order. A workspace is not shared by two
 * threads at once. */
#ifndef REGIMEN_STOCHASTIC_H
#define REGIMEN_STOCHASTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regimen/problem.h"
#include "regimen/sim.h"

/* Named defaults of rg_stoch_settings (docs/model.md section 12). */
#define RG_STOCH_THRESHOLD 1.0e4 /* cells: a population below it is stochastic */
#define RG_STOCH_MAX_STEP 0.05   /* days: the largest fixed step */
/* The most fixed steps a replicate may take (horizon_days / rg_stoch_step): a drug with a
 * half-life of minutes over years would otherwise take hours per replicate. */
#define RG_STOCH_MAX_STEPS 1.0e7
/* The largest threshold a workspace accepts: counts stay far inside the range of the GSL
 * samplers' unsigned int, and Poisson arrivals are sampled up to this mean. */
#define RG_STOCH_THRESHOLD_MAX 1.0e7
/* A step is also at most this fraction of the shortest drug half-life, so that a
 * concentration falls by at most 16% (2^-0.25) within one step (docs/model.md section 12). */
#define RG_STOCH_HALF_LIFE_FRACTION 0.25

typedef struct {
    double threshold; /* cells, in (0, RG_STOCH_THRESHOLD_MAX] */
    double max_step;  /* days, > 0: the step is visit_days cut into equal parts <= this */
} rg_stoch_settings;

/* The named defaults. */
void rg_stoch_settings_default(rg_stoch_settings *s);

/* The fixed step of a replicate of p, in days: visit_days cut into the fewest equal parts no
 * longer than s->max_step (s NULL: the default) and RG_STOCH_HALF_LIFE_FRACTION times the
 * shortest positive half-life of p's drugs. 0 when visit_days or max_step is not positive. */
double rg_stoch_step(const rg_problem *p, const rg_stoch_settings *s);

/* One replicate's outcome, in natural units. */
typedef struct {
    int status;          /* RG_OK or RG_ENUMERIC (a non-finite burden ended the replicate) */
    bool progressed;     /* false: censored at the horizon */
    double ttp;          /* days: the progression visit, or the horizon */
    double t_end;        /* days: ttp when progressed, else the horizon */
    bool de_novo_alive;  /* a de novo part of a resistant clone has cells at t_end */
    bool cured;          /* every clone has 0 cells at t_end */
    double final_burden; /* B(t_end), cells */
    double clones[RG_MAX_CLONES];  /* cells of each clone at t_end (both parts) */
    double de_novo[RG_MAX_CLONES]; /* the de novo part of each clone at t_end (0 for a
                                           clone that receives no switching from a
                                           non-resistant clone) */
} rg_stoch_result;

typedef struct rg_stoch_workspace rg_stoch_workspace;

/* A workspace for problem p (and any problem with no more clones and visits), with settings
 * s (NULL: the defaults). NULL when out of memory or the sizes are out of range. Caller frees
 * with rg_stoch_free. */
rg_stoch_workspace *rg_stoch_alloc(const rg_problem *p, const rg_stoch_settings *s);
void rg_stoch_free(rg_stoch_workspace *w);

/* Runs replicate `replicate` of seed `seed` of p under `dosing` (reset once, then decide at
 * every decision time before the replicate's t_end, seeing the replicate's own burden).
 * Returns RG_OK when *out is valid (its status may still be RG_ENUMERIC), RG_EINVAL for a
 * problem the mode cannot simulate (extinction_cells = 0: populations in normalised units
 * are not cell counts; more than RG_STOCH_MAX_STEPS steps; settings out of range; a workspace
 * too small; bad dosing), or the
 * status of a failing dosing callback. */
int rg_stoch_run(rg_stoch_workspace *w, const rg_problem *p, const rg_dosing *dosing,
                 uint64_t seed, size_t replicate, rg_stoch_result *out);

/* The Wilson score interval (Wilson 1927) of a binomial proportion: k successes in n trials,
 * z the normal quantile (1.959964 for 95%, 2.575829 for 99%); [0, 1] when n = 0. */
void rg_stoch_wilson(size_t k, size_t n, double z, double *lo, double *hi);

#endif
