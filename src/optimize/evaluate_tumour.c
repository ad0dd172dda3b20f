/* Tumour evaluation: waiting for the kernel (sim.h) and the rule policy/objectives to reach
 * main; until then tumour problems are refused at rg_evaluator_alloc with a message. */
#include <stdlib.h>

#include "evaluate_internal.h"

rg_tumour_eval *rg_tumour_eval_alloc(const rg_problem *p, const rg_encoding *enc,
                                     rg_diag *diag)
{
    (void)p;
    (void)enc;
    rg_diag_add(diag, "tumour problems cannot be evaluated by this build (kernel not merged)");
    return NULL;
}

void rg_tumour_eval_free(rg_tumour_eval *t)
{
    (void)t;
}

void rg_tumour_eval_run(rg_tumour_eval *t, const double genome[], rg_eval_result *out)
{
    (void)t;
    (void)genome;
    rg_eval_result_fail(out, RG_MAX_OBJ, RG_RES_FAILED, "no tumour model in this build");
}
