/* rg_eval_ops of problem files (eval_ops.h): loader and evaluator joined. */
#include "regimen/eval_ops.h"

#include "regimen/problem.h"
#include "regimen/problem_load.h"

static void *ops_create(const char *text, const char *name, rg_diag *diag)
{
    rg_problem *p = NULL;
    if (rg_problem_load_string(text, name, &p, diag) != RG_OK)
        return NULL;
    return rg_evaluator_alloc_owning(p, diag);
}

static void ops_destroy(void *ctx)
{
    rg_evaluator_free(ctx);
}

static int ops_eval(void *ctx, const double genome[], size_t length, rg_eval_result *out)
{
    return rg_evaluator_eval(ctx, genome, length, out);
}

static size_t ops_parts(const void *ctx, size_t *bytes)
{
    return rg_evaluator_parts(ctx, bytes);
}

static int ops_eval_parts(void *ctx, const double genome[], size_t length, size_t first,
                          size_t count, void *records)
{
    return rg_evaluator_eval_parts(ctx, genome, length, first, count, records);
}

static void ops_combine(void *ctx, const void *records, rg_eval_result *out)
{
    rg_evaluator_combine(ctx, records, out);
}

const rg_eval_ops *rg_eval_ops_problem(void)
{
    static const rg_eval_ops ops = {ops_create, ops_destroy,    ops_eval,
                                    ops_parts,  ops_eval_parts, ops_combine};
    return &ops;
}
