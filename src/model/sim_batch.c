/* One dosing on the patients of a cohort (sim.h, rg_sim_run_batch; docs/model.md section
 * 13): the patients share the caller's workspace, so a cohort evaluation allocates nothing
 * per patient. */
#include "regimen/sim.h"
#include "regimen/status.h"

int rg_sim_run_batch(rg_sim_workspace *w, size_t n, const rg_problem *const patients[],
                     const rg_dosing *dosing, rg_dosing_bind bind,
                     const volatile sig_atomic_t *cancel, rg_sim_summary out[])
{
    if (!w || !dosing || (n > 0 && (!patients || !out)))
        return RG_EINVAL;
    for (size_t i = 0; i < n; i++) {
        int rc = bind ? bind(dosing->state, patients[i]) : RG_OK;
        if (rc == RG_OK)
            rc = rg_sim_run(w, patients[i], dosing, cancel, &out[i], NULL);
        if (rc != RG_OK)
            return rc;
    }
    return RG_OK;
}
