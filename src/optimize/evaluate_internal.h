/* Internal to src/optimize: the tumour half of the evaluator (evaluate_tumour.c). */
#ifndef REGIMEN_OPTIMIZE_EVALUATE_INTERNAL_H
#define REGIMEN_OPTIMIZE_EVALUATE_INTERNAL_H

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/problem.h"

typedef struct rg_tumour_eval rg_tumour_eval;

/* Simulation workspace and decode buffers for problem p; NULL with diag filled. */
rg_tumour_eval *rg_tumour_eval_alloc(const rg_problem *p, const rg_encoding *enc,
                                     rg_diag *diag);
void rg_tumour_eval_free(rg_tumour_eval *t);
/* Decodes the genome, simulates (cancel: the run's cancellation flag, or NULL), computes
 * objectives; always fills *out (RG_RES_CANCELED | RG_RES_FAILED when canceled). */
void rg_tumour_eval_run(rg_tumour_eval *t, const double genome[],
                        const volatile sig_atomic_t *cancel, rg_eval_result *out);

#endif
