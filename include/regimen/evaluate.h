/* regimen: one evaluation = genome in, result record out (the record, rg_eval_result, and
 * the evaluation interfaces are core's: eval_result.h).
 *
 * A genome is an array of doubles whose meaning the encoding gives (encoding.h): dose-level
 * indices of a schedule, the parameters of an adaptive rule, or a benchmark's variables. */
#ifndef REGIMEN_EVALUATE_H
#define REGIMEN_EVALUATE_H

#include <signal.h>
#include <stddef.h>

#include "regimen/eval_result.h"
#include "regimen/problem.h"
#include "regimen/status.h"

/* The evaluator of regimen problems (tumour or benchmark), per rank. */
typedef struct rg_evaluator rg_evaluator;

rg_evaluator *rg_evaluator_alloc(const rg_problem *p, rg_diag *diag);
/* As rg_evaluator_alloc, and the evaluator takes p over: rg_evaluator_free frees it, and
 * so does a failing call (NULL returned, diag filled). */
rg_evaluator *rg_evaluator_alloc_owning(rg_problem *p, rg_diag *diag);
void rg_evaluator_free(rg_evaluator *e);
size_t rg_evaluator_genome_length(const rg_evaluator *e);
size_t rg_evaluator_n_objectives(const rg_evaluator *e);
int rg_evaluator_eval(rg_evaluator *e, const double genome[], size_t length,
                      rg_eval_result *out);
/* rg_batch_fn over one evaluator, in process; ctx is the rg_evaluator. */
int rg_evaluator_eval_batch(void *ctx, size_t n, size_t length, const double genomes[],
                            rg_eval_result out[]);

/* The parts of a genome (the optional parts of rg_eval_ops, eval_result.h): on a cohort
 * problem its patients, in the cohort's order (docs/model.md section 13); otherwise one (a
 * genome is not split). *bytes (may be NULL) is set to the size of one part's record. */
size_t rg_evaluator_parts(const rg_evaluator *e, size_t *bytes);
/* Parts first .. first + count - 1 of a genome into records (count records of *bytes each,
 * every byte written). RG_OK; RG_EINVAL when e has no parts or the range is outside them. A
 * genome that cannot be decoded, or of the wrong length, is recorded as such in every part. */
int rg_evaluator_eval_parts(rg_evaluator *e, const double genome[], size_t length, size_t first,
                            size_t count, void *records);
/* The genome's result from its records (every part, in order): bit for bit what
 * rg_evaluator_eval gives. */
void rg_evaluator_combine(rg_evaluator *e, const void *records, rg_eval_result *out);

/* The encoding (encoding.h) an evaluator works on; owned by the evaluator, valid until
 * rg_evaluator_free. */
typedef struct rg_encoding rg_encoding;
const rg_encoding *rg_evaluator_encoding(const rg_evaluator *e);

/* The cancellation flag handed to every simulation (sim.h; NULL: never). A simulation that
 * finds it set stops and its result carries RG_RES_CANCELED | RG_RES_FAILED. The flag is
 * read, never written. */
void rg_evaluator_set_cancel(rg_evaluator *e, const volatile sig_atomic_t *cancel);

#endif
