#include <stdio.h>

#include "regimen/eval_result.h"

void rg_eval_result_fail(rg_eval_result *r, size_t n_obj, unsigned flag, const char *reason)
{
    for (size_t j = 0; j < RG_MAX_OBJ; j++) {
        r->value[j] = 0.0;
        r->fitness[j] = j < n_obj ? 1e300 : 0.0;
    }
    r->violation = 1e300;
    r->flags |= flag | RG_RES_INFEASIBLE;
    snprintf(r->reason, sizeof r->reason, "%s", reason ? reason : "");
}

bool rg_eval_result_feasible(double violation, unsigned flags)
{
    return violation == 0.0 && !(flags & (RG_RES_INFEASIBLE | RG_RES_FAILED | RG_RES_NONFINITE |
                                          RG_RES_BUDGET | RG_RES_BADGENOME));
}
