/* The evaluator of evaluate.h: genome in, rg_eval_result out, for benchmark and tumour
 * problems. The tumour path (decode, policy, kernel, objectives) is in evaluate_tumour.c. */
#include "regimen/evaluate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate_internal.h"
#include "regimen/benchmarks.h"
#include "regimen/encoding.h"

struct rg_evaluator {
    const rg_problem *p;
    rg_problem *owned; /* set by rg_evaluator_alloc_owning */
    rg_encoding *enc;
    size_t n_obj;
    rg_tumour_eval *tumour; /* tumour problems only */
    const volatile sig_atomic_t *cancel;
};

rg_evaluator *rg_evaluator_alloc(const rg_problem *p, rg_diag *diag)
{
    if (!p)
        return NULL;
    rg_evaluator *e = calloc(1, sizeof *e);
    if (!e) {
        rg_diag_add(diag, "out of memory");
        return NULL;
    }
    e->p = p;
    e->enc = rg_encoding_alloc(p, diag);
    if (!e->enc)
        goto fail;
    if (e->enc->kind == RG_ENC_BENCHMARK) {
        e->n_obj = p->bench.n_obj;
    } else {
        e->n_obj = p->optimize.n_objectives;
        if (e->n_obj == 0 || e->n_obj > RG_MAX_OBJ) {
            rg_diag_add(diag, "optimize.objectives: between 1 and %d objectives needed",
                        RG_MAX_OBJ);
            goto fail;
        }
        e->tumour = rg_tumour_eval_alloc(p, e->enc, diag);
        if (!e->tumour)
            goto fail;
    }
    return e;
fail:
    rg_evaluator_free(e);
    return NULL;
}

rg_evaluator *rg_evaluator_alloc_owning(rg_problem *p, rg_diag *diag)
{
    rg_evaluator *e = rg_evaluator_alloc(p, diag);
    if (!e) {
        rg_problem_free(p);
        return NULL;
    }
    e->owned = p;
    return e;
}

void rg_evaluator_free(rg_evaluator *e)
{
    if (!e)
        return;
    rg_tumour_eval_free(e->tumour);
    rg_encoding_free(e->enc);
    rg_problem_free(e->owned);
    free(e);
}

size_t rg_evaluator_genome_length(const rg_evaluator *e)
{
    return e->enc->length;
}

size_t rg_evaluator_n_objectives(const rg_evaluator *e)
{
    return e->n_obj;
}

const rg_encoding *rg_evaluator_encoding(const rg_evaluator *e)
{
    return e->enc;
}

void rg_evaluator_set_cancel(rg_evaluator *e, const volatile sig_atomic_t *cancel)
{
    e->cancel = cancel;
}

static void eval_benchmark(rg_evaluator *e, const double x[], rg_eval_result *out)
{
    const rg_encoding *enc = e->enc;
    for (size_t i = 0; i < enc->length; i++) {
        if (!isfinite(x[i]) || x[i] < enc->lower[i] || x[i] > enc->upper[i]) {
            char why[RG_REASON_MAX];
            snprintf(why, sizeof why, "x%zu = %.17g outside [%g, %g]", i + 1, x[i],
                     enc->lower[i], enc->upper[i]);
            rg_eval_result_fail(out, e->n_obj, RG_RES_BADGENOME, why);
            return;
        }
    }
    double f[RG_MAX_OBJ];
    if (rg_benchmark_eval(enc->bench, enc->length, e->n_obj, x, f) != RG_OK) {
        rg_eval_result_fail(out, e->n_obj, RG_RES_FAILED, "benchmark sizes do not match");
        return;
    }
    for (size_t j = 0; j < e->n_obj; j++) {
        if (!isfinite(f[j])) {
            rg_eval_result_fail(out, e->n_obj, RG_RES_NONFINITE, "non-finite objective");
            return;
        }
        out->value[j] = f[j];
        out->fitness[j] = f[j];
    }
}

static void length_reason(const rg_evaluator *e, size_t length, char why[RG_REASON_MAX])
{
    snprintf(why, RG_REASON_MAX, "genome has %zu genes, the encoding %zu", length,
             e->enc->length);
}

int rg_evaluator_eval(rg_evaluator *e, const double genome[], size_t length,
                      rg_eval_result *out)
{
    memset(out, 0, sizeof *out);
    if (!e || !genome) {
        rg_eval_result_fail(out, e ? e->n_obj : RG_MAX_OBJ, RG_RES_FAILED, "no evaluator");
        return RG_EINVAL;
    }
    if (length != e->enc->length) {
        char why[RG_REASON_MAX];
        length_reason(e, length, why);
        rg_eval_result_fail(out, e->n_obj, RG_RES_BADGENOME, why);
        return RG_OK;
    }
    if (e->enc->kind == RG_ENC_BENCHMARK)
        eval_benchmark(e, genome, out);
    else
        rg_tumour_eval_run(e->tumour, genome, e->cancel, out);
    return RG_OK;
}

int rg_evaluator_eval_batch(void *ctx, size_t n, size_t length, const double genomes[],
                            rg_eval_result out[])
{
    rg_evaluator *e = ctx;
    for (size_t i = 0; i < n; i++) {
        int rc = rg_evaluator_eval(e, genomes + i * length, length, &out[i]);
        if (rc != RG_OK)
            return rc;
    }
    return RG_OK;
}

size_t rg_evaluator_parts(const rg_evaluator *e, size_t *bytes)
{
    int split = e->tumour && e->p->cohort;
    if (bytes)
        *bytes = split ? sizeof(rg_tumour_part) : sizeof(rg_eval_result);
    return split ? e->p->cohort->n_patients : 1;
}

int rg_evaluator_eval_parts(rg_evaluator *e, const double genome[], size_t length, size_t first,
                            size_t count, void *records)
{
    size_t n = rg_evaluator_parts(e, NULL);
    if (!e->tumour || !e->p->cohort || !genome || first > n || count > n - first)
        return RG_EINVAL;
    rg_tumour_part *part = records;
    if (length != e->enc->length) {
        memset(part, 0, count * sizeof *part);
        char why[RG_REASON_MAX];
        length_reason(e, length, why);
        rg_tumour_parts_bad_genome(part, count, e->n_obj, why);
        return RG_OK;
    }
    rg_tumour_eval_parts(e->tumour, genome, first, count, e->cancel, part);
    return RG_OK;
}

void rg_evaluator_combine(rg_evaluator *e, const void *records, rg_eval_result *out)
{
    memset(out, 0, sizeof *out);
    rg_tumour_eval_combine(e->tumour, records, out);
}
