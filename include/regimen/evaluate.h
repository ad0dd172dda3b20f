/* regimen: one evaluation = genome in, result record out.
 *
 * A genome is an array of doubles whose meaning the encoding gives (encoding.h): dose-level
 * indices of a schedule, the parameters of an adaptive rule, or a benchmark's variables.
 * rg_eval_result is plain, fixed-size data so that it crosses MPI as bytes and lands in
 * HDF5 as a compound row. */
#ifndef REGIMEN_EVALUATE_H
#define REGIMEN_EVALUATE_H

#include <stddef.h>

#include "regimen/problem.h"
#include "regimen/status.h"

enum {
    RG_RES_CENSORED = 1u << 0,   /* no progression by the horizon (TTP censored) */
    RG_RES_INFEASIBLE = 1u << 1, /* a constraint is broken (violation > 0) */
    RG_RES_NONFINITE = 1u << 2,  /* the model produced a non-finite value */
    RG_RES_BUDGET = 1u << 3,     /* the step budget was exhausted */
    RG_RES_BADGENOME = 1u << 4,  /* the genome could not be decoded */
    RG_RES_FAILED = 1u << 5      /* the evaluation failed for another reason */
};

enum { RG_REASON_MAX = 96 };

typedef struct {
    double value[RG_MAX_OBJ];    /* natural units, optimize.objectives order */
    double fitness[RG_MAX_OBJ];  /* minimised form: value, or -value when maximised */
    double violation;            /* 0 when feasible; normalised sum of violations */
    unsigned flags;              /* RG_RES_* */
    char reason[RG_REASON_MAX];  /* why infeasible or failed; "" otherwise */
} rg_eval_result;

/* Marks a result as failed: every fitness +HUGE_VAL-free large value (1e300), violation
 * 1e300, the flag set and the reason copied. Keeps optimiser arithmetic finite. */
void rg_eval_result_fail(rg_eval_result *r, size_t n_obj, unsigned flag, const char *reason);

/* How a rank builds and runs evaluations: the MPI farm calls these on every rank from the
 * problem text it broadcasts, so the farm needs to know nothing of tumours. */
typedef struct {
    /* Builds evaluation state from a problem file's text (name used in messages).
     * NULL on failure with diag filled. */
    void *(*create)(const char *text, const char *name, rg_diag *diag);
    void (*destroy)(void *ctx);
    /* Always fills *out; returns RG_OK unless the context itself is broken. */
    int (*eval)(void *ctx, const double genome[], size_t length, rg_eval_result *out);
} rg_eval_ops;

/* Batch evaluation as the optimiser sees it: n genomes of `length` genes laid end to end.
 * Results by index; order of completion never matters. */
typedef int (*rg_batch_fn)(void *ctx, size_t n, size_t length, const double genomes[],
                           rg_eval_result out[]);

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

/* The encoding (encoding.h) and the problem an evaluator works on; owned by the
 * evaluator, valid until rg_evaluator_free. */
typedef struct rg_encoding rg_encoding;
const rg_encoding *rg_evaluator_encoding(const rg_evaluator *e);
const rg_problem *rg_evaluator_problem(const rg_evaluator *e);

#endif
