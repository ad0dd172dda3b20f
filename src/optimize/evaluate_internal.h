/* Internal to src/optimize: the tumour half of the evaluator (evaluate_tumour.c). */
#ifndef REGIMEN_OPTIMIZE_EVALUATE_INTERNAL_H
#define REGIMEN_OPTIMIZE_EVALUATE_INTERNAL_H

#include <stdint.h>

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/problem.h"
#include "regimen/sim.h"

typedef struct rg_tumour_eval rg_tumour_eval;

/* Simulation workspace and decode buffers for problem p; NULL with diag filled. */
rg_tumour_eval *rg_tumour_eval_alloc(const rg_problem *p, const rg_encoding *enc,
                                     rg_diag *diag);
void rg_tumour_eval_free(rg_tumour_eval *t);
/* Decodes the genome, simulates (cancel: the run's cancellation flag, or NULL), computes
 * objectives; always fills *out (RG_RES_CANCELED | RG_RES_FAILED when canceled). */
void rg_tumour_eval_run(rg_tumour_eval *t, const double genome[],
                        const volatile sig_atomic_t *cancel, rg_eval_result *out);

/* One patient's share of a cohort genome's evaluation (the parts of evaluate.h): plain,
 * fixed-size data, so that the farm moves it as bytes. */
typedef struct {
    int32_t status;     /* the run's status (rg_cohort_eval_block): RG_OK, RG_ECANCELED, ... */
    int32_t bad_genome; /* 1: the genome could not be decoded, res.reason says why */
    rg_sim_summary sum;
    rg_eval_result res; /* the patient's record (rg_objectives_compute) */
} rg_tumour_part;

/* Patients first .. first + count - 1 of a cohort problem under the genome's policy into
 * part[0 .. count) (every record written; padding zeroed). */
void rg_tumour_eval_parts(rg_tumour_eval *t, const double genome[], size_t first, size_t count,
                          const volatile sig_atomic_t *cancel, rg_tumour_part part[]);
/* Marks parts (zeroed by the caller) as those of a genome that cannot be decoded, why. */
void rg_tumour_parts_bad_genome(rg_tumour_part part[], size_t count, size_t n_obj,
                                const char *why);
/* The result of a cohort genome from its n_patients parts, in patient order: a bad genome or
 * the first failed run in patient order fails it, as rg_tumour_eval_run would; otherwise
 * rg_cohort_combine. */
void rg_tumour_eval_combine(rg_tumour_eval *t, const rg_tumour_part part[],
                            rg_eval_result *out);

#endif
