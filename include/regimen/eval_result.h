/* regimen: the record of one evaluation and the interfaces that produce them.
 *
 * rg_eval_result is plain, fixed-size data so that it crosses MPI as bytes and lands in HDF5
 * as a compound row. The layers that fill one (policy's objectives, optimize's evaluator,
 * parallel's farm) and those that store one (io) all use this core header. */
#ifndef REGIMEN_EVAL_RESULT_H
#define REGIMEN_EVAL_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/problem.h"
#include "regimen/status.h"

enum {
    RG_RES_CENSORED = 1u << 0,   /* no progression by the horizon (TTP censored) */
    RG_RES_INFEASIBLE = 1u << 1, /* a constraint is broken (violation > 0) */
    RG_RES_NONFINITE = 1u << 2,  /* the model produced a non-finite value */
    RG_RES_BUDGET = 1u << 3,     /* the step budget was exhausted */
    RG_RES_BADGENOME = 1u << 4,  /* the genome could not be decoded */
    RG_RES_FAILED = 1u << 5,     /* the evaluation failed for another reason */
    RG_RES_CANCELED = 1u << 6    /* stopped by the run's cancellation flag (a signal): not a
                                    result; the optimiser discards the batch (with FAILED) */
};

enum { RG_REASON_MAX = 96 };

typedef struct {
    double value[RG_MAX_OBJ];   /* natural units, optimize.objectives order */
    double fitness[RG_MAX_OBJ]; /* minimised form: value, or -value when maximised */
    double violation;           /* 0 when feasible; normalised sum of violations */
    unsigned flags;             /* RG_RES_* */
    char reason[RG_REASON_MAX]; /* why infeasible or failed; "" otherwise */
} rg_eval_result;

/* Marks a result as failed: every fitness +HUGE_VAL-free large value (1e300), violation
 * 1e300, the flag set and the reason copied. Keeps optimiser arithmetic finite. */
void rg_eval_result_fail(rg_eval_result *r, size_t n_obj, unsigned flag, const char *reason);

/* A result counts as feasible (the `feasible` column of every front table): no violation
 * and no flag of a broken constraint or a failed evaluation (censoring is not a failure). */
bool rg_eval_result_feasible(double violation, unsigned flags);

/* How a rank builds and runs evaluations: the MPI farm calls these on every rank from the
 * problem text it broadcasts, so the farm needs to know nothing of tumours. */
typedef struct {
    /* Builds evaluation state from a problem file's text (name used in messages).
     * NULL on failure with diag filled. */
    void *(*create)(const char *text, const char *name, rg_diag *diag);
    void (*destroy)(void *ctx);
    /* Always fills *out; returns RG_OK unless the context itself is broken. */
    int (*eval)(void *ctx, const double genome[], size_t length, rg_eval_result *out);
    /* Optional, all three or none (NULL: a genome is one indivisible piece of work). A
     * genome made of parts that can be evaluated apart (a cohort's patients, docs/model.md
     * section 13), so that the farm can spread one genome over several workers:
     * parts(ctx, bytes) returns the number of parts P of every genome (P <= 1: no split)
     * and sets *bytes to the size of one part's record (plain fixed-size data, same on
     * every rank of one job). eval_parts(ctx, genome, length, first, count, records) fills
     * the records of parts first .. first + count - 1, always; it returns RG_OK unless the
     * context itself is broken. combine(ctx, records, out) turns the P records of one
     * genome, in part order, into its result. eval(ctx, g, ...) must equal eval_parts of
     * every part followed by combine, bit for bit: the farm uses either. */
    size_t (*parts)(const void *ctx, size_t *bytes);
    int (*eval_parts)(void *ctx, const double genome[], size_t length, size_t first,
                      size_t count, void *records);
    void (*combine)(void *ctx, const void *records, rg_eval_result *out);
} rg_eval_ops;

/* Batch evaluation as the optimiser sees it: n genomes of `length` genes laid end to end.
 * Results by index; order of completion never matters. */
typedef int (*rg_batch_fn)(void *ctx, size_t n, size_t length, const double genomes[],
                           rg_eval_result out[]);

#endif
